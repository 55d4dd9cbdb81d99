"""Independent TA corpus: student notebooks of the CNN practical and the report a
careful TA writes about each of them.

Written from the report specification and the practical alone (not from the code
of xlcnn).  Every case builds a notebook the way Jupyter saves it (execution
counts, stream / execute_result / display_data / error outputs, images as base64
PNG) and carries the expected report, worked out by hand:

* accuracies are fractions, compared by the tests within 1e-3;
* ``one_layer_differences`` is a set;
* ``accusations`` is a list of ``(column, claimed_text)`` tuples, in table order.

Conventions chosen where the specification leaves room:

* a training run whose cell was never executed is still a run (the code says it
  exists), with both accuracies None; the checklist items about trained networks
  are read from the code in the same way, while ``weights_plot`` needs the image
  output itself;
* PyTorch's ``weight_decay`` is an optimizer argument, not a layer regulariser:
  it counts as the L2 term for ``one_layer_differences`` but the architecture
  stays ``Layer 1 : DENSE``;
* Keras and PyTorch kernel sizes are given as (height, width): Conv2D(64, (3, 5)) is
  ``w=5, h=3``;
* a Dropout after Flatten is appended to the last written layer (``MAXPOOL + DROPOUT 0.5``);
* a table row is matched to the (last) run of the same architecture; a cell is accused
  only when that run's output shows the accuracy and the claim exceeds it by more than
  a rounding (claims rounded to whole percents are honest); accusations follow table
  order, train before test;
* a test accuracy printed with 3 decimals is expected as printed (0.392).

Only nbformat and the standard library are used; the notebooks are deterministic
(cell ids "c0", "c1", ...).
"""
from __future__ import annotations

import base64
import html
import struct
import zlib
from dataclasses import dataclass
from typing import Callable

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[], nbformat.NotebookNode]
    expected: dict


# ---------------------------------------------------------------------------
# notebook building
# ---------------------------------------------------------------------------

_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _language_info(version="3.10.12"):
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": version,
    }


class _NB:
    """Accumulates cells; code cells get increasing execution counts."""

    def __init__(self, version="3.10.12", colab=False, start=0):
        self.cells = []
        self.count = start
        self.version = version
        self.colab = colab

    def md(self, text):
        self.cells.append(new_markdown_cell(text.strip("\n")))
        return self

    def code(self, src, *outputs, run=True, count=None):
        """A code cell.  run=False: never executed (no count, no outputs)."""
        src = src.strip("\n")
        if not run:
            self.cells.append(new_code_cell(src, execution_count=None, outputs=[]))
            return self
        if count is None:
            self.count += 1
            count = self.count
        outs = []
        for o in outputs:
            if o is None:
                continue
            if isinstance(o, (list, tuple)):
                seq = list(o)
            else:
                seq = [o]
            for one in seq:
                if one.get("output_type") == "execute_result":
                    one["execution_count"] = count
                outs.append(one)
        self.cells.append(new_code_cell(src, execution_count=count, outputs=outs))
        return self

    def build(self):
        meta = {"kernelspec": dict(_KERNELSPEC), "language_info": _language_info(self.version)}
        if self.colab:
            meta = {
                "accelerator": "GPU",
                "colab": {"provenance": [], "gpuType": "T4"},
                "kernelspec": {"display_name": "Python 3", "name": "python3"},
                "language_info": {"name": "python"},
            }
        nb = new_notebook(cells=self.cells, metadata=meta)
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"c{i}"
        return nb


def _stdout(text):
    return new_output("stream", name="stdout", text=text)


def _stderr(text):
    return new_output("stream", name="stderr", text=text)


def _result(text, html_text=None):
    data = {"text/plain": text}
    if html_text is not None:
        data["text/html"] = html_text
    return new_output("execute_result", data=data, metadata={}, execution_count=None)


def _display(text, html_text=None):
    data = {"text/plain": text}
    if html_text is not None:
        data["text/html"] = html_text
    return new_output("display_data", data=data, metadata={})


def _error(ename, evalue, frames):
    tb = [
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        f"\x1b[0;31m{ename}\x1b[0m                                 Traceback (most recent call last)",
    ]
    tb.extend(frames)
    tb.append(f"\x1b[0;31m{ename}\x1b[0m: {evalue}")
    return new_output("error", ename=ename, evalue=evalue, traceback=tb)


def _png_b64(width, height, seed):
    """A small, valid RGB PNG (deterministic), base64 as Jupyter stores it."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row.append((x * seed + y * 7) % 256)
            row.append((x * 3 + y * seed) % 256)
            row.append((x * y + seed * 11) % 256)
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode("ascii") + "\n"


def _image(seed, figure="<Figure size 1500x300 with 10 Axes>", w=48, h=12):
    return new_output(
        "display_data",
        data={"image/png": _png_b64(w, h, seed), "text/plain": figure},
        metadata={"needs_background": "light"},
    )


def _f32(x):
    """How Python prints a float32 metric converted to float (score[1])."""
    return repr(struct.unpack("f", struct.pack("f", x))[0])


# ---------------------------------------------------------------------------
# training histories and Keras logs
# ---------------------------------------------------------------------------


def _curve(n, start, end):
    if n == 1:
        return [round(end, 4)]
    out = []
    for i in range(n):
        t = i / (n - 1)
        out.append(round(start + (end - start) * (1 - (1 - t) ** 2), 4))
    out[-1] = round(end, 4)
    return out


def _hist(n, acc, loss, acc0, loss0, val=None, val_loss=None, val0=None, val_loss0=None):
    """Per-epoch metrics; the last epoch has exactly ``acc`` / ``val``."""
    accs = _curve(n, acc0, acc)
    losses = _curve(n, loss0, loss)
    rows = [{"loss": l, "accuracy": a} for a, l in zip(accs, losses, strict=False)]  # noqa: E741 - l: the loss
    if val is not None:
        vaccs = _curve(n, val0 if val0 is not None else acc0 + 0.02, val)
        vlosses = _curve(n, val_loss0 if val_loss0 is not None else loss0 - 0.05, val_loss)
        for r, va, vl in zip(rows, vaccs, vlosses, strict=False):
            r["val_loss"] = vl
            r["val_accuracy"] = va
    return rows


def _eta(sec):
    if sec >= 3600:
        return "%d:%02d:%02d" % (sec // 3600, (sec % 3600) // 60, sec % 60)
    if sec >= 60:
        return "%d:%02d" % (sec // 60, sec % 60)
    return "%ds" % sec


def _k2_bar(cur, target, width=30):
    nd = len(str(target))
    bar = f"{cur:{nd}d}/{target} ["
    pw = int(width * cur / target)
    if pw > 0:
        bar += "=" * (pw - 1)
        bar += ">" if cur < target else "="
    bar += "." * (width - pw)
    return bar + "]"


def _metrics(pairs):
    return "".join(f" - {k}: {v:.4f}" for k, v in pairs)


def _running(prev, final, frac, wobble):
    # the running average over the epoch, ends exactly on the epoch value
    if frac >= 1:
        return final
    return prev + (final - prev) * frac + wobble


def _update_points(steps, every):
    pts = list(range(1, steps, every))
    if pts[-1] != steps:
        pts.append(steps)
    return pts


def _k2_v1(hist, steps, every=9, ms=8, first_extra=5, acc_key="accuracy", unit="step",
           batch=None, samples=None):
    """Keras 2 verbose=1 fit log as Jupyter saves it (backspaces + carriage returns).

    ``batch`` set: the old Keras (2.2) sample counter (``45000/45000 ... 89us/step``).
    """
    parts = []
    n = len(hist)
    prev_acc, prev_loss = max(0.08, hist[0]["accuracy"] - 0.15), hist[0]["loss"] + 0.4
    for e, h in enumerate(hist, 1):
        parts.append(f"Epoch {e}/{n}\n")
        target = steps if batch is None else samples
        width_prev = 0
        pts = _update_points(steps, every)
        for k, s in enumerate(pts):
            frac = s / steps
            wob = ((k * 37) % 11 - 5) / 2000.0
            acc = _running(prev_acc, h["accuracy"], frac, wob)
            loss = _running(prev_loss, h["loss"], frac, -wob)
            cur = s if batch is None else min(s * batch, target)
            eta = int(round((steps - s) * ms / 1000.0))
            line = _k2_bar(cur, target) + f" - ETA: {_eta(eta)}" + _metrics([("loss", loss), (acc_key, acc)])
            pad = " " * max(0, width_prev - len(line))
            parts.append("\b" * width_prev + "\r" + line + pad)
            width_prev = len(line) + len(pad)
        secs = int(round(steps * ms / 1000.0)) + (first_extra if e == 1 else 0)
        if batch is None:
            speed = f" - {secs}s {ms}ms/{unit}"
        else:
            speed = f" - {secs}s {int(ms * 1000 / batch)}us/{unit}"
        pairs = [("loss", h["loss"]), (acc_key, h["accuracy"])]
        if "val_accuracy" in h:
            vk = "val_acc" if acc_key == "acc" else "val_accuracy"
            pairs += [("val_loss", h["val_loss"]), (vk, h["val_accuracy"])]
        final = _k2_bar(target, target) + speed + _metrics(pairs)
        pad = " " * max(0, width_prev - len(final))
        parts.append("\b" * width_prev + "\r" + final + pad + "\n")
        prev_acc, prev_loss = h["accuracy"], h["loss"]
    return "".join(parts)


def _k2_v2(hist, steps, ms=5):
    """Keras 2 (TF >= 2.7) verbose=2 fit log."""
    out = []
    n = len(hist)
    for e, h in enumerate(hist, 1):
        secs = max(1, int(round(steps * ms / 1000.0)))
        pairs = [("loss", h["loss"]), ("accuracy", h["accuracy"])]
        if "val_accuracy" in h:
            pairs += [("val_loss", h["val_loss"]), ("val_accuracy", h["val_accuracy"])]
        out.append(f"Epoch {e}/{n}\n{steps}/{steps} - {secs}s{_metrics(pairs)} - {secs}s/epoch - {ms}ms/step\n")
    return "".join(out)


def _k2_eval(acc, loss, steps=313, ms=3, acc_key="accuracy"):
    """Keras 2 evaluate(verbose=1) output."""
    parts = []
    width_prev = 0
    for k, s in enumerate(_update_points(steps, 23)):
        wob = ((k * 13) % 7 - 3) / 1500.0
        a = acc + (wob if s < steps else 0)
        line = _k2_bar(s, steps) + f" - ETA: {_eta(int(round((steps - s) * ms / 1000.0)))}" + _metrics(
            [("loss", loss - (wob if s < steps else 0)), (acc_key, a)])
        pad = " " * max(0, width_prev - len(line))
        parts.append("\b" * width_prev + "\r" + line + pad)
        width_prev = len(line) + len(pad)
    final = _k2_bar(steps, steps) + f" - {max(1, int(round(steps * ms / 1000.0)))}s {ms}ms/step" + _metrics(
        [("loss", loss), (acc_key, acc)])
    pad = " " * max(0, width_prev - len(final))
    parts.append("\b" * width_prev + "\r" + final + pad + "\n")
    return "".join(parts)


def _k3_bar(cur, target, ansi=True, width=20):
    nd = len(str(target))
    count = f"{cur:{nd}d}/{target}"
    pw = int(width * cur / target)
    if not ansi:
        return count + " " + "━" * width
    bar = f"\x1b[1m{count}\x1b[0m "
    if pw > 0:
        bar += "\x1b[32m" + "━" * pw + "\x1b[0m"
        bar += "\x1b[37m" + "━" * (width - pw) + "\x1b[0m"
    else:
        bar += "\x1b[37m" + "━" * width + "\x1b[0m"
    return bar


def _k3_time(t, ansi):
    return f" \x1b[1m{t}\x1b[0m" if ansi else f" {t}"


def _k3_v1(hist, steps, every=11, ms=8, ansi=True, first_extra=6):
    """Keras 3 verbose=1 fit log (━ bars, metrics in alphabetical order)."""
    parts = []
    n = len(hist)
    prev_acc, prev_loss = max(0.08, hist[0]["accuracy"] - 0.15), hist[0]["loss"] + 0.4
    for e, h in enumerate(hist, 1):
        parts.append(f"Epoch {e}/{n}\n")
        width_prev = 0
        for k, s in enumerate(_update_points(steps, every)):
            frac = s / steps
            wob = ((k * 29) % 9 - 4) / 1800.0
            acc = _running(prev_acc, h["accuracy"], frac, wob)
            loss = _running(prev_loss, h["loss"], frac, -wob)
            eta = int(round((steps - s) * ms / 1000.0))
            line = _k3_bar(s, steps, ansi) + _k3_time(_eta(eta), ansi) + f" {ms}ms/step" + _metrics(
                [("accuracy", acc), ("loss", loss)])
            parts.append("\b" * width_prev + "\r" + line)
            width_prev = len(line)
        secs = int(round(steps * ms / 1000.0)) + (first_extra if e == 1 else 0)
        pairs = [("accuracy", h["accuracy"]), ("loss", h["loss"])]
        if "val_accuracy" in h:
            pairs += [("val_accuracy", h["val_accuracy"]), ("val_loss", h["val_loss"])]
        final = _k3_bar(steps, steps, ansi) + _k3_time(f"{secs}s", ansi) + f" {ms + 1}ms/step" + _metrics(pairs)
        parts.append("\b" * width_prev + "\r" + final + "\n")
        prev_acc, prev_loss = h["accuracy"], h["loss"]
    return "".join(parts)


def _k3_v2(hist, steps, ms=6):
    out = []
    n = len(hist)
    for e, h in enumerate(hist, 1):
        secs = max(1, int(round(steps * ms / 1000.0)))
        pairs = [("accuracy", h["accuracy"]), ("loss", h["loss"])]
        if "val_accuracy" in h:
            pairs += [("val_accuracy", h["val_accuracy"]), ("val_loss", h["val_loss"])]
        out.append(f"Epoch {e}/{n}\n{steps}/{steps} - {secs}s - {ms}ms/step{_metrics(pairs)}\n")
    return "".join(out)


def _k3_eval(acc, loss, steps=313, ms=3, ansi=True):
    parts = []
    width_prev = 0
    for k, s in enumerate(_update_points(steps, 31)):
        if s == steps:
            break
        wob = ((k * 13) % 7 - 3) / 1500.0
        line = _k3_bar(s, steps, ansi) + _k3_time(_eta(int(round((steps - s) * ms / 1000.0))), ansi) + \
            f" {ms}ms/step" + _metrics([("accuracy", acc + wob), ("loss", loss - wob)])
        parts.append("\b" * width_prev + "\r" + line)
        width_prev = len(line)
    final = _k3_bar(steps, steps, ansi) + _k3_time("1s", ansi) + f" {ms}ms/step" + _metrics(
        [("accuracy", acc), ("loss", loss)])
    parts.append("\b" * width_prev + "\r" + final + "\n")
    return "".join(parts)


_TF_STDERR = (
    "2024-03-18 14:02:11.532871: I tensorflow/core/platform/cpu_feature_guard.cc:193] This TensorFlow "
    "binary is optimized with oneAPI Deep Neural Network Library (oneDNN) to use the following CPU "
    "instructions in performance-critical operations:  AVX2 FMA\n"
    "To enable them in other operations, rebuild TensorFlow with the appropriate compiler flags.\n"
)

_CIFAR_DOWNLOAD = (
    "Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
    + "".join("\r" + _k2_bar(c, 170498071) + " - ETA: %ds" % eta
              for c, eta in ((8192, 41), (42614784, 9), (127868928, 3)))
    + "\r170498071/170498071 [==============================] - 14s 0us/step\n"
)


# ---------------------------------------------------------------------------
# Keras summaries (Keras 2 text table, Keras 3 rich display)
# ---------------------------------------------------------------------------


class _Namer:
    """Keras layer names are unique per session: conv2d, conv2d_1, ..."""

    def __init__(self):
        self.seen = {}

    def __call__(self, base):
        k = self.seen.get(base, 0)
        self.seen[base] = k + 1
        return base if k == 0 else f"{base}_{k}"


_KIND = {
    "conv": ("conv2d", "Conv2D"),
    "bn": ("batch_normalization", "BatchNormalization"),
    "act": ("activation", "Activation"),
    "relu": ("re_lu", "ReLU"),
    "pool": ("max_pooling2d", "MaxPooling2D"),
    "avg": ("average_pooling2d", "AveragePooling2D"),
    "gap": ("global_average_pooling2d", "GlobalAveragePooling2D"),
    "drop": ("dropout", "Dropout"),
    "flat": ("flatten", "Flatten"),
    "dense": ("dense", "Dense"),
}


def _layer_rows(spec, namer, shape=(32, 32, 3)):
    """spec: ('conv', filters, k, stride, padding) | ('bn',) | ('pool', s) | ('gap',) |
    ('drop', r) | ('flat',) | ('dense', units) | ('act',) | ('relu',).
    Returns [(name, type, shape_tuple, params, nontrainable)]."""
    rows = []
    cur = shape
    for layer in spec:
        kind = layer[0]
        base, typ = _KIND[kind]
        params = 0
        nontrain = 0
        if kind == "conv":
            f, k, s, pad = layer[1], layer[2], layer[3], layer[4]
            kh, kw = (k, k) if isinstance(k, int) else k
            h, w, c = cur
            if pad == "same":
                oh, ow = -(-h // s), -(-w // s)
            else:
                oh, ow = (h - kh) // s + 1, (w - kw) // s + 1
            params = (kh * kw * c + 1) * f
            cur = (oh, ow, f)
        elif kind == "bn":
            params = 4 * cur[-1]
            nontrain = 2 * cur[-1]
        elif kind in ("pool", "avg"):
            p = layer[1] if len(layer) > 1 else 2
            cur = (cur[0] // p, cur[1] // p, cur[2])
        elif kind == "gap":
            cur = (cur[-1],)
        elif kind == "flat":
            n = 1
            for d in cur:
                n *= d
            cur = (n,)
        elif kind == "dense":
            params = (cur[-1] + 1) * layer[1]
            cur = cur[:-1] + (layer[1],)
        rows.append((namer(base), typ, cur, params, nontrain))
    return rows


def _print_row(fields, positions):
    # keras 2.10 layer_utils.print_row
    left = [str(x) for x in fields]
    lines = []
    while any(left):
        line = ""
        for col in range(len(left)):
            start = positions[col - 1] if col > 0 else 0
            end = positions[col]
            space = 2 if col != len(positions) - 1 else 0
            cutoff = end - start - space
            fit = left[col][:cutoff]
            cands = [fit.find(x) + len(x) for x in ("),", "},", "],", "',") if fit.find(x) >= 0]
            if cands:
                cutoff = min(cands)
                fit = fit[:cutoff]
            if col == 0:
                line += " "
            line += fit
            line += " " * space if space else ""
            left[col] = left[col][cutoff:]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return lines


def _k2_summary(spec, namer, model_name="sequential", shape=(32, 32, 3), input_name=None):
    rows = _layer_rows(spec, namer, shape)
    L = 65
    pos = [29, 55, 65]
    out = [f'Model: "{model_name}"', "_" * L]
    out += _print_row(["Layer (type)", "Output Shape", "Param #"], pos)
    out.append("=" * L)
    if input_name:
        out += _print_row([f"{input_name} (InputLayer)", "[(None, %d, %d, %d)]" % shape, 0], pos)
        out.append(" " * L)
    for i, (name, typ, shp, params, _) in enumerate(rows):
        out += _print_row([f"{name} ({typ})", "(None, " + ", ".join(map(str, shp)) + ")", params], pos)
        out.append(" " * L if i < len(rows) - 1 else "=" * L)
    total = sum(r[3] for r in rows)
    nontrain = sum(r[4] for r in rows)
    out.append(f"Total params: {total:,}")
    out.append(f"Trainable params: {total - nontrain:,}")
    out.append(f"Non-trainable params: {nontrain:,}")
    out.append("_" * L)
    return "\n".join(out) + "\n"


def _mem(nbytes):
    size = float(nbytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


def _k3_summary(spec, namer, model_name="sequential", shape=(32, 32, 3)):
    """Keras 3 model.summary() in Jupyter: several rich display_data outputs."""
    rows = _layer_rows(spec, namer, shape)
    W = [31, 22, 13]
    blue, cyan, green, b0 = "\x1b[38;5;33m", "\x1b[38;5;45m", "\x1b[38;5;34m", "\x1b[0m"

    def cell(text, vis, width, right=False):
        padn = width - len(vis)
        return (" " * padn + text) if right else (text + " " * padn)

    def hline(l, m, r, ch):  # noqa: E741 - left, middle, right
        return l + m.join(ch * (w + 2) for w in W) + r

    lines = [hline("┏", "┳", "┓", "━")]
    head = ["Layer (type)", "Output Shape", "Param #"]
    lines.append("┃" + "┃".join(
        f"\x1b[1m \x1b[0m\x1b[1m{cell(h, h, w, right=(i == 2))}\x1b[0m\x1b[1m \x1b[0m"
        for i, (h, w) in enumerate(zip(head, W, strict=False))) + "┃")
    lines.append(hline("┡", "╇", "┩", "━"))
    plain = [hline("┏", "┳", "┓", "━"),
             "┃" + "┃".join(" " + cell(h, h, w, right=(i == 2)) + " "
                            for i, (h, w) in enumerate(zip(head, W, strict=False))) + "┃",
             hline("┡", "╇", "┩", "━")]
    for i, (name, typ, shp, params, _) in enumerate(rows):
        n_vis = f"{name} ({typ})"
        n_txt = f"{name} ({blue}{typ}{b0})"
        s_vis = "(None, " + ", ".join(map(str, shp)) + ")"
        s_txt = f"({cyan}None{b0}, " + ", ".join(f"{green}{d}{b0}" for d in shp) + ")"
        p_vis = f"{params:,}"
        p_txt = f"{green}{params:,}{b0}"
        if len(n_vis) <= W[0]:
            firsts = [(n_txt, n_vis)]
        else:  # rich wraps the cell at the space: "name" / "(Type)"
            firsts = [(name, name), (f"({blue}{typ}{b0})", f"({typ})")]
        for k, (nt, nv) in enumerate(firsts):
            st, sv, pt, pv = (s_txt, s_vis, p_txt, p_vis) if k == 0 else ("", "", "", "")
            lines.append("│ " + cell(nt, nv, W[0]) + " │ " + cell(st, sv, W[1]) + " │ " +
                         cell(pt, pv, W[2], right=True) + " │")
            plain.append("│ " + cell(nv, nv, W[0]) + " │ " + cell(sv, sv, W[1]) + " │ " +
                         cell(pv, pv, W[2], right=True) + " │")
        sep = hline("├", "┼", "┤", "─") if i < len(rows) - 1 else hline("└", "┴", "┘", "─")
        lines.append(sep)
        plain.append(sep)
    pre = ('<pre style="white-space:pre;overflow-x:auto;line-height:normal;font-family:Menlo,'
           "'DejaVu Sans Mono',consolas,'Courier New',monospace\">")
    total = sum(r[3] for r in rows)
    nontrain = sum(r[4] for r in rows)
    outs = [
        _display(f'\x1b[1mModel: "{model_name}"\x1b[0m\n',
                 pre + f'<span style="font-weight: bold">Model: "{model_name}"</span>\n</pre>\n'),
        _display("\n".join(lines) + "\n", pre + html.escape("\n".join(plain), quote=False) + "\n</pre>\n"),
    ]
    for label, n in (("Total params", total), ("Trainable params", total - nontrain),
                     ("Non-trainable params", nontrain)):
        outs.append(_display(f"\x1b[1m {label}: \x1b[0m{green}{n:,}{b0} ({_mem(4 * n)})\n",
                             pre + f'<span style="font-weight: bold"> {label}: </span>'
                             f'<span style="color: #00af00; text-decoration-color: #00af00">{n:,}</span>'
                             f" ({_mem(4 * n)})\n</pre>\n"))
    return outs


# ---------------------------------------------------------------------------
# PyTorch reprs
# ---------------------------------------------------------------------------


def _t_conv(cin, cout, k=3, s=1, p=0):
    kh, kw = (k, k) if isinstance(k, int) else k
    r = f"Conv2d({cin}, {cout}, kernel_size=({kh}, {kw}), stride=({s}, {s})"
    if p:
        r += f", padding=({p}, {p})"
    return r + ")"


def _t_lin(i, o):
    return f"Linear(in_features={i}, out_features={o}, bias=True)"


_T_RELU = "ReLU()"
_T_FLAT = "Flatten(start_dim=1, end_dim=-1)"


def _t_pool(k=2):
    return f"MaxPool2d(kernel_size={k}, stride={k}, padding=0, dilation=1, ceil_mode=False)"


def _t_bn(c):
    return f"BatchNorm2d({c}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


def _t_drop(p):
    return f"Dropout(p={p}, inplace=False)"


def _t_seq(items, name="Sequential", indent=0):
    """items: list of reprs (str) or (key, repr) pairs; nested reprs are multi-line strings."""
    pad = "  " * (indent + 1)
    lines = [f"{name}("]
    for i, it in enumerate(items):
        key, rep = (str(i), it) if isinstance(it, str) else it
        rep_lines = rep.split("\n")
        lines.append(f"{pad}({key}): {rep_lines[0]}")
        for extra in rep_lines[1:]:
            lines.append(pad + extra)
    lines.append("  " * indent + ")")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# markdown / DataFrame tables, review questions
# ---------------------------------------------------------------------------


def _md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def _df_output(columns, rows):
    """A pandas DataFrame as Jupyter saves it (execute_result, text/plain + text/html).
    rows: lists of already formatted strings (what pandas prints)."""
    idx = [str(i) for i in range(len(rows))]
    iw = max(len(x) for x in idx)
    widths = [max(len(c), *(len(r[j]) for r in rows)) for j, c in enumerate(columns)]
    lines = [" " * iw + "".join("  " + c.rjust(w) for c, w in zip(columns, widths, strict=False))]
    for i, r in zip(idx, rows, strict=False):
        lines.append(i.ljust(iw) + "".join("  " + v.rjust(w) for v, w in zip(r, widths, strict=False)))
    text = "\n".join(lines)
    h = ['<div>', '<style scoped>', '    .dataframe tbody tr th:only-of-type {',
         '        vertical-align: middle;', '    }', '', '    .dataframe tbody tr th {',
         '        vertical-align: top;', '    }', '', '    .dataframe thead th {',
         '        text-align: right;', '    }', '</style>',
         '<table border="1" class="dataframe">', '  <thead>', '    <tr style="text-align: right;">',
         '      <th></th>']
    h += [f"      <th>{html.escape(c, quote=False)}</th>" for c in columns]
    h += ['    </tr>', '  </thead>', '  <tbody>']
    for i, r in zip(idx, rows, strict=False):
        h.append('    <tr>')
        h.append(f'      <th>{i}</th>')
        h += [f"      <td>{html.escape(v, quote=False)}</td>" for v in r]
        h.append('    </tr>')
    h += ['  </tbody>', '</table>', '</div>']
    return _result(text, "\n".join(h))


_Q = {
    "en": {
        "a": "What is the difference between a Dense and a Conv2D layer in Keras?",
        "b": 'In CNN, explain what it means to "preserve the spatial structure"?',
        "c": "In CNN, explain the different operations taking place when performing a convolution of a "
             "filter on an input, e.g. an image. How is the filter defined in terms of hyper-parameters?",
        "d": "Define what is meant by receptive field and activation map.",
        "e": "Explain the notion of sparse connectivity and parameter sharing.",
        "f": "Explain the effect of a given stride or zero-padding value.",
        "g": "For a given configuration of a convolution layer, compute the number of parameters "
             "(weights, bias).",
        "h": "Define what is a max pooling layer and what is its role in a CNN architecture.",
    },
    "fr": {
        "a": "Quelle est la différence entre une couche Dense et une couche Conv2D dans Keras ?",
        "b": "Dans un CNN, expliquez ce que signifie « préserver la structure spatiale ».",
        "c": "Dans un CNN, expliquez les différentes opérations effectuées lors de la convolution d'un "
             "filtre sur une entrée, p. ex. une image. Comment le filtre est-il défini en termes "
             "d'hyper-paramètres ?",
        "d": "Définissez ce que l'on entend par champ réceptif et carte d'activation.",
        "e": "Expliquez la notion de connectivité éparse et de partage des paramètres.",
        "f": "Expliquez l'effet d'une valeur donnée de pas (stride) ou de zero-padding.",
        "g": "Pour une configuration donnée d'une couche de convolution, calculez le nombre de "
             "paramètres (poids, biais).",
        "h": "Définissez ce qu'est une couche de max pooling et quel est son rôle dans une architecture CNN.",
    },
    "de": {
        "a": "Was ist der Unterschied zwischen einer Dense- und einer Conv2D-Schicht in Keras?",
        "b": "Erklären Sie, was es in einem CNN bedeutet, die räumliche Struktur zu erhalten.",
        "c": "Erklären Sie die verschiedenen Operationen bei der Faltung eines Filters mit einer "
             "Eingabe, z. B. einem Bild. Wie wird der Filter durch Hyperparameter definiert?",
        "d": "Definieren Sie, was man unter rezeptivem Feld und Aktivierungskarte versteht.",
        "e": "Erklären Sie die Begriffe spärliche Konnektivität und Parameter-Sharing.",
        "f": "Erklären Sie die Wirkung eines bestimmten Strides bzw. Zero-Paddings.",
        "g": "Berechnen Sie für eine gegebene Konfiguration einer Faltungsschicht die Anzahl der "
             "Parameter (Gewichte, Bias).",
        "h": "Definieren Sie, was eine Max-Pooling-Schicht ist und welche Rolle sie in einer "
             "CNN-Architektur spielt.",
    },
}

_A = {
    "en": {
        "a": "A Dense layer connects every input value to every neuron, so it ignores the spatial layout, "
             "while a Conv2D layer slides small filters over the image and shares their weights.",
        "b": "The layer keeps the 2D arrangement of the pixels (height, width, channels), so neighbouring "
             "pixels stay neighbours instead of being flattened into one long vector.",
        "c": "The filter is placed on a local region, the element-wise products with the input are summed "
             "and a bias is added, then the filter moves by the stride. It is defined by the number of "
             "filters, the kernel size, the stride and the padding.",
        "d": "The receptive field is the region of the input that influences one output neuron; an "
             "activation map is the 2D output obtained by sliding one filter over the whole input.",
        "e": "Sparse connectivity means each neuron only sees a small local region of the input; parameter "
             "sharing means the same filter weights are reused at every position of the image.",
        "f": "A larger stride skips positions and shrinks the output, while zero-padding adds zeros around "
             "the border so that the output size can be kept, e.g. P=1 for a 3x3 kernel and S=1.",
        "g": "Each filter has w*h*C_in weights plus one bias, so the layer has (w*h*C_in + 1)*K parameters; "
             "32 filters of 3x3 on an RGB image give (3*3*3 + 1)*32 = 896 parameters.",
        "h": "Max pooling keeps the largest value of each small window (e.g. 2x2); it downsamples the "
             "activation maps, reduces the computation and gives some invariance to small translations.",
    },
    "fr": {
        "a": "Une couche Dense relie chaque valeur d'entrée à chaque neurone et ignore donc la disposition "
             "spatiale, alors qu'une couche Conv2D fait glisser de petits filtres partagés sur l'image.",
        "b": "Cela veut dire que l'on garde la disposition 2D des pixels (hauteur, largeur, canaux), les "
             "pixels voisins restent voisins au lieu d'être aplatis dans un vecteur.",
        "c": "On place le filtre sur une région locale, on somme les produits terme à terme avec l'entrée "
             "et on ajoute un biais, puis on déplace le filtre selon le pas. Le filtre est défini par sa "
             "taille, le nombre de filtres, le pas et le padding.",
        "d": "Le champ réceptif est la zone de l'entrée qui influence un neurone de sortie ; une carte "
             "d'activation est la sortie 2D obtenue en faisant glisser un filtre sur toute l'entrée.",
        "e": "Connectivité éparse : chaque neurone ne voit qu'une petite région locale de l'entrée ; "
             "partage des paramètres : les mêmes poids du filtre sont utilisés à toutes les positions.",
        "f": "Un pas plus grand saute des positions et réduit la taille de la sortie, le zero-padding "
             "ajoute des zéros au bord pour conserver la taille, par exemple P=1 avec un noyau 3x3.",
        "g": "Chaque filtre a w*h*C_in poids plus un biais, donc (w*h*C_in + 1)*K paramètres ; pour 32 "
             "filtres 3x3 sur une image RGB on obtient (3*3*3 + 1)*32 = 896 paramètres.",
        "h": "Le max pooling garde la valeur maximale de chaque petite fenêtre (p. ex. 2x2) ; il réduit "
             "la taille des cartes d'activation, le calcul, et apporte une invariance aux translations.",
    },
    "de": {
        "a": "Eine Dense-Schicht verbindet jeden Eingabewert mit jedem Neuron und ignoriert die räumliche "
             "Anordnung, eine Conv2D-Schicht schiebt kleine Filter mit geteilten Gewichten über das Bild.",
        "b": "Die Schicht behält die 2D-Anordnung der Pixel (Höhe, Breite, Kanäle) bei, benachbarte Pixel "
             "bleiben benachbart und werden nicht zu einem langen Vektor flachgedrückt.",
        "c": "Der Filter wird auf einen lokalen Bereich gelegt, die elementweisen Produkte werden summiert "
             "und ein Bias addiert, dann wird der Filter um den Stride verschoben. Hyperparameter sind "
             "Anzahl der Filter, Kernelgrösse, Stride und Padding.",
        "d": "Das rezeptive Feld ist der Bereich der Eingabe, der ein Ausgabeneuron beeinflusst; eine "
             "Aktivierungskarte ist die 2D-Ausgabe eines Filters, der über die ganze Eingabe geschoben wird.",
        "e": "Spärliche Konnektivität heisst, dass jedes Neuron nur einen kleinen lokalen Bereich sieht; "
             "beim Parameter-Sharing werden dieselben Filtergewichte an jeder Position verwendet.",
        "f": "Ein grösserer Stride überspringt Positionen und verkleinert die Ausgabe, Zero-Padding fügt "
             "Nullen am Rand hinzu, damit die Grösse erhalten bleibt, z. B. P=1 bei einem 3x3-Kernel.",
        "g": "Jeder Filter hat w*h*C_in Gewichte und einen Bias, also (w*h*C_in + 1)*K Parameter; 32 "
             "Filter 3x3 auf einem RGB-Bild ergeben (3*3*3 + 1)*32 = 896 Parameter.",
        "h": "Max-Pooling behält den grössten Wert jedes kleinen Fensters (z. B. 2x2); es verkleinert die "
             "Aktivierungskarten, spart Rechenzeit und bringt eine gewisse Translationsinvarianz.",
    },
}

_ANSWER_WORD = {"en": "Answer:", "fr": "Réponse :", "de": "Antwort:"}
_REVIEW_TITLE = {"en": "## Exercise 4 - Review questions", "fr": "## Exercice 4 - Questions de révision",
                 "de": "## Aufgabe 4 - Repetitionsfragen"}


def _review(nb, lang, answered, style="cells", blank="", letters="abcdefgh"):
    """Adds the review section.  answered: letters with a real answer; the others are the
    copied question followed by ``blank`` (a non-answer of < 6 words, or nothing)."""
    q, a = _Q[lang], _A[lang]
    if style == "cells":
        nb.md(_REVIEW_TITLE[lang])
        for L in letters:
            body = a[L] if L in answered else blank
            nb.md(f"**{L}) {q[L]}**\n\n{body}".rstrip())
    elif style == "single":
        parts = [_REVIEW_TITLE[lang], ""]
        for L in letters:
            parts.append(f"{L}) {q[L]}")
            if L in answered:
                parts.append(f"> {a[L]}")
            elif blank:
                parts.append(f"> {blank}")
            parts.append("")
        nb.md("\n".join(parts))
    elif style == "headed":
        nb.md(_REVIEW_TITLE[lang])
        for L in letters:
            text = f"### {L}) {q[L]}\n"
            if L in answered:
                text += f"{_ANSWER_WORD[lang]} {a[L]}"
            else:
                text += f"{_ANSWER_WORD[lang]} {blank}".rstrip()
            nb.md(text)
    else:
        raise ValueError(style)


# ---------------------------------------------------------------------------
# expected-report helpers
# ---------------------------------------------------------------------------


def _m(kind, arch, epochs, batch, train, test):
    return {"kind": kind, "architecture": arch, "epochs": epochs, "batch_size": batch,
            "train_accuracy": train, "test_accuracy": test}


def _report(framework, models, table, *, d1, wp, d2, simple, deeper, review, diffs=(), acc=()):
    return {
        "framework": framework,
        "models": models,
        "table": [{"architecture": a, "train": tr, "test": te} for a, tr, te in table],
        "checklist": {"dense_1layer": d1, "weights_plot": wp, "dense_2layer": d2, "simple_cnn": simple,
                      "deeper_cnns": deeper, "table": bool(table), "review_answers": review},
        "one_layer_differences": set(diffs),
        "accusations": list(acc),
    }


# the practical's notation, written out once for the architectures that recur
A_1L = "Layer 1 : DENSE, L2=0.05"
A_1L_NOREG = "Layer 1 : DENSE"
A_2L = "Layer 1 : DENSE 128; Layer 2 : DENSE"
A_SIMPLE_K = "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"
A_SIMPLE_T = "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE"


# ---------------------------------------------------------------------------
# recurring student code
# ---------------------------------------------------------------------------

_CLASSES = "classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']"

_K_IMPORTS = """%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers"""

_K_DATA = """(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
print("x_train:", x_train.shape, "x_test:", x_test.shape)"""

_K_DATA_OUT = _CIFAR_DOWNLOAD + "x_train: (50000, 32, 32, 3) x_test: (10000, 32, 32, 3)\n"


_K_SIMPLE_TAIL = """    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn.fit(x_train, y_train, epochs=10, batch_size=128)
"""

_K_VGG_STACK = """    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])"""

_K_DENSE2 = """model2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model2.fit(x_train, y_train, epochs=30, batch_size=128"""


def _k_weights_code(model="model1", idx=1, title=""):
    return f"""W = {model}.layers[{idx}].get_weights()[0]   # (3072, 10)
W = W.reshape(32, 32, 3, 10)
{_CLASSES}
fig, axes = plt.subplots(1, 10, figsize=(15, 3))
for i, ax in enumerate(axes):
    w = W[..., i]
    # normalisation per channel (R, G, B) to 0..1
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    ax.imshow(w)
    ax.set_title(classes[i])
    ax.axis("off"){chr(10) + 'plt.suptitle("' + title + '")' if title else ''}
plt.show()"""


def _seq_advance(namer, *bases):
    for b in bases:
        namer(b)


# ---------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------


def _case_keras2_compliant_en():
    h1 = _hist(5, 0.4012, 1.9034, 0.3105, 2.3121, val=0.3896, val_loss=1.9350, val0=0.3312, val_loss0=2.0543)
    h2 = _hist(30, 0.5523, 1.2785, 0.3561, 1.8420, val=0.4902, val_loss=1.4630)
    h3 = _hist(10, 0.6934, 0.8921, 0.4412, 1.5720, val=0.6410, val_loss=1.0380)
    h4 = _hist(15, 0.8412, 0.4521, 0.4023, 1.6210, val=0.7512, val_loss=0.7433)
    h5 = _hist(20, 0.8633, 0.3904, 0.4511, 1.5102, val=0.8120, val_loss=0.5719)
    h6 = _hist(15, 0.7921, 0.5960, 0.3712, 1.7044, val=0.7380, val_loss=0.7921)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE 128; "
             "Layer 8 : DENSE")
    arch5 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; "
             "Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + DROPOUT 0.25; "
             "Layer 7 : DENSE 256 + DROPOUT 0.5; Layer 8 : DENSE")
    arch6 = ("Layer 1 : CONV D=64, w=h=5, S=1, P='same'; Layer 2 : MAXPOOL; "
             "Layer 3 : CONV D=128, w=h=5, S=1, P='same'; Layer 4 : MAXPOOL; "
             "Layer 5 : CONV D=256, w=h=3, S=1, P='same'; Layer 6 : GLOBAL AVG POOL; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "69.3%", "63.8%"), (arch4, "84.1%", "74.7%"), (arch5, "86.3%", "81.0%"),
             (arch6, "79.2%", "73.6%")]

    def build():
        nb = _NB()
        namer = _Namer()
        nb.md("# PW04 - Convolutional Neural Networks\n\n**Group 7**: Alice Meier, Bob Rossi")
        nb.code(_K_IMPORTS, _stderr(_TF_STDERR))
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Exercise 2 - Shallow networks on CIFAR10\n\n### One-layer network")
        nb.code("""model1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
model1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history1 = model1.fit(x_train, y_train, epochs=5, batch_size=128, validation_split=0.1)""",
                _stdout(_k2_v1(h1, 352, ms=3)))
        _seq_advance(namer, "sequential", "flatten", "dense")
        nb.code("""score = model1.evaluate(x_test, y_test)
print('Test loss:', score[0])
print('Test accuracy:', score[1])""",
                _stdout(_k2_eval(0.3871, 1.9412) + f"Test loss: {_f32(1.9412)}\nTest accuracy: {_f32(0.3871)}\n"))
        nb.md("### Weights of the one-layer network")
        nb.code(_k_weights_code("model1"), _image(3))
        nb.md("### Two-layer network")
        nb.code("""model2 = keras.Sequential()
model2.add(layers.Flatten(input_shape=(32, 32, 3)))
model2.add(layers.Dense(128, activation="relu"))
model2.add(layers.Dense(10, activation="softmax"))
model2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history2 = model2.fit(x_train, y_train, epochs=30, batch_size=128, validation_split=0.1, verbose=2)""",
                _stdout(_k2_v2(h2, 352)))
        _seq_advance(namer, "sequential", "flatten", "dense", "dense")
        nb.code("""score = model2.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""", _stdout(_k2_eval(0.4817, 1.4855) + f"Test accuracy: {_f32(0.4817)}\n"))
        nb.md("## Exercise 3 - CNN\n\n### Simple CNN")
        nb.code("""model3 = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=1, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
model3.summary()""", _stdout(_k2_summary([("conv", 32, 3, 1, "same"), ("pool", 2), ("flat",), ("dense", 10)],
                                          namer, namer("sequential"))))
        nb.code("""model3.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history3 = model3.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1)
score = model3.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""",
                _stdout(_k2_v1(h3, 352, ms=9) + _k2_eval(0.6381, 1.0521) + f"Test accuracy: {_f32(0.6381)}\n"))
        nb.md("### Deeper CNNs\n\nCNN 2: two blocks of two convolutions.")
        nb.code("""model4 = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding='same', activation='relu'),
    layers.Conv2D(64, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
model4.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history4 = model4.fit(x_train, y_train, epochs=15, batch_size=128, validation_split=0.1)
score = model4.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""",
                _stdout(_k2_v1(h4, 352, ms=14) + _k2_eval(0.7468, 0.7612) + f"Test accuracy: {_f32(0.7468)}\n"))
        nb.md("CNN 3: the same with batch normalisation and dropout.")
        nb.code("""model5 = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.Conv2D(32, 3, padding='same'),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.MaxPooling2D(),
    layers.Dropout(0.25),

    layers.Conv2D(64, 3, padding='same'),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.Conv2D(64, 3, padding='same'),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.MaxPooling2D(),
    layers.Dropout(0.25),

    layers.Flatten(),
    layers.Dense(256, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(10, activation='softmax'),
])
model5.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history5 = model5.fit(x_train, y_train, epochs=20, batch_size=64, validation_split=0.1)
score = model5.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""",
                _stdout(_k2_v1(h5, 704, every=15, ms=12) + _k2_eval(0.8102, 0.5834) +
                        f"Test accuracy: {_f32(0.8102)}\n"))
        nb.md("CNN 4: larger kernels and a global average pooling at the end.")
        nb.code("""model6 = keras.Sequential([
    layers.Conv2D(64, 5, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 5, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(256, 3, padding='same', activation='relu'),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation='softmax'),
])
model6.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history6 = model6.fit(x_train, y_train, epochs=15, batch_size=128, validation_split=0.1)
score = model6.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""",
                _stdout(_k2_v1(h6, 352, ms=21) + _k2_eval(0.7357, 0.7866) + f"Test accuracy: {_f32(0.7357)}\n"))
        nb.md("### Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("abcdefgh"), style="cells")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4012, 0.3871),
        _m("dense", A_2L, 30, 128, 0.5523, 0.4817),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6934, 0.6381),
        _m("cnn", arch4, 15, 128, 0.8412, 0.7468),
        _m("cnn", arch5, 20, 64, 0.8633, 0.8102),
        _m("cnn", arch6, 15, 128, 0.7921, 0.7357),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=3, review=8)
    return Case("keras2_compliant_en", "English tf.keras notebook, everything as asked, verbose=1/2 logs, "
                "score[1] prints, honest % table, 8 answers", build, expected)


def _case_keras2_fr_onelayer_10ep_nol2():
    h1 = _hist(10, 0.4187, 1.6950, 0.3012, 1.9533)
    h2 = _hist(30, 0.5688, 1.2231, 0.3644, 1.7821)
    h3 = _hist(10, 0.7312, 0.7788, 0.4810, 1.4520)

    def build():
        nb = _NB(version="3.11.5")
        nb.md("# TP 4 - Réseaux de neurones convolutifs\n\nGroupe 3 : Léa Dubois, Hugo Martin")
        nb.code("""import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf

print(tf.__version__)""", _stdout("2.13.0\n"))
        nb.code("""# chargement de CIFAR10 (50'000 images d'entraînement, 10'000 de test)
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = tf.keras.utils.to_categorical(y_train, 10)
y_test = tf.keras.utils.to_categorical(y_test, 10)""", _stdout(_CIFAR_DOWNLOAD))
        nb.md("## Exercice 2 - Réseau à une couche")
        nb.code("""modele1 = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
    tf.keras.layers.Dense(10, activation='softmax')
])
modele1.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
hist1 = modele1.fit(x_train, y_train, epochs=10, batch_size=128)""", _stdout(_k2_v1(h1, 391, every=17, ms=2)))
        nb.code("""test_loss, test_acc = modele1.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {test_acc:.3f}")""", _stdout("Précision (test) : 0.392\n"))
        nb.md("### Visualisation des poids")
        nb.code(_k_weights_code("modele1", title="Poids du réseau à une couche"), _image(5))
        nb.md("## Réseau à deux couches")
        nb.code("""modele2 = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10, activation='softmax')
])
modele2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
hist2 = modele2.fit(x_train, y_train, epochs=30, batch_size=128)
test_loss, test_acc = modele2.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {test_acc:.3f}")""",
                _stdout(_k2_v1(h2, 391, every=13, ms=3) + "Précision (test) : 0.487\n"))
        nb.md("## Exercice 3 - CNN simple")
        nb.code("""cnn = tf.keras.models.Sequential([
    tf.keras.layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
    tf.keras.layers.MaxPooling2D(pool_size=(2, 2)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10, activation='softmax')
])
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
hist3 = cnn.fit(x_train, y_train, epochs=10)   # taille de batch par défaut
test_loss, test_acc = cnn.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {test_acc:.3f}")""",
                _stdout(_k2_v1(h3, 1563, every=41, ms=4) + "Précision (test) : 0.641\n"))
        nb.md("On observe un gain d'environ 15 % par rapport au meilleur MLP.")
        _review(nb, "fr", set("abcdh"), style="headed")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L_NOREG, 10, 128, 0.4187, 0.392),
        _m("dense", A_2L, 30, 128, 0.5688, 0.487),
        _m("cnn", A_SIMPLE_K, 10, 32, 0.7312, 0.641),
    ], [], d1=True, wp=True, d2=True, simple=True, deeper=0, review=5, diffs={"epochs", "l2"})
    return Case("keras2_fr_onelayer_10ep_nol2", "French tf.keras: one-layer 10 epochs without L2, "
                "f'Précision (test) : {test_acc:.3f}', default batch 32 for the CNN, 5 of 8 answers",
                build, expected)


def _case_keras2_de_batch64_sgd():
    h1 = _hist(5, 0.3514, 2.0120, 0.2811, 2.2544)
    h3 = _hist(10, 0.7020, 0.8640, 0.4630, 1.4990)
    h4 = _hist(15, 0.8533, 0.4210, 0.4301, 1.5770)
    h5 = _hist(20, 0.8810, 0.3390, 0.3988, 1.6620)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    arch5 = ("Layer 1 : CONV D=64, w=h=3, S=2, P='same'; Layer 2 : CONV D=128, w=h=3, S=2, P='same'; "
             "Layer 3 : CONV D=128, w=h=3, S=1, P='same' + BN + DROPOUT 0.3; Layer 4 : DENSE")
    table = [(A_SIMPLE_K, "70,2 %", "63,1 %"), (arch4, "85,3 %", "74,1 %"), (arch5, "88,1 %", "71,2 %")]

    def build():
        nb = _NB()
        nb.md("# Praktikum 4 - CNN\nGruppe 12 (Jonas Keller, Mia Steiner)")
        nb.code(_K_IMPORTS.replace("%matplotlib inline\n", ""))
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Aufgabe 2: Einschichtiges Netz")
        nb.code("""modell = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
modell.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
verlauf = modell.fit(x_train, y_train, epochs=5, batch_size=64, verbose=2)""", _stdout(_k2_v2(h1, 782, ms=2)))
        nb.code("""verlust, genauigkeit = modell.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {genauigkeit:.4f}")""", _stdout("Testgenauigkeit: 0.3477\n"))
        nb.md("## Aufgabe 3: Einfaches CNN")
        nb.code("""cnn1 = keras.Sequential([
    layers.Conv2D(32, kernel_size=3, strides=(1, 1), padding="same", input_shape=(32, 32, 3)),
    layers.ReLU(),
    layers.MaxPooling2D(pool_size=2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn1.fit(x_train, y_train, epochs=10, batch_size=128, verbose=2)
_, acc = cnn1.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v2(h3, 391, ms=6) + "Testgenauigkeit: 0.6312\n"))
        nb.md("## Tiefere CNNs")
        nb.code("""cnn2 = keras.Sequential([
""" + _K_VGG_STACK + """
cnn2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn2.fit(x_train, y_train, epochs=15, batch_size=128, verbose=2)
_, acc = cnn2.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v2(h4, 391, ms=11) + "Testgenauigkeit: 0.7409\n"))
        nb.code("""# ohne Pooling, dafür Stride 2
cnn3 = keras.Sequential([
    layers.Conv2D(64, 3, strides=2, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
    layers.Conv2D(128, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dropout(0.3),
    layers.Dense(10, activation="softmax"),
])
cnn3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn3.fit(x_train, y_train, epochs=20, batch_size=128, verbose=2)
_, acc = cnn3.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v2(h5, 391, ms=9) + "Testgenauigkeit: 0.7118\n"))
        nb.md("### Tabelle 1\n\n" + _md_table(["CNN", "Architektur", "Genauigkeit Training %",
                                               "Genauigkeit Test %"],
                                              [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "de", set("abcdefg"), style="single")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 64, 0.3514, 0.3477),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7020, 0.6312),
        _m("cnn", arch4, 15, 128, 0.8533, 0.7409),
        _m("cnn", arch5, 20, 128, 0.8810, 0.7118),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=2, review=7,
        diffs={"batch_size", "optimizer"})
    return Case("keras2_de_batch64_sgd", "German: one-layer with batch 64 and sgd, verbose=2 logs, "
                "Testgenauigkeit prints, strided CNN, German table with comma decimals, no weights plot",
                build, expected)


_K3_DOWNLOAD = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
                "\x1b[1m170498071/170498071\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m "
                "\x1b[1m4s\x1b[0m 0us/step\n")

_K3_IMPORTS = """import os
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers

print(keras.__version__)"""


def _case_keras3_compliant_fraction_table():
    h1 = _hist(5, 0.3935, 1.9211, 0.3010, 2.4321, val=0.3800, val_loss=1.9602)
    h2 = _hist(30, 0.5601, 1.2540, 0.3570, 1.8100)
    h3 = _hist(10, 0.7105, 0.8302, 0.4550, 1.5300, val=0.6601, val_loss=0.9912)
    h4 = _hist(20, 0.8920, 0.3105, 0.3820, 1.6810, val=0.7870, val_loss=0.6930)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; "
             "Layer 7 : CONV D=128, w=h=3, S=1, P='same'; Layer 8 : CONV D=128, w=h=3, S=1, P='same'; "
             "Layer 9 : MAXPOOL; Layer 10 : DENSE 128; Layer 11 : DENSE")
    table = [(A_SIMPLE_K, "0.71", "0.65"), (arch4, "0.89", "0.78")]

    def build():
        nb = _NB(version="3.11.8")
        namer = _Namer()
        nb.md("# Practical work 4: CNNs (Keras 3)\n\nGroup B2 - N. Rossi & P. Favre")
        nb.code(_K3_IMPORTS, _stdout("3.1.1\n"))
        nb.code("""(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""", _stdout(_K3_DOWNLOAD))
        nb.md("## One-layer network")
        nb.code("""model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.05)),
])
model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy(),
              metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)""",
                _stdout(_k3_v1(h1, 352, ms=3)))
        _seq_advance(namer, "sequential", "flatten", "dense")
        nb.code("""score = model.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])""", _stdout(f"Test accuracy: {_f32(0.3812)}\n"))
        nb.code(_k_weights_code("model", idx=1), _image(7))
        nb.md("## Two-layer network")
        nb.code("""model_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model_2.fit(x_train, y_train, batch_size=128, epochs=30, verbose=2)""",
                _stdout(_k3_v2(h2, 391)), _result("<keras.src.callbacks.history.History at 0x7f1c2c5a3d90>"))
        _seq_advance(namer, "sequential", "flatten", "dense", "dense")
        nb.code("""score = model_2.evaluate(x_test, y_test)
print("Test accuracy:", score[1])""", _stdout(_k3_eval(0.4904, 1.4420) + f"Test accuracy: {_f32(0.4904)}\n"))
        nb.md("## Simple CNN")
        nb.code("""cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, kernel_size=(3, 3), strides=1, padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.summary()""", _k3_summary([("conv", 32, 3, 1, "same"), ("pool", 2), ("flat",), ("dense", 10)], namer,
                              namer("sequential")))
        nb.code("""cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
score = cnn.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])""",
                _stdout(_k3_v1(h3, 352, ms=10) + f"Test accuracy: {_f32(0.6522)}\n"))
        nb.md("## Deeper CNN")
        nb.code("""deep = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for filters in [32, 64, 128]:
    deep.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    deep.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    deep.add(layers.MaxPooling2D())
deep.add(layers.Flatten())
deep.add(layers.Dense(128, activation="relu"))
deep.add(layers.Dense(10, activation="softmax"))
deep.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep.fit(x_train, y_train, batch_size=128, epochs=20, validation_split=0.1)
score = deep.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])""",
                _stdout(_k3_v1(h4, 352, ms=18) + f"Test accuracy: {_f32(0.7811)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["#", "Architecture", "Acc. train", "Acc. test"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3935, 0.3812),
        _m("dense", A_2L, 30, 128, 0.5601, 0.4904),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7105, 0.6522),
        _m("cnn", arch4, 20, 128, 0.8920, 0.7811),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=0)
    return Case("keras3_compliant_fraction_table", "Keras 3 (import keras): ANSI ━ progress bars, verbose=2, "
                "rich summary display, .add in a loop of literal filters, table as fractions 0.71",
                build, expected)


def _case_keras2_val_is_not_test():
    h1 = _hist(5, 0.4055, 1.8950, 0.3120, 2.3011, val=0.3902, val_loss=1.9203)
    h2 = _hist(30, 0.5570, 1.2612, 0.3601, 1.8003, val=0.4961, val_loss=1.4510)
    h3 = _hist(10, 0.7020, 0.8571, 0.4498, 1.5412, val=0.6489, val_loss=1.0120)
    h4 = _hist(15, 0.8611, 0.3980, 0.4210, 1.5866, val=0.7690, val_loss=0.7011)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL + DROPOUT 0.3; "
             "Layer 7 : DENSE 128 + DROPOUT 0.4; Layer 8 : DENSE")
    table = [(A_SIMPLE_K, "70.2", "64.9"), (arch4, "86.1", "76.9")]

    def build():
        nb = _NB()
        nb.md("# CNN practical - Team Rocket\nMembers: Jessie Q., James K.")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## 1-layer network\nWe use the test set as validation set, so `val_accuracy` is directly our "
              "test accuracy.")
        nb.code("""model_1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
model_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_1 = model_1.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))""",
                _stdout(_k2_v1(h1, 391, ms=3)))
        nb.code("""loss, acc = model_1.evaluate(x_test, y_test)
print("Test accuracy: %.2f%%" % (acc * 100))""", _stdout(_k2_eval(0.3902, 1.9203) + "Test accuracy: 39.02%\n"))
        nb.code(_k_weights_code("model_1"), _image(11))
        nb.md("## 2-layer network")
        nb.code("""model_2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_2 = model_2.fit(x_train, y_train, epochs=30, batch_size=128, validation_data=(x_test, y_test), verbose=2)""",
                _stdout(_k2_v2(h2, 391, ms=4)))
        nb.md("## Simple CNN")
        nb.code("""cnn_1 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_3 = cnn_1.fit(x_train, y_train, epochs=10, batch_size=128, validation_data=(x_test, y_test))""",
                _stdout(_k2_v1(h3, 391, ms=8)))
        nb.md("## Deeper CNN")
        nb.code("""cnn_2 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.2),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.4),
    layers.Dense(10, activation="softmax"),
])
cnn_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_4 = cnn_2.fit(x_train, y_train, epochs=15, batch_size=128, validation_data=(x_test, y_test))""",
                _stdout(_k2_v1(h4, 391, ms=13)))
        nb.code("""plt.plot(hist_4.history["accuracy"], label="train")
plt.plot(hist_4.history["val_accuracy"], label="test")
plt.legend()
plt.show()""", _image(12, "<Figure size 640x480 with 1 Axes>"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("abh"), style="headed", blank="TODO")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4055, 0.3902),
        _m("dense", A_2L, 30, 128, 0.5570, 0.4961),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7020, 0.6489),
        _m("cnn", arch4, 15, 128, 0.8611, 0.7690),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=3)
    return Case("keras2_val_is_not_test", "validation_data=(x_test, y_test): the last epoch's val_accuracy is "
                "evaluated on the test data, so it is the test accuracy (issue 34 decided it; this case first said "
                "otherwise); table test column = val_accuracy, no accusation; 3 answers + TODOs",
                build, expected)


def _case_keras2_valsplit_vs_evaluate_fr():
    h1 = _hist(10, 0.7233, 0.7901, 0.4610, 1.4822, val=0.6612, val_loss=0.9801)
    h2 = _hist(25, 0.8140, 0.5312, 0.3922, 1.6240, val=0.7420, val_loss=0.7705)
    arch2 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : MAXPOOL; "
             "Layer 3 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 4 : MAXPOOL; "
             "Layer 5 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "72 %", "65 %"), (arch2, "81 %", "73 %")]

    def build():
        nb = _NB()
        nb.md("# TP CNN - groupe 9\n*Camille Girard, Théo Blanc*\n\nNous avons seulement fait l'exercice 3.")
        nb.code("""import tensorflow as tf
from tensorflow.keras import layers, models
import numpy as np""")
        nb.code("""(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255., x_test / 255.
y_train = tf.keras.utils.to_categorical(y_train)
y_test = tf.keras.utils.to_categorical(y_test)""")
        nb.md("## CNN simple")
        nb.code("""cnn = models.Sequential()
cnn.add(layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)))
cnn.add(layers.MaxPooling2D((2, 2)))
cnn.add(layers.Flatten())
cnn.add(layers.Dense(10, activation='softmax'))
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
historique = cnn.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.2)""",
                _stdout(_k2_v1(h1, 313, every=12, ms=9)))
        nb.code("""test_loss, test_acc = cnn.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {test_acc:.3f}")""", _stdout("Précision (test) : 0.647\n"))
        nb.md("## CNN plus profond\n\nAvec normalisation de batch entre la convolution et la ReLU.")
        nb.code("""profond = models.Sequential()
profond.add(layers.Input(shape=(32, 32, 3)))
for n_filtres in (32, 64, 128):
    profond.add(layers.Conv2D(n_filtres, (3, 3), padding='same'))
    profond.add(layers.BatchNormalization())
    profond.add(layers.Activation('relu'))
    profond.add(layers.MaxPooling2D((2, 2)))
profond.add(layers.Flatten())
profond.add(layers.Dense(10, activation='softmax'))
profond.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
historique2 = profond.fit(x_train, y_train, epochs=25, batch_size=128, validation_split=0.2)""",
                _stdout(_k2_v1(h2, 313, every=12, ms=12)))
        nb.code("""test_loss, test_acc = profond.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {test_acc:.3f}")""", _stdout("Précision (test) : 0.730\n"))
        nb.md("### Tableau 1\n\n" + _md_table(
            ["CNN", "Architecture", "Précision entraînement (%)", "Précision test (%)"],
            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]) +
            "\n\nLa précision de validation (66 % et 74 %) est un peu plus haute que celle du test.")
        _review(nb, "fr", set("abcdefgh"), style="single")
        return nb.build()

    expected = _report("keras", [
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7233, 0.647),
        _m("cnn", arch2, 25, 128, 0.8140, 0.730),
    ], table, d1=False, wp=False, d2=False, simple=True, deeper=1, review=8)
    return Case("keras2_valsplit_vs_evaluate_fr", "French, CNNs only: validation_split val_accuracy differs "
                "from the evaluated test accuracy; table in whole percents '65 %', honest; 8 answers",
                build, expected)


def _case_keras2_train_eval_explicit():
    h3 = _hist(10, 0.6990, 0.8705, 0.4480, 1.5233)

    def build():
        nb = _NB()
        nb.md("# PW 4 – CNN\n\nGroup 21: Sara Lopez")
        nb.code(_K_IMPORTS, _stderr(_TF_STDERR))
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## One-layer network\nTrained silently, then evaluated on both sets.")
        nb.code("""one_layer = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
one_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
one_layer.fit(x_train, y_train, epochs=5, batch_size=128, verbose=0)""",
                _result("<keras.callbacks.History at 0x7f8e5c0d2a90>"))
        nb.code("""train_loss, train_acc = one_layer.evaluate(x_train, y_train, verbose=0)
test_loss, test_acc = one_layer.evaluate(x_test, y_test, verbose=0)
print(f"train accuracy: {train_acc:.4f}")
print(f"test accuracy:  {test_acc:.4f}")""", _stdout("train accuracy: 0.4102\ntest accuracy:  0.3911\n"))
        nb.md("## Two-layer network")
        nb.code("""two_layer = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
two_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
two_layer.fit(x_train, y_train, epochs=30, batch_size=128, verbose=0)
two_layer.sumary()""", _error("AttributeError", "'Sequential' object has no attribute 'sumary'", [
            "Cell \x1b[0;32mIn[5], line 8\x1b[0m\n\x1b[1;32m      6\x1b[0m two_layer\x1b[38;5;241m.\x1b[39mcompile(...)"
            "\n\x1b[0;32m----> 8\x1b[0m two_layer\x1b[38;5;241m.\x1b[39msumary()"]))
        nb.code("""print("Training accuracy:")
two_layer.evaluate(x_train, y_train)
print("Test accuracy:")
two_layer.evaluate(x_test, y_test)""",
                _stdout("Training accuracy:\n" + _k2_eval(0.5874, 1.1690, steps=1563, ms=2) + "Test accuracy:\n" +
                        _k2_eval(0.4950, 1.4420)),
                _result("[1.4420000314712524, 0.4950000047683716]"))
        nb.md("## Simple CNN")
        nb.code("""cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
""" + _K_SIMPLE_TAIL + """print("test accuracy:", cnn.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h3, 391, ms=7) + f"test accuracy: {_f32(0.6402)}\n"))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4102, 0.3911),
        _m("dense", A_2L, 30, 128, 0.5874, 0.4950),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6990, 0.6402),
    ], [], d1=True, wp=False, d2=True, simple=True, deeper=0, review=0)
    return Case("keras2_train_eval_explicit", "fit(verbose=0) then model.evaluate(x_train, y_train) gives the "
                "training accuracy; an AttributeError cell; no table, no review", build, expected)


def _case_keras2_multimb_log():
    h1 = _hist(5, 0.3988, 1.9102, 0.3090, 2.2950)
    h2 = _hist(30, 0.5490, 1.2820, 0.3520, 1.8410, val=0.4870, val_loss=1.4720)
    h3 = _hist(20, 0.8123, 0.5402, 0.4120, 1.6033, val=0.7401, val_loss=0.7790)
    arch3 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; "
             "Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + DROPOUT 0.3; Layer 7 : DENSE")
    table = [(arch3, "81.2%", "73.5%")]

    def build():
        nb = _NB()
        nb.md("# PW04 CNN\ngroup 4 — Marco Bianchi, Lina Haddad")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Ex. 2 one layer")
        nb.code("""m1 = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)),
                       layers.Dense(10, activation='softmax',
                                    kernel_regularizer=keras.regularizers.l2(0.05))])
m1.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
m1.fit(x_train, y_train, batch_size=128, epochs=5)
print('Test accuracy:', m1.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h1, 391, ms=3) + f"Test accuracy: {_f32(0.3862)}\n"))
        nb.code(_k_weights_code("m1"), _image(13))
        nb.md("## Ex. 2 two layers")
        nb.code("""m2 = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)),
                       layers.Dense(128, activation='relu'),
                       layers.Dense(10, activation='softmax')])
m2.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
m2.fit(x_train, y_train, batch_size=128, epochs=30, validation_split=0.1, verbose=2)
print('Test accuracy:', m2.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h2, 352) + f"Test accuracy: {_f32(0.4799)}\n"))
        nb.md("## Ex. 3 deeper CNN\n(we ran it on a laptop, the log is long)")
        nb.code("""m3 = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Dropout(0.2),
    layers.Conv2D(64, 3, padding='same', activation='relu'),
    layers.BatchNormalization(),
    layers.Conv2D(64, 3, padding='same', activation='relu'),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
m3.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
m3.fit(x_train, y_train, epochs=20, validation_split=0.1)""",
                _stdout(_k2_v1(h3, 1407, every=1, ms=25)),
                _result("<keras.callbacks.History at 0x7f2b8c1e6d10>"))
        nb.code("""score = m3.evaluate(x_test, y_test)
print('Test accuracy:', score[1])""", _stdout(_k2_eval(0.7348, 0.7912) + f"Test accuracy: {_f32(0.7348)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [["1", a, tr, te] for a, tr, te in table]))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3988, 0.3862),
        _m("dense", A_2L, 30, 128, 0.5490, 0.4799),
        _m("cnn", arch3, 20, 32, 0.8123, 0.7348),
    ], table, d1=True, wp=True, d2=True, simple=False, deeper=1, review=0)
    return Case("keras2_multimb_log", "a ~5 MB verbose=1 log (every batch redrawn, 1407 steps x 20 epochs, "
                "default batch 32) whose last epoch gives the training accuracy; no simple CNN", build, expected)


def _case_keras2_loop_make_cnn():
    h1 = _hist(5, 0.4133, 1.8771, 0.3302, 2.1170)
    h2 = _hist(10, 0.7011, 0.8702, 0.4600, 1.5108)
    hs = [_hist(8, 0.8213, 0.5090, 0.4501, 1.5120, val=0.7460, val_loss=0.7610),
          _hist(8, 0.8544, 0.4175, 0.4120, 1.6500, val=0.7990, val_loss=0.6012),
          _hist(8, 0.8831, 0.3366, 0.4006, 1.6222, val=0.7301, val_loss=0.8870)]
    tests = [0.7402, 0.7921, 0.7288]
    c1 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
          "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
          "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE 128; Layer 8 : DENSE")
    c2 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
          "Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
          "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL + DROPOUT 0.2; "
          "Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, w=h=3, S=1, P='same'; "
          "Layer 9 : MAXPOOL + DROPOUT 0.2; Layer 10 : DENSE 256; Layer 11 : DENSE")
    c3 = ("Layer 1 : CONV D=64, w=h=5, S=1, P='same'; Layer 2 : CONV D=64, w=h=5, S=1, P='same'; "
          "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=5, S=1, P='same'; "
          "Layer 5 : CONV D=128, w=h=5, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    table = [(c1, "82.13", "74.02"), (c2, "85.44", "79.21"), (c3, "88.31", "72.88")]
    cfg_reprs = ["{'filters': [32, 64], 'kernel': 3, 'dense': 128}",
                 "{'filters': [32, 64, 128], 'kernel': 3, 'bn': True, 'dropout': 0.2, 'dense': 256}",
                 "{'filters': [64, 128], 'kernel': 5, 'dense': None}"]

    def build():
        nb = _NB()
        nb.md("# Practical 4\nGroup 15: Yusuf Demir, Elena Popescu")
        nb.code(_K_IMPORTS + "\nimport pandas as pd")
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Shallow network (1 layer)")
        nb.code("""m = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
m.fit(x_train, y_train, epochs=5, verbose=2)
res = m.evaluate(x_test, y_test, verbose=0)
print("test acc =", round(res[1], 4))""", _stdout(_k2_v2(h1, 1563, ms=1) + "test acc = 0.3954\n"))
        nb.md("## Simple CNN")
        nb.code("""simple = keras.Sequential([
    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
simple.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
simple.fit(x_train, y_train, epochs=10, batch_size=128, verbose=2)
res = simple.evaluate(x_test, y_test, verbose=0)
print("test acc =", round(res[1], 4))""", _stdout(_k2_v2(h2, 391, ms=7) + "test acc = 0.642\n"))
        nb.md("## Deeper CNNs\nAll the architectures are generated from a configuration.")
        nb.code("""def make_cnn(cfg):
    model = keras.Sequential()
    model.add(keras.Input(shape=(32, 32, 3)))
    for f in cfg["filters"]:
        model.add(layers.Conv2D(f, cfg["kernel"], padding="same", activation="relu"))
        if cfg.get("bn"):
            model.add(layers.BatchNormalization())
        model.add(layers.Conv2D(f, cfg["kernel"], padding="same", activation="relu"))
        model.add(layers.MaxPooling2D(2))
        if cfg.get("dropout"):
            model.add(layers.Dropout(cfg["dropout"]))
    model.add(layers.Flatten())
    if cfg.get("dense"):
        model.add(layers.Dense(cfg["dense"], activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model""")
        out = []
        for i, (h, te, rep) in enumerate(zip(hs, tests, cfg_reprs, strict=False), 1):
            out.append(f"--- CNN {i}: {rep}\n")
            out.append(_k2_v2(h, 352, ms=10 + 4 * i))
            out.append(f"CNN {i}: train acc {h[-1]['accuracy']:.4f}, test acc {te:.4f}\n")
        nb.code("""configs = [
    {"filters": [32, 64], "kernel": 3, "dense": 128},
    {"filters": [32, 64, 128], "kernel": 3, "bn": True, "dropout": 0.2, "dense": 256},
    {"filters": [64, 128], "kernel": 5, "dense": None},
]

results = []
for i, cfg in enumerate(configs, 1):
    print(f"--- CNN {i}: {cfg}")
    model = make_cnn(cfg)
    h = model.fit(x_train, y_train, epochs=8, batch_size=128, validation_split=0.1, verbose=2)
    _, acc = model.evaluate(x_test, y_test, verbose=0)
    results.append((i, h.history["accuracy"][-1], acc))
    print(f"CNN {i}: train acc {h.history['accuracy'][-1]:.4f}, test acc {acc:.4f}")""", _stdout("".join(out)))
        nb.md("### Table 1")
        nb.code("""pd.set_option("display.max_colwidth", None)
archs = [
    "%s",
    "%s",
    "%s",
]
table1 = pd.DataFrame({
    "CNN": [r[0] for r in results],
    "Architecture": archs,
    "Acc. train %%": [round(100 * r[1], 2) for r in results],
    "Acc. test %%": [round(100 * r[2], 2) for r in results],
})
table1""" % (c1, c2, c3), _df_output(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                     [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 32, 0.4133, 0.3954),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7011, 0.642),
        _m("cnn", c1, 8, 128, 0.8213, 0.7402),
        _m("cnn", c2, 8, 128, 0.8544, 0.7921),
        _m("cnn", c3, 8, 128, 0.8831, 0.7288),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=3, review=0, diffs={"batch_size"})
    return Case("keras2_loop_make_cnn", "CNNs built by make_cnn(cfg) in a loop over literal config dicts and "
                "trained in the loop (3 runs); one-layer without batch_size (32); printed DataFrame table",
                build, expected)


def _case_keras2_summary_resolves_filters():
    h1 = _hist(5, 0.4040, 1.8890, 0.3150, 2.2722)
    h2 = _hist(15, 0.8802, 0.3541, 0.4410, 1.5391)
    arch = ("Layer 1 : CONV D=48, w=h=3, S=1, P='same'; Layer 2 : CONV D=48, w=h=3, S=1, P='same'; "
            "Layer 3 : MAXPOOL; Layer 4 : CONV D=96, w=h=3, S=1, P='same'; Layer 5 : MAXPOOL; "
            "Layer 6 : DENSE 200; Layer 7 : DENSE")
    table = [(arch, "88.0%", "75.3%")]

    def build():
        nb = _NB()
        namer = _Namer()
        nb.md("# CNN on CIFAR-10\nGroup 2 – Tom Weber")
        nb.code(_K_IMPORTS + "\nimport json")
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## One-layer net")
        nb.code("""clf = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
clf.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
clf.fit(x_train, y_train, epochs=5, batch_size=128)
score = clf.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])""", _stdout(_k2_v1(h1, 391, ms=3) + f"Test accuracy: {_f32(0.3917)}\n"))
        _seq_advance(namer, "sequential", "flatten", "dense")
        nb.code("""W = clf.layers[1].get_weights()[0]
plt.imshow(W.reshape(32, 32, 3))""", _error("ValueError", "cannot reshape array of size 30720 into shape (32,32,3)", [
            "Cell \x1b[0;32mIn[4], line 2\x1b[0m\n\x1b[1;32m      1\x1b[0m W \x1b[38;5;241m=\x1b[39m clf\x1b[38;5;241m."
            "\x1b[39mlayers[\x1b[38;5;241m1\x1b[39m]\x1b[38;5;241m.\x1b[39mget_weights()[\x1b[38;5;241m0\x1b[39m]\n"
            "\x1b[0;32m----> 2\x1b[0m plt\x1b[38;5;241m.\x1b[39mimshow(W\x1b[38;5;241m.\x1b[39mreshape(...))"]))
        nb.code(_k_weights_code("clf"), _image(17))
        nb.md("## CNN\nThe hyper-parameters are in `cnn_config.json` (shared between our experiments).")
        nb.code("""with open("cnn_config.json") as f:
    cfg = json.load(f)

cnn = keras.Sequential([
    layers.Conv2D(cfg["n_filters"], (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(cfg["n_filters"], (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(2 * cfg["n_filters"], (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(cfg["n_hidden"], activation="relu"),
    layers.Dense(10, activation="softmax"),
])
cnn.summary()""", _stdout(_k2_summary([("conv", 48, 3, 1, "same"), ("conv", 48, 3, 1, "same"), ("pool", 2),
                                       ("conv", 96, 3, 1, "same"), ("pool", 2), ("flat",), ("dense", 200),
                                       ("dense", 10)], namer, namer("sequential"))))
        nb.code("""cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn.fit(x_train, y_train, epochs=15, batch_size=128)
score = cnn.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])""", _stdout(_k2_v1(h2, 391, ms=15) + f"Test accuracy: {_f32(0.7533)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [["1", a, tr, te] for a, tr, te in table]))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4040, 0.3917),
        _m("cnn", arch, 15, 128, 0.8802, 0.7533),
    ], table, d1=True, wp=True, d2=False, simple=False, deeper=1, review=0)
    return Case("keras2_summary_resolves_filters", "filters read from a JSON config: only the Keras 2 "
                "model.summary() table tells 48/96 filters and 200 units; weights plot after a failed attempt",
                build, expected)


def _case_keras3_rich_summary_yaml_de():
    h1 = _hist(5, 0.3701, 1.9930, 0.2950, 2.3110)
    h2 = _hist(12, 0.9012, 0.2840, 0.4620, 1.4900, val=0.7910, val_loss=0.6650)
    arch = ("Layer 1 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
            "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P='same' + BN; "
            "Layer 5 : CONV D=128, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL + DROPOUT 0.4; Layer 7 : DENSE")

    def build():
        nb = _NB(version="3.12.2")
        namer = _Namer()
        nb.md("# Praktikum CNN\n\n**Gruppe 8:** Lukas Brunner, Anna Frei")
        nb.code(_K3_IMPORTS + "\nimport yaml", _stdout("3.3.3\n"))
        nb.code("""(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""")
        nb.md("## Einschichtiges Netz")
        nb.code("""netz = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=keras.regularizers.l2(0.05)),
])
netz.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
netz.fit(x_train, y_train, epochs=5, batch_size=128)
print(f"Testgenauigkeit: {netz.evaluate(x_test, y_test, verbose=0)[1]:.4f}")""",
                _stdout(_k3_v1(h1, 391, ms=2) + "Testgenauigkeit: 0.3655\n"))
        _seq_advance(namer, "sequential", "flatten", "dense")
        nb.md("## Tieferes CNN\nDie Anzahl Filter steht in `hparams.yaml`.")
        nb.code("""with open("hparams.yaml") as fh:
    hp = yaml.safe_load(fh)

cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(hp["conv1"], 3, padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.Conv2D(hp["conv1"], 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(hp["conv2"], 3, padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.Conv2D(hp["conv2"], 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.4),
    layers.Dense(10, activation="softmax"),
])
cnn.summary()""", _k3_summary([("conv", 64, 3, 1, "same"), ("bn",), ("conv", 64, 3, 1, "same"), ("pool", 2),
                              ("conv", 128, 3, 1, "same"), ("bn",), ("conv", 128, 3, 1, "same"), ("pool", 2),
                              ("flat",), ("drop", 0.4), ("dense", 10)], namer, namer("sequential")))
        nb.code("""cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
verlauf = cnn.fit(x_train, y_train, epochs=12, batch_size=256, validation_split=0.1)""",
                _stdout(_k3_v1(h2, 176, every=7, ms=31)))
        nb.code("""verlust, genauigkeit = cnn.evaluate(x_test, y_test)
print(f"Testgenauigkeit: {genauigkeit:.4f}")""", _stdout(_k3_eval(0.7856, 0.6790) + "Testgenauigkeit: 0.7856\n"))
        _review(nb, "de", set("abcdefgh"), style="cells")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3701, 0.3655),
        _m("cnn", arch, 12, 256, 0.9012, 0.7856),
    ], [], d1=True, wp=False, d2=False, simple=False, deeper=1, review=8, diffs={"optimizer"})
    return Case("keras3_rich_summary_yaml_de", "German Keras 3: filters from a YAML file, only the rich "
                "summary (display_data box table) tells 64/128; one-layer with rmsprop; 8 German answers",
                build, expected)


def _case_keras2_functional_and_add():
    h1 = _hist(5, 0.4021, 1.8874, 0.3140, 2.2780)
    h2 = _hist(30, 0.5602, 1.2490, 0.3580, 1.8231)
    h3 = _hist(10, 0.7004, 0.8650, 0.4470, 1.5340)
    h4 = _hist(20, 0.8015, 0.5690, 0.3910, 1.6650, val=0.7322, val_loss=0.7850)
    h5 = _hist(25, 0.8712, 0.3640, 0.3520, 1.7400)
    arch_b = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=64, w=5, h=3, S=1, P='same'; "
              "Layer 3 : MAXPOOL 3x3; Layer 4 : CONV D=128, w=h=3, S=2, P='same'; Layer 5 : GLOBAL AVG POOL; "
              "Layer 6 : DENSE 64; Layer 7 : DENSE")
    arch_c = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
              "Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
              "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL + DROPOUT 0.25; "
              "Layer 7 : CONV D=128, w=h=3, S=1, P='same'; Layer 8 : CONV D=128, w=h=3, S=1, P='same'; "
              "Layer 9 : MAXPOOL + DROPOUT 0.25; Layer 10 : DENSE 512; Layer 11 : DENSE")
    table = [(A_SIMPLE_K, "70.0 %", "63.9 %"), (arch_b, "80.2 %", "72.4 %"), (arch_c, "87.1 %", "80.3 %")]

    def build():
        nb = _NB()
        namer = _Namer()
        nb.md("# Convolutional Neural Networks – PW4\nGroup 5: Chloé Roux, David Nguyen, Ivan Petrov")
        nb.code("""%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from tensorflow import keras
from tensorflow.keras import layers""", _stderr(_TF_STDERR))
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Exercise 2")
        nb.code("""net1 = keras.models.Sequential()
net1.add(keras.layers.Flatten(input_shape=x_train.shape[1:]))
net1.add(keras.layers.Dense(10, kernel_regularizer=keras.regularizers.l2(l2=0.05)))
net1.add(keras.layers.Activation("softmax"))
net1.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
net1.fit(x_train, y_train, epochs=5, batch_size=128, verbose=2)
print("Test accuracy:", net1.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h1, 391, ms=2) + f"Test accuracy: {_f32(0.3890)}\n"))
        _seq_advance(namer, "flatten", "dense", "activation")
        nb.code(_k_weights_code("net1"), _image(19))
        nb.code("""net2 = keras.models.Sequential()
net2.add(keras.layers.Flatten(input_shape=x_train.shape[1:]))
net2.add(keras.layers.Dense(128))
net2.add(keras.layers.Activation("relu"))
net2.add(keras.layers.Dense(10))
net2.add(keras.layers.Activation("softmax"))
net2.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
net2.fit(x_train, y_train, epochs=30, batch_size=128)
print("Test accuracy:", net2.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h2, 391, every=25, ms=3) + f"Test accuracy: {_f32(0.4870)}\n"))
        _seq_advance(namer, "flatten", "dense", "activation", "dense", "activation")
        nb.md("## Exercise 3 (functional API)")
        nb.code("""inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, (3, 3), padding="same", activation="relu")(inputs)
x = layers.MaxPooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
cnn_a = keras.Model(inputs, outputs, name="cnn_a")
cnn_a.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
cnn_a.fit(x_train, y_train, epochs=10, batch_size=128)
print("Test accuracy:", cnn_a.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h3, 391, ms=8) + f"Test accuracy: {_f32(0.6390)}\n"))
        _seq_advance(namer, "conv2d", "max_pooling2d", "flatten", "dense")
        nb.code("""inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same")(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.Conv2D(64, (3, 5), padding="same", activation="relu")(x)   # rectangular kernel
x = layers.MaxPooling2D(3)(x)
x = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10, activation="softmax")(x)
cnn_b = keras.Model(inputs, outputs, name="cnn_b")
cnn_b.summary()""", _stdout(_k2_summary(
            [("conv", 32, 3, 1, "same"), ("bn",), ("relu",), ("conv", 64, (3, 5), 1, "same"), ("pool", 3),
             ("conv", 128, 3, 2, "same"), ("gap",), ("dense", 64), ("dense", 10)], namer, "cnn_b",
            input_name="input_2")))
        nb.code("""cnn_b.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
cnn_b.fit(x_train, y_train, epochs=20, batch_size=128, validation_split=0.1)
print("Test accuracy:", cnn_b.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h4, 352, ms=11) + f"Test accuracy: {_f32(0.7240)}\n"))
        nb.code("""inp = keras.Input((32, 32, 3))
x = inp
for f in (32, 64, 128):
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Dropout(0.25)(x)
x = layers.Flatten()(x)
x = layers.Dense(512, activation="relu")(x)
out = layers.Dense(10, activation="softmax")(x)
cnn_c = keras.Model(inp, out)
cnn_c.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
cnn_c.fit(x_train, y_train, epochs=25, batch_size=128, verbose=2)
print("Test accuracy:", cnn_c.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h5, 391, ms=19) + f"Test accuracy: {_f32(0.8033)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[n, a, tr, te] for n, (a, tr, te) in zip("ABC", table, strict=False)]))
        _review(nb, "en", set("ah"), style="cells", blank="see slides")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4021, 0.3890),
        _m("dense", A_2L, 30, 128, 0.5602, 0.4870),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7004, 0.6390),
        _m("cnn", arch_b, 20, 128, 0.8015, 0.7240),
        _m("cnn", arch_c, 25, 128, 0.8712, 0.8033),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=2, review=2)
    return Case("keras2_functional_and_add", ".add chains with Activation layers, functional API CNNs "
                "(rectangular (3, 5) kernel, MaxPooling2D(3), stride 2, GAP), functional summary, "
                "'see slides' non-answers", build, expected)


def _case_keras2_refit_later_cell():
    h1 = _hist(10, 0.6950, 0.8811, 0.4490, 1.5302)
    h2 = _hist(10, 0.8213, 0.5120, 0.3880, 1.6710)
    h2b = _hist(5, 0.8895, 0.3150, 0.8390, 0.4701)
    h3 = _hist(15, 0.8420, 0.4470, 0.4120, 1.5880)
    arch2 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL + DROPOUT 0.25; "
             "Layer 7 : DENSE 512 + DROPOUT 0.5; Layer 8 : DENSE")
    arch3 = ("Layer 1 : CONV D=64, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; "
             "Layer 3 : CONV D=128, w=h=3, S=1, P='same'; Layer 4 : MAXPOOL; "
             "Layer 5 : CONV D=256, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE 256; Layer 8 : DENSE")
    table = [(A_SIMPLE_K, "69.5", "62.9"), (arch2, "88.95", "76.02"), (arch3, "84.2", "77.5")]

    def build():
        nb = _NB()
        nb.md("# Exercise 3 – CNNs on CIFAR10\n_group 11_")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.code("""def test_acc(model):
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {acc:.4f}")""")
        nb.md("## Simple CNN")
        nb.code("""simple_cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=(1, 1), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
simple_cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
simple_cnn.fit(x_train, y_train, epochs=10, batch_size=128)
test_acc(simple_cnn)""", _stdout(_k2_v1(h1, 391, ms=8) + "Test accuracy: 0.6290\n"))
        nb.md("## Deeper CNN 1")
        nb.code("""deep = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.25),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
deep.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep.fit(x_train, y_train, epochs=10, batch_size=128)
test_acc(deep)""", _stdout(_k2_v1(h2, 391, ms=14) + "Test accuracy: 0.7311\n"))
        nb.md("Still improving, so we continue the training of the same model with bigger batches:")
        nb.code("""deep.fit(x_train, y_train, epochs=5, batch_size=256)
test_acc(deep)""", _stdout(_k2_v1(h2b, 196, every=6, ms=24, first_extra=1) + "Test accuracy: 0.7602\n"))
        nb.md("## Deeper CNN 2")
        nb.code("""deep2 = keras.Sequential()
deep2.add(layers.Conv2D(64, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)))
deep2.add(layers.MaxPooling2D((2, 2)))
deep2.add(layers.Conv2D(128, (3, 3), padding="same", activation="relu"))
deep2.add(layers.MaxPooling2D((2, 2)))
deep2.add(layers.Conv2D(256, (3, 3), padding="same", activation="relu"))
deep2.add(layers.MaxPooling2D((2, 2)))
deep2.add(layers.Flatten())
deep2.add(layers.Dense(256, activation="relu"))
deep2.add(layers.Dense(10, activation="softmax"))
deep2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep2.fit(x_train, y_train, epochs=15, batch_size=128, verbose=2)
test_acc(deep2)""", _stdout(_k2_v2(h3, 391, ms=12) + "Test accuracy: 0.7750\n"))
        nb.md("## Results\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]) +
              "\n\n(CNN 2: after the 15 epochs in total.)")
        return nb.build()

    expected = _report("keras", [
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6950, 0.6290),
        _m("cnn", arch2, 10, 128, 0.8213, 0.7311),
        _m("cnn", arch2, 5, 256, 0.8895, 0.7602),
        _m("cnn", arch3, 15, 128, 0.8420, 0.7750),
    ], table, d1=False, wp=False, d2=False, simple=True, deeper=2, review=0)
    return Case("keras2_refit_later_cell", "a deeper CNN re-fit in a later cell (second run: 5 epochs, "
                "batch 256; counted once among the deeper CNNs); test accuracy printed by a helper",
                build, expected)


def _case_keras2_dishonest_test_colab():
    h1 = _hist(5, 0.4001, 1.8990, 0.3122, 2.2850)
    h2 = _hist(30, 0.5533, 1.2745, 0.3590, 1.8300)
    h3 = _hist(10, 0.6845, 0.9010, 0.4420, 1.5530)
    h4 = _hist(20, 0.7489, 0.7120, 0.3970, 1.6400)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P='same'; Layer 5 : MAXPOOL; "
             "Layer 6 : DENSE 256; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "68.5%", "63.0%"), (arch4, "74.9%", "71.5%")]

    def build():
        nb = _NB(colab=True)
        nb.md("# PW04 – CNN\n**Group 17**: Olivia Brown, Noah Schmid")
        nb.code("!pip install -q tensorflow==2.12.0", _stdout(
            "\x1b[2K     \x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[32m585.9/585.9 MB\x1b[0m "
            "\x1b[31m2.1 MB/s\x1b[0m eta \x1b[36m0:00:00\x1b[0m\n"
            "\x1b[?25h\x1b[31mERROR: pip's dependency resolver does not currently take into account all the "
            "packages that are installed.\x1b[0m\x1b[31m\n\x1b[0m"))
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## One-layer network")
        nb.code("""model = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05))
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, batch_size=128)""", _stdout(_k2_v1(h1, 391, ms=2)),
                _result("<keras.callbacks.History at 0x7f0b1c6e2f80>"))
        nb.code("""score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""", _stdout(f"Test accuracy: {_f32(0.3880)}\n"))
        nb.code(_k_weights_code("model"), _image(23))
        nb.md("## Two-layer network")
        nb.code("""model2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax')
])
model2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model2.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
score = model2.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""", _stdout(_k2_v2(h2, 391, ms=3) + f"Test accuracy: {_f32(0.4799)}\n"))
        nb.md("## Simple CNN")
        nb.code("""cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax')
])
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn.fit(x_train, y_train, epochs=10, batch_size=128)
score = cnn.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""", _stdout(_k2_v1(h3, 391, ms=5) + f"Test accuracy: {_f32(0.6301)}\n"))
        nb.md("## Deeper CNN")
        nb.code("""cnn2 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(256, activation='relu'),
    layers.Dense(10, activation='softmax')
])
cnn2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn2.fit(x_train, y_train, epochs=20, batch_size=128)
score = cnn2.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""", _stdout(_k2_v1(h4, 391, ms=9) + f"Test accuracy: {_f32(0.6532)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]) +
              "\n\nThe deeper CNN gives the best result.")
        _review(nb, "en", set("abcdefgh"), style="headed")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4001, 0.3880),
        _m("dense", A_2L, 30, 128, 0.5533, 0.4799),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6845, 0.6301),
        _m("cnn", arch4, 20, 128, 0.7489, 0.6532),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=8, acc=[("test", "71.5%")])
    return Case("keras2_dishonest_test_colab", "Colab notebook with !pip install: the table claims 71.5% test "
                "for the deeper CNN whose evaluation printed 0.6532 (one accusation)", build, expected)


def _case_keras2_dishonest_dataframe():
    h1 = _hist(5, 0.4030, 1.8930, 0.3100, 2.3010)
    hs = _hist(10, 0.7034, 0.8560, 0.4510, 1.5220)
    ha = _hist(15, 0.8312, 0.4870, 0.4330, 1.5610)
    hb = _hist(20, 0.8890, 0.3220, 0.4650, 1.4870)
    arch_a = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
              "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
              "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    arch_b = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=64, w=h=3, S=1, P='same' + BN; "
              "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P='same' + BN; "
              "Layer 5 : MAXPOOL + DROPOUT 0.5; Layer 6 : DENSE")
    table = [(A_SIMPLE_K, "70.34", "64.88"), (arch_a, "91.04", "75.90"), (arch_b, "88.90", "79.88")]

    def build():
        nb = _NB()
        nb.md("# PW 04\n\nGroup 6 – Rahel Tesfaye & Jan Novak")
        nb.code(_K_IMPORTS + "\nimport pandas as pd")
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## 1-layer")
        nb.code("""m1 = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)),
                       layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05))])
m1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
m1.fit(x_train, y_train, epochs=5, batch_size=128)
loss, acc = m1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {acc:.4f}")""", _stdout(_k2_v1(h1, 391, ms=3) + "Test accuracy: 0.3902\n"))
        nb.code(_k_weights_code("m1"), _image(29))
        nb.md("## CNNs")
        nb.code("""def train_and_test(model, epochs):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=128)
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {acc:.4f}")
    return model""")
        nb.code("""simple = train_and_test(keras.Sequential([
    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
]), epochs=10)""", _stdout(_k2_v1(hs, 391, ms=7) + "Test accuracy: 0.6488\n"))
        nb.code("""deep_a = train_and_test(keras.Sequential([
""" + _K_VGG_STACK + """, epochs=15)""", _stdout(_k2_v1(ha, 391, ms=12) + "Test accuracy: 0.7590\n"))
        nb.code("""deep_b = train_and_test(keras.Sequential([
    layers.Conv2D(32, 3, padding="same", input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(64, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
]), epochs=20)""", _stdout(_k2_v1(hb, 391, ms=16) + "Test accuracy: 0.7421\n"))
        nb.md("## Table 1")
        nb.code("""pd.set_option("display.max_colwidth", None)
results = pd.DataFrame({
    "CNN": [1, 2, 3],
    "Architecture": [
        "%s",
        "%s",
        "%s",
    ],
    "Acc. train %%": [70.34, 91.04, 88.90],
    "Acc. test %%": [64.88, 75.90, 79.88],
})
results""" % (A_SIMPLE_K, arch_a, arch_b), _df_output(
            ["CNN", "Architecture", "Acc. train %", "Acc. test %"],
            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4030, 0.3902),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7034, 0.6488),
        _m("cnn", arch_a, 15, 128, 0.8312, 0.7590),
        _m("cnn", arch_b, 20, 128, 0.8890, 0.7421),
    ], table, d1=True, wp=True, d2=False, simple=True, deeper=2, review=0,
        acc=[("train", "91.04"), ("test", "79.88")])
    return Case("keras2_dishonest_dataframe", "printed DataFrame table with typed-in numbers: 91.04 train "
                "(log 0.8312) and 79.88 test (printed 0.7421) are accused; models trained by a helper",
                build, expected)


def _case_keras2_dishonest_de_comma():
    h1 = _hist(20, 0.4210, 1.7330, 0.3050, 2.1400)
    h2 = _hist(30, 0.6012, 1.1310, 0.3720, 1.7650)
    h3 = _hist(10, 0.7102, 0.8390, 0.4590, 1.5020)
    h4 = _hist(10, 0.7512, 0.7050, 0.4220, 1.5880)
    h5 = _hist(15, 0.8350, 0.4690, 0.4480, 1.5010)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : MAXPOOL; "
             "Layer 6 : DENSE 128; Layer 7 : DENSE")
    arch5 = ("Layer 1 : CONV D=64, w=h=5, S=1, P='same' + BN; Layer 2 : MAXPOOL; "
             "Layer 3 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 4 : MAXPOOL; "
             "Layer 5 : CONV D=256, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "71,0 %", "64,2 %"), (arch4, "88,4 %", "70,3 %"), (arch5, "83,5 %", "80,1 %")]

    def build():
        nb = _NB()
        nb.md("# Praktische Arbeit 4: Faltungsnetze\n\nGruppe 1 - Sophie Wyss, Nico Baumann")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Einschichtiges Netz\n\nWir haben L2 = 0.01 und RMSprop ausprobiert, mit 20 Epochen.")
        nb.code("""einfach = keras.Sequential()
einfach.add(layers.Flatten(input_shape=(32, 32, 3)))
einfach.add(layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.01)))
einfach.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
einfach.fit(x_train, y_train, epochs=20, batch_size=128, verbose=2)
print("Testgenauigkeit:", einfach.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h1, 391, ms=2) + f"Testgenauigkeit: {_f32(0.3988)}\n"))
        nb.md("### Gewichte")
        nb.code(_k_weights_code("einfach", title="Gewichte pro Klasse"), _image(31))
        nb.md("## Zweischichtiges Netz")
        nb.code("""zwei = keras.Sequential()
zwei.add(layers.Flatten(input_shape=(32, 32, 3)))
zwei.add(layers.Dense(256, activation="relu"))
zwei.add(layers.Dense(10, activation="softmax"))
zwei.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
zwei.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
print("Testgenauigkeit:", zwei.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h2, 391, ms=3) + f"Testgenauigkeit: {_f32(0.5104)}\n"))
        nb.md("## Einfaches CNN")
        nb.code("""cnn1 = keras.Sequential()
cnn1.add(layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)))
cnn1.add(layers.MaxPooling2D((2, 2)))
cnn1.add(layers.Flatten())
cnn1.add(layers.Dense(10, activation="softmax"))
cnn1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn1.fit(x_train, y_train, epochs=10, batch_size=128)
print("Testgenauigkeit:", cnn1.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h3, 391, ms=7) + f"Testgenauigkeit: {_f32(0.6420)}\n"))
        nb.md("## Tiefere CNNs")
        nb.code("""cnn2 = keras.Sequential()
cnn2.add(layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)))
cnn2.add(layers.Conv2D(32, (3, 3), padding="same", activation="relu"))
cnn2.add(layers.MaxPooling2D((2, 2)))
cnn2.add(layers.Conv2D(64, (3, 3), padding="same", activation="relu"))
cnn2.add(layers.MaxPooling2D((2, 2)))
cnn2.add(layers.Flatten())
cnn2.add(layers.Dense(128, activation="relu"))
cnn2.add(layers.Dense(10, activation="softmax"))
cnn2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn2.fit(x_train, y_train, epochs=10, batch_size=128)
print("Testgenauigkeit:", cnn2.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h4, 391, ms=10) + f"Testgenauigkeit: {_f32(0.7030)}\n"))
        nb.code("""cnn3 = keras.Sequential()
cnn3.add(layers.Conv2D(64, (5, 5), padding="same", activation="relu", input_shape=(32, 32, 3)))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.MaxPooling2D((2, 2)))
cnn3.add(layers.Conv2D(128, (3, 3), padding="same", activation="relu"))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.MaxPooling2D((2, 2)))
cnn3.add(layers.Conv2D(256, (3, 3), padding="same", activation="relu"))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.MaxPooling2D((2, 2)))
cnn3.add(layers.Flatten())
cnn3.add(layers.Dense(10, activation="softmax"))
cnn3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn3.fit(x_train, y_train, epochs=15, batch_size=128)
print("Testgenauigkeit:", cnn3.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h5, 391, ms=13) + f"Testgenauigkeit: {_f32(0.7023)}\n"))
        nb.md("## Tabelle 1\n\n" + _md_table(["CNN", "Architektur", "Genauigkeit Training %",
                                              "Genauigkeit Test %"],
                                             [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "de", set("abcdefgh"), style="headed")
        return nb.build()

    expected = _report("keras", [
        _m("dense", "Layer 1 : DENSE, L2=0.01", 20, 128, 0.4210, 0.3988),
        _m("dense", "Layer 1 : DENSE 256; Layer 2 : DENSE", 30, 128, 0.6012, 0.5104),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7102, 0.6420),
        _m("cnn", arch4, 10, 128, 0.7512, 0.7030),
        _m("cnn", arch5, 15, 128, 0.8350, 0.7023),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=2, review=8,
        diffs={"epochs", "l2", "optimizer"}, acc=[("train", "88,4 %"), ("test", "80,1 %")])
    return Case("keras2_dishonest_de_comma", "German .add notebook: one-layer with L2 0.01, 20 epochs, rmsprop; "
                "table with comma decimals, two inflated cells ('88,4 %' train, '80,1 %' test)", build, expected)


def _case_keras2_table_unexecuted_cell():
    h1 = _hist(5, 0.3999, 1.9001, 0.3110, 2.2900)
    h2 = _hist(30, 0.5500, 1.2801, 0.3550, 1.8390)
    h3 = _hist(10, 0.6911, 0.8850, 0.4460, 1.5400)
    h5 = _hist(15, 0.8455, 0.4400, 0.4390, 1.5450)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; "
             "Layer 3 : MAXPOOL + DROPOUT 0.3; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + DROPOUT 0.3; "
             "Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, w=h=3, S=1, P='same' + BN; "
             "Layer 9 : MAXPOOL + DROPOUT 0.3; Layer 10 : DENSE")
    arch5 = ("Layer 1 : CONV D=48, w=h=3, S=1, P='same'; Layer 2 : CONV D=48, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=96, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=96, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; "
             "Layer 7 : DENSE 256 + DROPOUT 0.5; Layer 8 : DENSE")
    table = [(A_SIMPLE_K, "69.1", "63.0"), (arch4, "92.0", "82.0"), (arch5, "84.6", "77.0")]

    def build():
        nb = _NB()
        nb.md("# PW4 CNN – group 19\nKevin Aebischer, Laura Conti")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Ex 2")
        nb.code("""one = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)),
                        layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05))])
one.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
one.fit(x_train, y_train, epochs=5, batch_size=128, verbose=2)
print("Test accuracy:", one.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h1, 391, ms=2) + f"Test accuracy: {_f32(0.3871)}\n"))
        nb.code("""two = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)),
                        layers.Dense(128, activation="relu"),
                        layers.Dense(10, activation="softmax")])
two.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
two.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
print("Test accuracy:", two.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h2, 391, ms=3) + f"Test accuracy: {_f32(0.4811)}\n"))
        nb.md("## Ex 3")
        nb.code("""cnn1 = keras.Sequential([
    layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn1.fit(x_train, y_train, epochs=10, batch_size=128)
print("Test accuracy:", cnn1.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h3, 391, ms=7) + f"Test accuracy: {_f32(0.6302)}\n"))
        nb.md("CNN 2 (we ran it on the lab GPU, the output got lost when we cleared the notebook)")
        nb.code("""cnn2 = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for f in [32, 64, 128]:
    cnn2.add(layers.Conv2D(f, 3, padding="same", activation="relu"))
    cnn2.add(layers.BatchNormalization())
    cnn2.add(layers.Conv2D(f, 3, padding="same", activation="relu"))
    cnn2.add(layers.BatchNormalization())
    cnn2.add(layers.MaxPooling2D())
    cnn2.add(layers.Dropout(0.3))
cnn2.add(layers.Flatten())
cnn2.add(layers.Dense(10, activation="softmax"))
cnn2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn2.fit(x_train, y_train, epochs=20, batch_size=128)
print("Test accuracy:", cnn2.evaluate(x_test, y_test, verbose=0)[1])""", run=False)
        nb.code("""cnn3 = keras.Sequential([
    layers.Conv2D(48, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(48, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(96, 3, padding="same", activation="relu"),
    layers.Conv2D(96, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
cnn3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn3.fit(x_train, y_train, epochs=15, batch_size=128)
print("Test accuracy:", cnn3.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h5, 391, ms=15) + f"Test accuracy: {_f32(0.7701)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("abcde"), style="single")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3999, 0.3871),
        _m("dense", A_2L, 30, 128, 0.5500, 0.4811),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6911, 0.6302),
        _m("cnn", arch4, 20, 128, None, None),
        _m("cnn", arch5, 15, 128, 0.8455, 0.7701),
    ], table, d1=True, wp=False, d2=True, simple=True, deeper=2, review=5)
    return Case("keras2_table_unexecuted_cell", "the table's 92.0/82.0 come from a cell without outputs "
                "(no accusation possible); the other rows honest; 5 answers in one markdown cell",
                build, expected)


def _case_keras2_all_outputs_cleared():
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; "
             "Layer 7 : DENSE 128 + DROPOUT 0.5; Layer 8 : DENSE")
    table = [(A_SIMPLE_K, "68.1%", "62.5%"), (arch4, "83.0%", "75.2%")]

    def build():
        nb = _NB()
        nb.md("# PW04 – Convolutional Neural Networks\n\nGroup 13: Ben Okafor, Mara Lehmann\n\n"
              "(outputs cleared before submission, the file was too big for Moodle)")
        nb.code(_K_IMPORTS, run=False)
        nb.code(_K_DATA, run=False)
        nb.md("## One-layer network")
        nb.code("""model1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
model1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model1.fit(x_train, y_train, epochs=5, batch_size=128)
score = model1.evaluate(x_test, y_test)
print("Test accuracy:", score[1])""", run=False)
        nb.code(_k_weights_code("model1"), run=False)
        nb.md("## Two-layer network")
        nb.code(_K_DENSE2 + """)
score = model2.evaluate(x_test, y_test)
print("Test accuracy:", score[1])""", run=False)
        nb.md("## Simple CNN")
        nb.code("""model3 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model3.fit(x_train, y_train, epochs=10, batch_size=128)
score = model3.evaluate(x_test, y_test)
print("Test accuracy:", score[1])""", run=False)
        nb.md("## Deeper CNN")
        nb.code("""model4 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
model4.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model4.fit(x_train, y_train, epochs=12, batch_size=64)
score = model4.evaluate(x_test, y_test)
print("Test accuracy:", score[1])""", run=False)
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("aceg"), style="cells")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, None, None),
        _m("dense", A_2L, 30, 128, None, None),
        _m("cnn", A_SIMPLE_K, 10, 128, None, None),
        _m("cnn", arch4, 12, 64, None, None),
    ], table, d1=True, wp=False, d2=True, simple=True, deeper=1, review=4)
    return Case("keras2_all_outputs_cleared", "every output cleared: all accuracies None, no weights image, "
                "table present but no accusation; 4 answers", build, expected)


def _case_keras2_partly_executed_fr():
    h1 = _hist(5, 0.4020, 1.8930, 0.3100, 2.2990)
    h2 = _hist(30, 0.5512, 1.2770, 0.3570, 1.8350)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : DENSE 128; Layer 5 : DENSE")
    table = [(A_SIMPLE_K, "71,5", "65,0"), (arch4, "85,2", "76,8")]

    def build():
        nb = _NB()
        nb.md("# TP 04 : CNN\n\nGroupe 10 - Inès Morel, Bastien Roy")
        nb.code("""%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from tensorflow import keras
from tensorflow.keras import layers, regularizers""")
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Réseau à une couche")
        nb.code("""reseau1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
reseau1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
reseau1.fit(x_train, y_train, epochs=5, batch_size=128)""", _stdout(_k2_v1(h1, 391, ms=2)),
                _result("<keras.callbacks.History at 0x7fd3b81c4e50>"))
        nb.code("""perte, precision = reseau1.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {precision:.3f}")""", _stdout("Précision (test) : 0.390\n"))
        nb.code(_k_weights_code("reseau1", title="Poids"), _image(37))
        nb.md("## Réseau à deux couches")
        nb.code("""reseau2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
reseau2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
reseau2.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
perte, precision = reseau2.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {precision:.3f}")""", _stdout(_k2_v2(h2, 391, ms=3) + "Précision (test) : 0.483\n"))
        nb.md("## CNN simple\n\n*(pas eu le temps de relancer les cellules suivantes avant le rendu)*")
        nb.code("""cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=1, padding="same", activation="relu", input_shape=(32, 32, 3)),
""" + _K_SIMPLE_TAIL + """perte, precision = cnn.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {precision:.3f}")""", run=False)
        nb.md("## CNN plus profond")
        nb.code("""cnn2 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
cnn2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn2.fit(x_train, y_train, epochs=15, batch_size=64)
perte, precision = cnn2.evaluate(x_test, y_test, verbose=0)
print(f"Précision (test) : {precision:.3f}")""", run=False)
        nb.md("## Tableau 1\n\n" + _md_table(
            ["CNN", "Architecture", "Précision entraînement (%)", "Précision test (%)"],
            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "fr", set("abcdef"), style="cells")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4020, 0.390),
        _m("dense", A_2L, 30, 128, 0.5512, 0.483),
        _m("cnn", A_SIMPLE_K, 10, 128, None, None),
        _m("cnn", arch4, 15, 64, None, None),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=6)
    return Case("keras2_partly_executed_fr", "French, executed up to the dense nets, the CNN cells never "
                "run: their accuracies None and their table values not accusable; 6 answers", build, expected)


def _case_keras2_sample_images_not_weights():
    h1 = _hist(5, 0.3401, 0.0812, 0.2620, 0.0890)
    h2 = _hist(30, 0.5480, 1.2870, 0.3510, 1.8470)
    h3 = _hist(10, 0.6740, 0.9270, 0.4380, 1.5630)
    arch3 = "Layer 1 : CONV D=32, w=h=3, S=1, P='valid'; Layer 2 : MAXPOOL; Layer 3 : DENSE"

    def build():
        nb = _NB()
        nb.md("# Practical work 4\n\nGroup 20 — Emma Lambert")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("Some images of the training set:")
        nb.code(_CLASSES + """
fig, axes = plt.subplots(2, 5, figsize=(10, 4))
for i, ax in enumerate(axes.flat):
    ax.imshow(x_train[i])
    ax.set_title(classes[y_train[i].argmax()])
    ax.axis("off")
plt.show()""", _image(41, "<Figure size 1000x400 with 10 Axes>"))
        nb.md("## One-layer network")
        nb.code("""model = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="sigmoid", kernel_regularizer=regularizers.l2(0.05)),
])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
hist = model.fit(x_train, y_train, epochs=5, batch_size=128)
print("Test accuracy:", model.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h1, 391, ms=2) + f"Test accuracy: {_f32(0.3312)}\n"))
        nb.code("""plt.plot(hist.history["accuracy"], label="accuracy")
plt.plot(hist.history["loss"], label="loss")
plt.xlabel("epoch")
plt.legend()
plt.show()""", _image(43, "<Figure size 640x480 with 1 Axes>"))
        nb.md("## Two-layer network")
        nb.code(_K_DENSE2 + """, verbose=2)
print("Test accuracy:", model2.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v2(h2, 391, ms=3) + f"Test accuracy: {_f32(0.4791)}\n"))
        nb.md("## Simple CNN")
        nb.code("""cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)),
""" + _K_SIMPLE_TAIL + """print("Test accuracy:", cnn.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h3, 391, ms=7) + f"Test accuracy: {_f32(0.6188)}\n"))
        _review(nb, "en", set(), style="cells")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3401, 0.3312),
        _m("dense", A_2L, 30, 128, 0.5480, 0.4791),
        _m("cnn", arch3, 10, 128, 0.6740, 0.6188),
    ], [], d1=True, wp=False, d2=True, simple=False, deeper=0, review=0, diffs={"output", "loss"})
    return Case("keras2_sample_images_not_weights", "images of CIFAR samples and a training curve but no "
                "weights plot; one-layer with sigmoid + mse; simple CNN without padding='same' (P='valid'); "
                "questions copied, none answered", build, expected)


def _case_keras_legacy_acc_samples():
    h1 = _hist(5, 0.4061, 1.8801, 0.3150, 2.2620, val=0.3912, val_loss=1.9140)
    h2 = _hist(30, 0.5322, 1.3310, 0.3480, 1.8560)
    h3 = _hist(10, 0.6803, 0.9120, 0.4390, 1.5670, val=0.6402, val_loss=1.0440)

    def build():
        nb = _NB(version="3.6.9")
        nb.md("# TP4 - CNN (Keras)\nGroup 14: M. Jaquet, S. Perret")
        nb.code("""import numpy as np
import matplotlib.pyplot as plt
%matplotlib inline
import keras
from keras.datasets import cifar10
from keras.models import Sequential
from keras.layers import Dense, Flatten, Conv2D, MaxPooling2D
from keras import regularizers
from keras.utils import np_utils""", _stderr("Using TensorFlow backend.\n"))
        nb.code("""(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train = x_train.astype('float32') / 255
x_test = x_test.astype('float32') / 255
Y_train = np_utils.to_categorical(y_train, 10)
Y_test = np_utils.to_categorical(y_test, 10)""")
        nb.md("## 1-layer network")
        nb.code("""model = Sequential()
model.add(Flatten(input_shape=(32, 32, 3)))
model.add(Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(x_train, Y_train, batch_size=128, epochs=5, verbose=1, validation_split=0.1)""",
                _stdout("Train on 45000 samples, validate on 5000 samples\n" +
                        _k2_v1(h1, 352, every=8, ms=11, acc_key="acc", batch=128, samples=45000, first_extra=1)))
        nb.code("""score = model.evaluate(x_test, Y_test, verbose=0)
print('Test score:', score[0])
print('Test accuracy:', score[1])""", _stdout("Test score: 1.9208\nTest accuracy: 0.3854\n"))
        nb.code("""w = model.get_weights()[0]
plt.figure(figsize=(12, 3))
for i in range(10):
    wi = w[:, i].reshape(32, 32, 3)
    wi = (wi - wi.min(axis=(0, 1))) / (wi.max(axis=(0, 1)) - wi.min(axis=(0, 1)))
    plt.subplot(1, 10, i + 1)
    plt.imshow(wi)
    plt.axis('off')""", _image(47, "<Figure size 864x216 with 10 Axes>"))
        nb.md("## 2-layer network")
        log2 = "".join(f"Epoch {e}/30\n - 3s - loss: {h['loss']:.4f} - acc: {h['accuracy']:.4f}\n"
                       for e, h in enumerate(h2, 1))
        nb.code("""model2 = Sequential()
model2.add(Flatten(input_shape=(32, 32, 3)))
model2.add(Dense(128, activation='relu'))
model2.add(Dense(10, activation='softmax'))
model2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model2.fit(x_train, Y_train, batch_size=128, epochs=30, verbose=2)
score = model2.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _stdout(log2 + "Test accuracy: 0.4701\n"))
        nb.md("## Simple CNN")
        nb.code("""cnn = Sequential()
cnn.add(Conv2D(32, (3, 3), strides=(1, 1), padding='same', activation='relu', input_shape=(32, 32, 3)))
cnn.add(MaxPooling2D(pool_size=(2, 2)))
cnn.add(Flatten())
cnn.add(Dense(10, activation='softmax'))
cnn.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
cnn.fit(x_train, Y_train, batch_size=128, epochs=10, verbose=1, validation_split=0.1)
score = cnn.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""",
                _stdout("Train on 45000 samples, validate on 5000 samples\n" +
                        _k2_v1(h3, 352, every=8, ms=40, acc_key="acc", batch=128, samples=45000, first_extra=2) +
                        "Test accuracy: 0.621\n"))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.4061, 0.3854),
        _m("dense", A_2L, 30, 128, 0.5322, 0.4701),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.6803, 0.621),
    ], [], d1=True, wp=True, d2=True, simple=True, deeper=0, review=0)
    return Case("keras_legacy_acc_samples", "standalone Keras 2.2: 'Train on 45000 samples', sample counters "
                "45000/45000, 'acc'/'val_acc' keys, old verbose=2 lines, weights via get_weights()[0]",
                build, expected)


def _case_keras3_plain_bars_en():
    h1 = _hist(5, 0.3977, 1.9050, 0.3080, 2.3210)
    h2 = _hist(30, 0.6120, 1.1020, 0.3750, 1.7710)
    h2b = _hist(40, 0.6650, 0.9480, 0.3610, 1.8010)
    h3 = _hist(10, 0.7150, 0.8220, 0.4610, 1.5100)
    h4 = _hist(15, 0.8630, 0.3950, 0.4290, 1.5650)
    arch4 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "72 %", "66 %"), (arch4, "86 %", "75 %")]

    def build():
        nb = _NB(version="3.11.4")
        nb.md("# PW 4 — CNN with Keras 3\n\nGroup 18: Ahmed Ali, Julia Schneider")
        nb.code(_K3_IMPORTS, _stdout("3.0.5\n"))
        nb.code("""(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train, y_test = keras.utils.to_categorical(y_train), keras.utils.to_categorical(y_test)""")
        nb.code("""def report(model):
    print("Test accuracy:", round(model.evaluate(x_test, y_test, verbose=0)[1], 4))""")
        nb.md("## Exercise 2")
        nb.code("""one = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(),
                        layers.Dense(10, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.05))])
one.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
one.fit(x_train, y_train, epochs=5, batch_size=128)
report(one)""", _stdout(_k3_v1(h1, 391, ms=2, ansi=False) + "Test accuracy: 0.384\n"))
        nb.code("""W = one.layers[-1].get_weights()[0].reshape(32, 32, 3, 10)
fig, ax = plt.subplots(2, 5, figsize=(10, 4))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    ax.flat[i].imshow(w)
    ax.flat[i].axis("off")
plt.tight_layout()""", _image(53, "<Figure size 1000x400 with 10 Axes>"))
        nb.code("""two = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(),
                        layers.Dense(256, activation="relu"),
                        layers.Dense(10, activation="softmax")])
two.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
two.fit(x_train, y_train, epochs=30, batch_size=128)
report(two)""", _stdout(_k3_v1(h2, 391, every=23, ms=3, ansi=False) + "Test accuracy: 0.509\n"))
        nb.md("Tuning: one more hidden layer and 40 epochs.")
        nb.code("""three = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(),
                          layers.Dense(512, activation="relu"),
                          layers.Dense(256, activation="relu"),
                          layers.Dense(10, activation="softmax")])
three.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
three.fit(x_train, y_train, epochs=40, batch_size=128, verbose=2)
report(three)""", _stdout(_k3_v2(h2b, 391, ms=4) + "Test accuracy: 0.5233\n"))
        nb.md("## Exercise 3")
        nb.code("""cnn = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn.fit(x_train, y_train, epochs=10, batch_size=128)
report(cnn)""", _stdout(_k3_v1(h3, 391, ms=6, ansi=False) + "Test accuracy: 0.656\n"))
        nb.code("""deeper = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
deeper.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deeper.fit(x_train, y_train, epochs=15, batch_size=128)
report(deeper)""", _stdout(_k3_v1(h4, 391, ms=11, ansi=False) + "Test accuracy: 0.7466\n"))
        nb.md("### Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                             [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("abcdef"), style="headed")
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3977, 0.384),
        _m("dense", "Layer 1 : DENSE 256; Layer 2 : DENSE", 30, 128, 0.6120, 0.509),
        _m("dense", "Layer 1 : DENSE 512; Layer 2 : DENSE 256; Layer 3 : DENSE", 40, 128, 0.6650, 0.5233),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7150, 0.656),
        _m("cnn", arch4, 15, 128, 0.8630, 0.7466),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=6)
    return Case("keras3_plain_bars_en", "Keras 3 ━ bars without ANSI colours, a 3-layer dense net besides the "
                "2-layer one (256 units), weights from layers[-1], whole-percent table, 6 answers",
                build, expected)


def _case_keras2_dishonest_partial():
    h2 = _hist(12, 0.8011, 0.5640, 0.4150, 1.6020)
    arch2 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : MAXPOOL; "
             "Layer 6 : DENSE 128; Layer 7 : DENSE")
    table = [(A_SIMPLE_K, "95.0%", "66.1%"), (arch2, "80.1%", "77.3%")]

    def build():
        nb = _NB()
        nb.md("# Ex. 3 CNN\nGroup 22 (F. Huber)")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.code("""cnn_a = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_a.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_a.fit(x_train, y_train, epochs=10, batch_size=128, verbose=0)
print("Test accuracy:", cnn_a.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(f"Test accuracy: {_f32(0.6612)}\n"))
        nb.code("""cnn_b = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
cnn_b.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_b.fit(x_train, y_train, epochs=12, batch_size=128)
print("Test accuracy:", cnn_b.evaluate(x_test, y_test, verbose=0)[1])""",
                _stdout(_k2_v1(h2, 391, ms=10) + f"Test accuracy: {_f32(0.7230)}\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("keras", [
        _m("cnn", A_SIMPLE_K, 10, 128, None, 0.6612),
        _m("cnn", arch2, 12, 128, 0.8011, 0.7230),
    ], table, d1=False, wp=False, d2=False, simple=True, deeper=1, review=0, acc=[("test", "77.3%")])
    return Case("keras2_dishonest_partial", "a 95.0% train claim for a model trained with verbose=0 (no output "
                "shows its training accuracy: no accusation) next to a provably inflated 77.3% test claim",
                build, expected)


def _case_keras2_de_review_short():
    h1 = _hist(5, 0.3820, 1.9640, 0.2990, 2.3080)
    h2 = _hist(10, 0.7060, 0.8480, 0.4540, 1.5250)
    h3 = _hist(20, 0.8744, 0.3610, 0.4180, 1.5930)
    arch3 = ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; "
             "Layer 7 : CONV D=128, w=h=3, S=1, P='same'; Layer 8 : MAXPOOL; Layer 9 : DENSE 256; "
             "Layer 10 : DENSE")
    table = [(A_SIMPLE_K, "70,6", "64,6"), (arch3, "87,4", "78,2")]

    def build():
        nb = _NB()
        nb.md("# PW04 Faltungsnetze\n\nGruppe 16: Timo Graf\n\n---")
        nb.code("""!pip install --quiet pandas""")
        nb.code(_K_IMPORTS)
        nb.code(_K_DATA, _stdout(_K_DATA_OUT))
        nb.md("## Einschichtiges Netz")
        nb.code("""netz1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="sigmoid", kernel_regularizer=regularizers.l2(0.05)),
])
netz1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
netz1.fit(x_train, y_train, epochs=5, batch_size=128)
_, acc = netz1.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v1(h1, 391, ms=2) + "Testgenauigkeit: 0.3710\n"))
        nb.code(_k_weights_code("netz1", title="Gewichte"), _image(59))
        nb.md("## Einfaches CNN")
        nb.code("""cnn = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
""" + _K_SIMPLE_TAIL + """_, acc = cnn.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v1(h2, 391, ms=7) + "Testgenauigkeit: 0.6459\n"))
        nb.md("## Tieferes CNN")
        nb.code("""tief = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
tief.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
tief.fit(x_train, y_train, epochs=20, batch_size=128)
_, acc = tief.evaluate(x_test, y_test, verbose=0)
print(f"Testgenauigkeit: {acc:.4f}")""", _stdout(_k2_v1(h3, 391, ms=12) + "Testgenauigkeit: 0.7822\n"))
        nb.md("## Tabelle 1\n\n" + _md_table(["Nr.", "Architektur", "Genauigkeit Training %",
                                              "Genauigkeit Test %"],
                                             [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        q, a = _Q["de"], _A["de"]
        nb.md(_REVIEW_TITLE["de"])
        nb.md(f"**a) {q['a']}**\n\n{a['a']}")
        nb.md(f"**b) {q['b']}**\n\n{a['b']}")
        nb.md(f"**c) {q['c']}**\n\nsiehe Vorlesung")
        nb.md(f"**d) {q['d']}**\n\nJa.")
        nb.md("\n\n".join(f"**{L}) {q[L]}**" for L in "efgh"))
        return nb.build()

    expected = _report("keras", [
        _m("dense", A_1L, 5, 128, 0.3820, 0.3710),
        _m("cnn", A_SIMPLE_K, 10, 128, 0.7060, 0.6459),
        _m("cnn", arch3, 20, 128, 0.8744, 0.7822),
    ], table, d1=True, wp=True, d2=False, simple=True, deeper=1, review=2, diffs={"output"})
    return Case("keras2_de_review_short", "German: one-layer with a sigmoid output (cce, otherwise as asked); "
                "review with 2 real answers, 'siehe Vorlesung', 'Ja.' and bare questions", build, expected)


# ---------------------------------------------------------------------------
# PyTorch notebooks
# ---------------------------------------------------------------------------

_T_DOWNLOAD_OUT = [
    _stdout("Downloading https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz to "
            "./data/cifar-10-python.tar.gz\n"),
    _stderr("\r  0%|          | 0/170498071 [00:00<?, ?it/s]\r 31%|███       | 52887552/170498071 "
            "[00:04<00:09, 12901311.05it/s]\r100%|██████████| 170498071/170498071 [00:13<00:00, "
            "12718394.22it/s]\n"),
    _stdout("Extracting ./data/cifar-10-python.tar.gz to ./data\nFiles already downloaded and verified\n"),
]

_T_VERIFIED = "Files already downloaded and verified\nFiles already downloaded and verified\n"


def _t_data(train="train_loader", test="test_loader", bs=128, bs_test=1000, norm=True):
    tr = ("transforms.Compose([transforms.ToTensor(), "
          "transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])" if norm else "transforms.ToTensor()")
    return f"""transform = {tr}
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform)
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transform)
{train} = torch.utils.data.DataLoader(trainset, batch_size={bs}, shuffle=True, num_workers=2)
{test} = torch.utils.data.DataLoader(testset, batch_size={bs_test}, shuffle=False, num_workers=2)"""


_T_IMPORTS = """import numpy as np
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device)"""


def _epoch_lines(n, fmt, **curves):
    """One line per epoch; curves: name -> (start, end)."""
    vals = {k: _curve(n, a, b) for k, (a, b) in curves.items()}
    return "".join(fmt.format(e=i + 1, n=n, **{k: v[i] for k, v in vals.items()}) + "\n" for i in range(n))


def _case_torch_de_trainiere():
    deep_arch = ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=64, w=h=3, S=1, P=1 + BN; "
                 "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 5 : MAXPOOL + DROPOUT 0.3; "
                 "Layer 6 : DENSE")
    table = [(A_SIMPLE_T, "0.771", "0.642"), (deep_arch, "0.884", "0.781")]
    fmt = "Epoche {e}/{n}: Verlust={loss:.3f}, Trainingsgenauigkeit={acc:.3f}"

    def build():
        nb = _NB()
        nb.md("# Praktikum 4: CNN mit PyTorch\n\nGruppe 9 – Felix Huber, Lara Meier")
        nb.code(_T_IMPORTS, _stdout("cuda\n"))
        nb.code(_t_data() + '\nklassen = trainset.classes', *_T_DOWNLOAD_OUT)
        nb.code("""def trainiere(modell, n_epochs=5, lr=1e-3):
    modell = modell.to(device)
    kriterium = nn.CrossEntropyLoss()
    optimierer = torch.optim.Adam(modell.parameters(), lr=lr)
    for epoche in range(n_epochs):
        modell.train()
        verlust_summe, richtig, gesamt = 0.0, 0, 0
        for bilder, labels in train_loader:
            bilder, labels = bilder.to(device), labels.to(device)
            optimierer.zero_grad()
            ausgabe = modell(bilder)
            verlust = kriterium(ausgabe, labels)
            verlust.backward()
            optimierer.step()
            verlust_summe += verlust.item() * labels.size(0)
            richtig += (ausgabe.argmax(1) == labels).sum().item()
            gesamt += labels.size(0)
        print(f"Epoche {epoche + 1}/{n_epochs}: Verlust={verlust_summe / gesamt:.3f}, "
              f"Trainingsgenauigkeit={richtig / gesamt:.3f}")
    return modell


def teste(modell):
    modell.eval()
    richtig, gesamt = 0, 0
    with torch.no_grad():
        for bilder, labels in test_loader:
            bilder, labels = bilder.to(device), labels.to(device)
            richtig += (modell(bilder).argmax(1) == labels).sum().item()
            gesamt += labels.size(0)
    return richtig / gesamt""")
        nb.md("## Aufgabe 2: Einschichtiges Netz")
        nb.code("""modell1 = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
trainiere(modell1, n_epochs=10)
print(f"Testgenauigkeit: {teste(modell1):.3f}")""",
                _stdout(_epoch_lines(10, fmt, loss=(1.951, 1.702), acc=(0.301, 0.412)) + "Testgenauigkeit: 0.389\n"))
        nb.code("""gewichte = modell1[1].weight.detach().cpu().numpy()      # (10, 3072)
gewichte = gewichte.reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)
fig, achsen = plt.subplots(2, 5, figsize=(10, 4))
for i, ax in enumerate(achsen.flat):
    w = gewichte[i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    ax.imshow(w)
    ax.set_title(klassen[i])
    ax.axis("off")
plt.show()""", _image(61, "<Figure size 1000x400 with 10 Axes>"))
        nb.md("## Zweischichtiges Netz")
        nb.code("""modell2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
trainiere(modell2, n_epochs=30)
print(f"Testgenauigkeit: {teste(modell2):.3f}")""",
                _stdout(_epoch_lines(30, fmt, loss=(1.712, 1.102), acc=(0.392, 0.611)) + "Testgenauigkeit: 0.502\n"))
        nb.md("## Aufgabe 3: Einfaches CNN")
        nb.code("""cnn1 = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
print(cnn1)""", _stdout(_t_seq([_t_conv(3, 32, 3, 1, 1), _T_RELU, _t_pool(2), _T_FLAT, _t_lin(8192, 10)]) + "\n"))
        nb.code("""trainiere(cnn1, n_epochs=10)
print(f"Testgenauigkeit: {teste(cnn1):.3f}")""",
                _stdout(_epoch_lines(10, fmt, loss=(1.402, 0.509), acc=(0.503, 0.771)) + "Testgenauigkeit: 0.642\n"))
        nb.md("## Tieferes CNN (mit Batch-Normalisierung)")
        nb.code("""cnn2 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Dropout(0.3),
    nn.Linear(128 * 8 * 8, 10),
)
cnn2""", _result(_t_seq([_t_conv(3, 32, 3, 1, 1), _t_bn(32), _T_RELU, _t_conv(32, 64, 3, 1, 1), _t_bn(64), _T_RELU,
                         _t_pool(2), _t_conv(64, 128, 3, 1, 1), _t_bn(128), _T_RELU, _t_pool(2), _T_FLAT,
                         _t_drop(0.3), _t_lin(8192, 10)])))
        nb.code("""trainiere(cnn2, n_epochs=15)
print(f"Testgenauigkeit: {teste(cnn2):.3f}")""",
                _stdout(_epoch_lines(15, fmt, loss=(1.301, 0.331), acc=(0.532, 0.884)) + "Testgenauigkeit: 0.781\n"))
        nb.md("## Tabelle 1\n\n" + _md_table(["CNN", "Architektur", "Genauigkeit Training", "Genauigkeit Test"],
                                             [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 10, 128, 0.412, 0.389),
        _m("dense", A_2L, 30, 128, 0.611, 0.502),
        _m("cnn", A_SIMPLE_T, 10, 128, 0.771, 0.642),
        _m("cnn", deep_arch, 15, 128, 0.884, 0.781),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=0, diffs={"epochs", "l2"})
    return Case("torch_de_trainiere", "German PyTorch: nn.Sequential nets trained by trainiere(modell, n_epochs=10) "
                "(Adam without weight_decay), 'Epoche 10/10: ... Trainingsgenauigkeit=0.771', train loader 128 "
                "vs test loader 1000, model[1].weight plot, print(model)", build, expected)


def _case_torch_module_block_fit_l2():
    deep_arch = ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
                 "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; "
                 "Layer 5 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL + DROPOUT 0.25; "
                 "Layer 7 : DENSE 256; Layer 8 : DENSE")
    table = [(A_SIMPLE_T, "72.35", "64.80"), (deep_arch, "86.21", "74.02")]
    fmt = "ep {e} | loss {loss:.2f} | acc(train) {tr:.2f} | acc(test) {te:.2f}"

    def build():
        nb = _NB()
        nb.md("# PW4 - CNNs in PyTorch\n\nGroup 23: Priya Sharma, Lucas Moreau")
        nb.code(_T_IMPORTS, _stdout("cuda\n"))
        nb.code(_t_data("trainloader", "testloader"), _stdout(_T_VERIFIED))
        nb.code("""def evaluate(model, loader=testloader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += y.size(0)
    return 100.0 * correct / total


def fit(model, epochs, l2=0.0, lr=1e-3):
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=l2)
    loss_fn = nn.CrossEntropyLoss()
    for ep in range(1, epochs + 1):
        model.train()
        running, correct, total = 0.0, 0, 0
        for x, y in trainloader:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            running += loss.item()
            correct += (out.argmax(1) == y).sum().item()
            total += y.size(0)
        print(f"ep {ep} | loss {running / len(trainloader):.2f} | acc(train) {100 * correct / total:.2f} "
              f"| acc(test) {evaluate(model):.2f}")""")
        nb.md("## One layer (L2 = 0.05 through Adam's weight decay)")
        nb.code("""net1 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
fit(net1, 5, l2=0.05)""", _stdout(_epoch_lines(5, fmt, loss=(1.95, 1.78), tr=(33.10, 39.87), te=(34.20, 38.95))))
        nb.code("""w = net1[1].weight.detach().cpu().view(10, 3, 32, 32).permute(0, 2, 3, 1).numpy()
fig, axs = plt.subplots(1, 10, figsize=(16, 2))
for i in range(10):
    wi = w[i]
    wi = (wi - wi.min(axis=(0, 1))) / (wi.max(axis=(0, 1)) - wi.min(axis=(0, 1)))
    axs[i].imshow(wi)
    axs[i].axis("off")
plt.show()""", _image(67, "<Figure size 1600x200 with 10 Axes>"))
        nb.md("## Two layers")
        nb.code("""net2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
fit(net2, 30)""", _stdout(_epoch_lines(30, fmt, loss=(1.70, 1.12), tr=(40.10, 56.40), te=(42.30, 49.12))))
        nb.md("## Simple CNN")
        nb.code("""class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))


cnn = SimpleCNN()
print(cnn)
fit(cnn, 10)""", _stdout(_t_seq([("conv", _t_conv(3, 32, 3, 1, 1)), ("pool", _t_pool(2)), ("fc", _t_lin(8192, 10))],
                                 name="SimpleCNN") + "\n" +
                          _epoch_lines(10, fmt, loss=(1.42, 0.79), tr=(50.20, 72.35), te=(55.00, 64.80))))
        nb.md("## Deeper CNN")
        nb.code("""def block(c_in, c_out, bn=True):
    layers = [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1)]
    if bn:
        layers.append(nn.BatchNorm2d(c_out))
    layers.append(nn.ReLU())
    return layers


class DeepCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *block(3, 32), *block(32, 32), nn.MaxPool2d(2),
            *block(32, 64), *block(64, 64), nn.MaxPool2d(2), nn.Dropout(0.25),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10)
        )

    def forward(self, x):
        return self.classifier(self.features(x))


deep = DeepCNN()
print(deep)""", _stdout(_t_seq([
            ("features", _t_seq([_t_conv(3, 32, 3, 1, 1), _t_bn(32), _T_RELU, _t_conv(32, 32, 3, 1, 1), _t_bn(32),
                                 _T_RELU, _t_pool(2), _t_conv(32, 64, 3, 1, 1), _t_bn(64), _T_RELU,
                                 _t_conv(64, 64, 3, 1, 1), _t_bn(64), _T_RELU, _t_pool(2), _t_drop(0.25)])),
            ("classifier", _t_seq([_T_FLAT, _t_lin(4096, 256), _T_RELU, _t_lin(256, 10)]))], name="DeepCNN") + "\n"))
        nb.code("fit(deep, 20)",
                _stdout(_epoch_lines(20, fmt, loss=(1.31, 0.29), tr=(52.40, 86.21), te=(58.10, 74.02))))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("abcdefgh"), style="single")
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 128, 0.3987, 0.3895),
        _m("dense", A_2L, 30, 128, 0.5640, 0.4912),
        _m("cnn", A_SIMPLE_T, 10, 128, 0.7235, 0.6480),
        _m("cnn", deep_arch, 20, 128, 0.8621, 0.7402),
    ], table, d1=True, wp=True, d2=True, simple=True, deeper=1, review=8)
    return Case("torch_module_block_fit_l2", "PyTorch nn.Module subclasses, nn.Sequential blocks from a helper "
                "unpacked with *block(...), fit(model, 5, l2=0.05) -> Adam weight_decay (compliant), "
                "'ep 20 | loss 0.29 | acc(train) 86.21 | acc(test) 74.02' in percent, nested print(model)",
                build, expected)


def _case_torch_fr_entrainer():
    deep_arch = ("Layer 1 : CONV D=64, w=h=5, S=1, P=2; Layer 2 : MAXPOOL; Layer 3 : CONV D=128, w=h=5, S=1, P=2; "
                 "Layer 4 : MAXPOOL; Layer 5 : CONV D=256, w=h=3, S=1, P=1; Layer 6 : AVGPOOL; Layer 7 : DENSE")
    table = [(A_SIMPLE_T, "67 %", "61 %"), (deep_arch, "83 %", "73 %")]
    fmt = "époque {e} - perte {p:.2f} - précision entraînement {a:.2f}"

    def build():
        nb = _NB()
        nb.md("# TP4 – Réseaux convolutifs (PyTorch)\n\nGroupe 5 : Manon Petit, Yanis Haddou")
        nb.code(_T_IMPORTS + "\nfrom torch.utils.data import DataLoader", _stdout("cpu\n"))
        nb.code("""transformation = transforms.ToTensor()
donnees_train = torchvision.datasets.CIFAR10("./data", train=True, download=True, transform=transformation)
donnees_test = torchvision.datasets.CIFAR10("./data", train=False, download=True, transform=transformation)
train_loader = DataLoader(donnees_train, batch_size=64, shuffle=True)
test_loader = DataLoader(donnees_test, batch_size=1000)""", _stdout(_T_VERIFIED))
        nb.code("""def entrainer(modele, epochs=5, lr=0.01):
    critere = nn.CrossEntropyLoss()
    optimiseur = optim.SGD(modele.parameters(), lr=lr, momentum=0.9, weight_decay=0.05)
    for epoque in range(1, epochs + 1):
        perte_totale, correct, total = 0.0, 0, 0
        for images, etiquettes in train_loader:
            optimiseur.zero_grad()
            sorties = modele(images)
            perte = critere(sorties, etiquettes)
            perte.backward()
            optimiseur.step()
            perte_totale += perte.item()
            correct += (sorties.argmax(1) == etiquettes).sum().item()
            total += etiquettes.size(0)
        print(f"époque {epoque} - perte {perte_totale / len(train_loader):.2f} - "
              f"précision entraînement {correct / total:.2f}")


def precision_test(modele):
    correct = total = 0
    with torch.no_grad():
        for images, etiquettes in test_loader:
            correct += (modele(images).argmax(1) == etiquettes).sum().item()
            total += etiquettes.size(0)
    return correct / total""")
        nb.md("## Exercice 2 : réseau à une couche\n\nLa régularisation L2 est le `weight_decay` de l'optimiseur.")
        nb.code("""modele_simple = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32 * 3, 10))
entrainer(modele_simple)
print("précision (test) :", round(precision_test(modele_simple), 4))""",
                _stdout(_epoch_lines(5, fmt, p=(2.05, 1.79), a=(0.30, 0.38)) + "précision (test) : 0.3712\n"))
        nb.md("## Exercice 3 : CNN simple")
        nb.code("""cnn_simple = nn.Sequential(
    nn.Conv2d(3, 32, 3, 1, 1),
    nn.ReLU(),
    nn.MaxPool2d(2, 2),
    nn.Flatten(),
    nn.Linear(8192, 10),
)
print(cnn_simple)
entrainer(cnn_simple, epochs=8)
print("précision (test) :", round(precision_test(cnn_simple), 4))""",
                _stdout(_t_seq([_t_conv(3, 32, 3, 1, 1), _T_RELU, _t_pool(2), _T_FLAT, _t_lin(8192, 10)]) + "\n" +
                        _epoch_lines(8, fmt, p=(1.62, 0.95), a=(0.42, 0.67)) + "précision (test) : 0.6123\n"))
        nb.md("## CNN plus profond")
        nb.code("""cnn_profond = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
    nn.Flatten(),
    nn.Linear(256 * 4 * 4, 10),
)
entrainer(cnn_profond, epochs=12, lr=0.005)
print("précision (test) :", round(precision_test(cnn_profond), 4))""",
                _stdout(_epoch_lines(12, fmt, p=(1.71, 0.49), a=(0.38, 0.83)) + "précision (test) : 0.7288\n"))
        nb.md("## Tableau 1\n\n" + _md_table(
            ["CNN", "Architecture", "Précision entraînement %", "Précision test %"],
            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "fr", set("abcdefgh"), style="cells")
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 64, 0.38, 0.3712),
        _m("cnn", A_SIMPLE_T, 8, 64, 0.67, 0.6123),
        _m("cnn", deep_arch, 12, 64, 0.83, 0.7288),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=1, review=8, diffs={"batch_size", "optimizer"})
    return Case("torch_fr_entrainer", "French PyTorch: entrainer(modele) with default epochs=5, SGD with "
                "weight_decay=0.05, DataLoader batch 64, 'époque 5 - perte ... - précision entraînement 0.38', "
                "positional Conv2d(3, 32, 3, 1, 1), AvgPool2d", build, expected)


def _case_torch_dishonest_table():
    deep_arch = ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : CONV D=32, w=h=3, S=1, P=1; Layer 3 : MAXPOOL; "
                 "Layer 4 : CONV D=64, w=h=3, S=1, P=1; Layer 5 : CONV D=64, w=h=3, S=1, P=1; Layer 6 : MAXPOOL; "
                 "Layer 7 : DENSE 512 + DROPOUT 0.5; Layer 8 : DENSE")
    table = [(A_SIMPLE_T, "68.4 %", "63.1 %"), (deep_arch, "80.1 %", "78.4 %")]
    fmt = "Epoch [{e}/{n}], Loss: {l:.4f}, Train Acc: {a:.2f}%"

    def build():
        nb = _NB()
        nb.md("# Practical Work 4\n## Group 24: Mateo Garcia, Zoe Wong")
        nb.code(_T_IMPORTS, _stdout("cuda\n"))
        nb.code("BATCH_SIZE = 128\n" + _t_data("trainloader", "testloader", bs="BATCH_SIZE", bs_test=1000),
                _stdout(_T_VERIFIED))
        nb.code("""def train_model(model, num_epochs, weight_decay=0.0):
    model = model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001, weight_decay=weight_decay)
    for epoch in range(num_epochs):
        correct, total, running_loss = 0, 0, 0.0
        for inputs, labels in trainloader:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            _, predicted = torch.max(outputs, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
        print(f"Epoch [{epoch+1}/{num_epochs}], Loss: {running_loss/len(trainloader):.4f}, "
              f"Train Acc: {100*correct/total:.2f}%")


def test_model(model):
    correct, total = 0, 0
    with torch.no_grad():
        for images, labels in testloader:
            images, labels = images.to(device), labels.to(device)
            _, predicted = torch.max(model(images), 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print(f"Accuracy of the network on the 10000 test images: {100 * correct / total:.2f} %")""")
        nb.md("## One-layer network")
        nb.code("""net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
train_model(net, 5, weight_decay=0.05)
test_model(net)""", _stdout(_epoch_lines(5, fmt, l=(1.9811, 1.7702), a=(33.05, 40.02)) +
                            "Accuracy of the network on the 10000 test images: 38.77 %\n"))
        nb.md("## Simple CNN")
        nb.code("""simple = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                       nn.Flatten(), nn.Linear(32 * 16 * 16, 10))
train_model(simple, 10)
test_model(simple)""", _stdout(_epoch_lines(10, fmt, l=(1.4420, 0.9101), a=(49.30, 68.40)) +
                               "Accuracy of the network on the 10000 test images: 63.10 %\n"))
        nb.md("## Deeper CNN")
        nb.code("""deeper = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(64 * 8 * 8, 512), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(512, 10),
)
train_model(deeper, 15)
test_model(deeper)""", _stdout(_epoch_lines(15, fmt, l=(1.6010, 0.5630), a=(41.20, 80.12)) +
                               "Accuracy of the network on the 10000 test images: 71.02 %\n"))
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        _review(nb, "en", set("agh"), style="cells")
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 128, 0.4002, 0.3877),
        _m("cnn", A_SIMPLE_T, 10, 128, 0.6840, 0.6310),
        _m("cnn", deep_arch, 15, 128, 0.8012, 0.7102),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=1, review=3, acc=[("test", "78.4 %")])
    return Case("torch_dishonest_table", "PyTorch tutorial-style prints ('Accuracy of the network on the 10000 "
                "test images: 71.02 %'); the table claims 78.4 % test for that CNN (one accusation)",
                build, expected)


def _case_torch_partly_executed_inline():
    deep_arch = ("Layer 1 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=64, w=h=3, S=1, P=1 + BN; "
                 "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 5 : MAXPOOL; Layer 6 : DENSE")
    table = [(A_SIMPLE_T, "70.5", "64.1"), (deep_arch, "84.0", "77.9")]

    def build():
        nb = _NB()
        nb.md("# CNN practical (PyTorch)\nGroup 25 — Hannah Keller")
        nb.code(_T_IMPORTS, _stdout("cuda\n"))
        nb.code(_t_data("trainloader", "testloader", bs=256), _stdout(_T_VERIFIED))
        nb.md("## One-layer network")
        nb.code("""model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0.05)

for epoch in range(5):
    correct = total = 0
    for images, labels in trainloader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        out = model(images)
        loss = criterion(out, labels)
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == labels).sum().item()
        total += labels.size(0)
    print(f"epoch {epoch + 1}: train accuracy {correct / total:.4f}")

correct = total = 0
with torch.no_grad():
    for images, labels in testloader:
        images, labels = images.to(device), labels.to(device)
        correct += (model(images).argmax(1) == labels).sum().item()
        total += labels.size(0)
print(f"test accuracy {correct / total:.4f}")""",
                _stdout(_epoch_lines(5, "epoch {e}: train accuracy {a:.4f}", a=(0.3301, 0.4012)) +
                        "test accuracy 0.3790\n"))
        nb.code("""W = model[1].weight.detach().numpy().reshape(10, 3, 32, 32)
for i in range(10):
    plt.subplot(1, 10, i + 1)
    plt.imshow(W[i].transpose(1, 2, 0))""", _error(
            "TypeError", "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor "
            "to host memory first.", ["Cell \x1b[0;32mIn[4], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m W "
                                      "\x1b[38;5;241m=\x1b[39m model[\x1b[38;5;241m1\x1b[39m]\x1b[38;5;241m."
                                      "\x1b[39mweight\x1b[38;5;241m.\x1b[39mdetach()\x1b[38;5;241m.\x1b[39mnumpy()"]))
        nb.md("## Simple CNN (TODO: run again)")
        nb.code("""cnn = nn.Sequential(nn.Conv2d(3, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(32 * 16 * 16, 10)).to(device)
optimizer = torch.optim.Adam(cnn.parameters(), lr=1e-3)
for epoch in range(10):
    correct = total = 0
    for images, labels in trainloader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        out = cnn(images)
        loss = criterion(out, labels)
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == labels).sum().item()
        total += labels.size(0)
    print(f"epoch {epoch + 1}: train accuracy {correct / total:.4f}")""", run=False)
        nb.code("""deep = nn.Sequential(
    nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 8 * 8, 10),
).to(device)
optimizer = torch.optim.Adam(deep.parameters(), lr=1e-3)
for epoch in range(20):
    correct = total = 0
    for images, labels in trainloader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        out = deep(images)
        loss = criterion(out, labels)
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == labels).sum().item()
        total += labels.size(0)
    print(f"epoch {epoch + 1}: train accuracy {correct / total:.4f}")""", run=False)
        nb.md("## Table 1\n\n" + _md_table(["CNN", "Architecture", "Acc. train %", "Acc. test %"],
                                            [[str(i + 1), a, tr, te] for i, (a, tr, te) in enumerate(table)]))
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 256, 0.4012, 0.3790),
        _m("cnn", A_SIMPLE_T, 10, 256, None, None),
        _m("cnn", deep_arch, 20, 256, None, None),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=1, review=0, diffs={"batch_size"})
    return Case("torch_partly_executed_inline", "PyTorch training loops written inline (epochs from range(5)), "
                "train loader batch 256; the weights plot fails with a TypeError (no image); CNN cells never run, "
                "their table values not accusable", build, expected)


def _case_torch_cfg_print_model():
    arch = ("Layer 1 : CONV D=48, w=h=3, S=1, P=1; Layer 2 : CONV D=96, w=h=3, S=1, P=1; Layer 3 : MAXPOOL; "
            "Layer 4 : DENSE")
    fmt = "Epoch {e}/{n} - loss {l:.4f} - train_acc {a:.4f}"

    def build():
        nb = _NB()
        nb.md("# Lab 4 – CNN\nGroup 26: Oskar Lind")
        nb.code("""import json
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms""")
        nb.code("""tf = transforms.ToTensor()
train_ds = datasets.CIFAR10("data", train=True, download=True, transform=tf)
test_ds = datasets.CIFAR10("data", train=False, download=True, transform=tf)
train_dl = DataLoader(train_ds, batch_size=128, shuffle=True)
test_dl = DataLoader(test_ds, batch_size=1000)""", _stdout(_T_VERIFIED))
        nb.code("""def run_training(net, epochs, wd=0.0):
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=wd)
    loss_fn = nn.CrossEntropyLoss()
    for e in range(epochs):
        tot_loss, correct, n = 0.0, 0, 0
        for xb, yb in train_dl:
            opt.zero_grad()
            logits = net(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            tot_loss += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            n += len(yb)
        print(f"Epoch {e + 1}/{epochs} - loss {tot_loss / n:.4f} - train_acc {correct / n:.4f}")
    net.eval()
    with torch.no_grad():
        acc = sum((net(xb).argmax(1) == yb).sum().item() for xb, yb in test_dl) / len(test_ds)
    print("Test accuracy:", acc)""")
        nb.code("""lin = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
run_training(lin, epochs=5, wd=0.05)""",
                _stdout(_epoch_lines(5, fmt, l=(1.9920, 1.7712), a=(0.3290, 0.3991)) + "Test accuracy: 0.3877\n"))
        nb.md("The CNN is built from the group's shared config file.")
        nb.code("""cfg = json.load(open("config/cnn.json"))


def make_net(cfg):
    c = cfg["channels"]
    return nn.Sequential(
        nn.Conv2d(3, c, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(c, 2 * c, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(2 * c * 16 * 16, 10),
    )


net = make_net(cfg)
print(net)""", _stdout(_t_seq([_t_conv(3, 48, 3, 1, 1), _T_RELU, _t_conv(48, 96, 3, 1, 1), _T_RELU, _t_pool(2),
                               _T_FLAT, _t_lin(24576, 10)]) + "\n"))
        nb.code("run_training(net, epochs=12)",
                _stdout(_epoch_lines(12, fmt, l=(1.5010, 0.4120), a=(0.4620, 0.8567)) + "Test accuracy: 0.7312\n"))
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 128, 0.3991, 0.3877),
        _m("cnn", arch, 12, 128, 0.8567, 0.7312),
    ], [], d1=True, wp=False, d2=False, simple=False, deeper=1, review=0)
    return Case("torch_cfg_print_model", "PyTorch CNN whose channels come from a JSON config: only the "
                "print(net) repr tells Conv2d(3, 48, ...) and Conv2d(48, 96, ...); run_training(lin, epochs=5, "
                "wd=0.05) compliant", build, expected)


def _case_torch_dataframe_colab():
    arch_a = ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : CONV D=64, w=h=3, S=1, P=1; Layer 3 : MAXPOOL; "
              "Layer 4 : CONV D=128, w=h=3, S=1, P=1; Layer 5 : MAXPOOL; Layer 6 : DENSE 256; Layer 7 : DENSE")
    arch_b = ("Layer 1 : CONV D=64, w=h=5, S=1, P=2 + BN; Layer 2 : MAXPOOL 3x3; "
              "Layer 3 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 4 : MAXPOOL + DROPOUT 0.5; Layer 5 : DENSE")
    table = [(A_SIMPLE_T, "73.05", "65.11"), (arch_a, "84.50", "76.32"), (arch_b, "90.02", "79.15")]
    fmt = "Epoch {e}/{n} | train_loss={l:.4f} | train_acc={a:.2f}% | test_acc={t:.2f}%"

    def bars(steps, epochs, secs):
        return "".join(
            f"\r  0%|          | 0/{steps} [00:00<?, ?it/s]"
            f"\r 50%|█████     | {steps // 2}/{steps} [00:{secs // 2:02d}<00:{secs - secs // 2:02d}, 31.20it/s]"
            f"\r100%|██████████| {steps}/{steps} [00:{secs:02d}<00:00, 31.02it/s]\n" for _ in range(epochs))

    def train_out(n, l, a, t, secs):  # noqa: E741 - l: the loss, as _epoch_lines(l=) names it
        # tqdm bars (stderr) and the epoch lines (stdout) interleave epoch by epoch
        lines = _epoch_lines(n, fmt, l=l, a=a, t=t).splitlines(True)
        outs = []
        for line in lines:
            outs.append(_stderr(bars(391, 1, secs)))
            outs.append(_stdout(line))
        return outs

    def build():
        nb = _NB(colab=True)
        nb.md("# PW4 CNN – PyTorch\nGroup 27: Ana Costa, Liam O'Brien")
        nb.code("!pip install -q torchinfo")
        nb.code(_T_IMPORTS + "\nfrom tqdm.auto import tqdm\nimport pandas as pd", _stdout("cuda\n"))
        nb.code(_t_data("train_dl", "test_dl"), *_T_DOWNLOAD_OUT)
        nb.code("""def accuracy(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    return 100 * correct / total


def train(model, epochs, lr=1e-3):
    model.to(device)
    opt = optim.Adam(model.parameters(), lr=lr)
    crit = nn.CrossEntropyLoss()
    for e in range(1, epochs + 1):
        model.train()
        tot, correct, n = 0.0, 0, 0
        for x, y in tqdm(train_dl, leave=True):
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            out = model(x)
            loss = crit(out, y)
            loss.backward()
            opt.step()
            tot += loss.item() * y.numel()
            correct += (out.argmax(1) == y).sum().item()
            n += y.numel()
        print(f"Epoch {e}/{epochs} | train_loss={tot / n:.4f} | train_acc={100 * correct / n:.2f}% "
              f"| test_acc={accuracy(model, test_dl):.2f}%")""")
        nb.md("## One layer")
        nb.code("""one_layer = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
train(one_layer, 5)""", *train_out(5, (1.9850, 1.7650), (33.40, 40.12), (35.10, 39.50), 12))
        nb.md("## CNNs")
        nb.code("""simple = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                       nn.Linear(32 * 16 * 16, 10))
train(simple, 10)""", *train_out(10, (1.4300, 0.7810), (50.10, 73.05), (55.20, 65.11), 13))
        nb.code("""deep_a = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 8 * 8, 256), nn.ReLU(),
    nn.Linear(256, 10),
)
train(deep_a, 12)""", *train_out(12, (1.5210, 0.4420), (44.90, 84.50), (51.30, 76.32), 17))
        nb.code("""deep_b = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(3),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Dropout(0.5),
    nn.Linear(128 * 5 * 5, 10),
)
train(deep_b, 15)""", *train_out(15, (1.3900, 0.2870), (50.80, 90.02), (56.70, 79.15), 15))
        nb.md("## Table 1")
        nb.code("""pd.set_option("display.max_colwidth", None)
df = pd.DataFrame(
    [
        ["%s", 73.05, 65.11],
        ["%s", 84.50, 76.32],
        ["%s", 90.02, 79.15],
    ],
    columns=["Architecture", "Acc. train %%", "Acc. test %%"],
)
df""" % (A_SIMPLE_T, arch_a, arch_b), _df_output(["Architecture", "Acc. train %", "Acc. test %"],
                                                 [[a, tr, te] for a, tr, te in table]))
        _review(nb, "en", set("abcdefgh"), style="single")
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 128, 0.4012, 0.3950),
        _m("cnn", A_SIMPLE_T, 10, 128, 0.7305, 0.6511),
        _m("cnn", arch_a, 12, 128, 0.8450, 0.7632),
        _m("cnn", arch_b, 15, 128, 0.9002, 0.7915),
    ], table, d1=True, wp=False, d2=False, simple=True, deeper=2, review=8, diffs={"l2"})
    return Case("torch_dataframe_colab", "Colab PyTorch with tqdm bars on stderr between the epoch lines, "
                "'train_acc=..% | test_acc=..%', MaxPool2d(3), one-layer without weight decay, honest DataFrame",
                build, expected)


def _case_torch_all_cleared_de():
    table = [(A_SIMPLE_T, "69,8 %", "63,5 %")]

    def build():
        nb = _NB()
        nb.md("# Praktikum 4 (PyTorch)\nGruppe 28 – Nina Vogel, Elias Frey\n\n"
              "Alle Ausgaben gelöscht (Datei zu gross).")
        nb.code(_T_IMPORTS, run=False)
        nb.code(_t_data("lader_train", "lader_test"), run=False)
        nb.code("""def trainiere(netz, epochen, l2=0.0):
    opt = torch.optim.Adam(netz.parameters(), lr=1e-3, weight_decay=l2)
    kriterium = nn.CrossEntropyLoss()
    for ep in range(epochen):
        richtig = gesamt = 0
        for x, y in lader_train:
            opt.zero_grad()
            aus = netz(x)
            kriterium(aus, y).backward()
            opt.step()
            richtig += (aus.argmax(1) == y).sum().item()
            gesamt += len(y)
        print(f"Epoche {ep + 1}: Trainingsgenauigkeit {richtig / gesamt:.3f}")""", run=False)
        nb.md("## Einschichtiges Netz")
        nb.code("""netz1 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
trainiere(netz1, epochen=5, l2=0.05)""", run=False)
        nb.code("""w = netz1[1].weight.detach().reshape(10, 3, 32, 32).permute(0, 2, 3, 1).numpy()
for i in range(10):
    plt.subplot(2, 5, i + 1)
    plt.imshow((w[i] - w[i].min()) / (w[i].max() - w[i].min()))
    plt.axis("off")""", run=False)
        nb.md("## Zweischichtiges Netz")
        nb.code("""netz2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
trainiere(netz2, epochen=30)""", run=False)
        nb.md("## Einfaches CNN")
        nb.code("""cnn = nn.Sequential(nn.Conv2d(3, 32, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(8192, 10))
trainiere(cnn, epochen=10)""", run=False)
        nb.md("## Tabelle 1\n\n" + _md_table(["CNN", "Architektur", "Genauigkeit Training", "Genauigkeit Test"],
                                             [["1", a, tr, te] for a, tr, te in table]))
        _review(nb, "de", set("abcdefgh"), style="single")
        return nb.build()

    expected = _report("pytorch", [
        _m("dense", A_1L_NOREG, 5, 128, None, None),
        _m("dense", A_2L, 30, 128, None, None),
        _m("cnn", A_SIMPLE_T, 10, 128, None, None),
    ], table, d1=True, wp=False, d2=True, simple=True, deeper=0, review=8)
    return Case("torch_all_cleared_de", "German PyTorch notebook with every output cleared: runs read from "
                "the code (trainiere(netz1, epochen=5, l2=0.05)), all accuracies None, no accusation",
                build, expected)


def _case_unknown_exercise1_only():
    def build():
        nb = _NB()
        nb.md("# PW04 – Exercise 1 only\n\nGroup 29: Paul Dupont\n\nWe did the convolutions by hand and "
              "checked them with numpy; the CNN part is in the other notebook.")
        nb.code("""import numpy as np

x = np.array([1, 3, 2, 0, 4, 1, 2])
w = np.array([1, 0, -1])


def conv1d(x, w, S=1, P=0):
    x = np.pad(x, P)
    n = (len(x) - len(w)) // S + 1
    return np.array([x[i * S:i * S + len(w)] @ w for i in range(n)])


for S, P in [(1, 0), (2, 0), (4, 0), (1, 1), (4, 1)]:
    print(f"S={S}, P={P}:", conv1d(x, w, S, P))""", _stdout(
            "S=1, P=0: [-1  3 -2 -1  2]\nS=2, P=0: [-1 -2  2]\nS=4, P=0: [-1  2]\n"
            "S=1, P=1: [-3 -1  3 -2 -1  2  1]\nS=4, P=1: [-3 -1]\n"))
        nb.md("Only S=1, P=1 keeps the size of the input (7 values).")
        _review(nb, "en", set("bf"), style="cells")
        return nb.build()

    expected = _report("unknown", [], [], d1=False, wp=False, d2=False, simple=False, deeper=0, review=2)
    return Case("unknown_exercise1_only", "no Keras nor PyTorch: numpy convolutions of exercise 1 and two "
                "review answers; no model, no table", build, expected)


# ---------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------

CASES: list[Case] = [
    _case_keras2_compliant_en(),
    _case_keras2_fr_onelayer_10ep_nol2(),
    _case_keras2_de_batch64_sgd(),
    _case_keras3_compliant_fraction_table(),
    _case_keras2_val_is_not_test(),
    _case_keras2_valsplit_vs_evaluate_fr(),
    _case_keras2_train_eval_explicit(),
    _case_keras2_multimb_log(),
    _case_keras2_loop_make_cnn(),
    _case_keras2_summary_resolves_filters(),
    _case_keras3_rich_summary_yaml_de(),
    _case_keras2_functional_and_add(),
    _case_keras2_refit_later_cell(),
    _case_keras2_dishonest_test_colab(),
    _case_keras2_dishonest_dataframe(),
    _case_keras2_dishonest_de_comma(),
    _case_keras2_table_unexecuted_cell(),
    _case_keras2_all_outputs_cleared(),
    _case_keras2_partly_executed_fr(),
    _case_keras2_sample_images_not_weights(),
    _case_keras_legacy_acc_samples(),
    _case_keras3_plain_bars_en(),
    _case_keras2_dishonest_partial(),
    _case_keras2_de_review_short(),
    _case_torch_de_trainiere(),
    _case_torch_module_block_fit_l2(),
    _case_torch_fr_entrainer(),
    _case_torch_dishonest_table(),
    _case_torch_partly_executed_inline(),
    _case_torch_cfg_print_model(),
    _case_torch_dataframe_colab(),
    _case_torch_all_cleared_de(),
    _case_unknown_exercise1_only(),
]


def _layers(arch):
    return [part.split(" : ", 1)[1] for part in arch.split("; ")]


def _claim(text):
    v = float(text.replace(",", ".").replace("%", "").strip())
    return v / 100 if v > 1 else v


def _check():
    """Builds every case, validates it, and cross-checks each expected report against itself
    (checklist vs models, table claims vs accuracies).  Not a test: a guard for this file."""
    import time

    names = set()
    for case in CASES:
        assert case.name not in names, case.name
        names.add(case.name)
        t0 = time.perf_counter()
        nb = case.build()
        took = time.perf_counter() - t0
        assert took < 1.0, (case.name, took)
        nbformat.validate(nb)
        assert [c["id"] for c in nb.cells] == [f"c{i}" for i in range(len(nb.cells))], case.name
        assert nbformat.writes(case.build()) == nbformat.writes(nb), f"{case.name}: not deterministic"
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.execution_count is None:
                assert not cell.outputs, case.name

        exp = case.expected
        assert set(exp) == {"framework", "models", "table", "checklist", "one_layer_differences",
                            "accusations"}, case.name
        assert exp["framework"] in ("keras", "pytorch", "unknown")
        assert isinstance(exp["one_layer_differences"], set)
        assert exp["one_layer_differences"] <= {"epochs", "batch_size", "l2", "output", "loss", "optimizer"}
        models = exp["models"]
        for m in models:
            layers_ = _layers(m["architecture"])
            assert all(layers_), (case.name, m["architecture"])
            convs = [x for x in layers_ if x.startswith("CONV")]
            assert m["kind"] == ("cnn" if convs else "dense"), (case.name, m)
            assert layers_[-1].split(",")[0].split(" +")[0] == "DENSE", (case.name, m)
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

        def simple(arch):
            ls = _layers(arch)
            if len(ls) != 3 or ls[1] != "MAXPOOL" or ls[2] != "DENSE":
                return False
            return ls[0] in ("CONV D=32, w=h=3, S=1, P='same'", "CONV D=32, w=h=3, S=1, P=1")

        assert ck["simple_cnn"] == any(simple(m["architecture"]) for m in models), case.name
        assert ck["table"] == bool(exp["table"]), case.name
        assert 0 <= ck["review_answers"] <= 8
        if not ck["dense_1layer"]:
            assert not exp["one_layer_differences"], case.name
        if ck["weights_plot"]:
            assert ck["dense_1layer"], case.name

        # every table cell is either honest (within rounding) / unverifiable, or accused
        last = {}
        for m in models:
            last[m["architecture"]] = m
        accused = []
        for row in exp["table"]:
            m = last.get(row["architecture"])
            for col, key in (("train", "train_accuracy"), ("test", "test_accuracy")):
                actual = None if m is None else m[key]
                if actual is None:
                    continue
                claimed = _claim(row[col])
                if claimed > actual + 0.01:
                    accused.append((col, row[col]))
                else:
                    assert abs(claimed - actual) <= 0.0051, (case.name, row, actual)
        assert accused == exp["accusations"], (case.name, accused)
    assert len(CASES) >= 32
    return len(CASES)
