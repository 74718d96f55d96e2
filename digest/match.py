"""Finding the printed TOC's titles in the body, with rapidfuzz.

The body's title may differ from the TOC's in spacing, quotes, punctuation or a word or two,
and may wrap over two lines (also across a page break). Every line and every pair of
consecutive lines is a candidate; ``rapidfuzz.process.extract`` keeps each entry's best few
(in C; ``cdist`` would do all at once but needs numpy), and a small dynamic programme picks, for the entries in
TOC order, candidates in body order that maximise the total score: an entry that appears twice
(once in a sentence) cannot pull the match out of order.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.models import Line, TocEntry
from digest.text import key

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


@dataclass(frozen=True)
class TitleMatch:
    entry: int  # index into the TOC entries
    start: int  # first body line of the title
    stop: int  # one past its last line
    score: float


def match_titles(entries: list[TocEntry], lines: list[Line], start: int) -> list[TitleMatch]:
    """Match TOC entries to title lines in ``lines[start:]``, in order."""
    from rapidfuzz import fuzz, process

    if not entries or start >= len(lines):
        return []
    spans = [(i, i + n) for i in range(start, len(lines)) for n in range(1, MAX_SPAN + 1)
             if i + n <= len(lines)]
    cand_keys = ["".join(key(lines[j].text) for j in range(a, b)) for a, b in spans]
    entry_keys = [key(e.title) for e in entries]
    options = []
    for entry_key in entry_keys:
        best = process.extract(entry_key, cand_keys, scorer=fuzz.ratio, score_cutoff=MATCH_MIN,
                               limit=KEEP_PER_ENTRY)
        found = [(spans[c][0], spans[c][1], float(score)) for _, score, c in best]
        options.append(found or _prefix_options(entry_key, spans, cand_keys))
    return _align(options)


def _prefix_options(entry_key: str, spans: list[tuple[int, int]], cand_keys: list[str]):
    """Candidates whose title opens with the whole TOC title: the shortest span at each line."""
    if len(entry_key) < PREFIX_MIN_CHARS:
        return []
    out: dict[int, tuple[int, int, float]] = {}
    for (a, b), cand in zip(spans, cand_keys):
        if a not in out and len(cand) > len(entry_key) and cand.startswith(entry_key):
            out[a] = (a, b, PREFIX_SCORE)
    return list(out.values())[:KEEP_PER_ENTRY]


def _align(options: list[list[tuple[int, int, float]]]) -> list[TitleMatch]:
    """Order-preserving choice of at most one candidate per entry, maximising total score."""
    # states: end line -> (total score, chosen matches); start with nothing chosen.
    states: dict[int, tuple[float, tuple[TitleMatch, ...]]] = {-1: (0.0, ())}
    for e, opts in enumerate(options):
        new = dict(states)  # skipping the entry keeps every state
        for end, (total, chosen) in states.items():
            for a, b, score in opts:
                if a >= end and (b not in new or new[b][0] < total + score):
                    new[b] = (total + score, chosen + (TitleMatch(e, a, b, score),))
        states = new
    return list(max(states.values(), key=lambda s: s[0])[1])
