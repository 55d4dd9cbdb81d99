"""The notebook report: realistic notebooks written with nbformat, read without running them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.notebooks import (
    code,
    keras_log,
    keras_notebook,
    never_executed,
    pytorch_notebook,
    write,
)
from xlcnn.notebook.evidence import markdown_table, percent, review_answers
from xlcnn.notebook.interpreter import trainings
from xlcnn.notebook.printed import fraction
from xlcnn.notebook.reading import MAX_TEXT, read_notebook
from xlcnn.notebook.report import notebook_report

ALL = {"dense_1layer": True, "weights_plot": True, "dense_2layer": True, "simple_cnn": True, "deeper_cnns": 3,
       "table": True, "review_answers": 3}


def report_of(tmp_path: Path, nb, name="cnn.ipynb") -> dict:
    path = tmp_path / name
    write(nb, path)
    return notebook_report([path]).to_dict()


@pytest.mark.parametrize("nb, framework, checklist, flag", [
    (keras_notebook(), "keras", ALL, None),
    (keras_notebook(functional=True), "keras", ALL, None),
    (keras_notebook(lang="fr", deeper=1), "keras", ALL | {"deeper_cnns": 1, "review_answers": 2},
     "models missing: deeper CNNs (1 of 3-5)"),
    (keras_notebook(lang="de"), "keras", ALL, None),
    (keras_notebook(parts="dense1"), "keras",
     {"dense_1layer": True, "weights_plot": True, "dense_2layer": False, "simple_cnn": False, "deeper_cnns": 0,
      "table": False, "review_answers": 0}, "models missing: two-layer network, simple CNN, any CNN"),
    (pytorch_notebook(), "pytorch",
     {"dense_1layer": True, "weights_plot": False, "dense_2layer": False, "simple_cnn": False, "deeper_cnns": 1,
      "table": False, "review_answers": 0}, "models missing: two-layer network, simple CNN"),
    (never_executed(), "keras", ALL | {"weights_plot": False}, "no saved outputs"),
    (keras_notebook(claim_test="78.5%"), "keras", ALL, "Table 1 row 1 (Layer 1 : CONV D=32"),
], ids=["keras-sequential", "keras-functional", "french", "german", "only-part-1", "pytorch", "never-executed",
        "claims-more-than-shown"])
def test_reports(tmp_path, nb, framework, checklist, flag):
    report = report_of(tmp_path, nb)
    assert report["status"] == "read" and report["framework"] == framework
    assert report["checklist"] == checklist
    if flag is None:
        assert report["flags"] == []
    else:
        assert any(f.startswith(flag) for f in report["flags"]), report["flags"]


def test_keras_experiments_in_the_practicals_notation(tmp_path):
    report = report_of(tmp_path, keras_notebook())
    first, second, cnn, deep1, deep2, _ = report["experiments"]
    assert {k: first[k] for k in first if k not in ("where", "evidence")} == {"kind": "dense",
                     "architecture": "Layer 1 : DENSE, L2=0.05", "epochs": 5, "batch_size": 128,
                     "optimizer": "adam", "regulariser": "L2 0.05", "train_accuracy": 0.41,
                     "test_accuracy": 0.3902, "cell": 3}
    assert second["architecture"] == "Layer 1 : DENSE 128; Layer 2 : DENSE" and second["epochs"] == 30
    assert cnn["architecture"] == "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"
    assert (cnn["train_accuracy"], cnn["test_accuracy"]) == (0.68, 0.618)
    assert deep2["architecture"].startswith("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; "
                                            "Layer 2 : CONV D=32, w=h=3, S=1, P='same'; Layer 3 : MAXPOOL; "
                                            "Layer 4 : CONV D=64")
    assert deep1["batch_size"] == 64 and deep1["epochs"] == 15


def test_pytorch_experiments(tmp_path):
    report = report_of(tmp_path, pytorch_notebook())
    cnn, mlp = report["experiments"]
    assert cnn["architecture"] == ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; "
                                   "Layer 3 : CONV D=64, w=h=3, S=1, P=1; Layer 4 : MAXPOOL; Layer 5 : DENSE")
    assert (cnn["epochs"], cnn["batch_size"], cnn["train_accuracy"], cnn["test_accuracy"]) == (12, 128, 0.61, 0.583)
    assert (mlp["kind"], mlp["train_accuracy"], mlp["test_accuracy"]) == ("dense", 0.405, 0.39)


def test_settings_that_differ_are_named(tmp_path):
    nb = keras_notebook()
    nb.cells[3].source = nb.cells[3].source.replace("epochs=5", "epochs=10").replace("'adam'", "'sgd'")
    nb.cells[3].outputs[0].text = keras_log(10, 0.41)
    flags = report_of(tmp_path, nb)["flags"]
    assert "one-layer network (In [2]): epochs 10 (asked 5), optimizer sgd (asked adam)" in flags


def test_the_log_decides_the_epochs_when_the_code_was_changed_after_the_run(tmp_path):
    nb = keras_notebook()
    nb.cells[3].source = nb.cells[3].source.replace("epochs=5", "epochs=10")
    report = report_of(tmp_path, nb)
    assert report["experiments"][0]["epochs"] == 5
    assert "In [2]: the code asks 10 epochs, the log shows 5" in report["unverified"]


def test_models_only_defined_are_not_trained(tmp_path):
    nb = keras_notebook()
    nb.cells = [c for c in nb.cells if ".fit(" not in c.source or "model1" in c.source]
    report = report_of(tmp_path, nb)
    assert [e["architecture"] for e in report["experiments"]] == ["Layer 1 : DENSE, L2=0.05"]


@pytest.mark.parametrize("content, status, flag", [
    (b"{not json", "unreadable", "not a notebook (not valid JSON"),
    (b'{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "unreadable", "not a notebook"),
    (b"[1, 2, 3]", "unreadable", "not a notebook (no cells)"),
], ids=["not-json", "cells-not-a-list", "a-list"])
def test_broken_notebooks(tmp_path, content, status, flag):
    path = tmp_path / "cnn.ipynb"
    path.write_bytes(content)
    report = notebook_report([path]).to_dict()
    assert report["status"] == status and report["flags"][0].startswith(f"cnn.ipynb: {flag}"), report["flags"]


def test_missing_and_several(tmp_path):
    assert notebook_report([tmp_path / "cnn-ex1-stud.xlsx"]).to_dict()["status"] == "missing"
    write(keras_notebook(parts="dense1"), tmp_path / "a.ipynb")
    write(keras_notebook(), tmp_path / "b.ipynb")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    write(keras_notebook(), tmp_path / ".ipynb_checkpoints" / "b-checkpoint.ipynb")
    report = notebook_report([tmp_path / "a.ipynb", tmp_path / "b.ipynb",
                              tmp_path / ".ipynb_checkpoints" / "b-checkpoint.ipynb"]).to_dict()
    assert report["status"] == "several" and report["file"] == "b.ipynb"
    assert report["flags"][0] == "several notebooks: a.ipynb, b.ipynb; the largest is read"


def test_a_5mb_output_is_read_in_bounded_memory(tmp_path):
    nb = keras_notebook()
    noise = "391/391 ━━━━ 3s 8ms/step - loss: 1.9\n" * 140_000  # about 5 MB of progress bars
    nb.cells[3].outputs[0].text = noise + keras_log(5, 0.41)
    path = tmp_path / "big.ipynb"
    write(nb, path)
    assert path.stat().st_size > 5 * 2**20
    read = read_notebook(path)
    assert len(read.cells[3].outputs) <= MAX_TEXT + 10
    report = notebook_report([path]).to_dict()
    assert report["experiments"][0]["train_accuracy"] == 0.41  # the tail, where the last epoch is


def test_student_code_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    nb = keras_notebook()
    nb.cells.insert(2, code(f"open({str(marker)!r}, 'w').write('x')\nimport os; os.system('touch {marker}')", ""))
    report_of(tmp_path, nb)
    assert not marker.exists()


def test_helper_functions_and_loops_with_literal_arguments():
    source = """from tensorflow import keras
from tensorflow.keras import layers
def build(sizes, dense=64):
    m = keras.models.Sequential()
    for s in sizes:
        m.add(layers.Conv2D(s, kernel_size=(5, 5), strides=(2, 2), padding='valid'))
    m.add(layers.Flatten())
    m.add(layers.Dense(dense, activation='relu'))
    m.add(layers.Dense(10, activation='softmax'))
    return m
for sizes in [[16, 32], [32, 64, 128]]:
    model = build(sizes)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CategoricalCrossentropy())
    model.fit(x, y, epochs=3)
"""
    runs, framework = trainings([(0, source)])
    assert framework == "keras"
    assert [r.architecture() for r in runs] == [
        "Layer 1 : CONV D=16, w=h=5, S=2, P='valid'; Layer 2 : CONV D=32, w=h=5, S=2, P='valid'; "
        "Layer 3 : DENSE 64; Layer 4 : DENSE",
        "Layer 1 : CONV D=32, w=h=5, S=2, P='valid'; Layer 2 : CONV D=64, w=h=5, S=2, P='valid'; "
        "Layer 3 : CONV D=128, w=h=5, S=2, P='valid'; Layer 4 : DENSE 64; Layer 5 : DENSE"]
    assert runs[0].model.optimizer == "adam" and runs[0].model.loss == "categorical_crossentropy"
    assert (runs[0].epochs, runs[0].batch_size) == (3, 32)


@pytest.mark.parametrize("value, pct, expected", [("0.4012", "", 0.4012), ("40.12", "", 0.4012),
                                                  ("62,4", "%", 0.624), ("150", "", None)])
def test_fraction(value, pct, expected):
    assert fraction(value, pct) == pytest.approx(expected) if expected is not None else fraction(value, pct) is None


def test_table_and_review_helpers():
    rows = markdown_table("| # | Architecture | Acc. train % | Acc. test % |\n|--|--|--|--|\n"
                          "| 1 | CONV | 68.2% | 62.4% |\n")
    assert [r.as_dict() for r in rows] == [{"architecture": "CONV", "train": "68.2%", "test": "62.4%"}]
    assert percent("62,4 %") == 62.4 and percent("0.624") == 62.4 and percent("n/a") is None
    assert review_answers(["## Review questions\n\na) What is the difference between a Dense and a Conv2D layer "
                           "in Keras?\n\nb) In CNN, explain\n"]) == 0


def test_a_hostile_notebook_stays_bounded_and_says_what_it_could_not_follow(tmp_path):
    """20,000 prints against 200,000 output lines, list comprehensions nested 64^4, endless recursion:
    the report comes back, and says in neutral words where it stopped following the code."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    flood = new_code_cell("\n".join(f'print("Test accuracy: {i}", x)' for i in range(20000)), execution_count=1)
    flood.outputs = [new_output("stream", name="stdout",
                                text="".join(f"Test accuracy: {i} 0.5\n" for i in range(200000)))]
    nested = new_code_cell("[[[[a for a in range(64)] for b in range(64)] for c in range(64)] for d in range(64)]\n"
                           "def f(n):\n    return f(n)\nf(1)\n", execution_count=2)
    later = new_code_cell("model = keras.Sequential([layers.Flatten(), layers.Dense(10)])\nmodel.fit(x, y, epochs=5)",
                          execution_count=3)
    report = report_of(tmp_path, new_notebook(cells=[flood, nested, later]))
    assert report["status"] == "read" and report["experiments"] == []
    # said of the cell where it stopped (the nested comprehensions), so the later model is known unread
    assert [n for n in report["unverified"] if "too long to follow" in n] == [
        "In [2]: the code is too long to follow from this cell on (50,000 steps interpreted): the models trained "
        "from here on are not read"]
    assert not any("no output shows it" in f for f in report["flags"])
