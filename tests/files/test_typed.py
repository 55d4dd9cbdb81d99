"""How a cell's content is read (``files.typed``): numbers written as text (decimal commas, thousands
separators, spaces, a Unicode minus), yes/no in the languages students write, the placeholders that
mean "nothing here", Excel's error values, counts with words after them, and volumes such as
"3x3x2" in one cell or three. Each parser answers (value, problem): both None for an empty cell."""

from __future__ import annotations

import datetime
import re

import pytest

from xlcnn.files.typed import (
    MAX_NUMBER,
    is_empty,
    is_placeholder,
    parse_count,
    parse_numbers,
    parse_yes_no,
)
from xlcnn.files.typed import parse_number as number

# ------------------------------------------------------------------ empty cells and placeholders


@pytest.mark.parametrize("value, empty", [
    (None, True), ("", True), ("   \n\t", True), ("\u00a0", True),
    (0, False), ("0", False), (False, False), ("-", False),
], ids=["none", "empty text", "only whitespace", "a non-breaking space", "zero", "zero as text", "False",
        "a dash is text"])
def test_is_empty(value, empty):
    assert is_empty(value) is empty


@pytest.mark.parametrize("value, placeholder", [
    ("-", True), ("—", True), ("–", True), ("/", True), ("x", True), ("X", True), (" n/a ", True), ("N/A", True),
    ("None", True), ("empty", True), ("vide", True), ("leer", True), ("---", True),
    ("0", False), ("no", False), ("n / a", False), ("nothing here", False), (None, False), (0, False),
], ids=["dash", "em dash", "en dash", "slash", "x", "capital X", "n/a with spaces", "N/A", "None", "empty",
        "French vide", "German leer", "three dashes", "zero is an answer", "no is an answer",
        "n / a spaced out is not one", "a sentence", "an empty cell is no text", "the number 0"])
def test_is_placeholder(value, placeholder):
    assert is_placeholder(value) is placeholder


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("value, expected", [
    (3, 3.0), (-2.5, -2.5), (MAX_NUMBER, 1e12), ("7", 7.0), ("  7 ", 7.0), ("+3", 3.0),
    ("3,5", 3.5), ("3.5", 3.5), (",5", 0.5), (".5", 0.5), ("5.", 5.0),
    ("1,234.5", 1234.5), ("12,345,678.25", 12345678.25), ("1 234,5", 1234.5), ("1\u00a0234", 1234.0),
    ("1\u202f234", 1234.0), ("1'234", 1234.0),
    ("\u2212" "2", -2.0), ("\u2013" "2", -2.0), ("1e3", 1000.0), ("2.5E-1", 0.25),
], ids=["an int", "a float", "exactly the largest allowed", "text", "text with spaces around", "a plus sign",
        "decimal comma", "decimal point", "comma and no integer part", "point and no integer part",
        "a trailing point", "thousands commas and a decimal point", "several thousands groups",
        "space thousands and decimal comma", "non-breaking space thousands", "narrow no-break space thousands",
        "Swiss apostrophe thousands", "Unicode minus", "en dash as a minus",
        "exponent", "capital exponent"])
def test_a_number_is_read(value, expected):
    assert number(value) == (expected, None)


def test_an_ambiguous_comma_is_a_decimal_comma():
    # "1,234" is 1.234 to a French or German student, 1234 to an English one: the decimal comma wins
    # (the exercise's numbers are small), and a thousands comma is recognised only with a decimal point.
    assert number("1,234") == (1.234, None)


@pytest.mark.parametrize("value, message", [
    (True, r"^expected a number, got True$"),
    (False, r"^expected a number, got False$"),
    ("#DIV/0!", r"^the cell shows the Excel error #DIV/0!$"),
    (" #n/a ", r"^the cell shows the Excel error #N/A$"),
    ("=A1+1", r"^a formula shown as text \('=A1\+1'\): remove the leading quote or space$"),
    ("abc", r"^expected a number, got 'abc'$"),
    ("50%", r"^expected a number, got '50%'$"),
    ("3 maps", r"^expected a number, got '3 maps'$"),
    ("1.234,5", r"^expected a number, got '1.234,5'$"),
    ("y" * 200, r"^expected a number, got 'y{80}'$"),
    ([1], r"^expected a number, got \[1\]$"),
    (datetime.date(2024, 1, 2), r"^expected a number, got datetime\.date\(2024, 1, 2\)$"),
    (1e13, r"^a number out of range \(10000000000000\.0\): expected at most 1e\+12 in size$"),
    (-1e13, r"^a number out of range"),
    (float("inf"), r"^a number out of range \(inf\)"),
    (float("nan"), r"^a number out of range \(nan\)"),
    (10**400, r"^a number out of range \(401 digits\)$"),
    ("1e13", r"^a number out of range \(1e13\): expected at most 1e\+12 in size$"),
    ("1e400", r"^a number out of range \(1e400\)"),
], ids=["True is no number", "False is no number", "an Excel error", "an Excel error in lower case with spaces",
        "a formula typed as text", "a word", "a percentage typed as text", "a number with a word",
        "German thousands dots", "a long text is cut to 80 characters", "a list", "a date",
        "a float over the limit", "a negative float over the limit", "infinity", "not a number",
        "an int too large for a float", "text over the limit", "text that overflows a float"])
def test_a_number_is_refused_with_its_reason(value, message):
    got, problem = number(value)
    assert got is None
    assert problem is not None
    assert re.search(message, problem), problem


@pytest.mark.parametrize("value", [None, "", "   "], ids=["none", "empty text", "spaces"])
def test_an_empty_cell_is_no_number_and_no_problem(value):
    assert number(value) == (None, None)


@pytest.mark.parametrize("value", ["3 4", "-2 2", "1 2 3"], ids=["3 4", "-2 2", "1 2 3"])
def test_numbers_separated_by_spaces_are_not_glued_into_one(value):
    got, problem = number(value)
    assert got is None and problem


# ------------------------------------------------------------------ counts ("2 maps")


@pytest.mark.parametrize("value, expected", [
    (2, (2.0, None)), ("2", (2.0, None)), ("2 maps", (2.0, None)), ("2 activation maps", (2.0, None)),
    ("2maps", (2.0, None)), (" 2,5 cartes ", (2.5, None)), ("\u22121 map", (-1.0, None)), ("", (None, None)),
], ids=["a number", "a number as text", "a number and a word", "a number and two words", "no space before the word",
        "decimal comma and a French word", "Unicode minus", "empty"])
def test_a_count_may_be_followed_by_words(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value, message", [
    ("2 maps of 3x3", "expected a number, got '2 maps of 3x3'"),
    ("maps: 2", "expected a number, got 'maps: 2'"),
    ("#REF!", "the cell shows the Excel error #REF!"),
    (True, "expected a number, got True"),
], ids=["other digits after the words", "words before the number", "an Excel error", "a boolean"])
def test_a_count_with_other_digits_or_words_first_is_refused(value, message):
    assert parse_count(value) == (None, message)


# ------------------------------------------------------------------ yes / no


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("Yes.", True), (" YES ", True), ("y", True), ("oui", True), ("Oui!", True), ("o", True),
    ("ja", True), ("J", True), ("si", True), ("sí", True), ("true", True), ("vrai", True), ("wahr", True),
    ("ok", True), ("✓", True), ("✔", True), ("x", True), ("1", True), (1, True), (1.0, True), (True, True),
    ("no", False), ("No.", False), ("n", False), ("non", False), ("Nein", False), ("false", False),
    ("faux", False), ("falsch", False), ("0", False), ("-", False), ("✗", False), ("✘", False), (0, False),
    (False, False),
], ids=["yes", "Yes with a full stop", "YES with spaces", "y", "French oui", "Oui with an exclamation mark",
        "French o", "German ja", "German J", "Spanish si", "Spanish sí", "true", "French vrai", "German wahr", "ok",
        "check mark", "heavy check mark", "a cross as a tick", "1 as text", "the number 1", "1.0", "True",
        "no", "No with a full stop", "n", "French non", "German Nein", "false", "French faux", "German falsch",
        "0 as text", "a dash", "ballot x", "heavy ballot x", "the number 0", "False"])
def test_yes_and_no_in_several_languages(value, expected):
    assert parse_yes_no(value) == (expected, None)


@pytest.mark.parametrize("value, message", [
    ("maybe", "expected yes or no, got 'maybe'"),
    ("yes, same size", "expected yes or no, got 'yes, same size'"),
    (2, "expected yes or no, got 2"),
    (0.5, "expected yes or no, got 0.5"),
    ("#N/A", "expected yes or no, got '#N/A'"),
], ids=["a word that is neither", "a sentence", "the number 2", "a fraction", "an Excel error"])
def test_other_answers_are_not_yes_or_no(value, message):
    assert parse_yes_no(value) == (None, message)


@pytest.mark.parametrize("value", [None, "", " "], ids=["none", "empty text", "a space"])
def test_an_empty_cell_is_neither_yes_nor_no(value):
    assert parse_yes_no(value) == (None, None)


# ------------------------------------------------------------------ volumes: several numbers


@pytest.mark.parametrize("values, expected", [
    (["3x3x2"], (3.0, 3.0, 2.0)), (["3X3X2"], (3.0, 3.0, 2.0)), (["3 × 3 × 2"], (3.0, 3.0, 2.0)),
    (["3*3*2"], (3.0, 3.0, 2.0)), (["3 by 3 by 2"], (3.0, 3.0, 2.0)), (["(3, 3, 2)"], (3.0, 3.0, 2.0)),
    (["[3; 3; 2]"], (3.0, 3.0, 2.0)), (["3/3/2"], (3.0, 3.0, 2.0)), (["3x3x2 (WxHxD)"], (3.0, 3.0, 2.0)),
    (["F=3, P=1, S=1"], (3.0, 1.0, 1.0)), ([" 2 x 2 x 2 ", None], (2.0, 2.0, 2.0)),
    ([3, 3, 2], (3.0, 3.0, 2.0)), (["3", "3", "2"], (3.0, 3.0, 2.0)), ([3, None, 3, 2], (3.0, 3.0, 2.0)),
    (["5"], (5.0,)),
], ids=["x", "capital X", "times sign with spaces", "stars", "by", "a tuple", "brackets and semicolons",
        "slashes", "an annotation in brackets", "F, P, S written with letters", "one cell of two filled",
        "three cells", "three cells of text", "three filled cells among four", "one number asked for"])
def test_several_numbers_from_one_cell_or_several(values, expected):
    assert parse_numbers(values, len(expected)) == (expected, None)


@pytest.mark.parametrize("values, message", [
    (["3x3"], "expected 3 numbers (such as 3x3x3, or one per cell), got '3x3'"),
    (["3x3x2x1"], "expected 3 numbers (such as 3x3x3, or one per cell), got '3x3x2x1'"),
    (["axbxc"], "expected 3 numbers (such as 3x3x3, or one per cell), got 'axbxc'"),
    (["#VALUE!"], "the cell shows the Excel error #VALUE!"),
    ([3, "abc", 2], "expected a number, got 'abc'"),
    ([3, "#DIV/0!", 2], "the cell shows the Excel error #DIV/0!"),
    ([True, 3, 2], "expected a number, got True"),
    ([3, 3], "expected 3 numbers, got 2 filled cells"),
    (["3x3x2", 1, None], "expected 3 numbers, got 2 filled cells"),
    ([332, None, None], "expected 3 numbers, got 332"),
], ids=["two numbers for three", "four numbers for three", "letters", "an Excel error", "a word among numbers",
        "an Excel error among numbers", "a boolean among numbers", "two cells for three",
        "a volume and a number", "one number for three"])
def test_a_volume_that_is_not_count_numbers_says_what_it_got(values, message):
    assert parse_numbers(values, 3) == (None, message)


@pytest.mark.parametrize("values", [[], [None, None, None], ["", " ", None]], ids=["no cells", "empty cells",
                                                                                  "blank text"])
def test_empty_cells_are_no_volume_and_no_problem(values):
    assert parse_numbers(values, 3) == (None, None)
