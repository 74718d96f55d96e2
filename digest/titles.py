"""Finding article titles and section headings in the body itself.

Used when an issue has no TOC and for articles the TOC leaves out. A title is a short line
that does not end like a sentence, does not start like an enumeration ("一是…", "（二）"), and
stands out: in a PDF by larger type, bold or centring; in plain text by following the end of
a paragraph and being followed by body text. Consecutive title lines of the same style are one
wrapped title; a short heading directly above a title is a section heading.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.config import layout
from digest.models import Line
from digest.paragraphs import ends_paragraph
from digest.text import ends_sentence, key, width

MAX_TITLE_LINES = 3


@dataclass(frozen=True)
class Heading:
    start: int  # first line index
    stop: int  # one past the last line
    section: bool  # a section heading rather than an article title


def _plausible(line: Line, min_chars: int | None = None) -> bool:
    cfg = layout()
    k = key(line.text)
    text = line.text.rstrip()
    lo = cfg.title_min_chars if min_chars is None else min_chars
    return (lo <= len(k) <= cfg.title_max_chars
            and not cfg.enumeration.match(line.text)
            and not cfg.not_title.match(line.text)
            and text[-1:] not in cfg.no_title_end
            and not ends_sentence(text))


def _styled(line: Line) -> bool:
    return bool((line.size or 0) >= layout().title_min_size or line.bold or line.centered)


def _same_style(a: Line, b: Line) -> bool:
    return (abs((a.size or 1) - (b.size or 1)) < 0.05 and a.bold == b.bold
            and a.centered == b.centered)


def _short(text: str) -> bool:
    return width(text) <= layout().section_max_em


def find_headings(lines: list[Line], start: int, stop: int, *, layout_known: bool) -> list[Heading]:
    """Titles and section headings among ``lines[start:stop]``."""
    found: list[Heading] = []
    i = start
    measure = _pdf_heading if layout_known else _text_heading
    while i < stop:
        n = measure(lines, i, stop)
        if n:
            found.append(Heading(i, i + n, False))
        i += n or 1
    return _mark_sections(lines, found)


def _pdf_heading(lines: list[Line], i: int, stop: int) -> int:
    """Lines of a heading starting at i (0 if none): styled lines followed by body text."""
    line = lines[i]
    if not (_styled(line) and _plausible(line, min_chars=2)):
        return 0
    if line.indent >= layout().indent_em and not line.centered:
        return 0
    n = 1
    while (n < MAX_TITLE_LINES and i + n < stop and _same_style(line, lines[i + n])
           and not _short(lines[i + n - 1].text)):
        n += 1
    after = lines[i + n] if i + n < stop else None
    if after is not None and not _styled(after):
        return n
    if n == 1 and after is not None and _short(line.text) and _plausible(after):
        return 1  # a section heading over a title
    return 0


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
    out: list[Heading] = []
    for h, nxt in zip(found, [*found[1:], None]):
        one_short_line = h.stop - h.start == 1 and _short(lines[h.start].text)
        out.append(Heading(h.start, h.stop, one_short_line and nxt is not None and nxt.start == h.stop))
    return out
