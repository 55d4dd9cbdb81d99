"""The handout's identity: the very hidden ``xlcnn`` sheet's name and format, and the keyed
signature (HMAC-SHA256 over the given numbers) that lets the grader tell a variant's inputs
from inputs a student changed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from ..core.exercise import Example
from ..errors import XlcnnError

META_SHEET = "xlcnn"


FORMAT = "xlcnn-ex1/1"


SECRET_ENV = "XLCNN_SECRET"


def canonical_inputs(ex: Example) -> bytes:
    """The inputs of ``ex`` as canonical bytes (what a signature covers)."""
    data = {
        "x1": ex.x1.tolist(), "w1": ex.w1.tolist(), "b1": float(ex.b1),
        "x2": ex.x2.tolist(), "w2": ex.w2.tolist(), "b2": ex.b2.tolist(),
        "cases1": [list(c) for c in ex.cases1], "volume_cases": [list(c) for c in ex.volume_cases],
        "values_case": list(ex.values_case),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(ex: Example, group: str, secret: bytes) -> str:
    return hmac.new(secret, group.encode("utf-8") + b"\0" + canonical_inputs(ex), hashlib.sha256).hexdigest()


def verify(ex: Example, group: str, signature: str, secret: bytes) -> bool:
    return hmac.compare_digest(sign(ex, group, secret), signature)


def load_secret(secret_file: str | Path | None = None, required: bool = False) -> bytes | None:
    """The teacher's signing secret: ``secret_file`` or the ``XLCNN_SECRET`` environment variable."""
    if secret_file:
        try:
            secret = Path(secret_file).read_bytes().strip()
        except OSError as err:
            raise XlcnnError(f"{secret_file}: cannot read the secret file ({err.strerror or err})") from err
        if not secret:
            raise XlcnnError(f"{secret_file}: the secret file is empty")
        return secret
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return env.encode("utf-8")
    if required:
        raise XlcnnError(
            f"variants are signed with a secret the teacher keeps: set {SECRET_ENV} or pass --secret-file "
            "(a file outside the repository)"
        )
    return None
