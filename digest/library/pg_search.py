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
every query, checked by substring: a lost position never loses a hit.

Why not ``pg_trgm``: trigrams cannot narrow a two-character term (the commonest Chinese query):
a ``LIKE '%医药%'`` has no trigram to look up and scans every article.

Ranking is ``ts_rank`` with the title's weight ``TITLE_WEIGHT`` times the body's, as SQLite's
BM25 weights them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from digest.library.search import (
    NO_FILTERS,
    TITLE_WEIGHT,
    Filters,
    confirmed,
)
from digest.library.search import (
    selected as _selected,
)
from digest.query import RUN_BREAK, Query, index_text, parse_query

MAX_POSITION = 16383  # PostgreSQL clamps larger tsvector positions to this
MAX_POSITIONS = 256  # positions a tsvector keeps of one lexeme; the rest are dropped
# ts_rank weights of {D, C, B, A}: body B, title A, in SQLite's proportion.
RANK_WEIGHTS = "'{0, 0, %s, 1}'::real[]" % (1 / TITLE_WEIGHT)
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


def index_article(conn, article_id: int, title: str, body: str) -> None:
    """Add one stored article to the search index."""
    doc, exact = tsvector(title, body)
    conn.execute("INSERT INTO article_fts (article_id, doc, exact) VALUES (?, ?::tsvector, ?)",
                 (article_id, doc, exact))


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


def _candidates_sql(q: Query, filters: Filters) -> list[tuple[str, list]]:
    """SQL selecting (article id, score) of every article that may match, best first (one
    tier: ``ts_rank`` over every match)."""
    where, params = filters.sql()
    if q.fts is None:  # nothing to narrow by: every article, newest first, checked in Python
        return [(f"SELECT a.id, 0.0 FROM articles a JOIN issues i ON i.id = a.issue_id "
                 f"WHERE {where} ORDER BY i.date DESC NULLS LAST, i.id DESC, a.seq", params)]
    tsq = tsquery(q.fts)
    join = "" if filters == NO_FILTERS else (
        f"JOIN articles a ON a.id = f.article_id JOIN issues i ON i.id = a.issue_id AND {where}")
    return [(f"SELECT f.article_id, ts_rank({RANK_WEIGHTS}, f.doc, ?::tsquery) AS s "
             f"FROM article_fts f {join} WHERE (f.doc @@ ?::tsquery OR NOT f.exact) "
             "ORDER BY s DESC, f.article_id", [tsq, *([] if not join else params), tsq])]


def iter_search(conn, query: str, filters: Filters = NO_FILTERS,
                limit: int | None = None) -> Iterator:
    """Hits for ``query``, best first (``search.iter_search`` on PostgreSQL)."""
    # Inexact rows are candidates for every query: the exact check always runs.
    return confirmed(conn, parse_query(query), filters, limit, _candidates_sql, index_exact=False)


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
