"""The `xlcnn` command line: exit codes and output, through click's CliRunner and a real process."""

import subprocess
import sys

from click.testing import CliRunner

from xlcnn import __version__
from xlcnn.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_answers_on_the_default_example():
    result = run("answers")
    assert result.exit_code == 0
    out = result.output
    assert "y[0] = 0*1 + 1*0 + 2*(-1) + 0 = -2" in out
    assert "S=1, P=1" in out and "2.5" in out  # the S=4, P=1 case does not fit
    assert "Number of activation maps: 2" in out
    assert "Output volume with S=1, P=0: 3x3x2" in out
    assert "Output volume with S=2, P=0: 2x2x2" in out
    assert "= 56" in out
    assert "map 2: y[2,2] = " in out and out.count("y[") == 5 + 3 + 2 + 7 + 2 + 18


def test_answers_with_a_bad_example_is_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[conv1d]\ninput = [1, "x"]\n')
    result = run("answers", "--example", str(bad))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {bad}: missing table [conv2d]"
    ]


def test_installed_console_script():
    proc = subprocess.run(
        [sys.executable, "-m", "xlcnn.cli", "answers", "--example", "/nonexistent.toml"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Error: /nonexistent.toml: no such example file"
    assert "Traceback" not in proc.stderr
