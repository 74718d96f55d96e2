"""Search in a PostgreSQL library: SQLite's bigram design (``search``) on a ``tsvector``.

Each article with a body has a ``tsvector`` of the character pairs ``digest.query.index_text``
makes of its title (weight A) and body (weight B), written as a tsvector literal with positions
(no text-search parser or dictionary runs: the pairs are the lexemes as they are, so the index
is the same as SQLite's, token for token). A query's FTS5 expression (``Query.fts``) becomes a
tsquery: each phrase of pairs a ``<->`` chain, AND ``&``, OR ``|``. The run break between two runs
(``query.RUN_BREAK``) is a gap of one position rather than a lexeme (it would soon pass the 256
positions a lexeme keeps), and a ``<2>`` distance in a phrase. Where a term occurs, its
pairs stand at consecutive positions, so recall is that of substring search, as in SQLite;
every candidate is then checked with ``Query.matches``, so precision is exact too.

A tsvector keeps positions up to 16383 and at most 256 positions of one lexeme; an article
beyond either limit (a very long body) is stored with ``exact = false`` and is a candidate for
every phrase query, checked by substring: a lost position never loses a hit. (Its lexemes are
all there, some without positions: search's ANDed pairs find it as they find any other.)

Why not ``pg_trgm``: trigrams cannot narrow a two-character term (the commonest Chinese query):
a ``LIKE '%医药%'`` has no trigram to look up and scans every article.

Order: SQLite's, hit for hit (``search``): title hits, then body hits, each newest first.
Each article's title also has a tsvector of its own (``title_doc``, with a GIN index), so the
title tier is decided as FTS5's ``{title}:`` filter decides it, from a few bytes in the row.
Neither tier ranks every match (``ts_rank`` before a LIMIT did, and cost like a scan for a
common term): ``_candidates_sql`` walks the newest articles in order and stops at the limit,
and asks the GIN indexes only for a term too rare to be found that way, whose matches are few.
The body tier looks the query's pairs up ANDed, not chained (``relaxed``): a phrase's
positions would have to be read from each candidate's TOASTed tsvector, while the exact check
decides those few candidates anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from digest.library.rows import hit_from_row
from digest.library.search import (
    BODY_HIT,
    NO_FILTERS,
    TITLE_HIT,
    Filters,
    confirmed,
)
from digest.library.search import (
    selected as _selected,
)
from digest.query import RUN_BREAK, Query, index_text, parse_query

MAX_POSITION = 16383  # PostgreSQL clamps larger tsvector positions to this
MAX_POSITIONS = 256  # positions a tsvector keeps of one lexeme; the rest are dropped
# The same order as SQLite's (missing values first, names byte by byte).
SELECT_ORDER = ('i.date NULLS FIRST, i.bulletin COLLATE "C" NULLS FIRST, i.number NULLS FIRST, '
                "i.id, a.seq")


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(title: str, body: str) -> tuple[str, bool]:
    """The tsvector literal of an article's index text, and whether it holds every position."""
    positions: dict[str, list[str]] = {}
    pos, exact = 0, True
    for text, weight in ((title, "A"), (body, "B")):
        for token in index_text(text).split():
            pos += 1
            if token == RUN_BREAK:  # a gap in the positions, not a lexeme: see ``tsquery``
                continue
            found = positions.setdefault(token, [])
            if pos > MAX_POSITION or len(found) >= MAX_POSITIONS:
                exact = False
                continue
            found.append(f"{pos}{weight}")
        pos += 1  # a gap: no phrase runs from the title on into the body
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" if p else _lexeme(t)
                    for t, p in positions.items()), exact


def title_tsvector(title: str) -> str:
    """The tsvector literal of the title alone: the title's part of ``tsvector``'s, the same
    positions. (A title beyond a tsvector's limits, thousands of characters, would lose
    positions here: none is that long.)"""
    return tsvector(title, "")[0]


def index_article(conn, article_id: int, title: str, body: str) -> None:
    """Add one stored article to the search index."""
    doc, exact = tsvector(title, body)
    conn.execute("INSERT INTO article_fts (article_id, doc, exact, title_doc) "
                 "VALUES (?, ?::tsvector, ?, ?::tsvector)",
                 (article_id, doc, exact, title_tsvector(title)))


_FTS = re.compile(r'"([^"]*)"| AND | OR ')


def _chain(tokens: list[str]) -> str:
    """A phrase of pairs as a ``<N>`` chain: a ``RUN_BREAK`` between two pairs is the position
    gap ``tsvector`` leaves for it (``<2>``); one at either end narrows nothing and is left out."""
    while tokens and tokens[0] == RUN_BREAK:
        tokens = tokens[1:]
    out, gap = [], 1
    for token in tokens:
        if token == RUN_BREAK:
            gap += 1
            continue
        out += [f"<{gap}>" if gap > 1 else "<->", _lexeme(token)] if out else [_lexeme(token)]
        gap = 1
    return " ".join(out)


def tsquery(fts: str) -> str:
    """An FTS5 expression of ``Query.fts`` (phrases, AND, OR, parentheses) as a tsquery."""
    def one(m: re.Match) -> str:
        if m[1] is not None:
            return "(" + _chain(m[1].split()) + ")"
        return " & " if m[0] == " AND " else " | "

    return _FTS.sub(one, fts)


# The newest articles each tier first reads in order (a walk of the primary key, each row's
# tsvector tested as it comes): 36 hits among them is a term in 1 article of 14 or more, which
# an index lookup would have to fetch and sort thousands of rows to rank. A rarer term costs
# this many rows' tests (~5 us each, the body's tsvector read from TOAST) before the GIN index
# answers for the older articles.
WALK_ROWS = 512
# The order within a tier, SQLite's (``search._candidates_sql``): newest issue date first, in
# article order (``rows.article_ids``).
KEY = "article_id"


def relaxed(fts: str) -> str:
    """``tsquery`` with each phrase's pairs ANDed instead of chained: a GIN lookup needs no
    recheck of the row (a phrase needs its positions, read from the TOASTed tsvector), and
    finds a superset of the phrase's matches, which the exact check then narrows."""
    def one(m: re.Match) -> str:
        if m[1] is not None:
            lexemes = [_lexeme(t) for t in m[1].split() if t != RUN_BREAK]
            return "(" + " & ".join(lexemes) + ")"
        return " & " if m[0] == " AND " else " | "

    return _FTS.sub(one, fts)


def _candidates_sql(q: Query, filters: Filters, start: int = 0) -> list[tuple[str, list]]:
    """SQL selecting (article id, score) of every article that may match, best first, in
    SQLite's tiers: title hits, then body hits, each newest first (``search``).

    A title hit is an article whose title's tsvector (small, stored in the row) holds the
    query's phrases, as FTS5's ``{title}:`` filter decides; a body hit is any other article
    that may match: its whole tsvector holds every pair of the query (``relaxed``). An inexact
    tsvector lost positions, never a lexeme (``tsvector``), so it needs no exception here.
    Each tier is read in two parts: a walk down the newest articles (``start`` and after, see
    ``_walk_start``) that stops at the limit, then the index for the articles before those."""
    where, params = filters.sql()
    if q.fts is None:  # nothing to narrow by: every article, newest first, checked in Python
        return [(f"SELECT a.id, {BODY_HIT}::float8 FROM articles a JOIN issues i "
                 f"ON i.id = a.issue_id WHERE {where} "
                 "ORDER BY i.date DESC NULLS LAST, i.id DESC, a.seq", params)]
    phrase, pairs = tsquery(q.fts), relaxed(q.fts)
    join = "" if filters == NO_FILTERS else (
        f"JOIN articles a ON a.id = f.article_id JOIN issues i ON i.id = a.issue_id AND {where}")
    join_params = [] if not join else params
    # ts_match_vq is ``@@`` as a function: a condition no index can answer, tested row by row
    # as the walk of the primary key comes to it.
    walk = (f"SELECT f.article_id, {{score}}::float8 FROM article_fts f {join} "
            f"WHERE f.{KEY} >= ? AND {{cond}} ORDER BY f.{KEY} DESC")
    older = (f"SELECT f.article_id, {{score}}::float8 FROM article_fts f {join} "
             f"WHERE f.{KEY} < ? AND {{cond}} ORDER BY f.{KEY} DESC")
    in_title = ("ts_match_vq(f.title_doc, ?::tsquery)", "f.title_doc @@ ?::tsquery")
    in_body = ("ts_match_vq(f.doc, ?::tsquery) AND NOT ts_match_vq(f.title_doc, ?::tsquery)",
               "f.doc @@ ?::tsquery AND NOT f.title_doc @@ ?::tsquery")
    return [(part.format(score=score, cond=cond), [*join_params, start, *values])
            for score, conds, values in ((TITLE_HIT, in_title, [phrase]),
                                         (BODY_HIT, in_body, [pairs, phrase]))
            for part, cond in zip((walk, older), conds, strict=True)]


def _walk_start(conn) -> int:
    """The key of the oldest of the newest ``WALK_ROWS`` articles: where the walk ends, taken
    once for a search, so that an article stored meanwhile cannot move another from the index's
    part into the walk's after the walk was read (a hit twice) or back (a hit lost)."""
    row = conn.execute(f"SELECT min({KEY}) FROM (SELECT {KEY} FROM article_fts "
                       f"ORDER BY {KEY} DESC LIMIT {WALK_ROWS}) w").fetchone()
    return row[0] if row[0] is not None else 0


def iter_search(conn, query: str, filters: Filters = NO_FILTERS,
                limit: int | None = None, make=hit_from_row) -> Iterator:
    """Hits for ``query``, best first (``search.iter_search`` on PostgreSQL)."""
    q = parse_query(query)
    start = _walk_start(conn) if q.fts is not None else 0
    # Body hits are candidates by their pairs, not by phrase: the exact check always runs.
    return confirmed(conn, q, filters, limit, partial(_candidates_sql, start=start),
                     index_exact=False, make=make)


def narrowing(q: Query) -> tuple[str, list]:
    """The articles the index may find for ``q`` (inexact rows always): a condition over ``a``."""
    return ("a.id IN (SELECT article_id FROM article_fts WHERE doc @@ ?::tsquery OR NOT exact)",
            [tsquery(q.fts)])


def selected(conn, query: str | None, filters: Filters = NO_FILTERS) -> dict[int, set[int]]:
    """{issue id: article seqs} of the matching articles (``search.selected`` on PostgreSQL)."""
    return _selected(conn, query, filters, narrowing=narrowing, order=SELECT_ORDER)


def trends_dialect():
    """``digest.trends`` on PostgreSQL: totals counted from the articles (no per-issue table),
    keywords from the JSON text, the exact check on every candidate (inexact rows are
    candidates for every term, as in search), ``lower`` folding ASCII only (as SQLite's and
    ``query.fold``), a condition summed as an integer."""
    from digest.trends import Dialect

    return Dialect(False, "jsonb_array_elements_text(a.keywords::jsonb) AS k(value)",
                   'a.title COLLATE "C"', 'a.body COLLATE "C"', "({})::int", narrowing)
