"""The masthead: bulletin name, year, issue number (第 N 期, 总第 N 期), publisher, date.

It is read from the lines of the first page that come before the table of contents (or the
first article). The bulletin name is the most prominent line there: the largest type in a PDF,
else the first line that is neither the issue line nor the date line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from digest.config import data_toml
from digest.models import Line, Masthead
from digest.text import key

PUBLISHER_MAX_CHARS = 30  # an organisation's name, not a sentence that ends in 局
MASTHEAD_MAX_LINES = 12  # where to look for the masthead when there is no TOC
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


@dataclass(frozen=True)
class _Patterns:
    issue: re.Pattern
    total: re.Pattern
    dates: tuple[re.Pattern, ...]
    labels: tuple[str, ...]
    verbs: tuple[str, ...]
    endings: tuple[str, ...]
    toc_headings: frozenset[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    raw = data_toml("masthead.toml")
    return _Patterns(
        re.compile(raw["issue_number"]), re.compile(raw["total_number"]),
        tuple(re.compile(p) for p in raw["dates"]), tuple(raw["publisher_labels"]),
        tuple(raw["publisher_verbs"]), tuple(raw["publisher_endings"]), frozenset(raw["toc_headings"]),
    )


def chinese_number(s: str) -> int | None:
    """'200', '二〇二〇', '十二', '二十一', '一百零五' → int."""
    if s.isdigit():
        return int(s)
    if all(ch in _DIGITS for ch in s):  # digit by digit: 二〇二〇
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def find_date(text: str) -> tuple[dt.date, re.Match] | None:
    for pattern in patterns().dates:
        for m in pattern.finditer(text):
            try:
                y, mo, d = (chinese_number(m.group(g)) for g in ("y", "m", "d"))
                return dt.date(y, mo, d), m
            except (TypeError, ValueError):
                continue
    return None


def is_toc_heading(text: str) -> bool:
    return key(text) in patterns().toc_headings


def read_masthead(lines: list[Line]) -> tuple[Masthead, int]:
    """Read the masthead from the first lines of an issue.

    Returns the masthead and the index just past the last line it used, where the body (or
    the TOC) can start.
    """
    p = patterns()
    found: dict[str, object] = {}
    used: set[int] = set()
    for i, line in enumerate(lines):
        text = line.text
        if "number" not in found and (m := p.issue.search(text)):
            found["number"] = chinese_number(m.group("n"))
            if m.group("year"):
                found["year"] = chinese_number(m.group("year"))
            if (before := text[: m.start()].strip()) and len(key(before)) >= 2:
                found.setdefault("bulletin", before.strip("《》 "))
            used.add(i)
            text = text.replace(m.group(0), " ")
        if "total" not in found and (m := p.total.search(text)):
            found["total"] = chinese_number(m.group("n"))
            used.add(i)
        if "date" not in found and (dated := find_date(text)):
            found["date"], dm = dated
            if publisher := _publisher_beside(text, dm):
                found["publisher"] = publisher
            used.add(i)
    if not used:
        # No issue line and no date: these lines are no masthead (a title, say), and the
        # most prominent of them names no bulletin.
        return Masthead(), 0
    if "publisher" not in found and (pub := _publisher_line(lines, used)):
        found["publisher"] = pub
    if "bulletin" not in found and (name := _bulletin(lines, used, found.get("publisher"))):
        found["bulletin"] = name
    date = found.get("date")
    masthead = Masthead(
        bulletin=found.get("bulletin"), year=found.get("year") or (date.year if date else None),
        number=found.get("number"), total_number=found.get("total"),
        publisher=found.get("publisher"), date=date)
    return masthead, (max(used) + 1 if used else 0)


def _publisher_beside(text: str, m: re.Match) -> str | None:
    rest = (text[: m.start()] + " " + text[m.end():]).strip(" ：:，,")
    rest = _strip_label(rest)
    return rest if rest and rest.endswith(patterns().endings) else None


def _strip_label(text: str) -> str:
    """"主办：某某办公室" and "某某研究室编" → the organisation's name."""
    for label in patterns().labels:
        text = re.sub(f"^{label} *[：:]? *", "", text)
    for verb in patterns().verbs:
        if text.endswith(verb) and text[: -len(verb)].endswith(patterns().endings):
            return text[: -len(verb)].strip()
    return text.strip()


def _publisher_line(lines: list[Line], used: set[int]) -> str | None:
    for i, line in enumerate(lines):
        text = _strip_label(line.text)
        if i not in used and text.endswith(patterns().endings) and len(text) <= PUBLISHER_MAX_CHARS:
            used.add(i)
            return text
    return None


def _bulletin(lines: list[Line], used: set[int], publisher) -> str | None:
    """The most prominent unused line above the issue line: largest type, else the first."""
    last = max(used) if used else len(lines) - 1
    candidates = [(i, ln) for i, ln in enumerate(lines[: last + 1])
                  if i not in used and ln.text != publisher and len(key(ln.text)) >= 2
                  and not is_toc_heading(ln.text)]
    if not candidates:
        return None
    i, best = max(candidates, key=lambda c: (c[1].size or 0, -c[0]))
    used.add(i)
    return best.text.strip("《》 ")
