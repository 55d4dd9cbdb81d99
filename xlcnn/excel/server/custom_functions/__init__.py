"""xlwings-server loads the custom functions from here: they are xlcnn's Excel functions."""

from xlcnn.excel.udfs import CONV1D, CONV2D, CONV_OUTPUT_SIZE, CONV_PARAMS, MAXPOOL2D  # noqa: F401
