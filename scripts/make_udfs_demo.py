#!/usr/bin/env python3
"""Build workbooks/cnn-udfs-demo.xlsx: each Excel function of xlcnn on the practical's example.

    .venv/bin/python scripts/make_udfs_demo.py [-o workbooks/cnn-udfs-demo.xlsx]

Each result shows the formula to type (in dynamic-array Excel it spills) beside its cells;
each cell of a result holds ``=INDEX(formula, row, column)``: an ordinary formula, which
works in every Excel with the add-in and keeps its cached value in LibreOffice (LibreOffice
recalculates array formulas on opening, and an unknown function then shows #NAME?). The
values are cached in the file, computed by xlcnn's core, and the file does not ask for a
recalculation on opening (no ``fullCalcOnLoad``): Excel and LibreOffice show the numbers
without the add-in; row 2 says what to load to make the formulas live.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlcnn.core import conv  # noqa: E402
from xlcnn.files.xlsx_values import save_workbook  # noqa: E402
from xlcnn.handout.examples import load_example  # noqa: E402
from xlcnn.files.printing import print_setup  # noqa: E402

# (top-left cell of the result, formula, what it shows) — the README shows the same formulas.
DEMO = [
    ("B9", "=CONV1D(B4:H4,B5:D5,1,0)", "1D, S=1, P=0"),
    ("B10", "=CONV1D(B4:H4,B5:D5,2,0)", "1D, S=2, P=0"),
    ("B11", "=CONV1D(B4:H4,B5:D5,4,0)", "1D, S=4, P=0"),
    ("B12", "=CONV1D(B4:H4,B5:D5,1,1)", "1D, S=1, P=1 (same size)"),
    ("B13", "=CONV1D(B4:H4,B5:D5,4,1)", "1D, S=4, P=1 (the last partial window is dropped)"),
    ("B14", '=CONV1D(B4:H4,B5:D5,2,"same")', "1D, S=2, padding 'same' (as Keras)"),
    ("H20", "=CONV2D(B20:F34,D38:F55,1,0,D57:E57,3)", "2D, S=1, P=0: the 3x3x2 output, map 1 above map 2"),
    ("H28", "=CONV2D(B20:F34,D38:F55,2,0,D57:E57,3)", "2D, S=2, P=0: 2x2x2"),
    ("H34", "=MAXPOOL2D(H20:J22,2,1)", "max pooling of map 1 (size 2, stride 1)"),
    ("H38", "=CONV_OUTPUT_SIZE(7,3,4,1)", "output size for N=7, F=3, S=4, P=1"),
    ("H39", "=CONV_PARAMS(3,3,2)", "parameters of the 2D layer: (3*3*3 + 1) * 2"),
]


FORMULA_COLUMN = 10  # J: right of the longest 1D result (B..H)
LIVE_NOTE = (
    "The numbers below were computed by xlcnn and saved with the file: they show without any add-in. "
    "To make the formulas live in desktop Excel (Windows), save a copy as .xlsm and click Import Functions "
    "in the xlwings tab (UDF Modules: xlcnn.excel.udfs). With the Office.js add-in (xlcnn serve), "
    "type the same formulas as =XLCNN.CONV1D(...)."
)


def results(ex) -> dict[str, np.ndarray]:
    x1, w1 = ex.x1, ex.w1
    y = conv.conv2d(ex.x2, ex.w2, ex.b2, 1, 0)
    y2 = conv.conv2d(ex.x2, ex.w2, ex.b2, 2, 0)
    def stack(v):
        return np.concatenate([v[:, :, k] for k in range(v.shape[2])], axis=0)
    return {
        "B9": conv.conv1d(x1, w1, 0, 1, 0)[None], "B10": conv.conv1d(x1, w1, 0, 2, 0)[None],
        "B11": conv.conv1d(x1, w1, 0, 4, 0)[None], "B12": conv.conv1d(x1, w1, 0, 1, 1)[None],
        "B13": conv.conv1d(x1, w1, 0, 4, 1)[None], "B14": conv.conv1d(x1, w1, 0, 2, "same")[None],
        "H20": stack(y), "H28": stack(y2), "H34": conv.maxpool2d(y[:, :, 0], 2, 1),
        "H38": np.array([[conv.output_size(7, 3, 4, 1).size]]), "H39": np.array([[conv.conv_params(3, 3, 2)]]),
    }


def build(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    ex = load_example()
    wb = Workbook()
    ws = wb.active
    ws.title = "Demo"
    bold = Font(bold=True)
    blue = PatternFill("solid", start_color="DDEBF7")
    ws["A1"] = "xlcnn's Excel functions on the practical's example"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = LIVE_NOTE
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:L2")
    ws.row_dimensions[2].height = 48
    ws["A4"], ws["A5"] = "input x", "filter w"
    for i, v in enumerate(ex.x1):
        ws.cell(4, 2 + i, int(v)).fill = blue
    for i, v in enumerate(ex.w1):
        ws.cell(5, 2 + i, int(v)).fill = blue
    ws["A8"] = "CONV1D (bias 0)"
    ws["A8"].font = bold
    ws["A19"] = "input volume: channels stacked (B20:F34)"
    ws["A19"].font = bold
    for c in range(3):
        ws.cell(20 + 5 * c, 1, f"channel {c + 1}")
        for r in range(5):
            for q in range(5):
                ws.cell(20 + 5 * c + r, 2 + q, int(ex.x2[r, q, c])).fill = blue
    ws["A37"] = "filters: per filter, its channels stacked (D38:F55)"
    ws["A37"].font = bold
    for k in range(2):
        for c in range(3):
            top = 38 + 9 * k + 3 * c
            ws.cell(top, 2, f"w{k + 1}, channel {c + 1}")
            for r in range(3):
                for q in range(3):
                    ws.cell(top + r, 4 + q, int(ex.w2[r, q, c, k])).fill = blue
    ws["B57"] = "biases"
    ws["D57"], ws["E57"] = int(ex.b2[0]), int(ex.b2[1])
    ws["D57"].fill = ws["E57"].fill = blue
    values = results(ex)
    cached = {}
    for cell, formula, label in DEMO:
        col_letter, row = coordinate_from_string(cell)
        col = column_index_from_string(col_letter)
        out = values[cell]
        rows, cols = out.shape
        label_cell = ws.cell(row, 1) if col == 2 else ws.cell(row, col + cols + 1)
        if label_cell.value is None:
            label_cell.value = label
        if rows * cols > 1:  # the formula to type, as text, beside the cells that show its result
            typed = ws.cell(row, FORMULA_COLUMN) if col == 2 else ws.cell(row + 1, col + cols + 1)
            typed.value = formula
            typed.data_type = "s"  # text: openpyxl would take "=..." for a formula
            typed.font = Font(name="Consolas", color="1F4E79")
        for r in range(rows):
            for q in range(cols):
                target = ws.cell(row + r, col + q)
                target.value = formula if rows * cols == 1 else f"=INDEX({formula[1:]},{r + 1},{q + 1})"
                cached[("Demo", target.coordinate)] = float(out[r, q])
    ws.column_dimensions["A"].width = 46
    print_setup(ws, "xlcnn's Excel functions — demo", landscape=True, pages_tall=1)  # printed: one page
    wb.calculation.fullCalcOnLoad = False  # show the cached numbers; never recalculate on opening
    save_workbook(wb, path, cached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("workbooks/cnn-udfs-demo.xlsx"))
    args = parser.parse_args()
    build(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
