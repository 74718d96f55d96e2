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
