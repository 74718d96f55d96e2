"""Sentence splitting for Chinese news text, aware of quotations and brackets.

A sentence ends at 。！？； (and their ASCII forms), never inside “…”, 《…》, （…） or another
bracket pair: 《关于进一步做好……的通知》 and “一口受理、一次办成。” stay whole. When a terminator
is the last character inside a quotation (……。”), the sentence ends after the closing mark.
A paragraph end is always a sentence end, and the bracket depth starts again at zero in every
paragraph, so one stray quotation mark cannot swallow the rest of an article.

Sentences are slices of the paragraph with only the outer white space trimmed: joined together,
they are found verbatim in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TERMINATORS = frozenset("。！？；!?;")
OPENERS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』",
           "【": "】", "〔": "〕", "[": "]", "{": "}", "〈": "〉"}
CLOSERS = frozenset(OPENERS.values())
SYMMETRIC = frozenset('"')  # an ASCII double quote opens and closes
# The characters a sentence's end depends on: a paragraph is scanned from one to the next.
_MARKS = re.compile("[" + re.escape("".join(sorted(TERMINATORS | set(OPENERS) | CLOSERS
                                                   | SYMMETRIC))) + "]")


def split_paragraph(paragraph: str) -> list[str]:
    """The sentences of one paragraph, in order."""
    out: list[str] = []
    stack: list[str] = []
    start = 0
    for mark in _MARKS.finditer(paragraph):  # any other character changes nothing
        i = mark.start()
        ch = paragraph[i]
        ended = _track(stack, ch, paragraph[i - 1] if i else "")
        if ended or (ch in TERMINATORS and not stack):
            out.append(paragraph[start:i + 1])
            start = i + 1
    out.append(paragraph[start:])
    return [s.strip() for s in out if s.strip()]


def _track(stack: list[str], ch: str, prev: str) -> bool:
    """Update the bracket stack for ``ch``; True when ``ch`` closes a quotation that ended a
    sentence (the terminator just before it) at the outer level."""
    if ch in SYMMETRIC and stack and stack[-1] == ch:
        stack.pop()
        return prev in TERMINATORS and not stack
    if ch in OPENERS or ch in SYMMETRIC:
        stack.append(OPENERS.get(ch, ch))
    elif ch in CLOSERS and stack and stack[-1] == ch:
        stack.pop()
        return prev in TERMINATORS and not stack
    return False


def split(paragraphs: Iterable[str]) -> list[str]:
    """The sentences of a text given as paragraphs, in order."""
    return [s for p in paragraphs for s in split_paragraph(p)]
