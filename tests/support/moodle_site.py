"""The real Moodle 4.5.6 of ``../shared/moodle`` for tests: its PHP helpers (course set-up,
"Download all submissions", the worksheet, both importers, a regrade, what Moodle holds), and that
Moodle served on loopback with PHP's own server for its REST web services (started and stopped by
pid). ``make test-moodle`` installs it; with ``CI=true`` a missing Moodle fails instead of skipping."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.factories import RIGHT, make_submission

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {  # what each submission holds; each gives another grade, so a misplaced one shows
    "right": RIGHT,
    "maps": RIGHT | {"Maps": 5},
    "two": RIGHT | {"Maps": 5, "Case2_Size": 4},
    "three": RIGHT | {"Maps": 5, "Case2_Size": 4, "Case3_Size": 9},
}


def ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def installed_moodle() -> tuple[Path, Path]:
    """(helpers folder, Moodle code folder) of an installed Moodle, or skip (fail in CI)."""
    helpers = Path(os.environ.get("MOODLE_DIR", ROOT.parent / "shared" / "moodle")).resolve()
    www = os.environ.get("MOODLE_WWW", "")
    problem = None
    if not (helpers / "mdl_setup.php").exists():
        problem = f"no Moodle helpers in {helpers} (set MOODLE_DIR)"
    elif not www or not (Path(www) / "config.php").exists():
        problem = "no installed Moodle: run `make test-moodle` (or set MOODLE_WWW to an installed Moodle's code)"
    elif shutil.which("php") is None:
        problem = "php is not installed (make test-moodle installs it)"
    if problem:
        if ci():
            pytest.fail(problem)
        pytest.skip(problem)
    return helpers, Path(www)


def php(moodle, script: str, *args: str) -> str:
    helpers, www = moodle
    proc = subprocess.run(["php", str(helpers / script), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "MOODLE_WWW": str(www)}, timeout=300)
    assert proc.returncode == 0, f"{script} {args}: {proc.stderr}\n{proc.stdout[-2000:]}"
    assert "FAILED" not in proc.stdout, proc.stdout
    return proc.stdout


def person(case: str, first: str, last: str, group: str | None = None) -> dict:
    user = {"firstname": first, "lastname": last, "email": f"{case}.{first.lower()}@example.com"}
    if group:
        user["group"] = group
    return user


def submission_zip(tmp_path: Path, label: str, answers: str, extra: dict[str, bytes] | None = None) -> Path:
    """A group's hand-in: one zip holding the workbook (and the notebook), as the course asks."""
    book = make_submission(tmp_path, ANSWERS[answers], name=f"{label}.xlsx").read_bytes()
    path = tmp_path / f"PW04-{label}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cnn-ex1-stud.xlsx", book)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def setup_course(moodle, tmp_path: Path, case: str, *, team: bool, users: list[dict], submissions: list[dict],
                 blind: bool = False, workflow: bool = False, pregrade: dict[str, float] | None = None,
                 grade: int = 6) -> dict:
    """A fresh course with the assignment and its submissions, made by Moodle's own code; its state."""
    spec = {"course": {"shortname": f"xlcnn-{case}-{os.urandom(4).hex()}", "fullname": f"Deep Learning ({case})"},
            "assign": {"name": "PW04 CNN", "grade": grade, "teamsubmission": int(team), "blindmarking": int(blind),
                       "markingworkflow": int(workflow), "groupmode": 0},
            "users": users, "submissions": submissions,
            "pregrade": [{"email": e, "grade": g} for e, g in (pregrade or {}).items()]}
    path = tmp_path / f"spec-{spec['course']['shortname']}.json"
    path.write_text(json.dumps(spec))
    return json.loads(php(moodle, "mdl_setup.php", path))


def dump(moodle, cmid: int) -> dict:
    return json.loads(php(moodle, "mdl_dump.php", cmid))


def download(moodle, cmid: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(php(moodle, "mdl_download.php", cmid, folder).strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(moodle):
    """Moodle served by ``php -S`` on loopback at http://localhost:PORT/moodle (the installer's
    wwwroot is http://localhost/moodle: Moodle checks host and path, not the port); stopped by pid."""
    _, www = moodle
    doc = Path(tempfile.mkdtemp(prefix="xlcnn-moodle-doc-"))
    (doc / "moodle").symlink_to(www)
    port = _free_port()
    log = open(doc / "php.log", "wb")
    proc = subprocess.Popen(["php", "-d", "max_input_vars=5000", "-d", "post_max_size=64M", "-d",
                             "upload_max_filesize=64M", "-S", f"127.0.0.1:{port}", "-t", str(doc)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "MOODLE_WWW": str(www)})
    base = f"http://localhost:{port}/moodle"
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/login/token.php?appsitecheck=1", timeout=5) as r:
                    r.read()
                break
            except Exception:  # noqa: BLE001 - not up yet
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"php -S did not serve Moodle: {(doc / 'php.log').read_text()[-2000:]}")  # noqa: B904 - the last error stays attached as its context
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(doc, ignore_errors=True)


def token(moodle) -> str:
    """A permanent token of the 'xlcnn' service for the course's teacher (``mdl_ws.php``)."""
    return json.loads(php(moodle, "mdl_ws.php"))["token"]


def as_a_person(moodle, *args: str) -> str:
    """What a person does in Moodle between a pull and a push, through Moodle's own code
    (``tests/support/mdl_person.php``): a student hands in again, a student moves to another group."""
    helpers, www = moodle
    proc = subprocess.run(["php", str(Path(__file__).with_name("mdl_person.php")), *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MOODLE_WWW": str(www), "MOODLE_DIR": str(helpers)})
    assert proc.returncode == 0, f"mdl_person.php {args}: {proc.stderr}\n{proc.stdout[-2000:]}"
    return proc.stdout


def ws_env(moodle_ws, **extra) -> dict:
    """The environment of an `xlcnn moodle` command against the served Moodle (no config file)."""
    base, tok = moodle_ws
    return {"XLCNN_MOODLE_URL": base, "XLCNN_MOODLE_TOKEN": tok, "XLCNN_MOODLE_CONFIG": "/nonexistent/moodle.toml",
            **extra}


def cli(moodle_ws, *args, input=None, **extra):
    """An xlcnn command, run as a TA runs it, against the served Moodle."""
    from click.testing import CliRunner

    from xlcnn.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], env=ws_env(moodle_ws, **extra), input=input,
                              catch_exceptions=False)
