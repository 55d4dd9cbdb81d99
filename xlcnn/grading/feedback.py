"""Feedback for students: the comment for Moodle's worksheet and an annotated copy of the workbook.

The annotated copy colours every answer cell (right green, wrong red with a comment
giving the expected value and the worked computation, missing orange) and adds a
first sheet summarising the marks and the mistakes recognised. The folders they go
in, and the zip itself, are Moodle's format: :mod:`xlcnn.moodle.feedback_zip`.
"""

from __future__ import annotations

from pathlib import Path

from ..core.worked import num
from ..notebook.report import LABELS as NOTEBOOK_LABELS
from ..notebook.report import summary as notebook_summary
from ..workbook.cached import as_text, save_workbook
from ..workbook.template import META_SHEET
from .record import Record

FILLS = {"right": "C6EFCE", "wrong": "FFC7CE", "missing": "FFEB9C", "not calculated": "D9D9D9"}


def comment_text(rec: Record) -> str:
    """The "Feedback comments" of the worksheet: marks and what went wrong, in a few lines."""
    if rec.report is None:
        text = "Not graded automatically: " + "; ".join(rec.messages)
        return text + (" " + notebook_summary(rec.notebook) if rec.notebook is not None else "")
    parts = [f"Exercise 1: {num(round(rec.total, 2))}/{num(rec.max_total)} points."]
    for q in rec.report.questions:
        if q.status == "right":
            continue
        pts = rec.points.get(q.id)
        line = f"{q.label}: {q.status}"
        if q.status == "wrong" and pts:
            line += f" ({num(round(pts, 2))}/{num(rec.max_points[q.id])} points)"
        if q.status in ("wrong", "missing"):
            line += f", expected {q.expected}"
        for d in rec.diagnoses.get(q.id, []):
            line += f" — {d}"
        parts.append(line + ".")
    if all(q.status == "right" for q in rec.report.questions):
        parts.append("All answers are right.")
    else:
        parts.append("The annotated workbook in your feedback files shows each cell with the expected value.")
    parts.extend(reader_notes(rec))
    if rec.notebook is not None:
        parts.append(notebook_summary(rec.notebook))
    return " ".join(parts)


READER_NOTES = ("inputs changed", "grade set by a person", "blocks found where they were moved", "nothing filled in")


def reader_notes(rec: Record) -> list[str]:
    """The messages a student should read too: changed inputs, a grade a person set, blocks found
    where they were moved, an empty workbook."""
    return [m for m in rec.messages if m.startswith(READER_NOTES)]


def annotated_workbook(rec: Record, book, path: Path) -> None:
    """Write the student's workbook with every answer cell coloured and explained."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = book.formulas
    fills = {status: PatternFill("solid", start_color=color) for status, color in FILLS.items()}
    blank = PatternFill("solid", start_color="FFFFFF")
    for q in rec.report.questions:
        for c in q.cells:
            cell = wb[c.sheet][c.cell]
            cell.fill = fills.get(c.status, blank)
            if c.status != "right":
                text = f"{c.status}: {c.detail}" if c.detail else c.status
                if c.status == "missing" and c.expected is not None:
                    text = f"missing: expected {c.expected if isinstance(c.expected, str) else num(c.expected)}" + (
                        f" — {c.detail}" if c.detail else "")
                cell.comment = Comment(text[:2000], "xlcnn", width=400, height=160)
    ws = wb.create_sheet("Feedback", 0)
    ws["A1"] = f"Feedback — {rec.name}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"{num(round(rec.total, 2))} / {num(rec.max_total)} points" + (
        f", grade {rec.grade:.2f} / {num(rec.grade_max)}" if rec.grade is not None and rec.grade_max else "")
    for note in reader_notes(rec):
        ws.append([f"Note: {note}"])
    ws.append([])
    ws.append(["Question", "Status", "Points", "Max", "Your answer", "Expected", "Mistake recognised"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for q in rec.report.questions:
        pts = rec.points.get(q.id)
        ws.append([q.label, q.status, "" if pts is None else round(pts, 2), rec.max_points[q.id], q.given, q.expected,
                   "; ".join(rec.diagnoses.get(q.id, []))])
        ws.cell(ws.max_row, 2).fill = PatternFill("solid", start_color=FILLS.get(q.status, "FFFFFF"))
    if rec.notebook is not None:
        ws.append([])
        ws.append(["Notebook (read, not run)", rec.notebook.get("file") or rec.notebook["status"]])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for key, label in NOTEBOOK_LABELS.items():
            value = rec.notebook["checklist"][key]
            shown = ("found" if value else "missing") if isinstance(value, bool) else (
                f"{value} of 8" if key == "review_answers" else str(value))
            ws.append([label, shown])
        for flag in rec.notebook["flags"]:
            ws.append(["To check", flag])
    for col, width in zip("ABCDEFG", (44, 14, 8, 6, 30, 30, 60)):
        ws.column_dimensions[col].width = width
    as_text(ws)  # the Feedback sheet quotes the student's answers: text, never formulas
    if META_SHEET in wb.sheetnames:  # xlcnn's hidden sheet (layout, signature) means nothing to a reader
        wb.remove(wb[META_SHEET])
    wb.active = 0
    save_workbook(wb, path)


def feedback_files(records: list[Record]) -> list[tuple[str, str, bytes]]:
    """``(folder, file name, bytes)`` of every annotated workbook, in the submission's own download
    folder(s), so Moodle's importer gives it to exactly the students who handed it in (a group's
    folder: every member; a participant's: that participant). A folder with no id (Moodle's
    "Default group") cannot receive files: its feedback stays in the gradebook."""
    out = []
    for rec in records:
        if rec.report is None or rec.feedback_path is None or not rec.moodle_id:
            continue
        data = rec.feedback_path.read_bytes()
        stem = Path(rec.file).stem or "workbook"
        for folder in rec.folders or [rec.key]:
            out.append((folder, f"{stem}-feedback.xlsx", data))
    return out
