"""``make gallery``: every workbook xlcnn writes, printed as its reader prints it.

    .venv/bin/python scripts/gallery.py [-o results/gallery] [--no-results]

Writes, into the output folder, each workbook and its PDF (LibreOffice headless) and one PNG per
printed page (``pdftoppm``), ``pages.json`` with the page count of each and ``text-sizes.json``
with the text size of each printed page (median word height in points, ``pdftotext -bbox``):

* the student template and its solution (``xlcnn template``, ``xlcnn solve``);
* the sample class graded (``xlcnn grade`` on the bundled Moodle download): the gradebook and
  two feedback workbooks — one graded with mistakes, one held for a person;
* the Excel functions' demo workbook;
* a results sheet (``xlcnn results --quick``) trained on a small *synthetic* archive in
  CIFAR-10's format (CIFAR-10 itself cannot be downloaded here: its accuracies mean nothing,
  the sheet shows what the layout looks like).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = ROOT / "workbooks" / "samples" / "TSM_DeLearn-PW04 CNN-group-4242.zip"
WORKSHEET = ROOT / "workbooks" / "samples" / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"
XLCNN = [sys.executable, "-m", "xlcnn.cli"]


def run(*args: str) -> None:
    proc = subprocess.run([*XLCNN, *map(str, args)], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"xlcnn {' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}")


def render(workbooks: list[Path], out: Path) -> dict[str, int]:
    """The workbooks printed to PDF by the real LibreOffice (confined as xlcnn runs it; one process
    prints them all, in turn), and their pages as PNG; returns each one's number of pages."""
    from xlcnn.files.libreoffice import convert_to_xlsx

    pages = {}
    with tempfile.TemporaryDirectory() as tmp:
        results = convert_to_xlsx(workbooks, Path(tmp), target="pdf", workdir=Path(tmp))
        for workbook, res in zip(workbooks, results, strict=True):
            if res.output is None:
                raise SystemExit(f"{workbook.name}: LibreOffice could not print it ({res.error})")
            pdf = out / f"{workbook.stem}.pdf"
            shutil.copyfile(res.output, pdf)
            pages[workbook.stem] = pdf_pages(pdf)
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(out / workbook.stem)], check=True)
    return pages


def text_sizes(pdf: Path) -> list[float]:
    """The median word height of each printed page, in points (``pdftotext -bbox``): how large the
    text a reader gets on paper is, whatever the fit-to-page scaling did."""
    import re
    import statistics

    proc = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    sizes = []
    for page in proc.stdout.split("<page ")[1:]:
        heights = [float(b) - float(a) for a, b in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" '
                                                             r'yMax="([^"]+)"', page)]
        sizes.append(round(statistics.median(heights), 1) if heights else 0.0)
    return sizes


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF, read from its page tree (no PDF library needed)."""
    import re

    data = pdf.read_bytes()
    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(m) for m in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max(counts) if counts else len(re.findall(rb"/Type\s*/Page\b", data))


def build(out: Path, with_results: bool = True) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    work = out / "workbooks"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    run("template", "-o", work / "template.xlsx")
    run("solve", work / "template.xlsx", "-o", work / "solution.xlsx")
    graded = out / "sample-grading"
    shutil.rmtree(graded, ignore_errors=True)
    run("grade", SAMPLE, "--worksheet", WORKSHEET, "-o", graded)
    shutil.copyfile(graded / "gradebook.xlsx", work / "gradebook.xlsx")
    results = json.loads((graded / "results.json").read_text())["submissions"]
    wanted = {"feedback-with-mistakes": next(s for s in results if s["status"] == "graded" and s["total"] < s["max"]),
              "feedback-held": next(s for s in results if s["status"] != "graded" and s["questions"])}
    with zipfile.ZipFile(graded / "feedback.zip") as zf:  # a held submission's copy waits in held/, never zipped
        rec = wanted["feedback-with-mistakes"]
        member = next(n for n in zf.namelist() if n.startswith(rec["folders"][0] + "/"))
        (work / "feedback-with-mistakes.xlsx").write_bytes(zf.read(member))
    shutil.copyfile(graded / wanted["feedback-held"]["held_copy"], work / "feedback-held.xlsx")
    shutil.copyfile(ROOT / "workbooks" / "cnn-udfs-demo.xlsx", work / "demo.xlsx")
    if with_results:
        import numpy as np

        from xlcnn.training.cifar import write_archive

        r = np.random.default_rng(0)
        archive = work / "synthetic-cifar-10-python.tar.gz"
        checksum = write_archive(archive, r.integers(0, 256, (600, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, 600),
                                 r.integers(0, 256, (200, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, 200))
        run("results", "--quick", "--data", archive, "--data-md5", checksum, "--only", "dense-1", "--only", "dense-2",
            "--only", "cnn-simple", "-o", work / "results.xlsx")
        archive.unlink()
    sizes = {}
    pages = render(sorted(work.glob("*.xlsx")), out)
    for workbook in sorted(work.glob("*.xlsx")):
        sizes[workbook.stem] = text_sizes(out / f"{workbook.stem}.pdf")
        print(f"{workbook.stem:28} {pages[workbook.stem]} page(s), text {min(sizes[workbook.stem])}-"
              f"{max(sizes[workbook.stem])} pt")
    (out / "pages.json").write_text(json.dumps(pages, indent=2) + "\n")
    (out / "text-sizes.json").write_text(json.dumps(sizes, indent=2) + "\n")
    return pages
