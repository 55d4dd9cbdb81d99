"""The experiments of the results sheet, declared in TOML (no Keras here).

A teacher adds an ``[[experiment]]`` table to the file, not code; see the shipped
``xlcnn/data/experiments.toml`` for the keys. Everything is checked when the file is
read, with messages naming the experiment, the layer and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import datafiles
from ..errors import XlcnnError

LAYER_KEYS = {
    "flatten": set(),
    "dense": {"units", "activation", "l2", "dropout"},
    "conv": {"filters", "kernel", "stride", "padding", "activation", "batchnorm", "l2"},
    "maxpool": {"size", "stride"},
    "dropout": {"rate"},
    "batchnorm": set(),
    "global_avg_pool": set(),
    "random_flip": {"mode"},
    "random_translation": {"factor"},
}
TRAINING_KEYS = {"epochs", "batch_size", "optimizer", "learning_rate", "schedule", "warmup_epochs", "weight_decay",
                 "label_smoothing", "validation_split", "seed"}


class ExperimentError(XlcnnError):
    """An experiments file is malformed."""


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    layers: tuple[dict[str, Any], ...]
    epochs: int
    batch_size: int = 128
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    schedule: str = "constant"
    warmup_epochs: int = 0
    weight_decay: float = 0.0
    label_smoothing: float = 0.0
    validation_split: float = 0.1
    seed: int = 1234
    weights_picture: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def quick(self) -> "Experiment":
        """The same experiment for a smoke run: one epoch, no warm-up."""
        from dataclasses import replace

        return replace(self, epochs=1, warmup_epochs=0)


def _check_layer(where: str, layer: Any) -> dict[str, Any]:
    if not isinstance(layer, dict) or "type" not in layer:
        raise ExperimentError(f"{where}: each layer is a table with a type, got {layer!r}")
    kind = layer["type"]
    if kind not in LAYER_KEYS:
        raise ExperimentError(f"{where}: unknown layer type {kind!r} (known: {', '.join(LAYER_KEYS)})")
    unknown = set(layer) - LAYER_KEYS[kind] - {"type"}
    if unknown:
        raise ExperimentError(f"{where}: a {kind} layer has no key {', '.join(sorted(unknown))}")
    positive_ints = {"units", "filters", "kernel", "stride", "size"}
    for key in positive_ints & set(layer):
        v = layer[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ExperimentError(f"{where}: {key} must be a whole number >= 1, got {v!r}")
    for key in ("rate", "dropout", "factor"):
        if key in layer:
            v = layer[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
                raise ExperimentError(f"{where}: {key} must be a number in [0, 1), got {v!r}")
    if "l2" in layer and (isinstance(layer["l2"], bool) or not isinstance(layer["l2"], (int, float))
                          or layer["l2"] < 0):
        raise ExperimentError(f"{where}: l2 must be a number >= 0, got {layer['l2']!r}")
    if "padding" in layer and layer["padding"] not in ("same", "valid"):
        raise ExperimentError(f"{where}: padding must be 'same' or 'valid', got {layer['padding']!r}")
    if "activation" in layer and layer["activation"] not in ("relu", "softmax", "sigmoid", "tanh", "linear",
                                                             "gelu", "elu"):
        raise ExperimentError(f"{where}: unknown activation {layer['activation']!r}")
    return dict(layer)


def parse_experiments(text: str, source: str) -> list[Experiment]:
    data = datafiles.parse_toml(text, source, ExperimentError)
    defaults = data.get("defaults", {})
    unknown = set(defaults) - TRAINING_KEYS
    if unknown:
        raise ExperimentError(f"{source}: [defaults] has no key {', '.join(sorted(unknown))}")
    out = []
    names = set()
    for i, raw in enumerate(data.get("experiment", []), 1):
        name = raw.get("name")
        where = f"{source}: experiment {name or i}"
        if not isinstance(name, str) or not name.strip():
            raise ExperimentError(f"{where}: needs a name")
        if name in names:
            raise ExperimentError(f"{where}: the name {name!r} is used twice")
        names.add(name)
        unknown = set(raw) - TRAINING_KEYS - {"name", "title", "layers", "weights_picture"}
        if unknown:
            raise ExperimentError(f"{where}: no key {', '.join(sorted(unknown))}")
        layers = raw.get("layers")
        if not isinstance(layers, list) or not layers:
            raise ExperimentError(f"{where}: needs a list of layers")
        checked = tuple(_check_layer(f"{where}, layer {j}", layer) for j, layer in enumerate(layers, 1))
        if (checked[-1]["type"] != "dense" or checked[-1].get("units") != 10
                or checked[-1].get("activation") != "softmax"):
            raise ExperimentError(f"{where}: the last layer must be a dense layer of 10 units with softmax "
                                  "(CIFAR-10's classes)")
        merged = {**defaults, **{k: v for k, v in raw.items() if k in TRAINING_KEYS}}
        try:
            exp = Experiment(
                name=name, title=str(raw.get("title", name)), layers=checked,
                epochs=int(merged["epochs"]), batch_size=int(merged.get("batch_size", 128)),
                optimizer=str(merged.get("optimizer", "adam")), learning_rate=float(merged.get("learning_rate", 1e-3)),
                schedule=str(merged.get("schedule", "constant")), warmup_epochs=int(merged.get("warmup_epochs", 0)),
                weight_decay=float(merged.get("weight_decay", 0.0)),
                label_smoothing=float(merged.get("label_smoothing", 0.0)),
                validation_split=float(merged.get("validation_split", 0.1)), seed=int(merged.get("seed", 1234)),
                weights_picture=bool(raw.get("weights_picture", False)),
            )
        except KeyError as err:
            raise ExperimentError(f"{where}: missing {err.args[0]}") from err
        except (TypeError, ValueError) as err:
            raise ExperimentError(f"{where}: {err}") from err
        if exp.epochs < 1 or exp.batch_size < 1:
            raise ExperimentError(f"{where}: epochs and batch_size must be >= 1")
        if exp.optimizer not in ("adam", "adamw", "sgd"):
            raise ExperimentError(f"{where}: optimizer must be adam, adamw or sgd, got {exp.optimizer!r}")
        if exp.schedule not in ("constant", "cosine"):
            raise ExperimentError(f"{where}: schedule must be constant or cosine, got {exp.schedule!r}")
        if not 0 < exp.validation_split < 0.5:
            raise ExperimentError(f"{where}: validation_split must be in (0, 0.5), got {exp.validation_split}")
        out.append(exp)
    if not out:
        raise ExperimentError(f"{source}: no [[experiment]] tables")
    return out


def load_experiments(path: str | Path | None = None) -> list[Experiment]:
    return parse_experiments(*datafiles.load(path, "experiments.toml", "experiments file", ExperimentError))


def select(experiments: list[Experiment], only: tuple[str, ...] | list[str]) -> list[Experiment]:
    if not only:
        return experiments
    known = {e.name for e in experiments}
    unknown = [n for n in only if n not in known]
    if unknown:
        raise ExperimentError(f"--only: no experiment named {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return [e for e in experiments if e.name in only]
