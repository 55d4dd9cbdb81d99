"""The rubric on its own: a teacher's TOML read into rules (points, partial credit, tolerance,
grade_max, the notebook's optional points), which rule gives a question its points, what one
question scores, what a whole checked workbook totals, and every rubric refused with the words
that say what to fix. (tests/grading/test_grade.py runs a few refusals end to end.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.factories import RIGHT, make_submission
from xlcnn.files.opening import open_workbook
from xlcnn.grading.assess import assess
from xlcnn.grading.record import Record, Status
from xlcnn.grading.rubric import Rubric, RubricError, Rule, load_rubric, parse_rubric, score
from xlcnn.workbook.verdict import Answer

DATA = Path(__file__).resolve().parents[2] / "xlcnn" / "data"

# Every question id of the shipped workbook, as `xlcnn check --json` lists them.
QUESTION_IDS = [f"a.case{k}.{what}" for k in range(1, 6) for what in ("output", "size", "same")] + [
    "b.maps", "b.volume1", "b.volume2", "b.preserve", "b.values1", "b.values2"]


def toml(*questions: str, head: str = "") -> str:
    """A rubric's text: top-level lines, then one [[question]] table per argument."""
    return head + "".join(f"\n[[question]]\n{q}\n" for q in questions)


def refused(text: str, words: str) -> None:
    with pytest.raises(RubricError, match=words):
        parse_rubric(text, "r.toml")


# ------------------------------------------------------------------ reading the TOML


def test_a_full_rubric_is_read_in_order_with_every_setting():
    text = toml('match = "a.case*.output"\npoints = 2\npartial = true', 'match = "b.maps"\npoints = 1',
                head="tolerance = 0.05\ngrade_max = 6\n[notebook]\ndeeper_cnns = 0.5\n")
    rubric = parse_rubric(text, "week4.toml")
    assert rubric == Rubric((Rule("a.case*.output", 2.0, True), Rule("b.maps", 1.0, False)), tolerance=0.05,
                            grade_max=6.0, source="week4.toml", notebook={"deeper_cnns": (0.5, 5)})


def test_what_a_teacher_leaves_out_takes_the_documented_default():
    rubric = parse_rubric(toml('match = "*"\npoints = 1'), "r.toml")
    assert (rubric.tolerance, rubric.grade_max, rubric.notebook) == (0.01, None, {})
    assert rubric.rules == (Rule("*", 1.0, partial=False),)


def test_whole_numbers_are_read_as_points_and_a_question_may_be_worth_nothing():
    rubric = parse_rubric(toml('match = "b.maps"\npoints = 0', 'match = "*"\npoints = 3', head="tolerance = 0\n"),
                          "r.toml")
    assert [(r.points, type(r.points)) for r in rubric.rules] == [(0.0, float), (3.0, float)]
    assert rubric.tolerance == 0.0  # exact answers only: allowed


@pytest.mark.parametrize("table, expected", [
    ("dense_1layer = 1", {"dense_1layer": (1.0, 1)}),
    ("deeper_cnns = 0.5", {"deeper_cnns": (0.5, 5)}),
    ("review_answers = 0.25", {"review_answers": (0.25, 8)}),
    ("table = 0\nweights_plot = 0.5", {"weights_plot": (0.5, 1)}),
    ("", {}),
], ids=["one-item-worth-one", "per-cnn-up-to-five", "per-answer-up-to-eight", "zero-points-means-off", "empty-table"])
def test_the_notebooks_optional_points_per_item_and_how_many_can_earn_them(table, expected):
    rubric = parse_rubric(f"[notebook]\n{table}\n" + toml('match = "*"\npoints = 1'), "r.toml")
    assert rubric.notebook == expected


REFUSED = [
    pytest.param(toml('match = "*"\npoints = 1', 'points = 2'), r"r\.toml: question 2 needs match = ",
                 id="second-rule-without-match"),
    pytest.param(toml('match = 3\npoints = 1'), r"question 1 needs match = \"<question id pattern>\"",
                 id="match-not-text"),
    pytest.param('question = ["b.maps"]', "question 1 needs match", id="question-not-a-table"),
    pytest.param(toml('match = "b.maps"'), r"question 1 \(b\.maps\): points must be a number >= 0, got None",
                 id="points-left-out"),
    pytest.param(toml('match = "*"\npoints = 1', 'match = "b.*"\npoints = -1'),
                 r"question 2 \(b\.\*\): points must be a number >= 0, got -1", id="negative-points"),
    pytest.param(toml('match = "*"\npoints = true'), "points must be a number >= 0, got True", id="points-true"),
    pytest.param(toml('match = "*"\npoints = 1', head='tolerance = "0.1"\n'),
                 "r.toml: tolerance must be a number >= 0, got '0.1'", id="tolerance-as-text"),
    pytest.param(toml('match = "*"\npoints = 1', head="tolerance = false\n"),
                 "tolerance must be a number >= 0, got False", id="tolerance-false"),
    pytest.param(toml('match = "*"\npoints = 1', head="grade_max = -6\n"),
                 "r.toml: grade_max must be a number > 0, got -6", id="grade-max-negative"),
    pytest.param(toml('match = "*"\npoints = 1', head='grade_max = "6"\n'),
                 "grade_max must be a number > 0, got '6'", id="grade-max-as-text"),
    pytest.param(toml('match = "*"\npoints = 1', head="grade_max = true\n"),
                 "grade_max must be a number > 0, got True", id="grade-max-true"),
    pytest.param("question = []", r"r\.toml: no \[\[question\]\] rules", id="empty-question-list"),
    pytest.param("", r"no \[\[question\]\] rules", id="empty-file"),
    pytest.param("[[question]\nmatch = '*'", r"r\.toml: not valid TOML", id="broken-toml"),
    pytest.param("notebook = 3\n" + toml('match = "*"\npoints = 1'),
                 "r.toml: \\[notebook\\] must be a table of checklist item = points", id="notebook-not-a-table"),
    pytest.param("[notebook]\ndeeper_cnn = 1\n" + toml('match = "*"\npoints = 1'),
                 r"\[notebook\] has no item 'deeper_cnn' \(known: dense_1layer, weights_plot, dense_2layer, "
                 r"simple_cnn, deeper_cnns, table, review_answers\)", id="notebook-item-misspelt"),
    pytest.param("[notebook]\ntable = -1\n" + toml('match = "*"\npoints = 1'),
                 r"\[notebook\] table: points must be a number >= 0, got -1", id="notebook-negative"),
    pytest.param("[notebook]\ntable = true\n" + toml('match = "*"\npoints = 1'),
                 r"\[notebook\] table: points must be a number >= 0, got True", id="notebook-true"),
    pytest.param("[notebook]\ntable = '1'\n" + toml('match = "*"\npoints = 1'),
                 r"\[notebook\] table: points must be a number >= 0, got '1'", id="notebook-as-text"),
]


@pytest.mark.parametrize("text, words", REFUSED)
def test_a_malformed_rubric_is_refused_naming_the_file_and_the_fix(text, words):
    refused(text, words)


@pytest.mark.parametrize("value", ['"false"', '"no"'], ids=["text-false", "text-no"])
def test_partial_must_be_true_or_false(value):
    refused(toml(f'match = "*"\npoints = 1\npartial = {value}'), "partial must be true or false")


@pytest.mark.parametrize("text", [
    toml('match = "*"\npoints = nan'),
    toml('match = "*"\npoints = inf'),
    toml('match = "*"\npoints = 1', head="tolerance = nan\n"),
    toml('match = "*"\npoints = 1', head="grade_max = nan\n"),
    toml('match = "*"\npoints = 1', head="grade_max = inf\n"),
], ids=["points-nan", "points-inf", "tolerance-nan", "grade-max-nan", "grade-max-inf"])
def test_a_number_that_is_not_finite_is_refused(text):
    refused(text, "must be a")


@pytest.mark.parametrize("text", [
    toml('match = "a.case*.output"\npoints = 2\npartal = true', 'match = "*"\npoints = 1'),
    toml('match = "*"\npoints = 1', head="tolerence = 0.5\n"),
    toml('match = "*"\npoints = 1', head="grade_maximum = 6\n"),
], ids=["partial-misspelt", "tolerance-misspelt", "grade-max-misspelt"])
def test_a_misspelt_key_is_refused(text):
    refused(text, "unknown key")


def test_a_single_question_table_is_told_to_use_double_brackets():
    refused('[question]\nmatch = "*"\npoints = 1', r"\[\[question\]\]")


# ------------------------------------------------------------------ which rule gives the points

RULES = Rubric((Rule("a.case1.output", 3), Rule("a.case*.output", 2, True), Rule("a.*", 0.5),
                Rule("b.volume?", 1), Rule("b.values[12]", 4.5, True), Rule("*", 0)), source="r.toml")


@pytest.mark.parametrize("qid, expected", [
    ("a.case1.output", Rule("a.case1.output", 3)),
    ("a.case4.output", Rule("a.case*.output", 2, True)),
    ("a.case4.size", Rule("a.*", 0.5)),
    ("b.volume2", Rule("b.volume?", 1)),
    ("b.volume10", Rule("*", 0)),
    ("b.values2", Rule("b.values[12]", 4.5, True)),
    ("b.values3", Rule("*", 0)),
    ("A.case1.size", Rule("*", 0)),
], ids=["exact-before-wildcard", "star-in-the-middle", "star-crosses-dots", "question-mark-one-character",
        "question-mark-not-two", "character-set", "outside-the-set", "case-sensitive"])
def test_the_first_rule_that_matches_wins(qid, expected):
    assert RULES.rule_for(qid) == expected


def test_an_earlier_broad_rule_shadows_a_later_specific_one():
    rubric = Rubric((Rule("b.*", 1), Rule("b.values*", 4.5, True)))
    assert rubric.rule_for("b.values1") == Rule("b.*", 1)


@pytest.mark.parametrize("qid", ["b.maps", "a.case1"], ids=["other-part", "prefix-of-a-pattern-only"])
def test_a_question_no_rule_matches_is_refused_with_the_rule_to_add(qid):
    rubric = Rubric((Rule("a.case*.output", 2),), source="week4.toml")
    with pytest.raises(RubricError) as info:
        rubric.rule_for(qid)
    assert str(info.value) == (f"week4.toml: no rule gives points to question {qid!r}; "
                               f'add a [[question]] with match = "{qid}"')


# ------------------------------------------------------------------ one question's points

SCORES = [
    pytest.param(Answer.RIGHT, 0, 0, Rule("x", 2, True), (2, 2, "right"), id="right-ignores-the-cell-count"),
    pytest.param(Answer.WRONG, 1, 3, Rule("x", 1, True), (0.3333, 1, "1 of 3 cells right"),
                 id="a-third-rounded-to-four-places"),
    pytest.param(Answer.WRONG, 7, 9, Rule("x", 4.5, True), (3.5, 4.5, "7 of 9 cells right"), id="seven-of-nine"),
    pytest.param(Answer.WRONG, 3, 5, Rule("x", 2, True), (1.2, 2, "3 of 5 cells right"), id="three-of-five"),
    pytest.param(Answer.WRONG, 3, 4, Rule("x", 2, True), (1.5, 2, "3 of 4 cells right"),
                 id="a-filled-cell-that-must-stay-empty-counts"),
    pytest.param(Answer.WRONG, 0, 5, Rule("x", 2, True), (0, 2, "0 of 5 cells right"), id="partial-none-right"),
    pytest.param(Answer.WRONG, 0, 0, Rule("x", 2, True), (0, 2, "wrong"), id="partial-nothing-counted"),
    pytest.param(Answer.MISSING, 0, 5, Rule("x", 2, True), (0, 2, "missing"), id="missing-partial"),
    pytest.param(Answer.NOT_CALCULATED, 2, 5, Rule("x", 2, True), (None, 2, "formulas not calculated"),
                 id="not-calculated-partial-waits-for-a-person"),
    pytest.param(Answer.WRONG, 1, 1, Rule("x", 0), (0, 0, "wrong"), id="worth-nothing-wrong"),
    pytest.param(Answer.RIGHT, 1, 1, Rule("x", 0), (0, 0, "right"), id="worth-nothing-right"),
]


@pytest.mark.parametrize("status, right, counted, rule, expected", SCORES)
def test_one_questions_points_maximum_and_reason(status, right, counted, rule, expected):
    assert score(status, right, counted, rule) == expected


# ------------------------------------------------------------------ the shipped rubric and a whole workbook

DEFAULT_POINTS = {"output": (2.0, True), "size": (0.5, False), "same": (0.5, False), "b.maps": (1.0, False),
                  "b.volume1": (1.0, False), "b.volume2": (1.0, False), "b.preserve": (1.0, False),
                  "b.values1": (4.5, True), "b.values2": (4.5, True)}


def test_the_shipped_rubric_gives_every_question_its_points_out_of_28():
    rubric = load_rubric()
    assert (rubric.source, rubric.tolerance, rubric.grade_max, rubric.notebook) == ("default rubric", 0.01, None, {})
    for qid in QUESTION_IDS:
        rule = rubric.rule_for(qid)
        key = qid if qid.startswith("b.") else qid.rsplit(".", 1)[1]
        assert (rule.points, rule.partial) == DEFAULT_POINTS[key], qid
    # a) 5 cases x (2 + 0.5 + 0.5) = 15; b) 1 + 1 + 1 + 1 + 4.5 + 4.5 = 13
    assert sum(rubric.rule_for(q).points for q in QUESTION_IDS) == 28


def test_a_teachers_file_is_named_in_its_messages(tmp_path):
    path = tmp_path / "week4.toml"
    path.write_text(toml('match = "a.*"\npoints = 1'), encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.source == str(path)
    with pytest.raises(RubricError, match=f"^{path}: no rule gives points to question 'b.maps'"):
        rubric.rule_for("b.maps")


@pytest.mark.parametrize("content, words", [
    (None, "no such rubric"),
    ("tolerance = 0.1\n# é".encode("latin-1"), "cannot read the rubric: not UTF-8 text"),
], ids=["missing-file", "not-utf8"])
def test_a_rubric_file_that_cannot_be_read_is_refused(tmp_path, content, words):
    path = tmp_path / "r.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RubricError, match=words):
        load_rubric(path)


def test_the_shipped_rubric_file_is_the_default():
    assert load_rubric(DATA / "rubric.toml").rules == load_rubric().rules


def graded(tmp_path: Path, answers: dict, rubric: Rubric) -> Record:
    path = make_submission(tmp_path, answers)
    rec = Record("k", "Group 1", "1", file=path.name, workbook_path=path)
    book = open_workbook(path)
    assess(rec, book, None, rubric, None, None, set(book.uncalculated()))
    return rec


def test_a_checked_workbook_totals_full_and_partial_points(tmp_path):
    answers = dict(RIGHT, Case1_Output=[-2, 2, 1, 9, 9], Case2_Size=4,
                   Output2D_K1=[5, 9, 10, 16, 12, 15, 16, 0, 0])
    rec = graded(tmp_path, answers, load_rubric())
    assert rec.status is Status.GRADED
    # 2 * 3/5 = 1.2; 0 for a wrong size; 4.5 * 7/9 = 3.5; the rest in full
    assert (rec.points["a.case1.output"], rec.points["a.case2.size"], rec.points["b.values1"]) == (1.2, 0.0, 3.5)
    assert rec.max_points["a.case1.output"] == 2 and rec.max_points["b.values1"] == 4.5
    assert rec.max_total == 28
    assert rec.total == pytest.approx(28 - 0.8 - 0.5 - 1.0)  # 25.7


def test_a_teachers_rubric_changes_the_points_of_a_checked_workbook(tmp_path):
    rubric = parse_rubric(toml('match = "b.values*"\npoints = 3', 'match = "*"\npoints = 0.5'), "r.toml")
    rec = graded(tmp_path, dict(RIGHT, Output2D_K1=[5, 9, 10, 16, 12, 15, 16, 0, 0]), rubric)
    # no partial credit: values1 scores 0 of 3; 19 other questions at 0.5 and values2 at 3
    assert rec.points["b.values1"] == 0 and rec.max_total == 19 * 0.5 + 2 * 3
    assert rec.total == pytest.approx(19 * 0.5 + 3)


def test_grading_stops_on_a_question_the_rubric_forgets(tmp_path):
    rubric = parse_rubric(toml('match = "a.*"\npoints = 1'), "r.toml")
    with pytest.raises(RubricError, match="r.toml: no rule gives points to question 'b.maps'"):
        graded(tmp_path, RIGHT, rubric)
