"""``gradebook.xlsx``: what a teacher opens to read the class.

* ``Grades`` — one row per submission: members, file, status, points per question,
  total, grade, mistakes recognised, problems; colour scale on the total, red status
  when a person must look, filters and frozen headers;
* ``Statistics`` — count, mean, median, min, max, per-question success rate (with data
  bars) and a histogram chart of the totals;
* ``Similarity`` — pairs of submissions to look at, with the reason;
* ``Notebook`` — per submission, the notebook's checklist as ticks, the best CNN's test
  accuracy, the models trained, flags in red (and the instructor's Table 1 when given).
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from ..notebook.report import best_cnn_test
from ..workbook.cached import as_text, save_workbook
from ..workbook.printing import print_setup
from .record import GRADED, GradeRun


def _wrapped_lines(text: str, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters needs for ``text``."""
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n")) if text else 1


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{100 * value:.1f}%"


def write_gradebook(run: GradeRun, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    records = run.records
    qids: list[str] = []
    labels: dict[str, str] = {}
    for r in records:
        if r.report:
            for q in r.report.questions:
                if q.id not in labels:
                    qids.append(q.id)
                    labels[q.id] = q.label
    wb = Workbook()
    ws = wb.active
    ws.title = "Grades"
    header = ["Submission", "Members", "Names written in the workbook", "File", "Status"] + [labels[q] for q in qids] + [
        "Total", "Max", "Grade", "Grade max", "Mistakes recognised", "Problems", "Decided by a person", "Moodle folder"]
    ws.append(header)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in records:
        mistakes = sorted({d.split(":")[0] for ds in r.diagnoses.values() for d in ds})
        exported = r.grade is not None and r.status == GRADED
        grade = round(r.grade, 2) if exported else ("not exported" if r.report is not None else None)
        ws.append([r.name, ", ".join(m.full_name or m.uniqueid for m in r.members), r.names_given or None, r.file,
                   r.status]
                  + [None if r.points.get(q) is None else round(r.points[q], 2) for q in qids]
                  + [round(r.total, 2) if r.report else None, r.max_total or None, grade, r.grade_max,
                     "; ".join(mistakes), " | ".join(r.messages), r.override or None, r.key])
        for col in (2, 3, len(header) - 3, len(header) - 2):
            ws.cell(ws.max_row, col).alignment = wrap
    n = len(records) + 1
    first_q, total_idx = 6, 6 + len(qids)
    total_col = get_column_letter(total_idx)
    for row in ws.iter_rows(min_row=2, max_row=n, min_col=first_q, max_col=total_idx + 3):
        for cell in row:
            cell.number_format = "0.##"
    top = max((r.max_total for r in records if r.report), default=0) or 1
    if len(records):  # red at 0, yellow at half, green at full marks: the grade's own range, not the class's
        ws.conditional_formatting.add(f"{total_col}2:{total_col}{n}", ColorScaleRule(
            start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=top / 2,
            mid_color="FFEB84", end_type="num", end_value=top, end_color="63BE7B"))
        red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
        ws.conditional_formatting.add(f"E2:E{n}", CellIsRule(operator="notEqual", formula=[f'"{GRADED}"'], fill=red))
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n}"
    widths = [12, 26, 18, 18, 13] + [6] * len(qids) + [6, 5, 11, 6, 24, 44, 24, 34]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[1].height = 90
    for r_idx in range(2, n + 1):
        text = str(ws.cell(r_idx, len(header) - 2).value or "")
        ws.row_dimensions[r_idx].height = 13 * max(1, min(8, _wrapped_lines(text, 44)))
    print_setup(ws, f"Gradebook — {len(records)} submissions", landscape=True, title_rows="1:1")
    ws.print_area = f"A1:{get_column_letter(len(header) - 1)}{n}"  # the Moodle folder is for machines

    # ---------------------------------------------------------- Statistics
    st = wb.create_sheet("Statistics")
    graded = [r for r in records if r.report is not None]
    totals = [r.total for r in graded]
    st.append(["Submissions", len(records)])
    st.append(["Graded automatically", sum(r.status == GRADED for r in records)])
    st.append(["Need a person", sum(r.status != GRADED for r in records)])
    st.append(["Mean total", round(statistics.mean(totals), 2) if totals else None])
    st.append(["Median total", round(statistics.median(totals), 2) if totals else None])
    st.append(["Min total", round(min(totals), 2) if totals else None])
    st.append(["Max total", round(max(totals), 2) if totals else None])
    st.append(["Points available", graded[0].max_total if graded else None])
    for row in st.iter_rows(min_row=1, max_row=8, max_col=1):
        row[0].font = bold
    st.append([])
    st.append(["Question", "Success rate (answers right)", "Mean points", "Max points"])
    first_q = st.max_row + 1
    for cell in st[st.max_row]:
        cell.font = bold
    for q in qids:
        answered = [r for r in graded if q in r.points]
        right = sum(1 for r in answered if any(x.id == q and x.status == "right" for x in r.report.questions))
        pts = [r.points[q] for r in answered if r.points[q] is not None]
        st.append([labels[q], round(right / len(answered), 3) if answered else None,
                   round(statistics.mean(pts), 2) if pts else None, answered[0].max_points[q] if answered else None])
        st.cell(st.max_row, 2).number_format = "0%"
    last_q = st.max_row
    if qids:
        st.conditional_formatting.add(f"B{first_q}:B{last_q}", DataBarRule(start_type="num", start_value=0,
                                                                             end_type="num", end_value=1, color="5B9BD5"))
    st.append([])
    st.append(["Histogram of totals: from", "to", "submissions"])
    for cell in st[st.max_row]:
        cell.font = bold
    h0 = st.max_row + 1
    top = graded[0].max_total if graded else 1
    step = next(s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 10 ** 9) if top / s <= 15)
    bins = max(1, math.ceil(top / step))
    for b in range(bins):  # bins on whole grade steps: 0-2, 2-4, ... the last one includes full marks
        lo, hi = step * b, min(top, step * (b + 1))
        count = sum(1 for t in totals if (lo <= t < hi) or (b == bins - 1 and t == hi))
        st.append([lo, hi, count])
    h1 = st.max_row
    chart = BarChart()
    chart.type = "col"
    chart.title = "Totals of the class"
    chart.x_axis.title = "total points (bin start)"
    chart.y_axis.title = "submissions"
    chart.add_data(Reference(st, min_col=3, min_row=h0 - 1, max_row=h1), titles_from_data=True)
    chart.set_categories(Reference(st, min_col=1, min_row=h0, max_row=h1))
    chart.legend = None
    chart.x_axis.delete = False  # openpyxl hides both axes by default
    chart.y_axis.delete = False
    chart.width, chart.height = 18, 9
    st.add_chart(chart, "F2")
    st.column_dimensions["A"].width = 44
    st.column_dimensions["B"].width = 26
    st.column_dimensions["C"].width = 13
    st.column_dimensions["D"].width = 12
    print_setup(st, "Gradebook — statistics", landscape=True, pages_tall=1)

    # ---------------------------------------------------------- Similarity
    sim = wb.create_sheet("Similarity")
    sim.append(["Submission A", "Submission B", "Why they are worth a look (not an accusation)"])
    for cell in sim[1]:
        cell.font = bold
    for s in run.similarities:
        sim.append([s.a, s.b, s.reason])
    if not run.similarities:
        sim.append(["(none)", "", "no pair shares wrong answers or document metadata"])
    sim.column_dimensions["A"].width = 18
    sim.column_dimensions["B"].width = 18
    sim.column_dimensions["C"].width = 110
    for row in sim.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        sim.row_dimensions[row[0].row].height = 13 * max(1, _wrapped_lines(str(row[2].value or ""), 105))
    print_setup(sim, "Gradebook — similar submissions (not accusations)", landscape=True, title_rows="1:1")

    # ---------------------------------------------------------- Notebook
    nbs = wb.create_sheet("Notebook")
    head = ["Submission", "Notebook", "Status", "Framework", "Executed", "1-layer", "Weights plot", "2-layer",
            "Simple CNN", "Deeper CNNs", "Table 1", "Review answers", "Best CNN test %", "Trained models", "Flags"]
    reference = run.reference or []
    if reference:
        head.append("Reference (xlcnn results): test %")
    nbs.append(head)
    for cell in nbs[1]:
        cell.font = bold
    tick = lambda v: "✓" if v else "✗"  # noqa: E731
    for r in records:
        nb = r.notebook
        if nb is None:
            continue
        c = nb["checklist"]
        best = best_cnn_test(nb)
        trained = "\n".join(
            f"{e['architecture'] or e['kind']} — {e['epochs'] or '?'} epochs, "
            f"train {_pct(e['train_accuracy'])}, test {_pct(e['test_accuracy'])}" for e in nb["experiments"])
        row = [r.name, nb["file"], nb["status"], nb["framework"], tick(nb["executed"]), tick(c["dense_1layer"]),
               tick(c["weights_plot"]), tick(c["dense_2layer"]), tick(c["simple_cnn"]), c["deeper_cnns"],
               tick(c["table"]), c["review_answers"], None if best is None else round(100 * best, 1), trained,
               "\n".join(nb["flags"])]
        if reference:
            row.append("\n".join(f"{x['experiment']}: {x['test']}" for x in reference))
        nbs.append(row)
        for col in range(1, len(row) + 1):
            nbs.cell(nbs.max_row, col).alignment = Alignment(wrap_text=col in (14, 15, 16), vertical="top")
        lines = max(_wrapped_lines(str(v or ""), w) for v, w in ((row[13], 70), (row[14], 60)))
        nbs.row_dimensions[nbs.max_row].height = 13 * max(1, lines) + 2
        if nb["flags"]:
            nbs.cell(nbs.max_row, 15).font = Font(color="C00000")
        for col in range(5, 12):
            value = nbs.cell(nbs.max_row, col).value
            if value == "✗":
                nbs.cell(nbs.max_row, col).font = Font(color="C00000", bold=True)
            elif value == "✓":
                nbs.cell(nbs.max_row, col).font = Font(color="00703C", bold=True)
    for col, width in zip("ABCDEFGHIJKLMNOP", (12, 12, 9, 11, 10, 7, 8, 7, 8, 8, 7, 8, 9, 72, 62, 36)):
        nbs.column_dimensions[col].width = width
    for cell in nbs[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    nbs.row_dimensions[1].height = 30
    nbs.freeze_panes = "B2"
    print_setup(nbs, "Gradebook — the notebooks (read, not run)", landscape=True, title_rows="1:1",
                pages_tall=1 if len(records) <= 12 else 0)
    for sheet in wb.worksheets:  # names, files and messages come from Moodle and students: text, never formulas
        as_text(sheet)
    save_workbook(wb, path)
