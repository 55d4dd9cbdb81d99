"""xlcnn: the teaching team's side of the CNN practical.

The numeric core is importable from the top: ``from xlcnn import conv2d``. The jobs live in
their folders: :mod:`xlcnn.core` (numpy only), :mod:`xlcnn.workbook`, :mod:`xlcnn.moodle`,
:mod:`xlcnn.grading`, :mod:`xlcnn.excel`, :mod:`xlcnn.training`; the ``xlcnn`` command is
:mod:`xlcnn.cli`. Heavy dependencies (Keras, xlwings, LibreOffice) are imported only by the
modules that need them.
"""

from .core.conv import conv1d, conv2d, conv_params, maxpool2d, output_size, same_padding
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
    "conv1d",
    "conv2d",
    "conv_params",
    "maxpool2d",
    "output_size",
    "same_padding",
]
