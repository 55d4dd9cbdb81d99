"""``xlcnn moodle pull``: an assignment's submissions, through the web services, written in exactly
the folder layout of Moodle's "Download all submissions" (so ``xlcnn grade`` reads it unchanged),
with ``moodle.json``: the site, the assignment's settings, per folder the Moodle ids, the attempt
and its time, and each student's grade and feedback as they were when pulled (the baseline a push
compares with: what changed in Moodle since is a person's work, and stays).

Folder names follow Moodle's downloader (``mod/assign/classes/downloader.php``): a team's
``<group name>_<group id>_assignsubmission_file/``, a student's ``<full name>_<participant
number>_...``, blind ``Participant_<participant number>_...``; names cleaned as ``clean_filename``
does. Files are streamed to disk within the download's size limits, their paths checked as a
zip's members are."""

from __future__ import annotations

import json
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..files.atomic import atomic_write
from ..files.safezip import member_problem
from ..moodle.download import DOWNLOAD_LIMITS
from .client import Client, MoodleError
from .site import (
    Assignment,
    Participant,
    Site,
    feedbacks,
    participants,
    submission_files,
    submissions,
)

FORMAT = "xlcnn-moodle-pull/1"
SNAPSHOT = "moodle.json"
MAX_FILE = 100 * 2**20  # one submitted file (a workbook and a notebook are a few MB)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/]")


def clean_filename(text: str) -> str:
    """Moodle's ``clean_param(PARAM_FILE)``: control characters and ``&<>"`|':\\/`` removed."""
    text = _UNSAFE.sub("", text)
    return "" if text in (".", "..") else text


def clean_path(text: str) -> str:
    """Moodle's ``clean_param(PARAM_PATH)``: each part cleaned, repeated slashes and ``/./`` collapsed."""
    parts = text.replace("\\", "/").split("/")
    text = "/".join(p if (p == "." and i == 0) else clean_filename(p) for i, p in enumerate(parts))
    text = re.sub(r"//+", "/", text)
    return re.sub(r"/(\./)+", "/", text)


def folder_prefix(a: Assignment, p: Participant | None, group: int = 0, group_name: str = "") -> str:
    """The download's prefix of a submission: a group's, or a student's."""
    if a.team:
        if group:
            return clean_filename(group_name.replace("_", " ") + f"_{group}")
        return clean_filename("Default group")
    name = "Participant" if a.blind else p.fullname
    return clean_filename(name.replace("_", " ") + f"_{p.uniqueid}")


@dataclass
class Pulled:
    folder: Path
    submissions: int
    files: int
    bytes: int
    skipped: list[str]


def pull(client: Client, site: Site, a: Assignment, outdir: Path, progress=None) -> Pulled:
    """Write the submissions of ``a`` into ``outdir`` (which must be empty or new) and its moodle.json."""
    outdir.mkdir(parents=True, exist_ok=True)
    people = participants(client, a, site)
    by_user = {p.user: p for p in people}
    if not a.team and any(p.uniqueid is None for p in people):
        raise MoodleError(f"{site.url}: the participant numbers of assignment {a.cmid} are not readable with this "
                          "token (mod_assign_get_user_mappings needs an editing teacher's token): the folders could "
                          "not be named as Moodle's download names them")
    subs = submissions(client, a)
    folders: dict[str, dict] = {}
    skipped: list[str] = []
    total = count = 0
    for sub in subs:
        files = submission_files(sub)
        if not files:
            continue
        group = int(sub.get("groupid") or 0)
        if a.team:
            if int(sub.get("userid") or 0):  # a member's own row in team mode holds no files
                continue
            members = [p for p in people if p.group == group]
            name = members[0].group_name if members else ""
            prefix = folder_prefix(a, None, group, name)
        else:
            p = by_user.get(int(sub.get("userid") or 0))
            if p is None:
                continue
            members = [p]
            prefix = folder_prefix(a, p)
        folder = clean_filename(f"{prefix}_assignsubmission_file")
        entry = folders.setdefault(folder, {
            "submission": int(sub.get("id") or 0), "group": group if a.team else None,
            "users": [m.user for m in members], "attempt": int(sub.get("attemptnumber") or 0),
            "status": str(sub.get("status") or ""), "timemodified": int(sub.get("timemodified") or 0), "files": []})
        for f in files:
            rel = clean_path(folder + str(f.get("filepath") or "/") + str(f.get("filename") or ""))
            problem = member_problem(zipfile.ZipInfo(rel))
            if problem or not rel.startswith(folder + "/"):
                skipped.append(f"{rel[:120]}: {problem or 'outside its folder'}; not written")
                continue
            if (int(f.get("filesize") or 0) > MAX_FILE
                    or total + int(f.get("filesize") or 0) > DOWNLOAD_LIMITS.max_total):
                skipped.append(f"{rel}: {int(f.get('filesize') or 0):,} bytes, over the limit; not written")
                continue
            size = client.download(str(f["fileurl"]), outdir / rel, min(MAX_FILE, DOWNLOAD_LIMITS.max_total - total))
            total += size
            count += 1
            entry["files"].append({"path": rel, "size": size})
        if progress:
            progress(folder)
    people_json = []
    held = feedbacks(client, a, [p.user for p in people])
    for p in people:
        now = held[p.user]
        people_json.append({"user": p.user, "uniqueid": p.uniqueid, "fullname": "" if a.blind else p.fullname,
                            "email": "" if a.blind else p.email, "group": p.group, "group_name": p.group_name,
                            "feedback": now.as_json()})
    snapshot = {"format": FORMAT, "site": site.url, "release": site.release, "userid": site.userid,
                "cmid": a.cmid, "assignment": a.id, "course": a.course, "course_shortname": a.course_shortname,
                "name": a.name, "max_grade": a.max_grade, "team": a.team, "blind": a.blind, "workflow": a.workflow,
                "comments": a.comments, "feedback_files": a.files, "pulled_at": int(time.time()),
                "folders": dict(sorted(folders.items())), "participants": people_json}
    atomic_write(outdir / SNAPSHOT, lambda tmp: tmp.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False),
                                                               encoding="utf-8"))
    return Pulled(outdir, len(folders), count, total, skipped)


def read_snapshot(folder: Path) -> dict | None:
    """The moodle.json of a pulled folder, or None when there is none."""
    path = Path(folder) / SNAPSHOT
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as err:
        raise MoodleError(f"{path}: not readable ({str(err)[:120]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MoodleError(f"{path}: not a moodle.json written by `xlcnn moodle pull`")
    return data
