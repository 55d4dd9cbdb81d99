"""What a class is graded against: which layout, which expected inputs, and which handed-out labels
to find moved blocks by, from what the teacher gave (``--template``, ``--layout``) — the one place
that decides which of them to trust."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.exercise import Example
from ..files.opening import open_workbook
from ..handout.examples import load_example
from ..layout.model import Layout
from ..layout.relocate import (
    HandoutLabels,
    given_inputs,
    labels_from_handout,
    uses_ranges,
)
from ..workbook.reading import embedded_layout, read_workbook


@dataclass
class Sources:
    layout: Layout | None  # None: xlcnn's own layout
    expected_inputs: Example | None  # None: learned from the class (most submissions share them)
    handout_labels: HandoutLabels | None  # None: no handed-out file (learned from the class, if needed)


def resolve_sources(handout: Path | None, layout: Layout | None) -> Sources:
    """The rules:

    * the handed-out workbook given (``--template``): its inputs are expected; without ``--layout``
      the layout it carries is trusted (a teacher's file — a student's embedded layout never is); with
      a layout of sheet ranges, its labels locate the blocks students moved;
    * no handed-out workbook and xlcnn's own layout: xlcnn's own example is expected;
    * no handed-out workbook and a course's own layout: the inputs are learned from the class."""
    if handout is not None:
        book = open_workbook(handout)
        if layout is None:
            layout = embedded_layout(book)
        reading = read_workbook(book, layout)
        labels = None
        if layout is not None and uses_ranges(layout):
            labels = labels_from_handout(reading.book, layout, given_inputs(reading))
        return Sources(layout, reading.example, labels)
    if layout is None:
        return Sources(None, load_example(), None)
    return Sources(layout, None, None)
