"""Finding the blocks a student moved (``layout.relocate``), one exit of the search at a time, on
the course's own workbook (tests/support course builder) edited as students edit it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.support.course import blank, course_layout, student
from xlcnn.files.opening import Book, open_workbook
from xlcnn.layout.model import Layout, parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.layout.relocate import HandoutLabels, LayoutMismatch, given_inputs, labels_from_handout, relocate
from xlcnn.workbook.reading import read_workbook

R = RegionId.of


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("handout")
    layout = parse_layout(course_layout(), "course.toml")
    book = open_workbook(blank(tmp / "blank.xlsx"))
    return tmp, layout, labels_from_handout(book, layout, given_inputs(read_workbook(book, layout)))


def relocated(handout, name, edit):
    tmp, layout, labels = handout
    book = open_workbook(student(tmp / f"{name}.xlsx", edit=edit))
    return layout, relocate(book, layout, labels)


def insert_rows(sheet, row, n):
    return lambda wb: wb[sheet].insert_rows(row, n)


def test_an_untouched_workbook_keeps_its_layout(handout):
    layout, (found, notes) = relocated(handout, "same", None)
    assert found == layout and notes == []


def test_rows_inserted_above_every_block_move_the_whole_part(handout):
    layout, (found, notes) = relocated(handout, "rows-on-top", insert_rows("Ex1a", 1, 3))
    assert notes == ["1D block found 3 rows lower"]
    before, after = layout.refs[R("conv1d.input")], found.refs[R("conv1d.input")]
    assert before != after and (int(after.split("!")[1][1:].split(":")[0])
                                == int(before.split("!")[1][1:].split(":")[0]) + 3)


def test_a_renamed_sheet_is_found_by_its_labels(handout):
    def rename(wb):
        wb["Ex1b"].title = "Exercise b"

    _, (found, notes) = relocated(handout, "renamed", rename)
    assert found.refs[R("conv2d.maps")].startswith("'Exercise b'!")
    assert any("Exercise b" in n for n in notes)


def test_a_sheet_without_any_of_its_labels_is_a_mismatch(handout):
    def wipe(wb):
        ws = wb["Ex1b"]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = None

    with pytest.raises(LayoutMismatch, match="none of the labels of sheet 'Ex1b' is in the workbook"):
        relocated(handout, "no-labels", wipe)


def test_a_missing_sheet_is_a_mismatch_naming_the_region(handout):
    def drop(wb):
        del wb["Ex1b"]

    with pytest.raises(LayoutMismatch, match=r"conv2d\.input\[1\]: no sheet 'Ex1b' and no other sheet with its labels"):
        relocated(handout, "no-sheet", drop)


# ---------------------------------------------------------------- every exit, on a small sheet
#
# A handed-out sheet small enough to read in the test: each label stands on the row above its
# block (so a row inserted between a label and its block moves one and not the other), and the
# layout is given as ranges. The rows and columns below are the handout's:
#
#   1  Input signal             4  Filter weights     7  Bias term     10  Case one output
#   2  . 1 2 3 4 5              5  . 1 0 -1           8  . 2           11  . (answer B11:D11)
#   13 Case one size            14 . (answer B14)     16 The end

HANDOUT = {"A1": "Input signal", "B2": 1, "C2": 2, "D2": 3, "E2": 4, "F2": 5,
           "A4": "Filter weights", "B5": 1, "C5": 0, "D5": -1,
           "A7": "Bias term", "B8": 2,
           "A10": "Case one output", "A13": "Case one size", "A16": "The end"}
ANSWERS = {"B11": 3, "C11": 4, "D11": 5, "B14": 3}
# the same sheet with a label on the answer's own row, written twice (so it is context, not an anchor)
BESIDE = {**HANDOUT, "A11": "value", "A14": "value"}

SMALL = Layout.of({R("conv1d.input"): "'Ex'!B2:F2", R("conv1d.filter"): "'Ex'!B5:D5", R("conv1d.bias"): "'Ex'!B8",
                   R("conv1d.cases.stride", 1): 1, R("conv1d.cases.padding", 1): 0,
                   R("conv1d.cases.output", 1): "'Ex'!B11:D11", R("conv1d.cases.size", 1): "'Ex'!B14"},
                  "small.toml")


def small_book(cells: dict, edit=None, name: str = "sub.xlsx") -> Book:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ex"
    for coord, value in cells.items():
        ws[coord] = value
    if edit:
        edit(ws)
    return Book(Path(name), wb, {}, "xlsx")


def small_handout(cells: dict = HANDOUT) -> HandoutLabels:
    book = small_book(cells, name="handout.xlsx")
    return labels_from_handout(book, SMALL, given_inputs(read_workbook(book, SMALL)))


def edits(*steps):
    def run(ws):
        for step in steps:
            step(ws)
    return run


def rows_at(row, n=1):
    return lambda ws: ws.insert_rows(row, n)


def cols_at(col, n=1):
    return lambda ws: ws.insert_cols(col, n)


def put(**cells):
    def run(ws):
        for coord, value in cells.items():
            ws[coord] = value
    return run


def clear(*coords):
    def run(ws):
        for coord in coords:
            ws[coord] = None
    return run


def move_input_to(coord):
    """The input's five numbers cut from B2:F2 and pasted from ``coord`` on (no label moves)."""
    def run(ws):
        clear("B2", "C2", "D2", "E2", "F2")(ws)
        row, col = ws[coord].row, ws[coord].column
        for i, v in enumerate((1, 2, 3, 4, 5)):
            ws.cell(row, col + i, v)
    return run


# (id, the student's edit, the handed-out sheet, region -> where relocation must find it, or the
# mismatch it must raise)
EXITS = [
    ("untouched: every label where it was", None, HANDOUT, {}, None),
    ("labels agree: rows above everything move every block", rows_at(1, 2), HANDOUT,
     {"conv1d.input": "'Ex'!B4:F4", "conv1d.filter": "'Ex'!B7:D7", "conv1d.bias": "'Ex'!B10",
      "conv1d.cases[1].output": "'Ex'!B13:D13", "conv1d.cases[1].size": "'Ex'!B16"}, None),
    ("labels disagree: the given numbers decide between the label above and the label below",
     rows_at(2), HANDOUT, {"conv1d.input": "'Ex'!B3:F3", "conv1d.filter": "'Ex'!B6:D6", "conv1d.bias": "'Ex'!B9",
                           "conv1d.cases[1].output": "'Ex'!B12:D12", "conv1d.cases[1].size": "'Ex'!B15"}, None),
    ("numbers moved where no label shows: found by their values", move_input_to("H2"), HANDOUT,
     {"conv1d.input": "'Ex'!H2:L2", "conv1d.cases[1].output": "'Ex'!B11:D11"}, None),
    ("numbers found twice: read where the labels put them (flagged as changed inputs)",
     edits(move_input_to("H2"), put(H20=1, I20=2, J20=3, K20=4, L20=5)), HANDOUT, {"conv1d.input": "'Ex'!B2:F2"},
     None),
    ("numbers changed: not found anywhere, read where the labels put them", put(B2=99), HANDOUT,
     {"conv1d.input": "'Ex'!B2:F2"}, None),
    ("columns inserted between labels and numbers: answers follow the numbers", cols_at(2, 6), HANDOUT,
     {"conv1d.input": "'Ex'!H2:L2", "conv1d.filter": "'Ex'!H5:J5", "conv1d.bias": "'Ex'!H8",
      "conv1d.cases[1].output": "'Ex'!H11:J11", "conv1d.cases[1].size": "'Ex'!H14"}, None),
    ("columns inserted, the answer missing at both places: read where the labels put it",
     edits(cols_at(2, 6), clear("H14")), HANDOUT,
     {"conv1d.input": "'Ex'!H2:L2", "conv1d.filter": "'Ex'!H5:J5", "conv1d.bias": "'Ex'!H8",
      "conv1d.cases[1].output": "'Ex'!H11:J11"}, None),
    ("columns inserted, something at both places: held",
     edits(cols_at(2, 6), put(B11="see right")), HANDOUT, {},
     r"conv1d\.cases\[1\]\.output: the given numbers moved where the labels did not \(6 columns right\) and "
     r"several places hold something"),
    ("a row between a label and its answer: the one filled place", rows_at(11), HANDOUT,
     {"conv1d.cases[1].output": "'Ex'!B12:D12", "conv1d.cases[1].size": "'Ex'!B15"}, None),
    ("a row between a label and its answer, no answer anywhere: read below the label",
     edits(clear("B11", "C11", "D11"), rows_at(11)), HANDOUT,
     {"conv1d.cases[1].output": "'Ex'!B11:D11", "conv1d.cases[1].size": "'Ex'!B15"}, None),
    ("a row between a label and its answer, both places filled: held",
     edits(rows_at(11), put(B11="working:")), HANDOUT, {},
     r"conv1d\.cases\[1\]\.output: rows or columns were inserted or deleted around it and both places hold "
     r"something \(in place or 1 row lower\)"),
    ("both places filled, a label on the answer's own row decides", edits(rows_at(11), put(B11="working:")), BESIDE,
     {"conv1d.cases[1].output": "'Ex'!B12:D12", "conv1d.cases[1].size": "'Ex'!B15"}, None),
    ("rows deleted above a block: its labels put it outside the sheet", lambda ws: ws.delete_rows(1, 3), HANDOUT, {},
     r"conv1d\.input: its labels put it outside the sheet"),
    ("a handout sheet without labels: read in place", put(A1=None, A4=None, A7=None, A10=None, A13=None, A16=None),
     {k: v for k, v in HANDOUT.items() if not isinstance(v, str)}, {}, None),
    ("every label of the sheet gone: held", clear("A1", "A4", "A7", "A10", "A13", "A16"), HANDOUT, {},
     r"conv1d\.input: none of the labels of sheet 'Ex' is in the workbook"),
    ("most labels gone: the sheet of that name, by what is left", clear("A1", "A4", "A7", "A10"), HANDOUT, {}, None),
]


@pytest.mark.parametrize("edit, cells, where, held", [e[1:] for e in EXITS], ids=[e[0] for e in EXITS])
def test_each_exit_of_the_displacement_search(edit, cells, where, held):
    handout = small_handout(cells)
    book = small_book({**cells, **ANSWERS}, edit)
    if held:
        with pytest.raises(LayoutMismatch, match=held):
            relocate(book, SMALL, handout)
        return
    found, _notes = relocate(book, SMALL, handout)
    expected = {**SMALL.refs, **{RegionId.parse(k): v for k, v in where.items()}}
    assert found.refs == expected


def test_a_layout_of_defined_names_is_not_relocated():
    names = Layout.of({R("conv1d.input"): "Input1D", R("conv1d.filter"): "Filter1D"}, "names.toml")
    assert relocate(small_book(HANDOUT, rows_at(1, 5)), names, small_handout()) == (names, [])


def test_the_notes_say_which_blocks_moved_and_how_far():
    _, notes = relocate(small_book({**HANDOUT, **ANSWERS}, rows_at(11)), SMALL, small_handout())
    assert notes == ["1D case 1 found 1 row lower"]
    _, notes = relocate(small_book({**HANDOUT, **ANSWERS}, cols_at(2, 6)), SMALL, small_handout())
    assert notes == ["1D block found 6 columns right"]


def test_a_renamed_sheet_copied_twice_is_held_naming_both():
    def two_copies(ws):
        ws.title = "Mine"
        ws.parent.copy_worksheet(ws).title = "Mine (2)"

    with pytest.raises(LayoutMismatch, match=r"no sheet 'Ex', and sheets 'Mine' and 'Mine \(2\)' both have its labels"):
        relocate(small_book({**HANDOUT, **ANSWERS}, two_copies), SMALL, small_handout())
