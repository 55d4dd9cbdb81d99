#!/usr/bin/env python3
"""Benchmark the convolution core against Keras' Conv2D (CPU), in one run.

Prints, for the exercise's size (5x5x3 input, two 3x3x3 filters) and for a
224x224x3 input with 64 3x3 filters ('same'), the core's time per call and the
same computation by a Keras Conv2D layer, and their ratio (core / Keras).
Aims (issue 2): under 50 us per call on exercise sizes; within 3x of Keras on
the large input.

    .venv/bin/python scripts/bench_conv.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

from xlcnn.core.conv import conv2d  # noqa: E402


def per_call(fn, min_time: float = 0.2, repeat: int = 7) -> float:
    """Median seconds per call over `repeat` rounds of at least `min_time` each."""
    fn()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t >= min_time / 4:
            break
        n *= 2
    n = max(1, int(n * (min_time / 4) / max(time.perf_counter() - t, 1e-9)))
    rounds = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - t) / n)
    return statistics.median(rounds)


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:9.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    cases = [
        ("exercise 5x5x3, 2 filters 3x3, S=1 P=0", (5, 5, 3), (3, 3, 3, 2), 0, np.float64),
        ("224x224x3, 64 filters 3x3, 'same'", (224, 224, 3), (3, 3, 3, 64), "same", np.float32),
    ]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, "
          f"keras {keras.__version__} on tensorflow {tf.__version__}")
    print("keras = the faster of a Conv2D layer called eagerly and the same layer in a tf.function")
    print(f"{'case':42} {'xlcnn':>12} {'keras':>12} {'ratio':>7}")
    for name, xs, ws, padding, dtype in cases:
        x = rng.integers(0, 3, xs).astype(dtype)
        w = rng.integers(-1, 2, ws).astype(dtype)
        b = rng.integers(-1, 2, ws[-1]).astype(dtype)
        ours = per_call(lambda: conv2d(x, w, b, 1, padding), repeat=args.repeat)  # noqa: B023 - run here, not kept

        layer = keras.layers.Conv2D(ws[-1], ws[:2], padding="valid" if padding == 0 else padding)
        layer.build((1, *xs))
        layer.set_weights([w.astype("float32"), b.astype("float32")])
        xt = tf.constant(x[None].astype("float32"))
        graph = tf.function(layer, jit_compile=False)  # the graph path model.predict uses, no XLA
        eager = per_call(lambda: layer(xt).numpy(), repeat=args.repeat)  # noqa: B023 - run here, not kept
        compiled = per_call(lambda: graph(xt).numpy(), repeat=args.repeat)  # noqa: B023 - run here, not kept
        theirs = min(eager, compiled)  # compare with Keras' faster path
        np.testing.assert_allclose(conv2d(x, w, b, 1, padding), layer(xt).numpy()[0], rtol=1e-4, atol=1e-3)
        print(f"{name:42} {fmt(ours)} {fmt(theirs)} {ours / theirs:6.2f}x")


if __name__ == "__main__":
    main()
