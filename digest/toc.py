"""The printed table of contents (目录): section headings and entries with their pages.

Entries come in many shapes: "标题 ...... 3", "标题……………３", "标题 3" (no leaders), "标题3"
(tight, where no entry has leaders), the page number drawn before the leaders ("标题３……"),
a long title wrapped over two lines with the page on the second (its tail may be one
character: "…的启" / "示 5"), the page number alone on the next line, or a numbered list
without pages ("1．标题", a 本期要目 box). The TOC's style (leaders or not, numbered or not) is
measured before it is read, and a number past the document's last page is no page. Lines
wholly in round brackets under an entry (dates, authors) are annotations; a short line
followed by entries ("科创聚焦", "【科创聚焦】", "一、科创聚焦") is a section heading, named
plainly with its printed form kept. The TOC ends at the first line of body text: a line that
is no entry, and after which no entry follows within a few lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from digest.masthead import is_toc_heading
from digest.models import Line, TocEntry
from digest.text import ends_sentence, width

# Leader dots may come out spaced (". . ."): a word processor spreads a short run of them.
LEADER = r"(?:\.(?: ?\.)+|…+|·(?: ?·)+|・{2,}|‧{2,}|⋯+|．{2,}|_{3,}|-{3,}|—{3,}|。{3,})"
LEADER_CHARS = ".…·・‧⋯．_-—。 "
# A page number; its digits may come out spaced when drawn one by one ("1 5").
PAGE = r"(?P<page>\d(?: ?\d){0,3})"
_ENTRY_RES = (
    re.compile(rf"^(?P<title>.+?) *{LEADER}[ .…·]*{PAGE}$"),  # title ..... 3
    re.compile(rf"^(?P<title>.+?) *{PAGE} *{LEADER}$"),      # title 3 ......
    re.compile(rf"^(?P<title>.+?) *{LEADER}$"),                            # title ...... (page below)
)
_BARE_ENTRY_RE = re.compile(r"^(?P<title>.*\S) {1,}(?P<page>\d{1,4})$")  # title 3
_NUMBER_RE = re.compile(r"^\d{1,4}$")
# Bracketed lines under an entry (dates, authors) are annotations; 【】 lines are section headings.
_ANNOTATION_RE = re.compile(r"^[（(\[].*[）)\]]$")
LOOKAHEAD = 3  # body text: no entry within this many lines
BARE_ENTRY_MIN_CHARS = 4  # "title 3" without leaders needs a real title before the number
SECTION_MAX_EM = 12.0  # section headings are short; a wrapped entry's first line is long


# A section heading's ordinal or brackets are print, not name: "一、科创聚焦", "（二）科创聚焦",
# "第三部分 科创聚焦", "【科创聚焦】", "■科创聚焦" all name the section 科创聚焦.
_SECTION_ORDINAL_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}\s*[、.．]"
    r"|第[一二三四五六七八九十]{1,3}(?:部分|章|篇|编)[：:、.．]?|[■□◆◇●○▲△★☆▶►])\s*")
_SECTION_BRACKETS = "【】[]〔〕〖〗「」『』 "


def plain_section(printed: str | None) -> str | None:
    """The plain name of a section heading as printed ("【科创聚焦】" → "科创聚焦")."""
    if printed is None:
        return None
    name = _SECTION_ORDINAL_RE.sub("", printed.strip(), count=1).strip(_SECTION_BRACKETS)
    return name or printed


def toc_entry(section: str | None, title: str, page: int | None) -> TocEntry:
    """An entry under the section heading printed as ``section``."""
    return TocEntry(plain_section(section), title, page, section_printed=section)


@dataclass(frozen=True)
class Toc:
    entries: tuple[TocEntry, ...]
    start: int  # index of the heading line (or first entry) in the line list
    end: int  # index just past the last TOC line; body text starts here


@dataclass(frozen=True)
class _Parsed:
    kind: str  # entry | open (title with leaders, page below) | number | note | text
    title: str = ""
    page: int | None = None
    leaders: bool = False  # the entry's page stands after (or before) dot leaders
    numbered: int | None = None  # "3．标题": a numbered entry of a 本期要目 box, its number


# "1．标题", "12、标题": an entry of a numbered list of contents (本期要目), no page needed.
_NUMBERED_RE = re.compile(r"^(?P<n>\d{1,2}) *[．.、] *(?P<rest>\S.*)$")
# "标题3": a page number set tight against the title, trusted only in a TOC without leaders.
_TIGHT_ENTRY_RE = re.compile(rf"^(?P<title>.*[^\d\s{re.escape(LEADER_CHARS)}])(?P<page>\d{{1,3}})$")
# A wrapped entry's tail is at most this many characters ("里 …… 13").
TAIL_MAX_CHARS = 3


@dataclass(frozen=True)
class _Style:
    """What this TOC's entries look like, measured before reading them."""

    leaders: bool  # entries give pages after dot leaders: a bare "title 3" is no entry
    max_page: int  # no entry points past the document's last page
    numbered: bool  # 本期要目: "1．标题" entries, pages optional


def _parse(text: str, style: _Style | None = None) -> _Parsed:
    if _NUMBER_RE.match(text):
        return _Parsed("number", page=int(text))
    numbered = _NUMBERED_RE.match(text) if style is None or style.numbered else None
    if numbered:
        inner = _parse(numbered.group("rest"), style)
        kind = inner.kind if inner.kind in ("entry", "open") else "entry"
        title = inner.title if inner.kind in ("entry", "open") else numbered.group("rest").strip()
        return _Parsed(kind, title, inner.page, inner.leaders, int(numbered.group("n")))
    for rx in _ENTRY_RES:
        if m := rx.match(text):
            page = m.groupdict().get("page")
            number = int(page.replace(" ", "")) if page else None
            title = m.group("title").strip().rstrip(LEADER_CHARS).strip()
            if not title:  # leaders and a page under a wrapped title
                return _Parsed("number", page=number) if number is not None else _Parsed("note")
            return _Parsed("entry" if page else "open", title, number, leaders=True)
    bare = _BARE_ENTRY_RE.match(text)
    if bare is None and style is not None and not style.leaders:
        bare = _TIGHT_ENTRY_RE.match(text)
    if (bare and not ends_sentence(bare.group("title"))
            and (style is None or int(bare.group("page")) <= style.max_page)):
        kind = "entry" if len(bare.group("title")) >= BARE_ENTRY_MIN_CHARS else "tail"
        return _Parsed(kind, bare.group("title").strip(), int(bare.group("page")))
    if _ANNOTATION_RE.match(text):
        return _Parsed("note")
    return _Parsed("text", text)


# How many lines after the heading are looked at to learn the TOC's style.
STYLE_WINDOW = 40


def _style(lines: list[Line], start: int, max_page: int) -> _Style:
    """Leaders or not, numbered or not: counted over the lines after the heading."""
    parsed = [_parse(ln.text) for ln in lines[start:start + STYLE_WINDOW]]
    with_leaders = sum(p.leaders for p in parsed)
    bare = sum(p.kind == "entry" and not p.leaders and p.numbered is None for p in parsed)
    numbered = [p.numbered for p in parsed if p.numbered is not None]
    return _Style(leaders=with_leaders >= 2 and with_leaders >= 2 * bare, max_page=max_page,
                  numbered=numbered[:2] == [1, 2])


def find_toc(lines: list[Line], search_pages: int = 3, max_page: int | None = None) -> Toc | None:
    """Locate and parse the TOC among the first ``search_pages`` pages. ``max_page`` is the
    last page an entry may point to (the document's last printed page)."""
    limit = next((i for i, ln in enumerate(lines) if lines and ln.page >= (lines[0].page + search_pages)),
                 len(lines))
    max_page = max_page or PAGE_UNKNOWN
    for i in range(limit):
        if is_toc_heading(lines[i].text):
            toc = _read(lines, i + 1, _style(lines, i + 1, max_page))
            if toc.entries:
                return Toc(toc.entries, i, toc.end)
    # No heading: a run of at least three entries still makes a TOC.
    for i in range(limit):
        if all(_parse(ln.text).kind == "entry" for ln in lines[i:i + 3]) and i + 3 <= len(lines):
            toc = _read(lines, i, _style(lines, i, max_page))
            return Toc(toc.entries, i, toc.end)
    return None


PAGE_UNKNOWN = 9999  # no page count given: any page number is possible


def _read(lines: list[Line], start: int, style: _Style) -> Toc:
    entries: list[TocEntry] = []
    section: str | None = None
    pending: list[str] = []  # text lines waiting to learn if they are a heading or a title part
    i, end = start, start
    bare_at = -1  # the line of the last entry read without leaders ("标题 3")
    while i < len(lines):
        parsed = _parse(lines[i].text, style)
        if parsed.numbered is not None and parsed.numbered != _numbered_count(entries, style) + 1:
            parsed = _Parsed("text", lines[i].text)  # a body enumeration after the list
        if _out_of_order(parsed, entries, style):
            parsed = _Parsed("text", lines[i].text)  # a body line ending in a number
        if parsed.kind == "text" and _continues_numbered(entries, lines, i, style):
            entries[-1] = replace(entries[-1], title=_join([entries[-1].title], parsed.title))
            i, end = i + 1, i + 1
            continue
        if parsed.kind == "text" and not _entry_follows(lines, i + 1, style):
            break  # body text: nothing of the TOC follows
        if parsed.kind == "tail" and pending and _wrapped_text(pending[-1]):
            section = _flush_section(pending, section)  # "示 5" under "…对我省的启"
            entries.append(toc_entry(section, _join(pending, parsed.title), parsed.page))
            pending = []
        elif _is_tail(parsed, i, entries, pending, bare_at):
            entries[-1] = _with_tail(entries, lines[i - 1].text, parsed, style)
        elif parsed.kind == "entry":
            section = _flush_section(pending, section)
            entries.append(toc_entry(section, _join(pending, parsed.title), parsed.page))
            if not parsed.leaders and not pending:
                bare_at = i
            pending = []
        elif parsed.kind == "open":
            section = _flush_section(pending, section)
            pending = [*pending, parsed.title]
        elif parsed.kind == "number" and pending:
            entries.append(toc_entry(section, _join(pending[:-1], pending[-1]), parsed.page))
            pending = []
        elif parsed.kind in ("text", "tail"):
            pending = [*pending, lines[i].text]
            if len(pending) > 1 and not _wrapped_text(pending[-2]):
                section = pending.pop(0)
        i += 1
        end = i if parsed.kind not in ("text", "tail") else end
    return Toc(tuple(entries), start, end)


def _out_of_order(parsed: _Parsed, entries: list[TocEntry], style: _Style) -> bool:
    """In a TOC with leaders, a "title 3" line without them whose page goes back is no entry."""
    last = next((e.page for e in reversed(entries) if e.page is not None), None)
    return (style.leaders and parsed.kind == "entry" and not parsed.leaders and parsed.page is not None
            and last is not None and parsed.page < last)


def _numbered_count(entries: list[TocEntry], style: _Style) -> int:
    return len(entries) if style.numbered else -1


def _continues_numbered(entries: list[TocEntry], lines: list[Line], i: int, style: _Style) -> bool:
    """In a numbered list without pages, a line under an entry that filled its line goes on
    with that entry's title."""
    if not (style.numbered and entries and entries[-1].page is None and i > 0
            and _NUMBERED_RE.match(lines[i - 1].text) is not None
            and not lines[i].text.startswith(("【", "["))):
        return False
    hanging = lines[i].indent > lines[i - 1].indent + HANGING_INDENT_EM
    return hanging or not lines[i - 1].short


# A wrapped numbered entry's next line hangs under its text, this much (em) right of the number.
HANGING_INDENT_EM = 0.5


def _is_tail(parsed: _Parsed, i: int, entries: list[TocEntry], pending: list[str], bare_at: int) -> bool:
    """A wrapped entry's last 1–3 characters and its page ("里 …… 13"), or its leaders and page
    alone, under an entry line read without leaders: that line ended in a number, which was
    taken for its page."""
    if not entries or pending or bare_at != i - 1:
        return False
    short_entry = parsed.kind in ("entry", "tail") and len(parsed.title.replace(" ", "")) <= TAIL_MAX_CHARS
    return short_entry or (parsed.kind == "number" and parsed.page is not None)


def _with_tail(entries: list[TocEntry], first: str, tail: _Parsed, style: _Style) -> TocEntry:
    """The entry whose first line ended in a number, with its tail: the number was text, or,
    where the tail is digits alone that cannot be a page in order ("…修复1" / "0"), the first
    digits of a page number split over two lines."""
    entry = entries[-1]
    before = next((e.page for e in reversed(entries[:-1]) if e.page is not None), 0)
    if tail.kind == "number" and entry.page is not None and tail.page is not None and tail.page < before:
        split = int(f"{entry.page}{tail.page}")
        if before <= split <= style.max_page:
            return replace(entry, page=split)
    title = _join([entry.title + _trailing_number(first)], tail.title)
    return replace(entry, title=title, page=tail.page)


def _trailing_number(text: str) -> str:
    m = re.search(r"\d+$", text.strip())
    return m.group(0) if m else ""


def _entry_follows(lines: list[Line], i: int, style: _Style) -> bool:
    return any(_parse(ln.text, style).kind in ("entry", "number", "open", "tail") for ln in lines[i:i + LOOKAHEAD])


def _wrapped_text(text: str) -> bool:
    return width(text) > SECTION_MAX_EM


def _flush_section(pending: list[str], section: str | None) -> str | None:
    """Text lines before an entry: all but a wrapped title's first line are headings."""
    while pending and not _wrapped_text(pending[0]):
        section = pending.pop(0)
    return section


def _join(parts: list[str], last: str) -> str:
    text = ""
    for part in [*parts, last]:
        sep = " " if text and text[-1].isascii() and part[:1].isascii() and text[-1].isalnum() else ""
        text += sep + part
    return text.strip()
