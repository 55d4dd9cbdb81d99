"""A corpus of *teachers'* workbooks for Exercise 1 (1D and 2D convolutions), for `layout draft`.

Issue #23 asks ``xlcnn layout draft BLANK.xlsx --solution SOLVED.xlsx -o layout.toml`` to draft
the layout of any teacher's own version of the exercise's workbook. This module builds such
workbooks the way teachers lay them out, each a faithful version of the *same* exercise (the
numbers of ``xlcnn/data/example.toml``: the same 1D input, filter and bias, the same five (S, P)
cases, the same 5x5x3 input volume, two 3x3x3 filters and their biases, the same two volumes and
the same values case), but arranged differently:

* 1D data in rows or in columns, with or without an index row/column (0..n-1 or 1..n) beside
  the data -- an index is *not* data;
* labels beside the cells or as table headers, in English, French or German;
* the 1D cases as ``S =`` / ``P =`` blocks, as a table whose column headers say ``Stride S`` /
  ``Padding P`` (or ``Pas S`` / ``Remplissage P``, ``Schrittweite S`` / ``Auffüllung P``), as a
  table with one *column* per case, or as blocks whose heading text alone gives S and P;
* the three input channels side by side under headings, or stacked; filters side by side,
  stacked, or as one contiguous 9x3 stack; biases beside each filter or as one block of two cells;
  one workbook writes every 2D slice transposed (x down, y across), consistently for the input,
  the filters and the output maps;
* one sheet, two sheets (1D on one, 2D on the other), or three (with an instructions sheet);
* merged title cells, a title block and paragraphs of instructions above the data;
* answer cells all one fill colour, the given numbers shaded too, or no colour at all.

For every workbook, ``TeacherBook`` gives the ``blank`` (answer cells empty) and ``solved``
(answers computed here with numpy, from the numbers *as the layout reads them*) files, and a
HAND-WRITTEN layout TOML (sheet ranges, in the format of ``xlcnn/data/layout.toml``) that is the
truth a drafted layout is compared with (its ranges are written by hand as a small table, which
``_layout`` writes out as that TOML text). ``fill_student`` writes a student's copy with chosen
mistakes from this module's own record of where the answers are (never from a layout parsed by
xlcnn); ``STUDENTS`` / ``make_class`` give a small class of six per workbook.

This corpus was written WITHOUT reading xlcnn's drafting, relocating or layout code; it imports
nothing from xlcnn, so that it judges that code independently. Conventions it assumes (from the
README and the practical): convolution is cross-correlation, output size
floor((n + 2P - k) / S) + 1, padding zeros add nothing; "same size" answers are yes/no words of
the workbook's language (German workbooks hold TRUE/FALSE booleans); volumes are "3x3x2" (one
cell) or three cells W, H, D; the size-preserving answer is F, P, S (3, 1, 1) in one or three
cells. A 1D output region may be longer than the output (the cells after it stay empty).
Optional regions (``size``, ``same``, ``maps``, ``preserve``, ``volumes``) are written only where
the workbook has them; ``note`` never (no teacher's workbook has a cell for solve's remark).
Strides and paddings are cell references where the workbook has a cell holding the number alone,
plain numbers where the workbook gives them only inside a sentence ("Output volume with S = 1,
P = 0") -- a drafted layout may legitimately choose the other form; compare resolved values.

Self-check: ``python -m tests.support.teacher_workbooks /tmp/teacher_corpus`` builds every workbook
and checks, through the hand-written layout alone, that the given numbers are the exercise's and
that the solved answers are the convolutions of what the layout reads.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries

# --------------------------------------------------------------------------------------------
# The exercise (copied by hand from xlcnn/data/example.toml).

X1 = [0, 1, 2, -1, 1, -3, 0]
W1 = [1, 0, -1]
B1 = 0
CASES_1D = [(1, 0), (2, 0), (4, 0), (1, 1), (4, 1)]
X2 = [
    [[0, 1, 0, 2, 1], [0, 0, 1, 0, 1], [2, 1, 2, 1, 2], [0, 1, 2, 2, 0], [2, 1, 1, 2, 0]],
    [[0, 0, 0, 0, 2], [0, 1, 0, 0, 1], [2, 2, 1, 2, 2], [1, 2, 1, 1, 2], [0, 2, 0, 2, 1]],
    [[0, 1, 1, 2, 0], [2, 0, 1, 2, 1], [1, 1, 2, 1, 2], [2, 1, 2, 1, 1], [2, 1, 1, 0, 1]],
]
W2 = [
    [[[1, 0, 0], [1, 1, 0], [0, 1, 1]], [[0, 1, 0], [1, 1, 0], [-1, 1, 1]], [[0, 0, 0], [0, 1, 1], [1, -1, -1]]],
    [[[0, 1, 1], [0, 1, 0], [0, -1, 0]], [[0, -1, -1], [-1, 1, 0], [-1, 0, 1]], [[-1, -1, -1], [0, 0, 1], [0, 0, 0]]],
]
B2 = [1, 0]
VOLUME_CASES = [(1, 0), (2, 0)]
VALUES_CASE = (1, 0)
PRESERVE = (3, 1, 1)  # F, P, S: a 3x3 filter, padding 1, stride 1 keeps 5x5


# --------------------------------------------------------------------------------------------
# The convolutions, as the practical defines them (cross-correlation, zero padding).

def out_size(n: int, k: int, stride: int, padding: int) -> int:
    return (n + 2 * padding - k) // stride + 1


def conv1d(x, w, b, stride: int, padding: int) -> list[int]:
    x = np.pad(np.asarray(x, dtype=float), padding)
    w = np.asarray(w, dtype=float)
    n = (len(x) - len(w)) // stride + 1
    return [_num(float(x[i * stride:i * stride + len(w)] @ w) + b) for i in range(n)]


def conv2d(x, w, b, stride: int, padding: int) -> np.ndarray:
    """``x``: (C, H, W); ``w``: (K, C, kh, kw); ``b``: K biases. Returns (K, H', W')."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    x = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    k, _, kh, kw = w.shape
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((k, oh, ow))
    for f in range(k):
        for i in range(oh):
            for j in range(ow):
                window = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw]
                out[f, i, j] = float((window * w[f]).sum()) + b[f]
    return out


def _num(v: float):
    return round(v) if abs(v - round(v)) < 1e-9 else v


# --------------------------------------------------------------------------------------------
# Building a workbook and recording where every region went.

def cells_of(rng: str) -> list[str]:
    """The coordinates of a range, row after row (how a layout reads a block)."""
    min_col, min_row, max_col, max_row = range_boundaries(rng)
    return [f"{get_column_letter(c)}{r}" for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


def _col(letter: str) -> int:
    """A column's number: ``"B"`` -> 2."""
    return range_boundaries(f"{letter}1")[0]


def _rng(col: int, row: int, width: int = 1, height: int = 1) -> str:
    """The range of ``width`` x ``height`` cells from column ``col`` (a number), row ``row``: ``B5:H5``; ``B7``."""
    first = f"{get_column_letter(col)}{row}"
    if width == height == 1:
        return first
    return f"{first}:{get_column_letter(col + width - 1)}{row + height - 1}"


@dataclass
class Region:
    key: str                 # flattened layout key, e.g. "conv1d.cases[1].output", "conv2d.input[0]"
    role: str                # "given", "param" (a stride or padding) or "answer"
    sheet: str | None        # None: a stride/padding that the layout gives as a plain number
    rng: str | None          # e.g. "B5:H5"
    values: list             # given numbers / right answers, in the range's order (may be shorter)

    @property
    def cells(self) -> list[str]:
        return cells_of(self.rng) if self.rng else []

    @property
    def ref(self):
        if self.sheet is None:
            return self.values[0]
        return f"'{self.sheet}'!{self.rng}"


THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


class Book:
    """A teacher's workbook being built: openpyxl workbook + the record of its regions."""

    def __init__(self) -> None:
        self.wb = openpyxl.Workbook()
        self._fresh = True
        self.regions: dict[str, Region] = {}
        self.answer_fill: str | None = None  # RGB of the answer cells' fill, None: no colour
        self.given_fill: str | None = None
        self.borders = True
        self.yes: Any = "yes"
        self.no: Any = "no"
        # The 2D numbers as the layout reads them (a builder writing slices transposed changes them).
        self.x2 = np.asarray(X2)
        self.w2 = np.asarray(W2)
        self.wb.properties.creator = "A teacher"

    # ---- sheets and plain cells
    def sheet(self, title: str, heading=None, widths: dict[str, float] | None = None, **style):
        """A new sheet (the workbook's own first one, renamed), ``widths`` of its columns and
        ``heading`` in A1 (bold, size 14, unless ``style`` -- ``text``'s -- says otherwise)."""
        if self._fresh:
            ws = self.wb.active
            ws.title = title
            self._fresh = False
        else:
            ws = self.wb.create_sheet(title)
        if widths:
            self.widths(ws, **widths)
        if heading is not None:
            self.text(ws, "A1", heading, **{"bold": True, "size": 14, **style})
        return ws

    def text(self, ws, coord: str, value, bold=False, merge: str | None = None, wrap=False, italic=False,
             size: float | None = None, center=False) -> None:
        cell = ws[coord]
        cell.value = value
        if bold or italic or size:
            cell.font = Font(bold=bold, italic=italic, size=size or 11)
        if wrap or center:
            cell.alignment = Alignment(wrap_text=wrap, vertical="top" if wrap else None,
                                       horizontal="center" if center else None)
        if merge:
            ws.merge_cells(f"{coord}:{merge}")

    def plain(self, ws, rng: str, values, bold=False, italic=False) -> None:
        """Labels or index numbers (not data) written over a range, in its order."""
        for coord, v in zip(cells_of(rng), values, strict=False):
            self.text(ws, coord, v, bold=bold, italic=italic)

    # ---- regions
    def _style(self, ws, coords, fill):
        for coord in coords:
            if fill:
                ws[coord].fill = PatternFill("solid", fgColor=fill)
            if self.borders:
                ws[coord].border = BOX

    def given(self, key: str, ws, rng: str, values) -> None:
        values = list(np.asarray(values).ravel().tolist())
        coords = cells_of(rng)
        assert len(coords) == len(values), (key, rng, values)
        for coord, v in zip(coords, values, strict=False):
            ws[coord].value = _num(v)
        self._style(ws, coords, self.given_fill)
        self._add(Region(key, "given", ws.title, rng, [_num(v) for v in values]))

    def param(self, key: str, value: int, ws=None, coord: str | None = None) -> None:
        """A stride or padding: in a cell of its own, or (no ``ws``) a plain number of the layout."""
        if ws is not None:
            ws[coord].value = value
            self._add(Region(key, "param", ws.title, coord, [value]))
        else:
            self._add(Region(key, "param", None, None, [value]))

    def answer(self, key: str, ws, rng: str, values) -> None:
        values = values if isinstance(values, list) else [values]
        coords = cells_of(rng)
        assert len(values) <= len(coords), (key, rng, values)
        self._style(ws, coords, self.answer_fill)
        self._add(Region(key, "answer", ws.title, rng, list(values)))

    def _add(self, region: Region) -> None:
        assert region.key not in self.regions, region.key
        self.regions[region.key] = region

    def widths(self, ws, **widths: float) -> None:
        for col, w in widths.items():
            ws.column_dimensions[col].width = w

    # ---- labelled regions and framed blocks
    def labelled(self, key: str, ws, label_at: str, label, rng: str, values, **style) -> None:
        """Given numbers, their label (``text``'s ``style``) in ``label_at``."""
        self.text(ws, label_at, label, **style)
        self.given(key, ws, rng, values)

    def question(self, key: str, ws, label_at: str, label, rng: str, value, **style) -> None:
        """An answer region, its question (``text``'s ``style``) in ``label_at``."""
        self.text(ws, label_at, label, **style)
        self.answer(key, ws, rng, value)

    def given_block(self, key: str, ws, at: str, values, heading=None, index=None, span=False, **style) -> None:
        """A 2D block of given numbers, framed from ``at`` (see ``_frame``)."""
        values = np.asarray(values)
        self.given(key, ws, self._frame(ws, at, values.shape, heading, index, span, style), values)

    def map_block(self, k: int, ws, at: str, heading=None, index=None, span=False, **style) -> None:
        """Activation map ``k``'s answer block (the values case), framed from ``at`` (see ``_frame``)."""
        shape = np.shape(self.maps()[k])
        self.answer(f"conv2d.values.output[{k}]", ws, self._frame(ws, at, shape, heading, index, span, style),
                    self.map_values(k))

    def _frame(self, ws, at: str, shape, heading, index, span: bool, style: dict) -> str:
        """``heading`` (``text``'s ``style``; ``span``: merged across the block, centred) in ``at`` and
        the block of ``shape`` (rows, columns) under it; ``index``: "row", a row of index numbers
        1..n between them, "both", also an index column 1..n on the block's left, under the heading.
        Returns the block's range."""
        col, row, _, _ = range_boundaries(at)
        height, width = shape
        left = col + (index == "both")
        if heading is not None:
            merge = f"{get_column_letter(left + width - 1)}{row}" if span else None
            self.text(ws, at, heading, merge=merge, center=span, **style)
        row += 1
        if index:
            self.plain(ws, _rng(left, row, width), range(1, width + 1), italic=True)
            row += 1
        if index == "both":
            self.plain(ws, _rng(col, row, 1, height), range(1, height + 1), italic=True)
        return _rng(left, row, width, height)

    # ---- the right answers, from the numbers as the layout reads them
    def out1d(self, case: int) -> list[int]:
        s, p = CASES_1D[case]
        return conv1d(X1, W1, B1, s, p)

    def same(self, case: int):
        return self.yes if len(self.out1d(case)) == len(X1) else self.no

    def maps(self) -> list[list[list[int]]]:
        s, p = VALUES_CASE
        out = conv2d(self.x2, self.w2, B2, s, p)
        return [[[_num(v) for v in row] for row in m] for m in out.tolist()]

    def map_values(self, k: int) -> list[int]:
        return [v for row in self.maps()[k] for v in row]

    @staticmethod
    def volume(case: int) -> tuple[int, int, int]:
        s, p = VOLUME_CASES[case]
        n = out_size(5, 3, s, p)
        return (n, n, len(W2))

    def volume_text(self, case: int, sep: str = "x") -> str:
        return sep.join(str(v) for v in self.volume(case))


# --------------------------------------------------------------------------------------------
# The corpus's entries.

@dataclass(frozen=True)
class TeacherBook:
    name: str                          # e.g. "rows-english-coloured"
    description: str                   # one line
    builder: Callable[[Book], None]    # fills a fresh Book
    layout_toml: str                   # HAND-WRITTEN layout (the truth)
    notes: str = ""
    has_2d: bool = True
    has_1d: bool = True

    def record(self) -> Book:
        """The workbook in memory with its record of regions (a fresh build each call)."""
        bk = Book()
        self.builder(bk)
        return bk

    def build(self, directory: Path | str) -> tuple[Path, Path]:
        """Write ``NAME-blank.xlsx`` and ``NAME-solved.xlsx`` into ``directory``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        bk = self.record()
        blank = directory / f"{self.name}-blank.xlsx"
        bk.wb.save(blank)
        _write_answers(bk.wb, bk.regions, {})
        solved = directory / f"{self.name}-solved.xlsx"
        bk.wb.save(solved)
        return blank, solved

    def answers(self) -> dict[str, tuple[str, list[str], list]]:
        """Answer key -> (sheet, cells in reading order, right values; cells past them stay empty)."""
        return {k: (r.sheet, r.cells, list(r.values)) for k, r in self.record().regions.items() if r.role == "answer"}

    def given(self) -> dict[str, tuple[str, list[str], list]]:
        return {k: (r.sheet, r.cells, list(r.values)) for k, r in self.record().regions.items() if r.role == "given"}

    def fill_student(self, blank_path: Path | str, out_path: Path | str, mistakes: dict | None = None) -> Path:
        return fill_student(self, blank_path, out_path, mistakes)

    def layout(self) -> dict:
        return tomllib.loads(self.layout_toml)

    @property
    def yes_no(self) -> tuple[Any, Any]:
        bk = self.record()
        return bk.yes, bk.no


def _write_answers(wb, regions: dict[str, Region], mistakes: dict) -> None:
    """Right answers everywhere, then the mistakes. ``mistakes``: ``{key: value}`` replaces a
    whole region (a list fills its cells in order, a scalar its first cell; ``None`` leaves it
    empty); ``{"key@i": value}`` replaces the region's i-th cell (0-based, reading order; ``None``:
    empty). A ``str`` is written as text (``"3,5"``, ``"-2"``)."""
    answers = {k: r for k, r in regions.items() if r.role == "answer"}
    for key in mistakes:
        base = key.split("@")[0]
        if base not in answers:
            raise KeyError(f"{key!r}: no such answer region (have: {', '.join(answers)})")
    for key, r in answers.items():
        ws = wb[r.sheet]
        values = list(r.values)
        if key in mistakes:
            v = mistakes[key]
            values = [] if v is None else (list(v) if isinstance(v, (list, tuple)) else [v])
        cells = r.cells
        assert len(values) <= len(cells), (key, values)
        values = values + [None] * (len(cells) - len(values))
        for mk, mv in mistakes.items():
            if "@" in mk and mk.split("@")[0] == key:
                values[int(mk.split("@")[1])] = mv
        for coord, v in zip(cells, values, strict=False):
            ws[coord].value = v


def fill_student(book: TeacherBook | str, blank_path: Path | str, out_path: Path | str,
                 mistakes: dict | None = None) -> Path:
    """A student's copy of ``book``'s blank workbook: every answer right except ``mistakes``
    (see ``_write_answers`` for their form), saved to ``out_path``."""
    book = BY_NAME[book] if isinstance(book, str) else book
    wb = openpyxl.load_workbook(blank_path)
    _write_answers(wb, book.record().regions, dict(mistakes or {}))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out_path)
    return out_path


# --------------------------------------------------------------------------------------------
# A class of six students, the same habits in every workbook.

@dataclass(frozen=True)
class Student:
    name: str
    description: str
    mistakes: Callable[[TeacherBook], dict]   # the mistakes in this workbook (keys it has only)


def _only(book: TeacherBook, mistakes: dict) -> dict:
    have = set(book.answers())
    return {k: v for k, v in mistakes.items() if k.split("@")[0] in have}


def _flipped_no_bias(book: TeacherBook) -> dict:
    bk = book.record()
    s, p = VALUES_CASE
    no_bias = conv2d(bk.x2, bk.w2, [0, B2[1]], s, p)[0]          # filter 1: bias forgotten
    flipped = conv2d(bk.x2, bk.w2[:, :, ::-1, ::-1], B2, s, p)[1]  # filter 2: kernel flipped
    return _only(book, {"conv2d.values.output[0]": [_num(v) for v in no_bias.ravel()],
                        "conv2d.values.output[1]": [_num(v) for v in flipped.ravel()]})


def _padding_ignored_2d_blank(book: TeacherBook) -> dict:
    wrong = conv1d(X1, W1, B1, CASES_1D[3][0], 0)
    m = {"conv1d.cases[3].output": wrong, "conv1d.cases[3].size": len(wrong), "conv1d.cases[3].same": book.yes_no[1]}
    m.update({k: None for k in book.answers() if k.startswith("conv2d.")})
    return _only(book, m)


def _volume_wrong(book: TeacherBook) -> dict:
    answers = book.answers()
    if "conv2d.volumes[1].answer" not in answers:
        return {}
    cells = answers["conv2d.volumes[1].answer"][1]
    return {"conv2d.volumes[1].answer": [3, 3, 2] if len(cells) == 3 else "3x3x2"}  # S=2 taken as S=1


STUDENTS: list[Student] = [
    Student("all-right", "every answer right", lambda b: {}),
    Student("case2-one-value-wrong", "case 2's second output value wrong (0 for 1)",
            lambda b: _only(b, {"conv1d.cases[1].output@1": 0})),
    Student("size-wrong-maps-missing", "case 3's size 3 (not rounded down), maps left empty, volume 2 wrong",
            lambda b: {**_only(b, {"conv1d.cases[2].size": 3, "conv2d.maps": None}), **_volume_wrong(b)}),
    Student("answers-as-text", "right answers typed as text ('-2', '5') and a wrong one as '3,5' (case 4)",
            lambda b: _only(b, {"conv1d.cases[0].output@0": "-2", "conv1d.cases[3].output@2": "3,5",
                                "conv2d.values.output[0]@0": "5"})),
    Student("bias-forgotten-kernel-flipped", "2D map 1 without its bias, map 2 with the kernel flipped",
            _flipped_no_bias),
    Student("padding-ignored-2d-blank", "case 4 computed with P=0 (5 values, size 5, not same); no 2D answer",
            _padding_ignored_2d_blank),
]


def make_class(book: TeacherBook | str, directory: Path | str) -> list[tuple[str, Path, dict]]:
    """Build ``book`` in ``directory`` and one filled copy per student of ``STUDENTS``:
    ``[(student name, path, mistakes), ...]``."""
    book = BY_NAME[book] if isinstance(book, str) else book
    directory = Path(directory)
    blank, _ = book.build(directory)
    out = []
    for st in STUDENTS:
        mistakes = st.mistakes(book)
        out.append((st.name, fill_student(book, blank, directory / "class" / f"{st.name}.xlsx", mistakes), mistakes))
    return out


# --------------------------------------------------------------------------------------------
# Layout helpers (plain tomllib; nothing of xlcnn).

def normalise_ref(ref):
    """``"Ex1a!$C$5:$I$5"`` / ``"'Ex1a'!c5:i5"`` -> ``"'Ex1a'!C5:I5"``; ``B3:B3`` -> ``B3``; numbers unchanged."""
    if not isinstance(ref, str) or "!" not in ref:
        return ref
    sheet, rng = ref.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    rng = rng.replace("$", "").upper()
    if ":" in rng:
        a, b = rng.split(":")
        if a == b:
            rng = a
    return f"'{sheet}'!{rng}"


def flatten_layout(text: str) -> dict[str, Any]:
    """A layout TOML as ``{"conv1d.input": "'Ex1'!B5:H5", "conv1d.cases[0].stride": 1,
    "conv2d.filters[1][2]": ..., "conv2d.biases[0]": ... or "conv2d.biases": block, ...}``."""
    out: dict[str, Any] = {}

    def walk(prefix: str, v) -> None:
        if isinstance(v, dict):
            for k, sub in v.items():
                walk(f"{prefix}.{k}" if prefix else k, sub)
        elif isinstance(v, list):
            for i, sub in enumerate(v):
                walk(f"{prefix}[{i}]", sub)
        else:
            out[prefix] = normalise_ref(v)

    walk("", tomllib.loads(text))
    return out


def _read(wb, ref) -> list:
    if not isinstance(ref, str):
        return [ref]
    sheet, rng = normalise_ref(ref).rsplit("!", 1)
    ws = wb[sheet[1:-1]]
    return [ws[c].value for c in cells_of(rng)]


def self_check(book: TeacherBook, directory: Path | str) -> list[str]:
    """Build ``book`` and check it through its hand-written layout alone; returns the problems."""
    problems: list[str] = []
    flat = flatten_layout(book.layout_toml)
    rec = book.record().regions
    recorded = {k: normalise_ref(r.ref) for k, r in rec.items()}
    if flat != recorded:
        for k in sorted(set(flat) | set(recorded)):
            if flat.get(k) != recorded.get(k):
                problems.append(f"{book.name}: {k}: layout says {flat.get(k)!r}, builder put {recorded.get(k)!r}")
    blank_path, solved_path = book.build(directory)
    blank = openpyxl.load_workbook(blank_path)
    solved = openpyxl.load_workbook(solved_path)
    lay = tomllib.loads(book.layout_toml)

    def expect(cond, msg):
        if not cond:
            problems.append(f"{book.name}: {msg}")

    for wb, which in ((blank, "blank"), (solved, "solved")):
        for key, ref in flat.items():
            kind = rec[key].role if key in rec else "?"
            got = _read(wb, ref)
            if kind == "answer" and which == "blank":
                expect(all(v is None for v in got), f"blank {key} at {ref} not empty: {got}")

    def num(wb, ref):
        return [float(v) for v in _read(wb, ref)]

    yes, no = book.yes_no
    if "conv1d" in lay:
        c1 = lay["conv1d"]
        x, w = num(solved, c1["input"]), num(solved, c1["filter"])
        [b] = num(solved, c1["bias"])
        expect(x == X1 and w == W1 and b == B1, f"1D given numbers read {x} {w} {b}")
        expect(len(c1["cases"]) == len(CASES_1D), "not 5 cases")
        for i, case in enumerate(c1["cases"]):
            [s], [p] = num(solved, case["stride"]), num(solved, case["padding"])
            expect((s, p) == CASES_1D[i], f"case {i + 1}: (S, P) read {(s, p)}")
            y = conv1d(x, w, b, int(s), int(p))
            got = _read(solved, case["output"])
            expect(got[:len(y)] == y and all(v is None for v in got[len(y):]), f"case {i + 1} output {got} != {y}")
            if "size" in case:
                expect(_read(solved, case["size"]) == [len(y)], f"case {i + 1} size")
            if "same" in case:
                expect(_read(solved, case["same"]) == [yes if len(y) == len(x) else no], f"case {i + 1} same")
    if "conv2d" in lay:
        c2 = lay["conv2d"]
        xs = np.array([np.reshape(num(solved, r), (5, 5)) for r in c2["input"]])
        ws_ = np.array([[np.reshape(num(solved, r), (3, 3)) for r in f] for f in c2["filters"]])
        bs = ([v for r in c2["biases"] for v in num(solved, r)] if isinstance(c2["biases"], list)
              else num(solved, c2["biases"]))
        ex_x, ex_w = np.asarray(X2, float), np.asarray(W2, float)
        plain = np.array_equal(xs, ex_x) and np.array_equal(ws_, ex_w)
        transposed = np.array_equal(xs, ex_x.transpose(0, 2, 1)) and np.array_equal(ws_, ex_w.transpose(0, 1, 3, 2))
        expect(plain or transposed, "2D given numbers are not the exercise's (nor all transposed)")
        expect(bs == B2, f"biases read {bs}")
        v = c2["values"]
        [s], [p] = num(solved, v["stride"]), num(solved, v["padding"])
        expect((s, p) == VALUES_CASE, "values case")
        maps = conv2d(xs, ws_, bs, int(s), int(p))
        for k, ref in enumerate(v["output"]):
            expect(_read(solved, ref) == [_num(t) for t in maps[k].ravel()], f"map {k + 1}: {_read(solved, ref)}")
        if "maps" in c2:
            expect(_read(solved, c2["maps"]) == [2], "maps")
        for i, vol in enumerate(c2.get("volumes", [])):
            [s], [p] = num(solved, vol["stride"]), num(solved, vol["padding"])
            expect((s, p) == VOLUME_CASES[i], f"volume {i + 1} (S, P)")
            n = out_size(5, 3, int(s), int(p))
            got = _read(solved, vol["answer"])
            one = len(got) == 1 and re.sub(r"\s", "", str(got[0])).replace("×", "x") == f"{n}x{n}x2"
            ok = got == [n, n, 2] or one
            expect(ok, f"volume {i + 1}: {got}")
        if "preserve" in c2:
            got = _read(solved, c2["preserve"])
            expect(got == list(PRESERVE) or got == ["3, 1, 1"], f"preserve {got}")
    return problems


# ============================================================================================
# The workbooks. Each builder is followed by its hand-written layout.

YELLOW, GREEN, BLUE, ORANGE, PINK, GREY, CREAM, PALE = ("FFFF00", "C6EFCE", "DDEBF7", "FCE4D6", "FFC7CE",
                                                        "D9D9D9", "FFF2CC", "E2EFDA")

# ---- what the builders share: the 1D data, the cases, 2D blocks, the questions

_BOLD = {"bold": True}
_GIVEN_1D = (("conv1d.input", X1), ("conv1d.filter", W1), ("conv1d.bias", [B1]))


def _rows_1d(bk: Book, ws, rows, labels) -> None:
    """The 1D input, filter and bias in ``rows`` from column B, each labelled in column A."""
    for (key, values), r, label in zip(_GIVEN_1D, rows, labels, strict=False):
        bk.labelled(key, ws, f"A{r}", label, _rng(2, r, len(values)), values)


def _columns_1d(bk: Book, ws, row: int, headers, cols: str, indexed: int = 0, base: int = 0) -> None:
    """The 1D input, filter and bias down ``cols`` under a row of bold ``headers`` (from column A);
    the first ``indexed`` of them with an index column (base, base + 1, ...) on their left."""
    bk.plain(ws, _rng(1, row, len(headers)), headers, bold=True)
    for j, ((key, values), col) in enumerate(zip(_GIVEN_1D, cols, strict=False)):
        c = _col(col)
        if j < indexed:
            bk.plain(ws, _rng(c - 1, row + 1, 1, len(values)), range(base, base + len(values)), italic=True)
        bk.given(key, ws, _rng(c, row + 1, 1, len(values)), values)


def _cases_1d(bk: Book, ws, spots, *items) -> None:
    """The five 1D cases, case i at ``spots[i]``: a row, or a column letter (one column per case).
    Each item, in writing order, is ``(cell, what[, text style])``. ``cell`` is a template: {r},
    {r1}, {r2}, {r3} the row and the three below it, {c} the column, {end} the column where the
    output ends exactly. ``what`` is a field of the case -- ``stride``, ``padding`` (``cell`` None:
    a plain number of the layout), ``output``, ``size``, ``same`` (answers) -- or else a label:
    text formatted with n (the case's number), s and p, or ``int`` for the case's number itself."""
    for i, ((s, p), spot) in enumerate(zip(CASES_1D, spots, strict=False)):
        out = bk.out1d(i)
        at = {"c": spot} if isinstance(spot, str) else {"r": spot, "r1": spot + 1, "r2": spot + 2, "r3": spot + 3}
        at["end"] = get_column_letter(1 + len(out))
        answers = {"output": out, "size": len(out), "same": bk.same(i)}
        for cell, what, *text_style in items:
            cell = cell and cell.format(**at)
            key = f"conv1d.cases[{i}].{what}"
            if what in ("stride", "padding"):
                bk.param(key, s if what == "stride" else p, ws if cell else None, cell)
            elif what in answers:
                bk.answer(key, ws, cell, answers[what])
            else:
                style = {k: v.format(**at) if isinstance(v, str) else v for k, v in (text_style or [{}])[0].items()}
                bk.text(ws, cell, i + 1 if what is int else what.format(n=i + 1, s=s, p=p), **style)


def _blocks_2d_side_by_side(bk: Book, ws, row: int, cols=("B", "H", "N"), headings=None, **frame) -> None:
    """Input channels side by side: headings in ``row``, 5x5 blocks below (``frame``: see ``Book._frame``)."""
    for c, col in enumerate(cols):
        bk.given_block(f"conv2d.input[{c}]", ws, f"{col}{row}", bk.x2[c], headings[c] if headings else None,
                       bold=True, **frame)


def _channels_stacked(bk: Book, ws, tops, col: str, heading: str, filter_cols: str = "", filter_heading: str = "",
                      index=None) -> None:
    """Input channel c under ``heading`` (bold) from ``col``, row ``tops[c]``; beside it, in ``filter_cols``,
    every filter's slice c under ``filter_heading`` (formatted with n, the filter's number, and c)."""
    for c, r in enumerate(tops):
        bk.given_block(f"conv2d.input[{c}]", ws, f"{col}{r}", bk.x2[c], heading.format(c=c + 1), index, bold=True)
        for k, fcol in enumerate(filter_cols):
            bk.given_block(f"conv2d.filters[{k}][{c}]", ws, f"{fcol}{r}", bk.w2[k][c],
                           filter_heading.format(n=k + 1, c=c + 1), index, bold=True)


def _filters_side_by_side(bk: Book, ws, tops, cols: str, heading: str, bias, title=None, bold=True,
                          bias_bold=None) -> None:
    """Filter k's three slices side by side in ``cols`` from row ``tops[k]``, each under ``heading``
    (formatted with k, n = k + 1, c, rgb); its bias ``(label column, column, label)`` in the row
    below, labelled above it (same column) or beside it; ``title``: ``(column, text[, merged to])``,
    bold, in the row above."""
    label_col, bias_col, bias_label = bias
    for k, r in enumerate(tops):
        names = {"k": k, "n": k + 1}
        if title:
            col, text, *end = title
            bk.text(ws, f"{col}{r - 1}", text.format(**names), bold=True, merge=f"{end[0]}{r - 1}" if end else None,
                    center=bool(end))
        for c, col in enumerate(cols):
            bk.given_block(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r}", bk.w2[k][c],
                           heading.format(c=c + 1, rgb="RGB"[c], **names), bold=bold)
        bk.labelled(f"conv2d.biases[{k}]", ws, f"{label_col}{r + (label_col != bias_col)}", bias_label.format(**names),
                    f"{bias_col}{r + 1}", [B2[k]], bold=bold if bias_bold is None else bias_bold)


def _biases_beside(bk: Book, ws, row: int, cols: str, label: str) -> None:
    """Bias k labelled (bold, ``label`` formatted with n) in ``cols[k]``, its number in the next column."""
    for k, col in enumerate(cols):
        bk.labelled(f"conv2d.biases[{k}]", ws, f"{col}{row}", label.format(n=k + 1),
                    _rng(_col(col) + 1, row), [B2[k]], bold=True)


def _volumes(bk: Book, ws, row: int, label_col, label, answer_col: str, cells=1, sep="x", merge=None,
             params="") -> None:
    """The two output volumes from ``row`` down: ``label`` (formatted with s and p; merged to column
    ``merge``) in ``label_col``, the answer from ``answer_col``: three cells W, H, D or one text;
    the strides and paddings plain numbers of the layout, or (``params``: two columns) cells."""
    for i, (s, p) in enumerate(VOLUME_CASES):
        r = row + i
        if label:
            bk.text(ws, f"{label_col}{r}", label.format(s=s, p=p), merge=merge and f"{merge}{r}")
        for what, v, col in zip(("stride", "padding"), (s, p), params or (None, None), strict=False):
            bk.param(f"conv2d.volumes[{i}].{what}", v, ws if col else None, col and f"{col}{r}")
        value = list(bk.volume(i)) if cells == 3 else bk.volume_text(i, sep)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, _rng(_col(answer_col), r, cells), value)


def _preserve(bk: Book, ws, label_at: str, label: str, rng: str, **style) -> None:
    """The question F, P, S: three cells, or one text."""
    bk.question("conv2d.preserve", ws, label_at, label, rng, list(PRESERVE) if ":" in rng else "3, 1, 1", **style)


def _questions(bk: Book, ws, row: int, label_col: str, answer_col: str, maps: str, volume: str, preserve=None,
               cells=1, sep="x", preserve_cells=3, merge=None) -> None:
    """The 2D questions from ``row`` down, asked in ``label_col`` (merged to column ``merge``) and
    answered in ``answer_col``: the number of maps, the two volumes (see ``_volumes``) and, if
    asked, the preserving F, P, S (in ``preserve_cells`` cells)."""
    bk.question("conv2d.maps", ws, f"{label_col}{row}", maps, f"{answer_col}{row}", 2, merge=merge and f"{merge}{row}")
    _volumes(bk, ws, row + 1, label_col, volume, answer_col, cells, sep, merge)
    if preserve:
        r = row + 3
        _preserve(bk, ws, f"{label_col}{r}", preserve, _rng(_col(answer_col), r, preserve_cells),
                  merge=merge and f"{merge}{r}")


def _values(bk: Book, ws, title_at: str, title: str, anchors, heading: str, title_merge=None, **frame) -> None:
    """The values question: ``title`` (bold; merged to ``title_merge`` and centred), its stride and
    padding plain numbers of the layout, map k framed from ``anchors[k]`` under ``heading``
    (formatted with k and n = k + 1; ``frame``: see ``Book._frame``)."""
    bk.text(ws, title_at, title, bold=True, merge=title_merge, center=bool(title_merge))
    bk.param("conv2d.values.stride", VALUES_CASE[0])
    bk.param("conv2d.values.padding", VALUES_CASE[1])
    for k, at in enumerate(anchors):
        bk.map_block(k, ws, at, heading.format(k=k, n=k + 1), **frame)


# ---- the hand-written layouts: tables of ranges, written out as TOML

_CASE_FIELDS = ("stride", "padding", "output", "size", "same")


def _layout(sheet: str | None, conv1d: str = "", conv2d: str = "", sheet_2d: str | None = None) -> str:
    """A layout's TOML text (the format of ``xlcnn/data/layout.toml``) from its ranges, written by
    hand as tables of words: a key, then its ranges on ``sheet`` (``sheet_2d`` for conv2d; a whole
    number stands for itself); ``/`` starts another row.

    conv1d: ``input``, ``filter``, ``bias``; then ``stride``, ``padding``, ``output``, ``size`` and
    (where asked) ``same``, each a range per case or one range for all five (see ``_case_words``).
    conv2d: ``input`` (three blocks), ``filters`` (a row per filter: its three slices, or one block
    of them stacked), ``biases`` (two cells, or one block of both), ``maps``, ``preserve`` (where
    asked), ``volumes`` (a row ``stride padding answer`` per volume) and ``values`` (``stride
    padding`` and the two maps)."""
    parts = []
    if conv1d:
        ref, t = _referrer(sheet), _table(conv1d)
        parts.append("[conv1d]\n" + "".join(_toml_line(k, t[k], ref) for k in ("input", "filter", "bias")))
        cases = _case_words(t)
        for i in range(len(cases["stride"])):
            parts.append("[[conv1d.cases]]\n" + "".join(_toml_line(f, [[words[i]]], ref) for f, words in cases.items()))
    if conv2d:
        ref, t = _referrer(sheet_2d or sheet), _table(conv2d)
        t["filters"] = [_slices(words) for words in t["filters"]]
        keys = ("input", "filters", "biases", "maps", "preserve")
        parts.append("[conv2d]\n" + "".join(_toml_line(k, t[k], ref) for k in keys if k in t))
        for volume in t["volumes"]:
            parts.append("[[conv2d.volumes]]\n"
                         + "".join(_toml_line(f, [[w]], ref)
                                   for f, w in zip(("stride", "padding", "answer"), volume, strict=False)))
        stride, padding, *maps = t["values"][0]
        parts.append("[conv2d.values]\n" + _toml_line("stride", [[stride]], ref)
                     + _toml_line("padding", [[padding]], ref) + _toml_line("output", [maps], ref))
    return "\n".join(parts)


def _case_words(table: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """A word per case for each field of the cases: the words as written, one per case, or one
    range for them all -- a cell per case, or for ``output`` a row per case where the strides run
    down a column, else a column per case."""
    cases = {}
    strides = table["stride"][0]
    down = len(strides) == 1 and range_boundaries(strides[0])[0] == range_boundaries(strides[0])[2]
    for field in _CASE_FIELDS:
        if field not in table:
            continue
        words = table[field][0]
        if len(words) == 1 and ":" in words[0]:
            min_col, min_row, max_col, max_row = range_boundaries(words[0])
            if field != "output":
                words = cells_of(words[0])
            elif down:
                words = [_rng(min_col, r, max_col - min_col + 1) for r in range(min_row, max_row + 1)]
            else:
                words = [_rng(c, min_row, 1, max_row - min_row + 1) for c in range(min_col, max_col + 1)]
        cases[field] = words
    return cases


def _slices(words: list[str]) -> list[str]:
    """A filter's slices: as written, or from one block of them all, stacked without a gap."""
    if len(words) > 1:
        return words
    min_col, min_row, max_col, max_row = range_boundaries(words[0])
    height = (max_row - min_row + 1) // len(X2)
    return [_rng(min_col, min_row + c * height, max_col - min_col + 1, height) for c in range(len(X2))]


def _table(text: str) -> dict[str, list[list[str]]]:
    """``"maps G53  filters A B / C D"`` -> ``{"maps": [["G53"]], "filters": [["A", "B"], ["C", "D"]]}``."""
    table: dict[str, list[list[str]]] = {}
    key = ""
    for word in text.split():
        if word.isalpha() and word.islower():
            key = word
            table[key] = [[]]
        elif word == "/":
            table[key].append([])
        else:
            table[key][-1].append(word)
    return table


def _referrer(sheet: str | None) -> Callable[[str], str]:
    """A word as the TOML writes it: a range of ``sheet`` as ``"'SHEET'!RANGE"``, a number as itself."""
    return lambda word: word if word.isdigit() else f"\"'{sheet}'!{word}\""


def _toml_line(key: str, rows: list[list[str]], ref: Callable[[str], str]) -> str:
    """``key = value``: one word, a list (a row of several) or a list of lists (several rows)."""
    if len(rows) > 1:
        value = "[" + (",\n" + " " * (len(key) + 4)).join("[" + ", ".join(map(ref, r)) + "]" for r in rows) + "]"
    elif len(rows[0]) > 1:
        value = "[" + ", ".join(map(ref, rows[0])) + "]"
    else:
        value = ref(rows[0][0])
    return f"{key} = {value}\n"


# ---- 1. rows-english-coloured --------------------------------------------------------------

def _rows_english_coloured(bk: Book) -> None:
    bk.answer_fill = YELLOW
    ws = bk.sheet("Exercise 1", "Exercise 1 - Computation of convolutions", {"A": 22})
    bk.text(ws, "A3", "a) 1D convolution", bold=True)
    _rows_1d(bk, ws, (5, 6, 7), ("Input x", "Filter w", "Bias b"))
    _cases_1d(bk, ws, range(9, 34, 5), ("A{r}", "Case {n}", _BOLD), ("B{r}", "S ="), ("C{r}", "stride"),
              ("D{r}", "P ="), ("E{r}", "padding"), ("A{r1}", "Output"), ("B{r1}:H{r1}", "output"),
              ("A{r2}", "Output size"), ("B{r2}", "size"), ("A{r3}", "Same size as input?"), ("B{r3}", "same"))
    bk.text(ws, "A34", "b) 2D convolution", bold=True)
    _blocks_2d_side_by_side(bk, ws, 36, headings=["Input channel 1", "Input channel 2", "Input channel 3"])
    _filters_side_by_side(bk, ws, (43, 48), "BHN", "Filter {n}, channel {c}", ("T", "T", "Bias {n}"))
    _questions(bk, ws, 53, "A", "G", "Number of activation maps", "Output volume with S = {s}, P = {p} (W x H x D)",
               "Filter size F, padding P, stride S that preserve the spatial size")
    _values(bk, ws, "A58", "Output values with S = 1, P = 0", ("B59", "H59"), "Activation map {n}", bold=True)


LAYOUT_ROWS_ENGLISH_COLOURED = _layout("Exercise 1", conv1d="""
    input B5:H5  filter B6:D6  bias B7  stride C9 C14 C19 C24 C29  padding E9 E14 E19 E24 E29
    output B10:H10 B15:H15 B20:H20 B25:H25 B30:H30  size B11 B16 B21 B26 B31  same B12 B17 B22 B27 B32
""", conv2d="""
    input B37:F41 H37:L41 N37:R41  filters B44:D46 H44:J46 N44:P46 / B49:D51 H49:J51 N49:P51
    biases T44 T49  maps G53  preserve G56:I56  volumes 1 0 G54 / 2 0 G55  values 1 0 B60:D62 H60:J62
""")


# ---- 2. table-english-plain ----------------------------------------------------------------

def _table_english_plain(bk: Book) -> None:
    bk.borders = False
    ws = bk.sheet("Convolutions", "Convolutions - exercise 1", {"A": 14, "E": 20})
    bk.text(ws, "A3", "1D convolution", bold=True)
    bk.text(ws, "A4", "i", italic=True)
    bk.plain(ws, "B4:H4", range(7), italic=True)
    _rows_1d(bk, ws, (5, 6, 7), ("Input", "Filter", "Bias"))
    bk.plain(ws, "A9:L9", ["Case", "Stride S", "Padding P", "Output size", "Same size as input?"]
             + [f"y[{j}]" for j in range(7)], bold=True)
    _cases_1d(bk, ws, range(10, 15), ("A{r}", int), ("B{r}", "stride"), ("C{r}", "padding"), ("D{r}", "size"),
              ("E{r}", "same"), ("F{r}:L{r}", "output"))
    bk.text(ws, "A16", "2D convolution", bold=True)
    _blocks_2d_side_by_side(bk, ws, 18, headings=[f"Input - channel {c}" for c in (1, 2, 3)])
    _filters_side_by_side(bk, ws, (25, 30), "BFJ", "Filter {n} - channel {c}", ("N", "N", "Bias {n}"))
    bk.question("conv2d.maps", ws, "A35", "How many activation maps will we obtain?", "H35", 2)
    bk.text(ws, "A37", "Dimension of the output volume", bold=True)
    bk.plain(ws, "A38:E38", ["Stride S", "Padding P", "Width", "Height", "Depth"], bold=True)
    _volumes(bk, ws, 39, None, None, "C", cells=3, params="AB")
    bk.text(ws, "A42", "Give a filter size, padding and stride that preserve the spatial dimension of the input:")
    bk.plain(ws, "A43:C43", ["Filter size F", "Padding P", "Stride S"], bold=True)
    bk.answer("conv2d.preserve", ws, "A44:C44", list(PRESERVE))
    _values(bk, ws, "A46", "Output values with S = 1 and P = 0", ("B47", "F47"), "Map {n}", bold=True)


LAYOUT_TABLE_ENGLISH_PLAIN = _layout("Convolutions", conv1d="""
    input B5:H5  filter B6:D6  bias B7  stride B10:B14  padding C10:C14  output F10:L14  size D10:D14  same E10:E14
""", conv2d="""
    input B19:F23 H19:L23 N19:R23  filters B26:D28 F26:H28 J26:L28 / B31:D33 F31:H33 J31:L33
    biases N26 N31  maps H35  preserve A44:C44  volumes A39 B39 C39:E39 / A40 B40 C40:E40  values 1 0 B48:D50 F48:H50
""")


# ---- 3. columns-index-french ---------------------------------------------------------------

def _columns_index_french(bk: Book) -> None:
    bk.answer_fill = GREEN
    bk.yes, bk.no = "oui", "non"
    ws = bk.sheet("Exercice 1", "Exercice 1 - Calcul de convolutions", {"A": 26})
    bk.text(ws, "A2", "a) Convolution 1D", bold=True)
    _columns_1d(bk, ws, 3, ["i", "Entrée x", None, "i", "Filtre w", None, "Biais b"], "BEG", indexed=2)
    bk.plain(ws, "B13:F13", [f"Cas {i}" for i in range(1, 6)], bold=True)
    bk.plain(ws, "A14:A18", ["Pas S", "Remplissage P", "Taille de la sortie", "Même taille que l'entrée ?",
                             "Sortie y"], bold=True)
    bk.plain(ws, "A19:A25", range(7), italic=True)
    _cases_1d(bk, ws, "BCDEF", ("{c}14", "stride"), ("{c}15", "padding"), ("{c}19:{c}25", "output"),
              ("{c}16", "size"), ("{c}17", "same"))
    # 2D: channels stacked (one under the other), the two filters side by side; index row 1..n.
    bk.text(ws, "I2", "b) Convolution 2D", bold=True)
    _channels_stacked(bk, ws, (3, 11, 19), "I", "Entrée - canal {c}", "OS", "Filtre {n} - canal {c}", index="row")
    _biases_beside(bk, ws, 25, "OS", "Biais b{n}")
    _questions(bk, ws, 28, "I", "N", "Nombre de cartes d'activation :", "Volume de sortie avec S = {s}, P = {p} :",
               "F, P et S qui préservent la taille :", preserve_cells=1)
    _values(bk, ws, "I33", "Sortie avec S = 1, P = 0", ("I34", "O34"), "Carte {n}", bold=True, index="row")


LAYOUT_COLUMNS_INDEX_FRENCH = _layout("Exercice 1", conv1d="""
    input B4:B10  filter E4:E6  bias G4  stride B14:F14  padding B15:F15  output B19:F25  size B16:F16  same B17:F17
""", conv2d="""
    input I5:M9 I13:M17 I21:M25  filters O5:Q7 O13:Q15 O21:Q23 / S5:U7 S13:U15 S21:U23
    biases P25 T25  maps N28  preserve N31  volumes 1 0 N29 / 2 0 N30  values 1 0 I36:K38 O36:Q38
""")


# ---- 4. german-two-sheets ------------------------------------------------------------------

def _german_two_sheets(bk: Book) -> None:
    bk.answer_fill = CREAM
    bk.yes, bk.no = True, False
    ws = bk.sheet("1D", "Aufgabe 1a - 1D-Faltung", {"A": 14, "B": 15, "C": 14, "K": 15, "L": 30}, merge="L1",
                  center=True)
    bk.text(ws, "A3", "Index", italic=True)
    bk.plain(ws, "B3:H3", range(1, 8), italic=True)
    _rows_1d(bk, ws, (4, 6, 7), ("Eingabe x", "Kernel w", "Bias b"))
    bk.plain(ws, "A10:L10", ["Fall", "Schrittweite S", "Auffüllung P"] + [f"y{j}" for j in range(1, 8)]
             + ["Ausgabegröße", "Gleiche Größe wie die Eingabe?"], bold=True)
    _cases_1d(bk, ws, range(11, 16), ("A{r}", int), ("B{r}", "stride"), ("C{r}", "padding"), ("D{r}:J{r}", "output"),
              ("K{r}", "size"), ("L{r}", "same"))
    ws = bk.sheet("2D", "Aufgabe 1b - 2D-Faltung", merge="M1", center=True)
    _channels_stacked(bk, ws, (3, 10, 17), "A", "Eingabe - Kanal {c}", "GK", "Kernel {n} - Kanal {c}")
    bk.text(ws, "H23", "Kernel 1", bold=True)
    bk.text(ws, "I23", "Kernel 2", bold=True)
    bk.labelled("conv2d.biases", ws, "G24", "Bias b", "H24:I24", B2, bold=True)
    _questions(bk, ws, 26, "A", "F", "Anzahl der Aktivierungskarten", "Ausgabevolumen bei S = {s}, P = {p}")
    _values(bk, ws, "A30", "Ausgabe (S = 1, P = 0)", ("A31", "E31"), "Karte {n}", bold=True)


LAYOUT_GERMAN_TWO_SHEETS = _layout("1D", conv1d="""
    input B4:H4  filter B6:D6  bias B7  stride B11:B15  padding C11:C15  output D11:J15  size K11:K15  same L11:L15
""", conv2d="""
    input A4:E8 A11:E15 A18:E22  filters G4:I6 G11:I13 G18:I20 / K4:M6 K11:M13 K18:M20
    biases H24:I24  maps F26  volumes 1 0 F27 / 2 0 F28  values 1 0 A32:C34 E32:G34
""", sheet_2d="2D")


# ---- 5. title-instructions-merged ----------------------------------------------------------

INSTRUCTIONS_EN = [
    ("Revise the slides on convolution layer and make sure you understand the principles and the different "
     "steps that were described. Provide your answers in the coloured cells. Deadline: Wednesday 27th of "
     "March 2024, 12am (noon); only one submission per group."),
    ("a) Given the 1D example below, compute the output of the convolution by hand for S = 1, P = 0; "
     "S = 2, P = 0; S = 4, P = 0; S = 1, P = 1 and S = 4, P = 1. For which values of S and P do we get an "
     "output of the same dimension as the input?"),
    ("b) Given the 2D example below (an input volume of 5x5x3 and 2 filters of 3x3x3): how many activation "
     "maps will we obtain? What is the dimension of the output volume with S=1 and P=0, with S=2 and P=0? "
     "Give a filter size, padding and stride that preserve the spatial dimension, and compute the values "
     "of the output with S=1 and P=0."),
]


def _title_instructions_merged(bk: Book) -> None:
    bk.answer_fill = BLUE
    ws = bk.sheet("PW04 Ex1", "TSM Deep Learning - Practical Work 04", {"A": 14, "B": 11, "C": 12, "K": 20},
                  size=16, merge="L1", center=True)
    bk.text(ws, "A2", "Exercise 1: Computation of convolutions", bold=True, size=13, merge="L2", center=True)
    for j, para in enumerate(INSTRUCTIONS_EN):
        bk.text(ws, f"A{4 + j}", para, wrap=True, merge=f"L{4 + j}")
        ws.row_dimensions[4 + j].height = 48
    bk.text(ws, "A8", "Group:", bold=True)
    ws.merge_cells("B8:D8")
    bk.text(ws, "A9", "Names:", bold=True)
    ws.merge_cells("B9:H9")
    bk.text(ws, "A11", "1D convolution", bold=True, merge="L11", center=True)
    _rows_1d(bk, ws, (12, 13, 14), ("Input", "Filter", "Bias"))
    bk.plain(ws, "A16:C16", ["Stride S", "Padding P", "Output size"], bold=True)
    bk.text(ws, "D16", "Output values", bold=True, merge="J16", center=True)
    bk.text(ws, "K16", "Same size as input?", bold=True)
    _cases_1d(bk, ws, range(17, 22), ("A{r}", "stride"), ("B{r}", "padding"), ("C{r}", "size"),
              ("D{r}:J{r}", "output"), ("K{r}", "same"))
    bk.text(ws, "A23", "2D convolution", bold=True, merge="R23", center=True)
    bk.text(ws, "B24", "Input volume (5 x 5 x 3)", bold=True, merge="R24", center=True)
    _blocks_2d_side_by_side(bk, ws, 25, headings=["Channel R", "Channel G", "Channel B"], span=True)
    _filters_side_by_side(bk, ws, (33, 39), "BFJ", "{rgb}", ("N", "N", "Bias b{k}"), title=("B", "Filter W{k}", "L"))
    bk.text(ws, "A44", "Questions", bold=True, merge="L44", center=True)
    _questions(bk, ws, 45, "A", "G", "How many activation maps will we obtain?",
               "With S = {s} and P = {p}, what is the dimension of the output volume?",
               "A filter size, padding and stride (F, P, S) that preserve the spatial dimension:", preserve_cells=1,
               merge="F")
    _values(bk, ws, "A50", "Output values with S = 1 and P = 0", ("B51", "F51"), "Map {k}", title_merge="L50",
            bold=True, span=True)


LAYOUT_TITLE_INSTRUCTIONS_MERGED = _layout("PW04 Ex1", conv1d="""
    input B12:H12  filter B13:D13  bias B14  stride A17:A21  padding B17:B21
    output D17:J21  size C17:C21  same K17:K21
""", conv2d="""
    input B26:F30 H26:L30 N26:R30  filters B34:D36 F34:H36 J34:L36 / B40:D42 F40:H42 J40:L42
    biases N34 N40  maps G45  preserve G48  volumes 1 0 G46 / 2 0 G47  values 1 0 B52:D54 F52:H54
""")


# ---- 6. transposed-blocks-grey-inputs ------------------------------------------------------

def _transposed_blocks_grey_inputs(bk: Book) -> None:
    bk.answer_fill = "FFEB9C"
    bk.given_fill = GREY
    # Every 2D slice written with x down and y across: the layout reads the transposes.
    bk.x2 = np.asarray(X2).transpose(0, 2, 1)
    bk.w2 = np.asarray(W2).transpose(0, 1, 3, 2)
    ws = bk.sheet("Convolution", "Exercise 1 - convolutions", {"B": 10, "D": 10, "F": 10, "L": 12})
    _columns_1d(bk, ws, 3, ["i", "Input x", None, "Filter w", None, "Bias b"], "BDF", indexed=1)
    bk.plain(ws, "H3:S3", ["Case", "Stride S", "Padding P", "Output size", "Same size?"]
             + [f"y{j}" for j in range(7)], bold=True)
    _cases_1d(bk, ws, range(4, 9), ("H{r}", int), ("I{r}", "stride"), ("J{r}", "padding"), ("K{r}", "size"),
              ("L{r}", "same"), ("M{r}:S{r}", "output"))
    bk.text(ws, "A13", "2D convolution", bold=True)
    bk.text(ws, "A14", "Note: in every block below, x runs down and y runs across.", italic=True)
    _blocks_2d_side_by_side(bk, ws, 16, headings=[f"Input channel {c}" for c in (1, 2, 3)])
    _filters_side_by_side(bk, ws, (23, 28), "BFJ", "Filter {n} channel {c}", ("N", "N", "Bias {n}"))
    _questions(bk, ws, 33, "A", "E", "Number of activation maps", "Output volume, S = {s}, P = {p}",
               "F, P, S preserving the input size")
    _values(bk, ws, "A38", "Output with S = 1, P = 0", ("B39", "F39"), "Map {n}", bold=True)


LAYOUT_TRANSPOSED_BLOCKS_GREY_INPUTS = _layout("Convolution", conv1d="""
    input B4:B10  filter D4:D6  bias F4  stride I4:I8  padding J4:J8  output M4:S8  size K4:K8  same L4:L8
""", conv2d="""
    input B17:F21 H17:L21 N17:R21  filters B24:D26 F24:H26 J24:L26 / B29:D31 F29:H31 J29:L31
    biases N24 N29  maps E33  preserve E36:G36  volumes 1 0 E34 / 2 0 E35  values 1 0 B40:D42 F40:H42
""")


# ---- 7. french-three-sheets-plain ----------------------------------------------------------

CONSIGNES_FR = [
    "Travail pratique 04 - Réseaux de neurones convolutifs",
    ("Exercice 1 : calcul de convolutions. Révisez les transparents sur la couche de convolution, puis "
     "répondez aux questions dans les feuilles « Conv 1D » et « Conv 2D »."),
    ("a) Calculez à la main la sortie de la convolution 1D pour S = 1, P = 0 ; S = 2, P = 0 ; S = 4, P = 0 ; "
     "S = 1, P = 1 ; S = 4, P = 1. Pour quelles valeurs de S et P la sortie a-t-elle la taille de l'entrée ?"),
    ("b) Pour l'exemple 2D (entrée 5x5x3, 2 filtres 3x3x3) : nombre de cartes d'activation, volume de "
     "sortie pour S = 1, P = 0 et S = 2, P = 0, un choix de F, P, S qui préserve la taille, et les valeurs "
     "de la sortie pour S = 1, P = 0."),
    "Rendu : un seul fichier par groupe, au plus tard le mercredi 27 mars 2024 à midi.",
]


def _french_three_sheets_plain(bk: Book) -> None:
    bk.borders = False
    bk.yes, bk.no = "oui", "non"
    ws = bk.sheet("Consignes", CONSIGNES_FR[0], {"A": 110})
    for j, para in enumerate(CONSIGNES_FR[1:]):
        bk.text(ws, f"A{3 + j}", para, wrap=True)
    ws = bk.sheet("Conv 1D", "a) Convolution 1D", {"A": 10, "C": 14, "D": 18, "E": 14}, size=13)
    _rows_1d(bk, ws, (3, 4, 5), ("Entrée", "Filtre", "Biais"))
    bk.plain(ws, "A7:F7", ["Cas", "Pas S", "Remplissage P", "Taille de la sortie", "Même taille ?", "Sortie y"],
             bold=True)
    _cases_1d(bk, ws, range(8, 13), ("A{r}", "Cas {n}"), ("B{r}", "stride"), ("C{r}", "padding"), ("D{r}", "size"),
              ("E{r}", "same"), ("F{r}:L{r}", "output"))
    ws = bk.sheet("Conv 2D", "b) Convolution 2D", size=13)
    bk.text(ws, "A3", "Entrée (5 x 5 x 3)", bold=True)
    _blocks_2d_side_by_side(bk, ws, 4, cols=("A", "G", "M"), headings=["Canal 1", "Canal 2", "Canal 3"])
    _filters_side_by_side(bk, ws, (12, 18), "AEI", "Canal {c}", ("M", "M", "Biais"), title=("A", "Filtre {n}"),
                          bold=False)
    bk.text(ws, "A23", "Questions", bold=True)
    _questions(bk, ws, 24, "A", "H", "Combien de cartes d'activation obtient-on ?",
               "Volume de sortie pour S = {s}, P = {p} :", sep=" × ")
    bk.text(ws, "A28", "Taille de filtre, remplissage et pas qui préservent la dimension de l'entrée :")
    bk.plain(ws, "A29:C29", ["F", "P", "S"], bold=True)
    bk.answer("conv2d.preserve", ws, "A30:C30", list(PRESERVE))
    _values(bk, ws, "A32", "Sortie pour S = 1, P = 0", ("A33", "E33"), "Carte {n}")


LAYOUT_FRENCH_THREE_SHEETS_PLAIN = _layout("Conv 1D", conv1d="""
    input B3:H3  filter B4:D4  bias B5  stride B8:B12  padding C8:C12  output F8:L12  size D8:D12  same E8:E12
""", conv2d="""
    input A5:E9 G5:K9 M5:Q9  filters A13:C15 E13:G15 I13:K15 / A19:C21 E19:G21 I19:K21
    biases M13 M19  maps H24  preserve A30:C30  volumes 1 0 H25 / 2 0 H26  values 1 0 A34:C36 E34:G36
""", sheet_2d="Conv 2D")


# ---- 8. german-columns-index-one-based -----------------------------------------------------

def _german_columns_index_one_based(bk: Book) -> None:
    bk.answer_fill = PALE
    bk.yes, bk.no = True, False
    ws = bk.sheet("Faltung", "Übung 1 - Faltungen", {"A": 12, "B": 15, "C": 13, "D": 14, "E": 15}, merge="F1",
                  center=True)
    _columns_1d(bk, ws, 3, ["Nr.", "Eingabe", None, "Nr.", "Kernel", None, "Bias"], "BEG", indexed=2, base=1)
    bk.plain(ws, "A13:F13", ["Fall", "Schrittweite S", "Auffüllung P", "Ausgabegröße", "Gleiche Größe?",
                             "Ausgabe"], bold=True)
    _cases_1d(bk, ws, range(14, 19), ("A{r}", int), ("B{r}", "stride"), ("C{r}", "padding"), ("D{r}", "size"),
              ("E{r}", "same"), ("F{r}:L{r}", "output"))
    bk.text(ws, "A21", "2D-Faltung", bold=True, size=13)
    # Input channels side by side, each with an index row 1..5 above and an index column 1..5 left.
    _blocks_2d_side_by_side(bk, ws, 23, cols="BIP", headings=[f"Eingabe - Kanal {c}" for c in (1, 2, 3)],
                            index="both")
    _filters_side_by_side(bk, ws, (31, 36), "BIP", "Kernel {n} - Kanal {c}", ("T", "T", "Bias"))
    bk.question("conv2d.maps", ws, "A41", "Anzahl der Aktivierungskarten:", "E41", 2)
    bk.plain(ws, "E43:G43", ["Breite", "Höhe", "Tiefe"], bold=True)
    _volumes(bk, ws, 44, "A", "Ausgabevolumen (S = {s}, P = {p}):", "E", cells=3)
    bk.plain(ws, "E47:G47", ["F", "P", "S"], bold=True)
    _preserve(bk, ws, "A48", "Größe erhalten mit:", "E48:G48")
    _values(bk, ws, "A50", "Ausgabe mit S = 1, P = 0", ("B51", "I51"), "Karte {n}", bold=True, index="both")


LAYOUT_GERMAN_COLUMNS_INDEX_ONE_BASED = _layout("Faltung", conv1d="""
    input B4:B10  filter E4:E6  bias G4  stride B14:B18  padding C14:C18  output F14:L18  size D14:D18  same E14:E18
""", conv2d="""
    input C25:G29 J25:N29 Q25:U29  filters B32:D34 I32:K34 P32:R34 / B37:D39 I37:K39 P37:R39
    biases T32 T37  maps E41  preserve E48:G48  volumes 1 0 E44:G44 / 2 0 E45:G45  values 1 0 C53:E55 J53:L55
""")


# ---- 9. case-headings-in-text --------------------------------------------------------------

def _case_headings_in_text(bk: Book) -> None:
    bk.answer_fill = ORANGE
    ws = bk.sheet("Ex1", "Exercise 1", {"A": 12})
    _rows_1d(bk, ws, (3, 4, 5), ("Input", "Filter", "Bias"))
    _cases_1d(bk, ws, range(7, 27, 4),
              ("A{r}", "Case {n}: stride S = {s}, padding P = {p}", {"bold": True, "merge": "H{r}"}),
              (None, "stride"), (None, "padding"), ("A{r1}", "Output"), ("B{r1}:{end}{r1}", "output"),
              ("A{r2}", "Size"), ("B{r2}", "size"))
    bk.text(ws, "A28", "2D convolution", bold=True, size=13)
    _channels_stacked(bk, ws, (30, 37, 44), "A", "Input, channel {c}", "GK", "Filter {n}, channel {c}")
    _biases_beside(bk, ws, 49, "GK", "Bias {n}:")
    _questions(bk, ws, 52, "A", "E", "Number of activation maps:", "Output volume for stride {s}, padding {p}:",
               "Preserving F, P, S:")
    _values(bk, ws, "A57", "Output values for stride 1, padding 0", ("A58", "E58"), "Map {n}", bold=True)


LAYOUT_CASE_HEADINGS_IN_TEXT = _layout("Ex1", conv1d="""
    input B3:H3  filter B4:D4  bias B5  stride 1 2 4 1 4  padding 0 0 0 1 1
    output B8:F8 B12:D12 B16:C16 B20:H20 B24:C24  size B9 B13 B17 B21 B25
""", conv2d="""
    input A31:E35 A38:E42 A45:E49  filters G31:I33 G38:I40 G45:I47 / K31:M33 K38:M40 K45:M47
    biases H49 L49  maps E52  preserve E55:G55  volumes 1 0 E53 / 2 0 E54  values 1 0 A59:C61 E59:G61
""")


# ---- 10. headers-above-filter-stacks -------------------------------------------------------

def _headers_above_filter_stacks(bk: Book) -> None:
    bk.answer_fill = PINK
    ws = bk.sheet("Sheet1", "CNN exercise 1", {"A": 12, "K": 12, "L": 20})
    bk.labelled("conv1d.input", ws, "B3", "Input x", "B4:H4", X1, bold=True, merge="H3", center=True)
    bk.labelled("conv1d.filter", ws, "J3", "Filter w", "J4:L4", W1, bold=True, merge="L3", center=True)
    bk.labelled("conv1d.bias", ws, "N3", "Bias b", "N4", [B1], bold=True)
    bk.plain(ws, "A6:C6", ["Case", "Stride S", "Padding P"], bold=True)
    bk.text(ws, "D6", "Output", bold=True, merge="J6", center=True)
    bk.plain(ws, "K6:L6", ["Output size", "Same as input size?"], bold=True)
    _cases_1d(bk, ws, range(7, 12), ("A{r}", "Case {n}"), ("B{r}", "stride"), ("C{r}", "padding"),
              ("D{r}:J{r}", "output"), ("K{r}", "size"), ("L{r}", "same"))
    bk.text(ws, "A13", "2D convolution", bold=True, size=13)
    _channels_stacked(bk, ws, (15, 22, 29), "A", "Input channel {c}")
    # Each filter: its three channel slices stacked without a gap (9 x 3), its bias beside.
    for k, (label_col, col, b_label, b_col) in enumerate((("F", "G", "J", "K"), ("L", "M", "P", "Q"))):
        bk.text(ws, f"{col}15", f"Filter {k + 1}", bold=True)
        for c in range(3):
            r = 16 + 3 * c
            bk.text(ws, f"{label_col}{r}", f"c{c + 1}", italic=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r}:{chr(ord(col) + 2)}{r + 2}", bk.w2[k][c])
        bk.labelled(f"conv2d.biases[{k}]", ws, f"{b_label}16", f"b{k + 1} =", f"{b_col}16", [B2[k]])
    _questions(bk, ws, 36, "A", "F", "Number of activation maps", "Output volume (S = {s}, P = {p})",
               "Filter size / padding / stride preserving the size")
    _values(bk, ws, "G41", "Output (S = 1, P = 0)", ("G42", "G47"), "Map {n}", bold=True)


LAYOUT_HEADERS_ABOVE_FILTER_STACKS = _layout("Sheet1", conv1d="""
    input B4:H4  filter J4:L4  bias N4  stride B7:B11  padding C7:C11  output D7:J11  size K7:K11  same L7:L11
""", conv2d="""
    input A16:E20 A23:E27 A30:E34  filters G16:I24 / M16:O24
    biases K16 Q16  maps F36  preserve F39:H39  volumes 1 0 F37 / 2 0 F38  values 1 0 G43:I45 G48:I50
""")


# ---- 11. two-sheets-case-columns-plain -----------------------------------------------------

def _two_sheets_case_columns_plain(bk: Book) -> None:
    bk.borders = False
    ws = bk.sheet("Part a", "Part a - 1D convolution", {"G": 12}, size=13)
    _columns_1d(bk, ws, 3, ["Input", None, "Filter", None, "Bias"], "ACE")
    bk.text(ws, "G3", "Case", bold=True)
    bk.plain(ws, "H3:L3", range(1, 6), bold=True)
    bk.plain(ws, "G4:G8", ["Stride S", "Padding P", "Output size", "Same size?", "Output"], bold=True)
    _cases_1d(bk, ws, "HIJKL", ("{c}4", "stride"), ("{c}5", "padding"), ("{c}6", "size"), ("{c}7", "same"),
              ("{c}8:{c}14", "output"))
    ws = bk.sheet("Part b", "Part b - 2D convolution", size=13)
    # The filters first, then the input volume below them.
    _filters_side_by_side(bk, ws, (4, 10), "AEI", "channel {c}", ("M", "M", "bias"), title=("A", "Filter {n}"),
                          bold=False)
    bk.text(ws, "A15", "Input", bold=True)
    _blocks_2d_side_by_side(bk, ws, 16, cols=("A", "G", "M"), headings=["channel 1", "channel 2", "channel 3"])
    _questions(bk, ws, 23, "A", "D", "Activation maps:", "Output volume, S={s}, P={p} (W, H, D):",
               "F, P, S that keep the size:", cells=3)
    _values(bk, ws, "A28", "Output values, S=1, P=0", ("A29", "E29"), "map {n}")


LAYOUT_TWO_SHEETS_CASE_COLUMNS_PLAIN = _layout("Part a", conv1d="""
    input A4:A10  filter C4:C6  bias E4  stride H4:L4  padding H5:L5  output H8:L14  size H6:L6  same H7:L7
""", conv2d="""
    input A17:E21 G17:K21 M17:Q21  filters A5:C7 E5:G7 I5:K7 / A11:C13 E11:G13 I11:K13
    biases M5 M11  maps D23  preserve D26:F26  volumes 1 0 D24:F24 / 2 0 D25:F25  values 1 0 A30:C32 E30:G32
""", sheet_2d="Part b")


# ---- 12. german-labels-beside-exact-rows ---------------------------------------------------

def _german_labels_beside_exact_rows(bk: Book) -> None:
    bk.answer_fill = "FFFF99"
    bk.yes, bk.no = True, False
    ws = bk.sheet("Übung 1", "Übung 1: Faltung", {"A": 16, "B": 13, "D": 12}, merge="J1", center=True)
    _rows_1d(bk, ws, (3, 4, 5), ("Eingabe", "Filter", "Bias"))
    _cases_1d(bk, ws, range(7, 32, 5), ("A{r}", "Fall {n}", _BOLD), ("B{r}", "Schrittweite"), ("C{r}", "stride"),
              ("D{r}", "Auffüllung"), ("E{r}", "padding"), ("A{r1}", "Ausgabe"), ("B{r1}:{end}{r1}", "output"),
              ("A{r2}", "Ausgabegröße"), ("B{r2}", "size"), ("A{r3}", "Gleiche Größe?"), ("B{r3}", "same"))
    bk.text(ws, "A32", "2D-Faltung", bold=True, size=13)
    _channels_stacked(bk, ws, (34, 41, 48), "A", "Eingabe Kanal {c}", "GK", "Filter {n} Kanal {c}")
    _biases_beside(bk, ws, 53, "GK", "Bias {n}")
    _questions(bk, ws, 56, "A", "F", "Anzahl Aktivierungskarten", "Ausgabevolumen S = {s}, P = {p}",
               "F, P, S zur Erhaltung der Größe", preserve_cells=1)
    _values(bk, ws, "A61", "Ausgabe S = 1, P = 0", ("A62", "E62"), "Karte {n}", bold=True)


LAYOUT_GERMAN_LABELS_BESIDE_EXACT_ROWS = _layout("Übung 1", conv1d="""
    input B3:H3  filter B4:D4  bias B5  stride C7 C12 C17 C22 C27  padding E7 E12 E17 E22 E27
    output B8:F8 B13:D13 B18:C18 B23:H23 B28:C28  size B9 B14 B19 B24 B29  same B10 B15 B20 B25 B30
""", conv2d="""
    input A35:E39 A42:E46 A49:E53  filters G35:I37 G42:I44 G49:I51 / K35:M37 K42:M44 K49:M51
    biases H53 L53  maps F56  preserve F59  volumes 1 0 F57 / 2 0 F58  values 1 0 A63:C65 E63:G65
""")


# ---- 13. 1d-only-french-labels-beside (a partial exercise: [conv1d] only) ------------------

def _only_1d_french_labels_beside(bk: Book) -> None:
    bk.borders = False
    bk.yes, bk.no = "oui", "non"
    ws = bk.sheet("Exercice 1a", "Exercice 1a - convolution 1D", {"A": 12, "D": 15}, size=13)
    _rows_1d(bk, ws, (3, 4, 5), ("Entrée", "Filtre", "Biais"))
    _cases_1d(bk, ws, range(7, 27, 4), ("A{r}", "Cas {n}", _BOLD), ("B{r}", "Pas :"), ("C{r}", "stride"),
              ("D{r}", "Remplissage :"), ("E{r}", "padding"), ("A{r1}", "Sortie"), ("B{r1}:H{r1}", "output"),
              ("A{r2}", "Taille"), ("B{r2}", "size"), ("D{r2}", "Même taille ?"), ("E{r2}", "same"))


LAYOUT_ONLY_1D_FRENCH_LABELS_BESIDE = _layout("Exercice 1a", conv1d="""
    input B3:H3  filter B4:D4  bias B5  stride C7 C11 C15 C19 C23  padding E7 E11 E15 E19 E23
    output B8:H8 B12:H12 B16:H16 B20:H20 B24:H24  size B9 B13 B17 B21 B25  same E9 E13 E17 E21 E25
""")


# ---- 14. 2d-only-english (a partial exercise: [conv2d] only) -------------------------------

def _only_2d_english(bk: Book) -> None:
    bk.answer_fill = YELLOW
    ws = bk.sheet("Conv2D", "Exercise 1b - 2D convolution", size=13, merge="R1")
    _blocks_2d_side_by_side(bk, ws, 3, headings=["Input (R)", "Input (G)", "Input (B)"])
    _filters_side_by_side(bk, ws, (10, 15), "BHN", "W{n} ({rgb})", ("S", "T", "b{n}"), bias_bold=False)
    _questions(bk, ws, 20, "A", "H", "Number of activation maps", "Output volume, S = {s}, P = {p}")
    _values(bk, ws, "A24", "Output with S = 1, P = 0", ("B25", "H25"), "Map {n}", bold=True)


LAYOUT_ONLY_2D_ENGLISH = _layout("Conv2D", conv2d="""
    input B4:F8 H4:L8 N4:R8  filters B11:D13 H11:J13 N11:P13 / B16:D18 H16:J18 N16:P18
    biases T11 T16  maps H20  volumes 1 0 H21 / 2 0 H22  values 1 0 B26:D28 H26:J28
""")


# --------------------------------------------------------------------------------------------

CASES: list[TeacherBook] = [
    TeacherBook("rows-english-coloured",
                "one sheet, English; 1D in rows with labels beside, cases as 'S =' / 'P =' blocks; "
                "channels side by side under headings; answers yellow",
                _rows_english_coloured, LAYOUT_ROWS_ENGLISH_COLOURED,
                "the baseline: closest to the shipped template's arrangement"),
    TeacherBook("table-english-plain",
                "one sheet, English, no colours; index row i = 0..6 above the 1D input; cases as a header "
                "table (Case | Stride S | Padding P | Output size | Same size | y[0]..y[6]); volumes as a "
                "Stride S / Padding P / Width / Height / Depth table",
                _table_english_plain, LAYOUT_TABLE_ENGLISH_PLAIN,
                "case numbers 1..5 are numbers in column A; the preserve answer sits under headers "
                "'Filter size F | Padding P | Stride S' (not a case); strides of the volumes are cells"),
    TeacherBook("columns-index-french",
                "one sheet, French; 1D input and filter in columns with an index column i = 0..6 / 0..2; "
                "one COLUMN per case (rows 'Pas S', 'Remplissage P', ...; outputs down a column beside an "
                "index 0..6); 2D channels stacked with an index row 1..n, the two filters side by side; "
                "answers green",
                _columns_index_french, LAYOUT_COLUMNS_INDEX_FRENCH,
                "same-size answers oui/non; preserve in one cell '3, 1, 1'"),
    TeacherBook("german-two-sheets",
                "German, 1D on sheet '1D' and 2D on sheet '2D'; merged titles; index row 1..7 above the "
                "input; cases as a header table (Schrittweite S | Auffüllung P | y1..y7 | Ausgabegröße | "
                "Gleiche Größe); channels stacked; biases as ONE block of 2 cells; answers cream",
                _german_two_sheets, LAYOUT_GERMAN_TWO_SHEETS,
                "same-size answers are booleans TRUE/FALSE; no preserve question; sheet names start with "
                "a digit ('1D', '2D')"),
    TeacherBook("title-instructions-merged",
                "one sheet, English; merged title block, three paragraphs of instructions (with numbers "
                "like 'S = 1, P = 0', '5x5x3', '27th of March 2024') and Group/Names cells above the data; "
                "cases header table with a merged 'Output values' header; merged channel and filter "
                "headings; answers light blue",
                _title_instructions_merged, LAYOUT_TITLE_INSTRUCTIONS_MERGED,
                "no 'Case' column: the table starts with Stride S; filters named W0/W1, maps 0/1"),
    TeacherBook("transposed-blocks-grey-inputs",
                "one sheet, English; 1D in columns with an index column i = 0..6, cases as a header table "
                "to the right; every 2D slice written TRANSPOSED (x down, y across) for the input, the "
                "filters and the maps; given numbers shaded grey, answers another colour",
                _transposed_blocks_grey_inputs, LAYOUT_TRANSPOSED_BLOCKS_GREY_INPUTS,
                "the layout reads the blocks as rows, so the solved maps are the transposes of the "
                "other workbooks' maps (consistent: conv(X^T, W^T) = conv(X, W)^T)"),
    TeacherBook("french-three-sheets-plain",
                "French, three sheets: 'Consignes' (instructions only), 'Conv 1D', 'Conv 2D'; no colours; "
                "cases as a header table (Cas | Pas S | Remplissage P | Taille | Même taille | Sortie y); "
                "channels side by side; preserve under headers F | P | S",
                _french_three_sheets_plain, LAYOUT_FRENCH_THREE_SHEETS_PLAIN,
                "volumes written '3 × 3 × 2'; the instructions sheet holds numbers only inside sentences"),
    TeacherBook("german-columns-index-one-based",
                "one sheet, German; 1D in columns with an index column Nr. 1..7 / 1..3; cases as a header "
                "table; the 2D input channels side by side each with an index row AND an index column "
                "1..5, the maps likewise 1..3; volumes as three cells Breite | Höhe | Tiefe; answers pale "
                "green",
                _german_columns_index_one_based, LAYOUT_GERMAN_COLUMNS_INDEX_ONE_BASED,
                "same-size answers are booleans"),
    TeacherBook("case-headings-in-text",
                "one sheet, English; each 1D case headed by ONE merged text cell 'Case 2: stride S = 2, "
                "padding P = 0' (no cell holds S or P alone); output rows exactly as long as each output; "
                "no same-size question; 2D channels stacked, filters side by side; answers orange",
                _case_headings_in_text, LAYOUT_CASE_HEADINGS_IN_TEXT,
                "strides and paddings are plain numbers in the layout (only sentences hold them)"),
    TeacherBook("headers-above-filter-stacks",
                "one sheet 'Sheet1', English; labels as merged headers ABOVE the 1D data (input, filter "
                "and bias side by side on one row); cases header table; input channels stacked; each "
                "filter's three slices stacked without a gap (a 9x3 block, rows labelled c1..c3) with "
                "'b1 =' beside it; answers pink",
                _headers_above_filter_stacks, LAYOUT_HEADERS_ABOVE_FILTER_STACKS,
                "the 1D filter is on the same row as the input, right of it"),
    TeacherBook("two-sheets-case-columns-plain",
                "English, sheets 'Part a' and 'Part b'; no colours; 1D data in columns under headers (no "
                "index); one column per case (header row of case numbers 1..5, rows Stride S / Padding P "
                "/ Output size / Same size? / Output); on 'Part b' the filters come BEFORE the input; "
                "volumes as three cells",
                _two_sheets_case_columns_plain, LAYOUT_TWO_SHEETS_CASE_COLUMNS_PLAIN,
                "case numbers 1..5 are numbers in row 3 above the stride row"),
    TeacherBook("german-labels-beside-exact-rows",
                "one sheet 'Übung 1', German; cases as blocks with labels beside ('Schrittweite' 1, "
                "'Auffüllung' 0; no S =); each output row exactly as long as its output (5, 3, 2, 7, 2 "
                "cells); channels stacked; answers light yellow",
                _german_labels_beside_exact_rows, LAYOUT_GERMAN_LABELS_BESIDE_EXACT_ROWS,
                "same-size answers are booleans; preserve in one cell; sheet name with an umlaut"),
    TeacherBook("only-1d-french-labels-beside",
                "a PARTIAL exercise (question a only): French, 'Pas :' / 'Remplissage :' labels beside, "
                "no colours",
                _only_1d_french_labels_beside, LAYOUT_ONLY_1D_FRENCH_LABELS_BESIDE,
                "the layout holds [conv1d] alone", has_2d=False),
    TeacherBook("only-2d-english",
                "a PARTIAL exercise (question b only): English, channels side by side, filters named "
                "W1 (R) ..., biases 'b1' beside; answers yellow; no preserve question",
                _only_2d_english, LAYOUT_ONLY_2D_ENGLISH,
                "the layout holds [conv2d] alone", has_1d=False),
]

BY_NAME: dict[str, TeacherBook] = {b.name: b for b in CASES}
FULL_CASES: list[TeacherBook] = [b for b in CASES if b.has_1d and b.has_2d]


if __name__ == "__main__":  # python -m tests.support.teacher_workbooks [DIR]
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/teacher_corpus")
    bad = []
    for book in CASES:
        bad += self_check(book, out)
        make_class(book, out / book.name)
    print("\n".join(bad) or f"{len(CASES)} workbooks OK in {out}")
    sys.exit(1 if bad else 0)
