"""Moodle's formats and nothing else: the submissions download, the grading worksheet, the feedback zip."""
