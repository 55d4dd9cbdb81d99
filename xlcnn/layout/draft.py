"""``xlcnn layout draft``: propose the layout of a teacher's own workbook, for the TA to confirm.

From the handed-out (blank) workbook:

* the **given numbers** by shape — a row of numbers (the 1D input) and a shorter one below it
  (the filter), then a single number (the bias); square blocks of one size (the input volume's
  slices) and of a smaller size (the filters' slices, channel by channel, filter after filter),
  single numbers in the filters' rows (their biases);
* the **strides and paddings**: single numbers right of a label ``S =`` / ``P =`` (or
  ``stride``, ``padding``); each such row opens a case;
* the **answer cells**: the empty cells with the fill the answer cells share (the colour most
  empty coloured cells have), taken in reading order after each case row — an output row, then
  one cell for the size and one for "same size?"; for the 2D part, the number of maps, one
  volume per case row, the size-preserving triple, and one grid per filter.

With the solved copy (``--solution``), every answer region is confirmed by its values: the
cells must hold the answers computed from the inputs found. Each region of the draft carries a
comment saying how it was found. Pure functions over loaded workbooks; the CLI writes the file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..core.exercise import Example, solve
from ..errors import LayoutError, XlcnnError
from ..files.cells import stored_items
from ..files.opening import Book
from ..files.typed import parse_number, parse_numbers, parse_yes_no
from .regions import RegionId

R = RegionId
from .model import MAX_COLS, MAX_ROWS, Area, parse_layout

_STRIDE = re.compile(r"^\s*(s|stride)\s*[=:]?\s*$", re.I)
_PADDING = re.compile(r"^\s*(p|padding)\s*[=:]?\s*$", re.I)


@dataclass
class Block:
    area: Area
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.area.shape


@dataclass
class Draft:
    """A proposed layout: its TOML (with a comment per region) and what could not be found."""

    text: str
    problems: list[str] = field(default_factory=list)


def _numbers(book: Book, sheet: str) -> dict[tuple[int, int], float]:
    out = {}
    for (row, col), cell in stored_items(book.workbook[sheet]):
        if row > MAX_ROWS or col > MAX_COLS or book.formula(sheet, cell.coordinate):
            continue
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            out[(row, col)] = float(cell.value)
    return out


def _values(book: Book, sheet: str) -> int:
    """How many cells of ``sheet`` show a number (a typed one, or a formula's cached value)."""
    count = 0
    for (row, col), cell in stored_items(book.workbook[sheet]):
        if row <= MAX_ROWS and col <= MAX_COLS:
            value = book.value(sheet, cell.coordinate)
            count += isinstance(value, (int, float)) and not isinstance(value, bool)
    return count


def _text(book: Book, sheet: str, row: int, col: int) -> str:
    if row < 1 or col < 1:
        return ""
    value = book.workbook[sheet].cell(row, col).value
    return value if isinstance(value, str) else ""


def _rectangles(cells: set[tuple[int, int]]) -> list[Area]:
    """Maximal horizontal runs, merged down while the next row has the same span (grids); single
    cells and one-row runs stay as they are."""
    runs = []
    for row in sorted({r for r, _ in cells}):
        cols = sorted(c for r, c in cells if r == row)
        start = prev = cols[0]
        for c in cols[1:] + [None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            runs.append((row, start, prev))
            if c is not None:
                start = prev = c
    used, out = set(), []
    for row, c0, c1 in runs:
        if (row, c0, c1) in used:
            continue
        last = row
        while c1 > c0 and (last + 1, c0, c1) in runs:
            used.add((last + 1, c0, c1))
            last += 1
        out.append((row, c0, last, c1))
    return [Area("", r0, c0, r1, c1) for r0, c0, r1, c1 in out]


def _ref(area: Area) -> str:
    return area.ref(absolute=False)


def _block(book: Book, sheet: str, area: Area, nums: dict) -> Block:
    a = Area(sheet, area.min_row, area.min_col, area.max_row, area.max_col)
    vals = np.array([[nums[(r, c)] for c in range(a.min_col, a.max_col + 1)] for r in range(a.min_row, a.max_row + 1)])
    return Block(a, vals)


def _answer_fill(book: Book) -> str | None:
    counts: Counter = Counter()
    for ws in book.workbook.worksheets:
        for (row, col), cell in stored_items(ws):
            if row > MAX_ROWS or col > MAX_COLS or cell.value is not None:
                continue
            if cell.fill is not None and cell.fill.fill_type == "solid":
                counts[cell.fill.fgColor.rgb] += 1
    return counts.most_common(1)[0][0] if counts else None


def _answer_areas(book: Book, sheet: str, fill: str | None) -> list[Area]:
    if fill is None:
        return []
    cells = set()
    for (row, col), cell in stored_items(book.workbook[sheet]):
        if row <= MAX_ROWS and col <= MAX_COLS and cell.value is None and cell.fill is not None \
                and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == fill:
            cells.add((row, col))
    return [Area(sheet, a.min_row, a.min_col, a.max_row, a.max_col) for a in _rectangles(cells)] if cells else []


def draft_layout(blank: Book, solved: Book | None = None) -> Draft:
    """The layout of the handed-out workbook ``blank`` (see the module's docstring)."""
    problems: list[str] = []
    comments: dict[str, str] = {}
    sheets = [s for s in blank.sheet_names() if blank.workbook[s].sheet_state == "visible"]
    if solved is not None:  # the solved workbook holds the given numbers and the answers: more numbers
        given = sum(_values(blank, s) for s in sheets)
        answered = sum(_values(solved, s) for s in solved.sheet_names() if solved.workbook[s].sheet_state == "visible")
        if given > answered:
            raise LayoutError(f"{blank.name} holds more numbers ({given}) than the solved workbook {solved.name} "
                              f"({answered}): the arguments look swapped; give the blank workbook first and the solved "
                              "one with --solution")
    strides, paddings = [], []  # (sheet, row, col, value)
    scalars, vectors, squares = [], [], []
    for sheet in sheets:
        nums = _numbers(blank, sheet)
        if not nums:
            continue
        for rect in _rectangles(set(nums)):
            block = _block(blank, sheet, rect, nums)
            label = _text(blank, sheet, rect.min_row, rect.min_col - 1)
            if block.area.size == 1 and _STRIDE.match(label):
                strides.append(block)
            elif block.area.size == 1 and _PADDING.match(label):
                paddings.append(block)
            elif block.area.size == 1:
                scalars.append(block)
            elif 1 in block.shape:
                vectors.append(block)
            elif block.shape[0] == block.shape[1]:
                squares.append(block)
    cases = []  # (stride block, padding block), by sheet order then row
    order = {s: i for i, s in enumerate(sheets)}
    for s in sorted(strides, key=lambda b: (order[b.area.sheet], b.area.min_row)):
        pads = [p for p in paddings if p.area.sheet == s.area.sheet and p.area.min_row == s.area.min_row]
        if pads:
            cases.append((s, pads[0]))
        else:
            problems.append(f"{s.area}: a stride without a padding in its row")
    sizes = Counter(b.shape[0] for b in squares)
    if len(sizes) < 2:
        raise LayoutError("found no input volume and filters (square blocks of two sizes); "
                          "write the layout by hand (README: Layout files)", path=blank.path)
    big, small = max(sizes), min(sizes)
    inputs2d = sorted([b for b in squares if b.shape[0] == big], key=lambda b: (order[b.area.sheet], b.area.min_row, b.area.min_col))
    filters = sorted([b for b in squares if b.shape[0] == small], key=lambda b: (order[b.area.sheet], b.area.min_row, b.area.min_col))
    c = len(inputs2d)
    if len(filters) % c:
        raise LayoutError(f"{len(filters)} filter slices of {small}x{small} for {c} input channels: "
                          "not one slice per channel per filter", path=blank.path)
    k = len(filters) // c
    sheet2d = inputs2d[0].area.sheet
    first2d = inputs2d[0].area.min_row
    biases2d = []
    for kk in range(k):
        rows = range(filters[kk * c].area.min_row - 1, filters[kk * c].area.max_row + 1)
        found = [b for b in scalars if b.area.sheet == filters[kk * c].area.sheet and b.area.min_row in rows]
        if not found:
            raise LayoutError(f"no bias found beside filter {kk + 1} ({filters[kk * c].area})", path=blank.path)
        biases2d.append(found[0])
    before2d = lambda b: order[b.area.sheet] < order[sheet2d] or (b.area.sheet == sheet2d and b.area.min_row < first2d)
    vectors1d = sorted([v for v in vectors if before2d(v)], key=lambda b: (order[b.area.sheet], b.area.min_row))
    if len(vectors1d) < 2:
        raise LayoutError("found no 1D input and filter (two rows or columns of numbers before the 2D part)", path=blank.path)
    x1 = max(vectors1d, key=lambda b: b.area.size)
    after = [v for v in vectors1d if (order[v.area.sheet], v.area.min_row, v.area.min_col) >
             (order[x1.area.sheet], x1.area.min_row, x1.area.min_col)]
    w1 = after[0] if after else [v for v in vectors1d if v is not x1][0]
    b1s = [b for b in scalars if before2d(b) and (b.area.sheet, b.area.min_row) >= (w1.area.sheet, w1.area.min_row)
           and not any(b is s for s, _ in cases)]
    if not b1s:
        raise LayoutError("no 1D bias (a single number after the 1D filter)", path=blank.path)
    b1 = sorted(b1s, key=lambda b: (order[b.area.sheet], b.area.min_row))[0]
    cases1 = [cs for cs in cases if before2d(cs[0])]
    cases2 = [cs for cs in cases if not before2d(cs[0])]
    if not cases1 or not cases2:
        raise LayoutError(f"found {len(cases1)} 1D and {len(cases2)} 2D rows with S = and P =; "
                          "expected at least one of each", path=blank.path)
    volumes, values_case = cases2[:-1], cases2[-1]

    ex = Example(x1=x1.values.reshape(-1), w1=w1.values.reshape(-1), b1=float(b1.values[0, 0]),
                 x2=np.stack([b.values for b in inputs2d], axis=-1),
                 w2=np.stack([np.stack([filters[kk * c + ch].values for ch in range(c)], axis=-1) for kk in range(k)], axis=-1),
                 b2=np.array([b.values[0, 0] for b in biases2d]),
                 cases1=tuple((int(s.values[0, 0]), int(p.values[0, 0])) for s, p in cases1),
                 volume_cases=tuple((int(s.values[0, 0]), int(p.values[0, 0])) for s, p in volumes) or ((1, 0),),
                 values_case=(int(values_case[0].values[0, 0]), int(values_case[1].values[0, 0])), name=blank.name)
    ans = solve(ex)

    fill = _answer_fill(blank)
    answers = {s: _answer_areas(blank, s, fill) for s in sheets}
    taken: set[Area] = set()
    how_found = "the empty cells coloured like the answer cells" if solved is None else \
        "the cells of the solved copy that hold the answer computed from these inputs"

    def between(sheet: str, top: int, bottom: int) -> list[Area]:
        return sorted((a for a in answers.get(sheet, []) if top <= a.min_row < bottom and a not in taken),
                      key=lambda a: (a.min_row, a.min_col))

    def confirm(area: Area, check) -> bool:
        if solved is None:
            return True
        got = [solved.value(area.sheet, coord) for coord in area.coords()]
        return check(got)

    def take(region: RegionId, candidates: list[Area], check, what: str) -> Area | None:
        for a in candidates:
            if confirm(a, check):
                taken.add(a)
                comments[region] = f"{what}: {how_found}"
                return a
        problems.append(f"{region}: not found ({what}); add it by hand")
        return None

    def equals(expected):
        exp = np.asarray(expected, float).reshape(-1)
        def check(got):
            nums = [parse_number(v)[0] for v in got]
            filled = [n for n in nums if n is not None]
            return len(filled) == exp.size and nums[:exp.size] == filled and np.allclose(filled, exp, atol=0.01)
        return check

    lines = [f"# Layout drafted by `xlcnn layout draft` from {blank.name}"
             + (f" and its solved copy {solved.name}" if solved else "") + ".",
             "# Confirm it with `xlcnn inspect WORKBOOK --layout THIS_FILE` before grading.", "", "[conv1d]",
             f'input = "{_ref(x1.area)}"  # the longest row of numbers before the 2D part ({x1.area.size} values)',
             f'filter = "{_ref(w1.area)}"  # the next row of numbers ({w1.area.size} values)',
             f'bias = "{_ref(b1.area)}"  # the single number after the filter', ""]
    case_rows = [(s.area.sheet, s.area.min_row) for s, _ in cases] + [(None, None)]
    for i, ((s, p), case) in enumerate(zip(cases1, ans.cases1), 1):
        nxt = case_rows[i]
        bottom = nxt[1] if nxt[0] == s.area.sheet else MAX_ROWS + 1
        candidates = between(s.area.sheet, s.area.min_row, bottom)
        lines += ["[[conv1d.cases]]", f'stride = "{_ref(s.area)}"  # right of "S ="', f'padding = "{_ref(p.area)}"  # right of "P ="']
        out = take(R.of("conv1d.cases.output", i), [a for a in candidates if a.size >= case.size.size and 1 in a.shape],
                   equals(case.values), f"output values ({case.size.size})")
        if out is not None:
            lines.append(f'output = "{_ref(out)}"  # {comments[R.of("conv1d.cases.output", i)]}')
        singles = [a for a in between(s.area.sheet, s.area.min_row, bottom) if a.size == 1]
        size = take(R.of("conv1d.cases.size", i), singles, equals([case.size.size]), "output size")
        if size is not None:
            lines.append(f'size = "{_ref(size)}"  # {comments[R.of("conv1d.cases.size", i)]}')
        singles = [a for a in between(s.area.sheet, s.area.min_row, bottom) if a.size == 1]
        same = take(R.of("conv1d.cases.same", i), singles,
                    lambda got, want=case.same_size: parse_yes_no(got[0])[0] is want, "same size as the input?")
        if same is not None:
            lines.append(f'same = "{_ref(same)}"  # {comments[R.of("conv1d.cases.same", i)]}')
        lines.append("")

    lines += ["[conv2d]", "input = [" + ", ".join(f'"{_ref(b.area)}"' for b in inputs2d)
              + f"]  # {c} square blocks of {big}x{big}: the input volume's channels",
              "filters = [" + ", ".join("[" + ", ".join(f'"{_ref(filters[kk * c + ch].area)}"' for ch in range(c)) + "]"
                                        for kk in range(k)) + f"]  # {k} filters of {c} blocks of {small}x{small}",
              "biases = [" + ", ".join(f'"{_ref(b.area)}"' for b in biases2d) + "]  # one number beside each filter"]
    top2d = max(f.area.max_row for f in filters if f.area.sheet == sheet2d)
    first_case = volumes[0][0].area.min_row if volumes else values_case[0].area.min_row
    maps = take(R.of("conv2d.maps"), [a for a in between(sheet2d, top2d + 1, first_case) if a.size == 1],
                equals([k]), "number of activation maps")
    if maps is not None:
        lines.append(f'maps = "{_ref(maps)}"  # {comments[R.of("conv2d.maps")]}')
    vol_lines = []
    for i, ((s, p), vol) in enumerate(zip(volumes, ans.volumes), 1):
        row = [a for a in answers.get(s.area.sheet, []) if a.min_row == s.area.min_row and a not in taken
               and a.size in (1, 3)]
        want = tuple(vol.shape)
        area = take(R.of("conv2d.volumes.answer", i), row,
                    lambda got, want=want: parse_numbers(got, 3)[0] is not None and tuple(parse_numbers(got, 3)[0]) == want,
                    "output volume")
        vol_lines += ["[[conv2d.volumes]]", f'stride = "{_ref(s.area)}"', f'padding = "{_ref(p.area)}"']
        if area is not None:
            vol_lines.append(f'answer = "{_ref(area)}"  # {comments[R.of("conv2d.volumes.answer", i)]}')
        vol_lines.append("")
    h = ex.x2.shape[0]
    preserve = take(R.of("conv2d.preserve"), [a for a in between(sheet2d, top2d + 1, values_case[0].area.min_row)
                                        if a.size in (1, 3)],
                    lambda got: (t := parse_numbers(got, 3)[0]) is not None and (h - t[0] + 2 * t[1]) / t[2] + 1 == h,
                    "F, P, S that preserve the size")
    if preserve is not None:
        lines.append(f'preserve = "{_ref(preserve)}"  # {comments[R.of("conv2d.preserve")]}')
    lines += [""] + vol_lines
    rows, cols = ans.values.shape[:2]
    grids = [a for a in between(sheet2d, values_case[0].area.min_row, MAX_ROWS + 1) if a.shape == (rows, cols)]
    outs = []
    for kk in range(k):
        area = take(R.of("conv2d.values.output", kk + 1), grids, equals(ans.values[:, :, kk]), f"output map {kk + 1}")
        if area is not None:
            outs.append(area)
            grids = [g for g in grids if g not in taken]
    lines += ["[conv2d.values]", f'stride = "{_ref(values_case[0].area)}"', f'padding = "{_ref(values_case[1].area)}"',
              "output = [" + ", ".join(f'"{_ref(a)}"' for a in outs) + f"]  # {rows}x{cols} grids: {how_found}", ""]
    text = "\n".join(lines)
    try:
        parse_layout(text, "the draft")
    except XlcnnError as err:
        problems.append(f"the draft is incomplete: {err}")
    return Draft(text, problems)
