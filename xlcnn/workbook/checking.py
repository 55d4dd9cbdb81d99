"""``xlcnn check``: compare a filled workbook's answers with those computed from its own inputs.

Deciding one answer is a pure function (:func:`judge`); :func:`check_reading`
applies it to every question and returns a :class:`CheckReport`.
"""

from __future__ import annotations

import re

import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.numbers import num
from ..errors import WorkbookError
from ..files.opening import open_workbook
from ..files.recalc import needs_recalculation, recalculated_book
from ..files.typed import (
    is_empty,
    is_placeholder,
    parse_count,
    parse_number,
    parse_numbers,
    parse_yes_no,
)
from ..handout.signing import load_secret, verify
from ..layout.model import Layout
from ..layout.regions import RegionId
from .diagnosis import diagnose
from .questions import Question, expected_text, questions
from .reading import Reading, read_workbook
from .verdict import Answer, InputsCheck

DEFAULT_TOLERANCE = 0.01  # answers rounded to two decimals are right





NOT_CALCULATED_HINT = "not calculated — open and save it in Excel or LibreOffice"


@dataclass
class CellResult:
    sheet: str
    cell: str
    given: object
    expected: object
    status: Answer
    detail: str = ""


@dataclass
class QuestionResult:
    id: str
    label: str
    part: str
    status: Answer
    expected: str
    given: str
    cells: list[CellResult]
    detail: str = ""
    span: list[str] = field(default_factory=list)  # every cell of the answer's area (a volume in three cells...)
    region: RegionId | None = None  # the answer's region (what a diagnosis dispatches on)

    @property
    def right_cells(self) -> int:
        return sum(c.status is Answer.RIGHT for c in self.cells)


@dataclass
class CheckReport:
    file: str
    questions: list[QuestionResult]
    inputs: InputsCheck = InputsCheck.UNCHECKED
    problems: list[str] = field(default_factory=list)
    nothing_filled: str = ""  # the problem that says every answer cell is empty (the student reads it too)
    recalculated: bool = False
    external: list[str] = field(default_factory=list)  # references outside the workbook: a person looks
    diagnoses: dict[str, list[str]] = field(default_factory=dict)  # question id -> the mistakes recognised
    mode: str = "full"  # "full": expected values shown; "hints": right / wrong and the mistake, never the answer

    def hinted(self) -> "CheckReport":
        """The same report for a student who must find the answers: right / wrong / missing per cell and
        the mistakes recognised, without an expected value or a worked computation."""
        from dataclasses import replace

        questions = [replace(q, expected="", detail="",
                             cells=[replace(c, expected=None, detail=_hint(c.detail)) for c in q.cells])
                     for q in self.questions]
        diagnoses = {k: [d.split(":")[0] for d in v] for k, v in self.diagnoses.items()}
        return replace(self, questions=questions, diagnoses=diagnoses, mode="hints")

    @property
    def all_right(self) -> bool:
        return (all(q.status is Answer.RIGHT for q in self.questions) and self.inputs is not InputsCheck.CHANGED
                and not self.external)

    def to_dict(self) -> dict:
        return asdict(self) | {"all_right": self.all_right}


def _hint(detail: str) -> str:
    """What a cell's detail may tell a student who must find the answer: how to fix the cell ("not
    calculated — open and save it...", "expected a number, got 'abc'", an Excel error), never the
    expected value or its computation."""
    head = (detail or "").split("; expected ")[0]
    return "" if re.match(r"expected [-+(\d]", head) or re.search(r"=\s*[-+(]?\d", head) else head


def close_enough(value: object, expected: float, close) -> bool:
    n, problem = parse_number(value)
    return problem is None and n is not None and close(n, expected)


def judge(q: Question, given: list[object], uncalculated: set[str], tolerance: float = DEFAULT_TOLERANCE):
    """Decide one question: (status, given text, per-cell results, detail)."""
    sheet = q.area.sheet
    cells = q.cells

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= tolerance + 1e-9 * abs(b)

    if any(c in uncalculated for c in cells) and all(is_empty(v) for v in given):
        results = [CellResult(sheet, c, None, None, Answer.NOT_CALCULATED, NOT_CALCULATED_HINT)
                   for c in cells if c in uncalculated]
        return Answer.NOT_CALCULATED, "", results, NOT_CALCULATED_HINT

    if q.kind == "values":
        results = []
        for coord, value, exp, detail in zip(cells, given, q.expected, q.details, strict=False):
            if callable(detail):  # worked explanations are computed only for the cells that need one
                if exp is not None and not is_empty(value) and close_enough(value, exp, close):
                    results.append(CellResult(sheet, coord, parse_number(value)[0], exp, Answer.RIGHT))
                    continue
                detail = detail()
            if coord in uncalculated and is_empty(value):
                results.append(CellResult(sheet, coord, None, exp, Answer.NOT_CALCULATED, NOT_CALCULATED_HINT))
                continue
            if exp is None and is_placeholder(value):  # "-", "—", "n/a"... in a cell that must stay empty
                continue
            n, problem = parse_number(value)
            if exp is None:
                if not is_empty(value):
                    results.append(CellResult(sheet, coord, value, None, Answer.WRONG, f"should be empty: {detail}"))
                continue
            if problem:
                results.append(CellResult(sheet, coord, value, exp, Answer.WRONG,
                                          f"{problem}; expected {num(exp)}: {detail}"))
            elif n is None:
                results.append(CellResult(sheet, coord, None, exp, Answer.MISSING, detail))
            elif close(n, exp):
                results.append(CellResult(sheet, coord, n, exp, Answer.RIGHT))
            else:
                results.append(CellResult(sheet, coord, n, exp, Answer.WRONG, f"expected {num(exp)}: {detail}"))
        statuses = {r.status for r in results}
        if statuses <= {Answer.RIGHT}:
            status = Answer.RIGHT
        elif statuses <= {Answer.MISSING}:
            status = Answer.MISSING
        elif Answer.NOT_CALCULATED in statuses and statuses <= {Answer.NOT_CALCULATED, Answer.RIGHT}:
            status = Answer.NOT_CALCULATED
        else:
            status = Answer.WRONG
        given_text = ", ".join("" if is_empty(v) or (e is None and is_placeholder(v)) else _show(v)
                               for v, e in zip(given, q.expected, strict=False)).rstrip(", ")
        return status, given_text, results, q.note

    coord = cells[0]
    if q.kind == "number":
        n, problem = parse_count(given[0])
        ok = n is not None and close(n, q.expected)
        value = n
    elif q.kind == "yesno":
        n, problem = parse_yes_no(given[0])
        ok = n is not None and n == q.expected
        value = None if n is None else ("yes" if n else "no")
    elif q.kind == "shape":
        n, problem = parse_numbers(given, 3)
        ok = n is not None and tuple(n) == tuple(q.expected)
        value = None if n is None else "x".join(num(v) for v in n)
    else:  # triple
        n, problem = parse_numbers(given, 3)
        ok = n is not None and q.accept is not None and q.accept(n)
        value = None if n is None else ", ".join(f"{k}={num(v)}" for k, v in zip("FPS", n, strict=False))
    detail = q.details[0] if q.details else ""
    detail = detail() if callable(detail) else detail
    if q.kind == "triple" and n is not None and q.side:  # an implausible number: a plain reason, no arithmetic
        f_, p_, s_ = n
        bounds = (("padding", p_, q.side), ("filter size", f_, q.side + 2 * max(p_, 0)),
                  ("stride", s_, q.side + 2 * max(p_, 0)))
        wild = next(((what, v, most) for what, v, most in bounds if v > most), None)
        if wild:
            problem = f"{wild[0]} {num(wild[1])} cannot be right for a {q.side}x{q.side} input (at most {wild[2]})"
    if problem:
        status, detail = Answer.WRONG, f"{problem}; {detail}"
    elif n is None:
        status = Answer.MISSING
    else:
        status = Answer.RIGHT if ok else Answer.WRONG
    shown = ", ".join(_show(v) for v in given if not is_empty(v))
    return status, shown, [CellResult(sheet, coord, value, expected_text(q), status, detail)], detail


def _show(v: object) -> str:
    if isinstance(v, float):
        return num(v)
    return str(v)


def check_reading(reading: Reading, tolerance: float = DEFAULT_TOLERANCE, uncalculated: set | None = None,
                  secret: bytes | None = None) -> CheckReport:
    book = reading.book
    pending = uncalculated if uncalculated is not None else set(book.uncalculated())
    results = []
    for q in questions(reading):
        given = [book.value(q.area.sheet, c) for c in q.cells]
        missing_calc = {c for c in q.cells if (q.area.sheet, c) in pending}
        status, shown, cells, detail = judge(q, given, missing_calc, tolerance)
        results.append(QuestionResult(q.id, q.label, q.part, status, expected_text(q), shown, cells, detail,
                                      span=list(q.cells), region=q.region))
    report = CheckReport(book.name, results)
    for q in results:
        found = diagnose(reading.example, q, tolerance)
        if found:
            report.diagnoses[q.id] = found
    if not any(c.given not in (None, "") for q in results for c in q.cells if c.status.counted) \
            and all(q.status is Answer.MISSING for q in results):
        report.nothing_filled = "nothing filled in: every answer cell is empty"
        report.problems.append(report.nothing_filled)
    signature = reading.meta.get("signature", "")
    if signature and secret:
        ok = verify(reading.example, reading.meta.get("variant", ""), signature, secret)
        report.inputs = InputsCheck.SIGNED if ok else InputsCheck.CHANGED
        if not ok:
            report.problems.append("inputs changed: the given numbers differ from those the workbook was issued with")
    elif signature:
        report.inputs = InputsCheck.UNCHECKED
    else:
        report.inputs = InputsCheck.UNSIGNED
    return report


def check_file(path: Path, layout: Layout | None = None, tolerance: float = DEFAULT_TOLERANCE,
               secret_file: Path | None = None, recalc: str = "auto") -> CheckReport:
    """Check one filled workbook in this process; LibreOffice recalculates it first when
    :func:`~xlcnn.files.opening.needs_libreoffice` says so and it is installed (else formulas
    without a cached value are reported as not calculated). ``xlcnn check`` runs the same steps
    isolated, as ``grade`` runs a submission (:mod:`xlcnn.grading.single`)."""
    from ..files.libreoffice import convert_to_xlsx, find_soffice

    if find_soffice() and needs_recalculation(path, recalc):
        with tempfile.TemporaryDirectory(prefix="xlcnn-check-") as tmp:
            [res] = convert_to_xlsx([Path(path)], Path(tmp), recalc_all=recalc == "always")
            if res.output is None:
                raise WorkbookError(f"{Path(path).name}: LibreOffice could not recalculate it ({res.error})")
            return check_step(path, layout, tolerance, secret_file, recalc, converted=res.output)
    report = check_step(path, layout, tolerance, secret_file, recalc, probe=False)
    assert isinstance(report, CheckReport)
    return report


def check_step(path: Path, layout: Layout | None, tolerance: float, secret_file: Path | None, recalc: str = "auto",
               converted: Path | None = None, probe: bool = True) -> CheckReport | str:
    """One step of checking ``path``: ``"libreoffice"`` when it must be recalculated first (and passed
    the checks a file passes before LibreOffice opens it), else its report — read from LibreOffice's
    copy ``converted`` when there is one."""
    from ..files.libreoffice import find_soffice
    from ..files.opening import precheck

    path = Path(path)
    if converted is None and probe and find_soffice() and needs_recalculation(path, recalc):
        precheck(path)
        return "libreoffice"
    book = recalculated_book(path, converted) if converted is not None else open_workbook(path)
    pending = set(book.uncalculated())
    reading = read_workbook(book, layout)
    report = check_reading(reading, tolerance, pending, load_secret(secret_file))
    report.recalculated = converted is not None
    report.mode = "hints" if reading.meta.get("check", "").strip().lower() == "hints" else "full"
    report.problems.extend(book.notes)
    if book.external:
        report.external = list(book.external)
        report.problems.append(external_problem(book.external))
    return report


def external_problem(found: list[str]) -> str:
    """The flag of a workbook that points outside itself."""
    from ..files.external import FLAG

    return (f"{FLAG}: {'; '.join(found)}. LibreOffice was not allowed to read it (such cells are errors); "
            "a person should look at this file")
