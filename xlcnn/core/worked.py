"""Worked computations: which inputs times which weights, plus the bias.

Used by ``xlcnn answers``, and by the checker and the grader to explain an
expected value. Pure functions of the arrays, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import conv
from .numbers import num


@dataclass(frozen=True)
class Term:
    """One product of a worked computation: ``value * weight``."""

    value: float
    weight: float
    where: tuple[int, ...] | None  # index in the input; None for a padding zero


def _factor(v: float) -> str:
    s = num(v)
    return f"({s})" if s.startswith("-") else s


def terms_1d(x, w, stride: int, padding, i: int) -> list[Term]:
    """The products that make output ``i`` of a one-filter 1D convolution."""
    x = np.asarray(x, float).reshape(len(x), -1)
    w = np.asarray(w, float).reshape(len(w), -1)
    out = []
    for t, j in enumerate(conv.window_indices(x.shape[0], w.shape[0], stride, padding, i)):
        for c in range(x.shape[1]):
            value = 0.0 if j is None else x[j, c]
            where = None if j is None else ((j,) if x.shape[1] == 1 else (j, c))
            out.append(Term(value, w[t, c], where))
    return out


def terms_2d(x, w, stride, padding, i: int, j: int, k: int = 0) -> list[Term]:
    """The products that make output ``(i, j)`` of filter ``k`` of a 2D convolution.

    ``x`` is ``(H, W, C)``, ``w`` is ``(F, F, C, K)``; stride and padding as in
    :func:`xlcnn.core.conv.conv2d` (ints or pairs, or "same"/"valid").
    """
    x = np.asarray(x, float)
    w = np.asarray(w, float)
    if x.ndim == 2:
        x = x[:, :, None]
    if w.ndim == 2:
        w = w[:, :, None, None]
    elif w.ndim == 3:
        w = w[..., None]
    sh, sw = (stride, stride) if not isinstance(stride, (tuple, list)) else stride
    ph, pw = (padding, padding) if not isinstance(padding, (tuple, list)) else padding
    rows = conv.window_indices(x.shape[0], w.shape[0], sh, ph, i)
    cols = conv.window_indices(x.shape[1], w.shape[1], sw, pw, j)
    out = []
    for c in range(x.shape[2]):
        for a, r in enumerate(rows):
            for b, q in enumerate(cols):
                if r is None or q is None:
                    out.append(Term(0.0, w[a, b, c, k], None))
                else:
                    out.append(Term(x[r, q, c], w[a, b, c, k], (r, q, c)))
    return out


def total(terms: list[Term], bias: float = 0.0) -> float:
    return float(sum(t.value * t.weight for t in terms) + bias)


def explain(terms: list[Term], bias: float = 0.0, per_channel: int | None = None) -> str:
    """``"0*1 + 1*0 + 2*(-1) + 0 = -2"``; a padding zero is written ``0(pad)``.

    With ``per_channel`` (terms per channel), channels are grouped in brackets so a
    27-term 3x3x3 computation stays readable.
    """

    def product(t: Term) -> str:
        value = "0(pad)" if t.where is None else _factor(t.value)
        return f"{value}*{_factor(t.weight)}"

    if per_channel:
        groups = [terms[s : s + per_channel] for s in range(0, len(terms), per_channel)]
        body = " + ".join("[" + " + ".join(product(t) for t in g) + "]" for g in groups)
    else:
        body = " + ".join(product(t) for t in terms)
    return f"{body} + {_factor(bias)} = {num(total(terms, bias))}"


def explain_1d(x, w, b: float, stride: int, padding, i: int) -> str:
    """Worked computation of output ``i`` of a one-filter 1D convolution."""
    return f"y[{i}] = " + explain(terms_1d(x, w, stride, padding, i), b)


def explain_2d(x, w, b, stride, padding, i: int, j: int, k: int = 0) -> str:
    """Worked computation of output ``(i, j)`` of filter ``k`` (counted from 0), one bracket per channel;
    the map is named as the workbook names it, from 1: "map 2: y[0,1] = ..."."""
    w = np.asarray(w, float)
    bias = float(np.asarray(b, float).reshape(-1)[k]) if b is not None else 0.0
    terms = terms_2d(x, w, stride, padding, i, j, k)
    per_channel = w.shape[0] * w.shape[1]
    return f"map {k + 1}: y[{i},{j}] = " + explain(terms, bias, per_channel)
