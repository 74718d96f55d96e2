"""Mastheads in the shapes bulletins print them."""

import datetime as dt

import pytest

from digest.masthead import chinese_number, read_masthead
from digest.models import Line


def read(*texts, sizes=None):
    sizes = sizes or [None] * len(texts)
    return read_masthead([Line(text=t, page=0, size=s) for t, s in zip(texts, sizes)])[0]


def test_seed_style_masthead():
    m = read("长三角每周要讯", "2020 年第 200 期", "浙江省人民政府驻上海办事处          2020年 12月 18日")
    assert (m.bulletin, m.year, m.number, m.publisher, m.date) == (
        "长三角每周要讯", 2020, 200, "浙江省人民政府驻上海办事处", dt.date(2020, 12, 18))


def test_total_number_chinese_numerals_and_labelled_publisher():
    m = read("决策参考", "第十二期（总第 345 期）", "主办：某某市人民政府研究室", "二〇二一年三月五日")
    assert (m.bulletin, m.number, m.total_number, m.publisher, m.date, m.year) == (
        "决策参考", 12, 345, "某某市人民政府研究室", dt.date(2021, 3, 5), 2021)


def test_bulletin_on_the_issue_line_and_iso_date():
    m = read("长三角每周要讯 2020年第200期", "2020-12-18", "浙江省人民政府驻上海办事处")
    assert (m.bulletin, m.number, m.date, m.publisher) == ("长三角每周要讯", 200, dt.date(2020, 12, 18),
                                                           "浙江省人民政府驻上海办事处")


def test_largest_type_names_the_bulletin():
    m = read("内部资料 注意保存", "要情快报", "2022 年第 7 期", sizes=[0.8, 2.0, 1.0])
    assert m.bulletin == "要情快报"


@pytest.mark.parametrize("text, value", [("200", 200), ("二〇二〇", 2020), ("十二", 12), ("二十一", 21),
                                         ("一百零五", 105), ("十", 10)])
def test_chinese_number(text, value):
    assert chinese_number(text) == value
