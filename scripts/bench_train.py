#!/usr/bin/env python3
"""Benchmark the training runner, and estimate the time of the full default table here.

    .venv/bin/python scripts/bench_train.py [--images 20000] [--epochs 4] [--repeat 3]

1. Throughput: images per second of xlcnn's runner (train_one: seeded, validation split,
   epoch timer, evaluations) against a plain `model.fit` of the same model on the same
   data and split, in the same run, for the simple CNN and the two-layer network.
   Aim (issue 5): a ratio of at least 0.95.
2. The full default table: each experiment's epoch time measured on a few training steps
   of CIFAR-10's size (45,000 training images, after the validation split) times its
   epochs. Aim: within 60 minutes on the project's 2-core machine.
Random images of CIFAR-10's shape stand in for CIFAR-10 (not downloadable here): the
speed of a training step does not depend on the pixel values.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from xlcnn.training.experiments import load_experiments  # noqa: E402
from xlcnn.training.runner import estimate_epoch_seconds, fmt_duration, train_one  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import keras

    from xlcnn.training.models import build_model, compile_model, steps

    rng = np.random.default_rng(0)
    x = rng.random((args.images, 32, 32, 3), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, args.images)]
    data = (x, y, x[:1000], y[:1000])
    exps = {e.name: e for e in load_experiments()}
    print(f"throughput on {args.images} images x {args.epochs} epochs ({os.cpu_count()} cores, keras "
          f"{keras.__version__}, backend {keras.backend.backend()})")
    class EpochTimes(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self.t)

    def plain_fit(exp) -> float:
        """Steady-state images/s of a plain model.fit (first epoch, with its tracing, left out)."""
        keras.utils.set_random_seed(exp.seed)
        order = np.random.default_rng(exp.seed).permutation(len(x))
        n_val = int(round(len(x) * exp.validation_split))
        val, fit = order[:n_val], order[n_val:]
        model = build_model(exp)
        compile_model(model, exp, steps(len(fit), exp.batch_size))
        timer = EpochTimes()
        model.fit(x[fit], y[fit], batch_size=exp.batch_size, epochs=exp.epochs,
                  validation_data=(x[val], y[val]), verbose=0, callbacks=[timer])
        return len(fit) * (exp.epochs - 1) / sum(timer.times[1:])

    def runner_steady(exp) -> float:
        """Steady-state images/s of xlcnn's runner (its own epoch times, first epoch left out)."""
        with tempfile.TemporaryDirectory() as tmp:
            outcome = train_one(exp, data, Path(tmp), verbose=0)
        return outcome.train_images * (exp.epochs - 1) / sum(outcome.epoch_seconds[1:])

    for name in ("cnn-simple", "dense-2"):
        exp = replace(exps[name], epochs=max(args.epochs, 2))
        plain_fit(replace(exp, epochs=2))  # warm-up: thread pools, kernels
        ours, plain = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            ours.append(runner_steady(exp))
            plain.append(plain_fit(exp))
        o, p = float(np.median(ours)), float(np.median(plain))
        print(f"  {name:12} runner {o:8.0f} img/s   plain model.fit {p:8.0f} img/s   "
              f"ratio {o / p:5.2f}  (aim: >= 0.95; median of {args.repeat}, first epoch left out)")

    print("full default table, CIFAR-10 size (45,000 training images an epoch):")
    total = 0.0
    for exp in exps.values():
        per_epoch, _ = estimate_epoch_seconds(exp, data, probe_steps=6, n_train=50_000)
        minutes = per_epoch * exp.epochs / 60
        total += minutes
        print(f"  {exp.name:14} {per_epoch:7.1f} s/epoch x {exp.epochs:3d} epochs = {minutes:6.1f} min")
    print(f"  total (training only; evaluation adds about a minute): {total:.0f} min = "
          f"{fmt_duration(total * 60)}  (aim: within 60 min)")


if __name__ == "__main__":
    main()
