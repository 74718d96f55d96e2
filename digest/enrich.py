"""The enrichment stage: each article of a parsed issue gains its regions, keywords and summary.

Each article is segmented once (title, body; the opening sentence's tokens are the body's first
ones where jieba gives the same: ``tokens.cut_with_head``) and the tokens are shared by the
three steps. Articles without a body (a TOC entry never found) are left as they are.

An issue is read in two passes over those tokens: first every article's main region with no
home grouping, which with the masthead is the evidence for the issue's home grouping
(``regions.infer_home``); then the regions again with that home, and keywords and summaries.
Only the cheap region lookup runs twice, and only for the articles whose tokens name the home
grouping itself (the one thing the home changes in what they mention); segmenting runs once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from digest import gazetteer, keywords, regions, summarize, tokens
from digest import sentences as sentence_split
from digest.gazetteer import Grouping
from digest.models import Article, Issue


@dataclass(frozen=True)
class _Cut:
    sentences: list[str]
    title: list[str]
    lead: list[str]
    body: list[str]


def _cut(article: Article) -> _Cut:
    sents = sentence_split.split(article.body)
    lead, body = tokens.cut_with_head(article.text, sents[0]) if sents else ([], tokens.cut(
        article.text))
    return _Cut(sents, tokens.cut(article.title), lead, body)


def _grouping(home: Grouping | str | None) -> Grouping | None:
    if home is None or isinstance(home, Grouping):
        return home
    if home == regions.NO_HOME:
        return None
    return gazetteer.load().groupings[home]


def enrich_article(article: Article, *, max_chars: int = summarize.MAX_CHARS,
                   keywords_count: int = keywords.DEFAULT_COUNT,
                   idf: keywords.Idf | None = None, home: Grouping | str | None = None,
                   cut: _Cut | None = None, levels: regions.Levels | None = None) -> Article:
    """``article`` with region, regions, keywords and summary filled; ``home`` is the home
    grouping of its bulletin (a name from groupings.tsv), None for none. ``levels``: its
    mentions read with that home already (``regions.read_levels``)."""
    if not article.body:
        return article
    gaz = gazetteer.load()
    cut = cut or _cut(article)
    home = _grouping(home)
    if levels is None:
        levels = regions.read_levels(cut.title, cut.lead, cut.body, gaz, home)
    found = regions.locate_in(levels, article.section, gaz, home)
    exclude = gaz.names_of(found.regions)
    weights = keywords.weights(gaz.join_org_names(cut.title), gaz.join_org_names(cut.body),
                               idf=idf, exclude=exclude)
    return replace(
        article,
        region=found.region,
        regions=found.regions,
        keywords=keywords.top(weights, keywords_count),
        summary=summarize.from_sentences(article.title, cut.sentences, max_chars=max_chars,
                                        weights=weights),
    )


def home_of(issue: Issue, cuts: list[_Cut | None] | None = None) -> Grouping | None:
    """The issue's home grouping inferred from its masthead and articles (see ``infer_home``)."""
    if cuts is None:
        cuts = [_cut(a) if a.body else None for a in issue.articles]
    return _home_and_levels(issue, cuts)[0]


def _home_and_levels(issue: Issue, cuts: list[_Cut | None]
                     ) -> tuple[Grouping | None, list[regions.Levels | None]]:
    """``home_of``, and each article's mentions read with no home (the evidence for it)."""
    gaz = gazetteer.load()
    primaries, joint, read = [], [], []
    for article, cut in zip(issue.articles, cuts):
        if cut is None:
            read.append(None)
            continue
        read.append(regions.read_levels(cut.title, cut.lead, cut.body, gaz))
        primaries.append(regions.locate_in(read[-1], article.section, gaz).region)
        joint += regions.grouping_words(cut.title + cut.lead, gaz)
    m = issue.masthead
    evidence = regions.HomeEvidence(" ".join(filter(None, (m.bulletin, m.publisher))),
                                    tuple(primaries), tuple(joint))
    return regions.infer_home(evidence, gaz), read


def _same_with_home(levels: regions.Levels | None, cut: _Cut | None,
                    home: Grouping | None) -> regions.Levels | None:
    """Mentions read with no home, when reading them with ``home`` gives the same: no token
    names the home grouping itself (``regions.names_grouping``); else None (read again)."""
    if levels is None or cut is None or home is None:
        return levels
    gaz = gazetteer.load()
    if any(regions.names_grouping(t, home, gaz) for t in (cut.title, cut.lead, cut.body)):
        return None
    return levels


def enrich_issue(issue: Issue, *, max_chars: int = summarize.MAX_CHARS,
                 keywords: int = keywords.DEFAULT_COUNT,
                 idf: keywords.Idf | None = None, home: str | None = None) -> Issue:
    """``issue`` with every article's region, regions, keywords and summary filled, and its
    home grouping: ``home`` if given (``regions.NO_HOME`` for none), else inferred."""
    cuts = [_cut(a) if a.body else None for a in issue.articles]
    if home is None:
        grouping, read = _home_and_levels(issue, cuts)
    else:
        grouping, read = _grouping(home), [None] * len(cuts)
    articles = tuple(enrich_article(a, max_chars=max_chars, keywords_count=keywords, idf=idf,
                                    home=grouping, cut=c, levels=_same_with_home(r, c, grouping))
                     for a, c, r in zip(issue.articles, cuts, read))
    return replace(issue, articles=articles, home=grouping.name if grouping else None)


def read_issue(path: str | Path, *, password: str | None = None, max_size: int | None = None,
               max_chars: int = summarize.MAX_CHARS, keywords: int = keywords.DEFAULT_COUNT,
               idf: keywords.Idf | None = None, home: str | None = None, ocr: str = "auto",
               jobs: int = 1, progress=None, reader: str | None = None) -> Issue:
    """Parse an issue file, then enrich it: what ``digest add``, ``export`` and ``summary`` read.

    The one place where the two stages are composed, so that every command sees an issue the
    same way (a file stored in the library is the file exported or summarised). ``ocr``,
    ``jobs``, ``progress`` and ``reader`` are as for ``parse_issue``.
    """
    from digest.issue import parse_issue

    return enrich_issue(parse_issue(path, password=password, max_size=max_size, ocr=ocr, jobs=jobs,
                                    progress=progress, reader=reader),
                        max_chars=max_chars, keywords=keywords, idf=idf, home=home)
