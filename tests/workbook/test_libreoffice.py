"""With a real LibreOffice: formulas recalculated, files saved by LibreOffice, rows inserted."""

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import RIGHT, fill, lo_convert, lo_edit, make_submission
from xlcnn.cli import main
from xlcnn.files.libreoffice import convert_to_xlsx
from xlcnn.files.opening import open_workbook
from xlcnn.files.xlsx_values import save_workbook
from xlcnn.layout.regions import RegionId
from xlcnn.workbook.checking import check_file
from xlcnn.workbook.questions import questions
from xlcnn.workbook.reading import read_workbook


@pytest.fixture
def solution(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["template", "-o", str(tmp_path / "stud.xlsx")]).exit_code == 0
    assert runner.invoke(main, ["solve", str(tmp_path / "stud.xlsx"), "-o", str(tmp_path / "sol.xlsx")]).exit_code == 0
    return tmp_path / "sol.xlsx"


def test_every_solution_formula_recalculated_by_libreoffice_equals_the_core(soffice, tmp_path, solution):
    # forge one cached value first: in always-recalculate mode LibreOffice must not keep it
    wb = openpyxl.load_workbook(solution)
    forged = tmp_path / "forged.xlsx"
    save_workbook(wb, forged, {("Ex1a", "C10"): 999})
    [res] = convert_to_xlsx([forged], tmp_path / "lo", recalc_all=True)
    assert res.error is None
    recalculated = openpyxl.load_workbook(res.output, data_only=True)
    reading = read_workbook(open_workbook(solution))
    compared = 0
    for q in questions(reading):
        for coord, formula, expected in zip(q.cells, q.formulas,
                                            q.expected if q.kind == "values" else [q.expected] * len(q.cells),
                                            strict=False):
            if not formula:
                continue
            got = recalculated[q.area.sheet][coord].value
            if q.kind == "values" or q.kind == "number":
                assert got == pytest.approx(expected), (q.id, coord, formula)
            elif q.kind == "yesno":
                assert got == ("yes" if expected else "no"), (q.id, coord)
            elif q.kind == "shape":
                assert got == "x".join(map(str, expected)), (q.id, coord)
            compared += 1
    # 19 1D outputs, 5 sizes, 5 yes/no, 1 maps, 2 volumes, 18 2D outputs: every formula cell
    assert compared == 19 + 5 + 5 + 1 + 2 + 18


def test_rows_and_columns_inserted_in_libreoffice_still_read_through_names(uno_python, tmp_path, solution):
    stud = tmp_path / "stud.xlsx"
    moved = lo_edit(uno_python, stud, tmp_path / "moved.xlsx",
                    [["insert_rows", "Ex1a", 3, 3], ["insert_rows", "Ex1b", 12, 2], ["unprotect", "Ex1b"],
                     ["insert_columns", "Ex1b", 0, 2]])
    reading = read_workbook(open_workbook(moved))
    assert reading.areas[RegionId.parse("conv1d.input")].range_text() == "C8:I8"
    assert reading.areas[RegionId.parse("conv2d.input[1]")].range_text() == "D7:H11"
    assert reading.areas[RegionId.parse("conv2d.filters[1][1]")].range_text() == "D17:F19"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(moved), "-o", str(tmp_path / "moved-sol.xlsx")]).exit_code == 0
    assert check_file(tmp_path / "moved-sol.xlsx").all_right


def test_files_saved_by_libreoffice_xlsx_ods_xls(soffice, uno_python, tmp_path):
    filled = make_submission(tmp_path)
    saved = lo_edit(uno_python, filled, tmp_path / "saved-by-lo.xlsx", [["set", "Ex1a", "K1", "a note"]])
    assert check_file(saved).all_right
    for fmt in ("ods", "xls"):
        other = lo_convert(soffice, filled, fmt, tmp_path / fmt)
        before = other.read_bytes()
        report = check_file(other)
        assert report.all_right, (fmt, [(q.id, q.status) for q in report.questions if q.status != "right"])
        assert other.read_bytes() == before
    # a misnamed .ods is still read as what it is
    misnamed = tmp_path / "really-ods.xlsx"
    misnamed.write_bytes((tmp_path / "ods" / "filled.ods").read_bytes())
    assert check_file(misnamed).all_right


def _formula_answers(tmp_path):
    """A student who answered with formulas: openpyxl saves them without cached values."""
    from xlcnn.handout.build import build_workbook
    from xlcnn.handout.examples import load_example

    wb = build_workbook(load_example())
    fill(wb, RIGHT)
    ws = wb["Ex1a"]
    ws["C10"] = "=SUMPRODUCT(C5:E5,$C$6:$E$6)+$C$7"  # y[0] of case 1, as a formula
    ws["C11"] = "=COUNT(C10:G10)"
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    return path


def test_formulas_without_cached_values_are_recalculated(soffice, tmp_path):
    path = _formula_answers(tmp_path)
    assert open_workbook(path).uncalculated() == [("Ex1a", "C10"), ("Ex1a", "C11")]
    report = check_file(path)
    assert report.all_right and report.recalculated


def test_formulas_without_cached_values_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("XLCNN_SOFFICE", str(tmp_path / "no-soffice"))
    report = check_file(_formula_answers(tmp_path))
    status = {q.id: q for q in report.questions}
    assert status["a.case1.output"].status == "not calculated"
    assert status["a.case1.output"].cells[0].detail == "not calculated — open and save it in Excel or LibreOffice"
    assert not report.all_right and not report.recalculated
