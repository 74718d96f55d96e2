"""Reading issue files for the library: parse and enrich each, in ``--jobs`` worker processes.

A file that fails comes back as its error message, so that one bad file does not stop the
others. Workers start by ``forkserver``: they do not inherit the parent's open database.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from digest.errors import DigestError
from digest.models import Issue


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


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_file(path: str | Path, password: str | None = None) -> Issue:
    """Read one issue file and enrich it (regions, keywords, summaries), as it is stored."""
    from digest.enrich import read_issue

    return read_issue(path, password=password)


def _parse_or_message(path: str, password: str | None) -> Issue | str:
    """``parse_file`` for a worker process: an error comes back as its message."""
    try:
        return parse_file(path, password)
    except DigestError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the other files
        return f"{path}: unexpected {type(exc).__name__}: {exc} (please report it)"


def parse_all(paths: list[str], jobs: int, password: str | None) -> Iterator[tuple[str, object]]:
    """(path, Issue or error message) for each file, in the order given, parsed in ``jobs``
    processes. In order, so that which of two copies of an issue is stored first does not
    depend on which worker finished first."""
    if jobs <= 1 or len(paths) <= 1:
        yield from ((p, _parse_or_message(p, password)) for p in paths)
        return
    yield from _in_order(_parse_in_pool(paths, jobs, password), paths)


def _in_order(results: Iterator[tuple[str, object]], order: list[str]):
    pending: dict[str, object] = {}
    wanted = iter(order)
    nxt = next(wanted, None)
    for path, value in results:
        pending[path] = value
        while nxt in pending:
            yield nxt, pending.pop(nxt)
            nxt = next(wanted, None)


def _parse_in_pool(paths: list[str], jobs: int, password: str | None):
    # forkserver: workers don't inherit the parent's open database connection.
    ctx = multiprocessing.get_context("forkserver")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
    try:
        futures = {pool.submit(_parse_or_message, p, password): p for p in paths}
        for future in cf.as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
