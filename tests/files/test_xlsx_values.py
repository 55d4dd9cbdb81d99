"""Saving workbooks with cached values (``files.xlsx_values``): each formula xlcnn writes carries
its value (a viewer, a preview or a ``data_only`` reader sees it), of the right type; the same
workbook gives the same bytes on every run; the file is moved into place whole; text from a
student or Moodle that looks like a formula stays text."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlcnn.files.xlsx_values import FIXED_TIME, as_text, save_workbook, sheet_paths

SHEET1 = "xl/worksheets/sheet1.xml"


def book(title: str = "Results"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws["A1"] = 2
    ws["B1"] = "=A1*3"
    return wb


def cached(path: Path, sheet: str, coord: str):
    return openpyxl.load_workbook(path, data_only=True)[sheet][coord].value


def sheet_xml(path: Path, part: str = SHEET1) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


@pytest.mark.parametrize("value, xml, back", [
    (6, '<c r="B1"><f>A1*3</f><v>6</v></c>', 6),
    (6.0, '<c r="B1"><f>A1*3</f><v>6</v></c>', 6),
    (-0.0, '<c r="B1"><f>A1*3</f><v>0</v></c>', 0),
    (2.5, '<c r="B1"><f>A1*3</f><v>2.5</v></c>', 2.5),
    (1e20, '<c r="B1"><f>A1*3</f><v>1e+20</v></c>', 1e20),
    (1e15, '<c r="B1"><f>A1*3</f><v>1000000000000000.0</v></c>', 1e15),
    (True, '<c r="B1" t="b"><f>A1*3</f><v>1</v></c>', True),
    (False, '<c r="B1" t="b"><f>A1*3</f><v>0</v></c>', False),
    ("3x3x2", '<c r="B1" t="str"><f>A1*3</f><v>3x3x2</v></c>', "3x3x2"),
    ("a<b & c", '<c r="B1" t="str"><f>A1*3</f><v>a&lt;b &amp; c</v></c>', "a<b & c"),
], ids=["an int", "a whole float written as an int", "minus zero", "a fraction", "a huge float",
        "a whole float too large for an int", "True", "False", "text", "text with XML characters"])
def test_the_cached_value_is_written_with_its_type(tmp_path, value, xml, back):
    path = tmp_path / "out.xlsx"
    save_workbook(book(), path, {("Results", "B1"): value})
    assert xml in sheet_xml(path)
    got = cached(path, "Results", "B1")
    assert got == back and type(got) is type(back)


def test_the_formula_is_kept_beside_its_value(tmp_path):
    path = tmp_path / "out.xlsx"
    save_workbook(book(), path, {("Results", "B1"): 6})
    assert openpyxl.load_workbook(path)["Results"]["B1"].value == "=A1*3"


def test_only_the_formulas_given_get_a_value(tmp_path):
    wb = book()
    wb.active["C1"] = "=B1+1"
    wb.active["D1"] = 7
    path = tmp_path / "out.xlsx"
    save_workbook(wb, path, {("Results", "B1"): 6, ("Results", "D1"): 99})
    assert [cached(path, "Results", c) for c in ("B1", "C1", "D1")] == [6, None, 7]  # D1 is no formula: kept


def test_values_go_to_the_right_sheet_whatever_its_name(tmp_path):
    wb = book("R&D 'notes'")
    other = wb.create_sheet("Ex1b")
    other["B1"] = "=1+1"
    path = tmp_path / "out.xlsx"
    save_workbook(wb, path, {("R&D 'notes'", "B1"): 6, ("Ex1b", "B1"): 2})
    assert (cached(path, "R&D 'notes'", "B1"), cached(path, "Ex1b", "B1")) == (6, 2)


def test_a_value_for_an_unknown_sheet_fails_and_leaves_no_file(tmp_path):
    path = tmp_path / "out.xlsx"
    with pytest.raises(KeyError, match="Nowhere"):
        save_workbook(book(), path, {("Nowhere", "B1"): 6})
    assert list(tmp_path.iterdir()) == []


def test_the_same_workbook_gives_the_same_bytes(tmp_path):
    wb = book()
    save_workbook(wb, tmp_path / "one.xlsx", {("Results", "B1"): 6})
    wb.properties.created = datetime.datetime(2031, 5, 6, 7, 8, 9)  # a re-run a day later: nothing changes
    save_workbook(wb, tmp_path / "two.xlsx", {("Results", "B1"): 6})
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2024, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
        core = zf.read("docProps/core.xml").decode()
    assert core.count(FIXED_TIME) == 2  # created and modified


def test_reproducible_without_values(tmp_path):
    wb = book()
    save_workbook(wb, tmp_path / "one.xlsx")
    wb.properties.created = datetime.datetime(2031, 5, 6, 7, 8, 9)
    save_workbook(wb, tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    assert cached(tmp_path / "one.xlsx", "Results", "B1") is None


def test_not_reproducible_keeps_the_real_times_and_still_caches(tmp_path):
    wb = book()
    wb.properties.created = datetime.datetime(2031, 5, 6, 7, 8, 9)
    save_workbook(wb, tmp_path / "out.xlsx", {("Results", "B1"): 6}, reproducible=False)
    assert cached(tmp_path / "out.xlsx", "Results", "B1") == 6
    with zipfile.ZipFile(tmp_path / "out.xlsx") as zf:
        core = zf.read("docProps/core.xml").decode()
    assert FIXED_TIME not in core and "2031-05-06T07:08:09Z" in core


def test_a_plain_save_when_neither_values_nor_reproducible(tmp_path):
    save_workbook(book(), tmp_path / "out.xlsx", reproducible=False)
    with zipfile.ZipFile(tmp_path / "out.xlsx") as zf:
        assert FIXED_TIME not in zf.read("docProps/core.xml").decode()
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Results"]["B1"].value == "=A1*3"


def test_the_old_file_is_replaced_whole_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "feedback" / "out.xlsx"
    save_workbook(book(), path, {("Results", "B1"): 6})
    save_workbook(book(), path, {("Results", "B1"): 7})
    assert cached(path, "Results", "B1") == 7
    assert [p.name for p in path.parent.iterdir()] == ["out.xlsx"]


# ------------------------------------------------------------------ sheet parts


def _zip(workbook: str, rels: str) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
    return zipfile.ZipFile(buf)


def test_sheet_paths_follow_the_relationships_relative_or_absolute():
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    workbook = (f'<workbook {ns}><sheets><sheet name="Ex1a" sheetId="1" r:id="rId2"/>'
                '<sheet name="R&amp;D" sheetId="2" r:id="rId1"/>'
                '</sheets></workbook>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="/xl/worksheets/sheetB.xml"/>'
            '<Relationship Id="rId2" Target="worksheets/sheetA.xml"/></Relationships>')
    assert sheet_paths(_zip(workbook, rels)) == {"Ex1a": "xl/worksheets/sheetA.xml",
                                                 "R&D": "xl/worksheets/sheetB.xml"}


# ------------------------------------------------------------------ text that looks like a formula


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = '=HYPERLINK("http://evil.example","Ada")'  # a participant's name from Moodle
    ws["A2"] = "=1+1"
    ws["A3"] = "Ada Lovelace"
    ws["A4"] = 3
    as_text(ws)
    assert [ws[c].data_type for c in ("A1", "A2", "A3", "A4")] == ["s", "s", "s", "n"]
    assert len(ws._cells) == 4  # no cell created
    save_workbook(wb, tmp_path / "out.xlsx")
    xml = sheet_xml(tmp_path / "out.xlsx")
    assert "<f>" not in xml
    back = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert back["A1"].value == '=HYPERLINK("http://evil.example","Ada")' and back["A1"].data_type == "s"
    assert back["A4"].value == 3
