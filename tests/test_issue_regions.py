"""Per-issue article counts (``issue_regions``, schema step 8) stay equal to the articles
through add, remove, --replace and migration; trends divide by them."""

from __future__ import annotations

import sqlite3

from conftest import SAMPLES
from library_helpers import small_issue, truth_issue
from test_library_fields import make_v2_library

from digest.library import DB_NAME, Library, Outcome


def kept(lib: Library) -> dict[tuple[int, str], int]:
    return {(i, r): n for i, r, n in lib._conn.execute("SELECT * FROM issue_regions")}


def counted(lib: Library) -> dict[tuple[int, str], int]:
    """The same counts from the articles themselves."""
    return {(i, r): n for i, r, n in lib._conn.execute(
        "SELECT issue_id, coalesce(region, ''), count(*) FROM articles WHERE body != '' "
        "GROUP BY 1, 2")}


def test_counts_follow_store_and_remove(tmp_path):
    with Library(tmp_path) as lib:
        a = lib.store(small_issue("a", [("一", "正文一"), ("二", "正文二"), ("三", ""),
                                        ("四", "正文四")], region="江苏"))
        b = lib.store(small_issue("b", [("五", "正文五"), ("六", "正文六")], number=2))
        # issue a: three articles with a body in 江苏 (三 has none); b: two without a region
        assert kept(lib) == {(a, "江苏"): 3, (b, ""): 2}
        lib._conn.execute("UPDATE articles SET region = '上海' WHERE issue_id = ? AND seq = 1",
                          (a,))
        assert kept(lib) == {(a, "江苏"): 2, (a, "上海"): 1, (b, ""): 2} == counted(lib)
        lib.remove(str(a))
        assert kept(lib) == {(b, ""): 2}
        lib.remove(str(b))
        assert kept(lib) == {}


def test_counts_follow_replace(tmp_path):
    notoc = SAMPLES / "issue-200-notoc.pdftotext.txt"
    stale = SAMPLES / "issue-200-stale.pdftotext.txt"
    with Library(tmp_path) as lib:
        (first,) = lib.add_paths([notoc]).outcomes
        assert first.outcome is Outcome.ADDED
        before = kept(lib)
        assert before == counted(lib) and sum(before.values()) == first.articles
        (second,) = lib.add_paths([stale], replace=True).outcomes
        assert second.outcome is Outcome.REPLACED
        after = kept(lib)
        assert after == counted(lib) and sum(after.values()) == second.articles  # not doubled


def test_a_library_made_before_the_counts_gets_them(tmp_path):
    regions = {n: ("上海" if n % 3 else "江苏") for n in range(1, 23)}
    make_v2_library(tmp_path / "old", [truth_issue(200, regions=regions),
                                       small_issue("u", [("另一份", "完全不同的内容")])])
    with Library(tmp_path / "old") as lib:
        got = kept(lib)
        assert got == counted(lib)
        assert got[(1, "江苏")] == sum(1 for n in regions if n % 3 == 0) and got[(2, "")] == 1
    conn = sqlite3.connect(tmp_path / "old" / DB_NAME)
    assert conn.execute("SELECT count(*) FROM articles INDEXED BY articles_keys "
                        "WHERE body != ''").fetchone()[0] == 23
