"""A whole class: the grading pipeline, rubric, diagnoses, similarity, feedback, gradebook and outputs."""
