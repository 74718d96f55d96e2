"""Copying a library into another: ``digest library copy SRC DST``.

Each issue of the source is read through the public ``Library`` API (``issues``, ``issue``) and
stored in the destination by ``Library.store_copy``, one transaction an issue, so the copy works
between any two libraries a ``Library`` opens, whatever holds them. The copy is

* idempotent: an issue whose file the destination holds already (the same SHA-256) is skipped,
  so a second run copies nothing;
* resumable: a run interrupted (Ctrl-C, SIGKILL, a power cut) leaves whole issues only, each
  stored once, and the next run copies the rest;
* a merge: into a library holding other issues, the source's issues are added beside them; an
  issue the destination holds as another copy (``identity``: same key, same content) is
  skipped and named, not duplicated, as ``digest add`` does.

What a copied issue keeps: everything ``Library.issue`` returns (masthead, source, hash,
warnings, end matter, home grouping, every article with its enrichment, every TOC entry), the
time it was first added and its count of OCR pages; and its id, when that id is free in the
destination, so that a copy into an empty library keeps every id (``digest show 12`` names the
same issue in both), and so does a copy resumed. An issue whose id the destination uses gets
one above every id of the source, so that it takes no id an issue still to be copied needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from digest.errors import DigestError, LibraryError, UsageError
from digest.library.ingest import Outcome
from digest.library.paths import DB_NAME, is_url
from digest.library.rows import IssueInfo
from digest.library.upgrade import UpgradeCallback


class CopyOutcome(str, Enum):
    COPIED = "copied"
    SKIPPED = "skipped"  # the destination holds the issue: the same file or another copy
    FAILED = "failed"  # the source's issue could not be read; the others are still copied


@dataclass(frozen=True)
class IssueCopy:
    """What ``copy_library`` did with one issue of the source."""

    source_id: int  # its id in the source
    name: str  # as the source names it: BULLETIN:YEAR:NUMBER, else its id
    outcome: CopyOutcome
    message: str = ""  # why it was skipped or failed; a note on one copied
    issue_id: int | None = None  # its id in the destination (or that of the copy held there)
    articles: int = 0  # articles with a body, of an issue copied
    same_file: bool = False  # skipped as the very file (same SHA-256) held there

    @property
    def noteworthy(self) -> bool:
        """Worth a line of its own: another copy skipped, a shared key (not a failure)."""
        return bool(self.message) and not self.same_file and self.outcome is not CopyOutcome.FAILED


@dataclass(frozen=True)
class CopyResult:
    outcomes: tuple[IssueCopy, ...] = field(default=())

    def _with(self, outcome: CopyOutcome) -> list[IssueCopy]:
        return [o for o in self.outcomes if o.outcome is outcome]

    @property
    def copied(self) -> list[IssueCopy]:
        return self._with(CopyOutcome.COPIED)

    @property
    def skipped(self) -> list[IssueCopy]:
        return self._with(CopyOutcome.SKIPPED)

    @property
    def failed(self) -> list[IssueCopy]:
        return self._with(CopyOutcome.FAILED)


# Called after each issue: (its outcome, issues done, issues in the source).
CopyProgress = Callable[[IssueCopy, int, int], None]


def copy_library(src: str | os.PathLike, dst: str | os.PathLike, *,
                 progress_callback: CopyProgress | None = None,
                 upgrading: UpgradeCallback | None = None) -> CopyResult:
    """Copy every issue of the library ``src`` into ``dst`` (created if needed), in id order.
    An older library of the two is upgraded when it is opened, as any command that opens it
    does; ``upgrading`` is told how that goes (``digest.library.upgrade``).

    Raises ``UsageError`` when both name one library, ``LibraryError`` when ``src`` holds no
    library or ``dst`` cannot be written (a write that fails stops the copy: what was stored
    before stays, whole). An issue of ``src`` that cannot be read is reported as failed and the
    others are still copied.
    """
    from digest.library.store import Library

    if same_library(src, dst):
        raise UsageError(f"{dst}: the same library as {src}, the source; give another "
                         "destination.")
    _require_library(src)
    done: list[IssueCopy] = []
    with Library(src, create=False, write=False, upgrading=upgrading) as source:
        infos = sorted(source.issues(), key=lambda i: i.id)
        with Library(dst, upgrading=upgrading) as target:
            reserved = infos[-1].id if infos else 0
            for info in infos:
                done.append(_copy_one(source, target, info, reserved))
                if progress_callback is not None:
                    progress_callback(done[-1], len(done), len(infos))
    return CopyResult(tuple(done))


def _copy_one(source, target, info: IssueInfo, reserved: int) -> IssueCopy:
    try:
        issue = source.issue(str(info.id))
    except (DigestError, ValueError) as exc:  # a damaged row: bad JSON, a bad date or status
        return IssueCopy(info.id, info.name, CopyOutcome.FAILED,
                         f"{info.name}: cannot be read from the source ({exc})")
    stored = target.store_copy(issue, info, reserved)
    outcome = CopyOutcome.COPIED if stored.outcome is Outcome.ADDED else CopyOutcome.SKIPPED
    return IssueCopy(info.id, info.name, outcome, stored.message, stored.issue_id,
                     stored.articles, stored.same_file)


def same_library(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two names (folders or URLs) name one library."""
    if is_url(a) or is_url(b):
        return str(a).rstrip("/") == str(b).rstrip("/")
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    if pa.resolve() == pb.resolve():
        return True
    try:  # one folder by two paths (a bind mount, a hard-linked file)
        return os.path.samefile(pa / DB_NAME, pb / DB_NAME)
    except OSError:
        return False


def _require_library(src: str | os.PathLike) -> None:
    """A source folder without a library is named as such (a typo must not copy nothing)."""
    if is_url(src):
        return
    folder = Path(src).expanduser()
    if not (folder / DB_NAME).is_file():
        what = "no such folder" if not folder.exists() else f"no {DB_NAME} in it"
        raise LibraryError(f"{src}: not a library to copy from ({what}); give a library "
                           "folder (`digest path` prints yours) or a postgresql:// URL.")
