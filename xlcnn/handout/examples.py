"""Example files (TOML) for Exercise 1: the shipped default and a teacher's own."""

from __future__ import annotations

from pathlib import Path

from .. import datafiles
from ..core.exercise import Example
from ..errors import ExampleError

DEFAULT_EXAMPLE = "example.toml"


def default_example_text() -> str:
    return datafiles.shipped_text(DEFAULT_EXAMPLE)


def load_example(path: str | Path | None = None) -> Example:
    """The example in ``path``, or the shipped default when ``path`` is None."""
    text, source = datafiles.load(path, DEFAULT_EXAMPLE, "example file", ExampleError)
    return Example.from_mapping(datafiles.parse_toml(text, source, ExampleError), source=source)
