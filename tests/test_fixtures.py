"""Real Chinese PDFs from public test suites (../shared/fixtures/real-pdfs; skipped when absent)."""

import re

import pytest
from conftest import FIXTURES, fixture_pdf, need

from digest.errors import DigestError
from digest.issue import parse_issue
from digest.source import read_document
from digest.text import compact, normalize


def page_text(doc, index=0) -> str:
    return "\n".join(ln.text for ln in doc.pages[index].lines)


def test_xiaobiaosong_toc_reads_as_its_reference():
    """GBK fonts without a ToUnicode map: Latin-1 mojibake re-decoded. The page number "１" at
    the top is the page's header, so it is taken off the page and becomes its number."""
    doc = read_document(fixture_pdf("pdfjs__XiaoBiaoSong.pdf"))
    reference = need(FIXTURES / "text" / "pdfjs__XiaoBiaoSong.reference.txt").read_text("utf-8")
    first, rest = reference.split("\n", 1)
    assert doc.pages[0].number == int(normalize(first))
    assert compact(page_text(doc)) == compact(normalize(rest))


def test_xiaobiaosong_parses_as_a_toc_of_nine_entries():
    issue = parse_issue(fixture_pdf("pdfjs__XiaoBiaoSong.pdf"))
    assert [e.page for e in issue.toc] == [1, 3, 6, 8, 11, 13, 15, 19, 21]
    assert issue.toc[0].title == "关于红军作战的原则"
    assert issue.toc[-1].title == "关于在山西开展游击战争的意见"
    assert all(a.status.value == "no-body" for a in issue.articles)  # a TOC page alone


def test_simfang_masthead_line_is_re_decoded():
    doc = read_document(fixture_pdf("pdfjs__SimFang-variant.pdf"))
    reference = need(FIXTURES / "text" / "pdfjs__SimFang-variant.reference.txt").read_text("utf-8")
    assert compact(page_text(doc)) == compact(reference)


def expected_strings() -> dict:
    path = need(FIXTURES / "text" / "pdfplumber__issue-71-duplicate-chars.expected.txt")
    pairs = (line.split(": ", 1) for line in path.read_text("utf-8").splitlines() if ": " in line
             and not line.startswith("#"))
    return dict(pairs)


def test_fake_bold_page_reads_as_pdfplumbers_expected_strings():
    doc = read_document(fixture_pdf("pdfplumber__issue-71-duplicate-chars.pdf"))
    strings = expected_strings()
    lines = [ln.text for ln in doc.pages[0].lines]
    assert compact(lines[-1]) == compact(strings["dedup_last_line"])
    assert lines[-1].endswith(strings["dedup_last_word"])
    assert compact(strings["raw_last_word"]) not in compact(page_text(doc))
    # pypdf's plain extraction repeats every line (drawn twice); here each comes out once.
    assert all(a != b for a, b in zip(lines, lines[1:]))


def test_running_header_and_bare_page_numbers_are_furniture():
    doc = read_document(fixture_pdf("pdfplumber__issue-67-example.pdf"))
    assert [p.number for p in doc.pages] == list(range(1, 23))
    header = "东北电气发展股份有限公司 2018 年第一季度报告全文"
    assert not any(compact(header) == compact(ln.text) for p in doc.pages for ln in p.lines)
    assert not any(re.fullmatch(r"\d+", ln.text) for p in doc.pages for ln in (p.lines[:1] + p.lines[-1:]))


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "pdf").glob("*.pdf"))
                         if (FIXTURES / "pdf").exists() else ["absent"])
def test_no_real_pdf_crashes(name):
    """Each either parses or fails with a DigestError a user can read; nothing else."""
    path = fixture_pdf(name)
    try:
        issue = parse_issue(path)
    except DigestError as exc:
        assert path.name in str(exc)
    else:
        assert issue.pages >= 1
        assert all(a.title.strip() for a in issue.articles)
