"""xlwings' classic call path (the VBA add-in's COM server on Windows), reproduced on Linux.

``xlwings.udfs.call_udf`` cannot be imported off Windows (pywin32), and neither can
``xlwings._xlwindows``, whose ``Engine`` cleans the values COM hands over (error cells arrive
as COM error codes such as -2146826281, empty cells as None, a missing argument as
-2147352572). This module executes xlwings' own source of that cleaning (``cell_errors``,
``_clean_value_data_element`` and the ``Engine`` class, read from the installed
``_xlwindows.py``) and registers it as xlwings' ``excel`` engine, then runs ``call_udf``'s own
steps: a missing argument takes the declared default, every other one goes through
``xlwings.conversion.read`` with the argument's declared options, the result through
``conversion.write``. What the cell then shows is the returned value, or, for an exception,
pywin32's text ``Unexpected Python Error: Traceback ...`` (xlwings issue #1108).
"""

from __future__ import annotations

import ast
import traceback
from pathlib import Path

import numpy as np

MISSING = -2147352572  # what COM passes for an omitted optional argument
COM_ERRORS = {"#DIV/0!": -2146826281, "#N/A": -2146826246, "#NAME?": -2146826259, "#NULL!": -2146826288,
              "#NUM!": -2146826252, "#REF!": -2146826265, "#VALUE!": -2146826273}


def _windows_engine_source() -> dict:
    import xlwings

    path = Path(xlwings.__file__).with_name("_xlwindows.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    keep = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "cell_errors" for t in node.targets):
            keep.append(node)
        elif isinstance(node, ast.FunctionDef) and node.name == "_clean_value_data_element":
            keep.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == "Engine":
            keep.append(node)
    assert len(keep) == 3, "xlwings' _xlwindows.py no longer has cell_errors, _clean_value_data_element and Engine"
    namespace = {"time_types": (), "np": np, "pd": None, "__name__": "xlwings._xlwindows_source"}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(path), "exec"), namespace)  # noqa: S102 - xlwings' own code
    assert namespace["cell_errors"] == {v: k for k, v in COM_ERRORS.items()}
    return namespace


def install_excel_engine() -> None:
    """Register xlwings' Windows value cleaning as the ``excel`` engine (what COM UDFs use)."""
    import xlwings
    from xlwings.main import Engine

    try:
        xlwings.engines["excel"]
        return
    except Exception:  # noqa: BLE001 - not registered off Windows
        pass
    source = _windows_engine_source()
    xlwings.engines.add(Engine(impl=source["Engine"]()))


def com_value(value):
    """A cell or range value as COM passes it: error names become COM error codes, lists tuples."""
    if isinstance(value, list):
        return tuple(com_value(v) for v in value)
    if isinstance(value, str) and value in COM_ERRORS:
        return COM_ERRORS[value]
    return value


def call(func, *args):
    """What a classic-add-in cell shows for ``=FUNC(args...)``: ``args`` as COM passes them."""
    from xlwings import conversion

    install_excel_engine()
    info = func.__xlfunc__
    args_info = info["args"]
    values = []
    for i, arg in enumerate(args):
        arg_info = args_info[min(i, len(args_info) - 1)]
        if isinstance(arg, int) and arg == MISSING:
            values.append(arg_info.get("optional", None))
        else:
            values.append(conversion.read(None, arg, arg_info["options"]))
    try:
        ret = func(*values)
    except Exception:  # noqa: BLE001 - pywin32 shows any exception as its traceback
        return "Unexpected Python Error: " + traceback.format_exc()
    return conversion.write(ret, None, info["ret"]["options"])
