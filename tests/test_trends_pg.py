"""Trends on PostgreSQL: the library of ``test_trends`` stored in SQLite and in PostgreSQL
gives the same counts and the same rising subjects (skipped without PostgreSQL binaries)."""

from __future__ import annotations

import json

import pytest
from test_trends import ISSUES, _issue
from typer.testing import CliRunner

from digest.cli import app
from digest.library import Filters, Library
from digest.trends import Period


@pytest.fixture(scope="module")
def both(pg_server, tmp_path_factory):
    folder, url = tmp_path_factory.mktemp("trends_sqlite"), pg_server.url("trends")
    for where in (folder, url):
        with Library(where) as lib:
            for number, date, arts in ISSUES:
                lib.store(_issue(number, date, arts, f"t{number}"))
            lib.store(_issue(6, None, [("寅", "江苏", "无日期的生物医药。", ("生物医药",))], "t6"))
            # An ASCII term in upper and lower case, and a one-character term.
            lib.store(_issue(7, ISSUES[-1][1], [("卯", "上海", "g60 and G60 走廊，药。", ("走廊",))],
                             "t7"))
    return folder, url


TERMS = ["生物医药", "数字化转型", "数字化 -转型", "生物医药 OR g60", "G60", "药", "长三 三角",
         '"长三，三角"', "走廊 -科创", "不存在"]


def _both(both, call):
    out = []
    for where in both:
        with Library(where, create=False) as lib:
            out.append(call(lib))
    return out


@pytest.mark.parametrize("by", [Period.MONTH, Period.QUARTER, Period.YEAR])
@pytest.mark.parametrize("by_region", [False, True])
def test_the_same_counts_as_sqlite(both, by, by_region):
    sqlite, pg = _both(both, lambda lib: lib.trends(TERMS, by=by, by_region=by_region))
    assert pg == sqlite
    assert sqlite.counts and sqlite.undated == 1


def test_the_counts_are_the_hand_worked_ones(both):
    """Not only equal: right (the table of ``test_trends`` plus issue 7 in May)."""
    _, pg = _both(both, lambda lib: lib.trends(["生物医药", "g60", "药"], by=Period.MONTH))
    assert [(c.term, c.period, c.count) for c in pg.counts] == [
        ("生物医药", "2021-01", 2), ("生物医药", "2021-02", 1), ("生物医药", "2021-03", None),
        ("生物医药", "2021-04", 1), ("生物医药", "2021-05", 1),
        ("g60", "2021-01", 0), ("g60", "2021-02", 0), ("g60", "2021-03", None),
        ("g60", "2021-04", 1), ("g60", "2021-05", 1),
        ("药", "2021-01", 2), ("药", "2021-02", 1), ("药", "2021-03", None),
        ("药", "2021-04", 1), ("药", "2021-05", 2)]
    assert [p.articles for p in pg.periods] == [3, 2, 0, 4, 4]
    assert pg.count("药", "2021-05").share == 0.5


@pytest.mark.parametrize("filters", [Filters(regions=("浙江",)), Filters(section="无"),
                                     Filters(bulletin="不存在")])
def test_the_same_counts_with_filters(both, filters):
    sqlite, pg = _both(both, lambda lib: lib.trends(TERMS, by_region=True, filters=filters))
    assert pg == sqlite


@pytest.mark.parametrize("by", [Period.MONTH, Period.QUARTER])
@pytest.mark.parametrize("min_support", [1, 2, 3])
def test_the_same_rising_subjects(both, by, min_support):
    sqlite, pg = _both(both, lambda lib: lib.rising(by=by, min_support=min_support))
    assert pg == sqlite
    assert sqlite[1]  # something rises: the comparison is not of two empty lists


def test_rising_is_the_hand_worked_one(both):
    _, (latest, found) = _both(both, lambda lib: lib.rising(by=Period.MONTH))
    assert latest == "2021-05"
    top = found[0]
    # May: 4 articles, 数字化转型 on 3; before: 9 articles, 4 of them.
    assert (top.keyword, top.latest, top.latest_articles, top.before, top.before_articles) == (
        "数字化转型", 3, 4, 4, 9)
    assert top.example == "癸"


def test_the_command_counts_on_a_url(both):
    result = CliRunner().invoke(app, ["trends", "生物医药", "--by", "month", "--library",
                                      both[1], "--json"])
    assert result.exit_code == 0, result.output
    assert "1 issue(s) without a date are not counted." in result.stderr
    rows = json.loads(result.stdout)
    assert [(r["period"], r["count"]) for r in rows] == [
        ("2021-01", 2), ("2021-02", 1), ("2021-03", None), ("2021-04", 1), ("2021-05", 1)]


def test_rising_on_a_url(both):
    result = CliRunner().invoke(app, ["trends", "--rising", "--by", "month", "--library",
                                      both[1], "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "数字化转型" in result.stdout.splitlines()[1]
