"""The notebook half of a submission, read and reported for the TA: never executed."""
