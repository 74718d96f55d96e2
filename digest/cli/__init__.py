"""The command line: typer commands, each a thin shell around one core call.

Command modules register themselves on ``app``; this module owns the global options and
``main`` (the console script).
"""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.common import state
from digest.cli.helpfmt import App, exit_codes_epilog
from digest.cli.plain_values import PlainValuesGroup

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
    cls=PlainValuesGroup,  # plain values without importing pydantic: see plain_values.py
    epilog=exit_codes_epilog(),
)


def _version(value: bool) -> None:
    if value:
        from digest import __version__

        print(f"digest {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    state.debug = debug
    state.quiet = quiet


# Registration: importing the modules adds their commands to ``app`` (so they come last).
from digest.cli import (  # noqa: E402, F401
    bookmarks_cmd,
    issue_cmds,
    library_cmds,
    library_group,
    summary_cmd,
    trends_cmd,
)


def main() -> None:
    import signal

    from digest.cli.common import raise_terminated

    signal.signal(signal.SIGTERM, raise_terminated)  # SIGTERM ends a run like Ctrl-C (exit 143)
    app(prog_name="digest")
