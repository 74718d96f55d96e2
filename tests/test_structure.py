"""Structure that holds on any bulletin of the family (issue 7): one small hand-built input per
failure class, each checked on the values that would be wrong if the class came back."""

import pytest
from conftest import REPO, SAMPLES
from typer.testing import CliRunner

from digest.cli import app
from digest.issue import parse_issue, parse_text, split_end_matter
from digest.models import Line
from digest.toc import plain_section

runner = CliRunner()

BODY_A = ("4月12日，河北省发展改革委召开新闻发布会，介绍全省推进重点项目建设的有关情况，今年一季度"
          "全省新开工项目三百余个，完成投资同比增长百分之十二。")
BODY_B = ("据介绍，这批项目涵盖先进制造、现代物流、生态环保和民生保障等领域，"
          "将带动上下游产业链协同发展。")


def wrap(text: str, width: int = 24) -> str:
    """A paragraph as an extraction gives it: indented two ideographic spaces, wrapped."""
    text = "\u3000\u3000" + text
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def bulletin(*blocks: str) -> str:
    """A plain-text bulletin: a masthead, then blocks separated by blank lines; paragraphs
    (blocks ending in "。") are wrapped."""
    blocks = tuple(wrap(b) if b.endswith("。") else b for b in blocks)
    return "\n\n".join(["京津冀协同发展动态", "第7期（总第58期）", "河北省协同发展领导小组办公室编印    二〇二一年四月十六日",
                        *blocks]) + "\n"


def test_end_matter_belongs_to_the_issue_not_the_last_article():
    text = bulletin("石家庄重点项目集中开工", BODY_A, BODY_B, "雄安新区首批疏解项目落地", BODY_A,
                    "报：省委、省政府领导同志\n送：省协同发展领导小组成员单位\n"
                    "发：各市协同发展工作领导小组办公室\n责任编辑：李文华　　校对：赵敏")
    issue = parse_text(text)
    assert [a.title for a in issue.articles] == ["石家庄重点项目集中开工", "雄安新区首批疏解项目落地"]
    assert issue.articles[-1].body == (BODY_A,)
    assert issue.end_matter == ("报：省委、省政府领导同志", "送：省协同发展领导小组成员单位",
                                "发：各市协同发展工作领导小组办公室", "责任编辑：李文华 校对：赵敏")


def test_end_matter_needs_a_paragraph_end_before_it():
    """A line starting "发：" inside a paragraph is text, and nothing is cut from the end."""
    lines = [Line("今年以来，各地持续推进重点项目建设，一批项目已", 0), Line("发：展势头良好", 0, short=True)]
    assert split_end_matter(lines) == (lines, ())


def test_masthead_with_total_number_chinese_date_and_a_publisher_that_compiles():
    m = parse_text(bulletin("石家庄重点项目集中开工", BODY_A, "雄安新区首批疏解项目落地", BODY_B)).masthead
    assert (m.bulletin, m.number, m.total_number, m.year, m.date.isoformat(), m.publisher) == (
        "京津冀协同发展动态", 7, 58, 2021, "2021-04-16", "河北省协同发展领导小组办公室")


@pytest.mark.parametrize("printed, plain", [
    ("【科创聚焦】", "科创聚焦"), ("一、科创聚焦", "科创聚焦"), ("（二）区县经验", "区县经验"),
    ("第三部分 他山之石", "他山之石"), ("科创聚焦", "科创聚焦"), ("■ 工作动态", "工作动态"),
])
def test_section_names_are_plain(printed, plain):
    assert plain_section(printed) == plain


def test_source_line_and_picture_caption_stay_in_the_body():
    text = bulletin("石家庄重点项目集中开工", BODY_A, "图为项目开工现场", BODY_B, "（来源：河北日报）",
                    "雄安新区首批疏解项目落地", BODY_A, "（来源：新华社）")
    issue = parse_text(text)
    assert [a.title for a in issue.articles] == ["石家庄重点项目集中开工", "雄安新区首批疏解项目落地"]
    assert issue.articles[0].body == (BODY_A, "图为项目开工现场", BODY_B, "（来源：河北日报）")
    assert issue.articles[1].body[-1] == "（来源：新华社）"


def test_physical_page_beside_the_printed_page():
    issue = parse_issue(SAMPLES / "issue-200.pdf")
    # The sample prints its page numbers from the first sheet: printed = physical there.
    assert [(a.page, a.physical_page) for a in issue.articles[:2]] == [(3, 3), (4, 4)]


@pytest.mark.parametrize("name", ["README.md", "pyproject.toml"])
def test_not_a_bulletin_is_one_line_and_exit_2(name):
    result = runner.invoke(app, ["toc", str(REPO / name)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {name}: no table of contents, no masthead")


def test_english_prose_quoting_chinese_is_not_a_bulletin():
    """Sections of English that quote a Chinese passage each (a README with examples, under
    Chinese headings) are no run of Chinese articles, however many ideographs the quotes hold."""
    prose = ("The reader keeps each paragraph of the article as it was printed, and the title "
             "matcher compares every entry of the table of contents with the lines of the body. ")
    text = "\n\n".join(["重点项目", wrap(prose * 3) + "\n" + BODY_A,
                         "疏解项目", wrap(prose * 3) + "\n" + BODY_B]) + "\n"
    from digest.errors import NotABulletinError

    with pytest.raises(NotABulletinError, match="no run of titled Chinese articles"):
        parse_text(text)
    # the same sections without the English around the quotes are two articles
    chinese = "\n\n".join(["石家庄重点项目集中开工", wrap(BODY_A), "雄安新区首批疏解项目落地",
                            wrap(BODY_B)]) + "\n"
    assert len(parse_text(chinese).articles) == 2


def test_a_bulletin_without_toc_or_masthead_still_reads():
    text = "\n\n".join(["石家庄重点项目集中开工", wrap(BODY_A), "雄安新区首批疏解项目落地", wrap(BODY_B + BODY_A)]) + "\n"
    assert [a.title for a in parse_text(text).articles] == ["石家庄重点项目集中开工", "雄安新区首批疏解项目落地"]


def test_toc_title_shortened_to_the_opening_of_the_body_title():
    from digest.match import match_titles
    from digest.models import TocEntry

    ls = [Line("保定与中关村共建科技成果转化基地", 0, size=1.2), Line("首批落地项目达37个", 0, size=1.2),
          Line("4月12日，" + BODY_A, 0, indent=2.0)]
    m = match_titles([TocEntry(None, "保定与中关村共建科技成果转化基地", 3)], ls, 0)
    assert [(x.start, x.stop) for x in m] == [(0, 1)]
    shortened = [TocEntry(None, "保定与中关村共建", 3)]
    assert [(x.start, x.stop, x.score) for x in match_titles(shortened, ls, 0)] == [(0, 1, 90.0)]


@pytest.mark.parametrize("form", ["【{}】", "一、{}", "{}"])
def test_sections_without_a_toc_in_every_printed_form(form):
    text = bulletin(form.format("协同动态"), "石家庄重点项目集中开工", BODY_A, BODY_B, "雄安新区首批疏解项目落地",
                    BODY_A, form.format("产业协作").replace("一", "二"), "唐山开通至北京的定制通勤班车", BODY_B)
    assert [(a.section, a.section_printed, a.title) for a in parse_text(text).articles] == [
        ("协同动态", form.format("协同动态"), "石家庄重点项目集中开工"),
        ("协同动态", form.format("协同动态"), "雄安新区首批疏解项目落地"),
        ("产业协作", form.format("产业协作").replace("一", "二"), "唐山开通至北京的定制通勤班车")]


def test_an_enumeration_heading_inside_a_body_is_no_section_or_title():
    text = bulletin("石家庄重点项目集中开工", BODY_A, "一、加强统筹协调", BODY_B, "雄安新区首批疏解项目落地", BODY_A)
    issue = parse_text(text)
    assert [a.title for a in issue.articles] == ["石家庄重点项目集中开工", "雄安新区首批疏解项目落地"]
    assert issue.articles[0].body == (BODY_A, "一、加强统筹协调", BODY_B)


@pytest.mark.parametrize("line, publisher", [
    ("成渝地区双城经济圈建设联合办公室编印", "成渝地区双城经济圈建设联合办公室"),
    ("省推动长江经济带发展领导小组", "省推动长江经济带发展领导小组"),
    ("长三角区域合作专项工作组", "长三角区域合作专项工作组"),
    ("江西省人民政府发展研究中心", "江西省人民政府发展研究中心"),
])
def test_publishers_that_compile_groups_and_centres(line, publisher):
    from digest.masthead import read_masthead

    head = [Line("协同发展动态", 0), Line("第3期（总第41期）", 0), Line(line, 0), Line("二〇二〇年十二月十八日", 0)]
    m, _ = read_masthead(head)
    assert (m.publisher, m.number, m.total_number, m.year) == (publisher, 3, 41, 2020)
