"""What ``xlcnn grade`` writes, from a run built in memory: the grading worksheet Moodle imports
(``fill_worksheet``: a grade and a comment for every member of a graded submission and nothing
else touched, byte for byte) and the output folder (``write_outputs``: which files, the notes that
say what was not written and why, stale files removed, each file written whole, a re-run identical).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from xlcnn.grading import outputs
from xlcnn.grading.outputs import fill_worksheet, write_outputs
from xlcnn.grading.record import Audience, GradeRun, Record, Similarity, Status
from xlcnn.grading.rubric import Rubric, Rule
from xlcnn.moodle.worksheet import Participant, build_worksheet, read_worksheet
from xlcnn.workbook.checking import CheckReport, QuestionResult
from xlcnn.workbook.verdict import Answer

RUBRIC = Rubric((Rule("*", 1.0),), source="rubric.toml")
LABELS = {"a.case1.output": "Case 1: output", "a.case1.size": "Case 1: size", "b.maps": "Feature maps"}
MAXIMA = {"a.case1.output": 2.0, "a.case1.size": 1.0, "b.maps": 1.0}
ALICE, BRUNO, CHLOE = Participant("101", "Alice Martin"), Participant("102", "Bruno Diaz"), Participant("103")

# The worksheet as Moodle exports it (fputcsv quoting, BOM, "\n"); Chloé was graded by hand before.
HEADER = ('\ufeffIdentifier,"Full name","Email address",Status,Group,Grade,"Maximum grade","Grade can be changed",'
          '"Last modified (grade)","Feedback comments"\n')
ROW_101 = '"Participant 101","Alice Martin",alice@example.org,Submitted,Group_01,,6.00,Yes,-,\n'
ROW_102 = '"Participant 102","Bruno Diaz",bruno@example.org,Submitted,Group_01,,6.00,Yes,-,\n'
ROW_103 = ('"Participant 103","Chloé Petit",chloe@example.org,Submitted,Group_02,2.00,6.00,Yes,'
           '"Monday, 1 June 2026, 9:00 AM","<p>see me</p>"\n')
ROW_104 = '"Participant 104","Dan Roy",dan@example.org,"No submission",Group_03,,6.00,Yes,-,\n'
EXPORT = HEADER + ROW_101 + ROW_102 + ROW_103 + ROW_104

# Group 01: 3 of 4 points, graded 4.5 of 6; its comment, worded by hand.
COMMENT_01 = ("Exercise 1: 3/4 points. Feature maps: wrong, expected 2. The annotated workbook in your feedback "
              "files shows each cell with the expected value.")


def record(name: str, marks: dict[str, tuple[str, float]] | None, *, status: Status = Status.GRADED,
           grade: float | None = None, members: tuple[Participant, ...] = (), moodle_id: str = "11",
           feedback: Path | None = None, **fields) -> Record:
    """A submission's record; ``marks``: question id -> (verdict, points); ``feedback``: its annotated copy."""
    key = f"{name.replace(' ', '_')}_{moodle_id}_assignsubmission_file"
    rec = Record(key, name, moodle_id, status=status, grade=grade, members=list(members), file="ex1.xlsx",
                 folders=[key], feedback_path=feedback, **fields)
    if marks is not None:
        rec.report = CheckReport("ex1.xlsx", [QuestionResult(q, LABELS[q], q[0], Answer(v), "2" if v != "right" else "",
                                                             "", []) for q, (v, _) in marks.items()])
        rec.points = {q: p for q, (_, p) in marks.items()}
        rec.max_points = {q: MAXIMA[q] for q in marks}
        rec.total, rec.max_total = sum(rec.points.values()), sum(rec.max_points.values())
    return rec


THREE_OF_FOUR = {"a.case1.output": ("right", 2), "a.case1.size": ("right", 1), "b.maps": ("wrong", 0)}


def export(tmp_path: Path, text: str = EXPORT):
    path = tmp_path / "Grades-PW04.csv"
    path.write_bytes(text.encode("utf-8"))
    return read_worksheet(path)


# ------------------------------------------------------------------ fill_worksheet


def test_a_graded_submission_fills_every_members_row_and_nothing_else(tmp_path):
    sheet = export(tmp_path)
    run = GradeRun([record("Group 01", THREE_OF_FOUR, grade=4.5, members=(ALICE, BRUNO))], [], [], RUBRIC, scale=6.0)
    assert fill_worksheet(run, sheet) is sheet
    filled = f'Group_01,4.50,6.00,Yes,-,"{COMMENT_01}"\n'
    assert sheet.text() == "".join([
        HEADER[1:],  # the BOM is written apart
        ROW_101.replace("Group_01,,6.00,Yes,-,\n", filled),
        ROW_102.replace("Group_01,,6.00,Yes,-,\n", filled),
        ROW_103, ROW_104,  # not in this run: kept byte for byte, Chloé's earlier grade and comment too
    ])


@pytest.mark.parametrize("status, grade, written", [
    (Status.GRADED, 4.5, "4.50"),
    (Status.GRADED, 4.567, "4.57"),
    (Status.GRADED, 0.0, "0.00"),
    (Status.GRADED, None, None),
    (Status.INPUTS_CHANGED, 3.0, None),
    (Status.LAYOUT_MISMATCH, 3.0, None),
    (Status.SKIPPED, 3.0, None),
], ids=["graded", "graded-rounded-to-cents", "graded-zero-is-a-grade", "graded-but-no-scale-left-alone",
        "held-inputs-changed-left-alone", "held-layout-left-alone", "skipped-left-alone"])
def test_only_a_graded_grade_is_written(tmp_path, status, grade, written):
    sheet = export(tmp_path)
    run = GradeRun([record("Group 02", THREE_OF_FOUR, status=status, grade=grade, members=(CHLOE,))], [], [], RUBRIC)
    fill_worksheet(run, sheet)
    row = sheet.row_for("103")
    if written is None:  # what a person wrote before stays for a person to change
        assert sheet.text() == EXPORT[1:]
    else:
        assert sheet.get(row, "grade") == written and sheet.get(row, "feedback").startswith("Exercise 1: 3/4 points.")


def test_a_decimal_comma_worksheet_gets_a_decimal_comma_grade():
    sheet = build_worksheet(["Identifier", "Full name", "Grade", "Maximum grade", "Feedback comments"],
                            [["Participant 103", "Chloé Petit", "", "6,00", ""]], "Grades.csv")
    fill_worksheet(GradeRun([record("Group 02", THREE_OF_FOUR, grade=4.5, members=(CHLOE,))], [], [], RUBRIC), sheet)
    assert sheet.rows[0][2] == "4,50"


def test_the_comment_is_moodle_html_with_what_a_student_typed_escaped(tmp_path):
    sheet = export(tmp_path)
    rec = record("Group 02", THREE_OF_FOUR, grade=4.5, members=(CHLOE,))
    rec.say('the given numbers differ: you typed <b>5</b> & "6"', Audience.STUDENT)
    rec.say("LibreOffice recalculated it", Audience.TEACHER)  # the teacher's only
    fill_worksheet(GradeRun([rec], [], [], RUBRIC), sheet)
    assert sheet.get(sheet.row_for("103"), "feedback") == (
        COMMENT_01 + ' the given numbers differ: you typed &lt;b&gt;5&lt;/b&gt; &amp; "6"')


def test_a_member_missing_from_the_worksheet_is_passed_over_and_the_others_filled(tmp_path):
    sheet = export(tmp_path)
    rec = record("Group 01", THREE_OF_FOUR, grade=4.5, members=(Participant("999", "Late Joiner"), ALICE))
    fill_worksheet(GradeRun([rec], [], [], RUBRIC), sheet)
    assert sheet.get(sheet.row_for("101"), "grade") == "4.50" and sheet.get(sheet.row_for("102"), "grade") == ""


# ------------------------------------------------------------------ write_outputs


def annotated(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "work" / f"{name}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"annotated copy of {name}".encode())
    return path


BUG = "xlcnn met a bug on this file: a person grades it"


def the_run(tmp_path: Path, *, scale: float | None = 6.0, scale_note: str = "Maximum grade 6 (worksheet)",
            annotate: bool = True, error: bool = True) -> GradeRun:
    """Group 01 graded, Group 02 held, Default group (no id) graded, Group 04 refused (an internal error)."""
    fb = (lambda name: annotated(tmp_path, name)) if annotate else (lambda name: None)
    g1 = record("Group 01", THREE_OF_FOUR, grade=4.5, members=(ALICE, BRUNO), feedback=fb("g1"))
    g2 = record("Group 02", THREE_OF_FOUR, grade=4.5, members=(CHLOE,), moodle_id="12", feedback=fb("g2"))
    g2.set_status(Status.INPUTS_CHANGED, "the given numbers differ from the handout", Audience.STUDENT)
    g3 = record("Default group", THREE_OF_FOUR, grade=4.5, moodle_id="", feedback=fb("g3"))
    g4 = record("Group 04", None, moodle_id="14")
    g4.set_status(Status.INTERNAL_ERROR, BUG)
    if error:
        g4.traceback = "Traceback (most recent call last):\nZeroDivisionError: a bug"
    return GradeRun([g1, g2, g3, g4], [Similarity("Group 01", "Group 02", "the same wrong answer")],
                    ["a stray file: readme.txt"], RUBRIC, scale=scale, scale_note=scale_note,
                    absent=[Participant("104", "Dan Roy", group="Group_03")])


def write(tmp_path: Path, run: GradeRun, sheet=True, out: str = "out"):
    return write_outputs(run, tmp_path / out, tmp_path / "work", export(tmp_path) if sheet else None)


def test_with_a_worksheet_and_a_scale_every_file_is_written_and_nothing_else_left(tmp_path):
    paths, notes = write(tmp_path, the_run(tmp_path))
    out = tmp_path / "out"
    names = ["feedback.zip", "gradebook.xlsx", "grades.csv", "held", "results.json", "xlcnn-errors.log"]
    assert paths == {n: out / n for n in names if n != "held"}
    assert notes == ["1 annotated workbook(s) of submissions held for a person wait in held/ of the output folder: "
                     "nothing of a held submission goes to Moodle (not in feedback.zip nor grades.csv, never pushed) "
                     "until a person decides"]
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary file beside them
    assert [p.relative_to(out).as_posix() for p in (out / "held").rglob("*") if p.is_file()] == [
        "held/Group_02_12_assignsubmission_file/ex1-feedback.xlsx"]


def test_grades_csv_is_the_export_with_the_graded_rows_filled(tmp_path):
    write(tmp_path, the_run(tmp_path))
    filled = f'Group_01,4.50,6.00,Yes,-,"{COMMENT_01}"\n'
    assert (tmp_path / "out" / "grades.csv").read_bytes().decode("utf-8") == "".join([
        HEADER, ROW_101.replace("Group_01,,6.00,Yes,-,\n", filled),
        ROW_102.replace("Group_01,,6.00,Yes,-,\n", filled), ROW_103, ROW_104])


def test_feedback_zip_holds_each_annotated_copy_in_its_moodle_folder(tmp_path):
    write(tmp_path, the_run(tmp_path))
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    # nothing of the held group goes (its copy waits in held/); a folder with no id cannot receive one
    assert entries == {"Group_01_11_assignsubmission_file/ex1-feedback.xlsx": b"annotated copy of g1"}
    assert (tmp_path / "out" / "held" / "Group_02_12_assignsubmission_file" / "ex1-feedback.xlsx").read_bytes() == \
        b"annotated copy of g2"


def test_held_copies_of_an_earlier_run_are_removed_and_the_gradebook_says_where(tmp_path):
    from openpyxl import load_workbook

    stale = tmp_path / "out" / "held" / "Group 09" / "ex1-feedback.xlsx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier run's")
    write(tmp_path, the_run(tmp_path))
    assert not stale.exists() and not stale.parent.exists()
    rows = {r[0]: r for r in load_workbook(tmp_path / "out" / "gradebook.xlsx")["Grades"].iter_rows(values_only=True)}
    assert rows["Group 02"][-3].endswith(
        " | annotated workbook, not sent: held/Group_02_12_assignsubmission_file/ex1-feedback.xlsx")


@pytest.mark.parametrize("sheet, scale, note", [
    (False, 6.0, "no grades.csv: download the grading worksheet from Moodle (Assignment > View all submissions > "
                 "Download grading worksheet) and pass it with --worksheet"),
    (True, None, "no grades.csv: the assignment's scale is unknown"),
], ids=["no-worksheet", "no-scale"])
def test_without_a_worksheet_or_a_scale_no_grades_csv_and_a_stale_one_is_removed(tmp_path, sheet, scale, note):
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").write_text("from an earlier run: must not be uploaded")
    run = the_run(tmp_path, scale=scale, scale_note="the assignment's scale is unknown: no grade was written")
    paths, notes = write(tmp_path, run, sheet=sheet)
    assert "grades.csv" not in paths and not (out / "grades.csv").exists()
    assert len(notes) == 2 and notes[0].startswith(note) and notes[1].startswith("1 annotated workbook(s) of ")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["notes"] == notes
    assert bool(results["members_note"]) is not sheet  # members unknown only without a worksheet


def test_nothing_annotated_gives_an_empty_zip_and_says_so(tmp_path):
    paths, notes = write(tmp_path, the_run(tmp_path, annotate=False))
    assert notes == ["feedback.zip holds no file: no graded submission could be annotated"]
    with zipfile.ZipFile(paths["feedback.zip"]) as zf:
        assert zf.namelist() == []


def test_internal_errors_go_to_a_log_for_the_maintainers_and_a_clean_rerun_removes_it(tmp_path):
    paths, _ = write(tmp_path, the_run(tmp_path))
    assert paths["xlcnn-errors.log"].read_text(encoding="utf-8") == (
        "== Group_04_14_assignsubmission_file\nTraceback (most recent call last):\nZeroDivisionError: a bug")
    paths, _ = write(tmp_path, the_run(tmp_path, error=False))
    assert "xlcnn-errors.log" not in paths and not (tmp_path / "out" / "xlcnn-errors.log").exists()


def test_results_json_records_every_submission_its_comment_and_the_run(tmp_path):
    write(tmp_path, the_run(tmp_path))
    text = (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
    assert "ZeroDivisionError" not in text  # the traceback is for the maintainers' log only
    data = json.loads(text)
    subs = {s["name"]: s for s in data["submissions"]}
    assert list(subs) == ["Group 01", "Group 02", "Default group", "Group 04"]
    assert subs["Group 01"]["comment"] == COMMENT_01 and subs["Group 01"]["grade"] == 4.5
    assert (subs["Group 02"]["grade"], subs["Group 02"]["computed_grade"]) == (None, 4.5)  # held: not a grade
    assert subs["Group 02"]["comment"].endswith(" the given numbers differ from the handout")
    assert subs["Group 04"]["comment"] == f"Not graded automatically: {BUG}"  # never the traceback
    assert data["similar"] == [{"a": "Group 01", "b": "Group 02", "reason": "the same wrong answer"}]
    assert (data["problems"], data["rubric"], data["scale"], data["scale_note"], data["reference"]) == (
        ["a stray file: readme.txt"], "rubric.toml", 6.0, "Maximum grade 6 (worksheet)", [])
    assert data["absent"] == [{"identifier": "Participant 104", "full_name": "Dan Roy", "group": "Group_03"}]
    assert data["members_note"] == "" and [n[:40] for n in data["notes"]] == [
        "1 annotated workbook(s) of submissions h"]


def test_a_rerun_writes_the_same_bytes(tmp_path):
    first, _ = write(tmp_path, the_run(tmp_path), out="first")
    again, _ = write(tmp_path, the_run(tmp_path), out="again")
    assert sorted(first) == sorted(again)
    for name in first:
        assert first[name].read_bytes() == again[name].read_bytes(), name


def test_an_interrupted_write_leaves_the_previous_results_whole(tmp_path, monkeypatch):
    paths, _ = write(tmp_path, the_run(tmp_path))
    before = paths["results.json"].read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.json, "dumps", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(tmp_path, the_run(tmp_path))
    assert paths["results.json"].read_bytes() == before
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_the_output_folder_is_made_when_missing(tmp_path):
    paths, _ = write(tmp_path, the_run(tmp_path), out="deep/er/out")
    assert paths["results.json"].parent == tmp_path / "deep" / "er" / "out" and paths["results.json"].is_file()
