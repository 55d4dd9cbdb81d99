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
from tests.excel.cases import CASES, CELL_W1, CELL_X1, ODD, column, officejs_arg


@pytest.fixture(scope="module")
def udfs():
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    if sys.platform != "win32":
        os.environ.setdefault("XLWINGS_ON_SERVER", "true")
    require("xlwings", "xlwings")
    import xlcnn.excel.udfs

    return xlcnn.excel.udfs








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



@pytest.mark.parametrize("name, args, expected", ODD)
def test_odd_inputs_on_both_paths(udfs, monkeypatch, name, args, expected):
    check_shown(shown_officejs(udfs, name, args), expected, "officejs")
    check_shown(shown_classic(udfs, name, args, monkeypatch), expected, "classic")


def test_an_unexpected_error_is_one_line_too(udfs, monkeypatch):
    from xlcnn.core import conv as core

    def broken(*args, **kwargs):
        raise RuntimeError("a bug\nover two lines " + "y" * 400)

    monkeypatch.setattr(core, "conv1d", broken)
    args = [column(CELL_X1), column(CELL_W1), com_path.MISSING, com_path.MISSING, com_path.MISSING]
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
    shown = com_path.call(func, com_path.com_value(column(CELL_X1)), com_path.com_value(column(CELL_W1)),
                          com_path.COM_ERRORS["#DIV/0!"], com_path.MISSING, com_path.MISSING)
    assert shown.startswith("Unexpected Python Error: Traceback (most recent call last):")
    assert re.search(r"CONV1D: stride is #DIV/0!\s*$", shown)
