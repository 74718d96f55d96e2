"""The library: issues, their articles and printed TOCs in one embedded SQLite file, searchable.

Where: ``library_path`` picks the folder (``--library`` > ``$DIGEST_HOME`` > the user data
folder); the database is ``library.db`` inside it. No server, no set-up.

Storage. Each issue is stored in one ``BEGIN IMMEDIATE`` transaction, so a killed ``digest add``
never leaves half an issue. WAL mode lets readers run while a writer writes, and the busy
timeout makes a second writer (another ``digest add``) wait for the lock instead of failing.
The identity of an issue is the SHA-256 of its file: adding the same file again changes nothing.
Articles keep every entry of the rebuilt TOC, those without a body too, so the TOC round-trips.

Schema versions. ``PRAGMA user_version`` holds the number of ``MIGRATIONS`` steps applied; opening
a library runs the missing ones, so a library made by one version opens in the next. A step is
never edited once released: changes are new steps.

Search (see ``digest.query``). An FTS5 table indexes each article's title and body as overlapping
character pairs, and each query term becomes a phrase of pairs; candidates are checked with a
real substring test. Recall is exactly that of substring search for any term, including two-
character ones (医药 inside 生物医药) that a word segmenter would not cut out, and precision is
exact after the check. FTS5's own trigram tokenizer also gives substring search but cannot look
up a term shorter than three characters, and two-character words are the commonest Chinese
queries (养老, 医药, 江苏); a segmenter (jieba) misses every substring it cuts differently.
The FTS table is contentless (the texts live once, in ``articles``); deleting from it needs the
indexed values, which ``index_text`` recomputes, so changing ``index_text`` needs a migration
step that rebuilds the index. Ranking is BM25 with the title weighted above the body.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import glob
import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path

from digest.errors import DigestError, LibraryError, NotFoundError, QueryError
from digest.models import Article, Issue, Masthead, Status, TocEntry
from digest.query import Query, Snippet, index_text, parse_query, snippet

DB_NAME = "library.db"
ENV_VAR = "DIGEST_HOME"
ISSUE_SUFFIXES = (".pdf", ".txt")  # what a folder given to `digest add` is searched for
# A writer holds the lock for one issue (milliseconds); a minute covers a slow disk and a
# second `digest add` storing many issues in turn, without hanging forever on a stuck one.
BUSY_TIMEOUT_S = 60.0
OPEN_RETRY_S = 0.05  # pause before trying again to open a library another process is creating
# BM25 weight of a title hit against a body hit: a title is ~20 characters against a body's
# ~1,000, and an article named after the term is what the reader is looking for.
TITLE_WEIGHT = 5.0
DEFAULT_LIMIT = 20  # hits a search returns unless told: one screen
_CHUNK = 64  # candidate articles fetched at a time while checking hits


# --- where the library lives --------------------------------------------------------------------


def library_path(explicit: str | os.PathLike | None = None) -> Path:
    """The library folder: ``explicit``, else ``$DIGEST_HOME``, else the user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("digest", appauthor=False))


# --- schema -------------------------------------------------------------------------------------

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


def _v1_tables(conn: sqlite3.Connection) -> None:
    for statement in _V1_TABLES:
        conn.execute(statement)


def _v2_search_index(conn: sqlite3.Connection) -> None:
    """The bigram search index, filled for the articles stored before it existed."""
    conn.execute("CREATE VIRTUAL TABLE article_fts USING fts5("
                 "title, body, content='', tokenize='ascii')")
    rows = conn.execute("SELECT id, title, body FROM articles WHERE body != ''")
    conn.executemany("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                     ((i, index_text(t), index_text(b)) for i, t, b in rows.fetchall()))


# Step i takes a library from version i to i + 1. Append; never edit a released step.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1_tables, _v2_search_index)


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _migrate(conn: sqlite3.Connection, db_path: Path, steps=MIGRATIONS) -> None:
    if _user_version(conn) > len(steps):
        raise LibraryError(f"{db_path} was made by a newer version of digest (schema "
                           f"{_user_version(conn)}, this one knows {len(steps)}): upgrade digest.")
    while _user_version(conn) < len(steps):
        with _transaction(conn):
            version = _user_version(conn)  # another process may have migrated meanwhile
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise LibraryError(f"{db_path} is an SQLite database but not a digest library: "
                                   "give --library another folder.")
            if version < len(steps):
                steps[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")


@contextmanager
def _transaction(conn: sqlite3.Connection):
    """A write transaction that takes the write lock at once (waiting up to the busy timeout)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(db_path: Path, steps=MIGRATIONS) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database file."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return _open(db_path, steps)
        except sqlite3.OperationalError as exc:
            # Switching a new file to WAL while another process does the same can report
            # "locked" at once, without waiting: try again.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise _open_error(db_path, exc) from None
            time.sleep(OPEN_RETRY_S)
        except sqlite3.Error as exc:
            raise _open_error(db_path, exc) from None


def _open(db_path: Path, steps) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode still safe against a crash
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, db_path, steps)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_error(db_path: Path, exc: Exception) -> LibraryError:
    return LibraryError(f"Cannot open the library {db_path}: {exc}. Check that it is a digest "
                        "library and that the folder is writable.")


# --- typed results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueInfo:
    """An issue as ``digest list`` shows it."""

    id: int
    sha256: str
    source: str
    bulletin: str | None
    year: int | None
    number: int | None
    total_number: int | None
    publisher: str | None
    date: dt.date | None
    pages: int
    added_at: str
    articles: int  # articles with a body
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``BULLETIN:YEAR:NUMBER`` when the masthead gives all three, else the id."""
        if self.bulletin and self.year and self.number:
            return f"{self.bulletin}:{self.year}:{self.number}"
        return str(self.id)


@dataclass(frozen=True)
class Hit:
    """One search hit: the export fields of its article (``digest.export.FIELDS``, same order),
    then its score (higher is better), a snippet of the body and the issue's library id."""

    source: str
    bulletin: str | None
    year: int | None
    issue: int | None
    date: str | None
    publisher: str | None
    seq: int
    section: str | None
    title: str
    page: int | None
    toc_page: int | None
    match: float | None
    body: str
    region: str | None
    regions: tuple[str, ...]
    keywords: tuple[str, ...]
    summary: str | None
    score: float
    snippet: Snippet
    issue_id: int

    @property
    def issue_name(self) -> str:
        """The issue as ``digest show`` takes it: ``BULLETIN:YEAR:NUMBER``, else its id."""
        if self.bulletin and self.year and self.issue:
            return f"{self.bulletin}:{self.year}:{self.issue}"
        return str(self.issue_id)

    def as_dict(self, open_mark: str = "【", close_mark: str = "】") -> dict:
        """A JSON-ready dict; the snippet's matches are wrapped in the two markers."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d.update(regions=list(self.regions), keywords=list(self.keywords),
                 snippet=self.snippet.marked(open_mark, close_mark))
        return d


@dataclass(frozen=True)
class Filters:
    """Search and export filters; text filters match when the field contains the value."""

    regions: tuple[str, ...] = ()  # region labels (江苏, 长三角): the main region is one of them
    section: str | None = None
    bulletin: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, *, region=None, section=None, bulletin=None, since=None, until=None):
        """Filters from command-line strings; dates as YYYY, YYYY-MM or YYYY-MM-DD.

        ``region`` is a label or a list of labels (江苏, not 江苏省: see ``Gazetteer.resolve``)."""
        regions = (region,) if isinstance(region, str) else tuple(region or ())
        return cls(regions, section or None, bulletin or None,
                   date_bound(since, end=False), date_bound(until, end=True))

    def sql(self) -> tuple[str, list]:
        """A WHERE condition over ``a`` (articles) and ``i`` (issues), and its parameters.

        Only articles with a body are searched and exported: a TOC entry without one is not
        an article to read.
        """
        conds, params = ["a.body != ''"], []
        if self.regions:
            conds.append(f"a.region IN ({', '.join('?' * len(self.regions))})")
            params += self.regions
        for column, value in (("a.section", self.section), ("i.bulletin", self.bulletin)):
            if value:
                conds.append(f"instr({column}, ?) > 0")
                params.append(value)
        for op, value in ((">=", self.since), ("<=", self.until)):
            if value:
                conds.append(f"i.date {op} ?")
                params.append(value.isoformat())
        return " AND ".join(conds), params


_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def date_bound(text: str | None, *, end: bool) -> dt.date | None:
    """``2020`` → 2020-01-01 (or 2020-12-31 for an end bound); ``2020-03`` → March 1st (31st)."""
    if not text:
        return None
    m = _DATE.fullmatch(text.strip())
    try:
        year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
        if day is None and end:
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, month, int(day or 1))
    except (TypeError, ValueError):
        raise QueryError(f"Cannot read the date {text!r}: write it as YYYY-MM-DD, YYYY-MM or "
                         "YYYY, e.g. --since 2020-03.") from None


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


# --- finding and parsing files ------------------------------------------------------------------


def expand_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[str]]:
    """Files named, found in folders (recursively) and matched by globs; and what matched nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for p in map(str, paths):
        path = Path(p)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*")
                            if f.is_file() and f.suffix.lower() in ISSUE_SUFFIXES)
        elif path.exists():
            files.append(path)
        elif glob.has_magic(p) and (matched := sorted(glob.glob(p, recursive=True))):
            files += expand_paths(matched)[0]
        else:
            missing.append(p)
    unique = {f.resolve(): f for f in reversed(files)}  # keep the first of duplicates
    return [f for f in files if unique[f.resolve()] is f], missing


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_file(path: str | Path, password: str | None = None) -> Issue:
    """Read one issue file and enrich it (regions, keywords, summaries), as it is stored."""
    from digest.enrich import enrich_issue
    from digest.issue import parse_issue

    return enrich_issue(parse_issue(path, password=password))


def _parse_or_message(path: str, password: str | None) -> Issue | str:
    """``parse_file`` for a worker process: an error comes back as its message."""
    try:
        return parse_file(path, password)
    except DigestError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the other files
        return f"{path}: unexpected {type(exc).__name__}: {exc} (please report it)"


def _parse_all(paths: list[str], jobs: int, password: str | None) -> Iterator[tuple[str, object]]:
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


# --- the library --------------------------------------------------------------------------------


class Library:
    """A library folder holding ``library.db``. Use as a context manager, or call ``close``."""

    def __init__(self, folder: str | os.PathLike, *, create: bool = True):
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
        self._conn = connect(self.db_path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- adding

    def store(self, issue: Issue) -> int | None:
        """Store a whole issue in one transaction; its id, or None if its hash is already here."""
        with _transaction(self._conn) as conn:
            issue_id = _insert_issue(conn, issue)
            if issue_id is None:
                return None
            for article in issue.articles:
                _insert_article(conn, issue_id, article)
            conn.executemany("INSERT INTO toc_entries VALUES (?, ?, ?, ?, ?)",
                             [(issue_id, n, e.section, e.title, e.page)
                              for n, e in enumerate(issue.toc, 1)])
        return issue_id

    def add_paths(self, paths: Iterable[str | os.PathLike], *, jobs: int = 1,
                  password: str | None = None,
                  progress_callback: ProgressCallback | None = None) -> AddResult:
        """Parse and store every issue file in ``paths`` (files, folders, globs).

        Files already in the library are skipped without parsing; a file that fails is
        reported in the result and the others are still added.
        """
        files, missing = expand_paths(paths)
        done = [FileOutcome(p, Outcome.FAILED, f"{p}: no such file or folder") for p in missing]
        todo: dict[str, str] = {}  # path -> sha256, for the files to parse
        for path in files:
            if (outcome := self._pre_check(path, todo)) is not None:
                done.append(outcome)
        total = len(done) + len(todo)
        for n, outcome in enumerate(done, 1):
            _report(progress_callback, outcome, n, total)
        for path, parsed in _parse_all(list(todo), jobs, password):
            done.append(self._store_parsed(path, todo[path], parsed))
            _report(progress_callback, done[-1], len(done), total)
        order = {str(p): n for n, p in enumerate(files)}
        return AddResult(tuple(sorted(done, key=lambda o: order.get(o.path, len(order)))))

    def _pre_check(self, path: Path, todo: dict[str, str]) -> FileOutcome | None:
        """Skip files already stored or given twice; None when the file is to be parsed."""
        try:
            sha = file_sha256(path)
        except OSError as exc:
            return FileOutcome(str(path), Outcome.FAILED, f"{path}: cannot read ({exc.strerror})")
        twin = next((p for p, s in todo.items() if s == sha), None)
        if twin is not None:
            return FileOutcome(str(path), Outcome.SKIPPED, f"same content as {twin}")
        row = self._conn.execute("SELECT id FROM issues WHERE sha256 = ?", (sha,)).fetchone()
        if row:
            return FileOutcome(str(path), Outcome.SKIPPED, "already in the library", row[0])
        todo[str(path)] = sha
        return None

    def _store_parsed(self, path: str, sha: str, parsed: Issue | str) -> FileOutcome:
        if isinstance(parsed, str):
            return FileOutcome(path, Outcome.FAILED, parsed)
        issue = replace(parsed, sha256=sha)  # identity is the hash of the file as read here
        issue_id = self.store(issue)
        if issue_id is None:  # another `digest add` stored the same file meanwhile
            return FileOutcome(path, Outcome.SKIPPED, "already in the library")
        n = sum(1 for a in issue.articles if a.body)
        return FileOutcome(path, Outcome.ADDED, "", issue_id, n, issue.warnings)

    # -- looking around

    def issues(self) -> list[IssueInfo]:
        """Every issue, by date, bulletin and number."""
        rows = self._conn.execute(_ISSUE_INFO_SQL + " ORDER BY date, bulletin, number, id")
        return [_issue_info(r) for r in rows]

    def find(self, name: str) -> IssueInfo:
        """The issue named by its id or ``BULLETIN:YEAR:NUMBER`` (BULLETIN may be a part)."""
        name = name.strip()
        if name.isdigit():
            rows = self._conn.execute(_ISSUE_INFO_SQL + " WHERE id = ?", (int(name),)).fetchall()
        elif (m := re.fullmatch(r"(.+):(\d+):(\d+)", name)):
            rows = self._conn.execute(
                _ISSUE_INFO_SQL + " WHERE instr(bulletin, ?) > 0 AND year = ? AND number = ?"
                " ORDER BY id", (m[1], int(m[2]), int(m[3]))).fetchall()
        else:
            rows = []
        if len(rows) > 1:
            ids = ", ".join(str(r["id"]) for r in rows)
            raise NotFoundError(f"{name!r} names {len(rows)} issues (ids {ids}): use the id.")
        if not rows:
            raise NotFoundError(f"No issue {name!r} in the library {self.folder}: name it by id "
                                "or as BULLETIN:YEAR:NUMBER, as `digest list` shows.")
        return _issue_info(rows[0])

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
        with _transaction(self._conn) as conn:
            rows = conn.execute("SELECT id, title, body FROM articles "
                                "WHERE issue_id = ? AND body != ''", (info.id,)).fetchall()
            conn.executemany(
                "INSERT INTO article_fts (article_fts, rowid, title, body) "
                "VALUES ('delete', ?, ?, ?)",
                [(i, index_text(t), index_text(b)) for i, t, b in rows])
            conn.execute("DELETE FROM issues WHERE id = ?", (info.id,))
        return info

    def _load_issue(self, issue_id: int) -> Issue:
        irow = self._conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        arows = self._conn.execute("SELECT * FROM articles WHERE issue_id = ? ORDER BY seq",
                                   (issue_id,))
        trows = self._conn.execute("SELECT * FROM toc_entries WHERE issue_id = ? ORDER BY seq",
                                   (issue_id,))
        return Issue(
            source=irow["source"], sha256=irow["sha256"], masthead=_masthead(irow),
            toc=tuple(TocEntry(t["section"], t["title"], t["page"]) for t in trows),
            articles=tuple(_article(a) for a in arows), pages=irow["pages"],
            warnings=tuple(json.loads(irow["warnings"])))

    # -- search and export

    def search(self, query: str, filters: Filters = Filters(),
               limit: int | None = DEFAULT_LIMIT) -> list[Hit]:
        """Articles matching ``query`` (see ``digest.query``), best first; at most ``limit``.

        Raises ``QueryError`` for a query that cannot be understood.
        """
        q = parse_query(query)
        hits: list[Hit] = []
        ranked = self._candidates(q, filters)
        for start in range(0, len(ranked), _CHUNK):
            chunk = ranked[start:start + _CHUNK]
            rows = self._hit_rows([aid for aid, _ in chunk])
            for aid, score in chunk:
                row = rows[aid]
                if q.matches(row["title"], row["body"]):
                    hits.append(_hit(row, score, q.terms))
                    if limit and len(hits) >= limit:
                        return hits
        return hits

    def _candidates(self, q: Query, filters: Filters) -> list[tuple[int, float]]:
        """(article id, score) of every article that may match, best first."""
        where, params = filters.sql()
        if q.fts is None:  # nothing to narrow by (one-character terms, only exclusions): scan
            return [(r[0], 0.0) for r in self._conn.execute(
                f"SELECT a.id FROM articles a JOIN issues i ON i.id = a.issue_id WHERE {where} "
                "ORDER BY i.date DESC, i.id DESC, a.seq", params)]
        # Only indexed articles have a body: without filters the FTS table alone answers.
        join = "" if filters == Filters() else (
            f"JOIN articles a ON a.id = f.rowid JOIN issues i ON i.id = a.issue_id AND {where}")
        rows = self._conn.execute(
            f"SELECT f.rowid, bm25(article_fts, {TITLE_WEIGHT}, 1.0) AS s FROM article_fts f "
            f"{join} WHERE article_fts MATCH ? ORDER BY s", [*params, q.fts])
        return [(r[0], -r[1]) for r in rows]  # bm25 is negative, lower is better

    def _hit_rows(self, article_ids: list[int]) -> dict[int, sqlite3.Row]:
        marks = ",".join("?" * len(article_ids))
        rows = self._conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM articles a JOIN issues i ON i.id = a.issue_id "
            f"WHERE a.id IN ({marks})", article_ids)
        return {r["article_id"]: r for r in rows}

    def trends(self, terms: Iterable[str], *, by=None, by_region: bool = False,
               filters: Filters = Filters()):
        """Articles matching each term per period (and region): see ``digest.trends``."""
        from digest.trends import count_terms, scope_for

        return count_terms(self._conn, terms, by=by, by_region=by_region, scope=scope_for(filters))

    def rising(self, *, by=None, filters: Filters = Filters(), min_support: int | None = None,
               limit: int = 20):
        """Keywords whose share of articles grew most in the latest period: ``digest.trends``."""
        from digest.trends import MIN_SUPPORT, rising, scope_for

        return rising(self._conn, by=by, scope=scope_for(filters), limit=limit,
                      min_support=MIN_SUPPORT if min_support is None else min_support)

    def select(self, query: str | None = None,
               filters: Filters = Filters()) -> Iterator[tuple[Issue, Article]]:
        """(issue, article) for every article with a body that matches, in issue order.

        This is what ``digest export`` writes for the library: ``digest.export.article_row``
        turns each pair into a row.
        """
        q = parse_query(query) if query else None
        where, params = filters.sql()
        if q is not None and q.fts is not None:
            where += " AND a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
            params.append(q.fts)
        texts = "a.title, a.body" if q is not None else "NULL AS title, NULL AS body"
        rows = self._conn.execute(
            f"SELECT a.issue_id, a.seq, {texts} FROM articles a "
            f"JOIN issues i ON i.id = a.issue_id WHERE {where} "
            "ORDER BY i.date, i.bulletin, i.number, i.id, a.seq", params).fetchall()
        wanted: dict[int, set[int]] = {}
        for r in rows:
            if q is None or q.matches(r["title"], r["body"]):
                wanted.setdefault(r["issue_id"], set()).add(r["seq"])
        for issue_id, seqs in wanted.items():
            issue = self._load_issue(issue_id)
            yield from ((issue, a) for a in issue.articles if a.seq in seqs)


# --- rows to values and back --------------------------------------------------------------------

_ISSUE_INFO_SQL = (
    "SELECT *, (SELECT count(*) FROM articles a WHERE a.issue_id = issues.id AND a.body != '')"
    " AS n_articles FROM issues")

_HIT_COLUMNS = (
    "a.id AS article_id, i.id AS issue_id, i.source, i.bulletin, i.year, i.number, i.date, "
    "i.publisher, a.seq, a.section, a.title, a.page, a.toc_page, a.match, a.body, a.region, "
    "a.regions, a.keywords, a.summary")


def _insert_issue(conn: sqlite3.Connection, issue: Issue) -> int | None:
    m = issue.masthead
    cur = conn.execute(
        "INSERT OR IGNORE INTO issues (sha256, source, bulletin, year, number, total_number, "
        "publisher, date, pages, added_at, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (issue.sha256, issue.source, m.bulletin, m.year, m.number, m.total_number, m.publisher,
         m.date.isoformat() if m.date else None, issue.pages,
         dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
         _json(issue.warnings)))
    return cur.lastrowid if cur.rowcount else None


def _insert_article(conn: sqlite3.Connection, issue_id: int, a: Article) -> None:
    cur = conn.execute(
        "INSERT INTO articles (issue_id, seq, section, title, page, toc_page, match, status, "
        "region, regions, keywords, summary, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (issue_id, a.seq, a.section, a.title, a.page, a.toc_page, a.match, Status(a.status).value,
         a.region, _json(a.regions), _json(a.keywords), a.summary, a.text))
    if a.body:
        conn.execute("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                     (cur.lastrowid, index_text(a.title), index_text(a.text)))


def _json(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _masthead(r: sqlite3.Row) -> Masthead:
    return Masthead(r["bulletin"], r["year"], r["number"], r["total_number"], r["publisher"],
                    _date(r["date"]))


def _issue_info(r: sqlite3.Row) -> IssueInfo:
    return IssueInfo(
        id=r["id"], sha256=r["sha256"], source=r["source"], bulletin=r["bulletin"],
        year=r["year"], number=r["number"], total_number=r["total_number"],
        publisher=r["publisher"], date=_date(r["date"]), pages=r["pages"],
        added_at=r["added_at"], articles=r["n_articles"], warnings=tuple(json.loads(r["warnings"])))


def _article(r: sqlite3.Row) -> Article:
    return Article(
        seq=r["seq"], section=r["section"], title=r["title"], page=r["page"],
        toc_page=r["toc_page"], match=r["match"], status=Status(r["status"]),
        body=tuple(r["body"].split("\n")) if r["body"] else (), region=r["region"],
        regions=tuple(json.loads(r["regions"])), keywords=tuple(json.loads(r["keywords"])),
        summary=r["summary"])


def _hit(r: sqlite3.Row, score: float, terms: list[str]) -> Hit:
    return Hit(
        source=r["source"], bulletin=r["bulletin"], year=r["year"], issue=r["number"],
        date=r["date"], publisher=r["publisher"], seq=r["seq"], section=r["section"],
        title=r["title"], page=r["page"], toc_page=r["toc_page"],
        match=None if r["match"] is None else round(r["match"], 1), body=r["body"],
        region=r["region"], regions=tuple(json.loads(r["regions"])),
        keywords=tuple(json.loads(r["keywords"])), summary=r["summary"], score=score,
        snippet=snippet(r["body"], terms), issue_id=r["issue_id"])


def _report(callback: ProgressCallback | None, outcome: FileOutcome, done: int, total: int):
    if callback is not None:
        callback(outcome, done, total)


