"""A pulled folder's ``moodle.json`` as the grader needs it: the participants and the assignment's
scale, as a grading worksheet would give them (so ``xlcnn grade`` needs no ``--worksheet`` there)."""

from __future__ import annotations

from pathlib import Path

from ..moodle.worksheet import Worksheet, build_worksheet
from .pull import SNAPSHOT, read_snapshot

__all__ = ["SNAPSHOT", "read_snapshot", "worksheet"]


def _grade(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def worksheet(snapshot: dict, folder: Path) -> Worksheet:
    """A worksheet made of the snapshot's participants: ``Participant <n>`` identifiers, names (none
    under blind marking, as Moodle's export), groups, grades as they were, the Maximum grade."""
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
                       f"{float(snapshot['max_grade']):.2f}", "Yes", "-", fb.get("comment") or ""])
    return build_worksheet(header, rows, f"{Path(folder) / SNAPSHOT}")
