"""skorch: ``NeuralNetClassifier(Module, max_epochs=N, batch_size=B, optimizer=torch.optim.Adam)``
wraps a PyTorch module and ``net.fit(X, y)`` trains it; ``net.score(X_test, y_test)`` evaluates it.
Its layers are PyTorch's; its log is a table of epochs (``epoch  train_loss  valid_acc ...``)."""

from __future__ import annotations

from .base import Framework, TrainerSpec

_NET = TrainerSpec("max_epochs", batch="batch_size", model="module", optimizer="optimizer", loss="criterion",
                   evaluations=("score",))

FRAMEWORK = Framework("pytorch", roots=("skorch",), torch=True,
                      trainers={"NeuralNetClassifier": _NET, "NeuralNet": _NET})
