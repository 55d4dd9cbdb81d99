"""LibreOffice on students' files: no network, no other file, ever.

Hostile workbooks made here point at a file the test plants (``INDIRECT``, ``DDE``) and at an
HTTP server the test runs on loopback (``INDIRECT`` to a remote workbook, ``WEBSERVICE``, a
linked picture in an .xlsx and in an .ods). Through ``xlcnn check`` and ``xlcnn grade``: the
server sees no request, the planted value is in no output, and every file carries its flag.
A control run of the same LibreOffice, unconfined, shows that the files do reach out.
"""

from __future__ import annotations

import base64
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import cells_of, lo_convert, make_submission
from xlcnn.cli import main
from xlcnn.files.external import FLAG, external_references
from xlcnn.files.libreoffice import confined, confinement

SECRET = 424242.4242
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.seen.append(self.path)
        body = PIXEL if self.path.endswith(".png") else b"1234"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """An HTTP server on loopback that records every request (bounded: stopped after the test)."""
    Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Recorder.seen
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def secret(tmp_path):
    """A spreadsheet elsewhere on the machine, which no student file may read."""
    folder = tmp_path / "private"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = SECRET
    wb.save(folder / "secret.xlsx")
    (folder / "secret.csv").write_text(f"{SECRET}\n")
    return folder / "secret.xlsx"


def with_formula(tmp_path: Path, name: str, formula: str) -> Path:
    """The right answers, but the number of maps is ``formula`` (no cached value: LibreOffice calculates it)."""
    wb = openpyxl.load_workbook(make_submission(tmp_path, name=f"base-{name}"))
    cells_of(wb, "Maps")[0].value = formula
    path = tmp_path / name
    wb.save(path)
    return path


def linked_picture_xlsx(tmp_path: Path, url: str) -> Path:
    """A workbook whose picture is *linked* to ``url`` instead of embedded."""
    from openpyxl.drawing.image import Image

    wb = openpyxl.load_workbook(make_submission(tmp_path, name="base-pic.xlsx"))
    png = tmp_path / "p.png"
    png.write_bytes(PIXEL)
    wb["Ex1a"].add_image(Image(str(png)), "M2")
    cells_of(wb, "Maps")[0].value = "=1+1"
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/drawings/_rels/"):
                data = re.sub(rb'Target="[^"]*media/image1\.png"',
                              f'Target="{url}" TargetMode="External"'.encode(), data)
            elif info.filename.startswith("xl/drawings/drawing"):
                data = data.replace(b"r:embed=", b"r:link=")
            dst.writestr(info, data)
    path = tmp_path / "linked-picture.xlsx"
    path.write_bytes(out.getvalue())
    return path


def linked_picture_ods(tmp_path: Path, url: str, soffice: str) -> Path:
    """A student's workbook saved as .ods by LibreOffice, then given a picture linked to ``url``."""
    ods = lo_convert(soffice, make_submission(tmp_path, name="for-ods.xlsx"), "ods", tmp_path / "ods")
    frame = (f'<table:shapes><draw:frame svg:width="2cm" svg:height="2cm" svg:x="12cm" svg:y="1cm">'
             f'<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
             f'</draw:frame></table:shapes>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(ods) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "content.xml":
                m = re.search(rb"<table:table [^>]*>", data)
                data = data[:m.end()] + frame + data[m.end():]
            dst.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype" else None)
    path = tmp_path / "linked-picture.ods"
    path.write_bytes(out.getvalue())
    return path


def hostile_files(tmp_path: Path, url: str, secret: Path, soffice: str) -> dict[str, Path]:
    return {
        "indirect-file": with_formula(tmp_path, "indirect-file.xlsx", f"=INDIRECT(\"'file://{secret}'#$Sheet1.A1\")"),
        "indirect-csv": with_formula(tmp_path, "indirect-csv.xlsx",
                                     f"=INDIRECT(\"'file://{secret.with_suffix('.csv')}'#$Sheet1.A1\")"),
        "indirect-http": with_formula(tmp_path, "indirect-http.xlsx", f"=INDIRECT(\"'{url}/book.xlsx'#$Sheet1.A1\")"),
        "webservice": with_formula(tmp_path, "webservice.xlsx", f"=WEBSERVICE(\"{url}/ws\")"),
        "dde": with_formula(tmp_path, "dde.xlsx", f"=DDE(\"soffice\",\"{secret}\",\"Sheet1.A1\")"),
        "linked-picture-xlsx": linked_picture_xlsx(tmp_path, f"{url}/pixel.png"),
        "linked-picture-ods": linked_picture_ods(tmp_path, f"{url}/pixel-ods.png", soffice),
    }


def outputs_text(folder: Path) -> str:
    """Everything in ``folder``, zips and workbooks unpacked, as one text to search."""
    parts = []

    def add(name: str, data: bytes, depth: int = 0):
        parts.append(data.decode("utf-8", "replace"))
        if depth < 3 and data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    add(member, zf.read(member), depth + 1)

    for path in folder.rglob("*"):
        if path.is_file():
            add(path.name, path.read_bytes())
    return "\n".join(parts)


def test_this_machine_confines_libreoffice_in_a_sandbox(soffice):
    """CI installs bubblewrap: there, LibreOffice must run with no network and no other file."""
    kind = confinement()
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        assert kind == "sandbox"
    assert kind in ("sandbox", "network namespace", "settings only")


@pytest.mark.parametrize("name, reason", [
    ("indirect-file", "INDIRECT to another file"),
    ("indirect-csv", "INDIRECT to another file"),
    ("indirect-http", "INDIRECT to another file"),
    ("webservice", "WEBSERVICE"),
    ("dde", "DDE"),
    ("linked-picture-xlsx", "a linked picture"),
    ("linked-picture-ods", "a linked image"),
])
def test_external_references_are_found(tmp_path, soffice, name, reason):
    files = hostile_files(tmp_path, "http://127.0.0.1:9", tmp_path / "private" / "secret.xlsx", soffice)
    assert any(r.startswith(reason) for r in external_references(files[name])), external_references(files[name])


def test_a_plain_submission_has_no_external_reference(tmp_path):
    assert external_references(make_submission(tmp_path)) == []
    assert external_references(with_formula(tmp_path, "h.xlsx", '=HYPERLINK("https://moodle.example.ch","2")')) == []


def test_check_never_reads_another_file_nor_the_network(tmp_path, soffice, server, secret):
    url, seen = server
    for name, path in hostile_files(tmp_path, url, secret, soffice).items():
        result = CliRunner().invoke(main, ["check", str(path), "--json"], catch_exceptions=False)
        assert result.exit_code in (1, 2), (name, result.output)
        assert str(SECRET) not in result.output and "424242" not in result.output, name
        assert FLAG in result.output, (name, result.output)
    assert seen == []


def test_grade_never_reads_another_file_nor_the_network(tmp_path, soffice, server, secret):
    url, seen = server
    files = hostile_files(tmp_path, url, secret, soffice)
    dl = tmp_path / "download.zip"
    with zipfile.ZipFile(dl, "w") as zf:
        for i, (name, path) in enumerate(sorted(files.items())):
            zf.write(path, f"Student {name}_{100 + i}_assignsubmission_file/{path.name}")
        zf.write(make_submission(tmp_path, name="canary.xlsx"),
                 "Canary Bird_99_assignsubmission_file/cnn-ex1-stud.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", str(dl), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert seen == []
    text = outputs_text(out)
    assert "424242" not in text
    records = {r["name"]: r for r in json.loads((out / "results.json").read_text())["submissions"]}
    assert records["Canary Bird"]["status"] == "graded" and records["Canary Bird"]["total"] == 28
    for name in files:
        rec = records[f"Student {name}"]
        assert rec["status"] == "external reference", (name, rec["status"], rec["messages"])
        assert any(FLAG in m for m in rec["messages"]), name


def test_unconfined_libreoffice_would_reach_out(tmp_path, soffice, server, secret):
    """The control: the same files in a bare LibreOffice (no sandbox, default settings) do make
    requests, so the checks above measure the confinement, not harmless files."""
    url, seen = server
    path = linked_picture_xlsx(tmp_path, f"{url}/pixel.png")
    profile = (tmp_path / "bare-profile").resolve().as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "bare"), str(path)], capture_output=True, timeout=120)
    assert seen, "an unconfined LibreOffice did not fetch the linked picture"


def test_confined_commands_keep_the_program_and_drop_the_network(tmp_path):
    cmd = confined(["soffice", "--version"], rw=[tmp_path])
    if confinement() == "sandbox":
        assert cmd[0] == "bwrap" and "--unshare-all" in cmd and str(tmp_path.resolve()) in cmd
        assert "/home" not in cmd and "/root" not in cmd
    elif confinement() == "network namespace":
        assert cmd[:2] in (["unshare", "-n"], ["unshare", "-rn"])
    assert cmd[-2:] == ["soffice", "--version"]
    if shutil.which("bwrap") and confinement() == "sandbox":
        listing = subprocess.run(confined(["/bin/sh", "-c", "ls / ; cat /etc/hostname 2>&1"], rw=[tmp_path]),
                                 capture_output=True, text=True, timeout=30)
        assert "work" not in listing.stdout.split() and "root" not in listing.stdout.split()


def test_relative_paths_reach_the_sandbox(tmp_path, soffice, monkeypatch):
    """`xlcnn grade dl.zip -o results/` from the user's folder: inside the sandbox the working folder
    is another, so every path LibreOffice is given must still name the file (a regression)."""
    from xlcnn.files.libreoffice import convert_to_xlsx

    monkeypatch.chdir(tmp_path)
    ods = lo_convert(soffice, make_submission(tmp_path, name="rel.xlsx"), "ods", Path("made"))
    work = Path("results") / ".xlcnn-work"
    [res] = convert_to_xlsx([Path("made") / ods.name], work / "recalculated", workdir=work)
    assert res.error is None and res.output is not None and res.output.exists()
