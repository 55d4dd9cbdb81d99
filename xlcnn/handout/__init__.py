"""The handed-out workbook: building it, per-group variants, their signatures, the groups list,
the example files of given numbers."""
