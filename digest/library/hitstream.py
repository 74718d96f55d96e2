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

An issue's fields are laid out once for all its hits. Each row carries as few columns as it can
(each costs SQLite and the sqlite3 module something per hit): the constant text between two
Python-made values travels with the first of them.

The bytes are those the record path writes (``tests/test_hitstream.py`` holds them equal). That
rests on SQLite escaping a string as Python's ``json.dumps(..., ensure_ascii=False)`` does:
``sqlite_json_agrees`` checks it on every character that either escapes before each stream, and
where it does not hold (a SQLite built without JSON functions, or one that escapes otherwise),
or the library file is not UTF-8, no stream is offered and the caller builds records.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring

from digest.library.rows import RECORD_SOURCES, issue_name
from digest.library.search import NO_FILTERS, Filters, parse_query, ranked_ids
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
_CHUNK = 256  # hits whose rows are asked for at once (one statement each: fewer is dearer)
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
    """``json_hits`` for the JSON layouts, ``_tsv_hits`` for "tsv"; None for a library whose
    file holds its text in UTF-16 (SQLite's other encodings; digest never makes one), whose
    bytes are not those written out."""
    if layout == "tsv":
        q = parse_query(query)  # a bad one raises first, whatever the file
        return _tsv_hits(conn, q, filters) if utf8(conn) else None
    return json_hits(conn, query, filters, layout)


def utf8(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"


def _tsv_hits(conn, q: Query, filters: Filters) -> Iterator[tuple]:
    """Each hit, best first, as the cells of a line of ``digest search``'s table: (issue name,
    seq, date, section, title, page, region, snippet)."""
    snip = _Snippets(q)
    cells = "i.bulletin, i.year, i.number, i.id, a.seq, i.date, a.section, a.title, a.page, a.region"
    for rows, _ in _rows(conn, q, filters, f"{snip.column}, {cells}"):
        for r in rows:
            yield (issue_name(*r[2:6]), *r[6:], snip(r[1]))


class _Record:
    """One layout's record: the columns SQLite selects for it and the steps that put each
    hit's record together from its row.

    Runs of fields whose column is the value (``RECORD_SOURCES`` without a conversion) are
    escaped and laid out by SQLite, keys and separators included, in one ``printf`` column
    each; the body alone (``_ALONE``). Python makes the converted fields from their columns,
    the issue's fields once per issue, and the score, snippet and issue id; each Python-made
    value carries the constant text that follows it up to the next column."""

    def __init__(self, layout: str):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        self.layout = layout
        sources = list(RECORD_SOURCES)
        # The issue's fields lead the record: an issue's few hits share them, made once.
        texts, args = [_OPEN[layout]], []
        while sources and sources[0][1].startswith("i.") and sources[0][2] is None:
            name, column, _ = sources.pop(0)
            texts[-1] += ("" if not args else _ITEM_SEP[layout]) + encode_basestring(name) + ": "
            texts.append("")
            args.append(f"json_quote({column})")
        self.issue_select = _printf(texts, args) if args else None
        # The rest as tokens: ("text", str), ("sql", column SQL: escaped in a printf),
        # ("alone", column SQL), ("python", name, column or None, conversion or None).
        tokens: list[tuple] = [] if args else [("text", _OPEN[layout])]
        for n, (name, column, convert) in enumerate(
                [*sources, ("score", None, None), ("snippet", None, None),
                 ("issue_id", None, None)]):
            sep = "" if n == 0 and not args else _ITEM_SEP[layout]
            tokens.append(("text", sep + encode_basestring(name) + ": "))
            if column is not None and convert is None:
                tokens.append(("alone", column) if name in _ALONE else ("sql", column))
            else:
                tokens.append(("python", name, column, convert))
        tokens.append(("text", _CLOSE[layout]))
        self.columns: list[str] = []  # SQL of the record's columns, in order
        # steps, each with the constant text that follows it last: ("issue", text): the issue's
        # fields; ("column", index): a column as it is; ("convert", index, conversion, text);
        # ("made", name, text): the score, snippet or issue id; ("text", text) alone
        self.steps: list[tuple] = [("issue", "")] if self.issue_select else []
        texts, args = [""], []
        for token in tokens:
            kind = token[0]
            if kind == "text":
                texts[-1] += token[1]
            elif kind == "sql":
                texts.append("")
                args.append(f"json_quote({token[1]})")
            else:
                self._close_run(texts, args)
                texts, args = [""], []
                if kind == "alone":
                    self.steps.append(("column", len(self.columns)))
                    self.columns.append(f"CAST(json_quote({token[1]}) AS BLOB)")
                elif token[2] is not None:  # a converted column
                    self.steps.append(("convert", len(self.columns), token[3], ""))
                    self.columns.append(token[2])
                else:
                    self.steps.append(("made", token[1], ""))
        self._close_run(texts, args)

    def _close_run(self, texts: list[str], args: list[str]) -> None:
        """End a run: a printf column where it has values, else its text goes after the
        Python-made value before it."""
        if args:
            self.steps.append(("column", len(self.columns)))
            self.columns.append(_printf(texts, args))
        elif texts[0]:
            if self.steps and self.steps[-1][0] in ("issue", "convert", "made"):
                *step, after = self.steps[-1]
                self.steps[-1] = (*step, after + texts[0])
            else:  # after a column as it is, or first
                self.steps.append(("text", texts[0]))

    def encoder(self, convert: Callable, after: str) -> Callable[[object], bytes]:
        """Column value → the bytes of its export value (``convert``'s) and ``after``, cached by
        value: the same lists and scores come back again and again."""
        cache: dict = {}
        value_text, tail = self.value_text, after.encode()

        def encode(value):
            try:
                return cache[value]
            except KeyError:
                out = cache[value] = value_text(convert(value)).encode() + tail
                return out
        return encode

    def value_text(self, value) -> str:
        """A record's value as ``json.dumps`` writes it at the record's place."""
        if self.layout == "jsonl":
            return json.dumps(value, ensure_ascii=False, default=str)
        text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
        return "\n    ".join(text.split("\n"))  # a value inside the record, two levels in


def _printf(texts: list[str], args: list[str]) -> str:
    """SQL of the text ``texts`` with ``args``' values between them (one more text than args)."""
    fmt = "%s".join(t.replace("%", "%%") for t in texts).replace("'", "''")
    return f"CAST(printf('{fmt}', {', '.join(args)}) AS BLOB)"


def _json_hits(conn, q: Query, filters: Filters, record: _Record) -> Iterator[bytes]:
    snip = _Snippets(q)
    heads: dict[int, bytes] = {}  # issue id → the text of its fields
    assemble = _assembler(record, snip, heads)
    columns = f"{snip.column}, i.id, {', '.join(record.columns)}"
    fetch = conn.cursor()
    fetch.row_factory = None
    for rows, score_of in _rows(conn, q, filters, columns):
        if record.issue_select:
            if len(heads) > _MAX_HEADS:
                heads.clear()
            missing = list({r[2] for r in rows}.difference(heads))
            if missing:
                heads.update(fetch.execute(
                    f"SELECT i.id, {record.issue_select} FROM issues i "
                    f"WHERE i.id IN ({','.join('?' * len(missing))})", missing))
        yield from assemble(rows, score_of)


_FIRST = 3  # a row of _json_hits: a.id, the snippet's column, i.id, then the record's columns


def _assembler(record: _Record, snip, heads: dict) -> Callable:
    """(rows, {article id: score}) → each row's record, as one generated function whose body
    joins the record's steps as expressions (the way ``dataclasses`` makes ``__init__``): a
    Python call per step and hit cost more than SQLite's part of the work."""
    names: dict[str, object] = {"heads": heads, "snip": snip, "quote": encode_basestring}
    parts = []
    for n, (kind, *rest) in enumerate(record.steps):
        if kind == "issue":
            parts.append("heads[r[2]]" + (f" + T{n}" if rest[0] else ""))
            names[f"T{n}"] = rest[0].encode()
        elif kind == "text":
            parts.append(f"T{n}")
            names[f"T{n}"] = rest[0].encode()
        elif kind == "column":
            parts.append(f"r[{_FIRST + rest[0]}]")
        elif kind == "convert":
            parts.append(f"E{n}(r[{_FIRST + rest[0]}])")
            names[f"E{n}"] = record.encoder(rest[1], rest[2])
        elif rest[0] == "score":
            parts.append(f"E{n}(score_of[r[0]])")
            names[f"E{n}"] = record.encoder(float, rest[1])
        elif rest[0] == "snippet":
            parts.append(f"quote(snip(r[1])).encode() + T{n}")
            names[f"T{n}"] = rest[1].encode()
        else:  # the issue id
            parts.append(f"T{n} % r[2]")
            names[f"T{n}"] = b"%d" + rest[1].replace("%", "%%").encode()
    source = ("def assemble(rows, score_of):\n"
              "    join = b''.join\n"
              "    for r in rows:\n"
              f"        yield join(({', '.join(parts)},))\n")
    exec(compile(source, "<hitstream record>", "exec"), names)  # our own text, as dataclasses
    return names["assemble"]


def _rows(conn, q: Query, filters: Filters, columns: str):
    """(rows, {article id: score}) chunk by chunk, the rows of the hits in rank order, each the
    article id then ``columns`` (over ``a``, the article, and ``i``, its issue). Where the index
    alone is not exact, rows that fail the substring test are left out."""
    select = (f"SELECT a.id, {columns} FROM articles a JOIN issues i ON i.id = a.issue_id "
              "WHERE a.id IN (")
    check = None if q.exact else (
        "SELECT id, title, body FROM articles WHERE id IN (")
    fetch = conn.cursor()
    fetch.row_factory = None  # plain tuples: cheaper to make and to index than rows
    for chunk in ranked_ids(conn, q, filters, _CHUNK):
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
        found = {r[0]: r for r in fetch.execute(f"{select}{marks})", ids)}
        yield [found[aid] for aid, _ in chunk], dict(chunk)


class _Snippets:
    """A hit's marked snippet, as ``marked_snippet(body, q.terms)`` gives it, from the one
    ``column`` that SQLite selects for it (over ``a``, the article).

    For one term without ASCII letters or spaces (no folding, and found in the text with line
    breaks as it is found with them made spaces), the column is a window of the body's UTF-8
    bytes around the term's first occurrence: only that is read into Python and decoded.
    UTF-8 is self-synchronising, so the term's bytes are found exactly where the term is, and
    the window's first occurrence is the body's (the window is a slice of the body that starts
    before it). The context before a match is at most SNIPPET_BEFORE characters, so it lies in
    the ``_MAX_BEFORE`` bytes before it, and decoding a cut with errors ignored drops only the
    partial characters at its ends. Any other query reads the whole body."""

    def __init__(self, q: Query):
        self.terms = q.terms
        term = plain_term(self.terms)
        self.term = None if term is None or " " in term else term
        if self.term is None:
            self.column = "a.body"
            return
        self.marked = "【" + self.term + "】"
        self.needle = self.term.encode()
        body, needle = "CAST(a.body AS BLOB)", f"X'{self.needle.hex()}'"
        self.column = (f"substr({body}, max(1, instr({body}, {needle}) - {_MAX_BEFORE}), "
                       f"{_MAX_BEFORE + _MAX_AFTER})")

    def __call__(self, text) -> str:
        if self.term is None:
            return marked_snippet(text, self.terms)
        text = text or b""  # an empty body: SQLite gives NULL for its window
        at = max(0, text.find(self.needle))  # not there (a title hit): the body's start
        before = text[:at].decode("utf-8", "ignore")
        # more than SNIPPET_BEFORE characters before the match: the window starts after some
        # (a cut that began inside the body holds at least SNIPPET_BEFORE + 1 characters)
        cut = len(before) > SNIPPET_BEFORE
        if cut:
            before = before[len(before) - SNIPPET_BEFORE:]
        # the window's rest and one character more: at most 4 bytes a character
        after = text[at:at + 4 * (SNIPPET_LENGTH + 1 - len(before))]
        both = before + after.decode("utf-8", "ignore")
        window = both[:SNIPPET_LENGTH].replace("\n", " ")
        return ((ELLIPSIS if cut else "") + window.replace(self.term, self.marked)
                + (ELLIPSIS if len(both) > SNIPPET_LENGTH else ""))
