"""The notebook report of one submission: models trained, the students' Table 1, a checklist, flags.

``notebook_report(files)`` finds the submission's notebook among its files and returns the
``notebook`` object of ``results.json`` (see the README); nothing is executed.
"""

from __future__ import annotations

from pathlib import Path

from .evidence import (
    TABLE_WORDS,
    dataframe_table,
    last_train_accuracy,
    markdown_table,
    percent,
    review_answers,
    shown_accuracies,
    test_accuracy,
)
from .models import Training, trainings
from .reading import Notebook, NotebookError, read_notebook

CHECKLIST = ("dense_1layer", "weights_plot", "dense_2layer", "simple_cnn", "deeper_cnns", "table", "review_answers")
LABELS = {"dense_1layer": "one-layer network", "weights_plot": "weights plot", "dense_2layer": "two-layer network",
          "simple_cnn": "simple CNN", "deeper_cnns": "deeper CNNs (3-5 asked)", "table": "Table 1",
          "review_answers": "review answers (a-h)"}


def find_notebooks(files: list[Path]) -> list[Path]:
    return sorted(f for f in files if f.suffix.lower() == ".ipynb" and ".ipynb_checkpoints" not in f.parts)


def empty_report(status: str, file: str = "", flags: list[str] | None = None) -> dict:
    return {"file": file, "status": status, "framework": "unknown", "executed": False, "experiments": [],
            "table": [], "checklist": {k: (0 if k in ("deeper_cnns", "review_answers") else False) for k in CHECKLIST},
            "flags": flags or []}


def notebook_report(files: list[Path]) -> dict:
    """The report of the submission whose files are ``files``."""
    found = find_notebooks(files)
    if not found:
        return empty_report("missing", flags=["no notebook (.ipynb) in the submission"])
    if len(found) > 1:
        report = empty_report("several", ", ".join(f.name for f in found),
                              ["several notebooks: " + ", ".join(f.name for f in found) + "; the largest is read"])
        path = max(found, key=lambda f: (f.stat().st_size, f.name))
    else:
        report, path = None, found[0]
    try:
        nb = read_notebook(path)
    except (NotebookError, OSError) as err:
        return empty_report("unreadable", path.name, [str(err)])
    out = analyse(nb)
    if report is not None:
        out["status"] = "several"
        out["flags"] = report["flags"] + out["flags"]
    return out


def _experiment(t: Training, nb: Notebook, next_cell: int) -> dict:
    cell = nb.cells[t.cell]
    train = last_train_accuracy(cell.outputs)
    test = None
    for c in nb.cells[t.cell:next_cell]:
        if c.kind == "code":
            value = test_accuracy(c.source, c.outputs if c.index != t.cell else c.outputs)
            if value is not None:
                test = value
                if c.index != t.cell:
                    break
    return {"kind": t.kind, "architecture": t.architecture(), "epochs": t.epochs, "batch_size": t.batch_size,
            "optimizer": t.model.optimizer, "regulariser": t.regulariser, "train_accuracy": train,
            "test_accuracy": test, "cell": t.cell}


def _differences(t: Training, wanted: dict) -> list[str]:
    out = []
    for key, (value, label) in wanted.items():
        if key == "epochs":
            have = t.epochs
        elif key == "batch_size":
            have = t.batch_size
        elif key == "l2":
            have = t.denses[-1].l2 if t.denses else None
        elif key == "output":
            have = (t.denses[-1].activation if t.denses else None) or next(
                (layer.activation for layer in reversed(t.layers) if layer.kind == "activation"), None)
        elif key == "loss":
            have = t.model.loss
        elif key == "optimizer":
            have = t.model.optimizer
        elif key == "hidden":
            have = t.denses[0].units if len(t.denses) > 1 else None
        elif key == "hidden_activation":
            have = t.denses[0].activation if len(t.denses) > 1 else None
        else:
            continue
        if t.model.framework == "pytorch" and key in ("output", "loss", "l2"):
            continue  # PyTorch puts these in the loss and the optimizer: not compared
        if have is None or (isinstance(value, float) and isinstance(have, (int, float))
                            and abs(have - value) < 1e-9) or have == value:
            continue
        out.append(f"{label} {have} (asked {value})")
    return out


ONE_LAYER = {"epochs": (5, "epochs"), "batch_size": (128, "batch size"), "l2": (0.05, "L2"),
             "output": ("softmax", "output activation"), "loss": ("categorical_crossentropy", "loss"),
             "optimizer": ("adam", "optimizer")}
TWO_LAYER = {"hidden": (128, "hidden neurons"), "hidden_activation": ("relu", "hidden activation"),
             "epochs": (30, "epochs"), "batch_size": (128, "batch size"), "output": ("softmax", "output activation"),
             "optimizer": ("adam", "optimizer")}


def _is_simple_cnn(t: Training) -> bool:
    convs = t.convs
    if len(convs) != 1 or len(t.denses) != 1:
        return False
    c = convs[0]
    pools = [layer for layer in t.layers if layer.kind == "maxpool"]
    pad_same = c.padding == "same" or c.padding == 1 and c.kernel in (3, (3, 3))
    return c.filters == 32 and pad_same and c.stride in (1, (1, 1), None) and len(pools) == 1


def analyse(nb: Notebook) -> dict:
    """The report of a read notebook."""
    code = [(c.index, c.source) for c in nb.cells if c.kind == "code"]
    runs, framework = trainings(code)
    flags: list[str] = list(nb.notes)
    executed = nb.executed and nb.has_outputs
    if not nb.has_outputs:
        flags.append("no saved outputs (the notebook was never executed, or its outputs were cleared): "
                     "its accuracies cannot be checked")
    experiments = []
    for k, t in enumerate(runs):
        next_cell = runs[k + 1].cell if k + 1 < len(runs) and runs[k + 1].cell > t.cell else len(nb.cells)
        experiments.append(_experiment(t, nb, next_cell))

    dense1 = [t for t in runs if t.kind == "dense" and len(t.denses) == 1]
    dense2 = [t for t in runs if t.kind == "dense" and len(t.denses) == 2]
    simple = [t for t in runs if t.kind == "cnn" and _is_simple_cnn(t)]
    one_conv = [t for t in runs if t.kind == "cnn" and len(t.convs) == 1]
    deeper = {t.architecture() for t in runs if t.kind == "cnn" and len(t.convs) >= 2}
    weights = False
    if dense1:
        after = [c for c in nb.cells if c.index >= dense1[0].cell and c.kind == "code"]
        weights = any(c.images and any(w in c.source.lower() for w in ("weight", "kernel", "imshow")) for c in after)
    if dense1 and not any(not _differences(t, ONE_LAYER) for t in dense1):
        flags.append("one-layer network: " + ", ".join(_differences(dense1[0], ONE_LAYER)))
    if dense2 and not any(not _differences(t, TWO_LAYER) for t in dense2):
        flags.append("two-layer network, first run: " + ", ".join(_differences(dense2[0], TWO_LAYER)))
    if one_conv and not simple:
        flags.append(f"simple CNN not as asked (Conv2D 32, 'same', MaxPool 2, Dense): {one_conv[0].architecture()}")

    table_rows = None
    for c in nb.cells:
        if c.kind == "markdown":
            table_rows = markdown_table(c.source)
        elif c.kind == "code" and c.outputs:
            table_rows = dataframe_table(c.outputs)
        if table_rows:
            break
    if table_rows is None and any(w in c.source.lower() for c in nb.cells for w in TABLE_WORDS):
        flags.append("Table 1 is mentioned but no table with an architecture and a test accuracy column was found")
    table = [r.as_dict() for r in table_rows or []]

    trained_shown, held_shown = shown_accuracies([(c.source, c.outputs) for c in nb.cells if c.kind == "code"])
    for row in table:
        for column, shown, label in (("test", held_shown, "test"), ("train", trained_shown, "training")):
            claimed = percent(row[column])
            if claimed is None or not nb.has_outputs:
                continue
            if not shown:
                flags.append(f"Table 1 gives {row[column]} {label} accuracy; no output shows a {label} accuracy")
            elif claimed > 100 * max(shown) + 1.0:
                flags.append(f"Table 1 gives {row[column]} {label} accuracy ({row['architecture'][:60]}); "
                             f"the outputs show at most {100 * max(shown):.1f}%")

    checklist = {
        "dense_1layer": bool(dense1), "weights_plot": weights, "dense_2layer": bool(dense2),
        "simple_cnn": bool(simple), "deeper_cnns": len(deeper), "table": bool(table),
        "review_answers": review_answers([c.source for c in nb.cells if c.kind == "markdown"]),
    }
    missing = [LABELS[k] for k in ("dense_1layer", "dense_2layer", "simple_cnn") if not checklist[k]]
    if not any(t.kind == "cnn" for t in runs):
        missing.append("any CNN")
    elif len(deeper) < 3:
        missing.append(f"deeper CNNs ({len(deeper)} of 3-5)")
    if missing:
        flags.append("models missing: " + ", ".join(missing))
    return {"file": nb.name, "status": "read", "framework": framework, "executed": executed,
            "experiments": experiments, "table": table, "checklist": checklist, "flags": flags}


def summary(report: dict) -> str:
    """One or two sentences for the student's feedback and the Moodle comment."""
    if report["status"] in ("missing", "unreadable"):
        return "Notebook: " + "; ".join(report["flags"]) + "."
    c = report["checklist"]
    found = [LABELS[k] for k in ("dense_1layer", "weights_plot", "dense_2layer", "simple_cnn", "table") if c[k]]
    text = f"Notebook: found {', '.join(found) or 'no required part'}"
    text += f"; {c['deeper_cnns']} deeper CNN(s); {c['review_answers']} of 8 review questions answered."
    issues = [f for f in report["flags"] if f.startswith(("models missing", "no saved outputs"))]
    if issues:
        text += " To check: " + "; ".join(issues) + "."
    return text


def best_cnn_test(report: dict) -> float | None:
    values = [e["test_accuracy"] for e in report.get("experiments", []) if e["kind"] == "cnn" and e["test_accuracy"]]
    return max(values, default=None)


def read_reference(path: Path) -> list[dict]:
    """The instructor's Table 1 from ``xlcnn results``' workbook: [{"experiment", "architecture", "train", "test"}]."""
    from ..errors import XlcnnError
    from ..workbook.loading import open_workbook

    book = open_workbook(path)
    wb = book.formulas
    if "Results" not in wb.sheetnames:
        raise XlcnnError(f"{path}: no 'Results' sheet (expected the workbook written by xlcnn results)")
    ws = wb["Results"]
    rows, header = [], None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 200), values_only=True):
        cells = [("" if v is None else v) for v in row]
        if header is None:
            if "Architecture" in cells and "Acc. test %" in cells:
                header = {str(v): i for i, v in enumerate(cells)}
            continue
        if not any(cells) or not cells[header["Architecture"]] or not isinstance(cells[header["Acc. test %"]],
                                                                                  (int, float)):
            if rows:
                break
            continue
        rows.append({"experiment": str(cells[header.get("Experiment", 1)]),
                     "architecture": str(cells[header["Architecture"]]),
                     "train": cells[header.get("Acc. train %", 0)], "test": cells[header["Acc. test %"]]})
    if header is None:
        raise XlcnnError(f"{path}: the Results sheet has no 'Architecture' and 'Acc. test %' columns")
    return rows
