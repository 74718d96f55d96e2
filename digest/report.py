"""The per-region digest: enriched issues grouped by region, as plain text, Markdown or JSON.

Regions come in the order a reader of the bulletin expects: the provinces of its home grouping
(groupings.tsv; for a 长三角 bulletin 上海, 江苏, 浙江, 安徽), then the grouping itself (subjects
spanning them), then every other region by how many articles it has (ties keep the order of
first appearance), and last the articles no region was found for. Several issues are merged:
one heading per region, the articles in issue order, under the home most of them share.

No rich, no typer: the CLI decides how to print these strings and values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digest.models import Article, Issue, Masthead
from digest.sanitize import md_inline, md_text

UNPLACED = "未定地区"  # heading for articles whose text names no region
KEYWORD_JOINER = "、"


@dataclass(frozen=True)
class Entry:
    issue: Issue
    article: Article


@dataclass(frozen=True)
class RegionGroup:
    region: str
    entries: tuple[Entry, ...]


def group_by_region(issues: Sequence[Issue], only: Iterable[str] = ()) -> list[RegionGroup]:
    """Articles with a body, grouped by primary region; ``only`` keeps just those regions."""
    wanted = set(only)
    groups: dict[str, list[Entry]] = {}
    for issue in issues:
        for article in issue.articles:
            region = article.region or UNPLACED
            if article.body and (not wanted or region in wanted):
                groups.setdefault(region, []).append(Entry(issue, article))
    return [RegionGroup(r, tuple(groups[r])) for r in region_order(groups, home_order(issues))]


def home_order(issues: Sequence[Issue]) -> tuple[str, ...]:
    """The members of the home grouping most ``issues`` share, then the grouping's name."""
    homes = Counter(i.home for i in issues if i.home)
    if not homes:
        return ()
    from digest import gazetteer  # only here: the order of a digest needs the groupings

    grouping = gazetteer.load().groupings[homes.most_common(1)[0][0]]
    return (*grouping.members, grouping.name)


def region_order(groups: dict[str, list], home: Sequence[str] = ()) -> list[str]:
    """The home grouping's provinces and its name, others by count (stable), unplaced last."""
    first = [r for r in home if r in groups]
    others = [r for r in groups if r not in home and r != UNPLACED]
    others.sort(key=lambda r: -len(groups[r]))
    return first + others + ([UNPLACED] if UNPLACED in groups else [])


def masthead_label(m: Masthead, source: str) -> str:
    """长三角每周要讯 2020 年第 200 期 (the file name when the masthead was not read)."""
    name = m.bulletin or source
    if m.year and m.number:
        return f"{name} {m.year} 年第 {m.number} 期"
    return f"{name} 第 {m.number} 期" if m.number else name


def issue_line(issue: Issue) -> str:
    m = issue.masthead
    parts = [m.publisher, m.date.isoformat() if m.date else None,
             f"{sum(1 for a in issue.articles if a.body)} 篇"]
    return " · ".join(p for p in parts if p)


def where(entry: Entry, several: bool) -> str:
    a = entry.article
    parts = []
    if several:
        parts.append(masthead_label(entry.issue.masthead, entry.issue.source))
    if a.page is not None:
        parts.append(f"第 {a.page} 页")
    if a.section:
        parts.append(a.section)
    return " · ".join(parts)


def to_markdown(issues: Sequence[Issue], groups: Sequence[RegionGroup]) -> str:
    """A Markdown digest to paste into a weekly report, the masthead on top.

    Bulletin text is escaped (:mod:`digest.sanitize`): a title renders as text, never as markup.
    """
    several = len(issues) > 1
    out = ["# " + md_inline("；".join(masthead_label(i.masthead, i.source) for i in issues)), ""]
    out += [md_text(f"{masthead_label(i.masthead, i.source)}：{issue_line(i)}" if several
                    else issue_line(i)) for i in issues]
    for group in groups:
        out += ["", f"## {md_inline(group.region)}（{len(group.entries)} 篇）"]
        for entry in group.entries:
            a = entry.article
            out += ["", f"### {md_inline(a.title)}", "", f"*{md_inline(where(entry, several))}*", ""]
            out.append(md_text(a.summary or ""))
            if a.keywords:
                out += ["", md_text("关键词：" + KEYWORD_JOINER.join(a.keywords))]
    return "\n".join(out) + "\n"


def to_text(issues: Sequence[Issue], groups: Sequence[RegionGroup]) -> str:
    """The digest as plain indented text, for pipes and plain terminals."""
    several = len(issues) > 1
    out = [f"{masthead_label(i.masthead, i.source)}  {issue_line(i)}" for i in issues]
    for group in groups:
        out += ["", f"{group.region} ({len(group.entries)})"]
        for entry in group.entries:
            a = entry.article
            out.append(f"  {a.title}  [{where(entry, several)}]")
            out.append(f"    {a.summary or ''}")
            if a.keywords:
                out.append("    关键词：" + KEYWORD_JOINER.join(a.keywords))
    return "\n".join(out) + "\n"


def to_json(issues: Sequence[Issue], groups: Sequence[RegionGroup]) -> dict:
    """The digest as plain values for ``json.dumps``."""
    return {
        "issues": [_issue_json(i) for i in issues],
        "regions": [{"region": g.region, "count": len(g.entries),
                     "articles": [_article_json(e) for e in g.entries]} for g in groups],
    }


def _issue_json(issue: Issue) -> dict:
    m = issue.masthead
    return {"source": issue.source, "bulletin": m.bulletin, "year": m.year, "issue": m.number,
            "date": m.date.isoformat() if m.date else None, "publisher": m.publisher,
            "home": issue.home}


def _article_json(entry: Entry) -> dict:
    a = entry.article
    return {"source": entry.issue.source, "issue": entry.issue.masthead.number, "seq": a.seq,
            "section": a.section, "title": a.title, "page": a.page, "region": a.region,
            "regions": list(a.regions), "keywords": list(a.keywords), "summary": a.summary}
