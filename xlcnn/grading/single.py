"""``xlcnn check``: one workbook checked as ``grade`` checks one submission.

Reading runs in a worker process under the same time and memory limits as a submission of
``grade`` (:class:`~xlcnn.grading.isolation.Limits`, options shared), so any file gives one clear
line and an exit code — never a traceback, a hang or gigabytes. When the workbook must go through
LibreOffice (an .ods or .xls, formulas without a cached value, ``--recalc always``), the worker first
checks it as a file LibreOffice may open; LibreOffice then recalculates it from this process (no
worker alive meanwhile) with its own deadline and heap limit from the budget, and a second worker
reads LibreOffice's copy with the time that is left.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import UnsafeFileError, WorkbookError
from ..layout.model import Layout
from ..workbook.checking import CheckReport, check_step
from .isolation import Limits, run_isolated

STARTUP = 10.0  # seconds LibreOffice may take to start, beside the file's own deadline


def check_isolated(path: Path, layout: Layout | None, tolerance: float, secret_file: Path | None, limits: Limits,
                   recalc: str = "auto") -> CheckReport:
    """The report of ``path``; raises :class:`WorkbookError` (or :class:`UnsafeFileError`) with one line
    naming the file and the reason when it cannot be read within the limits."""
    from ..files.libreoffice import convert_to_xlsx

    name = Path(path).name
    ok, result = run_isolated(check_step, (path, layout, tolerance, secret_file, recalc), limits)
    if not ok:
        raise UnsafeFileError(f"{name}: refused: {result}")
    if isinstance(result, CheckReport):
        return result
    with tempfile.TemporaryDirectory(prefix="xlcnn-check-") as tmp:
        [res] = convert_to_xlsx([Path(path)], Path(tmp), recalc_all=recalc == "always", timeout_per_file=limits.time_s,
                                startup=STARTUP, memory=limits.libreoffice_bytes)
        if res.output is None:
            raise WorkbookError(f"{name}: LibreOffice could not recalculate it ({res.error})")
        left = replace(limits, time_s=max(5.0, limits.time_s - res.seconds))
        ok, result = run_isolated(check_step, (path, layout, tolerance, secret_file, recalc, res.output), left)
    if not ok:
        raise UnsafeFileError(f"{name}: refused: {result}")
    return result
