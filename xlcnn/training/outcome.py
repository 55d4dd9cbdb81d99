"""The record of one finished experiment (``metrics.json``): what it measured, saved and loaded."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files.atomic import atomic_write


@dataclass
class Outcome:
    """What one finished experiment measured (``metrics.json``)."""

    name: str
    title: str
    architecture: str
    params: int
    epochs: int
    batch_size: int
    train_accuracy: float  # on the whole training set, inference mode
    test_accuracy: float
    seconds_per_epoch: float
    total_seconds: float
    train_images: int
    history: dict[str, list[float]] = field(default_factory=dict)  # loss, accuracy, val_loss, val_accuracy
    weights_png: str | None = None
    epoch_seconds: list[float] = field(default_factory=list)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / "metrics.json", lambda t: t.write_text(json.dumps(asdict(self), indent=2) + "\n"))

    @classmethod
    def load(cls, folder: Path) -> "Outcome | None":
        path = folder / "metrics.json"
        if not path.exists():
            return None
        try:
            outcome = cls(**json.loads(path.read_text()))
        except (ValueError, TypeError):
            return None  # half-written or from another version: train it again
        return outcome if outcome._well_typed() else None

    def _well_typed(self) -> bool:
        """Every field of the type it is written with ("63%" is no accuracy): a file edited by hand or
        by another program is trained again rather than written into Table 1."""
        def number(v) -> bool:
            return isinstance(v, (int, float)) and not isinstance(v, bool)

        def numbers(v) -> bool:
            return isinstance(v, list) and all(number(x) for x in v)

        return (all(isinstance(getattr(self, k), str) for k in ("name", "title", "architecture"))
                and all(isinstance(getattr(self, k), int) and not isinstance(getattr(self, k), bool)
                        for k in ("params", "epochs", "batch_size", "train_images"))
                and all(number(getattr(self, k)) for k in ("train_accuracy", "test_accuracy", "seconds_per_epoch",
                                                            "total_seconds"))
                and isinstance(self.history, dict) and all(isinstance(k, str) and numbers(v)
                                                           for k, v in self.history.items())
                and (self.weights_png is None or isinstance(self.weights_png, str))
                and numbers(self.epoch_seconds))
