"""Score the notebook report against the held-out style corpora, case by case.

Imports ``tests.notebook.ta_holdout_styles_a`` and ``tests.notebook.ta_holdout_styles_b`` (a
module that does not exist is skipped), writes each case's notebook, runs the project's report on
it exactly as ``tests/notebook/test_ta_corpus.py`` does and compares it field by field as
``test_report_matches_the_tas`` does.  Prints PASS / FAIL per case with the first differing field,
then ``holdout score: N of M cases match field by field; K false accusations``.

A false accusation is an accusing flag (``accusations(report)``) the TA did not write.

    PYTHONPATH=. .venv/bin/python scripts/score_notebook_holdout.py [-v]
"""
from __future__ import annotations

import importlib
import sys
import tempfile
import traceback
from pathlib import Path

MODULES = ("tests.notebook.ta_holdout_styles_a", "tests.notebook.ta_holdout_styles_b")
TOLERANCE = 1e-3


def _short(value, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _first_difference(report: dict, want: dict, accused: set) -> str | None:
    """The first field where the report differs from the TA's, in the order of the test."""
    got_models = [{"kind": e["kind"], "architecture": e["architecture"], "epochs": e["epochs"],
                   "batch_size": e["batch_size"], "train_accuracy": e["train_accuracy"],
                   "test_accuracy": e["test_accuracy"]} for e in report["experiments"]]
    want_models = want["models"]
    if report["framework"] != want["framework"]:
        return f"framework: got {report['framework']!r}, TA {want['framework']!r}"
    for k, (got, expected) in enumerate(zip(got_models, want_models, strict=False)):
        for key in expected:
            g, x = got[key], expected[key]
            if key.endswith("accuracy") and g is not None and x is not None:
                if abs(g - x) > TOLERANCE + 1e-9:
                    return f"models[{k}].{key}: got {g!r}, TA {x!r}"
            elif g != x:
                return f"models[{k}].{key}: got {_short(g)}, TA {_short(x)}"
    if len(got_models) != len(want_models):
        return (f"number of models: got {len(got_models)}, TA {len(want_models)} "
                f"(got {[m['architecture'][:40] for m in got_models]})")
    if report["table"] != want["table"]:
        for i, (g, x) in enumerate(zip(report["table"], want["table"], strict=False)):
            if g != x:
                return f"table[{i}]: got {_short(g)}, TA {_short(x)}"
        return f"table: got {len(report['table'])} rows, TA {len(want['table'])}"
    if report["checklist"] != want["checklist"]:
        keys = [k for k in want["checklist"] if report["checklist"].get(k) != want["checklist"][k]]
        keys += [k for k in report["checklist"] if k not in want["checklist"]]
        return "checklist: " + ", ".join(
            f"{k} got {report['checklist'].get(k)!r}, TA {want['checklist'].get(k)!r}" for k in keys)
    if set(report["one_layer_differences"]) != set(want["one_layer_differences"]):
        return (f"one_layer_differences: got {sorted(report['one_layer_differences'])}, "
                f"TA {sorted(want['one_layer_differences'])}")
    if accused != set(want["accusations"]):
        return f"accusations: got {sorted(accused)}, TA {sorted(want['accusations'])}"
    return None


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    from tests.support.notebooks import write
    from xlcnn.notebook.report import accusations, notebook_report

    cases = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                print(f"(skipped {name}: not there)")
                continue
            raise
        if not hasattr(module, "CASES"):
            print(f"(skipped {name}: no CASES yet)")
            continue
        cases += [(name.rsplit(".", 1)[-1], case) for case in module.CASES]

    passed = false_accusations = 0
    with tempfile.TemporaryDirectory() as tmp:
        for module_name, case in cases:
            label = f"{module_name}:{case.name}"
            try:
                path = Path(tmp) / f"{case.name}.ipynb"
                write(case.build(), path)
                report = notebook_report([path]).to_dict()
                accused = set(accusations(report))
                false = accused - set(case.expected["accusations"])
                false_accusations += len(false)
                diff = _first_difference(report, case.expected, accused)
            except Exception as exc:  # noqa: BLE001 - one case's failure must not stop the score
                diff = f"exception {type(exc).__name__}: {exc}"
                if verbose:
                    traceback.print_exc()
                false = set()
            if diff is None:
                passed += 1
                print(f"PASS {label}")
            else:
                print(f"FAIL {label}: {diff}")
            if false:
                print(f"     false accusation(s): {sorted(false)}")
    print(f"holdout score: {passed} of {len(cases)} cases match field by field; "
          f"{false_accusations} false accusations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
