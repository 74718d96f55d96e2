"""Big word → number tables (jieba's prefix dictionary, its IDF table) that load in a blink.

jieba's dictionary is half a million entries; building it as one Python dict costs about half a
second however it is stored (jieba's own marshal cache took 1.5 s), and an issue looks up only a
small part of it. So a table is kept on disk in buckets, and a bucket is loaded the first time a
key it could hold is asked for:

- a key's bucket depends on its first two characters only (its first one for a one-character
  key), so every key that *starts with* a given two-character prefix lives in one bucket.
  ``ensure(text)`` loads the buckets of every character and every pair of neighbouring
  characters of ``text``; after it, ``table.data`` (a plain dict) answers every lookup of a
  substring of ``text`` exactly as the whole table would. That is what a segmenter does: it
  only looks up pieces of the sentence it cuts;
- once most of the table is loaded the rest is loaded too, and ``ensure`` becomes free.

The file is built once per version of its sources (the caller's ``key``) in the user cache
folder, written atomically, and rebuilt when the key differs (stale) or the checksum, magic or
sizes do not match (damaged). If it cannot be written, the table lives in memory only.

File layout: MAGIC, a 4-byte header length, a JSON header (key, bucket count, value type, CRC of
the payload, the caller's ``meta``), then the payload: bucket offsets into the key blob and into
the value array (``BUCKETS + 1`` uint32 each), the key blob (UTF-8, keys joined by newlines,
bucket by bucket) and the values (a machine array of int64 or float64).
"""

from __future__ import annotations

import array
import contextlib
import json
import operator
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

MAGIC = b"DGTABLE1"
# A prime near 2**16: an issue has some thousands of distinct character pairs, so it touches a
# tenth of the buckets, each holding ~8 of jieba's keys.
BUCKETS = 65521
# Past this share of the keys loaded, loading the rest costs less than checking every text.
COMPLETE_SHARE = 0.6
# Past this much text checked by ``ensure`` (about a hundred issues: a `digest add` of a
# folder), loading the rest is cheaper too: checking costs ~0.2 µs a character, loading all of
# jieba's dictionary ~0.3 s. Texts that repeat the same words never reach COMPLETE_SHARE.
COMPLETE_AFTER_CHARS = 1_500_000
_SEP = "\n"


def bucket_of(key: str) -> int:
    """The bucket of every key starting with ``key[:2]``."""
    if len(key) == 1:
        return ord(key) % BUCKETS
    return (ord(key[0]) * 31 + ord(key[1])) % BUCKETS


class DamagedCache(ValueError):
    """A cache file that is not what its header says (truncated, overwritten, another format)."""


class LazyTable(Mapping):
    """A str → number mapping loaded bucket by bucket; ``data`` is the part loaded so far."""

    def __init__(self, keys: bytes, values: array.array, key_offsets: array.array,
                 value_offsets: array.array, meta: dict, *, base: int = 0):
        self.data: dict = {}
        self.meta = meta
        self._keys, self._base, self._values = keys, base, values
        self._key_offsets, self._value_offsets = key_offsets, value_offsets
        self._loaded = bytearray(BUCKETS)
        self._seen: set[str] = set()
        self._complete = False
        self._checked = 0  # characters of text given to ``ensure``

    @classmethod
    def in_memory(cls, table: Mapping, meta: dict) -> LazyTable:
        """A table that is loaded already (no cache folder to keep it in)."""
        self = cls(b"", array.array("q"), array.array("I"), array.array("I"), meta)
        self.data = dict(table)
        self._complete = True
        return self

    def _load(self, b: int) -> None:
        self._loaded[b] = 1
        k0, k1 = self._key_offsets[b], self._key_offsets[b + 1]
        if k0 == k1:
            return
        keys = self._keys[self._base + k0:self._base + k1].decode("utf-8").split(_SEP)
        self.data.update(zip(keys, self._values[self._value_offsets[b]:self._value_offsets[b + 1]]))
        if not self._complete and len(self.data) > COMPLETE_SHARE * self.meta["count"]:
            self.load_all()

    def load_all(self) -> None:
        if self._complete and not self._keys:
            return
        self._complete = True
        for b in range(BUCKETS):
            if not self._loaded[b]:
                self._load(b)
        self._keys, self._seen = b"", set()  # all in `data` now: let the file's bytes go

    def ensure(self, text: str) -> None:
        """Load every bucket a lookup of a substring of ``text`` needs."""
        if self._complete:
            return
        self._checked += len(text)
        if self._checked > COMPLETE_AFTER_CHARS:
            self.load_all()
            return
        grams = set(map(operator.add, text, text[1:]))  # the pairs, a third of the time of
        grams.update(text)  # slicing them out one by one; and the characters
        grams -= self._seen
        self._seen |= grams
        loaded = self._loaded
        for g in grams:
            b = bucket_of(g)
            if not loaded[b]:
                self._load(b)
                if self._complete:
                    return

    def get(self, key, default=None):
        if not self._complete and key and key[:2] not in self._seen:  # seen: its buckets are in
            self.ensure(key[:2])
        return self.data.get(key, default)

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter(self.data)

    def __len__(self) -> int:
        return self.meta["count"]

    def __reduce__(self):  # a worker process gets the loaded table, not the file's buffers
        self.load_all()
        return LazyTable.in_memory, (self.data, self.meta)


_MISSING = object()


def _encode(table: Mapping, kind: str) -> bytes:
    buckets: list[list[str]] = [[] for _ in range(BUCKETS)]
    for key in table:
        if not key or _SEP in key:
            raise ValueError(f"cannot store the key {key!r}")
        buckets[bucket_of(key)].append(key)
    key_offsets, value_offsets = array.array("I", [0]), array.array("I", [0])
    blobs, values = [], array.array(kind)
    size = 0
    for keys in buckets:
        blob = _SEP.join(keys).encode("utf-8")
        blobs.append(blob)
        size += len(blob)
        values.extend(table[k] for k in keys)
        key_offsets.append(size)
        value_offsets.append(len(values))
    return key_offsets.tobytes() + value_offsets.tobytes() + b"".join(blobs) + values.tobytes()


def write(path: Path, table: Mapping, *, key: str, kind: str, meta: dict) -> None:
    """Write ``table`` (values of array type ``kind``: "q" int64, "d" float64) atomically."""
    payload = _encode(table, kind)
    header = json.dumps({"key": key, "buckets": BUCKETS, "kind": kind, "count": len(table),
                         "crc": zlib.crc32(payload), "size": len(payload), "meta": meta},
                        ensure_ascii=False).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + len(header).to_bytes(4, "little") + header + payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path, key: str) -> LazyTable | None:
    """The table in ``path`` if it was built for ``key``; None if it is absent or stale.

    Raises DamagedCache when the file is not a whole table."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if raw[:len(MAGIC)] != MAGIC or len(raw) < len(MAGIC) + 4:
        raise DamagedCache(f"{path}: not a table cache")
    start = len(MAGIC) + 4
    end = start + int.from_bytes(raw[len(MAGIC):start], "little")
    try:
        header = json.loads(raw[start:end])
        if header["key"] != key:
            return None
        kind, count, buckets = header["kind"], header["count"], header["buckets"]
        payload = memoryview(raw)[end:]
        if (buckets != BUCKETS or len(payload) != header["size"]
                or zlib.crc32(payload) != header["crc"]):
            raise DamagedCache(f"{path}: checksum or size does not match")
        n = (BUCKETS + 1) * 4
        key_offsets, value_offsets = array.array("I"), array.array("I")
        key_offsets.frombytes(payload[:n])
        value_offsets.frombytes(payload[n:2 * n])
        keys_end = 2 * n + key_offsets[-1]
        values = array.array(kind)
        values.frombytes(payload[keys_end:])
        if len(values) != count or value_offsets[-1] != count:
            raise DamagedCache(f"{path}: sizes do not match")
        return LazyTable(raw, values, key_offsets, value_offsets,
                         dict(header["meta"], count=count), base=end + 2 * n)
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, DamagedCache):
            raise
        raise DamagedCache(f"{path}: {exc}") from None


def load(folder: Path | None, name: str, *, key: str, kind: str,
         build: Callable[[], tuple[Mapping, dict]]) -> LazyTable:
    """The table ``name`` from the cache ``folder``, built by ``build()`` (table, meta) and
    written there first if it is absent, stale or damaged."""
    path = folder / name if folder is not None else None
    if path is not None:
        try:
            table = read(path, key)
        except DamagedCache:
            table = None
        if table is not None:
            return table
    data, meta = build()
    if path is not None:
        # A read-only cache folder: this process keeps the table in memory.
        with contextlib.suppress(OSError):
            write(path, data, key=key, kind=kind, meta=meta)
    return LazyTable.in_memory(data, dict(meta, count=len(data)))
