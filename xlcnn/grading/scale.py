"""Points to grades: the notebook's optional points, and the assignment's scale (the worksheet's
Maximum grade or the rubric's grade_max), never a grade without a known scale."""

from __future__ import annotations

from ..errors import XlcnnError
from ..moodle.worksheet import Worksheet
from .record import Record
from .rubric import Rubric


def add_notebook_points(rec: Record, rubric: Rubric) -> None:
    """The rubric's optional points for the notebook's checklist (default: none, a report only)."""
    checklist = rec.notebook.checklist
    for key, (points, most) in rubric.notebook.items():
        value = checklist.get(key, 0)
        count = min(int(value), most) if not isinstance(value, bool) else int(value)
        qid = f"notebook.{key}"
        rec.points[qid] = round(points * count, 4)
        rec.max_points[qid] = points * (most if not isinstance(value, bool) else 1)
    rec.max_total = sum(rec.max_points.values())
    rec.total = sum(p for p in rec.points.values() if p is not None)


class GradeScaleError(XlcnnError):
    """The grade scale is contradictory, or a computed grade fell outside it (a bug: the run stops)."""


def grade_scale(worksheet: Worksheet | None, rubric: Rubric) -> tuple[float | None, str]:
    """The assignment's maximum grade and where it comes from; None (with the reason) when unknown."""
    sheet_max = None
    if worksheet is not None and worksheet.col("max") is not None:
        values = {v for v in (worksheet.number(worksheet.get(r, "max")) for r in worksheet.rows) if v is not None}
        if len(values) > 1:
            raise GradeScaleError(f"{worksheet.source}: the Maximum grade column holds several values "
                                  f"({', '.join(f'{v:g}' for v in sorted(values))}); one assignment has one scale")
        sheet_max = values.pop() if values else None
        if sheet_max is not None and sheet_max <= 0:
            raise GradeScaleError(f"{worksheet.source}: Maximum grade {sheet_max:g} is not a point scale "
                                  "(a Moodle scale or no grade); xlcnn writes numeric grades only")
    if sheet_max is not None and rubric.grade_max is not None and abs(sheet_max - rubric.grade_max) > 1e-9:
        raise GradeScaleError(f"{rubric.source}: grade_max = {rubric.grade_max:g}, but Moodle's worksheet says the "
                              f"assignment is out of {sheet_max:g}; make them agree (or drop grade_max)")
    if sheet_max is not None:
        return sheet_max, f"Maximum grade {sheet_max:g} (worksheet)"
    if rubric.grade_max is not None:
        return rubric.grade_max, f"grade_max {rubric.grade_max:g} ({rubric.source})"
    if worksheet is None:
        return None, ("the assignment's scale is unknown: no grading worksheet was given (--worksheet) and the "
                      "rubric has no grade_max; points are in the gradebook and results.json, no grade was written")
    return None, ("the assignment's scale is unknown: the worksheet has no Maximum grade column and the rubric "
                  "no grade_max; points are in the gradebook and results.json, no grade was written")
