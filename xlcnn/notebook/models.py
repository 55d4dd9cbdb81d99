"""The networks a notebook trains, read from its code with ``ast`` (nothing is executed).

A small abstract interpreter follows the code cells in order: Keras ``Sequential`` models
(a list, or ``model.add(...)`` chains), the functional API (``x = Conv2D(...)(x)`` then
``Model(inputs, outputs)``), models built by helper functions or loops whose arguments are
literal, and PyTorch ``nn.Sequential`` and ``nn.Module`` subclasses (layers from ``__init__``).
A model counts as trained when ``fit`` is called on it, or when it is called inside a loop
that runs ``backward()`` (PyTorch). Each training is one :class:`Training`, in the order of
the notebook, with its layers in the practical's notation.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

MAX_LOOP = 64  # iterations unrolled when a loop runs over literal values
MAX_DEPTH = 6  # nested helper-function calls followed
MAX_STATEMENTS = 50_000  # statements interpreted in all (a hostile notebook stays cheap)

KERAS_LAYERS = {
    "Conv2D": "conv", "Convolution2D": "conv", "Dense": "dense", "MaxPooling2D": "maxpool", "MaxPool2D": "maxpool",
    "Flatten": "flatten", "BatchNormalization": "bn", "Dropout": "dropout", "Activation": "activation",
    "ReLU": "activation", "Softmax": "activation", "InputLayer": "input", "GlobalAveragePooling2D": "gap",
    "AveragePooling2D": "avgpool", "Rescaling": "other", "RandomFlip": "augment", "RandomTranslation": "augment",
    "RandomRotation": "augment", "RandomZoom": "augment",
}
TORCH_LAYERS = {
    "Conv2d": "conv", "Linear": "dense", "MaxPool2d": "maxpool", "Flatten": "flatten", "BatchNorm2d": "bn",
    "BatchNorm1d": "bn", "Dropout": "dropout", "Dropout2d": "dropout", "ReLU": "activation", "Softmax": "activation",
    "LogSoftmax": "activation", "AdaptiveAvgPool2d": "gap", "AvgPool2d": "avgpool",
}
OPTIMIZERS = {"adam": "adam", "adamw": "adamw", "sgd": "sgd", "rmsprop": "rmsprop", "adagrad": "adagrad",
              "nadam": "nadam", "adadelta": "adadelta"}


@dataclass
class Layer:
    kind: str
    filters: int | None = None
    kernel: object = None
    stride: object = None
    padding: object = None
    units: int | None = None
    activation: str | None = None
    l2: float | None = None
    size: object = None
    rate: float | None = None


@dataclass
class Model:
    framework: str  # "keras" | "pytorch"
    layers: list[Layer] = field(default_factory=list)
    optimizer: str | None = None
    loss: str | None = None
    weight_decay: float | None = None


@dataclass
class Tensor:
    layers: list[Layer] = field(default_factory=list)


@dataclass
class Training:
    """One training run of one model: what was trained, how, and in which cell."""

    model: Model
    cell: int
    epochs: int | None
    batch_size: int | None
    layers: list[Layer] = field(default_factory=list)  # as they were when it was trained

    @property
    def kind(self) -> str:
        return "cnn" if any(layer.kind == "conv" for layer in self.layers) else "dense"

    @property
    def convs(self) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind == "conv"]

    @property
    def denses(self) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind == "dense"]

    @property
    def regulariser(self) -> str | None:
        l2 = [layer.l2 for layer in self.layers if layer.l2]
        if l2:
            return f"L2 {l2[0]:g}"
        if self.model.weight_decay:
            return f"weight decay {self.model.weight_decay:g}"
        return None

    def architecture(self) -> str:
        return notation(self.layers)


def _pair(value) -> tuple:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return tuple(value)
    return (value, value)


def notation(layers: list[Layer]) -> str:
    """The practical's notation: "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"."""
    parts: list[str] = []
    denses = [layer for layer in layers if layer.kind == "dense"]
    for layer in layers:
        if layer.kind == "conv":
            kh, kw = _pair(layer.kernel if layer.kernel is not None else "?")
            sh, sw = _pair(layer.stride if layer.stride is not None else 1)
            size = f"w=h={kh}" if kh == kw else f"w={kw}, h={kh}"
            stride = f"S={sh}" if sh == sw else f"S=({sh},{sw})"
            pad = layer.padding if layer.padding is not None else "valid"
            text = f"CONV D={layer.filters if layer.filters is not None else '?'}, {size}, {stride}, " + (
                f"P='{pad}'" if isinstance(pad, str) else f"P={pad}")
            if layer.l2:
                text += f", L2={layer.l2:g}"
            parts.append(text)
        elif layer.kind == "dense":
            text = "DENSE" if layer is denses[-1] else f"DENSE {layer.units if layer.units is not None else '?'}"
            if layer.l2:
                text += f", L2={layer.l2:g}"
            parts.append(text)
        elif layer.kind == "maxpool":
            ph, pw = _pair(layer.size if layer.size is not None else 2)
            parts.append("MAXPOOL" if (ph, pw) == (2, 2) else f"MAXPOOL {ph}x{pw}")
        elif layer.kind == "gap":
            parts.append("GLOBAL AVG POOL")
        elif layer.kind == "avgpool":
            parts.append("AVGPOOL")
        elif layer.kind == "bn" and parts:
            parts[-1] += " + BN"
        elif layer.kind == "dropout" and parts:
            parts[-1] += f" + DROPOUT {layer.rate:g}" if isinstance(layer.rate, (int, float)) else " + DROPOUT"
    return "; ".join(f"Layer {i} : {p}" for i, p in enumerate(parts, 1))


class _Unknown:
    def __repr__(self) -> str:
        return "?"


UNKNOWN = _Unknown()


@dataclass
class _Function:
    node: ast.FunctionDef


@dataclass
class _TorchClass:
    layers: list[Layer]


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


class Interpreter:
    """Follows the code of a notebook, cell after cell; :attr:`trainings` is the result."""

    def __init__(self) -> None:
        self.env: dict[str, object] = {}
        self.trainings: list[Training] = []
        self.cell = 0
        self.steps = 0
        self.depth = 0
        self.batch_size: int | None = None  # a DataLoader's, for PyTorch loops
        self.torch_names: set[str] = {"nn", "torch"}

    # ---------------------------------------------------------------- statements

    def run_cell(self, index: int, source: str) -> None:
        self.cell = index
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        self.block(tree.body, {})

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
            for target in targets:
                self.assign(target, value, local)
        elif isinstance(node, ast.AugAssign):
            pass
        elif isinstance(node, ast.Expr):
            self.eval(node.value, local)
        elif isinstance(node, ast.FunctionDef):
            (local if self.depth else self.env)[node.name] = _Function(node)
        elif isinstance(node, ast.ClassDef):
            self.classdef(node, local)
        elif isinstance(node, ast.For):
            self.loop(node, local)
        elif isinstance(node, (ast.If, ast.With, ast.Try)):
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

    def assign(self, target: ast.expr, value, local: dict) -> None:
        scope = local if self.depth else self.env
        if isinstance(target, ast.Name):
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self.assign(t, UNKNOWN, local)

    def lookup(self, name: str, local: dict):
        if name in local:
            return local[name]
        return self.env.get(name, UNKNOWN)

    def loop(self, node: ast.For, local: dict) -> None:
        if any(isinstance(n, ast.Attribute) and n.attr == "backward" for n in ast.walk(node)):
            self.torch_training(node, local)
            return
        values = self.eval(node.iter, local)
        if isinstance(values, range):
            values = list(values)
        if isinstance(values, (list, tuple)) and len(values) <= MAX_LOOP:
            for v in values:
                self.assign(node.target, v, local)
                self.block(node.body, local)
        else:
            self.assign(node.target, UNKNOWN, local)
            self.block(node.body, local)

    def torch_training(self, node: ast.For, local: dict) -> None:
        """A loop that runs backward(): the models called in it are trained; epochs from range(N)."""
        epochs = None
        values = self.eval(node.iter, local)
        if isinstance(values, range):
            epochs = len(values)
        trained = []
        for n in ast.walk(node):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                value = self.lookup(n.func.id, local)
                if isinstance(value, Model) and value not in trained:
                    trained.append(value)
        for model in trained:
            self.trainings.append(Training(model, self.cell, epochs, self.batch_size, list(model.layers)))

    def classdef(self, node: ast.ClassDef, local: dict) -> None:
        bases = {_name(b) for b in node.bases}
        if "Module" not in bases:
            return
        layers: list[Layer] = []
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                for stmt in ast.walk(item):
                    if isinstance(stmt, ast.Assign) and any(
                            isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                            for t in stmt.targets):
                        value = self.eval(stmt.value, {})
                        if isinstance(value, Layer):
                            layers.append(value)
                        elif isinstance(value, Model):
                            layers.extend(value.layers)
        (local if self.depth else self.env)[node.name] = _TorchClass(layers)

    # ---------------------------------------------------------------- expressions

    def eval(self, node: ast.expr | None, local: dict):
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id, local)
        if isinstance(node, (ast.List, ast.Tuple)):
            out = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    inner = self.eval(elt.value, local)
                    out.extend(inner if isinstance(inner, (list, tuple)) else [UNKNOWN])
                else:
                    out.append(self.eval(elt, local))
            return out if isinstance(node, ast.List) else tuple(out)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self.eval(node.operand, local)
            return -v if isinstance(v, (int, float)) and not isinstance(v, bool) else UNKNOWN
        if isinstance(node, ast.BinOp):
            a, b = self.eval(node.left, local), self.eval(node.right, local)
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
                try:
                    return {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                            ast.FloorDiv: lambda: a // b, ast.Div: lambda: a / b,
                            ast.Pow: lambda: a ** b if abs(b) <= 64 and abs(a) <= 1e6 else UNKNOWN,
                            }.get(type(node.op), lambda: UNKNOWN)()
                except (ZeroDivisionError, OverflowError):
                    return UNKNOWN
            return UNKNOWN
        if isinstance(node, ast.Call):
            return self.call(node, local)
        return UNKNOWN

    def args(self, node: ast.Call, local: dict) -> tuple[list, dict]:
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                inner = self.eval(a.value, local)
                args.extend(inner if isinstance(inner, (list, tuple)) else [UNKNOWN])
            else:
                args.append(self.eval(a, local))
        kwargs = {k.arg: self.eval(k.value, local) for k in node.keywords if k.arg}
        return args, kwargs

    def call(self, node: ast.Call, local: dict):
        func = node.func
        # a layer or model applied to a tensor: Conv2D(...)(x), model(x)
        if isinstance(func, ast.Call) or (isinstance(func, ast.Name) and isinstance(self.lookup(func.id, local),
                                                                                       (Layer, Model))):
            callee = self.eval(func, local)
            args, _ = self.args(node, local)
            source = args[0] if args else None
            base = list(source.layers) if isinstance(source, Tensor) else []
            if isinstance(callee, Layer):
                return Tensor(base + [callee])
            if isinstance(callee, Model):
                return Tensor(base + list(callee.layers))
            return UNKNOWN
        name = _name(func)
        if isinstance(func, ast.Attribute):
            owner = self.eval(func.value, local) if isinstance(func.value, (ast.Name, ast.Call)) else UNKNOWN
            if isinstance(owner, Model):
                return self.method(owner, name, node, local)
        args, kwargs = self.args(node, local)
        dotted = _dotted(func)
        torch = dotted.split(".")[0] in self.torch_names and dotted.split(".")[0] not in ("keras", "tf", "layers")
        if name == "Sequential":
            layers = [v for v in (args[0] if args and isinstance(args[0], (list, tuple)) else args)
                      if isinstance(v, (Layer, Model))]
            flat = [x for v in layers for x in (v.layers if isinstance(v, Model) else [v])]
            return Model("pytorch" if torch or (dotted.startswith("nn.")) else "keras", flat)
        if name in ("Model", "Functional"):
            outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
            if isinstance(outputs, (list, tuple)) and outputs:
                outputs = outputs[0]
            return Model("keras", list(outputs.layers) if isinstance(outputs, Tensor) else [])
        if name in ("Input",):
            return Tensor([])
        if name in ("l2", "L2") and "regularizers" in dotted or name in ("l2", "L2") and len(args) <= 1 and not torch:
            value = kwargs.get("l2", args[0] if args else 0.01)
            return ("l2", value)
        if name == "DataLoader" and isinstance(kwargs.get("batch_size"), int):
            self.batch_size = kwargs["batch_size"]
        if name.lower() in OPTIMIZERS and torch:
            wd = kwargs.get("weight_decay")
            return ("optimizer", OPTIMIZERS[name.lower()], wd if isinstance(wd, (int, float)) else None)
        if name.lower() in OPTIMIZERS:
            return ("optimizer", OPTIMIZERS[name.lower()], None)
        if torch and name in TORCH_LAYERS:
            return self.torch_layer(name, args, kwargs)
        if not torch and name in KERAS_LAYERS:
            return self.keras_layer(name, args, kwargs)
        value = self.lookup(name, local) if isinstance(func, ast.Name) else UNKNOWN
        if isinstance(value, _TorchClass):
            return Model("pytorch", list(value.layers))
        if isinstance(value, _Function) and self.depth < MAX_DEPTH:
            return self.invoke(value.node, args, kwargs)
        if name == "range":
            if all(isinstance(a, int) and not isinstance(a, bool) for a in args) and 1 <= len(args) <= 3:
                r = range(*args)
                return r if len(r) <= 10_000 else UNKNOWN
        return UNKNOWN

    def invoke(self, fn: ast.FunctionDef, args: list, kwargs: dict):
        local: dict = {}
        params = fn.args.args
        defaults = fn.args.defaults
        for i, p in enumerate(params):
            d = i - (len(params) - len(defaults))
            local[p.arg] = self.eval(defaults[d], {}) if d >= 0 else UNKNOWN
        for p, a in zip(params, args):
            local[p.arg] = a
        for k, v in kwargs.items():
            local[k] = v
        self.depth += 1
        try:
            result = self.block(fn.body, local)
        finally:
            self.depth -= 1
        return result[1] if isinstance(result, tuple) and result and result[0] == "return" else UNKNOWN

    def method(self, model: Model, name: str, node: ast.Call, local: dict):
        args, kwargs = self.args(node, local)
        if name == "add" and args:
            if isinstance(args[0], Layer):
                model.layers.append(args[0])
            elif isinstance(args[0], Model):
                model.layers.extend(args[0].layers)
        elif name == "compile":
            opt = kwargs.get("optimizer", args[0] if args else None)
            if isinstance(opt, str):
                model.optimizer = OPTIMIZERS.get(opt.lower(), opt.lower())
            elif isinstance(opt, tuple) and opt and opt[0] == "optimizer":
                model.optimizer = opt[1]
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            if isinstance(loss, str):
                model.loss = loss
            elif isinstance(node.keywords, list):
                for k in node.keywords:
                    if k.arg == "loss" and isinstance(k.value, ast.Call):
                        model.loss = re.sub(r"(?<!^)(?=[A-Z])", "_", _name(k.value.func)).lower()
        elif name == "fit":
            epochs = kwargs.get("epochs", 1)
            batch = kwargs.get("batch_size", 32 if "batch_size" not in kwargs and len(args) < 3 else None)
            if len(args) >= 3 and isinstance(args[2], int):
                batch = args[2]
            if len(args) >= 4 and isinstance(args[3], int) and "epochs" not in kwargs:
                epochs = args[3]
            self.trainings.append(Training(model, self.cell, epochs if isinstance(epochs, int) else None,
                                           batch if isinstance(batch, int) else None, list(model.layers)))
        return UNKNOWN

    # ---------------------------------------------------------------- layers

    @staticmethod
    def _num(value):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def keras_layer(self, name: str, args: list, kwargs: dict) -> Layer:
        kind = KERAS_LAYERS[name]
        layer = Layer(kind)
        reg = kwargs.get("kernel_regularizer")
        if isinstance(reg, tuple) and reg and reg[0] == "l2":
            layer.l2 = self._num(reg[1])
        elif isinstance(reg, str) and reg.lower() == "l2":
            layer.l2 = 0.01
        act = kwargs.get("activation", args[1] if kind == "dense" and len(args) > 1 else None)
        layer.activation = act if isinstance(act, str) else None
        if kind == "conv":
            layer.filters = self._num(kwargs.get("filters", args[0] if args else None))
            layer.kernel = kwargs.get("kernel_size", args[1] if len(args) > 1 else None)
            layer.stride = kwargs.get("strides", args[2] if len(args) > 2 else 1)
            layer.padding = kwargs.get("padding", args[3] if len(args) > 3 else "valid")
            layer.activation = kwargs.get("activation") if isinstance(kwargs.get("activation"), str) else None
        elif kind == "dense":
            layer.units = self._num(kwargs.get("units", args[0] if args else None))
        elif kind == "maxpool":
            layer.size = kwargs.get("pool_size", args[0] if args else 2)
        elif kind == "dropout":
            layer.rate = self._num(kwargs.get("rate", args[0] if args else None))
        elif kind == "activation":
            value = args[0] if args else ("relu" if name == "ReLU" else "softmax" if name == "Softmax" else None)
            layer.activation = value if isinstance(value, str) else None
        return layer

    def torch_layer(self, name: str, args: list, kwargs: dict) -> Layer:
        kind = TORCH_LAYERS[name]
        layer = Layer(kind)
        if kind == "conv":
            layer.filters = self._num(kwargs.get("out_channels", args[1] if len(args) > 1 else None))
            layer.kernel = kwargs.get("kernel_size", args[2] if len(args) > 2 else None)
            layer.stride = kwargs.get("stride", args[3] if len(args) > 3 else 1)
            layer.padding = kwargs.get("padding", args[4] if len(args) > 4 else 0)
        elif kind == "dense":
            layer.units = self._num(kwargs.get("out_features", args[1] if len(args) > 1 else None))
        elif kind == "maxpool":
            layer.size = kwargs.get("kernel_size", args[0] if args else 2)
        elif kind == "dropout":
            layer.rate = self._num(kwargs.get("p", args[0] if args else 0.5))
        elif kind == "activation":
            layer.activation = {"ReLU": "relu", "Softmax": "softmax", "LogSoftmax": "softmax"}.get(name)
        return layer


def trainings(cells: list[tuple[int, str]]) -> tuple[list[Training], str]:
    """The trainings in the code cells ``(index, source)``, and the framework ("keras", "pytorch", "unknown")."""
    it = Interpreter()
    for index, source in cells:
        it.run_cell(index, source)
    frameworks = {t.model.framework for t in it.trainings}
    text = "\n".join(s for _, s in cells)
    if not frameworks:
        frameworks = ({"pytorch"} if re.search(r"^\s*(import|from)\s+torch", text, re.M) else set()) | (
            {"keras"} if re.search(r"^\s*(import|from)\s+(keras|tensorflow)", text, re.M) else set())
    framework = frameworks.pop() if len(frameworks) == 1 else "unknown"
    return it.trainings, framework
