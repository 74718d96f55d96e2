"""Wrapped lines back into paragraphs, across page breaks too ("政策法规制" | "度和支撑").

A paragraph ends where a line ends short, at sentence-final punctuation, or where the next
line is indented. Footers were removed before, so a paragraph that runs over a page break is
just two consecutive lines here.
"""

from __future__ import annotations

import re

from digest.config import layout
from digest.models import Line
from digest.text import CLOSERS, tidy_spaces


def ends_paragraph(line: Line, *, indents: bool = False) -> bool:
    """Does the paragraph end with this line? Where the document indents its paragraphs, the
    next line's indent says so, and here only a short line ending a sentence does (a line
    can end short because a Latin word did not fit, or end a sentence at the margin)."""
    if line.ends_block is not None:
        return line.ends_block
    stripped = line.text.rstrip().rstrip(CLOSERS)
    final = bool(stripped) and stripped[-1] in layout().para_ends
    return line.short and final if indents else line.short or final


def starts_paragraph(line: Line) -> bool:
    return line.indent >= layout().indent_em and not line.centered


# Share of paragraphs (lines after a short line) that must start indented for the document
# to count as one that marks paragraphs by indentation.
INDENTED_SHARE = 0.6


def uses_indents(lines: list[Line]) -> bool:
    """Does this text mark paragraphs with first-line indents? Then a full line that happens
    to end a sentence does not end its paragraph."""
    after_short = [b for a, b in zip(lines, lines[1:]) if a.short]
    return len(after_short) >= 2 and sum(starts_paragraph(b) for b in after_short) >= INDENTED_SHARE * len(after_short)


def paragraphs(lines: list[Line], *, indents: bool | None = None) -> list[str]:
    """Paragraphs of ``lines``; ``indents`` says whether the document marks paragraphs by
    indentation (measured over these lines when not given)."""
    out: list[str] = []
    current: list[str] = []
    indents = uses_indents(lines) if indents is None else indents
    for line in lines:
        if current and starts_paragraph(line):
            out.append(join_lines(current))
            current = []
        current.append(line.text)
        if ends_paragraph(line, indents=indents):
            out.append(join_lines(current))
            current = []
    if current:
        out.append(join_lines(current))
    return [p for p in out if p]


_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")


def join_lines(parts: list[str], *, keep_clause_space: bool = False) -> str:
    """Join wrapped lines: no space between ideographs, one between two Latin words."""
    text = ""
    for part in parts:
        part = part.strip()
        if text and _ASCII_WORD_END.search(text) and _ASCII_WORD_START.search(part):
            text += " "
        text += part
    return tidy_spaces(text, keep_clause_space=keep_clause_space)
