"""Exercise 1 of the practical as data, and every one of its answers.

No I/O: :class:`Example` is built from a plain mapping (what a TOML file or a
workbook gives), :func:`solve` computes the answers with :mod:`xlcnn.core.conv`.

Array layouts follow the core (channels last): ``x2`` is ``(H, W, C)`` and
``w2`` is ``(F, F, C, K)``. Example files, written for people, list the input
channel by channel and each filter channel by channel; :meth:`Example.from_mapping`
turns them around.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ..errors import ExampleError, XlcnnError
from . import conv
from .conv import OutputSize

DEFAULT_CASES_1D = ((1, 0), (2, 0), (4, 0), (1, 1), (4, 1))
DEFAULT_VOLUME_CASES = ((1, 0), (2, 0))


MAX_OUTPUT_CELLS = 4096  # the most cells one expected output may have (the practical's have a handful)


def _plausible(name: str, stride, padding, n: int, what: str, maps: int, square: bool = False) -> None:
    """Refuse, before anything is allocated, a stride or padding no exercise can have: a padding larger
    than the input, a stride longer than the padded input, an output of more than MAX_OUTPUT_CELLS."""
    for label, value in (("stride", stride), ("padding", padding)):  # noqa: B007 - unused; left unrenamed
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            return  # not a whole number: output_size says so, with its own words
    if padding < 0 or stride < 1:
        return
    if padding > n:
        raise ExampleError(f"{name}: padding {padding} cannot be right for a {what} (at most {n})")
    if stride > n + 2 * padding:
        raise ExampleError(f"{name}: stride {stride} cannot be right for a {what} padded by {padding} "
                           f"(at most {n + 2 * padding})")
    side = (n + 2 * padding) // stride + 1
    cells = side * side * maps if square else side * maps
    if cells > MAX_OUTPUT_CELLS:
        raise ExampleError(f"{name}: stride {stride} and padding {padding} would give an output of {cells:,} "
                           f"cells, more than the {MAX_OUTPUT_CELLS:,} an exercise can ask for")


@dataclass(frozen=True, eq=False)
class Example:
    """The numbers of Exercise 1: the 1D example of a) and the 2D example of b)."""

    x1: np.ndarray
    w1: np.ndarray
    b1: float
    x2: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    cases1: tuple[tuple[int, int], ...] = DEFAULT_CASES_1D
    volume_cases: tuple[tuple[int, int], ...] = DEFAULT_VOLUME_CASES
    values_case: tuple[int, int] = (1, 0)
    name: str = "example"

    def __post_init__(self) -> None:
        # Everything the answers need must be computable: fail here, with the rule.
        if self.x1.ndim != 1 or self.w1.ndim != 1:
            raise ExampleError(f"{self.name}: conv1d.input and conv1d.filter must be lists of numbers")
        if self.x2.ndim != 3 or self.w2.ndim != 4:
            raise ExampleError(f"{self.name}: conv2d.input must be (C, H, W) and conv2d.filters (K, C, F, F)")
        if self.x2.shape[0] != self.x2.shape[1]:
            raise ExampleError(f"{self.name}: conv2d.input slices must be square, "
                               f"got {self.x2.shape[0]}x{self.x2.shape[1]}")
        if self.w2.shape[0] != self.w2.shape[1]:
            raise ExampleError(f"{self.name}: conv2d.filters must be square, got {self.w2.shape[0]}x{self.w2.shape[1]}")
        if self.w2.shape[2] != self.x2.shape[2]:
            raise ExampleError(
                f"{self.name}: the filters have {self.w2.shape[2]} channel(s) but the input has {self.x2.shape[2]}"
            )
        if self.b2.shape != (self.w2.shape[3],):
            raise ExampleError(
                f"{self.name}: conv2d.biases must hold one bias per filter ({self.w2.shape[3]}), got {self.b2.size}"
            )
        for s, p in self.cases1:  # bounds first: nothing is computed with an implausible number
            _plausible(self.name, s, p, self.x1.size, f"{self.x1.size}-long input", 1)
        for s, p in (*self.volume_cases, self.values_case):
            n = self.x2.shape[0]
            _plausible(self.name, s, p, n, f"{n}x{n} input", self.w2.shape[3], square=True)
        try:
            for s, p in self.cases1:
                conv.output_size(self.x1.size, self.w1.size, s, p)
            for s, p in (*self.volume_cases, self.values_case):
                conv.output_size(self.x2.shape[0], self.w2.shape[0], s, p)
        except XlcnnError as err:
            raise ExampleError(f"{self.name}: {err}") from err

    @property
    def n_filters(self) -> int:
        return int(self.w2.shape[3])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "example") -> "Example":
        """Build from the layout of ``xlcnn/data/example.toml`` (channel-first lists)."""

        def get(table: str, key: str, default: Any = None) -> Any:
            section = data.get(table)
            if not isinstance(section, Mapping):
                raise ExampleError(f"{source}: missing table [{table}]")
            if key not in section:
                if default is not None:
                    return default
                raise ExampleError(f"{source}: missing key {table}.{key}")
            return section[key]

        def array(table: str, key: str, ndim: int) -> np.ndarray:
            value = get(table, key)
            try:
                arr = np.array(value, dtype=float)
            except (TypeError, ValueError) as err:
                raise ExampleError(
                    f"{source}: {table}.{key} must be a rectangular array of numbers, got {value!r}"
                ) from err
            if arr.ndim != ndim:
                raise ExampleError(f"{source}: {table}.{key} must have {ndim} nested level(s), got shape {arr.shape}")
            if not np.isfinite(arr).all():
                raise ExampleError(f"{source}: {table}.{key} holds a value that is not a finite number")
            return arr

        def pairs(table: str, key: str, default: Any, single: bool = False) -> tuple[tuple[int, int], ...]:
            value = get(table, key, default)
            if single:  # one [stride, padding] pair
                value = [value]
            try:
                out = tuple((_int(s), _int(p)) for s, p in value)
            except (TypeError, ValueError) as err:
                raise ExampleError(f"{source}: {table}.{key} must be a list of [stride, padding] pairs, "
                                   f"got {value!r}") from err
            if not out:
                raise ExampleError(f"{source}: {table}.{key} is empty")
            return out

        x2 = array("conv2d", "input", 3)  # (C, H, W)
        w2 = array("conv2d", "filters", 4)  # (K, C, F, F)
        bias1 = get("conv1d", "bias", 0)
        if isinstance(bias1, bool) or not isinstance(bias1, (int, float)):
            raise ExampleError(f"{source}: conv1d.bias must be a number, got {bias1!r}")
        return cls(
            x1=array("conv1d", "input", 1),
            w1=array("conv1d", "filter", 1),
            b1=float(bias1),
            x2=x2.transpose(1, 2, 0),
            w2=w2.transpose(2, 3, 1, 0),
            b2=array("conv2d", "biases", 1),
            cases1=pairs("conv1d", "cases", DEFAULT_CASES_1D),
            volume_cases=pairs("conv2d", "volume_cases", DEFAULT_VOLUME_CASES),
            values_case=pairs("conv2d", "values_case", [1, 0], single=True)[0],
            name=str(data.get("name", source)),
        )


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer():
        raise ValueError(v)
    return int(v)


# ---------------------------------------------------------------- answers


@dataclass(frozen=True, eq=False)
class Case1D:
    """Question a) for one (S, P) pair."""

    stride: int
    padding: int
    size: OutputSize
    values: np.ndarray

    @property
    def same_size(self) -> bool:
        return self.size.size == self.size.n


@dataclass(frozen=True, eq=False)
class Volume:
    """Output volume of the 2D layer for one (S, P) pair."""

    stride: int
    padding: int
    height: OutputSize
    width: OutputSize
    filters: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.height.size, self.width.size, self.filters)


@dataclass(frozen=True, eq=False)
class Answers:
    """Every answer of Exercise 1 for one :class:`Example`."""

    example: Example
    cases1: list[Case1D]
    n_maps: int
    volumes: list[Volume]
    values: np.ndarray  # (H_out, W_out, K) for example.values_case
    params: int  # trainable parameters of the 2D layer
    preserving: list[tuple[int, int, int]] = field(default_factory=list)  # some (F, P, S)

    @property
    def same_size_cases(self) -> list[tuple[int, int]]:
        return [(c.stride, c.padding) for c in self.cases1 if c.same_size]

    def preserves(self, f: int, padding: int, stride: int) -> bool:
        """Is ``(F, P, S)`` a right answer to "give an F, P, S that preserves the size"?"""
        return conv.preserves_size(self.example.x2.shape[0], f, padding, stride)


@functools.lru_cache(maxsize=64)  # the same few sizes over a whole class
def preserving_triples(n: int, max_f: int = 7, max_stride: int = 2) -> list[tuple[int, int, int]]:
    """Every ``(F, P, S)`` with ``F <= max_f`` and ``S <= max_stride`` that keeps size ``n``."""
    out = []
    for s in range(1, max_stride + 1):
        for f in range(1, max_f + 1):
            for p in range(0, (max_f + (s - 1) * n) // 2 + 1):
                if conv.preserves_size(n, f, p, s, exact=True):
                    out.append((f, p, s))
    return out


def solve(ex: Example) -> Answers:
    """Compute every answer of Exercise 1 a) and b) for ``ex``."""
    cases1 = [
        Case1D(s, p, conv.output_size(ex.x1.size, ex.w1.size, s, p), conv.conv1d(ex.x1, ex.w1, ex.b1, s, p))
        for s, p in ex.cases1
    ]
    n, f = ex.x2.shape[0], ex.w2.shape[0]
    volumes = [
        Volume(s, p, conv.output_size(n, f, s, p), conv.output_size(ex.x2.shape[1], ex.w2.shape[1], s, p), ex.n_filters)
        for s, p in ex.volume_cases
    ]
    s, p = ex.values_case
    return Answers(
        example=ex,
        cases1=cases1,
        n_maps=ex.n_filters,
        volumes=volumes,
        values=conv.conv2d(ex.x2, ex.w2, ex.b2, s, p),
        params=conv.conv_params((ex.w2.shape[0], ex.w2.shape[1]), ex.w2.shape[2], ex.n_filters),
        preserving=list(preserving_triples(n)),
    )
