"""A generator of hostile and broken workbooks, as a student could send them (for the fuzz tests).

``corpus(tmp, good)`` writes several hundred small files in these categories: truncations,
renamed formats, zip tricks, XML attacks, odd cells, odd workbook structure, macros and odd
names; ``scripts/fuzz.py`` draws a larger, randomised corpus with the same builders.
"""

from __future__ import annotations

import io
import random
import re
import stat
import struct
import zipfile


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info.filename)) for info in zf.infolist()]


def rezip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for info, data in members:
            if isinstance(info, str):
                info = zipfile.ZipInfo(info)
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def patch(good: bytes, part: str, change) -> bytes:
    """``good`` with the XML part ``part`` changed by ``change(text) -> text``."""
    out = []
    for info, data in _members(good):
        if info.filename == part:
            data = change(data.decode("utf-8")).encode("utf-8")
        out.append((info, data))
    return rezip(out)


def add_part(good: bytes, name: str, data: bytes) -> bytes:
    return rezip(_members(good) + [(zipfile.ZipInfo(name), data)])


def set_cell(xml: str, coord: str, value_xml: str) -> str:
    """Replace (or add) the cell ``coord`` in a sheet's XML."""
    new = f'<c r="{coord}"{value_xml}</c>'
    pattern = re.compile(rf'<c r="{coord}"[^>]*?(?:/>|>.*?</c>)', re.S)
    if pattern.search(xml):
        return pattern.sub(lambda m: new, xml, count=1)
    return xml.replace("</sheetData>", f'<row r="999">{new}</row></sheetData>', 1)


def raw_zip(entries: list[tuple[bytes, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name bytes, data, flags, method) per member, stored as is."""
    out = io.BytesIO()
    central = []
    for name, data, flags, method in entries:
        offset = out.tell()
        crc = zipfile.crc32(data)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(data), len(data),
                             len(name), 0)
        out.write(header + name + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0, crc, len(data),
                                   len(data), len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for c in central:
        out.write(c)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0))
    return out.getvalue()


def corpus(good: bytes, rng: random.Random | None = None, scale: int = 1) -> dict[str, bytes]:
    """Hostile files derived from the good workbook ``good`` (bytes of an .xlsx); name -> bytes."""
    rng = rng or random.Random(4)
    files: dict[str, bytes] = {}
    n = len(good)
    # -- truncations and flipped bytes
    for k in range(60 * scale):
        cut = rng.randrange(1, n)
        files[f"trunc-{k:03d}.xlsx"] = good[:cut]
    for k in range(50 * scale):
        data = bytearray(good)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(n)] = rng.randrange(256)
        files[f"flipped-{k:03d}.xlsx"] = bytes(data)
    # -- renamed formats
    renamed = {
        "empty.xlsx": b"", "text.xlsx": b"hello, this is not a workbook\n", "csv.xlsx": b"a,b\n1,2\n" * 1000,
        "pdf.xlsx": b"%PDF-1.4\n" + bytes(range(256)) * 10, "png.xlsx": b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "ole-random.xlsx": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(rng.randrange(256) for _ in range(4096)),
        "ole-random.xls": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(rng.randrange(256) for _ in range(4096)),
        "zip-empty.xlsx": rezip([]), "zip-docx.xlsx": rezip([("[Content_Types].xml", b"<Types/>"),
                                                             ("word/document.xml", b"<doc/>")]),
        "zip-of-text.xlsx": rezip([("readme.txt", b"hi")]),
        "ods-garbage.ods": rezip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                  ("content.xml", b"<not-ods")]),
        "random.bin": bytes(rng.randrange(256) for _ in range(2048)),
        "html.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    }
    files.update(renamed)
    # -- zip tricks
    files["bomb-ratio.xlsx"] = add_part(good, "xl/media/big.bin", b"\0" * (60 * 2**20))
    files["many-members.xlsx"] = rezip(_members(good) + [(f"x/{i}.txt", b"") for i in range(2500)])
    files["traversal.xlsx"] = add_part(good, "../../escaped.txt", b"x")
    files["absolute.xlsx"] = add_part(good, "/etc/evil.txt", b"x")
    link = zipfile.ZipInfo("xl/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    files["symlink.xlsx"] = rezip(_members(good) + [(link, b"/etc/passwd")])
    files["bad-utf8-name.xlsx"] = raw_zip([(b"xl/\xff\xfe.xml", b"x", 0x800, 0),
                                           (b"[Content_Types].xml", b"<a/>", 0, 0)])
    files["cp437-name.xlsx"] = raw_zip([("xl/é.xml".encode("cp437"), b"x", 0, 0),
                                        (b"[Content_Types].xml", b"<a/>", 0, 0)])
    files["method-99.xlsx"] = raw_zip([(b"[Content_Types].xml", b"<a/>", 0, 99), (b"xl/workbook.xml", b"<a/>", 0, 99)])
    files["method-ppmd.xlsx"] = raw_zip([(b"[Content_Types].xml", b"<a/>", 0, 98)])
    cd_only = good[good.rfind(b"PK\x01\x02", 0, good.rfind(b"PK\x05\x06")) - 1000:] if b"PK\x01\x02" in good else good
    files["central-directory-only.xlsx"] = good[good.find(b"PK\x01\x02"):]
    files["tail-only.xlsx"] = cd_only[-200:]
    files["encrypted-member.xlsx"] = raw_zip([(b"[Content_Types].xml", b"<a/>", 0x1, 0)])
    files["duplicate-names.xlsx"] = rezip(_members(good) + [(zipfile.ZipInfo("xl/workbook.xml"), b"<dup/>")])
    files["nested.xlsx"] = add_part(good, "inner.zip", rezip([("deeper.zip", rezip([("a.xlsx", good)]))]))
    # -- XML attacks
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    for part in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml",
                 "[Content_Types].xml", "docProps/core.xml"):
        tag = re.sub(r"\W", "-", part)
        files[f"entities-{tag}.xlsx"] = patch(good, part, lambda t: lol + re.sub(r"^<\?xml[^>]*\?>", "", t))
        files[f"external-dtd-{tag}.xlsx"] = patch(
            good, part, lambda t: '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">'
            + re.sub(r"^<\?xml[^>]*\?>", "", t))
    files["unclosed-c-tags.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                          lambda t: t.replace("</sheetData>", "<c-x>" * 75_000 + "</sheetData>"))
    files["deep-nesting.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                       lambda t: t.replace("</sheetData>",
                                                           "<x>" * 50_000 + "</x>" * 50_000 + "</sheetData>"))
    files["huge-text.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                    lambda t: set_cell(t, "Z99",
                                                       ' t="inlineStr"><is><t>' + "A" * (30 * 2**20) + "</t></is>"))
    files["many-cells.xlsx"] = patch(good, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</sheetData>", "".join(f'<row r="{2000 + i}"><c r="AA{2000 + i}"><v>1</v></c></row>' for i in range(20_000))
        + "</sheetData>"))
    # -- odd cells (sheet1 = Ex1a: the 1D input is in row 5, the strides in column C)
    for k, value in enumerate(["1" + "0" * 400, "1e400", "-1e400", "NaN", "inf", "1e15", "-7", "0", "2.5",
                               "99999999999999999999"]):
        files[f"odd-number-{k}.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                              lambda t, v=value: set_cell(set_cell(t, "C5", f"><v>{v}</v>"), "D5",
                                                                          f"><v>{v}</v>"))
    for k, text in enumerate(["[/b]", "[bold red]x[/]", "=cmd|' /C calc'!A0", "x" * 40_000, "\x00\x01",
                              "<script>alert(1)</script>", "‮reversed", "٣", "1,2,3,4,5,6,7,8,9"]):
        safe = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\x00", "").replace("\x01", ""))
        files[f"odd-text-{k}.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                            lambda t, s=safe: set_cell(t, "C10", f' t="inlineStr"><is><t>{s}</t></is>'))
    for k, err in enumerate(["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!"]):
        files[f"error-cell-{k}.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                              lambda t, e=err: set_cell(t, "C5", f' t="e"><f>1/0</f><v>{e}</v>'))
    # -- odd structure
    for k, target in enumerate(["Ex1a!$A:$XFD", "Ex1a!$1:$1048576", "#REF!", "Ex1a!#REF!", "'No sheet'!$A$1",
                                "Ex1a!$C$5:$XFD$1048576", "", "Ex1a!$A$1,Ex1a!$B$2", "1+1", "Ex1a!$ZZZZ$1"]):
        files[f"defined-name-{k}.xlsx"] = patch(
            good, "xl/workbook.xml",
            lambda t, v=target: re.sub(r'(<definedName name="Input1D"[^>]*>)[^<]*(</definedName>)',
                                       lambda m: m.group(1) + v + m.group(2), t))
    files["cell-xfd1048576.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                          lambda t: set_cell(t, "XFD1048576", "><v>1</v>"))
    files["dimension-huge.xlsx"] = patch(good, "xl/worksheets/sheet1.xml",
                                         lambda t: re.sub(r'<dimension ref="[^"]*"/>',
                                                          '<dimension ref="A1:XFD1048576"/>', t))
    files["merged-huge.xlsx"] = patch(good, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>', 1)
        if "<mergeCells" not in t else t.replace("<mergeCells", '<mergeCells><mergeCell ref="K1:XFD1048576"/>'
                                                                '</mergeCells><mergeCellsX', 1))
    files["no-sheets.xlsx"] = patch(good, "xl/workbook.xml",
                                    lambda t: re.sub(r"<sheets>.*</sheets>", "<sheets/>", t, flags=re.S))
    files["renamed-sheet.xlsx"] = patch(good, "xl/workbook.xml",
                                        lambda t: t.replace('name="Ex1a"', 'name="Exercise A"'))
    files["missing-part.xlsx"] = rezip([(i, d) for i, d in _members(good) if i.filename != "xl/worksheets/sheet1.xml"])
    # the workbook's own (embedded) layout, in the very hidden meta sheet
    meta = "xl/worksheets/sheet3.xml"
    for k, layout in enumerate(["[" * 50_000, "conv1d = 3\nconv2d = 4", "[conv1d]\ninput = 5",
                                "version = 1\n" + "x = 1\n" * 50_000, '[conv1d]\ninput = "Input1D"\n']):
        esc = layout.replace("&", "&amp;").replace("<", "&lt;")
        files[f"embedded-layout-{k}.xlsx"] = patch(good, meta, lambda t, s=esc: re.sub(
            r'(<c r="B2"[^>]*>)(.*?)(</c>)',
            lambda m: f'{m.group(1)[:-1]} t="inlineStr"><is><t>{s}</t></is>{m.group(3)}',
            t, count=1, flags=re.S))
    # -- macros
    files["macro.xlsm"] = add_part(patch(good, "[Content_Types].xml", lambda t: t.replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")), "xl/vbaProject.bin",
        b"Sub Auto_Open()\nShell \"touch /tmp/xlcnn-pwned\"\nEnd Sub\n")
    # -- random structural mixes (the larger, randomised part of the corpus)
    members = _members(good)
    for k in range(100 * scale):
        mix = [(i, d) for i, d in members if rng.random() > 0.15]
        mix = [(i, d[: rng.randrange(len(d) + 1)] if rng.random() < 0.2 else d) for i, d in mix]
        files[f"mix-{k:03d}.xlsx"] = rezip(mix, rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
    return files


# ------------------------------------------------------------------ second round: big but legal, lying, implausible

def declare(data: bytes, member: str, size: int) -> bytes:
    """A zip whose ``member`` declares ``size`` uncompressed bytes (central directory and local header)
    whatever it really holds: the header lies, the data does not."""
    out = bytearray(data)
    name = member.encode()
    for sig, name_at, size_at in ((b"PK\x01\x02", 46, 24), (b"PK\x03\x04", 30, 22)):
        i = 0
        while (i := out.find(sig, i)) >= 0:
            n = struct.unpack("<H", out[i + (28 if sig == b"PK\x01\x02" else 26):][:2])[0]
            if bytes(out[i + name_at:i + name_at + n]) == name:
                out[i + size_at:i + size_at + 4] = struct.pack("<I", size)
            i += 4
    return bytes(out)


def big_rows(megabytes: int, first_row: int = 1, columns: tuple[str, ...] = tuple("ABCDEFGHIJ")) -> str:
    """About ``megabytes`` MB of worksheet rows of numbers, from ``first_row`` on."""
    rows, size, r = [], 0, first_row
    while size < megabytes * 2**20:
        text = f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{k}</v></c>' for k, c in enumerate(columns)) + "</row>"
        rows.append(text)
        size += len(text)
        r += 1
    return "".join(rows)


def big_sheet_xml(megabytes: int) -> bytes:
    """A legal worksheet of about ``megabytes`` MB of numbers."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>' + big_rows(megabytes) + "</sheetData></worksheet>").encode()


def with_sheets(good: bytes, extra: dict[str, bytes]) -> bytes:
    """``good`` with extra sheets (name -> their XML), added as openpyxl adds them, then filled."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(good))
    for name in extra:
        wb.create_sheet(name)["A1"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)):
        names = {}
        for title, k in zip(wb.sheetnames, range(1, len(wb.sheetnames) + 1), strict=False):
            names[f"xl/worksheets/sheet{k}.xml"] = title
    members = []
    for info, body in _members(data):
        title = names.get(info.filename)
        members.append((info, extra[title] if title in extra else body))
    return rezip(members)


def with_values(good: bytes, values: dict[str, object]) -> bytes:
    """``good`` with the cells of defined names set: {name: value or [values]}."""
    import openpyxl

    from tests.support.factories import cells_of

    wb = openpyxl.load_workbook(io.BytesIO(good))
    for name, value in values.items():
        cells = cells_of(wb, name)
        for cell, v in zip(cells, value if isinstance(value, list) else [value], strict=False):
            cell.value = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def round_two(good: bytes) -> dict[str, bytes]:
    """The second round of hostile files: big but legal sheets, lying sizes in every container,
    implausible sizes in every numeric answer and input, a 10 MB shared string as an answer, a
    hyperlink over whole columns, an .ods whose content lies about its size."""
    files: dict[str, bytes] = {}
    files["padding-1e5-2d.xlsx"] = with_values(good, {"Values_P": 100000})
    files["padding-1e8-1d.xlsx"] = with_values(good, {"Case3_P": 100_000_000})
    files["stride-1e9-1d.xlsx"] = with_values(good, {"Case2_S": 10**9})
    files["implausible-answers.xlsx"] = with_values(good, {
        "Preserve": [10**8, 10**8, 10**8], "Case1_Size": 10**8, "Maps": 10**9,
        "Volume1": "100000000x100000000x100000000", "Case1_Output": [1e12] * 5})
    files["long-string-answer.xlsx"] = with_values(good, {"Case1_Size": "7" * (10 * 2**20)})
    files["hyperlink-whole-sheet.xlsx"] = patch(good, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</worksheet>", '<hyperlinks><hyperlink ref="K1:XFD1048576" location="Ex1b!A1"/></hyperlinks></worksheet>'))
    files["two-extra-sheets-48mb.xlsx"] = with_sheets(good, {"Notes": big_sheet_xml(48), "Scratch": big_sheet_xml(48)})
    files["answer-sheet-45mb.xlsx"] = patch(good, "xl/worksheets/sheet1.xml", lambda t: t.replace(
        "</sheetData>", big_rows(45, 1000, ("AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH")) + "</sheetData>"))
    sheet = "xl/worksheets/sheet1.xml"
    files["lying-xlsx-member.xlsx"] = declare(good, sheet, 200)
    ods = rezip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                 ("content.xml", b"<office:document-content>" + b" " * (120 * 2**20) + b"</office:document-content>")])
    files["lying-ods-content.ods"] = declare(ods, "content.xml", 1000)
    return files
