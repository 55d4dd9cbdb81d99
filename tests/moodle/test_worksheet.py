"""Moodle's grading worksheet: columns found across versions and languages, the export's bytes kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlcnn.moodle.worksheet import (
    WorksheetError,
    parse_columns,
    read_worksheet,
    write_worksheet,
)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "samples" / "Grades-TSM_DeLearn-PW04 CNN-group-4242.csv"
OLD = FIXTURES / "Grades-4.1-TSM_DeLearn-PW04 CNN-group-4242.csv"

# As Moodle 4.5.6 exported it (mdl_worksheet.php), byte for byte: BOM, fputcsv quoting, "\n".
MOODLE_45 = ('\ufeffIdentifier,"Full name","Email address",Status,Group,Grade,"Maximum grade","Grade can be changed",'
             '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
             '"Participant 4","Alice Martin",alice@example.com,"Submitted for grading -  - ",Group_01,,6.00,Yes,'
             '"Wednesday, 25 November 2026, 7:31 PM",-,\n'
             '"Participant 2","Nora Solo",nora@example.com,"No submission -  - ","Default group",,6.00,Yes,-,-,\n')
BLIND_45 = ('\ufeffIdentifier,Status,Grade,"Maximum grade","Grade can be changed","Last modified (submission)",'
            '"Last modified (grade)","Feedback comments"\n'
            '"Participant 6","Submitted for grading - Graded -  - ",2.50,6.00,Yes,'
            '"Wednesday, 25 November 2026, 7:33 PM",'
            '"Wednesday, 25 November 2026, 7:33 PM",\n')
FRENCH = ('\ufeffIdentifiant,"Nom complet",Statut,Note,"Note maximale","La note peut être modifiée",'
          '"Dernière modification (note)","Commentaires de feedback"\n'
          '"Participant 7","Ada Roy","Remis pour évaluation",,"6,00",Oui,-,\n'
          '"Participant 8","Bea Kim","Remis pour évaluation",,"6,00",Oui,-,\n')


def write(tmp_path: Path, text: str, name="w.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("text, columns, expected", [
    (MOODLE_45, {}, {"identifier": 0, "full_name": 1, "group": 4, "grade": 5, "max": 6, "feedback": 10}),
    (MOODLE_45.replace('"Maximum grade"', '"Maximum Grade"'), {}, {"max": 6}),  # 4.1 / 4.2
    (MOODLE_45.replace('"Feedback comments"', '" feedback   COMMENTS "'), {}, {"feedback": 10}),
    (BLIND_45, {}, {"identifier": 0, "grade": 2, "max": 3, "feedback": 7}),
    (FRENCH, {"grade": "Note", "max": "note maximale", "feedback": "Commentaires de feedback"},
     {"identifier": 0, "grade": 3, "max": 4, "feedback": 7}),  # identifier found by its values
], ids=["4.5", "4.1-header", "case-and-spaces", "blind", "french-with-columns"])
def test_columns_are_found(tmp_path, text, columns, expected):
    sheet = read_worksheet(write(tmp_path, text), columns)
    assert {k: sheet.columns[k] for k in expected} == expected


@pytest.mark.parametrize("text, columns, match", [
    ("Name,Points\nA,1\n", {}, r"no 'Identifier', 'Grade', 'Feedback comments' column \(found: 'Name', 'Points'\)"),
    (FRENCH, {}, r"no 'Grade', 'Feedback comments' column .*'Note maximale'.*--worksheet-columns grade="),
    (FRENCH, {"grade": "Notes"}, r"--worksheet-columns grade='Notes': no such column \(found: 'Identifiant'"),
    (MOODLE_45.replace(',"Feedback comments"', '').replace(",-,\n", ",-\n"), {},
     r"enable feedback comments in the assignment"),
    ("", {}, r"the grading worksheet is empty"),
], ids=["not-a-worksheet", "french-without-columns", "wrong-column-name", "no-feedback-column", "empty"])
def test_worksheet_errors(tmp_path, text, columns, match):
    with pytest.raises(WorksheetError, match=match):
        read_worksheet(write(tmp_path, text), columns)


@pytest.mark.parametrize("text, match", [
    ("grade", r"'grade' is not name=header"),
    ("marks=Note", r"unknown column 'marks'"),
], ids=["no-equals", "unknown"])
def test_worksheet_columns_option_errors(text, match):
    with pytest.raises(WorksheetError, match=match):
        parse_columns(text)


def test_worksheet_columns_option_keeps_commas_in_headers():
    assert parse_columns("grade=Note, sur 6,feedback=Commentaires") == {"grade": "Note, sur 6",
                                                                        "feedback": "Commentaires"}


@pytest.mark.parametrize("source", [SAMPLE, OLD, "moodle45", "blind", "french"], ids=str)
def test_an_unchanged_worksheet_is_written_back_byte_for_byte(tmp_path, source):
    texts = {"moodle45": MOODLE_45, "blind": BLIND_45, "french": FRENCH}
    path = write(tmp_path, texts[source]) if source in texts else source
    columns = {"grade": "Note", "max": "Note maximale",
               "feedback": "Commentaires de feedback"} if source == "french" else {}
    write_worksheet(read_worksheet(path, columns), tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == Path(path).read_bytes()


def test_only_the_changed_fields_change_quoted_as_moodle_quotes(tmp_path):
    sheet = read_worksheet(write(tmp_path, MOODLE_45))
    row = sheet.row_for("4")
    sheet.set(row, "grade", sheet.format_grade(5.5))
    sheet.set(row, "feedback", 'Exercise 1: 26/28 points. 1D case 2: wrong, expected "2".')
    write_worksheet(sheet, tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_bytes().decode("utf-8").split("\n")
    original = MOODLE_45.split("\n")
    assert lines[0] == original[0] and lines[2:] == original[2:]
    assert lines[1] == ('"Participant 4","Alice Martin",alice@example.com,"Submitted for grading -  - ",Group_01,5.50,'
                        '6.00,Yes,"Wednesday, 25 November 2026, 7:31 PM",-,'
                        '"Exercise 1: 26/28 points. 1D case 2: wrong, expected ""2""."')


def test_decimal_comma_and_participants(tmp_path):
    sheet = read_worksheet(write(tmp_path, FRENCH), {"grade": "Note", "max": "Note maximale",
                                                     "feedback": "Commentaires de feedback",
                                                     "full_name": "Nom complet"})
    assert sheet.translated and not sheet.blind
    assert sheet.decimal == "," and sheet.format_grade(4.5) == "4,50"
    assert [(p.uniqueid, p.full_name, p.max_grade) for p in sheet.participants()] == [
        ("7", "Ada Roy", 6.0), ("8", "Bea Kim", 6.0)]


def test_blind_worksheet_is_blind(tmp_path):
    sheet = read_worksheet(write(tmp_path, BLIND_45))
    assert sheet.blind and [(p.uniqueid, p.full_name) for p in sheet.participants()] == [("6", "")]
    assert not read_worksheet(write(tmp_path, MOODLE_45)).blind
    translated = read_worksheet(write(tmp_path, FRENCH), {"grade": "Note", "feedback": "Commentaires de feedback"})
    assert not translated.blind  # a column not named is not a blind export
