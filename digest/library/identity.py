"""One issue once: when two files hold the same issue, and which copy is the better one.

An issue is the same issue as one already stored when both hold

* the same *key*: the same bulletin, and the same year and number (第 N 期), or the same date
  (the number may be missing, or misread by OCR: the date is then what names the issue); a
  copy whose bulletin name was not read is compared by number or date alone; and
* the same *content*: most of the text of one occurs in the other.

File bytes say nothing: a re-export, a re-scan, another website's copy, a text extraction of the
same issue all differ in every byte and in details of what the parser finds (a stale TOC, no TOC,
a missed title). The text of the articles survives all of those. Content is compared as sets of
overlapping character *shingles* of the titles and bodies (letters and digits only, so spacing,
punctuation and line breaks don't count); two copies share most shingles, two different issues
of one bulletin share few (recurring names such as 长三角 or 人民政府 are a small part of a whole
issue). Containment (shared shingles over the smaller set) rather than Jaccard similarity, so
that a copy where the parser found fewer articles is still the same issue.

Two issues with the same key and different contents (a misprinted number) are both kept.

The better copy (``digest add --replace``) is decided by the first of these rules that tells
the copies apart: a text layer over OCR; more articles matched to the printed TOC; fewer
warnings. A tie keeps the stored copy.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from digest.library.rows import masthead
from digest.library.search import unindex_issue
from digest.models import Issue, Masthead
from digest.query import fold

# Shingle length in characters: four Chinese characters are about two words, long enough that
# two unrelated texts share few (only set phrases and names), short enough that an OCR error
# spoils only the four shingles around it.
SHINGLE = 4
# Share of the smaller copy's shingles found in the other above which two texts are one issue.
# Copies of the sample issue made by four producers share over 90%; different issues of one
# bulletin share under 10% (see tests/test_identity.py): the middle leaves room on both sides.
SAME_CONTENT = 0.5

_RUN = re.compile(r"[^\W_]+")


def shingles(texts: Iterable[str]) -> frozenset[str]:
    """The character shingles of the texts, letters and digits only."""
    out: set[str] = set()
    for text in texts:
        run = "".join(_RUN.findall(fold(text)))
        if len(run) <= SHINGLE:
            if run:
                out.add(run)
            continue
        out.update(run[i:i + SHINGLE] for i in range(len(run) - SHINGLE + 1))
    return frozenset(out)


def issue_texts(issue: Issue) -> list[str]:
    """What an issue's content is compared by: its article titles and bodies."""
    return [t for a in issue.articles for t in (a.title, a.text)]


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_content(a: frozenset[str], b: frozenset[str]) -> bool:
    return containment(a, b) >= SAME_CONTENT


def _bulletin_key(name: str | None) -> str:
    return "".join(_RUN.findall(fold(name or "")))


def same_key(a: Masthead, b: Masthead) -> bool:
    """Whether two mastheads may name one issue: same bulletin (or one not read), and same
    number or same date."""
    if a.bulletin and b.bulletin and _bulletin_key(a.bulletin) != _bulletin_key(b.bulletin):
        return False
    numbered = a.number is not None and (a.year, a.number) == (b.year, b.number)
    return numbered or (a.date is not None and a.date == b.date)


def candidates(conn: sqlite3.Connection, m: Masthead) -> list[sqlite3.Row]:
    """Stored issues whose masthead has the same key as ``m``, oldest first."""
    if m.number is None and m.date is None:
        return []
    rows = conn.execute(
        "SELECT * FROM issues WHERE (year IS ? AND number = ?) OR date = ? ORDER BY id",
        (m.year, m.number, m.date.isoformat() if m.date else None)).fetchall()
    return [r for r in rows if same_key(m, masthead(r))]


def stored_shingles(conn: sqlite3.Connection, issue_id: int) -> frozenset[str]:
    rows = conn.execute("SELECT title, body FROM articles WHERE issue_id = ?", (issue_id,))
    return shingles(t for r in rows for t in (r["title"], r["body"]))


# --- the better copy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    """What the better-copy rules look at."""

    ocr_pages: int  # pages read by OCR rather than from a text layer
    matched: int  # articles with a body whose title was matched to the printed TOC
    warnings: int


def ocr_pages(issue: Issue) -> int:
    """Pages of the issue read by OCR (``Issue.ocr_pages``, 0 where the reader has none)."""
    return len(getattr(issue, "ocr_pages", ()))  # the OCR reader adds the field


def quality(issue: Issue) -> Quality:
    matched = sum(1 for a in issue.articles if a.body and a.match is not None)
    return Quality(ocr_pages(issue), matched, len(issue.warnings))


def stored_quality(conn: sqlite3.Connection, row: sqlite3.Row) -> Quality:
    matched = conn.execute("SELECT count(*) FROM articles WHERE issue_id = ? AND body != '' "
                           "AND match IS NOT NULL", (row["id"],)).fetchone()[0]
    return Quality(row["ocr_pages"], matched, len(json.loads(row["warnings"])))


@dataclass(frozen=True)
class Rule:
    name: str
    score: Callable[[Quality], int]  # higher is better
    show: Callable[[Quality], str]


RULES = (
    Rule("text layer over OCR", lambda q: -q.ocr_pages,
         lambda q: f"{q.ocr_pages} pages by OCR" if q.ocr_pages else "text layer"),
    Rule("more articles matched", lambda q: q.matched, lambda q: f"{q.matched} matched"),
    Rule("fewer warnings", lambda q: -q.warnings, lambda q: f"{q.warnings} warnings"),
)


@dataclass(frozen=True)
class Verdict:
    new_is_better: bool
    reason: str  # the rule that decided, with both copies' values


def compare(new: Quality, stored: Quality) -> Verdict:
    """Whether the new copy beats the stored one, and which rule said so."""
    for rule in RULES:
        a, b = rule.score(new), rule.score(stored)
        if a != b:
            return Verdict(a > b, f"{rule.name} ({rule.show(new)} against {rule.show(stored)})")
    return Verdict(False, "a tie on every rule (" + ", ".join(r.name for r in RULES) + ")")


# --- placing a new copy, merging stored copies --------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a new issue stands against the library."""

    twin: sqlite3.Row | None = None  # the stored copy of the same issue
    verdict: Verdict | None = None  # the new copy against the twin
    namesakes: tuple[sqlite3.Row, ...] = ()  # stored issues with the same key, other content


def place(conn: sqlite3.Connection, issue: Issue) -> Placement:
    """Whether ``issue`` is already stored (and which copy is better), or shares its key."""
    rows = candidates(conn, issue.masthead)
    if not rows:
        return Placement()
    mine = shingles(issue_texts(issue))
    for row in rows:
        if same_content(mine, stored_shingles(conn, row["id"])):
            return Placement(row, compare(quality(issue), stored_quality(conn, row)))
    return Placement(namesakes=tuple(rows))


def remove_issue(conn: sqlite3.Connection, issue_id: int) -> None:
    """Delete a stored issue with its articles, TOC and index entries (inside a transaction)."""
    unindex_issue(conn, issue_id)
    conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))


def merge_copies(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """Keep one copy of each issue stored more than once, the better by ``RULES`` (a tie keeps
    the older); (removed id, kept id) for each copy removed. For libraries made before issues
    had an identity beyond their file's hash."""
    kept: dict[str, list[sqlite3.Row]] = {}
    cache: dict[int, frozenset[str]] = {}

    def content(row):
        if row["id"] not in cache:
            cache[row["id"]] = stored_shingles(conn, row["id"])
        return cache[row["id"]]

    merged = []
    for row in conn.execute("SELECT * FROM issues ORDER BY id").fetchall():
        bucket = kept.setdefault(_bulletin_key(row["bulletin"]), [])
        twin = next((k for k in bucket if same_key(masthead(row), masthead(k))
                     and same_content(content(row), content(k))), None)
        if twin is None:
            bucket.append(row)
            continue
        if compare(stored_quality(conn, row), stored_quality(conn, twin)).new_is_better:
            bucket[bucket.index(twin)] = row
            row, twin = twin, row
        remove_issue(conn, row["id"])
        merged.append((row["id"], twin["id"]))
    return merged
