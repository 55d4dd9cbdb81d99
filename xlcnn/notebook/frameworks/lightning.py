"""PyTorch Lightning: a ``LightningModule`` is a PyTorch model (applied in ``forward``, its optimizer
from ``configure_optimizers``); ``pl.Trainer(max_epochs=N).fit(model, loader)`` trains it and
``trainer.test`` evaluates it; a ``LightningDataModule`` given to ``fit`` is the training data (its
``train_dataloader``'s batch size). Its layers are PyTorch's."""

from __future__ import annotations

from .base import Framework, TrainerSpec

FRAMEWORK = Framework(
    "pytorch", roots=("pl", "L", "lightning", "pytorch_lightning"), torch=True,
    model_bases={"LightningModule": "forward"}, data_bases={"LightningDataModule": "train_dataloader"},
    trainers={"Trainer": TrainerSpec("max_epochs", model="fit", evaluations=("test", "validate"))})
