"""The notebook report of one submission: models trained, the students' Table 1, a checklist, flags.

``notebook_report(files)`` finds the submission's notebook among its files and returns a
:class:`NotebookReport`, whose ``to_dict()`` is the ``notebook`` object of ``results.json`` (see the
README); nothing is executed.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .attribution import Attribution, Shown, Value, attribute
from .printed import quote
from .evidence import (
    dataframe_table,
    markdown_table,
    percent,
    review_answers,
)
from .interpreter import (
    Layer,
    Training,
    framework_of,
    interpret,
    kind_of,
    notation,
    of_kind,
)
from .practical import SETTINGS, Part, Practical, load_practical
from .printed import ShownLayer
from .reading import Notebook, NotebookError, read_notebook

SHOWN_TOLERANCE = 1.0  # percentage points: a table value within this of an output counts as shown (rounding)


def find_notebooks(files: list[Path]) -> list[Path]:
    return sorted(f for f in files if f.suffix.lower() == ".ipynb" and ".ipynb_checkpoints" not in f.parts)


class Verdict(enum.StrEnum):
    """A Table 1 value against the notebook's outputs (the word results.json shows). Compared with
    ``==``: a report read back from results.json holds the word."""

    SHOWN = "shown"
    """Some output shows it (as printed, rounded or cut to the table's decimals)."""
    NOT_SHOWN = "not shown"
    """The model's outputs are there, tied to it with certainty, and show a lower value: the one
    verdict that doubts the table, with its evidence."""
    DIFFERS = "differs"
    """The outputs show another value, not lower: reported, no doubt cast."""
    UNVERIFIED = "unverified"
    """Which model, or its outputs, could not be told: said neutrally."""


class NotebookStatus(enum.StrEnum):
    READ = "read"
    MISSING = "missing"  # no notebook in the submission
    UNREADABLE = "unreadable"
    SEVERAL = "several"  # several notebooks: the largest was read


def _empty_checklist() -> dict[str, bool | int]:
    return load_practical().empty_checklist()


@dataclass
class NotebookReport:
    """What the notebook half of a submission shows, read and never run."""

    file: str
    status: NotebookStatus
    framework: str = "unknown"
    executed: bool = False
    experiments: list[dict] = field(default_factory=list)  # one per model trained (see Run.experiment)
    table: list[dict] = field(default_factory=list)  # the students' Table 1, as written
    checklist: dict[str, bool | int] = field(default_factory=_empty_checklist)
    flags: list[str] = field(default_factory=list)  # what a TA should look at
    table_checks: list[dict] | None = None  # each Table 1 value against the outputs (a read notebook only)
    one_layer_differences: list[str] | None = None
    unverified: list[str] | None = None
    # the flags the student's feedback names: models missing, no outputs
    to_check: list[str] = field(default_factory=list)
    practical: Practical = field(default_factory=load_practical, repr=False)  # what it was read against

    def to_dict(self) -> dict:
        """The ``notebook`` object of results.json."""
        out = {"file": self.file, "status": self.status.value, "framework": self.framework, "executed": self.executed,
               "experiments": self.experiments, "table": self.table, "checklist": self.checklist, "flags": self.flags}
        if self.status in (NotebookStatus.READ, NotebookStatus.SEVERAL) and self.table_checks is not None:
            out |= {"table_checks": self.table_checks, "one_layer_differences": self.one_layer_differences,
                    "unverified": self.unverified}
        return out


def empty_report(status: NotebookStatus | str, file: str = "", flags: list[str] | None = None,
                 practical: Practical | None = None) -> NotebookReport:
    practical = practical or load_practical()
    return NotebookReport(file, NotebookStatus(status), flags=flags or [], checklist=practical.empty_checklist(),
                          practical=practical)


def notebook_report(files: list[Path], practical: Practical | None = None) -> NotebookReport:
    """The report of the submission whose files are ``files``, against ``practical``."""
    found = find_notebooks(files)
    if not found:
        return empty_report(NotebookStatus.MISSING, flags=["no notebook (.ipynb) in the submission"],
                            practical=practical)
    if len(found) > 1:
        names = ", ".join(f.name for f in found)
        report = empty_report(NotebookStatus.SEVERAL, names, practical=practical,
                              flags=[f"several notebooks: {names}; the largest is read"])
        path = max(found, key=lambda f: (f.stat().st_size, f.name))
    else:
        report, path = None, found[0]
    try:
        nb = read_notebook(path)
    except (NotebookError, OSError) as err:
        return empty_report(NotebookStatus.UNREADABLE, path.name, [str(err)], practical)
    out = analyse(nb, practical)
    if report is not None:
        out.status = NotebookStatus.SEVERAL
        out.flags = report.flags + out.flags
    return out


def _norm(value):
    if isinstance(value, (list, tuple)):
        value = tuple(value)
        return value[0] if len(set(value)) == 1 else value
    return value


_COMPARED = ("conv", "dense", "maxpool", "avgpool", "gap", "bn", "dropout")


def _agree(code: list[Layer], shown: list[ShownLayer]) -> bool:
    """Whether the code's layers and the printed ones are the same network (on what both say)."""
    a = [x for x in code if x.kind in _COMPARED]
    b = [x for x in shown if x.kind in _COMPARED]
    if [x.kind for x in a] != [x.kind for x in b]:
        return False
    for x, y in zip(a, b, strict=False):
        for attr in ("filters", "kernel", "stride", "padding", "units", "size"):
            u, v = _norm(getattr(x, attr)), _norm(getattr(y, attr))
            if attr == "padding" and x.kind == "conv" and isinstance(u, int) and isinstance(v, str):
                continue
            if u is not None and v is not None and u != v:
                return False
    return True


def _same_modules(code: list[Layer], shown: list[ShownLayer]) -> bool:
    """Whether a PyTorch repr lists the modules the code applies: each once, whatever the order and
    however often forward applies it."""
    unique = list({id(x): x for x in code if x.kind in _COMPARED}.values())
    listed = [x for x in shown if x.kind in _COMPARED]

    def key(x):
        return (x.kind, _norm(x.filters), _norm(x.units), _norm(x.kernel))

    return sorted(map(key, unique), key=repr) == sorted(map(key, listed), key=repr)


def _merged(code: list[Layer], shown: list[ShownLayer]) -> list[Layer]:
    """The printed layers, with what only the code says (L2, dropout rates, string padding) where they line up."""
    a = [x for x in code if x.kind in _COMPARED]
    same = [x.kind for x in a] == [x.kind for x in shown if x.kind in _COMPARED]
    out, k = [], 0
    for y in shown:
        if y.kind not in _COMPARED:
            continue
        x = a[k] if same else None
        k += 1
        layer = Layer(y.kind, filters=y.filters, kernel=y.kernel, stride=y.stride, padding=y.padding, units=y.units,
                      size=y.size, rate=y.rate)
        if x is not None:
            layer.l2 = x.l2
            layer.activation = x.activation
            layer.rate = layer.rate if layer.rate is not None else x.rate
            for attr in ("filters", "kernel", "stride", "padding", "units", "size"):
                if getattr(layer, attr) is None:
                    setattr(layer, attr, getattr(x, attr))
            if isinstance(x.padding, str) and not isinstance(layer.padding, str) and y.kind == "conv":
                layer.padding = x.padding
        out.append(layer)
    return out


def _incomplete(layers: list[Layer]) -> bool:
    return not layers or any(x.kind == "conv" and (x.filters is None or x.kernel is None) for x in layers) or any(
        x.kind == "dense" and x.units is None for x in layers[:-1])


def _layers(t: Training, att: Attribution, notes: list[str], where: str) -> tuple[list[Layer], str]:
    """What was trained: the code's layers, or the printed summary's where the code is not enough or
    disagrees (the output shows what ran)."""
    shown = att.shown_layers(t)
    if shown is None:
        return t.layers, f"{where}: code"
    layers, at, registration = shown
    if _incomplete(t.layers) or t.model.unknown:
        return _merged(t.layers, layers), f"{at}: printed model"
    if registration and not _agree(t.layers, layers) and _same_modules(t.layers, layers):
        return t.layers, f"{where}: code (forward's order; {at} prints each module once, as made)"
    if not _agree(t.layers, layers):
        merged = _merged(t.layers, layers)
        notes.append(f"{where}: the code builds {notation(t.layers)} but {at} prints {notation(merged)}; "
                     "the printed model is reported")
        return merged, f"{at}: printed model"
    return t.layers, f"{where}: code, as {at} prints it"


class _Run:
    """A training with what the report says of it."""

    def __init__(self, t: Training, nb: Notebook, att: Attribution):
        self.t = t
        cell = nb.cells[t.cell]
        self.where = cell.label
        self.notes: list[str] = []
        self.layers, self.layers_from = _layers(t, att, self.notes, self.where)
        found = att.of(t)
        self.found = found
        self.epochs = t.epochs
        self.epochs_from = f"{self.where}: {t.code}" if t.code else self.where
        ran, asked = found.logged_epochs, found.asked_epochs
        if ran is not None and ran != t.epochs:
            if asked is not None and ran < asked:
                self.notes.append(f"{self.where}: the training stopped after epoch {ran} of the {asked} asked "
                                  "(early stopping, or an interrupted run): the log shows what ran")
            elif t.epochs is not None:
                self.notes.append(f"{self.where}: the code asks {t.epochs} epochs, the log shows {ran}")
            self.epochs = ran
            self.epochs_from = f"{self.where}: the training log (Epoch {ran}/{asked if asked is not None else ran})"
        self.train: Value | None = found.train
        self.test: Value | None = found.test

    kind = property(lambda self: kind_of(self.layers))
    convs = property(lambda self: of_kind(self.layers, "conv"))
    denses = property(lambda self: of_kind(self.layers, "dense"))

    def architecture(self) -> str:
        return notation(self.layers)

    def setting(self, key: str):
        t = self.t
        if key == "epochs":
            return self.epochs
        if key == "batch_size":
            return t.batch_size
        if key == "l2":
            if t.model.framework == "pytorch":
                return t.weight_decay or 0.0
            return (self.denses[-1].l2 or 0.0) if self.denses else None
        if key == "output":
            if t.model.framework == "pytorch":
                return "softmax" if t.loss == "categorical_crossentropy" else None
            last = self.denses[-1].activation if self.denses else None
            after = [x.activation for x in t.layers if x.kind == "activation" and x.activation]
            return last or (after[-1] if after else None) or ("linear" if self.denses else None)
        if key == "loss":
            loss = t.loss
            return "categorical_crossentropy" if loss in ("sparse_categorical_crossentropy",) else loss
        if key == "optimizer":
            return t.optimizer
        if key == "hidden":
            return self.denses[0].units if len(self.denses) > 1 else None
        if key == "hidden_activation":
            return self.denses[0].activation if len(self.denses) > 1 else None
        return None

    def experiment(self) -> dict:
        t = self.t
        evidence = {"architecture": self.layers_from, "epochs": self.epochs_from,
                    "batch_size": self.epochs_from if t.batch_size is not None else "",
                    "train_accuracy": self.train.evidence if self.train else "",
                    "test_accuracy": self.test.evidence if self.test else ""}
        if t.model.framework == "pytorch" and t.batch_size is not None:
            evidence["batch_size"] = "the DataLoader the training loop iterates"
        return {"kind": self.kind, "architecture": self.architecture(), "epochs": self.epochs,
                "batch_size": t.batch_size, "optimizer": t.optimizer, "regulariser": t.regulariser,
                "train_accuracy": self.train.value if self.train else None,
                "test_accuracy": self.test.value if self.test else None, "cell": t.cell, "where": self.where,
                "evidence": evidence}


def _differences(run: _Run, part: Part) -> list[tuple[str, str]]:
    """The settings of ``run`` that differ from what ``part`` asks: (key, in words)."""
    out = []
    for key, value in part.settings.items():
        label = SETTINGS[key]
        have = run.setting(key)
        if have is None or (isinstance(value, (int, float)) and isinstance(have, (int, float))
                            and abs(have - value) < 1e-9) or have == value:
            continue
        if key == "l2" and not have:
            out.append((key, f"no L2 regulariser (asked {value:g})"))
            continue
        out.append((key, f"{label} {have:g} (asked {value:g})" if isinstance(have, float)
                    else f"{label} {have} (asked {value})"))
    return out


def _candidate(run: _Run, part: Part) -> bool:
    """Whether ``run`` is a model of ``part``'s kind (a one-layer, a two-layer network; a CNN of one
    convolution): its kind and its number of convolutions (and of dense layers, for a dense part)."""
    m = part.model
    if m.get("kind") and run.kind != m["kind"]:
        return False
    if "conv_layers" in m and len(run.convs) != m["conv_layers"]:
        return False
    if "min_conv_layers" in m and len(run.convs) < m["min_conv_layers"]:
        return False
    return not ("dense_layers" in m and m.get("kind") == "dense" and len(run.denses) != m["dense_layers"])


def _as_asked(run: _Run, part: Part) -> bool:
    """Whether ``run`` is the model ``part`` asks, all its layers' settings included."""
    m = part.model
    if "dense_layers" in m and len(run.denses) != m["dense_layers"]:
        return False
    if part.maxpool is not None and len([x for x in run.layers if x.kind == "maxpool"]) != part.maxpool:
        return False
    for c in run.convs if part.conv else []:
        if "filters" in part.conv and c.filters != part.conv["filters"]:
            return False
        pad = _norm(c.padding)
        want = part.conv.get("padding")
        if want == "same" and not (pad == "same" or pad == 1 and _norm(c.kernel) == 3):
            return False
        if want is not None and want != "same" and pad != want:
            return False
        if "stride" in part.conv and _norm(c.stride) not in (part.conv["stride"], None):
            return False
    return True


_WEIGHT_WORDS = ("weight", "kernel", "poids", "gewicht")


_REPEAT = re.compile(r"(\d+)\s*[x×]\s*[(\[]([^()\[\]]*)[)\]]")


def _expanded(text: str) -> str:
    """A row's shorthand written out: "2 x (CONV D=32 + BN)" and "2xC32" stand for the block twice."""
    for _ in range(4):
        new = _REPEAT.sub(lambda m: "; ".join([m.group(2)] * min(int(m.group(1)), 8)), text)
        if new == text:
            break
        text = new
    return re.sub(r"\b(\d+)\s*[x×]\s*(C\d+)", lambda m: "-".join([m.group(2)] * min(int(m.group(1)), 8)), text)


def _filters_in(text: str) -> list[int]:
    """The numbers of filters a table row's architecture names, in order ("D=32", "CONV 64", "Conv2D(128",
    "C32"), with its repetitions written out."""
    text = _expanded(text)
    found = re.findall(r"\bD\s*=\s*(\d+)", text)
    if not found:
        found = re.findall(r"conv\w*[\s(:=-]*(\d+)(?!\s*x\s*\d)", text, re.I)
    if not found:
        found = re.findall(r"\bC(\d+)\b", text)
    return [int(x) for x in found]


def _candidates(row: dict, runs: list[_Run]) -> list[_Run]:
    """The trainings a row of the students' table reports: those whose convolutions it names."""
    text = row["architecture"]
    filters = _filters_in(text)
    if filters:
        return [r for r in runs if [c.filters for c in r.convs] == filters]
    if re.search(r"conv|\bC\d", text, re.I):
        return []
    denses = len(re.findall(r"dense|linear|fc\b", text, re.I))
    return [r for r in runs if r.kind == "dense" and len(r.denses) == denses] if denses else []


def _printed_as(text: str, value: float) -> bool:
    """Whether a table's cell is this output value, rounded or cut to the cell's decimals."""
    m = re.search(r"([0-9]+)(?:[.,]([0-9]+))?\s*(%?)", text or "")
    claimed = percent(text)
    if not m or claimed is None:
        return False
    decimals = len(m.group(2) or "")
    if not m.group(3) and float(m.group(0).replace(",", ".").rstrip("%").strip()) <= 1.0:
        decimals = max(0, decimals - 2)  # 0.624 is 62.4 %
    pct = 100 * value
    step = 10.0 ** -decimals
    return abs(round(pct, decimals) - claimed) < step / 10 or abs(math.floor(pct / step) * step - claimed) < step / 10


def _above_everything(claimed: float, att: Attribution, covered: bool) -> Shown | None:
    """The highest accuracy any output shows, when a table's value is above it and the outputs cover
    every training (each shows an accuracy): then no output can be the value's source, whichever model
    the row reports."""
    if not covered or not att.shown:
        return None
    top = max(att.shown, key=lambda s: s.value)
    return top if claimed > 100 * top.value + SHOWN_TOLERANCE else None


def _check_table(table: list[dict], runs: list[_Run], att: Attribution, nb: Notebook) -> list[dict]:
    """Each accuracy of the students' table against the outputs: "shown" (some output shows it),
    "not shown" (the outputs of that model are there, certain, and show something else; or the value
    is above every accuracy any output shows, every training's output there), or "unverified" (the
    tool cannot tell which model, or that model's outputs are missing)."""
    checks = []
    covered = {column: bool(runs) and not att.unlinked and all(  # every training shows this column's accuracy
        r.found.output and getattr(r, column) is not None for r in runs) for column in ("train", "test")}
    for k, row in enumerate(table, 1):
        for column, label in (("train", "training"), ("test", "test")):
            claimed = percent(row[column])
            if claimed is None:
                continue
            check = {"row": k, "column": column, "claimed": row[column], "architecture": row["architecture"]}
            near = [s for s in att.shown if _printed_as(row[column], s.value)
                    and not (column == "test" and s.split == "train")]  # a training value is no test accuracy
            cands = _candidates(row, runs)
            own = [v for r in cands for v in (r.train, r.test) if v is not None] if len(
                {r.architecture() for r in cands}) == 1 else []
            near += [Shown(v.value, v.where, v.line) for v in own if abs(100 * v.value - claimed) <= SHOWN_TOLERANCE]
            if near:
                check.update(verdict=Verdict.SHOWN, evidence=f"{near[0].where}: {near[0].line.strip()[:110]}")
                checks.append(check)
                continue
            values = [getattr(r, column) for r in cands]
            top = _above_everything(claimed, att, covered[column] and nb.has_outputs)
            if top is not None and (not cands or any(v is None or not v.certain for v in values)):
                check.update(verdict=Verdict.NOT_SHOWN, seen=[round(100 * top.value, 2)],
                             evidence=f"the highest accuracy any output shows is {100 * top.value:.2f}% "
                                      f"({top.where}: {quote(top.line)})")
            elif not nb.has_outputs:
                check.update(verdict=Verdict.UNVERIFIED, evidence="the notebook has no saved outputs")
            elif not cands:
                check.update(verdict=Verdict.UNVERIFIED,
                             evidence="which trained model this row reports could not be told")
            elif any(v is None or not v.certain for v in values):
                missing = next(r for r, v in zip(cands, values, strict=False) if v is None or not v.certain)
                check.update(verdict=Verdict.UNVERIFIED,
                             evidence=f"the {label} accuracy of that model ({missing.where}) is not in the outputs"
                             if values[cands.index(missing)] is None else
                             f"the output of that model ({missing.where}) cannot be tied to it with certainty")
            elif all(100 * v.value + SHOWN_TOLERANCE < claimed for v in values):
                check.update(verdict=Verdict.NOT_SHOWN, evidence="; ".join(v.evidence for v in values),
                             seen=[round(100 * v.value, 2) for v in values])
            else:
                check.update(verdict=Verdict.DIFFERS, evidence="; ".join(v.evidence for v in values),
                             seen=[round(100 * v.value, 2) for v in values])
            checks.append(check)
    return checks


def _table_one(nb: Notebook, practical: Practical):
    """The students' Table 1: the first results table (a markdown table, or a DataFrame's printed
    output) that a heading naming it ("Table 1", "Tableau 1") introduces or that names it itself; else
    the first results table. A results DataFrame shown on the way is not Table 1 when a table so named
    follows."""
    found, named_next = [], False
    for c in nb.cells:
        text = c.source.lower()
        names = any(w in text for w in practical.table_headings)
        rows = markdown_table(c.source) if c.kind == "markdown" else (
            dataframe_table(c.outputs) if c.kind == "code" and c.outputs else None)
        if rows:
            found.append((names or named_next, rows))
        if c.kind == "markdown" and c.source.strip():
            named_next = names and not rows  # a heading cell naming the table introduces the next one
    return next((rows for named, rows in found if named), found[0][1] if found else None)


def _unlinked_experiment(u) -> dict:
    return {"kind": "unknown", "architecture": "", "epochs": u.epochs, "batch_size": None, "optimizer": None,
            "regulariser": None, "train_accuracy": u.train.value if u.train else None, "test_accuracy": None,
            "cell": u.cell, "where": u.where, "linked": False,
            "evidence": {"architecture": f"{u.where}: the code that trained it could not be followed",
                         "epochs": f"{u.where}: the last epoch the output shows",
                         "batch_size": "", "train_accuracy": u.train.evidence if u.train else "",
                         "test_accuracy": ""}}


def _weights_plot(nb: Notebook, dense1: list[_Run]) -> bool:
    if not dense1:
        return False
    names = {r.t.model.name for r in dense1 if r.t.model.name}
    for c in nb.cells:
        if c.kind != "code" or c.index < dense1[0].t.cell or not c.images:
            continue
        low = c.source.lower()
        if any(w in low for w in _WEIGHT_WORDS) or any(re.search(rf"\b{re.escape(n)}\b", c.source) for n in names) \
                and "imshow" in low:
            return True
    return False


def _short(architecture: str, limit: int = 60) -> str:
    return architecture if len(architecture) <= limit else architecture[: limit - 1] + "…"


def analyse(nb: Notebook, practical: Practical | None = None) -> NotebookReport:
    """The report of a read notebook, against ``practical`` (the shipped PW04 one by default)."""
    practical = practical or load_practical()
    code = [(c.index, c.source) for c in nb.cells if c.kind == "code"]
    it = interpret(code)
    framework = framework_of(it, code)
    att = attribute(nb, it)
    runs = [_Run(t, nb, att) for t in it.trainings]
    flags: list[str] = list(nb.notes)
    unverified: list[str] = [f"{nb.cells[i].label}: {text}" for i, text in it.notes] + att.notes
    stopped = [r for r in runs if nb.cells[r.t.cell].error and not r.found.logged_epochs and r.train is None
               and r.test is None]
    for r in stopped:  # the cell raised before a first epoch ended: what its code asks never ran
        unverified.append(f"{r.where}: the cell stopped on {nb.cells[r.t.cell].error[:120]} before an epoch was "
                          "logged: nothing was trained there")
    runs = [r for r in runs if r not in stopped]
    for r in runs:
        if r.t.test_in_train:
            cell, text = r.t.test_in_train
            flags.append(f"test data in the training data: {nb.cells[cell].label}: {text[:120]} ({r.where} trains "
                         "on it, so its test accuracy is not a test of unseen data)")
        if r.t.selected_on_test:
            flags.append(f"model selection on the test data: {r.where}: {r.t.selected_on_test[:140]} (the test data "
                         "is the validation data its callbacks stop or keep the best epoch on, so its test accuracy "
                         "is not a test of unseen data)")
    executed = nb.executed and nb.has_outputs
    to_check: list[str] = []
    if not nb.has_outputs:
        to_check.append("no saved outputs (the notebook was never executed, or its outputs were cleared): "
                        "its accuracies cannot be checked")
        flags.append(to_check[-1])
    else:
        silent = [r for r in runs if not r.found.output]
        if silent:
            unverified.append("no saved output for the training in " + ", ".join(dict.fromkeys(r.where for r in silent))
                              + ": the accuracies of those models could not be read")
    for r in runs:
        unverified.extend(r.notes)
    experiments = [r.experiment() for r in runs]
    for u in att.unlinked:  # what ran, as the outputs show it, where the code could not be followed
        experiments.append(_unlinked_experiment(u))
    if att.unlinked:
        unverified.append(f"the outputs show {len(att.unlinked)} training run(s) the reader could not link to the "
                          "code that trained them (" + ", ".join(dict.fromkeys(u.where for u in att.unlinked))
                          + "): reported as the outputs show them, without their architecture")

    P = practical
    models = {p.id: [r for r in runs if _candidate(r, p)] for p in P.parts if p.model}
    asked = {pid: [r for r in rs if _as_asked(r, P.part(pid))] for pid, rs in models.items()}
    differences: list[tuple[str, str]] = []
    first_settings = next((p.id for p in P.parts if p.settings), None)
    for p in P.parts:
        found = asked.get(p.id, [])
        if p.settings and found and not any(not _differences(r, p) for r in found):
            diffs = _differences(found[0], p)
            if p.id == first_settings:
                differences = diffs
            flags.append(f"{p.label}{', first run' if len(found) > 1 else ''} ({found[0].where}): "
                         + ", ".join(text for _, text in diffs))
        if p.model and models[p.id] and not found and p.count is None:
            near = models[p.id][0]
            flags.append(f"{p.label} not as asked{f' ({p.asked})' if p.asked else ''}: {near.architecture()} "
                         f"({near.where})")

    table_rows = _table_one(nb, P)
    if table_rows is None and any(w in c.source.lower() for c in nb.cells for w in P.table_headings):
        flags.append("Table 1 is mentioned but no table with an architecture and a test accuracy column was found")
    table = [r.as_dict() for r in table_rows or []]
    checks = _check_table(table, runs, att, nb) if table else []
    silent = [r for r in runs if not r.found.output]
    if table and nb.has_outputs and silent:  # cleared (or never run) but for some cells: say what cannot be checked
        flags.append("Table 1 cannot be checked in full: the cells that train " + ", ".join(
            dict.fromkeys(r.where for r in silent)) + " have no saved output (cleared, or never run)")
    for ch in checks:
        label = "training" if ch["column"] == "train" else "test"
        row = f"Table 1 row {ch['row']} ({_short(ch['architecture'], 50)})"
        if ch["verdict"] == Verdict.NOT_SHOWN and ch["evidence"].startswith("the highest accuracy any output"):
            flags.append(f"{row} gives {ch['claimed']} {label} accuracy; no output shows it: {ch['evidence']}")
        elif ch["verdict"] == Verdict.NOT_SHOWN:
            seen = ", ".join(f"{v:.1f}%" for v in ch["seen"])
            flags.append(f"{row} gives {ch['claimed']} {label} accuracy; no output shows it, and the outputs of "
                         f"that model show {seen} ({ch['evidence']})")
        elif ch["verdict"] == Verdict.UNVERIFIED and nb.has_outputs:
            unverified.append(f"{row}: {ch['claimed']} {label} accuracy could not be checked: {ch['evidence']}")

    checklist: dict[str, bool | int] = {}
    for p in P.parts:
        if p.count is not None:
            checklist[p.id] = len({r.architecture() for r in asked[p.id]})
        elif p.model:
            checklist[p.id] = bool(asked[p.id])
        elif p.plot_of:
            checklist[p.id] = _weights_plot(nb, asked.get(p.plot_of, []))
        elif p.table:
            checklist[p.id] = bool(table)
        elif p.review:
            checklist[p.id] = review_answers([c.source for c in nb.cells if c.kind == "markdown"], P.questions)
    missing = [p.label for p in P.parts if p.model and p.count is None and not checklist[p.id]]
    counted = [p for p in P.parts if p.model and p.count is not None]
    if any(p.model.get("kind") == "cnn" for p in P.parts) and not any(r.kind == "cnn" for r in runs):
        missing.append("any CNN")
    else:
        for p in counted:
            if checklist[p.id] < p.count[0]:
                missing.append(f"{p.label} ({checklist[p.id]} of {p.count[0]}-{p.count[1]})")
    if missing and att.unlinked:  # the outputs show trainings the reader could not follow: say so, claim nothing
        flags.append("not found in the code the reader could follow: " + ", ".join(missing) + "; the outputs show "
                     f"{len(att.unlinked)} more training run(s) it could not link (" + ", ".join(
                         dict.fromkeys(u.where for u in att.unlinked)) + "): a person checks which models they are")
    elif missing:
        to_check.append("models missing: " + ", ".join(missing))
        flags.append(to_check[-1])
    return NotebookReport(nb.name, NotebookStatus.READ, framework, executed, experiments, table, checklist, flags,
                          checks, [key for key, _ in differences], unverified, to_check, P)


def accusations(report: NotebookReport | dict) -> list[tuple[str, str]]:
    """The table cells the report says no output shows: (column, the cell as written); of a report,
    or of its dict in results.json."""
    checks = report.get("table_checks", []) if isinstance(report, dict) else report.table_checks
    return [(c["column"], c["claimed"]) for c in checks or [] if c["verdict"] == Verdict.NOT_SHOWN]


def summary(report: NotebookReport) -> str:
    """One or two sentences for the student's feedback and the Moodle comment."""
    if report.status in (NotebookStatus.MISSING, NotebookStatus.UNREADABLE):
        return "Notebook: " + "; ".join(report.flags) + "."
    c, P = report.checklist, report.practical
    found = [p.label for p in P.parts if not p.counted and c.get(p.id)]
    text = f"Notebook: found {', '.join(found) or 'no required part'}"
    counts = [f"{c.get(p.id, 0)} {p.label}" if p.count is not None else
              f"{c.get(p.id, 0)} of {len(P.questions)} review questions answered" for p in P.parts if p.counted]
    text += ("; " + "; ".join(counts) if counts else "") + "."
    if report.to_check:
        text += " To check: " + "; ".join(report.to_check) + "."
    return text


def best_cnn(report: NotebookReport | dict) -> dict | None:
    """The CNN with the best test accuracy the outputs show (the experiment), or None; of a report,
    or of its dict in results.json."""
    experiments = report.get("experiments", []) if isinstance(report, dict) else report.experiments
    cnns = [e for e in experiments if e["kind"] == "cnn" and e["test_accuracy"] is not None]
    return max(cnns, key=lambda e: e["test_accuracy"], default=None)


def best_cnn_test(report: dict) -> float | None:
    best = best_cnn(report)
    return best["test_accuracy"] if best else None
