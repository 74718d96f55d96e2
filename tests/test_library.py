"""The library core on hand-built issues: storage, migrations, search recall and precision."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sqlite3

import pytest
from library_helpers import small_issue, table_count, truth_issue

from digest.errors import LibraryError, NotFoundError, QueryError
from digest.export import FIELDS, article_row
from digest.library import (
    DB_NAME,
    MIGRATIONS,
    Filters,
    Hit,
    Library,
    connect,
    date_bound,
    expand_paths,
    library_path,
)


@pytest.fixture
def lib(library_at):
    """A library on each back end (SQLite, PostgreSQL): the behaviour tests run on both."""
    with Library(library_at) as library:
        yield library


def titles(hits) -> list[str]:
    return [h.title for h in hits]


# --- location -----------------------------------------------------------------------------------


def test_library_path_prefers_explicit_then_environment_then_user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "env"))
    assert library_path(str(tmp_path / "given")) == tmp_path / "given"
    assert library_path(None) == tmp_path / "env"
    monkeypatch.delenv("DIGEST_HOME")
    from platformdirs import user_data_dir

    assert str(library_path(None)) == user_data_dir("digest", appauthor=False)


def test_opening_a_missing_library_read_only_says_how_to_add(tmp_path):
    with pytest.raises(LibraryError, match=r"no library in .* yet: add issues with `digest add"):
        Library(tmp_path / "none", create=False)
    assert not (tmp_path / "none").exists()


# --- storage ------------------------------------------------------------------------------------


def test_an_issue_round_trips_with_its_toc_no_body_entries_and_enrichment(lib):
    issue = small_issue("a", [("上海推“智慧养老”新举措", "第一段。\n第二段，养老服务。"),
                              ("目录里有正文里没有", "")], region="上海")
    issue = dataclasses.replace(
        issue, warnings=("TOC entry 2 has no body",),
        articles=(dataclasses.replace(issue.articles[0], regions=("上海", "江苏"),
                                      keywords=("养老", "智慧"), summary="第一段。", match=97.25),
                  issue.articles[1]))
    issue_id = lib.store(issue)
    assert lib.issue(str(issue_id)) == issue


def test_storing_the_same_hash_twice_changes_nothing(lib):
    issue = truth_issue()
    assert lib.store(issue) == 1
    assert lib.store(issue) is None
    assert [(i.id, i.articles) for i in lib.issues()] == [(1, 22)]


def test_issues_are_named_by_id_or_bulletin_year_number(lib):
    lib.store(truth_issue(200))
    lib.store(truth_issue(201))
    assert lib.find("2").number == 201
    assert lib.find("长三角每周要讯:2020:200").id == 1
    assert lib.find("长三角:2020:201").id == 2  # a part of the bulletin name is enough
    with pytest.raises(NotFoundError, match=r"No issue '长三角:2019:200'.*digest list"):
        lib.find("长三角:2019:200")


def test_an_ambiguous_name_lists_the_ids(lib):
    lib.store(truth_issue(200, source="a.pdf"))
    lib.store(truth_issue(200, source="b.pdf"))
    with pytest.raises(NotFoundError, match=r"names 2 issues \(ids 1, 2\): use the id"):
        lib.find("长三角每周要讯:2020:200")


def test_remove_deletes_articles_and_index_entries(lib):
    lib.store(truth_issue(200))
    lib.store(truth_issue(201))
    assert lib.remove("1").number == 200
    assert [i.number for i in lib.issues()] == [201]
    assert {h.issue for h in lib.search("医药", limit=None)} == {201}
    assert [table_count(lib, t) for t in ("articles", "toc_entries", "article_fts")] == [22] * 3
    assert lib.store(truth_issue(200)) == 3  # its hash is free again


# --- schema versions ----------------------------------------------------------------------------


def test_a_version_1_library_opens_migrated_and_searchable(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = connect(folder / DB_NAME, steps=MIGRATIONS[:1])
    conn.execute("INSERT INTO issues (sha256, source, added_at) VALUES ('s', 'old.txt', 'then')")
    conn.execute("INSERT INTO articles (issue_id, seq, title, status, body) "
                 "VALUES (1, 1, '旧文章', 'ok', '江苏推进养老服务')")
    conn.close()
    with Library(folder) as lib:
        assert lib._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert titles(lib.search("养老")) == ["旧文章"]


def test_a_library_from_a_newer_digest_is_refused(tmp_path):
    (tmp_path / "new").mkdir()
    conn = sqlite3.connect(tmp_path / "new" / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(LibraryError, match=r"newer version of digest.*upgrade"):
        Library(tmp_path / "new")


def test_a_foreign_database_is_not_taken_over(tmp_path):
    (tmp_path / "other").mkdir()
    conn = sqlite3.connect(tmp_path / "other" / DB_NAME)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(LibraryError, match="not a digest library"):
        Library(tmp_path / "other")


def test_a_file_that_is_not_a_database_is_an_error(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match=r"Cannot open the library .*library.db"):
        Library(tmp_path / "junk")


# --- search -------------------------------------------------------------------------------------


def test_two_character_terms_inside_longer_words_are_found(lib):
    lib.store(small_issue("a", [("浦东生物医药子基金投入运作", "首批意向投资项目签约。"),
                                ("苏州工业园区发布新政", "园区企业享受补贴。"),
                                ("上海推智慧养老新举措", "养老服务。"),
                                ("无关文章", "天气晴朗。")]))
    assert titles(lib.search("医药")) == ["浦东生物医药子基金投入运作"]
    assert titles(lib.search("工业园区")) == ["苏州工业园区发布新政"]
    assert titles(lib.search("业园")) == ["苏州工业园区发布新政"]
    assert titles(lib.search("养老")) == ["上海推智慧养老新举措"]


def test_pairs_meeting_across_punctuation_are_not_hits(lib):
    # The index holds 江苏 and 苏州 at consecutive positions, so the FTS phrase for 江苏州
    # matches; the substring check must reject it.
    lib.store(small_issue("a", [("两地合作", "来自江苏，苏州代表团出席。")]))
    assert lib.search("江苏州") == []
    assert titles(lib.search("江苏，苏州")) == ["两地合作"]


def test_terms_with_one_character_at_an_edge_still_match(lib):
    lib.store(small_issue("a", [("两省会商", "上海，江苏两地会商。沪")]))
    assert titles(lib.search("海，江苏")) == ["两省会商"]
    assert titles(lib.search("沪")) == ["两省会商"]  # one character: a scan, still exact
    assert lib.search("滇") == []


def test_ascii_is_matched_case_insensitively_inside_words(lib):
    lib.store(small_issue("a", [("“G60 科创贷”产品发布", "纯信用贷款最高额度 5000万元")]))
    assert titles(lib.search("g60")) == ["“G60 科创贷”产品发布"]
    assert titles(lib.search("60")) == ["“G60 科创贷”产品发布"]
    assert titles(lib.search('"G60 科创贷"')) == ["“G60 科创贷”产品发布"]
    assert lib.search("G60科创贷") == []  # the text has a space there
    assert titles(lib.search("000万")) == ["“G60 科创贷”产品发布"]


def test_recall_and_precision_equal_substring_search_on_random_texts(lib):
    rng = random.Random(20201218)
    alphabet = "上海江苏浙安徽养老医药生物园区工业ab1G，。“”（） "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(120)]
    for n in range(0, 120, 20):
        lib.store(small_issue(f"r{n}", [(f"文{n + i}", t) for i, t in enumerate(texts[n:n + 20])],
                              number=n))
    queries = {t[i:i + k].strip() for t in texts[:40] for k in (2, 3, 5) for i in (0, 3)}
    queries |= {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))) for _ in range(60)}
    for query in sorted(q for q in queries if len(q) >= 2 and " " not in q):
        expected = {f"文{i}" for i, t in enumerate(texts) if query.lower() in t.lower()}
        assert set(titles(lib.search(query, limit=None))) == expected, query


def test_all_terms_or_exclusion_and_phrases(lib):
    lib.store(small_issue("a", [("江苏养老", "江苏出台养老办法。"), ("上海养老", "上海智慧养老。"),
                                ("江苏医药", "江苏生物医药。")]))
    assert set(titles(lib.search("江苏 养老"))) == {"江苏养老"}
    assert set(titles(lib.search("养老 -江苏"))) == {"上海养老"}
    assert set(titles(lib.search("养老 OR 医药"))) == {"江苏养老", "上海养老", "江苏医药"}
    assert set(titles(lib.search("(上海 OR 医药) -生物"))) == {"上海养老"}
    assert set(titles(lib.search('"智慧养老"'))) == {"上海养老"}
    assert set(titles(lib.search("-养老"))) == {"江苏医药"}


def test_a_title_hit_ranks_above_a_body_hit(lib):
    body = "会议讨论了多项议题。" * 20
    lib.store(small_issue("a", [("会议纪要", body + "其中包括养老。"), ("养老服务新规", body),
                                ("其他", "无关。")]))
    hits = lib.search("养老")
    assert titles(hits) == ["养老服务新规", "会议纪要"]
    assert hits[0].score > hits[1].score > 0


def test_syntax_errors_raise_query_error_with_a_hint(lib):
    for query, hint in (('"长三角', "close the phrase"), ("养老 OR", "each side of OR"),
                        ("(养老", "add the matching"), ("", "empty")):
        with pytest.raises(QueryError, match=hint):
            lib.search(query)


def test_filters_narrow_by_region_section_bulletin_and_date(lib):
    lib.store(small_issue("a", [("江苏养老一", "养老。")], region="江苏", section="政策举措",
                          date=dt.date(2020, 3, 6)))
    lib.store(small_issue("b", [("上海养老二", "养老。")], region="上海", section="经验交流",
                          bulletin="另一要讯", date=dt.date(2021, 5, 1)))
    lib.store(small_issue("c", [("无日期养老", "养老。")], date=None))
    assert titles(lib.search("养老", Filters(regions=("江苏",)))) == ["江苏养老一"]
    assert titles(lib.search("养老", Filters(section="经验"))) == ["上海养老二"]
    assert titles(lib.search("养老", Filters(bulletin="另一"))) == ["上海养老二"]
    assert titles(lib.search("养老", Filters.parse(since="2021"))) == ["上海养老二"]
    assert titles(lib.search("养老", Filters.parse(until="2020-03"))) == ["江苏养老一"]
    assert titles(lib.search("老", Filters.parse(until="2020-03-05"))) == []


def test_date_bounds_cover_whole_periods():
    assert date_bound("2020", end=False) == dt.date(2020, 1, 1)
    assert date_bound("2020", end=True) == dt.date(2020, 12, 31)
    assert date_bound("2020-02", end=True) == dt.date(2020, 2, 29)
    assert date_bound("2020/12/18", end=True) == dt.date(2020, 12, 18)
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        date_bound("last spring", end=False)
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        date_bound("2020-13", end=False)


def test_snippets_mark_every_match_in_the_body(lib):
    lib.store(small_issue("a", [("标题", "前文" * 20 + "生物医药产业，医药企业。" + "后文" * 40)]))
    (hit,) = lib.search("医药")
    assert hit.snippet.marked().startswith("…" + "前文" * 9 + "生物【医药】产业，【医药】企业。")
    assert hit.snippet.marked().endswith("…")


def test_hits_carry_the_export_fields_then_score_and_snippet(lib):
    issue = truth_issue(regions={3: "上海"})
    lib.store(issue)
    assert [f.name for f in dataclasses.fields(Hit)][:len(FIELDS)] == list(FIELDS)
    hits = lib.search("全球营运商")
    assert len(hits) == 1
    row = hits[0].as_dict()
    assert {k: row[k] for k in FIELDS} == article_row(issue, issue.articles[2])
    assert row["snippet"].count("【全球营运商】") >= 1 and row["score"] > 0


def test_select_gives_matching_articles_in_issue_order(lib):
    lib.store(truth_issue(201, date=dt.date(2020, 12, 25)))
    lib.store(truth_issue(200))
    pairs = list(lib.select("生物医药"))
    assert [(i.masthead.number, a.seq) for i, a in pairs] == [
        (200, 1), (200, 6), (200, 8), (201, 1), (201, 6), (201, 8)]
    assert len(list(lib.select())) == 44
    assert len(list(lib.select(None, Filters(section="科创")))) == 4


# --- finding files ------------------------------------------------------------------------------


def test_expand_paths_walks_folders_globs_and_reports_missing(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/1.pdf", "a/b/2.TXT", "a/b/notes.md", "c.txt"):
        (tmp_path / name).write_text("x")
    files, missing = expand_paths([tmp_path / "a", str(tmp_path / "*.txt"),
                                   tmp_path / "a" / "1.pdf", str(tmp_path / "nope.pdf")])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a/1.pdf", "a/b/2.TXT", "c.txt"]
    assert missing == [str(tmp_path / "nope.pdf")]
