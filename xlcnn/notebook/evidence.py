"""What a notebook's saved outputs and text show: accuracies, the students' Table 1, review answers.

Accuracies come from what was printed: the last epoch of a Keras progress log, ``evaluate``
printouts (``accuracy: 0.4012`` or ``[1.70, 0.4012]``), and the lines a PyTorch loop prints
(``train acc 55.2%``, ``Test accuracy: 0.50``). Table 1 is a markdown table (or a DataFrame's
printed output) whose header names the architecture and a test accuracy. Headings and labels
are recognised in English, French and German.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = r"([0-9]+(?:[.,][0-9]+)?)\s*(%?)"
_TRAIN_LOG = re.compile(r"(?<![a-z_])(?:acc|accuracy|categorical_accuracy)\s*[:=]\s*" + NUMBER, re.I)
_TEST_LINE = re.compile(r"(?:test|eval\w*|validation set)[^\n]{0,40}?(?:acc\w*|précision|genauigkeit)\s*[:=]?\s*"
                        + NUMBER + r"|(?:acc\w*|précision|genauigkeit)[^\n]{0,25}?(?:test|eval\w*)\w*\s*[:=]?\s*" + NUMBER,
                        re.I)
_TRAIN_LINE = re.compile(r"(?:train\w*)[^\n]{0,30}?(?:acc\w*|précision|genauigkeit)\s*[:=]?\s*" + NUMBER, re.I)
_LIST = re.compile(r"^\s*\[\s*([0-9.eE+-]+)\s*,\s*([0-9.eE+-]+)\s*\]\s*$", re.M)

TABLE_WORDS = ("table 1", "tableau 1", "tabelle 1", "table1")
REVIEW_WORDS = ("review question", "questions de révision", "question de révision", "révision", "fragen",
                "kontrollfragen", "wiederholungsfragen", "exercise 4", "exercice 4", "übung 4", "aufgabe 4",
                "review", "questions")
ARCH_WORDS = ("arch", "architektur", "modèle", "model", "modell", "configuration", "konfiguration")
TEST_WORDS = ("test",)
TRAIN_WORDS = ("train", "entraînement", "entrainement", "apprentissage", "training")

# The practical's review questions (a-h), the start of each, to tell an answer from a copied question.
QUESTIONS = {
    "a": "What is the difference between a Dense and a Conv2D layer",
    "b": "In CNN, explain what it means to \"preserve the spatial structure\"",
    "c": "In CNN, explain the different operations taking place when performing a convolution",
    "d": "Define what is meant by receptive field and activation map",
    "e": "Explain the notion of sparse connectivity and parameter sharing",
    "f": "Explain the effect of a given stride or zero-padding value",
    "g": "For a given configuration of a convolution layer, compute the number of parameters",
    "h": "Define what is a max pooling layer and what is its role in a CNN architecture",
}


def fraction(value: str, percent: str = "") -> float | None:
    """A printed accuracy as a fraction: "0.4012" -> 0.4012, "40.1" or "40.1%" -> 0.401."""
    try:
        v = float(value.replace(",", "."))
    except ValueError:
        return None
    if percent or v > 1.0:
        v /= 100
    return v if 0.0 <= v <= 1.0 else None


def last_train_accuracy(text: str) -> float | None:
    """The accuracy of the last epoch in a training log (``val_accuracy`` excluded)."""
    found = None
    for m in _TRAIN_LOG.finditer(text):
        start = m.start()
        if text[max(0, start - 4):start].lower().endswith(("val_", "val ", "test")):
            continue
        found = fraction(m.group(1), m.group(2))
    for m in _TRAIN_LINE.finditer(text):
        found = fraction(m.group(1), m.group(2))
    return found


def test_accuracy(source: str, text: str) -> float | None:
    """A test accuracy printed by ``evaluate`` or by the student's own print."""
    found = None
    for m in _TEST_LINE.finditer(text):
        value = m.group(1) or m.group(3)
        pct = m.group(2) if m.group(1) else m.group(4)
        found = fraction(value, pct) if value else found
    if found is None and ".evaluate(" in source:
        lists = _LIST.findall(text)
        if lists:
            found = fraction(lists[-1][1])
        else:
            logs = [m for m in _TRAIN_LOG.finditer(text)]
            if logs:
                found = fraction(logs[-1].group(1), logs[-1].group(2))
    return found


_VAL = re.compile(r"val_(?:acc|accuracy)\s*[:=]\s*" + NUMBER, re.I)


def shown_accuracies(cells: list[tuple[str, str]]) -> tuple[list[float], list[float]]:
    """Every accuracy the outputs of the code cells ``(source, outputs)`` print, as fractions:
    (training accuracies, held-out ones: test, evaluate and validation), to check what a table claims."""
    train: list[float | None] = []
    held: list[float | None] = []
    for source, text in cells:
        evaluating = ".evaluate(" in source
        for m in _TRAIN_LOG.finditer(text):
            before = text[max(0, m.start() - 4):m.start()].lower()
            if before.endswith(("val_", "test")):
                continue
            (held if evaluating else train).append(fraction(m.group(1), m.group(2)))
        held += [fraction(m.group(1), m.group(2)) for m in _VAL.finditer(text)]
        held += [fraction(m.group(1) or m.group(3), m.group(2) if m.group(1) else m.group(4))
                 for m in _TEST_LINE.finditer(text)]
        train += [fraction(m.group(1), m.group(2)) for m in _TRAIN_LINE.finditer(text)]
        if evaluating:
            held += [fraction(b) for _, b in _LIST.findall(text)]
    return [v for v in train if v is not None], [v for v in held if v is not None]


@dataclass
class Row:
    architecture: str
    train: str
    test: str

    def as_dict(self) -> dict:
        return {"architecture": self.architecture, "train": self.train, "test": self.test}


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _pick(header: list[str]) -> tuple[int, int, int] | None:
    low = [h.lower() for h in header]
    arch = next((i for i, h in enumerate(low) if any(w in h for w in ARCH_WORDS)), None)
    test = next((i for i, h in enumerate(low) if any(w in h for w in TEST_WORDS)), None)
    train = next((i for i, h in enumerate(low) if any(w in h for w in TRAIN_WORDS) and i != test), None)
    if arch is None or test is None:
        return None
    return arch, train if train is not None else -1, test


def markdown_table(text: str) -> list[Row] | None:
    """The rows of the first markdown table whose header names an architecture and a test accuracy."""
    lines = text.splitlines()
    for i in range(len(lines) - 1):
        if "|" not in lines[i] or not re.match(r"^\s*\|?\s*:?-{2,}", lines[i + 1]):
            continue
        cols = _pick(_cells(lines[i]))
        if cols is None:
            continue
        arch, train, test = cols
        rows = []
        for line in lines[i + 2:]:
            if "|" not in line:
                break
            cells = _cells(line)
            get = lambda j: cells[j] if 0 <= j < len(cells) else ""  # noqa: E731
            if any(get(j) for j in (arch, train, test)):
                rows.append(Row(get(arch), get(train), get(test)))
        return rows
    return None


def dataframe_table(text: str) -> list[Row] | None:
    """Table 1 printed as a pandas DataFrame (columns separated by two or more spaces)."""
    lines = [line for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        header = re.split(r"\s{2,}", line.strip())
        cols = _pick(header)
        if cols is None:
            continue
        arch, train, test = cols
        rows = []
        for row_line in lines[i + 1:]:
            cells = re.split(r"\s{2,}", row_line.strip())
            if len(cells) == len(header) + 1:  # the index column
                cells = cells[1:]
            if len(cells) != len(header):
                break
            get = lambda j: cells[j] if 0 <= j < len(cells) else ""  # noqa: E731
            rows.append(Row(get(arch), get(train), get(test)))
        if rows:
            return rows
    return None


def percent(text: str) -> float | None:
    """A table's accuracy as a percentage: "62.4%", "62,4", "0.624" -> 62.4."""
    m = re.search(NUMBER, text or "")
    if not m:
        return None
    v = fraction(m.group(1), m.group(2))
    return None if v is None else round(100 * v, 2)


def review_answers(markdown: list[str]) -> int:
    """How many of the review questions a-h carry an answer (more than the copied question)."""
    text = "\n".join(markdown)
    low = text.lower()
    start = max((low.find(w) for w in REVIEW_WORDS if w in low), default=-1)
    if start < 0:
        return 0
    section = text[start:]
    labels = list(re.finditer(r"(?im)^[\s>*#_-]*\(?\*{0,2}([a-h])\s*[).:]\*{0,2}", section))
    answered = set()
    for k, m in enumerate(labels):
        letter = m.group(1).lower()
        end = labels[k + 1].start() if k + 1 < len(labels) else len(section)
        body = section[m.end():end]
        question = QUESTIONS.get(letter, "")
        if question:
            body = re.sub(re.escape(question[:30]) + r"[^\n?]*\??", "", body, flags=re.I)
        words = re.findall(r"\w+", body)
        if len(words) >= 6:
            answered.add(letter)
    return len(answered)
