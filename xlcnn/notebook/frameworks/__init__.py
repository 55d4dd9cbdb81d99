"""What the notebook reader knows of each deep-learning framework, one module a framework.

Each module declares a :class:`Framework`: its layer constructors and how their arguments read, its
losses, the base classes that make a student's class a model (and the method that applies it),
its trainer objects (Lightning's ``Trainer``, skorch's ``NeuralNetClassifier``), the calls that
make a loop a training loop, and how its models print (a summary's layer types, a repr's module
names). The interpreter (:mod:`xlcnn.notebook.interpreter`) and the output reader
(:mod:`xlcnn.notebook.printed`) ask :data:`REGISTRY`; a new framework is one new module added to it.
"""

from __future__ import annotations

from . import keras, keras_tuner, lightning, pytorch, skorch
from .base import Framework, TrainerSpec

REGISTRY: tuple[Framework, ...] = (keras.FRAMEWORK, keras_tuner.FRAMEWORK, pytorch.FRAMEWORK, lightning.FRAMEWORK,
                                   skorch.FRAMEWORK)

__all__ = ["REGISTRY", "Framework", "TrainerSpec", "layer_framework", "model_base", "data_base", "search", "trainer",
           "training_steps", "loss_of", "functional", "printed_kinds", "default_batch"]


def layer_framework(name: str, torch: bool) -> Framework | None:
    """The framework whose layer constructor ``name`` is: PyTorch's where the call's root is a torch
    name (``nn.Conv2d``), Keras' otherwise (``layers.Conv2D``)."""
    for fw in REGISTRY:
        if name in fw.layers and fw.make_layer is not None and (fw.torch == torch):
            return fw
    return None


def model_base(name: str) -> Framework | None:
    """The framework of a base class that makes a student's class a model (``nn.Module``, ``keras.Model``)."""
    return next((fw for fw in REGISTRY if name in fw.model_bases), None)


def trainer(name: str, root: str, keywords: set[str]) -> tuple[Framework, TrainerSpec] | None:
    """A trainer object's constructor: named so by its framework, and either called through one of the
    framework's import roots or given the trainer's epochs keyword (so a same-named class elsewhere
    is not taken for it)."""
    for fw in REGISTRY:
        spec = fw.trainers.get(name)
        if spec is not None and (root in fw.roots or spec.epochs in keywords):
            return fw, spec
    return None


def data_base(name: str) -> str | None:
    """The method giving the training loader of a data class derived from ``name`` (a LightningDataModule)."""
    return next((fw.data_bases[name] for fw in REGISTRY if name in fw.data_bases), None)


def search(name: str) -> Framework | None:
    """The framework of a hyperparameter search's constructor (Keras Tuner's ``RandomSearch``)."""
    return next((fw for fw in REGISTRY if name in fw.searches), None)


def training_steps() -> set[str]:
    """The calls that make a loop a training loop (``backward``, ``apply_gradients``)."""
    return {step for fw in REGISTRY for step in fw.training_steps}


def loss_of(name: str, torch: bool) -> str | None:
    for fw in REGISTRY:
        if fw.torch == torch and name in fw.losses:
            return fw.losses[name]
    return None


def losses() -> set[str]:
    return {v for fw in REGISTRY for v in fw.losses.values()}


def functional(name: str) -> str | None:
    """The kind of a functional operation applied to a tensor (``F.max_pool2d``)."""
    return next((fw.functional[name] for fw in REGISTRY if name in fw.functional), None)


def printed_kinds(style: str) -> dict[str, str]:
    """Layer type -> kind, as a framework's printed model names them: ``summary`` (Keras'
    ``model.summary()``) or ``repr`` (``print(model)`` of a PyTorch module)."""
    out: dict[str, str] = {}
    for fw in REGISTRY:
        out.update(fw.summary_kinds if style == "summary" else fw.repr_kinds)
    return out


def default_batch(framework: str) -> int | None:
    return next((fw.default_batch for fw in REGISTRY if fw.name == framework and fw.default_batch), None)
