"""Download folders to students: Moodle's folder names, groups by name, participants by id and name."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlcnn.moodle.download import Submission, _parse_key, folder_prefix
from xlcnn.moodle.matching import match_folder
from xlcnn.moodle.worksheet import read_worksheet

HEADER = ('Identifier,"Full name","Email address",Status,Group,Grade,"Maximum grade","Grade can be changed",'
          '"Last modified (submission)","Last modified (grade)","Feedback comments"\n')


def sheet(tmp_path: Path, rows, header=HEADER):
    text = header + "".join(f'"Participant {uid}","{name}",x@example.com,"Submitted",{group},,6.00,Yes,-,-,\n'
                            for uid, name, group in rows)
    path = tmp_path / "w.csv"
    path.write_text(text, encoding="utf-8")
    return read_worksheet(path)


def folder(key: str) -> Submission:
    name, mid, old = _parse_key(key)
    return Submission(key, name, mid, old_format=old)


# What Moodle 4.5.6 made of these names (format_string, then "_" -> " ", then clean_filename), read off
# the real Moodle in ../shared/moodle.
@pytest.mark.parametrize("name, made", [
    ("Group_01", "Group 01"),
    ("A&B <x> \"q\" 'y': z/w\\v|`k", "Aamp;B  q y zwvk"),
    ("Équipe été", "Équipe été"),
    ("a__b", "a  b"),
    ("Tab\tx", "Tabx"),
    ("Already &amp; escaped", "Already amp; escaped"),
], ids=["underscore", "specials", "accents", "double-underscore", "control", "entity"])
def test_folder_prefix_is_moodles(name, made):
    assert folder_prefix(name) == made


@pytest.mark.parametrize("key, parsed", [
    ("Group 01_1_assignsubmission_file", ("Group 01", "1", False)),
    ("Ann Lee_11_assignsubmission_file_", ("Ann Lee", "11", True)),
    ("Team A-Ann Lee_21_assignsubmission_file_", ("Team A-Ann Lee", "21", True)),
    ("Default group_assignsubmission_file", ("Default group", "", False)),
    ("Participant_6_assignsubmission_file", ("Participant", "6", False)),
    ("random folder", None),
], ids=["group", "old", "old-group", "default-group", "blind", "not-moodle"])
def test_download_folder_names(key, parsed):
    assert _parse_key(key) == parsed


def test_group_with_underscore_matches_by_moodles_transformation(tmp_path):
    ws = sheet(tmp_path, [(4, "Alice Martin", "Group_01"), (1, "Bruno Keller", "Group_01"), (3, "Chloé Dubois", "G2")])
    m = match_folder(folder("Group 01_1_assignsubmission_file"), ws)
    assert (m.kind, m.group, [p.uniqueid for p in m.members], m.problem) == ("group", "Group_01", ["4", "1"], "")


def test_a_group_id_equal_to_a_participant_id_is_still_the_group(tmp_path):
    # the bug of old: group 1's folder given to participant 1 (Bruno) alone; now to the whole group
    ws = sheet(tmp_path, [(4, "Alice Martin", "Group 01"), (1, "Bruno Keller", "Group 02")])
    m = match_folder(folder("Group 01_1_assignsubmission_file"), ws)
    assert (m.kind, [p.uniqueid for p in m.members]) == ("group", ["4"])


def test_participant_needs_id_and_name(tmp_path):
    ws = sheet(tmp_path, [(11, "Ann Lee", ""), (12, "Bob_Roe", "")])
    assert match_folder(folder("Ann Lee_11_assignsubmission_file"), ws).kind == "participant"
    assert match_folder(folder("Bob Roe_12_assignsubmission_file"), ws).kind == "participant"  # "_" -> " "
    wrong = match_folder(folder("Ann Lee_12_assignsubmission_file"), ws)
    assert wrong.kind == "unmatched" and "no row of the grading worksheet" in wrong.problem


def test_unknown_group_is_never_written_onto_a_participant(tmp_path):
    ws = sheet(tmp_path, [(7, "Group 09", ""), (8, "Eve Ng", "Group 08")])  # a student named like the folder
    m = match_folder(folder("Group 09_7_assignsubmission_file"), ws)
    assert m.kind == "participant"  # id and name both fit: that is a participant's own folder
    m = match_folder(folder("Group 10_8_assignsubmission_file"), ws)
    assert m.kind == "unmatched" and m.members == []


@pytest.mark.parametrize("rows, key, problem", [
    ([(4, "A One", "Team_1"), (5, "B Two", "Team 1")], "Team 1_3_assignsubmission_file", "fits several groups"),
    ([(3, "Team 1", ""), (5, "B Two", "Team 1")], "Team 1_3_assignsubmission_file", "fits both participant 3"),
], ids=["two-groups", "group-and-participant"])
def test_ambiguous_folders_are_held(tmp_path, rows, key, problem):
    m = match_folder(folder(key), sheet(tmp_path, rows))
    assert m.kind == "ambiguous" and problem in m.problem and m.members == []


def test_default_group_is_held(tmp_path):
    m = match_folder(folder("Default group_assignsubmission_file"), sheet(tmp_path, [(4, "A One", "Default group")]))
    assert m.kind == "no group" and "cannot take feedback files" in m.problem


def test_blind_marking_matches_by_id(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text('Identifier,Status,Grade,"Maximum grade","Last modified (grade)","Feedback comments"\n'
                    '"Participant 6",Submitted,,6.00,-,\n', encoding="utf-8")
    m = match_folder(folder("Participant_6_assignsubmission_file"), read_worksheet(path))
    assert (m.kind, [p.uniqueid for p in m.members]) == ("participant", ["6"])


def test_old_group_copy_fits_its_member(tmp_path):
    ws = sheet(tmp_path, [(21, "Ann Lee", "Team A"), (22, "Bob Roe", "Team A")])
    m = match_folder(folder("Team A-Ann Lee_21_assignsubmission_file_"), ws)
    assert (m.kind, m.group, [p.uniqueid for p in m.members]) == ("participant", "Team A", ["21"])
