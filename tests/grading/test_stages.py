"""Grading's stages and types, one at a time, on small workbooks: the declared stage list, who
reads which message, a changed input cell found and outlined, an error's path and exit code."""

from __future__ import annotations

import pickle
from pathlib import Path

import openpyxl
import pytest

from tests.support.factories import RIGHT, make_submission
from xlcnn.errors import WorkbookError, XlcnnError
from xlcnn.files.opening import open_workbook
from xlcnn.grading import pipeline
from xlcnn.grading.assess import AssessJob, assess_file, changed_cells, inputs_changed
from xlcnn.grading.feedback import comment_text, reader_notes
from xlcnn.grading.intake import match as match_records
from xlcnn.grading.intake import worksheet_fits
from xlcnn.grading.overrides import OverrideError, load_overrides
from xlcnn.grading.record import Audience, Record, Status
from xlcnn.grading.rubric import Rubric, load_rubric
from xlcnn.handout.examples import load_example
from xlcnn.moodle.download import Submission
from xlcnn.moodle.worksheet import build_worksheet
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
