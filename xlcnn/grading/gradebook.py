"""``gradebook.xlsx``: what a teacher opens to read the class.

* ``Grades`` — one row per submission, to read at a glance: members, status, points per part
  (a), b), and the notebook when the rubric gives it points), total, grade ("not exported" when
  held), what needs a person, what a person decided; colour scale on the total, red status;
* ``Questions`` — the per-question detail: points per question (headers turned up), mistakes;
* ``Statistics`` — counts (graded automatically, decided by a person, skipped, need a person,
  no submission), mean, median, min, max, per-question success rate (with data bars), a
  histogram chart of the totals, the item analysis of each question with its verdict and the
  mistakes ranked, each with a chart (:mod:`xlcnn.grading.statistics`);
* ``Similarity`` — pairs of submissions to look at, with the reason;
* ``Notebook`` — one row per submission: the checklist as ticks, the number of models, the
  best CNN's train and test accuracy (beside the instructor's with ``--reference``), flags;
* ``Models`` — one row per trained model: kind, architecture in the practical's notation,
  epochs, batch size, train and test accuracy, the cell and the output lines they were read from.

Every table sheet has its header row frozen, an autofilter, widths fitted to the content up to a
limit (wrapped beyond), rows at most four lines tall, and prints one page wide with its header
row repeated.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from ..files.printing import print_setup, wrapped_lines
from ..files.xlsx_values import as_text, save_workbook
from ..notebook.practical import load_practical
from ..notebook.report import best_cnn
from ..workbook.verdict import Answer
from .record import GradeRun, Status


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


MAX_LINES = 4  # no row taller than this many lines (6 on Models): the rest is in the cell and results.json
LINE = 13.0  # points per line of 10-point text


def part_of(qid: str) -> str:
    """The part a question belongs to: "a.case1.output" -> "a", "notebook.table" -> "notebook"."""
    return qid.split(".", 1)[0]


def part_label(part: str) -> str:
    return {"a": "Ex. 1 a)", "b": "Ex. 1 b)", "notebook": "Notebook"}.get(part, part)


class _Sheet:
    """A table sheet a TA reads on screen and on paper: bold wrapped header row frozen with an autofilter,
    column widths that fit their content up to a limit, wrapped text beyond it, rows at most
    :data:`MAX_LINES` lines tall, printed one page wide with the header row on every page."""

    def __init__(self, wb, title: str, header: list[str], limits: list[int], *, rotate: set[int] = frozenset(),
                 first: bool = False, max_lines: int = MAX_LINES):
        from openpyxl.styles import Alignment, Font

        self.ws = wb.active if first else wb.create_sheet(title)
        self.ws.title = title
        self.header, self.limits, self.rotate, self.max_lines = header, limits, rotate, max_lines
        self.ws.append(header)
        for k, cell in enumerate(self.ws[1], 1):
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", text_rotation=90 if k in rotate else 0)
        self.rows: list[list] = []

    def append(self, row: list) -> int:
        self.ws.append(row)
        self.rows.append(row)
        return self.ws.max_row

    def finish(self, purpose: str, *, landscape: bool = True, formats: dict[int, str] | None = None,
               centre: set[int] = frozenset(), print_cols: int | None = None) -> None:
        from openpyxl.styles import Alignment
        from openpyxl.utils import get_column_letter

        ws = self.ws
        widths = []
        for k, limit in enumerate(self.limits, 1):
            texts = [str(r[k - 1]) for r in self.rows if k - 1 < len(r) and r[k - 1] is not None]
            longest = max((len(line) for t in texts for line in t.split("\n")), default=0)
            head = 4 if k in self.rotate else min(limit, max(len(w) for w in str(self.header[k - 1]).split()) + 1)
            widths.append(max(head, min(limit, longest + 1), 4))
            ws.column_dimensions[get_column_letter(k)].width = widths[-1]
        for r_idx, row in enumerate(self.rows, 2):
            lines = 1
            for k, value in enumerate(row, 1):
                cell = ws.cell(r_idx, k)
                if formats and k in formats and isinstance(value, (int, float)):
                    cell.number_format = formats[k]
                text = "" if value is None else str(value)
                wrap = len(text) > widths[k - 1] or "\n" in text
                cell.alignment = Alignment(wrap_text=wrap, vertical="top",
                                           horizontal="center" if k in centre else None)
                if wrap:
                    lines = max(lines, wrapped_lines(text, max(1, widths[k - 1] - 1)))
            ws.row_dimensions[r_idx].height = LINE * min(self.max_lines, lines) + 2
        header_lines = max((wrapped_lines(str(h), max(1, w - 1))
                            for k, (h, w) in enumerate(zip(self.header, widths, strict=False), 1)
                            if k not in self.rotate), default=1)
        rotated = max((len(str(self.header[k - 1])) for k in self.rotate), default=0)
        ws.row_dimensions[1].height = max(LINE * header_lines + 2, 6.2 * rotated + 6)
        last = get_column_letter(len(self.header))
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{last}{max(2, ws.max_row)}"
        print_setup(ws, purpose, landscape=landscape, title_rows="1:1")
        if print_cols:
            ws.print_area = f"A1:{get_column_letter(print_cols)}{ws.max_row}"


def _bar_chart(title: str, x_title: str, y_title: str, width: float = 24, height: float = 8):
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = "bar"  # horizontal: the questions' and mistakes' names read along their axis
    chart.title, chart.legend = title, None
    chart.x_axis.title, chart.y_axis.title = x_title, y_title
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides both axes by default
    chart.width, chart.height = width, height
    return chart


def _item_analysis(st, run: GradeRun, bold) -> None:
    """The Statistics sheet's item analysis (facility, discrimination, a verdict per question) and the
    mistakes ranked, each with a native chart (pandas frames of :mod:`xlcnn.grading.statistics`)."""
    from openpyxl.chart import Reference
    from openpyxl.styles import Alignment

    from .statistics import frames

    f = frames({"submissions": [r.to_dict() for r in run.records]}, run.instructor_table)
    items, mistakes = f["items"], f["mistakes"]
    st.append([])
    st.append(["Item analysis (as Moodle's quiz statistics define it)", "Facility (mean / max)",
               "Standard deviation", "Discrimination index", "Discriminative efficiency", "Verdict"])
    first = st.max_row + 1
    for cell in st[st.max_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for _, r in items.iterrows():
        st.append([r["label"], r["facility"], r["sd"],
                   None if pd_missing(r["discrimination"]) else round(r["discrimination"] / 100, 3),
                   None if pd_missing(r["efficiency"]) else round(r["efficiency"] / 100, 3), r["verdict"]])
        for col in (2, 3, 4, 5):
            st.cell(st.max_row, col).number_format = "0%"
            st.cell(st.max_row, col).alignment = Alignment(vertical="top")
        st.cell(st.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        st.cell(st.max_row, 6).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        st.row_dimensions[st.max_row].height = LINE * max(wrapped_lines(str(r["verdict"]), 48),
                                                          wrapped_lines(str(r["label"]), 42)) + 2
    last = st.max_row
    if len(items):
        chart = _bar_chart("Facility per question (share of its points the class scored)", "", "facility",
                           height=max(6, 0.75 * len(items)))
        chart.add_data(Reference(st, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(st, min_col=1, min_row=first, max_row=last))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.y_axis.numFmt = "0%"
        _place_below(st, chart)
    st.append([])
    st.append(["Mistakes recognised, most frequent first", "Submissions", None, "Questions"])
    first = st.max_row + 1
    for cell in st[st.max_row]:
        cell.font = bold
    for _, r in mistakes.iterrows():
        st.append([r["mistake"], int(r["submissions"]), None, r["questions"]])
        st.merge_cells(start_row=st.max_row, start_column=4, end_row=st.max_row, end_column=6)
        st.cell(st.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        st.cell(st.max_row, 2).alignment = Alignment(vertical="top")
        st.cell(st.max_row, 4).alignment = Alignment(wrap_text=True, vertical="top")
        st.row_dimensions[st.max_row].height = LINE * min(6, max(wrapped_lines(r["mistake"], 42),
                                                                 wrapped_lines(r["questions"], 72))) + 2
    if not len(mistakes):
        st.append(["(none recognised)"])
    elif len(mistakes):
        chart = _bar_chart("Mistakes by frequency", "", "submissions", height=max(6, 1.6 * len(mistakes)))
        chart.y_axis.majorUnit = 1
        chart.add_data(Reference(st, min_col=2, min_row=first - 1, max_row=st.max_row), titles_from_data=True)
        chart.set_categories(Reference(st, min_col=1, min_row=first, max_row=st.max_row))
        _place_below(st, chart)


def _place_below(st, chart) -> None:
    """The chart under the table it draws, with rows kept free for it (a chart floats over cells)."""
    anchor = st.max_row + 2
    st.add_chart(chart, f"A{anchor}")
    for _ in range(math.ceil(chart.height / 0.5) + 2):
        st.append([])


def pd_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
        for q in r.points:
            if q not in labels:
                qids.append(q)
                labels[q] = q
    parts = list(dict.fromkeys(part_of(q) for q in qids))
    wb = Workbook()
    bold = Font(bold=True)
    red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")

    # ---------------------------------------------------------- Grades: one row per group, at a glance
    header = (["Submission", "Members", "Status"] + [part_label(p) for p in parts]
              + ["Total", "Max", "Grade", "Needs a person / problems", "Decided by a person", "Moodle folder"])
    limits = [16, 30, 15] + [8] * len(parts) + [7, 6, 12, 60, 28, 40]
    grades = _Sheet(wb, "Grades", header, limits, first=True)
    for r in records:
        exported = r.grade is not None and r.status is Status.GRADED
        grade = round(r.grade, 2) if exported else "not exported"  # held, refused, skipped: no grade goes to Moodle
        part_points = []
        for p in parts:
            values = [v for q, v in r.points.items() if part_of(q) == p and v is not None]
            part_points.append(round(sum(values), 2) if r.report is not None and values else None)
        members = ", ".join(m.full_name or f"Participant {m.uniqueid}" for m in r.members)  # blind: no names
        grades.append([r.name, members, r.status.value] + part_points
                      + [round(r.total, 2) if r.report else None, r.max_total or None, grade,
                         " | ".join(r.texts() + ([f"annotated workbook, not sent: {r.held_copy}"] if r.held_copy
                                                 else [])) or None, r.override or None, r.key])
    for p in run.absent:  # students of the worksheet who handed in nothing: a person sees them too
        grades.append([p.full_name or f"Participant {p.uniqueid}", p.full_name or None, "no submission"]
                      + [None] * len(parts) + [None, None, "not exported",
                                               "no submission in the download"
                                               + (f" (group {p.group})" if p.group else ""),
                                               None, None])
    n = len(records) + len(run.absent) + 1
    first_num = 4
    grades.finish(f"Gradebook — {len(records)} submissions", print_cols=len(header) - 1,
                  formats={k: "0.##" for k in range(first_num, first_num + len(parts) + 3)},
                  centre=set(range(first_num, first_num + len(parts) + 3)))
    ws = grades.ws
    total_col = get_column_letter(first_num + len(parts))
    top = max((r.max_total for r in records if r.report), default=0) or 1
    if len(records):  # red at 0, yellow at half, green at full marks: the grade's own range, not the class's
        ws.conditional_formatting.add(f"{total_col}2:{total_col}{n}", ColorScaleRule(
            start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=top / 2,
            mid_color="FFEB84", end_type="num", end_value=top, end_color="63BE7B"))
        ws.conditional_formatting.add(f"C2:C{n}",
                                      CellIsRule(operator="notEqual", formula=[f'"{Status.GRADED}"'], fill=red))

    # ---------------------------------------------------------- Questions: the per-question detail
    qheader = ["Submission", "File", "Names written in the workbook"] + [labels[q] for q in qids] + [
        "Total", "Mistakes recognised"]
    qlimits = [16, 20, 22] + [5] * len(qids) + [7, 50]
    questions = _Sheet(wb, "Questions", qheader, qlimits, rotate=set(range(4, 4 + len(qids) + 1)))
    for r in records:
        mistakes = sorted({d.split(":")[0] for ds in r.diagnoses.values() for d in ds})
        questions.append([r.name, r.file or None, r.names_given or None]
                         + [None if r.points.get(q) is None else round(r.points[q], 2) for q in qids]
                         + [round(r.total, 2) if r.report else None, "; ".join(mistakes) or None])
    questions.finish("Gradebook — points per question", formats={k: "0.##" for k in range(4, 5 + len(qids))},
                     centre=set(range(4, 5 + len(qids))))
    if records and qids:
        for k, q in enumerate(qids, 4):  # a question's points red when none, green when full
            col = get_column_letter(k)
            most = max((r.max_points.get(q, 0) for r in records), default=0) or 1
            questions.ws.conditional_formatting.add(f"{col}2:{col}{n}", ColorScaleRule(
                start_type="num", start_value=0, start_color="F8696B", end_type="num", end_value=most,
                end_color="63BE7B"))

    # ---------------------------------------------------------- Statistics
    st = wb.create_sheet("Statistics")
    graded = [r for r in records if r.report is not None]
    totals = [r.total for r in graded]
    st.append(["Submissions", len(records)])
    counts = run.counts()
    st.append(["Graded automatically", counts["graded automatically"]])
    st.append(["Decided by a person", counts["decided by a person"]])
    st.append(["Skipped", counts["skipped"]])
    st.append(["Need a person", counts["need a person"]])
    st.append(["No submission (in the worksheet only)", len(run.absent)])
    st.append(["Mean total", round(statistics.mean(totals), 2) if totals else None])
    st.append(["Median total", round(statistics.median(totals), 2) if totals else None])
    st.append(["Min total", round(min(totals), 2) if totals else None])
    st.append(["Max total", round(max(totals), 2) if totals else None])
    st.append(["Points available", graded[0].max_total if graded else None])
    for row in st.iter_rows(min_row=1, max_row=11, max_col=1):
        row[0].font = bold
    st.append([])
    st.append(["Question", "Success rate (answers right)", "Mean points", "Max points"])
    first_q = st.max_row + 1
    for cell in st[st.max_row]:
        cell.font = bold
    for q in qids:
        answered = [r for r in graded if q in r.points]
        right = sum(1 for r in answered if any(x.id == q and x.status is Answer.RIGHT for x in r.report.questions))
        pts = [r.points[q] for r in answered if r.points[q] is not None]
        st.append([labels[q], round(right / len(answered), 3) if answered else None,
                   round(statistics.mean(pts), 2) if pts else None, answered[0].max_points[q] if answered else None])
        st.cell(st.max_row, 2).number_format = "0%"
    last_q = st.max_row
    if qids:
        st.conditional_formatting.add(f"B{first_q}:B{last_q}", DataBarRule(start_type="num", start_value=0,
                                                                             end_type="num", end_value=1,
                                                                             color="5B9BD5"))
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
    _item_analysis(st, run, bold)
    st.column_dimensions["A"].width = 44
    st.column_dimensions["B"].width = 26
    st.column_dimensions["C"].width = 13
    st.column_dimensions["D"].width = 12
    st.column_dimensions["E"].width = 12
    st.column_dimensions["F"].width = 50
    print_setup(st, "Gradebook — statistics", landscape=True)

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
        sim.row_dimensions[row[0].row].height = 13 * max(1, wrapped_lines(str(row[2].value or ""), 105))
    print_setup(sim, "Gradebook — similar submissions (not accusations)", landscape=True, title_rows="1:1")

    # ---------------------------------------------------------- Notebook: one row per group
    reference = run.instructor_table or []
    ref_cnn = [x["test"] for x in reference if "CONV" in str(x["architecture"]).upper()
               and isinstance(x["test"], (int, float))]
    ref_best = max(ref_cnn, default=None)
    practical = next((r.notebook.practical for r in records if r.notebook is not None), None) or load_practical()
    parts = practical.parts
    heads = [f"{p.label} (of {len(practical.questions)})" if p.review else p.label for p in parts]
    nheader = ["Submission", "Notebook", "Status", "Framework"] + [h[:1].upper() + h[1:] for h in heads] + [
        "Models trained", "Best CNN train %", "Best CNN test %"]
    nlimits = [16, 18, 9, 10] + [4] * (len(parts) + 1) + [7, 7]
    if reference:
        nheader.append("Reference best CNN test %")
        nlimits.append(8)
    nheader.append("Flags (what a person should look at)")
    nlimits.append(70)
    first_count = 5 + len(parts) + 1  # the column after "Models trained"
    nbs = _Sheet(wb, "Notebook", nheader, nlimits, rotate=set(range(5, first_count)))
    tick = lambda v: "✓" if v else "✗"  # noqa: E731
    for r in records:
        nb = r.notebook
        if nb is None:
            continue
        c = nb.checklist
        best = best_cnn(nb)
        row = [r.name, nb.file or None, nb.status.value, nb.framework] + [
            c.get(p.id, 0) if p.counted else tick(c.get(p.id)) for p in parts] + [
            len(nb.experiments), _pct(best["train_accuracy"]) if best else None,
            _pct(best["test_accuracy"]) if best else None]
        if reference:
            row.append(ref_best)
        row.append("\n".join(nb.flags) or None)
        nbs.append(row)
    nbs.finish("Gradebook — the notebooks (read, not run)",
               formats={first_count: "0.0", first_count + 1: "0.0", first_count + 2: "0.0"},
               centre=set(range(5, first_count + (3 if reference else 2))))
    flags_col = len(nheader)
    for r_idx in range(2, nbs.ws.max_row + 1):
        for col in range(5, 5 + len(parts)):
            cell = nbs.ws.cell(r_idx, col)
            if cell.value == "✗":
                cell.font = Font(color="C00000", bold=True)
            elif cell.value == "✓":
                cell.font = Font(color="00703C", bold=True)
        if nbs.ws.cell(r_idx, flags_col).value:
            nbs.ws.cell(r_idx, flags_col).font = Font(color="C00000")

    # ---------------------------------------------------------- Models: one row per trained model
    mheader = ["Submission", "#", "Kind", "Architecture (the practical's notation)", "Epochs", "Batch size",
               "Train %", "Test %", "Cell", "Where the accuracies were read"]
    mlimits = [16, 4, 6, 70, 7, 7, 7, 7, 13, 56]
    models = _Sheet(wb, "Models", mheader, mlimits, max_lines=6)  # a deep CNN's architecture whole
    for r in records:
        for k, e in enumerate(r.notebook.experiments if r.notebook else [], 1):
            ev = e.get("evidence", {})
            where = "\n".join(f"{label}: {ev[key]}" for key, label in (("train_accuracy", "train"),
                                                                         ("test_accuracy", "test")) if ev.get(key))
            models.append([r.name, k, e["kind"], e["architecture"] or None, e["epochs"], e["batch_size"],
                           _pct(e["train_accuracy"]), _pct(e["test_accuracy"]), e.get("where") or None,
                           where or None])
    models.finish("Gradebook — every model the notebooks train (read, not run)", formats={7: "0.0", 8: "0.0"},
                  centre={2, 5, 6, 7, 8})

    for sheet in wb.worksheets:  # names, files and messages come from Moodle and students: text, never formulas
        as_text(sheet)
    save_workbook(wb, path)
