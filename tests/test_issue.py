"""End to end on the seed text and the committed sample PDFs: all 22 articles (their
paragraphs too, compared up to white space), checked
against the ground truth written when the samples were built (samples/*.truth.json) and,
for the seed, against the hand-checked source (samples/source/issue-200.json)."""

import datetime as dt

import pytest
from conftest import SAMPLE_PDFS, SAMPLES, source_issue, truth

from digest.issue import parse_issue, parse_text
from digest.models import Status
from digest.text import compact


def assert_articles(issue, expected):
    got = [(a.section, compact(a.title), a.page, a.toc_page, [compact(p) for p in a.body])
           for a in issue.articles]
    want = [(e["section"], compact(e["title"]), e["page"], e["toc_page"], [compact(p) for p in e["body"]])
            for e in expected]
    assert len(got) == len(want) == 22
    for g, w in zip(got, want):
        assert g == w


def assert_masthead(m):
    assert (m.bulletin, m.year, m.number, m.publisher, m.date) == (
        "长三角每周要讯", 2020, 200, "浙江省人民政府驻上海办事处", dt.date(2020, 12, 18))


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_sample_pdf_articles(name):
    issue = parse_issue(SAMPLES / name)
    assert_masthead(issue.masthead)
    assert_articles(issue, truth(name)["articles"])
    assert [(e.section, compact(e.title), e.page) for e in issue.toc] == \
        [(e["section"], compact(e["title"]), e["page"]) for e in truth(name)["toc"]]


def test_stale_toc_is_called_out_article_by_article():
    issue = parse_issue(SAMPLES / "issue-200-stale.pdf")
    wrong = [a.seq for a in issue.articles if a.status is Status.WRONG_PAGE]
    assert wrong == [3, 5, 6, 9, 10, 11, 12, 16]
    assert all(a.page == a.toc_page + 1 for a in issue.articles if a.status is Status.WRONG_PAGE)
    assert sum("the printed TOC says" in w for w in issue.warnings) == 8


def test_toc_less_sample_is_found_by_title_detection_alone():
    issue = parse_issue(SAMPLES / "issue-200-notoc.pdf")
    assert issue.toc == ()
    assert {a.status for a in issue.articles} == {Status.NOT_IN_TOC}
    assert [a.match for a in issue.articles] == [None] * 22


def seed_expected():
    """The hand-checked source with the seed's printed TOC pages, which the body's page
    breaks confirm (the footers that survive, and the page-start marks between them)."""
    src = source_issue()
    pages = [e["page"] for e in src["toc"]]
    articles = [dict(a, section=s["name"]) for s in src["sections"] for a in s["articles"]]
    return [{"section": a["section"], "title": a["title"], "page": p, "toc_page": p, "body": a["paragraphs"]}
            for a, p in zip(articles, pages)]


def test_seed_text(seed_path):
    issue = parse_issue(seed_path)
    assert_masthead(issue.masthead)
    assert_articles(issue, seed_expected())
    assert {a.status for a in issue.articles} == {Status.OK}
    assert [a.match for a in issue.articles].count(100.0) >= 20  # "5000万元" vs "5000 万元" still 100 on keys


def test_seed_paragraphs_follow_the_extractions_block_marks(seed_path):
    issue = parse_issue(seed_path)
    bodies = [list(a.body) for a in issue.articles]
    want = [[compact(p) for p in a["paragraphs"]] for s in source_issue()["sections"] for a in s["articles"]]
    assert [[compact(p) for p in b] for b in bodies] == want


def test_seed_text_in_other_encodings_and_from_a_string(seed_path, tmp_path):
    text = seed_path.read_text("utf-8")
    for codec in ("gb18030", "utf-16"):
        path = tmp_path / f"seed-{codec}.txt"
        path.write_bytes(text.encode(codec))
        assert [a.title for a in parse_issue(path).articles] == [a.title for a in parse_text(text).articles]


def test_toc_entry_without_a_body_and_article_missing_from_the_toc(seed_path):
    """Edit the seed as an editor would: drop one article's TOC line, add a TOC line for an
    article that was cut."""
    text = seed_path.read_text("utf-8")
    text = text.replace("上海三方面推进城市数字化转型工作 ..................... 17 \n",
                        "上海发布人工智能产业发展三年行动方案 ................. 19 \n")
    issue = parse_text(text)
    by_title = {a.title: a for a in issue.articles}
    assert by_title["上海发布人工智能产业发展三年行动方案"].status is Status.NO_BODY
    assert by_title["上海发布人工智能产业发展三年行动方案"].body == ()
    ghost_seq = by_title["上海发布人工智能产业发展三年行动方案"].seq
    found = by_title["上海三方面推进城市数字化转型工作"]
    assert (found.status, found.page, found.section) == (Status.NOT_IN_TOC, 17, "经验交流")
    assert found.seq == ghost_seq + 1  # the ghost stands where the TOC lists it
    assert len(issue.articles) == 23
    assert "TOC entry “上海发布人工智能产业发展三年行动方案” (page 19) matches no title in the body" in issue.warnings
    assert "“上海三方面推进城市数字化转型工作” (page 17) is not in the printed TOC" in issue.warnings
