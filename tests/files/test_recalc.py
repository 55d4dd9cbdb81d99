"""Which files go through LibreOffice before they are read (``files.recalc``): an .ods or .xls
always; an .xlsx whose formulas lack a cached value with ``--recalc auto``; every workbook with
``always``, none with ``never``; a damaged or refused file is the loader's to report, so the probe
says no. And the book read from LibreOffice's copy, known by the original's name and type."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support.hostile import add_part, patch
from xlcnn.files.recalc import needs_recalculation, recalculated_book
from xlcnn.grading.isolation import SubmissionTimeout
from xlcnn.files.xlsx_values import save_workbook

SHEET = "xl/worksheets/sheet1.xml"
CFB = bytes.fromhex("D0CF11E0A1B11AE1")


def _book(formula: bool = True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ex1a"
    ws["A1"] = 2
    if formula:
        ws["B1"] = "=A1*3"
    return wb


def cached(path: Path) -> Path:
    """An .xlsx whose formula has its value cached (as Excel saves it)."""
    save_workbook(_book(), path, {("Ex1a", "B1"): 6})
    return path


def uncached(path: Path) -> Path:
    """An .xlsx whose formula has no cached value (as openpyxl or a script saves it)."""
    _book().save(path)
    return path


def values_only(path: Path) -> Path:
    _book(formula=False).save(path)
    return path


def edited(path: Path, make, change) -> Path:
    """``make``'s file with its first sheet's XML changed by ``change``."""
    make(path)
    path.write_bytes(patch(path.read_bytes(), SHEET, change))
    return path


def empty_value(path: Path) -> Path:  # <f>..</f><v></v>
    return edited(path, cached, lambda xml: xml.replace("<v>6</v>", "<v></v>"))


def shared_formula_without_value(path: Path) -> Path:  # <f t="shared" .../></c>
    return edited(path, cached, lambda xml: xml.replace("<f>A1*3</f><v>6</v>", '<f t="shared" si="0"/>'))


def macro_enabled(path: Path) -> Path:
    uncached(path)
    path.write_bytes(patch(path.read_bytes(), "[Content_Types].xml",
                           lambda xml: xml.replace("sheet.main+xml", "sheet.macroEnabled.main+xml")))
    return path


def ods(path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    path.write_bytes(buf.getvalue())
    return path


def xls(path: Path) -> Path:
    path.write_bytes(CFB + bytes(504))
    return path


def encrypted(path: Path) -> Path:
    path.write_bytes(CFB + bytes(64) + "EncryptedPackage".encode("utf-16-le") + bytes(64))
    return path


@pytest.mark.parametrize("make, auto, always, never", [
    (cached, False, True, False),
    (values_only, False, True, False),
    (uncached, True, True, False),
    (empty_value, True, True, False),
    (shared_formula_without_value, True, True, False),
    (macro_enabled, True, True, False),
    (ods, True, True, True),
    (xls, True, True, True),
], ids=["cached values present", "no formulas", "formulas without cached values", "an empty cached value",
        "a shared formula without a value", "an .xlsm without cached values", "an .ods", "an .xls"])
def test_which_files_go_through_libreoffice(tmp_path, make, auto, always, never):
    path = make(tmp_path / "book.xlsx")
    assert [needs_recalculation(path, mode) for mode in ("auto", "always", "never")] == [auto, always, never]


def test_auto_is_the_default(tmp_path):
    assert needs_recalculation(uncached(tmp_path / "a.xlsx")) is True
    assert needs_recalculation(cached(tmp_path / "b.xlsx")) is False


def test_the_bytes_decide_not_the_extension(tmp_path):
    assert needs_recalculation(ods(tmp_path / "renamed.xlsx"), "never") is True
    assert needs_recalculation(cached(tmp_path / "renamed.ods"), "auto") is False


def truncated(path: Path) -> Path:
    data = uncached(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def climbing(path: Path) -> Path:
    data = uncached(path).read_bytes()
    path.write_bytes(add_part(data, "../../escaped.txt", b"x"))
    return path


def text(path: Path) -> Path:
    path.write_text("name,answer\nAda,5\n")
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def missing(path: Path) -> Path:
    return path


@pytest.mark.parametrize("make", [empty, text, truncated, climbing, missing],
                         ids=["an empty file", "a text file named .xlsx", "a truncated zip",
                              "a zip member climbing out ('..')", "no such file"])
def test_a_damaged_or_refused_file_says_no_the_loader_reports_it(tmp_path, make):
    path = make(tmp_path / "book.xlsx")
    assert needs_recalculation(path, "auto") is False


@pytest.mark.parametrize("mode", ["auto", "always", "never"])
def test_an_encrypted_file_is_not_sent_to_libreoffice(tmp_path, mode):
    # the loader says "password-protected": LibreOffice could not open it either
    assert needs_recalculation(encrypted(tmp_path / "locked.xlsx"), mode) is False


# ------------------------------------------------------------------ the recalculated copy


def test_the_recalculated_book_is_known_by_the_original(tmp_path):
    original = ods(tmp_path / "group07.ods")
    converted = cached(tmp_path / "converted.xlsx")
    book = recalculated_book(original, converted)
    assert book.path == original and book.name == "group07.ods"
    assert book.kind == "ods" and book.converted is True
    assert book.value("Ex1a", "B1") == 6  # what LibreOffice computed
    assert book.formula("Ex1a", "B1") == "=A1*3"


def test_references_outside_the_workbook_are_those_of_both_files(tmp_path):
    wb = _book()
    wb.active["C1"] = '=WEBSERVICE("http://example.org/answers")'
    wb.save(tmp_path / "group07.xlsx")
    wb = _book()
    wb.active["C1"] = '=DDE("excel","sheet","A1")'
    save_workbook(wb, tmp_path / "converted.xlsx", {("Ex1a", "B1"): 6, ("Ex1a", "C1"): 0})
    book = recalculated_book(tmp_path / "group07.xlsx", tmp_path / "converted.xlsx")
    assert book.external == ["DDE", "WEBSERVICE"]
    assert book.kind == "xlsx"


@pytest.mark.parametrize("error", [SubmissionTimeout(), MemoryError()], ids=["the timer", "the memory limit"])
def test_the_probe_lets_the_limits_through(tmp_path, monkeypatch, error):
    def probe(path, recalc):
        raise error

    monkeypatch.setattr("xlcnn.files.recalc.needs_libreoffice", probe)
    with pytest.raises(type(error)):
        needs_recalculation(uncached(tmp_path / "book.xlsx"), "auto")
