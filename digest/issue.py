"""The structure stage: a Document's lines → an Issue (masthead, printed TOC, articles).

The closing distribution block (报：… 送：… 责任编辑：…) is cut off first: it is the issue's
``end_matter``. The body is everything after the printed TOC. TOC titles are found in it
(``match``), each extended over the lines of its style; their styles are the issue's title
styles, and the stretches between them are searched for other titles of those styles
(``titles``); then each article's body runs from its title to the next title or section
heading. A document with no TOC, no masthead and no run of titled bodies is no bulletin. Each article carries
the printed page its title stands on and the page the TOC claims, so the rebuilt TOC can say
where the printed one is wrong.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path

from digest.config import layout
from digest.errors import NotABulletinError
from digest.masthead import MASTHEAD_MAX_LINES, read_masthead
from digest.match import match_titles
from digest.models import Article, Document, Issue, Line, Status, TocEntry
from digest.paragraphs import ends_paragraph, join_lines, paragraphs, uses_indents
from digest.text import ideographs, key
from digest.titles import body_style_of, find_headings, learn_title_styles, style_of, title_extent
from digest.toc import find_toc, plain_section

# A title matched below this score is reported, so that a user can check it.
WEAK_MATCH = 90.0


@dataclass(frozen=True)
class _Title:
    start: int
    stop: int
    entry: int | None  # TOC entry index, None for a title the TOC leaves out
    score: float | None
    section: str | None = None  # section heading seen in the body above it


def parse_issue(path: str | Path, *, password: str | None = None,
                max_size: int | None = None, ocr: str = "auto", jobs: int = 1, progress=None,
                reader: str | None = None) -> Issue:
    """Read a bulletin issue (PDF or text extraction, or ``-`` for stdin) into its structure.

    ``max_size``: refuse a file larger than this many bytes (default ``DEFAULT_MAX_SIZE``).
    ``ocr`` ("auto", "always", "never"): which PDF pages are read by OCR (the ``ocr`` extra);
    ``jobs``: processes for OCR; ``progress(done, total)``: called after each OCR'd page.
    ``reader``: the PDF reader, "pypdf" (the default) or "pdfium" (``digest[fast]``).
    """
    from digest.source import DEFAULT_MAX_SIZE, read_document

    return build_issue(read_document(path, password=password, max_size=max_size or DEFAULT_MAX_SIZE,
                                     ocr=ocr, jobs=jobs, progress=progress, reader=reader))


def parse_text(text: str, source: str = "-") -> Issue:
    """Parse an issue from an already decoded text extraction."""
    import hashlib

    from digest.pages import from_text

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_issue(from_text(text, source, sha))


# A line break inside one extracted line (a damaged PDF's text run can hold one) would put a
# newline into a title and break every one-line-per-row output (TSV, tables).
_LINE_BREAK_RE = re.compile(r"[\n\r\v\f\x85\u2028\u2029]+")


def build_issue(doc: Document) -> Issue:
    lines = [ln if not _LINE_BREAK_RE.search(ln.text)
             else replace(ln, text=_LINE_BREAK_RE.sub(" ", ln.text))
             for page in doc.pages for ln in page.lines]
    lines, end_matter = split_end_matter(lines)
    toc = find_toc(lines, max_page=_last_page(doc))
    entries = list(toc.entries) if toc else []
    head = lines[: toc.start] if toc else [ln for ln in lines[:MASTHEAD_MAX_LINES] if ln.page == lines[0].page]
    masthead, head_end = read_masthead(head)
    body_start = toc.end if toc else head_end
    section_lines = _section_lines(lines, entries, body_start)
    titles, section_starts = _titles(lines, body_start, entries, section_lines, doc.has_layout)
    if not titles and not entries:
        raise NotABulletinError(f"{doc.source}: no table of contents and no article titles found; "
                                "is this a news bulletin?")
    articles, warnings = _articles(doc, lines, titles, entries, section_lines, section_starts)
    if not entries and not _has_masthead(masthead) and not _titled_bodies(articles):
        raise NotABulletinError(f"{doc.source}: no table of contents, no masthead (第…期, date) and "
                                "no run of titled Chinese articles; is this a news bulletin?")
    return Issue(doc.source, doc.sha256, masthead, tuple(entries), tuple(articles),
                 pages=len(doc.pages), warnings=tuple(doc.warnings) + tuple(warnings),
                 end_matter=end_matter, ocr_pages=doc.ocr_pages)


# Without a TOC or a masthead, a bulletin still shows a run of at least this many articles
# whose bodies hold at least this many ideographs (a README's headings have no such bodies).
MIN_TITLED_BODIES = 2
MIN_BODY_IDEOGRAPHS = 40
# ... and in which ideographs are at least this share of the letters: a Chinese article, not
# English prose quoting a few Chinese words (a README's section with an example in it).
MIN_IDEOGRAPH_SHARE = 0.5


def _has_masthead(m) -> bool:
    return m.number is not None or m.total_number is not None or m.date is not None


def _titled_bodies(articles: list[Article]) -> bool:
    bodies = [a for a in articles if (n := ideographs(a.text)) >= MIN_BODY_IDEOGRAPHS
              and n >= MIN_IDEOGRAPH_SHARE * sum(ch.isalpha() for ch in a.text)]
    return len(bodies) >= MIN_TITLED_BODIES


def split_end_matter(lines: list[Line]) -> tuple[list[Line], tuple[str, ...]]:
    """The document's lines without its closing distribution block, and that block's lines.

    The block is the last lines of the document from a line that starts like 报：/送：/
    责任编辑：… (or ends like …印发) and follows the end of a paragraph; lines inside it that
    match neither are a wrapped distribution list and stay in it.
    """
    cfg = layout()
    first = max(0, len(lines) - cfg.end_matter_max_lines)
    for i in range(first, len(lines)):
        text = lines[i].text
        starts = cfg.end_matter_start.match(text) or cfg.end_matter_also.search(text)
        if starts and (i == 0 or ends_paragraph(lines[i - 1])):
            return lines[:i], tuple(join_lines([ln.text], keep_clause_space=True) for ln in lines[i:])
    return lines, ()


def _last_page(doc: Document) -> int | None:
    """The last page a TOC entry can point to: the last printed page number, else (a PDF
    without printed numbers) the page count; unknown for text without page marks."""
    numbers = [p.number for p in doc.pages if p.number is not None]
    if numbers and (doc.has_layout or len(doc.pages) > 1):
        return max(numbers)
    return len(doc.pages) if doc.has_layout else None


def _section_lines(lines: list[Line], entries: list[TocEntry], start: int) -> dict[int, str]:
    """Body lines that repeat a TOC section heading (printed or plain), with its printed form."""
    names = {key(e.section): e.section_printed or e.section for e in entries if e.section}
    names |= {key(e.section_printed): e.section_printed for e in entries if e.section_printed}
    return {i: names[key(ln.text)] for i, ln in enumerate(lines[start:], start) if key(ln.text) in names}


def _titles(lines: list[Line], start: int, entries: list[TocEntry], section_lines: dict[int, str],
            layout_known: bool) -> tuple[list[_Title], set[int]]:
    """Article titles in the body, and the lines that are section headings."""
    matched = match_titles(entries, lines, start)
    found = [_Title(m.start, m.stop, m.entry, m.score) for m in matched]
    styles = body = None
    if layout_known:
        body = body_style_of(lines[start:])
        found = [_extended(lines, t, body) for t in found]
        styles = (frozenset(style_of(lines[t.start]) for t in found) if found
                  else learn_title_styles(lines, start, len(lines), body)) or None
    bounds = [start, *[t.start for t in found], len(lines)]
    stops = [start, *[t.stop for t in found]]
    extra: list[_Title] = []
    sections = set(section_lines)
    headings = []
    for lo, hi in zip(stops, bounds[1:]):
        headings += find_headings(lines, lo, hi, layout_known=layout_known, title_styles=styles,
                                  body_style=body)
    matched_stops = {t.stop for t in found}
    for h in headings:
        if h.section or h.start in sections:
            sections.add(h.start)
        elif h.start not in matched_stops:
            # A "title" right under a TOC-matched title would leave that article without a
            # body: it is the body's first line (or the title's own last line).
            extra.append(_Title(h.start, h.stop, None, None))
    titles = sorted(found + extra, key=lambda t: t.start)
    if not entries:
        titles = _with_sections(lines, titles, headings)
    return titles, sections


def _extended(lines: list[Line], t: _Title, body) -> _Title:
    """A matched title runs on over the following lines of its style (a TOC title shortened
    to its opening, a title wrapped over more lines than a candidate spans)."""
    if style_of(lines[t.start]) == body:
        return t  # titles set like the body: their style cannot say where they end
    stop = max(t.stop, t.start + title_extent(lines, t.start, len(lines)))
    return replace(t, stop=stop)


def _with_sections(lines: list[Line], titles: list[_Title], headings) -> list[_Title]:
    """Without a TOC, section names come from section headings found in the body."""
    sections = sorted((h.start, join_lines([lines[h.start].text])) for h in headings if h.section)
    starts = [start for start, _ in sections]
    out = []
    for t in titles:
        at = bisect.bisect_left(starts, t.start) - 1  # the last heading above the title
        out.append(_Title(t.start, t.stop, t.entry, t.score, sections[at][1] if at >= 0 else None))
    return out


def _articles(doc: Document, lines: list[Line], titles: list[_Title], entries: list[TocEntry],
              section_lines: dict[int, str], section_starts: set[int]):
    boundaries = sorted({t.start for t in titles} | set(section_lines) | section_starts)
    indents = uses_indents(lines[titles[0].start:] if titles else lines)  # the body, not the TOC
    placed: list[tuple[Article, int | None]] = []
    section, prev_start = None, -1
    heading_at = sorted(section_lines)  # bisected below: linear in titles, not quadratic
    for t in titles:
        section = _section_for(t, entries, section_lines, section, prev_start, heading_at)
        at = bisect.bisect_left(boundaries, t.stop)
        stop = boundaries[at] if at < len(boundaries) else len(lines)
        placed.append((_article(doc, lines, t, stop, entries, section, indents), t.entry))
        prev_start = t.start
    placed = _with_ghosts(placed, entries)
    articles = [replace(a, seq=i) for i, (a, _) in enumerate(placed, 1)]
    return articles, [w for a in articles for w in _warn(a, has_toc=bool(entries))]


def _section_for(t: _Title, entries, section_lines: dict[int, str], current: str | None,
                 prev_start: int, heading_at: list[int]) -> str | None:
    """The TOC's section; else the last section heading between the previous title and this
    one (``heading_at``: the heading lines, sorted); else the section of the article before."""
    if t.entry is not None:
        return entries[t.entry].section_printed or entries[t.entry].section
    if t.section:
        return t.section
    at = bisect.bisect_left(heading_at, t.start) - 1  # the last heading line before the title
    return section_lines[heading_at[at]] if at >= 0 and heading_at[at] > prev_start else current


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
    return Article(seq=0, section=plain_section(section), title=title, page=page, toc_page=toc_page,
                   match=t.score, status=status, body=tuple(paragraphs(lines[t.stop:stop], indents=indents)),
                   physical_page=lines[t.start].page + 1, section_printed=section)


def _with_ghosts(placed: list[tuple[Article, int | None]], entries: list[TocEntry]):
    """TOC entries without a body go where the TOC lists them: after the article of the
    entry before them."""
    out = list(placed)
    matched = {e for _, e in placed if e is not None}
    for e, entry in enumerate(entries):
        if e in matched:
            continue
        ghost = Article(seq=0, section=entry.section, title=entry.title, page=None,
                        toc_page=entry.page, match=None, status=Status.NO_BODY,
                        section_printed=entry.section_printed)
        after = [i for i, (_, index) in enumerate(out) if index is not None and index < e]
        out.insert(after[-1] + 1 if after else 0, (ghost, e))
    return out


def _warn(a: Article, *, has_toc: bool) -> list[str]:
    if a.status == Status.NO_BODY:
        return [f"TOC entry “{a.title}” (page {a.toc_page}) matches no title in the body"]
    if a.status == Status.WRONG_PAGE:
        return [f"“{a.title}” starts on page {a.page}, the printed TOC says {a.toc_page}"]
    if not a.body:
        # Every article found in the body has a body: an empty one is a misread title (the
        # first line of the next article's body, say), and the export would drop it.
        return [f"“{a.title}” (page {a.page}) has no body text; check its title and the one after it"]
    if a.status == Status.NOT_IN_TOC:
        return [f"“{a.title}” (page {a.page}) is not in the printed TOC"] if has_toc else []
    if a.match is not None and a.match < WEAK_MATCH:
        return [f"“{a.title}” matched its TOC entry with a score of only {a.match:.0f}"]
    return []
