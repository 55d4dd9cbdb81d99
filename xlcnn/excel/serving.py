"""``xlcnn serve``: xlcnn's Excel functions as Office.js custom functions, by xlwings-server.

xlwings-server finds the functions in ``$XLWINGS_PROJECT_DIR/custom_functions``; that
folder is ``xlcnn/excel/server`` (it imports :mod:`xlcnn.excel.udfs`). The Office.js path is in
xlwings' PRO part: it needs a licence key, which only the user can choose.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import XlcnnError

PROJECT_DIR = Path(__file__).parent / "server"


class ServeError(XlcnnError):
    """The server cannot start (missing extra, missing licence key)."""


def server_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment xlwings-server needs, checked; raises ServeError with what to do."""
    env = dict(os.environ if base is None else base)
    if not env.get("XLWINGS_LICENSE_KEY", "").strip():
        raise ServeError(
            "set XLWINGS_LICENSE_KEY before `xlcnn serve`: the Office.js path of xlwings is licensed "
            "separately — use XLWINGS_LICENSE_KEY=noncommercial for teaching and other noncommercial use "
            "(PolyForm Noncommercial licence), or a paid key for commercial use"
        )
    env["XLWINGS_PROJECT_DIR"] = str(PROJECT_DIR)
    env["XLWINGS_ON_SERVER"] = "true"
    env.setdefault("XLWINGS_ENVIRONMENT", "prod")
    env.setdefault("XLWINGS_FUNCTIONS_NAMESPACE", "XLCNN")  # =XLCNN.CONV1D(...) in Excel
    env.setdefault("XLWINGS_ENABLE_SOCKETIO", "false")
    env.setdefault("XLWINGS_ENABLE_HOTRELOAD", "false")
    return env


def run_server(host: str = "127.0.0.1", port: int = 8000, ssl_keyfile: str | None = None,
               ssl_certfile: str | None = None) -> None:
    env = server_environment()
    try:
        import uvicorn
        import xlwings_server  # noqa: F401
    except ImportError as err:
        raise ServeError(f"xlcnn serve needs the xlwings extra: pip install 'xlcnn[xlwings]' ({err})") from err
    os.environ.update(env)
    scheme = "https" if ssl_certfile else "http"
    print(f"xlcnn: serving CONV1D, CONV2D, MAXPOOL2D, CONV_OUTPUT_SIZE, CONV_PARAMS at {scheme}://{host}:{port}/xlwings/")
    uvicorn.run("xlwings_server.main:main_app", host=host, port=port, ssl_keyfile=ssl_keyfile,
                ssl_certfile=ssl_certfile, log_level="warning")
