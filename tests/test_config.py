"""The data files' loader (digest/config.py): TOML parsed once, then read from the user cache
folder under the file's text."""

from __future__ import annotations

import json
import tomllib

import pytest

from digest import config

TOML_FILES = ("layout.toml", "masthead.toml")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "digest"


@pytest.mark.parametrize("name", TOML_FILES)
def test_the_kept_parse_is_tomllib_s_and_is_read_back(name, cache):
    parsed = tomllib.loads(config.data_text(name))
    assert config.data_toml(name) == parsed  # parsed, and kept
    kept = cache / f"data-{name}.json"
    key, _, text = kept.read_text("utf-8").partition("\n")
    assert json.loads(key) == config.data_text(name) and json.loads(text) == parsed
    assert config.data_toml(name) == parsed  # read back
    kept.write_text(key + "\n" + json.dumps({"kept": True}), "utf-8")
    assert config.data_toml(name) == {"kept": True}  # really what is read, not parsed again


def test_a_changed_file_is_parsed_again(cache, monkeypatch):
    text = config.data_text("masthead.toml")
    config.data_toml("masthead.toml")
    monkeypatch.setattr(config, "data_text", lambda name: "x = 1.0\n" + text)
    got = config.data_toml("masthead.toml")
    assert got == tomllib.loads(config.data_text("masthead.toml")) and got["x"] == 1.0
    assert got != tomllib.loads(text)


def test_what_json_cannot_give_back_is_parsed_each_time(cache, monkeypatch):
    monkeypatch.setattr(config, "data_text", lambda name: "day = 2020-12-18\nn = nan\n")
    got = config.data_toml("dates.toml")
    assert str(got["day"]) == "2020-12-18"
    assert not (cache / "data-dates.toml.json").exists()
    monkeypatch.setattr(config, "data_text", lambda name: "n = nan\n")  # nan != nan
    config.data_toml("nan.toml")
    assert not (cache / "data-nan.toml.json").exists()


def test_a_damaged_kept_parse_is_replaced(cache):
    cache.mkdir(parents=True)
    (cache / "data-layout.toml.json").write_text('"truncated\n{', "utf-8")
    assert config.data_toml("layout.toml") == tomllib.loads(config.data_text("layout.toml"))
    assert json.loads((cache / "data-layout.toml.json").read_text("utf-8").partition("\n")[2]) == \
        tomllib.loads(config.data_text("layout.toml"))
