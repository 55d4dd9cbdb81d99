"""The push's planner, without Moodle: one action per student from what was pulled, what the last
push left, what Moodle holds now and what xlcnn would send."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from xlcnn.moodlews.push import (
    PushError,
    Target,
    check_grades,
    check_members,
    plan,
    summary,
)
from xlcnn.moodlews.site import Feedback

BOOK = b"PK annotated workbook"
FILE = [{"name": "cnn-ex1-stud-feedback.xlsx", "size": len(BOOK), "timemodified": 200}]


def target(grade=4.5, comment="Exercise 1: 21/28 points.", attempt=0, submitted=100) -> Target:
    return Target(7, "Participant 3", "Group 01_12_assignsubmission_file", "Group 01", grade, comment,
                  [("cnn-ex1-stud-feedback.xlsx", BOOK)], attempt, submitted)


def fb(grade=None, comment=None, files=(), grade_time=0, grader=0, attempt=0, submitted=100) -> Feedback:
    return Feedback(grade, grade_time, grader, 0, comment, 1, list(files), submitted, attempt, "submitted")


EMPTY = fb()
PUSHED = fb(4.5, "Exercise 1: 21/28 points.", FILE, grade_time=200, grader=3)
JOURNAL = {7: {"grade": 4.5, "comment_sha1": hashlib.sha1(b"Exercise 1: 21/28 points.").hexdigest(),
               "files": [{"name": "cnn-ex1-stud-feedback.xlsx", "sha1": target().file_sums[
                   "cnn-ex1-stud-feedback.xlsx"]}], "kept": [], "state": PUSHED.as_json()}}

CASES = [
    pytest.param(target(), EMPTY, EMPTY, {}, False, "create", "", id="nothing-in-moodle-create"),
    pytest.param(target(), PUSHED, EMPTY, JOURNAL, False, "unchanged", "", id="already-there-unchanged"),
    pytest.param(target(5.0), PUSHED, EMPTY, JOURNAL, False, "update", "", id="regraded-after-our-push-update"),
    pytest.param(target(5.0), fb(4.5, "Exercise 1: 21/28 points.", FILE, 300, 9), EMPTY, JOURNAL, False, "skip",
                 "the grade's record changed in Moodle since the last push", id="person-changed-after-our-push-skip"),
    pytest.param(target(), fb(2.0, "see me", grade_time=50, grader=9), fb(2.0, "see me", grade_time=50, grader=9), {},
                 False, "update", "", id="same-as-pulled-update"),
    pytest.param(target(), fb(1.5, "see me", grade_time=400, grader=9), fb(2.0, "see me", grade_time=50, grader=9),
                 {}, False, "skip", "the grade changed in Moodle since the pull", id="regraded-after-the-pull-skip"),
    pytest.param(target(), fb(1.5, "see me", grade_time=400, grader=9), fb(2.0, "see me", grade_time=50, grader=9),
                 {}, True, "update", "--overwrite", id="overwrite-replaces-it"),
    pytest.param(target(), fb(attempt=1), EMPTY, {}, True, "skip", "handed in again", id="new-attempt-skip"),
    pytest.param(target(), fb(submitted=500), EMPTY, {}, True, "skip", "handed in again", id="resubmitted-skip"),
]


@pytest.mark.parametrize("t, now, pulled, journal, overwrite, kind, why", CASES)
def test_plan(t, now, pulled, journal, overwrite, kind, why):
    [action] = plan([t], {7: now}, {7: pulled}, journal, overwrite)
    assert action.kind == kind
    assert action.why.startswith(why) if why else action.why == ""
    assert action.send_grade is (kind in ("create", "update"))


def test_a_teachers_file_is_kept_in_the_draft():
    theirs = {"name": "teacher-notes.txt", "size": 18, "timemodified": 50}
    now = fb(None, None, [theirs])
    [action] = plan([target()], {7: now}, {7: now}, {}, False)
    assert action.kind == "update" and action.send_files and action.keep_files == [theirs]


def test_our_own_earlier_file_is_not_a_teachers():
    [action] = plan([target(5.0)], {7: PUSHED}, {7: EMPTY}, JOURNAL, False)
    assert action.keep_files == []


def test_unchanged_sends_nothing_and_counts():
    actions = plan([target()], {7: PUSHED}, {7: EMPTY}, JOURNAL)
    assert summary(actions) == {"create": 0, "update": 0, "unchanged": 1, "skip": 0, "decided": 0}
    assert not actions[0].send_grade and not actions[0].send_files


@pytest.mark.parametrize("grade", [-0.5, 6.01, 60])
def test_a_grade_outside_the_scale_stops_everything(grade):
    with pytest.raises(PushError, match=r"outside 0\.\.6, the assignment's scale.*nothing was sent"):
        check_grades([target(), target(grade)], 6)


def test_grades_on_the_scale_pass():
    check_grades([target(0), target(6)], 6)


@pytest.mark.parametrize("now, kept", [({7: 12, 8: 12}, True), ({7: 12, 8: 12, 9: 12}, False), ({7: 0, 8: 12}, False)],
                         ids=["same-members", "someone-joined", "student-left"])
def test_a_group_whose_members_changed_is_held(now, kept):
    snapshot = {"team": True, "folders": {"Group 01_12_assignsubmission_file": {"group": 12, "users": [7, 8]}}}
    found, skips = check_members([target()], snapshot, now)
    assert (len(found), len(skips)) == ((1, 0) if kept else (0, 1))
    if not kept:
        assert skips[0].why.startswith("the group's members changed in Moodle since the pull")


# Marking workflow before release: the web services show the grade record (mod_assign_get_grades) but
# neither the comment nor the feedback files; what a person did shows as a newer record.
def hidden(grade=None, grade_time=0, grader=0, state="", attempt=0, submitted=100) -> Feedback:
    out = fb(grade, None, (), grade_time, grader, attempt, submitted)
    out.hidden, out.workflow_state = True, state
    return out


H_PUSHED = hidden(4.5, 200, 3, "inmarking")
H_JOURNAL = {7: JOURNAL[7] | {"state": H_PUSHED.as_json()}}

HIDDEN_CASES = [
    pytest.param(target(), hidden(), hidden(), {}, False, False, "create", True, id="nothing-create"),
    pytest.param(target(), H_PUSHED, hidden(), H_JOURNAL, False, False, "unchanged", False,
                 id="second-push-unchanged"),
    pytest.param(target(5.0), H_PUSHED, hidden(), H_JOURNAL, False, False, "update", False,
                 id="regraded-update-keeps-the-files-sent"),
    pytest.param(target(), hidden(4.5, 300, 9, "inmarking"), hidden(), H_JOURNAL, False, False, "skip", False,
                 id="comment-written-after-our-push-skip"),
    pytest.param(target(), hidden(None, 300, 9), hidden(), {}, False, False, "skip", False,
                 id="comment-only-after-the-pull-skip"),
    pytest.param(target(), hidden(2.0, 50, 9), hidden(2.0, 50, 9), {}, False, False, "skip", False,
                 id="graded-before-the-pull-unseen-skip"),
    pytest.param(target(), hidden(2.0, 50, 9), hidden(2.0, 50, 9), {}, True, False, "update", True,
                 id="graded-before-the-pull-overwrite"),
    pytest.param(target(), hidden(None, 100, -1), hidden(), {}, False, False, "create", True,
                 id="record-nobody-saved-create"),
    pytest.param(target(), H_PUSHED, hidden(), H_JOURNAL, False, True, "update", False, id="release-asked"),
]


@pytest.mark.parametrize("t, now, pulled, journal, overwrite, release, kind, files", HIDDEN_CASES)
def test_plan_under_marking_workflow(t, now, pulled, journal, overwrite, release, kind, files):
    [action] = plan([t], {7: now}, {7: pulled}, journal, overwrite, release)
    assert (action.kind, action.send_files) == (kind, files)
    assert action.release is (release and kind != "skip")


def test_a_person_skip_is_decided_and_counted_apart():
    from xlcnn.moodlews.push import targets

    results = {"submissions": [{"folders": ["F"], "status": "skipped", "override": "skipped by a person: resit"},
                               {"folders": ["G"], "status": "inputs changed", "grade": None}]}
    snapshot = {"participants": [{"user": 7, "uniqueid": 3}, {"user": 8, "uniqueid": 4}], "blind": True,
                "folders": {"F": {"users": [7]}, "G": {"users": [8]}}}
    found, skips = targets(results, snapshot, Path("/nonexistent"))
    assert found == [] and [(a.why, a.decided, a.needs_person) for a in skips] == [
        ("skipped by a person: resit", True, False),
        ("held for a person (inputs changed): nothing is sent", False, True)]
    assert summary(skips) == {"create": 0, "update": 0, "unchanged": 0, "skip": 1, "decided": 1}
