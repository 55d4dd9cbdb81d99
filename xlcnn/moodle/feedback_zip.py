"""Moodle's bulk feedback-files zip: the folder names its importer reads, and the zip itself.

The importer (``assignfeedback_file_zip_importer``) splits each path segment on ``_`` and
reads the second token as the id it delivers the file to: a group id for team submissions
(Moodle 4.1.4+: every member gets the file), a participant id otherwise. So each file goes in
a folder named exactly as its submission's folder in the download, which fits either. The zip is written with fixed
member times and in sorted order, so the same feedback gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..files.atomic import atomic_write

ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_feedback_zip(files: list[tuple[str, str, bytes]], path: Path) -> int:
    """Write ``(folder, file name, bytes)`` entries as the feedback zip at ``path``; returns the count."""
    entries = sorted((f"{folder}/{name}", data) for folder, name, data in files)

    def write(tmp: Path) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        tmp.write_bytes(buf.getvalue())

    atomic_write(path, write)
    return len(entries)
