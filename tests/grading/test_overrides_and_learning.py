"""What a person decided (``--overrides``), and the handed-out workbook learned from the class, one
rule at a time on files and records made here."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.course import course_layout
from xlcnn.grading.learning import learn_handout
from xlcnn.grading.overrides import OverrideError, find, load_overrides
from xlcnn.grading.record import Record, Status
from xlcnn.layout.model import parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.workbook.checking import CheckReport
from xlcnn.workbook.verdict import InputsCheck


def overrides(tmp_path, text: str):
    path = tmp_path / "overrides.toml"
    path.write_text(text)
    return load_overrides(path)


@pytest.mark.parametrize("text, described", [
    ('["Group 07"]\nworkbook = "final.xlsx"', "workbook chosen by a person: final.xlsx"),
    ('["Group 03"]\ngrade = 24.5\nreason = "answers on a second sheet"',
     "grade set by a person: 24.5 (answers on a second sheet)"),
    ('["Group 09"]\nskip = true\nreason = "by e-mail"', "skipped by a person: by e-mail"),
], ids=["workbook", "grade", "skip"])
def test_a_decision_and_how_it_is_described(tmp_path, text, described):
    [o] = overrides(tmp_path, text).values()
    assert o.describe() == described


@pytest.mark.parametrize("text, words", [
    ('["G"]\ngrade = 3', "a grade set by a person needs its reason"),
    ('["G"]\ngrade = -1\nreason = "x"', "grade must be a number >= 0"),
    ('["G"]\ngrade = true\nreason = "x"', "grade must be a number >= 0"),
    ('["G"]\nskip = true\ngrade = 2\nreason = "x"', "skip = true cannot go with a grade"),
    ('["G"]\nreason = "x"', "no decision (workbook, layout, grade or skip)"),
    ('["G"]\nworkbok = "a.xlsx"', "unknown key 'workbok'; did you mean 'workbook'?"),
    ('["G"]\nskip = "yes"', "skip must be true or false"),
    ('G = 3', "expected a table of decisions"),
], ids=["grade-without-reason", "negative-grade", "boolean-grade", "skip-with-grade", "no-decision", "misspelt-key",
        "skip-not-boolean", "not-a-table"])
def test_a_decision_that_cannot_apply_is_one_line(tmp_path, text, words):
    with pytest.raises(OverrideError, match=words.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        overrides(tmp_path, text)


def rec(key: str, name: str, group: str = "", folders=()) -> Record:
    return Record(key, name, "1", group=group, folders=list(folders) or [key])


RECORDS = [rec("Group 07_7_assignsubmission_file", "Group 07", "Group 07"),
           rec("Group 08_8_assignsubmission_file", "Group 08", "Group 08"),
           rec("Ann Lee_17_assignsubmission_file", "Ann Lee")]


@pytest.mark.parametrize("name, key", [("Group 07", "Group 07_7_assignsubmission_file"),
                                       ("group 07", "Group 07_7_assignsubmission_file"),
                                       ("Ann Lee_17_assignsubmission_file", "Ann Lee_17_assignsubmission_file")],
                         ids=["group-name", "any-case", "folder-name"])
def test_a_decision_finds_its_submission(tmp_path, name, key):
    found = find(RECORDS, overrides(tmp_path, f'["{name}"]\nskip = true'), "o.toml")
    assert list(found) == [key]


def test_a_decision_for_nobody_stops_with_the_closest_name(tmp_path):
    with pytest.raises(OverrideError, match=r"\['Group 7'\] names no submission of this download; did you mean "
                                            r"'Group 07'\?"):
        find(RECORDS, overrides(tmp_path, '["Group 7"]\nskip = true'), "o.toml")


# ------------------------------------------------------------------ the handed-out workbook learned from the class

LAYOUT = parse_layout(course_layout(), "course.toml")
LABELS = {"Ex1a": [(3, 2, "input x"), (5, 2, "filter w")], "Ex1b": [(2, 2, "input channel 1")]}
USUAL = {RegionId.of("conv1d.input"): np.array([[0.0, 1, 2, -1, 1, -3, 0]])}
OTHER = {RegionId.of("conv1d.input"): np.array([[9.0, 1, 2, -1, 1, -3, 0]])}


def learner(key: str, inputs=USUAL, labels=LABELS, status=Status.GRADED, signed=False) -> Record:
    r = Record(key, key, "1", status=status)
    r.labels, r.inputs = labels, inputs
    r.report = CheckReport(key, [], inputs=InputsCheck.SIGNED if signed else InputsCheck.UNSIGNED)
    return r


def test_the_class_agrees_and_nobody_is_assessed_again():
    problems = []
    learned = learn_handout([learner(f"s{i}") for i in range(4)], LAYOUT, problems)
    assert learned.handout_labels is not None and learned.handout_labels.learned
    assert learned.to_reassess == set() and problems == []


def test_the_one_with_other_numbers_is_assessed_again_against_the_usual_ones():
    learned = learn_handout([learner("a"), learner("b"), learner("c", OTHER)], LAYOUT, [])
    assert learned.to_reassess == {"c"}
    assert np.array_equal(learned.handout_labels.inputs[RegionId.of("conv1d.input")],
                          USUAL[RegionId.of("conv1d.input")])


def test_a_tie_between_two_sets_of_numbers_is_said_not_decided():
    problems = []
    learned = learn_handout([learner("a"), learner("b", OTHER)], LAYOUT, problems)
    assert learned.usual_inputs is None
    assert problems == ["no set of given numbers is shared by more submissions than any other: changed inputs cannot "
                        "be told from the class (give the handed-out workbook with --template)"]


def test_signed_variants_do_not_vote():
    learned = learn_handout([learner("a"), learner("v1", OTHER, signed=True), learner("v2", OTHER, signed=True)],
                            LAYOUT, [])
    assert learned.to_reassess == set()


def test_moved_labels_and_a_layout_that_did_not_fit_are_assessed_again():
    moved = {"Ex1a": [(6, 2, "input x"), (8, 2, "filter w")], "Ex1b": LABELS["Ex1b"]}
    records = [learner("a"), learner("b"), learner("c"), learner("d", labels=moved),
               learner("e", status=Status.LAYOUT_MISMATCH)]
    assert learn_handout(records, LAYOUT, []).to_reassess == {"d", "e"}


def test_without_any_label_nothing_is_learned():
    assert learn_handout([learner("a", labels={})], LAYOUT, []).handout_labels is None
