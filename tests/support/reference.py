"""Independent reference implementations for the tests: plain nested loops.

Written without the core's helpers (no strided views, no Keras padding rule
beyond its textbook definition) so that agreeing with them means something.
"""

import math

import numpy as np


def pads(n, f, s, padding):
    if padding == "valid":
        return 0, 0
    if padding == "same":
        out = math.ceil(n / s)
        total = max((out - 1) * s + f - n, 0)
        return total // 2, total - total // 2
    return padding, padding


def naive_conv1d(x, w, b, s, padding):
    """x (N, C), w (F, C, K), b (K,) -> (N_out, K)."""
    n, c = x.shape
    f, _, k = w.shape
    lo, hi = pads(n, f, s, padding)
    xp = np.concatenate([np.zeros((lo, c)), x, np.zeros((hi, c))])
    out = []
    start = 0
    while start + f <= len(xp):
        row = []
        for kk in range(k):
            acc = b[kk]
            for t in range(f):
                for cc in range(c):
                    acc += xp[start + t, cc] * w[t, cc, kk]
            row.append(acc)
        out.append(row)
        start += s
    return np.array(out, dtype=float).reshape(-1, k)


def naive_conv2d(x, w, b, s, padding):
    """x (H, W, C), w (FH, FW, C, K), b (K,), s (sh, sw), padding per axis -> (Ho, Wo, K)."""
    h, wd, c = x.shape
    fh, fw, _, k = w.shape
    ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    top, bottom = pads(h, fh, s[0], ph)
    left, right = pads(wd, fw, s[1], pw)
    xp = np.zeros((h + top + bottom, wd + left + right, c))
    xp[top : top + h, left : left + wd] = x
    rows = range(0, xp.shape[0] - fh + 1, s[0])
    cols = range(0, xp.shape[1] - fw + 1, s[1])
    out = np.zeros((len(rows), len(cols), k))
    for i, r in enumerate(rows):
        for j, q in enumerate(cols):
            for kk in range(k):
                acc = b[kk]
                for a in range(fh):
                    for bb in range(fw):
                        for cc in range(c):
                            acc += xp[r + a, q + bb, cc] * w[a, bb, cc, kk]
                out[i, j, kk] = acc
    return out
