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


def ends_paragraph(line: Line) -> bool:
    if line.ends_block is not None:
        return line.ends_block
    text = line.text.rstrip()
    stripped = text.rstrip(CLOSERS)
    return line.short or (bool(stripped) and stripped[-1] in layout().para_ends)


def starts_paragraph(line: Line) -> bool:
    return line.indent >= layout().indent_em and not line.centered


def paragraphs(lines: list[Line]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and starts_paragraph(line):
            out.append(join_lines(current))
            current = []
        current.append(line.text)
        if ends_paragraph(line):
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
