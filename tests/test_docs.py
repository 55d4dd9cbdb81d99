"""Every `xlcnn` command line the README and docs/ show is one the command-line interface has: the
command (and sub-command) exists and so does each of its options. The docs cannot drift from the
code without this failing; the commands themselves run in the tests of their jobs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from xlcnn.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)
_INLINE = re.compile(r"`(xlcnn [^`]+)`")


def command_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for block in _FENCE.findall(text):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ").removeprefix(".venv/bin/")
            if line.startswith("xlcnn "):
                found.append(line)
    found += [m for m in _INLINE.findall(text)]
    return found


def words(line: str) -> list[str]:
    line = re.split(r"\s+#\s", line)[0]  # a comment after the command
    try:
        tokens = shlex.split(line)
    except ValueError:
        tokens = line.split()
    out = []
    for t in tokens[1:]:
        t = t.strip("[]")
        if "|" in t and t.startswith("-") is False:
            continue
        out.append(t)
    return out


def check(line: str) -> str | None:
    """Why ``line`` is not a command of the CLI, or None."""
    command: click.Command = main
    args = words(line)
    path = ["xlcnn"]
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        name = args.pop(0)
        if name in ("...", "COMMAND"):
            return None
        sub = command.commands.get(name)
        if sub is None:
            return f"no command {' '.join(path + [name])!r}"
        command, path = sub, path + [name]
    options = {o for p in command.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    options |= {"--help", "-h", "--version"}
    for a in args:
        if a.startswith("-") and len(a) > 1 and not re.fullmatch(r"-\d+(\.\d+)?", a):
            name = a.split("=")[0]
            if name not in options:
                return f"{' '.join(path)} has no option {name}"
    return None


CASES = [pytest.param(path, line, id=f"{path.relative_to(ROOT)}:{line[:60]}")
         for path in DOCS for line in command_lines(path)]


def test_the_docs_show_commands():
    assert len(CASES) > 60
    assert {p for p, _ in (c.values for c in CASES)} >= {ROOT / "README.md", ROOT / "docs" / "grading-and-moodle.md"}


@pytest.mark.parametrize("path, line", CASES)
def test_every_command_in_the_docs_exists_with_its_options(path, line):
    assert check(line) is None, f"{path.name}: `{line}`: {check(line)}"


@pytest.mark.parametrize("line, problem", [
    ("xlcnn grade x.zip --worksheet w.csv -o out", None),
    ("xlcnn moodle push graded/ --dry-run", None),
    ("xlcnn grade x.zip --wroksheet w.csv", "xlcnn grade has no option --wroksheet"),
    ("xlcnn moodle fetch --assignment 3", "no command 'xlcnn moodle fetch'"),
], ids=["ok", "sub-command", "misspelt-option", "unknown-sub-command"])
def test_the_checker_catches_drift(line, problem):
    assert check(line) == problem
