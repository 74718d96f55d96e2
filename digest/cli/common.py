"""What every command shares: the error boundary, output flags, consoles, warnings.

Commands stay thin: check flags, make one core call inside ``boundary``, print. Nothing here
imports typer (or rich, until a terminal asks for it): the fast path of digest/cli/fastpath.py
runs command bodies through the same ``boundary``. A run ends early with ``SystemExit(code)``,
which click lets through unchanged as it does its own ``Exit``.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import sys
from dataclasses import dataclass

from digest.cli.formats import Fmt
from digest.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    DigestError,
    OutOfMemoryError,
)


@dataclass
class State:
    debug: bool = False
    quiet: bool = False


state = State()


def set_state(debug: bool, quiet: bool, version: bool) -> None:
    """The body of the root options (``digest --debug -q COMMAND``); --version acts before."""
    state.debug = debug
    state.quiet = quiet

def __getattr__(name: str):
    if name in ("JsonOpt", "PasswordOpt"):  # once defined here; typer's, so loaded on demand
        from digest.cli import options

        return getattr(options, name)
    raise AttributeError(f"module 'digest.cli.common' has no attribute {name!r}")


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt so that the same clean-up runs
    (open transactions roll back, worker pools are shut down, temporary files removed)."""


def raise_terminated(signum, frame) -> None:
    raise Terminated


def boundary(fn):
    """Turn ``DigestError`` into one ``Error: …`` line on stderr and its exit code.

    Anything else is a bug: one line too, unless ``--debug`` asks for the traceback.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a full disk on stdout is reported here, not at interpreter exit
            return result
        except DigestError as exc:
            fail(exc)
        except BrokenPipeError:
            # The reader stopped reading (`digest … | head`): not an error, nothing to say.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
        except KeyboardInterrupt:
            err("Interrupted.")
            raise SystemExit(EXIT_INTERRUPTED) from None
        except Terminated:
            err("Terminated.")
            raise SystemExit(EXIT_TERMINATED) from None
        except MemoryError:
            fail(OutOfMemoryError("out of memory; process fewer or smaller files at a time, or "
                                  "lower --max-size"))
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                internal(exc)
            from digest.output import output_error

            _silence_stdout()
            fail(output_error(exc))
        except Exception as exc:
            if _click_exit(exc):  # typer.Exit / Abort raised by a command: click's to handle
                raise
            internal(exc)

    return wrapper


def fail(exc: DigestError):
    if state.debug:
        import traceback  # only then: it costs a twentieth of a `digest search`

        traceback.print_exc()
    err(f"Error: {exc}")
    raise SystemExit(exc.exit_code) from None


def internal(exc: BaseException):
    if state.debug:
        import traceback

        traceback.print_exc()
    err(f"Error: unexpected {type(exc).__name__}: {exc} (run with --debug for details "
        "and please report it)")
    raise SystemExit(EXIT_INTERNAL) from None


def _click_exit(exc: Exception) -> bool:
    """Whether ``exc`` is click's ``Exit`` or ``Abort`` (only if typer is loaded can it be)."""
    typer = sys.modules.get("typer")
    return typer is not None and isinstance(exc, (typer.Exit, typer.Abort))


def _silence_stdout() -> None:
    """Drop what is still buffered for a stdout that cannot take it (else exit flushes again)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # CliRunner's has no fd
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def err(message: str) -> None:
    print(message, file=sys.stderr)


WARNINGS_SHOWN = 30  # per file; a huge or hostile file can warn tens of thousands of times


def warn_all(warnings, source: str | None = None) -> None:
    """Each warning on its own line, up to ``WARNINGS_SHOWN``; past that, a count."""
    if state.quiet:
        return
    prefix = f"{source}: " if source else ""
    warnings = list(warnings)
    for w in warnings[:WARNINGS_SHOWN]:
        err(f"Warning: {prefix}{w}")
    if len(warnings) > WARNINGS_SHOWN:
        err(f"Warning: {prefix}{len(warnings) - WARNINGS_SHOWN} more warnings not shown "
            f"({len(warnings)} in all)")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def cell(value) -> str:
    """A value as one line of text for a table or TSV cell."""
    return "" if value is None else " ".join(str(value).split())


def write_records(records: list[dict], fmt: Fmt) -> None:
    """Records as JSON, JSON lines or CSV (with a header; lists joined by 、)."""
    from digest.export import write_rows

    if fmt == Fmt.json:
        return print_json(records)
    write_rows(records, fmt.value, sys.stdout)


def table(columns: tuple[str, ...], rows: list[tuple], fmt: Fmt = Fmt.table) -> None:
    """A rich table (``Fmt.table``), else tab-separated lines."""
    if fmt != Fmt.table:
        for row in rows:
            print("\t".join(cell(v) for v in row))
        return
    from rich.table import Table
    from rich.text import Text

    grid = Table(*columns, box=None, header_style="bold")
    for row in rows:
        grid.add_row(*(Text(cell(v)) for v in row))  # Text: no markup read in titles
    console().print(grid)


def console():
    """A rich console for stdout, only used when stdout is a terminal."""
    from rich.console import Console

    return Console()


def err_console():
    from rich.console import Console

    return Console(stderr=True)


class _NoBar:
    """What ``progress`` gives when stderr is no terminal: the bar's calls, doing nothing (and
    sparing the command rich's import, a tenth of a second)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def update(self, *args, **kwargs) -> None:
        return None

    advance = remove_task = update


def progress(total: int, description: str):
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        return _NoBar()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console(), transient=True, disable=not sys.stderr.isatty(),
    )


class UpgradeNotice:
    """``upgrading`` for a library a command opens (``digest.library.upgrade``), around the
    opening: silent and costless until the core reports an upgrade, then drawn on stderr by
    digest/cli/upgrade_view.py, imported only then; an interrupted upgrade says what was kept."""

    def __init__(self):
        self.view = None

    def __call__(self, event) -> None:
        if self.view is None:
            from digest.cli.upgrade_view import UpgradeView

            self.view = UpgradeView(quiet=state.quiet)
        self.view.show(event)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.view is not None:
            self.view.close(exc)


def page_callback(bar, label: str = "OCR"):
    """A core ``progress(done, total)`` callback that shows pages on the progress ``bar``."""
    task = None

    def callback(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.remove_task(task)
            task = None

    return callback
