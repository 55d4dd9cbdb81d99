"""Held-out TA corpus, styles B: 12 complete student notebooks for the CNN practical (PW04)
written in styles and idioms the other corpora (``ta_corpus``, ``ta_holdout``) do not contain.

PyTorch Lightning (a LightningModule wrapping the networks, ``pl.Trainer(max_epochs=N).fit``,
``self.log("train_acc", ...)`` with Lightning's tqdm bars; a second one with a
``LightningDataModule``), subclassed ``keras.Model`` (layers made in ``__init__``, applied in
``call()``), a Keras Tuner search whose best configurations are retrained, a ``tf.data``
pipeline carrying the batch size, the PyTorch tutorial's ``Net`` (``self.pool`` after every
block), skorch, a plain PyTorch loop with tqdm bars, Keras 3 fits without ``batch_size`` and
``validation_data=(x_test, y_test)`` with a ``results_df`` beside the markdown Table 1, an
Italian notebook with ``%%time`` and ``ImageDataGenerator.flow``, ``nn.ModuleList`` blocks with
a ``torchsummary`` table, ``fit(**fit_kwargs)`` with ``verbose=0`` and the history shown as a
DataFrame.

Each case is built deterministically with nbformat.v4 (cell ids "c0", "c1", ...) and carries the
report a careful TA writes.  Written from the practical and the report's specification only,
independent of the implementation it is meant to judge.  Only nbformat and the standard library.

Conventions (those of ``ta_corpus`` / ``ta_holdout``, plus the ones decided here; see also each
case's ``what``):

* the test accuracy is an evaluation on the test data (``evaluate``, ``trainer.test``,
  ``net.score(X_test, ...)``, a loop over the test loader), a printed line labelled test (a
  number in the label, "Test accuracy 1-layer: 38.41%", is no value), or -- as ``ta_corpus``
  decided (issue 34) -- the last epoch's validation accuracy when the validation data is the test
  data (``validation_data=(x_test, y_test)``, the test pipeline, Lightning's val loader being the
  test loader); a validation split of the training data (``validation_split``, Keras Tuner's
  "Best val_accuracy So Far") never gives a test accuracy; where both exist here they agree
  within the comparison's tolerance;
* the epochs are those the code asks for (``max_epochs`` of the Trainer or of skorch); the batch
  size is the one of the data the model is trained on (``DataLoader``, a DataModule's
  ``batch_size``, ``.batch(64)`` of a ``tf.data`` pipeline, ``ImageDataGenerator.flow(...,
  batch_size=64)``, skorch's ``batch_size``), Keras' default 32 when ``fit`` gets arrays and no
  batch size;
* the training accuracy is the last epoch's value as the outputs show it (Keras log, the final
  line of Lightning's or tqdm's bar, skorch's table, a displayed ``history`` DataFrame) or an
  explicit evaluation on the training data;
* ``sparse_categorical_crossentropy`` is the asked categorical cross-entropy (integer labels):
  not a ``loss`` difference; PyTorch's ``CrossEntropyLoss`` includes the softmax;
* a layer object applied several times (``self.pool`` in ``forward``/``call``) is one layer per
  application; ``print(model)`` of an ``nn.Module`` lists the modules in registration order and
  does not change the architecture read from ``forward``;
* Keras Tuner's search trials are not models of the report (the notebook shows neither their
  layers nor their accuracies); the configurations retrained with ``fit`` afterwards are;
* when a notebook shows both a markdown table headed "Table 1" and a results DataFrame without an
  architecture column, the markdown table is Table 1.
"""
from __future__ import annotations

import base64
import html
import struct
import zlib
from dataclasses import dataclass
from typing import Callable

import nbformat
from nbformat import v4


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[], nbformat.NotebookNode]
    expected: dict


# =======================================================================================
# notebook plumbing
# =======================================================================================

def _png(width: int, height: int, seed: int) -> str:
    """A small deterministic RGB PNG (weight-like tiles), base64 as Jupyter stores it."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            t = x * 10 // width
            row += bytes(((seed * 7 + 29 * t + 5 * y) % 256, (seed * 13 + 61 * t + 3 * x) % 256,
                          (seed * 3 + 47 * t + 11 * (x ^ y)) % 256))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
           + chunk(b"IEND", b""))
    return base64.b64encode(png).decode("ascii") + "\n"


def _out(text: str):
    return ("stream", "stdout", text)


def _err(text: str):
    return ("stream", "stderr", text)


def _disp(plain: str, png: str | None = None, html_text: str | None = None):
    data = {"text/plain": plain}
    if png is not None:
        data["image/png"] = png
    if html_text is not None:
        data["text/html"] = html_text
    return ("display_data", data)


def _res(plain: str, html_text: str | None = None):
    data = {"text/plain": plain}
    if html_text is not None:
        data["text/html"] = html_text
    return ("execute_result", data)


def _fig(seed: int, size: str = "1500x300", axes: int = 10, w: int = 60, h: int = 12):
    return _disp(f"<Figure size {size} with {axes} Axes>", png=_png(w, h, seed))


class _NB:
    """Collects cells; execution counts run on automatically; adjacent streams of the same
    name are merged as Jupyter saves them."""

    def __init__(self, colab: bool = False, version: str = "3.11.7"):
        self.cells: list = []
        self.count = 0
        self.colab = colab
        self.version = version

    def md(self, text: str) -> None:
        self.cells.append(v4.new_markdown_cell(text.strip("\n")))

    def code(self, src: str, *outputs, run: bool = True) -> None:
        if not run:
            self.cells.append(v4.new_code_cell(src.strip("\n"), execution_count=None, outputs=[]))
            return
        self.count += 1
        n = self.count
        merged: list = []
        for o in outputs:
            if o[0] == "stream" and merged and merged[-1][0] == "stream" and merged[-1][1] == o[1]:
                merged[-1] = ("stream", o[1], merged[-1][2] + o[2])
            else:
                merged.append(o)
        outs = []
        for o in merged:
            if o[0] == "stream":
                outs.append(v4.new_output("stream", name=o[1], text=o[2]))
            elif o[0] == "display_data":
                outs.append(v4.new_output("display_data", data=dict(o[1]), metadata={}))
            else:
                outs.append(v4.new_output("execute_result", data=dict(o[1]), metadata={},
                                          execution_count=n))
        self.cells.append(v4.new_code_cell(src.strip("\n"), execution_count=n, outputs=outs))

    def build(self) -> nbformat.NotebookNode:
        for i, cell in enumerate(self.cells):
            cell["id"] = f"c{i}"
        if self.colab:
            meta = {"accelerator": "GPU", "colab": {"provenance": [], "gpuType": "T4"},
                    "kernelspec": {"display_name": "Python 3", "name": "python3"},
                    "language_info": {"name": "python"}}
        else:
            meta = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                   "name": "python3"},
                    "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                                      "file_extension": ".py", "mimetype": "text/x-python",
                                      "name": "python", "nbconvert_exporter": "python",
                                      "pygments_lexer": "ipython3", "version": self.version}}
        nb = v4.new_notebook(cells=self.cells, metadata=meta)
        nb.nbformat, nb.nbformat_minor = 4, 5
        return nb


def _f32(x: float) -> str:
    """How Python prints a float32 metric converted to float."""
    return repr(struct.unpack("f", struct.pack("f", x))[0])


# =======================================================================================
# learning curves
# =======================================================================================

def _series(n: int, first: float, last: float, shape: float = 0.5) -> list[float]:
    """n values from first to last (last exact), concave like a learning curve."""
    if n == 1:
        return [last]
    vals = [round(first + (last - first) * ((i / (n - 1)) ** shape), 4) for i in range(n)]
    vals[-1] = last
    return vals


def _hist(n, acc, loss, val_acc=None, val_loss=None):
    a, lo = _series(n, *acc), _series(n, *loss)
    va = _series(n, *val_acc) if val_acc else [None] * n
    vl = _series(n, *val_loss) if val_loss else [None] * n
    return [{"acc": a[i], "loss": lo[i], "val_acc": va[i], "val_loss": vl[i]} for i in range(n)]


# =======================================================================================
# Keras logs
# =======================================================================================

def _k3_bar(cur: int, steps: int, ansi: bool) -> str:
    width = 20
    prog = int(width * cur / steps)
    d = len(str(steps))
    if not ansi:
        return f"{cur:>{d}}/{steps} " + "\u2501" * width
    s = f"\x1b[1m{cur:>{d}}/{steps}\x1b[0m "
    if prog > 0:
        s += "\x1b[32m" + "\u2501" * prog + "\x1b[0m"
    s += "\x1b[37m" + "\u2501" * (width - prog) + "\x1b[0m"
    return s


def _k3_t(t: str, ansi: bool) -> str:
    return f"\x1b[1m{t}\x1b[0m" if ansi else t


def _k3_metrics(acc, loss, h=None) -> str:
    s = f"accuracy: {acc:.4f} - loss: {loss:.4f}"
    if h is not None and h["val_acc"] is not None:
        s += f" - val_accuracy: {h['val_acc']:.4f} - val_loss: {h['val_loss']:.4f}"
    return s


def _k3_fit(hist, steps: int, secs: int = 4, ansi: bool = True) -> str:
    """Keras 3 fit(verbose=1): \u2501 bars redrawn with \\x08 and \\r, one final line per epoch."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    prev_acc, prev_loss = 0.1047, round(hist[0]["loss"] * 1.17, 4)
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        width = 0
        for j, cur in enumerate((1, steps // 7, steps // 2, steps - steps // 9)):
            f = cur / steps
            a = prev_acc + (h["acc"] - prev_acc) * (0.3 + 0.6 * f) - 0.0021 * (j % 2)
            lo = prev_loss + (h["loss"] - prev_loss) * (0.3 + 0.6 * f) + 0.0043 * (j % 2)
            eta = max(1, round(secs * (1 - f)))
            line = (_k3_bar(cur, steps, ansi) + " " + _k3_t(f"{eta}s", ansi)
                    + f" {ms}ms/step - " + _k3_metrics(a, lo))
            out.append(("\x08" * width + "\r") if width else "")
            out.append(line)
            width = len(line)
        line = (_k3_bar(steps, steps, ansi) + " " + _k3_t(f"{secs}s", ansi) + f" {ms}ms/step - "
                + _k3_metrics(h["acc"], h["loss"], h))
        out.append("\x08" * width + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    return "".join(out)


def _k3_fit_v2(hist, steps: int, secs: int = 3) -> str:
    """Keras 3 fit(verbose=2): one line per epoch."""
    ms = max(1, round(secs * 1000 / steps))
    return "".join(f"Epoch {e + 1}/{len(hist)}\n{steps}/{steps} - {secs}s - {ms}ms/step - "
                   f"{_k3_metrics(h['acc'], h['loss'], h)}\n" for e, h in enumerate(hist))


def _k3_eval(acc: float, loss: float, steps: int = 313, ansi: bool = True) -> str:
    out, width = [], 0
    for j, cur in enumerate((1, steps // 3, (2 * steps) // 3)):
        line = (_k3_bar(cur, steps, ansi) + " " + _k3_t("0s" if j else "1s", ansi)
                + f" 2ms/step - accuracy: {acc + 0.0093 * (3 - j):.4f} - loss: {loss - 0.0171 * (3 - j):.4f}")
        out.append(("\x08" * width + "\r") if width else "")
        out.append(line)
        width = len(line)
    line = _k3_bar(steps, steps, ansi) + " " + _k3_t("1s", ansi) + f" 2ms/step - accuracy: {acc:.4f} - loss: {loss:.4f}"
    out.append("\x08" * width + "\r" + line + "\n")
    return "".join(out)


def _k2_bar(cur: int, steps: int) -> str:
    prog = int(30 * cur / steps)
    bar = ("=" * (prog - 1) + ("=" if cur == steps else ">")) if prog > 0 else ""
    return f"{cur:>{len(str(steps))}}/{steps} [" + bar + "." * (30 - len(bar)) + "]"


def _k2_metrics(h, acc=None, loss=None) -> str:
    s = f"loss: {h['loss'] if loss is None else loss:.4f} - accuracy: {h['acc'] if acc is None else acc:.4f}"
    if acc is None and h["val_acc"] is not None:
        s += f" - val_loss: {h['val_loss']:.4f} - val_accuracy: {h['val_acc']:.4f}"
    return s


def _k2_fit(hist, steps: int, secs: int = 4) -> str:
    """tf.keras 2 fit(verbose=1): [====>....] bars with \\x08 and \\r."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    prev_acc, prev_loss = 0.0981, round(hist[0]["loss"] * 1.2, 4)
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        width = 0
        for j, cur in enumerate((1, steps // 6, steps // 2, (5 * steps) // 6)):
            f = cur / steps
            a = prev_acc + (h["acc"] - prev_acc) * (0.35 + 0.6 * f) - 0.0027 * (j % 2)
            lo = prev_loss + (h["loss"] - prev_loss) * (0.35 + 0.6 * f) + 0.0039 * (j % 2)
            line = f"{_k2_bar(cur, steps)} - ETA: {max(1, round(secs * (1 - f)))}s - {_k2_metrics(h, a, lo)}"
            out.append(("\x08" * width + "\r") if width else "")
            out.append(line)
            width = len(line)
        line = f"{_k2_bar(steps, steps)} - {secs}s {ms}ms/step - {_k2_metrics(h)}"
        out.append("\x08" * width + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    return "".join(out)


def _k2_fit_v2(hist, steps: int, secs: int = 3) -> str:
    """tf.keras 2 fit(verbose=2)."""
    ms = max(1, round(secs * 1000 / steps))
    return "".join(f"Epoch {e + 1}/{len(hist)}\n{steps}/{steps} - {secs}s - {_k2_metrics(h)} - "
                   f"{secs}s/epoch - {ms}ms/step\n" for e, h in enumerate(hist))


def _k2_eval(acc: float, loss: float, steps: int = 313) -> str:
    out, width = [], 0
    for j, cur in enumerate((1, steps // 4, steps // 2, (3 * steps) // 4)):
        line = (f"{_k2_bar(cur, steps)} - ETA: {1 if j else 2}s - loss: {loss + 0.0117 * (4 - j):.4f}"
                f" - accuracy: {acc - 0.0081 * (4 - j):.4f}")
        out.append(("\x08" * width + "\r") if width else "")
        out.append(line)
        width = len(line)
    line = f"{_k2_bar(steps, steps)} - 1s 3ms/step - loss: {loss:.4f} - accuracy: {acc:.4f}"
    out.append("\x08" * width + "\r" + line + "\n")
    return "".join(out)


_TF_STDERR = ("2024-03-20 09:41:07.118342: I tensorflow/core/util/port.cc:113] oneDNN custom "
              "operations are on. You may see slightly different numerical results due to "
              "floating-point round-off errors from different computation orders. To turn them off, "
              "set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
              "2024-03-20 09:41:07.902516: I tensorflow/core/platform/cpu_feature_guard.cc:210] "
              "This TensorFlow binary is optimized to use available CPU instructions in "
              "performance-critical operations.\nTo enable the following instructions: AVX2 "
              "AVX512F FMA, in other operations, rebuild TensorFlow with the appropriate compiler "
              "flags.\n")
_K2_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
          "170498071/170498071 [==============================] - 9s 0us/step\n")
_K3_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
          "\x1b[1m170498071/170498071\x1b[0m \x1b[32m" + "\u2501" * 20
          + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m6s\x1b[0m 0us/step\n")


# ---------------------------------------------------------------------------------------
# Keras 2 model.summary() from a layer spec
# ---------------------------------------------------------------------------------------

def _keras_rows(spec, names: dict, shape=(32, 32, 3)):
    """spec items: ("conv", filters, k, "same"|"valid") | ("pool",) | ("flat",) | ("dense", units)
    | ("drop",) | ("bn",).  Returns [(layer label, shape text, params, non-trainable)]."""
    kinds = {"conv": ("conv2d", "Conv2D"), "pool": ("max_pooling2d", "MaxPooling2D"),
             "flat": ("flatten", "Flatten"), "dense": ("dense", "Dense"),
             "drop": ("dropout", "Dropout"), "bn": ("batch_normalization", "BatchNormalization")}
    rows, cur = [], shape
    for item in spec:
        base, typ = kinds[item[0]]
        k = names.get(base, 0)
        names[base] = k + 1
        label = f"{base}_{k} ({typ})" if k else f"{base} ({typ})"
        params, nontrain = 0, 0
        if item[0] == "conv":
            f, ks, pad = item[1], item[2], item[3]
            h, w, c = cur
            if pad != "same":
                h, w = h - ks + 1, w - ks + 1
            params, cur = (ks * ks * c + 1) * f, (h, w, f)
        elif item[0] == "pool":
            cur = (cur[0] // 2, cur[1] // 2, cur[2])
        elif item[0] == "flat":
            n = 1
            for d in cur:
                n *= d
            cur = (n,)
        elif item[0] == "dense":
            params, cur = (cur[0] + 1) * item[1], (item[1],)
        elif item[0] == "bn":
            params, nontrain = 4 * cur[-1], 2 * cur[-1]
        rows.append((label, "(None, " + ", ".join(str(d) for d in cur) + ")", params, nontrain))
    return rows


def _mem(n_params: int) -> str:
    b = n_params * 4.0
    for unit in ("Byte", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.2f} {unit}"
        b /= 1024
    return ""  # pragma: no cover


def _k2_summary(name: str, rows) -> str:
    """tf.keras 2.15 model.summary() text."""
    pos = (29, 55, 65)

    def line(fields):
        s = ""
        for f, p in zip(fields, pos, strict=False):
            s = (s + f)[:p]
            s += " " * (p - len(s))
        return s

    total = sum(r[2] for r in rows)
    nontrain = sum(r[3] for r in rows)
    out = [f'Model: "{name}"', "_" * 65, line([" Layer (type)", "Output Shape", "Param #"]), "=" * 65]
    for label, shape, params, _ in rows:
        lab = " " + label
        if len(lab) > 28:
            out.append(line([lab[:28], shape, str(params)]))
            out.append(line([" " + lab[28:], "", ""]))
        else:
            out.append(line([lab, shape, str(params)]))
        out.append(" " * 65)
    out[-1:] = ["=" * 65]
    out.append(f"Total params: {total} ({_mem(total)})")
    out.append(f"Trainable params: {total - nontrain} ({_mem(total - nontrain)})")
    out.append(f"Non-trainable params: {nontrain} ({_mem(nontrain)})")
    out.append("_" * 65)
    return "\n".join(out) + "\n"


# =======================================================================================
# PyTorch outputs: reprs, tqdm and Lightning bars, torchvision, torchsummary, skorch
# =======================================================================================

def tconv(cin, cout, k, s=1, p=0):
    r = f"Conv2d({cin}, {cout}, kernel_size=({k}, {k}), stride=({s}, {s})"
    return r + (f", padding=({p}, {p}))" if p else ")")


def tbn(c):
    return f"BatchNorm2d({c}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


def tpool(k=2):
    return f"MaxPool2d(kernel_size={k}, stride={k}, padding=0, dilation=1, ceil_mode=False)"


def tlin(i, o):
    return f"Linear(in_features={i}, out_features={o}, bias=True)"


def tdrop(p):
    return f"Dropout(p={p}, inplace=False)"


def _tmod(name: str, children) -> str:
    body = []
    for key, rep in children:
        lines = rep.split("\n")
        body.append(f"  ({key}): {lines[0]}")
        body.extend("  " + ln for ln in lines[1:])
    return f"{name}(\n" + "\n".join(body) + "\n)"


_TV_VERIFIED = "Files already downloaded and verified\nFiles already downloaded and verified\n"


def _tv_download(root: str):
    return [_out(f"Downloading https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz to "
                 f"{root}/cifar-10-python.tar.gz\n"),
            _err("\r  0%|          | 0/170498071 [00:00<?, ?it/s]"
                 "\r 38%|\u2588\u2588\u2588\u258a      | 64880640/170498071 [00:04<00:06, 16532211.40it/s]"
                 "\r100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588| 170498071/170498071 "
                 "[00:10<00:00, 16281903.87it/s]\n"),
            _out(f"Extracting {root}/cifar-10-python.tar.gz to {root}\n"
                 "Files already downloaded and verified\n")]


def _tq_bar(frac: float) -> str:
    chars = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589\u2588"
    full, part = divmod(int(frac * 10 * 8), 8)
    if full >= 10:
        return "\u2588" * 10
    return "\u2588" * full + chars[part] + " " * (10 - full - 1)


def _mmss(sec: float) -> str:
    sec = int(round(sec))
    return f"{sec // 60:02d}:{sec % 60:02d}"


def _tq_line(desc: str, cur: int, total: int, secs: float, rate: float, postfix: str = "") -> str:
    frac = cur / total
    left = "?" if cur == 0 else _mmss(secs * (1 - frac))
    rate_s = "?it/s" if cur == 0 else f"{rate:.2f}it/s"
    elapsed = _mmss(secs * frac)
    return (f"{desc}: {100 * frac:3.0f}%|{_tq_bar(frac)}| {cur}/{total} "
            f"[{elapsed}<{left}, {rate_s}{postfix}]")


def _pl_fmt(x: float) -> str:
    """tqdm's format_num for a Lightning metric: three significant digits."""
    f = f"{x:.3g}"
    return f if len(f) < len(str(x)) else str(x)


def _pl_header(rows, total_params: int, with_summary: bool = True) -> str:
    head = ("GPU available: True (cuda), used: True\nTPU available: False, using: 0 TPU cores\n"
            "IPU available: False, using: 0 IPUs\nHPU available: False, using: 0 HPUs\n")
    if not with_summary:
        return head + "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n"

    def count(n: int) -> str:
        if n < 1000:
            return f"{n}  "
        digits = len(str(n))
        groups = (digits + 2) // 3
        v = n / 10 ** (3 * (groups - 1))
        unit = " KMB"[groups - 1]
        return f"{int(v):,d} {unit}" if v >= 100 else f"{v:,.1f} {unit}"

    w1 = max(len("Name"), *(len(r[0]) for r in rows))
    w2 = max(len("Type"), *(len(r[1]) for r in rows))
    w3 = max(len("Params"), *(len(count(r[2])) for r in rows))
    lines = [f"  | {'Name':<{w1}} | {'Type':<{w2}} | {'Params':<{w3}}"]
    lines.append("-" * len(lines[0]))
    for i, (n, t, p) in enumerate(rows):
        lines.append(f"{i} | {n:<{w1}} | {t:<{w2}} | {count(p):<{w3}}")
    lines.append("-" * len(lines[0]))
    tp = count(total_params)
    lines += [f"{tp:<10}Trainable params", f"{'0':<10}Non-trainable params", f"{tp:<10}Total params",
              f"{total_params * 4 / 1e6:<10.3f}Total estimated model params size (MB)"]
    return head + "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n\n" + "\n".join(lines) + "\n"


def _pl_fit(train_accs, steps: int, secs: float, v_num: int | None, val_accs=None, val_steps: int = 40,
            step_loss=None) -> str:
    """Lightning 2.x TQDMProgressBar on stderr (no ipywidgets): one main bar redrawn with \\r all
    along, the validation bar on the line below; train_acc (and val_acc) as logged with
    prog_bar=True appear in the postfix once the epoch is over."""
    parts = []
    if val_accs is not None:
        parts.append("\rSanity Checking: |          | 0/? [00:00<?, ?it/s]"
                     "\rSanity Checking DataLoader 0:   0%|          | 0/2 [00:00<?, ?it/s]"
                     "\rSanity Checking DataLoader 0: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
                     "\u2588\u2588\u2588| 2/2 [00:00<00:00, 36.81it/s]\r" + " " * 72 + "\r")
    parts.append("\rTraining: |          | 0/? [00:00<?, ?it/s]")
    rate = steps / secs
    n = len(train_accs)

    def postfix(k, end=False):  # while epoch k runs: the epoch metrics of epoch k-1
        s = "" if v_num is None else f", v_num={v_num}"
        if step_loss is not None:
            s += f", train_loss={_pl_fmt(step_loss[k])}"
        j = k if end else k - 1
        if j >= 0:
            s += f", train_acc={_pl_fmt(train_accs[j])}"
            if val_accs is not None:
                s += f", val_acc={_pl_fmt(val_accs[j])}"
        return s

    for k in range(n):
        pre = postfix(k)
        parts.append("\r" + _tq_line(f"Epoch {k}", 0, steps, secs, rate, pre))
        parts.append("\r" + _tq_line(f"Epoch {k}", steps // 2, steps, secs, rate * 0.98, pre))
        parts.append("\r" + _tq_line(f"Epoch {k}", steps, steps, secs, rate * 0.97, pre))
        if val_accs is not None:
            parts.append("\n\rValidation: |          | 0/? [00:00<?, ?it/s]"
                         f"\rValidation DataLoader 0:   0%|          | 0/{val_steps} [00:00<?, ?it/s]"
                         f"\rValidation DataLoader 0: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
                         f"\u2588\u2588\u2588| {val_steps}/{val_steps} [00:00<00:00, 97.16it/s]"
                         "\r" + " " * 72 + "\r\x1b[A")
        parts.append("\r" + _tq_line(f"Epoch {k}", steps, steps, secs, rate * 0.96, postfix(k, end=True)))
    parts.append(f"\n`Trainer.fit` stopped: `max_epochs={n}` reached.\n")
    return "".join(parts)


_PL_RULE = "\u2500" * 80


def _pl_test_table(value: float, key: str = "test_acc") -> str:
    return (f"{_PL_RULE}\n       Test metric             DataLoader 0\n{_PL_RULE}\n"
            f"{key:>16}{'':12}{_f32(value)}\n{_PL_RULE}\n")


def _pl_testing(steps: int = 40) -> str:
    return ("\rTesting: |          | 0/? [00:00<?, ?it/s]"
            f"\rTesting DataLoader 0:   0%|          | 0/{steps} [00:00<?, ?it/s]"
            f"\rTesting DataLoader 0: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
            f"\u2588| {steps}/{steps} [00:00<00:00, 88.72it/s]\n")


def _tqdm_epochs(desc_fmt: str, hist, steps: int, secs: float, keys=("acc", "loss")) -> str:
    """Plain tqdm (leave=True) over the batches of every epoch, set_postfix(loss=..., acc=...)
    (tqdm sorts the keyword arguments)."""
    out = []
    rate = steps / secs
    n = len(hist)
    prev = {"acc": 0.1012, "loss": round(hist[0]["loss"] * 1.2, 4)}
    for e, h in enumerate(hist):
        desc = desc_fmt.format(e=e + 1, n=n)
        out.append("\r" + _tq_line(desc, 0, steps, secs, rate))
        for j, cur in enumerate((steps // 4, steps // 2, (3 * steps) // 4, steps)):
            f = cur / steps
            vals = {k: (h[k] if cur == steps else prev[k] + (h[k] - prev[k]) * (0.4 + 0.55 * f)
                        + (0.0017 if k == "loss" else -0.0013) * (j % 2)) for k in keys}
            pf = ", " + ", ".join(f"{k}={vals[k]:.4f}" for k in sorted(keys))
            out.append("\r" + _tq_line(desc, cur, steps, secs, rate * (1 - 0.01 * j), pf))
        out.append("\n")
        prev = {"acc": h["acc"], "loss": h["loss"]}
    return "".join(out)


def _torchsummary(rows, input_mb: float = 0.01) -> str:
    """torchsummary.summary(model, (3, 32, 32)): rows (type, shape list without batch, params)."""
    line = "-" * 64
    out = [line, "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"), "=" * 64]
    total = 0
    total_out = 0
    for i, (typ, shape, params) in enumerate(rows, 1):
        out.append("{:>20}  {:>25} {:>15}".format(f"{typ}-{i}", str([-1] + list(shape)), f"{params:,}"))
        total += params
        n = 1
        for d in shape:
            n *= d
        total_out += n
    fwd = 2.0 * total_out * 4.0 / 1024 ** 2
    size = total * 4.0 / 1024 ** 2
    out += ["=" * 64, f"Total params: {total:,}", f"Trainable params: {total:,}",
            "Non-trainable params: 0", line, f"Input size (MB): {input_mb:0.2f}",
            f"Forward/backward pass size (MB): {fwd:0.2f}", f"Params size (MB): {size:0.2f}",
            f"Estimated Total Size (MB): {input_mb + fwd + size:0.2f}", line]
    return "\n".join(out) + "\n"


def _skorch_table(hist, secs: float) -> str:
    """skorch's PrintLog with an EpochScoring('accuracy', on_train=True, name='train_acc'):
    best values coloured (cyan for train_acc, green for train_loss)."""
    lines = ["  epoch    train_acc    train_loss     dur",
             "-------  -----------  ------------  ------"]
    best_acc, best_loss = -1.0, 99.0
    for e, h in enumerate(hist, 1):
        acc = f"{h['acc']:.4f}"
        loss = f"{h['loss']:.4f}"
        if h["acc"] > best_acc:
            best_acc, acc = h["acc"], f"\x1b[36m{acc}\x1b[0m"
        if h["loss"] < best_loss:
            best_loss, loss = h["loss"], f"\x1b[32m{loss}\x1b[0m"
        dur = secs + 0.0731 * ((e * 7) % 5) + (1.2113 if e == 1 else 0.0)
        lines.append(f"{e:>7}       {acc}        {loss}  {dur:.4f}")
    return "\n".join(lines) + "\n"


# =======================================================================================
# DataFrames, markdown tables, review questions
# =======================================================================================

def _df(columns, rows, index=None):
    """A pandas DataFrame as Jupyter saves it (text/plain + text/html); rows already formatted."""
    idx = [str(i) for i in (index if index is not None else range(len(rows)))]
    iw = max(len(x) for x in idx)
    widths = [max(len(c), *(len(r[j]) for r in rows)) for j, c in enumerate(columns)]
    text = [" " * iw + "".join("  " + c.rjust(w) for c, w in zip(columns, widths, strict=False))]
    for i, r in zip(idx, rows, strict=False):
        text.append(i.ljust(iw) + "".join("  " + v.rjust(w) for v, w in zip(r, widths, strict=False)))
    h = ['<div>', '<style scoped>', '    .dataframe tbody tr th:only-of-type {',
         '        vertical-align: middle;', '    }', '', '    .dataframe tbody tr th {',
         '        vertical-align: top;', '    }', '', '    .dataframe thead th {',
         '        text-align: right;', '    }', '</style>',
         '<table border="1" class="dataframe">', '  <thead>', '    <tr style="text-align: right;">',
         '      <th></th>']
    h += [f"      <th>{html.escape(c, quote=False)}</th>" for c in columns]
    h += ['    </tr>', '  </thead>', '  <tbody>']
    for i, r in zip(idx, rows, strict=False):
        h += ['    <tr>', f'      <th>{i}</th>']
        h += [f"      <td>{html.escape(v, quote=False)}</td>" for v in r]
        h.append('    </tr>')
    h += ['  </tbody>', '</table>', f'<p>{len(rows)} rows × {len(columns)} columns</p>' if len(rows) > 60
          else '', '</div>']
    return "\n".join(text), "\n".join(x for x in h if x != "")


def _table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":---" if i == 1 else "---:"
                                                               for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


_Q = {
    "a": "What is the difference between a Dense and a Conv2D layer in Keras?",
    "b": 'In CNN, explain what it means to "preserve the spatial structure"?',
    "c": ("In CNN, explain the different operations taking place when performing a convolution of a "
          "filter on an input, e.g. an image. How is the filter defined in terms of hyper-parameters?"),
    "d": "Define what is meant by receptive field and activation map.",
    "e": "Explain the notion of sparse connectivity and parameter sharing.",
    "f": "Explain the effect of a given stride or zero-padding value.",
    "g": "For a given configuration of a convolution layer, compute the number of parameters (weights, bias).",
    "h": "Define what is a max pooling layer and what is its role in a CNN architecture.",
}

_ANS = {
    "en": {
        "a": ("Dense multiplies the whole flattened input by one weight matrix, so every output sees "
              "every pixel; Conv2D learns small kernels that are slid over the image and reused at "
              "every location."),
        "b": ("The feature maps keep the height x width layout of the image, so pixels that are close "
              "in the image stay close in the maps; nothing is flattened before the classifier."),
        "c": ("At each position the kernel is multiplied element-wise with the patch below it (all "
              "input channels), the products are summed and the bias added, then the kernel moves by "
              "the stride. Hyper-parameters: kernel width and height, number of filters, stride and "
              "padding; the depth equals the number of input channels."),
        "d": ("The receptive field of a neuron is the part of the input image that can change its "
              "value. An activation map is the 2D result of one filter applied at all positions."),
        "e": ("Sparse connectivity: an output neuron is connected to a small local window only. "
              "Parameter sharing: the same kernel weights are used for every window, which keeps the "
              "number of parameters small."),
        "f": ("With stride S the kernel jumps S pixels, so the output is about S times smaller in "
              "each direction; zero-padding P adds P rows and columns of zeros around the input, for "
              "example P=1 keeps a 32x32 input at 32x32 with a 3x3 kernel and S=1."),
        "g": ("Parameters = (w * h * C_in + 1) * D: one weight per kernel element and input channel "
              "plus one bias per filter, e.g. (3 * 3 * 3 + 1) * 32 = 896 for our first layer."),
        "h": ("Max pooling replaces each window (2x2 here) by its largest value: the maps get half as "
              "wide and high, the next layers see a larger region and small shifts matter less."),
    },
    "fr": {
        "a": ("Une couche Dense relie toutes les entrées aplaties à chaque neurone, tandis qu'une "
              "couche Conv2D applique le même petit noyau en le faisant glisser sur toute l'image."),
        "b": ("On conserve l'organisation hauteur x largeur de l'image dans les cartes de "
              "caractéristiques : deux pixels voisins restent voisins après la convolution."),
        "c": ("À chaque position on multiplie le noyau terme à terme avec la région de l'entrée (sur "
              "tous les canaux), on fait la somme, on ajoute le biais, puis on décale le noyau du pas. "
              "Hyper-paramètres : taille du noyau, nombre de filtres, pas et padding."),
        "d": ("Le champ récepteur est la région de l'image d'entrée dont dépend la valeur d'un "
              "neurone ; une carte d'activation est la sortie d'un filtre sur toutes les positions."),
        "e": ("Connectivité locale : chaque neurone de sortie n'est relié qu'à une petite fenêtre. "
              "Partage des paramètres : le même noyau est utilisé pour toutes les fenêtres."),
        "f": ("Un pas S divise la taille de la sortie par environ S ; le zero-padding ajoute des "
              "zéros autour de l'entrée et permet par exemple de garder 32x32 avec un noyau 3x3."),
        "g": ("Nombre de paramètres = (w * h * C_in + 1) * D, soit (3 * 3 * 3 + 1) * 32 = 896 pour "
              "notre première couche de convolution."),
        "h": ("Le max pooling garde le maximum de chaque fenêtre 2x2 : les cartes sont deux fois "
              "plus petites, le calcul diminue et le réseau tolère de petits décalages."),
    },
    "de": {
        "a": ("Dense verbindet alle Eingabewerte mit jedem Neuron über eine grosse Gewichtsmatrix; "
              "Conv2D schiebt kleine Filter mit gemeinsamen Gewichten über das ganze Bild."),
        "b": ("Die Merkmalskarten behalten die Anordnung Höhe x Breite des Bildes bei, benachbarte "
              "Pixel bleiben also auch nach der Faltung benachbart."),
        "c": ("Der Filter wird auf einen Bildausschnitt gelegt, elementweise mit allen Kanälen "
              "multipliziert, aufsummiert und um den Bias ergänzt; dann wird er um den Stride "
              "verschoben. Hyperparameter: Kernelgrösse, Anzahl Filter, Stride, Padding."),
        "d": ("Das rezeptive Feld ist der Teil des Eingabebildes, der ein Neuron beeinflusst; eine "
              "Aktivierungskarte ist die Ausgabe eines einzelnen Filters über alle Positionen."),
        "e": ("Lokale Verbindungen: jedes Ausgabeneuron sieht nur ein kleines Fenster. Gemeinsame "
              "Parameter: derselbe Filter wird an jeder Position des Bildes verwendet."),
        "f": ("Ein Stride S verkleinert die Ausgabe ungefähr um den Faktor S; Zero-Padding ergänzt "
              "Nullen am Rand, damit zum Beispiel 32x32 mit einem 3x3-Kernel erhalten bleibt."),
        "g": ("Anzahl Parameter = (w * h * C_ein + 1) * D, für unsere erste Schicht also "
              "(3 * 3 * 3 + 1) * 32 = 896."),
        "h": ("Max-Pooling nimmt in jedem 2x2-Fenster den grössten Wert: die Karten werden halb so "
              "gross, es braucht weniger Rechenzeit und kleine Verschiebungen stören weniger."),
    },
    "it": {
        "a": ("Un livello Dense collega ogni valore dell'ingresso appiattito a ogni neurone, mentre "
              "Conv2D fa scorrere piccoli filtri con pesi condivisi su tutta l'immagine."),
        "b": ("Significa mantenere la disposizione altezza x larghezza dell'immagine nelle mappe: i "
              "pixel vicini restano vicini anche dopo la convoluzione."),
        "c": ("Il filtro viene posato su una regione dell'ingresso, moltiplicato elemento per elemento "
              "su tutti i canali, si sommano i prodotti e si aggiunge il bias, poi il filtro si sposta "
              "del passo. Iperparametri: dimensione del kernel, numero di filtri, passo e padding."),
        "d": ("Il campo recettivo è la zona dell'immagine che influenza un neurone; una mappa di "
              "attivazione è l'uscita di un singolo filtro applicato in tutte le posizioni."),
        "h": ("Il max pooling tiene il valore massimo di ogni finestra 2x2: dimezza larghezza e "
              "altezza delle mappe, riduce i calcoli e rende la rete più robusta a piccoli spostamenti."),
    },
}


def _review(answers: dict, heading: str, style: str = "bold") -> str:
    """One markdown cell: the copied questions a-h, each followed by the group's text (an answer
    or a non-answer); letters missing from ``answers`` are copied without any text."""
    parts = [heading, ""]
    for k in "abcdefgh":
        text = answers.get(k, "")
        if style == "bold":
            parts += [f"**{k}) {_Q[k]}**", ""] + ([text, ""] if text else [])
        elif style == "quote":
            parts += [f"{k}) {_Q[k]}"] + ([f"> {text}"] if text else []) + [""]
        else:
            parts += [f"### {k})", _Q[k], ""] + ([f"*Risposta:* {text}", ""] if text else [])
    return "\n".join(parts).rstrip() + "\n"


def _model(kind, arch, epochs, batch, train, test):
    return {"kind": kind, "architecture": arch, "epochs": epochs, "batch_size": batch,
            "train_accuracy": train, "test_accuracy": test}


def _report(framework, models, table, *, d1, wp, d2, simple, deeper, review, diffs=(), acc=()):
    return {
        "framework": framework,
        "models": models,
        "table": [{"architecture": a, "train": tr, "test": te} for a, tr, te in table],
        "checklist": {"dense_1layer": d1, "weights_plot": wp, "dense_2layer": d2,
                      "simple_cnn": simple, "deeper_cnns": deeper, "table": bool(table),
                      "review_answers": review},
        "one_layer_differences": set(diffs),
        "accusations": list(acc),
    }


A_1L = "Layer 1 : DENSE, L2=0.05"
A_1L_T = "Layer 1 : DENSE"
A_2L = "Layer 1 : DENSE 128; Layer 2 : DENSE"
A_SIMPLE_K = "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"
A_SIMPLE_T = "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE"


def _arch(*layers: str) -> str:
    return "; ".join(f"Layer {i} : {x}" for i, x in enumerate(layers, 1))


def _ck(f, k=3, s=1, p="'same'", bn=False):
    return f"CONV D={f}, w=h={k}, S={s}, P={p}" + (" + BN" if bn else "")


# =======================================================================================
# B1 — English, PyTorch Lightning: one LitClassifier wrapping every network,
#      pl.Trainer(max_epochs=N).fit(lit, train_loader, test_loader), train_acc / val_acc in
#      Lightning's tqdm bars, trainer.test tables, a fit_and_test helper for the CNNs
# =======================================================================================

_B1_ARCH = {
    "a": _arch(_ck(32, p=1), _ck(32, p=1), "MAXPOOL", _ck(64, p=1), _ck(64, p=1), "MAXPOOL", "DENSE"),
    "b": _arch(_ck(32, p=1, bn=True), _ck(32, p=1, bn=True), "MAXPOOL + DROPOUT 0.25",
               _ck(64, p=1, bn=True), _ck(64, p=1, bn=True), "MAXPOOL + DROPOUT 0.25",
               "DENSE 256 + DROPOUT 0.5", "DENSE"),
    "c": _arch(_ck(64, k=5, p=2, bn=True), "MAXPOOL", _ck(128, k=5, p=2, bn=True), "MAXPOOL",
               _ck(256, p=1, bn=True), "GLOBAL AVG POOL", "DENSE"),
}

_B1_LIT = '''
class LitClassifier(pl.LightningModule):
    """Wraps any nn.Module: Adam, cross-entropy (softmax included), L2 as Adam's weight_decay."""

    def __init__(self, net, lr=1e-3, weight_decay=0.0):
        super().__init__()
        self.save_hyperparameters(ignore=["net"])
        self.net = net
        self.train_acc = MulticlassAccuracy(num_classes=10)
        self.val_acc = MulticlassAccuracy(num_classes=10)
        self.test_acc = MulticlassAccuracy(num_classes=10)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.train_acc(logits, y)
        self.log("train_loss", loss)
        self.log("train_acc", self.train_acc, on_step=False, on_epoch=True, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.val_acc(self(x), y)
        self.log("val_acc", self.val_acc, prog_bar=True)

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.test_acc(self(x), y)
        self.log("test_acc", self.test_acc)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)'''


def _b1_rows(params):
    return [("net", "Sequential", params), ("train_acc", "MulticlassAccuracy", 0),
            ("val_acc", "MulticlassAccuracy", 0), ("test_acc", "MulticlassAccuracy", 0)]


def _b1_run(epochs, steps, secs, v_num, train, val, test, header_params=None):
    """stderr of fit (+ test) for one network whose val set is the test set."""
    tr = [h["acc"] for h in _hist(epochs, (train[0], train[1]), (2.0, 1.0))]
    va = [h["acc"] for h in _hist(epochs, (val[0], val[1]), (2.0, 1.0))]
    head = (_pl_header(_b1_rows(header_params), header_params) if header_params
            else _pl_header(None, 0, with_summary=False))
    return head + _pl_fit(tr, steps, secs, v_num, val_accs=va), test


def _build_b1() -> nbformat.NotebookNode:
    nb = _NB(version="3.11.8")
    nb.md("# PW04 – Convolutional Neural Networks with PyTorch Lightning\n\n"
          "**Group 4**: Marco Bianchi, Julie Favre\n\nExercise 1 is in the Excel file "
          "`cnn-ex1-stud.xlsx`.")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
import torchvision
import torchvision.transforms as T
import pytorch_lightning as pl
from torchmetrics.classification import MulticlassAccuracy

pl.seed_everything(42)
print(pl.__version__)""", _err("Seed set to 42\n"), _out("2.2.1\n"))
    nb.code("""
transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
train_set = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=transform)
test_set = torchvision.datasets.CIFAR10("data", train=False, download=True, transform=transform)

train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)     # dense nets
train_loader_64 = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4)   # CNNs
test_loader = DataLoader(test_set, batch_size=256, num_workers=4)""", _out(_TV_VERIFIED))
    nb.md("One `LightningModule` for all the networks. We pass the test loader as validation "
          "loader to watch it during training; the test accuracy we report is the one of "
          "`trainer.test` at the end.")
    nb.code(_B1_LIT)
    nb.md("## Exercise 2 – Shallow networks\n\n### One-layer network\n\n5 epochs, batch 128, "
          "L2 = 0.05 (weight decay), softmax inside the cross-entropy, Adam.")
    err, _ = _b1_run(5, 391, 9, 0, (0.312, 0.405), (0.341, 0.387), 0.3872, header_params=30730)
    nb.code("""
one_layer = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
lit_one = LitClassifier(one_layer, weight_decay=0.05)
trainer = pl.Trainer(max_epochs=5, accelerator="auto")
trainer.fit(lit_one, train_loader, test_loader)""", _err(err))
    nb.code("trainer.test(lit_one, test_loader)",
            _err("LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n" + _pl_testing()),
            _out(_pl_test_table(0.3872)), _res(f"[{{'test_acc': {_f32(0.3872)}}}]"))
    nb.code("""
W = lit_one.net[1].weight.detach().cpu().numpy().reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)
fig, axes = plt.subplots(1, 10, figsize=(15, 2))
for i, ax in enumerate(axes):
    w = W[i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # per RGB channel
    ax.imshow(w)
    ax.set_title(train_set.classes[i], fontsize=8)
    ax.axis("off")
plt.show()""", _fig(11, "1500x200"))
    nb.md("Horse and deer templates are brownish with a green bottom, ship and airplane mostly "
          "blue: the network learns average colours rather than shapes.\n\n### Two-layer network")
    err, _ = _b1_run(30, 391, 10, 1, (0.379, 0.578), (0.402, 0.487), 0.4866, header_params=394634)
    nb.code("""
two_layer = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
lit_two = LitClassifier(two_layer)
pl.Trainer(max_epochs=30).fit(lit_two, train_loader, test_loader)
pl.Trainer(logger=False).test(lit_two, test_loader)""",
            _err(err + _pl_header(None, 0, with_summary=False) + _pl_testing()),
            _out(_pl_test_table(0.4866)), _res(f"[{{'test_acc': {_f32(0.4866)}}}]"))
    nb.md("About 49 % on the test set, in line with the expected 45 %.\n\n"
          "## Exercise 3 – CNNs\n\nThe CNNs are trained on batches of 64 with a small helper.")
    nb.code('''
def fit_and_test(net, epochs, lr=1e-3):
    model = LitClassifier(net, lr=lr)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="auto", enable_model_summary=False)
    trainer.fit(model, train_loader_64, test_loader)
    result = trainer.test(model, test_loader, verbose=False)
    print(f"test accuracy: {result[0]['test_acc']:.4f}")
    return model''')
    runs = {}
    for key, (ep, tr, va, te, v) in {"simple": (10, (0.512, 0.743), (0.553, 0.641), 0.6413, 2),
                                     "a": (15, (0.498, 0.912), (0.561, 0.734), 0.7342, 3),
                                     "b": (20, (0.447, 0.867), (0.532, 0.812), 0.8118, 4),
                                     "c": (20, (0.471, 0.894), (0.548, 0.803), 0.8027, 5)}.items():
        err, _ = _b1_run(ep, 782, 19, v, tr, va, te)
        runs[key] = [_err(err + "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n" + _pl_testing()),
                     _out(f"test accuracy: {te:.4f}\n")]
    nb.code("""
simple_cnn = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
lit_simple = fit_and_test(simple_cnn, epochs=10)""", *runs["simple"])
    nb.md("### Deeper CNNs")
    nb.code("""
cnn_a = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(64 * 8 * 8, 10),
)
lit_a = fit_and_test(cnn_a, epochs=15)""", *runs["a"])
    nb.code("""
cnn_b = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.MaxPool2d(2), nn.Dropout(0.25),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2), nn.Dropout(0.25),
    nn.Flatten(),
    nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(256, 10),
)
lit_b = fit_and_test(cnn_b, epochs=20)""", *runs["b"])
    nb.code("""
cnn_c = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 5, padding=2), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(256, 10),
)
lit_c = fit_and_test(cnn_c, epochs=20, lr=5e-4)""", *runs["c"])
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", "Conv 32 (3x3, S=1, P=1) - MaxPool - Dense", "74.3", "64.1"),
         ("2", "2 x Conv 32 - MaxPool - 2 x Conv 64 - MaxPool - Dense", "91.2", "73.4"),
         ("3", "2 x (Conv 32 + BN) - MaxPool - Dropout 0.25 - 2 x (Conv 64 + BN) - MaxPool - "
               "Dropout 0.25 - Dense 256 - Dropout 0.5 - Dense", "86.7", "81.2"),
         ("4", "Conv 64 5x5 + BN - MaxPool - Conv 128 5x5 + BN - MaxPool - Conv 256 3x3 + BN - "
               "GAP - Dense (lr 5e-4)", "89.4", "80.3")])
        + "\n\nTrain = `train_acc` of the last epoch (progress bar), test = `trainer.test`. All CNNs: "
          "Adam, batch size 64. CNN 3 is our best configuration; CNN 2 overfits the most.")
    nb.md(_review(_ANS["en"], "## Exercise 4 – Review questions"))
    return nb.build()


_B1_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 128, 0.405, 0.3872),
    _model("dense", A_2L, 30, 128, 0.578, 0.4866),
    _model("cnn", A_SIMPLE_T, 10, 64, 0.743, 0.6413),
    _model("cnn", _B1_ARCH["a"], 15, 64, 0.912, 0.7342),
    _model("cnn", _B1_ARCH["b"], 20, 64, 0.867, 0.8118),
    _model("cnn", _B1_ARCH["c"], 20, 64, 0.894, 0.8027),
], [("Conv 32 (3x3, S=1, P=1) - MaxPool - Dense", "74.3", "64.1"),
    ("2 x Conv 32 - MaxPool - 2 x Conv 64 - MaxPool - Dense", "91.2", "73.4"),
    ("2 x (Conv 32 + BN) - MaxPool - Dropout 0.25 - 2 x (Conv 64 + BN) - MaxPool - Dropout 0.25 - "
     "Dense 256 - Dropout 0.5 - Dense", "86.7", "81.2"),
    ("Conv 64 5x5 + BN - MaxPool - Conv 128 5x5 + BN - MaxPool - Conv 256 3x3 + BN - GAP - Dense "
     "(lr 5e-4)", "89.4", "80.3")],
    d1=True, wp=True, d2=True, simple=True, deeper=3, review=8)


# =======================================================================================
# B2 — English, Keras 3, every network a subclass of keras.Model: layers made in __init__,
#      applied in call() (one MaxPooling2D object applied after each block);
#      print(f"Test accuracy 1-layer: {acc*100:.2f}%") lines with numbers in the label
# =======================================================================================

_B2_ARCH = {
    "two512": "Layer 1 : DENSE 512; Layer 2 : DENSE",
    "deep": _arch(_ck(32), _ck(32), "MAXPOOL", _ck(64), _ck(64), "MAXPOOL", "DENSE 128", "DENSE"),
    "deep64": _arch(_ck(64), _ck(64), "MAXPOOL", _ck(128), _ck(128), "MAXPOOL", "DENSE 128", "DENSE"),
    "bn": _arch(_ck(32, bn=True), "MAXPOOL", _ck(64, bn=True), "MAXPOOL", _ck(128, bn=True),
                "GLOBAL AVG POOL + DROPOUT 0.3", "DENSE"),
}


def _build_b2() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Practical Work 4 – CNNs on CIFAR-10 (Keras model subclassing)\n\n"
          "Group 12 – Nora Steiner, Ali Hassan")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

print("Keras", keras.__version__)""", _out("Keras 3.3.3\n"))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
class_names = ["airplane", "automobile", "bird", "cat", "deer",
               "dog", "frog", "horse", "ship", "truck"]""", _out(_K3_DL))
    nb.md("We write every network as a subclass of `keras.Model`: the layers are created in "
          "`__init__` and connected in `call()`, as in the PyTorch style.\n\n"
          "## Exercise 2\n\n### One-layer network")
    nb.code('''
class OneLayer(keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = layers.Flatten()
        self.classifier = layers.Dense(10, activation="softmax",
                                       kernel_regularizer=regularizers.l2(0.05))

    def call(self, inputs):
        return self.classifier(self.flatten(inputs))


model_1 = OneLayer()
model_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_1 = model_1.fit(x_train, y_train, epochs=5, batch_size=128)''',
            _out(_k3_fit(_hist(5, (0.2912, 0.3944), (2.6114, 1.9011)), 391, secs=3)))
    nb.code("""
loss, acc = model_1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy 1-layer: {acc*100:.2f}%")""", _out("Test accuracy 1-layer: 38.41%\n"))
    nb.code("""
W = model_1.classifier.kernel.numpy().reshape(32, 32, 3, 10)
fig, axes = plt.subplots(2, 5, figsize=(12, 5))
for i, ax in enumerate(axes.flat):
    w = W[..., i]
    lo = w.min(axis=(0, 1), keepdims=True)      # normalised per channel
    hi = w.max(axis=(0, 1), keepdims=True)
    ax.imshow(((w - lo) / (hi - lo) * 255).astype("uint8"))
    ax.set_title(class_names[i])
    ax.axis("off")
plt.tight_layout()
plt.show()""", _fig(23, "1200x500"))
    nb.md("### Two-layer network")
    nb.code('''
class TwoLayer(keras.Model):
    def __init__(self, hidden=128):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(hidden, activation="relu")
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.flatten(inputs)
        x = self.hidden(x)
        return self.classifier(x)


model_2 = TwoLayer()
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_2 = model_2.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
loss, acc = model_2.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy 2-layer: {acc*100:.2f}%")''',
            _out(_k3_fit_v2(_hist(30, (0.3655, 0.5631), (1.8012, 1.2299)), 391, secs=2)
                 + "Test accuracy 2-layer: 47.95%\n"))
    nb.md("Tuning: 512 hidden units instead of 128.")
    nb.code("""
model_2b = TwoLayer(hidden=512)
model_2b.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_2b = model_2b.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
loss, acc = model_2b.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy 2-layer (512 units): {acc*100:.2f}%")""",
            _out(_k3_fit_v2(_hist(30, (0.3788, 0.6890), (1.7644, 0.8861)), 391, secs=3)
                 + "Test accuracy 2-layer (512 units): 51.02%\n"))
    nb.md("## Exercise 3\n\n### Simple CNN")
    nb.code('''
class SimpleCNN(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(32, (3, 3), strides=1, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D(pool_size=(2, 2))
        self.flatten = layers.Flatten()
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.conv(inputs)
        x = self.pool(x)
        x = self.flatten(x)
        return self.classifier(x)


cnn_1 = SimpleCNN()
cnn_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_1.fit(x_train, y_train, epochs=10, batch_size=128)
loss, acc = cnn_1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy CNN 1: {acc*100:.2f}%")''',
            _out(_k3_fit(_hist(10, (0.4633, 0.7345), (1.5034, 0.7702)), 391, secs=5)
                 + "Test accuracy CNN 1: 63.87%\n"))
    nb.md("### Deeper CNNs\n\n`DeepCNN` has two blocks of two convolutions; the same pooling "
          "layer object is applied after each block (it has no weights, so one is enough).")
    nb.code('''
class DeepCNN(keras.Model):
    def __init__(self, f1=32, f2=64):
        super().__init__()
        self.conv1a = layers.Conv2D(f1, 3, padding="same", activation="relu")
        self.conv1b = layers.Conv2D(f1, 3, padding="same", activation="relu")
        self.conv2a = layers.Conv2D(f2, 3, padding="same", activation="relu")
        self.conv2b = layers.Conv2D(f2, 3, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D(2)
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(128, activation="relu")
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.conv1b(self.conv1a(inputs))
        x = self.pool(x)
        x = self.conv2b(self.conv2a(x))
        x = self.pool(x)
        x = self.flatten(x)
        x = self.hidden(x)
        return self.classifier(x)''')
    nb.code("""
cnn_2 = DeepCNN()
cnn_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_2.fit(x_train, y_train, epochs=15, batch_size=128)
loss, acc = cnn_2.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy CNN 2: {acc*100:.2f}%")""",
            _out(_k3_fit(_hist(15, (0.4521, 0.9102), (1.5211, 0.2544)), 391, secs=8)
                 + "Test accuracy CNN 2: 72.56%\n"))
    nb.code("""
cnn_3 = DeepCNN(f1=64, f2=128)
cnn_3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_3.fit(x_train, y_train, epochs=15, batch_size=128)
loss, acc = cnn_3.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy CNN 3: {acc*100:.2f}%")""",
            _out(_k3_fit(_hist(15, (0.4702, 0.9433), (1.4820, 0.1702)), 391, secs=14)
                 + "Test accuracy CNN 3: 75.08%\n"))
    nb.md("`BNCNN`: batch normalisation between each convolution and its ReLU, one pooling "
          "layer used twice, global average pooling and dropout before the classifier.")
    nb.code('''
class BNCNN(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, padding="same")
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(64, 3, padding="same")
        self.bn2 = layers.BatchNormalization()
        self.conv3 = layers.Conv2D(128, 3, padding="same")
        self.bn3 = layers.BatchNormalization()
        self.relu = layers.ReLU()
        self.pool = layers.MaxPooling2D(2)
        self.gap = layers.GlobalAveragePooling2D()
        self.dropout = layers.Dropout(0.3)
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs, training=False):
        x = self.pool(self.relu(self.bn1(self.conv1(inputs), training=training)))
        x = self.pool(self.relu(self.bn2(self.conv2(x), training=training)))
        x = self.relu(self.bn3(self.conv3(x), training=training))
        x = self.gap(x)
        x = self.dropout(x, training=training)
        return self.classifier(x)


cnn_4 = BNCNN()
cnn_4.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_4.fit(x_train, y_train, epochs=20, batch_size=64)
loss, acc = cnn_4.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy CNN 4: {acc*100:.2f}%")''',
            _out(_k3_fit(_hist(20, (0.4820, 0.8541), (1.4466, 0.4210)), 782, secs=11)
                 + "Test accuracy CNN 4: 78.73%\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_K, "73.45 %", "63.87 %"),
         ("2", _B2_ARCH["deep"], "91.02 %", "72.56 %"),
         ("3", _B2_ARCH["deep64"], "94.33 %", "75.08 %"),
         ("4", _B2_ARCH["bn"], "85.41 %", "78.73 %")])
        + "\n\nCNN 4 (batch size 64, 20 epochs) generalises best: the two `DeepCNN`s overfit "
          "strongly (about 20 points between train and test).")
    ans = {k: _ANS["en"][k] for k in "abcdef"}
    ans["g"] = "see Excel"
    nb.md(_review(ans, "## Exercise 4", style="quote"))
    return nb.build()


_B2_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 128, 0.3944, 0.3841),
    _model("dense", A_2L, 30, 128, 0.5631, 0.4795),
    _model("dense", _B2_ARCH["two512"], 30, 128, 0.6890, 0.5102),
    _model("cnn", A_SIMPLE_K, 10, 128, 0.7345, 0.6387),
    _model("cnn", _B2_ARCH["deep"], 15, 128, 0.9102, 0.7256),
    _model("cnn", _B2_ARCH["deep64"], 15, 128, 0.9433, 0.7508),
    _model("cnn", _B2_ARCH["bn"], 20, 64, 0.8541, 0.7873),
], [(A_SIMPLE_K, "73.45 %", "63.87 %"), (_B2_ARCH["deep"], "91.02 %", "72.56 %"),
    (_B2_ARCH["deep64"], "94.33 %", "75.08 %"), (_B2_ARCH["bn"], "85.41 %", "78.73 %")],
    d1=True, wp=True, d2=True, simple=True, deeper=3, review=6)


# =======================================================================================
# B3 — French, tf.keras 2 + Keras Tuner: RandomSearch over the number of blocks, the filters
#      and the dense units (validation_split), then the three best configurations rebuilt with
#      tuner.hypermodel.build(hp) and retrained in one loop; only the printed hp values and the
#      model.summary() tables tell their layers
# =======================================================================================

_B3_SPECS = {
    "t1": ((32, 64, 128), 256),
    "t2": ((64, 64, 128), 128),
    "t3": ((64, 128), 256),
}


def _b3_arch(filters, units):
    layers_ = []
    for f in filters:
        layers_ += [_ck(f), _ck(f), "MAXPOOL"]
    return _arch(*layers_, f"DENSE {units} + DROPOUT 0.5", "DENSE")


_B3_ARCH = {k: _b3_arch(*v) for k, v in _B3_SPECS.items()}

_B3_TUNER_SUMMARY = """Search space summary
Default search space size: 5
blocs (Int)
{'default': None, 'conditions': [], 'min_value': 2, 'max_value': 3, 'step': 1, 'sampling': 'linear'}
filtres_0 (Choice)
{'default': 32, 'conditions': [], 'values': [32, 64, 128], 'ordered': True}
filtres_1 (Choice)
{'default': 32, 'conditions': [], 'values': [32, 64, 128], 'ordered': True}
unites (Choice)
{'default': 128, 'conditions': [], 'values': [128, 256], 'ordered': True}
lr (Choice)
{'default': 0.001, 'conditions': [], 'values': [0.001, 0.0005], 'ordered': True}
"""


def _build_b3() -> nbformat.NotebookNode:
    nb = _NB(version="3.10.13")
    nb.md("# TP 4 – Réseaux convolutifs sur CIFAR-10 (avec Keras Tuner)\n\n"
          "Groupe 6 : Lucie Fontaine, Karim Benali")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers
import keras_tuner as kt

print(tf.__version__, kt.__version__)""", _err(_TF_STDERR), _out("2.15.0 1.4.7\n"))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
noms = ["avion", "automobile", "oiseau", "chat", "cerf", "chien", "grenouille", "cheval", "bateau", "camion"]""",
            _out(_K2_DL))
    nb.md("## Exercice 2 – Réseaux peu profonds\n\n### Réseau à une couche")
    nb.code("""
une_couche = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
une_couche.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
une_couche.fit(x_train, y_train, epochs=5, batch_size=128)
_, acc = une_couche.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {acc:.4f}")""",
            _out(_k2_fit(_hist(5, (0.3120, 0.4003), (2.5412, 1.8877)), 391, secs=3)
                 + "Précision (test) : 0.3889\n"))
    nb.code("""
W = une_couche.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(16, 2))
for i, ax in enumerate(axes):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # par canal
    ax.imshow(w)
    ax.set_title(noms[i], fontsize=8)
    ax.axis("off")
plt.show()""", _fig(37, "1600x200"))
    nb.md("### Réseau à deux couches")
    nb.code("""
deux_couches = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
deux_couches.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deux_couches.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
_, acc = deux_couches.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {acc:.4f}")""",
            _out(_k2_fit_v2(_hist(30, (0.3580, 0.5597), (1.8120, 1.2431)), 391, secs=2)
                 + "Précision (test) : 0.4831\n"))
    nb.md("## Exercice 3 – CNN\n\n### CNN simple")
    nb.code("""
cnn_simple = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=(1, 1), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_simple.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_simple.fit(x_train, y_train, epochs=10, batch_size=128, verbose=2)
_, acc = cnn_simple.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {acc:.4f}")""",
            _out(_k2_fit_v2(_hist(10, (0.4512, 0.7122), (1.5311, 0.8230)), 391, secs=5)
                 + "Précision (test) : 0.6388\n"))
    nb.md("### CNN plus profonds : recherche avec Keras Tuner\n\nPlutôt que d'essayer les "
          "architectures à la main, Keras Tuner essaie 10 configurations (5 époques, 20 % du jeu "
          "d'entraînement en validation). Les trois meilleures sont ensuite ré-entraînées sur 20 "
          "époques et évaluées sur le jeu de test.")
    nb.code('''
def construire_modele(hp):
    modele = keras.Sequential()
    modele.add(keras.Input(shape=(32, 32, 3)))
    for i in range(hp.Int("blocs", 2, 3)):
        filtres = hp.Choice(f"filtres_{i}", [32, 64, 128])
        modele.add(layers.Conv2D(filtres, 3, padding="same", activation="relu"))
        modele.add(layers.Conv2D(filtres, 3, padding="same", activation="relu"))
        modele.add(layers.MaxPooling2D(2))
    modele.add(layers.Flatten())
    modele.add(layers.Dense(hp.Choice("unites", [128, 256]), activation="relu"))
    modele.add(layers.Dropout(0.5))
    modele.add(layers.Dense(10, activation="softmax"))
    modele.compile(optimizer=keras.optimizers.Adam(hp.Choice("lr", [1e-3, 5e-4])),
                   loss="categorical_crossentropy", metrics=["accuracy"])
    return modele


tuner = kt.RandomSearch(construire_modele, objective="val_accuracy", max_trials=10, seed=1,
                        directory="kt_logs", project_name="cifar10_cnn")
tuner.search_space_summary()''', _out(_B3_TUNER_SUMMARY))
    nb.code("tuner.search(x_train, y_train, epochs=5, batch_size=128, validation_split=0.2)",
            _out(f"Trial 10 Complete [00h 01m 04s]\nval_accuracy: {_f32(0.6912)}\n\n"
                 f"Best val_accuracy So Far: {_f32(0.7274)}\nTotal elapsed time: 00h 11m 52s\n"))
    nb.code("""
meilleurs_hp = tuner.get_best_hyperparameters(num_trials=3)
for hp in meilleurs_hp:
    print(hp.values)""", _out(
        "{'blocs': 3, 'filtres_0': 32, 'filtres_1': 64, 'unites': 256, 'lr': 0.001, 'filtres_2': 128}\n"
        "{'blocs': 3, 'filtres_0': 64, 'filtres_1': 64, 'unites': 128, 'lr': 0.001, 'filtres_2': 128}\n"
        "{'blocs': 2, 'filtres_0': 64, 'filtres_1': 128, 'unites': 256, 'lr': 0.0005, 'filtres_2': 32}\n"))
    names = {"conv2d": 53, "max_pooling2d": 26, "flatten": 13, "dense": 27, "dropout": 10}
    logs = []
    for k, (key, tr0, tr, test) in enumerate((("t1", 0.4412, 0.9012, 0.7811),
                                              ("t2", 0.4621, 0.9255, 0.7702),
                                              ("t3", 0.4809, 0.9433, 0.7539)), 1):
        filters, units = _B3_SPECS[key]
        spec = []
        for f in filters:
            spec += [("conv", f, 3, "same"), ("conv", f, 3, "same"), ("pool",)]
        spec += [("flat",), ("dense", units), ("drop",), ("dense", 10)]
        rows = _keras_rows(spec, names)
        logs.append(f"===== Configuration {k} =====\n" + _k2_summary(f"sequential_{12 + k}", rows)
                    + _k2_fit_v2(_hist(20, (tr0, tr), (1.5420, 0.2650 + 0.03 * k)), 391, secs=9 + 2 * k)
                    + f"Configuration {k} : précision (train) = {tr:.4f}, précision (test) = {test:.4f}\n")
    nb.code("""
resultats = []
for rang, hp in enumerate(meilleurs_hp, start=1):
    modele = tuner.hypermodel.build(hp)
    print(f"===== Configuration {rang} =====")
    modele.summary()
    hist = modele.fit(x_train, y_train, epochs=20, batch_size=128, verbose=2)
    _, acc_test = modele.evaluate(x_test, y_test, verbose=0)
    print(f"Configuration {rang} : précision (train) = {hist.history['accuracy'][-1]:.4f}, "
          f"précision (test) = {acc_test:.4f}")
    resultats.append((rang, hist.history["accuracy"][-1], acc_test))""", _out("".join(logs)))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Précision train %", "Précision test %"),
        [("1", "CONV 32 3x3 same ; MAXPOOL ; DENSE", "71,22", "63,88"),
         ("2", "3 x [2 x CONV 3x3 same] avec 32, 64, 128 filtres, MAXPOOL après chaque bloc ; "
               "DENSE 256 + DROPOUT 0.5 ; DENSE", "90,12", "78,11"),
         ("3", "3 x [2 x CONV 3x3 same] avec 64, 64, 128 filtres, MAXPOOL après chaque bloc ; "
               "DENSE 128 + DROPOUT 0.5 ; DENSE", "92,55", "77,02"),
         ("4", "2 x [2 x CONV 3x3 same] avec 64, 128 filtres, MAXPOOL après chaque bloc ; "
               "DENSE 256 + DROPOUT 0.5 ; DENSE (lr 5e-4)", "94,33", "75,39")])
        + "\n\nToutes les convolutions : S=1, P='same', ReLU. Les trois CNN profonds sont les "
          "trois meilleures configurations de Keras Tuner, ré-entraînées 20 époques (batch 128).")
    ans = {k: _ANS["fr"][k] for k in "abcde"}
    ans["f"] = "voir cours"
    nb.md(_review(ans, "## Exercice 4 – Questions de révision"))
    return nb.build()


_B3_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 128, 0.4003, 0.3889),
    _model("dense", A_2L, 30, 128, 0.5597, 0.4831),
    _model("cnn", A_SIMPLE_K, 10, 128, 0.7122, 0.6388),
    _model("cnn", _B3_ARCH["t1"], 20, 128, 0.9012, 0.7811),
    _model("cnn", _B3_ARCH["t2"], 20, 128, 0.9255, 0.7702),
    _model("cnn", _B3_ARCH["t3"], 20, 128, 0.9433, 0.7539),
], [("CONV 32 3x3 same ; MAXPOOL ; DENSE", "71,22", "63,88"),
    ("3 x [2 x CONV 3x3 same] avec 32, 64, 128 filtres, MAXPOOL après chaque bloc ; DENSE 256 + "
     "DROPOUT 0.5 ; DENSE", "90,12", "78,11"),
    ("3 x [2 x CONV 3x3 same] avec 64, 64, 128 filtres, MAXPOOL après chaque bloc ; DENSE 128 + "
     "DROPOUT 0.5 ; DENSE", "92,55", "77,02"),
    ("2 x [2 x CONV 3x3 same] avec 64, 128 filtres, MAXPOOL après chaque bloc ; DENSE 256 + "
     "DROPOUT 0.5 ; DENSE (lr 5e-4)", "94,33", "75,39")],
    d1=True, wp=True, d2=True, simple=True, deeper=3, review=5)


# =======================================================================================
# B4 — English, TF 2.16 (Keras 3 bars), a tf.data pipeline whose .batch(64) is the batch size
#      of every fit (fit gets the dataset, no batch_size), integer labels with sparse
#      categorical cross-entropy; Table 1's first row copies the practical's example train
#      accuracy (68.2%) while the log shows 63.91%
# =======================================================================================

_B4_ARCH = {
    "d1": _arch(_ck(32), _ck(32), "MAXPOOL", _ck(64), _ck(64), "MAXPOOL", "DENSE 256", "DENSE"),
    "d2": _arch(_ck(32, bn=True), _ck(32, bn=True), "MAXPOOL + DROPOUT 0.25", _ck(64, bn=True),
                _ck(64, bn=True), "MAXPOOL + DROPOUT 0.25", "DENSE 256 + DROPOUT 0.5", "DENSE"),
}


def _build_b4() -> nbformat.NotebookNode:
    nb = _NB(version="3.12.2")
    nb.md("# PW4 – CNNs on CIFAR-10 with a tf.data input pipeline\n\nGroup 15: Tim Gerber, "
          "Sofia Marques")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

print(tf.__version__)""", _err(_TF_STDERR), _out("2.16.1\n"))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
print(x_train.shape, y_train.shape, x_test.shape, y_test.shape)""",
            _out(_K3_DL + "(50000, 32, 32, 3) (50000, 1) (10000, 32, 32, 3) (10000, 1)\n"))
    nb.md("The images are scaled inside the pipeline; the labels stay integers, so we use the "
          "*sparse* categorical cross-entropy (the same loss without one-hot vectors).")
    nb.code("""
def preprocess(image, label):
    return tf.cast(image, tf.float32) / 255.0, label

AUTOTUNE = tf.data.AUTOTUNE
train_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
            .shuffle(50_000, seed=0)
            .map(preprocess, num_parallel_calls=AUTOTUNE)
            .batch(64)
            .prefetch(AUTOTUNE))
test_ds = (tf.data.Dataset.from_tensor_slices((x_test, y_test))
           .map(preprocess)
           .batch(256)
           .prefetch(AUTOTUNE))
train_ds""", _res("<_PrefetchDataset element_spec=(TensorSpec(shape=(None, 32, 32, 3), "
                  "dtype=tf.float32, name=None), TensorSpec(shape=(None, 1), dtype=tf.uint8, "
                  "name=None))>"))
    nb.md("## Exercise 2\n\n### One-layer network")
    nb.code("""
one = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
one.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
one.fit(train_ds, epochs=5)""", _out(_k3_fit(_hist(5, (0.3011, 0.3990), (2.4910, 1.8954)), 782, secs=5)),
            _res("<keras.src.callbacks.history.History at 0x7f2a4c1b9e50>"))
    nb.code("""
test_loss, test_acc = one.evaluate(test_ds)
print(f"test accuracy: {test_acc:.4f}")""", _out(_k3_eval(0.3835, 1.8990, steps=40) + "test accuracy: 0.3835\n"))
    nb.code("""
W = one.layers[-1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(14, 2.5))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # per channel
    plt.subplot(1, 10, i + 1)
    plt.imshow(w)
    plt.axis("off")
plt.show()""", _fig(41, "1400x250"))
    nb.md("### Two-layer network")
    nb.code("""
two = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
two.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
two.fit(train_ds, epochs=30, verbose=2)
test_loss, test_acc = two.evaluate(test_ds, verbose=0)
print(f"test accuracy: {test_acc:.4f}")""",
            _out(_k3_fit_v2(_hist(30, (0.3721, 0.5864), (1.7802, 1.1693)), 782, secs=4)
                 + "test accuracy: 0.4902\n"))
    nb.md("## Exercise 3\n\n### Simple CNN\n\nFrom now on we also pass the test pipeline as "
          "validation data to follow it during training.")
    nb.code("""
cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), strides=1, padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cnn.fit(train_ds, epochs=10, validation_data=test_ds)
test_loss, test_acc = cnn.evaluate(test_ds, verbose=0)
print(f"test accuracy: {test_acc:.4f}")""",
            _out(_k3_fit(_hist(10, (0.4611, 0.6391), (1.5120, 1.0233), (0.5234, 0.6012),
                               (1.3311, 1.1290)), 782, secs=6) + "test accuracy: 0.6012\n"))
    nb.md("### Deeper CNNs")
    nb.code("""
deep1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
deep1.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
deep1.fit(train_ds, epochs=15, validation_data=test_ds)
test_loss, test_acc = deep1.evaluate(test_ds, verbose=0)
print(f"test accuracy: {test_acc:.4f}")""",
            _out(_k3_fit(_hist(15, (0.4577, 0.9288), (1.5390, 0.2011), (0.5533, 0.7377),
                               (1.2402, 1.0011)), 782, secs=10) + "test accuracy: 0.7377\n"))
    nb.code("""
deep2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(), layers.Dropout(0.25),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(), layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(256, activation="relu"), layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
deep2.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
deep2.fit(train_ds, epochs=20, validation_data=test_ds)
test_loss, test_acc = deep2.evaluate(test_ds, verbose=0)
print(f"test accuracy: {test_acc:.4f}")""",
            _out(_k3_fit(_hist(20, (0.4012, 0.8861), (1.7110, 0.3254), (0.5121, 0.8034),
                               (1.3550, 0.6011)), 782, secs=13) + "test accuracy: 0.8034\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_K, "68.2%", "60.1%"),
         ("2", _B4_ARCH["d1"], "92.9%", "73.8%"),
         ("3", _B4_ARCH["d2"], "88.6%", "80.3%")])
        + "\n\nAll with Adam and batches of 64 from the pipeline. CNN 3 is the best; without "
          "dropout (CNN 2) the network overfits.")
    ans = {k: _ANS["en"][k] for k in "abh"}
    ans.update({k: "TODO" for k in "cdefg"})
    nb.md(_review(ans, "## Exercise 4 (optional)"))
    return nb.build()


_B4_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 64, 0.3990, 0.3835),
    _model("dense", A_2L, 30, 64, 0.5864, 0.4902),
    _model("cnn", A_SIMPLE_K, 10, 64, 0.6391, 0.6012),
    _model("cnn", _B4_ARCH["d1"], 15, 64, 0.9288, 0.7377),
    _model("cnn", _B4_ARCH["d2"], 20, 64, 0.8861, 0.8034),
], [(A_SIMPLE_K, "68.2%", "60.1%"), (_B4_ARCH["d1"], "92.9%", "73.8%"),
    (_B4_ARCH["d2"], "88.6%", "80.3%")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=3, diffs={"batch_size"},
    acc=[("train", "68.2%")])


# =======================================================================================
# B5 — English, the official PyTorch tutorial adapted: nn.Module classes whose forward
#      calls self.pool after each block, "[1,   500] loss: 2.104" lines, accuracies as integer
#      percents ("Accuracy of the network on the 10000 test images: 64 %") on the train and
#      the test loader, print(net) in registration order, batch size 32 everywhere
# =======================================================================================

_B5_ARCH = {
    "net": _arch(_ck(32, p=1), "MAXPOOL", _ck(64, p=1), "MAXPOOL", _ck(128, p=1), "MAXPOOL",
                 "DENSE 256 + DROPOUT 0.5", "DENSE"),
    "netbn": _arch(_ck(64, p=1, bn=True), _ck(64, p=1, bn=True), "MAXPOOL", _ck(128, p=1, bn=True),
                   _ck(128, p=1, bn=True), "MAXPOOL", "DENSE"),
}


def _b5_log(epochs: int, loss0: float, loss1: float, train: int, test: int) -> str:
    losses = _series(3 * epochs, loss0, loss1, shape=0.45)
    lines = [f"[{e + 1}, {i:5d}] loss: {losses[3 * e + j]:.3f}"
             for e in range(epochs) for j, i in enumerate((500, 1000, 1500))]
    return ("\n".join(lines) + "\nFinished Training\n"
            f"Accuracy of the network on the 50000 train images: {train} %\n"
            f"Accuracy of the network on the 10000 test images: {test} %\n")


def _build_b5() -> nbformat.NotebookNode:
    nb = _NB(colab=True)
    nb.md("# PW 4 – CIFAR-10 with PyTorch\n\nGroup 9: Sven Olsen, Laura Bernasconi\n\nWe started "
          "from the official tutorial *Training a classifier* (pytorch.org) and adapted it to the "
          "networks of the practical.")
    nb.code("""
import torch
import torchvision
import torchvision.transforms as transforms
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import matplotlib.pyplot as plt
import numpy as np

device = torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')
print(device)""", _out("cuda:0\n"))
    nb.code("""
transform = transforms.Compose(
    [transforms.ToTensor(),
     transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

batch_size = 32

trainset = torchvision.datasets.CIFAR10(root='./data', train=True,
                                        download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size,
                                          shuffle=True, num_workers=2)

testset = torchvision.datasets.CIFAR10(root='./data', train=False,
                                       download=True, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size,
                                         shuffle=False, num_workers=2)

classes = ('plane', 'car', 'bird', 'cat',
           'deer', 'dog', 'frog', 'horse', 'ship', 'truck')""", *_tv_download("./data"))
    nb.md("The training loop of the tutorial, with Adam instead of SGD and an optional weight "
          "decay (our L2 term). `report` measures the accuracy on the training and on the test "
          "images, as in the tutorial.")
    nb.code("""
def train(net, epochs, lr=0.001, weight_decay=0.0):
    net.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    for epoch in range(epochs):  # loop over the dataset multiple times
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            # get the inputs; data is a list of [inputs, labels]
            inputs, labels = data[0].to(device), data[1].to(device)

            # zero the parameter gradients
            optimizer.zero_grad()

            # forward + backward + optimize
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()

            # print statistics
            running_loss += loss.item()
            if i % 500 == 499:    # print every 500 mini-batches
                print(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 500:.3f}')
                running_loss = 0.0
    print('Finished Training')


def accuracy(net, loader):
    correct = 0
    total = 0
    net.eval()
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in loader:
            images, labels = data[0].to(device), data[1].to(device)
            outputs = net(images)
            # the class with the highest energy is what we choose as prediction
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    net.train()
    return 100 * correct // total


def report(net):
    print(f'Accuracy of the network on the 50000 train images: {accuracy(net, trainloader)} %')
    print(f'Accuracy of the network on the 10000 test images: {accuracy(net, testloader)} %')""")
    nb.md("## Exercise 2\n\n### One-layer network (weight decay 0.05 as L2)")
    nb.code("""
class OneLayerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        return self.fc(x)


one = OneLayerNet()
train(one, epochs=5, weight_decay=0.05)
report(one)""", _out(_b5_log(5, 2.081, 1.772, 41, 39)))
    nb.code("""
w = one.fc.weight.detach().cpu().numpy().reshape(10, 3, 32, 32)
plt.figure(figsize=(15, 3))
for i in range(10):
    img = w[i].transpose(1, 2, 0)
    img = (img - img.min(axis=(0, 1))) / (img.max(axis=(0, 1)) - img.min(axis=(0, 1)))  # per channel
    plt.subplot(1, 10, i + 1)
    plt.imshow(img)
    plt.title(classes[i])
    plt.axis('off')
plt.show()""", _fig(53, "1500x300"))
    nb.md("### Two-layer network")
    nb.code("""
class TwoLayerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3 * 32 * 32, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


two = TwoLayerNet()
train(two, epochs=30)
report(two)""", _out(_b5_log(30, 1.874, 1.143, 58, 49)))
    nb.md("## Exercise 3\n\n### Simple CNN")
    nb.code("""
class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = torch.flatten(x, 1)
        return self.fc1(x)


simple = SimpleNet()
train(simple, epochs=10)
report(simple)""", _out(_b5_log(10, 1.602, 0.689, 77, 64)))
    nb.md("### Deeper CNNs\n\n`Net` follows the tutorial's network: one pooling layer, applied "
          "after each convolution.")
    nb.code("""
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(128 * 4 * 4, 256)
        self.fc2 = nn.Linear(256, 10)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = self.pool(F.relu(self.conv3(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


net = Net()
print(net)""", _out(_tmod("Net", [("conv1", tconv(3, 32, 3, 1, 1)), ("conv2", tconv(32, 64, 3, 1, 1)),
                                   ("conv3", tconv(64, 128, 3, 1, 1)), ("pool", tpool()),
                                   ("fc1", tlin(2048, 256)), ("fc2", tlin(256, 10)),
                                   ("dropout", tdrop(0.5))]) + "\n"))
    nb.code("""
train(net, epochs=15)
report(net)""", _out(_b5_log(15, 1.711, 0.342, 88, 76)))
    nb.code("""
class NetBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(64)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(64)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(128)
        self.conv4 = nn.Conv2d(128, 128, 3, padding=1)
        self.bn4 = nn.BatchNorm2d(128)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear(128 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = F.relu(self.bn3(self.conv3(x)))
        x = self.pool(F.relu(self.bn4(self.conv4(x))))
        x = torch.flatten(x, 1)
        return self.fc(x)


netbn = NetBN()
train(netbn, epochs=15)
report(netbn)""", _out(_b5_log(15, 1.402, 0.081, 97, 80)))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_T, "77 %", "64 %"),
         ("2", _B5_ARCH["net"], "88 %", "76 %"),
         ("3", _B5_ARCH["netbn"], "97 %", "80 %")])
        + "\n\nAdam, batch size 32, accuracies in whole percents as the tutorial computes them. "
          "NetBN is the best on the test set but overfits a lot.")
    ans = {k: _ANS["en"][k] for k in "abcdefg"}
    nb.md(_review(ans, "## Exercise 4 – Review questions"))
    return nb.build()


_B5_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 32, 0.41, 0.39),
    _model("dense", A_2L, 30, 32, 0.58, 0.49),
    _model("cnn", A_SIMPLE_T, 10, 32, 0.77, 0.64),
    _model("cnn", _B5_ARCH["net"], 15, 32, 0.88, 0.76),
    _model("cnn", _B5_ARCH["netbn"], 15, 32, 0.97, 0.80),
], [(A_SIMPLE_T, "77 %", "64 %"), (_B5_ARCH["net"], "88 %", "76 %"), (_B5_ARCH["netbn"], "97 %", "80 %")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=7, diffs={"batch_size"})


# =======================================================================================
# B6 — German, skorch: NeuralNetClassifier(module, max_epochs=..., batch_size=...,
#      optimizer__weight_decay=0.05), an EpochScoring callback for the training accuracy,
#      skorch's coloured epoch table, net.score(X_test, y_test), module__ arguments passed on
#      to the module's __init__
# =======================================================================================

_B6_ARCH = {
    "t4": _arch(_ck(32, p=1, bn=True), _ck(32, p=1, bn=True), "MAXPOOL + DROPOUT 0.25",
                _ck(64, p=1, bn=True), _ck(64, p=1, bn=True), "MAXPOOL + DROPOUT 0.25", "DENSE"),
    "t5": _arch(_ck(64, p=1, bn=True), _ck(64, p=1, bn=True), "MAXPOOL + DROPOUT 0.3",
                _ck(128, p=1, bn=True), _ck(128, p=1, bn=True), "MAXPOOL + DROPOUT 0.3", "DENSE"),
}


def _build_b6() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Praktikum 4 – Faltungsnetze mit skorch\n\nGruppe 3: Lena Wyss, Jonas Amrein\n\n"
          "Wir verwenden [skorch](https://skorch.readthedocs.io): PyTorch-Netze mit der "
          "scikit-learn-Schnittstelle (`fit`, `score`).")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn
import torchvision
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring

torch.manual_seed(0)""", _res("<torch._C.Generator at 0x7f61c83f2d50>"))
    nb.code("""
train_ds = torchvision.datasets.CIFAR10("daten", train=True, download=True)
test_ds = torchvision.datasets.CIFAR10("daten", train=False, download=True)
X_train = (train_ds.data / 255.0).astype(np.float32).transpose(0, 3, 1, 2)   # (50000, 3, 32, 32)
y_train = np.array(train_ds.targets, dtype=np.int64)
X_test = (test_ds.data / 255.0).astype(np.float32).transpose(0, 3, 1, 2)
y_test = np.array(test_ds.targets, dtype=np.int64)
print(X_train.shape, X_test.shape)""", *_tv_download("daten"), _out("(50000, 3, 32, 32) (10000, 3, 32, 32)\n"))
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz\n\n`train_split=None`: es wird auf allen "
          "50'000 Bildern trainiert. Die Trainingsgenauigkeit misst ein `EpochScoring`-Callback, "
          "die Testgenauigkeit `score` auf den Testdaten. Die L2-Regularisierung ist der "
          "`weight_decay` von Adam.")
    nb.code('''
class EineSchicht(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear = nn.Linear(3 * 32 * 32, 10)

    def forward(self, X):
        return self.linear(self.flatten(X))


netz1 = NeuralNetClassifier(
    EineSchicht,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    optimizer__weight_decay=0.05,
    lr=1e-3,
    max_epochs=5,
    batch_size=128,
    train_split=None,
    iterator_train__shuffle=True,
    callbacks=[EpochScoring("accuracy", on_train=True, name="train_acc", lower_is_better=False)],
    device="cuda",
)
netz1.fit(X_train, y_train)
print("Testgenauigkeit:", netz1.score(X_test, y_test))''',
            _out(_skorch_table(_hist(5, (0.3301, 0.4012), (1.9634, 1.7723)), 3.1245)
                 + "Testgenauigkeit: 0.3869\n"))
    nb.code("""
W = netz1.module_.linear.weight.detach().cpu().numpy().reshape(10, 3, 32, 32)
fig, achsen = plt.subplots(2, 5, figsize=(10, 4.5))
for i, ax in enumerate(achsen.flat):
    w = W[i].transpose(1, 2, 0)
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # pro Kanal
    ax.imshow(w)
    ax.set_title(train_ds.classes[i])
    ax.axis("off")
plt.show()""", _fig(61, "1000x450"))
    nb.md("Für die weiteren Netze eine kleine Hilfsfunktion mit denselben Einstellungen:")
    nb.code('''
def baue_netz(modul, epochen, batch_size=128, **kwargs):
    return NeuralNetClassifier(
        modul,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=epochen,
        batch_size=batch_size,
        train_split=None,
        iterator_train__shuffle=True,
        callbacks=[EpochScoring("accuracy", on_train=True, name="train_acc", lower_is_better=False)],
        device="cuda",
        **kwargs,
    )''')
    nb.md("### Zweischichtiges Netz")
    nb.code('''
class ZweiSchichten(nn.Module):
    def __init__(self, versteckt=128):
        super().__init__()
        self.netz = nn.Sequential(nn.Flatten(), nn.Linear(3072, versteckt), nn.ReLU(),
                                  nn.Linear(versteckt, 10))

    def forward(self, X):
        return self.netz(X)


netz2 = baue_netz(ZweiSchichten, 30)
netz2.fit(X_train, y_train)
print("Testgenauigkeit:", netz2.score(X_test, y_test))''',
            _out(_skorch_table(_hist(30, (0.3712, 0.6034), (1.7610, 1.1203)), 3.4012)
                 + "Testgenauigkeit: 0.4987\n"))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    nb.code('''
class EinfachesCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, X):
        X = self.pool(torch.relu(self.conv(X)))
        return self.fc(X.flatten(1))


netz3 = baue_netz(EinfachesCNN, 10)
netz3.fit(X_train, y_train)
print("Testgenauigkeit:", netz3.score(X_test, y_test))''',
            _out(_skorch_table(_hist(10, (0.4620, 0.7489), (1.4822, 0.7213)), 5.8804)
                 + "Testgenauigkeit: 0.6433\n"))
    nb.md("### Tiefere CNNs\n\nDie Argumente `module__...` gibt skorch an `__init__` des "
          "Moduls weiter; die tieferen Netze trainieren wir mit Batches von 64.")
    nb.code('''
class TiefesCNN(nn.Module):
    def __init__(self, f1=32, f2=64, dropout=0.25):
        super().__init__()
        self.merkmale = nn.Sequential(
            nn.Conv2d(3, f1, 3, padding=1), nn.BatchNorm2d(f1), nn.ReLU(),
            nn.Conv2d(f1, f1, 3, padding=1), nn.BatchNorm2d(f1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(dropout),
            nn.Conv2d(f1, f2, 3, padding=1), nn.BatchNorm2d(f2), nn.ReLU(),
            nn.Conv2d(f2, f2, 3, padding=1), nn.BatchNorm2d(f2), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(dropout),
        )
        self.klassifikator = nn.Sequential(nn.Flatten(), nn.Linear(f2 * 8 * 8, 10))

    def forward(self, X):
        return self.klassifikator(self.merkmale(X))''')
    nb.code("""
netz4 = baue_netz(TiefesCNN, 15, batch_size=64)
netz4.fit(X_train, y_train)
print("Testgenauigkeit:", netz4.score(X_test, y_test))""",
            _out(_skorch_table(_hist(15, (0.4855, 0.8977), (1.4410, 0.2902)), 14.3127)
                 + "Testgenauigkeit: 0.7916\n"))
    nb.code("""
netz5 = baue_netz(TiefesCNN, 20, batch_size=64, module__f1=64, module__f2=128, module__dropout=0.3)
netz5.fit(X_train, y_train)
print("Testgenauigkeit:", netz5.score(X_test, y_test))""",
            _out(_skorch_table(_hist(20, (0.5012, 0.9312), (1.3920, 0.1988)), 29.5533)
                 + "Testgenauigkeit: 0.8244\n"))
    nb.md("### Tabelle 1\n\n" + _table(
        ("Nr.", "Architektur", "Genauigkeit Training %", "Genauigkeit Test %"),
        [("1", "CONV 32 (3x3, S=1, P=1) - MAXPOOL - DENSE", "74,89", "64,33"),
         ("2", "2 x (CONV 32 + BN) - MAXPOOL - DROPOUT 0.25 - 2 x (CONV 64 + BN) - MAXPOOL - "
               "DROPOUT 0.25 - DENSE", "89,77", "79,16"),
         ("3", "2 x (CONV 64 + BN) - MAXPOOL - DROPOUT 0.3 - 2 x (CONV 128 + BN) - MAXPOOL - "
               "DROPOUT 0.3 - DENSE", "93,12", "82,44")])
        + "\n\nAlle Faltungen 3x3 mit Stride 1 und Padding 1; Adam, Lernrate 0.001. Netz 3 ist "
          "unser bestes Netz.")
    ans = {k: _ANS["de"][k] for k in "abcd"}
    ans.update({k: "siehe Folien" for k in "efgh"})
    nb.md(_review(ans, "## Aufgabe 4 – Verständnisfragen"))
    return nb.build()


_B6_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 128, 0.4012, 0.3869),
    _model("dense", A_2L, 30, 128, 0.6034, 0.4987),
    _model("cnn", A_SIMPLE_T, 10, 128, 0.7489, 0.6433),
    _model("cnn", _B6_ARCH["t4"], 15, 64, 0.8977, 0.7916),
    _model("cnn", _B6_ARCH["t5"], 20, 64, 0.9312, 0.8244),
], [("CONV 32 (3x3, S=1, P=1) - MAXPOOL - DENSE", "74,89", "64,33"),
    ("2 x (CONV 32 + BN) - MAXPOOL - DROPOUT 0.25 - 2 x (CONV 64 + BN) - MAXPOOL - DROPOUT 0.25 - "
     "DENSE", "89,77", "79,16"),
    ("2 x (CONV 64 + BN) - MAXPOOL - DROPOUT 0.3 - 2 x (CONV 128 + BN) - MAXPOOL - DROPOUT 0.3 - "
     "DENSE", "93,12", "82,44")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=4)


# =======================================================================================
# B7 — English, plain PyTorch loop with tqdm bars over the batches (set_postfix(loss=...,
#      acc=...), one bar left per epoch on stderr), "[deep-2] test accuracy = 0.7734" prints;
#      Table 1 inflates two cells: row 3's test accuracy and row 4's training accuracy
# =======================================================================================

_B7_ARCH = {
    "d1": _arch(_ck(32, p=1), _ck(64, p=1), "MAXPOOL", _ck(128, p=1), "MAXPOOL", "DENSE 256", "DENSE"),
    "d2": _arch(_ck(32, p=1, bn=True), _ck(32, p=1, bn=True), "MAXPOOL", _ck(64, p=1, bn=True),
                _ck(64, p=1, bn=True), "MAXPOOL", _ck(128, p=1, bn=True), _ck(128, p=1, bn=True),
                "MAXPOOL", "DENSE"),
    "d3": _arch(_ck(64, k=5, p=2, bn=True), "MAXPOOL", _ck(128, k=5, p=2, bn=True), "MAXPOOL",
                _ck(256, p=1, bn=True), "MAXPOOL + DROPOUT 0.5", "DENSE"),
}


def _build_b7() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Deep Learning PW04 – CNN (PyTorch)\n\nGroup 21 — Ethan Moser, Clara Vonlanthen")
    nb.code("""
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = "cuda" if torch.cuda.is_available() else "cpu"
norm = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
tfm = transforms.Compose([transforms.ToTensor(), norm])
train_set = datasets.CIFAR10("./cifar", train=True, download=True, transform=tfm)
test_set = datasets.CIFAR10("./cifar", train=False, download=True, transform=tfm)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4, pin_memory=True)
test_loader = DataLoader(test_set, batch_size=512, num_workers=4)
print(device, len(train_loader), len(test_loader))""", _out(_TV_VERIFIED + "cuda 391 20\n"))
    nb.code('''
def train_epochs(model, epochs, loader=train_loader, weight_decay=0.0):
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        seen = correct = 0
        total_loss = 0.0
        pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/{epochs}")
        for x, y in pbar:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            total_loss += loss.item() * y.size(0)
            correct += (out.argmax(1) == y).sum().item()
            seen += y.size(0)
            pbar.set_postfix(loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.4f}")
    return model


@torch.no_grad()
def test_accuracy(model):
    model.eval()
    correct = 0
    for x, y in test_loader:
        correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    return correct / len(test_loader.dataset)''')
    nb.md("## 1. Shallow networks")
    nb.code("""
one_layer = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
train_epochs(one_layer, 5, weight_decay=0.05)
print(f"[one-layer] test accuracy = {test_accuracy(one_layer):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(5, (0.3188, 0.4021), (1.9410, 1.7702)), 391, 7)),
            _out("[one-layer] test accuracy = 0.3903\n"))
    nb.code("""
two_layer = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
train_epochs(two_layer, 30)
print(f"[two-layer] test accuracy = {test_accuracy(two_layer):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(30, (0.3844, 0.6012), (1.7233, 1.1290)), 391, 8)),
            _out("[two-layer] test accuracy = 0.4955\n"))
    nb.md("## 2. CNNs")
    nb.code("""
simple = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
train_epochs(simple, 10)
print(f"[simple] test accuracy = {test_accuracy(simple):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(10, (0.4810, 0.7512), (1.4410, 0.7190)), 391, 9)),
            _out("[simple] test accuracy = 0.6458\n"))
    nb.code("""
deep_1 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 8 * 8, 256), nn.ReLU(),
    nn.Linear(256, 10),
)
train_epochs(deep_1, 15)
print(f"[deep-1] test accuracy = {test_accuracy(deep_1):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(15, (0.4533, 0.8734), (1.5120, 0.3592)), 391, 14)),
            _out("[deep-1] test accuracy = 0.7421\n"))
    nb.code("""
def conv_bn(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU())


deep_2 = nn.Sequential(
    conv_bn(3, 32), conv_bn(32, 32), nn.MaxPool2d(2),
    conv_bn(32, 64), conv_bn(64, 64), nn.MaxPool2d(2),
    conv_bn(64, 128), conv_bn(128, 128), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 4 * 4, 10),
)
train_epochs(deep_2, 20)
print(f"[deep-2] test accuracy = {test_accuracy(deep_2):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(20, (0.5102, 0.9188), (1.3533, 0.2340)), 391, 17)),
            _out("[deep-2] test accuracy = 0.7734\n"))
    nb.code("""
deep_3 = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 5, padding=2), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Dropout(0.5),
    nn.Linear(256 * 4 * 4, 10),
)
train_epochs(deep_3, 25)
print(f"[deep-3] test accuracy = {test_accuracy(deep_3):.4f}")""",
            _err(_tqdm_epochs("Epoch {e}/{n}", _hist(25, (0.4677, 0.9033), (1.4822, 0.2791)), 391, 21)),
            _out("[deep-3] test accuracy = 0.8102\n"))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_T, "75.1", "64.6"),
         ("2", _B7_ARCH["d1"], "87.3", "74.2"),
         ("3", _B7_ARCH["d2"], "91.9", "82.7"),
         ("4", _B7_ARCH["d3"], "95.2", "81.0")])
        + "\n\nAdam (lr 1e-3), batch size 128. The batch-normalised networks are clearly better.")
    return nb.build()


_B7_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 128, 0.4021, 0.3903),
    _model("dense", A_2L, 30, 128, 0.6012, 0.4955),
    _model("cnn", A_SIMPLE_T, 10, 128, 0.7512, 0.6458),
    _model("cnn", _B7_ARCH["d1"], 15, 128, 0.8734, 0.7421),
    _model("cnn", _B7_ARCH["d2"], 20, 128, 0.9188, 0.7734),
    _model("cnn", _B7_ARCH["d3"], 25, 128, 0.9033, 0.8102),
], [(A_SIMPLE_T, "75.1", "64.6"), (_B7_ARCH["d1"], "87.3", "74.2"), (_B7_ARCH["d2"], "91.9", "82.7"),
    (_B7_ARCH["d3"], "95.2", "81.0")],
    d1=True, wp=False, d2=True, simple=True, deeper=3, review=0,
    acc=[("test", "82.7"), ("train", "95.2")])


# =======================================================================================
# B8 — English, Keras 3 (plain \u2501 bars): fit without batch_size (1563 steps, 32 a batch) and
#      validation_data=(x_test, y_test) everywhere; only the dense nets are evaluated, the CNNs'
#      test accuracy is their last val_accuracy; a results_df DataFrame (train_acc / val_acc of
#      every run) is displayed and Table 1 is a markdown table
# =======================================================================================

_B8_ARCH = {
    "c2": _arch(_ck(32), _ck(32), "MAXPOOL + DROPOUT 0.25", _ck(64), _ck(64), "MAXPOOL + DROPOUT 0.25",
                "DENSE 512 + DROPOUT 0.5", "DENSE"),
    "c3": _arch(_ck(32, k=5, bn=True), "MAXPOOL", _ck(64, k=5, bn=True), "MAXPOOL", _ck(128, bn=True),
                "GLOBAL AVG POOL", "DENSE"),
}

_B8_RUNS = {  # name: (epochs, batch, steps, (acc0, acc), (val0, val))
    "1-layer": (5, 32, 1563, (0.3102, 0.3956), (0.3412, 0.3874)),
    "2-layer": (30, 32, 1563, (0.3710, 0.5712), (0.4033, 0.4836)),
    "CNN 1": (10, 32, 1563, (0.4701, 0.7756), (0.5522, 0.6521)),
    "CNN 2": (15, 32, 1563, (0.4122, 0.8423), (0.5230, 0.7788)),
    "CNN 3": (20, 64, 782, (0.4890, 0.8911), (0.5677, 0.8122)),
}


def _b8_log(name: str, secs: int) -> str:
    ep, _, steps, acc, val = _B8_RUNS[name]
    def loss(a):
        return round(3.0 - 2.9 * a, 4)

    return _k3_fit(_hist(ep, acc, (loss(acc[0]), loss(acc[1])), val, (loss(val[0]), loss(val[1]) + 0.05)),
                   steps, secs=secs, ansi=False)


def _build_b8() -> nbformat.NotebookNode:
    nb = _NB(version="3.11.4")
    nb.md("# PW 4 – Convolutional networks on CIFAR-10\n\nTeam 2: Mia Lehmann, Noah Dubey\n\n"
          "We pass the test set as `validation_data` to every `fit`, so the last `val_accuracy` "
          "of each run is our accuracy on the test images.")
    nb.code("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
results = []""")
    nb.md("## One-layer network")
    nb.code("""
model_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.L2(0.05)),
])
model_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = model_1.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test))
results.append({"model": "1-layer", "epochs": 5, "batch_size": 32,
                "train_acc": h.history["accuracy"][-1], "val_acc": h.history["val_accuracy"][-1]})""",
            _out(_b8_log("1-layer", 6)))
    nb.code("model_1.evaluate(x_test, y_test)", _out(_k3_eval(0.3874, 1.8925, ansi=False)),
            _res(f"[{_f32(1.8925)}, {_f32(0.3874)}]"))
    nb.code("""
W = model_1.layers[-1].kernel.numpy().reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(15, 2))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # per channel
    axes[i].imshow(w)
    axes[i].axis("off")
plt.show()""", _fig(71, "1500x200"))
    nb.md("## Two-layer network")
    nb.code("""
model_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = model_2.fit(x_train, y_train, epochs=30, validation_data=(x_test, y_test))
results.append({"model": "2-layer", "epochs": 30, "batch_size": 32,
                "train_acc": h.history["accuracy"][-1], "val_acc": h.history["val_accuracy"][-1]})
model_2.evaluate(x_test, y_test)""", _out(_b8_log("2-layer", 5) + _k3_eval(0.4836, 1.4820, ansi=False)),
            _res(f"[{_f32(1.4820)}, {_f32(0.4836)}]"))
    nb.md("## CNNs")
    nb.code("""
cnn_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, strides=1, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = cnn_1.fit(x_train, y_train, epochs=10, validation_data=(x_test, y_test))
results.append({"model": "CNN 1", "epochs": 10, "batch_size": 32,
                "train_acc": h.history["accuracy"][-1], "val_acc": h.history["val_accuracy"][-1]})""",
            _out(_b8_log("CNN 1", 9)))
    nb.code("""
cnn_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Dropout(0.25),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
cnn_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = cnn_2.fit(x_train, y_train, epochs=15, validation_data=(x_test, y_test))
results.append({"model": "CNN 2", "epochs": 15, "batch_size": 32,
                "train_acc": h.history["accuracy"][-1], "val_acc": h.history["val_accuracy"][-1]})""",
            _out(_b8_log("CNN 2", 17)))
    nb.code("""
cnn_3 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 5, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 5, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
cnn_3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = cnn_3.fit(x_train, y_train, epochs=20, batch_size=64, validation_data=(x_test, y_test))
results.append({"model": "CNN 3", "epochs": 20, "batch_size": 64,
                "train_acc": h.history["accuracy"][-1], "val_acc": h.history["val_accuracy"][-1]})""",
            _out(_b8_log("CNN 3", 12)))
    rows = [[name, str(ep), str(bs), f"{acc[1]:.6f}", f"{val[1]:.6f}"]
            for name, (ep, bs, _, acc, val) in _B8_RUNS.items()]
    text, html_text = _df(["model", "epochs", "batch_size", "train_acc", "val_acc"], rows)
    nb.code("""
results_df = pd.DataFrame(results)
results_df""", _res(text, html_text))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "77.56", "65.21"),
         ("2", "2 x CONV D=32, w=h=3, P='same'; MAXPOOL + DROPOUT 0.25; 2 x CONV D=64, w=h=3, "
               "P='same'; MAXPOOL + DROPOUT 0.25; DENSE 512 + DROPOUT 0.5; DENSE", "84.23", "77.88"),
         ("3", "CONV D=32, w=h=5, P='same' + BN; MAXPOOL; CONV D=64, w=h=5, P='same' + BN; MAXPOOL; "
               "CONV D=128, w=h=3, P='same' + BN; GLOBAL AVG POOL; DENSE", "89.11", "81.22")])
        + "\n\n(test = `val_accuracy` of the last epoch, measured on the 10'000 test images)")
    ans = {k: _ANS["en"][k] for k in "acdeh"}
    nb.md(_review(ans, "## Exercise 4 – Review questions", style="quote"))
    return nb.build()


_B8_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 32, 0.3956, 0.3874),
    _model("dense", A_2L, 30, 32, 0.5712, 0.4836),
    _model("cnn", A_SIMPLE_K, 10, 32, 0.7756, 0.6521),
    _model("cnn", _B8_ARCH["c2"], 15, 32, 0.8423, 0.7788),
    _model("cnn", _B8_ARCH["c3"], 20, 64, 0.8911, 0.8122),
], [("CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "77.56", "65.21"),
    ("2 x CONV D=32, w=h=3, P='same'; MAXPOOL + DROPOUT 0.25; 2 x CONV D=64, w=h=3, P='same'; MAXPOOL "
     "+ DROPOUT 0.25; DENSE 512 + DROPOUT 0.5; DENSE", "84.23", "77.88"),
    ("CONV D=32, w=h=5, P='same' + BN; MAXPOOL; CONV D=64, w=h=5, P='same' + BN; MAXPOOL; CONV "
     "D=128, w=h=3, P='same' + BN; GLOBAL AVG POOL; DENSE", "89.11", "81.22")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=5, diffs={"batch_size"})


# =======================================================================================
# B9 — Italian, tf.keras 2 ([====] bars and verbose=2), %%time cell magic on the training
#      cells ("CPU times ... Wall time" after the logs), print("Accuratezza sul test:", acc),
#      the best CNN trained on ImageDataGenerator.flow(x_train, y_train, batch_size=64)
# =======================================================================================

_B9_ARCH = {
    "d1": _arch(_ck(32), _ck(32), "MAXPOOL", _ck(64), _ck(64), "MAXPOOL", "DENSE"),
    "aug": _arch(_ck(32, bn=True), _ck(32, bn=True), "MAXPOOL + DROPOUT 0.2", _ck(64, bn=True),
                 _ck(64, bn=True), "MAXPOOL + DROPOUT 0.3", _ck(128, bn=True), _ck(128, bn=True),
                 "MAXPOOL + DROPOUT 0.4", "DENSE"),
}


def _walltime(user: float, sys_: float, wall: str) -> str:
    return (f"CPU times: user {user:.1f} s, sys: {sys_:.2f} s, total: {user + sys_:.1f} s\n"
            f"Wall time: {wall}\n")


def _build_b9() -> nbformat.NotebookNode:
    nb = _NB(version="3.10.12")
    nb.md("# Esercitazione 4 – Reti neurali convoluzionali (CIFAR-10)\n\n"
          "Gruppo 13: Chiara Rossi, Matteo Galli\n\nL'esercizio 1 si trova nel file Excel.")
    nb.code("""
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers
from tensorflow.keras.preprocessing.image import ImageDataGenerator""", _err(_TF_STDERR))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
classi = ["aereo", "automobile", "uccello", "gatto", "cervo", "cane", "rana", "cavallo", "nave", "camion"]""",
            _out(_K2_DL))
    nb.md("## Esercizio 2 – Reti poco profonde\n\n### Rete a un livello\n\n5 epoche, batch di "
          "128, regolarizzazione L2 (0.05), softmax, entropia incrociata categoriale, adam.")
    nb.code("""
%%time
modello_1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
modello_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
storia_1 = modello_1.fit(x_train, y_train, epochs=5, batch_size=128, verbose=1)""",
            _out(_k2_fit(_hist(5, (0.3052, 0.4011), (2.5122, 1.8871)), 391, secs=3)
                 + _walltime(31.2, 3.05, "19.8 s")))
    nb.code("""
perdita, accuratezza = modello_1.evaluate(x_test, y_test)
print("Accuratezza sul test:", accuratezza)""",
            _out(_k2_eval(0.3896, 1.8902) + f"Accuratezza sul test: {_f32(0.3896)}\n"))
    nb.code("""
pesi = modello_1.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(15, 2))
for i in range(10):
    p = pesi[:, :, :, i]
    p = (p - p.min(axis=(0, 1))) / (p.max(axis=(0, 1)) - p.min(axis=(0, 1)))   # per canale
    plt.subplot(1, 10, i + 1)
    plt.imshow(p)
    plt.title(classi[i], fontsize=8)
    plt.axis("off")
plt.show()""", _fig(83, "1500x200"))
    nb.md("### Rete a due livelli")
    nb.code("""
%%time
modello_2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
modello_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
storia_2 = modello_2.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
perdita, accuratezza = modello_2.evaluate(x_test, y_test, verbose=0)
print("Accuratezza sul test:", accuratezza)""",
            _out(_k2_fit_v2(_hist(30, (0.3612, 0.5544), (1.7952, 1.2641)), 391, secs=2)
                 + f"Accuratezza sul test: {_f32(0.4797)}\n" + _walltime(98.4, 9.71, "1min 4s")))
    nb.md("## Esercizio 3 – CNN\n\n### CNN semplice")
    nb.code("""
%%time
cnn_1 = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=(1, 1), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_1.fit(x_train, y_train, epochs=10, batch_size=128, verbose=2)
perdita, accuratezza = cnn_1.evaluate(x_test, y_test, verbose=0)
print("Accuratezza sul test:", accuratezza)""",
            _out(_k2_fit_v2(_hist(10, (0.4577, 0.7210), (1.5230, 0.8102)), 391, secs=4)
                 + f"Accuratezza sul test: {_f32(0.6344)}\n" + _walltime(52.8, 4.33, "41.7 s")))
    nb.md("### CNN più profonde")
    nb.code("""
%%time
cnn_2 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_2.fit(x_train, y_train, epochs=15, batch_size=128, verbose=2)
perdita, accuratezza = cnn_2.evaluate(x_test, y_test, verbose=0)
print("Accuratezza sul test:", accuratezza)""",
            _out(_k2_fit_v2(_hist(15, (0.4410, 0.8843), (1.5520, 0.3320)), 391, secs=7)
                 + f"Accuratezza sul test: {_f32(0.7102)}\n" + _walltime(141.6, 8.92, "1min 49s")))
    nb.md("Per l'ultima rete usiamo la *data augmentation* con `ImageDataGenerator` (spostamenti "
          "e ribaltamento orizzontale); i batch da 64 immagini vengono dal generatore.")
    nb.code("""
datagen = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1, horizontal_flip=True)
datagen.fit(x_train)

cnn_3 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", input_shape=(32, 32, 3)),
    layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.2),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.3),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.4),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])""")
    nb.code("""
%%time
storia_3 = cnn_3.fit(datagen.flow(x_train, y_train, batch_size=64), epochs=30,
                     validation_data=(x_test, y_test), verbose=2)""",
            _out(_k2_fit_v2(_hist(30, (0.3766, 0.8322), (1.8210, 0.4855), (0.4521, 0.8401),
                                  (1.5520, 0.4788)), 782, secs=21)
                 + _walltime(1088.3, 61.40, "10min 52s")))
    nb.code("""
perdita, accuratezza = cnn_3.evaluate(x_test, y_test)
print("Accuratezza sul test:", accuratezza)""",
            _out(_k2_eval(0.8401, 0.4788) + f"Accuratezza sul test: {_f32(0.8401)}\n"))
    nb.md("### Tabella 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_K, "72.1%", "63.4%"),
         ("2", _B9_ARCH["d1"], "88.4%", "71.0%"),
         ("3", _B9_ARCH["aug"] + " (data augmentation, batch 64, 30 epoche)", "83.2%", "84.0%")])
        + "\n\nLa rete 3 è la migliore: con l'augmentation l'accuratezza di training resta più "
          "bassa di quella di test.")
    ans = {k: _ANS["it"][k] for k in "abcdh"}
    ans.update({"e": "vedi slide", "g": "TODO"})
    nb.md(_review(ans, "## Esercizio 4 – Domande di ripasso", style="headed"))
    return nb.build()


_B9_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 128, 0.4011, 0.3896),
    _model("dense", A_2L, 30, 128, 0.5544, 0.4797),
    _model("cnn", A_SIMPLE_K, 10, 128, 0.7210, 0.6344),
    _model("cnn", _B9_ARCH["d1"], 15, 128, 0.8843, 0.7102),
    _model("cnn", _B9_ARCH["aug"], 30, 64, 0.8322, 0.8401),
], [(A_SIMPLE_K, "72.1%", "63.4%"), (_B9_ARCH["d1"], "88.4%", "71.0%"),
    (_B9_ARCH["aug"] + " (data augmentation, batch 64, 30 epoche)", "83.2%", "84.0%")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=5)


# =======================================================================================
# B10 — German, Lightning 2 (import lightning as L): a LightningDataModule carries the batch
#       size (128 for the dense nets, its default 64 for the CNNs), the networks are
#       LightningModule subclasses of one base class, no validation loop (train_loss and
#       train_acc in the bar), trainer.test(datamodule=...); Table 1 inflates one test cell
# =======================================================================================

def _b10_tief(widths, dropout):
    layers_ = []
    for c in widths:
        layers_ += [_ck(c, p=1, bn=True), _ck(c, p=1, bn=True), "MAXPOOL"]
    layers_[-1] = f"MAXPOOL + DROPOUT {dropout}"
    return _arch(*layers_, "DENSE")


_B10_ARCH = {
    "t1": _b10_tief((32, 64), 0.3),
    "t2": _b10_tief((32, 64, 128), 0.3),
    "t3": _b10_tief((64, 128, 256), 0.5),
}


def _de(arch: str) -> str:
    return arch.replace("Layer ", "Schicht ")


def _b10_run(epochs, steps, secs, v_num, acc, loss, test, rows=None, params=0):
    tr = [h["acc"] for h in _hist(epochs, acc, loss)]
    lo = [h["loss"] for h in _hist(epochs, (loss[0] + 0.3, loss[1] + 0.05), loss)]
    head = _pl_header(rows, params) if rows else _pl_header(None, 0, with_summary=False)
    return head + _pl_fit(tr, steps, secs, v_num, step_loss=lo) + (
        "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n" + _pl_testing(20))


def _build_b10() -> nbformat.NotebookNode:
    nb = _NB(version="3.11.9")
    nb.md("# Praktikum 4: CNNs mit Lightning\n\nGruppe 8 – Sara Huber, Luca Brunner, Tim Zaugg")
    nb.code("""
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
import torchvision
import torchvision.transforms as T
import lightning as L
import matplotlib.pyplot as plt

L.seed_everything(7)""", _err("Seed set to 7\n"), _res("7"))
    nb.code('''
class CIFAR10Daten(L.LightningDataModule):
    def __init__(self, batch_size=64):
        super().__init__()
        self.batch_size = batch_size
        self.trafo = T.Compose([T.ToTensor(), T.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])

    def prepare_data(self):
        torchvision.datasets.CIFAR10("daten", train=True, download=True)
        torchvision.datasets.CIFAR10("daten", train=False, download=True)

    def setup(self, stage=None):
        self.train = torchvision.datasets.CIFAR10("daten", train=True, transform=self.trafo)
        self.test = torchvision.datasets.CIFAR10("daten", train=False, transform=self.trafo)

    def train_dataloader(self):
        return DataLoader(self.train, batch_size=self.batch_size, shuffle=True, num_workers=4)

    def test_dataloader(self):
        return DataLoader(self.test, batch_size=500, num_workers=4)


daten128 = CIFAR10Daten(batch_size=128)   # dichte Netze
daten64 = CIFAR10Daten()                  # CNNs''')
    nb.code('''
class Basis(L.LightningModule):
    """Gemeinsame Trainings- und Testschritte: Kreuzentropie, Adam, L2 als weight_decay."""

    def __init__(self, lr=1e-3, weight_decay=0.0):
        super().__init__()
        self.lr = lr
        self.weight_decay = weight_decay

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(dim=1) == y).float().mean()
        self.log("train_loss", loss, prog_bar=True)
        self.log("train_acc", acc, on_step=False, on_epoch=True, prog_bar=True)
        return loss

    def test_step(self, batch, batch_idx):
        x, y = batch
        acc = (self(x).argmax(dim=1) == y).float().mean()
        self.log("test_acc", acc)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr, weight_decay=self.weight_decay)


def trainiere(modell, daten, epochen):
    trainer = L.Trainer(max_epochs=epochen, accelerator="gpu", devices=1, enable_model_summary=False)
    trainer.fit(modell, datamodule=daten)
    ergebnis = trainer.test(modell, datamodule=daten, verbose=False)
    print(f"Testgenauigkeit: {ergebnis[0]['test_acc']:.4f}")
    return modell''')
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz")
    nb.code('''
class EineSchicht(Basis):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fc = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        return self.fc(x.flatten(1))


eine = EineSchicht(weight_decay=0.05)
trainer = L.Trainer(max_epochs=5, accelerator="gpu", devices=1)
trainer.fit(eine, datamodule=daten128)
ergebnis = trainer.test(eine, datamodule=daten128, verbose=False)
print(f"Testgenauigkeit: {ergebnis[0]['test_acc']:.4f}")''',
            _err(_b10_run(5, 391, 8, 0, (0.322, 0.404), (1.95, 1.78), 0.3891,
                          rows=[("fc", "Linear", 30730)], params=30730)),
            _out("Testgenauigkeit: 0.3891\n"))
    nb.code("""
gewichte = eine.fc.weight.detach().cpu().reshape(10, 3, 32, 32).permute(0, 2, 3, 1).numpy()
fig, achsen = plt.subplots(1, 10, figsize=(16, 2))
for i, ax in enumerate(achsen):
    g = gewichte[i]
    g = (g - g.min(axis=(0, 1))) / (g.max(axis=(0, 1)) - g.min(axis=(0, 1)))   # pro Farbkanal
    ax.imshow(g)
    ax.axis("off")
plt.show()""", _fig(97, "1600x200"))
    nb.md("### Zweischichtiges Netz")
    nb.code('''
class ZweiSchichten(Basis):
    def __init__(self, versteckt=128, **kwargs):
        super().__init__(**kwargs)
        self.fc1 = nn.Linear(3 * 32 * 32, versteckt)
        self.fc2 = nn.Linear(versteckt, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


zwei = trainiere(ZweiSchichten(), daten128, epochen=30)''',
            _err(_b10_run(30, 391, 9, 1, (0.388, 0.571), (1.74, 1.16), 0.4822)),
            _out("Testgenauigkeit: 0.4822\n"))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    nb.code('''
class EinfachesCNN(Basis):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(x.flatten(1))


einfach = trainiere(EinfachesCNN(), daten64, epochen=10)''',
            _err(_b10_run(10, 782, 16, 2, (0.491, 0.756), (1.45, 0.71), 0.6502)),
            _out("Testgenauigkeit: 0.6502\n"))
    nb.md("### Tiefere CNNs\n\nPro Block zwei Faltungen mit Batch-Normalisierung und ein "
          "Max-Pooling; Dropout vor der letzten Schicht.")
    nb.code('''
class TiefesCNN(Basis):
    def __init__(self, kanaele=(32, 64, 128), dropout=0.3, **kwargs):
        super().__init__(**kwargs)
        bloecke, c_ein = [], 3
        for c in kanaele:
            bloecke += [nn.Conv2d(c_ein, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                        nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                        nn.MaxPool2d(2)]
            c_ein = c
        self.merkmale = nn.Sequential(*bloecke)
        seite = 32 // 2 ** len(kanaele)
        self.kopf = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(c_ein * seite * seite, 10))

    def forward(self, x):
        return self.kopf(self.merkmale(x))''')
    nb.code("tief1 = trainiere(TiefesCNN(kanaele=(32, 64)), daten64, epochen=15)",
            _err(_b10_run(15, 782, 21, 3, (0.512, 0.921), (1.38, 0.24), 0.7766)),
            _out("Testgenauigkeit: 0.7766\n"))
    nb.code("tief2 = trainiere(TiefesCNN(), daten64, epochen=20)",
            _err(_b10_run(20, 782, 25, 4, (0.498, 0.934), (1.41, 0.19), 0.7921)),
            _out("Testgenauigkeit: 0.7921\n"))
    nb.code("tief3 = trainiere(TiefesCNN(kanaele=(64, 128, 256), dropout=0.5), daten64, epochen=25)",
            _err(_b10_run(25, 782, 38, 5, (0.476, 0.912), (1.47, 0.26), 0.8233)),
            _out("Testgenauigkeit: 0.8233\n"))
    nb.md("### Tabelle 1\n\n" + _table(
        ("CNN", "Architektur", "Genauigkeit Training %", "Genauigkeit Test %"),
        [("1", _de(A_SIMPLE_T), "75,6", "65,0"),
         ("2", _de(_B10_ARCH["t1"]), "92,1", "77,7"),
         ("3", _de(_B10_ARCH["t2"]), "93,4", "83,9"),
         ("4", _de(_B10_ARCH["t3"]), "91,2", "82,3")])
        + "\n\nAdam (lr 0.001), Batchgrösse 64. Netz 3 ist unser bestes Netz.")
    nb.md(_review(_ANS["de"], "## Aufgabe 4 – Verständnisfragen"))
    return nb.build()


_B10_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 128, 0.404, 0.3891),
    _model("dense", A_2L, 30, 128, 0.571, 0.4822),
    _model("cnn", A_SIMPLE_T, 10, 64, 0.756, 0.6502),
    _model("cnn", _B10_ARCH["t1"], 15, 64, 0.921, 0.7766),
    _model("cnn", _B10_ARCH["t2"], 20, 64, 0.934, 0.7921),
    _model("cnn", _B10_ARCH["t3"], 25, 64, 0.912, 0.8233),
], [(_de(A_SIMPLE_T), "75,6", "65,0"), (_de(_B10_ARCH["t1"]), "92,1", "77,7"),
    (_de(_B10_ARCH["t2"]), "93,4", "83,9"), (_de(_B10_ARCH["t3"]), "91,2", "82,3")],
    d1=True, wp=True, d2=True, simple=True, deeper=3, review=8, acc=[("test", "83,9")])


# =======================================================================================
# B11 — French, PyTorch: blocks kept in an nn.ModuleList and applied in a loop in forward,
#       one self.pool applied after each block, torchsummary.summary(model, (3, 32, 32))
#       tables (forward order, the pooling listed each time), DataLoader batch 100
# =======================================================================================

_B11_ARCH = {
    "p1": _arch(_ck(32, p=1, bn=True), "MAXPOOL", _ck(64, p=1, bn=True), "MAXPOOL",
                _ck(128, p=1, bn=True), "MAXPOOL", "DENSE"),
    "p2": _arch(_ck(64, k=5, p=2, bn=True), "MAXPOOL", _ck(128, k=5, p=2, bn=True), "MAXPOOL", "DENSE"),
}


def _b11_summary(widths, k):
    rows, c_in, side = [], 3, 32
    for c in widths:
        rows += [("Conv2d", (c, side, side), k * k * c_in * c + c), ("BatchNorm2d", (c, side, side), 2 * c),
                 ("ReLU", (c, side, side), 0)]
        side //= 2
        rows.append(("MaxPool2d", (c, side, side), 0))
        c_in = c
    rows.append(("Linear", (10,), c_in * side * side * 10 + 10))
    return _torchsummary(rows)


def _b11_log(epochs, acc, loss, test):
    h = _hist(epochs, acc, loss)
    return ("".join(f"époque {e + 1:2d} | perte {x['loss']:.4f} | exactitude {x['acc']:.4f}\n"
                    for e, x in enumerate(h))
            + f"Exactitude sur le jeu de test : {test} %\n")


def _build_b11() -> nbformat.NotebookNode:
    nb = _NB(colab=True)
    nb.md("# TP 04 – CNN avec PyTorch\n\nGroupe 11 : Zoé Perrin, Malik Cherif")
    nb.code("!pip install -q torchsummary")
    nb.code("""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
import torchvision
import torchvision.transforms as transforms
from torchsummary import summary
import matplotlib.pyplot as plt

dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
trf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
ens_train = torchvision.datasets.CIFAR10("./donnees", train=True, download=True, transform=trf)
ens_test = torchvision.datasets.CIFAR10("./donnees", train=False, download=True, transform=trf)
chargeur_train = DataLoader(ens_train, batch_size=100, shuffle=True, num_workers=2)
chargeur_test = DataLoader(ens_test, batch_size=1000, num_workers=2)""", *_tv_download("./donnees"))
    nb.code('''
def exactitude(modele, chargeur):
    modele.eval()
    bons = total = 0
    with torch.no_grad():
        for x, y in chargeur:
            x, y = x.to(dev), y.to(dev)
            bons += (modele(x).argmax(1) == y).sum().item()
            total += y.size(0)
    return bons / total


def entrainer(modele, epoques, wd=0.0, lr=1e-3):
    modele.to(dev)
    critere = nn.CrossEntropyLoss()
    optimiseur = torch.optim.Adam(modele.parameters(), lr=lr, weight_decay=wd)
    for ep in range(epoques):
        modele.train()
        somme, bons, n = 0.0, 0, 0
        for x, y in chargeur_train:
            x, y = x.to(dev), y.to(dev)
            optimiseur.zero_grad()
            sortie = modele(x)
            perte = critere(sortie, y)
            perte.backward()
            optimiseur.step()
            somme += perte.item() * y.size(0)
            bons += (sortie.argmax(1) == y).sum().item()
            n += y.size(0)
        print(f"époque {ep + 1:2d} | perte {somme / n:.4f} | exactitude {bons / n:.4f}")''')
    nb.md("## Exercice 2\n\n### Réseau à une couche (L2 = weight decay de 0.05)")
    nb.code("""
lineaire = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
entrainer(lineaire, 5, wd=0.05)
print(f"Exactitude sur le jeu de test : {100 * exactitude(lineaire, chargeur_test):.1f} %")""",
            _out(_b11_log(5, (0.3290, 0.3998), (1.9744, 1.7810), "38.7")))
    nb.code("""
poids = lineaire[1].weight.detach().cpu().reshape(10, 3, 32, 32)
plt.figure(figsize=(15, 2))
for i in range(10):
    p = poids[i].permute(1, 2, 0)
    p = (p - p.amin(dim=(0, 1))) / (p.amax(dim=(0, 1)) - p.amin(dim=(0, 1)))   # par canal
    plt.subplot(1, 10, i + 1)
    plt.imshow(p.numpy())
    plt.title(ens_train.classes[i], fontsize=8)
    plt.axis("off")
plt.show()""", _fig(101, "1500x200"))
    nb.md("### Réseau à deux couches")
    nb.code("""
deux_couches = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
entrainer(deux_couches, 30)
print(f"Exactitude sur le jeu de test : {100 * exactitude(deux_couches, chargeur_test):.1f} %")""",
            _out(_b11_log(30, (0.3811, 0.5912), (1.7420, 1.1533), "48.9")))
    nb.md("## Exercice 3\n\n### CNN simple")
    nb.code("""
simple = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
).to(dev)
summary(simple, (3, 32, 32))""", _out(_torchsummary([("Conv2d", (32, 32, 32), 896), ("ReLU", (32, 32, 32), 0),
                                                     ("MaxPool2d", (32, 16, 16), 0), ("Flatten", (8192,), 0),
                                                     ("Linear", (10,), 81930)])))
    nb.code("""
entrainer(simple, 10)
print(f"Exactitude sur le jeu de test : {100 * exactitude(simple, chargeur_test):.1f} %")""",
            _out(_b11_log(10, (0.4706, 0.7633), (1.4833, 0.6902), "64.8")))
    nb.md("### CNN plus profonds\n\nLes blocs (convolution, normalisation, ReLU) sont rangés dans "
          "une `nn.ModuleList` ; `forward` applique le même max pooling après chaque bloc.")
    nb.code('''
class CNNProfond(nn.Module):
    def __init__(self, canaux=(32, 64, 128), noyau=3):
        super().__init__()
        self.blocs = nn.ModuleList()
        c_in = 3
        for c in canaux:
            self.blocs.append(nn.Sequential(
                nn.Conv2d(c_in, c, noyau, padding=noyau // 2), nn.BatchNorm2d(c), nn.ReLU()))
            c_in = c
        self.pool = nn.MaxPool2d(2)
        cote = 32 // 2 ** len(canaux)
        self.sortie = nn.Linear(c_in * cote * cote, 10)

    def forward(self, x):
        for bloc in self.blocs:
            x = self.pool(bloc(x))
        return self.sortie(torch.flatten(x, 1))


profond1 = CNNProfond().to(dev)
summary(profond1, (3, 32, 32))''', _out(_b11_summary((32, 64, 128), 3)))
    nb.code("""
entrainer(profond1, 15)
print(f"Exactitude sur le jeu de test : {100 * exactitude(profond1, chargeur_test):.1f} %")""",
            _out(_b11_log(15, (0.5133, 0.8845), (1.3620, 0.3322), "76.1")))
    nb.code("""
profond2 = CNNProfond(canaux=(64, 128), noyau=5).to(dev)
summary(profond2, (3, 32, 32))""", _out(_b11_summary((64, 128), 5)))
    nb.code("""
entrainer(profond2, 15)
print(f"Exactitude sur le jeu de test : {100 * exactitude(profond2, chargeur_test):.1f} %")""",
            _out(_b11_log(15, (0.4902, 0.9120), (1.4211, 0.2511), "74.4")))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Précision entraînement %", "Précision test %"),
        [("1", "CONV D=32, w=h=3, S=1, P=1 ; MAXPOOL ; DENSE", "76,33", "64,8"),
         ("2", "CONV D=32 + BN ; MAXPOOL ; CONV D=64 + BN ; MAXPOOL ; CONV D=128 + BN ; MAXPOOL ; "
               "DENSE (noyaux 3x3, P=1)", "88,45", "76,1"),
         ("3", "CONV D=64, w=h=5, P=2 + BN ; MAXPOOL ; CONV D=128, w=h=5, P=2 + BN ; MAXPOOL ; DENSE",
          "91,20", "74,4")])
        + "\n\nAdam, batchs de 100 images. Le CNN 2 généralise le mieux.")
    ans = {k: _ANS["fr"][k] for k in "abcdef"}
    ans["g"] = "voir Excel"
    nb.md(_review(ans, "## Exercice 4 – Questions de révision", style="quote"))
    return nb.build()


_B11_EXPECTED = _report("pytorch", [
    _model("dense", A_1L_T, 5, 100, 0.3998, 0.387),
    _model("dense", A_2L, 30, 100, 0.5912, 0.489),
    _model("cnn", A_SIMPLE_T, 10, 100, 0.7633, 0.648),
    _model("cnn", _B11_ARCH["p1"], 15, 100, 0.8845, 0.761),
    _model("cnn", _B11_ARCH["p2"], 15, 100, 0.9120, 0.744),
], [("CONV D=32, w=h=3, S=1, P=1 ; MAXPOOL ; DENSE", "76,33", "64,8"),
    ("CONV D=32 + BN ; MAXPOOL ; CONV D=64 + BN ; MAXPOOL ; CONV D=128 + BN ; MAXPOOL ; DENSE "
     "(noyaux 3x3, P=1)", "88,45", "76,1"),
    ("CONV D=64, w=h=5, P=2 + BN ; MAXPOOL ; CONV D=128, w=h=5, P=2 + BN ; MAXPOOL ; DENSE", "91,20",
     "74,4")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=6, diffs={"batch_size"})


# =======================================================================================
# B12 — English, tf.keras 2, every fit silent: model.fit(..., **FIT_KWARGS) with
#       FIT_KWARGS = dict(batch_size=128, verbose=0) and dict(FIT_KWARGS, batch_size=64) for the
#       deeper CNNs; the one-layer net's history shown as a DataFrame, the others through a
#       run() helper printing "name: train 0.7301 | test 0.6402"
# =======================================================================================

_B12_ARCH = {
    "a": _arch(_ck(32), _ck(32), "MAXPOOL", _ck(64), _ck(64), "MAXPOOL", _ck(128), _ck(128), "MAXPOOL",
               "DENSE 128", "DENSE"),
    "b": _arch("CONV D=64, w=h=3, S=1, P='same', L2=0.001 + BN", "CONV D=64, w=h=3, S=1, P='same', L2=0.001 + BN",
               "MAXPOOL", "CONV D=128, w=h=3, S=1, P='same', L2=0.001 + BN",
               "CONV D=128, w=h=3, S=1, P='same', L2=0.001 + BN", "MAXPOOL", "GLOBAL AVG POOL", "DENSE"),
}


def _build_b12() -> nbformat.NotebookNode:
    nb = _NB(version="3.10.14")
    nb.md("# PW04 – CNN\n\nGroup 17: Amira Haddad, Jan Kowalski\n\nTo keep the notebook short "
          "every `fit` runs with `verbose=0`; the histories are shown as tables.")
    nb.code("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

FIT_KWARGS = dict(batch_size=128, verbose=0)""", _err(_TF_STDERR))
    nb.md("## Exercise 2 – one-layer network")
    nb.code("""
one = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
], name="one_layer")
one.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h1 = one.fit(x_train, y_train, epochs=5, **FIT_KWARGS)
pd.DataFrame(h1.history).tail(1)""", _res(*_df(["loss", "accuracy"], [["1.888412", "0.402340"]], index=[4])))
    nb.code("one.evaluate(x_test, y_test, verbose=0)", _res(f"[{_f32(1.8790)}, {_f32(0.3911)}]"))
    nb.code("""
W = one.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(15, 2))
for i, ax in enumerate(axes):
    w = W[..., i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))   # each colour channel
    ax.imshow(w)
    ax.axis("off")
plt.show()""", _fig(113, "1500x200"))
    nb.md("For the other networks a helper compiles, fits, evaluates on the test set and prints "
          "both accuracies.")
    nb.code('''
def run(model, epochs, **kwargs):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(x_train, y_train, epochs=epochs, **kwargs)
    _, test_acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"{model.name}: train {h.history['accuracy'][-1]:.4f} | test {test_acc:.4f}")
    return h''')
    nb.md("## Two-layer network")
    nb.code("""
two = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
], name="two_layer")
h2 = run(two, 30, **FIT_KWARGS)""", _out("two_layer: train 0.5623 | test 0.4877\n"))
    nb.md("## Exercise 3 – CNNs")
    nb.code("""
simple = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=1, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
], name="simple_cnn")
h3 = run(simple, 10, **FIT_KWARGS)""", _out("simple_cnn: train 0.7301 | test 0.6402\n"))
    nb.md("The deeper CNNs are trained with batches of 64.")
    nb.code("""
cnn_kwargs = dict(FIT_KWARGS, batch_size=64)

deep_a = keras.Sequential([
    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same", activation="relu"),
    layers.Conv2D(128, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
], name="deep_a")
h4 = run(deep_a, 15, **cnn_kwargs)""", _out("deep_a: train 0.9077 | test 0.7655\n"))
    nb.code("""
l2 = regularizers.l2(0.001)
deep_b = keras.Sequential([
    layers.Conv2D(64, 3, padding="same", kernel_regularizer=l2, input_shape=(32, 32, 3)),
    layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, 3, padding="same", kernel_regularizer=l2),
    layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same", kernel_regularizer=l2),
    layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(128, 3, padding="same", kernel_regularizer=l2),
    layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
], name="deep_b")
h5 = run(deep_b, 20, **cnn_kwargs)""", _out("deep_b: train 0.8934 | test 0.8190\n"))
    nb.code("""
pd.DataFrame(h5.history)[["accuracy"]].plot(title="deep_b – training accuracy")
plt.show()""", _disp("<Figure size 640x480 with 1 Axes>", png=_png(24, 16, 7)))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", A_SIMPLE_K, "73 %", "64 %"),
         ("2", "3 x [2 x CONV D=f, w=h=3, S=1, P='same'; MAXPOOL] with f = 32, 64, 128; DENSE 128; "
               "DENSE", "91 %", "77 %"),
         ("3", "2 x [2 x (CONV D=f, w=h=3, S=1, P='same', L2=0.001 + BN); MAXPOOL] with f = 64, 128; "
               "GLOBAL AVG POOL; DENSE", "89 %", "82 %")])
        + "\n\n(rounded to whole percents; CNNs 2 and 3 with batch size 64)")
    nb.md(_review({"a": _ANS["en"]["a"], "h": _ANS["en"]["h"]}, "## Exercise 4"))
    return nb.build()


_B12_EXPECTED = _report("keras", [
    _model("dense", A_1L, 5, 128, 0.4023, 0.3911),
    _model("dense", A_2L, 30, 128, 0.5623, 0.4877),
    _model("cnn", A_SIMPLE_K, 10, 128, 0.7301, 0.6402),
    _model("cnn", _B12_ARCH["a"], 15, 64, 0.9077, 0.7655),
    _model("cnn", _B12_ARCH["b"], 20, 64, 0.8934, 0.8190),
], [(A_SIMPLE_K, "73 %", "64 %"),
    ("3 x [2 x CONV D=f, w=h=3, S=1, P='same'; MAXPOOL] with f = 32, 64, 128; DENSE 128; DENSE",
     "91 %", "77 %"),
    ("2 x [2 x (CONV D=f, w=h=3, S=1, P='same', L2=0.001 + BN); MAXPOOL] with f = 64, 128; "
     "GLOBAL AVG POOL; DENSE", "89 %", "82 %")],
    d1=True, wp=True, d2=True, simple=True, deeper=2, review=2)


# =======================================================================================
# the corpus
# =======================================================================================

CASES: list[Case] = [
    Case("b1_en_lightning_litmodule",
         "PyTorch Lightning, English: one LitClassifier wraps every nn.Sequential, "
         "pl.Trainer(max_epochs=N).fit(lit, loader, test_loader) inline, chained and inside a "
         "fit_and_test helper; epochs = max_epochs, batch = the fitted DataLoader (128 dense, 64 "
         "CNNs); train accuracy = train_acc of the last epoch's final bar line (three significant "
         "digits, the lines before show the previous epoch's values), test = trainer.test (the "
         "val_acc of the test loader agrees within rounding); Adam weight_decay=0.05 passed "
         "through LitClassifier's hparams is the L2 term; honest",
         _build_b1, _B1_EXPECTED),
    Case("b2_en_keras_subclassed_call",
         "Keras 3 subclassed keras.Model, layers made in __init__ and applied in call(); the one "
         "MaxPooling2D object applied after each block counts once per application (two "
         "MAXPOOL layers), a shared ReLU layer is an activation; TwoLayer(hidden=512) is a "
         "separate 2-layer run; test accuracy from print(f\"Test accuracy 1-layer: ...%\") lines "
         "whose labels hold numbers (1-layer, 2-layer (512 units), CNN 3); honest, 6 answers",
         _build_b2, _B2_EXPECTED),
    Case("b3_fr_keras_tuner_retrain",
         "tf.keras 2 + Keras Tuner, French: the RandomSearch trials are not models (only the last "
         "trial's val_accuracy and the best one remain, both validation); the three best "
         "configurations rebuilt with tuner.hypermodel.build(hp) and retrained in one loop are "
         "the deeper CNNs, their layers read from the printed hp values and model.summary() "
         "(blocs=2 makes the listed filtres_2 inactive); honest table in the students' shorthand",
         _build_b3, _B3_EXPECTED),
    Case("b4_en_tfdata_batch64_copied_train",
         "TF 2.16 / Keras 3 with a tf.data pipeline: .batch(64) is the batch size of every fit "
         "(also the one-layer net's: a batch_size difference), fit gets the dataset and no "
         "batch_size; sparse categorical cross-entropy is not a loss difference; Table 1 row 1 "
         "copies the practical's example 68.2% train while the log ends at 0.6391 (accused), its "
         "60.1% test is honest",
         _build_b4, _B4_EXPECTED),
    Case("b5_en_torch_tutorial_forward_pool",
         "PyTorch tutorial style: nn.Module classes whose forward applies self.pool after each "
         "convolution (one MAXPOOL per application; print(net) lists pool once, registration "
         "order, and does not change the architecture); loss-only '[1,   500]' lines; accuracies "
         "from 'Accuracy of the network on the 50000 train images: 88 %' (explicit evaluation on "
         "the training data) and '... 10000 test images: 76 %' as whole percents; batch 32",
         _build_b5, _B5_EXPECTED),
    Case("b6_de_skorch",
         "skorch, German: NeuralNetClassifier(module, max_epochs, batch_size, "
         "optimizer__weight_decay=0.05) = epochs, batch and L2; module__f1/module__f2/"
         "module__dropout reach the module's __init__; train accuracy = last row of skorch's "
         "coloured train_acc column (EpochScoring on_train), test = net.score(X_test, y_test); "
         "honest, comma decimals",
         _build_b6, _B6_EXPECTED),
    Case("b7_en_torch_tqdm_inflated",
         "plain PyTorch loop with tqdm bars over the batches (stderr, set_postfix sorted "
         "acc/loss, one bar kept per epoch): train accuracy = acc of the last epoch's 100% bar; "
         "'[deep-2] test accuracy = 0.7734' prints; Table 1 claims 82.7 test for deep-2 and 95.2 "
         "train for deep-3 (outputs 0.7734 and 0.9033): two accusations (no output shows 82.7; "
         "deep-2's training bars pass 0.82 mid-training, but a training value is not its test "
         "accuracy); no weights plot",
         _build_b7, _B7_EXPECTED),
    Case("b8_en_keras3_valdata_results_df",
         "Keras 3, fit without batch_size (32, 1563 steps; one explicit batch_size=64) and "
         "validation_data=(x_test, y_test) everywhere: the CNNs are never evaluated, their test "
         "accuracy is the last epoch's val_accuracy (validation on the test data, ta_corpus's "
         "convention); the dense nets' evaluate() lists agree with it; a results_df DataFrame "
         "without architectures is shown but the markdown table headed Table 1 is the table; "
         "honest, no accusation",
         _build_b8, _B8_EXPECTED),
    Case("b9_it_keras2_time_datagen",
         "Italian, tf.keras 2: %%time cell magic on the training cells (CPU/Wall time lines after "
         "the logs), print('Accuratezza sul test:', acc) with float32 reprs, the best CNN fitted on "
         "ImageDataGenerator.flow(x_train, y_train, batch_size=64) (batch 64, 782 steps) with "
         "validation on the test set and then evaluated; English table headers; 5 Italian answers",
         _build_b9, _B9_EXPECTED),
    Case("b10_de_lightning_datamodule_inflated",
         "Lightning 2 (import lightning as L), German: a LightningDataModule gives the batch size "
         "(128 for the dense nets, its default 64 for the CNNs), the nets are LightningModule "
         "subclasses of one base, no validation loop (train_loss and train_acc in the bar), "
         "trainer.test(datamodule=...) printed by a helper; Table 1 ('Schicht 1 : ...') claims "
         "83,9 test for the 3-block CNN whose test accuracy is 0.7921: one accusation",
         _build_b10, _B10_EXPECTED),
    Case("b11_fr_torch_modulelist_torchsummary",
         "PyTorch, French: conv blocks in an nn.ModuleList applied in a for loop in forward, the "
         "one self.pool after each block (one MAXPOOL per application), torchsummary tables in "
         "forward order, DataLoader batch 100 (a batch_size difference), test accuracy printed as "
         "'Exactitude sur le jeu de test : 76.1 %'; honest",
         _build_b11, _B11_EXPECTED),
    Case("b12_en_keras2_fit_kwargs_verbose0",
         "tf.keras 2, every fit silent through **FIT_KWARGS (batch_size=128, verbose=0) and "
         "dict(FIT_KWARGS, batch_size=64) for the deeper CNNs: the one-layer net's training "
         "accuracy from the displayed pd.DataFrame(history).tail(1), its test from the "
         "evaluate() list, the others from 'name: train 0.7301 | test 0.6402' prints of a "
         "helper; L2 on the convolutions through a shared l2 variable; whole-percent table, honest",
         _build_b12, _B12_EXPECTED),
]


# =======================================================================================
# self-check (not a test: a guard for this file)
# =======================================================================================

# which model (index into expected["models"]) each Table 1 row reports
_ROW_MODELS = {
    "b1_en_lightning_litmodule": [2, 3, 4, 5],
    "b2_en_keras_subclassed_call": [3, 4, 5, 6],
    "b3_fr_keras_tuner_retrain": [2, 3, 4, 5],
    "b4_en_tfdata_batch64_copied_train": [2, 3, 4],
    "b5_en_torch_tutorial_forward_pool": [2, 3, 4],
    "b6_de_skorch": [2, 3, 4],
    "b7_en_torch_tqdm_inflated": [2, 3, 4, 5],
    "b8_en_keras3_valdata_results_df": [2, 3, 4],
    "b9_it_keras2_time_datagen": [2, 3, 4],
    "b10_de_lightning_datamodule_inflated": [2, 3, 4, 5],
    "b11_fr_torch_modulelist_torchsummary": [2, 3, 4],
    "b12_en_keras2_fit_kwargs_verbose0": [2, 3, 4],
}


def _layers(arch):
    return [part.split(" : ", 1)[1] for part in arch.split("; ")]


def _claim(text):
    v = float(text.replace(",", ".").replace("%", "").strip())
    return v / 100 if v > 1 else v


def _check() -> int:
    names = set()
    for case in CASES:
        assert case.name not in names, case.name
        names.add(case.name)
        nb = case.build()
        nbformat.validate(nb)
        assert [c["id"] for c in nb.cells] == [f"c{i}" for i in range(len(nb.cells))], case.name
        assert nbformat.writes(nb) == nbformat.writes(case.build()), f"{case.name}: not deterministic"
        exp = case.expected
        assert set(exp) == {"framework", "models", "table", "checklist", "one_layer_differences",
                            "accusations"}, case.name
        assert exp["framework"] in ("keras", "pytorch", "unknown")
        assert exp["one_layer_differences"] <= {"epochs", "batch_size", "l2", "output", "loss", "optimizer"}
        models = exp["models"]
        for m in models:
            ls = _layers(m["architecture"])
            assert m["kind"] == ("cnn" if any(x.startswith("CONV") for x in ls) else "dense"), (case.name, m)
            assert ls[-1].split(",")[0].split(" +")[0] == "DENSE", (case.name, m)
            for key in ("train_accuracy", "test_accuracy"):
                assert m[key] is None or 0 < m[key] < 1, (case.name, m)
        ck = exp["checklist"]
        dense_counts = [sum(1 for x in _layers(m["architecture"]) if x.startswith("DENSE"))
                        for m in models if m["kind"] == "dense"]
        assert ck["dense_1layer"] == (1 in dense_counts), case.name
        assert ck["dense_2layer"] == (2 in dense_counts), case.name
        deeper = {m["architecture"] for m in models if m["kind"] == "cnn"
                  and sum(1 for x in _layers(m["architecture"]) if x.startswith("CONV")) >= 2}
        assert ck["deeper_cnns"] == len(deeper), case.name
        assert ck["simple_cnn"] == any(m["architecture"] in (A_SIMPLE_K, A_SIMPLE_T) for m in models), case.name
        assert ck["table"] == bool(exp["table"]), case.name
        rows = _ROW_MODELS[case.name]
        assert len(rows) == len(exp["table"]), case.name
        accused = []
        for row, k in zip(exp["table"], rows, strict=True):
            m = models[k]
            for col, key in (("train", "train_accuracy"), ("test", "test_accuracy")):
                if m[key] is None:
                    continue
                claimed = _claim(row[col])
                if claimed > m[key] + 0.01:
                    accused.append((col, row[col]))
                else:
                    assert abs(claimed - m[key]) <= 0.0051, (case.name, row, m[key])
        assert accused == exp["accusations"], (case.name, accused)
        outputs = "\n".join(o.get("text") or str(o.get("data", {}).get("text/plain", ""))
                            for cell in nb.cells for o in cell.get("outputs", []))
        for _, claimed in exp["accusations"]:  # an accused value appears in no output at all
            v = _claim(claimed)
            for shown in (f"{v:.3f}", f"{100 * v:.1f}"):
                assert shown not in outputs, (case.name, claimed, shown)
        text = nbformat.writes(nb)
        for m in models:  # every accuracy the TA reports is visible in the outputs
            for key in ("train_accuracy", "test_accuracy"):
                v = m[key]
                if v is None:
                    continue
                shown = {f"{v:.4f}", f"{v:.3f}", f"{100 * v:.2f}", f"{100 * v:.1f}", f"{100 * v:.0f} %",
                         _f32(v), f"{v:.6f}"}
                assert any(s in text for s in shown), (case.name, m, key)
    return len(CASES)


if __name__ == "__main__":
    print(f"{_check()} notebooks built and valid")
