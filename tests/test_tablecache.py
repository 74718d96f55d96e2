"""The bucketed table cache: lookups agree with the dict it was built from, whether loaded bucket
by bucket or whole; a stale or damaged file is rebuilt, atomically."""

from __future__ import annotations

import random

import pytest

from digest import tablecache


def sample_table(n: int = 3000) -> dict[str, int]:
    rng = random.Random(7)
    words = {"".join(chr(rng.randint(0x4E00, 0x4E60)) for _ in range(rng.randint(1, 5)))
             for _ in range(n)}
    return {w: rng.randint(0, 10**12) for w in sorted(words)}


def build_counter(table, meta):
    calls = []

    def build():
        calls.append(1)
        return table, meta
    return build, calls


def test_ensure_makes_every_substring_lookup_exact(tmp_path):
    table = sample_table()
    tablecache.write(tmp_path / "t", table, key="k1", kind="q", meta={"total": 5})
    lazy = tablecache.read(tmp_path / "t", "k1")
    assert lazy.meta == {"total": 5, "count": len(table)}
    text = "".join(random.Random(3).choice(list(table)) for _ in range(30))
    lazy.ensure(text)
    assert 0 < len(lazy.data) < len(table)  # only a part is loaded
    for i in range(len(text)):
        for j in range(i + 1, min(len(text), i + 6) + 1):
            assert lazy.data.get(text[i:j]) == table.get(text[i:j]), text[i:j]


def test_mapping_interface_loads_on_demand(tmp_path):
    table = {"上海": 1.5, "上": 0.25, "长三角": 7.0, "x": -1.0}
    tablecache.write(tmp_path / "t", table, key="k", kind="d", meta={})
    lazy = tablecache.read(tmp_path / "t", "k")
    assert lazy["长三角"] == 7.0 and lazy.get("上海") == 1.5 and lazy.get("海", 0) == 0
    assert "x" in lazy and "y" not in lazy and len(lazy) == 4
    with pytest.raises(KeyError):
        lazy["没有"]
    assert dict(lazy) == table


def test_past_the_threshold_everything_is_loaded(tmp_path):
    table = sample_table()
    tablecache.write(tmp_path / "t", table, key="k", kind="q", meta={})
    lazy = tablecache.read(tmp_path / "t", "k")
    lazy.ensure("".join(table))
    assert lazy.data == table


def test_after_enough_text_everything_is_loaded(tmp_path, monkeypatch):
    table = sample_table()
    tablecache.write(tmp_path / "t", table, key="k", kind="q", meta={})
    lazy = tablecache.read(tmp_path / "t", "k")
    monkeypatch.setattr(tablecache, "COMPLETE_AFTER_CHARS", 100)
    word = next(w for w in table if len(w) == 2)
    for _ in range(50):  # the same two characters: never near COMPLETE_SHARE of the keys
        lazy.ensure(word)
    assert 0 < len(lazy.data) < len(table) / 10
    lazy.ensure(word)  # the 102nd character checked
    assert lazy.data == table


def test_stale_key_rebuilds_and_rewrites(tmp_path):
    table = sample_table(200)
    build, calls = build_counter(table, {"total": 1})
    first = tablecache.load(tmp_path, "t", key="v1", kind="q", build=build)
    again = tablecache.load(tmp_path, "t", key="v1", kind="q", build=build)
    assert len(calls) == 1 and dict(first) == dict(again) == table
    tablecache.load(tmp_path, "t", key="v2", kind="q", build=build)
    assert len(calls) == 2
    assert tablecache.read(tmp_path / "t", "v2") is not None
    assert tablecache.read(tmp_path / "t", "v1") is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "header"])
def test_damaged_cache_is_rebuilt(tmp_path, damage):
    table = sample_table(500)
    build, calls = build_counter(table, {"total": 1})
    tablecache.load(tmp_path, "t", key="k", kind="q", build=build)
    path = tmp_path / "t"
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[:-100]
    elif damage == "flip":
        raw[-3] ^= 0x40
    elif damage == "garbage":
        raw = bytearray(b"not a table at all" * 10)
    elif damage == "empty":
        raw = bytearray()
    else:
        raw[len(tablecache.MAGIC) + 6] ^= 0x01  # inside the JSON header
    path.write_bytes(bytes(raw))
    with pytest.raises(tablecache.DamagedCache):
        tablecache.read(path, "k")
    got = tablecache.load(tmp_path, "t", key="k", kind="q", build=build)
    assert len(calls) == 2 and dict(got) == table
    assert dict(tablecache.read(path, "k")) == table  # the file was rewritten whole
    assert [p.name for p in tmp_path.iterdir()] == ["t"]


def test_unwritable_cache_folder_keeps_the_table_in_memory(tmp_path):
    table = sample_table(100)
    build, calls = build_counter(table, {"total": 1})
    got = tablecache.load(tmp_path / "missing" / "folder", "t", key="k", kind="q", build=build)
    assert dict(got) == table and got.meta["total"] == 1
    got = tablecache.load(None, "t", key="k", kind="q", build=build)
    assert dict(got) == table and len(calls) == 2


def test_a_key_with_a_newline_cannot_be_stored(tmp_path):
    with pytest.raises(ValueError):
        tablecache.write(tmp_path / "t", {"a\nb": 1}, key="k", kind="q", meta={})
