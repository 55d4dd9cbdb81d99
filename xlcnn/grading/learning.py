"""Without the handed-out workbook (``--template``), learn it from the class: the labels found at
the same place in most submissions and the given numbers most of them share; then the submissions
to assess again against it (moved blocks, changed inputs, a layout that did not fit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.exercise import Example
from ..layout.model import Layout
from ..layout.relocate import HandoutLabels, labels_from_class
from ..workbook.verdict import InputsCheck
from .record import Record, Status


def _fingerprint(inputs: dict) -> tuple:
    return tuple(sorted((region, a.shape, a.tobytes()) for region, a in inputs.items()))


@dataclass
class Learned:
    """The handed-out workbook as most of the class has it, and whom to assess again against it."""

    handout_labels: HandoutLabels | None = None
    to_reassess: set[str] = field(default_factory=set)  # record keys
    usual_inputs: Example | None = None  # the given numbers most submissions share (None: no majority)


def learn_handout(records: list[Record], layout: Layout, problems: list[str]) -> Learned:
    """Without ``--template``: the handed-out workbook as most of the class has it (its labels, and
    the given numbers most submissions share), and the submissions to assess again against it:
    those whose labels or given numbers differ, and those whose layout did not fit."""
    readable = [r for r in records if r.labels]
    if not readable:
        return Learned()
    signed = {r.key for r in records
              if r.report is not None and r.report.inputs in (InputsCheck.SIGNED, InputsCheck.CHANGED)}
    counts: dict[tuple, list[Record]] = {}
    for r in records:
        if r.inputs and r.key not in signed:
            counts.setdefault(_fingerprint(r.inputs), []).append(r)
    ranked = sorted(counts.values(), key=len, reverse=True)
    inputs, majority = {}, None  # the usual inputs: by region, and as an Example
    if ranked and (len(ranked) == 1 or len(ranked[0]) > len(ranked[1])):
        inputs, majority = ranked[0][0].inputs, ranked[0][0].example
        usual = _fingerprint(inputs)
    else:
        usual = None
        if ranked:
            problems.append("no set of given numbers is shared by more submissions than any other: changed inputs "
                            "cannot be told from the class (give the handed-out workbook with --template)")
    handout = labels_from_class([r.labels for r in readable], layout, inputs)
    again = set()
    for r in records:
        if r.status is Status.LAYOUT_MISMATCH or (r.status is Status.UNREADABLE and r.labels):
            again.add(r.key)
            continue
        if not r.labels:
            continue
        for sheet, context in handout.context.items():
            mine = {(row, col): text for row, col, text in r.labels.get(sheet, [])}
            if any(mine.get(pos) != text for pos, text in context.items()):
                again.add(r.key)
                break
        if usual is not None and r.inputs and r.key not in signed and _fingerprint(r.inputs) != usual:
            again.add(r.key)
    return Learned(handout, again, majority)
