"""Word segmentation: the only module that imports jieba.

jieba is heavy (its prefix dictionary takes a second or more to build) and chatty (it logs to
stderr), and its module-level API shares one global tokenizer. So:

- it is imported inside functions only, the first time a caller needs tokens; ``digest --help``
  and ``digest toc`` never load it;
- its logger is set to WARNING before the dictionary loads, and the warnings its own imports
  raise (jieba imports the deprecated pkg_resources) are silenced, so nothing reaches stderr;
- one ``jieba.Tokenizer`` instance of our own is used (not ``jieba.dt``);
- every multi-character name of the gazetteer is added as a user word, so 临港新片区 and
  苏州工业园区 come out as one token each;
- the resulting prefix dictionary, and jieba's IDF table, are not rebuilt by each process: they
  are kept in the user cache folder (``digest.usercache.folder()``) in a form that
  loads only the part the texts at hand need (tablecache.py), rebuilt when jieba, its data files
  or the gazetteer change. jieba's own cache (a marshal dump) took 1.5 s to load;
- jieba's loop over each text is run by segment.py, the same steps in fewer operations (twice
  as fast, the same tokens), for the jieba version it follows.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from digest import gazetteer, tablecache

# The dictionary (with the gazetteer's words) and the IDF table, cached in the user cache folder.
# Each file name carries a hash of its key, so that two versions of digest (or of jieba, or of
# the gazetteer) sharing one cache folder keep a file each instead of rebuilding each other's.
FREQ_FILE, IDF_FILE = "jieba-dict-{}.table", "jieba-idf-{}.table"
CACHE_VERSION = 1  # bump when what is cached changes meaning
# Frequency given to a gazetteer name missing from jieba's dictionary. High enough that the name
# beats the pieces it would otherwise be cut into (临港 + 新 + 片区), far below everyday function
# words (的 ≈ 300 000) so it does not swallow its neighbours.
USER_WORD_FREQ = 2000
# White space next to a Chinese character is layout, not a word break ("G60 科创走廊").
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


def cache_dir() -> Path | None:
    """The user cache folder for jieba's prefix dictionary, or None if it cannot be created."""
    from digest import usercache

    path = Path(usercache.folder())
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # jieba then falls back to the system temp folder
    return path


def _jieba():
    """The jieba module, imported quietly and without pkg_resources.

    jieba imports pkg_resources (a quarter of a second, and a deprecation warning) only to open
    its own data files, and falls back to plain ``open`` when the import fails; so the import is
    made to fail while jieba loads, unless pkg_resources is loaded already."""
    import sys

    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import → ImportError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _source_stamp(path: Path) -> str:
    """What identifies a data file of jieba's: its name, size and modification time."""
    st = path.stat()
    return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"


def _freq_key(jieba, words: list[str]) -> str:
    digest = hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:16]
    dict_file = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    return (f"freq {CACHE_VERSION} jieba {jieba.__version__} {_source_stamp(dict_file)} "
            f"words {digest} freq {USER_WORD_FREQ}")


def _named(pattern: str, key: str) -> str:
    return pattern.format(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12])


def _build_freq(jieba, words: list[str]) -> tuple[dict[str, int], dict]:
    """jieba's prefix dictionary with the gazetteer's words added, built from dict.txt."""
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())
    tk.initialized = True  # add_word below must not load jieba's own cache
    for word in words:
        if not tk.FREQ.get(word):
            tk.add_word(word, freq=USER_WORD_FREQ)
    return tk.FREQ, {"total": tk.total}


@lru_cache(maxsize=1)
def _freq_table() -> tablecache.LazyTable:
    jieba = _jieba()
    words = gazetteer.load().words()
    key = _freq_key(jieba, words)
    return tablecache.load(cache_dir(), _named(FREQ_FILE, key), key=key, kind="q",
                           build=lambda: _build_freq(jieba, words))


@lru_cache(maxsize=1)
def tokenizer():
    """The process's jieba tokenizer: quiet, with the gazetteer's words, its dictionary loaded
    bucket by bucket from the user cache folder (see tablecache.py).

    Its ``FREQ`` holds only what the texts given to ``cut`` so far need; use ``cut`` and
    ``known`` rather than the tokenizer itself."""
    jieba = _jieba()
    table = _freq_table()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = table.data, table.meta["total"]
    tk.initialized = True
    return tk


def cut(text: str) -> list[str]:
    """Tokens of ``text``, without white space."""
    return _lcut(_CJK_SPACE.sub("", text))


def _lcut(text: str) -> list[str]:
    """jieba's tokens of a text already rid of white space next to Chinese characters."""
    return [t for t in _raw_lcut(text) if t.strip()]


def _raw_lcut(text: str) -> list[str]:
    """``lcut(text)`` of our jieba tokenizer, white space included."""
    _freq_table().ensure(text)  # jieba looks up substrings of the text only
    return _lcut_function(tokenizer())(text)


@lru_cache(maxsize=1)
def _lcut_function(tk):
    """``tk.lcut``: segment.py's loop (the same tokens, twice as fast) with the jieba version
    it follows, jieba's own with any other."""
    from functools import partial

    from digest import segment

    jieba = _jieba()
    if jieba.__version__ != segment.JIEBA_VERSION:
        return tk.lcut
    hmm = jieba.finalseg
    hmm_cut = partial(segment.hmm_cut, start=hmm.start_P, trans=hmm.trans_P, emit=hmm.emit_P,
                      force_split=hmm.Force_Split_Words, block=hmm.re_han, skip=hmm.re_skip)
    return partial(segment.lcut, freq=tk.FREQ, total=tk.total, block=jieba.re_han_default,
                   skip=jieba.re_skip_default, hmm_cut=hmm_cut)


@lru_cache(maxsize=1)
def _block_chars() -> re.Pattern:
    """jieba's pattern of the characters it segments in blocks (the rest are tokens alone)."""
    return _jieba().re_han_default


def cut_with_head(text: str, head: str) -> tuple[list[str], list[str]]:
    """``(cut(head), cut(text))`` for a ``head`` that ``text`` begins with (an article's
    opening sentence), segmenting the text once where that gives the same tokens.

    jieba cuts a text into blocks, runs of the characters of its ``re_han_default`` (Chinese,
    letters, digits and a few signs), and segments each block on its own; every other
    character is a token by itself. So when the head ends where a block ends in the text (the
    head's last character or the next one is outside the class: 。，“ …), the head's tokens
    are the text's first tokens, up to its length. Otherwise (or if the head is not where the
    text begins) it is segmented by itself.
    """
    body, lead = _CJK_SPACE.sub("", text), _CJK_SPACE.sub("", head)
    n = len(lead)
    han = _block_chars()
    if not body.startswith(lead) or (n < len(body) and n and han.match(lead[-1])
                                     and han.match(body[n])):
        return _lcut(lead), _lcut(body)
    raw = _raw_lcut(body)
    split, end = 0, 0  # tokens of the head: raw[:split], which end at character `end`
    while end < n:
        end += len(raw[split])
        split += 1
    if end != n:  # a token across the head's end: cannot happen at a block boundary
        return _lcut(lead), [t for t in raw if t.strip()]
    return [t for t in raw[:split] if t.strip()], [t for t in raw if t.strip()]


def known(word: str) -> bool:
    """Whether ``word`` is in the tokenizer's dictionary (not a guess of jieba's HMM)."""
    return bool(_freq_table().get(word))


def _build_idf(path: Path) -> tuple[dict[str, float], dict]:
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, {"median": values[len(values) // 2]}


@lru_cache(maxsize=1)
def jieba_idf() -> tuple[Mapping[str, float], float]:
    """jieba's bundled IDF table (word → idf) and its median, the weight of unseen words.

    The table is loaded bucket by bucket from the user cache folder (see tablecache.py)."""
    jieba = _jieba()
    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    key = f"idf {CACHE_VERSION} jieba {jieba.__version__} {_source_stamp(path)}"
    table = tablecache.load(cache_dir(), _named(IDF_FILE, key), key=key, kind="d",
                            build=lambda: _build_idf(path))
    return table, table.meta["median"]
