"""Titles found in the body itself: what counts as one, and what must not."""

from digest.models import Line
from digest.titles import Style, find_headings, learn_title_styles

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


def test_a_centred_looking_paragraph_opening_is_no_title():
    """Ragged right: an indented first line that ends two characters short looks centred; at
    body size and weight, centring alone makes no title."""
    ls = [pdf("上一篇的最后一句。", short=True),
          pdf("按照计划，无水港一期占地约120亩，今年三季度投入试运", indent=2.0, centered=True, short=True),
          pdf("营，年设计吞吐能力10万标准箱。", short=True)]
    assert found(ls) == []


def test_wrapped_title_full_upper_lines_and_a_centred_last_line_is_one_title():
    ls = [pdf("山西、内蒙古与京津冀建立跨区域电力交易机制绿电年交", size=1.2, bold=True),
          pdf("易量预计超过百亿千瓦时并将逐步扩大到全部新能源发电", size=1.2, bold=True),
          pdf("企业", size=1.2, bold=True, centered=True, short=True),
          pdf("12 月 16 日，" + BODY, indent=2.0), pdf("完。", short=True)]
    assert found(ls) == [("山西、内蒙古与京津冀建立跨区域电力交易机制绿电年交", 3, False)]


def test_title_styles_learned_from_the_toc_find_titles_in_body_type():
    """Where the TOC's titles are set in a body-size face of their own, a line in that face is
    a title and a bold body line (an emphasised lead-in) is not."""
    title = Style(1.0, False, "SimHei")
    ls = [Line("京津冀高校联合招收应用型研究生", 0, size=1.0, font="SimHei", centered=True, short=True),
          Line("12 月 16 日，" + BODY, 0, size=1.0, font="SimSun", indent=2.0),
          Line("加强统筹协调推进", 0, size=1.0, bold=True, font="SimSun-Bold", short=True),
          Line(BODY, 0, size=1.0, font="SimSun")]
    heads = find_headings(ls, 0, len(ls), layout_known=True, title_styles=frozenset({title}),
                          body_style=Style(1.0, False, "SimSun"))
    assert [(h.start, h.stop) for h in heads] == [(0, 1)]


def test_section_headings_printed_with_ordinals_or_brackets_over_a_title():
    ls = [pdf("一、协同动态", short=True), pdf("某某联盟在上海正式启动", size=1.2, centered=True, short=True),
          pdf("12 月 16 日，" + BODY, indent=2.0), pdf("完。", short=True),
          pdf("二、加强统筹协调", short=True), pdf(BODY, indent=2.0), pdf("完。", short=True)]
    assert found(ls) == [("一、协同动态", 1, True), ("某某联盟在上海正式启动", 1, False)]


def test_title_styles_learned_without_a_toc():
    body = Style(1.0, False, "SimSun")
    ls = []
    for k in range(3):
        ls += [Line(f"第{k}条新闻标题在这里", 0, size=1.2, font="SimHei", short=True),
               Line(BODY, 0, size=1.0, font="SimSun", indent=2.0), Line("完。", 0, size=1.0, font="SimSun", short=True)]
    ls.insert(4, Line("图表说明文字较大", 0, size=1.4, font="Kai", short=True))
    assert learn_title_styles(ls, 0, len(ls), body) == {Style(1.2, False, "SimHei")}
