"""The Office.js client in a real browser: headless Chromium loads the task pane that
``xlcnn serve`` serves over HTTPS on loopback, with its real office.js, xlwings' task-pane
scripts and the served ``custom-functions-code.js``, and calls every registered function as
Excel does (each argument a 2-D array, ``null`` for an omitted optional one).

Only what an Office host provides is stood in for, appended to office.js: the custom
functions registry (``CustomFunctions.associate``, ``CustomFunctions.Error``), the
requirement-set check and ``Excel.RequestContext`` (workbook name, culture). The
``taskpane-reload.js`` script, which reloads a task pane that finds no host, is answered empty,
and every request off loopback is refused (office.js asks for Microsoft's telemetry).
"""

import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require
from tests.excel import cases, com_path

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]

HOST_STAND_IN = r"""
;(function () {
  const functions = {};
  window.__xlcnnFunctions = functions;
  // CustomFunctions: office.js defines the object; a host fills in the registry and the error type
  window.CustomFunctions = window.CustomFunctions || {};
  Object.assign(window.CustomFunctions, {
    associate(id, fn) { functions[id] = fn; },
    ErrorCode: {invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!",
                nullReference: "#NULL!", invalidName: "#NAME?", invalidReference: "#REF!"},
    Error: class extends Error {
      constructor(code, message) { super(message); this.code = code; this.message = message; }
    },
  });
  // the requirement sets an Excel with shared runtime answers
  const requirements = {isSetSupported(name, version) {
    const have = {CustomFunctionsRuntime: 1.4, ExcelApi: 1.12, SharedRuntime: 1.1}[name];
    return have !== undefined && Number(version) <= have;
  }};
  const addHost = () => {
    if (!Office.context) Office.context = {};
    if (!Office.context.requirements) Object.defineProperty(Office.context, "requirements", {value: requirements});
  };
  const onReady = Office.onReady.bind(Office);
  Office.onReady = (callback) => onReady().then((info) => { addHost(); return callback ? callback(info) : info; });
  class RequestContext {
    constructor() {
      const loadable = (o) => Object.assign(o, {load() { return o; }});
      this.workbook = loadable({name: "Book1.xlsx"});
      this.application = {cultureInfo: loadable({name: "en-US", datetimeFormat: loadable({shortDatePattern: "M/d/yyyy"})})};
    }
    async sync() {}
  }
  window.Excel = Object.assign(window.Excel || {}, {RequestContext});
})();
"""  # noqa: E501 - the stand-in's JavaScript, kept as the browser runs it

CALL_ALL = """async (calls) => {
  const out = [];
  for (const [name, args] of calls) {
    const fn = window.__xlcnnFunctions[name];
    try {
      out.push({value: await fn(...args, {address: "Sheet1!C1"})});
    } catch (e) {
      out.push({error: e instanceof CustomFunctions.Error ? [e.code, e.message] : ["not an Excel error", String(e)]});
    }
  }
  return out;
}"""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Chromium is required in CI: make test installs Debian's chromium")
        pytest.skip("chromium not installed (make test installs it)")
    return path


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (Office.js add-ins are served over HTTPS)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    keyfile, certfile = folder / "key.pem", folder / "cert.pem"
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return keyfile, certfile


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    require("xlwings_server", "xlwings")
    import ssl

    folder = tmp_path_factory.mktemp("serve")
    keyfile, certfile = self_signed(folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    proc = subprocess.Popen([sys.executable, "-m", "xlcnn.cli", "serve", "--port", str(port), "--ssl-keyfile",
                             str(keyfile), "--ssl-certfile", str(certfile)], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"https://127.0.0.1:{port}"
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    cases.wait_until_served(proc, f"{base}/taskpane.html", context=insecure)
    yield base
    cases.stop(proc)


def js_arg(value):
    """An argument as Excel hands it to a custom function: a 2-D array, null when omitted."""
    if value is com_path.MISSING:
        return None
    return cases.officejs_arg(value)


CALLS = [("value", p.values[0], [None if a == [[None]] else a if isinstance(a, list) else [[a]] for a in p.values[1]],
          p.values[2], p.id) for p in cases.CALLS]
CALLS += [("case", p.values[0], [js_arg(a) for a in p.values[1]], p.values[2], p.id) for p in cases.CASES + cases.ODD]


@pytest.fixture(scope="module")
def browser_results(https_server):
    """Every call, made once in one task pane; what each cell would show."""
    executable = chromium()
    require("playwright", "dev")
    from playwright import sync_api
    seen_off_loopback, page_errors = [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context(ignore_https_errors=True)

        def off_loopback(route):
            seen_off_loopback.append(route.request.url)
            route.abort()

        context.route(re.compile(r"^(?!https://127\.0\.0\.1:)"), off_loopback)

        def office_js(route):
            response = route.fetch()
            route.fulfill(response=response, body=response.text() + HOST_STAND_IN)

        page = context.new_page()
        page.on("pageerror", lambda err: page_errors.append(str(err)))
        page.route("**/office.js", office_js)
        page.route("**/taskpane-reload.js",
                   lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
        page.goto(f"{https_server}/taskpane.html")
        page.wait_for_function("Object.keys(window.__xlcnnFunctions || {}).length >= 5", timeout=30_000)
        registered = sorted(page.evaluate("Object.keys(window.__xlcnnFunctions)"))
        title = page.inner_text("h1")
        listed = page.inner_text("#xlcnn-functions")
        shown = page.evaluate(CALL_ALL, [[name, args] for _, name, args, _, _ in CALLS])
        browser.close()
    return {"registered": registered, "shown": dict(zip([c[4] for c in CALLS], shown, strict=False)), "title": title,
            "listed": listed, "page_errors": page_errors, "off_loopback": seen_off_loopback}


def test_the_task_pane_is_xlcnns_and_registers_every_function(browser_results):
    assert browser_results["registered"] == ["CONV1D", "CONV2D", "CONV_OUTPUT_SIZE", "CONV_PARAMS", "MAXPOOL2D"]
    assert browser_results["title"] == "xlcnn"
    assert "=XLCNN.CONV2D(x, w, [stride], [padding], [bias], [channels])" in browser_results["listed"]
    assert browser_results["page_errors"] == []


@pytest.mark.parametrize("kind, name, args, expected, case_id", CALLS, ids=[c[4] for c in CALLS])
def test_each_call_in_the_browser(browser_results, kind, name, args, expected, case_id):
    shown = browser_results["shown"][case_id]
    if isinstance(expected, str):  # an error: Excel's #VALUE! with the message, as Office.js shows it
        assert shown == {"error": ["#VALUE!", expected]}
    else:
        assert "value" in shown, shown
        assert np.allclose(np.array(shown["value"], dtype=float), np.array(expected, dtype=float))
