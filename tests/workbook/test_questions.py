"""`questions`: the questions of Exercise 1 read from one workbook through its layout.

For each answer region: its id and label, its kind, the expected answer (cells that must stay empty
after a short output), the formula ``solve`` writes into each cell, the worked computation, the
"does not fit" note and the (F, P, S) answers accepted. Workbooks: xlcnn's template (the shipped
example, and small examples worked out by hand below), the course's own file read through a
teacher's layout of ranges and numbers (``tests.support.course``), and a teacher's own arrangement
(input as a column, sheet names to quote, one block for the biases). Formulas are checked as text,
and evaluated on the workbook's own numbers with the ``formulas`` package when it is installed.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from tests.support.course import blank, course_layout
from xlcnn.core.exercise import Example
from xlcnn.files.opening import open_workbook
from xlcnn.handout.build import build_workbook, layout_text
from xlcnn.handout.examples import load_example
from xlcnn.layout.model import Area, parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.workbook.questions import Question, expected_text, operand, questions
from xlcnn.workbook.reading import read_workbook

R = RegionId
_ = None  # a cell that must stay empty

# ------------------------------------------------------------------ the small examples, worked by hand

# SMALL (template): x = [1, 2, 0, 3, 1], w = [2, 0, 1], b = 1: y[i] = 2 xp[i] + xp[i+2] + 1.
#   S=1 P=0: [2+0, 4+3, 0+1] + 1 = [3, 8, 2] (area 3 cells)
#   S=1 P=1: xp = [0,1,2,0,3,1,0]: [0+2, 2+0, 4+3, 0+1, 6+0] + 1 = [3, 3, 8, 2, 7] (same size)
#   S=2 P=0: (5-3)/2+1 = 2, windows 0 and 2: [3, 2] (area 3 cells: one stays empty)
#   S=3 P=1: (5-3+2)/3+1 = 2.33 -> 2, windows 0 and 3 of xp: [0+2, 0+1] + 1 = [3, 2] (area 5 cells)
# 2D: one 3x3 channel [[1,2,0],[0,1,3],[2,0,1]], filter 1 = [[1,0],[0,1]] (bias 0): the diagonal,
# filter 2 = [[0,1],[1,0]] (bias 2): the anti-diagonal; S=1, P=0 gives 2x2 maps:
#   map 1: [1+1, 2+3, 0+0, 1+1] = [2, 5, 0, 2];  map 2: [2+0, 0+1, 1+2, 3+0] + 2 = [4, 3, 5, 5]
#   volumes: S=1 P=0: 2x2x2; S=2 P=0: (3-2)/2+1 = 1.5 -> 1x1x2 (does not fit); S=1 P=1: 4x4x2
SMALL = {
    "name": "small",
    "conv1d": {"input": [1, 2, 0, 3, 1], "filter": [2, 0, 1], "bias": 1, "cases": [[1, 0], [1, 1], [2, 0], [3, 1]]},
    "conv2d": {"input": [[[1, 2, 0], [0, 1, 3], [2, 0, 1]]],
               "filters": [[[[1, 0], [0, 1]]], [[[0, 1], [1, 0]]]],
               "biases": [0, 2], "volume_cases": [[1, 0], [2, 0], [1, 1]], "values_case": [1, 0]},
}

# ONE (template): x = [1, 2, 3], w = [2], b = 0: y = 2 xp.
#   S=1 P=0: [2, 4, 6] (same size);  S=1 P=1: xp = [0,1,2,3,0]: [0, 2, 4, 6, 0], window 0 is all padding
#   S=2 P=1: (3-1+2)/2+1 = 3: xp[0], xp[2], xp[4] -> [0, 4, 0] (area 3+2-1+1 = 5 cells)
# 2D: the same 3x3 channel, one 1x1 filter [[2]], bias 0: the map is 2x.
ONE = {
    "name": "one",
    "conv1d": {"input": [1, 2, 3], "filter": [2], "bias": 0, "cases": [[1, 0], [1, 1], [2, 1]]},
    "conv2d": {"input": [[[1, 2, 0], [0, 1, 3], [2, 0, 1]]], "filters": [[[[2]]]], "biases": [0],
               "volume_cases": [[1, 0], [2, 0]], "values_case": [1, 0]},
}

# OWN: a teacher's own workbook. Sheet "Prof's data": x = [1, 2, 0, 3, 1] in A2:A6 (a column),
# w = [2, 0, 1] in C2:E2 (a row), b = 1 in C4; case 1 S=1 P=1 (numbers in the layout) -> C6:G6,
# size C7, same C8; case 2 S=3 P=1 (cells I10, J10) -> C10:G10, no size or same; case 3 S=1 P=3
# (numbers) -> the column L2:L10: xp = [0,0,0,1,2,0,3,1,0,0,0], y = 2 xp[i] + xp[i+2] + 1 =
# [1, 2, 3, 3, 8, 2, 7, 3, 1]; windows 0 and 8 read only padding.
# Sheet "Conv 2D": the 3x3 channel in B2:D4, filter 1 [[1,0],[0,1]] in F2:G3, filter 2 [[0,1],[1,0]]
# in F5:G6, the biases [0, 2] as one block I2:J2; output values with S=2, P=1 (numbers): the padded
# input is 5x5, (5-2)/2+1 = 2.5 -> 2x2; window (0,0) meets x[0,0] only (filter cell [1,1]),
# (0,1) meets x[0,1:3] (filter row 1), (1,0) meets x[1:3,0] (filter column 1), (1,1) the whole filter:
#   map 1: [1*1, 0*2+1*0, 0*0+1*2, 1+1] + 0 = [1, 0, 2, 2]
#   map 2: [0*1, 1*2+0*0, 1*0+0*2, 3+0] + 2 = [2, 4, 2, 5]
# maps in I4, volume 1 (S=1, P=0: 2x2x2) in three cells I6:K6, volume 2 (S=2, P=0: 1x1x2) in I7,
# preserve in I9:K9.
OWN_LAYOUT = """
[conv1d]
input = "'Prof''s data'!A2:A6"
filter = "'Prof''s data'!C2:E2"
bias = "'Prof''s data'!C4"

[[conv1d.cases]]
stride = 1
padding = 1
output = "'Prof''s data'!C6:G6"
size = "'Prof''s data'!C7"
same = "'Prof''s data'!C8"

[[conv1d.cases]]
stride = "'Prof''s data'!I10"
padding = "'Prof''s data'!J10"
output = "'Prof''s data'!C10:G10"

[[conv1d.cases]]
stride = 1
padding = 3
output = "'Prof''s data'!L2:L10"
"""
OWN_LAYOUT_2D = """
[conv2d]
input = ["'Conv 2D'!B2:D4"]
filters = [["'Conv 2D'!F2:G3"], ["'Conv 2D'!F5:G6"]]
biases = ["'Conv 2D'!I2:J2"]
maps = "'Conv 2D'!I4"
preserve = "'Conv 2D'!I9:K9"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Conv 2D'!I6:K6"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Conv 2D'!I7"

[conv2d.values]
stride = 2
padding = 1
output = ["'Conv 2D'!B8:C9", "'Conv 2D'!E8:F9"]
"""
P1, P2 = "'Prof''s data'!", "'Conv 2D'!"  # how formulas name the two sheets


def own_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "Prof's data"
    for i, v in enumerate([1, 2, 0, 3, 1]):
        a.cell(2 + i, 1, v)
    for j, v in enumerate([2, 0, 1]):
        a.cell(2, 3 + j, v)
    a["C4"], a["I10"], a["J10"] = 1, 3, 1
    b = wb.create_sheet("Conv 2D")
    for r, row in enumerate([[1, 2, 0], [0, 1, 3], [2, 0, 1]]):
        for c, v in enumerate(row):
            b.cell(2 + r, 2 + c, v)
    for top, filt in ((2, [[1, 0], [0, 1]]), (5, [[0, 1], [1, 0]])):
        for r, row in enumerate(filt):
            for c, v in enumerate(row):
                b.cell(top + r, 6 + c, v)
    b["I2"], b["J2"] = 0, 2
    wb.save(path)
    return path


# ------------------------------------------------------------------ readings


def _template(path: Path, example: Example, edit=None):
    """xlcnn's template for ``example``, read through its own layout (its cases, its volumes)."""
    wb = build_workbook(example)
    if edit:
        edit(wb)
    wb.save(path)
    return read_workbook(open_workbook(path), parse_layout(layout_text(example), f"{example.name} layout"))


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    """Every workbook of this file read through its layout, built once."""
    d = tmp_path_factory.mktemp("questions")
    own = own_workbook(d / "own.xlsx")
    return {
        "template": _template(d / "template.xlsx", load_example()),
        "course": read_workbook(open_workbook(blank(d / "course.xlsx")), parse_layout(course_layout(), "course.toml")),
        "small": _template(d / "small.xlsx", Example.from_mapping(SMALL)),
        "one": _template(d / "one.xlsx", Example.from_mapping(ONE)),
        "own": read_workbook(open_workbook(own), parse_layout(OWN_LAYOUT + OWN_LAYOUT_2D, "own.toml")),
        "own-1d": read_workbook(open_workbook(own), parse_layout(OWN_LAYOUT, "own-1d.toml")),
        "own-2d": read_workbook(open_workbook(own), parse_layout(OWN_LAYOUT_2D, "own-2d.toml")),
    }


def by_id(reading) -> dict[str, Question]:
    return {q.id: q for q in questions(reading)}


def question(readings, name: str, qid: str) -> Question:
    return by_id(readings[name])[qid]


# ------------------------------------------------------------------ which questions, in which words

TEMPLATE_QUESTIONS = [
    ("a.case1.output", "a) S=1, P=0: output values", "values"),
    ("a.case1.size", "a) S=1, P=0: output size", "number"),
    ("a.case1.same", "a) S=1, P=0: same size as the input?", "yesno"),
    ("a.case2.output", "a) S=2, P=0: output values", "values"),
    ("a.case2.size", "a) S=2, P=0: output size", "number"),
    ("a.case2.same", "a) S=2, P=0: same size as the input?", "yesno"),
    ("a.case3.output", "a) S=4, P=0: output values", "values"),
    ("a.case3.size", "a) S=4, P=0: output size", "number"),
    ("a.case3.same", "a) S=4, P=0: same size as the input?", "yesno"),
    ("a.case4.output", "a) S=1, P=1: output values", "values"),
    ("a.case4.size", "a) S=1, P=1: output size", "number"),
    ("a.case4.same", "a) S=1, P=1: same size as the input?", "yesno"),
    ("a.case5.output", "a) S=4, P=1: output values", "values"),
    ("a.case5.size", "a) S=4, P=1: output size", "number"),
    ("a.case5.same", "a) S=4, P=1: same size as the input?", "yesno"),
    ("b.maps", "b) number of activation maps", "number"),
    ("b.volume1", "b) output volume with S=1, P=0", "shape"),
    ("b.volume2", "b) output volume with S=2, P=0", "shape"),
    ("b.preserve", "b) F, P, S that preserve the spatial size", "triple"),
    ("b.values1", "b) output values with S=1, P=0, map 1", "values"),
    ("b.values2", "b) output values with S=1, P=0, map 2", "values"),
]


@pytest.mark.parametrize("name", ["template", "course"], ids=["template-defined-names", "course-ranges-and-numbers"])
def test_every_question_of_the_shipped_example_in_order(readings, name):
    got = [(q.id, q.label, q.kind) for q in questions(readings[name])]
    assert got == TEMPLATE_QUESTIONS
    assert {q.part for q in questions(readings[name])} == {"a", "b"}
    assert all(q.part == q.id[0] for q in questions(readings[name]))


@pytest.mark.parametrize("name, ids", [
    ("own-1d", ["a.case1.output", "a.case1.size", "a.case1.same", "a.case2.output", "a.case3.output"]),
    ("own-2d", ["b.maps", "b.volume1", "b.volume2", "b.preserve", "b.values1", "b.values2"]),
], ids=["part-a-only-size-and-same-left-out-of-case-2-and-3", "part-b-only"])
def test_a_layout_asks_only_what_it_has_a_region_for(readings, name, ids):
    assert [q.id for q in questions(readings[name])] == ids


def test_a_layout_without_maps_volumes_or_preserve_asks_only_the_values(tmp_path):
    text = OWN_LAYOUT_2D.replace("maps = \"'Conv 2D'!I4\"\n", "").replace("preserve = \"'Conv 2D'!I9:K9\"\n", "")
    text = text[:text.index("[[conv2d.volumes]]")] + text[text.index("[conv2d.values]"):]
    reading = read_workbook(open_workbook(own_workbook(tmp_path / "own.xlsx")), parse_layout(text, "bare.toml"))
    assert [q.id for q in questions(reading)] == ["b.values1", "b.values2"]


def test_the_question_knows_its_cells(readings):
    q = question(readings, "template", "a.case5.output")
    assert q.region == R.of("conv1d.cases.output", 5)
    assert q.cells == ["C34", "D34", "E34", "F34", "G34", "H34", "I34"]
    assert q.area.sheet == "Ex1a"
    col = question(readings, "own", "a.case3.output")
    assert col.cells == [f"L{r}" for r in range(2, 11)]  # an output column, top to bottom


# ------------------------------------------------------------------ expected answers, worked by hand

EXPECTED = [
    # the shipped example: x = [0,1,2,-1,1,-3,0], w = [1,0,-1], b = 0: y[i] = xp[i] - xp[i+2]
    ("template", "a.case1.output", [-2, 2, 1, 2, 1]),
    ("template", "a.case2.output", [-2, 1, 1, _, _]),  # area of 5 cells, output of 3
    ("template", "a.case3.output", [-2, 1, _, _, _]),
    ("template", "a.case4.output", [-1, -2, 2, 1, 2, 1, -3]),  # xp = [0,0,1,2,-1,1,-3,0,0]
    ("template", "a.case5.output", [-1, 2, _, _, _, _, _]),  # (7-3+2)/4+1 = 2.5 -> 2
    ("template", "a.case1.size", 5), ("template", "a.case2.size", 3), ("template", "a.case3.size", 2),
    ("template", "a.case4.size", 7), ("template", "a.case5.size", 2),
    ("template", "a.case1.same", False), ("template", "a.case4.same", True), ("template", "a.case5.same", False),
    ("template", "b.maps", 2), ("template", "b.volume1", (3, 3, 2)), ("template", "b.volume2", (2, 2, 2)),
    ("template", "b.preserve", (3, 1, 1)),
    ("small", "a.case1.output", [3, 8, 2]),
    ("small", "a.case2.output", [3, 3, 8, 2, 7]),
    ("small", "a.case3.output", [3, 2, _]),
    ("small", "a.case4.output", [3, 2, _, _, _]),
    ("small", "a.case3.size", 2), ("small", "a.case4.size", 2),
    ("small", "a.case1.same", False), ("small", "a.case2.same", True),
    ("small", "b.maps", 2),
    ("small", "b.volume1", (2, 2, 2)), ("small", "b.volume2", (1, 1, 2)), ("small", "b.volume3", (4, 4, 2)),
    ("small", "b.values1", [2, 5, 0, 2]), ("small", "b.values2", [4, 3, 5, 5]),
    ("one", "a.case1.output", [2, 4, 6]), ("one", "a.case2.output", [0, 2, 4, 6, 0]),
    ("one", "a.case3.output", [0, 4, 0, _, _]), ("one", "a.case1.same", True), ("one", "a.case3.size", 3),
    ("one", "b.maps", 1), ("one", "b.volume1", (3, 3, 1)), ("one", "b.volume2", (2, 2, 1)),
    ("one", "b.values1", [2, 4, 0, 0, 2, 6, 4, 0, 2]), ("one", "b.preserve", (1, 0, 1)),
    ("own", "a.case1.output", [3, 3, 8, 2, 7]), ("own", "a.case2.output", [3, 2, _, _, _]),
    ("own", "a.case3.output", [1, 2, 3, 3, 8, 2, 7, 3, 1]),
    ("own", "a.case1.size", 5), ("own", "a.case1.same", True),
    ("own", "b.values1", [1, 0, 2, 2]), ("own", "b.values2", [2, 4, 2, 5]),
    ("own", "b.volume1", (2, 2, 2)), ("own", "b.volume2", (1, 1, 2)), ("own", "b.preserve", (3, 1, 1)),
]


@pytest.mark.parametrize("name, qid, expected", EXPECTED,
                         ids=[f"{n}-{q}" for n, q, _e in EXPECTED])
def test_expected_answer(readings, name, qid, expected):
    got = question(readings, name, qid).expected
    if isinstance(expected, list):
        assert got == [None if v is None else float(v) for v in expected]
    else:
        assert got == expected


def test_the_shipped_example_2d_maps(readings):
    """Map 1 (0,0), by hand: channel 1 gives 0+1+2 = 3, channel 2 gives 1-2+2+1 = 2, channel 3 gives
    1+1-1-2 = -1, plus bias 1: 5; map 2 (0,0): 0 + 0 + (-1) + bias 0 = -1. The rest as the
    course's answer sheet has them."""
    assert question(readings, "template", "b.values1").expected == [5, 9, 10, 16, 12, 15, 16, 15, 18]
    assert question(readings, "template", "b.values2").expected == [-1, -2, -1, -1, -3, -1, -1, -3, -4]


def test_numbers_are_read_from_the_workbook_not_assumed(tmp_path):
    """The teacher typed S = 3 for case 3: (7-3)/3+1 = 2.33 -> 2 windows, at 0 and 3:
    x0 - x2 = -2 and x3 - x5 = -1 + 3 = 2; the label says S=3 and the note explains."""
    def edit(wb):
        wb["Ex1a"]["C21"] = 3  # Case3_S
    reading = _template(tmp_path / "t.xlsx", load_example(), edit)
    q = by_id(reading)["a.case3.output"]
    assert q.label == "a) S=3, P=0: output values"
    assert q.expected == [-2.0, 2.0, None, None, None]
    assert "(7 - 3 + 2*0) / 3 + 1 = 2.333333333" in q.note and "does not fit exactly" in q.note


# ------------------------------------------------------------------ notes and worked computations

NOTES = [
    ("template", "a.case5.output",
     "(7 - 3 + 2*1) / 4 + 1 = 2.5: not an integer, the filter does not fit exactly; the last partial window is "
     "dropped, so the output has 2 values and the last 2 padded input values are never used"),
    ("template", "a.case5.size", "does not fit exactly"),
    ("small", "a.case4.output", "(5 - 3 + 2*1) / 3 + 1 = 2.333333333: not an integer, the filter does not fit"),
    ("small", "b.volume2", "(3 - 2 + 2*0) / 2 + 1 = 1.5: not an integer, the filter does not fit exactly"),
    ("own", "a.case2.output", "the last 1 padded input value is never used"),
]


@pytest.mark.parametrize("name, qid, words", NOTES,
                         ids=["1d-values-stride-4", "1d-size-shares-the-note", "1d-stride-3",
                              "2d-volume-stride-2", "stride-in-a-cell"])
def test_a_filter_that_does_not_fit_is_noted(readings, name, qid, words):
    assert words in question(readings, name, qid).note


@pytest.mark.parametrize("name, qid", [
    ("template", "a.case1.output"), ("template", "a.case4.size"), ("small", "a.case3.output"),
    ("template", "a.case5.same"), ("template", "b.volume1"), ("template", "b.values1"),
], ids=["fits", "fits-with-padding", "stride-2-fits", "yes-no-never-noted", "volume-fits", "2d-values"])
def test_no_note_when_nothing_to_explain(readings, name, qid):
    assert question(readings, name, qid).note == ""


def test_2d_values_whose_filter_does_not_fit_are_noted(readings):
    # OWN: S=2, P=1 on a 3x3 input with a 2x2 filter: (3 - 2 + 2*1) / 2 + 1 = 2.5
    assert "does not fit exactly" in question(readings, "own", "b.values1").note


def _detail(q: Question, i: int = 0) -> str:
    d = q.details[i]
    return d() if callable(d) else d


DETAILS = [
    ("template", "a.case5.output", 0, "y[0] = 0(pad)*1 + 0*0 + 1*(-1) + 0 = -1"),
    ("template", "a.case5.output", 1, "y[1] = (-1)*1 + 1*0 + (-3)*(-1) + 0 = 2"),
    ("template", "a.case5.output", 2, "the output has only 2 values"),
    ("one", "a.case2.output", 0, "y[0] = 0(pad)*2 + 0 = 0"),
    ("small", "a.case1.output", 1, "y[1] = 2*2 + 0*0 + 3*1 + 1 = 8"),
    ("template", "a.case3.size", 0, "(7 - 3 + 2*0) / 4 + 1 = 2"),
    ("template", "a.case4.same", 0, "output size 7, input size 7"),
    ("template", "b.maps", 0, "one map per filter: 2"),
    ("template", "b.volume2", 0, "(5 - 3 + 2*0) / 2 + 1 = 2; depth = number of filters = 2"),
    ("template", "b.preserve", 0, "any F, P, S with (5 - F + 2P)/S + 1 = 5, e.g. F = 2P + 1 with S = 1"),
    ("small", "b.values2", 3, "map 2: y[1,1] = [1*0 + 3*1 + 0*1 + 1*0] + 2 = 5"),
    ("own", "b.values1", 0, "map 1: y[0,0] = [0(pad)*1 + 0(pad)*0 + 0(pad)*0 + 1*1] + 0 = 1"),
]


@pytest.mark.parametrize("name, qid, cell, text", DETAILS,
                         ids=["1d-first-window-on-padding", "1d-stride-4-second-window", "1d-cell-to-leave-empty",
                              "1d-window-all-padding", "1d-with-bias", "size-arithmetic", "same-size",
                              "maps", "volume", "preserve-rule", "2d-with-bias", "2d-padded-corner"])
def test_worked_computation(readings, name, qid, cell, text):
    assert _detail(question(readings, name, qid), cell) == text


def test_one_formula_and_one_worked_computation_per_cell(readings):
    for name in ("template", "course", "small", "one", "own"):
        for q in questions(readings[name]):
            if q.kind == "triple":
                assert q.formulas == [] and len(q.details) == 1
            elif q.kind == "values":
                assert len(q.formulas) == len(q.details) == len(q.expected) == q.area.size, (name, q.id)
                assert [f is None for f in q.formulas] == [v is None for v in q.expected], (name, q.id)


# ------------------------------------------------------------------ formulas, as text

FORMULAS = [
    # the template: defined names resolved to cells, strides and paddings as their cells
    ("template", "a.case1.output", 0, "=SUMPRODUCT('Ex1a'!$C$6:$E$6,'Ex1a'!$C$5:$E$5)+'Ex1a'!$C$7"),
    ("template", "a.case2.output", 2, "=SUMPRODUCT('Ex1a'!$C$6:$E$6,'Ex1a'!$G$5:$I$5)+'Ex1a'!$C$7"),
    ("template", "a.case2.output", 3, None),
    ("template", "a.case4.output", 0, "=SUMPRODUCT('Ex1a'!$D$6:$E$6,'Ex1a'!$C$5:$D$5)+'Ex1a'!$C$7"),
    ("template", "a.case4.output", 6, "=SUMPRODUCT('Ex1a'!$C$6:$D$6,'Ex1a'!$H$5:$I$5)+'Ex1a'!$C$7"),
    ("template", "a.case5.output", 1, "=SUMPRODUCT('Ex1a'!$C$6:$E$6,'Ex1a'!$F$5:$H$5)+'Ex1a'!$C$7"),
    ("template", "a.case5.size", 0,
     "=INT((COUNT('Ex1a'!$C$5:$I$5)-COUNT('Ex1a'!$C$6:$E$6)+2*'Ex1a'!$E$33)/'Ex1a'!$C$33)+1"),
    ("template", "a.case4.same", 0,
     "=IF(INT((COUNT('Ex1a'!$C$5:$I$5)-COUNT('Ex1a'!$C$6:$E$6)+2*'Ex1a'!$E$27)/'Ex1a'!$C$27)+1"
     "=COUNT('Ex1a'!$C$5:$I$5),\"yes\",\"no\")"),
    ("template", "b.maps", 0, "=COUNT('Ex1b'!$N$15,'Ex1b'!$N$21)"),
    ("template", "b.volume2", 0,
     "=(INT((ROWS('Ex1b'!$B$7:$F$11)-ROWS('Ex1b'!$B$15:$D$17)+2*'Ex1b'!$E$29)/'Ex1b'!$C$29)+1)&\"x\"&"
     "(INT((COLUMNS('Ex1b'!$B$7:$F$11)-COLUMNS('Ex1b'!$B$15:$D$17)+2*'Ex1b'!$E$29)/'Ex1b'!$C$29)+1)&\"x\"&"
     "COUNT('Ex1b'!$N$15,'Ex1b'!$N$21)"),
    ("template", "b.values2", 8,  # (2,2): rows 2-4, columns 2-4 of each channel, filter 2, bias 2
     "=SUMPRODUCT('Ex1b'!$B$21:$D$23,'Ex1b'!$D$9:$F$11)+SUMPRODUCT('Ex1b'!$F$21:$H$23,'Ex1b'!$J$9:$L$11)"
     "+SUMPRODUCT('Ex1b'!$J$21:$L$23,'Ex1b'!$P$9:$R$11)+'Ex1b'!$N$21"),
    # the course's layout: the strides and paddings are the numbers it gives
    ("course", "a.case5.size", 0, "=INT((COUNT('Ex1a'!$C$5:$I$5)-COUNT('Ex1a'!$C$6:$E$6)+2*1)/4)+1"),
    ("course", "b.volume2", 0,
     "=(INT((ROWS('Ex1b'!$B$7:$F$11)-ROWS('Ex1b'!$B$15:$D$17)+2*0)/2)+1)&\"x\"&"
     "(INT((COLUMNS('Ex1b'!$B$7:$F$11)-COLUMNS('Ex1b'!$B$15:$D$17)+2*0)/2)+1)&\"x\"&"
     "COUNT('Ex1b'!$N$15,'Ex1b'!$N$21)"),
    # ONE: a window of padding only is 0 plus the bias; one filter, one bias
    ("one", "a.case2.output", 0, "=0+'Ex1a'!$C$7"),
    ("one", "a.case2.output", 1, "=SUMPRODUCT('Ex1a'!$C$6,'Ex1a'!$C$5)+'Ex1a'!$C$7"),
    ("one", "b.maps", 0, "=COUNT('Ex1b'!$D$13)"),  # 1x1 filter: its bias two columns right of it
    # OWN: a column input against a row filter are multiplied cell by cell; quotes doubled
    ("own", "a.case1.output", 0, f"=({P1}$D$2*{P1}$A$2+{P1}$E$2*{P1}$A$3)+{P1}$C$4"),
    ("own", "a.case2.output", 1, f"=({P1}$C$2*{P1}$A$4+{P1}$D$2*{P1}$A$5+{P1}$E$2*{P1}$A$6)+{P1}$C$4"),
    ("own", "a.case3.output", 8, f"=0+{P1}$C$4"),
    ("own", "a.case1.size", 0, f"=INT((COUNT({P1}$A$2:$A$6)-COUNT({P1}$C$2:$E$2)+2*1)/1)+1"),
    # OWN 2D: one block of biases, split per filter; a three-cell volume, one formula per cell
    ("own", "b.values1", 0, f"=SUMPRODUCT({P2}$G$3,{P2}$B$2)+{P2}$I$2"),
    ("own", "b.values2", 1, f"=SUMPRODUCT({P2}$F$6:$G$6,{P2}$C$2:$D$2)+{P2}$J$2"),
    ("own", "b.values2", 2, f"=SUMPRODUCT({P2}$G$5:$G$6,{P2}$B$3:$B$4)+{P2}$J$2"),
    ("own", "b.values2", 3, f"=SUMPRODUCT({P2}$F$5:$G$6,{P2}$C$3:$D$4)+{P2}$J$2"),
    ("own", "b.maps", 0, f"=COUNT({P2}$I$2,{P2}$J$2)"),
    ("own", "b.volume1", 0, f"=(INT((ROWS({P2}$B$2:$D$4)-ROWS({P2}$F$2:$G$3)+2*0)/1)+1)"),
    ("own", "b.volume1", 1, f"=(INT((COLUMNS({P2}$B$2:$D$4)-COLUMNS({P2}$F$2:$G$3)+2*0)/1)+1)"),
    ("own", "b.volume1", 2, f"=COUNT({P2}$I$2,{P2}$J$2)"),
]


@pytest.mark.parametrize("name, qid, cell, formula", FORMULAS, ids=[
    "first-window", "stride-2-third-output", "cell-after-the-output-gets-none", "padding-on-the-left",
    "padding-on-the-right", "stride-4-second-window", "size-stride-and-padding-cells", "same-size-yes-no",
    "maps-counts-the-biases", "volume-in-one-cell", "2d-three-channels-last-cell",
    "course-size-with-numbers", "course-volume-with-numbers",
    "window-all-padding", "one-cell-filter", "one-filter-one-bias",
    "column-input-row-filter", "column-input-stride-in-a-cell", "column-window-all-padding",
    "size-of-column-input", "2d-corner-in-padding", "2d-top-edge", "2d-left-edge", "2d-whole-window",
    "maps-of-one-bias-block", "volume-height-cell", "volume-width-cell", "volume-depth-cell",
])
def test_formula_text(readings, name, qid, cell, formula):
    assert question(readings, name, qid).formulas[cell] == formula


def test_a_shape_in_three_cells_has_a_formula_for_each(readings):
    q = question(readings, "own", "b.volume1")
    assert q.area.size == 3 and len(q.formulas) == 3
    assert question(readings, "own", "b.volume2").formulas[0].count('&"x"&') == 2  # one cell: "1x1x2"


@pytest.mark.parametrize("region, operand_text", [
    (R.of("conv1d.cases.stride", 1), "1"),
    (R.of("conv1d.cases.padding", 3), "3"),
    (R.of("conv1d.cases.stride", 2), f"{P1}$I$10"),
    (R.of("conv1d.cases.padding", 2), f"{P1}$J$10"),
], ids=["stride-number-in-the-layout", "padding-number-in-the-layout", "stride-in-a-cell", "padding-in-a-cell"])
def test_operand(readings, region, operand_text):
    assert operand(readings["own"], region) == operand_text


# ------------------------------------------------------------------ formulas, evaluated


def _block(wb, name: str, overrides: dict, formulas):
    """The cells of a reference as `formulas` names it ("'CONV 2D'!B2:D4", "EX1A!C7"), with their values
    (``overrides`` changes some, by (sheet, cell))."""
    import numpy as np

    sheet_part, rng = name.rsplit("!", 1)
    sheet_key = sheet_part.strip("'").upper()
    ws = next(ws for ws in wb.worksheets if ws.title.upper() == sheet_key)
    c0, r0, c1, r1 = range_boundaries(rng)
    rows = [[overrides.get((ws.title, ws.cell(r, c).coordinate), ws.cell(r, c).value) for c in range(c0, c1 + 1)]
            for r in range(r0, r1 + 1)]
    quoted = "'" + sheet_key.replace("'", "''") + "'!" + rng
    return formulas.Ranges().push(quoted, np.array(rows, dtype=object))


def evaluate(formula: str, wb, overrides: dict | None = None):
    """The value of ``formula`` on the numbers of the workbook ``wb``."""
    formulas = pytest.importorskip("formulas")
    func = formulas.Parser().ast(formula)[1].compile()
    result = func(*(_block(wb, name, overrides or {}, formulas) for name in func.inputs))
    value = result.ravel()[0] if hasattr(result, "ravel") else result
    return value.item() if hasattr(value, "item") else value


def _want(q: Question, i: int):
    if q.kind == "values":
        return q.expected[i]
    if q.kind == "number":
        return q.expected
    if q.kind == "yesno":
        return "yes" if q.expected else "no"
    if q.kind == "shape":
        return "x".join(map(str, q.expected)) if q.area.size < 3 else q.expected[i]
    raise AssertionError(q.kind)


@pytest.mark.parametrize("name", ["template", "course", "small", "one", "own"],
                         ids=["template", "course-layout", "small-two-filters", "one-filter-bias-0",
                              "own-arrangement"])
def test_every_formula_computes_the_expected_answer(readings, name):
    reading = readings[name]
    wb = reading.book.workbook
    for q in questions(reading):
        for i, formula in enumerate(q.formulas):
            if formula is None:
                continue
            got = evaluate(formula, wb)
            want = _want(q, i)
            if isinstance(want, str):
                assert got == want, (q.id, i, formula)
            else:
                assert math.isclose(float(got), float(want)), (q.id, i, formula, got, want)


@pytest.mark.parametrize("qid, cell, change, value", [
    ("a.case1.output", 0, {("Ex1a", "C5"): 10}, 8),  # 10*1 + 1*0 + 2*(-1) + 0
    ("a.case1.output", 0, {("Ex1a", "C7"): 3}, 1),  # the bias: -2 + 3
    ("a.case4.output", 0, {("Ex1a", "E6"): 5}, 5),  # 0(pad)*1 + 0*0 + 1*5: the filter's last weight
    ("a.case3.size", 0, {("Ex1a", "C21"): 2}, 3),  # Case3_S = 2: (7-3)/2+1
    ("a.case3.same", 0, {("Ex1a", "E21"): 1, ("Ex1a", "C21"): 1}, "yes"),  # Case3 S=1, P=1 keeps 7
    ("b.volume1", 0, {("Ex1b", "E28"): 1}, "5x5x2"),  # Volume1_P = 1: (5-3+2)/1+1
    ("b.values2", 0, {("Ex1b", "N21"): 10}, 9),  # bias 2 = 10: -1 + 10
], ids=["input-cell", "bias-cell", "filter-cell", "stride-cell", "stride-and-padding-cells",
        "volume-padding-cell", "2d-bias-cell"])
def test_formulas_follow_the_workbook_numbers(readings, qid, cell, change, value):
    """The formulas read the workbook's cells: a changed number changes the result."""
    q = question(readings, "template", qid)
    assert evaluate(q.formulas[cell], readings["template"].book.workbook, change) == value


# ------------------------------------------------------------------ the size-preserving question

PRESERVING = [
    # (side of the input, answer, accepted?)
    (5, (3, 1, 1), True),
    (5, (3.0, 1.0, 1.0), True),  # as the checker parses the cells
    (5, (5, 2, 1), True),
    (5, (1, 0, 1), True),
    (5, (7, 3, 1), True),
    (5, (1, 2, 2), True),  # (5-1+4)/2+1 = 5 exactly: a stride of 2 can keep the size too
    (5, (3, 0, 1), False),  # no padding: 3
    (5, (3, 1, 2), False),  # (5-3+2)/2+1 = 3
    (5, (3.5, 1, 1), False),
    (5, (3, 1), False),
    (5, (3, -1, 1), False),
    (5, (3, 1, 0), False),
    (5, (float("nan"), 1, 1), False),
    (3, (2, 2, 2), False),  # (3-2+4)/2+1 = 3.5: 3 outputs only because a partial window is dropped
    (3, (3, 1, 1), True),
    (3, (1, 1, 2), True),  # (3-1+2)/2+1 = 3
]


@pytest.mark.parametrize("side, answer, accepted", PRESERVING, ids=[
    "classic-3-1-1", "floats-from-the-cells", "5-2-1", "1x1-filter", "7-3-1", "stride-2-exact",
    "no-padding", "stride-2-too-small", "half-a-filter", "two-numbers", "negative-padding", "stride-0",
    "not-a-number", "partial-window-not-exact", "3x3-input-3-1-1", "3x3-input-stride-2",
])
def test_size_preserving_answers_accepted(readings, side, answer, accepted):
    name = "template" if side == 5 else "own"
    q = question(readings, name, "b.preserve")
    assert q.side == side
    assert q.accept(answer) is accepted


@pytest.mark.parametrize("name", ["template", "small", "one", "own"],
                         ids=["3x3-filter", "2x2-filter", "1x1-filter", "own-2x2-filter"])
def test_the_example_triple_is_itself_accepted(readings, name):
    q = question(readings, name, "b.preserve")
    assert q.accept(q.expected)
    assert q.expected[2] == 1 and q.expected[0] == 2 * q.expected[1] + 1  # F = 2P + 1 with S = 1


# ------------------------------------------------------------------ the expected answer as a person writes it


def _q(kind: str, expected) -> Question:
    return Question(R.of("conv1d.cases.output", 1), "label", kind, Area("S", 1, 1, 1, 3), expected)


@pytest.mark.parametrize("q, text", [
    (_q("values", [-1.0, 2.0, None, None]), "-1, 2"),
    (_q("values", [0.5, -1.25]), "0.5, -1.25"),
    (_q("number", 5.0), "5"),
    (_q("yesno", True), "yes"),
    (_q("yesno", False), "no"),
    (_q("shape", (3, 3, 2)), "3x3x2"),
    (_q("triple", (3, 1, 1)), "e.g. F=3, P=1, S=1"),
], ids=["values-without-the-empty-cells", "decimals", "number-without-point-zero", "yes", "no", "shape",
        "triple-is-an-example"])
def test_expected_text(q, text):
    assert expected_text(q) == text


def test_expected_text_of_real_questions(readings):
    qs = by_id(readings["template"])
    assert expected_text(qs["a.case5.output"]) == "-1, 2"
    assert expected_text(qs["a.case3.size"]) == "2"
    assert expected_text(qs["b.volume1"]) == "3x3x2"
