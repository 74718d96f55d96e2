"""Search: a query (``digest.query``) and filters in, SQL over the library, hits out.

An FTS5 table indexes each article's title and body as overlapping character pairs, with a
break token between runs (``digest.query``), and each query term becomes a phrase of those
tokens. Recall is exactly that of substring search for any term, including two-character ones
(医药 inside 生物医药) that a word segmenter would not cut out. For a term that is one run of
letters and digits the phrase is the substring test itself; other candidates (terms with
punctuation or spaces inside, one-character terms, exclusions) are checked with a real
substring test, so precision is exact too.
FTS5's own trigram tokenizer also gives substring search but cannot look up a term shorter than
three characters, and two-character words are the commonest Chinese queries (养老, 医药, 江苏);
a segmenter (jieba) misses every substring it cuts differently. The FTS table is contentless (the
texts live once, in ``articles``); deleting from it needs the indexed values, which
``index_text`` recomputes, so changing ``index_text`` needs a migration step that rebuilds the
index.

Ranking. Hits whose *title* holds the query come first, then those that hold it only in the
body; within each, the newest issue date first (undated issues last, the later-stored issue
of one day first), and an issue's articles in their order: descending article id, the order in
which the FTS5 index returns rows without reading anything else, since an article's id is that
place (``rows.article_ids``; schema step 10 renumbered the libraries whose ids were the order
of adding, where an archive added after newer issues came before them). This is a choice for
speed that keeps the order readable: SQLite's BM25 must score every match before the best
twenty are known, so a search for a common term (江苏: 50,900 of 160,000 articles) cost like a
scan of every text; here a search reads about as many index entries as it shows hits
(``ORDER BY rowid DESC LIMIT``, and a ``{title}:`` column filter for the first tier). An
article named after the term is what the reader looks for first, and in a news library the
latest of those is what is wanted next. ``Hit.score`` is 2 for a title hit and 1 for a body
hit.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from digest.errors import QueryError
from digest.library.rows import HIT_COLUMNS, hit_from_row
from digest.query import Query, fold, index_text, parse_query

TITLE_HIT, BODY_HIT = 2.0, 1.0  # the score of a hit in each tier (SQLite's and PostgreSQL's)
DEFAULT_LIMIT = 20  # hits a search returns unless told: one screen
_CHUNK = 64  # candidate articles fetched at a time while checking hits
# Ranked candidates asked for beyond the limit: the few that may fail the exact check.
SLACK = 16


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


NO_FILTERS = Filters()  # every article with a body

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


def search(conn: sqlite3.Connection, query: str, filters: Filters = Filters(),
           limit: int | None = DEFAULT_LIMIT) -> list:
    """Hits for ``query`` (see ``digest.query``), best first; at most ``limit``.

    Raises ``QueryError`` for a query that cannot be understood.
    """
    return list(iter_search(conn, query, filters, limit))


def iter_search(conn: sqlite3.Connection, query: str, filters: Filters = Filters(),
                limit: int | None = None, make=hit_from_row) -> Iterator:
    """Hits for ``query``, best first, one at a time as they are confirmed (at most ``limit``).

    SQLite orders the candidates and cuts the list (title hits, then body hits, each newest
    first, ``LIMIT``); Python checks the substring, where the index alone is not exact, only for
    the rows SQLite returns and builds a hit (its snippet) only for those that pass. Without a limit, rows are read as they are ranked, never all held at once.
    The query is parsed before the first hit is asked for, so a bad one raises at once.
    ``make`` (row, score, terms) builds each hit: a ``Hit`` (``hit_from_row``) or its dict
    (``rows.hit_record``).
    """
    q = parse_query(query)
    return confirmed(conn, q, filters, limit, make=make)


def confirmed(conn, q: Query, filters: Filters, limit: int | None, candidates=None, *,
              index_exact: bool = True, make=hit_from_row) -> Iterator:
    """Hits of the ranked candidates that pass the exact check; ``candidates`` (q, filters) →
    [(SQL, params)] selects them, tier after tier (default: SQLite's, ``_candidates_sql``). ``index_exact``: the
    candidates of a ``Query.exact`` query all match, so they are not checked (False where the
    index returns rows it could not narrow). ``make``: see ``iter_search``."""
    trusted = index_exact and q.exact
    terms = q.terms
    found = 0
    for chunk in _ranked(conn, q, filters, limit, candidates or _candidates_sql):
        rows = _hit_rows(conn, [aid for aid, _ in chunk])
        for aid, score in chunk:
            row = rows[aid]
            if trusted or q.matches(row["title"], row["body"]):
                yield make(row, score, terms)
                found += 1
                if limit and found >= limit:
                    return


def ranked_ids(conn: sqlite3.Connection, q: Query, filters: Filters,
               size: int = _CHUNK) -> Iterator[list[tuple[int, float]]]:
    """(article id, score) of every article that may match, best first, ``size`` at a time:
    the candidates ``confirmed`` checks when there is no limit."""
    return _ranked(conn, q, filters, None, _candidates_sql, size)


def _ranked(conn: sqlite3.Connection, q: Query, filters: Filters, limit: int | None,
            candidates, size: int = _CHUNK) -> Iterator[list[tuple[int, float]]]:
    """Chunks of (article id, score) of the articles that may match, best first: each tier's
    SQL in turn, ``size`` at a time.

    With a limit, SQLite returns the best ``limit + SLACK`` of a tier (a phrase of tokens can
    match where the substring is not, see digest/query.py, so a few may fail the exact check);
    in the rare case that too many fail, the next, larger page is asked for. The consumer stops
    asking once it has its hits, so a later tier is only read when an earlier one fell short.
    """
    for sql, params in candidates(q, filters):
        if not limit:
            cursor = conn.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield [(r[0], r[1]) for r in rows]
            continue
        offset, page = 0, limit + SLACK
        while True:
            rows = conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, page, offset]).fetchall()
            for start in range(0, len(rows), size):
                yield [(r[0], r[1]) for r in rows[start:start + size]]
            if len(rows) < page:
                break
            offset, page = offset + page, page * 4


def _candidates_sql(q: Query, filters: Filters) -> list[tuple[str, list]]:
    """SQL selecting (article id, score) of every article that may match, best first: title
    hits, then body hits, each newest first (see the module's docstring)."""
    where, params = filters.sql()
    if q.fts is None:  # nothing to narrow by (one-character terms, only exclusions): scan
        # The exact test is done by SQLite here, so that a limit cuts after it.
        cond, cond_params = q.sql("a.title", "a.body")
        return [(f"SELECT a.id, {BODY_HIT} FROM articles a JOIN issues i ON i.id = a.issue_id "
                 f"WHERE {where} AND {cond} ORDER BY i.date DESC, i.id DESC, a.seq",
                 [*params, *cond_params])]
    # Only indexed articles have a body: without filters the FTS table alone answers.
    join = "" if filters == Filters() else (
        f"JOIN articles a ON a.id = f.rowid JOIN issues i ON i.id = a.issue_id AND {where}")
    return [(f"SELECT f.rowid, {score} FROM article_fts f {join} WHERE article_fts MATCH ? "
             "ORDER BY f.rowid DESC", [*params, match]) for score, match in _tiers(q)]


def _tiers(q: Query) -> list[tuple[float, str]]:
    """(score, FTS5 MATCH expression) of each tier of a query that has an index expression:
    the title hits, then the body hits."""
    in_title = f"{{title}} : ({q.fts})"
    return [(TITLE_HIT, in_title), (BODY_HIT, f"({q.fts}) NOT {in_title}")]


def hit_selects(q: Query, filters: Filters, columns: str) -> list[tuple[float, str, list]] | None:
    """(score, SQL, params) of each tier: the SQL selects ``columns`` (over ``a``, the
    article, and ``i``, its issue) of every hit of the tier, best first, in one statement
    that reads the index in its order and each hit's rows as it goes, the exact check done
    by SQLite where the index alone is not exact (``Query.sql``). None for a query without
    an index expression, whose ranking sorts the rows (``ranked_ids`` gives them).

    The params are those after ``columns``' own. CROSS JOIN keeps the index the outer loop
    whatever the filters, so no hit's columns are ever sorted or held."""
    if q.fts is None:
        return None
    where, params = filters.sql()
    if not q.exact:
        cond, cond_params = q.sql("a.title", "a.body", narrowed=True)
        where, params = f"{where} AND {cond}", [*params, *cond_params]
    return [(score, f"SELECT {columns} FROM article_fts f CROSS JOIN articles a ON a.id = f.rowid "
             f"CROSS JOIN issues i ON i.id = a.issue_id WHERE article_fts MATCH ? AND {where} "
             "ORDER BY f.rowid DESC", [match, *params]) for score, match in _tiers(q)]


def _hit_rows(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, sqlite3.Row]:
    marks = ",".join("?" * len(article_ids))
    rows = conn.execute(
        f"SELECT {HIT_COLUMNS} FROM articles a JOIN issues i ON i.id = a.issue_id "
        f"WHERE a.id IN ({marks})", article_ids)
    return {r[0]: r for r in rows}  # HIT_COLUMNS start with the article's id


def _fts_narrowing(q: Query) -> tuple[str, list]:
    return "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [q.fts]


def selected(conn: sqlite3.Connection, query: str | None, filters: Filters = Filters(), *,
             narrowing=_fts_narrowing,
             order: str = "i.date, i.bulletin, i.number, i.id, a.seq") -> dict[int, set[int]]:
    """{issue id: article seqs} of the articles with a body that match, in issue order.

    ``narrowing`` (q) → (condition, params) keeps the articles the index may find for a query
    that has an index expression; ``order`` is the ORDER BY (the defaults are SQLite's)."""
    q = parse_query(query) if query else None
    where, params = filters.sql()
    if q is not None and q.fts is not None:
        cond, cond_params = narrowing(q)
        where += f" AND {cond}"
        params += cond_params
    texts = "a.title, a.body" if q is not None else "NULL AS title, NULL AS body"
    rows = conn.execute(
        f"SELECT a.issue_id, a.seq, {texts} FROM articles a "
        f"JOIN issues i ON i.id = a.issue_id WHERE {where} ORDER BY {order}", params).fetchall()
    wanted: dict[int, set[int]] = {}
    for r in rows:
        if q is None or q.matches(r["title"], r["body"]):
            wanted.setdefault(r["issue_id"], set()).add(r["seq"])
    return wanted


# --- the index ----------------------------------------------------------------------------------

# The schema version (``schema.MIGRATIONS`` steps) from which ``article_fts`` holds the tokens of
# ``index_text``; libraries below it hold those of ``index_text_v2``. A contentless index can
# only delete the tokens it was given, so deleting (``unindex_issue``) during an older migration
# step must use the older function.
RUN_BREAK_SINCE = 7


_RUN_V2 = re.compile(r"[^\W_]+")


def index_text_v2(text: str) -> str:
    """The index text of schema versions 2 to 6: the pairs of each run, no ``RUN_BREAK``.
    Frozen: only for migration steps that run on an index built by it."""
    runs = _RUN_V2.findall(fold(text))
    return " ".join(p for r in runs for p in ([r] if len(r) == 1 else
                                              [r[i:i + 2] for i in range(len(r) - 1)]))


def build_index(conn: sqlite3.Connection, index=index_text, progress=None) -> None:
    """Create the search index and fill it with every stored article that has a body, telling
    ``progress`` (``upgrade.StepProgress``, in a migration) how far it is."""
    conn.execute("CREATE VIRTUAL TABLE article_fts USING fts5("
                 "title, body, content='', tokenize='ascii')")
    rows = conn.execute("SELECT id, title, body FROM articles WHERE body != ''")
    if progress is not None and progress.listening:
        total = conn.execute("SELECT count(*) FROM articles WHERE body != ''").fetchone()[0]
        rows = progress.over(rows, total, "building the search index")
    conn.executemany("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                     ((i, index(t), index(b)) for i, t, b in rows))


def index_articles(conn: sqlite3.Connection, articles: Iterable[tuple[int, str, str]]) -> None:
    """Add stored articles, (id, title, body) each, to the search index. An issue's articles
    go in together after their rows: FTS5 entries between the rows of ``articles`` made each
    row's insert four times dearer (2 ms of the 9 that storing an issue cost)."""
    conn.executemany("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                     ((i, index_text(t), index_text(b)) for i, t, b in articles))


def unindex_issue(conn: sqlite3.Connection, issue_id: int) -> None:
    """Take an issue's articles out of the search index (before deleting them)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    index = index_text if version >= RUN_BREAK_SINCE else index_text_v2
    rows = conn.execute("SELECT id, title, body FROM articles "
                        "WHERE issue_id = ? AND body != ''", (issue_id,)).fetchall()
    conn.executemany(
        "INSERT INTO article_fts (article_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        [(i, index(t), index(b)) for i, t, b in rows])
