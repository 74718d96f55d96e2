"""The typer app of ``digest``: the global options, and the group that finds the commands.

Command modules register their commands on ``app`` (``from digest.cli import app``); which
module holds which command is listed in ``digest.cli.COMMANDS``, and the group imports a module
only when one of its commands is needed (see digest/cli/lazy.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.common import set_state
from digest.cli.fastpath import runs
from digest.cli.helpfmt import App, exit_codes_epilog
from digest.cli.lazy import LazyGroup

app = App(
    name="digest",
    help="Read Chinese government news bulletins: rebuilt tables of contents, per-region "
    "digests, a searchable library of issues, and exports.\n\n"
    "Example: digest toc --example",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # --install-completion / --show-completion. Costs nothing at start-up: typer.main imports
    # its completion module whether or not it is used.
    add_completion=True,
    rich_markup_mode=None,
    cls=LazyGroup,  # commands imported when used; plain values without pydantic (plain_values.py)
    epilog=exit_codes_epilog(),
)


def _version(value: bool) -> None:
    if value:
        from digest.cli.fasthelp import version_line

        print(version_line())
        raise typer.Exit()


@app.callback()
@runs(set_state)
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    ...  # set_state: the app's help is its own (a docstring here would replace it)
