"""Read a workbook through its layout: the inputs (as an :class:`Example`) and the raw answers.

Inputs are always read from the workbook itself (never assumed), so a teacher's
own numbers and per-group variants just work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.exercise import Example, solve
from ..errors import LayoutError, WorkbookError, XlcnnError
from ..files.opening import MAX_SHEET_BYTES, Book
from ..files.typed import parse_number
from ..handout.signing import META_SHEET
from ..layout.model import Area, Layout, default_layout, parse_layout, resolve
from ..layout.regions import RegionId, group_name

R = RegionId


@dataclass
class Reading:
    """A workbook read through a layout."""

    book: Book
    layout: Layout
    example: Example
    areas: dict[RegionId, Area]  # region -> its cells
    literals: dict[RegionId, int]  # region -> the number written in the layout (strides, paddings)
    meta: dict[str, str] = field(default_factory=dict)  # the hidden xlcnn sheet, when present


def read_meta(book: Book) -> dict[str, str]:
    if META_SHEET not in book.sheet_names():
        return {}
    ws = book.workbook[META_SHEET]
    meta = {}
    for row in ws.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            meta[row[0]] = "" if row[1] is None else str(row[1])
    return meta


def embedded_layout(book: Book) -> Layout | None:
    """The layout a workbook written by xlcnn carries, for a *teacher's* file (``grade --template``);
    bounded: at most 64 KB of TOML, malformed or too deep is an error naming the file."""
    text = read_meta(book).get("layout")
    if not text:
        return None
    if len(text) > 65_536:
        raise LayoutError(f"its embedded layout is {len(text):,} characters long (limit 65,536)", path=book.path)
    try:
        return parse_layout(text, f"{book.name} (its embedded layout)")
    except RecursionError:
        raise LayoutError("its embedded layout is nested too deeply", path=book.path) from None


def choose_layout(book: Book, layout: Layout | None) -> Layout:
    """The layout given (the teacher's), else xlcnn's default: never one the student's file carries.

    A workbook written by xlcnn keeps a copy of its layout in its hidden sheet; a student's copy
    whose embedded layout differs from the default is flagged (in ``book.notes``) and ignored.
    """
    chosen = layout if layout is not None else default_layout()
    text = read_meta(book).get("layout")
    if layout is None and text and text.strip() != (chosen.text or "").strip():
        book.notes.append("the layout embedded in the workbook differs from the template's: it was ignored "
                          "(the file was edited outside Excel, or built from another template)")
    return chosen


def read_workbook(book: Book, layout: Layout | None = None) -> Reading:
    layout = choose_layout(book, layout)
    areas: dict[RegionId, Area] = {}
    literals: dict[RegionId, int] = {}
    for region, _role, ref in layout.regions():
        if isinstance(ref, int):
            literals[region] = ref
        else:
            areas[region] = resolve(book.workbook, ref, region, book.name)
            if areas[region].sheet in book.skipped:
                size = book.skipped[areas[region].sheet]
                raise WorkbookError(f"sheet {areas[region].sheet!r} holds {region} but is too large to "
                                    f"read ({size / 2**20:.0f} MB, more than the {MAX_SHEET_BYTES // 2**20} MB a sheet "
                                    "may have)", path=book.path)
    reader = _InputReader(book, areas, literals)
    example = reader.example(layout)
    check_fit(layout, areas, example)
    return Reading(book, layout, example, areas, literals, read_meta(book))


def check_fit(layout: Layout, areas: dict[str, Area], example: Example) -> None:
    """Each answer region can hold its answer: a layout mistake is an error naming the region, its
    range and what it must hold — never an answer cut to fit, or a question silently dropped.

    A 1D output row may be longer than the output (the cells after the last value must stay
    empty: the shipped template works so); a 2D output grid must have the map's shape."""
    ans = solve(example)

    def wrong(region: RegionId, must: str) -> LayoutError:
        area = areas[region]
        return LayoutError(f"{layout.source}: {region} = {area} ({area.shape[0]}x{area.shape[1]} cells) "
                           f"cannot hold its answer: {must}")

    rows, cols = ans.values.shape[:2]
    for region, role, _ref in layout.regions():  # each answer region by its family's shape rule
        area = areas.get(region)
        if area is None or role != "answer":
            continue
        shape = region.spec.shape
        if shape == "vector":  # a case's output row: long enough for the output
            case = ans.cases1[region.first - 1]
            if 1 not in area.shape:
                raise wrong(region, "one row or one column of cells")
            if area.size < case.size.size:
                raise wrong(region, f"{case.size.size} output values (S={case.stride}, P={case.padding})")
        elif shape == "cell" and area.size != 1:
            raise wrong(region, "one cell")
        elif shape == "cell_or_three" and area.size not in (1, 3):
            raise wrong(region, "one cell (such as 3x3x2) or three cells")
        elif shape == "grid" and area.shape != (rows, cols):
            raise wrong(region, f"the {rows}x{cols} output map {region.first}")


class _InputReader:
    def __init__(self, book: Book, areas: dict[RegionId, Area], literals: dict[RegionId, int]):
        self.book, self.areas, self.literals = book, areas, literals

    def numbers(self, region: RegionId) -> np.ndarray:
        """The numbers of an input region, shaped as the region; every cell must hold one."""
        area = self.areas[region]
        grid = area.grid()
        out = np.zeros(area.shape)
        for r, row in enumerate(grid):
            for c, coord in enumerate(row):
                out[r, c] = self.number(area.sheet, coord, region)
        return out

    def number(self, sheet: str, coord: str, region: RegionId) -> float:
        value = self.book.value(sheet, coord)
        where = f"{self.book.name}: sheet '{sheet}', cell {coord} ({region})"
        if value is None and self.book.formula(sheet, coord):
            raise WorkbookError(f"{where}: formula {self.book.formula(sheet, coord)} has no calculated value")
        n, problem = parse_number(value)
        if problem:
            raise WorkbookError(f"{where}: {problem}")
        if n is None:
            raise WorkbookError(f"{where}: expected a number, the cell is empty")
        return n

    def integer(self, region: RegionId) -> int:
        if region in self.literals:
            return self.literals[region]
        area = self.areas[region]
        if area.size != 1:
            raise WorkbookError(f"{region}: expected one cell, got {area}", path=self.book.path)
        coord = area.coords()[0]
        n = self.number(area.sheet, coord, region)
        if not n.is_integer() or n < 0:
            raise WorkbookError(
                f"sheet '{area.sheet}', cell {coord} ({region}): expected a whole number >= 0, got {n:g}"
            , path=self.book.path)
        return int(n)

    def vector(self, region: RegionId) -> np.ndarray:
        if 1 not in self.areas[region].shape:
            raise WorkbookError(f"{region}: expected one row or one column, got {self.areas[region]}",
                                path=self.book.path)
        return self.numbers(region).reshape(-1)

    def example(self, layout: Layout) -> Example:
        """The inputs of the parts the layout holds; a part it leaves out gets a small stand-in
        that no question, check or feedback ever reads."""
        name = self.book.name
        if "a" in layout.parts:
            x1, w1 = self.vector(R.of("conv1d.input")), self.vector(R.of("conv1d.filter"))
            bias = R.of("conv1d.bias")
            b1 = self.vector(bias)
            if b1.size != 1:
                raise WorkbookError(f"{name}: {bias}: expected one cell, got {self.areas[bias]}")
            cases = tuple(
                (self.integer(R.of("conv1d.cases.stride", i)), self.integer(R.of("conv1d.cases.padding", i)))
                for i in range(1, len(layout.cases) + 1)
            )
        else:
            x1, w1, b1, cases = np.zeros(3), np.zeros(1), np.zeros(1), ((1, 0),)
        if "b" in layout.parts:
            n_channels = len(layout.input2d)
            channels = [self.numbers(R.of("conv2d.input", c)) for c in range(1, n_channels + 1)]
            self._same_shapes(channels, group_name("conv2d.input"), "input channel")
            filters = []
            for k in range(1, len(layout.filters2d) + 1):
                slices = [self.numbers(R.of("conv2d.filters", k, c)) for c in range(1, n_channels + 1)]
                self._same_shapes(slices, group_name("conv2d.filters", k), "filter channel")
                filters.append(np.stack(slices, axis=-1))
            self._same_shapes(filters, group_name("conv2d.filters"), "filter")
            if len(layout.biases2d) == 1 and len(layout.filters2d) > 1:
                b2 = self.vector(R.of("conv2d.biases", 1))
            else:
                b2 = np.array([self.vector(R.of("conv2d.biases", k))[0] for k in range(1, len(layout.biases2d) + 1)])
            volumes = tuple(
                (self.integer(R.of("conv2d.volumes.stride", i)), self.integer(R.of("conv2d.volumes.padding", i)))
                for i in range(1, len(layout.volumes) + 1)
            )
            values_case = (self.integer(R.of("conv2d.values.stride")), self.integer(R.of("conv2d.values.padding")))
            x2, w2 = np.stack(channels, axis=-1), np.stack(filters, axis=-1)
        else:
            x2, w2, b2, volumes, values_case = np.zeros((3, 3, 1)), np.zeros((1, 1, 1, 1)), np.zeros(1), (), (1, 0)
        try:
            return Example(
                x1=x1, w1=w1, b1=float(b1[0]), x2=x2, w2=w2, b2=b2,
                cases1=cases, volume_cases=volumes or ((1, 0),), values_case=values_case, name=name,
            )
        except XlcnnError as err:
            raise WorkbookError(f"the inputs of {err}") from err

    def _same_shapes(self, arrays: list[np.ndarray], region: str, what: str) -> None:
        shapes = {a.shape for a in arrays}
        if len(shapes) > 1:
            raise WorkbookError(
                f"{self.book.name}: {region}: every {what} must have the same shape, got "
                + ", ".join("x".join(map(str, a.shape)) for a in arrays)
            )
