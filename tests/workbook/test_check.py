"""`xlcnn solve` and `xlcnn check`: round trips, planted mistakes, people's formats, bad files."""

import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import RIGHT, make_submission
from xlcnn import WorkbookError
from xlcnn.cli import main
from xlcnn.files.typed import parse_number, parse_numbers, parse_yes_no
from xlcnn.workbook.checking import check_file


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def statuses(report):
    return {q.id: q.status for q in report.questions}


# ------------------------------------------------------------------ round trip


def test_template_solve_check_is_all_right(tmp_path):
    stud = tmp_path / "stud.xlsx"
    assert run("template", "-o", stud).exit_code == 0
    before = stud.read_bytes()
    result = run("solve", stud, "-o", tmp_path / "sol.xlsx")
    assert result.exit_code == 0, result.output
    assert stud.read_bytes() == before  # the input is never modified
    result = run("check", tmp_path / "sol.xlsx")
    assert result.exit_code == 0, result.output
    assert "all right" in result.output


def test_solution_has_formulas_and_values(tmp_path):
    stud = tmp_path / "stud.xlsx"
    run("template", "-o", stud)
    run("solve", stud, "-o", tmp_path / "sol.xlsx")
    formulas = openpyxl.load_workbook(tmp_path / "sol.xlsx")
    values = openpyxl.load_workbook(tmp_path / "sol.xlsx", data_only=True)
    assert formulas["Ex1a"]["C10"].value == "=SUMPRODUCT('Ex1a'!$C$6:$E$6,'Ex1a'!$C$5:$E$5)+'Ex1a'!$C$7"
    assert values["Ex1a"]["C10"].value == -2
    # case 5 (S=4, P=1): the first window starts on a padding zero, the note says the filter does not fit
    assert formulas["Ex1a"]["C34"].value == "=SUMPRODUCT('Ex1a'!$D$6:$E$6,'Ex1a'!$C$5:$D$5)+'Ex1a'!$C$7"
    assert values["Ex1a"]["C34"].value == -1 and values["Ex1a"]["D34"].value == 2
    assert values["Ex1a"]["E34"].value is None
    assert "does not fit exactly" in values["Ex1a"]["C37"].value
    assert formulas["Ex1a"]["C34"].comment is not None
    assert values["Ex1b"]["H28"].value == "3x3x2"


def test_solve_refuses_to_overwrite(tmp_path):
    stud = tmp_path / "stud.xlsx"
    run("template", "-o", stud)
    result = run("solve", stud, "-o", stud)
    assert result.exit_code == 1 and "refusing to write over the input workbook" in result.output
    (tmp_path / "sol.xlsx").write_bytes(b"keep me")
    result = run("solve", stud, "-o", tmp_path / "sol.xlsx")
    assert result.exit_code == 1 and "sol.xlsx: exists; pass --force to overwrite it" in result.output
    assert (tmp_path / "sol.xlsx").read_bytes() == b"keep me"
    assert run("solve", stud, "-o", tmp_path / "sol.xlsx", "--force").exit_code == 0


# ------------------------------------------------------------------ mistakes

MISTAKES = [
    # (changed answers, questions that must be wrong)
    pytest.param({"Case1_Output": [-2, 2, 1, 2, 2]}, {"a.case1.output"}, id="one-output-cell"),
    pytest.param({"Case5_Output": [-1, 2, 0]}, {"a.case5.output"}, id="value-after-the-last-output"),
    pytest.param({"Case3_Size": 2.5}, {"a.case3.size"}, id="size-not-floored"),
    pytest.param({"Case2_Same": "yes"}, {"a.case2.same"}, id="same-size"),
    pytest.param({"Maps": 3}, {"b.maps"}, id="maps"),
    pytest.param({"Volume2": "3x3x2"}, {"b.volume2"}, id="volume"),
    pytest.param({"Preserve": [3, 0, 1]}, {"b.preserve"}, id="preserve"),
    pytest.param({"Output2D_K2": [-1, -2, -1, -1, -3, -1, -1, -3, 4]}, {"b.values2"}, id="2d-cell"),
    pytest.param({"Case1_Output": [2, -2, -1, -2, -1], "Maps": 1}, {"a.case1.output", "b.maps"}, id="two"),
]


@pytest.mark.parametrize("changes, wrong", MISTAKES)
def test_check_finds_exactly_the_planted_mistakes(tmp_path, changes, wrong):
    report = check_file(make_submission(tmp_path, RIGHT | changes))
    found = {qid for qid, status in statuses(report).items() if status != "right"}
    assert found == wrong
    assert all(statuses(report)[q] == "wrong" for q in wrong)


def test_wrong_cell_comes_with_its_worked_computation(tmp_path):
    report = check_file(make_submission(tmp_path, RIGHT | {"Case1_Output": [-2, 2, 1, 2, 2]}))
    [q] = [q for q in report.questions if q.id == "a.case1.output"]
    [cell] = [c for c in q.cells if c.status == "wrong"]
    assert (cell.sheet, cell.cell, cell.given, cell.expected) == ("Ex1a", "G10", 2.0, 1.0)
    assert cell.detail == "expected 1: y[4] = 1*1 + (-3)*0 + 0*(-1) + 0 = 1"
    assert q.right_cells == 4


def test_missing_answers(tmp_path):
    answers = {k: v for k, v in RIGHT.items() if k not in ("Case4_Output", "Volume1")}
    report = check_file(make_submission(tmp_path, answers))
    assert statuses(report)["a.case4.output"] == "missing" and statuses(report)["b.volume1"] == "missing"
    assert not report.all_right


PEOPLE = [
    pytest.param({"Volume1": "3 × 3 × 2"}, id="times-sign"),
    pytest.param({"Volume1": "(3, 3, 2)"}, id="tuple"),
    pytest.param({"Volume1": "3*3*2"}, id="star"),
    pytest.param({"Volume1": " 3X3X2 "}, id="capital-x"),
    pytest.param({"Preserve": ["5", "2", "1"]}, id="numbers-as-text"),
    pytest.param({"Case1_Output": ["-2", "2,0", "1.0", " 2 ", "1"]}, id="text-and-decimal-comma"),
    pytest.param({"Case1_Output": ["\u22122", 2, 1, 2, 1]}, id="unicode-minus"),
    pytest.param({"Output2D_K1": [5.004, 9, 10, 16, 12, 15, 16, 15, 18]}, id="rounding"),
    pytest.param({"Case4_Same": "Yes", "Case1_Same": "NO"}, id="yes-no-case"),
    pytest.param({"Case4_Same": "oui", "Case1_Same": "non"}, id="yes-no-french"),
    pytest.param({"Case4_Same": True, "Case1_Same": False}, id="booleans"),
]


@pytest.mark.parametrize("changes", PEOPLE)
def test_answers_as_people_write_them(tmp_path, changes):
    report = check_file(make_submission(tmp_path, RIGHT | changes))
    assert report.all_right, [(q.id, q.status, q.given) for q in report.questions if q.status != "right"]


def test_volume_in_three_cells(tmp_path):
    # a layout whose volume answer is three cells: write it with the literal sheet!range form
    from importlib import resources

    from xlcnn.layout.model import parse_layout

    text = resources.files("xlcnn.data").joinpath("layout.toml").read_text()
    layout = parse_layout(text.replace('answer = "Volume1"', 'answer = "Ex1b!J28:L28"'), "three-cells")
    wb_path = make_submission(tmp_path, RIGHT)
    wb = openpyxl.load_workbook(wb_path)
    ws = wb["Ex1b"]
    ws["J28"], ws["K28"], ws["L28"] = 3, 3, 2
    wb.save(wb_path)
    from xlcnn.workbook.checking import check_file as check

    assert check(wb_path, layout).all_right


# ------------------------------------------------------------------ output formats and exit codes


def test_check_json_names_sheet_and_cell(tmp_path):
    path = make_submission(tmp_path, RIGHT | {"Maps": 4})
    result = run("check", path, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    [maps] = [q for q in data["questions"] if q["id"] == "b.maps"]
    assert maps["status"] == "wrong" and maps["expected"] == "2"
    assert maps["cells"][0]["sheet"] == "Ex1b" and maps["cells"][0]["cell"] == "H27"
    assert data["all_right"] is False


def test_check_table_and_exit_codes(tmp_path):
    good = make_submission(tmp_path, name="good.xlsx")
    assert run("check", good).exit_code == 0
    bad = make_submission(tmp_path, RIGHT | {"Case1_Output": [9, 2, 1, 2, 1]}, name="bad.xlsx")
    result = run("check", bad)
    assert result.exit_code == 1
    assert "sheet 'Ex1a', cell C10: wrong: expected -2: y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2" in result.output
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    result = run("check", junk)
    assert result.exit_code == 2
    # the file named by the path as it was given, as click names files
    assert result.output.strip() == f"Error: {junk}: not a workbook (neither an Excel nor an OpenDocument file)"


# ------------------------------------------------------------------ bad input


def _with_input(tmp_path, cell_sheet, coord, value):
    path = make_submission(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb[cell_sheet][coord] = value
    wb.save(path)
    return path


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _zip_without(tmp_path, member):
    src = make_submission(tmp_path)
    out = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info.filename))
    return out


BAD = [
    pytest.param(lambda p: p / "none.xlsx", r"none\.xlsx: no such file", id="missing-file"),
    pytest.param(lambda p: _write(p / "e.xlsx", b""), r"e\.xlsx: not a workbook \(the file is empty\)", id="empty"),
    pytest.param(lambda p: _write(p / "t.xlsx", b"a,b\n1,2"), r"t\.xlsx: not a workbook \(neither", id="csv-renamed"),
    pytest.param(lambda p: _write(p / "z.xlsx", make_submission(p).read_bytes()[:3000]),
                 r"z\.xlsx: not a workbook \(a damaged or truncated zip", id="truncated"),
    pytest.param(lambda p: _zip_without(p, "[Content_Types].xml"),
                 r"broken\.xlsx: not a workbook \(a zip archive without \[Content_Types\]\.xml\)",
                 id="zip-not-workbook"),
    pytest.param(lambda p: _with_input(p, "Ex1a", "D5", "abc"),
                 r"sheet 'Ex1a', cell D5 \(conv1d\.input\): expected a number, got 'abc'", id="text-input"),
    pytest.param(lambda p: _with_input(p, "Ex1b", "C8", "#VALUE!"),
                 r"sheet 'Ex1b', cell C8 \(conv2d\.input\[1\]\): the cell shows the Excel error #VALUE!",
                 id="excel-error"),
    pytest.param(lambda p: _with_input(p, "Ex1a", "C6", None),
                 r"sheet 'Ex1a', cell C6 \(conv1d\.filter\): expected a number, the cell is empty", id="empty-input"),
    pytest.param(lambda p: _with_input(p, "Ex1a", "C9", 0), r"stride must be a positive integer, got 0",
                 id="stride-zero"),
    pytest.param(lambda p: _with_input(p, "Ex1a", "E9", 1.5),
                 r"cell E9 \(conv1d\.cases\[1\]\.padding\): expected a whole number >= 0, got 1\.5",
                 id="padding-fraction"),
]


@pytest.mark.parametrize("make, match", BAD)
def test_bad_workbooks(tmp_path, make, match):
    path = make(tmp_path)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(WorkbookError, match=match):
        check_file(path)
    if before is not None:
        assert path.read_bytes() == before


def test_password_protected_workbook(tmp_path):
    # encrypted with Excel's own scheme (agile encryption) by msoffcrypto-tool
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "locked.xlsx"
    with open(make_submission(tmp_path), "rb") as src, open(locked, "wb") as out:
        OOXMLFile(src).encrypt("pw", out)
    with pytest.raises(WorkbookError, match=r"locked\.xlsx: the workbook is password-protected \(encrypted\)"):
        check_file(locked)


def test_missing_sheet_named_by_the_layout(tmp_path):
    path = make_submission(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["Ex1b"]
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"filled\.xlsx: conv2d\.input\[1\]: no sheet 'Ex1b' in the workbook"):
        check_file(path)


def test_wrong_input_shape(tmp_path):
    from importlib import resources

    from xlcnn.layout.model import parse_layout

    text = resources.files("xlcnn.data").joinpath("layout.toml").read_text()
    layout = parse_layout(text.replace('"Input2D_C3"', '"Ex1b!N7:Q11"'), "bad shape")
    with pytest.raises(WorkbookError,
                       match=r"conv2d\.input: every input channel must have the same shape, got 5x5, 5x5, 5x4"):
        check_file(make_submission(tmp_path), layout)


def test_xml_entity_attack_refused(tmp_path):
    src = make_submission(tmp_path)
    out = tmp_path / "evil.xlsx"
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = bomb.encode() + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            zout.writestr(info, data)
    with pytest.raises(WorkbookError, match=r"evil\.xlsx: refused, its XML declares entities"):
        check_file(out)


def test_zip_bomb_refused_before_loading(tmp_path):
    src = make_submission(tmp_path)
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (60 * 2**20))
    with pytest.raises(WorkbookError, match=r"bomb\.xlsx: member 'xl/media/padding\.bin' expands to 62,914,560 bytes"):
        check_file(out)


def test_xlsm_is_read_without_its_macros(tmp_path):
    src = make_submission(tmp_path)
    out = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Evil\"\nSub Auto_Open()\nEnd Sub\n")
    before = out.read_bytes()
    report = check_file(out)
    assert report.all_right
    assert out.read_bytes() == before


# ------------------------------------------------------------------ parsing tables

NUMBERS = [
    pytest.param(3, 3.0, id="int"),
    pytest.param("3", 3.0, id="text"),
    pytest.param("3,5", 3.5, id="decimal-comma"),
    pytest.param("-0.25", -0.25, id="negative"),
    pytest.param("\u22122", -2.0, id="unicode-minus"),
    pytest.param("1 234,5", 1234.5, id="space-thousands"),
    pytest.param("1,234.5", 1234.5, id="comma-thousands"),
    pytest.param("1e3", 1000.0, id="exponent"),
    pytest.param("  ", None, id="blank"),
    pytest.param(None, None, id="empty"),
]


@pytest.mark.parametrize("value, expected", NUMBERS)
def test_parse_number(value, expected):
    assert parse_number(value) == (expected, None)


@pytest.mark.parametrize("value, match", [
    ("abc", "expected a number, got 'abc'"), ("#DIV/0!", "the cell shows the Excel error #DIV/0!"),
    (True, "expected a number, got True"), ("=A1+1", "a formula shown as text"),
])
def test_parse_number_problems(value, match):
    n, problem = parse_number(value)
    assert n is None and match in problem


@pytest.mark.parametrize("values, expected", [
    (["3x3x2"], (3, 3, 2)), (["3 × 3 × 2"], (3, 3, 2)), (["(3, 3, 2)"], (3, 3, 2)), (["[3;3;2]"], (3, 3, 2)),
    ([3, 3, 2], (3, 3, 2)), (["3", "3", "2"], (3, 3, 2)), (["F=3, P=1, S=1"], (3, 1, 1)), (["3 by 3 by 2"], (3, 3, 2)),
    ([None, None, None], None), (["3x3x2 (WxHxD)"], (3, 3, 2)), (["2 x 2 x 2 (H x W x D)"], (2, 2, 2)),
])
def test_parse_numbers(values, expected):
    got, problem = parse_numbers(values, 3)
    assert problem is None and (got if got is None else tuple(got)) == expected


@pytest.mark.parametrize("value, expected, problem", [
    ("2 maps", 2, False), ("2 activation maps", 2, False), ("3 maps", 3, False), (2, 2, False),
    ("2,0 cartes", 2, False),
    ("2 or 3", None, True), ("two", None, True), ("2 maps of 3x3", None, True), (None, None, False),
])
def test_parse_count(value, expected, problem):
    from xlcnn.files.typed import parse_count

    n, why = parse_count(value)
    assert n == expected and bool(why) == problem


@pytest.mark.parametrize("value, placeholder", [("-", True), ("—", True), (" n/a ", True), ("None", True), ("x", True),
                                                ("empty", True), ("0", False), ("-1", False), (None, False),
                                                ("no", False)])
def test_placeholders(value, placeholder):
    from xlcnn.files.typed import is_placeholder

    assert is_placeholder(value) is placeholder


@pytest.mark.parametrize("value, expected", [("yes", True), ("Y", True), ("Oui", True), ("no", False), ("Non.", False),
                                             (1, True), (0, False), (None, None)])
def test_parse_yes_no(value, expected):
    assert parse_yes_no(value) == (expected, None)


@pytest.mark.parametrize("detail, hint", [
    ("expected 3: (7 - 3 + 2*0) / 2 + 1 = 3", ""),
    ("(7 - 3 + 2*0) / 2 + 1 = 3", ""),
    ("expected a number, got 'abc'; expected -2: y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2", "expected a number, got 'abc'"),
    ("the cell shows the Excel error #DIV/0!; expected -2: y[0] = -2", "the cell shows the Excel error #DIV/0!"),
    ("not calculated — open and save it in Excel or LibreOffice", "not calculated — open and save it in Excel or "
                                                                  "LibreOffice"),
], ids=["expected-value", "worked-sum", "not-a-number", "excel-error", "not-calculated"])
def test_hints_keep_how_to_fix_a_cell_never_its_value(detail, hint):
    from xlcnn.workbook.checking import CellResult, CheckReport, QuestionResult
    from xlcnn.workbook.verdict import Answer

    q = QuestionResult("a.case1.output", "a) S=1, P=0: output values", "a", Answer.WRONG, "-2", "abc",
                       [CellResult("Ex1a", "C10", "abc", -2.0, Answer.WRONG, detail)])
    [cell] = CheckReport("s.xlsx", [q]).hinted().questions[0].cells
    assert (cell.detail, cell.expected) == (hint, None)
