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


def test_numbered_contents_without_pages_and_bracketed_sections():
    """本期要目: numbered entries, no pages, 【】 section headings, a wrapped entry; the first
    article starts right under it."""
    ls = [Line("本期要目", 0, short=True), Line("【协同动态】", 0, short=True),
          Line("1．北京城市副中心与廊坊北三县签署交通一体化补充协议", 0, short=True),
          Line("2．山西、内蒙古与京津冀建立跨区域电力交易机制绿电年交易量", 0, short=False),
          Line("预计超过百亿千瓦时", 0, indent=1.5, short=True), Line("【产业协作】", 0, short=True),
          Line("3．保定与中关村共建科技成果转化基地", 0, short=True),
          Line("【协同动态】", 0, short=True), Line("北京城市副中心与廊坊北三县签署交通一体化补充协议", 0, short=True),
          Line("1．按照协议，双方将在年内打通两条断头路，新增跨界公交线路6条。", 0)]
    toc = find_toc(ls)
    assert [(e.section, e.section_printed, e.title, e.page) for e in toc.entries] == [
        ("协同动态", "【协同动态】", "北京城市副中心与廊坊北三县签署交通一体化补充协议", None),
        ("协同动态", "【协同动态】", "山西、内蒙古与京津冀建立跨区域电力交易机制绿电年交易量预计超过百亿千瓦时", None),
        ("产业协作", "【产业协作】", "保定与中关村共建科技成果转化基地", None)]
    assert toc.end == 7


def test_wrapped_entry_whose_first_line_ends_in_a_number():
    """"…项目达37" is no entry pointing at page 37 of a 9-page issue; "个 …… 6" is its tail."""
    ls = lines("目录", "京津冀燃料电池汽车示范城市群首批车辆交付 ……… 5", "保定与中关村共建科技成果转化基地首批落地项目达37",
               "个 ………………………… 6", "沧州渤海新区化工园区承接京津转移项目投产 ……… 7", *BODY)
    assert entries(find_toc(ls, max_page=9)) == [
        (None, "京津冀燃料电池汽车示范城市群首批车辆交付", 5),
        (None, "保定与中关村共建科技成果转化基地首批落地项目达37个", 6),
        (None, "沧州渤海新区化工园区承接京津转移项目投产", 7)]


def test_short_tail_after_a_number_read_as_a_page_is_not_a_section():
    """The page count cannot tell here (page 3 exists): the 1-character tail with leaders can."""
    ls = lines("目录", "天津港与雄安新区共建内陆无水港 4", "河北出台承接疏解二十条措施第3",
               "批 ……… 5", "唐山、承德开通至北京的定制通勤班车 6", *BODY)
    assert entries(find_toc(ls, max_page=9)) == [
        (None, "天津港与雄安新区共建内陆无水港", 4), (None, "河北出台承接疏解二十条措施第3批", 5),
        (None, "唐山、承德开通至北京的定制通勤班车", 6)]


def test_page_number_tight_against_the_title_in_a_toc_without_leaders():
    ls = lines("目录", "一、协同动态", "天津港与雄安新区共建内陆无水港 4", "唐山、承德开通至北京的定制通勤班车5",
               "广东深圳推行“秒批”政务服务 6", *BODY)
    assert entries(find_toc(ls, max_page=9)) == [
        ("协同动态", "天津港与雄安新区共建内陆无水港", 4), ("协同动态", "唐山、承德开通至北京的定制通勤班车", 5),
        ("协同动态", "广东深圳推行“秒批”政务服务", 6)]


def test_wrapped_entries_of_a_toc_without_leaders_whose_tail_is_short():
    """"…对我省的启" / "示 5": a 1-character tail and its page end the entry above, across a
    section heading and a page break too; the last entry's tail is still in the TOC."""
    ls = lines("目录", "一、专题研究", "安徽、湖南两省推进中部地区崛起的做法及对我省的启", "示 5",
               "二、决策建议", "进一步优化营商环境的六条建议 6",
               "山东推进新旧动能转换综合试验区建设的主要举措与成", "效评估 13", *BODY)
    assert entries(find_toc(ls, max_page=14)) == [
        ("专题研究", "安徽、湖南两省推进中部地区崛起的做法及对我省的启示", 5),
        ("决策建议", "进一步优化营商环境的六条建议", 6),
        ("决策建议", "山东推进新旧动能转换综合试验区建设的主要举措与成效评估", 13)]


def test_the_toc_ends_where_the_body_begins_though_a_body_line_ends_in_a_number():
    ls = lines("目录", "京津冀燃料电池汽车示范城市群首批车辆交付 ……… 5", "沧州渤海新区化工园区承接京津转移项目投产 ……… 7",
               "京津冀燃料电池汽车示范城市群首批车辆交付", "4月9日，示范城市群首批氢燃料电池物流车交付 2",
               "将投放到京津、京唐和京张三条干线上运营。")
    toc = find_toc(ls, max_page=9)
    assert [e.page for e in toc.entries] == [5, 7]
    assert toc.end == 3


def test_a_numbered_entry_wrapped_under_a_hanging_indent():
    """The first line may measure short (Latin and digits are narrower than estimated): the next
    line's deeper indent still says it goes on."""
    ls = [Line("本期要目", 0, short=True), Line("1．惠州大亚湾石化区吸引港资企业投资新材料项目总投资超过", 0, indent=1.4, short=True),
          Line("HK$80 亿", 0, indent=2.8, short=True), Line("2．中山、江门联合打造先进装备制造带", 0, indent=1.4, short=True),
          Line("惠州大亚湾石化区吸引港资企业投资新材料项目", 0), Line("近日，一批项目签约落地，总投资超过八十亿港元。", 0)]
    assert [e.title for e in find_toc(ls).entries] == ["惠州大亚湾石化区吸引港资企业投资新材料项目总投资超过HK$80 亿",
                                                       "中山、江门联合打造先进装备制造带"]


def test_a_page_number_split_over_two_lines():
    ls = lines("目录", "青海海南州光伏产业园装机容量突破1500万千瓦 9", "山东东营黄河三角洲自然保护区开展鸟类栖息地修复1", "0",
               "宁夏引黄灌区推广高效节水灌溉 11", *BODY)
    assert entries(find_toc(ls, max_page=12)) == [
        (None, "青海海南州光伏产业园装机容量突破1500万千瓦", 9), (None, "山东东营黄河三角洲自然保护区开展鸟类栖息地修复", 10),
        (None, "宁夏引黄灌区推广高效节水灌溉", 11)]
