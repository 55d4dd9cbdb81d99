"""``xlcnn solve``: fill a workbook's answer cells with live formulas and their values."""

from __future__ import annotations

from pathlib import Path

from ..errors import WorkbookError
from ..files.opening import open_workbook
from ..files.xlsx_values import save_workbook
from ..layout.model import Layout
from ..layout.regions import RegionId
from .questions import Question, operand, questions
from .reading import Reading, read_workbook

R = RegionId


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
        return [", ".join(f"{k}={v}" for k, v in zip("FPS", q.expected, strict=False))]
    raise AssertionError(q.kind)


def _plain(v: float):
    return int(v) if float(v).is_integer() else float(v)


def fill(reading: Reading) -> dict[tuple[str, str], object]:
    """Write every answer into ``reading.book.workbook``; return the cached values to store."""
    from openpyxl.comments import Comment

    wb = reading.book.workbook
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
    for i in range(1, len(reading.layout.cases) + 1):
        area = reading.areas.get(R.of("conv1d.cases.note", i))
        if area is not None:  # the "does not fit" explanation, computed from the inputs, next to the answer
            cell = wb[area.sheet][area.coords()[0]]
            cell.value = _note_formula(reading, i)
            cached[(area.sheet, cell.coordinate)] = _note_value(reading, i)
            _wrap(wb[area.sheet], cell, reading.areas[R.of("conv1d.cases.output", i)].shape[1],
                  tall=bool(cached[(area.sheet, cell.coordinate)]))
    preserve = next((q for q in qs if q.region.family == "conv2d.preserve"), None)
    if preserve is not None:
        ws = wb[preserve.area.sheet]
        rule = ("Any F, P, S with (N - F + 2P)/S + 1 = N keeps the size N. With S = 1: P = (F - 1)/2, "
                "so F = 3, P = 1 or F = 5, P = 2 (F odd).")
        ws[preserve.cells[0]].comment = Comment(rule, "xlcnn")
        beside = ws.cell(preserve.area.min_row, preserve.area.max_col + 2)
        if beside.value is None:
            beside.value = rule
    return cached


def _note_formula(reading: Reading, i: int) -> str:
    """The note of a 1D case as a formula of the inputs: empty when the filter fits, else the
    arithmetic and what is dropped (it stays right when a given number changes)."""

    x, w = reading.areas[R.of("conv1d.input")].ref(), reading.areas[R.of("conv1d.filter")].ref()
    S = operand(reading, R.of("conv1d.cases.stride", i))
    P = operand(reading, R.of("conv1d.cases.padding", i))
    top = f"(COUNT({x})-COUNT({w})+2*{P})"
    return (f'=IF(MOD({top},{S})=0,"","("&COUNT({x})&" - "&COUNT({w})&" + 2*"&{P}&") / "&{S}&" + 1 = "'
            f'&TEXT({top}/{S}+1,"0.##")&": not an integer, the filter does not fit exactly; the last partial '
            f'window is dropped, so the output has "&(INT({top}/{S})+1)&" values")')


def _note_value(reading: Reading, i: int) -> str:
    """What :func:`_note_formula` computes, for the file's cached value."""
    ex = reading.example
    n, f = ex.x1.size, ex.w1.size
    s, p = ex.cases1[i - 1]
    top = n - f + 2 * p
    if top % s == 0:
        return ""
    exact = f"{top / s + 1:.2f}".rstrip("0").rstrip(".")
    return (f"({n} - {f} + 2*{p}) / {s} + 1 = {exact}: not an integer, the filter does not fit exactly; the last "
            f"partial window is dropped, so the output has {top // s + 1} values")


def _wrap(ws, cell, width: int, tall: bool) -> None:
    """A long note readable where it stands: wrapped over the empty cells to its right, its row taller."""
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = cell.column
    while last + 1 < cell.column + max(width, 1) + 3 and ws.cell(cell.row, last + 1).value is None \
            and not any(cell.coordinate in r for r in ws.merged_cells.ranges):
        last += 1
    if last > cell.column:
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last)
    if tall:
        ws.row_dimensions[cell.row].height = 30


def mark_solution(wb, sheets: list[str]) -> None:
    """SOLUTION on every sheet that holds answers: in the header of every printed page, on the tab."""
    for name in sheets:
        ws = wb[name]
        ws.oddHeader.left.text = "SOLUTION"
        ws.oddHeader.left.color = "C00000"
        ws.oddHeader.left.size = 14
        ws.evenHeader.left.text = "SOLUTION"
        ws.oddHeader.center.text = (ws.oddHeader.center.text or "").replace("student workbook", "solution") or None
        ws.sheet_properties.tabColor = "C00000"
        first = ws["A1"]
        if isinstance(first.value, str) and not first.value.startswith("SOLUTION"):
            first.value = f"SOLUTION — {first.value}"


def solve_file(src: Path, out: Path, layout: Layout | None = None, force: bool = False) -> Reading:
    """Read ``src``, fill its answers, write ``out`` (never ``src`` itself)."""
    src, out = Path(src), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{out}: the solution is written as .xlsx; choose an output name ending in .xlsx")
    if out.exists() and out.resolve() == src.resolve():
        raise WorkbookError(f"{out}: refusing to write over the input workbook; choose another output name")
    if out.exists() and not force:
        raise WorkbookError(f"{out}: exists; pass --force to overwrite it")
    book = open_workbook(src)
    reading = read_workbook(book, layout)
    cached = fill(reading)
    mark_solution(book.workbook, sorted({a.sheet for a in reading.areas.values()}))
    save_workbook(book.workbook, out, cached)
    return reading
