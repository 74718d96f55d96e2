"""`digest library …`: commands on a whole library. `digest library copy SRC DST` for now: the
copying is ``digest.library.copy``."""

from __future__ import annotations

import dataclasses
from contextlib import ExitStack
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import UpgradeNotice, boundary, print_json
from digest.cli.helpfmt import App
from digest.cli.lazy import PlainValuesGroup
from digest.cli.library_cmds import _count, _plain, _progress_callback, report_outcomes
from digest.cli.options import JsonOpt

library_app = App(name="library", help="Commands on a whole library: copy it.\n\n"
                  "Example: digest library copy \"$(digest path)\" library-backup",
                  no_args_is_help=True, rich_markup_mode=None, cls=PlainValuesGroup)
app.add_typer(library_app)

@library_app.command("copy")
@boundary
def copy_cmd(
    src: Annotated[str, typer.Argument(metavar="SRC", show_default=False, help=(
        "The library to copy from: its folder, or a postgresql://USER@HOST/DB URL."))],
    dst: Annotated[str, typer.Argument(metavar="DST", show_default=False, help=(
        "The library to copy into, folder or URL, created if needed; issues it holds stay."))],
    as_json: JsonOpt = False,
) -> None:
    """Copy every issue of the library SRC into DST, with all that is stored about it:
    from SQLite to PostgreSQL, back, or between two of either.

    Issues DST holds already (the same file, or another copy of the same issue) are skipped,
    so a copy that was interrupted is completed by running it again, and a second run copies
    nothing. Each issue keeps its id where DST does not use it. Exit 1 when an issue of SRC
    could not be read (the others are copied).

    Example: digest library copy "$(digest path)" library-backup
    """
    from digest.library.copy import copy_library

    with UpgradeNotice() as upgrading, ExitStack() as stack:
        bar = None

        def callback(outcome, done: int, total: int) -> None:
            # the bar starts with the first issue copied: while the two libraries open, the
            # upgrade of an older one draws its own (a terminal shows one at a time)
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(_progress_callback("Copying"))
            bar(outcome, done, total)

        result = copy_library(src, dst, progress_callback=callback, upgrading=upgrading)
    report_outcomes(result, lambda o: o.name)
    if as_json:
        print_json({"copied": len(result.copied), "skipped": len(result.skipped),
                    "failed": len(result.failed)} | _plain(dataclasses.asdict(result)))
    else:
        print(f"Copied {_count(len(result.copied), 'issue')} "
              f"({_count(sum(o.articles for o in result.copied), 'article')}); "
              f"{len(result.skipped)} skipped (already in {dst}); {len(result.failed)} failed.")
    if result.failed:
        raise typer.Exit(1)
