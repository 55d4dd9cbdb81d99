"""Which students a download folder belongs to: the folder read against the grading worksheet.

A folder ``Name_<id>_assignsubmission_file`` is a **group's** (team submissions, Moodle 4.1+:
the id is the group id) or a **participant's** (the id is the participant id). Moodle's
worksheet has group names but no group ids, so a group folder is matched by name, through
Moodle's own folder-name transformation (:func:`~xlcnn.moodle.download.folder_prefix`); a
participant folder by its id *and* its name (by id alone with blind marking, where the
worksheet has no names). A folder that fits both, several groups, or nothing is held for a
person: its grade is never written onto somebody chosen by a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .download import Submission, folder_prefix
from .worksheet import Participant, Worksheet


@dataclass
class Match:
    """The students of one submission folder, or why a person must decide."""

    kind: str  # "group", "participant", "no group" (Default group: no id), "unmatched", "ambiguous"
    members: list[Participant] = field(default_factory=list)
    group: str = ""
    problem: str = ""  # empty when the match is sure


def _exact(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", _exact(text)).strip().casefold()


def _same(folder_name: str, name: str) -> int:
    """2: the folder is exactly what Moodle makes of ``name``; 1: the same but for case and spaces; 0: no."""
    made = folder_prefix(name)
    if _exact(made) == _exact(folder_name):
        return 2
    return 1 if _loose(made) == _loose(folder_name) else 0


def match_folder(sub: Submission, sheet: Worksheet) -> Match:
    """The members of ``sub`` according to ``sheet``; see the module's rules."""
    if not sub.moodle_id:
        return Match("no group", problem=(
            f"{sub.key}: a submission of students in no group ('{sub.name}'): Moodle shares it among all of "
            "them and cannot take feedback files for it by zip; grade it by hand"))
    people = sheet.participants()
    groups: dict[str, list[Participant]] = {}
    for p in people:
        if p.group:
            groups.setdefault(p.group, []).append(p)
    scored = [(_same(sub.name, g), g) for g in groups]
    best = max((s for s, _ in scored), default=0)
    group_hits = [g for s, g in scored if s and s == best]

    person = next((p for p in people if p.uniqueid == sub.moodle_id), None)
    if person is not None and not sheet.blind:
        name = person.full_name
        fits = _same(sub.name, name) or (sub.old_format and person.group and _loose(sub.name).endswith(
            _loose(folder_prefix(name))))
        if not fits:
            person = None
    elif person is not None and group_hits:
        person = None  # blind marking has no team folders named like groups; a group name wins over a bare id

    if person is not None and group_hits:
        return Match("ambiguous", problem=(
            f"{sub.key}: fits both participant {sub.moodle_id} ({person.full_name}) and group "
            f"{group_hits[0]!r} of the worksheet; a person must say which"))
    if len(group_hits) > 1:
        return Match("ambiguous", problem=(
            f"{sub.key}: fits several groups of the worksheet ({', '.join(repr(g) for g in sorted(group_hits))}); "
            "a person must say which"))
    if group_hits:
        g = group_hits[0]
        return Match("group", members=groups[g], group=g)
    if person is not None:
        return Match("participant", members=[person], group=person.group)
    hint = ""
    unnamed = [k for k in ("full_name", "group") if sheet.col(k) is None and not (k == "full_name" and sheet.blind)]
    if sheet.translated and unnamed:
        hint = (" (the worksheet's " + " and ".join(k.replace("_", " ") for k in unnamed) + " column is not known: "
                "name it with --worksheet-columns " + ",".join(f"{k}=..." for k in unnamed) + ")")
    return Match("unmatched", problem=(
        f"{sub.key}: no row of the grading worksheet for {sub.label} (no group of that name, no participant "
        f"with that id and name){hint}; grade it by hand"))
