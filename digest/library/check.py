"""``digest check``: is the library's file sound, and rebuilding what can be rebuilt.

The check is SQLite's own ``PRAGMA integrity_check`` (every b-tree page, every index entry)
plus FTS5's ``integrity-check`` of the search index.

The repair rebuilds everything that is derived from the stored rows: the search index and the
table indexes. The search index is cut out of the schema (``writable_schema``: dropping it
would read its damaged pages), ``VACUUM`` then copies the tables into a fresh file, rebuilding
every index and leaving damaged unreachable pages behind, and the search index is made again
from the articles (the migration step that introduced it). Damage to the issues, articles or
TOC rows themselves cannot be repaired here: restore a backup, or add the issues again.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from digest.library.schema import transaction
from digest.library.search import build_index

MAX_PROBLEMS = 20  # lines of integrity_check output worth showing; the rest is more of the same
STORED_TABLES = ("issues", "articles", "toc_entries")  # what a repair cannot rebuild


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[str, ...]  # empty when the library is sound
    repaired: tuple[str, ...] = ()  # what --repair rebuilt

    @property
    def ok(self) -> bool:
        return not self.problems


def problems(conn: sqlite3.Connection) -> tuple[str, ...]:
    """What SQLite finds wrong with the file (empty when it is sound)."""
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")]
    except sqlite3.DatabaseError as exc:
        return (str(exc),)
    found = tuple(r for r in rows if r != "ok")
    try:
        conn.execute("INSERT INTO article_fts (article_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        found += (f"search index: {exc}",)
    return found


def unreadable_tables(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The stored tables whose rows cannot all be read (a full scan of each)."""
    bad = []
    for table in STORED_TABLES:
        try:
            for _row in conn.execute(f"SELECT * FROM {table}"):
                pass
        except sqlite3.DatabaseError:
            bad.append(table)
    return tuple(bad)


def repair(db_path: Path) -> tuple[str, ...]:
    """Rebuild the search index and the table indexes of the file; what was done.

    The work is done on a copy, which replaces the file only when it succeeded; the damaged
    file is kept beside it as ``library.db.before-repair``. Raises ``sqlite3.DatabaseError``
    when the stored rows themselves are damaged (the file is then left as it was).
    """
    work = db_path.with_name(db_path.name + ".repairing")
    kept = db_path.with_name(db_path.name + ".before-repair")
    _copy(db_path, work)
    try:
        _rebuild(work)
        os.replace(db_path, kept)
        os.replace(work, db_path)
    finally:
        if work.exists():
            work.unlink()
    return ("copied the issues, articles and TOCs into a fresh file, rebuilding the table "
            "indexes (VACUUM)", "rebuilt the search index from the stored articles",
            f"kept the damaged file as {kept}")


def _copy(db_path: Path, work: Path) -> None:
    """A byte copy of the database with its write-ahead log folded in."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # a damaged file may refuse; the copy below still holds what the file holds
    finally:
        conn.close()
    import shutil  # here: its import (bz2, lzma) is a tenth of a `digest search`

    shutil.copyfile(db_path, work)


def _rebuild(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        bad = unreadable_tables(conn)
        if bad:
            raise sqlite3.DatabaseError(f"the {', '.join(bad)} table(s) are damaged and cannot "
                                        "be rebuilt from anything else")
        indexes = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
        conn.execute("PRAGMA writable_schema = ON")  # dropping would read the damaged pages
        with transaction(conn):
            conn.execute(r"DELETE FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL) "
                         r"OR name = 'article_fts' OR name LIKE 'article\_fts\_%' ESCAPE '\'")
        conn.execute("PRAGMA writable_schema = OFF")
    finally:
        conn.close()
    conn = sqlite3.connect(path, isolation_level=None)  # a fresh view of the changed schema
    try:
        conn.execute("VACUUM")  # copies the tables into a fresh file; unreachable pages stay out
        with transaction(conn):
            for sql in indexes:
                conn.execute(sql)
            build_index(conn)
    finally:
        conn.close()
