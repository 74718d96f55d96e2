"""Page furniture and page recovery."""

import pytest

from digest.models import Line
from digest.pages import from_text, page_number
from digest.paragraphs import paragraphs


@pytest.mark.parametrize("line, number", [
    ("— 3 —", 3), ("- 12 -", 12), ("–7–", 7), ("·5·", 5), ("第 3 页", 3), ("第3页 共10页", 3),
    ("3 / 10", 3), ("Page 4", 4), ("[9]", 9),
])
def test_page_number_patterns(line, number):
    assert page_number(line, bare_ok=False) == number


@pytest.mark.parametrize("line", ["12 月 16 日", "2020 年第 200 期", "一、开放新高地", "5000 万元"])
def test_body_lines_are_not_page_numbers(line):
    assert page_number(line, bare_ok=True) is None


def test_bare_numbers_only_where_allowed():
    assert page_number("17", bare_ok=True) == 17
    assert page_number("17", bare_ok=False) is None


def test_form_feeds_split_pages_and_footers_give_numbers():
    text = "甲页第一行内容。\n— 5 —\f乙页第一行内容。\n— 6 —\f丙页没有页脚。\n"
    doc = from_text(text, "x.txt", "0")
    assert [p.number for p in doc.pages] == [5, 6, 7]
    assert [[ln.text for ln in p.lines] for p in doc.pages] == [["甲页第一行内容。"], ["乙页第一行内容。"], ["丙页没有页脚。"]]


def _page(n: int, lead_space: bool) -> list[str]:
    lines = [f"第{n}页的第{k}行文字继续写下去直到行尾没有标点" for k in range(10)]
    if lead_space:
        lines[0] = " " + lines[0]
    return lines


def test_lost_footers_are_recovered_from_page_start_artifacts():
    """Footers survive on pages 1 and 5 only; pages 2–4 start with a stray space, and one
    mid-page line has a stray space too (noise that must not become a break)."""
    lines = ["— 1 —", *_page(1, False)]
    for n in (2, 3, 4):
        lines += _page(n, True)
    lines[25] = " " + lines[25]  # noise in the middle of page 3
    lines += ["— 5 —", *_page(5, False)]
    doc = from_text("\n".join(lines), "x.txt", "0")
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    assert [p.lines[0].text[:3] for p in doc.pages] == ["第1页", "第2页", "第3页", "第4页", "第5页"]
    assert any("inferred" in w for w in doc.warnings)


def test_footers_trailing_their_pages():
    text = "\n".join(["第一页内容。", "— 1 —", "第二页内容。", "— 2 —", "第三页内容。", "— 3 —"])
    doc = from_text(text, "x.txt", "0")
    assert [(p.number, p.lines[0].text) for p in doc.pages] == [(1, "第一页内容。"), (2, "第二页内容。"), (3, "第三页内容。")]


def _line(text, page=0, indent=0.0, short=False):
    return Line(text=text, page=page, indent=indent, short=short)


def test_paragraphs_rejoin_across_a_page_break():
    lines = [_line("基本建成产业创新生态、政策法规制", page=0),
             _line("度和支撑保障体系，力争实现建设目标。", page=1, short=True)]
    assert paragraphs(lines) == ["基本建成产业创新生态、政策法规制度和支撑保障体系，力争实现建设目标。"]


def test_paragraph_ends_short_at_punctuation_or_before_an_indent():
    lines = [_line("第一段第一行没有标点"), _line("第一段结束了", short=True),
             _line("第二段以句号结束。"), _line("第三段", indent=2.0), _line("继续第三段")]
    assert paragraphs(lines) == ["第一段第一行没有标点第一段结束了", "第二段以句号结束。", "第三段继续第三段"]


def test_joining_keeps_a_space_only_between_latin_words():
    assert paragraphs([_line("the GOP"), _line("plan 计划"), _line("AI"), _line("芯片。")]) == ["the GOP plan 计划AI芯片。"]
