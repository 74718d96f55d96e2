"""Chinese text clean-up: what PDF extraction does to Chinese, undone.

Extraction damages Chinese text in a handful of recurring ways, each handled by one function:

* fonts whose glyphs are radicals (Kangxi, CJK Radicals Supplement) or compatibility ideographs
  give code points that look right and search wrong → ``normalize`` (digest/normalize.py,
  which queries share);
* full-width digits and Latin letters (ＧＤＰ１２) → ASCII, while full-width *punctuation* stays,
  because NFKC would turn "，" into "," and "……" into "......";
* GBK fonts without a ToUnicode map come out as Latin-1 mojibake ("Ä¿Â¼" for 目录) →
  ``repair_mojibake`` re-decodes the bytes;
* justification and letter-spacing put spaces between ideographs → ``tidy_spaces``; the space
  that separates two clauses of a title is kept when asked;
* fake bold draws every glyph twice → ``undouble``.

``key`` gives the comparison form used to match titles (no spaces, no punctuation).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from digest.config import data_text
from digest.normalize import normalize

# Sentence-final punctuation: a line ending in one of these (optionally followed by closing
# quotes or brackets) may end a paragraph.
SENTENCE_END = "。！？；!?;…"
CLOSERS = "”’」』）)】》〉\"'"
_SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_END)}][{re.escape(CLOSERS)}]*$")

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014-\u2027“”‘’"
# Patterns with CJK classes are compiled on first use: re spends 1-3 ms on each such class
# (it maps the tens of thousands of code points in a bitmap).


@cache
def _cjk_space_re() -> re.Pattern:
    """A space between two CJK characters, or between CJK and CJK punctuation."""
    return re.compile(f"(?<=[{CJK}{CJK_PUNCT}]) +(?=[{CJK}{CJK_PUNCT}])")


# The same, but only where one side is a short run: letter-spacing ("目 录", "第 一 章").
# Both sides of a title's clause separator are at least this many ideographs long.
CLAUSE_MIN_CHARS = 4
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A Latin-1 run that is really GBK: two or more high-half characters among ASCII.
_LATIN1_RUN_RE = re.compile(r"[\x20-\xff]*[\x80-\xff][\x20-\xff]*")
_LATIN1_HIGH = re.compile(r"[\x80-\xff]")
MOJIBAKE_MIN_HIGH = 2  # one GBK character is two bytes; one stray "é" is French, not mojibake
# Latin text with accents ("Café Müller") also decodes as GBK; it is mostly ASCII letters.
MOJIBAKE_MAX_LATIN = 0.3


# High-frequency characters that simplification changed, and their traditional forms: a
# document is simplified Chinese when the first far outnumber the second.
SIMPLIFIED_MARKERS = "这们为国发会经说时对产业区员长开关与进设实现务"
TRADITIONAL_MARKERS = "這們為國發會經說時對產業區員長開關與進設實現務"
SIMPLIFIED_MIN = 20  # marker characters a text needs before its script is judged
SIMPLIFIED_RATIO = 10  # and how many times more simplified than traditional ones


@lru_cache(maxsize=1)
def _variants() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in data_text("variants.tsv").splitlines():
        if line and not line.startswith("#"):
            variant, simplified = line.split("\t")[:2]
            table[ord(variant)] = simplified
    return table


def is_simplified(text: str) -> bool:
    simp = sum(text.count(ch) for ch in SIMPLIFIED_MARKERS)
    trad = sum(text.count(ch) for ch in TRADITIONAL_MARKERS)
    return simp >= SIMPLIFIED_MIN and simp >= SIMPLIFIED_RATIO * trad


def fix_variants(lines: list[str]) -> list[str]:
    """In a simplified-Chinese document, map a font's traditional twins (戶 → 户) back;
    traditional text is left as it is."""
    table = _variants()
    if not any(ch in "".join(lines) for ch in map(chr, table)) or not is_simplified("".join(lines)):
        return lines
    return [line.translate(table) for line in lines]


def repair_mojibake(s: str) -> str:
    """Re-decode Latin-1 runs that are really GBK bytes (fonts without a Unicode map)."""
    if not _LATIN1_HIGH.search(s):  # most lines: a regex scan, not a Python loop per character
        return s
    return _LATIN1_RUN_RE.sub(_redecode, s)


def _redecode(m: re.Match) -> str:
    run = m.group(0)
    high = [ch for ch in run if ch >= "\x80"]
    # Dot leaders (·······) are Latin-1 too; GBK text gives varied bytes.
    if len(high) < MOJIBAKE_MIN_HIGH or len(set(high)) < 2:
        return run
    try:
        decoded = run.encode("latin-1").decode("gbk")
    except UnicodeError:
        return run
    letters = sum(ch.isascii() and ch.isalpha() for ch in run)
    return decoded if letters <= MOJIBAKE_MAX_LATIN * len(run.replace(" ", "")) else run


def tidy_spaces(s: str, *, keep_clause_space: bool = False) -> str:
    """Collapse white space and remove the spaces extraction put between ideographs.

    With ``keep_clause_space`` (titles), a single space between two runs of at least
    ``CLAUSE_MIN_CHARS`` ideographs is kept: "金融产业园开园 集聚基金规模已突破千亿元".
    """
    s = _SPACE_RE.sub(" ", s).strip()
    if not keep_clause_space:
        return _cjk_space_re().sub("", s)
    return _cjk_space_re().sub(_space_unless_clause, s)


@cache
def _clause_side_re() -> re.Pattern:
    return re.compile(f"[{CJK}{CJK_PUNCT}]{{{CLAUSE_MIN_CHARS}}}")


def _space_unless_clause(m: re.Match) -> str:
    # Only the CLAUSE_MIN_CHARS characters on each side are looked at: linear in the line,
    # where searching the whole prefix for each space was quadratic on a long line.
    s, start, end = m.string, m.start(), m.end()
    left = s[max(0, start - CLAUSE_MIN_CHARS):start]
    right = s[end:end + CLAUSE_MIN_CHARS]
    clause = _clause_side_re().fullmatch(left) and _clause_side_re().fullmatch(right)
    return " " if clause else ""


def undouble(s: str) -> str:
    """Undo fake bold that doubled every glyph ("微微软软" → "微软"), token by token.

    Only when every token of the line is doubled and there are at least six characters, so
    that real reduplication ("常常", "一一对应") survives.
    """
    tokens = s.split(" ")
    chars = "".join(tokens)
    if len(chars) < 6 or not all(_is_doubled(t) for t in tokens if t):
        return s
    return " ".join(t[::2] for t in tokens)


def _is_doubled(token: str) -> bool:
    return len(token) % 2 == 0 and all(token[i] == token[i + 1] for i in range(0, len(token), 2))


def clean_line(raw: str, *, keep_clause_space: bool = False) -> str:
    """The whole clean-up for one extracted line."""
    s = normalize(repair_mojibake(raw))
    return undouble(tidy_spaces(s, keep_clause_space=keep_clause_space))


_KEY_DROP_RE = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
                          r"\u2010-\u2027\u00b7!-/:-@\[-`{-~]")


def key(s: str) -> str:
    """Comparison form of a title: no white space, quotes or punctuation; ASCII lower-cased."""
    return _KEY_DROP_RE.sub("", normalize(s)).lower()


def ends_sentence(s: str) -> bool:
    return bool(_SENTENCE_END_RE.search(s.rstrip()))


def width(s: str) -> float:
    """Display width in em: ASCII ½, everything else (ideographs, full-width forms, and
    “”…— as a CJK font draws them) 1. Counted in C: this runs for every text run of a PDF."""
    ascii_chars = len(s.encode("ascii", "ignore"))
    return len(s) - 0.5 * ascii_chars


@cache
def _ideograph_re() -> re.Pattern:
    return re.compile(f"[{CJK}]")


def ideographs(s: str) -> int:
    """How many CJK ideographs ``s`` holds."""
    return len(_ideograph_re().findall(s))


def compact(s: str) -> str:
    """All white space removed: how bodies are compared 'up to white space'."""
    return re.sub(r"\s+", "", s)
