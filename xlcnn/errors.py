"""One exception family for everything a user can get wrong.

Every message names where the problem is (argument, file, sheet, cell), the bad
value and the rule it breaks, so the CLI can print it as one line.
"""


class XlcnnError(ValueError):
    """Base class of every error xlcnn reports to a user."""


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
