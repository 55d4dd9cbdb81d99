"""Keras Tuner: a search (``kt.RandomSearch(build_model, ...)``, ``Hyperband``, ...) is built from the
students' model-building function; its trials are not the models the practical asks, but the
models built again from the best hyperparameters (``tuner.hypermodel.build(hp)``,
``tuner.get_best_models(n)``) and trained are. Its layers are Keras'."""

from __future__ import annotations

from .base import Framework

FRAMEWORK = Framework("keras", roots=("kt", "keras_tuner"),
                      searches=("RandomSearch", "Hyperband", "BayesianOptimization", "GridSearch"))
