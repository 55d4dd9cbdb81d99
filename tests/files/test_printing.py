"""How xlcnn's workbooks print (``files.printing``): the number of lines a wrapped cell needs (the
row height a writer sets), and a sheet's page setup: A4, one page wide, its orientation, print
titles, a header saying what the page is (its "&" kept as text) and "Page n of m" in the footer."""

from __future__ import annotations

import openpyxl
import pytest

from xlcnn.files.printing import PAGE, print_setup, wrapped_lines


@pytest.mark.parametrize("text, width, widen, lines", [
    (None, 10, 1.0, 1), ("", 10, 1.0, 1), ("abc", 10, 1.0, 1), ("a" * 10, 10, 1.0, 1), ("a" * 11, 10, 1.0, 2),
    ("a" * 25, 10, 1.0, 3), ("a\nb", 10, 1.0, 2), ("a" * 25 + "\n" + "b" * 5, 10, 1.0, 4), ("a\n\nb", 10, 1.0, 3),
    ("a" * 10, 10, 1.5, 2), ("a" * 6, 10, 1.5, 1), (12345, 3, 1.0, 2), ("abc", 0, 1.0, 3), ("abc", 0.5, 1.0, 3),
], ids=["nothing", "empty text", "short text", "exactly the width", "one character over", "two and a half widths",
        "two lines", "a long line and a short one", "an empty line between two counts", "a wider font",
        "a wider font that still fits", "a number", "a zero width counts as one character",
        "a width under one counts as one character"])
def test_wrapped_lines(text, width, widen, lines):
    assert wrapped_lines(text, width, widen) == lines


@pytest.fixture
def ws():
    return openpyxl.Workbook().active


def test_the_default_page_setup(ws):
    print_setup(ws, "PW04 Exercise 1 — Group 07 — feedback")
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as tall as needed
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_margins.left, ws.page_margins.right) == (0.4, 0.4)
    assert ws.page_margins.top == pytest.approx(0.6) and ws.page_margins.bottom == pytest.approx(0.6)
    assert ws.print_options.horizontalCentered is True
    assert ws.print_title_rows is None
    assert ws.oddHeader.center.text == "PW04 Exercise 1 — Group 07 — feedback"
    assert ws.oddHeader.center.size == 9
    assert ws.oddFooter.center.text == "Page &P of &N" == PAGE
    assert ws.oddFooter.center.size == 8
    assert ws.evenHeader.center.text == ws.oddHeader.center.text and ws.evenFooter.center.text == PAGE


@pytest.mark.parametrize("options, orientation, tall, titles, side, top", [
    (dict(landscape=True), "landscape", 0, None, 0.4, 0.6),
    (dict(pages_tall=2), "portrait", 2, None, 0.4, 0.6),
    (dict(title_rows="1:4"), "portrait", 0, "$1:$4", 0.4, 0.6),
    (dict(margins=1.0), "portrait", 0, None, 1.0, 1.2),
], ids=["landscape", "at most two pages tall", "print titles repeated on every page", "wider margins"])
def test_the_options(ws, options, orientation, tall, titles, side, top):
    print_setup(ws, "results", **options)
    assert ws.page_setup.orientation == orientation
    assert ws.page_setup.fitToHeight == tall and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == titles
    assert ws.page_margins.left == pytest.approx(side) and ws.page_margins.top == pytest.approx(top)


@pytest.mark.parametrize("purpose, header", [
    ("R&D — Group 07", "R&&D — Group 07"),
    ("A & B & C", "A && B && C"),
    ("x" * 300, "x" * 200),
    ("Résultats — groupe 3", "Résultats — groupe 3"),
], ids=["an ampersand is doubled", "every ampersand is doubled", "a long title is cut to 200 characters",
        "accents and dashes kept"])
def test_the_header_shows_the_purpose_as_text(ws, purpose, header):
    print_setup(ws, purpose)
    assert ws.oddHeader.center.text == header


def test_a_cut_title_never_ends_in_half_an_ampersand(ws):
    print_setup(ws, "x" * 199 + "&B")
    text = ws.oddHeader.center.text
    assert len(text) - len(text.rstrip("&")) != 1


def test_the_setup_survives_a_save(ws, tmp_path):
    print_setup(ws, "PW04 — R&D", landscape=True, pages_tall=1, title_rows="1:2")
    ws["A1"] = "x"
    ws.parent.save(tmp_path / "out.xlsx")
    back = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert back.oddHeader.center.text == "PW04 — R&&D"
    assert back.oddFooter.center.text == PAGE
    assert back.page_setup.orientation == "landscape"
    assert (int(back.page_setup.fitToWidth), int(back.page_setup.fitToHeight)) == (1, 1)
    assert back.print_title_rows == "$1:$2"
