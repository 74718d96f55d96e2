"""Which spans of body lines could be a TOC title: a filter that never drops a real candidate.

A title key E (length l1) and a span key C (length l2) score ``fuzz.ratio`` = 200·LCS/(l1+l2),
so a score of at least ``min_score`` needs LCS ≥ R·(l1+l2) with R = min_score/200. Two cheap
upper bounds on the LCS rule almost every span out before rapidfuzz compares anything:

- its length: LCS ≤ min(l1, l2), so l2 must lie in a window around l1;
- its characters: LCS ≤ Σ count-in-E(ch) over the distinct characters ch of E present in C,
  and for a span over several lines that is at most the sum of the lines' own sums.

Both are computed for all lines at once with Python integers as bit sets (bit j: body line j):
one set per character says which lines hold it, and the per-line sums are kept *bit-sliced*
(plane p holds bit p of every line's count), so adding a character is a few AND/XOR
operations over ~10,000-bit integers, and a span's sum is the lines' planes added with a
shift. Lines longer than any title could match are left out of every set. On a 462-entry,
9,900-line issue this leaves ~130 of the 30,000 spans per title, half of them real candidates.

The bounds carry a slack of one character (``SLACK``) so that rounding in the score never
matters: rapidfuzz, run on what is left, decides exactly as before.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

# Characters of slack in both bounds: a span is kept when it misses the needed LCS by less
# than this, so the float rounding of a score at the threshold cannot drop a true candidate.
SLACK = 1.0

# Bit sets are built as one byte per line, b"0" or b"1", read by int(…, 2) in C.
_ZERO, _ONE = 0x30, 0x31
# Span lengths are kept one byte per span: lengths from LONG up share one bucket, and NONE
# marks a span that runs past the last line.
LONG, NONE = 254, 255


class SpanFilter:
    """Bit sets over the body's line keys, for spans of 1…``max_span`` consecutive lines."""

    def __init__(self, line_keys: list[str], title_keys: list[str], max_span: int, min_score: float):
        self.size = size = len(line_keys)
        self.max_span = max_span
        self.min_score = min_score
        chars = set("".join(title_keys))
        max_length = self._length_window(max(map(len, title_keys), default=0))[1]
        # Lengths past max_length fit no window: one bucket for all of them.
        self._top = min(max_length + 1, LONG)
        holds = {ch: bytearray(b"0" * size) for ch in chars}
        common = frozenset(chars).intersection
        for j, k in enumerate(line_keys):
            if len(k) <= max_length:  # a longer line is in no candidate: its characters never count
                for ch in common(k):
                    holds[ch][j] = _ONE
        self._masks = {ch: int(row[::-1], 2) for ch, row in holds.items()}
        self._keys = [line_keys]  # _keys[n - 1][j]: the key of the n lines from line j
        for n in range(2, max_span + 1):
            self._keys.append([a + b for a, b in zip(self._keys[-1], line_keys[n - 1:])])
        self._buckets = [self._length_buckets(keys) for keys in self._keys]
        self._lengths = [_planes(b, lambda v: v) for b in self._buckets]
        self._windows: dict[tuple[int, int, int], int] = {}
        self._slack: dict[tuple[int, float], list[int]] = {}

    def _length_window(self, l1: int) -> tuple[int, int]:
        """Key lengths l2 with min(l1, l2) ≥ r·(l1 + l2) - SLACK: the LCS could be long enough."""
        r = self.min_score / 200
        return max(0, math.ceil((r * l1 - SLACK) / (1 - r))), math.floor((l1 * (1 - r) + SLACK) / r)

    def candidates(self, title_key: str) -> list[tuple[int, list[int], list[str]]]:
        """For each span length n (in lines): n, the first lines of the spans of n lines that
        could score ``min_score`` against ``title_key`` (ascending), and their keys."""
        r = self.min_score / 200
        l1 = len(title_key)
        lo, hi = self._length_window(l1)
        # LCS ≥ r·(l1+l2) - SLACK, and ceil(x + y) ≥ ceil(x) + floor(y): a span needs
        # ceil(r·l1 - SLACK) + floor(r·l2) characters, i.e. sum + slack(l2) ≥ need below.
        need = math.ceil(r * l1 - SLACK) + math.floor(r * self._top)
        lines = self._weighted_presence(title_key)
        sums, out = lines, []
        for n in range(1, self.max_span + 1):
            if n > 1:
                sums = _add(sums, [p >> (n - 1) for p in lines])
            enough = _at_least(_add(sums, self._length_slack(n, r)), need, self._window(n, lo, hi))
            first = _positions(enough)
            keys = self._keys[n - 1]
            out.append((n, first, [keys[j] for j in first]))
        return out

    def _weighted_presence(self, title_key: str) -> list[int]:
        """Bit-sliced, for every line: Σ count-in-title(ch) over the title's characters it holds."""
        planes: list[int] = []
        for ch, weight in Counter(title_key).items():
            if mask := self._masks.get(ch):
                _add_weighted(planes, mask, weight)
        return planes

    def _length_buckets(self, keys: list[str]) -> bytes:
        """One byte per span: its key's length, ``top`` for any longer, NONE past the end."""
        out = bytes(map(min, map(len, keys), itertools.repeat(self._top)))
        return out + bytes([NONE]) * (self.size - len(keys))

    def _window(self, n: int, lo: int, hi: int) -> int:
        """Spans of n lines whose key is lo…hi long (and some longer, in the ``top`` bucket)."""
        lo, hi = min(lo, self._top), min(hi, self._top)
        if (n, lo, hi) not in self._windows:
            lengths = self._lengths[n - 1]
            self._windows[n, lo, hi] = (_at_least(lengths, lo, (1 << self.size) - 1)
                                        & ~_at_least(lengths, hi + 1, (1 << self.size) - 1))
        return self._windows[n, lo, hi]

    def _length_slack(self, n: int, r: float) -> list[int]:
        """Bit-sliced, for spans of n lines: floor(r·top) - floor(r·length) (0 past the end)."""
        if (n, r) not in self._slack:
            top = math.floor(r * self._top)
            self._slack[n, r] = _planes(self._buckets[n - 1],
                                        lambda v: top - math.floor(r * v) if v <= self._top else 0)
        return self._slack[n, r]


def _planes(buckets: bytes, value) -> list[int]:
    """Bit-sliced ``value(b)`` for the byte b of every span (str.translate, then int(…, 2))."""
    values = [value(b) for b in range(256)]
    return [int(buckets.translate(bytes(_ONE if v >> p & 1 else _ZERO for v in values))[::-1], 2)
            for p in range(max(values).bit_length())]


def _positions(mask: int) -> list[int]:
    """The set bits of ``mask``, ascending (found by str.rfind, in C)."""
    digits = bin(mask)
    last = len(digits) - 1
    out = []
    i = digits.rfind("1", 2)
    while i >= 2:
        out.append(last - i)
        i = digits.rfind("1", 2, i)
    return out


def _add_weighted(planes: list[int], mask: int, weight: int) -> None:
    """Add ``weight`` to the bit-sliced count of every line in ``mask`` (ripple carry)."""
    for p in range(weight.bit_length()):
        if weight >> p & 1:
            carry, q = mask, p
            while carry:
                if q >= len(planes):
                    planes += [0] * (q - len(planes)) + [carry]
                    break
                x = planes[q]
                planes[q] = x ^ carry
                carry &= x
                q += 1


def _add(a: list[int], b: list[int]) -> list[int]:
    """Bit-sliced sum of two per-line counts."""
    out, carry = [], 0
    for p in range(max(len(a), len(b))):
        x = a[p] if p < len(a) else 0
        y = b[p] if p < len(b) else 0
        half = x ^ y
        out.append(half ^ carry)
        carry = (x & y) | (carry & half)
    if carry:
        out.append(carry)
    return out


def _at_least(planes: list[int], need: int, among: int) -> int:
    """The lines of ``among`` whose bit-sliced count is at least ``need``."""
    if need <= 0:
        return among
    if need >> len(planes):
        return 0
    greater, equal = 0, among
    for p in reversed(range(len(planes))):
        x = planes[p]
        if need >> p & 1:
            equal &= x
        else:
            greater |= equal & x
            equal &= ~x
    return greater | equal
