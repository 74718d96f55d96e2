"""Reading issue files for the library: parse and enrich each, in ``--jobs`` worker processes.

A file that fails comes back as its error message, so that one bad file does not stop the
others. Workers start by ``spawn``: fresh interpreters that do not inherit the parent's open
database, and whose parent is digest itself. (Not ``forkserver``: its workers are children of
the fork server and hold the pipe that tells it digest has died, so after a SIGKILL of digest
they and the server wait for each other forever.)

Workers die with the run. Each one (``_worker_init``) asks Linux to kill it when its parent
dies (``PR_SET_PDEATHSIG``, SIGKILL included) and, on any system, polls ``getppid()`` and
exits when it changes. Workers point
their stdout and stderr at ``/dev/null``: nothing of theirs holds the caller's pipe open.
When the run is interrupted (Ctrl-C, SIGTERM), the workers are terminated at once; issues
already stored stay, the one being stored is rolled back by its transaction.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from digest.errors import DigestError
from digest.models import Issue

# concurrent.futures, multiprocessing, threading and hashlib are imported by the functions that
# use them: `digest search`, `list` and `show` import this module (through the Library) and
# would otherwise load logging, pickle and socket with them, a third of their start-up.


class Outcome(str, Enum):
    ADDED = "added"
    REPLACED = "replaced"  # a better copy of an issue stored (``--replace``): it took its place
    SKIPPED = "skipped"  # the same issue is in the library (from this file or another copy)
    FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome:
    """What ``add_paths`` did with one file."""

    path: str
    outcome: Outcome
    message: str = ""  # why it was skipped, replaced or failed; a note on one added
    issue_id: int | None = None
    articles: int = 0
    warnings: tuple[str, ...] = ()
    same_file: bool = False  # skipped as the very file (same bytes) already stored or given

    @property
    def noteworthy(self) -> bool:
        """Worth a line of its own: another copy skipped or replaced, a shared key."""
        return bool(self.message) and not self.same_file and self.outcome is not Outcome.FAILED


@dataclass(frozen=True)
class AddResult:
    outcomes: tuple[FileOutcome, ...] = field(default=())

    def _with(self, outcome: Outcome) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.outcome is outcome]

    @property
    def added(self) -> list[FileOutcome]:
        return self._with(Outcome.ADDED)

    @property
    def replaced(self) -> list[FileOutcome]:
        return self._with(Outcome.REPLACED)

    @property
    def skipped(self) -> list[FileOutcome]:
        return self._with(Outcome.SKIPPED)

    @property
    def failed(self) -> list[FileOutcome]:
        return self._with(Outcome.FAILED)


ProgressCallback = Callable[[FileOutcome, int, int], None]  # (outcome, done, total)


def report(callback: ProgressCallback | None, outcome: FileOutcome, done: int, total: int):
    if callback is not None:
        callback(outcome, done, total)


PARENT_POLL_S = 0.5  # how often a worker checks that its parent is alive: dies within a second
WORKER_EXIT_S = 5  # after terminate(): how long to wait for a worker to be gone
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def file_sha256(path: Path, max_size: int | None = None) -> str:
    """The file's SHA-256; a FIFO, device or over-large file raises ``InputError`` first."""
    import hashlib

    from digest.source import DEFAULT_MAX_SIZE, check_file

    check_file(path, max_size or DEFAULT_MAX_SIZE)
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: str | Path, password: str | None = None, max_size: int | None = None,
               ocr: str = "auto", reader: str | None = None) -> Issue:
    """Read one issue file and enrich it (regions, keywords, summaries), as it is stored.
    Scanned pages are read by OCR as ``ocr`` says (see ``digest.source.OcrMode``); a PDF's
    text layer with ``reader`` (see ``digest.pdf.reader_for``)."""
    from digest.enrich import read_issue

    return read_issue(path, password=password, max_size=max_size, ocr=ocr, reader=reader)


def _parse_or_message(path: str, password: str | None, max_size: int | None = None,
                      ocr: str = "auto", reader: str | None = None) -> Issue | str:
    """``parse_file`` for a worker process: an error comes back as its message."""
    try:
        return parse_file(path, password, max_size, ocr, reader)
    except DigestError as exc:
        return str(exc)
    except MemoryError:
        return f"{path}: out of memory while reading it; add it alone, or lower --max-size"
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the other files
        return f"{path}: unexpected {type(exc).__name__}: {exc} (please report it)"


def parse_all(paths: list[str], jobs: int, password: str | None, max_size: int | None = None,
              ocr: str = "auto", reader: str | None = None) -> Iterator[tuple[str, object]]:
    """(path, Issue or error message) for each file, in the order given, parsed in ``jobs``
    processes. In order, so that which of two copies of an issue is stored first does not
    depend on which worker finished first."""
    if jobs <= 1 or len(paths) <= 1:
        yield from ((p, _parse_or_message(p, password, max_size, ocr, reader)) for p in paths)
        return
    yield from _in_order(_parse_in_pool(paths, jobs, password, max_size, ocr, reader), paths)


def _in_order(results: Iterator[tuple[str, object]], order: list[str]):
    pending: dict[str, object] = {}
    wanted = iter(order)
    nxt = next(wanted, None)
    for path, value in results:
        pending[path] = value
        while nxt in pending:
            yield nxt, pending.pop(nxt)
            nxt = next(wanted, None)


def _parse_in_pool(paths: list[str], jobs: int, password: str | None, max_size: int | None,
                   ocr: str = "auto", reader: str | None = None):
    import concurrent.futures as cf
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # why not fork or forkserver: module docstring
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)
    finished = False
    try:
        futures = {pool.submit(_parse_or_message, p, password, max_size, ocr, reader): p for p in paths}
        for future in cf.as_completed(futures):
            yield futures[future], future.result()
        finished = True
    finally:
        if not finished:  # interrupted, or the consumer stopped: don't wait for running files
            _terminate_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate_workers(pool) -> None:
    """Terminate the pool's workers and make sure its manager thread cannot wait for them.

    A worker terminated while it writes a result leaves half a message in the result pipe;
    the executor's manager thread then blocks reading the rest for ever, and both
    ``shutdown(wait=True)`` and interpreter exit (which joins that thread) hang: a SIGTERM'd
    ``add`` was seen never to end. The parent holds the pipe's write end too, so the read
    cannot see EOF while that stays open: closing it turns the half message into EOFError,
    which the manager thread treats as a broken pool (it joins the workers and stops)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # already gone
            process.terminate()
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(WORKER_EXIT_S)  # dead before the write end closes: no new writes
    with contextlib.suppress(OSError, AttributeError):
        pool._result_queue._writer.close()


def _worker_init() -> None:
    """In each worker: die with the parent, hold none of the caller's terminal or pipes."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        _die_with_parent()
    if os.getppid() != parent or parent == 1:  # the parent died before we got here
        os._exit(1)
    import threading

    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _die_with_parent() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl: the watcher thread still ends the worker


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)
