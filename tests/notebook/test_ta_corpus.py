"""The notebook report against what a careful TA writes down, notebook by notebook.

The corpora (``ta_corpus``: one pattern a notebook; ``ta_holdout``: whole practicals as groups hand
them in) were written from the practical and the report's specification alone, by someone who
never saw xlcnn's code; each case carries the TA's report. Compared field by field; and no
notebook may receive an accusing flag the TA would not write.
"""

from __future__ import annotations

import re

import pytest

from tests.notebook import ta_corpus, ta_holdout, ta_holdout_styles_a, ta_holdout_styles_b
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


_NUMBERS = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(%?)")


def _shows(text: str, value: float) -> bool:
    """Whether ``text`` holds ``value`` as a printed accuracy: the fraction or the percentage, to the
    digits printed."""
    for m in _NUMBERS.finditer(text):
        printed = float(m.group(1).replace(",", "."))
        digits = len(m.group(1).replace(",", ".").partition(".")[2])
        for v in (value, 100 * value):
            if abs(round(v, digits) - printed) < 10 ** -digits / 2 + 1e-9:
                return True
    return False


@pytest.mark.parametrize("case", CASES + [pytest.param(c, id=f"styles-{c.name}") for m in (
    ta_holdout_styles_a, ta_holdout_styles_b) for c in m.CASES])
def test_every_accuracy_reported_is_one_an_output_shows_with_its_evidence(case, tmp_path):
    """No number the notebook does not show: each accuracy the report gives comes with its evidence
    (the cell and the line), and that line, as the notebook's outputs hold it, shows the value."""
    nb = case.build()
    outputs = "\n".join(str(o.get("text", "")) + "\n" + str(o.get("data", {}).get("text/plain", ""))
                        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    report = _report(case, tmp_path)
    for e in report["experiments"]:
        for key in ("train_accuracy", "test_accuracy"):
            if e[key] is None:
                continue
            evidence = e["evidence"][key]
            assert re.match(r"^(In \[\d+\]|cell \d+)", evidence), (key, evidence)
            assert _shows(evidence, e[key]), (key, e[key], evidence)
            assert _shows(outputs, e[key]), (key, e[key])
