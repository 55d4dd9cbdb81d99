"""Realistic student notebooks, written with nbformat: Keras (Sequential and functional), PyTorch,
never executed, claims the outputs do not show, parts missing, French and German text.

Used by the tests and by ``scripts/make_samples.py`` (the bundled sample's notebooks).
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def keras_log(epochs: int, final_acc: float, val: float | None = None) -> str:
    lines = []
    for e in range(1, epochs + 1):
        acc = final_acc * (0.6 + 0.4 * e / epochs)
        v = f" - val_accuracy: {val if val is not None else acc - 0.03:.4f} - val_loss: 1.5" if val is not False else ""
        lines.append(f"Epoch {e}/{epochs}\n391/391 ━━━━━━━━━━━━━━━━━━━━ 3s 8ms/step - accuracy: {acc:.4f}"
                     f" - loss: 1.9{v}")
    return "\n".join(lines) + "\n"


def code(source: str, text: str | None = None, image: bool = False, count: int | None = 1):
    cell = new_code_cell(source, execution_count=count)
    if text is not None:
        cell.outputs.append(new_output("stream", name="stdout", text=text))
    if image:
        cell.outputs.append(new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}))
    return cell


def evaluate(var: str, acc: float):
    return code(f"{var}.evaluate(x_test, y_test)", f"313/313 ━━━━ 1s 2ms/step - accuracy: {acc:.4f} - loss: 1.7\n")


REVIEW_EN = """## Exercise 4: Review questions

a) What is the difference between a Dense and a Conv2D layer in Keras?
A Dense layer connects every input to every neuron, while Conv2D shares a small filter over the image.

b) In CNN, explain what it means to "preserve the spatial structure"?
The image stays a 2D grid with channels, so neighbouring pixels remain neighbours in the feature maps.

c) Explain the different operations of a convolution.
The filter slides over the input, multiplies element-wise, sums the products and adds a bias at each position.

d) Define what is meant by receptive field and activation map.
"""

REVIEW_FR = """## Questions de révision

a) Quelle est la différence entre une couche Dense et une couche Conv2D ?
Une couche dense relie chaque entrée à chaque neurone, alors que Conv2D applique le même petit filtre partout.

b) Que veut dire préserver la structure spatiale ?
L'image reste une grille en deux dimensions et les pixels voisins restent voisins dans les cartes.
"""

TABLE_EN = """## Table 1

| CNN | Architecture | Acc. train % | Acc. test % |
|---|---|---|---|
| 1 | Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE | {t1} | {s1} |
| 2 | two conv blocks | 70.1% | {s2} |
"""

TABLE_DE = """## Tabelle 1

| Nr | Architektur | Genauigkeit Training % | Genauigkeit Test % |
|---|---|---|---|
| 1 | CONV 32, MAXPOOL, DENSE | 66.0 | 60.2 |
"""

SETUP = """import numpy as np
import keras
from keras import layers, regularizers
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
"""


def keras_notebook(*, claim_test: str = "61.8%", deeper: int = 3, functional: bool = False, lang: str = "en",
                   parts: str = "all") -> nbformat.NotebookNode:
    """The whole practical done in Keras; ``parts="dense1"`` stops after the one-layer network."""
    cells = [new_markdown_cell("# PW04 CNN" if lang == "en" else "# TP04 CNN"), code(SETUP, "")]
    cells.append(new_markdown_cell("## Exercise 2: one-layer network"))
    cells.append(code("""model1 = keras.Sequential([
    layers.Flatten(input_shape=(32, 32, 3)),
    layers.Dense(10, activation='softmax', kernel_regularizer=regularizers.l2(0.05)),
])
model1.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history1 = model1.fit(x_train, y_train, epochs=5, batch_size=128, validation_split=0.1)""", keras_log(5, 0.41)))
    cells.append(evaluate("model1", 0.3902))
    cells.append(code("w = model1.layers[1].get_weights()[0]\nplt.imshow(w[:, 0].reshape(32, 32, 3))", "", image=True))
    if parts == "dense1":
        return _numbered(new_notebook(cells=cells, metadata=KERNEL))
    cells.append(code("""model2 = keras.Sequential()
model2.add(layers.Flatten(input_shape=(32, 32, 3)))
model2.add(layers.Dense(128, activation='relu'))
model2.add(layers.Dense(10, activation='softmax'))
model2.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model2.fit(x_train, y_train, epochs=30, batch_size=128)""", keras_log(30, 0.52, val=False)))
    cells.append(evaluate("model2", 0.4610))
    if functional:
        cells.append(code("""inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, (3, 3), strides=1, padding='same', activation='relu')(inputs)
x = layers.MaxPooling2D(pool_size=2)(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation='softmax')(x)
cnn = keras.Model(inputs=inputs, outputs=outputs)
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn.fit(x_train, y_train, epochs=10, batch_size=128)""", keras_log(10, 0.68)))
    else:
        cells.append(code("""cnn = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
cnn.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
cnn.fit(x_train, y_train, epochs=10, batch_size=128)""", keras_log(10, 0.68)))
    cells.append(evaluate("cnn", 0.6180))
    cells.append(code("""def deeper_cnn(blocks, filters=32):
    model = keras.Sequential()
    for i in range(blocks):
        model.add(layers.Conv2D(filters * 2 ** i, 3, padding='same'))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation('relu'))
        model.add(layers.Conv2D(filters * 2 ** i, 3, padding='same', activation='relu'))
        model.add(layers.MaxPooling2D())
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation='softmax'))
    model.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
    return model"""))
    for blocks in range(1, deeper + 1):
        cells.append(code(f"m{blocks} = deeper_cnn({blocks})\n"
                          f"m{blocks}.fit(x_train, y_train, epochs=15, batch_size=64)",
                          keras_log(15, 0.70 + 0.03 * blocks)))
        cells.append(evaluate(f"m{blocks}", 0.60 + 0.01 * blocks))
    table = TABLE_DE if lang == "de" else TABLE_EN.format(t1="68.2%", s1=claim_test, s2="63.0%")
    cells.append(new_markdown_cell(table))
    cells.append(new_markdown_cell(REVIEW_FR if lang == "fr" else REVIEW_EN))
    return _numbered(new_notebook(cells=cells, metadata=KERNEL))


def pytorch_notebook() -> nbformat.NotebookNode:
    cells = [code("import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader\n"
                  "loader = DataLoader(train_set, batch_size=128, shuffle=True)", "")]
    cells.append(code("""class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding='same')
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))

net = Net()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(12):
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: train acc {50 + epoch:.1f}%")
print("Test accuracy: 58.3%")""", "".join(f"epoch {e + 1}: train acc {50 + e:.1f}%\n" for e in range(12))
                      + "Test accuracy: 58.3%\n"))
    cells.append(code("""mlp = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
for epoch in range(5):
    for inputs, labels in loader:
        loss = criterion(mlp(inputs), labels)
        loss.backward()
print('train accuracy 40.5 %, test accuracy 39.0 %')""", "train accuracy 40.5 %, test accuracy 39.0 %\n"))
    return _numbered(new_notebook(cells=cells, metadata=KERNEL))


def _numbered(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable cell ids (nbformat draws random ones), so a notebook is written the same each time; the
    execution counts of a notebook run from top to bottom."""
    count = 0
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
    return nb


def never_executed() -> nbformat.NotebookNode:
    nb = keras_notebook()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def write(nb: nbformat.NotebookNode, path) -> None:
    nbformat.write(nb, str(path))


def text(nb: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(nb).encode("utf-8")
