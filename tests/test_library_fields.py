"""The one article field list: a field in it is stored, read back, exported and in search hits;
a library made before the field existed migrates."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from library_helpers import truth_issue

from digest.export import FIELDS, issue_rows
from digest.library import ARTICLE_FIELDS, DB_NAME, MIGRATIONS, Library, connect
from digest.models import Article


def with_physical_pages(issue):
    return replace(issue, articles=tuple(replace(a, physical_page=a.seq + 2)
                                         for a in issue.articles))


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "lib") as library:
        yield library


def test_every_article_attribute_is_in_the_field_list():
    assert {f.name for f in dataclasses.fields(Article)} == {f.name for f in ARTICLE_FIELDS}


def test_physical_page_is_stored_read_back_exported_and_in_hits(lib):
    issue = with_physical_pages(truth_issue())
    issue_id = lib.store(issue)
    back = lib.issue(str(issue_id))
    assert [a.physical_page for a in back.articles] == [a.seq + 2 for a in issue.articles]
    assert back.articles == issue.articles
    row = issue_rows(back)[2]
    assert list(row) == list(FIELDS) and row["physical_page"] == 5
    (hit,) = lib.search("全球营运商")
    assert (hit.seq, hit.physical_page) == (3, 5)
    assert hit.as_dict()["physical_page"] == 5


# The insert of the version-2 code (schema steps 1-2), as released: frozen like those steps.
_V2_ISSUE = ("INSERT INTO issues (sha256, source, bulletin, year, number, total_number, "
             "publisher, date, pages, added_at, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_V2_ARTICLE = ("INSERT INTO articles (issue_id, seq, section, title, page, toc_page, match, "
               "status, region, regions, keywords, summary, body) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def store_v2(conn: sqlite3.Connection, issue) -> int:
    """Store ``issue`` as the version-2 library did (before physical_page)."""
    from digest.library.search import index_text_v2 as index_text  # as version 2 indexed

    m = issue.masthead
    issue_id = conn.execute(_V2_ISSUE, (
        issue.sha256, issue.source, m.bulletin, m.year, m.number, m.total_number, m.publisher,
        m.date.isoformat() if m.date else None, issue.pages, "2026-01-01T00:00:00+00:00",
        json.dumps(list(issue.warnings), ensure_ascii=False))).lastrowid
    for a in issue.articles:
        aid = conn.execute(_V2_ARTICLE, (
            issue_id, a.seq, a.section, a.title, a.page, a.toc_page, a.match, a.status.value,
            a.region, json.dumps(list(a.regions), ensure_ascii=False),
            json.dumps(list(a.keywords), ensure_ascii=False), a.summary, a.text)).lastrowid
        if a.body:
            conn.execute("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                         (aid, index_text(a.title), index_text(a.text)))
    conn.executemany("INSERT INTO toc_entries VALUES (?, ?, ?, ?, ?)",
                     [(issue_id, n, e.section, e.title, e.page) for n, e in enumerate(issue.toc, 1)])
    return issue_id


def make_v2_library(folder, issues) -> None:
    folder.mkdir(parents=True)
    conn = connect(folder / DB_NAME, steps=MIGRATIONS[:2])
    for issue in issues:
        store_v2(conn, issue)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


def test_a_version_2_library_migrates_keeping_its_articles(tmp_path):
    make_v2_library(tmp_path / "old", [truth_issue(200)])
    with Library(tmp_path / "old") as lib:
        assert lib._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        back = lib.issue("1")
        assert back.articles == truth_issue(200).articles  # physical_page None: not known then
        (hit,) = lib.search("全球营运商")
        assert hit.physical_page is None and hit.seq == 3
        lib.store(with_physical_pages(truth_issue(201)))
        assert lib.issue("2").articles[2].physical_page == 5


def test_a_parsed_issue_round_trips_whole(lib):
    from digest.library import parse_file

    layouts = Path(__file__).parent / "data" / "layouts"
    parsed = parse_file(layouts / "jingjinji-glyphs-classic-s2.pdf")
    assert parsed.end_matter and any(a.section_printed for a in parsed.articles)
    assert any(e.section_printed for e in parsed.toc) and parsed.home == "京津冀"
    assert lib.issue(str(lib.store(parsed))) == parsed
