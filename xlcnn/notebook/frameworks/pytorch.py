"""PyTorch: ``torch.nn`` layers and their functional forms, losses, ``nn.Module`` subclasses applied in
``forward()``, training loops that call ``backward()``, and the module names ``print(model)`` shows."""

from __future__ import annotations

from ...core.notation import Layer
from .base import Framework, num, tidy

LAYERS = {
    "Conv2d": "conv", "Linear": "dense", "MaxPool2d": "maxpool", "Flatten": "flatten", "BatchNorm2d": "bn",
    "BatchNorm1d": "bn", "Dropout": "dropout", "Dropout2d": "dropout", "ReLU": "activation", "Softmax": "activation",
    "LogSoftmax": "activation", "AdaptiveAvgPool2d": "gap", "AvgPool2d": "avgpool", "LeakyReLU": "activation",
    "GELU": "activation", "Tanh": "activation", "Sigmoid": "activation",
}
REPR = {"Conv2d": "conv", "Linear": "dense", "MaxPool2d": "maxpool", "AvgPool2d": "avgpool", "BatchNorm2d": "bn",
        "BatchNorm1d": "bn", "Dropout": "dropout", "Dropout2d": "dropout", "ReLU": "activation", "Flatten": "flatten",
        "Softmax": "activation", "LogSoftmax": "activation", "AdaptiveAvgPool2d": "gap"}


def layer(name: str, args: list, kwargs: dict) -> Layer:
    """A ``torch.nn`` module from its constructor's arguments (``Conv2d(in, out, kernel, stride, padding)``)."""
    kind = LAYERS[name]
    out = Layer(kind)
    if kind == "conv":
        out.filters = num(kwargs.get("out_channels", args[1] if len(args) > 1 else None))
        out.kernel = kwargs.get("kernel_size", args[2] if len(args) > 2 else None)
        out.stride = kwargs.get("stride", args[3] if len(args) > 3 else 1)
        out.padding = kwargs.get("padding", args[4] if len(args) > 4 else 0)
    elif kind == "dense":
        out.units = num(kwargs.get("out_features", args[1] if len(args) > 1 else None))
    elif kind in ("maxpool", "avgpool"):
        out.size = kwargs.get("kernel_size", args[0] if args else 2)
    elif kind == "dropout":
        out.rate = num(kwargs.get("p", args[0] if args else 0.5))
    elif kind == "activation":
        out.activation = {"ReLU": "relu", "Softmax": "softmax", "LogSoftmax": "softmax"}.get(name)
    return tidy(out)


FRAMEWORK = Framework(
    "pytorch", roots=("torch", "nn", "F"), torch=True, layers=LAYERS, make_layer=layer,
    functional={"max_pool2d": "maxpool", "avg_pool2d": "avgpool", "adaptive_avg_pool2d": "gap"},
    losses={"CrossEntropyLoss": "categorical_crossentropy", "NLLLoss": "categorical_crossentropy", "MSELoss": "mse",
            "BCELoss": "binary_crossentropy"},
    model_bases={"Module": "forward"}, training_steps=("backward",), repr_kinds=REPR)
