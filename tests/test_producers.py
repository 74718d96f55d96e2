"""The parser on other producers than reportlab: an office-suite PDF (LibreOffice, from
scripts/make_office_sample.py) and the text of the samples as poppler's pdftotext writes it
(with -layout, and plain; the TOC-less sample's text is found by title detection alone). All 22 articles of each are checked against the ground
truth like tests/test_issue.py does: section, title, page, TOC page and paragraphs (compact).

What cannot work is marked ``xfail(strict=True)`` with the cause, so that the failure stays
visible and a fix shows up as an XPASS to unmark.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

import pytest
from conftest import SAMPLES, truth

from digest.issue import parse_issue
from digest.models import Status
from digest.text import compact

OFFICE = "issue-200-office.pdf"
LAYOUT = "issue-200.pdftotext-layout.txt"
PLAIN = "issue-200-stale.pdftotext.txt"
NOTOC_LAYOUT = "issue-200-notoc.pdftotext-layout.txt"
NOTOC_PLAIN = "issue-200-notoc.pdftotext.txt"
OFFICE_LAYOUT = "issue-200-office.pdftotext-layout.txt"
# Each sample and the PDF whose ground truth it shares (a text is its PDF's extraction).
PRODUCERS = {OFFICE: OFFICE, LAYOUT: "issue-200.pdf", PLAIN: "issue-200-stale.pdf",
             NOTOC_LAYOUT: "issue-200-notoc.pdf", NOTOC_PLAIN: "issue-200-notoc.pdf",
             OFFICE_LAYOUT: OFFICE}

AMBIGUOUS = ("plain pdftotext drops first-line indents; this near-full-width title followed by a "
             "first line that ends a sentence reads as a title then a one-line paragraph: "
             "without the indent the two cannot be told apart")

XFAIL: dict[tuple[str, int], str] = {(PLAIN, 9): AMBIGUOUS}
TOC_XFAIL: dict[str, str] = {}
PAGES_XFAIL: dict[str, str] = {}
STATUS_XFAIL: dict[str, str] = {}


@lru_cache
def parsed(name: str):
    return parse_issue(SAMPLES / name)


def row(article) -> tuple:
    return (article.section, compact(article.title), article.page, article.toc_page,
            [compact(p) for p in article.body])


def expected_row(entry: dict) -> tuple:
    return (entry["section"], compact(entry["title"]), entry["page"], entry["toc_page"],
            [compact(p) for p in entry["body"]])


def marked(cases, reasons):
    """pytest params, xfail(strict) where ``reasons`` names the case."""
    out = []
    for case in cases:
        values = case if isinstance(case, tuple) else (case,)
        marks = [pytest.mark.xfail(strict=True, reason=reasons[case])] if case in reasons else []
        out.append(pytest.param(*values, marks=marks))
    return out


ARTICLE_CASES = [(name, seq) for name in PRODUCERS for seq in range(1, 23)]


@pytest.mark.parametrize(("name", "seq"), marked(ARTICLE_CASES, XFAIL))
def test_article(name, seq):
    articles = parsed(name).articles
    assert len(articles) >= seq
    assert row(articles[seq - 1]) == expected_row(truth(PRODUCERS[name])["articles"][seq - 1])


@pytest.mark.parametrize("name", marked(list(PRODUCERS), TOC_XFAIL))
def test_printed_toc(name):
    got = [(e.section, compact(e.title), e.page) for e in parsed(name).toc]
    assert got == [(e["section"], compact(e["title"]), e["page"]) for e in truth(PRODUCERS[name])["toc"]]


@pytest.mark.parametrize("name", list(PRODUCERS))
def test_masthead(name):
    m = parsed(name).masthead
    want = truth(PRODUCERS[name])["masthead"]
    assert (m.bulletin, m.year, m.number, m.publisher, m.date.isoformat()) == (
        want["bulletin"], want["year"], want["number"], want["publisher"], want["date"])


@pytest.mark.parametrize("name", marked(list(PRODUCERS), PAGES_XFAIL))
def test_page_count(name):
    from pypdf import PdfReader

    assert parsed(name).pages == len(PdfReader(SAMPLES / PRODUCERS[name]).pages)


@pytest.mark.parametrize("name", marked(list(PRODUCERS), STATUS_XFAIL))
def test_wrong_toc_pages_are_called_out(name):
    """Exactly the articles whose printed TOC page differs from where they start (the stale
    sample's eight) are WRONG_PAGE."""
    issue = parsed(name)
    want = [e["seq"] for e in truth(PRODUCERS[name])["articles"]
            if e["toc_page"] is not None and e["page"] != e["toc_page"]]
    assert [a.seq for a in issue.articles if a.status is Status.WRONG_PAGE] == want
    assert len(issue.articles) == 22


def test_office_truth_pages_hold_their_titles():
    """The office truth, checked without digest: pypdf's plain text of the page the truth
    names holds the whole title, and the page before does not."""
    from pypdf import PdfReader

    pages = [compact(p.extract_text()) for p in PdfReader(SAMPLES / OFFICE).pages]
    for entry in truth(OFFICE)["articles"]:
        assert compact(entry["title"]) in pages[entry["page"] - 1]
        assert compact(entry["title"]) not in pages[entry["page"] - 2]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
@pytest.mark.parametrize(("name", "args"), [(LAYOUT, ["-layout"]), (PLAIN, []), (NOTOC_LAYOUT, ["-layout"]),
                                            (NOTOC_PLAIN, []), (OFFICE_LAYOUT, ["-layout"])])
def test_text_samples_are_pdftotext_of_the_committed_pdfs(name, args):
    out = subprocess.run(["pdftotext", *args, "-enc", "UTF-8", str(SAMPLES / PRODUCERS[name]), "-"],
                         check=True, capture_output=True, text=True).stdout
    assert out == (SAMPLES / name).read_text("utf-8")
