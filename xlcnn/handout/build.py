"""The student workbook of Exercise 1 (``cnn-ex1-stud.xlsx``).

Two sheets a student understands without the PDF: ``Ex1a`` (the 1D convolution:
input, filter, bias, one block per (S, P) pair) and ``Ex1b`` (the 5x5x3 volume, the
filters shown channel by channel, the biases, the questions, the output grid).
Given numbers are blue, answer cells yellow, unlocked and validated; everything
else is protected (no password). Every input and answer region has a defined name,
and the workbook carries its own layout, variant identity and keyed signature in a
very hidden sheet ``xlcnn`` (:mod:`xlcnn.handout.signing`).
"""

from __future__ import annotations

import numpy as np

from ..core.conv import output_size
from ..core.exercise import Example
from ..layout.regions import RegionId
from ..layout.toml import layout_toml
from .signing import FORMAT, META_SHEET, sign
from .variants import Variant

INPUT_FILL = "DDEBF7"


GIVEN_FILL = "EDEDED"


ANSWER_FILL = "FFF2CC"


def case_names(i: int) -> dict[str, str]:
    """Defined names of case ``i``'s regions: Case1_S, Case1_P, Case1_Output, ..."""
    return {k: f"Case{i}_{k.capitalize()}" for k in ("s", "p", "output", "size", "same", "note")}


def defined_names(ex: Example) -> dict[RegionId, str]:
    """The defined name of every region of a workbook written by :func:`build_workbook` for ``ex``."""
    R = RegionId.of
    channels, k = ex.x2.shape[2], ex.n_filters
    names = {R("conv1d.input"): "Input1D", R("conv1d.filter"): "Filter1D", R("conv1d.bias"): "Bias1D"}
    for i in range(1, len(ex.cases1) + 1):
        n = case_names(i)
        names |= {R(f"conv1d.cases.{key}", i): n[short] for key, short in (
            ("stride", "s"), ("padding", "p"), ("output", "output"), ("size", "size"), ("same", "same"),
            ("note", "note"))}
    names |= {R("conv2d.input", c): f"Input2D_C{c}" for c in range(1, channels + 1)}
    names |= {R("conv2d.filters", kk, c): f"Filter2D_K{kk}_C{c}"
              for kk in range(1, k + 1) for c in range(1, channels + 1)}
    names |= {R("conv2d.biases", kk): f"Bias2D_K{kk}" for kk in range(1, k + 1)}
    names |= {R("conv2d.maps"): "Maps", R("conv2d.preserve"): "Preserve"}
    for i in range(1, len(ex.volume_cases) + 1):
        names |= {R("conv2d.volumes.stride", i): f"Volume{i}_S", R("conv2d.volumes.padding", i): f"Volume{i}_P",
                  R("conv2d.volumes.answer", i): f"Volume{i}"}
    names |= {R("conv2d.values.stride"): "Values_S", R("conv2d.values.padding"): "Values_P"}
    names |= {R("conv2d.values.output", kk): f"Output2D_K{kk}" for kk in range(1, k + 1)}
    return names


def layout_text(ex: Example) -> str:
    """The layout (TOML) of a workbook written by :func:`build_workbook` for ``ex``."""
    return layout_toml(defined_names(ex),
                       ["# Layout of the workbook written by `xlcnn template`: every region is a defined name."])


class _Sheet:
    """A small writing helper: styles, defined names, protection."""

    def __init__(self, wb, ws):
        from openpyxl.styles import (
            Alignment,
            Border,
            Font,
            PatternFill,
            Protection,
            Side,
        )

        self.wb, self.ws = wb, ws
        self.Font, self.Alignment, self.PatternFill, self.Protection = Font, Alignment, PatternFill, Protection
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def text(self, row: int, col: int, value: str, bold: bool = False, size: int | None = None, italic=False):
        cell = self.ws.cell(row, col, value)
        cell.font = self.Font(bold=bold, size=size, italic=italic)
        return cell

    def paragraph(self, row: int, text: str, last_col: int, lines: int = 3) -> None:
        """A long text in a merged, wrapped cell, its row tall enough to show it."""
        cell = self.ws.cell(row, 1, text)
        cell.alignment = self.Alignment(wrap_text=True, vertical="top")
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        self.ws.row_dimensions[row].height = 15 * lines

    def legend(self, row: int) -> None:
        """What each colour means, in cells of that colour."""
        self.text(row, 1, "Colours:", italic=True)
        # one cell each (merged cells cost every reader of every copy a few milliseconds)
        for col, (fill, label) in zip((3, 4, 5), ((INPUT_FILL, "given"), (GIVEN_FILL, "S, P"), (ANSWER_FILL, "answer")),
                                      strict=False):
            cell = self.ws.cell(row, col, label)
            cell.fill = self.PatternFill("solid", start_color=fill)
            cell.border = self.border
            cell.font = self.Font(size=8)
            cell.alignment = self.Alignment(horizontal="center", shrink_to_fit=True)

    def block(self, row: int, col: int, values: np.ndarray | None, name: str, kind: str, shape=None):
        """Write a block of input/given/answer cells and name it; returns its range."""
        from openpyxl.utils import get_column_letter
        from openpyxl.workbook.defined_name import DefinedName

        arr = None if values is None else np.atleast_2d(np.asarray(values))
        rows, cols = arr.shape if arr is not None else shape
        fill = {"input": INPUT_FILL, "given": GIVEN_FILL, "answer": ANSWER_FILL, "note": None}[kind]
        for r in range(rows):
            for c in range(cols):
                cell = self.ws.cell(row + r, col + c)
                if arr is not None:
                    v = float(arr[r, c])
                    cell.value = int(v) if v.is_integer() else v
                if fill:
                    cell.fill = self.PatternFill("solid", start_color=fill)
                    cell.border = self.border
                    cell.alignment = self.Alignment(horizontal="center")
                cell.protection = self.Protection(locked=kind not in ("answer",))
        first = f"${get_column_letter(col)}${row}"
        last = f"${get_column_letter(col + cols - 1)}${row + rows - 1}"
        ref = first if (rows, cols) == (1, 1) else f"{first}:{last}"
        title = self.ws.title.replace("'", "''")
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"'{title}'!{ref}")
        return ref.replace("$", "")


def _validations(ws):
    """Data validations for one sheet: number, whole number, yes/no, output volume text."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dvs = (
        DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                       allow_blank=True, showErrorMessage=True, errorTitle="A number",
                       error="Enter a number (decimals allowed)."),
        # sizes and counts: a decimal is kept (2.5 is the very trap of a filter that does not fit); Excel
        # only warns, so that a wrong answer stays the student's own to be marked
        DataValidation(type="decimal", operator="between", formula1="0", formula2="1000", allow_blank=True,
                       showErrorMessage=True, errorStyle="warning", errorTitle="A whole number?",
                       error="Sizes and counts are whole numbers: check your rounding. Click Yes to keep your value."),
        DataValidation(type="list", formula1='"yes,no"', allow_blank=True, showErrorMessage=True,
                       errorTitle="yes or no", error="Answer yes or no."),
        DataValidation(type="textLength", operator="lessThanOrEqual", formula1="40", allow_blank=True,
                       showInputMessage=True, promptTitle="Output volume",
                       prompt="Height x width x depth, e.g. 4x4x6"),
    )
    for dv in dvs:
        ws.add_data_validation(dv)
    return dvs


def build_workbook(ex: Example, variant: Variant | None = None, secret: bytes | None = None, check_mode: str = "full"):
    """The student workbook for ``ex`` as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    a = _Sheet(wb, wb.active)
    a.ws.title = "Ex1a"
    b = _Sheet(wb, wb.create_sheet("Ex1b"))
    number, whole, yesno, _ = _validations(a.ws)
    nb, wb_whole, _, vol = _validations(b.ws)

    # ---------------------------------------------------------- Ex1a: 1D
    ws = a.ws
    ws.column_dimensions["A"].width = 34
    for_group = f" — {variant.group}" if variant else ""
    a.text(1, 1, f"Exercise 1 a) — 1D convolution{for_group}", bold=True, size=14)
    a.paragraph(2, "Compute the output of the convolution of the input x with the filter w (no kernel flip, "
                "as in Keras' Conv1D), plus the bias b, for each stride S and zero padding P below. Fill the "
                "yellow cells: output values from the left, one per cell (leave the cells after the last value "
                "empty), the output size, and whether it equals the input size.", last_col=3 + ex.x1.size + 1)
    a.legend(3)
    a.text(4, 1, "Group / names", bold=True)
    a.block(4, 3, None, "GroupNames", "answer", shape=(1, 1))
    ws.cell(4, 3).alignment = a.Alignment(horizontal="left")  # the names run on over the empty cells beside it
    a.text(5, 1, f"Input x (N = {ex.x1.size})", bold=True)
    a.block(5, 3, ex.x1[None], "Input1D", "input")
    a.text(6, 1, f"Filter w (F = {ex.w1.size})", bold=True)
    a.block(6, 3, ex.w1[None], "Filter1D", "input")
    a.text(7, 1, "Bias b", bold=True)
    a.block(7, 3, np.array([[ex.b1]]), "Bias1D", "input")
    row = 9
    for i, (s, p) in enumerate(ex.cases1, 1):
        n = case_names(i)
        a.text(row, 1, f"Case {i}", bold=True)
        a.text(row, 2, "S =")
        a.block(row, 3, np.array([[s]]), n["s"], "given")
        a.text(row, 4, "P =")
        a.block(row, 5, np.array([[p]]), n["p"], "given")
        width = ex.x1.size + 2 * p - ex.w1.size + 1
        a.text(row + 1, 1, "Output y")
        rng = a.block(row + 1, 3, None, n["output"], "answer", shape=(1, max(width, 1)))
        number.add(rng)
        a.text(row + 2, 1, "Output size")
        whole.add(a.block(row + 2, 3, None, n["size"], "answer", shape=(1, 1)))
        a.text(row + 3, 1, "Same size as the input? (yes/no)")
        yesno.add(a.block(row + 3, 3, None, n["same"], "answer", shape=(1, 1)))
        a.block(row + 4, 3, None, n["note"], "note", shape=(1, 1))
        row += 6
    for col in range(2, 3 + ex.x1.size + 2 * max(p for _, p in ex.cases1)):
        ws.column_dimensions[get_column_letter(col)].width = 7

    # ---------------------------------------------------------- Ex1b: 2D
    ws = b.ws
    h, w, c = ex.x2.shape
    f, k = ex.w2.shape[0], ex.n_filters
    ws.column_dimensions["A"].width = 20
    b.text(1, 1, f"Exercise 1 b) — 2D convolution{for_group}", bold=True, size=14)
    b.paragraph(2, f"The input volume x is {h}x{w}x{c}; there are {k} filters of size {f}x{f}x{c}, each with its "
                "bias. Each output value is the sum, over all channels, of the filter slice times the input window, "
                "plus the bias. Fill the yellow cells.", last_col=1 + c * (w + 1))
    b.legend(3)
    b.text(5, 1, f"Input volume x ({h}x{w}x{c})", bold=True)
    for ch in range(c):
        col = 2 + ch * (w + 1)
        b.text(6, col, f"channel {ch + 1}", bold=True)
        b.block(7, col, ex.x2[:, :, ch], f"Input2D_C{ch + 1}", "input")
    row = 7 + h + 1
    for kk in range(k):
        b.text(row, 1, f"Filter w{kk + 1} ({f}x{f}x{c})", bold=True)
        for ch in range(c):
            col = 2 + ch * (f + 1)
            b.text(row + 1, col, f"channel {ch + 1}")
            b.block(row + 2, col, ex.w2[:, :, ch, kk], f"Filter2D_K{kk + 1}_C{ch + 1}", "input")
        col = 2 + c * (f + 1)
        b.text(row + 1, col, f"bias b{kk + 1}")
        b.block(row + 2, col, np.array([[ex.b2[kk]]]), f"Bias2D_K{kk + 1}", "input")
        row += f + 3
    row += 1
    b.text(row, 1, "Questions", bold=True, size=12)
    row += 1
    b.text(row, 1, "How many activation maps (output depth) will we obtain?")
    wb_whole.add(b.block(row, 8, None, "Maps", "answer", shape=(1, 1)))
    row += 1
    for i, (s, p) in enumerate(ex.volume_cases, 1):
        b.text(row, 1, "Output volume with")
        b.text(row, 2, "S =")
        b.block(row, 3, np.array([[s]]), f"Volume{i}_S", "given")
        b.text(row, 4, "P =")
        b.block(row, 5, np.array([[p]]), f"Volume{i}_P", "given")
        b.text(row, 6, "H x W x D:")
        vol.add(b.block(row, 8, None, f"Volume{i}", "answer", shape=(1, 1)))
        row += 1
    b.text(row, 1, "A filter size F, padding P and stride S that preserve the spatial size of the input:")
    row += 1
    for j, label in enumerate(("F", "P", "S")):
        b.text(row, 3 + j, label, bold=True).alignment = b.Alignment(horizontal="center")
    b.text(row + 1, 2, "answer:")
    wb_whole.add(b.block(row + 1, 3, None, "Preserve", "answer", shape=(1, 3)))
    row += 1
    row += 2
    s, p = ex.values_case
    oh = output_size(h, f, s, p).size
    ow = output_size(w, ex.w2.shape[1], s, p).size
    b.text(row, 1, "Output values with", bold=True)
    b.text(row, 2, "S =")
    b.block(row, 3, np.array([[s]]), "Values_S", "given")
    b.text(row, 4, "P =")
    b.block(row, 5, np.array([[p]]), "Values_P", "given")
    row += 1
    for kk in range(k):
        col = 2 + kk * (ow + 1)
        b.text(row, col, f"map {kk + 1} (filter w{kk + 1})", bold=True)
        nb.add(b.block(row + 1, col, None, f"Output2D_K{kk + 1}", "answer", shape=(oh, ow)))
    for col in range(2, 2 + max(c * (w + 1), c * (f + 1) + 2, k * (ow + 1))):
        ws.column_dimensions[get_column_letter(col)].width = 7

    for sheet in (a.ws, b.ws):
        sheet.protection.sheet = True  # no password: protection against slips, not secrecy
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.formatCells = False
        sheet.protection.insertRows = False  # students may add rows and columns for their working
        sheet.protection.insertColumns = False
        sheet.protection.deleteRows = True

    from ..files.printing import print_setup

    purpose = f"Exercise 1 — {variant.group}" if variant else "Exercise 1 — student workbook"
    print_setup(a.ws, purpose, pages_tall=1)
    print_setup(b.ws, purpose, landscape=True, pages_tall=1)
    meta = wb.create_sheet(META_SHEET)
    rows = [
        ("format", FORMAT),
        ("example", ex.name),
        ("variant", variant.group if variant else ""),
        ("seed", variant.seed if variant else ""),
        ("signature", sign(ex, variant.group if variant else "", secret) if secret else ""),
        ("layout", layout_text(ex)),
        ("check", check_mode),  # "hints": xlcnn check tells right / wrong and the mistake, never the answer
    ]
    for r, (key, value) in enumerate(rows, 1):
        meta.cell(r, 1, key)
        meta.cell(r, 2, value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 0
    return wb
