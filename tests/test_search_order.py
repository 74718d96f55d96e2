"""Hits newest issue date first, in article order within an issue (article ids keyed on both,
schema step 10), on both back ends; a library made before that step migrates in place to the same
hits in that order; and ``--limit 0``'s records (``iter_records``, ``marked_snippet``) equal the
``Hit`` values they replace."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace

import pytest
from library_helpers import small_issue, truth_issue
from test_search_index import BY_DATE, dated_issues, fts_integrity, random_text

from digest.library import DB_NAME, MIGRATIONS, Filters, Library, connect
from digest.library.rows import insert_issue, insert_toc
from digest.library.search import index_articles
from digest.query import marked_snippet, snippet

QUERIES = ("养老", "会议", "老", "议题，其中", "养老 -江苏", "上海", "医药", "江苏 OR 养老",
           "长三角一体化", "G60", "a6")


def stored_v9(conn, issue) -> int:
    """Store ``issue`` as schema 9 did (the code before step 10): article ids in the order of
    adding. Frozen, as that code was released."""
    issue_id = insert_issue(conn, issue)
    for a in issue.articles:
        aid = conn.execute(
            "INSERT INTO articles (issue_id, seq, section, title, page, toc_page, match, status, "
            "body, region, regions, keywords, summary, physical_page, section_printed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _v9_values(issue_id, a)).lastrowid
        if a.body:
            index_articles(conn, [(aid, a.title, a.text)])
    insert_toc(conn, issue_id, issue.toc)
    return issue_id


def _v9_values(issue_id: int, a) -> tuple:
    return (issue_id, a.seq, a.section, a.title, a.page, a.toc_page, a.match, a.status.value,
            "\n".join(a.body), a.region, json.dumps(list(a.regions), ensure_ascii=False),
            json.dumps(list(a.keywords), ensure_ascii=False), a.summary, a.physical_page,
            a.section_printed)


def some_issues() -> list:
    """``dated_issues``, the sample, and random texts in issues with enriched fields (values
    that an export converts: a match to round, regions and keywords as JSON lists)."""
    rng = random.Random(9)
    randoms = [small_issue(f"r{n}", [(random_text(rng, 12), random_text(rng, 60))
                                     for _ in range(6)],
                           number=10 + n, date=dt.date(2019, 5, n), region="江苏")
               for n in (3, 1, 2)]
    randoms[0] = replace(randoms[0], articles=tuple(
        replace(a, match=87.654, regions=("江苏", "上海"), keywords=("医药",))
        for a in randoms[0].articles))
    return [*dated_issues(), truth_issue(200, source="sample.pdf"), *randoms]


def everything(lib: Library) -> dict:
    return {q: [(h.issue_id, h.seq, h.title, h.score, h.as_dict()["snippet"])
                for h in lib.search(q, limit=None)] for q in QUERIES}


def in_date_order(hits: list, dates: dict) -> bool:
    """Each tier (score) newest issue date first (undated last), the later-stored issue of a
    day first, article order within an issue."""
    def key(h):
        date = dates[h[0]]
        return (-h[3], -(date.toordinal() if date else 0), -h[0], h[1])
    return hits == sorted(hits, key=key)


def test_a_version_9_library_migrates_in_place_to_the_same_hits_newest_issue_first(tmp_path):
    issues = some_issues()
    (tmp_path / "old").mkdir()
    conn = connect(tmp_path / "old" / DB_NAME, steps=MIGRATIONS[:9])
    for issue in issues:
        stored_v9(conn, issue)
    before = {q: sorted(hits) for q, hits in everything_at(conn).items()}
    old_ids = conn.execute("SELECT id FROM articles ORDER BY id DESC").fetchall()
    conn.close()
    with Library(tmp_path / "old") as lib:
        assert lib._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 10
        got = everything(lib)
        assert [lib.issue(str(n)) for n in range(1, len(issues) + 1)] == issues  # nothing lost
        dates = {i.id: i.date for i in lib.issues()}
        new_ids = lib._conn.execute("SELECT id FROM articles ORDER BY id DESC").fetchall()
    assert len(new_ids) == len(old_ids) and new_ids != old_ids
    for q, hits in got.items():
        assert sorted(hits) == before[q], q  # the same hits, snippets and scores
        assert in_date_order(hits, dates), q
    assert [t for _, _, t, _, _ in got["养老"]][:4] == ["养老新规2", "江苏养老2", "养老新规5",
                                                       "江苏养老5"]
    fts_integrity(tmp_path / "old")
    with Library(tmp_path / "new") as fresh:  # stored by this code in the same order
        for issue in issues:
            fresh.store(issue)
        assert everything(fresh) == got
    with Library(tmp_path / "old") as lib:  # the index deletes what it holds under the new ids
        lib.remove("2")
        assert [h.title for h in lib.search("养老", limit=2)] == ["养老新规5", "江苏养老5"]
        lib.store(issues[1])  # stored again: the newest issue again
        assert [h.title for h in lib.search("养老", limit=2)] == ["养老新规2", "江苏养老2"]
    fts_integrity(tmp_path / "old")


def everything_at(conn) -> dict:
    """``everything`` of a library still at schema 9, read with the search of this code (which
    orders by id: any order; compared sorted)."""
    from digest.library.search import search

    return {q: [(h.issue_id, h.seq, h.title, h.score, h.as_dict()["snippet"])
                for h in search(conn, q, limit=None)] for q in QUERIES}


def test_ties_come_newest_issue_first_on_either_back_end(library_at):
    """Within each tier (title hits, then body hits), by issue date, then article order."""
    with Library(library_at) as lib:
        for issue in dated_issues():
            lib.store(issue)
        dates = {i.id: i.date for i in lib.issues()}
        for q in ("养老", "会议", "老", "养老 -江苏"):
            hits = [(h.issue_id, h.seq, h.title, h.score) for h in lib.search(q, limit=None)]
            assert hits and in_date_order(hits, dates), (lib.backend, q)
        first = [h.title for h in lib.search("会议纪要", limit=None)]
        assert first == [f"会议纪要{n}" for n in BY_DATE]


def test_a_version_9_postgresql_library_migrates_in_place(pg_url, tmp_path):
    import psycopg

    from digest.library import pg

    issues = some_issues()
    with psycopg.connect(pg_url, autocommit=True) as raw:
        conn = pg.PgConn(raw)
        with raw.transaction():
            conn.execute("CREATE TABLE digest_schema (version integer NOT NULL)")
            conn.execute("INSERT INTO digest_schema VALUES (9)")
            for step in pg.PG_STEPS[:9]:
                step(conn)
            for issue in issues:
                _stored_v9_pg(conn, issue)
    with Library(pg_url) as lib:
        got = everything(lib)
        dates = {i.id: i.date for i in lib.issues()}
        assert [lib.issue(str(n)) for n in range(1, len(issues) + 1)] == issues
        assert lib.check().ok
    with Library(tmp_path) as lite:
        for issue in issues:
            lite.store(issue)
        expected = everything(lite)
    for q in QUERIES:  # the same hits as SQLite's, in the same order
        assert got[q] == expected[q], q
        assert in_date_order(got[q], dates), q
    with Library(pg_url) as lib:  # deleting follows the new ids (ON DELETE CASCADE)
        lib.remove("2")
        assert "养老新规2" not in [h.title for h in lib.search("养老", limit=None)]
        assert lib.check().ok


def _stored_v9_pg(conn, issue) -> None:
    """Store ``issue`` in PostgreSQL as schema 9 did: article ids drawn from the sequence."""
    from digest.library.pg_search import title_tsvector, tsvector
    from digest.library.rows import ISSUE_COLUMNS, issue_values

    marks = ", ".join("?" * (ISSUE_COLUMNS.count(",") + 1))
    (issue_id,) = conn.execute(f"INSERT INTO issues ({ISSUE_COLUMNS}) VALUES ({marks}) "
                               "RETURNING id", issue_values(issue)).fetchone()
    for a in issue.articles:
        (aid,) = conn.execute(
            "INSERT INTO articles (issue_id, seq, section, title, page, toc_page, match, status, "
            "body, region, regions, keywords, summary, physical_page, section_printed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            _v9_values(issue_id, a)).fetchone()
        if a.body:
            conn.execute("INSERT INTO article_fts (article_id, doc, exact, title_doc) "
                         "VALUES (?, ?::tsvector, ?, ?::tsvector)",
                         (aid, *tsvector(a.title, a.text), title_tsvector(a.title)))
    insert_toc(conn, issue_id, issue.toc)


# --- the records of --limit 0 -------------------------------------------------------------------


@pytest.mark.parametrize("query", [*QUERIES, "江苏 养老", '"G60 科创"', "g60"])
def test_records_are_the_hits_as_dicts(library_at, query):
    with Library(library_at) as lib:
        for issue in some_issues():
            lib.store(issue)
        for filters in (Filters(), Filters(regions=("江苏",))):
            hits = [h.as_dict() for h in lib.iter_search(query, filters)]
            assert list(lib.iter_records(query, filters)) == hits, query
            assert list(lib.iter_records(query, filters, limit=3)) == hits[:3]


def test_marked_snippets_equal_the_snippets_marked():
    rng = random.Random(5)
    letters = "医药养老江苏aAbB1 ，\n"
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 200)))
        terms = rng.choice([["养老"], ["医药"], ["老"], ["老老"], ["a"], ["1"], ["江苏", "养老"],
                            ["ab"], [""], [], ["药 养"], ["养老1"]])
        assert marked_snippet(text, terms) == snippet(text, terms).marked(), (text, terms)
        assert marked_snippet(text, terms, "<", ">") == snippet(text, terms).marked("<", ">")


def test_streamed_tsv_and_json_are_what_the_hits_give(tmp_path):
    """`--limit 0` writes records; the lines are those the ``Hit`` values make (the TSV columns
    of the table, the issue named by its id without a bulletin), the JSON json.dumps's."""
    from typer.testing import CliRunner

    from digest.cli import app
    from digest.cli.common import cell

    with Library(tmp_path) as lib:
        for issue in [*some_issues(), small_issue("nameless", [("无名养老", "养老。")],
                                                  bulletin="", number=7)]:
            lib.store(issue)
        hits = lib.search("养老", limit=None)
    expected = "".join("\t".join(cell(v) for v in (
        h.issue_name, h.seq, h.date, h.section, h.title, h.page, h.region, h.snippet.marked()))
        + "\n" for h in hits)
    assert any(h.issue_name == str(h.issue_id) for h in hits)
    for limit in ("0", "100"):
        out = CliRunner().invoke(app, ["search", "养老", "-n", limit, "-f", "tsv",
                                       "--library", str(tmp_path)])
        assert out.exit_code == 0 and out.stdout == expected
        out = CliRunner().invoke(app, ["search", "养老", "-n", limit, "--json",
                                       "--library", str(tmp_path)])
        assert out.stdout == json.dumps([h.as_dict() for h in hits], ensure_ascii=False,
                                        indent=2) + "\n"


def test_indented_json_is_json_dumps_for_any_value():
    from digest.cli.library_run import _indented_json

    records = [{"s": "引号\"\n\t\x01", "i": -3, "b": True, "f": False, "n": None, "x": 87.65,
                "nan": float("nan"), "inf": float("-inf"), "l": ["江苏", "上海"], "e": [],
                "t": (1, 2.5, None), "mixed": [True, "a"], "d": {"k": [1, {"z": None}]},
                "ll": [[1], []], "big": 10**30, "sep": [{"k": "行\u2028段\x85"}]}, {}]
    for record in records:
        assert "[\n" + _indented_json(record) + "\n]" == json.dumps([record], ensure_ascii=False,
                                                                    indent=2)
