"""Hostile files: one bad upload never costs the class, the memory or the machine.

The fuzz test writes 300 hostile files (tests/support/hostile.py) and runs them through ``check`` and,
as one download with three canaries, through ``grade`` (scripts/fuzz.py does the same, larger).
Then hand-made cases for each fix, and the isolation of a worker (time, memory, exceptions).
"""

from __future__ import annotations

import json
import signal
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import make_submission
from tests.support import fuzzing as fuzz
from tests.support.hostile import patch, raw_zip, rezip, set_cell
from xlcnn.cli import main
from xlcnn.grading.isolation import Limits, run_in_workers
from xlcnn.grading.record import Record

pytestmark = pytest.mark.slow  # a corpus or a whole class end to end

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    files, good = fuzz.write_corpus(folder, seed=4, scale=1)
    return folder, files, good


def test_the_corpus_has_every_category(hostile):
    _, files, _ = hostile
    assert len(files) >= 300
    for prefix in ("trunc-", "flipped-", "zip-", "bomb", "traversal", "bad-utf8", "method-", "entities-",
                   "external-dtd", "unclosed-c", "odd-number", "odd-text", "error-cell", "defined-name",
                   "merged-huge", "embedded-layout", "macro", "mix-"):
        assert any(name.startswith(prefix) for name in files), prefix


def test_check_gives_every_hostile_file_a_clean_answer(hostile):
    _, files, _ = hostile
    rows = fuzz.run_checks(files, per_file=60)
    broken = [r for r in rows if r["exception"] or r["traceback"] or r["exit"] not in (0, 1, 2)]
    assert len(rows) == len(files) and not broken, broken[:5]


def test_grade_survives_every_hostile_file_in_one_download(hostile):
    folder, files, good = hostile
    g = fuzz.run_grade(files, good, folder, timeout=600)
    assert not g["hang"]
    assert g["exit"] == 1 and "Traceback" not in g["output"]
    subs = g["results"]["submissions"]
    assert len(subs) == len(files) + 3  # every participant with a file has a row
    canaries = [s for s in subs if s["name"].startswith("Canary")]
    assert [(c["status"], c["total"]) for c in canaries] == [("graded", 28.0)] * 3
    assert g["peak"] < 2**30, f"{g['peak'] / 2**20:.0f} MB"  # the whole process tree, LibreOffice included
    assert g["inputs_unchanged"] and g["written_outside"] == []
    statuses = {s["name"]: s["status"] for s in subs}
    assert statuses["Student " + f"{sorted(files).index('bomb-ratio.xlsx'):04d}"] == "refused"
    assert all(s["messages"] for s in subs if s["status"] != "graded")  # each held row says why


# ------------------------------------------------------------------ one case at a time


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("name, change, message", [
    ("whole-column-name", lambda g: patch(g, "xl/workbook.xml", lambda t: t.replace(
        "<definedName name=\"Input1D\">'Ex1a'!$C$5:$I$5", "<definedName name=\"Input1D\">'Ex1a'!$A:$XFD")),
     "points to whole rows or columns"),
    ("huge-merge", lambda g: patch(g, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>', 1)),
     "merges K1:XFD1048576"),
    ("entity-in-styles", lambda g: patch(g, "xl/styles.xml", lambda t: '<?xml version="1.0"?>'
                                         '<!DOCTYPE x [<!ENTITY a "b">]>' + t.split("?>", 1)[-1]),
     "declares entities or a DTD"),
    ("invalid-utf8-member-name", lambda g: raw_zip([(b"xl/\xff.xml", b"x", 0x800, 0)]), "a damaged or unusual zip"),
    ("unsupported-compression", lambda g: raw_zip([(b"[Content_Types].xml", b"<a/>", 0, 99)]),
     "That compression method is not supported"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_workbooks_get_a_clear_message(tmp_path, name, change, message):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(change(make_submission(tmp_path).read_bytes()))
    t = time.perf_counter()
    code, output = check(path)
    assert code == 2 and message in output, output
    assert time.perf_counter() - t < 60  # bounded before any allocation, not by luck


def test_a_401_digit_number_is_out_of_range(tmp_path):
    good = make_submission(tmp_path).read_bytes()
    path = tmp_path / "big.xlsx"
    path.write_bytes(patch(good, "xl/worksheets/sheet1.xml", lambda t: set_cell(t, "C5", "><v>1" + "0" * 400 + "</v>")))
    code, output = check(path)
    assert code == 2 and "out of range" in output


def test_student_text_is_never_markup(tmp_path):
    wb = openpyxl.load_workbook(make_submission(tmp_path))
    from tests.support.factories import cells_of

    cells_of(wb, "Maps")[0].value = "[/b] x[i]"
    wb.save(tmp_path / "markup.xlsx")
    code, output = check(tmp_path / "markup.xlsx")
    assert code == 1 and "[/b] x[i]" in output


def test_an_edited_embedded_layout_is_ignored_and_flagged(tmp_path):
    good = make_submission(tmp_path).read_bytes()
    path = tmp_path / "fewer-questions.xlsx"
    path.write_bytes(patch(good, "xl/worksheets/sheet3.xml",
                           lambda t: t.replace("[[conv2d.volumes]]", "[[ignored]]")))
    code, output = check(path)  # graded with the template's layout: the volume questions are still asked
    assert "the layout embedded in the workbook differs from the template's" in output
    assert code == 0 and "b) output volume" in output


def download(tmp_path: Path, entries: dict[str, bytes]) -> Path:
    path = tmp_path / "dl.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def grade(tmp_path: Path, source: Path, *extra) -> tuple[int, str, dict]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", str(source), "-o", str(out), *map(str, extra)], catch_exceptions=False)
    data = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    return result.exit_code, result.output, {s["name"]: s for s in data.get("submissions", [])}


def test_one_compressible_member_costs_its_submission_only(tmp_path):
    good = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/data.csv": b"0," * 5_000_000,
                             "Ann Lee_11_assignsubmission_file/cnn.xlsx": good,
                             "Bob Roe_12_assignsubmission_file/cnn.xlsx": good})
    code, output, subs = grade(tmp_path, dl)
    assert code == 0 and subs["Bob Roe"]["status"] == "graded" and subs["Ann Lee"]["status"] == "graded"
    assert any("compression ratio" in m for m in subs["Ann Lee"]["messages"])


@pytest.mark.parametrize("entries, problem", [
    ({"Ann Lee_11_assignsubmission_file/pw.zip": raw_zip([(b"\xff\xfe.xlsx", b"x", 0x800, 0)])}, "not a readable zip"),
    ({"Ann Lee_11_assignsubmission_file/pw.zip": rezip([("a", b"x"), ("a/cnn.xlsx", b"y")])},
     "cnn.xlsx: not a workbook"),
    ({"Ann Lee_11_assignsubmission_file/pw.zip": rezip([("/".join(["d"] * 30) + "/cnn.xlsx", b"x")])}, "folders deep"),
    ({"Ann Lee_11_assignsubmission_file/pw.zip": rezip([("n" * 300 + ".xlsx", b"x")])}, "not a workbook"),
    ({"Ann Lee_11_assignsubmission_file/..xlsx": b"x"}, "ignored (a hidden, lock or system file)"),
], ids=["invalid-utf8", "file-folder-clash", "deep-nesting", "long-name", "dot-dot-name"])
def test_odd_names_in_a_submission_are_one_row(tmp_path, entries, problem):
    good = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, entries | {"Bob Roe_12_assignsubmission_file/cnn.xlsx": good})
    code, output, subs = grade(tmp_path, dl)
    assert code == 1 and "Traceback" not in output
    assert subs["Bob Roe"]["status"] == "graded"
    assert any(problem in m for m in subs["Ann Lee"]["messages"]), subs["Ann Lee"]["messages"]


@pytest.mark.parametrize("make, message", [
    (lambda tmp, good: (tmp / "one.xlsx", good), "it is a workbook: check one file with `xlcnn check`"),
    (lambda tmp, good: (tmp / "zipped.zip", rezip([("download.zip", rezip([("Ann Lee_1_assignsubmission_file/a.xlsx",
                                                                             good)]))])),
     "unzip it first"),
], ids=["a-single-workbook", "a-zip-of-the-download"])
def test_an_input_that_is_not_a_download_is_said(tmp_path, make, message):
    path, data = make(tmp_path, make_submission(tmp_path).read_bytes())
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["grade", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_names_from_moodle_are_text_in_the_gradebook(tmp_path):
    good = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {"=HYPERLINK(\"http-evil\",\"x\")_11_assignsubmission_file/cnn.xlsx": good})
    code, _, subs = grade(tmp_path, dl)
    assert code == 0
    wb = openpyxl.load_workbook(tmp_path / "out" / "gradebook.xlsx")
    cells = [c for row in wb["Grades"].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


# ------------------------------------------------------------------ the worker's limits


def raises(rec, *_):
    raise ZeroDivisionError("a bug")


def sleeps_where_no_timer_reaches(rec, *_):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(40)
    return rec


def allocates(rec, *_):
    blob = bytearray(2 * 2**30)
    rec.total = len(blob)
    return rec


def fine(rec, *_):
    rec.total = 1.0
    return rec


def test_each_job_is_its_own_row_whatever_happens_in_its_worker():
    jobs = [Record(k, k, "1") for k in ("bug", "stuck", "greedy", "fine")]
    fns = {"bug": raises, "stuck": sleeps_where_no_timer_reaches, "greedy": allocates, "fine": fine}

    done = {}
    for job in jobs:  # one function per job: run_in_workers takes one function, so one call each
        done |= run_in_workers(fns[job.key], [job], Limits(time_s=2, memory_mb=300), None, 1)
    assert done["fine"].total == 1.0 and done["fine"].status == "graded"
    assert done["bug"].status == "internal error" and "ZeroDivisionError: a bug" in done["bug"].messages[0].text
    assert "Traceback" in done["bug"].traceback
    assert done["stuck"].status == "refused" and "the limit of 2 s" in done["stuck"].messages[0].text
    assert (done["greedy"].status == "refused"
            and "too large: reading it needs more than its share of memory (300 MB" in done["greedy"].messages[0].text)
