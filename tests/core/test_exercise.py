"""Exercise 1's answers for the shipped example, and example files."""

import numpy as np
import pytest

from xlcnn import ExampleError
from xlcnn.core.exercise import Example, preserving_triples, solve
from xlcnn.handout.examples import default_example_text, load_example


@pytest.fixture(scope="module")
def answers():
    return solve(load_example())


ANSWERS_1D = [
    # (stride, padding) -> output, checked by hand on x = [0, 1, 2, -1, 1, -3, 0], w = [1, 0, -1]
    pytest.param(0, [-2, 2, 1, 2, 1], id="S1-P0"),
    pytest.param(1, [-2, 1, 1], id="S2-P0"),
    pytest.param(2, [-2, 1], id="S4-P0"),
    pytest.param(3, [-1, -2, 2, 1, 2, 1, -3], id="S1-P1"),
    pytest.param(4, [-1, 2], id="S4-P1"),
]


@pytest.mark.parametrize("index, expected", ANSWERS_1D)
def test_1d_answers(answers, index, expected):
    np.testing.assert_array_equal(answers.cases1[index].values, expected)


def test_1d_size_questions(answers):
    assert [(c.stride, c.padding) for c in answers.cases1] == [(1, 0), (2, 0), (4, 0), (1, 1), (4, 1)]
    assert answers.same_size_cases == [(1, 1)]
    assert [c.size.fits for c in answers.cases1] == [True, True, True, True, False]


def test_2d_answers(answers):
    assert answers.n_maps == 2
    assert [v.shape for v in answers.volumes] == [(3, 3, 2), (2, 2, 2)]
    assert answers.values.shape == (3, 3, 2)
    # y[0,0,0] by hand: channel sums 3 + 2 + (-1), plus bias 1
    assert answers.values[0, 0, 0] == 5
    np.testing.assert_array_equal(answers.values[:, :, 0], [[5, 9, 10], [16, 12, 15], [16, 15, 18]])
    np.testing.assert_array_equal(answers.values[:, :, 1], [[-1, -2, -1], [-1, -3, -1], [-1, -3, -4]])
    assert answers.params == 56


def test_preserving_is_a_predicate(answers):
    for f, p, s in [(3, 1, 1), (5, 2, 1), (1, 0, 1), (7, 3, 1), (1, 2, 2)]:
        assert answers.preserves(f, p, s)
    for f, p, s in [(3, 0, 1), (3, 1, 2), (2, 0, 1)]:
        assert not answers.preserves(f, p, s)
    assert (3, 1, 1) in answers.preserving
    assert all(answers.preserves(*t) for t in preserving_triples(5))


def test_example_layout_is_channels_last():
    ex = load_example()
    assert ex.x2.shape == (5, 5, 3) and ex.w2.shape == (3, 3, 3, 2)
    # the file lists input[c][row][col] and filters[k][c][row][col]
    assert ex.x2[0, 3, 0] == 2 and ex.x2[0, 4, 1] == 2
    assert ex.w2[2, 0, 1, 0] == -1 and ex.w2[0, 0, 2, 1] == -1


def test_teachers_own_example(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        default_example_text()
        .replace("input = [0, 1, 2, -1, 1, -3, 0]", "input = [1, 2, 3, 4]")
        .replace("cases = [[1, 0], [2, 0], [4, 0], [1, 1], [4, 1]]", "cases = [[1, 0], [1, 1]]")
    )
    ans = solve(load_example(path))
    np.testing.assert_array_equal(ans.cases1[0].values, [-2, -2])
    np.testing.assert_array_equal(ans.cases1[1].values, [-2, -2, -2, 3])


def mapping(**changes):
    import tomllib

    data = tomllib.loads(default_example_text())
    for dotted, value in changes.items():
        table, key = dotted.split("__")
        if value is None:
            del data[table][key]
        else:
            data[table][key] = value
    return data


BAD_EXAMPLES = [
    pytest.param(mapping(conv1d__input=None), r"x\.toml: missing key conv1d\.input", id="missing-key"),
    pytest.param(mapping(conv1d__input=[1, "a", 2]),
                 r"conv1d\.input must be a rectangular array of numbers", id="text"),
    pytest.param(mapping(conv2d__input=[[[1, 2], [3]]]), r"conv2d\.input must be a rectangular array", id="ragged"),
    pytest.param(mapping(conv2d__biases=[1]), r"conv2d\.biases must hold one bias per filter \(2\), got 1",
                 id="biases"),
    pytest.param(mapping(conv1d__filter=[1] * 12), r"filter \(12\) larger than the padded input \(7",
                 id="filter-too-long"),
    pytest.param(mapping(conv1d__cases=[[0, 1]]), r"stride must be a positive integer, got 0", id="stride-zero"),
    pytest.param(mapping(conv1d__cases=[[1.5, 1]]), r"conv1d\.cases must be a list of \[stride, padding\] pairs",
                 id="stride-fraction"),
    pytest.param(mapping(conv2d__filters=[[[[1, 2], [3, 4]]]]), r"the filters have 1 channel\(s\) but the input has 3",
                 id="channels"),
    pytest.param({"conv1d": {}}, r"missing table \[conv2d\]", id="no-table"),
]


@pytest.mark.parametrize("data, match", BAD_EXAMPLES)
def test_bad_examples(data, match):
    with pytest.raises(ExampleError, match=match):
        Example.from_mapping(data, source="x.toml")


def test_bad_files(tmp_path):
    with pytest.raises(ExampleError, match=r"nope\.toml: no such example file"):
        load_example(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("conv1d = [")
    with pytest.raises(ExampleError, match=r"bad\.toml: not valid TOML"):
        load_example(bad)
