"""``xlcnn solve``: fill a workbook's answer cells with live formulas and their values."""

from __future__ import annotations

from pathlib import Path

from ..errors import WorkbookError
from .cached import save_workbook
from .layout import Layout
from .loading import open_workbook
from .questions import Question, questions
from .reading import Reading, read_workbook


def _solution_values(q: Question) -> list[object]:
    """The value of each cell of the answer area, as the solution shows it."""
    if q.kind == "values":
        return [None if v is None else _plain(v) for v in q.expected]
    if q.kind == "number":
        return [_plain(q.expected)]
    if q.kind == "yesno":
        return ["yes" if q.expected else "no"]
    if q.kind == "shape":
        if q.area.size >= 3:
            return list(q.expected) + [None] * (q.area.size - 3)
        return ["x".join(str(v) for v in q.expected)]
    if q.kind == "triple":
        if q.area.size >= 3:
            return list(q.expected) + [None] * (q.area.size - 3)
        return [", ".join(f"{k}={v}" for k, v in zip("FPS", q.expected))]
    raise AssertionError(q.kind)


def _plain(v: float):
    return int(v) if float(v).is_integer() else float(v)


def fill(reading: Reading) -> dict[tuple[str, str], object]:
    """Write every answer into ``reading.book.formulas``; return the cached values to store."""
    from openpyxl.comments import Comment

    wb = reading.book.formulas
    cached: dict[tuple[str, str], object] = {}
    qs = questions(reading)
    for q in qs:
        ws = wb[q.area.sheet]
        values = _solution_values(q)
        for i, coord in enumerate(q.cells):
            formula = q.formulas[i] if i < len(q.formulas) else None
            value = values[i] if i < len(values) else None
            ws[coord].value = formula or value
            if formula:
                cached[(q.area.sheet, coord)] = value
        if q.note:
            ws[q.cells[0]].comment = Comment(q.note, "xlcnn")
    by_id = {q.id: q for q in qs}
    for i in range(1, len(reading.layout.cases) + 1):
        area = reading.areas.get(f"conv1d.cases[{i}].note")
        if area is not None:  # the "does not fit" explanation, in words next to the answer
            wb[area.sheet][area.coords()[0]].value = by_id[f"a.case{i}.output"].note or None
    return cached


def solve_file(src: Path, out: Path, layout: Layout | None = None, force: bool = False) -> Reading:
    """Read ``src``, fill its answers, write ``out`` (never ``src`` itself)."""
    src, out = Path(src), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{out}: the solution is written as .xlsx; choose an output name ending in .xlsx")
    if out.exists() and out.resolve() == src.resolve():
        raise WorkbookError(f"{out}: refusing to write over the input workbook; choose another output name")
    if out.exists() and not force:
        raise WorkbookError(f"{out}: already exists; pass --force to overwrite it")
    book = open_workbook(src)
    reading = read_workbook(book, layout)
    cached = fill(reading)
    save_workbook(book.formulas, out, cached)
    return reading
