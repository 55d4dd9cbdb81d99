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
            return cls(**json.loads(path.read_text()))
        except (ValueError, TypeError):
            return None  # half-written or from another version: train it again
