"""The docs cannot drift from the code: every `xlcnn` command line the README and docs/ show is one
the command-line interface has (the command, its sub-command and each option), and every example
runs as written, page by page, in a folder holding the files it names — its exit code, the files
it says it writes, and the output a page shows. The examples that talk to Moodle run against the
real Moodle (tests/moodle/test_docs_moodle.py)."""

from __future__ import annotations

import re
import shlex
import shutil

import click
import pytest
from click.testing import CliRunner

from tests.support.docs import (
    MOODLE_BLOCKS,
    ROOT,
    DocCommand,
    all_commands,
    make_scene,
    matches_shown,
    outputs,
    first_written,
    graded,
    shown_output,
    walkthroughs,
    written,
)
from xlcnn.cli import main


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


COMMANDS = all_commands()
CASES = [pytest.param(c.path, c.line, id=f"{c.path.relative_to(ROOT)}:{c.line[:60]}") for c in COMMANDS]


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


# ------------------------------------------------------------------ the examples run

def talks_to_moodle(cmd: DocCommand) -> bool:
    """A `moodle` command, or a line of a block that has one (`grade pw04/` grades what it pulled)."""
    return any(c.path == cmd.path and c.block is not None and c.block == cmd.block and c.argv()[:1] == ["moodle"]
               for c in COMMANDS) or cmd.argv()[:1] == ["moodle"]


NEEDS_A_PERSON = "need a person"
# What an example must do beyond exiting 0 and writing what it names: (exit code, words in its output)
EXPECTED = {
    # a workbook as handed out: every answer is missing, which `check` says, exiting 1
    "xlcnn check cnn-ex1-stud.xlsx": (1, "missing"),
    # the bundled sample holds submissions a person must look at: grade writes everything, exits 1
    'xlcnn grade "PW04 CNN-4242.zip" --worksheet "Grades-PW04 CNN-4242.csv" -o graded/': (1, NEEDS_A_PERSON),
    "xlcnn grade download.zip --worksheet grades.csv --layout course.toml -o out": (1, NEEDS_A_PERSON),
    # CIFAR-10 cannot be downloaded here: the examples run on a small archive in its format, which the
    # loader must refuse as not the official file (training on it: tests/training/test_results.py)
    "xlcnn results --data cifar-10-python.tar.gz -o cnn-results.xlsx": (1, "not the official"),
    "xlcnn results --only dense-1 --only dense-2 --only mlp-tuned --only cnn-simple --only cnn-2x2 --only cnn-vgg3":
        (1, "not the official"),
}
SESSIONS = walkthroughs([c for c in COMMANDS if c.kind == "example" and not talks_to_moodle(c)])


def session_id(key) -> str:
    path, block, section = key
    return f"{path.relative_to(ROOT)}:{f'block {block}' if block is not None else f'section {section}'}"


@pytest.mark.slow
@pytest.mark.parametrize("key", list(SESSIONS), ids=[session_id(k) for k in SESSIONS])
def test_every_example_runs_as_written(key, tmp_path, monkeypatch):
    """One reader's session in a folder holding the files its commands name, less those it writes
    before it reads them."""
    env = make_scene(tmp_path)
    monkeypatch.chdir(tmp_path)
    session = SESSIONS[key]
    for name in first_written(session):
        path = tmp_path / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    if any("graded/" in c.argv() for c in session) and "graded/" not in first_written(session):
        graded(tmp_path, env)
    failures = []
    for cmd in SESSIONS[key]:
        code, words_ = EXPECTED.get(cmd.line, (0, None))
        result = CliRunner().invoke(main, cmd.argv(), env={**env, **cmd.env})
        out = result.output + (f"\n{result.exception!r}" if result.exception and result.exit_code != code else "")
        if result.exit_code != code:
            failures.append(f"{cmd.where}: exit {result.exit_code}, expected {code}: {out[-600:]}")
        elif words_ and words_ not in result.output:
            failures.append(f"{cmd.where}: the output does not say {words_!r}: {result.output[-600:]}")
        if code == 0 or words_ == NEEDS_A_PERSON:
            failures += [f"{cmd.where}: wrote no {name}" for name in outputs(cmd) if not written(tmp_path, name)]
        shown = shown_output(cmd.path, cmd.line)
        if shown is not None and (missing := matches_shown(shown, result.output)):
            failures.append(f"{cmd.where}: the page shows {missing!r}, which the output does not have")
    assert not failures, "\n".join(failures)


def test_every_example_is_run_by_the_suite():
    """Each example runs above, or (talking to Moodle) in tests/moodle/test_docs_moodle.py."""
    examples = [c for c in COMMANDS if c.kind == "example"]
    assert [c for c in examples if not talks_to_moodle(c)] == [c for cmds in SESSIONS.values() for c in cmds]
    assert all(c.line in EXPECTED or c.line.split()[1] not in ("results",) for c in examples if not talks_to_moodle(c))
    assert {(c.path, c.block) for c in examples if talks_to_moodle(c)} == set(MOODLE_BLOCKS)


@pytest.mark.parametrize("shown, actual, missing", [
    (["a) 1D", "...", "b) 2D"], "a) 1D convolution\nx\nb) 2D convolution", "a) 1D"),
    (["a) 1D...", "...", "b) 2D..."], "a) 1D convolution\nx\nb) 2D convolution", None),
    (["y = [1 + ... + 0] = 5"], "y = [1 + 2*3 + 0] = 5", None),
    (["second", "first"], "first\nsecond", "first"),
], ids=["a-line-cut-short", "ellipses", "ellipsis-inside-a-line", "order-matters"])
def test_shown_output_is_compared_line_by_line_with_ellipses(shown, actual, missing):
    assert matches_shown(shown, actual) == missing
