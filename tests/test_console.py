"""What the terminal shows, rendered into a string by a rich Console of a fixed width: the answers
and their worked computations, a check report (full and hints), the grade summary, the class
statistics, a Moodle site check and the push plan. The words a student, TA or teacher must read
are there, nothing is cut off at 80 columns, and text that came from a file (a student's cell, a
file, sheet or group name, a message quoting them) is printed as written, never read as rich markup.
(tests/test_first_time.py runs `xlcnn check` and `xlcnn grade` end to end.)"""

from __future__ import annotations

import dataclasses
import io
import re

import pandas as pd
import pytest
from rich.console import Console

from xlcnn.console import print_answers, print_check, print_grades, print_moodle_check, print_push_plan, print_stats
from xlcnn.core.exercise import solve
from xlcnn.grading.record import Audience, GradeRun, Record, Similarity, Status
from xlcnn.grading.rubric import Rubric, Rule
from xlcnn.handout.examples import load_example
from xlcnn.moodlews.push import Action, Target
from xlcnn.moodlews.site import OPTIONAL, READS, WRITES, Assignment, Feedback, Site
from xlcnn.workbook.checking import NOT_CALCULATED_HINT, CellResult, CheckReport, QuestionResult
from xlcnn.workbook.verdict import Answer, InputsCheck

MARKUP = ["[bold]-2[/]", "[/]", "x[/bold]y", "[red]G1[/red]", "a\\"]  # what a student may type, or name a file


def render(print_fn, *args, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    print_fn(*args, console=console)
    return console.file.getvalue()


def flat(text: str) -> str:
    """The text with its line breaks and runs of spaces made one space (for a wrapped sentence)."""
    return " ".join(text.split())


def cells(text: str) -> str:
    """A table's text, its rows read as lines of words (the column rules made spaces)."""
    return flat(text.replace("│", " ").replace("┃", " "))


def assert_nothing_cut(out: str, width: int = 80, long_lines: int = 0) -> None:
    """No line wider than the terminal (but ``long_lines`` soft-wrapped ones) and no word cut to "…"."""
    assert sum(len(line) > width for line in out.splitlines()) == long_lines, out
    assert not re.search(r"\S…", out), out


# ------------------------------------------------------------------ xlcnn answers


@pytest.fixture(scope="module")
def answers_text():
    return render(print_answers, solve(load_example()), width=80)


@pytest.mark.parametrize("words", [
    "a) 1D convolution",
    "input x = [0, 1, 2, -1, 1, -3, 0] (N = 7),  filter w = [1, 0, -1] (F = 3),  bias b = 0",
    "S=1, P=0 y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2 y[1] = 1*1 + 2*0 + (-1)*(-1) + 0 = 2",
    "S=2, P=0 y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2 y[1] = 2*1 + (-1)*0 + 1*(-1) + 0 = 1",
    "y[0] = 0(pad)*1 + 0*0 + 1*(-1) + 0 = -1",
    "y[6] = (-3)*1 + 0*0 + 0(pad)*(-1) + 0 = -3",
    "note: (7 - 3 + 2*1) / 4 + 1 = 2.5: not an integer, the filter does not fit exactly",
    "Output as long as the input (7): S=1, P=1",
    "input 5x5x3,  2 filters 3x3x3,  biases [1, 0]",
    "Number of activation maps: 2 (one per filter)",
    "Output volume with S=1, P=0: 3x3x2   ((5 - 3 + 2*0) / 1 + 1 = 3)",
    "Output volume with S=2, P=0: 2x2x2   ((5 - 3 + 2*0) / 2 + 1 = 2)",
    "map 1: y[0,0] = [0*1 + 1*0 + 0*0 + 0*1 + 0*1 + 1*0 + 2*0 + 1*1 + 2*1] + ",
    "(F=1, P=0, S=1), (F=3, P=1, S=1), (F=5, P=2, S=1), (F=7, P=3, S=1)",
    "Parameters of this layer: (3*3*3 + 1) * 2 = 56",
], ids=["part-a-heading", "1d-inputs", "worked-s1", "worked-s2", "left-padding-zero", "right-padding-zero",
        "does-not-fit-note", "same-size-cases", "2d-inputs", "maps", "volume-s1", "volume-s2", "worked-2d-channel-1",
        "preserving-triples", "parameters"])
def test_the_answers_show_each_result_with_its_working(answers_text, words):
    assert flat(words) in flat(answers_text)


def test_the_1d_table_gives_each_case_its_size_and_output():
    out = cells(render(print_answers, solve(load_example()), width=160))
    for row in ["1 0 (7 - 3 + 2*0) / 1 + 1 = 5 [-2, 2, 1, 2, 1] no",
                "2 0 (7 - 3 + 2*0) / 2 + 1 = 3 [-2, 1, 1] no",
                "4 0 (7 - 3 + 2*0) / 4 + 1 = 2 [-2, 1] no",
                "1 1 (7 - 3 + 2*1) / 1 + 1 = 7 [-1, -2, 2, 1, 2, 1, -3] yes",
                "4 1 (7 - 3 + 2*1) / 4 + 1 = 2.5 -> 2 (does not fit) [-1, 2] no"]:
        assert row in out


def test_the_2d_worked_sums_are_whole_lines_ending_in_their_value(answers_text):
    worked = [line for line in answers_text.splitlines() if re.match(r"^  map \d: y\[\d,\d\] = ", line)]
    assert len(worked) == 18  # 2 maps x 3 x 3 outputs
    # y[0,0] of map 1: 3 (channel 1) + 2 (channel 2) - 1 (channel 3) + bias 1 = 5
    assert worked[0].endswith("] + 1 = 5") and worked[9].endswith("] + 0 = -1")


def test_the_answers_fit_80_columns_but_for_the_soft_wrapped_2d_sums(answers_text):
    assert_nothing_cut(answers_text, long_lines=18)


def test_when_no_case_keeps_the_size_the_answer_says_none_of_them():
    ex = dataclasses.replace(load_example(), cases1=((2, 0), (4, 0)))
    assert "Output as long as the input (7): none of them" in flat(render(print_answers, solve(ex)))


@pytest.mark.parametrize("name", ["examples/[draft] week 3.toml", "week 3 [/bold]"], ids=["path-with-brackets",
                                                                                           "closing-tag"])
def test_the_examples_name_is_printed_as_written(name):
    ex = dataclasses.replace(load_example(), name=name)
    assert f"Exercise 1 — {name}" in render(print_answers, solve(ex), width=120)


# ------------------------------------------------------------------ xlcnn check


def cell(status: Answer, detail: str = "", expected=None, given=None, sheet: str = "Ex1a", coord: str = "C10"):
    return CellResult(sheet, coord, given, expected, status, detail)


def question(qid: str, label: str, status: Answer, given: str = "", expected: str = "", cells=()) -> QuestionResult:
    return QuestionResult(qid, label, qid[0], status, expected, given, list(cells))


def report(*questions: QuestionResult, **kw) -> CheckReport:
    return CheckReport(kw.pop("file", "Group 1.xlsx"), list(questions), **kw)


MIXED = report(
    question("a.case2.size", "a) S=2, P=0: output size", Answer.WRONG, "4", "3",
             [cell(Answer.WRONG, "(7 - 3 + 2*0) / 2 + 1 = 3", 3, 4, coord="C17")]),
    question("b.maps", "b) number of activation maps", Answer.MISSING, "", "2",
             [cell(Answer.MISSING, "one map per filter: 2", 2, sheet="Ex1b", coord="H27")]),
    question("b.volume1", "b) output volume with S=1, P=0", Answer.NOT_CALCULATED, "", "3x3x2",
             [cell(Answer.NOT_CALCULATED, NOT_CALCULATED_HINT, sheet="Ex1b", coord="H28")]),
    question("a.case1.size", "a) S=1, P=0: output size", Answer.RIGHT, "5", "5", [cell(Answer.RIGHT, "", 5, 5.0)]),
    diagnoses={"a.case2.size": ["forgot the +1: (7 - 3 + 2*0) / 2 = 2"]},
    problems=["inputs changed: the given numbers differ from those the workbook was issued with"])


def test_a_check_report_shows_each_question_its_verdict_and_what_to_fix():
    out = render(print_check, MIXED, width=120)
    rows = cells(out)
    assert "question status given expected" in rows
    assert "a) S=2, P=0: output size wrong 4 3" in rows
    assert "b) number of activation maps missing (empty) 2" in rows
    assert "b) output volume with S=1, P=0 not calculated (empty) 3x3x2" in rows
    assert "a) S=1, P=0: output size right 5 5" in rows
    assert "sheet 'Ex1a', cell C17: wrong: expected 3: (7 - 3 + 2*0) / 2 + 1 = 3" in rows
    assert "sheet 'Ex1b', cell H28: not calculated" in rows
    assert "cell H27" not in out and "cell C10" not in out  # a missing or right cell needs no line of its own
    assert "Mistakes recognised a) S=2, P=0: output size: forgot the +1: (7 - 3 + 2*0) / 2 = 2" in rows
    assert "inputs changed: the given numbers differ" in rows
    assert out.rstrip().endswith("1 of 4 questions right")


def one_cell_line(c: CellResult) -> str:
    out = render(print_check, report(question("q", "q", c.status, "x", "y", [c])), width=200)
    return next(line.strip() for line in out.splitlines() if f"cell {c.cell}:" in line)


@pytest.mark.parametrize("c, line", [
    (cell(Answer.WRONG, "(7 - 3 + 2*0) / 2 + 1 = 3", 3, 4, coord="C17"),
     "sheet 'Ex1a', cell C17: wrong: expected 3: (7 - 3 + 2*0) / 2 + 1 = 3"),
    (cell(Answer.WRONG, "expected a number, got 'abc'; expected -2: y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2", -2.0, "abc"),
     "sheet 'Ex1a', cell C10: wrong: expected a number, got 'abc'; expected -2: y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2"),
    (cell(Answer.WRONG, "one output size per (S, P)", "3x3x2", "3x3x3", sheet="Ex1b", coord="H28"),
     "sheet 'Ex1b', cell H28: wrong: expected 3x3x2: one output size per (S, P)"),
    (cell(Answer.WRONG, "should be empty: the output has 3 values", None, 7.0, coord="F16"),
     "sheet 'Ex1a', cell F16: wrong: should be empty: the output has 3 values"),
    (cell(Answer.WRONG, "", 2.5, 3.0), "sheet 'Ex1a', cell C10: wrong: expected 2.5"),
    (cell(Answer.WRONG, "", None, 3.0), "sheet 'Ex1a', cell C10: wrong"),
    (cell(Answer.WRONG, "F, P and S must keep 5", "", "1, 1, 1"),
     "sheet 'Ex1a', cell C10: wrong: F, P and S must keep 5"),
], ids=["arithmetic-after-the-expected-value", "expected-already-said", "expected-text", "must-stay-empty",
        "no-working", "nothing-to-add", "empty-expected-text"])
def test_a_wrong_cell_says_what_was_expected_once(c, line):
    assert one_cell_line(c) == line


def test_a_long_worked_sum_is_cut_to_its_first_terms_and_its_value():
    worked = "map 1: y[0,0] = " + " + ".join(f"{k}*1" for k in range(27)) + " + 1 = 352"
    line = one_cell_line(cell(Answer.WRONG, worked, 352.0, 350.0, sheet="Ex1b", coord="B36"))
    assert line.startswith("sheet 'Ex1b', cell B36: wrong: expected 352: map 1: y[0,0] = 0*1 + 1*1 + 2*1")
    assert line.endswith(" + … = 352") and len(line) < len(worked)


def test_an_excel_error_says_the_expected_value_once():
    line = one_cell_line(cell(Answer.WRONG, "the cell shows the Excel error #DIV/0!; expected -2: y[0] = 0*1 + "
                                            "1*0 + 2*(-1) + 0 = -2", -2.0, "#DIV/0!"))
    assert line.count("expected -2") == 1


def test_a_cell_not_calculated_says_so_once():
    line = one_cell_line(cell(Answer.NOT_CALCULATED, NOT_CALCULATED_HINT))
    assert line.count("not calculated") == 1 and "open and save it in Excel or LibreOffice" in line


def test_hints_show_the_verdict_and_the_mistakes_name_never_the_value():
    out = render(print_check, MIXED.hinted(), width=120)
    rows = cells(out)
    assert "question status given" in rows and "expected" not in out.replace("expected values are not shown", "")
    assert "sheet 'Ex1a', cell C17: wrong" in rows and "= 3" not in out
    assert "a) S=2, P=0: output size: forgot the +1" in rows and "/ 2 = 2" not in out
    assert "Hints only: the expected values are not shown (set by your teacher, or --hints)." in rows


RIGHT_Q = question("b.maps", "b) maps", Answer.RIGHT, "2", "2", [cell(Answer.RIGHT, "", 2, 2.0)])
RIGHT_Q2 = question("b.volume1", "b) volume", Answer.RIGHT, "3x3x2", "3x3x2", [cell(Answer.RIGHT)])


@pytest.mark.parametrize("rep, summary", [
    (report(RIGHT_Q, RIGHT_Q2), "all right"),
    (report(RIGHT_Q, RIGHT_Q2, recalculated=True), "all right (formulas recalculated by LibreOffice)"),
    (report(RIGHT_Q, RIGHT_Q2, inputs=InputsCheck.CHANGED), "2 of 2 questions right"),
    (report(RIGHT_Q, RIGHT_Q2, external=["[other.xlsx]Sheet1!A1"]), "2 of 2 questions right"),
    (report(RIGHT_Q, MIXED.questions[0]), "1 of 2 questions right"),
    (report(MIXED.questions[1], recalculated=True), "0 of 1 questions right (formulas recalculated by LibreOffice)"),
], ids=["all-right", "all-right-recalculated", "right-but-inputs-changed", "right-but-external-reference",
        "one-wrong", "none-right-recalculated"])
def test_the_last_line_sums_the_report_up(rep, summary):
    assert render(print_check, rep).rstrip().splitlines()[-1] == summary


MARKED = [
    pytest.param(lambda s: report(RIGHT_Q, file=f"{s}.xlsx"), id="file-name"),
    pytest.param(lambda s: report(question("q", "q", Answer.WRONG, s, "2", [cell(Answer.WRONG, "", 2, s)])),
                 id="given-text"),
    pytest.param(lambda s: report(question("q", f"label {s}", Answer.WRONG, "1", "2")), id="question-label"),
    pytest.param(lambda s: report(question("q", "q", Answer.WRONG, "1", f"{s}")), id="expected-text"),
    pytest.param(lambda s: report(question("q", "q", Answer.WRONG, "1", "2", [cell(Answer.WRONG, "d", 2, 1.0,
                                                                                   sheet=f"Ex {s}")])),
                 id="sheet-name"),
    pytest.param(lambda s: report(question("q", "q", Answer.WRONG, "1", "2",
                                           [cell(Answer.WRONG, f"expected a number, got {s!r}", 2, s)])),
                 id="cell-detail"),
    pytest.param(lambda s: report(question("q", f"label {s}", Answer.WRONG, "1", "2"),
                                  diagnoses={"q": [f"mistake {s}: working"]}), id="mistake-and-its-label"),
    pytest.param(lambda s: report(RIGHT_Q, problems=[f"problem {s}"]), id="problem"),
]


@pytest.mark.parametrize("text", MARKUP, ids=["bold-and-close", "bare-close", "stray-close", "colour", "backslash"])
@pytest.mark.parametrize("make", MARKED)
def test_text_from_a_students_file_is_printed_as_written(make, text):
    assert text in render(print_check, make(text), width=200)


def test_a_full_report_fits_80_columns_without_a_cut_word():
    long = question("b.values1", "b) output values with S=1, P=0, map 1", Answer.WRONG,
                    "5, 9, 10, 16, 12, 15, 16, 15, 0", "5, 9, 10, 16, 12, 15, 16, 15, 18",
                    [cell(Answer.WRONG, "map 1: y[2,2] = [2*1 + 1*0 + 2*0] + [1*0 + 2*1 + 2*0] + 1 = 18", 18.0, 0.0,
                          sheet="Ex1b", coord="D38")])
    out = render(print_check, report(long, *MIXED.questions, diagnoses=MIXED.diagnoses, problems=MIXED.problems))
    assert_nothing_cut(out)


def test_a_long_file_name_is_shown_whole_at_80_columns():
    name = "Group 12 - Anna-Lena Mueller-Schmidt and Jean-Baptiste Dupont-Laurent (final version).xlsx"
    out = render(print_check, report(RIGHT_Q, file=name))
    assert name in flat(out.replace("─", " "))


# ------------------------------------------------------------------ xlcnn grade


def graded(name: str, total: float, grade: float | None, status: Status = Status.GRADED, **kw) -> Record:
    return Record(f"k-{name}", name, "1", status=status, report=CheckReport(f"{name}.xlsx", []), total=total,
                  max_total=28.0, grade=grade, **kw)


def grade_run(records, similarities=(), problems=(), absent=()) -> GradeRun:
    return GradeRun(list(records), list(similarities), list(problems), Rubric((Rule("*", 1),)), absent=list(absent))


@pytest.fixture
def a_class() -> GradeRun:
    ann = graded("Group 01", 25.7, 5.5071, diagnoses={"a.case2.size": ["forgot the +1: (7-3)/2 = 2"],
                                                      "a.case3.size": ["forgot the +1: (7-3)/4 = 1"],
                                                      "b.values2": ["channels summed separately: 4"]})
    held = graded("Group 09", 28.0, 6.0, Status.INPUTS_CHANGED)
    held.say("inputs changed: the given numbers differ from the template's (1D input)", Audience.STUDENT,
             Status.INPUTS_CHANGED)
    unread = Record("k-10", "Group 10", "3", status=Status.UNREADABLE)
    unread.say("Group 10.xlsx: not a workbook")
    zero = graded("Group 11", 0.0, 0.0)
    return grade_run([ann, held, unread, zero], [Similarity("Group 01", "Group 11", "same wrong answer")],
                     ["the worksheet names 1 participant twice"], absent=["Zoé Lambert", "Yan Ho"])


@pytest.mark.parametrize("row", [
    "Group 01 graded 25.7/28 5.51 channels summed separately; forgot the +1",
    "Group 09 inputs changed 28/28 held inputs changed: the given numbers differ from the template's (1D input)",
    "Group 10 unreadable Group 10.xlsx: not a workbook",
    "Group 11 graded 0/28 0.00",
], ids=["graded-with-mistakes-named-once-in-order", "held-never-shows-its-grade", "no-report-no-points",
        "zero-is-a-grade"])
def test_each_submission_gets_its_row(a_class, row):
    assert row in cells(render(print_grades, a_class, width=200))


def test_the_grade_summary_ends_with_what_needs_doing(a_class):
    lines = [line.strip() for line in render(print_grades, a_class, width=200).splitlines()]
    tail = lines[lines.index(next(li for li in lines if li.startswith("└"))) + 1:]
    assert [li for li in tail if li] == [
        "the worksheet names 1 participant twice",
        "1 pair(s) of similar submissions: see the Similarity sheet",
        "2 student(s) of the worksheet handed in nothing: listed in the gradebook as 'no submission'",
        "2 graded automatically, 2 need a person (of 4)"]


def test_a_quiet_run_prints_no_empty_notices():
    out = render(print_grades, grade_run([graded("Group 01", 28, 6.0)]), width=200)
    assert "similar" not in out and "handed in nothing" not in out
    assert out.rstrip().endswith("1 graded automatically, 0 need a person (of 1)")


@pytest.mark.parametrize("text", MARKUP, ids=["bold-and-close", "bare-close", "stray-close", "colour", "backslash"])
def test_names_and_messages_in_the_grade_table_are_printed_as_written(text):
    rec = graded(f"Group {text}", 1, 0.2)
    rec.say(f"blocks found where they were moved: {text}")
    out = render(print_grades, grade_run([rec], problems=[f"problem {text}"]), width=200)
    assert out.count(text) == 3


def test_the_grade_table_fits_80_columns(a_class):
    a_class.records[0].name = "Group 12 (Anna-Lena Mueller-Schmidt, Jean-Baptiste Dupont-Laurent)"
    assert_nothing_cut(render(print_grades, a_class))


def test_the_workbooks_a_person_must_choose_from_are_named_whole_at_80_columns():
    rec = Record("k", "Group 10", "3", status=Status.SEVERAL_WORKBOOKS)
    rec.say("several workbooks, a person must choose: Exercise1_final_v2.xlsx, Exercise1_final_v3_corrected.xlsx")
    assert_nothing_cut(render(print_grades, grade_run([rec])))


def test_a_note_too_long_for_the_table_says_it_goes_on():
    rec = Record("k", "Group 10", "3", status=Status.LAYOUT_MISMATCH)
    rec.say("layout mismatch: " + "the block 'Case1_Output' was not found where the layout puts it; " * 3
            + "not graded (a person grades it)")
    out = cells(render(print_grades, grade_run([rec]), width=300))
    assert "…" in out or "(a person grades it)" in out


# ------------------------------------------------------------------ xlcnn stats


def stats(items=(), mistakes=(), parts=(), checklist=(), notebooks=None) -> dict:
    return {"items": pd.DataFrame(list(items), columns=["label", "n", "facility", "sd", "discrimination",
                                                         "efficiency", "verdict"]),
            "mistakes": pd.DataFrame(list(mistakes), columns=["mistake", "submissions", "questions"]),
            "part_distribution": pd.DataFrame(list(parts), columns=["part", "submissions", "mean", "median", "min",
                                                                    "max", "out_of"]),
            "checklist": pd.DataFrame(list(checklist), columns=["item", "notebooks", "done", "mean"]),
            "notebooks": pd.DataFrame() if notebooks is None else pd.DataFrame(notebooks)}


ITEMS = [
    {"label": "a) S=2, P=0: output size", "n": 12, "facility": 0.75, "sd": 0.5, "discrimination": 42.4,
     "efficiency": 61.0, "verdict": "adequate: index 42%"},
    {"label": "b) number of activation maps", "n": 12, "facility": 1.0, "sd": 0.0, "discrimination": None,
     "efficiency": None, "verdict": "too easy: 100% of its points were scored"},
    {"label": "b.values1", "n": 1, "facility": None, "sd": None, "discrimination": None, "efficiency": None,
     "verdict": "too few answers to judge"},
]
CLASS = stats(ITEMS, [{"mistake": "forgot the +1", "submissions": 3, "questions": "a) S=2, P=0: output size"}],
              [{"part": "a", "submissions": 12, "mean": 12.5, "median": 13.0, "min": 4.25, "max": 15.0,
                "out_of": 15.0}],
              [{"item": "deeper_cnns", "notebooks": 3, "done": 2, "mean": 10 / 3}],
              {"best_cnn_test": [80.0, 70.0, None], "reference_best_cnn_test": [78.0] * 3})


@pytest.mark.parametrize("words", [
    "Item analysis (as Moodle's quiz statistics define it)",
    "a) S=2, P=0: output size 12 75% 50% 42% 61% adequate: index 42%",
    "b) number of activation maps 12 100% 0% — — too easy: 100% of its points were scored",
    "b.values1 1 — — — — too few answers to judge",
    "Mistakes recognised, most frequent first",
    "forgot the +1 3 a) S=2, P=0: output size",
    "part submissions mean median min max out of",
    "a 12 12.5 13 4.25 15 15",
    "deeper_cnns 2 3 3.33",
    "Notebooks: 3 read; best CNN test accuracy: median 75.0%, max 80.0% (the instructor's: 78.0%)",
], ids=["items-title", "item-with-every-figure", "no-spread-no-discrimination", "too-few-answers", "mistakes-title",
        "mistake-row", "parts-header", "part-row", "checklist-row", "notebooks-with-reference"])
def test_the_statistics_show_each_figure_in_words_and_percentages(words):
    assert words in cells(render(print_stats, CLASS, width=200))


@pytest.mark.parametrize("frames, shown, not_shown", [
    (stats(ITEMS), "No mistake recognised.", "Mistakes recognised"),
    (stats(ITEMS), "", "The notebooks' checklist"),
    (stats(ITEMS), "", "Notebooks:"),
    (stats(ITEMS, notebooks={"best_cnn_test": [None, None]}), "Notebooks: 2 read; no CNN test accuracy shown",
     "best CNN test accuracy"),
    (stats(ITEMS, notebooks={"best_cnn_test": [66.66]}), "Notebooks: 1 read; best CNN test accuracy: median 66.7%, "
                                                         "max 66.7%", "instructor"),
], ids=["no-mistakes", "no-checklist", "no-notebooks", "notebooks-without-accuracy", "without-a-reference"])
def test_what_the_class_did_not_give_is_said_or_left_out(frames, shown, not_shown):
    out = flat(render(print_stats, frames, width=200))
    assert shown in out and not_shown not in out


@pytest.mark.parametrize("text", MARKUP, ids=["bold-and-close", "bare-close", "stray-close", "colour", "backslash"])
def test_labels_and_mistakes_in_the_statistics_are_printed_as_written(text):
    frames = stats([dict(ITEMS[0], label=f"label {text}")],
                   [{"mistake": f"mistake {text}", "submissions": 1, "questions": f"label {text}"}])
    assert render(print_stats, frames, width=200).count(text) == 3


def test_the_statistics_fit_80_columns():
    assert_nothing_cut(render(print_stats, CLASS))


# ------------------------------------------------------------------ xlcnn moodle check / push


SITE = Site("https://moodle.example.org", "https://moodle.example.org", "4.1.2+ (Build: 20230310)", "2022112802", 7,
            "ta_anna", set(READS) | {"mod_assign_get_user_mappings"}, True, False, 0)
ASSIGNMENT = Assignment(5, 42, 3, "PW04 CNN", "DL-2025", 6.0, team=True, blind=True, workflow=False, comments=True,
                        files=False)


def test_a_site_check_says_what_the_token_may_do_and_how_the_assignment_is_set_up():
    out = render(print_moodle_check, SITE, ASSIGNMENT, READS, WRITES, OPTIONAL, ["mod_assign_save_grade is missing"])
    rows = cells(out)
    assert "https://moodle.example.org — Moodle 4.1.2+ (Build: 20230310)" in rows
    assert "token of user 7 (ta_anna); files: upload yes, download no" in rows
    assert "mod_assign_get_submissions pull, push (read) yes" in rows
    assert "mod_assign_save_grade push no" in rows
    assert "mod_assign_get_user_mappings optional yes" in rows
    assert "mod_assign_get_grades pull, push (read) yes" in rows and "core_grading_get_definitions optional no" in rows
    assert ("assignment 42 (id 5): PW04 CNN in DL-2025: maximum grade 6; team submissions; blind marking; "
            "feedback comments on, feedback files off") in rows
    assert out.rstrip().endswith("mod_assign_save_grade is missing")
    assert_nothing_cut(out)


def test_an_individual_assignment_names_only_what_is_on():
    a = dataclasses.replace(ASSIGNMENT, team=False, blind=False, workflow=True, max_grade=10.5, files=True)
    out = flat(render(print_moodle_check, SITE, a, READS, WRITES, OPTIONAL, []))
    assert ("maximum grade 10.5; individual submissions; marking workflow; feedback comments on, feedback files on"
            in out) and "blind" not in out
    assert "assignment 42" not in render(print_moodle_check, SITE, None, READS, WRITES, OPTIONAL, [])


@pytest.mark.parametrize("text", MARKUP, ids=["bold-and-close", "bare-close", "stray-close", "colour", "backslash"])
def test_what_moodle_says_is_printed_as_written(text):
    site = dataclasses.replace(SITE, username=f"ta {text}", release=f"4.1 {text}")
    a = dataclasses.replace(ASSIGNMENT, name=f"PW04 {text}", course_shortname=f"DL {text}")
    out = render(print_moodle_check, site, a, READS, WRITES, OPTIONAL, [f"problem {text}"], width=200)
    assert out.count(text) == 5


def target(user: int, label: str, grade: float, comment: str = "Well done", files=("Group 01.xlsx",)) -> Target:
    return Target(user, label, "Group 01_11_assignsubmission_file", "Group 01", grade, comment,
                  [(f, b"x") for f in files])


PLAN = [
    Action(target(11, "Ann Lee", 5.5071), 11, "Ann Lee", "create", "nothing in Moodle yet", send_files=True),
    Action(target(12, "Bob Ray", 4.0), 12, "Bob Ray", "update", "Moodle still holds the pulled grade",
           send_files=True, keep_files=[{"name": "notes.pdf"}], now=Feedback(grade=3.0, comment="Well done")),
    Action(target(13, "Cy Dee", 5.0, comment="New text"), 13, "Cy Dee", "update", "Moodle still holds the pulled grade",
           now=Feedback(grade=5.0, comment="Old text")),
    Action(target(14, "Di Fox", 6.0), 14, "Di Fox", "unchanged", "Moodle already holds this",
           now=Feedback(grade=6.0, comment="Well done")),
    Action(None, 15, "Participant 4242", "skip", "held for a person in the gradebook", now=Feedback(grade=2.0)),
]


@pytest.mark.parametrize("row", [
    "Ann Lee create – 5.51 1 nothing in Moodle yet",
    "Bob Ray update 3.00 4.00 1+1 Moodle still holds the pulled grade",
    "Cy Dee update 5.00 5.00 – Moodle still holds the pulled grade",
    "Di Fox unchanged 6.00 – – Moodle already holds this",
    "Participant 4242 skip 2.00 – – held for a person in the gradebook",
], ids=["create", "update-keeps-a-teachers-file", "update-comment-only", "unchanged-sends-nothing", "skip"])
def test_the_push_plan_says_per_student_what_is_sent_and_why(row):
    assert row in cells(render(print_push_plan, PLAN, "PW04 CNN", width=200))


def test_the_push_plan_is_titled_and_counted():
    out = render(print_push_plan, PLAN, "PW04 CNN", width=200)
    assert out.splitlines()[0].strip("─ ") == "Push to 'PW04 CNN'"
    assert flat(out).endswith("1 create, 2 update, 1 unchanged, 1 needs a person; files: workbooks sent (+ a "
                              "person's own files kept beside them)")


@pytest.mark.parametrize("text", MARKUP, ids=["bold-and-close", "bare-close", "stray-close", "colour", "backslash"])
def test_names_in_the_push_plan_are_printed_as_written(text):
    action = Action(target(11, f"Ann {text}", 5.0, files=(f"G {text}.xlsx",)), 11, f"Ann {text}", "create",
                    f"why {text}", send_files=True)
    out = render(print_push_plan, [action], f"PW {text}", width=300)
    assert out.count(text) == 3  # the title, the student, the why (files are counted, not named)


def test_the_push_plan_fits_80_columns():
    plan = [dataclasses.replace(a, target=dataclasses.replace(a.target, files=[("Group 01 - feedback.xlsx", b"x")]))
            if a.target else a for a in PLAN]
    assert_nothing_cut(render(print_push_plan, plan, "PW04 CNN"))


def _one_line_each(out: str, names: list[str]) -> None:
    """Each student starts exactly one line, whole; lines that follow it hold only its why."""
    lines = out.splitlines()
    for name in names:
        assert sum(line.startswith(name + " ") for line in lines) == 1, (name, out)
    assert all(len(line) <= 80 for line in lines), out


def test_a_blind_class_reads_one_line_per_student_at_80_columns():
    long_why = "changed in Moodle since the pull (by user 3, 2026-12-08 10:15): kept; --overwrite replaces it"
    plan = [Action(target(100 + n, f"Participant {1000 + n}", 4.25), 100 + n, f"Participant {1000 + n}",
                   ["create", "unchanged", "skip"][n % 3], long_why if n % 3 == 2 else "", send_files=n % 3 == 0,
                   now=Feedback(grade=None if n % 3 == 0 else 4.25))
            for n in range(20)]
    out = render(print_push_plan, plan, "PW04 CNN (blind)")
    _one_line_each(out, [f"Participant {1000 + n}" for n in range(20)])
    assert "cnn-ex1" not in out and "Participa\n" not in out


def test_named_students_and_long_file_names_keep_one_line():
    files = ("cnn-ex1-stud-feedback.xlsx", "cnn-ex1-stud (1)-feedback.xlsx")
    plan = [Action(target(11, "Maximilian Alexander Oberholzer-Vasquez (Participant 64)", 5.5, files=files), 11,
                   "Maximilian Alexander Oberholzer-Vasquez (Participant 64)", "create", "", send_files=True),
            Action(target(12, "Ann Lee (Participant 65)", 4.0, files=files), 12, "Ann Lee (Participant 65)", "update",
                   "", send_files=True, keep_files=[{"name": "notes.pdf"}], now=Feedback(grade=3.0))]
    out = render(print_push_plan, plan, "PW04 CNN")
    _one_line_each(out, ["Maximilian Alexander", "Ann Lee"])
    assert " 2+1 " in out and "Participant 65" not in out


def test_a_persons_skip_reads_as_decided():
    plan = [Action(None, 15, "Participant 7", "skip", "skipped by a person: handed in by e-mail", decided=True)]
    out = cells(render(print_push_plan, plan, "PW04 CNN"))
    assert "Participant 7 skipped – – – skipped by a person: handed in by e-mail" in out
    assert out.endswith("1 skipped by a person")
