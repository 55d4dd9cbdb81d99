"""Excel functions (CONV1D, CONV2D...) through xlwings: the UDFs and the Office.js server."""
