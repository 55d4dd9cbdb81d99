"""``xlcnn layout draft`` on teachers' own workbooks, built by ``tests/support/teacher_workbooks.py``
(written from the issue alone, without the drafting code): each drafted from blank + solution and
from the blank alone, then a generated class graded with the drafted layout and with the layout
written by hand: the same statuses, points and answers, student by student."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.teacher_workbooks import BY_NAME, CASES, make_class
from xlcnn.cli import main

pytestmark = pytest.mark.slow  # a corpus or a whole class end to end

# From the blank alone, the answer cells are found by the colour they share or by the labels and
# table headers that name them. These four leave them uncoloured and name some only in a way the
# drafter does not read yet (one column per case without an answer colour; output grids whose
# headers are not right above them): the draft is written with what was found and says, per region,
# what to add by hand (exit 1); never a layout that reads the wrong cells in silence.
BLANK_ALONE_NAMES_TOO_LITTLE = {"table-english-plain", "french-three-sheets-plain", "two-sheets-case-columns-plain",
                                "title-instructions-merged"}


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def download(tmp: Path, students: list[tuple[str, Path, dict]]) -> Path:
    """A Moodle download folder: one participant folder per student."""
    folder = tmp / "download"
    for n, (name, path, _) in enumerate(students, 1):
        sub = folder / f"{name.replace('-', ' ').title()}_{100 + n}_assignsubmission_file"
        sub.mkdir(parents=True)
        (sub / "workbook.xlsx").write_bytes(path.read_bytes())
    return folder


def graded(tmp: Path, dl: Path, layout: Path, name: str) -> dict:
    out = tmp / name
    result = run("grade", dl, "-o", out, "--layout", layout)
    assert result.exit_code in (0, 1), result.output
    data = json.loads((out / "results.json").read_text())
    return {s["name"]: (s["status"], s["total"], s["max"], [(q["id"], q["status"], q["given"]) for q in s["questions"]])
            for s in data["submissions"]}


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    """Per workbook: (folder, blank, solved, hand layout, the class's download, its grading with the hand layout)."""
    out = {}
    for book in CASES:
        tmp = tmp_path_factory.mktemp(book.name)
        blank, solved = book.build(tmp)
        hand = tmp / "hand.toml"
        hand.write_text(book.layout_toml)
        dl = download(tmp, make_class(book, tmp))
        out[book.name] = (tmp, blank, solved, hand, dl, graded(tmp, dl, hand, "hand"))
    return out


def test_the_corpus_is_broad():
    assert len(CASES) >= 12
    assert sum(b.name not in BLANK_ALONE_NAMES_TOO_LITTLE for b in CASES) >= 10


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_drafted_with_the_solution_grades_the_class_as_the_hand_written_layout(classes, name):
    tmp, blank, solved, hand, dl, want = classes[name]
    drafted = tmp / "drafted.toml"
    result = run("layout", "draft", blank, "--solution", solved, "-o", drafted, "--force")
    assert result.exit_code == 0, result.output
    assert "Note:" not in result.output  # the solved copy read through the draft is right everywhere
    got = graded(tmp, dl, drafted, "drafted")
    assert got == want
    assert any(status == "graded" for status, *_ in want.values())


@pytest.mark.parametrize("name", sorted(set(BY_NAME) - BLANK_ALONE_NAMES_TOO_LITTLE))
def test_drafted_from_the_blank_alone_grades_the_class_as_the_hand_written_layout(classes, name):
    tmp, blank, _, hand, dl, want = classes[name]
    drafted = tmp / "drafted-blank.toml"
    result = run("layout", "draft", blank, "-o", drafted, "--force")
    assert result.exit_code == 0, result.output
    assert graded(tmp, dl, drafted, "drafted-blank") == want


@pytest.mark.parametrize("name", sorted(BLANK_ALONE_NAMES_TOO_LITTLE))
def test_what_the_blank_alone_does_not_show_is_said_never_guessed_silently(classes, name):
    tmp, blank, *_ = classes[name]
    drafted = tmp / "drafted-blank.toml"
    result = run("layout", "draft", blank, "-o", drafted, "--force")
    assert result.exit_code == 1 and "add it by hand" in result.output, result.output
    assert drafted.exists()


@pytest.mark.parametrize("name", ["rows-english-coloured", "columns-index-french", "german-two-sheets"])
def test_the_picture_shows_every_region_of_the_layout(classes, soffice, tmp_path, name):
    """`inspect --png`: every region outlined in its own colour, on the pages LibreOffice prints."""
    from PIL import Image

    from xlcnn.files.opening import open_workbook
    from xlcnn.layout.model import load_layout
    from xlcnn.workbook.picture import region_colours
    from xlcnn.workbook.reading import read_workbook

    _, blank, _, hand, *_ = classes[name]
    result = run("inspect", blank, "--layout", hand, "--png", tmp_path / "map.png")
    assert result.exit_code == 0, result.output
    pages = sorted(tmp_path.glob("map*.png"))
    assert pages and all(f"wrote {p}" in result.output for p in pages)
    pixels = set()
    for page in pages:
        pixels |= set(Image.open(page).convert("RGB").getdata())
    colours = region_colours(read_workbook(open_workbook(blank), load_layout(hand)))
    missing = [region for region, hexa in colours.items()
               if not any(max(abs(a - b) for a, b in zip(px, bytes.fromhex(hexa), strict=False)) <= 12
                          for px in pixels)]
    assert not missing
