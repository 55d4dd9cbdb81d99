"""Hostile files, second round: ``check`` as safe as ``grade``, LibreOffice never stalls the class,
one memory budget for the whole run.

Big but legal sheets, lying sizes in every container, implausible sizes in every numeric input and
answer, a 10 MB string as an answer, a hyperlink over whole columns, an .ods whose content lies about
its size, and a file that keeps LibreOffice busy: each through ``check`` alone, then all of them as
one download with canaries through ``grade``, the whole process tree sampled against the budget.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import group_zip, make_submission
from tests.support.hostile import declare, rezip, round_two
from xlcnn.cli import main
from xlcnn.core.exercise import MAX_OUTPUT_CELLS, Example
from xlcnn.errors import ExampleError, UnsafeFileError
from xlcnn.files.safezip import check_inflated, copy_bounded
from xlcnn.grading.isolation import Limits

pytestmark = pytest.mark.slow  # a corpus or a whole class end to end

# name -> (exit code of check, what its one line says)
EXPECTED = {
    "padding-1e5-2d.xlsx": (2, "padding 100000 cannot be right for a 5x5 input (at most 5)"),
    "padding-1e8-1d.xlsx": (2, "padding 100000000 cannot be right for a 7-long input (at most 7)"),
    "stride-1e9-1d.xlsx": (2, "stride 1000000000 cannot be right for a 7-long input"),
    "implausible-answers.xlsx": (1, "questions right"),
    "long-string-answer.xlsx": (1, "expected a number"),
    "hyperlink-whole-sheet.xlsx": (0, "hyperlinks over whole rows or columns were ignored"),
    "two-extra-sheets-48mb.xlsx": (0, "(48 MB) is larger than the 8 MB a sheet may have and was not read"),
    "answer-sheet-45mb.xlsx": (2, "holds conv1d.input but is too large to read (45 MB"),
    "lying-xlsx-member.xlsx": (2, "declares 200 bytes but holds"),
    "lying-ods-content.ods": (2, "its header declares 1,000"),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    return make_submission(tmp_path_factory.mktemp("good")).read_bytes()


@pytest.fixture(scope="module")
def files(tmp_path_factory, good) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("round2")
    out = {}
    for name, data in round_two(good).items():
        out[name] = folder / name
        out[name].write_bytes(data)
    return out


def slow_workbook(path: Path, good: bytes) -> Path:
    """A submission LibreOffice needs half a minute for: a sheet of formulas over whole columns without
    cached values (so LibreOffice must calculate them), beside right answers."""
    wb = openpyxl.load_workbook(io.BytesIO(good))
    ws = wb.create_sheet("Scratch")
    for r in range(1, 1201):
        ws.cell(r, 1, "=SUMPRODUCT(ROW($B$1:$B$1048576)*COLUMN($B$1:$B$1048576))")
    wb.save(path)
    return path


def check(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_round_covers_every_case(files):
    assert set(files) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_gives_each_file_one_clear_line(files, name):
    code, output = check(files[name])
    want_code, want = EXPECTED[name]
    assert "Traceback" not in output
    assert code == want_code and want in " ".join(output.split()), output[-800:]


def test_check_runs_in_a_worker_with_the_limits_of_grade(files, tmp_path):
    """A workbook whose reading needs more than --memory-limit is one line, not the machine's memory."""
    from tests.support.hostile import big_rows, patch

    good = make_submission(tmp_path).read_bytes()
    big = tmp_path / "seven-mb-of-answers.xlsx"
    big.write_bytes(patch(good, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</sheetData>", big_rows(7, 1000, ("AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH")) + "</sheetData>")))
    code, output = check(big, "--memory-limit", 200)
    assert code == 2 and "too large: reading it needs more than its share of memory (200 MB" in output
    assert "MemoryError" not in output
    code, output = check(big, "--memory-limit", 300, "--memory-budget", 400)
    assert code == 2 and "does not fit in --memory-budget 400 MB" in output


def test_a_file_that_stalls_libreoffice_is_stopped_at_its_deadline(soffice, tmp_path, good):
    code, output = check(slow_workbook(tmp_path / "slow.xlsx", good), "--time-limit", 4)
    assert code == 2 and "LibreOffice did not finish within 4 s on this file" in output


@pytest.mark.parametrize("stride, padding, n, message", [
    (1, 100_000, 5, "padding 100000 cannot be right for a 5x5 input (at most 5)"),
    (10**9, 0, 5, "stride 1000000000 cannot be right for a 5x5 input padded by 0 (at most 5)"),
    (1, 5, 5, None),  # the most padding a 5x5 input can have: computed
], ids=["padding", "stride", "largest-plausible"])
def test_implausible_inputs_are_refused_before_anything_is_allocated(stride, padding, n, message):
    def build():
        return Example(x1=np.arange(7.0), w1=np.ones(3), b1=0.0, x2=np.zeros((n, n, 3)),
                       w2=np.zeros((3, 3, 3, 2)), b2=np.zeros(2), values_case=(stride, padding))

    if message is None:
        assert build().values_case == (stride, padding)
    else:
        with pytest.raises(ExampleError, match=message.replace("(", r"\(").replace(")", r"\)")):
            build()


def test_an_output_larger_than_an_exercise_can_ask_for_is_refused():
    with pytest.raises(ExampleError, match=f"more than the {MAX_OUTPUT_CELLS:,}"):
        Example(x1=np.arange(7.0), w1=np.ones(3), b1=0.0, x2=np.zeros((60, 60, 3)), w2=np.zeros((3, 3, 3, 2)),
                b2=np.zeros(2), values_case=(1, 60))


# ------------------------------------------------------------------ containers counted by what they hold


def test_every_container_is_counted_by_what_it_really_inflates_to(tmp_path, good):
    """A header's declared size is never trusted: the workbook's zip (an .xlsx, an .ods), a group's
    zip and the download each give a clear refusal when a member holds more than it declares."""
    lying_ods = tmp_path / "lie.ods"
    lying_ods.write_bytes(declare(rezip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                         ("content.xml", b" " * (60 * 2**20))]), "content.xml", 10))
    with pytest.raises(UnsafeFileError, match="expands to more than 52,428,800 bytes"):
        check_inflated(lying_ods, lying_ods.name)
    lying_xlsx = tmp_path / "lie.xlsx"
    lying_xlsx.write_bytes(declare(good, "xl/styles.xml", 50))
    with pytest.raises(UnsafeFileError, match="declares 50 bytes but holds"):
        check_inflated(lying_xlsx, lying_xlsx.name)
    with pytest.raises(UnsafeFileError, match="expands to more than 1,000 bytes"):
        copy_bounded(io.BytesIO(b"x" * 5000), io.BytesIO(), 1000, "member")

    # through grade: a lying member of a group's zip, and of the download itself, cost their own row
    inner = declare(group_zip({"cnn-ex1-stud.xlsx": good}), "cnn-ex1-stud.xlsx", 100)
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Ann Lee_11_assignsubmission_file/pw.zip", inner)
        zf.writestr("Bob Roe_12_assignsubmission_file/cnn-ex1-stud.xlsx", good)
        zf.writestr("Cy Doe_13_assignsubmission_file/cnn-ex1-stud.xlsx", good)
    download.write_bytes(declare(download.read_bytes(), "Cy Doe_13_assignsubmission_file/cnn-ex1-stud.xlsx", 100))
    result = CliRunner().invoke(main, ["grade", str(download), "-o", str(tmp_path / "out")], catch_exceptions=False)
    import json

    rows = {s["name"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    assert rows["Bob Roe"]["status"] == "graded" and rows["Bob Roe"]["total"] == 28
    for name in ("Ann Lee", "Cy Doe"):
        assert rows[name]["status"] != "graded" and rows[name]["messages"], rows[name]
    assert result.exit_code == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("cores, budget, memory, workers", [
    (2, 1024, 400, 2), (2, 1024, 450, 1), (8, 4096, 400, 8), (2, 600, 400, 1), (1, 4096, 400, 1),
], ids=["default-2-cores", "limit-450", "big-machine", "small-budget", "one-core"])
def test_the_number_of_workers_follows_from_the_budget(cores, budget, memory, workers):
    assert Limits(60, memory, budget).workers(cores) == workers


def test_a_limit_that_does_not_fit_the_budget_is_an_error():
    with pytest.raises(Exception, match="does not fit in --memory-budget 400 MB"):
        Limits(60, 300, 400).check()


# ------------------------------------------------------------------ the whole round as one class


@pytest.mark.slow
def test_grade_of_the_whole_round_stays_within_the_budget(soffice, tmp_path, files, good):
    """Every second-round file and a file that keeps LibreOffice busy, in one download with three
    canaries: each hostile file its own row with its reason, the canaries graded in full, nothing
    past its limit, and the whole process tree (grader, workers, LibreOffice) within the budget."""
    from tests.grading.test_hostile_files import fuzz

    corpus = dict(files)
    corpus["slow-for-libreoffice.xlsx"] = slow_workbook(tmp_path / "slow-for-libreoffice.xlsx", good)
    g = fuzz.run_grade(corpus, good, tmp_path, timeout=600, extra=["--timeout", "5"])
    assert not g["hang"] and "Traceback" not in g["output"]
    subs = g["results"]["submissions"]
    assert len(subs) == len(corpus) + 3
    canaries = [s for s in subs if s["name"].startswith("Canary")]
    assert [(c["status"], c["total"]) for c in canaries] == [("graded", 28.0)] * 3
    # the download names each file's folder "Student 0000"... in the files' sorted order
    rows = {name: next(s for s in subs if s["name"] == f"Student {k:04d}") for k, name in enumerate(sorted(corpus))}
    assert rows["slow-for-libreoffice.xlsx"]["status"] == "not calculated"
    assert any("LibreOffice did not finish within 5 s" in m for m in rows["slow-for-libreoffice.xlsx"]["messages"])
    assert rows["two-extra-sheets-48mb.xlsx"]["status"] == "graded"
    assert rows["answer-sheet-45mb.xlsx"]["status"] == "unreadable"
    assert rows["lying-ods-content.ods"]["status"] == "refused"
    assert all(s["messages"] for s in subs if s["status"] != "graded")
    assert g["peak"] < Limits().budget_mb * 2**20, f"{g['peak'] / 2**20:.0f} MB"
    assert g["inputs_unchanged"] and g["written_outside"] == []
