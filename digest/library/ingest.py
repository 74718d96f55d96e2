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
    SKIPPED = "skipped"  # already in the library, or the same bytes as another file given
    FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome:
    """What ``add_paths`` did with one file."""

    path: str
    outcome: Outcome
    message: str = ""  # why it was skipped or failed
    issue_id: int | None = None
    articles: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddResult:
    outcomes: tuple[FileOutcome, ...] = field(default=())

    def _with(self, outcome: Outcome) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.outcome is outcome]

    @property
    def added(self) -> list[FileOutcome]:
        return self._with(Outcome.ADDED)

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
    """(path, Issue or error message) as each file is parsed, in ``jobs`` processes."""
    if jobs <= 1 or len(paths) <= 1:
        yield from ((p, _parse_or_message(p, password)) for p in paths)
        return
    # forkserver: workers don't inherit the parent's open database connection.
    ctx = multiprocessing.get_context("forkserver")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
    try:
        futures = {pool.submit(_parse_or_message, p, password): p for p in paths}
        for future in cf.as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
