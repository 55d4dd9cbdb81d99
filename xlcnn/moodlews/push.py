"""``xlcnn moodle push``: what ``xlcnn grade`` decided, into Moodle, student by student, as the two
manual uploads (grading worksheet, feedback-files zip) would put it — and never over a person's work.

For every member of every graded submission the push knows three states: what Moodle held when
the class was pulled (``moodle.json``, the *baseline*), or what the previous push left
(``moodle-push.json``, the journal, which wins when it is newer); what Moodle holds *now*
(``mod_assign_get_submission_status``, read before anything is written); and what xlcnn would
send. :func:`plan` compares them and decides one action per student, and is a pure function:

* ``unchanged`` — Moodle already holds exactly that: nothing is sent (no ``timemodified`` bumped,
  no notification);
* ``create`` — Moodle holds nothing for the student; ``update`` — Moodle still holds the baseline;
* ``skip`` — held for a person in the gradebook; a grade, comment or feedback file changed in Moodle
  after the baseline (kept, unless ``--overwrite``); handed in again after the pull; a student the
  push cannot place.

A feedback file a teacher put there by hand is never deleted: it goes back into the draft area
with the annotated workbook (Moodle replaces a student's whole feedback area with the draft's).
Grades are on the assignment's scale and checked against its maximum before anything is sent;
one call per student (``applytoall=0``), members taken from Moodle's own participant list.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..files.atomic import atomic_write
from .client import Client, MoodleError
from .pull import SNAPSHOT
from .site import Assignment, Feedback, feedback

JOURNAL = "moodle-push.json"
PLAN = "moodle-plan.json"
COMMENT_FORMAT = 1  # HTML: what the worksheet importer stores (the text is escaped when written)


class PushError(MoodleError):
    """The push cannot start: a grade outside the scale, outputs that do not fit the pull."""


@dataclass
class Target:
    """What xlcnn would send to one student."""

    user: int
    label: str  # how the plan names the student: never a real name under blind marking
    folder: str  # the submission's folder (one draft area per folder)
    submission: str  # the record's name in the gradebook
    grade: float
    comment: str
    files: list[tuple[str, bytes]]  # (name, bytes) of the annotated workbook(s)
    attempt: int = 0  # the submission's attempt and time when pulled
    submitted: int = 0

    @property
    def file_sums(self) -> dict[str, str]:
        return {name: hashlib.sha1(data).hexdigest() for name, data in self.files}


@dataclass
class Action:
    target: Target | None
    user: int
    label: str
    kind: str  # unchanged | create | update | skip
    why: str = ""
    send_grade: bool = False
    send_files: bool = False
    keep_files: list[dict] = field(default_factory=list)  # a teacher's own feedback files, kept in the draft
    now: Feedback | None = None

    def as_json(self) -> dict:
        t = self.target
        return {"user": self.user, "label": self.label, "action": self.kind, "why": self.why,
                "grade": None if t is None else t.grade,
                "grade_in_moodle": None if self.now is None else self.now.grade,
                "comment_changes": bool(t and self.now and (self.now.comment or "") != t.comment),
                "files": [] if t is None else [n for n, _ in t.files],
                "keep_files": [f["name"] for f in self.keep_files]}


# ------------------------------------------------------------------ from xlcnn's outputs to targets


def read_outputs(outdir: Path) -> tuple[dict, dict]:
    """results.json and moodle.json of a graded pulled folder (``xlcnn grade`` copies the latter)."""
    try:
        results = json.loads((outdir / "results.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise PushError(f"{outdir}: no results.json of `xlcnn grade` ({str(err)[:100]})") from None
    path = outdir / SNAPSHOT
    if not path.is_file():
        raise PushError(f"{outdir}: no {SNAPSHOT}: push sends what `xlcnn grade` made of a folder pulled with "
                        "`xlcnn moodle pull` (a manual download goes back with grades.csv and feedback.zip)")
    return results, json.loads(path.read_text(encoding="utf-8"))


def targets(results: dict, snapshot: dict, outdir: Path) -> tuple[list[Target], list[Action]]:
    """One target per member of every graded submission; the rest are skips, with why."""
    files: dict[str, list[tuple[str, bytes]]] = {}
    zpath = outdir / "feedback.zip"
    if zpath.is_file():
        with zipfile.ZipFile(zpath) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith("/"):
                    continue
                folder, _, base = name.partition("/")
                files.setdefault(folder, []).append((base, zf.read(name)))
    people = {p["user"]: p for p in snapshot["participants"]}
    blind = bool(snapshot.get("blind"))

    def label(user: int) -> str:
        p = people.get(user, {})
        if blind or not p.get("fullname"):
            return f"Participant {p.get('uniqueid') or '?'}"
        return f"{p['fullname']} (Participant {p.get('uniqueid')})"

    out, skips = [], []
    folders = snapshot.get("folders", {})
    for sub in results.get("submissions", []):
        for folder in sub.get("folders") or [sub.get("submission")]:
            entry = folders.get(folder)
            if entry is None:
                skips.append(Action(None, 0, folder, "skip", "not a folder of the pull (another download?)"))
                continue
            for user in entry["users"]:
                if sub.get("status") != "graded" or sub.get("grade") is None:
                    why = (f"held for a person ({sub.get('status')})" if sub.get("status") != "graded"
                           else "no grade (the assignment's scale is unknown)")
                    skips.append(Action(None, user, label(user), "skip", why))
                    continue
                out.append(Target(user, label(user), folder, sub.get("name", ""), float(sub["grade"]),
                                  sub.get("comment", ""), files.get(folder, []), int(entry.get("attempt") or 0),
                                  int(entry.get("timemodified") or 0)))
    return out, skips


def check_members(found: list[Target], snapshot: dict, now: dict[int, int]) -> tuple[list[Target], list[Action]]:
    """Team submissions: the members Moodle lists for the group now must be those of the pull (``now``:
    user -> submission group). A student who left or joined the group since is held, not guessed."""
    if not snapshot.get("team"):
        return found, []
    folders = snapshot.get("folders", {})
    kept, skips = [], []
    for t in found:
        group = folders.get(t.folder, {}).get("group")
        members = {u for u, g in now.items() if g == group}
        if now.get(t.user) != group or members != set(folders.get(t.folder, {}).get("users", [])):
            skips.append(Action(t, t.user, t.label, "skip", "the group's members changed in Moodle since the pull: "
                                "pull and grade again"))
        else:
            kept.append(t)
    return kept, skips


def check_grades(found: list[Target], max_grade: float) -> None:
    """Every grade on the assignment's scale, or nothing is sent."""
    bad = [t for t in found if not (0 <= t.grade <= max_grade + 1e-9)]
    if bad:
        raise PushError(f"{len(bad)} grade(s) outside 0..{max_grade:g}, the assignment's scale (e.g. {bad[0].label}: "
                        f"{bad[0].grade:g}); nothing was sent: grade with the assignment's Maximum grade")


# ------------------------------------------------------------------ the plan


def _same_files(now: list[dict], known: list[dict]) -> bool:
    key = lambda f: (f["name"], int(f["size"]), int(f.get("timemodified") or 0))  # noqa: E731
    return sorted(map(key, now)) == sorted(map(key, known))


def _state(fb: Feedback) -> tuple:
    """What a person could have changed: grade, comment, feedback files (names, sizes, times)."""
    files = tuple(sorted((f["name"], int(f["size"]), int(f.get("timemodified") or 0)) for f in fb.files))
    return (None if fb.grade is None else round(fb.grade, 5), fb.grade_time if fb.grade is not None else 0,
            fb.comment or "", files)


def plan(found: list[Target], now: dict[int, Feedback], baseline: dict[int, Feedback],
         journal: dict[int, dict], overwrite: bool = False) -> list[Action]:
    """One action per target (see the module's rules). ``baseline``: each user's state when pulled;
    ``journal``: what the previous push sent and read back (it wins over the pull when present)."""
    actions = []
    for t in found:
        cur = now[t.user]
        sent = journal.get(t.user)
        ours = {f["name"]: f["sha1"] for f in (sent or {}).get("files", [])}
        theirs = [f for f in cur.files if f["name"] not in {n for n, _ in t.files} and f["name"] not in ours]
        same_grade = cur.grade is not None and abs(cur.grade - round(t.grade, 5)) < 5e-6
        same_comment = (cur.comment or "") == t.comment
        want = t.file_sums
        have = {f["name"]: f["size"] for f in cur.files}
        same_files = all(name in have and have[name] == len(data) for name, data in t.files) and (
            not sent or all(ours.get(name) == want[name] for name in want))
        a = Action(t, t.user, t.label, "unchanged", now=cur, keep_files=theirs)
        if cur.submission_attempt != t.attempt or (t.submitted and cur.submission_time > t.submitted):
            a.kind, a.why = "skip", "handed in again after the pull: grade the new submission first (pull again)"
        elif same_grade and same_comment and same_files:
            a.kind = "unchanged"
        else:
            base = Feedback.from_json(sent["state"]) if sent else baseline.get(t.user)
            empty = cur.grade is None and not cur.comment and not cur.files
            if empty:
                a.kind = "create"
            elif base is not None and _state(cur) == _state(base):
                a.kind = "update"
            elif overwrite:
                a.kind, a.why = "update", "--overwrite: replaces what changed in Moodle since " + (
                    "the last push" if sent else "the pull")
            else:
                who = f"by user {cur.grader}" if cur.grader else "by a person"
                when = f", {time.strftime('%Y-%m-%d %H:%M', time.localtime(cur.grade_time))}" if cur.grade_time else ""
                a.kind, a.why = "skip", (f"changed in Moodle since {'the last push' if sent else 'the pull'} ({who}"
                                         f"{when}): kept; --overwrite replaces it")
            if a.kind in ("create", "update"):
                a.send_grade = True
                a.send_files = bool(t.files) and not same_files
        actions.append(a)
    return actions


def summary(actions: list[Action]) -> dict[str, int]:
    out = {"create": 0, "update": 0, "unchanged": 0, "skip": 0}
    for a in actions:
        out[a.kind] += 1
    return out


# ------------------------------------------------------------------ applying it


def read_journal(outdir: Path) -> dict[int, dict]:
    path = outdir / JOURNAL
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {int(k): v for k, v in data.get("users", {}).items()}


def _write_journal(outdir: Path, journal: dict[int, dict], site: str, cmid: int) -> None:
    data = {"site": site, "cmid": cmid, "users": {str(k): v for k, v in sorted(journal.items())}}
    atomic_write(outdir / JOURNAL, lambda tmp: tmp.write_text(json.dumps(data, indent=1), encoding="utf-8"))


def _teacher_files(client: Client, a: Assignment, user: int, keep: list[dict]) -> list[tuple[str, bytes]]:
    """The teacher's own feedback files of ``user``, downloaded to go back into the draft unchanged."""
    if not keep:
        return []
    reply = client.call("mod_assign_get_submission_status", {"assignid": a.id, "userid": user}, raw=True)
    urls = {}
    for plugin in (reply.get("feedback") or {}).get("plugins", []):
        for area in plugin.get("fileareas", []) if plugin.get("type") == "file" else []:
            for f in area.get("files", []):
                urls[f.get("filename")] = f.get("fileurl")
    out = []
    with tempfile.TemporaryDirectory(prefix="xlcnn-keep-") as tmp:
        for f in keep:
            url = urls.get(f["name"])
            if not url:
                raise PushError(f"{a.name}: a teacher's feedback file {f['name']!r} of user {user} could not be "
                                "read back; nothing was sent for that student")
            path = Path(tmp) / "file"
            client.download(url, path, 100 * 2**20)
            out.append((f["name"], path.read_bytes()))
    return out


def apply(client: Client, a: Assignment, actions: list[Action], outdir: Path, site: str,
          progress=None) -> list[tuple[Action, str]]:
    """Send the plan: per folder one draft area, per student one ``mod_assign_save_grade``, then a read
    back; the journal is written after every student (an interrupted push resumes)."""
    journal = read_journal(outdir)
    done: list[tuple[Action, str]] = []
    drafts: dict[str, int] = {}
    for act in actions:
        if act.kind not in ("create", "update"):
            continue
        t = act.target
        fresh = feedback(client, a, t.user)  # read again just before writing: the window stays small
        if _state(fresh) != _state(act.now):
            done.append((act, "skipped: changed in Moodle while the push ran"))
            continue
        params = {"assignmentid": a.id, "userid": t.user, "grade": round(t.grade, 5), "attemptnumber": t.attempt,
                  "addattempt": 0, "workflowstate": "", "applytoall": 0}
        plugindata: dict = {}
        if a.comments:
            plugindata["assignfeedbackcomments_editor"] = {"text": t.comment, "format": COMMENT_FORMAT}
        if act.send_files and a.files:
            if act.keep_files:  # the teacher's own files go back with ours: the area is replaced by the draft
                itemid = client.upload(_teacher_files(client, a, t.user, act.keep_files) + t.files)
            else:
                itemid = drafts.get(t.folder) or client.upload(t.files)
                drafts[t.folder] = itemid
            plugindata["files_filemanager"] = itemid
        if plugindata:
            params["plugindata"] = plugindata
        if a.workflow:
            params["workflowstate"] = _workflow_state(client, a, t.user)
        client.call("mod_assign_save_grade", params)
        back = feedback(client, a, t.user)
        problems = []
        if back.grade is None or abs(back.grade - round(t.grade, 5)) > 5e-6:
            problems.append("the grade did not take (locked or overridden in the gradebook, or advanced grading)")
        if a.comments and (back.comment or "") != t.comment:
            problems.append("the comment did not take")
        if act.send_files and a.files and not {n for n, _ in t.files} <= {f["name"] for f in back.files}:
            problems.append("the feedback file did not take (over the course's maximum upload size?)")
        journal[t.user] = {"grade": round(t.grade, 5), "comment_sha1": hashlib.sha1(t.comment.encode()).hexdigest(),
                           "files": [{"name": n, "sha1": s} for n, s in sorted(t.file_sums.items())],
                           "state": back.as_json()}
        _write_journal(outdir, journal, site, a.cmid)
        done.append((act, "; ".join(problems) or ("created" if act.kind == "create" else "updated")))
        if progress:
            progress(t.label)
    return done


def _workflow_state(client: Client, a: Assignment, user: int) -> str:
    """The student's current marking-workflow state, sent back unchanged ("" would reset it)."""
    try:
        reply = client.call("mod_assign_get_user_flags", {"assignmentids": [a.id]})
    except MoodleError:
        return ""
    for block in reply.get("assignments", []):
        for flags in block.get("userflags", []):
            if int(flags.get("userid", 0)) == user:
                return str(flags.get("workflowstate") or "")
    return ""
