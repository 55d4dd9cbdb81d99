"""The static reader of a notebook's code (``xlcnn.notebook.interpreter``), on small code strings.

Each case is a few lines a student could write, and what a TA reads in them by hand: the models
defined (Keras ``Sequential`` lists and ``add`` chains, the functional API, PyTorch ``nn.Sequential``
and ``nn.Module`` classes), their layers and kinds, the trainings (``fit`` or a ``backward()`` loop)
with their epochs and batch size read from literals, variables, helpers and loops, the code that never
runs, what the cells print, and what the interpreter refuses to follow (dynamic code, huge or deep
inputs) and what it says then. Nothing here is executed: ``x_train``, ``train_set``... never exist.
"""

from __future__ import annotations

import ast
import textwrap

import pytest

from xlcnn.core.notation import Layer, notation
from xlcnn.notebook.interpreter import (
    MAX_EVENTS,
    MAX_STATEMENTS,
    Interpreter,
    _split_of,
    interpret,
    kind_of,
    of_kind,
    print_template,
    trainings,
)

KERAS = "import keras\nfrom keras import layers, regularizers\n"
TORCH = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
         "from torch.utils.data import DataLoader\n")
DENSE_MODEL = KERAS + "model = keras.Sequential([layers.Flatten(), layers.Dense(10, activation='softmax')])\n"
TORCH_DATA = TORCH + textwrap.dedent("""\
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=1000)
    net = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
    criterion = nn.CrossEntropyLoss()
    """)


def src(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def run(*cells: str) -> Interpreter:
    """The interpreter after the cells, numbered 0, 1, 2... in order."""
    return interpret(list(enumerate(cells)))


def only_training(*cells: str):
    it = run(*cells)
    assert len(it.trainings) == 1, [t.code for t in it.trainings]
    return it.trainings[0]


# ---------------------------------------------------------------- models and their layers

MODELS = [
    (KERAS + src("""
        model = keras.Sequential([
            layers.Flatten(input_shape=(32, 32, 3)),
            layers.Dense(128, activation='relu'),
            layers.Dense(10, activation='softmax'),
        ])"""), "keras", "Layer 1 : DENSE 128; Layer 2 : DENSE", 0, 2),
    (KERAS + src("""
        model = keras.Sequential()
        model.add(layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)))
        model.add(layers.MaxPooling2D((2, 2)))
        model.add(layers.Flatten())
        model.add(layers.Dense(10, activation='softmax'))"""),
     "keras", "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE", 1, 1),
    (KERAS + src("""
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(16, 5, strides=2, padding='valid', activation='relu')(inputs)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(pool_size=3)(x)
        x = layers.Flatten()(x)
        x = layers.Dropout(0.5)(x)
        outputs = layers.Dense(10, activation='softmax')(x)
        model = keras.Model(inputs=inputs, outputs=outputs)"""),
     "keras", "Layer 1 : CONV D=16, w=h=5, S=2, P='valid' + BN; Layer 2 : MAXPOOL 3x3 + DROPOUT 0.5; Layer 3 : DENSE",
     1, 1),
    (src("""
        from keras.models import Sequential
        from keras.layers import Conv2D, Dense, Flatten
        model = Sequential([Conv2D(64, 3), Conv2D(64, 3), Flatten(), Dense(256, activation='relu'), Dense(10)])"""),
     "keras", "Layer 1 : CONV D=64, w=h=3, S=1, P='valid'; Layer 2 : CONV D=64, w=h=3, S=1, P='valid'; "
     "Layer 3 : DENSE 256; Layer 4 : DENSE", 2, 2),
    (src("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])"""),
     "keras", "Layer 1 : DENSE", 0, 1),
    (KERAS + src("""
        stack = [layers.Flatten()]
        for u in [256, 128]:
            stack.append(layers.Dense(u, activation='relu'))
        stack.append(layers.Dense(10, activation='softmax'))
        model = keras.Sequential(stack)"""),
     "keras", "Layer 1 : DENSE 256; Layer 2 : DENSE 128; Layer 3 : DENSE", 0, 3),
    (KERAS + "model = keras.Sequential([layers.Flatten()] + [layers.Dense(n) for n in (64, 32)] + [layers.Dense(10)])",
     "keras", "Layer 1 : DENSE 64; Layer 2 : DENSE 32; Layer 3 : DENSE", 0, 3),
    (KERAS + src("""
        def make_cnn(blocks, filters=32):
            model = keras.Sequential()
            for i in range(blocks):
                model.add(layers.Conv2D(filters * 2 ** i, 3, padding='same', activation='relu'))
                model.add(layers.MaxPooling2D())
            model.add(layers.Flatten())
            model.add(layers.Dense(10, activation='softmax'))
            return model
        model = make_cnn(2, filters=16)"""),
     "keras", "Layer 1 : CONV D=16, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : CONV D=32, w=h=3, S=1, "
     "P='same'; Layer 4 : MAXPOOL; Layer 5 : DENSE", 2, 1),
    (TORCH + "model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), "
     "nn.Linear(32 * 16 * 16, 10))",
     "pytorch", "Layer 1 : CONV D=32, w=h=3, S=1, P=1; Layer 2 : MAXPOOL; Layer 3 : DENSE", 1, 1),
    (TORCH + src("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(16 * 15 * 15, 10)
                self.conv = nn.Conv2d(3, 16, 3)
                self.pool = nn.MaxPool2d(2)

            def forward(self, x):
                x = self.pool(F.relu(self.conv(x)))
                x = torch.flatten(x, 1)
                return self.fc(x)

        model = Net()"""), "pytorch", "Layer 1 : CONV D=16, w=h=3, S=1, P=0; Layer 2 : MAXPOOL; Layer 3 : DENSE", 1, 1),
    (TORCH + src("""
        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]

        class Net(nn.Module):
            def __init__(self, width=32):
                super().__init__()
                self.features = nn.Sequential(*block(3, width), *block(width, 2 * width))
                self.classifier = nn.Linear(2 * width * 8 * 8, 10)

            def forward(self, x):
                return self.classifier(self.features(x).flatten(1))

        model = Net(width=16)"""),
     "pytorch", "Layer 1 : CONV D=16, w=h=3, S=1, P=1 + BN; Layer 2 : MAXPOOL; Layer 3 : CONV D=32, w=h=3, S=1, P=1 "
     "+ BN; Layer 4 : MAXPOOL; Layer 5 : DENSE", 2, 1),
    (src("""
        import torch.nn as tnn
        model = tnn.Sequential(tnn.Flatten(), tnn.Linear(3072, 100), tnn.ReLU(), tnn.Linear(100, 10))"""),
     "pytorch", "Layer 1 : DENSE 100; Layer 2 : DENSE", 0, 2),
    (src("""
        from torch.nn import Linear, Sequential, Flatten
        model = Sequential(Flatten(), Linear(3072, 10))"""), "pytorch", "Layer 1 : DENSE", 0, 1),
]


@pytest.mark.parametrize("source, framework, architecture, convs, denses", MODELS, ids=[
    "keras-sequential-list", "keras-add-chain", "keras-functional", "keras-imported-names", "tf-keras",
    "layer-list-built-in-a-loop", "list-comprehension-and-plus", "keras-helper-with-loop", "torch-sequential",
    "torch-module-forward-order", "torch-helper-blocks-unpacked", "torch-aliased-import", "torch-imported-names"])
def test_models_and_their_layers(source, framework, architecture, convs, denses):
    model = run(source).env["model"]
    assert (model.framework, notation(model.layers), model.unknown) == (framework, architecture, False)
    assert (len(of_kind(model.layers, "conv")), len(of_kind(model.layers, "dense"))) == (convs, denses)
    assert kind_of(model.layers) == ("cnn" if convs else "dense")


@pytest.mark.parametrize("expression, layer", [
    ("layers.Conv2D(32, (3, 3), strides=(2, 2), padding='same', activation='relu')",
     Layer("conv", filters=32, kernel=(3, 3), stride=(2, 2), padding="same", activation="relu")),
    ("layers.Conv2D(filters=8, kernel_size=[5, 5])",
     Layer("conv", filters=8, kernel=(5, 5), stride=1, padding="valid")),
    ("layers.Conv2D(n_filters, k)", Layer("conv", filters=None, kernel=None, stride=1, padding="valid")),
    ("layers.Dense(10, 'softmax')", Layer("dense", units=10, activation="softmax")),
    ("layers.Dense(units=64, kernel_regularizer=regularizers.l2(0.001))", Layer("dense", units=64, l2=0.001)),
    ("layers.Dense(64, kernel_regularizer='l2')", Layer("dense", units=64, l2=0.01)),
    ("layers.Dense(64, kernel_regularizer=keras.regularizers.L2(l2=0.0005))", Layer("dense", units=64, l2=0.0005)),
    ("layers.MaxPooling2D()", Layer("maxpool", size=2)),
    ("layers.MaxPool2D(pool_size=(3, 3))", Layer("maxpool", size=(3, 3))),
    ("layers.Dropout(0.25)", Layer("dropout", rate=0.25)),
    ("layers.Activation('relu')", Layer("activation", activation="relu")),
    ("layers.Softmax()", Layer("activation", activation="softmax")),
    ("layers.GlobalAveragePooling2D()", Layer("gap")),
    ("layers.RandomFlip('horizontal')", Layer("augment")),
    ("nn.Conv2d(3, 16, 5, stride=1, padding=2)", Layer("conv", filters=16, kernel=5, stride=1, padding=2)),
    ("nn.Conv2d(in_channels=3, out_channels=8, kernel_size=(3, 3))",
     Layer("conv", filters=8, kernel=(3, 3), stride=1, padding=0)),
    ("nn.Linear(128, 10)", Layer("dense", units=10)),
    ("nn.Dropout()", Layer("dropout", rate=0.5)),
    ("nn.AvgPool2d(kernel_size=3)", Layer("avgpool", size=3)),
    ("nn.LogSoftmax(dim=1)", Layer("activation", activation="softmax")),
    ("nn.BatchNorm2d(32)", Layer("bn")),
], ids=["conv-all-keywords", "conv-list-kernel-made-a-tuple", "conv-unknown-values-stay-none",
        "dense-positional-activation", "dense-l2-call", "dense-l2-string-is-keras-default", "dense-L2-keyword",
        "maxpool-default-2", "maxpool-3x3",
        "dropout", "activation-layer", "softmax-layer", "global-average-pooling", "augmentation", "torch-conv",
        "torch-conv-keywords-default-padding-0", "torch-linear-out-features", "torch-dropout-default-half",
        "torch-avgpool", "torch-logsoftmax", "torch-batchnorm"])
def test_one_layer(expression, layer):
    assert run(KERAS + TORCH + f"layer = {expression}").env["layer"] == layer


@pytest.mark.parametrize("source", [
    KERAS + "model = keras.Sequential([layers.Flatten(), custom_block, layers.Dense(10)])",
    KERAS + "model = keras.Sequential()\nmodel.add(layers.Flatten())\nmodel.add(make_block())",
    KERAS + "model = keras.Model(inputs, build_outputs(inputs))",
    KERAS + "model = keras.Sequential(eval(\"[layers.Dense(10)]\"))",
    KERAS + "model = keras.Sequential([layers.Dense(10)] * 10**9)",
], ids=["sequential-with-an-unknown-layer", "add-of-an-unknown-layer", "functional-unknown-outputs",
        "layers-made-by-eval", "list-repeated-a-billion-times"])
def test_a_model_built_from_what_cannot_be_followed_is_marked_unknown(source):
    model = run(source).env["model"]
    assert model.unknown and not of_kind(model.layers, "conv")


def test_a_model_is_named_after_the_variable_it_was_last_bound_to():
    it = run(DENSE_MODEL + "best = model\nbest.fit(x_train, y_train)")
    assert it.trainings[0].model.name == "best"


# ---------------------------------------------------------------- trainings: epochs and batch size

FITS = [
    ("model.fit(x_train, y_train, epochs=5, batch_size=64)", 5, 64),
    ("model.fit(x_train, y_train, 128, 20)", 20, 128),
    ("model.fit(x_train, y_train)", 1, 32),
    ("EPOCHS = 15\nBATCH = 256\nmodel.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH)", 15, 256),
    ("E = 2 * 5 + 1\nmodel.fit(x_train, y_train, epochs=E, batch_size=2 ** 6)", 11, 64),
    ("n = 3\nn += 4\nmodel.fit(x_train, y_train, epochs=n)", 7, 32),
    ("cfg = {'epochs': 8, 'batch_size': 100}\nmodel.fit(x_train, y_train, epochs=cfg['epochs'], "
     "batch_size=cfg.get('batch_size', 32))", 8, 100),
    ("opts = {'epochs': 3, 'batch_size': 16}\nmodel.fit(x_train, y_train, **opts)", 3, 16),
    ("model.fit(x_train, y_train, epochs=max(3, 9), batch_size=int(50.0))", 9, 50),
    ("def train(m, n):\n    return m.fit(x_train, y_train, epochs=n, batch_size=32)\ntrain(model, 12)", 12, 32),
    ("def train(m, n=7, bs=50):\n    m.fit(x_train, y_train, epochs=n, batch_size=bs)\ntrain(model)", 7, 50),
    ("EPOCHS = 20\ndef go():\n    model.fit(x_train, y_train, epochs=EPOCHS)\ngo()", 20, 32),
    ("for e in range(4):\n    model.fit(x_train, y_train, epochs=1, batch_size=64)", 4, 64),
    ("for e in range(3):\n    model.fit(x_train, y_train, epochs=2)", 6, 32),
    ("model.fit(x_train, y_train, epochs=args.epochs, batch_size=int(input()))", None, None),
    ("model.fit(x_train, y_train, epochs=10 ** 100)", None, 32),
    ("model.fit(x_train, y_train, epochs=5 // 0)", None, 32),
    ("model.fit(x_train, y_train, epochs=1e6 ** 64)", None, 32),
]


@pytest.mark.parametrize("code, epochs, batch", FITS, ids=[
    "keywords", "positional-batch-then-epochs", "keras-defaults-1-epoch-batch-32", "variables", "arithmetic",
    "augmented-assignment", "config-dict", "keyword-spread", "min-max-int", "helper-arguments", "helper-defaults",
    "helper-reads-a-global", "epoch-loop-is-one-training", "loop-of-two-epoch-fits", "unknown-values-stay-none",
    "huge-power-refused", "division-by-zero-refused", "float-overflow-refused"])
def test_epochs_and_batch_size(code, epochs, batch):
    t = only_training(DENSE_MODEL + code)
    assert (t.epochs, t.batch_size) == (epochs, batch)
    assert (t.model.framework, t.architecture(), t.kind) == ("keras", "Layer 1 : DENSE", "dense")


def test_a_fit_records_what_was_trained_and_how():
    t = only_training(DENSE_MODEL + "model.compile(optimizer='adam', loss='categorical_crossentropy')",
                      "h = model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.1)")
    assert (t.cell, t.optimizer, t.loss, t.data) == (1, "adam", "categorical_crossentropy", "x_train")
    assert t.code == "model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.1)"


@pytest.mark.parametrize("compile_call, optimizer, loss", [
    ("model.compile(optimizer='Adam', loss='categorical_crossentropy')", "adam", "categorical_crossentropy"),
    ("model.compile('sgd', 'sparse_categorical_crossentropy')", "sgd", "sparse_categorical_crossentropy"),
    ("model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3), "
     "loss=keras.losses.SparseCategoricalCrossentropy())", "rmsprop", "sparse_categorical_crossentropy"),
    ("model.compile(optimizer='Lion', loss='MSE')", "lion", "mse"),
    ("model.compile(optimizer=opt, loss=loss_fn)", None, None),
], ids=["strings-lowercased", "positional", "optimizer-and-loss-objects", "unlisted-names-kept", "unknown-variables"])
def test_compile_settings_reach_the_training(compile_call, optimizer, loss):
    t = only_training(DENSE_MODEL + compile_call + "\nmodel.fit(x_train, y_train)")
    assert (t.optimizer, t.loss) == (optimizer, loss)


@pytest.mark.parametrize("model_code, l2, regulariser", [
    ("layers.Dense(10, kernel_regularizer=regularizers.l2(0.05))", 0.05, "L2 0.05"),
    ("layers.Conv2D(8, 3, kernel_regularizer=regularizers.l2(0.001)), layers.Flatten(), layers.Dense(10)",
     None, "L2 0.001"),
    ("layers.Dense(10)", None, None),
], ids=["l2-on-the-classifier", "l2-on-a-conv-only", "no-regulariser"])
def test_keras_regularisers(model_code, l2, regulariser):
    t = only_training(KERAS + f"model = keras.Sequential([{model_code}])\nmodel.fit(x_train, y_train)")
    assert (t.l2, t.regulariser) == (l2, regulariser)


def test_the_layers_of_a_training_are_those_it_was_trained_with():
    it = run(DENSE_MODEL + "model.fit(x_train, y_train, epochs=2)",
             "model.add(layers.Dense(5))\nmodel.fit(x_train, y_train, epochs=3)")
    assert [(t.cell, t.epochs, t.architecture()) for t in it.trainings] == [
        (0, 2, "Layer 1 : DENSE"), (1, 3, "Layer 1 : DENSE 10; Layer 2 : DENSE")]


@pytest.mark.parametrize("code, expected", [
    (src("""
        for units in [32, 64]:
            m = keras.Sequential([layers.Flatten(), layers.Dense(units, activation='relu'), layers.Dense(10)])
            m.fit(x_train, y_train, epochs=3)"""),
     [("Layer 1 : DENSE 32; Layer 2 : DENSE", 3), ("Layer 1 : DENSE 64; Layer 2 : DENSE", 3)]),
    (src("""
        configs = [{'filters': 16, 'epochs': 5}, {'filters': 32, 'epochs': 10}]
        for cfg in configs:
            m = keras.Sequential([layers.Conv2D(cfg['filters'], 3), layers.Flatten(), layers.Dense(10)])
            m.fit(x_train, y_train, epochs=cfg['epochs'])"""),
     [("Layer 1 : CONV D=16, w=h=3, S=1, P='valid'; Layer 2 : DENSE", 5),
      ("Layer 1 : CONV D=32, w=h=3, S=1, P='valid'; Layer 2 : DENSE", 10)]),
    (src("""
        for i, (f, e) in enumerate(zip([8, 16], [2, 4])):
            m = keras.Sequential([layers.Conv2D(f, 5, padding='same'), layers.Flatten(), layers.Dense(10)])
            m.fit(x_train, y_train, epochs=e)"""),
     [("Layer 1 : CONV D=8, w=h=5, S=1, P='same'; Layer 2 : DENSE", 2),
      ("Layer 1 : CONV D=16, w=h=5, S=1, P='same'; Layer 2 : DENSE", 4)]),
    (src("""
        for cfg in load_configs():
            m = keras.Sequential([layers.Conv2D(cfg['filters'], 3), layers.Flatten(), layers.Dense(10)])
            m.fit(x_train, y_train, epochs=cfg['epochs'])"""),
     [("Layer 1 : CONV D=?, w=h=3, S=1, P='valid'; Layer 2 : DENSE", None)]),
], ids=["loop-over-literal-units", "loop-over-config-dicts", "enumerate-zip", "loop-over-unknown-values-once"])
def test_one_training_per_model_built_in_a_loop(code, expected):
    it = run(KERAS + code)
    assert [(t.architecture(), t.epochs) for t in it.trainings] == expected


# ---------------------------------------------------------------- PyTorch trainings

TORCH_LOOPS = [
    (src("""
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01, weight_decay=5e-4)
        for epoch in range(12):
            for xb, yb in train_loader:
                optimizer.zero_grad()
                loss = criterion(net(xb), yb)
                loss.backward()
                optimizer.step()"""), 12, 64, "sgd", 0.0005),
    (src("""
        def fit_model(model, loader, n_epochs):
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            for epoch in range(n_epochs):
                for i, (xb, yb) in enumerate(loader):
                    opt.zero_grad()
                    loss = criterion(model(xb), yb)
                    loss.backward()
                    opt.step()
        fit_model(net, train_loader, 8)"""), 8, 64, "adam", None),
    (src("""
        def train_one_epoch(model, loader):
            for xb, yb in loader:
                loss = criterion(model(xb), yb)
                loss.backward()
        for epoch in range(10):
            train_one_epoch(net, train_loader)"""), 10, 64, None, None),
    (src("""
        for xb, yb in train_loader:
            loss = criterion(net(xb), yb)
            loss.backward()"""), 1, 64, None, None),
    (src("""
        for epoch in range(EPOCHS):
            for xb, yb in batches:
                loss = criterion(net(xb), yb)
                loss.backward()"""), None, 64, None, None),
    (src("""
        while not converged:
            for xb, yb in train_loader:
                loss = criterion(net(xb), yb)
                loss.backward()"""), None, 64, None, None),
    (src("""
        for epoch in range(10 ** 6):
            for xb, yb in train_loader:
                criterion(net(xb), yb).backward()"""), None, 64, None, None),
]


@pytest.mark.parametrize("code, epochs, batch, optimizer, weight_decay", TORCH_LOOPS, ids=[
    "epochs-from-range-batch-from-loader", "students-own-training-helper", "per-epoch-helper-in-an-epoch-loop",
    "one-pass-over-the-loader-is-one-epoch", "unknown-epochs-batch-of-the-only-train-loader",
    "while-loop-epochs-unknown", "huge-range-epochs-unknown"])
def test_pytorch_backward_loops(code, epochs, batch, optimizer, weight_decay):
    t = only_training(TORCH_DATA, code)
    assert (t.model.framework, t.architecture(), t.loss) == ("pytorch", "Layer 1 : DENSE", "categorical_crossentropy")
    assert (t.epochs, t.batch_size, t.optimizer, t.weight_decay) == (epochs, batch, optimizer, weight_decay)


def test_a_pytorch_weight_decay_is_the_trainings_l2():
    t = only_training(TORCH_DATA, TORCH_LOOPS[0][0])
    assert (t.l2, t.regulariser) == (0.0005, "weight decay 0.0005")


def test_a_training_in_a_helper_is_evidenced_by_the_call_in_the_cell():
    t = only_training(TORCH_DATA, TORCH_LOOPS[1][0])
    assert t.code == "fit_model(net, train_loader, 8)"


# ---------------------------------------------------------------- code that never runs

@pytest.mark.parametrize("code, epochs", [
    ("def train():\n    model.fit(x_train, y_train, epochs=5)", []),
    ("if False:\n    model.fit(x_train, y_train, epochs=5)", []),
    ("RUN = False\nif RUN:\n    model.fit(x_train, y_train, epochs=5)", []),
    ("if 0 > 1:\n    model.fit(x_train, y_train, epochs=5)", []),
    ("if True:\n    model.fit(x_train, y_train, epochs=2)\nelse:\n    model.fit(x_train, y_train, epochs=9)", [2]),
    ("try:\n    model.fit(x_train, y_train, epochs=2)\nexcept Exception:\n    model.fit(x_train, y_train, epochs=9)",
     [2]),
    ("# model.fit(x_train, y_train, epochs=50)\nnote = 'model.fit(x_train, y_train, epochs=5)'", []),
    ("import os\nif not os.path.exists('w.h5'):\n    model.fit(x_train, y_train, epochs=4)", [4]),
    ("%matplotlib inline\n!pip install keras\nmodel.fit(x_train, y_train, epochs=6)", [6]),
], ids=["function-never-called", "if-false", "if-false-variable", "if-false-comparison", "else-of-if-true",
        "except-handler", "comment-and-string", "unknown-condition-is-followed", "magics-and-shell-lines-skipped"])
def test_code_that_never_runs_trains_nothing(code, epochs):
    assert [t.epochs for t in run(DENSE_MODEL + code).trainings] == epochs


# ---------------------------------------------------------------- what it refuses to follow

@pytest.mark.parametrize("code", [
    "exec(\"model.fit(x_train, y_train, epochs=5)\")",
    "getattr(model, 'fit')(x_train, y_train, epochs=5)",
    "globals()['model'].fit(x_train, y_train, epochs=5)",
    "m = eval('model')\nm.fit(x_train, y_train, epochs=5)",
], ids=["exec", "getattr", "globals", "eval"])
def test_dynamic_code_is_not_followed(code):
    it = run(DENSE_MODEL + code)
    assert (it.trainings, it.notes) == ([], [])


def test_a_recursive_helper_stops_at_the_depth_limit():
    it = run(DENSE_MODEL + "def f(n):\n    return f(n + 1)\nother = f(0)\nmodel.fit(x_train, y_train, epochs=2)")
    assert repr(it.env["other"]) == "?" and [t.epochs for t in it.trainings] == [2]


def test_a_cell_that_is_not_python_says_its_model_could_not_be_read():
    it = run(DENSE_MODEL, "model.fit(x_train, y_train, epochs=5", "print('hello'")
    assert it.trainings == []
    assert it.notes == [(1, "its code is not valid Python, so the model it trains could not be read")]


def test_a_long_computation_stops_being_followed_and_says_so():
    heavy = "for i in range(64):\n    for j in range(64):\n" + "".join(f"        a{k} = {k}\n" for k in range(13))
    assert 64 * (1 + 64 * 13) > MAX_STATEMENTS  # the cell's statements, by hand
    it = run(DENSE_MODEL + heavy, "model.fit(x_train, y_train, epochs=3)", "model.fit(x_train, y_train, epochs=4)")
    assert it.trainings == []
    assert it.notes == [(0, "the code is too long to follow from this cell on (50,000 steps interpreted): the "
                            "models trained from here on are not read")]  # the cell where the limit was reached


def test_a_long_computation_in_the_last_cell_says_so_too():
    heavy = "for i in range(64):\n    for j in range(64):\n" + "".join(f"        a{k} = {k}\n" for k in range(13))
    it = run(DENSE_MODEL + heavy + "model.fit(x_train, y_train, epochs=3)")
    assert it.trainings == [] and [cell for cell, _ in it.notes] == [0]


def test_a_too_deep_expression_says_the_cells_model_was_not_read():
    code = "x = " + "1 + " * 1500 + "1\nmodel.fit(x_train, y_train, epochs=3)"
    ast.parse(code)  # valid Python, that the parser accepts
    it = run(DENSE_MODEL + code)
    assert it.trainings == [] and [cell for cell, _ in it.notes] == [0]


def test_a_too_deeply_nested_cell_is_not_called_invalid_python():
    it = run(DENSE_MODEL + "x = " + "1 + " * 5000 + "1\nmodel.fit(x_train, y_train, epochs=3)")
    assert it.notes and not any("not valid Python" in text for _, text in it.notes)


@pytest.mark.parametrize("loop", [
    "for e in range(100):", "while acc < 0.7:", "for e in load_rounds():",
], ids=["range-over-the-unroll-limit", "while-loop", "unknown-iterable"])
def test_an_epoch_loop_of_unknown_or_many_rounds_does_not_say_one_epoch(loop):
    t = only_training(DENSE_MODEL + loop + "\n    model.fit(x_train, y_train, epochs=1)")
    assert t.epochs != 1


def test_fit_on_a_generator_does_not_claim_the_default_batch_size():
    t = only_training(DENSE_MODEL + "model.fit(datagen.flow(x_train, y_train, batch_size=64), epochs=5)")
    assert t.batch_size in (64, None)


def test_prints_followed_in_one_cell_are_capped():
    it = run("for i in range(64):\n" + "".join(f"    print('line {k}', i)\n" for k in range(6)))
    assert 64 * 6 > MAX_EVENTS and MAX_EVENTS <= len(it.events) <= MAX_EVENTS + 1


# ---------------------------------------------------------------- what the cells print

@pytest.mark.parametrize("code, events", [
    ("model.fit(x_train, y_train, epochs=2)\nmodel.evaluate(x_test, y_test)",
     [("fit", None, True), ("evaluate", "test", True)]),
    ("model.fit(x_train, y_train, epochs=2, verbose=0)\nmodel.evaluate(x_train, y_train, verbose=0)",
     [("fit", None, False), ("evaluate", "train", False)]),
    ("model.fit(x_train, y_train)\nmodel.evaluate(x_val, y_val)", [("fit", None, True), ("evaluate", "val", True)]),
    ("model.fit(train_ds)\nmodel.evaluate(test_ds)", [("fit", None, True), ("evaluate", "test", True)]),
    ("model.summary()", [("show", None, True)]),
    ("model.fit(x_train, y_train)\nloss, acc = model.evaluate(x_test, y_test, verbose=0)\n"
     "print(f'Test accuracy: {acc:.2%}')", [("fit", None, True), ("evaluate", "test", False), ("print", "test", True)]),
    ("h = model.fit(x_train, y_train, validation_split=0.1)\nprint('final', h.history['val_accuracy'][-1])",
     [("fit", None, True), ("print", "val", True)]),
    ("h = model.fit(x_train, y_train)\nprint('final', h.history['accuracy'][-1])",
     [("fit", None, True), ("print", "train", True)]),
], ids=["fit-then-test", "quiet-evaluation-on-the-training-data", "validation-data", "datasets-by-name", "summary",
        "printed-test-accuracy", "printed-validation-history", "printed-training-history"])
def test_keras_events(code, events):
    it = run(DENSE_MODEL + code)
    assert [(e.kind, e.split, e.verbose) for e in it.events] == events
    trained = it.trainings[0] if it.trainings else None
    assert all(e.training is trained for e in it.events if e.kind != "show")


def test_pytorch_events_a_shown_model_and_the_students_own_evaluation():
    it = run(TORCH_DATA, TORCH_LOOPS[3][0] + "\nprint(net)", src("""
        def accuracy(model, loader):
            correct = 0
            for xb, yb in loader:
                correct += 1
            print("accuracy of the network:", correct)
        accuracy(net, test_loader)"""), "net")
    assert [(e.cell, e.kind, e.split, e.show, e.own) for e in it.events] == [
        (1, "train", None, "", False), (1, "show", None, "repr", False), (2, "evaluate", "test", "", True),
        (3, "show", None, "repr", False)]
    own = it.events[2]
    assert own.training is it.trainings[0] and own.code == "accuracy(net, test_loader)"
    assert [bool(t.search("accuracy of the network: 97")) for t in own.templates] == [True]


@pytest.mark.parametrize("call, line, other", [
    ("print('Test accuracy:', acc)", "Test accuracy: 0.6180", "Train accuracy: 0.7"),
    ("print(f'Epoch {e}: loss {l:.3f}')", "Epoch 3: loss 0.512", "Epoch 3 accuracy 0.5"),
    ("print('Accuracy: %.2f%%' % (100 * acc))", "Accuracy: 61.80%", "Loss: 1.2"),
    ("print('acc={:.1f}'.format(a))", "acc=61.8", "loss=1.2"),
    ("print('header\\nTest accuracy:', acc)", "TEST ACCURACY: 1", "header"),
], ids=["literal-then-value", "f-string", "percent-format", "str-format", "line-with-most-text-case-insensitive"])
def test_print_templates_match_the_line_printed(call, line, other):
    template = print_template(ast.parse(call).body[0].value)
    assert template.search(line) and not template.search(other)


@pytest.mark.parametrize("call", ["print(acc)", "print('->', a)", "print()"], ids=[
    "only-a-value", "under-two-letters", "empty"])
def test_a_print_without_text_has_no_template(call):
    assert print_template(ast.parse(call).body[0].value) is None


@pytest.mark.parametrize("name, split", [
    ("x_test", "test"), ("X_te", "test"), ("tst_loader", "test"), ("val_loader", "val"), ("X_valid", "val"),
    ("X_train", "train"), ("x_tr", "train"), ("trn_ds", "train"), ("data", None), ("interval", None),
], ids=["x_test", "X_te", "tst", "val_loader", "X_valid", "X_train", "x_tr", "trn", "neutral", "val-inside-a-word"])
def test_which_data_a_name_holds(name, split):
    assert _split_of(name) == split


# ---------------------------------------------------------------- the framework

@pytest.mark.parametrize("cells, framework", [
    ([DENSE_MODEL + "model.fit(x_train, y_train)"], "keras"),
    ([TORCH_DATA, TORCH_LOOPS[3][0]], "pytorch"),
    (["import torch\nx = 1"], "pytorch"),
    (["from tensorflow import keras"], "keras"),
    (["import torch\nimport keras"], "unknown"),
    (["x = 1"], "unknown"),
    ([DENSE_MODEL + "model.fit(x_train, y_train)", TORCH_DATA, TORCH_LOOPS[3][0]], "unknown"),
], ids=["keras-training", "pytorch-training", "torch-import-only", "tensorflow-import-only", "both-imports",
        "no-import", "trainings-in-both"])
def test_the_framework(cells, framework):
    found, said = trainings(list(enumerate(cells)))
    assert said == framework
    assert len(found) == sum(".fit(" in c or "backward()" in c for c in cells)
