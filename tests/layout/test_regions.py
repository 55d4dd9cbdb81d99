"""The region model: every region id written and parsed back, the family table as the layout
file's schema, a layout's TOML written from it, the names relocation notes use."""

from __future__ import annotations

import pickle
from importlib import resources

import pytest

from xlcnn.handout.build import layout_text
from xlcnn.handout.examples import load_example
from xlcnn.layout.model import KEYS, default_layout, names_a_sheet, parse_layout
from xlcnn.layout.regions import FAMILIES, RegionId, block_names, group_name

R = RegionId.of

IDS = [
    pytest.param(R("conv1d.input"), "conv1d.input", "input", None, id="1d-input"),
    pytest.param(R("conv1d.bias"), "conv1d.bias", "input", None, id="1d-bias"),
    pytest.param(R("conv1d.cases.stride", 3), "conv1d.cases[3].stride", "input", None, id="case-stride"),
    pytest.param(R("conv1d.cases.output", 4), "conv1d.cases[4].output", "answer", "a.case4.output", id="case-output"),
    pytest.param(R("conv1d.cases.size", 2), "conv1d.cases[2].size", "answer", "a.case2.size", id="case-size"),
    pytest.param(R("conv1d.cases.same", 5), "conv1d.cases[5].same", "answer", "a.case5.same", id="case-same"),
    pytest.param(R("conv1d.cases.note", 1), "conv1d.cases[1].note", "note", None, id="case-note"),
    pytest.param(R("conv2d.input", 3), "conv2d.input[3]", "input", None, id="channel"),
    pytest.param(R("conv2d.filters", 2, 1), "conv2d.filters[2][1]", "input", None, id="filter-channel"),
    pytest.param(R("conv2d.biases", 2), "conv2d.biases[2]", "input", None, id="bias-2d"),
    pytest.param(R("conv2d.volumes.answer", 2), "conv2d.volumes[2].answer", "answer", "b.volume2", id="volume"),
    pytest.param(R("conv2d.values.padding"), "conv2d.values.padding", "input", None, id="values-padding"),
    pytest.param(R("conv2d.values.output", 2), "conv2d.values.output[2]", "answer", "b.values2", id="map"),
    pytest.param(R("conv2d.maps"), "conv2d.maps", "answer", "b.maps", id="maps"),
    pytest.param(R("conv2d.preserve"), "conv2d.preserve", "answer", "b.preserve", id="preserve"),
]


@pytest.mark.parametrize("region, text, role, question", IDS)
def test_a_region_id_as_text_and_back(region, text, role, question):
    assert str(region) == text
    assert RegionId.parse(text) == region
    assert (region.role, region.question) == (role, question)
    assert pickle.loads(pickle.dumps(region)) == region  # it travels to the workers


@pytest.mark.parametrize("text", ["conv1d.cases[x].output", "conv1d.cases.output", "conv3d.input", "",
                                  "conv2d.filters[1]", "conv1d.input[1]"], ids=repr)
def test_what_is_not_a_region_id(text):
    with pytest.raises(ValueError):
        RegionId.parse(text)


def test_a_family_takes_exactly_its_indices():
    with pytest.raises(ValueError):
        R("conv2d.filters", 1)
    with pytest.raises(ValueError):
        R("conv2d.maps", 1)


def test_every_family_round_trips_with_indices():
    for fam in FAMILIES.values():
        region = R(fam.key, *range(2, 2 + fam.arity))
        assert RegionId.parse(str(region)) == region, fam.key


@pytest.mark.parametrize("family, index, text", [
    ("conv2d.filters", (2,), "conv2d.filters[2]"), ("conv2d.filters", (), "conv2d.filters"),
    ("conv1d.cases.output", (3,), "conv1d.cases[3]"), ("conv2d.input", (), "conv2d.input")])
def test_group_names(family, index, text):
    assert group_name(family, *index) == text


def test_the_layout_file_keys_come_from_the_family_table():
    assert KEYS["conv1d.cases"] == {"stride", "padding", "output", "size", "same", "note"}
    assert KEYS["conv2d"] == {"input", "filters", "biases", "maps", "preserve", "volumes", "values"}
    assert KEYS["conv2d.values"] == {"stride", "padding", "output"}


def test_the_shipped_layout_is_written_from_the_region_table():
    shipped = resources.files("xlcnn.data").joinpath("layout.toml").read_text()
    assert layout_text(load_example()) == shipped
    layout = default_layout()
    assert parse_layout(shipped, "again").refs == layout.refs


def test_regions_in_reading_order_inputs_first():
    roles = [role for _, role, _ in default_layout().regions()]
    assert roles.index("answer") > max(i for i, r in enumerate(roles) if r == "input")
    regions = [str(r) for r, _, _ in default_layout().regions()]
    assert regions[:5] == ["conv1d.input", "conv1d.filter", "conv1d.bias", "conv1d.cases[1].stride",
                           "conv1d.cases[1].padding"]
    assert regions.index("conv1d.cases[1].output") < regions.index("conv1d.cases[1].size") < \
        regions.index("conv1d.cases[2].output")


def test_with_refs_moves_only_the_regions_named():
    layout = default_layout()
    moved = layout.with_refs({R("conv1d.input"): "'Ex1a'!C9:I9"})
    assert moved.input1d == "'Ex1a'!C9:I9" and moved.filter1d == layout.filter1d
    assert [r for r, _, _ in moved.regions()] == [r for r, _, _ in layout.regions()]


@pytest.mark.parametrize("regions, text", [
    (["conv1d.cases[2].output", "conv1d.cases[3].output", "conv1d.cases[4].output"], "1D cases 2-4"),
    (["conv2d.filters[2][1]", "conv2d.filters[2][2]"], "2D filter 2"),
    (["conv2d.values.output[1]", "conv2d.values.output[2]"], "2D output values"),
    (["conv1d.cases[1].output", "conv1d.cases[3].size"], "1D cases 1, 3"),
], ids=["a-run-of-cases", "one-filter", "output-maps", "two-cases"])
def test_block_names_as_a_reader_says_them(regions, text):
    every = [r for r, _, _ in default_layout().regions()]
    assert block_names([RegionId.parse(r) for r in regions], every) == text


def test_a_whole_part_is_its_block():
    every = [r for r, _, _ in default_layout().regions()]
    assert block_names([r for r in every if r.spec.dim == "1"], every) == "1D block"


@pytest.mark.parametrize("ref, ranged", [("'Ex 1'!B3:H3", True), ("Ex1!B3", True), ("Input1D", False), (3, False),
                                         ("'It''s'!A1", True)])
def test_names_a_sheet(ref, ranged):
    assert names_a_sheet(ref) is ranged
