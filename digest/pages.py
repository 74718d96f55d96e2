"""Pages: page furniture (footers, running headers) removed, printed page numbers learned.

PDF pages come with geometry, so a footer is simply a page-number line at the top or bottom
of a page, and a running header is a line repeated at the top or bottom of many pages.

Text extractions are harder: footers survive on some pages and are lost on others, and there
is no page break character unless the extractor wrote form feeds. Page breaks are recovered
from the footers that survive ("— 9 —" says page 9 starts or ends here); between two such
anchors the missing breaks are placed on the lines that carry a page-start artifact (a stray
leading space), choosing the breaks that make pages most even in length, since the pages of
one issue hold about the same number of lines. After the last anchor, breaks are placed one
typical page length apart, on such a line when there is one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from digest.config import layout
from digest.models import Document, Line, Page
from digest.pdf import RawLine, RawPage
from digest.text import CLOSERS, clean_line, ends_sentence, fix_variants, width

# A centred line leaves at least this much room (in body em) on both sides, and the two
# margins differ by less than the tolerance (estimated glyph widths are approximate).
CENTRED_MIN_GAP = 0.5
CENTRED_TOLERANCE = 1.0
# The text block's left edge is the body lines' starts at this quantile.
MARGIN_QUANTILE = 0.1
FURNITURE_DEPTH = 2  # footers/headers are among the first or last two lines of a page
# Pages inferred after the last surviving footer may be this much shorter or longer than the
# typical page before a break is accepted on a page-start artifact.
PAGE_LENGTH_TOLERANCE = 0.3


def page_number(line: str, *, bare_ok: bool) -> int | None:
    """The page number a footer/header line carries, or None if it is not one."""
    for pattern in layout().page_number:
        m = pattern.match(line)
        if m and (bare_ok or not line.strip().isdigit()):
            return int(m.group("n"))
    return None


# --- PDF -----------------------------------------------------------------------------------

def from_pdf(raw_pages: list[RawPage], source: str, sha: str) -> Document:
    cleaned = [[(clean_line(r.text, keep_clause_space=True), r) for r in p.lines] for p in raw_pages]
    cleaned = [[(t, r) for t, r in page if t] for page in cleaned]
    fixed = iter(fix_variants([t for page in cleaned for t, _ in page]))
    cleaned = [[(next(fixed), r) for _, r in page] for page in cleaned]
    numbers = [_take_page_number(page) for page in cleaned]
    _drop_running_lines(cleaned)
    numbers, warnings = _fill_numbers(numbers)
    geo = _Geometry.of([r for page in cleaned for _, r in page])
    pages = tuple(
        Page(i, numbers[i], tuple(geo.line(t, r, i) for t, r in page))
        for i, page in enumerate(cleaned)
    )
    return Document(source, sha, pages, has_layout=True, warnings=tuple(warnings))


def _take_page_number(page: list) -> int | None:
    """Remove the page-number footer/header of one page; return its number."""
    depth = min(FURNITURE_DEPTH, len(page))
    for idx in [*range(len(page) - 1, len(page) - 1 - depth, -1), *range(depth)]:
        n = page_number(page[idx][0], bare_ok=True)
        if n is not None:
            del page[idx]
            return n
    return None


def _drop_running_lines(pages: list[list]) -> None:
    """Remove lines repeated at the top or bottom of many pages (running headers/footers)."""
    cfg = layout()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(t) for t, _ in page[:FURNITURE_DEPTH] + page[-FURNITURE_DEPTH:]})
    need = max(cfg.header_min_pages, cfg.header_min_share * len(pages))
    running = {k for k, c in counts.items() if c >= need}
    for page in pages:
        edge = set(range(min(FURNITURE_DEPTH, len(page)))) | set(range(max(0, len(page) - FURNITURE_DEPTH), len(page)))
        page[:] = [item for i, item in enumerate(page) if not (i in edge and _shape(item[0]) in running)]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _fill_numbers(numbers: list[int | None]) -> tuple[list[int | None], list[str]]:
    """Pages without a printed number get one from their neighbours' offset."""
    offsets = Counter(n - i for i, n in enumerate(numbers) if n is not None)
    if not offsets:
        return [i + 1 for i in range(len(numbers))], [
            "no printed page numbers found; pages are counted from the first page"]
    offset = offsets.most_common(1)[0][0]
    return [n if n is not None else (i + offset if i + offset > 0 else None)
            for i, n in enumerate(numbers)], []


@dataclass(frozen=True)
class _Geometry:
    """The text block of the document: body font size, left margin, right margin."""

    size: float
    left: float
    right: float
    bold_means_heading: bool  # False where the body text itself is set in a bold/Hei font

    @classmethod
    def of(cls, lines: list[RawLine]) -> _Geometry:
        if not lines:
            return cls(10.0, 0.0, 1.0, False)
        sizes = Counter()
        for r in lines:
            sizes[round(r.size, 1)] += len(r.text)
        size = sizes.most_common(1)[0][0]
        body = [r for r in lines if abs(r.size - size) < 0.1 * size and len(r.text) >= 8] or lines
        # The left edge: where body lines start, save the few that stick out (a hanging line).
        # Not the commonest start: where paragraphs are short, as many lines start indented
        # as start at the margin.
        x0s = sorted(r.x0 for r in body)
        left = x0s[int(MARGIN_QUANTILE * (len(x0s) - 1))]
        # The right edge: the commonest end. Estimated glyph widths make some full lines
        # overshoot it, so a quantile would put it too far right.
        right = Counter(round(r.x1) for r in body).most_common(1)[0][0]
        bold_share = sum(r.bold for r in body) / len(body)
        return cls(size, float(left), float(right), bold_share < 0.5)

    def line(self, text: str, r: RawLine, page: int) -> Line:
        em = self.size
        left_gap, right_gap = (r.x0 - self.left) / em, (self.right - r.x1) / em
        return Line(
            text=text, page=page, indent=round(left_gap, 2),
            short=right_gap > layout().short_by_em,
            size=round(r.size / self.size, 2), bold=r.bold and self.bold_means_heading,
            centered=left_gap > CENTRED_MIN_GAP and right_gap > CENTRED_MIN_GAP
            and abs(left_gap - right_gap) < CENTRED_TOLERANCE,
            font=r.font,
        )


# --- Text ----------------------------------------------------------------------------------

@dataclass
class _TextLine:
    raw: str
    text: str
    lead_space: bool
    marker: int | None  # page number if this line is a page footer/header
    blank_after: bool = False  # a blank line follows it


def from_text(text: str, source: str, sha: str) -> Document:
    text = "\n".join(fix_variants(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    chunks = text.split("\f") if "\f" in text else [text]
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()  # pdftotext ends every page, the last one too, with a form feed
    warnings: list[str] = []
    pages_lines: list[tuple[int | None, list[_TextLine]]] = []
    for chunk in chunks:
        lines = _text_lines(chunk)
        if "\f" in text:
            pages_lines.append(_strip_markers(lines))
        else:
            pages_lines.extend(_split_on_markers(lines, warnings))
    if "\f" in text:
        _drop_running_text_lines(pages_lines)
    numbers, more = _fill_numbers([n for n, _ in pages_lines])
    warnings += more if any(n is not None for n, _ in pages_lines) else []
    every = [t for _, ls in pages_lines for t in ls]
    typical = _typical_width(every)
    signal = _block_signal(every) or (BLANK_SIGNAL if _blank_lines_separate(every) else False)
    indents = iter(_indents(every, typical))
    pages = tuple(
        Page(i, numbers[i], tuple(_text_line(t, i, typical, signal, next(indents)) for t in ls))
        for i, (_, ls) in enumerate(pages_lines)
    )
    return Document(source, sha, pages, has_layout=False, warnings=tuple(warnings))


def _drop_running_text_lines(pages_lines: list[tuple[int | None, list[_TextLine]]]) -> None:
    """Running headers of a text whose pages are known (form feeds), as for PDFs."""
    pages = [[(t.text, t) for t in ls] for _, ls in pages_lines]
    first = list(pages[0])
    _drop_running_lines(pages)
    # Page 1 keeps its lines: a running header repeats the masthead, whose lines a plain
    # extraction puts on lines of their own ("长三角每周要讯" / "2020年第200期").
    pages[0] = first
    pages_lines[:] = [(n, [t for _, t in page]) for (n, _), page in zip(pages_lines, pages)]


def _text_lines(chunk: str) -> list[_TextLine]:
    bare_ok = layout().bare_number_in_text
    out: list[_TextLine] = []
    for raw in chunk.split("\n"):
        cleaned = clean_line(raw, keep_clause_space=True)
        if cleaned:
            out.append(_TextLine(raw, cleaned, raw[:1].isspace(), page_number(cleaned, bare_ok=bare_ok)))
        elif out and not raw.strip():
            out[-1].blank_after = True
    # Blank lines around a footer or at a page's end are the page's margin, not a block end.
    for t, nxt in zip(out, [*out[1:], None]):
        if nxt is None or nxt.marker is not None:
            t.blank_after = False
    return out


def _strip_markers(lines: list[_TextLine]) -> tuple[int | None, list[_TextLine]]:
    numbers = [t.marker for t in lines if t.marker is not None]
    return (numbers[0] if numbers else None), [t for t in lines if t.marker is None]


# Chinese paragraphs indent their first line by two characters.
FIRST_LINE_INDENT_EM = 2.0
# A first line whose indent the extraction dropped is this close (em) to a full line less
# the indent.
LOST_INDENT_TOLERANCE = 1.0


def _lead_indent(t: _TextLine) -> float:
    lead = t.raw[: len(t.raw) - len(t.raw.lstrip(" \u3000\t"))]
    # One leading space is an extraction artifact (page starts); two or more, or an
    # ideographic space, is an indent.
    return width(lead.replace(" ", "\u3000" if len(lead) > 1 else "")) / 2 * 2 if lead else 0.0


def _indents(lines: list[_TextLine], typical: float) -> list[float]:
    """Each line's indent; where the extraction kept none at all (pdftotext without
    -layout), the first line of a paragraph is recognised by its width: a full line less
    the two-character indent, after a line that ends a sentence or ends short."""
    indents = [_lead_indent(t) for t in lines]
    if any(i >= layout().indent_em for i in indents) or not typical:
        return indents
    first_width = typical - FIRST_LINE_INDENT_EM
    for k, t in enumerate(lines):
        # After a line that ends a sentence or stops short of the margin (a title, say); a
        # first line found just before counts with its indent: it reaches the margin.
        after_end = k == 0 or _ends_with_paragraph_mark(lines[k - 1].text) or (
            indents[k - 1] + width(lines[k - 1].text) < typical - LOST_INDENT_TOLERANCE)
        if after_end and abs(width(t.text) - first_width) <= LOST_INDENT_TOLERANCE:
            indents[k] = FIRST_LINE_INDENT_EM
    return indents


def _ends_with_paragraph_mark(text: str) -> bool:
    """Ends like a paragraph can ("。" but not "；": enumerations run on with semicolons)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in layout().para_ends


def _text_line(t: _TextLine, page: int, typical: float, signal: bool, indent: float) -> Line:
    return Line(text=t.text, page=page, indent=indent,
                short=indent + width(t.text) < typical - layout().short_by_em,
                ends_block=_ends_block(t, signal))


BLANK_SIGNAL = "blank"  # blank lines, not trailing spaces, mark the ends of blocks


def _ends_block(t: _TextLine, signal) -> bool | None:
    """What the extraction says about the end of a block at this line: trailing spaces
    say yes or no; a blank line says yes, its absence nothing (a title may sit right above
    its body)."""
    if signal == BLANK_SIGNAL:
        return True if t.blank_after else None
    return _trailing_space(t.raw) if signal else None


# Blank lines mark blocks when they follow some lines but not (nearly) all: an extraction
# that puts a blank line after every line says nothing with them.
BLANK_SIGNAL_SHARE = (0.02, 0.6)


def _blank_lines_separate(lines: list[_TextLine]) -> bool:
    share = sum(t.blank_after for t in lines) / max(len(lines), 1)
    return BLANK_SIGNAL_SHARE[0] <= share <= BLANK_SIGNAL_SHARE[1]


def _trailing_space(raw: str) -> bool:
    return raw != raw.rstrip()


# The trailing-space habit is trusted when most sentence-final lines show it and few others.
BLOCK_SIGNAL_MIN_SHARE = 0.6
BLOCK_SIGNAL_MAX_NOISE = 0.25


def _block_signal(lines: list[_TextLine]) -> bool:
    """Does this extraction end text blocks (paragraphs, titles) with a trailing space?"""
    ends = [_trailing_space(t.raw) for t in lines if t.marker is None and ends_sentence(t.text)]
    others = [_trailing_space(t.raw) for t in lines if t.marker is None and not ends_sentence(t.text)]
    if len(ends) < 5 or not others:
        return False
    return (sum(ends) >= BLOCK_SIGNAL_MIN_SHARE * len(ends)
            and sum(others) <= BLOCK_SIGNAL_MAX_NOISE * len(others))


def _typical_width(lines: list[_TextLine]) -> float:
    """The width of a full line: the most common width among lines that end mid-sentence."""
    widths = Counter(round(width(t.text)) for t in lines
                     if width(t.text) > 5 and not ends_sentence(t.text) and t.marker is None)
    if not widths:
        return 0.0
    mode = widths.most_common(1)[0][0]
    # Lines with digits or Latin words measure a little narrower than they print.
    return float(mode)


def _split_on_markers(lines: list[_TextLine], warnings: list[str]) -> list[tuple[int | None, list[_TextLine]]]:
    """Cut a text without form feeds into pages at its surviving footers and inferred breaks."""
    marks = [(i, t.marker) for i, t in enumerate(lines) if t.marker is not None]
    if not marks:
        return [(None, lines)]
    leading = marks[0][0] < len(lines) - marks[-1][0] - 1  # markers head their pages
    body = [t for t in lines if t.marker is None]
    # Position of each marker in `body`: index of the first line of its page.
    anchors: list[tuple[int, int]] = []
    for pos, (i, n) in enumerate(marks):
        before = i - pos  # body lines before this marker
        anchors.append((before, n if leading else n + 1))
    anchors = _monotonic(anchors)
    starts = _infer_breaks(body, anchors, warnings)
    out = []
    for k, (start, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(body)
        if end > start or k == 0:
            out.append((number, body[start:end]))
    return out


def _monotonic(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep anchors whose page numbers increase along the text (drop misread footers)."""
    kept: list[tuple[int, int]] = []
    for pos, n in anchors:
        if not kept or (n > kept[-1][1] and pos >= kept[-1][0]):
            kept.append((pos, n))
    return kept


def _infer_breaks(body: list[_TextLine], anchors: list[tuple[int, int]], warnings: list[str]):
    """Page starts as (line index, page number), anchors plus inferred breaks."""
    candidates = [i for i, t in enumerate(body) if t.lead_space and i > 0]
    starts: list[tuple[int, int]] = []
    if anchors[0][0] > 0:
        starts.append((0, max(anchors[0][1] - 1, 1) if anchors[0][1] > 1 else None))
    spans = []
    for (a, na), (b, nb) in zip(anchors, anchors[1:]):
        starts.append((a, na))
        missing = nb - na - 1
        if missing > 0:
            picked = _even_breaks([c for c in candidates if a < c < b], a, b, missing)
            starts += [(c, na + k + 1) for k, c in enumerate(picked)]
        spans.append((b - a) / (nb - na))
    starts.append(anchors[-1])
    if spans:
        import statistics  # here: only text without page marks comes this way

        typical = statistics.median(spans)
        last, n = anchors[-1]
        for c in _spaced_breaks(candidates, last, len(body), typical):
            n += 1
            starts.append((c, n))
    if len(starts) > len(anchors):
        warnings.append(f"{len(starts) - len(anchors)} page breaks without a footer were inferred "
                        "from the text's layout")
    return starts


def _even_breaks(cands: list[int], a: int, b: int, k: int) -> list[int]:
    """Choose k break lines in (a, b) making the k+1 pages most even; interpolate if short."""
    if len(cands) < k:
        return [a + round((b - a) * (j + 1) / (k + 1)) for j in range(k)]
    ideal = (b - a) / (k + 1)
    # best[j][m]: cost of placing j breaks with the j-th at cands[m]
    inf = float("inf")
    best = [[inf] * len(cands) for _ in range(k)]
    back = [[-1] * len(cands) for _ in range(k)]
    for m, c in enumerate(cands):
        best[0][m] = (c - a - ideal) ** 2
    for j in range(1, k):
        for m, c in enumerate(cands):
            for p in range(m):
                cost = best[j - 1][p] + (c - cands[p] - ideal) ** 2
                if cost < best[j][m]:
                    best[j][m], back[j][m] = cost, p
    total = [best[k - 1][m] + (b - c - ideal) ** 2 for m, c in enumerate(cands)]
    m = min(range(len(cands)), key=total.__getitem__)
    picked = []
    for j in range(k - 1, -1, -1):
        picked.append(cands[m])
        m = back[j][m]
    return picked[::-1]


def _spaced_breaks(cands: list[int], start: int, end: int, typical: float) -> list[int]:
    """Breaks after the last anchor: about one typical page apart, on a candidate line."""
    out, prev = [], start
    while end - prev > typical * (1 + PAGE_LENGTH_TOLERANCE):
        near = [c for c in cands if abs(c - prev - typical) <= PAGE_LENGTH_TOLERANCE * typical]
        nxt = min(near, key=lambda c: abs(c - prev - typical)) if near else round(prev + typical)
        out.append(nxt)
        prev = nxt
    return out
