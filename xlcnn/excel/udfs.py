"""Excel functions: CONV1D, CONV2D, MAXPOOL2D, CONV_OUTPUT_SIZE, CONV_PARAMS.

Thin wrappers: the decorators declare what Excel passes and what it gets back
(and the text of the function wizard); each body checks the cells and calls
:mod:`xlcnn.core.conv`. A bad call raises ``xlwings.XlwingsError`` with a readable
message, which Excel shows in the cell; it never crashes the add-in and never
returns a silently wrong number.

One module serves the three front ends: the classic xlwings add-in (desktop Excel
on Windows), Office.js custom functions through ``xlwings-server`` (``xlcnn
serve``), and xlwings Lite (import it from ``main.py``).
"""

from __future__ import annotations

import math
import os
import sys

if sys.platform != "win32" and "xlwings" not in sys.modules:
    # Off Windows the decorators only register functions in server mode; this must be
    # set before xlwings is first imported (it is a no-op for the classic add-in).
    os.environ.setdefault("XLWINGS_ON_SERVER", "true")

import functools  # noqa: E402
import importlib.util  # noqa: E402

import numpy as np  # noqa: E402

from ..core import conv  # noqa: E402
from ..core.excel_errors import excel_error  # noqa: E402
from ..errors import XlcnnError  # noqa: E402

try:
    import xlwings as xw
    from xlwings import XlwingsError
except ImportError as err:
    raise ImportError("xlcnn's Excel functions need the xlwings extra: pip install 'xlcnn[xlwings]'") from err
except Exception as err:  # xlwings.LicenseError: server mode lives in xlwings' PRO part
    if type(err).__name__ != "LicenseError":
        raise
    raise XlcnnError(
        "xlcnn's Excel functions off Windows run in xlwings' server mode, which needs XLWINGS_LICENSE_KEY: "
        "noncommercial for teaching and other noncommercial use, a paid key for commercial use"
    ) from err

if sys.platform != "emscripten" and importlib.util.find_spec("pyodide") is None:
    # xlwings asks, for every cell of every argument, whether the value is Pyodide's JsNull by
    # trying `from pyodide.ffi import JsNull`; outside Pyodide that import fails anew each time
    # (~20 us a cell: 3 of the 3.4 ms of a 5x5x3 CONV2D call). Outside Pyodide the answer is
    # always False, so say so directly; inside Pyodide (xlwings Lite) nothing is changed.
    import xlwings.utils as _xlwings_utils

    if callable(getattr(_xlwings_utils, "is_jsnull", None)):
        _xlwings_utils.is_jsnull = lambda value: False

__all__ = ["CONV1D", "CONV2D", "CONV_OUTPUT_SIZE", "CONV_PARAMS", "MAXPOOL2D"]


# ------------------------------------------------------------------ argument checks

# Excel's error values as xlwings hands them over with ``err_to_str=True`` (the COM path maps
# its error codes to these strings; Office.js sends them as the error's basicValue): core.excel_errors.
MAX_MESSAGE = 255  # what a cell shows of a string (and Excel's limit for a formula's text argument)


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _matrix(func: str, name: str, value) -> np.ndarray:
    """A range as a 2-D float array: every cell must hold a number."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    rows = value if isinstance(value, (list, tuple)) else [[value]]
    # xlwings hands a one-row or one-column range to an argument without ndim=2 as a flat list:
    # its cells are named by their position in it
    flat = bool(rows) and not any(isinstance(r, (list, tuple)) for r in rows)
    rows = [r if isinstance(r, (list, tuple)) else [r] for r in rows]
    if not rows or not rows[0]:
        raise XlwingsError(f"{func}: {name} is empty")
    width = len(rows[0])
    out = np.empty((len(rows), width))
    single = len(rows) == 1 and width == 1
    for i, row in enumerate(rows):
        if len(row) != width:
            raise XlwingsError(f"{func}: {name} is not a rectangular range")
        for j, v in enumerate(row):
            where = (name if single else f"{name} (cell {i + 1})" if flat
                     else f"{name} (row {i + 1}, column {j + 1})")
            error = excel_error(v)
            if error:
                raise XlwingsError(f"{func}: {where} is {error}")
            if v is None or (isinstance(v, str) and not v.strip()):
                raise XlwingsError(f"{func}: {where} is empty; every cell must hold a number")
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise XlwingsError(f"{func}: {where} holds {_describe(v)}, not a number")
            if not math.isfinite(float(v)):
                raise XlwingsError(f"{func}: {where} is not a finite number")
            out[i, j] = float(v)
    return out


def _vector(func: str, name: str, value) -> tuple[np.ndarray, bool]:
    """One row or one column as a 1-D array, and whether it was a row."""
    m = _matrix(func, name, value)
    if m.shape[0] == 1:
        return m[0], True
    if m.shape[1] == 1:
        return m[:, 0], False
    raise XlwingsError(f"{func}: {name} must be one row or one column, got {m.shape[0]} rows x {m.shape[1]} columns")


def _cells(value) -> list:
    """Every cell of an argument, flattened (Office.js sends each argument as a matrix)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [value]
    return [c for row in value for c in (row if isinstance(row, (list, tuple)) else [row])]


def _scalar(func: str, name: str, value):
    """The one cell of an argument that takes one value: an error cell is an error, several cells too."""
    cells = _cells(value)
    if len(cells) != 1:
        raise XlwingsError(f"{func}: {name} must be one cell, got a range of {len(cells)} cells")
    error = excel_error(cells[0])
    if error:
        raise XlwingsError(f"{func}: {name} is {error}")
    return cells[0]


def _integer(func: str, name: str, value, default: int | None, minimum: int) -> int:
    value = _scalar(func, name, value)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise XlwingsError(f"{func}: {name} is required")
        return default
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise XlwingsError(f"{func}: {name} must be a whole number, got {_describe(value)}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise XlwingsError(f"{func}: {name} must be a whole number, got {_describe(value)}")
    if not math.isfinite(float(value)) or not float(value).is_integer():
        raise XlwingsError(f"{func}: {name} must be a whole number, got {_describe(value)}")
    if int(value) < minimum:
        raise XlwingsError(f"{func}: {name} must be {'at least ' + str(minimum)}, got {int(value)}")
    return int(value)


def _padding(func: str, value):
    value = _scalar(func, "padding", value)
    if isinstance(value, str) and value.strip().lower() in ("same", "valid"):
        return value.strip().lower()
    return _integer(func, "padding", value, 0, 0)


def _bias(func: str, value, count: int) -> np.ndarray:
    cells = _cells(value)
    if len(cells) == 1 and (cells[0] is None or (isinstance(cells[0], str) and not cells[0].strip())):
        return np.zeros(count)  # omitted, or an empty cell
    if len(cells) == 1:
        b = _matrix(func, "bias", [cells]).reshape(-1)
    else:
        b, _ = _vector(func, "bias", value)
    if b.size == 1:
        return np.full(count, b[0])
    if b.size != count:
        raise XlwingsError(f"{func}: bias must be one number or one per filter ({count}), got {b.size}")
    return b


def _conv_options(func: str, stride, padding, bias, filters: int):
    """Stride, padding and one bias per filter: the options CONV1D and CONV2D share."""
    return (_integer(func, "stride", stride, 1, 1), _padding(func, padding), _bias(func, bias, filters))


def _core(func: str, call, *args, **kwargs):
    """Call the core; its messages become the cell's error message."""
    try:
        return call(*args, **kwargs)
    except XlcnnError as err:
        raise XlwingsError(f"{func}: {err}") from None


# ------------------------------------------------------------------ what the cell shows

def _client() -> str:
    """Which call path runs the functions: ``classic`` (the VBA add-in's COM server on Windows) or
    ``officejs`` (xlwings-server, xlwings Lite: every path where xlwings' server mode is on)."""
    on_server = os.environ.get("XLWINGS_ON_SERVER", "").strip().lower() in ("1", "true", "yes")
    return "classic" if sys.platform == "win32" and not on_server else "officejs"


CLIENT = _client()


def one_line(message: str) -> str:
    """An error message as a cell shows it: one line, at most MAX_MESSAGE characters."""
    text = " ".join(str(message).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _shown_as_message(func):
    """Errors of ``func`` reach the cell as their one-line message on every client.

    Office.js (and xlwings Lite) show a raised ``XlwingsError`` as Excel's ``#VALUE!`` with the
    message; the classic COM path would show any exception as pywin32's ``Unexpected Python
    Error: Traceback ...``, so there the message is returned as the cell's text instead.
    Anything else that escapes (a bug) becomes a one-line message too, never a traceback or an
    HTTP 500 that the add-in retries."""
    name = func.__name__

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except XlwingsError as err:
            message = one_line(err)
        except Exception as err:  # noqa: BLE001 - a cell must show a line, not a traceback
            message = one_line(f"{name}: unexpected {type(err).__name__}: {err}")
        if CLIENT == "classic":
            return message
        raise XlwingsError(message)

    return wrapper


# ------------------------------------------------------------------ the functions

STRIDE_DOC = "Stride S, a whole number >= 1 (default 1)."
PADDING_DOC = 'Zero padding P on each side, a whole number >= 0, or "same" or "valid" (default 0).'


@xw.func
@xw.arg("x", ndim=2, err_to_str=True, doc="The input: one row or one column of numbers.")
@xw.arg("w", ndim=2, err_to_str=True, doc="The filter (kernel): one row or one column of numbers.")
@xw.arg("stride", err_to_str=True, doc=STRIDE_DOC)
@xw.arg("padding", err_to_str=True, doc=PADDING_DOC)
@xw.arg("bias", err_to_str=True, doc="Bias b added to every output value (default 0).")
@xw.ret(index=False, header=False)
@_shown_as_message
def CONV1D(x, w, stride=None, padding=None, bias=None):
    """1D convolution as in a Conv1D layer (no kernel flip): returns the output values as a column, or a row when x is a row."""  # noqa: E501 - Excel shows the docstring as the function's description
    xs, is_row = _vector("CONV1D", "x", x)
    ws, _ = _vector("CONV1D", "w", w)
    s, p, b = _conv_options("CONV1D", stride, padding, bias, 1)
    out = _core("CONV1D", conv.conv1d, xs, ws, b[0], s, p)
    return [out.tolist()] if is_row else [[v] for v in out.tolist()]


@xw.func
@xw.arg("x", ndim=2, err_to_str=True, doc="The input: one HxW block, or C blocks (channel slices) stacked vertically.")
@xw.arg("w", ndim=2, err_to_str=True, doc="The filter: one FxF block per channel stacked vertically; "
                                          "several filters: their blocks one after the other.")
@xw.arg("stride", err_to_str=True, doc=STRIDE_DOC)
@xw.arg("padding", err_to_str=True, doc=PADDING_DOC)
@xw.arg("bias", err_to_str=True, doc="Bias: one number, or one per filter (default 0).")
@xw.arg("channels", err_to_str=True, doc="Number of input channels C stacked in x (default 1).")
@xw.ret(index=False, header=False)
@_shown_as_message
def CONV2D(x, w, stride=None, padding=None, bias=None, channels=None):
    """2D convolution as in a Conv2D layer (no kernel flip), summed over the channels plus the bias; several filters give their output maps stacked vertically."""  # noqa: E501 - Excel shows the docstring as the function's description
    c = _integer("CONV2D", "channels", channels, 1, 1)
    xm = _matrix("CONV2D", "x", x)
    wm = _matrix("CONV2D", "w", w)
    if xm.shape[0] % c:
        raise XlwingsError(f"CONV2D: x has {xm.shape[0]} rows, not a multiple of channels ({c})")
    h = xm.shape[0] // c
    f = wm.shape[1]
    if wm.shape[0] % (f * c):
        raise XlwingsError(
            f"CONV2D: w has {wm.shape[0]} rows: expected {f} rows per channel ({c}) per filter "
            f"(square {f}x{f} filters stacked vertically)"
        )
    k = wm.shape[0] // (f * c)
    x3 = xm.reshape(c, h, xm.shape[1]).transpose(1, 2, 0)
    w4 = wm.reshape(k, c, f, f).transpose(2, 3, 1, 0)
    s, p, b = _conv_options("CONV2D", stride, padding, bias, k)
    out = _core("CONV2D", conv.conv2d, x3, w4, b, s, p)
    return np.concatenate([out[:, :, i] for i in range(k)], axis=0).tolist()


@xw.func
@xw.arg("x", ndim=2, err_to_str=True, doc="The input map: a block of numbers.")
@xw.arg("size", err_to_str=True, doc="Pool size, a whole number >= 1 (default 2).")
@xw.arg("stride", err_to_str=True, doc="Stride, a whole number >= 1 (default: the pool size).")
@xw.ret(index=False, header=False)
@_shown_as_message
def MAXPOOL2D(x, size=None, stride=None):
    """Max pooling as in a MaxPooling2D layer (no padding): the largest value of each window."""
    xm = _matrix("MAXPOOL2D", "x", x)
    n = _integer("MAXPOOL2D", "size", size, 2, 1)
    s = _integer("MAXPOOL2D", "stride", stride, n, 1)
    return _core("MAXPOOL2D", conv.maxpool2d, xm, n, s).tolist()


@xw.func
@xw.arg("n", err_to_str=True, doc="Input size N (width or height).")
@xw.arg("f", err_to_str=True, doc="Filter size F.")
@xw.arg("stride", err_to_str=True, doc=STRIDE_DOC)
@xw.arg("padding", err_to_str=True, doc=PADDING_DOC)
@_shown_as_message
def CONV_OUTPUT_SIZE(n, f, stride=None, padding=None):
    """Output size (N - F + 2P)/S + 1, rounded down when the filter does not fit exactly (as Keras does)."""
    size = _core("CONV_OUTPUT_SIZE", conv.output_size, _integer("CONV_OUTPUT_SIZE", "n", n, None, 1),
                 _integer("CONV_OUTPUT_SIZE", "f", f, None, 1), _integer("CONV_OUTPUT_SIZE", "stride", stride, 1, 1),
                 _padding("CONV_OUTPUT_SIZE", padding))
    return size.size


@xw.func
@xw.arg("f", err_to_str=True, doc="Filter size F (FxF filters).")
@xw.arg("channels_in", err_to_str=True, doc="Number of input channels C.")
@xw.arg("filters", err_to_str=True, doc="Number of filters K.")
@_shown_as_message
def CONV_PARAMS(f, channels_in, filters):
    """Trainable parameters of a Conv2D layer: (F*F*C + 1) * K (weights and biases)."""
    return _core("CONV_PARAMS", conv.conv_params, _integer("CONV_PARAMS", "f", f, None, 1),
                 _integer("CONV_PARAMS", "channels_in", channels_in, None, 1),
                 _integer("CONV_PARAMS", "filters", filters, None, 1))
