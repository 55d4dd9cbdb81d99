#!/usr/bin/env python3
"""Benchmark `xlcnn grade` end to end against simply loading the same workbooks with openpyxl.

    .venv/bin/python scripts/bench_grade.py [-n 200] [--lo 40]

1. Generates a Moodle download of N participant submissions (workbooks with typed
   answers, some of them wrong, so every value is present without recalculation).
2. Times `xlcnn grade` on it, as a user runs it (a new process, all four outputs
   written), and, in the same run, `openpyxl.load_workbook` of the same N files.
   Aim (issue 4): under 3x the bare load time.
3. Times the same N files graded through a layout of sheet ranges (a course's own workbook:
   every workbook's labels are read and the blocks looked for where students moved them).
4. Generates --lo submissions whose answers are formulas without cached values and
   times `xlcnn grade` on them: seconds per file when all need LibreOffice.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from xlcnn.files.xlsx_values import save_workbook  # noqa: E402
from xlcnn.handout.examples import load_example  # noqa: E402
from xlcnn.handout.build import build_workbook  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from make_samples import answers, names_cells  # noqa: E402


def submission(ex, i: int, formulas: bool) -> bytes:
    wb = build_workbook(ex)
    filled = answers(ex)
    if i % 3 == 1:
        filled["Maps"] = 3
    if i % 5 == 2:
        filled["Case2_Output"] = [0, 0, 0]
    for name, value in filled.items():
        for cell, v in zip(names_cells(wb, name), value if isinstance(value, list) else [value], strict=False):
            cell.value = v
    if formulas:  # case 1 as formulas: openpyxl saves them without cached values
        for col, c0, c2 in zip("CDEFG", "CDEFG", "EFGHI", strict=False):
            wb["Ex1a"][f"{col}10"] = f"=SUMPRODUCT({c0}5:{c2}5,$C$6:$E$6)+$C$7"
    buf = io.BytesIO()
    if formulas:
        wb.save(buf)
        return buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        save_workbook(wb, Path(tmp) / "w.xlsx")
        return (Path(tmp) / "w.xlsx").read_bytes()


def make_download(folder: Path, n: int, formulas: bool) -> tuple[Path, list[Path]]:
    ex = load_example()
    files = folder / "files"
    files.mkdir(parents=True)
    paths = []
    dl = folder / "download.zip"
    with zipfile.ZipFile(dl, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            data = submission(ex, i, formulas)
            p = files / f"{i:04d}.xlsx"
            p.write_bytes(data)
            paths.append(p)
            zf.writestr(f"Student {i:04d}_{1000 + i}_assignsubmission_file/cnn-ex1-stud.xlsx", data)
    return dl, paths


def ranges_layout(path: Path) -> Path:
    """The shipped layout with every defined name replaced by its sheet range."""
    import re

    from xlcnn import datafiles
    from xlcnn.layout.model import resolve

    wb = build_workbook(load_example())
    text = datafiles.shipped_text("layout.toml")
    text = re.sub(r'"([A-Za-z]\w*)"',
                  lambda m: '"' + resolve(wb, m.group(1), m.group(1), "template").ref(False) + '"', text)
    path.write_text(text, encoding="utf-8")
    return path


def grade_seconds(dl: Path, out: Path, *extra: str) -> float:
    cmd = [str(ROOT / ".venv/bin/xlcnn"), "grade", str(dl), "-o", str(out), *extra]
    if not Path(cmd[0]).exists():
        cmd = [sys.executable, "-m", "xlcnn.cli", "grade", str(dl), "-o", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ | {"COLUMNS": "120"})
    seconds = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"xlcnn grade failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return seconds


def per_file_in_one_process(paths: list[Path], work: Path, repeat: int) -> tuple[float, float, float]:
    """Milliseconds per file, in this process: a bare openpyxl load; one submission assessed as a
    worker does it (read, check, score, annotate, save its feedback copy); and that copy's writing
    alone. What grading costs per file without the noise of processes starting."""
    from xlcnn.grading import feedback
    from xlcnn.grading.assess import AssessJob, assess_file
    from xlcnn.grading.record import Record
    from xlcnn.grading.rubric import load_rubric

    rubric, ex = load_rubric(), load_example()
    spent = [0.0]
    annotate = feedback.annotated_workbook

    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return annotate(*a, **k)
        finally:
            spent[0] += time.perf_counter() - t

    def assess_all() -> None:
        for i, p in enumerate(paths):
            rec = Record(f"k{i}", f"G{i}", str(i), file=p.name, workbook_path=p)
            assess_file(AssessJob(rec, None, None, rubric, ex, None, work))

    loads, assessed, copies = [], [], []
    feedback.annotated_workbook = timed  # assess_file imports it when it runs
    try:
        for _ in range(repeat):
            t = time.perf_counter()
            for p in paths:
                openpyxl.load_workbook(p)
            loads.append(time.perf_counter() - t)
            spent[0] = 0.0
            t = time.perf_counter()
            assess_all()
            assessed.append(time.perf_counter() - t)
            copies.append(spent[0])
    finally:
        feedback.annotated_workbook = annotate
    n = len(paths) / 1000
    return min(loads) / n, min(assessed) / n, min(copies) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions with cached values (default 200)")
    parser.add_argument("--lo", type=int, default=40, help="submissions that all need LibreOffice (default 40)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement, alternating; the fastest of each counts (default 3): "
                        "a shared machine's noise only ever adds time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlcnn-bench-") as tmp:
        tmp = Path(tmp)
        dl, paths = make_download(tmp / "cached", args.n, formulas=False)
        bares, grades = [], []
        for i in range(args.repeat):
            t = time.perf_counter()
            for p in paths:
                openpyxl.load_workbook(p)
            bares.append(time.perf_counter() - t)
            grades.append(grade_seconds(dl, tmp / f"out{i}"))
        bare, graded = min(bares), min(grades)
        print(f"{args.n} submissions with cached values (cores: {os.cpu_count()}; fastest of {args.repeat} runs; "
              f"all: load {', '.join(f'{b:.2f}' for b in bares)} s, grade {', '.join(f'{g:.2f}' for g in grades)} s)")
        print(f"  openpyxl.load_workbook of each file : {bare:7.2f} s  ({bare / args.n * 1000:6.1f} ms/file)")
        print(f"  xlcnn grade, end to end            : {graded:7.2f} s  ({graded / args.n * 1000:6.1f} ms/file)")
        print(f"  ratio                               : {graded / bare:7.2f}x  (aim: under 3x)")
        one = per_file_in_one_process(paths[:40], tmp / "one", args.repeat)
        print(f"  in one process, per file (no workers, no process start; fastest of {args.repeat}): "
              f"assessed and annotated {one[1]:.1f} ms (of which the annotated copy {one[2]:.1f} ms), "
              f"bare load {one[0]:.1f} ms: {one[1] / one[0]:.2f}x")
        layout = ranges_layout(tmp / "ranges.toml")
        ranged = min(grade_seconds(dl, tmp / f"ranges{i}", "--layout", str(layout)) for i in range(args.repeat))
        print(f"  xlcnn grade --layout (sheet ranges): {ranged:7.2f} s  ({ranged / args.n * 1000:6.1f} ms/file)  "
              f"ratio {ranged / bare:.2f}x")
        if args.lo:
            dl2, _ = make_download(tmp / "formulas", args.lo, formulas=True)
            lo = grade_seconds(dl2, tmp / "out2")
            print(f"{args.lo} submissions whose answers need LibreOffice (formulas without cached values)")
            print(f"  xlcnn grade, end to end            : {lo:7.2f} s  ({lo / args.lo:5.2f} s/file)")


if __name__ == "__main__":
    main()
