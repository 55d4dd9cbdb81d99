"""A layout written as TOML, from its regions (the region table decides where each goes): the
layout ``xlcnn template`` embeds and ships, and the one ``xlcnn layout draft`` proposes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .regions import FAMILIES, RegionId

Ref = str | int


def _value(ref: Ref) -> str:
    if isinstance(ref, int):
        return str(ref)
    if not isinstance(ref, str):
        raise ValueError(f"a layout's reference must be a name, a range or a number, not {ref!r}")
    return json.dumps(ref, ensure_ascii=False)  # a TOML basic string: '"' and '\\' escaped as in JSON


def _list(refs: Sequence[Ref | None]) -> str:
    """A list of references; a region not known (None) is an empty string, which loading refuses naming
    its place, never a name such as "None" that would load."""
    return "[" + ", ".join('""' if r is None else _value(r) for r in refs) + "]"


def layout_toml(refs: Mapping[RegionId, Ref], header: Sequence[str] = (),
                comments: Mapping[str | RegionId, str] | None = None) -> str:
    """The TOML text of a layout. ``comments``: a note after a region's line, by region (or by
    family, for the keys that list several regions: ``conv2d.input``, ``conv2d.filters``...)."""
    comments = comments or {}

    def of(family: str, *index: int) -> Ref | None:
        return refs.get(RegionId.of(family, *index))

    def count(family: str) -> int:
        return len({r.first for r in refs if r.family == family})

    def line(key: str, text: str, note_key) -> str:
        note = comments.get(note_key)
        return f"{key} = {text}" + (f"  # {note}" if note else "")

    def scalar_lines(families: Sequence[str], *index: int) -> list[str]:
        out = []
        for family in families:
            ref = of(family, *index)
            if ref is not None:
                rid = RegionId.of(family, *index)
                out.append(line(FAMILIES[family].toml[1], _value(ref), rid))
        return out

    lines = list(header)
    one = [f for f in ("conv1d.input", "conv1d.filter", "conv1d.bias") if of(f) is not None]
    if one:
        lines += ["[conv1d]", *scalar_lines(one)]
        for i in range(1, count("conv1d.cases.output") + 1):
            lines += ["", "[[conv1d.cases]]", *scalar_lines(
                [f"conv1d.cases.{k}" for k in ("stride", "padding", "output", "size", "same", "note")], i)]
    n_channels = count("conv2d.input")
    if n_channels:
        if one:
            lines.append("")
        filters = [[of("conv2d.filters", k, c) for c in range(1, n_channels + 1)]
                   for k in range(1, count("conv2d.filters") + 1)]
        lines += ["[conv2d]",
                  line("input", _list([of("conv2d.input", c) for c in range(1, n_channels + 1)]), "conv2d.input"),
                  line("filters", "[", "conv2d.filters"), *(f"  {_list(f)}," for f in filters), "]",
                  line("biases", _list([of("conv2d.biases", k) for k in range(1, count("conv2d.biases") + 1)]),
                       "conv2d.biases"),
                  *scalar_lines(["conv2d.maps", "conv2d.preserve"])]
        for i in range(1, count("conv2d.volumes.answer") + 1):
            lines += ["", "[[conv2d.volumes]]",
                      *scalar_lines([f"conv2d.volumes.{k}" for k in ("stride", "padding", "answer")], i)]
        lines += ["", "[conv2d.values]", *scalar_lines(["conv2d.values.stride", "conv2d.values.padding"]),
                  line("output", _list([of("conv2d.values.output", k)
                                        for k in range(1, count("conv2d.values.output") + 1)]), "conv2d.values.output")]
    lines.append("")
    return "\n".join(lines)
