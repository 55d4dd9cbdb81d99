"""``xlcnn layout draft``: propose the layout of a teacher's own workbook, for the TA to confirm.

It reads the handed-out (blank) workbook as a person does:

* **given numbers**, in rows or in columns; a row or column of 0..n-1 or 1..n beside them is an
  index, not data; square blocks of one size are the input volume's channels (side by side or
  stacked), of a smaller size the filters' slices (a tall or wide block of several slices is cut
  into them), grouped by the filter and channel their headings name, else by their arrangement;
* **labels** beside the numbers or as table headers, in English, French or German (``Input``,
  ``Entrée``, ``Eingabe``; ``Filter``, ``Filtre``, ``Kernel``; ``Bias``, ``Biais``; ``Stride``,
  ``Pas``, ``Schrittweite``; ``Padding``, ``Remplissage``, ``Auffüllung``; ``S =``, ``P =``), and
  sentences that give a case's S and P (``Case 2: stride S = 2, padding P = 0``);
* **strides and paddings** beside their labels, in a table whose headers name them (one row per
  case), in rows named so (one column per case), or only inside a sentence (then the layout holds
  the numbers themselves); each pair is a 1D case or a 2D volume by where it stands;
* **answer cells**: with ``--solution``, the cells the solved copy fills and the blank leaves
  empty, each matched to its question by the answer computed from the inputs found; without it,
  the empty cells that share the answer colour, taken by shape in order near each question.

Every region carries a comment saying how it was found, and one that is uncertain says what to
check; a required region with no candidate is a problem (the command exits 1). With the solved
copy the whole draft is checked: the solved workbook read through it must be right everywhere.
Pure functions over loaded workbooks; the CLI writes the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..core import conv
from ..core.exercise import Example, solve
from ..errors import LayoutError, XlcnnError
from ..files.cells import stored_items
from ..files.opening import Book
from ..files.typed import is_empty, parse_number, parse_numbers, parse_yes_no
from .model import MAX_COLS, MAX_ROWS, Area, parse_layout
from .regions import RegionId
from .toml import layout_toml

R = RegionId.of

# words of the labels, English / French / German, compared without accents and case
WORDS = {
    "input": r"input|entree|eingabe|signal|\bx\b",
    "filter": r"filter|filtre|kernel|noyau|\bw\b|poids|gewicht",
    "bias": r"bias|biais|\bb\d?\b|verschiebung",
    "stride": r"stride|\bpas\b|schrittweite|schritt|^\s*s\s*[=:]?\s*$|\bs\s*=",
    "padding": r"padding|remplissage|rembourrage|auffullung|^\s*p\s*[=:]?\s*$|\bp\s*=",
    "channel": r"channel|canal|kanal|couche",
    "values": r"output value|valeurs|werte|sortie avec|ausgabe \(|output with|output values|output \(",
    "volume": r"volume",
    "maps": r"maps|cartes|karten",
}
_S_IN_TEXT = re.compile(r"(?:\b(?:stride|pas|schrittweite)\b\s*(?:\bs\b)?|\bs\b)\s*[=:]?\s*(\d+)")
_P_IN_TEXT = re.compile(r"(?:\b(?:padding|remplissage|auffullung)\b\s*(?:\bp\b)?|\bp\b)\s*[=:]?\s*(\d+)")
MAX_SENTENCE = 100  # characters: a longer text is instructions, whose numbers are examples


def _sentence_pair(text: str) -> tuple[int, int] | None:
    """The S and P a short sentence gives ("Case 2: stride S = 2, padding P = 0", "Output volume for
    stride 1, padding 0"): exactly one of each, else None."""
    norm = _norm(text)
    if len(norm) > MAX_SENTENCE:
        return None
    strides, paddings = _S_IN_TEXT.findall(norm), _P_IN_TEXT.findall(norm)
    if len(strides) == 1 and len(paddings) == 1:
        return int(strides[0]), int(paddings[0])
    return None


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def _is(text: str, kind: str) -> bool:
    return bool(re.search(WORDS[kind], _norm(text)))


@dataclass
class Draft:
    """A proposed layout: its TOML (with a comment per region) and what could not be found."""

    text: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Block:
    area: Area
    values: np.ndarray
    label: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        return self.area.shape


@dataclass
class Slot:
    """A stride and padding pair: cells or numbers from a sentence; where it stands."""

    stride: str | int
    padding: str | int
    sheet: str
    row: int
    col: int
    how: str
    text: str = ""
    header_row: int = 0  # a table's header row (the stride's header)


class _Sheet:
    """One sheet's cells as the drafter needs them."""

    def __init__(self, book: Book, name: str):
        self.name = name
        self.numbers: dict[tuple[int, int], float] = {}
        self.texts: dict[tuple[int, int], str] = {}
        self.fills: dict[tuple[int, int], str] = {}
        for (row, col), cell in stored_items(book.workbook[name]):
            if row > MAX_ROWS or col > MAX_COLS:
                continue
            value = cell.value
            if (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and not book.formula(name, cell.coordinate)):
                self.numbers[(row, col)] = float(value)
            elif isinstance(value, str) and value.strip():
                number = parse_number(value)[0]
                if number is None:
                    self.texts[(row, col)] = value.strip()
            elif value is None and cell.fill is not None and cell.fill.fill_type == "solid":
                self.fills[(row, col)] = str(cell.fill.fgColor.rgb)

    def _text_toward(self, row: int, col: int, dr: int, dc: int, reach: int) -> str:
        """The first text met going from (row, col) by (dr, dc), before a number or ``reach`` cells."""
        for step in range(1, reach + 1):
            cell = (row + dr * step, col + dc * step)
            if cell[0] < 1 or cell[1] < 1 or cell in self.numbers:
                return ""
            if cell in self.texts:
                return self.texts[cell]
        return ""

    def text_left(self, row: int, col: int, reach: int = 3) -> str:
        return self._text_toward(row, col, 0, -1, reach)

    def text_above(self, row: int, col: int, reach: int = 2) -> str:
        return self._text_toward(row, col, -1, 0, reach)


# ------------------------------------------------------------------ geometry


def _runs(cells: set[tuple[int, int]], axis: int) -> list[list[tuple[int, int]]]:
    """Maximal straight runs of cells along rows (axis 1) or columns (axis 0)."""
    out = []
    for cell in sorted(cells, key=lambda rc: (rc[1 - axis], rc[axis])):
        prev = (cell[0], cell[1] - 1) if axis == 1 else (cell[0] - 1, cell[1])
        if prev in cells and out and out[-1][-1] == prev:
            out[-1].append(cell)
        else:
            out.append([cell])
    return out


def _index_cells(sheet: _Sheet) -> set[tuple[int, int]]:
    """Cells of an index row or column: 0..n-1 or 1..n (n >= 3), numbers that count, not data."""
    out = set()
    cells = set(sheet.numbers)
    for axis in (0, 1):
        for run in _runs(cells, axis):
            values = [sheet.numbers[c] for c in run]
            for start in range(len(values)):
                seq = values[start:]
                if (len(seq) >= 3 and seq[0] in (0.0, 1.0)
                        and all(b - a == 1 for a, b in zip(seq, seq[1:], strict=False))):
                    out.update(run[start:])
                    break
    return out


def _components(cells: set[tuple[int, int]]) -> list[set[tuple[int, int]]]:
    seen, out = set(), []
    for cell in sorted(cells):
        if cell in seen:
            continue
        todo, comp = [cell], set()
        while todo:
            r, c = todo.pop()
            if (r, c) in seen or (r, c) not in cells:
                continue
            seen.add((r, c))
            comp.add((r, c))
            todo += [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
        out.append(comp)
    return out


def _rectangles(cells: set[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Full rectangles covering ``cells``: a component that is one, else its row runs merged down."""
    out = []
    for comp in _components(cells):
        rows, cols = {r for r, _ in comp}, {c for _, c in comp}
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        if len(comp) == (r1 - r0 + 1) * (c1 - c0 + 1):
            out.append((r0, c0, r1, c1))
            continue
        runs = [(run[0][0], run[0][1], run[-1][1]) for run in _runs(comp, 1)]
        used = set()
        for row, a, b in runs:
            if (row, a, b) in used:
                continue
            last = row
            while (last + 1, a, b) in runs:
                used.add((last + 1, a, b))
                last += 1
            out.append((row, a, last, b))
    return out


def _split_squares(block: tuple[int, int, int, int], side: int) -> list[tuple[int, int, int, int]]:
    r0, c0, r1, c1 = block
    h, w = r1 - r0 + 1, c1 - c0 + 1
    if w == side and h % side == 0 and h > side:
        return [(r0 + i * side, c0, r0 + (i + 1) * side - 1, c1) for i in range(h // side)]
    if h == side and w % side == 0 and w > side:
        return [(r0, c0 + i * side, r1, c0 + (i + 1) * side - 1) for i in range(w // side)]
    return [block]


def _ints(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


# ------------------------------------------------------------------ strides and paddings


def _slots(sheet: _Sheet) -> tuple[list[Slot], set[tuple[int, int]]]:
    """Every stride and padding pair of the sheet, and the cells they use."""
    found: list[Slot] = []
    used: set[tuple[int, int]] = set()
    strides, paddings = [], []  # (row, col, cells, direction)
    for (row, col), text in sheet.texts.items():
        kinds = [k for k in ("stride", "padding") if _is(text, k)]
        if len(kinds) != 1 or _sentence_pair(text):
            continue
        right = [(row, c) for c in range(col + 1, col + 40) if (row, c) in sheet.numbers]
        right = [cell for i, cell in enumerate(right) if cell[1] == col + 1 + i]  # contiguous from the label
        below = []
        r = row + 1
        while (r, col) in sheet.numbers:
            below.append((r, col))
            r += 1
        cells, direction = (right, "row") if right else (below, "column")
        if cells:
            (strides if kinds == ["stride"] else paddings).append((row, col, cells, direction))
    for srow, scol, scells, sdir in strides:
        match = None
        for prow, pcol, pcells, pdir in paddings:
            if sdir == pdir == "column" and prow == srow and len(pcells) == len(scells):
                match = [(s, p) for s, p in zip(scells, pcells, strict=False)]
                how = "a table whose headers name the stride and the padding"
            elif sdir == pdir == "row" and len(scells) > 1 and pcol == scol and len(pcells) == len(scells) and \
                    abs(prow - srow) <= 2:
                match = [(s, p) for s, p in zip(scells, pcells, strict=False)]
                how = "rows named stride and padding, one column per case"
            elif sdir == pdir == "row" and len(scells) == 1 and len(pcells) == 1 and (
                    prow == srow or (pcol == scol and 0 < prow - srow <= 2)):
                match = [(scells[0], pcells[0])]
                how = "beside labels of the stride and the padding"
            if match:
                break
        for s, p in match or []:
            found.append(Slot(_cell(sheet.name, s), _cell(sheet.name, p), sheet.name, s[0], s[1], how,
                              sheet.text_left(s[0], s[1], 40) if how.startswith("a table") else "",
                              srow if how.startswith("a table") else 0))
            used.update((s, p))
    for (row, col), text in sheet.texts.items():
        pair = _sentence_pair(text)
        if pair:
            found.append(Slot(pair[0], pair[1], sheet.name, row, col, "the numbers of a sentence", text))
    return found, used


def _cell(sheet: str, rc: tuple[int, int]) -> str:
    return Area(sheet, rc[0], rc[1], rc[0], rc[1]).ref(absolute=False)


# ------------------------------------------------------------------ the draft


class _Drafting:
    def __init__(self, blank: Book, solved: Book | None):
        self.blank, self.solved = blank, solved
        self.names = [s for s in blank.sheet_names() if blank.workbook[s].sheet_state == "visible"]
        self.order = {s: i for i, s in enumerate(self.names)}
        self.sheets = {s: _Sheet(blank, s) for s in self.names}
        self.refs: dict[RegionId, str | int] = {}
        self.comments: dict[object, str] = {}
        self.problems: list[str] = []
        self.rows_1d = True  # the 1D input is a row (else a column)

    def key(self, sheet: str, row: int, col: int) -> tuple:
        return self.order[sheet], row, col

    # ---------------------------------------------------------- inputs

    def blocks(self) -> tuple[list[Block], list[Slot]]:
        blocks, slots = [], []
        for name, sheet in self.sheets.items():
            found, used = _slots(sheet)
            slots += found
            cells = set(sheet.numbers) - used - _index_cells(sheet)
            for r0, c0, r1, c1 in _rectangles(cells):
                area = Area(name, r0, c0, r1, c1)
                values = np.array([[sheet.numbers[(r, c)] for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)])
                if r0 == r1:  # a row or one cell: named on its left, else above
                    label = sheet.text_left(r0, c0) or sheet.text_above(r0, c0)
                else:  # a column or a block: named above, else on its left
                    label = sheet.text_above(r0, c0) or sheet.text_left(r0, c0)
                blocks.append(Block(area, values, label))
        return blocks, slots

    def inputs(self) -> Example:
        blocks, slots = self.blocks()
        squares = [b for b in blocks if b.shape[0] == b.shape[1] and b.shape[0] >= 2]
        sides = Counter(b.shape[0] for b in squares)
        two_d = len(sides) >= 1 and any(b.shape[0] >= 3 for b in squares)
        x2 = w2 = b2 = None
        used: set[int] = set()
        if two_d:
            big = max(sides)
            small = min([s for s in sides if s < big] or [0]) or None
            if small is None:  # only tall or wide blocks of filter slices: their short side is the filter's
                stacks = Counter(min(b.shape) for b in blocks if b.shape[0] != b.shape[1] and min(b.shape) >= 2
                                 and max(b.shape) % min(b.shape) == 0 and min(b.shape) < big)
                small = stacks.most_common(1)[0][0] if stacks else None
            # tall or wide blocks of several filter slices, cut into them
            if small:
                extra = []
                for b in blocks:
                    if b.shape[0] != b.shape[1]:
                        parts = _split_squares((b.area.min_row, b.area.min_col, b.area.max_row, b.area.max_col), small)
                        if len(parts) > 1:
                            used.add(id(b))
                            for k, (r0, c0, r1, c1) in enumerate(parts):
                                sub = Block(Area(b.area.sheet, r0, c0, r1, c1),
                                            b.values[r0 - b.area.min_row:r1 - b.area.min_row + 1,
                                                     c0 - b.area.min_col:c1 - b.area.min_col + 1],
                                            f"{b.label} #{k + 1}")
                                sub.group = id(b)
                                extra.append(sub)
                squares += extra
            channels = sorted((b for b in squares if b.shape[0] == big),
                              key=lambda b: self.key(b.area.sheet, b.area.min_row, b.area.min_col))
            channels = self._by_label_number(channels, "channel")
            slices = [b for b in squares if small and b.shape[0] == small]
            c = len(channels)
            if not slices or len(slices) % c:
                raise LayoutError(f"{self.blank.name}: found {c} input channels of {big}x{big} and {len(slices)} "
                                  "filter slices: not one slice per channel per filter; write the layout by hand "
                                  "(README: the layout file)")
            k = len(slices) // c
            filters = self._filters(slices, k, c)
            for b in channels + slices:
                used.add(id(b))
            x2 = np.stack([b.values for b in channels], axis=-1)
            w2 = np.stack([np.stack([f.values for f in fl], axis=-1) for fl in filters], axis=-1)
            for ch, b in enumerate(channels, 1):
                self.refs[R("conv2d.input", ch)] = b.area.ref(absolute=False)
            for kk, fl in enumerate(filters, 1):
                for ch, b in enumerate(fl, 1):
                    self.refs[R("conv2d.filters", kk, ch)] = b.area.ref(absolute=False)
            self.comments["conv2d.input"] = f"{c} square blocks of {big}x{big}: the input volume's channels"
            self.comments["conv2d.filters"] = f"{k} filters of {c} blocks of {small}x{small}"
            b2 = self._biases_2d(blocks, filters, used)
            self.box2d = [b.area for b in channels + slices]
        rest = [b for b in blocks if id(b) not in used]
        x1 = self._one_d(rest, used)
        self.slots(slots)
        cases = self.cases1
        volumes = self.volumes
        values = self.values_case
        if x1 is None and x2 is None:
            raise LayoutError(f"{self.blank.name}: found neither a 1D input and filter nor an input volume and "
                              "filters; write the layout by hand (README: the layout file)")
        return Example(
            x1=x1[0] if x1 else np.zeros(3), w1=x1[1] if x1 else np.zeros(1), b1=x1[2] if x1 else 0.0,
            x2=x2 if x2 is not None else np.zeros((3, 3, 1)), w2=w2 if w2 is not None else np.zeros((1, 1, 1, 1)),
            b2=b2 if b2 is not None else np.zeros(1),
            cases1=tuple((s, p) for s, p, _ in cases) or ((1, 0),),
            volume_cases=tuple((s, p) for s, p, _ in volumes) or ((1, 0),),
            values_case=values[:2] if values else (1, 0), name=self.blank.name)

    def _by_label_number(self, blocks: list[Block], kind: str) -> list[Block]:
        """In the order the numbers of their headings give, when every heading has one."""
        numbers = []
        for b in blocks:
            label = b.label if _is(b.label, kind) else ""
            ints = _ints(label)
            numbers.append(ints[-1] if ints else None)
        if None not in numbers and len(set(numbers)) == len(numbers):
            return [b for _, b in sorted(zip(numbers, blocks, strict=False), key=lambda t: t[0])]
        return blocks

    def _filters(self, slices: list[Block], k: int, c: int) -> list[list[Block]]:
        """The slices grouped by filter, each in channel order: by the filter and channel numbers of
        their headings, else by the block they were cut from, else by their arrangement."""
        named = []
        for b in slices:
            text = _norm(b.label)
            fm = re.search(r"(?:filter|filtre|kernel|noyau|w)\s*(\d+)", text)
            cm = re.search(r"(?:channel|canal|kanal|couche|c)\s*(\d+)", text)
            named.append((int(fm.group(1)) if fm else None, int(cm.group(1)) if cm else None))
        if all(f is not None and ch is not None for f, ch in named) and len(set(named)) == len(named):
            by = dict(zip(named, slices, strict=False))
            if set(by) == {(f, ch) for f in range(1, k + 1) for ch in range(1, c + 1)}:
                return [[by[(f, ch)] for ch in range(1, c + 1)] for f in range(1, k + 1)]
        groups: dict[int, list[Block]] = {}
        for b in slices:
            if hasattr(b, "group"):
                groups.setdefault(b.group, []).append(b)
        if len(groups) == k and all(len(g) == c for g in groups.values()):
            ordered = sorted(groups.values(),
                             key=lambda g: self.key(g[0].area.sheet, g[0].area.min_row, g[0].area.min_col))
            return [sorted(g, key=lambda b: (b.area.min_row, b.area.min_col)) for g in ordered]
        ordered = sorted(slices, key=lambda b: self.key(b.area.sheet, b.area.min_row, b.area.min_col))
        rows: dict[tuple, list[Block]] = {}
        for b in ordered:
            rows.setdefault((b.area.sheet, b.area.min_row), []).append(b)
        if len(rows) == k and all(len(r) == c for r in rows.values()):  # one row of slices per filter
            return list(rows.values())
        cols: dict[tuple, list[Block]] = {}
        for b in ordered:
            cols.setdefault((b.area.sheet, b.area.min_col), []).append(b)
        if len(cols) == k and all(len(v) == c for v in cols.values()):  # one column per filter
            return [sorted(v, key=lambda b: b.area.min_row)
                    for v in sorted(cols.values(), key=lambda v: v[0].area.min_col)]
        if len(rows) == c and all(len(r) == k for r in rows.values()):  # one row per channel
            return [[r[f] for r in rows.values()] for f in range(k)]
        return [ordered[f * c:(f + 1) * c] for f in range(k)]

    def _biases_2d(self, blocks: list[Block], filters: list[list[Block]], used: set[int]) -> np.ndarray:
        k = len(filters)
        cands = [b for b in blocks if id(b) not in used and 1 in b.shape and b.area.size in (1, k)]
        labelled = [b for b in cands if _is(b.label, "bias")]
        boxes = [(f[0].area.sheet, min(x.area.min_row for x in f), max(x.area.max_row for x in f),
                  min(x.area.min_col for x in f), max(x.area.max_col for x in f)) for f in filters]
        sheets2d = {f[0].area.sheet for f in filters}

        def distance(b: Block, box) -> float:
            sheet, r0, r1, c0, c1 = box
            if b.area.sheet != sheet:
                return 1e9
            dr = max(0, r0 - b.area.min_row, b.area.min_row - r1)
            dc = max(0, c0 - b.area.min_col, b.area.min_col - c1)
            return dr + dc

        vectors = [b for b in labelled if b.area.size == k and k > 1 and b.area.sheet in sheets2d]
        if vectors:
            best = min(vectors, key=lambda b: min(distance(b, box) for box in boxes))
            used.add(id(best))
            self.refs[R("conv2d.biases", 1)] = best.area.ref(absolute=False)
            self.comments["conv2d.biases"] = f"one block of {k} numbers labelled '{best.label}'"
            return best.values.reshape(-1)
        singles = [b for b in cands if b.area.size == 1 and b.area.sheet in sheets2d]
        chosen = []
        for box in boxes:
            options = sorted((b for b in singles if id(b) not in used and distance(b, box) <= 8),
                             key=lambda b: (not _is(b.label, "bias"), distance(b, box)))
            if not options:
                raise LayoutError(f"{self.blank.name}: no bias found beside filter {len(chosen) + 1}; write the "
                                  "layout by hand (README: the layout file)")
            used.add(id(options[0]))
            chosen.append(options[0])
        named = self._by_label_number(chosen, "bias")
        for kk, b in enumerate(named, 1):
            self.refs[R("conv2d.biases", kk)] = b.area.ref(absolute=False)
        self.comments["conv2d.biases"] = "one number beside each filter" + (" (labelled bias)" if labelled else "")
        return np.array([b.values[0, 0] for b in named])

    def _one_d(self, rest: list[Block], used: set[int]):
        vectors = [b for b in rest if 1 in b.shape and b.area.size >= 2]
        scalars = [b for b in rest if b.area.size == 1]
        inputs = [b for b in vectors if _is(b.label, "input") and not _is(b.label, "channel")]
        x = max(inputs or vectors,
                key=lambda b: (b.area.size, -self.key(b.area.sheet, b.area.min_row, b.area.min_col)[0]),
                default=None)
        if x is None:
            return None
        filters = [b for b in vectors if b is not x and _is(b.label, "filter") and b.area.size < x.area.size]
        others = [b for b in vectors if b is not x and b.area.size < x.area.size and not _is(b.label, "bias")]
        if not filters and not others:
            return None
        w = filters[0] if filters else min(others, key=lambda b: self._distance(b, x))
        biases = [b for b in scalars if _is(b.label, "bias") and id(b) not in used]
        pool = biases or [b for b in scalars if id(b) not in used]
        if not pool:
            self.problems.append("conv1d.bias: not found (a single number labelled bias); add it by hand")
            return None
        b = min(pool, key=lambda s: self._distance(s, w))
        for blk in (x, w, b):
            used.add(id(blk))
        self.refs[R("conv1d.input")] = x.area.ref(absolute=False)
        self.refs[R("conv1d.filter")] = w.area.ref(absolute=False)
        self.refs[R("conv1d.bias")] = b.area.ref(absolute=False)
        self.comments[R("conv1d.input")] = f"{x.area.size} numbers" + (f" labelled '{x.label}'" if x.label else "")
        self.comments[R("conv1d.filter")] = f"{w.area.size} numbers" + (f" labelled '{w.label}'" if w.label else "")
        self.comments[R("conv1d.bias")] = "one number" + (f" labelled '{b.label}'" if b.label else "")
        self.box1d = [x.area, w.area, b.area]
        self.rows_1d = x.area.shape[0] == 1
        return x.values.reshape(-1), w.values.reshape(-1), float(b.values[0, 0])

    def _distance(self, a: Block | Area, b: Block | Area) -> float:
        a = a.area if isinstance(a, Block) else a
        b = b.area if isinstance(b, Block) else b
        if a.sheet != b.sheet:
            return 1000 + abs(self.order.get(a.sheet, 0) - self.order.get(b.sheet, 0))
        dr = max(0, b.min_row - a.max_row, a.min_row - b.max_row)
        dc = max(0, b.min_col - a.max_col, a.min_col - b.max_col)
        return dr + dc

    def slots(self, slots: list[Slot]) -> None:
        """The pairs as 1D cases, 2D volumes and the values case, by where they stand."""
        box1d, box2d = getattr(self, "box1d", []), getattr(self, "box2d", [])

        ones, twos = [], []
        for s in sorted(slots, key=lambda s: self.key(s.sheet, s.row, s.col)):
            (twos if self._two_d(s, box1d, box2d) else ones).append(s)
        self.cases1 = [(self._value(s.stride), self._value(s.padding), s) for s in ones]
        for i, (_, _, s) in enumerate(self.cases1, 1):
            self.refs[R("conv1d.cases.stride", i)] = s.stride
            self.refs[R("conv1d.cases.padding", i)] = s.padding
        values = [s for s in twos if _is(s.text, "values") and not _is(s.text, "volume")] or twos[-1:]
        self.values_case = None
        if values:
            v = values[-1]
            self.values_case = (self._value(v.stride), self._value(v.padding), v)
            self.refs[R("conv2d.values.stride")] = v.stride
            self.refs[R("conv2d.values.padding")] = v.padding
        self.volumes = [(self._value(s.stride), self._value(s.padding), s)
                        for s in twos if not values or s is not values[-1]]
        for i, (_, _, s) in enumerate(self.volumes, 1):
            self.refs[R("conv2d.volumes.stride", i)] = s.stride
            self.refs[R("conv2d.volumes.padding", i)] = s.padding
        if box1d and not self.cases1:
            self.problems.append("conv1d.cases: no stride and padding found for the 1D part (labels S =, P =, Stride, "
                                 "Padding...); add them by hand")

    def _two_d(self, s: Slot, box1d: list[Area], box2d: list[Area]) -> bool:
        """Whether a stride and padding pair belongs to the 2D part: said so, on a 2D sheet, or after the
        first input channel and not beside it on the 1D side."""
        if not box2d:
            return False
        if not box1d or _is(s.text, "volume") or _is(s.text, "values"):
            return True
        sheets1d, sheets2d = {a.sheet for a in box1d}, {a.sheet for a in box2d}
        if s.sheet in sheets2d - sheets1d:
            return True
        if s.sheet in sheets1d - sheets2d:
            return False
        first = min((a for a in box2d if a.sheet == s.sheet), key=lambda a: (a.min_row, a.min_col))
        left = min(a.min_col for a in box2d if a.sheet == s.sheet)
        right1d = max(a.max_col for a in box1d if a.sheet == s.sheet)
        if s.col < left and right1d < left:  # the 1D part stands left of the 2D part
            return False
        return s.row > first.min_row

    def _value(self, ref: str | int) -> int:
        if isinstance(ref, int):
            return ref
        m = re.match(r"^'((?:[^']|'')+)'!([A-Z]+)(\d+)$", ref)
        sheet, col, row = m.group(1).replace("''", "'"), m.group(2), int(m.group(3))
        from openpyxl.utils import column_index_from_string

        return int(self.sheets[sheet].numbers[(row, column_index_from_string(col))])


# ------------------------------------------------------------------ answers


def _answer_cells(d: _Drafting) -> tuple[dict[str, set[tuple[int, int]]], str]:
    """Where the answers go: filled in the solved copy and empty in the blank; else the empty cells of
    the colour most empty coloured cells share."""
    out: dict[str, set] = {}
    if d.solved is not None:
        for name in d.names:
            if name not in d.solved.sheet_names():
                continue
            blank = d.sheets[name]
            for (row, col), cell in stored_items(d.solved.workbook[name]):
                if row > MAX_ROWS or col > MAX_COLS or (row, col) in blank.numbers or (row, col) in blank.texts:
                    continue
                if not is_empty(d.solved.value(name, cell.coordinate)):
                    out.setdefault(name, set()).add((row, col))
        return out, "the cells of the solved copy that hold the answer computed from these inputs"
    counts = Counter(f for s in d.sheets.values() for f in s.fills.values())
    if not counts:
        return {}, ""
    fill = counts.most_common(1)[0][0]
    for name, sheet in d.sheets.items():
        out[name] = {rc for rc, f in sheet.fills.items() if f == fill}
    return out, "the empty cells coloured like the answer cells"


def _solved_values(d: _Drafting, area: Area) -> list:
    return [d.solved.value(area.sheet, c) for c in area.coords()] if d.solved is not None else []


def _close(got: list, want) -> bool:
    want = np.asarray(want, float).reshape(-1)
    nums = [parse_number(v)[0] for v in got]
    filled = [n for n in nums if n is not None]
    return len(filled) == want.size and nums[:want.size] == filled and np.allclose(filled, want, atol=0.01)


def draft_layout(blank: Book, solved: Book | None = None) -> Draft:
    """The layout of the handed-out workbook ``blank`` (see the module's docstring)."""
    d = _Drafting(blank, solved)
    if solved is not None:
        given = sum(len(s.numbers) for s in d.sheets.values())
        answered = sum(1 for name in solved.sheet_names() if solved.workbook[name].sheet_state == "visible"
                       for (_, _), cell in stored_items(solved.workbook[name])
                       if isinstance(solved.value(name, cell.coordinate), (int, float)))
        if given > answered:
            raise LayoutError(f"{blank.name} holds more numbers ({given}) than the solved workbook {solved.name} "
                              f"({answered}): the arguments look swapped; give the blank workbook first and the solved "
                              "one with --solution")
    ex = d.inputs()
    ans = solve(ex)
    if solved is None:
        return _finish(d, blank, solved, _from_labels(d, ex, ans))
    cells, how = _answer_cells(d)
    free = {name: set(c) for name, c in cells.items()}
    areas = {name: [Area(name, *_box) for _box in _rect_list(c)] for name, c in cells.items()}

    def take(region: RegionId, anchor: Area, candidates, check, what: str, required: bool = True,
             zone=None) -> Area | None:
        ok = [a for a in candidates if _free(free, a) and (d.solved is None or check(_solved_values(d, a)))]
        if zone is not None and (any(zone(a) for a in ok) or not required):  # its own row, column or block
            ok = [a for a in ok if zone(a)]
        if not ok:
            if required:
                d.problems.append(f"{region}: not found ({what}); add it by hand")
            return None
        best = min(ok, key=lambda a: (not _along(a, d.rows_1d), d._distance(a, anchor), a.min_row, a.min_col))
        for coord in best.coords():
            free[best.sheet].discard(_rc(coord))
        d.refs[region] = best.ref(absolute=False)
        d.comments[region] = f"{what}: {how}"
        return best

    def pieces() -> list[Area]:
        """Every straight run of answer cells and every part of one (a row may hold several answers),
        and every block of them (the output maps)."""
        out = []
        for name, cellset in cells.items():
            for axis in (0, 1):
                for run in _runs(cellset, axis):
                    for i in range(len(run)):
                        for j in range(i + (1 if axis == 1 else 1), len(run) + 1):
                            (r0, c0), (r1, c1) = run[i], run[j - 1]
                            if axis == 0 and j - i == 1:
                                continue  # single cells come from the rows
                            out.append(Area(name, r0, c0, r1, c1))
            out += [a for a in areas[name] if a.max_row > a.min_row and a.max_col > a.min_col]
            out += _grids(cellset, name)
        return list(dict.fromkeys(out))

    all_pieces = pieces()
    areas_flat = [a for rects in areas.values() for a in rects]
    k = ex.n_filters
    zones = _zones(d)
    singles = [a for a in all_pieces if a.size == 1]
    for what in ("output", "size", "same"):
        for i, ((_, _, slot), case) in enumerate(zip(d.cases1, ans.cases1, strict=False), 1):
            anchor = Area(slot.sheet, slot.row, slot.col, slot.row, slot.col)
            zone = zones[id(slot)]
            if what == "output":
                m = case.size.size
                outs = [a for a in all_pieces if 1 in a.shape and a.size >= m]
                if d.solved is None:  # the whole run of answer cells nearest the case
                    outs = [a for a in outs if a in areas_flat]
                out = take(R("conv1d.cases.output", i), anchor, outs,
                           lambda got, v=case.values: (_close(got[:len(v)], v)
                                                       and all(is_empty(g) for g in got[len(v):])),
                           f"output values ({m})", zone=zone)
                if out is not None and d.solved is not None:
                    _extend(d, out, R("conv1d.cases.output", i), free, max(c.size.size for c in ans.cases1))
            elif what == "size":
                take(R("conv1d.cases.size", i), anchor, singles, lambda got, n=case.size.size: _close(got, [n]),
                     "output size", required=False, zone=zone)
            else:
                take(R("conv1d.cases.same", i), anchor, singles,
                     lambda got, want=case.same_size: parse_yes_no(got[0])[0] is want, "same size as the input?",
                     required=False, zone=zone)
    if hasattr(d, "box2d"):
        first = d.box2d[0]
        singles = [a for a in all_pieces if a.size == 1]
        label = min(((name, rc) for name, sh in d.sheets.items() for rc, t in sh.texts.items() if _is(t, "maps")),
                    key=lambda t: d.key(t[0], *t[1]), default=None)
        anchor = Area(label[0], *label[1], *label[1]) if label else first
        take(R("conv2d.maps"), anchor, singles, lambda got: _close(got, [k]), "number of activation maps",
             required=False)
        for i, ((_, _, slot), vol) in enumerate(zip(d.volumes, ans.volumes, strict=False), 1):
            anchor = Area(slot.sheet, slot.row, slot.col, slot.row, slot.col)
            want = tuple(vol.shape)
            take(R("conv2d.volumes.answer", i), anchor, [a for a in all_pieces if a.size in (1, 3) and 1 in a.shape],
                 lambda got, want=want: (t := parse_numbers(got, 3)[0]) is not None and tuple(t) == want,
                 "output volume", required=False)
        h = ex.x2.shape[0]
        take(R("conv2d.preserve"), first, [a for a in all_pieces if a.size in (1, 3) and 1 in a.shape],
             lambda got: (t := parse_numbers(got, 3)[0]) is not None and all(float(v).is_integer() for v in t)
             and conv.preserves_size(h, int(t[0]), int(t[1]), int(t[2]), exact=True),
             "F, P, S that preserve the size", required=False)
        rows, cols = ans.values.shape[:2]
        anchor = Area(d.values_case[2].sheet, d.values_case[2].row, d.values_case[2].col,
                      d.values_case[2].row, d.values_case[2].col) if d.values_case else first
        grids = [a for a in all_pieces if a.shape == (rows, cols)]
        for kk in range(k):
            take(R("conv2d.values.output", kk + 1), anchor, grids,
                 lambda got, v=ans.values[:, :, kk]: _close(got, v), f"output map {kk + 1}")
    return _finish(d, blank, solved, None)


def _finish(d: _Drafting, blank: Book, solved: Book | None, _unused) -> Draft:
    header = [f"# Layout drafted by `xlcnn layout draft` from {blank.name}"
              + (f" and its solved copy {solved.name}" if solved else "") + ".",
              "# Confirm it with `xlcnn inspect WORKBOOK --layout THIS_FILE --png map.png` before grading."]
    text = layout_toml(d.refs, header, d.comments)
    try:
        parse_layout(text, "the draft")
    except XlcnnError as err:
        d.problems.append(f"the draft is incomplete: {err}")
    return Draft(text, d.problems)


# ------------------------------------------------------------------ answers from the blank alone

ANSWER_WORDS = {  # checked in this order: "Same size as the input?" names the same-size answer, not the size
    "same": r"same|meme|gleich|identi",
    "size": r"size|taille|grosse|dimension|lange",
    "output": r"output|sortie|ausgabe|\by\s*\[?\s*\d|\by\s*$|resultat|ergebnis|valeur|werte",
}


def _kind(*texts: str) -> str | None:
    for text in texts:
        norm = _norm(text or "")
        for kind, words in ANSWER_WORDS.items():
            if norm and re.search(words, norm):
                return kind
    return None


def _row_label(sheet: _Sheet, row: int, col: int) -> str:
    """What names a row of answers: the text left of it, else (an index beside) the nearest above."""
    for c in range(col - 1, 0, -1):
        if (row, c) in sheet.texts:
            return sheet.texts[(row, c)]
    for r in range(row - 1, max(0, row - 12), -1):
        for c in range(1, col):
            if (r, c) in sheet.texts:
                return sheet.texts[(r, c)]
            if (r, c) in sheet.fills:
                break
    return ""


def _col_header(sheet: _Sheet, row: int, col: int, limit: int = 12) -> str:
    for r in range(row - 1, max(0, row - limit), -1):
        if (r, col) in sheet.texts:
            return sheet.texts[(r, col)]
    return ""


def _from_labels(d: _Drafting, ex: Example, ans) -> None:
    """Without the solved copy: the empty cells of the answer colour (else the empty cells under the
    answer headers of a table), each named by its row's label or its column's header."""
    fills = Counter(f for sh in d.sheets.values() for f in sh.fills.values())
    colour = fills.most_common(1)[0][0] if fills else None
    free: dict[str, set] = {name: {rc for rc, f in sh.fills.items() if f == colour} for name, sh in d.sheets.items()}
    how = "the empty cells coloured like the answer cells" if colour else "the empty cells its labels name"
    if colour is None:
        _plain_cells(d, free, ans.values.shape[:2], max(c.size.size for c in ans.cases1))
    zones = _zones(d)

    def mark(region: RegionId, area: Area, what: str, note: str = "") -> None:
        d.refs[region] = area.ref(absolute=False)
        d.comments[region] = f"{what}: {how}" + (f"; {note}" if note else "")
        for coord in area.coords():
            free[area.sheet].discard(_rc(coord))

    for i, ((_, _, slot), case) in enumerate(zip(d.cases1, ans.cases1, strict=False), 1):
        sheet = d.sheets[slot.sheet]
        zone = zones[id(slot)]
        mine = sorted(rc for rc in free[slot.sheet] if zone(Area(slot.sheet, *rc, *rc)))
        kinds: dict[str, list] = {}
        named: dict[tuple[int, int], str] = {}
        for rc in mine:
            if slot.how.startswith("a table"):  # named by the table's header (a header may span columns)
                kind = _kind(sheet.texts.get((slot.header_row, rc[1]), ""))
                if kind is None and (rc[0], rc[1] - 1) in named:
                    kind = named[(rc[0], rc[1] - 1)] if (slot.header_row, rc[1]) not in sheet.texts else None
            else:
                kind = _kind(_row_label(sheet, *rc), _col_header(sheet, *rc))
                if kind is None and (rc[0] - 1, rc[1]) in named and slot.how.startswith("rows named"):
                    kind = named[(rc[0] - 1, rc[1])]
            if kind:
                named[rc] = kind
            kinds.setdefault(kind or "unnamed", []).append(rc)
        outs = kinds.get("output") or kinds.get("unnamed") or []
        runs = [r for axis in (0, 1) for r in _runs(set(outs), axis) if len(r) >= case.size.size]
        if runs:
            run = max(runs, key=len)
            mark(R("conv1d.cases.output", i), Area(slot.sheet, *run[0], *run[-1]), f"output values ({case.size.size})")
        else:
            d.problems.append(f"{R('conv1d.cases.output', i)}: not found (output values ({case.size.size})); "
                              "add it by hand")
        for kind, family, what in (("size", "conv1d.cases.size", "output size"),
                                   ("same", "conv1d.cases.same", "same size as the input?")):
            left = [rc for rc in kinds.get(kind, []) if rc in free[slot.sheet]]
            if left:
                mark(R(family, i), Area(slot.sheet, *left[0], *left[0]), what)
    if not hasattr(d, "box2d"):
        return
    k = ex.n_filters
    labels = [(name, rc, t) for name, sh in d.sheets.items() for rc, t in sh.texts.items()]

    def runs_near(sheet: str, row: int, col: int, sizes: tuple[int, ...], same_row_only=False) -> list[Area]:
        out = []
        for axis in (1, 0):
            for run in _runs(free[sheet], axis):
                if len(run) in sizes:
                    out.append(Area(sheet, *run[0], *run[-1]))
        here = Area(sheet, row, col, row, col)
        same_row = [a for a in out if a.min_row == row and a.min_col > col]
        if same_row or same_row_only:
            return sorted(same_row, key=lambda a: a.min_col)
        return sorted(out, key=lambda a: (d._distance(a, here), a.min_row, a.min_col))

    maps = [(n, rc) for n, rc, t in labels if _is(t, "maps") and not _is(t, "values")]
    if maps:
        name, (r, c) = min(maps, key=lambda t: d.key(t[0], *t[1]))
        found = runs_near(name, r, c, (1,))
        if found:
            mark(R("conv2d.maps"), found[0], "number of activation maps",
                 "the empty cell nearest its question: check it in the picture (inspect --png)")
    for i, (_, _, slot) in enumerate(d.volumes, 1):
        found = runs_near(slot.sheet, slot.row, slot.col, (1, 3), same_row_only=True)
        if found:
            mark(R("conv2d.volumes.answer", i), found[0], "output volume")
        else:
            d.problems.append(f"{R('conv2d.volumes.answer', i)}: not found (output volume); add it by hand")
    keep = [(n, rc) for n, rc, t in labels if re.search(r"preserv|erhalt|bewahr|beibehalt|conserv", _norm(t))]
    if keep:
        name, (r, c) = min(keep, key=lambda t: d.key(t[0], *t[1]))
        found = runs_near(name, r, c, (3, 1))
        if found:
            mark(R("conv2d.preserve"), found[0], "F, P, S that preserve the size",
                 "the empty cells nearest its question: check them in the picture (inspect --png)")
    rows, cols = ans.values.shape[:2]
    grids = [g for name in d.sheets for g in _grids(free[name], name) if g.shape == (rows, cols)]
    named = []
    for g in grids:
        header = _col_header(d.sheets[g.sheet], g.min_row, g.min_col, 3)
        ints = _ints(header) if re.search(r"map|carte|karte|output|sortie|ausgabe", _norm(header)) else []
        named.append((ints[-1] if ints else None, g))
    if all(n is not None for n, _ in named) and len({n for n, _ in named}) == len(named):
        grids = [g for _, g in sorted(named, key=lambda t: t[0])]
    else:
        grids = sorted(grids, key=lambda g: d.key(g.sheet, g.min_row, g.min_col))
    for kk in range(k):
        if kk < len(grids):
            mark(R("conv2d.values.output", kk + 1), grids[kk], f"output map {kk + 1}")
        else:
            d.problems.append(f"{R('conv2d.values.output', kk + 1)}: not found (output map {kk + 1}); add it by hand")


def _plain_cells(d: _Drafting, free: dict[str, set], grid: tuple[int, int], longest: int) -> None:
    """No answer colour: the empty cells of the case rows and tables under answer headers, right of a
    case's answer labels (as many as the longest output), the grids under the output maps' headers."""
    zones = _zones(d)
    for _, _, slot in d.cases1:
        if slot.how.startswith(("a table", "rows named")):
            continue
        sheet = d.sheets[slot.sheet]
        for (r, c), t in sheet.texts.items():
            kind = _kind(t)
            if kind is None or not zones[id(slot)](Area(slot.sheet, r, c, r, c)):
                continue
            for cc in range(c + 1, c + 1 + (longest if kind == "output" else 1)):
                if (r, cc) in sheet.numbers or (r, cc) in sheet.texts:
                    break
                free[slot.sheet].add((r, cc))
    for _, _, slot in d.cases1 + d.volumes:
        sheet = d.sheets[slot.sheet]
        if slot.how.startswith("a table") or slot.how.startswith("the numbers"):
            for c in range(slot.col + 1, slot.col + 16):
                if (slot.row, c) not in sheet.numbers and (slot.row, c) not in sheet.texts and (
                        _kind(_col_header(sheet, slot.row, c)) or re.search(r"width|height|depth|largeur|hauteur|"
                                                                            r"profondeur|breite|hohe|tiefe",
                                                                            _norm(_col_header(sheet, slot.row, c)))):
                    free[slot.sheet].add((slot.row, c))
    for name, sheet in d.sheets.items():
        for (r, c), t in sheet.texts.items():
            if re.search(r"^(map|carte|karte)\s*\d", _norm(t)):
                start = r + 1 + (1 if (r + 1, c) in sheet.numbers else 0)
                block = {(rr, cc) for rr in range(start, start + grid[0]) for cc in range(c, c + grid[1])}
                if not any(rc in sheet.numbers or rc in sheet.texts for rc in block):
                    free[name].update(block)



def _grids(cells: set[tuple[int, int]], sheet: str) -> list[Area]:
    """Full rectangles of at least 2x2 cells inside ``cells`` whose every row is a run (output maps
    beside other answers)."""
    out = []
    rows = {}
    for r, c in cells:
        rows.setdefault(r, set()).add(c)
    for r0 in sorted(rows):
        for run in _runs({(r0, c) for c in rows[r0]}, 1):
            c0, c1 = run[0][1], run[-1][1]
            r1 = r0
            while all((r1 + 1, c) in cells for c in range(c0, c1 + 1)):
                r1 += 1
            if r1 > r0 and c1 > c0:
                out.append(Area(sheet, r0, c0, r1, c1))
    return out


def _along(area: Area, rows: bool) -> bool:
    """Whether a run lies the way the 1D input does (a row, or a column): its outputs are written so."""
    return area.size == 1 or (area.shape[0] == 1) == rows


def _zones(d: _Drafting) -> dict[int, object]:
    """Where each 1D case's answers stand: its table row, its column, or the rows down to the next case."""
    out = {}
    slots = [s for _, _, s in d.cases1]
    for n, s in enumerate(slots):
        if s.how.startswith("a table"):
            out[id(s)] = lambda a, s=s: a.sheet == s.sheet and a.min_row == a.max_row == s.row
        elif s.how.startswith("rows named"):
            out[id(s)] = lambda a, s=s: a.sheet == s.sheet and a.min_col == a.max_col == s.col and a.min_row > s.row
        else:  # down to the next case, the 2D part or a 2D question, whichever comes first
            later = [t.row for t in slots[n + 1:] + [v for _, _, v in d.volumes]
                     if t.sheet == s.sheet and t.row > s.row]
            later += [a.min_row for a in getattr(d, "box2d", []) if a.sheet == s.sheet and a.min_row > s.row]
            nxt = min(later, default=MAX_ROWS + 1)
            out[id(s)] = lambda a, s=s, nxt=nxt: a.sheet == s.sheet and s.row <= a.min_row < nxt
    return out


def _extend(d: _Drafting, area: Area, region: RegionId, free, longest: int = 0) -> Area:
    """An output row as long as the teacher made it (a row of 7 for every case): through the cells of
    the same answer colour, else under the same header or index row (beside the same index column)."""
    sheet = d.sheets[area.sheet]
    fill = sheet.fills.get((area.min_row, area.min_col))
    r, c = area.max_row, area.max_col
    horizontal = area.shape[0] == 1 and area.size > 1 or area.size == 1

    def named(cell: tuple[int, int]) -> bool:
        """A header or index cell above (a row) or beside (a column) the output's next cell."""
        if horizontal:
            for above in range(cell[0] - 1, max(0, cell[0] - 3), -1):
                start = (above, area.min_col)
                if start in sheet.texts or start in sheet.numbers:
                    return (above, cell[1]) in sheet.texts or (above, cell[1]) in sheet.numbers
            return False
        for left in range(cell[1] - 1, 0, -1):
            start = (area.min_row, left)
            if start in sheet.texts or start in sheet.numbers:
                return (cell[0], left) in sheet.texts or (cell[0], left) in sheet.numbers
        return False

    while True:
        nxt = (r, c + 1) if horizontal else (r + 1, c)
        if nxt in sheet.numbers or nxt in sheet.texts:
            break
        if fill is not None and sheet.fills.get(nxt) != fill:
            break
        length = (c - area.min_col + 1) if horizontal else (r - area.min_row + 1)
        if fill is None and not named(nxt) and length >= longest:
            break  # no colour, no header: as long as the longest output the cases can have
        if d.solved is not None and not is_empty(d.solved.value(area.sheet, Area(area.sheet, *nxt, *nxt).coords()[0])):
            break
        r, c = nxt
    grown = Area(area.sheet, area.min_row, area.min_col, r, c)
    if grown != area:
        d.refs[region] = grown.ref(absolute=False)
        for coord in grown.coords():
            free[area.sheet].discard(_rc(coord))
    return grown


def _rect_list(cells: set[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    return _rectangles(cells)


def _free(free, area: Area) -> bool:
    cells = free.get(area.sheet, set())
    return all(_rc(c) in cells for c in area.coords())


def _rc(coord: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_to_tuple

    return coordinate_to_tuple(coord)
