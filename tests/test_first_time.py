"""A first afternoon with xlcnn as a TA, a teacher and a student: the rough edges, one test each."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.factories import RIGHT, make_submission
from xlcnn.cli import main
from xlcnn.grading.record import GRADED, SKIPPED, GradeRun, Record
from xlcnn.grading.rubric import load_rubric

SAMPLES = Path(__file__).resolve().parents[1] / "workbooks" / "samples"
DOWNLOAD = SAMPLES / "TSM_DeLearn-PW04 CNN-group-4242.zip"
WORKSHEET = SAMPLES / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"


def run(*args, columns: int | None = None):
    env = {"COLUMNS": str(columns)} if columns else None
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "out"
    result = run("grade", DOWNLOAD, "--worksheet", WORKSHEET, "-o", out)
    return result, out, json.loads((out / "results.json").read_text())


# ------------------------------------------------------------------ TA


@pytest.mark.slow  # grades the bundled class end to end
def test_a_held_row_never_shows_a_grade_as_if_exported(sample):
    result, out, data = sample
    held = {s["name"]: s for s in data["submissions"]}["Group 09"]
    assert held["status"] == "inputs changed" and held["grade"] is None and held["computed_grade"] == 6.0
    line = next(line for line in result.output.splitlines() if "Group 09" in line)
    assert "held" in line and "6.00" not in line
    graded = {s["name"]: s for s in data["submissions"]}["Group 01"]
    assert graded["grade"] == 6.0 and graded["computed_grade"] is None


@pytest.mark.parametrize("statuses, decided, words", [
    ([GRADED, GRADED], [False, False], "2 graded automatically, 0 need a person (of 2)"),
    ([GRADED, GRADED, SKIPPED, "inputs changed"], [False, True, False, False],
     "1 graded automatically, 1 decided by a person, 1 skipped, 1 needs a person (of 4)"),
    (["unreadable", "no workbook"], [False, False], "0 graded automatically, 2 need a person (of 2)"),
], ids=["all-graded", "one-of-each", "none-graded"])
def test_the_counts_add_up(statuses, decided, words):
    records = [Record(f"k{i}", f"G{i}", str(i), status=s, decided=d)
               for i, (s, d) in enumerate(zip(statuses, decided, strict=False))]
    run_ = GradeRun(records, [], [], load_rubric(None))
    assert run_.summary() == words and sum(run_.counts().values()) == len(records)


@pytest.mark.slow  # grades the bundled class end to end
def test_a_worksheet_of_another_assignment_stops_the_run(tmp_path):
    other = tmp_path / "Grades-TSM_DeLearn-PW05 RNN-group-5150.csv"
    shutil.copyfile(WORKSHEET, other)
    result = run("grade", DOWNLOAD, "--worksheet", other, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "is the worksheet of assignment 5150" in result.output
    assert "download is of assignment 4242" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "out" / "results.json").exists()
    assert run("grade", DOWNLOAD, "--worksheet", other, "-o", tmp_path / "forced", "--force").exit_code == 1
    assert (tmp_path / "forced" / "grades.csv").exists()


def test_a_worksheet_of_another_class_stops_the_run_in_one_line(tmp_path):
    text = WORKSHEET.read_text(encoding="utf-8-sig")
    foreign = re.sub(r"Participant (\d+)", lambda m: f"Participant 9{m.group(1)}", text).replace("Group ", "Team ")
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(foreign, encoding="utf-8")
    result = run("grade", DOWNLOAD, "--worksheet", sheet, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "of the download's 10 submissions have no row in worksheet.csv" in result.output
    assert result.output.strip().count("\n") == 0 and not list((tmp_path / "out").glob("*"))


def test_a_zip_and_a_csv_swapped_are_named_for_what_they_are(tmp_path):
    result = run("grade", DOWNLOAD, "--worksheet", DOWNLOAD, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "this is a zip, not the grading worksheet" in result.output
    assert "PK" not in result.output.replace("PW04", "")
    result = run("grade", WORKSHEET, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "this is the grading worksheet (a CSV), not the download" in result.output


@pytest.mark.slow  # grades the bundled class end to end
def test_a_student_with_no_submission_is_listed(sample):
    import openpyxl

    _, out, data = sample
    assert [a["full_name"] for a in data["absent"]] == ["Zoé Lambert"]
    rows = list(openpyxl.load_workbook(out / "gradebook.xlsx")["Grades"].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "Zoé Lambert" and r[2] == "no submission" for r in rows)


@pytest.mark.slow  # grades the bundled class end to end
def test_without_a_worksheet_the_scale_and_members_are_worded_for_the_case(tmp_path):
    run("grade", DOWNLOAD, "-o", tmp_path / "out")
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["scale_note"].startswith("the assignment's scale is unknown: no grading worksheet was given")
    assert "members are unknown" in data["members_note"]


# ------------------------------------------------------------------ teacher


@pytest.mark.parametrize("command", [
    ["template", "-o", "{out}"],
    ["solve", "{blank}", "-o", "{out}"],
    ["layout", "draft", "{blank}", "-o", "{out}"],
    ["results", "-o", "{out}", "--quick"],
], ids=["template", "solve", "layout-draft", "results"])
def test_no_command_overwrites_a_file_without_force(tmp_path, command):
    blank = tmp_path / "blank.xlsx"
    run("template", "-o", blank)
    out = tmp_path / "precious.out"
    out.write_bytes(b"a filled workbook")
    result = run(*[a.format(out=out, blank=blank) for a in command])
    assert result.exit_code == 1 and f"{out}: exists; pass --force to overwrite it" in result.output
    assert out.read_bytes() == b"a filled workbook"


def test_template_writes_to_the_current_folder_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("template")
    assert result.exit_code == 0 and (tmp_path / "cnn-ex1-stud.xlsx").exists()
    assert f"(in {tmp_path})" in result.output and not (tmp_path / "workbooks").exists()


def test_layout_draft_says_when_blank_and_solution_look_swapped(tmp_path):
    run("template", "-o", tmp_path / "blank.xlsx")
    run("solve", tmp_path / "blank.xlsx", "-o", tmp_path / "solved.xlsx")
    result = run("layout", "draft", tmp_path / "solved.xlsx", "--solution", tmp_path / "blank.xlsx",
                 "-o", tmp_path / "draft.toml")
    assert result.exit_code == 1 and "the arguments look swapped" in result.output
    assert not (tmp_path / "draft.toml").exists()


def test_a_checksum_mismatch_points_to_data_md5(tmp_path):
    from xlcnn.training.cifar import DataError, load_local

    archive = tmp_path / "subset.tar.gz"
    archive.write_bytes(b"not the official archive")
    with pytest.raises(DataError, match=r"pass --data-md5 [0-9a-f]{32} \(or --data-md5 none\)"):
        load_local(archive)


# ------------------------------------------------------------------ student


@pytest.fixture
def partly(tmp_path) -> Path:
    answers = dict(RIGHT, Case2_Size=4, Volume1="3x3x3", Case1_Output=[2, -2, 1, 2, 1])
    answers.pop("Output2D_K2")
    return make_submission(tmp_path, answers, name="partly.xlsx")


def test_check_at_80_columns_reads_well(partly):
    result = run("check", partly, columns=80)
    out = result.output
    assert result.exit_code == 1
    assert "cell C17:" in out and "wrong: expected 3: (7 - 3 + 2*0) / 2 + 1 = 3" in " ".join(out.split())
    assert "(empty)" in out and "Mistakes recognised" in out
    for line in out.splitlines():  # a reference is never cut over two lines
        assert not re.search(r"\bcell\s*$", line) and not re.match(r"^\s*[A-Z]+\d+:", line), line


def test_a_long_worked_sum_is_shortened():
    from xlcnn.console import shortened

    long = "map 1: y[0,0] = " + " + ".join(f"{k}*{k}" for k in range(27)) + " + 1 = 6202"
    short = shortened(long)
    assert len(short) <= 110 and short.endswith(" + … = 6202") and short.startswith("map 1: y[0,0] = 0*0 + 1*1")


def test_hints_mode_never_shows_an_expected_value(tmp_path, partly):
    full = run("check", partly).output
    assert "-2, 2, 1, 2, 1" in full  # the expected output, in full mode
    hints = run("check", partly, "--hints", columns=200).output
    assert "expected" not in hints.lower().replace("the expected values are not shown", "")
    assert "│ -2, 2, 1, 2, 1 " not in hints and "= -2" not in hints  # neither the values nor their working
    assert "wrong" in hints and "output depth is the number of filters" in hints and "Hints only" in hints
    data = json.loads(run("check", partly, "--hints", "--json").output)
    assert all(q["expected"] == "" and all(c["expected"] is None for c in q["cells"]) for q in data["questions"])


def test_a_teacher_sets_hints_in_the_handed_out_workbook(tmp_path):
    import openpyxl

    from tests.support.factories import fill

    run("template", "-o", tmp_path / "handout.xlsx", "--check-mode", "hints")
    wb = openpyxl.load_workbook(tmp_path / "handout.xlsx")
    fill(wb, {"Case1_Output": [9, 9, 9, 9, 9]})
    wb.save(tmp_path / "student.xlsx")
    result = run("check", tmp_path / "student.xlsx")
    assert "Hints only" in result.output and "-2, 2, 1, 2, 1" not in result.output
    data = json.loads(run("check", tmp_path / "student.xlsx", "--json").output)
    assert data["mode"] == "hints" and all(q["expected"] == "" for q in data["questions"])
