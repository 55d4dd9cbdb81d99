"""Keras models from the declared experiments, and their description in the practical's notation.

The "Architecture" column of the results table is generated from the *built* Keras
model (:func:`architecture`), so it can never disagree with what was trained.
Keras is imported here only (Keras 3 on TensorFlow; XLA stays off on the CPU).
"""

from __future__ import annotations

import math
import os

from ..core.notation import Layer, notation
from .experiments import Experiment

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def build_model(exp: Experiment, input_shape=(32, 32, 3), num_classes: int = 10):
    import keras
    from keras import layers, regularizers

    inputs = keras.Input(input_shape, name="image")
    x = inputs
    for spec in exp.layers:
        kind = spec["type"]
        reg = regularizers.L2(spec["l2"]) if spec.get("l2") else None
        if kind == "flatten":
            x = layers.Flatten()(x)
        elif kind == "dense":
            x = layers.Dense(spec["units"], activation=spec.get("activation", "relu"), kernel_regularizer=reg)(x)
            if spec.get("dropout"):
                x = layers.Dropout(spec["dropout"])(x)
        elif kind == "conv":
            bn = bool(spec.get("batchnorm", False))
            activation = spec.get("activation", "relu")
            x = layers.Conv2D(spec["filters"], spec.get("kernel", 3), strides=spec.get("stride", 1),
                              padding=spec.get("padding", "same"), use_bias=not bn,
                              activation=None if bn else activation, kernel_regularizer=reg)(x)
            if bn:  # Conv2D -> BatchNormalization -> ReLU, as the practical hints
                x = layers.BatchNormalization()(x)
                x = layers.Activation(activation)(x)
        elif kind == "maxpool":
            x = layers.MaxPooling2D(spec.get("size", 2), strides=spec.get("stride"))(x)
        elif kind == "dropout":
            x = layers.Dropout(spec["rate"])(x)
        elif kind == "batchnorm":
            x = layers.BatchNormalization()(x)
        elif kind == "global_avg_pool":
            x = layers.GlobalAveragePooling2D()(x)
        elif kind == "random_flip":
            x = layers.RandomFlip(spec.get("mode", "horizontal"), seed=exp.seed)(x)
        elif kind == "random_translation":
            f = spec.get("factor", 0.1)
            x = layers.RandomTranslation(f, f, fill_mode="reflect", seed=exp.seed)(x)
        else:  # checked when the file was read
            raise AssertionError(kind)
    if x.shape[-1] != num_classes:
        raise AssertionError("the last layer must give one probability per class")
    return keras.Model(inputs, x, name=exp.name.replace("-", "_"))


def compile_model(model, exp: Experiment, steps_per_epoch: int) -> None:
    import keras

    lr = exp.learning_rate
    if exp.schedule == "cosine":
        warmup = exp.warmup_epochs * steps_per_epoch
        lr = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=exp.learning_rate / 10 if warmup else exp.learning_rate,
            decay_steps=max(1, (exp.epochs - exp.warmup_epochs) * steps_per_epoch),
            warmup_target=exp.learning_rate if warmup else None, warmup_steps=warmup,
        )
    if exp.optimizer == "adamw":
        optimizer = keras.optimizers.AdamW(lr, weight_decay=exp.weight_decay or 0.004)
    elif exp.optimizer == "sgd":
        optimizer = keras.optimizers.SGD(lr, momentum=0.9, nesterov=True)
    else:
        optimizer = keras.optimizers.Adam(lr)
    model.compile(optimizer=optimizer,
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=exp.label_smoothing),
                  metrics=["accuracy"], jit_compile=False)


def architecture(model) -> str:
    """The practical's notation of a Keras model (:func:`xlcnn.core.notation.notation`), e.g.
    "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"; augmentation
    layers are listed first."""
    layers: list[Layer] = []
    augment: list[str] = []
    for layer in model.layers:
        kind = type(layer).__name__
        cfg = layer.get_config()
        l2 = _l2(cfg) if cfg.get("kernel_regularizer") else None
        if kind == "Conv2D":
            layers.append(Layer("conv", cfg["filters"], tuple(cfg["kernel_size"]), tuple(cfg["strides"]),
                                cfg["padding"], l2=l2))
        elif kind == "Dense":
            layers.append(Layer("dense", units=cfg["units"], l2=l2))
        elif kind == "MaxPooling2D":
            layers.append(Layer("maxpool", size=tuple(cfg["pool_size"])))
        elif kind == "GlobalAveragePooling2D":
            layers.append(Layer("gap"))
        elif kind == "BatchNormalization":
            layers.append(Layer("bn"))
        elif kind == "Dropout":
            layers.append(Layer("dropout", rate=cfg["rate"]))
        elif kind == "RandomFlip":
            augment.append(f"{cfg['mode'].replace('_and_', ' and ')} flip")
        elif kind == "RandomTranslation":
            augment.append(f"shift {cfg['height_factor']:.0%}")
    return notation(layers, augment)


def _l2(cfg) -> float | str:
    reg = cfg["kernel_regularizer"]
    value = reg.get("config", {}).get("l2") if isinstance(reg, dict) else getattr(reg, "l2", None)
    return value if value is not None else "?"



def steps(n: int, batch_size: int) -> int:
    return max(1, math.ceil(n / batch_size))
