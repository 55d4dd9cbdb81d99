"""The Excel functions' calls as tables, shared by the call-path tests (xlwings' Office.js and COM
conversions) and the browser test: each call with the arguments as Excel sends them and the value the
core gives; and the helpers that start and stop `xlcnn serve` on loopback."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

from tests.excel import com_path
from xlcnn.core import conv


def col(values):
    return [[v] for v in values]


X1, W1 = [0, 1, 2, -1, 1, -3, 0], [1, 0, -1]
RNG = np.random.default_rng(3)


X2 = RNG.integers(0, 3, (5, 5, 3)).astype(float)


W2 = RNG.integers(-1, 2, (3, 3, 3, 2)).astype(float)


def stacked(x3):  # (H, W, C) -> C slices stacked vertically, as the range holds them
    return np.concatenate([x3[:, :, c] for c in range(x3.shape[2])], axis=0).tolist()


def stacked_filters(w4):  # (F, F, C, K) -> per filter, its channel slices stacked
    return np.concatenate([w4[:, :, c, k] for k in range(w4.shape[3]) for c in range(w4.shape[2])], axis=0).tolist()


CALLS = [
    # (function, args as Office.js sends them, expected from the core)
    pytest.param("CONV1D", [col(X1), col(W1), [[None]], [[None]], [[None]]], col(conv.conv1d(X1, W1)),
                 id="1d-defaults-column"),
    pytest.param("CONV1D", [[X1], [W1], 4, 1, [[None]]], [conv.conv1d(X1, W1, 0, 4, 1).tolist()], id="1d-row-S4-P1"),
    pytest.param("CONV1D", [col(X1), col(W1), 2.0, "same", 0.5], col(conv.conv1d(X1, W1, 0.5, 2, "same")),
                 id="1d-same-bias-float-stride"),
    pytest.param("CONV1D", [col(X1), [W1], 1, 1, [[None]]], col(conv.conv1d(X1, W1, 0, 1, 1)),
                 id="1d-row-filter-column-input"),
    pytest.param("CONV2D", [X2[:, :, 0].tolist(), W2[:, :, 0, 0].tolist(), [[None]], [[None]], [[None]], [[None]]],
                 conv.conv2d(X2[:, :, 0], W2[:, :, 0, 0]).tolist(), id="2d-one-channel"),
    pytest.param("CONV2D", [stacked(X2), stacked_filters(W2[..., :1]), 1, 0, 1, 3],
                 conv.conv2d(X2, W2[..., 0], 1).tolist(), id="2d-three-channels"),
    pytest.param("CONV2D", [stacked(X2), stacked_filters(W2), 1, 0, [[1, 0]], 3],
                 np.concatenate([conv.conv2d(X2, W2, [1, 0])[:, :, k] for k in range(2)]).tolist(),
                 id="2d-two-filters"),
    pytest.param("CONV2D", [stacked(X2), stacked_filters(W2), 2, "same", [[None]], 3],
                 np.concatenate([conv.conv2d(X2, W2, None, 2, "same")[:, :, k] for k in range(2)]).tolist(),
                 id="2d-same-S2"),
    pytest.param("MAXPOOL2D", [np.arange(16).reshape(4, 4).tolist(), [[None]], [[None]]], [[5, 7], [13, 15]],
                 id="maxpool"),
    pytest.param("MAXPOOL2D", [np.arange(9).reshape(3, 3).tolist(), 2, 1], [[4, 5], [7, 8]], id="maxpool-stride"),
    pytest.param("CONV_OUTPUT_SIZE", [7, 3, 4, 1], [[2]], id="size-not-fitting"),
    pytest.param("CONV_OUTPUT_SIZE", [32, 3, 2, "same"], [[16]], id="size-same"),
    pytest.param("CONV_PARAMS", [3, 3, 32], [[896]], id="params"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(proc: subprocess.Popen, url: str, context=None, seconds: float = 60) -> None:
    """Wait until ``xlcnn serve`` (``proc``) answers ``url``; fail with its output if it never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2, context=context).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"xlcnn serve did not start: {proc.stdout.read()}")
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
# the arguments of the error-cell cases (one channel, one filter)
CELL_X1, CELL_W1 = [0, 1, 2, -1, 1, -3, 0], [1, 0, -1]
CELL_X2 = np.arange(25, dtype=float).reshape(5, 5) % 3
CELL_W2 = np.array([[1, 0, -1], [0, 1, 0], [-1, 0, 1]], dtype=float)

FUNCTIONS = {
    "CONV1D": (["x", "w", "stride", "padding", "bias"], [column(CELL_X1), column(CELL_W1), 2, 1, 0.5],
               {"x", "w"}, {"x": 5, "w": 2, "stride": 3, "padding": 2, "bias": -1}, conv1d_ref),
    "CONV2D": (["x", "w", "stride", "padding", "bias", "channels"], [CELL_X2.tolist(), CELL_W2.tolist(), 1, 1, 2, 1],
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


ODD = [
    pytest.param("CONV1D", [column(CELL_X1), column(CELL_W1), [[1, 2]], com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be one cell, got a range of 2 cells", id="stride-two-cells"),
    pytest.param("CONV2D", [CELL_X2.tolist(), CELL_W2.tolist(), 1, 0, com_path.MISSING, [[1], [1]]],
                 "CONV2D: channels must be one cell, got a range of 2 cells", id="channels-two-cells"),
    pytest.param("CONV2D",
                 [CELL_X2.tolist(), CELL_W2.tolist(), com_path.MISSING, com_path.MISSING, [[1, "#REF!"]],
                  com_path.MISSING],
                 "CONV2D: bias (cell 2) is #REF!", id="bias-range-with-error"),
    pytest.param("CONV1D", [column(CELL_X1), column(CELL_W1), True, com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be a whole number, got True", id="stride-boolean"),
    pytest.param("CONV_PARAMS", ["#NAME?", 3, 2], "CONV_PARAMS: f is #NAME?", id="name-error"),
    pytest.param("CONV1D", [column(CELL_X1), column(CELL_W1), "x" * 300, com_path.MISSING, com_path.MISSING],
                 "CONV1D: stride must be a whole number, got '" + "x" * 36 + "...", id="long-text"),
]
