"""What Moodle says about one assignment, read through the web services: the site, the
assignment's settings, its participants (user id, group, participant number), its submissions
and their files, and each student's grade, comment and feedback files as they are now."""

from __future__ import annotations

from dataclasses import dataclass, field

from .client import Client, MoodleError

MIN_RELEASE = (4, 1)  # the formats xlcnn reads and writes are those of Moodle 4.1 and later

READS = ("core_webservice_get_site_info", "core_course_get_course_module", "mod_assign_get_assignments",
         "mod_assign_list_participants", "mod_assign_get_submissions", "mod_assign_get_submission_status",
         "mod_assign_get_grades", "mod_assign_get_user_flags")
WRITES = ("mod_assign_save_grade",)
OPTIONAL = ("mod_assign_get_user_mappings", "core_grading_get_definitions", "core_files_delete_draft_files")
RELEASED = "released"  # the marking-workflow state in which students see their grade and feedback


class AssignmentError(MoodleError):
    """The assignment is set up in a way xlcnn cannot grade through the web services."""


@dataclass
class Site:
    url: str
    siteurl: str
    release: str
    version: str
    userid: int
    username: str
    functions: set[str]
    upload: bool
    download: bool
    maxupload: int

    @property
    def release_tuple(self) -> tuple[int, ...]:
        digits = [int(p) for p in self.release.split()[0].split(".")[:2] if p.isdigit()] if self.release else []
        return tuple(digits)


@dataclass
class Assignment:
    id: int
    cmid: int
    course: int
    name: str
    course_shortname: str
    max_grade: float  # a negative value in Moodle is a scale: refused before this is built
    team: bool
    blind: bool
    workflow: bool
    comments: bool  # the feedback comments plugin is on
    files: bool  # the feedback files plugin is on
    advanced: str = ""  # "rubric", "guide": grading xlcnn cannot write (known only where the token may read it)


@dataclass
class Participant:
    user: int
    fullname: str
    email: str = ""
    group: int = 0  # the submission group (team assignments): 0 is Moodle's "Default group"
    group_name: str = ""
    uniqueid: int | None = None  # the participant number of the download's folders and the worksheet


@dataclass
class Feedback:
    """One student's grade, comment and feedback files in Moodle now.

    The grade, its time and its grader are the assignment's own record (``assign_grades``, read with
    ``mod_assign_get_grades``), which every mode keeps: blind marking and marking workflow keep grades
    out of the gradebook, and so out of ``mod_assign_get_submission_status``. Any save in Moodle's
    grader (a grade, a comment, a feedback file) sets that record's time, so a person's work shows
    there even where the comment and the files cannot be read: under marking workflow, until a grade
    is released, the web services show no feedback at all (``hidden``)."""

    grade: float | None = None
    grade_time: int = 0
    grader: int = 0
    attempt: int = 0
    comment: str | None = None
    comment_format: int = 1
    files: list[dict] = field(default_factory=list)  # {"name", "size", "timemodified"}
    submission_time: int = 0  # the latest attempt's
    submission_attempt: int = 0
    submission_status: str = ""
    workflow_state: str = ""  # marking workflow: the student's state ("" where the assignment has none)
    hidden: bool = False  # the comment and the feedback files are not shown to the web services (see above)
    unreadable: str = ""  # why even the grade cannot be read (a team member under blind marking or workflow)

    def as_json(self) -> dict:
        return {"grade": self.grade, "grade_time": self.grade_time, "grader": self.grader, "attempt": self.attempt,
                "comment": self.comment, "comment_format": self.comment_format, "files": self.files,
                "submission_time": self.submission_time, "submission_attempt": self.submission_attempt,
                "submission_status": self.submission_status, "workflow_state": self.workflow_state,
                "hidden": self.hidden, "unreadable": self.unreadable}

    @classmethod
    def from_json(cls, data: dict) -> "Feedback":
        return cls(**{k: data.get(k, getattr(cls(), k)) for k in cls().as_json()})


def site_info(client: Client) -> Site:
    info = client.call("core_webservice_get_site_info")
    client.siteurl = str(info.get("siteurl", "")).rstrip("/")
    return Site(client.base, client.siteurl, str(info.get("release", "")), str(info.get("version", "")),
                int(info.get("userid", 0)), str(info.get("username", "")),
                {f["name"] for f in info.get("functions", [])}, bool(info.get("uploadfiles")),
                bool(info.get("downloadfiles")), int(info.get("usermaxuploadfilesize", -1) or -1))


def require(site: Site, functions: tuple[str, ...], what: str) -> None:
    missing = [f for f in functions if f not in site.functions]
    if missing:
        raise AssignmentError(f"{site.url}: {what} needs the web-service functions {', '.join(missing)}, which the "
                              "token's service does not offer; ask the site's administrator to add them (or use a "
                              "token of the mobile app service, `xlcnn moodle login`)")
    if site.release_tuple and site.release_tuple < MIN_RELEASE:
        raise AssignmentError(f"{site.url}: Moodle {site.release}: xlcnn reads and writes the formats of Moodle 4.1 "
                              "and later")


def assignment(client: Client, site: Site, cmid: int) -> Assignment:
    """The assignment of course module ``cmid`` (the number in its URL and in the download's name)."""
    try:
        cm = client.call("core_course_get_course_module", {"cmid": cmid})["cm"]
    except MoodleError as err:
        raise AssignmentError(f"{site.url}: no course module {cmid} you may see ({err.detail})") from None
    if cm.get("modname") != "assign":
        raise AssignmentError(f"{site.url}: course module {cmid} is a {cm.get('modname')}, not an assignment")
    reply = client.call("mod_assign_get_assignments", {"courseids": [int(cm["course"])]})
    for course in reply.get("courses", []):
        for a in course.get("assignments", []):
            if int(a.get("cmid", -1)) == cmid:
                configs = {(c.get("plugin"), c.get("subtype"), c.get("name")): c.get("value")
                           for c in a.get("configs", [])}
                enabled = lambda plugin: configs.get((plugin, "assignfeedback", "enabled")) == "1"  # noqa: E731, B023 - used in this iteration only
                out = Assignment(int(a["id"]), cmid, int(course["id"]), str(a.get("name", "")),
                                 str(course.get("shortname", "")), float(a.get("grade", 0)),
                                 bool(a.get("teamsubmission")), bool(a.get("blindmarking")) and
                                 not bool(a.get("revealidentities")), bool(a.get("markingworkflow")),
                                 enabled("comments"), enabled("file"))
                if "core_grading_get_definitions" in site.functions:
                    out.advanced = _advanced(client, cmid)
                return out
    raise AssignmentError(f"{site.url}: assignment {cmid} is not among the assignments your token may see")


def _advanced(client: Client, cmid: int) -> str:
    try:
        reply = client.call("core_grading_get_definitions", {"cmids": [cmid], "areaname": "submissions"})
    except MoodleError:
        return ""
    for area in reply.get("areas", []):
        if area.get("activemethod") in ("rubric", "guide"):
            return str(area["activemethod"])
    return ""


def check_gradable(a: Assignment, site_url: str) -> None:
    """Refuse what xlcnn cannot write: a scale, advanced grading, no grade."""
    if a.max_grade < 0:
        raise AssignmentError(f"{site_url}: assignment {a.cmid} ({a.name}) is graded on a Moodle scale: xlcnn writes "
                              "numeric grades only")
    if a.max_grade == 0:
        raise AssignmentError(f"{site_url}: assignment {a.cmid} ({a.name}) has no grade (Grade type: None)")
    if a.advanced:
        method = {"rubric": "a rubric", "guide": "a marking guide"}[a.advanced]
        raise AssignmentError(f"{site_url}: assignment {a.cmid} ({a.name}) is graded with {method} (advanced "
                              "grading): xlcnn writes simple direct grades only; grade it in Moodle, or switch it "
                              "to simple direct grading")


def participants(client: Client, a: Assignment, site: Site) -> list[Participant]:
    """Every participant, with the participant number of the download's folder names."""
    rows = client.call("mod_assign_list_participants", {"assignid": a.id, "groupid": 0, "filter": "",
                                                         "includeenrolments": 0, "onlyids": 0})
    out = [Participant(int(r["id"]), str(r.get("fullname", "")), str(r.get("email", "") or ""),
                       int(r.get("groupid") or 0), str(r.get("groupname") or ""),
                       int(r["recordid"]) if r.get("recordid") else None) for r in rows]
    if not a.blind and "mod_assign_get_user_mappings" in site.functions:
        reply = client.call("mod_assign_get_user_mappings", {"assignmentids": [a.id]})
        for block in reply.get("assignments", []):
            ids = {int(m["userid"]): int(m["id"]) for m in block.get("mappings", [])}
            for p in out:
                p.uniqueid = ids.get(p.user, p.uniqueid)
    return out


def submissions(client: Client, a: Assignment) -> list[dict]:
    """The latest submission of each student or group, with its files."""
    reply = client.call("mod_assign_get_submissions", {"assignmentids": [a.id]})
    for block in reply.get("assignments", []):
        if int(block.get("assignmentid", -1)) == a.id:
            return list(block.get("submissions", []))
    return []


def submission_files(sub: dict) -> list[dict]:
    """The files of a submission's file area: {"filename", "filepath", "filesize", "fileurl", "timemodified"}."""
    out = []
    for plugin in sub.get("plugins", []):
        if plugin.get("type") != "file":
            continue
        for area in plugin.get("fileareas", []):
            if area.get("area") == "submission_files":
                out.extend(area.get("files", []))
    return out


def grade_records(client: Client, a: Assignment) -> dict[int, dict]:
    """user -> the assignment's own grade record of the latest attempt (``mod_assign_get_grades``):
    ``grade`` ("-1.00000" when none), ``timemodified``, ``grader``, ``attemptnumber``. Moodle lists a
    user only where they have a submission record of their own: a team member who never handed in
    is missing, and :func:`feedbacks` then reads the grade from the submission status."""
    reply = client.call("mod_assign_get_grades", {"assignmentids": [a.id]})
    out: dict[int, dict] = {}
    for block in reply.get("assignments", []):
        if int(block.get("assignmentid", -1)) != a.id:
            continue
        for g in block.get("grades", []):
            user = int(g.get("userid") or 0)
            if user not in out or int(g.get("attemptnumber") or 0) >= int(out[user].get("attemptnumber") or 0):
                out[user] = g
    return out


def workflow_states(client: Client, a: Assignment) -> dict[int, str]:
    """user -> marking-workflow state, for the users Moodle holds flags for (others have none yet)."""
    if not a.workflow:
        return {}
    reply = client.call("mod_assign_get_user_flags", {"assignmentids": [a.id]})
    return {int(f.get("userid", 0)): str(f.get("workflowstate") or "")
            for block in reply.get("assignments", []) if int(block.get("assignmentid", -1)) == a.id
            for f in block.get("userflags", [])}


def _number(value) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and number >= 0 else None


def feedback(client: Client, a: Assignment, user: int) -> Feedback:
    """What Moodle holds for ``user`` now (see :func:`feedbacks`)."""
    return feedbacks(client, a, [user])[user]


def feedbacks(client: Client, a: Assignment, users: list[int]) -> dict[int, Feedback]:
    """What Moodle holds for each of ``users`` now: the grade from the assignment's own records, the
    comment (as stored) and the feedback files where the web services show them, the latest attempt,
    the workflow state."""
    records = grade_records(client, a)
    states = workflow_states(client, a)
    return {user: _feedback(client, a, user, records.get(user), states.get(user, "")) for user in users}


def _feedback(client: Client, a: Assignment, user: int, record: dict | None, state: str) -> Feedback:
    reply = client.call("mod_assign_get_submission_status", {"assignid": a.id, "userid": user}, raw=True)
    out = Feedback(workflow_state=state)
    fb = reply.get("feedback") or {}
    grade = fb.get("grade") or {}
    if grade:
        out.grade = _number(grade.get("grade"))
        out.grade_time = int(grade.get("timemodified") or 0)
        out.grader = int(grade.get("grader") or 0)
        out.attempt = int(grade.get("attemptnumber") or 0)
    if record is not None:  # the assignment's own record wins: the status may hide it
        out.grade = _number(record.get("grade"))
        out.grade_time = int(record.get("timemodified") or 0)
        out.grader = int(record.get("grader") or 0)
        out.attempt = int(record.get("attemptnumber") or 0)
    for plugin in fb.get("plugins", []):
        if plugin.get("type") == "comments":
            for f in plugin.get("editorfields", []):
                if f.get("name") == "comments":
                    out.comment = f.get("text") or None
                    out.comment_format = int(f.get("format") or 1)
        if plugin.get("type") == "file":
            for area in plugin.get("fileareas", []):
                if area.get("area") == "feedback_files":
                    out.files = sorted(({"name": f.get("filename", ""), "size": int(f.get("filesize") or 0),
                                         "timemodified": int(f.get("timemodified") or 0)}
                                        for f in area.get("files", [])), key=lambda f: f["name"])
    out.hidden = a.workflow and state != RELEASED and not grade
    last = reply.get("lastattempt") or {}
    sub = last.get("teamsubmission") if a.team and last.get("teamsubmission") else last.get("submission")
    if sub:
        out.submission_time = int(sub.get("timemodified") or 0)
        out.submission_attempt = int(sub.get("attemptnumber") or 0)
        out.submission_status = str(sub.get("status") or "")
    status = str(last.get("gradingstatus") or "")
    if record is None and not grade and (a.blind or a.workflow) and status not in ("", "notgraded", "notmarked"):
        out.unreadable = (f"Moodle says this student is {status!r} but shows no grade record for them (a team member "
                          "who did not hand in, under blind marking or marking workflow): check them in Moodle")
    return out
