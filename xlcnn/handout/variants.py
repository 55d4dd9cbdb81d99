"""Per-group variants of the exercise: other given numbers, drawn from a seed and the group's
name, so that each group computes its own answers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..core.exercise import Example


@dataclass(frozen=True)
class Variant:
    group: str
    seed: int


def _rng(seed: int, group: str) -> np.random.Generator:
    digest = hashlib.sha256(f"xlcnn:{seed}:{group}".encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def make_variant(base: Example, group: str, seed: int) -> Example:
    """A copy of ``base`` with other small integers, fixed by ``seed`` and the group's name.

    Filters are never symmetric or antisymmetric, so a flipped kernel shows.
    """
    rng = _rng(seed, group)

    def filt(shape: tuple[int, ...], low: int, high: int) -> np.ndarray:
        while True:
            w = rng.integers(low, high + 1, shape).astype(float)
            flipped = w[::-1] if w.ndim == 1 else w[::-1, ::-1]
            if np.count_nonzero(w) >= 2 and not np.array_equal(w, flipped) and not np.array_equal(w, -flipped):
                return w

    x1 = rng.integers(-3, 4, base.x1.shape).astype(float)
    while not np.count_nonzero(x1):
        x1 = rng.integers(-3, 4, base.x1.shape).astype(float)
    h, w, c = base.x2.shape
    f, _, _, k = base.w2.shape
    w2 = np.stack([np.stack([filt((f, f), -1, 1) for _ in range(c)], axis=-1) for _ in range(k)], axis=-1)
    b2 = rng.integers(-1, 3, k).astype(float)
    if not np.count_nonzero(b2):
        b2[0] = 1
    return Example(
        x1=x1,
        w1=filt(base.w1.shape, -2, 2),
        b1=float(rng.integers(-1, 3)),
        x2=rng.integers(0, 3, (h, w, c)).astype(float),
        w2=w2,
        b2=b2,
        cases1=base.cases1,
        volume_cases=base.volume_cases,
        values_case=base.values_case,
        name=f"{base.name} — variant for {group}",
    )
