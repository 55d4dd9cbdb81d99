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
from xlcnn.grading.record import Audience, Record, Status
from xlcnn.grading.rubric import load_rubric
from xlcnn.handout.examples import load_example
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
