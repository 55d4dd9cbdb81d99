"""The rubric: points per question, partial credit, tolerance; and the pure scoring function."""

from __future__ import annotations

import difflib
import fnmatch
import math
from dataclasses import dataclass, field
from pathlib import Path

from .. import datafiles
from ..errors import XlcnnError
from ..notebook.practical import Practical, load_practical
from ..workbook.verdict import Answer

DEFAULT_RUBRIC = "rubric.toml"


class RubricError(XlcnnError):
    """A rubric is malformed or gives no points to a question."""


@dataclass(frozen=True)
class Rule:
    match: str
    points: float
    partial: bool = False


@dataclass(frozen=True)
class Rubric:
    rules: tuple[Rule, ...]
    tolerance: float = 0.01
    grade_max: float | None = None
    source: str = "default rubric"
    notebook: dict = field(default_factory=dict)  # checklist item -> (points each, at most how many)

    def rule_for(self, qid: str) -> Rule:
        for rule in self.rules:
            if fnmatch.fnmatchcase(qid, rule.match):
                return rule
        raise RubricError(f"{self.source}: no rule gives points to question {qid!r}; "
                          f"add a [[question]] with match = \"{qid}\"")


TOP_KEYS = ("question", "tolerance", "grade_max", "notebook")
QUESTION_KEYS = ("match", "points", "partial")


def _number(value) -> bool:
    """A real, finite number (TOML's nan and inf are no points, tolerance or scale)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _known(table: dict, keys: tuple[str, ...], where: str) -> None:
    unknown = [k for k in table if k not in keys]
    if unknown:
        close = difflib.get_close_matches(unknown[0], keys, n=1)
        raise RubricError(f"{where}: unknown key {unknown[0]!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
                          + f"; the keys are {', '.join(keys)}")


def parse_rubric(text: str, source: str, practical: Practical | None = None) -> Rubric:
    data = datafiles.parse_toml(text, source, RubricError)
    _known(data, TOP_KEYS, source)
    questions = data.get("question", [])
    if isinstance(questions, dict):
        raise RubricError(f"{source}: write each question as [[question]] (double brackets: a list of rules), "
                          "not [question]")
    rules = []
    for i, q in enumerate(questions, 1):
        if not isinstance(q, dict) or not isinstance(q.get("match"), str):
            raise RubricError(f"{source}: question {i} needs match = \"<question id pattern>\"")
        _known(q, QUESTION_KEYS, f"{source}: question {i} ({q['match']})")
        points = q.get("points")
        if not _number(points) or points < 0:
            raise RubricError(f"{source}: question {i} ({q['match']}): points must be a number >= 0, got {points!r}")
        partial = q.get("partial", False)
        if not isinstance(partial, bool):
            raise RubricError(f"{source}: question {i} ({q['match']}): partial must be true or false, got {partial!r}")
        rules.append(Rule(q["match"], float(points), partial))
    if not rules:
        raise RubricError(f"{source}: no [[question]] rules")
    tol = data.get("tolerance", 0.01)
    if not _number(tol) or tol < 0:
        raise RubricError(f"{source}: tolerance must be a number >= 0, got {tol!r}")
    gmax = data.get("grade_max")
    if gmax is not None and (not _number(gmax) or gmax <= 0):
        raise RubricError(f"{source}: grade_max must be a number > 0, got {gmax!r}")
    return Rubric(tuple(rules), float(tol), None if gmax is None else float(gmax), source,
                  _notebook_points(data.get("notebook", {}), source, practical))


def notebook_items(practical: Practical | None = None) -> dict[str, int]:
    """The practical's checklist items and how many of each can earn points (one; as many models as
    asked at most; one per review question)."""
    practical = practical or load_practical()
    return {p.id: len(practical.questions) if p.review else p.count[1] if p.count else 1 for p in practical.parts}


def _notebook_points(table, source: str, practical: Practical | None = None) -> dict:
    """``[notebook]``: points per checklist item (per CNN and per answer for the counted ones)."""
    NOTEBOOK_ITEMS = notebook_items(practical)  # noqa: N806 - read as the table it was
    if not isinstance(table, dict):
        raise RubricError(f"{source}: [notebook] must be a table of checklist item = points")
    out = {}
    for key, points in table.items():
        if key not in NOTEBOOK_ITEMS:
            raise RubricError(f"{source}: [notebook] has no item {key!r} (known: {', '.join(NOTEBOOK_ITEMS)})")
        if not _number(points) or points < 0:
            raise RubricError(f"{source}: [notebook] {key}: points must be a number >= 0, got {points!r}")
        if points:
            out[key] = (float(points), NOTEBOOK_ITEMS[key])
    return out


def load_rubric(path: str | Path | None = None, practical: Practical | None = None) -> Rubric:
    return parse_rubric(*datafiles.load(path, DEFAULT_RUBRIC, "rubric", RubricError), practical)


def score(status: Answer, right_cells: int, counted_cells: int, rule: Rule) -> tuple[float | None, float, str]:
    """Points for one question: (points, max_points, reason); points None means a person must look."""
    if status is Answer.RIGHT:
        return rule.points, rule.points, "right"
    if status is Answer.NOT_CALCULATED:
        return None, rule.points, "formulas not calculated"
    if status is Answer.MISSING:
        return 0.0, rule.points, "missing"
    if rule.partial and counted_cells:
        return (round(rule.points * right_cells / counted_cells, 4), rule.points,
                f"{right_cells} of {counted_cells} cells right")
    return 0.0, rule.points, "wrong"
