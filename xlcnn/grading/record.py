"""The record of one graded submission, and of a whole run: what every output is written from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.exercise import Example
from ..moodle.download import Submission
from ..moodle.worksheet import Participant
from ..notebook.report import NotebookReport
from ..workbook.checking import CheckReport
from ..workbook.verdict import Answer
from .rubric import Rubric


class Status(enum.StrEnum):
    """How a submission's row ended; every status but ``GRADED`` and ``SKIPPED`` needs a person.
    The value is the word the gradebook, the console and results.json show."""

    GRADED = "graded"
    """Graded automatically (or its grade was set by a person, see ``Record.decided``)."""
    SKIPPED = "skipped"
    """A person said so (--overrides): not graded, not exported."""
    INPUTS_CHANGED = "inputs changed"
    """The given numbers differ from the handed-out (or signed) ones."""
    LAYOUT_MISMATCH = "layout mismatch"
    """The layout does not fit the workbook, even after looking for moved blocks."""
    UNREADABLE = "unreadable"
    """The file could not be read as a workbook."""
    NO_WORKBOOK = "no workbook"
    """The submission holds no workbook."""
    SEVERAL_WORKBOOKS = "several workbooks"
    """The submission holds several workbooks: a person chooses (--overrides)."""
    NOT_CALCULATED = "not calculated"
    """Some answers are formulas without a calculated value."""
    REFUSED = "refused"
    """Unsafe, too large, or over the time or memory limit."""
    EXTERNAL_REFERENCE = "external reference"
    """The workbook points at other files or the network."""
    INTERNAL_ERROR = "internal error"
    """A bug in xlcnn met on this file (its traceback is in xlcnn-errors.log)."""
    NO_WORKSHEET_ROW = "no worksheet row"
    """A hold from matching: no row of the grading worksheet for this submission."""
    AMBIGUOUS_MATCH = "ambiguous match"
    """A hold from matching: several rows could be this submission's."""
    NO_GROUP = "no group"
    """A hold from matching: students in no group (Moodle takes no feedback file for them by zip)."""

    @property
    def needs_person(self) -> bool:
        return self not in (Status.GRADED, Status.SKIPPED)



GRADED, SKIPPED = Status.GRADED, Status.SKIPPED


class Audience(enum.Enum):
    """Who a message is for."""

    TEACHER = "teacher"
    """The gradebook and results.json only."""
    STUDENT = "student"
    """The student reads it too (the feedback comment): changed inputs, moved blocks, an empty workbook."""
    PERSON_DECIDED = "person decided"
    """What a person decided (--overrides); the student reads it too."""


@dataclass(frozen=True)
class Message:
    """One message of a row: its text, who it is for, and the status it explains (if any)."""

    text: str
    audience: Audience = Audience.TEACHER
    explains: Status | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Record:
    """The result of one submission (one row of the gradebook, one record of results.json)."""

    key: str
    name: str
    moodle_id: str
    group: str = ""
    members: list[Participant] = field(default_factory=list)
    file: str = ""
    status: Status = Status.GRADED
    points: dict[str, float | None] = field(default_factory=dict)
    max_points: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    max_total: float = 0.0
    grade: float | None = None
    grade_max: float | None = None
    messages: list[Message] = field(default_factory=list)
    diagnoses: dict[str, list[str]] = field(default_factory=dict)
    report: CheckReport | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    workbook_path: Path | None = None  # the extracted copy that was graded
    feedback_path: Path | None = None  # its annotated copy
    held_copy: str = ""  # where that copy waits for a person under OUTDIR (held: nothing of it goes to Moodle)
    submission: Submission | None = None  # as discovered in the download
    folders: list[str] = field(default_factory=list)  # its folder(s) in the download: the feedback goes there
    hold: Status | None = None  # who handed it in is unsure (matching): the row's status once its marks are computed
    notebook: NotebookReport | None = None  # the notebook half, read and never executed
    traceback: str = ""  # an internal error's traceback, for xlcnn-errors.log (never shown to a student)
    labels: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # a custom layout's label cells
    inputs: dict[str, np.ndarray] = field(default_factory=dict)  # input region id -> its given numbers, as read
    example: Example | None = None  # the inputs read, compared with those most of the class has
    override: str = ""  # what a person decided for it (--overrides), shown in the gradebook and feedback
    # given cells unlike the handout's: (sheet, cell, value)
    changed: list[tuple[str, str, float]] = field(default_factory=list)
    names_given: str = ""  # what the students wrote in the workbook's Group / names cell
    lo_seconds: float = 0.0  # what LibreOffice spent recalculating it: counted in its time limit
    decided: bool = False  # its grade was set by a person (--overrides)

    @property
    def needs_person(self) -> bool:
        return self.status.needs_person

    def say(self, text: str, audience: Audience = Audience.TEACHER, explains: Status | None = None) -> None:
        """Add a message to the row."""
        self.messages.append(Message(text, audience, explains))

    def set_status(self, status: Status, text: str | None = None, audience: Audience = Audience.TEACHER) -> None:
        """Set the assessment's status, with the message that explains it."""
        self.status = status
        if text is not None:
            self.say(text, audience, status)

    def texts(self, audience: Audience | None = None) -> list[str]:
        """The messages' texts, all or those for one audience."""
        return [m.text for m in self.messages if audience is None or m.audience is audience]

    def for_students(self) -> list[str]:
        """What a student reads too (besides the marks)."""
        return [m.text for m in self.messages if m.audience is not Audience.TEACHER]

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
            "status": self.status.value,
            "points": {q: (None if p is None else round(p, 4)) for q, p in self.points.items()},
            "max_points": self.max_points,
            "total": round(self.total, 4),
            "max": self.max_total,
            "grade": None if self.grade is None or self.status is not Status.GRADED else round(self.grade, 2),
            "computed_grade": None if self.grade is None or self.status is Status.GRADED else round(self.grade, 2),
            "grade_max": self.grade_max,
            "messages": self.texts(),
            "diagnoses": self.diagnoses,
            "override": self.override,
            "held_copy": self.held_copy or None,
            "notebook": None if self.notebook is None else self.notebook.to_dict(),
            "questions": [] if self.report is None else [
                {"id": q.id, "label": q.label, "status": q.status.value, "given": q.given, "expected": q.expected,
                 "cells": [{"sheet": c.sheet, "cell": c.cell, "status": c.status.value, "given": c.given,
                            "expected": c.expected, "detail": c.detail}
                           for c in q.cells if c.status is not Answer.RIGHT]}
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
    instructor_table: list[dict] | None = None  # the instructor's Table 1 (xlcnn results), beside the notebooks'

    absent: list = field(default_factory=list)  # participants of the worksheet with no submission in the download

    @property
    def all_graded(self) -> bool:
        return all(not r.needs_person for r in self.records)

    def counts(self) -> dict[str, int]:
        """How the run ended, each submission counted once: graded automatically, decided by a
        person, skipped, need a person."""
        out = {"graded automatically": 0, "decided by a person": 0, "skipped": 0, "need a person": 0}
        for r in self.records:
            key = ("decided by a person" if r.decided else "graded automatically") if r.status is Status.GRADED else (
                "skipped" if r.status is Status.SKIPPED else "need a person")
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
