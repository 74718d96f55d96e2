"""Word segmentation: the only module that imports jieba.

jieba is heavy (its prefix dictionary takes a second or more to build) and chatty (it logs to
stderr), and its module-level API shares one global tokenizer. So:

- it is imported inside functions only, the first time a caller needs tokens; ``digest --help``
  and ``digest toc`` never load it;
- its logger is set to WARNING before the dictionary loads, and the warnings its own imports
  raise (jieba imports the deprecated pkg_resources) are silenced, so nothing reaches stderr;
- one ``jieba.Tokenizer`` instance of our own is built (not ``jieba.dt``), its prefix-dictionary
  cache kept in the user cache folder (``platformdirs.user_cache_dir("digest")``) rather than the
  system temp folder;
- every multi-character name of the gazetteer is added as a user word, so 临港新片区 and
  苏州工业园区 come out as one token each.
"""

from __future__ import annotations

import logging
import re
import warnings
from functools import lru_cache
from pathlib import Path

from digest import gazetteer

CACHE_FILE = "jieba.cache"
# Frequency given to a gazetteer name missing from jieba's dictionary. High enough that the name
# beats the pieces it would otherwise be cut into (临港 + 新 + 片区), far below everyday function
# words (的 ≈ 300 000) so it does not swallow its neighbours.
USER_WORD_FREQ = 2000
# White space next to a Chinese character is layout, not a word break ("G60 科创走廊").
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


def cache_dir() -> Path | None:
    """The user cache folder for jieba's prefix dictionary, or None if it cannot be created."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir("digest"))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # jieba then falls back to the system temp folder
    return path


def _jieba():
    """The jieba module, imported without the warnings its import of pkg_resources raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def tokenizer():
    """The process's jieba tokenizer: initialised, quiet, with the gazetteer's words."""
    jieba = _jieba()
    tk = jieba.Tokenizer()
    folder = cache_dir()
    if folder is not None:
        tk.tmp_dir = str(folder)
        tk.cache_file = CACHE_FILE
    tk.initialize()
    for word in gazetteer.load().words():
        if word not in tk.FREQ or not tk.FREQ[word]:
            tk.add_word(word, freq=USER_WORD_FREQ)
    return tk


def cut(text: str) -> list[str]:
    """Tokens of ``text``, without white space."""
    text = _CJK_SPACE.sub("", text)
    return [t for t in tokenizer().lcut(text) if t.strip()]


def known(word: str) -> bool:
    """Whether ``word`` is in the tokenizer's dictionary (not a guess of jieba's HMM)."""
    return bool(tokenizer().FREQ.get(word))


@lru_cache(maxsize=1)
def jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table (word → idf) and its median, the weight of unseen words."""
    path = Path(_jieba().__file__).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]
