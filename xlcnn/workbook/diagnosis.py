"""Diagnoses, not just marks: recognise the common mistakes behind wrong answers.

For a wrong answer, compute what each classic mistake would have given (kernel
flipped, bias forgotten, padding or stride ignored, rows and columns swapped, an
output size off by one...) and name the mistake whose result the student wrote.
Pure functions of the example and the answers.
"""

from __future__ import annotations

import numpy as np

from ..core import conv
from ..core.exercise import Example
from ..files.typed import parse_number, parse_numbers
from .verdict import Answer

FLIP = ("kernel flipped: this is the mathematical convolution; CNN layers (Keras, PyTorch) compute a "
        "cross-correlation and do not flip the kernel")
NO_BIAS = "bias forgotten: add the bias to every output value"
NO_PADDING = "padding ignored: add P zeros on each side of the input first"
NO_STRIDE = "stride ignored: the filter moves S positions at a time, not 1"
SWAPPED = "rows and columns swapped: the output map is transposed"
SIZE_NOT_FLOORED = ("output size not rounded down: when (N - F + 2P)/S is not an integer "
                    "the last partial window is dropped")
SIZE_NO_PLUS_ONE = "output size off by one: the formula is (N - F + 2P)/S + 1"
SIZE_NO_PADDING = "output size computed without the padding: the formula is (N - F + 2P)/S + 1"
DEPTH_CHANNELS = "output depth is the number of filters, not the number of input channels"
PARTIAL_WINDOW = ("a partial window was computed: when (N - F + 2P)/S + 1 is not an integer, the last window "
                  "that does not fit is dropped")
TOO_MANY = "too many output values: the output has (N - F + 2P)/S + 1 values"


def _numbers(cells) -> list[float]:
    out = []
    for c in cells:
        n, _ = parse_number(c.given)
        if n is not None:
            out.append(n)
    return out


def _same(given: list[float], alt: np.ndarray, tol: float) -> bool:
    alt = np.asarray(alt, float).reshape(-1)
    return len(given) == alt.size and bool(np.all(np.abs(np.asarray(given) - alt) <= tol))


def diagnose(ex: Example, result, tol: float = 0.01) -> list[str]:
    """The mistakes that explain a wrong answer (empty when none does)."""
    if result.status is not Answer.WRONG:
        return []
    region = result.region
    family = region.family if region is not None else ""
    if family == "conv1d.cases.output":
        i = region.first - 1
        s, p = ex.cases1[i]
        given = _numbers(result.cells)
        alts = [(FLIP, conv.conv1d(ex.x1, ex.w1, ex.b1, s, p, flip=True))]
        if ex.b1:
            alts.append((NO_BIAS, conv.conv1d(ex.x1, ex.w1, 0, s, p)))
        if p and ex.x1.size >= ex.w1.size:  # without the padding the filter must still fit
            alts.append((NO_PADDING, conv.conv1d(ex.x1, ex.w1, ex.b1, s, 0)))
        if s > 1:
            alts.append((NO_STRIDE, conv.conv1d(ex.x1, ex.w1, ex.b1, 1, p)))
        found = [name for name, alt in alts if _same(given, alt, tol)]
        expected = conv.conv1d(ex.x1, ex.w1, ex.b1, s, p)
        if not found and len(given) > expected.size and _same(given[: expected.size], expected, tol):
            fits = conv.output_size(ex.x1.size, ex.w1.size, s, p).fits
            found.append(TOO_MANY if fits else PARTIAL_WINDOW)
        return found
    if family == "conv2d.values.output":
        k = region.first - 1
        s, p = ex.values_case
        got = _numbers(result.cells)
        expected = conv.conv2d(ex.x2, ex.w2, ex.b2, s, p)[:, :, k]
        alts = [(FLIP, conv.conv2d(ex.x2, ex.w2, ex.b2, s, p, flip=True)[:, :, k])]
        if ex.b2[k]:
            alts.append((NO_BIAS, expected - ex.b2[k]))
        if expected.shape[0] == expected.shape[1]:
            alts.append((SWAPPED, expected.T))
        return [name for name, alt in alts if _same(got, alt, tol)]
    if family == "conv1d.cases.size":
        i = region.first - 1
        s, p = ex.cases1[i]
        n, f = ex.x1.size, ex.w1.size
        given = _numbers(result.cells)
        if len(given) != 1:
            return []
        g = given[0]
        found = []
        if (n - f + 2 * p) % s and (abs(g - ((n - f + 2 * p) / s + 1)) <= tol  # 1.67, or 2 (rounded up)
                                    or abs(g - (-(-(n - f + 2 * p) // s) + 1)) <= tol):
            found.append(SIZE_NOT_FLOORED)
        if abs(g - ((n - f + 2 * p) // s)) <= tol:
            found.append(SIZE_NO_PLUS_ONE)
        if p and n >= f and abs(g - ((n - f) // s + 1)) <= tol:
            found.append(SIZE_NO_PADDING)
        if s > 1 and abs(g - (n - f + 2 * p + 1)) <= tol:
            found.append(NO_STRIDE)
        return found
    if family in ("conv2d.volumes.answer", "conv2d.maps"):
        c, k = ex.x2.shape[2], ex.n_filters
        if family == "conv2d.maps":
            given = _numbers(result.cells)
            return [DEPTH_CHANNELS] if given == [float(c)] and c != k else []
        values, _ = parse_numbers([result.cells[0].given], 3)  # the answer as checked, e.g. "3x3x3"
        if values is None:
            return []
        i = region.first - 1
        s, p = ex.volume_cases[i]
        h, f = ex.x2.shape[0], ex.w2.shape[0]
        found = []
        if values[2] == c and c != k:
            found.append(DEPTH_CHANNELS)
        if values[0] == (h - f + 2 * p) // s:
            found.append(SIZE_NO_PLUS_ONE)
        if p and values[0] == (h - f) // s + 1:
            found.append(SIZE_NO_PADDING)
        if s > 1 and values[0] == h - f + 2 * p + 1 and values[0] != (h - f + 2 * p) // s + 1:
            found.append(NO_STRIDE)
        return found
    return []
