"""The shape of a framework's declaration, and the interpreter's "not known" value its readers return."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...core.notation import Layer


class _Unknown:
    def __repr__(self) -> str:
        return "?"


UNKNOWN = _Unknown()  # a value the interpreter could not follow (it propagates, never guessed)


def num(value):
    """``value`` when it is a number (not a bool), else None."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def tidy(layer: Layer, attrs: tuple[str, ...] = ("kernel", "stride", "size", "padding")) -> Layer:
    """A layer's sizes as tuples, and what could not be followed as None."""
    for attr in attrs:
        value = getattr(layer, attr)
        if isinstance(value, list):
            setattr(layer, attr, tuple(value))
        if value is UNKNOWN:
            setattr(layer, attr, None)
    return layer


@dataclass(frozen=True)
class TrainerSpec:
    """An object that trains a model: where its epochs, batch size, model, optimizer and loss are given."""

    epochs: str  # the constructor's keyword for the epochs ("max_epochs")
    batch: str = ""  # the constructor's keyword for the batch size, when it takes one
    model: str = "fit"  # "fit": the model is fit's first argument; else the constructor's keyword (its first argument)
    optimizer: str = ""  # the constructor's keyword naming the optimizer class
    loss: str = ""  # the constructor's keyword naming the loss class
    evaluations: tuple[str, ...] = ()  # its methods that evaluate on the data they are given ("test", "score")


@dataclass(frozen=True)
class Framework:
    name: str  # the word the report gives ("keras", "pytorch")
    roots: tuple[str, ...] = ()  # import names that mean this framework
    torch: bool = False  # its layers are called through torch names (nn.Conv2d)
    layers: dict[str, str] = field(default_factory=dict)  # layer constructor -> kind
    make_layer: Callable[[str, list, dict], Layer] | None = None  # reads a constructor's arguments
    functional: dict[str, str] = field(default_factory=dict)  # an operation applied to a tensor -> kind
    losses: dict[str, str] = field(default_factory=dict)  # a loss class -> the practical's loss word
    model_bases: dict[str, str] = field(default_factory=dict)  # base class -> the method that applies the model
    trainers: dict[str, TrainerSpec] = field(default_factory=dict)
    training_steps: tuple[str, ...] = ()  # calls that make a loop a training loop
    default_batch: int | None = None  # fit's batch size on arrays when none is given
    summary_kinds: dict[str, str] = field(default_factory=dict)  # a summary's layer type -> kind
    repr_kinds: dict[str, str] = field(default_factory=dict)  # a printed module's type -> kind
    data_bases: dict[str, str] = field(default_factory=dict)  # base class of a data object -> its train loader method
    searches: tuple[str, ...] = ()  # hyperparameter searches: built from a model-building function
