"""The record of one graded submission, and of a whole run: what every output is written from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..moodle.download import Submission
from ..moodle.worksheet import Participant
from ..workbook.checking import CheckReport
from .rubric import Rubric

GRADED = "graded"
SKIPPED = "skipped"  # a person said so (--overrides): not graded, not exported
NEEDS_PERSON = ("inputs changed", "layout mismatch", "unreadable", "no workbook", "several workbooks", "not calculated", "refused",
                "no worksheet row", "ambiguous match", "no group", "external reference", "internal error")


@dataclass
class Record:
    """The result of one submission (one row of the gradebook, one record of results.json)."""

    key: str
    name: str
    moodle_id: str
    group: str = ""
    members: list[Participant] = field(default_factory=list)
    file: str = ""
    status: str = GRADED
    points: dict[str, float | None] = field(default_factory=dict)
    max_points: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    max_total: float = 0.0
    grade: float | None = None
    grade_max: float | None = None
    messages: list[str] = field(default_factory=list)
    diagnoses: dict[str, list[str]] = field(default_factory=dict)
    report: CheckReport | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    workbook_path: Path | None = None  # the extracted copy that was graded
    feedback_path: Path | None = None  # its annotated copy
    submission: Submission | None = None  # as discovered in the download
    folders: list[str] = field(default_factory=list)  # its folder(s) in the download: the feedback goes there
    hold: str = ""  # why its members are not sure (matching): a person must decide, whatever the marks
    notebook: dict | None = None  # the notebook report (xlcnn.notebook.report), never executed
    traceback: str = ""  # an internal error's traceback, for xlcnn-errors.log (never shown to a student)
    labels: dict = field(default_factory=dict)  # a custom layout's sheets: label cells (sheet -> [(row, col, text)])
    inputs: dict = field(default_factory=dict)  # input region id -> its given numbers, as read
    example: object = None  # the inputs read (an Example), compared with those most of the class has
    override: str = ""  # what a person decided for it (--overrides), shown in the gradebook and feedback
    changed: list = field(default_factory=list)  # given cells that differ from the handed-out ones: (sheet, cell, value)
    names_given: str = ""  # what the students wrote in the workbook's Group / names cell
    lo_seconds: float = 0.0  # what LibreOffice spent recalculating it: counted in its time limit
    decided: bool = False  # its grade was set by a person (--overrides)

    @property
    def needs_person(self) -> bool:
        return self.status not in (GRADED, SKIPPED)

    def to_dict(self) -> dict:
        return {
            "identifier": self.moodle_id,
            "submission": self.key,
            "folders": self.folders,
            "name": self.name,
            "group": self.group,
            "members": [{"identifier": f"Participant {m.uniqueid}", "full_name": m.full_name, "email": m.email}
                        for m in self.members],
            "file": self.file,
            "status": self.status,
            "points": {q: (None if p is None else round(p, 4)) for q, p in self.points.items()},
            "max_points": self.max_points,
            "total": round(self.total, 4),
            "max": self.max_total,
            "grade": None if self.grade is None or self.status != GRADED else round(self.grade, 2),
            "computed_grade": None if self.grade is None or self.status == GRADED else round(self.grade, 2),
            "grade_max": self.grade_max,
            "messages": self.messages,
            "diagnoses": self.diagnoses,
            "override": self.override,
            "notebook": self.notebook,
            "questions": [] if self.report is None else [
                {"id": q.id, "label": q.label, "status": q.status, "given": q.given, "expected": q.expected,
                 "cells": [{"sheet": c.sheet, "cell": c.cell, "status": c.status, "given": c.given,
                            "expected": c.expected, "detail": c.detail} for c in q.cells if c.status != "right"]}
                for q in self.report.questions
            ],
        }


@dataclass
class Similarity:
    a: str
    b: str
    reason: str


@dataclass
class GradeRun:
    records: list[Record]
    similarities: list[Similarity]
    problems: list[str]  # not tied to one submission
    rubric: Rubric
    scale: float | None = None  # the assignment's maximum grade
    scale_note: str = ""  # where the scale comes from, or why there is none
    reference: list[dict] | None = None  # the instructor's Table 1 (xlcnn results), to compare the notebooks with

    absent: list = field(default_factory=list)  # participants of the worksheet with no submission in the download

    @property
    def all_graded(self) -> bool:
        return all(not r.needs_person for r in self.records)

    def counts(self) -> dict[str, int]:
        """How the run ended, each submission counted once: graded automatically, decided by a
        person, skipped, need a person."""
        out = {"graded automatically": 0, "decided by a person": 0, "skipped": 0, "need a person": 0}
        for r in self.records:
            key = ("decided by a person" if r.decided else "graded automatically") if r.status == GRADED else (
                "skipped" if r.status == SKIPPED else "need a person")
            out[key] += 1
        return out

    def summary(self) -> str:
        """"7 graded automatically, 1 decided by a person, 1 skipped, 1 needs a person (of 10)"."""
        c = self.counts()
        parts = [f"{c['graded automatically']} graded automatically"]
        parts += [f"{c[k]} {k}" for k in ("decided by a person", "skipped") if c[k]]
        need = c["need a person"]
        parts.append(f"{need} {'needs' if need == 1 else 'need'} a person")
        return ", ".join(parts) + f" (of {len(self.records)})"
