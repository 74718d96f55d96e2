"""enrich_issue over a parsed sample: every article with a body gains its four fields."""

from __future__ import annotations

from dataclasses import replace

from conftest import SAMPLES

from digest.enrich import enrich_issue
from digest.export import issue_rows
from digest.issue import parse_issue
from digest.models import Status


def test_every_article_of_the_sample_is_enriched():
    issue = parse_issue(SAMPLES / "issue-200.pdf")
    got = enrich_issue(issue, max_chars=80, keywords=5)
    assert (got.source, got.masthead, got.toc) == (issue.source, issue.masthead, issue.toc)
    assert [a.title for a in got.articles] == [a.title for a in issue.articles]
    for a in got.articles:
        assert a.region and a.regions[0] == a.region
        assert len(a.keywords) == 5 and 0 < len(a.summary) <= 80


def test_an_article_without_body_is_left_alone():
    issue = parse_issue(SAMPLES / "issue-200.pdf")
    empty = replace(issue.articles[0], body=(), status=Status.NO_BODY)
    got = enrich_issue(replace(issue, articles=(empty,)))
    assert got.articles == (empty,)


def test_export_rows_carry_the_enrichment():
    rows = issue_rows(enrich_issue(parse_issue(SAMPLES / "issue-200.pdf")))
    row = next(r for r in rows if r["title"].startswith("深圳"))
    assert (row["region"], row["regions"]) == ("广东", ["广东"])
    assert len(row["keywords"]) == 6 and row["summary"].startswith("近日，由深圳市工信局")


def _varied_issues():
    from conftest import REPO

    paths = [SAMPLES / "issue-200.pdftotext-layout.txt", *sorted((REPO / "tests" / "data").glob("*.txt"))]
    return [parse_issue(p) for p in paths]


def test_mentions_read_with_no_home_are_reused_only_where_the_home_changes_nothing():
    """enrich_issue reads each article's regions with no home (the evidence for the home) and
    reuses them unless a token names the home grouping; the result must be what reading them
    again with the home gives, for every article."""
    from digest import enrich, regions

    reread = 0
    for issue in _varied_issues():
        got = enrich_issue(issue)
        cuts = [enrich._cut(a) if a.body else None for a in issue.articles]
        home = enrich.home_of(issue, cuts)
        assert got.home == (home.name if home else None)
        for article, cut, done in zip(issue.articles, cuts, got.articles):
            assert done == enrich.enrich_article(article, home=home, cut=cut), article.title
            if cut and home and any(regions.names_grouping(t, home) for t in
                                    (cut.title, cut.lead, cut.body)):
                reread += 1
    assert reread >= 3  # articles naming their home grouping (长三角, 京津冀) were read again


def test_a_token_naming_the_home_grouping_changes_the_mentions():
    from digest import gazetteer, regions, tokens

    home = gazetteer.load().groupings["长三角"]
    text = tokens.cut("长三角地区推进一体化")
    assert regions.names_grouping(text, home)
    assert regions.mentions(text, home=home) != regions.mentions(text)
    plain = tokens.cut("江苏推进一体化")
    assert not regions.names_grouping(plain, home)
    assert regions.mentions(plain, home=home) == regions.mentions(plain)
