"""Small factories: workbooks built in memory from the template and a dict of answers."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

import openpyxl

from xlcnn.files.xlsx_values import save_workbook
from xlcnn.handout.build import build_workbook
from xlcnn.handout.examples import load_example

HERE = Path(__file__).parent

# The right answers of the shipped example, by defined name (what a careful student writes).
RIGHT = {
    "Case1_Output": [-2, 2, 1, 2, 1], "Case1_Size": 5, "Case1_Same": "no",
    "Case2_Output": [-2, 1, 1], "Case2_Size": 3, "Case2_Same": "no",
    "Case3_Output": [-2, 1], "Case3_Size": 2, "Case3_Same": "no",
    "Case4_Output": [-1, -2, 2, 1, 2, 1, -3], "Case4_Size": 7, "Case4_Same": "yes",
    "Case5_Output": [-1, 2], "Case5_Size": 2, "Case5_Same": "no",
    "Maps": 2, "Volume1": "3x3x2", "Volume2": "2x2x2", "Preserve": [3, 1, 1],
    "Output2D_K1": [5, 9, 10, 16, 12, 15, 16, 15, 18],
    "Output2D_K2": [-1, -2, -1, -1, -3, -1, -1, -3, -4],
}


def cells_of(wb, name: str):
    dn = wb.defined_names[name]
    [(sheet, rng)] = list(dn.destinations)
    ws = wb[sheet]
    block = ws[rng.replace("$", "")]
    if not isinstance(block, tuple):
        return [block]
    return [c for row in block for c in (row if isinstance(row, tuple) else (row,))]


def fill(wb, answers: dict) -> None:
    for name, value in answers.items():
        cells = cells_of(wb, name)
        values = value if isinstance(value, list) else [value]
        for cell, v in zip(cells, values, strict=False):
            cell.value = v


def make_submission(tmp_path: Path, answers: dict | None = None, name: str = "filled.xlsx",
                    example=None, inputs: dict | None = None) -> Path:
    """A student workbook with ``answers`` (default: all right) typed in; ``inputs`` overwrites given cells."""
    wb = build_workbook(example or load_example())
    fill(wb, RIGHT if answers is None else answers)
    if inputs:
        fill(wb, inputs)
    path = tmp_path / name
    save_workbook(wb, path)
    return path


def lo_edit(uno_python: str, src: Path, dst: Path, ops: list) -> Path:
    """Edit ``src`` in a real LibreOffice (insert rows, set cells, ...) and save ``dst``."""
    from xlcnn.files.libreoffice import confined, write_profile

    profile = write_profile(dst.parent / f".lo-profile-{dst.stem}")
    env = {**os.environ, "XLCNN_LO_PROFILE": str(profile.resolve()),
           "XLCNN_LO_PREFIX": json.dumps(confined([], rw=[dst.parent], network_only=True))}
    proc = subprocess.run([uno_python, str(HERE / "lo_edit.py"), str(src), str(dst), json.dumps(ops)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return dst


def lo_convert(soffice: str, src: Path, fmt: str, outdir: Path) -> Path:
    """Save ``src`` as another format (ods, xls) with the real LibreOffice, confined as xlcnn runs it."""
    from xlcnn.files.libreoffice import convert_to_xlsx

    outdir.mkdir(parents=True, exist_ok=True)
    [res] = convert_to_xlsx([src], outdir, target=fmt, workdir=outdir)
    assert res.output is not None, res.error
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    res.output.replace(out)
    return out


def load_values(path: Path):
    return openpyxl.load_workbook(path, data_only=True)


def group_zip(files: dict[str, bytes]) -> bytes:
    """A group's hand-in: a zip of ``files`` (name -> bytes), as students upload it to Moodle."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
