"""Every hit of a search, written as SQLite reads it: ``digest search --limit 0`` in JSON, JSON
lines and TSV without a Python record per hit.

A common term finds tens of thousands of articles (江苏: 50,900 of 160,000), and writing them all
should cost no more than reading every text once (issue 13). The record path
(``rows.hit_record``, then the JSON encoder) costs twice that: each body, most of the output,
is decoded from UTF-8 into a ``str``, escaped by Python's encoder and encoded to UTF-8 again.
Here SQLite escapes the text fields itself (``json_quote``) and lays them out with their keys
(``printf``), as UTF-8 bytes that go to the output untouched; Python adds what it computes: the
snippet, cut from the body's bytes around the first match (only that window is decoded), the
rounded match score, the lists, the score and the issue id.

The bytes are those the record path writes (``tests/test_hitstream.py`` holds them equal). That
rests on SQLite escaping a string as Python's ``json.dumps(..., ensure_ascii=False)`` does:
``sqlite_json_agrees`` checks it once per connection on every character that either escapes, and
where it does not hold (a SQLite built without JSON functions, or one that escapes otherwise)
``json_hits`` returns None and the caller builds records as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring

from digest.library.rows import RECORD_SOURCES
from digest.library.search import NO_FILTERS, Filters, _candidates_sql, _ranked, parse_query
from digest.query import ELLIPSIS, SNIPPET_BEFORE, SNIPPET_LENGTH, Query, marked_snippet, plain_term

# The layouts of a record: its opening, the separator of its "key": value items, its closing.
# "json" is an item of the list ``json.dumps(records, indent=2)`` writes; "jsonl" a line of
# ``json.dumps(record)``; both with ensure_ascii=False.
LAYOUTS = ("json", "jsonl")
_OPEN = {"json": "  {\n    ", "jsonl": "{"}
_ITEM_SEP = {"json": ",\n    ", "jsonl": ", "}
_CLOSE = {"json": "\n  }", "jsonl": "}"}
# every character either encoder escapes, and some it must not (DEL, line separators, CJK, astral)
_PROBE = "".join(map(chr, range(0x80))) + "\u2028\u2029\u3000中文\U0001f600"
# Fields escaped on their own, not inside a printf's text: the body, most of a record, would
# be copied once more there.
_ALONE = frozenset({"body"})
_MAX_HEADS = 10_000  # issues whose fields' text is kept while writing (a few MB)
_MAX_BEFORE = 4 * (SNIPPET_BEFORE + 1)  # bytes holding the context before a match (UTF-8: ≤4 a character)
_MAX_AFTER = 4 * (SNIPPET_LENGTH + 1)  # bytes holding a window and one character more


def sqlite_json_agrees(conn: sqlite3.Connection) -> bool:
    """True when this SQLite's ``json_quote`` and ``printf`` give the text Python's encoder
    gives (``json.dumps(s, ensure_ascii=False)``) for strings, integers and NULL, as UTF-8."""
    if not utf8(conn):
        return False
    try:
        got = conn.execute("SELECT printf('%s %s %s', json_quote(?), json_quote(?), "
                           "json_quote(NULL))", (_PROBE, -(2 ** 62))).fetchone()[0]
    except sqlite3.Error:  # no JSON functions in this build
        return False
    return got == f"{json.dumps(_PROBE, ensure_ascii=False)} {-(2 ** 62)} null"


def json_hits(conn: sqlite3.Connection, query: str, filters: Filters = NO_FILTERS,
              layout: str = "json") -> Iterator[bytes] | None:
    """Each hit of ``query`` (best first, as ``search.iter_search`` orders them) as the UTF-8
    text of its record in ``layout`` (``LAYOUTS``); None when this SQLite cannot write them
    (``sqlite_json_agrees``). The query is parsed at once: a bad one raises ``QueryError``."""
    q = parse_query(query)
    if not sqlite_json_agrees(conn):
        return None
    return _json_hits(conn, q, filters, _Record(layout))


def stream(conn: sqlite3.Connection, query: str, filters: Filters, layout: str) -> Iterator | None:
    """``json_hits`` for the JSON layouts, ``tsv_hits`` for "tsv"; None for a library whose
    file holds its text in UTF-16 (SQLite's other encodings; digest never makes one), whose
    bytes are not those written out."""
    if layout == "tsv":
        parse_query(query)  # a bad one raises first, whatever the file
        return tsv_hits(conn, query, filters) if utf8(conn) else None
    return json_hits(conn, query, filters, layout)


def utf8(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"


def tsv_hits(conn: sqlite3.Connection, query: str,
             filters: Filters = NO_FILTERS) -> Iterator[tuple]:
    """Each hit of ``query``, best first, as the cells of a line of ``digest search``'s table:
    (issue name, seq, date, section, title, page, region, snippet). Raises ``QueryError`` at
    once for a bad query."""
    q = parse_query(query)
    return _tsv_hits(conn, q, filters)


def _tsv_hits(conn, q: Query, filters: Filters) -> Iterator[tuple]:
    snip = _Snippets(q)
    cells = "i.bulletin, i.year, i.number, i.id, a.seq, i.date, a.section, a.title, a.page, a.region"
    first = 1 + len(snip.columns)
    for rows, _ in _rows(conn, q, filters, f"{', '.join(snip.columns)}, {cells}"):
        for r in rows:
            bulletin, year, number, issue_id = r[first:first + 4]
            name = f"{bulletin}:{year}:{number}" if bulletin and year and number else str(issue_id)
            yield (name, *r[first + 4:], snip(r[1], r[2]))


class _Record:
    """One layout's record as the SQL selects it: its pieces in order, most of them text that
    SQLite escaped and laid out; the fields with a conversion (``RECORD_SOURCES``) as their
    column's value, and the score and snippet as slots that Python fills."""

    def __init__(self, layout: str):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        self.layout = layout
        sources = [*RECORD_SOURCES, ("score", None, None), ("snippet", None, None),
                   ("issue_id", None, None)]
        self.selects: list[str] = []  # the pieces' SQL, in order
        self.converted: list[tuple[int, Callable]] = []  # (piece, column value → bytes)
        self.slots: dict[str, int] = {}  # piece of the score, the snippet, the issue id
        # The issue's fields lead the record: an issue's few hits share them, made once.
        texts, args = [_OPEN[layout]], []
        while sources[0][1].startswith("i.") and sources[0][2] is None:
            name, column, _ = sources.pop(0)
            texts[-1] += encode_basestring(name) + ": "
            texts.append(_ITEM_SEP[layout])
            args.append(f"json_quote({column})")
        texts[-1] = ""
        self.issue_select = self._printf(texts, args) if args else None
        if args:
            self.slots["issue"] = len(self.selects)
            self.selects.append("NULL")
        # a run of SQL-escaped fields: the texts around its values, and the values' SQL
        texts, args = [""], []
        for n, (name, column, convert) in enumerate(sources):
            first = n == 0 and self.issue_select is None
            texts[-1] += ("" if first else _ITEM_SEP[layout]) + encode_basestring(name) + ": "
            if column is not None and convert is None and name not in _ALONE:
                texts.append("")  # the column's value, escaped by SQLite
                args.append(f"json_quote({column})")
                continue
            self._text(texts, args)
            if name in _ALONE:
                self.selects.append(f"CAST(json_quote({column}) AS BLOB)")
                texts, args = [""], []
                continue
            texts, args = [""], []
            if column is None:
                self.slots[name] = len(self.selects)
                self.selects.append("NULL")
            else:
                self.converted.append((len(self.selects), self._encoder(convert)))
                self.selects.append(column)
        texts[-1] += _CLOSE[layout]
        self._text(texts, args)

    def _text(self, texts: list[str], args: list[str]) -> None:
        """The piece of ``texts`` with ``args``' values between them (one more text than args)."""
        if args:
            self.selects.append(self._printf(texts, args))
        elif texts[0]:
            self.selects.append(f"X'{texts[0].encode().hex()}'")

    @staticmethod
    def _printf(texts: list[str], args: list[str]) -> str:
        fmt = "%s".join(t.replace("%", "%%") for t in texts).replace("'", "''")
        return f"CAST(printf('{fmt}', {', '.join(args)}) AS BLOB)"

    def _encoder(self, convert: Callable) -> Callable[[object], bytes]:
        """Column value → the bytes of its export value (``convert``'s), cached by value: the
        same lists and scores come back again and again."""
        cache: dict = {}
        value_text = self.value_text

        def encode(value):
            try:
                return cache[value]
            except KeyError:
                out = cache[value] = value_text(convert(value)).encode()
                return out
        return encode

    def value_text(self, value) -> str:
        """A record's value as ``json.dumps`` writes it at the record's place."""
        if self.layout == "jsonl":
            return json.dumps(value, ensure_ascii=False, default=str)
        text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
        return "\n    ".join(text.split("\n"))  # a value inside the record, two levels in


def _json_hits(conn, q: Query, filters: Filters, record: _Record) -> Iterator[bytes]:
    snip = _Snippets(q)
    first = 2 + len(snip.columns)  # a.id, the snippet's columns, i.id, then the record's pieces
    score_at, snippet_at = record.slots["score"], record.slots["snippet"]
    issue_at, converted = record.slots["issue_id"], record.converted
    head_at = record.slots.get("issue")
    heads: dict[int, bytes] = {}  # issue id → its fields' text
    scores: dict[float, bytes] = {}
    join = b"".join
    columns = f"{', '.join(snip.columns)}, i.id, {', '.join(record.selects)}"
    for rows, score_of in _rows(conn, q, filters, columns):
        if head_at is not None:
            if len(heads) > _MAX_HEADS:
                heads.clear()
            missing = list({r[first - 1] for r in rows}.difference(heads))
            if missing:
                heads.update(conn.execute(
                    f"SELECT i.id, {record.issue_select} FROM issues i "
                    f"WHERE i.id IN ({','.join('?' * len(missing))})", missing))
        for r in rows:
            out = list(r[first:])
            if head_at is not None:
                out[head_at] = heads[r[first - 1]]
            for at, encode in converted:
                out[at] = encode(out[at])
            score = score_of[r[0]]
            out[score_at] = scores.get(score) or scores.setdefault(score, json.dumps(score).encode())
            out[snippet_at] = encode_basestring(snip(r[1], r[2])).encode()
            out[issue_at] = b"%d" % r[first - 1]
            yield join(out)


def _rows(conn, q: Query, filters: Filters, columns: str):
    """(rows, {article id: score}) chunk by chunk, the rows of the hits in rank order, each the
    article id then ``columns`` (over ``a``, the article, and ``i``, its issue). Where the index
    alone is not exact, rows that fail the substring test are left out."""
    select = (f"SELECT a.id, {columns} FROM articles a JOIN issues i ON i.id = a.issue_id "
              "WHERE a.id IN (")
    check = None if q.exact else (
        "SELECT id, title, body FROM articles WHERE id IN (")
    for chunk in _ranked(conn, q, filters, None, _candidates_sql):
        ids = [aid for aid, _ in chunk]
        marks = ",".join("?" * len(ids))
        if check is not None:  # only the articles that really match
            ids = [r[0] for r in conn.execute(f"{check}{marks})", ids)
                   if q.matches(r[1], r[2])]
            ids_set = set(ids)
            chunk = [(aid, s) for aid, s in chunk if aid in ids_set]
            marks = ",".join("?" * len(ids))
            if not ids:
                continue
        found = {r[0]: r for r in conn.execute(f"{select}{marks})", ids)}
        yield [found[aid] for aid, _ in chunk], dict(chunk)


class _Snippets:
    """A hit's marked snippet, as ``marked_snippet(body, q.terms)`` gives it, from ``columns``
    that SQLite selects (over ``a``, the article): two values, passed as they come.

    For one term without ASCII letters or spaces (no folding, and found in the text with line
    breaks as it is found with them made spaces), the columns are where the term's UTF-8 bytes
    are in the body's and the bytes around them: only that window is read into Python and
    decoded. UTF-8 is self-synchronising, so the bytes are found exactly where the text is; the
    context before a match is at most SNIPPET_BEFORE characters, so it lies in the
    ``_MAX_BEFORE`` bytes before it, and decoding a cut with errors ignored drops only the
    partial characters at its ends. Any other query reads the whole body."""

    def __init__(self, q: Query):
        self.terms = q.terms
        term = plain_term(self.terms)
        self.term = None if term is None or " " in term else term
        if self.term is None:
            self.columns = ("NULL", "a.body")
            return
        self.marked = "【" + self.term + "】"
        body, needle = "CAST(a.body AS BLOB)", f"X'{self.term.encode().hex()}'"
        self.columns = (f"instr({body}, {needle})",
                        f"substr({body}, max(1, instr({body}, {needle}) - {_MAX_BEFORE}), "
                        f"{_MAX_BEFORE + _MAX_AFTER})")

    def __call__(self, found, text) -> str:
        if self.term is None:
            return marked_snippet(text, self.terms)
        # ``text``: the body's bytes from max(1, found - _MAX_BEFORE), 1-based; found 0: none
        at = 0 if found == 0 else found - max(1, found - _MAX_BEFORE)  # the match in ``text``
        text = text or b""  # an empty body: SQLite gives NULL for its window
        before = text[:at].decode("utf-8", "ignore")
        # more than SNIPPET_BEFORE characters before the match: the window starts after some
        # (a cut that began inside the body holds at least SNIPPET_BEFORE + 1 characters)
        cut = len(before) > SNIPPET_BEFORE
        if cut:
            before = before[len(before) - SNIPPET_BEFORE:]
        both = before + text[at:at + _MAX_AFTER].decode("utf-8", "ignore")
        window = both[:SNIPPET_LENGTH].replace("\n", " ")
        return ((ELLIPSIS if cut else "") + window.replace(self.term, self.marked)
                + (ELLIPSIS if len(both) > SNIPPET_LENGTH else ""))
