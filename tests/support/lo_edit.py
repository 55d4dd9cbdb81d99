"""Edit a workbook in a real LibreOffice through UNO, as a person would in the program.

Run with the Python that has the ``uno`` module (Debian's /usr/bin/python3 with
python3-uno), not the project's venv:

    /usr/bin/python3 tests/support/lo_edit.py IN.xlsx OUT.xlsx '[["insert_rows", "Ex1a", 4, 3], ...]'

Operations: ["insert_rows", sheet, before_row_index_0_based, count],
["insert_columns", sheet, before_col_index_0_based, count], ["set", sheet, "B7", value], ["unprotect", sheet].
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src: str, dst: str, ops: list) -> None:
    # The caller (tests/support/factories.py) passes xlcnn's confinement: a profile set against hostile files
    # and a command prefix that takes the network away (the UNO pipe needs the file system).
    profile = os.environ.get("XLCNN_LO_PROFILE") or tempfile.mkdtemp(prefix="xlcnn-uno-")
    prefix = json.loads(os.environ.get("XLCNN_LO_PREFIX", "[]"))
    pipe = f"xlcnn_{os.getpid()}"
    soffice = os.environ.get("XLCNN_SOFFICE", "soffice")
    proc = subprocess.Popen(
        [*prefix, soffice, "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation={Path(profile).as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet: UNO's errors, whatever they are
                time.sleep(0.25)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        store = [prop("FilterName", "Calc MS Excel 2007 XML")]
        for op in ops:
            sheet = doc.Sheets.getByName(op[1])
            if op[0] == "insert_rows":
                sheet.Rows.insertByIndex(op[2], op[3])
            elif op[0] == "insert_columns":
                sheet.Columns.insertByIndex(op[2], op[3])
            elif op[0] == "unprotect":
                sheet.unprotect("")
            elif op[0] == "set":
                cell = sheet.getCellRangeByName(op[2])
                if isinstance(op[3], str) and op[3].startswith("="):
                    cell.setFormula(op[3])
                elif isinstance(op[3], str):
                    cell.setString(op[3])
                else:
                    cell.setValue(op[3])
            else:
                raise SystemExit(f"unknown operation {op[0]}")
        doc.calculateAll()
        doc.storeToURL(Path(dst).resolve().as_uri(), tuple(store))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - it may be gone already
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
