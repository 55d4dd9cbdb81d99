"""Round trips through a real Moodle 4.5.6: what xlcnn writes lands on exactly the right students.

For each case, Moodle's own code (``../shared/moodle``'s helpers) creates the course and the
students' submissions, exports the download and the grading worksheet; ``xlcnn grade`` runs on
them as a teacher would; Moodle's worksheet importer and feedback-zip importer take the outputs
back; ``mdl_dump.php`` reads what Moodle then holds. The expected students of each submission
come from Moodle's state (group ids, participant ids), never from xlcnn's own matching.

Run with ``make test-moodle`` (it installs the Moodle); marked ``moodle`` and left out of
``make test``. With ``CI=true`` a missing Moodle fails instead of skipping.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.moodle_site import person, php, submission_zip
from xlcnn.cli import main

pytestmark = pytest.mark.moodle

def run_case(moodle, tmp_path: Path, case: str, *, team: bool, blind: bool = False, users: list[dict],
             submissions: list[tuple[str, str]], pregrade: dict[str, float] | None = None,
             header_41: bool = False, regrade: dict[str, float] | None = None):
    """Set up the case in Moodle, grade it with xlcnn, import the outputs; returns what Moodle holds."""
    subs = []
    for who, answers in submissions:
        key = "group" if team and "@" not in who else "email"
        subs.append({key: who,
                     "files": [str(submission_zip(tmp_path, who.replace(" ", "-").replace("@", "-"), answers))]})
    run_id = uuid.uuid4().hex[:8]  # a fresh course each run, on a reused site too
    spec = {"course": {"shortname": f"xlcnn-{case}-{run_id}", "fullname": f"Deep Learning ({case})"},
            "assign": {"name": "PW04 CNN", "grade": 6, "teamsubmission": int(team), "blindmarking": int(blind),
                       "groupmode": 0},
            "users": users, "submissions": subs,
            "pregrade": [{"email": e, "grade": g} for e, g in (pregrade or {}).items()]}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    state = json.loads(php(moodle, "mdl_setup.php", tmp_path / "spec.json"))
    cmid = state["cmid"]
    (tmp_path / "dl").mkdir()
    download = Path(php(moodle, "mdl_download.php", cmid, tmp_path / "dl").strip().splitlines()[-1])
    sheet = tmp_path / "worksheet.csv"
    sheet.write_bytes(php(moodle, "mdl_worksheet.php", cmid).encode("utf-8"))
    exported = time.time()
    if header_41:
        sheet.write_bytes(sheet.read_bytes().replace(b'"Maximum grade"', b'"Maximum Grade"', 1))
    if regrade:
        # Moodle's importer skips a row as stale only when its grade is over 60 s newer than the sheet's
        # "Last modified (grade)" (written to the minute): change it after that, as a teacher days later
        time.sleep(max(0.0, (exported // 60) * 60 + 61 - time.time()))
        php(moodle, "mdl_regrade.php", cmid, *[f"{e}={g}" for e, g in regrade.items()])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", str(download), "--worksheet", str(sheet), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    imported = php(moodle, "mdl_import.php", cmid, f"--csv={out / 'grades.csv'}")
    imported += php(moodle, "mdl_import.php", cmid, f"--zip={out / 'feedback.zip'}")
    held = json.loads(php(moodle, "mdl_dump.php", cmid))
    return state, out, download, held, imported


def expectations(state: dict, out: Path, users: list[dict], submitted: dict[str, str], team: bool):
    """Per student email: (grade, feedback file sha1) Moodle must hold, from Moodle's own ids:
    a group's submission for every member of that group, a participant's for that participant."""
    results = json.loads((out / "results.json").read_text())["submissions"]
    by_folder = {f: r for r in results for f in r["folders"]}
    with zipfile.ZipFile(out / "feedback.zip") as zf:
        files = {n.split("/")[0]: hashlib.sha1(zf.read(n)).hexdigest() for n in zf.namelist()}
    expected = {}
    for user in users:
        email = user["email"]
        owner = user.get("group") if team else email
        if owner not in submitted:
            expected[email] = (None, None)
            continue
        mid = state["groups"][owner] if team else state["users"][email]["uniqueid"]
        folder = next(f for f in by_folder if f.split("_")[-3] == str(mid))  # Name_<id>_assignsubmission_file
        rec = by_folder[folder]
        expected[email] = (round(rec["grade"], 2), files.get(folder))
    return expected


def check_landed(held: dict, expected: dict, imported: str):
    students = {s["email"]: s for s in held["students"]}
    assert set(students) == set(expected)
    for email, (grade, sha1) in expected.items():
        s = students[email]
        if grade is None:  # nothing for a student whose group (or who) handed nothing in
            assert (s["grade"], s["comment"], s["feedback_files"]) == (None, None, []), (email, s, imported)
            continue
        assert sha1 is not None, f"feedback.zip has no folder for {email}'s submission"
        assert s["grade"] == pytest.approx(grade, abs=0.005), (email, s, imported)
        assert s["comment"] and s["comment"].startswith("Exercise 1: "), (email, s)
        assert [(f["path"], f["sha1"]) for f in s["feedback_files"]] == [("/cnn-ex1-stud-feedback.xlsx", sha1)], \
            (email, s, imported)


def team_users(case: str, names: tuple[str, str, str]) -> list[dict]:
    a, b, c = names
    return [person(case, "Alice", "Martin", a), person(case, "Bruno", "Keller", a),
            person(case, "Chloe", "Dubois", b), person(case, "David", "Meier", b),
            person(case, "Emma", "Rossi", c), person(case, "Fabian", "Huber", c),
            person(case, "Gina", "Loner")]  # in no group, hands nothing in


@pytest.mark.parametrize("case, names, header_41", [
    ("team", ("Group 01", "Group 02", "Group 03"), False),
    ("underscores", ("Group_A", "B_team_2", "C__x"), False),
    ("header41", ("Team 1", "Team 2", "Team 3"), True),
], ids=["team", "group-names-with-underscores", "4.1-style-header"])
def test_team_submissions_land_on_every_member_of_the_right_group(moodle, tmp_path, case, names, header_41):
    users = team_users(case, names)
    submitted = {names[0]: "right", names[1]: "maps"}  # the third group hands nothing in
    state, out, _, held, imported = run_case(moodle, tmp_path, case, team=True, users=users,
                                             submissions=list(submitted.items()), header_41=header_41)
    expected = expectations(state, out, users, submitted, team=True)
    assert expected[f"{case}.alice@example.com"][0] == 6.0  # all right: the assignment's maximum, not 28 points
    assert expected[f"{case}.chloe@example.com"][0] == pytest.approx(27 / 28 * 6, abs=0.005)
    check_landed(held, expected, imported)


def test_individual_submissions(moodle, tmp_path):
    case = "individual"
    users = [person(case, "Ann", "Lee"), person(case, "Bob", "Roe_Smith"), person(case, "Cy", "Doe"),
             person(case, "Di", "Fox")]
    submitted = {users[0]["email"]: "right", users[1]["email"]: "two", users[2]["email"]: "three"}
    state, out, _, held, imported = run_case(moodle, tmp_path, case, team=False, users=users,
                                             submissions=list(submitted.items()))
    check_landed(held, expectations(state, out, users, submitted, team=False), imported)


def test_blind_marking(moodle, tmp_path):
    case = "blind"
    users = [person(case, "Ann", "Lee"), person(case, "Bob", "Roe"), person(case, "Cy", "Doe")]
    submitted = {users[0]["email"]: "maps", users[1]["email"]: "right"}
    state, out, download, held, imported = run_case(moodle, tmp_path, case, team=False, blind=True, users=users,
                                                    submissions=list(submitted.items()))
    with zipfile.ZipFile(download) as zf:
        assert all(n.startswith("Participant_") for n in zf.namelist())
    check_landed(held, expectations(state, out, users, submitted, team=False), imported)


def test_a_grade_changed_in_moodle_after_the_export_is_kept(moodle, tmp_path):
    case = "regrade"
    users = [person(case, "Ann", "Lee"), person(case, "Bob", "Roe"), person(case, "Cy", "Doe")]
    submitted = {u["email"]: a for u, a in zip(users, ("right", "maps", "two"), strict=False)}
    bob = users[1]["email"]
    state, out, _, held, imported = run_case(moodle, tmp_path, case, team=False, users=users,
                                             submissions=list(submitted.items()), pregrade={bob: 2.5},
                                             regrade={bob: 1.5})
    expected = expectations(state, out, users, submitted, team=False)
    students = {s["email"]: s for s in held["students"]}
    assert students[bob]["grade"] == 1.5  # Moodle's newer grade wins over the worksheet's row
    assert students[bob]["feedback_files"]  # the annotated workbook still reaches him
    for email, (grade, sha1) in expected.items():
        if email != bob:
            assert students[email]["grade"] == pytest.approx(grade, abs=0.005)
            assert [f["sha1"] for f in students[email]["feedback_files"]] == [sha1]


def test_the_worksheet_xlcnn_writes_keeps_moodles_bytes(moodle, tmp_path):
    case = "bytes"
    users = team_users(case, ("Group 01", "Group 02", "Group 03"))
    submitted = {"Group 01": "right"}
    _, out, _, _, _ = run_case(moodle, tmp_path, case, team=True, users=users, submissions=list(submitted.items()))
    original = (tmp_path / "worksheet.csv").read_bytes()
    written = (out / "grades.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and original.startswith(b"\xef\xbb\xbf")
    before, after = original.decode("utf-8").split("\n"), written.decode("utf-8").split("\n")
    assert before[0] == after[0] and len(before) == len(after)
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))
    grade_col = rows[0].index("Grade")
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert changed and all(rows[i][grade_col] == "6.00" for i in changed)
