"""`xlcnn grade`: the bundled Moodle sample end to end, Moodle's formats, hostile files, re-runs."""

import csv
import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import RIGHT, group_zip, make_submission
from xlcnn.cli import main
from xlcnn.grading.feedback import FILLS
from xlcnn.grading.rubric import Rule, parse_rubric, score
from xlcnn.workbook.verdict import Answer

SAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "samples"
DOWNLOAD = SAMPLES / "TSM_DeLearn-PW04 CNN-group-4242.zip"
WORKSHEET = SAMPLES / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"
OUTPUTS = ("grades.csv", "feedback.zip", "gradebook.xlsx", "results.json")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, soffice):
    out = tmp_path_factory.mktemp("graded")
    before = digest(DOWNLOAD)
    result = run("grade", DOWNLOAD, "--worksheet", WORKSHEET, "-o", out)
    assert digest(DOWNLOAD) == before  # the download is never modified
    return result, out


def test_sample_statuses_and_exit_code(sample_run):
    result, out = sample_run
    assert result.exit_code == 1  # some submissions need a person
    data = json.loads((out / "results.json").read_text())
    status = {s["name"]: s["status"] for s in data["submissions"]}
    assert status == {
        "Group 01": "graded", "Group 02": "graded", "Group 03": "graded", "Group 04": "graded",
        "Group 05": "graded", "Group 06": "graded", "Group 07": "unreadable", "Group 08": "no workbook",
        "Group 09": "inputs changed", "Group 10": "graded",
    }
    by_name = {s["name"]: s for s in data["submissions"]}
    assert by_name["Group 01"]["total"] == by_name["Group 01"]["max"] == 28
    assert by_name["Group 04"]["total"] == 28  # formulas without cached values, calculated by LibreOffice
    assert by_name["Group 05"]["file"] == "cnn-ex1-stud.ods"
    assert by_name["Group 06"]["file"] == "cnn-ex1-stud.xlsm"
    assert "kernel flipped" in by_name["Group 03"]["diagnoses"]["a.case1.output"][0]
    assert "a partial window was computed" in by_name["Group 02"]["diagnoses"]["a.case5.output"][0]
    assert by_name["Group 02"]["points"]["a.case5.output"] == pytest.approx(2 * 2 / 3, abs=1e-3)
    assert "not a workbook" in by_name["Group 07"]["messages"][0]
    assert by_name["Group 08"]["messages"] == [
        "no workbook (.xlsx, .xlsm, .ods, .xls) in the submission (README.txt, cnn.ipynb)"]
    assert [m["identifier"] for m in by_name["Group 09"]["members"]] == ["Participant 1017", "Participant 1018"]
    assert data["similar"][0]["a"] == "Group 02" and data["similar"][0]["b"] == "Group 10"
    assert "7 graded automatically, 3 need a person (of 10)" in result.output


def test_sample_worksheet_keeps_moodles_format(sample_run):
    _, out = sample_run
    original = list(csv.reader(open(WORKSHEET, encoding="utf-8", newline="")))
    written = list(csv.reader(open(out / "grades.csv", encoding="utf-8", newline="")))
    assert written[0] == original[0] and len(written) == len(original)
    grade = original[0].index("Grade")
    comments = original[0].index("Feedback comments")
    rows = {r[1]: r for r in written[1:]}
    assert rows["Alice Martin"][grade] == rows["Bruno Keller"][grade] == "6.00"  # a group's grade to every member
    assert rows["Alice Martin"][comments] == (
        "Exercise 1: 28/28 points. All answers are right. Notebook: found one-layer network, weights plot, two-layer "
        "network, simple CNN, Table 1; 3 deeper CNNs; 3 of 8 review questions answered.")
    assert rows["Chloé Dubois"][grade] == "5.54"
    assert rows["Olivia Roth"][grade] == ""  # group 08: no workbook, the row keeps its old values
    assert rows["Zoé Lambert"] == [r for r in original if r[1] == "Zoé Lambert"][0]
    for i, row in enumerate(written[1:], 1):  # only Grade and Feedback comments may change
        assert [c for j, c in enumerate(row) if j not in (grade, comments)] == \
               [c for j, c in enumerate(original[i]) if j not in (grade, comments)]


def test_sample_feedback_zip_is_what_moodle_imports(sample_run):
    _, out = sample_run
    with zipfile.ZipFile(out / "feedback.zip") as zf:
        names = zf.namelist()
        # Team submissions: each group's feedback in the group's own download folder (Moodle reads the
        # id there as the group id and gives the file to every member), nothing per participant
        with zipfile.ZipFile(DOWNLOAD) as dl:
            folders = {n.split("/")[0] for n in dl.namelist()}
        assert {n.split("/")[0] for n in names} <= folders
        assert "Group 01_501_assignsubmission_file/cnn-ex1-stud-feedback.xlsx" in names
        assert "Group 04_504_assignsubmission_file/cnn-ex1-stud-feedback.xlsx" in names
        assert not any("Alice Martin" in n for n in names)
        data = zf.read("Group 03_503_assignsubmission_file/cnn-ex1-stud-feedback.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Feedback"
    cell = wb["Ex1a"]["C10"]  # group 03 flipped the kernel: the first output is wrong, red, explained
    assert cell.fill.start_color.rgb.endswith(FILLS["wrong"])
    assert "expected -2: y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2" in cell.comment.text


def test_sample_gradebook(sample_run):
    _, out = sample_run
    wb = openpyxl.load_workbook(out / "gradebook.xlsx")
    assert wb.sheetnames == ["Grades", "Questions", "Statistics", "Similarity", "Notebook", "Models"]
    notebook = {r[0]: r for r in wb["Notebook"].iter_rows(min_row=2, values_only=True)}
    nb_header = [c.value for c in wb["Notebook"][1]]
    flags = nb_header.index("Flags (what a person should look at)")
    assert len(notebook) == 10 and notebook["Group 03"][3] == "pytorch"
    assert "78.5%" in notebook["Group 08"][flags] and notebook["Group 09"][flags].startswith("no saved outputs")
    assert notebook["Group 01"][nb_header.index("Models trained")] == 6
    grades = wb["Grades"]
    header = [c.value for c in grades[1]]
    assert header == ["Submission", "Members", "Status", "Ex. 1 a)", "Ex. 1 b)", "Total", "Max", "Grade",
                      "Needs a person / problems", "Decided by a person", "Moodle folder"]
    assert grades["A2"].value == "Group 01"
    rows = {row[0]: dict(zip(header, row, strict=False)) for row in grades.iter_rows(min_row=2, values_only=True)}
    assert rows["Group 09"]["Grade"] == "not exported"  # held: its computed grade is not the grade
    assert rows["Group 02"]["Ex. 1 a)"] + rows["Group 02"]["Ex. 1 b)"] == rows["Group 02"]["Total"]
    assert grades.max_row == 12 and grades.conditional_formatting  # 10 submissions and one student with none
    questions = wb["Questions"]
    qheader = [c.value for c in questions[1]]
    assert qheader[:3] == ["Submission", "File", "Names written in the workbook"] and len(qheader) == 3 + 21 + 2
    assert questions.max_row == 11
    models = wb["Models"]
    assert [c.value for c in models[1]][:4] == ["Submission", "#", "Kind", "Architecture (the practical's notation)"]
    per_group = {}
    for row in models.iter_rows(min_row=2, values_only=True):
        per_group[row[0]] = per_group.get(row[0], 0) + 1
    assert per_group["Group 01"] == 6 and per_group["Group 03"] == 2
    for ws in (grades, questions, wb["Notebook"], models):  # on screen: header frozen, filters on
        assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:")
        tallest = 6 if ws.title == "Models" else 4
        assert all((ws.row_dimensions[r].height or 0) <= tallest * 13 + 2 for r in range(2, ws.max_row + 1))
    stats = {r[0]: r[1] for r in wb["Statistics"].iter_rows(values_only=True) if r and r[0]}
    assert stats["Submissions"] == 10 and stats["Need a person"] == 3
    with zipfile.ZipFile(out / "gradebook.xlsx") as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())
    assert wb["Similarity"]["A2"].value == "Group 02" and wb["Similarity"]["B2"].value == "Group 10"


def test_rerun_gives_identical_files_and_folder_input_works(sample_run, tmp_path):
    _, first = sample_run
    result = run("grade", DOWNLOAD, "--worksheet", WORKSHEET, "-o", tmp_path / "again")
    assert result.exit_code == 1
    for name in OUTPUTS:
        assert digest(first / name) == digest(tmp_path / "again" / name), name
    assert not (tmp_path / "again" / ".xlcnn-work").exists()
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(DOWNLOAD) as zf:
        zf.extractall(unpacked)
    tree = {p: digest(p) for p in unpacked.rglob("*") if p.is_file()}
    result = run("grade", unpacked, "--worksheet", WORKSHEET, "-o", tmp_path / "from-folder")
    assert {p: digest(p) for p in unpacked.rglob("*") if p.is_file()} == tree  # the folder is only read
    assert json.loads((tmp_path / "from-folder" / "results.json").read_text()) == \
           json.loads((first / "results.json").read_text())


# ------------------------------------------------------------------ Moodle's other layouts


def download(tmp_path: Path, entries: dict[str, bytes], name="dl.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for member, data in entries.items():
            zf.writestr(member, data)
    return path


def worksheet(tmp_path: Path, rows, decimal=".", bom=False, delimiter=",", max_header="Maximum Grade") -> Path:
    header = ["Identifier", "Full name", "Email address", "Status", "Group", "Grade", max_header,
              "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(header)
    for uid, name, group in rows:
        w.writerow([f"Participant {uid}", name, "", "Submitted", group, "", "10.00".replace(".", decimal), "Yes",
                    "-", "-", ""])
    path = tmp_path / "worksheet.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode())
    return path


def results(out: Path) -> dict:
    return {s["name"]: s for s in json.loads((out / "results.json").read_text())["submissions"]}


def test_participant_folders_flat_mode_and_old_format(tmp_path):
    right = make_submission(tmp_path).read_bytes()
    wrong = make_submission(tmp_path, RIGHT | {"Maps": 5}, name="w.xlsx").read_bytes()
    dl = download(tmp_path, {
        "Ann Lee_11_assignsubmission_file/sub/cnn-ex1-stud.xlsx": right,  # 4.1+, in a subfolder
        "Bob Roe_12_assignsubmission_file_cnn-ex1-stud.xlsx": wrong,  # flat mode
        "Cid Poe_13_assignsubmission_file_/cnn.xlsx": right,  # before 4.1: trailing underscore
        "Cid Poe_13_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
    })
    ws = worksheet(tmp_path, [(11, "Ann Lee", ""), (12, "Bob Roe", ""), (13, "Cid Poe", "")])
    result = run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    res = results(tmp_path / "out")
    assert res["Ann Lee"]["total"] == 28 and res["Bob Roe"]["total"] == 27 and res["Cid Poe"]["total"] == 28
    rows = list(csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8")))
    assert [(r["Identifier"], r["Full name"], r["Grade"]) for r in rows] == [  # out of 10, never points
        ("Participant 11", "Ann Lee", "10.00"), ("Participant 12", "Bob Roe", "9.64"),
        ("Participant 13", "Cid Poe", "10.00")]
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:  # each in its own download folder
        assert sorted(n.split("/")[0] for n in zf.namelist()) == [
            "Ann Lee_11_assignsubmission_file", "Bob Roe_12_assignsubmission_file", "Cid Poe_13_assignsubmission_file_"]


def test_without_worksheet_no_grades_csv_but_feedback_and_gradebook(tmp_path):
    dl = download(tmp_path, {"Team_A_41_assignsubmission_file/x.xlsx": make_submission(tmp_path).read_bytes()})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "grades.csv").write_text("stale")  # from an earlier run: must not be uploaded
    result = run("grade", dl, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "no grades.csv: download the grading worksheet from Moodle" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["feedback.zip", "gradebook.xlsx", "results.json"]
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:
        assert zf.namelist() == ["Team_A_41_assignsubmission_file/x-feedback.xlsx"]
    rec = results(tmp_path / "out")["Team_A"]
    assert rec["total"] == 28 and rec["grade"] is None and rec["members"] == []


def test_old_group_format_is_graded_once_and_grade_goes_to_every_member(tmp_path):
    right = group_zip({"cnn-ex1-stud.xlsx": make_submission(tmp_path).read_bytes()})
    dl = download(tmp_path, {
        "Team A-Ann Lee_21_assignsubmission_file_/team.zip": right,
        "Team A-Bob Roe_22_assignsubmission_file_/team.zip": right,
    })
    ws = worksheet(tmp_path, [(21, "Ann Lee", "Team A"), (22, "Bob Roe", "Team A"), (23, "Cy Doe", "")],
                   decimal=",", bom=True, delimiter=";")
    assert run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out").exit_code == 0
    res = results(tmp_path / "out")
    assert list(res) == ["Team A"]
    raw = (tmp_path / "out" / "grades.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the export's BOM, delimiter and decimal comma are kept
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [(r[1], r[5]) for r in rows[1:]] == [("Ann Lee", "10,00"), ("Bob Roe", "10,00"), ("Cy Doe", "")]


def test_blind_marking_and_lock_files(tmp_path):
    sub = make_submission(tmp_path).read_bytes()
    zipped = group_zip({"PW/cnn-ex1-stud.xlsx": sub, "PW/~$cnn-ex1-stud.xlsx": b"lock",
                        "__MACOSX/PW/._cnn-ex1-stud.xlsx": b"\0", "PW/.DS_Store": b"x", "PW/nb.ipynb": b"{}"})
    dl = download(tmp_path, {"Participant_31_assignsubmission_file/pw.zip": zipped})
    assert run("grade", dl, "-o", tmp_path / "out").exit_code == 0
    assert results(tmp_path / "out")["Participant"]["file"] == "cnn-ex1-stud.xlsx"


def test_several_workbooks_need_a_person(tmp_path):
    sub = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/a.xlsx": sub,
                             "Ann Lee_11_assignsubmission_file/b.xlsx": sub})
    result = run("grade", dl, "-o", tmp_path / "out")
    assert result.exit_code == 1
    rec = results(tmp_path / "out")["Ann Lee"]
    assert rec["status"] == "several workbooks"
    assert rec["messages"] == ["several workbooks, a person must choose: a.xlsx, b.xlsx"]


# ------------------------------------------------------------------ hostile and broken files


def zip_with(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def symlink_member(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE = [
    pytest.param(zip_with([("../../escaped.txt", b"x"), ("cnn.xlsx", b"")]), "climbs out of the archive",
                 id="traversal"),
    pytest.param(zip_with([("/etc/evil.txt", b"x")]), "an absolute path", id="absolute"),
    pytest.param(zip_with([(symlink_member("link.xlsx", "/etc/passwd"), b"/etc/passwd")]), "a symbolic link",
                 id="symlink"),
    pytest.param(zip_with([("big.bin", b"\0" * (60 * 2**20))]), "compression ratio", id="bomb-ratio"),
    pytest.param(zip_with([(f"f{i}.txt", b"") for i in range(600)]), "600 members in the archive",
                 id="too-many-members"),
    pytest.param(zip_with([("inner.zip", zip_with([("deeper.zip", zip_with([("cnn.xlsx", b"x")]))]))]),
                 "nested too deep", id="nested"),
    pytest.param(b"PK\x03\x04 broken", "not a readable zip", id="corrupt-zip"),
]


@pytest.mark.parametrize("payload, message", HOSTILE)
def test_hostile_group_zip_is_one_row_and_the_batch_goes_on(tmp_path, payload, message):
    good = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {
        "Ann Lee_11_assignsubmission_file/evil.zip": payload,
        "Bob Roe_12_assignsubmission_file/cnn-ex1-stud.xlsx": good,
    })
    before = digest(dl)
    out = tmp_path / "out"
    result = run("grade", dl, "-o", out)
    assert result.exit_code == 1
    res = results(out)
    assert res["Bob Roe"]["status"] == "graded" and res["Bob Roe"]["total"] == 28
    assert res["Ann Lee"]["status"] == "no workbook"
    assert any(message in m for m in res["Ann Lee"]["messages"]), res["Ann Lee"]["messages"]
    assert digest(dl) == before
    # nothing was written outside OUTDIR
    assert not (tmp_path / "escaped.txt").exists() and not Path("/etc/evil.txt").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(set(OUTPUTS) - {"grades.csv"})  # no worksheet given


def test_traversal_in_the_download_itself(tmp_path):
    good = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {"Bob Roe_12_assignsubmission_file/cnn-ex1-stud.xlsx": good,
                             "Ann Lee_11_assignsubmission_file/../../../escaped.xlsx": good})
    result = run("grade", dl, "-o", tmp_path / "out")
    assert results(tmp_path / "out")["Bob Roe"]["status"] == "graded"
    assert not (tmp_path / "escaped.xlsx").exists() and not (tmp_path.parent / "escaped.xlsx").exists()
    assert result.exit_code == 1


def test_symlinks_in_a_folder_are_not_followed(tmp_path):
    folder = tmp_path / "download" / "Ann Lee_11_assignsubmission_file"
    folder.mkdir(parents=True)
    (folder / "cnn-ex1-stud.xlsx").symlink_to(make_submission(tmp_path).resolve())
    result = run("grade", tmp_path / "download", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert results(tmp_path / "out")["Ann Lee"]["status"] == "no workbook"


def test_recalc_modes(tmp_path, soffice):
    wb = openpyxl.load_workbook(make_submission(tmp_path))
    wb["Ex1b"]["H27"] = "=1+2"  # maps: a formula whose value (3) is wrong
    path = tmp_path / "formula.xlsx"
    from xlcnn.files.xlsx_values import save_workbook

    save_workbook(wb, path, {("Ex1b", "H27"): 2})  # ...with a forged cached value that is right
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/cnn-ex1-stud.xlsx": path.read_bytes()})
    run("grade", dl, "-o", tmp_path / "auto")
    assert results(tmp_path / "auto")["Ann Lee"]["points"]["b.maps"] == 1  # cached values trusted
    run("grade", dl, "-o", tmp_path / "always", "--recalc", "always")
    assert results(tmp_path / "always")["Ann Lee"]["points"]["b.maps"] == 0  # recalculated: 3
    wb["Ex1b"]["H27"] = "=1+1"
    wb.save(path)  # no cached value at all
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/cnn-ex1-stud.xlsx": path.read_bytes()}, "dl2.zip")
    result = run("grade", dl, "-o", tmp_path / "never", "--recalc", "never")
    assert result.exit_code == 1
    rec = results(tmp_path / "never")["Ann Lee"]
    assert rec["status"] == "not calculated" and rec["points"]["b.maps"] is None


def test_a_libreoffice_that_hangs_costs_that_file_only(tmp_path, soffice, monkeypatch):
    # Fault injection around the real LibreOffice: the wrapper runs the real soffice, except
    # that it never returns when one of the files it is given holds the marker text.
    wrapper = tmp_path / "soffice-hangs"
    wrapper.write_text(f"""#!/bin/sh
for f in "$@"; do
  case "$f" in *.xlsx) if grep -q HANG-ON-THIS "$f" 2>/dev/null; then sleep 600; fi;; esac
done
exec {soffice} "$@"
""")
    wrapper.chmod(0o755)
    monkeypatch.setenv("XLCNN_SOFFICE", str(wrapper))
    formulas = openpyxl.load_workbook(make_submission(tmp_path))
    formulas["Ex1b"]["H27"] = "=1+1"
    formulas.save(tmp_path / "ok.xlsx")
    formulas["Ex1a"]["K1"] = "HANG-ON-THIS"
    zin = io.BytesIO()
    formulas.save(zin)
    raw = zin.getvalue()
    # store the marker uncompressed so grep finds it
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename))
        hang = buf.getvalue()
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/cnn-ex1-stud.xlsx": hang,
                             "Bob Roe_12_assignsubmission_file/cnn-ex1-stud.xlsx": (tmp_path / "ok.xlsx").read_bytes()})
    result = run("grade", dl, "-o", tmp_path / "out", "--timeout", "2")
    res = results(tmp_path / "out")
    assert res["Bob Roe"]["status"] == "graded" and res["Bob Roe"]["total"] == 28
    assert res["Ann Lee"]["status"] == "not calculated"
    assert any("did not finish within" in m for m in res["Ann Lee"]["messages"])
    assert result.exit_code == 1


# ------------------------------------------------------------------ rubric and worksheet


SCORES = [
    pytest.param(Answer.RIGHT, 0, 0, Rule("x", 2), (2, 2, "right"), id="right"),
    pytest.param(Answer.MISSING, 0, 3, Rule("x", 2, True), (0, 2, "missing"), id="missing"),
    pytest.param(Answer.WRONG, 2, 3, Rule("x", 3, True), (2, 3, "2 of 3 cells right"), id="partial"),
    pytest.param(Answer.WRONG, 2, 3, Rule("x", 3), (0, 3, "wrong"), id="no-partial"),
    pytest.param(Answer.NOT_CALCULATED, 0, 3, Rule("x", 1), (None, 1, "formulas not calculated"), id="needs-person"),
]


@pytest.mark.parametrize("status, right, counted, rule, expected", SCORES)
def test_score(status, right, counted, rule, expected):
    assert score(status, right, counted, rule) == expected


@pytest.mark.parametrize("text, match", [
    ("tolerance = -1\n[[question]]\nmatch='*'\npoints=1", "tolerance must be a number >= 0"),
    ("[[question]]\nmatch='*'\npoints='two'", r"points must be a number >= 0, got 'two'"),
    ("tolerance = 0.1", "no \\[\\[question\\]\\] rules"),
    ("grade_max = 0\n[[question]]\nmatch='*'\npoints=1", "grade_max must be a number > 0"),
])
def test_rubric_errors(text, match):
    from xlcnn import XlcnnError

    with pytest.raises(XlcnnError, match=match):
        parse_rubric(text, "r.toml")


def test_rubric_changes_points_and_scale(tmp_path):
    rubric = tmp_path / "r.toml"
    rubric.write_text("grade_max = 6\n[[question]]\nmatch = 'b.maps'\npoints = 10\n"
                      "[[question]]\nmatch = '*'\npoints = 0\n")
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/x.xlsx": make_submission(tmp_path).read_bytes()})
    assert run("grade", dl, "--rubric", rubric, "-o", tmp_path / "out").exit_code == 0
    rec = results(tmp_path / "out")["Ann Lee"]
    assert rec["max"] == 10 and rec["grade"] == 6.0


def test_a_worksheet_that_is_not_one_stops_the_run_with_one_line(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("Name,Points\nA,1\n")
    result = run("grade", DOWNLOAD, "--worksheet", bad, "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert "found: 'Name', 'Points'" in result.output


def test_unknown_submission_in_the_worksheet_needs_a_person(tmp_path):
    book = make_submission(tmp_path).read_bytes()
    dl = download(tmp_path, {"Ann Lee_99_assignsubmission_file/x.xlsx": book,
                             "Bob Roe_11_assignsubmission_file/x.xlsx": book,
                             "Cy Doe_12_assignsubmission_file/x.xlsx": book})
    ws = worksheet(tmp_path, [(11, "Bob Roe", ""), (12, "Cy Doe", "")])
    assert run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out").exit_code == 1
    rec = results(tmp_path / "out")["Ann Lee"]
    assert rec["status"] == "no worksheet row"  # one of three: the worksheet is this class's, Ann needs a person


def test_diagnoses_bias_and_transpose(tmp_path):
    import numpy as np

    from xlcnn.core.conv import conv2d
    from xlcnn.handout.examples import load_example

    ex = load_example()
    y = conv2d(ex.x2, ex.w2, ex.b2)
    answers = RIGHT | {"Output2D_K1": (y[:, :, 0] - 1).reshape(-1).tolist(),  # bias 1 forgotten
                       "Output2D_K2": y[:, :, 1].T.reshape(-1).tolist(),  # transposed
                       "Case2_Size": 2, "Maps": 3}
    dl = download(tmp_path,
                  {"Ann Lee_11_assignsubmission_file/x.xlsx": make_submission(tmp_path, answers).read_bytes()})
    run("grade", dl, "-o", tmp_path / "out")
    d = results(tmp_path / "out")["Ann Lee"]["diagnoses"]
    assert d["b.values1"][0].startswith("bias forgotten")
    assert d["b.values2"][0].startswith("rows and columns swapped")
    assert d["a.case2.size"][0].startswith("output size off by one")
    assert d["b.maps"][0].startswith("output depth is the number of filters")
    assert not np.array_equal(y[:, :, 1], y[:, :, 1].T)


@pytest.mark.libreoffice  # a submission of the sample is calculated by LibreOffice
def test_signed_variants_are_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("XLCNN_SECRET", "k")
    groups = tmp_path / "groups.csv"
    groups.write_text("group\nG1\nG2\n")
    assert run("template", "--groups", groups, "--out-dir", tmp_path / "v").exit_code == 0
    from xlcnn.workbook.solution import solve_file

    solve_file(tmp_path / "v" / "cnn-ex1-stud-G1.xlsx", tmp_path / "g1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "v" / "cnn-ex1-stud-G2.xlsx")
    wb["Ex1a"]["C5"] = 9
    wb.save(tmp_path / "g2-changed.xlsx")
    solve_file(tmp_path / "g2-changed.xlsx", tmp_path / "g2.xlsx")
    dl = download(tmp_path, {"G1_1_assignsubmission_file/a.xlsx": (tmp_path / "g1.xlsx").read_bytes(),
                             "G2_2_assignsubmission_file/b.xlsx": (tmp_path / "g2.xlsx").read_bytes()})
    run("grade", dl, "-o", tmp_path / "out")
    res = results(tmp_path / "out")
    assert res["G1"]["status"] == "graded" and res["G1"]["total"] == 28
    assert res["G2"]["status"] == "inputs changed"
    assert "signature check failed" in res["G2"]["messages"][0]


# ------------------------------------------------------------------ Moodle's scale, groups and folders


def test_points_are_never_written_as_a_grade_when_the_scale_is_unknown(tmp_path):
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/x.xlsx": make_submission(tmp_path).read_bytes()})
    ws = tmp_path / "w.csv"
    ws.write_text('Identifier,"Full name",Grade,"Last modified (grade)","Feedback comments"\n'
                  '"Participant 11","Ann Lee",,-,\n', encoding="utf-8")
    result = run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "no grades.csv: the assignment's scale is unknown" in result.output
    assert not (tmp_path / "out" / "grades.csv").exists()
    rec = results(tmp_path / "out")["Ann Lee"]
    assert rec["total"] == 28 and rec["grade"] is None


def test_a_rubric_scale_that_contradicts_moodle_stops_the_run(tmp_path):
    rubric = tmp_path / "r.toml"
    rubric.write_text("grade_max = 6\n[[question]]\nmatch = '*'\npoints = 1\n")
    dl = download(tmp_path, {"Ann Lee_11_assignsubmission_file/x.xlsx": make_submission(tmp_path).read_bytes()})
    ws = worksheet(tmp_path, [(11, "Ann Lee", "")])  # out of 10
    result = run("grade", dl, "--worksheet", ws, "--rubric", rubric, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "grade_max = 6, but Moodle's worksheet says the assignment is out of 10" in result.output
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_team_folders_match_groups_by_moodles_name_and_feedback_goes_to_the_group_folder(tmp_path):
    right = make_submission(tmp_path).read_bytes()
    wrong = make_submission(tmp_path, RIGHT | {"Maps": 5}, name="w.xlsx").read_bytes()
    dl = download(tmp_path, {
        "Group 01_1_assignsubmission_file/pw.zip": group_zip({"cnn-ex1-stud.xlsx": right}),
        "Group 02_2_assignsubmission_file/pw.zip": group_zip({"cnn-ex1-stud.xlsx": wrong}),
        "Ghost_3_assignsubmission_file/pw.zip": group_zip({"cnn-ex1-stud.xlsx": right}),
        "Default group_assignsubmission_file/pw.zip": group_zip({"cnn-ex1-stud.xlsx": right}),
    })
    # participant ids 1 and 2 exist too: group folders must never land on them
    ws = worksheet(tmp_path, [(4, "Ann Lee", "Group_01"), (1, "Bob Roe", "Group_01"), (2, "Cy Doe", "Group 02"),
                              (5, "Di Fox", "Default group")], max_header="Maximum grade")
    result = run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out")
    assert result.exit_code == 1  # the ghost group and the default group need a person
    res = results(tmp_path / "out")
    assert res["Group 01"]["status"] == "graded" and res["Group 02"]["status"] == "graded"
    assert res["Ghost"]["status"] == "no worksheet row" and res["Ghost"]["members"] == []
    assert res["Default group"]["status"] == "no group" and res["Default group"]["total"] == 28
    rows = {r["Full name"]: r["Grade"] for r in csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8"))}
    assert rows == {"Ann Lee": "10.00", "Bob Roe": "10.00", "Cy Doe": "9.64", "Di Fox": ""}
    assert (tmp_path / "out" / "held" / "Ghost_3_assignsubmission_file" / "cnn-ex1-stud-feedback.xlsx").is_file()
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:
        assert sorted(zf.namelist()) == [  # the ghost group is held: its copy waits in held/, for a person
            "Group 01_1_assignsubmission_file/cnn-ex1-stud-feedback.xlsx",
            "Group 02_2_assignsubmission_file/cnn-ex1-stud-feedback.xlsx",
        ]
