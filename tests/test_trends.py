"""Trends over a library of generated issues whose dates, regions and terms are known.

The library below (real SQLite, real bigram index) holds five issues of one bulletin:

    2021-01-08  #1  A 江苏 生物医药产业   B 浙江 数字化转型   C 上海 生物医药 and 上海
    2021-02-05  #2  D 江苏 生物医药       E 江苏 长三，三角洲 (pairs meet across a comma)
    (March: no issue, a gap)
    2021-04-09  #3  F 浙江 生物医药       G 浙江 数字化转型 and 数字化
    2021-04-23  #4  H 江苏 数字化转型     I 安徽 g60 科创走廊
    2021-05-07  #5  J 江苏 生物医药       K 浙江 other      L 浙江 other

and one undated issue (#6) whose article mentions 生物医药, which no period can hold.
Every expected count below was worked out by hand from that table.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from library_helpers import small_issue
from typer.testing import CliRunner

from digest.cli import app
from digest.library import Filters, Library
from digest.trends import ROW_FIELDS, Period, choose_period, period_labels

ISSUES = [
    (1, dt.date(2021, 1, 8), [("甲", "江苏", "江苏推进生物医药产业集群。", ("生物医药", "集群")),
                              ("乙", "浙江", "浙江数字化转型提速。", ("数字化转型",)),
                              ("丙", "上海", "上海生物医药创新，上海张江。", ("生物医药",))]),
    (2, dt.date(2021, 2, 5), [("丁", "江苏", "南京生物医药园开园。", ("生物医药",)),
                              ("戊", "江苏", "长三，三角洲一体化。", ("一体化",))]),
    (3, dt.date(2021, 4, 9), [("己", "浙江", "杭州生物医药港。", ("生物医药", "数字化转型")),
                              ("庚", "浙江", "宁波数字化转型，数字化车间。", ("数字化转型",))]),
    (4, dt.date(2021, 4, 23), [("辛", "江苏", "苏州数字化转型。", ("数字化转型",)),
                               ("壬", "安徽", "G60科创走廊合肥段。", ("科创走廊",))]),
    (5, dt.date(2021, 5, 7), [("癸", "江苏", "泰州生物医药。", ("生物医药", "数字化转型")),
                              ("子", "浙江", "温州鞋业。", ("数字化转型",)),
                              ("丑", "浙江", "台州汽配。", ("数字化转型",))]),
]


def _issue(number, date, arts, sha):
    issue = small_issue(sha, [(t, b) for t, _, b, _ in arts], number=number, date=date)
    articles = tuple(replace(a, region=r, keywords=k)
                     for a, (_, r, _, k) in zip(issue.articles, arts))
    return replace(issue, articles=articles)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trends")
    with Library(folder) as lib:
        for number, date, arts in ISSUES:
            lib.store(_issue(number, date, arts, f"t{number}"))
        lib.store(_issue(6, None, [("寅", "江苏", "无日期的生物医药。", ("生物医药",))], "t6"))
    return folder


@pytest.fixture
def lib(folder):
    with Library(folder) as lib:
        yield lib


def counts(trends, term, region=""):
    return {p.label: trends.count(term, p.label, region).count for p in trends.periods}


def test_counts_per_month_with_zero_periods_and_gaps(lib):
    t = lib.trends(["生物医药"], by=Period.MONTH)
    assert [p.label for p in t.periods] == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05"]
    assert counts(t, "生物医药") == {"2021-01": 2, "2021-02": 1, "2021-03": None,
                                     "2021-04": 1, "2021-05": 1}
    assert [p.issues for p in t.periods] == [1, 1, 0, 2, 1]
    assert [p.articles for p in t.periods] == [3, 2, 0, 4, 3]
    assert [p.gap for p in t.periods] == [False, False, True, False, False]
    assert t.undated == 1  # issue 6 is counted nowhere, and said so


def test_a_period_with_issues_but_no_match_is_zero_not_a_gap(lib):
    t = lib.trends(["数字化"], by=Period.MONTH)
    assert counts(t, "数字化") == {"2021-01": 1, "2021-02": 0, "2021-03": None,
                                   "2021-04": 2, "2021-05": 0}


def test_counts_per_region_split_by_primary_region(lib):
    t = lib.trends(["生物医药"], by=Period.QUARTER, by_region=True)
    assert [p.label for p in t.periods] == ["2021-Q1", "2021-Q2"]
    assert t.regions == ("江苏", "浙江", "上海", "安徽")  # most articles first
    assert counts(t, "生物医药", "江苏") == {"2021-Q1": 2, "2021-Q2": 1}
    assert counts(t, "生物医药", "浙江") == {"2021-Q1": 0, "2021-Q2": 1}
    assert counts(t, "生物医药", "上海") == {"2021-Q1": 1, "2021-Q2": 0}
    assert counts(t, "生物医药", "安徽") == {"2021-Q1": 0, "2021-Q2": 0}
    assert t.count("生物医药", "2021-Q1", "江苏").articles == 3  # 甲, 丁, 戊


def test_share_divides_by_the_articles_of_the_period(lib):
    t = lib.trends(["生物医药"], by=Period.MONTH)
    shares = {p.label: t.count("生物医药", p.label).share for p in t.periods}
    assert shares == {"2021-01": pytest.approx(2 / 3), "2021-02": pytest.approx(1 / 2),
                      "2021-03": None, "2021-04": pytest.approx(1 / 4),
                      "2021-05": pytest.approx(1 / 3)}


def test_terms_use_the_search_language_and_are_exact(lib):
    t = lib.trends(["生物医药 -上海", "长三角", "G60 OR 鞋业", "g60"], by=Period.YEAR)
    assert counts(t, "生物医药 -上海") == {"2021": 4}  # 丙 mentions 上海
    assert counts(t, "长三角") == {"2021": 0}  # 长三，三角 is in the index, not in the text
    assert counts(t, "G60 OR 鞋业") == {"2021": 2}
    assert counts(t, "g60") == {"2021": 1}  # ASCII letters fold, as in search


@pytest.mark.parametrize("term", ["江苏", "生物", "数字化", "长三角", "g60", "上海 -张江",
                                  "生物医药 -上海", "江苏 OR 上海", "(南京 OR 杭州) 生物",
                                  "数字 -转型", "州", "转型 -(宁波 OR 苏州)",
                                  # an OR the index finds by one branch's phrase: 庚's text
                                  # holds 转型，数字, not 转型、数字; 庚 is in 宁波
                                  "鞋业 OR 转型、数字", "(数字化 -宁波) OR 鞋业"])
def test_totals_equal_the_search_hits(lib, term):
    """Counting trusts the index alone for one-pair terms: the totals must still equal the
    dated hits of ``search``, which checks every hit with a substring test."""
    t = lib.trends([term], by=Period.YEAR)
    dated = [h for h in lib.search(term, limit=None) if h.date]
    assert sum(c.count or 0 for c in t.counts) == len(dated)


def test_filters_narrow_issues_and_articles(lib):
    t = lib.trends(["生物医药"], by=Period.MONTH,
                   filters=Filters.parse(region="江苏", since="2021-02", until="2021-04"))
    assert [p.label for p in t.periods] == ["2021-02", "2021-03", "2021-04"]
    assert counts(t, "生物医药") == {"2021-02": 1, "2021-03": None, "2021-04": 0}
    assert [p.articles for p in t.periods] == [2, 0, 1]


def test_the_period_follows_the_span_of_the_data():
    d = dt.date
    assert choose_period(d(2021, 1, 1), d(2022, 12, 31)) is Period.MONTH  # 24 months
    assert choose_period(d(2021, 1, 1), d(2023, 1, 1)) is Period.QUARTER  # 25 months
    assert choose_period(d(2015, 1, 1), d(2022, 12, 1)) is Period.QUARTER  # 96 months
    assert choose_period(d(2015, 1, 1), d(2023, 1, 1)) is Period.YEAR
    assert period_labels(d(2020, 11, 30), d(2021, 2, 1), Period.QUARTER) == ["2020-Q4", "2021-Q1"]
    assert period_labels(d(2019, 12, 1), d(2021, 1, 1), Period.YEAR) == ["2019", "2020", "2021"]


def test_rising_subjects_rank_a_planted_rise_first(lib):
    latest, rows = lib.rising(by=Period.MONTH, min_support=2)
    assert latest == "2021-05"
    # 数字化转型: 3 of 3 articles in May against 4 of 9 before: +55.6 points.
    # 生物医药: 1 of 3 in May (below the support of 2) is left out.
    assert [r.keyword for r in rows] == ["数字化转型"]
    top = rows[0]
    assert (top.latest, top.latest_articles, top.before, top.before_articles) == (3, 3, 4, 9)
    assert top.growth == pytest.approx(100 * (3 / 3 - 4 / 9))
    assert top.example == "癸"  # the first article of the latest issue carrying it


def test_rising_needs_minimum_support(lib):
    assert lib.rising(by=Period.MONTH, min_support=4)[1] == []


def test_an_empty_library_has_no_periods(tmp_path):
    with Library(tmp_path) as empty:
        t = empty.trends(["生物医药"])
        assert t.periods == () and t.counts == ()
        assert empty.rising() == (None, [])


# --- the command ---------------------------------------------------------------------------------

runner = CliRunner()


def trends_cli(folder, *args):
    return runner.invoke(app, ["trends", *args, "--library", str(folder)])


def test_the_command_prints_tsv_rows_with_gaps_when_piped(folder):
    result = trends_cli(folder, "生物医药", "--by", "quarter", "--by", "region", "-r", "江苏",
                        "-r", "上海")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [  # fields as ROW_FIELDS, no header
        "生物医药\t2021-Q1\t江苏\t2\t0.6667\t3\t2\tFalse",
        "生物医药\t2021-Q1\t上海\t1\t1.0\t1\t2\tFalse",
        "生物医药\t2021-Q2\t江苏\t1\t0.5\t2\t3\tFalse",  # 辛, 癸
        "生物医药\t2021-Q2\t上海\t0\t0.0\t0\t3\tFalse",
    ]
    assert "1 issue(s) without a date are not counted." in result.stderr


def test_json_marks_a_gap_as_null_not_zero(folder):
    result = trends_cli(folder, "生物医药", "--by", "month", "--json")
    data = json.loads(result.stdout)
    march = next(r for r in data if r["period"] == "2021-03")
    assert march == {"term": "生物医药", "period": "2021-03", "region": None, "count": None,
                     "share": None, "articles": 0, "issues": 0, "gap": True}


def test_csv_has_a_header(folder):
    result = trends_cli(folder, "养老", "--format", "csv")
    assert result.stdout.splitlines()[0] == ",".join(ROW_FIELDS)


def test_rising_as_csv(folder):
    result = trends_cli(folder, "--rising", "--by", "month", "--min-count", "2", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "keyword,growth_points,latest,latest_articles,before,before_articles,example",
        "数字化转型,55.6,3,3,4,9,癸"]


def test_trends_and_rising_as_workbooks(folder, tmp_path):
    import csv
    import io

    openpyxl = pytest.importorskip("openpyxl")
    out, rising = tmp_path / "trends.xlsx", tmp_path / "rising.xlsx"
    result = trends_cli(folder, "养老", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["trends"]
    assert [c.value for c in ws[1]] == list(ROW_FIELDS)
    want = list(csv.DictReader(io.StringIO(trends_cli(folder, "养老", "--format", "csv").stdout)))
    got = [dict(zip(ROW_FIELDS, (c.value for c in line))) for line in ws.iter_rows(min_row=2)]
    assert [(g["period"], g["count"], g["issues"], g["gap"]) for g in got] == [
        (w["period"], int(w["count"]) if w["count"] else None, int(w["issues"]), w["gap"] == "True")
        for w in want]
    assert len(got) > 1 and any(g["gap"] for g in got)  # gaps stay empty cells, not zeros
    result = trends_cli(folder, "--rising", "--by", "month", "--min-count", "2", "-f", "xlsx",
                        "-o", str(rising))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(rising)["rising"]
    assert [c.value for c in ws[2]] == ["数字化转型", 55.6, 3, 3, 4, 9, "癸"]


def test_a_bad_term_is_one_line_and_exit_2(folder):
    result = trends_cli(folder, "(生物医药")
    assert result.exit_code == 2
    assert "Unclosed '('" in result.stderr


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_plot_writes_a_chart_with_chinese_labels(folder, tmp_path, suffix):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"chart{suffix}"
    result = trends_cli(folder, "生物医药", "数字化转型", "--by", "month", "--by", "region",
                        "--plot", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
        return
    svg = data.decode("utf-8")
    for label in ("生物医药", "数字化转型", "江苏", "浙江", "文章数", "2021-03"):
        assert label in svg  # text stays text (svg.fonttype none)
    from digest.plot import cjk_font

    if cjk_font() is None:
        assert "No CJK font found" in result.stderr


def test_plot_refuses_other_suffixes(folder, tmp_path):
    pytest.importorskip("matplotlib")
    result = trends_cli(folder, "生物医药", "--plot", str(tmp_path / "chart.jpg"))
    assert result.exit_code == 2
    assert "written as .png or .svg" in result.stderr


def test_a_falling_keyword_is_not_rising(lib):
    # 生物医药 is in 1 of 3 May articles against 4 of 9 before: its share fell.
    assert [r.keyword for r in lib.rising(by=Period.MONTH, min_support=1)[1]] == ["数字化转型"]
