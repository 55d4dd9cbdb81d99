"""What a class is graded against (``grading.sources``): the layout, the expected given numbers and
the handed-out labels, from what the teacher gave. With ``--template`` its numbers are expected and,
without ``--layout``, the layout it carries is trusted (a teacher's file); a layout of sheet ranges
takes the template's labels to find moved blocks; without a template, xlcnn's own example is
expected with xlcnn's own layout and nothing with a course's layout (learned from the class)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from tests.support.course import blank, course_layout
from tests.support.factories import cells_of
from xlcnn.errors import LayoutError, WorkbookError
from xlcnn.grading.sources import Sources, resolve_sources
from xlcnn.handout.build import build_workbook
from xlcnn.handout.examples import load_example
from xlcnn.handout.signing import META_SHEET
from xlcnn.handout.variants import make_variant
from xlcnn.layout.model import default_layout, parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.layout.relocate import HandoutLabels

R = RegionId.of


def same_numbers(got, want) -> bool:
    arrays = all(np.array_equal(getattr(got, k), getattr(want, k)) for k in ("x1", "w1", "x2", "w2", "b2"))
    return arrays and got.b1 == want.b1 and all(tuple(getattr(got, k)) == tuple(getattr(want, k))
                                                for k in ("cases1", "volume_cases", "values_case"))


def template(path: Path, ex=None, layout_text: str | None = None) -> Path:
    """A handout written by ``xlcnn template``; ``layout_text`` replaces the layout it carries."""
    wb = build_workbook(ex or load_example())
    if layout_text is not None:
        meta = wb[META_SHEET]
        [row] = [r for r in range(1, 20) if meta.cell(r, 1).value == "layout"]
        meta.cell(row, 2).value = layout_text
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sources")
    course = blank(tmp / "course-blank.xlsx")
    wb = openpyxl.load_workbook(course)
    edited = cells_of(build_workbook(load_example()), "Input1D")[0]
    wb[edited.parent.title][edited.coordinate] = 9  # the teacher's own first input number
    wb.save(tmp / "course-own-numbers.xlsx")
    return {
        "template": template(tmp / "template.xlsx"),
        "variant": template(tmp / "variant.xlsx", make_variant(load_example(), "Group 07", seed=3)),
        "template-ranges": template(tmp / "template-ranges.xlsx", layout_text=course_layout()),
        "template-broken": template(tmp / "template-broken.xlsx", layout_text="[conv1d\ninput = "),
        "course": course, "course-own-numbers": tmp / "course-own-numbers.xlsx",
    }


@pytest.fixture(scope="module")
def ranges():
    return parse_layout(course_layout(), "course.toml")


# ------------------------------------------------------------------ a template given


def test_a_template_without_layout_trusts_the_layout_it_carries(files):
    s = resolve_sources(files["template"], None)
    assert s.layout is not None and s.layout.refs == default_layout().refs
    assert "template.xlsx (its embedded layout)" in s.layout.source
    assert same_numbers(s.expected_inputs, load_example())
    assert s.handout_labels is None  # defined names: nothing to relocate


def test_a_variants_template_expects_its_own_numbers(files):
    variant = make_variant(load_example(), "Group 07", seed=3)
    s = resolve_sources(files["variant"], None)
    assert same_numbers(s.expected_inputs, variant)
    assert not np.array_equal(s.expected_inputs.x1, load_example().x1)


def test_a_carried_layout_of_ranges_brings_the_templates_labels(files, ranges):
    s = resolve_sources(files["template-ranges"], None)
    assert s.layout.refs == ranges.refs
    assert isinstance(s.handout_labels, HandoutLabels)
    assert s.handout_labels.source == "the template template-ranges.xlsx" and not s.handout_labels.learned
    assert set(s.handout_labels.labels) == {"Ex1a", "Ex1b"}


def test_a_course_template_with_a_layout_of_ranges(files, ranges):
    s = resolve_sources(files["course"], ranges)
    assert s.layout is ranges
    assert same_numbers(s.expected_inputs, load_example())
    labels = s.handout_labels
    assert labels.source == "the template course-blank.xlsx"
    assert all(labels.labels[sheet] for sheet in ("Ex1a", "Ex1b"))  # anchors found on both sheets
    np.testing.assert_array_equal(labels.inputs[R("conv1d.input")].reshape(-1), load_example().x1)


def test_the_templates_own_numbers_are_expected_not_xlcnns(files, ranges):
    s = resolve_sources(files["course-own-numbers"], ranges)
    want = load_example().x1.copy()
    want[0] = 9
    np.testing.assert_array_equal(s.expected_inputs.x1, want)
    np.testing.assert_array_equal(s.handout_labels.inputs[R("conv1d.input")].reshape(-1), want)


def test_a_given_layout_wins_over_the_one_the_template_carries(files, ranges):
    s = resolve_sources(files["template"], ranges)
    assert s.layout is ranges
    assert s.handout_labels is not None


def test_a_given_layout_of_defined_names_takes_no_labels(files):
    layout = default_layout()
    s = resolve_sources(files["template"], layout)
    assert s.layout is layout and s.handout_labels is None
    assert same_numbers(s.expected_inputs, load_example())


def test_a_course_template_without_a_layout_is_read_with_xlcnns_and_says_what_is_missing(files):
    # no layout given, none carried: xlcnn's own layout of defined names, which a course's file lacks
    with pytest.raises(WorkbookError, match=r"course-blank\.xlsx: conv1d\.input: no defined name 'Input1D'"):
        resolve_sources(files["course"], None)


def test_a_broken_carried_layout_names_the_template(files):
    with pytest.raises(LayoutError, match=r"template-broken\.xlsx \(its embedded layout\): not valid TOML"):
        resolve_sources(files["template-broken"], None)


def test_a_missing_template_says_so(tmp_path):
    with pytest.raises(WorkbookError, match="no such file"):
        resolve_sources(tmp_path / "nowhere.xlsx", None)


# ------------------------------------------------------------------ no template


def test_no_template_and_xlcnns_layout_expects_xlcnns_example():
    s = resolve_sources(None, None)
    # layout None: xlcnn's own, never one a student's file carries (no workbook is read here at all)
    assert s.layout is None and s.handout_labels is None
    assert same_numbers(s.expected_inputs, load_example())


def test_no_template_and_a_course_layout_learns_from_the_class(ranges):
    assert resolve_sources(None, ranges) == Sources(ranges, None, None)
