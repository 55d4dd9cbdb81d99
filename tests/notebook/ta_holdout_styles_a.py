"""Held-out TA corpus, styles A: complete student notebooks for the CNN practical (PW04) written
in styles and idioms that the other corpora (``ta_corpus``, ``ta_holdout``, ``ta_holdout_styles_b``)
do not contain.

Keras functional API built in a loop over a dict of configurations, a ``build_model(n_conv,
filters)`` helper called for several models with test accuracies kept in a dict and printed with
``%`` at the very end, a hand-written ``tf.GradientTape`` training loop printing its own German
epoch lines, histories shown only as printed ``pd.DataFrame(history.history)`` text, Keras 3
``EarlyStopping`` that ends the training before the asked epochs, fits that raised an error in
their first epoch and were run again, a Colab notebook saved with ``execution_count: null`` but
its outputs kept, a notebook whose outputs were cleared except in its last cell, a model trained on
``x_train`` concatenated with ``x_test``, PyTorch ``nn.Sequential`` built from an ``OrderedDict``
and with ``add_module``, a Spanish notebook with ``verbose=2`` Keras 3 logs, prints with decimal
commas (``Précision test : 61,2 %``), ``.format`` and ``{:.2%}``.

Each case is built deterministically with nbformat.v4 (cell ids "c0", "c1", ...) and carries the
report a careful TA writes.  Written from the practical and the report's specification only,
independent of the implementation it is meant to judge.  Only nbformat and the standard library.

Conventions (those of ``ta_corpus`` / ``ta_holdout``, plus the ones decided here; see also each
case's ``what``):

* the training accuracy is the last epoch's value the outputs show (Keras log, the students' own
  epoch line, a printed history DataFrame); the test accuracy is an evaluation on the test data
  or a line labelled test, as printed (``61,2 %`` is 0.612);
* a value printed later from a dict (``results['cnn2'] = cnn2.evaluate(x_test, ...)[1]``, then
  ``for name, acc in results.items(): print(...)``) is that model's value: the key ties it;
* a model stopped by ``EarlyStopping`` has the epochs that ran (the last ``Epoch k/N`` line of its
  log, ``Epoch k: early stopping``), not the ``epochs=`` asked;
* a ``fit`` that raised an error in its first epoch trained nothing: it is not a model of the
  report; the run that follows, once fixed, is;
* a cell with outputs but ``execution_count: null`` (Colab) is read like any other;
* a model trained on the training data concatenated with the test data still has, as test
  accuracy, its printed evaluation on ``x_test``: that is a matter for a person (a note), not an
  accusation of the table, which quotes what the output shows;
* accusations are ``(column, claimed_text)`` in table order, train before test, and only where
  that model's output shows a lower value than the claim beyond rounding.
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


# =======================================================================================
# notebook plumbing
# =======================================================================================

def _png(width: int, height: int, seed: int) -> str:
    """A small deterministic RGB PNG, base64 as Jupyter stores it."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            t = x * 10 // width
            row += bytes(((seed * 11 + 31 * t + 7 * y) % 256, (seed * 5 + 57 * t + 2 * x) % 256,
                          (seed * 17 + 43 * t + 9 * (x + y)) % 256))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    return base64.b64encode(png).decode("ascii") + "\n"


def _out(text: str):
    return ("stream", "stdout", text)


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


def _error(ename: str, evalue: str, frames: list[str]):
    tb = ["\x1b[0;31m---------------------------------------------------------------------------"
          "\x1b[0m",
          f"\x1b[0;31m{ename}\x1b[0m                                Traceback (most recent call last)"]
    tb += frames
    tb.append(f"\x1b[0;31m{ename}\x1b[0m: {evalue}")
    return ("error", ename, evalue, tb)


def _fig(seed: int, size: str = "1500x300", axes: int = 10):
    return _disp(f"<Figure size {size} with {axes} Axes>", png=_png(50, 10, seed))


class _NB:
    """Collects cells; execution counts run on automatically unless given (None: no count)."""

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
        """A code cell whose outputs were cleared (or that never ran)."""
        self.code(src, n=None)

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
                                      "pygments_lexer": "ipython3", "version": "3.11.7"}}
        nb = v4.new_notebook(cells=self.cells, metadata=meta)
        nb.nbformat, nb.nbformat_minor = 4, 5
        return nb


# =======================================================================================
# training logs
# =======================================================================================

def _series(n: int, first: float, last: float) -> list[float]:
    """n values from first to last (last exact), shaped like a learning curve."""
    if n == 1:
        return [round(last, 4)]
    vals = [round(first + (last - first) * (1 - (1 - i / (n - 1)) ** 2.2), 4) for i in range(n)]
    vals[-1] = round(last, 4)
    return vals


def _hist(n, acc, loss, val_acc=None, val_loss=None):
    """Per-epoch metrics; each argument is (first epoch, last epoch)."""
    a, lo = _series(n, *acc), _series(n, *loss)
    va = _series(n, *val_acc) if val_acc else [None] * n
    vl = _series(n, *val_loss) if val_loss else [None] * n
    return [{"acc": a[i], "loss": lo[i], "val_acc": va[i], "val_loss": vl[i]} for i in range(n)]


def _k3_bar(cur: int, steps: int) -> str:
    width = 20
    prog = int(width * cur / steps)
    d = len(str(steps))
    s = f"\x1b[1m{cur:>{d}}/{steps}\x1b[0m "
    if prog > 0:
        s += "\x1b[32m" + "\u2501" * prog + "\x1b[0m"
    s += "\x1b[37m" + "\u2501" * (width - prog) + "\x1b[0m"
    return s


def _k3_metrics(acc, loss, h=None) -> str:
    s = f"accuracy: {acc:.4f} - loss: {loss:.4f}"
    if h is not None and h["val_acc"] is not None:
        s += f" - val_accuracy: {h['val_acc']:.4f} - val_loss: {h['val_loss']:.4f}"
    return s


def _k3_v1(hist, steps: int, secs: int = 4, total: int | None = None, stopped: bool = False) -> str:
    """Keras 3 verbose=1: ━ bars with ANSI colours, redrawn with \\x08 and \\r.

    total: the epochs asked (the N of "Epoch k/N") when EarlyStopping ended the run early."""
    total = total or len(hist)
    out = []
    ms = max(1, round(secs * 1000 / steps))
    prev_acc, prev_loss = 0.1023, round(hist[0]["loss"] * 1.14, 4)
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{total}\n")
        prev_width = 0
        for j, cur in enumerate([1, steps // 7, steps // 2, steps - steps // 9]):
            f = cur / steps
            a = round(prev_acc + (h["acc"] - prev_acc) * (0.3 + 0.6 * f) - 0.0019 * (j % 2), 4)
            lo = round(prev_loss + (h["loss"] - prev_loss) * (0.3 + 0.6 * f) + 0.0043 * (j % 2), 4)
            eta = max(1, round(secs * (1 - f)))
            line = (_k3_bar(cur, steps) + f" \x1b[1m{eta}s\x1b[0m {ms}ms/step - " + _k3_metrics(a, lo))
            out.append(("\x08" * prev_width + "\r") if prev_width else "")
            out.append(line)
            prev_width = len(line)
        line = (_k3_bar(steps, steps) + f" \x1b[1m{secs}s\x1b[0m {ms}ms/step - "
                + _k3_metrics(h["acc"], h["loss"], h))
        out.append("\x08" * prev_width + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    if stopped:
        out.append(f"Epoch {len(hist)}: early stopping\n")
    return "".join(out)


def _k3_v2(hist, steps: int, secs: int = 3) -> str:
    """Keras 3 verbose=2: one line per epoch."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        out.append(f"{steps}/{steps} - {secs}s - {ms}ms/step - " + _k3_metrics(h["acc"], h["loss"], h)
                   + "\n")
    return "".join(out)


def _k3_eval(acc: float, loss: float, steps: int = 313) -> str:
    out, prev = [], 0
    for j, cur in enumerate([1, steps // 3, (2 * steps) // 3]):
        line = (_k3_bar(cur, steps) + f" \x1b[1m{1 if j else 2}s\x1b[0m 3ms/step - "
                + _k3_metrics(acc - 0.0109 * (3 - j), loss + 0.0231 * (3 - j)))
        out.append(("\x08" * prev + "\r") if prev else "")
        out.append(line)
        prev = len(line)
    line = _k3_bar(steps, steps) + " \x1b[1m1s\x1b[0m 3ms/step - " + _k3_metrics(acc, loss)
    out.append("\x08" * prev + "\r" + line + "\n")
    return "".join(out)


def _k2_v2(hist, steps: int, secs: int = 3) -> str:
    """tf.keras 2 (TF 2.15) verbose=2: one line per epoch."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    for e, h in enumerate(hist):
        s = f"loss: {h['loss']:.4f} - accuracy: {h['acc']:.4f}"
        if h["val_acc"] is not None:
            s += f" - val_loss: {h['val_loss']:.4f} - val_accuracy: {h['val_acc']:.4f}"
        out.append(f"Epoch {e + 1}/{len(hist)}\n{steps}/{steps} - {secs}s - {s} - {secs}s/epoch - "
                   f"{ms}ms/step\n")
    return "".join(out)


def _f32(x: float) -> str:
    """How Python prints a float32 metric turned into a float."""
    return repr(struct.unpack("f", struct.pack("f", x))[0])


_CIFAR_K3_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
                "\x1b[1m170498071/170498071\x1b[0m \x1b[32m" + "\u2501" * 20
                + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m13s\x1b[0m 0us/step\n")
_CIFAR_K2_DL = ("Downloading data from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n"
                "170498071/170498071 [==============================] - 12s 0us/step\n")
_TF_STDERR = ("2024-03-20 09:41:07.118204: I tensorflow/core/util/port.cc:113] oneDNN custom "
              "operations are on. You may see slightly different numerical results due to "
              "floating-point round-off errors from different computation orders. To turn them "
              "off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n")


# =======================================================================================
# review questions, tables, expected reports
# =======================================================================================

_Q = {
    "a": "What is the difference between a Dense and a Conv2D layer in Keras?",
    "b": 'In CNN, explain what it means to "preserve the spatial structure"?',
    "c": ("In CNN, explain the different operations taking place when performing a convolution of "
          "a filter on an input, e.g. an image. How is the filter defined in terms of "
          "hyper-parameters?"),
    "d": "Define what is meant by receptive field and activation map.",
    "e": "Explain the notion of sparse connectivity and parameter sharing.",
    "f": "Explain the effect of a given stride or zero-padding value.",
    "g": "For a given configuration of a convolution layer, compute the number of parameters "
         "(weights, bias).",
    "h": "Define what is a max pooling layer and what is its role in a CNN architecture.",
}

_ANS = {
    "en": {
        "a": "Dense connects each input to every unit and forgets where the pixel was; Conv2D "
             "slides a few small shared filters over the image.",
        "b": "The feature maps keep the height x width grid of the image, so pixels that are "
             "close in the image stay close in every layer.",
        "c": "At each position the filter values are multiplied with the input patch under them "
             "over all channels, summed, a bias is added, and the filter moves by the stride; "
             "hyper-parameters are the number of filters, kernel size, stride and padding.",
        "d": "The receptive field is the part of the input image one output unit depends on; an "
             "activation map is the output of one filter over all positions.",
        "e": "Sparse connectivity: each unit is linked to a small local patch only. Parameter "
             "sharing: the same kernel weights are used at every location.",
        "f": "A stride of S keeps one position out of S and shrinks the output; zero padding "
             "adds a border so the output can keep the input size.",
        "g": "A layer with D filters of size w x h on C input channels has (w*h*C + 1)*D "
             "parameters, e.g. (3*3*3+1)*32 = 896 for our first layer.",
        "h": "Max pooling replaces each 2x2 window by its largest value: it halves the map size, "
             "cuts computation and makes the network tolerant to small shifts.",
    },
    "fr": {
        "a": "Une couche Dense relie chaque entrée à chaque neurone sans notion de voisinage, "
             "une couche Conv2D fait glisser de petits filtres partagés sur l'image.",
        "b": "On garde la grille hauteur x largeur de l'image : deux pixels voisins restent "
             "voisins dans les cartes d'activation au lieu d'être aplatis.",
        "c": "Le filtre est multiplié terme à terme avec la zone de l'entrée qu'il recouvre, sur "
             "tous les canaux, on somme et on ajoute le biais, puis on avance du pas ; le filtre "
             "est défini par sa taille, le nombre de filtres, le pas et le padding.",
        "d": "Le champ réceptif est la zone de l'image dont dépend un neurone de sortie ; la "
             "carte d'activation est la sortie d'un filtre sur toutes les positions.",
        "e": "Connectivité éparse : chaque neurone ne regarde qu'une petite zone locale ; partage "
             "des paramètres : les mêmes poids servent à toutes les positions.",
        "f": "Un pas de S ne garde qu'une position sur S et réduit la sortie ; le zero-padding "
             "ajoute un bord de zéros pour garder la taille de l'entrée.",
        "g": "Une couche de D filtres w x h sur C canaux a (w*h*C + 1)*D paramètres, par exemple "
             "(3*3*3+1)*32 = 896 pour notre première couche.",
        "h": "Le max pooling remplace chaque fenêtre 2x2 par son maximum : la carte est deux fois "
             "plus petite, le calcul diminue et le réseau tolère de petits décalages.",
    },
    "de": {
        "a": "Eine Dense-Schicht verbindet jeden Eingang mit jedem Neuron ohne Nachbarschaft, "
             "eine Conv2D-Schicht schiebt kleine geteilte Filter über das Bild.",
        "b": "Das Raster aus Höhe und Breite bleibt erhalten, benachbarte Pixel bleiben auch in "
             "den Aktivierungskarten benachbart.",
        "c": "Der Filter wird elementweise mit dem Bildausschnitt über alle Kanäle multipliziert, "
             "aufsummiert, der Bias addiert und dann um den Stride verschoben; Hyperparameter "
             "sind Anzahl Filter, Kernelgrösse, Stride und Padding.",
        "d": "Das rezeptive Feld ist der Bildbereich, von dem ein Ausgabeneuron abhängt; eine "
             "Aktivierungskarte ist die Ausgabe eines Filters an allen Positionen.",
        "e": "Spärliche Verbindungen: jedes Neuron sieht nur einen kleinen lokalen Ausschnitt; "
             "Parameter-Sharing: dieselben Gewichte an jeder Position.",
        "f": "Ein Stride S behält nur jede S-te Position und verkleinert die Ausgabe; "
             "Zero-Padding fügt einen Rand hinzu, damit die Grösse erhalten bleibt.",
        "g": "Eine Schicht mit D Filtern der Grösse w x h auf C Kanälen hat (w*h*C + 1)*D "
             "Parameter, zum Beispiel (3*3*3+1)*32 = 896.",
        "h": "Max-Pooling ersetzt jedes 2x2-Fenster durch sein Maximum, halbiert so die Karten, "
             "spart Rechenzeit und macht das Netz robust gegen kleine Verschiebungen.",
    },
    "es": {
        "a": "Una capa Dense conecta cada entrada con cada neurona sin tener en cuenta la "
             "posición, una Conv2D desliza pequeños filtros compartidos sobre la imagen.",
        "b": "Se mantiene la rejilla alto x ancho de la imagen, de modo que los píxeles vecinos "
             "siguen siendo vecinos en los mapas de activación.",
        "c": "El filtro se multiplica elemento a elemento con la zona de la entrada en todos los "
             "canales, se suma, se añade el sesgo y se desplaza según el paso; se define por su "
             "tamaño, el número de filtros, el paso y el relleno.",
        "d": "El campo receptivo es la zona de la imagen de la que depende una neurona de salida; "
             "un mapa de activación es la salida de un filtro en todas las posiciones.",
        "e": "Conectividad dispersa: cada neurona sólo ve una pequeña zona local; compartir "
             "parámetros: los mismos pesos se usan en todas las posiciones.",
        "f": "Un paso S sólo conserva una posición de cada S y reduce la salida; el relleno con "
             "ceros permite conservar el tamaño de la entrada.",
        "g": "Una capa con D filtros de w x h sobre C canales tiene (w*h*C + 1)*D parámetros, por "
             "ejemplo (3*3*3+1)*32 = 896.",
        "h": "El max pooling sustituye cada ventana 2x2 por su máximo: reduce a la mitad el mapa, "
             "ahorra cálculo y da cierta invariancia a pequeños desplazamientos.",
    },
}


def _review(lang: str, answers: dict, heading: str, style: str = "bold") -> str:
    """One markdown cell: the copied questions and the answers given (text as given)."""
    parts = [heading, ""]
    for k in "abcdefgh":
        if k not in answers:
            continue
        if style == "bold":
            parts += [f"**{k}) {_Q[k]}**", "", answers[k], ""]
        elif style == "numbered":
            parts += [f"{'abcdefgh'.index(k) + 1}. *{_Q[k]}*", f"   {answers[k]}".rstrip(), ""]
        else:
            parts += [f"### {k})", f"_{_Q[k]}_", "", answers[k], ""]
    return "\n".join(parts).rstrip() + "\n"


def _answers(lang: str, letters: str, **others) -> dict:
    d = {k: _ANS[lang][k] for k in letters}
    d.update(others)
    return d


def _table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _model(kind, arch, epochs, batch, train, test):
    return {"kind": kind, "architecture": arch, "epochs": epochs, "batch_size": batch,
            "train_accuracy": train, "test_accuracy": test}


def _expected(framework, models, table, *, d1, wp, d2, simple, deeper, review, diffs=(), acc=()):
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


def _conv(d, k=3, s=1, p="'same'", bn=False, l2=None):
    t = f"CONV D={d}, w=h={k}, S={s}, P={p}"
    if l2 is not None:
        t += f", L2={l2}"
    return t + (" + BN" if bn else "")


def _arch(*layers: str) -> str:
    return "; ".join(f"Layer {i + 1} : {la}" for i, la in enumerate(layers))


A_ONE = "Layer 1 : DENSE, L2=0.05"
A_TWO = "Layer 1 : DENSE 128; Layer 2 : DENSE"
A_SIMPLE = _arch(_conv(32), "MAXPOOL", "DENSE")
A_SIMPLE_T = _arch(_conv(32, p=1), "MAXPOOL", "DENSE")

_W_KERAS = """\
W = {src}.reshape(32, 32, 3, 10)
fig, axes = plt.subplots(1, 10, figsize=(15, 3))
for k in range(10):
    w = W[:, :, :, k]
    lo = w.min(axis=(0, 1), keepdims=True)   # one min / max per channel (R, G, B)
    hi = w.max(axis=(0, 1), keepdims=True)
    axes[k].imshow(((w - lo) / (hi - lo) * 255).astype("uint8"))
    axes[k].set_title({names}[k])
    axes[k].axis("off")
plt.show()"""


# =======================================================================================
# S1 — French, Keras 3 functional API; the CNNs built by construire(cfg) in a loop over a dict
#      of configuration dicts, verbose=2 logs, prints with decimal commas
# =======================================================================================

_S1_ARCH = {
    "cnn_simple": A_SIMPLE,
    "cnn_2blocs": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE"),
    "cnn_2blocs_bn": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.25",
                           _conv(64, bn=True), _conv(64, bn=True), "MAXPOOL + DROPOUT 0.25",
                           "DENSE 128", "DENSE"),
    "cnn_3blocs_bn": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.3",
                           _conv(64, bn=True), _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3",
                           _conv(128, bn=True), _conv(128, bn=True), "MAXPOOL + DROPOUT 0.3",
                           "DENSE 256", "DENSE"),
}

_S1_RUNS = [  # name, (acc first, last), (loss), (val acc), (val loss), printed test
    ("cnn_simple", (0.4622, 0.7913), (1.5130, 0.6012), (0.5480, 0.6377), (1.2840, 1.1012), "63,2"),
    ("cnn_2blocs", (0.4310, 0.9421), (1.5620, 0.1688), (0.5630, 0.7012), (1.2250, 1.3120), "69,8"),
    ("cnn_2blocs_bn", (0.4710, 0.9012), (1.5240, 0.2811), (0.5810, 0.7890), (1.2010, 0.6904), "78,4"),
    ("cnn_3blocs_bn", (0.4520, 0.8874), (1.5590, 0.3201), (0.5720, 0.8212), (1.2210, 0.5532), "81,6"),
]

_S1_TABLE = [
    ("Couche 1 : CONV D=32, w=h=3, S=1, P='same'; Couche 2 : MAXPOOL; Couche 3 : DENSE",
     "79,1 %", "63,2 %"),
    ("2 x CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; 2 x CONV D=64, w=h=3, S=1, P='same'; "
     "MAXPOOL; DENSE", "94,2 %", "69,8 %"),
    ("2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.25; 2 x (CONV D=64 + BN); MAXPOOL + DROPOUT "
     "0.25; DENSE 128; DENSE", "90,1 %", "78,4 %"),
    ("2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.3; 2 x (CONV D=64 + BN); MAXPOOL + DROPOUT 0.3; "
     "2 x (CONV D=128 + BN); MAXPOOL + DROPOUT 0.3; DENSE 256; DENSE", "88,7 %", "81,6 %"),
]


def _build_s1() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# TP 4 – Réseaux convolutifs sur CIFAR-10\n\n**Groupe 14** : Léa Bonnet, Hugo Morel\n\n"
          "L'exercice 1 est rendu dans le fichier Excel.")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
noms = ["avion", "auto", "oiseau", "chat", "cerf", "chien", "grenouille", "cheval", "bateau", "camion"]
print(keras.__version__, x_train.shape, x_test.shape)""",
            _out(_CIFAR_K3_DL + "3.3.3 (50000, 32, 32, 3) (10000, 32, 32, 3)\n"))
    nb.code('''
def afficher_precision(modele):
    """Précision sur le jeu de test, en pourcents avec une virgule."""
    _, acc = modele.evaluate(x_test, y_test, verbose=0)
    print(f"Précision test : {acc * 100:.1f} %".replace(".", ","))
    return acc''')
    nb.md("## Exercice 2\n\n### Réseau à une couche (API fonctionnelle)")
    h = _hist(5, (0.2803, 0.3402), (2.5120, 1.9811), (0.3011, 0.3398), (2.2102, 1.9701))
    nb.code("""
entree = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(entree)
sortie = layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05))(x)
modele_1 = keras.Model(entree, sortie, name="une_couche")
modele_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_1 = modele_1.fit(x_train, y_train, epochs=5, batch_size=128, validation_split=0.1)
afficher_precision(modele_1)""", _out(_k3_v1(h, 352, secs=3) + "Précision test : 34,7 %\n"),
            _res(_f32(0.3471)))
    nb.md("### Poids du réseau à une couche\n\nChaque canal (R, V, B) est normalisé séparément "
          "entre 0 et 255.")
    nb.code(_W_KERAS.format(src="modele_1.layers[-1].get_weights()[0]", names="noms"), _fig(3))
    nb.md("On reconnaît vaguement un fond bleu pour *avion* et *bateau*, vert pour *grenouille*.")
    nb.md("### Réseau à deux couches")
    h = _hist(30, (0.3610, 0.5466), (1.8010, 1.2790), (0.4020, 0.4811), (1.6620, 1.4790))
    nb.code("""
entree = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(entree)
x = layers.Dense(128, activation="relu")(x)
sortie = layers.Dense(10, activation="softmax")(x)
modele_2 = keras.Model(entree, sortie, name="deux_couches")
modele_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_2 = modele_2.fit(x_train, y_train, epochs=30, batch_size=128, validation_split=0.1)
acc_2 = afficher_precision(modele_2)""", _out(_k3_v1(h, 352, secs=2) + "Précision test : 47,3 %\n"))
    nb.md("## Exercice 3 – CNN\n\nToutes nos architectures sont décrites par un dictionnaire et "
          "construites par la même fonction.")
    nb.code("""
EPOQUES = 15
configs = {
    "cnn_simple":    {"blocs": [32],          "convs": 1, "bn": False, "dropout": 0.0, "dense": None},
    "cnn_2blocs":    {"blocs": [32, 64],      "convs": 2, "bn": False, "dropout": 0.0, "dense": None},
    "cnn_2blocs_bn": {"blocs": [32, 64],      "convs": 2, "bn": True,  "dropout": 0.25, "dense": 128},
    "cnn_3blocs_bn": {"blocs": [32, 64, 128], "convs": 2, "bn": True,  "dropout": 0.3, "dense": 256},
}


def construire(cfg):
    entree = keras.Input(shape=(32, 32, 3))
    x = entree
    for filtres in cfg["blocs"]:
        for _ in range(cfg["convs"]):
            x = layers.Conv2D(filtres, (3, 3), strides=1, padding="same")(x)
            if cfg["bn"]:
                x = layers.BatchNormalization()(x)
            x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(pool_size=2)(x)
        if cfg["dropout"] > 0:
            x = layers.Dropout(cfg["dropout"])(x)
    x = layers.Flatten()(x)
    if cfg["dense"]:
        x = layers.Dense(cfg["dense"], activation="relu")(x)
    sortie = layers.Dense(10, activation="softmax")(x)
    return keras.Model(entree, sortie)""")
    logs = []
    for name, acc, loss, vacc, vloss, test in _S1_RUNS:
        logs.append(f"===== {name} =====\n"
                    + _k3_v2(_hist(15, acc, loss, vacc, vloss), 704, secs=6)
                    + f"{name} – précision test : {test} %\n")
    nb.code("""
resultats = {}
for nom, cfg in configs.items():
    print(f"===== {nom} =====")
    modele = construire(cfg)
    modele.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    h = modele.fit(x_train, y_train, epochs=EPOQUES, batch_size=64, validation_split=0.1, verbose=2)
    _, acc_test = modele.evaluate(x_test, y_test, verbose=0)
    resultats[nom] = (h.history["accuracy"][-1], acc_test)
    print(f"{nom} – précision test : {acc_test * 100:.1f} %".replace(".", ","))""", _out("".join(logs)))
    nb.md("### Tableau 1\n\n" + _table(
        ("CNN", "Architecture", "Précision entraînement", "Précision test"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S1_TABLE)])
        + "\n\nToutes les configurations : adam, batch de 64, 15 époques.\n\n"
          "La meilleure configuration est la 4 : la normalisation de batch et le dropout "
          "réduisent le sur-apprentissage du CNN 2.")
    nb.md(_review("fr", _answers("fr", "abcdgh", e="Voir le cours.", f=""),
                  "## Exercice 4 – Questions de révision"))
    return nb.build()


_S1_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3402, 0.347),
    _model("dense", A_TWO, 30, 128, 0.5466, 0.473),
    _model("cnn", _S1_ARCH["cnn_simple"], 15, 64, 0.7913, 0.632),
    _model("cnn", _S1_ARCH["cnn_2blocs"], 15, 64, 0.9421, 0.698),
    _model("cnn", _S1_ARCH["cnn_2blocs_bn"], 15, 64, 0.9012, 0.784),
    _model("cnn", _S1_ARCH["cnn_3blocs_bn"], 15, 64, 0.8874, 0.816),
], _S1_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=6)


# =======================================================================================
# S2 — English, tf.keras 2.15; build_model(n_conv, filters) called for four CNNs, each fit in
#      its own cell with verbose=2; the test accuracies kept in a dict and printed only at the
#      end with % formatting
# =======================================================================================

_S2_ARCH = {
    "mlp": "Layer 1 : DENSE 512; Layer 2 : DENSE 256; Layer 3 : DENSE",
    "cnn1": A_SIMPLE,
    "cnn2": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE"),
    "cnn3": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
                  _conv(64, bn=True), "MAXPOOL", "DENSE"),
    "cnn4": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
                  _conv(64, bn=True), "MAXPOOL", _conv(128, bn=True), _conv(128, bn=True),
                  "MAXPOOL", "DENSE"),
}

_S2_TABLE = [
    ("build_model(1, [32]): " + A_SIMPLE, "73.5%", "63.4%"),
    ("build_model(2, [32, 64]): " + _S2_ARCH["cnn2"], "94.0%", "70.1%"),
    ("build_model(2, [32, 64], batchnorm=True): " + _S2_ARCH["cnn3"], "96.3%", "76.4%"),
    ("build_model(2, [32, 64, 128], batchnorm=True): " + _S2_ARCH["cnn4"], "95.1%", "79.6%"),
]


def _build_s2() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Deep Learning – PW 4: CNNs\n\nGroup 2 — Nina Berger, Samuel Ito")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers
print(tf.__version__)""", _err(_TF_STDERR), _out("2.15.0\n"))
    nb.code("""
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = keras.utils.to_categorical(y_train)
y_test = keras.utils.to_categorical(y_test)
labels = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']

results = {}   # model name -> test accuracy, printed at the end""", _out(_CIFAR_K2_DL))
    nb.md("## Exercise 2\n\n### 1-layer network")
    h = _hist(5, (0.2912, 0.3391), (2.4710, 1.9488))
    nb.code("""
one_layer = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)),
])
one_layer.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
one_layer.fit(x_train, y_train, epochs=5, batch_size=128, verbose=2)
results['one_layer'] = one_layer.evaluate(x_test, y_test, verbose=0)[1]""",
            _out(_k2_v2(h, 391, secs=2)))
    nb.code(_W_KERAS.format(src="one_layer.layers[1].get_weights()[0]", names="labels"), _fig(5))
    nb.md("### 2-layer network")
    h = _hist(30, (0.3701, 0.5512), (1.7830, 1.2651))
    nb.code("""
two_layer = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
two_layer.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
two_layer.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
results['two_layer'] = two_layer.evaluate(x_test, y_test, verbose=0)[1]""",
            _out(_k2_v2(h, 391, secs=2)))
    nb.md("Tuning: a wider and deeper MLP.")
    h = _hist(30, (0.3522, 0.6321), (1.8120, 1.0344))
    nb.code("""
bigger_mlp = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(512, activation='relu'),
    layers.Dense(256, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
bigger_mlp.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
bigger_mlp.fit(x_train, y_train, epochs=30, batch_size=128, verbose=2)
results['bigger_mlp'] = bigger_mlp.evaluate(x_test, y_test, verbose=0)[1]""",
            _out(_k2_v2(h, 391, secs=4)))
    nb.md("## Exercise 3\n\nOne helper for every CNN: `n_conv` convolutions per block, one block "
          "per entry of `filters`, each block closed by a 2x2 max-pooling.")
    nb.code("""
def build_model(n_conv, filters, batchnorm=False):
    model = keras.Sequential()
    model.add(keras.Input(shape=(32, 32, 3)))
    for f in filters:
        for _ in range(n_conv):
            model.add(layers.Conv2D(f, (3, 3), padding='same'))
            if batchnorm:
                model.add(layers.BatchNormalization())
            model.add(layers.Activation('relu'))
        model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation='softmax'))
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    return model""")
    for name, call, epochs, acc, loss, secs in (
            ("cnn1", "build_model(1, [32])", 10, (0.4588, 0.7354), (1.5233, 0.7712), 4),
            ("cnn2", "build_model(2, [32, 64])", 15, (0.4102, 0.9402), (1.6120, 0.1750), 7),
            ("cnn3", "build_model(2, [32, 64], batchnorm=True)", 15, (0.5011, 0.9633),
             (1.4310, 0.1102), 9),
            ("cnn4", "build_model(2, [32, 64, 128], batchnorm=True)", 20, (0.4930, 0.9511),
             (1.4402, 0.1421), 12)):
        nb.code(f"""
{name} = {call}
{name}.fit(x_train, y_train, epochs={epochs}, batch_size=128, verbose=2)
results['{name}'] = {name}.evaluate(x_test, y_test, verbose=0)[1]""",
                _out(_k2_v2(_hist(epochs, acc, loss), 391, secs=secs)))
    nb.code("""
for name, acc in results.items():
    print("%-10s test accuracy: %.2f%%" % (name, 100 * acc))""", _out(
        "one_layer  test accuracy: 34.78%\n"
        "two_layer  test accuracy: 47.02%\n"
        "bigger_mlp test accuracy: 51.23%\n"
        "cnn1       test accuracy: 63.41%\n"
        "cnn2       test accuracy: 70.11%\n"
        "cnn3       test accuracy: 76.42%\n"
        "cnn4       test accuracy: 79.58%\n"))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S2_TABLE)])
        + "\n\nAll: adam, batch size 128; 10 epochs for CNN 1, 15 for CNN 2 and 3, 20 for CNN 4."
          "\nBest configuration: CNN 4. All deeper models overfit (train accuracy above 94 %).")
    nb.md(_review("en", _answers("en", "abcdefgh"), "## Exercise 4 – Review questions",
                  style="numbered"))
    return nb.build()


_S2_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3391, 0.3478),
    _model("dense", A_TWO, 30, 128, 0.5512, 0.4702),
    _model("dense", _S2_ARCH["mlp"], 30, 128, 0.6321, 0.5123),
    _model("cnn", _S2_ARCH["cnn1"], 10, 128, 0.7354, 0.6341),
    _model("cnn", _S2_ARCH["cnn2"], 15, 128, 0.9402, 0.7011),
    _model("cnn", _S2_ARCH["cnn3"], 15, 128, 0.9633, 0.7642),
    _model("cnn", _S2_ARCH["cnn4"], 20, 128, 0.9511, 0.7958),
], _S2_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=8)


# =======================================================================================
# the corpus
# =======================================================================================

CASES: list[Case] = [
    Case("s1_fr_functional_config_dict",
         "Keras 3, French: functional one- and two-layer nets, the four CNNs built by "
         "construire(cfg) in a loop over configs.items() (dict of config dicts, batch 64, EPOQUES "
         "= 15), verbose=2 logs, 'Précision test : 63,2 %' printed with decimal commas (read as "
         "0.632); honest French table, 6 answers (a 'Voir le cours.' and an empty one do not count)",
         _build_s1, _S1_EXPECTED),
    Case("s2_en_build_model_results_dict",
         "tf.keras 2.15, English: build_model(n_conv, filters, batchnorm) called for four CNNs, "
         "verbose=2 logs give the training accuracies; the test accuracies only appear at the end, "
         "printed from the results dict with '%-10s test accuracy: %.2f%%' (the dict key ties each "
         "to its model); honest table, 8 numbered answers",
         _build_s2, _S2_EXPECTED),
]


def _check() -> None:
    """Build every case, validate it against the nbformat schema, check ids and determinism."""
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
        assert exp["one_layer_differences"] <= {"epochs", "batch_size", "l2", "output", "loss",
                                                "optimizer"}
        for m in exp["models"]:
            assert m["kind"] in ("dense", "cnn")
            assert (m["kind"] == "cnn") == ("CONV" in m["architecture"]), case.name
            for key in ("train_accuracy", "test_accuracy"):
                assert m[key] is None or 0.0 <= m[key] <= 1.0
        assert exp["checklist"]["table"] == bool(exp["table"]), case.name
        for column, text in exp["accusations"]:
            assert any(row[column] == text for row in exp["table"]), (case.name, text)
    print(f"{len(CASES)} notebooks built and valid")


if __name__ == "__main__":
    _check()
