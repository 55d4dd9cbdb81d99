"""Keras (2 and 3, ``tf.keras``): layers, losses, subclassed models applied in ``call()``, training
loops of one's own on a ``GradientTape`` (``apply_gradients``), ``fit``'s default batch of 32, and
the layer types ``model.summary()`` prints."""

from __future__ import annotations

from ...core.notation import Layer
from .base import Framework, num, tidy

LAYERS = {
    "Conv2D": "conv", "Convolution2D": "conv", "Dense": "dense", "MaxPooling2D": "maxpool", "MaxPool2D": "maxpool",
    "Flatten": "flatten", "BatchNormalization": "bn", "Dropout": "dropout", "Activation": "activation",
    "ReLU": "activation", "Softmax": "activation", "InputLayer": "input", "GlobalAveragePooling2D": "gap",
    "AveragePooling2D": "avgpool", "Rescaling": "other", "RandomFlip": "augment", "RandomTranslation": "augment",
    "RandomRotation": "augment", "RandomZoom": "augment", "LeakyReLU": "activation",
}
SUMMARY = {"Conv2D": "conv", "Dense": "dense", "MaxPooling2D": "maxpool", "MaxPool2D": "maxpool",
           "BatchNormalization": "bn", "Dropout": "dropout", "GlobalAveragePooling2D": "gap",
           "AveragePooling2D": "avgpool", "Flatten": "flatten", "Activation": "activation", "ReLU": "activation",
           "InputLayer": "input", "Softmax": "activation"}


def layer(name: str, args: list, kwargs: dict) -> Layer:
    """A Keras layer from its constructor's arguments (positional as Keras orders them)."""
    kind = LAYERS[name]
    out = Layer(kind)
    reg = kwargs.get("kernel_regularizer")
    if isinstance(reg, tuple) and reg and reg[0] == "l2":
        out.l2 = num(reg[1])
    elif isinstance(reg, str) and reg.lower() == "l2":
        out.l2 = 0.01
    act = kwargs.get("activation", args[1] if kind == "dense" and len(args) > 1 else None)
    out.activation = act if isinstance(act, str) else None
    if kind == "conv":
        out.filters = num(kwargs.get("filters", args[0] if args else None))
        out.kernel = kwargs.get("kernel_size", args[1] if len(args) > 1 else None)
        out.stride = kwargs.get("strides", args[2] if len(args) > 2 else 1)
        out.padding = kwargs.get("padding", args[3] if len(args) > 3 else "valid")
        out.activation = kwargs.get("activation") if isinstance(kwargs.get("activation"), str) else None
    elif kind == "dense":
        out.units = num(kwargs.get("units", args[0] if args else None))
    elif kind == "maxpool":
        out.size = kwargs.get("pool_size", args[0] if args else 2)
    elif kind == "dropout":
        out.rate = num(kwargs.get("rate", args[0] if args else None))
    elif kind == "activation":
        value = args[0] if args else ("relu" if name == "ReLU" else "softmax" if name == "Softmax" else None)
        out.activation = value if isinstance(value, str) else None
    return tidy(out)


FRAMEWORK = Framework(
    "keras", roots=("keras", "tensorflow", "tf", "layers"), torch=False, layers=LAYERS, make_layer=layer,
    losses={"CategoricalCrossentropy": "categorical_crossentropy",
            "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy", "MeanSquaredError": "mse"},
    model_bases={"Model": "call"}, training_steps=("apply_gradients",), default_batch=32, summary_kinds=SUMMARY)
