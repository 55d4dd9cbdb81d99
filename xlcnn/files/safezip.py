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

from ..errors import UnsafeFileError, WorkbookError


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
        raise UnsafeFileError(f"{label}: {len(infos)} members in the archive, "
                              f"more than the limit of {limits.max_members}")
    total = 0
    for info in infos:
        problem = member_problem(info) if check_paths else None
        if problem:
            raise UnsafeFileError(f"{label}: member {info.filename!r} refused: {problem}")
        if info.flag_bits & 0x1:
            raise UnsafeFileError(f"{label}: member {info.filename!r} is encrypted (password-protected archive)")
        if info.file_size > limits.max_member:
            raise UnsafeFileError(
                f"{label}: member {info.filename!r} expands to {info.file_size:,} bytes, "
                f"more than the limit of {limits.max_member:,}"
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise UnsafeFileError(
                f"{label}: member {info.filename!r} has a compression ratio of {ratio:,.0f}, "
                f"above the limit of {limits.max_ratio:,.0f} (zip bomb?)"
            )
        total += info.file_size
        if total > limits.max_total:
            raise UnsafeFileError(f"{label}: archive expands to more than {limits.max_total:,} bytes (zip bomb?)")
    return infos


_CHUNK = 1 << 16


def _inflated_size(fh, info: zipfile.ZipInfo, label: str, most: int) -> int:
    """The bytes member ``info`` really inflates to, counted while streaming its data from the local
    header on (its declared sizes are not trusted); stops past ``most``."""
    import struct
    import zlib

    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise WorkbookError(f"{label}: not a readable workbook, a damaged zip (member {info.filename!r} has no "
                            "local header)")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return info.file_size  # a method zipfile refuses anyway ("not a readable zip")
    inflate = zlib.decompressobj(-15)
    produced = 0
    while not inflate.eof:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        try:
            out = inflate.decompress(chunk, _CHUNK * 16)
            produced += len(out)
            while inflate.unconsumed_tail and not inflate.eof and produced <= most:
                out = inflate.decompress(inflate.unconsumed_tail, _CHUNK * 16)
                produced += len(out)
                if not out:
                    break
        except zlib.error as err:
            raise WorkbookError(f"{label}: not a readable workbook, a damaged zip "
                                f"(member {info.filename!r}: {err})") from None
        if produced > most:
            break
    return produced


def check_inflated(path, label: str, limits: ZipLimits = WORKBOOK_LIMITS) -> None:
    """Refuse the zip at ``path`` when what its members *really* inflate to — counted while streaming,
    never read from the headers, which a forged file fills as it likes — breaks ``limits``, or differs
    from what they declare. Run before a program that trusts no header either (LibreOffice) opens it."""
    with open(path, "rb") as fh:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
        total = 0
        for info in infos:
            most = min(limits.max_member, limits.max_total - total)
            size = _inflated_size(fh, info, label, most)
            if size > limits.max_member:
                raise UnsafeFileError(f"{label}: member {info.filename!r} expands to more than {limits.max_member:,} "
                                      f"bytes (its header declares {info.file_size:,}), over the limit")
            if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeFileError(f"{label}: member {info.filename!r} has a compression ratio of "
                                      f"{size / max(info.compress_size, 1):,.0f}, above the limit of "
                                      f"{limits.max_ratio:,.0f} (zip bomb?)")
            if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and size != info.file_size:
                raise UnsafeFileError(f"{label}: member {info.filename!r} declares {info.file_size:,} bytes but holds "
                                      f"{size:,}{'+' if size >= most else ''} (a forged zip header)")
            total += size
            if total > limits.max_total:
                raise UnsafeFileError(f"{label}: archive expands to more than {limits.max_total:,} bytes (zip bomb?)")


def copy_bounded(src, dst, most: int, label: str) -> int:
    """Copy a member's stream to ``dst``, counting the bytes as they come; refuse past ``most``."""
    written = 0
    while True:
        chunk = src.read(1 << 20)
        if not chunk:
            return written
        written += len(chunk)
        if written > most:
            raise UnsafeFileError(f"{label}: expands to more than {most:,} bytes, over the limit")
        dst.write(chunk)


def read_member(zf: zipfile.ZipFile, member, most: int, label: str = "") -> bytes:
    """One member's bytes, never more than ``most``: zipfile's own ``read`` inflates a member whole,
    whatever its header declares, so a forged header could cost gigabytes; this reads in bounded steps."""
    with zf.open(member) as fh:
        data = fh.read(most + 1)
    if len(data) > most:
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        raise UnsafeFileError(f"{label or 'archive'}: member {name!r} holds more than {most:,} bytes")
    return data
