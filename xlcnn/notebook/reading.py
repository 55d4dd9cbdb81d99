"""A student's notebook read as data: cells, sources and saved outputs, never executed.

nbformat reads and validates the file; nothing in it runs and no HTML or JavaScript output is
rendered. Untrusted like the workbooks: the file has a size limit, and each output is cut to a
bounded head and tail (a 5 MB training log keeps its first and last kilobytes, where Keras
prints the epochs that matter), so memory and time stay bounded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XlcnnError

MAX_FILE = 64 * 2**20  # a notebook larger than this is not read
MAX_TEXT = 256 * 1024  # characters kept of one output or source: the head and the tail
HEAD = 32 * 1024
MAX_CELLS = 5000


class NotebookError(XlcnnError):
    """The notebook cannot be read (not JSON, not a notebook, too large)."""


@dataclass
class Cell:
    index: int
    kind: str  # "code", "markdown", "raw"
    source: str
    outputs: str = ""  # the text of its stream, result and error outputs
    images: int = 0  # image outputs (png, jpeg, svg)
    executed: bool = False
    count: int | None = None  # the execution count Jupyter saved: "In [count]"
    label: str = ""  # where a TA finds it: "In [12]" as Jupyter shows it, else (or when twice) its position
    error: str = ""  # the exception its run stopped on, as Jupyter shows it ("ValueError: ..."), if it did


@dataclass
class Notebook:
    name: str
    cells: list[Cell] = field(default_factory=list)
    language: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def executed(self) -> bool:
        return any(c.executed for c in self.cells if c.kind == "code")

    @property
    def has_outputs(self) -> bool:
        return any(c.outputs.strip() or c.images for c in self.cells if c.kind == "code")


def _last_state(line: str) -> str:
    """What a terminal shows of one line written with carriage returns and backspaces: the text after
    the last carriage return that leaves something, with its backspaces applied (Keras' progress bars)."""
    end = len(line)
    while True:
        start = line.rfind("\r", 0, end) + 1
        seg = line[start:end]
        if "\b" in seg:
            kept: list[str] = []
            for ch in seg:
                if ch == "\b":
                    if kept:
                        kept.pop()
                else:
                    kept.append(ch)
            seg = "".join(kept)
        if seg.strip() or start == 0:
            return seg
        end = start - 1


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal(text: str) -> str:
    """A stream as a terminal shows it: colour codes dropped, each line at its last state (progress
    bars collapsed to their final line, so a multi-megabyte log of updates keeps every epoch's line)."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(_last_state(line) if ("\r" in line or "\b" in line) else line for line in text.split("\n"))


def _bounded(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return text[:HEAD] + "\n[…]\n" + text[-(MAX_TEXT - HEAD):]


def _text(value) -> str:
    """A source or output (a string, or a list of lines as nbformat stores them), head and tail bounded."""
    if not isinstance(value, list):
        return _bounded(str(value)) if value is not None else ""
    head, size = [], 0
    for item in value:
        if size >= HEAD:
            break
        head.append(str(item))
        size += len(head[-1])
    if len(head) == len(value):
        return _bounded("".join(head))
    tail, size = [], 0
    for item in reversed(value[len(head):]):
        if size >= MAX_TEXT - HEAD:
            break
        tail.append(str(item))
        size += len(tail[-1])
    return _bounded("".join(head) + ("\n[…]\n" if len(head) + len(tail) < len(value) else "") + "".join(reversed(tail)))


def read_notebook(path: Path) -> Notebook:
    """The notebook at ``path``; raises :class:`NotebookError` with a reason a person can act on."""
    import nbformat

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE:
        raise NotebookError(f"{size / 2**20:.0f} MB, over the {MAX_FILE // 2**20} MB a notebook may have", path=path)
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise NotebookError(f"not a notebook (not valid JSON: {str(err)[:120]})", path=path) from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise NotebookError("not a notebook (no cells)", path=path)
    notes = []
    version = data.get("nbformat")
    if version is None and isinstance(data.get("cells"), list):
        # cells without a version: the file says what it is by its shape (version 4's cell list, not version
        # 3's worksheets); read as that, and say so
        data = {**data, "nbformat": 4, "nbformat_minor": 0}
        notes.append("the file does not say its notebook format version; read as version 4 (its cells are a list)")
        version = 4
    if not isinstance(version, int) or isinstance(version, bool) or version not in nbformat.versions:
        raise NotebookError(f"not a notebook this reader knows (notebook format version {str(version)[:20]}; "
                            f"known: {', '.join(map(str, sorted(nbformat.versions)))})", path=path)
    try:
        nb = nbformat.convert(nbformat.from_dict(data), 4)
    except Exception as err:  # noqa: BLE001 - nbformat raises its own errors and others on malformed input
        raise NotebookError(f"not a notebook ({type(err).__name__}: {str(err).splitlines()[0][:160]})",
                            path=path) from None
    try:
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - jsonschema's ValidationError: read it anyway, say so
        notes.append(f"does not follow the notebook format strictly ({str(err).splitlines()[0][:120]})")
    if not isinstance(nb.get("cells"), list):
        raise NotebookError("not a notebook (no list of cells)", path=path)
    lang = ""
    meta = nb.get("metadata", {})
    if isinstance(meta.get("kernelspec"), dict):
        lang = str(meta["kernelspec"].get("language", ""))
    out = Notebook(path.name, language=lang, notes=notes)
    for i, cell in enumerate(nb["cells"][:MAX_CELLS]):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type", "raw")
        texts, images, error = [], 0, ""
        for o in cell.get("outputs", []) if kind == "code" else []:
            if not isinstance(o, dict):
                continue
            otype = o.get("output_type")
            if otype == "stream":
                value = o.get("text")
                value = "".join(map(str, value)) if isinstance(value, list) else str(value or "")
                texts.append(_bounded(terminal(value)))
            elif otype in ("execute_result", "display_data"):
                data_ = o.get("data", {})
                images += sum(1 for k in data_ if k.startswith("image/"))
                if "text/plain" in data_:
                    texts.append(_bounded(terminal(_text(data_["text/plain"]))))
            elif otype == "error":
                texts.append(f"{o.get('ename', '')}: {o.get('evalue', '')}")
                error = _bounded(texts[-1])[:300]
        executed = kind == "code" and (cell.get("execution_count") is not None or bool(cell.get("outputs")))
        count = cell.get("execution_count") if kind == "code" else None
        out.cells.append(Cell(i, kind, _bounded(_text(cell.get("source"))), _bounded("\n".join(texts)), images,
                              executed, count if isinstance(count, int) and not isinstance(count, bool) else None,
                              error=error))
    counts = [c.count for c in out.cells if c.count is not None]
    for c in out.cells:
        if c.count is not None and counts.count(c.count) == 1:
            c.label = f"In [{c.count}]"
        elif c.count is not None:
            c.label = f"In [{c.count}] (cell {c.index + 1})"
        else:
            c.label = f"cell {c.index + 1}"
    return out
