"""Answers as people write them: numbers stored as text, decimal commas, "3 × 3 × 2", "yes".

Each parser returns ``(value, problem)``: ``value`` is None when the cell is empty
or unreadable, ``problem`` says why it is unreadable (None otherwise).
"""

from __future__ import annotations

import math
import re

from ..core.excel_errors import excel_error  # noqa: F401 - typed values include Excel's errors

MAX_NUMBER = 1e12  # larger than any number an exercise workbook holds: a bigger one is refused, not computed


_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")  # 1,234.5
# digits grouped by three with spaces or apostrophes (1 234,5; 12'345): the only spaces inside a number
_GROUPED = re.compile(r"^[+-]?\s*\d{1,3}(?:[\s\u00a0\u2009\u202f']\d{3})+(?:[.,]\d+)?$")
_SEPARATORS = re.compile(r"\s*(?:x|×|\*|by|,|;|/)\s*", re.I)

YES = {"yes", "y", "oui", "o", "ja", "j", "si", "sí", "true", "vrai", "wahr", "1", "x", "✓", "✔", "ok"}
NO = {"no", "n", "non", "nein", "false", "faux", "falsch", "0", "-", "✗", "✘"}


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# what people type in a cell that must stay empty, to say "nothing here"
PLACEHOLDERS = {"-", "--", "---", "–", "—", "/", "x", "n/a", "na", "none", "empty", "nothing", "vide", "leer"}


def is_placeholder(value: object) -> bool:
    """A text that says "nothing here" (``-``, ``—``, ``/``, ``x``, ``n/a``, ``none``, ``empty``)."""
    return isinstance(value, str) and " ".join(value.split()).casefold() in PLACEHOLDERS


def parse_number(value: object) -> tuple[float | None, str | None]:
    if is_empty(value):
        return None, None
    if isinstance(value, bool):
        return None, f"expected a number, got {value!r}"
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None, f"a number out of range ({len(str(value))} digits)"
        if not math.isfinite(number) or abs(number) > MAX_NUMBER:
            return None, f"a number out of range ({str(value)[:20]}): expected at most {MAX_NUMBER:g} in size"
        return number, None
    if not isinstance(value, str):
        return None, f"expected a number, got {value!r}"
    err = excel_error(value)
    if err:
        return None, f"the cell shows the Excel error {err}"
    text = value.strip().replace("\u2212", "-").replace("\u2013", "-")
    if text.startswith("="):
        return None, f"a formula shown as text ({value!r}): remove the leading quote or space"
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if _GROUPED.match(text):
        text = _SPACES.sub("", text)
    else:  # "3 4" is two numbers (or a slip), never 34; a sign may stand apart: "- 2"
        text = re.sub(r"^([+-])\s+", r"\1", text)
    if _NUMBER.match(text):
        number = float(text.replace(",", "."))
        if not math.isfinite(number) or abs(number) > MAX_NUMBER:
            return None, f"a number out of range ({text[:20]}): expected at most {MAX_NUMBER:g} in size"
        return number, None
    return None, f"expected a number, got {str(value)[:80]!r}"


_NUMBER_AND_WORDS = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*([^\d\s.,][^\d]*)$")


def parse_count(value: object) -> tuple[float | None, str | None]:
    """A number, or a number followed by words without other digits ("2 maps", "2 activation maps")."""
    n, problem = parse_number(value)
    if problem and isinstance(value, str):
        m = _NUMBER_AND_WORDS.match(value.replace("\u2212", "-"))
        if m:
            return parse_number(m.group(1))
    return n, problem


def parse_yes_no(value: object) -> tuple[bool | None, str | None]:
    if is_empty(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), None
    text = str(value).strip().lower().rstrip(".!")
    if text in YES:
        return True, None
    if text in NO:
        return False, None
    return None, f"expected yes or no, got {value!r}"


def parse_numbers(values: list[object], count: int) -> tuple[tuple[float, ...] | None, str | None]:
    """``count`` numbers from one cell ("3x3x2", "(3, 3, 2)", "3 × 3 × 2") or from ``count`` cells."""
    filled = [v for v in values if not is_empty(v)]
    if not filled:
        return None, None
    if len(filled) == 1 and isinstance(filled[0], str) and count > 1:
        err = excel_error(filled[0])
        if err:
            return None, f"the cell shows the Excel error {err}"
        text = filled[0].strip().replace("\u2212", "-")
        text = re.sub(r"[A-Za-z]\s*=\s*", "", text) if "=" in text else text  # "F=3, P=1, S=1"
        text = re.sub(r"\s*\([^\d()]*\)\s*$", "", text)  # an annotation: "3x3x2 (WxHxD)"
        text = text.strip("()[]{} ")
        parts = [p for p in _SEPARATORS.split(text) if p.strip()]
        if len(parts) == count:
            nums = [parse_number(p)[0] for p in parts]
            if all(n is not None for n in nums):
                return tuple(nums), None
        return None, f"expected {count} numbers (such as {'x'.join(['3'] * count)}, or one per cell), got {filled[0]!r}"
    if len(values) >= count and len(filled) == count:
        nums = []
        for v in filled:
            n, problem = parse_number(v)
            if problem:
                return None, problem
            nums.append(n)
        return tuple(nums), None
    if len(filled) == 1:
        return None, f"expected {count} numbers, got {filled[0]!r}"
    return None, f"expected {count} numbers, got {len(filled)} filled cells"
