"""``xlcnn inspect --png``: a picture of what a layout finds in a workbook, to see at a glance that
it is right before grading a class. Each region is outlined in a colour of its own and labelled in
the layout's words (``conv1d.cases[2].output``) in the nearest empty cell; each sheet is printed by
the sandboxed LibreOffice, and its pages turned into PNG pictures by ``pdftoppm``."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import XlcnnError
from ..files.libreoffice import convert_to_xlsx, require_soffice
from ..files.printing import print_setup
from .reading import Reading

# distinct colours (Okabe-Ito and the tab20 palette), as RGB hex: the outline of region n is PALETTE[n % len]
PALETTE = ("E69F00", "56B4E9", "009E73", "0072B2", "D55E00", "CC79A7", "1F77B4", "FF7F0E", "2CA02C", "D62728",
           "9467BD", "8C564B", "E377C2", "7F7F7F", "BCBD22", "17BECF", "AEC7E8", "FFBB78", "98DF8A", "FF9896",
           "C5B0D5", "C49C94", "F7B6D2", "DBDB8D", "9EDAE5", "393B79", "637939", "8C6D31", "843C39", "7B4173")


def region_colours(reading: Reading) -> dict[str, str]:
    """Region (as the layout says it) -> the colour of its outline."""
    return {str(region): PALETTE[n % len(PALETTE)] for n, region in enumerate(reading.areas)}


def _outline(ws, area, colour: str) -> None:
    from openpyxl.styles import Border, Side

    side = Side(style="thick", color=colour)
    for r in range(area.min_row, area.max_row + 1):
        for c in range(area.min_col, area.max_col + 1):
            cell = ws.cell(r, c)
            old = cell.border
            cell.border = Border(left=side if c == area.min_col else old.left,
                                 right=side if c == area.max_col else old.right,
                                 top=side if r == area.min_row else old.top,
                                 bottom=side if r == area.max_row else old.bottom)


def _label(ws, area, text: str, colour: str, taken: set) -> None:
    from openpyxl.styles import Font

    for r, c in ((area.min_row - 1, area.min_col), (area.min_row, area.min_col - 1), (area.max_row + 1, area.min_col),
                 (area.min_row, area.max_col + 1)):
        if r < 1 or c < 1 or (r, c) in taken or ws.cell(r, c).value not in (None, ""):
            continue
        cell = ws.cell(r, c)
        cell.value = text
        cell.font = Font(color=colour, bold=True, size=7)
        taken.add((r, c))
        return


def layout_picture(reading: Reading, png: Path, timeout: float = 60.0) -> list[Path]:
    """The pictures of the workbook read through its layout: ``png`` for a single page, else
    ``<stem>-1.png``, ``<stem>-2.png``... next to it. Raises when LibreOffice or pdftoppm is missing."""
    if shutil.which("pdftoppm") is None:
        raise XlcnnError("--png needs pdftoppm (poppler-utils): `make run` installs it, "
                         "or apt-get install poppler-utils")
    require_soffice()
    wb = reading.book.workbook
    colours = region_colours(reading)
    taken: dict[str, set] = {}
    for region, area in reading.areas.items():
        ws = wb[area.sheet]
        _outline(ws, area, colours[str(region)])
    for area in reading.areas.values():  # a label never goes into a region's cells
        taken.setdefault(area.sheet, set()).update((r, c) for r in range(area.min_row, area.max_row + 1)
                                                   for c in range(area.min_col, area.max_col + 1))
    for region, area in reading.areas.items():
        _label(wb[area.sheet], area, str(region), colours[str(region)], taken[area.sheet])
    shown = {a.sheet for a in reading.areas.values()}
    for ws in wb.worksheets:
        if ws.title not in shown:
            ws.sheet_state = "hidden"
        else:
            ws.sheet_state = "visible"
            print_setup(ws, f"{reading.book.name} — layout {reading.layout.source}", landscape=ws.max_column > 10)
    png = Path(png)
    with tempfile.TemporaryDirectory(prefix="xlcnn-picture-") as tmp:
        marked = Path(tmp) / (png.stem + ".xlsx")
        wb.save(marked)
        [res] = convert_to_xlsx([marked], Path(tmp) / "pdf", target="pdf", workdir=Path(tmp), timeout_per_file=timeout)
        if res.output is None:
            raise XlcnnError(f"{reading.book.name}: LibreOffice could not print the picture ({res.error})")
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(res.output), str(stem)], check=True, timeout=timeout,
                       capture_output=True)
        pages = sorted(Path(tmp).glob("page*.png"))
        png.parent.mkdir(parents=True, exist_ok=True)
        if len(pages) == 1:
            out = [png]
        else:
            out = [png.with_name(f"{png.stem}-{n}{png.suffix}") for n in range(1, len(pages) + 1)]
        for src, dst in zip(pages, out, strict=False):
            shutil.copyfile(src, dst)
    return out
