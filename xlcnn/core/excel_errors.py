"""Excel's error values, known once: the Excel functions (an error cell as an argument) and the
grader (an answer cell that shows an error) recognise the same ones."""

from __future__ import annotations

EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!",
                          "#CALC!", "#GETTING_DATA", "#FIELD!", "#BUSY!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!",
                          "#PYTHON!", "#TIMEOUT!"})


def excel_error(value: object) -> str | None:
    """The error's name when ``value`` is an Excel error value (as a cell or xlwings shows it), else None."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None
