"""Any teacher's workbook through a layout file: a differently arranged workbook, layout errors."""

import json

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from xlcnn import LayoutError, WorkbookError
from xlcnn.cli import main
from xlcnn.files.opening import open_workbook
from xlcnn.layout.model import load_layout, parse_layout
from xlcnn.workbook.checking import check_file
from xlcnn.workbook.reading import read_workbook

# A course workbook arranged its own way: one sheet, the 1D input as a column, the
# strides and paddings written in the layout (not in cells), biases in one row, the
# output volume in three cells.
TEACHER_LAYOUT = """
[conv1d]
input = "'Exercise 1'!B3:B9"
filter = "'Exercise 1'!D3:D5"
bias = "'Exercise 1'!F3"

[[conv1d.cases]]
stride = 1
padding = 0
output = "'Exercise 1'!H3:H7"

[[conv1d.cases]]
stride = 2
padding = 1
output = "'Exercise 1'!I3:I6"
size = "'Exercise 1'!I10"

[conv2d]
input = ["Data!A1:D4", "Data!F1:I4"]
filters = [["Data!A7:B8", "Data!D7:E8"]]
biases = ["Data!G7"]
maps = "Data!K1"
preserve = "Data!K3:M3"

[[conv2d.volumes]]
stride = 2
padding = 1
answer = "Data!K5:M5"

[conv2d.values]
stride = 1
padding = 0
output = ["Data!A11:C13"]
"""

X1 = [3, -1, 2, 0, 1, 4, -2]
W1 = [1, -1, 2]
B1 = 1
X2 = np.arange(32).reshape(2, 4, 4).transpose(1, 2, 0) % 5  # (4, 4, 2)
W2 = np.array([[[1, 0], [0, -1]], [[2, 1], [-1, 0]]]).transpose(1, 2, 0)  # (2, 2, 2) one filter
B2 = -1


def make_teacher_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Exercise 1"
    ws["A1"] = "1D"
    for i, v in enumerate(X1):
        ws.cell(3 + i, 2, v)
    for i, v in enumerate(W1):
        ws.cell(3 + i, 4, v)
    ws["F3"] = B1
    data = wb.create_sheet("Data")
    for c in range(2):
        for r in range(4):
            for q in range(4):
                data.cell(1 + r, 1 + q + 5 * c, int(X2[r, q, c]))
        for r in range(2):
            for q in range(2):
                data.cell(7 + r, 1 + q + 3 * c, int(W2[r, q, c]))
    data["G7"] = B2
    wb.save(path)
    return path


def expected_answers():
    from xlcnn.core.conv import conv1d, conv2d

    return (conv1d(X1, W1, B1, 1, 0), conv1d(X1, W1, B1, 2, 1), conv2d(X2, W2, [B2], 1, 0))


def test_teacher_workbook_solve_check_inspect(tmp_path):
    book = make_teacher_workbook(tmp_path / "course.xlsx")
    layout = tmp_path / "course-layout.toml"
    layout.write_text(TEACHER_LAYOUT)
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(book), "-o", str(tmp_path / "sol.xlsx"), "--layout", str(layout)])
    assert result.exit_code == 0, result.output
    out1, out2, out3 = expected_answers()
    values = openpyxl.load_workbook(tmp_path / "sol.xlsx", data_only=True)
    assert [values["Exercise 1"].cell(3 + i, 8).value for i in range(5)] == list(out1)
    assert [values["Exercise 1"].cell(3 + i, 9).value for i in range(4)] == list(out2)
    assert values["Exercise 1"]["I10"].value == 4
    assert [[values["Data"].cell(11 + r, 1 + q).value for q in range(3)] for r in range(3)] == out3.tolist()
    assert [values["Data"].cell(5, 11 + i).value for i in range(3)] == [3, 3, 1]  # (4 - 2 + 2)/2 + 1 = 3
    assert check_file(tmp_path / "sol.xlsx", load_layout(layout)).all_right

    result = runner.invoke(main, ["inspect", str(book), "--layout", str(layout), "--json"])
    assert result.exit_code == 0, result.output
    regions = {r["region"]: r for r in json.loads(result.output)["regions"]}
    assert regions["conv1d.input"]["values"] == [[v] for v in X1]
    assert regions["conv1d.cases[2].stride"] == {"region": "conv1d.cases[2].stride", "role": "input", "ref": 2,
                                                 "sheet": None, "range": None, "values": [[2]]}
    assert regions["conv2d.values.output[1]"]["role"] == "answer"
    assert regions["conv2d.values.output[1]"]["range"] == "A11:C13"


def test_teacher_workbook_mistake_and_three_cell_volume(tmp_path):
    book = make_teacher_workbook(tmp_path / "course.xlsx")
    layout = parse_layout(TEACHER_LAYOUT, "course layout")
    wb = openpyxl.load_workbook(book)
    out1, out2, out3 = expected_answers()
    for i, v in enumerate(out1):
        wb["Exercise 1"].cell(3 + i, 8, float(v))
    wb["Exercise 1"]["H7"] = "wrong"
    for r in range(3):
        for q in range(3):
            wb["Data"].cell(11 + r, 1 + q, float(out3[r, q]))
    wb["Data"]["K5"], wb["Data"]["L5"], wb["Data"]["M5"] = 3, 3, 1
    wb["Data"]["K3"], wb["Data"]["L3"], wb["Data"]["M3"] = 5, 2, 1
    wb.save(book)
    status = {q.id: q.status for q in check_file(book, layout).questions}
    assert status == {"a.case1.output": "wrong", "a.case2.output": "missing", "a.case2.size": "missing",
                      "b.maps": "missing", "b.volume1": "right", "b.preserve": "right", "b.values1": "right"}


LAYOUT_ERRORS = [
    pytest.param("", LayoutError, r"missing table \[conv1d\] or \[conv2d\]", id="no-table"),
    pytest.param("x = 1", LayoutError, r"unknown key x \(valid keys: conv1d, conv2d\)", id="unknown-top-key"),
    pytest.param(TEACHER_LAYOUT.replace('size = "', 'same_size = "'), LayoutError,
                 r"unknown key conv1d\.cases\[2\]\.same_size; did you mean 'same'\?", id="misspelt-key"),
    pytest.param(TEACHER_LAYOUT.replace("[conv2d.values]", "[conv2d.value]"), LayoutError,
                 r"unknown key conv2d\.value; did you mean 'values'\?", id="misspelt-table"),
    pytest.param("[conv1d", LayoutError, r"not valid TOML", id="not-toml"),
    pytest.param(TEACHER_LAYOUT.replace('filter = "\'Exercise 1\'!D3:D5"\n', ""), LayoutError,
                 r"missing key conv1d\.filter", id="missing-key"),
    pytest.param(TEACHER_LAYOUT.replace("stride = 2\npadding = 1\noutput", "stride = -2\npadding = 1\noutput"),
                 LayoutError, r"conv1d\.cases\[2\]\.stride must be a defined name, a 'Sheet!A1:B2' range or a "
                              r"non-negative integer, got -2", id="negative-stride"),
    pytest.param(TEACHER_LAYOUT.replace('["Data!A7:B8", "Data!D7:E8"]', '["Data!A7:B8"]'), LayoutError,
                 r"every filter must list one block per input channel \(2\)", id="filter-channels"),
]


@pytest.mark.parametrize("text, error, match", LAYOUT_ERRORS)
def test_layout_errors(text, error, match):
    with pytest.raises(error, match=match):
        parse_layout(text, "my-layout.toml")


WORKBOOK_ERRORS = [
    pytest.param(TEACHER_LAYOUT.replace("'Exercise 1'!F3", "BiasCell"),
                 r"course\.xlsx: conv1d\.bias: no defined name 'BiasCell' in the workbook", id="unknown-name"),
    pytest.param(TEACHER_LAYOUT.replace("Data!K1", "Results!K1"),
                 r"course\.xlsx: conv2d\.maps: no sheet 'Results' in the workbook \(it has Exercise 1, Data\)",
                 id="unknown-sheet"),
    pytest.param(TEACHER_LAYOUT.replace("'Exercise 1'!D3:D5", "'Exercise 1'!D3:E5"),
                 r"conv1d\.filter: expected one row or one column", id="filter-not-a-vector"),
    pytest.param(TEACHER_LAYOUT.replace("'Exercise 1'!H3:H7", "'Exercise 1'!H3:H5"),
                 r"conv1d\.cases\[1\]\.output = sheet 'Exercise 1', H3:H5 \(3x1 cells\) cannot hold its answer: "
                 r"5 output values", id="output-too-short"),
    pytest.param(TEACHER_LAYOUT.replace("Data!A11:C13", "Data!A11:D14"),
                 r"conv2d\.values\.output\[1\] = sheet 'Data', A11:D14 \(4x4 cells\) cannot hold its answer: "
                 r"the 3x3 output map 1", id="grid-too-large"),
    pytest.param(TEACHER_LAYOUT.replace("Data!K5:M5", "Data!K5:L5"),
                 r"conv2d\.volumes\[1\]\.answer .* one cell \(such as 3x3x2\) or three cells", id="volume-two-cells"),
]


@pytest.mark.parametrize("text, match", WORKBOOK_ERRORS)
def test_layout_that_does_not_fit_the_workbook(tmp_path, text, match):
    book = make_teacher_workbook(tmp_path / "course.xlsx")
    with pytest.raises((WorkbookError, LayoutError), match=match):
        read_workbook(open_workbook(book), parse_layout(text, "my-layout.toml"))


def test_missing_layout_file_is_one_line(tmp_path):
    book = make_teacher_workbook(tmp_path / "course.xlsx")
    result = CliRunner().invoke(main, ["inspect", str(book), "--layout", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope.toml'}: no such layout file"


@pytest.mark.parametrize("part", ["a", "b"])
def test_a_layout_with_one_part_of_the_exercise(tmp_path, part):
    """A 1D-only or 2D-only exercise: the layout holds [conv1d] or [conv2d] alone; only that part's
    questions are asked, checked and graded."""
    from tests.support import course
    from tests.support.factories import RIGHT

    text = course.course_layout()
    only = text[:text.index("[conv2d]")] if part == "a" else text[text.index("[conv2d]"):]
    lay = tmp_path / "layout.toml"
    lay.write_text(only)
    layout = load_layout(lay)
    assert layout.parts == (part,)
    right = course.student(tmp_path / "right.xlsx")
    report = check_file(right, layout)
    assert report.all_right and {q.id[0] for q in report.questions} == {part}
    wrong = course.student(tmp_path / "wrong.xlsx", dict(RIGHT, Case1_Size=4, Maps=3))
    statuses = {q.id: q.status for q in check_file(wrong, layout).questions}
    assert [q for q, st in statuses.items() if st != "right"] == (["a.case1.size"] if part == "a" else ["b.maps"])
    result = CliRunner().invoke(main, ["solve", str(course.blank(tmp_path / "blank.xlsx")), "-o",
                                       str(tmp_path / "solved.xlsx"), "--layout", str(lay)])
    assert result.exit_code == 0, result.output
    assert check_file(tmp_path / "solved.xlsx", layout).all_right
