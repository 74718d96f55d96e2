"""ROUGE-N on characters, for Chinese summaries (no word segmentation involved).

White space and punctuation are dropped first: they say nothing about content, and a summary
should not score for sharing a run of "，".
"""

from __future__ import annotations

import unicodedata
from collections import Counter


def chars(text: str) -> list[str]:
    return [c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")]


def ngrams(text: str, n: int) -> Counter:
    cs = chars(text)
    return Counter(tuple(cs[i:i + n]) for i in range(len(cs) - n + 1))


def rouge_n(candidate: str, reference: str, n: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of the character n-grams of ``candidate`` against ``reference``."""
    cand, ref = ngrams(candidate, n), ngrams(reference, n)
    overlap = sum((cand & ref).values())
    p = overlap / sum(cand.values()) if cand else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def mean_f1(pairs, n: int) -> float:
    """Mean ROUGE-N F1 over (candidate, reference) pairs."""
    pairs = list(pairs)
    return sum(rouge_n(c, r, n)[2] for c, r in pairs) / len(pairs)
