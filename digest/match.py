"""Finding the printed TOC's titles in the body, with rapidfuzz.

The body's title may differ from the TOC's in spacing, quotes, punctuation or a word or two,
and may wrap over two lines (also across a page break). Every line and every run of up to
``MAX_SPAN`` consecutive lines is a candidate; each entry keeps its best few
(``KEEP_PER_ENTRY``, best score first, earlier line first among equals), and ``align`` picks,
for the entries in TOC order, candidates in body order that maximise the total score: an
entry that appears twice (once in a sentence) cannot pull the match out of order.

Comparing every entry with every candidate was quadratic (462 entries × 27,000 spans: seconds).
``candidates.SpanFilter`` first rules out, with exact upper bounds on the score, every span
that cannot reach ``MATCH_MIN``, so rapidfuzz scores only a few dozen spans per entry and keeps
the same best few as before; ``align`` is O(candidates × log lines). The matches are the ones
the full comparison gives, ties included (tests/test_match.py compares the two).
"""

from __future__ import annotations

from digest.align import TitleMatch, align
from digest.candidates import SpanFilter
from digest.models import Line, TocEntry
from digest.text import key

__all__ = ["KEEP_PER_ENTRY", "MATCH_MIN", "MAX_SPAN", "TitleMatch", "match_titles"]

# Below this similarity (0–100, on the comparison keys) a line is not the entry's title.
# Set where a changed word or two in a 15-character title still passes and two different
# titles of the same bulletin (which share words like 上海, 发展) do not.
MATCH_MIN = 72.0
MAX_SPAN = 3  # lines a candidate spans; the structure stage extends a match over its title's style
# A TOC title shortened to the opening of the body's title ("…签署协议" for "…签署协议 首批项目
#落地") matches it when it is at least this long; such a match scores PREFIX_SCORE.
PREFIX_MIN_CHARS = 6
PREFIX_SCORE = 90.0
KEEP_PER_ENTRY = 5  # best candidates kept per entry for the alignment

Option = tuple[int, int, float]


def match_titles(entries: list[TocEntry], lines: list[Line], start: int) -> list[TitleMatch]:
    """Match TOC entries to title lines in ``lines[start:]``, in order."""
    if not entries or start >= len(lines):
        return []
    line_keys = [key(ln.text) for ln in lines[start:]]
    entry_keys = [key(e.title) for e in entries]
    spans = SpanFilter(line_keys, entry_keys, MAX_SPAN, MATCH_MIN)
    prefixed = _Prefixes(line_keys)
    options = [_best(k, spans, start) or prefixed.options(k, start) for k in entry_keys]
    return align(options, len(lines))


def _best(entry_key: str, spans: SpanFilter, start: int) -> list[Option]:
    """The entry's best few candidates scoring at least MATCH_MIN: best first, and of equal
    scores the earlier first line, then the fewer lines (the order of a scan of every span)."""
    from rapidfuzz import fuzz, process

    found = []
    for n, first, keys in spans.candidates(entry_key):
        # Each span length's own best few hold the best few overall.
        for _, score, c in process.extract(entry_key, keys, scorer=fuzz.ratio, score_cutoff=MATCH_MIN,
                                           limit=KEEP_PER_ENTRY):
            found.append((-score, first[c], n))
    found.sort()
    return [(start + j, start + j + n, float(-score)) for score, j, n in found[:KEEP_PER_ENTRY]]


class _Prefixes:
    """Candidates whose key opens with a whole (shortened) TOC title: the shortest span at
    each line, indexed by their first PREFIX_MIN_CHARS characters when first needed."""

    def __init__(self, line_keys: list[str]):
        self.keys = line_keys
        self._heads: dict[str, list[int]] | None = None

    def options(self, entry_key: str, start: int) -> list[Option]:
        if len(entry_key) < PREFIX_MIN_CHARS:
            return []
        out = []
        for j in self._by_head().get(entry_key[:PREFIX_MIN_CHARS], ()):
            for n in range(1, min(MAX_SPAN, len(self.keys) - j) + 1):
                cand = "".join(self.keys[j:j + n])
                if len(cand) > len(entry_key) and cand.startswith(entry_key):
                    out.append((start + j, start + j + n, PREFIX_SCORE))
                    break
            if len(out) == KEEP_PER_ENTRY:
                break
        return out

    def _by_head(self) -> dict[str, list[int]]:
        """Lines by the first PREFIX_MIN_CHARS characters of the keys of the spans they open."""
        if self._heads is None:
            self._heads = {}
            keys = self.keys
            for j in range(len(keys)):
                head = "".join(keys[j:j + MAX_SPAN])[:PREFIX_MIN_CHARS]
                if len(head) == PREFIX_MIN_CHARS:
                    self._heads.setdefault(head, []).append(j)
        return self._heads
