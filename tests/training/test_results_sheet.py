"""The Results sheet without training: `write_results` on hand-made `Outcome`s (what Table 1, the Curves
sheet, the charts and the CSV show), `read_table1` reading it back, and `Outcome`'s metrics.json
(saved, loaded, and None for a half-written or foreign one).

The real training that writes these sheets is tests/training/test_results.py.
"""

import csv
import json
from dataclasses import replace

import openpyxl
import pytest

from xlcnn import WorkbookError, XlcnnError
from xlcnn.training.outcome import Outcome
from xlcnn.training.results_sheet import TABLE1_COLUMNS, read_table1, table1, table1_csv, write_results

CNN_ARCH = "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"


def outcome(name: str = "dense-1", **change) -> Outcome:
    """A finished experiment as metrics.json records it (numbers chosen so that no rounding is a tie)."""
    fields = dict(name=name, title="One dense layer", architecture="Layer 1 : DENSE, L2=0.05", params=30730,
                  epochs=3, batch_size=64, train_accuracy=0.4123, test_accuracy=0.3987, seconds_per_epoch=12.345,
                  total_seconds=37.04, train_images=45000,
                  history={"loss": [2.1, 1.9, 1.8], "val_loss": [2.0, 1.95, 1.9],
                           "accuracy": [0.3, 0.38, 0.41], "val_accuracy": [0.32, 0.36, 0.4]})
    fields.update(change)
    return Outcome(**fields)


def cnn() -> Outcome:
    return outcome("cnn", title="A simple CNN", architecture=CNN_ARCH, params=122570, epochs=2, batch_size=32,
                   train_accuracy=0.8771, test_accuracy=0.6304, seconds_per_epoch=40.0, total_seconds=80.04,
                   history={"loss": [1.5, 1.1], "val_loss": [1.4, 1.2], "accuracy": [0.45, 0.62],
                            "val_accuracy": [0.5, 0.6]})


INFO = {"Machine": "test box", "Keras": "3.0"}


def row(ws, r: int) -> list:
    return [ws.cell(r, c).value for c in range(1, 11)]


@pytest.fixture
def written(tmp_path):
    path = tmp_path / "cnn-results.xlsx"
    write_results(path, [outcome(), cnn()], INFO, pending=["deeper"])
    return path


# ------------------------------------------------------------------ Table 1


def test_table1_rounds_to_one_decimal_and_numbers_from_one():
    frame = table1([outcome(), cnn()])
    assert list(frame.columns) == TABLE1_COLUMNS
    assert frame.values.tolist() == [
        [1, "dense-1", "Layer 1 : DENSE, L2=0.05", 41.2, 39.9, 30730, 3, 64, 12.3, 37.0],
        [2, "cnn", CNN_ARCH, 87.7, 63.0, 122570, 2, 32, 40.0, 80.0],
    ]


def test_results_sheet_shows_table1(written):
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == ["Results", "Curves"]
    ws = wb["Results"]
    assert "Table 1" in ws["A1"].value and ws["A1"].font.bold
    assert row(ws, 2) == [None] * 10
    assert row(ws, 3) == TABLE1_COLUMNS and all(ws.cell(3, c).font.bold for c in range(1, 11))
    assert row(ws, 4) == [1, "dense-1", "Layer 1 : DENSE, L2=0.05", 41.2, 39.9, 30730, 3, 64, 12.3, 37.0]
    # one layer per line in the sheet, the row tall enough for the three of them
    assert row(ws, 5) == [2, "cnn", "Layer 1 : CONV D=32, w=h=3, S=1, P='same'\nLayer 2 : MAXPOOL\nLayer 3 : DENSE",
                          87.7, 63.0, 122570, 2, 32, 40.0, 80.0]
    assert ws.row_dimensions[4].height == 15 and ws.row_dimensions[5].height == 45
    assert ws.cell(5, 3).alignment.wrap_text and not ws.cell(5, 2).alignment.wrap_text
    assert all(ws.cell(5, c).alignment.vertical == "top" for c in range(1, 11))
    assert [ws.cell(4, c).number_format for c in (4, 5, 9, 10)] == ["0.0"] * 4  # 63.0 beside 62.7
    assert ws.cell(4, 6).number_format == "General"  # the parameter count stays a whole number


def test_results_sheet_lists_what_is_not_trained_yet_then_the_run(written):
    ws = openpyxl.load_workbook(written)["Results"]
    assert ws.cell(6, 2).value == "deeper"
    assert ws.cell(6, 3).value == "(not trained yet: run xlcnn results --resume)"
    assert ws.cell(6, 4).value is None  # no accuracy for it
    assert ws["A8"].value == "Run" and ws["A8"].font.bold
    assert [ws["B9"].value, ws["C9"].value, ws["B10"].value, ws["C10"].value] == ["Machine", "test box", "Keras", "3.0"]
    assert ws["A12"].value.startswith("Learning curves")


def test_a_long_layer_takes_two_lines(tmp_path):
    layer = "Layer 1 : " + "CONV D=32, w=h=3, S=1, P='same' + BN + DROPOUT 0.25, " * 2
    assert len(layer) == 116
    path = tmp_path / "r.xlsx"
    write_results(path, [outcome(architecture=layer)], {})
    assert openpyxl.load_workbook(path)["Results"].row_dimensions[4].height == 30  # 1 + 116 // 88 lines


def test_the_curves_sheet_holds_each_experiments_numbers(written):
    curves = openpyxl.load_workbook(written)["Curves"]
    assert curves["A1"].value == "dense-1" and curves["G1"].value == "cnn"  # one block of 5 columns, a gap
    keys = ["epoch", "loss", "val_loss", "accuracy", "val_accuracy"]
    assert [curves.cell(2, c).value for c in range(1, 6)] == keys
    assert [curves.cell(2, c).value for c in range(7, 12)] == keys
    assert [[curves.cell(r, c).value for c in range(1, 6)] for r in (3, 4, 5)] == [
        [1, 2.1, 2.0, 0.3, 0.32], [2, 1.9, 1.95, 0.38, 0.36], [3, 1.8, 1.9, 0.41, 0.4]]
    assert [[curves.cell(r, c).value for c in range(7, 12)] for r in (3, 4, 5)] == [
        [1, 1.5, 1.4, 0.45, 0.5], [2, 1.1, 1.2, 0.62, 0.6], [None] * 5]


def test_a_history_without_validation_leaves_those_columns_empty(tmp_path):
    path = tmp_path / "r.xlsx"
    write_results(path, [outcome(history={"loss": [2.0, 1.5], "accuracy": [0.2, 0.3]})], {})
    curves = openpyxl.load_workbook(path)["Curves"]
    assert [[curves.cell(r, c).value for c in range(1, 6)] for r in (3, 4)] == [[1, 2.0, None, 0.2, None],
                                                                              [2, 1.5, None, 0.3, None]]


def _title(chart) -> str:
    return chart.title.tx.rich.p[0].r[0].t


def test_two_charts_per_experiment_accuracy_on_the_whole_scale(written):
    charts = openpyxl.load_workbook(written)["Results"]._charts
    assert sorted(_title(c) for c in charts) == ["cnn: accuracy", "cnn: loss", "dense-1: accuracy", "dense-1: loss"]
    for c in charts:
        assert len(c.series) == 2 and all(not s.smooth and s.marker.symbol == "circle" for s in c.series)
        if _title(c).endswith("accuracy"):
            assert (c.y_axis.scaling.min, c.y_axis.scaling.max) == (0, 1)
        else:
            assert c.y_axis.scaling.max is None  # the loss keeps its own scale


def test_table1_csv_beside_the_workbook(written):
    assert table1_csv(written) == written.with_name("cnn-results-table1.csv")
    with open(table1_csv(written), newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [TABLE1_COLUMNS,
                    ["1", "dense-1", "Layer 1 : DENSE, L2=0.05", "41.2", "39.9", "30730", "3", "64", "12.3", "37.0"],
                    ["2", "cnn", CNN_ARCH, "87.7", "63.0", "122570", "2", "32", "40.0", "80.0"]]


@pytest.mark.parametrize("name, csv_name", [("cnn-results.xlsx", "cnn-results-table1.csv"),
                                            ("run.v2.xlsx", "run.v2-table1.csv"),
                                            ("results", "results-table1.csv")],
                         ids=["plain", "dots-in-the-name", "no-extension"])
def test_table1_csv_name(tmp_path, name, csv_name):
    assert table1_csv(tmp_path / "sub" / name) == tmp_path / "sub" / csv_name


def test_rewriting_keeps_the_other_sheets_and_replaces_the_results(tmp_path):
    path = tmp_path / "solution.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Ex1a"
    wb["Ex1a"]["A1"] = "keep me"
    wb.create_sheet("Results")["Z99"] = "old results"
    wb.create_sheet("Curves")["Z99"] = "old curves"
    wb.save(path)
    write_results(path, [outcome(), cnn()], {})
    write_results(path, [cnn()], {})  # a second run with one experiment: the first table is gone
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Results", "Curves", "Ex1a"]
    assert wb["Ex1a"]["A1"].value == "keep me"
    assert wb["Results"]["Z99"].value is None and wb["Curves"]["Z99"].value is None
    assert row(wb["Results"], 4)[:2] == [1, "cnn"] and wb["Results"].cell(5, 2).value is None
    assert [r["experiment"] for r in read_table1(path)] == ["cnn"]


def test_the_weights_picture_when_it_exists(tmp_path):
    from PIL import Image

    png = tmp_path / "weights.png"
    Image.new("RGB", (40, 8), "white").save(png)
    path = tmp_path / "r.xlsx"
    write_results(path, [outcome(weights_png=str(png)), cnn()], {})
    ws = openpyxl.load_workbook(path)["Results"]
    assert len(ws._images) == 1
    labels = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Weights of")]
    assert labels == ["Weights of dense-1 (per-channel normalised, as the practical's Figure 4)"]


def test_a_weights_picture_that_is_gone_is_left_out(tmp_path):
    path = tmp_path / "r.xlsx"
    write_results(path, [outcome(weights_png=str(tmp_path / "deleted.png"))], {})
    ws = openpyxl.load_workbook(path)["Results"]
    assert ws._images == [] and not any(str(c.value).startswith("Weights of") for c in ws["A"])


# ------------------------------------------------------------------ read_table1


def test_read_table1_reads_back_what_was_written(written):
    assert read_table1(written) == [
        {"experiment": "dense-1", "architecture": "Layer 1 : DENSE, L2=0.05", "train": 41.2, "test": 39.9},
        {"experiment": "cnn", "architecture": CNN_ARCH.replace("; ", "\n"), "train": 87.7, "test": 63.0},
    ]  # the experiment not trained yet, the run's details and the curves are not rows


def test_read_table1_of_nothing_trained_yet(tmp_path):
    path = tmp_path / "r.xlsx"
    write_results(path, [], {"Machine": "test box"}, pending=["dense-1", "cnn"])
    assert read_table1(path) == []


def _sheet(tmp_path, rows, title="Results"):
    path = tmp_path / "hand.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = title
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_read_table1_finds_the_columns_by_their_names(tmp_path):
    path = _sheet(tmp_path, [["My own table"],
                             ["Acc. test %", "Architecture", "Experiment", "Acc. train %"],
                             [61.5, "Layer 1 : CONV D=8, w=h=3, S=1, P='valid'", "tiny", 70.25],
                             [40, "Layer 1 : DENSE", "dense", 45]])
    assert read_table1(path) == [
        {"experiment": "tiny", "architecture": "Layer 1 : CONV D=8, w=h=3, S=1, P='valid'", "train": 70.25,
         "test": 61.5},
        {"experiment": "dense", "architecture": "Layer 1 : DENSE", "train": 45, "test": 40}]


def test_read_table1_ends_at_the_first_row_without_a_test_accuracy(tmp_path):
    header = ["#", "Experiment", "Architecture", "Acc. train %", "Acc. test %"]
    path = _sheet(tmp_path, [header,
                             [None, "skipped", "Layer 1 : DENSE", 1, "n/a"],  # before the table: skipped
                             [1, "a", "Layer 1 : DENSE", 50, 45],
                             [2, "b", None, 60, 55],  # no architecture: the table ends
                             [3, "c", "Layer 1 : DENSE", 70, 65]])
    assert [r["experiment"] for r in read_table1(path)] == ["a"]


READ_FAILURES = [
    pytest.param("Sheet1", [["Architecture", "Acc. test %"]], r"no 'Results' sheet \(expected the workbook written "
                 r"by xlcnn results\)", id="no-results-sheet"),
    pytest.param("Results", [["Experiment", "Architecture", "Test accuracy"], ["a", "DENSE", 40]],
                 r"the Results sheet has no 'Architecture' and 'Acc\. test %' columns", id="no-test-column"),
    pytest.param("Results", [], r"the Results sheet has no 'Architecture' and 'Acc\. test %' columns",
                 id="empty-results-sheet"),
]


@pytest.mark.parametrize("title, rows, message", READ_FAILURES)
def test_read_table1_refuses_a_workbook_without_table1(tmp_path, title, rows, message):
    path = _sheet(tmp_path, rows, title)
    with pytest.raises(XlcnnError, match=message):
        read_table1(path)


def test_read_table1_of_a_missing_file(tmp_path):
    with pytest.raises(WorkbookError, match="no such file"):
        read_table1(tmp_path / "nope.xlsx")


# ------------------------------------------------------------------ Outcome: metrics.json


def test_outcome_saved_and_loaded(tmp_path):
    folder = tmp_path / "runs" / "cnn"  # made when missing
    cnn().save(folder)
    assert Outcome.load(folder) == cnn()
    assert [p.name for p in folder.iterdir()] == ["metrics.json"]  # no temporary file left
    text = (folder / "metrics.json").read_text()
    assert text.endswith("}\n") and '\n  "name": "cnn",\n' in text  # indented, for a person to read


def test_outcome_of_a_folder_never_trained(tmp_path):
    assert Outcome.load(tmp_path) is None


def test_outcome_without_the_optional_fields_of_an_older_version(tmp_path):
    data = json.loads(json.dumps(outcome().__dict__))
    for key in ("history", "weights_png", "epoch_seconds"):
        del data[key]
    (tmp_path / "metrics.json").write_text(json.dumps(data))
    assert Outcome.load(tmp_path) == replace(outcome(), history={})


def _full() -> dict:
    return json.loads(json.dumps(outcome().__dict__))


UNREADABLE = [
    pytest.param(json.dumps(_full(), indent=2)[:200], id="half-written"),
    pytest.param("", id="empty-file"),
    pytest.param("null", id="null"),
    pytest.param("[1, 2]", id="a-list"),
    pytest.param("42", id="a-number"),
    pytest.param(json.dumps({k: v for k, v in _full().items() if k != "train_images"}), id="a-field-missing"),
    pytest.param(json.dumps({**_full(), "val_accuracy": 0.4}), id="a-field-of-another-version"),
    pytest.param(b"\xff\xfe\x00{", id="not-utf8"),
]


@pytest.mark.parametrize("content", UNREADABLE)
def test_outcome_of_a_half_written_or_foreign_metrics_json_is_none(tmp_path, content):
    target = tmp_path / "metrics.json"
    target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)
    assert Outcome.load(tmp_path) is None


def test_outcome_with_a_field_of_the_wrong_type_is_none(tmp_path):
    (tmp_path / "metrics.json").write_text(json.dumps({**_full(), "train_accuracy": "63%"}))
    assert Outcome.load(tmp_path) is None
