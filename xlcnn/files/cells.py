"""The cells a worksheet's file really holds, never its whole used range: the one place that reads
openpyxl's private ``Worksheet._cells`` (a sheet whose dimension says A1:XFD1048576 would otherwise
cost a million empty cells). Should openpyxl change it, this module is the one to change."""

from __future__ import annotations

from collections.abc import Iterator


def stored_cells(ws) -> list:
    """Every cell ``ws`` holds (a copy of the list: the caller may add cells while going through it)."""
    return list(ws._cells.values())


def stored_items(ws) -> Iterator[tuple[tuple[int, int], object]]:
    """((row, column), cell) of every cell ``ws`` holds."""
    return iter(list(ws._cells.items()))


def stored_cell(ws, row: int, col: int):
    """The cell at (row, col) if ``ws`` holds it, else None (never creating it)."""
    return ws._cells.get((row, col))
