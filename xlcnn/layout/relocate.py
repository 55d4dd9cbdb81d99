"""Blocks found where the student moved them: a layout of sheet ranges, displaced by the rows and
columns a student inserted or deleted, or carried to a renamed sheet.

A layout of ``'Sheet'!A1:B2`` ranges (a teacher's own workbook, no defined names) says where each
region is in the workbook *as handed out*. The handed-out workbook is known as a
:class:`HandoutLabels`: its labels (the text cells a student has no reason to change: "Case 2",
"Output volume with", ...) and, when known, its given numbers — from the teacher's file
(``--template``) or, without one, from what most of the class shares.

For one submission, :func:`relocate` finds each reference label that occurs once in both, which
gives its displacement (rows, columns); each region takes the displacement of the labels around
it. When the labels before and after a region disagree (rows were inserted or deleted between
them), the region's own content decides: the given numbers where they are known, or the one
position that holds answers. A region that no label places, a missing sheet, or a choice the
content cannot make is a :class:`LayoutMismatch`: held for a person, never graded from the wrong
cells. Pure functions over a loaded :class:`~xlcnn.files.opening.Book`; no I/O.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from openpyxl.utils import get_column_letter

from ..errors import WorkbookError
from ..files.cells import stored_items
from ..files.opening import Book
from ..files.typed import (
    excel_error,
    is_empty,
    is_placeholder,
    parse_number,
    parse_numbers,
    parse_yes_no,
)
from .model import MAX_COLS, MAX_ROWS, Area, Layout, names_a_sheet, sheet_range
from .regions import RegionId, block_names

Label = tuple[int, int, str]  # row, column, normalised text


class LayoutMismatch(WorkbookError):
    """The layout does not fit this workbook, and the blocks could not be found for sure."""


@dataclass
class HandoutLabels:
    """The handed-out workbook, as far as relocating needs it."""

    labels: dict[str, list[Label]]  # layout sheet -> its labels whose text occurs once (the anchors)
    inputs: dict[RegionId, np.ndarray] = field(default_factory=dict)  # input region -> its given numbers
    context: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # every label, by position
    source: str = "the handed-out workbook"
    learned: bool = False  # learned from the class (no handed-out file given)


def uses_ranges(layout: Layout) -> bool:
    """Whether the layout gives sheet ranges (relocatable), not only defined names and numbers."""
    return any(names_a_sheet(ref) for _, _, ref in layout.regions())


def layout_sheets(layout: Layout) -> list[str]:
    out = []
    for _, _, ref in layout.regions():
        if names_a_sheet(ref):
            sheet = ref.rsplit("!", 1)[0]
            sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet.strip()
            if sheet not in out:
                out.append(sheet)
    return out


def _label_text(value) -> str | None:
    """A cell's text when it is a label: not an answer a student could type (number, yes/no,
    volume, placeholder, Excel error)."""
    if not isinstance(value, str) or len(value) > 1000:
        return None
    return _label(value)


@functools.lru_cache(maxsize=8192)  # every copy of a workbook repeats the same labels
def _label(value: str) -> str | None:
    text = " ".join(value.split()).casefold()
    if len(text) < 2 or is_placeholder(text) or excel_error(text):
        return None
    if parse_number(text)[0] is not None or parse_yes_no(text)[0] is not None or parse_numbers([text], 3)[0]:
        return None
    return text


def label_cells(book: Book, sheets: list[str]) -> dict[str, list[Label]]:
    """The label cells of the named sheets that the workbook has (bounded scan of stored cells)."""
    out: dict[str, list[Label]] = {}
    for name in book.sheet_names():
        if sheets and name not in sheets:
            continue
        ws = book.workbook[name]
        labels = []
        for (row, col), cell in stored_items(ws):
            if row > MAX_ROWS or col > MAX_COLS:
                continue
            text = _label_text(cell.value)
            if text:
                labels.append((row, col, text))
        out[name] = sorted(labels)
    return out


def _unique(labels: list[Label]) -> list[Label]:
    counts = Counter(t for _, _, t in labels)
    return [lab for lab in labels if counts[lab[2]] == 1]


def labels_from_handout(book: Book, layout: Layout, inputs: dict[RegionId, np.ndarray] | None = None) -> HandoutLabels:
    """The teacher's handed-out file as the reference."""
    sheets = layout_sheets(layout)
    labels = label_cells(book, sheets)
    return HandoutLabels({s: _unique(labels.get(s, [])) for s in sheets}, inputs or {}, _by_position(labels),
                     f"the template {book.name}")


def _by_position(labels: dict[str, list[Label]]) -> dict[str, dict[tuple[int, int], str]]:
    return {sheet: {(r, c): t for r, c, t in labs} for sheet, labs in labels.items()}


def labels_from_class(labels: list[dict[str, list[Label]]], layout: Layout,
                         inputs: dict[RegionId, np.ndarray] | None = None) -> HandoutLabels:
    """The handed-out workbook as most of the class has it: the labels found at the same place in
    more than half of the submissions (and the given numbers most of them share)."""
    sheets = layout_sheets(layout)
    found: dict[str, list[Label]] = {}
    every: dict[str, list[Label]] = {}
    for sheet in sheets:
        counts = Counter(lab for book_labels in labels for lab in set(map(tuple, book_labels.get(sheet, []))))
        every[sheet] = sorted(lab for lab, n in counts.items() if n * 2 > len(labels))
        found[sheet] = _unique(every[sheet])
    return HandoutLabels(found, inputs or {}, _by_position(every), "the workbook as most of the class has it",
                         learned=True)


# ------------------------------------------------------------------ one submission


def _rows(n: int) -> str:
    return f"{abs(n)} row{'s' if abs(n) != 1 else ''} {'lower' if n > 0 else 'higher'}"


def _cols(n: int) -> str:
    return f"{abs(n)} column{'s' if abs(n) != 1 else ''} {'right' if n > 0 else 'left'}"


def describe(d: tuple[int, int]) -> str:
    parts = [_rows(d[0])] if d[0] else []
    parts += [_cols(d[1])] if d[1] else []
    return " and ".join(parts) or "in place"


@dataclass
class _SheetMatch:
    name: str  # in the submission
    anchors: list[tuple[Label, tuple[int, int]]]  # reference label -> its displacement in the submission
    missing: int  # reference labels not found once
    labels: dict[tuple[int, int], str] = field(default_factory=dict)  # the submission sheet's labels
    data_shifts: list[tuple[int, int]] = field(default_factory=list)  # given numbers found where labels do not say


def _match_sheet(ref_labels: list[Label], labels: list[Label]) -> tuple[list[tuple[Label, tuple[int, int]]], int]:
    where: dict[str, list[tuple[int, int]]] = {}
    for row, col, text in labels:
        where.setdefault(text, []).append((row, col))
    anchors, missing = [], 0
    for lab in ref_labels:
        spots = where.get(lab[2], [])
        if len(spots) == 1:
            anchors.append((lab, (spots[0][0] - lab[0], spots[0][1] - lab[1])))
        else:
            missing += 1
    return anchors, missing


def _map_sheets(book: Book, handout: HandoutLabels) -> tuple[dict[str, _SheetMatch], list[str], dict[str, list[str]]]:
    """The submission's sheet for each layout sheet, notes on renamed ones, and the layout sheets
    that several submission sheets fit equally well (name -> those sheets)."""
    names = book.sheet_names()
    labels = label_cells(book, [])
    out: dict[str, _SheetMatch] = {}
    notes = []
    ties: dict[str, list[str]] = {}
    taken = set()
    for sheet, ref_labels in handout.labels.items():
        if sheet in names:
            anchors, missing = _match_sheet(ref_labels, labels.get(sheet, []))
            if not ref_labels or len(anchors) * 2 >= len(ref_labels):
                out[sheet] = _SheetMatch(sheet, anchors, missing)
                taken.add(sheet)
    for sheet, ref_labels in handout.labels.items():
        if sheet in out or not ref_labels:
            continue
        scored = []
        for name in names:
            if name in taken:
                continue
            anchors, missing = _match_sheet(ref_labels, labels.get(name, []))
            scored.append((len(anchors), name, anchors, missing))
        scored.sort(key=lambda s: -s[0])
        best = [s for s in scored if s[0] * 2 >= len(ref_labels)]
        if len(best) == 1 or (len(best) > 1 and best[0][0] > best[1][0]):
            n, name, anchors, missing = best[0]
            out[sheet] = _SheetMatch(name, anchors, missing)
            taken.add(name)
            if name != sheet:
                notes.append(f"sheet '{sheet}' found as '{name}'")
        elif sheet in names:  # most labels gone: the regions below decide, with what is left
            anchors, missing = _match_sheet(ref_labels, labels.get(sheet, []))
            out[sheet] = _SheetMatch(sheet, anchors, missing)
        elif len(best) > 1:
            ties[sheet] = [s[1] for s in best if s[0] == best[0][0]]
    for sheet in out.values():
        sheet.labels = {(r, c): t for r, c, t in labels.get(sheet.name, [])}
    return out, notes, ties


def _context_fits(area: Area, d: tuple[int, int], sheet: _SheetMatch, handout: HandoutLabels) -> bool | None:
    """Whether the labels in the region's rows (in the handed-out workbook) stand at the same place
    beside it in the submission once displaced by ``d``; None when its rows hold no label."""
    context = handout.context.get(area.sheet, {})
    beside = [(pos, text) for pos, text in context.items() if area.min_row <= pos[0] <= area.max_row]
    if not beside:
        return None
    return all(sheet.labels.get((pos[0] + d[0], pos[1] + d[1])) == text for pos, text in beside)


def _values(book: Book, sheet: str, area: Area, d: tuple[int, int]) -> list:
    out = []
    for r in range(area.min_row + d[0], area.max_row + d[0] + 1):
        for c in range(area.min_col + d[1], area.max_col + d[1] + 1):
            if r < 1 or c < 1:
                return [None] * area.size
            out.append(book.value(sheet, f"{get_column_letter(c)}{r}"))
    return out


def _holds(values: list, expected: np.ndarray) -> bool:
    nums = [parse_number(v)[0] for v in values]
    return None not in nums and np.allclose(np.array(nums, dtype=float), expected.reshape(-1), atol=1e-9)


def _filled(values: list) -> bool:
    return any(not is_empty(v) and not is_placeholder(v) for v in values)


def _search(book: Book, expected: np.ndarray, shape: tuple[int, int], sheets: list[str]) -> list[tuple[str, int, int]]:
    """Every place on the given sheets where the block of numbers ``expected`` stands."""
    first = float(expected.reshape(-1)[0])
    found = []
    for name in sheets:
        ws = book.workbook[name]
        for (row, col), cell in stored_items(ws):
            if row > MAX_ROWS or col > MAX_COLS:
                continue
            n = parse_number(book.value(name, cell.coordinate))[0]
            if n is None or abs(n - first) > 1e-9:
                continue
            area = Area(name, row, col, row + shape[0] - 1, col + shape[1] - 1)
            if _holds(_values(book, name, area, (0, 0)), expected):
                found.append((name, row, col))
    return found


def relocate(book: Book, layout: Layout, handout: HandoutLabels) -> tuple[Layout, list[str]]:
    """The layout as it fits this submission, and notes on what was found where; raises
    :class:`LayoutMismatch` (naming the region and why) when a block cannot be placed for sure."""
    if not uses_ranges(layout):
        return layout, []
    sheets, notes, ties = _map_sheets(book, handout)
    moved: dict[RegionId, str] = {}
    shifts: dict[tuple[int, int], list[RegionId]] = {}
    for region, role, ref in layout.regions():
        if not names_a_sheet(ref):
            continue
        area = sheet_range(ref, region, book.name)
        if area.sheet in ties:
            which = " and ".join(f"'{name}'" for name in ties[area.sheet])
            raise LayoutMismatch(f"{book.name}: {region}: no sheet '{area.sheet}', and sheets {which} both have its "
                                 "labels; a person must say which")
        if area.sheet not in sheets:
            raise LayoutMismatch(f"{book.name}: {region}: no sheet '{area.sheet}' and no other sheet with its labels "
                                 f"(the workbook has {', '.join(book.sheet_names())})")
        sheet = sheets[area.sheet]
        d = _displacement(book, region, role, area, sheet, handout)
        if sheet.name != area.sheet or d != (0, 0):
            target = Area(sheet.name, area.min_row + d[0], area.min_col + d[1], area.max_row + d[0],
                          area.max_col + d[1])
            if target.min_row < 1 or target.min_col < 1:
                raise LayoutMismatch(f"{book.name}: {region}: its labels put it outside the sheet")
            moved[region] = target.ref(absolute=False)
            if d != (0, 0):
                shifts.setdefault(d, []).append(region)
    for d, regions in shifts.items():
        every = [r for r, _, ref in layout.regions() if isinstance(ref, str)]
        notes.append(f"{block_names(regions, every)} found {describe(d)}")
    return (layout.with_refs(moved) if moved else layout), notes


def _displacement(book: Book, region: RegionId, role: str, area: Area, sheet: _SheetMatch,
                  handout: HandoutLabels) -> tuple[int, int]:
    anchors = sheet.anchors
    if not anchors:
        if handout.labels.get(area.sheet):
            raise LayoutMismatch(f"{book.name}: {region}: none of the labels of sheet '{area.sheet}' is in the "
                                 "workbook: the block cannot be placed")
        options = [(0, 0)]
    elif len({d for _, d in anchors}) == 1:
        options = [anchors[0][1]]
    else:
        before = [(area.min_row - lab[0], abs(area.min_col - lab[1]), d)
                  for lab, d in anchors if lab[0] <= area.min_row]
        after = [(lab[0] - area.max_row, abs(area.min_col - lab[1]), d) for lab, d in anchors if lab[0] > area.max_row]
        near_before = min(before)[2] if before else None
        near_after = min(after)[2] if after else None
        options = [d for d in (near_before, near_after) if d is not None]
        options = list(dict.fromkeys(options))  # distinct, nearest above first
    expected = handout.inputs.get(region)
    if role == "input" and expected is not None:
        # where the labels put it, else where the sheet's other given numbers were found
        tries = list(dict.fromkeys(options + sheet.data_shifts))
        fits = [d for d in tries if _holds(_values(book, sheet.name, area, d), expected)]
        if fits:
            return fits[0]
        found = _search(book, expected, area.shape, [sheet.name])
        if len(found) == 1:
            name, row, col = found[0]
            d = (row - area.min_row, col - area.min_col)
            if d not in sheet.data_shifts:  # rows or columns inserted where no label shows it
                sheet.data_shifts.append(d)
            return d
        return options[0]  # not there: read as it stands (changed inputs are flagged as such)
    if sheet.data_shifts:  # the labels do not tell how the numbers moved: only the content can
        options = list(dict.fromkeys(options + sheet.data_shifts))
        filled = [d for d in options if _filled(_values(book, sheet.name, area, d))]
        if len(filled) == 1:
            return filled[0]
        if filled:
            raise LayoutMismatch(f"{book.name}: {region}: the given numbers moved where the labels did not "
                                 f"({describe(sheet.data_shifts[0])}) and several places hold something; "
                                 "a person must say which")
        return options[0]
    if len(options) == 1:
        return options[0]
    fits = [d for d in options if _context_fits(area, d, sheet, handout)]
    if len(fits) == 1:
        return fits[0]
    filled = [d for d in options if _filled(_values(book, sheet.name, area, d))]
    if len(filled) == 1:
        return filled[0]
    if not filled:
        return options[0]  # nothing written at either place: the answer is missing either way
    raise LayoutMismatch(f"{book.name}: {region}: rows or columns were inserted or deleted around it and both "
                         f"places hold something ({describe(options[0])} or {describe(options[1])}); "
                         "a person must say which")


def given_inputs(reading) -> dict[RegionId, np.ndarray]:
    """The given numbers of every input region of a workbook read through its layout (a
    :class:`~xlcnn.workbook.reading.Reading`), by region id."""
    out = {}
    for region, role, _ref in reading.layout.regions():
        area = reading.areas.get(region)
        if role != "input" or area is None:
            continue
        nums = [parse_number(reading.book.value(area.sheet, c))[0] for c in area.coords()]
        if None not in nums:
            out[region] = np.array(nums, dtype=float).reshape(area.shape)
    return out
