"""Train the declared experiments and keep every finished one (``xlcnn results``).

Each experiment is seeded, trained with Keras' own ``fit`` (progress bars included)
on the training set minus a held-out validation split (the learning curves), then
evaluated in inference mode on the whole training set and on the test set (used
for nothing else). Its metrics, history and model summary are saved at once in the
run folder, so after a crash or Ctrl-C ``--resume`` trains only what is missing.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Callable

import numpy as np

from ..files.atomic import atomic_write
from .cifar import Dataset
from .experiments import Experiment
from .models import architecture, build_model, compile_model, steps
from .outcome import Outcome
from .results_sheet import weights_picture, write_results

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def prepare(ds: Dataset, limit_train: int | None = None, limit_test: int | None = None, seed: int = 0):
    """Scaled float32 images and one-hot labels; optional subsets (``--quick``, tests)."""
    rng = np.random.default_rng(seed)
    xtr, ytr, xte, yte = ds.x_train, ds.y_train, ds.x_test, ds.y_test
    if limit_train and limit_train < len(xtr):
        idx = np.sort(rng.choice(len(xtr), limit_train, replace=False))
        xtr, ytr = xtr[idx], ytr[idx]
    if limit_test and limit_test < len(xte):
        idx = np.sort(rng.choice(len(xte), limit_test, replace=False))
        xte, yte = xte[idx], yte[idx]
    def onehot(y):
        return np.eye(10, dtype=np.float32)[np.asarray(y, int)]
    return (xtr.astype(np.float32) / 255.0, onehot(ytr), xte.astype(np.float32) / 255.0, onehot(yte))


class _EpochTimer:
    def __init__(self):
        import keras

        class Timer(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times: list[float] = []

            def on_epoch_begin(self, epoch, logs=None):
                self._t = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                self.times.append(time.perf_counter() - self._t)

        self.callback = Timer()


def train_one(exp: Experiment, data, folder: Path, verbose: int = 2,
              weights_picture: Callable | None = None, save: bool = True) -> Outcome:
    """Train ``exp`` on ``data`` (from :func:`prepare`); its summary (and picture) go to
    ``folder``, and with ``save`` its metrics too (``metrics.json`` marks it as done)."""
    import keras

    x_train, y_train, x_test, y_test = data
    keras.utils.set_random_seed(exp.seed)
    rng = np.random.default_rng(exp.seed)
    order = rng.permutation(len(x_train))
    n_val = max(1, int(round(len(x_train) * exp.validation_split)))
    val, fit = order[:n_val], order[n_val:]
    model = build_model(exp, x_train.shape[1:])
    compile_model(model, exp, steps(len(fit), exp.batch_size))
    timer = _EpochTimer()
    start = time.perf_counter()
    history = model.fit(x_train[fit], y_train[fit], batch_size=exp.batch_size, epochs=exp.epochs,
                        validation_data=(x_train[val], y_train[val]), shuffle=True, verbose=verbose,
                        callbacks=[timer.callback])
    total = time.perf_counter() - start
    # accuracies in inference mode (no dropout, no augmentation, batch-norm statistics)
    _, train_acc = model.evaluate(x_train, y_train, batch_size=512, verbose=0)
    _, test_acc = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    atomic_write(folder / "summary.txt", lambda t: t.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    outcome = Outcome(
        name=exp.name, title=exp.title, architecture=architecture(model), params=int(model.count_params()),
        epochs=exp.epochs, batch_size=exp.batch_size, train_accuracy=float(train_acc), test_accuracy=float(test_acc),
        seconds_per_epoch=float(np.mean(timer.callback.times[1:] or timer.callback.times)), total_seconds=float(total),
        train_images=len(fit),
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epoch_seconds=[float(t) for t in timer.callback.times],
    )
    if exp.weights_picture and weights_picture is not None:
        outcome.weights_png = weights_picture(model, folder / "weights.png")
    if save:
        outcome.save(folder)
    return outcome


class _Deferred:
    """Hold Ctrl-C back while a finished experiment and the workbook are saved, then honour it."""

    def __enter__(self):
        import signal
        import threading

        self.pending = False
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._note)
        return self

    def _note(self, signum, frame):
        self.pending = True

    def __exit__(self, *exc):
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        if self.pending and exc[0] is None:
            raise KeyboardInterrupt
        return False


def run_info(seed_note: str, source: str) -> dict[str, str]:
    import keras
    import tensorflow as tf

    return {
        "xlcnn": __import__("xlcnn").__version__,
        "keras": keras.__version__,
        "backend": f"{keras.backend.backend()} {tf.__version__} (XLA off)",
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "seed": seed_note,
        "data": source,
    }


def estimate_epoch_seconds(exp: Experiment, data, probe_steps: int = 4,
                           n_train: int | None = None) -> tuple[float, float]:
    """Seconds one epoch of ``exp`` takes here, from a few timed training steps (after a warm-up), and
    the warm-up itself (building the graph); ``n_train`` images per epoch (default: those of ``data``)."""
    import keras

    x_train, y_train = data[0], data[1]
    n = int((n_train or len(x_train)) * (1 - exp.validation_split))
    keras.utils.set_random_seed(exp.seed)
    model = build_model(exp, x_train.shape[1:])
    compile_model(model, exp, steps(n, exp.batch_size))
    batch = min(exp.batch_size, len(x_train))
    xb, yb = x_train[:batch], y_train[:batch]
    t0 = time.perf_counter()
    model.train_on_batch(xb, yb)  # builds the graph
    warmup = time.perf_counter() - t0
    t = time.perf_counter()
    for _ in range(probe_steps):
        model.train_on_batch(xb, yb)
    per_step = (time.perf_counter() - t) / probe_steps
    return per_step * steps(n, exp.batch_size), warmup


OVERHEAD_WARMUPS = 4  # fit's graph, validation, evaluation and prediction are each built once: a warm-up each


def estimate_seconds(exp: Experiment, data) -> float:
    """The whole experiment: its epochs, plus the graphs Keras builds for it (a warm-up each), which
    dominate a --quick run of one short epoch."""
    epoch, warmup = estimate_epoch_seconds(exp, data)
    return epoch * exp.epochs + OVERHEAD_WARMUPS * warmup


def fmt_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


def run_all(experiments: list[Experiment], data, run_dir: Path, workbook: Path, info: dict[str, str],
            resume: bool = False, log: Callable[[str], None] = print, verbose: int = 2) -> list[Outcome]:
    """Train every experiment not already done (with ``resume``), saving each one and the
    workbook as soon as it finishes. A KeyboardInterrupt leaves everything finished saved."""
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()  # seeded *and* reproducible
    done: dict[str, Outcome] = {}
    if resume:
        for exp in experiments:
            outcome = Outcome.load(run_dir / exp.name)
            if outcome is not None:
                done[exp.name] = outcome
    todo = [e for e in experiments if e.name not in done]
    if done:
        log(f"resuming: {len(done)} experiment(s) already done in {run_dir}: {', '.join(done)}")
    estimates = {e.name: estimate_seconds(e, data) for e in todo}
    if todo:
        log(f"estimated training time: {fmt_duration(sum(estimates.values()))} for {len(todo)} experiment(s)")
    for i, exp in enumerate(experiments, 1):
        if exp.name in done:
            continue
        left = sum(estimates[e.name] for e in todo if e.name not in done)
        log(f"[{i}/{len(experiments)}] {exp.name}: {exp.title} — {exp.epochs} epoch(s); "
            f"estimated time left: {fmt_duration(left)}")
        o = train_one(exp, data, run_dir / exp.name, verbose=verbose, weights_picture=weights_picture, save=False)
        with _Deferred():  # the experiment and the workbook are saved together, or not at all
            o.save(run_dir / exp.name)
            done[exp.name] = o
            ordered = [done[e.name] for e in experiments if e.name in done]
            write_results(workbook, ordered, info, [e.name for e in experiments if e.name not in done])
        log(f"    {exp.name}: train {100 * o.train_accuracy:.1f}%, test {100 * o.test_accuracy:.1f}%, "
            f"{o.seconds_per_epoch:.1f} s/epoch")
    ordered = [done[e.name] for e in experiments if e.name in done]
    write_results(workbook, ordered, info)
    return ordered
