"""Two small rules used everywhere: `num` (a number as a person writes it) and `excel_error` (is this
cell's value one of Excel's error values, and which)."""

import math

import numpy as np
import pytest

from xlcnn.core.excel_errors import EXCEL_ERRORS, excel_error
from xlcnn.core.numbers import num

# ------------------------------------------------------------------ num

NUMBERS = [
    pytest.param(2.0, "2", id="whole-float-without-dot-zero"),
    pytest.param(2, "2", id="int"),
    pytest.param(-3.0, "-3", id="negative-whole"),
    pytest.param(0.0, "0", id="zero"),
    pytest.param(-0.0, "0", id="negative-zero-is-zero"),
    pytest.param(0.5, "0.5", id="half"),
    pytest.param(-2.25, "-2.25", id="negative-decimal"),
    pytest.param(1e-05, "1e-05", id="small-in-scientific"),
    pytest.param(0.0001, "0.0001", id="0.0001-still-plain"),
    pytest.param(0.1 + 0.2, "0.3", id="float-noise-hidden"),
    pytest.param(np.float32(0.1), "0.1", id="float32-noise-hidden"),
    pytest.param(np.float64(7.0), "7", id="numpy-whole-float"),
    pytest.param(np.int64(-4), "-4", id="numpy-int"),
    pytest.param(63.05, "63.05", id="a-percentage"),
    pytest.param(1_250_858.0, "1250858", id="a-parameter-count-never-scientific"),
    pytest.param("2.50", "2.5", id="text-of-a-number"),
    pytest.param(math.inf, "inf", id="infinity"),
]


@pytest.mark.parametrize("value, text", NUMBERS)
def test_num(value, text):
    assert num(value) == text


def test_num_keeps_a_large_decimal_as_written():
    assert num(1234567.5) == "1234567.5"


@pytest.mark.parametrize("value, error, message", [
    pytest.param("two", ValueError, "could not convert string to float", id="words"),
    pytest.param(None, TypeError, "must be a string or a (real )?number", id="none"),
])
def test_num_refuses_what_is_not_a_number(value, error, message):
    with pytest.raises(error, match=message):
        num(value)


# ------------------------------------------------------------------ excel_error

ERRORS = [
    # (the cell's value, the error's name or None)
    pytest.param("#DIV/0!", "#DIV/0!", id="division-by-zero"),
    pytest.param("#N/A", "#N/A", id="not-available"),
    pytest.param("#NAME?", "#NAME?", id="unknown-name"),
    pytest.param("#NULL!", "#NULL!", id="null"),
    pytest.param("#NUM!", "#NUM!", id="num"),
    pytest.param("#REF!", "#REF!", id="deleted-reference"),
    pytest.param("#VALUE!", "#VALUE!", id="value"),
    pytest.param("#SPILL!", "#SPILL!", id="spill-of-a-dynamic-array"),
    pytest.param("#CALC!", "#CALC!", id="calc"),
    pytest.param("#GETTING_DATA", "#GETTING_DATA", id="getting-data-without-bang"),
    pytest.param("#div/0!", "#DIV/0!", id="lower-case"),
    pytest.param("  #N/A ", "#N/A", id="spaces-around"),
    pytest.param("\u00a0#REF!", "#REF!", id="non-breaking-space"),
    pytest.param("#DIV/0", None, id="without-the-bang"),
    pytest.param("DIV/0!", None, id="without-the-hash"),
    pytest.param("#N/A (no data)", None, id="with-words-after"),
    pytest.param("#", None, id="a-hash-alone"),
    pytest.param("", None, id="empty-text"),
    pytest.param("n/a", None, id="a-placeholder-not-an-error"),
    pytest.param(None, None, id="empty-cell"),
    pytest.param(7, None, id="a-number"),
    pytest.param(float("nan"), None, id="nan-is-not-an-excel-error"),
    pytest.param(True, None, id="a-boolean"),
]


@pytest.mark.parametrize("value, name", ERRORS)
def test_excel_error(value, name):
    assert excel_error(value) == name


def test_every_known_error_is_recognised_as_itself():
    assert len(EXCEL_ERRORS) == 17
    for name in EXCEL_ERRORS:
        assert name == name.upper() and name.startswith("#")
        assert excel_error(name) == name
        assert excel_error(name.lower()) == name
