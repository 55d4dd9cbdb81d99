"""The convolution core: hand-checked tables, failure tables, properties against loops."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.reference import naive_conv1d, naive_conv2d
from xlcnn import ParameterError, ShapeError, XlcnnError
from xlcnn.core.conv import (
    conv1d,
    conv2d,
    conv_output_shape,
    conv_params,
    maxpool2d,
    output_size,
    preserves_size,
    same_padding,
    window_indices,
)

DEMO_X = [0, 1, 2, -1, 1, -3, 0]  # the shipped 1D example (CS231n's demo, padding included)
DEMO_W = [1, 0, -1]

# ------------------------------------------------------------------ 1D, by hand

CASES_1D = [
    # (x, w, b, stride, padding, expected)
    pytest.param(DEMO_X, DEMO_W, 0, 1, 0, [-2, 2, 1, 2, 1], id="demo-S1-P0"),
    pytest.param(DEMO_X, DEMO_W, 0, 2, 0, [-2, 1, 1], id="demo-S2-P0"),
    pytest.param(DEMO_X, DEMO_W, 0, 4, 0, [-2, 1], id="demo-S4-P0-fits"),
    pytest.param(DEMO_X, DEMO_W, 0, 1, 1, [-1, -2, 2, 1, 2, 1, -3], id="demo-S1-P1-same-size"),
    pytest.param(DEMO_X, DEMO_W, 0, 4, 1, [-1, 2], id="demo-S4-P1-partial-window-dropped"),
    pytest.param([1, 2, -1, 1, -3], DEMO_W, 0, 1, 1, [-2, 2, 1, 2, 1], id="cs231n-W5-P1"),
    pytest.param([1, 2, -1, 1, -3], DEMO_W, 1, 2, 1, [-1, 2, 2], id="cs231n-W5-P1-S2-bias1"),
    pytest.param([1, 2, 3], [1, 1], 10, 1, 0, [13, 15], id="bias"),
    pytest.param(DEMO_X, DEMO_W, 0, 2, "same", [-1, 2, 2, -3], id="same-S2-odd-total"),
    pytest.param([1, 2, 3, 4, 5, 6], [1, 1, 1], 0, 2, "same", [6, 12, 11], id="same-S2-extra-zero-after"),
    pytest.param([1, 2, 3, 4, 5], [1, 1, 1, 1], 0, 1, "same", [6, 10, 14, 12, 9], id="same-even-filter"),
    pytest.param([1, 2, 3, 4, 5, 6, 7, 8], [1, 0, 0], 0, 4, "same", [1, 5], id="same-S4-filter-shorter-than-stride"),
    pytest.param([1, 2, 3], [1, 2, 3], 0, 1, "valid", [14], id="valid-one-window"),
    pytest.param([5], [2], 1, 1, 0, [11], id="one-element"),
    pytest.param([1.5, 2.25], [2], 0, 1, 0, [3.0, 4.5], id="decimals"),
]


@pytest.mark.parametrize("x, w, b, stride, padding, expected", CASES_1D)
def test_conv1d_by_hand(x, w, b, stride, padding, expected):
    np.testing.assert_array_equal(conv1d(x, w, b, stride, padding), expected)


def test_conv1d_channels_and_filters_by_hand():
    x = [[1, 10], [2, 20], [3, 30]]  # N=3, C=2
    w = np.zeros((2, 2, 2))  # F=2, C=2, K=2
    w[0, 0, 0] = 1  # filter 0: first input of channel 0 ...
    w[1, 1, 0] = 1  # ... plus second input of channel 1
    w[:, 1, 1] = [1, -1]  # filter 1: difference on channel 1
    np.testing.assert_array_equal(conv1d(x, w, [0, 100]), [[21, 90], [32, 90]])
    np.testing.assert_array_equal(conv1d(x, w[:, :, 0]), [21, 32])  # (F, C): one filter


def test_flip_is_the_mathematical_convolution():
    np.testing.assert_array_equal(conv1d([1, 2, 3], [1, 2]), [5, 8])
    np.testing.assert_array_equal(conv1d([1, 2, 3], [1, 2], flip=True), [4, 7])
    np.testing.assert_array_equal(conv2d([[1, 2], [3, 4]], [[1, 0], [0, 0]], flip=True), [[4]])


# ------------------------------------------------------------------ 2D, by hand


CASES_2D = [
    pytest.param(np.arange(16).reshape(4, 4), np.ones((2, 2)), None, 2, 0, [[10, 18], [42, 50]], id="4x4-2x2-S2"),
    pytest.param(np.ones((3, 3)), np.ones((3, 3)), None, 1, 1, [[4, 6, 4], [6, 9, 6], [4, 6, 4]],
                 id="zero-padding-counts"),
    pytest.param(np.ones((3, 3)), np.ones((3, 3)), 1, 1, "same", [[5, 7, 5], [7, 10, 7], [5, 7, 5]], id="same-bias"),
    pytest.param(np.arange(12).reshape(3, 4), [[1, -1]], None, (1, 2), 0, [[-1, -1]] * 3,
                 id="non-square-kernel-stride-pair"),
    pytest.param(np.arange(9).reshape(3, 3), [[1]], None, 1, (0, 1),
                 [[0, 0, 1, 2, 0], [0, 3, 4, 5, 0], [0, 6, 7, 8, 0]], id="padding-pair"),
    pytest.param(np.arange(16).reshape(4, 4), np.ones((3, 3)), None, 4, 1, [[10]], id="S4-P1-partial-window-dropped"),
    pytest.param(np.arange(16).reshape(4, 4), np.ones((1, 1)), None, 2, "same", [[0, 2], [8, 10]], id="same-S2-1x1"),
]


@pytest.mark.parametrize("x, w, b, stride, padding, expected", CASES_2D)
def test_conv2d_by_hand(x, w, b, stride, padding, expected):
    np.testing.assert_array_equal(conv2d(x, w, b, stride, padding), expected)


def test_conv2d_volume_by_hand():
    # one 3x3x3 filter per channel picking the centre: output = sum of the channels' centres + bias
    x = np.stack([np.full((3, 3), 1), np.full((3, 3), 2), np.full((3, 3), 3)], axis=-1)
    x[1, 1] = [10, 20, 30]
    w = np.zeros((3, 3, 3, 2))
    w[1, 1, :, 0] = 1
    w[:, :, 2, 1] = 1  # filter 1: sum of channel 2
    out = conv2d(x, w, [0.5, -1])
    assert out.shape == (1, 1, 2)
    np.testing.assert_array_equal(out[0, 0], [60.5, 8 * 3 + 30 - 1])


def test_conv2d_one_filter_shapes():
    x = np.ones((5, 5, 3))
    assert conv2d(x, np.ones((3, 3, 3))).shape == (3, 3)
    assert conv2d(x, np.ones((3, 3, 3, 2))).shape == (3, 3, 2)
    assert conv2d(np.ones((5, 5)), np.ones((3, 3))).shape == (3, 3)


def test_float32_stays_float32_and_ints_are_exact():
    x = np.ones((4, 4, 3), np.float32)
    assert conv2d(x, np.ones((3, 3, 3, 2), np.float32)).dtype == np.float32
    big = conv1d([2**40, 1], [1, 1])
    assert big.dtype == np.float64 and big[0] == 2**40 + 1


def test_maxpool_by_hand():
    np.testing.assert_array_equal(maxpool2d(np.arange(16).reshape(4, 4)), [[5, 7], [13, 15]])
    np.testing.assert_array_equal(maxpool2d(np.arange(9).reshape(3, 3), 2, 1), [[4, 5], [7, 8]])
    assert maxpool2d(np.ones((32, 32, 32))).shape == (16, 16, 32)


# ------------------------------------------------------------------ sizes

SIZES = [
    # n, f, stride, padding, size, fits, (before, after), dropped
    pytest.param(7, 3, 1, 0, 5, True, (0, 0), 0, id="S1-P0"),
    pytest.param(7, 3, 4, 0, 2, True, (0, 0), 0, id="S4-P0-fits"),
    pytest.param(7, 3, 4, 1, 2, False, (1, 1), 2, id="S4-P1-2.5"),
    pytest.param(5, 3, 2, 0, 2, True, (0, 0), 0, id="5x5-S2"),
    pytest.param(32, 3, 1, "same", 32, True, (1, 1), 0, id="same-S1"),
    pytest.param(7, 3, 2, "same", 4, True, (1, 1), 0, id="same-S2"),
    pytest.param(6, 3, 2, "same", 3, True, (0, 1), 0, id="same-S2-extra-after"),
    pytest.param(8, 3, 4, "same", 2, False, (0, 0), 1, id="same-S4-no-padding-needed"),
    pytest.param(7, 3, 1, "valid", 5, True, (0, 0), 0, id="valid"),
    pytest.param(7, 3, 1, " Same ", 7, True, (1, 1), 0, id="same-any-case"),
]


@pytest.mark.parametrize("n, f, stride, padding, size, fits, pads, dropped", SIZES)
def test_output_size(n, f, stride, padding, size, fits, pads, dropped):
    o = output_size(n, f, stride, padding)
    assert (o.size, o.fits, (o.pad_before, o.pad_after), o.dropped) == (size, fits, pads, dropped)


def test_output_size_explains_a_filter_that_does_not_fit():
    text = output_size(7, 3, 4, 1).explain()
    assert text.startswith("(7 - 3 + 2*1) / 4 + 1 = 2.5: not an integer")
    assert "2 values" in text and "last 2 padded input values are never used" in text
    assert output_size(5, 3, 1, 0).explain() == "(5 - 3 + 2*0) / 1 + 1 = 3"


def test_helpers():
    assert same_padding(3) == 1 and same_padding(5) == 2 and same_padding(1) == 0
    assert conv_params(3, 3, 2) == 56  # (3*3*3 + 1) * 2
    assert conv_params(3, 3, 32) == 896  # the practical's first Conv2D on CIFAR-10
    assert conv_params((5, 3), 16, 8, bias=False) == 5 * 3 * 16 * 8
    assert conv_output_shape((5, 5), (3, 3), 2, 1, 0) == (3, 3, 2)
    assert conv_output_shape((5, 5), (3, 3), 2, 2, 0) == (2, 2, 2)
    assert conv_output_shape((32, 32), (3, 3), 32, 1, "same") == (32, 32, 32)
    assert window_indices(7, 3, 4, 1, 0) == [None, 0, 1]
    assert window_indices(7, 3, 1, 1, 6) == [5, 6, None]


PRESERVES = [
    pytest.param(5, 3, 1, 1, True, id="F3-P1-S1"),
    pytest.param(5, 5, 2, 1, True, id="F5-P2-S1"),
    pytest.param(5, 1, 0, 1, True, id="F1-P0-S1"),
    pytest.param(5, 1, 2, 2, True, id="F1-P2-S2"),
    pytest.param(5, 3, 0, 1, False, id="no-padding"),
    pytest.param(5, 3, 1, 2, False, id="stride-2"),
    pytest.param(5, 9, 0, 1, False, id="filter-too-large"),
    pytest.param(5, 3, -1, 1, False, id="negative-padding"),
    pytest.param(5, 3, "same", 1, True, id="same"),
]


@pytest.mark.parametrize("n, f, padding, stride, expected", PRESERVES)
def test_preserves_size(n, f, padding, stride, expected):
    assert preserves_size(n, f, padding, stride) is expected


def test_preserves_size_exact_rejects_a_dropped_window():
    # (5 - 2 + 6)/2 + 1 = 5.5: floor gives 5, but the filter does not fit exactly
    assert preserves_size(5, 2, 3, 2) and not preserves_size(5, 2, 3, 2, exact=True)


# ------------------------------------------------------------------ failures

FAILURES = [
    pytest.param(lambda: conv1d([1, 2], [1, 2, 3]), ShapeError,
                 r"filter \(3\) larger than the padded input \(2 = 2 \+ 0 \+ 0\)", id="filter-too-long"),
    pytest.param(lambda: conv2d(np.ones((3, 5)), np.ones((4, 3))), ShapeError,
                 r"height: filter \(4\) larger than the padded input \(3", id="filter-too-tall"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], stride=0), ParameterError, r"stride must be a positive integer, got 0",
                 id="stride-zero"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], stride=-2), ParameterError,
                 r"stride must be a positive integer, got -2", id="stride-negative"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], stride=1.5), ParameterError, r"stride must be an integer, got 1.5",
                 id="stride-fraction"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], stride=True), ParameterError, r"stride must be an integer, got True",
                 id="stride-bool"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], stride="2"), ParameterError, r"stride must be an integer, got '2'",
                 id="stride-text"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], padding=-1), ParameterError, r"padding must be an integer >= 0, got -1",
                 id="padding-negative"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], padding=0.5), ParameterError, r"padding must be an integer, got 0.5",
                 id="padding-fraction"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], padding="full"), ParameterError,
                 r"padding must be a non-negative integer, 'valid' or 'same', got 'full'", id="padding-mode"),
    pytest.param(lambda: conv2d(np.ones((3, 3)), np.ones((1, 1)), stride=(1, 2, 3)), ParameterError,
                 r"stride must be an integer or a pair of integers", id="stride-triple"),
    pytest.param(lambda: conv1d([1, float("nan"), 3], [1]), ShapeError,
                 r"x holds nan at index \(1,\): every value must be a finite number", id="nan-input"),
    pytest.param(lambda: conv1d([1, 2, 3], [np.inf]), ShapeError, r"w holds inf at index \(0,\)", id="inf-filter"),
    pytest.param(lambda: conv1d([1, 2, 3], [1], b=np.nan), ShapeError, r"b holds nan", id="nan-bias"),
    pytest.param(lambda: conv1d(["a", "b"], [1]), ShapeError, r"x must hold numbers, got values of type <U1",
                 id="text-input"),
    pytest.param(lambda: conv1d([], [1]), ShapeError, r"x is empty", id="empty-input"),
    pytest.param(lambda: conv1d(np.ones((2, 2, 2)), [1]), ShapeError,
                 r"x must have shape \(N,\) or \(N, C\), got shape \(2, 2, 2\)", id="1d-x-3d"),
    pytest.param(lambda: conv1d(np.ones((4, 3)), np.ones((2, 2))), ShapeError,
                 r"channel mismatch: x has 3 channel\(s\) but w \(shape \(2, 2\)\) has 2", id="1d-channels"),
    pytest.param(lambda: conv2d(np.ones((5, 5, 3)), np.ones((3, 3, 2, 2))), ShapeError,
                 r"channel mismatch: x has 3 channel\(s\) but w \(shape \(3, 3, 2, 2\)\) has 2", id="2d-channels"),
    pytest.param(lambda: conv2d(np.ones((5, 5, 3)), np.ones(3)), ShapeError, r"w must have shape \(FH, FW\)",
                 id="2d-w-1d"),
    pytest.param(lambda: conv2d(np.ones((5, 5, 3)), np.ones((3, 3, 3, 2)), b=[1, 2, 3]), ShapeError,
                 r"b must be a scalar or have shape \(2,\), one bias per filter; got shape \(3,\)", id="bias-shape"),
    pytest.param(lambda: output_size(0, 3), ParameterError, r"input size must be a positive integer, got 0",
                 id="size-zero"),
    pytest.param(lambda: same_padding(4), ParameterError, r"even filter size \(4\).*1 zero\(s\) before and 2 after",
                 id="same-even"),
    pytest.param(lambda: window_indices(7, 3, 1, 0, 5), ParameterError, r"output index must be < 5, got 5",
                 id="index-out"),
    pytest.param(lambda: maxpool2d(np.ones((1, 4)), 2), ShapeError,
                 r"height: filter \(2\) larger than the padded input \(1", id="pool-too-large"),
]


@pytest.mark.parametrize("call, error, match", FAILURES)
def test_failures(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_errors_are_value_errors():
    assert issubclass(ShapeError, XlcnnError) and issubclass(XlcnnError, ValueError)


# ------------------------------------------------------------------ properties

ints = st.integers(-5, 5)
paddings = st.one_of(st.integers(0, 3), st.sampled_from(["valid", "same"]))


@st.composite
def problems_1d(draw):
    n, c, k = draw(st.integers(1, 12)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s, padding = draw(st.integers(1, 4)), draw(paddings)
    extra = 2 * padding if isinstance(padding, int) else (0 if padding == "valid" else 2 * n)
    f = draw(st.integers(1, min(n + extra, 6)))

    def arr(shape):
        return np.array(draw(st.lists(ints, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                        float).reshape(shape)
    return arr((n, c)), arr((f, c, k)), arr((k,)), s, padding


@st.composite
def problems_2d(draw):
    h, wd = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    c, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(st.integers(0, 2), st.sampled_from(["valid", "same"])))
    if padding == "valid":
        fh, fw = draw(st.integers(1, h)), draw(st.integers(1, wd))
    else:
        fh, fw = draw(st.integers(1, min(h + 4, 4))), draw(st.integers(1, min(wd + 4, 4)))
        if isinstance(padding, int):
            fh, fw = min(fh, h + 2 * padding), min(fw, wd + 2 * padding)

    def arr(shape):
        return np.array(draw(st.lists(ints, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                        float).reshape(shape)
    return arr((h, wd, c)), arr((fh, fw, c, k)), arr((k,)), s, padding


@settings(max_examples=300, deadline=None)
@given(problems_1d())
def test_conv1d_equals_nested_loops(problem):
    x, w, b, s, padding = problem
    np.testing.assert_array_equal(conv1d(x, w, b, s, padding), naive_conv1d(x, w, b, s, padding))


@settings(max_examples=300, deadline=None)
@given(problems_2d())
def test_conv2d_equals_nested_loops(problem):
    x, w, b, s, padding = problem
    np.testing.assert_array_equal(conv2d(x, w, b, s, padding), naive_conv2d(x, w, b, s, padding))


@settings(max_examples=200, deadline=None)
@given(st.lists(ints, min_size=1, max_size=12), st.lists(ints, min_size=1, max_size=5))
def test_flip_equals_numpy_convolve(x, w):
    if len(w) > len(x):
        x, w = w, x
    np.testing.assert_array_equal(conv1d(x, w, flip=True), np.convolve(x, w, mode="valid"))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 9), st.integers(1, 5), paddings)
def test_output_size_counts_the_windows(n, f, s, padding):
    lo = hi = padding if isinstance(padding, int) else 0
    if padding == "same":
        total = max((-(-n // s) - 1) * s + f - n, 0)
        lo, hi = total // 2, total - total // 2
    padded = n + lo + hi
    if f > padded:
        with pytest.raises(ShapeError):
            output_size(n, f, s, padding)
        return
    o = output_size(n, f, s, padding)
    starts = range(0, padded - f + 1, s)
    assert o.size == len(starts)
    assert o.fits == (starts[-1] + f == padded)
    if padding == "same":
        assert o.size == -(-n // s)


def test_a_partial_window_note_counts_in_words():
    # (3 - 2 + 2*0) / 2 + 1 = 1.5: one value, and the one input value after it never used
    assert output_size(3, 2, 2, 0).explain() == (
        "(3 - 2 + 2*0) / 2 + 1 = 1.5: not an integer, the filter does not fit exactly; the last partial window is "
        "dropped, so the output has 1 value and the last 1 padded input value is never used")
