"""The layout TOML written from a layout's regions (``layout.toml``): the shipped layout.toml is
exactly what it writes for the shipped example, every layout written parses back to the same
regions (defined names, sheet ranges with odd sheet names, numbers), only the parts present are
written, and notes follow the line of their region."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.support.course import course_layout
from xlcnn.handout.build import defined_names, layout_text
from xlcnn.handout.examples import load_example
from xlcnn.errors import LayoutError
from xlcnn.layout.model import parse_layout
from xlcnn.layout.regions import RegionId
from xlcnn.layout.toml import layout_toml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "xlcnn" / "data" / "layout.toml"
HEADER = "# Layout of the workbook written by `xlcnn template`: every region is a defined name."
R = RegionId.of


def back(text: str) -> dict:
    return dict(parse_layout(text, "written.toml").refs)


def test_the_shipped_layout_is_byte_identical_to_what_is_written():
    shipped = SHIPPED.read_bytes()
    assert layout_toml(defined_names(load_example()), [HEADER]).encode("utf-8") == shipped
    assert layout_text(load_example()).encode("utf-8") == shipped


def test_the_template_layout_parses_back_to_its_defined_names():
    names = defined_names(load_example())
    assert back(layout_toml(names)) == names
    assert len(names) == 3 + 5 * 6 + 3 + 6 + 2 + 2 * 3 + 2 + 2 + 2  # 1D, cases, 2D inputs, filters, ... outputs


def test_a_course_layout_of_ranges_and_numbers_parses_back_equal():
    refs = back(course_layout())
    text = layout_toml(refs)
    assert back(text) == refs
    assert layout_toml(back(text)) == text  # written again: the same text
    assert any(isinstance(r, int) for r in refs.values()) and "stride = 1\n" in text  # a number stays a number


PART_A = {R("conv1d.input"): "'Ex1a'!C5:I5", R("conv1d.filter"): "Filter1D", R("conv1d.bias"): "Bias1D",
          R("conv1d.cases.stride", 1): 2, R("conv1d.cases.padding", 1): 0,
          R("conv1d.cases.output", 1): "'Ex1a'!C10:E10"}
PART_B = {R("conv2d.input", 1): "In", R("conv2d.filters", 1, 1): "W", R("conv2d.biases", 1): "B",
          R("conv2d.values.stride"): 1, R("conv2d.values.padding"): 0, R("conv2d.values.output", 1): "Out"}


def test_part_a_alone():
    assert layout_toml(PART_A, ["# mine"]) == (
        "# mine\n"
        "[conv1d]\n"
        "input = \"'Ex1a'!C5:I5\"\n"
        'filter = "Filter1D"\n'
        'bias = "Bias1D"\n'
        "\n"
        "[[conv1d.cases]]\n"
        "stride = 2\n"
        "padding = 0\n"
        "output = \"'Ex1a'!C10:E10\"\n")
    assert back(layout_toml(PART_A)) == PART_A


def test_part_b_alone_starts_with_its_table():
    assert layout_toml(PART_B) == (
        "[conv2d]\n"
        'input = ["In"]\n'
        "filters = [\n"
        '  ["W"],\n'
        "]\n"
        'biases = ["B"]\n'
        "\n"
        "[conv2d.values]\n"
        "stride = 1\n"
        "padding = 0\n"
        'output = ["Out"]\n')
    assert back(layout_toml(PART_B)) == PART_B


def test_both_parts_are_separated_by_a_blank_line():
    text = layout_toml(PART_A | PART_B)
    assert '"\'Ex1a\'!C10:E10"\n\n[conv2d]\n' in text
    assert back(text) == PART_A | PART_B


def test_two_filters_of_two_channels_and_a_volume():
    refs = {R("conv2d.input", 1): "C1", R("conv2d.input", 2): "C2",
            R("conv2d.filters", 1, 1): "K1C1", R("conv2d.filters", 1, 2): "K1C2",
            R("conv2d.filters", 2, 1): "K2C1", R("conv2d.filters", 2, 2): "K2C2",
            R("conv2d.biases", 1): "B1", R("conv2d.biases", 2): "B2", R("conv2d.maps"): "Maps",
            R("conv2d.volumes.stride", 1): 2, R("conv2d.volumes.padding", 1): 1, R("conv2d.volumes.answer", 1): "V1",
            R("conv2d.values.stride"): 1, R("conv2d.values.padding"): 0,
            R("conv2d.values.output", 1): "O1", R("conv2d.values.output", 2): "O2"}
    text = layout_toml(refs)
    assert 'filters = [\n  ["K1C1", "K1C2"],\n  ["K2C1", "K2C2"],\n]\n' in text
    assert '\n[[conv2d.volumes]]\nstride = 2\npadding = 1\nanswer = "V1"\n' in text
    assert "preserve" not in text  # optional and absent: not written
    assert back(text) == refs


@pytest.mark.parametrize("comments, line", [
    ({R("conv1d.cases.stride", 1): "given as a number"}, "stride = 2  # given as a number"),
    ({R("conv1d.input"): "found by its label"}, "input = \"'Ex1a'!C5:I5\"  # found by its label"),
    ({"conv2d.filters": "one row per filter"}, "filters = [  # one row per filter"),
    ({"conv2d.input": "three channels"}, 'input = ["In"]  # three channels'),
    ({"conv2d.values.output": "one grid per filter"}, 'output = ["Out"]  # one grid per filter'),
    ({R("conv1d.input"): ""}, "input = \"'Ex1a'!C5:I5\"\n"),
], ids=["a scalar by its region", "a range by its region", "the filter list by its family",
        "the input list by its family", "the output grids by their family", "an empty note writes nothing"])
def test_a_note_follows_its_regions_line(comments, line):
    text = layout_toml(PART_A | PART_B, comments=comments)
    assert line in text
    assert back(text) == PART_A | PART_B  # a note is a TOML comment


def test_a_family_note_is_not_put_on_a_single_region():
    text = layout_toml(PART_A, comments={"conv1d.input": "by family"})
    assert "#" not in text


@pytest.mark.parametrize("sheet_ref", [
    "Ex1a!C5:I5", "'My sheet'!C5:I5", "'O''Brien'!B2", "'Übung #1'!A1:B1", "'Ex1a (2)'!$C$5:$I$5", "'a=b;c'!A1",
], ids=["plain", "with a space", "with an apostrophe (doubled)", "with an accent and a hash", "a copy's name and $",
        "with = and ;"])
def test_odd_sheet_names_are_quoted_and_read_back(sheet_ref):
    refs = PART_A | {R("conv1d.input"): sheet_ref}
    text = layout_toml(refs)
    assert tomllib.loads(text)["conv1d"]["input"] == sheet_ref
    assert back(text) == refs


def test_a_sheet_name_with_a_double_quote_is_escaped():
    sheet_ref = "'Ex \"1\"'!A1"
    refs = PART_A | {R("conv1d.input"): sheet_ref}
    assert tomllib.loads(layout_toml(refs))["conv1d"]["input"] == sheet_ref


def test_a_hole_in_a_list_is_never_written_as_the_name_none():
    refs = dict(PART_B)
    refs[R("conv2d.input", 2)] = "In2"  # two channels, but the filter's second channel was not found
    text = layout_toml(refs)
    assert '"None"' not in text


def test_a_hole_in_a_list_is_refused_when_loaded_naming_its_place():
    refs = dict(PART_B)
    refs[R("conv2d.input", 2)] = "In2"  # the filter's second channel was not found
    with pytest.raises(LayoutError, match=r"^draft\.toml: conv2d\.filters\[1\]: entry 2 is empty: give a defined "
                                          r"name or a 'Sheet!A1:B2' range$"):
        parse_layout(layout_toml(refs), "draft.toml")
