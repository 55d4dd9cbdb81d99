"""The grade scale and the similarity ranking, one rule at a time on records made in memory."""

from __future__ import annotations

import pytest

from xlcnn.grading.record import Record
from xlcnn.grading.rubric import Rubric, Rule
from xlcnn.grading.scale import GradeScaleError, grade_scale
from xlcnn.grading.similarity import MAX_PAIRS, similar
from xlcnn.moodle.worksheet import build_worksheet
from xlcnn.workbook.checking import CheckReport, QuestionResult
from xlcnn.workbook.verdict import Answer

RUBRIC = Rubric((Rule("*", 1.0),))


def sheet(*maxima: str, with_max: bool = True):
    header = ["Identifier", "Full name", "Grade"] + (["Maximum grade"] if with_max else []) + ["Feedback comments"]
    rows = [[f"Participant {i}", f"P {i}", ""] + ([m] if with_max else []) + [""] for i, m in enumerate(maxima, 1)]
    return build_worksheet(header, rows, "Grades-PW04-12.csv")


SCALES = [
    pytest.param(sheet("6.00", "6.00"), RUBRIC, (6.0, "Maximum grade 6 (worksheet)"), id="worksheet"),
    pytest.param(sheet("10,00"), RUBRIC, (10.0, "Maximum grade 10 (worksheet)"), id="worksheet-decimal-comma"),
    pytest.param(None, Rubric(RUBRIC.rules, grade_max=20, source="r.toml"), (20.0, "grade_max 20 (r.toml)"),
                 id="rubric-grade-max"),
    pytest.param(sheet("6.00"), Rubric(RUBRIC.rules, grade_max=6, source="r.toml"),
                 (6.0, "Maximum grade 6 (worksheet)"),
                 id="both-agree"),
]


@pytest.mark.parametrize("worksheet, rubric, expected", SCALES)
def test_the_scale_and_where_it_comes_from(worksheet, rubric, expected):
    assert grade_scale(worksheet, rubric) == expected


@pytest.mark.parametrize("worksheet, rubric, words", [
    (None, RUBRIC, "no grading worksheet was given"),
    (sheet("", with_max=False), RUBRIC, "the worksheet has no Maximum grade column"),
], ids=["no-worksheet", "no-maximum-column"])
def test_an_unknown_scale_gives_no_grade_and_says_why(worksheet, rubric, words):
    scale, note = grade_scale(worksheet, rubric)
    assert scale is None and words in note and "no grade was written" in note


@pytest.mark.parametrize("worksheet, rubric, words", [
    (sheet("6.00", "10.00"), RUBRIC, "holds several values (6, 10)"),
    (sheet("-3"), RUBRIC, "is not a point scale"),
    (sheet("6.00"), Rubric(RUBRIC.rules, grade_max=10, source="r.toml"), "grade_max = 10, but Moodle's worksheet says"),
], ids=["two-maxima", "a-moodle-scale", "rubric-disagrees"])
def test_a_contradictory_scale_stops_the_run(worksheet, rubric, words):
    with pytest.raises(GradeScaleError, match=words.replace("(", r"\(").replace(")", r"\)")):
        grade_scale(worksheet, rubric)


# ------------------------------------------------------------------ similarity


def record(name: str, answers: dict[str, tuple[str, str]], **metadata) -> Record:
    questions = [QuestionResult(qid, qid, "a", Answer(status), "", given, [])
                 for qid, (status, given) in answers.items()]
    rec = Record(name, name, "1", report=CheckReport(f"{name}.xlsx", questions))
    rec.metadata = {"creator": "", "last_modified_by": "", "created": "", **metadata}
    return rec


RIGHT = ("right", "5")


def test_a_rare_shared_wrong_answer_is_worth_a_look():
    recs = [record("A", {"q1": ("wrong", "7"), "q2": RIGHT}), record("B", {"q1": ("wrong", "7"), "q2": RIGHT})]
    recs += [record(f"R{i}", {"q1": RIGHT, "q2": RIGHT}) for i in range(10)]
    [pair] = similar(recs)
    assert (pair.a, pair.b) == ("A", "B")
    assert pair.reason == ("the same wrong answer: q1 (7; no other submission gave it); "
                           "every answer identical, right and wrong")


def test_a_common_mistake_proves_nothing():
    """Half the class gives the same wrong answer to q1; their other answers differ: no pair."""
    recs = [record(f"W{i}", {"q1": ("wrong", "7"), "q2": ("wrong", str(10 + i))}) for i in range(6)]
    recs += [record(f"R{i}", {"q1": RIGHT, "q2": RIGHT}) for i in range(6)]
    assert similar(recs) == []


def test_metadata_most_of_the_class_shares_is_the_templates_and_proves_nothing():
    recs = [record(f"S{i}", {"q1": RIGHT}, creator="teacher") for i in range(8)]
    recs += [record("X", {"q1": RIGHT}, last_modified_by="Eve"), record("Y", {"q1": RIGHT}, last_modified_by="Eve")]
    [pair] = similar(recs)
    assert (pair.a, pair.b) == ("X", "Y") and "the same document metadata (last saved by Eve)" in pair.reason


def test_the_rarer_the_shared_answer_the_higher_the_pair_ranks():
    recs = [record("A", {"q1": ("wrong", "7"), "q2": ("wrong", "9")}),
            record("B", {"q1": ("wrong", "7"), "q2": ("wrong", "9")}),
            record("C", {"q1": ("wrong", "3"), "q2": RIGHT}), record("D", {"q1": ("wrong", "3"), "q2": RIGHT})]
    recs += [record(f"R{i}", {"q1": RIGHT, "q2": RIGHT}) for i in range(20)]
    pairs = similar(recs)
    assert [(p.a, p.b) for p in pairs] == [("A", "B"), ("C", "D")]


def test_the_list_is_short_enough_to_be_read():
    recs = [record(f"S{i:02}", {"q1": ("wrong", "7")}, last_modified_by=f"u{i // 2}") for i in range(80)]
    recs += [record(f"R{i}", {"q1": RIGHT}) for i in range(200)]
    assert len(similar(recs)) <= MAX_PAIRS
