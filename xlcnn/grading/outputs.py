"""Writing what ``xlcnn grade`` produces, each file atomically: grades.csv, feedback.zip,
gradebook.xlsx and results.json."""

from __future__ import annotations

import json
from pathlib import Path

from ..moodle.feedback_zip import write_feedback_zip
from ..moodle.worksheet import Worksheet, new_worksheet, write_worksheet
from ..workbook.cached import atomic_write
from .feedback import comment_text, feedback_files
from .gradebook import write_gradebook
from .record import GRADED, GradeRun


def fill_worksheet(run: GradeRun, sheet: Worksheet | None) -> Worksheet:
    """The teacher's worksheet with Grade and Feedback comments filled for every graded member;
    rows that could not be graded keep their old values. Without one, a worksheet built
    from the download."""
    if sheet is None:
        sheet = new_worksheet()
        for rec in run.records:
            for m in rec.members or []:
                row = [""] * len(sheet.header)
                sheet.set(row, "Identifier", f"Participant {m.uniqueid}")
                sheet.set(row, "Full name", m.full_name)
                sheet.set(row, "Status", "Submitted for grading")
                sheet.rows.append(row)
    for rec in run.records:
        if rec.grade is None or rec.status != GRADED:
            continue
        for m in rec.members:
            row = sheet.row_for(m.uniqueid)
            if row is None:
                continue
            sheet.set(row, "Grade", sheet.format_grade(rec.grade))
            if sheet.col("Maximum Grade") is not None and not sheet.get(row, "Maximum Grade") and rec.grade_max:
                sheet.set(row, "Maximum Grade", sheet.format_grade(rec.grade_max))
            sheet.set(row, "Feedback comments", comment_text(rec))
    return sheet


def write_outputs(run: GradeRun, outdir: Path, work: Path, sheet: Worksheet | None) -> dict[str, Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {name: outdir / name for name in ("grades.csv", "feedback.zip", "gradebook.xlsx", "results.json")}
    write_worksheet(fill_worksheet(run, sheet), paths["grades.csv"])
    write_feedback_zip(feedback_files(run.records), paths["feedback.zip"])
    write_gradebook(run, paths["gradebook.xlsx"])
    data = {
        "submissions": [r.to_dict() for r in run.records],
        "similar": [{"a": s.a, "b": s.b, "reason": s.reason} for s in run.similarities],
        "problems": run.problems,
        "rubric": run.rubric.source,
    }
    atomic_write(paths["results.json"], lambda tmp: tmp.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n", encoding="utf-8"))
    return paths
