"""Writing what ``xlcnn grade`` produces, each file atomically: grades.csv, feedback.zip,
gradebook.xlsx and results.json; and the notes that say what was not written, and why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..files.atomic import atomic_write
from ..moodle.feedback_zip import write_feedback_zip
from ..moodle.worksheet import Worksheet, write_worksheet
from .feedback import HELD, feedback_files, held_files, moodle_comment
from .gradebook import write_gradebook
from .record import GradeRun, Status


def fill_worksheet(run: GradeRun, sheet: Worksheet) -> Worksheet:
    """The teacher's worksheet with Grade and Feedback comments filled for every member of every
    graded submission; every other row and field keeps its bytes."""
    for rec in run.records:
        if rec.grade is None or rec.status is not Status.GRADED:
            continue
        for m in rec.members:
            row = sheet.row_for(m.uniqueid)
            if row is None:
                continue
            sheet.set(row, "grade", sheet.format_grade(rec.grade))
            sheet.set(row, "feedback", moodle_comment(rec))
    return sheet


def write_outputs(run: GradeRun, outdir: Path, work: Path,
                  sheet: Worksheet | None) -> tuple[dict[str, Path], list[str]]:
    """Write the outputs into ``outdir``; returns the files written and notes on what was not."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {name: outdir / name for name in ("grades.csv", "feedback.zip", "gradebook.xlsx", "results.json")}
    notes = []
    if sheet is None:
        notes.append("no grades.csv: download the grading worksheet from Moodle (Assignment > View all submissions > "
                     "Download grading worksheet) and pass it with --worksheet; the download's folders carry group "
                     "ids for team submissions, not participant ids, so xlcnn does not make one up")
    elif run.scale is None:
        notes.append("no grades.csv: " + run.scale_note)
    if sheet is None or run.scale is None:
        paths["grades.csv"].unlink(missing_ok=True)  # a stale one from an earlier run must not be uploaded
        del paths["grades.csv"]
    else:
        write_worksheet(fill_worksheet(run, sheet), paths["grades.csv"])
    files = feedback_files(run.records)
    write_feedback_zip(files, paths["feedback.zip"])
    if not files:
        notes.append("feedback.zip holds no file: no graded submission could be annotated")
    held = write_held(run, outdir)
    if held:
        notes.append(f"{held} annotated workbook(s) of submissions held for a person wait in {HELD}/ of the output "
                     "folder: "
                     "nothing of a held submission goes to Moodle (not in feedback.zip nor grades.csv, never "
                     "pushed) until a person decides")
    write_gradebook(run, paths["gradebook.xlsx"])
    data = {
        "submissions": [r.to_dict() | {"comment": moodle_comment(r)} for r in run.records],
        "similar": [{"a": s.a, "b": s.b, "reason": s.reason} for s in run.similarities],
        "problems": run.problems,
        "rubric": run.rubric.source,
        "practical": next((r.notebook.practical.source for r in run.records if r.notebook is not None), ""),
        "scale": run.scale,
        "scale_note": run.scale_note,
        "reference": run.instructor_table or [],
        "absent": [{"identifier": f"Participant {p.uniqueid}", "full_name": p.full_name, "group": p.group}
                   for p in run.absent],
        "members_note": "" if sheet is not None else (
            "no grading worksheet was given (--worksheet): the download names groups, not their members, so "
            "each submission's members are unknown"),
        "notes": notes,
    }
    errors = [f"== {r.key}\n{r.traceback}" for r in run.records if r.traceback]
    log = outdir / "xlcnn-errors.log"
    if errors:  # internal errors: for the maintainers, never in a student's feedback
        atomic_write(log, lambda tmp: tmp.write_text("\n".join(errors), encoding="utf-8"))
        paths["xlcnn-errors.log"] = log
    else:
        log.unlink(missing_ok=True)
    atomic_write(paths["results.json"], lambda tmp: tmp.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n", encoding="utf-8"))
    return paths, notes


def write_held(run: GradeRun, outdir: Path) -> int:
    """The annotated workbooks of the held submissions, under OUTDIR/held/<submission>/ for the person
    who decides (an earlier run's copies are removed first: the folder holds this run's only); each
    record learns where its copy is, for the gradebook. Returns how many were written."""
    folder = outdir / HELD
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    elif folder.exists() or folder.is_symlink():
        folder.unlink()
    held = held_files(run.records)
    for rec, rel in held:
        target = outdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda tmp, src=rec.feedback_path: shutil.copyfile(src, tmp))
        rec.held_copy = rel
    return len(held)
