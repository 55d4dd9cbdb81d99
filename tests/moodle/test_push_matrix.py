"""``xlcnn moodle pull / grade / push`` in every kind of assignment, on the real Moodle 4.5.6: team,
individual, blind marking, marking workflow (grades not released), marking workflow with blind
marking. For each kind:

* the push leaves every student with the grade, comment and feedback-file bytes that Moodle's own
  worksheet and feedback-zip importers give a twin course; nothing of a held submission lands; a
  dry run and a second push change nothing (times included); a push stopped half-way resumes;
  under marking workflow each student's state stays as the teacher set it, until ``--release``;
* what a person did in Moodle after the pull (a grade changed, a comment written, a feedback file
  added, a student who handed in again, a group whose members changed) is kept and said in the
  plan, and ``--overwrite`` replaces a grade, a comment and a file (never a new attempt or a
  changed group).

What Moodle holds is read with ``mdl_dump.php`` (and the workflow states with the test helper
``mdl_person.php``), never through xlcnn."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from tests.support.moodle_site import (
    cli,
    as_a_person,
    download,
    dump,
    person,
    php,
    setup_course,
    submission_zip,
)

pytestmark = pytest.mark.moodle

KINDS = {"team": {"team": True}, "individual": {}, "blind": {"blind": True}, "workflow": {"workflow": True},
         "workflow-blind": {"workflow": True, "blind": True}}


def xlcnn(moodle_ws, *args):
    return cli(moodle_ws, *args, COLUMNS="80")  # the plan as a TA reads it at 80 columns


def held(moodle, cmid: int) -> dict[str, tuple]:
    """email -> (grade, comment, feedback files as (path, sha1)), as Moodle holds them."""
    return {s["email"]: (s["grade"], s["comment"], [(f["path"], f["sha1"]) for f in s["feedback_files"]])
            for s in dump(moodle, cmid)["students"]}


def states(moodle, cmid: int) -> dict[str, str]:
    return json.loads(as_a_person(moodle, "states", cmid))


def two_workbooks(tmp_path: Path, label: str) -> Path:
    """A hand-in with two workbooks: held for a person, so nothing of it may reach Moodle."""
    book = zipfile.ZipFile(submission_zip(tmp_path, f"{label}-a", "two")).read("cnn-ex1-stud.xlsx")
    return submission_zip(tmp_path, label, "two", {"copy.xlsx": book})


def a_class(tmp_path: Path, kind: str) -> tuple[list[dict], list[dict]]:
    """Five submissions that each grade differently and one held; a student (or group) with none."""
    answers = ["right", "maps", "two", "three", "right"]
    if KINDS.get(kind, {}).get("team"):
        users = [person(kind, f"S{n}a", "Martin", f"Group 0{n}") for n in range(1, 7)]
        users += [person(kind, f"S{n}b", "Keller", f"Group 0{n}") for n in range(1, 6)]
        subs = [{"group": f"Group 0{n}", "files": [str(submission_zip(tmp_path, f"{kind}-g{n}", answers[n - 1]))]}
                for n in range(1, 6)]
        subs.append({"group": "Group 06", "files": [str(two_workbooks(tmp_path, f"{kind}-g6"))]})
        users.append(person(kind, "Nora", "Nogroup"))
        return users, subs
    users = [person(kind, f"S{n}", "Lee") for n in range(1, 8)]
    subs = [{"email": users[n]["email"], "files": [str(submission_zip(tmp_path, f"{kind}-{n}", answers[n]))]}
            for n in range(5)]
    subs.append({"email": users[5]["email"], "files": [str(two_workbooks(tmp_path, f"{kind}-5"))]})
    return users, subs


def pull_and_grade(moodle_ws, tmp_path: Path, cmid: int) -> Path:
    pulled = xlcnn(moodle_ws, "moodle", "pull", "--assignment", cmid, "-o", tmp_path / "pulled")
    assert pulled.exit_code == 0, pulled.output
    out = tmp_path / "graded"
    graded = xlcnn(moodle_ws, "grade", tmp_path / "pulled", "-o", out)
    assert graded.exit_code == 1, graded.output  # the hand-in with two workbooks needs a person
    return out


def plan(out: Path) -> dict[int, dict]:
    return {a["user"]: a for a in json.loads((out / "moodle-plan.json").read_text())}


def stop_after_the_first_student(moodle_ws, out: Path) -> None:
    """What an interrupted push leaves: the first student sent (and journaled), the rest not."""
    from xlcnn.moodlews.client import Client
    from xlcnn.moodlews.credentials import Credentials
    from xlcnn.moodlews.push import apply, read_journal, read_outputs, targets
    from xlcnn.moodlews.push import plan as make_plan
    from xlcnn.moodlews.site import Feedback, assignment, feedbacks, site_info

    client = Client(Credentials(*moodle_ws))
    site = site_info(client)
    results, snap = read_outputs(out)
    a = assignment(client, site, int(snap["cmid"]))
    wanted, _ = targets(results, snap, out)
    baseline = {p["user"]: Feedback.from_json(p["feedback"]) for p in snap["participants"]}
    actions = make_plan(wanted, feedbacks(client, a, [t.user for t in wanted]), baseline, {})
    apply(client, a, [next(x for x in actions if x.kind == "create")], out, site.url)
    assert len(read_journal(out)) == 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_push_gives_what_the_importers_give_and_a_second_changes_nothing(moodle, moodle_ws, tmp_path, kind):
    users, subs = a_class(tmp_path, kind)
    manual = setup_course(moodle, tmp_path, kind, users=users, submissions=subs, **({"team": False} | KINDS[kind]))
    pushed = setup_course(moodle, tmp_path, kind, users=users, submissions=subs, **({"team": False} | KINDS[kind]))
    if "workflow" in kind:  # a teacher put two students in marking before anything else
        for cmid in (manual["cmid"], pushed["cmid"]):
            for u in users[:2]:
                as_a_person(moodle, "state", cmid, u["email"], "inmarking")
    # the manual way: download, worksheet, grade, both importers
    dl = download(moodle, manual["cmid"], tmp_path / "dl")
    sheet = tmp_path / "worksheet.csv"
    sheet.write_bytes(php(moodle, "mdl_worksheet.php", manual["cmid"]).encode("utf-8"))
    assert xlcnn(moodle_ws, "grade", dl, "--worksheet", sheet, "-o", tmp_path / "manual").exit_code == 1
    php(moodle, "mdl_import.php", manual["cmid"], f"--csv={tmp_path / 'manual' / 'grades.csv'}")
    php(moodle, "mdl_import.php", manual["cmid"], f"--zip={tmp_path / 'manual' / 'feedback.zip'}")
    # the web services' way: a dry run, a push stopped after one student, the push that resumes it
    out = pull_and_grade(moodle_ws, tmp_path, pushed["cmid"])
    before, flags = held(moodle, pushed["cmid"]), states(moodle, pushed["cmid"])
    dry = xlcnn(moodle_ws, "moodle", "push", out, "--dry-run")
    assert dry.exit_code == 1 and "dry run: nothing was sent" in dry.output, dry.output  # one is held
    assert held(moodle, pushed["cmid"]) == before and dump(moodle, pushed["cmid"]) == dump(moodle, pushed["cmid"])
    stop_after_the_first_student(moodle_ws, out)
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 1, result.output
    assert sorted(a["action"] for a in plan(out).values()).count("unchanged") == 1  # the one sent before the stop
    got, want = held(moodle, pushed["cmid"]), held(moodle, manual["cmid"])
    assert got == want
    assert sum(g[0] is not None for g in got.values()) == (10 if kind == "team" else 5), got
    held_out = [e for e, g in got.items() if g == (None, None, [])]
    assert len(held_out) == 2  # the two-workbook hand-in, and the student with none
    assert [a["why"] for a in plan(out).values() if a["action"] == "skip"] == [
        "held for a person (several workbooks): nothing is sent"]
    now_states = states(moodle, pushed["cmid"])
    assert {e: now_states[e] for e in flags} == flags  # every workflow state as the teacher left it
    assert {e: s for e, s in now_states.items() if s} == (
        {u["email"]: "inmarking" for u in users[:2]} if "workflow" in kind else {})
    # a second push with nothing new sends nothing: not a time changes
    after = dump(moodle, pushed["cmid"])
    time.sleep(1.1)
    again = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert again.exit_code == 1 and "nothing to send" in again.output, again.output
    assert dump(moodle, pushed["cmid"]) == after
    if "workflow" in kind:  # released only when the teacher asks, and the plan says so
        dry = xlcnn(moodle_ws, "moodle", "push", out, "--release", "--dry-run")
        assert "every student pushed is set to Released" in " ".join(dry.output.split())
        assert xlcnn(moodle_ws, "moodle", "push", out, "--release", "--yes").exit_code == 1
        released = states(moodle, pushed["cmid"])
        assert {e for e, s in released.items() if s == "released"} == {e for e, g in got.items() if g[0] is not None}
        assert held(moodle, pushed["cmid"]) == got
        assert "nothing to send" in xlcnn(moodle_ws, "moodle", "push", out, "--yes").output


def _comment(client, a, user: int, text: str, files: list[tuple[str, bytes]] | None = None) -> None:
    """A colleague writes a comment (or adds a feedback file) in Moodle's grader, leaving the grade."""
    plugindata = {"assignfeedbackcomments_editor": {"text": text, "format": 1}}
    if files:
        plugindata["files_filemanager"] = client.upload(files)
    client.call("mod_assign_save_grade", {"assignmentid": a.id, "userid": user, "grade": -1, "attemptnumber": -1,
                                          "addattempt": 0, "workflowstate": "", "applytoall": 0,
                                          "plugindata": plugindata})


@pytest.mark.parametrize("kind", list(KINDS))
def test_what_a_person_did_after_the_pull_is_kept_and_overwrite_replaces_it(moodle, moodle_ws, tmp_path, kind):
    from xlcnn.moodlews.client import Client
    from xlcnn.moodlews.credentials import Credentials
    from xlcnn.moodlews.site import assignment, site_info

    team = bool(KINDS[kind].get("team"))
    users, subs = a_class(tmp_path, kind)
    state = setup_course(moodle, tmp_path, kind, users=users, submissions=subs, **({"team": False} | KINDS[kind]))
    cmid, ids = state["cmid"], {e: u["id"] for e, u in state["users"].items()}
    out = pull_and_grade(moodle_ws, tmp_path, cmid)
    client = Client(Credentials(*moodle_ws))
    a = assignment(client, site_info(client), cmid)
    # after the pull, in Moodle: a grade changed, a comment written, a feedback file added, a hand-in again
    regraded, commented, filed, again, untouched = (users[n]["email"] for n in (0, 1, 2, 3, 6 if team else 4))
    php(moodle, "mdl_regrade.php", cmid, f"{regraded}=1.5")
    _comment(client, a, ids[commented], "see me after class")
    _comment(client, a, ids[filed], "", [("teacher-notes.txt", b"my own notes")])
    as_a_person(moodle, "resubmit", cmid, again, str(submission_zip(tmp_path, f"{kind}-again", "right")))
    moved = users[10]["email"] if team else None  # S5b leaves Group 05 for Group 06
    if team:
        as_a_person(moodle, "move", moved, state["groups"]["Group 05"], state["groups"]["Group 06"])
    before = dump(moodle, cmid)
    dry = xlcnn(moodle_ws, "moodle", "push", out, "--dry-run")
    assert dry.exit_code == 1 and dump(moodle, cmid) == before, dry.output
    lines = [line for line in dry.output.splitlines() if not line.startswith("the whole plan: ")]
    assert all(len(line) <= 80 for line in lines), dry.output  # the plan at 80 columns (a path may be longer)
    steps = plan(out)
    whys = {e: steps[ids[e]]["why"] for e in (regraded, commented, filed, again)}
    feedback = "the feedback" if "workflow" in kind else None  # hidden until released: only its time shows
    assert whys[regraded].startswith("the grade changed in Moodle since the pull (by user ")
    assert whys[commented].startswith(f"{feedback or 'the comment'} changed in Moodle since the pull (by user ")
    assert whys[filed].startswith(f"{feedback or 'the feedback files'} changed in Moodle since the pull (by user ")
    assert whys[again].startswith("handed in again after the pull")
    assert steps[ids[untouched]]["action"] == "create"
    if team:
        for email in (users[4]["email"], moved):  # who stayed in Group 05, and who left it
            assert steps[ids[email]]["why"].startswith("the group's members changed in Moodle since the pull")
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 1, result.output
    now = held(moodle, cmid)
    assert now[regraded][0] == 1.5
    assert now[commented][:2] == (None, "see me after class")
    assert [p for p, _ in now[filed][2]] == ["/teacher-notes.txt"] and now[filed][0] is None
    assert now[again] == (None, None, [])
    assert now[untouched][0] is not None and now[untouched][2]
    if team:
        assert now[users[4]["email"]] == now[moved] == (None, None, [])
    # --overwrite replaces the grade, the comment and adds the workbook; a new attempt and a changed group stay
    over = xlcnn(moodle_ws, "moodle", "push", out, "--yes", "--overwrite")
    assert over.exit_code == 1, over.output
    after = held(moodle, cmid)
    assert after[regraded][0] == 6.0  # all right
    assert after[commented][0] is not None and after[commented][1] != "see me after class"
    files = [p for p, _ in after[filed][2]]
    if "workflow" in kind:  # Moodle hides feedback files until release: the plan said they are replaced
        assert files == ["/cnn-ex1-stud-feedback.xlsx"]
        assert "files a person added there are replaced" in plan(out)[ids[filed]]["why"]
    else:
        assert files == ["/cnn-ex1-stud-feedback.xlsx", "/teacher-notes.txt"]
    assert after[again] == (None, None, [])
    assert plan(out)[ids[again]]["action"] == "skip"


def test_a_submission_a_person_skipped_is_decided_and_the_push_exits_0(moodle, moodle_ws, tmp_path):
    """The held hand-in (two workbooks) skipped with --overrides: `grade` counts it as decided, the plan
    says "skipped by a person: <reason>", nothing of it reaches Moodle, and the push exits 0."""
    users, subs = a_class(tmp_path, "skip")
    state = setup_course(moodle, tmp_path, "skip", team=False, users=users, submissions=subs)
    out = pull_and_grade(moodle_ws, tmp_path, state["cmid"])
    held_row = next(s for s in json.loads((out / "results.json").read_text())["submissions"]
                    if s["status"] == "several workbooks")
    overrides = tmp_path / "decisions.toml"
    overrides.write_text(f'["{held_row["submission"]}"]\nskip = true\nreason = "handed in again by e-mail"\n')
    graded = xlcnn(moodle_ws, "grade", tmp_path / "pulled", "-o", out, "--overrides", overrides)
    assert graded.exit_code == 0 and "0 need a person" in graded.output, graded.output
    result = xlcnn(moodle_ws, "moodle", "push", out, "--yes")
    assert result.exit_code == 0, result.output
    skipped = [a for a in plan(out).values() if a["action"] == "skip"]
    assert [(a["why"], a["decided"]) for a in skipped] == [("skipped by a person: handed in again by e-mail", True)]
    assert "1 skipped by a person" in " ".join(result.output.split())
    assert held(moodle, state["cmid"])[users[5]["email"]] == (None, None, [])
