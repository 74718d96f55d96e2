"""The database: its tables, the steps that migrate them, and opening a library file.

Schema versions. ``PRAGMA user_version`` holds the number of ``MIGRATIONS`` steps applied; opening
a library runs the missing ones, so a library made by one version opens in the next. A step is
never edited once released: changes are new steps. A new article field is a new step adding its
column (``ALTER TABLE articles ADD COLUMN``) next to its entry in ``rows.ARTICLE_FIELDS``.

Upgrades. Each step runs in its own transaction, so a process stopped during one (Ctrl-C,
SIGTERM, SIGKILL, a full disk) leaves the library at the schema before that step, every row as
it was, and the next opening runs it again. A large library's long steps are reported as they
run to the ``upgrading`` callback of ``connect`` (``digest.library.upgrade``); a library that
needs no step costs the one ``PRAGMA user_version`` it always did.

Read-only libraries. A library on read-only media, in a folder the user may not write, or in a
file without write permission is opened read-only (``mode=ro``, or ``immutable=1`` when not even
SQLite's shared-memory file can be made): list, show, search and export work; add and remove
raise ``ReadOnlyLibraryError``. SQLite errors become the error family (``library_error``): a
damaged file is ``CorruptLibraryError``, named as such, with what to do.

Concurrency. Each write is one ``BEGIN IMMEDIATE`` transaction (``transaction``), so a killed
``digest add`` never leaves half an issue. WAL mode lets readers run while a writer writes, and
the busy timeout makes a second writer (another ``digest add``) wait for the lock instead of
failing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from digest.errors import CorruptLibraryError, LibraryError, ReadOnlyLibraryError
from digest.library.rows import renumber_articles
from digest.library.search import build_index, index_text_v2

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see digest/__init__.py)
if TYPE_CHECKING:
    from digest.library.upgrade import StepProgress, UpgradeCallback

# A writer holds the lock for one issue (milliseconds); a minute covers a slow disk and a
# second `digest add` storing many issues in turn, without hanging forever on a stuck one.
BUSY_TIMEOUT_S = 60.0
OPEN_RETRY_S = 0.05  # pause before trying again to open a library another process is creating

_V1_TABLES = (
    """CREATE TABLE issues (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        bulletin TEXT, year INTEGER, number INTEGER, total_number INTEGER,
        publisher TEXT, date TEXT, pages INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]')""",
    "CREATE INDEX issues_by_name ON issues (bulletin, year, number)",
    # body last: the small columns stay on the row's first page, which filters and lists read.
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        section TEXT, title TEXT NOT NULL, page INTEGER, toc_page INTEGER, match REAL,
        status TEXT NOT NULL,
        region TEXT, regions TEXT NOT NULL DEFAULT '[]', keywords TEXT NOT NULL DEFAULT '[]',
        summary TEXT,
        body TEXT NOT NULL DEFAULT '',
        UNIQUE (issue_id, seq))""",
    """CREATE TABLE toc_entries (
        issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        section TEXT, title TEXT NOT NULL, page INTEGER,
        PRIMARY KEY (issue_id, seq))""",
)


def _v1_tables(conn: sqlite3.Connection, progress=None) -> None:
    for statement in _V1_TABLES:
        conn.execute(statement)


def _v2_search_index(conn: sqlite3.Connection, progress=None) -> None:
    """The bigram search index, filled for the articles stored before it existed."""
    build_index(conn, index_text_v2, progress)


def _v3_articles_with_body(conn: sqlite3.Connection, progress=None) -> None:
    """A partial index of the articles that have a body, by issue and region.

    Counting articles per issue, period or region (trends, filters) otherwise tests
    ``body != ''`` on every row, which reads every body from disk; this index answers those
    counts without touching a body.
    """
    conn.execute("CREATE INDEX articles_with_body ON articles (issue_id, region) WHERE body != ''")


def _v4_physical_page(conn: sqlite3.Connection, progress=None) -> None:
    """``Article.physical_page``; articles stored before it have none (NULL)."""
    conn.execute("ALTER TABLE articles ADD COLUMN physical_page INTEGER")


def _v5_printed_sections_end_matter_home(conn: sqlite3.Connection, progress=None) -> None:
    """Section headings as printed (``section_printed`` of articles and TOC entries), the
    issue's end matter and home grouping; issues stored before have none."""
    conn.execute("ALTER TABLE articles ADD COLUMN section_printed TEXT")
    conn.execute("ALTER TABLE toc_entries ADD COLUMN section_printed TEXT")
    conn.execute("ALTER TABLE issues ADD COLUMN end_matter TEXT NOT NULL DEFAULT '[]'")
    conn.execute("ALTER TABLE issues ADD COLUMN home TEXT")


def _v6_one_issue_once(conn: sqlite3.Connection, progress=None) -> None:
    """Issues are identified by key and content (``identity``): what decides the better copy
    (pages read by OCR), an index to find an issue by date, and copies of one issue stored
    before merged into the better one."""
    from digest.library.identity import merge_copies

    conn.execute("ALTER TABLE issues ADD COLUMN ocr_pages INTEGER NOT NULL DEFAULT 0")
    conn.execute("CREATE INDEX issues_by_date ON issues (date)")
    merge_copies(conn)


def _v7_run_breaks(conn: sqlite3.Connection, progress=None) -> None:
    """The search index rebuilt with ``RUN_BREAK`` between runs (``digest.query``), which makes
    the phrase of a one-run term the substring test itself. Dropped and built again rather than
    updated article by article: every entry changes."""
    conn.execute("DROP TABLE article_fts")
    build_index(conn, progress=progress)


_ISSUE_REGIONS = (
    # Articles with a body per issue and main region ('' for none): what trends divide by,
    # a few rows per issue instead of every article.
    """CREATE TABLE issue_regions (
        issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        region TEXT NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (issue_id, region)) WITHOUT ROWID""",
    """CREATE TRIGGER issue_regions_add AFTER INSERT ON articles WHEN NEW.body != '' BEGIN
        INSERT INTO issue_regions VALUES (NEW.issue_id, coalesce(NEW.region, ''), 1)
            ON CONFLICT (issue_id, region) DO UPDATE SET articles = articles + 1;
    END""",
    """CREATE TRIGGER issue_regions_remove AFTER DELETE ON articles WHEN OLD.body != '' BEGIN
        UPDATE issue_regions SET articles = articles - 1
            WHERE issue_id = OLD.issue_id AND region = coalesce(OLD.region, '');
        DELETE FROM issue_regions WHERE articles <= 0
            AND issue_id = OLD.issue_id AND region = coalesce(OLD.region, '');
    END""",
    """CREATE TRIGGER issue_regions_change AFTER UPDATE OF issue_id, region, body ON articles
    BEGIN
        UPDATE issue_regions SET articles = articles - 1
            WHERE OLD.body != '' AND issue_id = OLD.issue_id AND region = coalesce(OLD.region, '');
        DELETE FROM issue_regions WHERE articles <= 0
            AND issue_id = OLD.issue_id AND region = coalesce(OLD.region, '');
        INSERT INTO issue_regions SELECT NEW.issue_id, coalesce(NEW.region, ''), 1
            WHERE NEW.body != '' ON CONFLICT (issue_id, region) DO UPDATE SET articles = articles + 1;
    END""",
)


def _v8_issue_regions(conn: sqlite3.Connection, progress=None) -> None:
    """Article counts per issue and region, kept by triggers whatever adds or removes articles
    (add, remove, --replace, merged copies), filled for the articles stored before; and an index
    from article id to its issue and region, so that the matches of a term (ids from the search
    index) are counted per issue and region without reading the articles' rows.
    """
    for statement in _ISSUE_REGIONS:
        conn.execute(statement)
    conn.execute("INSERT INTO issue_regions SELECT issue_id, coalesce(region, ''), count(*) "
                 "FROM articles WHERE body != '' GROUP BY issue_id, coalesce(region, '')")
    conn.execute("CREATE INDEX articles_keys ON articles (id, issue_id, region) WHERE body != ''")


def _v9_postgresql_title_index(conn: sqlite3.Connection, progress=None) -> None:
    """PostgreSQL's title tsvector (``pg._v9_title_index``): nothing here, where FTS5's
    ``{title}:`` column filter already finds the title hits."""


def _v10_articles_by_date(conn: sqlite3.Connection, progress=None) -> None:
    """Article ids in the order search shows hits: the newest issue date first, the article
    order within an issue (``rows.article_ids``); before, ids were the order of adding, so an
    archive added after newer issues ranked above them. The search index is keyed by article
    id and holds no text to move: it is built again under the new ids."""
    renumber_articles(conn, progress)
    conn.execute("DROP TABLE article_fts")
    build_index(conn, progress=progress)


# Step i takes a library from version i to i + 1. Append; never edit a released step.
MIGRATIONS: tuple[Callable[[sqlite3.Connection, StepProgress], None], ...] = (
    _v1_tables, _v2_search_index, _v3_articles_with_body, _v4_physical_page,
    _v5_printed_sections_end_matter_home, _v6_one_issue_once, _v7_run_breaks,
    _v8_issue_regions, _v9_postgresql_title_index, _v10_articles_by_date)
# What each step does, as an upgrade reports it (``upgrade.Stage.STEP``), PostgreSQL's too.
TITLES = (
    "tables", "search index", "index of articles with a body", "physical pages",
    "printed sections, end matter, home", "one copy of each issue", "search index with run breaks",
    "article counts per issue and region", "title index (PostgreSQL)",
    "article ids by issue date, search index rebuilt")
assert len(TITLES) == len(MIGRATIONS), "each schema.MIGRATIONS step needs its title"


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, db_path: Path, steps=MIGRATIONS,
            upgrading: UpgradeCallback | None = None) -> None:
    """Run the steps the library has not had yet, each in its own transaction, telling
    ``upgrading`` how it goes (``digest.library.upgrade``). A library that has had them all
    costs one ``PRAGMA``, as before."""
    version = user_version(conn)
    if version > len(steps):
        raise newer_schema_error(db_path, version, len(steps))
    if version < len(steps):
        _upgrade(conn, db_path, steps, upgrading)


def _upgrade(conn: sqlite3.Connection, db_path: Path, steps, upgrading) -> None:
    from digest.library.upgrade import Reporter

    report = Reporter(upgrading, db_path, len(steps))
    try:
        while user_version(conn) < len(steps):
            with transaction(conn):
                version = user_version(conn)  # another process may have migrated meanwhile
                if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise LibraryError(f"{db_path} is an SQLite database but not a digest "
                                       "library: give --library another folder.")
                if version < len(steps):
                    report.start(version, lambda: article_count(conn))
                    steps[version](conn, report.step(version + 1, TITLES[version]))
                    conn.execute(f"PRAGMA user_version = {version + 1}")
    except BaseException:
        if report.started:  # the step under way is rolled back: the library keeps the others
            report.undone(user_version(conn))
        raise
    report.done()


def article_count(conn) -> int:
    """Articles stored (SQLite or PostgreSQL): what an upgrade's long steps go through."""
    return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def newer_schema_error(where, version: int, known: int) -> LibraryError:
    """A library made by a newer digest (SQLite or PostgreSQL: the same message)."""
    return LibraryError(f"{where} was made by a newer version of digest (schema {version}, this "
                        f"one knows {known}): upgrade digest.")


@contextmanager
def transaction(conn: sqlite3.Connection):
    """A write transaction that takes the write lock at once (waiting up to the busy timeout)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(db_path: Path, steps=MIGRATIONS, *, write: bool = True,
            upgrading: UpgradeCallback | None = None) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database file, telling ``upgrading`` about a
    migration of an older library (``digest.library.upgrade``).

    ``write=False`` (list, show, search, export): a library that cannot be written is opened
    read-only instead of failing. ``write=True`` (add, remove) raises ``ReadOnlyLibraryError``.
    """
    if not writable(db_path):
        if write:
            raise read_only_error(db_path)
        return _open_read_only(db_path, steps)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return _open(db_path, steps, upgrading)
        except sqlite3.OperationalError as exc:
            # Switching a new file to WAL while another process does the same can report
            # "locked" at once, without waiting: try again.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise _open_error(db_path, exc, write) from None
            time.sleep(OPEN_RETRY_S)
        except sqlite3.Error as exc:
            raise _open_error(db_path, exc, write) from None


def writable(db_path: Path) -> bool:
    """Can this process write the database and its folder (for the journal files)?"""
    folder = db_path.parent if str(db_path.parent) else Path(".")
    if not db_path.exists():
        return os.access(folder, os.W_OK | os.X_OK)
    return os.access(db_path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _open(db_path: Path, steps, upgrading=None) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode still safe against a crash
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, db_path, steps, upgrading)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_read_only(db_path: Path, steps) -> sqlite3.Connection:
    """Open without writing anything; ``immutable`` when the WAL's shared memory can't be made."""
    uri = "file:" + quote(str(db_path.absolute()))
    for flags in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{flags}", uri=True, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None)
            conn.row_factory = sqlite3.Row
            version = user_version(conn)
            break
        except sqlite3.OperationalError as exc:
            last = exc
            continue
        except sqlite3.DatabaseError as exc:
            raise library_error(exc, db_path) from None
    else:
        raise _open_error(db_path, last, False) from None
    if version != len(steps):
        conn.close()
        raise ReadOnlyLibraryError(
            f"The library {db_path} is read-only and was made by "
            f"{'an older' if version < len(steps) else 'a newer'} version of digest (schema "
            f"{version}, this one reads {len(steps)}): open it once where it can be written to "
            "upgrade it, or use the matching digest.")
    return conn


def read_only_error(db_path: Path) -> ReadOnlyLibraryError:
    return ReadOnlyLibraryError(
        f"The library {db_path} is read-only (no write permission on it or its folder): it can "
        "be listed, shown, searched and exported, not changed. Make it writable, or give "
        "--library another folder.")


CORRUPT_SIGNS = ("malformed", "not a database", "disk image", "database corrupt")


def library_error(exc: sqlite3.Error, db_path: Path) -> LibraryError:
    """An SQLite error as the error family's member that says what happened and what to do."""
    text = str(exc)
    if any(sign in text for sign in CORRUPT_SIGNS) and _sqlite_header(db_path):
        return CorruptLibraryError(
            f"The library {db_path} is corrupted (SQLite: {text}). Restore a backup copy of it; "
            "or run `digest check --repair` to rebuild its search index; if the check still "
            "fails, move the file away and add the issues again.")
    if "readonly" in text or "read-only" in text:
        return read_only_error(db_path)
    if "full" in text:
        return LibraryError(f"The disk holding the library {db_path} is full (SQLite: {text}); "
                            "nothing half-stored was kept. Free some space and try again.")
    return LibraryError(f"The library {db_path} could not be read or written (SQLite: {text}).")


def _sqlite_header(db_path: Path) -> bool:
    """Does the file start as SQLite files do? If not, it is not damaged: it is something else."""
    try:
        with open(db_path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return True  # can't tell: report what SQLite said


def _open_error(db_path: Path, exc: Exception, write: bool) -> LibraryError:
    translated = library_error(exc, db_path) if isinstance(exc, sqlite3.Error) else None
    if translated is not None and type(translated) is not LibraryError:
        return translated
    return LibraryError(f"Cannot open the library {db_path}: {exc}. Check that it is a digest "
                        "library" + (" and that the folder is writable." if write else "."))
