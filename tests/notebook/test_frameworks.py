"""The frameworks the notebook reader knows, one module each (``xlcnn/notebook/frameworks``): what
each declares, read through the registry, and a framework added as one module (skorch) read end to
end."""

from __future__ import annotations

import pytest

from tests.notebook.test_outputs_first import report
from tests.support.notebooks import code
from xlcnn.core.notation import Layer
from xlcnn.notebook import frameworks
from xlcnn.notebook.frameworks import keras, keras_tuner, lightning, pytorch, skorch
from xlcnn.notebook.frameworks.base import UNKNOWN, tidy


@pytest.mark.parametrize("name, torch, args, kwargs, expected", [
    ("Conv2D", False, [32, 3], {"padding": "same", "activation": "relu"},
     Layer("conv", filters=32, kernel=3, stride=1, padding="same", activation="relu")),
    ("Conv2D", False, [], {"filters": 64, "kernel_size": [5, 5], "strides": 2},
     Layer("conv", filters=64, kernel=(5, 5), stride=2, padding="valid")),
    ("Dense", False, [10, "softmax"], {"kernel_regularizer": ("l2", 0.05)},
     Layer("dense", units=10, activation="softmax", l2=0.05)),
    ("MaxPooling2D", False, [], {}, Layer("maxpool", size=2)),
    ("Dropout", False, [0.3], {}, Layer("dropout", rate=0.3)),
    ("Conv2d", True, [3, 32, 3], {"padding": 1}, Layer("conv", filters=32, kernel=3, stride=1, padding=1)),
    ("Linear", True, [3072, 10], {}, Layer("dense", units=10)),
    ("MaxPool2d", True, [2, 2], {}, Layer("maxpool", size=2)),
    ("Dropout", True, [], {}, Layer("dropout", rate=0.5)),
    ("LogSoftmax", True, [], {"dim": 1}, Layer("activation", activation="softmax")),
], ids=["keras-conv", "keras-conv-keywords", "keras-dense-l2", "keras-pool-default", "keras-dropout",
        "torch-conv", "torch-linear", "torch-pool", "torch-dropout-default", "torch-logsoftmax"])
def test_each_framework_reads_its_layer_constructors(name, torch, args, kwargs, expected):
    fw = frameworks.layer_framework(name, torch)
    assert fw is not None and fw.name == ("pytorch" if torch else "keras")
    assert fw.make_layer(name, args, kwargs) == expected


@pytest.mark.parametrize("question, answer", [
    (lambda: frameworks.layer_framework("Conv2d", False), None),  # a torch name called through Keras' roots
    (lambda: frameworks.model_base("Module").name, "pytorch"),
    (lambda: frameworks.model_base("LightningModule").model_bases["LightningModule"], "forward"),
    (lambda: frameworks.model_base("Model").model_bases["Model"], "call"),
    (lambda: frameworks.model_base("object"), None),
    (lambda: frameworks.trainer("Trainer", "pl", set())[1].epochs, "max_epochs"),
    (lambda: frameworks.trainer("Trainer", "transformers", set()), None),  # another library's Trainer
    (lambda: frameworks.trainer("NeuralNetClassifier", "", {"max_epochs"})[1].model, "module"),
    (lambda: frameworks.training_steps(), {"backward", "apply_gradients"}),
    (lambda: frameworks.loss_of("CrossEntropyLoss", True), "categorical_crossentropy"),
    (lambda: frameworks.loss_of("SparseCategoricalCrossentropy", False), "sparse_categorical_crossentropy"),
    (lambda: frameworks.functional("max_pool2d"), "maxpool"),
    (lambda: frameworks.printed_kinds("summary")["MaxPooling2D"], "maxpool"),
    (lambda: frameworks.printed_kinds("repr")["Conv2d"], "conv"),
    (lambda: frameworks.default_batch("keras"), 32),
    (lambda: frameworks.default_batch("pytorch"), None),
], ids=["no-cross-framework-layer", "module-base", "lightning-applies-forward", "keras-applies-call", "no-base",
        "lightning-trainer", "other-trainer", "skorch-trainer", "training-steps", "torch-loss", "keras-loss",
        "functional-pool", "summary-kind", "repr-kind", "keras-default-batch", "torch-no-default-batch"])
def test_the_registry_answers_for_every_framework(question, answer):
    assert question() == answer


def test_the_registry_holds_one_module_a_framework():
    assert frameworks.REGISTRY == (keras.FRAMEWORK, keras_tuner.FRAMEWORK, pytorch.FRAMEWORK, lightning.FRAMEWORK,
                                   skorch.FRAMEWORK)
    assert {fw.name for fw in frameworks.REGISTRY} == {"keras", "pytorch"}  # Lightning and skorch are PyTorch


def test_tidy_makes_sizes_tuples_and_unknowns_none():
    assert tidy(Layer("conv", kernel=[3, 3], stride=UNKNOWN, padding=UNKNOWN)) == Layer("conv", kernel=(3, 3))


SKORCH = """import torch
from torch import nn
from skorch import NeuralNetClassifier

class Net(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.flat = nn.Flatten()
        self.fc1 = nn.Linear(3072, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(self.flat(x))))

net = NeuralNetClassifier(Net, module__hidden=128, max_epochs=3, batch_size=128, lr=1e-3,
                          optimizer=torch.optim.Adam, criterion=nn.CrossEntropyLoss)
net.fit(X_train, y_train)"""
SKORCH_LOG = """  epoch    train_loss    valid_acc    valid_loss     dur
-------  ------------  -----------  ------------  ------
      1        1.7012       0.4120        1.6011  9.1022
      2        1.5520       0.4510        1.5302  9.0310
      3        1.4711       0.4702        1.4950  9.0101
"""


def test_skorch_a_framework_added_as_one_module(tmp_path):
    r = report(tmp_path, code(SKORCH, SKORCH_LOG),
               code("print(f'test accuracy: {net.score(X_test, y_test):.4f}')", "test accuracy: 0.4655\n"))
    [e] = r["experiments"]
    assert (e["kind"], e["architecture"], e["epochs"], e["batch_size"], e["optimizer"]) == (
        "dense", "Layer 1 : DENSE 128; Layer 2 : DENSE", 3, 128, "adam")
    assert e["test_accuracy"] == 0.4655 and r["framework"] == "pytorch"


DATAMODULE = """import torch
from torch import nn
import pytorch_lightning as pl
from torch.utils.data import DataLoader

class CifarData(pl.LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        self.batch_size = batch_size

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size, shuffle=True)

class Lit(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.flat = nn.Flatten()
        self.fc = nn.Linear(3072, 10)

    def forward(self, x):
        return self.fc(self.flat(x))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)

trainer = pl.Trainer(max_epochs=2)
trainer.fit(Lit(), datamodule=CifarData(batch_size=128))"""


def test_a_lightning_data_module_gives_the_batch_size():
    from xlcnn.notebook.interpreter import trainings

    [t], framework = trainings([(0, DATAMODULE)])
    assert (t.epochs, t.batch_size, t.optimizer, framework) == (2, 128, "sgd", "pytorch")


TUNER = """import keras_tuner as kt

def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Conv2D(hp.Int('filters', 32, 128, step=32), 3, padding='same', activation='relu'))
    model.add(layers.MaxPooling2D())
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation='softmax'))
    model.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
    return model

tuner = kt.RandomSearch(build_model, objective='val_accuracy', max_trials=10)
tuner.search(x_train, y_train, epochs=3, validation_split=0.2)
for hp in tuner.get_best_hyperparameters(num_trials=2):
    model = tuner.hypermodel.build(hp)
    model.fit(x_train, y_train, epochs=10, batch_size=64)"""


def test_a_keras_tuner_search_trains_the_models_built_again_from_its_best_hyperparameters():
    from xlcnn.notebook.interpreter import trainings

    found, _ = trainings([(0, TUNER)])
    assert [(t.epochs, t.batch_size, [x.kind for x in t.layers]) for t in found] == [
        (10, 64, ["conv", "maxpool", "flatten", "dense"])] * 2  # the search's own trials are no model


def test_fit_arguments_from_a_dict_merged_into_another():
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, "BASE = {'batch_size': 128, 'verbose': 0}\nFIT = {**BASE, 'epochs': 30}\n"
                           "m = keras.Sequential([layers.Flatten(), layers.Dense(10)])\n"
                           "m.fit(x_train, y_train, **FIT)")])
    assert (t.epochs, t.batch_size) == (30, 128)


def test_batches_sliced_by_hand_give_the_batch_size():
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, """import torch
from torch import nn
net = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
opt = torch.optim.Adam(net.parameters())
for epoch in range(3):
    for i in range(0, len(x_train), 256):
        xb, yb = x_train[i:i + 256], y_train[i:i + 256]
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()""")])
    assert (t.epochs, t.batch_size) == (3, 256)


TORCHSUMMARY = """----------------------------------------------------------------
        Layer (type)               Output Shape         Param #
================================================================
            Conv2d-1           [-1, 32, 32, 32]             896
       BatchNorm2d-2           [-1, 32, 32, 32]              64
              ReLU-3           [-1, 32, 32, 32]               0
         MaxPool2d-4           [-1, 32, 16, 16]               0
            Conv2d-5           [-1, 64, 14, 14]          18,496
           Flatten-6                [-1, 12544]               0
            Linear-7                   [-1, 10]         125,450
================================================================
Total params: 144,906
"""
TORCHINFO = """==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Net                                      [1, 10]                   --
├─Conv2d: 1-1                            [1, 32, 32, 32]           896
├─MaxPool2d: 1-2                         [1, 32, 16, 16]           --
├─Linear: 1-3                            [1, 10]                   81,930
==========================================================================================
Total params: 82,826
"""


def test_pytorch_summary_tables_give_the_layers():
    from xlcnn.notebook.printed import ShownLayer, torch_summaries

    assert torch_summaries(TORCHSUMMARY) == [[
        ShownLayer("conv", filters=32, kernel=(3, 3), stride=(1, 1), padding=1), ShownLayer("bn"),
        ShownLayer("maxpool", size=(2, 2)), ShownLayer("conv", filters=64, kernel=(3, 3), stride=(1, 1), padding=0),
        ShownLayer("dense", units=10)]]
    assert torch_summaries(TORCHINFO) == [[ShownLayer("conv", filters=32, kernel=(3, 3), stride=(1, 1), padding=1),
                                           ShownLayer("maxpool", size=(2, 2)), ShownLayer("dense", units=10)]]


def test_lightning_hyperparameters_saved_and_read_back():
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, """import torch
from torch import nn
import pytorch_lightning as pl

class Lit(pl.LightningModule):
    def __init__(self, lr=1e-3, l2=0.0):
        super().__init__()
        self.save_hyperparameters()
        self.fc = nn.Linear(3072, 10)

    def forward(self, x):
        return self.fc(x.flatten(1))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.l2)

pl.Trainer(max_epochs=5).fit(Lit(l2=0.05), train_loader)""")])
    assert (t.epochs, t.optimizer, t.weight_decay) == (5, "adam", 0.05)


@pytest.mark.parametrize("penalty", ["0.05 * sum(p.pow(2).sum() for p in self.parameters())",
                                     "self.l2 * sum((w ** 2).sum() for w in self.parameters())",
                                     "self.hparams.l2 * torch.norm(self.fc.weight) ** 2"],
                         ids=["literal", "attribute", "hparams-norm"])
def test_an_l2_penalty_written_in_a_lightning_step(penalty):
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, f"""import torch
from torch import nn
import torch.nn.functional as F
import pytorch_lightning as pl

class Lit(pl.LightningModule):
    def __init__(self, l2=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.l2 = l2
        self.fc = nn.Linear(3072, 10)

    def forward(self, x):
        return self.fc(x.flatten(1))

    def training_step(self, batch, i):
        x, y = batch
        return F.cross_entropy(self(x), y) + {penalty}

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())

pl.Trainer(max_epochs=5).fit(Lit(), train_loader)""")])
    assert t.weight_decay == 0.05


def test_an_l2_penalty_written_in_a_training_loop():
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, """import torch
from torch import nn
net = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
opt = torch.optim.Adam(net.parameters())
LAMBDA = 0.05
for epoch in range(5):
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(xb), yb) + LAMBDA * sum(p.pow(2).sum() for p in net.parameters())
        loss.backward()
        opt.step()""")])
    assert t.weight_decay == 0.05


@pytest.mark.parametrize("making", ["FIT = dict(BASE, epochs=30)", "FIT = BASE.copy()\nFIT.update(epochs=30)",
                                    "FIT = dict(**BASE)\nFIT['epochs'] = 30"], ids=["dict-of", "copy-update", "set"])
def test_fit_arguments_from_a_dict_built_in_steps(making):
    from xlcnn.notebook.interpreter import trainings

    [t], _ = trainings([(0, f"BASE = dict(batch_size=128, verbose=0, epochs=5)\n{making}\n"
                           "m = keras.Sequential([layers.Flatten(), layers.Dense(10)])\n"
                           "m.fit(x_train, y_train, **FIT)")])
    assert (t.epochs, t.batch_size) == (30, 128)
