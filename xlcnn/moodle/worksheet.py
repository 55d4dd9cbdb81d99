"""Moodle's offline grading worksheet (CSV): read the teacher's export, write it back filled.

The written file keeps the export's headers, column order, delimiter, quoting,
encoding (with or without BOM) and decimal separator; only ``Grade`` and
``Feedback comments`` change, and only on the rows xlcnn graded.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XlcnnError
from ..workbook.cached import atomic_write

REQUIRED = ("Identifier", "Grade", "Last modified (grade)")
DEFAULT_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                  "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


@dataclass
class Participant:
    uniqueid: str
    full_name: str
    email: str = ""
    group: str = ""
    max_grade: float | None = None


@dataclass
class Worksheet:
    header: list[str]
    rows: list[list[str]]
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    decimal: str = "."
    newline: str = "\r\n"
    source: str = "worksheet"
    quote_all: bool = True
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {h.strip(): i for i, h in enumerate(self.header)}

    def col(self, name: str) -> int | None:
        return self._index.get(name)

    def get(self, row: list[str], name: str) -> str:
        i = self.col(name)
        return row[i] if i is not None and i < len(row) else ""

    def set(self, row: list[str], name: str, value: str) -> None:
        i = self.col(name)
        if i is None:
            raise XlcnnError(f"{self.source}: no {name!r} column")
        while len(row) <= i:
            row.append("")
        row[i] = value

    def participants(self) -> list[Participant]:
        out = []
        for row in self.rows:
            ident = self.get(row, "Identifier").strip()
            uid = re.sub(r"^\D+", "", ident)  # "Participant 123" -> "123" (the label is translated on other sites)
            if not uid:
                continue
            out.append(Participant(uid, self.get(row, "Full name").strip(), self.get(row, "Email address").strip(),
                                   self.get(row, "Group").strip(), self.number(self.get(row, "Maximum Grade"))))
        return out

    def number(self, text: str) -> float | None:
        text = text.strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        try:
            return float(text.replace(",", ".")) if self.decimal == "," else float(text)
        except ValueError:
            return None

    def format_grade(self, value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if self.decimal == "," else text

    def row_for(self, uniqueid: str) -> list[str] | None:
        for row in self.rows:
            if re.sub(r"^\D+", "", self.get(row, "Identifier").strip()) == uniqueid:
                return row
        return None


def read_worksheet(path: str | Path) -> Worksheet:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise XlcnnError(f"{path}: cannot read the grading worksheet ({err.strerror or err})") from err
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252", errors="replace"), "cp1252"
    newline = "\r\n" if "\r\n" in text[:10000] else "\n"
    try:
        dialect = csv.Sniffer().sniff(text[:10000], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise XlcnnError(f"{path}: the grading worksheet is empty")
    header = rows[0]
    sheet = Worksheet(header, [r for r in rows[1:] if any(c.strip() for c in r)], delimiter, encoding, bom,
                      source=str(path), newline=newline, quote_all=text.lstrip("\ufeff").startswith('"'))
    missing = [h for h in REQUIRED if sheet.col(h) is None]
    if missing:
        raise XlcnnError(
            f"{path}: not Moodle's offline grading worksheet: no {', '.join(repr(m) for m in missing)} column "
            f"(found: {', '.join(h for h in header)})"
        )
    if sheet.col("Feedback comments") is None:
        raise XlcnnError(f"{path}: no 'Feedback comments' column: enable feedback comments in the assignment, then export again")
    sheet.decimal = _decimal(sheet)
    return sheet


def _decimal(sheet: Worksheet) -> str:
    for row in sheet.rows:
        for name in ("Maximum Grade", "Grade"):
            value = sheet.get(row, name).strip()
            if re.fullmatch(r"-?\d+,\d+", value):
                return ","
            if re.fullmatch(r"-?\d+\.\d+", value):
                return "."
    return "."


def new_worksheet() -> Worksheet:
    return Worksheet(list(DEFAULT_HEADER), [], source="worksheet built from the download")


def write_worksheet(sheet: Worksheet, path: Path) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig" if sheet.bom else sheet.encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=sheet.delimiter, lineterminator=sheet.newline,
                                quoting=csv.QUOTE_ALL if sheet.quote_all else csv.QUOTE_MINIMAL)
            writer.writerow(sheet.header)
            writer.writerows(sheet.rows)

    atomic_write(path, write)
