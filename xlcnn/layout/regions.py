"""The regions of Exercise 1, each family described once: its id, its place in a layout file, its
role, the shape its cells must have, its name for people, and the question it answers.

A region is named by a :class:`RegionId` (``conv1d.cases[3].output`` as text): its family
(``conv1d.cases.output``) and its indices (case 3). Every module that needs a region builds its id
here and reads its fields, never a string by hand; :data:`FAMILIES` is the one table that layouts
(loading, checking, writing, relocating, drafting), questions and diagnoses read. Adding a question
type is one row here, plus its judging and diagnosis.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


@dataclass(frozen=True)
class Family:
    """One kind of region."""

    key: str  # "conv1d.cases.output"
    pattern: str  # its id with the indices as {}: "conv1d.cases[{}].output"
    role: str  # input | answer | note
    # the cells it must have: block | vector | cell | number (a cell or a number in the layout) | cell_or_three | grid
    shape: str
    word: str  # how relocation notes name its block: "case", "filter", "output values"
    indexed_word: bool = False  # the word takes the first index: "case 2" (not "output values 1")
    question: str | None = None  # the question id it answers, with the indices as {}
    optional: bool = False  # a layout may leave it out

    @property
    def dim(self) -> str:
        """"1" or "2": the part's dimension (part a) is 1D, part b) 2D)."""
        return self.key[4]

    @property
    def part(self) -> str:
        return "a" if self.dim == "1" else "b"

    @property
    def toml(self) -> tuple[str, str]:
        """(table, key) in a layout file: ("conv1d.cases", "output"), ("conv2d", "filters")."""
        path = re.sub(r"\[\{\}\]", "", self.pattern).split(".")  # conv1d.cases[{}].output -> conv1d.cases.output
        return ".".join(path[:-1]), path[-1]

    @property
    def arity(self) -> int:
        return self.pattern.count("{}")


FAMILIES: dict[str, Family] = {f.key: f for f in (
    # inputs (the given numbers), in the order they are read
    Family("conv1d.input", "conv1d.input", "input", "vector", "input"),
    Family("conv1d.filter", "conv1d.filter", "input", "vector", "filter"),
    Family("conv1d.bias", "conv1d.bias", "input", "cell", "bias"),
    Family("conv1d.cases.stride", "conv1d.cases[{}].stride", "input", "number", "case", True),
    Family("conv1d.cases.padding", "conv1d.cases[{}].padding", "input", "number", "case", True),
    Family("conv2d.input", "conv2d.input[{}]", "input", "block", "input", True),
    Family("conv2d.filters", "conv2d.filters[{}][{}]", "input", "block", "filter", True),
    Family("conv2d.biases", "conv2d.biases[{}]", "input", "vector", "bias", True),
    Family("conv2d.volumes.stride", "conv2d.volumes[{}].stride", "input", "number", "volume", True),
    Family("conv2d.volumes.padding", "conv2d.volumes[{}].padding", "input", "number", "volume", True),
    Family("conv2d.values.stride", "conv2d.values.stride", "input", "number", "output values"),
    Family("conv2d.values.padding", "conv2d.values.padding", "input", "number", "output values"),
    # answers, in the order of the questions
    Family("conv1d.cases.output", "conv1d.cases[{}].output", "answer", "vector", "case", True, "a.case{}.output"),
    Family("conv1d.cases.size", "conv1d.cases[{}].size", "answer", "cell", "case", True, "a.case{}.size", True),
    Family("conv1d.cases.same", "conv1d.cases[{}].same", "answer", "cell", "case", True, "a.case{}.same", True),
    Family("conv1d.cases.note", "conv1d.cases[{}].note", "note", "block", "case", True, None, True),
    Family("conv2d.maps", "conv2d.maps", "answer", "cell", "maps", False, "b.maps", True),
    Family("conv2d.volumes.answer", "conv2d.volumes[{}].answer", "answer", "cell_or_three", "volume", True,
           "b.volume{}"),
    Family("conv2d.preserve", "conv2d.preserve", "answer", "cell_or_three", "size-preserving answer", False,
           "b.preserve", True),
    Family("conv2d.values.output", "conv2d.values.output[{}]", "answer", "grid", "output values", False,
           "b.values{}"),
)}

# Families read together, one index at a time (a case's stride, then its padding; a case's output,
# size, same and note): the order of a layout's regions.
ORDER: tuple[tuple[str, ...], ...] = (
    ("conv1d.input",), ("conv1d.filter",), ("conv1d.bias",), ("conv1d.cases.stride", "conv1d.cases.padding"),
    ("conv2d.input",), ("conv2d.filters",), ("conv2d.biases",), ("conv2d.volumes.stride", "conv2d.volumes.padding"),
    ("conv2d.values.stride",), ("conv2d.values.padding",),
    ("conv1d.cases.output", "conv1d.cases.size", "conv1d.cases.same", "conv1d.cases.note"),
    ("conv2d.maps",), ("conv2d.volumes.answer",), ("conv2d.preserve",), ("conv2d.values.output",),
)


def _regex(pattern: str) -> re.Pattern:
    return re.compile("^" + re.escape(pattern).replace(r"\{\}", r"(\d+)") + "$")


_PARSE = [(f, _regex(f.pattern)) for f in FAMILIES.values()]


class RegionId(NamedTuple):
    """A region: its family and its indices (1-based: case, volume, channel, filter). A tuple, so
    that a layout's thousands of lookups by region cost what a tuple's do; made by :meth:`of` and
    :meth:`parse`, which check the family and its number of indices."""

    family: str
    index: tuple[int, ...] = ()

    @classmethod
    def of(cls, family: str, *index: int) -> "RegionId":
        return _region(cls, family, tuple(int(i) for i in index))

    @classmethod
    def parse(cls, text: str) -> "RegionId":
        """The id of a region written as text (``conv2d.filters[2][1]``); ValueError otherwise."""
        for fam, rx in _PARSE:
            m = rx.match(text)
            if m:
                return cls.of(fam.key, *(int(g) for g in m.groups()))
        raise ValueError(f"not a region id: {text!r}")

    def __str__(self) -> str:
        return self.spec.pattern.format(*self.index)

    @property
    def spec(self) -> Family:
        return FAMILIES[self.family]

    @property
    def role(self) -> str:
        return self.spec.role

    @property
    def first(self) -> int | None:
        """The first index (the case, volume, channel or filter), or None."""
        return self.index[0] if self.index else None

    @property
    def question(self) -> str | None:
        """The id of the question this region answers (``a.case3.output``), or None."""
        q = self.spec.question
        return None if q is None else q.format(*self.index)

    # the regions Exercise 1's given numbers live in, with those numbers

    @staticmethod
    def given_numbers(ex) -> dict["RegionId", np.ndarray]:
        """The handed-out numbers of an :class:`~xlcnn.core.exercise.Example`, by input region."""
        out = {RegionId.of("conv1d.input"): ex.x1, RegionId.of("conv1d.filter"): ex.w1,
               RegionId.of("conv1d.bias"): np.array([ex.b1])}
        for c in range(ex.x2.shape[2]):
            out[RegionId.of("conv2d.input", c + 1)] = ex.x2[:, :, c]
            for k in range(ex.w2.shape[3]):
                out[RegionId.of("conv2d.filters", k + 1, c + 1)] = ex.w2[:, :, c, k]
        for k in range(ex.b2.size):
            out[RegionId.of("conv2d.biases", k + 1)] = np.array([ex.b2[k]])
        return out


def group_name(family: str, *index: int) -> str:
    """A family, or its members under the first indices, as text: ``conv2d.filters``,
    ``conv2d.filters[2]`` (filter 2's channels)."""
    pattern = FAMILIES[family].pattern
    if not index:
        return pattern.split("[")[0]
    pieces = pattern.split("{}")
    return "".join(p + str(i) for p, i in zip(pieces, index, strict=False)) + "]"


@functools.lru_cache(maxsize=4096)
def _region(cls, family: str, index: tuple[int, ...]) -> RegionId:
    fam = FAMILIES.get(family)
    if fam is None:
        raise ValueError(f"no region family {family!r}")
    if len(index) != fam.arity:
        raise ValueError(f"{family} takes {fam.arity} indices, got {index}")
    return cls(family, index)


def block_names(regions: list[RegionId], every: list[RegionId]) -> str:
    """Regions as a reader names them: "the 1D block" (all of a part's regions), "1D cases 2-5",
    "2D filter 2" (``every``: all the regions of the layout that are ranges)."""
    for dim, name in (("1", "1D block"), ("2", "2D block")):
        whole = {r for r in every if r.spec.dim == dim}
        if whole and whole <= set(regions) and all(r.spec.dim == dim for r in regions):
            return name
    parts: dict[tuple[str, str], list[int]] = {}
    for region in regions:
        key = (region.spec.dim, region.spec.word)
        parts.setdefault(key, [])
        if region.spec.indexed_word and region.first not in parts[key]:
            parts[key].append(region.first)
    out = []
    for (dim, kind), indices in parts.items():
        if not indices:
            out.append(f"{dim}D {kind}")
        elif len(indices) > 2 and indices == list(range(indices[0], indices[-1] + 1)):
            out.append(f"{dim}D {kind}s {indices[0]}-{indices[-1]}")
        else:
            out.append(f"{dim}D {kind}{'s' if len(indices) > 1 else ''} {', '.join(map(str, indices))}")
    return ", ".join(out)
