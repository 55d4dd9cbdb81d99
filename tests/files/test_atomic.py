"""Writing a file in one step (``files.atomic``): the new content appears whole, with the mode a
new file gets (readable by the rest of the team), and a write that fails or is interrupted leaves
the old file as it was and no temporary file beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xlcnn.files.atomic import atomic_write


@pytest.fixture
def umask():
    """Set the process's umask for one test, and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)

    def set_(mask: int) -> None:
        os.umask(mask)

    yield set_
    os.umask(old)


def writer(text: str):
    return lambda tmp: tmp.write_text(text)


def test_the_new_content_replaces_the_old(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old")
    atomic_write(target, writer("new"))
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_missing_folder_is_created_and_a_str_path_is_accepted(tmp_path):
    target = tmp_path / "out" / "feedback" / "group07.xlsx"
    atomic_write(str(target), writer("x"))
    assert target.read_text() == "x"


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path):
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("x")

    atomic_write(tmp_path / "grades.xlsx", write)
    [tmp] = seen
    # same folder: the final move is a rename within one file system, never a copy
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(".grades.xlsx.") and tmp.name.endswith(".tmp")
    assert not tmp.exists()


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)],
                         ids=["usual umask: readable by all", "group-only umask", "group-writable umask",
                              "private umask"])
def test_the_file_gets_the_mode_of_a_new_file_not_of_a_temporary_one(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "results.json"
    atomic_write(target, writer("{}"))
    assert target.stat().st_mode & 0o777 == mode


class Interrupted(BaseException):
    pass


def half_written_then(error: BaseException):
    def write(tmp: Path) -> None:
        tmp.write_text("half of the new")
        raise error

    return write


@pytest.mark.parametrize("error", [OSError("disk full"), ValueError("bad cell"), KeyboardInterrupt(),
                                   Interrupted()],
                         ids=["disk full", "an error in the writer", "Ctrl-C", "any BaseException"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, error):
    target = tmp_path / "results.csv"
    target.write_text("old")
    with pytest.raises(type(error)):
        atomic_write(target, half_written_then(error))
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_failed_first_write_leaves_nothing_at_all(tmp_path):
    target = tmp_path / "results.csv"
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half_written_then(OSError("disk full")))
    assert list(tmp_path.iterdir()) == []


def test_a_writer_that_removed_its_file_fails_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old")
    with pytest.raises(FileNotFoundError):
        atomic_write(target, lambda tmp: tmp.unlink())
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
