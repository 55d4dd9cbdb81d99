"""The cells a worksheet really holds (``files.cells``): read without creating any, so that
looking at an empty spot or a sheet whose used range reaches XFD1048576 costs nothing and changes
nothing; the lists are copies, so a caller may add cells while going through them."""

from __future__ import annotations

import time

import openpyxl
import pytest

from xlcnn.files.cells import stored_cell, stored_cells, stored_items


@pytest.fixture
def ws():
    ws = openpyxl.Workbook().active
    ws["B2"] = 5
    ws["C3"] = "=B2*2"
    return ws


def test_a_new_sheet_holds_no_cells():
    ws = openpyxl.Workbook().active
    assert stored_cells(ws) == [] and list(stored_items(ws)) == []


def test_every_cell_the_sheet_holds_and_no_other(ws):
    assert sorted(c.coordinate for c in stored_cells(ws)) == ["B2", "C3"]
    assert sorted((pos, c.value) for pos, c in stored_items(ws)) == [((2, 2), 5), ((3, 3), "=B2*2")]


def test_a_far_cell_does_not_make_a_million_empty_ones():
    ws = openpyxl.Workbook().active
    ws["A1"] = 1
    ws["XFD1048576"] = 2  # the used range is now the whole sheet
    start = time.perf_counter()
    cells = stored_cells(ws)
    assert time.perf_counter() - start < 0.1
    assert sorted(c.coordinate for c in cells) == ["A1", "XFD1048576"]


@pytest.mark.parametrize("row, col, value", [(2, 2, 5), (3, 3, "=B2*2"), (1, 1, None), (2, 3, None),
                                             (1048576, 16384, None)],
                         ids=["a number", "a formula", "an empty corner", "an empty cell between two",
                              "the sheet's last cell"])
def test_stored_cell_reads_without_creating(ws, row, col, value):
    before = (ws.max_row, ws.max_column, len(stored_cells(ws)))
    cell = stored_cell(ws, row, col)
    assert (None if cell is None else cell.value) == value
    assert (cell is None) == (value is None)
    assert (ws.max_row, ws.max_column, len(stored_cells(ws))) == before


def test_stored_cell_is_the_sheets_own_cell(ws):
    assert stored_cell(ws, 2, 2) is ws["B2"]


def test_cells_may_be_added_while_going_through_the_list(ws):
    seen = []
    for cell in stored_cells(ws):
        seen.append(cell.coordinate)
        ws.cell(cell.row + 10, cell.column, "copy")  # would change the size of the dict being read
    assert sorted(seen) == ["B2", "C3"]
    assert len(stored_cells(ws)) == 4


def test_items_may_be_added_while_going_through_them(ws):
    seen = []
    for (row, col), _ in stored_items(ws):
        seen.append((row, col))
        ws.cell(row + 10, col, "copy")
    assert sorted(seen) == [(2, 2), (3, 3)]
    assert len(list(stored_items(ws))) == 4
