"""The two rules about recalculating a workbook, kept once for ``check`` and ``grade``: whether a
file must go through LibreOffice before it is read, and the :class:`~xlcnn.files.opening.Book`
read from LibreOffice's recalculated copy (the original's name, type and external references)."""

from __future__ import annotations

from pathlib import Path

from .opening import Book, needs_libreoffice, open_workbook, scan_external, sniff


def needs_recalculation(path: Path, recalc: str = "auto") -> bool:
    """:func:`~xlcnn.files.opening.needs_libreoffice` as a probe: a damaged file is the loader's to
    report, with its reason, so a probe that fails says no."""
    try:
        return needs_libreoffice(path, recalc)
    except MemoryError:
        raise  # the worker's memory limit: the file is refused for it, never read as if it needed nothing
    except Exception:  # noqa: BLE001 - the loader reports it, with its reason
        return False


def recalculated_book(original: Path, converted: Path) -> Book:
    """The workbook as LibreOffice recalculated it (``converted``), known by the original's name and
    type; references outside it are those of both files."""
    fresh = open_workbook(converted)
    return Book(Path(original), fresh.workbook, fresh.cached, sniff(Path(original)), converted=True,
                external=sorted(set(fresh.external) | set(scan_external(Path(original)))),
                notes=fresh.notes, skipped=fresh.skipped)
