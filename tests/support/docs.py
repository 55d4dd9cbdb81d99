"""The `xlcnn` command lines the README and docs/ show, sorted into what a test can do with them.

- an **example** names real files and values (`xlcnn grade "PW04 CNN-4242.zip" --worksheet ... -o
  graded/`): a test runs it, in the order of its page, in a folder holding the files it names;
- a **synopsis** shows the form (`xlcnn check FILLED.xlsx [--json] [--layout L]`): placeholders in
  capitals, options in brackets, choices with `|`, `...`; a test checks every option against the CLI;
- a **mention** is a command's name in a sentence (`xlcnn serve`): a test checks the command exists.

Lines are read from fenced blocks (a command may go on over indented lines) and from inline code.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

# (page, block): the blocks that talk to Moodle, each one teacher's session, run against the real
# Moodle by tests/moodle/test_docs_moodle.py
MOODLE_BLOCKS = [(ROOT / "README.md", 2), (ROOT / "docs" / "grading-and-moodle.md", 0)]

_FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)
_INLINE = re.compile(r"`((?:[A-Z_]+=\S+ )?xlcnn [^`]+)`")
_START = re.compile(r"^(?:\$ )?(?:\.venv/bin/)?((?:[A-Z_]+=\S+ )*)(xlcnn(?: .*)?)$")
_PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z0-9_]*(?:\.[a-z]+)?|[A-Z]+\.\.\.)$")  # FILE, IN.xlsx, OUTDIR, FILE.toml


@dataclass(frozen=True)
class DocCommand:
    path: Path
    line: str  # the command as the page shows it, joined over its lines, without a trailing comment
    env: dict[str, str]  # VAR=value written before it
    kind: str  # example | synopsis | mention
    block: int | None  # the fenced block it is in (None: inline)
    section: int = 0  # the heading it stands under (0: before the first)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}: `{self.line}`"

    def argv(self) -> list[str]:
        """The words after `xlcnn`, as a shell would split them."""
        return shlex.split(self.line)[1:]


def _strip_comment(line: str) -> str:
    return re.split(r"\s+#\s", line)[0].strip()


def _kind(line: str, fenced: bool) -> str:
    try:
        words = shlex.split(line)[1:]
    except ValueError:
        return "synopsis"
    if any(ch in line for ch in "[]|") or "..." in line or any(_PLACEHOLDER.match(w) for w in words):
        return "synopsis"
    if fenced or "--help" in words:
        return "example"  # a line of a block is there to be typed, `xlcnn answers` too
    # in a sentence, a command with no file, folder or value is its name: `xlcnn grade --layout`
    return "example" if any(("." in w or "/" in w) and not w.startswith("-") for w in words) or \
        any(not w.startswith("-") for w in words[2:]) else "mention"


def _command(path: Path, text: str, block: int | None) -> DocCommand | None:
    m = _START.match(text.strip())
    if not m:
        return None
    env = dict(pair.split("=", 1) for pair in m.group(1).split())
    line = " ".join(_strip_comment(m.group(2)).split())
    return DocCommand(path, line, env, _kind(line, block is not None), block)


def doc_commands(path: Path) -> list[DocCommand]:
    """The commands of one page, in the order a reader meets them."""
    text = path.read_text(encoding="utf-8")
    found: list[tuple[int, DocCommand]] = []
    for n, block in enumerate(_FENCE.finditer(text)):
        lines = block.group(1).splitlines()
        i = 0
        while i < len(lines):
            joined = lines[i]
            while i + 1 < len(lines) and (joined.rstrip().endswith("\\") or
                                          (lines[i + 1].startswith((" ", "\t")) and lines[i + 1].strip()
                                           and _START.match(joined.strip()))):
                i += 1
                joined = joined.rstrip().removesuffix("\\") + " " + lines[i].strip()
            cmd = _command(path, joined, n)
            if cmd:
                found.append((block.start(), cmd))
            i += 1
    outside = _FENCE.sub(lambda m: " " * len(m.group(0)), text)
    for m in _INLINE.finditer(outside):
        cmd = _command(path, " ".join(m.group(1).split()), None)
        if cmd:
            found.append((m.start(), cmd))
    headings = [m.start() for m in re.finditer(r"^#+ ", outside, re.M)]
    return [replace(cmd, section=sum(h < at for h in headings)) for at, cmd in sorted(found, key=lambda f: f[0])]


def all_commands() -> list[DocCommand]:
    return [cmd for path in DOCS for cmd in doc_commands(path)]


# ------------------------------------------------------------------ the folder the examples run in

SAMPLE = ROOT / "workbooks" / "samples" / "TSM_DeLearn-PW04 CNN-group-4242.zip"
SAMPLE_WORKSHEET = ROOT / "workbooks" / "samples" / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"


def make_scene(folder: Path) -> dict[str, str]:
    """Every file the pages' examples name, as the reader would have it, in ``folder``; returns the
    environment the examples run with (HOME in the folder: Keras' cache is looked for there)."""
    import shutil

    from click.testing import CliRunner

    from tests.support.course import blank, course_layout, student
    from xlcnn.cli import main
    from xlcnn.handout.build import build_workbook
    from xlcnn.handout.examples import load_example
    from xlcnn.training.cifar import write_archive

    folder.mkdir(parents=True, exist_ok=True)
    build_workbook(load_example()).save(folder / "cnn-ex1-stud.xlsx")  # the handed-out workbook, solved
    solved = CliRunner().invoke(main, ["solve", str(folder / "cnn-ex1-stud.xlsx"), "-o",
                                       str(folder / "cnn-ex1-solution.xlsx")])
    assert solved.exit_code == 0, solved.output
    blank(folder / "own.xlsx")  # a course's own workbook, and its solved copy
    student(folder / "own-solved.xlsx")
    blank(folder / "course.xlsx")
    (folder / "course.toml").write_text(course_layout())
    for name in ("PW04 CNN-4242.zip", "download.zip"):  # Moodle's download and worksheet, as saved
        shutil.copyfile(SAMPLE, folder / name)
    for name in ("Grades-PW04 CNN-4242.csv", "grades.csv"):
        shutil.copyfile(SAMPLE_WORKSHEET, folder / name)
    shutil.copyfile(ROOT / "xlcnn" / "data" / "example.toml", folder / "mine.toml")
    (folder / "groups.csv").write_text("group\nGroup 01\nGroup 02\n")
    # CIFAR-10 cannot be downloaded here: a small archive in its format, given and in Keras' cache
    import numpy as np

    r = np.random.default_rng(0)
    data = (r.integers(0, 256, (20, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, 20),
            r.integers(0, 256, (10, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, 10))
    write_archive(folder / "cifar-10-python.tar.gz", *data)
    (folder / ".keras" / "datasets").mkdir(parents=True)
    shutil.copyfile(folder / "cifar-10-python.tar.gz", folder / ".keras" / "datasets" / "cifar-10-python.tar.gz")
    return {"HOME": str(folder), "COLUMNS": "120"}  # the pages show a 120-column terminal


def graded(folder: Path, env: dict[str, str]) -> None:
    """``folder/graded/``: the bundled sample graded as the README grades it, for a session that
    starts from a graded class."""
    from click.testing import CliRunner

    from xlcnn.cli import main

    result = CliRunner().invoke(main, ["grade", str(folder / "PW04 CNN-4242.zip"), "--worksheet",
                                       str(folder / "Grades-PW04 CNN-4242.csv"), "-o", str(folder / "graded")], env=env)
    assert result.exit_code in (0, 1) and (folder / "graded" / "results.json").exists(), result.output


def outputs(cmd: DocCommand) -> list[str]:
    """What an example says it writes: the values of -o, --out-dir and --png."""
    argv = cmd.argv()
    named = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-o", "--output", "--out-dir", "--png")]
    if argv[:1] == ["template"] and not named:
        return ["cnn-ex1-stud.xlsx"]  # its default, in the current folder
    return named


def written(folder: Path, name: str) -> bool:
    """Whether ``name`` was written in ``folder``: a picture of several pages is NAME-1.png, NAME-2.png..."""
    path = folder / name
    return path.exists() or (path.suffix == ".png" and path.with_name(f"{path.stem}-1.png").exists())


def walkthroughs(commands: list[DocCommand]) -> dict[tuple[Path, int | None, int], list[DocCommand]]:
    """The examples as readers type them: each fenced block is one reader's session; the examples
    in the sentences of one section are one more, in the page's order."""
    out: dict[tuple[Path, int | None, int], list[DocCommand]] = {}
    for cmd in commands:
        out.setdefault((cmd.path, cmd.block, cmd.section if cmd.block is None else -1), []).append(cmd)
    return out


def first_written(session: list[DocCommand]) -> set[str]:
    """The files and folders a session writes before it reads them (a reader does not have them yet)."""
    seen: set[str] = set()
    out: set[str] = set()
    for cmd in session:
        made = outputs(cmd)
        for word in cmd.argv():
            if word not in made and ("." in word or "/" in word) and not word.startswith("-"):
                seen.add(word)
        out |= {m for m in made if m not in seen}
        seen |= set(made)
    return out


def shown_output(path: Path, line: str) -> list[str] | None:
    """The output a page shows under ``$ line`` in a block (None when it shows none)."""
    for block in _FENCE.findall(path.read_text(encoding="utf-8")):
        lines = block.splitlines()
        if lines and lines[0].strip() == f"$ {line}":
            return lines[1:]
    return None


def matches_shown(shown: list[str], actual: str) -> str | None:
    """Whether ``actual`` output has the ``shown`` lines in order, where a line `...` stands for any
    lines and `...` inside a line for any text; returns the first shown line not found, or None."""
    lines = actual.splitlines()
    at = 0
    for want in shown:
        if want.strip() in ("", "..."):
            continue
        pattern = re.compile(".*?".join(re.escape(part) for part in want.rstrip().split("...")) + r"\s*$")
        while at < len(lines) and not pattern.match(lines[at].rstrip()):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None
