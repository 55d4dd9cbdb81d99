"""The practical's notation of a network, written once for the instructor's Results sheet (from a
Keras model) and the gradebook's Notebook sheet (from the layers read in a student's notebook):
"Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE".

Batch normalisation and dropout are written with the layer they follow; flatten and activation
layers are implicit; the last dense layer is the classifier ("DENSE"), the others give their units.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Layer:
    """One layer, as far as the notation needs it (``None``: not known)."""

    kind: str  # conv | dense | maxpool | avgpool | gap | bn | dropout (other kinds are not written)
    filters: int | None = None
    kernel: object = None  # n or (h, w)
    stride: object = None
    padding: object = None  # "same", "valid", n or (h, w)
    units: int | None = None
    activation: str | None = None
    l2: float | str | None = None  # "?" when a regulariser is there but its factor is not known
    size: object = None  # a pooling's size
    rate: float | None = None  # a dropout's rate


def _pair(value) -> tuple:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return tuple(value)
    return (value, value)


def _l2(layer) -> str:
    if not layer.l2:
        return ""
    return f", L2={layer.l2:g}" if isinstance(layer.l2, (int, float)) else f", L2={layer.l2}"


def notation(layers, augmentation: list[str] | None = None) -> str:
    """The notation of ``layers`` (any objects with :class:`Layer`'s fields), after the data
    augmentation if any ("Augmentation: horizontal flip, shift 10%; Layer 1 : ...")."""
    parts: list[str] = []
    denses = [layer for layer in layers if layer.kind == "dense"]
    for layer in layers:
        if layer.kind == "conv":
            kh, kw = _pair(layer.kernel if layer.kernel is not None else "?")
            sh, sw = _pair(layer.stride if layer.stride is not None else 1)
            size = f"w=h={kh}" if kh == kw else f"w={kw}, h={kh}"
            stride = f"S={sh}" if sh == sw else f"S=({sh},{sw})"
            pad = layer.padding if layer.padding is not None else "valid"
            if isinstance(pad, (tuple, list)) and len(set(pad)) == 1:
                pad = pad[0]
            if isinstance(pad, str):
                pad = f"'{pad}'"
            elif isinstance(pad, (tuple, list)):
                pad = "(" + ",".join(map(str, pad)) + ")"  # as two strides are written: (1,2)
            parts.append(f"CONV D={layer.filters if layer.filters is not None else '?'}, {size}, {stride}, "
                         f"P={pad}" + _l2(layer))
        elif layer.kind == "dense":
            text = "DENSE" if layer is denses[-1] else f"DENSE {layer.units if layer.units is not None else '?'}"
            parts.append(text + _l2(layer))
        elif layer.kind == "maxpool":
            ph, pw = _pair(layer.size if layer.size is not None else 2)
            parts.append("MAXPOOL" if (ph, pw) == (2, 2) else f"MAXPOOL {ph}x{pw}")
        elif layer.kind == "gap":
            parts.append("GLOBAL AVG POOL")
        elif layer.kind == "avgpool":
            parts.append("AVGPOOL")
        elif layer.kind == "bn" and parts:
            parts[-1] += " + BN"
        elif layer.kind == "dropout" and parts:
            parts[-1] += f" + DROPOUT {layer.rate:g}" if isinstance(layer.rate, (int, float)) else " + DROPOUT"
    text = "; ".join(f"Layer {i} : {p}" for i, p in enumerate(parts, 1))
    return f"Augmentation: {', '.join(augmentation)}; " + text if augmentation else text
