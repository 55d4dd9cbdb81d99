"""Feedback for students: the comment for Moodle's worksheet and an annotated copy of the workbook.

The annotated copy colours every answer cell (Okabe-Ito tints: right blue, wrong orange with a
comment giving the expected value and the worked computation, missing grey), outlines a given
cell that differs from the handed-out one, and adds a first sheet — one printed page — with the
marks (or, when a person must set the grade, that), a legend, and each mistake recognised once. The folders they go
in, and the zip itself, are Moodle's format: :mod:`xlcnn.moodle.feedback_zip`.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..core.numbers import num
from ..files.cells import stored_items
from ..files.xlsx_values import as_text, save_workbook
from ..handout.signing import META_SHEET
from ..notebook.report import summary as notebook_summary
from ..workbook.verdict import Answer
from .record import Record, Status

# Okabe-Ito tints, told apart with any colour vision, and unlike the template's yellow answer cells
FILLS = {Answer.RIGHT: "B3DDF2", Answer.WRONG: "F5B38A", Answer.MISSING: "D4D4D4", Answer.NOT_CALCULATED: "D9C3E6"}
CHANGED = "D55E00"  # the border of a given cell that differs from the handed-out one


def comment_text(rec: Record) -> str:
    """The "Feedback comments" of the worksheet: marks and what went wrong, in a few lines."""
    if rec.report is None:
        text = "Not graded automatically: " + "; ".join(rec.texts())
        return text + (" " + notebook_summary(rec.notebook) if rec.notebook is not None else "")
    parts = [f"Exercise 1: {num(round(rec.total, 2))}/{num(rec.max_total)} points."]
    for q in rec.report.questions:
        if q.status is Answer.RIGHT:
            continue
        pts = rec.points.get(q.id)
        line = f"{q.label}: {q.status.value}"
        if q.status is Answer.WRONG and pts:
            line += f" ({num(round(pts, 2))}/{num(rec.max_points[q.id])} points)"
        if q.status in (Answer.WRONG, Answer.MISSING):
            line += f", expected {q.expected}"
        for d in rec.diagnoses.get(q.id, []):
            line += f" — {d}"
        parts.append(line + ".")
    if all(q.status is Answer.RIGHT for q in rec.report.questions):
        parts.append("All answers are right.")
    else:
        parts.append("The annotated workbook in your feedback files shows each cell with the expected value.")
    parts.extend(reader_notes(rec))
    if rec.notebook is not None:
        parts.append(notebook_summary(rec.notebook))
    return " ".join(parts)


def moodle_comment(rec: Record) -> str:
    """The comment as Moodle stores it: HTML (the format its worksheet importer gives it), so the text
    is escaped and what a student typed is shown, never read as markup. The same text goes into
    grades.csv and through the web services (``xlcnn moodle push``)."""
    return html.escape(comment_text(rec), quote=False)


def reader_notes(rec: Record) -> list[str]:
    """The messages a student should read too (see :class:`~xlcnn.grading.record.Audience`): changed
    inputs, a grade a person set, blocks found where they were moved, an empty workbook."""
    return rec.for_students()


def annotated_workbook(rec: Record, book, path: Path) -> None:
    """Write the student's workbook with every answer cell coloured and explained, and a first sheet
    that reads as one printed page: the marks, a legend, each mistake once with the answers it
    explains, and — for a submission held for a person — that a person sets the grade."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ..files.printing import print_setup

    wb = book.workbook
    fills = {status: PatternFill("solid", start_color=color) for status, color in FILLS.items()}
    blank = PatternFill("solid", start_color="FFFFFF")
    for q in rec.report.questions:
        judged = {c.cell for c in q.cells}
        for coord in q.span:  # the cells of the answer that were not judged one by one (F, P, S...)
            if coord not in judged:
                wb[q.cells[0].sheet if q.cells else q.span[0]][coord].fill = fills.get(q.status, blank) \
                    if q.cells else blank
        for c in q.cells:
            cell = wb[c.sheet][c.cell]
            cell.fill = fills.get(c.status, blank)
            if c.status is not Answer.RIGHT:
                text = f"{c.status.value}: {c.detail}" if c.detail else c.status.value
                if c.status is Answer.MISSING and c.expected is not None:
                    text = f"missing: expected {c.expected if isinstance(c.expected, str) else num(c.expected)}" + (
                        f" — {c.detail}" if c.detail else "")
                cell.comment = Comment(text[:2000], "xlcnn", width=400, height=160)
    edge = Side(style="thick", color=CHANGED)
    for sheet, coord, handed_out in rec.changed:
        cell = wb[sheet][coord]
        cell.border = Border(left=edge, right=edge, top=edge, bottom=edge)
        cell.comment = Comment(f"changed: this given number was {num(handed_out)} in the workbook handed out", "xlcnn")
    held = rec.status is not Status.GRADED
    ws = wb.create_sheet("Feedback", 0)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    ws["A1"] = f"Feedback — {rec.name}"
    ws["A1"].font = Font(bold=True, size=14)
    if held:
        ws["A2"] = (f"A person will set your grade ({rec.status.value}): the points below are what xlcnn computed, "
                    "not your grade.")
        ws["A2"].font = Font(bold=True, color="C00000")
    else:
        ws["A2"] = f"{num(round(rec.total, 2))} / {num(rec.max_total)} points" + (
            f", grade {rec.grade:.2f} / {num(rec.grade_max)}" if rec.grade is not None and rec.grade_max else "")
        ws["A2"].font = Font(bold=True)
    notes = reader_notes(rec) + ([f"Given cells with a thick orange border differ from the workbook handed out "
                                  f"({len(rec.changed)} cells)."] if rec.changed else [])
    for note in notes:
        ws.append([f"Note: {note}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
        ws.cell(ws.max_row, 1).alignment = wrap
    legend = (Answer.RIGHT, Answer.WRONG, Answer.MISSING)
    ws.append(["Colours of the answer cells:"] + [status.value for status in legend])
    legend_row = ws.max_row
    for col, status in zip((2, 3, 4), legend, strict=False):
        ws.cell(legend_row, col).fill = fills[status]
        ws.cell(legend_row, col).alignment = Alignment(horizontal="center")
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["Question", "Status", "Points / max", "Your answer", "Expected", "Mistake recognised"])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    mistakes: dict[str, list[str]] = {}
    for q in rec.report.questions:
        pts = rec.points.get(q.id)
        found = rec.diagnoses.get(q.id, [])
        for d in found:
            mistakes.setdefault(d, []).append(q.label)
        ws.append([q.label, q.status.value,
                   f"{'' if pts is None else num(round(pts, 2))} / {num(rec.max_points[q.id])}",
                   q.given, q.expected, "; ".join(d.split(":")[0] for d in found)])
        ws.cell(ws.max_row, 2).fill = fills.get(q.status, blank)
        for col in range(1, 7):  # the row reads across from its top line
            ws.cell(ws.max_row, col).alignment = wrap if col >= 4 else top
    if mistakes:
        ws.append([])
        ws.append(["Mistakes recognised — each once, with the answers it explains"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for mistake, where in mistakes.items():
            ws.append([mistake])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
            ws.cell(ws.max_row, 1).alignment = wrap
            ws.append(["    in: " + "; ".join(where)])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
            ws.cell(ws.max_row, 1).alignment = wrap
    if rec.notebook is not None:
        ws.append([])
        ws.append(["Notebook (read, not run)", rec.notebook.file or rec.notebook.status.value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        practical = rec.notebook.practical
        for part in practical.parts:
            value = rec.notebook.checklist.get(part.id, 0)
            shown = ("found" if value else "missing") if isinstance(value, bool) else (
                f"{value} of {len(practical.questions)}" if part.review else
                f"{value} ({part.count[0]}-{part.count[1]} asked)" if part.count else str(value))
            ws.append([part.label, shown])
        experiments = rec.notebook.experiments
        if experiments:
            ws.append(["Models trained, as read from the notebook", "Cell", "Epochs", "Batch",
                       "Train % (where read)", "Test % (where read)"])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center" if cell.column in (2, 3, 4) else None)
            for e in experiments:
                ev = e.get("evidence", {})
                ws.append([e["architecture"] or e["kind"], e.get("where", ""), e["epochs"], e["batch_size"],
                           _accuracy_read(e["train_accuracy"], ev.get("train_accuracy", "")),
                           _accuracy_read(e["test_accuracy"], ev.get("test_accuracy", ""))])
                for col in range(1, 7):
                    ws.cell(ws.max_row, col).alignment = Alignment(wrap_text=True, vertical="top",
                                                                   horizontal="center" if col in (2, 3, 4) else None)
        # the report's flags are notes for a person: they stay in the gradebook, never in the student's copy
    widths = dict(zip("ABCDEF", (40, 12, 12, 24, 24, 30), strict=False))
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    fit_rows(ws, widths, {"A", "D", "E", "F"})
    as_text(ws)  # the Feedback sheet quotes the student's answers: text, never formulas
    if META_SHEET in wb.sheetnames:  # xlcnn's hidden sheet (layout, signature) means nothing to a reader
        wb.remove(wb[META_SHEET])
    purpose = f"Exercise 1 — {rec.name} — feedback"
    print_setup(ws, purpose, pages_tall=1)
    for other in wb.worksheets[1:]:
        if other.sheet_state == "visible":
            print_setup(other, purpose, landscape=other.max_column > 12, pages_tall=1)
    wb.active = 0
    save_workbook(wb, path)


def _accuracy_read(value: float | None, evidence: str) -> str:
    """An accuracy with the output line it was read from ("61.8% — In [12]: Test accuracy: 0.618")."""
    if value is None:
        return "not shown in the outputs"
    evidence = evidence if len(evidence) <= 72 else evidence[:71] + "…"
    return f"{100 * value:.1f}% — {evidence}" if evidence else f"{100 * value:.1f}%"


def fit_rows(ws, widths: dict[str, float], wrapped: set[str]) -> None:
    """Each row as tall as its longest wrapped text needs (LibreOffice and Excel do not grow a row
    for a wrapped cell written by a program). ``wrapped``: the columns whose cells wrap; the first
    cell of a merged range wraps over the whole range. Reads the cells directly (no style access)."""
    from openpyxl.utils import get_column_letter

    from ..files.printing import wrapped_lines

    merged = {(rng.min_row, rng.min_col): sum(widths.get(get_column_letter(c), 10)
                                              for c in range(rng.min_col, rng.max_col + 1))
              for rng in ws.merged_cells.ranges}
    wrap_cols = {c for c in range(1, 30) if get_column_letter(c) in wrapped}
    lines: dict[int, int] = {}
    for (row, col), cell in stored_items(ws):
        if cell.value is None or not ((row, col) in merged or col in wrap_cols):
            continue
        width = merged.get((row, col), widths.get(get_column_letter(col), 10))
        need = wrapped_lines(cell.value, width, widen=1.05)
        if need > lines.get(row, 1):
            lines[row] = need
    for row, n in lines.items():
        ws.row_dimensions[row].height = 13.5 * n


def feedback_files(records: list[Record]) -> list[tuple[str, str, bytes]]:
    """``(folder, file name, bytes)`` of every annotated workbook of a graded submission, in the
    submission's own download folder(s), so Moodle's importer gives it to exactly the students who
    handed it in (a group's folder: every member; a participant's: that participant). A folder with
    no id (Moodle's "Default group") cannot receive files: its feedback stays in the gradebook.
    Nothing of a held or skipped submission is here (see :func:`held_files`)."""
    out = []
    for rec in records:
        if rec.report is None or rec.feedback_path is None or not rec.moodle_id or rec.status is not Status.GRADED:
            continue
        data = rec.feedback_path.read_bytes()
        for folder in rec.folders or [rec.key]:
            out.append((folder, feedback_name(rec), data))
    return out


def feedback_name(rec: Record) -> str:
    return f"{Path(rec.file).stem or 'workbook'}-feedback.xlsx"


HELD = "held"  # OUTDIR's folder of the annotated workbooks no student receives until a person decides


def held_files(records: list[Record]) -> list[tuple[Record, str]]:
    """``(record, path under OUTDIR)`` of every annotated workbook of a submission held for a person:
    it waits there for that person, and reaches no student (neither feedback.zip nor the push)."""
    out = []
    for rec in records:
        if rec.report is None or rec.feedback_path is None or rec.status is Status.GRADED:
            continue
        folder = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in rec.key).strip(" .") or "submission"
        out.append((rec, f"{HELD}/{folder}/{feedback_name(rec)}"))
    return out
