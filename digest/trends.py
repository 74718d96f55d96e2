"""Trends: how many articles match a term, per period and region, counted inside SQLite.

An analyst asks "how often has 生物医药 come up, month by month, in which provinces?". Counting
is done where the data is: each term's candidates come from the bigram index (the same FTS5
phrase as ``digest search``), the exact substring test runs in SQL on those candidates only
(``Query.sql``: ``instr`` over ASCII-folded title and body, which is what ``Query.matches``
does in Python), and ``GROUP BY`` does the counting. No article text is loaded into Python.
A PostgreSQL library runs the same SQL, with the few phrases that differ from its ``Dialect``.

Periods are calendar months, quarters or years of the issue's date. A period inside the span of
the data that holds no issue at all is a *gap*: its count is unknown, not zero, and is shown as
such. Every period also carries the number of issues and articles it holds, so that a rising
count is not mistaken for more issues; ``share`` divides by the articles.

Rising subjects compare the share of articles carrying a stored keyword in the latest period
with its share in the periods before; a minimum count keeps one article from making a trend.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from digest.query import Query, parse_query

# Without --by, the span of the data picks the period: months read well up to about two years
# (24 rows), quarters up to about eight years (32 rows), years beyond.
MONTHS_UP_TO = 24
QUARTERS_UP_TO = 8 * 12
# A keyword needs this many articles in the latest period to count as a rising subject: below
# that, one or two articles swing the share by whole percentage points.
MIN_SUPPORT = 3
NO_REGION = ""  # the region key of a count that is not split by region


class Period(str, Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# The period of an issue, from its ISO date (YYYY-MM-DD), as SQL over ``i`` (issues).
_PERIOD_SQL = {
    Period.MONTH: "substr(i.date, 1, 7)",
    Period.QUARTER: "substr(i.date, 1, 4) || '-Q' || ((CAST(substr(i.date, 6, 2) AS INTEGER) + 2) / 3)",
    Period.YEAR: "substr(i.date, 1, 4)",
}


@dataclass(frozen=True)
class PeriodInfo:
    """One period of the span: its label (2020-03, 2020-Q1, 2020), and what the library holds."""

    label: str
    issues: int
    articles: int

    @property
    def gap(self) -> bool:
        """No issue in this period: counts are unknown, not zero."""
        return self.issues == 0


class Count(NamedTuple):
    """Articles matching ``term`` in one period (and region, when split by region).

    A named tuple rather than a frozen dataclass: a table by month and region over years of
    issues holds tens of thousands, and a tuple is made several times faster."""

    term: str
    period: str
    region: str  # NO_REGION when not split
    count: int | None  # None in a gap
    articles: int  # articles in that period (and region): the denominator of ``share``

    @property
    def share(self) -> float | None:
        if self.count is None:
            return None
        return self.count / self.articles if self.articles else 0.0


@dataclass(frozen=True)
class Trends:
    """Counts for every term × period (× region), periods in order with their sizes."""

    terms: tuple[str, ...]
    by: Period
    by_region: bool
    periods: tuple[PeriodInfo, ...]
    regions: tuple[str, ...]  # (NO_REGION,) when not split
    counts: tuple[Count, ...]  # term-major, then period, then region
    undated: int = 0  # issues left out because they carry no date

    def count(self, term: str, period: str, region: str = NO_REGION) -> Count:
        for c in self.counts:
            if (c.term, c.period, c.region) == (term, period, region):
                return c
        raise KeyError((term, period, region))


@dataclass(frozen=True)
class Rising:
    """A keyword whose share of articles grew in the latest period."""

    keyword: str
    latest: int  # articles carrying it in the latest period
    latest_articles: int
    before: int  # articles carrying it in the periods before
    before_articles: int
    example: str  # the title of its most recent article

    @property
    def latest_share(self) -> float:
        return self.latest / self.latest_articles if self.latest_articles else 0.0

    @property
    def before_share(self) -> float:
        return self.before / self.before_articles if self.before_articles else 0.0

    @property
    def growth(self) -> float:
        """Percentage points of articles gained: latest share minus earlier share."""
        return 100.0 * (self.latest_share - self.before_share)


@dataclass(frozen=True)
class Dialect:
    """What the counting SQL says differently on PostgreSQL (``digest.library.pg_search``
    builds that one; ``pg.pg_sql`` maps the rest: ``?``, ``instr``)."""

    counts_table: bool  # ``issue_regions`` holds the totals; else the articles are counted
    keywords: str  # a FROM item of each stored keyword of ``a`` as ``k.value``
    title: str  # the columns the exact check (``Query.sql``) reads
    body: str
    flag: str  # a condition ({}) as a number that ``sum`` adds
    # q → (condition over ``a``, params): the index's candidates, every one checked by
    # ``Query.sql``; None: SQLite's FTS5, whose exact phrases decide alone (``Query.exact``).
    narrowing: Callable | None = None


SQLITE = Dialect(True, "json_each(a.keywords) k", "a.title", "a.body", "{}")


@dataclass(frozen=True)
class Scope:
    """Which issues and articles are counted: SQL conditions over ``i`` and ``a`` with params."""

    issue_where: str = "TRUE"
    issue_params: tuple = ()
    article_where: str = "TRUE"
    article_params: tuple = ()
    by_region_only: bool = True  # article_where tests the region alone (no section)


def choose_period(first: dt.date, last: dt.date) -> Period:
    """The period that gives a readable number of rows for data from ``first`` to ``last``."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MONTHS_UP_TO:
        return Period.MONTH
    return Period.QUARTER if months <= QUARTERS_UP_TO else Period.YEAR


def span(conn: sqlite3.Connection, scope: Scope) -> tuple[dt.date, dt.date] | None:
    """The first and last issue date in scope, or None when no dated issue is."""
    row = conn.execute(f"SELECT min(i.date), max(i.date) FROM issues i WHERE i.date IS NOT NULL "
                       f"AND {scope.issue_where}", scope.issue_params).fetchone()
    if row[0] is None:
        return None
    return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])


def period_labels(first: dt.date, last: dt.date, by: Period) -> list[str]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order."""
    labels, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = _label(year, month, by)
        if not labels or labels[-1] != label:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _label(year: int, month: int, by: Period) -> str:
    if by is Period.MONTH:
        return f"{year:04d}-{month:02d}"
    if by is Period.QUARTER:
        return f"{year:04d}-Q{(month + 2) // 3}"
    return f"{year:04d}"


def count_terms(conn: sqlite3.Connection, terms: Iterable[str], *, by: Period | None = None,
                by_region: bool = False, scope: Scope = Scope(),
                dialect: Dialect = SQLITE) -> Trends:
    """Count, for each term (``digest search`` syntax), the matching articles per period.

    Raises ``QueryError`` for a term that cannot be parsed.
    """
    queries = [parse_query(t) for t in terms]
    bounds = span(conn, scope)
    undated = conn.execute(f"SELECT count(*) FROM issues i WHERE i.date IS NULL AND "
                           f"{scope.issue_where}", scope.issue_params).fetchone()[0]
    if bounds is None:
        return Trends(tuple(q.text for q in queries), by or Period.MONTH, by_region, (), (), (),
                      undated)
    by = by or choose_period(*bounds)
    labels = period_labels(*bounds, by)
    issues = dict(conn.execute(
        f"SELECT {_PERIOD_SQL[by]}, count(*) FROM issues i WHERE i.date IS NOT NULL AND "
        f"{scope.issue_where} GROUP BY 1", scope.issue_params).fetchall())
    totals = _per_period(_articles_per_period(conn, by, scope, by_region, dialect))
    per_term = [_per_period(_matches_per_period(conn, q, by, scope, by_region, dialect))
                for q in queries]
    regions = _regions(totals, by_region)
    periods = tuple(PeriodInfo(p, issues.get(p, 0), sum(totals.get((p, r), 0) for r in regions))
                    for p in labels)
    counts = tuple(
        Count(q.text, p.label, r, None if p.gap else found.get((p.label, r), 0),
              totals.get((p.label, r), 0))
        for q, found in zip(queries, per_term) for p in periods for r in regions)
    return Trends(tuple(q.text for q in queries), by, by_region, periods, regions, counts,
                  undated)


def _regions(totals: dict[tuple[str, str], int], by_region: bool) -> tuple[str, ...]:
    """Regions by number of articles, most first (ties by name): the order a reader scans."""
    if not by_region:
        return (NO_REGION,)
    sizes: dict[str, int] = {}
    for (_, region), n in totals.items():
        sizes[region] = sizes.get(region, 0) + n
    return tuple(sorted(sizes, key=lambda r: (-sizes[r], r)))


# Articles are counted per (period, region) in SQL: the totals from ``issue_regions`` (kept by
# triggers, a few rows per issue), the matches from the search index's article ids looked up in
# ``articles_keys`` (id → issue, region: no article row is read), each joined to its issue for
# the period. Only the (period, region) groups, a few hundred, come back to Python.


def _dated(scope: Scope) -> str:
    return f"JOIN issues i ON i.id = a.issue_id AND i.date IS NOT NULL AND {scope.issue_where}"


def _grouped(by: Period, by_region: bool) -> tuple[str, str]:
    """The SELECT keys (period, region) and their GROUP BY."""
    return (f"{_PERIOD_SQL[by]}, {'a.region' if by_region else 'NULL'}",
            "1, 2" if by_region else "1")


def _articles_per_period(conn, by: Period, scope: Scope, by_region: bool, dialect: Dialect):
    keys, group = _grouped(by, by_region)
    params = (*scope.issue_params, *scope.article_params)
    if not scope.by_region_only or not dialect.counts_table:  # count the articles themselves
        return conn.execute(
            f"SELECT {keys}, count(*) FROM articles a {_dated(scope)} "
            f"WHERE a.body != '' AND {scope.article_where} GROUP BY {group}", params)
    return conn.execute(f"SELECT {keys}, sum(a.articles) FROM issue_regions a {_dated(scope)} "
                        f"WHERE {scope.article_where} GROUP BY {group}", params)


def _matches_per_period(conn, q: Query, by: Period, scope: Scope, by_region: bool,
                        dialect: Dialect):
    """(period, region, n) of the articles matching ``q``: the index finds them; ``instr``
    decides for the terms whose phrase is not exact by itself (``Query.exact``), and for every
    term where the index's candidates are not exact (``Dialect.narrowing``)."""
    keys, group = _grouped(by, by_region)
    exact, exact_params = q.sql(dialect.title, dialect.body, narrowed=dialect.narrowing is None)
    if q.fts is None:
        source, narrow, narrow_params = "articles a", "a.body != ''", []
    elif dialect.narrowing is not None:
        cond, narrow_params = dialect.narrowing(q)
        source, narrow = "articles a", f"a.body != '' AND {cond}"
    else:  # only articles with a body are in the index
        source = "articles a INDEXED BY articles_keys"  # id → issue, region; the planner
        # would rather read the table's own rows, which hold the bodies
        narrow = ("a.body != '' AND "
                  "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
        narrow_params = [q.fts]
    return conn.execute(
        f"SELECT {keys}, count(*) FROM {source} {_dated(scope)} "
        f"WHERE {narrow} AND {scope.article_where} AND {exact} GROUP BY {group}",
        (*scope.issue_params, *narrow_params, *scope.article_params, *exact_params))


def _per_period(rows) -> dict[tuple[str, str], int]:
    """(period, region, n) rows as (period, region) → n."""
    return {(period, region or NO_REGION): n for period, region, n in rows}


_ARTICLES = ("FROM articles a JOIN issues i ON i.id = a.issue_id "
             "WHERE a.body != '' AND i.date IS NOT NULL")


# --- rising subjects ----------------------------------------------------------------------------


def rising(conn: sqlite3.Connection, *, by: Period | None = None, scope: Scope = Scope(),
           min_support: int = MIN_SUPPORT, limit: int = 20,
           dialect: Dialect = SQLITE) -> tuple[str | None, list[Rising]]:
    """Keywords ranked by how much their share of articles grew in the latest period.

    Returns the latest period's label and the ranked keywords (growth in percentage points,
    largest first; ties by latest count, then keyword). Keywords are the ones stored with each
    article (``digest add`` computes them), counted with SQLite's ``json_each`` (or the
    dialect's ``keywords``).
    """
    bounds = span(conn, scope)
    if bounds is None:
        return None, []
    by = by or choose_period(*bounds)
    latest = period_labels(*bounds, by)[-1]
    params = (*scope.issue_params, *scope.article_params)
    where = f"{_ARTICLES} AND {scope.issue_where} AND {scope.article_where}"
    is_latest = f"({_PERIOD_SQL[by]} = ?)"
    yes, no = dialect.flag.format(is_latest), dialect.flag.format(f"NOT {is_latest}")
    n_latest, n_before = conn.execute(
        f"SELECT coalesce(sum({yes}), 0), coalesce(sum({no}), 0) {where}",
        (latest, latest, *params)).fetchone()
    rows = conn.execute(
        f"SELECT k.value, sum({yes}) AS l, sum({no}) AS b "
        f"FROM articles a JOIN issues i ON i.id = a.issue_id, {dialect.keywords} "
        f"WHERE a.body != '' AND i.date IS NOT NULL AND {scope.issue_where} AND "
        f"{scope.article_where} GROUP BY k.value HAVING sum({yes}) >= ?",
        (latest, latest, *params, latest, min_support)).fetchall()
    found = [Rising(k, latest_n, n_latest, before_n, n_before, "") for k, latest_n, before_n in rows]
    found = [r for r in found if r.growth > 0]
    found.sort(key=lambda r: (-r.growth, -r.latest, r.keyword))
    return latest, [_with_example(conn, r, by, latest, scope, dialect) for r in found[:limit]]


def _with_example(conn, r: Rising, by: Period, latest: str, scope: Scope,
                  dialect: Dialect) -> Rising:
    row = conn.execute(
        f"SELECT a.title {_ARTICLES} AND {_PERIOD_SQL[by]} = ? AND {scope.issue_where} AND "
        f"{scope.article_where} AND EXISTS (SELECT 1 FROM {dialect.keywords} "
        f"WHERE k.value = ?) ORDER BY i.date DESC, i.id DESC, a.seq LIMIT 1",
        (latest, *scope.issue_params, *scope.article_params, r.keyword)).fetchone()
    return Rising(r.keyword, r.latest, r.latest_articles, r.before, r.before_articles,
                  row[0] if row else "")


def scope_for(filters) -> Scope:
    """The ``Scope`` of a library ``Filters``: bulletin and dates choose issues; region and
    section choose articles (a region filter keeps the articles of those main regions)."""
    issue_conds, issue_params, art_conds, art_params = [], [], [], []
    if filters.bulletin:
        issue_conds.append("instr(i.bulletin, ?) > 0")
        issue_params.append(filters.bulletin)
    for op, value in ((">=", filters.since), ("<=", filters.until)):
        if value:
            issue_conds.append(f"i.date {op} ?")
            issue_params.append(value.isoformat())
    if filters.regions:
        art_conds.append(f"a.region IN ({', '.join('?' * len(filters.regions))})")
        art_params.extend(filters.regions)
    if filters.section:
        art_conds.append("instr(a.section, ?) > 0")
        art_params.append(filters.section)
    return Scope(" AND ".join(issue_conds) or "TRUE", tuple(issue_params),
                 " AND ".join(art_conds) or "TRUE", tuple(art_params), not filters.section)


ROW_FIELDS = ("term", "period", "region", "count", "share", "articles", "issues", "gap")


def rows(trends: Trends) -> list[dict]:
    """One flat row per term × period (× region), for TSV, CSV and JSON: ``ROW_FIELDS``.

    ``count`` and ``share`` are None in a gap (a period without issues), never 0.
    """
    issues = {p.label: p.issues for p in trends.periods}
    return [{"term": c.term, "period": c.period, "region": c.region or None, "count": c.count,
             "share": None if c.share is None else round(c.share, 4), "articles": c.articles,
             "issues": issues[c.period], "gap": c.count is None}
            for c in trends.counts]
