"""Rows to values and back: the one list of article fields, and what is built from it.

``ARTICLE_FIELDS`` names every stored field of an ``Article`` once, with how its value is written
to its column, read back, and shown in an export row. From that list come the ``articles``
columns that are written and read, ``Article`` values rebuilt from the library, the export rows
(``article_row``, ``FIELDS``: csv, json, jsonl, md) and the search ``Hit``. Adding a field to
``Article`` is one entry here plus a migration step adding its column (``schema.MIGRATIONS``).

An export row starts with the issue's fields (``ISSUE_FIELDS``: source, masthead), then the
article's, in the order of the list. Later fields are added at the end; none is renamed, since
exported files and scripts depend on the names.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, make_dataclass
from dataclasses import fields as dataclass_fields
from itertools import islice

from digest.errors import LibraryError
from digest.models import Article, Issue, Masthead, Status, TocEntry
from digest.query import Snippet, marked_snippet, snippet

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see digest/__init__.py)
if TYPE_CHECKING:
    from typing import Any


def _same(value):
    return value


def _json(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _json_tuple(text: str | None) -> tuple:
    return tuple(json.loads(text)) if text else ()


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def _join(paragraphs) -> str:
    return "\n".join(paragraphs)


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True)
class Field:
    """One ``Article`` attribute: its column in ``articles`` (same name) and its export value."""

    name: str
    type: Any  # of the exported value (a search ``Hit`` attribute)
    to_column: Callable[[Any], Any] = _same  # Article value → column value
    from_column: Callable[[Any], Any] = _same  # column value → Article value
    to_export: Callable[[Any], Any] = _same  # Article value → export row value
    exported: bool = True


ARTICLE_FIELDS: tuple[Field, ...] = (
    Field("seq", int),
    Field("section", str | None),
    Field("title", str),
    Field("page", int | None),
    Field("toc_page", int | None),
    Field("match", float | None, to_export=_round1),  # 0–100: a tenth is precision enough
    Field("status", str, lambda s: Status(s).value, Status, exported=False),
    Field("body", str, _join, _paragraphs, _join),
    Field("region", str | None),
    Field("regions", tuple[str, ...], _json, _json_tuple, list),
    Field("keywords", tuple[str, ...], _json, _json_tuple, list),
    Field("summary", str | None),
    Field("physical_page", int | None),  # 1-based sheet of the file; schema step 4
    Field("section_printed", str | None),  # "【科创聚焦】" where section is 科创聚焦; step 5
)


def _date_text(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# Export name, type, value from the issue. Stored in ``issues`` (``insert_issue``, ``masthead``).
ISSUE_FIELDS: tuple[tuple[str, Any, Callable[[Issue], Any]], ...] = (
    ("source", str, lambda i: i.source),
    ("bulletin", str | None, lambda i: i.masthead.bulletin),
    ("year", int | None, lambda i: i.masthead.year),
    ("issue", int | None, lambda i: i.masthead.number),
    ("date", str | None, lambda i: _date_text(i.masthead.date)),
    ("publisher", str | None, lambda i: i.masthead.publisher),
)

_EXPORTED = tuple(f for f in ARTICLE_FIELDS if f.exported)
FIELDS: tuple[str, ...] = tuple(n for n, _, _ in ISSUE_FIELDS) + tuple(f.name for f in _EXPORTED)


def article_row(issue: Issue, article: Article) -> dict:
    """The export row of one article: ``FIELDS`` in order."""
    row = {name: get(issue) for name, _, get in ISSUE_FIELDS}
    row.update((f.name, f.to_export(getattr(article, f.name))) for f in _EXPORTED)
    return row


# --- articles -----------------------------------------------------------------------------------

ARTICLE_COLUMNS = ", ".join(f.name for f in ARTICLE_FIELDS)
INSERT_ARTICLE = (f"INSERT INTO articles (id, issue_id, {ARTICLE_COLUMNS}) "
                   f"VALUES (?, ?{', ?' * len(ARTICLE_FIELDS)})")

# An article's id is its place in the order search shows hits in (``search``: the index returns
# rows by id, largest first): the newest issue date first, the later-stored issue of one day
# first, then the article order. The id is the day (the date's ordinal; 0 for an issue without
# a date, last as ``ORDER BY date DESC`` puts them) times 2**DAY_BITS, plus the article's place
# among the day's: each issue stored takes the next block of places above those of the day's
# issues stored before, its last article the lowest. Ids stay close together where they can
# (one issue's are consecutive), which keeps the search index small: it stores each id as its
# distance from the previous one.
DAY_BITS = 20  # a million articles a day (issues of every bulletin dated that day)


def article_ids(conn, date: dt.date | None, seqs: list[int]) -> dict[int, int]:
    """{seq: id} for the articles of an issue dated ``date`` about to be stored (inside the
    storing transaction: see ``DAY_BITS``)."""
    low = (date.toordinal() if date else 0) << DAY_BITS
    high = low + (1 << DAY_BITS)
    top = conn.execute("SELECT max(id) FROM articles WHERE id >= ? AND id < ?",
                       (low, high)).fetchone()[0]
    return _block(low if top is None else top + 1, seqs, high)


def _block(base: int, seqs: list[int], high: int) -> dict[int, int]:
    last = max(seqs, default=0)
    if base + last >= high or min(seqs, default=0) < 0:
        raise LibraryError(f"The issues dated {dt.date.fromordinal(base >> DAY_BITS)} hold more "
                           f"than {1 << DAY_BITS} articles: no more can be stored for that day."
                           if base >> DAY_BITS else "Too many articles without a date.")
    return {seq: base + last - seq for seq in seqs}


def article_values(article_id: int, issue_id: int, article: Article) -> list:
    """The values of ``INSERT_ARTICLE``'s columns for one article."""
    return [article_id, issue_id, *(f.to_column(getattr(article, f.name)) for f in ARTICLE_FIELDS)]


def insert_article(conn: sqlite3.Connection, article_id: int, issue_id: int,
                   article: Article) -> int:
    """Store one article as ``article_id`` (``article_ids``); its id."""
    return conn.execute(INSERT_ARTICLE, article_values(article_id, issue_id, article)).lastrowid


def renumber_articles(conn, progress=None) -> None:
    """Give every stored article the id ``article_ids`` gives (SQLite or PostgreSQL; inside a
    transaction), the issues of a day in the order they were stored (by issue id); telling
    ``progress`` (``upgrade.StepProgress``, in a migration) how far it is."""
    rows = conn.execute("SELECT a.id, i.date, a.issue_id, a.seq FROM articles a "
                        "JOIN issues i ON i.id = a.issue_id ORDER BY i.date, a.issue_id").fetchall()
    issues: dict[tuple[str | None, int], list[tuple[int, int]]] = {}
    for old, date, issue_id, seq in rows:
        issues.setdefault((date, issue_id), []).append((seq, old))
    new, bases = [], {}
    for (date, _), articles in issues.items():
        low = (_date(date).toordinal() if date else 0) << DAY_BITS
        base = bases.get(low, low)
        ids = _block(base, [seq for seq, _ in articles], low + (1 << DAY_BITS))
        new += [(ids[seq], -old) for seq, old in articles]
        bases[low] = max(ids.values(), default=base - 1) + 1
    conn.execute("UPDATE articles SET id = -id")  # no new id is an old one meanwhile
    # in the order of the new ids: each row appended at the end of the table, which keeps
    # SQLite's pages full (a random order of inserts leaves them half empty)
    new.sort()
    for batch in progress.batches(new, "renumbering articles") if progress else (new,):
        conn.executemany("UPDATE articles SET id = ? WHERE id = ?", batch)


def article_from_row(r: sqlite3.Row) -> Article:
    return Article(**{f.name: f.from_column(r[f.name]) for f in ARTICLE_FIELDS})


# --- issues -------------------------------------------------------------------------------------

ISSUE_INFO_SQL = (
    "SELECT *, (SELECT count(*) FROM articles a WHERE a.issue_id = issues.id AND a.body != '')"
    " AS n_articles FROM issues")


@dataclass(frozen=True)
class IssueInfo:
    """An issue as ``digest list`` shows it."""

    id: int
    sha256: str
    source: str
    bulletin: str | None
    year: int | None
    number: int | None
    total_number: int | None
    publisher: str | None
    date: dt.date | None
    pages: int
    added_at: str
    articles: int  # articles with a body
    warnings: tuple[str, ...] = ()
    ocr_pages: int = 0  # pages of the file read by OCR (what decides the better copy first)

    @property
    def name(self) -> str:
        """``BULLETIN:YEAR:NUMBER`` when the masthead gives all three, else the id."""
        return issue_name(self.bulletin, self.year, self.number, self.id)


def issue_name(bulletin: str | None, year: int | None, number: int | None, issue_id) -> str:
    """An issue as ``digest show`` takes it: ``BULLETIN:YEAR:NUMBER`` when the masthead gives
    all three, else its library id."""
    return f"{bulletin}:{year}:{number}" if bulletin and year and number else str(issue_id)


def issue_info_name(r) -> str:
    """``issue_name`` of an issue row (or anything indexed by its column names)."""
    return issue_name(r["bulletin"], r["year"], r["number"], r["id"])


# The columns of an issue's own row that ``issue_values`` fills (``id`` apart).
ISSUE_COLUMNS = ("sha256, source, bulletin, year, number, total_number, publisher, date, pages, "
                 "added_at, warnings, end_matter, home, ocr_pages")


def issue_values(issue: Issue, record: IssueInfo | None = None) -> tuple:
    """The values of ``ISSUE_COLUMNS`` for an issue. ``record``: its entry in another library,
    whose time of adding and count of OCR pages are kept (the ``Issue`` carries neither)."""
    m = issue.masthead
    added_at = record.added_at if record else dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ocr_pages = record.ocr_pages if record else len(issue.ocr_pages)
    return (issue.sha256, issue.source, m.bulletin, m.year, m.number, m.total_number, m.publisher,
            _date_text(m.date), issue.pages, added_at, _json(issue.warnings),
            _json(issue.end_matter), issue.home, ocr_pages)


def insert_issue(conn: sqlite3.Connection, issue: Issue, issue_id: int | None = None,
                 record: IssueInfo | None = None) -> int | None:
    """Store the issue's own row (as ``issue_id`` when given, else a new id; ``record``: see
    ``issue_values``); its id, or None when its file hash is already stored."""
    cur = conn.execute(
        f"INSERT OR IGNORE INTO issues (id, {ISSUE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (issue_id, *issue_values(issue, record)))
    return cur.lastrowid if cur.rowcount else None


def insert_toc(conn: sqlite3.Connection, issue_id: int, toc: tuple[TocEntry, ...]) -> None:
    conn.executemany(
        "INSERT INTO toc_entries (issue_id, seq, section, title, page, section_printed) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(issue_id, n, e.section, e.title, e.page, e.section_printed)
         for n, e in enumerate(toc, 1)])


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def masthead(r: sqlite3.Row) -> Masthead:
    return Masthead(r["bulletin"], r["year"], r["number"], r["total_number"], r["publisher"],
                    _date(r["date"]))


def issue_info(r: sqlite3.Row) -> IssueInfo:
    return IssueInfo(
        id=r["id"], sha256=r["sha256"], source=r["source"], bulletin=r["bulletin"],
        year=r["year"], number=r["number"], total_number=r["total_number"],
        publisher=r["publisher"], date=_date(r["date"]), pages=r["pages"],
        added_at=r["added_at"], articles=r["n_articles"], warnings=_json_tuple(r["warnings"]),
        ocr_pages=r["ocr_pages"])


def issue_from_rows(irow: sqlite3.Row, arows, trows) -> Issue:
    """The stored issue, rebuilt as the parser returned it."""
    return Issue(
        source=irow["source"], sha256=irow["sha256"], masthead=masthead(irow),
        toc=tuple(TocEntry(t["section"], t["title"], t["page"], t["section_printed"])
                  for t in trows),
        articles=tuple(article_from_row(a) for a in arows), pages=irow["pages"],
        warnings=_json_tuple(irow["warnings"]), end_matter=_json_tuple(irow["end_matter"]),
        home=irow["home"])


# --- search hits --------------------------------------------------------------------------------

_ISSUE_COLUMN = {"issue": "number"}  # an issue's export field named otherwise in ``issues``
# The columns of an export row (``FIELDS``, in order), of the article (``a``) and its issue (``i``).
_RECORD_COLUMNS = (*(f"i.{_ISSUE_COLUMN.get(n, n)}" for n, _, _ in ISSUE_FIELDS),
                   *(f"a.{f.name}" for f in _EXPORTED))
# The columns a hit is built from: its article's, its issue's; the export row's come last.
_HIT_FIRST = ("a.id AS article_id", "i.id AS issue_id", "i.sha256", "i.total_number", "i.pages",
              "a.status")
_RECORD_START = len(_HIT_FIRST)  # where the export row's columns start in HIT_COLUMNS
HIT_COLUMNS = ", ".join((*_HIT_FIRST, *_RECORD_COLUMNS))


def _json_list(text: str | None) -> list:
    return json.loads(text) if text and text != "[]" else []


def _column_to_export(f: Field) -> Callable | None:
    """Column value → export value of a field (``to_export(from_column(v))``); None when that
    is the value itself."""
    known = {(_same, _same): None, (_paragraphs, _join): None, (_same, _round1): _round1,
             (_json_tuple, list): _json_list}
    pair = (f.from_column, f.to_export)
    return known[pair] if pair in known else (lambda v: f.to_export(f.from_column(v)))


# (export field, its column in HIT_COLUMNS' tables, column value → export value or None where
# they are the same) for each of FIELDS, in order: what a search record is made of.
RECORD_SOURCES: tuple[tuple[str, str, Callable | None], ...] = tuple(zip(
    FIELDS, _RECORD_COLUMNS,
    (*(None for _ in ISSUE_FIELDS), *(_column_to_export(f) for f in _EXPORTED)), strict=True))
_RECORD_CONVERT = tuple((name, c) for name, _, c in RECORD_SOURCES if c)


class _HitMethods:
    @property
    def issue_name(self) -> str:
        """The issue as ``digest show`` takes it (``issue_name``)."""
        return issue_name(self.bulletin, self.year, self.issue, self.issue_id)

    def as_dict(self, open_mark: str = "【", close_mark: str = "】") -> dict:
        """A JSON-ready dict; the snippet's matches are wrapped in the two markers."""
        d = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        d.update({k: list(v) for k, v in d.items() if isinstance(v, tuple)})
        d["snippet"] = self.snippet.marked(open_mark, close_mark)
        return d


Hit = make_dataclass(
    "Hit",
    [*((n, t) for n, t, _ in ISSUE_FIELDS), *((f.name, f.type) for f in _EXPORTED),
     ("score", float), ("snippet", Snippet), ("issue_id", int)],
    bases=(_HitMethods,), frozen=True)
Hit.__module__ = __name__  # pickled and shown as digest.library.rows.Hit
Hit.__doc__ = """One search hit: the export fields of its article (``FIELDS``, same order), then
its score (higher is better), a snippet of the body and the issue's library id."""


def hit_from_row(r: sqlite3.Row, score: float, terms: list[str]):
    """The ``Hit`` for a row selected with ``HIT_COLUMNS``."""
    issue = Issue(source=r["source"], sha256=r["sha256"], masthead=masthead(r), toc=(),
                  articles=(), pages=r["pages"])
    row = article_row(issue, article_from_row(r))
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    return Hit(**values, score=score, snippet=snippet(row["body"], terms), issue_id=r["issue_id"])


def hit_record(r, score: float, terms: list[str]) -> dict:
    """``hit_from_row(r, score, terms).as_dict()``, made straight from the row: no ``Issue``,
    ``Article``, ``Hit`` or ``Snippet`` on the way (``digest search --limit 0`` writes tens of
    thousands)."""
    d = dict(zip(FIELDS, islice(r, _RECORD_START, None)))
    for name, convert in _RECORD_CONVERT:
        d[name] = convert(d[name])
    d["score"] = score
    d["snippet"] = marked_snippet(d["body"], terms)
    d["issue_id"] = r[1]
    return d
