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
