"""What the class teaches the teacher: item statistics on small classes computed by hand, the
mistakes ranked on the bundled sample, the frames from Python and from the terminal."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from xlcnn.cli import main
from xlcnn.grading.statistics import answers_frame, frames, item_statistics

SAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "samples"


def klass(points: dict[str, list[float]], maxima: dict[str, float]) -> list[dict]:
    """results.json's submissions for a class: question -> each submission's points."""
    n = len(next(iter(points.values())))
    return [{"name": f"G{k}", "points": {q: p[k] for q, p in points.items()}, "max_points": maxima,
             "questions": [{"id": q, "label": q, "status": "right" if p[k] == maxima[q] else "wrong"}
                           for q, p in points.items()],
             "diagnoses": {}} for k in range(n)]


# Worked by hand (sample covariances, n - 1 = 3):
#   q: x = [2, 1, 1, 0] of 2; the rest of the score y = rest + easy + hard = [4, 3, 1, 0] + 1 + 0.
#   dx = [1, 0, 0, -1], dy = [2, 1, -1, -2]; cov = 4/3; var x = 2/3; var y = 10/3.
#   facility = 1/2; sd = sqrt(2/3) / 2 = 0.4082; discrimination = 100 * (4/3) / sqrt(20/9) = 89.44;
#   sorted dx and dy pair the same way, so the largest covariance is 4/3 too: efficiency 100.
CLASS = klass({"easy": [1, 1, 1, 1], "hard": [0, 0, 0, 0], "q": [2, 1, 1, 0], "rest": [4, 3, 1, 0]},
              {"easy": 1, "hard": 1, "q": 2, "rest": 4})


@pytest.mark.parametrize("question, facility, sd, discrimination, efficiency, verdict", [
    ("easy", 1.0, 0.0, None, None, "too easy: 100% of its points were scored"),
    ("hard", 0.0, 0.0, None, None, "too hard: 0% of its points were scored"),
    ("q", 0.5, math.sqrt(2 / 3) / 2, 100 * (4 / 3) / math.sqrt(20 / 9), 100.0, "very good: index 89%"),
    ("rest", 0.5, math.sqrt(10 / 3) / 4, 100 * (4 / 3) / math.sqrt(20 / 9), 100.0, "very good: index 89%"),
], ids=["everyone-right", "nobody-right", "separates", "the-rest"])
def test_item_statistics_as_computed_by_hand(question, facility, sd, discrimination, efficiency, verdict):
    items = item_statistics(answers_frame(CLASS)).set_index("question")
    row = items.loc[question]
    assert row["n"] == 4 and row["facility"] == pytest.approx(facility) and row["sd"] == pytest.approx(sd)
    for key, want in (("discrimination", discrimination), ("efficiency", efficiency)):
        assert (pd.isna(row[key]) if want is None else row[key] == pytest.approx(want)), (key, row[key])
    assert row["verdict"] == verdict


def test_a_question_that_separates_perfectly_and_one_that_misleads():
    # "sep" is right exactly for the two strongest; "odd" is right exactly for the two weakest
    cls = klass({"sep": [1, 1, 0, 0], "base": [3, 2, 1, 0], "odd": [0, 0, 1, 1]}, {"sep": 1, "base": 3, "odd": 1})
    items = item_statistics(answers_frame(cls)).set_index("question")
    assert items.loc["sep", "discrimination"] > 50 and items.loc["sep", "efficiency"] == pytest.approx(100)
    assert items.loc["odd", "discrimination"] < 0
    assert items.loc["odd", "verdict"].startswith("not discriminating: the weaker submissions did better on it")


def test_one_submission_is_too_few_to_judge():
    items = item_statistics(answers_frame(klass({"q": [1]}, {"q": 2})))
    assert items.loc[0, "verdict"] == "too few answers to judge" and items.loc[0, "facility"] == 0.5


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("stats") / "out"
    CliRunner().invoke(main, ["grade", str(SAMPLES / "TSM_DeLearn-PW04 CNN-group-4242.zip"), "--worksheet",
                              str(SAMPLES / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"), "-o", str(out)])
    return out


@pytest.mark.slow  # grades the bundled class end to end
@pytest.mark.libreoffice  # a submission of the sample is calculated by LibreOffice
def test_mistakes_ranked_on_the_sample(graded):
    from xlcnn.grading import load

    f = load(graded)
    ranked = f["mistakes"]
    assert list(ranked.columns) == ["mistake", "submissions", "questions"]
    assert ranked["submissions"].is_monotonic_decreasing
    counts = dict(zip(ranked["mistake"], ranked["submissions"], strict=False))
    assert counts["kernel flipped"] == 1 and counts["a partial window was computed"] == 2
    flipped = ranked.set_index("mistake").loc["kernel flipped", "questions"]
    assert flipped.startswith("a) S=1, P=0: output values") and "b) output values with S=1, P=0, map 2" in flipped
    assert set(f) == {"answers", "items", "mistakes", "parts", "part_distribution", "notebooks", "checklist"}
    checklist = f["checklist"].set_index("item")
    assert checklist.loc["dense_1layer", "done"] == 10 and checklist.loc["deeper_cnns", "notebooks"] == 10
    answers = f["answers"]
    assert len(answers) == 8 * 21 and set(answers["part"]) == {"a", "b"}  # the graded submissions x questions
    parts = f["part_distribution"].set_index("part")
    assert parts.loc["a", "out_of"] == 15 and parts.loc["b", "out_of"] == 13
    assert len(f["notebooks"]) == 10 and f["notebooks"]["best_cnn_test"].max() == 63.0


@pytest.mark.slow  # grades the bundled class end to end
def test_the_statistics_sheet_and_the_terminal(graded, tmp_path):
    import openpyxl

    st = openpyxl.load_workbook(graded / "gradebook.xlsx")["Statistics"]
    labels = [r[0] for r in st.iter_rows(values_only=True)]
    assert "Item analysis (as Moodle's quiz statistics define it)" in labels
    assert "Mistakes recognised, most frequent first" in labels and "kernel flipped" in labels
    assert len(st._charts) == 3  # the totals, facility per question, mistakes by frequency
    result = CliRunner().invoke(main, ["stats", str(graded), "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 0 and "Item analysis" in result.output and "kernel flipped" in result.output
    items = pd.read_csv(tmp_path / "csv" / "items.csv")
    assert {"facility", "discrimination", "efficiency", "verdict"} <= set(items.columns) and len(items) == 21
    again = CliRunner().invoke(main, ["stats", str(graded), "--csv", str(tmp_path / "csv")])
    assert again.exit_code == 1 and "exists; pass --force" in again.output


def test_a_folder_without_results_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(tmp_path)])
    assert result.exit_code == 1 and "not the results.json of xlcnn grade" in result.output


def test_frames_from_an_empty_class():
    f = frames({"submissions": []})
    assert f["items"].empty and f["mistakes"].empty and json.dumps(list(f))
