"""Moodle's offline grading worksheet (CSV): read the teacher's export, write it back filled.

Columns are found by their header, case- and space-insensitively, across Moodle 4.1–5.x
(``Maximum Grade`` in 4.1/4.2, ``Maximum grade`` since 4.3). On a site in another language
the ``Identifier`` column is recognised by its values (``<word> <number>`` on every row) and
the others are named with ``columns`` (``--worksheet-columns grade=Note,max=...,feedback=...``).

The written file is the export's bytes except the fields xlcnn changed: every other field is
copied as it was read (its quoting included), and a changed field is quoted the way the export
quotes (PHP's ``fputcsv`` rule for Moodle's own files). Headers, order, BOM, delimiter, line
ends, decimal separator and ``Last modified (grade)`` stay as they were.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XlcnnError
from ..files.atomic import atomic_write

# Logical column -> the headers Moodle writes for it (English; compared normalised).
HEADERS = {
    "identifier": ("Identifier",),
    "full_name": ("Full name",),
    "email": ("Email address",),
    "status": ("Status",),
    "group": ("Group",),
    "grade": ("Grade",),
    "max": ("Maximum grade",),  # "Maximum Grade" in 4.1 and 4.2: the same once normalised
    "modified_grade": ("Last modified (grade)",),
    "feedback": ("Feedback comments",),
}
OVERRIDABLE = ("identifier", "grade", "max", "feedback", "full_name", "group")
_IDENT = re.compile(r"^\s*(\D*?)\s*(\d+)\s*$")


class WorksheetError(XlcnnError):
    """The grading worksheet cannot be read or lacks a column xlcnn needs."""


def normalise(header: str) -> str:
    """A header as compared: no BOM, case-folded, runs of spaces as one."""
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().casefold()


def parse_columns(text: str) -> dict[str, str]:
    """``grade=Note,max=Note maximale,feedback=Commentaires`` -> {"grade": "Note", ...}."""
    out = {}
    for part in [p for p in re.split(r",(?=\s*\w+\s*=)", text or "") if p.strip()]:
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or not value.strip():
            raise WorksheetError(f"--worksheet-columns: {part.strip()!r} is not name=header")
        if key not in OVERRIDABLE:
            raise WorksheetError(f"--worksheet-columns: unknown column {key!r} (known: {', '.join(OVERRIDABLE)})")
        out[key] = value.strip()
    return out


@dataclass
class Participant:
    uniqueid: str
    full_name: str = ""
    email: str = ""
    group: str = ""
    max_grade: float | None = None


# ------------------------------------------------------------------ CSV that remembers its bytes


def _tokenize(text: str, delimiter: str) -> list[tuple[list[str], str]]:
    """Records of ``text`` as (raw fields, line end): each field exactly as written, quotes included."""
    records: list[tuple[list[str], str]] = []
    fields: list[str] = []
    i, n, start = 0, len(text), 0
    quoted = False
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                quoted = False
            i += 1
            continue
        if ch == '"' and i == start:
            quoted = True
            i += 1
        elif ch == delimiter:
            fields.append(text[start:i])
            i += 1
            start = i
        elif ch in "\r\n":
            end = "\r\n" if text.startswith("\r\n", i) else ch
            fields.append(text[start:i])
            records.append((fields, end))
            fields = []
            i += len(end)
            start = i
        else:
            i += 1
    if start < n or fields:
        fields.append(text[start:n])
        records.append((fields, ""))
    return records


def _value(raw: str) -> str:
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1].replace('""', '"')
    return raw


def _quoting(records: list[tuple[list[str], str]]) -> str:
    """How the export quotes: "all" fields, "php" (fputcsv: quoted when holding a space or a
    special character), or "minimal" (only when needed)."""
    raws = [f for fields, _ in records for f in fields if f]
    if raws and all(f.startswith('"') for f in raws):
        return "all"
    if any(not f.startswith('"') and re.search(r"[ \t]", f) for f in raws):
        return "minimal"
    return "php"


@dataclass
class Worksheet:
    header: list[str]
    rows: list[list[str]]
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    decimal: str = "."
    newline: str = "\n"
    source: str = "worksheet"
    quoting: str = "php"
    columns: dict[str, int] = field(default_factory=dict)  # logical name -> index
    identifier_by_values: bool = False
    _raw: list[tuple[list[str], str]] = field(default_factory=list, repr=False)  # header first
    _trailing: str = field(default="", repr=False)

    def col(self, name: str) -> int | None:
        return self.columns.get(name)

    def get(self, row: list[str], name: str) -> str:
        i = self.col(name)
        return row[i] if i is not None and i < len(row) else ""

    def set(self, row: list[str], name: str, value: str) -> None:
        i = self.col(name)
        if i is None:
            raise WorksheetError(f"{self.source}: no {name} column")
        while len(row) <= i:
            row.append("")
        row[i] = value

    @property
    def blind(self) -> bool:
        """Blind marking: an English export with no full name column. On a site in another language a
        missing name column may just be unnamed: then nobody is matched by id alone."""
        return self.col("full_name") is None and not self.translated

    @property
    def translated(self) -> bool:
        """The Identifier column was recognised by its values, not its header."""
        return self.identifier_by_values

    def participant_id(self, row: list[str]) -> str:
        m = _IDENT.match(self.get(row, "identifier"))
        return m.group(2) if m else ""

    def participants(self) -> list[Participant]:
        out = []
        for row in self.rows:
            uid = self.participant_id(row)
            if uid:
                out.append(Participant(uid, self.get(row, "full_name").strip(), self.get(row, "email").strip(),
                                       self.get(row, "group").strip(), self.number(self.get(row, "max"))))
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
            if self.participant_id(row) == uniqueid:
                return row
        return None

    def quote(self, value: str) -> str:
        special = self.delimiter + '"\r\n'
        if self.quoting == "php":
            special += " \t\\"
        if self.quoting == "all" or any(c in special for c in value):
            return '"' + value.replace('"', '""') + '"'
        return value

    def text(self) -> str:
        """The worksheet as CSV text: unchanged fields byte for byte, changed ones quoted as the export does."""
        out = []
        records = [self.header] + self.rows
        for i, values in enumerate(records):
            raw, end = self._raw[i] if i < len(self._raw) else ([], self.newline)
            fields = [raw[j] if j < len(raw) and _value(raw[j]) == v else self.quote(v) for j, v in enumerate(values)]
            out.append(self.delimiter.join(fields) + (end or ("" if i == len(records) - 1 else self.newline)))
        return "".join(out) + self._trailing


def _find_columns(header: list[str], rows: list[list[str]], overrides: dict[str, str], source: str) -> dict[str, int]:
    norm = [normalise(h) for h in header]
    found: dict[str, int] = {}
    for key, names in HEADERS.items():
        wanted = {normalise(n) for n in names}
        hits = [i for i, h in enumerate(norm) if h in wanted]
        if hits:
            found[key] = hits[0]
    for key, name in overrides.items():
        hits = [i for i, h in enumerate(norm) if h == normalise(name)]
        if not hits:
            raise WorksheetError(f"{source}: --worksheet-columns {key}={name!r}: no such column "
                                 f"(found: {', '.join(repr(h) for h in header)})")
        found[key] = hits[0]
    if "identifier" not in found:  # another site language: the column whose every value is "<word> <number>"
        candidates = []
        for i in range(len(header)):
            values = [r[i].strip() for r in rows if i < len(r) and r[i].strip()]
            prefixes = {m.group(1) for m in map(_IDENT.match, values) if m}
            if values and all(_IDENT.match(v) for v in values) and len(prefixes) == 1 and prefixes != {""}:
                candidates.append(i)
        if len(candidates) == 1:
            found["identifier"] = candidates[0]
    return found


def read_worksheet(path: str | Path, columns: dict[str, str] | None = None) -> Worksheet:
    """The worksheet at ``path``; ``columns`` names columns a translated site calls otherwise."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise WorksheetError(f"{path}: cannot read the grading worksheet ({err.strerror or err})") from err
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        raise WorksheetError(f"{path}: this is a zip, not the grading worksheet (a CSV); is it the download? "
                             "Give the download first and the worksheet with --worksheet")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252", errors="replace"), "cp1252"
    newline = "\r\n" if "\r\n" in text[:10000] else "\n"
    try:
        delimiter = csv.Sniffer().sniff(text[:10000], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    records = _tokenize(text, delimiter)
    trailing = ""
    while records and not any(f.strip() for f in records[-1][0]):  # blank lines at the end
        fields, end = records.pop()
        trailing = delimiter.join(fields) + end + trailing
    if not records:
        raise WorksheetError(f"{path}: the grading worksheet is empty")
    values = [[_value(f) for f in fields] for fields, _ in records]
    header, rows = values[0], values[1:]
    found = _find_columns(header, rows, columns or {}, str(path))
    missing = [k for k in ("identifier", "grade", "feedback") if k not in found]
    if missing:
        names = {"identifier": "'Identifier'", "grade": "'Grade'", "feedback": "'Feedback comments'"}
        hint = ("enable feedback comments in the assignment, then export again; "
                if missing == ["feedback"] else "")
        raise WorksheetError(
            f"{path}: not Moodle's offline grading worksheet, or a site in another language: no "
            f"{', '.join(names[m] for m in missing)} column (found: {', '.join(repr(h) for h in header)}); "
            f"{hint}name them with --worksheet-columns grade=...,max=...,feedback=..."
        )
    by_values = normalise(header[found["identifier"]]) != "identifier" and "identifier" not in (columns or {})
    sheet = Worksheet(header, rows, delimiter, encoding, bom, newline=newline, source=str(path),
                      quoting=_quoting(records), columns=found, identifier_by_values=by_values, _raw=records,
                      _trailing=trailing)
    sheet.decimal = _decimal(sheet)
    return sheet


def build_worksheet(header: list[str], rows: list[list[str]], source: str) -> Worksheet:
    """A worksheet of the given header and rows (as Moodle's export writes them), not read from a file:
    what a pulled folder's participants make (:mod:`xlcnn.moodlews.snapshot`)."""
    sheet = Worksheet(list(header), [list(r) for r in rows], source=source, quoting="all",
                      columns=_find_columns(header, rows, {}, source), newline="\n", bom=True)
    sheet._raw = [([sheet.quote(v) for v in header], "\n")] + [([sheet.quote(v) for v in r], "\n") for r in rows]
    sheet.decimal = _decimal(sheet)
    return sheet


def _decimal(sheet: Worksheet) -> str:
    for row in sheet.rows:
        for name in ("max", "grade"):
            value = sheet.get(row, name).strip()
            if re.fullmatch(r"-?\d+,\d+", value):
                return ","
            if re.fullmatch(r"-?\d+\.\d+", value):
                return "."
    return "."


def write_worksheet(sheet: Worksheet, path: Path) -> None:
    data = sheet.text().encode(sheet.encoding, errors="replace")
    if sheet.bom:
        data = b"\xef\xbb\xbf" + data
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
