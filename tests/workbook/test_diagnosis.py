"""`diagnose`: the mistake a wrong answer is named after, question family by question family.

Small examples whose answers, and the answers of each classic mistake (kernel flipped, bias
forgotten, padding or stride ignored, rows and columns swapped, sizes off by one...), are worked
out by hand below; the right answers are checked once against :mod:`xlcnn.core.conv`.
"""

import numpy as np
import pytest

from xlcnn.core import conv
from xlcnn.core.exercise import Example
from xlcnn.layout.regions import RegionId
from xlcnn.workbook.checking import CellResult, QuestionResult
from xlcnn.workbook.diagnosis import (
    DEPTH_CHANNELS,
    FLIP,
    NO_BIAS,
    NO_PADDING,
    NO_STRIDE,
    PARTIAL_WINDOW,
    SIZE_NO_PADDING,
    SIZE_NO_PLUS_ONE,
    SIZE_NOT_FLOORED,
    SWAPPED,
    TOO_MANY,
    diagnose,
)
from xlcnn.workbook.verdict import Answer

# ------------------------------------------------------------------ the small examples

# 1D: x = [1, 2, 3, 0, -1], w = [1, 0, 2], b = 1 (N = 5, F = 3). Each output is x[i] + 2 x[i+2] + 1.
X1, W1, B1 = [1, 2, 3, 0, -1], [1, 0, 2], 1
CASES1 = ((1, 0), (2, 0), (3, 0), (1, 1), (2, 1))  # case 3: (5-3)/3+1 = 1.67, the filter does not fit
RIGHT_1D = {
    1: [8, 3, 2],  # windows [1,2,3] [2,3,0] [3,0,-1]: 1+6+1, 2+0+1, 3-2+1
    2: [8, 2],  # windows 0 and 2
    3: [8],  # window 0 only: the partial window at 3 is dropped
    4: [5, 8, 3, 2, 1],  # padded [0,1,2,3,0,-1,0]: 0+4+1, 8, 3, 2, 0+0+1
    5: [5, 3, 1],  # windows 0, 2, 4 of the padded input
}

# 2D (values): one 3x3 channel, two 2x2 filters, biases [1, 0]; the output is 2x2 per filter.
X2 = [[1, 2, 0],
      [0, 1, 3],
      [2, 0, 1]]
W2 = [[[1, 0], [0, 2]],  # filter 1: x[i,j] + 2 x[i+1,j+1] + 1
      [[0, 1], [0, -1]]]  # filter 2: x[i,j+1] - x[i+1,j+1]
B2 = [1, 0]
RIGHT_2D = {1: [[4, 9], [1, 4]], 2: [[1, -3], [1, 2]]}


def example(**change) -> Example:
    """The small example above; ``change`` replaces any field (a volume example, another filter...)."""
    fields = dict(x1=np.array(X1, float), w1=np.array(W1, float), b1=float(B1),
                  x2=np.array(X2, float)[:, :, None], w2=np.array(W2, float).transpose(1, 2, 0)[:, :, None, :],
                  b2=np.array(B2, float), cases1=CASES1, volume_cases=((1, 0),), values_case=(1, 0))
    fields.update(change)
    return Example(**fields)


def volume_example(h: int = 7, f: int = 3, channels: int = 3, filters: int = 2,
                   cases=((1, 0), (2, 0), (2, 1), (3, 0))) -> Example:
    """An HxHxC input and K FxF filters: the volume questions only need the shapes."""
    return example(x2=np.zeros((h, h, channels)), w2=np.zeros((f, f, channels, filters)), b2=np.zeros(filters),
                   volume_cases=tuple(cases))


def answer(family: str, *given, index: int | None = 1, status: Answer = Answer.WRONG) -> QuestionResult:
    """The checked answer of one question: its region and the values the student's cells hold."""
    region = RegionId.of(family, index) if index is not None else RegionId.of(family)
    cells = [CellResult("Ex1", f"C{10 + i}", v, None, status) for i, v in enumerate(given)]
    return QuestionResult(region.question or family, "", region.spec.part, status, "", "", cells, region=region)


def flat(grid) -> list:
    return [v for row in grid for v in row]


def test_the_hand_worked_answers_are_the_cores():
    ex = example()
    for case, (s, p) in enumerate(CASES1, 1):
        assert conv.conv1d(ex.x1, ex.w1, ex.b1, s, p).tolist() == RIGHT_1D[case], case
    out = conv.conv2d(ex.x2, ex.w2, ex.b2, 1, 0)
    for k in (1, 2):
        assert out[:, :, k - 1].tolist() == RIGHT_2D[k], k


# ------------------------------------------------------------------ only wrong answers, only known families


@pytest.mark.parametrize("status", [Answer.RIGHT, Answer.MISSING, Answer.NOT_CALCULATED],
                         ids=["right", "missing", "not-calculated"])
def test_an_answer_that_is_not_wrong_has_no_diagnosis(status):
    flipped = [6, 5, 6]  # the flipped kernel's values: a diagnosis if the answer were wrong
    assert diagnose(example(), answer("conv1d.cases.output", *flipped, status=status)) == []
    assert diagnose(example(), answer("conv1d.cases.output", *flipped)) == [FLIP]


def test_a_question_without_a_region_has_no_diagnosis():
    result = answer("conv1d.cases.output", 6, 5, 6)
    result.region = None
    assert diagnose(example(), result) == []


def test_the_same_size_answer_has_no_diagnosis():
    assert diagnose(example(), answer("conv1d.cases.same", "yes", index=4)) == []


# ------------------------------------------------------------------ 1D output values

OUTPUT_1D = [
    # (case, what the student wrote, the mistakes named)
    pytest.param(1, [6, 5, 6], [FLIP], id="S1P0-kernel-flipped"),
    pytest.param(1, [7, 2, 1], [NO_BIAS], id="S1P0-bias-forgotten"),
    pytest.param(1, [5, 4, 5], [], id="S1P0-flipped-and-no-bias-is-two-mistakes-not-named"),
    pytest.param(1, [8, 3, 9], [], id="S1P0-one-value-wrong-no-pattern"),
    pytest.param(1, [8, 3], [], id="S1P0-too-few-values"),
    pytest.param(1, [8, 3, 2, 0], [TOO_MANY], id="S1P0-a-value-after-the-last-output"),
    pytest.param(1, ["6", "5", "6"], [FLIP], id="S1P0-numbers-typed-as-text"),
    pytest.param(1, [6.005, 5, 6], [FLIP], id="S1P0-within-the-tolerance"),
    pytest.param(1, [6.5, 5, 6], [], id="S1P0-beyond-the-tolerance"),
    pytest.param(2, [8, 3, 2], [NO_STRIDE], id="S2P0-stride-ignored"),
    pytest.param(2, [6, 6], [FLIP], id="S2P0-kernel-flipped"),
    pytest.param(2, [7, 1], [NO_BIAS], id="S2P0-bias-forgotten"),
    pytest.param(2, [8, 2, 5], [TOO_MANY], id="S2P0-fits-so-an-extra-value-is-too-many"),
    pytest.param(3, [8, 1], [PARTIAL_WINDOW], id="S3P0-partial-window-computed"),
    pytest.param(3, [8, 3, 2], [NO_STRIDE], id="S3P0-stride-ignored-not-partial-window"),
    pytest.param(3, [6], [FLIP], id="S3P0-kernel-flipped"),
    pytest.param(4, [8, 3, 2], [NO_PADDING], id="S1P1-padding-ignored"),
    pytest.param(4, [3, 6, 5, 6, 1], [FLIP], id="S1P1-kernel-flipped-on-the-padded-input"),
    pytest.param(4, [4, 7, 2, 1, 0], [NO_BIAS], id="S1P1-bias-forgotten"),
    pytest.param(5, [8, 2], [NO_PADDING], id="S2P1-padding-ignored"),
    pytest.param(5, [5, 8, 3, 2, 1], [NO_STRIDE], id="S2P1-stride-ignored"),
    pytest.param(5, [3, 5, 1], [FLIP], id="S2P1-kernel-flipped"),
    pytest.param(5, [4, 2, 0], [NO_BIAS], id="S2P1-bias-forgotten"),
    pytest.param(5, [5, 3, 1, 7], [TOO_MANY], id="S2P1-fits-so-an-extra-value-is-too-many"),
]


@pytest.mark.parametrize("case, given, found", OUTPUT_1D)
def test_1d_output_values(case, given, found):
    assert diagnose(example(), answer("conv1d.cases.output", *given, index=case)) == found


def test_1d_output_ignores_empty_and_unreadable_cells():
    # the cells the student left empty, or filled with words, are not values: [6, 5, 6] is what is read
    assert diagnose(example(), answer("conv1d.cases.output", 6, None, "", "n/a", 5, 6)) == [FLIP]


def test_1d_without_a_bias_never_says_the_bias_was_forgotten():
    ex = example(b1=0.0)  # right: [7, 2, 1]; flipped: [5, 4, 5]
    assert diagnose(ex, answer("conv1d.cases.output", 5, 4, 5)) == [FLIP]
    assert diagnose(ex, answer("conv1d.cases.output", 6, 1, 0)) == []  # 1 less everywhere: no bias to forget


def test_1d_output_when_the_filter_is_longer_than_the_unpadded_input():
    # x = [1, 2], w = [1, 0, 2], b = 1, S=1, P=1: padded [0, 1, 2, 0] -> [0+0+4+1, 1+0+0+1] = [5, 2]
    ex = example(x1=np.array([1.0, 2.0]), cases1=((1, 1),))
    assert conv.conv1d(ex.x1, ex.w1, ex.b1, 1, 1).tolist() == [5, 2]
    assert diagnose(ex, answer("conv1d.cases.output", 4, 1)) == [NO_BIAS]


# ------------------------------------------------------------------ 1D output sizes (N = 5, F = 3)

SIZE_CASES = ((1, 0), (3, 0), (1, 1), (2, 1), (3, 1))
SIZES_1D = [
    # (case, size written, the mistakes named); right sizes: 3, 1, 5, 3, 2
    pytest.param(1, 2, [SIZE_NO_PLUS_ONE], id="S1P0-forgot-the-plus-one"),
    pytest.param(1, 4, [], id="S1P0-one-too-many-no-pattern"),
    pytest.param(2, 5 / 3, [SIZE_NOT_FLOORED], id="S3P0-1.67-not-rounded-down"),
    pytest.param(2, 1.67, [SIZE_NOT_FLOORED], id="S3P0-1.67-rounded-to-two-decimals"),
    pytest.param(2, 0, [SIZE_NO_PLUS_ONE], id="S3P0-forgot-the-plus-one"),
    pytest.param(2, 3, [NO_STRIDE], id="S3P0-stride-ignored"),
    pytest.param(3, 4, [SIZE_NO_PLUS_ONE], id="S1P1-forgot-the-plus-one"),
    pytest.param(3, 3, [SIZE_NO_PADDING], id="S1P1-padding-left-out"),
    pytest.param(4, 2, [SIZE_NO_PLUS_ONE, SIZE_NO_PADDING], id="S2P1-two-mistakes-give-2"),
    pytest.param(4, 5, [NO_STRIDE], id="S2P1-stride-ignored"),
    pytest.param(4, 3.005, [], id="S2P1-right-within-tolerance-is-no-mistake"),
    pytest.param(5, 7 / 3, [SIZE_NOT_FLOORED], id="S3P1-2.33-not-rounded-down"),
    pytest.param(5, 1, [SIZE_NO_PLUS_ONE, SIZE_NO_PADDING], id="S3P1-two-mistakes-give-1"),
    pytest.param(5, 5, [NO_STRIDE], id="S3P1-stride-ignored"),
    pytest.param(5, 2.5, [], id="S3P1-2.5-no-pattern"),
]


@pytest.mark.parametrize("case, given, found", SIZES_1D)
def test_1d_output_size(case, given, found):
    ex = example(cases1=SIZE_CASES)
    assert diagnose(ex, answer("conv1d.cases.size", given, index=case)) == found


@pytest.mark.parametrize("given", [[], [None], ["big"], [2, 2]], ids=["no-cell", "empty", "words", "two-numbers"])
def test_1d_output_size_needs_exactly_one_number(given):
    ex = example(cases1=SIZE_CASES)
    assert diagnose(ex, answer("conv1d.cases.size", *given, index=1)) == []


def test_1d_output_size_without_padding_needs_a_filter_that_fits_the_unpadded_input():
    # N = 2, F = 3, S=1, P=1: right (2-3+2)/1+1 = 2; without the padding the filter does not fit at all
    ex = example(x1=np.array([1.0, 2.0]), cases1=((1, 1),))
    assert diagnose(ex, answer("conv1d.cases.size", 0)) == []
    assert diagnose(ex, answer("conv1d.cases.size", 1)) == [SIZE_NO_PLUS_ONE]


def test_1d_output_size_rounded_up():
    ex = example(cases1=SIZE_CASES)
    assert diagnose(ex, answer("conv1d.cases.size", 2, index=2)) == [SIZE_NOT_FLOORED]


# ------------------------------------------------------------------ 2D output values (S=1, P=0)

VALUES_2D = [
    # (filter, what the student wrote row by row, the mistakes named)
    pytest.param(1, [4, 8, 1, 4], [FLIP], id="filter1-kernel-flipped"),
    pytest.param(1, [3, 8, 0, 3], [NO_BIAS], id="filter1-bias-forgotten"),
    pytest.param(1, [4, 1, 9, 4], [SWAPPED], id="filter1-rows-and-columns-swapped"),
    pytest.param(1, [4, 9, 1, 5], [], id="filter1-one-value-wrong"),
    pytest.param(1, [4, 9, 1], [], id="filter1-a-value-missing"),
    pytest.param(2, [-1, -1, 2, -1], [FLIP], id="filter2-kernel-flipped"),
    pytest.param(2, [1, 1, -3, 2], [SWAPPED], id="filter2-rows-and-columns-swapped"),
    pytest.param(2, [0, -4, 0, 1], [], id="filter2-no-bias-to-forget-so-1-less-is-no-pattern"),
]


@pytest.mark.parametrize("k, given, found", VALUES_2D)
def test_2d_output_values(k, given, found):
    assert diagnose(example(), answer("conv2d.values.output", *given, index=k)) == found


def test_2d_output_values_with_a_symmetric_kernel_and_no_bias():
    # filter 1 = [[1, 0], [0, 1]], bias 0: x[i,j] + x[i+1,j+1] = [[2, 5], [0, 2]]; flipped, the kernel is the same
    ex = example(w2=np.array([[[1, 0], [0, 1]], [[0, 1], [0, -1]]], float).transpose(1, 2, 0)[:, :, None, :],
                 b2=np.array([0.0, 0.0]))
    assert conv.conv2d(ex.x2, ex.w2, ex.b2)[:, :, 0].tolist() == [[2, 5], [0, 2]]
    assert diagnose(ex, answer("conv2d.values.output", 2, 0, 5, 2)) == [SWAPPED]
    assert diagnose(ex, answer("conv2d.values.output", 1, 4, -1, 1)) == []  # 1 less: the bias is 0


# ------------------------------------------------------------------ 2D volumes and maps (7x7x3 input, two 3x3 filters)

VOLUMES = [
    # (volume case, answer as checked, the mistakes named); right: 5x5x2, 3x3x2, 4x4x2, 2x2x2
    pytest.param(1, "5x5x3", [DEPTH_CHANNELS], id="S1P0-depth-is-the-input-channels"),
    pytest.param(1, "4x4x2", [SIZE_NO_PLUS_ONE], id="S1P0-forgot-the-plus-one"),
    pytest.param(1, "6x6x2", [], id="S1P0-one-too-many-no-pattern"),
    pytest.param(2, "2x2x2", [SIZE_NO_PLUS_ONE], id="S2P0-forgot-the-plus-one"),
    pytest.param(2, "5x5x2", [NO_STRIDE], id="S2P0-stride-ignored"),
    pytest.param(2, "2x2x3", [DEPTH_CHANNELS, SIZE_NO_PLUS_ONE], id="S2P0-depth-and-plus-one"),
    pytest.param(3, "3x3x2", [SIZE_NO_PLUS_ONE, SIZE_NO_PADDING], id="S2P1-two-mistakes-give-3"),
    pytest.param(3, "7x7x2", [NO_STRIDE], id="S2P1-stride-ignored"),
    pytest.param(4, "5x5x2", [NO_STRIDE], id="S3P0-stride-ignored"),
    pytest.param(4, "1x1x2", [SIZE_NO_PLUS_ONE], id="S3P0-forgot-the-plus-one"),
    pytest.param(4, "2x2", [], id="S3P0-two-numbers-only"),
    pytest.param(4, None, [], id="S3P0-unreadable-answer"),
]


@pytest.mark.parametrize("case, given, found", VOLUMES)
def test_2d_volumes(case, given, found):
    assert diagnose(volume_example(), answer("conv2d.volumes.answer", given, index=case)) == found


def test_2d_volume_stride_ignored_only_when_it_changes_the_size():
    # a 3x3x3 input and 3x3 filters, S=2: one position with or without the stride, so only the depth is wrong
    ex = volume_example(h=3, cases=((2, 0),))
    assert diagnose(ex, answer("conv2d.volumes.answer", "1x1x3")) == [DEPTH_CHANNELS]


def test_2d_volume_depth_is_no_mistake_when_channels_and_filters_agree():
    ex = volume_example(channels=2, filters=2)  # right 5x5x2: "4x4x2" is only off by one
    assert diagnose(ex, answer("conv2d.volumes.answer", "4x4x2")) == [SIZE_NO_PLUS_ONE]


MAPS = [
    pytest.param(3, 2, 3.0, [DEPTH_CHANNELS], id="the-input-channels"),
    pytest.param(3, 2, 4.0, [], id="another-number"),
    pytest.param(3, 2, None, [], id="empty"),
    pytest.param(2, 3, 2.0, [DEPTH_CHANNELS], id="fewer-channels-than-filters"),
]


@pytest.mark.parametrize("channels, filters, given, found", MAPS)
def test_2d_number_of_maps(channels, filters, given, found):
    ex = volume_example(channels=channels, filters=filters)
    assert diagnose(ex, answer("conv2d.maps", given, index=None)) == found


# ------------------------------------------------------------------ what the student reads

WORDS = [
    pytest.param(FLIP, ["kernel flipped", "cross-correlation", "do not flip"], id="flip"),
    pytest.param(NO_BIAS, ["bias forgotten", "add the bias"], id="bias"),
    pytest.param(NO_PADDING, ["padding ignored", "P zeros on each side"], id="padding"),
    pytest.param(NO_STRIDE, ["stride ignored", "S positions at a time"], id="stride"),
    pytest.param(SWAPPED, ["rows and columns swapped", "transposed"], id="swapped"),
    pytest.param(SIZE_NOT_FLOORED, ["not rounded down", "(N - F + 2P)/S", "dropped"], id="not-floored"),
    pytest.param(SIZE_NO_PLUS_ONE, ["off by one", "(N - F + 2P)/S + 1"], id="plus-one"),
    pytest.param(SIZE_NO_PADDING, ["without the padding", "(N - F + 2P)/S + 1"], id="size-no-padding"),
    pytest.param(DEPTH_CHANNELS, ["number of filters", "not the number of input channels"], id="depth"),
    pytest.param(PARTIAL_WINDOW, ["partial window", "dropped"], id="partial-window"),
    pytest.param(TOO_MANY, ["too many output values", "(N - F + 2P)/S + 1"], id="too-many"),
]


@pytest.mark.parametrize("text, words", WORDS)
def test_each_mistake_names_itself_and_the_rule(text, words):
    for w in words:
        assert w in text


def test_the_short_names_hints_show_are_all_different():
    # hints and statistics show the part before ":" only: two mistakes must never read the same
    texts = [FLIP, NO_BIAS, NO_PADDING, NO_STRIDE, SWAPPED, SIZE_NOT_FLOORED, SIZE_NO_PLUS_ONE, SIZE_NO_PADDING,
             DEPTH_CHANNELS, PARTIAL_WINDOW, TOO_MANY]
    names = [t.split(":")[0] for t in texts]
    assert len(set(names)) == len(names) and all(names)
