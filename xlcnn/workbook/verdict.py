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


class InputsCheck(enum.StrEnum):
    """What the check of the given numbers found (the value is the word results.json shows)."""

    UNSIGNED = "unsigned"
    """No signature: the numbers are compared with the expected inputs, if any."""
    SIGNED = "signed"
    """A variant's signature, verified: the numbers are the ones issued."""
    CHANGED = "changed"
    """A variant's signature that the numbers no longer match."""
    UNCHECKED = "unchecked"
    """A variant's signature, but no secret to verify it."""
