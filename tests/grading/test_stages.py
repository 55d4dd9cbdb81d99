"""Grading's stages and types, one at a time, on small workbooks: the declared stage list, who
reads which message, a changed input cell found and outlined, an error's path and exit code."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support.course import blank, course_layout, student
from tests.support.factories import RIGHT, make_submission
from tests.support.notebooks import keras_notebook, write
from xlcnn.errors import WorkbookError, XlcnnError
from xlcnn.files.opening import open_workbook
from xlcnn.grading import pipeline
from xlcnn.grading.assess import AssessJob, Recalculated, assess_file, changed_cells, inputs_changed
from xlcnn.grading.feedback import comment_text, reader_notes
from xlcnn.grading.intake import match as match_records
from xlcnn.grading.intake import worksheet_fits
from xlcnn.grading.overrides import OverrideError, load_overrides
from xlcnn.grading.record import Audience, Record, Status
from xlcnn.grading.rubric import Rubric, load_rubric
from xlcnn.handout.examples import load_example
from xlcnn.layout.model import default_layout, parse_layout
from xlcnn.layout.relocate import labels_from_handout
from xlcnn.moodle.download import Submission
from xlcnn.moodle.worksheet import build_worksheet
from xlcnn.notebook.report import NotebookStatus
from xlcnn.workbook.checking import CheckReport
from xlcnn.workbook.reading import read_workbook
from xlcnn.workbook.verdict import Answer


def test_grade_is_its_declared_stages_in_order():
    assert [s.__name__ for s in pipeline.STAGES] == [
        "discover", "match", "locate", "apply_overrides", "read_notebooks", "recalculate", "assess",
        "reassess_against_class", "to_scale", "apply_person_grades", "compare"]


def test_an_error_names_the_stage_it_stopped_in(tmp_path):
    with pytest.raises(XlcnnError) as info:
        pipeline.grade(tmp_path / "missing.zip", tmp_path / "work", pipeline.GradeOptions(rubric=load_rubric()))
    assert info.value.stage == "discover"
    assert "xlcnn grade stopped in the stage 'discover'" in info.value.__notes__


@pytest.mark.parametrize("status, needs", [(Status.GRADED, False), (Status.SKIPPED, False),
                                           (Status.INPUTS_CHANGED, True), (Status.NO_GROUP, True),
                                           (Status.INTERNAL_ERROR, True)], ids=str)
def test_who_needs_a_person(status, needs):
    assert status.needs_person is needs
    assert Record("k", "n", "1", status=status).needs_person is needs


def test_a_student_reads_only_the_messages_meant_for_students_whatever_their_words():
    rec = Record("k", "Group 1", "1")
    rec.say("LibreOffice: the file needed recalculating")  # the teacher's
    rec.say("inputs changed, worded any way", Audience.STUDENT)
    rec.say("a grade set by someone", Audience.PERSON_DECIDED)
    rec.say("nothing filled in: reworded", Audience.TEACHER)
    assert reader_notes(rec) == ["inputs changed, worded any way", "a grade set by someone"]
    assert rec.texts() == [m.text for m in rec.messages]
    assert rec.to_dict()["messages"] == rec.texts()


def test_a_row_status_reads_as_its_word_in_results_json():
    rec = Record("k", "n", "1", status=Status.LAYOUT_MISMATCH)
    assert rec.to_dict()["status"] == "layout mismatch"


def test_a_changed_given_number_is_found_outlined_and_graded_on_its_own_inputs(tmp_path):
    x1 = [float(v) for v in load_example().x1]
    path = make_submission(tmp_path, inputs={"Input1D": x1[:-1] + [x1[-1] + 9]})  # one number changed
    reading = read_workbook(open_workbook(path))
    expected = load_example()
    assert inputs_changed(reading.example, expected) == ["1D input"]
    changed = changed_cells(reading, expected)
    assert len(changed) == 1 and changed[0][0] == "Ex1a"
    rec = Record("k", "Group 1", "1", file=path.name, workbook_path=path)
    done = assess_file(AssessJob(rec, None, None, load_rubric(), expected, None, tmp_path / "feedback"))
    assert done.status is Status.INPUTS_CHANGED
    assert [m.audience for m in done.messages if m.explains is Status.INPUTS_CHANGED] == [Audience.STUDENT]
    assert "inputs changed" in comment_text(done)
    sheet, coord, was = changed[0]
    cell = openpyxl.load_workbook(done.feedback_path)[sheet][coord]
    assert cell.border.left.style == "thick" and f"was {was:g}" in cell.comment.text.replace(".0 ", " ")


def test_right_answers_are_right_by_type(tmp_path):
    path = make_submission(tmp_path, RIGHT)
    rec = Record("k", "Group 1", "1", file=path.name, workbook_path=path)
    done = assess_file(AssessJob(rec, None, None, load_rubric(), load_example(), None, tmp_path / "feedback"))
    assert done.status is Status.GRADED and done.total == done.max_total
    assert {q.status for q in done.report.questions} == {Answer.RIGHT}


def test_an_error_carries_its_path_and_exit_code_and_travels_between_processes(tmp_path):
    given = Path("sub") / "stud.xlsx"
    err = WorkbookError("not a workbook", path=given)
    assert str(err) == "stud.xlsx: not a workbook"  # what a gradebook row shows
    assert err.format_message() == f"{given}: not a workbook"  # what the terminal shows
    assert err.exit_code == 1
    back = pickle.loads(pickle.dumps(err))
    assert (str(back), back.format_message(), back.path) == (str(err), err.format_message(), err.path)
    assert XlcnnError("plain").format_message() == "plain"


# ------------------------------------------------------------------ the stages before and after assessing


def batch(records, **options) -> pipeline.Batch:
    options.setdefault("rubric", load_rubric())
    return pipeline.Batch(Path("dl.zip"), Path("work"), pipeline.GradeOptions(**options), pipeline._Silent(),
                          records=records)


def submission(key: str, moodle_id: str, *files: Path) -> Submission:
    name = key.split("_")[0]
    return Submission(key, name, moodle_id, list(files))


@pytest.mark.parametrize("files, status, words", [
    ([], Status.NO_WORKBOOK, "no workbook (.xlsx, .xlsm, .ods, .xls) in the submission (no files)"),
    (["a.xlsx", "b.ods"], Status.SEVERAL_WORKBOOKS, "several workbooks, a person must choose: a.xlsx, b.ods"),
    (["notes.txt", "~$lock.xlsx", "a.xlsm"], None, None),
], ids=["none", "several", "one-among-others"])
def test_locate(files, status, words):
    rec = Record("G_1_assignsubmission_file", "G", "1",
                 submission=submission("G_1_assignsubmission_file", "1", *(Path(f) for f in files)))
    pipeline.locate(batch([rec]))
    if status is None:
        assert rec.status is Status.GRADED and rec.file == "a.xlsm"
    else:
        assert rec.status is status and rec.messages[-1].text == words and rec.messages[-1].explains is status


def test_match_holds_a_default_group_submission_and_keeps_its_reason():
    [rec] = match_records([submission("Default group_assignsubmission_file", "")], None)
    assert rec.hold is Status.NO_GROUP and "students in no group" in rec.messages[0].text


def test_to_scale_a_hold_wins_and_the_grade_is_on_the_assignments_scale():
    held, graded = Record("a", "A", "1", hold=Status.AMBIGUOUS_MATCH), Record("b", "B", "2")
    for r in (held, graded):
        r.report, r.total, r.max_total = CheckReport("x", []), 21.0, 28.0
    b = batch([held, graded], rubric=Rubric(load_rubric().rules, grade_max=6, source="r.toml"))
    pipeline.to_scale(b)
    assert held.status is Status.AMBIGUOUS_MATCH and graded.status is Status.GRADED
    assert graded.grade == pytest.approx(4.5) and graded.grade_max == 6 and b.scale_note == "grade_max 6 (r.toml)"


def test_a_person_grade_wins_over_a_hold_and_is_checked_against_the_scale(tmp_path):
    path = tmp_path / "o.toml"
    path.write_text('["A"]\ngrade = 5\nreason = "seen on paper"\n\n["B"]\ngrade = 7\nreason = "x"\n')
    decided = load_overrides(path)
    a, b_ = Record("a", "A", "1", status=Status.AMBIGUOUS_MATCH), Record("b", "B", "2")
    b = batch([a, b_])
    b.scale, b.decided = 6.0, {"a": decided["A"]}
    pipeline.apply_person_grades(b)
    assert (a.status, a.grade, a.decided) == (Status.GRADED, 5.0, True)
    assert a.messages[-1].audience is Audience.PERSON_DECIDED
    b.decided = {"b": decided["B"]}
    with pytest.raises(OverrideError, match="grade = 7 is above the assignment's maximum grade 6"):
        pipeline.apply_person_grades(b)


def test_a_worksheet_of_another_assignment_is_told_by_its_name(tmp_path):
    sheet = build_worksheet(["Identifier", "Full name", "Grade", "Feedback comments"], [], "Grades-C-PW03-41.csv")
    download = tmp_path / "C-PW04-42.zip"
    download.write_bytes(b"")
    assert worksheet_fits(download, sheet, []) == (
        "Grades-C-PW03-41.csv is the worksheet of assignment 41 ('C-PW03'), the download is of assignment 42 "
        "('C-PW04')")


# ------------------------------------------------------------------ discover, read_notebooks, recalculate


def test_discover_reads_the_download_and_keeps_what_no_submission_owns_as_a_problem(tmp_path):
    download = tmp_path / "PW04-12.zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr("Group B_102_assignsubmission_file/work.xlsx", b"x")
        zf.writestr("Group A_101_assignsubmission_file/cnn.xlsx", b"y")
        zf.writestr("Group A_101_assignsubmission_file/../../escape.txt", b"z")
        zf.writestr("../outside.txt", b"w")
    before = download.read_bytes()
    b = pipeline.Batch(download, tmp_path / "work", pipeline.GradeOptions(rubric=load_rubric()), pipeline._Silent())
    pipeline.discover(b)
    assert [(s.name, s.moodle_id, [f.name for f in s.files]) for s in b.submissions] == [
        ("Group A", "101", ["cnn.xlsx"]), ("Group B", "102", ["work.xlsx"])]
    assert b.submissions[0].problems == [
        "member 'Group A_101_assignsubmission_file/../../escape.txt' refused: a path that climbs out of the archive "
        "('..')"]
    assert b.problems == ["member '../outside.txt' refused: a path that climbs out of the archive ('..')"]
    assert download.read_bytes() == before and not (tmp_path / "outside.txt").exists()
    assert all((tmp_path / "work") in f.parents for s in b.submissions for f in s.files)


def test_read_notebooks_reports_each_submissions_notebook_or_its_absence(tmp_path):
    write(keras_notebook(), tmp_path / "pw.ipynb")
    with_nb = Record("a", "A", "1", submission=submission("A_1_assignsubmission_file", "1", tmp_path / "pw.ipynb"))
    without = Record("b", "B", "2", submission=submission("B_2_assignsubmission_file", "2"))
    absent = Record("c", "C", "3")  # a participant with no submission
    pipeline.read_notebooks(batch([with_nb, without, absent]))
    assert with_nb.notebook.status is NotebookStatus.READ and with_nb.notebook.file == "pw.ipynb"
    assert without.notebook.status is NotebookStatus.MISSING
    assert absent.notebook is None


def formula_without_value(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+2"  # openpyxl stores no cached value: only a spreadsheet engine can give one
    wb.save(path)
    return path


def recalc_batch(tmp_path):
    kept = make_submission(tmp_path, RIGHT, name="values.xlsx")
    broken = tmp_path / "entities.ods"  # an .ods always goes through LibreOffice: checked before it
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    formula = formula_without_value(tmp_path / "formula.xlsx")
    recs = [Record(p.stem, p.stem, str(i), file=p.name, workbook_path=p)
            for i, p in enumerate((kept, broken, formula), 1)]
    b = pipeline.Batch(Path("dl.zip"), tmp_path / "work", pipeline.GradeOptions(rubric=load_rubric()),
                       pipeline._Silent(), records=recs)
    return b, recs


def test_recalculate_refuses_a_hostile_file_and_says_libreoffice_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("XLCNN_SOFFICE", str(tmp_path / "no-soffice"))
    b, (kept, broken, formula) = recalc_batch(tmp_path)
    pipeline.recalculate(b)
    assert kept.status is Status.GRADED and kept.key not in b.recalculated  # its cached values are read
    assert broken.status is Status.REFUSED and broken.workbook_path is None
    assert "its XML declares entities or a DTD (part 'content.xml')" in broken.texts()[-1]
    assert formula.status is Status.GRADED
    assert b.recalculated[formula.key].problem.startswith("LibreOffice is needed for this file")
    assert not b.recalculated[formula.key].stopped  # missing, not stopped on the file


def test_recalculate_gives_libreoffices_values_to_the_files_that_need_them(tmp_path, soffice):
    b, (kept, broken, formula) = recalc_batch(tmp_path)
    pipeline.recalculate(b)
    assert set(b.recalculated) == {formula.key}
    copy = b.recalculated[formula.key].copy
    assert copy is not None and (tmp_path / "work") in copy.parents
    assert openpyxl.load_workbook(copy, data_only=True).active["A1"].value == 3
    assert formula.lo_seconds > 0 and broken.status is Status.REFUSED


# ------------------------------------------------------------------ reassess_against_class, compare


@pytest.mark.parametrize("layout, labels", [
    (None, None), ("names", None), ("ranges", "given")],
    ids=["xlcnn's own layout", "a layout of defined names", "the handed-out workbook given"])
def test_reassess_against_class_has_nothing_to_do_when_the_class_cannot_teach_more(tmp_path, layout, labels):
    ranges = parse_layout(course_layout(), "course.toml")
    layouts = {None: None, "names": default_layout(), "ranges": ranges}
    given = labels_from_handout(open_workbook(blank(tmp_path / "blank.xlsx")), ranges) if labels else None
    rec = Record("a", "A", "1", labels={"Ex1a": [(1, 1, "moved")]}, status=Status.LAYOUT_MISMATCH)
    b = batch([rec], layout=layouts[layout], handout_labels=given)
    b.jobs = [AssessJob(rec, None, layouts[layout], load_rubric(), None, None, tmp_path)]
    pipeline.reassess_against_class(b)
    assert b.records == [rec] and rec.status is Status.LAYOUT_MISMATCH  # not assessed again


def test_reassess_against_class_finds_the_block_one_student_moved(tmp_path):
    layout = parse_layout(course_layout(), "course.toml")
    paths = [student(tmp_path / "a.xlsx"), student(tmp_path / "b.xlsx"),
             student(tmp_path / "moved.xlsx", edit=lambda wb: wb["Ex1a"].insert_rows(1, 3))]
    recs = [Record(p.stem, p.stem, str(i), file=p.name, workbook_path=p) for i, p in enumerate(paths, 1)]
    b = pipeline.Batch(Path("dl.zip"), tmp_path / "work", pipeline.GradeOptions(rubric=load_rubric(), layout=layout),
                       pipeline._Silent(), records=recs)
    pipeline.assess(b)
    first = {r.key: r for r in b.records}
    assert first["moved"].total < first["a"].total  # read where the layout says: the moved answers are missed
    pipeline.reassess_against_class(b)
    again = {r.key: r for r in b.records}
    assert again["moved"] is not first["moved"] and again["a"] is first["a"]  # only the one who differs
    assert again["moved"].total == again["a"].total == again["a"].max_total
    assert any("found 3 rows lower" in t for t in again["moved"].texts())


def test_compare_lists_who_handed_in_nothing_and_the_pairs_worth_a_look():
    header = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade", "Feedback comments"]
    rows = [[f"Participant {i}", name, f"{name.lower()}@example.org", "", "", "6.00", ""]
            for i, name in ((11, "Ada"), (12, "Bo"), (13, "Cy"))]
    sheet = build_worksheet(header, rows, "Grades-PW04-12.csv")
    records = match_records([submission("Ada_11_assignsubmission_file", "11"),
                             submission("Bo_12_assignsubmission_file", "12")], sheet)
    b = batch(records, worksheet=sheet)
    pipeline.compare(b)
    assert [p.full_name for p in b.run.absent] == ["Cy"]
    assert b.run.records == records and b.run.similarities == []  # nothing graded: nothing to compare


def test_partial_credit_over_cells_without_a_value_is_left_to_a_person(tmp_path):
    # a) S=1, P=0 expects [-2, 2, 1, 2, 1]: two right, one wrong, two formulas nobody calculated
    path = make_submission(tmp_path, {"Case1_Output": [-2, 2, 9, "=1+1", "=2-1"]})
    rec = Record("k", "Group 1", "1", file=path.name, workbook_path=path)
    done = assess_file(AssessJob(rec, Recalculated(problem="LibreOffice is needed for this file and is not "
                                                           "installed"), None, load_rubric(), load_example(), None,
                                 tmp_path / "feedback"))
    assert done.points["a.case1.output"] is None  # not 2/3 of the points: the two formulas may be right
    assert done.status is Status.NOT_CALCULATED and done.needs_person
