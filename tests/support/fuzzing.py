"""Hostile files through `xlcnn check` and `xlcnn grade` as a user runs them: the corpus written to a
folder, each file checked in one process under a time limit, all of them graded as one Moodle
download with good canary submissions in a new process whose memory is sampled. Used by
``tests/grading/test_hostile_files.py`` and ``scripts/fuzz.py`` (larger, randomised)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from tests.support.factories import make_submission
from tests.support.hostile import corpus

ROOT = Path(__file__).resolve().parents[2]

CHECK_DRIVER = r"""
import json, sys, signal
from click.testing import CliRunner
from xlcnn.cli import main
class Hang(Exception): pass
def on_alarm(*a): raise Hang()
signal.signal(signal.SIGALRM, on_alarm)
for path in sys.argv[2:]:
    signal.alarm(int(sys.argv[1]))
    try:
        r = CliRunner().invoke(main, ["check", path], catch_exceptions=True)
        exc = r.exception if r.exception and not isinstance(r.exception, SystemExit) else None
        row = {"file": path, "exit": r.exit_code, "traceback": "Traceback" in r.output,
               "exception": f"{type(exc).__name__}: {exc}"[:300] if exc else None}
    except Hang:
        row = {"file": path, "exit": None, "traceback": False, "exception": "hang"}
    finally:
        signal.alarm(0)
    print(json.dumps(row), flush=True)
"""


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def write_corpus(folder: Path, seed: int, scale: int) -> tuple[dict[str, Path], bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    good = make_submission(folder, name="good.xlsx").read_bytes()
    files = {}
    for name, data in corpus(good, random.Random(seed), scale).items():
        path = folder / "files" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        files[name] = path
    return files, good


def run_checks(files: dict[str, Path], per_file: int = 60) -> list[dict]:
    paths = [str(p) for p in files.values()]
    proc = subprocess.run([sys.executable, "-c", CHECK_DRIVER, str(per_file), *paths], capture_output=True,
                          text=True, cwd=ROOT, timeout=per_file * 4 + 5 * len(paths))
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if len(rows) != len(paths):
        rows.append({"file": "(driver)", "exit": proc.returncode, "traceback": True,
                     "exception": proc.stderr[-500:]})
    return rows


def run_grade(files: dict[str, Path], good: bytes, folder: Path, timeout: int = 900,
              extra: list[str] | None = None) -> dict:
    download = folder / "download.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, path) in enumerate(sorted(files.items())):
            zf.write(path, f"Student {i:04d}_{10_000 + i}_assignsubmission_file/{name}")
        for k in range(3):
            zf.writestr(f"Canary {k}_{900 + k}_assignsubmission_file/cnn-ex1-stud.xlsx", good)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in [download, *files.values()]}
    listing = sorted(str(p) for p in folder.rglob("*"))
    out = folder / "out"
    peak = [0]
    xlcnn = ROOT / ".venv" / "bin" / "xlcnn"
    cmd = [str(xlcnn)] if xlcnn.exists() else [sys.executable, "-m", "xlcnn.cli"]
    t = time.perf_counter()
    proc = subprocess.Popen([*cmd, "grade", str(download), "-o", str(out), *(extra or [])], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=folder)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        return {"hang": True, "output": output[-2000:]}
    watcher.join()
    seconds = time.perf_counter() - t
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before}
    new = sorted(str(p) for p in folder.rglob("*") if not str(p).startswith(str(out)) and str(p) not in listing)
    return {"hang": False, "exit": proc.returncode, "output": output, "seconds": seconds, "peak": peak[0],
            "results": results, "inputs_unchanged": before == after, "written_outside": new}


