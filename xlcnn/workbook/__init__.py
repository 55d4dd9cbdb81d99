"""One exercise workbook, safely: loading, layouts, reading, checking, templates, solutions, saving."""
