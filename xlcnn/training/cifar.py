"""CIFAR-10, from a local copy (read directly, checksum verified) or from Keras when online.

``--data`` takes the official ``cifar-10-python.tar.gz`` or its extracted
``cifar-10-batches-py/`` folder. The archive is read in place (nothing is
extracted, moved or deleted), its known MD5 checked first; the batches are Python
pickles, loaded by an unpickler that only accepts the few numpy types the format
uses, so a crafted file cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import XlcnnError

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
ARCHIVE_MD5 = "c58f30108f718f92721af3b95e74349a"
FOLDER = "cifar-10-batches-py"
TRAIN = [f"data_batch_{i}" for i in range(1, 6)]
TEST = "test_batch"
META = "batches.meta"
FILE_MD5 = {  # of the files in the official archive
    "data_batch_1": "c99cafc152244af753f735de768cd75f",
    "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
    "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
    "data_batch_4": "634d18415352ddfa80567beed471001a",
    "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
    "test_batch": "40351d587109b95175f43aff81a1287e",
    "batches.meta": "5ff9c542aee3614f3951f8cda6e48888",
}
CLASS_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


class DataError(XlcnnError):
    """CIFAR-10 is missing, damaged or not what it claims to be."""


@dataclass
class Dataset:
    x_train: np.ndarray  # (N, 32, 32, 3) uint8
    y_train: np.ndarray  # (N,) int
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    source: str


class _SafeUnpickler(pickle.Unpickler):
    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"), ("_codecs", "encode"),
    }

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused: the file asks for {module}.{name}, which CIFAR-10 never contains")


def _unpickle(data: bytes, name: str, where: str) -> dict:
    try:
        obj = _SafeUnpickler(io.BytesIO(data), encoding="bytes").load()
    except Exception as err:
        raise DataError(f"{where}: {name} is not a CIFAR-10 batch ({err})") from err
    if not isinstance(obj, dict):
        raise DataError(f"{where}: {name} is not a CIFAR-10 batch (not a dictionary)")
    return {k.decode() if isinstance(k, bytes) else k: v for k, v in obj.items()}


def _batch(obj: dict, name: str, where: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        data = np.asarray(obj["data"], dtype=np.uint8)
        labels = np.asarray(obj["labels"], dtype=np.int64)
    except KeyError as err:
        raise DataError(f"{where}: {name} has no {err.args[0]!r} entry") from err
    if data.ndim != 2 or data.shape[1] != 3072 or len(labels) != len(data):
        raise DataError(f"{where}: {name} holds data of shape {data.shape} and {len(labels)} labels, "
                        "expected (N, 3072) and N labels")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise DataError(f"{where}: {name} has labels outside 0-9")
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def md5(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_local(path: str | Path, expected_md5: str | None = ARCHIVE_MD5,
               file_md5: dict[str, str] | None = FILE_MD5) -> Dataset:
    """CIFAR-10 from ``path``: the ``.tar.gz`` (checked against ``expected_md5``) or the
    ``cifar-10-batches-py`` folder (each file checked against ``file_md5``); ``None``
    skips a check (for a subset you made yourself)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; download {URL} and pass its path with --data")
    files: dict[str, bytes] = {}
    if path.is_dir():
        folder = path / FOLDER if (path / FOLDER).is_dir() else path
        for name in [*TRAIN, TEST, META]:
            f = folder / name
            if not f.is_file():
                raise DataError(f"{folder}: {name} is missing (expected the files of {FOLDER}/)")
            if file_md5 and name in file_md5 and md5(f) != file_md5[name]:
                raise DataError(f"{f}: checksum mismatch (MD5 {md5(f)}, expected {file_md5[name]}): "
                                "the file is damaged or not the official CIFAR-10")
            files[name] = f.read_bytes()
    else:
        if expected_md5:
            got = md5(path)
            if got != expected_md5:
                raise DataError(f"{path}: checksum mismatch (MD5 {got}, expected {expected_md5}): "
                                f"the archive is incomplete, damaged or not the official {URL.rsplit('/', 1)[-1]}; "
                                f"for an archive you made yourself (a subset), pass --data-md5 {got} "
                                "(or --data-md5 none)")
        try:
            with tarfile.open(path, "r:*") as tar:
                members = {m.name: m for m in tar.getmembers() if m.isfile()}
                for name in [*TRAIN, TEST, META]:
                    member = members.get(f"{FOLDER}/{name}")
                    if member is None:
                        raise DataError(f"{path}: {FOLDER}/{name} is missing from the archive")
                    if member.size > 200 * 2**20:
                        raise DataError(f"{path}: {FOLDER}/{name} is {member.size:,} bytes, far too large for CIFAR-10")
                    files[name] = tar.extractfile(member).read()
        except (tarfile.TarError, EOFError, OSError) as err:
            raise DataError(f"{path}: not a readable tar.gz archive ({err})") from err
    where = str(path)
    train = [_batch(_unpickle(files[n], n, where), n, where) for n in TRAIN]
    x_test, y_test = _batch(_unpickle(files[TEST], TEST, where), TEST, where)
    meta = _unpickle(files[META], META, where)
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in meta.get("label_names", CLASS_NAMES)]
    return Dataset(np.concatenate([t[0] for t in train]), np.concatenate([t[1] for t in train]),
                   x_test, y_test, names, f"{path} (MD5 checked)" if expected_md5 or file_md5 else str(path))


def local_copy() -> Path | None:
    """CIFAR-10 in Keras' cache (``~/.keras/datasets``), if a copy is there."""
    cache = Path.home() / ".keras" / "datasets"
    for candidate in (cache / "cifar-10-batches-py.tar.gz", cache / FOLDER, cache / "cifar-10-python.tar.gz"):
        if candidate.exists():
            return candidate
    return None


def load(data: str | Path | None = None, offline: bool = False, expected_md5: str | None = ARCHIVE_MD5) -> Dataset:
    """The dataset from ``data``, else Keras' cache, else Keras' download (unless ``offline``)."""
    if data is not None:
        file_md5 = FILE_MD5 if expected_md5 == ARCHIVE_MD5 else None
        return load_local(data, expected_md5, file_md5)
    cache = Path.home() / ".keras" / "datasets"
    copy = local_copy()
    if copy is not None:
        return load_local(copy)
    if offline:
        raise DataError(
            f"CIFAR-10 is not available offline: download {URL} (163 MB) on a machine with internet, "
            f"then pass it with --data PATH (the .tar.gz or its extracted {FOLDER}/ folder), "
            f"or put it in {cache}/"
        )
    try:
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as err:
        raise DataError(
            f"could not download CIFAR-10 through Keras ({type(err).__name__}: {err}); download {URL} "
            f"yourself and pass it with --data PATH"
        ) from err
    return Dataset(x_train, y_train.reshape(-1), x_test, y_test.reshape(-1), CLASS_NAMES, "keras.datasets.cifar10")


def write_archive(path: Path, x_train, y_train, x_test, y_test, names=CLASS_NAMES, batches: int = 5) -> str:
    """Write data in CIFAR-10's own archive format (``cifar-10-batches-py/`` inside a tar.gz).

    For tests and for teachers who want a subset; returns the archive's MD5.
    """
    def pack(x, y, label):
        flat = np.asarray(x, np.uint8).transpose(0, 3, 1, 2).reshape(len(x), -1)
        return pickle.dumps({b"batch_label": label.encode(), b"labels": [int(v) for v in y], b"data": flat,
                             b"filenames": [f"img_{i}.png".encode() for i in range(len(x))]}, protocol=2)

    parts = np.array_split(np.arange(len(x_train)), batches)
    blobs = {f"data_batch_{i + 1}": pack(x_train[idx], y_train[idx], f"training batch {i + 1} of {batches}")
             for i, idx in enumerate(parts)}
    blobs[TEST] = pack(x_test, y_test, "testing batch 1 of 1")
    blobs[META] = pickle.dumps({b"label_names": [n.encode() for n in names], b"num_cases_per_batch": len(parts[0]),
                                b"num_vis": 3072}, protocol=2)
    with tarfile.open(path, "w:gz") as tar:
        for name, blob in blobs.items():
            info = tarfile.TarInfo(f"{FOLDER}/{name}")
            info.size = len(blob)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(blob))
    return md5(path)
