"""Exact 1D and 2D convolutions, the way deep-learning layers compute them.

Numpy only, no I/O. Conventions (those of Keras' ``Conv1D``/``Conv2D``):

* cross-correlation: the kernel is *not* flipped (``flip=True`` gives the
  mathematical convolution, which flips the kernel along its spatial axes);
* channels last: ``x`` is ``(N, C)`` or ``(H, W, C)``; kernels are
  ``(F, C, K)`` or ``(FH, FW, C, K)`` as in Keras, ``K`` being the number of
  filters;
* ``padding`` is a non-negative integer (that many zeros on both sides), a pair
  of them in 2D, or ``"valid"``/``"same"`` with exactly Keras' meaning: "same"
  gives ``ceil(N / S)`` outputs and, when the total padding is odd, puts the
  extra zero after (right/bottom);
* when ``(N - F + 2P) / S + 1`` is not an integer, the last partial window is
  dropped (Keras and PyTorch do the same); :func:`output_size` says so.

Integer inputs are computed in float64, which is exact for the small integers of
the exercises; float32 inputs stay float32.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np

from ..errors import ParameterError, ShapeError
from .numbers import num

__all__ = [
    "OutputSize",
    "conv1d",
    "conv2d",
    "conv_output_shape",
    "conv_params",
    "maxpool2d",
    "output_size",
    "preserves_size",
    "same_padding",
    "window_indices",
]


class OutputSize(NamedTuple):
    """Output length of a convolution along one axis, and how it was obtained."""

    size: int
    """Number of output positions (``floor((N + before + after - F) / S) + 1``)."""
    fits: bool
    """True when the windows end exactly at the end of the padded input."""
    n: int
    f: int
    stride: int
    pad_before: int
    pad_after: int
    dropped: int
    """Trailing padded-input elements that no window reaches (0 when ``fits``)."""

    @property
    def padded(self) -> int:
        return self.n + self.pad_before + self.pad_after

    def explain(self) -> str:
        """The output-size arithmetic in words, e.g. for a workbook or a feedback."""
        n, f, s = self.n, self.f, self.stride
        if self.pad_before == self.pad_after:
            pad = f"2*{self.pad_before}"
        else:
            pad = f"{self.pad_before}+{self.pad_after}"
        exact = (self.padded - f) / s + 1
        text = f"({n} - {f} + {pad}) / {s} + 1 = {num(exact)}"
        if self.fits:
            return text
        return (
            f"{text}: not an integer, the filter does not fit exactly; the last "
            f"partial window is dropped, so the output has {_count(self.size, 'value')} and "
            f"the last {_count(self.dropped, 'padded input value')} {'is' if self.dropped == 1 else 'are'} never used"
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---------------------------------------------------------------- validation


def _as_int(name: str, value: object, minimum: int) -> int:
    """An integer parameter; integral floats (2.0, as Excel sends them) are accepted."""
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, (int, np.integer)):
        v = int(value)
    elif isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or not float(value).is_integer():
            raise ParameterError(f"{name} must be an integer, got {value!r}")
        v = int(value)
    else:
        raise ParameterError(f"{name} must be an integer, got {value!r}")
    if v < minimum:
        rule = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ParameterError(f"{name} must be {rule}, got {v}")
    return v


def _pair(name: str, value: object, minimum: int) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ParameterError(f"{name} must be an integer or a pair of integers, got {value!r}")
        return (_as_int(f"{name}[0]", value[0], minimum), _as_int(f"{name}[1]", value[1], minimum))
    v = _as_int(name, value, minimum)
    return v, v


def _resolve_padding(padding: object, n: int, f: int, stride: int, name: str = "padding"):
    """(before, after) zeros for one axis."""
    if isinstance(padding, str):
        mode = padding.strip().lower()
        if mode == "valid":
            return 0, 0
        if mode == "same":
            out = -(-n // stride)  # ceil(n / stride)
            total = max((out - 1) * stride + f - n, 0)
            return total // 2, total - total // 2
        raise ParameterError(f"{name} must be a non-negative integer, 'valid' or 'same', got {padding!r}")
    p = _as_int(name, padding, 0)
    return p, p


def _numeric(name: str, a: object) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "iuf":
        raise ShapeError(f"{name} must hold numbers, got values of type {arr.dtype}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ShapeError(f"{name} holds {arr[bad]} at index {bad}: every value must be a finite number")
    if arr.size == 0:
        raise ShapeError(f"{name} is empty (shape {arr.shape})")
    return arr


def _bias(b: object, k: int, dtype) -> np.ndarray:
    if b is None:
        return np.zeros(k, dtype)
    arr = _numeric("b", b)
    if arr.ndim == 0:
        return np.full(k, arr, dtype)
    if arr.shape != (k,):
        raise ShapeError(f"b must be a scalar or have shape ({k},), one bias per filter; got shape {arr.shape}")
    return arr.astype(dtype, copy=False)


def _dtype(*arrays: np.ndarray):
    return np.result_type(*arrays, np.float32)


# ---------------------------------------------------------------- sizes


def output_size(n: int, f: int, stride: int = 1, padding: object = 0) -> OutputSize:
    """Output length of a convolution of an ``n``-long input with an ``f``-long filter.

    >>> output_size(7, 3, stride=4, padding=1).size, output_size(7, 3, 4, 1).fits
    (2, False)
    """
    n = _as_int("input size", n, 1)
    f = _as_int("filter size", f, 1)
    stride = _as_int("stride", stride, 1)
    before, after = _resolve_padding(padding, n, f, stride)
    padded = n + before + after
    if f > padded:
        raise ShapeError(f"filter ({f}) larger than the padded input ({padded} = {n} + {before} + {after})")
    size, dropped = divmod(padded - f, stride)
    return OutputSize(size + 1, dropped == 0, n, f, stride, before, after, dropped)


def preserves_size(n: int, f: int, padding: object, stride: int, exact: bool = False) -> bool:
    """Whether filter size ``f``, padding and stride give an output as long as the input.

    With ``exact=True`` the filter must also fit exactly (no partial window dropped).
    Impossible combinations (filter larger than the padded input, bad values) are
    simply ``False``: this is the predicate behind "give an (F, P, S) that preserves
    the spatial size", a question with many right answers.
    """
    try:
        o = output_size(n, f, stride, padding)
    except ParameterError:
        return False
    except ShapeError:
        return False
    return o.size == o.n and (o.fits or not exact)


def same_padding(f: int) -> int:
    """Zero padding that keeps the size with stride 1: ``(F - 1) / 2`` for an odd filter."""
    f = _as_int("filter size", f, 1)
    if f % 2 == 0:
        raise ParameterError(
            f"no symmetric zero padding keeps the size for an even filter size ({f}): "
            f"Keras' padding='same' puts {(f - 1) // 2} zero(s) before and {f // 2} after"
        )
    return (f - 1) // 2


def conv_params(f: object, channels_in: int, filters: int, bias: bool = True) -> int:
    """Trainable parameters of a Conv2D layer: ``(FH * FW * C + 1) * K``."""
    fh, fw = _pair("filter size", f, 1)
    c = _as_int("channels_in", channels_in, 1)
    k = _as_int("filters", filters, 1)
    return (fh * fw * c + (1 if bias else 0)) * k


def window_indices(n: int, f: int, stride: int, padding: object, i: int) -> list[int | None]:
    """Input indices read by output position ``i`` (``None`` where it reads a padding zero)."""
    o = output_size(n, f, stride, padding)
    i = _as_int("output index", i, 0)
    if i >= o.size:
        raise ParameterError(f"output index must be < {o.size}, got {i}")
    start = i * o.stride - o.pad_before
    return [j if 0 <= j < o.n else None for j in range(start, start + o.f)]


# ---------------------------------------------------------------- convolutions


def conv1d(x, w, b=0.0, stride=1, padding=0, flip: bool = False) -> np.ndarray:
    """1D convolution (cross-correlation) of ``x`` with one or several filters.

    ``x``: ``(N,)`` or ``(N, C)``. ``w``: ``(F,)`` or ``(F, C)`` for one filter,
    ``(F, C, K)`` for ``K`` filters. ``b``: scalar or ``(K,)``.
    Returns ``(N_out,)`` for one filter, ``(N_out, K)`` for ``(F, C, K)`` kernels.
    """
    x = _numeric("x", x)
    w = _numeric("w", w)
    if x.ndim == 1:
        x = x[:, None]
    elif x.ndim != 2:
        raise ShapeError(f"x must have shape (N,) or (N, C), got shape {x.shape}")
    if w.ndim > 3:
        raise ShapeError(f"w must have shape (F,), (F, C) or (F, C, K), got shape {w.shape}")
    single = w.ndim < 3
    w3 = w.reshape(w.shape + (1,) * (3 - w.ndim))
    n, c = x.shape
    f, wc, k = w3.shape
    if wc != c:
        raise ShapeError(f"channel mismatch: x has {c} channel(s) but w (shape {w.shape}) has {wc}")
    o = output_size(n, f, stride, padding)
    dtype = _dtype(x, w)
    bias = _bias(b, k, dtype)
    if o.pad_before or o.pad_after:
        xp = np.zeros((o.padded, c), dtype)
        xp[o.pad_before : o.pad_before + n] = x
    else:
        xp = np.ascontiguousarray(x, dtype)
    if flip:
        w3 = w3[::-1]
    s1 = xp.itemsize  # strides from the shape: numpy may give any stride to a length-1 axis
    s0 = c * s1
    windows = _view(xp, (o.size, f * c), (s0 * o.stride, s1))  # a window is f*c contiguous values
    out = windows @ w3.astype(dtype, copy=False).reshape(f * c, k)
    out += bias
    return out[:, 0] if single else out


def conv2d(x, w, b=None, stride=1, padding=0, flip: bool = False) -> np.ndarray:
    """2D convolution (cross-correlation) of ``x`` with one or several filters.

    ``x``: ``(H, W)`` or ``(H, W, C)``. ``w``: ``(FH, FW)`` or ``(FH, FW, C)``
    for one filter, ``(FH, FW, C, K)`` for ``K`` filters (Keras' layout).
    ``stride`` and integer ``padding`` may be ``(vertical, horizontal)`` pairs.
    Returns ``(H_out, W_out)`` for one filter, ``(H_out, W_out, K)`` otherwise.
    """
    x = _numeric("x", x)
    w = _numeric("w", w)
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ShapeError(f"x must have shape (H, W) or (H, W, C), got shape {x.shape}")
    if w.ndim < 2 or w.ndim > 4:
        raise ShapeError(f"w must have shape (FH, FW), (FH, FW, C) or (FH, FW, C, K), got shape {w.shape}")
    single = w.ndim < 4
    w4 = w.reshape(w.shape + (1,) * (4 - w.ndim))
    h, wd, c = x.shape
    fh, fw, wc, k = w4.shape
    if wc != c:
        raise ShapeError(f"channel mismatch: x has {c} channel(s) but w (shape {w.shape}) has {wc}")
    sh, sw = _pair("stride", stride, 1)
    if isinstance(padding, (tuple, list)):
        ph, pw = _pair("padding", padding, 0)
    else:
        ph = pw = padding
    oh = _axis("height", h, fh, sh, ph)
    ow = _axis("width", wd, fw, sw, pw)
    dtype = _dtype(x, w)
    bias = _bias(b, k, dtype)
    if oh.pad_before or oh.pad_after or ow.pad_before or ow.pad_after:
        xp = np.zeros((oh.padded, ow.padded, c), dtype)
        xp[oh.pad_before : oh.pad_before + h, ow.pad_before : ow.pad_before + wd] = x
    else:
        xp = np.ascontiguousarray(x, dtype)
    if flip:
        w4 = w4[::-1, ::-1]
    s0, s1, s2 = _c_strides(xp)
    windows = _view(xp, (oh.size, ow.size, fh, fw, c), (s0 * sh, s1 * sw, s0, s1, s2))
    # im2col: one row of FH*FW*C values per output position, then one matrix product
    cols = windows.reshape(oh.size * ow.size, fh * fw * c)
    out = (cols @ w4.astype(dtype, copy=False).reshape(fh * fw * c, k)).reshape(oh.size, ow.size, k)
    out += bias
    return out[:, :, 0] if single else out


def _view(a: np.ndarray, shape: tuple, strides: tuple) -> np.ndarray:
    """A read-only strided view of the C-contiguous array ``a`` (sliding windows).

    Same as ``as_strided`` without its per-call overhead (~5 us), which matters
    for the exercise-sized inputs the UDFs and the grader convolve by the thousand.
    """
    view = np.ndarray(shape, a.dtype, buffer=a, strides=strides)
    view.flags.writeable = False
    return view


def _c_strides(a: np.ndarray) -> tuple[int, int, int]:
    """Strides of a C-contiguous (H, W, C) array, computed from its shape.

    numpy may report any stride for an axis of length 1, so never trust ``a.strides``.
    """
    c = a.itemsize
    return a.shape[1] * a.shape[2] * c, a.shape[2] * c, c


def _axis(axis: str, n: int, f: int, stride: int, padding: object) -> OutputSize:
    try:
        return output_size(n, f, stride, padding)
    except ShapeError as err:
        raise ShapeError(f"{axis}: {err}") from err


def maxpool2d(x, size: object = 2, stride: object = None) -> np.ndarray:
    """Max pooling over ``(H, W)`` or ``(H, W, C)``, no padding ('valid', as Keras' default).

    ``stride`` defaults to ``size``, as in Keras' ``MaxPooling2D``.
    """
    x = _numeric("x", x)
    if x.ndim not in (2, 3):
        raise ShapeError(f"x must have shape (H, W) or (H, W, C), got shape {x.shape}")
    ph, pw = _pair("pool size", size, 1)
    sh, sw = _pair("stride", size if stride is None else stride, 1)
    x3 = x if x.ndim == 3 else x[:, :, None]
    oh = _axis("height", x3.shape[0], ph, sh, 0)
    ow = _axis("width", x3.shape[1], pw, sw, 0)
    x3 = np.ascontiguousarray(x3)
    s0, s1, s2 = _c_strides(x3)
    windows = _view(x3, (oh.size, ow.size, x3.shape[2], ph, pw), (s0 * sh, s1 * sw, s2, s0, s1))
    out = windows.max(axis=(3, 4))
    return out if x.ndim == 3 else out[:, :, 0]


def conv_output_shape(
    shape: Sequence[int], kernel: Sequence[int], filters: int, stride=1, padding=0
) -> tuple[int, int, int]:
    """``(H_out, W_out, K)`` of a Conv2D layer, e.g. for "what is the output volume?"."""
    sh, sw = _pair("stride", stride, 1)
    if isinstance(padding, (tuple, list)):
        ph, pw = _pair("padding", padding, 0)
    else:
        ph = pw = padding
    oh = _axis("height", shape[0], kernel[0], sh, ph)
    ow = _axis("width", shape[1], kernel[1], sw, pw)
    return oh.size, ow.size, _as_int("filters", filters, 1)
