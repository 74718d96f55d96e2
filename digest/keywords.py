"""Keywords of an article: TF-IDF over jieba tokens, with the noise filtered out.

Candidates are tokens of two or more characters that are not numbers, dates or quantities
(patterns below and units.txt), not bureaucratic filler (stopwords.txt), and not the names of
the article's own regions (an article filed under 江苏 gains nothing from the keyword 江苏).
The title counts ``TITLE_WEIGHT`` times, because a headline names its subject.

The IDF is a value (``Idf``), not a global: ``Idf.jieba()`` is jieba's bundled table, and
``Idf.from_documents`` builds one from the user's own library once it has enough issues, so the
weights can follow the bulletins actually read rather than jieba's general corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from digest.gazetteer import DATA_DIR

DEFAULT_COUNT = 6  # the issue asks for five to eight; six fits on one line of a digest
# A headline is the editor's own summary of the subject: its words count three times.
TITLE_WEIGHT = 3
MIN_CHARS = 2  # one-character tokens are particles, measure words or abbreviations
_DIGITS = "0-9０-９"
_CN_NUM = "零〇一二三四五六七八九十百千万亿两几数半"
# Numbers, dates, percentages and ranges: 2020, 12月, 5%, 3-5, 1.17, 第三, 六大, 五个.
NUMBER = re.compile(
    rf"^[{_DIGITS}.．,，%％+\-－~～—/:：*×]+[年月日号时分秒期届]?$"
    rf"|^第?[{_DIGITS}{_CN_NUM}]+[年月日号个项家座条批大次期届类种名位倍成是点]?$"
)
PUNCT = re.compile(r"^[\W_]+$")
NUMERAL_HEAD = re.compile(rf"^第?[{_DIGITS}{_CN_NUM}]+")
# Characters that do not begin or end a content word. jieba's HMM sometimes glues one to a
# neighbour (委将, 将建); a word it guessed that starts or ends with one is such a fragment.
FUNCTION_CHARS = frozenset("将的了着过等和与及并或在对把被从向为是之其该")


@dataclass(frozen=True)
class Idf:
    """Inverse document frequencies; ``default`` is the weight of a word never seen."""

    weights: Mapping[str, float]
    default: float

    def __call__(self, word: str) -> float:
        return self.weights.get(word, self.default)

    @classmethod
    def jieba(cls) -> Idf:
        """jieba's bundled table; unseen words get its median, as jieba.analyse does."""
        from digest import tokens

        table, median = tokens.jieba_idf()
        return cls(table, median)

    @classmethod
    def from_documents(cls, documents: Iterable[Iterable[str]]) -> Idf:
        """An IDF built from tokenised documents (say, every article of the user's library).

        Smoothed, ``ln((N + 1) / (df + 1)) + 1``, so a word in every document keeps a small
        positive weight; unseen words get the median, as with jieba's table.
        """
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            df.update(set(doc))
        weights = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
        values = sorted(weights.values()) or [1.0]
        return cls(weights, values[len(values) // 2])


@lru_cache(maxsize=1)
def default_idf() -> Idf:
    return Idf.jieba()


def _word_file(name: str) -> frozenset[str]:
    text = (DATA_DIR / name).read_text("utf-8")
    lines = (ln.split("#", 1)[0] for ln in text.splitlines())
    return frozenset(w for ln in lines for w in ln.split())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return _word_file("stopwords.txt")


@lru_cache(maxsize=1)
def units() -> frozenset[str]:
    return _word_file("units.txt")


def is_candidate(token: str, exclude: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether ``token`` may be a keyword at all."""
    return token not in exclude and _keyword_shaped(token)


@lru_cache(maxsize=1 << 16)  # an issue's tokens repeat; each is judged once per process
def _keyword_shaped(token: str) -> bool:
    if len(token) < MIN_CHARS or PUNCT.match(token) or NUMBER.match(token):
        return False
    if token in stopwords() or token in units():
        return False
    return not (_is_quantity(token) or _is_fragment(token))


def _is_quantity(token: str) -> bool:
    """A number glued to a unit or a filler word (5000万元, 30余家, 五方面)."""
    head = NUMERAL_HEAD.match(token)
    if head and (token[head.end():] in stopwords() or token[head.end():] in units()):
        return True
    return any(token[i:] in units() and NUMBER.match(token[:i]) for i in range(1, len(token)))


def _is_fragment(token: str) -> bool:
    from digest import tokens

    edges = token[0] in FUNCTION_CHARS or token[-1] in FUNCTION_CHARS
    return edges and not tokens.known(token)


def weights(title: Sequence[str], body: Sequence[str], *, idf: Idf | None = None,
            exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, float]:
    """TF-IDF weight of every candidate token of an article."""
    idf = idf or default_idf()
    counts = Counter(t for t in body if is_candidate(t, exclude))
    for t in title:
        if is_candidate(t, exclude):
            counts[t] += TITLE_WEIGHT
    total = sum(counts.values()) or 1
    return {t: c / total * idf(t) for t, c in counts.items()}


def top(scores: Mapping[str, float], k: int = DEFAULT_COUNT) -> tuple[str, ...]:
    """The ``k`` best words; a word inside a better one (智能 in 智能航运) is left out."""
    chosen: list[str] = []
    for word in sorted(scores, key=lambda w: -scores[w]):  # stable: ties keep first appearance
        if not any(word in c for c in chosen):
            chosen.append(word)
        if len(chosen) == k:
            break
    return tuple(chosen)


def extract(title: Sequence[str], body: Sequence[str], *, k: int = DEFAULT_COUNT,
            idf: Idf | None = None, exclude: frozenset[str] | set[str] = frozenset()
            ) -> tuple[str, ...]:
    """Up to ``k`` keywords from the tokens of the title and the body."""
    return top(weights(title, body, idf=idf, exclude=exclude), k)
