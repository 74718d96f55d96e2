"""Another bulletin of the family, written for this test: 《决策参考》 of a city's policy
research office. Its shapes differ from the seed's on purpose: a letter-spaced name, 总第 N 期,
a publisher line ending in 编, a TOC headed 目 次 with numbered sections, ······ and ……
leaders, a wrapped entry whose leaders and page stand on the next line, a page number on its
own line, an entry with no leaders; form-feed pages with "- N -" footers; paragraphs indented
with ideographic spaces; a title wrapped over two lines; and an article the TOC leaves out.
Every expected value below was read off the file by hand."""

import datetime as dt

from conftest import REPO

from digest.issue import parse_issue
from digest.models import Status

ISSUE = REPO / "tests" / "data" / "other-bulletin.txt"


def test_masthead():
    m = parse_issue(ISSUE).masthead
    assert (m.bulletin, m.year, m.number, m.total_number, m.publisher, m.date) == (
        "决策参考", 2021, 5, 88, "中共湖州市委政策研究室", dt.date(2021, 3, 5))


def test_printed_toc():
    """Section names are plain; the printed heading ("一、工作动态") is kept beside them."""
    assert [(e.section, e.section_printed, e.title, e.page) for e in parse_issue(ISSUE).toc] == [
        ("工作动态", "一、工作动态", "湖州出台支持数字经济发展“十条”意见", 2),
        ("工作动态", "一、工作动态", "安吉推进竹产业链条延伸", 2),
        ("区县经验", "二、区县经验", "德清地理信息小镇建设经验：以产业集聚推动地理信息产业高质量发展", 3),
        ("区县经验", "二、区县经验", "长兴新能源汽车及关键零部件产业加快集聚", 4),
        ("他山之石", "三、他山之石", "合肥以“科大硅谷”建设推动科技成果转化", 5),
    ]


def test_rebuilt_toc_and_bodies():
    issue = parse_issue(ISSUE)
    assert [(a.seq, a.section, a.title, a.page, a.toc_page, a.status, len(a.body)) for a in issue.articles] == [
        (1, "工作动态", '湖州出台支持数字经济发展"十条"意见', 2, 2, Status.OK, 2),
        (2, "工作动态", "安吉推进竹产业链条延伸", 2, 2, Status.OK, 2),
        (3, "区县经验", "德清地理信息小镇建设经验：以产业集聚推动地理信息产业高质量发展", 3, 3, Status.OK, 2),
        (4, "区县经验", "南浔区推进古镇保护利用", 3, None, Status.NOT_IN_TOC, 1),
        (5, "区县经验", "长兴新能源汽车及关键零部件产业加快集聚", 4, 4, Status.OK, 2),
        (6, "他山之石", "合肥以“科大硅谷”建设推动科技成果转化", 5, 5, Status.OK, 2),
    ]
    assert issue.articles[0].body[0] == ("3月2日，湖州市政府印发《关于加快数字经济发展的若干意见》，从招引培育"
                                         "数字经济企业、建设数字基础设施、推动产业数字化转型等十个方面提出具体举措。")
    assert issue.warnings == ("“南浔区推进古镇保护利用” (page 3) is not in the printed TOC",)


def test_dot_leaders_are_not_mojibake():
    """"·" is a Latin-1 character: a run of them must not be re-decoded as GBK."""
    from digest.text import repair_mojibake

    assert repair_mojibake("意见 ·········· 2") == "意见 ·········· 2"
