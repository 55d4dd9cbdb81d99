#!/usr/bin/env python3
"""``make gallery``: every workbook xlcnn writes, printed as its reader prints it (the work is done
by ``tests/support/gallery.py``, which the gallery test runs too).

    .venv/bin/python scripts/gallery.py [-o results/gallery] [--no-results]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.gallery import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "results" / "gallery")
    parser.add_argument("--no-results", action="store_true", help="Skip the results sheet (no training).")
    args = parser.parse_args()
    build(args.output, not args.no_results)
    print(f"wrote {args.output}: a PDF and PNG pages per workbook, pages.json")


if __name__ == "__main__":
    main()
