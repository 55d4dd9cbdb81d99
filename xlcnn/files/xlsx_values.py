"""Saving workbooks with cached values for the formulas we write, reproducibly.

openpyxl saves formulas without their values, so viewers, previews and
``data_only`` readers see empty cells. :func:`save_workbook` saves with openpyxl,
then writes each formula's value into the cell's ``<v>`` element of the sheet
XML (fixed timestamps: a re-run gives the same bytes), then moves the file into
place atomically. Also :func:`as_text`: text from a student's file is written as
text, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET

from .atomic import atomic_write
from .cells import stored_cells

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def as_text(ws) -> None:
    """Every cell of the openpyxl sheet ``ws`` that openpyxl took for a formula (a text starting with
    "=", e.g. a participant named ``=HYPERLINK(...)``) is written as the text it is. For sheets that
    hold text from Moodle or students, never the students' own sheets."""
    for cell in stored_cells(ws):
        if cell.data_type == "f":
            cell.data_type = "s"


FIXED_TIME = "2024-01-01T00:00:00Z"


COMPRESSLEVEL = 1  # fast: a grader writes one annotated copy per submission; files stay small anyway


def save_workbook(wb, path: Path, values: dict[tuple[str, str], object] | None = None,
                  reproducible: bool = True) -> None:
    """Save the openpyxl workbook ``wb`` to ``path`` atomically, caching ``values``.

    ``values`` maps (sheet title, cell coordinate) of formula cells to their value.
    ``reproducible`` fixes the document's timestamps and the zip entries' dates, so
    the same workbook always gives the same bytes (a re-run changes nothing).
    """

    def write(tmp: Path) -> None:
        if not (values or reproducible):
            wb.save(tmp)
            return
        from openpyxl.writer.excel import ExcelWriter

        buf = io.BytesIO()  # openpyxl writes uncompressed into memory; the rewrite compresses once
        wb.properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)  # as openpyxl's save does
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).write_data()
        _rewrite(buf, tmp, values or {}, reproducible)

    atomic_write(path, write)


def sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    wbxml = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in wbxml.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name")] = path
    return out


def _cell_xml(value: object) -> tuple[str, str]:
    """(type attribute, <v> text) for a cached value."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, (int, float)):
        v = float(value)
        return "", str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return ' t="str"', escape(str(value))


_TIMESTAMP = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _rewrite(source, out: Path, values: dict[tuple[str, str], object], reproducible: bool) -> None:
    """Copy the workbook zip ``source`` (a path or a file object) to ``out`` with ``values`` cached
    and, when ``reproducible``, fixed timestamps; compressed."""
    with zipfile.ZipFile(source) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
        sheets = sheet_paths(zf)
    by_part: dict[str, dict[str, object]] = {}
    for (sheet, coord), value in values.items():
        by_part.setdefault(sheets[sheet], {})[coord] = value
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as zw:
        for info, data in items:
            cells = by_part.get(info.filename)
            if cells:
                data = _patch(data.decode("utf-8"), cells).encode("utf-8")
            if reproducible:
                if info.filename == "docProps/core.xml":
                    data = _TIMESTAMP.sub(rf"\g<1>{FIXED_TIME}\g<2>", data.decode("utf-8")).encode("utf-8")
                info = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zw.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL)


# a formula cell as openpyxl writes it, with an empty value: <v/> (its own writer) or <v></v> (lxml's)
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+\d+)"([^>]*)>(<f(?:\s[^>]*)?>.*?</f>)(?:<v\s*/>|<v>\s*</v>)(</c>)', re.S)


def _patch(xml: str, cells: dict[str, object]) -> str:
    def sub(m: re.Match) -> str:
        coord, attrs, formula, end = m.groups()
        if coord not in cells:
            return m.group(0)
        t, v = _cell_xml(cells[coord])
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        return f'<c r="{coord}"{attrs}{t}>{formula}<v>{v}</v>{end}'

    return _FORMULA_CELL.sub(sub, xml)
