"""Hand-built issues for the library tests, from the committed samples' ground truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import Path

from digest.models import Article, Issue, Masthead, Status, TocEntry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TRUTH = SAMPLES / "issue-200.truth.json"


def truth_issue(number: int = 200, date: dt.date | None = None, source: str | None = None,
                regions: dict[int, str] | None = None) -> Issue:
    """The sample issue as the parser should return it, renumbered so that copies differ."""
    raw = json.loads(TRUTH.read_text(encoding="utf-8"))
    m = raw["masthead"]
    masthead = Masthead(m["bulletin"], m["year"], number, m["total_number"], m["publisher"],
                        date or dt.date.fromisoformat(m["date"]))
    articles = tuple(
        Article(seq=a["seq"], section=a["section"], title=a["title"], page=a["page"],
                toc_page=a["toc_page"], match=100.0, status=Status.OK, body=tuple(a["body"]),
                region=(regions or {}).get(a["seq"]))
        for a in raw["articles"])
    toc = tuple(TocEntry(t["section"], t["title"], t["page"]) for t in raw["toc"])
    name = source or f"issue-{number}.pdf"
    return Issue(source=name, sha256=hashlib.sha256(name.encode()).hexdigest(),
                 masthead=masthead, toc=toc, articles=articles, pages=24)


def small_issue(sha: str, articles: list[tuple[str, str]], *, bulletin: str = "测试要讯",
                number: int = 1, date: dt.date | None = dt.date(2021, 1, 8),
                section: str = "综合", region: str | None = None) -> Issue:
    """An issue whose articles are (title, body) pairs; a body of "" gives a no-body entry."""
    arts = tuple(
        Article(seq=n, section=section, title=title, page=n, toc_page=n, match=100.0,
                status=Status.OK if body else Status.NO_BODY,
                body=tuple(body.split("\n")) if body else (), region=region)
        for n, (title, body) in enumerate(articles, 1))
    return Issue(source=f"{sha}.txt", sha256=sha.ljust(64, "0"),
                 masthead=Masthead(bulletin, 2021, number, None, "编辑部", date),
                 toc=tuple(TocEntry(section, t, n) for n, (t, _) in enumerate(articles, 1)),
                 articles=arts, pages=len(articles))


def with_sha(issue: Issue, sha: str) -> Issue:
    return replace(issue, sha256=sha)


def issue_text(issue: Issue) -> str:
    """An issue laid out as a text extraction: masthead, 目录 with page numbers, then one
    article per page under its section heading, each page ending in a "— N —" footer."""
    m = issue.masthead
    first_page = 3  # masthead and TOC fill pages 1-2
    lines = [m.bulletin or "", f"{m.year} 年第 {m.number} 期", "",
             f"{m.publisher}    {m.date.year}年{m.date.month}月{m.date.day}日", "", "目  录", ""]
    section = None
    for n, a in enumerate(issue.articles):
        if a.section != section:
            section = a.section
            lines += [section, ""]
        lines += [f"{a.title} ...... {first_page + n}", ""]
    lines += ["— 1 —", "", "— 2 —", ""]
    section = None
    for n, a in enumerate(issue.articles):
        if a.section != section:
            section = a.section
            lines += [section, ""]
        lines += [a.title, "", *a.body, "", f"— {first_page + n} —", ""]
    return "\n".join(lines)


def table_count(lib, table: str) -> int:
    """Rows in one of the library's tables, read by the database's own driver."""
    if lib.backend == "PostgreSQL":
        import psycopg

        with psycopg.connect(str(lib.db_path)) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    import sqlite3

    with sqlite3.connect(lib.db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


BACKENDS = ("sqlite", "postgresql")


def new_location(request, backend: str, folder: Path):
    """A new library's location on ``backend``: ``folder`` (SQLite), or a fresh database on
    the session's PostgreSQL server (the ``pg_server`` fixture: skipped without one)."""
    if backend == "sqlite":
        return folder
    return request.getfixturevalue("pg_server").url()


def sql_rows(where, sql: str, params=()) -> list[tuple]:
    """Rows of an SQL query (SQLite's dialect) over the library at ``where``, as tuples."""
    from digest.library import Library

    with Library(where, create=False) as lib:
        cursor = lib._conn.execute(sql, params)
        width = len(cursor.description)
        return [tuple(r[i] for i in range(width)) for r in cursor.fetchall()]
