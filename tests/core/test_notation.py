"""`notation`: the practical's text for an architecture ("Layer 1 : CONV D=32, w=h=3, S=1, P='same'; ..."),
layer kind by layer kind, and what is left out, folded in or written as unknown."""

from types import SimpleNamespace

import pytest

from xlcnn.core.notation import Layer, notation


def conv(**kw) -> Layer:
    return Layer("conv", **{"filters": 32, "kernel": 3, **kw})


DENSE = Layer("dense", units=10)  # the classifier: always written "DENSE"

CONVS = [
    # (the conv layer, its text)
    pytest.param(conv(padding="same"), "CONV D=32, w=h=3, S=1, P='same'", id="the-practicals-layer"),
    pytest.param(conv(kernel=(3, 3), stride=(1, 1), padding="same"), "CONV D=32, w=h=3, S=1, P='same'",
                 id="pairs-of-equal-numbers-written-once"),
    pytest.param(conv(kernel=[5, 5], stride=2), "CONV D=32, w=h=5, S=2, P='valid'", id="kernel-as-a-list"),
    pytest.param(conv(kernel=(3, 5)), "CONV D=32, w=5, h=3, S=1, P='valid'", id="kernel-height-then-width"),
    pytest.param(conv(stride=(2, 1)), "CONV D=32, w=h=3, S=(2,1), P='valid'", id="two-strides"),
    pytest.param(conv(), "CONV D=32, w=h=3, S=1, P='valid'", id="no-stride-no-padding-are-keras-defaults"),
    pytest.param(conv(padding="valid"), "CONV D=32, w=h=3, S=1, P='valid'", id="valid"),
    pytest.param(conv(padding=1), "CONV D=32, w=h=3, S=1, P=1", id="padding-as-a-number"),
    pytest.param(conv(padding=(2, 2)), "CONV D=32, w=h=3, S=1, P=2", id="padding-pair-of-equal-numbers"),
    pytest.param(conv(padding=[1, 1]), "CONV D=32, w=h=3, S=1, P=1", id="padding-list-of-equal-numbers"),
    pytest.param(conv(filters=None, kernel=None), "CONV D=?, w=h=?, S=1, P='valid'", id="unknown-filters-and-kernel"),
    pytest.param(conv(l2=0.001), "CONV D=32, w=h=3, S=1, P='valid', L2=0.001", id="l2-factor"),
    pytest.param(conv(l2=1e-4), "CONV D=32, w=h=3, S=1, P='valid', L2=0.0001", id="l2-small-factor"),
    pytest.param(conv(l2=5e-5), "CONV D=32, w=h=3, S=1, P='valid', L2=5e-05", id="l2-very-small-factor"),
    pytest.param(conv(l2="?"), "CONV D=32, w=h=3, S=1, P='valid', L2=?", id="l2-factor-unknown"),
    pytest.param(conv(l2=0), "CONV D=32, w=h=3, S=1, P='valid'", id="l2-zero-is-no-regulariser"),
    pytest.param(conv(activation="relu"), "CONV D=32, w=h=3, S=1, P='valid'", id="activation-not-written"),
]


@pytest.mark.parametrize("layer, text", CONVS)
def test_conv_layer(layer, text):
    assert notation([layer]) == f"Layer 1 : {text}"


@pytest.mark.parametrize("padding", [(1, 2), [1, 2]], ids=["tuple", "list"])
def test_two_different_paddings_are_written_like_two_strides(padding):
    assert notation([conv(padding=padding)]) == "Layer 1 : CONV D=32, w=h=3, S=1, P=(1,2)"


POOLS = [
    pytest.param(Layer("maxpool"), "MAXPOOL", id="maxpool-default-2x2"),
    pytest.param(Layer("maxpool", size=2), "MAXPOOL", id="maxpool-2"),
    pytest.param(Layer("maxpool", size=(2, 2)), "MAXPOOL", id="maxpool-2x2-pair"),
    pytest.param(Layer("maxpool", size=3), "MAXPOOL 3x3", id="maxpool-3"),
    pytest.param(Layer("maxpool", size=(3, 2)), "MAXPOOL 3x2", id="maxpool-3x2"),
    pytest.param(Layer("avgpool"), "AVGPOOL", id="avgpool"),
    pytest.param(Layer("gap"), "GLOBAL AVG POOL", id="global-average-pooling"),
]


@pytest.mark.parametrize("layer, text", POOLS)
def test_pooling_layer(layer, text):
    assert notation([conv(), layer]) == f"Layer 1 : CONV D=32, w=h=3, S=1, P='valid'; Layer 2 : {text}"


DENSES = [
    # (layers, text): the last dense layer is the classifier, the others give their units
    pytest.param([DENSE], "Layer 1 : DENSE", id="one-dense-layer"),
    pytest.param([Layer("dense", units=128), DENSE], "Layer 1 : DENSE 128; Layer 2 : DENSE",
                 id="hidden-then-classifier"),
    pytest.param([Layer("dense"), DENSE], "Layer 1 : DENSE ?; Layer 2 : DENSE", id="hidden-units-unknown"),
    pytest.param([Layer("dense", units=10, l2=0.05)], "Layer 1 : DENSE, L2=0.05", id="classifier-with-l2"),
    pytest.param([Layer("dense", units=64, l2=0.01), DENSE], "Layer 1 : DENSE 64, L2=0.01; Layer 2 : DENSE",
                 id="hidden-with-l2"),
]


@pytest.mark.parametrize("layers, text", DENSES)
def test_dense_layers(layers, text):
    assert notation(layers) == text


FOLDED = [
    # (layers, text): batch normalisation and dropout go with the layer they follow; others are implicit
    pytest.param([conv(), Layer("bn")], "Layer 1 : CONV D=32, w=h=3, S=1, P='valid' + BN", id="bn-after-conv"),
    pytest.param([conv(), Layer("dropout", rate=0.25)], "Layer 1 : CONV D=32, w=h=3, S=1, P='valid' + DROPOUT 0.25",
                 id="dropout-with-rate"),
    pytest.param([conv(), Layer("dropout")], "Layer 1 : CONV D=32, w=h=3, S=1, P='valid' + DROPOUT",
                 id="dropout-rate-unknown"),
    pytest.param([conv(), Layer("bn"), Layer("dropout", rate=0.5)],
                 "Layer 1 : CONV D=32, w=h=3, S=1, P='valid' + BN + DROPOUT 0.5", id="bn-then-dropout"),
    pytest.param([Layer("maxpool"), Layer("dropout", rate=0.2)], "Layer 1 : MAXPOOL + DROPOUT 0.2",
                 id="dropout-after-pooling"),
    pytest.param([conv(), Layer("flatten"), Layer("activation"), DENSE],
                 "Layer 1 : CONV D=32, w=h=3, S=1, P='valid'; Layer 2 : DENSE", id="flatten-and-activation-implicit"),
    pytest.param([Layer("bn"), Layer("dropout", rate=0.5), DENSE], "Layer 1 : DENSE",
                 id="nothing-before-to-fold-into"),
]


@pytest.mark.parametrize("layers, text", FOLDED)
def test_layers_folded_into_the_one_before_or_left_out(layers, text):
    assert notation(layers) == text


def test_the_docstrings_network():
    layers = [conv(padding="same"), Layer("maxpool"), Layer("flatten"), DENSE]
    assert notation(layers) == "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"


def test_a_deeper_cnn_numbers_every_written_layer():
    layers = [conv(padding="same", activation="relu"), Layer("bn"), conv(filters=64, padding="same"), Layer("maxpool"),
              Layer("dropout", rate=0.3), Layer("flatten"), Layer("dense", units=256), Layer("dropout", rate=0.5),
              DENSE]
    assert notation(layers) == ("Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; "
                                "Layer 2 : CONV D=64, w=h=3, S=1, P='same'; "
                                "Layer 3 : MAXPOOL + DROPOUT 0.3; "
                                "Layer 4 : DENSE 256 + DROPOUT 0.5; "
                                "Layer 5 : DENSE")


AUGMENTATION = [
    pytest.param(["horizontal flip", "shift 10%"], "Augmentation: horizontal flip, shift 10%; Layer 1 : DENSE",
                 id="two-transformations"),
    pytest.param(["horizontal flip"], "Augmentation: horizontal flip; Layer 1 : DENSE", id="one-transformation"),
    pytest.param([], "Layer 1 : DENSE", id="empty-list-is-none"),
    pytest.param(None, "Layer 1 : DENSE", id="none"),
]


@pytest.mark.parametrize("augmentation, text", AUGMENTATION)
def test_augmentation_comes_first(augmentation, text):
    assert notation([DENSE], augmentation) == text


def test_no_layers_is_an_empty_text():
    assert notation([]) == ""


def test_any_object_with_the_layers_fields():
    # the notebook reader passes its own objects: only the fields are read
    fields = dict(filters=None, kernel=None, stride=None, padding=None, units=None, activation=None, l2=None,
                  size=None, rate=None)
    layers = [SimpleNamespace(**{**fields, "kind": "conv", "filters": 16, "kernel": (5, 5), "stride": 2}),
              SimpleNamespace(**{**fields, "kind": "dense", "units": 10})]
    assert notation(layers) == "Layer 1 : CONV D=16, w=h=5, S=2, P='valid'; Layer 2 : DENSE"
