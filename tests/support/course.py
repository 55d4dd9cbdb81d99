"""A course's *own* workbook, as a teacher hands it out: no defined names, no xlcnn sheet, its own
document metadata, and a layout file of sheet ranges with the strides and paddings written as
numbers (as the README's example does). Built from the shipped template's arrangement, so that
the right answers are known (``tests.support.factories.RIGHT``); students' habits are edits on top.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable

import openpyxl

from tests.support.factories import RIGHT, cells_of
from xlcnn.handout.build import build_workbook
from xlcnn.handout.examples import load_example

TEACHER = "Prof. Course"
CREATED = datetime.datetime(2025, 9, 1, 8, 30)


def _ref(wb, name: str) -> str:
    cells = cells_of(wb, name)
    sheet = cells[0].parent.title
    first, last = cells[0].coordinate, cells[-1].coordinate
    return f"'{sheet}'!{first}" + (f":{last}" if last != first else "")


def course_layout(wb=None) -> str:
    """The layout a TA writes for the course's workbook (ranges; strides and paddings as numbers)."""
    wb = wb or build_workbook(load_example())
    ex = load_example()
    lines = ["[conv1d]", f'input = "{_ref(wb, "Input1D")}"', f'filter = "{_ref(wb, "Filter1D")}"',
             f'bias = "{_ref(wb, "Bias1D")}"', ""]
    for i, (s, p) in enumerate(ex.cases1, 1):
        lines += ["[[conv1d.cases]]", f"stride = {s}", f"padding = {p}", f'output = "{_ref(wb, f"Case{i}_Output")}"',
                  f'size = "{_ref(wb, f"Case{i}_Size")}"', f'same = "{_ref(wb, f"Case{i}_Same")}"', ""]
    inputs = ", ".join(f'"{_ref(wb, f"Input2D_C{c}")}"' for c in (1, 2, 3))
    filters = ", ".join("[" + ", ".join(f'"{_ref(wb, f"Filter2D_K{k}_C{c}")}"' for c in (1, 2, 3)) + "]"
                        for k in (1, 2))
    lines += ["[conv2d]", f"input = [{inputs}]", f"filters = [{filters}]",
              f'biases = ["{_ref(wb, "Bias2D_K1")}", "{_ref(wb, "Bias2D_K2")}"]', f'maps = "{_ref(wb, "Maps")}"',
              f'preserve = "{_ref(wb, "Preserve")}"', ""]
    for i, (s, p) in enumerate(ex.volume_cases, 1):
        lines += ["[[conv2d.volumes]]", f"stride = {s}", f"padding = {p}", f'answer = "{_ref(wb, f"Volume{i}")}"', ""]
    s, p = ex.values_case
    lines += ["[conv2d.values]", f"stride = {s}", f"padding = {p}",
              f'output = ["{_ref(wb, "Output2D_K1")}", "{_ref(wb, "Output2D_K2")}"]', ""]
    return "\n".join(lines)


def _as_course_file(wb) -> None:
    for name in list(wb.defined_names.keys()):
        del wb.defined_names[name]
    if "xlcnn" in wb.sheetnames:
        del wb["xlcnn"]
    wb.properties.creator, wb.properties.lastModifiedBy = TEACHER, TEACHER
    wb.properties.created = wb.properties.modified = CREATED


def blank(path: Path) -> Path:
    """The course's handed-out workbook."""
    wb = build_workbook(load_example())
    _as_course_file(wb)
    wb.save(path)
    return path


def student(path: Path, answers: dict | None = None, edit: Callable | None = None, author: str = "") -> Path:
    """A student's copy: ``answers`` (by the template's names; default all right) typed in, then
    ``edit(wb)`` (rows inserted, a sheet renamed...) done as the student did it. The copy keeps the
    teacher's creator and creation time, as copies do; ``author`` is who last saved it."""
    wb = build_workbook(load_example())
    for name, value in (RIGHT if answers is None else answers).items():
        for cell, v in zip(cells_of(wb, name), value if isinstance(value, list) else [value], strict=False):
            cell.value = v
    _as_course_file(wb)
    if author:
        wb.properties.lastModifiedBy = author
    if edit:
        edit(wb)
    wb.save(path)
    return path


def wb_value(path: Path, sheet: str, coord: str):
    return openpyxl.load_workbook(path)[sheet][coord].value
