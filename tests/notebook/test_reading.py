"""xlcnn.notebook.reading on its own: a notebook read as data, safely.

What a cell keeps (source, the text of its outputs, images, execution count, the label a TA finds
it by), how streams are shown as a terminal shows them (progress bars collapsed, colours dropped),
how long texts are cut to a head and a tail, and what a broken, odd or oversized file gives: a
:class:`NotebookError` with a reason, or a read notebook with a note.
"""

from __future__ import annotations

import itertools
import json

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from tests.support.notebooks import KERNEL, keras_log, write
from xlcnn.notebook import reading
from xlcnn.notebook.reading import HEAD, MAX_CELLS, MAX_TEXT, NotebookError, read_notebook, terminal


def written(tmp_path, nb, name="cnn.ipynb"):
    path = tmp_path / name
    write(nb, path)
    return read_notebook(path)


def raw(tmp_path, content, name="cnn.ipynb"):
    """A file written byte for byte (or a dict as JSON), then read."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return read_notebook(path)


def v4(*cells, **top) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **top}


IDS = itertools.count()


def code_cell(source="x", outputs=(), count=1, **extra) -> dict:
    return {"cell_type": "code", "id": f"cell-{next(IDS)}", "source": source, "outputs": list(outputs),
            "execution_count": count, "metadata": {}, **extra}


def stream(text) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


# ------------------------------------------------------------------------------------ cells

def test_cells_their_outputs_and_images(tmp_path):
    cell = new_code_cell("print(1)", execution_count=3, outputs=[
        new_output("stream", name="stdout", text="1\n"),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=3),
        new_output("display_data", data={"image/png": "AAAA", "image/svg+xml": "<svg/>", "text/plain": "<Figure>"}),
        new_output("error", ename="ValueError", evalue="bad shape", traceback=["..."]),
    ])
    nb = written(tmp_path, new_notebook(cells=[new_markdown_cell("# PW04"), cell, new_raw_cell("raw text")],
                                        metadata=KERNEL))
    assert (nb.name, nb.language, nb.notes) == ("cnn.ipynb", "python", [])
    md, c, r = nb.cells
    assert (md.index, md.kind, md.source, md.outputs, md.executed) == (0, "markdown", "# PW04", "", False)
    assert (c.index, c.kind, c.source) == (1, "code", "print(1)")
    assert c.outputs == "1\n\n42\n<Figure>\nValueError: bad shape"  # the outputs' texts, one after the other
    assert (c.images, c.executed, c.count) == (2, True, 3)
    assert (r.kind, r.source, r.count) == ("raw", "raw text", None)


@pytest.mark.parametrize("counts, labels", [
    ([1, 2, 3], ["In [1]", "In [2]", "In [3]"]),
    ([5, 5, 7], ["In [5] (cell 1)", "In [5] (cell 2)", "In [7]"]),
    ([None, 2, None], ["cell 1", "In [2]", "cell 3"]),
], ids=["each-count-once", "a-count-twice-adds-the-position", "never-run-cells-by-position"])
def test_labels_a_ta_finds_the_cell_by(tmp_path, counts, labels):
    nb = written(tmp_path, new_notebook(cells=[new_code_cell(f"x{i}", execution_count=n)
                                               for i, n in enumerate(counts)]))
    assert [c.label for c in nb.cells] == labels


@pytest.mark.parametrize("cell, executed", [
    (code_cell(count=4), True),
    (code_cell(count=None, outputs=[stream("hi\n")]), True),
    (code_cell(count=None), False),
], ids=["has-a-count", "has-outputs-only", "neither"])
def test_what_counts_as_executed(tmp_path, cell, executed):
    nb = raw(tmp_path, v4(cell))
    assert nb.cells[0].executed is executed and nb.executed is executed


@pytest.mark.parametrize("cells, executed, has_outputs", [
    ([code_cell(count=1, outputs=[stream("  \n")])], True, False),
    ([code_cell(count=1, outputs=[{"output_type": "display_data", "data": {"image/jpeg": "AAAA"},
                                   "metadata": {}}])], True, True),
    ([{"cell_type": "markdown", "id": "md", "source": "# T", "metadata": {}}], False, False),
], ids=["blank-output-is-no-output", "an-image-is-an-output", "markdown-only"])
def test_notebook_executed_and_has_outputs(tmp_path, cells, executed, has_outputs):
    nb = raw(tmp_path, v4(*cells))
    assert (nb.executed, nb.has_outputs) == (executed, has_outputs)


def test_a_keras_progress_stream_keeps_each_epochs_last_state(tmp_path):
    text = ("Epoch 1/1\n\x1b[1m 10/391\x1b[0m \x1b[32m━\x1b[0m 3s - accuracy: 0.1\r"
            "\x1b[1m391/391\x1b[0m \x1b[32m━━━━\x1b[0m 3s - accuracy: 0.4000 - loss: 1.9\n")
    nb = raw(tmp_path, v4(code_cell("model.fit(x, y)", [stream(text)])))
    assert nb.cells[0].outputs == "Epoch 1/1\n391/391 ━━━━ 3s - accuracy: 0.4000 - loss: 1.9\n"


def test_stream_and_source_given_as_lists_of_lines(tmp_path):
    nb = raw(tmp_path, v4(code_cell(["a = 1\n", "print(a)"], [stream(["1\n", "2\n"])])))
    assert (nb.cells[0].source, nb.cells[0].outputs) == ("a = 1\nprint(a)", "1\n2\n")


# ------------------------------------------------------------------------------------ terminal

@pytest.mark.parametrize("text, shown", [
    ("Epoch 1\r 10/100 [=>..] loss\r100/100 [====] loss: 1.2\nnext", "100/100 [====] loss: 1.2\nnext"),
    ("abc\b\bX", "aX"),
    ("\b\bab", "ab"),
    ("\x1b[1mbold\x1b[0m and \x1b[38;5;34mgreen\x1b[0m", "bold and green"),
    ("done\r\r", "done"),
    ("a\r   \r", "a"),
    ("line\r\nnext\r\n", "line\nnext\n"),
    ("plain text\n", "plain text\n"),
], ids=["progress-bar-collapsed", "backspaces-applied", "backspace-at-the-start", "colours-dropped",
        "trailing-returns-keep-the-text", "a-blank-state-is-skipped", "windows-line-ends", "untouched"])
def test_terminal(text, shown):
    assert terminal(text) == shown


# ------------------------------------------------------------------------------------ bounds

def test_a_long_output_keeps_its_head_and_its_tail():
    lines = [f"{i:06d}\n" for i in range(100_000)]  # 700,000 characters
    out = reading._text(lines)
    assert len(out) == MAX_TEXT + len("\n[…]\n")
    assert out.startswith("000000\n") and out.endswith("099999\n") and out.count("[…]") == 1
    assert out.index("[…]") < HEAD + 10


@pytest.mark.parametrize("value, expected", [
    (None, ""),
    (5, "5"),
    (["a\n", "b"], "a\nb"),
    ("x" * MAX_TEXT, "x" * MAX_TEXT),
], ids=["missing", "not-text", "list-of-lines", "exactly-the-limit-kept-whole"])
def test_text_of_a_source_or_output(value, expected):
    assert reading._text(value) == expected


def test_a_long_stream_in_a_notebook_is_cut(tmp_path):
    nb = raw(tmp_path, v4(code_cell("fit", [stream("x" * 300_000 + "\nEND")])))
    out = nb.cells[0].outputs
    assert len(out) == MAX_TEXT + len("\n[…]\n") and out.endswith("END")


def test_cells_beyond_the_limit_are_not_read(tmp_path):
    cells = [{"cell_type": "markdown", "source": str(i), "metadata": {}, "id": f"c{i}"} for i in range(MAX_CELLS + 3)]
    nb = raw(tmp_path, v4(*cells))
    assert len(nb.cells) == MAX_CELLS and nb.cells[-1].source == str(MAX_CELLS - 1)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.ipynb"
    with open(path, "wb") as f:
        f.truncate(65 * 2**20)  # sparse: 65 MB that take no disk
    with pytest.raises(NotebookError, match=r"^huge\.ipynb: 65 MB, over the 64 MB a notebook may have$"):
        read_notebook(path)


# ------------------------------------------------------------------------------------ broken and odd files

@pytest.mark.parametrize("content, message", [
    (b"", r"not a notebook \(not valid JSON: Expecting value"),
    (b'{"cells": ["\xe9"]}', r"not a notebook \(not valid JSON: 'utf-8' codec can't decode"),
    (b"[" * 100_000 + b"]" * 100_000, r"not a notebook \(not valid JSON: maximum recursion depth"),
    (b'{"metadata": {}}', r"not a notebook \(no cells\)"),
    (b'"cells"', r"not a notebook \(no cells\)"),
    (json.dumps(v4(cells={"a": 1})).encode(), r"not a notebook \(no list of cells\)"),
], ids=["empty-file", "not-utf8", "nested-too-deep", "no-cells-key", "a-json-string", "cells-a-dict"])
def test_broken_files(tmp_path, content, message):
    with pytest.raises(NotebookError, match="^cnn.ipynb: " + message):
        raw(tmp_path, content)


def test_an_unknown_format_version_is_refused(tmp_path):
    with pytest.raises(NotebookError, match=r"^cnn\.ipynb: not a notebook this reader knows \(notebook format "
                                            r"version 99; known: 1, 2, 3, 4\)$"):
        raw(tmp_path, v4(nbformat=99, nbformat_minor=0))


def test_an_unknown_format_version_is_named_in_words(tmp_path):
    with pytest.raises(NotebookError, match=r"(?i)(version|nbformat).*99|99.*(version|nbformat)"):
        raw(tmp_path, v4(nbformat=99, nbformat_minor=0))


def test_a_byte_order_mark_is_accepted(tmp_path):
    nb = raw(tmp_path, b"\xef\xbb\xbf" + json.dumps(v4(code_cell("print(1)"))).encode())
    assert [c.source for c in nb.cells] == ["print(1)"] and nb.notes == []


def test_an_old_nbformat_3_notebook_is_converted(tmp_path):
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"metadata": {}, "cells": [
        {"cell_type": "code", "input": "print(1)", "language": "python", "prompt_number": 4, "metadata": {},
         "outputs": [{"output_type": "stream", "stream": "stdout", "text": "1\n"}]},
        {"cell_type": "markdown", "source": "# hi", "metadata": {}}]}]}
    nb = raw(tmp_path, old)
    assert [(c.kind, c.source, c.outputs, c.count, c.label) for c in nb.cells] == [
        ("code", "print(1)", "1\n", 4, "In [4]"), ("markdown", "# hi", "", None, "cell 2")]


def test_a_loose_notebook_is_read_with_a_note(tmp_path):
    """Not a cell, an output that is not one, an execution count ``true``, outputs on a markdown cell:
    what can be read is read, and the note says the file does not follow the format."""
    loose = v4(code_cell("print(1)", [stream("1\n"), "junk"], count=True),
               "not a cell",
               {"cell_type": "markdown", "id": "md", "source": "md", "metadata": {}, "outputs": [stream("hidden")]})
    nb = raw(tmp_path, loose)
    assert len(nb.notes) == 1 and nb.notes[0].startswith("does not follow the notebook format strictly (")
    code, md = nb.cells
    assert (code.index, code.outputs, code.count, code.label, code.executed) == (0, "1\n", None, "cell 1", True)
    assert (md.index, md.kind, md.outputs, md.label) == (2, "markdown", "", "cell 3")


def test_kernel_language_is_read_when_given(tmp_path):
    nb = raw(tmp_path, v4(code_cell(), metadata={"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}))
    assert nb.language == "R"
    assert raw(tmp_path, v4(code_cell(), metadata={"kernelspec": "python3"})).language == ""


def test_a_notebook_without_its_version_keeps_its_code(tmp_path):
    nb = raw(tmp_path, {"cells": [code_cell("model.fit(x, y)")], "metadata": {}})
    assert nb.cells[0].source == "model.fit(x, y)" or nb.notes


def test_a_real_keras_log_written_by_nbformat_round_trips(tmp_path):
    nb = written(tmp_path, new_notebook(cells=[new_code_cell("m.fit(x, y, epochs=2)", execution_count=1, outputs=[
        new_output("stream", name="stdout", text=keras_log(2, 0.5))])]))
    assert nb.cells[0].outputs == keras_log(2, 0.5)
