"""A number as a person writes it (2, not 2.0; 0.5; 1e-05): the one rule for every text xlcnn writes."""

from __future__ import annotations


def num(v: float) -> str:
    """``2`` for 2.0, ``0.5``, ``-3``; never a float's trailing ``.0``."""
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"
