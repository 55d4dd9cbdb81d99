"""The list of groups a variant is made for (a CSV or a text file), and the file-name form of
a group's name.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import XlcnnError


def read_groups(path: str | Path) -> list[str]:
    """Group names from a CSV file: the column named 'group' (any case), else the first column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise XlcnnError(f"{path}: cannot read the groups file ({err})") from err
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(text.splitlines(), dialect) if any(cell.strip() for cell in r)]
    if not rows:
        raise XlcnnError(f"{path}: no groups in the file")
    header = [h.strip().lower() for h in rows[0]]
    col = header.index("group") if "group" in header else 0
    body = rows[1:] if header[col] in ("group", "name", "groups", "group name") else rows
    groups = [r[col].strip() for r in body if len(r) > col and r[col].strip()]
    duplicates = sorted({g for g in groups if groups.count(g) > 1})
    if duplicates:
        raise XlcnnError(f"{path}: group names appear twice: {', '.join(duplicates)}")
    if not groups:
        raise XlcnnError(f"{path}: no groups in the file")
    return groups


def slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()).strip("-.")
    return s or "group"
