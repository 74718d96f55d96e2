"""The printed TOC in its many shapes."""

from digest.models import Line
from digest.text import clean_line
from digest.toc import find_toc


def lines(*texts: str) -> list[Line]:
    return [Line(text=clean_line(t, keep_clause_space=True), page=0) for t in texts]


BODY = ("科创聚焦", "某某联盟在上海正式启动", "12 月 16 日，某某联盟宣告在上海正式启动，这是一段很长的正文。",
        "正文继续写下去，直到这一段结束为止。")


def entries(toc):
    return [(e.section, e.title, e.page) for e in toc.entries]


def test_leaders_sections_and_where_the_body_starts():
    ls = lines("目  录", "科创聚焦", "某某联盟在上海正式启动 ...... 3", "“G60 科创贷”产品发布 ..... 4",
               "经济热点", "上海自贸区启动“全球营运商计划” ………… ４", "上海临港四大主题 ··········· 6", *BODY)
    toc = find_toc(ls)
    assert entries(toc) == [("科创聚焦", "某某联盟在上海正式启动", 3), ("科创聚焦", "“G60 科创贷”产品发布", 4),
                            ("经济热点", "上海自贸区启动“全球营运商计划”", 4), ("经济热点", "上海临港四大主题", 6)]
    assert ls[toc.end].text == "科创聚焦"


def test_wrapped_entries_numbers_on_their_own_line_and_annotations():
    ls = lines("目录", "上海将建国际人才领航站 打通国际人才服务最后一公", "里……………………… １３",
               "江苏启动实施研究生教育质量提升工程", "18", "关于红军作战的原则１………………",
               "（一九三七年八月一日）", "对国防问题的意见 3", *BODY)
    assert entries(find_toc(ls)) == [
        (None, "上海将建国际人才领航站 打通国际人才服务最后一公里", 13),
        (None, "江苏启动实施研究生教育质量提升工程", 18),
        (None, "关于红军作战的原则", 1),
        (None, "对国防问题的意见", 3),
    ]


def test_spaced_digits_of_one_page_number():
    assert entries(find_toc(lines("目 录", "对独立自主的山地游击战争的解释……………… 1 1", *BODY))) == \
        [(None, "对独立自主的山地游击战争的解释", 11)]


def test_a_toc_without_a_heading_is_three_entries_in_a_row():
    ls = lines("甲标题 ...... 1", "乙标题很长一些 ...... 2", "丙标题 ...... 5", *BODY)
    assert [e.page for e in find_toc(ls).entries] == [1, 2, 5]


def test_no_toc():
    assert find_toc(lines(*BODY)) is None
