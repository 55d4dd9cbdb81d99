"""The ``xlcnn`` command: one subcommand per job.

Errors a user can cause (``XlcnnError``) become a one-line message and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

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


if __name__ == "__main__":  # pragma: no cover
    main()
