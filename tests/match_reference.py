"""The title matcher as it was before it was made near-linear (main at 21b2066), kept as the
oracle: ``digest.match.match_titles`` must return exactly what this returns, ties included.

It compares every entry with every candidate span (``process.extract`` over all of them) and
aligns with a dynamic programme that tries every state for every candidate: quadratic, and
easy to read. tests/test_match.py compares the two; benchmarks/bench_match.py times them.
"""

from __future__ import annotations

from digest.match import KEEP_PER_ENTRY, MATCH_MIN, MAX_SPAN, PREFIX_MIN_CHARS, PREFIX_SCORE, TitleMatch
from digest.models import Line, TocEntry
from digest.text import key


def match_titles(entries: list[TocEntry], lines: list[Line], start: int) -> list[TitleMatch]:
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
    return align(options)


def _prefix_options(entry_key: str, spans: list[tuple[int, int]], cand_keys: list[str]):
    if len(entry_key) < PREFIX_MIN_CHARS:
        return []
    out: dict[int, tuple[int, int, float]] = {}
    for (a, b), cand in zip(spans, cand_keys):
        if a not in out and len(cand) > len(entry_key) and cand.startswith(entry_key):
            out[a] = (a, b, PREFIX_SCORE)
    return list(out.values())[:KEEP_PER_ENTRY]


def align(options: list[list[tuple[int, int, float]]]) -> list[TitleMatch]:
    """Order-preserving choice of at most one candidate per entry, maximising total score."""
    states: dict[int, tuple[float, tuple[TitleMatch, ...]]] = {-1: (0.0, ())}
    for e, opts in enumerate(options):
        new = dict(states)
        for end, (total, chosen) in states.items():
            for a, b, score in opts:
                if a >= end and (b not in new or new[b][0] < total + score):
                    new[b] = (total + score, chosen + (TitleMatch(e, a, b, score),))
        states = new
    return list(max(states.values(), key=lambda s: s[0])[1])
