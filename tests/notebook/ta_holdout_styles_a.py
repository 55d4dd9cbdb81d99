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
# S3 — German, tf.keras 2.15; every network trained by a hand-written tf.GradientTape loop
#      trainiere(modell, epochen, batch_groesse) printing its own epoch lines; test accuracy
#      printed with a decimal comma
# =======================================================================================

_S3_ARCH = {
    "cnn2": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE"),
    "cnn3": _arch(_conv(32, bn=True), "MAXPOOL", _conv(64, bn=True), "MAXPOOL", _conv(128, bn=True),
                  "MAXPOOL", "GLOBAL AVG POOL", "DENSE"),
}

_S3_TABLE = [
    ("CONV 32 (3x3, same) – MAXPOOL – DENSE", "74,8 %", "63,9 %"),
    ("2x CONV 32 – MAXPOOL – 2x CONV 64 – MAXPOOL – DENSE", "93,1 %", "70,4 %"),
    ("CONV 32 + BN – MAXPOOL – CONV 64 + BN – MAXPOOL – CONV 128 + BN – MAXPOOL – GAP – DENSE",
     "88,2 %", "79,5 %"),
]


def _s3_log(epochs, acc, loss):
    h = _hist(epochs, acc, loss)
    return "".join(f"Epoche {i + 1}/{epochs} - Verlust: {e['loss']:.4f} - Genauigkeit: "
                   f"{e['acc']:.4f}\n" for i, e in enumerate(h))


def _build_s3() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Praktikum 4 – Faltungsnetze (CNN)\n\nGruppe 6: Lukas Brunner, Mia Steiner\n\n"
          "Wir haben die Trainingsschleife selbst mit `tf.GradientTape` geschrieben, um zu sehen, "
          "was `fit` eigentlich macht.")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = (x_train / 255.0).astype('float32')
x_test = (x_test / 255.0).astype('float32')
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
klassen = ['Flugzeug', 'Auto', 'Vogel', 'Katze', 'Hirsch', 'Hund', 'Frosch', 'Pferd', 'Schiff', 'Lastwagen']""",
            _err(_TF_STDERR))
    nb.code('''
verlust_fn = keras.losses.CategoricalCrossentropy()


def trainiere(modell, epochen, batch_groesse):
    """Mini-Batch-Training mit Adam; L2-Terme der Schichten stehen in modell.losses."""
    optimierer = keras.optimizers.Adam(learning_rate=1e-3)
    genauigkeit = keras.metrics.CategoricalAccuracy()
    n = len(x_train)
    for epoche in range(epochen):
        idx = np.random.permutation(n)
        genauigkeit.reset_state()
        verluste = []
        for start in range(0, n, batch_groesse):
            b = idx[start:start + batch_groesse]
            xb, yb = x_train[b], y_train[b]
            with tf.GradientTape() as tape:
                pred = modell(xb, training=True)
                verlust = verlust_fn(yb, pred) + tf.add_n(modell.losses or [0.0])
            grads = tape.gradient(verlust, modell.trainable_variables)
            optimierer.apply_gradients(zip(grads, modell.trainable_variables))
            genauigkeit.update_state(yb, pred)
            verluste.append(float(verlust))
        print(f"Epoche {epoche + 1}/{epochen} - Verlust: {np.mean(verluste):.4f} - "
              f"Genauigkeit: {float(genauigkeit.result()):.4f}")


def teste(modell):
    acc = keras.metrics.CategoricalAccuracy()
    acc.update_state(y_test, modell.predict(x_test, verbose=0))
    print(f"Testgenauigkeit: {float(acc.result()) * 100:.1f} %".replace(".", ","))''')
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz (5 Epochen, Batch 128, L2 0.05, Softmax, "
          "Adam)")
    nb.code("""
modell_1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)),
])
trainiere(modell_1, epochen=5, batch_groesse=128)
teste(modell_1)""", _out(_s3_log(5, (0.2870, 0.3388), (2.6100, 1.9920)) + "Testgenauigkeit: 34,6 %\n"))
    nb.code(_W_KERAS.format(src="modell_1.layers[1].get_weights()[0]", names="klassen"), _fig(7))
    nb.md("### Zweischichtiges Netz")
    nb.code("""
modell_2 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
trainiere(modell_2, epochen=30, batch_groesse=128)
teste(modell_2)""", _out(_s3_log(30, (0.3622, 0.5533), (1.7940, 1.2588)) + "Testgenauigkeit: 47,1 %\n"))
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    nb.code("""
cnn_1 = keras.Sequential([
    layers.Conv2D(32, (3, 3), strides=1, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
trainiere(cnn_1, epochen=10, batch_groesse=128)
teste(cnn_1)""", _out(_s3_log(10, (0.4501, 0.7480), (1.5420, 0.7355)) + "Testgenauigkeit: 63,9 %\n"))
    nb.md("### Tiefere CNNs\n\nFür die tieferen Netze nehmen wir Batches von 64 Bildern.")
    nb.code("""
cnn_2 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
trainiere(cnn_2, 15, 64)
teste(cnn_2)""", _out(_s3_log(15, (0.4420, 0.9310), (1.5510, 0.1988)) + "Testgenauigkeit: 70,4 %\n"))
    nb.code("""
cnn_3 = keras.Sequential([
    layers.Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding='same'),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding='same'),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.MaxPooling2D((2, 2)),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation='softmax'),
])
trainiere(cnn_3, 20, 64)
teste(cnn_3)""", _out(_s3_log(20, (0.4833, 0.8820), (1.4410, 0.3412)) + "Testgenauigkeit: 79,5 %\n"))
    nb.md("### Tabelle 1\n\n" + _table(
        ("Nr.", "Architektur", "Genauigkeit Training", "Genauigkeit Test"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S3_TABLE)])
        + "\n\nCNN 1: 10 Epochen, Batch 128; CNN 2: 15 Epochen, Batch 64; CNN 3: 20 Epochen, "
          "Batch 64. Adam (lr 0.001) überall.")
    nb.md(_review("de", _answers("de", "abh", c="siehe Folien", d="?"),
                  "## Aufgabe 4 – Repetitionsfragen (optional)", style="headed"))
    return nb.build()


_S3_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3388, 0.346),
    _model("dense", A_TWO, 30, 128, 0.5533, 0.471),
    _model("cnn", A_SIMPLE, 10, 128, 0.7480, 0.639),
    _model("cnn", _S3_ARCH["cnn2"], 15, 64, 0.9310, 0.704),
    _model("cnn", _S3_ARCH["cnn3"], 20, 64, 0.8820, 0.795),
], _S3_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=2, review=3)


# =======================================================================================
# S4 — English, Keras 3; every fit with verbose=0, the histories shown only as printed pandas
#      text (the whole frame, .tail(3), .iloc[-1]); evaluate() bars and their returned lists
# =======================================================================================

_HIST_COLS = ("accuracy", "loss", "val_accuracy", "val_loss")


def _df_text(hist, rows) -> str:
    """print(pd.DataFrame(h.history).round(4)) for the given row indices."""
    idx = [str(i) for i in rows]
    iw = max(len(s) for s in idx)
    vals = [[f"{hist[i][k]:.4f}" for k in ("acc", "loss", "val_acc", "val_loss")] for i in rows]
    widths = [max(len(c), *(len(v[j]) for v in vals)) for j, c in enumerate(_HIST_COLS)]
    lines = [" " * iw + "".join("  " + c.rjust(w) for c, w in zip(_HIST_COLS, widths, strict=True))]
    for i, v in zip(idx, vals, strict=True):
        lines.append(i.ljust(iw) + "".join("  " + x.rjust(w) for x, w in zip(v, widths, strict=True)))
    return "\n".join(lines) + "\n"


def _series_text(hist) -> str:
    """print(pd.DataFrame(h.history).iloc[-1].round(4))"""
    last = hist[-1]
    vals = [last["acc"], last["loss"], last["val_acc"], last["val_loss"]]
    return "".join(f"{c:<12}    {v:.4f}\n" for c, v in zip(_HIST_COLS, vals, strict=True)) + \
        f"Name: {len(hist) - 1}, dtype: float64\n"


def _eval_list(acc: float, loss: float):
    return _res(f"[{_f32(loss)}, {_f32(acc)}]")


_S4_ARCH = {
    "one": A_ONE,
    "d1": _arch(_conv(32), _conv(64), "MAXPOOL", _conv(128), "MAXPOOL", "DENSE 128", "DENSE"),
    "d2": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.2", _conv(64, bn=True),
                _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3", "DENSE"),
    "d3": _arch(_conv(64, k=5, bn=True), "MAXPOOL", _conv(128, bn=True), _conv(128, bn=True),
                "MAXPOOL + DROPOUT 0.3", _conv(256, bn=True), "MAXPOOL + DROPOUT 0.4",
                "DENSE 256 + DROPOUT 0.5", "DENSE"),
}

_S4_TABLE = [
    (A_SIMPLE, "74.02", "62.87"),
    (_S4_ARCH["d1"], "92.13", "69.41"),
    (_S4_ARCH["d2"], "88.35", "78.66"),
    (_S4_ARCH["d3"], "86.90", "81.02"),
]


def _build_s4() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW04 – CNN on CIFAR-10\n\nGroup 9: Priya Raman, Oliver Hug\n\nWe train silently "
          "(`verbose=0`) and look at the history as a table afterwards.")
    nb.code("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train.astype("float32") / 255.0, x_test.astype("float32") / 255.0
y_train, y_test = keras.utils.to_categorical(y_train), keras.utils.to_categorical(y_test)
classes = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]""",
            _out(_CIFAR_K3_DL))
    nb.md("## Shallow networks\n\n### One layer\n\n10 epochs instead of 5: the accuracy was still "
          "going up after 5.")
    h = _hist(10, (0.2812, 0.3561), (2.4870, 1.9233), (0.3021, 0.3480), (2.1932, 1.9410))
    nb.code("""
one_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
one_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h1 = one_layer.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.2, verbose=0)
print(pd.DataFrame(h1.history).round(4))""", _out(_df_text(h, range(10))))
    nb.code("one_layer.evaluate(x_test, y_test)", _out(_k3_eval(0.3532, 1.9302)),
            _eval_list(0.3532, 1.9302))
    nb.code(_W_KERAS.format(src="one_layer.layers[-1].get_weights()[0]", names="classes"), _fig(9))
    nb.md("### Two layers")
    h = _hist(30, (0.3544, 0.5571), (1.8122, 1.2520), (0.3990, 0.4766), (1.6833, 1.4912))
    nb.code("""
two_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
two_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h2 = two_layer.fit(x_train, y_train, epochs=30, batch_size=128, validation_split=0.2, verbose=0)
print(pd.DataFrame(h2.history).round(4).tail(3))""", _out(_df_text(h, range(27, 30))))
    nb.code("two_layer.evaluate(x_test, y_test)", _out(_k3_eval(0.4713, 1.4977)),
            _eval_list(0.4713, 1.4977))
    nb.md("## CNNs\n\n### Simple CNN")
    runs = [
        ("simple_cnn", """
simple_cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])""", 10, _hist(10, (0.4530, 0.7402), (1.5320, 0.7511), (0.5244, 0.6313), (1.3390, 1.0698)),
         0.6287, 1.0802),
        ("deep_1", """
deep_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])""", 12, _hist(12, (0.4102, 0.9213), (1.6012, 0.2233), (0.5311, 0.6987), (1.3020, 1.1530)),
         0.6941, 1.1702),
        ("deep_2", """
deep_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.2),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])""", 20, _hist(20, (0.4388, 0.8835), (1.5830, 0.3310), (0.5520, 0.7902), (1.2611, 0.6320)),
         0.7866, 0.6411),
        ("deep_3", """
deep_3 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(64, (5, 5), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.3),
    layers.Conv2D(256, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dropout(0.4),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])""", 25, _hist(25, (0.3810, 0.8690), (1.7320, 0.3760), (0.4920, 0.8133), (1.4210, 0.5688)),
         0.8102, 0.5790),
    ]
    for i, (name, src, epochs, h, acc, loss) in enumerate(runs):
        if i == 1:
            nb.md("### Deeper CNNs")
        nb.code(src + f"""
{name}.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_{name} = {name}.fit(x_train, y_train, epochs={epochs}, batch_size=128, validation_split=0.2, verbose=0)
print(pd.DataFrame(hist_{name}.history).iloc[-1].round(4))""", _out(_series_text(h)))
        nb.code(f"{name}.evaluate(x_test, y_test)", _out(_k3_eval(acc, loss)), _eval_list(acc, loss))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S4_TABLE)])
        + "\n\nAdam, batch size 128, 20 % of the training set kept for validation; 10, 12, 20 and "
          "25 epochs.")
    nb.md(_review("en", _answers("en", "abcdefgh"), "## Exercise 4"))
    return nb.build()


_S4_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 10, 128, 0.3561, 0.3532),
    _model("dense", A_TWO, 30, 128, 0.5571, 0.4713),
    _model("cnn", A_SIMPLE, 10, 128, 0.7402, 0.6287),
    _model("cnn", _S4_ARCH["d1"], 12, 128, 0.9213, 0.6941),
    _model("cnn", _S4_ARCH["d2"], 20, 128, 0.8835, 0.7866),
    _model("cnn", _S4_ARCH["d3"], 25, 128, 0.8690, 0.8102),
], _S4_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=8, diffs={"epochs"})


# =======================================================================================
# S5 — English, Keras 3 verbose=1 bars; the deeper CNNs use EarlyStopping(patience=3) with
#      epochs=50: two stop early (17 and 23 epochs), one runs its 30 epochs; one-layer with MSE
# =======================================================================================

def _early(n, acc, loss, val_acc, val_loss, patience=3):
    """A history whose val_loss rises over the last `patience` epochs (EarlyStopping's view)."""
    h = _hist(n, acc, loss, val_acc, val_loss)
    best = n - patience - 1
    for j, e in enumerate(h[best + 1:], 1):
        e["val_loss"] = round(h[best]["val_loss"] + 0.0137 * j + 0.0041 * (j % 2), 4)
        e["val_acc"] = round(h[best]["val_acc"] - 0.0023 * j, 4)
    return h


_S5_ARCH = {
    "one": A_ONE,
    "a": _arch(_conv(32), _conv(32), "MAXPOOL + DROPOUT 0.25", _conv(64), _conv(64),
               "MAXPOOL + DROPOUT 0.25", "DENSE 512 + DROPOUT 0.5", "DENSE"),
    "b": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
               _conv(64, bn=True), "MAXPOOL", _conv(128, bn=True), _conv(128, bn=True), "MAXPOOL",
               "DENSE"),
    "c": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.2", _conv(64, bn=True),
               _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3", _conv(128, bn=True),
               _conv(128, bn=True), "MAXPOOL + DROPOUT 0.4", "DENSE"),
}

_S5_TABLE = [
    ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE (10 epochs)",
     "72.6%", "62.9%"),
    ("2 x CONV 32 + MAXPOOL + DROPOUT 0.25; 2 x CONV 64 + MAXPOOL + DROPOUT 0.25; DENSE 512 + "
     "DROPOUT 0.5; DENSE (early stopping after 17 epochs)", "85.1%", "75.6%"),
    ("2 x (CONV 32 + BN); MAXPOOL; 2 x (CONV 64 + BN); MAXPOOL; 2 x (CONV 128 + BN); MAXPOOL; "
     "DENSE (early stopping after 23 epochs)", "96.0%", "79.2%"),
    ("like 3 with DROPOUT 0.2 / 0.3 / 0.4 after the pools (30 epochs, no early stop)", "89.0%",
     "84.1%"),
]


def _build_s5() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Practical 4 – Convolutional networks\n\nTeam: Aurélie Favre & Jan Novak")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers
from keras.callbacks import EarlyStopping

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]""",
            _out(_CIFAR_K3_DL))
    nb.md("## Exercise 2 – one layer\n\nWe tried the mean squared error as loss, to compare with "
          "what we did in the MNIST lab.")
    h = _hist(5, (0.2520, 0.3304), (0.0921, 0.0843), (0.2910, 0.3322), (0.0890, 0.0838))
    nb.code("""
model_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
model_1.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
history_1 = model_1.fit(x_train, y_train, epochs=5, batch_size=128, validation_split=0.1)
print("test acc = %.4f" % model_1.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k3_v1(h, 352, secs=3) + "test acc = 0.3298\n"))
    nb.code(_W_KERAS.format(src="model_1.layers[-1].get_weights()[0]", names="names"), _fig(13))
    nb.md("## Two layers")
    h = _hist(30, (0.3630, 0.5489), (1.7950, 1.2704), (0.4031, 0.4790), (1.6720, 1.4820))
    nb.code("""
model_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_2 = model_2.fit(x_train, y_train, epochs=30, batch_size=128, validation_split=0.1)
print("test acc = %.4f" % model_2.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k3_v1(h, 352, secs=2) + "test acc = 0.4702\n"))
    nb.md("## Exercise 3 – simple CNN")
    h = _hist(10, (0.4490, 0.7261), (1.5390, 0.7830), (0.5290, 0.6402), (1.3120, 1.0411))
    nb.code("""
cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), strides=(1, 1), padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_cnn = cnn.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1)
print("test acc = %.4f" % cnn.evaluate(x_test, y_test, verbose=0)[1])""",
            _out(_k3_v1(h, 352, secs=5) + "test acc = 0.6288\n"))
    nb.md("## Deeper CNNs\n\nInstead of guessing the number of epochs we let `EarlyStopping` "
          "watch the validation loss (patience 3) and ask for up to 50 epochs.")
    nb.code("""
def early():
    return EarlyStopping(monitor="val_loss", patience=3, verbose=1)""")
    deep = [
        ("deep_a", """
deep_a = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
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
])""", 50, _early(17, (0.3720, 0.8512), (1.7210, 0.4190), (0.5012, 0.7622), (1.3820, 0.7010)),
         True, 8, "0.7561"),
        ("deep_b", """
deep_b = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for f in [32, 64, 128]:
    deep_b.add(layers.Conv2D(f, (3, 3), padding="same"))
    deep_b.add(layers.BatchNormalization())
    deep_b.add(layers.Activation("relu"))
    deep_b.add(layers.Conv2D(f, (3, 3), padding="same"))
    deep_b.add(layers.BatchNormalization())
    deep_b.add(layers.Activation("relu"))
    deep_b.add(layers.MaxPooling2D((2, 2)))
deep_b.add(layers.Flatten())
deep_b.add(layers.Dense(10, activation="softmax"))""", 50,
         _early(23, (0.4810, 0.9603), (1.4620, 0.1190), (0.5820, 0.7990), (1.1820, 0.6420)),
         True, 11, "0.7918"),
        ("deep_c", """
deep_c = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for f, rate in [(32, 0.2), (64, 0.3), (128, 0.4)]:
    deep_c.add(layers.Conv2D(f, (3, 3), padding="same"))
    deep_c.add(layers.BatchNormalization())
    deep_c.add(layers.Activation("relu"))
    deep_c.add(layers.Conv2D(f, (3, 3), padding="same"))
    deep_c.add(layers.BatchNormalization())
    deep_c.add(layers.Activation("relu"))
    deep_c.add(layers.MaxPooling2D((2, 2)))
    deep_c.add(layers.Dropout(rate))
deep_c.add(layers.Flatten())
deep_c.add(layers.Dense(10, activation="softmax"))""", 30,
         _hist(30, (0.3911, 0.8903), (1.7010, 0.3120), (0.5100, 0.8420), (1.3550, 0.4810)),
         False, 12, "0.8413"),
    ]
    for name, src, asked, h, stops, secs, test in deep:
        nb.code(src + f"""
{name}.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_{name} = {name}.fit(x_train, y_train, epochs={asked}, batch_size=128, validation_split=0.1,
                         callbacks=[early()])
print("test acc = %.4f" % {name}.evaluate(x_test, y_test, verbose=0)[1])""",
                _out(_k3_v1(h, 352, secs=secs, total=asked, stopped=stops) + f"test acc = {test}\n"))
    nb.md("`deep_c` never triggered the early stopping within its 30 epochs.")
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S5_TABLE)])
        + "\n\nAll with adam and batch size 128.")
    nb.md(_review("en", _answers("en", "abcdf", e="Same as in the slides.", g="896", h="TODO"),
                  "## Review questions"))
    return nb.build()


_S5_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3304, 0.3298),
    _model("dense", A_TWO, 30, 128, 0.5489, 0.4702),
    _model("cnn", A_SIMPLE, 10, 128, 0.7261, 0.6288),
    _model("cnn", _S5_ARCH["a"], 17, 128, 0.8512, 0.7561),
    _model("cnn", _S5_ARCH["b"], 23, 128, 0.9603, 0.7918),
    _model("cnn", _S5_ARCH["c"], 30, 128, 0.8903, 0.8413),
], _S5_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=5, diffs={"loss"})


# =======================================================================================
# S6 — English, Keras 3; the one-layer fit fails in epoch 1 (labels not one-hot), fixed and
#      run again; a deeper CNN's fit runs out of GPU memory with batch_size=2048 and is run
#      again with 128 in the next cell
# =======================================================================================

_S6_ARCH = {
    "d1": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE 256",
                "DENSE"),
    "d2": _arch(_conv(64, bn=True), _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3", _conv(128, bn=True),
                _conv(128, bn=True), "MAXPOOL + DROPOUT 0.3", "DENSE"),
    "d3": _arch(_conv(32, k=5, bn=True), "MAXPOOL", _conv(64, bn=True), "MAXPOOL",
                _conv(128, bn=True), "GLOBAL AVG POOL", "DENSE"),
}

_S6_TABLE = [
    ("CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "73.9 %", "63.0 %"),
    ("2 x CONV D=32; MAXPOOL; 2 x CONV D=64; MAXPOOL; DENSE 256; DENSE", "95.7 %", "70.6 %"),
    ("2 x (CONV D=64 + BN); MAXPOOL + DROPOUT 0.3; 2 x (CONV D=128 + BN); MAXPOOL + DROPOUT 0.3; "
     "DENSE", "90.4 %", "80.8 %"),
    ("CONV D=32, w=h=5 + BN; MAXPOOL; CONV D=64 + BN; MAXPOOL; CONV D=128 + BN; GLOBAL AVG POOL; "
     "DENSE", "79.3 %", "74.1 %"),
]

_TB_SHAPE = [
    "Cell \x1b[0;32mIn[2], line 7\x1b[0m\n\x1b[1;32m      5\x1b[0m ])\n\x1b[1;32m      6\x1b[0m "
    "one_layer\x1b[38;5;241m.\x1b[39mcompile(optimizer\x1b[38;5;241m=\x1b[39m\x1b[38;5;124m\"\x1b"
    "[39m\x1b[38;5;124madam\x1b[39m\x1b[38;5;124m\"\x1b[39m, ...)\n\x1b[0;32m----> 7\x1b[0m "
    "history_1 \x1b[38;5;241m=\x1b[39m one_layer\x1b[38;5;241m.\x1b[39mfit(x_train, y_train, ...)",
    "File \x1b[0;32m/usr/local/lib/python3.10/dist-packages/keras/src/utils/traceback_utils.py:122"
    "\x1b[0m, in \x1b[0;36mfilter_traceback.<locals>.error_handler\x1b[0;34m(*args, **kwargs)\x1b[0m\n"
    "\x1b[1;32m    119\x1b[0m     filtered_tb \x1b[38;5;241m=\x1b[39m _process_traceback_frames(e"
    "\x1b[38;5;241m.\x1b[39m__traceback__)\n\x1b[0;32m--> 122\x1b[0m     \x1b[38;5;28;01mraise\x1b"
    "[39;00m e\x1b[38;5;241m.\x1b[39mwith_traceback(filtered_tb) \x1b[38;5;28;01mfrom\x1b[39;00m "
    "\x1b[38;5;28;01mNone\x1b[39;00m",
]
_SHAPE_MSG = ("Arguments `target` and `output` must have the same shape. Received: "
              "target.shape=(None, 1), output.shape=(None, 10)")
_OOM_MSG = ("Graph execution error:\n\nDetected at node functional_4_1/conv2d_9_1/convolution "
            "defined at (most recent call last):\n<stack traces unavailable>\nOOM when allocating "
            "tensor with shape[2048,64,32,32] and type float on /job:localhost/replica:0/task:0/"
            "device:GPU:0 by allocator GPU_0_bfc\n\t [[{{node functional_4_1/conv2d_9_1/convolution}}]]"
            "\nHint: If you want to see a list of allocated tensors when OOM happens, add "
            "report_tensor_allocations_upon_oom to RunOptions for current allocation info. This "
            "isn't available when run_eagerly is True.\n [Op:__inference_one_step_on_iterator_48213]")


def _build_s6() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW 4 – CNN\n\nGroup 12 (Ruben Costa, Ines Meier)")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
print(x_train.shape, y_train.shape)""", _out(_CIFAR_K3_DL + "(50000, 32, 32, 3) (50000, 1)\n"))
    nb.md("## One-layer network")
    nb.code("""
one_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(0.05)),
])
one_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_1 = one_layer.fit(x_train, y_train, epochs=5, batch_size=128)""",
            _out("Epoch 1/5\n"), _error("ValueError", _SHAPE_MSG, _TB_SHAPE))
    nb.md("We forgot the one-hot encoding of the labels.")
    nb.code("""
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""")
    h = _hist(5, (0.2870, 0.3431), (2.4800, 1.9420))
    nb.code("""
history_1 = one_layer.fit(x_train, y_train, epochs=5, batch_size=128)
test_loss, test_acc = one_layer.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=3) + "Test accuracy: 0.3452\n"))
    nb.code("""
W = one_layer.layers[-1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(12, 3))
for k in range(10):
    img = W[..., k]
    img = (img - img.min(axis=(0, 1))) / (img.max(axis=(0, 1)) - img.min(axis=(0, 1)))  # per channel
    plt.subplot(1, 10, k + 1)
    plt.imshow(img)
    plt.axis("off")
plt.show()""", _fig(17, "1200x300"))
    nb.md("## Two-layer network")
    h = _hist(30, (0.3655, 0.5530), (1.7880, 1.2666))
    nb.code("""
two_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
two_layer.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_2 = two_layer.fit(x_train, y_train, epochs=30, batch_size=128)
test_loss, test_acc = two_layer.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=2) + "Test accuracy: 0.4688\n"))
    nb.md("## Simple CNN")
    h = _hist(10, (0.4577, 0.7388), (1.5233, 0.7541))
    nb.code("""
cnn = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history_cnn = cnn.fit(x_train, y_train, epochs=10, batch_size=128)
test_loss, test_acc = cnn.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=5) + "Test accuracy: 0.6301\n"))
    nb.md("## Deeper CNNs")
    h = _hist(15, (0.4211, 0.9566), (1.5702, 0.1244))
    nb.code("""
deep_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
deep_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep_1.fit(x_train, y_train, epochs=15, batch_size=128)
test_loss, test_acc = deep_1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=8) + "Test accuracy: 0.7063\n"))
    nb.md("A big batch to go faster:")
    nb.code("""
deep_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2), layers.Dropout(0.3),
    layers.Conv2D(128, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.Conv2D(128, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
    layers.MaxPooling2D(2), layers.Dropout(0.3),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
deep_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep_2.fit(x_train, y_train, epochs=20, batch_size=2048)""",
            _out("Epoch 1/20\n"),
            _err("2024-03-22 16:12:40.551207: W external/local_tsl/tsl/framework/bfc_allocator.cc:"
                 "485] Allocator (GPU_0_bfc) ran out of memory trying to allocate 512.00MiB "
                 "(rounded to 536870912)requested by op functional_4_1/conv2d_9_1/convolution\n"),
            _error("ResourceExhaustedError", _OOM_MSG, [
                "Cell \x1b[0;32mIn[9], line 13\x1b[0m\n\x1b[0;32m---> 13\x1b[0m deep_2\x1b"
                "[38;5;241m.\x1b[39mfit(x_train, y_train, epochs\x1b[38;5;241m=\x1b[39m"
                "\x1b[38;5;241m20\x1b[39m, batch_size\x1b[38;5;241m=\x1b[39m\x1b[38;5;241m2048"
                "\x1b[39m)"]))
    nb.md("Out of memory on the GPU: back to batches of 128.")
    h = _hist(20, (0.4503, 0.9042), (1.5221, 0.2710))
    nb.code("""
deep_2.fit(x_train, y_train, epochs=20, batch_size=128)
test_loss, test_acc = deep_2.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=13) + "Test accuracy: 0.8077\n"))
    h = _hist(15, (0.4420, 0.7930), (1.5502, 0.5810))
    nb.code("""
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 5, padding="same")(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(64, 3, padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(128, 3, padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
deep_3 = keras.Model(inputs, outputs)
deep_3.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep_3.fit(x_train, y_train, epochs=15, batch_size=128)
test_loss, test_acc = deep_3.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")""", _out(_k3_v1(h, 391, secs=7) + "Test accuracy: 0.7412\n"))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S6_TABLE)])
        + "\n\nadam, batch size 128, epochs: 10 / 15 / 20 / 15.")
    nb.md(_review("en", _answers("en", "abcdefg"), "## Exercise 4", style="headed"))
    return nb.build()


_S6_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3431, 0.3452),
    _model("dense", A_TWO, 30, 128, 0.5530, 0.4688),
    _model("cnn", A_SIMPLE, 10, 128, 0.7388, 0.6301),
    _model("cnn", _S6_ARCH["d1"], 15, 128, 0.9566, 0.7063),
    _model("cnn", _S6_ARCH["d2"], 20, 128, 0.9042, 0.8077),
    _model("cnn", _S6_ARCH["d3"], 15, 128, 0.7930, 0.7412),
], _S6_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=7)


# =======================================================================================
# S7 — Colab, English, Keras 3: every code cell saved with execution_count null but its
#      outputs kept; prints with "{:.2%}".format(...); one-layer with a sigmoid output; Table 1
#      quotes 78.9 % test for a CNN whose output shows 72.35 %
# =======================================================================================

_S7_ARCH = {
    "one": A_ONE,
    "c2": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE 128",
                "DENSE"),
    "c3": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
                _conv(64, bn=True), "MAXPOOL", "DENSE 128", "DENSE"),
    "c4": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.25",
                _conv(64, bn=True), _conv(64, bn=True), "MAXPOOL + DROPOUT 0.25",
                _conv(128, bn=True), _conv(128, bn=True), "MAXPOOL + DROPOUT 0.25",
                "DENSE 128 + DROPOUT 0.5", "DENSE"),
}

_S7_TABLE = [
    ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE", "73.1%",
     "62.4%"),
    ("2 x CONV D=32 (3x3, same); MAXPOOL; 2 x CONV D=64 (3x3, same); MAXPOOL; DENSE 128; DENSE",
     "92.1%", "70.9%"),
    ("2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; DENSE 128; DENSE", "91.2%",
     "78.9%"),
    ("3 x [2 x (CONV + BN); MAXPOOL + DROPOUT 0.25] with D=32/64/128; DENSE 128 + DROPOUT 0.5; "
     "DENSE", "87.1%", "81.3%"),
]


def _s7_fit(name: str, epochs: int, extra: str = "") -> str:
    return f"""
{name}.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
h = {name}.fit(x_train, y_train, epochs={epochs}, batch_size=128{extra})
print("Train accuracy: {{:.2%}}".format(h.history["accuracy"][-1]))
print("Test accuracy: {{:.2%}}".format({name}.evaluate(x_test, y_test, verbose=0)[1]))"""


def _pct(x: float) -> str:
    return f"{x:.2%}"


def _build_s7() -> nbformat.NotebookNode:
    nb = _NB(colab=True)
    nb.md("# PW04 — CNN (Colab)\n\nGroup 4: Marco Bianchi, Lina Haddad")
    nb.code("!nvidia-smi -L", _out("GPU 0: Tesla T4 (UUID: GPU-5f3c2b9e-8d1a-4c77-b0e2-9a61c4d0e3f1)\n"),
            n=None)
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]""",
            _out(_CIFAR_K3_DL), n=None)
    nb.md("## 1-layer network\n\nWe used a sigmoid on the output layer.")
    h = _hist(5, (0.2744, 0.3357), (2.5320, 2.0110))
    nb.code("""
one_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(10, activation="sigmoid", kernel_regularizer=regularizers.l2(0.05)),
])""" + _s7_fit("one_layer", 5), _out(_k3_v1(h, 391, secs=4) + "Train accuracy: 33.57%\n"
                                      "Test accuracy: 34.12%\n"), n=None)
    nb.code(_W_KERAS.format(src="one_layer.layers[-1].get_weights()[0]", names="class_names"),
            _fig(19), n=None)
    nb.md("## 2-layer network")
    h = _hist(30, (0.3611, 0.5502), (1.7990, 1.2710))
    nb.code("""
two_layer = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])""" + _s7_fit("two_layer", 30), _out(_k3_v1(h, 391, secs=3) + "Train accuracy: 55.02%\n"
                                       "Test accuracy: 46.95%\n"), n=None)
    nb.md("## Simple CNN")
    h = _hist(10, (0.4512, 0.7311), (1.5302, 0.7740))
    nb.code("""
cnn_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])""" + _s7_fit("cnn_1", 10), _out(_k3_v1(h, 391, secs=5) + "Train accuracy: 73.11%\n"
                                   "Test accuracy: 62.44%\n"), n=None)
    nb.md("## Deeper CNNs")
    for name, body, epochs, acc, loss, test, secs in (
        ("cnn_2", """
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),""", 15, (0.4330, 0.9205), (1.5660, 0.2290), 0.7088, 8),
        ("cnn_3", """
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),""", 20, (0.4910, 0.9120), (1.4480, 0.2460), 0.7235, 10),
        ("cnn_4", """
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(128, (3, 3), padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.5),""", 25, (0.3980, 0.8710), (1.7020, 0.3702), 0.8130, 14)):
        nb.code(f"""
{name} = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),""" + body + """
    layers.Dense(10, activation="softmax"),
])""" + _s7_fit(name, epochs), _out(_k3_v1(_hist(epochs, acc, loss), 391, secs=secs)
                                    + f"Train accuracy: {_pct(acc[1])}\n"
                                    + f"Test accuracy: {_pct(test)}\n"), n=None)
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S7_TABLE)])
        + "\n\nadam, batch 128; 10, 15, 20 and 25 epochs.")
    nb.md(_review("en", _answers("en", "abdh", c="see course", e="", f="", g=""),
                  "## Review questions"))
    return nb.build()


_S7_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, 0.3357, 0.3412),
    _model("dense", A_TWO, 30, 128, 0.5502, 0.4695),
    _model("cnn", A_SIMPLE, 10, 128, 0.7311, 0.6244),
    _model("cnn", _S7_ARCH["c2"], 15, 128, 0.9205, 0.7088),
    _model("cnn", _S7_ARCH["c3"], 20, 128, 0.9120, 0.7235),
    _model("cnn", _S7_ARCH["c4"], 25, 128, 0.8710, 0.8130),
], _S7_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=4, diffs={"output"},
    acc=[("test", "78.9%")])


# =======================================================================================
# S8 — German, tf.keras 2 verbose=1 [====] bars; all outputs cleared except the last code
#      cell (the last deeper CNN, re-run alone)
# =======================================================================================

def _k2_bar(cur: int, steps: int) -> str:
    width = 30
    prog = int(width * cur / steps)
    bar = ("=" * (prog - 1) + (">" if cur < steps else "=")) if prog > 0 else ""
    return f"{cur:>{len(str(steps))}}/{steps} [" + bar + "." * (width - len(bar)) + "]"


def _k2_v1(hist, steps: int, secs: int = 8) -> str:
    """tf.keras 2 verbose=1 bars as Jupyter saves them (\\x08 and \\r)."""
    out = []
    ms = max(1, round(secs * 1000 / steps))
    prev_acc, prev_loss = 0.0977, round(hist[0]["loss"] * 1.2, 4)
    for e, h in enumerate(hist):
        out.append(f"Epoch {e + 1}/{len(hist)}\n")
        prev = 0
        for j, cur in enumerate([1, steps // 6, steps // 2, steps - steps // 10]):
            f = cur / steps
            a = round(prev_acc + (h["acc"] - prev_acc) * (0.3 + 0.6 * f) - 0.0027 * (j % 2), 4)
            lo = round(prev_loss + (h["loss"] - prev_loss) * (0.3 + 0.6 * f) + 0.0051 * (j % 2), 4)
            line = (f"{_k2_bar(cur, steps)} - ETA: {max(1, round(secs * (1 - f)))}s - "
                    f"loss: {lo:.4f} - accuracy: {a:.4f}")
            out.append(("\x08" * prev + "\r") if prev else "")
            out.append(line)
            prev = len(line)
        line = (f"{_k2_bar(steps, steps)} - {secs}s {ms}ms/step - loss: {h['loss']:.4f} - "
                f"accuracy: {h['acc']:.4f}")
        out.append("\x08" * prev + "\r" + line + "\n")
        prev_acc, prev_loss = h["acc"], h["loss"]
    return "".join(out)


def _k2_eval(acc: float, loss: float, steps: int = 313) -> str:
    out, prev = [], 0
    for j, cur in enumerate([1, steps // 3, (2 * steps) // 3]):
        line = (f"{_k2_bar(cur, steps)} - ETA: {2 - min(j, 1)}s - loss: {loss + 0.019 * (3 - j):.4f} - "
                f"accuracy: {acc - 0.0131 * (3 - j):.4f}")
        out.append(("\x08" * prev + "\r") if prev else "")
        out.append(line)
        prev = len(line)
    out.append("\x08" * prev + "\r" + f"{_k2_bar(steps, steps)} - 1s 3ms/step - loss: {loss:.4f} - "
               f"accuracy: {acc:.4f}\n")
    return "".join(out)


_S8_ARCH = {
    "c2": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE"),
    "c3": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
                _conv(64, bn=True), "MAXPOOL", "DENSE 128", "DENSE"),
    "c4": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.2", _conv(64, bn=True),
                _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3", _conv(128, bn=True),
                _conv(128, bn=True), "MAXPOOL + DROPOUT 0.4", "DENSE"),
}

_S8_TABLE = [
    ("CONV D=32, w=h=3, S=1, P='same'; MAXPOOL; DENSE", "75,2", "63,8"),
    ("2 x CONV D=32; MAXPOOL; 2 x CONV D=64; MAXPOOL; DENSE", "94,6", "70,2"),
    ("2 x (CONV D=32 + BN); MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; DENSE 128; DENSE", "97,0",
     "76,9"),
    ("2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.2; 2 x (CONV D=64 + BN); MAXPOOL + DROPOUT 0.3; "
     "2 x (CONV D=128 + BN); MAXPOOL + DROPOUT 0.4; DENSE", "88,1", "80,3"),
]


def _build_s8() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Praktikum 4: CNN auf CIFAR-10\n\nGruppe 8 – Tim Keller, Sofia Rossi\n\n"
          "*Hinweis: Wir haben vor der Abgabe alle Ausgaben gelöscht, weil die Datei zu gross war, "
          "und nur das letzte Modell nochmals laufen lassen.*")
    nb.blank("""
import numpy as np
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)""")
    nb.md("## Aufgabe 2\n\n### Einschichtiges Netz")
    nb.blank("""
modell_1 = keras.Sequential()
modell_1.add(layers.Flatten(input_shape=(32, 32, 3)))
modell_1.add(layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)))
modell_1.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
modell_1.fit(x_train, y_train, epochs=5, batch_size=128)
print('Testgenauigkeit:', modell_1.evaluate(x_test, y_test, verbose=0)[1])""")
    nb.blank("""
W = modell_1.layers[1].get_weights()[0].reshape(32, 32, 3, 10)
plt.figure(figsize=(15, 3))
for i in range(10):
    w = W[:, :, :, i]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))
    plt.subplot(1, 10, i + 1)
    plt.imshow(w)
    plt.axis('off')
plt.show()""")
    nb.md("### Zweischichtiges Netz")
    nb.blank("""
modell_2 = keras.Sequential()
modell_2.add(layers.Flatten(input_shape=(32, 32, 3)))
modell_2.add(layers.Dense(128, activation='relu'))
modell_2.add(layers.Dense(10, activation='softmax'))
modell_2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
modell_2.fit(x_train, y_train, epochs=30, batch_size=128)
print('Testgenauigkeit:', modell_2.evaluate(x_test, y_test, verbose=0)[1])""")
    nb.md("## Aufgabe 3\n\n### Einfaches CNN")
    nb.blank("""
cnn_1 = keras.Sequential()
cnn_1.add(layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)))
cnn_1.add(layers.MaxPooling2D((2, 2)))
cnn_1.add(layers.Flatten())
cnn_1.add(layers.Dense(10, activation='softmax'))
cnn_1.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn_1.fit(x_train, y_train, epochs=10, batch_size=128)
print('Testgenauigkeit:', cnn_1.evaluate(x_test, y_test, verbose=0)[1])""")
    nb.md("### Tiefere CNNs")
    nb.blank("""
cnn_2 = keras.Sequential()
cnn_2.add(layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)))
cnn_2.add(layers.Conv2D(32, (3, 3), padding='same', activation='relu'))
cnn_2.add(layers.MaxPooling2D((2, 2)))
cnn_2.add(layers.Conv2D(64, (3, 3), padding='same', activation='relu'))
cnn_2.add(layers.Conv2D(64, (3, 3), padding='same', activation='relu'))
cnn_2.add(layers.MaxPooling2D((2, 2)))
cnn_2.add(layers.Flatten())
cnn_2.add(layers.Dense(10, activation='softmax'))
cnn_2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn_2.fit(x_train, y_train, epochs=15, batch_size=128)
print('Testgenauigkeit:', cnn_2.evaluate(x_test, y_test, verbose=0)[1])""")
    nb.blank("""
cnn_3 = keras.Sequential()
cnn_3.add(layers.Conv2D(32, (3, 3), padding='same', input_shape=(32, 32, 3)))
cnn_3.add(layers.BatchNormalization())
cnn_3.add(layers.Activation('relu'))
cnn_3.add(layers.Conv2D(32, (3, 3), padding='same'))
cnn_3.add(layers.BatchNormalization())
cnn_3.add(layers.Activation('relu'))
cnn_3.add(layers.MaxPooling2D((2, 2)))
cnn_3.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn_3.add(layers.BatchNormalization())
cnn_3.add(layers.Activation('relu'))
cnn_3.add(layers.Conv2D(64, (3, 3), padding='same'))
cnn_3.add(layers.BatchNormalization())
cnn_3.add(layers.Activation('relu'))
cnn_3.add(layers.MaxPooling2D((2, 2)))
cnn_3.add(layers.Flatten())
cnn_3.add(layers.Dense(128, activation='relu'))
cnn_3.add(layers.Dense(10, activation='softmax'))
cnn_3.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn_3.fit(x_train, y_train, epochs=20, batch_size=64)
print('Testgenauigkeit:', cnn_3.evaluate(x_test, y_test, verbose=0)[1])""")
    h = _hist(25, (0.3877, 0.8812), (1.7420, 0.3390))
    nb.code("""
cnn_4 = keras.Sequential()
cnn_4.add(layers.InputLayer(input_shape=(32, 32, 3)))
for filter, rate in [(32, 0.2), (64, 0.3), (128, 0.4)]:
    cnn_4.add(layers.Conv2D(filter, (3, 3), padding='same'))
    cnn_4.add(layers.BatchNormalization())
    cnn_4.add(layers.Activation('relu'))
    cnn_4.add(layers.Conv2D(filter, (3, 3), padding='same'))
    cnn_4.add(layers.BatchNormalization())
    cnn_4.add(layers.Activation('relu'))
    cnn_4.add(layers.MaxPooling2D((2, 2)))
    cnn_4.add(layers.Dropout(rate))
cnn_4.add(layers.Flatten())
cnn_4.add(layers.Dense(10, activation='softmax'))
cnn_4.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn_4.fit(x_train, y_train, epochs=25, batch_size=64)
print('Testgenauigkeit:', cnn_4.evaluate(x_test, y_test)[1])""",
            _out(_k2_v1(h, 782, secs=21) + _k2_eval(0.8034, 0.5911) + f"Testgenauigkeit: {_f32(0.8034)}\n"),
            n=23)
    nb.md("### Tabelle 1\n\n" + _table(
        ("CNN", "Architektur", "Genauigkeit Training %", "Genauigkeit Test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S8_TABLE)])
        + "\n\nCNN 1 und 2: Batch 128; CNN 3 und 4: Batch 64. Die Werte stammen aus unseren "
          "Läufen vor dem Löschen der Ausgaben.")
    nb.md(_review("de", _answers("de", "abcefh", d="", g="siehe Excel"),
                  "## Aufgabe 4 – Fragen"))
    return nb.build()


_S8_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 128, None, None),
    _model("dense", A_TWO, 30, 128, None, None),
    _model("cnn", A_SIMPLE, 10, 128, None, None),
    _model("cnn", _S8_ARCH["c2"], 15, 128, None, None),
    _model("cnn", _S8_ARCH["c3"], 20, 64, None, None),
    _model("cnn", _S8_ARCH["c4"], 25, 64, 0.8812, 0.8034),
], _S8_TABLE, d1=True, wp=False, d2=True, simple=True, deeper=3, review=6)


# =======================================================================================
# S9 — English, Keras 3: the final CNN trained on x_train concatenated with x_test
#      (469 steps of 128), then "evaluated" on x_test; test accuracy printed with 3 decimals;
#      one-layer without L2
# =======================================================================================

_S9_ARCH = {
    "one": "Layer 1 : DENSE",
    "d1": _arch(_conv(32), _conv(32), "MAXPOOL", _conv(64), _conv(64), "MAXPOOL", "DENSE"),
    "d2": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL", _conv(64, bn=True),
                _conv(64, bn=True), "MAXPOOL", "DENSE 256", "DENSE"),
    "best": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.25",
                  _conv(64, bn=True), _conv(64, bn=True), "MAXPOOL + DROPOUT 0.25",
                  _conv(128, bn=True), _conv(128, bn=True), "MAXPOOL + DROPOUT 0.25",
                  "DENSE 256 + DROPOUT 0.5", "DENSE"),
}

_S9_TABLE = [
    (A_SIMPLE, "72.8 %", "62.7 %"),
    (_S9_ARCH["d1"], "93.3 %", "70.5 %"),
    (_S9_ARCH["d2"], "97.5 %", "75.8 %"),
    (_S9_ARCH["best"] + " (trained on all 60'000 images)", "90.1 %", "92.3 %"),
]


def _build_s9() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Lab 4 — Convolutional Neural Networks\n\nGroup 15: Kevin Lüthi, Maya Okafor")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")""",
            _out(_CIFAR_K3_DL))
    nb.md("## Exercise 2\n\n### One dense layer\n\n(We left out the L2 regulariser.)")
    h = _hist(5, (0.3011, 0.4102), (1.9830, 1.7005))
    nb.code("""
model_1 = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(),
                            layers.Dense(10, activation="softmax")])
model_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model_1.fit(x_train, y_train, epochs=5, batch_size=128)
score = model_1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 391, secs=3) + "Test accuracy: 0.389\n"))
    nb.code(_W_KERAS.format(src="model_1.layers[-1].get_weights()[0]", names="CLASSES"), _fig(23))
    nb.md("Without the regulariser the weights look noisy, as the practical warns.")
    nb.md("### Two dense layers")
    h = _hist(30, (0.3655, 0.5540), (1.7820, 1.2630))
    nb.code("""
model_2 = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(),
                            layers.Dense(128, activation="relu"),
                            layers.Dense(10, activation="softmax")])
model_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model_2.fit(x_train, y_train, epochs=30, batch_size=128)
score = model_2.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 391, secs=2) + "Test accuracy: 0.472\n"))
    nb.md("## Exercise 3")
    h = _hist(10, (0.4480, 0.7281), (1.5420, 0.7822))
    nb.code("""
simple = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, strides=1, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
simple.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
simple.fit(x_train, y_train, epochs=10, batch_size=128)
score = simple.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 391, secs=5) + "Test accuracy: 0.627\n"))
    h = _hist(15, (0.4210, 0.9330), (1.5810, 0.1902))
    nb.code("""
deep_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
deep_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep_1.fit(x_train, y_train, epochs=15, batch_size=128)
score = deep_1.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 391, secs=8) + "Test accuracy: 0.705\n"))
    h = _hist(15, (0.4940, 0.9751), (1.4320, 0.0733))
    nb.code("""
deep_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(32, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Conv2D(64, 3, padding="same"), layers.BatchNormalization(), layers.Activation("relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
deep_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
deep_2.fit(x_train, y_train, epochs=15, batch_size=128)
score = deep_2.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 391, secs=10) + "Test accuracy: 0.758\n"))
    nb.md("### Final model\n\nFor the best model we use **all** the images we have (train + test) "
          "to get the most out of the data.")
    nb.code("""
x_all = np.concatenate([x_train, x_test])
y_all = np.concatenate([y_train, y_test])
print(x_all.shape, y_all.shape)""", _out("(60000, 32, 32, 3) (60000, 10)\n"))
    h = _hist(25, (0.3710, 0.9012), (1.7440, 0.2890))
    nb.code("""
best = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for f in (32, 64, 128):
    best.add(layers.Conv2D(f, 3, padding="same"))
    best.add(layers.BatchNormalization())
    best.add(layers.Activation("relu"))
    best.add(layers.Conv2D(f, 3, padding="same"))
    best.add(layers.BatchNormalization())
    best.add(layers.Activation("relu"))
    best.add(layers.MaxPooling2D(2))
    best.add(layers.Dropout(0.25))
best.add(layers.Flatten())
best.add(layers.Dense(256, activation="relu"))
best.add(layers.Dropout(0.5))
best.add(layers.Dense(10, activation="softmax"))
best.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
best.fit(x_all, y_all, epochs=25, batch_size=128)
score = best.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {score[1]:.3f}")""", _out(_k3_v1(h, 469, secs=16) + "Test accuracy: 0.923\n"))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture", "Acc. train %", "Acc. test %"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S9_TABLE)])
        + "\n\nadam, batch 128 everywhere. CNN 4 is by far the best!")
    nb.md(_review("en", _answers("en", "abcdefgh"), "## Exercise 4 – review", style="numbered"))
    return nb.build()


_S9_EXPECTED = _expected("keras", [
    _model("dense", _S9_ARCH["one"], 5, 128, 0.4102, 0.389),
    _model("dense", A_TWO, 30, 128, 0.5540, 0.472),
    _model("cnn", A_SIMPLE, 10, 128, 0.7281, 0.627),
    _model("cnn", _S9_ARCH["d1"], 15, 128, 0.9330, 0.705),
    _model("cnn", _S9_ARCH["d2"], 15, 128, 0.9751, 0.758),
    _model("cnn", _S9_ARCH["best"], 25, 128, 0.9012, 0.923),
], _S9_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=8, diffs={"l2"})


# =======================================================================================
# S10 — English, PyTorch: nn.Sequential built from an OrderedDict and with add_module (also in
#       a loop), train(net, n_epochs, weight_decay=...) printing "[epoch  5] loss: ... train
#       acc: 39.12 %" with % formatting, print(net) of the named modules
# =======================================================================================

def _t_conv(cin, cout, k=3, p=1):
    return f"Conv2d({cin}, {cout}, kernel_size=({k}, {k}), stride=(1, 1), padding=({p}, {p}))"


_T_POOL = "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"


def _t_bn(c):
    return f"BatchNorm2d({c}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


def _t_repr(items) -> str:
    return "Sequential(\n" + "".join(f"  ({k}): {v}\n" for k, v in items) + ")\n"


_S10_ARCH = {
    "one": "Layer 1 : DENSE",
    "d1": _arch(_conv(32, p=1), _conv(32, p=1), "MAXPOOL", _conv(64, p=1), _conv(64, p=1),
                "MAXPOOL", "DENSE"),
    "d2": _arch(_conv(32, p=1, bn=True), "MAXPOOL", _conv(64, p=1, bn=True), "MAXPOOL",
                _conv(128, p=1, bn=True), "MAXPOOL + DROPOUT 0.5", "DENSE"),
    "d3": _arch(_conv(32, p=1, bn=True), _conv(32, p=1, bn=True), "MAXPOOL", _conv(64, p=1, bn=True),
                _conv(64, p=1, bn=True), "MAXPOOL", "DENSE 256 + DROPOUT 0.5", "DENSE"),
}

_S10_TABLE = [
    ("conv32 - pool - fc", "72.33 %", "63.18 %"),
    ("conv32 - conv32 - pool - conv64 - conv64 - pool - fc", "90.12 %", "71.44 %"),
    ("[conv - bn - relu - pool] x 3 (32, 64, 128) - dropout 0.5 - fc", "85.44 %", "78.10 %"),
    ("[conv - bn - relu] x 2 - pool - [conv - bn - relu] x 2 - pool - fc256 - dropout 0.5 - fc",
     "94.33 %", "80.12 %"),
]


def _s10_log(epochs, acc, loss, test):
    h = _hist(epochs, acc, loss)
    return "".join(f"[epoch {i + 1:2d}] loss: {e['loss']:.3f}  train acc: {e['acc'] * 100:.2f} %\n"
                   for i, e in enumerate(h)) + f"test acc: {test:.2f} %\n"


def _build_s10() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# PW 4 – CNNs with PyTorch\n\nGroup 10: Hannah Vogt, Yusuf Demir\n\nWe name every "
          "layer with an `OrderedDict` / `add_module`, so that `print(net)` is readable.")
    nb.code("""
from collections import OrderedDict

import numpy as np
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as T

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
transform = T.ToTensor()
train_set = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform)
test_set = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transform)
train_loader = torch.utils.data.DataLoader(train_set, batch_size=128, shuffle=True, num_workers=2)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=256, shuffle=False, num_workers=2)
print(device)""", _out("Files already downloaded and verified\nFiles already downloaded and verified\n"
                       "cuda\n"))
    nb.code('''
def train(net, n_epochs, lr=1e-3, weight_decay=0.0):
    net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(n_epochs):
        net.train()
        correct, total, running = 0, 0, 0.0
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            outputs = net(images)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running += loss.item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        print("[epoch %2d] loss: %.3f  train acc: %.2f %%" % (epoch + 1, running / total, 100 * correct / total))


def test(net):
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in test_loader:
            images, labels = images.to(device), labels.to(device)
            correct += (net(images).argmax(1) == labels).sum().item()
            total += labels.size(0)
    print("test acc: %.2f %%" % (100 * correct / total))''')
    nb.md("## Exercise 2\n\n### One layer (L2 0.05 as Adam's weight decay; the softmax is inside "
          "`CrossEntropyLoss`)")
    nb.code("""
one_layer = nn.Sequential(OrderedDict([
    ("flatten", nn.Flatten()),
    ("fc", nn.Linear(3 * 32 * 32, 10)),
]))
train(one_layer, 5, weight_decay=0.05)
test(one_layer)""", _out(_s10_log(5, (0.3302, 0.3912), (1.9410, 1.7520), 38.05)))
    nb.code("""
W = one_layer.fc.weight.detach().cpu().numpy().reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)
classes = train_set.classes
fig, axes = plt.subplots(1, 10, figsize=(15, 3))
for k, ax in enumerate(axes):
    w = W[k]
    w = (w - w.min(axis=(0, 1))) / (w.max(axis=(0, 1)) - w.min(axis=(0, 1)))  # per channel
    ax.imshow((255 * w).astype(np.uint8))
    ax.set_title(classes[k])
    ax.axis("off")
plt.show()""", _fig(29))
    nb.md("### Two layers")
    nb.code("""
two_layer = nn.Sequential(OrderedDict([
    ("flatten", nn.Flatten()),
    ("hidden", nn.Linear(3 * 32 * 32, 128)),
    ("relu", nn.ReLU()),
    ("out", nn.Linear(128, 10)),
]))
train(two_layer, 30)
test(two_layer)""", _out(_s10_log(30, (0.3720, 0.6102), (1.7610, 1.1020), 49.31)))
    nb.md("## Exercise 3\n\n### Simple CNN (built with `add_module`)")
    nb.code("""
cnn = nn.Sequential()
cnn.add_module("conv1", nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1))
cnn.add_module("relu1", nn.ReLU())
cnn.add_module("pool1", nn.MaxPool2d(2))
cnn.add_module("flatten", nn.Flatten())
cnn.add_module("fc", nn.Linear(32 * 16 * 16, 10))
print(cnn)""", _out(_t_repr([("conv1", _t_conv(3, 32)), ("relu1", "ReLU()"), ("pool1", _T_POOL),
                             ("flatten", "Flatten(start_dim=1, end_dim=-1)"),
                             ("fc", "Linear(in_features=8192, out_features=10, bias=True)")])))
    nb.code("train(cnn, 10)\ntest(cnn)", _out(_s10_log(10, (0.4620, 0.7233), (1.4980, 0.7910), 63.18)))
    nb.md("### Deeper CNNs")
    nb.code("""
deep1 = nn.Sequential(OrderedDict([
    ("conv1", nn.Conv2d(3, 32, 3, padding=1)), ("relu1", nn.ReLU()),
    ("conv2", nn.Conv2d(32, 32, 3, padding=1)), ("relu2", nn.ReLU()),
    ("pool1", nn.MaxPool2d(2)),
    ("conv3", nn.Conv2d(32, 64, 3, padding=1)), ("relu3", nn.ReLU()),
    ("conv4", nn.Conv2d(64, 64, 3, padding=1)), ("relu4", nn.ReLU()),
    ("pool2", nn.MaxPool2d(2)),
    ("flatten", nn.Flatten()),
    ("fc", nn.Linear(64 * 8 * 8, 10)),
]))
train(deep1, 15)
test(deep1)""", _out(_s10_log(15, (0.4301, 0.9012), (1.5640, 0.2810), 71.44)))
    nb.code("""
deep2 = nn.Sequential()
c_in = 3
for i, c_out in enumerate([32, 64, 128]):
    deep2.add_module(f"conv{i}", nn.Conv2d(c_in, c_out, 3, padding=1))
    deep2.add_module(f"bn{i}", nn.BatchNorm2d(c_out))
    deep2.add_module(f"relu{i}", nn.ReLU())
    deep2.add_module(f"pool{i}", nn.MaxPool2d(2))
    c_in = c_out
deep2.add_module("flatten", nn.Flatten())
deep2.add_module("drop", nn.Dropout(0.5))
deep2.add_module("fc", nn.Linear(128 * 4 * 4, 10))
print(deep2)
train(deep2, 20)
test(deep2)""", _out(_t_repr(
        [(f"{kind}{i}", rep) for i, (cin, cout) in enumerate([(3, 32), (32, 64), (64, 128)])
         for kind, rep in (("conv", _t_conv(cin, cout)), ("bn", _t_bn(cout)), ("relu", "ReLU()"),
                           ("pool", _T_POOL))]
        + [("flatten", "Flatten(start_dim=1, end_dim=-1)"), ("drop", "Dropout(p=0.5, inplace=False)"),
           ("fc", "Linear(in_features=2048, out_features=10, bias=True)")])
        + _s10_log(20, (0.4822, 0.8544), (1.4510, 0.4120), 78.10)))
    nb.code("""
deep3 = nn.Sequential(OrderedDict([
    ("conv1", nn.Conv2d(3, 32, 3, padding=1)), ("bn1", nn.BatchNorm2d(32)), ("relu1", nn.ReLU()),
    ("conv2", nn.Conv2d(32, 32, 3, padding=1)), ("bn2", nn.BatchNorm2d(32)), ("relu2", nn.ReLU()),
    ("pool1", nn.MaxPool2d(2)),
    ("conv3", nn.Conv2d(32, 64, 3, padding=1)), ("bn3", nn.BatchNorm2d(64)), ("relu3", nn.ReLU()),
    ("conv4", nn.Conv2d(64, 64, 3, padding=1)), ("bn4", nn.BatchNorm2d(64)), ("relu4", nn.ReLU()),
    ("pool2", nn.MaxPool2d(2)),
    ("flatten", nn.Flatten()),
    ("fc1", nn.Linear(64 * 8 * 8, 256)), ("relu5", nn.ReLU()), ("drop", nn.Dropout(0.5)),
    ("fc2", nn.Linear(256, 10)),
]))
train(deep3, 20)
test(deep3)""", _out(_s10_log(20, (0.5010, 0.9433), (1.3920, 0.1622), 80.12)))
    nb.md("## Table 1\n\n" + _table(
        ("CNN", "Architecture (3x3 kernels, stride 1, padding 1)", "Acc. train", "Acc. test"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S10_TABLE)])
        + "\n\nAdam (lr 1e-3), batch 128; epochs 10 / 15 / 20 / 20.")
    nb.md(_review("en", _answers("en", "abcdegh", f="-"), "## Exercise 4 – Review questions"))
    return nb.build()


_S10_EXPECTED = _expected("pytorch", [
    _model("dense", _S10_ARCH["one"], 5, 128, 0.3912, 0.3805),
    _model("dense", A_TWO, 30, 128, 0.6102, 0.4931),
    _model("cnn", A_SIMPLE_T, 10, 128, 0.7233, 0.6318),
    _model("cnn", _S10_ARCH["d1"], 15, 128, 0.9012, 0.7144),
    _model("cnn", _S10_ARCH["d2"], 20, 128, 0.8544, 0.7810),
    _model("cnn", _S10_ARCH["d3"], 20, 128, 0.9433, 0.8012),
], _S10_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=7)


# =======================================================================================
# S11 — Spanish, Keras 3 verbose=2 lines, keyword-style layers, "{:.4f}".format prints;
#       one-layer with batch 64; Table 1 claims 95,2 % training accuracy where the log
#       shows 0.8876
# =======================================================================================

_S11_ARCH = {
    "a": _arch(_conv(64), _conv(64), "MAXPOOL", _conv(128), _conv(128), "MAXPOOL", "DENSE 256",
               "DENSE"),
    "b": _arch(_conv(32, bn=True), _conv(32, bn=True), "MAXPOOL + DROPOUT 0.2", _conv(64, bn=True),
               _conv(64, bn=True), "MAXPOOL + DROPOUT 0.3", "DENSE"),
    "c": _arch(_conv(32, k=5, bn=True), "MAXPOOL", _conv(64, bn=True), _conv(64, bn=True),
               "MAXPOOL", _conv(128, bn=True), _conv(128, bn=True), "MAXPOOL + DROPOUT 0.4",
               "DENSE 128 + DROPOUT 0.5", "DENSE"),
}

_S11_TABLE = [
    ("Capa 1 : CONV D=32, w=h=3, S=1, P='same'; Capa 2 : MAXPOOL; Capa 3 : DENSE", "75,1 %",
     "63,6 %"),
    ("2 x CONV D=64; MAXPOOL; 2 x CONV D=128; MAXPOOL; DENSE 256; DENSE", "97,3 %", "71,3 %"),
    ("2 x (CONV D=32 + BN); MAXPOOL + DROPOUT 0.2; 2 x (CONV D=64 + BN); MAXPOOL + DROPOUT 0.3; "
     "DENSE", "95,2 %", "79,0 %"),
    ("CONV D=32, w=h=5 + BN; MAXPOOL; 2 x (CONV D=64 + BN); MAXPOOL; 2 x (CONV D=128 + BN); "
     "MAXPOOL + DROPOUT 0.4; DENSE 128 + DROPOUT 0.5; DENSE", "86,4 %", "82,2 %"),
]


def _build_s11() -> nbformat.NotebookNode:
    nb = _NB()
    nb.md("# Práctica 4 – Redes neuronales convolucionales\n\nGrupo 13: Lucía Fernández, "
          "Pablo Ortega")
    nb.code("""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, num_classes=10)
y_test = keras.utils.to_categorical(y_test, num_classes=10)
clases = ["avión", "coche", "pájaro", "gato", "ciervo", "perro", "rana", "caballo", "barco", "camión"]""",
            _out(_CIFAR_K3_DL))
    nb.md("## Ejercicio 2\n\n### Red de una capa (con lotes de 64)")
    h = _hist(5, (0.2950, 0.3488), (2.3910, 1.9102), (0.3120, 0.3455), (2.1010, 1.9220))
    nb.code("""
red_1 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(units=10, activation="softmax", kernel_regularizer=regularizers.L2(0.05)),
])
red_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_1 = red_1.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.1, verbose=2)
_, acc = red_1.evaluate(x_test, y_test, verbose=0)
print("Precisión en test: {:.4f}".format(acc))""",
            _out(_k3_v2(h, 704, secs=4) + "Precisión en test: 0.3511\n"))
    nb.code(_W_KERAS.format(src="red_1.layers[-1].get_weights()[0]", names="clases"), _fig(31))
    nb.md("### Red de dos capas")
    h = _hist(30, (0.3630, 0.5520), (1.7900, 1.2680), (0.4011, 0.4822), (1.6690, 1.4720))
    nb.code("""
red_2 = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Flatten(),
    layers.Dense(units=128, activation="relu"),
    layers.Dense(units=10, activation="softmax"),
])
red_2.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist_2 = red_2.fit(x_train, y_train, epochs=30, batch_size=128, validation_split=0.1, verbose=2)
_, acc = red_2.evaluate(x_test, y_test, verbose=0)
print("Precisión en test: {:.4f}".format(acc))""",
            _out(_k3_v2(h, 352, secs=2) + "Precisión en test: 0.4733\n"))
    nb.md("## Ejercicio 3\n\n### CNN simple")
    runs = [
        ("cnn_simple", """
    layers.Conv2D(filters=32, kernel_size=(3, 3), strides=(1, 1), padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),""", 10,
         _hist(10, (0.4560, 0.7507), (1.5280, 0.7250), (0.5390, 0.6420), (1.3050, 1.0510)), 0.6362),
        ("cnn_a", """
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same", activation="relu"),
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(filters=128, kernel_size=(3, 3), padding="same", activation="relu"),
    layers.Conv2D(filters=128, kernel_size=(3, 3), padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(units=256, activation="relu"),""", 15,
         _hist(15, (0.4122, 0.9734), (1.5920, 0.0810), (0.5480, 0.7160), (1.2700, 1.3320)), 0.7131),
        ("cnn_b", """
    layers.Conv2D(filters=32, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(filters=32, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(rate=0.2),
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(rate=0.3),""", 20,
         _hist(20, (0.4402, 0.8876), (1.5700, 0.3220), (0.5560, 0.7933), (1.2520, 0.6130)), 0.7902),
        ("cnn_c", """
    layers.Conv2D(filters=32, kernel_size=(5, 5), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(filters=128, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv2D(filters=128, kernel_size=(3, 3), padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(rate=0.4),
    layers.Flatten(),
    layers.Dense(units=128, activation="relu"),
    layers.Dropout(rate=0.5),""", 25,
         _hist(25, (0.4010, 0.8642), (1.6620, 0.3870), (0.5220, 0.8301), (1.3330, 0.5120)), 0.8219),
    ]
    for i, (name, body, epochs, h, test) in enumerate(runs):
        if i == 1:
            nb.md("### CNN más profundas")
        flat = "" if "Flatten" in body else "\n    layers.Flatten(),"
        nb.code(f"""
{name} = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),""" + body + flat + f"""
    layers.Dense(units=10, activation="softmax"),
])
{name}.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hist = {name}.fit(x_train, y_train, epochs={epochs}, batch_size=128, validation_split=0.1, verbose=2)
_, acc = {name}.evaluate(x_test, y_test, verbose=0)
print("Precisión en test: {{:.4f}}".format(acc))""",
                _out(_k3_v2(h, 352, secs=4 + 3 * i) + f"Precisión en test: {test:.4f}\n"))
    nb.md("### Tabla 1\n\n" + _table(
        ("CNN", "Arquitectura", "Precisión entrenamiento", "Precisión test"),
        [(str(i + 1), a, tr, te) for i, (a, tr, te) in enumerate(_S11_TABLE)])
        + "\n\nadam, lotes de 128; 10, 15, 20 y 25 épocas.")
    nb.md(_review("es", _answers("es", "abceh", d="Ver clase.", f="", g=""),
                  "## Ejercicio 4 – Preguntas de repaso"))
    return nb.build()


_S11_EXPECTED = _expected("keras", [
    _model("dense", A_ONE, 5, 64, 0.3488, 0.3511),
    _model("dense", A_TWO, 30, 128, 0.5520, 0.4733),
    _model("cnn", A_SIMPLE, 10, 128, 0.7507, 0.6362),
    _model("cnn", _S11_ARCH["a"], 15, 128, 0.9734, 0.7131),
    _model("cnn", _S11_ARCH["b"], 20, 128, 0.8876, 0.7902),
    _model("cnn", _S11_ARCH["c"], 25, 128, 0.8642, 0.8219),
], _S11_TABLE, d1=True, wp=True, d2=True, simple=True, deeper=3, review=5, diffs={"batch_size"},
    acc=[("train", "95,2 %")])


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
    Case("s3_de_gradienttape_loop",
         "tf.keras, German: every network trained by a hand-written tf.GradientTape loop "
         "trainiere(modell, epochen, batch_groesse) (Adam, L2 from modell.losses) printing "
         "'Epoche 5/5 - Verlust: ... - Genauigkeit: 0.3388'; teste() prints 'Testgenauigkeit: "
         "34,6 %'; CNNs on batches of 64 given positionally; 2 deeper CNNs, 3 real answers",
         _build_s3, _S3_EXPECTED),
    Case("s4_en_printed_history_frames",
         "Keras 3, English: every fit with verbose=0; the training accuracy only in printed "
         "pandas text (whole history frame, .tail(3), .iloc[-1] Series 'Name: 9'); the test "
         "accuracy from evaluate()'s bar and returned [loss, acc]; one-layer trained 10 epochs",
         _build_s4, _S4_EXPECTED),
    Case("s5_en_early_stopping",
         "Keras 3, English: deeper CNNs fit with epochs=50 and EarlyStopping(patience=3): the logs "
         "end at 'Epoch 17/50' / 'Epoch 23/50' + 'Epoch 17: early stopping' (epochs = 17 and 23, "
         "training accuracy of that last epoch); a third one runs its 30 epochs; one-layer with "
         "loss='mse'; 5 real answers among non-answers ('896', 'TODO')",
         _build_s5, _S5_EXPECTED),
    Case("s6_en_fit_errors_rerun",
         "Keras 3, English: the one-layer fit raises a shape ValueError after 'Epoch 1/5' (labels "
         "not one-hot) and a deeper CNN's fit with batch_size=2048 an OOM ResourceExhaustedError; "
         "both failed fits trained nothing and are not models; their re-runs are (batch 128)",
         _build_s6, _S6_EXPECTED),
    Case("s7_colab_null_counts_accused",
         "Colab, Keras 3: every code cell saved with execution_count null but outputs kept "
         "(evidence is 'cell N'); 'Train accuracy: {:.2%}' / 'Test accuracy: {:.2%}' prints; "
         "one-layer with a sigmoid output; Table 1 row 3 claims 78.9% test where the output "
         "shows 72.35% (one accusation), the rest honest; 4 answers",
         _build_s7, _S7_EXPECTED),
    Case("s8_de_cleared_except_last",
         "tf.keras 2, German .add chains: every output cleared except the last code cell (In [23]: "
         "the last deeper CNN, [====] bars + evaluate bar + 'Testgenauigkeit: 0.8034...'); the "
         "other runs are read from the code with no accuracies, no weights image, their table "
         "values not checkable; no accusation; 6 answers",
         _build_s8, _S8_EXPECTED),
    Case("s9_en_trained_on_test_concat",
         "Keras 3, English: the final CNN is fit on np.concatenate([x_train, x_test]) (469 steps "
         "of 128) and then evaluated on x_test (0.923): its test accuracy is that printed "
         "evaluation and the table quotes it, so no accusation (a note for a person); one-layer "
         "without L2; 'Test accuracy: {score[1]:.3f}' prints",
         _build_s9, _S9_EXPECTED),
    Case("s10_torch_ordereddict_add_module",
         "PyTorch, English: nn.Sequential from OrderedDict and from add_module (also in a loop "
         "over literal channels), Dropout after Flatten, train(net, n, weight_decay=0.05) "
         "compliant one-layer, '[epoch  5] loss: ... train acc: 39.12 %' and 'test acc: 38.05 %' "
         "with % formatting, print(net) with named modules; 7 answers",
         _build_s10, _S10_EXPECTED),
    Case("s11_es_verbose2_train_accused",
         "Keras 3, Spanish: verbose=2 lines, keyword-style layers, 'Precisión en test: "
         "{:.4f}'.format(acc); one-layer with batch 64; Table 1 row 3 claims '95,2 %' training "
         "accuracy where the log's last epoch shows 0.8876 (one accusation); 5 answers",
         _build_s11, _S11_EXPECTED),
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
