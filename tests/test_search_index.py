"""The bigram index with run breaks: the phrase of a one-run term is the substring test itself,
and a library indexed before run breaks (schema 6) migrates to the same search results."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from library_helpers import small_issue, truth_issue
from test_library_fields import make_v2_library

from digest.library import DB_NAME, MIGRATIONS, Filters, Library, connect
from digest.library.search import index_text_v2
from digest.query import RUN_BREAK, Term, index_text, parse_query

# A few characters, so that runs share pairs often; punctuation and spaces that split runs.
LETTERS = "医药品生物长三角aG6"
SPLITS = "，。 、-"


def random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(LETTERS) if rng.random() < 0.8 else rng.choice(SPLITS)
                   for _ in range(length))


def indexed(texts: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, content='', tokenize='ascii')")
    conn.executemany("INSERT INTO f (rowid, body) VALUES (?, ?)",
                     [(n, index_text(t)) for n, t in enumerate(texts)])
    return conn


def phrase_hits(conn: sqlite3.Connection, term: str) -> set[int]:
    phrase = Term(term).fts()
    return {r for (r,) in conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (phrase,))}


def test_index_text_puts_a_break_between_runs():
    assert index_text("长三角，联盟。G60 科创") == "长三 三角 zzz 联盟 zzz g6 60 zzz 科创"
    assert index_text("a，生物医药") == "a zzz 生物 物医 医药"
    assert index_text("") == "" and index_text("，。") == ""
    # what versions 2 to 6 indexed: the same pairs, nothing between runs
    assert index_text_v2("长三角，联盟。G60 科创") == "长三 三角 联盟 g6 60 科创"


def test_the_phrase_of_a_one_run_term_is_the_substring_test():
    """On texts where runs meet across punctuation all the time, the phrase alone finds exactly
    the texts holding the term, for every one-run term of 2 to 4 characters that occurs."""
    rng = random.Random(11)
    texts = [random_text(rng, rng.randint(1, 40)) for _ in range(400)]
    terms = {t[i:i + n] for t in texts for n in (2, 3, 4) for i in range(len(t) - n + 1)}
    terms = sorted(t for t in terms if Term(t.lower()).exact())
    assert len(terms) > 500
    checked_across, conn = 0, indexed(texts)
    for term in terms:
        folded = term.lower()
        scan = {n for n, t in enumerate(texts) if folded in t.lower()}
        assert phrase_hits(conn, folded) == scan, term
        # the pairs of the term side by side in two runs: what the old index matched wrongly
        checked_across += any(folded not in t.lower() and folded in index_text_v2(t).replace(
            " ", "") for t in texts)
    assert checked_across > 50  # the case that needed the check before is really exercised


@pytest.mark.parametrize("term", ["医药-药品", "长三角，联盟", "g6 60", "a，生物"])
def test_the_phrase_of_a_term_of_several_runs_loses_no_hit(term):
    rng = random.Random(5)
    texts = [random_text(rng, rng.randint(1, 40)) for _ in range(400)]
    texts += [f"前文{term}后文", f"{term}", f"x{term}y"]
    folded = term.lower()
    scan = {n for n, t in enumerate(texts) if folded in t.lower()}
    assert scan and scan <= phrase_hits(indexed(texts), folded)
    assert not Term(folded).exact()  # so the exact check runs for it


def test_which_queries_the_index_alone_decides():
    assert parse_query("生物医药").exact and parse_query("G60").exact
    assert parse_query("养老 OR 医疗").exact and parse_query("(养老 医疗) OR 基金").exact
    for query in ("江", "养老 -医疗", "长三角，联盟", '"长三角 联盟"', "养老 江", "长三角。"):
        assert not parse_query(query).exact, query
    assert RUN_BREAK not in Term("zz").fts()  # a term never looks like the break token


def varints(blob: bytes) -> list[int]:
    out, value = [], 0
    for byte in blob:  # SQLite varints: 7 bits a byte, high bit set while more follow
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            out.append(value)
            value = 0
    return out


def fts_integrity(folder, index=index_text) -> None:
    """FTS5's own check, and its totals (articles, tokens per column: the first record of the
    data table) equal to those of the articles stored: a delete given other tokens than were
    indexed leaves the totals wrong."""
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("INSERT INTO article_fts (article_fts, rank) VALUES ('integrity-check', 1)")
    rows = conn.execute("SELECT title, body FROM articles WHERE body != ''").fetchall()
    (blob,) = conn.execute("SELECT block FROM article_fts_data WHERE id = 1").fetchone()
    assert varints(blob)[:3] == [len(rows), sum(len(index(t).split()) for t, _ in rows),
                                 sum(len(index(b).split()) for _, b in rows)]
    conn.close()


QUERIES = ("上海", "医药", "生物医药", "长三角", "G60", "市", "养老 -上海", "上海 OR 江苏",
           "长三角一体化", "科创，", "药品", "医药-药品", "a6", "生物", "三角 -医药")


def results(lib: Library) -> dict[str, list]:
    return {q: [(h.issue_id, h.seq, h.title) for h in lib.search(q, limit=None)]
            for q in QUERIES}


def test_a_version_6_library_migrates_to_the_same_search_results(tmp_path):
    rng = random.Random(3)
    issues = [truth_issue(200, source="sample.pdf")] + [
        small_issue(f"r{n}", [(random_text(rng, 12), random_text(rng, 60)) for _ in range(8)],
                    number=n, region="江苏") for n in range(1, 4)]
    make_v2_library(tmp_path / "old", issues)  # indexed as version 2 did: no run breaks
    conn = connect(tmp_path / "old" / DB_NAME, steps=MIGRATIONS[:6])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    assert conn.execute("SELECT count(*) FROM issues").fetchone()[0] == 4  # none merged
    conn.close()
    with Library(tmp_path / "new") as fresh:
        for issue in issues:
            fresh.store(issue)
        expected = results(fresh)
    with Library(tmp_path / "old") as lib:
        assert lib._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        got = results(lib)
    fts_integrity(tmp_path / "old")
    assert got == expected
    texts = [(a.title, a.text) for i in issues for a in i.articles if a.body]
    assert len(got["医药"]) == sum("医药" in t or "医药" in b for t, b in texts) > 0
    # the rebuilt index deletes what it holds: remove an issue, its hits go
    with Library(tmp_path / "old") as lib:
        lib.remove("1")
        assert lib.search("上海", limit=None) == []  # only the sample had it
        assert {h.issue_id for h in lib.search("医药", limit=None)} == {2, 3, 4}
    fts_integrity(tmp_path / "old")


def test_copies_merged_while_migrating_leave_a_sound_index(tmp_path):
    """Step 6 deletes copies from an index built without run breaks: it must delete the tokens
    that index holds (a wrong delete leaves the index inconsistent)."""
    a = truth_issue(200, source="a.pdf")
    make_v2_library(tmp_path / "old", [a, truth_issue(200, source="b.pdf"),
                                       small_issue("u", [("另一份", "完全不同的内容，长三角")])])
    connect(tmp_path / "old" / DB_NAME, steps=MIGRATIONS[:6]).close()  # merges the copies
    fts_integrity(tmp_path / "old", index_text_v2)  # still without run breaks, and sound
    with Library(tmp_path / "old") as lib:
        assert len(lib.issues()) == 2
        assert len(lib.search("上海", limit=None)) == sum(
            1 for x in a.articles if x.body and ("上海" in x.title or "上海" in x.text))
    fts_integrity(tmp_path / "old")


def test_postgresql_keeps_run_breaks_as_position_gaps():
    """PostgreSQL's tsvector keeps 256 positions of a lexeme: a run break is a gap in the
    positions there, not a lexeme, and a phrase across it a ``<2>`` distance."""
    from digest.library.pg_search import tsquery, tsvector

    assert tsvector("长三角，联盟", "G60") == ("'长三':1A '三角':2A '联盟':4A 'g6':6B '60':7B", True)
    assert tsquery(parse_query("长三角，联盟").fts) == "('长三' <-> '三角' <2> '联盟')"
    assert tsquery(parse_query("x-长三角").fts) == "('长三' <-> '三角')"
    long_body = "，".join(["医药"] * 400)  # 400 runs: no lexeme near the 256-position limit
    assert tsvector("", long_body)[1] is False  # 医药 itself has 400 positions
    assert tsvector("", "，".join(f"词{n}" for n in range(400)))[1] is True


# --- the order of hits (SQLite) -----------------------------------------------------------------


# Stored in this order; by date: s2 (2022), then s5 and s1 (one date, s5 stored later), then s3
# (an archive of 2020 added last but one), then s4 (no date).
DATED = (("s1", dt.date(2021, 1, 8)), ("s2", dt.date(2022, 1, 7)), ("s3", dt.date(2020, 1, 3)),
         ("s4", None), ("s5", dt.date(2021, 1, 8)))
BY_DATE = ("2", "5", "1", "3", "4")


def dated_issues():
    for n, (sha, date) in enumerate(DATED, 1):
        yield small_issue(sha, [
            (f"养老新规{n}", "正文没有那个词。" * 5),
            (f"会议纪要{n}", "会议讨论了多项议题，" * 20 + "其中包括养老。"),
            (f"江苏养老{n}", "也说到养老。")], number=n, date=date,
            region="江苏" if n != 2 else "上海")


def test_title_hits_come_first_then_body_hits_each_by_issue_date_then_article_order(tmp_path):
    with Library(tmp_path) as lib:
        for issue in dated_issues():
            lib.store(issue)
        hits = lib.search("养老", limit=None)
        titles = [t for n in BY_DATE for t in (f"养老新规{n}", f"江苏养老{n}")]
        assert [h.title for h in hits] == titles + [f"会议纪要{n}" for n in BY_DATE]
        assert [h.score for h in hits] == [2.0] * 10 + [1.0] * 5
        # a limit cuts this order, inside the first tier or reaching into the second
        assert [h.title for h in lib.search("养老", limit=3)] == ["养老新规2", "江苏养老2", "养老新规5"]
        assert [h.title for h in lib.search("养老", limit=12)] == [h.title for h in hits[:12]]
        # filters keep the order
        assert [h.title for h in lib.search("养老", Filters(regions=("江苏",)), limit=None)] == [
            t for t in titles if t[-1] != "2"] + ["会议纪要5", "会议纪要1", "会议纪要3", "会议纪要4"]
        # a term checked by substring (runs with punctuation inside) too
        assert [h.title for h in lib.search("议题，其中", limit=None)] == [
            f"会议纪要{n}" for n in BY_DATE]
        assert [h.title for h in lib.search("养老 -江苏", limit=3)] == [
            "养老新规2", "养老新规5", "养老新规1"]
        # a one-character term, which no index narrows (SQL over the articles): the same order
        assert [h.title[-1] + str(h.seq) for h in lib.search("老", limit=None)] == [
            f"{n}{seq}" for n in BY_DATE for seq in (1, 2, 3)]


def test_an_issue_indexed_after_its_rows_gives_the_index_of_one_indexed_row_by_row(tmp_path):
    """``Library.store`` puts an issue's articles in the index after all their rows; the index
    must say what indexing each article right after its row, as it once was done, said: every
    term at the same places of the same articles (FTS5 packs it in fewer segments now)."""
    from dataclasses import replace

    from digest.library.rows import article_ids, insert_article, insert_issue, insert_toc
    from digest.library.schema import transaction

    issues = [replace(truth_issue(n), sha256=f"{n:064x}") for n in (1, 2, 3)]
    with Library(tmp_path / "new") as lib:
        for issue in issues:
            lib.store(issue)
    old = connect(tmp_path / "old.db")
    for issue in issues:
        with transaction(old) as conn:
            issue_id = insert_issue(conn, issue)
            ids = article_ids(conn, issue.masthead.date, [a.seq for a in issue.articles])
            for article in issue.articles:
                article_id = insert_article(conn, ids[article.seq], issue_id, article)
                if article.body:
                    conn.execute("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)",
                                 (article_id, index_text(article.title), index_text(article.text)))
            insert_toc(conn, issue_id, issue.toc)
    new = sqlite3.connect(tmp_path / "new" / DB_NAME)
    assert index_instances(new) == index_instances(old)
    assert len(index_instances(new)) > 10000
    match = "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid"
    phrase = (Term("长三角").fts(),)
    assert new.execute(match, phrase).fetchall() == [tuple(r) for r in old.execute(match, phrase)]


def index_instances(conn) -> list[tuple]:
    """Every (term, article, column, offset) the search index holds."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances "
                 "USING fts5vocab('main', 'article_fts', 'instance')")
    return [tuple(r) for r in conn.execute(
        "SELECT term, doc, col, offset FROM temp.fts_instances ORDER BY 1, 2, 3, 4")]
