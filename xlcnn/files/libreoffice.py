"""LibreOffice headless as the real spreadsheet engine: recalculate and convert workbooks, confined.

LibreOffice opens students' files, so it runs confined (:func:`confinement`): where
bubblewrap works (Debian's ``bubblewrap``; as root or with user namespaces) in a sandbox with
**no network** and **no file but its own work folder** (copies of the inputs, its profile,
the output folder; the system's programs read-only, an empty ``/tmp``); else in its own
network namespace (``unshare -n``, or ``-rn`` unprivileged); and in every case with a
private, throw-away profile set against it: macros never run, links never updated, linked
graphics from untrusted documents never loaded, and, when asked, every formula recalculated
on load (cached values are then distrusted). Many files go through one ``soffice`` process,
watched file by file: a file that takes longer than its deadline, or crashes the process, is
that file's failure alone, and a new process goes on with the files after it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import XlcnnError


class LibreOfficeError(XlcnnError):
    """LibreOffice is missing or could not convert a file."""


_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{recalc}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{recalc}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableActiveContent" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""  # noqa: E501 - the profile's XML, one setting a line


def write_profile(profile: Path, recalc_all: bool = False) -> Path:
    """A private LibreOffice profile set against hostile documents; returns the folder to pass as
    ``-env:UserInstallation``."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE.format(recalc=0 if recalc_all else 1), encoding="utf-8")
    return profile


_CONFINEMENT: str | None = None


def _bwrap(rw: list[Path], ro: list[Path], chdir: Path) -> list[str]:
    """A bubblewrap command prefix: no network, no other process, only the system read-only and
    ``rw`` writable (``ro`` read-only); an empty /tmp."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in ("/etc/fonts", "/etc/libreoffice", "/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime",
                "/opt/libreoffice"):
        cmd += ["--ro-bind-try", etc, etc]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in ro:
        cmd += ["--ro-bind", str(path), str(path)]
    for path in rw:
        cmd += ["--bind", str(path), str(path)]
    return cmd + ["--setenv", "HOME", str(chdir), "--setenv", "TMPDIR", "/tmp", "--chdir", str(chdir)]


def confinement() -> str:
    """How LibreOffice is confined on this machine: "sandbox" (bubblewrap: no network, no other file),
    "network namespace" (no network), or "settings only" (neither works here). Probed once."""
    global _CONFINEMENT
    if _CONFINEMENT is None:
        _CONFINEMENT = "settings only"
        with tempfile.TemporaryDirectory(prefix="xlcnn-probe-") as tmp:
            probes = [("sandbox", _bwrap([Path(tmp)], [], Path(tmp)) + ["/usr/bin/env", "true"]),
                      ("network namespace", ["unshare", "-n", "true"]),
                      ("network namespace", ["unshare", "-rn", "true"])]
            for kind, cmd in probes:
                try:
                    if subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0:
                        _CONFINEMENT = kind
                        break
                except (OSError, subprocess.TimeoutExpired):
                    continue
    return _CONFINEMENT


def confined(cmd: list[str], rw: list[Path], ro: list[Path] | None = None, *, chdir: Path | None = None,
             network_only: bool = False) -> list[str]:
    """``cmd`` (a LibreOffice command line) run as confined as this machine allows: see :func:`confinement`.
    ``rw`` are the folders it may write (its profile, inputs' copies, outputs), ``ro`` those it may read
    (the program itself, when it is not under /usr). ``network_only`` keeps the file system (for a UNO
    pipe in /tmp) and only takes the network away."""
    kind = confinement()
    rw = [Path(p).resolve() for p in rw]
    if kind == "sandbox" and not network_only:
        return _bwrap(rw, [Path(p).resolve() for p in ro or []], (chdir or rw[0]).resolve()) + cmd
    if kind in ("sandbox", "network namespace"):
        return (["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]) + cmd
    return cmd


MEMORY_LIMIT = 768 * 2**20  # LibreOffice's heap (RLIMIT_DATA) while it opens students' files


def _limit_memory(memory: int = MEMORY_LIMIT) -> None:
    """In the child, before LibreOffice starts: bound its heap, so one file cannot take the machine's memory."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    except (ValueError, OSError):
        pass


def _program_folders(soffice: str) -> list[Path]:
    """Folders outside /usr that the program (or a wrapper script around it) lives in."""
    found = shutil.which(soffice) or soffice
    out = []
    for p in {Path(found).parent, Path(found).resolve().parent}:
        if p.exists() and not str(p).startswith("/usr/"):
            out.append(p)
    return sorted(out)


def find_soffice() -> str | None:
    """Path of the ``soffice`` program, or None. ``XLCNN_SOFFICE`` overrides the search."""
    override = os.environ.get("XLCNN_SOFFICE")
    if override:
        return override if Path(override).exists() or shutil.which(override) else None
    for candidate in _CANDIDATES:
        found = shutil.which(candidate) or (candidate if os.path.isabs(candidate) and Path(candidate).exists()
                                            else None)
        if found:
            return found
    return None


def require_soffice() -> str:
    path = find_soffice()
    if path is None:
        raise LibreOfficeError(
            "LibreOffice is not installed: install it (Debian/Ubuntu: apt-get install libreoffice-calc-nogui; "
            "or from libreoffice.org) or set XLCNN_SOFFICE to the soffice program"
        )
    return path


@dataclass
class Converted:
    """What became of one input file."""

    source: Path
    output: Path | None  # the .xlsx written, or None
    error: str | None = None
    seconds: float = 0.0  # how long LibreOffice spent on it


def convert_to_xlsx(
    files: list[Path],
    outdir: Path,
    *,
    recalc_all: bool = False,
    timeout_per_file: float = 30.0,
    startup: float = 60.0,
    workdir: Path | None = None,
    target: str = "xlsx:Calc MS Excel 2007 XML",
    memory: int | None = None,
) -> list[Converted]:
    """Convert (and recalculate) ``files`` to ``.xlsx`` in ``outdir``, through LibreOffice, each file
    with its own deadline.

    Outputs are named ``0000.xlsx``, ``0001.xlsx``... in the order of ``files`` (many
    submissions share a file name). Inputs are never modified: LibreOffice reads
    copies. ``recalc_all`` recalculates every formula, ignoring cached values;
    otherwise only formulas without a cached value are calculated. Staging copies and
    the private profile live in a temporary folder under ``workdir`` (default: the
    system's temporary folder). ``target`` is LibreOffice's ``--convert-to`` argument (another
    format: ``"ods"``, ``"xls"``, ``"pdf"``; outputs then carry its suffix).

    One ``soffice`` process takes the files in order, watched: a file whose output does not appear
    within ``timeout_per_file`` seconds (``startup`` more for the first) stops that process; that
    file alone fails ("did not finish"), and a new process goes on with the files after it. A crash
    costs likewise the file it was on. ``memory`` bounds LibreOffice's heap (bytes; default
    :data:`MEMORY_LIMIT`).
    """
    import time

    suffix = "." + target.split(":")[0]
    soffice = require_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    results = [Converted(Path(f), None) for f in files]
    if not files:
        return results
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlcnn-lo-", dir=workdir) as tmp:
        tmp_path = Path(tmp)
        staged = tmp_path / "in"
        staged.mkdir()
        copies = []
        for i, f in enumerate(files):
            copy = staged / f"{i:04d}{Path(f).suffix.lower() or '.xlsx'}"
            shutil.copyfile(f, copy)
            copies.append(copy)
        pending = list(range(len(files)))
        round_no = 0
        while pending:
            expected = {i: outdir / f"{i:04d}{suffix}" for i in pending}
            for path in expected.values():
                path.unlink(missing_ok=True)  # an output of another run is not this one's
            started = time.monotonic()
            proc = _start(soffice, tmp_path, tmp_path / f"profile-{round_no}", [copies[i] for i in pending], outdir,
                          recalc_all, target, memory or MEMORY_LIMIT)
            round_no += 1
            seen, last, stuck = 0, started, None
            while proc.poll() is None:
                time.sleep(0.1)
                now = time.monotonic()
                while seen < len(pending) and expected[pending[seen]].exists():
                    results[pending[seen]].seconds = now - last
                    seen, last = seen + 1, now
                allowed = timeout_per_file + (startup if seen == 0 else 0)
                if now - last > allowed:  # stuck on a file (or, every output there, on closing down)
                    stuck = seen
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    break
            log = tmp_path / f"profile-{round_no - 1}.log"
            out = log.read_bytes()[-4000:].decode("utf-8", "replace") if log.exists() else ""
            for i in pending:
                _collect(results[i], expected[i])
            if stuck is not None and stuck < len(pending):
                culprit = pending[stuck]
                results[culprit].output = None
                results[culprit].error = (f"LibreOffice did not finish within {timeout_per_file:.0f} s on this file "
                                          "(stopped; the others went on)")
                results[culprit].seconds = timeout_per_file
                rest = pending[stuck + 1:]
            elif stuck is None and proc.returncode != 0:
                missing = [i for i in pending if results[i].output is None]
                if not missing:
                    break
                culprit = missing[0]
                tail = out.strip().splitlines()[-1:] or [""]
                results[culprit].error = f"LibreOffice failed on this file (exit {proc.returncode}) {tail[0]}".strip()
                rest = [i for i in pending if i > culprit and results[i].output is None]
            else:
                break  # what is missing now, LibreOffice could not open (it says so and goes on)
            for i in rest:
                expected[i].unlink(missing_ok=True)  # a half-written output of a killed process
            pending = rest
    return results


def _collect(result: Converted, expected: Path, error: str | None = None) -> None:
    if expected.exists() and expected.stat().st_size > 0:
        result.output, result.error = expected, None
    else:
        result.error = error or "LibreOffice could not open or convert this file"


def _start(soffice: str, work: Path, profile: Path, files: list[Path], outdir: Path, recalc_all: bool,
           target: str, memory: int) -> subprocess.Popen:
    """One confined soffice process over copies in ``work``, its heap bounded to ``memory`` bytes."""
    write_profile(profile, recalc_all)
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        target,
        "--outdir",
        str(Path(outdir).resolve()),  # absolute: inside the sandbox the working folder is another
        *(str(Path(f).resolve()) for f in files),
    ]
    cmd = confined(cmd, rw=[work, outdir], ro=_program_folders(soffice), chdir=work)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["TMPDIR"] = env["HOME"] = str(work)  # its temporary files (lu*.tmp) stay in the work folder, even after a crash
    env["SAL_USE_VCLPLUGIN"] = "svp"
    log = open(work / f"{profile.name}.log", "wb")  # a file, not a pipe: a chatty run never blocks on it
    try:
        with log:
            return subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                preexec_fn=(lambda: _limit_memory(memory)) if os.name == "posix" else None,
            )
    except OSError as err:
        raise LibreOfficeError(f"cannot start LibreOffice ({soffice}): {err}") from err
