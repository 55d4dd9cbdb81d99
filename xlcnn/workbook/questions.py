"""The questions of Exercise 1 in one workbook: where each answer goes, what is expected,
and the Excel formula that computes it from the workbook's own input cells.

Shared by ``solve`` (writes formulas and values), ``check`` and the grader (compare).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

from ..core import conv
from ..core.exercise import solve as solve_exercise
from ..core.numbers import num
from ..core.worked import explain_1d, explain_2d
from ..layout.model import Area
from ..layout.regions import RegionId
from .reading import Reading

R = RegionId


@dataclass
class Question:
    region: RegionId  # the answer's region; the question's id comes from it
    label: str  # for people, e.g. "a) S=1, P=1: output values"
    kind: str  # values | number | yesno | shape | triple
    area: Area
    expected: object  # values: list per cell (None = must stay empty); number; bool; tuple; triple: solution
    formulas: list[str | None] = field(default_factory=list)  # one per cell of area (row-major)
    details: list = field(default_factory=list)  # per cell: the worked computation (a text, or a function giving it)
    note: str = ""  # e.g. "the filter does not fit exactly"
    accept: Callable[[tuple], bool] | None = None  # triple: is this answer right?
    part: str = "a"
    side: int | None = None  # triple: the input's side, to name an implausible F, P or S in plain words

    @property
    def id(self) -> str:
        """Stable, e.g. "a.case4.output" (the rubric and results.json use it)."""
        return self.region.question

    @property
    def cells(self) -> list[str]:
        return self.area.coords()


def operand(reading: Reading, region: RegionId) -> str:
    """A stride or padding in a formula: its cell reference, or the number from the layout."""
    if region in reading.literals:
        return str(reading.literals[region])
    return reading.areas[region].ref()


def _sub1d(area: Area, start: int, stop: int) -> Area:
    """Cells start..stop (inclusive) of a one-row or one-column area."""
    if area.shape[0] == 1:
        return area.sub(0, start, 0, stop)
    return area.sub(start, 0, stop, 0)


def _dot(w: Area, x: Area) -> str:
    """SUMPRODUCT of two blocks of the same shape, or the explicit products when they are not."""
    if w.shape == x.shape:
        return f"SUMPRODUCT({w.ref()},{x.ref()})"
    return "(" + "+".join(f"{a}*{b}" for a, b in zip(_cells(w), _cells(x), strict=False)) + ")"


def _cells(area: Area) -> list[str]:
    sheet = area.sheet.replace("'", "''")
    return [f"'{sheet}'!${c.rstrip('0123456789')}${c[len(c.rstrip('0123456789')):]}" for c in area.coords()]


def _valid_run(indices: list[int | None]) -> tuple[int, int, int, int] | None:
    """(t0, t1, j0, j1): filter positions t0..t1 meet input positions j0..j1 (the rest is padding)."""
    ts = [t for t, j in enumerate(indices) if j is not None]
    if not ts:
        return None
    return ts[0], ts[-1], indices[ts[0]], indices[ts[-1]]


def questions(reading: Reading) -> list[Question]:
    """Every question of Exercise 1 that the layout has an answer region for."""
    ex = reading.example
    ans = solve_exercise(ex)
    areas = reading.areas
    out: list[Question] = []
    if "a" in reading.layout.parts:
        out.extend(_part_a(reading, ex, ans, areas))
    if "b" in reading.layout.parts:
        out.extend(_part_b(reading, ex, ans, areas))
    return out


def _part_a(reading: Reading, ex, ans, areas) -> list[Question]:
    out: list[Question] = []
    x1, w1, b1 = areas[R.of("conv1d.input")], areas[R.of("conv1d.filter")], areas[R.of("conv1d.bias")]
    n, f = ex.x1.size, ex.w1.size

    for i, case in enumerate(ans.cases1, 1):
        s, p = case.stride, case.padding
        tag = f"a) S={s}, P={p}"
        S, P = operand(reading, R.of("conv1d.cases.stride", i)), operand(reading, R.of("conv1d.cases.padding", i))
        size_expr = f"INT((COUNT({x1.ref()})-COUNT({w1.ref()})+2*{P})/{S})+1"
        area = areas[R.of("conv1d.cases.output", i)]
        expected, formulas, details = [], [], []
        for cell in range(area.size):
            if cell < case.size.size:
                run = _valid_run(conv.window_indices(n, f, s, p, cell))
                terms = "0" if run is None else _dot(_sub1d(w1, run[0], run[1]), _sub1d(x1, run[2], run[3]))
                expected.append(float(case.values[cell]))
                formulas.append(f"={terms}+{b1.ref()}")
                details.append(functools.partial(explain_1d, ex.x1, ex.w1, ex.b1, s, p, cell))
            else:
                expected.append(None)
                formulas.append(None)
                details.append(f"the output has only {case.size.size} values")
        note = "" if case.size.fits else case.size.explain()
        out.append(Question(R.of("conv1d.cases.output", i), f"{tag}: output values", "values", area, expected, formulas,
                            details, note))
        if R.of("conv1d.cases.size", i) in areas:
            out.append(Question(R.of("conv1d.cases.size", i), f"{tag}: output size", "number",
                                areas[R.of("conv1d.cases.size", i)], float(case.size.size), [f"={size_expr}"],
                                [case.size.explain()], note))
        if R.of("conv1d.cases.same", i) in areas:
            out.append(Question(R.of("conv1d.cases.same", i), f"{tag}: same size as the input?", "yesno",
                                areas[R.of("conv1d.cases.same", i)], case.same_size,
                                [f'=IF({size_expr}=COUNT({x1.ref()}),"yes","no")'],
                                [f"output size {case.size.size}, input size {n}"]))
    return out


def _part_b(reading: Reading, ex, ans, areas) -> list[Question]:
    out: list[Question] = []
    h, w, c = ex.x2.shape
    fh, fw, _, k = ex.w2.shape
    xs = [areas[R.of("conv2d.input", ch)] for ch in range(1, c + 1)]
    ws = [[areas[R.of("conv2d.filters", kk, ch)] for ch in range(1, c + 1)] for kk in range(1, k + 1)]
    if len(reading.layout.biases2d) == 1 and k > 1:
        whole = areas[R.of("conv2d.biases", 1)]
        bs = [_sub1d(whole, kk, kk) for kk in range(k)]
    else:
        bs = [areas[R.of("conv2d.biases", kk)].sub(0, 0, 0, 0) for kk in range(1, k + 1)]
    bias_list = ",".join(b.ref() for b in bs)

    if R.of("conv2d.maps") in areas:
        out.append(Question(R.of("conv2d.maps"), "b) number of activation maps", "number", areas[R.of("conv2d.maps")],
                            float(ans.n_maps), [f"=COUNT({bias_list})"], [f"one map per filter: {k}"], part="b"))
    for i, vol in enumerate(ans.volumes, 1):
        if R.of("conv2d.volumes.answer", i) not in areas:
            continue  # a layout without this question ([[conv2d.volumes]] left out)
        S, P = operand(reading, R.of("conv2d.volumes.stride", i)), operand(reading, R.of("conv2d.volumes.padding", i))
        hx = f"(INT((ROWS({xs[0].ref()})-ROWS({ws[0][0].ref()})+2*{P})/{S})+1)"
        wx = f"(INT((COLUMNS({xs[0].ref()})-COLUMNS({ws[0][0].ref()})+2*{P})/{S})+1)"
        area = areas[R.of("conv2d.volumes.answer", i)]
        if area.size >= 3:
            formulas = [f"={hx}", f"={wx}", f"=COUNT({bias_list})"] + [None] * (area.size - 3)
        else:
            formulas = [f'={hx}&"x"&{wx}&"x"&COUNT({bias_list})']
        out.append(Question(R.of("conv2d.volumes.answer", i), f"b) output volume with S={vol.stride}, P={vol.padding}",
                            "shape", area,
                            vol.shape, formulas, [f"{vol.height.explain()}; depth = number of filters = {k}"],
                            "" if vol.height.fits and vol.width.fits else vol.height.explain(), part="b"))
    if R.of("conv2d.preserve") in areas:
        fs = fh if fh % 2 else 3
        out.append(Question(R.of("conv2d.preserve"), "b) F, P, S that preserve the spatial size", "triple",
                            areas[R.of("conv2d.preserve")], (fs, (fs - 1) // 2, 1), [],
                            [f"any F, P, S with ({h} - F + 2P)/S + 1 = {h}, e.g. F = 2P + 1 with S = 1"],
                            accept=lambda t, n=h: len(t) == 3 and all(float(v).is_integer() for v in t)
                            and conv.preserves_size(n, int(t[0]), int(t[1]), int(t[2]), exact=True),
                            part="b", side=h))

    s, p = ex.values_case
    height, width = conv.output_size(h, fh, s, p), conv.output_size(w, fw, s, p)
    values_note = next((size.explain() for size in (height, width) if not size.fits), "")
    rows_idx = [conv.window_indices(h, fh, s, p, i) for i in range(ans.values.shape[0])]
    cols_idx = [conv.window_indices(w, fw, s, p, j) for j in range(ans.values.shape[1])]
    for kk in range(k):
        area = areas[R.of("conv2d.values.output", kk + 1)]
        expected, formulas, details = [], [], []
        for r in range(area.shape[0]):
            for q in range(area.shape[1]):
                if r < ans.values.shape[0] and q < ans.values.shape[1]:
                    rr, cc = _valid_run(rows_idx[r]), _valid_run(cols_idx[q])
                    if rr is None or cc is None:
                        terms = "0"
                    else:
                        terms = "+".join(
                            _dot(ws[kk][ch].sub(rr[0], cc[0], rr[1], cc[1]), xs[ch].sub(rr[2], cc[2], rr[3], cc[3]))
                            for ch in range(c)
                        )
                    expected.append(float(ans.values[r, q, kk]))
                    formulas.append(f"={terms}+{bs[kk].ref()}")
                    details.append(functools.partial(explain_2d, ex.x2, ex.w2, ex.b2, s, p, r, q, kk))
                else:
                    expected.append(None)
                    formulas.append(None)
                    details.append(f"the output map is only {ans.values.shape[0]}x{ans.values.shape[1]}")
        out.append(Question(R.of("conv2d.values.output", kk + 1),
                            f"b) output values with S={s}, P={p}, map {kk + 1}", "values",
                            area, expected, formulas, details, values_note, part="b"))
    return out


def expected_text(q: Question) -> str:
    """The expected answer as a person writes it."""
    if q.kind == "values":
        return ", ".join(num(v) for v in q.expected if v is not None)
    if q.kind == "number":
        return num(q.expected)
    if q.kind == "yesno":
        return "yes" if q.expected else "no"
    if q.kind == "shape":
        return "x".join(str(v) for v in q.expected)
    return f"e.g. F={q.expected[0]}, P={q.expected[1]}, S={q.expected[2]}"
