"""Held-out TA corpus: 14 complete student notebooks for the CNN practical (PW04).

Each case is a whole practical as one group of students would hand it in, built
deterministically with nbformat.v4 (cell ids "c0", "c1", ...), together with the
report a careful TA writes about it (see the report format in the corpus spec).

Written from the specification only (report format + practical text), independent of
the implementation it is meant to judge.  Only nbformat and the standard library.

Conventions decided for the ambiguous spots (see also each case's ``what``):
* a training call whose cell carries no output (never executed, or outputs cleared) is
  still a training run in ``models`` (accuracies None) and still counts for the
  checklist items that are about what the students built ("dense_1layer",
  "deeper_cnns", ...); only ``weights_plot`` needs the image output itself;
* PyTorch ``weight_decay`` is the L2 term for ``one_layer_differences`` only; it is an
  optimiser setting, not a layer's kernel regulariser, so it is not written into the
  PyTorch architecture strings;
* when the students evaluate on the TRAINING data explicitly and print no per-epoch
  training accuracy, that evaluation is the training accuracy.
"""
from __future__ import annotations

import base64
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


# ---------------------------------------------------------------------------------------
# notebook plumbing
# ---------------------------------------------------------------------------------------

def _make_png(width: int = 40, height: int = 8) -> str:
    """A small deterministic RGB PNG (a strip of ten coloured weight-like tiles)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            tile = x // 4
            row += bytes(((37 * tile + 11 * y) % 256, (91 * tile + 7 * x) % 256,
                          (53 * tile + 13 * (x + y)) % 256))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    return base64.b64encode(png).decode("ascii")


_PNG = _make_png()
_PNG_CURVE = _make_png(24, 16)


def _out(text: str, name: str = "stdout"):
    return ("stream", name, text)


def _err(text: str):
    return ("stream", "stderr", text)


def _disp(plain: str, png: str | None = None, html: str | None = None):
    data = {"text/plain": plain}
    if png is not None:
        data["image/png"] = png
    if html is not None:
        data["text/html"] = html
    return ("display_data", data)


def _res(plain: str, html: str | None = None):
    data = {"text/plain": plain}
    if html is not None:
        data["text/html"] = html
    return ("execute_result", data)


def _error(ename: str, evalue: str, traceback: list[str]):
    return ("error", ename, evalue, traceback)


def _fig(size: str = "1500x300", axes: int = 10, png: str | None = None):
    return _disp(f"<Figure size {size} with {axes} Axes>", png=png or _PNG)


class _NB:
    """Collects cells; execution counts run on automatically unless given."""

    def __init__(self, colab: bool = False, start: int = 1):
        self.cells: list = []
        self.count = start - 1
        self.colab = colab

    def md(self, text: str) -> None:
        self.cells.append(v4.new_markdown_cell(text.strip("\n")))

    def code(self, src: str, *outputs, n: int | None | str = "auto") -> None:
        if n == "auto":
            self.count += 1
            n = self.count
        elif n is not None:
            self.count = n
        cell = v4.new_code_cell(src.strip("\n"), execution_count=n)
        outs = []
        for o in outputs:
            kind = o[0]
            if kind == "stream":
                outs.append(v4.new_output("stream", name=o[1], text=o[2]))
            elif kind == "display_data":
                outs.append(v4.new_output("display_data", data=dict(o[1]), metadata={}))
            elif kind == "execute_result":
                outs.append(v4.new_output("execute_result", data=dict(o[1]), metadata={},
                                          execution_count=n))
            elif kind == "error":
                outs.append(v4.new_output("error", ename=o[1], evalue=o[2], traceback=list(o[3])))
            else:  # pragma: no cover
                raise ValueError(kind)
        cell.outputs = outs
        self.cells.append(cell)

    def blank(self, src: str) -> None:
        """A code cell that was never run (or whose outputs were cleared)."""
        self.code(src, n=None)

    def build(self) -> nbformat.NotebookNode:
        for i, cell in enumerate(self.cells):
            cell["id"] = f"c{i}"
        meta = {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                           "name": "python3"},
            "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                              "file_extension": ".py", "mimetype": "text/x-python",
                              "name": "python", "nbconvert_exporter": "python",
                              "pygments_lexer": "ipython3", "version": "3.10.12"},
        }
        if self.colab:
            meta["colab"] = {"provenance": [], "gpuType": "T4"}
            meta["accelerator"] = "GPU"
            meta["kernelspec"] = {"display_name": "Python 3", "name": "python3"}
        nb = v4.new_notebook(cells=self.cells, metadata=meta)
        nb.nbformat, nb.nbformat_minor = 4, 5
        return nb


# ---------------------------------------------------------------------------------------
# training logs
# ---------------------------------------------------------------------------------------

def _series(n: int, first: float, last: float, shape: float = 0.55) -> list[float]:
    """n values going from first to last (last exact), concave like a learning curve."""
    if n == 1:
        return [last]
    vals = [round(first + (last - first) * ((i / (n - 1)) ** shape), 4) for i in range(n)]
    vals[-1] = last
    return vals


def _hist(n, acc, loss, val_acc=None, val_loss=None):
    """Per-epoch metrics; each argument is (first_epoch, last_epoch)."""
    a = _series(n, *acc)
    lo = _series(n, *loss)
    va = _series(n, *val_acc) if val_acc else [None] * n
    vl = _series(n, *val_loss) if val_loss else [None] * n
    return [{"acc": a[i], "loss": lo[i], "val_acc": va[i], "val_loss": vl[i]} for i in range(n)]


def _k2_metrics(h, metric, acc=None, loss=None, val=True):
    acc = h["acc"] if acc is None else acc
    loss = h["loss"] if loss is None else loss
    s = f"loss: {loss:.4f} - {metric}: {acc:.4f}"
    if val and h["val_acc"] is not None:
        s += f" - val_loss: {h['val_loss']:.4f} - val_{metric}: {h['val_acc']:.4f}"
    return s


def _k2_bar(cur: int, steps: int, done: bool) -> str:
    width = 30
    prog = int(width * cur / steps)
    if prog > 0:
        bar = "=" * (prog - 1) + ("=" if done else ">")
    else:
        bar = ""
    return "[" + bar + "." * (width - len(bar)) + "]"


def _k2_log(hist, steps: int, metric: str = "accuracy", secs: int = 3) -> str:
    """Keras 2 (tf.keras) verbose=1 progress bars as saved by Jupyter (\\x08 and \\r)."""
    out = []
    d = len(str(steps))
    prev_acc, prev_loss = 0.0938, round(hist[0]["loss"] * 1.18, 4)
    ms = max(1, round(secs * 1000 / steps))
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        prev_width = 0
        marks = [1, max(2, steps // 9), steps // 3, (2 * steps) // 3, steps - steps // 12]
        for j, cur in enumerate(marks):
            f = cur / steps
            a = round(prev_acc + (h["acc"] - prev_acc) * (0.35 + 0.6 * f) - 0.0031 * (j % 2), 4)
            lo = round(prev_loss + (h["loss"] - prev_loss) * (0.35 + 0.6 * f) + 0.0047 * (j % 2), 4)
            eta = max(1, round(secs * (1 - f)))
            line = (f"{cur:>{d}}/{steps} {_k2_bar(cur, steps, False)} - ETA: {eta}s - "
                    f"loss: {lo:.4f} - {metric}: {a:.4f}")
            out.append(("\x08" * prev_width + "\r") if prev_width else "")
            out.append(line)
            prev_width = len(line)
        line = (f"{steps}/{steps} {_k2_bar(steps, steps, True)} - {secs}s {ms}ms/step - "
                + _k2_metrics(h, metric))
        out.append("\x08" * prev_width + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    return "".join(out)


def _k2_eval_bar(steps: int, acc: float, loss: float, metric: str = "accuracy") -> str:
    d = len(str(steps))
    out, prev = [], 0
    for j, cur in enumerate([1, steps // 4, steps // 2, (3 * steps) // 4]):
        line = (f"{cur:>{d}}/{steps} {_k2_bar(cur, steps, False)} - ETA: {1 if j else 2}s - "
                f"loss: {loss + 0.0213 * (4 - j):.4f} - {metric}: {acc - 0.0117 * (4 - j):.4f}")
        out.append(("\x08" * prev + "\r") if prev else "")
        out.append(line)
        prev = len(line)
    line = (f"{steps}/{steps} {_k2_bar(steps, steps, True)} - 1s 3ms/step - "
            f"loss: {loss:.4f} - {metric}: {acc:.4f}")
    out.append("\x08" * prev + "\r" + line + "\n")
    return "".join(out)


def _k2_v2_log(hist, steps: int, metric: str = "accuracy", secs: int = 2) -> str:
    """Keras 2 verbose=2: one line per epoch."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        out.append(f"{steps}/{steps} - {secs}s - {_k2_metrics(h, metric)} - {secs}s/epoch - "
                   f"{ms}ms/step\n")
    return "".join(out)


def _k3_bar(cur: int, steps: int) -> str:
    width = 20
    prog = int(width * cur / steps)
    d = len(str(steps))
    s = f"\x1b[1m{cur:>{d}}/{steps}\x1b[0m "
    if prog > 0:
        s += "\x1b[32m" + "\u2501" * prog + "\x1b[0m"
    s += "\x1b[37m" + "\u2501" * (width - prog) + "\x1b[0m"
    return s


def _k3_metrics(acc, loss, h=None):
    s = f"accuracy: {acc:.4f} - loss: {loss:.4f}"
    if h is not None and h["val_acc"] is not None:
        s += f" - val_accuracy: {h['val_acc']:.4f} - val_loss: {h['val_loss']:.4f}"
    return s


def _k3_log(hist, steps: int, secs: int = 4) -> str:
    """Keras 3 verbose=1 progress bars (\u2501 with ANSI colours, \\x08 and \\r)."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    prev_acc, prev_loss = 0.1016, round(hist[0]["loss"] * 1.15, 4)
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        prev_width = 0
        for j, cur in enumerate([1, steps // 8, steps // 2, steps - steps // 10]):
            f = cur / steps
            a = round(prev_acc + (h["acc"] - prev_acc) * (0.3 + 0.6 * f) - 0.0023 * (j % 2), 4)
            lo = round(prev_loss + (h["loss"] - prev_loss) * (0.3 + 0.6 * f) + 0.0051 * (j % 2), 4)
            eta = max(1, round(secs * (1 - f)))
            line = (_k3_bar(cur, steps) + f" \x1b[1m{eta}s\x1b[0m {ms}ms/step - "
                    + _k3_metrics(a, lo))
            out.append(("\x08" * prev_width + "\r") if prev_width else "")
            out.append(line)
            prev_width = len(line)
        line = (_k3_bar(steps, steps) + f" \x1b[1m{secs}s\x1b[0m {ms}ms/step - "
                + _k3_metrics(h["acc"], h["loss"], h))
        out.append("\x08" * prev_width + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    return "".join(out)


# ---------------------------------------------------------------------------------------
# model summaries and reprs
# ---------------------------------------------------------------------------------------

def _mem(params: int) -> str:
    b = params * 4
    for unit in ("B", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.2f} {unit}"
        b /= 1024
    return ""  # pragma: no cover


def _k2_summary(name: str, rows, non_trainable: int = 0) -> str:
    """tf.keras 2.13 style model.summary() text. rows: (layer, shape, params)."""
    pos = [29, 55, 65]

    def line(fields):
        s = ""
        for f, p in zip(fields, pos, strict=False):
            s += f
            s = s[:p]
            s += " " * (p - len(s))
        return s

    total = sum(r[2] for r in rows)
    out = [f'Model: "{name}"', "_" * 65, line([" Layer (type)", "Output Shape", "Param #"]), "=" * 65]
    for i, (layer, shape, params) in enumerate(rows):  # noqa: B007 - unused; left unrenamed
        label = " " + layer
        if len(label) > 28:
            out.append(line([label[:28], shape, str(params)]))
            out.append(line([" " + label[28:], "", ""]))
        else:
            out.append(line([label, shape, str(params)]))
        out.append(" " * 65)
    out.append("=" * 65)
    mem = _mem(total).replace(" B", " Byte")
    out.append(f"Total params: {total} ({mem})")
    tr = total - non_trainable
    out.append(f"Trainable params: {tr} ({_mem(tr).replace(' B', ' Byte')})")
    out.append(f"Non-trainable params: {non_trainable} ({_mem(non_trainable).replace(' B', ' Byte')})")
    out.append("_" * 65)
    return "\n".join(out) + "\n"


def _k3_summary(name: str, rows, non_trainable: int = 0) -> list:
    """Keras 3 model.summary(): several display_data outputs (text/plain + text/html)."""
    w = (33, 24, 15)

    def row(a, b, c, left="\u2502", mid="\u2502", right="\u2502"):
        return (f"{left} {a:<{w[0] - 2}} {mid} {b:<{w[1] - 2}} {mid} {c:>{w[2] - 2}} {right}")

    lines = ["\u250f" + "\u2501" * w[0] + "\u2533" + "\u2501" * w[1] + "\u2533" + "\u2501" * w[2] + "\u2513",
             row("Layer (type)", "Output Shape", "Param #", "\u2503", "\u2503", "\u2503"),
             "\u2521" + "\u2501" * w[0] + "\u2547" + "\u2501" * w[1] + "\u2547" + "\u2501" * w[2] + "\u2529"]
    for i, (layer, shape, params) in enumerate(rows):
        lines.append(row(layer, shape, f"{params:,}"))
        if i < len(rows) - 1:
            lines.append("\u251c" + "\u2500" * w[0] + "\u253c" + "\u2500" * w[1] + "\u253c" + "\u2500" * w[2]
                         + "\u2524")
    lines.append("\u2514" + "\u2500" * w[0] + "\u2534" + "\u2500" * w[1] + "\u2534" + "\u2500" * w[2] + "\u2518")
    total = sum(r[2] for r in rows)
    tr = total - non_trainable

    def pre(t):
        return ("<pre style=\"white-space:pre;overflow-x:auto;line-height:normal;"
                "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace\">"
                + t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>\n")

    texts = [f'Model: "{name}"\n', "\n".join(lines) + "\n",
             f" Total params: {total:,} ({_mem(total)})\n",
             f" Trainable params: {tr:,} ({_mem(tr)})\n",
             f" Non-trainable params: {non_trainable:,} ({_mem(non_trainable)})\n"]
    return [_disp(t, html=pre(t)) for t in texts]


def _conv_p(k, cin, cout):
    return k * k * cin * cout + cout


def _indent(s: str, n: int = 2) -> str:
    lines = s.split("\n")
    return "\n".join([lines[0]] + [" " * n + ln for ln in lines[1:]])


def _tseq(items, name: str = "Sequential") -> str:
    if not items:
        return f"{name}()"
    body = "\n".join(f"  ({i}): {_indent(it)}" for i, it in enumerate(items))
    return f"{name}(\n{body}\n)"


def _tmod(name: str, children) -> str:
    body = "\n".join(f"  ({k}): {_indent(v)}" for k, v in children)
    return f"{name}(\n{body}\n)"


def tconv(cin, cout, k, s=1, p=0):
    r = f"Conv2d({cin}, {cout}, kernel_size=({k}, {k}), stride=({s}, {s})"
    if p:
        r += f", padding=({p}, {p})"
    return r + ")"


def tbn(c):
    return f"BatchNorm2d({c}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


def trelu(inplace=False):
    return "ReLU(inplace=True)" if inplace else "ReLU()"


def tpool(k=2):
    return f"MaxPool2d(kernel_size={k}, stride={k}, padding=0, dilation=1, ceil_mode=False)"


def tavg(k=2):
    return f"AvgPool2d(kernel_size={k}, stride={k}, padding=0)"


def tgap():
    return "AdaptiveAvgPool2d(output_size=1)"


def tdrop(p):
    return f"Dropout(p={p}, inplace=False)"


def tflat():
    return "Flatten(start_dim=1, end_dim=-1)"


def tlin(i, o):
    return f"Linear(in_features={i}, out_features={o}, bias=True)"


# ---------------------------------------------------------------------------------------
# review questions (exercise 4) and the answers of the groups
# ---------------------------------------------------------------------------------------

_Q = {
    "a": "What is the difference between a Dense and a Conv2D layer in Keras?",
    "b": 'In CNN, explain what it means to "preserve the spatial structure"?',
    "c": ("In CNN, explain the different operations taking place when performing a convolution "
          "of a filter on an input, e.g. an image. How is the filter defined in terms of "
          "hyper-parameters?"),
    "d": "Define what is meant by receptive field and activation map.",
    "e": "Explain the notion of sparse connectivity and parameter sharing.",
    "f": "Explain the effect of a given stride or zero-padding value.",
    "g": ("For a given configuration of a convolution layer, compute the number of parameters "
          "(weights, bias)."),
    "h": "Define what is a max pooling layer and what is its role in a CNN architecture.",
}

_A_EN = {
    "a": ("A Dense layer connects every input value to every neuron, so it ignores the image "
          "layout; a Conv2D layer applies small filters that slide over the image and share "
          "their weights across positions."),
    "b": ("The convolution keeps the 2D (height x width) arrangement of the pixels, so "
          "neighbouring pixels stay neighbours in the activation maps instead of being "
          "flattened into one long vector."),
    "c": ("The filter is placed on a patch of the input, each weight is multiplied with the "
          "value under it over all channels, the products are summed and a bias is added; then "
          "the filter moves on by the stride. A filter is defined by its width, height and depth "
          "(= number of input channels), and the layer by the number of filters, the stride and "
          "the padding."),
    "d": ("The receptive field is the region of the input image that influences one output "
          "neuron; an activation map is the 2D output obtained by sliding one filter over the "
          "whole input."),
    "e": ("Sparse connectivity means each output neuron only looks at a small local patch of "
          "the input, and parameter sharing means the same filter weights are reused at every "
          "position of the image."),
    "f": ("A larger stride moves the filter by more pixels and therefore shrinks the output, "
          "while zero-padding adds a border of zeros so that the output can keep the same size "
          "as the input."),
    "g": ("Each filter has w*h*C_in weights plus one bias, so the layer has (w*h*C_in + 1)*D "
          "parameters; for 32 filters of 3x3 on an RGB image this gives (3*3*3 + 1)*32 = 896."),
    "h": ("A max pooling layer keeps the maximum of each small window (usually 2x2), which "
          "halves the width and height, reduces computation and gives some invariance to small "
          "translations."),
}

_A_FR = {
    "a": ("Une couche Dense relie chaque entrée à chaque neurone sans tenir compte de la "
          "position des pixels, alors qu'une couche Conv2D applique de petits filtres partagés "
          "qui glissent sur l'image."),
    "b": ("Cela signifie que l'on garde l'organisation en deux dimensions de l'image : des "
          "pixels voisins restent voisins dans les cartes d'activation au lieu d'être aplatis "
          "dans un vecteur."),
    "c": ("Le filtre est posé sur une région de l'entrée, on multiplie chaque poids par la "
          "valeur correspondante sur tous les canaux, on additionne et on ajoute le biais, puis "
          "on déplace le filtre selon le pas. Le filtre est défini par sa largeur, sa hauteur, "
          "sa profondeur, le pas et le padding."),
    "d": ("Le champ récepteur est la zone de l'image d'entrée qui influence un neurone de "
          "sortie ; une carte d'activation est la sortie 2D obtenue en faisant glisser un seul "
          "filtre sur toute l'entrée."),
    "e": ("La connectivité éparse signifie que chaque neurone ne voit qu'une petite région "
          "locale, et le partage de paramètres que les mêmes poids du filtre sont utilisés à "
          "toutes les positions."),
    "f": ("Un pas plus grand réduit la taille de la sortie car le filtre saute des pixels, "
          "tandis que le zero-padding ajoute une bordure de zéros qui permet de conserver la "
          "taille de l'entrée."),
    "g": ("Chaque filtre possède w*h*C poids plus un biais, donc la couche a (w*h*C + 1)*D "
          "paramètres, par exemple (3*3*3 + 1)*32 = 896 pour notre première couche."),
    "h": ("Le max pooling garde la valeur maximale de chaque fenêtre 2x2, ce qui divise la "
          "taille spatiale par deux, réduit le calcul et rend le réseau plus robuste aux petites "
          "translations."),
}

_A_DE = {
    "a": ("Eine Dense-Schicht verbindet jeden Eingabewert mit jedem Neuron und ignoriert dabei "
          "die Bildstruktur, eine Conv2D-Schicht schiebt kleine Filter mit geteilten Gewichten "
          "über das Bild."),
    "b": ("Die räumliche Struktur bleibt erhalten, wenn benachbarte Pixel auch in den "
          "Aktivierungskarten benachbart bleiben, statt das Bild in einen langen Vektor zu "
          "verwandeln."),
    "c": ("Der Filter wird auf einen Bildausschnitt gelegt, jedes Gewicht wird mit dem "
          "Pixelwert darunter über alle Kanäle multipliziert, alles wird aufsummiert und der "
          "Bias addiert; danach wird der Filter um den Stride verschoben. Hyperparameter sind "
          "Breite, Höhe, Tiefe, Stride und Padding."),
    "d": ("Das rezeptive Feld ist der Bereich des Eingabebildes, der ein Ausgabeneuron "
          "beeinflusst; eine Aktivierungskarte ist die 2D-Ausgabe eines einzelnen Filters über "
          "das ganze Bild."),
    "e": ("Sparse Connectivity heisst, dass jedes Neuron nur mit einem kleinen lokalen Bereich "
          "verbunden ist, und Parameter Sharing, dass dieselben Filtergewichte an allen "
          "Positionen verwendet werden."),
    "f": ("Ein grösserer Stride verkleinert die Ausgabe, weil der Filter Pixel überspringt; "
          "Zero-Padding fügt einen Rand aus Nullen hinzu, damit die Ausgabe gleich gross "
          "bleiben kann."),
    "g": ("Jeder Filter hat w*h*C Gewichte plus einen Bias, also hat die Schicht (w*h*C + 1)*D "
          "Parameter, zum Beispiel (3*3*3 + 1)*32 = 896."),
    "h": ("Max Pooling nimmt in jedem 2x2-Fenster den grössten Wert, halbiert damit Breite und "
          "Höhe, spart Rechenzeit und macht das Netz robuster gegenüber kleinen Verschiebungen."),
}


def _review(answers: dict, style: str = "bold", heading: str = "## Exercise 4 – Review questions",
            label: str = "") -> str:
    """One markdown cell with the copied questions and the answers given (missing -> skipped
    or a non-answer string)."""
    parts = [heading, ""]
    for k in "abcdefgh":
        if k not in answers:
            continue
        q = _Q[k]
        if style == "bold":
            parts.append(f"**{k}) {q}**")
            parts.append("")
            parts.append(f"{label}{answers[k]}".rstrip())
        elif style == "quote":
            parts.append(f"{k}) *{q}*")
            parts.append("")
            parts.append(f"> {answers[k]}".rstrip())
        else:
            parts.append(f"{k}) {q}")
            parts.append(f"   {answers[k]}".rstrip())
        parts.append("")
    return "\n".join(parts)


def _table(header: tuple, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    return "\n".join(lines)


def _model(kind, arch, epochs, batch, train, test):
    return {"kind": kind, "architecture": arch, "epochs": epochs, "batch_size": batch,
            "train_accuracy": train, "test_accuracy": test}


_K_WEIGHTS_EN = """\
W, b = model1.layers[1].get_weights()          # W: (3072, 10)
W = W.reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(15, 3))
for i in range(10):
    w = W[:, :, :, i]
    # normalisation to 0..255 done per channel (R, G, B)
    w_min = w.min(axis=(0, 1), keepdims=True)
    w_max = w.max(axis=(0, 1), keepdims=True)
    img = (255 * (w - w_min) / (w_max - w_min)).astype('uint8')
    axes[i].imshow(img)
    axes[i].set_title(class_names[i])
    axes[i].axis('off')
plt.show()"""

_CIFAR_K2_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
                "170498071/170498071 [==============================] - 14s 0us/step\n")
_CIFAR_K3_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
                "\x1b[1m170498071/170498071\x1b[0m \x1b[32m" + "\u2501" * 20
                + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m11s\x1b[0m 0us/step\n")
_TF_STDERR = ("2024-03-18 14:02:11.482913: I tensorflow/core/platform/cpu_feature_guard.cc:182] "
              "This TensorFlow binary is optimized to use available CPU instructions in "
              "performance-critical operations.\nTo enable the following instructions: AVX2 FMA, "
              "in other operations, rebuild TensorFlow with the appropriate compiler flags.\n")
_TV_DL = ("Downloading https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz to "
          "{root}/cifar-10-python.tar.gz\n")
_TV_BAR = ("100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588|"
           " 170498071/170498071 [00:06<00:00, 26813339.74it/s]\n")
_TV_EXTRACT = "Extracting {root}/cifar-10-python.tar.gz to {root}\nFiles already downloaded and verified\n"


# =======================================================================================
# K1 — English, tf.keras (Keras 2), [====] bars saved with \r and \x08, Sequential list
#      and add chains, an extra tuned MLP, validation_split on the dense nets
# =======================================================================================

_K1_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "mlp": "Layer 1 : DENSE 512 + DROPOUT 0.2; Layer 2 : DENSE 256; Layer 3 : DENSE",
    "cnn1": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "cnn2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, "
             "P='same'; Layer 3 : MAXPOOL; Layer 4 : DENSE"),
    "cnn3": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
             "P='same' + BN; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; "
             "Layer 7 : DENSE 128; Layer 8 : DENSE"),
    "cnn4": ("Layer 1 : CONV D=32, w=h=5, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=5, S=1, "
             "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, "
             "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
             "DROPOUT 0.25; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : MAXPOOL + "
             "DROPOUT 0.25; Layer 9 : DENSE 256 + DROPOUT 0.5; Layer 10 : DENSE"),
}


def _build_k1() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW04 – Convolutional Neural Networks\n\n**Group 7** – Anna Keller, Luca Rossi\n\n"
          "Exercise 1 is answered in the Excel file `cnn-ex1-stud.xlsx`.")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers
print(tf.__version__)""", _err(_TF_STDERR), _out("2.13.0\n"))
    nb.md("## Exercise 2 – Shallow networks on CIFAR10")
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
Y_train = keras.utils.to_categorical(y_train, 10)
Y_test = keras.utils.to_categorical(y_test, 10)
class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']
print(x_train.shape, Y_train.shape, x_test.shape, Y_test.shape)""",
            _out(_CIFAR_K2_DL + "(50000, 32, 32, 3) (50000, 10) (10000, 32, 32, 3) (10000, 10)\n"))
    nb.md("### One-layer network\n\n5 epochs, batch size 128, L2 = 0.05, softmax, categorical "
          "cross-entropy, adam – as asked.")
    nb.code("""
model1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)),
])
model1.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model1.summary()""", _out(_k2_summary("sequential", [("flatten (Flatten)", "(None, 3072)", 0),
                                                     ("dense (Dense)", "(None, 10)", 30730)])))
    h1 = _hist(5, (0.2804, 0.3398), (2.4412, 1.9215), (0.3052, 0.3461), (2.1630, 1.9032))
    nb.code("""
history1 = model1.fit(x_train, Y_train, batch_size=128, epochs=5, verbose=1,
                      validation_data=(x_test, Y_test))""", _out(_k2_log(h1, 391, secs=2)))
    nb.code("""
score = model1.evaluate(x_test, Y_test, verbose=0)
print('Test loss:', score[0])
print('Test accuracy:', score[1])""", _out("Test loss: 1.9031835794448853\nTest accuracy: 0.3461000025272369\n"))
    nb.md("### Weights of the one-layer network\n\nEach colour channel is normalised separately "
          "to 0..255 before plotting.")
    nb.code(_K_WEIGHTS_EN, _fig("1500x300", 10))
    nb.md("The templates look like blurry class prototypes (e.g. a bluish background for "
          "*airplane* and *ship*, a green-brown one for *deer* and *frog*).")
    nb.md("### Two-layer network")
    h2 = _hist(30, (0.3512, 0.5384), (1.8421, 1.3012), (0.3921, 0.4852), (1.7204, 1.4623))
    nb.code("""
model2 = keras.Sequential()
model2.add(layers.Flatten(input_shape=(32, 32, 3)))
model2.add(layers.Dense(128, activation='relu'))
model2.add(layers.Dense(10, activation='softmax'))
model2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
history2 = model2.fit(x_train, Y_train, batch_size=128, epochs=30, verbose=1,
                      validation_split=0.1)""", _out(_k2_log(h2, 352, secs=2)))
    nb.md("The validation accuracy ends around 48.5 %, close to the expected 45 %. We now try a "
          "wider and deeper MLP with a bit of dropout.")
    h3 = _hist(40, (0.3302, 0.5893), (1.8733, 1.1520), (0.3887, 0.5240), (1.7002, 1.3689))
    nb.code("""
model3 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(512, activation='relu'),
    layers.Dropout(0.2),
    layers.Dense(256, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
model3.compile(loss='categorical_crossentropy',
               optimizer=keras.optimizers.Adam(learning_rate=5e-4), metrics=['accuracy'])
history3 = model3.fit(x_train, Y_train, batch_size=256, epochs=40, verbose=1,
                      validation_split=0.1)
score = model3.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _out(_k2_log(h3, 176, secs=2) + "Test accuracy: 0.5187000036239624\n"))
    nb.md("Best MLP: 51.9 % on the test set (512-256-10 with dropout).")
    nb.md("## Exercise 3 – CNN on CIFAR10\n\n### Simple CNN")
    hc1 = _hist(10, (0.4611, 0.7288), (1.5280, 0.7903), (0.5502, 0.6412), (1.2811, 1.0535))
    nb.code("""
cnn1 = keras.Sequential()
cnn1.add(layers.Conv2D(32, (3, 3), strides=1, padding='same', activation='relu',
                       input_shape=(32, 32, 3)))
cnn1.add(layers.MaxPooling2D(pool_size=(2, 2)))
cnn1.add(layers.Flatten())
cnn1.add(layers.Dense(10, activation='softmax'))
cnn1.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
h_cnn1 = cnn1.fit(x_train, Y_train, batch_size=128, epochs=10, verbose=1, validation_split=0.1)""",
            _out(_k2_log(hc1, 352, secs=4)))
    nb.code("""
score = cnn1.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _out("Test accuracy: 0.635699987411499\n"))
    nb.md("That is about +12 points over our best MLP, as announced in the practical.\n\n"
          "### Deeper CNNs")
    hc2 = _hist(10, (0.4412, 0.8123), (1.5503, 0.5436), (0.5601, 0.6588), (1.2412, 1.0711))
    nb.code("""
cnn2 = keras.Sequential()
cnn2.add(layers.Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)))
cnn2.add(layers.Activation('relu'))
cnn2.add(layers.Conv2D(32, (3, 3), padding='same'))
cnn2.add(layers.Activation('relu'))
cnn2.add(layers.MaxPooling2D((2, 2)))
cnn2.add(layers.Flatten())
cnn2.add(layers.Dense(10, activation='softmax'))
cnn2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
h_cnn2 = cnn2.fit(x_train, Y_train, batch_size=128, epochs=10, verbose=1, validation_split=0.1)
score = cnn2.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _out(_k2_log(hc2, 352, secs=7) + "Test accuracy: 0.6521000266075134\n"))
    hc3 = _hist(15, (0.5012, 0.9312), (1.4022, 0.2011), (0.5933, 0.7602), (1.1540, 0.8122))
    nb.code("""
cnn3 = keras.Sequential()
cnn3.add(layers.Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.Activation('relu'))
cnn3.add(layers.Conv2D(32, (3, 3), padding='same'))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.Activation('relu'))
cnn3.add(layers.MaxPooling2D((2, 2)))
cnn3.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.Activation('relu'))
cnn3.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn3.add(layers.BatchNormalization())
cnn3.add(layers.Activation('relu'))
cnn3.add(layers.MaxPooling2D((2, 2)))
cnn3.add(layers.Flatten())
cnn3.add(layers.Dense(128, activation='relu'))
cnn3.add(layers.Dense(10, activation='softmax'))
cnn3.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
h_cnn3 = cnn3.fit(x_train, Y_train, batch_size=128, epochs=15, verbose=1, validation_split=0.1)
score = cnn3.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _out(_k2_log(hc3, 352, secs=9) + "Test accuracy: 0.7534000277519226\n"))
    nb.md("CNN 3 overfits strongly (93 % train vs 75 % test), so CNN 4 adds dropout and a third "
          "block.")
    hc4 = _hist(25, (0.3921, 0.8876), (1.7720, 0.3221), (0.4877, 0.8154), (1.4410, 0.5630))
    nb.code("""
cnn4 = keras.Sequential()
cnn4.add(layers.Conv2D(32, (5, 5), padding='same', input_shape=(32, 32, 3)))
cnn4.add(layers.BatchNormalization())
cnn4.add(layers.Activation('relu'))
cnn4.add(layers.Conv2D(32, (5, 5), padding='same'))
cnn4.add(layers.BatchNormalization())
cnn4.add(layers.Activation('relu'))
cnn4.add(layers.MaxPooling2D((2, 2)))
cnn4.add(layers.Dropout(0.25))
cnn4.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn4.add(layers.BatchNormalization())
cnn4.add(layers.Activation('relu'))
cnn4.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn4.add(layers.BatchNormalization())
cnn4.add(layers.Activation('relu'))
cnn4.add(layers.MaxPooling2D((2, 2)))
cnn4.add(layers.Dropout(0.25))
cnn4.add(layers.Conv2D(128, (3, 3), padding='same'))
cnn4.add(layers.BatchNormalization())
cnn4.add(layers.Activation('relu'))
cnn4.add(layers.MaxPooling2D((2, 2)))
cnn4.add(layers.Dropout(0.25))
cnn4.add(layers.Flatten())
cnn4.add(layers.Dense(256, activation='relu'))
cnn4.add(layers.Dropout(0.5))
cnn4.add(layers.Dense(10, activation='softmax'))
cnn4.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
h_cnn4 = cnn4.fit(x_train, Y_train, batch_size=128, epochs=25, verbose=1, validation_split=0.1)
score = cnn4.evaluate(x_test, Y_test, verbose=0)
print('Test accuracy:', score[1])""", _out(_k2_log(hc4, 352, secs=12) + "Test accuracy: 0.8086999654769897\n"))
    a = _K1_ARCH
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", a["cnn1"], "72.9%", "63.6%"),
         ("2", a["cnn2"], "81.2%", "65.2%"),
         ("3", a["cnn3"], "93.1%", "75.3%"),
         ("4", a["cnn4"], "88.8%", "80.9%")])
        + "\n\nAll CNNs: adam, batch size 128, categorical cross-entropy; epochs 10 / 10 / 15 / 25."
          "\n\nOur best configuration is CNN 4: batch normalisation plus dropout reduce the gap "
          "between train and test accuracy.")
    nb.md(_review(_A_EN, style="bold", heading="## Exercise 4 – Review questions"))
    return nb.build()


_K1_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _K1_ARCH["one"], 5, 128, 0.3398, 0.3461),
        _model("dense", _K1_ARCH["two"], 30, 128, 0.5384, None),
        _model("dense", _K1_ARCH["mlp"], 40, 256, 0.5893, 0.5187),
        _model("cnn", _K1_ARCH["cnn1"], 10, 128, 0.7288, 0.6357),
        _model("cnn", _K1_ARCH["cnn2"], 10, 128, 0.8123, 0.6521),
        _model("cnn", _K1_ARCH["cnn3"], 15, 128, 0.9312, 0.7534),
        _model("cnn", _K1_ARCH["cnn4"], 25, 128, 0.8876, 0.8087),
    ],
    "table": [
        {"architecture": _K1_ARCH["cnn1"], "train": "72.9%", "test": "63.6%"},
        {"architecture": _K1_ARCH["cnn2"], "train": "81.2%", "test": "65.2%"},
        {"architecture": _K1_ARCH["cnn3"], "train": "93.1%", "test": "75.3%"},
        {"architecture": _K1_ARCH["cnn4"], "train": "88.8%", "test": "80.9%"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 8},
    "one_layer_differences": set(),
    "accusations": [],
}


# =======================================================================================
# K2 — French, Keras 3 (import keras), ━━━ bars, summaries as display_data, a training
#      helper wrapping fit(), French decimal commas in Table 1
# =======================================================================================

_K2_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "a": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
          "Layer 3 : MAXPOOL; Layer 4 : DENSE"),
    "b": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
          "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, "
          "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
          "DROPOUT 0.3; Layer 7 : DENSE"),
    "c": ("Layer 1 : CONV D=64, w=h=5, S=1, P='same', L2=0.001 + BN; Layer 2 : MAXPOOL; "
          "Layer 3 : CONV D=128, w=h=5, S=1, P='same', L2=0.001 + BN; Layer 4 : MAXPOOL; "
          "Layer 5 : CONV D=256, w=h=3, S=1, P='same' + BN; Layer 6 : GLOBAL AVG POOL; "
          "Layer 7 : DENSE"),
    "d": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
          "P='same' + BN; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
          "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : CONV "
          "D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, w=h=3, S=1, P='same' + BN; "
          "Layer 9 : MAXPOOL + DROPOUT 0.4; Layer 10 : DENSE 256 + DROPOUT 0.5; Layer 11 : DENSE"),
}


def _build_k2() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# TP 4 – Réseaux de neurones convolutifs\n\nGroupe 3 : Camille Dubois, Théo Martin\n\n"
          "*(L'exercice 1 se trouve dans le fichier Excel.)*")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers
print(keras.__version__)""", _out("3.1.1\n"))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train_cat = keras.utils.to_categorical(y_train, 10)
y_test_cat = keras.utils.to_categorical(y_test, 10)
classes = ["avion", "voiture", "oiseau", "chat", "cerf", "chien", "grenouille", "cheval", "bateau", "camion"]""",
            _out(_CIFAR_K3_DL))
    nb.md("## Exercice 2 – Réseaux peu profonds\n\n### Réseau à une couche")
    nb.code("""
modele_1c = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.05)),
])
modele_1c.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
modele_1c.summary()""", *_k3_summary("sequential", [("flatten (Flatten)", "(None, 3072)", 0),
                                                    ("dense (Dense)", "(None, 10)", 30730)]))
    h = _hist(10, (0.2590, 0.3187), (2.6120, 2.0544), (0.2911, 0.3302), (2.3009, 2.0117))
    nb.code("""
hist_1c = modele_1c.fit(x_train, y_train_cat, epochs=10,
                        validation_data=(x_test, y_test_cat))""", _out(_k3_log(h, 1563, secs=4)))
    nb.code("""
perte, precision = modele_1c.evaluate(x_test, y_test_cat, verbose=0)
print(f"Précision (test) : {precision:.4f}")""", _out("Précision (test) : 0.3302\n"))
    nb.md("Nous avons entraîné 10 époques au lieu de 5 car la précision montait encore.")
    nb.md("### Visualisation des poids\n\nNormalisation de 0 à 255 **par canal** (R, V, B).")
    nb.code("""
W = modele_1c.layers[-1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(14, 3))
for k in range(10):
    w = W[..., k].copy()
    for c in range(3):
        w[..., c] = 255 * (w[..., c] - w[..., c].min()) / (w[..., c].max() - w[..., c].min())
    plt.subplot(1, 10, k + 1)
    plt.imshow(w.astype("uint8"))
    plt.title(classes[k], fontsize=8)
    plt.axis("off")
plt.show()""", _fig("1400x300", 10))
    nb.md("### Réseau à deux couches")
    h = _hist(30, (0.3720, 0.5312), (1.7650, 1.3290), (0.4110, 0.4787), (1.6502, 1.4890))
    nb.code("""
modele_2c = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
modele_2c.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_2c = modele_2c.fit(x_train, y_train_cat, batch_size=128, epochs=30,
                        validation_data=(x_test, y_test_cat))
perte, precision = modele_2c.evaluate(x_test, y_test_cat, verbose=0)
print(f"Précision (test) : {precision:.4f}")""", _out(_k3_log(h, 391, secs=2) + "Précision (test) : 0.4787\n"))
    nb.md("On obtient bien environ 45 % – 48 % sur le jeu de test.")
    nb.md("## Exercice 3 – CNN sur CIFAR10\n\n### CNN simple")
    nb.code("""
cnn_simple = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, kernel_size=3, strides=1, padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn_simple.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn_simple.summary()""", *_k3_summary("sequential_2", [
        ("conv2d (Conv2D)", "(None, 32, 32, 32)", 896),
        ("max_pooling2d (MaxPooling2D)", "(None, 16, 16, 32)", 0),
        ("flatten_2 (Flatten)", "(None, 8192)", 0),
        ("dense_3 (Dense)", "(None, 10)", 81930)]))
    h = _hist(12, (0.4502, 0.7561), (1.5431, 0.7012), (0.5310, 0.6398), (1.3120, 1.0844))
    nb.code("""
hist_cnn = cnn_simple.fit(x_train, y_train_cat, batch_size=128, epochs=12,
                          validation_data=(x_test, y_test_cat))
perte, precision = cnn_simple.evaluate(x_test, y_test_cat, verbose=0)
print(f"Précision (test) : {precision:.4f}")""", _out(_k3_log(h, 391, secs=5) + "Précision (test) : 0.6398\n"))
    nb.md("### CNN plus profonds\n\nPour ne pas répéter le code, une fonction compile, entraîne "
          "et évalue chaque modèle.")
    nb.code("""
def entrainer_et_evaluer(modele, epochs):
    modele.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    hist = modele.fit(x_train, y_train_cat, batch_size=128, epochs=epochs,
                      validation_data=(x_test, y_test_cat), verbose=1)
    perte, precision = modele.evaluate(x_test, y_test_cat, verbose=0)
    print(f"{modele.name} – précision (train) : {hist.history['accuracy'][-1]:.4f}"
          f" – précision (test) : {precision:.4f}")
    return hist""")
    nb.code("""
cnn_a = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
], name="cnn_a")
h_a = entrainer_et_evaluer(cnn_a, epochs=12)""",
            _out(_k3_log(_hist(12, (0.4803, 0.8841), (1.4520, 0.3410), (0.5620, 0.6703),
                               (1.2430, 1.1906)), 391, secs=9)
                 + "cnn_a – précision (train) : 0.8841 – précision (test) : 0.6703\n"))
    nb.code("""
cnn_b = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2), layers.Dropout(0.2),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2), layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
], name="cnn_b")
h_b = entrainer_et_evaluer(cnn_b, epochs=20)""",
            _out(_k3_log(_hist(20, (0.4410, 0.8602), (1.6420, 0.4011), (0.5512, 0.7921),
                               (1.2730, 0.6204)), 391, secs=11)
                 + "cnn_b – précision (train) : 0.8602 – précision (test) : 0.7921\n"))
    nb.code("""
l2 = keras.regularizers.L2(0.001)
cnn_c = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(64, 5, padding="same", kernel_regularizer=l2), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(128, 5, padding="same", kernel_regularizer=l2), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(256, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
], name="cnn_c")
h_c = entrainer_et_evaluer(cnn_c, epochs=20)""",
            _out(_k3_log(_hist(20, (0.4120, 0.8237), (1.9010, 0.6822), (0.4733, 0.7815),
                               (1.6040, 0.7730)), 391, secs=14)
                 + "cnn_c – précision (train) : 0.8237 – précision (test) : 0.7815\n"))
    nb.md("Pour le dernier modèle nous ajoutons de l'augmentation de données (retournement "
          "horizontal et translations).")
    nb.code("""
cnn_d = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.RandomFlip("horizontal"),
    layers.RandomTranslation(0.1, 0.1),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(128, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2), layers.Dropout(0.4),
    layers.Flatten(),
    layers.Dense(256, activation="relu"), layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
], name="cnn_d")
h_d = entrainer_et_evaluer(cnn_d, epochs=30)""",
            _out(_k3_log(_hist(30, (0.3611, 0.8458), (1.8120, 0.4466), (0.4820, 0.8472),
                               (1.4420, 0.4519)), 391, secs=16)
                 + "cnn_d – précision (train) : 0.8458 – précision (test) : 0.8472\n"))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Précision train %", "Précision test %"),
        [("1", "Couche 1 : CONV D=32, w=h=3, S=1, P='same'; Couche 2 : MAXPOOL; Couche 3 : DENSE",
          "75,6 %", "64,0 %"),
         ("2", "Couche 1 : CONV D=32, w=h=3, S=1, P='same'; Couche 2 : CONV D=64, w=h=3, S=1, "
               "P='same'; Couche 3 : MAXPOOL; Couche 4 : DENSE", "88,4 %", "67,0 %"),
         ("3", "2 x (CONV D=32, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.2; 2 x (CONV D=64, "
               "w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.3; DENSE", "86,0 %", "79,2 %"),
         ("4", "CONV D=64, w=h=5, L2=0.001 + BN; MAXPOOL; CONV D=128, w=h=5, L2=0.001 + BN; "
               "MAXPOOL; CONV D=256, w=h=3 + BN; GLOBAL AVG POOL; DENSE", "82,4 %", "78,2 %"),
         ("5", "augmentation + 3 x (2 x CONV + BN, MAXPOOL) avec D=32/64/128, DROPOUT 0.4; "
               "DENSE 256 + DROPOUT 0.5; DENSE", "84,6 %", "84,7 %")])
        + "\n\nMeilleure configuration : le CNN 5 (augmentation de données + BN + dropout). Sa "
          "précision d'entraînement est plus basse que celle de test à cause de l'augmentation "
          "et du dropout.")
    ans = dict(_A_FR)
    ans["e"] = "Voir cours."
    ans["f"] = ""
    ans["g"] = "TODO"
    nb.md(_review(ans, style="plain", heading="## Exercice 4 – Questions de révision"))
    return nb.build()


_K2_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _K2_ARCH["one"], 10, 32, 0.3187, 0.3302),
        _model("dense", _K2_ARCH["two"], 30, 128, 0.5312, 0.4787),
        _model("cnn", _K2_ARCH["simple"], 12, 128, 0.7561, 0.6398),
        _model("cnn", _K2_ARCH["a"], 12, 128, 0.8841, 0.6703),
        _model("cnn", _K2_ARCH["b"], 20, 128, 0.8602, 0.7921),
        _model("cnn", _K2_ARCH["c"], 20, 128, 0.8237, 0.7815),
        _model("cnn", _K2_ARCH["d"], 30, 128, 0.8458, 0.8472),
    ],
    "table": [
        {"architecture": "Couche 1 : CONV D=32, w=h=3, S=1, P='same'; Couche 2 : MAXPOOL; "
                         "Couche 3 : DENSE", "train": "75,6 %", "test": "64,0 %"},
        {"architecture": "Couche 1 : CONV D=32, w=h=3, S=1, P='same'; Couche 2 : CONV D=64, "
                         "w=h=3, S=1, P='same'; Couche 3 : MAXPOOL; Couche 4 : DENSE",
         "train": "88,4 %", "test": "67,0 %"},
        {"architecture": "2 x (CONV D=32, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.2; "
                         "2 x (CONV D=64, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.3; DENSE",
         "train": "86,0 %", "test": "79,2 %"},
        {"architecture": "CONV D=64, w=h=5, L2=0.001 + BN; MAXPOOL; CONV D=128, w=h=5, L2=0.001 + "
                         "BN; MAXPOOL; CONV D=256, w=h=3 + BN; GLOBAL AVG POOL; DENSE",
         "train": "82,4 %", "test": "78,2 %"},
        {"architecture": "augmentation + 3 x (2 x CONV + BN, MAXPOOL) avec D=32/64/128, DROPOUT "
                         "0.4; DENSE 256 + DROPOUT 0.5; DENSE", "train": "84,6 %", "test": "84,7 %"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 4, "table": True, "review_answers": 5},
    "one_layer_differences": {"epochs", "batch_size"},
    "accusations": [],
}


# =======================================================================================
# K3 — German, tf.keras functional API, verbose=2 lines, EPOCHEN constant, a loop over
#      three models built by a helper, training curves instead of the weights plot,
#      no review answers
# =======================================================================================

_K3_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.01",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "t1": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "t2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
           "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "t3": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
           "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : CONV "
           "D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, w=h=3, S=1, P='same' + BN; "
           "Layer 9 : MAXPOOL; Layer 10 : GLOBAL AVG POOL; Layer 11 : DENSE"),
}


def _build_k3() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Praktikum 4 – CNN\n\nGruppe 11: Jonas Weber, Lea Fischer, Noah Schmid")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

EPOCHEN = 20""", _err(_TF_STDERR))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype('float32') / 255
x_test = x_test.astype('float32') / 255
y_train_oh = keras.utils.to_categorical(y_train, 10)
y_test_oh = keras.utils.to_categorical(y_test, 10)
print('Training:', x_train.shape, ' Test:', x_test.shape)""",
            _out("Training: (50000, 32, 32, 3)  Test: (10000, 32, 32, 3)\n"))
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz\n\nWir haben mit SGD und einem kleineren "
          "L2-Wert (0.01) gearbeitet.")
    h = _hist(5, (0.2433, 0.3015), (2.9120, 2.0123))
    nb.code("""
eingabe = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(eingabe)
ausgabe = layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.01))(x)
modell_1 = keras.Model(eingabe, ausgabe, name='einschichtig')
modell_1.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_1 = modell_1.fit(x_train, y_train_oh, epochs=5, batch_size=128, verbose=2)""",
            _out(_k2_v2_log(h, 391, secs=2)))
    nb.code("""
test_verlust, test_genauigkeit = modell_1.evaluate(x_test, y_test_oh, verbose=0)
print(f'Testgenauigkeit: {test_genauigkeit * 100:.2f} %')""", _out("Testgenauigkeit: 30.87 %\n"))
    nb.code("""
plt.plot(verlauf_1.history['accuracy'], label='Training')
plt.plot(verlauf_1.history['loss'], label='Verlust')
plt.xlabel('Epoche')
plt.title('Einschichtiges Netz')
plt.legend()
plt.show()""", _disp("<Figure size 640x480 with 1 Axes>", png=_PNG_CURVE))
    nb.md("Die Visualisierung der Gewichte haben wir leider nicht mehr geschafft.")
    nb.md("### Zweischichtiges Netz")
    h = _hist(30, (0.3644, 0.5466), (1.8012, 1.2790))
    nb.code("""
eingabe = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(eingabe)
x = layers.Dense(128, activation='relu')(x)
ausgabe = layers.Dense(10, activation='softmax')(x)
modell_2 = keras.Model(eingabe, ausgabe)
modell_2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_2 = modell_2.fit(x_train, y_train_oh, epochs=30, batch_size=128, verbose=2)
test_verlust, test_genauigkeit = modell_2.evaluate(x_test, y_test_oh, verbose=0)
print(f'Testgenauigkeit: {test_genauigkeit * 100:.2f} %')""",
            _out(_k2_v2_log(h, 391, secs=2) + "Testgenauigkeit: 46.12 %\n"))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    h = _hist(20, (0.4711, 0.8104), (1.4822, 0.5530))
    nb.code("""
eingabe = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, (3, 3), strides=(1, 1), padding='same', activation='relu')(eingabe)
x = layers.MaxPooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
ausgabe = layers.Dense(10, activation='softmax')(x)
cnn_einfach = keras.Model(eingabe, ausgabe)
cnn_einfach.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_cnn = cnn_einfach.fit(x_train, y_train_oh, epochs=EPOCHEN, batch_size=64, verbose=2)
test_verlust, test_genauigkeit = cnn_einfach.evaluate(x_test, y_test_oh, verbose=0)
print(f'Testgenauigkeit: {test_genauigkeit * 100:.2f} %')""",
            _out(_k2_v2_log(h, 782, secs=5) + "Testgenauigkeit: 62.35 %\n"))
    nb.md("### Tiefere CNNs\n\n`baue_cnn` baut pro Block zwei Faltungen (optional mit "
          "BatchNormalization) und ein Max-Pooling.")
    nb.code("""
def conv_block(x, filter, kernel=3, bn=True):
    x = layers.Conv2D(filter, kernel, padding='same')(x)
    if bn:
        x = layers.BatchNormalization()(x)
    x = layers.Activation('relu')(x)
    return x

def baue_cnn(bloecke, bn=True, global_pool=False):
    eingabe = keras.Input(shape=(32, 32, 3))
    x = eingabe
    for filter, kernel in bloecke:
        x = conv_block(x, filter, kernel, bn)
        x = conv_block(x, filter, kernel, bn)
        x = layers.MaxPooling2D()(x)
    if global_pool:
        x = layers.GlobalAveragePooling2D()(x)
    else:
        x = layers.Flatten()(x)
    ausgabe = layers.Dense(10, activation='softmax')(x)
    return keras.Model(eingabe, ausgabe)

cnn_tief_1 = baue_cnn([(32, 3), (64, 3)], bn=False)
cnn_tief_2 = baue_cnn([(32, 3), (64, 3)])
cnn_tief_3 = baue_cnn([(32, 3), (64, 3), (128, 3)], global_pool=True)""")
    logs = []
    for name, acc, loss, test in (("CNN 2", 0.9387, 0.1822, "68.91"),
                                  ("CNN 3", 0.9812, 0.0601, "77.46"),
                                  ("CNN 4", 0.9135, 0.2498, "80.12")):
        logs.append(f"--- {name} ---\n"
                    + _k2_v2_log(_hist(20, (0.4630, acc), (1.5012, loss)), 782, secs=9)
                    + f"{name}: Trainingsgenauigkeit {acc * 100:.2f} %, Testgenauigkeit {test} %\n")
    nb.code("""
ergebnisse = {}
for name, modell in [('CNN 2', cnn_tief_1), ('CNN 3', cnn_tief_2), ('CNN 4', cnn_tief_3)]:
    print(f'--- {name} ---')
    modell.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    verlauf = modell.fit(x_train, y_train_oh, epochs=EPOCHEN, batch_size=64, verbose=2)
    _, test_gen = modell.evaluate(x_test, y_test_oh, verbose=0)
    ergebnisse[name] = (verlauf.history['accuracy'][-1], test_gen)
    print(f'{name}: Trainingsgenauigkeit {verlauf.history["accuracy"][-1] * 100:.2f} %, '
          f'Testgenauigkeit {test_gen * 100:.2f} %')""", _out("".join(logs)))
    nb.md("### Tabelle 1\n\n" + _table(
        ("CNN", "Architektur", "Acc. train %", "Acc. test %"),
        [("1", _K3_ARCH["simple"], "81.04", "62.35"),
         ("2", _K3_ARCH["t1"], "93.87", "68.91"),
         ("3", _K3_ARCH["t2"], "98.12", "77.46"),
         ("4", _K3_ARCH["t3"], "91.35", "80.12")])
        + "\n\nAlle CNNs: Adam, Batchgrösse 64, 20 Epochen.\n\nFazit: BatchNormalization bringt "
          "am meisten; mit Global Average Pooling ist die Überanpassung am kleinsten.")
    nb.md("## Aufgabe 4 (optional)\n\nAus Zeitgründen nicht bearbeitet.")
    return nb.build()


_K3_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _K3_ARCH["one"], 5, 128, 0.3015, 0.3087),
        _model("dense", _K3_ARCH["two"], 30, 128, 0.5466, 0.4612),
        _model("cnn", _K3_ARCH["simple"], 20, 64, 0.8104, 0.6235),
        _model("cnn", _K3_ARCH["t1"], 20, 64, 0.9387, 0.6891),
        _model("cnn", _K3_ARCH["t2"], 20, 64, 0.9812, 0.7746),
        _model("cnn", _K3_ARCH["t3"], 20, 64, 0.9135, 0.8012),
    ],
    "table": [
        {"architecture": _K3_ARCH["simple"], "train": "81.04", "test": "62.35"},
        {"architecture": _K3_ARCH["t1"], "train": "93.87", "test": "68.91"},
        {"architecture": _K3_ARCH["t2"], "train": "98.12", "test": "77.46"},
        {"architecture": _K3_ARCH["t3"], "train": "91.35", "test": "80.12"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": False, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 0},
    "one_layer_differences": {"optimizer", "l2"},
    "accusations": [],
}


# =======================================================================================
# K4 — English, Keras 3 functional API, one helper around fit(), five deeper CNNs
#      (non-square kernels, strides, 'valid' padding, 3x3 pooling, global average pooling)
# =======================================================================================

_K4_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "d1": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "d2": ("Layer 1 : CONV D=64, w=1, h=3, S=1, P='same'; Layer 2 : CONV D=64, w=3, h=1, S=1, "
           "P='same'; Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=1, h=3, S=1, P='same'; "
           "Layer 5 : CONV D=128, w=3, h=1, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "d3": ("Layer 1 : CONV D=32, w=h=3, S=2, P='same' + BN; Layer 2 : CONV D=64, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : CONV D=128, w=h=3, S=2, P='same' + BN; "
           "Layer 4 : GLOBAL AVG POOL; Layer 5 : DENSE"),
    "d4": ("Layer 1 : CONV D=32, w=h=3, S=1, P='valid'; Layer 2 : CONV D=64, w=h=3, S=1, "
           "P='valid'; Layer 3 : MAXPOOL 3x3; Layer 4 : CONV D=128, w=h=3, S=1, P='valid'; "
           "Layer 5 : DENSE 128; Layer 6 : DENSE"),
    "d5": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, "
           "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
           "DROPOUT 0.3; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, "
           "w=h=3, S=1, P='same' + BN; Layer 9 : MAXPOOL + DROPOUT 0.4; Layer 10 : DENSE 128 + BN "
           "+ DROPOUT 0.5; Layer 11 : DENSE"),
}


def _build_k4() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Practical work 4: CNNs on CIFAR-10\n\n_Team B: Sara Nguyen & Marc Dupraz_")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers, Input, Model

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""", _out(_CIFAR_K3_DL))
    nb.code('''
def train_and_evaluate(model, epochs, batch_size=128):
    """Compile with adam + categorical cross-entropy, fit, report the test accuracy."""
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                        validation_split=0.1)
    test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {test_acc:.4f}")
    return history, test_acc''')
    nb.md("## 1. Shallow networks\n\n### One layer\n\nWe used a sigmoid output (we read that "
          "it works for multi-class too) and trained a bit longer, 15 epochs.")
    nb.code("""
inputs = Input(shape=(32, 32, 3))
x = layers.Flatten()(inputs)
outputs = layers.Dense(10, activation="sigmoid", kernel_regularizer=regularizers.l2(0.05))(x)
one_layer = Model(inputs, outputs, name="one_layer")
one_layer.summary()""", *_k3_summary("one_layer", [
        ("input_layer (InputLayer)", "(None, 32, 32, 3)", 0),
        ("flatten (Flatten)", "(None, 3072)", 0),
        ("dense (Dense)", "(None, 10)", 30730)]))
    h = _hist(15, (0.2712, 0.3478), (2.4120, 1.9311), (0.2990, 0.3426), (2.1801, 1.9544))
    nb.code("hist_one, acc_one = train_and_evaluate(one_layer, epochs=15)",
            _out(_k3_log(h, 352, secs=3) + "Test accuracy: 0.3501\n"))
    nb.code("""
W = one_layer.get_layer("dense").kernel.numpy().reshape(32, 32, 3, 10)
labels = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
fig, axs = plt.subplots(2, 5, figsize=(10, 4.5))
for k, ax in enumerate(axs.ravel()):
    w = W[:, :, :, k]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))  # per channel
    ax.imshow((w * 255).astype(np.uint8))
    ax.set_title(labels[k])
    ax.axis("off")
fig.suptitle("One-layer network weights")
plt.show()""", _fig("1000x450", 10))
    nb.md("### Two layers")
    h = _hist(30, (0.3631, 0.5398), (1.7921, 1.3044), (0.4012, 0.4756), (1.6711, 1.4952))
    nb.code("""
inputs = Input(shape=(32, 32, 3))
x = layers.Flatten()(inputs)
x = layers.Dense(128, activation="relu")(x)
outputs = layers.Dense(10, activation="softmax")(x)
two_layer = Model(inputs, outputs, name="two_layer")
hist_two, acc_two = train_and_evaluate(two_layer, epochs=30)""",
            _out(_k3_log(h, 352, secs=2) + "Test accuracy: 0.4711\n"))
    nb.md("## 2. CNNs\n\n### Simple CNN")
    h = _hist(10, (0.4530, 0.7402), (1.5320, 0.7511), (0.5244, 0.6313), (1.3390, 1.0698))
    nb.code("""
inputs = Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
simple_cnn = Model(inputs, outputs, name="simple_cnn")
hist_s, acc_s = train_and_evaluate(simple_cnn, epochs=10)""",
            _out(_k3_log(h, 352, secs=5) + "Test accuracy: 0.6289\n"))
    nb.md("### Deeper CNNs\n\nFive variants, each built by its own function.")
    nb.code('''
def make_deep1():
    inputs = Input(shape=(32, 32, 3))
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    return Model(inputs, layers.Dense(10, activation="softmax")(x), name="deep1")


def make_deep2():
    """Factorised 3x3 convolutions: a 3x1 followed by a 1x3 kernel."""
    inputs = Input(shape=(32, 32, 3))
    x = layers.Conv2D(64, (3, 1), padding="same", activation="relu")(inputs)
    x = layers.Conv2D(64, (1, 3), padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(128, (3, 1), padding="same", activation="relu")(x)
    x = layers.Conv2D(128, (1, 3), padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    return Model(inputs, layers.Dense(10, activation="softmax")(x), name="deep2")


def make_deep3():
    """No pooling layers: strided convolutions and global average pooling."""
    inputs = Input(shape=(32, 32, 3))
    x = inputs
    for filters, stride in [(32, 2), (64, 1), (128, 2)]:
        x = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return Model(inputs, layers.Dense(10, activation="softmax")(x), name="deep3")


def make_deep4():
    inputs = Input(shape=(32, 32, 3))
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D(pool_size=3)(x)
    x = layers.Conv2D(128, 3, activation="relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    return Model(inputs, layers.Dense(10, activation="softmax")(x), name="deep4")


def make_deep5():
    inputs = Input(shape=(32, 32, 3))
    x = inputs
    for filters, rate in [(32, 0.2), (64, 0.3), (128, 0.4)]:
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Dropout(rate)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return Model(inputs, outputs, name="deep5")''')
    nb.code("hist_d1, acc_d1 = train_and_evaluate(make_deep1(), epochs=10)",
            _out(_k3_log(_hist(10, (0.4410, 0.8870), (1.5220, 0.3290), (0.5522, 0.6987),
                               (1.2520, 1.0530)), 352, secs=8) + "Test accuracy: 0.6950\n"))
    nb.code("""
deep2 = make_deep2()
deep2.summary()
hist_d2, acc_d2 = train_and_evaluate(deep2, epochs=10)""",
            *_k3_summary("deep2", [
                ("input_layer_4 (InputLayer)", "(None, 32, 32, 3)", 0),
                ("conv2d_5 (Conv2D)", "(None, 32, 32, 64)", 640),
                ("conv2d_6 (Conv2D)", "(None, 32, 32, 64)", 12352),
                ("max_pooling2d_3 (MaxPooling2D)", "(None, 16, 16, 64)", 0),
                ("conv2d_7 (Conv2D)", "(None, 16, 16, 128)", 24704),
                ("conv2d_8 (Conv2D)", "(None, 16, 16, 128)", 49280),
                ("max_pooling2d_4 (MaxPooling2D)", "(None, 8, 8, 128)", 0),
                ("flatten_4 (Flatten)", "(None, 8192)", 0),
                ("dense_5 (Dense)", "(None, 10)", 81930)]),
            _out(_k3_log(_hist(10, (0.4201, 0.8411), (1.5840, 0.4530), (0.5310, 0.6872),
                               (1.2950, 0.9903)), 352, secs=9) + "Test accuracy: 0.6832\n"))
    nb.code("hist_d3, acc_d3 = train_and_evaluate(make_deep3(), epochs=15)",
            _out(_k3_log(_hist(15, (0.4520, 0.8925), (1.5010, 0.3120), (0.4911, 0.7466),
                               (1.4410, 0.8120)), 352, secs=6) + "Test accuracy: 0.7410\n"))
    nb.code("hist_d4, acc_d4 = train_and_evaluate(make_deep4(), epochs=10)",
            _out(_k3_log(_hist(10, (0.4013, 0.7954), (1.6420, 0.5811), (0.4922, 0.6650),
                               (1.4110, 1.0021)), 352, secs=7) + "Test accuracy: 0.6611\n"))
    nb.code("hist_d5, acc_d5 = train_and_evaluate(make_deep5(), epochs=30, batch_size=64)",
            _out(_k3_log(_hist(30, (0.3820, 0.8994), (1.7630, 0.2910), (0.5012, 0.8566),
                               (1.3920, 0.4377)), 704, secs=15) + "Test accuracy: 0.8523\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", _K4_ARCH["simple"], "74.02", "62.89"),
         ("2", _K4_ARCH["d1"], "88.70", "69.50"),
         ("3", _K4_ARCH["d2"], "84.11", "68.32"),
         ("4", _K4_ARCH["d3"], "89.25", "74.10"),
         ("5", _K4_ARCH["d4"], "79.54", "66.11"),
         ("6", "3 x [2 x (CONV D=f, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT] with "
               "f = 32, 64, 128 and dropout 0.2, 0.3, 0.4; DENSE 128 + BN + DROPOUT 0.5; DENSE "
               "(batch size 64, 30 epochs)", "89.94", "85.23")])
        + "\n\nBest: CNN 6. The factorised kernels (CNN 3) did not help at all.")
    ans = dict(_A_EN)
    ans["h"] = "Downsampling."
    nb.md(_review(ans, style="quote", heading="## Review questions (Exercise 4)"))
    return nb.build()


_K4_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _K4_ARCH["one"], 15, 128, 0.3478, 0.3501),
        _model("dense", _K4_ARCH["two"], 30, 128, 0.5398, 0.4711),
        _model("cnn", _K4_ARCH["simple"], 10, 128, 0.7402, 0.6289),
        _model("cnn", _K4_ARCH["d1"], 10, 128, 0.8870, 0.6950),
        _model("cnn", _K4_ARCH["d2"], 10, 128, 0.8411, 0.6832),
        _model("cnn", _K4_ARCH["d3"], 15, 128, 0.8925, 0.7410),
        _model("cnn", _K4_ARCH["d4"], 10, 128, 0.7954, 0.6611),
        _model("cnn", _K4_ARCH["d5"], 30, 64, 0.8994, 0.8523),
    ],
    "table": [
        {"architecture": _K4_ARCH["simple"], "train": "74.02", "test": "62.89"},
        {"architecture": _K4_ARCH["d1"], "train": "88.70", "test": "69.50"},
        {"architecture": _K4_ARCH["d2"], "train": "84.11", "test": "68.32"},
        {"architecture": _K4_ARCH["d3"], "train": "89.25", "test": "74.10"},
        {"architecture": _K4_ARCH["d4"], "train": "79.54", "test": "66.11"},
        {"architecture": "3 x [2 x (CONV D=f, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT] with "
                         "f = 32, 64, 128 and dropout 0.2, 0.3, 0.4; DENSE 128 + BN + DROPOUT 0.5; "
                         "DENSE (batch size 64, 30 epochs)", "train": "89.94", "test": "85.23"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 5, "table": True, "review_answers": 7},
    "one_layer_differences": {"output", "epochs"},
    "accusations": [],
}


# =======================================================================================
# K5 — French, tf.keras 2 [====] bars, metrics=['acc'], deeper CNNs built in a loop from
#      a list of configuration dicts (three fits from one fit() line)
# =======================================================================================

_K5_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "cnn2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, "
             "P='same'; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : "
             "CONV D=64, w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE 128; "
             "Layer 8 : DENSE"),
    "cnn3": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
             "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, "
             "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
             "DROPOUT 0.25; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV "
             "D=128, w=h=3, S=1, P='same' + BN; Layer 9 : MAXPOOL + DROPOUT 0.25; Layer 10 : "
             "DENSE 256; Layer 11 : DENSE"),
    "cnn4": ("Layer 1 : CONV D=32, w=h=5, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=5, S=1, "
             "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.3; Layer 4 : CONV D=64, w=h=5, S=1, "
             "P='same' + BN; Layer 5 : CONV D=64, w=h=5, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
             "DROPOUT 0.3; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV "
             "D=128, w=h=3, S=1, P='same' + BN; Layer 9 : MAXPOOL + DROPOUT 0.3; "
             "Layer 10 : DENSE"),
}


def _build_k5() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# TP04 – CNN\n\n**Groupe 9** – Inès Moreau, Hugo Bernard, Jade Petit\n\n"
          "Exercice 1 : voir le fichier Excel rendu avec ce notebook.")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow.keras import layers, models, regularizers, utils, datasets""", _err(_TF_STDERR))
    nb.code("""
(X_train, y_train), (X_test, y_test) = datasets.cifar10.load_data()
X_train, X_test = X_train / 255.0, X_test / 255.0
Y_train = utils.to_categorical(y_train, 10)
Y_test = utils.to_categorical(y_test, 10)
noms = ['avion', 'auto', 'oiseau', 'chat', 'cerf', 'chien', 'grenouille', 'cheval', 'bateau', 'camion']
X_train.shape""", _res("(50000, 32, 32, 3)"))
    nb.md("## Exercice 2\n\n### Réseau à une couche\n\nNous avons utilisé l'erreur quadratique "
          "moyenne comme fonction de coût et des batchs de 256 images.")
    h = _hist(5, (0.2561, 0.3124), (0.0942, 0.0871))
    nb.code("""
reseau1 = models.Sequential()
reseau1.add(layers.Flatten(input_shape=(32, 32, 3)))
reseau1.add(layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)))
reseau1.compile(loss='mean_squared_error', optimizer='adam', metrics=['acc'])
h1 = reseau1.fit(X_train, Y_train, batch_size=256, epochs=5)""", _out(_k2_log(h, 196, metric="acc", secs=1)))
    nb.code('print("Précision sur le test :", reseau1.evaluate(X_test, Y_test, verbose=0)[1])',
            _out("Précision sur le test : 0.3167999982833862\n"))
    nb.code("""
W = reseau1.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
fig, ax = plt.subplots(2, 5, figsize=(12, 5))
for i in range(10):
    img = np.zeros((32, 32, 3))
    for c in range(3):  # normalisation par canal
        canal = W[:, :, c, i]
        img[:, :, c] = (canal - canal.min()) / (canal.max() - canal.min())
    ax[i // 5, i % 5].imshow(img)
    ax[i // 5, i % 5].set_title(noms[i])
    ax[i // 5, i % 5].axis('off')
plt.show()""", _fig("1200x500", 10))
    nb.md("### Réseau à deux couches")
    h = _hist(30, (0.3588, 0.5571), (1.8102, 1.2544))
    nb.code("""
reseau2 = models.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
reseau2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['acc'])
h2 = reseau2.fit(X_train, Y_train, batch_size=128, epochs=30)
print("Précision sur le test :", reseau2.evaluate(X_test, Y_test, verbose=0)[1])""",
            _out(_k2_log(h, 391, metric="acc", secs=2) + "Précision sur le test : 0.4688999950885773\n"))
    nb.md("## Exercice 3\n\n### CNN simple")
    h = _hist(10, (0.4477, 0.7195), (1.5510, 0.8123))
    nb.code("""
cnn = models.Sequential()
cnn.add(layers.Conv2D(32, (3, 3), strides=(1, 1), padding='same', activation='relu', input_shape=(32, 32, 3)))
cnn.add(layers.MaxPooling2D((2, 2)))
cnn.add(layers.Flatten())
cnn.add(layers.Dense(10, activation='softmax'))
cnn.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['acc'])
cnn.summary()
h3 = cnn.fit(X_train, Y_train, batch_size=128, epochs=10)
print("Précision sur le test :", cnn.evaluate(X_test, Y_test, verbose=0)[1])""",
            _out(_k2_summary("sequential_2", [
                ("conv2d (Conv2D)", "(None, 32, 32, 32)", 896),
                ("max_pooling2d (MaxPooling2D)", "(None, 16, 16, 32)", 0),
                ("flatten_2 (Flatten)", "(None, 8192)", 0),
                ("dense_3 (Dense)", "(None, 10)", 81930)])
                 + _k2_log(h, 391, metric="acc", secs=4)
                 + "Précision sur le test : 0.6267999768257141\n"))
    nb.md("### CNN plus profonds\n\nChaque configuration est décrite par un dictionnaire ; "
          "`construire_cnn` empile pour chaque bloc deux convolutions puis un max pooling.")
    nb.code("""
configs = [
    {"nom": "CNN-2", "blocs": [(32, 3), (64, 3)], "bn": False, "dropout": 0.0, "dense": 128},
    {"nom": "CNN-3", "blocs": [(32, 3), (64, 3), (128, 3)], "bn": True, "dropout": 0.25, "dense": 256},
    {"nom": "CNN-4", "blocs": [(32, 5), (64, 5), (128, 3)], "bn": True, "dropout": 0.3, "dense": 0},
]

def construire_cnn(cfg):
    m = models.Sequential()
    m.add(layers.InputLayer(input_shape=(32, 32, 3)))
    for filtres, k in cfg["blocs"]:
        for _ in range(2):
            m.add(layers.Conv2D(filtres, (k, k), padding='same'))
            if cfg["bn"]:
                m.add(layers.BatchNormalization())
            m.add(layers.Activation('relu'))
        m.add(layers.MaxPooling2D((2, 2)))
        if cfg["dropout"] > 0:
            m.add(layers.Dropout(cfg["dropout"]))
    m.add(layers.Flatten())
    if cfg["dense"]:
        m.add(layers.Dense(cfg["dense"], activation='relu'))
    m.add(layers.Dense(10, activation='softmax'))
    return m""")
    logs = []
    for name, acc, loss, test in (("CNN-2", 0.9744, 0.0731, "0.6934"),
                                  ("CNN-3", 0.9321, 0.1955, "0.8011"),
                                  ("CNN-4", 0.8986, 0.2890, "0.7967")):
        logs.append(f"===== {name} =====\n"
                    + _k2_log(_hist(15, (0.4120, acc), (1.6230, loss)), 391, metric="acc", secs=11)
                    + f"{name} : précision (train) = {acc:.4f}, précision (test) = {test}\n")
    nb.code("""
resultats = []
for cfg in configs:
    print(f"===== {cfg['nom']} =====")
    modele = construire_cnn(cfg)
    modele.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['acc'])
    h = modele.fit(X_train, Y_train, batch_size=128, epochs=15, verbose=1)
    _, acc_test = modele.evaluate(X_test, Y_test, verbose=0)
    print(f"{cfg['nom']} : précision (train) = {h.history['acc'][-1]:.4f}, précision (test) = {acc_test:.4f}")
    resultats.append((cfg['nom'], h.history['acc'][-1], acc_test))""", _out("".join(logs)))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", "CONV 32 3x3 same + MAXPOOL + DENSE", "71.95 %", "62.68 %"),
         ("2", "2 x [CONV 32 3x3] + MAXPOOL + 2 x [CONV 64 3x3] + MAXPOOL + DENSE 128 + DENSE",
          "97.44 %", "69.34 %"),
         ("3", "2 x [CONV 32 3x3 + BN] + MAXPOOL + DROPOUT 0.25 + 2 x [CONV 64 3x3 + BN] + MAXPOOL "
               "+ DROPOUT 0.25 + 2 x [CONV 128 3x3 + BN] + MAXPOOL + DROPOUT 0.25 + DENSE 256 + DENSE",
          "93.21 %", "80.11 %"),
         ("4", "2 x [CONV 32 5x5 + BN] + MAXPOOL + DROPOUT 0.3 + 2 x [CONV 64 5x5 + BN] + MAXPOOL "
               "+ DROPOUT 0.3 + 2 x [CONV 128 3x3 + BN] + MAXPOOL + DROPOUT 0.3 + DENSE",
          "89.86 %", "79.67 %")])
        + "\n\nToutes les convolutions : S=1, P='same'. Le CNN-3 est notre meilleure "
          "configuration ; le CNN-2 sur-apprend énormément (97 % contre 69 %).")
    ans = dict(_A_FR)
    ans["d"] = "Voir le cours."
    ans["g"] = ""
    nb.md(_review(ans, style="bold", heading="## Exercice 4 – Questions", label="**Réponse :** "))
    return nb.build()


_K5_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _K5_ARCH["one"], 5, 256, 0.3124, 0.3168),
        _model("dense", _K5_ARCH["two"], 30, 128, 0.5571, 0.4689),
        _model("cnn", _K5_ARCH["simple"], 10, 128, 0.7195, 0.6268),
        _model("cnn", _K5_ARCH["cnn2"], 15, 128, 0.9744, 0.6934),
        _model("cnn", _K5_ARCH["cnn3"], 15, 128, 0.9321, 0.8011),
        _model("cnn", _K5_ARCH["cnn4"], 15, 128, 0.8986, 0.7967),
    ],
    "table": [
        {"architecture": "CONV 32 3x3 same + MAXPOOL + DENSE", "train": "71.95 %", "test": "62.68 %"},
        {"architecture": "2 x [CONV 32 3x3] + MAXPOOL + 2 x [CONV 64 3x3] + MAXPOOL + DENSE 128 + "
                         "DENSE", "train": "97.44 %", "test": "69.34 %"},
        {"architecture": "2 x [CONV 32 3x3 + BN] + MAXPOOL + DROPOUT 0.25 + 2 x [CONV 64 3x3 + BN] "
                         "+ MAXPOOL + DROPOUT 0.25 + 2 x [CONV 128 3x3 + BN] + MAXPOOL + DROPOUT "
                         "0.25 + DENSE 256 + DENSE", "train": "93.21 %", "test": "80.11 %"},
        {"architecture": "2 x [CONV 32 5x5 + BN] + MAXPOOL + DROPOUT 0.3 + 2 x [CONV 64 5x5 + BN] "
                         "+ MAXPOOL + DROPOUT 0.3 + 2 x [CONV 128 3x3 + BN] + MAXPOOL + DROPOUT 0.3 "
                         "+ DENSE", "train": "89.86 %", "test": "79.67 %"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 6},
    "one_layer_differences": {"loss", "batch_size"},
    "accusations": [],
}


def _pt_lines(hist, fmt) -> str:
    n = len(hist)
    return "".join(fmt(e + 1, n, h) + "\n" for e, h in enumerate(hist))


def _tv_download(root: str):
    return [_out(_TV_DL.format(root=root)), _err(_TV_BAR),
            _out(_TV_EXTRACT.format(root=root))]


# =======================================================================================
# P1 — German, PyTorch nn.Sequential, training helper trainiere(modell, n_epochs=...)
#      with weight decay as the L2 term, print(model) reprs, honest test evaluation
# =======================================================================================

_P1_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "mlp": "Layer 1 : DENSE 512; Layer 2 : DENSE 256; Layer 3 : DENSE",
    "cnn1": "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "cnn2": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : CONV D=32, w=h=3, S=1, P=1; "
             "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1; Layer 5 : CONV D=64, "
             "w=h=3, S=1, P=1; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "cnn3": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + "
             "BN; Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; "
             "Layer 5 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL + DROPOUT 0.25; "
             "Layer 7 : DENSE 256 + DROPOUT 0.5; Layer 8 : DENSE"),
    "cnn4": ("Layer 1 : CONV D=64, w=h=5, S=1, P=2 + BN; Layer 2 : MAXPOOL; Layer 3 : CONV "
             "D=128, w=h=3, S=1, P=1 + BN; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; "
             "Layer 5 : MAXPOOL; Layer 6 : CONV D=256, w=h=3, S=1, P=1 + BN; Layer 7 : MAXPOOL; "
             "Layer 8 : DENSE"),
}


def _p1_log(hist):
    return _pt_lines(hist, lambda e, n, h: (
        f"Epoche {e}/{n} \u2013 Verlust: {h['loss']:.4f} \u2013 "
        f"Trainingsgenauigkeit: {100 * h['acc']:.2f} %"))


def _build_p1() -> nbformat.NotebookNode:
    nb = _NB(colab=True)
    nb.md("# Praktikum 4: Convolutional Neural Networks (PyTorch)\n\n"
          "Gruppe 2 – Miriam Baumann, Felix Huber")
    nb.code("""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader
import matplotlib.pyplot as plt
import numpy as np

geraet = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print(geraet)""", _out("cuda\n"))
    nb.code("""
transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = torchvision.datasets.CIFAR10(root='./daten', train=True, download=True, transform=transform)
testset = torchvision.datasets.CIFAR10(root='./daten', train=False, download=True, transform=transform)
trainloader = DataLoader(trainset, batch_size=128, shuffle=True, num_workers=2)
testloader = DataLoader(testset, batch_size=1000, shuffle=False, num_workers=2)
klassen = trainset.classes""", *_tv_download("./daten"))
    nb.md("Die Trainingsfunktion: Adam, Kreuzentropie (`nn.CrossEntropyLoss` enthält das "
          "Softmax), `wd` ist der L2-Term (weight decay).")
    nb.code("""
def trainiere(modell, n_epochs=10, wd=0.0, lr=1e-3):
    modell = modell.to(geraet)
    kriterium = nn.CrossEntropyLoss()
    optimierer = torch.optim.Adam(modell.parameters(), lr=lr, weight_decay=wd)
    for epoche in range(n_epochs):
        modell.train()
        verlust_summe, richtig, gesamt = 0.0, 0, 0
        for bilder, labels in trainloader:
            bilder, labels = bilder.to(geraet), labels.to(geraet)
            optimierer.zero_grad()
            ausgaben = modell(bilder)
            verlust = kriterium(ausgaben, labels)
            verlust.backward()
            optimierer.step()
            verlust_summe += verlust.item() * labels.size(0)
            richtig += (ausgaben.argmax(1) == labels).sum().item()
            gesamt += labels.size(0)
        print(f'Epoche {epoche + 1}/{n_epochs} – Verlust: {verlust_summe / gesamt:.4f} – '
              f'Trainingsgenauigkeit: {100 * richtig / gesamt:.2f} %')
    return modell


def teste(modell):
    modell.eval()
    richtig, gesamt = 0, 0
    with torch.no_grad():
        for bilder, labels in testloader:
            bilder, labels = bilder.to(geraet), labels.to(geraet)
            richtig += (modell(bilder).argmax(1) == labels).sum().item()
            gesamt += labels.size(0)
    print(f'Genauigkeit auf den Testdaten: {100 * richtig / gesamt:.1f} %')
    return richtig / gesamt""")
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz")
    nb.code("""
modell1 = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
print(modell1)
modell1 = trainiere(modell1, n_epochs=5, wd=0.05)
acc1 = teste(modell1)""",
            _out(_tseq([tflat(), tlin(3072, 10)]) + "\n"
                 + _p1_log(_hist(5, (0.2904, 0.3384), (2.0311, 1.8702)))
                 + "Genauigkeit auf den Testdaten: 33.5 %\n"))
    nb.code("""
W = modell1[1].weight.detach().cpu().numpy().reshape(10, 3, 32, 32)
fig, achsen = plt.subplots(2, 5, figsize=(12, 5))
for i, ax in enumerate(achsen.flat):
    w = W[i].transpose(1, 2, 0)
    w_min = w.min(axis=(0, 1), keepdims=True)   # pro Kanal normalisieren
    w_max = w.max(axis=(0, 1), keepdims=True)
    ax.imshow((w - w_min) / (w_max - w_min))
    ax.set_title(klassen[i])
    ax.axis('off')
plt.tight_layout()
plt.show()""", _fig("1200x500", 10))
    nb.md("### Zweischichtiges Netz")
    nb.code("""
modell2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
print(modell2)
modell2 = trainiere(modell2, n_epochs=30)
acc2 = teste(modell2)""",
            _out(_tseq([tflat(), tlin(3072, 128), trelu(), tlin(128, 10)]) + "\n"
                 + _p1_log(_hist(30, (0.3622, 0.5873), (1.7803, 1.1630)))
                 + "Genauigkeit auf den Testdaten: 47.9 %\n"))
    nb.md("Tuning: breiteres und tieferes Netz, kleinere Lernrate.")
    nb.code("""
modell3 = nn.Sequential(
    nn.Flatten(),
    nn.Linear(3072, 512), nn.ReLU(),
    nn.Linear(512, 256), nn.ReLU(),
    nn.Linear(256, 10),
)
modell3 = trainiere(modell3, n_epochs=20, lr=5e-4)
acc3 = teste(modell3)""",
            _out(_p1_log(_hist(20, (0.3810, 0.6602), (1.7210, 0.9514)))
                 + "Genauigkeit auf den Testdaten: 52.4 %\n"))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN (Standardwert: 10 Epochen)")
    nb.code("""
cnn1 = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
print(cnn1)
cnn1 = trainiere(cnn1)
acc_cnn1 = teste(cnn1)""",
            _out(_tseq([tconv(3, 32, 3, 1, 1), trelu(), tpool(), tflat(), tlin(8192, 10)]) + "\n"
                 + _p1_log(_hist(10, (0.4712, 0.7166), (1.4820, 0.8231)))
                 + "Genauigkeit auf den Testdaten: 63.1 %\n"))
    nb.md("### Tiefere CNNs")
    nb.code("""
cnn2 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(64 * 8 * 8, 10),
)
cnn2 = trainiere(cnn2, n_epochs=15)
acc_cnn2 = teste(cnn2)""",
            _out(_p1_log(_hist(15, (0.4203, 0.9305), (1.5722, 0.2011)))
                 + "Genauigkeit auf den Testdaten: 71.2 %\n"))
    nb.code("""
cnn3 = nn.Sequential(
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
print(cnn3)
cnn3 = trainiere(cnn3, n_epochs=20)
acc_cnn3 = teste(cnn3)""",
            _out(_tseq([tconv(3, 32, 3, 1, 1), tbn(32), trelu(), tconv(32, 32, 3, 1, 1), tbn(32),
                        trelu(), tpool(), tdrop(0.25), tconv(32, 64, 3, 1, 1), tbn(64), trelu(),
                        tconv(64, 64, 3, 1, 1), tbn(64), trelu(), tpool(), tdrop(0.25), tflat(),
                        tlin(4096, 256), trelu(), tdrop(0.5), tlin(256, 10)]) + "\n"
                 + _p1_log(_hist(20, (0.4401, 0.8791), (1.5530, 0.3420)))
                 + "Genauigkeit auf den Testdaten: 79.4 %\n"))
    nb.code("""
cnn4 = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(256 * 4 * 4, 10),
)
cnn4 = trainiere(cnn4, n_epochs=20)
acc_cnn4 = teste(cnn4)""",
            _out(_p1_log(_hist(20, (0.5120, 0.9612), (1.3520, 0.1133)))
                 + "Genauigkeit auf den Testdaten: 81.7 %\n"))
    nb.md("### Tabelle 1\n\n" + _table(
        ("CNN", "Architektur", "Acc. train %", "Acc. test %"),
        [("1", _P1_ARCH["cnn1"], "71.66 %", "63.1 %"),
         ("2", _P1_ARCH["cnn2"], "93.05 %", "71.2 %"),
         ("3", _P1_ARCH["cnn3"], "87.91 %", "79.4 %"),
         ("4", _P1_ARCH["cnn4"], "96.12 %", "81.7 %")])
        + "\n\nOptimierer Adam (lr = 0.001), Batchgrösse 128. CNN 4 ist am besten, überanpasst "
          "aber stark; CNN 3 hat dank Dropout die kleinste Lücke zwischen Training und Test.")
    ans = dict(_A_DE)
    ans["f"] = "Siehe Vorlesung."
    ans["g"] = ""
    nb.md(_review(ans, style="bold", heading="## Aufgabe 4 – Verständnisfragen",
                  label="Antwort: "))
    return nb.build()


_P1_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _P1_ARCH["one"], 5, 128, 0.3384, 0.335),
        _model("dense", _P1_ARCH["two"], 30, 128, 0.5873, 0.479),
        _model("dense", _P1_ARCH["mlp"], 20, 128, 0.6602, 0.524),
        _model("cnn", _P1_ARCH["cnn1"], 10, 128, 0.7166, 0.631),
        _model("cnn", _P1_ARCH["cnn2"], 15, 128, 0.9305, 0.712),
        _model("cnn", _P1_ARCH["cnn3"], 20, 128, 0.8791, 0.794),
        _model("cnn", _P1_ARCH["cnn4"], 20, 128, 0.9612, 0.817),
    ],
    "table": [
        {"architecture": _P1_ARCH["cnn1"], "train": "71.66 %", "test": "63.1 %"},
        {"architecture": _P1_ARCH["cnn2"], "train": "93.05 %", "test": "71.2 %"},
        {"architecture": _P1_ARCH["cnn3"], "train": "87.91 %", "test": "79.4 %"},
        {"architecture": _P1_ARCH["cnn4"], "train": "96.12 %", "test": "81.7 %"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 6},
    "one_layer_differences": set(),
    "accusations": [],
}


# =======================================================================================
# P2 — English, PyTorch nn.Module subclasses, blocks from a helper returning a list
#      unpacked with *, train_model(net, epochs=8, wd=0.05), DataLoader batch 64,
#      Table 1 as a printed pandas DataFrame
# =======================================================================================

_P2_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "two512": "Layer 1 : DENSE 512; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "a": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
          "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=64, "
          "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "b": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
          "Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : "
          "CONV D=64, w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL + DROPOUT 0.25; Layer 7 : CONV "
          "D=128, w=h=3, S=1, P=1 + BN; Layer 8 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 9 : "
          "MAXPOOL + DROPOUT 0.25; Layer 10 : DENSE 256; Layer 11 : DENSE"),
    "c": ("Layer 1 : CONV D=64, w=h=5, S=1, P=2 + BN; Layer 2 : CONV D=64, w=h=5, S=1, P=2 + BN; "
          "Layer 3 : MAXPOOL + DROPOUT 0.3; Layer 4 : CONV D=128, w=h=5, S=1, P=2 + BN; Layer 5 : "
          "CONV D=128, w=h=5, S=1, P=2 + BN; Layer 6 : MAXPOOL + DROPOUT 0.3; Layer 7 : DENSE"),
}


def _p2_log(hist):
    return _pt_lines(hist, lambda e, n, h: (
        f"epoch {e:2d} | loss {h['loss']:.4f} | train acc {h['acc']:.4f}"))


def _p2_deep_repr(widths, k=3, dropout=0.0, hidden=0):
    feats, cin = [], 3
    for w in widths:
        for a, b in ((cin, w), (w, w)):
            feats += [tconv(a, b, k, 1, k // 2), tbn(b), trelu(True)]
        feats.append(tpool())
        if dropout:
            feats.append(tdrop(dropout))
        cin = w
    side = 32 // 2 ** len(widths)
    head = [tflat()]
    if hidden:
        head += [tlin(cin * side * side, hidden), trelu(True), tlin(hidden, 10)]
    else:
        head += [tlin(cin * side * side, 10)]
    return _tmod("DeepCNN", [("features", _tseq(feats)), ("classifier", _tseq(head))])


_P2_TABLE_TEXT = (
    " CNN                                         Architecture  Acc. train %  Acc. test %\n"
    "   1                                     C32(k3,p1)-MP-FC          75.0         64.0\n"
    "   2                            2xC32-MP-2xC64-MP-FC (BN)          94.0         77.2\n"
    "   3 2xC32-MP-2xC64-MP-2xC128-MP-FC256-FC (BN, drop 0.25)          91.7         83.5\n"
    "   4         2xC64(k5)-MP-2xC128(k5)-MP-FC (BN, drop 0.3)          89.9         80.1\n")


def _build_p2() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW 4 – CNN with PyTorch\n\nGroup 5: Elena Rossi, Tom Keller\n\n"
          "(Exercise 1 answers are in the Excel sheet.)")
    nb.code("""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader
import matplotlib.pyplot as plt
import pandas as pd

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
device""", _res("'cuda'"))
    nb.code("""
tfm = transforms.Compose([transforms.ToTensor(),
                          transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))])
train_set = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=tfm)
test_set = torchvision.datasets.CIFAR10("data", train=False, download=True, transform=tfm)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4)
test_loader = DataLoader(test_set, batch_size=1000, shuffle=False, num_workers=4)
len(train_loader), len(test_loader)""",
            _out("Files already downloaded and verified\nFiles already downloaded and verified\n"),
            _res("(782, 10)"))
    nb.code('''
def train_model(net, epochs=10, wd=0.0, lr=1e-3):
    """Adam + cross-entropy; wd is the L2 penalty (weight decay)."""
    net.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(net.parameters(), lr=lr, weight_decay=wd)
    for epoch in range(1, epochs + 1):
        net.train()
        running_loss, correct, seen = 0.0, 0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            out = net(xb)
            loss = criterion(out, yb)
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * yb.size(0)
            correct += (out.argmax(dim=1) == yb).sum().item()
            seen += yb.size(0)
        print(f"epoch {epoch:2d} | loss {running_loss / seen:.4f} | train acc {correct / seen:.4f}")
    net.train_acc = correct / seen
    return net


@torch.no_grad()
def evaluate(net, loader=test_loader):
    net.eval()
    correct = total = 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        correct += (net(xb).argmax(dim=1) == yb).sum().item()
        total += yb.size(0)
    return correct / total''')
    nb.md("## Exercise 2\n\n### One-layer network")
    nb.code("""
class OneLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32 * 32 * 3, 10)

    def forward(self, x):
        return self.fc(self.flatten(x))


one_layer = OneLayer()
print(one_layer)
one_layer = train_model(one_layer, epochs=8, wd=0.05)
acc = evaluate(one_layer)
print(f"Test accuracy: {acc:.2%}")""",
            _out(_tmod("OneLayer", [("flatten", tflat()), ("fc", tlin(3072, 10))]) + "\n"
                 + _p2_log(_hist(8, (0.2811, 0.3391), (2.0820, 1.8766)))
                 + "Test accuracy: 34.18%\n"))
    nb.code("""
w = one_layer.fc.weight.detach().cpu().view(10, 3, 32, 32)
fig, axes = plt.subplots(1, 10, figsize=(16, 2.2))
for i, ax in enumerate(axes):
    img = w[i].permute(1, 2, 0)
    lo = img.amin(dim=(0, 1), keepdim=True)
    hi = img.amax(dim=(0, 1), keepdim=True)
    ax.imshow(((img - lo) / (hi - lo) * 255).byte().numpy())   # per-channel scaling to 0..255
    ax.set_title(train_set.classes[i], fontsize=8)
    ax.axis("off")
plt.show()""", _fig("1600x220", 10))
    nb.md("### Two-layer network")
    nb.code("""
class TwoLayer(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(3072, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x)


two_layer = train_model(TwoLayer(), epochs=30)
print(f"Test accuracy: {evaluate(two_layer):.2%}")""",
            _out(_p2_log(_hist(30, (0.3702, 0.6011), (1.7512, 1.1230)))
                 + "Test accuracy: 47.02%\n"))
    nb.md("Tuning: 512 hidden units instead of 128.")
    nb.code("""
two_layer_512 = train_model(TwoLayer(hidden=512), epochs=30)
print(f"Test accuracy: {evaluate(two_layer_512):.2%}")""",
            _out(_p2_log(_hist(30, (0.3911, 0.7233), (1.7011, 0.7822)))
                 + "Test accuracy: 52.34%\n"))
    nb.md("## Exercise 3\n\n### Simple CNN")
    nb.code("""
class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))


simple = SimpleCNN()
print(simple)
simple = train_model(simple, epochs=10)
simple_acc = evaluate(simple)
print(f"Test accuracy: {simple_acc:.2%}")""",
            _out(_tmod("SimpleCNN", [("conv", tconv(3, 32, 3, 1, 1)), ("pool", tpool()),
                                     ("fc", tlin(8192, 10))]) + "\n"
                 + _p2_log(_hist(10, (0.4822, 0.7498), (1.4512, 0.7261)))
                 + "Test accuracy: 64.02%\n"))
    nb.md("### Deeper CNNs\n\n`conv_bn_relu` returns a list of layers, so blocks can be unpacked "
          "with `*` inside `nn.Sequential`.")
    nb.code("""
def conv_bn_relu(c_in, c_out, k=3):
    return [nn.Conv2d(c_in, c_out, kernel_size=k, padding=k // 2),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True)]


class DeepCNN(nn.Module):
    def __init__(self, widths=(32, 64), k=3, dropout=0.0, hidden=0):
        super().__init__()
        layers, c_in = [], 3
        for w in widths:
            layers += [*conv_bn_relu(c_in, w, k), *conv_bn_relu(w, w, k), nn.MaxPool2d(2)]
            if dropout:
                layers.append(nn.Dropout(dropout))
            c_in = w
        self.features = nn.Sequential(*layers)
        side = 32 // 2 ** len(widths)
        head = [nn.Flatten()]
        if hidden:
            head += [nn.Linear(c_in * side * side, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, 10)]
        else:
            head += [nn.Linear(c_in * side * side, 10)]
        self.classifier = nn.Sequential(*head)

    def forward(self, x):
        return self.classifier(self.features(x))""")
    nb.code("""
deep_a = DeepCNN(widths=(32, 64))
print(deep_a)
deep_a = train_model(deep_a, epochs=12)
deep_a_acc = evaluate(deep_a)
print(f"Test accuracy: {deep_a_acc:.2%}")""",
            _out(_p2_deep_repr((32, 64)) + "\n"
                 + _p2_log(_hist(12, (0.5320, 0.9402), (1.3010, 0.1722)))
                 + "Test accuracy: 77.16%\n"))
    nb.code("""
deep_b = DeepCNN(widths=(32, 64, 128), dropout=0.25, hidden=256)
print(deep_b)
deep_b = train_model(deep_b, epochs=20)
deep_b_acc = evaluate(deep_b)
print(f"Test accuracy: {deep_b_acc:.2%}")""",
            _out(_p2_deep_repr((32, 64, 128), dropout=0.25, hidden=256) + "\n"
                 + _p2_log(_hist(20, (0.4810, 0.9167), (1.4322, 0.2390)))
                 + "Test accuracy: 83.54%\n"))
    nb.code("""
deep_c = DeepCNN(widths=(64, 128), k=5, dropout=0.3)
print(deep_c)
deep_c = train_model(deep_c, epochs=15)
deep_c_acc = evaluate(deep_c)
print(f"Test accuracy: {deep_c_acc:.2%}")""",
            _out(_p2_deep_repr((64, 128), k=5, dropout=0.3) + "\n"
                 + _p2_log(_hist(15, (0.4633, 0.8988), (1.5120, 0.2877)))
                 + "Test accuracy: 80.12%\n"))
    nb.md("### Table 1")
    nb.code("""
rows = [
    (1, "C32(k3,p1)-MP-FC", simple, simple_acc),
    (2, "2xC32-MP-2xC64-MP-FC (BN)", deep_a, deep_a_acc),
    (3, "2xC32-MP-2xC64-MP-2xC128-MP-FC256-FC (BN, drop 0.25)", deep_b, deep_b_acc),
    (4, "2xC64(k5)-MP-2xC128(k5)-MP-FC (BN, drop 0.3)", deep_c, deep_c_acc),
]
table = pd.DataFrame([(i, arch, 100 * net.train_acc, 100 * acc) for i, arch, net, acc in rows],
                     columns=["CNN", "Architecture", "Acc. train %", "Acc. test %"]).round(1)
print(table.to_string(index=False))""", _out(_P2_TABLE_TEXT))
    nb.md("Notation: C32 = conv with 32 filters (3x3, stride 1, padding 1 unless noted), "
          "MP = 2x2 max pooling, FC = linear layer; all with Adam, batch size 64.\n\n"
          "CNN 3 is our best network.")
    nb.md(_review(_A_EN, style="plain", heading="## Exercise 4"))
    return nb.build()


_P2_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _P2_ARCH["one"], 8, 64, 0.3391, 0.3418),
        _model("dense", _P2_ARCH["two"], 30, 64, 0.6011, 0.4702),
        _model("dense", _P2_ARCH["two512"], 30, 64, 0.7233, 0.5234),
        _model("cnn", _P2_ARCH["simple"], 10, 64, 0.7498, 0.6402),
        _model("cnn", _P2_ARCH["a"], 12, 64, 0.9402, 0.7716),
        _model("cnn", _P2_ARCH["b"], 20, 64, 0.9167, 0.8354),
        _model("cnn", _P2_ARCH["c"], 15, 64, 0.8988, 0.8012),
    ],
    "table": [
        {"architecture": "C32(k3,p1)-MP-FC", "train": "75.0", "test": "64.0"},
        {"architecture": "2xC32-MP-2xC64-MP-FC (BN)", "train": "94.0", "test": "77.2"},
        {"architecture": "2xC32-MP-2xC64-MP-2xC128-MP-FC256-FC (BN, drop 0.25)", "train": "91.7",
         "test": "83.5"},
        {"architecture": "2xC64(k5)-MP-2xC128(k5)-MP-FC (BN, drop 0.3)", "train": "89.9",
         "test": "80.1"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 8},
    "one_layer_differences": {"epochs", "batch_size"},
    "accusations": [],
}


# =======================================================================================
# P3 — French, PyTorch, entrainer(reseau, optimiseur, nb_epoques=...) printing train and
#      test accuracy per epoch; SGD for the one-layer net; an MLP with two hidden layers
#      instead of the asked two-layer net; average pooling and adaptive (global) pooling
# =======================================================================================

_P3_ARCH = {
    "one": "Layer 1 : DENSE",
    "mlp": "Layer 1 : DENSE 256; Layer 2 : DENSE 128; Layer 3 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "p1": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : CONV D=64, w=h=3, S=1, P=1; "
           "Layer 3 : AVGPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1; Layer 5 : MAXPOOL; "
           "Layer 6 : DENSE"),
    "p2": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : CONV D=128, w=h=3, S=1, P=1 + BN; "
           "Layer 8 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 9 : MAXPOOL; Layer 10 : DENSE"),
    "p3": ("Layer 1 : CONV D=64, w=h=7, S=1, P=3 + BN; Layer 2 : MAXPOOL; Layer 3 : CONV D=128, "
           "w=h=3, S=1, P=1 + BN; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 5 : MAXPOOL; "
           "Layer 6 : CONV D=256, w=h=3, S=1, P=1 + BN; Layer 7 : GLOBAL AVG POOL + DROPOUT 0.3; "
           "Layer 8 : DENSE"),
}


def _p3_log(hist):
    return _pt_lines(hist, lambda e, n, h: (
        f"Époque {e}/{n} | perte = {h['loss']:.4f} | précision train = {100 * h['acc']:.2f} % | "
        f"précision test = {100 * h['val_acc']:.2f} %"))


def _build_p3() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# TP 4 – Réseaux convolutifs avec PyTorch\n\nGroupe 14 : Louise Girard, Nathan Roux")
    nb.code("""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as transforms
import matplotlib.pyplot as plt

dispositif = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
transformation = transforms.ToTensor()
donnees_train = torchvision.datasets.CIFAR10(root="./cifar", train=True, download=True, transform=transformation)
donnees_test = torchvision.datasets.CIFAR10(root="./cifar", train=False, download=True, transform=transformation)
chargeur_train = torch.utils.data.DataLoader(donnees_train, batch_size=128, shuffle=True)
chargeur_test = torch.utils.data.DataLoader(donnees_test, batch_size=1000)""",
            *_tv_download("./cifar"))
    nb.code("""
def precision(reseau, chargeur):
    reseau.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in chargeur:
            x, y = x.to(dispositif), y.to(dispositif)
            correct += (reseau(x).argmax(1) == y).sum().item()
            total += y.numel()
    return correct / total


def entrainer(reseau, optimiseur, nb_epoques=10):
    critere = nn.CrossEntropyLoss()   # softmax + entropie croisée
    reseau.to(dispositif)
    for ep in range(nb_epoques):
        reseau.train()
        somme, bons, n = 0.0, 0, 0
        for x, y in chargeur_train:
            x, y = x.to(dispositif), y.to(dispositif)
            optimiseur.zero_grad()
            sortie = reseau(x)
            perte = critere(sortie, y)
            perte.backward()
            optimiseur.step()
            somme += perte.item() * y.numel()
            bons += (sortie.argmax(1) == y).sum().item()
            n += y.numel()
        acc_test = precision(reseau, chargeur_test)
        print(f"Époque {ep + 1}/{nb_epoques} | perte = {somme / n:.4f} | "
              f"précision train = {100 * bons / n:.2f} % | précision test = {100 * acc_test:.2f} %")
    return acc_test""")
    nb.md("## Exercice 2\n\n### Réseau à une couche\n\nNous avons pris SGD avec momentum, "
          "avec weight_decay = 0.05 comme régularisation L2.")
    nb.code("""
reseau1 = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32 * 3, 10))
opt = torch.optim.SGD(reseau1.parameters(), lr=0.01, momentum=0.9, weight_decay=0.05)
acc = entrainer(reseau1, opt, nb_epoques=5)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_p3_log(_hist(5, (0.2633, 0.3106), (2.0612, 1.9210), (0.2870, 0.3240),
                               (2.0, 1.9)))
                 + "Précision sur le jeu de test : 32.40 %\n"))
    nb.code("""
poids = reseau1[1].weight.data.cpu().reshape(10, 3, 32, 32)
plt.figure(figsize=(15, 2))
for i in range(10):
    p = poids[i]
    mini = p.amin(dim=(1, 2), keepdim=True)   # normalisation par canal
    maxi = p.amax(dim=(1, 2), keepdim=True)
    p = (255 * (p - mini) / (maxi - mini)).byte().permute(1, 2, 0)
    plt.subplot(1, 10, i + 1)
    plt.imshow(p.numpy())
    plt.title(donnees_train.classes[i])
    plt.axis("off")
plt.show()""", _fig("1500x200", 10))
    nb.md("### Réseau multicouche\n\nNous sommes passés directement à un réseau avec deux couches "
          "cachées (256 et 128 neurones), qui donnait de meilleurs résultats.")
    nb.code("""
mlp = nn.Sequential(
    nn.Flatten(),
    nn.Linear(3072, 256), nn.ReLU(),
    nn.Linear(256, 128), nn.ReLU(),
    nn.Linear(128, 10),
)
acc = entrainer(mlp, torch.optim.Adam(mlp.parameters(), lr=1e-3), nb_epoques=30)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_p3_log(_hist(30, (0.3811, 0.6488), (1.7320, 0.9880), (0.4402, 0.5102),
                               (1.0, 1.0)))
                 + "Précision sur le jeu de test : 51.02 %\n"))
    nb.md("## Exercice 3\n\n### CNN simple")
    nb.code("""
class CNNSimple(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        return self.fc(x.view(x.size(0), -1))


cnn = CNNSimple()
acc = entrainer(cnn, torch.optim.Adam(cnn.parameters(), lr=1e-3), nb_epoques=10)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_p3_log(_hist(10, (0.4566, 0.7705), (1.5230, 0.6611), (0.5320, 0.6344),
                               (1.0, 1.0)))
                 + "Précision sur le jeu de test : 63.44 %\n"))
    nb.md("### CNN plus profonds")
    nb.code("""
class CNNProfond1(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.moy = nn.AvgPool2d(2)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(128 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.moy(F.relu(self.conv2(x)))
        x = self.pool(F.relu(self.conv3(x)))
        return self.fc(torch.flatten(x, 1))


p1 = CNNProfond1()
acc = entrainer(p1, torch.optim.Adam(p1.parameters(), lr=1e-3), nb_epoques=12)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_p3_log(_hist(12, (0.4410, 0.8617), (1.5430, 0.3911), (0.5433, 0.7031),
                               (1.0, 1.0)))
                 + "Précision sur le jeu de test : 70.31 %\n"))
    nb.code("""
p2 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 4 * 4, 10),
)
acc = entrainer(p2, torch.optim.Adam(p2.parameters(), lr=1e-3), nb_epoques=15)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_p3_log(_hist(15, (0.5210, 0.9420), (1.3340, 0.1702), (0.6011, 0.7855),
                               (1.0, 1.0)))
                 + "Précision sur le jeu de test : 78.55 %\n"))
    nb.code("""
class CNNProfond3(nn.Module):
    def __init__(self):
        super().__init__()
        self.entree = nn.Sequential(nn.Conv2d(3, 64, kernel_size=7, padding=3), nn.BatchNorm2d(64),
                                    nn.ReLU(), nn.MaxPool2d(2))
        self.milieu = nn.Sequential(
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(),
        )
        self.sortie = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(256, 10))

    def forward(self, x):
        return self.sortie(self.milieu(self.entree(x)))


p3 = CNNProfond3()
print(p3)
acc = entrainer(p3, torch.optim.Adam(p3.parameters(), lr=1e-3), nb_epoques=20)
print(f"Précision sur le jeu de test : {100 * acc:.2f} %")""",
            _out(_tmod("CNNProfond3", [
                ("entree", _tseq([tconv(3, 64, 7, 1, 3), tbn(64), trelu(), tpool()])),
                ("milieu", _tseq([tconv(64, 128, 3, 1, 1), tbn(128), trelu(),
                                  tconv(128, 128, 3, 1, 1), tbn(128), trelu(), tpool(),
                                  tconv(128, 256, 3, 1, 1), tbn(256), trelu()])),
                ("sortie", _tseq([tgap(), tflat(), tdrop(0.3), tlin(256, 10)]))]) + "\n"
                 + _p3_log(_hist(20, (0.4820, 0.9133), (1.4120, 0.2480), (0.5530, 0.8240),
                                 (1.0, 1.0)))
                 + "Précision sur le jeu de test : 82.40 %\n"))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Précision train (%)", "Précision test (%)"),
        [("1", _P3_ARCH["simple"], "77,05", "63,44"),
         ("2", _P3_ARCH["p1"], "86,17", "70,31"),
         ("3", _P3_ARCH["p2"], "94,20", "78,55"),
         ("4", _P3_ARCH["p3"], "91,33", "82,40")])
        + "\n\nTous entraînés avec Adam (lr = 1e-3) et des batchs de 128 images.")
    ans = {"a": _A_FR["a"], "b": _A_FR["b"], "c": "cf. slides", "d": "?", "e": _A_FR["e"],
           "f": "", "g": "Pas eu le temps.", "h": _A_FR["h"]}
    nb.md(_review(ans, style="plain", heading="## Exercice 4 (optionnel)"))
    return nb.build()


_P3_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _P3_ARCH["one"], 5, 128, 0.3106, 0.3240),
        _model("dense", _P3_ARCH["mlp"], 30, 128, 0.6488, 0.5102),
        _model("cnn", _P3_ARCH["simple"], 10, 128, 0.7705, 0.6344),
        _model("cnn", _P3_ARCH["p1"], 12, 128, 0.8617, 0.7031),
        _model("cnn", _P3_ARCH["p2"], 15, 128, 0.9420, 0.7855),
        _model("cnn", _P3_ARCH["p3"], 20, 128, 0.9133, 0.8240),
    ],
    "table": [
        {"architecture": _P3_ARCH["simple"], "train": "77,05", "test": "63,44"},
        {"architecture": _P3_ARCH["p1"], "train": "86,17", "test": "70,31"},
        {"architecture": _P3_ARCH["p2"], "train": "94,20", "test": "78,55"},
        {"architecture": _P3_ARCH["p3"], "train": "91,33", "test": "82,40"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": False,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 4},
    "one_layer_differences": {"optimizer"},
    "accusations": [],
}


# =======================================================================================
# P4 — English, PyTorch nn.Module subclasses, run_training(model, loader, epochs=...),
#      two training loaders (128 for the dense nets, 64 for the CNNs), VGG-like blocks from
#      a helper, strided convolutions with adaptive average pooling
# =======================================================================================

_P4_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "v1": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "v2": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : CONV D=128, w=h=3, S=1, P=1 + BN; "
           "Layer 8 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 9 : CONV D=128, w=h=3, S=1, P=1 + "
           "BN; Layer 10 : MAXPOOL; Layer 11 : DENSE"),
    "ac": ("Layer 1 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=64, w=h=3, S=2, P=1 + BN; "
           "Layer 3 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 4 : CONV D=128, w=h=3, S=2, P=1 + "
           "BN; Layer 5 : GLOBAL AVG POOL; Layer 6 : DENSE"),
}


def _p4_log(hist):
    return _pt_lines(hist, lambda e, n, h: (
        f"[{e}/{n}] loss={h['loss']:.4f}  train_acc={100 * h['acc']:.2f}%"))


def _vgg_repr(cfg):
    body, c_in = [], 3
    for c_out, n in cfg:
        for i in range(n):
            body += [tconv(c_in if i == 0 else c_out, c_out, 3, 1, 1), tbn(c_out), trelu()]
        body.append(tpool())
        c_in = c_out
    side = 32 >> len(cfg)
    return _tmod("VGGish", [("body", _tseq(body)),
                            ("head", _tseq([tflat(), tlin(c_in * side * side, 10)]))])


def _build_p4() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Deep Learning – PW04: CNNs (PyTorch version)\n\n"
          "**Authors:** Priya Raman, Jan Novak  \n**Group:** 12")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
to_tensor = transforms.Compose([transforms.ToTensor()])
train_data = datasets.CIFAR10("~/data", train=True, download=True, transform=to_tensor)
test_data = datasets.CIFAR10("~/data", train=False, download=True, transform=to_tensor)

train_loader = DataLoader(train_data, batch_size=128, shuffle=True)      # dense networks
train_loader_64 = DataLoader(train_data, batch_size=64, shuffle=True)    # CNNs
test_loader = DataLoader(test_data, batch_size=1000)""",
            _out("Files already downloaded and verified\nFiles already downloaded and verified\n"))
    nb.code("""
def run_training(model, loader, epochs=10, weight_decay=0.0, lr=1e-3):
    model.to(device)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    for epoch in range(epochs):
        model.train()
        total_loss, hits, count = 0.0, 0, 0
        for images, targets in loader:
            images, targets = images.to(device), targets.to(device)
            logits = model(images)
            loss = loss_fn(logits, targets)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(targets)
            hits += (logits.argmax(1) == targets).sum().item()
            count += len(targets)
        print(f"[{epoch + 1}/{epochs}] loss={total_loss / count:.4f}  train_acc={100 * hits / count:.2f}%")
    return model


def accuracy(model, loader):
    model.eval()
    hits = count = 0
    with torch.no_grad():
        for images, targets in loader:
            preds = model(images.to(device)).argmax(1).cpu()
            hits += (preds == targets).sum().item()
            count += len(targets)
    return hits / count""")
    nb.md("## Exercise 2 – shallow networks\n\n### One-layer network (weight decay = L2 term)")
    nb.code("""
class LinearClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        return self.linear(x.flatten(1))


lin = run_training(LinearClassifier(), train_loader, epochs=5, weight_decay=0.01)
test_acc = accuracy(lin, test_loader)
print(f"Test accuracy: {test_acc:.2%}")""",
            _out(_p4_log(_hist(5, (0.3312, 0.3904), (1.9302, 1.7712)))
                 + "Test accuracy: 38.11%\n"))
    nb.code("""
W = lin.linear.weight.detach().cpu().numpy().reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)
fig, axes = plt.subplots(1, 10, figsize=(15, 2))
for k, ax in enumerate(axes):
    w = W[k]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))  # per RGB channel
    ax.imshow(w)
    ax.set_title(train_data.classes[k], fontsize=8)
    ax.axis("off")
plt.show()""", _fig("1500x200", 10))
    nb.md("### Two-layer network")
    nb.code("""
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(32 * 32 * 3, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc2(F.relu(self.fc1(x)))


mlp = run_training(MLP(), train_loader, epochs=30)
test_acc = accuracy(mlp, test_loader)
print(f"Test accuracy: {test_acc:.2%}")""",
            _out(_p4_log(_hist(30, (0.3620, 0.5967), (1.7730, 1.1501)))
                 + "Test accuracy: 47.88%\n"))
    nb.md("## Exercise 3 – CNNs (batch size 64)\n\n### Simple CNN")
    nb.code("""
class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.out = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        return self.out(self.pool(F.relu(self.conv(x))).flatten(1))


simple = run_training(SimpleCNN(), train_loader_64, epochs=10)
print(f"Test accuracy: {accuracy(simple, test_loader):.2%}")""",
            _out(_p4_log(_hist(10, (0.4801, 0.7612), (1.4620, 0.6932)))
                 + "Test accuracy: 64.57%\n"))
    nb.md("### Deeper CNNs")
    nb.code("""
def vgg_block(c_in, c_out, n_convs):
    layers = []
    for i in range(n_convs):
        layers += [nn.Conv2d(c_in if i == 0 else c_out, c_out, kernel_size=3, padding=1),
                   nn.BatchNorm2d(c_out), nn.ReLU()]
    layers.append(nn.MaxPool2d(2))
    return layers


class VGGish(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        blocks, c_in = [], 3
        for c_out, n in cfg:
            blocks = [*blocks, *vgg_block(c_in, c_out, n)]
            c_in = c_out
        self.body = nn.Sequential(*blocks)
        side = 32 >> len(cfg)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(c_in * side * side, 10))

    def forward(self, x):
        return self.head(self.body(x))


class AllConv(nn.Module):
    \"\"\"No pooling: downsampling with stride-2 convolutions, then global average pooling.\"\"\"
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 128, 3, stride=2, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)""")
    nb.code("""
vgg1 = VGGish(cfg=((32, 2), (64, 2)))
print(vgg1)
vgg1 = run_training(vgg1, train_loader_64, epochs=15)
print(f"Test accuracy: {accuracy(vgg1, test_loader):.2%}")""",
            _out(_vgg_repr(((32, 2), (64, 2))) + "\n"
                 + _p4_log(_hist(15, (0.5230, 0.9288), (1.3220, 0.2041)))
                 + "Test accuracy: 78.23%\n"))
    nb.code("""
vgg2 = VGGish(cfg=((32, 2), (64, 2), (128, 3)))
print(vgg2)
vgg2 = run_training(vgg2, train_loader_64, epochs=20)
print(f"Test accuracy: {accuracy(vgg2, test_loader):.2%}")""",
            _out(_vgg_repr(((32, 2), (64, 2), (128, 3))) + "\n"
                 + _p4_log(_hist(20, (0.5012, 0.9541), (1.3710, 0.1330)))
                 + "Test accuracy: 84.19%\n"))
    nb.code("""
allconv = run_training(AllConv(), train_loader_64, epochs=20)
print(f"Test accuracy: {accuracy(allconv, test_loader):.2%}")""",
            _out(_p4_log(_hist(20, (0.4522, 0.8876), (1.4930, 0.3172)))
                 + "Test accuracy: 81.05%\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", _P4_ARCH["simple"], "76.12", "64.57"),
         ("2", _P4_ARCH["v1"], "92.88", "78.23"),
         ("3", _P4_ARCH["v2"], "95.41", "84.19"),
         ("4", _P4_ARCH["ac"], "88.76", "81.05")])
        + "\n\nAdam (lr 1e-3), batch size 64. The VGG-like network with three blocks (CNN 3) is "
          "our best configuration; the all-convolutional network overfits the least.")
    ans = dict(_A_EN)
    ans["g"] = "See Excel sheet."
    nb.md(_review(ans, style="bold", heading="## Exercise 4 – Review questions",
                  label="*Answer:* "))
    return nb.build()


_P4_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _P4_ARCH["one"], 5, 128, 0.3904, 0.3811),
        _model("dense", _P4_ARCH["two"], 30, 128, 0.5967, 0.4788),
        _model("cnn", _P4_ARCH["simple"], 10, 64, 0.7612, 0.6457),
        _model("cnn", _P4_ARCH["v1"], 15, 64, 0.9288, 0.7823),
        _model("cnn", _P4_ARCH["v2"], 20, 64, 0.9541, 0.8419),
        _model("cnn", _P4_ARCH["ac"], 20, 64, 0.8876, 0.8105),
    ],
    "table": [
        {"architecture": _P4_ARCH["simple"], "train": "76.12", "test": "64.57"},
        {"architecture": _P4_ARCH["v1"], "train": "92.88", "test": "78.23"},
        {"architecture": _P4_ARCH["v2"], "train": "95.41", "test": "84.19"},
        {"architecture": _P4_ARCH["ac"], "train": "88.76", "test": "81.05"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 7},
    "one_layer_differences": {"l2"},
    "accusations": [],
}


# =======================================================================================
# P5 — German, PyTorch nn.Sequential, training(netz, epochen=...) printing only the loss,
#      auswerten() evaluating on the training AND the test data; the "simple CNN" has no
#      padding; one deeper CNN trained again in a later cell; Table 1 only in the Excel file
# =======================================================================================

_P5_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P=0; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "t1": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=64, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 5 : MAXPOOL; "
           "Layer 6 : DENSE"),
    "t2": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : "
           "CONV D=64, w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL + DROPOUT 0.3; Layer 7 : DENSE 128 + "
           "DROPOUT 0.4; Layer 8 : DENSE"),
}


def _p5_log(hist):
    return _pt_lines(hist, lambda e, n, h: f"Epoche {e}: Verlust {h['loss']:.4f}")


def _p5_eval(tr: str, te: str) -> str:
    return f"Trainingsgenauigkeit: {tr} % | Testgenauigkeit: {te} %\n"


def _build_p5() -> nbformat.NotebookNode:
    nb = _NB(colab=True)
    nb.md("# PW04 – CNN (PyTorch)\n\nGruppe 6: Sophie Meier, David Brunner")
    nb.code("""
import torch
from torch import nn
import torchvision
from torchvision import transforms
import matplotlib.pyplot as plt

geraet = 'cuda' if torch.cuda.is_available() else 'cpu'
trafo = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
train_ds = torchvision.datasets.CIFAR10('./data', train=True, download=True, transform=trafo)
test_ds = torchvision.datasets.CIFAR10('./data', train=False, download=True, transform=trafo)
trainloader = torch.utils.data.DataLoader(train_ds, batch_size=128, shuffle=True)
testloader = torch.utils.data.DataLoader(test_ds, batch_size=1000, shuffle=False)""",
            *_tv_download("./data"))
    nb.code("""
def training(netz, epochen=10, lr=0.001, weight_decay=0.0):
    netz.to(geraet)
    optimierer = torch.optim.Adam(netz.parameters(), lr=lr, weight_decay=weight_decay)
    fehler = nn.CrossEntropyLoss()
    for ep in range(epochen):
        netz.train()
        summe = 0.0
        for x, y in trainloader:
            x, y = x.to(geraet), y.to(geraet)
            optimierer.zero_grad()
            verlust = fehler(netz(x), y)
            verlust.backward()
            optimierer.step()
            summe += verlust.item()
        print(f'Epoche {ep + 1}: Verlust {summe / len(trainloader):.4f}')


def genauigkeit(netz, loader):
    netz.eval()
    richtig = 0
    with torch.no_grad():
        for x, y in loader:
            richtig += (netz(x.to(geraet)).argmax(1).cpu() == y).sum().item()
    return richtig / len(loader.dataset)


def auswerten(netz):
    tr = genauigkeit(netz, trainloader)
    te = genauigkeit(netz, testloader)
    print(f'Trainingsgenauigkeit: {100 * tr:.2f} % | Testgenauigkeit: {100 * te:.2f} %')""")
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz\n\nWir trainieren 10 Epochen (ohne "
          "Regularisierung).")
    nb.code("""
netz1 = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32 * 3, 10))
training(netz1, epochen=10)
auswerten(netz1)""", _out(_p5_log(_hist(10, (0.3, 0.4), (1.8820, 1.6712)))
                          + _p5_eval("41.23", "38.57")))
    nb.code("""
gewichte = netz1[1].weight.detach().cpu().view(10, 3, 32, 32)
fig, achsen = plt.subplots(1, 10, figsize=(16, 2))
for i in range(10):
    g = gewichte[i]
    g = (g - g.amin(dim=(1, 2), keepdim=True)) / (g.amax(dim=(1, 2), keepdim=True) - g.amin(dim=(1, 2), keepdim=True))
    achsen[i].imshow(g.permute(1, 2, 0))
    achsen[i].set_title(train_ds.classes[i])
    achsen[i].axis('off')
plt.show()""", _fig("1600x200", 10))
    nb.md("### Zweischichtiges Netz")
    nb.code("""
netz2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
training(netz2, epochen=30)
auswerten(netz2)""", _out(_p5_log(_hist(30, (0.3, 0.6), (1.7420, 1.0512)))
                          + _p5_eval("63.02", "49.21")))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    nb.code("""
netz3 = nn.Sequential(
    nn.Conv2d(3, 32, 3),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 15 * 15, 10),
)
print(netz3)
training(netz3, epochen=10)
auswerten(netz3)""",
            _out(_tseq([tconv(3, 32, 3), trelu(), tpool(), tflat(), tlin(7200, 10)]) + "\n"
                 + _p5_log(_hist(10, (0.4, 0.8), (1.4410, 0.6920)))
                 + _p5_eval("78.33", "62.11")))
    nb.md("### Tiefere CNNs")
    nb.code("""
netz4 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 8 * 8, 10),
)
training(netz4, epochen=10)
auswerten(netz4)""", _out(_p5_log(_hist(10, (0.5, 0.9), (1.3120, 0.3311)))
                          + _p5_eval("90.12", "73.45")))
    nb.md("Die Testgenauigkeit steigt noch – wir trainieren dasselbe Netz 5 weitere Epochen.")
    nb.code("""
training(netz4, epochen=5)
auswerten(netz4)""", _out(_p5_log(_hist(5, (0.9, 0.95), (0.3020, 0.1844)))
                          + _p5_eval("95.66", "74.98")))
    nb.code("""
netz5 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.MaxPool2d(2), nn.Dropout(0.2),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2), nn.Dropout(0.3),
    nn.Flatten(),
    nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Dropout(0.4),
    nn.Linear(128, 10),
)
training(netz5, epochen=20)
auswerten(netz5)""", _out(_p5_log(_hist(20, (0.4, 0.9), (1.5610, 0.2790)))
                          + _p5_eval("92.77", "81.66")))
    nb.md("Die Tabelle 1 mit allen Architekturen haben wir in der Excel-Datei ausgefüllt. "
          "Bestes Netz: `netz5` mit 81.66 % auf den Testdaten.")
    ans = {k: "" for k in "abcdefgh"}
    ans.update({"a": _A_DE["a"], "b": _A_DE["b"], "h": _A_DE["h"]})
    nb.md(_review(ans, style="bold", heading="## Aufgabe 4"))
    return nb.build()


_P5_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _P5_ARCH["one"], 10, 128, 0.4123, 0.3857),
        _model("dense", _P5_ARCH["two"], 30, 128, 0.6302, 0.4921),
        _model("cnn", _P5_ARCH["simple"], 10, 128, 0.7833, 0.6211),
        _model("cnn", _P5_ARCH["t1"], 10, 128, 0.9012, 0.7345),
        _model("cnn", _P5_ARCH["t1"], 5, 128, 0.9566, 0.7498),
        _model("cnn", _P5_ARCH["t2"], 20, 128, 0.9277, 0.8166),
    ],
    "table": [],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": False, "deeper_cnns": 2, "table": False, "review_answers": 3},
    "one_layer_differences": {"epochs", "l2"},
    "accusations": [],
}


# =======================================================================================
# A1 — awkward: German, Keras 3, execution stopped half-way (deeper CNN cells never run),
#      Table 1 only filled for the simple CNN
# =======================================================================================

_A1_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "t1": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=32, w=h=3, S=1, P='same'; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P='same'; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "t2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, "
           "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
           "DROPOUT 0.25; Layer 7 : DENSE 256 + DROPOUT 0.5; Layer 8 : DENSE"),
}


def _build_a1() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Praktikum 4 – Faltungsnetze\n\nGruppe 4: Lukas Frei, Nina Keller")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers

(x_tr, y_tr), (x_te, y_te) = keras.datasets.cifar10.load_data()
x_tr, x_te = x_tr.astype('float32') / 255, x_te.astype('float32') / 255
y_tr = keras.utils.to_categorical(y_tr)
y_te = keras.utils.to_categorical(y_te)""", _out(_CIFAR_K3_DL))
    nb.md("## Aufgabe 2: Einschichtiges Netz")
    nb.code("""
modell_a = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax', kernel_regularizer=keras.regularizers.l2(0.05)),
])
modell_a.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),
                 loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_a = modell_a.fit(x_tr, y_tr, epochs=5, batch_size=128)""",
            _out(_k3_log(_hist(5, (0.2811, 0.3421), (2.4530, 1.9144)), 391, secs=2)))
    nb.code("""
verlust, gen = modell_a.evaluate(x_te, y_te, verbose=0)
print('Testgenauigkeit:', round(gen, 4))""", _out("Testgenauigkeit: 0.3466\n"))
    nb.code("""
W = modell_a.layers[-1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(15, 2))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    plt.subplot(1, 10, i + 1)
    plt.imshow(w)
    plt.axis('off')
plt.show()""", _fig("1500x200", 10))
    nb.md("## Zweischichtiges Netz")
    nb.code("""
modell_b = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
modell_b.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_b = modell_b.fit(x_tr, y_tr, epochs=30, batch_size=128)
verlust, gen = modell_b.evaluate(x_te, y_te, verbose=0)
print('Testgenauigkeit:', round(gen, 4))""",
            _out(_k3_log(_hist(30, (0.3533, 0.5502), (1.8112, 1.2701)), 391, secs=2)
                 + "Testgenauigkeit: 0.4655\n"))
    nb.md("## Aufgabe 3: Einfaches CNN")
    nb.code("""
cnn_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), strides=1, padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
cnn_1.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_c = cnn_1.fit(x_tr, y_tr, epochs=10, batch_size=128)
verlust, gen = cnn_1.evaluate(x_te, y_te, verbose=0)
print('Testgenauigkeit:', round(gen, 4))""",
            _out(_k3_log(_hist(10, (0.4602, 0.7311), (1.5233, 0.7811)), 391, secs=5)
                 + "Testgenauigkeit: 0.6244\n"))
    nb.md("## Tiefere CNNs")
    nb.blank("""
cnn_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
    layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
cnn_2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_d = cnn_2.fit(x_tr, y_tr, epochs=15, batch_size=128)
verlust, gen = cnn_2.evaluate(x_te, y_te, verbose=0)
print('Testgenauigkeit:', round(gen, 4))""")
    nb.blank("""
cnn_3 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding='same'), layers.BatchNormalization(), layers.Activation('relu'),
    layers.Conv2D(32, (3, 3), padding='same'), layers.BatchNormalization(), layers.Activation('relu'),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
    layers.Conv2D(64, (3, 3), padding='same'), layers.BatchNormalization(), layers.Activation('relu'),
    layers.Conv2D(64, (3, 3), padding='same'), layers.BatchNormalization(), layers.Activation('relu'),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(256, activation='relu'), layers.Dropout(0.5),
    layers.Dense(10, activation='softmax'),
])
cnn_3.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
verlauf_e = cnn_3.fit(x_tr, y_tr, epochs=25, batch_size=128)
verlust, gen = cnn_3.evaluate(x_te, y_te, verbose=0)
print('Testgenauigkeit:', round(gen, 4))""")
    nb.md("### Tabelle 1\n\n" + _table(
        ("CNN", "Architektur", "Acc. train %", "Acc. test %"),
        [("1", _A1_ARCH["simple"], "73.1", "62.4"),
         ("2", _A1_ARCH["t1"], "", ""),
         ("3", _A1_ARCH["t2"], "", "")])
        + "\n\n(Die Netze 2 und 3 liefen bei uns nicht mehr bis zur Abgabe durch.)")
    ans = {k: "" for k in "abcdefgh"}
    ans.update({"a": _A_DE["a"], "b": _A_DE["b"]})
    nb.md(_review(ans, style="plain", heading="## Aufgabe 4"))
    return nb.build()


_A1_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _A1_ARCH["one"], 5, 128, 0.3421, 0.3466),
        _model("dense", _A1_ARCH["two"], 30, 128, 0.5502, 0.4655),
        _model("cnn", _A1_ARCH["simple"], 10, 128, 0.7311, 0.6244),
        _model("cnn", _A1_ARCH["t1"], 15, 128, None, None),
        _model("cnn", _A1_ARCH["t2"], 25, 128, None, None),
    ],
    "table": [
        {"architecture": _A1_ARCH["simple"], "train": "73.1", "test": "62.4"},
        {"architecture": _A1_ARCH["t1"], "train": "", "test": ""},
        {"architecture": _A1_ARCH["t2"], "train": "", "test": ""},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 2, "table": True, "review_answers": 2},
    "one_layer_differences": set(),
    "accusations": [],
}


# =======================================================================================
# A2 — awkward: English, tf.keras, outputs cleared and only the CNN cells re-run; one
#      deeper CNN re-fit in a later cell; Table 1 quotes a CNN whose output is gone
# =======================================================================================

_A2_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "d1": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same'; Layer 5 : MAXPOOL; "
           "Layer 6 : DENSE 128; Layer 7 : DENSE"),
    "d2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
           "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    "d3": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.25; Layer 4 : CONV D=64, w=h=3, S=1, "
           "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
           "DROPOUT 0.25; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : MAXPOOL + "
           "DROPOUT 0.25; Layer 9 : DENSE 256 + DROPOUT 0.5; Layer 10 : DENSE"),
}


def _build_a2() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW4 – CNN\n\nGroup 1 (Kevin Lang, Aylin Demir)\n\n*Note: we cleared all outputs to "
          "make the file smaller and re-ran only the CNN part before submitting.*")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
from tensorflow.keras.datasets import cifar10
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import (Dense, Flatten, Conv2D, MaxPooling2D, Dropout,
                                     BatchNormalization, Activation)
from tensorflow.keras.utils import to_categorical""", _err(_TF_STDERR))
    nb.code("""
(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train, y_test = to_categorical(y_train), to_categorical(y_test)""")
    nb.md("## Exercise 2\n\n### One-layer network")
    nb.blank("""
model_1 = Sequential([Flatten(input_shape=(32, 32, 3)), Dense(10, activation='softmax')])
model_1.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model_1.fit(x_train, y_train, batch_size=128, epochs=5, validation_data=(x_test, y_test))""")
    nb.blank("""
W = model_1.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(15, 2))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    axes[i].imshow(w)
    axes[i].axis('off')
plt.show()""")
    nb.md("### Two-layer network")
    nb.blank("""
model_2 = Sequential([Flatten(input_shape=(32, 32, 3)),
                      Dense(128, activation='relu'),
                      Dense(10, activation='softmax')])
model_2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model_2.fit(x_train, y_train, batch_size=128, epochs=30, validation_data=(x_test, y_test))""")
    nb.md("## Exercise 3\n\n### Simple CNN")
    nb.code("""
simple = Sequential([
    Conv2D(32, (3, 3), strides=(1, 1), padding='same', activation='relu', input_shape=(32, 32, 3)),
    MaxPooling2D(pool_size=(2, 2)),
    Flatten(),
    Dense(10, activation='softmax'),
])
simple.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
simple.fit(x_train, y_train, batch_size=128, epochs=10, verbose=1)
print('Test accuracy:', simple.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k2_log(_hist(10, (0.4501, 0.7234), (1.5402, 0.8032)), 391, secs=4)
                 + "Test accuracy: 0.6310999989509583\n"))
    nb.md("### Deeper CNNs")
    nb.code("""
deep1 = Sequential([
    Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
    Conv2D(64, (3, 3), padding='same', activation='relu'),
    MaxPooling2D((2, 2)),
    Conv2D(64, (3, 3), padding='same', activation='relu'),
    MaxPooling2D((2, 2)),
    Flatten(),
    Dense(128, activation='relu'),
    Dense(10, activation='softmax'),
])
deep1.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
deep1.fit(x_train, y_train, batch_size=128, epochs=10)""",
            _out(_k2_log(_hist(10, (0.4210, 0.8523), (1.5830, 0.4140)), 391, secs=8)),
            _res("<keras.src.callbacks.History at 0x7f3b2c1d5e10>"))
    nb.code("print('Test accuracy:', deep1.evaluate(x_test, y_test, verbose=0)[1])",
            _out("Test accuracy: 0.701200008392334\n"))
    nb.md("The test accuracy was still going up, so we trained `deep1` for 10 more epochs.")
    nb.code("""
deep1.fit(x_train, y_train, batch_size=128, epochs=10, verbose=2)
print('Test accuracy after 20 epochs:', deep1.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k2_v2_log(_hist(10, (0.8711, 0.9347), (0.3602, 0.1811)), 391, secs=7)
                 + "Test accuracy after 20 epochs: 0.7188000082969666\n"))
    nb.blank("""
deep2 = Sequential([
    Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)), BatchNormalization(), Activation('relu'),
    Conv2D(32, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    MaxPooling2D((2, 2)),
    Conv2D(64, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    Conv2D(64, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    MaxPooling2D((2, 2)),
    Flatten(),
    Dense(10, activation='softmax'),
])
deep2.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
deep2.fit(x_train, y_train, batch_size=128, epochs=20)
print('Test accuracy:', deep2.evaluate(x_test, y_test, verbose=0)[1])""")
    nb.code("""
deep3 = Sequential([
    Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)), BatchNormalization(), Activation('relu'),
    Conv2D(32, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    MaxPooling2D((2, 2)), Dropout(0.25),
    Conv2D(64, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    Conv2D(64, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    MaxPooling2D((2, 2)), Dropout(0.25),
    Conv2D(128, (3, 3), padding='same'), BatchNormalization(), Activation('relu'),
    MaxPooling2D((2, 2)), Dropout(0.25),
    Flatten(),
    Dense(256, activation='relu'), Dropout(0.5),
    Dense(10, activation='softmax'),
])
deep3.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
deep3.fit(x_train, y_train, batch_size=64, epochs=20, verbose=1)
print('Test accuracy:', deep3.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k2_log(_hist(20, (0.3902, 0.8977), (1.7011, 0.2930)), 782, secs=14)
                 + "Test accuracy: 0.8044000267982483\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "72.3", "63.1"),
         ("2", "CONV D=32; CONV D=64; MAXPOOL; CONV D=64; MAXPOOL; DENSE 128; DENSE (20 epochs)",
          "93.5", "71.9"),
         ("3", "2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; DENSE", "95.8", "78.3"),
         ("4", "2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.25; 2 x (CONV D=64 + BN); MAXPOOL + "
               "DROPOUT 0.25; CONV D=128 + BN; MAXPOOL + DROPOUT 0.25; DENSE 256 + DROPOUT 0.5; "
               "DENSE", "89.8", "80.4")])
        + "\n\nAll convolutions 3x3 with stride 1 and 'same' padding.")
    ans = dict(_A_EN)
    ans["b"] = "-"
    ans["e"] = "TODO"
    ans["g"] = "(3*3*3+1)*32"
    nb.md(_review(ans, style="bold", heading="## Exercise 4"))
    return nb.build()


_A2_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _A2_ARCH["one"], 5, 128, None, None),
        _model("dense", _A2_ARCH["two"], 30, 128, None, None),
        _model("cnn", _A2_ARCH["simple"], 10, 128, 0.7234, 0.6311),
        _model("cnn", _A2_ARCH["d1"], 10, 128, 0.8523, 0.7012),
        _model("cnn", _A2_ARCH["d1"], 10, 128, 0.9347, 0.7188),
        _model("cnn", _A2_ARCH["d2"], 20, 128, None, None),
        _model("cnn", _A2_ARCH["d3"], 20, 64, 0.8977, 0.8044),
    ],
    "table": [
        {"architecture": "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "train": "72.3",
         "test": "63.1"},
        {"architecture": "CONV D=32; CONV D=64; MAXPOOL; CONV D=64; MAXPOOL; DENSE 128; DENSE "
                         "(20 epochs)", "train": "93.5", "test": "71.9"},
        {"architecture": "2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; DENSE",
         "train": "95.8", "test": "78.3"},
        {"architecture": "2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.25; 2 x (CONV D=64 + BN); "
                         "MAXPOOL + DROPOUT 0.25; CONV D=128 + BN; MAXPOOL + DROPOUT 0.25; "
                         "DENSE 256 + DROPOUT 0.5; DENSE", "train": "89.8", "test": "80.4"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": False, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 5},
    "one_layer_differences": {"l2"},
    "accusations": [],
}


# =======================================================================================
# A3 — awkward: English, PyTorch with an SGD training helper; Table 1 partly copied: the
#      simple CNN row is the practical's example (68.2 % / 62.4 %), one test cell inflated,
#      and one row quotes a model trained silently (no output, so no flag possible)
# =======================================================================================

_A3_ARCH = {
    "one": "Layer 1 : DENSE",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "d1": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : CONV D=64, w=h=3, S=1, P=1; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1; Layer 5 : MAXPOOL; "
           "Layer 6 : DENSE 256; Layer 7 : DENSE"),
    "d2": ("Layer 1 : CONV D=32, w=h=3, S=1, P=1 + BN; Layer 2 : CONV D=32, w=h=3, S=1, P=1 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=64, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=64, "
           "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : CONV D=128, w=h=3, S=1, P=1 + BN; "
           "Layer 8 : MAXPOOL + DROPOUT 0.5; Layer 9 : DENSE"),
    "d3": ("Layer 1 : CONV D=64, w=h=5, S=1, P=2 + BN; Layer 2 : CONV D=64, w=h=5, S=1, P=2 + BN; "
           "Layer 3 : MAXPOOL; Layer 4 : CONV D=128, w=h=3, S=1, P=1 + BN; Layer 5 : CONV D=128, "
           "w=h=3, S=1, P=1 + BN; Layer 6 : MAXPOOL; Layer 7 : CONV D=256, w=h=3, S=1, P=1 + BN; "
           "Layer 8 : GLOBAL AVG POOL; Layer 9 : DENSE"),
}


def _a3_log(hist):
    return _pt_lines(hist, lambda e, n, h: (
        f"Epoch {e}: loss {h['loss']:.4f}, train accuracy {h['acc']:.4f}"))


def _build_a3() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Practical Work 4 – Convolutional Neural Networks\n\nGroup 8: R. Baker, M. Chen, "
          "S. Osei")
    nb.code("""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
import matplotlib.pyplot as plt

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform)
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=128, shuffle=True, num_workers=2)
testloader = torch.utils.data.DataLoader(testset, batch_size=1000, shuffle=False, num_workers=2)""",
            _out("Files already downloaded and verified\nFiles already downloaded and verified\n"))
    nb.code("""
def train(model, n_epochs, lr=0.01, wd=0.0, verbose=True):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=wd)
    for epoch in range(n_epochs):
        model.train()
        total, correct, loss_sum = 0, 0, 0.0
        for inputs, labels in trainloader:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        if verbose:
            print(f"Epoch {epoch + 1}: loss {loss_sum / total:.4f}, train accuracy {correct / total:.4f}")
    return model


def test(model):
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, labels in testloader:
            outputs = model(inputs.to(device))
            correct += (outputs.argmax(1).cpu() == labels).sum().item()
    print(f"Test accuracy: {correct / len(testset):.4f}")""")
    nb.md("## Exercise 2\n\n### One-layer network")
    nb.code("""
net1 = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
net1 = train(net1, n_epochs=5, wd=0.05)
test(net1)""", _out(_a3_log(_hist(5, (0.2790, 0.3302), (2.0230, 1.9011)))
                    + "Test accuracy: 0.3355\n"))
    nb.code("""
w = net1[1].weight.detach().cpu().reshape(10, 3, 32, 32)
fig, axs = plt.subplots(1, 10, figsize=(15, 2))
for i in range(10):
    img = w[i]
    img = (img - img.amin(dim=(1, 2), keepdim=True)) / (img.amax(dim=(1, 2), keepdim=True) - img.amin(dim=(1, 2), keepdim=True))
    axs[i].imshow(img.permute(1, 2, 0))
    axs[i].set_title(trainset.classes[i])
    axs[i].axis("off")
plt.show()""", _fig("1500x200", 10))  # noqa: E501 - the notebook's code, kept verbatim
    nb.md("### Two-layer network")
    nb.code("""
net2 = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128), nn.ReLU(), nn.Linear(128, 10))
net2 = train(net2, n_epochs=30)
test(net2)""", _out(_a3_log(_hist(30, (0.3410, 0.5611), (1.8340, 1.2412)))
                    + "Test accuracy: 0.4702\n"))
    nb.md("## Exercise 3\n\n### Simple CNN")
    nb.code("""
cnn1 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
cnn1 = train(cnn1, n_epochs=10)
test(cnn1)""", _out(_a3_log(_hist(10, (0.4011, 0.6412), (1.6633, 1.0240)))
                    + "Test accuracy: 0.5932\n"))
    nb.md("### Deeper CNNs")
    nb.code("""
cnn2 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(128 * 8 * 8, 256), nn.ReLU(),
    nn.Linear(256, 10),
)
cnn2 = train(cnn2, n_epochs=15)
test(cnn2)""", _out(_a3_log(_hist(15, (0.3520, 0.8023), (1.7640, 0.5533)))
                    + "Test accuracy: 0.6988\n"))
    nb.code("""
cnn3 = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Dropout(0.5),
    nn.Linear(128 * 4 * 4, 10),
)
cnn3 = train(cnn3, n_epochs=20)
test(cnn3)""", _out(_a3_log(_hist(20, (0.3701, 0.7493), (1.7210, 0.7105)))
                    + "Test accuracy: 0.7021\n"))
    nb.code("""
cnn4 = nn.Sequential(
    nn.Conv2d(3, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(256, 10),
)
cnn4 = train(cnn4, n_epochs=25, verbose=False)   # long run, no per-epoch prints
print("done")""", _out("done\n"))
    nb.md("### Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [("1", "CONV D=32, w=h=3, S=1, P=1; MAXPOOL; DENSE", "68.2%", "62.4%"),
         ("2", "CONV D=32, w=h=3, S=1, P=1; CONV D=64, w=h=3, S=1, P=1; MAXPOOL; CONV D=128, w=h=3, "
               "S=1, P=1; MAXPOOL; DENSE 256; DENSE", "80.2%", "69.9%"),
         ("3", "2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; CONV D=128 + BN; "
               "MAXPOOL + DROPOUT 0.5; DENSE", "74.9%", "79.8%"),
         ("4", "2 x (CONV D=64, w=h=5, P=2 + BN); MAXPOOL; 2 x (CONV D=128 + BN); MAXPOOL; CONV "
               "D=256 + BN; GLOBAL AVG POOL; DENSE", "88.1%", "81.5%")])
        + "\n\nSGD with momentum 0.9, lr 0.01, batch size 128. CNN 4 is clearly the best.")
    ans = dict(_A_EN)
    ans["f"] = ""
    ans["g"] = "TODO"
    nb.md(_review(ans, style="plain", heading="## Exercise 4 – Review questions"))
    return nb.build()


_A3_EXPECTED = {
    "framework": "pytorch",
    "models": [
        _model("dense", _A3_ARCH["one"], 5, 128, 0.3302, 0.3355),
        _model("dense", _A3_ARCH["two"], 30, 128, 0.5611, 0.4702),
        _model("cnn", _A3_ARCH["simple"], 10, 128, 0.6412, 0.5932),
        _model("cnn", _A3_ARCH["d1"], 15, 128, 0.8023, 0.6988),
        _model("cnn", _A3_ARCH["d2"], 20, 128, 0.7493, 0.7021),
        _model("cnn", _A3_ARCH["d3"], 25, 128, None, None),
    ],
    "table": [
        {"architecture": "CONV D=32, w=h=3, S=1, P=1; MAXPOOL; DENSE", "train": "68.2%",
         "test": "62.4%"},
        {"architecture": "CONV D=32, w=h=3, S=1, P=1; CONV D=64, w=h=3, S=1, P=1; MAXPOOL; "
                         "CONV D=128, w=h=3, S=1, P=1; MAXPOOL; DENSE 256; DENSE",
         "train": "80.2%", "test": "69.9%"},
        {"architecture": "2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; CONV "
                         "D=128 + BN; MAXPOOL + DROPOUT 0.5; DENSE", "train": "74.9%",
         "test": "79.8%"},
        {"architecture": "2 x (CONV D=64, w=h=5, P=2 + BN); MAXPOOL; 2 x (CONV D=128 + BN); "
                         "MAXPOOL; CONV D=256 + BN; GLOBAL AVG POOL; DENSE", "train": "88.1%",
         "test": "81.5%"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 6},
    "one_layer_differences": {"optimizer"},
    "accusations": [("train", "68.2%"), ("test", "62.4%"), ("test", "79.8%")],
}


# =======================================================================================
# A4 — awkward-but-honest: English, tf.keras, validation_split=0.2 (val_accuracy shown),
#      test accuracy printed with print('Test accuracy:', score[1]); Table 1 puts that
#      test accuracy next to the (higher) last-epoch training accuracy: nothing to flag
# =======================================================================================

_A4_ARCH = {
    "one": "Layer 1 : DENSE, L2=0.05",
    "two": "Layer 1 : DENSE 128; Layer 2 : DENSE",
    "simple": "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
    "d1": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : CONV D=64, "
           "w=h=3, S=1, P='same'; Layer 4 : MAXPOOL; Layer 5 : DENSE 64; Layer 6 : DENSE"),
    "d2": ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, "
           "P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, "
           "P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + "
           "DROPOUT 0.3; Layer 7 : DENSE"),
    "d3": ("Layer 1 : CONV D=64, w=h=5, S=1, P='same' + BN; Layer 2 : MAXPOOL; Layer 3 : CONV "
           "D=128, w=h=3, S=1, P='same' + BN; Layer 4 : CONV D=128, w=h=3, S=1, P='same' + BN; "
           "Layer 5 : MAXPOOL + DROPOUT 0.3; Layer 6 : CONV D=256, w=h=3, S=1, P='same' + BN; "
           "Layer 7 : GLOBAL AVG POOL + DROPOUT 0.4; Layer 8 : DENSE"),
}


def _build_a4() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# TSM_DeLearn – PW04 CNN\n\nGroup 10: Olivia Brown, Samuel Frey")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""", _err(_TF_STDERR))
    nb.md("We keep 20 % of the training set for validation in every fit.\n\n"
          "## Exercise 2 – one-layer network")
    nb.code("""
model = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=5, validation_split=0.2)""",
            _out(_k2_log(_hist(5, (0.2977, 0.3561), (2.3902, 1.9240), (0.3212, 0.3502),
                               (2.1040, 1.9311)), 1250, secs=4)))
    nb.code("""
score = model.evaluate(x_test, y_test)
print('Test loss:', score[0])
print('Test accuracy:', score[1])""",
            _out(_k2_eval_bar(313, 0.3489, 1.9297)
                 + "Test loss: 1.9297189712524414\nTest accuracy: 0.34890000224113464\n"))
    nb.code("""
W = model.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(15, 2))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.ptp(axis=(0, 1)))   # each RGB channel separately
    plt.subplot(1, 10, i + 1)
    plt.imshow(w)
    plt.axis("off")
plt.show()""", _fig("1500x200", 10))
    nb.md("## Two-layer network")
    nb.code("""
model = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=30, validation_split=0.2)
score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""",
            _out(_k2_log(_hist(30, (0.3480, 0.5702), (1.8331, 1.2201), (0.3920, 0.4702),
                               (1.7010, 1.5102)), 313, secs=2)
                 + "Test accuracy: 0.4654999971389771\n"))
    nb.md("## Exercise 3 – CNNs\n\nFrom here on we use `verbose=2` to keep the outputs short.")
    nb.code("""
model = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2, 2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.2, verbose=2)
score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""",
            _out(_k2_v2_log(_hist(15, (0.4388, 0.7899), (1.5720, 0.6120), (0.5233, 0.6390),
                                  (1.3340, 1.0530)), 313, secs=3)
                 + "Test accuracy: 0.6353999972343445\n"))
    nb.code("""
model = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2, 2),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D(2, 2),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.2, verbose=2)
score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""",
            _out(_k2_v2_log(_hist(15, (0.4012, 0.9023), (1.6410, 0.2780), (0.5011, 0.7150),
                                  (1.3820, 1.0120)), 313, secs=4)
                 + "Test accuracy: 0.7102000117301941\n"))
    nb.code("""
model = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding="same", input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(32, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(2, 2),
    layers.Dropout(0.2),
    layers.Conv2D(64, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(64, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(2, 2),
    layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=20, validation_split=0.2, verbose=2)
score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""",
            _out(_k2_v2_log(_hist(20, (0.4230, 0.8841), (1.6120, 0.3311), (0.5120, 0.7822),
                                  (1.3410, 0.6702)), 313, secs=7)
                 + "Test accuracy: 0.777999997138977\n"))
    nb.code("""
model = keras.Sequential([
    layers.Conv2D(64, (5, 5), padding="same", input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(2, 2),
    layers.Conv2D(128, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(128, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(2, 2),
    layers.Dropout(0.3),
    layers.Conv2D(256, (3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dropout(0.4),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=25, validation_split=0.2, verbose=2)
score = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', score[1])""",
            _out(_k2_v2_log(_hist(25, (0.3810, 0.8412), (1.7240, 0.4533), (0.4430, 0.7990),
                                  (1.5120, 0.6011)), 313, secs=11)
                 + "Test accuracy: 0.7962999939918518\n"))
    nb.md("### Table 1\n\nTrain = accuracy of the last training epoch, test = `score[1]` "
          "of `model.evaluate` on the test set.\n\n" + _table(
              ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
              [("1", "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "0.7899", "0.6354"),
               ("2", "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; CONV D=64, w=h=3, S=1, P='same'; "
                     "MAXPOOL; DENSE 64; DENSE", "0.9023", "0.7102"),
               ("3", "2 x (CONV D=32, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.2; 2 x (CONV "
                     "D=64, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.3; DENSE",
                "0.8841", "0.778"),
               ("4", "CONV D=64, w=h=5, S=1, P='same' + BN; MAXPOOL; 2 x (CONV D=128, w=h=3, S=1, "
                     "P='same' + BN); MAXPOOL + DROPOUT 0.3; CONV D=256, w=h=3, S=1, P='same' + BN; "
                     "GLOBAL AVG POOL + DROPOUT 0.4; DENSE", "0.8412", "0.7963")])
        + "\n\nThe gap between training and test accuracy is smallest for CNN 4, which is also "
          "the best on the test set.")
    nb.md(_review(_A_EN, style="bold", heading="## Exercise 4", label="**A:** "))
    return nb.build()


_A4_EXPECTED = {
    "framework": "keras",
    "models": [
        _model("dense", _A4_ARCH["one"], 5, 32, 0.3561, 0.3489),
        _model("dense", _A4_ARCH["two"], 30, 128, 0.5702, 0.4655),
        _model("cnn", _A4_ARCH["simple"], 15, 128, 0.7899, 0.6354),
        _model("cnn", _A4_ARCH["d1"], 15, 128, 0.9023, 0.7102),
        _model("cnn", _A4_ARCH["d2"], 20, 128, 0.8841, 0.7780),
        _model("cnn", _A4_ARCH["d3"], 25, 128, 0.8412, 0.7963),
    ],
    "table": [
        {"architecture": "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "train": "0.7899",
         "test": "0.6354"},
        {"architecture": "CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; CONV D=64, w=h=3, S=1, "
                         "P='same'; MAXPOOL; DENSE 64; DENSE", "train": "0.9023", "test": "0.7102"},
        {"architecture": "2 x (CONV D=32, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.2; 2 x "
                         "(CONV D=64, w=h=3, S=1, P='same' + BN); MAXPOOL + DROPOUT 0.3; DENSE",
         "train": "0.8841", "test": "0.778"},
        {"architecture": "CONV D=64, w=h=5, S=1, P='same' + BN; MAXPOOL; 2 x (CONV D=128, w=h=3, "
                         "S=1, P='same' + BN); MAXPOOL + DROPOUT 0.3; CONV D=256, w=h=3, S=1, "
                         "P='same' + BN; GLOBAL AVG POOL + DROPOUT 0.4; DENSE", "train": "0.8412",
         "test": "0.7963"},
    ],
    "checklist": {"dense_1layer": True, "weights_plot": True, "dense_2layer": True,
                  "simple_cnn": True, "deeper_cnns": 3, "table": True, "review_answers": 8},
    "one_layer_differences": {"batch_size"},
    "accusations": [],
}


# =======================================================================================
# the corpus
# =======================================================================================

CASES: list[Case] = [
    Case("k1_en_tfkeras_progbar",
         "Keras 2 (tf.keras), English: [====] bars with \\r/\\x08, Sequential list and add "
         "chains, model.summary() as text, an extra tuned MLP, validation_split on the dense "
         "nets (the two-layer net has no test evaluation), all settings as asked",
         _build_k1, _K1_EXPECTED),
    Case("k2_fr_keras3_helper",
         "Keras 3, French: \u2501\u2501\u2501 bars, summaries as display_data text/plain, "
         "batch_size omitted for the one-layer net (32) and 10 epochs, deeper CNNs through a "
         "helper wrapping fit(), L2 on convolutions, augmentation layers, GAP, decimal commas "
         "in Table 1, 5 of 8 review answers",
         _build_k2, _K2_EXPECTED),
    Case("k3_de_functional_verbose2",
         "tf.keras functional API, German: verbose=2 lines, EPOCHEN constant, batch 64 for the "
         "CNNs, three deeper CNNs built by baue_cnn() and fitted in one loop, SGD and L2=0.01 for "
         "the one-layer net, a training-curve plot but no weights plot, no review answers",
         _build_k3, _K3_EXPECTED),
    Case("k4_en_keras3_functional_five_deep",
         "Keras 3 functional API, English: one train_and_evaluate() helper for every run, "
         "sigmoid output and 15 epochs for the one-layer net, five deeper CNNs (3x1/1x3 "
         "kernels, stride 2, 'valid' padding, 3x3 pooling, GAP, dense + BN + dropout)",
         _build_k4, _K4_EXPECTED),
    Case("k5_fr_config_loop",
         "tf.keras 2, French: metrics=['acc'], MSE loss and batch 256 for the one-layer net, "
         "deeper CNNs from a list of config dicts fitted in one loop (three runs from one fit() "
         "line), Table 1 in the students' own shorthand",
         _build_k5, _K5_EXPECTED),
    Case("p1_de_sequential_trainiere",
         "PyTorch nn.Sequential, German: trainiere(modell, n_epochs=..., wd=...) with a default "
         "of 10 epochs used for the simple CNN, print(model) reprs, test accuracy printed as "
         "'Genauigkeit auf den Testdaten: 63.1 %', an extra 3-layer MLP",
         _build_p1, _P1_EXPECTED),
    Case("p2_en_module_blocks_pandas",
         "PyTorch nn.Module subclasses, English: train_model(net, epochs=8, wd=0.05) on a "
         "batch-64 loader, conv blocks from a helper unpacked with *, padding=k//2, Table 1 "
         "as a printed pandas DataFrame",
         _build_p2, _P2_EXPECTED),
    Case("p3_fr_entrainer_sgd",
         "PyTorch, French: entrainer(reseau, optimiseur, nb_epoques=...) printing train and "
         "test accuracy every epoch, SGD for the one-layer net, an MLP with two hidden layers "
         "instead of the two-layer net, AvgPool2d and AdaptiveAvgPool2d(1)",
         _build_p3, _P3_EXPECTED),
    Case("p4_en_two_loaders_vgg",
         "PyTorch nn.Module, English: run_training(model, loader, epochs=...) with a 128 loader "
         "for the dense nets and a 64 loader for the CNNs, weight_decay=0.01, VGG-like blocks "
         "from a helper, stride-2 convolutions with adaptive average pooling",
         _build_p4, _P4_EXPECTED),
    Case("p5_de_loss_only_refit",
         "PyTorch nn.Sequential, German: per-epoch loss only, accuracies from an explicit "
         "evaluation on the training and the test data, simple CNN without padding (P=0), a "
         "deeper CNN trained again in a later cell (two runs, one architecture), no Table 1",
         _build_p5, _P5_EXPECTED),
    Case("a1_de_keras3_stopped_halfway",
         "Keras 3, German: execution stopped after the simple CNN; the two deeper-CNN cells were "
         "never run (runs listed with no accuracies); Table 1 filled only for CNN 1",
         _build_a1, _A1_EXPECTED),
    Case("a2_en_cleared_partial_rerun_refit",
         "tf.keras, English: outputs cleared, only the CNN cells re-run (no weights image left), "
         "deep1 re-fit for 10 more epochs in a later cell (second run), Table 1 quotes a CNN "
         "whose cell has no output (no flag possible)",
         _build_a2, _A2_EXPECTED),
    Case("a3_en_pytorch_copied_table",
         "PyTorch, English, SGD helper: Table 1 row 1 is the practical's example (68.2 % / "
         "62.4 %) while the outputs show 64.12 % / 59.32 %; row 3's test cell (79.8 %) is "
         "above the printed 70.21 %; row 4 quotes a silently trained model",
         _build_a3, _A3_EXPECTED),
    Case("a4_en_honest_score1_table",
         "tf.keras, English: validation_split=0.2, print('Test accuracy:', score[1]) after every "
         "model, Table 1 reports that test accuracy (as a fraction) next to the higher last-"
         "epoch training accuracy; honest, nothing to flag",
         _build_a4, _A4_EXPECTED),
]


def _check() -> None:
    """Build every case, validate it against the nbformat schema, check the cell ids."""
    assert len(CASES) == 14, len(CASES)
    names = set()
    for case in CASES:
        assert case.name not in names, case.name
        names.add(case.name)
        nb = case.build()
        nbformat.validate(nb)
        assert [c["id"] for c in nb.cells] == [f"c{i}" for i in range(len(nb.cells))], case.name
        assert nbformat.writes(nb) == nbformat.writes(case.build()), f"{case.name}: not deterministic"
        exp = case.expected
        assert exp["framework"] in ("keras", "pytorch", "unknown")
        assert isinstance(exp["one_layer_differences"], set)
        assert all(isinstance(a, tuple) and len(a) == 2 for a in exp["accusations"])
        for m in exp["models"]:
            assert m["kind"] in ("dense", "cnn")
            assert (m["kind"] == "cnn") == ("CONV" in m["architecture"]), case.name
            for key in ("train_accuracy", "test_accuracy"):
                assert m[key] is None or 0.0 <= m[key] <= 1.0
        cl = exp["checklist"]
        assert cl["table"] == bool(exp["table"]), case.name
        for column, text in exp["accusations"]:
            assert any(row[column] == text for row in exp["table"]), (case.name, text)
    print(f"{len(CASES)} notebooks built and valid")


if __name__ == "__main__":
    _check()
