"""Moodle's REST web services, for a TA with a token: pull an assignment's submissions in the
layout of "Download all submissions" (with ``moodle.json``), and push grades, comments and
annotated workbooks back, student by student, never over what a person changed in Moodle."""
