"""How xlcnn's workbooks print: every sheet one page wide, its orientation, print titles on long
tables, and a header and footer that say what the page is ("PW04 Exercise 1 — Group 07 —
feedback", page n of m). Used by every workbook xlcnn writes; no I/O."""

from __future__ import annotations

import math

PAGE = "Page &P of &N"


def wrapped_lines(text: object, width: float, widen: float = 1.0) -> int:
    """How many lines a wrapped cell ``width`` characters wide needs for ``text`` (each of its own
    lines wrapped; ``widen`` > 1 for a font wider than the column's unit). LibreOffice and Excel do
    not grow a row for a wrapped cell a program wrote: the writer sets the height from this."""
    text = "" if text is None else str(text)
    if not text:
        return 1
    return sum(max(1, math.ceil(len(line) * widen / max(width, 1))) for line in text.split("\n"))


def _header_text(text: str) -> str:
    out = text.replace("&", "&&")[:200]  # "&" starts a header code: a title's own "&" is doubled
    return out[:-1] if (len(out) - len(out.rstrip("&"))) % 2 else out  # never half of a doubled "&"


def print_setup(ws, purpose: str, *, landscape: bool = False, pages_tall: int = 0, title_rows: str | None = None,
                margins: float = 0.4) -> None:
    """Set how ``ws`` prints: one page wide (``pages_tall`` pages tall at most, 0 = as many as
    needed), landscape or portrait, ``title_rows`` ("1:4") repeated on every page, and the
    ``purpose`` in the header with the page number in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = margins
    ws.page_margins.top = ws.page_margins.bottom = margins + 0.2
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.center.text = _header_text(purpose)
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = PAGE
    ws.oddFooter.center.size = 8
    ws.evenHeader.center.text, ws.evenFooter.center.text = ws.oddHeader.center.text, PAGE
