"""Finding the blocks a student moved (``layout.relocate``), one exit of the search at a time, on
the course's own workbook (tests/support course builder) edited as students edit it."""

from __future__ import annotations

import pytest

from tests.support.course import blank, course_layout, student
from xlcnn.files.opening import open_workbook
from xlcnn.layout.model import parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.layout.relocate import LayoutMismatch, given_inputs, labels_from_handout, relocate
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
