"""The xlwings-server project folder of ``xlcnn serve`` (custom functions = xlcnn.excel.udfs)."""
