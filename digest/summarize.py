"""Extractive summaries: whole sentences of the body, verbatim, in their original order.

Ranking follows what works for news, where the lead is strong (see the ROUGE comparison with
Lead-1 in tests/test_summarize.py):

- position: the first sentence scores 1, the k-th 1/k;
- overlap with the title: the share of the title's character bigrams found in the sentence;
- keyword weight: the TF-IDF weight of the article's top keywords the sentence contains,
  relative to the best sentence.

Sentences that cannot stand alone rank lower: those that introduce a list (ending in ：), list
items (一是…, （二）…), fragments shorter than ``MIN_SENTENCE``, clauses that continue a sentence
cut at "；", and sentences opening with a connective that points back (其中, 此外 …: the list is
digest/data/connectives.txt). A sentence that repeats one already chosen is skipped.
The best sentences are taken greedily while the summary stays within ``max_chars``, then put
back in body order. A sentence joins only if it scores at least ``KEEP_FRACTION`` of the best:
filling the budget with weak sentences makes a summary longer, not better.

When no good sentence fits (the rule for long leads): the best-scoring sentence that fits is
used, however it scores, because a summary is made of whole sentences. Only when no sentence
of the body fits at all is the best one cut at its last clause boundary (，、：) before the
limit, ending with "…": a verbatim prefix of a sentence, but not a whole one.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from digest import sentences as sentence_split
from digest.gazetteer import DATA_DIR

MAX_CHARS = 120  # about two lines of a report: the length the issue asks for
W_POSITION, W_TITLE, W_KEYWORDS = 1.0, 0.8, 0.6  # the lead is the strongest signal in news
KEEP_FRACTION = 0.5  # a second sentence must be at least half as good as the best
MIN_SENTENCE = 10  # shorter "sentences" are headings (一、开放新高地。) or fragments
TOP_KEYWORDS = 10  # keywords whose presence counts towards a sentence's weight
DUPLICATE_OVERLAP = 0.8  # bigram Jaccard above which two sentences say the same thing
LIST_INTRO = ("：", ":")
CLAUSE_END = ("；", ";")  # a sentence cut here goes on in the next one
LIST_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+[是、]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+[，、])")
CLAUSE_MARKS = "，、：,:"
ELLIPSIS = "…"
PENALTY = 0.5  # multiplier for list intros, list items and fragments


def bigrams(text: str) -> set[str]:
    """The pairs of neighbouring letters and digits (punctuation and spaces left out)."""
    chars = "".join(filter(str.isalnum, text))
    return set(map(operator.add, chars, chars[1:]))


def _score_all(title: str, sents: Sequence[str], weights: Mapping[str, float]) -> list[float]:
    title_grams = bigrams(title)
    top = sorted(weights, key=lambda w: -weights[w])[:TOP_KEYWORDS]
    kw = [sum(weights[w] for w in top if w in s) for s in sents]
    kw_max = max(kw, default=0.0) or 1.0
    scores = []
    for i, s in enumerate(sents):
        overlap = len(bigrams(s) & title_grams) / len(title_grams) if title_grams else 0.0
        score = W_POSITION / (i + 1) + W_TITLE * overlap + W_KEYWORDS * kw[i] / kw_max
        continues = i > 0 and sents[i - 1].endswith(CLAUSE_END)
        scores.append(score * (PENALTY if continues or not _stands_alone(s) else 1.0))
    return scores


def _stands_alone(sentence: str) -> bool:
    return not (sentence.endswith(LIST_INTRO) or LIST_ITEM.match(sentence)
                or len(sentence) < MIN_SENTENCE
                or any(sentence.startswith(c) for c in connectives()))


@lru_cache(maxsize=1)
def connectives() -> tuple[str, ...]:
    text = (DATA_DIR / "connectives.txt").read_text("utf-8")
    words = {w for ln in text.splitlines() for w in ln.split("#", 1)[0].split()}
    return tuple(sorted(words, key=len, reverse=True))


def _duplicate(sentence: str, chosen: list[str]) -> bool:
    grams = bigrams(sentence)
    for other in chosen:
        union = grams | bigrams(other)
        if sentence == other or (union and len(grams & bigrams(other)) / len(union)
                                 > DUPLICATE_OVERLAP):
            return True
    return False


def select(title: str, sents: Sequence[str], weights: Mapping[str, float] | None = None,
           max_chars: int = MAX_CHARS) -> list[int]:
    """Indexes of the sentences to keep, in body order (may be empty: see ``summarize``)."""
    scores = _score_all(title, sents, weights or {})
    best = max(scores, default=0.0)
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(sents)), key=lambda i: (-scores[i], i)):
        if scores[i] < KEEP_FRACTION * best:
            break
        if used + len(sents[i]) > max_chars or _duplicate(sents[i], [sents[j] for j in chosen]):
            continue
        chosen.append(i)
        used += len(sents[i])
    return sorted(chosen)


def truncate(sentence: str, max_chars: int) -> str:
    """``sentence`` cut at its last clause boundary that leaves room for "…"."""
    room = max_chars - len(ELLIPSIS)
    cut = max((sentence.rfind(m, 0, room) for m in CLAUSE_MARKS), default=-1)
    head = sentence[:cut] if cut > 0 else sentence[:room]
    return head + ELLIPSIS


def summarize(title: str, body: Sequence[str], *, max_chars: int = MAX_CHARS,
              weights: Mapping[str, float] | None = None) -> str:
    """An extractive summary of ``body`` (paragraphs) in at most ``max_chars`` characters.

    ``weights`` are keyword weights (see keywords.weights); without them only position and
    title overlap rank the sentences. An empty body gives "".
    """
    return from_sentences(title, sentence_split.split(body), max_chars=max_chars,
                          weights=weights)


def from_sentences(title: str, sents: Sequence[str], *, max_chars: int = MAX_CHARS,
                   weights: Mapping[str, float] | None = None) -> str:
    """``summarize`` for a body already split into sentences."""
    if not sents:
        return ""
    chosen = select(title, sents, weights, max_chars)
    if chosen:
        return "".join(sents[i] for i in chosen)
    scores = _score_all(title, sents, weights or {})
    fitting = [i for i, sent in enumerate(sents) if len(sent) <= max_chars]
    if fitting:
        return sents[max(fitting, key=lambda i: (scores[i], -i))]
    return truncate(sents[max(range(len(sents)), key=lambda i: (scores[i], -i))], max_chars)
