"""The practical a notebook is read against, as data (``xlcnn/data/practical.toml``, or a course's
own file): the checklist's parts in order, what each model part asks, the review questions and
how the results table is found. Declared once; the report, the gradebook, the statistics, the
rubric and the feedback read it from here.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

from .. import datafiles
from ..errors import XlcnnError

DEFAULT = "practical.toml"

# What the reader can measure of a training, and how the gradebook names it ("epochs 10 (asked 5)").
SETTINGS = {"epochs": "epochs", "batch_size": "batch size", "l2": "L2", "output": "output activation",
            "loss": "loss", "optimizer": "optimizer", "hidden": "hidden neurons",
            "hidden_activation": "hidden activation"}
_MODEL_KEYS = {"kind", "dense_layers", "conv_layers", "min_conv_layers"}
_CONV_KEYS = {"filters", "padding", "stride"}
_PART_KEYS = {"id", "label", "model", "settings", "conv", "maxpool", "count", "plot_of", "table", "review", "asked"}


class PracticalError(XlcnnError):
    """The practical file does not say what the reader needs."""


@dataclass(frozen=True)
class Part:
    """One line of the checklist."""

    id: str
    label: str
    model: dict = field(default_factory=dict)  # which trained models count for it (empty: not a model)
    settings: dict = field(default_factory=dict)  # setting -> the value asked
    conv: dict = field(default_factory=dict)  # a convolution part: filters, padding, stride asked
    maxpool: int | None = None
    count: tuple[int, int] | None = None  # several different models asked: (min, max)
    plot_of: str = ""
    table: bool = False
    review: bool = False
    asked: str = ""  # how the gradebook words what a convolution part asks

    @property
    def counted(self) -> bool:
        """Its checklist value is a number (models found, questions answered), not yes or no."""
        return self.count is not None or self.review

    def enough(self, value, questions: int) -> bool:
        """Whether the checklist value does what the part asks."""
        if self.review:
            return value >= questions
        if self.count is not None:
            return value >= self.count[0]
        return bool(value)


@dataclass(frozen=True)
class Practical:
    name: str
    parts: tuple[Part, ...]
    questions: dict[str, str]
    table_headings: tuple[str, ...]
    source: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parts)

    @property
    def labels(self) -> dict[str, str]:
        return {p.id: p.label for p in self.parts}

    def part(self, id_: str) -> Part:
        return next(p for p in self.parts if p.id == id_)

    def empty_checklist(self) -> dict[str, bool | int]:
        return {p.id: (0 if p.counted else False) for p in self.parts}


def _closest(key: str, known: set[str]) -> str:
    match = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _table(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise PracticalError(f"{where}: expected a table ({{...}}), got {value!r}")
    return value


def _part(raw: dict, k: int, source: str) -> Part:
    where = f"{source}: part {k}"
    raw = _table(raw, where)
    for key in raw:
        if key not in _PART_KEYS:
            raise PracticalError(f"{where}: unknown key {key!r}{_closest(key, _PART_KEYS)}")
    pid, label = raw.get("id"), raw.get("label")
    if not isinstance(pid, str) or not pid.isidentifier():
        raise PracticalError(f"{where}: id must be a name such as \"dense_1layer\", got {pid!r}")
    where = f"{source}: part {pid!r}"
    if not isinstance(label, str) or not label.strip():
        raise PracticalError(f"{where}: label must be the words the report uses, got {label!r}")
    model = _table(raw.get("model", {}), f"{where}: model")
    for key, value in model.items():
        if key not in _MODEL_KEYS:
            raise PracticalError(f"{where}: model: unknown key {key!r}{_closest(key, _MODEL_KEYS)}")
        if key == "kind" and value not in ("dense", "cnn"):
            raise PracticalError(f"{where}: model kind must be \"dense\" or \"cnn\", got {value!r}")
        if key != "kind" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise PracticalError(f"{where}: model {key} must be a whole number, got {value!r}")
    settings = _table(raw.get("settings", {}), f"{where}: settings")
    for key, value in settings.items():
        if key not in SETTINGS:
            raise PracticalError(f"{where}: settings: the reader cannot measure {key!r}{_closest(key, set(SETTINGS))}"
                                 f"; it measures {', '.join(SETTINGS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise PracticalError(f"{where}: settings: {key} must be a number or a word, got {value!r}")
    conv = _table(raw.get("conv", {}), f"{where}: conv")
    for key in conv:
        if key not in _CONV_KEYS:
            raise PracticalError(f"{where}: conv: unknown key {key!r}{_closest(key, _CONV_KEYS)}")
    count = raw.get("count")
    if count is not None:
        count = _table(count, f"{where}: count")
        lo, hi = count.get("min"), count.get("max", count.get("min"))
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (lo, hi)) or lo > hi:
            raise PracticalError(f"{where}: count must be {{ min = N, max = M }} with 0 < N <= M, got {count!r}")
        count = (lo, hi)
    kinds = [bool(model), bool(raw.get("plot_of")), bool(raw.get("table")), bool(raw.get("review"))]
    if sum(kinds) != 1:
        raise PracticalError(f"{where}: a part is a model (model = {{...}}), a weights picture (plot_of = \"ID\"), "
                             "the results table (table = true) or the review answers (review = true): exactly one")
    maxpool = raw.get("maxpool")
    if maxpool is not None and (not isinstance(maxpool, int) or isinstance(maxpool, bool) or maxpool < 0):
        raise PracticalError(f"{where}: maxpool must be a whole number, got {maxpool!r}")
    return Part(pid, label.strip(), dict(model), dict(settings), dict(conv), maxpool, count,
                str(raw.get("plot_of", "")), bool(raw.get("table")), bool(raw.get("review")), str(raw.get("asked", "")))


def parse_practical(text: str, source: str) -> Practical:
    data = datafiles.parse_toml(text, source, PracticalError)
    known = {"name", "part", "table", "review"}
    for key in data:
        if key not in known:
            raise PracticalError(f"{source}: unknown key {key!r}{_closest(key, known)}")
    raw_parts = data.get("part")
    if not isinstance(raw_parts, list) or not raw_parts:
        raise PracticalError(f"{source}: no [[part]]: the checklist needs at least one")
    parts = tuple(_part(p, k, source) for k, p in enumerate(raw_parts, 1))
    ids = [p.id for p in parts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PracticalError(f"{source}: part {twice[0]!r} is declared twice")
    for p in parts:
        if p.plot_of and p.plot_of not in ids:
            raise PracticalError(f"{source}: part {p.id!r}: plot_of names {p.plot_of!r}, which no part declares")
    review = _table(data.get("review", {}), f"{source}: [review]")
    questions = _table(review.get("questions", {}), f"{source}: [review.questions]")
    if any(p.review for p in parts) and not questions:
        raise PracticalError(f"{source}: a review part needs the questions ([review.questions] a = \"...\")")
    for key, value in questions.items():
        if not isinstance(value, str) or len(value.strip()) < 8:
            raise PracticalError(f"{source}: review question {key!r} must be the start of its text, got {value!r}")
    table = _table(data.get("table", {}), f"{source}: [table]")
    headings = table.get("headings", [])
    if not isinstance(headings, list) or not all(isinstance(h, str) and h.strip() for h in headings):
        raise PracticalError(f"{source}: [table] headings must be a list of words, got {headings!r}")
    return Practical(str(data.get("name", "")), parts, {str(k): v for k, v in questions.items()},
                     tuple(h.strip().lower() for h in headings), source)


@functools.lru_cache(maxsize=8)
def _load(path: str | None) -> Practical:
    return parse_practical(*datafiles.load(path, DEFAULT, "practical file", PracticalError))


def load_practical(path: str | Path | None = None) -> Practical:
    """The practical of ``path``, or the shipped PW04 one."""
    return _load(None if path is None else str(path))
