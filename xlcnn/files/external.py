"""References to anything outside a workbook: the reasons to flag a file that points elsewhere.

A student's workbook may try to make the grading machine read another file or reach the
network when LibreOffice recalculates it: ``INDIRECT`` with a path or URL, ``DDE``,
``WEBSERVICE``, external workbook links, linked (not embedded) pictures and OLE objects,
linked sheets. LibreOffice runs confined and never resolves them (see
:mod:`xlcnn.files.libreoffice`); this module finds them, in the file as handed in and in
LibreOffice's recalculated copy, so the submission is flagged instead of silently graded.
Works on the zip's XML as text (after the zip checks), in time linear in its size.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from .safezip import check_zip

FLAG = "refers to a file outside the workbook"

_URL = re.compile(r"(?:file:|[a-z][a-z0-9+.-]{1,15}://|\\\\[^\\\s\"']+\\)", re.I)
_FUNCS = re.compile(r"\b(DDE|WEBSERVICE|INDIRECT)\s*\(", re.I)
_EXTERNAL_BOOK = re.compile(r"(?:^|[^A-Za-z0-9_])\[\d+\][^!\"]*!")  # OOXML: [1]Sheet1!A1
_FORMULA_XLSX = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]{0,32767})</(?:\w+:)?f>")
_FORMULA_ODS = re.compile(rb'table:formula="([^"]{0,32767})"')
_STRING_XLSX = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]{0,32767})</(?:\w+:)?t>")
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_ODS_LINK = re.compile(rb'<(draw:image|draw:object|draw:object-ole|draw:plugin|draw:floating-frame|'
                       rb'table:table-source|table:cell-range-source|office:dde-source|table:dde-source|'
                       rb'text:section-source)\b[^>]*>')
_HREF = re.compile(rb'(?:xlink:href|table:href|office:dde-application|office:dde-topic)="([^"]*)"')
MAX_PART = 64 * 2**20  # bytes of one XML part read (the zip checks bound the whole)


def _formula_reasons(formula: str, strings_with_urls: bool) -> list[str]:
    out = []
    text = html.unescape(formula)
    literals = " ".join(re.findall(r'"((?:[^"]|"")*)"', text))
    funcs = {m.group(1).upper() for m in _FUNCS.finditer(text)}
    if "DDE" in funcs:
        out.append("DDE")
    if "WEBSERVICE" in funcs:
        out.append("WEBSERVICE")
    if "INDIRECT" in funcs and (_URL.search(literals) or "#$" in literals or strings_with_urls
                                or re.search(r"\.(xls[xmb]?|ods|csv|txt)\b", literals, re.I)):
        out.append("INDIRECT to another file")
    if _URL.search(literals) and not re.match(r"\s*(of:)?=?\s*HYPERLINK\s*\(", text, re.I) and not out:
        out.append("a path or address in a formula")
    if (_EXTERNAL_BOOK.search(re.sub(r'"(?:[^"]|"")*"', "", text))
            or re.search(r"'(file:|[a-z]+://)[^']*'#", text, re.I)):
        out.append("a reference to another workbook")
    return out


def _rel_reasons(name: str, data: bytes) -> list[str]:
    out = []
    for rel in _REL.findall(data):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(rel)}
        if attrs.get("TargetMode", "").lower() != "external":
            continue
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if kind == "hyperlink":
            continue  # a link a reader may click: never followed by a recalculation
        label = {"image": "a linked picture", "oleObject": "a linked object", "externalLinkPath": "an external link",
                 "attachedTemplate": "a remote template", "frame": "a linked frame"}.get(kind, f"an external {kind}")
        out.append(f"{label} ({attrs.get('Target', '')[:200]})")
    return out


def external_references(path: Path) -> list[str]:
    """What in the workbook at ``path`` points outside it (empty when nothing does). Handles
    .xlsx/.xlsm and .ods; other formats (and unreadable zips) give nothing here: they are scanned
    after LibreOffice converted them, and the loader reports a damaged file."""
    try:
        return _scan(path)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - a damaged zip: the loader says why, with the file's name
        return []


def _scan(path: Path) -> list[str]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return []
    with zf:
        try:
            check_zip(zf, Path(path).name)
        except Exception:  # noqa: BLE001 - the loader reports unsafe zips; nothing to scan here
            return []
        names = zf.namelist()
        parts = [n for n in names if n.endswith((".xml", ".rels")) and zf.getinfo(n).file_size <= MAX_PART]
        texts = {n: zf.read(n) for n in parts}
    return references_in_parts(texts)


def references_in_parts(texts: dict[str, bytes]) -> list[str]:
    """What the XML parts ``texts`` (name -> bytes) of one workbook point to outside it."""
    found: list[str] = []
    ods = "content.xml" in texts and not any(n.startswith("xl/") for n in texts)
    if ods:
        texts = {n: d for n, d in texts.items() if n in ("content.xml", "styles.xml") or n.endswith(".rels")}
    for name, data in texts.items():
        if name.startswith("xl/externalLinks/") and name.endswith(".xml"):
            found.append(f"an external workbook link ({name})")
        if name.endswith(".rels"):
            found.extend(_rel_reasons(name, data))
    strings_with_urls = any(_URL.search(html.unescape(m.decode("utf-8", "replace")))
                            for d in texts.values() for m in _STRING_XLSX.findall(d))
    formula_re = _FORMULA_ODS if ods else _FORMULA_XLSX
    for name, data in texts.items():  # noqa: B007 - unused; left unrenamed
        if ods:
            for tag in _ODS_LINK.finditer(data):
                kind = tag.group(1).decode().split(":")[1]
                source = kind.endswith(("dde-source", "table-source", "cell-range-source"))
                for href in _HREF.findall(tag.group(0)):
                    target = html.unescape(href.decode("utf-8", "replace"))
                    outside = bool(_URL.match(target)) or target.startswith(("/", "..", "~"))
                    if source or outside:
                        found.append(f"a linked {kind} ({target[:200]})")
                        break
        for m in formula_re.finditer(data):
            found.extend(_formula_reasons(m.group(1).decode("utf-8", "replace"), strings_with_urls))
    return sorted(set(found))
