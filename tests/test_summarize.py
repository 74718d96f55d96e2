"""Sentences and summaries: verbatim, in order, within the limit, never split inside quotes;
and better than Lead-1 on the labelled set (ROUGE-1/2 on characters)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge import mean_f1, rouge_n

from digest import enrich, sentences, summarize
from digest.models import Article, Status

DATA = Path(__file__).parent / "data"
LABELLED = [json.loads(ln) for ln in (DATA / "regions_labelled.jsonl").read_text("utf-8").splitlines()]


def article(title: str, body, section=None) -> Article:
    return Article(1, section, title, 1, 1, 100.0, Status.OK, tuple(body))


def sample_articles() -> list[Article]:
    truth = json.loads((SAMPLES / "issue-200.truth.json").read_text("utf-8"))
    return [article(a["title"], a["body"], a["section"]) for a in truth["articles"]]


# --- sentences ---------------------------------------------------------------------------------

def test_sentences_end_at_the_four_terminators_not_at_commas():
    assert sentences.split_paragraph("甲，乙。丙！丁？戊；己") == ["甲，乙。", "丙！", "丁？", "戊；", "己"]


def test_no_split_inside_quotes_or_brackets():
    text = "印发《关于做好修复工作。实现“一口受理。”的通知》。他说：“要快。要好！”随后散会。"
    assert sentences.split_paragraph(text) == [
        "印发《关于做好修复工作。实现“一口受理。”的通知》。", "他说：“要快。要好！”", "随后散会。"]
    assert sentences.split_paragraph("费率（试行；暂定）执行。完") == ["费率（试行；暂定）执行。", "完"]


def test_a_stray_quote_does_not_swallow_the_next_paragraph():
    assert sentences.split(["他说“要快。", "第二段。第三句。"]) == ["他说“要快。", "第二段。", "第三句。"]


def _split_char_by_char(paragraph: str) -> list[str]:
    """split_paragraph as first written: every character through the bracket tracker."""
    out, stack, start = [], [], 0
    for i, ch in enumerate(paragraph):
        ended = sentences._track(stack, ch, paragraph[i - 1] if i else "")
        if ended or (ch in sentences.TERMINATORS and not stack):
            out.append(paragraph[start:i + 1])
            start = i + 1
    out.append(paragraph[start:])
    return [s.strip() for s in out if s.strip()]


_MARKS = "".join(sorted(sentences.TERMINATORS | set(sentences.OPENERS) | sentences.CLOSERS
                        | sentences.SYMMETRIC))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(_MARKS + "甲乙丙 ，、\n\t-.a1"), max_size=60))
def test_sentences_scanned_mark_to_mark_are_those_read_char_by_char(paragraph):
    assert sentences.split_paragraph(paragraph) == _split_char_by_char(paragraph)


def test_sentences_of_the_sample_are_those_read_char_by_char():
    paragraphs = [p for a in sample_articles() for p in a.body]
    assert len(paragraphs) > 50
    for p in paragraphs:
        assert sentences.split_paragraph(p) == _split_char_by_char(p), p


def test_sentences_are_verbatim_slices():
    for a in sample_articles():
        for s in sentences.split(a.body):
            assert s in a.text


# --- summaries ---------------------------------------------------------------------------------

def assert_extractive(a: Article, summary: str, max_chars: int) -> None:
    assert summary and len(summary) <= max_chars, (a.title, summary)
    if summary.endswith(summarize.ELLIPSIS):  # the documented fallback: a verbatim prefix
        assert summary[:-1] in a.text
        return
    body = sentences.split(a.body)
    picked = sentences.split([summary])
    positions = [body.index(s) for s in picked]  # ValueError if a sentence is not verbatim
    assert positions == sorted(set(positions)), (a.title, "order or duplicates")


@pytest.mark.parametrize("max_chars", [60, 120, 200])
def test_summaries_of_the_sample_are_whole_sentences_in_order_within_the_limit(max_chars):
    for a in sample_articles():
        assert_extractive(a, enrich.enrich_article(a, max_chars=max_chars).summary, max_chars)


def test_summaries_of_the_labelled_set_are_extractive():
    for case in LABELLED:
        a = article(case["title"], case["body"], case["section"])
        assert_extractive(a, enrich.enrich_article(a).summary, summarize.MAX_CHARS)


def test_the_lead_is_kept_when_it_fits():
    body = ["12月16日，上海启动养老新举措。一是安装智能水表。二是安装烟感报警器。"]
    assert summarize.summarize("上海推养老新举措", body, max_chars=40) == "12月16日，上海启动养老新举措。"


def test_a_duplicated_sentence_is_taken_once():
    body = ["上海发布养老新举措，惠及独居老人。", "上海发布养老新举措，惠及独居老人。", "另有安排。"]
    got = summarize.summarize("上海发布养老新举措", body, max_chars=200)
    assert got.count("上海发布养老新举措") == 1


def test_a_list_introduction_is_not_chosen_over_a_real_sentence():
    body = ["上海启动全球营运商计划，集聚高能级市场主体。", "具体包括：", "一是打造服务高地。"]
    got = summarize.summarize("上海启动全球营运商计划", body, max_chars=200)
    assert got == "上海启动全球营运商计划，集聚高能级市场主体。"


def test_a_long_lead_gives_way_to_a_shorter_good_sentence():
    lead = "上海市" + "，".join(["推进养老服务体系建设"] * 8) + "。"
    body = [lead + "上海智慧养老新举措覆盖全市独居老人。"]
    got = summarize.summarize("上海智慧养老新举措", body, max_chars=40)
    assert got == "上海智慧养老新举措覆盖全市独居老人。"


def test_when_nothing_fits_the_best_sentence_is_cut_at_a_clause():
    sentence = "上海市推出智慧养老新举措，为独居老人安装智能水表，安装烟感报警器，试点智能门磁。"
    got = summarize.summarize("上海推智慧养老新举措", [sentence], max_chars=30)
    assert got == "上海市推出智慧养老新举措，为独居老人安装智能水表…"
    assert len(got) <= 30


def test_empty_body_gives_an_empty_summary():
    assert summarize.summarize("标题", []) == ""


# --- ROUGE against Lead-1 ----------------------------------------------------------------

def test_rouge_on_characters():
    assert rouge_n("上海发布", "上海发布", 1) == (1.0, 1.0, 1.0)
    p, r, f = rouge_n("上海，发布", "上海发布规划", 2)  # punctuation is dropped
    assert (p, r) == (1.0, 3 / 5) and f == pytest.approx(0.75)


def scores() -> dict[str, tuple[float, float]]:
    ours, lead = [], []
    for case in LABELLED:
        a = article(case["title"], case["body"], case["section"])
        ours.append((enrich.enrich_article(a).summary, case["summary"]))
        lead.append((sentences.split(case["body"])[0], case["summary"]))
    return {name: (mean_f1(pairs, 1), mean_f1(pairs, 2)) for name, pairs in
            (("ours", ours), ("lead1", lead))}


def test_summaries_beat_lead_1_on_the_labelled_set():
    got = scores()
    assert got["ours"][0] >= got["lead1"][0] and got["ours"][1] >= got["lead1"][1], got


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("长三角一体化，。 a1Ｂ２_-“”\n"), max_size=40))
def test_bigrams_are_the_pairs_of_neighbouring_letters_and_digits(text):
    chars = [c for c in text if c.isalnum()]
    assert summarize.bigrams(text) == {a + b for a, b in zip(chars, chars[1:])}
    assert summarize.bigrams("长三角，一体化！") == {"长三", "三角", "角一", "一体", "体化"}
