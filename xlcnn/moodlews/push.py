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
* ``skip`` — held for a person in the gradebook (nothing of it is sent: no grade, no comment, no
  file); skipped by a person (``--overrides``: decided, so no one needs to act); a grade, comment
  or feedback file changed in Moodle after the baseline (kept, unless ``--overwrite``); handed in
  again after the pull, or a group whose members changed (never overwritten: pull and grade again);
  a student the push cannot place.

Moodle's state is read from the assignment's own grade records (``mod_assign_get_grades``), which
blind marking and marking workflow never hide; under marking workflow each student's state is sent
back as it is, so nothing is released unless the teacher asks (``--release``).

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
    decided: bool = False  # a person's own decision (skipped with --overrides): nothing left to do
    release: bool = False  # marking workflow: set the student's state to released (--release)

    @property
    def needs_person(self) -> bool:
        return self.kind == "skip" and not self.decided

    def as_json(self) -> dict:
        t = self.target
        return {"user": self.user, "label": self.label, "action": self.kind, "why": self.why,
                "grade": None if t is None else t.grade,
                "grade_in_moodle": None if self.now is None else self.now.grade,
                "comment_changes": bool(t and self.now and (self.now.comment or "") != t.comment),
                "files": [] if t is None else [n for n, _ in t.files],
                "send_files": self.send_files, "keep_files": [f["name"] for f in self.keep_files],
                "decided": self.decided, "release": self.release,
                "workflow_state": None if self.now is None else self.now.workflow_state}


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
                if sub.get("status") == "skipped":
                    skips.append(Action(None, user, label(user), "skip", sub.get("override") or "skipped by a person",
                                        decided=True))
                    continue
                if sub.get("status") != "graded" or sub.get("grade") is None:
                    why = (f"held for a person ({sub.get('status')}): nothing is sent" if sub.get("status") != "graded"
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


def _state(fb: Feedback) -> tuple:
    """What a person could have changed: the grade record (value, time, grader: any save in Moodle's
    grader sets its time, even where the comment and files are hidden), the comment, the feedback files
    (names, sizes, times). A record nobody saved (no grade, no grader: Moodle makes one when a grader
    page is opened) counts as none."""
    files = tuple(sorted((f["name"], int(f["size"]), int(f.get("timemodified") or 0)) for f in fb.files))
    touched = fb.grade is not None or fb.grader > 0
    return (None if fb.grade is None else round(fb.grade, 5), fb.grade_time if touched else 0,
            fb.grader if touched else 0, fb.comment or "", files)


def _empty(fb: Feedback) -> bool:
    """Nothing of a person's in Moodle: no grade record anybody saved, no comment, no file."""
    return fb.grade is None and fb.grader <= 0 and not fb.comment and not fb.files


def _sent_same(sent: dict | None, t: Target) -> bool:
    """The previous push sent exactly what would be sent now."""
    if not sent:
        return False
    ours = {f["name"]: f["sha1"] for f in sent.get("files", [])}
    return (sent.get("grade") == round(t.grade, 5) and ours == t.file_sums
            and sent.get("comment_sha1") == hashlib.sha1(t.comment.encode()).hexdigest())


def _when(fb: Feedback) -> str:
    who = f"by user {fb.grader}" if fb.grader > 0 else "by a person"
    when = f", {time.strftime('%Y-%m-%d %H:%M', time.localtime(fb.grade_time))}" if fb.grade_time else ""
    return f"{who}{when}"


def _what_changed(cur: Feedback, base: Feedback | None) -> str:
    """"the grade", "the comment and a feedback file"...: what differs from the baseline, in words."""
    base = base or Feedback()
    parts = []
    if (cur.grade is None) != (base.grade is None) or (cur.grade is not None and abs(cur.grade - base.grade) > 5e-6):
        parts.append("the grade")
    if not cur.hidden and (cur.comment or "") != (base.comment or ""):
        parts.append("the comment")
    if not cur.hidden and _state(cur)[4] != _state(base)[4]:
        parts.append("the feedback files")
    if not parts:
        return "the feedback" if cur.hidden else "the grade's record"
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def plan(found: list[Target], now: dict[int, Feedback], baseline: dict[int, Feedback],
         journal: dict[int, dict], overwrite: bool = False, release: bool = False) -> list[Action]:
    """One action per target (see the module's rules). ``baseline``: each user's state when pulled;
    ``journal``: what the previous push sent and read back (it wins over the pull when present);
    ``release``: marking workflow, release every student pushed (and those already in Moodle)."""
    actions = []
    for t in found:
        cur = now[t.user]
        sent = journal.get(t.user)
        known = Feedback.from_json(sent["state"]) if sent else None
        ours = {f["name"] for f in (sent or {}).get("files", [])}
        want = t.file_sums
        theirs = [f for f in cur.files if f["name"] not in want and f["name"] not in ours]
        same_grade = cur.grade is not None and abs(cur.grade - round(t.grade, 5)) < 5e-6
        have = {f["name"]: f["size"] for f in cur.files}
        # our workbook(s) already in Moodle: seen there (same names and sizes), or, where Moodle hides the
        # feedback, left there by the last push with nothing changed since
        files_there = (not cur.hidden and all(have.get(name) == len(data) for name, data in t.files)
                       and (not sent or _sent_same(sent, t))) or (
            cur.hidden and known is not None and _state(cur) == _state(known)
            and {f["name"]: f["sha1"] for f in sent.get("files", [])} == want)
        a = Action(t, t.user, t.label, "unchanged", now=cur, keep_files=theirs)
        since = "the last push" if sent else "the pull"
        if cur.unreadable:
            a.kind, a.why = "skip", cur.unreadable
        elif cur.submission_attempt != t.attempt or (t.submitted and cur.submission_time > t.submitted):
            a.kind, a.why = "skip", "handed in again after the pull: grade the new submission first (pull again)"
        elif known is not None and _sent_same(sent, t) and _state(cur) == _state(known):
            a.kind = "unchanged"  # what the last push left, untouched since (the only proof where feedback is hidden)
        elif not cur.hidden and same_grade and (cur.comment or "") == t.comment and files_there:
            a.kind = "unchanged"
        else:
            base = known if known is not None else baseline.get(t.user)
            unseen = cur.hidden and not _empty(cur) and (known is None or bool(sent.get("kept")))
            if _empty(cur):
                a.kind = "create"
            elif base is not None and _state(cur) == _state(base) and not unseen:
                a.kind = "update"
            elif overwrite:
                a.kind, a.why = "update", f"--overwrite: replaces what changed in Moodle since {since}" + (
                    " (marking workflow hides this student's feedback: files a person added there are replaced)"
                    if unseen else "")
            elif base is not None and _state(cur) == _state(base):
                a.kind, a.why = "skip", ("graded in Moodle before the pull, and marking workflow hides the feedback "
                                         "from the web services: kept; --overwrite replaces it")
            else:
                a.kind, a.why = "skip", (f"{_what_changed(cur, base)} changed in Moodle since {since} ({_when(cur)}): "
                                         "kept; --overwrite replaces it")
            if a.kind in ("create", "update"):
                a.send_grade = True
                a.send_files = bool(t.files) and not files_there
        if release and cur.workflow_state != "released" and a.kind in ("create", "update", "unchanged"):
            a.release = True
            if a.kind == "unchanged":
                a.kind, a.send_grade = "update", True
            a.why = (a.why + "; " if a.why else "") + "--release: released to the student"
        actions.append(a)
    return actions


def summary(actions: list[Action]) -> dict[str, int]:
    """How many of each action; ``skip`` counts only those a person must look at, ``decided`` the
    submissions a person already decided to skip."""
    out = {"create": 0, "update": 0, "unchanged": 0, "skip": 0, "decided": 0}
    for a in actions:
        out["decided" if a.kind == "skip" and a.decided else a.kind] += 1
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
        if a.workflow:  # the state as the teacher left it ("" would reset it), or released when asked
            params["workflowstate"] = "released" if act.release else fresh.workflow_state
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
        client.call("mod_assign_save_grade", params)
        back = feedback(client, a, t.user)
        problems = []
        if back.grade is None or abs(back.grade - round(t.grade, 5)) > 5e-6:
            problems.append("the grade did not take (locked or overridden in the gradebook, or advanced grading)")
        if not back.hidden and a.comments and (back.comment or "") != t.comment:
            problems.append("the comment did not take")
        if (not back.hidden and act.send_files and a.files
                and not {n for n, _ in t.files} <= {f["name"] for f in back.files}):
            problems.append("the feedback file did not take (over the course's maximum upload size?)")
        kept = [f["name"] for f in act.keep_files] if act.send_files else (journal.get(t.user) or {}).get("kept", [])
        journal[t.user] = {"grade": round(t.grade, 5), "comment_sha1": hashlib.sha1(t.comment.encode()).hexdigest(),
                           "files": [{"name": n, "sha1": s} for n, s in sorted(t.file_sums.items())],
                           "kept": kept, "state": back.as_json()}
        _write_journal(outdir, journal, site, a.cmid)
        done.append((act, "; ".join(problems) or ("created" if act.kind == "create" else "updated")))
        if progress:
            progress(t.label)
    return done
