"""The shipped TOML files: the example, the layout, the rubric, the experiments."""
