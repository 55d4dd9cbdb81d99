"""``gradebook.xlsx`` as a teacher reads it, written from a class built in memory and read back with
openpyxl: its sheets and columns; what a row shows for a graded, held, refused, skipped or
person-decided submission and for a student with none; the statistics, histogram and item analysis
(computed by hand below); where its charts sit; numbers stored as numbers; and text that came from
Moodle or a student's file (a name, a file, a flag starting with "=") stored as text, never a formula.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlcnn.grading.gradebook import write_gradebook
from xlcnn.grading.record import Audience, GradeRun, Record, Similarity, Status
from xlcnn.grading.rubric import Rubric, Rule
from xlcnn.moodle.worksheet import Participant
from xlcnn.notebook.report import NotebookReport, NotebookStatus
from xlcnn.workbook.checking import CheckReport, QuestionResult
from xlcnn.workbook.verdict import Answer

RUBRIC = Rubric((Rule("*", 1.0),), source="rubric.toml")
SHEETS = ["Grades", "Questions", "Statistics", "Similarity", "Notebook", "Models"]
GRADES_HEADER = ["Submission", "Members", "Status", "Ex. 1 a)", "Ex. 1 b)", "Total", "Max", "Grade",
                 "Needs a person / problems", "Decided by a person", "Moodle folder"]

# The exercise of the class below: three questions, 4 points, graded out of 6.
LABELS = {"a.case1.output": "Case 1: output", "a.case1.size": "Case 1: size", "b.maps": "Feature maps"}
MAXIMA = {"a.case1.output": 2.0, "a.case1.size": 1.0, "b.maps": 1.0}


def record(name: str, marks: dict[str, tuple[str, float | None]] | None, *, status: Status = Status.GRADED,
           grade: float | None = None, members: tuple[Participant, ...] = (), maxima: dict | None = None,
           **fields) -> Record:
    """A submission's record; ``marks``: question id -> (verdict, points), None for no workbook assessed."""
    rec = Record(f"{name}_1{len(name)}_assignsubmission_file", name, "1", status=status, grade=grade,
                 members=list(members), **fields)
    if marks is not None:
        maxima = maxima or MAXIMA
        rec.report = CheckReport(f"{name}.xlsx", [QuestionResult(q, LABELS.get(q, q), q.split(".")[0], Answer(v),
                                                                 "", "", []) for q, (v, _) in marks.items()])
        rec.points = {q: p for q, (_, p) in marks.items()}
        rec.max_points = {q: maxima[q] for q in marks}
        rec.total = sum(p for p in rec.points.values() if p is not None)
        rec.max_total = sum(rec.max_points.values())
    return rec


def experiment(kind: str, architecture: str, train: float | None, test: float | None, **more) -> dict:
    return {"kind": kind, "architecture": architecture, "epochs": 10, "batch_size": 64, "train_accuracy": train,
            "test_accuracy": test, "where": more.get("where", ""), "evidence": more.get("evidence", {})}


def notebook() -> NotebookReport:
    checklist = {"dense_1layer": True, "weights_plot": False, "dense_2layer": True, "simple_cnn": True,
                 "deeper_cnns": 2, "table": True, "review_answers": 6}
    return NotebookReport("pw.ipynb", NotebookStatus.READ, framework="keras", checklist=checklist, experiments=[
        experiment("dense", "DENSE(10)", 0.42, 0.40),
        experiment("cnn", "CONV(32,3x3)-POOL-DENSE(10)", 0.80, 0.70, where="In [7]",
                   evidence={"train_accuracy": "In [7]: accuracy: 0.8000", "test_accuracy": "In [8]: 0.7000"}),
        experiment("cnn", "CONV(32,3x3)-CONV(64,3x3)-POOL-DENSE(10)", 0.90, 0.75),
    ], flags=["Table 1 says 80% for the deeper CNN; the outputs show 75%", "2 deeper CNNs (3-5 asked)"])


ALICE, BRUNO = Participant("101", "Alice Martin"), Participant("102", "Bruno Diaz")
CHLOE = Participant("103", "Chloé Petit")
TIME_LIMIT = "ex1.xlsx: over the time limit (60 s); a person must look at it"
CHANGED = "the given numbers differ from the handout (1D input)"
DECIDED = "grade 5 set by the teacher: handed in by mail"


def the_class() -> GradeRun:
    """Five submissions and one student with none. Totals 4, 2, 3, (refused), 3 of 4 points."""
    g1 = record("Group 01", {"a.case1.output": ("right", 2), "a.case1.size": ("right", 1), "b.maps": ("right", 1)},
                grade=6.0, members=(ALICE, BRUNO), file="ex1.xlsx", names_given="Alice, Bruno", notebook=notebook())
    g2 = record("Group 02", {"a.case1.output": ("wrong", 1), "a.case1.size": ("right", 1), "b.maps": ("wrong", 0)},
                grade=3.0, members=(CHLOE,), diagnoses={"a.case1.output": ["flipped kernel: not flipped"],
                                                        "b.maps": ["counted channels: 3 maps, not 2"]})
    g3 = record("Group 03", {"a.case1.output": ("right", 2), "a.case1.size": ("wrong", 0), "b.maps": ("right", 1)},
                grade=4.5, diagnoses={"a.case1.size": ["flipped kernel: the size of the flipped one"]})
    g3.set_status(Status.INPUTS_CHANGED, CHANGED, Audience.STUDENT)
    g4 = record("Group 04", None, status=Status.REFUSED)
    g4.say(TIME_LIMIT, explains=Status.REFUSED)
    g5 = record("Group 05", {"a.case1.output": ("right", 2), "a.case1.size": ("right", 1), "b.maps": ("wrong", 0)},
                grade=5.0, decided=True, override=DECIDED)
    return GradeRun([g1, g2, g3, g4, g5], [Similarity("Group 02", "Group 03", "the same wrong answer: Feature maps")],
                    [], RUBRIC, scale=6.0, absent=[Participant("104", "Dan Roy", group="Group 06")],
                    instructor_table=[{"architecture": "CONV(32)-POOL-DENSE(10)", "test": 72.4},
                                      {"architecture": "DENSE(10)", "test": 90.0},
                                      {"architecture": "conv(64)-conv(64)-dense(10)", "test": 74.1},
                                      {"architecture": "CONV(128)", "test": "n/a"}])


def write(run: GradeRun, folder: Path) -> Path:
    path = folder / "gradebook.xlsx"
    write_gradebook(run, path)
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return write(the_class(), tmp_path_factory.mktemp("gradebook"))


@pytest.fixture(scope="module")
def wb(book):
    return openpyxl.load_workbook(book)


def header(ws) -> list:
    return [c.value for c in ws[1]]


def by_name(ws) -> dict[str, dict]:
    """The table's rows (after its header) by their first cell, each as header -> value."""
    head = header(ws)
    return {row[0]: dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)}


def labelled(ws) -> dict:
    """Statistics: first cell -> the row's values."""
    return {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row and row[0] is not None}


def block(ws, title: str) -> list[tuple]:
    """The rows under the heading ``title`` (first column), up to the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 1
    out = []
    for r in rows[start:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


def row_of(ws, title: str) -> int:
    return next(c.row for c in ws["A"] if c.value == title)


# ------------------------------------------------------------------ the sheets and the Grades rows


def test_the_sheets_in_the_order_a_teacher_reads_them(wb):
    assert wb.sheetnames == SHEETS
    assert header(wb["Grades"]) == GRADES_HEADER


@pytest.mark.parametrize("qids, parts", [
    (["a.case1.output"], ["Ex. 1 a)"]),
    (["a.case1.output", "b.maps"], ["Ex. 1 a)", "Ex. 1 b)"]),
    (["a.case1.output", "b.maps", "notebook.table"], ["Ex. 1 a)", "Ex. 1 b)", "Notebook"]),
    (["b.maps", "a.case1.output"], ["Ex. 1 b)", "Ex. 1 a)"]),
    (["c.extra"], ["c"]),
], ids=["part-a-only", "parts-a-and-b", "notebook-points-get-a-column", "in-the-workbooks-order",
        "an-unknown-part-by-its-own-name"])
def test_one_column_per_part_the_questions_fall_in(tmp_path, qids, parts):
    maxima = {q: 1.0 for q in qids}
    rec = record("G", {q: ("right", 1) for q in qids}, grade=1.0, maxima=maxima)
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Grades"]
    assert header(ws) == GRADES_HEADER[:3] + parts + GRADES_HEADER[5:]


GRADE_ROWS = {  # header -> value, hand-written from the_class()
    "Group 01": ["Group 01", "Alice Martin, Bruno Diaz", "graded", 3, 1, 4, 4, 6, None, None,
                 "Group 01_18_assignsubmission_file"],
    "Group 02": ["Group 02", "Chloé Petit", "graded", 2, 0, 2, 4, 3, None, None, "Group 02_18_assignsubmission_file"],
    "Group 03": ["Group 03", None, "inputs changed", 2, 1, 3, 4, "not exported", CHANGED, None,
                 "Group 03_18_assignsubmission_file"],
    "Group 05": ["Group 05", None, "graded", 3, 0, 3, 4, 5, None, DECIDED, "Group 05_18_assignsubmission_file"],
    "Dan Roy": ["Dan Roy", "Dan Roy", "no submission", None, None, None, None, "not exported",
                "no submission in the download (group Group 06)", None, None],
}


@pytest.mark.parametrize("name", list(GRADE_ROWS), ids=["graded-all-right", "graded-a-part-with-no-point",
                                                         "held-its-computed-grade-not-exported",
                                                         "decided-by-a-person", "student-with-no-submission"])
def test_what_a_grades_row_shows(wb, name):
    assert by_name(wb["Grades"])[name] == dict(zip(GRADES_HEADER, GRADE_ROWS[name], strict=True))


def test_a_refused_submission_shows_its_reason_and_no_marks(wb):
    row = by_name(wb["Grades"])["Group 04"]
    assert row["Status"] == "refused" and row["Needs a person / problems"] == TIME_LIMIT
    assert [row[k] for k in ("Ex. 1 a)", "Ex. 1 b)", "Total", "Max")] == [None] * 4


def test_a_refused_submission_says_its_grade_is_not_exported(wb):
    assert by_name(wb["Grades"])["Group 04"]["Grade"] == "not exported"


@pytest.mark.parametrize("status, grade, shown", [
    (Status.GRADED, 4.567, 4.57),
    (Status.GRADED, None, "not exported"),
    (Status.SKIPPED, 3.0, "not exported"),
    (Status.LAYOUT_MISMATCH, 3.0, "not exported"),
], ids=["graded-rounded-to-cents", "graded-but-no-scale", "skipped-by-a-person", "held-layout-mismatch"])
def test_the_grade_column_exports_only_a_graded_grade(tmp_path, status, grade, shown):
    rec = record("G", {"b.maps": ("right", 1)}, status=status, grade=grade)
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Grades"]
    assert by_name(ws)["G"]["Grade"] == shown


def test_a_part_whose_answers_have_no_points_is_blank_not_zero(tmp_path):
    rec = record("G", {"a.case1.output": ("not calculated", None), "b.maps": ("right", 1)}, grade=1.5)
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Grades"]
    row = by_name(ws)["G"]
    assert (row["Ex. 1 a)"], row["Ex. 1 b)"], row["Total"], row["Max"]) == (None, 1, 1, 3)


def test_a_student_with_no_name_on_the_worksheet_is_named_by_participant_number(tmp_path):
    run = GradeRun([], [], [], RUBRIC, absent=[Participant("104")])
    ws = openpyxl.load_workbook(write(run, tmp_path))["Grades"]
    [row] = ws.iter_rows(min_row=2, values_only=True)
    assert row[:3] == ("Participant 104", None, "no submission")
    assert row[-3:] == ("no submission in the download", None, None)


def test_a_blind_member_reads_as_participant_n(tmp_path):
    rec = record("Group 01", {"b.maps": ("right", 1)}, grade=6.0, members=(Participant("7"), Participant("8")))
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Grades"]
    assert by_name(ws)["Group 01"]["Members"] == "Participant 7, Participant 8"


def test_marks_are_numbers_with_a_short_format_not_text(wb):
    ws = wb["Grades"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Group 01")
    marks = row[3:8]  # a), b), Total, Max, Grade
    assert [c.value for c in marks] == [3, 1, 4, 4, 6]
    assert all(c.data_type == "n" and c.number_format == "0.##" for c in marks)
    assert all(c.alignment.horizontal == "center" for c in marks)


def test_the_total_is_coloured_on_the_grades_own_range_and_a_status_other_than_graded_is_red(wb):
    ws = wb["Grades"]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    [scale] = rules["F2:F7"]  # Total column, 5 submissions and 1 student with none
    assert [(v.type, v.val) for v in scale.colorScale.cfvo] == [("num", 0), ("num", 2), ("num", 4)]
    [red] = rules["C2:C7"]
    assert (red.type, red.operator, red.formula) == ("cellIs", "notEqual", ['"graded"'])
    assert red.dxf.fill.fgColor.rgb.endswith("FFC7CE") or red.dxf.fill.bgColor.rgb.endswith("FFC7CE")


# ------------------------------------------------------------------ Questions


def test_questions_one_column_per_question_in_the_workbooks_order_with_the_mistakes_named(wb):
    ws = wb["Questions"]
    assert header(ws) == ["Submission", "File", "Names written in the workbook", "Case 1: output", "Case 1: size",
                          "Feature maps", "Total", "Mistakes recognised"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Group 01"] == ("ex1.xlsx", "Alice, Bruno", 2, 1, 1, 4, None)
    assert rows["Group 02"] == (None, None, 1, 1, 0, 2, "counted channels; flipped kernel")  # sorted, once each
    assert rows["Group 04"] == (None, None, None, None, None, None, None)  # refused: nothing assessed
    assert all(ws.cell(1, k).alignment.textRotation == 90 for k in range(4, 8))  # questions and Total turned up
    assert ws.cell(1, 1).alignment.textRotation == 0


def test_points_without_a_question_in_the_workbook_get_a_column_by_their_id(tmp_path):
    rec = record("G", {"b.maps": ("right", 1)}, grade=1.0)
    rec.points["notebook.table"], rec.max_points["notebook.table"] = 0.5, 1.0
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Questions"]
    assert header(ws)[3:5] == ["Feature maps", "notebook.table"]
    assert [c.value for c in ws[2]][3:5] == [1, 0.5]


# ------------------------------------------------------------------ Statistics


def test_statistics_count_each_submission_once_and_summarise_the_assessed_totals(wb):
    stats = labelled(wb["Statistics"])
    counts = {k: stats[k][0] for k in ("Submissions", "Graded automatically", "Decided by a person", "Skipped",
                                       "Need a person", "No submission (in the worksheet only)")}
    assert counts == {"Submissions": 5, "Graded automatically": 2, "Decided by a person": 1, "Skipped": 0,
                      "Need a person": 2, "No submission (in the worksheet only)": 1}
    # the four assessed workbooks (the refused one had none): 4, 2, 3, 3 of 4 points
    assert [stats[k][0] for k in ("Mean total", "Median total", "Min total", "Max total", "Points available")] == [
        3, 3, 2, 4, 4]


def test_success_rate_per_question(wb):
    ws = wb["Statistics"]
    rows = block(ws, "Question")
    # output right in 01, 03, 05 of 4; size right in 01, 02, 05; maps right in 01, 03
    assert [r[:4] for r in rows] == [("Case 1: output", 0.75, 1.75, 2), ("Case 1: size", 0.75, 0.75, 1),
                                     ("Feature maps", 0.5, 0.5, 1)]
    first = row_of(ws, "Case 1: output")
    assert ws.cell(first, 2).number_format == "0%"
    [bars] = [cf for cf in ws.conditional_formatting if str(cf.sqref) == f"B{first}:B{first + 2}"]
    assert bars.rules[0].type == "dataBar"


@pytest.mark.parametrize("top, totals, bins", [
    (4, [4, 2, 3, 3], [(0, 0.5, 0), (0.5, 1, 0), (1, 1.5, 0), (1.5, 2, 0), (2, 2.5, 1), (2.5, 3, 0), (3, 3.5, 2),
                       (3.5, 4, 1)]),
    (10, [0, 9.99, 10], [(0, 1, 1)] + [(k, k + 1, 0) for k in range(1, 9)] + [(9, 10, 2)]),
    (28, [27.5, 28, 1], [(0, 2, 1)] + [(k, k + 2, 0) for k in range(2, 26, 2)] + [(26, 28, 2)]),
    (17, [16.5, 17], [(k, k + 2, 0) for k in range(0, 16, 2)] + [(16, 17, 2)]),
    (100, [55, 60], [(k, k + 10, 0) for k in range(0, 50, 10)] + [(50, 60, 1), (60, 70, 1)]
     + [(k, k + 10, 0) for k in range(70, 100, 10)]),
], ids=["4-points-in-halves", "10-points-in-ones-full-marks-in-the-last", "28-points-in-twos",
        "17-points-last-bin-cut-at-full-marks", "100-points-in-tens-a-bin-edge-goes-up"])
def test_the_histogram_bins_whole_steps_at_most_15_and_counts_full_marks(tmp_path, top, totals, bins):
    recs = []
    for k, t in enumerate(totals):
        rec = record(f"G{k}", {"b.maps": ("wrong", t)}, grade=0.0, maxima={"b.maps": float(top)})
        recs.append(rec)
    ws = openpyxl.load_workbook(write(GradeRun(recs, [], [], RUBRIC), tmp_path))["Statistics"]
    assert [r[:3] for r in block(ws, "Histogram of totals: from")] == bins


# Item analysis of the_class(), worked by hand over the four assessed workbooks (sample covariances,
# n - 1 = 3). Totals t = [4, 2, 3, 3].
#   output: x = [2, 1, 2, 2] of 2, rest y = t - x = [2, 1, 1, 1]; dx = [.25, -.75, .25, .25],
#     dy = [.75, -.25, -.25, -.25]; var x = var y = .25, cov = .25/3: facility .875, sd .5/2 = .25,
#     discrimination (.25/3)/.25 = 1/3; sorted pairs give the same covariance: efficiency 1.
#   size: x = [1, 1, 0, 1] of 1, y = [3, 1, 3, 2]; dx = [.25, .25, -.75, .25], dy = [.75, -1.25, .75, -.25];
#     var x = .25, var y = 2.75/3, cov = -.75/3: discrimination -.25/sqrt(.25 * 2.75/3) = -0.5222;
#     sorted: (-.75)(-1.25) + .25(-.25) + .25(.75) + .25(.75) = 1.25: efficiency -.75/1.25 = -0.6.
#   maps: x = [1, 0, 1, 0] of 1, y = [3, 2, 2, 3]: cov 0, var x = 1/3: sd .5774, index 0, efficiency 0.
ITEMS = [
    ("Case 1: output", 0.875, 0.25, 0.333, 1.0, "adequate: index 33%"),
    ("Case 1: size", 0.75, 0.5, -0.522, -0.6, "not discriminating: the weaker submissions did better on it "
                                              "(index -52%)"),
    ("Feature maps", 0.5, math.sqrt(1 / 3), 0.0, 0.0, "not discriminating: index 0% (under 20%)"),
]


def test_item_analysis_as_worked_by_hand(wb):
    ws = wb["Statistics"]
    rows = block(ws, "Item analysis (as Moodle's quiz statistics define it)")
    assert [r[0] for r in rows] == [i[0] for i in ITEMS]
    for got, want in zip(rows, ITEMS, strict=True):
        assert got[1:5] == pytest.approx(want[1:5], abs=1e-3), want[0]
        assert got[5] == want[5]
    first = row_of(ws, "Item analysis (as Moodle's quiz statistics define it)") + 1
    assert all(ws.cell(first, col).number_format == "0%" for col in (2, 3, 4, 5))


def test_an_item_answered_once_is_too_few_to_judge(tmp_path):
    rec = record("G", {"b.maps": ("right", 1)}, grade=1.0)
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Statistics"]
    [row] = block(ws, "Item analysis (as Moodle's quiz statistics define it)")
    assert row[0] == "Feature maps" and row[1] == 1 and row[2:5] == (None, None, None)
    assert row[5] == "too few answers to judge"


def test_mistakes_ranked_most_frequent_first_with_the_questions_they_explain(wb):
    ws = wb["Statistics"]
    rows = block(ws, "Mistakes recognised, most frequent first")
    assert [(r[0], r[1], r[3]) for r in rows] == [("flipped kernel", 2, "Case 1: output; Case 1: size"),
                                                  ("counted channels", 1, "Feature maps")]
    first = row_of(ws, "flipped kernel")
    assert f"D{first}:F{first}" in {str(r) for r in ws.merged_cells.ranges}


# ------------------------------------------------------------------ charts: there, and over no table


EMU_PER_POINT = 12700


def charts(book: Path) -> list[dict]:
    """Each chart of the Statistics sheet: its title, top-left cell (1-based row, 0-based column),
    height in points, and the ranges it draws."""
    import xml.etree.ElementTree as ET

    ns = {"x": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
          "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(book) as zf:
        drawings = [n for n in zf.namelist() if n.startswith("xl/drawings/drawing")]
        assert drawings == ["xl/drawings/drawing1.xml"]
        assert "drawing1.xml" in zf.read("xl/worksheets/_rels/sheet3.xml.rels").decode()  # the Statistics sheet
        rels = {r.get("Id"): r.get("Target")
                for r in ET.fromstring(zf.read("xl/drawings/_rels/drawing1.xml.rels"))}
        out = []
        for anchor in ET.fromstring(zf.read(drawings[0])).findall("x:oneCellAnchor", ns):
            rid = anchor.find(".//c:chart", ns).get(f"{{{ns['r']}}}id")
            chart = ET.fromstring(zf.read("xl/charts/" + rels[rid].split("/")[-1]))
            out.append({"title": "".join(t.text for t in chart.findall("c:chart/c:title//a:t", ns) if t.text),
                        "row": int(anchor.find("x:from/x:row", ns).text) + 1,
                        "col": int(anchor.find("x:from/x:col", ns).text),
                        "height": int(anchor.find("x:ext", ns).get("cy")) / EMU_PER_POINT,
                        "refs": [f.text for f in chart.findall(".//c:f", ns)]})
    return out


def rows_under(ws, chart: dict) -> range:
    """The rows a chart covers, from its anchor down by the rows' heights (15 points by default)."""
    row, left = chart["row"], chart["height"]
    while left > 0:
        left -= ws.row_dimensions[row].height or 15
        row += 1
    return range(chart["row"], row)


def test_statistics_draws_the_histogram_the_facility_and_the_mistakes(book, wb):
    ws = wb["Statistics"]
    drawn = {c["title"]: c for c in charts(book)}
    assert list(drawn) == ["Totals of the class", "Facility per question (share of its points the class scored)",
                           "Mistakes by frequency"]
    h0 = row_of(ws, "Histogram of totals: from") + 1
    # each draws its table's numbers against its first column, titled by the column's header
    assert drawn["Totals of the class"]["refs"] == [f"'Statistics'!C{h0 - 1}", f"'Statistics'!$A${h0}:$A${h0 + 7}",
                                                    f"'Statistics'!$C${h0}:$C${h0 + 7}"]
    i0 = row_of(ws, "Item analysis (as Moodle's quiz statistics define it)") + 1
    assert drawn["Facility per question (share of its points the class scored)"]["refs"] == [
        f"'Statistics'!B{i0 - 1}", f"'Statistics'!$A${i0}:$A${i0 + 2}", f"'Statistics'!$B${i0}:$B${i0 + 2}"]
    m0 = row_of(ws, "flipped kernel")
    assert drawn["Mistakes by frequency"]["refs"] == [f"'Statistics'!B{m0 - 1}", f"'Statistics'!$A${m0}:$A${m0 + 1}",
                                                      f"'Statistics'!$B${m0}:$B${m0 + 1}"]


def one_question_class() -> GradeRun:
    """The shortest tables: one question of one point (two histogram bins), one mistake."""
    recs = [record(f"G{k}", {"b.maps": ("right" if k else "wrong", k)}, grade=float(k),
                   diagnoses={} if k else {"b.maps": ["counted channels: 3"]}) for k in (0, 1)]
    return GradeRun(recs, [], [], RUBRIC)


@pytest.mark.parametrize("make", [the_class, one_question_class], ids=["the-class", "one-question-one-point"])
def test_no_chart_hides_a_table(tmp_path, make):
    path = write(make(), tmp_path)
    ws = openpyxl.load_workbook(path)["Statistics"]
    drawn = charts(path)
    assert len(drawn) == 3
    for chart in drawn:
        covered = rows_under(ws, chart)
        hidden = [c.coordinate for row in ws.iter_rows(min_row=covered.start, max_row=covered.stop - 1)
                  for c in row if c.value is not None and c.column > chart["col"]]
        assert hidden == [], chart["title"]
    facility = next(c for c in drawn if c["title"].startswith("Facility"))
    assert facility["row"] > row_of(ws, "Item analysis (as Moodle's quiz statistics define it)")
    assert rows_under(ws, facility).stop <= row_of(ws, "Mistakes recognised, most frequent first")


def test_a_class_with_no_mistake_recognised_says_so_and_draws_no_mistakes_chart(tmp_path):
    rec = record("G", {"b.maps": ("right", 1)}, grade=1.0)
    path = write(GradeRun([rec], [], [], RUBRIC), tmp_path)
    ws = openpyxl.load_workbook(path)["Statistics"]
    assert block(ws, "Mistakes recognised, most frequent first") == [("(none recognised)",) + (None,) * 5]
    assert [c["title"] for c in charts(path)] == ["Totals of the class",
                                                  "Facility per question (share of its points the class scored)"]


# ------------------------------------------------------------------ Similarity, Notebook, Models


def test_similar_pairs_are_listed_with_their_reason_or_none_said(wb, tmp_path):
    assert [r for r in wb["Similarity"].iter_rows(min_row=2, values_only=True)] == [
        ("Group 02", "Group 03", "the same wrong answer: Feature maps")]
    ws = openpyxl.load_workbook(write(GradeRun([], [], [], RUBRIC), tmp_path))["Similarity"]
    assert [r for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ("(none)", None, "no pair shares wrong answers or document metadata")]


NOTEBOOK_HEADER = ["Submission", "Notebook", "Status", "Framework", "One-layer network", "Weights plot",
                   "Two-layer network", "Simple CNN", "Deeper CNNs", "Table 1", "Review answers (of 8)",
                   "Models trained", "Best CNN train %", "Best CNN test %"]


def test_a_notebook_row_ticks_the_checklist_and_shows_the_best_cnn_beside_the_reference(wb):
    ws = wb["Notebook"]
    assert header(ws) == NOTEBOOK_HEADER + ["Reference best CNN test %", "Flags (what a person should look at)"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # only Group 01 has a notebook; the best CNN is the one with the best test accuracy (75 %), not the
    # best train; the reference is the instructor's best CNN (74.1), not the dense network's 90
    assert rows == [("Group 01", "pw.ipynb", "read", "keras", "✓", "✗", "✓", "✓", 2, "✓", 6, 3, 90, 75, 74.1,
                     "Table 1 says 80% for the deeper CNN; the outputs show 75%\n2 deeper CNNs (3-5 asked)")]
    ticks = {c.value: c.font.color.rgb for c in ws[2][4:10] if c.value in ("✓", "✗")}
    assert ticks["✓"].endswith("00703C") and ticks["✗"].endswith("C00000")
    assert ws.cell(2, 16).font.color.rgb.endswith("C00000")  # the flags, in red


def test_without_an_instructor_table_the_notebook_sheet_has_no_reference_column(tmp_path):
    rec = record("G", {"b.maps": ("right", 1)}, grade=1.0, notebook=NotebookReport("nb.ipynb", NotebookStatus.READ))
    ws = openpyxl.load_workbook(write(GradeRun([rec], [], [], RUBRIC), tmp_path))["Notebook"]
    assert header(ws) == NOTEBOOK_HEADER + ["Flags (what a person should look at)"]
    # no model trained: no best CNN, no flag
    assert [c.value for c in ws[2]] == ["G", "nb.ipynb", "read", "unknown", "✗", "✗", "✗", "✗", 0, "✗", 0, 0,
                                        None, None, None]


def test_models_one_row_per_model_with_where_its_accuracies_were_read(wb):
    rows = list(wb["Models"].iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("Group 01", 1, "dense", "DENSE(10)", 10, 64, 42, 40, None, None),
        ("Group 01", 2, "cnn", "CONV(32,3x3)-POOL-DENSE(10)", 10, 64, 80, 70, "In [7]",
         "train: In [7]: accuracy: 0.8000\ntest: In [8]: 0.7000"),
        ("Group 01", 3, "cnn", "CONV(32,3x3)-CONV(64,3x3)-POOL-DENSE(10)", 10, 64, 90, 75, None, None),
    ]
    assert wb["Models"]["G2"].number_format == "0.0"


# ------------------------------------------------------------------ text from students stays text


def test_text_from_moodle_and_students_starting_with_an_equals_sign_is_stored_as_text(tmp_path):
    hostile = '=HYPERLINK("http://evil","x")'
    nb = NotebookReport("=nb.ipynb", NotebookStatus.READ, framework="=fw", flags=["=flag"],
                        experiments=[experiment("cnn", "=CONV(1)", 0.5, 0.5, where="=cell",
                                                evidence={"test_accuracy": "=evidence"})])
    rec = record(hostile, {"b.maps": ("wrong", 0)}, grade=0.0, members=(Participant("1", "=Eve"),),
                 file="=cmd|' /C calc'!A0.xlsx", names_given="=1+1", override="=by hand", notebook=nb,
                 diagnoses={"b.maps": ["=SUM(A1): a mistake"]})
    rec.say("=A1*2")
    run = GradeRun([rec], [Similarity(hostile, "=B", "=reason")], [], RUBRIC, absent=[Participant("2", "=Mallory")])
    path = write(run, tmp_path)
    wb = openpyxl.load_workbook(path)
    texts = {c.value: c.data_type for ws in wb for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")}
    for text in (hostile, "=Eve", "=cmd|' /C calc'!A0.xlsx", "=1+1", "=by hand", "=A1*2", "=SUM(A1)", "=B",
                 "=reason", "=Mallory", "=nb.ipynb", "=fw", "=flag", "=CONV(1)", "=cell"):
        assert texts.get(text) == "s", text
    assert set(texts.values()) == {"s"}
    with zipfile.ZipFile(path) as zf:  # and no formula element anywhere in the sheets
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 6 and not any(re.search(r"<f[ >]", xml) for xml in sheets)


# ------------------------------------------------------------------ on screen and on paper


@pytest.mark.parametrize("sheet, filter_ref", [("Grades", "A1:K7"), ("Questions", "A1:H6"), ("Notebook", "A1:P2"),
                                               ("Models", "A1:J4")],
                         ids=["grades", "questions", "notebook-with-reference", "models"])
def test_table_sheets_freeze_their_header_filter_and_print_one_page_wide(wb, sheet, filter_ref):
    ws = wb[sheet]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == filter_ref
    assert all(c.font.b for c in ws[1])
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


def test_the_grades_print_leaves_out_the_moodle_folder_column(wb):
    assert str(wb["Grades"].print_area).endswith("$A$1:$J$7")  # 11 columns, the last not printed


def test_columns_fit_their_content_up_to_a_limit_and_rows_stop_at_four_lines(tmp_path):
    long = "a teacher's message " * 20  # 400 characters
    short = record("A", {"b.maps": ("right", 1)}, grade=1.0)
    wordy = record("A much longer group name", {"b.maps": ("right", 1)}, grade=1.0)
    wordy.say(long)
    ws = openpyxl.load_workbook(write(GradeRun([short, wordy], [], [], RUBRIC), tmp_path))["Grades"]
    widths = {k: ws.column_dimensions[k].width for k in "ABH"}
    # Submission: its longest name (24) capped at 16; Members: empty, the header word + 1; problems: capped at 60
    assert widths == {"A": 16, "B": 8, "H": 60}
    assert ws.row_dimensions[2].height == 15  # one line: 13 points + 2
    assert ws.row_dimensions[3].height == 4 * 13 + 2  # 7 lines of text, shown as 4
    assert ws["H3"].alignment.wrap_text and not ws["A2"].alignment.wrap_text


def test_an_empty_class_still_gives_a_readable_gradebook(tmp_path):
    path = write(GradeRun([], [], [], RUBRIC), tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    assert header(wb["Grades"]) == GRADES_HEADER[:3] + GRADES_HEADER[5:]  # no question, no part
    stats = labelled(wb["Statistics"])
    assert stats["Submissions"][0] == 0 and stats["Mean total"][0] is None and stats["Points available"][0] is None
    assert [r[:3] for r in block(wb["Statistics"], "Histogram of totals: from")] == [(0, 0.5, 0), (0.5, 1, 0)]
    assert [c["title"] for c in charts(path)] == ["Totals of the class"]
    assert wb["Grades"].auto_filter.ref == "A1:I2"


def test_the_same_run_gives_the_same_bytes(tmp_path):
    first, again = tmp_path / "1", tmp_path / "2"
    first.mkdir(), again.mkdir()
    assert write(the_class(), first).read_bytes() == write(the_class(), again).read_bytes()
