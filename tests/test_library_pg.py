"""The PostgreSQL back end against a real, throw-away server (tests/pg_server.py): the same hits
as SQLite, the schema's version, the command line with a URL, and many `digest add` processes
writing at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from library_helpers import issue_text, small_issue, table_count, truth_issue
from typer.testing import CliRunner

from digest.cli import app
from digest.errors import LibraryError
from digest.library import MIGRATIONS, Filters, Library, pg_search
from digest.library.schema import newer_schema_error

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 300  # generous: eight processes on a busy machine; nothing here asserts on speed

# OR, exclusion, phrases, two-character terms inside longer words, ASCII in any case, one
# character (a scan), a term across punctuation (a phrase of pairs that is no substring), terms
# in titles and bodies of many issues (the order of title hits, then body hits, newest first),
# a term the too-long article holds only beyond a tsvector's limits (医药基金), a term whose
# pairs all occur in a title without the term itself (联盟长: 联盟 and 盟长 apart, and in its
# body: a body hit, not a title hit).
QUERIES = ("医药", "生物医药", "长三角", "上海 养老", "养老 OR 医药", "上海 -养老", '"G60 科创"',
           "g60", "园区", "江苏州", "(上海 OR 江苏) -医药", "沪", "-上海", "000万", "一体化 发展",
           "养老服务", "医药基金", "基金 -养老", "联盟长", "长文", "上海 OR 长文")
FILTERS = (Filters(), Filters(regions=("江苏",)), Filters(section="科创"),
           Filters.parse(since="2020-12-19"), Filters(bulletin="测试"))
# A body beyond a tsvector's limits (16,383 positions; 养老 far more than 256 times): stored
# inexact, a candidate for every query.
LONG_BODY = "养老服务。" * 6000 + "结尾处的生物医药基金。"


def _issues():
    yield truth_issue(200, regions={1: "上海", 3: "江苏"})
    yield truth_issue(201, date=dt.date(2020, 12, 25), source="b.pdf", regions={2: "江苏"})
    yield small_issue("s1", [("浦东生物医药子基金", "首批项目签约。江苏，苏州代表团出席。"),
                             ("“G60 科创贷”产品发布", "纯信用贷款最高额度 5000万元，沪上企业。"),
                             ("苏州工业园区", "园区企业享受补贴，养老服务。"),
                             ("盟长", "产业联盟成立。"), ("联盟和盟长", "联盟长出席。")],
                     region="江苏")
    yield small_issue("s2", [("无日期", "上海养老。")], date=None, number=2)
    yield small_issue("long", [("长文", LONG_BODY), ("养老服务长文", "养老。"), ("短文", "别的。")],
                      number=3)
    yield truth_issue(202, date=dt.date(2021, 1, 1), source="c.pdf", regions={4: "浙江"})


@pytest.fixture(scope="module")
def both(pg_server, tmp_path_factory):
    """The same issues in an SQLite and a PostgreSQL library."""
    folder, url = tmp_path_factory.mktemp("sqlite"), pg_server.url("same_hits")
    for where in (folder, url):
        with Library(where) as lib:
            for issue in _issues():
                lib.store(issue)
    return folder, url


def _hits(where, query, filters=FILTERS[0], limit=None, planner=()):
    """(issue key, title, snippet, score) of each hit, in order; ``planner``: PostgreSQL
    settings (``enable_bitmapscan = off``, …) for the session first."""
    with Library(where, create=False) as lib:
        for setting in planner:
            lib._conn.execute(f"SET {setting}")
        hits = lib.search(query, filters, limit=limit)
    assert all(type(h.score) is float for h in hits)  # as JSON shows it: 2.0, not "2.0"
    return [((h.bulletin, h.issue, h.seq), h.title, h.snippet, h.score) for h in hits]


# Walks of the newest articles: 3 leaves most articles to the index (the older part of each
# tier), the default covers all of these, so each tier is answered by the walk alone.
WALKS = (3, pg_search.WALK_ROWS)


@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_same_hits_in_the_same_order_as_sqlite(both, query, walk, monkeypatch):
    monkeypatch.setattr(pg_search, "WALK_ROWS", walk)
    folder, url = both
    for filters in FILTERS:
        for limit in (None, 3, 20):
            assert _hits(url, query, filters, limit) == _hits(folder, query, filters, limit), \
                (query, filters, limit)
    assert _hits(url, query) or query in ("江苏州",), query  # the others find some


def test_the_order_is_title_hits_then_body_hits_each_newest_first(both):
    """Checked by hand on the stored issues: 养老服务 is in one title (the long issue's 2nd
    article) and two bodies (the long issue's 1st, inexact, stored after s1's 3rd, both of one
    date); 长文 is in two titles of the long issue, in article order."""
    for where in both:
        assert [(key[1:], title, score) for key, title, _, score in _hits(where, "养老服务")] == [
            ((3, 2), "养老服务长文", 2.0), ((3, 1), "长文", 1.0), ((1, 3), "苏州工业园区", 1.0)]
        assert [(key[1:], score) for key, _, _, score in _hits(where, "长文")] == [
            ((3, 1), 2.0), ((3, 2), 2.0)]


def test_an_issue_stored_during_a_search_neither_repeats_nor_loses_a_hit(pg_url, monkeypatch):
    """A search reads the walk of the newest articles, then the index for the older ones; an
    issue stored in between (newer than all) must not shift the line between the two parts."""
    monkeypatch.setattr(pg_search, "WALK_ROWS", 3)
    day = dt.date(2021, 1, 1)

    def issue(n, count):
        return small_issue(f"d{n}", [(f"第{n}期之{k}", "养老服务。") for k in range(count)],
                           number=n, date=day + dt.timedelta(days=n))

    with Library(pg_url) as lib, Library(pg_url) as other:
        for n in range(1, 5):
            lib.store(issue(n, 1))
        hits = lib.iter_search("养老服务")
        seen = [next(hits).issue]
        other.store(issue(5, 3))  # three articles newer than every other
        seen += [h.issue for h in hits]
        assert seen == [4, 3, 2, 1]
        assert [h.issue for h in lib.search("养老服务", limit=None)] == [5, 5, 5, 4, 3, 2, 1]


PLANS = (("enable_indexscan = off",), ("enable_bitmapscan = off",),
         ("enable_seqscan = off", "enable_indexscan = off"), ("enable_sort = off",))


@pytest.mark.parametrize("planner", PLANS)
def test_the_hits_do_not_depend_on_the_plan(both, planner, monkeypatch):
    """Whatever way the planner takes (a walk of the primary key, the GIN index, a scan), the
    hits and their order are SQLite's."""
    monkeypatch.setattr(pg_search, "WALK_ROWS", 3)
    folder, url = both
    for query in ("医药", "长三角", "养老服务", "上海 -养老", "养老 OR 医药"):
        for filters in FILTERS[:2]:
            assert _hits(url, query, filters, 5, planner) == _hits(folder, query, filters, 5), \
                (query, planner)


def test_top_hits_rank_titles_first(both):
    folder, url = both
    for where in (folder, url):
        top = _hits(where, "医药", limit=3)
        assert "医药" in top[0][1], where  # a title hit ranks above body hits
    with Library(url, create=False) as lib:
        scores = [h.score for h in lib.search("上海", limit=None)]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_export_selects_the_same_articles_in_the_same_order(both):
    folder, url = both
    for query in (None, "医药", "沪", "上海 -养老"):
        got = []
        for where in (folder, url):
            with Library(where, create=False) as lib:
                got.append([(i.masthead.number, a.seq) for i, a in lib.select(query)])
        assert got[0] == got[1] and got[0], query


def test_an_article_beyond_the_tsvector_limits_is_still_found(pg_url):
    """A body longer than 16,383 pairs, with 养老 far more than 256 times: positions are lost,
    the article is marked inexact and checked by substring, and still found."""
    body = "养老服务。" * 6000 + "结尾处的生物医药基金。"
    assert not pg_search.tsvector("长文", body)[1]
    assert pg_search.tsvector("短文", "养老服务。")[1]
    with Library(pg_url) as lib:
        lib.store(small_issue("long", [("长文", body), ("短文", "别的。")]))
        assert [h.title for h in lib.search("医药基金")] == ["长文"]
        assert [h.title for h in lib.search("基金 -养老")] == []
        assert lib.search("国际") == []


def test_tsquery_is_the_fts_expression_with_phrases_chained():
    assert pg_search.tsquery('("生物 物医 医药") AND ("a b")') == \
        "(('生物' <-> '物医' <-> '医药')) & (('a' <-> 'b'))"
    assert pg_search.tsquery('("上海") OR ("江苏")') == "(('上海')) | (('江苏'))"


# --- schema ---------------------------------------------------------------------------------------


def test_the_schema_is_versioned_like_sqlite_and_a_newer_one_is_refused(pg_url):
    import psycopg

    with Library(pg_url) as lib:
        assert lib.backend == "PostgreSQL"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM digest_schema").fetchone()[0] == len(MIGRATIONS)
        conn.execute("UPDATE digest_schema SET version = %s", (len(MIGRATIONS) + 1,))
    with pytest.raises(LibraryError) as refused:
        Library(pg_url)
    assert str(refused.value) == str(newer_schema_error(pg_url, len(MIGRATIONS) + 1,
                                                        len(MIGRATIONS)))


def test_a_library_from_before_the_title_index_gets_it_and_the_same_hits(pg_url):
    """Schema 8 had no title tsvector: opening such a library adds and fills it."""
    import psycopg

    with Library(pg_url) as lib:
        for issue in _issues():
            lib.store(issue)
    before = _hits(pg_url, "养老服务")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP INDEX article_fts_title")
        conn.execute("ALTER TABLE article_fts DROP COLUMN title_doc")
        conn.execute("UPDATE digest_schema SET version = 8")
    assert _hits(pg_url, "养老服务") == before and before[0][3] == 2.0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM digest_schema").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM article_fts WHERE title_doc = ''::tsvector"
                            ).fetchone()[0] == 0


def test_an_empty_database_is_no_library_to_read(pg_url):
    with pytest.raises(LibraryError, match=r"no library in .* yet"):
        Library(pg_url, create=False)


# --- the command line -----------------------------------------------------------------------------


def test_the_library_commands_take_a_url(pg_url, tmp_path, monkeypatch):
    files = _write(tmp_path, [truth_issue(200), truth_issue(201, date=dt.date(2020, 12, 25))])
    runner = CliRunner()
    out = runner.invoke(app, ["add", *map(str, files), "--library", pg_url])
    assert out.exit_code == 0, out.output
    monkeypatch.setenv("DIGEST_LIBRARY", pg_url)
    out = runner.invoke(app, ["list", "-f", "tsv"])
    assert out.exit_code == 0, out.output
    assert [line.split("\t")[2:4] for line in out.stdout.splitlines()] == [["2020", "200"],
                                                                          ["2020", "201"]]
    out = runner.invoke(app, ["search", "生物医药", "-f", "tsv", "-n", "0"])
    assert out.exit_code == 0 and len(out.stdout.splitlines()) == 6, out.output
    out = runner.invoke(app, ["remove", "长三角:2020:200"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["export", "-f", "jsonl", "--query", "生物医药"])
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["issue"] for line in out.stdout.splitlines()] == [201] * 3
    out = runner.invoke(app, ["check"])
    assert out.exit_code == 0 and "PostgreSQL integrity check: ok" in out.stdout, out.output


def _digest(*args: str, env: dict | None = None, code: str | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    argv = [sys.executable, "-c", code] if code else [sys.executable, "-m", "digest"]
    return subprocess.run([*argv, *args], env=env, capture_output=True, text=True,
                          timeout=WAIT_S)


def test_a_server_that_is_down_or_a_bad_url_is_one_line_and_an_exit_code(pg_server):
    down = _digest("list", "--library", "postgresql://someone:secret@127.0.0.1:1/nothing")
    assert down.returncode == 3
    assert down.stderr.startswith("Error: Cannot connect to the library "
                                  "postgresql://someone:***@127.0.0.1:1/nothing: ")
    assert len(down.stderr.splitlines()) == 1 and "secret" not in down.stderr
    bad = _digest("list", "--library", f"{pg_server.base_url}/x?nonsense=1")
    assert bad.returncode == 2 and "not a PostgreSQL URL" in bad.stderr, bad.stderr
    no_role = _digest("list", "--library", f"postgresql://nobody@127.0.0.1:{pg_server.port}/x")
    assert no_role.returncode == 3 and 'role "nobody" does not exist' in no_role.stderr


def test_without_psycopg_the_error_names_the_extra():
    code = ("import sys; sys.modules['psycopg'] = None; sys.argv[0] = 'digest'; "
            "from digest.cli import main; main()")
    done = _digest("list", "--library", "postgresql://u@127.0.0.1:1/db", code=code)
    assert done.returncode == 5
    assert done.stderr.strip().endswith("pip install 'digest[postgres]'"), done.stderr


# --- many writers -------------------------------------------------------------------------------


def _write(folder: Path, issues) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for issue in issues:
        paths.append(folder / f"issue-{issue.masthead.number}.txt")
        paths[-1].write_text(issue_text(issue), encoding="utf-8")
    return paths


def test_eight_concurrent_adds_of_overlapping_sets_store_each_issue_once(pg_url, tmp_path):
    """Each process adds its own files and its neighbour's (the same bytes, so UNIQUE sha256
    decides) plus a re-dated copy of a shared issue (other bytes, the same content: the
    advisory lock on its key decides); a reader meanwhile never sees half an issue."""
    import psycopg

    numbers = range(1, 17)
    files = _write(tmp_path / "files", [truth_issue(n, date=dt.date(2020, 1, 3) + dt.timedelta(
        weeks=n)) for n in numbers])
    copy = truth_issue(1, date=dt.date(2020, 1, 10), source="copy")  # issue 1's key and text
    copies = []
    for k in range(8):  # eight byte-different copies of issue 1
        path = tmp_path / f"copy-{k}.txt"
        path.write_text(issue_text(copy) + "\n" * (k + 1), encoding="utf-8")
        copies.append(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "digest", "-q", "add", "--library", pg_url, str(copies[k]),
         *map(str, files[2 * k:2 * k + 4])], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for k in range(8)]
    seen = set()  # counts of articles per stored issue, as a reader saw them meanwhile
    with psycopg.connect(pg_url, autocommit=True) as reader:
        while any(p.poll() is None for p in procs):
            if reader.execute("SELECT to_regclass('issues')").fetchone()[0] is not None:
                seen |= {n for (n,) in reader.execute(
                    "SELECT count(a.id) FROM issues i LEFT JOIN articles a ON a.issue_id = i.id "
                    "GROUP BY i.id")}
    results = [(p.wait(timeout=WAIT_S), p.stderr.read()) for p in procs]
    assert seen <= {22}, seen  # never half an issue
    assert [code for code, _ in results] == [0] * 8, results
    with psycopg.connect(pg_url) as conn:
        stored = conn.execute(
            "SELECT i.number, count(a.id), count(f.article_id) FROM issues i "
            "JOIN articles a ON a.issue_id = i.id LEFT JOIN article_fts f ON f.article_id = a.id "
            "GROUP BY i.id ORDER BY i.number").fetchall()
    assert [n for n, _, _ in stored] == list(numbers)  # once each, issue 1 and its copies too
    assert all(arts == 22 and indexed == 22 for _, arts, indexed in stored), stored
    with Library(pg_url, create=False) as lib:
        assert table_count(lib, "toc_entries") == 22 * len(numbers)
        assert len(lib.search("生物医药", limit=None)) == 3 * len(numbers)
