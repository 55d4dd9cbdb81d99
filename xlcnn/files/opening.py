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
import shutil
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
from .cells import stored_cell, stored_cells
from .safezip import WORKBOOK_LIMITS, ZipLimits, check_inflated, check_zip, read_member

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
    workbook: object  # openpyxl.Workbook: the cells, formulas as text
    cached: dict[tuple[str, str], object]  # (sheet, coordinate) of a formula cell -> cached value or None
    kind: str  # "xlsx", "xlsm", "ods", "xls"
    converted: bool = False  # read through LibreOffice
    notes: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # what in it points outside it (see workbook.external)
    skipped: dict[str, int] = field(default_factory=dict)  # sheets too large to load: name -> bytes

    @property
    def name(self) -> str:
        return self.path.name

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def _raw(self, sheet: str, coord: str):
        """The stored content of a cell (None when the file holds no such cell), read without
        openpyxl's range parsing and without creating the cell: reading is a hot path."""
        sheets = self.__dict__.get("_sheets")
        if sheets is None:
            sheets = self.__dict__["_sheets"] = {ws.title: ws for ws in self.workbook.worksheets}
        ws = sheets.get(sheet)
        if ws is None:
            return self.workbook[sheet][coord].value  # openpyxl's own error for an unknown sheet
        cell = stored_cell(ws, *coordinate_to_tuple(coord))
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, str) and len(value) > MAX_TEXT:  # a 10 MB string is no answer: its head is enough
            return value[:MAX_TEXT] + f"… ({len(value):,} characters)"
        return value

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
        for ws in self.workbook.worksheets:
            for cell in stored_cells(ws):  # the cells the file holds, never the whole used range
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
    from .xlsx_values import sheet_paths

    out: dict[tuple[str, str], object] = {}
    with zipfile.ZipFile(path) as zf:
        texts = texts if texts is not None else read_parts(zf)
        for sheet, part in sheet_paths(zf).items():
            if part not in texts:
                continue
            xml = texts[part].decode("utf-8", "replace")
            for m in _CELL.finditer(xml):
                body = m.group(2) or ""
                if not _FORMULA.search(body):  # a formula element, not <family> of a rich-text run
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
                    value = _xml_text(v.group(1))
                elif kind == "b":
                    value = v.group(1).strip() == "1"
                elif kind == "e":
                    value = v.group(1).strip()
                else:
                    try:
                        num = float(v.group(1))
                        value = (int(num) if num.is_integer() and "." not in v.group(1)
                                 and "E" not in v.group(1).upper() else num)
                    except ValueError:
                        value = None
                out[(sheet, ref.group(1))] = value
    return out


_FORMULA = re.compile(r"<(?:\w+:)?f[\s/>]")
_ESCAPE = re.compile(r"&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _char(code: int) -> str:
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _xml_text(raw: str) -> str:
    """Character data as an XML parser gives it: the five entities and character references decoded."""
    return _ESCAPE.sub(lambda m: _char(int(m.group(1))) if m.group(1) else _char(int(m.group(2), 16))
                       if m.group(2) else _NAMED[m.group(3)], raw)


def _holds_any(path: Path, needles: tuple[bytes, ...], chunk: int = 1 << 20) -> bool:
    """Whether the file's bytes contain one of ``needles``, read a megabyte at a time (an OLE file of
    any size is never held whole in memory)."""
    keep = max(len(n) for n in needles) - 1
    tail = b""
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            data = tail + block
            if any(n in data for n in needles):
                return True
            tail = data[-keep:]
    return False


def sniff(path: Path) -> str:
    """The real type of ``path`` from its bytes: xlsx, xlsm, ods, xls, encrypted; or raise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as err:
        raise WorkbookError(f"cannot be read ({err.strerror or err})", path=path) from err
    if not head:
        raise WorkbookError("not a workbook (the file is empty)", path=path)
    if head.startswith(CFB_MAGIC):
        if _holds_any(path, ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))):
            return "encrypted"
        return "xls"
    if not head.startswith(b"PK"):
        raise WorkbookError("not a workbook (neither an Excel nor an OpenDocument file)", path=path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200 and \
                    ODS_MIME in read_member(zf, "mimetype", 200, path.name):
                return "ods"
            if "[Content_Types].xml" not in names:
                raise WorkbookError("not a workbook (a zip archive without [Content_Types].xml)", path=path)
            types = read_member(zf, "[Content_Types].xml", 1_000_000, path.name) \
                if zf.getinfo("[Content_Types].xml").file_size < 1_000_000 else b""
            return "xlsm" if b"macroEnabled" in types or "xl/vbaProject.bin" in names else "xlsx"
    except zipfile.BadZipFile as err:
        raise WorkbookError(f"not a workbook (a damaged or truncated zip: {err})", path=path) from err


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
        raise WorkbookError(f"not a readable workbook, a damaged or unusual zip "
                            f"({type(err).__name__}: {str(err)[:160]})", path=path) from err


def read_parts(zf: zipfile.ZipFile, limit: int = 64 * 2**20, sheet_limit: int | None = None) -> dict[str, bytes]:
    """The XML parts (.xml, .rels) of a checked zip, read once for every scan of the file; with
    ``sheet_limit``, a worksheet larger than that is not read (see :func:`_sanitised`)."""
    return {info.filename: read_member(zf, info, info.file_size) for info in zf.infolist()
            if info.filename.endswith((".xml", ".rels")) and 0 < info.file_size <= limit
            and not (sheet_limit and "worksheets/" in info.filename and info.file_size > sheet_limit)}


MAX_SHEET_BYTES = 8 * 2**20  # a worksheet's XML larger than this is not loaded (a sheet of answers is ~100 KB)
MAX_TEXT = 2000  # characters of one cell's text read; the rest is cut (a 10 MB string is no answer)
MAX_LINK_CELLS = 10_000  # a hyperlink over more cells is dropped before openpyxl would create each cell
_HYPERLINKS = re.compile(rb"<(?:\w+:)?hyperlinks\b.*?</(?:\w+:)?hyperlinks>|<(?:\w+:)?hyperlinks\s*/>", re.S)
_LINK_REF = re.compile(rb'<(?:\w+:)?hyperlink\b[^>]*\bref="([^"]{1,64})"')
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def _wide_links(xml: bytes) -> bool:
    for m in _LINK_REF.finditer(xml):
        try:
            c1, r1, c2, r2 = range_boundaries(m.group(1).decode("ascii", "replace"))
        except (ValueError, TypeError):
            return True
        if None in (c1, r1, c2, r2) or ((r2 - r1 + 1) * (c2 - c1 + 1)) > MAX_LINK_CELLS:
            return True
    return False


def _sanitised(real: Path, zf: zipfile.ZipFile, texts: dict[str, bytes], label: str,
               workdir: Path) -> tuple[Path, dict[str, int], list[str]]:
    """What openpyxl may load of a big but legal workbook, without materialising what xlcnn never reads:
    a worksheet over :data:`MAX_SHEET_BYTES` becomes an empty sheet (its name and size kept, so a
    region on it is an error, never a blank answer), and hyperlinks over whole rows or columns are
    dropped (openpyxl would create every cell they cover). Returns the file to load (``real`` itself
    when nothing needs changing), the sheets left out (name -> bytes) and notes."""
    from .xlsx_values import sheet_paths

    infos = zf.infolist()
    big = {i.filename: i.file_size for i in infos if "worksheets/" in i.filename and i.filename.endswith(".xml")
           and i.file_size > MAX_SHEET_BYTES}
    linked = {name for name, data in texts.items() if "worksheets/" in name and b"hyperlink" in data
              and _wide_links(data)}
    if not big and not linked:
        return real, {}, []
    names = {part: sheet for sheet, part in sheet_paths(zf).items()}
    skipped = {names.get(part, part): size for part, size in big.items()}
    notes = [f"sheet {sheet!r} ({size / 2**20:.0f} MB) is larger than the {MAX_SHEET_BYTES // 2**20} MB a sheet "
             "may have and was not read" for sheet, size in skipped.items()]
    notes += [f"sheet {names.get(part, part)!r}: hyperlinks over whole rows or columns were ignored" for part in linked]
    out = Path(tempfile.mkdtemp(prefix="xlcnn-sane-", dir=workdir)) / "workbook.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            if info.filename in big:
                dst.writestr(info.filename, _EMPTY_SHEET)
            elif info.filename in linked:
                dst.writestr(info.filename, _HYPERLINKS.sub(b"", texts[info.filename]))
            else:
                with zf.open(info) as src, dst.open(info.filename, "w") as sink:
                    shutil.copyfileobj(src, sink, 1 << 20)
    return out, skipped, [f"{label}: {n}" for n in notes]


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
                    shown = m.group(1)[:40].decode("ascii", "replace")
                    raise UnsafeFileError(f"{label}: refused, {name} merges {shown!r}, which is not a "
                                          "range") from None
                cells = ((r2 or 1) - (r1 or 1) + 1) * ((c2 or 1) - (c1 or 1) + 1)
                if None in (c1, r1, c2, r2) or cells > MAX_MERGED_CELLS:
                    raise UnsafeFileError(
                        f"{label}: refused, {name} merges {m.group(1).decode('ascii', 'replace')} "
                        f"({'whole rows or columns' if None in (c1, r1, c2, r2) else f'{cells:,} cells'}), "
                        f"more than the limit of {MAX_MERGED_CELLS:,}")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]{1,64})"')
MAX_MERGED_CELLS = 100_000


def _open_workbook(path: Path, limits: ZipLimits, convert_dir: Path | None) -> Book:
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file")
    kind = sniff(path)
    if kind == "encrypted":
        raise WorkbookError("the workbook is password-protected (encrypted); save it without a password", path=path)
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
        check_inflated(path, path.name, limits)  # LibreOffice trusts no header: count what it would inflate
        with zipfile.ZipFile(path) as zf:
            check_parts(zf, path.name)
    except (WorkbookError, MemoryError):
        raise
    except ZIP_READ_ERRORS as err:
        raise WorkbookError(f"not a readable workbook, a damaged or unusual zip "
                            f"({type(err).__name__}: {str(err)[:160]})", path=path) from err


def _open_converted(path: Path, kind: str, limits: ZipLimits, convert_dir: Path | None) -> Book:
    from .libreoffice import LibreOfficeError, convert_to_xlsx

    precheck(path, limits)

    with tempfile.TemporaryDirectory(prefix="xlcnn-conv-") as tmp:
        outdir = Path(convert_dir or tmp)
        try:
            [result] = convert_to_xlsx([path], outdir)
        except LibreOfficeError as err:
            raise WorkbookError(f"a .{kind} file is read through LibreOffice: {err}", path=path) from err
        if result.output is None:
            raise WorkbookError(f"LibreOffice could not read this .{kind} file ({result.error})", path=path)
        book = _load(result.output, path, kind, limits)
        book.converted = True
        return book


def _load(real: Path, original: Path, kind: str, limits: ZipLimits) -> Book:
    import openpyxl

    label = original.name
    workdir = Path(tempfile.gettempdir())
    try:
        with zipfile.ZipFile(real) as zf:
            check_zip(zf, label, limits)
        check_inflated(real, label, limits)  # what the members really hold, before anything reads them whole
        with zipfile.ZipFile(real) as zf:
            _check_sheet_parts(zf, label)
            texts = read_parts(zf, sheet_limit=MAX_SHEET_BYTES)
            check_parts(texts, label)
            loaded, skipped, notes = _sanitised(real, zf, texts, label, workdir)
    except zipfile.BadZipFile as err:
        raise WorkbookError(f"{label}: not a workbook (a damaged or truncated zip: {err})") from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions etc.
            formulas = openpyxl.load_workbook(loaded, data_only=False, keep_vba=False, keep_links=False)
            cached = cached_values(loaded, texts)
    except UnsafeFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise WorkbookError(f"{label}: damaged workbook ({type(err).__name__}: {err})") from err
    except KeyError as err:
        raise WorkbookError(f"{label}: not a workbook (missing part {err})") from err
    except MemoryError:
        raise  # over the memory limit: the worker's own message ("too large ...") says so
    except Exception as err:  # openpyxl raises many types for malformed parts; defusedxml's are ValueErrors
        cause = err.__cause__ or err.__context__
        name = type(cause or err).__name__
        if "Entities" in name or "DTD" in name or "ExternalReference" in name:
            raise UnsafeFileError(f"{label}: refused, its XML declares entities ({name}): possible XML attack") from err
        raise WorkbookError(f"{label}: cannot read the workbook ({type(err).__name__}: {err})") from err
    finally:
        if loaded != real:
            shutil.rmtree(loaded.parent, ignore_errors=True)
    from .external import references_in_parts

    external = sorted(set(references_in_parts(texts)) | set(scan_external(original) if original != real else []))
    return Book(original, formulas, cached, kind, notes=notes, external=external, skipped=skipped)


def _check_sheet_parts(zf: zipfile.ZipFile, label: str) -> None:
    """A sheet the workbook lists whose part is not in the file is damage, said as such (openpyxl would
    leave the sheet out, and a student be told later that the sheet does not exist)."""
    from .xlsx_values import sheet_paths

    names = set(zf.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return  # not this kind of file, or openpyxl says what is missing
    try:
        parts = sheet_paths(zf)
    except Exception:  # noqa: BLE001 - an unreadable workbook.xml: openpyxl reports it, with its reason
        return
    missing = [(sheet, part) for sheet, part in parts.items() if part != "xl" and part not in names]
    if missing:
        sheet, part = missing[0]
        raise WorkbookError(f"{label}: damaged workbook (missing part {part} of sheet {sheet!r})")


def scan_external(original: Path, *copies: Path) -> list[str]:
    """References outside the workbook in the file as handed in and in LibreOffice's copies of it."""
    from .external import external_references

    found: set[str] = set()
    for path in {Path(original), *map(Path, copies)}:
        found.update(external_references(path))
    return sorted(found)


# a formula element followed by no value: <f>..</f></c>, <f>..</f><v/>, <f .../></c>
_UNCACHED = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
                       rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>|</(?:\w+:)?c>)")


def needs_libreoffice(path: Path, recalc: str = "auto") -> bool:
    """Whether ``path`` must go through LibreOffice before it is read: an .ods or .xls (read through it),
    any workbook with ``recalc="always"``, and with ``"auto"`` one holding a formula without a cached
    value (a cheap look at the sheet XML, after the zip checks). The one rule ``check`` and ``grade``
    both follow; raises on a file that is no workbook."""
    kind = sniff(Path(path))
    if kind in ("ods", "xls"):
        return True
    if recalc == "always":
        return kind in ("xlsx", "xlsm")
    if recalc == "never" or kind not in ("xlsx", "xlsm"):
        return False
    with zipfile.ZipFile(path) as zf:
        check_zip(zf, Path(path).name)
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml") \
                    and info.file_size <= MAX_SHEET_BYTES and _UNCACHED.search(read_member(zf, info, info.file_size)):
                return True
    return False
