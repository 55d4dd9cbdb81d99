"""The docs' Moodle examples, run as written against the real Moodle 4.5.6 served on loopback: the
README's three commands and the grading guide's block (pull, grade, push). The pages' own `export`
lines are played by the environment (the loopback site's URL and token); the assignment number the
pages show (4242, "the number in the assignment's URL") is the test course's."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from tests.support.docs import MOODLE_BLOCKS, ROOT, all_commands, outputs
from tests.support.moodle_site import dump, person, setup_course, submission_zip
from xlcnn.cli import main

pytestmark = pytest.mark.moodle

SHOWN_ASSIGNMENT = "4242"
# the class below has a submission a person must look at: grade and push say so with exit 1
EXIT = {"grade": 1, "moodle push": 1}


@pytest.mark.parametrize("page, block", MOODLE_BLOCKS, ids=[f"{p.relative_to(ROOT)}:block {b}"
                                                            for p, b in MOODLE_BLOCKS])
def test_the_moodle_examples_run_as_written(moodle, moodle_ws, tmp_path, monkeypatch, page, block):
    case = f"docs{block}"
    users = [person(case, "Alice", "Martin", "Group 01"), person(case, "Bruno", "Keller", "Group 01"),
             person(case, "Chloe", "Dubois", "Group 02")]
    book = submission_zip(tmp_path, f"{case}-g1", "right")
    with zipfile.ZipFile(book) as zf:  # the same workbook twice: a person must choose
        two = submission_zip(tmp_path, f"{case}-g2", "right", {"copy.xlsx": zf.read("cnn-ex1-stud.xlsx")})
    state = setup_course(moodle, tmp_path, case, team=True, users=users,
                         submissions=[{"group": "Group 01", "files": [str(book)]},
                                      {"group": "Group 02", "files": [str(two)]}])
    base, token = moodle_ws
    env = {"XLCNN_MOODLE_URL": base, "XLCNN_MOODLE_TOKEN": token, "XLCNN_MOODLE_CONFIG": "/nonexistent"}
    monkeypatch.chdir(tmp_path)
    session = [c for c in all_commands() if c.path == page and c.block == block and c.kind == "example"]
    assert [c.argv()[0] for c in session] == ["moodle", "grade", "moodle"]
    for cmd in session:
        argv = [str(state["cmid"]) if w == SHOWN_ASSIGNMENT else w for w in cmd.argv()]
        result = CliRunner().invoke(main, argv, env=env, input="y\n")  # push asks before it sends
        expected = EXIT.get(argv[0], EXIT.get(" ".join(argv[:2]), 0))
        assert result.exit_code == expected, f"{cmd.where}: {result.output[-800:]}"
        assert all((tmp_path / name).exists() for name in outputs(cmd)), cmd.where
    grades = {s["email"]: s["grade"] for s in dump(moodle, state["cmid"])["students"]}
    assert grades[users[0]["email"]] == grades[users[1]["email"]] == 6  # all right: the full grade, both members
    assert grades[users[2]["email"]] is None  # two workbooks: held for a person, nothing pushed
