"""The ``Library``: one folder's ``library.db``, issues stored whole, found, removed and searched.

A ``postgresql://`` URL instead of a folder opens a PostgreSQL library (``digest.library.pg``):
the same methods, through a ``Backend`` where the SQL differs.

Each issue is stored in one transaction, with every entry of the rebuilt TOC (those without a
body too), so the TOC round-trips. The identity of an issue is the SHA-256 of its file: adding
the same file again changes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from digest.errors import InputError, LibraryError, NotFoundError
from digest.library import search as _search
from digest.library.backend import Backend
from digest.library.paths import DB_NAME, expand_paths, is_url
from digest.library.rows import (
    ISSUE_INFO_SQL,
    IssueInfo,
    article_ids,
    hit_record,
    insert_article,
    insert_issue,
    insert_toc,
    issue_from_rows,
    issue_info,
    issue_info_name,
)
from digest.library.schema import (
    connect,
    library_error,
    read_only_error,
    transaction,
    writable,
)
from digest.library.search import DEFAULT_LIMIT, NO_FILTERS, Filters
from digest.models import Article, Issue

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see digest/__init__.py)
# Adding issues (ingest, identity) and checking the file (check) are imported by the methods that
# do it: listing, showing and searching, which a user waits for at every start, need none.
if TYPE_CHECKING:
    from digest.library import identity
    from digest.library.check import CheckResult
    from digest.library.ingest import AddResult, FileOutcome, ProgressCallback
    from digest.library.upgrade import UpgradeCallback


class Library:
    """A library folder holding ``library.db``, or a PostgreSQL database named by its URL.
    Use as a context manager, or call ``close``."""

    def __init__(self, folder: str | os.PathLike, *, create: bool = True, write: bool = True,
                 upgrading: UpgradeCallback | None = None):
        """``write=False``: only reading is planned; a read-only library then opens read-only.
        ``upgrading`` is told how the upgrade of an older library goes, if it needs one
        (``digest.library.upgrade``)."""
        if is_url(folder):
            from digest.library import pg

            self._b, self._conn, self.folder = pg.open_library(folder, create=create,
                                                               upgrading=upgrading)
            self.db_path = self.folder  # the URL without its password, as messages show it
            return
        self._b = SQLITE
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        if not self.db_path.exists():
            if not create:
                raise LibraryError(f"There is no library in {self.folder} yet: add issues with "
                                   "`digest add FILE...` (or give --library PATH).")
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"Cannot create the library folder {self.folder}: "
                                   f"{exc.strerror}. Give --library another folder.") from None
        self._conn = connect(self.db_path, write=write, upgrading=upgrading)

    @property
    def backend(self) -> str:
        """The database holding the library: "SQLite" or "PostgreSQL"."""
        return self._b.name

    def close(self) -> None:
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()
        if isinstance(exc, self._b.errors):  # a damaged file, a full disk, a server gone: say which
            raise self._b.error(exc, self.db_path) from None

    # -- adding

    def store(self, issue: Issue) -> int | None:
        """Store a whole issue in one transaction; its id, or None if its hash is already here.

        Stores whatever it is given: ``add_paths`` is where copies of an issue are recognised."""
        with self._b.transaction(self._conn) as conn:
            return self._b.store_in(conn, issue)

    def add_paths(self, paths: Iterable[str | os.PathLike], *, jobs: int = 1,
                  password: str | None = None, replace: bool = False,
                  max_size: int | None = None, ocr: str = "auto", reader: str | None = None,
                  progress_callback: ProgressCallback | None = None) -> AddResult:
        """Parse and store every issue file in ``paths`` (files, folders, globs).

        Files already in the library are skipped without parsing. A file holding an issue
        already stored (another copy: see ``digest.library.identity``) is skipped, or with
        ``replace`` takes the stored copy's place when it is the better copy. A file that fails
        is reported in the result and the others are still added. ``ocr`` and ``reader``
        are as for ``digest.parse_issue``.
        """
        from digest.library.ingest import AddResult, FileOutcome, Outcome, parse_all, report

        files, missing = expand_paths(paths)
        done = [FileOutcome(p, Outcome.FAILED, f"{p}: no such file or folder") for p in missing]
        todo: dict[str, str] = {}  # path -> sha256, for the files to parse
        for path in files:
            if (outcome := self._pre_check(path, todo, max_size)) is not None:
                done.append(outcome)
        total = len(done) + len(todo)
        for n, outcome in enumerate(done, 1):
            report(progress_callback, outcome, n, total)
        for path, parsed in parse_all(list(todo), jobs, password, max_size, ocr, reader):
            done.append(self._store_parsed(path, todo[path], parsed, replace))
            report(progress_callback, done[-1], len(done), total)
        order = {str(p): n for n, p in enumerate(files)}
        return AddResult(tuple(sorted(done, key=lambda o: order.get(o.path, len(order)))))

    def _pre_check(self, path: Path, todo: dict[str, str], max_size: int | None = None
                   ) -> FileOutcome | None:
        """Skip files already stored or given twice; None when the file is to be parsed."""
        from digest.library.ingest import FileOutcome, Outcome, file_sha256

        try:
            sha = file_sha256(path, max_size)
        except InputError as exc:  # a FIFO, a device, too large
            return FileOutcome(str(path), Outcome.FAILED, str(exc))
        except OSError as exc:
            return FileOutcome(str(path), Outcome.FAILED, f"{path}: cannot read ({exc.strerror})")
        twin = next((p for p, s in todo.items() if s == sha), None)
        if twin is not None:
            return FileOutcome(str(path), Outcome.SKIPPED, f"same file as {twin}, skipped",
                               same_file=True)
        row = self._conn.execute("SELECT * FROM issues WHERE sha256 = ?", (sha,)).fetchone()
        if row:
            return _same_file(str(path), row)
        todo[str(path)] = sha
        return None

    def _store_parsed(self, path: str, sha: str, parsed: Issue | str,
                      replace: bool) -> FileOutcome:
        from digest.library.ingest import FileOutcome, Outcome

        if isinstance(parsed, str):
            return FileOutcome(path, Outcome.FAILED, parsed)
        issue = dataclasses.replace(parsed, sha256=sha)  # the hash of the file as read here
        n = sum(1 for a in issue.articles if a.body)
        with self._b.transaction(self._conn) as conn:  # placed and stored at once: no add between
            placed = self._b.place(conn, issue)
            if placed.twin is not None and not (replace and placed.verdict.new_is_better):
                return FileOutcome(path, Outcome.SKIPPED, _skip_note(placed, replace),
                                   placed.twin["id"])
            if placed.twin is not None:  # the better copy takes the stored one's id
                self._b.remove_issue(conn, placed.twin["id"])
            issue_id = self._b.store_in(conn, issue, placed.twin["id"] if placed.twin else None)
        if issue_id is None:  # another `digest add` stored the same file meanwhile
            return FileOutcome(path, Outcome.SKIPPED, "already in the library", same_file=True)
        if placed.twin is not None:
            return FileOutcome(path, Outcome.REPLACED, _replace_note(placed), issue_id, n,
                               issue.warnings)
        return FileOutcome(path, Outcome.ADDED, _namesake_note(issue, placed), issue_id, n,
                           issue.warnings)

    def store_copy(self, issue: Issue, record: IssueInfo, reserved: int = 0) -> FileOutcome:
        """Store an issue read from another library, unless this one holds it already: the same
        file (same SHA-256) or another copy of the same issue (``identity``). One transaction.

        ``record`` is the issue's entry in the other library: its time of adding and its count
        of OCR pages are kept, and its id when that is free here; else it gets an id above
        ``reserved`` (the other library's largest), which keeps the ids of the issues still to
        be copied free for them (``digest library copy``).
        """
        from digest.library.ingest import FileOutcome, Outcome

        with self._b.transaction(self._conn) as conn:  # checked and stored at once
            row = conn.execute("SELECT * FROM issues WHERE sha256 = ?",
                               (issue.sha256,)).fetchone()
            if row:
                return _same_file(issue.source, row)
            placed = self._b.place(conn, issue)
            if placed.twin is not None:
                return FileOutcome(issue.source, Outcome.SKIPPED, _skip_note(placed, False),
                                   placed.twin["id"])
            issue_id = self._b.store_in(conn, issue, _free_id(conn, record.id, reserved), record)
        if issue_id is None:  # another writer stored the same file meanwhile (PostgreSQL)
            return FileOutcome(issue.source, Outcome.SKIPPED, "already in the library",
                               same_file=True)
        return FileOutcome(issue.source, Outcome.ADDED, _namesake_note(issue, placed), issue_id,
                           sum(1 for a in issue.articles if a.body), issue.warnings)

    # -- soundness

    def check(self, *, repair: bool = False) -> CheckResult:
        """SQLite's integrity check of the file; with ``repair``, rebuild the derived indexes
        first (a read-only library cannot be repaired)."""
        from digest.library import check

        if self._b is not SQLITE:
            return self._b.check(self._conn, repair=repair)
        if not repair:
            return check.CheckResult(check.problems(self._conn))
        if not writable(self.db_path):
            raise read_only_error(self.db_path)
        self._conn.close()
        try:
            done = check.repair(self.db_path)
        except sqlite3.DatabaseError as exc:
            self._conn = connect(self.db_path, write=False)
            return check.CheckResult((f"cannot repair: {exc}",))
        self._conn = connect(self.db_path)
        return check.CheckResult(check.problems(self._conn), done)

    # -- looking around

    def issues(self) -> list[IssueInfo]:
        """Every issue, by date, bulletin and number."""
        rows = self._conn.execute(f"{ISSUE_INFO_SQL} ORDER BY {self._b.issue_order}")
        return [issue_info(r) for r in rows]

    def find(self, name: str) -> IssueInfo:
        """The issue named by its id or ``BULLETIN:YEAR:NUMBER`` (BULLETIN may be a part)."""
        name = name.strip()
        if name.isdigit():
            rows = self._conn.execute(ISSUE_INFO_SQL + " WHERE id = ?", (int(name),)).fetchall()
        elif (m := re.fullmatch(r"(.+):(\d+):(\d+)", name)):
            rows = self._conn.execute(
                ISSUE_INFO_SQL + " WHERE instr(bulletin, ?) > 0 AND year = ? AND number = ?"
                " ORDER BY id", (m[1], int(m[2]), int(m[3]))).fetchall()
        else:
            rows = []
        if len(rows) > 1:
            ids = ", ".join(str(r["id"]) for r in rows)
            raise NotFoundError(f"{name!r} names {len(rows)} issues (ids {ids}): use the id.")
        if not rows:
            raise NotFoundError(f"No issue {name!r} in the library {self.folder}: name it by id "
                                "or as BULLETIN:YEAR:NUMBER, as `digest list` shows.")
        return issue_info(rows[0])

    def issue(self, name: str) -> Issue:
        """The stored issue, rebuilt as the parser returned it."""
        return self._load_issue(self.find(name).id)

    def article(self, name: str, seq: int) -> tuple[Issue, Article]:
        """Article ``seq`` (1, 2, …) of the named issue, with its issue."""
        info = self.find(name)
        issue = self._load_issue(info.id)
        for article in issue.articles:
            if article.seq == seq:
                return issue, article
        raise NotFoundError(f"Issue {info.name} has no article {seq}: see "
                            f"`digest show {info.id}` for its articles.")

    def remove(self, name: str) -> IssueInfo:
        """Remove the named issue, its articles and their index entries; return what it was."""
        info = self.find(name)
        with self._b.transaction(self._conn) as conn:
            self._b.remove_issue(conn, info.id)
        return info

    def _load_issue(self, issue_id: int) -> Issue:
        irow = self._conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        arows = self._conn.execute("SELECT * FROM articles WHERE issue_id = ? ORDER BY seq",
                                   (issue_id,))
        trows = self._conn.execute("SELECT * FROM toc_entries WHERE issue_id = ? ORDER BY seq",
                                   (issue_id,))
        return issue_from_rows(irow, arows, trows)

    # -- search and export

    def search(self, query: str, filters: Filters = NO_FILTERS,
               limit: int | None = DEFAULT_LIMIT) -> list:
        """Articles matching ``query`` (see ``digest.query``), best first, as ``Hit`` values;
        at most ``limit``. Raises ``QueryError`` for a query that cannot be understood."""
        return list(self.iter_search(query, filters, limit))

    def iter_search(self, query: str, filters: Filters = NO_FILTERS,
                    limit: int | None = None) -> Iterator:
        """``search`` as an iterator: hits are read, checked and built as they are asked for,
        so all the hits of a common term are never held at once."""
        return self._b.iter_search(self._conn, query, filters, limit)

    def iter_records(self, query: str, filters: Filters = NO_FILTERS,
                     limit: int | None = None) -> Iterator[dict]:
        """``iter_search`` giving each hit as ``Hit.as_dict()`` gives it, built straight from
        the database's row without the ``Hit``: what ``digest search --limit 0`` writes."""
        return self._b.iter_search(self._conn, query, filters, limit, make=hit_record)

    def hit_stream(self, query: str, filters: Filters = NO_FILTERS,
                   layout: str = "json") -> Iterator | None:
        """Every hit of ``query``, best first, written out by the database where it can: the
        UTF-8 text of each record for "json" (an item of the list) and "jsonl" (a line), the
        cells of a table line for "tsv" (``digest.library.hitstream``); the same as
        ``iter_records`` then encoding, at a fraction of the cost. None where the database
        cannot (PostgreSQL, a SQLite without JSON functions): use ``iter_records``."""
        return self._b.stream(self._conn, query, filters, layout) if self._b.stream else None

    def trends(self, terms: Iterable[str], *, by=None, by_region: bool = False,
               filters: Filters = NO_FILTERS):
        """Articles matching each term per period (and region): see ``digest.trends``."""
        from digest.trends import SQLITE, count_terms, scope_for

        return count_terms(self._conn, terms, by=by, by_region=by_region, scope=scope_for(filters),
                           dialect=self._b.trends_dialect or SQLITE)

    def rising(self, *, by=None, filters: Filters = NO_FILTERS, min_support: int | None = None,
               limit: int = 20):
        """Keywords whose share of articles grew most in the latest period: ``digest.trends``."""
        from digest.trends import MIN_SUPPORT, SQLITE, rising, scope_for

        return rising(self._conn, by=by, scope=scope_for(filters), limit=limit,
                      min_support=MIN_SUPPORT if min_support is None else min_support,
                      dialect=self._b.trends_dialect or SQLITE)

    def select(self, query: str | None = None,
               filters: Filters = NO_FILTERS) -> Iterator[tuple[Issue, Article]]:
        """(issue, article) for every article with a body that matches, in issue order.

        This is what ``digest export`` writes for the library: ``digest.export.article_row``
        turns each pair into a row.
        """
        for issue_id, seqs in self._b.selected(self._conn, query, filters).items():
            issue = self._load_issue(issue_id)
            yield from ((issue, a) for a in issue.articles if a.seq in seqs)


def _store_in(conn, issue: Issue, issue_id: int | None = None,
              record: IssueInfo | None = None) -> int | None:
    """Store a whole issue inside the caller's transaction (as ``issue_id`` when given; keeping
    what ``record``, its entry in another library, says: see ``insert_issue``); its id, or None
    if its hash is already here."""
    issue_id = insert_issue(conn, issue, issue_id, record)
    if issue_id is None:
        return None
    ids = article_ids(conn, issue.masthead.date, [a.seq for a in issue.articles])
    indexed = []
    for article in issue.articles:
        article_id = insert_article(conn, ids[article.seq], issue_id, article)
        if article.body:
            indexed.append((article_id, article.title, article.text))
    _search.index_articles(conn, indexed)  # after the rows: see index_articles
    insert_toc(conn, issue_id, issue.toc)
    return issue_id


def _place(conn, issue: Issue) -> identity.Placement:
    from digest.library import identity

    return identity.place(conn, issue)


def _remove_issue(conn, issue_id: int) -> None:
    from digest.library import identity

    identity.remove_issue(conn, issue_id)


def _stream(conn, query: str, filters: Filters, layout: str):
    from digest.library import hitstream

    return hitstream.stream(conn, query, filters, layout)


SQLITE = Backend("SQLite", (sqlite3.Error,), library_error, transaction, _store_in, _place,
                 _remove_issue, _search.iter_search, _search.selected,
                 "date, bulletin, number, id", stream=_stream)


def _stored_name(row) -> str:
    """A stored issue as a message names it: ``长三角每周要讯:2020:200 (id 3, from FILE)``."""
    return f"{issue_info_name(row)} (id {row['id']}, from {row['source']})"


def _free_id(conn, wanted: int, reserved: int) -> int:
    """``wanted`` if no issue has it, else the first id above ``reserved`` and every id used."""
    if conn.execute("SELECT 1 FROM issues WHERE id = ?", (wanted,)).fetchone() is None:
        return wanted
    return max(reserved, conn.execute("SELECT max(id) FROM issues").fetchone()[0]) + 1


def _same_file(path: str, row) -> FileOutcome:
    """Skipped: the very file (same SHA-256) stored as ``row``."""
    from digest.library.ingest import FileOutcome, Outcome

    return FileOutcome(path, Outcome.SKIPPED,
                       f"same issue as {_stored_name(row)}, skipped: the same file", row["id"],
                       same_file=True)


def _skip_note(placed: identity.Placement, replace: bool) -> str:
    note = f"same issue as {_stored_name(placed.twin)}, skipped"
    if replace:
        return f"{note}: the stored copy is kept, {placed.verdict.reason}"
    return note


def _replace_note(placed: identity.Placement) -> str:
    return (f"a better copy of {_stored_name(placed.twin)}, which it replaced (same id): "
            f"{placed.verdict.reason}")


def _namesake_note(issue: Issue, placed: identity.Placement) -> str:
    if not placed.namesakes:
        return ""
    others = ", ".join(_stored_name(r) for r in placed.namesakes)
    return (f"shares its bulletin and number or date with {others}, but not its content: "
            "a different issue (a misprinted number?), both kept; name them by id")
