"""The committed sample PDFs and their ground truth agree with each other and with the source.

These tests check the files made by scripts/make_samples.py, not the digest package: if a PDF is
regenerated without its truth file (or the source is edited without regenerating), they fail.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SOURCE = SAMPLES / "source" / "issue-200.json"
NAMES = ("issue-200", "issue-200-stale", "issue-200-notoc")
SECTION_SIZES = {"科创聚焦": 2, "经济热点": 3, "产业动向": 4, "政策举措": 5, "经验交流": 4,
                 "域外动态": 4}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache
def source() -> dict:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


@lru_cache
def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.truth.json").read_text(encoding="utf-8"))


def source_articles() -> list[tuple[str, dict]]:
    return [(s["name"], a) for s in source()["sections"] for a in s["articles"]]


def test_source_has_the_seed_issue_structure():
    sizes = {s["name"]: len(s["articles"]) for s in source()["sections"]}
    assert sizes == SECTION_SIZES
    assert source()["masthead"] == {"bulletin": "长三角每周要讯", "year": 2020, "number": 200,
                                    "total_number": None,
                                    "publisher": "浙江省人民政府驻上海办事处",
                                    "date": "2020-12-18"}
    toc = source()["toc"]
    assert [(e["section"], squash(e["title"])) for e in toc] == [
        (section, squash(a["title"])) for section, a in source_articles()]
    assert [e["page"] for e in toc][:4] == [3, 4, 4, 6]


def test_source_paragraphs_are_clean():
    for _, article in source_articles():
        assert article["paragraphs"], article["title"]
        for paragraph in article["paragraphs"]:
            assert paragraph == paragraph.strip()
            assert "\n" not in paragraph
    first_of_article_5 = source_articles()[4][1]["paragraphs"][0]
    assert "政策法规制度和支撑保障体系" in first_of_article_5  # joined across the page footer


@pytest.mark.parametrize("name", NAMES)
def test_truth_names_its_pdf(name):
    data = truth(name)
    assert data["source"] == f"{name}.pdf"
    pdf = SAMPLES / data["source"]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size < 600_000  # fonts are subset; a bigger file means they are not


@pytest.mark.parametrize("name", NAMES)
def test_truth_articles_equal_the_source(name):
    data = truth(name)
    assert data["masthead"] == source()["masthead"]
    assert [a["seq"] for a in data["articles"]] == list(range(1, 23))
    expected = [(section, a["title"], a["paragraphs"]) for section, a in source_articles()]
    assert [(a["section"], a["title"], a["body"]) for a in data["articles"]] == expected
    pages = [a["page"] for a in data["articles"]]
    assert pages == sorted(pages)


def test_toc_of_the_main_sample_prints_true_pages():
    data = truth("issue-200")
    assert [(e["section"], e["title"]) for e in data["toc"]] == [
        (e["section"], e["title"]) for e in source()["toc"]]
    assert [e["page"] for e in data["toc"]] == [a["page"] for a in data["articles"]]
    assert all(a["toc_page"] == a["page"] for a in data["articles"])
    assert data["articles"][0]["page"] == 3


def test_stale_sample_prints_the_source_pages():
    data = truth("issue-200-stale")
    printed = [e["page"] for e in source()["toc"]]
    assert [e["page"] for e in data["toc"]] == printed
    assert [a["toc_page"] for a in data["articles"]] == printed
    wrong = [a for a in data["articles"] if a["toc_page"] != a["page"]]
    assert len(wrong) >= 3


def test_notoc_sample_has_no_toc():
    data = truth("issue-200-notoc")
    assert data["toc"] == []
    assert all(a["toc_page"] is None for a in data["articles"])


@pytest.mark.parametrize("name", NAMES)
def test_titles_are_printed_on_their_truth_page(name):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(SAMPLES / f"{name}.pdf")
    for article in truth(name)["articles"]:
        page_text = squash(reader.pages[article["page"] - 1].extract_text())
        assert squash(article["title"]) in page_text, (name, article["seq"])
