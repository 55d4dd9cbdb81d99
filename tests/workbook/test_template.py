"""`xlcnn template`: the student workbook, its protection and names, variants and signatures."""

import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.factories import make_submission
from xlcnn import WorkbookError, XlcnnError
from xlcnn.cli import main
from xlcnn.files.opening import open_workbook
from xlcnn.handout.build import build_workbook, layout_text
from xlcnn.handout.examples import load_example
from xlcnn.handout.groups import read_groups
from xlcnn.handout.signing import META_SHEET, sign, verify
from xlcnn.handout.variants import make_variant
from xlcnn.layout.model import default_layout, resolve
from xlcnn.layout.regions import RegionId
from xlcnn.workbook.reading import read_workbook


@pytest.fixture
def student(tmp_path):
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "stud.xlsx")])
    assert result.exit_code == 0, result.output
    return tmp_path / "stud.xlsx"


def test_shipped_workbook_is_what_the_command_writes(student):
    shipped = (Path(__file__).resolve().parents[2] / "workbooks" / "cnn-ex1-stud.xlsx").read_bytes()
    assert hashlib.sha256(student.read_bytes()).digest() == hashlib.sha256(shipped).digest()


def test_shipped_default_layout_matches_the_template():
    from importlib import resources

    text = resources.files("xlcnn.data").joinpath("layout.toml").read_text()
    assert text == layout_text(load_example())


def test_every_region_has_a_defined_name(student):
    wb = openpyxl.load_workbook(student)
    for region, role, ref in default_layout().regions():  # noqa: B007 - unused; left unrenamed
        area = resolve(wb, ref, region, "stud.xlsx")
        assert area.sheet in ("Ex1a", "Ex1b"), region


def test_answer_cells_unlocked_and_coloured_everything_else_protected(student):
    wb = openpyxl.load_workbook(student)
    layout = default_layout()
    answer_cells = set()
    for region, role, ref in layout.regions():
        area = resolve(wb, ref, region, "stud.xlsx")
        for coord in area.coords():
            cell = wb[area.sheet][coord]
            if role == "answer":
                answer_cells.add((area.sheet, coord))
                assert cell.protection.locked is False, (region, coord)
                assert cell.fill.start_color.rgb.endswith("FFF2CC"), (region, coord)
                assert cell.value is None
            elif role == "input":
                assert cell.protection.locked is not False
    answer_cells.add(("Ex1a", "C4"))  # the group / names cell: for the students, not a question
    assert wb.defined_names["GroupNames"].attr_text == "'Ex1a'!$C$4"
    for name in ("Ex1a", "Ex1b"):
        ws = wb[name]
        assert ws.protection.sheet and not ws.protection.password
        for row in ws.iter_rows():
            for cell in row:
                if (name, cell.coordinate) not in answer_cells and type(cell).__name__ != "MergedCell":
                    assert cell.protection.locked is not False, cell.coordinate
    validated = {str(r) for dv in wb["Ex1a"].data_validations.dataValidation for r in dv.sqref.ranges}
    assert "C10:G10" in validated  # case 1 output cells take numbers
    assert wb[META_SHEET].sheet_state == "veryHidden"


def test_template_reads_back_as_the_example(student):
    reading = read_workbook(open_workbook(student))
    ex, default = reading.example, load_example()
    for attr in ("x1", "w1", "x2", "w2", "b2"):
        np.testing.assert_array_equal(getattr(ex, attr), getattr(default, attr))
    assert ex.cases1 == default.cases1 and ex.values_case == (1, 0)


def test_teachers_example_changes_the_workbook(tmp_path):
    from xlcnn.handout.examples import default_example_text

    mine = tmp_path / "mine.toml"
    mine.write_text(default_example_text().replace("cases = [[1, 0], [2, 0], [4, 0], [1, 1], [4, 1]]",
                                                    "cases = [[1, 0], [3, 2]]"))
    out = tmp_path / "mine.xlsx"
    result = CliRunner().invoke(main, ["template", "--example", str(mine), "-o", str(out)])
    assert result.exit_code == 0 and f"use --layout {tmp_path / 'mine.layout.toml'}" in result.output
    from xlcnn.layout.model import load_layout
    from xlcnn.workbook.reading import embedded_layout

    for layout in (embedded_layout(open_workbook(out)), load_layout(tmp_path / "mine.layout.toml")):
        reading = read_workbook(open_workbook(out), layout)  # the teacher's own file, or the layout handed out
        assert reading.example.cases1 == ((1, 0), (3, 2))
        assert reading.areas[RegionId.parse("conv1d.cases[2].output")].size == 7 + 4 - 3 + 1
    book = open_workbook(out)  # without a layout, the one the file carries is not trusted
    with pytest.raises(WorkbookError):
        read_workbook(book)
    assert book.notes and "embedded in the workbook differs from the template's" in book.notes[0]


def test_variants_are_deterministic_different_and_signed(tmp_path, monkeypatch):
    groups = tmp_path / "groups.csv"
    groups.write_text("Group;Members\nGroupe A;alice\nGroupe B;bob\nGroupe C;carol\n")
    monkeypatch.setenv("XLCNN_SECRET", "s3cret")
    runner = CliRunner()
    for out in ("v1", "v2"):
        result = runner.invoke(main,
                               ["template", "--groups", str(groups), "--seed", "7", "--out-dir", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "v1").glob("*.xlsx"))
    assert files == ["cnn-ex1-stud-Groupe-A.xlsx", "cnn-ex1-stud-Groupe-B.xlsx", "cnn-ex1-stud-Groupe-C.xlsx"]
    for name in files:
        assert (tmp_path / "v1" / name).read_bytes() == (tmp_path / "v2" / name).read_bytes()
    readings = [read_workbook(open_workbook(tmp_path / "v1" / f)) for f in files]
    inputs = {r.example.x1.tobytes() + r.example.w2.tobytes() for r in readings}
    assert len(inputs) == 3
    for r, group in zip(readings, ("Groupe A", "Groupe B", "Groupe C"), strict=False):
        assert r.meta["variant"] == group and r.meta["seed"] == "7"
        assert verify(r.example, group, r.meta["signature"], b"s3cret")
        assert not verify(r.example, group, r.meta["signature"], b"other secret")
        assert not verify(r.example, "Groupe Z", r.meta["signature"], b"s3cret")


def test_variant_filters_show_a_flipped_kernel():
    base = load_example()
    for g in range(30):
        v = make_variant(base, f"g{g}", 1)
        assert not np.array_equal(v.w1, v.w1[::-1]) and not np.array_equal(v.w1, -v.w1[::-1])
        for k in range(v.n_filters):
            for c in range(v.x2.shape[2]):
                w = v.w2[:, :, c, k]
                assert not np.array_equal(w, w[::-1, ::-1])


def test_signature_covers_every_input():
    ex = load_example()
    sig = sign(ex, "G", b"k")
    changed = make_variant(ex, "G", 0)
    assert sign(changed, "G", b"k") != sig
    assert verify(ex, "G", sig, b"k")


def test_variants_need_a_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("XLCNN_SECRET", raising=False)
    groups = tmp_path / "groups.csv"
    groups.write_text("group\nA\n")
    result = CliRunner().invoke(main, ["template", "--groups", str(groups), "--out-dir", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert "set XLCNN_SECRET or pass --secret-file" in result.output


GROUPS = [
    pytest.param("group,members\nA,x\nB,y\n", ["A", "B"], id="header"),
    pytest.param("A\nB\n", ["A", "B"], id="no-header"),
    pytest.param("\ufeffName;Size\nTeam 1;3\nTeam 2;2\n", ["Team 1", "Team 2"], id="bom-semicolon-name"),
    pytest.param("members\tgroup\nx\tG1\ny\tG2\n", ["G1", "G2"], id="tab-group-column"),
]


@pytest.mark.parametrize("text, expected", GROUPS)
def test_read_groups(tmp_path, text, expected):
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    assert read_groups(path) == expected


def test_read_groups_refuses_duplicates(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("group\nA\nB\nA\n")
    with pytest.raises(XlcnnError, match=r"group names appear twice: A"):
        read_groups(path)


def test_build_workbook_meta_without_variant():
    wb = build_workbook(load_example())
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["format"] == "xlcnn-ex1/1" and meta["variant"] is None or meta["variant"] == ""


def test_filled_factory_is_all_right(tmp_path):
    from xlcnn.workbook.checking import check_file

    assert check_file(make_submission(tmp_path)).all_right


@pytest.mark.slow  # writes and checks a class of signed variants
def test_check_tells_when_a_variants_inputs_were_changed(tmp_path, monkeypatch):
    from xlcnn.workbook.checking import check_file
    from xlcnn.workbook.solution import solve_file

    monkeypatch.setenv("XLCNN_SECRET", "s3cret")
    groups = tmp_path / "groups.csv"
    groups.write_text("group\nG1\n")
    CliRunner().invoke(main, ["template", "--groups", str(groups), "--out-dir", str(tmp_path)])
    solve_file(tmp_path / "cnn-ex1-stud-G1.xlsx", tmp_path / "sol.xlsx")
    report = check_file(tmp_path / "sol.xlsx")
    assert report.inputs == "signed" and report.all_right
    wb = openpyxl.load_workbook(tmp_path / "cnn-ex1-stud-G1.xlsx")
    wb["Ex1a"]["C5"] = wb["Ex1a"]["C5"].value + 1  # the student "simplifies" a given number
    wb.save(tmp_path / "changed.xlsx")
    solve_file(tmp_path / "changed.xlsx", tmp_path / "changed-sol.xlsx")
    report = check_file(tmp_path / "changed-sol.xlsx")
    assert report.inputs == "changed" and not report.all_right
    assert report.problems == ["inputs changed: the given numbers differ from those the workbook was issued with"]
    monkeypatch.delenv("XLCNN_SECRET")
    assert check_file(tmp_path / "changed-sol.xlsx").inputs == "unchecked"
