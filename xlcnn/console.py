"""Terminal output (rich): answers, check reports, layouts and grades as tables.

Every text that came from a file (a student's answer, a file or sheet name, a message quoting
them) goes through :func:`esc`, so ``[/b]`` or ``x[i]`` is printed as written, never read as
rich markup."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from .core.exercise import Answers
from .core.numbers import num
from .core.worked import explain_1d, explain_2d
from .workbook.verdict import Answer


def _table(*headers: str, **options) -> Table:
    """A table whose cells wrap, and fold a word longer than their column, never cut it with "…": a
    file name or a verdict is read whole at 80 columns."""
    table = Table(**options)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _heading(console: Console, title: str) -> None:
    """A rule with ``title`` (markup, already escaped); a title too long for the line goes under the
    rule, whole, instead of being cut."""
    plain = Text.from_markup(title).plain
    if len(plain) + 6 <= console.width:
        console.rule(title)
    else:
        console.rule()
        console.print(title, overflow="fold")


def _clip(text: str, limit: int = 300) -> str:
    """``text``, or its first words and "…" when longer than ``limit`` (a table row stays short)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1] + " …"


def _vec(values) -> str:
    return "[" + ", ".join(num(v) for v in values) + "]"


def print_answers(ans: Answers, console: Console | None = None) -> None:
    console = console or Console()
    ex = ans.example
    _heading(console, f"[bold]Exercise 1 — {esc(ex.name)}")

    console.print("\n[bold]a) 1D convolution[/bold]")
    console.print(
        f"input x = {_vec(ex.x1)} (N = {ex.x1.size}),  filter w = {_vec(ex.w1)} (F = {ex.w1.size}),  "
        f"bias b = {num(ex.b1)}"
    )
    table = _table("S", "P", "output size  (N - F + 2P)/S + 1", "output", "same size as input?")
    for case in ans.cases1:
        size = case.size
        arithmetic = size.explain() if size.fits else f"{size.explain().split(':')[0]} -> {size.size} (does not fit)"
        table.add_row(
            str(case.stride), str(case.padding), arithmetic, _vec(case.values), "yes" if case.same_size else "no"
        )
    console.print(table)
    for case in ans.cases1:
        console.print(f"[bold]S={case.stride}, P={case.padding}[/bold]")
        if not case.size.fits:
            console.print(f"  note: {case.size.explain()}")
        for i in range(case.size.size):
            console.print("  " + explain_1d(ex.x1, ex.w1, ex.b1, case.stride, case.padding, i))
    same = ", ".join(f"S={s}, P={p}" for s, p in ans.same_size_cases) or "none of them"
    console.print(f"Output as long as the input ({ex.x1.size}): [bold]{same}[/bold]")

    h, w, c = ex.x2.shape
    f, k = ex.w2.shape[0], ex.n_filters
    console.print("\n[bold]b) 2D convolution[/bold]")
    console.print(
        f"input {h}x{w}x{c},  {k} filters {f}x{f}x{c},  biases {_vec(ex.b2)}"
    )
    console.print(f"Number of activation maps: [bold]{ans.n_maps}[/bold] (one per filter)")
    for vol in ans.volumes:
        console.print(
            f"Output volume with S={vol.stride}, P={vol.padding}: [bold]{'x'.join(map(str, vol.shape))}[/bold]"
            f"   ({vol.height.explain()})"
        )
    s, p = ex.values_case
    console.print(f"\nOutput values with S={s}, P={p}:")
    grids = Table.grid(padding=(0, 4))
    cells = []
    for kk in range(k):
        grid = Table(title=f"map {kk + 1}: filter w{kk + 1}, bias b{kk + 1} = {num(ex.b2[kk])}", show_header=False)
        for row in ans.values[:, :, kk]:
            grid.add_row(*(num(v) for v in row))
        cells.append(grid)
    grids.add_row(*cells)
    console.print(grids)
    for kk in range(k):
        for i in range(ans.values.shape[0]):
            for j in range(ans.values.shape[1]):
                console.print("  " + explain_2d(ex.x2, ex.w2, ex.b2, s, p, i, j, kk), soft_wrap=True)
    console.print(
        f"\nFilter size F, padding P and stride S that preserve the spatial size {h}: any with "
        f"({h} - F + 2P)/S + 1 = {h}; with S = 1 that is P = (F - 1)/2, e.g. "
        + ", ".join(f"(F={a}, P={b}, S={c_})" for a, b, c_ in ans.preserving[:4])
    )
    console.print(
        f"Parameters of this layer: ({f}*{f}*{c} + 1) * {k} = [bold]{ans.params}[/bold]"
    )


STATUS_STYLE = {Answer.RIGHT: "green", Answer.WRONG: "red", Answer.MISSING: "yellow", Answer.NOT_CALCULATED: "magenta"}


MAX_WORKED = 110  # characters of a worked computation shown; a longer sum keeps its first terms


def shortened(worked: str, limit: int = MAX_WORKED) -> str:
    """A long worked sum cut to its first terms: "y[0,0] = 1*2 + 0*1 + … = 5"."""
    if len(worked) <= limit or " = " not in worked:
        return worked
    head, _, result = worked.rpartition(" = ")
    keep = head[: limit - len(result) - 8]
    cut = keep.rfind(" + ")
    return (keep[:cut] if cut > 0 else keep) + " + … = " + result


def _cell_line(c) -> str:
    """One wrong cell as a value line reads: "wrong: expected 3: (7 - 3 + 2*0) / 2 + 1 = 3"."""
    detail = shortened(c.detail or "")
    if c.expected is not None and c.expected != "":
        shown = c.expected if isinstance(c.expected, str) else num(c.expected)
        if f"expected {shown}" not in detail:  # said once, wherever the detail says it
            detail = f"expected {shown}" + (f": {detail}" if detail else "")
    if detail.startswith(str(c.status)):  # "not calculated — open and save it...": the status said once
        return detail
    return f"{c.status}: {detail}" if detail else c.status


def print_check(report, console: Console | None = None) -> None:
    console = console or Console()
    _heading(console, f"[bold]{esc(report.file)}")
    hints = getattr(report, "mode", "full") == "hints"
    table = _table("question", "status", "given", *([] if hints else ["expected"]))
    for q in report.questions:
        style = STATUS_STYLE.get(q.status, "")
        row = [esc(q.label), f"[{style}]{esc(q.status)}[/{style}]", esc(q.given) if q.given not in (None, "") else
               "[dim](empty)[/dim]"]
        table.add_row(*row, *([] if hints else [esc(q.expected)]))
    console.print(table)
    cells = Table.grid(padding=(0, 1))  # the reference never broken over two lines; the text wraps beside it
    cells.add_column(no_wrap=True)
    cells.add_column(overflow="fold")
    for q in report.questions:
        for c in q.cells:
            if c.status in (Answer.WRONG, Answer.NOT_CALCULATED):
                cells.add_row(esc(f"  sheet '{c.sheet}', cell {c.cell}:"), esc(_cell_line(c)))
    if cells.row_count:
        console.print(cells)
    labels = {q.id: q.label for q in report.questions}
    if report.diagnoses:
        console.print("[bold]Mistakes recognised[/bold]")
        found_table = Table.grid(padding=(0, 1))
        found_table.add_column(no_wrap=False, max_width=40)
        found_table.add_column(overflow="fold")
        for qid, found in report.diagnoses.items():
            for mistake in found:
                found_table.add_row(f"  [yellow]{esc(labels.get(qid, qid))}[/yellow]:", esc(mistake))
        console.print(found_table)
    if hints:
        console.print("[dim]Hints only: the expected values are not shown (set by your teacher, or --hints).[/dim]")
    for problem in report.problems:
        console.print(f"[red]{esc(problem)}[/red]")
    right = sum(q.status is Answer.RIGHT for q in report.questions)
    summary = "all right" if report.all_right else f"{right} of {len(report.questions)} questions right"
    if report.recalculated:
        summary += " (formulas recalculated by LibreOffice)"
    console.print(f"[bold]{summary}[/bold]")


def regions_table(reading) -> list[dict]:
    rows = []
    for region, role, ref in reading.layout.regions():
        if region in reading.literals:
            rows.append({"region": str(region), "role": role, "ref": ref, "sheet": None, "range": None,
                         "values": [[reading.literals[region]]]})
            continue
        area = reading.areas[region]
        values = [[reading.book.value(area.sheet, c) for c in row] for row in area.grid()]
        rows.append({"region": str(region), "role": role, "ref": ref, "sheet": area.sheet,
                     "range": area.range_text(), "values": values})
    return rows


def print_inspect(reading, rows, console: Console | None = None) -> None:
    console = console or Console()
    _heading(console, f"[bold]{esc(reading.book.name)}[/bold] — layout: {esc(reading.layout.source)}")
    table = Table("role", "defined as", "sheet", "range", "values")
    table.columns[1].overflow = "fold"  # references are long: folded, never cut
    table.columns[4].overflow = "fold"
    table.add_column("region", no_wrap=True, min_width=max((len(r["region"]) for r in rows), default=6))
    table.columns.insert(0, table.columns.pop())  # the region first, always whole
    for r in rows:
        flat = [v for row in r["values"] for v in row]
        shown = ", ".join("" if v is None else (num(v) if isinstance(v, (int, float)) else str(v)) for v in flat[:12])
        if len(flat) > 12:
            shown += f", ... ({len(flat)} cells)"
        table.add_row(esc(r["region"]), esc(r["role"]), esc(str(r["ref"])), esc(r["sheet"] or "(number)"),
                      esc(r["range"] or ""), esc(shown))
    console.print(table)


def print_grades(run, console: Console | None = None) -> None:
    from .grading.record import Status

    console = console or Console()
    table = _table("submission", "status", "points", "grade", "mistakes recognised / problems")
    for r in run.records:
        style = "red" if r.status.needs_person else "green"
        mistakes = sorted({d.split(":")[0] for ds in r.diagnoses.values() for d in ds})
        notes = "; ".join(mistakes + r.texts())
        grade = "" if r.grade is None else f"{r.grade:.2f}" if r.status is Status.GRADED else "held"
        table.add_row(esc(r.name), f"[{style}]{esc(r.status)}[/{style}]",
                      f"{num(round(r.total, 2))}/{num(r.max_total)}" if r.report else "", grade, esc(_clip(notes)))
    console.print(table)
    for p in run.problems:
        console.print(f"[yellow]{esc(p)}[/yellow]")
    if run.similarities:
        console.print(f"{len(run.similarities)} pair(s) of similar submissions: see the Similarity sheet")
    if run.absent:
        console.print(f"{len(run.absent)} student(s) of the worksheet handed in nothing: listed in the gradebook "
                      "as 'no submission'")
    console.print(f"[bold]{esc(run.summary())}[/bold]")


def _pct(value, digits: int = 0) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}%"


def print_stats(frames: dict, console: Console | None = None) -> None:
    """``xlcnn stats``: item analysis, mistakes by frequency, parts and notebooks, as tables."""
    console = console or Console()
    items = frames["items"]
    table = _table("question", "n", "facility", "sd", "discrimination", "efficiency", "verdict",
                  title="Item analysis (as Moodle's quiz statistics define it)")
    for _, r in items.iterrows():
        verdict = str(r["verdict"])
        style = "green" if verdict.startswith(("very good", "adequate")) else "yellow"
        table.add_row(esc(str(r["label"])), str(r["n"]), _pct(100 * r["facility"] if r["facility"] is not None
                                                                  else None), _pct(100 * r["sd"] if r["sd"] is not None
                                                                                   else None),
                      _pct(r["discrimination"]), _pct(r["efficiency"]), f"[{style}]{esc(verdict)}[/{style}]")
    console.print(table)
    mistakes = frames["mistakes"]
    table = _table("mistake", "submissions", "questions", title="Mistakes recognised, most frequent first")
    for _, r in mistakes.iterrows():
        table.add_row(esc(str(r["mistake"])), str(r["submissions"]), esc(str(r["questions"])))
    if len(mistakes):
        console.print(table)
    else:
        console.print("No mistake recognised.")
    parts = frames["part_distribution"]
    table = _table("part", "submissions", "mean", "median", "min", "max", "out of", title="Points per part")
    for _, r in parts.iterrows():
        table.add_row(*(esc(str(r["part"])), str(r["submissions"]),
                        *(num(round(float(r[k]), 2)) for k in ("mean", "median", "min", "max", "out_of"))))
    console.print(table)
    checklist = frames.get("checklist")
    if checklist is not None and len(checklist):
        table = _table("notebook item", "done", "of", "mean", title="The notebooks' checklist")
        for _, r in checklist.iterrows():
            table.add_row(esc(str(r["item"])), str(r["done"]), str(r["notebooks"]), num(round(float(r["mean"]), 2)))
        console.print(table)
    nbs = frames["notebooks"]
    if len(nbs):
        best = nbs["best_cnn_test"].dropna()
        line = (f"Notebooks: {len(nbs)} read; best CNN test accuracy: median {best.median():.1f}%, "
                f"max {best.max():.1f}%") \
            if len(best) else f"Notebooks: {len(nbs)} read; no CNN test accuracy shown"
        if "reference_best_cnn_test" in nbs:
            line += f" (the instructor's: {nbs['reference_best_cnn_test'].iloc[0]:.1f}%)"
        console.print(line)


def print_moodle_check(site, assignment, reads, writes, optional, problems, console: Console | None = None) -> None:
    """What a token can do on a site, and how an assignment is set up."""
    console = console or Console()
    _heading(console, f"[bold]{esc(site.url)}[/bold] — Moodle {esc(site.release)}")
    console.print(f"token of user {site.userid} ({esc(site.username)}); files: upload "
                  f"{'[green]yes[/green]' if site.upload else '[red]no[/red]'}, download "
                  f"{'[green]yes[/green]' if site.download else '[red]no[/red]'}")
    table = _table("web-service function", "needed for", "offered")
    for names, role in ((reads, "pull, push (read)"), (writes, "push"), (optional, "optional")):
        for name in names:
            ok = name in site.functions
            table.add_row(esc(name), role, "[green]yes[/green]" if ok else ("[red]no[/red]" if role != "optional"
                                                                           else "[yellow]no[/yellow]"))
    console.print(table)
    if assignment is not None:
        a = assignment
        console.print(f"assignment {a.cmid} (id {a.id}): {esc(a.name)} in {esc(a.course_shortname)}: maximum grade "
                      f"{a.max_grade:g}; {'team' if a.team else 'individual'} submissions"
                      f"{'; blind marking' if a.blind else ''}{'; marking workflow' if a.workflow else ''}; "
                      f"feedback comments {'on' if a.comments else 'off'}, feedback files {'on' if a.files else 'off'}")
    for p in problems:
        console.print(f"[red]{esc(p)}[/red]")


PLAN_STYLE = {"create": "green", "update": "cyan", "unchanged": "dim", "skip": "yellow", "skipped": "dim"}


def _grade_cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_push_plan(actions, name: str, console: Console | None = None, notes: tuple[str, ...] = ()) -> None:
    """The push's plan, one line per student at 80 columns: who, the action, the grade in Moodle and
    the grade sent, how many files go (and how many of a person's are kept), and why; only the why
    wraps (the whole plan is in moodle-plan.json). ``notes``: lines said before the table (marking
    workflow: what happens to the students' states)."""
    from rich import box

    console = console or Console()
    _heading(console, f"Push to '{esc(name)}'")
    for note in notes:
        console.print(esc(note), overflow="fold")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("student", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("action", no_wrap=True)
    table.add_column("Moodle", no_wrap=True, justify="right")
    table.add_column("sent", no_wrap=True, justify="right")
    table.add_column("files", no_wrap=True, justify="right")
    table.add_column("why", overflow="fold", ratio=1)
    for a in actions:
        t, now = a.target, a.now
        kind = "skipped" if a.kind == "skip" and a.decided else a.kind
        style = PLAN_STYLE[kind]
        sending = t is not None and a.kind in ("create", "update")
        files = "–" if not (sending and a.send_files) else (
            f"{len(t.files)}+{len(a.keep_files)}" if a.keep_files else str(len(t.files)))
        who = a.label.split(" (Participant ")[0]
        table.add_row(esc(who), f"[{style}]{kind}[/{style}]", _grade_cell(None if now is None else now.grade),
                      _grade_cell(t.grade if sending else None), files, esc(a.why))
    console.print(table)
    counts: dict[str, int] = {}
    for a in actions:
        kind = "skipped by a person" if a.kind == "skip" and a.decided else (
            "need a person" if a.kind == "skip" else a.kind)
        counts[kind] = counts.get(kind, 0) + 1
    said = [f"{n} needs a person" if k == "need a person" and n == 1 else f"{n} {k}" for k, n in counts.items()]
    console.print(", ".join(said) +
                  ("; files: workbooks sent (+ a person's own files kept beside them)"
                   if any(a.keep_files and a.send_files for a in actions) else ""))
