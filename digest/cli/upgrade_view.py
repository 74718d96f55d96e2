"""A library upgrade on stderr: what ``common.UpgradeNotice`` draws once the core reports one.

Imported only when an older library is opened (``digest.library.upgrade``): the commands that
open an up-to-date library, every run but one, never load it. On a terminal: a line saying what
happens, a line per step, a progress bar over the articles for the long steps (transient, as
``digest add``'s), and how long it took. Elsewhere (a log, a pipe) the same lines without the
bar, and one line as each pass over the articles starts. ``-q`` keeps it silent, except for an
interruption, which says in one line what was kept.
"""

from __future__ import annotations

import sys
import time

from digest.cli.common import Terminated, err, progress
from digest.errors import EXIT_INTERRUPTED, EXIT_TERMINATED
from digest.library.upgrade import Stage, Upgrade


class UpgradeView:
    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.started = time.monotonic()
        self.bar = self.task = None
        self.phase = ""
        self.undone: Upgrade | None = None

    def show(self, event: Upgrade) -> None:
        if event.stage is Stage.UNDONE:
            self.undone = event
        if event.stage is Stage.STARTED:
            self.started = time.monotonic()  # a command may open two older libraries (copy)
            if "://" in event.where:
                _quiet_psycopg()
        if self.quiet:
            return
        if event.stage is Stage.STARTED:
            err(f"Upgrading library {event.where} to schema {event.new} "
                f"({event.articles:,} articles; this happens once) …")
        elif event.stage is Stage.STEP:
            self.phase = ""  # two steps may make the same pass (build the index)
            err(f"  schema {event.step}: {event.what}")
        elif event.stage is Stage.PROGRESS:
            self._progress(event)
        elif event.stage is Stage.DONE:
            self._stop_bar()
            err(f"Library upgraded to schema {event.new} in {self._elapsed()}.")

    def _progress(self, event: Upgrade) -> None:
        if event.what != self.phase:  # a new pass over the articles
            self.phase = event.what
            if not sys.stderr.isatty():
                err(f"    {event.what} ({event.total:,} articles) …")
                return
            if self.bar is None:
                self.bar = progress(event.total, event.what).__enter__()
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.task = self.bar.add_task(f"    {event.what}", total=event.total)
        if self.task is not None:
            self.bar.update(self.task, completed=event.done, total=event.total)

    def _stop_bar(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = self.task = None

    def _elapsed(self) -> str:
        seconds = time.monotonic() - self.started
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"

    def close(self, exc: BaseException | None) -> None:
        """After the opening: an interrupted upgrade says what the library kept, and ends the
        run (exit 130 or 143) instead of the bare ``Interrupted.``."""
        self._stop_bar()
        if self.undone is None or exc is None:
            return
        u = self.undone
        said = (f"the upgrade to schema {u.new} was undone: {u.where} is as it was (schema "
                f"{u.old}) and is upgraded the next time it is opened."
                if u.kept == u.old else
                f"the upgrade to schema {u.new} stopped: {u.where} keeps the steps done "
                f"(schema {u.kept}), the step under way was undone; the rest run the next time "
                "it is opened.")
        if isinstance(exc, KeyboardInterrupt):
            err(f"Interrupted: {said}")
            raise SystemExit(EXIT_INTERRUPTED) from None
        if isinstance(exc, Terminated):
            err(f"Terminated: {said}")
            raise SystemExit(EXIT_TERMINATED) from None
        err(f"Note: {said}")


def _quiet_psycopg() -> None:
    """An interrupted upgrade of a PostgreSQL library is said here in one line; the connection
    then closed in the middle of a query makes psycopg log its own lines to stderr ("error
    ignored in rollback", "error ignored terminating <psycopg.Pipeline>"), which add nothing."""
    import logging

    logging.getLogger("psycopg").addHandler(logging.NullHandler())
