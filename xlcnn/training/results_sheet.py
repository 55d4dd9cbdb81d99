"""The results sheet: the practical's Table 1, learning curves as Excel charts, the weights picture.

Written into a new workbook or into an existing one (other sheets kept), atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..files.atomic import atomic_write
from ..files.xlsx_values import save_workbook
from .outcome import Outcome

RESULTS = "Results"
CURVES = "Curves"


def weights_picture(model, path: Path, class_names=None) -> str:
    """The practical's Figure 4: the ten 32x32x3 weight templates of the one-layer network,
    each RGB channel normalised to 0-255 on its own, titled with the class names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .cifar import CLASS_NAMES

    names = class_names or CLASS_NAMES
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"][0]
    w = np.asarray(dense.get_weights()[0])  # (3072, 10)
    fig, axes = plt.subplots(1, 10, figsize=(12, 1.9))
    for k, ax in enumerate(axes):
        img = w[:, k].reshape(32, 32, 3)
        lo, hi = img.min(axis=(0, 1)), img.max(axis=(0, 1))
        img = (img - lo) / np.where(hi > lo, hi - lo, 1) * 255  # per channel, as the practical asks
        ax.imshow(img.astype(np.uint8), interpolation="nearest")
        ax.set_title(names[k], fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return str(path)


CM = 360_000  # EMU per centimetre


def _place(chart, ws, row: int, j: int) -> None:
    """The loss chart (j = 0) and, right beside it, the accuracy chart (j = 1), from column C."""
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
    from openpyxl.drawing.xdr import XDRPositiveSize2D

    marker = AnchorMarker(col=2, colOff=int(j * 11.4 * CM), row=row - 1, rowOff=0)
    chart.anchor = OneCellAnchor(_from=marker, ext=XDRPositiveSize2D(int(chart.width * CM), int(chart.height * CM)))
    ws.add_chart(chart)


TABLE1_COLUMNS = ["#", "Experiment", "Architecture", "Acc. train %", "Acc. test %", "Parameters", "Epochs",
                  "Batch size", "s / epoch", "Total time (s)"]


def table1(outcomes: list[Outcome]):
    """The practical's Table 1 as a pandas DataFrame: one row per experiment trained."""
    import pandas as pd

    rows = [[i, o.name, str(o.architecture), round(100 * o.train_accuracy, 1), round(100 * o.test_accuracy, 1),
             o.params, o.epochs, o.batch_size, round(o.seconds_per_epoch, 1), round(o.total_seconds, 1)]
            for i, o in enumerate(outcomes, 1)]
    return pd.DataFrame(rows, columns=TABLE1_COLUMNS)


def table1_csv(path: Path) -> Path:
    """Where Table 1's CSV goes beside the workbook: cnn-results.xlsx -> cnn-results-table1.csv."""
    return Path(path).with_name(Path(path).stem + "-table1.csv")


def write_results(path: Path, outcomes: list[Outcome], info: dict[str, str], pending: list[str] | None = None) -> None:
    """Write (or replace) the Results and Curves sheets of the workbook at ``path``, and Table 1 as a
    CSV beside it (:func:`table1_csv`)."""
    import openpyxl
    from openpyxl.chart import LineChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    wb = openpyxl.load_workbook(path) if path.exists() else None
    if wb is None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    for name in (RESULTS, CURVES):
        if name in wb.sheetnames:
            del wb[name]
    ws = wb.create_sheet(RESULTS, 0)
    curves = wb.create_sheet(CURVES, 1)
    bold = Font(bold=True)
    ws["A1"] = "Performances on CIFAR10 with different configurations (the practical's Table 1)"
    ws["A1"].font = Font(bold=True, size=13)
    frame = table1(outcomes)
    header = list(frame.columns)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = bold
        cell.fill = PatternFill("solid", start_color="DDEBF7")
    for row in frame.itertuples(index=False):
        row = list(row)
        row[2] = str(row[2]).replace("; ", "\n")
        ws.append(row)
        for c in range(1, 11):  # the row reads across from its top line
            ws.cell(ws.max_row, c).alignment = Alignment(wrap_text=c == 3, vertical="top")
        lines = sum(1 + len(part) // 88 for part in str(ws.cell(ws.max_row, 3).value).split("\n"))
        ws.row_dimensions[ws.max_row].height = 15 * max(1, lines)  # the whole architecture shows, nothing overlaps
        for c in (4, 5, 9, 10):
            ws.cell(ws.max_row, c).number_format = "0.0"  # one format: 63.0 beside 62.7
    for name in pending or []:
        ws.append(["", name, "(not trained yet: run xlcnn results --resume)"])
    for col, width in zip("ABCDEFGHIJ", (4, 16, 90, 12, 12, 12, 8, 10, 10, 14), strict=False):
        ws.column_dimensions[col].width = width
    row = ws.max_row + 2
    ws.cell(row, 1, "Run").font = bold
    for key, value in info.items():
        row += 1
        ws.cell(row, 2, key)
        ws.cell(row, 3, value)
    row += 2
    ws.cell(row, 1, "Learning curves (validation split held out of the training set)").font = bold
    anchor_row = row + 1

    # Curves sheet: one block per experiment (epoch, loss, val_loss, accuracy, val_accuracy)
    col = 1
    chart_row = anchor_row
    for o in outcomes:
        h = o.history
        epochs = len(h.get("loss", []))
        curves.cell(1, col, o.name).font = bold
        for j, key in enumerate(["epoch", "loss", "val_loss", "accuracy", "val_accuracy"]):
            curves.cell(2, col + j, key).font = bold
            for e in range(epochs):
                value = e + 1 if key == "epoch" else h.get(key, [None] * epochs)[e]
                curves.cell(3 + e, col + j, value)
        for j, (title, keys) in enumerate((("loss", (1, 2)), ("accuracy", (3, 4)))):
            chart = LineChart()
            chart.title = f"{o.name}: {title}"
            chart.x_axis.title = "epoch"
            chart.y_axis.title = title
            chart.x_axis.delete = False
            chart.y_axis.delete = False
            chart.height, chart.width = 6.5, 11
            for k in keys:
                chart.add_data(Reference(curves, min_col=col + k, min_row=2, max_row=2 + max(epochs, 1)),
                               titles_from_data=True)
            chart.set_categories(Reference(curves, min_col=col, min_row=3, max_row=2 + max(epochs, 1)))
            for series in chart.series:  # the values as measured: points marked, lines straight
                series.smooth = False
                series.marker.symbol = "circle"
                series.marker.size = 5
            if title == "accuracy":  # a fraction of the images: the whole scale, never above 1
                chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
                chart.y_axis.majorUnit = 0.2
                chart.y_axis.number_format = "0%"
            _place(chart, ws, chart_row, j)
        chart_row += 14
        col += 6
    from ..files.printing import print_setup

    print_setup(ws, "Results — Table 1, learning curves and weights", landscape=True, title_rows="3:3")
    print_setup(curves, "Results — the learning curves' numbers", landscape=True, title_rows="1:2")
    for o in outcomes:
        if o.weights_png and Path(o.weights_png).exists():
            ws.cell(chart_row, 1,
                    f"Weights of {o.name} (per-channel normalised, as the practical's Figure 4)").font = bold
            img = Image(o.weights_png)
            ws.add_image(img, f"B{chart_row + 1}")
            chart_row += 12
    save_workbook(wb, path, reproducible=False)
    atomic_write(table1_csv(path), lambda tmp: frame.to_csv(tmp, index=False))


def read_table1(path: Path) -> list[dict]:
    """The instructor's Table 1 read back from the workbook :func:`write_results` wrote (the headers
    are :data:`TABLE1_COLUMNS`): [{"experiment", "architecture", "train", "test"}]."""
    from ..errors import XlcnnError
    from ..files.opening import open_workbook

    experiment, arch, train, test = TABLE1_COLUMNS[1:5]

    book = open_workbook(path)
    wb = book.workbook
    if RESULTS not in wb.sheetnames:
        raise XlcnnError(f"{path}: no 'Results' sheet (expected the workbook written by xlcnn results)")
    ws = wb[RESULTS]
    rows, header = [], None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 200), values_only=True):
        cells = [("" if v is None else v) for v in row]
        if header is None:
            if arch in cells and test in cells:
                header = {str(v): i for i, v in enumerate(cells)}
            continue
        if not any(cells) or not cells[header[arch]] or not isinstance(cells[header[test]],
                                                                                  (int, float)):
            if rows:
                break
            continue
        rows.append({"experiment": str(cells[header.get(experiment, 1)]), "architecture": str(cells[header[arch]]),
                     "train": cells[header.get(train, 0)], "test": cells[header[test]]})
    if header is None:
        raise XlcnnError(f"{path}: the Results sheet has no '{arch}' and '{test}' columns")
    return rows
