"""xlcnn.notebook.printed on its own: what one cell's saved output shows, read line by line.

Accuracies as fractions (``fraction``), output lines cut down to evidence (``quote``), Keras fit
logs, evaluation bars and ``[loss, acc]`` lists (``read_output``), the accuracies students print
in their own words (``mentions``), and the layers a Keras summary or a printed PyTorch module
shows (``keras_summaries``, ``torch_reprs``). Every expected value below is worked out by hand.
"""

from __future__ import annotations

import pytest

from xlcnn.notebook.printed import (
    MAX_LINES,
    ShownLayer,
    fraction,
    keras_summaries,
    mentions,
    quote,
    read_output,
    torch_reprs,
)

BAR = "━" * 20


def epoch_line(acc: float, val: float | None = None, steps: str = "391/391") -> str:
    """The last line of one Keras 3 epoch."""
    line = f"{steps} {BAR} 3s 8ms/step - accuracy: {acc:.4f} - loss: 1.9"
    return line + (f" - val_accuracy: {val:.4f} - val_loss: 1.5" if val is not None else "")


def keras_log(*accs: float, val: float | None = None) -> list[str]:
    n = len(accs)
    lines = []
    for k, acc in enumerate(accs, 1):
        lines += [f"Epoch {k}/{n}", epoch_line(acc, val)]
    return lines


def epochs_of(log) -> list[tuple]:
    return [(e.number, e.total, e.train, e.val) for e in log.epochs]


# ------------------------------------------------------------------------------------ fraction

@pytest.mark.parametrize("value, pct, expected", [
    ("1", "", 1.0),
    ("100", "", 1.0),
    ("0", "", 0.0),
    ("0.5", "%", 0.005),
    ("1e-1", "", 0.1),
    ("100.5", "", None),
    ("-3", "", None),
    ("abc", "", None),
], ids=["one-is-a-whole-fraction", "hundred-is-a-percent", "zero", "percent-sign-divides-even-below-one",
        "exponent", "just-over-100-percent", "negative-is-no-accuracy", "not-a-number"])
def test_fraction(value, pct, expected):
    got = fraction(value, pct)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


# ------------------------------------------------------------------------------------ quote

@pytest.mark.parametrize("line, limit, expected", [
    (f"391/391 {BAR} 3s 8ms/step - accuracy: 0.6800 - loss: 1.9", 110, "391/391 - accuracy: 0.6800 - loss: 1.9"),
    ("1563/1563 [==============================] - 12s 7ms/step - loss: 1.5 - accuracy: 0.45", 110,
     "1563/1563 - loss: 1.5 - accuracy: 0.45"),
    ("120/391 [====>.........] - ETA: 3s - loss: 1.9", 110, "120/391 - loss: 1.9"),
    ("  Test   accuracy:\t0.61  ", 110, "Test accuracy: 0.61"),
    ("x" * 30, 10, "x" * 9 + "…"),
    ("x" * 10, 10, "x" * 10),
], ids=["keras3-bar-and-timings-dropped", "keras2-bar-dropped", "eta-dropped", "spaces-collapsed",
        "cut-at-the-limit-with-an-ellipsis", "exactly-the-limit-kept"])
def test_quote(line, limit, expected):
    assert quote(line, limit) == expected


# ------------------------------------------------------------------------------------ read_output

def test_a_fit_log_then_an_evaluation_a_print_and_a_list():
    lines = ["Epoch 1/2", f" 50/391 {BAR} 3s - accuracy: 0.3000 - loss: 2.1", epoch_line(0.4, 0.38),
             "Epoch 2/2", epoch_line(0.5, 0.48),
             f"313/313 {BAR} 1s 2ms/step - accuracy: 0.4500 - loss: 1.7",
             "Test accuracy: 0.45",
             "[1.7, 0.45]"]
    out = read_output("\n".join(lines))
    [log] = out.logs
    assert (log.first, log.last) == (0, 4)
    assert epochs_of(log) == [(1, 2, 0.4, 0.38), (2, 2, 0.5, 0.48)]  # the partial line of epoch 1 is skipped
    assert log.final.number == 2 and log.final.line == lines[4]
    assert [(b.index, b.accuracy) for b in out.bars] == [(5, 0.45)]
    assert [(m.index, m.value, m.split) for m in out.mentions] == [(6, 0.45, "test")]
    assert out.lists == [(7, 0.45, "[1.7, 0.45]")]
    assert [out.in_log(i) for i in (0, 4, 5)] == [True, True, False]


def test_keras2_log_with_short_metric_names():
    text = ("Epoch 1/2\n"
            "1563/1563 [==============================] - 12s 7ms/step - loss: 1.5 - acc: 0.4500 - val_loss: 1.4"
            " - val_acc: 0.5000\n"
            "Epoch 2/2\n"
            "1563/1563 [==============================] - 11s 7ms/step - loss: 1.2 - accuracy: 0.5500\n")
    [log] = read_output(text).logs
    assert epochs_of(log) == [(1, 2, 0.45, 0.5), (2, 2, 0.55, None)]


def test_two_fits_one_after_the_other_are_two_logs():
    out = read_output("\n".join(keras_log(0.4, 0.5) + keras_log(0.6, 0.7, 0.8)))
    assert [(log.first, log.last) for log in out.logs] == [(0, 3), (4, 9)]
    assert [log.final.total for log in out.logs] == [2, 3]
    assert out.logs[1].final.train == 0.8


def test_an_epoch_run_again_from_its_number_starts_a_new_log():
    out = read_output("\n".join(["Epoch 3/5", epoch_line(0.4), "Epoch 3/5", epoch_line(0.45)]))
    assert [epochs_of(log) for log in out.logs] == [[(3, 5, 0.4, None)], [(3, 5, 0.45, None)]]


def test_an_interrupted_epoch_is_not_counted():
    lines = keras_log(0.4) + ["Epoch 2/2", f" 120/391 {BAR} ETA: 8s - accuracy: 0.4300 - loss: 1.1",
                              "KeyboardInterrupt: "]
    [log] = read_output("\n".join(lines)).logs
    assert epochs_of(log) == [(1, 1, 0.4, None)] and log.final.train == 0.4


def test_a_blank_line_inside_an_epoch_keeps_the_log_and_a_text_line_ends_it():
    out = read_output("\n".join(["Epoch 1/1", "", epoch_line(0.4), "Done training", epoch_line(0.7)]))
    [log] = out.logs
    assert epochs_of(log) == [(1, 1, 0.4, None)]
    assert (log.first, log.last) == (0, 2)
    assert [(b.index, b.accuracy) for b in out.bars] == [(4, 0.7)]  # after the log: an evaluation


@pytest.mark.parametrize("line, bars", [
    ("loss: 1.7 - accuracy: 0.5500", [0.55]),
    ("3s - loss: 1.7 - accuracy: 0.56", [0.56]),
    (f"313/313 {BAR} 1s - loss: 1.7", []),
    (f"120/313 {BAR} ETA: 1s - accuracy: 0.5000 - loss: 1.7", []),
    (f"120/313 {BAR} 1s - accuracy: 0.5000 - loss: 1.7", []),
], ids=["no-step-counter", "timing-first", "no-accuracy-is-no-bar", "eta-is-not-finished", "steps-not-at-the-end"])
def test_evaluation_bars(line, bars):
    assert [b.accuracy for b in read_output(line).bars] == bars


@pytest.mark.parametrize("line, expected", [
    ("[1.7, 0.55]", 0.55),
    ("  [ 1.2345 , 62.5 ] ", 0.625),
    ("[0.9, 1.5e-1]", 0.15),
    ("[1.7, 250]", None),
], ids=["loss-then-accuracy", "spaces-and-a-percent", "exponent", "out-of-range-accuracy"])
def test_evaluate_result_lists(line, expected):
    assert read_output(line).lists == [(0, expected, line)]


def test_a_huge_output_keeps_its_head_and_its_tail():
    out = read_output("\n".join(f"line {i}" for i in range(6000)))
    # the first fifth (1000 lines), a mark, the last 4000
    assert len(out.lines) == MAX_LINES + 1
    assert out.lines[999] == "line 999" and out.lines[1000] == "[…]"
    assert out.lines[1001] == "line 2000" and out.lines[-1] == "line 5999"


def test_a_short_output_keeps_every_line():
    assert read_output("a\nb\n").lines == ["a", "b", ""]


# ------------------------------------------------------------------------------------ mentions

@pytest.mark.parametrize("line, expected", [
    ("Test accuracy: 61.8%", [(0.618, "test", None)]),
    ("test loss: 1.2, test accuracy: 0.61", [(0.61, "test", None)]),
    ("Train acc: 0.72 | Test acc: 0.65", [(0.72, "train", None), (0.65, "test", None)]),
    ("Test accuracy: 0.61, val accuracy: 0.58", [(0.61, "test", None), (0.58, "val", None)]),
    ("Validation accuracy: 0.55", [(0.55, "val", None)]),
    ("Précision sur le test : 58,3 %", [(0.583, "test", None)]),
    ("Genauigkeit (Test): 0.58", [(0.58, "test", None)]),
    ("Entraînement précision 0.7", [(0.7, "train", None)]),
    ("Accuracy on 10000 test images: 58 %", [(0.58, "test", None)]),
    ("After 20 epochs the accuracy is 0.61", [(0.61, None, None)]),
    ("epoch 3: train acc 52.0%", [(0.52, "train", 3)]),
    ("Epoch 5 accuracy 0.6", [(0.6, None, 5)]),
    ("Test loss 0.9 accuracy 0.61", [(0.61, "test", None)]),
    ("Test accuracy: 0.61, loss: 1.2", [(0.61, "test", None)]),
    ("Test: acc=0.61", [(0.61, "test", None)]),
    ("Accuracy: 61", [(0.61, None, None)]),
    ("Accuracy: 61 images", []),
    ("Accuracy 150", []),
    ("loss: 0.7", []),
    ("The model has 10 layers", []),
    ("accuracy " + "x" * 2000 + " 0.5", []),
], ids=["percent", "loss-before-is-skipped", "train-then-test", "test-then-val", "validation", "french",
        "german", "french-train", "a-count-is-no-accuracy", "whole-number-before-a-word-counts",
        "epoch-number-kept", "epoch-number-before-the-label", "split-word-before-the-loss",
        "loss-after-is-skipped", "label-then-short-name", "bare-whole-percent", "whole-number-then-word",
        "over-100-percent", "loss-only", "no-accuracy-word", "line-too-long-to-read"])
def test_mentions(line, expected):
    found = mentions(7, line)
    assert [(m.value, m.split, m.epoch) for m in found] == [(pytest.approx(v), s, e) for v, s, e in expected]
    assert all(m.index == 7 and m.line == line for m in found)


def test_a_model_number_in_the_label_is_not_the_accuracy():
    assert [(m.value, m.split) for m in mentions(0, "Accuracy of CNN 2: 0.65")] == [(0.65, None)]


def test_an_epoch_number_inside_the_label_is_not_the_accuracy():
    assert [(m.value, m.epoch) for m in mentions(0, "accuracy after epoch 10: 0.66")] == [(0.66, 10)]


def test_a_train_slash_test_label_does_not_give_the_train_value_as_test():
    assert [(m.value, m.split) for m in mentions(0, "Train/Test accuracy: 0.72 / 0.61")] == [(0.72, "train"),
                                                                                            (0.61, "test")]
    assert [(m.value, m.split) for m in mentions(0, "test / train acc: 0.6/0.7")] == [(0.6, "test"), (0.7, "train")]


# ------------------------------------------------------------------------------------ Keras summaries

# conv2d: 3*3*3*32 + 32 = 896, 32 -> 32 with k=3: stride 1 'same'; pool 32 -> 16: size 2;
# conv2d_1: 3*3*32*64 + 64 = 18496, 16 -> 14: stride 1 'valid'; dense: 14*14*64*10 + 10 = 125450
KERAS2 = """Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 conv2d (Conv2D)             (None, 32, 32, 32)        896

 max_pooling2d (MaxPooling2D  (None, 16, 16, 32)       0
 )

 conv2d_1 (Conv2D)           (None, 14, 14, 64)        18496

 dropout (Dropout)           (None, 14, 14, 64)        0

 flatten (Flatten)           (None, 12544)             0

 dense (Dense)               (None, 10)                125450

=================================================================
Total params: 144,842
Trainable params: 144,842
Non-trainable params: 0
_________________________________________________________________
"""

# conv2d_2: 3*3*3*16 + 16 = 448, 32 -> 16 with k=3: stride 2 'same'; bn; conv2d_3: 5*5*16*8 + 8 = 3208,
# 16 -> 12: stride 1 'valid'; average pool 12 -> 4: size 3; global pool; dense 8*10 + 10 = 90
KERAS3 = """Model: "sequential_1"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d_2 (Conv2D)               │ (None, 16, 16, 16)     │           448 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 16, 16, 16)     │            64 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_3 (Conv2D)               │ (None, 12, 12, 8)      │         3,208 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ average_pooling2d               │ (None, 4, 4, 8)        │             0 │
│ (AveragePooling2D)              │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ global_average_pooling2d        │ (None, 8)              │             0 │
│ (GlobalAveragePooling2D)        │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │            90 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 3,810 (14.88 KB)
"""


def conv(filters, k, s, pad):
    return ShownLayer("conv", filters=filters, kernel=(k, k), stride=(s, s), padding=pad)


def summary(*rows: tuple[str, str, int], inputs: str | None = None) -> str:
    """A plain Keras 2 summary of ``(name (Type), shape, params)`` rows."""
    lines = ['Model: "m"', "_" * 65, " Layer (type)                Output Shape              Param #", "=" * 65]
    if inputs:
        lines.append(f" input_1 (InputLayer)        [{inputs}]       0")
    lines += [f" {name:<27} {shape:<25} {params}" for name, shape, params in rows]
    return "\n".join(lines + ["=" * 65, "Total params: 0", ""])


def test_keras2_summary_with_a_wrapped_type():
    [layers] = keras_summaries(KERAS2)
    assert layers == [conv(32, 3, 1, "same"), ShownLayer("maxpool", size=(2, 2)), conv(64, 3, 1, "valid"),
                      ShownLayer("dropout"), ShownLayer("dense", units=10)]  # flatten is not a layer a TA counts


def test_keras3_summary_in_boxes():
    [layers] = keras_summaries(KERAS3)
    assert layers == [conv(16, 3, 2, "same"), ShownLayer("bn"), conv(8, 5, 1, "valid"),
                      ShownLayer("avgpool", size=(3, 3)), ShownLayer("gap"), ShownLayer("dense", units=10)]


@pytest.mark.parametrize("rows, inputs, expected", [
    ([("conv2d (Conv2D)", "(None, 26, 26, 32)", 320)], "(None, 28, 28, 1)", conv(32, 3, 1, "valid")),
    ([("conv2d (Conv2D)", "(None, 26, 26, 32)", 320)], None, ShownLayer("conv", filters=32)),
    ([("conv2d (Conv2D)", "(None, 32, 32, 32)", 864)], None, conv(32, 3, 1, "same")),
    ([("conv2d (Conv2D)", "(None, 28, 28, 16)", 1216)], None, conv(16, 5, 1, "valid")),
    ([("conv2d (Conv2D)", "(None, 30, 30, 8)", 1000)], None, ShownLayer("conv", filters=8)),
    ([("batch_normalizati (BatchNormalizat", "(None, 32, 32, 3)", 12)], None, ShownLayer("bn")),
    ([("dense (Dense)", "(None, 128)", 393344)], None, ShownLayer("dense", units=128)),
], ids=["input-row-sets-the-input-shape", "cifar-shape-assumed-kernel-not-found", "conv-without-bias",
        "five-by-five-valid", "parameters-fit-no-kernel", "type-cut-short-still-known", "dense-units"])
def test_summary_rows(rows, inputs, expected):
    [layers] = keras_summaries(summary(*rows, inputs=inputs))
    assert layers == [expected]


def test_two_summaries_are_two_tables_and_a_table_without_layers_is_none():
    text = summary(("dense (Dense)", "(None, 10)", 30730)) + summary(("flatten (Flatten)", "(None, 3072)", 0)) \
        + summary(("dense_1 (Dense)", "(None, 64)", 196672))
    assert keras_summaries(text) == [[ShownLayer("dense", units=10)], [ShownLayer("dense", units=64)]]
    assert keras_summaries("Test accuracy: 0.61") == []


def test_a_type_cut_to_a_prefix_of_two_max_pooling_names_is_still_max_pooling():
    text = summary(("conv2d (Conv2D)", "(None, 32, 32, 32)", 896),
                   ("pool_with_a_long_name (MaxPool", "(None, 16, 16, 32)", 0))
    assert [layer.kind for layer in keras_summaries(text)[0]] == ["conv", "maxpool"]


# ------------------------------------------------------------------------------------ PyTorch reprs

NET = """Net(
  (conv1): Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  (conv2): Conv2d(32, 64, kernel_size=(5, 5), stride=(2, 2), padding=(2, 2))
  (drop): Dropout(p=0.25, inplace=False)
  (bn): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (features): Sequential(
    (0): Conv2d(64, 128, kernel_size=(3, 3), stride=(1, 1))
    (1): ReLU()
  )
  (fc): Linear(in_features=4096, out_features=10, bias=True)
)"""


def test_a_printed_module_with_a_nested_sequential():
    [layers] = torch_reprs(NET + "\nTest accuracy: 0.5\n")
    assert layers == [conv(32, 3, 1, 1), ShownLayer("maxpool", size=(2, 2)), conv(64, 5, 2, 2),
                      ShownLayer("dropout", rate=0.25), ShownLayer("bn"), conv(128, 3, 1, 0),
                      ShownLayer("dense", units=10)]


def test_two_printed_modules_and_one_cut_short():
    text = ("Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n"
            "  (1): Linear(in_features=3072, out_features=10, bias=True)\n)\n"
            "Net(\n  (fc): Linear(in_features=3, out_features=2, bias=True)")
    assert torch_reprs(text) == [[ShownLayer("dense", units=10)], [ShownLayer("dense", units=2)]]
    assert torch_reprs("print(model)\nnothing printed") == []


@pytest.mark.parametrize("line, expected", [
    ("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding='same')", conv(8, 3, 1, "same")),
    ("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=2)", conv(8, 3, 1, 2)),
    ("AvgPool2d(kernel_size=3, stride=3, padding=0)", ShownLayer("avgpool", size=(3, 3))),
    ("Dropout2d(p=0.5, inplace=False)", ShownLayer("dropout", rate=0.5)),
    ("AdaptiveAvgPool2d(output_size=(1, 1))", ShownLayer("gap")),
], ids=["quoted-same", "one-number-padding", "average-pool", "dropout2d", "global-average-pool"])
def test_torch_layer_lines(line, expected):
    assert torch_reprs(f"Net(\n  (x): {line}\n)") == [[expected]]


def test_torch_prints_same_padding_without_quotes():
    [[layer]] = torch_reprs("Net(\n  (c): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)\n)")
    assert layer.padding == "same"
