"""The verdict on an answer: right, wrong, missing, or not calculated yet."""

from __future__ import annotations

import enum


class Answer(enum.StrEnum):
    """The verdict on one answer cell, or on a question (the value is the word people read)."""

    RIGHT = "right"
    WRONG = "wrong"
    MISSING = "missing"
    """Empty, or a placeholder such as "-" or "n/a"."""
    NOT_CALCULATED = "not calculated"
    """A formula without a calculated value: no verdict until it is calculated."""

    @property
    def counted(self) -> bool:
        """Counted in a question's cells (a cell without a calculated value is not)."""
        return self is not Answer.NOT_CALCULATED
