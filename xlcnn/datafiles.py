"""TOML files read as data: the defaults shipped in ``xlcnn/data`` and a teacher's own files.

One place for what every TOML file of xlcnn shares (example, layout, rubric, experiments):
the shipped default by name, a user's file by path, and errors that name the file and say
what is wrong with it, raised in the caller's own exception class.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import XlcnnError


def shipped_text(name: str) -> str:
    """The text of the shipped data file ``name`` (``xlcnn/data/<name>``)."""
    return resources.files("xlcnn.data").joinpath(name).read_text(encoding="utf-8")


def read_text(path: str | Path, what: str, error: type[XlcnnError] = XlcnnError) -> str:
    """The text of a user's file; ``what`` names it in messages ("layout file", "rubric")."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise error(f"{path}: no such {what}") from err
    except UnicodeDecodeError as err:
        raise error(f"{path}: cannot read the {what}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    except OSError as err:
        raise error(f"{path}: cannot read the {what} ({err.strerror or err})") from err


def parse_toml(text: str, source: str, error: type[XlcnnError] = XlcnnError) -> dict[str, Any]:
    """``text`` as TOML; ``source`` names it in the message when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{source}: not valid TOML ({err})") from err


def load(path: str | Path | None, default: str, what: str,
         error: type[XlcnnError] = XlcnnError) -> tuple[str, str]:
    """``(text, source)`` of the user's file at ``path``, or of the shipped ``default`` when
    ``path`` is None (its source is then "default <what>")."""
    if path is None:
        return shipped_text(default), f"default {what.removesuffix(' file')}"
    return read_text(path, what, error), str(path)
