"""Every argument of every Excel function, fed an error cell, an empty cell, text and a number,
on both call paths: what the cell shows.

* Office.js (``xlcnn serve``, xlwings Lite): ``xlwings.server.custom_functions_call`` with the
  arguments as the add-in sends them (an error cell is Office.js' error object); an error is an
  ``XlwingsError``, which the add-in shows as ``#VALUE!`` with the message (the browser test in
  ``test_officejs_browser.py`` checks that last step in a real task pane).
* the classic add-in: xlwings' COM call path (``com_path``); the cell shows the returned text.

No case gives a number that differs from the core's with the argument as written: an error cell
is an error naming the argument and the error, an empty cell is the argument left out (its
documented default) or, where the argument is required, an error.
"""

import asyncio
import os
import re
import sys

import numpy as np
import pytest

from tests.conftest import require
from tests.excel import com_path
from xlcnn.core import conv


@pytest.fixture(scope="module")
def udfs():
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    if sys.platform != "win32":
        os.environ.setdefault("XLWINGS_ON_SERVER", "true")
    require("xlwings", "xlwings")
    import xlcnn.excel.udfs

    return xlcnn.excel.udfs


OFFICEJS_ERRORS = {"#DIV/0!": "Div0", "#N/A": "NotAvailable", "#REF!": "Ref", "#VALUE!": "Value", "#NUM!": "Num"}


def officejs_cell(value):
    if isinstance(value, str) and value in OFFICEJS_ERRORS:
        return {"type": "Error", "errorType": OFFICEJS_ERRORS[value], "basicValue": value}
    return value


def officejs_arg(value):
    """An argument as the add-in sends it: always a matrix; an omitted one [[None]]."""
    if value is com_path.MISSING:
        return [[None]]
    if isinstance(value, list):
        rows = value if isinstance(value[0], list) else [value]
        return [[officejs_cell(v) for v in row] for row in rows]
    return [[officejs_cell(value)]]


def shown_officejs(udfs, name, args):
    """What an Office.js cell shows: the values, or ('#VALUE!', message)."""
    import xlwings.server
    from xlwings import XlwingsError

    data = {"client": "Office.js", "func_name": name, "args": [officejs_arg(a) for a in args],
            "caller_address": "[Book1.xlsx]Sheet1!C1", "session_id": "s", "culture_info_name": "en-US",
            "date_format": "M/d/yyyy", "version": "0.37.8", "runtime": "1.4"}
    try:
        return asyncio.run(xlwings.server.custom_functions_call(data, udfs))
    except XlwingsError as err:
        return ("#VALUE!", str(err))


def shown_classic(udfs, name, args, monkeypatch):
    monkeypatch.setattr(udfs, "CLIENT", "classic")
    func = getattr(udfs, name)
    return com_path.call(func, *[a if a is com_path.MISSING else com_path.com_value(a) for a in args])


# ------------------------------------------------------------------ the table

X1, W1 = [0, 1, 2, -1, 1, -3, 0], [1, 0, -1]
X2 = np.arange(25, dtype=float).reshape(5, 5) % 3
W2 = np.array([[1, 0, -1], [0, 1, 0], [-1, 0, 1]], dtype=float)
POOL = np.arange(16, dtype=float).reshape(4, 4)


def column(v):
    return [[float(a)] for a in v]


def conv1d_ref(x, w, stride, padding, bias):
    return column(conv.conv1d(np.array(x, float).ravel(), np.array(w, float).ravel(), bias or 0,
                              stride or 1, padding if padding is not None else 0))


def conv2d_ref(x, w, stride, padding, bias, channels):
    assert channels in (None, 1)
    return conv.conv2d(np.array(x, float), np.array(w, float), bias or 0, stride or 1,
                       padding if padding is not None else 0).tolist()


def maxpool_ref(x, size, stride):
    return conv.maxpool2d(np.array(x, float), size or 2, stride or size or 2).tolist()


def size_ref(n, f, stride, padding):
    return [[conv.output_size(n, f, stride or 1, padding if padding is not None else 0).size]]


def params_ref(f, channels_in, filters):
    return [[conv.conv_params(f, channels_in, filters)]]


# function: (arguments, a valid call, which are required, a valid other number per argument, reference)
FUNCTIONS = {
    "CONV1D": (["x", "w", "stride", "padding", "bias"], [column(X1), column(W1), 2, 1, 0.5],
               {"x", "w"}, {"x": 5, "w": 2, "stride": 3, "padding": 2, "bias": -1}, conv1d_ref),
    "CONV2D": (["x", "w", "stride", "padding", "bias", "channels"], [X2.tolist(), W2.tolist(), 1, 1, 2, 1],
               {"x", "w"}, {"x": 7, "w": 4, "stride": 2, "padding": 0, "bias": -3, "channels": 1}, conv2d_ref),
    "MAXPOOL2D": (["x", "size", "stride"], [POOL.tolist(), 2, 1], {"x"}, {"x": 99, "size": 3, "stride": 2},
                  maxpool_ref),
    "CONV_OUTPUT_SIZE": (["n", "f", "stride", "padding"], [7, 3, 2, 1], {"n", "f"},
                         {"n": 32, "f": 5, "stride": 4, "padding": 2}, size_ref),
    "CONV_PARAMS": (["f", "channels_in", "filters"], [3, 3, 2], {"f", "channels_in", "filters"},
                    {"f": 5, "channels_in": 1, "filters": 32}, params_ref),
}
RANGE_ARGS = {"x", "w"}
ERRORS = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NUM!"]


def with_cell(value, cell):
    """A range argument whose second cell (row 2, column 1) is replaced."""
    rows = [list(r) for r in value]
    rows[1][0] = cell
    return rows


def cases():
    for name, (params, valid, required, numbers, ref) in FUNCTIONS.items():
        for i, param in enumerate(params):
            error = ERRORS[i % len(ERRORS)]
            where = f"{param} (row 2, column 1)" if param in RANGE_ARGS else param
            for kind in ("error", "empty", "text", "number"):
                args = list(valid)
                if kind == "error":
                    args[i] = with_cell(valid[i], error) if param in RANGE_ARGS else error
                    expected = f"{name}: {where} is {error}"
                elif kind == "empty":
                    args[i] = with_cell(valid[i], None) if param in RANGE_ARGS else None
                    if param in RANGE_ARGS:
                        expected = f"{name}: {where} is empty; every cell must hold a number"
                    elif param in required:
                        expected = f"{name}: {param} is required"
                    else:  # an empty cell is the argument left out: its documented default
                        expected = ref(*[None if j == i else v for j, v in enumerate(valid)])
                elif kind == "text":
                    args[i] = with_cell(valid[i], "abc") if param in RANGE_ARGS else "abc"
                    expected = (f"{name}: {where} holds 'abc', not a number" if param in RANGE_ARGS | {"bias"}
                                else f"{name}: {param} must be a whole number, got 'abc'")
                else:
                    args[i] = with_cell(valid[i], numbers[param]) if param in RANGE_ARGS else numbers[param]
                    expected = ref(*args)
                yield pytest.param(name, args, expected, id=f"{name}-{param}-{kind}")


CASES = list(cases())


def check_shown(shown, expected, client):
    if isinstance(expected, str):
        if client == "officejs":
            assert shown == ("#VALUE!", expected)
        else:  # the classic add-in's cell: the message as text, one line, within a cell's 255
            assert shown == [[expected]], shown
            assert len(expected) <= 255 and "\n" not in expected
    else:
        assert not isinstance(shown, tuple) and "Traceback" not in str(shown), shown
        assert np.allclose(np.array(shown, dtype=float), np.array(expected, dtype=float))


@pytest.mark.parametrize("name, args, expected", CASES)
def test_officejs_path(udfs, name, args, expected):
    check_shown(shown_officejs(udfs, name, args), expected, "officejs")


@pytest.mark.parametrize("name, args, expected", CASES)
def test_classic_path(udfs, monkeypatch, name, args, expected):
    check_shown(shown_classic(udfs, name, args, monkeypatch), expected, "classic")


def test_the_table_covers_every_argument_of_every_function(udfs):
    import xlwings.server

    meta = xlwings.server.custom_functions_meta(udfs)
    declared = {(f["id"], p["name"]) for f in meta["functions"] for p in f["parameters"]}
    covered = {(c.values[0], c.id.split("-")[1]) for c in CASES}
    assert declared == covered
    kinds = {c.id.rsplit("-", 1)[1] for c in CASES}
    assert kinds == {"error", "empty", "text", "number"}


# ------------------------------------------------------------------ odd shapes, odd errors, long messages

ODD = [
    pytest.param("CONV1D", [column(X1), column(W1), [[1, 2]], com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be one cell, got a range of 2 cells", id="stride-two-cells"),
    pytest.param("CONV2D", [X2.tolist(), W2.tolist(), 1, 0, com_path.MISSING, [[1], [1]]],
                 "CONV2D: channels must be one cell, got a range of 2 cells", id="channels-two-cells"),
    pytest.param("CONV2D",
                 [X2.tolist(), W2.tolist(), com_path.MISSING, com_path.MISSING, [[1, "#REF!"]], com_path.MISSING],
                 "CONV2D: bias (cell 2) is #REF!", id="bias-range-with-error"),
    pytest.param("CONV1D", [column(X1), column(W1), True, com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be a whole number, got True", id="stride-boolean"),
    pytest.param("CONV_PARAMS", ["#NAME?", 3, 2], "CONV_PARAMS: f is #NAME?", id="name-error"),
    pytest.param("CONV1D", [column(X1), column(W1), "x" * 300, com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be a whole number, got '" + "x" * 36 + "...", id="long-text"),
]


@pytest.mark.parametrize("name, args, expected", ODD)
def test_odd_inputs_on_both_paths(udfs, monkeypatch, name, args, expected):
    check_shown(shown_officejs(udfs, name, args), expected, "officejs")
    check_shown(shown_classic(udfs, name, args, monkeypatch), expected, "classic")


def test_an_unexpected_error_is_one_line_too(udfs, monkeypatch):
    from xlcnn.core import conv as core

    def broken(*args, **kwargs):
        raise RuntimeError("a bug\nover two lines " + "y" * 400)

    monkeypatch.setattr(core, "conv1d", broken)
    args = [column(X1), column(W1), com_path.MISSING, com_path.MISSING, com_path.MISSING]
    shown = shown_classic(udfs, "CONV1D", args, monkeypatch)
    text = shown[0][0]
    assert text.startswith("CONV1D: unexpected RuntimeError: a bug over two lines y")
    assert len(text) == 255 and "\n" not in text and "Traceback" not in text
    monkeypatch.setattr(udfs, "CLIENT", "officejs")
    label, message = shown_officejs(udfs, "CONV1D", args)
    assert (label, message) == ("#VALUE!", text)


def test_a_raised_error_would_show_a_traceback_in_the_classic_cell(udfs, monkeypatch):
    """The reason for returning the message: without it, the classic cell shows pywin32's text."""
    monkeypatch.setattr(udfs, "CLIENT", "officejs")  # the functions raise, as on Office.js
    func = udfs.CONV1D
    shown = com_path.call(func, com_path.com_value(column(X1)), com_path.com_value(column(W1)),
                          com_path.COM_ERRORS["#DIV/0!"], com_path.MISSING, com_path.MISSING)
    assert shown.startswith("Unexpected Python Error: Traceback (most recent call last):")
    assert re.search(r"CONV1D: stride is #DIV/0!\s*$", shown)
