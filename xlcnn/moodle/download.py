"""Moodle's "download all submissions": each submission and its files, extracted safely.

Handles the zip or its unpacked folder; Moodle 4.1+ folders
(``Full Name_<id>_assignsubmission_file/``, or ``Group Name_<groupid>_...`` for
group submissions), the older ones (trailing ``_``, ``Group-Full Name_<id>``) and
flat mode (``Full Name_<id>_assignsubmission_file_<file>``). Inside, a group's own
zip (maybe with a subfolder, ``__MACOSX/`` and ``~$`` lock files) is unpacked into
a private folder after the same checks as the download itself.

Nothing is ever written outside the work folder: absolute paths, ``..``, links,
nested zips deeper than :data:`MAX_DEPTH`, and archives over the size, ratio or
member limits are refused, and each refusal is one message for that submission.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import UnsafeFileError, XlcnnError
from ..files.opening import ZIP_READ_ERRORS
from ..files.safezip import ZipLimits, check_zip, copy_bounded, member_problem

MAX_DEPTH = 2  # the download -> a group's zip -> (a zip inside that) : deeper is refused
# The download as a whole: member count and total size. Each member's own size and compression
# ratio are checked one by one (_member_limit): one bad member costs its submission, not the class.
DOWNLOAD_LIMITS = ZipLimits(max_members=20_000, max_total=2 * 2**30, max_member=2 * 2**30, max_ratio=float("inf"))
MAX_DOWNLOAD_MEMBER = 200 * 2**20
GROUP_ZIP_LIMITS = ZipLimits(max_members=500, max_total=200 * 2**20, max_member=100 * 2**20)

_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?P<old>_?)$")
# Team submissions of students in no group: "Default group_assignsubmission_file/", no id at all.
_NO_ID = re.compile(r"^(?P<name>[^_]+)_assignsubmission_(?P<plugin>[a-z]+)(?P<old>_?)$")
_FLAT = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$")


@dataclass
class Submission:
    """One submission as Moodle delivered it (a participant's or a group's)."""

    key: str  # the folder (or flat-file prefix) name in the download: its feedback goes in a folder so named
    name: str  # full name, group name, or "Participant"
    moodle_id: str  # participant id (uniqueid), or for 4.1+ group folders the group id; "" for "Default group"
    files: list[Path] = field(default_factory=list)  # extracted, under the work folder
    problems: list[str] = field(default_factory=list)
    old_format: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.moodle_id})"


def is_junk(parts: tuple[str, ...]) -> bool:
    """Whether a path is an OS or editor leftover (``__MACOSX/``, ``~$`` lock files, dot files)."""
    return any(p == "__MACOSX" or p.startswith((".", "~$", "._")) or p in ("Thumbs.db", "desktop.ini") for p in parts)


MAX_NAME = 120  # characters of one path part once extracted (longer ones keep their end and a hash)
MAX_PARTS = 24  # folders a member may be nested in


def _safe_name(text: str) -> str:
    if text in (".", ".."):
        return "_"
    name = re.sub(r"[^\w.() -]+", "_", text).strip() or "file"
    if len(name) > MAX_NAME:
        digest = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:8]
        name = f"{name[:40]}~{digest}~{name[-(MAX_NAME - 50):]}"
    return name


def _write_member(src, target: Path, label: str, most: int = 0) -> Path:
    """Copy one member to ``target`` and return where it went: a name that clashes with a file or a
    folder already written goes to a folder of its own instead."""
    blocked = target.exists() or any(p.exists() and not p.is_dir() for p in target.parents)
    if blocked:
        digest = hashlib.sha1(str(target).encode("utf-8", "replace")).hexdigest()[:8]
        base = next(p for p in target.parents if not any(q.exists() and not q.is_dir() for q in [p, *p.parents]))
        target = base / f"clash-{digest}" / target.name
    most = most or MAX_DOWNLOAD_MEMBER
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as dst:
            copy_bounded(src, dst, most, label)  # counted as it streams, whatever the header declares
    except OSError as err:
        raise UnsafeFileError(f"{label}: cannot be extracted ({err.strerror or err})") from None
    return target


def _extract_zip(zf: zipfile.ZipFile, label: str, dest: Path, limits: ZipLimits) -> list[Path]:
    """Extract the members of a checked archive into ``dest``; returns the files written."""
    check_zip(zf, label, limits)
    out = []
    written = 0  # what really came out, whatever the headers declared
    root = dest.resolve()
    for info in zf.infolist():
        if info.is_dir():
            continue
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if is_junk(parts):
            continue
        if len(parts) > MAX_PARTS:
            raise UnsafeFileError(f"{label}: member {info.filename[:80]!r}... is nested {len(parts)} folders deep "
                                  f"(limit {MAX_PARTS})")
        target = (dest.joinpath(*[_safe_name(p) for p in parts])).resolve()
        if root not in target.parents:  # belt and braces after member_problem()
            raise UnsafeFileError(f"{label}: member {info.filename!r} would be written outside the work folder")
        with zf.open(info) as src:
            out.append(_write_member(src, target, f"{label}: member {info.filename[:80]!r}", limits.max_member))
        written += out[-1].stat().st_size
        if written > limits.max_total:
            raise UnsafeFileError(f"{label}: expands to more than {limits.max_total:,} bytes in all (zip bomb?)")
    return out


def _expand(files: list[Path], work: Path, label: str, depth: int, problems: list[str]) -> list[Path]:
    """Replace zips among ``files`` by their content (checked), up to MAX_DEPTH levels."""
    out = []
    for f in files:
        if f.suffix.lower() != ".zip":
            out.append(f)
            continue
        if depth >= MAX_DEPTH:
            problems.append(f"{label}: {f.name}: a zip inside a zip inside the submission, refused (nested too deep)")
            continue
        dest = work / (f.stem + f"_unzipped{depth}")
        try:
            with zipfile.ZipFile(f) as zf:
                inner = _extract_zip(zf, f"{label}: {f.name}", dest, GROUP_ZIP_LIMITS)
        except UnsafeFileError as err:
            shutil.rmtree(dest, ignore_errors=True)
            problems.append(str(err))
            continue
        except ZIP_READ_ERRORS as err:
            shutil.rmtree(dest, ignore_errors=True)
            problems.append(f"{label}: {f.name}: not a readable zip ({type(err).__name__}: {str(err)[:120]})")
            continue
        out.extend(_expand(inner, dest, label, depth + 1, problems))
    return out


def _parse_key(name: str) -> tuple[str, str, bool] | None:
    m = _FOLDER.match(name) or _NO_ID.match(name)
    if m:
        return m.group("name"), m.groupdict().get("id") or "", bool(m.group("old"))
    return None


def folder_prefix(name: str) -> str:
    """The name part Moodle gives a download folder for a group or person called ``name``:
    ``format_string`` (tags dropped, ``&`` escaped), ``_`` turned into a space, then
    ``clean_filename`` (control characters and ``&<>"`|':\\/`` removed)."""
    text = re.sub(r"<[^>]*>", "", name)
    text = re.sub(r"&(?!#?\w+;)", "&amp;", text)
    text = text.replace("_", " ")
    return re.sub(r"[\x00-\x1f\x7f&<>\"`|':\\/]", "", text)


def discover(source: Path, work: Path) -> tuple[list[Submission], list[str]]:
    """Submissions in ``source`` (the download zip or its folder), extracted under ``work``.

    Returns the submissions (sorted by key) and problems not tied to one submission.
    ``source`` is only read.
    """
    source = Path(source)
    work.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    if source.is_file():
        if not zipfile.is_zipfile(source):
            head = source.read_bytes()[:4096] if source.stat().st_size else b""
            if source.suffix.lower() == ".csv" or b"Identifier" in head or b"Participant " in head:
                raise XlcnnError("this is the grading worksheet (a CSV), not the download: give the "
                                 "download zip first and the worksheet with --worksheet", path=source)
            raise XlcnnError("not a zip archive (expected Moodle's 'download all submissions' zip or its folder)",
                             path=source)
        raw = work / "download"
        try:
            with zipfile.ZipFile(source) as zf:
                check_zip(zf, source.name, DOWNLOAD_LIMITS, check_paths=False)  # bad names: per member
                entries = []
                for info in zf.infolist():
                    if info.is_dir():
                        continue
                    entries.append((PurePosixPath(info.filename.replace("\\", "/")).parts, info))
                subs, problems = _group(entries, raw, problems, lambda info, dst: _copy_member(zf, info, dst))
        except UnsafeFileError:
            raise
        except ZIP_READ_ERRORS as err:
            raise XlcnnError(f"a damaged zip ({type(err).__name__}: {str(err)[:160]}); "
                             "download it from Moodle again", path=source) from err
        _must_be_a_download(source, subs, entries)
        return subs, problems
    if not source.is_dir():
        raise XlcnnError(f"{source}: no such file or folder")
    entries = []
    for dirpath, dirnames, filenames in os.walk(source, followlinks=False):
        for d in list(dirnames):
            if (Path(dirpath) / d).is_symlink():
                dirnames.remove(d)
                filenames.append(d)  # reported below as a link, never followed
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(source)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                entries.append((rel.parts, UnsafeFileError(f"{rel.name}: a symbolic link, not followed")))
            elif not stat.S_ISREG(mode):
                entries.append((rel.parts, UnsafeFileError(f"{rel.name}: not a regular file, ignored")))
            else:
                entries.append((rel.parts, path))
    subs, problems = _group(entries, work / "download", problems, _copy_file)
    _must_be_a_download(source, subs, entries)
    return subs, problems


def _must_be_a_download(source: Path, subs: list[Submission], entries: list) -> None:
    """Refuse, with what to do, an input that holds no Moodle submission folder at all."""
    if subs:
        return
    names = ["/".join(parts) for parts, _ in entries]
    if any(n == "[Content_Types].xml" for n in names) or "mimetype" in names:
        hint = "it is a workbook: check one file with `xlcnn check`"
    elif any(n.lower().endswith(".zip") for n in names):
        hint = "it holds zips but no submission folders: unzip it first (is it a zip of the download?)"
    elif not names:
        hint = "it is empty"
    else:
        hint = f"its first entries: {', '.join(names[:3])}"
    raise XlcnnError(f"not Moodle's 'Download all submissions' zip or folder (no folder named "
                     f"'Name_<id>_assignsubmission_file'): {hint}", path=source)


def _copy_file(path: Path | UnsafeFileError, dst: Path) -> Path:
    if isinstance(path, UnsafeFileError):
        raise path
    with open(path, "rb") as src:
        return _write_member(src, dst, str(path.name))


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dst: Path) -> Path:
    problem = member_problem(info) or _member_limit(info)
    if problem:
        raise UnsafeFileError(f"member {info.filename!r} refused: {problem}")
    try:
        with zf.open(info) as src:
            return _write_member(src, dst, f"member {info.filename!r}")
    except ZIP_READ_ERRORS as err:
        if isinstance(err, UnsafeFileError):
            raise
        raise UnsafeFileError(f"member {info.filename!r} cannot be read "
                              f"({type(err).__name__}: {str(err)[:120]})") from None


def _member_limit(info: zipfile.ZipInfo) -> str | None:
    """The per-member limits of the download: one member over them costs its own submission only."""
    limits = GROUP_ZIP_LIMITS
    if info.flag_bits & 0x1:
        return "encrypted (password-protected)"
    if info.file_size > MAX_DOWNLOAD_MEMBER:
        return f"expands to {info.file_size:,} bytes, more than the limit of {MAX_DOWNLOAD_MEMBER:,}"
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return (f"a compression ratio of {info.file_size / max(info.compress_size, 1):,.0f}, above the limit of "
                f"{limits.max_ratio:,.0f} (zip bomb?)")
    return None


BESIDE_THE_FOLDERS = ("moodle.json", "moodle-push.json")  # what `xlcnn moodle pull` writes next to the folders


def _group(entries, raw: Path, problems: list[str], copy) -> tuple[list[Submission], list[str]]:
    subs: dict[str, Submission] = {}
    for parts, handle in sorted(entries, key=lambda e: e[0]):
        if ".." in parts or (parts and parts[0] in ("/", "\\")):
            where = _parse_key(parts[0])
            message = f"member {'/'.join(parts)!r} refused: a path that climbs out of the archive ('..')"
            if where and len(parts) > 1:
                subs.setdefault(parts[0],
                                Submission(parts[0], where[0], where[1], old_format=where[2])).problems.append(message)
            else:
                problems.append(message)
            continue
        if is_junk(parts):
            parsed = _parse_key(parts[0]) if len(parts) > 1 else None
            if parsed and not is_junk(parts[:1]):  # a participant whose files are all leftovers still gets a row
                sub = subs.setdefault(parts[0], Submission(parts[0], *parsed[:2], old_format=parsed[2]))
                sub.problems.append(f"{'/'.join(parts[1:])}: ignored (a hidden, lock or system file)")
            continue
        top = parts[0]
        if len(parts) == 1 and top in BESIDE_THE_FOLDERS:
            continue
        parsed = _parse_key(top) if len(parts) > 1 else None
        if parsed:
            name, mid, old = parsed
            key, inner = top, parts[1:]
        else:
            m = _FLAT.match(top) if len(parts) == 1 else None
            if not m:
                problems.append(f"{'/'.join(parts)}: not in a Moodle submission folder, ignored")
                continue
            name, mid, old = m.group("name"), m.group("id"), False
            key, inner = f"{m.group('name')}_{m.group('id')}_assignsubmission_{m.group('plugin')}", (m.group("file"),)
        if parsed and not key.endswith(("_file", "_file_")):
            continue  # online text and other plugins: nothing to grade
        sub = subs.setdefault(key, Submission(key, name, mid, old_format=old))
        if len(inner) > MAX_PARTS:
            sub.problems.append(f"{'/'.join(inner)[:80]}...: nested {len(inner)} folders deep (limit {MAX_PARTS})")
            continue
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        dest = raw / digest / Path(*[_safe_name(p) for p in inner])
        try:
            sub.files.append(copy(handle, dest))
        except UnsafeFileError as err:
            sub.problems.append(str(err))
    out = []
    for key in sorted(subs):
        sub = subs[key]
        folder = raw / hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        sub.files = _expand(sub.files, folder, sub.name, 0, sub.problems)
        out.append(sub)
    return out, problems
