#!/usr/bin/env python3
"""Hostile files through `xlcnn check` and `xlcnn grade`: no traceback, no hang, bounded memory.

    .venv/bin/python scripts/fuzz.py [--seed 4] [--scale 3] [--keep DIR]

Writes a corpus of hostile and broken workbooks (tests/support/hostile.py: truncations, flipped bytes,
renamed formats, zip tricks, XML attacks, odd cells, odd structure, macros, random mixes; about
300 per --scale), runs each through `xlcnn check` (one process, a time limit per file), then all
of them as one Moodle download with three good canary submissions through `xlcnn grade` (a new
process whose tree's memory is sampled), and prints what broke. Exit 0 when nothing did.
The test suite runs the same checks at --scale 1 (tests/grading/test_hostile_files.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fuzzing import run_checks, run_grade, write_corpus  # noqa: E402

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--scale", type=int, default=3, help="size of the random part of the corpus")
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus and outputs here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xlcnn-fuzz-"))
    files, good = write_corpus(folder, args.seed, args.scale)
    print(f"{len(files)} hostile files in {folder}")
    rows = run_checks(files)
    bad = [r for r in rows if r["exception"] or r["traceback"] or r["exit"] not in (0, 1, 2)]
    print(f"check: {len(rows)} files, {len(bad)} broke")
    for r in bad:
        print(f"  {Path(r['file']).name}: {r['exception'] or 'traceback in the output'}")
    g = run_grade(files, good, folder)
    if g["hang"]:
        print("grade: did not finish")
        return 1
    subs = g["results"].get("submissions", [])
    canaries = [s for s in subs if s["name"].startswith("Canary")]
    problems = []
    if "Traceback" in g["output"]:
        problems.append("a traceback in the output")
    if len(subs) != len(files) + 3:
        problems.append(f"{len(subs)} rows for {len(files) + 3} submissions")
    if not all(c["status"] == "graded" and c["total"] == c["max"] for c in canaries) or len(canaries) != 3:
        problems.append("the canaries were not all graded with full marks")
    if g["peak"] > 2**30:
        problems.append(f"peak memory {g['peak'] / 2**20:.0f} MB")
    if not g["inputs_unchanged"]:
        problems.append("an input was modified")
    if g["written_outside"]:
        problems.append(f"written outside OUTDIR: {g['written_outside'][:3]}")
    print(f"grade: exit {g['exit']}, {g['seconds']:.1f} s, peak memory of the process tree "
          f"{g['peak'] / 2**20:.0f} MB, {len(subs)} rows; {', '.join(problems) or 'nothing broke'}")
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main())
