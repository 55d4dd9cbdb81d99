"""Where each input and answer of Exercise 1 lives in a workbook: the layout file.

A layout is a small TOML file (format in the README). Every region is given as a
defined name of the workbook (``"Input1D"``) or as a sheet and range
(``"Ex1a!C5:I5"``, ``"'My sheet'!B2"``); strides and paddings may also be plain
numbers. The shipped workbook carries its own layout (defined names), so it still
reads correctly after rows are inserted or blocks moved.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping

from openpyxl.utils import get_column_letter, range_boundaries

from .. import datafiles
from ..errors import LayoutError, WorkbookError
from .regions import FAMILIES, ORDER, RegionId, group_name

DEFAULT_LAYOUT = "layout.toml"
MAX_REGION_CELLS = 10_000  # checked before a region is read: a defined name may point at a whole sheet

Ref = str | int  # a defined name, "Sheet!A1:B2", or a literal number (strides, paddings)


@dataclass(frozen=True)
class Area:
    """A rectangular block of cells on one sheet."""

    sheet: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def shape(self) -> tuple[int, int]:
        return (self.max_row - self.min_row + 1, self.max_col - self.min_col + 1)

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    def coords(self) -> list[str]:
        """Cell coordinates row by row ("C5", "D5", ...)."""
        return [
            f"{get_column_letter(c)}{r}"
            for r in range(self.min_row, self.max_row + 1)
            for c in range(self.min_col, self.max_col + 1)
        ]

    def grid(self) -> list[list[str]]:
        return [
            [f"{get_column_letter(c)}{r}" for c in range(self.min_col, self.max_col + 1)]
            for r in range(self.min_row, self.max_row + 1)
        ]

    def range_text(self, absolute: bool = False) -> str:
        d = "$" if absolute else ""
        first = f"{d}{get_column_letter(self.min_col)}{d}{self.min_row}"
        last = f"{d}{get_column_letter(self.max_col)}{d}{self.max_row}"
        return first if first == last else f"{first}:{last}"

    def ref(self, absolute: bool = True) -> str:
        """A formula reference: 'Sheet'!$C$5:$I$5."""
        sheet = self.sheet.replace("'", "''")
        return f"'{sheet}'!{self.range_text(absolute)}"

    def sub(self, r0: int, c0: int, r1: int, c1: int) -> "Area":
        """The block of rows r0..r1 and columns c0..c1 (0-based, inclusive) of this area."""
        return Area(self.sheet, self.min_row + r0, self.min_col + c0, self.min_row + r1, self.min_col + c1)

    def __str__(self) -> str:
        return f"sheet '{self.sheet}', {self.range_text()}"


@dataclass(frozen=True)
class CaseLayout:
    stride: Ref
    padding: Ref
    output: str
    size: str | None = None
    same: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class VolumeLayout:
    stride: Ref
    padding: Ref
    answer: str  # one cell ("3x3x2") or three cells


def _order_key(region: RegionId) -> tuple:
    for g, group in enumerate(ORDER):
        if region.family in group:
            return g, region.index, group.index(region.family)
    raise ValueError(region)


@dataclass(frozen=True)
class Layout:
    """Every region of Exercise 1 the layout names: region id -> a defined name, a sheet range or (for
    a stride or padding) a number, in the order regions are read (inputs first). A layout may hold
    only part a) (``[conv1d]``) or only part b) (``[conv2d]``). The properties are typed views for the
    code that reads an exercise."""

    entries: tuple[tuple[RegionId, Ref], ...]
    source: str = "layout"
    text: str = field(default="", repr=False)

    @classmethod
    def of(cls, refs: Mapping[RegionId, Ref], source: str = "layout", text: str = "") -> "Layout":
        return cls(tuple(sorted(((r, ref) for r, ref in refs.items() if ref is not None),
                                key=lambda e: _order_key(e[0]))), source, text)

    @functools.cached_property
    def refs(self) -> dict[RegionId, Ref]:
        return dict(self.entries)

    @functools.cached_property
    def _counts(self) -> dict[str, int]:
        firsts: dict[str, set] = {}
        for region, _ in self.entries:
            firsts.setdefault(region.family, set()).add(region.first)
        return {family: len(f) for family, f in firsts.items()}

    def regions(self) -> Iterator[tuple[RegionId, str, Ref]]:
        """(region id, role, reference) for every region, inputs first."""
        for region, ref in self.entries:
            yield region, region.role, ref

    def ref(self, family: str, *index: int) -> Ref | None:
        return self.refs.get(RegionId.of(family, *index))

    def count(self, family: str) -> int:
        """How many of a family the layout has (cases, volumes, channels, filters)."""
        return self._counts.get(family, 0)

    def with_refs(self, refs: Mapping[RegionId, Ref]) -> "Layout":
        """The same layout with some regions pointing elsewhere."""
        return replace(self, entries=tuple((r, refs.get(r, ref)) for r, ref in self.entries))

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of the exercise the layout holds: ("a", "b"), ("a",) or ("b",)."""
        return tuple(p for p, present in (("a", self.input1d is not None), ("b", bool(self.input2d))) if present)

    # typed views, for the code that reads an exercise

    input1d = property(lambda self: self.ref("conv1d.input"))
    filter1d = property(lambda self: self.ref("conv1d.filter"))
    bias1d = property(lambda self: self.ref("conv1d.bias"))
    values_stride = property(lambda self: self.ref("conv2d.values.stride"))
    values_padding = property(lambda self: self.ref("conv2d.values.padding"))
    maps = property(lambda self: self.ref("conv2d.maps"))
    preserve = property(lambda self: self.ref("conv2d.preserve"))
    input2d = property(lambda self: self.listed("conv2d.input"))  # one block per channel
    biases2d = property(lambda self: self.listed("conv2d.biases"))  # one cell per filter, or one block of K cells
    values = property(lambda self: self.listed("conv2d.values.output"))  # one output grid per filter

    def listed(self, family: str) -> tuple[Ref, ...]:
        """The references of a family with one index, in order."""
        return tuple(self.ref(family, i) for i in range(1, self.count(family) + 1))

    @property
    def cases(self) -> tuple[CaseLayout, ...]:
        return tuple(CaseLayout(*(self.ref(f"conv1d.cases.{k}", i) for k in ("stride", "padding", "output", "size",
                                                                             "same", "note")))
                     for i in range(1, self.count("conv1d.cases.output") + 1))

    @property
    def filters2d(self) -> tuple[tuple[str, ...], ...]:
        """Per filter, one block per channel."""
        return tuple(tuple(self.ref("conv2d.filters", k, c) for c in range(1, len(self.input2d) + 1))
                     for k in range(1, self.count("conv2d.filters") + 1))

    @property
    def volumes(self) -> tuple[VolumeLayout, ...]:
        return tuple(VolumeLayout(*(self.ref(f"conv2d.volumes.{k}", i) for k in ("stride", "padding", "answer")))
                     for i in range(1, self.count("conv2d.volumes.answer") + 1))

    # ------------------------------------------------------------ parsing

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "layout", text: str = "") -> "Layout":
        _check_keys(data, source)

        def table(name: str) -> Mapping[str, Any]:
            value = data.get(name)
            if not isinstance(value, Mapping):
                raise LayoutError(f"{source}: missing table [{name}]")
            return value

        def ref(tbl: Mapping, where: str, key: str, number_ok: bool = False, optional: bool = False):
            if key not in tbl:
                if optional:
                    return None
                raise LayoutError(f"{source}: missing key {where}.{key}")
            value = tbl[key]
            if number_ok and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            if not isinstance(value, str) or not value.strip():
                want = "a defined name, a 'Sheet!A1:B2' range" + (" or a non-negative integer" if number_ok else "")
                raise LayoutError(f"{source}: {where}.{key} must be {want}, got {value!r}")
            return value.strip()

        def refs(tbl: Mapping, where: str, key: str, label: str = "") -> tuple[str, ...]:
            label = label or f"{where}.{key}"
            value = tbl.get(key)
            if isinstance(value, str):
                return (value.strip(),)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                raise LayoutError(f"{source}: {label} must be a list of defined names or ranges, got {value!r}")
            empty = next((i for i, v in enumerate(value, 1) if not v.strip()), None)
            if empty is not None:
                raise LayoutError(f"{source}: {label}: entry {empty} is empty: give a defined name or a "
                                  "'Sheet!A1:B2' range")
            return tuple(v.strip() for v in value)

        if "conv1d" not in data and "conv2d" not in data:
            raise LayoutError(f"{source}: missing table [conv1d] or [conv2d] (a layout needs at least one part)")
        one, two = {}, {}
        if "conv1d" in data:
            c1 = table("conv1d")
            cases_data = c1.get("cases")
            if not isinstance(cases_data, list) or not cases_data:
                raise LayoutError(f"{source}: conv1d.cases must be a list of [[conv1d.cases]] tables")
            cases = []
            for i, c in enumerate(cases_data, 1):
                where = group_name("conv1d.cases.output", i)
                cases.append(
                    CaseLayout(
                        ref(c, where, "stride", True), ref(c, where, "padding", True), ref(c, where, "output"),
                        ref(c, where, "size", optional=True), ref(c, where, "same", optional=True),
                        ref(c, where, "note", optional=True),
                    )
                )
            one = dict(input1d=ref(c1, "conv1d", "input"), filter1d=ref(c1, "conv1d", "filter"),
                       bias1d=ref(c1, "conv1d", "bias"), cases=tuple(cases))
        if "conv2d" in data:
            c2 = table("conv2d")
            filters = c2.get("filters")
            if not isinstance(filters, list) or not filters:
                raise LayoutError(f"{source}: conv2d.filters must be a list (one per filter) "
                                  "of lists (one per channel)")
            filters2d = tuple(refs({"f": f}, "conv2d.filters", "f", group_name("conv2d.filters", k))
                              for k, f in enumerate(filters, 1))
            volumes = []
            for i, v in enumerate(c2.get("volumes", []), 1):
                where = group_name("conv2d.volumes.answer", i)
                volumes.append(VolumeLayout(ref(v, where, "stride", True), ref(v, where, "padding", True),
                                            ref(v, where, "answer")))
            values = c2.get("values")
            if not isinstance(values, Mapping):
                raise LayoutError(f"{source}: missing table [conv2d.values]")
            two = dict(input2d=refs(c2, "conv2d", "input"), filters2d=filters2d, biases2d=refs(c2, "conv2d", "biases"),
                       values_stride=ref(values, "conv2d.values", "stride", True),
                       values_padding=ref(values, "conv2d.values", "padding", True),
                       values=refs(values, "conv2d.values", "output"), maps=ref(c2, "conv2d", "maps", optional=True),
                       volumes=tuple(volumes), preserve=ref(c2, "conv2d", "preserve", optional=True))
        refs: dict[RegionId, Ref] = {}
        if one:
            refs[RegionId.of("conv1d.input")] = one["input1d"]
            refs[RegionId.of("conv1d.filter")] = one["filter1d"]
            refs[RegionId.of("conv1d.bias")] = one["bias1d"]
            for i, case in enumerate(one["cases"], 1):
                for key in ("stride", "padding", "output", "size", "same", "note"):
                    refs[RegionId.of(f"conv1d.cases.{key}", i)] = getattr(case, key)
        if two:
            for c, ref_ in enumerate(two["input2d"], 1):
                refs[RegionId.of("conv2d.input", c)] = ref_
            for k, per_channel in enumerate(two["filters2d"], 1):
                for c, ref_ in enumerate(per_channel, 1):
                    refs[RegionId.of("conv2d.filters", k, c)] = ref_
            for k, ref_ in enumerate(two["biases2d"], 1):
                refs[RegionId.of("conv2d.biases", k)] = ref_
            for i, vol in enumerate(two["volumes"], 1):
                for key in ("stride", "padding", "answer"):
                    refs[RegionId.of(f"conv2d.volumes.{key}", i)] = getattr(vol, key)
            refs[RegionId.of("conv2d.values.stride")] = two["values_stride"]
            refs[RegionId.of("conv2d.values.padding")] = two["values_padding"]
            for k, ref_ in enumerate(two["values"], 1):
                refs[RegionId.of("conv2d.values.output", k)] = ref_
            refs[RegionId.of("conv2d.maps")] = two["maps"]
            refs[RegionId.of("conv2d.preserve")] = two["preserve"]
        layout = cls.of(refs, source, text)
        n_channels = len(two["input2d"]) if two else 0
        if two and any(len(f) != n_channels for f in two["filters2d"]):
            raise LayoutError(f"{source}: every filter must list one block per input channel ({n_channels})")
        if two and len(two["values"]) != len(two["filters2d"]):
            raise LayoutError(f"{source}: conv2d.values.output must list one grid per filter ({len(two['filters2d'])})")
        return layout


def _keys() -> dict[str, set[str]]:
    """Every key a layout may have, by table ("" is the top level), from the region table."""
    keys: dict[str, set[str]] = {"": {"conv1d", "conv2d"}, "conv1d": {"cases"}, "conv2d": {"volumes", "values"}}
    for fam in FAMILIES.values():
        table, key = fam.toml
        keys.setdefault(table, set()).add(key)
    return keys


KEYS = _keys()


def _check_keys(data: Mapping[str, Any], source: str) -> None:
    """Every key known: a misspelt one (``same_size``) is an error naming the closest valid key,
    never a question silently dropped."""
    import difflib

    def check(table: Any, path: str, where: str) -> None:
        if not isinstance(table, Mapping):
            return
        for key in table:
            if key not in KEYS[path]:
                prefixes = sorted((k for k in KEYS[path] if str(key).startswith(k) or k.startswith(str(key))),
                                  key=len, reverse=True)  # same_size -> same
                close = prefixes[:1] or difflib.get_close_matches(str(key), sorted(KEYS[path]), n=1, cutoff=0.4)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                valid = ", ".join(sorted(KEYS[path]))
                raise LayoutError(f"{source}: unknown key {where + '.' if where else ''}{key}{hint} "
                                  f"(valid keys{' in [' + where + ']' if where else ''}: {valid})")
        for sub in ("conv1d", "conv2d"):
            if not path and sub in table:
                check(table[sub], sub, sub)
        for sub in ("cases", "volumes"):
            items = table.get(sub) if path in ("conv1d", "conv2d") else None
            if isinstance(items, list):
                for i, item in enumerate(items, 1):
                    check(item, f"{path}.{sub}", f"{where}.{sub}[{i}]")
        if path == "conv2d" and isinstance(table.get("values"), Mapping):
            check(table["values"], "conv2d.values", "conv2d.values")

    check(data, "", "")


def parse_layout(text: str, source: str) -> Layout:
    return Layout.from_mapping(datafiles.parse_toml(text, source, LayoutError), source, text)


@functools.lru_cache(maxsize=1)
def default_layout() -> Layout:
    """xlcnn's own layout (read once: a Layout never changes)."""
    return parse_layout(*datafiles.load(None, DEFAULT_LAYOUT, "layout file"))


def load_layout(path: str | Path) -> Layout:
    return parse_layout(*datafiles.load(path, DEFAULT_LAYOUT, "layout file", LayoutError))


# ------------------------------------------------------------ resolving against a workbook

_SHEET_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)$")
_NAMES_A_SHEET = re.compile(r"^(?:'(?:[^']|'')+'|[^'!]+)!")
MAX_ROWS, MAX_COLS = 400, 80  # where labels and blocks are looked for: far beyond any exercise sheet


def names_a_sheet(ref: object) -> bool:
    """Whether a layout's reference is a sheet range (``'Sheet'!A1:B2``, to be read wherever that
    sheet is) rather than a defined name or a number; a malformed range says so when resolved."""
    return isinstance(ref, str) and _NAMES_A_SHEET.match(ref) is not None


def _split_sheet_range(m: re.Match) -> tuple[str, str]:
    """(sheet, range) of a sheet-range match, the sheet's quotes undone."""
    return (m.group(1) or "").replace("''", "'") or m.group(2).strip(), m.group(3)


def sheet_range(ref: str, region: str, label: str) -> Area:
    """The :class:`Area` of a ``'Sheet'!A1:B2`` reference, whatever workbook it is read in."""
    m = _SHEET_RANGE.match(ref)
    if not m:
        raise WorkbookError(f"{label}: {region}: {ref!r} is not a 'Sheet!A1:B2' range")
    sheet, rng = _split_sheet_range(m)
    return _area(sheet, rng.replace("$", ""), ref, region, label)


def resolve(wb, ref: str, region: str, label: str) -> Area:
    """The :class:`Area` that ``ref`` designates in the openpyxl workbook ``wb``.

    ``label`` names the file in messages; ``region`` names the layout entry.
    """
    m = _SHEET_RANGE.match(ref)
    if m:
        sheet, rng = _split_sheet_range(m)
        rng = rng.replace("$", "")
    else:
        destinations = _defined_name(wb, ref)
        if destinations is None:
            raise WorkbookError(f"{label}: {region}: no defined name {ref!r} in the workbook "
                                "(and not a 'Sheet!A1' range)")
        if len(destinations) != 1:
            raise WorkbookError(f"{label}: {region}: the defined name {ref!r} does not point to one block of cells")
        sheet, rng = destinations[0]
        rng = rng.replace("$", "")
    if sheet not in wb.sheetnames:
        raise WorkbookError(f"{label}: {region}: no sheet {sheet!r} in the workbook "
                            f"(it has {', '.join(wb.sheetnames)})")
    return _area(sheet, rng, ref, region, label)


def _area(sheet: str, rng: str, ref: str, region: str, label: str) -> Area:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(rng)
    except (ValueError, TypeError) as err:
        raise WorkbookError(f"{label}: {region}: {ref!r} is not a cell range") from err
    if None in (min_col, min_row, max_col, max_row):
        raise WorkbookError(f"{label}: {region}: {ref!r} points to whole rows or columns ({rng}), not a block of cells")
    cells = (max_row - min_row + 1) * (max_col - min_col + 1)
    if cells > MAX_REGION_CELLS:
        raise WorkbookError(f"{label}: {region}: {ref!r} points to {cells:,} cells ({rng}); a region of Exercise 1 "
                            f"holds at most a few dozen (limit {MAX_REGION_CELLS:,})")
    return Area(sheet, min_row, min_col, max_row, max_col)


def _defined_name(wb, name: str) -> list[tuple[str, str]] | None:
    dn = wb.defined_names.get(name)
    if dn is None:
        for ws in wb.worksheets:
            if name in ws.defined_names:
                dn = ws.defined_names[name]
                break
    if dn is None:
        return None
    m = _SHEET_RANGE.match(dn.attr_text or "")  # the usual 'Sheet'!$A$1:$B$2, without openpyxl's tokenizer
    if m:
        return [_split_sheet_range(m)]
    try:
        return list(dn.destinations)
    except Exception:  # noqa: BLE001 - openpyxl may raise anything on a damaged name: it has no range
        return []
