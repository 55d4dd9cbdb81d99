"""The Excel functions through xlwings' real call paths, without Excel.

* the call path without HTTP: ``xlwings.server.custom_functions_call``, with arguments shaped
  exactly as the Office.js add-in sends them (every argument a 2-D matrix, omitted ones ``[[None]]``);
* the Office.js path end to end: the real ``xlcnn serve`` (xlwings-server) on a loopback port;
* array formulas in workbooks evaluated by a real formula engine (the ``formulas`` package).

The Office.js path lives in xlwings' PRO part: these tests run under the noncommercial licence
key (this is a teaching tool's test suite), set only when the environment has none.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require
from tests.excel.cases import CALLS, W1, W2, X1, X2, col, free_port, stacked, stacked_filters, stop, wait_until_served
from xlcnn.core import conv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def udfs():
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    if sys.platform != "win32":
        os.environ.setdefault("XLWINGS_ON_SERVER", "true")  # before xlwings' first import
    require("xlwings", "xlwings")
    import xlcnn.excel.udfs

    return xlcnn.excel.udfs


def call(udfs, name, *args):
    import xlwings.server

    data = {"client": "Office.js", "func_name": name, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "caller_address": "[Book1.xlsx]Sheet1!C1", "session_id": "s", "culture_info_name": "en-US",
            "date_format": "M/d/yyyy", "version": "0.37.8", "runtime": "1.4"}
    return asyncio.run(xlwings.server.custom_functions_call(data, udfs))












@pytest.mark.parametrize("name, args, expected", CALLS)
def test_call_path(udfs, name, args, expected):
    assert np.allclose(np.array(call(udfs, name, *args), dtype=float), np.array(expected, dtype=float))


BAD_CALLS = [
    pytest.param("CONV1D", [col([1, 2, 3]), col([1] * 5), [[None]], [[None]], [[None]]],
                 r"CONV1D: filter \(5\) larger than the padded input \(3", id="filter-too-long"),
    pytest.param("CONV1D", [col([1, None, 3]), col([1]), [[None]], [[None]], [[None]]],
                 r"CONV1D: x \(row 2, column 1\) is empty", id="empty-cell"),
    pytest.param("CONV1D", [col([1, "abc", 3]), col([1]), [[None]], [[None]], [[None]]],
                 r"CONV1D: x \(row 2, column 1\) holds 'abc', not a number", id="text"),
    pytest.param("CONV1D", [col([1, "#DIV/0!", 3]), col([1]), [[None]], [[None]], [[None]]],
                 r"CONV1D: x \(row 2, column 1\) is #DIV/0!", id="excel-error"),
    pytest.param("CONV1D", [[[1], [{"type": "Error", "errorType": "Div0", "basicValue": "#DIV/0!"}], [3]], col([1]),
                            [[None]], [[None]], [[None]]],
                 r"CONV1D: x \(row 2, column 1\) is #DIV/0!", id="excel-error-as-officejs-sends-it"),
    pytest.param("CONV1D", [[[1, 2], [3, 4]], col([1]), [[None]], [[None]], [[None]]],
                 r"CONV1D: x must be one row or one column, got 2 rows x 2 columns", id="not-a-vector"),
    pytest.param("CONV1D", [col(X1), col(W1), 1.5, [[None]], [[None]]],
                 r"CONV1D: stride must be a whole number, got 1.5", id="stride-fraction"),
    pytest.param("CONV1D", [col(X1), col(W1), 0, [[None]], [[None]]], r"CONV1D: stride must be at least 1, got 0",
                 id="stride-zero"),
    pytest.param("CONV1D", [col(X1), col(W1), 1, 0.5, [[None]]], r"CONV1D: padding must be a whole number, got 0.5",
                 id="padding-fraction"),
    pytest.param("CONV1D", [col(X1), col(W1), 1, "full", [[None]]],
                 r"CONV1D: padding must be a whole number, got 'full'", id="padding-word"),
    pytest.param("CONV2D", [stacked(X2), stacked_filters(W2[..., :1])[:6], 1, 0, [[None]], 3],
                 r"CONV2D: w has 6 rows: expected 3 rows per channel \(3\) per filter", id="channels-mismatch"),
    pytest.param("CONV2D", [stacked(X2)[:14], W2[:, :, 0, 0].tolist(), 1, 0, [[None]], 3],
                 r"CONV2D: x has 14 rows, not a multiple of channels \(3\)", id="x-rows"),
    pytest.param("CONV2D", [stacked(X2), stacked_filters(W2), 1, 0, [[1, 2, 3]], 3],
                 r"CONV2D: bias must be one number or one per filter \(2\), got 3", id="bias-count"),
    pytest.param("CONV_PARAMS", [3, [[None]], 2], r"CONV_PARAMS: channels_in is required", id="missing-required"),
]


@pytest.mark.parametrize("name, args, match", BAD_CALLS)
def test_bad_calls_are_readable_errors(udfs, name, args, match):
    from xlwings import XlwingsError

    with pytest.raises(XlwingsError, match=match):
        call(udfs, name, *args)


def test_metadata_describes_every_function_and_argument(udfs):
    import xlwings.server

    meta = xlwings.server.custom_functions_meta(udfs)
    functions = {f["name"]: f for f in meta["functions"]}
    assert set(functions) == {"CONV1D", "CONV2D", "MAXPOOL2D", "CONV_OUTPUT_SIZE", "CONV_PARAMS"}
    for f in functions.values():
        assert f["description"] and f["result"]["dimensionality"] == "matrix"
        for p in f["parameters"]:
            assert p["description"], (f["name"], p["name"])
    assert [p["name"] for p in functions["CONV1D"]["parameters"]] == ["x", "w", "stride", "padding", "bias"]
    assert [p.get("optional", False) for p in functions["CONV1D"]["parameters"]] == [False, False, True, True, True]


def test_import_without_a_licence_key_says_what_to_set():
    env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_LICENSE_KEY", "XLWINGS_ON_SERVER")}
    proc = subprocess.run([sys.executable, "-c", "import xlcnn.excel.udfs"], capture_output=True, text=True, env=env)
    if sys.platform != "win32":
        assert proc.returncode == 1
        assert "needs XLWINGS_LICENSE_KEY: noncommercial for teaching" in proc.stderr


def test_serve_without_a_licence_key_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_LICENSE_KEY"}
    proc = subprocess.run([sys.executable, "-m", "xlcnn.cli", "serve", "--port", "1"], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: set XLWINGS_LICENSE_KEY before `xlcnn serve`")
    assert "noncommercial for teaching" in proc.stderr and "a paid key for commercial use" in proc.stderr


# ------------------------------------------------------------------ the real server on loopback








STRAY_CONFIG = """
from pathlib import Path
Path(__file__).with_name("CONFIG_WAS_EXECUTED").write_text("x")
from pydantic_settings import BaseSettings
class Settings(BaseSettings):
    functions_namespace: str = "STRAY"
"""


@pytest.fixture(scope="module")
def server(udfs, tmp_path_factory):
    """``xlcnn serve`` started from a folder holding what xlwings-server would pick up there:
    a config.py, a .env and a routers/custom.py (none of them may be read or executed)."""
    require("xlwings_server", "xlwings")
    port = free_port()
    cwd = tmp_path_factory.mktemp("working-folder")
    (cwd / "config.py").write_text(STRAY_CONFIG)
    (cwd / ".env").write_text("XLWINGS_FUNCTIONS_NAMESPACE=STRAY\nXLWINGS_ENABLE_SOCKETIO=true\n")
    (cwd / "routers").mkdir()
    (cwd / "routers" / "__init__.py").write_text("")
    (cwd / "routers" / "custom.py").write_text(
        "from pathlib import Path\nPath(__file__).parent.with_name('ROUTER_WAS_EXECUTED').write_text('x')\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for leftover in ("XLWINGS_FUNCTIONS_NAMESPACE", "XLWINGS_ENABLE_SOCKETIO", "XLWINGS_PROJECT_NAME"):
        env.pop(leftover, None)
    proc = subprocess.Popen([sys.executable, "-m", "xlcnn.cli", "serve", "--port", str(port)], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/xlwings"
    wait_until_served(proc, f"{base}/custom-functions-meta.json")
    yield base
    assert not (cwd / "CONFIG_WAS_EXECUTED").exists() and not (cwd / "ROUTER_WAS_EXECUTED").exists()
    stop(proc)


def post(base, name, args):
    body = json.dumps({"client": "Office.js", "func_name": name,
                       "args": [a if isinstance(a, list) else [[a]] for a in args],
                       "caller_address": "[Book1.xlsx]Sheet1!C1", "session_id": "s", "culture_info_name": "en-US",
                       "date_format": "M/d/yyyy", "version": "0.37.8", "runtime": "1.4"}).encode()
    req = urllib.request.Request(f"{base}/custom-functions-call", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_server_metadata_and_code(server):
    meta = json.loads(urllib.request.urlopen(f"{server}/custom-functions-meta.json").read())
    assert {f["id"] for f in meta["functions"]} == {"CONV1D", "CONV2D", "MAXPOOL2D", "CONV_OUTPUT_SIZE", "CONV_PARAMS"}
    code = urllib.request.urlopen(f"{server}/custom-functions-code.js").read().decode()
    assert "CONV1D" in code and "custom-functions-call" in code


def test_the_served_add_in_is_xlcnns(server):
    """xlcnn's own manifest: its name, Id and icons, no example button, the functions under XLCNN.;
    the settings xlcnn asks for were taken although the working folder says otherwise."""
    import xml.etree.ElementTree as ET

    from xlcnn.excel.serving import ADDIN_ID

    root = server.rsplit("/xlwings", 1)[0]
    xml = urllib.request.urlopen(f"{root}/manifest").read().decode()
    tree = ET.fromstring(xml)
    ns = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
          "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0"}
    assert tree.find("o:Id", ns).text == ADDIN_ID
    assert tree.find("o:DisplayName", ns).get("DefaultValue") == "xlcnn"
    assert tree.find("o:ProviderName", ns).text == "xlcnn"
    strings = {e.get("id"): e.get("DefaultValue") for e in tree.iter("{%s}String" % ns["bt"])}
    assert strings["Functions.Namespace"] == "XLCNN"
    assert "Hello" not in xml and "xlwings.org" not in xml and "ExecuteFunction" not in xml
    images = [e for e in tree.iter("{%s}Image" % ns["bt"]) if e.get("DefaultValue")]
    assert len(images) == 3
    for image in images:
        icon = urllib.request.urlopen(image.get("DefaultValue"))
        assert icon.headers["content-type"] == "image/png" and "xlcnn-" in image.get("DefaultValue")
    assert tree.find("o:IconUrl", ns).get("DefaultValue").endswith("/static/images/icons/xlcnn-32.png")
    taskpane = urllib.request.urlopen(f"{root}/taskpane.html").read().decode()
    assert "socket.io" not in taskpane  # Socket.IO off
    assert "XLCNN.CONV1D" in taskpane
    ribbon = urllib.request.urlopen(f"{root}/static/js/ribbon.js").read().decode()
    assert "Office.actions.associate" not in ribbon  # no ribbon button runs a script


def test_serve_refuses_a_bad_namespace():
    proc = subprocess.run([sys.executable, "-m", "xlcnn.cli", "serve", "--namespace", "X LCNN"], capture_output=True,
                          text=True, env=dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial"), timeout=60)
    assert proc.returncode != 0 and "--namespace 'X LCNN'" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name, args, expected", CALLS)
def test_server_calls(server, name, args, expected):
    status, body = post(server, name, args)
    assert status == 200, body
    assert np.allclose(np.array(body["result"], dtype=float), np.array(expected, dtype=float))


@pytest.mark.parametrize("name, args, match", BAD_CALLS)
def test_server_bad_calls_are_400_with_the_message(server, name, args, match):
    status, body = post(server, name, args)
    assert status == 400
    assert re.search(match, body), body


# ------------------------------------------------------------------ a real formula engine


def register_in_formulas(udfs):
    formulas = require("formulas", "dev")
    from formulas.functions import Array, wrap_func, wrap_ranges_func

    def adapt(fn):
        def run(*args):
            plain = [a.tolist() if isinstance(a, np.ndarray) else a for a in args]
            return np.asarray(fn(*plain), dtype=object).view(Array)

        return wrap_ranges_func(wrap_func(run))

    for name in udfs.__all__:
        formulas.get_functions()[name] = adapt(getattr(udfs, name))
    return formulas


def evaluate(formulas, path: Path) -> dict[str, np.ndarray]:
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, value in solution.items():
        ref = key.split("!")[-1]
        out[ref] = np.asarray(value.value)
    return out


def test_array_formulas_in_a_workbook(udfs, tmp_path):
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    formulas = register_in_formulas(udfs)
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, v in enumerate(X1):
        ws.cell(i + 1, 1, v)
    for i, v in enumerate(W1):
        ws.cell(i + 1, 2, v)
    for r, row in enumerate(stacked(X2)):
        for q, v in enumerate(row):
            ws.cell(r + 1, 4 + q, v)
    for r, row in enumerate(stacked_filters(W2)):
        for q, v in enumerate(row):
            ws.cell(r + 1, 10 + q, v)
    ws["N1"], ws["O1"] = 1, 0
    ws["Q1"] = ArrayFormula("Q1:Q5", "=CONV1D(A1:A7,B1:B3)")
    ws["R1"] = ArrayFormula("R1:R2", "=CONV1D(A1:A7,B1:B3,4,1)")
    ws["T1"] = ArrayFormula("T1:V6", "=CONV2D(D1:H15,J1:L18,1,0,N1:O1,3)")
    ws["X1"] = ArrayFormula("X1:Y2", "=MAXPOOL2D(T1:V3,2,1)")
    path = tmp_path / "udf.xlsx"
    wb.save(path)
    got = evaluate(formulas, path)
    y = conv.conv2d(X2, W2, [1, 0])
    np.testing.assert_allclose(got["Q1:Q5"].astype(float).ravel(), conv.conv1d(X1, W1))
    np.testing.assert_allclose(got["R1:R2"].astype(float).ravel(), conv.conv1d(X1, W1, 0, 4, 1))
    np.testing.assert_allclose(got["T1:V6"].astype(float), np.concatenate([y[:, :, 0], y[:, :, 1]]))
    np.testing.assert_allclose(got["X1:Y2"].astype(float), conv.maxpool2d(y[:, :, 0], 2, 1))


def demo_formulas(demo: Path) -> dict[str, str]:
    """Each formula cell of the demo: its coordinate -> the formula a user types (INDEX unwrapped)."""
    import openpyxl

    out = {}
    for row in openpyxl.load_workbook(demo)["Demo"].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                m = re.fullmatch(r"=INDEX\((.*),(\d+),(\d+)\)", cell.value)
                out[cell.coordinate] = "=" + m.group(1) if m else cell.value
    return out


def test_demo_workbook_evaluates_to_the_core_and_matches_the_readme(udfs):
    import openpyxl

    demo = ROOT / "workbooks" / "cnn-udfs-demo.xlsx"
    formulas = register_in_formulas(udfs)
    cached = openpyxl.load_workbook(demo, data_only=True)["Demo"]
    readme = (ROOT / "docs" / "excel-functions.md").read_text()
    got = evaluate(formulas, demo)
    typed = demo_formulas(demo)
    for coord, formula in typed.items():
        assert formula in readme, formula  # the Excel functions' doc shows the demo's formulas
        value = float(np.asarray(got[coord], dtype=float).ravel()[0])
        assert value == pytest.approx(float(cached[coord].value))  # core values cached in the file
    assert len(set(typed.values())) == 11
    texts = {c.value for r in cached.iter_rows() for c in r if isinstance(c.value, str)}
    assert {f for f in typed.values() if list(typed.values()).count(f) > 1} <= texts  # shown as text beside


def test_demo_workbook_opens_with_its_numbers_in_libreoffice(soffice, tmp_path):
    """No forced recalculation (no fullCalcOnLoad, no array formulas, which LibreOffice recalculates
    on opening): LibreOffice shows the cached numbers where, without the add-in, it would show #NAME?."""
    import csv
    import zipfile

    from tests.support.factories import lo_convert

    demo = ROOT / "workbooks" / "cnn-udfs-demo.xlsx"
    calc = re.search(r"<calcPr[^>]*>", zipfile.ZipFile(demo).read("xl/workbook.xml").decode()).group(0)
    assert 'fullCalcOnLoad="1"' not in calc
    shown = list(csv.reader(lo_convert(soffice, demo, "csv", tmp_path).read_text().splitlines()))
    text = "\n".join(",".join(r) for r in shown)
    assert "#NAME?" not in text and "Err:" not in text
    import openpyxl

    cached = openpyxl.load_workbook(demo, data_only=True)["Demo"]
    for coord in demo_formulas(demo):
        cell = cached[coord]
        assert float(shown[cell.row - 1][cell.column - 1]) == pytest.approx(float(cell.value)), coord
    assert "Import Functions" in text and "XLCNN.CONV1D" in text  # says what to load
