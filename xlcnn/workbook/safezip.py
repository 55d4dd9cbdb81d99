"""Checks on untrusted zip archives (Moodle downloads, group zips, the xlsx itself),
made with the standard ``zipfile`` module before anything is extracted or loaded.

A refused archive raises :class:`UnsafeFileError` naming the file, the member and
the limit it breaks.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import UnsafeFileError


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2_000
    max_total: int = 100 * 2**20  # uncompressed bytes, all members together
    max_member: int = 50 * 2**20  # uncompressed bytes, one member
    max_ratio: float = 200.0  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1 * 2**20


# A workbook's own parts compress well (60,000 cell styles: a ratio of 312); the absolute sizes bound it.
WORKBOOK_LIMITS = ZipLimits(max_ratio=1000.0)


def member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why one member may not be extracted (absolute path, traversal, link), or None."""
    name = info.filename
    if "\x00" in name:
        return "a NUL byte in its name"
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in path.parts:
        return "a path that climbs out of the archive ('..')"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return None


def check_zip(zf: zipfile.ZipFile, label: str, limits: ZipLimits = WORKBOOK_LIMITS,
              check_paths: bool = True) -> list[zipfile.ZipInfo]:
    """Refuse ``zf`` (named ``label`` in messages) if it breaks a limit; return its members.

    With ``check_paths=False`` member names are left to the caller, which refuses
    bad members one by one instead of the whole archive.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeFileError(f"{label}: {len(infos)} members in the archive, more than the limit of {limits.max_members}")
    total = 0
    for info in infos:
        problem = member_problem(info) if check_paths else None
        if problem:
            raise UnsafeFileError(f"{label}: member {info.filename!r} refused: {problem}")
        if info.flag_bits & 0x1:
            raise UnsafeFileError(f"{label}: member {info.filename!r} is encrypted (password-protected archive)")
        if info.file_size > limits.max_member:
            raise UnsafeFileError(
                f"{label}: member {info.filename!r} expands to {info.file_size:,} bytes, more than the limit of {limits.max_member:,}"
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise UnsafeFileError(
                f"{label}: member {info.filename!r} has a compression ratio of {ratio:,.0f}, above the limit of {limits.max_ratio:,.0f} (zip bomb?)"
            )
        total += info.file_size
        if total > limits.max_total:
            raise UnsafeFileError(f"{label}: archive expands to more than {limits.max_total:,} bytes (zip bomb?)")
    return infos
