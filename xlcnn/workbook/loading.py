"""Open an untrusted workbook safely: sniff its real type, check its zip, load it twice.

* ``.xlsx``/``.xlsm`` (whatever the extension says, the bytes decide) are checked as
  zips and loaded by openpyxl, which never runs macros (``keep_vba`` stays off) and
  uses defusedxml against XML entity attacks;
* ``.ods`` and ``.xls`` are converted to ``.xlsx`` by LibreOffice (macros disabled);
* an encrypted (password-protected) file, a zip that is not a workbook, or
  anything else gets one :class:`WorkbookError` naming the file and the reason.

A :class:`Book` holds the cells (formulas as text) and the cached value of every formula.
"""

from __future__ import annotations

import re
import struct
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple

from ..errors import UnsafeFileError, WorkbookError
from .safezip import WORKBOOK_LIMITS, ZipLimits, check_zip

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _formula_text(value):
    if isinstance(value, str) and value.startswith("="):
        return value
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return getattr(value, "text", str(value))
    return None


@dataclass
class Book:
    """A loaded workbook: the cells as openpyxl reads them (formulas as text) and, for
    formula cells, the values Excel or LibreOffice cached in the file.

    The workbook is parsed once; cached values are read from the sheets' XML (what
    ``load_workbook(data_only=True)`` would give, at a fraction of the cost).
    """

    path: Path  # the original file, never modified
    formulas: object  # openpyxl.Workbook
    cached: dict[tuple[str, str], object]  # (sheet, coordinate) of a formula cell -> cached value or None
    kind: str  # "xlsx", "xlsm", "ods", "xls"
    converted: bool = False  # read through LibreOffice
    notes: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # what in it points outside it (see workbook.external)

    @property
    def name(self) -> str:
        return self.path.name

    def sheet_names(self) -> list[str]:
        return list(self.formulas.sheetnames)

    def _raw(self, sheet: str, coord: str):
        """The stored content of a cell (None when the file holds no such cell), read without
        openpyxl's range parsing and without creating the cell: reading is a hot path."""
        sheets = self.__dict__.get("_sheets")
        if sheets is None:
            sheets = self.__dict__["_sheets"] = {ws.title: ws for ws in self.formulas.worksheets}
        ws = sheets.get(sheet)
        if ws is None:
            return self.formulas[sheet][coord].value  # openpyxl's own error for an unknown sheet
        cell = ws._cells.get(coordinate_to_tuple(coord))
        return None if cell is None else cell.value

    def formula(self, sheet: str, coord: str):
        return _formula_text(self._raw(sheet, coord))

    def value(self, sheet: str, coord: str):
        """The cell's value as a viewer shows it: the cached value of a formula."""
        if (sheet, coord) in self.cached:
            return self.cached[(sheet, coord)]
        value = self._raw(sheet, coord)
        if _formula_text(value):  # a formula the scan did not see: no cached value
            return None
        return value

    def uncalculated(self) -> list[tuple[str, str]]:
        """Formula cells with no cached value: (sheet, coordinate)."""
        out = []
        for ws in self.formulas.worksheets:
            for cell in list(ws._cells.values()):  # the cells the file holds, never the whole used range
                if cell.data_type == "f" and self.cached.get((ws.title, cell.coordinate)) is None:
                    out.append((ws.title, cell.coordinate))
        return out


# A cell element and its body; the body may not run past the next cell tag, so a file of unclosed
# or look-alike tags (<c-x>) is scanned in linear time.
_CELL = re.compile(r"<(?:\w+:)?c(?=[\s/>])([^>]*?)(?:/>|>((?:(?!<(?:\w+:)?c[\s/>]).)*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+\d+)"')
_TYPE = re.compile(r'\bt="(\w+)"')
_V = re.compile(r"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)


def cached_values(path: Path, texts: dict[str, bytes] | None = None) -> dict[tuple[str, str], object]:
    """Cached values of every formula cell, read from the sheet XML of an .xlsx/.xlsm (``texts``: its
    parts as :func:`read_parts` read them, to read nothing twice)."""
    from xml.sax.saxutils import unescape

    from .cached import _sheet_paths

    out: dict[tuple[str, str], object] = {}
    with zipfile.ZipFile(path) as zf:
        texts = texts if texts is not None else read_parts(zf)
        for sheet, part in _sheet_paths(zf).items():
            if part not in texts:
                continue
            xml = texts[part].decode("utf-8", "replace")
            for m in _CELL.finditer(xml):
                body = m.group(2) or ""
                if "<f" not in body and ":f" not in body:
                    continue
                ref = _REF.search(m.group(1))
                if not ref:
                    continue
                v = _V.search(body)
                t = _TYPE.search(m.group(1))
                kind = t.group(1) if t else "n"
                if v is None:
                    value = None
                elif kind in ("str", "inlineStr"):
                    value = unescape(v.group(1))
                elif kind == "b":
                    value = v.group(1).strip() == "1"
                elif kind == "e":
                    value = v.group(1).strip()
                else:
                    try:
                        num = float(v.group(1))
                        value = int(num) if num.is_integer() and "." not in v.group(1) and "E" not in v.group(1).upper() else num
                    except ValueError:
                        value = None
                out[(sheet, ref.group(1))] = value
    return out


def sniff(path: Path) -> str:
    """The real type of ``path`` from its bytes: xlsx, xlsm, ods, xls, encrypted; or raise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as err:
        raise WorkbookError(f"{path.name}: cannot be read ({err.strerror or err})") from err
    if not head:
        raise WorkbookError(f"{path.name}: not a workbook (the file is empty)")
    if head.startswith(CFB_MAGIC):
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        return "xls"
    if not head.startswith(b"PK"):
        raise WorkbookError(f"{path.name}: not a workbook (neither an Excel nor an OpenDocument file)")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200 and ODS_MIME in zf.read("mimetype"):
                return "ods"
            if "[Content_Types].xml" not in names:
                raise WorkbookError(f"{path.name}: not a workbook (a zip archive without [Content_Types].xml)")
            types = zf.read("[Content_Types].xml") if zf.getinfo("[Content_Types].xml").file_size < 1_000_000 else b""
            return "xlsm" if b"macroEnabled" in types or "xl/vbaProject.bin" in names else "xlsx"
    except zipfile.BadZipFile as err:
        raise WorkbookError(f"{path.name}: not a workbook (a damaged or truncated zip: {err})") from err


# What reading a damaged or hostile zip can raise besides BadZipFile: a corrupt deflate stream, an
# unsupported compression method or zip version, a member name that is not valid UTF-8, a missing
# local header (central directory only), an encrypted member, a truncated stream.
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, UnicodeDecodeError, EOFError, RuntimeError,
                   OSError, ValueError, struct.error)


def open_workbook(path: str | Path, limits: ZipLimits = WORKBOOK_LIMITS, *, convert_dir: Path | None = None) -> Book:
    """Load ``path`` (any supported type) without ever modifying it or running its macros."""
    path = Path(path)
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file")
    try:
        return _open_workbook(path, limits, convert_dir)
    except (WorkbookError, MemoryError, RecursionError):
        raise
    except ZIP_READ_ERRORS as err:
        raise WorkbookError(f"{path.name}: not a readable workbook, a damaged or unusual zip "
                            f"({type(err).__name__}: {str(err)[:160]})") from err


def read_parts(zf: zipfile.ZipFile, limit: int = 64 * 2**20) -> dict[str, bytes]:
    """The XML parts (.xml, .rels) of a checked zip, read once for every scan of the file."""
    return {info.filename: zf.read(info) for info in zf.infolist()
            if info.filename.endswith((".xml", ".rels")) and 0 < info.file_size <= limit}


def check_parts(zf: zipfile.ZipFile | dict[str, bytes], label: str) -> None:
    """Refuse, before any XML parser or LibreOffice sees them, parts that declare entities or a DTD
    (XML attacks) and merged ranges so large that a reader would create millions of cells.
    ``zf`` is the zip, or its parts as :func:`read_parts` gives them."""
    texts = read_parts(zf) if isinstance(zf, zipfile.ZipFile) else zf
    for name, data in texts.items():
        head = data[:4096]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise UnsafeFileError(f"{label}: refused, its XML declares entities or a DTD (part {name!r}) "
                                  "(possible XML attack)")
        if "worksheets/" in name and b"mergeCell" in data:
            for m in _MERGE.finditer(data):
                try:
                    c1, r1, c2, r2 = range_boundaries(m.group(1).decode("ascii", "replace"))
                except (ValueError, TypeError):
                    raise UnsafeFileError(f"{label}: {name}: a merged range {m.group(1)[:40]!r} that is not a range") from None
                cells = ((r2 or 1) - (r1 or 1) + 1) * ((c2 or 1) - (c1 or 1) + 1)
                if None in (c1, r1, c2, r2) or cells > MAX_MERGED_CELLS:
                    raise UnsafeFileError(f"{label}: refused, {name} merges {m.group(1).decode('ascii', 'replace')} "
                                          f"({'whole rows or columns' if None in (c1, r1, c2, r2) else f'{cells:,} cells'}), "
                                          f"more than the limit of {MAX_MERGED_CELLS:,}")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]{1,64})"')
MAX_MERGED_CELLS = 100_000


def _open_workbook(path: Path, limits: ZipLimits, convert_dir: Path | None) -> Book:
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file")
    kind = sniff(path)
    if kind == "encrypted":
        raise WorkbookError(f"{path.name}: the workbook is password-protected (encrypted); save it without a password")
    if kind in ("ods", "xls"):
        return _open_converted(path, kind, limits, convert_dir)
    return _load(path, path, kind, limits)


def precheck(path: Path, limits: ZipLimits = WORKBOOK_LIMITS) -> None:
    """The checks a file passes before LibreOffice may open it: for a zip-based file (.xlsx, .xlsm,
    .ods), the zip limits and :func:`check_parts`; raises WorkbookError or UnsafeFileError."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            if fh.read(2) != b"PK":
                return
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, path.name, limits)
            check_parts(zf, path.name)
    except (WorkbookError, MemoryError):
        raise
    except ZIP_READ_ERRORS as err:
        raise WorkbookError(f"{path.name}: not a readable workbook, a damaged or unusual zip "
                            f"({type(err).__name__}: {str(err)[:160]})") from err


def _open_converted(path: Path, kind: str, limits: ZipLimits, convert_dir: Path | None) -> Book:
    from .libreoffice import LibreOfficeError, convert_to_xlsx

    precheck(path, limits)

    with tempfile.TemporaryDirectory(prefix="xlcnn-conv-") as tmp:
        outdir = Path(convert_dir or tmp)
        try:
            [result] = convert_to_xlsx([path], outdir)
        except LibreOfficeError as err:
            raise WorkbookError(f"{path.name}: a .{kind} file is read through LibreOffice: {err}") from err
        if result.output is None:
            raise WorkbookError(f"{path.name}: LibreOffice could not read this .{kind} file ({result.error})")
        book = _load(result.output, path, kind, limits)
        book.converted = True
        return book


def _load(real: Path, original: Path, kind: str, limits: ZipLimits) -> Book:
    import openpyxl

    label = original.name
    try:
        with zipfile.ZipFile(real) as zf:
            check_zip(zf, label, limits)
            texts = read_parts(zf)
        check_parts(texts, label)
    except zipfile.BadZipFile as err:
        raise WorkbookError(f"{label}: not a workbook (a damaged or truncated zip: {err})") from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions etc.
            formulas = openpyxl.load_workbook(real, data_only=False, keep_vba=False, keep_links=False)
            cached = cached_values(real, texts)
    except UnsafeFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise WorkbookError(f"{label}: damaged workbook ({type(err).__name__}: {err})") from err
    except KeyError as err:
        raise WorkbookError(f"{label}: not a workbook (missing part {err})") from err
    except Exception as err:  # openpyxl raises many types for malformed parts; defusedxml's are ValueErrors
        cause = err.__cause__ or err.__context__
        name = type(cause or err).__name__
        if "Entities" in name or "DTD" in name or "ExternalReference" in name:
            raise UnsafeFileError(f"{label}: refused, its XML declares entities ({name}): possible XML attack") from err
        raise WorkbookError(f"{label}: cannot read the workbook ({type(err).__name__}: {err})") from err
    from .external import references_in_parts

    external = sorted(set(references_in_parts(texts)) | set(scan_external(original) if original != real else []))
    return Book(original, formulas, cached, kind, external=external)


def scan_external(original: Path, *copies: Path) -> list[str]:
    """References outside the workbook in the file as handed in and in LibreOffice's copies of it."""
    from .external import external_references

    found: set[str] = set()
    for path in {Path(original), *map(Path, copies)}:
        found.update(external_references(path))
    return sorted(found)
