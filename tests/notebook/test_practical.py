"""The practical as data (``xlcnn/data/practical.toml``): the shipped file, what a wrong file is told,
and a course's own practical changing what the report checks."""

from __future__ import annotations

import pytest

from tests.support.notebooks import keras_notebook, write
from xlcnn.notebook.practical import PracticalError, load_practical, parse_practical
from xlcnn.notebook.report import notebook_report, summary


def test_the_shipped_practical_is_pw04():
    p = load_practical()
    assert p.ids == ("dense_1layer", "weights_plot", "dense_2layer", "simple_cnn", "deeper_cnns", "table",
                     "review_answers")
    assert p.part("dense_1layer").settings == {"epochs": 5, "batch_size": 128, "l2": 0.05, "output": "softmax",
                                               "loss": "categorical_crossentropy", "optimizer": "adam"}
    assert p.part("deeper_cnns").count == (3, 5) and sorted(p.questions) == list("abcdefgh")
    assert p.empty_checklist() == {"dense_1layer": False, "weights_plot": False, "dense_2layer": False,
                                   "simple_cnn": False, "deeper_cnns": 0, "table": False, "review_answers": 0}


MINIMAL = '[[part]]\nid = "dense"\nlabel = "a dense network"\nmodel = { kind = "dense", dense_layers = 1 }\n'


@pytest.mark.parametrize("text, message", [
    ("", "no [[part]]: the checklist needs at least one"),
    ("nmae = 'x'\n" + MINIMAL, "unknown key 'nmae' (did you mean 'name'?)"),
    (MINIMAL.replace("model =", "modle ="), "part 1: unknown key 'modle' (did you mean 'model'?)"),
    (MINIMAL + 'settings = { epoch = 5 }\n', "part 'dense': settings: the reader cannot measure 'epoch' (did you "
                                            "mean 'epochs'?)"),
    (MINIMAL + 'settings = { epochs = true }\n', "settings: epochs must be a number or a word, got True"),
    (MINIMAL.replace('"dense", dense', '"rnn", dense'), "model kind must be \"dense\" or \"cnn\", got 'rnn'"),
    (MINIMAL + "table = true\n", "a part is a model (model = {...}), a weights picture (plot_of = \"ID\"), the "
                                 "results table (table = true) or the review answers (review = true): exactly one"),
    (MINIMAL + MINIMAL, "part 'dense' is declared twice"),
    (MINIMAL + '[[part]]\nid = "pic"\nlabel = "picture"\nplot_of = "cnn"\n', "part 'pic': plot_of names 'cnn', "
                                                                              "which no part declares"),
    (MINIMAL + "count = { min = 5, max = 3 }\n", "count must be { min = N, max = M } with 0 < N <= M"),
    (MINIMAL + '[[part]]\nid = "rev"\nlabel = "review"\nreview = true\n', "a review part needs the questions"),
    (MINIMAL.replace('id = "dense"', 'id = "1 layer"'), "id must be a name such as \"dense_1layer\", got '1 layer'"),
    ("[[part\n", "not valid TOML"),
], ids=["empty", "top-key-misspelt", "part-key-misspelt", "setting-unknown", "setting-bool", "kind-unknown",
        "two-roles", "twice", "plot-of-nothing", "count-backwards", "review-no-questions", "id-not-a-name",
        "not-toml"])
def test_a_wrong_practical_is_told_what_to_write(text, message):
    with pytest.raises(PracticalError) as err:
        parse_practical(text, "course.toml")
    assert str(err.value).startswith("course.toml") and message in str(err.value), str(err.value)


OWN = """name = "CNN lab"

[[part]]
id = "dense_1layer"
label = "single-layer baseline"
model = { kind = "dense", dense_layers = 1 }
settings = { epochs = 10, batch_size = 128 }

[[part]]
id = "cnns"
label = "CNNs"
model = { kind = "cnn", min_conv_layers = 1 }
count = { min = 2, max = 4 }

[[part]]
id = "review"
label = "review answers"
review = true

[review.questions]
a = "What is the difference between a Dense and a Conv2D layer"
b = "In CNN, explain what it means to preserve the spatial structure"
"""


def test_a_courses_own_practical_decides_what_the_report_checks(tmp_path):
    path = tmp_path / "nb.ipynb"
    write(keras_notebook(), path)
    practical = parse_practical(OWN, "lab.toml")
    report = notebook_report([path], practical)
    assert list(report.checklist) == ["dense_1layer", "cnns", "review"]
    assert report.checklist["dense_1layer"] is True and report.checklist["cnns"] >= 2
    assert report.checklist["review"] == 2  # the shipped notebook answers a) and b) of its questions
    assert "single-layer baseline (In [2]): epochs 5 (asked 10)" in report.flags
    assert report.one_layer_differences == ["epochs"]
    assert summary(report).endswith("CNNs; 2 of 2 review questions answered.")
    assert "two-layer network" not in " ".join(report.flags)
