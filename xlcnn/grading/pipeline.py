"""``xlcnn grade``: grade a whole class from Moodle's download, as a declared list of stages.

:func:`grade` runs :data:`STAGES` in order over one :class:`Batch`, telling the progress display
which stage runs, and naming the stage in any error that stops the run:

1. ``discover``               — submissions and their files, extracted safely (:mod:`xlcnn.moodle.download`);
2. ``match``                  — each submission to its worksheet rows (members, group; a doubt is a hold);
3. ``locate``                 — the workbook in each submission;
4. ``apply_overrides``        — what a person decided (--overrides): skip, which workbook, which layout;
5. ``read_notebooks``         — the notebook half, read and never run (:mod:`xlcnn.notebook.report`);
6. ``recalculate``            — one LibreOffice run for every file that needs it (.ods/.xls, formulas
                                without cached values, or all with ``--recalc always``);
7. ``assess``                 — each workbook in a worker: read, check, score, diagnose, verify the
                                inputs, annotate (:mod:`xlcnn.grading.assess`);
8. ``reassess_against_class`` — without the handed-out workbook: learn it from the class, then assess
                                again whoever differs from it (:mod:`xlcnn.grading.learning`);
9. ``to_scale``               — the notebook's optional points, holds, grades on the assignment's scale;
10. ``apply_person_grades``   — a grade a person set wins over the computed one and over a hold;
11. ``compare``               — pairs worth a look (:mod:`xlcnn.grading.similarity`), absent students.

A broken submission becomes one record with a status and a message; the batch goes on.
"""

from __future__ import annotations

import functools

import os
import shutil
import zipfile
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..core.exercise import Example
from ..files.libreoffice import LibreOfficeError, convert_to_xlsx, find_soffice
from ..layout.model import Layout
from ..layout.relocate import HandoutLabels, uses_ranges
from ..moodle.download import Submission
from ..moodle.download import discover as discover_submissions
from ..moodle.worksheet import Worksheet
from ..notebook.practical import Practical
from ..notebook.report import empty_report, find_notebooks, notebook_report
from .assess import AssessJob, Recalculated, assess_file
from .intake import (
    IN_PROCESS_BYTES,
    ForeignWorksheet,
    find_workbook,
    probe,
    probe_here_or_alone,
    worksheet_fits,
)
from .intake import match as match_records
from .isolation import Limits, SubmissionTimeout, run_in_workers, start_pool
from .learning import learn_handout
from .overrides import Override, OverrideError
from .overrides import find as find_overrides
from .record import Audience, GradeRun, Record, Status
from .rubric import Rubric
from .scale import GradeScaleError, add_notebook_points, grade_scale
from .similarity import similar

__all__ = ["STAGES", "Batch", "ForeignWorksheet", "GradeOptions", "Progress", "grade", "clean"]


class Progress(Protocol):
    """What the grader tells a progress display."""

    def stage(self, name: str, total: int | None) -> None:
        """A new stage began; ``total`` submissions to go through, or None when not counted."""

    def advance(self, name: str) -> None:
        """One submission (``name``) of the stage is done."""


class _Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str) -> None:
        pass


@dataclass
class GradeOptions:
    """How to grade a class: what the teacher gave, and the limits."""

    worksheet: Worksheet | None = None
    layout: Layout | None = None  # None: xlcnn's own layout
    rubric: Rubric | None = None
    expected_inputs: Example | None = None  # the handed-out numbers; None: learned from the class
    secret: bytes | None = None
    recalc: str = "auto"
    timeout_per_file: float = 30.0  # LibreOffice's, per file
    limits: Limits = field(default_factory=Limits)
    handout_labels: HandoutLabels | None = None  # the handed-out workbook's labels, to find moved blocks
    overrides: dict[str, Override] = field(default_factory=dict)
    overrides_source: str = "overrides"
    force: bool = False  # grade against a worksheet that does not seem to belong to the download
    practical: Practical | None = None  # the notebook half's practical; None: the shipped PW04 one


@dataclass
class Batch:
    """The state the stages share: what they found so far."""

    source: Path
    work: Path  # temporary files (extracted submissions, recalculated copies, feedback copies)
    options: GradeOptions
    progress: Progress
    submissions: list[Submission] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not tied to one submission
    decided: dict[str, Override] = field(default_factory=dict)  # record key -> what a person decided
    own_layout: dict[str, Layout] = field(default_factory=dict)  # record key -> the layout a person gave it
    pool: object | None = None  # the worker processes, while they are worth keeping
    recalculated: dict[str, Recalculated] = field(default_factory=dict)  # record key -> LibreOffice's result
    jobs: list[AssessJob] = field(default_factory=list)
    scale: float | None = None
    scale_note: str = ""
    run: GradeRun | None = None

    def replace_records(self, done: dict[str, Record]) -> None:
        """Take back the records workers returned (each worked on a copy)."""
        self.records = [done.get(r.key, r) for r in self.records]

    def drop_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


# ------------------------------------------------------------------ the stages


def discover(batch: Batch) -> None:
    batch.submissions, batch.problems = discover_submissions(batch.source, batch.work)


def match(batch: Batch) -> None:
    opts = batch.options
    batch.records = match_records(batch.submissions, opts.worksheet)
    if opts.worksheet is not None and not opts.force:
        foreign = worksheet_fits(batch.source, opts.worksheet, batch.records)
        if foreign:
            raise ForeignWorksheet(f"{foreign}; nothing was written (--force grades against it all the same)")


def locate(batch: Batch) -> None:
    for rec in batch.records:
        path, status, why = find_workbook(rec.submission)
        if path is None:
            rec.set_status(status, why)
            continue
        rec.file, rec.workbook_path = path.name, path


def apply_overrides(batch: Batch) -> None:
    opts = batch.options
    if not opts.overrides:
        return
    batch.decided = find_overrides(batch.records, opts.overrides, opts.overrides_source)
    for rec in batch.records:
        o = batch.decided.get(rec.key)
        if o is None:
            continue
        rec.override = o.describe()
        if o.skip:
            rec.status, rec.workbook_path = Status.SKIPPED, None
            rec.say(rec.override, Audience.PERSON_DECIDED)
            continue
        if o.workbook:
            files = rec.submission.files if rec.submission else []
            hits = [f for f in files if f.name == o.workbook or f.as_posix().endswith("/" + o.workbook)]
            if len(hits) != 1:
                raise OverrideError(f"{opts.overrides_source}: [{o.name!r}]: workbook {o.workbook!r} is not in the "
                                    f"submission (it holds {', '.join(sorted(f.name for f in files)) or 'no file'})")
            rec.file, rec.workbook_path = hits[0].name, hits[0]
            if rec.status in (Status.SEVERAL_WORKBOOKS, Status.NO_WORKBOOK):
                rec.status = Status.GRADED
                rec.messages = [m for m in rec.messages
                                if m.explains not in (Status.SEVERAL_WORKBOOKS, Status.NO_WORKBOOK)]
        if o.layout is not None:
            batch.own_layout[rec.key] = o.layout


def _read_notebook(rec: Record, practical: Practical | None = None) -> Record:
    """In a worker: the notebook report of one submission. Whatever it costs is the notebook's own
    problem ("unreadable"), never the submission's."""
    try:
        rec.notebook = notebook_report(rec.submission.files, practical)
    except (MemoryError, RecursionError, SubmissionTimeout) as err:
        why = {"MemoryError": "too large to read within the memory limit", "RecursionError": "nested too deeply",
               "SubmissionTimeout": "took too long to read"}[type(err).__name__]
        rec.notebook = empty_report("unreadable", flags=[f"the notebook could not be read: {why}"],
                                    practical=practical)
    return rec


def read_notebooks(batch: Batch) -> None:
    """In the workers (a 60 MB notebook is their memory, not the grader's); small ones here when no
    worker runs."""
    limits = batch.options.limits
    large = []
    for rec in batch.records:
        if rec.submission is None:
            continue
        if batch.pool is not None or any(f.stat().st_size > IN_PROCESS_BYTES
                                         for f in find_notebooks(rec.submission.files)):
            large.append(rec)
        else:
            _read_notebook(rec, batch.options.practical)
    if large:
        read = functools.partial(_read_notebook, practical=batch.options.practical)
        batch.replace_records(run_in_workers(read, large, limits, batch.pool, limits.workers()))


def recalculate(batch: Batch) -> None:
    """LibreOffice, file by file, for every file that needs it (after the zip and XML checks)."""
    opts = batch.options
    located = [r for r in batch.records if r.workbook_path is not None]
    probes = None
    if batch.pool is not None:
        try:
            probes = list(batch.pool.map(probe, [r.workbook_path for r in located], [opts.recalc] * len(located),
                                         chunksize=16))
        except BrokenProcessPool:  # a worker died on some file: probe each alone
            batch.pool = None
    if probes is None:
        probes = [probe_here_or_alone(r.workbook_path, opts.recalc, opts.limits) for r in located]
    todo = []
    for r, (need, status, message) in zip(located, probes, strict=False):
        if status is not None:
            r.set_status(status, message)
            r.workbook_path = None
        elif need:
            todo.append(r)
    if not todo:
        return
    batch.drop_pool()  # no worker holds memory while LibreOffice has the budget
    batch.progress.stage(f"LibreOffice ({len(todo)} files)", None)
    if find_soffice() is None:
        for r in todo:
            batch.recalculated[r.key] = Recalculated(problem="LibreOffice is needed for this file (.ods/.xls, or "
                                                     "formulas to calculate) and is not installed")
        return
    try:
        results = convert_to_xlsx([r.workbook_path for r in todo], batch.work / "recalculated",
                                  recalc_all=opts.recalc == "always", timeout_per_file=opts.timeout_per_file,
                                  startup=10.0, workdir=batch.work, memory=opts.limits.libreoffice_bytes)
    except LibreOfficeError as err:
        for r in todo:
            batch.recalculated[r.key] = Recalculated(problem=str(err))
        return
    for r, res in zip(todo, results, strict=False):
        batch.recalculated[r.key] = Recalculated(res.output) if res.output is not None else \
            Recalculated(problem=f"LibreOffice: {res.error}")
        r.lo_seconds = res.seconds


def assess(batch: Batch) -> None:
    """Each submission on its own (in parallel on several cores), feedback copy included; held
    submissions too (their marks are computed, a person decides)."""
    opts = batch.options
    batch.jobs = [AssessJob(rec, batch.recalculated.get(rec.key), batch.own_layout.get(rec.key, opts.layout),
                            opts.rubric, opts.expected_inputs, opts.secret, batch.work / "feedback",
                            None if rec.key in batch.own_layout else opts.handout_labels)
                  for rec in batch.records if rec.workbook_path is not None and rec.status is Status.GRADED]
    batch.progress.stage("grading", len(batch.jobs))
    limits = opts.limits
    batch.replace_records(run_in_workers(assess_file, batch.jobs, limits, batch.pool, limits.workers(),
                                  batch.progress.advance))


def reassess_against_class(batch: Batch) -> None:
    """Without the handed-out workbook, and with a layout of sheet ranges: the handed-out workbook as
    most of the class has it, then whoever differs from it, again (blocks found where they were moved,
    inputs compared with the usual ones)."""
    opts = batch.options
    if opts.layout is None or not uses_ranges(opts.layout) or opts.handout_labels is not None:
        return
    learned = learn_handout([r for r in batch.records if r.key not in batch.own_layout], opts.layout, batch.problems)
    if learned.handout_labels is None or not learned.to_reassess:
        return
    # the jobs' own records: each was assessed in a worker process, on a copy, so these are as they
    # were before assessing
    again = [AssessJob(job.record, job.recalculated, job.layout, job.rubric, learned.usual_inputs, job.secret,
                       job.feedback_dir, learned.handout_labels)
             for job in batch.jobs if job.key in learned.to_reassess]
    batch.progress.stage("moved blocks, again", len(again))
    limits = opts.limits
    batch.replace_records(run_in_workers(assess_file, again, limits, None, limits.workers(), batch.progress.advance))


def to_scale(batch: Batch) -> None:
    """The notebook's optional points; a hold becomes the row's status; grades on the assignment's
    scale (the worksheet's Maximum grade, or the rubric's grade_max), never points."""
    opts = batch.options
    batch.scale, batch.scale_note = grade_scale(opts.worksheet, opts.rubric)
    for rec in batch.records:
        if rec.report is not None and opts.rubric.notebook and rec.notebook is not None:
            add_notebook_points(rec, opts.rubric)
        if rec.hold is not None:
            rec.status = rec.hold
        if rec.report is None:
            continue
        rec.grade_max = batch.scale
        if batch.scale is not None and rec.max_total:
            rec.grade = rec.total / rec.max_total * batch.scale
            if not -1e-9 <= rec.grade <= batch.scale + 1e-9:
                raise GradeScaleError(f"internal error: grade {rec.grade!r} of {rec.key} is outside 0..{batch.scale}; "
                                      "nothing was written")


def apply_person_grades(batch: Batch) -> None:
    """A grade a person set (--overrides) wins over the computed one, and over a hold."""
    scale, source = batch.scale, batch.options.overrides_source
    for rec in batch.records:
        o = batch.decided.get(rec.key)
        if o is None or o.grade is None:
            continue
        if scale is None:
            raise OverrideError(f"{source}: [{o.name!r}]: grade = {o.grade:g}, but the assignment's scale is "
                                f"unknown ({batch.scale_note})")
        if o.grade > scale + 1e-9:
            raise OverrideError(f"{source}: [{o.name!r}]: grade = {o.grade:g} is above the assignment's "
                                f"maximum grade {scale:g}")
        rec.grade, rec.grade_max, rec.status, rec.decided = o.grade, scale, Status.GRADED, True
        rec.say(f"grade set by a person: {o.grade:g} / {scale:g} ({o.reason})", Audience.PERSON_DECIDED)


def compare(batch: Batch) -> None:
    opts = batch.options
    batch.run = GradeRun(batch.records, similar(batch.records), batch.problems, opts.rubric, batch.scale,
                         batch.scale_note)
    if opts.worksheet is not None:
        placed = {m.uniqueid for r in batch.records for m in r.members}
        batch.run.absent = [p for p in opts.worksheet.participants() if p.uniqueid not in placed]


STAGE_NAMES = {"discover": "reading the download"}  # as the progress display shows a stage, when not its name
STAGES = (discover, match, locate, apply_overrides, read_notebooks, recalculate, assess, reassess_against_class,
          to_scale, apply_person_grades, compare)

# ------------------------------------------------------------------ running them

MIN_PARALLEL = 8  # fewer submissions are graded in this process: starting workers would cost more


def grade(source: Path, work: Path, options: GradeOptions, progress: Progress | None = None) -> GradeRun:
    """Run every stage over the download ``source``; temporary files live under ``work``. A worksheet
    that does not belong to the download stops the run (:class:`ForeignWorksheet`) unless ``force``.
    An error that stops the run carries the stage it stopped in (``err.stage`` and a note)."""
    batch = Batch(Path(source), Path(work), options, progress or _Silent())
    workers = options.limits.workers()
    if workers > 1 and _size_hint(source) >= MIN_PARALLEL:
        batch.pool = _start_pool(workers, options.limits)
    try:
        for stage in STAGES:
            batch.progress.stage(STAGE_NAMES.get(stage.__name__, stage.__name__.replace("_", " ")), None)
            try:
                stage(batch)
            except Exception as err:
                err.stage = stage.__name__
                err.add_note(f"xlcnn grade stopped in the stage '{stage.__name__}'")
                raise
        return batch.run
    finally:
        batch.drop_pool()


def _size_hint(source: Path) -> int:
    """About how many files the download holds (cheap: the zip's directory, or a folder walk)."""
    try:
        if Path(source).is_file():
            with zipfile.ZipFile(source) as zf:
                return len(zf.infolist())
        return sum(len(files) for _, _, files in os.walk(source))
    except (OSError, zipfile.BadZipFile):
        return 0


def _start_pool(workers: int, limits: Limits):
    """Worker processes, started now so that their imports overlap the download's extraction."""
    pool = start_pool(workers, limits)
    for _ in range(workers):
        pool.submit(int)  # each worker starts and imports what it needs now
    return pool


def clean(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
