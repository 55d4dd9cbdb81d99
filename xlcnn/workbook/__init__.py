"""What Exercise 1 means in a workbook: reading its inputs and answers, the questions, checking, diagnosing mistakes, the solution."""  # noqa: E501 - the package's one-line summary
