"""Finding article titles and section headings in the body itself: the document's layout model.

Used when an issue has no TOC and for articles the TOC leaves out. A title is a short line
that does not end like a sentence, does not start like an enumeration ("一是…", "（二）"), and
is set in one of the document's title styles. A line's style (``Style``) is its size relative
to the body, its weight and its font family; the title styles are those of the lines that
match TOC entries (``issue``), or without a TOC those that open blocks of body text more than
once (``learn_title_styles``); lacking both, any larger or bolder type. Centring alone makes
no title: in ragged-right text an indented first line ending a character short looks centred.
A title runs over the consecutive lines of its style (``title_extent``); a short heading right
over a title, styled or printed as one ("【…】", "一、…"), is a section heading. In plain text
a title is a one-line block between the end of a paragraph and body text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from digest.config import layout
from digest.models import Line
from digest.paragraphs import ends_paragraph
from digest.text import ends_sentence, key, width

# A sanity bound: a title spans consecutive lines of its style, up to title_max_chars.
MAX_TITLE_LINES = 6


@dataclass(frozen=True)
class Heading:
    start: int  # first line index
    stop: int  # one past the last line
    section: bool  # a section heading rather than an article title


# A section heading as printed: "【科创聚焦】", "一、科创聚焦" (which starts like an enumeration,
# so it is a heading only where a title follows it).
_SECTION_SHAPE_RE = re.compile(r"^(?:【[^】]{2,12}】|[一二三四五六七八九十]{1,3}、[^，。；：,;:]{2,12})$")


def section_shaped(text: str) -> bool:
    return bool(_SECTION_SHAPE_RE.match(text.replace(" ", "")))


def _plausible(line: Line, min_chars: int | None = None) -> bool:
    cfg = layout()
    k = key(line.text)
    text = line.text.rstrip()
    lo = cfg.title_min_chars if min_chars is None else min_chars
    return (lo <= len(k) <= cfg.title_max_chars
            and (not cfg.enumeration.match(line.text) or section_shaped(line.text))
            and not cfg.not_title.match(line.text)
            and text[-1:] not in cfg.no_title_end
            and not ends_sentence(text))


def _styled(line: Line) -> bool:
    """Larger or bolder than body text. Centring alone is no style: a body-size paragraph line
    that ends a character or two short looks centred (ragged right, a quote pushed over)."""
    return bool((line.size or 0) >= layout().title_min_size or line.bold)


@dataclass(frozen=True)
class Style:
    """A line's type: size relative to the body (in steps of STYLE_SIZE_STEP), weight, family."""

    size: float
    bold: bool
    font: str


STYLE_SIZE_STEP = 0.05  # sizes closer than this (of the body size) are one size
BODY_STYLE = Style(1.0, False, "")


def style_of(line: Line) -> Style:
    size = round((line.size or 1.0) / STYLE_SIZE_STEP) * STYLE_SIZE_STEP
    return Style(round(size, 2), bool(line.bold), line.font or "")


def _same_style(a: Line, b: Line) -> bool:
    """One style, whatever the alignment: a wrapped centred title's upper lines are full."""
    return (abs((a.size or 1) - (b.size or 1)) < STYLE_SIZE_STEP and a.bold == b.bold
            and (not a.font or not b.font or a.font == b.font))


def _short(text: str) -> bool:
    return width(text) <= layout().section_max_em


def find_headings(lines: list[Line], start: int, stop: int, *, layout_known: bool,
                  title_styles: frozenset[Style] | None = None,
                  body_style: Style | None = None) -> list[Heading]:
    """Titles and section headings among ``lines[start:stop]``.

    ``title_styles`` are the styles this document sets its titles in (learned from the lines
    that match TOC entries, or from the body by ``learn_title_styles``); without them a title
    is any plausible line set larger or bolder than the body.
    """
    found: list[Heading] = []
    i = start
    while i < stop:
        if layout_known:
            n = _pdf_heading(lines, i, stop, title_styles, body_style)
        else:
            n = _text_heading(lines, i, stop)
        if n:
            found.append(Heading(i, i + n, False))
        i += n or 1
    return _mark_sections(lines, found)


def title_extent(lines: list[Line], i: int, stop: int) -> int:
    """How many lines the title starting at ``i`` spans: consecutive lines of its style, after
    lines that reach well across the column (a short line ends a heading)."""
    n = 1
    chars = len(key(lines[i].text))
    while (n < MAX_TITLE_LINES and i + n < stop and _same_style(lines[i], lines[i + n])
           and not _short(lines[i + n - 1].text)
           and chars + len(key(lines[i + n].text)) <= layout().title_max_chars
           and not ends_sentence(lines[i + n - 1].text)):
        chars += len(key(lines[i + n].text))
        n += 1
    return n


def _candidate(line: Line, title_styles: frozenset[Style] | None, body_style: Style | None) -> bool:
    if not _plausible(line, min_chars=2):
        return False
    if title_styles:
        style = style_of(line)
        # A title set like the body is told from a paragraph's line only by its centring.
        return style in title_styles and (style != body_style or bool(line.centered))
    if not _styled(line):
        return False
    return not (line.indent >= layout().indent_em and not line.centered
                and (line.size or 0) < layout().title_min_size)


def _pdf_heading(lines: list[Line], i: int, stop: int, title_styles=None, body_style=None) -> int:
    """Lines of a heading starting at i (0 if none): styled lines followed by body text, or a
    short section heading (styled, or printed as one) right over a title."""
    line = lines[i]
    if not _candidate(line, title_styles, body_style):
        nxt = lines[i + 1] if i + 1 < stop else None
        section = (_short(line.text) and _plausible(line, min_chars=2)
                   and (_styled(line) or section_shaped(line.text)))
        return 1 if section and nxt is not None and _candidate(nxt, title_styles, body_style) else 0
    n = title_extent(lines, i, stop)
    after = lines[i + n] if i + n < stop else None
    if after is not None and not _styled(after) and not _same_style(line, after):
        return n
    if n == 1 and after is not None and _short(line.text) and _plausible(after):
        return 1  # a section heading over a title
    return 0


# A style opens at least this many blocks of body text before it counts as a title style.
MIN_TITLE_STYLE_BLOCKS = 2


def body_style_of(lines: list[Line]) -> Style:
    """The style most characters are set in."""
    counts: Counter[Style] = Counter()
    for line in lines:
        counts[style_of(line)] += len(line.text)
    return counts.most_common(1)[0][0] if counts else BODY_STYLE


def learn_title_styles(lines: list[Line], start: int, stop: int, body: Style) -> frozenset[Style]:
    """Without a TOC: the styles, other than the body's, of plausible title lines that open a
    block of body text at least ``MIN_TITLE_STYLE_BLOCKS`` times."""
    counts: Counter[Style] = Counter()
    i = start
    while i < stop:
        line = lines[i]
        if style_of(line) != body and _styled(line) and _plausible(line, min_chars=2):
            n = title_extent(lines, i, stop)
            if i + n < stop and style_of(lines[i + n]) == body:
                counts[style_of(line)] += 1
            i += n
        else:
            i += 1
    return frozenset(s for s, c in counts.items() if c >= MIN_TITLE_STYLE_BLOCKS)


def _text_heading(lines: list[Line], i: int, stop: int) -> int:
    """Plain text: a one-line block between a paragraph's end and body text or a title.

    Where the extraction marks block ends, a title is a block of its own. Otherwise a title
    must be clearly narrower than a paragraph's first line, whose indent the extraction may
    have lost (a paragraph's last line, as short, ends in punctuation and is no candidate).
    """
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < stop else None
    prev_ends = i == 0 or ends_paragraph(lines[i - 1])
    if nxt is None or not (prev_ends and line.short and _plausible(line)):
        return 0
    if line.ends_block is not None:
        return 1 if line.ends_block else 0
    full = _full_width(lines, i, stop)
    narrow = width(line.text) < full - layout().indent_em - PARAGRAPH_INDENT_SLACK
    return 1 if narrow else 0


# How much narrower than an indented first line a plain-text title must be, in em.
PARAGRAPH_INDENT_SLACK = 0.75


def _full_width(lines: list[Line], i: int, stop: int) -> float:
    widths = [width(ln.text) for ln in lines[max(0, i - 20):min(stop, i + 20)] if not ln.short]
    return max(widths) if widths else width(lines[i].text)


def _mark_sections(lines: list[Line], found: list[Heading]) -> list[Heading]:
    """A one-line short heading right over another is a section heading; one printed like an
    enumeration ("一、…") that is no section heading is body text after all."""
    out: list[Heading] = []
    for h, nxt in zip(found, [*found[1:], None]):
        one_short_line = h.stop - h.start == 1 and _short(lines[h.start].text)
        section = one_short_line and nxt is not None and nxt.start == h.stop
        if section or not layout().enumeration.match(lines[h.start].text):
            out.append(Heading(h.start, h.stop, section))
    return out
