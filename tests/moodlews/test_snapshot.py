"""A pulled folder's ``moodle.json`` as the grading worksheet ``xlcnn grade`` needs: the columns
Moodle's own export has (no names under blind marking), ``Participant <n>`` identifiers, the team
groups, the grades as the text the export writes, the Maximum grade the scale is read from; and
reading the snapshot back from a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlcnn.grading.rubric import Rubric, Rule
from xlcnn.grading.scale import GradeScaleError, grade_scale
from xlcnn.moodle.worksheet import Participant, write_worksheet
from xlcnn.moodlews.client import MoodleError
from xlcnn.moodlews.pull import FORMAT
from xlcnn.moodlews.snapshot import SNAPSHOT, read_snapshot, worksheet

NAMED = ["Identifier", "Full name", "Email address", "Status", "Group", "Grade", "Maximum grade",
         "Grade can be changed", "Last modified (grade)", "Feedback comments"]
BLIND = ["Identifier", "Status", "Group", "Grade", "Maximum grade", "Grade can be changed", "Last modified (grade)",
         "Feedback comments"]
FOLDER = Path("pulled")


def person(uniqueid: int | None, name: str, group: int = 12, group_name: str = "Group 01",
           grade: float | None = None, comment: str | None = None, email: str = "") -> dict:
    """A participant as ``xlcnn moodle pull`` writes it into moodle.json."""
    email = email or (f"{name.split()[0].lower()}@example.org" if name else "")
    return {"user": 30 + (uniqueid or 0), "uniqueid": uniqueid, "fullname": name, "email": email, "group": group,
            "group_name": group_name, "feedback": {"grade": grade, "grade_time": 0, "grader": 0, "attempt": 0,
                                                   "comment": comment, "comment_format": 1, "files": []}}


def snapshot(*people: dict, team: bool = True, blind: bool = False, max_grade: object = 6.0) -> dict:
    return {"format": FORMAT, "max_grade": max_grade, "team": team, "blind": blind, "participants": list(people)}


ALICE = person(101, "Alice Martin", grade=4.5, comment="<p>Good work</p>")
BRUNO = person(102, "Bruno Diaz")
CHLOE = person(103, "Chloé Petit", group=13, group_name="Group 02", grade=0.0, email="chloe.petit@example.org")


def test_a_named_team_assignment_gives_moodles_columns_and_a_row_per_participant():
    sheet = worksheet(snapshot(ALICE, BRUNO, CHLOE), FOLDER)
    assert sheet.header == NAMED
    assert sheet.rows == [
        ["Participant 101", "Alice Martin", "alice@example.org", "", "Group 01", "4.50", "6.00", "Yes", "-",
         "<p>Good work</p>"],
        ["Participant 102", "Bruno Diaz", "bruno@example.org", "", "Group 01", "", "6.00", "Yes", "-", ""],
        ["Participant 103", "Chloé Petit", "chloe.petit@example.org", "", "Group 02", "0.00", "6.00", "Yes", "-", ""],
    ]
    assert sheet.columns == {"identifier": 0, "full_name": 1, "email": 2, "status": 3, "group": 4, "grade": 5,
                             "max": 6, "modified_grade": 8, "feedback": 9}
    assert not sheet.blind and sheet.source == str(FOLDER / SNAPSHOT)


def test_blind_marking_gives_no_name_and_no_email_column_as_moodles_export():
    sheet = worksheet(snapshot(person(7, "", grade=2.5), person(8, ""), blind=True), FOLDER)
    assert sheet.header == BLIND
    assert sheet.rows == [["Participant 7", "", "Group 01", "2.50", "6.00", "Yes", "-", ""],
                          ["Participant 8", "", "Group 01", "", "6.00", "Yes", "-", ""]]
    assert sheet.blind
    assert sheet.participants() == [Participant("7", "", "", "Group 01", 6.0),
                                    Participant("8", "", "", "Group 01", 6.0)]


@pytest.mark.parametrize("team, groups", [(True, ["Group 01", "Group 02"]), (False, ["", ""])],
                         ids=["team-submissions-carry-the-group", "individual-submissions-carry-none"])
def test_the_group_column_is_filled_for_team_submissions_only(team, groups):
    sheet = worksheet(snapshot(ALICE, CHLOE, team=team), FOLDER)
    assert [p.group for p in sheet.participants()] == groups


@pytest.mark.parametrize("grade, text", [(4.5, "4.50"), (6, "6.00"), (0.0, "0.00"), (None, ""), (3.125, "3.12"),
                                         (5.999, "6.00")],
                         ids=["half", "whole", "zero-is-a-grade", "not-graded-yet", "two-decimals-half-even",
                              "rounded-up"])
def test_a_grade_is_written_as_the_exports_text(grade, text):
    sheet = worksheet(snapshot(person(101, "Alice Martin", grade=grade)), FOLDER)
    assert sheet.get(sheet.rows[0], "grade") == text


@pytest.mark.parametrize("max_grade, text, scale", [(6.0, "6.00", 6.0), (10, "10.00", 10.0), ("7.5", "7.50", 7.5)],
                         ids=["float", "whole-number", "as-text"])
def test_the_maximum_grade_gives_the_assignments_scale(max_grade, text, scale):
    sheet = worksheet(snapshot(ALICE, BRUNO, max_grade=max_grade), FOLDER)
    assert {sheet.get(r, "max") for r in sheet.rows} == {text}
    assert sheet.decimal == "."
    assert grade_scale(sheet, Rubric((Rule("*", 1.0),)))[0] == scale


def test_an_assignment_graded_on_a_moodle_scale_stops_grading():
    sheet = worksheet(snapshot(ALICE, max_grade=-3), FOLDER)  # Moodle stores a scale as minus its id
    with pytest.raises(GradeScaleError, match=r"pulled/moodle.json: Maximum grade -3 is not a point scale"):
        grade_scale(sheet, Rubric((Rule("*", 1.0),)))


def test_a_participant_without_a_number_is_left_out():
    sheet = worksheet(snapshot(ALICE, person(None, "Nadia Noid")), FOLDER)
    assert [r[0] for r in sheet.rows] == ["Participant 101"]


@pytest.mark.parametrize("feedback, grade, comment", [
    ({}, "", ""),
    ({"grade": None, "comment": None}, "", ""),
    ({"grade": 1.5, "comment": "<p>see me &amp; <b>soon</b></p>"}, "1.50", "<p>see me &amp; <b>soon</b></p>"),
], ids=["no-feedback-at-all", "nothing-given-yet", "html-comment-kept-as-moodle-stores-it"])
def test_what_moodle_holds_now_is_carried_as_it_is(feedback, grade, comment):
    who = person(101, "Alice Martin") | {"feedback": feedback}
    sheet = worksheet(snapshot(who), FOLDER)
    row = sheet.rows[0]
    assert (sheet.get(row, "grade"), sheet.get(row, "feedback")) == (grade, comment)


def test_a_grade_already_in_moodle_keeps_its_time():
    who = person(101, "Alice Martin", grade=4.5)
    who["feedback"]["grade_time"] = 1780000000
    sheet = worksheet(snapshot(who), FOLDER)
    # 1780000000 s after 1970-01-01 UTC, with its offset: PHP's strtotime reads it the same in any time zone
    assert sheet.get(sheet.rows[0], "modified_grade") == "2026-05-28T20:26:40+00:00"


def test_no_participant_gives_a_header_only_worksheet():
    sheet = worksheet({"format": FORMAT, "team": True}, FOLDER)  # no participants, no maximum read
    assert sheet.header == NAMED and sheet.rows == []


def test_written_out_it_is_quoted_as_moodles_export(tmp_path):
    sheet = worksheet(snapshot(ALICE), FOLDER)
    write_worksheet(sheet, tmp_path / "grades.csv")
    assert (tmp_path / "grades.csv").read_bytes().decode("utf-8") == (
        '\ufeff"Identifier","Full name","Email address","Status","Group","Grade","Maximum grade",'
        '"Grade can be changed","Last modified (grade)","Feedback comments"\n'
        '"Participant 101","Alice Martin","alice@example.org","","Group 01","4.50","6.00","Yes","-",'
        '"<p>Good work</p>"\n')


# ------------------------------------------------------------------ reading the snapshot of a folder


def test_a_pulled_folders_snapshot_is_read_back(tmp_path):
    data = snapshot(ALICE)
    (tmp_path / SNAPSHOT).write_text(json.dumps(data), encoding="utf-8")
    assert read_snapshot(tmp_path) == data


def test_a_folder_without_a_snapshot_has_none(tmp_path):
    assert read_snapshot(tmp_path) is None


@pytest.mark.parametrize("text, match", [
    ("{not json", r"moodle.json: not readable"),
    (json.dumps({"format": "something else/1"}), r"moodle.json: not a moodle.json written by `xlcnn moodle pull`"),
    (json.dumps([1, 2]), r"not a moodle.json written by `xlcnn moodle pull`"),
], ids=["broken-json", "another-format", "not-an-object"])
def test_a_snapshot_that_is_not_xlcnns_is_refused(tmp_path, text, match):
    (tmp_path / SNAPSHOT).write_text(text, encoding="utf-8")
    with pytest.raises(MoodleError, match=match):
        read_snapshot(tmp_path)
