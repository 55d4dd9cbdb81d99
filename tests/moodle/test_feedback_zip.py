"""The feedback-files zip Moodle's importer reads: each file in the download folder it was given,
folder names kept as they are (the importer reads the id after the first "_"), entries in sorted
order with fixed times, so the same feedback always gives the same bytes; written whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from xlcnn.moodle.feedback_zip import ZIP_TIME, write_feedback_zip

FILES = [
    ("Group 10_510_assignsubmission_file", "ex1-feedback.xlsx", b"group ten"),
    ("Group 02_502_assignsubmission_file", "ex1-feedback.xlsx", b"group two"),
    ("Alice Martin_101_assignsubmission_file", "b-feedback.xlsx", b"alice b"),
    ("Alice Martin_101_assignsubmission_file", "a-feedback.xlsx", b"alice a"),
]


def entries(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as zf:
        return zf.infolist()


def test_each_file_lies_in_its_folder_in_sorted_order_with_its_bytes(tmp_path):
    path = tmp_path / "feedback.zip"
    assert write_feedback_zip(FILES, path) == 4
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["Alice Martin_101_assignsubmission_file/a-feedback.xlsx",
                                 "Alice Martin_101_assignsubmission_file/b-feedback.xlsx",
                                 "Group 02_502_assignsubmission_file/ex1-feedback.xlsx",
                                 "Group 10_510_assignsubmission_file/ex1-feedback.xlsx"]
        assert zf.read("Group 02_502_assignsubmission_file/ex1-feedback.xlsx") == b"group two"
        assert zf.testzip() is None


def test_every_entry_has_the_fixed_time_and_is_compressed(tmp_path):
    path = tmp_path / "feedback.zip"
    write_feedback_zip(FILES, path)
    assert ZIP_TIME == (2024, 1, 1, 0, 0, 0)
    assert [(i.date_time, i.compress_type) for i in entries(path)] == [(ZIP_TIME, zipfile.ZIP_DEFLATED)] * 4


def test_the_same_feedback_in_another_order_gives_the_same_bytes(tmp_path):
    write_feedback_zip(FILES, tmp_path / "one.zip")
    write_feedback_zip(list(reversed(FILES)), tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_changed_feedback_gives_other_bytes(tmp_path):
    write_feedback_zip(FILES, tmp_path / "one.zip")
    write_feedback_zip(FILES[:-1] + [(FILES[-1][0], FILES[-1][1], b"alice a, regraded")], tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() != (tmp_path / "two.zip").read_bytes()


@pytest.mark.parametrize("folder, moodle_id", [
    ("Group 01_12_assignsubmission_file", "12"),
    ("Alice Martin_101_assignsubmission_file", "101"),
    ("Participant_7_assignsubmission_file", "7"),
    ("Zoé Müller_33_assignsubmission_file", "33"),
], ids=["team-group-id", "student-participant-id", "blind-participant", "accented-name"])
def test_the_folder_name_is_kept_so_the_importer_reads_its_id(tmp_path, folder, moodle_id):
    path = tmp_path / "feedback.zip"
    write_feedback_zip([(folder, "ex1-feedback.xlsx", b"x")], path)
    [info] = entries(path)
    assert info.filename == f"{folder}/ex1-feedback.xlsx"
    assert info.filename.split("/")[0].split("_")[1] == moodle_id  # as assignfeedback_file_zip_importer reads it


def test_a_name_beyond_ascii_is_flagged_utf8_for_the_importer(tmp_path):
    path = tmp_path / "feedback.zip"
    write_feedback_zip([("Zoé Müller_33_assignsubmission_file", "ex1-feedback.xlsx", b"x")], path)
    [info] = entries(path)
    assert info.flag_bits & 0x800  # the language encoding flag: the name is UTF-8, not CP437


def test_no_feedback_gives_an_empty_but_valid_zip(tmp_path):
    path = tmp_path / "feedback.zip"
    assert write_feedback_zip([], path) == 0
    assert zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist() == []


def test_an_earlier_zip_is_replaced_whole_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "out" / "feedback.zip"
    path.parent.mkdir()
    path.write_bytes(b"an earlier run's zip, much longer than the new one " * 100)
    write_feedback_zip(FILES[:1], path)
    assert [i.filename for i in entries(path)] == ["Group 10_510_assignsubmission_file/ex1-feedback.xlsx"]
    assert [p.name for p in path.parent.iterdir()] == ["feedback.zip"]
