"""A number as a person writes it (2, not 2.0; 0.5; 1e-05): the one rule for every text xlcnn writes."""

from __future__ import annotations

import numpy as np


def num(v: float) -> str:
    """``2`` for 2.0, ``0.5``, ``-3``, ``1234567.5``; never a float's trailing ``.0``, and up to 10
    significant digits (``0.6666666667``): enough that a number is never shown as another one."""
    if isinstance(v, np.floating) and v.dtype.itemsize < 8:
        v = float(str(v))  # a float32's own shortest text (0.1), not its float64 widening (0.10000000149)
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:.10g}"
