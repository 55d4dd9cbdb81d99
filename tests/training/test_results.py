"""`xlcnn results`: the CIFAR-10 loader, the declared models, real training on small data.

CIFAR-10 cannot be downloaded here: the loader is tested on small archives in CIFAR-10's
own format that the tests write, and the models on real data a package ships
(scikit-learn's digits).
"""

import json
import os
import pickle
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import require
from xlcnn.cli import main
from xlcnn.training.cifar import DataError, load, load_local, md5, write_archive
from xlcnn.training.experiments import (
    ExperimentError,
    load_experiments,
    parse_experiments,
)

pytestmark = pytest.mark.keras
ROOT = Path(__file__).resolve().parents[2]


def small(n_train=300, n_test=100, seed=0):
    r = np.random.default_rng(seed)
    return (r.integers(0, 256, (n_train, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, n_train),
            r.integers(0, 256, (n_test, 32, 32, 3), dtype=np.uint8), r.integers(0, 10, n_test))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("cifar") / "cifar-10-python.tar.gz"
    data = small()
    checksum = write_archive(path, *data)
    return path, checksum, data


# ------------------------------------------------------------------ the loader


def test_loader_reads_the_archive_in_place(archive):
    path, checksum, (x, y, xt, yt) = archive
    before = md5(path)
    ds = load_local(path, expected_md5=checksum, file_md5=None)
    np.testing.assert_array_equal(ds.x_train, x)
    np.testing.assert_array_equal(ds.y_train, y)
    np.testing.assert_array_equal(ds.x_test, xt)
    assert ds.x_train.dtype == np.uint8 and ds.x_train.shape == (300, 32, 32, 3)
    assert ds.class_names[0] == "airplane" and ds.class_names[9] == "truck"
    assert md5(path) == before and path.exists()  # never modified, never deleted


def test_loader_reads_the_extracted_folder(archive, tmp_path):
    path, _, (x, y, xt, yt) = archive
    with tarfile.open(path) as tar:
        tar.extractall(tmp_path, filter="data")
    folder = tmp_path / "cifar-10-batches-py"
    files = {f.name: md5(f) for f in folder.iterdir()}
    for target in (folder, tmp_path):  # the folder itself or its parent
        ds = load_local(target, expected_md5=None, file_md5=files)
        np.testing.assert_array_equal(ds.x_test, xt)
    with pytest.raises(DataError, match=r"data_batch_1: checksum mismatch .* not the official CIFAR-10"):
        load_local(folder)  # checked against the official files' checksums
    (folder / "data_batch_3").unlink()
    with pytest.raises(DataError, match=r"data_batch_3 is missing"):
        load_local(folder, None, None)


def test_loader_checks_the_official_checksum(archive):
    path, _, _ = archive
    with pytest.raises(DataError,
                       match=r"checksum mismatch \(MD5 [0-9a-f]{32}, expected c58f30108f718f92721af3b95e74349a\)"):
        load_local(path)


def test_loader_refuses_a_pickle_that_runs_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch pwned",))

    path = tmp_path / "evil.tar.gz"
    blob = pickle.dumps({b"data": Evil(), b"labels": []})
    with tarfile.open(path, "w:gz") as tar:
        for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]:
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            import io

            tar.addfile(info, io.BytesIO(blob))
    with pytest.raises(DataError, match=r"refused: the file asks for (posix|os|nt)\.system"):
        load_local(path, None, None)
    assert not Path("pwned").exists()


def test_loader_missing_and_damaged(tmp_path, archive):
    with pytest.raises(DataError, match=r"no such file or folder; download https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"):
        load_local(tmp_path / "nope.tar.gz")
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive[0].read_bytes()[:5000])
    with pytest.raises(DataError, match=r"not a readable tar.gz archive"):
        load_local(broken, None, None)


def test_offline_without_a_copy_says_what_to_download(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(DataError, match=r"CIFAR-10 is not available offline: download "
                                        r"https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz \(163 MB\)"):
        load(None, offline=True)
    result = CliRunner().invoke(main, ["results", "--offline", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1 and "Error: CIFAR-10 is not available offline" in result.output


# ------------------------------------------------------------------ the declared experiments

ARCHITECTURES = [
    ("dense-1", "Layer 1 : DENSE, L2=0.05"),
    ("dense-2", "Layer 1 : DENSE 128; Layer 2 : DENSE"),
    ("mlp-tuned", "Layer 1 : DENSE 1024 + DROPOUT 0.2; Layer 2 : DENSE 512 + DROPOUT 0.2; "
                  "Layer 3 : DENSE 256 + DROPOUT 0.2; Layer 4 : DENSE"),
    ("cnn-simple", "Layer 1 : CONV D=32, w=h=3, S=1, P='same'; Layer 2 : MAXPOOL; Layer 3 : DENSE"),
    ("cnn-2x2", "Layer 1 : CONV D=16, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=16, w=h=3, S=1, P='same' + BN; "
                "Layer 3 : MAXPOOL; Layer 4 : CONV D=32, w=h=3, S=1, P='same' + BN; "
                "Layer 5 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL; Layer 7 : DENSE"),
    ("cnn-vgg3", "Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; "
                 "Layer 3 : MAXPOOL + DROPOUT 0.2; Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; "
                 "Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 6 : MAXPOOL + DROPOUT 0.3; "
                 "Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 8 : CONV D=128, w=h=3, S=1, P='same' + BN; "
                 "Layer 9 : MAXPOOL + DROPOUT 0.4; Layer 10 : DENSE"),
    ("cnn-vgg3-aug", "Augmentation: horizontal flip, shift 10%; Layer 1 : CONV D=32, w=h=3, S=1, P='same' + BN; "
                     "Layer 2 : CONV D=32, w=h=3, S=1, P='same' + BN; Layer 3 : MAXPOOL + DROPOUT 0.2; "
                     "Layer 4 : CONV D=64, w=h=3, S=1, P='same' + BN; Layer 5 : CONV D=64, w=h=3, S=1, P='same' + BN; "
                     "Layer 6 : MAXPOOL + DROPOUT 0.3; Layer 7 : CONV D=128, w=h=3, S=1, P='same' + BN; "
                     "Layer 8 : CONV D=128, w=h=3, S=1, P='same' + BN; Layer 9 : MAXPOOL + DROPOUT 0.4; "
                     "Layer 10 : DENSE"),
]


@pytest.mark.parametrize("name, expected", ARCHITECTURES, ids=[a[0] for a in ARCHITECTURES])
def test_every_shipped_experiment_builds(keras, name, expected):
    from xlcnn.training.models import architecture, build_model, compile_model

    [exp] = [e for e in load_experiments() if e.name == name]
    model = build_model(exp)
    compile_model(model, exp, 100)
    assert architecture(model) == expected
    assert model.output_shape == (None, 10)


def test_shipped_table_covers_the_practical():
    exps = {e.name: e for e in load_experiments()}
    one = exps["dense-1"]
    assert (one.epochs, one.batch_size, one.optimizer, one.layers[-1]["l2"]) == (5, 128, "adam", 0.05)
    assert one.weights_picture
    two = exps["dense-2"]
    assert (two.epochs, two.batch_size, two.layers[1]["units"]) == (30, 128, 128)
    deeper = [e for e in exps.values() if e.name.startswith("cnn-") and e.name != "cnn-simple"]
    assert len(deeper) >= 3 and all(any(layer.get("batchnorm") for layer in e.layers) for e in deeper)


EXPERIMENT_ERRORS = [
    ("[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='dense', units=3, activation='softmax'}]",
     "the last layer must be a dense layer of 10 units"),
    ("[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='conv2', filters=3}]", "unknown layer type 'conv2'"),
    ("[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='conv', filters=0}]",
     "filters must be a whole number >= 1, got 0"),
    ("[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='dense', units=10, activation='softmax', size=2}]",
     "a dense layer has no key size"),
    ("[[experiment]]\nname='a'\nlayers=[{type='dense', units=10, activation='softmax'}]", "missing epochs"),
    ("[[experiment]]\nname='a'\nepochs=1\noptimizer='lbfgs'\nlayers=[{type='dense', units=10, activation='softmax'}]",
     "optimizer must be adam, adamw or sgd"),
    ("[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='dense', units=10, activation='softmax'}]\n"
     "[[experiment]]\nname='a'\nepochs=1\nlayers=[{type='dense', units=10, activation='softmax'}]",
     "the name 'a' is used twice"),
]


@pytest.mark.parametrize("text, match", EXPERIMENT_ERRORS)
def test_experiment_file_errors(text, match):
    with pytest.raises(ExperimentError, match=match):
        parse_experiments(text, "mine.toml")


# ------------------------------------------------------------------ end to end, real training

SMALL_EXPERIMENTS = """
[defaults]
seed = 7
batch_size = 64
[[experiment]]
name = "dense-1"
title = "One-layer network"
epochs = 2
weights_picture = true
layers = [{ type = "flatten" }, { type = "dense", units = 10, activation = "softmax", l2 = 0.05 }]
[[experiment]]
name = "cnn-tiny"
title = "A tiny CNN"
epochs = 2
layers = [{ type = "conv", filters = 4, kernel = 3, padding = "same", batchnorm = true },
          { type = "maxpool", size = 2 }, { type = "flatten" },
          { type = "dense", units = 10, activation = "softmax" }]
[[experiment]]
name = "dense-long"
title = "A dense network trained for many epochs"
epochs = 25
layers = [{ type = "flatten" }, { type = "dense", units = 16, activation = "relu" },
          { type = "dense", units = 10, activation = "softmax" }]
"""


def results_cmd(archive, out: Path, *extra):
    path, checksum, _ = archive
    return [sys.executable, "-m", "xlcnn.cli", "results", "--data", str(path), "--data-md5", checksum,
            "--experiments", str(out.parent / "exp.toml"), "-o", str(out), *extra]


def test_end_to_end_writes_the_results_sheet_into_an_existing_workbook(archive, tmp_path, keras):
    (tmp_path / "exp.toml").write_text(SMALL_EXPERIMENTS)
    target = tmp_path / "solution.xlsx"
    CliRunner().invoke(main, ["template", "-o", str(target)])
    before = openpyxl.load_workbook(target)
    refused = subprocess.run(results_cmd(archive, target, "--only", "dense-1"), capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1 and "solution.xlsx: exists; pass --force to overwrite it" in refused.stderr
    proc = subprocess.run(results_cmd(archive, target, "--only", "dense-1", "--only", "cnn-tiny", "--force"),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[1/2] dense-1" in proc.stdout and "estimated time left" in proc.stdout
    assert "oneDNN" not in proc.stderr and "I0000" not in proc.stderr and "E0000" not in proc.stderr  # quiet
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[:2] == ["Results", "Curves"] and {"Ex1a", "Ex1b"} <= set(wb.sheetnames)
    for name in ("Ex1a", "Ex1b"):  # the other sheets keep their cells
        assert ([[c.value for c in r] for r in wb[name].iter_rows()]
                == [[c.value for c in r] for r in before[name].iter_rows()])
    ws = wb["Results"]
    assert [c.value for c in ws[3]][:5] == ["#", "Experiment", "Architecture", "Acc. train %", "Acc. test %"]
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(1, 11)] for r in (4, 5)}
    assert rows["dense-1"][2] == "Layer 1 : DENSE, L2=0.05"
    assert rows["cnn-tiny"][2] == "Layer 1 : CONV D=4, w=h=3, S=1, P='same' + BN\nLayer 2 : MAXPOOL\nLayer 3 : DENSE"
    assert ws.row_dimensions[5].height >= 45 and ws.cell(5, 5).number_format == "0.0"  # one layer per line, shown
    charts = ws._charts
    assert all(not s.smooth and s.marker.symbol == "circle" for c in charts for s in c.series)
    accuracy = [c for c in charts if "accuracy" in str(c.title.tx.rich.p[0].r[0].t)]
    assert accuracy and all((c.y_axis.scaling.min, c.y_axis.scaling.max) == (0, 1) for c in accuracy)
    runs = tmp_path / "solution-runs"
    metrics = json.loads((runs / "cnn-tiny" / "metrics.json").read_text())
    assert rows["cnn-tiny"][4] == round(100 * metrics["test_accuracy"], 1)  # the table shows what was measured
    assert 0 <= rows["cnn-tiny"][3] <= 100 and rows["cnn-tiny"][5] == metrics["params"]
    assert len(metrics["history"]["val_accuracy"]) == 2 and (runs / "cnn-tiny" / "summary.txt").exists()
    curves = wb["Curves"]
    assert curves["A1"].value == "dense-1" and curves["A4"].value == 2
    import pandas as pd

    table = pd.read_csv(tmp_path / "solution-table1.csv")  # Table 1 as a DataFrame, beside the workbook
    assert list(table["Experiment"]) == ["dense-1", "cnn-tiny"]
    assert list(table["Acc. test %"]) == [rows["dense-1"][4], rows["cnn-tiny"][4]]
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 4  # loss and accuracy per experiment
    assert any(n.startswith("xl/media/") and n.endswith(".png") for n in names)  # the weights picture
    from PIL import Image

    img = Image.open(runs / "dense-1" / "weights.png")
    assert img.size[0] > 3 * img.size[1]  # ten templates side by side


def test_resume_after_ctrl_c_trains_only_what_is_missing(archive, tmp_path, keras):
    (tmp_path / "exp.toml").write_text(SMALL_EXPERIMENTS)
    out = tmp_path / "r.xlsx"
    cmd = results_cmd(archive, out, "--only", "dense-1", "--only", "dense-long")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = tmp_path / "r-runs" / "dense-1" / "metrics.json"
    deadline = time.monotonic() + 300
    while not first.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # Ctrl-C while the second experiment trains
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr[-2000:]
    assert "run the same command with --resume" in stderr
    assert not (tmp_path / "r-runs" / "dense-long" / "metrics.json").exists()
    assert openpyxl.load_workbook(out)["Results"]["B4"].value == "dense-1"  # saved after the first one
    stamp = first.stat().st_mtime_ns
    done = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "resuming: 1 experiment(s) already done" in done.stdout
    assert "[1/2] dense-1" not in done.stdout and "[2/2] dense-long" in done.stdout
    assert first.stat().st_mtime_ns == stamp
    ws = openpyxl.load_workbook(out)["Results"]
    assert [ws["B4"].value, ws["B5"].value] == ["dense-1", "dense-long"]


def test_the_simple_cnn_learns_real_digits(keras, tmp_path):
    require("sklearn", "dev")
    from sklearn.datasets import load_digits

    from xlcnn.training.runner import train_one

    digits = load_digits()
    images = digits.images / 16.0  # (1797, 8, 8) in [0, 1]
    big = np.kron(images, np.ones((4, 4)))[..., None].repeat(3, axis=-1).astype(np.float32)  # 32x32x3
    labels = np.eye(10, dtype=np.float32)[digits.target]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(big))
    train, test = order[:1400], order[1400:]
    [exp] = [e for e in load_experiments() if e.name == "cnn-simple"]
    from dataclasses import replace

    exp = replace(exp, epochs=12)
    outcome = train_one(exp, (big[train], labels[train], big[test], labels[test]), tmp_path / "digits", verbose=0)
    assert outcome.test_accuracy >= 0.90, outcome.test_accuracy
