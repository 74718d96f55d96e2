"""The enrichment stage: each article of a parsed issue gains its regions, keywords and summary.

Each article is segmented once (title, opening sentence, body) and the tokens are shared by the
three steps. Articles without a body (a TOC entry never found) are left as they are.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from digest import gazetteer, keywords, regions, summarize, tokens
from digest import sentences as sentence_split
from digest.models import Article, Issue


def enrich_article(article: Article, *, max_chars: int = summarize.MAX_CHARS,
                   keywords_count: int = keywords.DEFAULT_COUNT,
                   idf: keywords.Idf | None = None) -> Article:
    """``article`` with region, regions, keywords and summary filled."""
    if not article.body:
        return article
    gaz = gazetteer.load()
    sents = sentence_split.split(article.body)
    title_tokens = tokens.cut(article.title)
    body_tokens = tokens.cut(article.text)
    lead_tokens = tokens.cut(sents[0]) if sents else []
    found = regions.locate(title_tokens, lead_tokens, body_tokens, article.section, gaz)
    exclude = gaz.names_of(found.regions)
    weights = keywords.weights(gaz.join_org_names(title_tokens), gaz.join_org_names(body_tokens),
                               idf=idf, exclude=exclude)
    return replace(
        article,
        region=found.region,
        regions=found.regions,
        keywords=keywords.top(weights, keywords_count),
        summary=summarize.from_sentences(article.title, sents, max_chars=max_chars,
                                        weights=weights),
    )


def enrich_issue(issue: Issue, *, max_chars: int = summarize.MAX_CHARS,
                 keywords: int = keywords.DEFAULT_COUNT,
                 idf: keywords.Idf | None = None) -> Issue:
    """``issue`` with every article's region, regions, keywords and summary filled."""
    articles = tuple(enrich_article(a, max_chars=max_chars, keywords_count=keywords, idf=idf)
                     for a in issue.articles)
    return replace(issue, articles=articles)


def read_issue(path: str | Path, *, password: str | None = None,
               max_chars: int = summarize.MAX_CHARS, keywords: int = keywords.DEFAULT_COUNT,
               idf: keywords.Idf | None = None) -> Issue:
    """Parse an issue file, then enrich it: what ``digest add``, ``export`` and ``summary`` read.

    The one place where the two stages are composed, so that every command sees an issue the
    same way (a file stored in the library is the file exported or summarised).
    """
    from digest.issue import parse_issue

    return enrich_issue(parse_issue(path, password=password), max_chars=max_chars,
                        keywords=keywords, idf=idf)
