"""What differs between the library's two databases: SQLite (a file) and PostgreSQL (a server).

``Library`` (``store``) holds one ``Backend`` and calls through it where the SQL or the
transaction handling differs; everything else (the rows, the identity rules, the query
language and its exact check) is the same code on both. ``SQLITE`` is built in ``store``;
``digest.library.pg`` builds PostgreSQL's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backend:
    name: str  # as messages name the database: "SQLite", "PostgreSQL"
    errors: tuple[type[BaseException], ...]  # the driver's errors, turned into the error family
    error: Callable  # (driver error, where) -> LibraryError
    transaction: Callable  # conn -> context manager: one write transaction
    store_in: Callable  # (conn, issue, issue_id | None) -> id | None, inside a transaction
    place: Callable  # (conn, issue) -> identity.Placement, inside the storing transaction
    remove_issue: Callable  # (conn, issue_id), inside a transaction
    iter_search: Callable  # (conn, query, filters, limit, make=) -> Iterator[Hit or make's]
    selected: Callable  # (conn, query, filters) -> {issue id: article seqs}
    issue_order: str  # ORDER BY of `digest list`: dates, then names, missing ones first
    check: Callable | None = None  # (conn, repair=) -> CheckResult; None: the Library's own
    trends_dialect: object = None  # digest.trends.Dialect; None: SQLite's
    # (conn, query, filters, layout) -> every hit written out, or None: see Library.hit_stream
    stream: Callable | None = None
