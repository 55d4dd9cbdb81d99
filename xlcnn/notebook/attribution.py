"""Which saved output belongs to which training: the code's events paired with each cell's output.

For every code cell, the events the interpreter recorded (fits, evaluations, prints, summaries,
the students' training loops) are laid over the cell's output in order: a fit takes the next
Keras log, Keras' ``evaluate`` the next progress bar, a ``print`` the first line its literal text
matches, a summary the next table. Each event owns the lines from where it starts to where the
next one starts, and the accuracies there are its model's. Every value keeps its evidence: the
cell as Jupyter shows it (``In [12]``) and the line it was read from.

A value is *certain* when its line belongs to its model beyond doubt (the model's own fit log, an
evaluation of that model, a print of that evaluation's result, the model's own training loop). An
accuracy printed in a cell that trains nothing is given to the model trained just before, but
not certain: it is reported, never used to question a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .interpreter import Event, History, Interpreter, Training
from .printed import (
    Mention,
    Output,
    ShownLayer,
    keras_summaries,
    quote,
    read_output,
    torch_reprs,
    torch_summaries,
)
from .reading import Cell, Notebook


@dataclass
class Value:
    value: float
    where: str  # "In [12]"
    line: str
    certain: bool = True

    @property
    def evidence(self) -> str:
        return f"{self.where}: {quote(self.line)}"


@dataclass
class Found:
    """What the outputs show of one training."""

    train: Value | None = None
    test: Value | None = None
    logged_epochs: int | None = None  # the last epoch the log shows: what ran (EarlyStopping stops before N)
    asked_epochs: int | None = None  # the N of its "Epoch k/N" lines
    output: bool = False  # the cell that trains it has saved output
    notes: list[str] = field(default_factory=list)


@dataclass
class Shown:
    """Every accuracy any output shows, to check what a table claims against."""

    value: float
    where: str
    line: str
    split: str | None = None  # "train" where the output says it is a training accuracy

@dataclass
class Unlinked:
    """A training run the outputs show (a log, per-epoch lines) in a cell whose code the reader could
    not follow to a model: reported all the same, with what it shows."""

    where: str
    cell: int
    epochs: int | None  # the last epoch shown
    train: Value | None
    val: Value | None


@dataclass
class Attribution:
    found: dict[int, Found]  # id(training) -> what its outputs show
    shown: list[Shown]
    notes: list[str]
    unlinked: list[Unlinked] = field(default_factory=list)
    # id(model) -> (cell, layers, where, registration): a printed table; registration: a PyTorch repr, which lists
    # each module once, in the order __init__ made them (not the order forward applies them)
    shows: dict[int, list[tuple[int, list[ShownLayer], str, bool]]] = field(default_factory=dict)

    def of(self, t: Training) -> Found:
        return self.found.setdefault(id(t), Found())

    def shown_layers(self, t: Training) -> tuple[list[ShownLayer], str, bool] | None:
        """The layers a summary or printed model shows for the model ``t`` trained: the last one printed
        before (or in) its cell, else the first after; and whether it lists modules as registered."""
        tables = self.shows.get(id(t.model), [])
        before = [x for x in tables if x[0] <= t.cell]
        pick = before[-1] if before else (tables[0] if tables else None)
        return (pick[1], pick[2], pick[3]) if pick else None


_SUMMARY_START = re.compile(r"^\s*Model:\s|Layer \(type\)")
_REPR_START = re.compile(r"^[A-Za-z_]\w*\($")


def _set(found: Found, split: str, value: Value) -> None:
    old = getattr(found, split)
    if old is None or value.certain or not old.certain:
        setattr(found, split, value)


def _start(event: Event, out: Output, pointer: int, paired: dict[int, int]) -> int | None:
    if id(event) in paired:
        return paired[id(event)]
    lines = out.lines
    if event.kind == "show":
        pattern = _SUMMARY_START if event.show == "summary" else _REPR_START
        return next((i for i in range(pointer, len(lines)) if pattern.search(lines[i])), None)
    if event.slots is not None:
        for i in range(pointer, len(lines)):
            if not out.in_log(i) and event.slots.match(lines[i]) is not None:
                return i
    if event.templates:
        for i in range(pointer, len(lines)):
            if not out.in_log(i) and any(t.search(lines[i]) for t in event.templates):
                return i
    elif event.kind == "print" and event.training is not None and event.split in ("train", "test"):
        # print(acc) or print(model.evaluate(...)): no text of its own; it is the next line outside a log
        # when that line is what such a print writes, a bare number or a [loss, accuracy] list
        i = next((i for i in range(pointer, len(lines)) if not out.in_log(i) and lines[i].strip()), None)
        if i is not None and (_BARE.fullmatch(lines[i]) or any(x[0] == i for x in out.lists)):
            return i
    return None


_BARE = re.compile(r"\s*[0-9]*\.[0-9]+\s*")


def attribute(nb: Notebook, it: Interpreter) -> Attribution:
    result = Attribution({}, [], [])
    by_cell: dict[int, list[Event]] = {}
    for e in it.events:
        by_cell.setdefault(e.cell, []).append(e)
    code_cells = [c for c in nb.cells if c.kind == "code"]
    subject: tuple[int, Training] | None = None  # the model trained last: (position among code cells, training)
    for pos, cell in enumerate(code_cells):
        events = by_cell.get(cell.index, [])
        out = read_output(cell.outputs) if cell.outputs else Output([])
        _read_through_prints(events, out)
        _collect_shown(cell, out, result.shown)
        for e in events:
            if e.kind in ("fit", "train") and e.training is not None:
                result.of(e.training).output = bool(cell.outputs.strip())
        if cell.outputs.strip():
            _attribute_cell(cell, events, out, result, subject if subject and subject[0] >= pos - 1 else None)
            if not any(e.training is not None for e in events) and not _reads_a_history(cell, it):
                result.unlinked.extend(_runs_shown(cell, out))
        for e in events:
            if e.kind in ("fit", "train") and e.training is not None:
                subject = (pos, e.training)
    for t in it.trainings:
        result.of(t)
    return result


def _reads_a_history(cell: Cell, it: Interpreter) -> bool:
    """Whether a cell's code reads a training's history (its per-epoch lines print a run again)."""

    names = {n for n, v in it.env.items() if isinstance(v, History)}
    return ".history[" in cell.source or any(re.search(rf"\b{re.escape(n)}\b", cell.source) for n in names)


def _slot_value(text: str, slot) -> float | None:
    """The number a hole printed, as a fraction 0..1 (a percentage where its format or its "* 100"
    says so, or its text ends in "%"; a number above 1 is read as one too)."""
    m = re.fullmatch(r"\s*\(?\s*([-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*(%?)\s*\)?\s*", text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    if slot.percent or m.group(2) or value > 1.0:
        value = round(value / 100, 10)
    return value if 0.0 <= value <= 1.0 else None


def _read_through_prints(events: list[Event], out: Output) -> None:
    """Each line a print of the cell wrote, matched against that print's template: its accuracies are
    read from the holes that hold them (the slot says which split), and nothing else on the line counts
    ("Test accuracy 1-layer: 39.54%" is 0.3954, never the 1 of "1-layer")."""
    start = 0
    for e in events:
        if e.kind != "print" or e.slots is None:
            continue
        for i in range(start, len(out.lines)):
            if out.in_log(i):
                continue
            holes = e.slots.match(out.lines[i])
            if holes is None:
                continue
            read = []
            for slot, text in zip(e.slots.slots, holes, strict=False):
                value = _slot_value(text, slot) if slot.accuracy else None
                if value is not None:
                    read.append(Mention(i, value, slot.split or e.split, out.lines[i]))
            out.mentions = [x for x in out.mentions if x.index != i] + read
            start = i + 1
            break
    out.mentions.sort(key=lambda x: x.index)


def _runs_shown(cell: Cell, out: Output) -> list[Unlinked]:
    """The training runs a cell's output shows by itself: each Keras log, each run of per-epoch lines."""
    runs = []
    for log in out.logs:
        final = log.final
        if final is None:
            continue
        line = f"Epoch {final.number}/{final.total} … {final.line}"
        runs.append(Unlinked(cell.label, cell.index, final.number,
                              Value(final.train, cell.label, line, certain=False) if final.train is not None else None,
                              Value(final.val, cell.label, line, certain=False) if final.val is not None else None))
    for frame in out.frames:
        final = frame.final
        line = f"history table, epoch {final.number}: {final.line}"
        runs.append(Unlinked(cell.label, cell.index, final.number,
                              Value(final.train, cell.label, line, certain=False) if final.train is not None else None,
                              Value(final.val, cell.label, line, certain=False) if final.val is not None else None))
    for run in out.epoch_runs():
        last = run[-1].epoch
        train = [m for m in run if m.epoch == last and m.split in ("train", None)]
        val = [m for m in run if m.epoch == last and m.split == "val"]
        runs.append(Unlinked(cell.label, cell.index, last,
                              Value(train[-1].value, cell.label, train[-1].line, certain=False) if train else None,
                              Value(val[-1].value, cell.label, val[-1].line, certain=False) if val else None))
    return runs


def _collect_shown(cell: Cell, out: Output, shown: list[Shown]) -> None:
    for log in out.logs:
        for ep in log.epochs:
            for v, split in ((ep.train, "train"), (ep.val, "val")):
                if v is not None:
                    shown.append(Shown(v, cell.label, f"Epoch {ep.number}/{ep.total} … {ep.line}", split))
    for frame in out.frames:
        for ep in frame.epochs:
            for v, split in ((ep.train, "train"), (ep.val, "val")):
                if v is not None:
                    shown.append(Shown(v, cell.label, f"history table, epoch {ep.number}: {ep.line}", split))
    for bar in out.bars:
        if bar.accuracy is not None:
            shown.append(Shown(bar.accuracy, cell.label, bar.line))
    for m in out.mentions:
        shown.append(Shown(m.value, cell.label, m.line, m.split))
    for _, v, line in out.lists:
        if v is not None:
            shown.append(Shown(v, cell.label, line))


def _attribute_cell(cell: Cell, events: list[Event], out: Output, result: Attribution,
                    subject: tuple[int, Training] | None) -> None:
    where = cell.label
    fits = [e for e in events if e.kind == "fit" and e.verbose]
    kevals = [e for e in events if e.kind == "evaluate" and not e.own and e.verbose]
    paired: dict[int, int] = {}
    if fits and len(fits) == len(out.logs):
        for e, log in zip(fits, out.logs, strict=False):
            paired[id(e)] = log.first
            found = result.of(e.training)
            final = log.final
            found.logged_epochs = final.number if final else None
            found.asked_epochs = final.total if final else None
            if final is not None and final.train is not None:
                _set(found, "train", Value(final.train, where, f"Epoch {final.number}/{final.total} … {final.line}"))
            if final is not None and final.val is not None and e.training.validation == "test":
                # validation_data=(x_test, y_test): the last epoch's val_ accuracy is the test accuracy
                metric = re.search(r"val_\w*acc\w*\s*:\s*[0-9.eE-]+", final.line)
                _set(found, "test", Value(final.val, where, f"test data as validation_data: Epoch {final.number}/"
                                          f"{final.total} … {metric.group(0) if metric else final.line}"))
    elif fits and out.logs:
        result.notes.append(f"{where} shows {len(out.logs)} training log(s) for {len(fits)} fit call(s): which log "
                            "belongs to which model could not be told, so their accuracies are not read")
    if kevals and len(kevals) == len(out.bars):
        for e, bar in zip(kevals, out.bars, strict=False):
            paired[id(e)] = bar.index
            if e.training is not None and bar.accuracy is not None and e.split in ("test", "train", None):
                _set(result.of(e.training), e.split or "test",
                     Value(bar.accuracy, where, bar.line, certain=e.split is not None))
    # a history printed as a table: its last row is its training's last epoch
    histories = {id(e.training): e.training for e in events if e.training is not None and e.kind == "print"
                 and e.split == "train"}
    for frame in out.frames:
        final = frame.final
        if len(histories) != 1 or final is None:
            continue
        found = result.of(next(iter(histories.values())))
        if final.train is not None:
            _set(found, "train", Value(final.train, where, f"history table, epoch {final.number}: {final.line}"))
        if found.logged_epochs is None:
            found.logged_epochs = final.number
    # where each event's lines start; each owns them up to the next one's start
    starts: list[tuple[int, Event]] = []
    pointer = 0
    for e in events:
        s = _start(e, out, pointer, paired)
        if s is None and e.kind in ("train", "evaluate") and (e.own or e.kind == "train"):
            s = pointer if not starts or starts[-1][0] < pointer or starts[-1][1].kind == "print" else None
        if s is not None and s >= pointer:
            starts.append((s, e))
            pointer = s + (1 if e.kind == "print" else 0)
    claimed: set[int] = set()
    for k, (s, e) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(out.lines)
        if e.kind == "print" and end > s + 1 and not e.training:
            end = s + 1
        lines = range(s, max(end, s + 1))
        if e.kind == "show" and e.model is not None:
            text = "\n".join(out.lines[i] for i in lines)
            tables = (keras_summaries(text) or torch_summaries(text)) if e.show == "summary" else torch_reprs(text)
            if tables:
                result.shows.setdefault(id(e.model), []).append((cell.index, tables[0], where, e.show == "repr"))
            claimed.update(lines)
            continue
        if e.training is None or e.kind == "fit" and id(e) in paired:
            if e.kind == "fit":
                claimed.update(i for i in lines if out.in_log(i))
            continue
        found = result.of(e.training)
        mentions = [m for m in out.mentions if m.index in lines]
        lists = [x for x in out.lists if x[0] in lines]
        claimed.update(lines)
        if e.kind == "train":
            for m in mentions:
                split = m.split or "train"
                if split in ("train", "test"):
                    _set(found, split, Value(m.value, where, m.line))
        else:  # an evaluation or a print of a result: its split unless the line names another
            for m in mentions:
                split = m.split or e.split
                if split in ("train", "test"):
                    _set(found, split, Value(m.value, where, m.line, certain=split == (m.split or e.split)
                                             and e.split is not None))
            for _, v, line in lists:
                if v is not None and e.split in ("train", "test"):
                    _set(found, e.split, Value(v, where, line))
            if not mentions and not lists and e.kind == "print" and e.split in ("train", "test"):
                bare = [line for line in (out.lines[i] for i in lines)
                        if re.fullmatch(r"\s*[0-9]*\.[0-9]+\s*", line)]
                if len(bare) == 1:
                    value = float(bare[0])
                    if 0 <= value <= 1:
                        _set(found, e.split, Value(value, where, bare[0]))
    # labelled accuracies no event of the cell claims: the model trained just before, not certain
    trained_here = [e.training for e in events if e.kind in ("fit", "train") and e.training is not None]
    target = trained_here[-1] if trained_here else subject[1] if subject else None
    if target is not None:
        found = result.of(target)
        for m in out.mentions:
            if m.index in claimed or out.in_log(m.index) or m.split not in ("train", "test"):
                continue
            _set(found, m.split, Value(m.value, where, m.line, certain=False))
        for i, v, line in out.lists:
            if i in claimed or v is None:
                continue
            evaluated = [e for e in events if e.kind == "evaluate" and e.training is target]
            if evaluated and evaluated[-1].split in ("train", "test"):
                _set(found, evaluated[-1].split, Value(v, where, line, certain=False))


