"""xlcnn.notebook.evidence on its own: Table 1 read from markdown or from a printed DataFrame, a
table cell's accuracy as a percentage, and how many review questions (a-h) carry an answer.

Each case is a few lines of text written the way students write them; the expected rows, percents
and counts are worked out by hand.
"""

from __future__ import annotations

import pytest

from xlcnn.notebook.evidence import dataframe_table, markdown_table, percent, review_answers

ANSWER = "A Dense layer connects every input to every neuron of the layer."  # 12 words


def rows(found) -> list[tuple[str, str, str]] | None:
    return None if found is None else [(r.architecture, r.train, r.test) for r in found]


def frame(columns: list[str], values: list[list[str]], index: bool = True) -> str:
    """A DataFrame as pandas prints it: right-aligned columns, two spaces apart, the index first."""
    widths = [max(len(c), *(len(v[j]) for v in values)) for j, c in enumerate(columns)]
    iw = len(str(len(values) - 1)) if index else 0

    def line(first: str, cells: list[str]) -> str:
        gap = "  " if index else ""
        return first + gap + "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))

    return "\n".join([line(" " * iw, columns)] + [line(str(i).ljust(iw) if index else "", v)
                                                  for i, v in enumerate(values)])


# ------------------------------------------------------------------------------------ markdown

@pytest.mark.parametrize("text, expected", [
    ("| Architecture | Test |\n|---|---|\n| A | 60% |\n| B | 61% |\n\nThe CNN is better.",
     [("A", "", "60%"), ("B", "", "61%")]),
    ("| Architecture | Train | Test |\n| :--- | ---: | :-: |\n| A | 70 | 60 |",
     [("A", "70", "60")]),
    ("| Model | Test acc | Training acc |\n|---|---|---|\n| A | 60 | 70 |",
     [("A", "70", "60")]),
    ("| Name | Score |\n|---|---|\n| A | 1 |\n\n| Modèle | Précision entraînement | Précision test |\n"
     "|---|---|---|\n| A | 0.7 | 0.6 |",
     [("A", "0.7", "0.6")]),
    ("| Architektur | Genauigkeit Training | Genauigkeit Test |\n|--|--|--|\n| CONV 32 | 66.0 | 60.2 |",
     [("CONV 32", "66.0", "60.2")]),
    ("Architecture | Test\n--- | ---\nA | 60", [("A", "", "60")]),
    ("| Architecture | Train | Test |\n|---|---|---|\n| A | 70 | 60 |\n|  |  |  |\n| B |  | 61 |",
     [("A", "70", "60"), ("B", "", "61")]),
    ("| Architecture | Train | Test |\n|---|---|---|\n| A | 70 |", [("A", "70", "")]),
    ("| Architecture | Test |\n|---|---|", []),
    ("| Architecture | Train |\n|---|---|\n| A | 70 |", None),
    ("| Architecture | Test |\n| A | 60 |", None),
    ("No table in this cell.", None),
], ids=["rows-until-a-line-without-bars", "alignment-colons", "test-before-train", "first-table-not-table-1",
        "german", "no-outer-bars", "empty-row-skipped", "short-row-padded", "header-only-no-rows",
        "no-test-column-is-not-table-1", "no-separator-line-is-no-table", "no-table"])
def test_markdown_table(text, expected):
    assert rows(markdown_table(text)) == expected


def test_the_architecture_column_wins_over_a_model_number_column():
    text = "| Model | Architecture | Train acc | Test acc |\n|---|---|---|---|\n| 1 | CONV 32 | 70% | 60% |"
    assert rows(markdown_table(text)) == [("CONV 32", "70%", "60%")]


def test_a_training_time_column_is_not_the_train_accuracy():
    text = ("| Architecture | Training time | Train acc | Test acc |\n|---|---|---|---|\n"
            "| CONV 32 | 5 min | 70% | 60% |")
    assert rows(markdown_table(text)) == [("CONV 32", "70%", "60%")]


# ------------------------------------------------------------------------------------ DataFrame

@pytest.mark.parametrize("text, expected", [
    (frame(["Architecture", "Train", "Test"], [["CONV 32  MAXPOOL", "0.680", "0.618"], ["Dense", "0.41", "0.39"]]),
     [("CONV 32  MAXPOOL", "0.680", "0.618"), ("Dense", "0.41", "0.39")]),
    (frame(["Architecture", "Test accuracy"], [["CONV 32 w=h=3 S=1 + MAXPOOL 2", "0.618"]]),
     [("CONV 32 w=h=3 S=1 + MAXPOOL 2", "", "0.618")]),
    (frame(["Model", "Test accuracy"], [["CNN", "61.8%"]], index=False), [("CNN", "", "61.8%")]),
    (frame(["Architecture", "Test"], [["Dense", "0.39"]]) + "\nDone.", [("Dense", "", "0.39")]),
    ("Architecture   Test accuracy\nDense          0.39\nCNN            0.61\nsaved  to  table.csv  now",
     [("Dense", "", "0.39"), ("CNN", "", "0.61")]),
    ("Architecture  Test\n0  Dense  0.39", [("Dense", "", "0.39")]),
    ("Architecture  Test accuracy\n", None),
    ("Name  Score\n0  A  1", None),
], ids=["pandas-aligned-value-with-two-spaces", "pandas-wide-value", "pandas-without-index",
        "aligned-rows-stop-at-another-line", "left-aligned-split-on-two-spaces", "index-column-dropped",
        "header-without-rows", "no-table-1-header"])
def test_dataframe_table(text, expected):
    assert rows(dataframe_table(text)) == expected


# ------------------------------------------------------------------------------------ percent

@pytest.mark.parametrize("text, expected", [
    ("62.4%", 62.4),
    ("~62%", 62.0),
    ("61.83 %", 61.83),
    ("62.456%", 62.46),
    ("0.5%", 0.5),
    ("62.4 (+-1)", 62.4),
    ("150", None),
    ("", None),
    (None, None),
], ids=["percent-sign", "approximately", "space-before-the-sign", "rounded-to-two-decimals",
        "half-a-percent-stays-small", "first-number-only", "over-100", "empty-cell", "no-cell"])
def test_percent(text, expected):
    assert percent(text) == (pytest.approx(expected) if expected is not None else None)


# ------------------------------------------------------------------------------------ review answers

def section(body: str, heading: str = "## Review questions") -> list[str]:
    return [f"{heading}\n\n{body}"]


@pytest.mark.parametrize("markdown, expected", [
    (["a) " + ANSWER], 0),
    (section("a) What is the difference between a Dense and a Conv2D layer? " + ANSWER), 1),
    (section("a) Dense vs Conv2D\nAnswer: " + ANSWER), 1),
    (section("a) What is it\n**Answer:** " + ANSWER), 1),
    (section("**a)** What is the difference between a Dense and a Conv2D layer\n" + ANSWER), 1),
    (section("a) What is it?\none two three four five"), 0),
    (section("a) What is it?\none two three four five six"), 1),
    (section("a) What is the difference between a Dense and a Conv2D layer in Keras and why\n"), 0),
    (section("a) " + ANSWER + "\nb) " + ANSWER), 2),
    (section("a) What is a dense layer?\nA: " + ANSWER), 1),
    (section("a) Q?\n" + ANSWER + "\n\na) Q again?\n" + ANSWER), 1),
    (["## Review questions", "a) What is it?\n" + ANSWER, "b) What is it?\n" + ANSWER], 2),
    (section("### a) What is the difference?\n" + ANSWER + "\n### b) Explain\n" + ANSWER), 2),
    (section("A) What?\n" + ANSWER + "\nB) What?\n" + ANSWER), 2),
    (section("(a) What is it?\n" + ANSWER + "\n- b. What is it?\n" + ANSWER), 2),
    (section("i) What is it?\n" + ANSWER), 0),
    (section("a) Was ist der Unterschied?\nEine Dense-Schicht verbindet jeden Eingang mit jedem Neuron.",
             "## Kontrollfragen"), 1),
    (section("a) Quelle est la différence ?\nUne couche dense relie chaque entrée à chaque neurone.",
             "## Questions de révision"), 1),
    (["We review the results below.\n\na) What?\n" + ANSWER], 1),
    (["## Exercise 4\n\na) What?\n" + ANSWER + "\nb) What?\n" + ANSWER], 2),
    (section("a) What is a convolution?\nThe filter slides over the image and sums.\n"
             "e.g. a 3x3 filter slides over a 32x32 image with stride one."), 1),
], ids=["no-review-section", "answer-after-the-question-mark", "answer-line", "bold-answer-line",
        "bold-label-copied-question", "five-words-are-not-enough", "six-words-are", "copied-question-only",
        "answers-without-questions", "A-colon-marks-an-answer-not-question-a", "same-letter-counted-once",
        "one-cell-per-question", "heading-per-question", "capital-letters", "parenthesis-and-dot-labels",
        "letters-beyond-h-ignored", "german", "french", "section-found-by-a-word-in-the-text",
        "exercise-4-heading",
        "e-g-is-not-question-e"])
def test_review_answers(markdown, expected):
    assert review_answers(markdown) == expected


def test_an_earlier_exercises_questions_are_not_review_answers():
    markdown = ["## Exercise 1: questions\n\na) How many images are there?\n"
                "There are fifty thousand training images in the data set.\n",
                "## Exercise 4: Review questions\n\na) What is the difference between a Dense and a Conv2D layer?\n"]
    assert review_answers(markdown) == 0


def test_an_answer_after_the_copied_question_on_the_same_line():
    markdown = section("a) What is the difference between a Dense and a Conv2D layer: a Dense layer connects "
                       "every input to every neuron.")
    assert review_answers(markdown) == 1
