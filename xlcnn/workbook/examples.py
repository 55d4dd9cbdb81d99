"""Example files (TOML) for Exercise 1: the shipped default and a teacher's own."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from ..errors import ExampleError
from ..core.exercise import Example

DEFAULT_EXAMPLE = "example.toml"


def default_example_text() -> str:
    return resources.files("xlcnn.data").joinpath(DEFAULT_EXAMPLE).read_text(encoding="utf-8")


def load_example(path: str | Path | None = None) -> Example:
    """The example in ``path``, or the shipped default when ``path`` is None."""
    if path is None:
        return Example.from_mapping(tomllib.loads(default_example_text()), source="default example")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ExampleError(f"{path}: no such example file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ExampleError(f"{path}: cannot read the example file ({err})") from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ExampleError(f"{path}: not valid TOML ({err})") from err
    return Example.from_mapping(data, source=str(path))
