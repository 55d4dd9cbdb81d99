"""Assessing one submission's workbook, in a worker process: load it (or LibreOffice's recalculated
copy), read its inputs and answers, check and score them with the rubric, verify the given numbers
(the variant's signature, or the expected inputs), and write the annotated feedback copy.

Whatever goes wrong with the file becomes the record's status and message, never an exception."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.exercise import Example
from ..errors import UnsafeFileError, XlcnnError
from ..files.opening import Book, open_workbook, scan_external, sniff
from ..files.recalc import recalculated_book
from ..layout.model import Layout, resolve
from ..layout.regions import RegionId
from ..layout.relocate import (
    HandoutLabels,
    LayoutMismatch,
    given_inputs,
    label_cells,
    layout_sheets,
    relocate,
    uses_ranges,
)
from ..workbook.checking import check_reading, external_problem
from ..workbook.reading import Reading, read_workbook
from ..workbook.verdict import Answer, InputsCheck
from .record import Audience, Record, Status
from .rubric import Rubric, RubricError, score


@dataclass
class Recalculated:
    """What LibreOffice made of a file: its recalculated copy, or why there is none."""

    copy: Path | None = None
    problem: str = ""  # LibreOffice is missing, or stopped on the file

    @property
    def stopped(self) -> bool:
        """LibreOffice was run and stopped on the file (not merely missing)."""
        return self.problem.startswith("LibreOffice:")


@dataclass
class AssessJob:
    """Everything a worker needs to assess one submission."""

    record: Record
    recalculated: Recalculated | None
    layout: Layout | None
    rubric: Rubric
    expected_inputs: Example | None  # the handed-out numbers (None: nothing to compare with)
    secret: bytes | None
    feedback_dir: Path
    handout_labels: HandoutLabels | None = None  # to find the blocks a student moved

    @property
    def key(self) -> str:
        return self.record.key


def inputs_changed(ex: Example, expected: Example) -> list[str]:
    """The given numbers of ``ex`` that differ from ``expected``, in words."""
    diffs = []
    for attr, label in (("x1", "1D input"), ("w1", "1D filter"), ("x2", "2D input"), ("w2", "2D filters"),
                        ("b2", "2D biases")):
        a, b = getattr(ex, attr), getattr(expected, attr)
        if a.shape != b.shape or not np.array_equal(a, b):
            diffs.append(label)
    if ex.b1 != expected.b1:
        diffs.append("1D bias")
    if ex.cases1 != expected.cases1 or ex.values_case != expected.values_case:
        diffs.append("strides or paddings")
    return diffs


def names_given(book: Book) -> str:
    """The Group / names cell of xlcnn's template (defined name ``GroupNames``), as the students filled it."""
    try:
        area = resolve(book.workbook, "GroupNames", "group names", book.name)
    except XlcnnError:
        return ""
    value = book.value(area.sheet, area.coords()[0])
    return " ".join(str(value).split())[:200] if value not in (None, "") else ""


def changed_cells(reading: Reading, expected: Example) -> list[tuple[str, str, float]]:
    """The given cells whose number differs from the handed-out one: (sheet, cell, handed-out value)."""
    out = []
    for region, want in RegionId.given_numbers(expected).items():
        area = reading.areas.get(region)
        if area is None or area.size != want.size:
            continue
        for coord, w in zip(area.coords(), np.asarray(want, float).reshape(-1), strict=False):
            got = reading.book.value(area.sheet, coord)
            if not isinstance(got, (int, float)) or isinstance(got, bool) or abs(float(got) - w) > 1e-9:
                out.append((area.sheet, coord, float(w)))
    return out


def metadata(book: Book) -> dict[str, str]:
    """The document's creator, last author and creation time (for the similarity check)."""
    props = book.workbook.properties
    return {
        "creator": (props.creator or "").strip(),
        "last_modified_by": (props.lastModifiedBy or "").strip(),
        "created": props.created.isoformat() if props.created else "",
    }


def assess(rec: Record, book: Book, layout: Layout | None, rubric: Rubric, expected_inputs: Example | None,
           secret: bytes | None, uncalculated: set | None, handout_labels: HandoutLabels | None = None) -> None:
    """Grade one loaded workbook into ``rec`` (status, points, diagnoses, messages).

    With a layout of sheet ranges, the workbook's labels are kept (to learn the handed-out
    workbook from the class) and, given ``handout_labels``, the blocks are found where the student
    moved them; a layout that does not fit raises :class:`LayoutMismatch`."""
    rec.metadata = metadata(book)
    moved: list[str] = []
    if layout is not None and uses_ranges(layout):
        rec.labels = label_cells(book, layout_sheets(layout))
        if handout_labels is not None:
            layout, moved = relocate(book, layout, handout_labels)
    try:
        reading = read_workbook(book, layout)
    except LayoutMismatch:
        raise
    except XlcnnError as err:
        if layout is None or not uses_ranges(layout):
            raise
        raise LayoutMismatch(str(err)) from None
    rec.inputs, rec.example = given_inputs(reading), reading.example
    rec.names_given = names_given(book)
    for note in book.notes:
        rec.say(note)
    for note in moved:  # graded from where they were moved: the student reads why
        rec.say(f"blocks found where they were moved: {note}", Audience.STUDENT)
    report = check_reading(reading, rubric.tolerance, uncalculated, secret)
    rec.report = report
    for q in report.questions:
        rule = rubric.rule_for(q.id)
        counted = [c for c in q.cells if c.status.counted]
        pts, mx, _reason = score(q.status, q.right_cells, len(counted), rule)
        if rule.partial and q.status is Answer.WRONG and any(c.status is Answer.NOT_CALCULATED for c in q.cells):
            pts = None  # a share of cells some of which show no value: a person decides, never a guessed share
        rec.points[q.id], rec.max_points[q.id] = pts, mx
    rec.diagnoses = dict(report.diagnoses)
    if report.nothing_filled:
        rec.say(report.nothing_filled, Audience.STUDENT)
    rec.max_total = sum(rec.max_points.values())
    rec.total = sum(p for p in rec.points.values() if p is not None)
    if any(p is None for p in rec.points.values()):
        rec.set_status(Status.NOT_CALCULATED, "some answers are formulas without a calculated value (run with "
                       "--recalc auto/always, or open and save the file in Excel or LibreOffice)")
    if report.inputs is not InputsCheck.UNSIGNED:
        if report.inputs is InputsCheck.UNCHECKED:
            rec.say("a signed variant, but no secret to verify its inputs (set XLCNN_SECRET or --secret-file)")
        elif report.inputs is InputsCheck.CHANGED:
            rec.set_status(Status.INPUTS_CHANGED, "inputs changed: the given numbers differ from those of the variant "
                           f"issued to {reading.meta.get('variant') or 'this group'} (signature check failed)",
                           Audience.STUDENT)
    elif expected_inputs is not None:
        diffs = inputs_changed(reading.example, expected_inputs)
        if diffs:
            rec.changed = changed_cells(reading, expected_inputs)
            whose = "those most of the class has" if handout_labels is not None and handout_labels.inputs and \
                handout_labels.learned else "the template's"
            rec.set_status(Status.INPUTS_CHANGED, f"inputs changed: the given numbers differ from {whose} ("
                           + ", ".join(diffs) + "); graded against the workbook's own inputs", Audience.STUDENT)


def assess_file(job: AssessJob) -> Record:
    """Load, grade and annotate one submission's workbook (runs in a worker process)."""
    rec, again = job.record, job.recalculated
    try:
        if again is not None and again.copy is not None:
            book = recalculated_book(rec.workbook_path, again.copy)
        else:
            if again is not None:
                if sniff(rec.workbook_path) in ("ods", "xls"):
                    raise XlcnnError(f"{rec.file}: {again.problem}")
                rec.say(again.problem)
            book = open_workbook(rec.workbook_path)
        assess(rec, book, job.layout, job.rubric, job.expected_inputs, job.secret, set(book.uncalculated()),
               job.handout_labels)
        if again is not None and again.stopped and rec.status is Status.GRADED:
            rec.status = Status.NOT_CALCULATED  # LibreOffice was needed and stopped on it: a person looks
        if book.external:
            rec.set_status(Status.EXTERNAL_REFERENCE, external_problem(book.external))
    except RubricError:
        raise
    except UnsafeFileError as err:
        rec.set_status(Status.REFUSED, str(err))
        return rec
    except LayoutMismatch as err:
        rec.set_status(Status.LAYOUT_MISMATCH, f"layout mismatch: {err}; not graded (a person grades it, or give it "
                       "its own layout with --overrides)")
        return rec
    except XlcnnError as err:
        rec.set_status(Status.UNREADABLE, str(err))
        copies = [again.copy] if again is not None and again.copy is not None else []
        external = scan_external(rec.workbook_path, *copies)
        if external:  # unreadable, and pointing outside itself: that is the flag a person must see
            rec.set_status(Status.EXTERNAL_REFERENCE, external_problem(external))
        return rec
    from .feedback import annotated_workbook

    job.feedback_dir.mkdir(parents=True, exist_ok=True)
    rec.feedback_path = job.feedback_dir / f"{hashlib.sha1(rec.key.encode('utf-8')).hexdigest()[:16]}.xlsx"
    annotated_workbook(rec, book, rec.feedback_path)
    return rec
