"""Opening a student's workbook as a hostile file (``files.opening``): the real type is sniffed from
the bytes whatever the extension says; a file that is no workbook, is encrypted, breaks the zip
limits, declares XML entities or merges millions of cells is refused with a message naming the file
and the reason, before any XML parser sees it; cached values of formula cells are read from the
sheet XML with the type ``data_only`` would give; a sheet too large to load is left out with its
size, hyperlinks over whole columns are dropped from a sanitised copy (the original is never
touched); references outside the workbook are noticed; ``precheck`` guards LibreOffice and
``needs_libreoffice`` says which files must be recalculated first."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from tests.support.hostile import add_part, big_sheet_xml, declare, patch, raw_zip, rezip, set_cell, with_sheets
from xlcnn.errors import UnsafeFileError, WorkbookError
from xlcnn.files import opening
from xlcnn.files.opening import (
    Book,
    cached_values,
    check_parts,
    needs_libreoffice,
    open_workbook,
    precheck,
    sniff,
)
from xlcnn.files.safezip import ZipLimits

SHEET1 = "xl/worksheets/sheet1.xml"
CFB = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
DTD = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'


# ------------------------------------------------------------------ factories

def xlsx(cells: dict[str, object] | None = None, title: str = "Ex1", **others: dict[str, object]) -> bytes:
    """An .xlsx saved by openpyxl: sheet ``title`` with ``cells`` (A1=2, B1="=A1*3" by default), then
    one sheet per keyword argument (name -> cells)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for coord, value in (cells if cells is not None else {"A1": 2, "B1": "=A1*3"}).items():
        ws[coord] = value
    for name, more in others.items():
        sheet = wb.create_sheet(name)
        for coord, value in more.items():
            sheet[coord] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_cells(data: bytes, bodies: dict[str, str], part: str = SHEET1) -> bytes:
    """``data`` with cells of ``part`` rewritten: coord -> the XML after ``<c r="..."`` (attributes,
    ``>`` and body), as Excel or LibreOffice would have saved it."""
    def change(text: str) -> str:
        for coord, body in bodies.items():
            text = set_cell(text, coord, body)
        return text
    return patch(data, part, change)


def in_sheet(data: bytes, before: str, xml: str, part: str = SHEET1) -> bytes:
    """``data`` with ``xml`` inserted in ``part`` just before the tag ``before``."""
    return patch(data, part, lambda t: t.replace(before, xml + before, 1))


def without(data: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist() if info.filename != part]
    return rezip(members)


def member_size(data: bytes, part: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.getinfo(part).file_size


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ods(content: bytes = b"<office:document-content/>") -> bytes:
    return rezip([("mimetype", ODS_MIME), ("content.xml", content)])


def macro_types(data: bytes) -> bytes:
    return patch(data, "[Content_Types].xml",
                 lambda t: t.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                       "application/vnd.ms-excel.sheet.macroEnabled.main+xml"))


CACHED = with_cells(xlsx(), {"B1": "><f>A1*3</f><v>6</v>"})  # as Excel saves it: the formula and its value


# ------------------------------------------------------------------ sniffing the real type

@pytest.mark.parametrize("name, data, kind", [
    ("answers.xlsx", xlsx(), "xlsx"),
    ("answers.ods", xlsx(), "xlsx"),
    ("answers.xls", xlsx(), "xlsx"),
    ("answers.xlsx", macro_types(xlsx()), "xlsm"),
    ("answers.xlsx", add_part(xlsx(), "xl/vbaProject.bin", b"Sub Auto_Open()"), "xlsm"),
    ("answers.xlsx", ods(), "ods"),
    ("answers.xlsx", CFB + b"\0" * 504, "xls"),
    ("answers.xls", CFB + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"), "encrypted"),
    ("answers.xlsx", CFB + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
], ids=["an xlsx", "an xlsx renamed .ods", "an xlsx renamed .xls", "macro-enabled content type",
        "a VBA project without the content type", "an ods renamed .xlsx", "an OLE file is an old xls",
        "an OLE file with EncryptionInfo", "an OLE file with an EncryptedPackage"])
def test_the_bytes_decide_the_type(tmp_path, name, data, kind):
    assert sniff(write(tmp_path, name, data)) == kind


@pytest.mark.parametrize("data, match", [
    (b"", r"not a workbook \(the file is empty\)"),
    (b"a,b\n1,2\n" * 100, r"not a workbook \(neither an Excel nor an OpenDocument file\)"),
    (b"%PDF-1.4\n" + bytes(range(256)), r"neither an Excel nor an OpenDocument file"),
    (rezip([("readme.txt", b"hi")]), r"not a workbook \(a zip archive without \[Content_Types\]\.xml\)"),
    (rezip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")]),
     r"a zip archive without \[Content_Types\]\.xml"),
    (b"PK\x03\x04" + b"\0" * 100, r"not a workbook \(a damaged or truncated zip: "),
    (xlsx()[:2000], r"a damaged or truncated zip"),
], ids=["an empty file", "a CSV called .xlsx", "a PDF called .xlsx", "a zip of text",
        "an OpenDocument text, not a spreadsheet", "a zip signature then zeros", "a truncated xlsx"])
def test_sniff_refuses_what_is_no_workbook_naming_the_file(tmp_path, data, match):
    path = write(tmp_path, "answers.xlsx", data)
    with pytest.raises(WorkbookError, match=match) as err:
        sniff(path)
    assert str(err.value).startswith("answers.xlsx: ") and err.value.path == path


def test_sniff_says_why_a_path_cannot_be_read(tmp_path):
    with pytest.raises(WorkbookError, match=r"cannot be read \(Is a directory\)"):
        sniff(tmp_path)


# ------------------------------------------------------------------ refusals when opening

@pytest.mark.parametrize("data, limits, error, match", [
    (CFB + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"), None, WorkbookError,
     r"password-protected \(encrypted\); save it without a password"),
    (b"a;b\n1;2\n", None, WorkbookError, r"neither an Excel nor an OpenDocument file"),
    (raw_zip([(b"[Content_Types].xml", b"<a/>", 0, 99), (b"xl/workbook.xml", b"<a/>", 0, 99)]), None,
     WorkbookError, r"not a readable workbook, a damaged or unusual zip \(NotImplementedError: "),
    (without(xlsx(), "xl/workbook.xml"), None, WorkbookError,
     r"not a workbook \(missing part .*xl/workbook\.xml"),
    (add_part(xlsx(), "../../escaped.txt", b"x"), None, UnsafeFileError,
     r"member '\.\./\.\./escaped\.txt' refused: a path that climbs out of the archive"),
    (declare(xlsx(), SHEET1, 200), None, UnsafeFileError,
     r"member 'xl/worksheets/sheet1\.xml' declares 200 bytes but holds .* \(a forged zip header\)"),
    (xlsx(), ZipLimits(max_members=5), UnsafeFileError, r"9 members in the archive, more than the limit of 5"),
    (xlsx(), ZipLimits(max_member=300), UnsafeFileError, r"expands to [\d,]+ bytes, more than the limit of 300"),
    (patch(xlsx(), SHEET1, lambda t: DTD + t), None, UnsafeFileError,
     r"refused, its XML declares entities or a DTD \(part 'xl/worksheets/sheet1\.xml'\) \(possible XML attack\)"),
    (patch(xlsx(), "xl/workbook.xml", lambda t: '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">' + t), None,
     UnsafeFileError, r"declares entities or a DTD \(part 'xl/workbook\.xml'\)"),
    (in_sheet(xlsx(), "<pageMargins", '<mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>'),
     None, UnsafeFileError,
     r"refused, xl/worksheets/sheet1\.xml merges K1:XFD1048576 \(17,169,383,424 cells\), "
     r"more than the limit of 100,000"),
], ids=["encrypted", "a CSV", "an unknown compression method", "no workbook.xml", "path traversal",
        "a forged size in a header", "more members than the limit", "a member over the size limit",
        "a DTD with entities in a sheet", "an external DTD in workbook.xml", "a merge over a whole sheet"])
def test_open_workbook_refuses_a_hostile_or_broken_file(tmp_path, data, limits, error, match):
    path = write(tmp_path, "student.xlsx", data)
    with pytest.raises(error, match=match) as err:
        open_workbook(path, limits) if limits else open_workbook(path)
    assert str(err.value).startswith("student.xlsx: ")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(WorkbookError, match=r"gone\.xlsx: no such file"):
        open_workbook(tmp_path / "gone.xlsx")


def test_a_workbook_missing_its_sheet_part_is_refused_as_damaged(tmp_path):
    path = write(tmp_path, "student.xlsx", without(xlsx(), SHEET1))
    with pytest.raises(WorkbookError, match=r"missing part"):
        open_workbook(path)


def test_an_ods_is_refused_by_the_precheck_before_libreoffice_sees_it(tmp_path, monkeypatch):
    from xlcnn.files import libreoffice

    def never(*args, **kwargs):
        raise AssertionError("LibreOffice was started on a file the precheck should refuse")

    monkeypatch.setattr(libreoffice, "convert_to_xlsx", never)
    path = write(tmp_path, "student.ods", ods(DTD.encode() + b"<office:document-content/>"))
    with pytest.raises(UnsafeFileError, match=r"student\.ods: refused, its XML declares entities or a DTD "
                                              r"\(part 'content\.xml'\)"):
        open_workbook(path)


# ------------------------------------------------------------------ check_parts on its own

def merge(ref: str) -> bytes:
    return f'<worksheet><sheetData/><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells></worksheet>'.encode()


@pytest.mark.parametrize("parts", [
    {SHEET1: merge("A1:J10000")},
    {SHEET1: merge("B2:C3")},
    {"xl/comments1.xml": merge("A:XFD")},
    {"xl/sharedStrings.xml": b"<sst><si><t>&lt;!DOCTYPE is text here</t></si></sst>"},
], ids=["a merge of exactly 100,000 cells", "a small merge", "a merge-like tag outside a worksheet",
        "an escaped DOCTYPE in text"])
def test_check_parts_lets_legal_parts_through(parts):
    check_parts(parts, "student.xlsx")


@pytest.mark.parametrize("parts, match", [
    ({SHEET1: merge("A1:J10001")}, r"merges A1:J10001 \(100,010 cells\), more than the limit of 100,000"),
    ({SHEET1: merge("A:B")}, r"merges A:B \(whole rows or columns\)"),
    ({SHEET1: merge("1:3")}, r"merges 1:3 \(whole rows or columns\)"),
    ({SHEET1: merge("nonsense")}, r"refused, xl/worksheets/sheet1\.xml merges 'nonsense', which is not a range"),
    ({"docProps/core.xml": b'<?xml version="1.0"?><!ENTITY a "b"><x/>'},
     r"declares entities or a DTD \(part 'docProps/core\.xml'\)"),
    ({"xl/_rels/workbook.xml.rels": b"<!DOCTYPE r><Relationships/>"},
     r"declares entities or a DTD \(part 'xl/_rels/workbook\.xml\.rels'\)"),
], ids=["a merge one row over the limit", "whole columns", "whole rows", "a merged range that is no range",
        "an entity without a DTD", "a DTD in a relationships part"])
def test_check_parts_refuses_before_any_parser(parts, match):
    with pytest.raises(UnsafeFileError, match=r"^student\.xlsx: .*" + match):
        check_parts(parts, "student.xlsx")


def test_a_merged_range_that_is_no_range_is_worded_for_a_person():
    with pytest.raises(UnsafeFileError, match=r"^student\.xlsx: refused, xl/worksheets/sheet1\.xml merges "
                                              r"'nonsense', which is not a range"):
        check_parts({SHEET1: merge("nonsense")}, "student.xlsx")


def test_check_parts_reads_the_parts_of_a_zip_itself(tmp_path):
    path = write(tmp_path, "s.xlsx", in_sheet(xlsx(), "<pageMargins",
                                              '<mergeCells count="1"><mergeCell ref="A1:Z5000"/></mergeCells>'))
    with zipfile.ZipFile(path) as zf, pytest.raises(UnsafeFileError, match=r"\(130,000 cells\)"):
        check_parts(zf, "s.xlsx")


# ------------------------------------------------------------------ cached values (what data_only gives)

@pytest.mark.parametrize("body, value", [
    ("><f>A1*3</f><v>6</v>", 6),
    ("><f>-A1</f><v>-2</v>", -2),
    ("><f>A1/4</f><v>0.5</v>", 0.5),
    ("><f>A1*3</f><v>6.0</v>", 6.0),
    ("><f>A1*1000</f><v>2E3</v>", 2000.0),
    (' t="str"><f>"3x3x"&amp;A1</f><v>3x3x2</v>', "3x3x2"),
    (' t="str"><f>"a"</f><v>a&lt;b &amp; c</v>', "a<b & c"),
    (' t="b"><f>A1&gt;1</f><v>1</v>', True),
    (' t="b"><f>A1&gt;5</f><v>0</v>', False),
    (' t="e"><f>1/0</f><v>#DIV/0!</v>', "#DIV/0!"),
    ("><f>A1*3</f><v />", None),
    ("><f>A1*3</f>", None),
    ("><f>A1*3</f><v>oops</v>", None),
], ids=["an int", "a negative int", "a fraction", "a whole number written with a point stays a float",
        "an exponent gives a float", "text", "text with XML characters", "TRUE", "FALSE", "an error value",
        "an empty value element", "no value element", "a number that does not parse"])
def test_the_cached_value_of_a_formula_cell_has_its_type(tmp_path, body, value):
    book = open_workbook(write(tmp_path, "s.xlsx", with_cells(xlsx(), {"B1": body})))
    got = book.value("Ex1", "B1")
    assert got == value and type(got) is type(value)
    assert book.formula("Ex1", "B1") is not None  # still read as a formula


@pytest.mark.parametrize("body, value", [
    (' t="str"><f>"say ""hi"""</f><v>say &quot;hi&quot;</v>', 'say "hi"'),
    (' t="str"><f>"a"&amp;CHAR(10)&amp;"b"</f><v>a&#10;b</v>', "a\nb"),
], ids=["a quote escaped as &quot;", "a newline as a character reference"])
def test_cached_text_is_decoded_as_an_xml_parser_would(tmp_path, body, value):
    book = open_workbook(write(tmp_path, "s.xlsx", with_cells(xlsx(), {"B1": body})))
    assert book.value("Ex1", "B1") == value


def test_a_rich_text_cell_is_no_formula(tmp_path):
    rich = ' t="inlineStr"><is><r><rPr><rFont val="Calibri"/><family val="2"/></rPr><t>Hello</t></r></is>'
    book = open_workbook(write(tmp_path, "s.xlsx", with_cells(xlsx({"A1": 2, "C1": 0}), {"C1": rich})))
    assert book.value("Ex1", "C1") == "Hello"


def test_cached_values_reads_prefixed_xml_and_every_formula_sheet(tmp_path):
    sheet = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:cols>'
             '<x:col min="1" max="3" width="9"/></x:cols><x:sheetData><x:row r="1">'
             '<x:c r="A1"><x:v>4</x:v></x:c><x:c r="B1"><x:f>A1+1</x:f><x:v>5</x:v></x:c>'
             '<x:c r="C1" t="str"><x:f>"k"</x:f><x:v>k</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    data = patch(xlsx({"A1": 1}, Two={"A1": 0}), SHEET1, lambda t: sheet)
    data = with_cells(data, {"A1": "><f>1+1</f><v>2</v>"}, part="xl/worksheets/sheet2.xml")
    assert cached_values(write(tmp_path, "s.xlsx", data)) == {
        ("Ex1", "B1"): 5, ("Ex1", "C1"): "k", ("Two", "A1"): 2}


# ------------------------------------------------------------------ reading cells from a Book

@pytest.fixture
def book(tmp_path) -> Book:
    cells = {"A1": 2, "B1": "=A1*3", "C1": ArrayFormula("C1:C2", "=A1:A2*2"), "D1": "hi",
             "E1": "x" * 2500, "F1": "y" * 2000}
    return open_workbook(write(tmp_path, "s.xlsx", with_cells(xlsx(cells), {"B1": "><f>A1*3</f><v>6</v>"})))


@pytest.mark.parametrize("coord, value, formula", [
    ("A1", 2, None),
    ("B1", 6, "=A1*3"),
    ("C1", None, "=A1:A2*2"),
    ("D1", "hi", None),
    ("E1", "x" * 2000 + "… (2,500 characters)", None),
    ("F1", "y" * 2000, None),
    ("Z99", None, None),
], ids=["a number", "a formula with its cached value", "an array formula not yet calculated", "text",
        "text over 2,000 characters is cut with its length", "text of exactly 2,000 characters is whole",
        "a cell the file does not hold"])
def test_a_cell_reads_as_a_viewer_shows_it(book, coord, value, formula):
    assert book.value("Ex1", coord) == value
    assert book.formula("Ex1", coord) == formula


def test_reading_a_cell_never_creates_it(book):
    before = len(book.workbook["Ex1"]._cells)
    assert book.value("Ex1", "XFD1048576") is None and book.formula("Ex1", "Q7") is None
    assert len(book.workbook["Ex1"]._cells) == before


def test_an_unknown_sheet_is_openpyxls_own_error(book):
    with pytest.raises(KeyError, match="Worksheet Nope does not exist"):
        book.value("Nope", "A1")


def test_a_formula_the_scan_did_not_see_has_no_value(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Ex1"
    wb.active["B1"] = "=1+1"
    assert Book(tmp_path / "x.xlsx", wb, {}, "xlsx").value("Ex1", "B1") is None


def test_uncalculated_lists_the_formulas_without_a_cached_value(tmp_path):
    data = xlsx({"A1": 2, "B1": "=A1*3", "C1": "=A1*4", "D1": "=A1-2", "E1": "=A1>5", "F1": "text"},
                Two={"A1": "=1+1"})
    data = with_cells(data, {"B1": "><f>A1*3</f><v>6</v>", "D1": "><f>A1-2</f><v>0</v>",
                             "E1": ' t="b"><f>A1&gt;5</f><v>0</v>'})
    book = open_workbook(write(tmp_path, "s.xlsx", data))
    assert book.uncalculated() == [("Ex1", "C1"), ("Two", "A1")]
    assert (book.name, book.kind, book.sheet_names()) == ("s.xlsx", "xlsx", ["Ex1", "Two"])
    assert (book.converted, book.notes, book.skipped, book.external) == (False, [], {}, [])


def test_a_macro_workbook_opens_as_xlsm_without_its_macros(tmp_path):
    data = add_part(macro_types(xlsx()), "xl/vbaProject.bin", b"Sub Auto_Open()\nEnd Sub\n")
    book = open_workbook(write(tmp_path, "s.xlsx", data))
    assert book.kind == "xlsm" and book.workbook.vba_archive is None


# ------------------------------------------------------------------ big sheets and wide hyperlinks

def test_a_sheet_over_8_mb_is_left_out_with_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    data = with_cells(with_sheets(xlsx(), {"Notes": big_sheet_xml(9)}), {"B1": "><f>A1*3</f><v>6</v>"})
    size = member_size(data, "xl/worksheets/sheet2.xml")
    assert 9 * 2**20 <= size < 9.5 * 2**20
    path = write(tmp_path, "big.xlsx", data)
    book = open_workbook(path)
    assert book.skipped == {"Notes": size}
    assert book.notes == ["big.xlsx: sheet 'Notes' (9 MB) is larger than the 8 MB a sheet may have and was not read"]
    assert book.sheet_names() == ["Ex1", "Notes"]  # kept by name, so a region on it is an error
    assert book.workbook["Notes"]._cells == {} and book.value("Notes", "A1") is None
    assert book.value("Ex1", "B1") == 6  # the other sheets are read as usual
    assert path.read_bytes() == data  # the original is never modified
    assert list((tmp_path / "tmp").iterdir()) == []  # the sanitised copy is removed


@pytest.mark.parametrize("excess, skipped", [(0, False), (1, True)],
                         ids=["a sheet of exactly the limit is read", "one byte over is left out"])
def test_the_sheet_limit_is_a_strict_bound(tmp_path, monkeypatch, excess, skipped):
    data = xlsx({"A1": 1}, Other={"A1": 7, "B1": 8, "C1": 9})
    monkeypatch.setattr(opening, "MAX_SHEET_BYTES", member_size(data, "xl/worksheets/sheet2.xml") - excess)
    assert member_size(data, SHEET1) < opening.MAX_SHEET_BYTES  # the first sheet is read either way
    book = open_workbook(write(tmp_path, "s.xlsx", data))
    assert ("Other" in book.skipped) is skipped
    assert book.value("Other", "A1") == (None if skipped else 7)


def hyperlink(ref: str) -> bytes:
    return in_sheet(xlsx(), "<pageMargins", f'<hyperlinks><hyperlink ref="{ref}" location="Ex1!A1"/></hyperlinks>')


@pytest.mark.parametrize("ref, dropped", [
    ("A1", False),
    ("A1:A10000", False),
    ("A1:A10001", True),
    ("K1:XFD1048576", True),
    ("A:A", True),
    ("nonsense", True),
], ids=["one cell", "exactly 10,000 cells", "10,001 cells", "a whole block of columns", "a whole column",
        "a reference that is no range"])
def test_hyperlinks_over_too_many_cells_are_dropped_with_a_note(tmp_path, ref, dropped):
    path = write(tmp_path, "link.xlsx", hyperlink(ref))
    book = open_workbook(path)
    ws = book.workbook["Ex1"]
    assert (ws["A1"].hyperlink is None) is dropped
    assert book.notes == (["link.xlsx: sheet 'Ex1': hyperlinks over whole rows or columns were ignored"]
                          if dropped else [])
    assert book.value("Ex1", "A1") == 2 and book.skipped == {}


# ------------------------------------------------------------------ references outside the workbook

@pytest.mark.parametrize("data, external", [
    (CACHED, []),
    (with_cells(xlsx(), {"B1": ' t="str"><f>WEBSERVICE("http://example.org/x")</f><v>x</v>'}), ["WEBSERVICE"]),
    (with_cells(xlsx(), {"B1": "><f>[1]Sheet1!A1</f><v>3</v>"}), ["a reference to another workbook"]),
    (add_part(CACHED, "xl/externalLinks/externalLink1.xml", b"<externalLink/>"),
     ["an external workbook link (xl/externalLinks/externalLink1.xml)"]),
], ids=["nothing outside", "a WEBSERVICE call", "a formula into another workbook", "an external link part"])
def test_references_outside_the_workbook_are_noticed(tmp_path, data, external):
    assert open_workbook(write(tmp_path, "s.xlsx", data)).external == external


# ------------------------------------------------------------------ precheck (before LibreOffice)

@pytest.mark.parametrize("name, data", [
    ("s.xlsx", xlsx()),
    ("s.ods", ods()),
    ("s.xls", CFB + b"\0" * 504),
    ("s.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
], ids=["a good xlsx", "a good ods", "an OLE file is left to LibreOffice", "an HTML file is no zip to check"])
def test_precheck_lets_through_what_it_has_no_reason_to_refuse(tmp_path, name, data):
    assert precheck(write(tmp_path, name, data)) is None


@pytest.mark.parametrize("name, data, limits, error, match", [
    ("s.ods", ods(b'<!DOCTYPE d [<!ENTITY e "e">]><office:document-content/>'), None, UnsafeFileError,
     r"^s\.ods: refused, its XML declares entities or a DTD \(part 'content\.xml'\)"),
    ("s.ods", ods(b"<c>" + b" " * 1000 + b"</c>"), ZipLimits(max_member=100), UnsafeFileError,
     r"member 'content\.xml' expands to 1,007 bytes, more than the limit of 100"),
    ("s.xlsx", declare(xlsx(), SHEET1, 200), None, UnsafeFileError, r"a forged zip header"),
    ("s.xlsx", in_sheet(xlsx(), "<pageMargins", '<mergeCells><mergeCell ref="A:XFD"/></mergeCells>'), None,
     UnsafeFileError, r"merges A:XFD \(whole rows or columns\)"),
    ("s.ods", b"PK\x03\x04" + b"\0" * 100, None, WorkbookError,
     r"^s\.ods: not a readable workbook, a damaged or unusual zip \(BadZipFile: "),
], ids=["entities in an ods", "an ods member over the limit", "a forged header", "a merge over whole rows",
        "a damaged zip"])
def test_precheck_refuses_before_libreoffice_opens_the_file(tmp_path, name, data, limits, error, match):
    path = write(tmp_path, name, data)
    with pytest.raises(error, match=match):
        precheck(path, limits) if limits else precheck(path)


# ------------------------------------------------------------------ needs_libreoffice

UNCACHED = xlsx()  # openpyxl writes <f>A1*3</f><v /> : no value


@pytest.mark.parametrize("name, data, recalc, needed", [
    ("s.ods", ods(), "auto", True),
    ("s.xls", CFB + b"\0" * 504, "never", True),
    ("s.xlsx", CACHED, "auto", False),
    ("s.xlsx", UNCACHED, "auto", True),
    ("s.xlsx", with_cells(xlsx(), {"B1": "><f>A1*3</f>"}), "auto", True),
    ("s.xlsx", with_cells(xlsx(), {"B1": "><f>A1*3</f><v></v>"}), "auto", True),
    ("s.xlsx", with_cells(xlsx({"A1": 2, "B1": 0, "C1": 0}),
                          {"B1": '><f t="shared" ref="B1:C1" si="0">A1*3</f><v>6</v>',
                           "C1": '><f t="shared" si="0"/>'}), "auto", True),
    ("s.xlsx", with_cells(xlsx({"A1": 2, "B1": 0, "C1": 0}),
                          {"B1": '><f t="shared" ref="B1:C1" si="0">A1*3</f><v>6</v>',
                           "C1": '><f t="shared" si="0"/><v>0</v>'}), "auto", False),
    ("s.xlsx", xlsx({"A1": 2, "B1": "text"}), "auto", False),
    ("s.xlsx", CACHED, "always", True),
    ("s.xlsm", macro_types(CACHED), "always", True),
    ("s.xlsx", UNCACHED, "never", False),
    ("s.xlsx", CFB + b"\0" * 64 + "EncryptionInfo".encode("utf-16-le"), "always", False),
], ids=["an ods always", "an xls even with never", "every formula cached", "an empty value element",
        "no value element", "an empty value pair", "a shared formula without its value",
        "a shared formula with its value", "no formula at all", "always recalculates a cached xlsx",
        "always recalculates an xlsm", "never trusts the file as it is", "an encrypted file is left to the loader"])
def test_which_files_go_through_libreoffice(tmp_path, name, data, recalc, needed):
    assert needs_libreoffice(write(tmp_path, name, data), recalc) is needed


def test_a_sheet_too_large_to_load_is_not_scanned_for_uncached_formulas(tmp_path, monkeypatch):
    data = xlsx({"A1": 1}, Big={"A1": "=1+1"})  # the uncached formula is on sheet2 only
    monkeypatch.setattr(opening, "MAX_SHEET_BYTES", member_size(data, "xl/worksheets/sheet2.xml") - 1)
    assert member_size(data, SHEET1) <= opening.MAX_SHEET_BYTES
    assert needs_libreoffice(write(tmp_path, "s.xlsx", data)) is False


@pytest.mark.parametrize("data, error, match", [
    (b"a,b\n1,2\n", WorkbookError, r"^s\.xlsx: not a workbook \(neither an Excel nor an OpenDocument file\)"),
    (add_part(UNCACHED, "/etc/evil.txt", b"x"), UnsafeFileError, r"member '/etc/evil\.txt' refused: an absolute path"),
], ids=["a CSV", "a zip that breaks the limits"])
def test_needs_libreoffice_raises_on_a_file_that_is_no_safe_workbook(tmp_path, data, error, match):
    with pytest.raises(error, match=match):
        needs_libreoffice(write(tmp_path, "s.xlsx", data))


@pytest.mark.parametrize("at", [0, (1 << 20) - 10, 5 << 20], ids=["at-the-start", "across-a-megabyte-boundary",
                                                                  "deep-in-the-file"])
def test_an_encrypted_ole_file_is_told_wherever_its_marker_stands(tmp_path, at):
    from xlcnn.files.opening import CFB_MAGIC, sniff

    marker = "EncryptedPackage".encode("utf-16-le")
    data = bytearray(CFB_MAGIC + bytes(at + len(marker) + 64))
    data[8 + at:8 + at + len(marker)] = marker
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes(data))
    assert sniff(path) == "encrypted"
    path.write_bytes(CFB_MAGIC + bytes(at + 64))
    assert sniff(path) == "xls"
