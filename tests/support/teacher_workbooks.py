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
truth a drafted layout is compared with. ``fill_student`` writes a student's copy with chosen
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
    def sheet(self, title: str):
        if self._fresh:
            ws = self.wb.active
            ws.title = title
            self._fresh = False
        else:
            ws = self.wb.create_sheet(title)
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
        for coord, v in zip(cells_of(rng), values):
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
        for coord, v in zip(coords, values):
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
        for coord, v in zip(cells, values):
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


def _blocks_2d_side_by_side(bk: Book, ws, row: int, cols=("B", "H", "N"), headings=None) -> None:
    """Input channels side by side: headings in ``row``, 5x5 blocks below."""
    from openpyxl.utils import column_index_from_string as ci
    for c, col in enumerate(cols):
        if headings:
            bk.text(ws, f"{col}{row}", headings[c], bold=True)
        end = get_column_letter(ci(col) + 4)
        bk.given(f"conv2d.input[{c}]", ws, f"{col}{row + 1}:{end}{row + 5}", bk.x2[c])


# ---- 1. rows-english-coloured --------------------------------------------------------------

def _rows_english_coloured(bk: Book) -> None:
    bk.answer_fill = YELLOW
    ws = bk.sheet("Exercise 1")
    bk.widths(ws, A=22)
    bk.text(ws, "A1", "Exercise 1 - Computation of convolutions", bold=True, size=14)
    bk.text(ws, "A3", "a) 1D convolution", bold=True)
    bk.text(ws, "A5", "Input x")
    bk.given("conv1d.input", ws, "B5:H5", X1)
    bk.text(ws, "A6", "Filter w")
    bk.given("conv1d.filter", ws, "B6:D6", W1)
    bk.text(ws, "A7", "Bias b")
    bk.given("conv1d.bias", ws, "B7", [B1])
    for i, (s, p) in enumerate(CASES_1D):
        r = 9 + 5 * i
        bk.text(ws, f"A{r}", f"Case {i + 1}", bold=True)
        bk.text(ws, f"B{r}", "S =")
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"C{r}")
        bk.text(ws, f"D{r}", "P =")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"E{r}")
        bk.text(ws, f"A{r + 1}", "Output")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"B{r + 1}:H{r + 1}", bk.out1d(i))
        bk.text(ws, f"A{r + 2}", "Output size")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"B{r + 2}", len(bk.out1d(i)))
        bk.text(ws, f"A{r + 3}", "Same size as input?")
        bk.answer(f"conv1d.cases[{i}].same", ws, f"B{r + 3}", bk.same(i))
    bk.text(ws, "A34", "b) 2D convolution", bold=True)
    _blocks_2d_side_by_side(bk, ws, 36, headings=["Input channel 1", "Input channel 2", "Input channel 3"])
    for k, r in ((0, 43), (1, 48)):
        for c, col in enumerate("BHN"):
            bk.text(ws, f"{col}{r}", f"Filter {k + 1}, channel {c + 1}", bold=True)
            end = chr(ord(col) + 2)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{end}{r + 3}", bk.w2[k][c])
        bk.text(ws, f"T{r}", f"Bias {k + 1}", bold=True)
        bk.given(f"conv2d.biases[{k}]", ws, f"T{r + 1}", [B2[k]])
    bk.text(ws, "A53", "Number of activation maps")
    bk.answer("conv2d.maps", ws, "G53", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{54 + i}", f"Output volume with S = {s}, P = {p} (W x H x D)")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"G{54 + i}", bk.volume_text(i))
    bk.text(ws, "A56", "Filter size F, padding P, stride S that preserve the spatial size")
    bk.answer("conv2d.preserve", ws, "G56:I56", list(PRESERVE))
    bk.text(ws, "A58", "Output values with S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "B59", "Activation map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "B60:D62", bk.map_values(0))
    bk.text(ws, "H59", "Activation map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "H60:J62", bk.map_values(1))


LAYOUT_ROWS_ENGLISH_COLOURED = """\
[conv1d]
input = "'Exercise 1'!B5:H5"
filter = "'Exercise 1'!B6:D6"
bias = "'Exercise 1'!B7"

[[conv1d.cases]]
stride = "'Exercise 1'!C9"
padding = "'Exercise 1'!E9"
output = "'Exercise 1'!B10:H10"
size = "'Exercise 1'!B11"
same = "'Exercise 1'!B12"

[[conv1d.cases]]
stride = "'Exercise 1'!C14"
padding = "'Exercise 1'!E14"
output = "'Exercise 1'!B15:H15"
size = "'Exercise 1'!B16"
same = "'Exercise 1'!B17"

[[conv1d.cases]]
stride = "'Exercise 1'!C19"
padding = "'Exercise 1'!E19"
output = "'Exercise 1'!B20:H20"
size = "'Exercise 1'!B21"
same = "'Exercise 1'!B22"

[[conv1d.cases]]
stride = "'Exercise 1'!C24"
padding = "'Exercise 1'!E24"
output = "'Exercise 1'!B25:H25"
size = "'Exercise 1'!B26"
same = "'Exercise 1'!B27"

[[conv1d.cases]]
stride = "'Exercise 1'!C29"
padding = "'Exercise 1'!E29"
output = "'Exercise 1'!B30:H30"
size = "'Exercise 1'!B31"
same = "'Exercise 1'!B32"

[conv2d]
input = ["'Exercise 1'!B37:F41", "'Exercise 1'!H37:L41", "'Exercise 1'!N37:R41"]
filters = [["'Exercise 1'!B44:D46", "'Exercise 1'!H44:J46", "'Exercise 1'!N44:P46"],
           ["'Exercise 1'!B49:D51", "'Exercise 1'!H49:J51", "'Exercise 1'!N49:P51"]]
biases = ["'Exercise 1'!T44", "'Exercise 1'!T49"]
maps = "'Exercise 1'!G53"
preserve = "'Exercise 1'!G56:I56"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Exercise 1'!G54"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Exercise 1'!G55"

[conv2d.values]
stride = 1
padding = 0
output = ["'Exercise 1'!B60:D62", "'Exercise 1'!H60:J62"]
"""


# ---- 2. table-english-plain ----------------------------------------------------------------

def _table_english_plain(bk: Book) -> None:
    bk.borders = False
    ws = bk.sheet("Convolutions")
    bk.widths(ws, A=14, E=20)
    bk.text(ws, "A1", "Convolutions - exercise 1", bold=True, size=14)
    bk.text(ws, "A3", "1D convolution", bold=True)
    bk.text(ws, "A4", "i", italic=True)
    bk.plain(ws, "B4:H4", range(7), italic=True)
    bk.text(ws, "A5", "Input")
    bk.given("conv1d.input", ws, "B5:H5", X1)
    bk.text(ws, "A6", "Filter")
    bk.given("conv1d.filter", ws, "B6:D6", W1)
    bk.text(ws, "A7", "Bias")
    bk.given("conv1d.bias", ws, "B7", [B1])
    bk.plain(ws, "A9:L9", ["Case", "Stride S", "Padding P", "Output size", "Same size as input?"]
             + [f"y[{j}]" for j in range(7)], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 10 + i
        bk.text(ws, f"A{r}", i + 1)
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"B{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"C{r}")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"D{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"E{r}", bk.same(i))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"F{r}:L{r}", bk.out1d(i))
    bk.text(ws, "A16", "2D convolution", bold=True)
    _blocks_2d_side_by_side(bk, ws, 18, headings=[f"Input - channel {c}" for c in (1, 2, 3)])
    for k, r in ((0, 25), (1, 30)):
        for c, col in enumerate("BFJ"):
            bk.text(ws, f"{col}{r}", f"Filter {k + 1} - channel {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
        bk.text(ws, f"N{r}", f"Bias {k + 1}", bold=True)
        bk.given(f"conv2d.biases[{k}]", ws, f"N{r + 1}", [B2[k]])
    bk.text(ws, "A35", "How many activation maps will we obtain?")
    bk.answer("conv2d.maps", ws, "H35", 2)
    bk.text(ws, "A37", "Dimension of the output volume", bold=True)
    bk.plain(ws, "A38:E38", ["Stride S", "Padding P", "Width", "Height", "Depth"], bold=True)
    for i, (s, p) in enumerate(VOLUME_CASES):
        r = 39 + i
        bk.param(f"conv2d.volumes[{i}].stride", s, ws, f"A{r}")
        bk.param(f"conv2d.volumes[{i}].padding", p, ws, f"B{r}")
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"C{r}:E{r}", list(bk.volume(i)))
    bk.text(ws, "A42", "Give a filter size, padding and stride that preserve the spatial dimension of the input:")
    bk.plain(ws, "A43:C43", ["Filter size F", "Padding P", "Stride S"], bold=True)
    bk.answer("conv2d.preserve", ws, "A44:C44", list(PRESERVE))
    bk.text(ws, "A46", "Output values with S = 1 and P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "B47", "Map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "B48:D50", bk.map_values(0))
    bk.text(ws, "F47", "Map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "F48:H50", bk.map_values(1))


LAYOUT_TABLE_ENGLISH_PLAIN = """\
[conv1d]
input = "'Convolutions'!B5:H5"
filter = "'Convolutions'!B6:D6"
bias = "'Convolutions'!B7"

[[conv1d.cases]]
stride = "'Convolutions'!B10"
padding = "'Convolutions'!C10"
output = "'Convolutions'!F10:L10"
size = "'Convolutions'!D10"
same = "'Convolutions'!E10"

[[conv1d.cases]]
stride = "'Convolutions'!B11"
padding = "'Convolutions'!C11"
output = "'Convolutions'!F11:L11"
size = "'Convolutions'!D11"
same = "'Convolutions'!E11"

[[conv1d.cases]]
stride = "'Convolutions'!B12"
padding = "'Convolutions'!C12"
output = "'Convolutions'!F12:L12"
size = "'Convolutions'!D12"
same = "'Convolutions'!E12"

[[conv1d.cases]]
stride = "'Convolutions'!B13"
padding = "'Convolutions'!C13"
output = "'Convolutions'!F13:L13"
size = "'Convolutions'!D13"
same = "'Convolutions'!E13"

[[conv1d.cases]]
stride = "'Convolutions'!B14"
padding = "'Convolutions'!C14"
output = "'Convolutions'!F14:L14"
size = "'Convolutions'!D14"
same = "'Convolutions'!E14"

[conv2d]
input = ["'Convolutions'!B19:F23", "'Convolutions'!H19:L23", "'Convolutions'!N19:R23"]
filters = [["'Convolutions'!B26:D28", "'Convolutions'!F26:H28", "'Convolutions'!J26:L28"],
           ["'Convolutions'!B31:D33", "'Convolutions'!F31:H33", "'Convolutions'!J31:L33"]]
biases = ["'Convolutions'!N26", "'Convolutions'!N31"]
maps = "'Convolutions'!H35"
preserve = "'Convolutions'!A44:C44"

[[conv2d.volumes]]
stride = "'Convolutions'!A39"
padding = "'Convolutions'!B39"
answer = "'Convolutions'!C39:E39"

[[conv2d.volumes]]
stride = "'Convolutions'!A40"
padding = "'Convolutions'!B40"
answer = "'Convolutions'!C40:E40"

[conv2d.values]
stride = 1
padding = 0
output = ["'Convolutions'!B48:D50", "'Convolutions'!F48:H50"]
"""


# ---- 3. columns-index-french ---------------------------------------------------------------

def _columns_index_french(bk: Book) -> None:
    bk.answer_fill = GREEN
    bk.yes, bk.no = "oui", "non"
    ws = bk.sheet("Exercice 1")
    bk.widths(ws, A=26)
    bk.text(ws, "A1", "Exercice 1 - Calcul de convolutions", bold=True, size=14)
    bk.text(ws, "A2", "a) Convolution 1D", bold=True)
    bk.plain(ws, "A3:G3", ["i", "Entrée x", None, "i", "Filtre w", None, "Biais b"], bold=True)
    bk.plain(ws, "A4:A10", range(7), italic=True)
    bk.given("conv1d.input", ws, "B4:B10", X1)
    bk.plain(ws, "D4:D6", range(3), italic=True)
    bk.given("conv1d.filter", ws, "E4:E6", W1)
    bk.given("conv1d.bias", ws, "G4", [B1])
    bk.plain(ws, "B13:F13", [f"Cas {i}" for i in range(1, 6)], bold=True)
    bk.plain(ws, "A14:A18", ["Pas S", "Remplissage P", "Taille de la sortie", "Même taille que l'entrée ?",
                             "Sortie y"], bold=True)
    bk.plain(ws, "A19:A25", range(7), italic=True)
    for i, (s, p) in enumerate(CASES_1D):
        col = "BCDEF"[i]
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"{col}14")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"{col}15")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"{col}19:{col}25", bk.out1d(i))
        bk.answer(f"conv1d.cases[{i}].size", ws, f"{col}16", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"{col}17", bk.same(i))
    # 2D: channels stacked (one under the other), the two filters side by side; index row 1..n.
    bk.text(ws, "I2", "b) Convolution 2D", bold=True)
    for c, r in enumerate((3, 11, 19)):
        bk.text(ws, f"I{r}", f"Entrée - canal {c + 1}", bold=True)
        bk.plain(ws, f"I{r + 1}:M{r + 1}", range(1, 6), italic=True)
        bk.given(f"conv2d.input[{c}]", ws, f"I{r + 2}:M{r + 6}", bk.x2[c])
        for k, col in ((0, "O"), (1, "S")):
            end = chr(ord(col) + 2)
            bk.text(ws, f"{col}{r}", f"Filtre {k + 1} - canal {c + 1}", bold=True)
            bk.plain(ws, f"{col}{r + 1}:{end}{r + 1}", range(1, 4), italic=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 2}:{end}{r + 4}", bk.w2[k][c])
    bk.text(ws, "O25", "Biais b1", bold=True)
    bk.given("conv2d.biases[0]", ws, "P25", [B2[0]])
    bk.text(ws, "S25", "Biais b2", bold=True)
    bk.given("conv2d.biases[1]", ws, "T25", [B2[1]])
    bk.text(ws, "I28", "Nombre de cartes d'activation :")
    bk.answer("conv2d.maps", ws, "N28", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"I{29 + i}", f"Volume de sortie avec S = {s}, P = {p} :")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"N{29 + i}", bk.volume_text(i))
    bk.text(ws, "I31", "F, P et S qui préservent la taille :")
    bk.answer("conv2d.preserve", ws, "N31", "3, 1, 1")
    bk.text(ws, "I33", "Sortie avec S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    for k, col in ((0, "I"), (1, "O")):
        end = chr(ord(col) + 2)
        bk.text(ws, f"{col}34", f"Carte {k + 1}", bold=True)
        bk.plain(ws, f"{col}35:{end}35", range(1, 4), italic=True)
        bk.answer(f"conv2d.values.output[{k}]", ws, f"{col}36:{end}38", bk.map_values(k))


LAYOUT_COLUMNS_INDEX_FRENCH = """\
[conv1d]
input = "'Exercice 1'!B4:B10"
filter = "'Exercice 1'!E4:E6"
bias = "'Exercice 1'!G4"

[[conv1d.cases]]
stride = "'Exercice 1'!B14"
padding = "'Exercice 1'!B15"
output = "'Exercice 1'!B19:B25"
size = "'Exercice 1'!B16"
same = "'Exercice 1'!B17"

[[conv1d.cases]]
stride = "'Exercice 1'!C14"
padding = "'Exercice 1'!C15"
output = "'Exercice 1'!C19:C25"
size = "'Exercice 1'!C16"
same = "'Exercice 1'!C17"

[[conv1d.cases]]
stride = "'Exercice 1'!D14"
padding = "'Exercice 1'!D15"
output = "'Exercice 1'!D19:D25"
size = "'Exercice 1'!D16"
same = "'Exercice 1'!D17"

[[conv1d.cases]]
stride = "'Exercice 1'!E14"
padding = "'Exercice 1'!E15"
output = "'Exercice 1'!E19:E25"
size = "'Exercice 1'!E16"
same = "'Exercice 1'!E17"

[[conv1d.cases]]
stride = "'Exercice 1'!F14"
padding = "'Exercice 1'!F15"
output = "'Exercice 1'!F19:F25"
size = "'Exercice 1'!F16"
same = "'Exercice 1'!F17"

[conv2d]
input = ["'Exercice 1'!I5:M9", "'Exercice 1'!I13:M17", "'Exercice 1'!I21:M25"]
filters = [["'Exercice 1'!O5:Q7", "'Exercice 1'!O13:Q15", "'Exercice 1'!O21:Q23"],
           ["'Exercice 1'!S5:U7", "'Exercice 1'!S13:U15", "'Exercice 1'!S21:U23"]]
biases = ["'Exercice 1'!P25", "'Exercice 1'!T25"]
maps = "'Exercice 1'!N28"
preserve = "'Exercice 1'!N31"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Exercice 1'!N29"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Exercice 1'!N30"

[conv2d.values]
stride = 1
padding = 0
output = ["'Exercice 1'!I36:K38", "'Exercice 1'!O36:Q38"]
"""


# ---- 4. german-two-sheets ------------------------------------------------------------------

def _german_two_sheets(bk: Book) -> None:
    bk.answer_fill = CREAM
    bk.yes, bk.no = True, False
    ws = bk.sheet("1D")
    bk.widths(ws, A=14, B=15, C=14, K=15, L=30)
    bk.text(ws, "A1", "Aufgabe 1a - 1D-Faltung", bold=True, size=14, merge="L1", center=True)
    bk.text(ws, "A3", "Index", italic=True)
    bk.plain(ws, "B3:H3", range(1, 8), italic=True)
    bk.text(ws, "A4", "Eingabe x")
    bk.given("conv1d.input", ws, "B4:H4", X1)
    bk.text(ws, "A6", "Kernel w")
    bk.given("conv1d.filter", ws, "B6:D6", W1)
    bk.text(ws, "A7", "Bias b")
    bk.given("conv1d.bias", ws, "B7", [B1])
    bk.plain(ws, "A10:L10", ["Fall", "Schrittweite S", "Auffüllung P"] + [f"y{j}" for j in range(1, 8)]
             + ["Ausgabegröße", "Gleiche Größe wie die Eingabe?"], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 11 + i
        bk.text(ws, f"A{r}", i + 1)
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"B{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"C{r}")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"D{r}:J{r}", bk.out1d(i))
        bk.answer(f"conv1d.cases[{i}].size", ws, f"K{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"L{r}", bk.same(i))
    ws = bk.sheet("2D")
    bk.text(ws, "A1", "Aufgabe 1b - 2D-Faltung", bold=True, size=14, merge="M1", center=True)
    for c, r in enumerate((3, 10, 17)):
        bk.text(ws, f"A{r}", f"Eingabe - Kanal {c + 1}", bold=True)
        bk.given(f"conv2d.input[{c}]", ws, f"A{r + 1}:E{r + 5}", bk.x2[c])
        for k, col in ((0, "G"), (1, "K")):
            end = chr(ord(col) + 2)
            bk.text(ws, f"{col}{r}", f"Kernel {k + 1} - Kanal {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{end}{r + 3}", bk.w2[k][c])
    bk.text(ws, "H23", "Kernel 1", bold=True)
    bk.text(ws, "I23", "Kernel 2", bold=True)
    bk.text(ws, "G24", "Bias b", bold=True)
    bk.given("conv2d.biases", ws, "H24:I24", B2)
    bk.text(ws, "A26", "Anzahl der Aktivierungskarten")
    bk.answer("conv2d.maps", ws, "F26", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{27 + i}", f"Ausgabevolumen bei S = {s}, P = {p}")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"F{27 + i}", bk.volume_text(i))
    bk.text(ws, "A30", "Ausgabe (S = 1, P = 0)", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "A31", "Karte 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "A32:C34", bk.map_values(0))
    bk.text(ws, "E31", "Karte 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "E32:G34", bk.map_values(1))


LAYOUT_GERMAN_TWO_SHEETS = """\
[conv1d]
input = "'1D'!B4:H4"
filter = "'1D'!B6:D6"
bias = "'1D'!B7"

[[conv1d.cases]]
stride = "'1D'!B11"
padding = "'1D'!C11"
output = "'1D'!D11:J11"
size = "'1D'!K11"
same = "'1D'!L11"

[[conv1d.cases]]
stride = "'1D'!B12"
padding = "'1D'!C12"
output = "'1D'!D12:J12"
size = "'1D'!K12"
same = "'1D'!L12"

[[conv1d.cases]]
stride = "'1D'!B13"
padding = "'1D'!C13"
output = "'1D'!D13:J13"
size = "'1D'!K13"
same = "'1D'!L13"

[[conv1d.cases]]
stride = "'1D'!B14"
padding = "'1D'!C14"
output = "'1D'!D14:J14"
size = "'1D'!K14"
same = "'1D'!L14"

[[conv1d.cases]]
stride = "'1D'!B15"
padding = "'1D'!C15"
output = "'1D'!D15:J15"
size = "'1D'!K15"
same = "'1D'!L15"

[conv2d]
input = ["'2D'!A4:E8", "'2D'!A11:E15", "'2D'!A18:E22"]
filters = [["'2D'!G4:I6", "'2D'!G11:I13", "'2D'!G18:I20"],
           ["'2D'!K4:M6", "'2D'!K11:M13", "'2D'!K18:M20"]]
biases = "'2D'!H24:I24"
maps = "'2D'!F26"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'2D'!F27"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'2D'!F28"

[conv2d.values]
stride = 1
padding = 0
output = ["'2D'!A32:C34", "'2D'!E32:G34"]
"""


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
    ws = bk.sheet("PW04 Ex1")
    bk.widths(ws, A=14, B=11, C=12, K=20)
    bk.text(ws, "A1", "TSM Deep Learning - Practical Work 04", bold=True, size=16, merge="L1", center=True)
    bk.text(ws, "A2", "Exercise 1: Computation of convolutions", bold=True, size=13, merge="L2", center=True)
    for j, para in enumerate(INSTRUCTIONS_EN):
        bk.text(ws, f"A{4 + j}", para, wrap=True, merge=f"L{4 + j}")
        ws.row_dimensions[4 + j].height = 48
    bk.text(ws, "A8", "Group:", bold=True)
    ws.merge_cells("B8:D8")
    bk.text(ws, "A9", "Names:", bold=True)
    ws.merge_cells("B9:H9")
    bk.text(ws, "A11", "1D convolution", bold=True, merge="L11", center=True)
    bk.text(ws, "A12", "Input")
    bk.given("conv1d.input", ws, "B12:H12", X1)
    bk.text(ws, "A13", "Filter")
    bk.given("conv1d.filter", ws, "B13:D13", W1)
    bk.text(ws, "A14", "Bias")
    bk.given("conv1d.bias", ws, "B14", [B1])
    bk.plain(ws, "A16:C16", ["Stride S", "Padding P", "Output size"], bold=True)
    bk.text(ws, "D16", "Output values", bold=True, merge="J16", center=True)
    bk.text(ws, "K16", "Same size as input?", bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 17 + i
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"A{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"B{r}")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"C{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"D{r}:J{r}", bk.out1d(i))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"K{r}", bk.same(i))
    bk.text(ws, "A23", "2D convolution", bold=True, merge="R23", center=True)
    bk.text(ws, "B24", "Input volume (5 x 5 x 3)", bold=True, merge="R24", center=True)
    for c, (col, end, name) in enumerate((("B", "F", "R"), ("H", "L", "G"), ("N", "R", "B"))):
        bk.text(ws, f"{col}25", f"Channel {name}", bold=True, merge=f"{end}25", center=True)
        bk.given(f"conv2d.input[{c}]", ws, f"{col}26:{end}30", bk.x2[c])
    for k, r in ((0, 32), (1, 38)):
        bk.text(ws, f"B{r}", f"Filter W{k}", bold=True, merge=f"L{r}", center=True)
        for c, (col, name) in enumerate((("B", "R"), ("F", "G"), ("J", "B"))):
            bk.text(ws, f"{col}{r + 1}", name, bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 2}:{chr(ord(col) + 2)}{r + 4}", bk.w2[k][c])
        bk.text(ws, f"N{r + 1}", f"Bias b{k}", bold=True)
        bk.given(f"conv2d.biases[{k}]", ws, f"N{r + 2}", [B2[k]])
    bk.text(ws, "A44", "Questions", bold=True, merge="L44", center=True)
    bk.text(ws, "A45", "How many activation maps will we obtain?", merge="F45")
    bk.answer("conv2d.maps", ws, "G45", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{46 + i}", f"With S = {s} and P = {p}, what is the dimension of the output volume?",
                merge=f"F{46 + i}")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"G{46 + i}", bk.volume_text(i))
    bk.text(ws, "A48", "A filter size, padding and stride (F, P, S) that preserve the spatial dimension:",
            merge="F48")
    bk.answer("conv2d.preserve", ws, "G48", "3, 1, 1")
    bk.text(ws, "A50", "Output values with S = 1 and P = 0", bold=True, merge="L50", center=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "B51", "Map 0", bold=True, merge="D51", center=True)
    bk.answer("conv2d.values.output[0]", ws, "B52:D54", bk.map_values(0))
    bk.text(ws, "F51", "Map 1", bold=True, merge="H51", center=True)
    bk.answer("conv2d.values.output[1]", ws, "F52:H54", bk.map_values(1))


LAYOUT_TITLE_INSTRUCTIONS_MERGED = """\
[conv1d]
input = "'PW04 Ex1'!B12:H12"
filter = "'PW04 Ex1'!B13:D13"
bias = "'PW04 Ex1'!B14"

[[conv1d.cases]]
stride = "'PW04 Ex1'!A17"
padding = "'PW04 Ex1'!B17"
output = "'PW04 Ex1'!D17:J17"
size = "'PW04 Ex1'!C17"
same = "'PW04 Ex1'!K17"

[[conv1d.cases]]
stride = "'PW04 Ex1'!A18"
padding = "'PW04 Ex1'!B18"
output = "'PW04 Ex1'!D18:J18"
size = "'PW04 Ex1'!C18"
same = "'PW04 Ex1'!K18"

[[conv1d.cases]]
stride = "'PW04 Ex1'!A19"
padding = "'PW04 Ex1'!B19"
output = "'PW04 Ex1'!D19:J19"
size = "'PW04 Ex1'!C19"
same = "'PW04 Ex1'!K19"

[[conv1d.cases]]
stride = "'PW04 Ex1'!A20"
padding = "'PW04 Ex1'!B20"
output = "'PW04 Ex1'!D20:J20"
size = "'PW04 Ex1'!C20"
same = "'PW04 Ex1'!K20"

[[conv1d.cases]]
stride = "'PW04 Ex1'!A21"
padding = "'PW04 Ex1'!B21"
output = "'PW04 Ex1'!D21:J21"
size = "'PW04 Ex1'!C21"
same = "'PW04 Ex1'!K21"

[conv2d]
input = ["'PW04 Ex1'!B26:F30", "'PW04 Ex1'!H26:L30", "'PW04 Ex1'!N26:R30"]
filters = [["'PW04 Ex1'!B34:D36", "'PW04 Ex1'!F34:H36", "'PW04 Ex1'!J34:L36"],
           ["'PW04 Ex1'!B40:D42", "'PW04 Ex1'!F40:H42", "'PW04 Ex1'!J40:L42"]]
biases = ["'PW04 Ex1'!N34", "'PW04 Ex1'!N40"]
maps = "'PW04 Ex1'!G45"
preserve = "'PW04 Ex1'!G48"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'PW04 Ex1'!G46"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'PW04 Ex1'!G47"

[conv2d.values]
stride = 1
padding = 0
output = ["'PW04 Ex1'!B52:D54", "'PW04 Ex1'!F52:H54"]
"""


# ---- 6. transposed-blocks-grey-inputs ------------------------------------------------------

def _transposed_blocks_grey_inputs(bk: Book) -> None:
    bk.answer_fill = "FFEB9C"
    bk.given_fill = GREY
    # Every 2D slice written with x down and y across: the layout reads the transposes.
    bk.x2 = np.asarray(X2).transpose(0, 2, 1)
    bk.w2 = np.asarray(W2).transpose(0, 1, 3, 2)
    ws = bk.sheet("Convolution")
    bk.widths(ws, B=10, D=10, F=10, L=12)
    bk.text(ws, "A1", "Exercise 1 - convolutions", bold=True, size=14)
    bk.plain(ws, "A3:F3", ["i", "Input x", None, "Filter w", None, "Bias b"], bold=True)
    bk.plain(ws, "A4:A10", range(7), italic=True)
    bk.given("conv1d.input", ws, "B4:B10", X1)
    bk.given("conv1d.filter", ws, "D4:D6", W1)
    bk.given("conv1d.bias", ws, "F4", [B1])
    bk.plain(ws, "H3:S3", ["Case", "Stride S", "Padding P", "Output size", "Same size?"]
             + [f"y{j}" for j in range(7)], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 4 + i
        bk.text(ws, f"H{r}", i + 1)
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"I{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"J{r}")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"K{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"L{r}", bk.same(i))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"M{r}:S{r}", bk.out1d(i))
    bk.text(ws, "A13", "2D convolution", bold=True)
    bk.text(ws, "A14", "Note: in every block below, x runs down and y runs across.", italic=True)
    _blocks_2d_side_by_side(bk, ws, 16, headings=[f"Input channel {c}" for c in (1, 2, 3)])
    for k, r in ((0, 23), (1, 28)):
        for c, col in enumerate("BFJ"):
            bk.text(ws, f"{col}{r}", f"Filter {k + 1} channel {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
        bk.text(ws, f"N{r}", f"Bias {k + 1}", bold=True)
        bk.given(f"conv2d.biases[{k}]", ws, f"N{r + 1}", [B2[k]])
    bk.text(ws, "A33", "Number of activation maps")
    bk.answer("conv2d.maps", ws, "E33", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{34 + i}", f"Output volume, S = {s}, P = {p}")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"E{34 + i}", bk.volume_text(i))
    bk.text(ws, "A36", "F, P, S preserving the input size")
    bk.answer("conv2d.preserve", ws, "E36:G36", list(PRESERVE))
    bk.text(ws, "A38", "Output with S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "B39", "Map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "B40:D42", bk.map_values(0))
    bk.text(ws, "F39", "Map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "F40:H42", bk.map_values(1))


LAYOUT_TRANSPOSED_BLOCKS_GREY_INPUTS = """\
[conv1d]
input = "'Convolution'!B4:B10"
filter = "'Convolution'!D4:D6"
bias = "'Convolution'!F4"

[[conv1d.cases]]
stride = "'Convolution'!I4"
padding = "'Convolution'!J4"
output = "'Convolution'!M4:S4"
size = "'Convolution'!K4"
same = "'Convolution'!L4"

[[conv1d.cases]]
stride = "'Convolution'!I5"
padding = "'Convolution'!J5"
output = "'Convolution'!M5:S5"
size = "'Convolution'!K5"
same = "'Convolution'!L5"

[[conv1d.cases]]
stride = "'Convolution'!I6"
padding = "'Convolution'!J6"
output = "'Convolution'!M6:S6"
size = "'Convolution'!K6"
same = "'Convolution'!L6"

[[conv1d.cases]]
stride = "'Convolution'!I7"
padding = "'Convolution'!J7"
output = "'Convolution'!M7:S7"
size = "'Convolution'!K7"
same = "'Convolution'!L7"

[[conv1d.cases]]
stride = "'Convolution'!I8"
padding = "'Convolution'!J8"
output = "'Convolution'!M8:S8"
size = "'Convolution'!K8"
same = "'Convolution'!L8"

[conv2d]
input = ["'Convolution'!B17:F21", "'Convolution'!H17:L21", "'Convolution'!N17:R21"]
filters = [["'Convolution'!B24:D26", "'Convolution'!F24:H26", "'Convolution'!J24:L26"],
           ["'Convolution'!B29:D31", "'Convolution'!F29:H31", "'Convolution'!J29:L31"]]
biases = ["'Convolution'!N24", "'Convolution'!N29"]
maps = "'Convolution'!E33"
preserve = "'Convolution'!E36:G36"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Convolution'!E34"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Convolution'!E35"

[conv2d.values]
stride = 1
padding = 0
output = ["'Convolution'!B40:D42", "'Convolution'!F40:H42"]
"""


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
    ws = bk.sheet("Consignes")
    bk.widths(ws, A=110)
    bk.text(ws, "A1", CONSIGNES_FR[0], bold=True, size=14)
    for j, para in enumerate(CONSIGNES_FR[1:]):
        bk.text(ws, f"A{3 + j}", para, wrap=True)
    ws = bk.sheet("Conv 1D")
    bk.widths(ws, A=10, C=14, D=18, E=14)
    bk.text(ws, "A1", "a) Convolution 1D", bold=True, size=13)
    bk.text(ws, "A3", "Entrée")
    bk.given("conv1d.input", ws, "B3:H3", X1)
    bk.text(ws, "A4", "Filtre")
    bk.given("conv1d.filter", ws, "B4:D4", W1)
    bk.text(ws, "A5", "Biais")
    bk.given("conv1d.bias", ws, "B5", [B1])
    bk.plain(ws, "A7:F7", ["Cas", "Pas S", "Remplissage P", "Taille de la sortie", "Même taille ?", "Sortie y"],
             bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 8 + i
        bk.text(ws, f"A{r}", f"Cas {i + 1}")
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"B{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"C{r}")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"D{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"E{r}", bk.same(i))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"F{r}:L{r}", bk.out1d(i))
    ws = bk.sheet("Conv 2D")
    bk.text(ws, "A1", "b) Convolution 2D", bold=True, size=13)
    bk.text(ws, "A3", "Entrée (5 x 5 x 3)", bold=True)
    _blocks_2d_side_by_side(bk, ws, 4, cols=("A", "G", "M"), headings=["Canal 1", "Canal 2", "Canal 3"])
    for k, r in ((0, 11), (1, 17)):
        bk.text(ws, f"A{r}", f"Filtre {k + 1}", bold=True)
        for c, col in enumerate("AEI"):
            bk.text(ws, f"{col}{r + 1}", f"Canal {c + 1}")
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 2}:{chr(ord(col) + 2)}{r + 4}", bk.w2[k][c])
        bk.text(ws, f"M{r + 1}", "Biais")
        bk.given(f"conv2d.biases[{k}]", ws, f"M{r + 2}", [B2[k]])
    bk.text(ws, "A23", "Questions", bold=True)
    bk.text(ws, "A24", "Combien de cartes d'activation obtient-on ?")
    bk.answer("conv2d.maps", ws, "H24", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{25 + i}", f"Volume de sortie pour S = {s}, P = {p} :")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"H{25 + i}", bk.volume_text(i, " × "))
    bk.text(ws, "A28", "Taille de filtre, remplissage et pas qui préservent la dimension de l'entrée :")
    bk.plain(ws, "A29:C29", ["F", "P", "S"], bold=True)
    bk.answer("conv2d.preserve", ws, "A30:C30", list(PRESERVE))
    bk.text(ws, "A32", "Sortie pour S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "A33", "Carte 1")
    bk.answer("conv2d.values.output[0]", ws, "A34:C36", bk.map_values(0))
    bk.text(ws, "E33", "Carte 2")
    bk.answer("conv2d.values.output[1]", ws, "E34:G36", bk.map_values(1))


LAYOUT_FRENCH_THREE_SHEETS_PLAIN = """\
[conv1d]
input = "'Conv 1D'!B3:H3"
filter = "'Conv 1D'!B4:D4"
bias = "'Conv 1D'!B5"

[[conv1d.cases]]
stride = "'Conv 1D'!B8"
padding = "'Conv 1D'!C8"
output = "'Conv 1D'!F8:L8"
size = "'Conv 1D'!D8"
same = "'Conv 1D'!E8"

[[conv1d.cases]]
stride = "'Conv 1D'!B9"
padding = "'Conv 1D'!C9"
output = "'Conv 1D'!F9:L9"
size = "'Conv 1D'!D9"
same = "'Conv 1D'!E9"

[[conv1d.cases]]
stride = "'Conv 1D'!B10"
padding = "'Conv 1D'!C10"
output = "'Conv 1D'!F10:L10"
size = "'Conv 1D'!D10"
same = "'Conv 1D'!E10"

[[conv1d.cases]]
stride = "'Conv 1D'!B11"
padding = "'Conv 1D'!C11"
output = "'Conv 1D'!F11:L11"
size = "'Conv 1D'!D11"
same = "'Conv 1D'!E11"

[[conv1d.cases]]
stride = "'Conv 1D'!B12"
padding = "'Conv 1D'!C12"
output = "'Conv 1D'!F12:L12"
size = "'Conv 1D'!D12"
same = "'Conv 1D'!E12"

[conv2d]
input = ["'Conv 2D'!A5:E9", "'Conv 2D'!G5:K9", "'Conv 2D'!M5:Q9"]
filters = [["'Conv 2D'!A13:C15", "'Conv 2D'!E13:G15", "'Conv 2D'!I13:K15"],
           ["'Conv 2D'!A19:C21", "'Conv 2D'!E19:G21", "'Conv 2D'!I19:K21"]]
biases = ["'Conv 2D'!M13", "'Conv 2D'!M19"]
maps = "'Conv 2D'!H24"
preserve = "'Conv 2D'!A30:C30"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Conv 2D'!H25"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Conv 2D'!H26"

[conv2d.values]
stride = 1
padding = 0
output = ["'Conv 2D'!A34:C36", "'Conv 2D'!E34:G36"]
"""


# ---- 8. german-columns-index-one-based -----------------------------------------------------

def _german_columns_index_one_based(bk: Book) -> None:
    bk.answer_fill = PALE
    bk.yes, bk.no = True, False
    ws = bk.sheet("Faltung")
    bk.widths(ws, A=12, B=15, C=13, D=14, E=15)
    bk.text(ws, "A1", "Übung 1 - Faltungen", bold=True, size=14, merge="F1", center=True)
    bk.plain(ws, "A3:G3", ["Nr.", "Eingabe", None, "Nr.", "Kernel", None, "Bias"], bold=True)
    bk.plain(ws, "A4:A10", range(1, 8), italic=True)
    bk.given("conv1d.input", ws, "B4:B10", X1)
    bk.plain(ws, "D4:D6", range(1, 4), italic=True)
    bk.given("conv1d.filter", ws, "E4:E6", W1)
    bk.given("conv1d.bias", ws, "G4", [B1])
    bk.plain(ws, "A13:F13", ["Fall", "Schrittweite S", "Auffüllung P", "Ausgabegröße", "Gleiche Größe?",
                             "Ausgabe"], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 14 + i
        bk.text(ws, f"A{r}", i + 1)
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"B{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"C{r}")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"D{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"E{r}", bk.same(i))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"F{r}:L{r}", bk.out1d(i))
    bk.text(ws, "A21", "2D-Faltung", bold=True, size=13)
    # Input channels side by side, each with an index row 1..5 above and an index column 1..5 left.
    for c, col in enumerate("BIP"):
        first = chr(ord(col) + 1)
        last = chr(ord(col) + 5)
        bk.text(ws, f"{col}23", f"Eingabe - Kanal {c + 1}", bold=True)
        bk.plain(ws, f"{first}24:{last}24", range(1, 6), italic=True)
        bk.plain(ws, f"{col}25:{col}29", range(1, 6), italic=True)
        bk.given(f"conv2d.input[{c}]", ws, f"{first}25:{last}29", bk.x2[c])
    for k, r in ((0, 31), (1, 36)):
        for c, col in enumerate("BIP"):
            bk.text(ws, f"{col}{r}", f"Kernel {k + 1} - Kanal {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
        bk.text(ws, f"T{r}", "Bias", bold=True)
        bk.given(f"conv2d.biases[{k}]", ws, f"T{r + 1}", [B2[k]])
    bk.text(ws, "A41", "Anzahl der Aktivierungskarten:")
    bk.answer("conv2d.maps", ws, "E41", 2)
    bk.plain(ws, "E43:G43", ["Breite", "Höhe", "Tiefe"], bold=True)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{44 + i}", f"Ausgabevolumen (S = {s}, P = {p}):")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"E{44 + i}:G{44 + i}", list(bk.volume(i)))
    bk.plain(ws, "E47:G47", ["F", "P", "S"], bold=True)
    bk.text(ws, "A48", "Größe erhalten mit:")
    bk.answer("conv2d.preserve", ws, "E48:G48", list(PRESERVE))
    bk.text(ws, "A50", "Ausgabe mit S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    for k, col in ((0, "B"), (1, "I")):
        first, last = chr(ord(col) + 1), chr(ord(col) + 3)
        bk.text(ws, f"{col}51", f"Karte {k + 1}", bold=True)
        bk.plain(ws, f"{first}52:{last}52", range(1, 4), italic=True)
        bk.plain(ws, f"{col}53:{col}55", range(1, 4), italic=True)
        bk.answer(f"conv2d.values.output[{k}]", ws, f"{first}53:{last}55", bk.map_values(k))


LAYOUT_GERMAN_COLUMNS_INDEX_ONE_BASED = """\
[conv1d]
input = "'Faltung'!B4:B10"
filter = "'Faltung'!E4:E6"
bias = "'Faltung'!G4"

[[conv1d.cases]]
stride = "'Faltung'!B14"
padding = "'Faltung'!C14"
output = "'Faltung'!F14:L14"
size = "'Faltung'!D14"
same = "'Faltung'!E14"

[[conv1d.cases]]
stride = "'Faltung'!B15"
padding = "'Faltung'!C15"
output = "'Faltung'!F15:L15"
size = "'Faltung'!D15"
same = "'Faltung'!E15"

[[conv1d.cases]]
stride = "'Faltung'!B16"
padding = "'Faltung'!C16"
output = "'Faltung'!F16:L16"
size = "'Faltung'!D16"
same = "'Faltung'!E16"

[[conv1d.cases]]
stride = "'Faltung'!B17"
padding = "'Faltung'!C17"
output = "'Faltung'!F17:L17"
size = "'Faltung'!D17"
same = "'Faltung'!E17"

[[conv1d.cases]]
stride = "'Faltung'!B18"
padding = "'Faltung'!C18"
output = "'Faltung'!F18:L18"
size = "'Faltung'!D18"
same = "'Faltung'!E18"

[conv2d]
input = ["'Faltung'!C25:G29", "'Faltung'!J25:N29", "'Faltung'!Q25:U29"]
filters = [["'Faltung'!B32:D34", "'Faltung'!I32:K34", "'Faltung'!P32:R34"],
           ["'Faltung'!B37:D39", "'Faltung'!I37:K39", "'Faltung'!P37:R39"]]
biases = ["'Faltung'!T32", "'Faltung'!T37"]
maps = "'Faltung'!E41"
preserve = "'Faltung'!E48:G48"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Faltung'!E44:G44"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Faltung'!E45:G45"

[conv2d.values]
stride = 1
padding = 0
output = ["'Faltung'!C53:E55", "'Faltung'!J53:L55"]
"""


# ---- 9. case-headings-in-text --------------------------------------------------------------

def _case_headings_in_text(bk: Book) -> None:
    bk.answer_fill = ORANGE
    ws = bk.sheet("Ex1")
    bk.widths(ws, A=12)
    bk.text(ws, "A1", "Exercise 1", bold=True, size=14)
    bk.text(ws, "A3", "Input")
    bk.given("conv1d.input", ws, "B3:H3", X1)
    bk.text(ws, "A4", "Filter")
    bk.given("conv1d.filter", ws, "B4:D4", W1)
    bk.text(ws, "A5", "Bias")
    bk.given("conv1d.bias", ws, "B5", [B1])
    for i, (s, p) in enumerate(CASES_1D):
        r = 7 + 4 * i
        bk.text(ws, f"A{r}", f"Case {i + 1}: stride S = {s}, padding P = {p}", bold=True, merge=f"H{r}")
        bk.param(f"conv1d.cases[{i}].stride", s)
        bk.param(f"conv1d.cases[{i}].padding", p)
        n = len(bk.out1d(i))
        bk.text(ws, f"A{r + 1}", "Output")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"B{r + 1}:{chr(ord('A') + n)}{r + 1}", bk.out1d(i))
        bk.text(ws, f"A{r + 2}", "Size")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"B{r + 2}", n)
    bk.text(ws, "A28", "2D convolution", bold=True, size=13)
    for c, r in enumerate((30, 37, 44)):
        bk.text(ws, f"A{r}", f"Input, channel {c + 1}", bold=True)
        bk.given(f"conv2d.input[{c}]", ws, f"A{r + 1}:E{r + 5}", bk.x2[c])
        for k, col in ((0, "G"), (1, "K")):
            bk.text(ws, f"{col}{r}", f"Filter {k + 1}, channel {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
    bk.text(ws, "G49", "Bias 1:", bold=True)
    bk.given("conv2d.biases[0]", ws, "H49", [B2[0]])
    bk.text(ws, "K49", "Bias 2:", bold=True)
    bk.given("conv2d.biases[1]", ws, "L49", [B2[1]])
    bk.text(ws, "A52", "Number of activation maps:")
    bk.answer("conv2d.maps", ws, "E52", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{53 + i}", f"Output volume for stride {s}, padding {p}:")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"E{53 + i}", bk.volume_text(i))
    bk.text(ws, "A55", "Preserving F, P, S:")
    bk.answer("conv2d.preserve", ws, "E55:G55", list(PRESERVE))
    bk.text(ws, "A57", "Output values for stride 1, padding 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "A58", "Map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "A59:C61", bk.map_values(0))
    bk.text(ws, "E58", "Map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "E59:G61", bk.map_values(1))


LAYOUT_CASE_HEADINGS_IN_TEXT = """\
[conv1d]
input = "'Ex1'!B3:H3"
filter = "'Ex1'!B4:D4"
bias = "'Ex1'!B5"

[[conv1d.cases]]
stride = 1
padding = 0
output = "'Ex1'!B8:F8"
size = "'Ex1'!B9"

[[conv1d.cases]]
stride = 2
padding = 0
output = "'Ex1'!B12:D12"
size = "'Ex1'!B13"

[[conv1d.cases]]
stride = 4
padding = 0
output = "'Ex1'!B16:C16"
size = "'Ex1'!B17"

[[conv1d.cases]]
stride = 1
padding = 1
output = "'Ex1'!B20:H20"
size = "'Ex1'!B21"

[[conv1d.cases]]
stride = 4
padding = 1
output = "'Ex1'!B24:C24"
size = "'Ex1'!B25"

[conv2d]
input = ["'Ex1'!A31:E35", "'Ex1'!A38:E42", "'Ex1'!A45:E49"]
filters = [["'Ex1'!G31:I33", "'Ex1'!G38:I40", "'Ex1'!G45:I47"],
           ["'Ex1'!K31:M33", "'Ex1'!K38:M40", "'Ex1'!K45:M47"]]
biases = ["'Ex1'!H49", "'Ex1'!L49"]
maps = "'Ex1'!E52"
preserve = "'Ex1'!E55:G55"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Ex1'!E53"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Ex1'!E54"

[conv2d.values]
stride = 1
padding = 0
output = ["'Ex1'!A59:C61", "'Ex1'!E59:G61"]
"""


# ---- 10. headers-above-filter-stacks -------------------------------------------------------

def _headers_above_filter_stacks(bk: Book) -> None:
    bk.answer_fill = PINK
    ws = bk.sheet("Sheet1")
    bk.widths(ws, A=12, K=12, L=20)
    bk.text(ws, "A1", "CNN exercise 1", bold=True, size=14)
    bk.text(ws, "B3", "Input x", bold=True, merge="H3", center=True)
    bk.given("conv1d.input", ws, "B4:H4", X1)
    bk.text(ws, "J3", "Filter w", bold=True, merge="L3", center=True)
    bk.given("conv1d.filter", ws, "J4:L4", W1)
    bk.text(ws, "N3", "Bias b", bold=True)
    bk.given("conv1d.bias", ws, "N4", [B1])
    bk.plain(ws, "A6:C6", ["Case", "Stride S", "Padding P"], bold=True)
    bk.text(ws, "D6", "Output", bold=True, merge="J6", center=True)
    bk.plain(ws, "K6:L6", ["Output size", "Same as input size?"], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        r = 7 + i
        bk.text(ws, f"A{r}", f"Case {i + 1}")
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"B{r}")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"C{r}")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"D{r}:J{r}", bk.out1d(i))
        bk.answer(f"conv1d.cases[{i}].size", ws, f"K{r}", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"L{r}", bk.same(i))
    bk.text(ws, "A13", "2D convolution", bold=True, size=13)
    for c, r in enumerate((15, 22, 29)):
        bk.text(ws, f"A{r}", f"Input channel {c + 1}", bold=True)
        bk.given(f"conv2d.input[{c}]", ws, f"A{r + 1}:E{r + 5}", bk.x2[c])
    # Each filter: its three channel slices stacked without a gap (9 x 3), its bias beside.
    for k, (label_col, col, b_label, b_col) in enumerate((("F", "G", "J", "K"), ("L", "M", "P", "Q"))):
        bk.text(ws, f"{col}15", f"Filter {k + 1}", bold=True)
        for c in range(3):
            r = 16 + 3 * c
            bk.text(ws, f"{label_col}{r}", f"c{c + 1}", italic=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r}:{chr(ord(col) + 2)}{r + 2}", bk.w2[k][c])
        bk.text(ws, f"{b_label}16", f"b{k + 1} =")
        bk.given(f"conv2d.biases[{k}]", ws, f"{b_col}16", [B2[k]])
    bk.text(ws, "A36", "Number of activation maps")
    bk.answer("conv2d.maps", ws, "F36", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{37 + i}", f"Output volume (S = {s}, P = {p})")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"F{37 + i}", bk.volume_text(i))
    bk.text(ws, "A39", "Filter size / padding / stride preserving the size")
    bk.answer("conv2d.preserve", ws, "F39:H39", list(PRESERVE))
    bk.text(ws, "G41", "Output (S = 1, P = 0)", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "G42", "Map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "G43:I45", bk.map_values(0))
    bk.text(ws, "G47", "Map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "G48:I50", bk.map_values(1))


LAYOUT_HEADERS_ABOVE_FILTER_STACKS = """\
[conv1d]
input = "'Sheet1'!B4:H4"
filter = "'Sheet1'!J4:L4"
bias = "'Sheet1'!N4"

[[conv1d.cases]]
stride = "'Sheet1'!B7"
padding = "'Sheet1'!C7"
output = "'Sheet1'!D7:J7"
size = "'Sheet1'!K7"
same = "'Sheet1'!L7"

[[conv1d.cases]]
stride = "'Sheet1'!B8"
padding = "'Sheet1'!C8"
output = "'Sheet1'!D8:J8"
size = "'Sheet1'!K8"
same = "'Sheet1'!L8"

[[conv1d.cases]]
stride = "'Sheet1'!B9"
padding = "'Sheet1'!C9"
output = "'Sheet1'!D9:J9"
size = "'Sheet1'!K9"
same = "'Sheet1'!L9"

[[conv1d.cases]]
stride = "'Sheet1'!B10"
padding = "'Sheet1'!C10"
output = "'Sheet1'!D10:J10"
size = "'Sheet1'!K10"
same = "'Sheet1'!L10"

[[conv1d.cases]]
stride = "'Sheet1'!B11"
padding = "'Sheet1'!C11"
output = "'Sheet1'!D11:J11"
size = "'Sheet1'!K11"
same = "'Sheet1'!L11"

[conv2d]
input = ["'Sheet1'!A16:E20", "'Sheet1'!A23:E27", "'Sheet1'!A30:E34"]
filters = [["'Sheet1'!G16:I18", "'Sheet1'!G19:I21", "'Sheet1'!G22:I24"],
           ["'Sheet1'!M16:O18", "'Sheet1'!M19:O21", "'Sheet1'!M22:O24"]]
biases = ["'Sheet1'!K16", "'Sheet1'!Q16"]
maps = "'Sheet1'!F36"
preserve = "'Sheet1'!F39:H39"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Sheet1'!F37"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Sheet1'!F38"

[conv2d.values]
stride = 1
padding = 0
output = ["'Sheet1'!G43:I45", "'Sheet1'!G48:I50"]
"""


# ---- 11. two-sheets-case-columns-plain -----------------------------------------------------

def _two_sheets_case_columns_plain(bk: Book) -> None:
    bk.borders = False
    ws = bk.sheet("Part a")
    bk.widths(ws, G=12)
    bk.text(ws, "A1", "Part a - 1D convolution", bold=True, size=13)
    bk.plain(ws, "A3:E3", ["Input", None, "Filter", None, "Bias"], bold=True)
    bk.given("conv1d.input", ws, "A4:A10", X1)
    bk.given("conv1d.filter", ws, "C4:C6", W1)
    bk.given("conv1d.bias", ws, "E4", [B1])
    bk.text(ws, "G3", "Case", bold=True)
    bk.plain(ws, "H3:L3", range(1, 6), bold=True)
    bk.plain(ws, "G4:G8", ["Stride S", "Padding P", "Output size", "Same size?", "Output"], bold=True)
    for i, (s, p) in enumerate(CASES_1D):
        col = "HIJKL"[i]
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"{col}4")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"{col}5")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"{col}6", len(bk.out1d(i)))
        bk.answer(f"conv1d.cases[{i}].same", ws, f"{col}7", bk.same(i))
        bk.answer(f"conv1d.cases[{i}].output", ws, f"{col}8:{col}14", bk.out1d(i))
    ws = bk.sheet("Part b")
    bk.text(ws, "A1", "Part b - 2D convolution", bold=True, size=13)
    # The filters first, then the input volume below them.
    for k, r in ((0, 3), (1, 9)):
        bk.text(ws, f"A{r}", f"Filter {k + 1}", bold=True)
        for c, col in enumerate("AEI"):
            bk.text(ws, f"{col}{r + 1}", f"channel {c + 1}")
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 2}:{chr(ord(col) + 2)}{r + 4}", bk.w2[k][c])
        bk.text(ws, f"M{r + 1}", "bias")
        bk.given(f"conv2d.biases[{k}]", ws, f"M{r + 2}", [B2[k]])
    bk.text(ws, "A15", "Input", bold=True)
    _blocks_2d_side_by_side(bk, ws, 16, cols=("A", "G", "M"), headings=["channel 1", "channel 2", "channel 3"])
    bk.text(ws, "A23", "Activation maps:")
    bk.answer("conv2d.maps", ws, "D23", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{24 + i}", f"Output volume, S={s}, P={p} (W, H, D):")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"D{24 + i}:F{24 + i}", list(bk.volume(i)))
    bk.text(ws, "A26", "F, P, S that keep the size:")
    bk.answer("conv2d.preserve", ws, "D26:F26", list(PRESERVE))
    bk.text(ws, "A28", "Output values, S=1, P=0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "A29", "map 1")
    bk.answer("conv2d.values.output[0]", ws, "A30:C32", bk.map_values(0))
    bk.text(ws, "E29", "map 2")
    bk.answer("conv2d.values.output[1]", ws, "E30:G32", bk.map_values(1))


LAYOUT_TWO_SHEETS_CASE_COLUMNS_PLAIN = """\
[conv1d]
input = "'Part a'!A4:A10"
filter = "'Part a'!C4:C6"
bias = "'Part a'!E4"

[[conv1d.cases]]
stride = "'Part a'!H4"
padding = "'Part a'!H5"
output = "'Part a'!H8:H14"
size = "'Part a'!H6"
same = "'Part a'!H7"

[[conv1d.cases]]
stride = "'Part a'!I4"
padding = "'Part a'!I5"
output = "'Part a'!I8:I14"
size = "'Part a'!I6"
same = "'Part a'!I7"

[[conv1d.cases]]
stride = "'Part a'!J4"
padding = "'Part a'!J5"
output = "'Part a'!J8:J14"
size = "'Part a'!J6"
same = "'Part a'!J7"

[[conv1d.cases]]
stride = "'Part a'!K4"
padding = "'Part a'!K5"
output = "'Part a'!K8:K14"
size = "'Part a'!K6"
same = "'Part a'!K7"

[[conv1d.cases]]
stride = "'Part a'!L4"
padding = "'Part a'!L5"
output = "'Part a'!L8:L14"
size = "'Part a'!L6"
same = "'Part a'!L7"

[conv2d]
input = ["'Part b'!A17:E21", "'Part b'!G17:K21", "'Part b'!M17:Q21"]
filters = [["'Part b'!A5:C7", "'Part b'!E5:G7", "'Part b'!I5:K7"],
           ["'Part b'!A11:C13", "'Part b'!E11:G13", "'Part b'!I11:K13"]]
biases = ["'Part b'!M5", "'Part b'!M11"]
maps = "'Part b'!D23"
preserve = "'Part b'!D26:F26"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Part b'!D24:F24"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Part b'!D25:F25"

[conv2d.values]
stride = 1
padding = 0
output = ["'Part b'!A30:C32", "'Part b'!E30:G32"]
"""


# ---- 12. german-labels-beside-exact-rows ---------------------------------------------------

def _german_labels_beside_exact_rows(bk: Book) -> None:
    bk.answer_fill = "FFFF99"
    bk.yes, bk.no = True, False
    ws = bk.sheet("Übung 1")
    bk.widths(ws, A=16, B=13, D=12)
    bk.text(ws, "A1", "Übung 1: Faltung", bold=True, size=14, merge="J1", center=True)
    bk.text(ws, "A3", "Eingabe")
    bk.given("conv1d.input", ws, "B3:H3", X1)
    bk.text(ws, "A4", "Filter")
    bk.given("conv1d.filter", ws, "B4:D4", W1)
    bk.text(ws, "A5", "Bias")
    bk.given("conv1d.bias", ws, "B5", [B1])
    for i, (s, p) in enumerate(CASES_1D):
        r = 7 + 5 * i
        n = len(bk.out1d(i))
        bk.text(ws, f"A{r}", f"Fall {i + 1}", bold=True)
        bk.text(ws, f"B{r}", "Schrittweite")
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"C{r}")
        bk.text(ws, f"D{r}", "Auffüllung")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"E{r}")
        bk.text(ws, f"A{r + 1}", "Ausgabe")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"B{r + 1}:{chr(ord('A') + n)}{r + 1}", bk.out1d(i))
        bk.text(ws, f"A{r + 2}", "Ausgabegröße")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"B{r + 2}", n)
        bk.text(ws, f"A{r + 3}", "Gleiche Größe?")
        bk.answer(f"conv1d.cases[{i}].same", ws, f"B{r + 3}", bk.same(i))
    bk.text(ws, "A32", "2D-Faltung", bold=True, size=13)
    for c, r in enumerate((34, 41, 48)):
        bk.text(ws, f"A{r}", f"Eingabe Kanal {c + 1}", bold=True)
        bk.given(f"conv2d.input[{c}]", ws, f"A{r + 1}:E{r + 5}", bk.x2[c])
        for k, col in ((0, "G"), (1, "K")):
            bk.text(ws, f"{col}{r}", f"Filter {k + 1} Kanal {c + 1}", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
    bk.text(ws, "G53", "Bias 1", bold=True)
    bk.given("conv2d.biases[0]", ws, "H53", [B2[0]])
    bk.text(ws, "K53", "Bias 2", bold=True)
    bk.given("conv2d.biases[1]", ws, "L53", [B2[1]])
    bk.text(ws, "A56", "Anzahl Aktivierungskarten")
    bk.answer("conv2d.maps", ws, "F56", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{57 + i}", f"Ausgabevolumen S = {s}, P = {p}")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"F{57 + i}", bk.volume_text(i))
    bk.text(ws, "A59", "F, P, S zur Erhaltung der Größe")
    bk.answer("conv2d.preserve", ws, "F59", "3, 1, 1")
    bk.text(ws, "A61", "Ausgabe S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "A62", "Karte 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "A63:C65", bk.map_values(0))
    bk.text(ws, "E62", "Karte 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "E63:G65", bk.map_values(1))


LAYOUT_GERMAN_LABELS_BESIDE_EXACT_ROWS = """\
[conv1d]
input = "'Übung 1'!B3:H3"
filter = "'Übung 1'!B4:D4"
bias = "'Übung 1'!B5"

[[conv1d.cases]]
stride = "'Übung 1'!C7"
padding = "'Übung 1'!E7"
output = "'Übung 1'!B8:F8"
size = "'Übung 1'!B9"
same = "'Übung 1'!B10"

[[conv1d.cases]]
stride = "'Übung 1'!C12"
padding = "'Übung 1'!E12"
output = "'Übung 1'!B13:D13"
size = "'Übung 1'!B14"
same = "'Übung 1'!B15"

[[conv1d.cases]]
stride = "'Übung 1'!C17"
padding = "'Übung 1'!E17"
output = "'Übung 1'!B18:C18"
size = "'Übung 1'!B19"
same = "'Übung 1'!B20"

[[conv1d.cases]]
stride = "'Übung 1'!C22"
padding = "'Übung 1'!E22"
output = "'Übung 1'!B23:H23"
size = "'Übung 1'!B24"
same = "'Übung 1'!B25"

[[conv1d.cases]]
stride = "'Übung 1'!C27"
padding = "'Übung 1'!E27"
output = "'Übung 1'!B28:C28"
size = "'Übung 1'!B29"
same = "'Übung 1'!B30"

[conv2d]
input = ["'Übung 1'!A35:E39", "'Übung 1'!A42:E46", "'Übung 1'!A49:E53"]
filters = [["'Übung 1'!G35:I37", "'Übung 1'!G42:I44", "'Übung 1'!G49:I51"],
           ["'Übung 1'!K35:M37", "'Übung 1'!K42:M44", "'Übung 1'!K49:M51"]]
biases = ["'Übung 1'!H53", "'Übung 1'!L53"]
maps = "'Übung 1'!F56"
preserve = "'Übung 1'!F59"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Übung 1'!F57"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Übung 1'!F58"

[conv2d.values]
stride = 1
padding = 0
output = ["'Übung 1'!A63:C65", "'Übung 1'!E63:G65"]
"""


# ---- 13. 1d-only-french-labels-beside (a partial exercise: [conv1d] only) ------------------

def _only_1d_french_labels_beside(bk: Book) -> None:
    bk.borders = False
    bk.yes, bk.no = "oui", "non"
    ws = bk.sheet("Exercice 1a")
    bk.widths(ws, A=12, D=15)
    bk.text(ws, "A1", "Exercice 1a - convolution 1D", bold=True, size=13)
    bk.text(ws, "A3", "Entrée")
    bk.given("conv1d.input", ws, "B3:H3", X1)
    bk.text(ws, "A4", "Filtre")
    bk.given("conv1d.filter", ws, "B4:D4", W1)
    bk.text(ws, "A5", "Biais")
    bk.given("conv1d.bias", ws, "B5", [B1])
    for i, (s, p) in enumerate(CASES_1D):
        r = 7 + 4 * i
        bk.text(ws, f"A{r}", f"Cas {i + 1}", bold=True)
        bk.text(ws, f"B{r}", "Pas :")
        bk.param(f"conv1d.cases[{i}].stride", s, ws, f"C{r}")
        bk.text(ws, f"D{r}", "Remplissage :")
        bk.param(f"conv1d.cases[{i}].padding", p, ws, f"E{r}")
        bk.text(ws, f"A{r + 1}", "Sortie")
        bk.answer(f"conv1d.cases[{i}].output", ws, f"B{r + 1}:H{r + 1}", bk.out1d(i))
        bk.text(ws, f"A{r + 2}", "Taille")
        bk.answer(f"conv1d.cases[{i}].size", ws, f"B{r + 2}", len(bk.out1d(i)))
        bk.text(ws, f"D{r + 2}", "Même taille ?")
        bk.answer(f"conv1d.cases[{i}].same", ws, f"E{r + 2}", bk.same(i))


LAYOUT_ONLY_1D_FRENCH_LABELS_BESIDE = """\
[conv1d]
input = "'Exercice 1a'!B3:H3"
filter = "'Exercice 1a'!B4:D4"
bias = "'Exercice 1a'!B5"

[[conv1d.cases]]
stride = "'Exercice 1a'!C7"
padding = "'Exercice 1a'!E7"
output = "'Exercice 1a'!B8:H8"
size = "'Exercice 1a'!B9"
same = "'Exercice 1a'!E9"

[[conv1d.cases]]
stride = "'Exercice 1a'!C11"
padding = "'Exercice 1a'!E11"
output = "'Exercice 1a'!B12:H12"
size = "'Exercice 1a'!B13"
same = "'Exercice 1a'!E13"

[[conv1d.cases]]
stride = "'Exercice 1a'!C15"
padding = "'Exercice 1a'!E15"
output = "'Exercice 1a'!B16:H16"
size = "'Exercice 1a'!B17"
same = "'Exercice 1a'!E17"

[[conv1d.cases]]
stride = "'Exercice 1a'!C19"
padding = "'Exercice 1a'!E19"
output = "'Exercice 1a'!B20:H20"
size = "'Exercice 1a'!B21"
same = "'Exercice 1a'!E21"

[[conv1d.cases]]
stride = "'Exercice 1a'!C23"
padding = "'Exercice 1a'!E23"
output = "'Exercice 1a'!B24:H24"
size = "'Exercice 1a'!B25"
same = "'Exercice 1a'!E25"
"""


# ---- 14. 2d-only-english (a partial exercise: [conv2d] only) -------------------------------

def _only_2d_english(bk: Book) -> None:
    bk.answer_fill = YELLOW
    ws = bk.sheet("Conv2D")
    bk.text(ws, "A1", "Exercise 1b - 2D convolution", bold=True, size=13, merge="R1")
    _blocks_2d_side_by_side(bk, ws, 3, headings=["Input (R)", "Input (G)", "Input (B)"])
    for k, r in ((0, 10), (1, 15)):
        for c, col in enumerate("BHN"):
            bk.text(ws, f"{col}{r}", f"W{k + 1} ({'RGB'[c]})", bold=True)
            bk.given(f"conv2d.filters[{k}][{c}]", ws, f"{col}{r + 1}:{chr(ord(col) + 2)}{r + 3}", bk.w2[k][c])
        bk.text(ws, f"S{r + 1}", f"b{k + 1}")
        bk.given(f"conv2d.biases[{k}]", ws, f"T{r + 1}", [B2[k]])
    bk.text(ws, "A20", "Number of activation maps")
    bk.answer("conv2d.maps", ws, "H20", 2)
    for i, (s, p) in enumerate(VOLUME_CASES):
        bk.text(ws, f"A{21 + i}", f"Output volume, S = {s}, P = {p}")
        bk.param(f"conv2d.volumes[{i}].stride", s)
        bk.param(f"conv2d.volumes[{i}].padding", p)
        bk.answer(f"conv2d.volumes[{i}].answer", ws, f"H{21 + i}", bk.volume_text(i))
    bk.text(ws, "A24", "Output with S = 1, P = 0", bold=True)
    bk.param("conv2d.values.stride", 1)
    bk.param("conv2d.values.padding", 0)
    bk.text(ws, "B25", "Map 1", bold=True)
    bk.answer("conv2d.values.output[0]", ws, "B26:D28", bk.map_values(0))
    bk.text(ws, "H25", "Map 2", bold=True)
    bk.answer("conv2d.values.output[1]", ws, "H26:J28", bk.map_values(1))


LAYOUT_ONLY_2D_ENGLISH = """\
[conv2d]
input = ["'Conv2D'!B4:F8", "'Conv2D'!H4:L8", "'Conv2D'!N4:R8"]
filters = [["'Conv2D'!B11:D13", "'Conv2D'!H11:J13", "'Conv2D'!N11:P13"],
           ["'Conv2D'!B16:D18", "'Conv2D'!H16:J18", "'Conv2D'!N16:P18"]]
biases = ["'Conv2D'!T11", "'Conv2D'!T16"]
maps = "'Conv2D'!H20"

[[conv2d.volumes]]
stride = 1
padding = 0
answer = "'Conv2D'!H21"

[[conv2d.volumes]]
stride = 2
padding = 0
answer = "'Conv2D'!H22"

[conv2d.values]
stride = 1
padding = 0
output = ["'Conv2D'!B26:D28", "'Conv2D'!H26:J28"]
"""


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
