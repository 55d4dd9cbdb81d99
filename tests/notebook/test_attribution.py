"""xlcnn.notebook.attribution on its own: which saved output belongs to which training.

Small notebooks built in memory (cells of :mod:`xlcnn.notebook.reading`, code followed by the
interpreter): a fit takes its Keras log, ``evaluate`` its bar, a print its line; a value is
certain only when its line belongs to its model beyond doubt, and an accuracy printed in a cell
that trains nothing goes, uncertain, to the model trained in the code cell just before.
"""

from __future__ import annotations

import pytest

from xlcnn.notebook.attribution import Value, attribute
from xlcnn.notebook.interpreter import interpret
from xlcnn.notebook.printed import ShownLayer
from xlcnn.notebook.reading import Cell, Notebook

MODEL = ("import keras\nfrom keras import layers\n"
         "model = keras.Sequential([layers.Flatten(), layers.Dense(10, activation='softmax')])\n"
         "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n")
FIT = MODEL + "model.fit(x_train, y_train, epochs={n})"
SILENT_FIT = MODEL + "model.fit(x_train, y_train, epochs=1, verbose=0)"


def bar(acc: float) -> str:
    return f"313/313 ━━━━ 1s 2ms/step - accuracy: {acc:.4f} - loss: 1.7\n"


def log(*accs: float) -> str:
    n = len(accs)
    return "".join(f"Epoch {k}/{n}\n391/391 ━━━━━━━━━━━━━━━━━━━━ 3s 8ms/step - accuracy: {a:.4f} - loss: 1.9\n"
                   for k, a in enumerate(accs, 1))


def attributed(*cells):
    """The attribution of a notebook of ``(source, output)`` code cells (``In [k]``, k from 1) and
    markdown cells (a plain string), with the trainings the interpreter found."""
    built = [Cell(i, "markdown", c, label=f"cell {i + 1}") if isinstance(c, str)
             else Cell(i, "code", c[0], c[1], executed=True, count=i + 1, label=f"In [{i + 1}]")
             for i, c in enumerate(cells)]
    it = interpret([(c.index, c.source) for c in built if c.kind == "code"])
    return attribute(Notebook("cnn.ipynb", built), it), it.trainings


def values(found) -> tuple:
    """(train, test) as (value, where, certain), None where nothing was read."""
    return tuple(None if v is None else (pytest.approx(v.value), v.where, v.certain)
                 for v in (found.train, found.test))


# ------------------------------------------------------------------------------------ Keras fit and evaluate

def test_the_fit_log_gives_train_and_the_bar_gives_test():
    att, [t] = attributed((FIT.format(n=2), log(0.4, 0.5)), ("model.evaluate(x_test, y_test)", bar(0.45)))
    found = att.of(t)
    assert values(found) == ((0.5, "In [1]", True), (0.45, "In [2]", True))  # the last epoch, not the first
    assert (found.logged_epochs, found.output, att.notes) == (2, True, [])
    assert found.train.evidence == "In [1]: Epoch 2/2 … 391/391 - accuracy: 0.5000 - loss: 1.9"
    assert found.test.evidence == "In [2]: 313/313 - accuracy: 0.4500 - loss: 1.7"


def test_the_log_decides_the_epochs_shown():
    att, [t] = attributed((FIT.format(n=10), log(0.3, 0.35, 0.4)))
    assert att.of(t).logged_epochs == 3  # what the output shows, whatever the code now says


def test_two_fits_and_one_log_are_not_read():
    att, [t1, t2] = attributed((FIT.format(n=1) + "\nmodel.fit(x_train, y_train, epochs=1)", log(0.4)))
    assert values(att.of(t1)) == values(att.of(t2)) == (None, None)
    assert att.of(t1).logged_epochs is None
    assert att.notes == ["In [1] shows 1 training log(s) for 2 fit call(s): which log belongs to which model "
                         "could not be told, so their accuracies are not read"]


def test_a_silent_fit_takes_no_log_but_its_cell_has_output():
    att, [t] = attributed((SILENT_FIT + "\nprint('done')", "done\n"))
    assert values(att.of(t)) == (None, None) and att.of(t).output is True and att.notes == []


@pytest.mark.parametrize("evaluation, expected", [
    ("model.evaluate(x_test, y_test)", (None, (0.45, "In [2]", True))),
    ("model.evaluate(x_train, y_train)", ((0.45, "In [2]", True), None)),
    ("model.evaluate(a, b)", (None, (0.45, "In [2]", False))),
], ids=["test-data-certain", "the-training-data-is-train", "unknown-data-is-test-but-uncertain"])
def test_which_split_an_evaluation_bar_gives(evaluation, expected):
    att, [t] = attributed((SILENT_FIT, ""), (evaluation, bar(0.45)))
    assert values(att.of(t)) == expected


def test_two_evaluations_and_one_bar_are_not_read():
    att, [t] = attributed((SILENT_FIT, ""),
                          ("model.evaluate(x_test, y_test)\nmodel.evaluate(x_train, y_train)", bar(0.45)))
    assert values(att.of(t)) == (None, None)


# ------------------------------------------------------------------------------------ prints

def test_a_print_of_the_evaluation_is_certain():
    att, [t] = attributed((SILENT_FIT, ""),
                          ("loss, acc = model.evaluate(x_test, y_test, verbose=0)\n"
                           "print(f'Test accuracy: {acc:.4f}')", "Test accuracy: 0.6180\n"))
    assert values(att.of(t)) == (None, (0.618, "In [2]", True))


def test_a_bare_number_under_the_printed_label_is_read():
    att, [t] = attributed((SILENT_FIT, ""),
                          ("loss, acc = model.evaluate(x_test, y_test, verbose=0)\nprint('Test accuracy:\\n', acc)",
                           "Test accuracy:\n 0.61\n"))
    assert values(att.of(t)) == (None, (0.61, "In [2]", True))


def test_a_printed_evaluate_list_is_certain():
    att, [t] = attributed((SILENT_FIT, ""), ("print(model.evaluate(x_test, y_test, verbose=0))", "[1.7, 0.55]\n"))
    assert values(att.of(t)) == (None, (0.55, "In [2]", True))


def test_a_printed_evaluation_value_alone_is_read():
    att, [t] = attributed((SILENT_FIT, ""),
                          ("loss, acc = model.evaluate(x_test, y_test, verbose=0)\nprint(acc)", "0.61\n"))
    assert values(att.of(t)) == (None, (0.61, "In [2]", True))


def test_labelled_accuracies_in_the_training_cell_are_its_model_but_uncertain():
    att, [t] = attributed((SILENT_FIT + "\nprint('Validation accuracy: 0.3')\nprint('train accuracy: 0.7')",
                           "Validation accuracy: 0.3\ntrain accuracy: 0.7\n"))
    assert values(att.of(t)) == ((0.7, "In [1]", False), None)  # validation is neither train nor test


# ------------------------------------------------------------------------------------ cells that train nothing

@pytest.mark.parametrize("between, expected", [
    ([], (None, (0.52, "In [2]", False))),
    (["Test accuracy: 0.52 is written in markdown"], (None, (0.52, "In [3]", False))),
    ([("x = 1", "")], (None, None)),
], ids=["next-code-cell", "markdown-between-does-not-count", "a-code-cell-between-breaks-it"])
def test_an_accuracy_printed_after_the_training(between, expected):
    where = len(between) + 2
    att, [t] = attributed((SILENT_FIT, ""), *between, ("print('Test accuracy: 0.52')", "Test accuracy: 0.52\n"))
    assert values(att.of(t)) == expected
    assert [(s.value, s.where) for s in att.shown] == [(0.52, f"In [{where}]")]


def test_it_goes_to_the_model_trained_last():
    source = FIT.format(n=1) + ("\nm2 = keras.Sequential([layers.Dense(10)])\nm2.compile('adam', 'mse')\n"
                                "m2.fit(x_train, y_train, epochs=1, verbose=0)")
    att, [t1, t2] = attributed((source, log(0.4)), ("print('Test accuracy: 0.5')", "Test accuracy: 0.5\n"))
    assert values(att.of(t1)) == ((0.4, "In [1]", True), None)
    assert values(att.of(t2)) == (None, (0.5, "In [2]", False))


@pytest.mark.parametrize("cells, expected", [
    ([("model.evaluate(x_test, y_test)", bar(0.45)), ("print('Test accuracy: 0.99')", "Test accuracy: 0.99\n")],
     (0.45, "In [2]", True)),
    ([("model.evaluate(a, b)", bar(0.45)), ("model.evaluate(c, d)", bar(0.47))], (0.47, "In [3]", False)),
    ([("model.evaluate(x_test, y_test)", bar(0.45)), ("model.evaluate(x_test, y_test)", bar(0.47))],
     (0.47, "In [3]", True)),
    ([("model.evaluate(a, b)", bar(0.45)), ("model.evaluate(x_test, y_test)", bar(0.47))], (0.47, "In [3]", True)),
], ids=["certain-is-kept-over-a-later-uncertain", "a-later-uncertain-replaces-an-uncertain",
        "a-later-certain-replaces-a-certain", "a-certain-replaces-an-uncertain"])
def test_which_value_is_kept(cells, expected):
    att, [t] = attributed((SILENT_FIT, ""), *cells)
    assert values(att.of(t))[1] == expected


# ------------------------------------------------------------------------------------ PyTorch loops

TORCH = """import torch
import torch.nn as nn
loader = DataLoader(train_set, batch_size=64)
net = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
optimizer = torch.optim.Adam(net.parameters())
for epoch in range(3):
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: accuracy {acc:.1f}%")
"""


def test_a_training_loop_owns_its_prints_and_the_last_epoch_wins():
    att, [t] = attributed((TORCH, "epoch 1: accuracy 40.0%\nepoch 2: accuracy 45.0%\nepoch 3: accuracy 47.5%\n"),
                          ("print('Test accuracy: 44.0%')", "Test accuracy: 44.0%\n"))
    assert values(att.of(t)) == ((0.475, "In [1]", True), (0.44, "In [2]", False))
    assert att.of(t).logged_epochs is None  # no Keras log


# ------------------------------------------------------------------------------------ everything shown

def test_every_accuracy_shown_is_listed_with_its_cell():
    fit = FIT.format(n=2)
    text = log(0.4, 0.5).replace(" - loss: 1.9\n", " - loss: 1.9 - val_accuracy: 0.3800 - val_loss: 1.5\n", 1)
    att, _ = attributed((fit, text), ("model.evaluate(x_test, y_test)", bar(0.45)),
                        ("print('Accuracy: 0.46')\nprint([1.7, 0.47])", "Accuracy: 0.46\n[1.7, 0.47]\n"))
    assert [(s.value, s.where) for s in att.shown] == [
        (0.4, "In [1]"), (0.38, "In [1]"), (0.5, "In [1]"), (0.45, "In [2]"), (0.46, "In [3]"), (0.47, "In [3]")]


def test_every_training_has_a_found_even_without_output():
    att, trainings = attributed((SILENT_FIT + "\nmodel.fit(x_train, y_train, epochs=1, verbose=0)", ""))
    assert len(trainings) == 2
    assert [(att.of(t).output, values(att.of(t))) for t in trainings] == [(False, (None, None))] * 2
    assert set(att.found) == {id(t) for t in trainings}


# ------------------------------------------------------------------------------------ summaries

CONV = ("import keras\nfrom keras import layers\n"
        "model = keras.Sequential([layers.Conv2D(32, 3, padding='same'), layers.Flatten(), layers.Dense(10)])\n")


def summary(filters: int) -> str:
    """A Keras 2 summary of Conv2D(filters, 3, 'same') on 32x32x3, then Dense(10)."""
    rows = [("conv2d (Conv2D)", f"(None, 32, 32, {filters})", 3 * 3 * 3 * filters + filters),
            ("dense (Dense)", "(None, 10)", 10)]
    header = " Layer (type)                Output Shape              Param #"
    lines = ['Model: "sequential"', "_" * 65, header, "=" * 65]
    lines += [f" {name:<27} {shape:<25} {params}" for name, shape, params in rows]
    return "\n".join(lines + ["=" * 65, "Total params: 0", ""])


def shown(filters: int) -> list[ShownLayer]:
    return [ShownLayer("conv", filters=filters, kernel=(3, 3), stride=(1, 1), padding="same"),
            ShownLayer("dense", units=10)]


@pytest.mark.parametrize("cells, expected", [
    ([("model.summary()", summary(32)), ("model.fit(x, y, verbose=0)", "")], (32, "In [2]")),
    ([("model.summary()", summary(16)), ("model.summary()", summary(32)), ("model.fit(x, y, verbose=0)", "")],
     (32, "In [3]")),
    ([("model.fit(x, y, verbose=0)", ""), ("model.summary()", summary(8)), ("model.summary()", summary(16))],
     (8, "In [3]")),
    ([("model.fit(x, y, verbose=0)\nmodel.summary()", summary(8))], (8, "In [2]")),
    ([("model.fit(x, y, verbose=0)", "")], None),
], ids=["before-the-training", "the-last-before", "else-the-first-after", "in-the-training-cell", "none"])
def test_the_summary_shown_for_a_training(cells, expected):
    att, [t] = attributed((CONV, ""), *cells)
    assert att.shown_layers(t) == (None if expected is None else (shown(expected[0]), expected[1], False))


def test_a_printed_pytorch_model():
    repr_ = ("Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n"
             "  (1): Linear(in_features=3072, out_features=10, bias=True)\n)\n")
    att, [t] = attributed((TORCH, ""), ("net", repr_))
    assert att.shown_layers(t) == ([ShownLayer("dense", units=10)], "In [2]", True)  # a repr: as registered


def test_value_evidence_quotes_the_line():
    v = Value(0.61, "In [4]", "  Test   accuracy:  0.61  ")
    assert v.evidence == "In [4]: Test accuracy: 0.61" and v.certain is True
