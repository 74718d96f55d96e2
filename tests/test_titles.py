"""Titles found in the body itself: what counts as one, and what must not."""

from digest.models import Line
from digest.titles import find_headings

BODY = "这是正文的一整行文字，它一直写到页面的右边距为止没有结束"


def pdf(text, size=1.0, centered=False, indent=0.0, short=False, bold=False):
    return Line(text=text, page=0, size=size, centered=centered, indent=indent, short=short, bold=bold)


def found(lines, layout_known=True):
    return [(lines[h.start].text, h.stop - h.start, h.section)
            for h in find_headings(lines, 0, len(lines), layout_known=layout_known)]


def test_pdf_styled_title_over_body_and_section_above_it():
    ls = [pdf("科创聚焦", size=1.1, short=True), pdf("某某联盟在上海正式启动", size=1.2, centered=True, short=True),
          pdf("12 月 16 日，" + BODY, indent=2.0), pdf(BODY), pdf("结束。", short=True)]
    assert found(ls) == [("科创聚焦", 1, True), ("某某联盟在上海正式启动", 1, False)]


def test_pdf_title_wrapped_over_two_lines_is_one_title():
    ls = [pdf("《长三角智能航运发展报告》发布聚焦智能航运五大领域很长", size=1.2, centered=True),
          pdf("的第二行", size=1.2, centered=True, short=True), pdf(BODY, indent=2.0), pdf("完。", short=True)]
    assert found(ls) == [("《长三角智能航运发展报告》发布聚焦智能航运五大领域很长", 2, False)]


def test_short_body_lines_are_not_titles():
    """Short lines inside a body look like titles in plain text but start like enumerations."""
    ls = [Line("前一段结束了。", 0, short=True),
          Line("二是打造政策补给的高地，为企业“量身定制”支持方案", 0, short=True),
          Line(BODY, 0), Line("一是统一监测标准", 0, short=True), Line(BODY, 0), Line("完。", 0, short=True)]
    assert found(ls, layout_known=False) == []
    styled = [pdf("二是打造政策补给的高地，为企业“量身定制”支持方案", size=1.0, short=True), pdf(BODY)]
    assert found(styled) == []  # not styled: body type


def test_plain_text_block_marks():
    """Where the extraction marks block ends, a one-line block between paragraphs is a title."""
    def t(text, ends, short=True):
        return Line(text, 0, short=short, ends_block=ends)
    ls = [t("上一篇的最后一句。", True), t("江苏启动“环保脸谱”管理系统", True),
          t("日前，江苏省“环保脸谱”管理系统启动。江苏“环保", False, short=False),
          t("脸谱”包括政府“环保脸谱”。", True), t("江苏“环保脸谱”以生态环境大数据为基础，集成生态", False, short=False)]
    assert found(ls, layout_known=False) == [("江苏启动“环保脸谱”管理系统", 1, False)]
