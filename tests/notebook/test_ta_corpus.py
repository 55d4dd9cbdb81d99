"""The notebook report against what a careful TA writes down, notebook by notebook.

The corpora (``ta_corpus``: one pattern a notebook; ``ta_holdout``: whole practicals as groups hand
them in) were written from the practical and the report's specification alone, by someone who
never saw xlcnn's code; each case carries the TA's report. Compared field by field; and no
notebook may receive an accusing flag the TA would not write.
"""

from __future__ import annotations

import pytest

from tests.notebook import ta_corpus, ta_holdout
from tests.support.notebooks import write
from xlcnn.notebook.report import accusations, notebook_report

CASES = [pytest.param(c, id=f"corpus-{c.name}") for c in ta_corpus.CASES] + [
    pytest.param(c, id=f"holdout-{c.name}") for c in ta_holdout.CASES]
TOLERANCE = 1e-3


def _report(case, tmp_path):
    path = tmp_path / f"{case.name}.ipynb"
    write(case.build(), path)
    return notebook_report([path]).to_dict()


def _accuracy(value):
    return value


def test_the_corpora_are_large_enough():
    assert len(ta_corpus.CASES) >= 30 and len(ta_holdout.CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_report_matches_the_tas(case, tmp_path):
    report = _report(case, tmp_path)
    want = case.expected
    got_models = [{"kind": e["kind"], "architecture": e["architecture"], "epochs": e["epochs"],
                   "batch_size": e["batch_size"], "train_accuracy": _accuracy(e["train_accuracy"]),
                   "test_accuracy": _accuracy(e["test_accuracy"])} for e in report["experiments"]]
    want_models = [{**m, "train_accuracy": _accuracy(m["train_accuracy"]),
                    "test_accuracy": _accuracy(m["test_accuracy"])} for m in want["models"]]
    assert report["framework"] == want["framework"]
    for k, (got, expected) in enumerate(zip(got_models, want_models, strict=False)):
        for key in expected:
            if key.endswith("accuracy") and got[key] is not None and expected[key] is not None:
                assert abs(got[key] - expected[key]) <= TOLERANCE + 1e-9, (k, key, got, expected)
            else:
                assert got[key] == expected[key], (k, key, got, expected)
    assert len(got_models) == len(want_models), (got_models, want_models)
    assert report["table"] == want["table"]
    assert report["checklist"] == want["checklist"]
    assert set(report["one_layer_differences"]) == set(want["one_layer_differences"])
    assert set(accusations(report)) == set(want["accusations"]), report["flags"]


@pytest.mark.parametrize("case", CASES)
def test_no_accusation_the_ta_would_not_write(case, tmp_path):
    """Zero false accusations, above completeness: every accusing flag is one the TA writes too,
    and it names the cell and the values seen."""
    report = _report(case, tmp_path)
    for column, claimed in accusations(report):
        assert (column, claimed) in set(case.expected["accusations"]), report["flags"]
    for flag in report["flags"]:
        if "no output shows it" in flag:
            assert "In [" in flag or "cell " in flag, flag
