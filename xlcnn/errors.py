"""One exception family for everything a user can get wrong.

Every message names where the problem is (argument, file, sheet, cell), the bad
value and the rule it breaks, so the CLI can print it as one line. As click's
exceptions do, an error carries its data: the file it is about (``path``, as the
caller named it) and the exit code of the command it stops (``exit_code``); the
CLI formats it with :meth:`XlcnnError.format_message`.
"""

from __future__ import annotations

import os
from pathlib import Path


class XlcnnError(ValueError):
    """Base class of every error xlcnn reports to a user.

    ``str(err)`` names the file by its base name (what a gradebook row or results.json shows);
    :meth:`format_message` by the path as it was given (what a terminal shows)."""

    exit_code = 1  # of the command the error stops

    def __init__(self, message: str = "", *, path: str | os.PathLike | None = None):
        self.path = None if path is None else Path(path)
        self.detail = message
        super().__init__(f"{self.path.name}: {message}" if self.path is not None else message)

    def format_message(self) -> str:
        return f"{self.path}: {self.detail}" if self.path is not None else str(self)


class ShapeError(XlcnnError):
    """An array has the wrong number of dimensions, channels or size."""


class ParameterError(XlcnnError):
    """A scalar parameter (stride, padding, filter size...) breaks its rule."""


class ExampleError(XlcnnError):
    """An example file (TOML) is missing, malformed or describes impossible data."""


class WorkbookError(XlcnnError):
    """A workbook cannot be read, or does not hold what its layout says (names file, sheet, cell)."""


class UnsafeFileError(WorkbookError):
    """A file was refused before extraction or loading (zip bomb, path traversal, links...)."""


class LayoutError(XlcnnError):
    """A layout file (TOML) is missing, malformed or names something the workbook lacks."""
