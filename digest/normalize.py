"""``normalize``: the clean-up that stored text and queries share, alone in a small module.

Fonts whose glyphs are radicals (Kangxi, CJK Radicals Supplement) or compatibility ideographs
give code points that look right and search wrong; full-width digits and Latin letters
(ＧＤＰ１２) should find what ASCII finds; pypdf's unmapped glyph names and control characters
are noise. Text is normalised when an issue is read (digest.text) and a query when it is parsed
(digest.query), by this one function, so a query finds what the stored text says.

`digest search` imports it to normalise its query; digest.text's other clean-ups (their
patterns, the tables of variants) are not loaded for that. The translation table (a data file
and a walk over some two thousand code points) is built only for a text that has a character
in the ranges it can map (``MAYBE_MAPPED``): an ordinary query never builds it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE_RE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff]")
# pypdf writes glyphs it cannot map as "/G065"-style names.
_GLYPH_NAME_RE = re.compile(r"/G[0-9A-Fa-f]{2,4}\b")
# Every code point ``_translation`` can map lies in these ranges (tests/test_text.py checks):
# a tab, the radical blocks, the ideographic space, compatibility ideographs, full-width ０-ｚ.
MAYBE_MAPPED = re.compile("[\t\u2e80-\u2fdf\u3000\uf900-\ufaff\uff10-\uff5a\U0002f800-\U0002fa1f]")


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    from digest.config import data_text

    table: dict[int, str] = {}
    for cp in range(0x2F00, 0x2FE0):  # Kangxi radicals: NFKC knows them
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if mapped != chr(cp):
            table[cp] = mapped
    for line in data_text("radicals.tsv").splitlines():
        if line and not line.startswith("#"):
            radical, ideograph = line.split("\t")[:2]
            table[int(radical, 16)] = chr(int(ideograph, 16))
    for lo, hi in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):  # compatibility ideographs
        for cp in range(lo, hi):
            mapped = unicodedata.normalize("NFC", chr(cp))
            if mapped != chr(cp):
                table[cp] = mapped
    for lo, hi in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)):  # ０-９ Ａ-Ｚ ａ-ｚ
        for cp in range(lo, hi):
            table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "  # ideographic space: layout, not content
    table[0x09] = " "
    return table


def normalize(s: str) -> str:
    """Map radicals, compatibility ideographs and full-width alphanumerics; drop control chars."""
    s = _GLYPH_NAME_RE.sub("", s)
    if MAYBE_MAPPED.search(s) and _mapped_re().search(s):  # str.translate looks every
        s = s.translate(_translation())  # character up: ~5× the search
    return _INVISIBLE_RE.sub("", s)


@lru_cache(maxsize=1)
def _mapped_re() -> re.Pattern:
    """Any character that ``_translation`` maps."""
    cps = sorted(_translation())
    runs = []
    for cp in cps:
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]")
