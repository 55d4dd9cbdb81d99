"""What people see: every workbook xlcnn writes, printed by the real LibreOffice (``make gallery``),
within its page target, with the properties a reader relies on."""

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]

# the most pages each workbook may print on (issue: template and solution one page per sheet)
TARGETS = {"template": 2, "solution": 2, "feedback-with-mistakes": 3, "feedback-held": 3, "gradebook": 11,
           "results": 4, "demo": 3}
# the smallest text each printed page may have (median word height in points, measured in the PDF)
READABLE = {"gradebook": 7.0, "feedback-with-mistakes": 7.0, "feedback-held": 7.0, "template": 7.0, "solution": 7.0}


@pytest.fixture(scope="module")
def gallery(tmp_path_factory, soffice, keras):
    from tests.support import gallery as script

    out = tmp_path_factory.mktemp("gallery")
    return out, script.build(out, with_results=True)


def test_every_workbook_prints_within_its_page_target(gallery):
    out, pages = gallery
    assert set(pages) == set(TARGETS)
    for name, most in TARGETS.items():
        assert 1 <= pages[name] <= most, (name, pages[name])
        assert (out / f"{name}.pdf").exists()
        assert len(list(out.glob(f"{name}-*.png"))) == pages[name]  # one picture per printed page


def test_printed_text_is_readable(gallery):
    """Measured from the PDF, not assumed from the settings: every page of the gradebook (each sheet a
    TA prints), the feedback and the handout prints its text at 7 pt or more."""
    from tests.support import gallery as script

    out, _ = gallery
    for name, smallest in READABLE.items():
        sizes = script.text_sizes(out / f"{name}.pdf")
        assert sizes and min(sizes) >= smallest, (name, sizes)


def test_gradebook_sheets_are_tables_a_ta_can_sort(gallery):
    out, _ = gallery
    wb = openpyxl.load_workbook(out / "workbooks" / "gradebook.xlsx")
    for title in ("Grades", "Questions", "Notebook", "Models"):
        ws = wb[title]
        assert ws.freeze_panes == "B2" and ws.auto_filter.ref and ws.print_title_rows == "$1:$1", title


def test_every_sheet_is_set_to_print_one_page_wide_with_a_header(gallery):
    out, _ = gallery
    for name in TARGETS:
        wb = openpyxl.load_workbook(out / "workbooks" / f"{name}.xlsx")
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, (name, ws.title)
            assert ws.oddHeader.center.text or ws.oddHeader.left.text, (name, ws.title)


def test_solution_is_marked_on_every_sheet(gallery):
    out, _ = gallery
    wb = openpyxl.load_workbook(out / "workbooks" / "solution.xlsx")
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert ws.oddHeader.left.text == "SOLUTION" and ws["A1"].value.startswith("SOLUTION")


def test_feedback_colours_every_answer_cell(gallery):
    from xlcnn.grading.feedback import FILLS
    from xlcnn.layout.model import default_layout, resolve

    out, _ = gallery
    wb = openpyxl.load_workbook(out / "workbooks" / "feedback-with-mistakes.xlsx")
    colours = set(FILLS.values())
    for region, role, ref in default_layout().regions():
        if role != "answer":
            continue
        area = resolve(wb, ref, region, "feedback")
        for coord in area.coords():
            assert wb[area.sheet][coord].fill.start_color.rgb[-6:] in colours, (region, coord)
    held = openpyxl.load_workbook(out / "workbooks" / "feedback-held.xlsx")["Feedback"]
    assert "A person will set your grade" in held["A2"].value


def test_results_curves_have_markers_no_smoothing_and_a_whole_accuracy_axis(gallery):
    out, _ = gallery
    ws = openpyxl.load_workbook(out / "workbooks" / "results.xlsx")["Results"]
    assert ws._charts
    for chart in ws._charts:
        for series in chart.series:
            assert series.smooth is False and series.marker.symbol == "circle"
        if "accuracy" in chart.title.tx.rich.p[0].r[0].t:
            assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (0, 1)


def test_demo_asks_for_no_recalculation(gallery):
    out, _ = gallery
    with zipfile.ZipFile(out / "workbooks" / "demo.xlsx") as zf:
        calc = re.search(rb"<calcPr[^>]*>", zf.read("xl/workbook.xml")).group(0)
    assert b'fullCalcOnLoad="1"' not in calc
