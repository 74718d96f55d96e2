"""The order-keeping choice of title matches: one candidate (or none) per TOC entry, in body
order, with the largest total score.

The choice is a dynamic programme over *states*: a state is the line where the last chosen
title stops, with the best total reaching it and the matches that make it up. An entry's
candidate ``(a, b, score)`` extends the best state stopping at or before ``a`` into a state
stopping at ``b``. Looking that best state up by scanning every state made the programme
quadratic (462 entries, ~2,000 states); here a Fenwick tree over stop lines answers "the best
state stopping at or before line a" in O(log lines), so the whole choice is O(candidates ×
log lines).

The result is the one the plain programme gives, ties included, because this reproduces its
order of trial exactly: states are tried in the order they were created and an entry's
candidates in their listed order, a state keeps the first best it sees (a later equal total
never replaces it), and of equal final totals the first-created state wins. Two states whose
totals differ by a rounding error can give the same total once a score is added; where that
can happen (a total within two units in the last place below the best), the states are
scanned as before, so floating point ties break the same way too.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class TitleMatch:
    entry: int  # index into the TOC entries
    start: int  # first body line of the title
    stop: int  # one past its last line
    score: float


Option = tuple[int, int, float]  # (start, stop, score) of one candidate


@dataclass
class _State:
    total: float
    pos: int  # creation order: ties go to the state created first
    chain: tuple | None  # (TitleMatch, previous chain): the matches, newest first


class _BestBefore:
    """Prefix maxima of (total, -creation order) over stop lines, for totals that only grow."""

    def __init__(self, size: int):
        self._tree: list[tuple[float, int, int]] = [(-math.inf, 0, -1)] * (size + 1)

    def raise_to(self, stop: int, value: tuple[float, int, int]) -> None:
        i = stop + 2  # stop -1 (nothing chosen yet) is the first slot, 1-based
        tree = self._tree
        while i < len(tree):
            if tree[i] < value:
                tree[i] = value
            i += i & -i

    def best(self, last_stop: int) -> tuple[float, int, int]:
        """(total, -creation order, stop) of the best state stopping at or before ``last_stop``."""
        i = last_stop + 2
        tree = self._tree
        out = tree[0]
        while i > 0:
            if tree[i] > out:
                out = tree[i]
            i -= i & -i
        return out


def align(options: list[list[Option]], lines: int) -> list[TitleMatch]:
    """Order-preserving choice of at most one candidate per entry, maximising the total score.

    ``options[e]`` are entry e's candidates, best first; ``lines`` bounds every stop line."""
    states: dict[int, _State] = {-1: _State(0.0, 0, None)}
    index = _BestBefore(lines + 2)
    index.raise_to(-1, (0.0, 0, -1))
    totals = [0.0]  # every state's total, sorted: where rounding could tie two of them
    for e, opts in enumerate(options):
        for stop, (total, _rank, chain) in _extensions(e, opts, states, index, totals).items():
            old = states.get(stop)
            if old is None:
                states[stop] = _State(total, len(states), chain)
            elif total > old.total:
                del totals[bisect.bisect_left(totals, old.total)]
                old.total, old.chain = total, chain
            else:
                continue
            state = states[stop]
            bisect.insort(totals, total)
            index.raise_to(stop, (total, -state.pos, stop))
    best = max(states.values(), key=lambda s: (s.total, -s.pos))
    out = []
    chain = best.chain
    while chain is not None:
        out.append(chain[0])
        chain = chain[1]
    return out[::-1]


def _extensions(e: int, opts: list[Option], states: dict[int, _State], index: _BestBefore,
                totals: list[float]) -> dict[int, tuple[float, tuple[int, int], tuple]]:
    """Entry e's best extension for each stop line, judged on the states before entry e.

    Of equal totals the first in the plain programme's order of trial wins: the earliest
    created state, then the earliest listed candidate; stops keep their first listing order."""
    best: dict[int, tuple[float, tuple[int, int], tuple]] = {}
    for k, (a, b, score) in enumerate(opts):
        total, neg_pos, stop = index.best(a)
        value = total + score
        if _rounding_may_tie(totals, total, value):
            value, neg_pos, stop = _scan(states, a, score)
        rank = (-neg_pos, k)
        if b not in best or value > best[b][0] or (value == best[b][0] and rank < best[b][1]):
            best[b] = (value, rank, (TitleMatch(e, a, b, score), states[stop].chain))
    return best


def _rounding_may_tie(totals: list[float], total: float, value: float) -> bool:
    """Whether some state's total lies just below ``total``, close enough that adding the
    score could round both to ``value``."""
    near = total - 2 * math.ulp(value)
    return bisect.bisect_left(totals, near) < bisect.bisect_left(totals, total)


def _scan(states: dict[int, _State], a: int, score: float) -> tuple[float, int, int]:
    """The plain programme's pick: the first-created state stopping by ``a`` with the best sum."""
    value, neg_pos, stop = -math.inf, 0, -1
    for end, s in states.items():
        if end <= a and s.total + score > value:
            value, neg_pos, stop = s.total + score, -s.pos, end
    return value, neg_pos, stop
