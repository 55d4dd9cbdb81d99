"""``xlcnn check`` on one workbook (``grading.single.check_isolated``): read in a worker under the
time and memory limits of ``grade``; a good file gives its report, a broken or hostile one a
one-line error naming the file (never a traceback). The LibreOffice branch (recalculate, then read
LibreOffice's copy with the time left) is followed with LibreOffice and the worker stood in for."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.course import blank, course_layout, student
from tests.support.factories import RIGHT, make_submission
from tests.support.hostile import add_part, big_sheet_xml, patch, rezip, with_sheets
from xlcnn.errors import UnsafeFileError, WorkbookError
from xlcnn.grading import single
from xlcnn.grading.isolation import Limits
from xlcnn.grading.single import STARTUP, check_isolated
from xlcnn.layout.model import parse_layout
from xlcnn.workbook.checking import CheckReport
from xlcnn.workbook.verdict import Answer

TOL = 1e-6
DEFAULT = Limits()


def check(path: Path, layout=None, limits: Limits = DEFAULT, recalc: str = "auto") -> CheckReport:
    return check_isolated(path, layout, TOL, None, limits, recalc)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("single")


@pytest.fixture(scope="module")
def good(folder) -> Path:
    return make_submission(folder, name="group07.xlsx")


@pytest.fixture(scope="module")
def big(folder, good) -> Path:
    """A legal workbook with a 6 MB sheet of notes beside the answers: seconds and ~100 MB to read."""
    path = folder / "big.xlsx"
    path.write_bytes(with_sheets(good.read_bytes(), {"Notes": big_sheet_xml(6)}))
    return path


# ------------------------------------------------------------------ a good file


def test_a_good_file_gives_its_report(good):
    report = check(good)
    assert isinstance(report, CheckReport)
    assert report.file == "group07.xlsx" and report.all_right
    assert report.recalculated is False and report.mode == "full" and report.problems == []


def test_a_wrong_answer_is_in_the_report(folder):
    path = make_submission(folder, RIGHT | {"Case1_Size": 6}, name="wrong.xlsx")
    report = check(path)
    status = {q.id: q.status for q in report.questions}
    assert status["a.case1.size"] is Answer.WRONG and status["a.case1.output"] is Answer.RIGHT
    assert not report.all_right


def test_the_layout_given_is_the_one_read(folder):
    layout = parse_layout(course_layout(), "course.toml")
    assert check(student(folder / "course-student.xlsx"), layout).all_right
    empty = check(blank(folder / "course-blank.xlsx"), layout)
    assert {q.status for q in empty.questions} == {Answer.MISSING}


# ------------------------------------------------------------------ broken and hostile files


def entities(good: bytes) -> bytes:
    return patch(good, "xl/workbook.xml", lambda xml: xml.replace(
        "<workbook", '<!DOCTYPE w [<!ENTITY a "aaaa">]><workbook', 1))


def many_members(good: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
    return rezip(members + [(f"x/{i}.txt", b"") for i in range(2001)])


def climbing(good: bytes) -> bytes:
    return add_part(good, "../../escaped.txt", b"x")


@pytest.mark.parametrize("name, make, error, message", [
    ("empty.xlsx", lambda g: b"", WorkbookError, r"^empty\.xlsx: not a workbook \(the file is empty\)$"),
    ("notes.xlsx", lambda g: b"name,answer\nAda,5\n", WorkbookError,
     r"^notes\.xlsx: not a workbook \(neither an Excel nor an OpenDocument file\)$"),
    ("cut.xlsx", lambda g: g[: len(g) // 3], WorkbookError, r"^cut\.xlsx: not a workbook \(a damaged or truncated zip"),
    ("locked.xlsx", lambda g: bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le"),
     WorkbookError, r"^locked\.xlsx: the workbook is password-protected \(encrypted\); save it without a password$"),
    ("entities.xlsx", entities, UnsafeFileError,
     r"^entities\.xlsx: refused, its XML declares entities or a DTD \(part 'xl/workbook\.xml'\)"),
    ("members.xlsx", many_members, UnsafeFileError,
     r"^members\.xlsx: \d+ members in the archive, more than the limit of 2000$"),
    ("climbing.xlsx", climbing, UnsafeFileError,
     r"^climbing\.xlsx: member '\.\./\.\./escaped\.txt' refused: a path that climbs out of the archive"),
], ids=["empty", "a text file named .xlsx", "a truncated zip", "password-protected", "XML entities",
        "too many zip members", "a member climbing out"])
def test_a_broken_or_hostile_file_gets_one_line_naming_it(folder, good, name, make, error, message):
    path = folder / name
    path.write_bytes(make(good.read_bytes()))
    with pytest.raises(error, match=message) as caught:
        check(path)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_file_over_the_memory_limit_is_refused_for_its_size(big):
    with pytest.raises(UnsafeFileError, match=r"^big\.xlsx: refused: .*too large: reading it needs more than "
                                              r"its share of memory \(30 MB of the 1024 MB budget"):
        check(big, limits=Limits(memory_mb=30))


def test_a_file_over_the_time_limit_is_refused_for_its_time(big):
    with pytest.raises(UnsafeFileError, match=r"^big\.xlsx: refused: assessing it took longer than the limit of "
                                              r"0\.5 s \(--time-limit\)$"):
        check(big, limits=Limits(time_s=0.5))


# ------------------------------------------------------------------ the LibreOffice branch, stood in for


class Worker:
    """Stands in for ``run_isolated``: answers in turn, and keeps what each call was given."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, fn, args, limits):
        self.calls.append((args, limits))
        return self.answers.pop(0)


class LibreOffice:
    def __init__(self, output: Path | None, seconds: float = 0.0, error: str | None = None):
        self.result, self.calls = SimpleNamespace(output=output, seconds=seconds, error=error), []

    def __call__(self, files, outdir, **options):
        self.calls.append((files, options))
        return [self.result]


@pytest.fixture
def stand_ins(monkeypatch):
    def install(worker: Worker, office: LibreOffice | None = None):
        monkeypatch.setattr(single, "run_isolated", worker)
        if office is not None:
            monkeypatch.setattr("xlcnn.files.libreoffice.convert_to_xlsx", office)
        return worker, office

    return install


REPORT = CheckReport(file="group07.xlsx", questions=[])


@pytest.mark.parametrize("why", ["assessing it took longer than the limit of 60 s (--time-limit)",
                                 "nested too deeply to be read"], ids=["time", "nesting"])
def test_a_refused_first_step_names_the_file_by_its_base_name(tmp_path, stand_ins, why):
    stand_ins(Worker((False, why)))
    with pytest.raises(UnsafeFileError) as caught:
        check(tmp_path / "download" / "Ada_123" / "group07.xlsx")
    assert str(caught.value) == f"group07.xlsx: refused: {why}"


def test_libreoffice_failing_is_one_line_naming_the_file(tmp_path, stand_ins):
    stand_ins(Worker((True, "libreoffice")), LibreOffice(None, error="LibreOffice timed out after 60 s"))
    with pytest.raises(WorkbookError) as caught:
        check(tmp_path / "group07.ods")
    assert type(caught.value) is WorkbookError  # LibreOffice's failure, not a refused file
    assert str(caught.value) == "group07.ods: LibreOffice could not recalculate it (LibreOffice timed out after 60 s)"


@pytest.mark.parametrize("recalc, recalc_all", [("auto", False), ("always", True)], ids=["auto", "always"])
def test_libreoffice_gets_the_files_time_and_the_memory_budget(tmp_path, stand_ins, recalc, recalc_all):
    limits = Limits(time_s=45.0, memory_mb=300, budget_mb=2048)
    _, office = stand_ins(Worker((True, "libreoffice"), (True, REPORT)), LibreOffice(tmp_path / "copy.xlsx"))
    check(tmp_path / "group07.xlsx", limits=limits, recalc=recalc)
    [(files, options)] = office.calls
    assert files == [tmp_path / "group07.xlsx"]
    assert options == dict(recalc_all=recalc_all, timeout_per_file=45.0, startup=STARTUP,
                           memory=(2048 - 150 - 200) * 2**20)


@pytest.mark.parametrize("time_s, spent, left", [(60.0, 20.0, 40.0), (60.0, 58.0, 5.0), (60.0, 75.0, 5.0)],
                         ids=["the time left", "at least five seconds to read", "even when LibreOffice overran"])
def test_the_copy_is_read_in_the_time_that_is_left(tmp_path, stand_ins, time_s, spent, left):
    layout = parse_layout(course_layout(), "course.toml")
    worker, _ = stand_ins(Worker((True, "libreoffice"), (True, REPORT)), LibreOffice(tmp_path / "copy.xlsx", spent))
    limits = Limits(time_s=time_s)
    assert check_isolated(tmp_path / "group07.xlsx", layout, TOL, None, limits, "auto") is REPORT
    (first, first_limits), (second, second_limits) = worker.calls
    assert first == (tmp_path / "group07.xlsx", layout, TOL, None, "auto") and first_limits == limits
    assert second == (*first, tmp_path / "copy.xlsx")  # the same check, of LibreOffice's copy
    assert second_limits.time_s == left and second_limits.memory_mb == limits.memory_mb


def test_a_refused_copy_names_the_original(tmp_path, stand_ins):
    stand_ins(Worker((True, "libreoffice"), (False, "too large: reading it needs more than its share of memory")),
              LibreOffice(tmp_path / "copy.xlsx", 3.0))
    with pytest.raises(UnsafeFileError, match=r"^group07\.xlsx: refused: too large: reading it needs more"):
        check(tmp_path / "group07.xlsx")


def test_a_report_from_the_first_step_never_starts_libreoffice(tmp_path, stand_ins):
    worker, office = stand_ins(Worker((True, REPORT)), LibreOffice(tmp_path / "copy.xlsx"))
    assert check(tmp_path / "group07.xlsx") is REPORT
    assert len(worker.calls) == 1 and office.calls == []
