"""The first stages of grading a class, before any workbook is judged: each submission matched to
its worksheet rows, its workbook located, and whether that workbook must go through LibreOffice.

A submission whose members are not sure (no worksheet row, an ambiguous match, students in no group)
is held, not dropped: its marks are still computed, and a person decides."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import UnsafeFileError, XlcnnError
from ..files.opening import precheck
from ..files.recalc import needs_recalculation
from ..moodle.download import Submission, is_junk
from ..moodle.matching import match_folder
from ..moodle.worksheet import Worksheet
from .isolation import Limits, run_isolated
from .record import Record, Status

# ------------------------------------------------------------------ matching submissions to the worksheet

HOLDS = {"ambiguous": Status.AMBIGUOUS_MATCH}  # a match's kind -> its hold; any other problem: no worksheet row


def match(subs: list[Submission], worksheet: Worksheet | None) -> list[Record]:
    """One record per submission, with its members from the worksheet (see :mod:`xlcnn.moodle.matching`);
    pre-4.1 group copies (one folder per member) merged into one record that keeps every folder."""
    records: list[Record] = []
    seen_groups: dict[str, Record] = {}
    for sub in subs:
        rec = Record(sub.key, sub.name, sub.moodle_id, submission=sub, folders=[sub.key])
        for problem in sub.problems:
            rec.say(problem)
        if not sub.moodle_id:  # "Default group": students in no group, no id to give feedback to
            found = match_folder(sub, worksheet) if worksheet is not None else None
            rec.hold = Status.NO_GROUP
            rec.say(found.problem if found else f"{sub.key}: a submission of students in no group: Moodle cannot "
                    "take feedback files for it by zip; grade it by hand", explains=rec.hold)
        elif worksheet is not None:
            found = match_folder(sub, worksheet)
            if found.problem:
                rec.hold = HOLDS.get(found.kind, Status.NO_WORKSHEET_ROW)
                rec.say(found.problem, explains=rec.hold)
            else:
                rec.group, rec.members = found.group, list(found.members)
                if found.kind == "participant" and sub.old_format and found.group:
                    # before 4.1: the group's submission once per member; grade it once, feed back to each folder
                    group_members = [p for p in worksheet.participants() if p.group == found.group]
                    if found.group in seen_groups:
                        seen_groups[found.group].folders.append(sub.key)
                        continue
                    seen_groups[found.group] = rec
                    rec.name = found.group
                    rec.members = group_members
        records.append(rec)
    return records


class ForeignWorksheet(XlcnnError):
    """The grading worksheet is not the one of this download's assignment (``--force`` goes on)."""


_ASSIGNMENT = re.compile(r"^(?:Grades-)?(?P<stem>.+)-(?P<id>\d+)$")


def worksheet_fits(source: Path, worksheet: Worksheet, records: list[Record]) -> str | None:
    """Why ``worksheet`` does not belong to the download ``source``, or None: the assignment's name and
    id in both file names (Moodle names them ``course-assignment-[group-]cmid.zip`` and
    ``Grades-course-assignment-[group-]cmid.csv``), then the identifiers on both sides."""
    d = _ASSIGNMENT.match(Path(source).stem if Path(source).is_file() else Path(source).name)
    w = _ASSIGNMENT.match(Path(worksheet.source).stem)
    if d and w and Path(worksheet.source).stem.startswith("Grades-") and d.group("id") != w.group("id"):
        return (f"{Path(worksheet.source).name} is the worksheet of assignment {w.group('id')} ('{w.group('stem')}'), "
                f"the download is of assignment {d.group('id')} ('{d.group('stem')}')")
    placed = [r for r in records if r.submission is not None and r.moodle_id]
    unmatched = [r for r in placed if r.hold is Status.NO_WORKSHEET_ROW]
    if placed and len(unmatched) * 2 > len(placed):
        return (f"{len(unmatched)} of the download's {len(placed)} submissions have no row in "
                f"{Path(worksheet.source).name}: it looks like the worksheet of another class or assignment")
    return None


# ------------------------------------------------------------------ the workbook of a submission

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


def find_workbook(sub: Submission) -> tuple[Path | None, Status | None, str | None]:
    """The submission's workbook, or the status and the reason why there is none to grade."""
    candidates = [f for f in sub.files if f.suffix.lower() in WORKBOOK_SUFFIXES and not is_junk((f.name,))]
    if len(candidates) == 1:
        return candidates[0], None, None
    if not candidates:
        names = ", ".join(sorted(f.name for f in sub.files)) or "no files"
        return None, Status.NO_WORKBOOK, f"no workbook (.xlsx, .xlsm, .ods, .xls) in the submission ({names})"
    return None, Status.SEVERAL_WORKBOOKS, ("several workbooks, a person must choose: "
                                            + ", ".join(sorted(f.name for f in candidates)))


# ------------------------------------------------------------------ does it go through LibreOffice?

IN_PROCESS_BYTES = 8 * 2**20  # a file (or its XML) smaller than this is probed or read by the grader itself


def probe(path: Path, recalc: str) -> tuple[bool, Status | None, str]:
    """In a worker: whether ``path`` goes through LibreOffice, and if so whether it may (the zip
    measured by what it really inflates to, the XML checked): (needs, status if refused, message)."""
    if not needs_recalculation(path, recalc):
        return False, None, ""
    try:  # nothing reaches LibreOffice before the zip and XML checks
        precheck(path)
    except UnsafeFileError as err:
        return True, Status.REFUSED, str(err)
    except XlcnnError as err:
        return True, Status.UNREADABLE, str(err)
    except MemoryError:
        return True, Status.REFUSED, f"{path.name}: too large to check before LibreOffice opens it"
    return True, None, ""


def probe_here_or_alone(path: Path, recalc: str, limits: Limits) -> tuple[bool, Status | None, str]:
    """The probe of one file, in this process when its XML is small, else alone in a worker: the
    grader never holds a large member in memory."""
    try:
        with zipfile.ZipFile(path) as zf:
            small = sum(i.file_size for i in zf.infolist()) <= IN_PROCESS_BYTES
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        small = path.stat().st_size <= IN_PROCESS_BYTES
    if small:
        return probe(path, recalc)
    ok, result = run_isolated(probe, (path, recalc), limits)
    return result if ok else (True, Status.REFUSED, f"{path.name}: refused: {result}")
