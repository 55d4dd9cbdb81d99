"""``xlcnn serve``: xlcnn's Excel functions as Office.js custom functions, by xlwings-server.

xlwings-server reads its settings from the environment when ``xlwings_server`` is first
imported, finds its project in ``$XLWINGS_PROJECT_DIR`` and imports modules (``config.py``,
``routers/custom.py``) from there and from ``sys.path``. So ``run_server`` sets every setting
first (namespace ``XLCNN``, Socket.IO and hot reload off, xlcnn's own add-in name and Id), puts
the project folder ``xlcnn/excel/server`` (xlcnn's manifest, task pane and icons; its
``custom_functions`` import :mod:`xlcnn.excel.udfs`) in charge, takes the user's working folder
off ``sys.path`` and works from the project folder: nothing found where the user happens to
start the server is imported. The Office.js path is in xlwings' PRO part: it needs a licence
key, which only the user can choose.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import XlcnnError

PROJECT_DIR = Path(__file__).resolve().parent / "server"
NAMESPACE = "XLCNN"
ADDIN_NAME = "xlcnn"
# The add-in's own Id (Office tells add-ins apart by it): fixed, so that a manifest downloaded
# again replaces the one installed; never xlwings-server's default, which other add-ins share.
ADDIN_ID = "7462e8c5-f147-4652-9de6-2c88a6ba6900"
ENVIRONMENTS = ("dev", "qa", "uat", "staging", "prod")


class ServeError(XlcnnError):
    """The server cannot start (missing extra, missing licence key, settings not taken)."""


def server_environment(base: dict[str, str] | None = None, namespace: str = NAMESPACE) -> dict[str, str]:
    """The environment xlwings-server must start with, checked; raises ServeError with what to do."""
    env = dict(os.environ if base is None else base)
    if not env.get("XLWINGS_LICENSE_KEY", "").strip():
        raise ServeError(
            "set XLWINGS_LICENSE_KEY before `xlcnn serve`: the Office.js path of xlwings is licensed "
            "separately — use XLWINGS_LICENSE_KEY=noncommercial for teaching and other noncommercial use "
            "(PolyForm Noncommercial licence), or a paid key for commercial use"
        )
    if not namespace.isidentifier() or not namespace.isascii():
        raise ServeError(f"--namespace {namespace!r}: use letters, digits and '_' (e.g. XLCNN)")
    env.update({
        "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
        "DOTENV_PATH": str(PROJECT_DIR / ".env"),  # none there: no stray .env is read either
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_ENVIRONMENT": "prod",  # other environments suffix the namespace (XLCNN_DEV)
        "XLWINGS_FUNCTIONS_NAMESPACE": namespace.upper(),
        "XLWINGS_PROJECT_NAME": ADDIN_NAME,
        "XLWINGS_ENABLE_SOCKETIO": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_ENABLE_WASM": "false",
        "XLWINGS_ENABLE_TESTS": "false",
        "XLWINGS_CDN_OFFICEJS": "false",  # the office.js bundled with xlwings-server: works offline
    })
    for environment in ENVIRONMENTS:
        env[f"XLWINGS_MANIFEST_ID_{environment.upper()}"] = ADDIN_ID
    return env


def _isolate_from_working_folder() -> None:
    """Nothing in the folder the server was started from is imported: it leaves sys.path, and the
    process works from the project folder (which holds no config.py, .env or routers/)."""
    here = os.path.realpath(os.getcwd())
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.realpath(p) != here]
    os.chdir(PROJECT_DIR)


def _check_settings(namespace: str) -> None:
    from xlwings_server.config import PROJECT_DIR as served
    from xlwings_server.config import settings

    wrong = []
    if Path(served).resolve() != PROJECT_DIR:
        wrong.append(f"project folder {served}")
    if settings.functions_namespace != namespace.upper():
        wrong.append(f"namespace {settings.functions_namespace}")
    if settings.enable_socketio:
        wrong.append("Socket.IO on")
    if str(settings.manifest_id_prod) != ADDIN_ID or settings.project_name != ADDIN_NAME:
        wrong.append(f"add-in {settings.project_name} {settings.manifest_id_prod}")
    if wrong:
        raise ServeError("xlwings-server did not take xlcnn's settings (" + ", ".join(wrong) + "); "
                         "was xlwings_server imported before `xlcnn serve`?")


def run_server(host: str = "127.0.0.1", port: int = 8000, ssl_keyfile: str | None = None,
               ssl_certfile: str | None = None, namespace: str = NAMESPACE) -> None:
    env = server_environment(namespace=namespace)
    keyfile = str(Path(ssl_keyfile).resolve()) if ssl_keyfile else None
    certfile = str(Path(ssl_certfile).resolve()) if ssl_certfile else None
    if "xlwings_server" in sys.modules:
        raise ServeError("xlwings_server was imported before `xlcnn serve` set its settings: start it afresh")
    os.environ.update(env)  # before xlwings_server's first import: it reads its settings then
    _isolate_from_working_folder()
    try:
        import uvicorn
        import xlwings_server  # noqa: F401
    except ImportError as err:
        raise ServeError(f"xlcnn serve needs the xlwings extra: pip install 'xlcnn[xlwings]' ({err})") from err
    _check_settings(namespace)
    scheme = "https" if certfile else "http"
    print(f"xlcnn: serving {namespace.upper()}.CONV1D, CONV2D, MAXPOOL2D, CONV_OUTPUT_SIZE, CONV_PARAMS "
          f"at {scheme}://{host}:{port}/ (add-in manifest: {scheme}://{host}:{port}/manifest)", flush=True)
    uvicorn.run("xlwings_server.main:main_app", host=host, port=port, ssl_keyfile=keyfile,
                ssl_certfile=certfile, log_level="warning")
