"""The notebook half in ``xlcnn grade``: results.json, the gradebook's Notebook sheet, the feedback,
optional rubric points, and the instructor's Table 1 beside the groups'."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from tests.support.factories import group_zip, make_submission
from tests.support.notebooks import keras_notebook, never_executed, text
from xlcnn.cli import main


def class_download(tmp_path: Path) -> tuple[Path, Path]:
    book = make_submission(tmp_path).read_bytes()
    dl = tmp_path / "dl.zip"
    with zipfile.ZipFile(dl, "w") as zf:
        zf.writestr("Group 01_1_assignsubmission_file/pw.zip", group_zip({"cnn-ex1-stud.xlsx": book,
                                                                         "cnn.ipynb": text(keras_notebook())}))
        zf.writestr("Group 02_2_assignsubmission_file/pw.zip", group_zip({"cnn-ex1-stud.xlsx": book,
                                                                         "cnn.ipynb": text(never_executed())}))
        zf.writestr("Group 03_3_assignsubmission_file/pw.zip", group_zip({"cnn-ex1-stud.xlsx": book,
                                                                         "cnn.ipynb": b"{broken"}))
        zf.writestr("Group 04_4_assignsubmission_file/pw.zip", group_zip({"cnn.ipynb": text(keras_notebook(
            claim_test="78.5%"))}))
    ws = tmp_path / "w.csv"
    ws.write_text('Identifier,"Full name",Group,Grade,"Maximum grade","Last modified (grade)","Feedback comments"\n'
                  + "".join(f'"Participant {i}","Student {i}","Group 0{i}",,6.00,-,\n' for i in range(1, 5)),
                  encoding="utf-8")
    return dl, ws


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_every_submission_gets_its_notebook_report(tmp_path):
    dl, ws = class_download(tmp_path)
    result = run("grade", dl, "--worksheet", ws, "-o", tmp_path / "out")
    assert result.exit_code == 1  # group 04 has no workbook
    subs = {s["name"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    assert (subs["Group 01"]["notebook"]["status"] == "read"
            and subs["Group 01"]["notebook"]["checklist"]["deeper_cnns"] == 3)
    assert subs["Group 01"]["total"] == 28  # report only: the default rubric gives the notebook no points
    assert subs["Group 02"]["notebook"]["flags"][0].startswith("no saved outputs")
    assert subs["Group 03"]["notebook"]["status"] == "unreadable" and subs["Group 03"]["status"] == "graded"
    assert subs["Group 04"]["status"] == "no workbook"
    assert any("gives 78.5% test accuracy; no output shows it" in f for f in subs["Group 04"]["notebook"]["flags"])
    comments = {r["Full name"]: r["Feedback comments"] for r in
                csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8-sig"))}
    assert "Notebook: found one-layer network, weights plot, two-layer network, simple CNN, Table 1; " \
           "3 deeper CNNs; 3 of 8 review questions answered." in comments["Student 1"]
    wb = openpyxl.load_workbook(tmp_path / "out" / "gradebook.xlsx")
    sheet = wb["Notebook"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Group 01"][4:12] == ("✓", "✓", "✓", "✓", 3, "✓", 3, 6)
    assert rows["Group 01"][12:14] == (79.0, 63.0)  # the best CNN's train and test accuracy
    assert "78.5%" in rows["Group 04"][14]
    models = [r for r in wb["Models"].iter_rows(min_row=2, values_only=True) if r[0] == "Group 01"]
    assert [m[1] for m in models] == [1, 2, 3, 4, 5, 6] and models[0][8] == "In [2]"
    assert "In [3]: 313/313" in models[0][9]  # the test accuracy's line, where a TA checks it
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:
        feedback = openpyxl.load_workbook(io.BytesIO(zf.read("Group 01_1_assignsubmission_file/"
                                                             "cnn-ex1-stud-feedback.xlsx")))
    values = [c for row in feedback["Feedback"].iter_rows(values_only=True) for c in row if c]
    assert "Notebook (read, not run)" in values and "deeper CNNs" in values and "3 (3-5 asked)" in values
    with zipfile.ZipFile(tmp_path / "out" / "feedback.zip") as zf:  # a person's notes stay in the gradebook
        flagged = openpyxl.load_workbook(io.BytesIO(zf.read(next(n for n in zf.namelist()
                                                                 if n.startswith("Group 02_")))))
    text = " ".join(str(c) for row in flagged["Feedback"].iter_rows(values_only=True) for c in row if c)
    assert subs["Group 02"]["notebook"]["flags"] and "To check" not in text
    assert not any(flag in text for flag in subs["Group 02"]["notebook"]["flags"])


def test_the_rubric_may_give_points_to_the_notebook(tmp_path):
    dl, ws = class_download(tmp_path)
    rubric = tmp_path / "r.toml"
    shipped = (Path(__file__).resolve().parents[2] / "xlcnn" / "data" / "rubric.toml").read_text()
    rubric.write_text(shipped + "\n[notebook]\ndeeper_cnns = 1\nreview_answers = 0.5\ntable = 2\n")
    assert run("grade", dl, "--worksheet", ws, "--rubric", rubric, "-o", tmp_path / "out").exit_code == 1
    subs = {s["name"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    g1 = subs["Group 01"]
    assert g1["max"] == 28 + 5 + 4 + 2
    assert g1["total"] == 28 + 3 + 1.5 + 2
    assert g1["points"]["notebook.review_answers"] == 1.5


def test_the_instructors_table_beside_the_groups(tmp_path):
    dl, ws = class_download(tmp_path)
    ref = tmp_path / "cnn-results.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Results"
    sheet.append(["Performances on CIFAR10"])
    sheet.append([])
    sheet.append(["#", "Experiment", "Architecture", "Acc. train %", "Acc. test %"])
    sheet.append([1, "cnn-simple", "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE",
                  70.2, 64.1])
    wb.save(ref)
    assert run("grade", dl, "--worksheet", ws, "--reference", ref, "-o", tmp_path / "out").exit_code == 1
    nb_sheet = openpyxl.load_workbook(tmp_path / "out" / "gradebook.xlsx")["Notebook"]
    assert nb_sheet.cell(1, 15).value == "Reference best CNN test %"
    assert nb_sheet.cell(2, 15).value == 64.1 and nb_sheet.cell(2, 14).value == 63.0
