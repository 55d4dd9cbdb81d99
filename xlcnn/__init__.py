"""xlcnn: the teaching team's side of the CNN practical.

Exact convolutions (:mod:`xlcnn.core.conv`), Exercise 1's answers (:mod:`xlcnn.core.exercise`)
and the ``xlcnn`` command line (:mod:`xlcnn.cli`). Heavy dependencies (Keras,
xlwings, LibreOffice) are imported only by the modules that need them.
"""

from .errors import (
    ExampleError,
    LayoutError,
    ParameterError,
    ShapeError,
    UnsafeFileError,
    WorkbookError,
    XlcnnError,
)

__version__ = "0.1.0"

__all__ = [
    "ExampleError",
    "LayoutError",
    "ParameterError",
    "ShapeError",
    "UnsafeFileError",
    "WorkbookError",
    "XlcnnError",
    "__version__",
]
