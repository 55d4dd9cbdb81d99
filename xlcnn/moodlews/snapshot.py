"""A pulled folder's ``moodle.json`` as the grader needs it: the participants and the assignment's
scale, as a grading worksheet would give them (so ``xlcnn grade`` needs no ``--worksheet`` there)."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..moodle.worksheet import Worksheet, build_worksheet
from .pull import SNAPSHOT, read_snapshot

__all__ = ["SNAPSHOT", "read_snapshot", "worksheet"]


def _grade(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _grade_time(feedback: dict) -> str:
    """When Moodle's grade was last changed, as "Last modified (grade)" needs it: Moodle's importer
    reads it with PHP's strtotime and skips a row whose grade Moodle changed later ("-" reads as never,
    so every grade already in Moodle would look newer). ISO 8601 with its offset reads the same on any
    server's time zone; "-" where Moodle holds no grade, as its own export writes."""
    when = feedback.get("grade_time")
    if feedback.get("grade") is None or not isinstance(when, int) or isinstance(when, bool) or when <= 0:
        return "-"
    return datetime.datetime.fromtimestamp(when, datetime.timezone.utc).isoformat()


def worksheet(snapshot: dict, folder: Path) -> Worksheet:
    """A worksheet made of the snapshot's participants: ``Participant <n>`` identifiers, names (none
    under blind marking, as Moodle's export), groups, grades as they were and when they were set, the
    Maximum grade."""
    blind = bool(snapshot.get("blind"))
    header = ["Identifier"] + ([] if blind else ["Full name", "Email address"]) + [
        "Status", "Group", "Grade", "Maximum grade", "Grade can be changed", "Last modified (grade)",
        "Feedback comments"]
    rows = []
    for p in snapshot.get("participants", []):
        if p.get("uniqueid") is None:
            continue
        fb = p.get("feedback", {})
        rows.append([f"Participant {p['uniqueid']}"] + ([] if blind else [p.get("fullname", ""), p.get("email", "")])
                    + ["", p.get("group_name", "") if snapshot.get("team") else "", _grade(fb.get("grade")),
                       f"{float(snapshot['max_grade']):.2f}", "Yes", _grade_time(fb), fb.get("comment") or ""])
    return build_worksheet(header, rows, f"{Path(folder) / SNAPSHOT}")
