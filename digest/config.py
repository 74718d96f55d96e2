"""Loading of the data files in ``digest/data`` (patterns, word lists), cached."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache


def data_text(name: str) -> str:
    """A data file of the package as text. Through the package's loader, so it also reads from
    a zipped install; not importlib.resources, whose first use imports zipfile and tempfile
    (a third of `digest search`'s start-up, which reads one table to normalise its query), nor
    pkgutil, whose import (typing, weakref) costs a twentieth of it: this is what
    ``pkgutil.get_data`` does."""
    from importlib import import_module

    package = import_module("digest.data")
    path = os.path.join(os.path.dirname(package.__file__), *name.split("/"))
    return package.__spec__.loader.get_data(path).decode("utf-8")


def data_toml(name: str) -> dict:
    """A TOML data file of the package, parsed.

    Importing tomllib (and typing, which it imports) costs far more than parsing these small
    files, on every run that reads an issue. So the parse is kept in the user cache folder as
    JSON (which the command line has loaded anyway), under the file's whole text: a file
    changed in any way is parsed again. A parse that JSON would not give back equal (a TOML
    date) is not kept.
    """
    import json

    from digest import usercache

    text = data_text(name)
    path = os.path.join(usercache.folder(), f"data-{name}.json")
    key = json.dumps(text, ensure_ascii=False)  # one line: JSON escapes the newlines
    try:
        return json.loads(usercache.read_keyed(path, key))
    except (OSError, ValueError):
        pass  # none kept yet, or kept damaged: parse it
    import tomllib

    parsed = tomllib.loads(text)
    try:
        dumped = json.dumps(parsed, ensure_ascii=False)
    except (TypeError, ValueError):
        return parsed
    if json.loads(dumped) == parsed:
        usercache.write_keyed(path, key, dumped)
    return parsed


@dataclass(frozen=True)
class Layout:
    page_number: tuple[re.Pattern, ...]
    bare_number_in_text: bool
    header_min_share: float
    header_min_pages: int
    para_ends: str
    short_by_em: float
    indent_em: float
    enumeration: re.Pattern
    title_min_chars: int
    title_max_chars: int
    no_title_end: str
    title_min_size: float
    section_max_em: float
    end_matter_start: re.Pattern
    end_matter_also: re.Pattern
    end_matter_max_lines: int
    not_title: re.Pattern


@lru_cache(maxsize=1)
def layout() -> Layout:
    raw = data_toml("layout.toml")
    para, titles = raw["paragraph"], raw["titles"]
    return Layout(
        page_number=tuple(re.compile(p) for p in raw["page_number"]),
        bare_number_in_text=raw["bare_number_in_text"],
        header_min_share=raw["header_min_share"],
        header_min_pages=raw["header_min_pages"],
        para_ends=para["ends"],
        short_by_em=para["short_by_em"],
        indent_em=para["indent_em"],
        enumeration=re.compile(titles["enumeration"]),
        title_min_chars=titles["min_chars"],
        title_max_chars=titles["max_chars"],
        no_title_end=titles["no_title_end"],
        title_min_size=titles["min_size_ratio"],
        section_max_em=titles["section_max_em"],
        end_matter_start=re.compile(raw["end_matter"]["start"]),
        end_matter_also=re.compile(raw["end_matter"]["also"]),
        end_matter_max_lines=raw["end_matter"]["max_lines"],
        not_title=re.compile(titles["not_title"]),
    )
