"""A class in the course's *own* workbook (no defined names, a layout of sheet ranges with the
strides written as numbers), filled the way students really do: rows inserted, a renamed sheet,
placeholders, a changed input. Graded with ``--layout`` only, and with ``--template`` too: every
shifted or renamed workbook is graded right with a note, nothing is graded from the wrong cells.
"""

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import course
from tests.support.factories import RIGHT
from xlcnn.cli import main

pytestmark = pytest.mark.slow  # a corpus or a whole class end to end

FULL = 28.0
UMASK = os.umask(0o022)
os.umask(UMASK)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def insert_rows(sheet: str, row: int, count: int = 1):
    return lambda wb: wb[sheet].insert_rows(row, count)


def rename(old: str, new: str):
    def edit(wb):
        wb[old].title = new
    return edit


def change_input(wb):
    wb["Ex1a"]["D5"] = 7  # the second number of the 1D input


def both(*edits):
    def edit(wb):
        for e in edits:
            e(wb)
    return edit


WRONG_CASE2 = dict(RIGHT, Case2_Output=[-2, 2, 1, 2, 1])  # the S=1 values where S=2 was asked ("stride ignored")
COPIED = dict(RIGHT, Case3_Output=[-2, 7], Volume1="3x3x3")  # two slips nobody else made
PLACEHOLDERS = dict(RIGHT, Case2_Output=[-2, 1, 1, "-", "-"], Case3_Output=[-2, 1, "—", "n/a", "/"])

# group: (answers, edit, what the gradebook must say)
CLASS = {
    "G01": (None, None, {"status": "graded", "total": FULL}),
    "G02": (None, None, {"status": "graded", "total": FULL}),
    "G03": (None, None, {"status": "graded", "total": FULL}),
    "G04": (None, None, {"status": "graded", "total": FULL}),
    "G05": (None, insert_rows("Ex1a", 14),
            {"status": "graded", "total": FULL, "note": "1D cases 2-5 found 1 row lower"}),
    "G06": (None, insert_rows("Ex1a", 4, 2),
            {"status": "graded", "total": FULL, "note": "1D block found 2 rows lower"}),
    "G07": (None, rename("Ex1b", "Exercice b"),
            {"status": "graded", "total": FULL, "note": "sheet 'Ex1b' found as 'Exercice b'"}),
    "G08": (WRONG_CASE2, insert_rows("Ex1a", 20), {"status": "graded", "wrong": ["a.case2.output"],
                                                    "diagnosis": "stride ignored",
                                                    "note": "1D cases 3-5 found 1 row lower"}),
    "G09": (PLACEHOLDERS, None, {"status": "graded", "total": FULL}),
    "G10": (None, change_input, {"status": "inputs changed"}),
    "G11": (None, both(insert_rows("Ex1a", 14), lambda wb: wb["Ex1a"].delete_rows(1, 30)),
            {"status": "layout mismatch"}),
    "G12": (COPIED, None, {"status": "graded", "wrong": ["a.case3.output", "b.volume1"]}),
    "G13": (COPIED, None, {"status": "graded", "wrong": ["a.case3.output", "b.volume1"]}),
}
AUTHORS = {"G12": "PC-LAB-3", "G13": "PC-LAB-3"}


def class_download(tmp_path: Path) -> Path:
    path = tmp_path / "course-download.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i, (group, (answers, edit, _)) in enumerate(CLASS.items(), 1):
            wb = course.student(tmp_path / f"{group}.xlsx", answers, edit,
                                author=AUTHORS.get(group, f"student {group}"))
            zf.writestr(f"{group}_{100 + i}_assignsubmission_file/cnn-ex1-stud.xlsx", wb.read_bytes())
    return path


@pytest.fixture(scope="module")
def course_class(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("course")
    layout = tmp / "layout.toml"
    layout.write_text(course.course_layout())
    return tmp, class_download(tmp), layout, course.blank(tmp / "cnn-ex1-stud.xlsx")


def graded(out: Path) -> dict:
    return {s["name"]: s for s in json.loads((out / "results.json").read_text())["submissions"]}


@pytest.mark.parametrize("with_template", [False, True], ids=["layout-only", "with-template"])
def test_a_class_in_the_courses_own_layout(course_class, with_template):
    tmp, download, layout, blank = course_class
    out = tmp / f"out-{with_template}"
    args = ["grade", download, "-o", out, "--layout", layout] + (["--template", blank] if with_template else [])
    result = run(*args)
    assert result.exit_code == 1, result.output  # two need a person
    got = graded(out)
    for group, (_, _, want) in CLASS.items():
        rec = got[group]
        assert rec["status"] == want["status"], (group, rec["status"], rec["messages"])
        if "total" in want:
            assert rec["total"] == pytest.approx(want["total"]), (group, rec["questions"])
        if "wrong" in want:
            assert [q["id"] for q in rec["questions"] if q["status"] != "right"] == want["wrong"], group
        if "diagnosis" in want:
            assert want["diagnosis"] in " ".join(sum(rec["diagnoses"].values(), [])), rec["diagnoses"]
        if "note" in want:
            assert any(want["note"] in m for m in rec["messages"]), (group, rec["messages"])
    assert any("1D input" in m for m in got["G10"]["messages"])
    with zipfile.ZipFile(out / "feedback.zip") as zf:  # the note reaches the group, in its feedback
        name = next(n for n in zf.namelist() if n.startswith("G05_"))
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(zf.read(name)))["Feedback"]
        texts = [c.value for row in sheet.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
        assert any("1D cases 2-5 found 1 row lower" in t for t in texts), texts
    assert any("layout mismatch" in m for m in got["G11"]["messages"])
    assert got["G11"]["total"] == 0 and not got["G11"]["questions"]  # never graded from the wrong cells
    # the teacher's creator and creation time, kept by every copy, explain nothing: one pair to look at
    similar = json.loads((out / "results.json").read_text())["similar"]
    assert [(p["a"], p["b"]) for p in similar] == [("G12", "G13")]
    assert "a) S=4, P=0: output values (-2, 7; no other submission gave it)" in similar[0]["reason"]
    assert "last saved by PC-LAB-3" in similar[0]["reason"] and "Prof. Course" not in similar[0]["reason"]
    for name in ("grades.csv", "feedback.zip", "gradebook.xlsx", "results.json"):
        if (out / name).exists():  # readable by the rest of the teaching team
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~UMASK, name


def worksheet_for(tmp: Path, groups: list[str]) -> Path:
    lines = ["Identifier,Full name,Email address,Status,Group,Grade,Maximum Grade,Grade can be changed,"
             "Last modified (submission),Last modified (grade),Feedback comments"]
    for i, g in enumerate(groups, 1):
        lines.append(f"Participant {500 + i},Student {g},,Submitted,{g},,10.00,Yes,-,-,")
    path = tmp / "worksheet.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_overrides_fix_a_few_submissions_and_a_rerun_applies_them(course_class, tmp_path):
    """Two workbooks in a zip, a group needing its own layout, a grade a person decided, a skip:
    no file edited, the decisions in one TOML file, applied on every run."""
    tmp, download, layout, _ = course_class
    with zipfile.ZipFile(download) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    g01 = next(n for n in members if n.startswith("G01_"))
    members[g01.replace("cnn-ex1-stud.xlsx", "draft.xlsx")] = course.student(tmp_path / "draft.xlsx", {}).read_bytes()
    dl = tmp_path / "download.zip"
    with zipfile.ZipFile(dl, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    own = tmp_path / "g05-layout.toml"  # G05 inserted a row at 14: its own layout says where things are
    import re

    def lower(m):  # every 'Ex1a' cell from row 14 down, one row lower
        cells = re.sub(r"([A-Z]+)(\d+)", lambda c: c.group(1) + str(int(c.group(2)) + (int(c.group(2)) >= 14)),
                       m.group(1))
        return f"'Ex1a'!{cells}"

    own.write_text(re.sub(r"'Ex1a'!([A-Z]+\d+(?::[A-Z]+\d+)?)", lower, course.course_layout()))
    overrides = tmp_path / "overrides.toml"
    overrides.write_text("""
["G01"]
workbook = "cnn-ex1-stud.xlsx"

["G02_102_assignsubmission_file"]
grade = 7.5
reason = "a page of working handed in on paper, marked by J. Doe"

["G05"]
layout = "g05-layout.toml"

["G09"]
skip = true
reason = "handed in again by e-mail"

["G10"]
grade = 9
reason = "the teacher gave this group other inputs"
""")
    sheet = worksheet_for(tmp_path, list(CLASS))
    outs = []
    for run_no in (1, 2):
        out = tmp_path / f"out{run_no}"
        result = run("grade", dl, "-o", out, "--layout", layout, "--worksheet", sheet, "--overrides", overrides)
        assert result.exit_code == 1, result.output  # G11 still needs a person
        outs.append(out)
    got = graded(outs[0])
    assert (got["G01"]["status"] == "graded" and got["G01"]["file"] == "cnn-ex1-stud.xlsx"
            and got["G01"]["total"] == FULL)
    assert got["G02"]["grade"] == 7.5 and "J. Doe" in got["G02"]["override"]
    assert got["G09"]["status"] == "skipped" and got["G09"]["grade"] is None
    assert got["G05"]["total"] == FULL and "own layout" in got["G05"]["override"]
    assert not any("found" in m for m in got["G05"]["messages"])  # its own layout: nothing to look for
    assert got["G10"]["status"] == "graded" and got["G10"]["grade"] == 9
    csv_text = (outs[0] / "grades.csv").read_text()
    assert "7.50" in csv_text and "a page of working handed in on paper" in csv_text
    assert (outs[0] / "grades.csv").read_bytes() == (outs[1] / "grades.csv").read_bytes()  # a re-run: the same
    import openpyxl

    grades = openpyxl.load_workbook(outs[0] / "gradebook.xlsx")["Grades"]
    header = [c.value for c in grades[1]]
    decided = {row[0]: row[header.index("Decided by a person")]
               for row in grades.iter_rows(min_row=2, values_only=True)}
    assert decided["G02"].startswith("grade set by a person: 7.5") and decided["G03"] in (None, "")


@pytest.mark.parametrize("text, match", [
    ('["G99"]\nskip = true', r"\['G99'\] names no submission of this download"),
    ('["G01"]\ngrade = 5', r"a grade set by a person needs its reason"),
    ('["G01"]\ngrad = 5', r"unknown key 'grad'; did you mean 'grade'\?"),
    ('["G01"]\nworkbook = "nope.xlsx"', r"workbook 'nope.xlsx' is not in the submission"),
    ('["G01"]\ngrade = 50\nreason = "x"', r"grade = 50 is above the assignment's maximum grade 10"),
])
def test_an_override_that_does_not_apply_stops_the_run(course_class, tmp_path, text, match):
    import re

    tmp, download, layout, _ = course_class
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(text)
    result = CliRunner().invoke(main, ["grade", str(download), "-o", str(tmp_path / "out"), "--layout", str(layout),
                                       "--worksheet", str(worksheet_for(tmp_path, list(CLASS))),
                                       "--overrides", str(overrides)])
    assert result.exit_code != 0 and "Error: " in result.output and re.search(match, result.output), result.output
    assert "Traceback" not in result.output


def test_a_drafted_layout_grades_the_class_as_the_hand_written_one(course_class, tmp_path):
    """`xlcnn layout draft` on the course's blank and solved workbooks; the class graded with the
    draft gives the same statuses, points and answers as with the layout a TA wrote by hand."""
    tmp, download, layout, blank = course_class
    solved = tmp_path / "solved.xlsx"
    assert run("solve", blank, "-o", solved, "--layout", layout).exit_code == 0
    drafted = tmp_path / "drafted.toml"
    result = run("layout", "draft", blank, "--solution", solved, "-o", drafted)
    assert result.exit_code == 0, result.output
    text = drafted.read_text()
    assert "'Ex1a'!C16:G16" in text and "# output values (3): the cells of the solved copy" in text
    without = tmp_path / "drafted-from-blank.toml"
    assert run("layout", "draft", blank, "-o", without).exit_code == 0
    assert "the empty cells coloured like the answer cells" in without.read_text()
    assert run("inspect", blank, "--layout", drafted).exit_code == 0
    outs = {}
    for name, lay in (("hand", layout), ("draft", drafted), ("draft-blank", without)):
        out = tmp_path / name
        assert run("grade", download, "-o", out, "--layout", lay).exit_code == 1
        outs[name] = {g: (s["status"], s["total"], [(q["id"], q["status"], q["given"]) for q in s["questions"]])
                      for g, s in graded(out).items()}
    assert outs["draft"] == outs["hand"]
    assert outs["draft-blank"] == outs["hand"]


def test_layout_draft_of_a_workbook_without_the_exercise_is_one_line(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "nothing here"
    wb.save(tmp_path / "other.xlsx")
    result = CliRunner().invoke(main, ["layout", "draft", str(tmp_path / "other.xlsx"), "-o", str(tmp_path / "l.toml")])
    assert result.exit_code != 0 and "write the layout by hand" in result.output and "Traceback" not in result.output
