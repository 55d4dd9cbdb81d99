"""Where the regions of Exercise 1 are in a workbook: the layout model and its TOML, resolving
names and ranges, finding blocks a student moved (relocating), drafting a layout from a teacher's
own workbook."""
