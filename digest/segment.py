"""jieba's accurate mode (``Tokenizer.lcut(text)``, HMM on), the same steps in fewer operations.

Segmentation is half of what ``digest add`` spends on an issue, and most of that is jieba's
Python loop over each block of a text: ``get_DAG`` (every dictionary word starting at each
character), ``calc`` (the best route, from the last character back), then the route read
forwards, runs of single characters handed to its HMM (``finalseg.cut``). Here the route is
computed in the same backward pass that finds the words, with one dictionary lookup per
fragment instead of two and no tuples or generators; the arithmetic, its order, the ties
(the longer word wins, as ``max`` over ``(score, end)`` gives) and the HMM calls are jieba's.
The tokens are the same, token for token: tests/test_tokens.py compares them with jieba's own
on the committed texts and on generated ones.

No jieba import here (tokens.py is the one module that imports it): the caller passes jieba's
dictionary, total, block patterns and HMM cut. It is used only with ``JIEBA_VERSION``, the
version whose loop it follows; with any other, tokens.py calls jieba's own ``lcut``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from math import log

JIEBA_VERSION = "0.42.1"  # jieba/__init__.py of this version: cut, __cut_DAG, get_DAG, calc


def lcut(text: str, freq: Mapping[str, int], total: int, block: re.Pattern, skip: re.Pattern,
         hmm_cut: Callable[[str], object]) -> list[str]:
    """``jieba.Tokenizer.lcut(text)``: ``block`` and ``skip`` are jieba's ``re_han_default``
    and ``re_skip_default``, ``hmm_cut`` its ``finalseg.cut``."""
    out: list[str] = []
    logtotal = log(total)
    for blk in block.split(text):
        if not blk:
            continue
        if block.match(blk):
            _cut_block(blk, freq.get, logtotal, hmm_cut, out)
        else:  # every other character is a token of its own; white space as jieba splits it
            for x in skip.split(blk):
                if skip.match(x):
                    out.append(x)
                else:
                    out.extend(x)
    return out


def _cut_block(blk: str, get, logtotal: float, hmm_cut, out: list[str]) -> None:
    n = len(blk)
    score = [0.0] * (n + 1)  # jieba's route[i][0]: the best log probability of blk[i:]
    end = [0] * n  # jieba's route[i][1]: where the first word of that route ends
    for i in range(n - 1, -1, -1):
        best, stop = 0.0, -1
        j, frag = i, blk[i]
        while j < n:  # the words starting at i (jieba's DAG[i]), shortest first
            f = get(frag)
            if f is None:
                break
            if f:
                value = log(f) - logtotal + score[j + 1]
                if stop < 0 or value >= best:  # >=: a tie goes to the longer word
                    best, stop = value, j
            j += 1
            frag = blk[i:j + 1]
        if stop < 0:  # no word: the character alone, frequency 1 (log 1 = 0)
            best, stop = log(get(blk[i]) or 1) - logtotal + score[i + 1], i
        score[i], end[i] = best, stop
    x, buf = 0, ""
    while x < n:
        y = end[x] + 1
        if y - x == 1:
            buf += blk[x]
        else:
            if buf:
                _flush(buf, get, hmm_cut, out)
                buf = ""
            out.append(blk[x:y])
        x = y
    if buf:
        _flush(buf, get, hmm_cut, out)


def _flush(buf: str, get, hmm_cut, out: list[str]) -> None:
    """A run of single characters: jieba's HMM guesses its words unless it is a word itself."""
    if len(buf) == 1:
        out.append(buf)
    elif not get(buf):
        out.extend(hmm_cut(buf))
    else:
        out.extend(buf)
