"""The structure stage: a Document's lines → an Issue (masthead, printed TOC, articles).

The body is everything after the printed TOC. TOC titles are found in it (``match``); the
stretches between them are searched for titles the TOC leaves out (``titles``); then each
article's body runs from its title to the next title or section heading. Each article carries
the printed page its title stands on and the page the TOC claims, so the rebuilt TOC can say
where the printed one is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from digest.errors import NotABulletinError
from digest.masthead import MASTHEAD_MAX_LINES, read_masthead
from digest.match import TitleMatch, match_titles
from digest.models import Article, Document, Issue, Line, Status, TocEntry
from digest.paragraphs import join_lines, paragraphs, uses_indents
from digest.text import key
from digest.titles import find_headings
from digest.toc import find_toc

# A title matched below this score is reported, so that a user can check it.
WEAK_MATCH = 90.0


@dataclass(frozen=True)
class _Title:
    start: int
    stop: int
    entry: int | None  # TOC entry index, None for a title the TOC leaves out
    score: float | None
    section: str | None = None  # section heading seen in the body above it


def parse_issue(path: str | Path, *, password: str | None = None) -> Issue:
    """Read a bulletin issue (PDF or text extraction, or ``-`` for stdin) into its structure."""
    from digest.source import read_document

    return build_issue(read_document(path, password=password))


def parse_text(text: str, source: str = "-") -> Issue:
    """Parse an issue from an already decoded text extraction."""
    import hashlib

    from digest.pages import from_text

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_issue(from_text(text, source, sha))


def build_issue(doc: Document) -> Issue:
    lines = [ln for page in doc.pages for ln in page.lines]
    toc = find_toc(lines)
    entries = list(toc.entries) if toc else []
    head = lines[: toc.start] if toc else [ln for ln in lines[:MASTHEAD_MAX_LINES] if ln.page == lines[0].page]
    masthead, head_end = read_masthead(head)
    body_start = toc.end if toc else head_end
    titles, section_starts = _titles(lines, body_start, entries, doc.has_layout)
    if not titles and not entries:
        raise NotABulletinError(f"{doc.source}: no table of contents and no article titles found; "
                                "is this a news bulletin?")
    articles, warnings = _articles(doc, lines, titles, entries,
                                   _section_lines(lines, entries, body_start), section_starts)
    return Issue(doc.source, doc.sha256, masthead, tuple(entries), tuple(articles),
                 pages=len(doc.pages), warnings=tuple(doc.warnings) + tuple(warnings))


def _section_lines(lines: list[Line], entries: list[TocEntry], start: int) -> dict[int, str]:
    """Body lines that repeat a TOC section heading."""
    names = {key(e.section): e.section for e in entries if e.section}
    return {i: names[key(ln.text)] for i, ln in enumerate(lines[start:], start) if key(ln.text) in names}


def _titles(lines: list[Line], start: int, entries: list[TocEntry],
            layout_known: bool) -> tuple[list[_Title], set[int]]:
    """Article titles in the body, and the lines that are section headings."""
    matched = match_titles(entries, lines, start)
    found = [_Title(m.start, m.stop, m.entry, m.score) for m in matched]
    bounds = [start, *[t.start for t in found], len(lines)]
    stops = [start, *[t.stop for t in found]]
    extra: list[_Title] = []
    sections = set(_section_lines(lines, entries, start))
    headings = []
    for lo, hi in zip(stops, bounds[1:]):
        headings += find_headings(lines, lo, hi, layout_known=layout_known)
    for h in headings:
        if h.section or h.start in sections:
            sections.add(h.start)
        else:
            extra.append(_Title(h.start, h.stop, None, None))
    titles = sorted(found + extra, key=lambda t: t.start)
    if not entries:
        titles = _with_sections(lines, titles, headings)
    return titles, sections


def _with_sections(lines: list[Line], titles: list[_Title], headings) -> list[_Title]:
    """Without a TOC, section names come from section headings found in the body."""
    sections = sorted((h.start, join_lines([lines[h.start].text])) for h in headings if h.section)
    out = []
    for t in titles:
        above = [name for start, name in sections if start < t.start]
        out.append(_Title(t.start, t.stop, t.entry, t.score, _section_name(above[-1]) if above else None))
    return out


def _section_name(text: str) -> str:
    """"【科创聚焦】" and "一、科创聚焦" name the section 科创聚焦."""
    return re.sub(r"^(?:[一二三四五六七八九十]+[、.．]\s*)", "", text).strip("【】[]〔〕 ")


def _articles(doc: Document, lines: list[Line], titles: list[_Title], entries: list[TocEntry],
              section_lines: dict[int, str], section_starts: set[int]):
    warnings: list[str] = []
    articles: list[Article] = []
    matched = {t.entry for t in titles if t.entry is not None}
    boundaries = sorted({t.start for t in titles} | set(section_lines) | section_starts)
    section = None
    indents = uses_indents(lines)
    for t in titles:
        section = _section_for(t, entries, section_lines, section)
        stop = next((b for b in boundaries if b >= t.stop), len(lines))
        articles.append(_article(doc, lines, t, stop, entries, section, indents))
    articles = _insert_missing(articles, entries, matched)
    articles = [_renumber(a, i + 1) for i, a in enumerate(articles)]
    for a in articles:
        warnings += _warn(a)
    return articles, warnings


def _section_for(t: _Title, entries, section_lines: dict[int, str], current: str | None) -> str | None:
    if t.entry is not None:
        return entries[t.entry].section
    above = [i for i in section_lines if i < t.start]
    if t.section:
        return t.section
    return section_lines[max(above)] if above and (current is None) else current


def _article(doc: Document, lines: list[Line], t: _Title, stop: int, entries, section,
             indents: bool) -> Article:
    title = join_lines([lines[i].text for i in range(t.start, t.stop)], keep_clause_space=True)
    page = doc.pages[lines[t.start].page].number
    entry = entries[t.entry] if t.entry is not None else None
    toc_page = entry.page if entry else None
    if entry is None:
        status = Status.NOT_IN_TOC
    elif toc_page is not None and page is not None and toc_page != page:
        status = Status.WRONG_PAGE
    else:
        status = Status.OK
    return Article(seq=0, section=section, title=title, page=page, toc_page=toc_page,
                   match=t.score, status=status, body=tuple(paragraphs(lines[t.stop:stop], indents=indents)))


def _insert_missing(articles: list[Article], entries: list[TocEntry], matched: set[int]) -> list[Article]:
    """TOC entries without a body go where the TOC puts them, between their neighbours."""
    out = list(articles)
    for e, entry in enumerate(entries):
        if e in matched:
            continue
        ghost = Article(seq=0, section=entry.section, title=entry.title, page=None,
                        toc_page=entry.page, match=None, status=Status.NO_BODY)
        before = [i for i, a in enumerate(out) if a.toc_page is not None and a.status != Status.NOT_IN_TOC
                  and _entry_index(entries, a) is not None and _entry_index(entries, a) < e]
        out.insert(before[-1] + 1 if before else 0, ghost)
    return out


def _entry_index(entries: list[TocEntry], a: Article) -> int | None:
    for i, e in enumerate(entries):
        if e.title == a.title or (e.page == a.toc_page and e.section == a.section and key(e.title) == key(a.title)):
            return i
    return None


def _renumber(a: Article, seq: int) -> Article:
    from dataclasses import replace

    return replace(a, seq=seq)


def _warn(a: Article) -> list[str]:
    if a.status == Status.NO_BODY:
        return [f"TOC entry “{a.title}” (page {a.toc_page}) matches no title in the body"]
    if a.status == Status.WRONG_PAGE:
        return [f"“{a.title}” starts on page {a.page}, the printed TOC says {a.toc_page}"]
    if a.status == Status.NOT_IN_TOC and a.toc_page is None and a.match is None:
        return []
    if a.match is not None and a.match < WEAK_MATCH:
        return [f"“{a.title}” matched its TOC entry with a score of only {a.match:.0f}"]
    return []
