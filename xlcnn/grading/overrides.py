"""``--overrides overrides.toml``: what a person decided for a few submissions, applied on every run.

One table per submission, named by its group (or participant) name or by its folder in the
download::

    ["Group 07"]
    workbook = "final version.xlsx"   # of several workbooks, the one to grade

    ["Group 11"]
    layout = "group11-layout.toml"    # graded with its own layout (relative to this file)

    ["Group 03"]
    grade = 24.5                      # on the assignment's scale: a person's grade, exported
    reason = "answers on a second sheet, graded by hand (J. Doe)"

    ["Group 09"]
    skip = true                       # not graded, not exported
    reason = "handed in by e-mail, graded in Moodle"

A table that names no submission, an unknown key, a grade without a reason or outside the
scale, or a workbook the submission does not hold stops the run with one line: a decision that
does not apply is never silently dropped.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .. import datafiles
from ..errors import XlcnnError
from ..layout.model import Layout, load_layout

KEYS = {"workbook", "layout", "grade", "reason", "skip"}


class OverrideError(XlcnnError):
    """The overrides file is wrong, or one of its decisions applies to nothing."""


@dataclass
class Override:
    name: str  # the table's name: a group, participant or folder name
    workbook: str | None = None
    layout: Layout | None = None
    layout_file: str = ""
    grade: float | None = None
    reason: str = ""
    skip: bool = False

    def describe(self) -> str:
        if self.skip:
            return f"skipped by a person: {self.reason}" if self.reason else "skipped by a person"
        parts = []
        if self.workbook:
            parts.append(f"workbook chosen by a person: {self.workbook}")
        if self.layout_file:
            parts.append(f"graded with its own layout: {self.layout_file}")
        if self.grade is not None:
            parts.append(f"grade set by a person: {self.grade:g} ({self.reason})")
        return "; ".join(parts)


def load_overrides(path: Path) -> dict[str, Override]:
    text, source = datafiles.load(path, "", "overrides file", OverrideError)
    data = datafiles.parse_toml(text, source, OverrideError)
    out = {}
    for name, table in data.items():
        where = f"{source}: [{name!r}]"
        if not isinstance(table, dict):
            raise OverrideError(f"{where}: expected a table of decisions (workbook, layout, grade, reason, skip), "
                                f"got {table!r}")
        for key in table:
            if key not in KEYS:
                close = difflib.get_close_matches(key, sorted(KEYS), n=1, cutoff=0.4)
                raise OverrideError(f"{where}: unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                                    + f" (valid: {', '.join(sorted(KEYS))})")
        o = Override(str(name))
        if "workbook" in table:
            if not isinstance(table["workbook"], str) or not table["workbook"].strip():
                raise OverrideError(f"{where}: workbook must be a file name, got {table['workbook']!r}")
            o.workbook = table["workbook"].strip()
        if "layout" in table:
            if not isinstance(table["layout"], str):
                raise OverrideError(f"{where}: layout must be a path to a layout file, got {table['layout']!r}")
            layout_path = Path(table["layout"])
            if not layout_path.is_absolute():
                layout_path = Path(path).parent / layout_path
            o.layout, o.layout_file = load_layout(layout_path), table["layout"]
        if "reason" in table:
            if not isinstance(table["reason"], str):
                raise OverrideError(f"{where}: reason must be a text, got {table['reason']!r}")
            o.reason = " ".join(table["reason"].split())
        if "grade" in table:
            g = table["grade"]
            if isinstance(g, bool) or not isinstance(g, (int, float)) or g < 0:
                raise OverrideError(f"{where}: grade must be a number >= 0 on the assignment's scale, got {g!r}")
            if not o.reason:
                raise OverrideError(f"{where}: a grade set by a person needs its reason (reason = \"...\"): "
                                    "it is shown in the gradebook and the feedback")
            o.grade = float(g)
        if "skip" in table:
            if not isinstance(table["skip"], bool):
                raise OverrideError(f"{where}: skip must be true or false, got {table['skip']!r}")
            o.skip = table["skip"]
            if o.skip and (o.grade is not None or o.workbook or o.layout_file):
                raise OverrideError(f"{where}: skip = true cannot go with a grade, a workbook or a layout")
        if not (o.skip or o.grade is not None or o.workbook or o.layout_file):
            raise OverrideError(f"{where}: no decision (workbook, layout, grade or skip)")
        out[o.name] = o
    return out


def find(records: list, overrides: dict[str, Override], source: str = "overrides") -> dict[str, Override]:
    """Record key -> its override; an override that names no submission, or several, is an error."""
    out = {}
    for name, o in overrides.items():
        wanted = name.casefold()
        hits = [r for r in records if wanted in {r.name.casefold(), r.key.casefold(), (r.group or "").casefold(),
                                                 *(f.casefold() for f in r.folders)}]
        if not hits:
            close = difflib.get_close_matches(name, sorted({r.name for r in records}), n=1, cutoff=0.6)
            raise OverrideError(f"{source}: [{name!r}] names no submission of this download"
                                + (f"; did you mean {close[0]!r}?" if close else ""))
        if len(hits) > 1:
            raise OverrideError(f"{source}: [{name!r}] names several submissions ("
                                + ", ".join(r.key for r in hits) + "): use the folder name")
        out[hits[0].key] = o
    return out
