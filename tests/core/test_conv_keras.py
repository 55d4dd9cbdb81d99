"""The core against Keras' own Conv1D/Conv2D layers with the same weights.

Needs the `train` extra; in CI (CI=true) a missing Keras fails these tests.
Keras computes in float32: the small integers used here are exact there too.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from xlcnn.core.conv import conv1d, conv2d

from .test_conv import problems_1d, problems_2d

pytestmark = pytest.mark.keras
KERAS_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def keras_conv(keras, dims, x, w, b, stride, padding):
    """Run x through [ZeroPadding] + Conv{dims}D(K, kernel, strides, padding) with weights (w, b)."""
    layers = keras.layers
    inputs = keras.Input(x.shape)
    h = inputs
    mode = padding
    if isinstance(padding, int):
        if padding:
            h = (layers.ZeroPadding1D if dims == 1 else layers.ZeroPadding2D)(padding)(h)
        mode = "valid"
    conv = (layers.Conv1D if dims == 1 else layers.Conv2D)(
        w.shape[-1], w.shape[:dims], strides=stride, padding=mode
    )
    model = keras.Model(inputs, conv(h))
    conv.set_weights([w.astype("float32"), b.astype("float32")])
    return np.asarray(model(x[None].astype("float32"))[0])


@KERAS_SETTINGS
@given(problem=problems_1d())
def test_conv1d_equals_keras(keras, problem):
    x, w, b, s, padding = problem
    np.testing.assert_allclose(conv1d(x, w, b, s, padding), keras_conv(keras, 1, x, w, b, s, padding), atol=1e-4)


@KERAS_SETTINGS
@given(problem=problems_2d())
def test_conv2d_equals_keras(keras, problem):
    x, w, b, s, padding = problem
    np.testing.assert_allclose(conv2d(x, w, b, s, padding), keras_conv(keras, 2, x, w, b, s, padding), atol=1e-4)


@pytest.mark.parametrize("stride", [1, 2, 3, 4])
def test_same_with_stride_equals_keras_on_cifar_sized_input(keras, stride):
    rng = np.random.default_rng(stride)
    x = rng.integers(-3, 4, (32, 32, 3)).astype(float)
    w = rng.integers(-2, 3, (3, 3, 3, 4)).astype(float)
    b = rng.integers(-2, 3, 4).astype(float)
    np.testing.assert_allclose(conv2d(x, w, b, stride, "same"),
                               keras_conv(keras, 2, x, w, b, stride, "same"), atol=1e-3)
