"""The printed table of contents (目录): section headings and entries with their pages.

Entries come in many shapes: "标题 ...... 3", "标题……………３", "标题 3" (no leaders), the
page number drawn before the leaders ("标题３……", how some producers order it), a long title
wrapped over two lines with the page on the second, or the page number alone on the next
line. Lines wholly in brackets under an entry (dates, authors) are annotations. A short line
followed by entries is a section heading. The TOC ends at the first line of body text: a line
that is no entry, and after which no entry follows within a few lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def _parse(text: str) -> _Parsed:
    if _NUMBER_RE.match(text):
        return _Parsed("number", page=int(text))
    for rx in _ENTRY_RES:
        if m := rx.match(text):
            page = m.groupdict().get("page")
            number = int(page.replace(" ", "")) if page else None
            title = m.group("title").strip().rstrip(LEADER_CHARS).strip()
            if not title:  # leaders and a page under a wrapped title
                return _Parsed("number", page=number) if number is not None else _Parsed("note")
            return _Parsed("entry" if page else "open", title, number)
    m = _BARE_ENTRY_RE.match(text)
    if m and len(m.group("title")) >= BARE_ENTRY_MIN_CHARS and not ends_sentence(m.group("title")):
        return _Parsed("entry", m.group("title").strip(), int(m.group("page")))
    if _ANNOTATION_RE.match(text):
        return _Parsed("note")
    return _Parsed("text", text)


def find_toc(lines: list[Line], search_pages: int = 3) -> Toc | None:
    """Locate and parse the TOC among the first ``search_pages`` pages."""
    limit = next((i for i, ln in enumerate(lines) if lines and ln.page >= (lines[0].page + search_pages)),
                 len(lines))
    for i in range(limit):
        if is_toc_heading(lines[i].text):
            toc = _read(lines, i + 1)
            if toc.entries:
                return Toc(toc.entries, i, toc.end)
    # No heading: a run of at least three entries still makes a TOC.
    for i in range(limit):
        if all(_parse(ln.text).kind == "entry" for ln in lines[i:i + 3]) and i + 3 <= len(lines):
            toc = _read(lines, i)
            return Toc(toc.entries, i, toc.end)
    return None


def _read(lines: list[Line], start: int) -> Toc:
    entries: list[TocEntry] = []
    section: str | None = None
    pending: list[str] = []  # text lines waiting to learn if they are a heading or a title part
    i, end = start, start
    while i < len(lines):
        parsed = _parse(lines[i].text)
        if parsed.kind == "text" and not _entry_follows(lines, i + 1):
            break  # body text: nothing of the TOC follows
        if parsed.kind == "entry":
            section = _flush_section(pending, section)
            entries.append(toc_entry(section, _join(pending, parsed.title), parsed.page))
            pending = []
        elif parsed.kind == "open":
            section = _flush_section(pending, section)
            pending = [*pending, parsed.title]
        elif parsed.kind == "number" and pending:
            entries.append(toc_entry(section, _join(pending[:-1], pending[-1]), parsed.page))
            pending = []
        elif parsed.kind == "text":
            pending = [*pending, lines[i].text]
            if len(pending) > 1 and not _wrapped_text(pending[-2]):
                section = pending.pop(0)
        i += 1
        end = i if parsed.kind != "text" else end
    return Toc(tuple(entries), start, end)


def _entry_follows(lines: list[Line], i: int) -> bool:
    return any(_parse(ln.text).kind in ("entry", "number", "open") for ln in lines[i:i + LOOKAHEAD])


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
