"""Worked computations: the products they list add up to the core's output."""

import numpy as np
from hypothesis import given, settings

from xlcnn.core.conv import conv1d, conv2d
from xlcnn.core.worked import explain_1d, explain_2d, terms_1d, terms_2d, total

from .test_conv import problems_1d, problems_2d


def test_explain_1d_by_hand():
    x, w = [0, 1, 2, -1, 1, -3, 0], [1, 0, -1]
    assert explain_1d(x, w, 0, 1, 0, 0) == "y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2"
    assert explain_1d(x, w, 0, 1, 1, 0) == "y[0] = 0(pad)*1 + 0*0 + 1*(-1) + 0 = -1"
    assert explain_1d(x, w, 2, 4, 1, 1) == "y[1] = (-1)*1 + 1*0 + (-3)*(-1) + 2 = 4"


def test_explain_2d_groups_channels():
    x = np.arange(8).reshape(2, 2, 2)  # x[r, c, ch]
    w = np.ones((2, 2, 2, 1))
    assert explain_2d(x, w, [1], 1, 0, 0, 0) == ("map 1: y[0,0] = [0*1 + 2*1 + 4*1 + 6*1] + [1*1 + 3*1 + 5*1 + 7*1]"
                                                 " + 1 = 29")


@settings(max_examples=150, deadline=None)
@given(problems_1d())
def test_terms_1d_add_up(problem):
    x, w, b, s, padding = problem
    out = conv1d(x, w, b, s, padding)
    for i in range(out.shape[0]):
        for k in range(out.shape[1]):
            assert total(terms_1d(x, w[:, :, k], s, padding, i), b[k]) == out[i, k]


@settings(max_examples=150, deadline=None)
@given(problems_2d())
def test_terms_2d_add_up(problem):
    x, w, b, s, padding = problem
    out = conv2d(x, w, b, s, padding)
    i, j, k = (d - 1 for d in out.shape)
    assert total(terms_2d(x, w, s, padding, i, j, k), b[k]) == out[i, j, k]
    assert total(terms_2d(x, w, s, padding, 0, 0, 0), b[0]) == out[0, 0, 0]
