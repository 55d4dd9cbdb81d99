"""The notebook report reads what ran from the outputs and every printed value through the code that
printed it (issue 34): one small notebook a behaviour, each expectation worked out by hand."""

from __future__ import annotations

from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from tests.support.notebooks import KERNEL, SETUP, code, write
from xlcnn.notebook.report import accusations, notebook_report

DENSE1 = """model = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)),
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
"""
CNN = """cnn = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
"""


FIT5 = "model.fit(x_train, y_train, epochs=5, batch_size=128)"


def log(epochs: int, asked: int, accs: list[float], vals: list[float] | None = None, steps: int = 391) -> str:
    """A Keras 3 fit log of ``epochs`` epochs out of ``asked`` with these training (and val) accuracies."""
    out = []
    for e in range(1, epochs + 1):
        val = f" - val_accuracy: {vals[e - 1]:.4f} - val_loss: 1.6000" if vals else ""
        out.append(f"Epoch {e}/{asked}\n{steps}/{steps} ━━━━━━━━━━━━━━━━━━━━ 3s 8ms/step - accuracy: "
                   f"{accs[e - 1]:.4f} - loss: 1.9000{val}")
    return "\n".join(out) + "\n"


def report(tmp_path, *cells) -> dict:
    nb = new_notebook(cells=[code(SETUP, "", count=1), *cells], metadata=KERNEL)
    for k, c in enumerate(c for c in nb.cells if c.cell_type == "code"):
        c.execution_count = k + 1 if c.execution_count is not None else None
    path = tmp_path / "nb.ipynb"
    write(nb, path)
    return notebook_report([path]).to_dict()


def test_a_number_in_a_printed_label_is_never_the_value(tmp_path):
    r = report(tmp_path,
               code(DENSE1 + FIT5, log(5, 5, [.3, .35, .38, .4, .41])),
               code("loss, acc = model.evaluate(x_test, y_test, verbose=0)\n"
                    "print(f\"Test accuracy 1-layer: {acc*100:.2f}%\")", "Test accuracy 1-layer: 39.54%\n"))
    [e] = r["experiments"]
    assert e["test_accuracy"] == 0.3954 and "Test accuracy 1-layer: 39.54%" in e["evidence"]["test_accuracy"]


def test_a_percent_format_and_a_loss_beside_it(tmp_path):
    r = report(tmp_path,
               code(DENSE1 + FIT5, log(5, 5, [.3, .35, .38, .4, .41])),
               code("score = model.evaluate(x_test, y_test, verbose=0)\n"
                    "print('loss %.3f / acc %.1f%%' % (score[0], 100 * score[1]))", "loss 1.702 / acc 39.9%\n"))
    assert r["experiments"][0]["test_accuracy"] == 0.399


def test_early_stopping_reports_the_epochs_that_ran(tmp_path):
    accs = [0.30 + 0.01 * k for k in range(23)]
    r = report(tmp_path, code(DENSE1 + "stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)\n"
                                       "model.fit(x_train, y_train, epochs=100, batch_size=128, callbacks=[stop])",
                              log(23, 100, accs) + "Epoch 23: early stopping\nRestoring model weights from the end of "
                                                   "the best epoch: 20.\n"))
    [e] = r["experiments"]
    assert (e["epochs"], e["train_accuracy"]) == (23, 0.52)
    assert ("In [2]: the training stopped after epoch 23 of the 100 asked (early stopping, or an interrupted run): "
            "the log shows what ran") in r["unverified"]


def test_a_fit_whose_cell_raised_before_an_epoch_trained_nothing(tmp_path):
    failed = code(CNN + "cnn.fit(x_train, y_train_wrong, epochs=10, batch_size=128)", "Epoch 1/10\n")
    failed.outputs.append(new_output("error", ename="ValueError", evalue="Arguments `target` and `output` must have "
                                     "the same shape", traceback=[]))
    r = report(tmp_path, failed)
    assert r["experiments"] == []
    assert any(n.startswith("In [2]: the cell stopped on ValueError: Arguments `target`") and
               n.endswith("nothing was trained there") for n in r["unverified"])


def test_validation_on_the_test_data_gives_the_test_accuracy(tmp_path):
    r = report(tmp_path, code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128, "
                                    "validation_data=(x_test, y_test))",
                              log(3, 3, [.5, .6, .7], [.48, .55, .6123])))
    [e] = r["experiments"]
    assert (e["train_accuracy"], e["test_accuracy"]) == (0.7, 0.6123)
    assert e["evidence"]["test_accuracy"].startswith("In [2]: test data as validation_data: Epoch 3/3 …")


def test_validation_on_held_out_training_data_is_no_test_accuracy(tmp_path):
    r = report(tmp_path, code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128, "
                                    "validation_data=(x_val, y_val))", log(3, 3, [.5, .6, .7], [.48, .55, .6123])))
    assert r["experiments"][0]["test_accuracy"] is None


def test_test_data_in_the_training_data_is_flagged_with_its_line(tmp_path):
    r = report(tmp_path,
               code("x_all = np.concatenate([x_train, x_test])\ny_all = np.concatenate([y_train, y_test])", ""),
               code(CNN + "cnn.fit(x_all, y_all, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7])))
    assert ("test data in the training data: In [2]: x_all = np.concatenate([x_train, x_test]) (In [3] trains on "
            "it, so its test accuracy is not a test of unseen data)") in r["flags"]


def test_honest_training_data_raises_no_such_flag(tmp_path):
    r = report(tmp_path,
               code("x_tr = np.concatenate([x_train[:40000], x_train[40000:]])", ""),
               code(CNN + "cnn.fit(x_tr, y_train, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7])))
    assert not any("test data in the training data" in f for f in r["flags"])


SUBCLASSED = """class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(32, 3, padding='same', activation='relu')
        self.pool = layers.MaxPooling2D()
        self.flat = layers.Flatten()
        self.out = layers.Dense(10, activation='softmax')

    def call(self, x):
        return self.out(self.flat(self.pool(self.conv(x))))

net = build(Net)
net.fit(x_train, y_train, epochs=4, batch_size=64)"""


def test_a_training_the_code_cannot_follow_is_reported_from_its_log_and_nothing_is_called_missing(tmp_path):
    r = report(tmp_path, code(SUBCLASSED, log(4, 4, [.4, .5, .55, .6012], steps=782)))
    unknown = [e for e in r["experiments"] if e["kind"] == "unknown"]
    assert [(e["epochs"], e["train_accuracy"], e["where"]) for e in unknown] == [(4, 0.6012, "In [2]")]
    assert not any(f.startswith("models missing") for f in r["flags"])
    assert any(f.startswith("not found in the code the reader could follow: one-layer network") and
               "the outputs show 1 more training run(s) it could not link (In [2])" in f for f in r["flags"])


def test_a_history_printed_again_is_no_new_run(tmp_path):
    r = report(tmp_path,
               code(CNN + "h = cnn.fit(x_train, y_train, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7])),
               code("for i, a in enumerate(h.history['accuracy']):\n    print(f'epoch {i + 1}: accuracy {a:.4f}')",
                    "epoch 1: accuracy 0.5000\nepoch 2: accuracy 0.6000\nepoch 3: accuracy 0.7000\n"))
    assert [e["kind"] for e in r["experiments"]] == ["cnn"]


TABLE = """## Table 1

| CNN | Architecture | Train acc. | Test acc. |
|---|---|---|---|
| 1 | {arch} | 70.0% | {test} |
"""


def _table_notebook(tmp_path, test: str, arch: str = "a small convolutional net", cleared: bool = False):
    fit = code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7]))
    ev = code("print('test accuracy:', cnn.evaluate(x_test, y_test, verbose=0)[1])", "test accuracy: 0.6419\n")
    if cleared:
        fit.outputs, fit.execution_count = [], None
    return report(tmp_path, fit, ev, new_markdown_cell(TABLE.format(arch=arch, test=test)))


def test_a_table_value_above_every_accuracy_shown_is_flagged_with_the_highest(tmp_path):
    r = _table_notebook(tmp_path, "78.5%")
    assert accusations(r) == [("test", "78.5%")]
    assert any("gives 78.5% test accuracy; no output shows it: the highest accuracy any output shows is 70.00% "
               "(In [2]: Epoch 3/3 … " in f for f in r["flags"]), r["flags"]


def test_a_table_value_an_output_shows_is_no_accusation(tmp_path):
    r = _table_notebook(tmp_path, "64.2%")
    assert accusations(r) == []


def test_cleared_outputs_are_named_and_nothing_is_accused(tmp_path):
    r = _table_notebook(tmp_path, "78.5%", cleared=True)
    assert accusations(r) == []
    assert "Table 1 cannot be checked in full: the cells that train cell 2 have no saved output (cleared, or never " \
           "run)" in r["flags"]


# ------------------------------------------------------------------ frameworks and idioms the code follows

KERAS_SUBCLASS = """class SmallCNN(keras.Model):
    def __init__(self, filters=32):
        super().__init__()
        self.conv1 = layers.Conv2D(filters, 3, padding='same', activation='relu')
        self.conv2 = layers.Conv2D(2 * filters, 3, padding='same', activation='relu')
        self.pool = layers.MaxPooling2D(2)
        self.flat = layers.Flatten()
        self.out = layers.Dense(10, activation='softmax')

    def call(self, x):
        x = self.pool(self.conv1(x))
        x = self.pool(self.conv2(x))
        return self.out(self.flat(x))

net = SmallCNN()
net.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
net.fit(x_train, y_train, epochs=3, batch_size=64)"""


def test_a_subclassed_keras_model_is_read_from_call_a_pool_applied_twice_twice(tmp_path):
    r = report(tmp_path, code(KERAS_SUBCLASS, log(3, 3, [.5, .6, .6611], steps=782)))
    [e] = r["experiments"]
    assert (e["kind"], e["epochs"], e["batch_size"], e["train_accuracy"]) == ("cnn", 3, 64, 0.6611)
    assert e["architecture"].count("MAXPOOL") == 2 and e["architecture"].count("CONV") == 2, e["architecture"]
    assert r["framework"] == "keras"


LIGHTNING = """import torch
from torch import nn
import torch.nn.functional as F
import pytorch_lightning as pl
from torch.utils.data import DataLoader

class LitCNN(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)

train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_loader = DataLoader(test_set, batch_size=256)
model = LitCNN()
trainer = pl.Trainer(max_epochs=3)
trainer.fit(model, train_loader)"""


def test_a_lightning_module_trained_by_a_trainer(tmp_path):
    bars = "".join(f"Epoch {k}: 100%|██████████| 782/782 [00:21<00:00, 36.4it/s, v_num=0, train_acc={a}]\n"
                   for k, a in enumerate(("0.451", "0.552", "0.613")))
    r = report(tmp_path, code(LIGHTNING, bars),
               code("trainer.test(model, test_loader)", "┃   Test metric   ┃  DataLoader 0  ┃\n"
                                                        "│    test_acc     │ 0.5987000107765198 │\n"))
    [e] = r["experiments"]
    assert (e["kind"], e["epochs"], e["batch_size"], e["optimizer"]) == ("cnn", 3, 64, "adam")
    assert (e["train_accuracy"], round(e["test_accuracy"], 4)) == (0.613, 0.5987)
    assert r["framework"] == "pytorch"


def test_a_tf_data_pipeline_gives_the_batch_size(tmp_path):
    r = report(tmp_path, code("train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1000)"
                              ".batch(64).prefetch(2)\n" + CNN + "cnn.fit(train_ds, epochs=3)",
                              log(3, 3, [.5, .6, .7], steps=782)))
    assert r["experiments"][0]["batch_size"] == 64


def test_a_torch_forward_that_pools_after_each_block_pools_twice(tmp_path):
    r = report(tmp_path, code("""import torch
from torch import nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(64 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.c1(x)))
        x = self.pool(F.relu(self.c2(x)))
        return self.fc(x.flatten(1))

net = Net()
opt = torch.optim.Adam(net.parameters())
loss_fn = nn.CrossEntropyLoss()
for epoch in range(2):
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
    print(f"epoch {epoch + 1}: train accuracy {accuracy(net, train_loader):.3f}")""",
                              "epoch 1: train accuracy 0.512\nepoch 2: train accuracy 0.603\n"))
    [e] = r["experiments"]
    assert e["architecture"].count("MAXPOOL") == 2, e["architecture"]


def test_accuracies_kept_in_a_dict_and_printed_in_a_loop_belong_to_their_models(tmp_path):
    r = report(tmp_path,
               code(DENSE1 + FIT5, log(5, 5, [.3, .35, .38, .4, .41])),
               code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7])),
               code("results = {}\nresults['dense'] = model.evaluate(x_test, y_test, verbose=0)[1]\n"
                    "results['cnn'] = cnn.evaluate(x_test, y_test, verbose=0)[1]\n"
                    "for name, acc in results.items():\n    print(f'{name}: {acc:.4f}')",
                    "dense: 0.3812\ncnn: 0.6377\n"))
    assert [(e["kind"], e["test_accuracy"]) for e in r["experiments"]] == [("dense", 0.3812), ("cnn", 0.6377)]


def test_a_torch_sequential_of_an_ordered_dict_and_add_module(tmp_path):
    r = report(tmp_path, code("""import torch
from torch import nn
from collections import OrderedDict
net = nn.Sequential(OrderedDict([('flat', nn.Flatten()), ('fc', nn.Linear(3072, 10))]))
net2 = nn.Sequential()
net2.add_module('conv', nn.Conv2d(3, 32, 3, padding=1))
net2.add_module('pool', nn.MaxPool2d(2))
net2.add_module('flat', nn.Flatten())
net2.add_module('fc', nn.Linear(32 * 16 * 16, 10))
opt = torch.optim.Adam(net.parameters())
for epoch in range(2):
    for xb, yb in train_loader:
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
opt2 = torch.optim.Adam(net2.parameters())
for epoch in range(2):
    for xb, yb in train_loader:
        opt2.zero_grad()
        nn.functional.cross_entropy(net2(xb), yb).backward()
        opt2.step()""", ""))
    assert [e["architecture"] for e in r["experiments"]] == [
        "Layer 1 : DENSE", "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE"]


def test_fit_arguments_spread_from_a_dict(tmp_path):
    r = report(tmp_path, code("FIT = dict(epochs=3, batch_size=256, verbose=1)\n" + CNN + "cnn.fit(x_train, y_train, "
                              "**FIT)", log(3, 3, [.5, .6, .7], steps=196)))
    assert (r["experiments"][0]["epochs"], r["experiments"][0]["batch_size"]) == (3, 256)


TORCH_NET = """import torch
from torch import nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear(64 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.c1(x)))
        x = self.pool(F.relu(self.c2(x)))
        return self.fc(torch.flatten(x, 1))

net = Net()
print(net)
opt = torch.optim.Adam(net.parameters())
for epoch in range(2):
    for xb, yb in train_loader:
        opt.zero_grad()
        F.cross_entropy(net(xb), yb).backward()
        opt.step()"""
NET_REPR = """Net(
  (c1): Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
  (c2): Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  (fc): Linear(in_features=4096, out_features=10, bias=True)
)
"""


def test_a_printed_torch_module_lists_a_reused_pool_once_and_forward_decides_the_order(tmp_path):
    r = report(tmp_path, code(TORCH_NET, NET_REPR))
    [e] = r["experiments"]
    assert e["architecture"] == ("Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : CONV D=64, "
                                 "w=h=3, S=1, P=1; Layer 4 : MAXPOOL; Layer 5 : DENSE")


TABLE2 = """## Table 1

| CNN | Architecture | Train acc. | Test acc. |
|---|---|---|---|
| 1 | Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE | 70.0% | {test} |
"""


def _claims(tmp_path, test: str) -> dict:
    fit = code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128, validation_split=0.1)",
               log(3, 3, [.55, .661, .70], [.52, .58, .6012]))
    ev = code("print('test accuracy:', cnn.evaluate(x_test, y_test, verbose=0)[1])", "test accuracy: 0.5934\n")
    return report(tmp_path, fit, ev, new_markdown_cell(TABLE2.format(test=test)))


def test_a_test_claim_only_a_training_value_shows_is_no_test_accuracy(tmp_path):
    assert accusations(_claims(tmp_path, "66.1%")) == [("test", "66.1%")]


def test_a_test_claim_a_validation_value_shows_is_not_doubted(tmp_path):
    assert accusations(_claims(tmp_path, "60.1%")) == []


HISTORY = """   accuracy      loss  val_accuracy  val_loss
0  0.301200  1.923400      0.351200  1.812300
1  0.356100  1.800000      0.390200  1.712300
2  0.401500  1.700000      0.402100  1.690000"""


def test_a_history_shown_only_as_a_dataframe_gives_the_training_accuracy(tmp_path):
    shown = code("import pandas as pd\npd.DataFrame(hist.history)", None)
    shown.outputs.append(new_output("execute_result", data={"text/plain": HISTORY}, execution_count=3))
    r = report(tmp_path, code(DENSE1 + "hist = model.fit(x_train, y_train, epochs=3, batch_size=128, verbose=0)", ""),
               shown)
    [e] = r["experiments"]
    assert (e["epochs"], e["train_accuracy"]) == (3, 0.4015)
    assert e["evidence"]["train_accuracy"].startswith("In [3]: history table, epoch 3: 2 0.401500")


def test_a_row_of_the_history_as_a_series(tmp_path):
    series = "accuracy        0.4015\nloss            1.7000\nval_accuracy    0.4021\nval_loss        1.6900\n" \
             "Name: 2, dtype: float64"
    shown = code("hist_df = pd.DataFrame(hist.history)\ndisplay(hist_df.iloc[-1])", None)
    shown.outputs.append(new_output("display_data", data={"text/plain": series}))
    r = report(tmp_path, code(DENSE1 + "hist = model.fit(x_train, y_train, epochs=3, batch_size=128, verbose=0)", ""),
               shown)
    assert r["experiments"][0]["train_accuracy"] == 0.4015


NUMBERED = """## Review questions

1. A Dense layer connects every input value to every neuron, a Conv2D layer slides one small filter.
2. The image keeps its rows, columns and channels, so neighbouring pixels stay neighbours everywhere.
3. see slides
4. The receptive field is the part of the input one output value depends on, the map is one filter's output.
"""


def test_review_answers_numbered_instead_of_lettered():
    from xlcnn.notebook.evidence import review_answers

    assert review_answers([NUMBERED]) == 3  # "see slides" is no answer


def test_a_spanish_table_is_read():
    from xlcnn.notebook.evidence import markdown_table

    rows = markdown_table("## Tabla 1\n\n| Arquitectura | Precisión entrenamiento | Precisión prueba |\n|---|---|---|\n"
                          "| CONV 32, MAXPOOL, DENSE | 70.1 % | 61.3 % |\n")
    assert [r.as_dict() for r in rows] == [{"architecture": "CONV 32, MAXPOOL, DENSE", "train": "70.1 %",
                                            "test": "61.3 %"}]


def test_a_tensorflow_training_loop_of_ones_own(tmp_path):
    r = report(tmp_path, code("""import tensorflow as tf
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(50000).batch(100)
model = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)), layers.Dense(10, activation='softmax')])
opt = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.CategoricalCrossentropy()
for epoch in range(4):
    for xb, yb in train_ds:
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
    print(f"Epoche {epoch + 1}: Trainingsgenauigkeit {acc_metric.result():.4f}")""",
                              "".join(f"Epoche {k}: Trainingsgenauigkeit 0.{30 + k}00\n" for k in range(1, 5))))
    [e] = r["experiments"]
    assert (e["kind"], e["epochs"], e["batch_size"], e["optimizer"]) == ("dense", 4, 100, "adam")
    assert e["train_accuracy"] == 0.34


RESULTS_DF = """        model  train_acc  test_acc
0  dense_1lay      0.410     0.3812
1     cnn_32c      0.700     0.6377"""


def test_a_results_dataframe_on_the_way_is_not_table_1_when_a_table_so_named_follows(tmp_path):
    shown = code("results_df = pd.DataFrame(rows, columns=['model', 'train_acc', 'test_acc'])\nresults_df", None)
    shown.outputs.append(new_output("execute_result", data={"text/plain": RESULTS_DF}, execution_count=3))
    r = report(tmp_path, code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128)", log(3, 3, [.5, .6, .7])),
               shown, new_markdown_cell("## Table 1"), new_markdown_cell(
                   "| Architecture | Train accuracy | Test accuracy |\n|---|---|---|\n"
                   "| CONV 32 + MAXPOOL + DENSE | 70.0% | 63.8% |\n"))
    assert r["table"] == [{"architecture": "CONV 32 + MAXPOOL + DENSE", "train": "70.0%", "test": "63.8%"}]


def test_model_selection_on_the_test_data_is_flagged_with_its_line(tmp_path):
    stop = "stop = keras.callbacks.EarlyStopping(monitor='val_accuracy', restore_best_weights=True)\n"
    r = report(tmp_path, code(stop + CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128, "
                              "validation_data=(x_test, y_test), callbacks=[stop])",
                              log(3, 3, [.5, .6, .7], [.48, .55, .6123])))
    assert any(f.startswith("model selection on the test data: In [2]: cnn.fit(x_train, y_train, epochs=3, "
                            "batch_size=128, validation_data=(x_test, y_test), callbacks=[stop])") for f in r["flags"])


def test_early_stopping_on_held_out_validation_data_is_no_such_flag(tmp_path):
    r = report(tmp_path, code(CNN + "cnn.fit(x_train, y_train, epochs=3, batch_size=128, validation_split=0.1, "
                              "callbacks=[keras.callbacks.EarlyStopping(patience=2)])",
                              log(3, 3, [.5, .6, .7], [.48, .55, .6123])))
    assert not any("model selection" in f for f in r["flags"])


def _slots(src: str):
    import ast

    from xlcnn.notebook.interpreter import print_slots

    return print_slots(ast.parse(src).body[0].value)


def test_a_print_template_reads_its_holes_left_to_right():
    ps = _slots('print(f"Test accuracy 1-layer: {acc*100:.2f}% (loss {loss:.3f})")')
    assert ps.match("  test   ACCURACY 1-layer: 39.54% (loss 1.702)") == ["39.54", "1.702"]
    assert ps.match("Test accuracy 2-layer: 39.54% (loss 1.702)") is None
    assert _slots("print(name, acc)").match("cnn_1  0.6123") == ["cnn_1", "0.6123"]


def test_a_hostile_line_against_a_template_of_many_holes_is_read_in_one_pass():
    """Eight holes with nothing between them and a long line of what their literal is made of: a
    backtracking matcher would take years here; this one reads it left to right."""
    adjacent = _slots('print(f"acc {a}{b}{c}{d}{e}{f}{g}{h} end")')
    assert adjacent.match("acc " + "x" * 1990) is None
    colons = _slots('print(f"{a}:{b}:{c}:{d}:{e}:{f} done")')
    assert colons.match(":" * 1500 + " nope") is None
    assert colons.match("1:2:3:4:5:6 done") == ["1", "2", "3", "4", "5", "6"]
    assert adjacent.match("acc " + "y" * 3000 + " end") is None  # longer than any printed value line
