#!/usr/bin/env python3
"""Build workbooks/samples/: a realistic Moodle "download all submissions" of ten groups,
and the grading worksheet the teacher exports next to it.

    .venv/bin/python scripts/make_samples.py [--out workbooks/samples]

The groups (Moodle 4.1+ group submissions: one folder per group holding the group's zip):

  01 all right                       06 an .xlsm (a macro-enabled workbook; the macro never runs)
  02 some mistakes                   07 a corrupt workbook (truncated)
  03 kernel flipped everywhere       08 no workbook, only the notebook
  04 answers as formulas, never      09 changed the given numbers
     calculated (no cached values)   10 the same answers as 02, wrong ones included,
  05 an .ods saved by LibreOffice       and the same document author

Each group's notebook differs too (Keras Sequential or functional, PyTorch, only part 1, French,
German, a Table 1 claiming 78.5% that no output shows, never executed): see NOTEBOOKS.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import notebooks  # noqa: E402
from xlcnn.core.conv import conv1d, conv2d  # noqa: E402
from xlcnn.files.xlsx_values import save_workbook  # noqa: E402
from xlcnn.handout.examples import load_example  # noqa: E402
from xlcnn.files.libreoffice import convert_to_xlsx, require_soffice  # noqa: E402
from xlcnn.handout.build import build_workbook  # noqa: E402

ZIP_TIME = (2026, 3, 27, 11, 42, 0)
ASSIGNMENT = "TSM_DeLearn-PW04 CNN-group-4242"
MEMBERS = [
    ("Alice Martin", "Bruno Keller"), ("Chloé Dubois", "David Meier"), ("Emma Rossi", "Fabian Huber"),
    ("Giulia Bianchi", "Hugo Favre"), ("Inès Moreau", "Jonas Weber"), ("Karin Schmid", "Luca Ferrari"),
    ("Marie Blanc", "Nico Brunner"), ("Olivia Roth", "Pascal Girard"), ("Quentin Faure", "Rahel Baumann"),
    ("Sara Costa", "Tim Steiner"),
]

def answers(ex, flip=False, bias=True):
    """The answers a student writes, by defined name."""
    out = {}
    for i, (s, p) in enumerate(ex.cases1, 1):
        y = conv1d(ex.x1, ex.w1, ex.b1 if bias else 0, s, p, flip=flip)
        out[f"Case{i}_Output"] = [int(v) if float(v).is_integer() else float(v) for v in y]
        out[f"Case{i}_Size"] = len(y)
        out[f"Case{i}_Same"] = "yes" if len(y) == ex.x1.size else "no"
    y2 = conv2d(ex.x2, ex.w2, ex.b2 if bias else None, *ex.values_case, flip=flip)
    for k in range(ex.n_filters):
        out[f"Output2D_K{k + 1}"] = [int(v) for v in y2[:, :, k].reshape(-1)]
    out["Maps"] = ex.n_filters
    out["Volume1"] = "3x3x2"
    out["Volume2"] = "2 x 2 x 2"
    out["Preserve"] = [3, 1, 1]
    return out


def names_cells(wb, name):
    [(sheet, rng)] = list(wb.defined_names[name].destinations)
    block = wb[sheet][rng.replace("$", "")]
    if not isinstance(block, tuple):
        return [block]
    return [c for row in block for c in (row if isinstance(row, tuple) else (row,))]


def workbook(ex, filled: dict, author: str = "", formulas: dict | None = None) -> bytes:
    wb = build_workbook(ex)
    for name, value in filled.items():
        values = value if isinstance(value, list) else [value]
        for cell, v in zip(names_cells(wb, name), values, strict=False):
            cell.value = v
    for (sheet, coord), formula in (formulas or {}).items():
        wb[sheet][coord] = formula
    if author:
        wb.properties.creator = author
        wb.properties.lastModifiedBy = author
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.xlsx"
        if formulas:
            wb.save(path)  # plain openpyxl save: formulas without cached values
        else:
            save_workbook(wb, path)
        return path.read_bytes()


def group_zip(files: dict[str, bytes], with_junk: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data)
            if with_junk and name.endswith((".xlsx", ".ods", ".xlsm")):
                folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
                base = name.rsplit("/", 1)[-1]
                zf.writestr(zipfile.ZipInfo(f"__MACOSX/{folder}._{base}", ZIP_TIME), b"\0\5\26\7")
                zf.writestr(zipfile.ZipInfo(f"{folder}~${base}", ZIP_TIME), b"lock")
    return buf.getvalue()


# Each group's notebook (Exercises 2-4), read by the grader, never run: see tests/notebooks.py.
NOTEBOOKS = {
    "01": notebooks.keras_notebook(), "02": notebooks.keras_notebook(functional=True),
    "03": notebooks.pytorch_notebook(), "04": notebooks.keras_notebook(parts="dense1"),
    "05": notebooks.keras_notebook(lang="fr", deeper=1), "06": notebooks.keras_notebook(lang="de"),
    "07": notebooks.keras_notebook(), "08": notebooks.keras_notebook(claim_test="78.5%"),
    "09": notebooks.never_executed(), "10": notebooks.keras_notebook(functional=True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("workbooks/samples"))
    args = parser.parse_args()
    ex = load_example()
    right = answers(ex)
    mistakes = dict(right)
    mistakes["Case5_Output"] = [-1, 2, -3]  # a partial window computed anyway
    mistakes["Case5_Size"] = 2.5  # size not rounded down
    mistakes["Volume2"] = "2x2x3"  # depth = channels
    flipped = answers(ex, flip=True)
    changed = load_example()
    changed.x1[3] = 4  # "simplified" a given number, answered consistently
    formulas = {("Ex1a", f"{col}10"): f"=SUMPRODUCT({c0}5:{c2}5,$C$6:$E$6)+$C$7"
                for col, c0, c2 in zip("CDEFG", "CDEFG", "EFGHI", strict=False)}

    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    require_soffice()  # the .ods sample is written by LibreOffice
    groups: list[tuple[str, dict[str, bytes]]] = []
    groups.append(("01",
                   {"PW04-group01/cnn-ex1-stud.xlsx": workbook(ex, right), "PW04-group01/cnn.ipynb": notebook("01")}))
    groups.append(("02",
                   {"cnn-ex1-stud.xlsx": workbook(ex, mistakes, author="Student PC 7"), "cnn.ipynb": notebook("02")}))
    groups.append(("03", {"cnn-ex1-stud.xlsx": workbook(ex, flipped), "cnn.ipynb": notebook("03")}))
    no_case1 = {k: v for k, v in right.items() if k != "Case1_Output"}
    groups.append(("04", {"cnn-ex1-stud.xlsx": workbook(ex, no_case1, formulas=formulas), "cnn.ipynb": notebook("04")}))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cnn-ex1-stud.xlsx"
        src.write_bytes(workbook(ex, right))
        [ods] = convert_to_xlsx([src], Path(tmp), target="ods", workdir=Path(tmp))  # confined, as xlcnn runs it
        groups.append(("05", {"cnn-ex1-stud.ods": ods.output.read_bytes(), "cnn.ipynb": notebook("05")}))
    groups.append(("06", {"cnn-ex1-stud.xlsm": xlsm(workbook(ex, right)), "cnn.ipynb": notebook("06")}))
    groups.append(("07", {"cnn-ex1-stud.xlsx": workbook(ex, right)[:2500], "cnn.ipynb": notebook("07")}))
    groups.append(("08", {"cnn.ipynb": notebook("08"), "README.txt": b"we forgot the Excel file\n"}))
    groups.append(("09", {"cnn-ex1-stud.xlsx": workbook(changed, answers(changed)), "cnn.ipynb": notebook("09")}))
    groups.append(("10",
                   {"cnn-ex1-stud.xlsx": workbook(ex, mistakes, author="Student PC 7"), "cnn.ipynb": notebook("10")}))

    download = out / f"{ASSIGNMENT}.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, files in groups:
            folder = f"Group {n}_{500 + int(n)}_assignsubmission_file"
            zf.writestr(zipfile.ZipInfo(f"{folder}/PW04-group{n}.zip", ZIP_TIME), group_zip(files))

    sheet = out / f"Grades-{ASSIGNMENT}.csv"
    rows = [["Identifier", "Full name", "Email address", "Status", "Group", "Grade", "Maximum grade",
             "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]]
    uid = 1001
    for (n, _), people in zip(groups, MEMBERS, strict=False):
        for person in people:
            email = person.lower().replace(" ", ".").replace("é", "e").replace("è", "e") + "@students.example.ch"
            rows.append([f"Participant {uid}", person, email, "Submitted for grading -  - ", f"Group {n}",
                         "", "6.00", "Yes", "Wednesday, 27 March 2024, 11:42 AM", "-", ""])
            uid += 1
    rows.append([f"Participant {uid}", "Zoé Lambert", "zoe.lambert@students.example.ch", "No submission -  - ",
                 "Default group", "", "6.00", "Yes", "-", "-", ""])
    # As Moodle 4.5 sends it: a UTF-8 byte-order mark, PHP's fputcsv quoting, "\n" line ends.
    sheet.write_bytes(b"\xef\xbb\xbf" + "".join(",".join(map(php_csv_field, r)) + "\n" for r in rows).encode("utf-8"))
    print(f"wrote {download} and {sheet}")


def notebook(group: str) -> bytes:
    return notebooks.text(NOTEBOOKS[group])


def php_csv_field(value: str) -> str:
    """A field as PHP's fputcsv writes it (Moodle's CSV export): quoted when it holds a space or a special."""
    if any(c in value for c in ',"\r\n\t \\'):
        return '"' + value.replace('"', '""') + '"'
    return value


def xlsm(data: bytes) -> bytes:
    """The same workbook as a macro-enabled .xlsm (with a macro that must never run)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            zf.writestr(info, body)
        zf.writestr(zipfile.ZipInfo("xl/vbaProject.bin", ZIP_TIME), b"Sub Auto_Open()\n  Kill \"C:\\*.*\"\nEnd Sub\n")
    return buf.getvalue()


if __name__ == "__main__":
    main()
