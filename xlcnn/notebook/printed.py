"""What a code cell's saved output shows, line by line: Keras fit logs, evaluation bars, the
accuracies students print in their own words, model summaries.

Nothing here knows which model printed what: :mod:`xlcnn.notebook.attribution` pairs these
pieces with the calls the code makes. Accuracies are fractions 0..1 (``86.21`` and ``86.21 %``
are 0.8621). Labels are read in English, French and German.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import frameworks

NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?(?:[eE]-?\d+)?)\s*(%?)")
EPOCH_HEADER = re.compile(r"^\s*Epoch\s+(\d+)\s*/\s*(\d+)\s*$")
_STEPS = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\b")
_KERAS_METRIC = re.compile(r"(?<![\w])(val_)?(acc|accuracy|categorical_accuracy|sparse_categorical_accuracy)"
                           r"\s*:\s*([0-9]+(?:\.[0-9]+)?(?:e-?\d+)?)")
_ACC = re.compile(r"acc|précision|precision|precisión|genauigkeit|exactitude|exactitud|treffer|korrekt|richtig", re.I)
_LOSS = re.compile(r"loss|perte|verlust|fehler|coût|cout|erreur", re.I)
_TEST = re.compile(r"test|prüf|prueba", re.I)
_VAL = re.compile(r"(?<![a-z])val|valid", re.I)
_TRAIN = re.compile(r"train|entra[iî]n|apprentissage|lern|addestra|allena|entrena", re.I)
_EPOCH_WORD = re.compile(r"(?<![a-z])(?:epoch|epoche|époque|epoque|ep|epoch_)\s*[\[#:=]?\s*(\d+)", re.I)
_LIST = re.compile(r"^\s*\[\s*([0-9.eE+-]+)\s*,\s*([0-9.eE+-]+)\s*\]\s*$")


def fraction(value: str, percent: str = "") -> float | None:
    """A printed accuracy as a fraction: "0.4012" -> 0.4012, "40.1" or "40.1%" -> 0.401."""
    try:
        v = float(value.replace(",", "."))
    except ValueError:
        return None
    if percent or v > 1.0:
        v /= 100
    return v if 0.0 <= v <= 1.0 else None


def quote(line: str, limit: int = 110) -> str:
    """An output line as evidence: stripped, cut at ``limit`` characters."""
    line = " ".join(line.split())
    line = re.sub(r"\[?[━=.>\-]{4,}\]?\s*", "", line)  # a progress bar says nothing a TA checks
    line = re.sub(r"(?:-\s*)?(?:ETA: \S+|\d+m?s(?:/step|/epoch)?|\d+m?s \d+m?s/step)\s*(?=-|$)", "", line)
    line = re.sub(r"\s+-\s+-\s+", " - ", line).strip(" -")
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass
class Epoch:
    number: int
    total: int
    train: float | None
    val: float | None
    line: str


@dataclass
class FitLog:
    """A Keras fit log: ``Epoch k/N`` headers, each followed by the epoch's last complete line."""

    first: int  # line indices in the cell's output
    last: int
    epochs: list[Epoch] = field(default_factory=list)

    @property
    def final(self) -> Epoch | None:
        return self.epochs[-1] if self.epochs else None


@dataclass
class Bar:
    """A complete Keras progress line outside a fit log: ``evaluate``'s output."""

    index: int
    accuracy: float | None
    line: str


@dataclass
class Mention:
    """An accuracy a student printed: its value, what its label says (train, test, val or None) and the line."""

    index: int
    value: float
    split: str | None
    line: str
    epoch: int | None = None


def _metrics(line: str) -> tuple[float | None, float | None]:
    train = val = None
    for m in _KERAS_METRIC.finditer(line):
        v = fraction(m.group(3))
        if m.group(1):
            val = v
        else:
            train = v
    return train, val


def _complete(line: str) -> bool:
    """A progress line at its end: ``391/391 …`` (or no step counter) and no ETA."""
    if "ETA" in line:
        return False
    m = _STEPS.match(line)
    return m is None or m.group(1) == m.group(2)


def is_metric_line(line: str) -> bool:
    return bool(_KERAS_METRIC.search(line)) and ("loss" in line) and (" - " in line or "━" in line)


@dataclass
class Frame:
    """A training history printed as a table (``pd.DataFrame(history.history)``, its ``tail()``, a row
    of it as a Series): one row per epoch (the row's index + 1), its training and validation accuracy."""

    first: int
    last: int
    epochs: list[Epoch]

    @property
    def final(self) -> Epoch | None:
        return self.epochs[-1] if self.epochs else None


_FRAME_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|nan"
_ACC_COLUMN = re.compile(r"^(val_)?(acc|accuracy|categorical_accuracy|sparse_categorical_accuracy|train_acc\w*)$")


def _frame_column(name: str) -> str | None:
    """"train" or "val" for a history column holding an accuracy, else None."""
    m = _ACC_COLUMN.match(name)
    if m:
        return "val" if m.group(1) else "train"
    return "val" if re.fullmatch(r"val\w*_acc\w*", name) else None


def history_frames(lines: list[str]) -> list[Frame]:
    """Every history table in a cell's output: a header of column names (one an accuracy), then rows
    of an integer index and as many numbers; or a Series of ``name value`` lines ending ``Name: k``."""
    frames: list[Frame] = []
    i = 0
    while i < len(lines):
        names = lines[i].split()
        if 2 <= len(names) <= 12 and all(re.fullmatch(r"[A-Za-z_]\w*", n) for n in names) and any(
                _frame_column(n) for n in names):
            numbered = names[0].lower() == "epoch"  # a log table (skorch): the epoch is the first column, from 1
            cols = names[1:] if numbered else names
            row = re.compile(r"^\s*(\d+)\s+" + r"\s+".join([f"({_FRAME_NUM})"] * len(cols)) + r"\s*$")
            k, epochs = i + 1, []
            if k < len(lines) and re.fullmatch(r"[\s\-=]+", lines[k] or "x"):
                k += 1  # the rule under a log table's header
            while k < len(lines) and (m := row.match(lines[k])):
                values = dict(zip(cols, m.groups()[1:], strict=True))
                train = next((fraction(v) for n, v in values.items() if _frame_column(n) == "train"), None)
                val = next((fraction(v) for n, v in values.items() if _frame_column(n) == "val"), None)
                epochs.append(Epoch(int(m.group(1)) + (0 if numbered else 1), 0, train, val, lines[k]))
                k += 1
            if epochs:
                frames.append(Frame(i, k - 1, epochs))
                i = k
                continue
        series = re.match(r"^Name:\s*(\d+),\s*dtype:", lines[i])
        if series:  # history_df.iloc[-1]: "accuracy   0.4102" lines above "Name: 4, dtype: float64"
            k, values = i - 1, {}
            while k >= 0 and (m := re.match(rf"^([A-Za-z_]\w*)\s+({_FRAME_NUM})\s*$", lines[k])):
                values[m.group(1)] = m.group(2)
                k -= 1
            train = next((fraction(v) for n, v in values.items() if _frame_column(n) == "train"), None)
            val = next((fraction(v) for n, v in values.items() if _frame_column(n) == "val"), None)
            if train is not None or val is not None:
                shown = " ".join(f"{n} {v}" for n, v in reversed(values.items()) if _frame_column(n))
                frames.append(Frame(k + 1, i, [Epoch(int(series.group(1)) + 1, 0, train, val,
                                                     f"{shown} (row {series.group(1)})")]))
        i += 1
    return frames


@dataclass
class Output:
    """One cell's output, read: its lines, fit logs, bars and printed accuracies."""

    lines: list[str]
    logs: list[FitLog] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    lists: list[tuple[int, float | None, str]] = field(default_factory=list)  # "[loss, acc]" lines
    frames: list[Frame] = field(default_factory=list)  # histories printed as tables

    def in_log(self, index: int) -> bool:
        return any(log.first <= index <= log.last for log in self.logs)

    def in_frame(self, index: int) -> bool:
        return any(f.first <= index <= f.last for f in self.frames)

    def epoch_runs(self) -> list[list[Mention]]:
        """The training runs the students' own per-epoch lines show, outside Keras logs: accuracies
        printed with an epoch number ("Epoch 3: train_acc=0.61", a Lightning or tqdm bar, "époque 3 ..."),
        one run while the numbers go up, a new one when they start again."""
        runs: list[list[Mention]] = []
        last = None
        for m in self.mentions:
            if m.epoch is None or self.in_log(m.index):
                continue
            if last is None or m.epoch < last or (m.epoch == last and runs and m.index != runs[-1][-1].index
                                                  and any(x.epoch == m.epoch and x.split == m.split
                                                          for x in runs[-1])):
                runs.append([])
            runs[-1].append(m)
            last = m.epoch
        return runs


MAX_LINES = 5000  # lines of one cell's output read (the first and the last; a log keeps every epoch's line)


def read_output(text: str) -> Output:
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES // 5] + ["[…]"] + lines[-(MAX_LINES - MAX_LINES // 5):]
    out = Output(lines)
    out.frames = history_frames(lines)
    log: FitLog | None = None
    waiting: Epoch | None = None  # a header whose epoch line is not seen yet
    for i, line in enumerate(lines):
        header = EPOCH_HEADER.match(line)
        if header:
            k, n = int(header.group(1)), int(header.group(2))
            if log is None or k <= (log.epochs[-1].number if log.epochs else 0) or waiting is not None and k == 1:
                log = FitLog(i, i)
                out.logs.append(log)
            waiting = Epoch(k, n, None, None, "")
            log.last = i
            continue
        if is_metric_line(line):
            if waiting is not None and _complete(line):
                waiting.train, waiting.val = _metrics(line)
                waiting.line = line
                log.epochs.append(waiting)
                log.last = i
                waiting = None
                continue
            if waiting is not None:  # a partial line of the epoch in progress
                log.last = i
                continue
            if _complete(line):
                out.bars.append(Bar(i, _metrics(line)[0], line))
                log = None
                continue
        elif waiting is not None and not line.strip():
            continue
        if log is not None and waiting is None and line.strip():
            log = None
        lst = _LIST.match(line)
        if lst:
            out.lists.append((i, fraction(lst.group(2)), line))
            continue
        if out.in_frame(i):  # a history table: read as one (its rows are epochs, not printed results)
            continue
        out.mentions.extend(mentions(i, line))
    return out


def mentions(index: int, line: str) -> list[Mention]:
    """The accuracies one printed line gives, each with the split its label names."""
    found: list[Mention] = []
    if len(line) > 2000:
        return found
    epoch = _EPOCH_WORD.search(line)
    epoch_no = int(epoch.group(1)) if epoch else None
    prev_end = 0  # a number's label starts after the previous value (a count such as "10000 images" is not one)
    scope_start = 0  # the split words that count for a number stand after the previous accuracy
    pending: list[str | None] = []  # "Train/Test accuracy: 0.72 / 0.61": the splits the next values take in turn
    for m in NUMBER.finditer(line):
        label = line[prev_end:m.start()]
        acc = [a.end() for a in _ACC.finditer(label)]
        loss = [a.end() for a in _LOSS.finditer(label)]
        value = fraction(m.group(1), m.group(2))
        whole = not (m.group(2) or "." in m.group(1) or "," in m.group(1))
        if whole and re.match(r"\s*[^\W\d_]", line[m.end():]):
            value = None  # a whole number followed by a word counts something ("after 20 epochs")
        if whole and re.match(r"\s*[:=]\s*\d", line[m.end():]):
            value = None  # a whole number that a value follows names something ("CNN 2: 0.65", "epoch 10: 0.66")
        if value is not None and ("." in m.group(1) or "," in m.group(1) or m.group(2) or acc):
            prev_end = m.end()  # a value; a count ("10000 test images") leaves the label going on
        if value is not None and pending and found and re.fullmatch(r"\s*/\s*", line[scope_start:m.start()]):
            found.append(Mention(index, value, pending.pop(0), line, epoch_no))
            scope_start = m.end()
            continue
        pending = []
        if not acc or (loss and max(loss) > max(acc)) or value is None:
            continue
        scope = line[scope_start:m.start()]
        words = {"test": [w.end() for w in _TEST.finditer(scope)], "val": [w.end() for w in _VAL.finditer(scope)],
                 "train": [w.end() for w in _TRAIN.finditer(scope)]}
        split = max(((max(v), k) for k, v in words.items() if v), default=(0, None))[1]
        named = sorted((end, k) for k, ends in words.items() for end in ends)
        if len({k for _, k in named}) > 1 and re.search(r"(?:test|val\w*|train\w*)\s*/\s*(?:test|val|train)", scope,
                                                         re.I):
            split, *pending = [k for _, k in named]  # the values that follow, split by "/", in the label's order
        found.append(Mention(index, value, split, line, epoch_no))
        scope_start = m.end()
    return found


# ------------------------------------------------------------------------------------ summaries

_SHAPE = re.compile(r"\(None((?:,\s*\d+)*)\)")
_TORCH_LINE = re.compile(r"^\s*(?:\((?P<name>[\w.]+)\):\s*)?(?P<type>Conv2d|Linear|MaxPool2d|AvgPool2d|BatchNorm2d|"
                         r"BatchNorm1d|Dropout2?d?|ReLU|Flatten|Softmax|LogSoftmax|AdaptiveAvgPool2d)\((?P<args>.*)\)\s*$")


@dataclass
class ShownLayer:
    """A layer as a summary or a PyTorch repr shows it (only what it shows; None where it does not)."""

    kind: str
    filters: int | None = None
    kernel: tuple | None = None
    stride: tuple | None = None
    padding: object = None
    units: int | None = None
    size: tuple | None = None
    rate: float | None = None


SUMMARY_KINDS = frameworks.printed_kinds("summary")  # a summary's layer types, as each framework declares them
REPR_KINDS = frameworks.printed_kinds("repr")  # a printed module's types


def _square_root(value: float) -> int | None:
    root = round(value ** 0.5) if value > 0 else 0
    return root if root > 0 and root * root == round(value) and abs(value - round(value)) < 1e-9 else None


def _conv_geometry(size_in: int, size_out: int, kernel: int) -> tuple[int, str] | None:
    """Stride and padding ('same' or 'valid') that turn ``size_in`` into ``size_out`` (stride 1 first)."""
    for stride in range(1, max(2, kernel) + 1):
        if -(-size_in // stride) == size_out:
            return stride, "same"
        if size_in >= kernel and (size_in - kernel) // stride + 1 == size_out:
            return stride, "valid"
    return None


_BOX = re.compile(r"[│┃]")
_RULE = set("=_-━─┏┓┗┛┡┩╇┳┻├┤┼└┘┌┐┬┴│┃╭╮╰╯ ")


def _summary_rows(text: str) -> list[list[list]]:
    """The rows ``[name (Type), output dims, params]`` of each summary table in ``text``."""
    tables: list[list[list]] = []
    current: list[list] | None = None
    for line in text.split("\n"):
        if "Layer (type)" in line:
            current = []
            tables.append(current)
            continue
        if current is None:
            continue
        stripped = line.strip()
        if stripped.startswith(("Total params", "Trainable params", "Non-trainable")):
            current = None
            continue
        if not stripped or set(stripped) <= _RULE:
            continue
        cells = [c.strip() for c in _BOX.split(line)[1:-1]] if _BOX.search(line) else re.split(r"\s{2,}", stripped)
        inner = _SHAPE.search(cells[0]) if cells else None
        if inner and inner.start() > 0:  # "max_pooling2d (MaxPooling2D (None, 16, 16, 32)": one space before the shape
            cells[:1] = [cells[0][:inner.start()].strip(), cells[0][inner.start():].strip()]
        shape_at = next((k for k, c in enumerate(cells) if _SHAPE.search(c)), None)
        if shape_at is not None and shape_at > 0 and cells[0]:
            shape = _SHAPE.search(cells[shape_at])
            params = cells[shape_at + 1].replace(",", "") if shape_at + 1 < len(cells) else ""
            current.append([cells[0], tuple(int(d) for d in re.findall(r"\d+", shape.group(1))),
                            int(params) if params.isdigit() else None])
        elif current and cells and cells[0]:  # the first column wrapped onto the next line
            head = current[-1][0]
            glue = "" if "(" in head and not head.endswith(")") else " "
            current[-1][0] = head + glue + cells[0]
    return tables


def _keras_kind(name_type: str) -> str:
    m = re.search(r"\((\w+)\)?\s*$", name_type)
    if not m:
        return "other"
    typ = m.group(1)
    if typ in SUMMARY_KINDS:
        return SUMMARY_KINDS[typ]
    kinds = {SUMMARY_KINDS[k] for k in SUMMARY_KINDS if k.startswith(typ)} if len(typ) >= 4 else set()
    return kinds.pop() if len(kinds) == 1 else "other"  # a name cut short: what every name it may be is


def keras_summaries(text: str) -> list[list[ShownLayer]]:
    """The layers of each Keras ``model.summary()`` table in ``text`` (Keras 2 text or Keras 3 boxes):
    filters and units from the output shapes, the kernel from the parameter count, stride and
    padding from the shapes before and after."""
    out = []
    for table in _summary_rows(text):
        layers: list[ShownLayer] = []
        shape: tuple = (32, 32, 3)  # CIFAR-10's, unless an input row says otherwise
        for name_type, dims, params in table:
            kind = _keras_kind(name_type)
            if kind == "input":
                shape = dims or shape
                continue
            layer = ShownLayer(kind)
            if kind == "conv" and len(dims) == 3 and len(shape) == 3:
                layer.filters = dims[2]
                if params:
                    for bias in (1, 0):
                        k = _square_root((params / dims[2] - bias) / shape[2])
                        if k:
                            layer.kernel = (k, k)
                            geo = _conv_geometry(shape[0], dims[0], k)
                            if geo:
                                layer.stride, layer.padding = (geo[0], geo[0]), geo[1]
                            break
            elif kind == "dense" and dims:
                layer.units = dims[-1]
            elif kind in ("maxpool", "avgpool") and len(dims) == 3 and len(shape) == 3 and dims[0]:
                p = shape[0] // dims[0]
                layer.size = (p, p)
            if dims:
                shape = dims
            if kind in ("conv", "dense", "maxpool", "avgpool", "bn", "dropout", "gap"):
                layers.append(layer)
        if layers:
            out.append(layers)
    return out


def _tuple(args: str, key: str) -> tuple | None:
    m = re.search(key + r"=\((\d+),\s*(\d+)\)", args) or re.search(key + r"=(\d+)", args)
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2))) if m.lastindex == 2 else (int(m.group(1)), int(m.group(1)))


def torch_reprs(text: str) -> list[list[ShownLayer]]:
    """The layers of each printed PyTorch module (``print(model)``), in the order the repr lists them."""
    out: list[list[ShownLayer]] = []
    current: list[ShownLayer] | None = None
    depth = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if current is None:
            if re.match(r"^[A-Za-z_]\w*\($", stripped):
                current, depth = [], 1
            continue
        m = _TORCH_LINE.match(line)
        if m:
            kind = REPR_KINDS.get(m.group("type"), "other")
            args = m.group("args")
            layer = ShownLayer(kind)
            nums = re.findall(r"^\s*(\d+),\s*(\d+)", args)
            if kind == "conv":
                layer.filters = int(nums[0][1]) if nums else None
                layer.kernel = _tuple(args, "kernel_size")
                layer.stride = _tuple(args, "stride") or (1, 1)
                pad = re.search(r"padding=(\(\d+,\s*\d+\)|\d+|'\w+'|same\b|valid\b)", args)  # PyTorch: no quotes
                if pad:
                    p = pad.group(1).strip("'")
                    layer.padding = p if p.isalpha() else int(re.findall(r"\d+", p)[0])
                else:
                    layer.padding = 0
            elif kind == "dense":
                units = re.search(r"out_features=(\d+)", args)
                layer.units = int(units.group(1)) if units else None
            elif kind in ("maxpool", "avgpool"):
                layer.size = _tuple(args, "kernel_size")
            elif kind == "dropout":
                p = re.search(r"p=([0-9.]+)", args)
                layer.rate = float(p.group(1)) if p else None
            if kind in ("conv", "dense", "maxpool", "avgpool", "bn", "dropout", "gap"):
                current.append(layer)
            continue
        depth += stripped.count("(") - stripped.count(")")
        if depth <= 0:
            if current:
                out.append(current)
            current = None
    if current:
        out.append(current)
    return out


_TORCH_SUMMARY_ROW = re.compile(r"^[\s├└│─|]*(?P<type>[A-Za-z]\w*)(?:-\d+|:\s*\d+-\d+)\s+\[(?P<shape>[-\d,\s]+)\]\s+"
                                r"(?P<params>[\d,]+|--)\s*$")


def torch_summaries(text: str) -> list[list[ShownLayer]]:
    """The layers of each PyTorch summary table (torchsummary's ``Conv2d-1  [-1, 32, 32, 32]  896``,
    torchinfo's ``├─Conv2d: 1-1  [1, 32, 32, 32]  896``): channels first, so filters from the output's
    second dimension, the kernel from the parameter count, stride and padding from the sizes."""
    out: list[list[ShownLayer]] = []
    current: list[ShownLayer] | None = None
    shape: tuple = (3, 32, 32)  # CIFAR-10's, channels first
    for line in text.split("\n"):
        if "Layer (type" in line:
            current, shape = [], (3, 32, 32)
            out.append(current)
            continue
        if current is None:
            continue
        if line.strip().startswith(("Total params", "Trainable params")):
            current = None
            continue
        m = _TORCH_SUMMARY_ROW.match(line)
        if not m:
            continue
        kind = REPR_KINDS.get(m.group("type"), "other")
        dims = tuple(int(d) for d in re.findall(r"-?\d+", m.group("shape")))[1:]  # the batch dimension left out
        params = int(m.group("params").replace(",", "")) if m.group("params") != "--" else None
        layer = ShownLayer(kind)
        if kind == "conv" and len(dims) == 3 and len(shape) == 3:
            layer.filters = dims[0]
            for bias in (1, 0):
                k = _square_root((params / dims[0] - bias) / shape[0]) if params else None
                if k:
                    layer.kernel = (k, k)
                    geo = _conv_geometry(shape[1], dims[1], k)
                    if geo:
                        layer.stride, layer.padding = (geo[0], geo[0]), (k - 1) // 2 if geo[1] == "same" else 0
                    break
        elif kind == "dense" and dims:
            layer.units = dims[-1]
        elif kind in ("maxpool", "avgpool") and len(dims) == 3 and len(shape) == 3 and dims[1]:
            size = shape[1] // dims[1]
            layer.size = (size, size)
        if kind in ("conv", "dense", "maxpool", "avgpool", "bn", "dropout", "gap"):
            current.append(layer)
        if len(dims) >= 1 and kind != "other":
            shape = dims
    return [t for t in out if t]
