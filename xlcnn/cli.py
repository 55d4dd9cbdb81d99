"""The ``xlcnn`` command: one subcommand per job.

Errors a user can cause (``XlcnnError``) become a one-line message and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from pathlib import Path

import click

from . import __version__
from .errors import WorkbookError, XlcnnError


@contextlib.contextmanager
def quiet_stderr():
    """The process's standard error (file descriptor 2, where C++ libraries write) silenced."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


UNREADABLE = 2  # check's exit code for a file it could not read or refused


class _Failure(click.ClickException):
    """An :class:`XlcnnError` as click shows it: ``Error: <message>``, with the error's exit code."""

    def __init__(self, err: XlcnnError):
        super().__init__(err.format_message())
        self.exit_code = err.exit_code


class XlcnnGroup(click.Group):
    """A click group that turns every ``XlcnnError`` into one line, ``Error: <message>``, and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XlcnnError as err:
            raise _Failure(err) from err


@click.group(cls=XlcnnGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlcnn")
def main() -> None:
    """xlcnn: exact convolutions, exercise workbooks, grading and results for the CNN practical."""


@main.command()
@click.option(
    "--example",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file with the example's numbers (default: the shipped example).",
)
def answers(example: Path | None) -> None:
    """Print every answer of Exercise 1, with the worked computations.

    The 1D outputs for each (S, P) pair with the output-size arithmetic, which
    pairs keep the input size, the number of activation maps, the output volumes,
    every output value of the 2D layer and how it is computed, the (F, P, S)
    triples that preserve the spatial size and the number of parameters.
    """
    from .console import print_answers
    from .core.exercise import solve
    from .handout.examples import load_example

    print_answers(solve(load_example(example)))


LAYOUT_OPTION = click.option(
    "--layout",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Layout file (TOML) saying where each input and answer is; default: the workbook's own "
    "layout when xlcnn wrote it, else the shipped workbook's layout.",
)


def _limit_options(f):
    """The limits ``check`` and ``grade`` share: one workbook is read as one submission is."""
    f = click.option("--memory-budget", type=click.IntRange(400, 1_000_000), default=1024, show_default=True,
                     help="Megabytes the whole run may use: xlcnn, its workers and LibreOffice together "
                     "(the number of workers follows from it).")(f)
    f = click.option("--memory-limit", type=click.IntRange(200, 64_000), default=400, show_default=True,
                     help="Megabytes one worker may use (it reads one workbook at a time).")(f)
    f = click.option("--time-limit", type=click.FloatRange(1, 3600), default=60.0, show_default=True,
                     help="Seconds one workbook may take, LibreOffice's recalculation included.")(f)
    return f


LIMIT_OPTIONS = _limit_options


def _limits(time_limit: float, memory_limit: int, memory_budget: int):
    from .grading.isolation import Limits

    limits = Limits(time_limit, memory_limit, memory_budget)
    try:
        limits.check()
    except XlcnnError as err:
        raise click.BadParameter(str(err), param_hint="--memory-limit") from None
    return limits


def refuse_overwrite(path: Path, force: bool) -> None:
    """Every command that writes refuses to overwrite a file without --force: the same line, exit 1."""
    if Path(path).exists() and not force:
        raise click.ClickException(f"{path}: exists; pass --force to overwrite it")


FORCE_OPTION = click.option("--force", is_flag=True, help="Overwrite the output if it exists.")


def _layout(path: Path | None):
    from .layout.model import load_layout

    return None if path is None else load_layout(path)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("cnn-ex1-stud.xlsx"), show_default=True,
              help="Where to write the student workbook (without --groups; default: the current folder).")
@click.option("--example", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="TOML file with the example's numbers (default: the shipped example).")
@click.option("--groups", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="CSV of groups (a 'group' column, or the first column): one variant per group.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the variants (with --groups).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("variants"),
              show_default=True, help="Folder for the variants (with --groups).")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="File holding the signing secret (else the XLCNN_SECRET environment variable).")
@click.option("--check-mode", type=click.Choice(["full", "hints"]), default="full", show_default=True,
              help="What the students' `xlcnn check` shows: full (the expected values and worked computations) "
              "or hints (right / wrong and the mistake recognised, never the answer).")
@FORCE_OPTION
def template(output: Path, example: Path | None, groups: Path | None, seed: int, out_dir: Path,
             secret_file: Path | None, check_mode: str, force: bool) -> None:
    """Write the student workbook of Exercise 1 (or one signed variant per group).

    Given numbers are blue, answer cells yellow and unlocked, the rest protected (no
    password); every region has a defined name. With --groups, each group gets its own
    small integers, fixed by --seed and the group's name, and a keyed signature of its
    inputs so that the grader can tell when the given numbers were changed.
    """
    from .files.atomic import atomic_write
    from .files.xlsx_values import save_workbook
    from .handout.build import build_workbook, layout_text
    from .handout.examples import load_example
    from .handout.groups import read_groups, slug
    from .handout.signing import load_secret
    from .handout.variants import Variant, make_variant

    base = load_example(example)
    if groups is None:
        refuse_overwrite(output, force)
        secret = load_secret(secret_file)
        save_workbook(build_workbook(base, secret=secret, check_mode=check_mode), output)
        where = "" if output.is_absolute() else f" (in {Path.cwd()})"
        click.echo(f"wrote {output}{where}" + (" (signed)" if secret else "")
                   + ("; xlcnn check will give hints only" if check_mode == "hints" else ""))
        if example is not None and layout_text(base) != layout_text(load_example()):
            # the checks never trust a layout found in a student's file: hand this one out with it
            layout_file = Path(output).with_suffix(".layout.toml")
            atomic_write(layout_file, lambda tmp: tmp.write_text(layout_text(base), encoding="utf-8"))
            click.echo(f"wrote {layout_file}: your example changes the layout; use --layout {layout_file} "
                       f"with check and grade (or grade --template {output})")
        return
    secret = load_secret(secret_file, required=True)
    names = read_groups(groups)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with click.progressbar(names, label="variants", file=sys.stderr) as bar:
        for group in bar:
            ex = make_variant(base, group, seed)
            path = out_dir / f"cnn-ex1-stud-{slug(group)}.xlsx"
            refuse_overwrite(path, force)
            save_workbook(build_workbook(ex, Variant(group, seed), secret, check_mode), path)
            rows.append((group, path.name))
    import csv

    index = out_dir / "variants.csv"
    with open(index, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["group", "file", "seed"])
        writer.writerows((g, f, seed) for g, f in rows)
    click.echo(f"wrote {len(rows)} variants to {out_dir}/ (list: {index})")


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The solution workbook to write (.xlsx).")
@LAYOUT_OPTION
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists (never the input).")
def solve(workbook: Path, output: Path, layout: Path | None, force: bool) -> None:
    """Fill the answers of WORKBOOK from its own inputs and write OUTPUT.

    Answer cells get live formulas (SUMPRODUCT over the input and filter cells, so
    the answers follow when an input changes) and their values, so the file shows
    numbers in any viewer. Where a filter does not fit, the solution says so.
    """
    from .workbook.solution import solve_file

    refuse_overwrite(output, force or output.resolve() == workbook.resolve())  # over the input: solve_file says
    reading = solve_file(workbook, output, _layout(layout), force)
    click.echo(f"wrote {output} (inputs read from {workbook.name}, layout: {reading.layout.source})")


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@LAYOUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--tolerance", type=float, default=0.01, show_default=True, help="Accepted absolute difference.")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Signing secret, to tell whether the given numbers were changed (else XLCNN_SECRET).")
@click.option("--recalc", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="auto: LibreOffice calculates formulas without a cached value; always: recalculate "
              "everything; never: report them.")
@click.option("--hints", is_flag=True, help="Say right / wrong and the mistake recognised, never the expected "
              "values (a teacher can make this the workbook's own setting: xlcnn template --check-mode hints).")
@LIMIT_OPTIONS
def check(workbook: Path, layout: Path | None, as_json: bool, tolerance: float, secret_file: Path | None,
          recalc: str, hints: bool, time_limit: float, memory_limit: int, memory_budget: int) -> None:
    """Check the answers of a filled WORKBOOK against its own inputs.

    The workbook is read in a worker process with the limits of one submission of grade.
    Exit code: 0 all right, 1 something wrong or missing, 2 unreadable or refused.
    """
    import json

    from .console import print_check
    from .grading.single import check_isolated

    limits = _limits(time_limit, memory_limit, memory_budget)
    try:
        if not workbook.is_file():
            raise WorkbookError("no such file", path=workbook)
        report = check_isolated(workbook, _layout(layout), tolerance, secret_file, limits, recalc)
        if hints or report.mode == "hints":
            report = report.hinted()
    except XlcnnError as err:
        err.exit_code = UNREADABLE
        if as_json:
            click.echo(json.dumps({"file": str(workbook), "error": err.format_message()}))
            sys.exit(err.exit_code)
        raise
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print_check(report)
    sys.exit(0 if report.all_right else 1)


@main.group()
def layout() -> None:
    """Layout files: where the inputs and answers of a teacher's own workbook are."""


@layout.command("draft")
@click.argument("blank", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--solution", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The same workbook solved: each answer region is confirmed by its values.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the proposed layout (TOML).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def layout_draft(blank: Path, solution: Path | None, output: Path, force: bool) -> None:
    """Propose the layout of BLANK, the workbook handed out, for you to confirm with inspect.

    The given numbers are found by shape, strides and paddings beside "S =" / "P =", the answer
    cells by the colour answer cells share (and, with --solution, by their values). Every region
    of the draft says in a comment how it was found.
    """
    from .files.atomic import atomic_write
    from .files.opening import open_workbook
    from .layout.draft import draft_layout

    refuse_overwrite(output, force)
    solved = open_workbook(solution) if solution else None
    draft = draft_layout(open_workbook(blank), solved)
    atomic_write(output, lambda tmp: tmp.write_text(draft.text, encoding="utf-8"))
    click.echo(f"wrote {output}: confirm it with `xlcnn inspect {blank} --layout {output} --png map.png`")
    if solved is not None and not draft.problems:
        draft.problems += confirm_draft(solved, draft.text)
    for problem in draft.problems:
        click.echo(f"Note: {problem}")
    sys.exit(1 if draft.problems else 0)


def confirm_draft(solved, text: str) -> list[str]:
    """The solved copy read through a drafted layout: every answer right, or which are not."""
    from .layout.model import parse_layout
    from .workbook.checking import check_reading
    from .workbook.reading import read_workbook
    from .workbook.verdict import Answer

    try:
        report = check_reading(read_workbook(solved, parse_layout(text, "the draft")))
    except XlcnnError as err:
        return [f"the solved copy cannot be read through the draft: {err}"]
    wrong = [q.label for q in report.questions if q.status is not Answer.RIGHT]
    return [f"the solved copy read through the draft is not right for: {', '.join(wrong)}; check those regions"] \
        if wrong else []


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@LAYOUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the regions as JSON.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw a picture: each sheet printed with every region outlined in a colour of its own "
              "and labelled in the layout's words (several pages: NAME-1.png, NAME-2.png...).")
@FORCE_OPTION
def inspect(workbook: Path, layout: Path | None, as_json: bool, png: Path | None, force: bool) -> None:
    """Show what xlcnn finds where in WORKBOOK: each region's role, sheet, range and values.

    Use it to verify a layout file before grading with it; --png map.png shows it as a picture.
    """
    from .console import print_inspect, regions_table
    from .files.opening import open_workbook
    from .workbook.reading import read_workbook

    reading = read_workbook(open_workbook(workbook), _layout(layout))
    rows = regions_table(reading)
    if as_json:
        click.echo(json.dumps({"file": str(workbook), "layout": reading.layout.source, "regions": rows},
                              indent=2, ensure_ascii=False, default=str))
    else:
        print_inspect(reading, rows)
    if png is not None:
        from .workbook.picture import layout_picture

        refuse_overwrite(png, force)
        for path in layout_picture(reading, png):
            click.echo(f"wrote {path}", err=as_json)


@main.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for grades.csv, feedback.zip, gradebook.xlsx and results.json.")
@click.option("--worksheet", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Moodle's offline grading worksheet (CSV) exported for this assignment (needed for grades.csv).")
@click.option("--worksheet-columns", default="", metavar="grade=H,max=H,feedback=H",
              help="The worksheet's headers on a site in another language, e.g. "
              "'grade=Note,max=Note maximale,feedback=Commentaires de feedback'.")
@click.option("--rubric", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Rubric (TOML): points per question, partial credit, tolerance (default: the shipped one).")
@LAYOUT_OPTION
@click.option("--handout", "--template", "handout_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="The workbook handed out, to flag changed inputs and find moved blocks (default: "
              "the shipped one; --template is the same option).")
@click.option("--recalc", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="auto: LibreOffice calculates formulas without a cached value; always: recalculate "
              "everything; never: report them.")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Signing secret of the variants (else XLCNN_SECRET).")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Seconds LibreOffice may spend on one file (within --time-limit).")
@LIMIT_OPTIONS
@click.option("--results-workbook", "--reference", "results_workbook", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), default=None, help="The instructor's results workbook (from xlcnn results): its Table 1 "
              "beside each notebook's (--reference is the same option).")
@click.option("--overrides", "overrides_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="What a person decided for some submissions (TOML): the workbook to grade, a "
              "layout, a grade with its reason, or skip. Applied on every run.")
@click.option("--force", is_flag=True, help="Grade against a worksheet that does not seem to belong to the "
              "download (another assignment's name or id, or few identifiers in common).")
@click.option("--practical", "practical_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The practical the notebooks are read against (TOML: the checklist, the settings "
              "asked, the review questions); default: the shipped PW04 CNN one (`xlcnn/data/practical.toml`).")
def grade(submissions: Path, outdir: Path, worksheet: Path | None, worksheet_columns: str, rubric: Path | None,
          layout: Path | None, handout_path: Path | None, recalc: str, secret_file: Path | None,
          timeout: float, time_limit: float, memory_limit: int, memory_budget: int, results_workbook: Path | None,
          overrides_path: Path | None, force: bool, practical_path: Path | None) -> None:
    """Grade every submission in Moodle's "download all submissions" zip (or its folder).

    Writes OUTDIR/grades.csv (the grading worksheet to import; needs --worksheet), OUTDIR/feedback.zip
    (annotated workbooks for the bulk feedback upload), OUTDIR/gradebook.xlsx and OUTDIR/results.json.
    Exit code: 0 when every submission was graded, 1 when some need a person.
    """
    from rich.console import Console

    from .console import print_grades
    from .files.atomic import atomic_write
    from .grading.outputs import write_outputs
    from .grading.overrides import load_overrides
    from .grading.pipeline import GradeOptions, clean
    from .grading.pipeline import grade as run_grade
    from .grading.rubric import load_rubric
    from .grading.sources import resolve_sources
    from .handout.signing import load_secret
    from .moodle.worksheet import parse_columns, read_worksheet
    from .moodlews.snapshot import SNAPSHOT, read_snapshot
    from .moodlews.snapshot import worksheet as snapshot_worksheet
    from .notebook.practical import load_practical
    from .training.results_sheet import read_table1

    console = Console(stderr=True)
    limits = _limits(time_limit, memory_limit, memory_budget)
    columns = parse_columns(worksheet_columns)
    if columns and not worksheet:
        raise click.BadParameter("needs --worksheet", param_hint="--worksheet-columns")
    sheet = read_worksheet(worksheet, columns) if worksheet else None
    pulled = read_snapshot(submissions) if submissions.is_dir() else None
    if pulled is not None and sheet is None:  # a folder `xlcnn moodle pull` wrote: its participants and scale
        sheet = snapshot_worksheet(pulled, submissions)
    sources = resolve_sources(handout_path, _layout(layout))
    practical = load_practical(practical_path.resolve()) if practical_path else None
    options = GradeOptions(
        worksheet=sheet, layout=sources.layout, rubric=load_rubric(rubric, practical),
        expected_inputs=sources.expected_inputs, practical=practical,
        secret=load_secret(secret_file), recalc=recalc, timeout_per_file=min(timeout, time_limit), limits=limits,
        handout_labels=sources.handout_labels, overrides=load_overrides(overrides_path) if overrides_path else {},
        overrides_source=str(overrides_path), force=force)
    instructor_table = read_table1(results_workbook) if results_workbook else None
    work = outdir / ".xlcnn-work"
    clean(work)
    try:
        with _GradeProgress(console) as progress:
            result = run_grade(submissions, work, options, progress)
        result.instructor_table = instructor_table
        paths, notes = write_outputs(result, outdir, work, sheet)
        if pulled is not None:  # what `xlcnn moodle push OUTDIR` compares Moodle with
            paths[SNAPSHOT] = outdir / SNAPSHOT
            atomic_write(paths[SNAPSHOT], lambda tmp: shutil.copyfile(submissions / SNAPSHOT, tmp))
    finally:
        clean(work)
    print_grades(result, Console())
    for name, path in paths.items():
        click.echo(f"  {name:15} {path}")
    for note in notes:
        click.echo(f"Note: {note}")
    sys.exit(0 if result.all_graded else 1)


class _GradeProgress:
    """``grade``'s progress display (a rich bar on stderr): the stage, the submission, n/total."""

    def __init__(self, console):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Count(MofNCompleteColumn):  # n/total once the total is known; nothing before
            def render(self, task):
                return super().render(task) if task.total is not None else Text("")

        self.bar = Progress(TextColumn("{task.fields[stage]:<22} {task.fields[name]:<30}"), BarColumn(),
                            Count(), TimeRemainingColumn(), console=console, transient=True)

    def __enter__(self):
        self.bar.__enter__()
        self.task = self.bar.add_task("grade", total=None, name="", stage="")
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def stage(self, name: str, total: int | None) -> None:
        self.bar.reset(self.task, total=total, stage=name[:22], name="")

    def advance(self, name: str) -> None:
        self.bar.update(self.task, advance=1, name=name[:30])


@main.group()
def moodle() -> None:
    """Moodle through its web services, without a browser: pull an assignment's submissions, push
    grades, comments and annotated workbooks back.

    The site and the token: XLCNN_MOODLE_URL and XLCNN_MOODLE_TOKEN, or the config file that
    `xlcnn moodle login` writes (readable by you only); never on the command line.
    """


def _moodle_client(require_token: bool = True):
    from .moodlews.client import Client
    from .moodlews.credentials import load

    return Client(load(require_token))


@moodle.command("login")
@click.option("--url", default=None, help="The site's address, e.g. https://moodle.example.edu (default: "
              "XLCNN_MOODLE_URL or the config file's).")
@click.option("--username", default=None, help="Your Moodle username (asked when not given).")
@click.option("--service", default="moodle_mobile_app", show_default=True,
              help="The web service to get a token for (the Moodle app's, or one your administrator made).")
def moodle_login(url: str | None, username: str | None, service: str) -> None:
    """Get a token from the site's login/token.php (your password is asked, never echoed nor stored)
    and save it with the site's address in the config file, readable by you only."""
    from .moodlews.client import request_token
    from .moodlews.credentials import check_url, load, save

    site = check_url(url, "--url") if url else load(require_token=False).url
    username = username or click.prompt("Moodle username")
    password = click.prompt(f"Password of {username} on {site}", hide_input=True)
    token = request_token(site, username, password, service)
    path = save(site, token)
    click.echo(f"token saved in {path} (readable by you only); `xlcnn moodle check` shows what it can do")


@moodle.command("check")
@click.option("--assignment", "cmid", type=int, default=None,
              help="An assignment's course module id (the number in its URL) to show its settings.")
def moodle_check(cmid: int | None) -> None:
    """What the token can do on the site (version, functions, file rights) and, with --assignment,
    how the assignment is set up (scale, team, blind marking, workflow, feedback plugins)."""
    from .console import print_moodle_check
    from .moodlews.site import (
        OPTIONAL,
        READS,
        WRITES,
        assignment,
        check_gradable,
        site_info,
    )

    client = _moodle_client()
    site = site_info(client)
    found = assignment(client, site, cmid) if cmid is not None else None
    problems = []
    if found is not None:
        try:
            check_gradable(found, site.url)
        except XlcnnError as err:
            problems.append(str(err))
    print_moodle_check(site, found, READS, WRITES, OPTIONAL, problems)
    missing = [f for f in READS + WRITES if f not in site.functions]
    sys.exit(1 if missing or problems or not (site.upload and site.download) else 0)


@moodle.command("pull")
@click.option("--assignment", "cmid", type=int, required=True,
              help="The assignment's course module id: the number in its URL (…/mod/assign/view.php?id=N) "
              "and at the end of the download's name.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the submissions and moodle.json into (new or empty).")
@FORCE_OPTION
def moodle_pull(cmid: int, output: Path, force: bool) -> None:
    """Download an assignment's submissions in the layout of "Download all submissions", with
    moodle.json (the Moodle ids and each student's grade and feedback as they are now); then
    `xlcnn grade FOLDER -o OUTDIR` needs no worksheet."""
    from .moodlews.pull import pull
    from .moodlews.site import READS, assignment, check_gradable, require, site_info

    if output.exists() and any(output.iterdir()) and not force:
        raise click.ClickException(f"{output}: not empty; pull into a new folder (or pass --force)")
    client = _moodle_client()
    site = site_info(client)
    require(site, READS, "pull")
    if not site.download:
        raise click.ClickException(f"{site.url}: the token's service may not download files (ask the site's "
                                   "administrator to tick 'Can download files')")
    found = assignment(client, site, cmid)
    check_gradable(found, site.url)
    done = pull(client, site, found, output, progress=lambda name: click.echo(f"  {name}", err=True))
    click.echo(f"pulled {done.submissions} submissions ({done.files} files, {done.bytes / 2**20:.1f} MB) of "
               f"'{found.name}' into {output}/ (moodle.json beside them)")
    for line in done.skipped:
        click.echo(f"Note: {line}")
    click.echo(f"next: xlcnn grade {output} -o OUTDIR, then xlcnn moodle push OUTDIR")


@moodle.command("push")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the plan and stop: only read calls are sent.")
@click.option("--yes", is_flag=True, help="Send without asking (the plan is still shown).")
@click.option("--overwrite", is_flag=True, help="Replace grades and comments a person changed in Moodle since the "
              "pull (or the last push); a teacher's own feedback files are kept all the same (where Moodle shows "
              "them: not under marking workflow before release). Never grades a new attempt or a changed group.")
@click.option("--release", is_flag=True, help="Marking workflow: set every pushed student's state to Released "
              "(students then see grade and feedback, and are notified). Without it each state is left as the "
              "teacher set it.")
def moodle_push(outdir: Path, dry_run: bool, yes: bool, overwrite: bool, release: bool) -> None:
    """Send what `xlcnn grade` wrote in OUTDIR (a folder pulled with `xlcnn moodle pull`): per student the
    grade, the feedback comment and the annotated workbook. Nothing of a held submission is sent; what a person
    changed in Moodle since the pull is kept; a second push with nothing new sends nothing; under marking
    workflow each student's state is kept unless --release.
    Exit code: 0 when nothing is left for a person (a person's own skips included), 1 otherwise."""
    from .console import print_push_plan
    from .files.atomic import atomic_write
    from .moodlews.push import (
        PLAN,
        apply,
        check_grades,
        check_members,
        plan,
        read_journal,
        read_outputs,
        summary,
        targets,
    )
    from .moodlews.site import (
        READS,
        WRITES,
        Feedback,
        assignment,
        check_gradable,
        feedbacks,
        participants,
        require,
        site_info,
    )

    results, snapshot = read_outputs(outdir)
    client = _moodle_client()
    site = site_info(client)
    if site.url.rstrip("/") != str(snapshot.get("site", "")).rstrip("/"):
        raise click.ClickException(f"{outdir}: pulled from {snapshot.get('site')}, the token is for {site.url}")
    require(site, READS + WRITES, "push")
    found = assignment(client, site, int(snapshot["cmid"]))
    check_gradable(found, site.url)
    if abs(found.max_grade - float(snapshot["max_grade"])) > 1e-9:
        raise click.ClickException(f"{found.name}: the assignment's maximum grade is now {found.max_grade:g} "
                                   f"(it was {float(snapshot['max_grade']):g} when pulled); pull and grade again")
    wanted, skips = targets(results, snapshot, outdir)
    check_grades(wanted, found.max_grade)
    wanted, moved = check_members(wanted, snapshot, {p.user: p.group for p in participants(client, found, site)})
    skips += moved
    if any(t.files for t in wanted) and not site.upload:
        raise click.ClickException(f"{site.url}: the token's service may not upload files (ask the site's "
                                   "administrator to tick 'Can upload files'); nothing was sent")
    if release and not found.workflow:
        raise click.BadParameter(f"'{found.name}' has no marking workflow: there is nothing to release",
                                 param_hint="--release")
    now = feedbacks(client, found, [t.user for t in wanted])
    baseline = {p["user"]: Feedback.from_json(p["feedback"]) for p in snapshot["participants"]}
    actions = plan(wanted, now, baseline, read_journal(outdir), overwrite, release) + skips
    notes = ()
    if found.workflow:
        notes = (("marking workflow: every student pushed is set to Released (students see the grade and the "
                  "feedback, and are notified)",) if release else
                 ("marking workflow: each student's state is kept as the teacher set it; nothing is released "
                  "(students see nothing until a teacher releases, in Moodle or with --release)",))
    print_push_plan(actions, found.name, notes=notes)
    atomic_write(outdir / PLAN, lambda tmp: tmp.write_text(json.dumps([a.as_json() for a in actions], indent=1),
                                                            encoding="utf-8"))
    click.echo(f"the whole plan: {outdir / PLAN}")
    counts = summary(actions)
    todo = counts["create"] + counts["update"]
    if dry_run or not todo:
        click.echo("dry run: nothing was sent" if dry_run else "nothing to send")
        sys.exit(1 if counts["skip"] else 0)
    if not yes and not click.confirm(f"Send {todo} grade(s) to Moodle?", default=False):
        click.echo("nothing was sent")
        sys.exit(1)
    done = apply(client, found, actions, outdir, site.url)
    failed = [(a, why) for a, why in done if why not in ("created", "updated")]
    for a, why in failed:
        click.echo(f"  {a.label}: {why}")
    click.echo(f"{sum(1 for _, w in done if w in ('created', 'updated'))} sent, {counts['unchanged']} unchanged, "
               f"{counts['skip'] + len(failed)} skipped or not taken"
               + (f", {counts['decided']} skipped by a person" if counts["decided"] else "")
               + ("; students are notified as with the worksheet upload" if not found.workflow or release
                  else "; under marking workflow nothing is visible to students until released"))
    sys.exit(1 if counts["skip"] or failed else 0)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, path_type=Path))
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each frame as a CSV file in this folder (answers, items, mistakes, parts, ...).")
@FORCE_OPTION
def stats(outdir: Path, csv_dir: Path | None, force: bool) -> None:
    """What the class teaches the teacher: per question its facility and discrimination with a verdict,
    the mistakes by frequency, each part's distribution, from OUTDIR/results.json (xlcnn grade's).

    From Python: xlcnn.grading.load(OUTDIR) returns the same pandas DataFrames.
    """
    from .console import print_stats
    from .files.atomic import atomic_write
    from .grading import load

    frames = load(outdir)
    print_stats(frames)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            path = csv_dir / f"{name}.csv"
            refuse_overwrite(path, force)
            atomic_write(path, lambda tmp, frame=frame: frame.to_csv(tmp, index=False))
        click.echo(f"wrote {len(frames)} CSV files to {csv_dir}/: {', '.join(f'{n}.csv' for n in frames)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost by default).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--ssl-keyfile", type=click.Path(dir_okay=False, exists=True), default=None,
              help="TLS key (Office.js add-ins need HTTPS), e.g. made with mkcert.")
@click.option("--ssl-certfile", type=click.Path(dir_okay=False, exists=True), default=None, help="TLS certificate.")
@click.option("--namespace", default="XLCNN", show_default=True,
              help="Excel shows the functions as NAMESPACE.CONV1D...")
def serve(host: str, port: int, ssl_keyfile: str | None, ssl_certfile: str | None, namespace: str) -> None:
    """Serve CONV1D, CONV2D... as Office.js custom functions (Excel on the web, any Excel with add-ins).

    Runs the xlwings-server app with xlcnn's functions. Needs the `xlwings` extra and an xlwings
    licence key in XLWINGS_LICENSE_KEY: `noncommercial` for teaching, a paid key for commercial use.
    """
    from .excel.serving import run_server

    run_server(host, port, ssl_keyfile, ssl_certfile, namespace)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("workbooks/cnn-results.xlsx"), show_default=True,
              help="Workbook to write the Results sheet into (created, or other sheets kept).")
@click.option("--experiments", "experiments_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Experiments file (TOML); default: the practical's table.")
@click.option("--data", type=click.Path(exists=True, path_type=Path), default=None,
              help="cifar-10-python.tar.gz or its extracted cifar-10-batches-py/ folder (read in place).")
@click.option("--data-md5", default="official", show_default=True,
              help="Expected MD5 of the --data archive: 'official', another MD5 (a subset), or 'none'.")
@click.option("--offline", is_flag=True, help="Never try to download CIFAR-10.")
@click.option("--only", multiple=True, help="Train only this experiment (repeatable).")
@click.option("--resume", is_flag=True, help="Keep the experiments already finished in the run folder.")
@click.option("--quick", is_flag=True, help="Smoke run: every experiment for one epoch on a small subset.")
@click.option("--verbose", is_flag=True, help="Show TensorFlow's own log lines (silenced by default).")
@click.option("--run-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where each finished experiment is saved (default: next to the workbook).")
@FORCE_OPTION
def results(output: Path, experiments_file: Path | None, data: Path | None, data_md5: str, offline: bool,
            only: tuple[str, ...], resume: bool, quick: bool, run_dir: Path | None, verbose: bool,
            force: bool) -> None:
    """Train the practical's Keras models and write the accuracy table (Table 1), learning curves
    and the weights picture into a Results sheet. Needs the `train` extra."""
    from .training import cifar
    from .training.experiments import load_experiments, select

    refuse_overwrite(output, force or resume)  # --resume goes on with the workbook it wrote
    exps = select(load_experiments(experiments_file), only)
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    expected = {"official": cifar.ARCHIVE_MD5, "none": None}.get(data_md5.lower(), data_md5.lower())
    ds = None
    if data is not None or cifar.local_copy() is not None:  # checked before TensorFlow's slow start
        ds = cifar.load(data, offline=offline, expected_md5=expected)
    try:
        with (contextlib.nullcontext() if verbose else quiet_stderr()):  # TensorFlow's C++ start-up lines
            import keras  # noqa: F401 - TensorFlow starts (and prints) here, not during the first experiment

            from .training.runner import prepare, run_all, run_info
    except ImportError as err:
        raise XlcnnError(f"xlcnn results needs the train extra: pip install 'xlcnn[train]' ({err})") from err
    if ds is None:  # Keras downloads it (unless --offline)
        ds = cifar.load(data, offline=offline, expected_md5=expected)
    if quick:
        exps = [e.quick() for e in exps]
        prepared = prepare(ds, limit_train=2000, limit_test=1000)
    else:
        prepared = prepare(ds)
    run_dir = run_dir or output.with_name(output.stem + ("-quick" if quick else "") + "-runs")
    info = run_info(f"per experiment (default {exps[0].seed}); TensorFlow op determinism on",
                    ds.source + (" — quick: 2000 training / 1000 test images, 1 epoch" if quick else ""))
    click.echo(f"{len(exps)} experiment(s), {len(prepared[0])} training images; run folder {run_dir}")
    try:
        done = run_all(exps, prepared, run_dir, output, info, resume=resume, log=click.echo)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: the finished experiments are saved in {run_dir} and {output}; "
                   "run the same command with --resume to train the rest", err=True)
        sys.exit(130)
    click.echo(f"wrote {output} ({len(done)} experiments)")


def _summaries(group: click.Group) -> None:
    """``xlcnn --help`` shows each command's whole first line, never cut with "...": click would
    shorten it to fit one terminal line."""
    for cmd in group.commands.values():
        if cmd.help and not cmd.short_help:
            first = " ".join(cmd.help.strip().split("\n\n")[0].split())
            cmd.short_help = first
        if isinstance(cmd, click.Group):
            _summaries(cmd)


_summaries(main)


if __name__ == "__main__":  # pragma: no cover
    main()
