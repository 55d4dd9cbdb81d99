"""The networks a notebook trains, read from its code with ``ast`` (nothing is executed).

A small abstract interpreter follows the code cells in order, with literal values only: Keras
``Sequential`` models (a list, or ``model.add(...)`` chains), the functional API (``x =
Conv2D(...)(x)`` then ``Model(inputs, outputs)``), models built by helper functions or loops over
literal lists (of numbers or of configuration dicts), and PyTorch ``nn.Sequential`` and
``nn.Module`` subclasses (``__init__`` run with its arguments, the layers in ``forward``'s order;
blocks made by a helper returning a list and unpacked with ``*``). A model counts as trained when
``fit`` is called on it, or when it is called inside a loop that runs ``backward()`` (PyTorch; in
the notebook's cells or in the students' own helper, whatever its name: the epochs then come
from the call's arguments, the batch size from the ``DataLoader`` the loop iterates).

Besides the trainings, it records what each cell does that prints something (:class:`Event`): a
fit, an evaluation (and on which data), a ``print`` (its literal text and which results it
prints), a summary or a printed model. :mod:`xlcnn.notebook.attribution` pairs these with the
cell's saved output. What it cannot follow stays unknown (``None``); it never guesses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from ..core.notation import Layer, notation  # noqa: F401 - the notebook's layers are the notation's
from . import frameworks
from .frameworks.base import UNKNOWN, TrainerSpec
from .frameworks.base import num as _num

MAX_LOOP = 64  # iterations unrolled when a loop runs over literal values
MAX_DEPTH = 6  # nested helper-function calls followed
MAX_STATEMENTS = 50_000  # statements interpreted in all (a hostile notebook stays cheap)
TOO_LONG = (f"the code is too long to follow from this cell on ({MAX_STATEMENTS:,} steps interpreted): the models "
            "trained from here on are not read")
MAX_EVENTS = 300  # prints followed in one cell (each is matched against the cell's output lines)

OPTIMIZERS = {"adam": "adam", "adamw": "adamw", "sgd": "sgd", "rmsprop": "rmsprop", "adagrad": "adagrad",
              "nadam": "nadam", "adadelta": "adadelta"}
_TEST = re.compile(r"test|(?<![a-z])te(?![a-z])|_te\b|tst", re.I)
_MIXES = re.compile(r"\b(?:concatenate|vstack|hstack|row_stack|concat|cat|append|stack)\s*\(", re.I)
_VAL = re.compile(r"(?<![a-z])val", re.I)
_TRAIN = re.compile(r"train|(?<![a-z])tr(?![a-z])|_tr\b|trn", re.I)


@dataclass(eq=False)
class Model:
    framework: str  # "keras" | "pytorch"
    layers: list[Layer] = field(default_factory=list)
    optimizer: str | None = None
    loss: str | None = None
    weight_decay: float | None = None
    name: str = ""  # the variable it was last bound to, for the report's words
    unknown: bool = False  # built from something the interpreter could not follow


@dataclass
class Tensor:
    layers: list[Layer] = field(default_factory=list)


@dataclass
class Loader:
    """A PyTorch DataLoader: its batch size and which data it serves (from its names)."""

    batch_size: int | None
    split: str | None


@dataclass
class Optimizer:
    name: str
    weight_decay: float | None = None
    model: Model | None = None


@dataclass
class Params:
    model: Model


@dataclass(eq=False)
class Training:
    """One training run of one model: what was trained, how, and in which cell."""

    model: Model
    cell: int
    epochs: int | None
    batch_size: int | None
    layers: list[Layer] = field(default_factory=list)  # as they were when it was trained
    optimizer: str | None = None
    loss: str | None = None
    weight_decay: float | None = None
    code: str = ""  # the call or loop that trained it, as evidence
    data: str = ""  # the name of the training data (to tell an evaluation on it)
    validation: str | None = None  # which data validation_data= names ("test": its last val_ metric is a test one)
    test_in_train: tuple[int, str] | None = None  # (cell, code) that puts test data into the training data
    selected_on_test: str = ""  # the fit's code when its callbacks choose the epoch kept on the test data

    kind = property(lambda self: kind_of(self.layers))
    convs = property(lambda self: of_kind(self.layers, "conv"))
    denses = property(lambda self: of_kind(self.layers, "dense"))

    @property
    def l2(self) -> float | None:
        """The L2 term: a kernel regulariser on the last layer, or the optimizer's weight decay (PyTorch)."""
        if self.denses and self.denses[-1].l2:
            return self.denses[-1].l2
        return self.weight_decay or None

    @property
    def regulariser(self) -> str | None:
        l2 = [layer.l2 for layer in self.layers if layer.l2]
        if l2:
            return f"L2 {l2[0]:g}"
        if self.weight_decay:
            return f"weight decay {self.weight_decay:g}"
        return None

    def architecture(self) -> str:
        return notation(self.layers)


@dataclass
class EvalResult:
    """What ``evaluate`` (or the students' own evaluation helper) returned: of which model, on which data."""

    training: Training | None
    split: str | None


@dataclass
class History:
    training: Training


@dataclass
class Event:
    """Something a cell's code does that shows in its output, in the order it happens."""

    cell: int
    kind: str  # "fit" | "evaluate" | "train" | "print" | "show"
    training: Training | None = None
    model: Model | None = None
    split: str | None = None  # evaluate: "test" | "train" | "val" | None
    verbose: bool = True
    templates: list[re.Pattern] = field(default_factory=list)  # the lines its prints write
    code: str = ""
    show: str = ""  # "summary" | "repr"
    own: bool = False  # an evaluation by the students' own function (its prints, not Keras' bar)
    slots: PrintSlots | None = None  # a print's line as a template: the values come from its holes


@dataclass
class Slot:
    """One hole of a printed line: the expression that fills it and what it is."""

    code: str  # the expression, as written ("acc*100", "score[1]")
    spec: str = ""  # its format spec (".2f", ".1%"), or the %-conversion
    label: str = ""  # the literal text between the previous hole and this one
    split: str | None = None  # test, val, train: from its value, its name, or its label
    accuracy: bool | None = None  # an accuracy (True), a loss or a count (False), or not known (None)
    certain: bool = False  # the value is an evaluation or a history of a known training
    percent: bool = False  # printed as a percentage (a "%" spec, a "* 100")


@dataclass
class PrintSlots:
    """A ``print`` call's line as a template: its literal text, and a hole (with its slot) for each
    value; the printed line is matched against it and each value read from its own hole, so a number
    in the literal text ("1-layer") is never taken for a value."""

    literals: list[str]  # the text before, between and after the holes: one more than the slots
    slots: list[Slot]
    one_line: bool = True  # the print writes one line: its holes are the call's values, in order
    weak: bool = False  # almost no literal text: a line matches it only by its shape

    def match(self, line: str) -> list[str] | None:
        """The text of each hole in ``line``, or None when the line is not this print's. Read left to
        right, each hole up to the next literal's first place (to the next space where no literal
        stands between two holes), in time linear in the line: a hostile line cannot make it slow.
        Spaces in the literal text match any run of white space; letters match in any case."""
        if len(line) > MAX_PRINTED:
            return None
        pos = _space(line, 0)
        first = _literal(self.literals[0])
        if first is not None:
            m = first.match(line, pos)
            if not m:
                return None
            pos = m.end()
        values = []
        for k in range(len(self.slots)):
            nxt = _literal(self.literals[k + 1])
            last = k == len(self.slots) - 1
            if nxt is None and last:
                end = len(line.rstrip())
                values.append(line[pos:end].strip())
                pos = end
            elif nxt is None:  # two holes with only white space between: the first ends at a space
                end = re.compile(r"\S*").match(line, pos).end()
                values.append(line[pos:end])
                pos = _space(line, end)
            else:
                m = (_at_end(self.literals[k + 1]) if last else nxt).search(line, pos)
                if not m:
                    return None
                values.append(line[pos:m.start()].strip())
                pos = m.end()
        return values if not line[pos:].strip() else None


MAX_PRINTED = 2000  # longer printed lines are not matched against a template (a printed value is short)


def _space(line: str, pos: int) -> int:
    while pos < len(line) and line[pos].isspace():
        pos += 1
    return pos


def _literal(text: str) -> re.Pattern | None:
    """A literal's words with any white space between (None for a literal of white space only)."""
    words = text.split()
    return re.compile(r"\s*".join(map(re.escape, words)), re.I) if words else None


def _at_end(text: str) -> re.Pattern:
    return re.compile(r"\s*".join(map(re.escape, text.split())) + r"\s*$", re.I)


def kind_of(layers: list[Layer]) -> str:
    """"cnn" when the network has a convolution, else "dense"."""
    return "cnn" if any(layer.kind == "conv" for layer in layers) else "dense"


def of_kind(layers: list[Layer], kind: str) -> list[Layer]:
    return [layer for layer in layers if layer.kind == kind]


@dataclass
class _Function:
    node: ast.FunctionDef
    source: str = ""  # the cell it was defined in (its nodes' positions are in it)


@dataclass
class _ModelClass:
    """A model class the students wrote: a PyTorch ``nn.Module`` or ``LightningModule`` (layers made in
    ``__init__``, applied in ``forward``) or a subclassed ``keras.Model`` (applied in ``call``), or a
    class derived from one of theirs (whose methods it inherits)."""

    node: ast.ClassDef
    source: str = ""
    framework: str = "pytorch"
    base: _ModelClass | None = None  # the students' own class it derives from
    applies: str = "forward"  # the method that applies the model to its input (forward, call)
    data: bool = False  # a data class (a LightningDataModule): ``applies`` names its training loader method

    def methods(self) -> dict[str, tuple[ast.FunctionDef, str]]:
        own = {item.name: (item, self.source) for item in self.node.body if isinstance(item, ast.FunctionDef)}
        return {**(self.base.methods() if self.base is not None else {}), **own}


@dataclass
class Search:
    """A hyperparameter search (Keras Tuner): the students' function that builds a model from it."""

    build: _Function | None


@dataclass
class Trainer:
    """An object that trains a model (Lightning's ``Trainer``, skorch's ``NeuralNetClassifier``): what
    its ``fit`` runs, as its constructor says."""

    spec: TrainerSpec
    framework: str
    epochs: int | None
    batch_size: int | None = None
    model: Model | None = None  # given to the constructor (skorch); Lightning's comes with fit
    optimizer: str | None = None
    loss: str | None = None


class _Self:
    """``self`` inside a PyTorch module's ``__init__`` and ``forward``."""

    def __init__(self) -> None:
        self.attrs: dict[str, object] = {}
        self.order: list[object] = []


def _name(node: ast.AST) -> str:
    """The last name of a called thing: keras.layers.Conv2D -> Conv2D."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _split_of(text: str) -> str | None:
    """Which data a name holds: "x_test" -> test, "val_loader" -> val, "X_train" -> train."""
    if _TEST.search(text):
        return "test"
    if _VAL.search(text):
        return "val"
    if _TRAIN.search(text):
        return "train"
    return None


def _segment(source: str, node: ast.AST, limit: int = 160) -> str:
    try:
        text = ast.get_source_segment(source, node) or ""
    except (IndexError, ValueError):
        text = ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"




def _pieces(arg: ast.expr) -> list[str | None]:
    """The literal text and the holes (None) of one printed argument."""
    return [x if isinstance(x, str) else None for x in _holes(arg)]


_PERCENT_SPEC = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[sdifgeEr]")  # "%.2f": a hole of "..." % (...)
_BRACE_SPEC = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")  # "{:.2f}", "{0}", "{acc}": a hole of "...".format(...)


def _holes(arg: ast.expr) -> list[str | tuple[str, str]]:
    """The literal text and the holes, as ``(expression, format spec)``, of one printed argument."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.JoinedStr):
        out: list[str | tuple[str, str]] = []
        for v in arg.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out.append(v.value)
            elif isinstance(v, ast.FormattedValue):
                spec = "".join(x.value for x in getattr(v.format_spec, "values", []) if isinstance(x, ast.Constant))
                out.append((_unparse(v.value), str(spec)))
        return out
    fmt, values, named, percent = None, [], {}, False
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, ast.Constant):
        fmt, percent = arg.left.value, True
        values = arg.right.elts if isinstance(arg.right, ast.Tuple) else [arg.right]
    elif isinstance(arg, ast.Call) and _name(arg.func) == "format" and isinstance(arg.func, ast.Attribute) \
            and isinstance(arg.func.value, ast.Constant):
        fmt, values = arg.func.value.value, list(arg.args)
        named = {k.arg: k.value for k in arg.keywords if k.arg}
    if not isinstance(fmt, str):
        return [(_unparse(arg), "")]
    def literal(text: str) -> str:
        return text.replace("%%", "%") if percent else text.replace("{{", "{").replace("}}", "}")

    out, pos, k = [], 0, 0
    for m in (_PERCENT_SPEC if percent else _BRACE_SPEC).finditer(fmt):
        out.append(literal(fmt[pos:m.start()]))
        pos = m.end()
        if percent:
            value, spec = (values[k] if k < len(values) else None), m.group(0)[1:]
            k += 1
        else:
            field_, _, spec = (m.group(1) or "").partition(":")
            field_ = field_.split("!")[0]
            if field_.isdigit():
                value = values[int(field_)] if int(field_) < len(values) else None
            elif field_:
                value = named.get(field_)
            else:
                value = values[k] if k < len(values) else None
                k += 1
        out.append((_unparse(value) if value is not None else "", spec))
    out.append(literal(fmt[pos:]))
    return out


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:200]
    except (ValueError, RecursionError, AttributeError):
        return ""


_ACC_WORD = re.compile(r"acc|précision|precision|genauigkeit|exactitude|treffer|korrekt|richtig|score", re.I)
_LOSS_WORD = re.compile(r"loss|perte|verlust|fehler|coût|cout|erreur|\btime|zeit|temps|\bepochs?\b|param|count|"
                        r"\bn_\w|\bnum_\w", re.I)


def print_slots(node: ast.Call) -> PrintSlots | None:
    """The template of the line a ``print(...)`` writes (its longest line), with a hole per value; None
    when it writes no value or no literal text to match."""
    pieces: list[str | tuple[str, str]] = []
    sep = next((k.value.value for k in node.keywords if k.arg == "sep" and isinstance(k.value, ast.Constant)
                and isinstance(k.value.value, str)), " ")
    for k, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            return None
        if k:
            pieces.append(sep)
        pieces.extend(_holes(arg))
    lines: list[list[str | tuple[str, str]]] = [[]]
    for p in pieces:
        if isinstance(p, tuple):
            lines[-1].append(p)
            continue
        parts = p.split("\n")
        lines[-1].append(parts[0])
        for part in parts[1:]:
            lines.append([part])
    best = max(lines, key=lambda line: sum(1 for x in line if isinstance(x, tuple)) * 1000
               + len(re.sub(r"\W", "", "".join(x for x in line if isinstance(x, str)))))
    holes = [x for x in best if isinstance(x, tuple)]
    literal = "".join(x for x in best if isinstance(x, str))
    if not holes or len(holes) > 12:
        return None
    weak = len(re.sub(r"\W", "", literal)) < 2  # "{name}: {acc}": kept only where a hole's value is known
    literals, slots, label = [""], [], ""
    for x in best:
        if isinstance(x, str):
            literals[-1] += x
            label += x
            continue
        slots.append(Slot(x[0], x[1], label))
        literals.append("")
        label = ""
    for slot in slots:
        slot.percent = slot.spec.endswith("%") or bool(re.search(r"\*\s*100\b|\b100\s*\*", slot.code))
        words = slot.code + " " + slot.label
        name_says = _split_of(re.sub(r"\[.*?\]|\(.*?\)", "", slot.code))
        label_says = _split_of(slot.label)
        slot.split = name_says or label_says
        if _LOSS_WORD.search(slot.code) or (not _ACC_WORD.search(slot.code) and _LOSS_WORD.search(slot.label)
                                            and not _ACC_WORD.search(slot.label)):
            slot.accuracy = False
        elif _ACC_WORD.search(words):
            slot.accuracy = True
    return PrintSlots(literals, slots, one_line=len(lines) == 1, weak=weak)


def print_template(node: ast.Call) -> re.Pattern | None:
    """A regular expression for the line a ``print(...)`` call writes: its literal text, holes between
    (the line of it with the most literal text, when it writes several)."""
    pieces: list[str | None] = []
    for k, arg in enumerate(node.args):
        if k:
            pieces.append(" ")
        pieces.extend(_pieces(arg))
    lines: list[list[str | None]] = [[]]
    for p in pieces:
        if p is None:
            lines[-1].append(None)
            continue
        parts = p.split("\n")
        lines[-1].append(parts[0])
        for part in parts[1:]:
            lines.append([part])
    best = max(lines, key=lambda line: len(re.sub(r"\W", "", "".join(x for x in line if x))))
    if len(re.sub(r"\W", "", "".join(x for x in best if x))) < 2:
        return None
    regex = "".join(".*?" if x is None else re.escape(x) for x in best)
    regex = re.sub(r"(?:\\ |\s)+", r"\\s*", regex).strip()
    try:
        return re.compile(regex, re.I)
    except re.error:
        return None


_SQUARED = re.compile(r"\.pow\(\s*2\s*\)|\*\*\s*2\b|\bnorm\(|\bsquare\(")


def _penalty_factor(tree: ast.AST, source: str, value) -> float | None:
    """The factor of an L2 penalty written by hand in a loss: ``loss + 0.05 * sum(p.pow(2).sum() for p in
    model.parameters())`` (``value`` evaluates a node: a name bound to 0.05 counts)."""
    for n in ast.walk(tree):
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult):
            for factor, other in ((n.left, n.right), (n.right, n.left)):
                text = _segment(source, other, 400)
                number = value(factor)
                if _num(number) is not None and 0 < number < 10 and _SQUARED.search(text) \
                        and re.search(r"param|weight|kernel", text):
                    return float(number)
    return None


def _hole_nodes(node: ast.Call) -> list[ast.expr | None]:
    """The expressions of a print's holes, in the order of :func:`print_slots`' slots (of its longest
    line only when it writes one line: otherwise None each, and the slots keep what their words say)."""
    out: list[ast.expr | None] = []
    for arg in node.args:
        if isinstance(arg, ast.Constant):
            continue
        if isinstance(arg, ast.JoinedStr):
            out.extend(v.value for v in arg.values if isinstance(v, ast.FormattedValue))
        elif isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, ast.Constant):
            out.extend(arg.right.elts if isinstance(arg.right, ast.Tuple) else [arg.right])
        elif isinstance(arg, ast.Call) and _name(arg.func) == "format" and isinstance(arg.func, ast.Attribute):
            if arg.keywords or re.search(r"\{\d+|\{[a-zA-Z_]", str(getattr(arg.func.value, "value", ""))):
                return []  # named or numbered fields: their order is the format's, not the call's
            out.extend(arg.args)
        else:
            out.append(arg)
    return out


def _index_of(node: ast.AST) -> int | None:
    """The constant index of ``x[1]`` or ``x[-1]``."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
        return node.slice.value
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.UnaryOp) and isinstance(node.slice.op, ast.USub) \
            and isinstance(node.slice.operand, ast.Constant):
        return -node.slice.operand.value
    return None


class Interpreter:
    """Follows the code of a notebook, cell after cell: :attr:`trainings` and :attr:`events` are the result."""

    def __init__(self) -> None:
        self.env: dict[str, object] = {}
        self.trainings: list[Training] = []
        self.events: list[Event] = []
        self.loaders: dict[str, Loader] = {}
        self.cell = 0
        self.source = ""
        self.steps = 0
        self.depth = 0
        self.torch_names: set[str] = {"nn", "torch", "F"}
        self.notes: list[tuple[int, str]] = []  # (cell, what could not be followed)
        self.mixed: dict[str, tuple[int, str]] = {}  # names bound to data that mixes test data in: (cell, code)
        self.callback_code: dict[str, str] = {}  # names bound to a callback (or a list of them): the code

    # ---------------------------------------------------------------- statements

    def run_cell(self, index: int, source: str) -> None:
        self.cell = index
        if self.steps > MAX_STATEMENTS:
            if not any("too long to follow" in text for _, text in self.notes):
                self.notes.append((index, TOO_LONG))
            return
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        self.source = code
        trains = any(w in source for w in (".fit(", "backward()"))
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError):
            if trains:
                self.notes.append((index, "its code is not valid Python, so the model it trains could not be read"))
            return
        except (RecursionError, MemoryError):
            if trains:
                self.notes.append((index, "its code is nested too deeply to be read, so the model it trains could "
                                          "not be read"))
            return
        try:
            self.block(tree.body, {})
        except RecursionError:
            if trains:
                self.notes.append((index, "its code is nested too deeply to follow, so the model it trains could "
                                          "not be read"))
            return
        if self.steps > MAX_STATEMENTS and not any("too long to follow" in text for _, text in self.notes):
            self.notes.append((index, TOO_LONG))
            return
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr) and not (isinstance(last.value, ast.Call) and _name(last.value.func) in (
                "print", "display")):
            self.display_event(last.value, {})  # Jupyter shows the value of a cell's last expression
        if isinstance(last, ast.Expr) and isinstance(last.value, ast.Name):
            value = self.env.get(last.value.id)
            if isinstance(value, Model) and value.framework == "pytorch":
                self.events.append(Event(index, "show", model=value, show="repr", code=last.value.id))

    def block(self, body: list[ast.stmt], local: dict) -> object:
        for stmt in body:
            self.steps += 1
            if self.steps > MAX_STATEMENTS:
                return None
            result = self.stmt(stmt, local)
            if isinstance(result, tuple) and result and result[0] == "return":
                return result
        return None

    def stmt(self, node: ast.stmt, local: dict):
        if isinstance(node, ast.Return):
            return ("return", self.eval(node.value, local) if node.value else None)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = self.eval(node.value, local) if node.value is not None else UNKNOWN
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            text = _segment(self.source, node.value) if node.value is not None else ""
            if re.search(r"EarlyStopping|ModelCheckpoint", text):  # stop = EarlyStopping(...), kept for fit's callbacks
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.callback_code[target.id] = text
            if _MIXES.search(text) and _TEST.search(text):  # np.concatenate([x_train, x_test]) and the like
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.mixed[target.id] = (self.cell, _segment(self.source, node))
            for target in targets:
                self.assign(target, value, local)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
                current = self.lookup(node.target.id, local)
                value = self.eval(node.value, local)
                if isinstance(current, list) and isinstance(value, (list, tuple)):
                    current.extend(value)
                elif _num(current) is not None and _num(value) is not None:
                    self.assign(node.target, current + value, local)
        elif isinstance(node, ast.Expr):
            self.eval(node.value, local)
        elif isinstance(node, ast.FunctionDef):
            self.scope(local)[node.name] = _Function(node, self.source)
        elif isinstance(node, ast.ClassDef):
            for b in node.bases:
                parent = self.lookup(_name(b), local) if isinstance(b, ast.Name) else UNKNOWN
                if isinstance(parent, _ModelClass):
                    self.scope(local)[node.name] = _ModelClass(node, self.source, parent.framework, parent,
                                                               parent.applies)
                    break
                fw = frameworks.model_base(_name(b))
                if fw is not None:
                    self.scope(local)[node.name] = _ModelClass(node, self.source, fw.name,
                                                               applies=fw.model_bases[_name(b)])
                    break
                loader = frameworks.data_base(_name(b))
                if loader is not None:
                    self.scope(local)[node.name] = _ModelClass(node, self.source, applies=loader, data=True)
                    break
        elif isinstance(node, (ast.For, ast.While)):
            self.loop(node, local)
        elif isinstance(node, ast.If):
            test = self.eval(node.test, local)
            branch = node.body if test is UNKNOWN or bool(test) else node.orelse
            return self.block(branch, local)
        elif isinstance(node, (ast.With, ast.Try)):
            result = self.block(node.body, local)
            if result:
                return result
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("torch"):
                    self.torch_names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").startswith("torch"):
                for alias in node.names:
                    self.torch_names.add(alias.asname or alias.name)
        return None

    def scope(self, local: dict) -> dict:
        return local if self.depth else self.env

    def assign(self, target: ast.expr, value, local: dict) -> None:
        if isinstance(target, ast.Name):
            self.scope(local)[target.id] = value
            if isinstance(value, Model):
                value.name = target.id
            if isinstance(value, Loader):
                self.loaders[target.id] = value
                if value.split is None:
                    value.split = _split_of(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (list, tuple)) and len(value) == len(target.elts):
                for t, v in zip(target.elts, value, strict=False):
                    self.assign(t, v, local)
            else:
                for t in target.elts:
                    self.assign(t, value if isinstance(value, EvalResult) else UNKNOWN, local)
        elif isinstance(target, ast.Subscript):  # results["cnn"] = model.evaluate(...)
            owner, key = self.eval(target.value, local), self.eval(target.slice, local)
            if isinstance(owner, dict) and isinstance(key, (str, int)) and len(owner) < MAX_LOOP:
                owner[key] = value
            elif isinstance(owner, list) and isinstance(key, int) and -len(owner) <= key < len(owner):
                owner[key] = value
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = self.lookup(target.value.id, local)
            if isinstance(owner, _Self):
                owner.attrs[target.attr] = value
                if isinstance(value, (Layer, Model, list)):
                    owner.order.append(value)

    def lookup(self, name: str, local: dict):
        if name in local:
            return local[name]
        return self.env.get(name, UNKNOWN)

    def loop(self, node: ast.For | ast.While, local: dict) -> None:
        if any(isinstance(n, ast.Attribute) and n.attr in frameworks.training_steps() for n in ast.walk(node)):
            self.loop_training(node, local)
            return
        if isinstance(node, ast.While):
            self._one_round_for_all(node, local, None)
            return
        values = self.eval(node.iter, local)
        if isinstance(values, range):
            count = len(values)
            values = list(values) if count <= MAX_LOOP else None
        else:
            count = len(values) if isinstance(values, (list, tuple)) else None
        before = len(self.trainings)
        if isinstance(values, (list, tuple)) and len(values) <= MAX_LOOP:
            for v in values:
                self.assign(node.target, v, local)
                self.block(node.body, local)
        else:
            self._one_round_for_all(node, local, count)
            return
        self._merge_epoch_loop(before, count)

    def _one_round_for_all(self, node: ast.For | ast.While, local: dict, count: int | None) -> None:
        """A loop of many or unknown rounds, followed once: a model built before it and trained in it
        is trained once per round, so its epochs are the rounds times each fit's (unknown when the
        rounds are); a model built inside is a new one each round, trained as one fit says."""
        before = len(self.trainings)
        earlier = {id(v) for v in (*self.env.values(), *local.values()) if isinstance(v, Model)}
        if isinstance(node, ast.For):
            self.assign(node.target, UNKNOWN, local)
        self.block(node.body, local)
        for run in self.trainings[before:]:
            if id(run.model) in earlier and run.model.framework != "pytorch":
                run.epochs = count * run.epochs if count is not None and run.epochs is not None else None
        if count is not None:
            self._merge_epoch_loop(before, count)

    def _merge_epoch_loop(self, before: int, count: int | None) -> None:
        """A loop that trains one model once per iteration (``for e in range(10): train_one_epoch(net)``)
        is one training of ``count`` x the epochs of each."""
        runs = self.trainings[before:]
        if len(runs) < 1 or len({id(r.model) for r in runs}) != 1 or count is None:
            return
        if len(runs) == 1 and count > 1 and runs[0].model.framework == "pytorch" and runs[0].epochs in (None, 1):
            runs[0].epochs = count
            return
        if len(runs) > 1 and len(runs) == count and all(r.epochs is not None for r in runs):
            first = runs[0]
            first.epochs = sum(r.epochs for r in runs)
            del self.trainings[before + 1:]
            for e in self.events:
                if any(e.training is r for r in runs[1:]):
                    e.training = first

    def _loader_of(self, node: ast.AST, local: dict) -> Loader | None:
        """The DataLoader a ``for`` loop iterates (through ``enumerate``, ``tqdm``, ``zip``)."""
        value = self.eval(node, local) if not isinstance(node, ast.Call) else None
        if isinstance(value, Loader):
            return value
        if isinstance(node, ast.Call) and node.args:
            return self._loader_of(node.args[0], local)
        return None

    def loop_training(self, node: ast.For | ast.While, local: dict) -> None:
        """A training loop of the students' own (one that runs ``backward()`` or ``apply_gradients``): the
        models called in it are trained; epochs from ``range(N)``, the batch size from the DataLoader or
        dataset the loop (or its inner loop) iterates, or the step of batches sliced by hand."""
        epochs = None
        if isinstance(node, ast.For):
            values = self.eval(node.iter, local)
            if isinstance(values, range):
                epochs = len(values)
        loader = None
        for n in ast.walk(node):
            if isinstance(n, ast.For):
                loader = self._loader_of(n.iter, local)
                if loader is not None:
                    break
        if loader is None:  # batches sliced by hand: for i in range(0, len(x_train), 128): x_train[i:i + 128]
            for n in ast.walk(node):
                if isinstance(n, ast.For) and isinstance(n.iter, ast.Call) and _name(n.iter.func) == "range" \
                        and len(n.iter.args) == 3:
                    step = self.eval(n.iter.args[2], local)
                    if _num(step) is not None and step > 1:
                        loader = Loader(int(step), "train")
                        break
        if loader is None:
            train = [v for v in self.loaders.values() if v.split == "train" and v.batch_size]
            if len({v.batch_size for v in train}) == 1:
                loader = train[0]
        if epochs is None and loader is not None and isinstance(node, ast.For) and self._loader_of(node.iter, local):
            epochs = 1  # the loop over batches is one epoch
        trained: list[Model] = []
        optimizer: Optimizer | None = None
        loss = None
        for n in ast.walk(node):
            if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute)):
                if isinstance(n.func, ast.Name):
                    value = self.lookup(n.func.id, local)
                else:
                    value = self._attr(n.func, local)
                if isinstance(value, Model) and value not in trained:
                    trained.append(value)
                elif isinstance(value, str) and value in frameworks.losses():
                    loss = value
        for value in list(local.values()) + list(self.env.values()):
            if isinstance(value, Optimizer) and value.model in trained:
                optimizer = value
                break
        for n in ast.walk(node):  # TensorFlow: opt.apply_gradients(...) names the optimizer that steps
            if isinstance(n, ast.Call) and _name(n.func) == "apply_gradients" and isinstance(n.func, ast.Attribute):
                value = self.eval(n.func.value, local)
                if isinstance(value, Optimizer):
                    optimizer = value
                    if len(trained) == 1:
                        value.model = trained[0]
        penalty = _penalty_factor(node, self.source, lambda n: self.eval(n, local) if not any(
            isinstance(x, ast.Call) for x in ast.walk(n)) else None)
        templates = [t for t in (print_template(n) for n in ast.walk(node) if isinstance(n, ast.Call)
                                 and _name(n.func) == "print") if t is not None]
        code = _segment(self.source, node, 200) if self.depth == 0 else ""
        for model in trained:
            opt = optimizer if optimizer is not None and optimizer.model is model else None
            t = Training(model, self.cell, epochs, loader.batch_size if loader else None, list(model.layers),
                         optimizer=opt.name if opt else model.optimizer, loss=loss or model.loss,
                         weight_decay=(opt.weight_decay if opt else model.weight_decay) or penalty, code=code)
            self.trainings.append(t)
            self.events.append(Event(self.cell, "train", training=t, model=model, templates=templates, code=code))

    # ---------------------------------------------------------------- expressions

    def _attr(self, node: ast.Attribute, local: dict):
        owner = self.eval(node.value, local)
        if isinstance(owner, _Self):
            return owner.attrs.get(node.attr, UNKNOWN)
        if isinstance(owner, History):  # hist.history, a table of it: .iloc, .T
            return owner
        if isinstance(owner, Search) and node.attr == "hypermodel":  # tuner.hypermodel.build(hp)
            return owner
        return UNKNOWN

    def eval(self, node: ast.expr | None, local: dict):
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id, local)
        if isinstance(node, (ast.List, ast.Tuple)):
            out = self.values(node.elts, local)
            return out if isinstance(node, ast.List) else tuple(out)
        if isinstance(node, ast.Dict):
            out_d = {}
            for k, v in zip(node.keys, node.values, strict=False):
                if k is None:  # {**FIT, "epochs": 30}: the spread dict's entries, then the rest over them
                    spread = self.eval(v, local)
                    if isinstance(spread, dict):
                        out_d.update(spread)
                    continue
                key = self.eval(k, local)
                if isinstance(key, (str, int)):
                    out_d[key] = self.eval(v, local)
            return out_d
        if isinstance(node, ast.Subscript):
            owner = self.eval(node.value, local)
            key = self.eval(node.slice, local)
            if isinstance(owner, dict) and isinstance(key, (str, int)):
                return owner.get(key, UNKNOWN)
            if isinstance(owner, (list, tuple)) and isinstance(key, int) and -len(owner) <= key < len(owner):
                return owner[key]
            if isinstance(owner, (EvalResult, History)):
                return owner
            return UNKNOWN
        if isinstance(node, ast.Attribute):
            return self._attr(node, local)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self.eval(node.operand, local)
            return -v if _num(v) is not None else UNKNOWN
        if isinstance(node, ast.BinOp):
            a, b = self.eval(node.left, local), self.eval(node.right, local)
            if _num(a) is not None and _num(b) is not None:
                try:
                    return {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                            ast.FloorDiv: lambda: a // b, ast.Div: lambda: a / b,
                            ast.Pow: lambda: a ** b if abs(b) <= 64 and abs(a) <= 1e6 else UNKNOWN,
                            }.get(type(node.op), lambda: UNKNOWN)()
                except (ZeroDivisionError, OverflowError):
                    return UNKNOWN
            if isinstance(node.op, ast.Add) and isinstance(a, list) and isinstance(b, list):
                return a + b
            if isinstance(node.op, ast.Mult) and isinstance(a, list) and isinstance(b, int) and 0 <= b <= MAX_LOOP:
                return a * b
            return UNKNOWN
        if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
            gen = node.generators[0]
            values = self.eval(gen.iter, local)
            if isinstance(values, range):
                values = list(values)
            if isinstance(values, (list, tuple)) and len(values) <= MAX_LOOP:
                inner = dict(local)
                depth, self.depth = self.depth, max(self.depth, 1)
                try:
                    out = []
                    for v in values:
                        self.steps += 1
                        if self.steps > MAX_STATEMENTS:
                            return UNKNOWN
                        self.assign(gen.target, v, inner)
                        out.append(self.eval(node.elt, inner))
                finally:
                    self.depth = depth
                return out
            return UNKNOWN
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a, b = self.eval(node.left, local), self.eval(node.comparators[0], local)
            if all(isinstance(v, (int, float, str)) for v in (a, b)) or isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                    and isinstance(b, (list, tuple, dict, str)) and isinstance(a, (int, float, str)):
                try:
                    return {ast.Eq: lambda: a == b, ast.NotEq: lambda: a != b, ast.Lt: lambda: a < b,
                            ast.LtE: lambda: a <= b, ast.Gt: lambda: a > b, ast.GtE: lambda: a >= b,
                            ast.In: lambda: a in b, ast.NotIn: lambda: a not in b}.get(type(node.ops[0]),
                                                                                     lambda: UNKNOWN)()
                except TypeError:
                    return UNKNOWN
            return UNKNOWN
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            v = self.eval(node.operand, local)
            return UNKNOWN if v is UNKNOWN else not v
        if isinstance(node, ast.Call):
            return self.call(node, local)
        return UNKNOWN

    def values(self, nodes: list[ast.expr], local: dict) -> list:
        """The values of a list's elements or a call's arguments, ``*starred`` ones spread."""
        out = []
        for n in nodes:
            if isinstance(n, ast.Starred):
                inner = self.eval(n.value, local)
                out.extend(inner if isinstance(inner, (list, tuple)) else [UNKNOWN])
            else:
                out.append(self.eval(n, local))
        return out

    def args(self, node: ast.Call, local: dict) -> tuple[list, dict]:
        args = self.values(node.args, local)
        kwargs = {}
        for k in node.keywords:
            if k.arg:
                kwargs[k.arg] = self.eval(k.value, local)
            else:
                spread = self.eval(k.value, local)
                if isinstance(spread, dict):
                    kwargs.update({str(a): b for a, b in spread.items()})
        return args, kwargs

    def _apply(self, callee, node: ast.Call, local: dict):
        args, _ = self.args(node, local)
        source = args[0] if args else None
        base = list(source.layers) if isinstance(source, Tensor) else []
        if isinstance(callee, Layer):
            return Tensor(base + [callee])
        if isinstance(callee, Model):
            return Tensor(base + list(callee.layers))
        if isinstance(callee, list):
            return Tensor(base + [x for v in callee for x in (v.layers if isinstance(v, Model) else [v])
                                  if isinstance(x, Layer)])
        return UNKNOWN

    def call(self, node: ast.Call, local: dict):
        func = node.func
        # a layer or model applied to a tensor: Conv2D(...)(x), model(x), self.conv1(x)
        if isinstance(func, ast.Call):
            return self._apply(self.eval(func, local), node, local)
        if isinstance(func, ast.Name) and isinstance(self.lookup(func.id, local), (Layer, Model)):
            return self._apply(self.lookup(func.id, local), node, local)
        name = _name(func)
        if name == "print":
            self.print_event(node, local)
            return None
        if name == "summary" and isinstance(func, ast.Name) and node.args:  # torchsummary, torchinfo
            model = self.eval(node.args[0], local)
            if isinstance(model, Model):
                self.events.append(Event(self.cell, "show", model=model, show="summary", code=_segment(self.source,
                                                                                                      node)))
                return None
        if name == "display" and isinstance(func, ast.Name):
            for a in node.args:
                self.display_event(a, local)
            return None
        if isinstance(func, ast.Attribute):
            owner = self.eval(func.value, local)
            if isinstance(owner, _Self) and name == "save_hyperparameters":  # Lightning: self.hparams.<arg>
                hparams = _Self()
                hparams.attrs = {k: v for k, v in local.items() if not isinstance(v, _Self)}
                owner.attrs["hparams"] = hparams
                return None
            if isinstance(owner, _Self):
                return self._apply(owner.attrs.get(func.attr, UNKNOWN), node, local)
            if isinstance(owner, Model):
                return self.method(owner, name, node, local)
            if isinstance(owner, list) and name in ("append", "extend") and node.args:
                value = self.eval(node.args[0], local)
                if name == "append":
                    owner.append(value)
                elif isinstance(value, (list, tuple)):
                    owner.extend(value)
                return None
            if isinstance(owner, dict) and name == "copy" and not node.args:
                return dict(owner)
            if isinstance(owner, dict) and name == "update":  # FIT.update(epochs=30) or FIT.update({...})
                args_, kwargs_ = self.args(node, local)
                if len(owner) < MAX_LOOP:
                    owner.update({**(args_[0] if args_ and isinstance(args_[0], dict) else {}), **kwargs_})
                return None
            if isinstance(owner, dict) and name in ("items", "values", "keys") and not node.args:
                return {"items": lambda: list(owner.items()), "values": lambda: list(owner.values()),
                        "keys": lambda: list(owner)}[name]()
            if isinstance(owner, dict) and name == "get" and node.args:
                key = self.eval(node.args[0], local)
                default = self.eval(node.args[1], local) if len(node.args) > 1 else None
                return owner.get(key, default) if isinstance(key, (str, int)) else UNKNOWN
            if isinstance(owner, Tensor):  # x.view(...), x.flatten(1)
                return owner
            if isinstance(owner, History):  # hist_df.tail(3), hist_df.round(4): still that history
                return owner
            if isinstance(owner, Trainer):
                return self.trainer_method(owner, name, node, local)
            if isinstance(owner, Search):
                return self.search_method(owner, name, node, local)
            if isinstance(owner, Loader) and name in ("shuffle", "map", "cache", "prefetch", "repeat", "batch"):
                if name != "batch":  # a tf.data pipeline: its batch size is what .batch(n) says
                    return owner
                size = self.eval(node.args[0], local) if node.args else self.eval(
                    next((k.value for k in node.keywords if k.arg == "batch_size"), ast.Constant(None)), local)
                return Loader(size if _num(size) is not None else None, owner.split)
            if isinstance(owner, Optimizer):
                return UNKNOWN
        args, kwargs = self.args(node, local)
        dotted = _dotted(func)
        root = dotted.split(".")[0]
        torch = root in self.torch_names and root not in ("keras", "tf", "layers")
        if name in ("Sequential", "ModuleList"):
            items = args[0] if args and isinstance(args[0], (list, tuple)) and len(args) == 1 else args
            layers = [v for v in items if isinstance(v, (Layer, Model))]
            flat = [x for v in layers for x in (v.layers if isinstance(v, Model) else [v])]
            model = Model("pytorch" if torch or dotted.startswith("nn.") else "keras", flat)
            model.unknown = any(v is UNKNOWN for v in items)
            return model
        if name in ("Model", "Functional"):
            outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
            if isinstance(outputs, (list, tuple)) and outputs:
                outputs = outputs[0]
            model = Model("keras", list(outputs.layers) if isinstance(outputs, Tensor) else [])
            model.unknown = not isinstance(outputs, Tensor)
            return model
        if name == "Input":
            return Tensor([])
        if name in ("l2", "L2") and ("regularizers" in dotted or len(args) <= 1 and not torch):
            value = kwargs.get("l2", args[0] if args else 0.01)
            return ("l2", value)
        if name == "DataFrame" and len([a for a in args if isinstance(a, History)]) == 1:
            return next(a for a in args if isinstance(a, History))  # pd.DataFrame(hist.history): the history as a table
        if name == "dict" and isinstance(func, ast.Name) and (not args or len(args) == 1 and isinstance(args[0], dict)):
            return {**(args[0] if args else {}), **kwargs}  # dict(FIT, epochs=30)
        if name == "OrderedDict" and args and isinstance(args[0], (list, tuple)):  # nn.Sequential(OrderedDict([...]))
            return [v[1] for v in args[0] if isinstance(v, tuple) and len(v) == 2]
        found = frameworks.trainer(name, root, set(kwargs))
        if found is not None:
            return self.make_trainer(*found, node, args, kwargs)
        if name == "from_tensor_slices":
            return Loader(None, _split_of(_segment(self.source, node.args[0])) if node.args else None)
        if name == "DataLoader":
            batch = kwargs.get("batch_size", args[1] if len(args) > 1 else 1)
            split = _split_of(_segment(self.source, node.args[0])) if node.args else None
            return Loader(batch if _num(batch) is not None else None, split)
        if name == "parameters" and isinstance(func, ast.Attribute):
            owner = self.eval(func.value, local)
            return Params(owner) if isinstance(owner, Model) else UNKNOWN
        if name.lower() in OPTIMIZERS:
            wd = kwargs.get("weight_decay")
            params = args[0] if args else kwargs.get("params")
            return Optimizer(OPTIMIZERS[name.lower()], _num(wd) if torch else None,
                             params.model if isinstance(params, Params) else None)
        loss = frameworks.loss_of(name, torch)
        if loss is not None:  # a loss object (for compile, or a training loop of one's own)
            return loss
        op = frameworks.functional(name) if torch else None
        if op is not None and args and isinstance(args[0], Tensor):
            size = kwargs.get("kernel_size", args[1] if len(args) > 1 else 2)
            return Tensor(args[0].layers + [Layer(op, size=size)])
        fw = frameworks.layer_framework(name, torch)
        if fw is not None:
            return fw.make_layer(name, args, kwargs)
        value = self.lookup(name, local) if isinstance(func, ast.Name) else UNKNOWN
        if isinstance(value, _ModelClass) and value.data:
            return self.data_loader(value, args, kwargs)
        if isinstance(value, _ModelClass):
            return self.instantiate(value, args, kwargs)
        if frameworks.search(name) is not None:
            build = args[0] if args else kwargs.get("hypermodel")
            return Search(build if isinstance(build, _Function) else None)
        if isinstance(value, _Function) and self.depth < MAX_DEPTH:
            return self.invoke_user(value, node, args, kwargs, local)
        if name == "range":
            if all(isinstance(a, int) and not isinstance(a, bool) for a in args) and 1 <= len(args) <= 3:
                r = range(*args)
                return r if len(r) <= 10_000 else UNKNOWN
        if name == "len" and len(args) == 1 and isinstance(args[0], (list, tuple, dict, str)):
            return len(args[0])
        if name in ("int", "float") and len(args) == 1 and _num(args[0]) is not None:
            return int(args[0]) if name == "int" else float(args[0])
        if name == "enumerate" and args and isinstance(args[0], (list, tuple)):
            return list(enumerate(args[0]))
        if name == "zip" and args and all(isinstance(a, (list, tuple)) for a in args):
            return list(zip(*args, strict=False))
        if name in ("list", "tuple") and len(args) == 1 and isinstance(args[0], (list, tuple, range)):
            return list(args[0])
        if name in ("min", "max") and len(args) >= 2 and all(_num(a) is not None for a in args):
            return min(args) if name == "min" else max(args)
        for a in args:  # torch.relu(x), F.relu(x), torch.flatten(x, 1): the tensor goes on
            if isinstance(a, Tensor):
                return a
        return UNKNOWN

    def invoke_user(self, function: _Function, node: ast.Call, args: list, kwargs: dict, local: dict):
        """A call of the students' own function: followed with its arguments. One that takes a model and
        does not train it is an evaluation (of the data its other arguments name)."""
        fn = function.node
        models = [a for a in list(args) + list(kwargs.values()) if isinstance(a, Model)]
        trains = any(isinstance(n, ast.Attribute) and n.attr in ("backward", "fit") for n in ast.walk(fn))
        before = len(self.events)
        result = self.invoke(fn, args, kwargs, source=function.source)
        if models and not trains:
            split = None
            for a in list(node.args) + [k.value for k in node.keywords]:
                text = _segment(self.source, a)
                value = self.eval(a, local)
                if isinstance(value, Loader) and value.split:
                    split = value.split
                elif not isinstance(value, Model) and _split_of(text):
                    split = _split_of(text)
            if split is None:
                split = _split_of(fn.name)
            training = self.latest_training(models[0])
            templates = [t for t in (print_template(n) for n in ast.walk(fn) if isinstance(n, ast.Call)
                                     and _name(n.func) == "print") if t is not None]
            del self.events[before:]  # its prints are this evaluation's
            self.events.append(Event(self.cell, "evaluate", training=training, model=models[0], split=split,
                                     templates=templates, own=True,
                                     code=_segment(self.source, node) if self.depth == 0 else ""))
            if training is not None and not isinstance(result, (Model, Tensor)):
                return EvalResult(training, split)
        if trains and self.depth == 0:
            for e in self.events[before:]:
                if e.kind == "train" and not e.code:
                    e.code = e.training.code = _segment(self.source, node)
        return result

    def _fit_batch(self, node: ast.Call, kwargs: dict):
        """The batch size of a ``fit`` that names none: Keras' 32 for arrays (x and y given); for a
        generator or a dataset (x alone, or a call such as ``datagen.flow(x, y, batch_size=64)``) the
        batch is theirs: the call's own ``batch_size`` when it shows one, else unknown."""
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "x"), None)
        if isinstance(first, ast.Call):
            size = next((k.value for k in first.keywords if k.arg == "batch_size"), None)
            return size.value if isinstance(size, ast.Constant) else None
        return 32 if len(node.args) >= 2 or "y" in kwargs else None

    def _selects(self, callbacks: ast.AST, local: dict) -> bool:
        """Whether a fit's callbacks keep or stop at the epoch their monitored metric likes best
        (EarlyStopping, ModelCheckpoint with save_best_only), written there or bound to a name earlier."""
        texts = [_segment(self.source, callbacks, 400)]
        for n in ast.walk(callbacks):
            if isinstance(n, ast.Name) and n.id in self.callback_code:
                texts.append(self.callback_code[n.id])
        return any(re.search(r"EarlyStopping|save_best_only\s*=\s*True|restore_best_weights", t) for t in texts)

    def _test_data_in(self, node: ast.AST | None) -> tuple[int, str] | None:
        """(cell, code) that makes ``node`` (a fit's training data) hold test data: the data named as
        test data itself, or a name bound to a concatenation of test data with other data."""
        if node is None:
            return None
        text = _segment(self.source, node)
        if isinstance(node, ast.Name) and node.id in self.mixed:
            return self.mixed[node.id]
        if _MIXES.search(text) and _TEST.search(text) or isinstance(node, ast.Name) and _split_of(node.id) == "test":
            return (self.cell, text)
        return None

    def make_trainer(self, fw, spec: TrainerSpec, node: ast.Call, args: list, kwargs: dict) -> Trainer:
        """A trainer object from its constructor: its epochs and batch size, and (skorch) the model it
        wraps, instantiated from the class it is given, with the optimizer and loss classes named."""
        epochs, batch = kwargs.get(spec.epochs), kwargs.get(spec.batch) if spec.batch else None
        out = Trainer(spec, fw.name, epochs if _num(epochs) is not None else None, batch if _num(batch) is not None
                      else None)
        if spec.model != "fit":
            model = kwargs.get(spec.model, args[0] if args else None)
            params = {k.split("__", 1)[1]: v for k, v in kwargs.items() if k.startswith(f"{spec.model}__")}
            if isinstance(model, _ModelClass):
                model = self.instantiate(model, [], params)
            out.model = model if isinstance(model, Model) else None
        for keyword, attr in ((spec.optimizer, "optimizer"), (spec.loss, "loss")):
            given = next((k.value for k in node.keywords if k.arg == keyword), None) if keyword else None
            if given is not None:
                word = _dotted(given).split(".")[-1]
                setattr(out, attr, OPTIMIZERS.get(word.lower()) if attr == "optimizer"
                        else frameworks.loss_of(word, True))
        return out

    def search_method(self, search: Search, name: str, node: ast.Call, local: dict):
        """A search's trials train nothing the report lists; the models built from its best
        hyperparameters (``build(hp)``, ``get_best_models(n)``) are models, trained where fit is called."""
        args, kwargs = self.args(node, local)
        count = kwargs.get("num_trials", kwargs.get("num_models", args[0] if args else 1))
        count = int(count) if _num(count) is not None and 1 <= count <= MAX_LOOP else None
        if name == "get_best_hyperparameters":
            return [UNKNOWN] * count if count else UNKNOWN
        build = search.build
        if build is None or self.depth >= MAX_DEPTH:
            return UNKNOWN
        if name == "build":
            return self.invoke(build.node, [UNKNOWN], {}, source=build.source)
        if name == "get_best_models" and count:
            return [self.invoke(build.node, [UNKNOWN], {}, source=build.source) for _ in range(count)]
        return UNKNOWN

    def data_loader(self, cls: _ModelClass, args: list, kwargs: dict):
        """A data class (a LightningDataModule): its ``__init__`` run, then its training loader method;
        the object stands for that loader."""
        me = _Self()
        methods = cls.methods()
        if "__init__" in methods and self.depth < MAX_DEPTH:
            fn, source = methods["__init__"]
            self.invoke(fn, args, kwargs, bound=me, source=source)
        if cls.applies in methods and self.depth < MAX_DEPTH:
            fn, source = methods[cls.applies]
            loader = self.invoke(fn, [], {}, bound=me, source=source)
            if isinstance(loader, Loader):
                return Loader(loader.batch_size, "train")
        size = me.attrs.get("batch_size")
        return Loader(size if _num(size) is not None else None, "train")

    def trainer_method(self, trainer: Trainer, name: str, node: ast.Call, local: dict):
        """``trainer.fit(...)`` trains (Lightning: ``fit(model, loader)``; skorch: ``net.fit(X, y)``);
        the trainer's evaluations (``trainer.test``, ``net.score``) evaluate."""
        args, kwargs = self.args(node, local)
        spec = trainer.spec
        model = trainer.model if spec.model != "fit" else (args[0] if args else kwargs.get("model"))
        if not isinstance(model, Model):
            return UNKNOWN
        data = args[1:] if spec.model == "fit" else args
        if name == "fit":
            loader = data[0] if data else kwargs.get("train_dataloaders", kwargs.get("train_dataloader"))
            loader = kwargs.get("datamodule", loader) if loader is None else loader  # a LightningDataModule
            batch = loader.batch_size if isinstance(loader, Loader) else trainer.batch_size
            t = Training(model, self.cell, trainer.epochs, batch, list(model.layers),
                         optimizer=trainer.optimizer or model.optimizer, loss=trainer.loss or model.loss,
                         weight_decay=model.weight_decay, code=_segment(self.source, node),
                         data=_segment(self.source, node.args[1 if spec.model == "fit" else 0])
                         if len(node.args) > (1 if spec.model == "fit" else 0) else "")
            self.trainings.append(t)
            self.events.append(Event(self.cell, "fit", training=t, model=model, code=t.code))
            return trainer if spec.model != "fit" else None
        if name in spec.evaluations or name == "validate":
            loader = data[0] if data else kwargs.get("dataloaders", kwargs.get("test_dataloaders"))
            text = _segment(self.source, node)
            split = "val" if name == "validate" else (loader.split if isinstance(loader, Loader) and loader.split
                                                       else _split_of(text) or "test")
            training = self.latest_training(model)
            self.events.append(Event(self.cell, "evaluate", training=training, model=model, split=split, own=True,
                                     code=text))
            return EvalResult(training, split)
        return UNKNOWN

    def latest_training(self, model: Model) -> Training | None:
        return next((t for t in reversed(self.trainings) if t.model is model), None)

    def invoke(self, fn: ast.FunctionDef, args: list, kwargs: dict, bound: object = None, source: str = ""):
        local: dict = {}
        params = fn.args.args
        defaults = fn.args.defaults
        for i, p in enumerate(params):
            d = i - (len(params) - len(defaults))
            local[p.arg] = self.eval(defaults[d], {}) if d >= 0 else UNKNOWN
        for p, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=False):
            local[p.arg] = self.eval(d, {}) if d is not None else UNKNOWN
        if bound is not None and params:
            local[params[0].arg] = bound
            params = params[1:]
        for p, a in zip(params, args, strict=False):
            local[p.arg] = a
        for k, v in kwargs.items():
            local[k] = v
        self.depth += 1
        caller, self.source = self.source, source or self.source
        try:
            result = self.block(fn.body, local)
        finally:
            self.depth -= 1
            self.source = caller
        return result[1] if isinstance(result, tuple) and result and result[0] == "return" else UNKNOWN

    def instantiate(self, cls: _ModelClass, args: list, kwargs: dict) -> Model:
        """A PyTorch module: ``__init__`` run with its arguments, then ``forward`` followed on a tensor
        (the layers in the order they are applied; ``__init__``'s order where forward cannot be followed)."""
        me = _Self()
        methods = cls.methods()
        if "__init__" in methods and self.depth < MAX_DEPTH:
            fn, source = methods["__init__"]
            self.invoke(fn, args, kwargs, bound=me, source=source)
        registered = [x for v in me.order for x in (v.layers if isinstance(v, Model) else v if isinstance(v, list)
                                                    else [v]) if isinstance(x, Layer)]
        layers = registered
        forward = next((m for m in (cls.applies, "forward", "call") if m in methods), None)
        if forward and self.depth < MAX_DEPTH:
            fn, source = methods[forward]
            result = self.invoke(fn, [Tensor([])], {}, bound=me, source=source)
            if isinstance(result, Tensor) and result.layers and all(
                    any(x is y for y in result.layers) for x in registered if x.kind in ("conv", "dense")):
                layers = result.layers
        model = Model(cls.framework, list(layers))
        model.unknown = not layers
        if "configure_optimizers" in methods and self.depth < MAX_DEPTH:  # Lightning: the model says how it trains
            fn, source = methods["configure_optimizers"]
            opt = self.invoke(fn, [], {}, bound=me, source=source)
            opt = opt[0] if isinstance(opt, (list, tuple)) and opt else opt
            if isinstance(opt, Optimizer):
                model.optimizer, model.weight_decay = opt.name, opt.weight_decay
            steps = "\n".join(ast.get_source_segment(src, f) or "" for f, src in methods.values())
            if re.search(r"cross_entropy|CrossEntropyLoss|nll_loss|NLLLoss", steps):
                model.loss = "categorical_crossentropy"
            if "training_step" in methods and not model.weight_decay:  # an L2 penalty written in the step
                fn, source = methods["training_step"]
                model.weight_decay = _penalty_factor(fn, source, lambda n: _num(self._constant(n, me)))
        return model

    def _constant(self, node: ast.AST, me: _Self):
        """A number written in a model's method: a literal, or ``self.l2`` / ``self.hparams.l2`` set in ``__init__``."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Attribute):
            owner = me if isinstance(node.value, ast.Name) and node.value.id == "self" else (
                me.attrs.get(node.value.attr) if isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name) and node.value.value.id == "self" else None)
            if isinstance(owner, _Self):
                return owner.attrs.get(node.attr)
        return None

    def display_event(self, node: ast.expr, local: dict) -> None:
        """A value Jupyter displays (a cell's last expression, ``display(...)``) that reads a training's
        history, ``pd.DataFrame(history.history)`` and the like: its table belongs to that training."""
        for n in ast.walk(node):
            value = self.lookup(n.id, local) if isinstance(n, ast.Name) else None
            if isinstance(value, History):
                self.events.append(Event(self.cell, "print", training=value.training, split="train",
                                         code=_segment(self.source, node)))
                return

    def _referred(self, hole: ast.expr, local: dict):
        """The evaluation or history a printed expression reads from (``acc * 100``, ``score[1]``,
        ``h.history["val_accuracy"][-1]``), else what it evaluates to."""
        if not any(isinstance(n, ast.Call) for n in ast.walk(hole)):  # no call: evaluating it changes nothing
            value = self.eval(hole, local)
            if isinstance(value, (EvalResult, History)):
                return value
        for n in ast.walk(hole):
            if isinstance(n, ast.Name):
                value = self.lookup(n.id, local)
                if isinstance(value, (EvalResult, History)):
                    return value
        return UNKNOWN

    def print_event(self, node: ast.Call, local: dict) -> None:
        values = [self.eval(a, local) for a in node.args]  # once: an argument may evaluate a model
        refs = [v for v in values if isinstance(v, (EvalResult, History))]
        for n in ast.walk(node):
            if isinstance(n, ast.Name):
                value = self.lookup(n.id, local)
                if isinstance(value, (EvalResult, History)) and value not in refs:
                    refs.append(value)
        if len(values) == 1 and isinstance(values[0], Model):
            self.events.append(Event(self.cell, "show", model=values[0], show="repr",
                                     code=_segment(self.source, node)))
            return
        if sum(1 for e in self.events if e.cell == self.cell) >= MAX_EVENTS:
            return
        template = print_template(node)
        event = Event(self.cell, "print", templates=[template] if template else [], code=_segment(self.source, node))
        event.slots = print_slots(node)
        if event.slots is not None and event.slots.one_line:  # what the interpreter knows of a hole wins over words
            for slot, hole in zip(event.slots.slots, _hole_nodes(node), strict=False):
                value = self._referred(hole, local) if hole is not None else UNKNOWN
                if isinstance(value, History):
                    slot.certain, slot.split = True, "val" if "val_" in slot.code else "train"
                    slot.accuracy = bool(re.search(r"acc", slot.code)) and "loss" not in slot.code
                elif isinstance(value, EvalResult) and value.training is not None:
                    slot.certain = True
                    slot.split = value.split or slot.split
                    index = _index_of(hole)
                    if index is not None:
                        slot.accuracy = index != 0  # [loss, accuracy]: the first is the loss
                    elif slot.accuracy is None:
                        slot.accuracy = True
        if event.slots is not None and event.slots.weak and not any(x.certain for x in event.slots.slots):
            event.slots = None
        if refs:
            ref = refs[0]
            event.training = ref.training
            if isinstance(ref, EvalResult):
                event.split = ref.split
            else:
                event.split = "val" if "val_" in event.code else "train"
        self.events.append(event)

    def method(self, model: Model, name: str, node: ast.Call, local: dict):
        args, kwargs = self.args(node, local)
        if name == "add_module" and len(args) == 2:  # torch: model.add_module("fc", nn.Linear(...))
            args = args[1:]
            name = "add"
        if name == "add" and args:
            if isinstance(args[0], Layer):
                model.layers.append(args[0])
            elif isinstance(args[0], Model):
                model.layers.extend(args[0].layers)
            else:
                model.unknown = True
        elif name == "compile":
            opt = kwargs.get("optimizer", args[0] if args else None)
            if isinstance(opt, str):
                model.optimizer = OPTIMIZERS.get(opt.lower(), opt.lower())
            elif isinstance(opt, Optimizer):
                model.optimizer = opt.name
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            if isinstance(loss, str):
                model.loss = loss.lower()
            else:
                for k in node.keywords:
                    if k.arg == "loss" and isinstance(k.value, ast.Call):
                        model.loss = re.sub(r"(?<!^)(?=[A-Z])", "_", _name(k.value.func)).lower()
        elif name == "summary":
            self.events.append(Event(self.cell, "show", model=model, show="summary", code=_segment(self.source, node)))
        elif name == "fit":
            epochs = kwargs.get("epochs", args[3] if len(args) >= 4 else 1)
            batch = kwargs.get("batch_size", args[2] if len(args) >= 3 else self._fit_batch(node, kwargs))
            first = args[0] if args else kwargs.get("x")
            if isinstance(first, Loader) and "batch_size" not in kwargs:  # a tf.data dataset: batched by itself
                batch = first.batch_size
            verbose = kwargs.get("verbose", 1)
            data = _segment(self.source, node.args[0]) if node.args else _segment(
                self.source, next((k.value for k in node.keywords if k.arg == "x"), node))
            t = Training(model, self.cell, epochs if _num(epochs) is not None else None,
                         batch if _num(batch) is not None else None, list(model.layers),
                         optimizer=model.optimizer, loss=model.loss, weight_decay=model.weight_decay,
                         code=_segment(self.source, node), data=data)
            validation = next((k.value for k in node.keywords if k.arg == "validation_data"), None)
            if validation is not None:
                t.validation = _split_of(_segment(self.source, validation))
            callbacks = next((k.value for k in node.keywords if k.arg == "callbacks"), None)
            if t.validation == "test" and callbacks is not None and self._selects(callbacks, local):
                t.selected_on_test = t.code
            t.test_in_train = self._test_data_in(node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "x"), None))
            self.trainings.append(t)
            self.events.append(Event(self.cell, "fit", training=t, model=model, verbose=verbose != 0,
                                     code=t.code))
            return History(t)
        elif name == "evaluate":
            data = _segment(self.source, node.args[0]) if node.args else _segment(
                self.source, next((k.value for k in node.keywords if k.arg in ("x", "dataset")), node))
            training = self.latest_training(model)
            split = "train" if training is not None and data and data == training.data else _split_of(data)
            verbose = kwargs.get("verbose", 1)
            self.events.append(Event(self.cell, "evaluate", training=training, model=model, split=split,
                                     verbose=verbose != 0, code=_segment(self.source, node)))
            return EvalResult(training, split)
        elif name == "parameters":
            return Params(model)
        elif name in ("to", "cuda", "cpu", "train", "eval", "double", "float"):
            return model
        return UNKNOWN

    # ---------------------------------------------------------------- layers


def interpret(cells: list[tuple[int, str]]) -> Interpreter:
    """The interpreter after following the code cells ``(index, source)`` in order."""
    it = Interpreter()
    for index, source in cells:
        it.run_cell(index, source)
    return it


def framework_of(it: Interpreter, cells: list[tuple[int, str]]) -> str:
    frameworks = {t.model.framework for t in it.trainings}
    if not frameworks:
        text = "\n".join(s for _, s in cells)
        frameworks = ({"pytorch"} if re.search(r"^\s*(import|from)\s+torch", text, re.M) else set()) | (
            {"keras"} if re.search(r"^\s*(import|from)\s+(keras|tensorflow)", text, re.M) else set())
    return frameworks.pop() if len(frameworks) == 1 else "unknown"


def trainings(cells: list[tuple[int, str]]) -> tuple[list[Training], str]:
    """The trainings in the code cells ``(index, source)``, and the framework ("keras", "pytorch", "unknown")."""
    it = interpret(cells)
    return it.trainings, framework_of(it, cells)
