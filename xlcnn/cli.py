"""The ``xlcnn`` command: one subcommand per job.

Errors a user can cause (``XlcnnError``) become a one-line message and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import XlcnnError


class XlcnnGroup(click.Group):
    """A click group that turns every ``XlcnnError`` into ``Error: <message>``, exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XlcnnError as err:
            raise click.ClickException(str(err)) from err


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
    from .examples import load_example
    from .exercise import solve
    from .report import print_answers

    print_answers(solve(load_example(example)))


LAYOUT_OPTION = click.option(
    "--layout",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Layout file (TOML) saying where each input and answer is; default: the workbook's own "
    "layout when xlcnn wrote it, else the shipped workbook's layout.",
)


def _layout(path: Path | None):
    from .layout import load_layout

    return None if path is None else load_layout(path)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("workbooks/cnn-ex1-stud.xlsx"), show_default=True,
              help="Where to write the student workbook (without --groups).")
@click.option("--example", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="TOML file with the example's numbers (default: the shipped example).")
@click.option("--groups", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="CSV of groups (a 'group' column, or the first column): one variant per group.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the variants (with --groups).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("variants"),
              show_default=True, help="Folder for the variants (with --groups).")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="File holding the signing secret (else the XLCNN_SECRET environment variable).")
def template(output: Path, example: Path | None, groups: Path | None, seed: int, out_dir: Path,
             secret_file: Path | None) -> None:
    """Write the student workbook of Exercise 1 (or one signed variant per group).

    Given numbers are blue, answer cells yellow and unlocked, the rest protected (no
    password); every region has a defined name. With --groups, each group gets its own
    small integers, fixed by --seed and the group's name, and a keyed signature of its
    inputs so that the grader can tell when the given numbers were changed.
    """
    from .cached import save_workbook
    from .examples import load_example
    from .template import Variant, build_workbook, load_secret, make_variant, read_groups, slug

    base = load_example(example)
    if groups is None:
        secret = load_secret(secret_file)
        save_workbook(build_workbook(base, secret=secret), output)
        click.echo(f"wrote {output}" + (" (signed)" if secret else ""))
        return
    secret = load_secret(secret_file, required=True)
    names = read_groups(groups)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with click.progressbar(names, label="variants", file=sys.stderr) as bar:
        for group in bar:
            ex = make_variant(base, group, seed)
            path = out_dir / f"cnn-ex1-stud-{slug(group)}.xlsx"
            save_workbook(build_workbook(ex, Variant(group, seed), secret), path)
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
    from .solution import solve_file

    reading = solve_file(workbook, output, _layout(layout), force)
    click.echo(f"wrote {output} (inputs read from {workbook.name}, layout: {reading.layout.source})")


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@LAYOUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--tolerance", type=float, default=0.01, show_default=True, help="Accepted absolute difference.")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Signing secret, to tell whether the given numbers were changed (else XLCNN_SECRET).")
def check(workbook: Path, layout: Path | None, as_json: bool, tolerance: float, secret_file: Path | None) -> None:
    """Check the answers of a filled WORKBOOK against its own inputs.

    Exit code: 0 all right, 1 something wrong or missing, 2 unreadable.
    """
    import json

    from .checking import check_file
    from .report import print_check

    try:
        report = check_file(workbook, _layout(layout), tolerance, secret_file)
    except XlcnnError as err:
        if as_json:
            click.echo(json.dumps({"file": str(workbook), "error": str(err)}))
        else:
            click.echo(f"Error: {err}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print_check(report)
    sys.exit(0 if report.all_right else 1)


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@LAYOUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the regions as JSON.")
def inspect(workbook: Path, layout: Path | None, as_json: bool) -> None:
    """Show what xlcnn finds where in WORKBOOK: each region's role, sheet, range and values.

    Use it to verify a layout file before grading with it.
    """
    import json

    from .loading import open_workbook
    from .reading import read_workbook
    from .report import print_inspect, regions_table

    reading = read_workbook(open_workbook(workbook), _layout(layout))
    rows = regions_table(reading)
    if as_json:
        click.echo(json.dumps({"file": str(workbook), "layout": reading.layout.source, "regions": rows},
                              indent=2, ensure_ascii=False, default=str))
    else:
        print_inspect(reading, rows)


if __name__ == "__main__":  # pragma: no cover
    main()
