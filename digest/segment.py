"""jieba's accurate mode (``Tokenizer.lcut(text)``, HMM on), the same steps in fewer operations.

Segmentation is half of what ``digest add`` spends on an issue, and most of that is jieba's
Python loop over each block of a text: ``get_DAG`` (every dictionary word starting at each
character), ``calc`` (the best route, from the last character back), then the route read
forwards, runs of single characters handed to its HMM (``finalseg.cut``). Here the route is
computed in the same backward pass that finds the words, with one dictionary lookup per
fragment instead of two and no tuples or generators; the arithmetic, its order, the ties
(the longer word wins, as ``max`` over ``(score, end)`` gives) and the HMM calls are jieba's.
The HMM (``hmm_cut``) is finalseg's Viterbi with back-pointers instead of a path list copied
at every character, ties broken as its ``max`` breaks them. The tokens are the same, token
for token: tests/test_tokens.py compares them with jieba's own on the committed texts and on
generated ones.

No jieba import here (tokens.py is the one module that imports it): the caller passes jieba's
dictionary, total, block patterns and HMM cut. It is used only with ``JIEBA_VERSION``, the
version whose loop it follows; with any other, tokens.py calls jieba's own ``lcut``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from math import log

JIEBA_VERSION = "0.42.1"  # jieba/__init__.py of this version: cut, __cut_DAG, get_DAG, calc;
# jieba/finalseg/__init__.py: cut, __cut, viterbi


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


MIN_FLOAT = -3.14e100  # jieba.finalseg's score of what its tables leave out


def hmm_cut(text: str, start: Mapping, trans: Mapping, emit: Mapping, force_split,
            block: re.Pattern, skip: re.Pattern) -> list[str]:
    """``list(jieba.finalseg.cut(text))``: its HMM (states B, M, E, S; ``start``, ``trans``,
    ``emit`` are its tables, ``force_split`` its ``Force_Split_Words``, ``block`` and ``skip``
    its patterns), the Viterbi path kept as back-pointers instead of a list copied per step."""
    out: list[str] = []
    for blk in block.split(text):
        if block.match(blk):
            for word in _hmm_words(blk, start, trans, emit):
                if word not in force_split:
                    out.append(word)
                else:
                    out.extend(word)
        else:
            out.extend(x for x in skip.split(blk) if x)
    return out


def _hmm_words(blk: str, start, trans, emit) -> list[str]:
    states = _viterbi(blk, start, trans, emit)
    words: list[str] = []
    begin = nexti = 0
    for i, pos in enumerate(states):
        if pos == "B":
            begin = i
        elif pos == "E":
            words.append(blk[begin:i + 1])
            nexti = i + 1
        elif pos == "S":
            words.append(blk[i])
            nexti = i + 1
    if nexti < len(blk):
        words.append(blk[nexti:])
    return words


def _viterbi(obs: str, start, trans, emit) -> list[str]:
    """finalseg.viterbi's best state path. Its ``max`` over (score, previous state) pairs takes
    the later letter on a tie (S over E, M over B): so do the comparisons below."""
    eb, em, ee, es = (emit[s].get for s in "BMES")
    t = {(a, b): trans[a].get(b, MIN_FLOAT) for a in "BMES" for b in "BMES"}
    tEB, tSB, tMM, tBM, tSS, tES, tBE, tME = (t["E", "B"], t["S", "B"], t["M", "M"], t["B", "M"],
                                              t["S", "S"], t["E", "S"], t["B", "E"], t["M", "E"])
    o = obs[0]
    vb, vm = start["B"] + eb(o, MIN_FLOAT), start["M"] + em(o, MIN_FLOAT)
    vs, ve = start["S"] + es(o, MIN_FLOAT), start["E"] + ee(o, MIN_FLOAT)
    back = []
    for o in obs[1:]:
        e = eb(o, MIN_FLOAT)  # B after E or S
        x, y = ve + tEB + e, vs + tSB + e
        nb, pb = (x, "E") if x > y else (y, "S")
        e = em(o, MIN_FLOAT)  # M after M or B
        x, y = vm + tMM + e, vb + tBM + e
        nm, pm = (x, "M") if x >= y else (y, "B")
        e = es(o, MIN_FLOAT)  # S after S or E
        x, y = vs + tSS + e, ve + tES + e
        ns, ps = (x, "S") if x >= y else (y, "E")
        e = ee(o, MIN_FLOAT)  # E after B or M
        x, y = vb + tBE + e, vm + tME + e
        ne, pe = (x, "B") if x > y else (y, "M")
        back.append({"B": pb, "M": pm, "S": ps, "E": pe})
        vb, vm, vs, ve = nb, nm, ns, ne
    state = "E" if ve > vs else "S"
    path = [state]
    for step in reversed(back):
        state = step[state]
        path.append(state)
    return path[::-1]
