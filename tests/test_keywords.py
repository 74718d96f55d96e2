"""Keywords: the filters hold on real articles, TF-IDF ranks, the IDF is a swappable value."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLES

from digest import enrich, gazetteer, keywords, tokens
from digest.models import Article, Status

NUMBERISH = re.compile(r"^[\d０-９.%％\-]+|[年月日]$")


def sample_articles() -> list[Article]:
    truth = json.loads((SAMPLES / "issue-200.truth.json").read_text("utf-8"))
    return [Article(a["seq"], a["section"], a["title"], a["page"], a["toc_page"], 100.0,
                    Status.OK, tuple(a["body"])) for a in truth["articles"]]


@pytest.mark.parametrize("token", ["2020", "12月", "5%", "3-5", "1.17", "第三", "六大", "五个",
                                   "五方面", "万元", "30余家", "推进", "进一步", "工作", "近日", "的",
                                   "，", "委将", "将建"])
def test_noise_is_never_a_candidate(token):
    assert not keywords.is_candidate(token)


@pytest.mark.parametrize("token", ["生物医药", "G60", "5G", "临港新片区", "工伤保险", "GOP"])
def test_content_words_are_candidates(token):
    assert keywords.is_candidate(token)


def test_filters_hold_on_every_sample_article():
    gaz = gazetteer.load()
    stop, units = keywords.stopwords(), keywords.units()
    for article in sample_articles():
        got = enrich.enrich_article(article)
        assert 5 <= len(got.keywords) <= 8, (article.title, got.keywords)
        own_names = gaz.names_of(got.regions)
        for word in got.keywords:
            assert word not in stop and word not in units and word not in own_names
            assert not NUMBERISH.search(word), (article.title, word)
        assert len(set(got.keywords)) == len(got.keywords)


def test_keyword_count_follows_the_argument():
    article = sample_articles()[2]
    assert len(enrich.enrich_article(article, keywords_count=8).keywords) == 8
    assert len(enrich.enrich_article(article, keywords_count=5).keywords) == 5


def test_title_words_and_rare_words_rank_first():
    title = tokens.cut("江苏启动环保脸谱管理系统")
    body = tokens.cut("环保脸谱包括政府环保脸谱和企业环保脸谱。系统今年试运行，工作有序推进。")
    got = keywords.extract(title, body, k=3, exclude=gazetteer.load().names_of(["江苏"]))
    assert got[:2] == ("脸谱", "环保")
    assert "江苏" not in got and "推进" not in got


def test_a_word_inside_a_better_keyword_is_left_out():
    assert keywords.top({"智能航运": 3.0, "智能": 2.0, "航运": 1.5, "港口": 1.0}, 3) == (
        "智能航运", "港口")


def test_idf_built_from_documents_favours_rare_words():
    docs = [["上海", "基金"], ["上海", "养老"], ["上海", "人才"]]
    idf = keywords.Idf.from_documents(docs)
    assert idf("养老") > idf("上海") > 0
    assert idf("没见过") == idf.default
    weights = keywords.weights(["养老"], ["上海", "养老", "上海"], idf=idf)
    assert max(weights, key=weights.get) == "养老"


def test_jieba_idf_is_the_default():
    idf = keywords.default_idf()
    assert idf("生物医药") > idf("发展") and idf("没有这个词吧") == idf.default
