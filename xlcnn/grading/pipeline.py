"""``xlcnn grade``: grade a whole class from Moodle's download, one submission at a time.

The pipeline is a declared list of stages (see :func:`grade`):

1. ``discover``   — submissions and their files, extracted safely (``submissions``);
2. ``match``      — each submission to its worksheet rows (members, group);
3. ``locate``     — the workbook in each submission;
4. ``recalculate``— one LibreOffice run for every file that needs it (.ods/.xls, formulas
   without cached values, or all with ``--recalc always``);
5. ``assess``     — read inputs and answers, check, score with the rubric, diagnose,
   verify the inputs (template or variant signature);
6. ``compare``    — flag similar submissions.

A broken submission becomes one record with a status and a message; the batch goes on.
"""

from __future__ import annotations

import hashlib
import re
import os
import shutil
import zipfile
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

import numpy as np

from ..core.exercise import Example
from ..errors import UnsafeFileError, XlcnnError
from ..moodle.download import Submission, discover, is_junk
from ..moodle.matching import match_folder
from ..moodle.worksheet import Worksheet
from ..notebook.report import notebook_report
from ..workbook.checking import _needs, check_reading, external_problem
from ..layout.model import Layout
from ..files.opening import Book, open_workbook, precheck, scan_external, sniff
from ..workbook.reading import read_workbook
from ..layout.relocate import LayoutMismatch, Reference, label_cells, layout_sheets, reference_from_class, reference_inputs, relocate, uses_ranges
from ..handout.signing import verify
from .isolation import Limits, run_all, start_pool
from .overrides import OverrideError
from .overrides import find as find_overrides
from .record import GRADED, SKIPPED, GradeRun, Record, Similarity
from .rubric import Rubric, RubricError, score

# ------------------------------------------------------------------ matching submissions to the worksheet


def match(subs: list[Submission], worksheet: Worksheet | None) -> list[Record]:
    """One record per submission, with its members from the worksheet (see :mod:`xlcnn.moodle.matching`);
    pre-4.1 group copies (one folder per member) merged into one record that keeps every folder."""
    records: list[Record] = []
    seen_groups: dict[str, Record] = {}
    for sub in subs:
        rec = Record(sub.key, sub.name, sub.moodle_id, messages=list(sub.problems), submission=sub, folders=[sub.key])
        if not sub.moodle_id:  # "Default group": students in no group, no id to give feedback to
            found = match_folder(sub, worksheet) if worksheet is not None else None
            rec.hold = "no group"
            rec.messages.append(found.problem if found else f"{sub.key}: a submission of students in no group: "
                                "Moodle cannot take feedback files for it by zip; grade it by hand")
        elif worksheet is not None:
            found = match_folder(sub, worksheet)
            if found.problem:
                rec.hold = {"ambiguous": "ambiguous match"}.get(found.kind, "no worksheet row")
                rec.messages.append(found.problem)
            else:
                rec.group, rec.members = found.group, list(found.members)
                if found.kind == "participant" and sub.old_format and found.group:
                    # before 4.1: the group's submission once per member; grade it once, feed back to each folder
                    group_members = [p for p in worksheet.participants() if p.group == found.group]
                    if found.group in seen_groups:
                        seen_groups[found.group].folders.append(sub.key)
                        continue
                    seen_groups[found.group] = rec
                    rec.name = found.group
                    rec.members = group_members
        records.append(rec)
    return records


# ------------------------------------------------------------------ the pipeline

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


def find_workbook(sub: Submission) -> tuple[Path | None, str | None]:
    """The submission's workbook, or why there is none to grade."""
    candidates = [f for f in sub.files if f.suffix.lower() in WORKBOOK_SUFFIXES and not is_junk((f.name,))]
    if len(candidates) == 1:
        return candidates[0], None
    if not candidates:
        names = ", ".join(sorted(f.name for f in sub.files)) or "no files"
        return None, f"no workbook (.xlsx, .xlsm, .ods, .xls) in the submission ({names})"
    return None, "several workbooks, a person must choose: " + ", ".join(sorted(f.name for f in candidates))




def _inputs_changed(ex: Example, template: Example) -> list[str]:
    diffs = []
    for attr, label in (("x1", "1D input"), ("w1", "1D filter"), ("x2", "2D input"), ("w2", "2D filters"),
                        ("b2", "2D biases")):
        a, b = getattr(ex, attr), getattr(template, attr)
        if a.shape != b.shape or not np.array_equal(a, b):
            diffs.append(label)
    if ex.b1 != template.b1:
        diffs.append("1D bias")
    if ex.cases1 != template.cases1 or ex.values_case != template.values_case:
        diffs.append("strides or paddings")
    return diffs


def _names_given(book: Book) -> str:
    """The Group / names cell of xlcnn's template (defined name ``GroupNames``), as the students filled it."""
    from ..layout.model import resolve

    try:
        area = resolve(book.formulas, "GroupNames", "group names", book.name)
    except XlcnnError:
        return ""
    value = book.value(area.sheet, area.coords()[0])
    return " ".join(str(value).split())[:200] if value not in (None, "") else ""


def changed_cells(reading, template: Example) -> list[tuple[str, str, float]]:
    """The given cells whose number differs from the handed-out one: (sheet, cell, handed-out value)."""
    ex = template
    expected = {"conv1d.input": ex.x1, "conv1d.filter": ex.w1, "conv1d.bias": np.array([ex.b1])}
    for c in range(ex.x2.shape[2]):
        expected[f"conv2d.input[{c + 1}]"] = ex.x2[:, :, c]
        for k in range(ex.w2.shape[3]):
            expected[f"conv2d.filters[{k + 1}][{c + 1}]"] = ex.w2[:, :, c, k]
    for k in range(ex.b2.size):
        expected[f"conv2d.biases[{k + 1}]"] = np.array([ex.b2[k]])
    out = []
    for region, want in expected.items():
        area = reading.areas.get(region)
        if area is None or area.size != want.size:
            continue
        for coord, w in zip(area.coords(), np.asarray(want, float).reshape(-1)):
            got = reading.book.value(area.sheet, coord)
            if not isinstance(got, (int, float)) or isinstance(got, bool) or abs(float(got) - w) > 1e-9:
                out.append((area.sheet, coord, float(w)))
    return out


def _metadata(book: Book) -> dict[str, str]:
    props = book.formulas.properties
    return {
        "creator": (props.creator or "").strip(),
        "last_modified_by": (props.lastModifiedBy or "").strip(),
        "created": props.created.isoformat() if props.created else "",
    }


LAYOUT_NOTE = "blocks found where they were moved: "  # graded from there; said in the feedback


def assess(rec: Record, book: Book, layout: Layout | None, rubric: Rubric, template: Example | None,
           secret: bytes | None, pending: set | None, reference: Reference | None = None) -> None:
    """Grade one loaded workbook into ``rec`` (status, points, diagnoses, messages).

    With a layout of sheet ranges, the workbook's labels are kept (to learn the handed-out
    workbook from the class) and, given a ``reference``, the blocks are found where the student
    moved them; a layout that does not fit raises :class:`LayoutMismatch`."""
    rec.metadata = _metadata(book)
    if layout is not None and uses_ranges(layout):
        rec.labels = label_cells(book, layout_sheets(layout))
        if reference is not None:
            layout, notes = relocate(book, layout, reference)
            book.notes.extend(f"{LAYOUT_NOTE}{n}" for n in notes)
    try:
        reading = read_workbook(book, layout)
    except LayoutMismatch:
        raise
    except XlcnnError as err:
        if layout is None or not uses_ranges(layout):
            raise
        raise LayoutMismatch(str(err)) from None
    rec.inputs, rec.example = reference_inputs(reading), reading.example
    rec.names_given = _names_given(book)
    rec.messages.extend(book.notes)
    report = check_reading(reading, rubric.tolerance, pending, secret)
    rec.report = report
    for q in report.questions:
        rule = rubric.rule_for(q.id)
        counted = [c for c in q.cells if c.status in ("right", "wrong", "missing")]
        pts, mx, _reason = score(q.status, q.right_cells, len(counted), rule)
        rec.points[q.id], rec.max_points[q.id] = pts, mx
    rec.diagnoses = dict(report.diagnoses)
    rec.messages.extend(p for p in report.problems if p.startswith("nothing filled in"))
    rec.max_total = sum(rec.max_points.values())
    rec.total = sum(p for p in rec.points.values() if p is not None)
    if any(p is None for p in rec.points.values()):
        rec.status = "not calculated"
        rec.messages.append("some answers are formulas without a calculated value (run with --recalc auto/always, "
                            "or open and save the file in Excel or LibreOffice)")
    signature = reading.meta.get("signature", "")
    if signature:
        if secret is None:
            rec.messages.append("a signed variant, but no secret to verify its inputs (set XLCNN_SECRET or --secret-file)")
        elif not verify(reading.example, reading.meta.get("variant", ""), signature, secret):
            rec.status = "inputs changed"
            rec.messages.append("inputs changed: the given numbers differ from those of the variant "
                                f"issued to {reading.meta.get('variant') or 'this group'} (signature check failed)")
    elif template is not None:
        diffs = _inputs_changed(reading.example, template)
        if diffs:
            rec.changed = changed_cells(reading, template)
            rec.status = "inputs changed"
            whose = "those most of the class has" if reference is not None and reference.inputs and \
                reference.source.startswith("the workbook as most") else "the template's"
            rec.messages.append(f"inputs changed: the given numbers differ from {whose} ("
                                + ", ".join(diffs) + "); graded against the workbook's own inputs")


def assess_file(rec: Record, conv: Path | str | None, layout: Layout | None, rubric: Rubric,
                template: Example | None, secret: bytes | None, feedback_dir: Path,
                reference: Reference | None = None) -> Record:
    """Load, grade and annotate one submission's workbook (runs in a worker process)."""
    try:
        if isinstance(conv, str):
            if sniff(rec.workbook_path) in ("ods", "xls"):
                raise XlcnnError(f"{rec.file}: {conv}")
            rec.messages.append(conv)
            book = open_workbook(rec.workbook_path)
        elif conv is not None:
            fresh = open_workbook(conv)
            book = Book(rec.workbook_path, fresh.formulas, fresh.cached, sniff(rec.workbook_path), converted=True,
                        external=sorted(set(fresh.external) | set(scan_external(rec.workbook_path))),
                        notes=fresh.notes, skipped=fresh.skipped)
        else:
            book = open_workbook(rec.workbook_path)
        assess(rec, book, layout, rubric, template, secret, set(book.uncalculated()), reference)
        if isinstance(conv, str) and conv.startswith("LibreOffice:") and rec.status == GRADED:
            rec.status = "not calculated"  # LibreOffice was needed and stopped on it: a person looks
        if book.external:
            rec.status = "external reference"
            rec.messages.append(external_problem(book.external))
    except RubricError:
        raise
    except UnsafeFileError as err:
        rec.status = "refused"
        rec.messages.append(str(err))
        return rec
    except LayoutMismatch as err:
        rec.status = "layout mismatch"
        rec.messages.append(f"layout mismatch: {err}; not graded (a person grades it, or give it its own layout "
                            "with --overrides)")
        return rec
    except XlcnnError as err:
        rec.status = "unreadable"
        rec.messages.append(str(err))
        external = scan_external(rec.workbook_path, *([conv] if isinstance(conv, Path) else []))
        if external:  # unreadable, and pointing outside itself: that is the flag a person must see
            rec.status = "external reference"
            rec.messages.append(external_problem(external))
        return rec
    from .feedback import annotated_workbook

    feedback_dir.mkdir(parents=True, exist_ok=True)
    rec.feedback_path = feedback_dir / f"{hashlib.sha1(rec.key.encode('utf-8')).hexdigest()[:16]}.xlsx"
    annotated_workbook(rec, book, rec.feedback_path)
    return rec


def add_notebook_points(rec: Record, rubric: Rubric) -> None:
    """The rubric's optional points for the notebook's checklist (default: none, a report only)."""
    checklist = rec.notebook["checklist"]
    for key, (points, most) in rubric.notebook.items():
        value = checklist.get(key, 0)
        count = min(int(value), most) if not isinstance(value, bool) else int(value)
        qid = f"notebook.{key}"
        rec.points[qid] = round(points * count, 4)
        rec.max_points[qid] = points * (most if not isinstance(value, bool) else 1)
    rec.max_total = sum(rec.max_points.values())
    rec.total = sum(p for p in rec.points.values() if p is not None)


class GradeScaleError(XlcnnError):
    """The grade scale is contradictory, or a computed grade fell outside it (a bug: the run stops)."""


def grade_scale(worksheet: Worksheet | None, rubric: Rubric) -> tuple[float | None, str]:
    """The assignment's maximum grade and where it comes from; None (with the reason) when unknown."""
    sheet_max = None
    if worksheet is not None and worksheet.col("max") is not None:
        values = {v for v in (worksheet.number(worksheet.get(r, "max")) for r in worksheet.rows) if v is not None}
        if len(values) > 1:
            raise GradeScaleError(f"{worksheet.source}: the Maximum grade column holds several values "
                                  f"({', '.join(f'{v:g}' for v in sorted(values))}); one assignment has one scale")
        sheet_max = values.pop() if values else None
        if sheet_max is not None and sheet_max <= 0:
            raise GradeScaleError(f"{worksheet.source}: Maximum grade {sheet_max:g} is not a point scale "
                                  "(a Moodle scale or no grade); xlcnn writes numeric grades only")
    if sheet_max is not None and rubric.grade_max is not None and abs(sheet_max - rubric.grade_max) > 1e-9:
        raise GradeScaleError(f"{rubric.source}: grade_max = {rubric.grade_max:g}, but Moodle's worksheet says the "
                              f"assignment is out of {sheet_max:g}; make them agree (or drop grade_max)")
    if sheet_max is not None:
        return sheet_max, f"Maximum grade {sheet_max:g} (worksheet)"
    if rubric.grade_max is not None:
        return rubric.grade_max, f"grade_max {rubric.grade_max:g} ({rubric.source})"
    if worksheet is None:
        return None, ("the assignment's scale is unknown: no grading worksheet was given (--worksheet) and the "
                      "rubric has no grade_max; points are in the gradebook and results.json, no grade was written")
    return None, ("the assignment's scale is unknown: the worksheet has no Maximum grade column and the rubric "
                  "no grade_max; points are in the gradebook and results.json, no grade was written")


class ForeignWorksheet(XlcnnError):
    """The grading worksheet is not the one of this download's assignment (``--force`` goes on)."""


_ASSIGNMENT = re.compile(r"^(?:Grades-)?(?P<stem>.+)-(?P<id>\d+)$")


def worksheet_fits(source: Path, worksheet: Worksheet, records: list[Record]) -> str | None:
    """Why ``worksheet`` does not belong to the download ``source``, or None: the assignment's name and
    id in both file names (Moodle names them ``course-assignment-[group-]cmid.zip`` and
    ``Grades-course-assignment-[group-]cmid.csv``), then the identifiers on both sides."""
    d = _ASSIGNMENT.match(Path(source).stem if Path(source).is_file() else Path(source).name)
    w = _ASSIGNMENT.match(Path(worksheet.source).stem)
    if d and w and Path(worksheet.source).stem.startswith("Grades-") and d.group("id") != w.group("id"):
        return (f"{Path(worksheet.source).name} is the worksheet of assignment {w.group('id')} ('{w.group('stem')}'), "
                f"the download is of assignment {d.group('id')} ('{d.group('stem')}')")
    placed = [r for r in records if r.submission is not None and r.moodle_id]
    unmatched = [r for r in placed if r.hold in ("no worksheet row",)]
    if placed and len(unmatched) * 2 > len(placed):
        return (f"{len(unmatched)} of the download's {len(placed)} submissions have no row in "
                f"{Path(worksheet.source).name}: it looks like the worksheet of another class or assignment")
    return None


def grade(source: Path, work: Path, *, worksheet: Worksheet | None, layout: Layout | None, rubric: Rubric,
          template: Example | None, secret: bytes | None, recalc: str = "auto",
          progress: Callable[[str], None] | None = None, timeout_per_file: float = 30.0,
          limits: Limits | None = None, reference: Reference | None = None,
          overrides: dict | None = None, overrides_source: str = "overrides", force: bool = False) -> GradeRun:
    """Run every stage over the download ``source``; temporary files live under ``work``. A worksheet
    that does not belong to the download stops the run (:class:`ForeignWorksheet`) unless ``force``."""
    from ..files.libreoffice import LibreOfficeError, convert_to_xlsx, find_soffice

    limits = limits or Limits()
    workers = limits.workers()
    pools = [_start_pool(workers, limits) if workers > 1 and _size_hint(source) >= MIN_PARALLEL else None]
    try:
        return _grade(source, work, pools, worksheet=worksheet, layout=layout, rubric=rubric, template=template,
                      secret=secret, recalc=recalc, progress=progress, timeout_per_file=timeout_per_file,
                      convert=convert_to_xlsx, soffice=find_soffice, lo_error=LibreOfficeError, limits=limits,
                      reference=reference, overrides=overrides or {}, overrides_source=overrides_source, force=force)
    finally:
        if pools[0] is not None:
            pools[0].shutdown(cancel_futures=True)


MIN_PARALLEL = 8  # fewer submissions are graded in this process: starting workers would cost more


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


def _stage(progress, name: str, total: int | None) -> None:
    """Tell the progress display a new stage began (``progress.stage``, when it has one)."""
    hook = getattr(progress, "stage", None)
    if hook is not None:
        hook(name, total)


def _probe(path: Path, recalc: str) -> tuple[bool, str, str]:
    """In a worker: whether ``path`` goes through LibreOffice, and if so whether it may (the zip
    measured by what it really inflates to, the XML checked): (needs, status, message)."""
    if not _needs(path, recalc):
        return False, "", ""
    try:  # nothing reaches LibreOffice before the zip and XML checks
        precheck(path)
    except UnsafeFileError as err:
        return True, "refused", str(err)
    except XlcnnError as err:
        return True, "unreadable", str(err)
    except MemoryError:
        return True, "refused", f"{path.name}: too large to check before LibreOffice opens it"
    return True, "", ""


IN_PROCESS_BYTES = 8 * 2**20  # a file (or its XML) smaller than this is probed or read by the grader itself


def _probe_here_or_alone(path: Path, recalc: str, limits: Limits) -> tuple[bool, str, str]:
    """The probe of one file, in this process when its XML is small, else alone in a worker: the
    grader never holds a large member in memory."""
    from .isolation import run_isolated

    try:
        with zipfile.ZipFile(path) as zf:
            small = sum(i.file_size for i in zf.infolist()) <= IN_PROCESS_BYTES
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        small = path.stat().st_size <= IN_PROCESS_BYTES
    if small:
        return _probe(path, recalc)
    status, result = run_isolated(_probe, (path, recalc), limits)
    return result if status == "ok" else (True, "refused", f"{path.name}: refused: {result}")


def _read_notebook(rec: Record) -> Record:
    """In a worker: the notebook report of one submission. Whatever it costs is the notebook's own
    problem ("unreadable"), never the submission's."""
    from ..notebook.report import empty_report
    from .isolation import SubmissionTimeout

    try:
        rec.notebook = notebook_report(rec.submission.files)
    except (MemoryError, RecursionError, SubmissionTimeout) as err:
        why = {"MemoryError": "too large to read within the memory limit", "RecursionError": "nested too deeply",
               "SubmissionTimeout": "took too long to read"}[type(err).__name__]
        rec.notebook = empty_report("unreadable", flags=[f"the notebook could not be read: {why}"])
    return rec


def _grade(source: Path, work: Path, pools: list, *, worksheet, layout, rubric, template, secret, recalc, progress,
           timeout_per_file, convert, soffice, lo_error, limits: Limits, reference: Reference | None = None,
           overrides: dict | None = None, overrides_source: str = "overrides", force: bool = False) -> GradeRun:
    subs, problems = discover(source, work)  # 1. discover
    records = match(subs, worksheet)  # 2. match
    if worksheet is not None and not force:
        foreign = worksheet_fits(source, worksheet, records)
        if foreign:
            raise ForeignWorksheet(f"{foreign}; nothing was written (--force grades against it all the same)")
    for rec in records:  # 3. locate
        sub = rec.submission
        path, why = find_workbook(sub)
        if path is None:
            if rec.status == GRADED:
                rec.status = "several workbooks" if why.startswith("several") else "no workbook"
            rec.messages.append(why)
            continue
        rec.file = path.name
        rec.workbook_path = path
    decided = find_overrides(records, overrides, overrides_source) if overrides else {}
    own_layout = {}
    for rec in records:  # what a person decided (--overrides): before anything is graded
        o = decided.get(rec.key)
        if o is None:
            continue
        rec.override = o.describe()
        if o.skip:
            rec.status, rec.workbook_path = SKIPPED, None
            rec.messages.append(rec.override)
            continue
        if o.workbook:
            files = rec.submission.files if rec.submission else []
            hits = [f for f in files if f.name == o.workbook or f.as_posix().endswith("/" + o.workbook)]
            if len(hits) != 1:
                raise OverrideError(f"{overrides_source}: [{o.name!r}]: workbook {o.workbook!r} is not in the submission "
                                    f"(it holds {', '.join(sorted(f.name for f in files)) or 'no file'})")
            rec.file, rec.workbook_path = hits[0].name, hits[0]
            if rec.status in ("several workbooks", "no workbook"):
                rec.status = GRADED
                rec.messages = [m for m in rec.messages if not m.startswith(("several workbooks", "no workbook"))]
        if o.layout is not None:
            own_layout[rec.key] = o.layout
    pool = pools[0]
    workers = limits.workers()
    # the notebook half: read, never run, in the workers (a 60 MB notebook is their memory, not ours)
    from ..notebook.report import find_notebooks

    large = []
    for rec in records:
        if rec.submission is None:
            continue
        if any(f.stat().st_size > IN_PROCESS_BYTES for f in find_notebooks(rec.submission.files)) or pool is not None:
            large.append((rec,))
        else:
            _read_notebook(rec)
    if large:
        done = run_all(_read_notebook, large, limits, pool, workers)
        records = [done.get(r.key, r) for r in records]

    # 4. recalculate: LibreOffice, file by file, for every file that needs it
    located = [r for r in records if r.workbook_path is not None]
    probes = None
    if pool is not None:
        try:
            probes = list(pool.map(_probe, [r.workbook_path for r in located], [recalc] * len(located), chunksize=16))
        except BrokenProcessPool:  # a worker died on some file: probe each alone
            pool = pools[0] = None
    if probes is None:
        probes = [_probe_here_or_alone(r.workbook_path, recalc, limits) for r in located]
    todo = []
    for r, (need, status, message) in zip(located, probes):
        if status:
            r.status, r.workbook_path = status, None
            r.messages.append(message)
        elif need:
            todo.append(r)
    converted: dict[str, Path | str] = {}
    if todo:
        if pool is not None:  # no worker holds memory while LibreOffice has the budget
            pool.shutdown(cancel_futures=True)
            pool = pools[0] = None
        _stage(progress, f"LibreOffice ({len(todo)} files)", None)
        if soffice() is None:
            for r in todo:
                converted[r.key] = "LibreOffice is needed for this file (.ods/.xls, or formulas to calculate) and is not installed"
        else:
            try:
                results = convert([r.workbook_path for r in todo], work / "recalculated",
                                  recalc_all=recalc == "always", timeout_per_file=timeout_per_file,
                                  startup=10.0, workdir=work, memory=limits.libreoffice_bytes)
                for r, res in zip(todo, results):
                    converted[r.key] = res.output if res.output is not None else f"LibreOffice: {res.error}"
                    r.lo_seconds = res.seconds
            except lo_error as err:
                for r in todo:
                    converted[r.key] = str(err)

    # 5. assess: each submission on its own (in parallel on several cores), feedback copy included
    jobs = [(rec, converted.get(rec.key), own_layout.get(rec.key, layout), rubric, template, secret,
             work / "feedback", None if rec.key in own_layout else reference)
            for rec in records if rec.workbook_path is not None and rec.status == GRADED]  # held ones too
    learn = layout is not None and uses_ranges(layout) and reference is None
    _stage(progress, "grading", len(jobs))
    done = run_all(assess_file, jobs, limits, pool, workers, progress)
    records = [done.get(r.key, r) for r in records]
    if learn:  # the handed-out workbook as most of the class has it: then whoever differs, again
        learned, again, majority = learn_reference([r for r in records if r.key not in own_layout], layout, problems)
        if learned is not None and again:
            # the jobs' own records: each was assessed in a worker process, on a copy, so these are as
            # they were before assessing
            redo = [(job[0], *job[1:4], majority, *job[5:7], learned) for job in jobs if job[0].key in again]
            _stage(progress, "moved blocks, again", len(redo))
            done = run_all(assess_file, redo, limits, None, workers, progress)
            records = [done.get(r.key, r) for r in records]

    # grades: on the assignment's scale (the worksheet's Maximum grade, or the rubric's grade_max), never points
    scale, scale_note = grade_scale(worksheet, rubric)
    for rec in records:
        if rec.report is not None and rubric.notebook and rec.notebook is not None:
            add_notebook_points(rec, rubric)
        if rec.hold:
            rec.status = rec.hold
        if rec.report is None:
            continue
        rec.grade_max = scale
        if scale is not None and rec.max_total:
            rec.grade = rec.total / rec.max_total * scale
            if not -1e-9 <= rec.grade <= scale + 1e-9:
                raise GradeScaleError(f"internal error: grade {rec.grade!r} of {rec.key} is outside 0..{scale}; "
                                      "nothing was written")
    for rec in records:  # a grade a person set wins over the computed one, and over a hold
        o = decided.get(rec.key)
        if o is None or o.grade is None:
            continue
        if scale is None:
            raise OverrideError(f"{overrides_source}: [{o.name!r}]: grade = {o.grade:g}, but the assignment's scale is "
                                f"unknown ({scale_note})")
        if o.grade > scale + 1e-9:
            raise OverrideError(f"{overrides_source}: [{o.name!r}]: grade = {o.grade:g} is above the assignment's "
                                f"maximum grade {scale:g}")
        rec.grade, rec.grade_max, rec.status, rec.decided = o.grade, scale, GRADED, True
        rec.messages.append(f"grade set by a person: {o.grade:g} / {scale:g} ({o.reason})")
    run = GradeRun(records, similar(records), problems, rubric, scale, scale_note)  # 6. compare
    if worksheet is not None:
        placed = {m.uniqueid for r in records for m in r.members}
        run.absent = [p for p in worksheet.participants() if p.uniqueid not in placed]
    return run


# ------------------------------------------------------------------ the handed-out workbook, learned from the class


def _fingerprint(inputs: dict) -> tuple:
    return tuple(sorted((region, a.shape, a.tobytes()) for region, a in inputs.items()))


def learn_reference(records: list[Record], layout: Layout,
                    problems: list[str]) -> tuple[Reference | None, set[str], Example | None]:
    """Without ``--template``: the handed-out workbook as most of the class has it (its labels, and
    the given numbers most submissions share), and the submissions to assess again against it:
    those whose labels or given numbers differ, and those whose layout did not fit."""
    readable = [r for r in records if r.labels]
    if not readable:
        return None, set(), None
    signed = {r.key for r in records if r.report is not None and r.report.inputs in ("signed", "changed")}
    counts: dict[tuple, list[Record]] = {}
    for r in records:
        if r.inputs and r.key not in signed:
            counts.setdefault(_fingerprint(r.inputs), []).append(r)
    ranked = sorted(counts.values(), key=len, reverse=True)
    inputs, majority = {}, None
    if ranked and (len(ranked) == 1 or len(ranked[0]) > len(ranked[1])):
        inputs, majority = ranked[0][0].inputs, ranked[0][0].example
        usual = _fingerprint(inputs)
    else:
        usual = None
        if ranked:
            problems.append("no set of given numbers is shared by more submissions than any other: changed inputs "
                            "cannot be told from the class (give the handed-out workbook with --template)")
    reference = reference_from_class([r.labels for r in readable], layout, inputs)
    again = set()
    for r in records:
        if r.status == "layout mismatch" or (r.status == "unreadable" and r.labels):
            again.add(r.key)
            continue
        if not r.labels:
            continue
        for sheet, context in reference.context.items():
            mine = {(row, col): text for row, col, text in r.labels.get(sheet, [])}
            if any(mine.get(pos) != text for pos, text in context.items()):
                again.add(r.key)
                break
        if usual is not None and r.inputs and r.key not in signed and _fingerprint(r.inputs) != usual:
            again.add(r.key)
    return reference, again, majority


# ------------------------------------------------------------------ similar submissions


def _answers(rec: Record) -> dict[str, tuple[str, str]]:
    return {q.id: (q.status, q.given) for q in rec.report.questions} if rec.report else {}


MAX_PAIRS = 25  # the pairs worth a look; a longer list is one nobody reads
METADATA = (("creator", "created by"), ("last_modified_by", "last saved by"), ("created", "created at"))


def similar(records: list[Record]) -> list[Similarity]:
    """Pairs worth a look (not accusations), most telling first.

    Two submissions are worth a look when they share wrong answers that few others gave (the
    rarer the shared wrong answer, the more it counts: an identical slip is telling, a common
    mistake is not), or document metadata that neither the template nor most of the class
    shares (copies of the handed-out file keep the teacher's creator and creation time: that
    proves nothing)."""
    graded = [r for r in records if r.report is not None]
    if len(graded) < 2:
        return []
    labels = {q.id: q.label for r in graded for q in r.report.questions}
    answers = {r.key: _answers(r) for r in graded}
    wrong_counts: dict[tuple[str, str], int] = {}
    for a in answers.values():
        for qid, (status, given) in a.items():
            if status == "wrong" and given:
                wrong_counts[(qid, given)] = wrong_counts.get((qid, given), 0) + 1
    common = _template_metadata()
    for key, _ in METADATA:
        counts: dict[str, int] = {}
        for r in graded:
            value = r.metadata.get(key, "")
            if value:
                counts[value] = counts.get(value, 0) + 1
        common |= {v for v, n in counts.items() if n * 2 > len(graded)}  # most of the class: the template's
    scored = []
    for i, a in enumerate(graded):
        for b in graded[i + 1:]:
            aa, bb = answers[a.key], answers[b.key]
            shared = sorted(((wrong_counts[(q, aa[q][1])], q) for q in aa
                             if aa[q][0] == "wrong" and aa[q][1] and bb.get(q) == aa[q]),
                            key=lambda t: (t[0], t[1]))
            rare = [(n, q) for n, q in shared if n <= max(2, len(graded) // 10)]
            score, reasons = 0.0, []
            if rare:
                score += sum(len(graded) / n for n, _ in rare)
                words = [f"{labels.get(q, q)} ({aa[q][1]}; " + ("no other submission" if n == 2 else f"{n - 2} other")
                         + (" gave it)" if n == 2 else f"{'s' if n > 3 else ''} gave it)") for n, q in rare]
                reasons.append("the same wrong answer" + ("s" if len(rare) > 1 else "") + ": " + "; ".join(words))
            if aa == bb and any(g for _, g in aa.values()) and shared:
                score += len(graded)
                reasons.append("every answer identical, right and wrong")
            for key, label in METADATA:
                va, vb = a.metadata.get(key, ""), b.metadata.get(key, "")
                if va and va == vb and va not in common:
                    score += len(graded) / 2
                    reasons.append(f"the same document metadata ({label} {va}), which the rest of the class does not have")
            if reasons:
                scored.append((-score, a.name, b.name, "; ".join(reasons)))
    scored.sort()
    return [Similarity(a, b, reason) for _, a, b, reason in scored[:MAX_PAIRS]]


def _template_metadata() -> set[str]:
    """Metadata values every copy of an xlcnn template shares (they prove nothing)."""
    from ..files.xlsx_values import FIXED_TIME

    return {"openpyxl", "xlcnn", FIXED_TIME.replace("Z", ""), FIXED_TIME, "2024-01-01T00:00:00"}


def clean(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
