"""Where each input and answer of Exercise 1 lives in a workbook: the layout file.

A layout is a small TOML file (format in the README). Every region is given as a
defined name of the workbook (``"Input1D"``) or as a sheet and range
(``"Ex1a!C5:I5"``, ``"'My sheet'!B2"``); strides and paddings may also be plain
numbers. The shipped workbook carries its own layout (defined names), so it still
reads correctly after rows are inserted or blocks moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping

from openpyxl.utils import get_column_letter, range_boundaries

from .. import datafiles
from ..errors import LayoutError, WorkbookError

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


@dataclass(frozen=True)
class Layout:
    """Every region of Exercise 1, by role: inputs (given numbers) and answers. A layout may hold
    only part a) (``[conv1d]``) or only part b) (``[conv2d]``): the other part's fields are empty."""

    input1d: str | None
    filter1d: str | None
    bias1d: str | None
    cases: tuple[CaseLayout, ...]
    input2d: tuple[str, ...]  # one block per channel
    filters2d: tuple[tuple[str, ...], ...]  # per filter, one block per channel
    biases2d: tuple[str, ...]  # one cell per filter, or one block of K cells
    values_stride: Ref | None
    values_padding: Ref | None
    values: tuple[str, ...]  # one output grid per filter
    maps: str | None = None
    volumes: tuple[VolumeLayout, ...] = ()
    preserve: str | None = None  # three cells: F, P, S
    source: str = "layout"
    text: str = field(default="", repr=False)

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of the exercise the layout holds: ("a", "b"), ("a",) or ("b",)."""
        return tuple(p for p, present in (("a", self.input1d is not None), ("b", bool(self.input2d))) if present)

    def regions(self) -> Iterator[tuple[str, str, Ref]]:
        """(region id, role, reference) for every region, inputs first."""
        if self.input1d is not None:
            yield "conv1d.input", "input", self.input1d
            yield "conv1d.filter", "input", self.filter1d
            yield "conv1d.bias", "input", self.bias1d
        for i, c in enumerate(self.cases, 1):
            yield f"conv1d.cases[{i}].stride", "input", c.stride
            yield f"conv1d.cases[{i}].padding", "input", c.padding
        for c, ref in enumerate(self.input2d, 1):
            yield f"conv2d.input[{c}]", "input", ref
        for k, refs in enumerate(self.filters2d, 1):
            for c, ref in enumerate(refs, 1):
                yield f"conv2d.filters[{k}][{c}]", "input", ref
        for k, ref in enumerate(self.biases2d, 1):
            yield f"conv2d.biases[{k}]", "input", ref
        for i, v in enumerate(self.volumes, 1):
            yield f"conv2d.volumes[{i}].stride", "input", v.stride
            yield f"conv2d.volumes[{i}].padding", "input", v.padding
        if self.input2d:
            yield "conv2d.values.stride", "input", self.values_stride
            yield "conv2d.values.padding", "input", self.values_padding
        for i, c in enumerate(self.cases, 1):
            yield f"conv1d.cases[{i}].output", "answer", c.output
            for key in ("size", "same", "note"):
                if getattr(c, key):
                    yield f"conv1d.cases[{i}].{key}", "answer" if key != "note" else "note", getattr(c, key)
        if self.maps:
            yield "conv2d.maps", "answer", self.maps
        for i, v in enumerate(self.volumes, 1):
            yield f"conv2d.volumes[{i}].answer", "answer", v.answer
        if self.preserve:
            yield "conv2d.preserve", "answer", self.preserve
        for k, ref in enumerate(self.values, 1):
            yield f"conv2d.values.output[{k}]", "answer", ref

    def with_refs(self, refs: Mapping[str, Ref]) -> "Layout":
        """The same layout with some regions (by region id, see :meth:`regions`) pointing elsewhere."""
        def r(region: str, old: Ref) -> Ref:
            return refs.get(region, old)

        cases = tuple(
            CaseLayout(r(f"conv1d.cases[{i}].stride", c.stride), r(f"conv1d.cases[{i}].padding", c.padding),
                       r(f"conv1d.cases[{i}].output", c.output),
                       *(None if getattr(c, k) is None else r(f"conv1d.cases[{i}].{k}", getattr(c, k))
                         for k in ("size", "same", "note")))
            for i, c in enumerate(self.cases, 1))
        volumes = tuple(
            VolumeLayout(r(f"conv2d.volumes[{i}].stride", v.stride), r(f"conv2d.volumes[{i}].padding", v.padding),
                         r(f"conv2d.volumes[{i}].answer", v.answer))
            for i, v in enumerate(self.volumes, 1))
        return replace(
            self,
            input1d=None if self.input1d is None else r("conv1d.input", self.input1d),
            filter1d=None if self.filter1d is None else r("conv1d.filter", self.filter1d),
            bias1d=None if self.bias1d is None else r("conv1d.bias", self.bias1d), cases=cases,
            input2d=tuple(r(f"conv2d.input[{c}]", ref) for c, ref in enumerate(self.input2d, 1)),
            filters2d=tuple(tuple(r(f"conv2d.filters[{k}][{c}]", ref) for c, ref in enumerate(refs_k, 1))
                            for k, refs_k in enumerate(self.filters2d, 1)),
            biases2d=tuple(r(f"conv2d.biases[{k}]", ref) for k, ref in enumerate(self.biases2d, 1)),
            values_stride=None if self.values_stride is None else r("conv2d.values.stride", self.values_stride),
            values_padding=None if self.values_padding is None else r("conv2d.values.padding", self.values_padding),
            values=tuple(r(f"conv2d.values.output[{k}]", ref) for k, ref in enumerate(self.values, 1)),
            maps=None if self.maps is None else r("conv2d.maps", self.maps),
            volumes=volumes,
            preserve=None if self.preserve is None else r("conv2d.preserve", self.preserve),
        )

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

        def refs(tbl: Mapping, where: str, key: str) -> tuple[str, ...]:
            value = tbl.get(key)
            if isinstance(value, str):
                return (value.strip(),)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                raise LayoutError(f"{source}: {where}.{key} must be a list of defined names or ranges, got {value!r}")
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
                where = f"conv1d.cases[{i}]"
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
                raise LayoutError(f"{source}: conv2d.filters must be a list (one per filter) of lists (one per channel)")
            filters2d = tuple(refs({"f": f}, f"conv2d.filters[{k}]", "f") for k, f in enumerate(filters, 1))
            volumes = []
            for i, v in enumerate(c2.get("volumes", []), 1):
                where = f"conv2d.volumes[{i}]"
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
        layout = cls(
            **(one or dict(input1d=None, filter1d=None, bias1d=None, cases=())),
            **(two or dict(input2d=(), filters2d=(), biases2d=(), values_stride=None, values_padding=None, values=())),
            source=source,
            text=text,
        )
        if any(len(f) != len(layout.input2d) for f in layout.filters2d):
            raise LayoutError(f"{source}: every filter must list one block per input channel ({len(layout.input2d)})")
        if len(layout.values) != len(layout.filters2d):
            raise LayoutError(f"{source}: conv2d.values.output must list one grid per filter ({len(layout.filters2d)})")
        return layout


# every key a layout may have, by table ("" is the top level)
KEYS = {
    "": {"conv1d", "conv2d"},
    "conv1d": {"input", "filter", "bias", "cases"},
    "conv1d.cases": {"stride", "padding", "output", "size", "same", "note"},
    "conv2d": {"input", "filters", "biases", "maps", "preserve", "volumes", "values"},
    "conv2d.volumes": {"stride", "padding", "answer"},
    "conv2d.values": {"stride", "padding", "output"},
}


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


def default_layout() -> Layout:
    return parse_layout(*datafiles.load(None, DEFAULT_LAYOUT, "layout file"))


def load_layout(path: str | Path) -> Layout:
    return parse_layout(*datafiles.load(path, DEFAULT_LAYOUT, "layout file", LayoutError))


# ------------------------------------------------------------ resolving against a workbook

_SHEET_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)$")


def sheet_range(ref: str, region: str, label: str) -> Area:
    """The :class:`Area` of a ``'Sheet'!A1:B2`` reference, whatever workbook it is read in."""
    m = _SHEET_RANGE.match(ref)
    if not m:
        raise WorkbookError(f"{label}: {region}: {ref!r} is not a 'Sheet!A1:B2' range")
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2).strip()
    return _area(sheet, m.group(3).replace("$", ""), ref, region, label)


def resolve(wb, ref: str, region: str, label: str) -> Area:
    """The :class:`Area` that ``ref`` designates in the openpyxl workbook ``wb``.

    ``label`` names the file in messages; ``region`` names the layout entry.
    """
    m = _SHEET_RANGE.match(ref)
    if m:
        sheet = (m.group(1) or "").replace("''", "'") or m.group(2).strip()
        rng = m.group(3).replace("$", "")
    else:
        destinations = _defined_name(wb, ref)
        if destinations is None:
            raise WorkbookError(f"{label}: {region}: no defined name {ref!r} in the workbook (and not a 'Sheet!A1' range)")
        if len(destinations) != 1:
            raise WorkbookError(f"{label}: {region}: the defined name {ref!r} does not point to one block of cells")
        sheet, rng = destinations[0]
        rng = rng.replace("$", "")
    if sheet not in wb.sheetnames:
        raise WorkbookError(f"{label}: {region}: no sheet {sheet!r} in the workbook (it has {', '.join(wb.sheetnames)})")
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
        return [((m.group(1) or "").replace("''", "'") or m.group(2).strip(), m.group(3))]
    try:
        return list(dn.destinations)
    except Exception:
        return []
