"""``xlcnn moodle pull`` and ``push`` against the real Moodle 4.5.6, served on loopback.

What Moodle holds is read with ``mdl_dump.php``; the students each submission belongs to come from
Moodle's state, never from xlcnn. Each case is a fresh course made by Moodle's own code."""

from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.moodle_site import (
    cli,
    download,
    dump,
    person,
    php,
    setup_course,
    submission_zip,
)
from xlcnn.cli import main

pytestmark = pytest.mark.moodle


xlcnn = cli


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha1 of every file under ``folder`` (moodle.json aside)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "moodle.json"}


def zip_tree(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: hashlib.sha1(zf.read(n)).hexdigest() for n in zf.namelist() if not n.endswith("/")}


def team_class(tmp_path: Path, case: str, held: bool = False):
    users = [person(case, "Alice", "Martin", "Group 01"), person(case, "Bruno", "Keller", "Group 01"),
             person(case, "Chloe", "Dubois", "Group_02"), person(case, "David", "Meier", "Group_02"),
             person(case, "Emma", "Rossi", "Group 03"), person(case, "Gina", "Loner")]
    subs = [{"group": "Group 01", "files": [str(submission_zip(tmp_path, f"{case}-g1", "right"))]},
            {"group": "Group_02", "files": [str(submission_zip(tmp_path, f"{case}-g2", "maps"))]}]
    if held:  # two workbooks: a person must choose, nothing is pushed for them
        book = zipfile.ZipFile(submission_zip(tmp_path, f"{case}-g3", "two")).read("cnn-ex1-stud.xlsx")
        subs.append({"group": "Group 03", "files": [str(submission_zip(tmp_path, f"{case}-g3b", "two",
                                                                          {"copy.xlsx": book}))]})
    return users, subs


def individual_class(tmp_path: Path, case: str):
    users = [person(case, "Ann", "Lee"), person(case, "Bob", "Roe_Smith"), person(case, "Cy", "Doe"),
             person(case, "Di", "Fox")]
    subs = [{"email": users[0]["email"], "files": [str(submission_zip(tmp_path, f"{case}-a", "right"))]},
            {"email": users[1]["email"], "files": [str(submission_zip(tmp_path, f"{case}-b", "two"))]},
            {"email": users[2]["email"], "files": [str(submission_zip(tmp_path, f"{case}-c", "three"))]}]
    return users, subs


@pytest.mark.parametrize("kind", ["team", "individual", "blind"])
def test_pull_gives_the_paths_and_bytes_of_moodles_download(moodle, moodle_ws, tmp_path, kind):
    users, subs = team_class(tmp_path, kind) if kind == "team" else individual_class(tmp_path, kind)
    state = setup_course(moodle, tmp_path, kind, team=kind == "team", blind=kind == "blind", users=users,
                         submissions=subs)
    zipped = zip_tree(download(moodle, state["cmid"], tmp_path / "dl"))
    result = xlcnn(moodle_ws, "moodle", "pull", "--assignment", state["cmid"], "-o", tmp_path / "pulled")
    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "pulled") == zipped
    snap = json.loads((tmp_path / "pulled" / "moodle.json").read_text())
    assert snap["max_grade"] == 6 and snap["team"] is (kind == "team") and snap["blind"] is (kind == "blind")
    if kind == "blind":
        assert all(p["fullname"] == "" and p["email"] == "" for p in snap["participants"])


def _grade_pulled(moodle_ws, tmp_path: Path, cmid: int, name: str = "pulled") -> Path:
    assert xlcnn(moodle_ws, "moodle", "pull", "--assignment", cmid, "-o", tmp_path / name).exit_code == 0
    out = tmp_path / f"{name}-out"
    result = xlcnn(moodle_ws, "grade", tmp_path / name, "-o", out)
    assert result.exit_code in (0, 1), result.output
    return out


def _strip_times(held: dict) -> dict:
    return {s["email"]: (s["grade"], s["comment"], [(f["path"], f["sha1"]) for f in s["feedback_files"]])
            for s in held["students"]}


@pytest.mark.parametrize("kind", ["team", "individual", "blind"])
def test_pull_grade_push_gives_what_the_two_manual_uploads_give(moodle, moodle_ws, tmp_path, kind):
    team = kind == "team"
    users, subs = team_class(tmp_path, kind, held=True) if team else individual_class(tmp_path, kind)
    manual = setup_course(moodle, tmp_path, kind, team=team, blind=kind == "blind", users=users, submissions=subs)
    pushed = setup_course(moodle, tmp_path, kind, team=team, blind=kind == "blind", users=users, submissions=subs)
    # the manual way: download, worksheet, grade, both importers
    dl = download(moodle, manual["cmid"], tmp_path / "dl")
    sheet = tmp_path / "worksheet.csv"
    sheet.write_bytes(php(moodle, "mdl_worksheet.php", manual["cmid"]).encode("utf-8"))
    out = tmp_path / "manual-out"
    assert xlcnn(moodle_ws, "grade", dl, "--worksheet", sheet, "-o", out).exit_code in (0, 1)
    php(moodle, "mdl_import.php", manual["cmid"], f"--csv={out / 'grades.csv'}")
    php(moodle, "mdl_import.php", manual["cmid"], f"--zip={out / 'feedback.zip'}")
    # the web services' way
    out2 = _grade_pulled(moodle_ws, tmp_path, pushed["cmid"])
    result = xlcnn(moodle_ws, "moodle", "push", out2, "--yes")
    assert result.exit_code in (0, 1), result.output
    want, got = _strip_times(dump(moodle, manual["cmid"])), _strip_times(dump(moodle, pushed["cmid"]))
    assert got == want
    assert any(g[0] is not None for g in got.values())  # something landed
    if team:  # the held group (two workbooks) and the student in no group got nothing
        assert got[f"{kind}.emma@example.com"] == (None, None, []) == got[f"{kind}.gina@example.com"]
        plan = json.loads((out2 / "moodle-plan.json").read_text())
        assert [a["why"] for a in plan if a["action"] == "skip"] == [
            "held for a person (several workbooks): nothing is sent"]


def test_a_dry_run_and_a_second_push_change_nothing(moodle, moodle_ws, tmp_path):
    users, subs = team_class(tmp_path, "again")
    state = setup_course(moodle, tmp_path, "again", team=True, users=users, submissions=subs)
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    before = dump(moodle, state["cmid"])
    dry = xlcnn(moodle_ws, "moodle", "push", out, "--dry-run")
    assert dry.exit_code == 0 and "dry run: nothing was sent" in dry.output, dry.output
    assert dump(moodle, state["cmid"]) == before
    assert xlcnn(moodle_ws, "moodle", "push", out, "--yes").exit_code == 0
    after_first = dump(moodle, state["cmid"])
    assert after_first != before
    time.sleep(1.1)  # a second write would show in grade_timemodified
    second = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert second.exit_code == 0 and "nothing to send" in second.output, second.output
    assert dump(moodle, state["cmid"]) == after_first  # times included


def test_a_grade_changed_in_moodle_after_the_pull_is_kept(moodle, moodle_ws, tmp_path):
    users, subs = individual_class(tmp_path, "kept")
    state = setup_course(moodle, tmp_path, "kept", team=False, users=users, submissions=subs)
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    bob = users[1]["email"]
    php(moodle, "mdl_regrade.php", state["cmid"], f"{bob}=1.5")
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 1, result.output
    plan = {a["label"]: a for a in json.loads((out / "moodle-plan.json").read_text())}
    assert [a["action"] for a in plan.values()] == ["create", "skip", "create"]
    [bob_label] = [k for k in plan if k.startswith("Bob ")]
    assert plan[bob_label]["why"].startswith("the grade changed in Moodle since the pull (by user ")
    held = {s["email"]: s for s in dump(moodle, state["cmid"])["students"]}
    assert held[bob]["grade"] == 1.5 and held[bob]["feedback_files"] == []
    assert held[users[0]["email"]]["grade"] == 6.0  # the others landed
    again = xlcnn(moodle_ws, "moodle", "push", out, "--yes", "--overwrite")
    assert again.exit_code == 0, again.output
    assert {s["email"]: s for s in dump(moodle, state["cmid"])["students"]}[bob]["grade"] != 1.5


def test_a_grade_above_the_maximum_is_refused_before_anything_is_sent(moodle, moodle_ws, tmp_path):
    users, subs = individual_class(tmp_path, "above")
    state = setup_course(moodle, tmp_path, "above", team=False, users=users, submissions=subs)
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    results = json.loads((out / "results.json").read_text())
    results["submissions"][0]["grade"] = 7.5  # out of 6
    (out / "results.json").write_text(json.dumps(results))
    before = dump(moodle, state["cmid"])
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 1 and "outside 0..6" in result.output and "nothing was sent" in result.output
    assert dump(moodle, state["cmid"]) == before


def test_a_teachers_own_feedback_file_survives(moodle, moodle_ws, tmp_path):
    from xlcnn.moodlews.client import Client
    from xlcnn.moodlews.credentials import Credentials
    from xlcnn.moodlews.site import assignment, participants, site_info

    users, subs = individual_class(tmp_path, "ownfile")
    state = setup_course(moodle, tmp_path, "ownfile", team=False, users=users, submissions=subs)
    # before the pull, a teacher gives Ann a file of their own through the grader (here: the web services)
    base, tok = moodle_ws
    client = Client(Credentials(base, tok))
    site = site_info(client)
    a = assignment(client, site, state["cmid"])
    ann = next(p for p in participants(client, a, site) if p.fullname.startswith("Ann"))
    itemid = client.upload([("teacher-notes.txt", b"see me after class")])
    client.call("mod_assign_save_grade", {"assignmentid": a.id, "userid": ann.user, "grade": 1, "attemptnumber": -1,
                                          "addattempt": 0, "workflowstate": "", "applytoall": 0,
                                          "plugindata": {"assignfeedbackcomments_editor": {"text": "", "format": 1},
                                                         "files_filemanager": itemid}})
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 0, result.output
    held = {s["email"]: s for s in dump(moodle, state["cmid"])["students"]}
    names = [f["path"] for f in held[users[0]["email"]]["feedback_files"]]
    assert names == ["/cnn-ex1-stud-feedback.xlsx", "/teacher-notes.txt"]
    teacher = next(f for f in held[users[0]["email"]]["feedback_files"] if f["path"] == "/teacher-notes.txt")
    assert teacher["sha1"] == hashlib.sha1(b"see me after class").hexdigest()
    assert held[users[0]["email"]]["grade"] == 6.0


def test_a_wrong_token_is_one_clear_line(moodle_ws, tmp_path):
    result = xlcnn(moodle_ws, "moodle", "check", XLCNN_MOODLE_TOKEN="0" * 32)
    assert result.exit_code == 1
    assert result.output.strip().endswith("the token is not valid (wrong or deleted): get a new one with "
                                          "`xlcnn moodle login`, or ask the site's administrator")
    assert "0" * 32 not in result.output


def test_check_says_what_the_token_can_do(moodle, moodle_ws, tmp_path):
    users, subs = individual_class(tmp_path, "check")
    state = setup_course(moodle, tmp_path, "check", team=False, users=users, submissions=subs)
    result = xlcnn(moodle_ws, "moodle", "check", "--assignment", state["cmid"])
    assert result.exit_code == 0, result.output
    assert "Moodle 4.5" in result.output and "mod_assign_save_grade" in result.output
    assert "maximum grade 6; individual submissions" in " ".join(result.output.split())


def test_login_gets_a_token_as_the_app_does_and_keeps_it_private(moodle, moodle_ws, tmp_path):
    base, _ = moodle_ws
    creds = json.loads(php(moodle, "mdl_ws.php", "--mobile"))
    config = tmp_path / "config" / "moodle.toml"
    result = CliRunner().invoke(main, ["moodle", "login", "--url", base, "--username", creds["username"]],
                                input=creds["password"] + "\n",
                                env={"XLCNN_MOODLE_CONFIG": str(config), "XLCNN_MOODLE_URL": "",
                                     "XLCNN_MOODLE_TOKEN": ""})
    assert result.exit_code == 0, result.output
    assert creds["password"] not in result.output
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    check = CliRunner().invoke(main, ["moodle", "check"], env={"XLCNN_MOODLE_CONFIG": str(config),
                                                               "XLCNN_MOODLE_URL": "", "XLCNN_MOODLE_TOKEN": ""})
    assert "token of user" in check.output, check.output
    os.chmod(config, 0o644)
    refused = CliRunner().invoke(main, ["moodle", "check"], env={"XLCNN_MOODLE_CONFIG": str(config),
                                                                 "XLCNN_MOODLE_URL": "", "XLCNN_MOODLE_TOKEN": ""})
    assert refused.exit_code == 1 and "readable by others" in refused.output


def test_a_push_interrupted_half_way_resumes(moodle, moodle_ws, tmp_path):
    """The state an interrupted push leaves (some students sent, the journal written after each) is
    made by sending only the first students' part of the plan; the next push sends the rest."""
    from xlcnn.moodlews.client import Client
    from xlcnn.moodlews.credentials import Credentials
    from xlcnn.moodlews.push import apply, plan, read_journal, read_outputs, targets
    from xlcnn.moodlews.site import Feedback, assignment, feedback, site_info

    users, subs = individual_class(tmp_path, "resume")
    state = setup_course(moodle, tmp_path, "resume", team=False, users=users, submissions=subs)
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    base, tok = moodle_ws
    client = Client(Credentials(base, tok))
    site = site_info(client)
    a = assignment(client, site, state["cmid"])
    results, snap = read_outputs(out)
    wanted, _ = targets(results, snap, out)
    baseline = {p["user"]: Feedback.from_json(p["feedback"]) for p in snap["participants"]}
    actions = plan(wanted, {t.user: feedback(client, a, t.user) for t in wanted}, baseline, {})
    apply(client, a, actions[:1], out, site.url)  # stopped after the first student
    assert len(read_journal(out)) == 1
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 0, result.output
    done = json.loads((out / "moodle-plan.json").read_text())
    assert sorted(a["action"] for a in done) == ["create", "create", "unchanged"]
    assert len(read_journal(out)) == 3
    held = {s["email"]: s for s in dump(moodle, state["cmid"])["students"]}
    assert all(held[u["email"]]["grade"] is not None for u in users[:3]) and held[users[3]["email"]]["grade"] is None


def test_the_grades_csv_of_a_pulled_folder_is_taken_by_moodles_worksheet_import(moodle, moodle_ws, tmp_path):
    """Without push, a teacher may upload grades.csv by hand: a student Moodle had already graded is
    updated (its 'Last modified (grade)' is Moodle's own time, not '-'), and a grade a person changed
    after the pull is kept, as the importer keeps any grade changed after its worksheet."""
    users, subs = individual_class(tmp_path, "csv")
    ann, bob = users[0]["email"], users[1]["email"]
    state = setup_course(moodle, tmp_path, "csv", team=False, users=users, submissions=subs,
                         pregrade={ann: 2.0, bob: 2.0})
    out = _grade_pulled(moodle_ws, tmp_path, state["cmid"])
    time.sleep(61)  # Moodle ignores changes within the same minute as the sheet's time
    php(moodle, "mdl_regrade.php", state["cmid"], f"{bob}=1.5")
    php(moodle, "mdl_import.php", state["cmid"], f"--csv={out / 'grades.csv'}")
    held = {s["email"]: s for s in dump(moodle, state["cmid"])["students"]}
    assert held[ann]["grade"] == 6.0  # all right, graded before the pull: updated
    assert held[bob]["grade"] == 1.5  # changed by a person after the pull: kept
