"""What a notebook's text shows: the students' Table 1 and their review answers.

Table 1 is a markdown table (or a DataFrame's printed output) whose header names the
architecture and a test accuracy. Headings and labels are recognised in English, French and
German. (What the outputs show of each training is :mod:`xlcnn.notebook.printed`'s.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .practical import load_practical
from .printed import NUMBER, fraction

# Words read in English, French, German, Italian and Spanish (classes hand in in their own language).
REVIEW_WORDS = ("review question", "questions de révision", "question de révision", "révision", "fragen",
                "kontrollfragen", "wiederholungsfragen", "domande di revisione", "domande", "preguntas de repaso",
                "preguntas", "exercise 4", "exercice 4", "übung 4", "aufgabe 4", "esercizio 4", "ejercicio 4",
                "review", "questions")
ARCH_WORDS = ("arch", "architektur", "architettura", "arquitectura", "configuration", "konfiguration",
              "configurazione", "configuración", "modèle", "model", "modell", "modello", "modelo")  # telling first
TEST_WORDS = ("test", "prueba")
TRAIN_WORDS = ("train", "entraînement", "entrainement", "apprentissage", "training", "addestramento",
               "allenamento", "entrenamiento")

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


NOT_ACCURACY = ("time", "temps", "zeit", "dauer", "tempo", "tiempo", "loss", "perte", "verlust", "perdita", "pérdida",
                "epoch", "param", "size", "images")


def _column(low: list[str], words: tuple[str, ...], other: int | None = None) -> int | None:
    """The column whose header names one of ``words`` and no quantity other than an accuracy (a
    "Training time" is no train accuracy); one that says "acc" or "%" first."""
    fits = [i for i, h in enumerate(low) if any(w in h for w in words) and i != other
            and not any(w in h for w in NOT_ACCURACY)]
    return next((i for i in fits if any(w in low[i] for w in ("acc", "%", "préc", "prec", "genau", "exact"))),
                fits[0] if fits else None)


def _pick(header: list[str]) -> tuple[int, int, int] | None:
    low = [h.lower() for h in header]
    # "Architecture" over "Model" (a model's number): the words in ARCH_WORDS' order
    arch = next((i for w in ARCH_WORDS for i, h in enumerate(low) if w in h), None)
    test = _column(low, TEST_WORDS)
    train = _column(low, TRAIN_WORDS, test)
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
            get = lambda j: cells[j] if 0 <= j < len(cells) else ""  # noqa: E731, B023 - used in this iteration only
            if any(get(j) for j in (arch, train, test)):
                rows.append(Row(get(arch), get(train), get(test)))
        return rows
    return None


def _aligned_rows(header_line: str, lines: list[str]) -> list[list[str]]:
    """The rows under a pandas header, cut at the header names' right edges (pandas right-aligns its
    columns, and a wide value may leave one space only between two columns)."""
    tokens = list(re.finditer(r"\S+(?: \S+)*", header_line))
    edges = [t.end() for t in tokens]
    indexed = tokens[0].start() > 0
    rows = []
    for line in lines:
        if len(line.rstrip()) != edges[-1]:
            break
        cells, start = [], 0
        for e in edges:
            cells.append(line[start:e].strip())
            start = e
        if indexed:
            parts = cells[0].split(None, 1)
            cells[0] = parts[1] if len(parts) == 2 else ""
        rows.append(cells)
    return rows


def dataframe_table(text: str) -> list[Row] | None:
    """Table 1 printed as a pandas DataFrame: columns cut where the header's names end (right-aligned),
    else separated by two or more spaces."""
    lines = [line for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        header = re.split(r"\s{2,}", line.strip())
        cols = _pick(header)
        if cols is None:
            continue
        arch, train, test = cols
        get = lambda cells, j: cells[j] if 0 <= j < len(cells) else ""  # noqa: E731
        aligned = _aligned_rows(line, lines[i + 1:]) if [t for t in re.findall(r"\S+(?: \S+)*", line)] == header \
            else []
        if aligned:
            return [Row(get(c, arch), get(c, train), get(c, test)) for c in aligned]
        rows = []
        for row_line in lines[i + 1:]:
            cells = re.split(r"\s{2,}", row_line.strip())
            if len(cells) == len(header) + 1:  # the index column
                cells = cells[1:]
            if len(cells) != len(header):
                break
            rows.append(Row(get(cells, arch), get(cells, train), get(cells, test)))
        if rows:
            return rows
    return None


def percent(text: str) -> float | None:
    """A table's accuracy as a percentage: "62.4%", "62,4", "0.624" -> 62.4."""
    m = NUMBER.search(text or "")
    if not m:
        return None
    v = fraction(m.group(1), m.group(2))
    return None if v is None else round(100 * v, 2)


_ANSWER_WORDS = re.compile(r"^\s*[*_>]*\s*(?:answer|réponse|reponse|antwort|rép|r|a)\s*[:.)-]", re.I)


def _answer_part(label: str, body: str, question: str, questions_first: bool = False) -> str:
    """What follows the question in one labelled item. The question is the rest of the label's line
    when that line is a heading or bold, asks ("?"), is followed by an "Answer:" line, or starts as
    the practical's question does; otherwise the whole item is the answer."""
    first, _, rest = body.partition("\n")
    plain = first.strip().strip("*_ ").strip()
    following = next((line for line in rest.split("\n") if line.strip()), "")
    if "?" in first:
        cut = first.rfind("?")
        return first[cut + 1:] + "\n" + rest
    if question and plain.lower().startswith(question[:20].lower()) and ":" in first:
        return first.split(":", 1)[1] + "\n" + rest  # the practical's question, then its answer after a colon
    if (questions_first or "#" in label or "**" in label or "__" in label or first.strip().startswith(("**", "__"))
            or _ANSWER_WORDS.match(following) or not plain
            or (question and plain.lower().startswith(question[:20].lower()))):
        return rest
    return body


class _Numbered:
    """A numbered question's label read as the letter it stands for (1. is a), 2. is b), ...)."""

    def __init__(self, match: re.Match, letter: str):
        self.match, self.letter = match, letter

    def group(self, k: int = 0) -> str:
        return self.letter if k == 1 else self.match.group(k)

    def start(self) -> int:
        return self.match.start()

    def end(self) -> int:
        return self.match.end()


def review_answers(markdown: list[str], questions: dict[str, str] | None = None) -> int:
    """How many of the review questions (the practical's: a-h) carry an answer (six words or more
    beyond the copied question, in any language)."""
    if questions is None:
        questions = load_practical().questions
    letters = "".join(sorted({k.lower() for k in questions if len(k) == 1 and k.isalpha()})) or "a-h"
    text = "\n".join(markdown)
    low = text.lower()
    titles = list(re.finditer(r"(?m)^\s*#+[^\n]*", low))
    # the heading with the most telling words (REVIEW_WORDS' order): "Review questions" over an earlier
    # exercise's "questions"
    start = next((t.start() for w in REVIEW_WORDS for t in titles if w in t.group(0)), None)
    if start is None:
        start = min((low.find(w) for w in REVIEW_WORDS if w in low), default=-1)
    if start < 0:
        return 0
    section = text[start:]
    labels = [m for m in re.finditer(rf"(?im)^[\s>*#_-]*\(?\*{{0,2}}([{letters}])\s*([).:])\*{{0,2}}", section)
              if not (m.group(1) == "A" and m.group(2) == ":")]  # "A: ..." marks an answer, not question a)
    if not labels:  # numbered instead of lettered: "1.", "Q1:", "**Question 1)**" stand for a), b), ...
        order = sorted(k.lower() for k in questions if len(k) == 1 and k.isalpha())
        labels = [_Numbered(m, order[int(m.group(1)) - 1]) for m in re.finditer(
            r"(?im)^[\s>*#_-]*\(?\*{0,2}(?:q(?:uestion|uestion|uesito|ue)?\s*|frage\s*|pregunta\s*|domanda\s*)?"
            r"(\d{1,2})\s*([).:])\*{0,2}", section) if 1 <= int(m.group(1)) <= len(order)]
    answered = set()
    bodies = [section[m.end():(labels[k + 1].start() if k + 1 < len(labels) else len(section))]
              for k, m in enumerate(labels)]
    # the section's style: most items a line of question, then the answer below it
    two_part = sum(1 for b in bodies if b.partition("\n")[0].strip() and b.partition("\n")[2].strip())
    questions_first = two_part * 2 >= len(bodies) > 0
    for m, raw in zip(labels, bodies, strict=False):
        letter = m.group(1).lower()
        body = _answer_part(m.group(0), raw, questions.get(letter, ""), questions_first)
        words = re.findall(r"\w+", _ANSWER_WORDS.sub("", body.strip(), count=1))
        if len(words) >= 6:
            answered.add(letter)
    return len(answered)
