"""Every hit of a search, written as SQLite reads it: ``digest search --limit 0`` in JSON, JSON
lines and TSV without a Python record per hit.

A common term finds tens of thousands of articles (江苏: 50,900 of 160,000), and writing them all
should cost no more than reading every text once (issue 13). The record path
(``rows.hit_record``, then the JSON encoder) costs twice that: each body, most of the output,
is decoded from UTF-8 into a ``str``, escaped by Python's encoder and encoded to UTF-8 again.
Here one statement a tier reads the index in rank order and each hit's row as it goes
(``search.hit_selects``). SQLite escapes the short text fields itself (``json_quote``) and lays
them out with their keys (``printf``); the body comes as its UTF-8 bytes, which Python checks
for what needs escaping in one pass in C (``_escaped``: line breaks, as a rule). Those bytes go
to the output untouched. Python adds what it computes: the snippet (for a query of one term,
finished from SQLite's window of characters around its first match: ``_Snippets``), the
rounded match score, the lists and the issue id.

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
from digest.library.search import NO_FILTERS, Filters, hit_selects, parse_query, ranked_ids
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
# Fields read as their UTF-8 bytes and escaped by Python (``_escaped``), not by SQLite: the
# body, most of a record, where a check of its bytes in C costs less than json_quote's
# character-by-character copy (and a printf would copy it once more).
_RAW = frozenset({"body"})
# What Python's encoder escapes in a str (ensure_ascii=False): control characters, '"' and
# '\\'; as UTF-8 bytes, no byte of a longer character is one of them.
_SPECIAL = bytes(range(0x20)) + b'"\\'
_NOT_SPECIAL = bytes(sorted(set(range(0x100)).difference(_SPECIAL)))
_CHUNK = 256  # rows fetched at a time (and ids a statement where rows are asked for by id)
_MAX_HEADS = 10_000  # issues whose fields' text is kept while writing (a few MB)
_MAX_VALUES = 10_000  # values of a converted field whose text is kept (a few MB at most)
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
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    return _json_hits(conn, q, filters, layout)


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
    for rows in _rows(conn, q, filters, f"{snip.column}, {cells}"):
        for r in rows:
            yield (issue_name(*r[1:5]), *r[5:], snip(r[0]))


class _Record:
    """One layout's record: the columns SQLite selects for it and the steps that put each
    hit's record together from its row.

    Runs of fields whose column is the value (``RECORD_SOURCES`` without a conversion) are
    escaped and laid out by SQLite, keys and separators included, in one ``printf`` column
    each, the score among them (the text of the tier's score, a parameter: ``params``); the
    body's bytes alone (``_RAW``), escaped by Python. Python makes the converted fields from
    their columns, the snippet (from SQLite's window where the query allows one,
    ``_Snippets.window``, else from the whole body) and the issue id, and lays out the issue's
    fields once per issue; each Python-made value carries the constant text that follows it
    up to the next column."""

    def __init__(self, layout: str, snip: _Snippets):
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
        # ("param", SQL placeholder: a text laid out as it is), ("raw", column SQL: its
        # UTF-8 bytes, escaped by Python), ("python", kind, column SQLs, conversion or None):
        # what Python makes.
        fields = [(name, ("raw", column) if name in _RAW and convert is None else
                   ("sql", column) if convert is None else
                   ("python", "convert", (column,), convert))
                  for name, column, convert in sources]
        # The snippet is made from the body's bytes where the record reads them, from SQLite's
        # window around the match where the query allows one (the bytes tell the rare body it
        # cannot cut: ``_Snippets.json_finish``); else from a column of the body's text.
        body_read = ("body", ("raw", "a.body")) in fields
        self.window = snip.window if body_read else None
        tokens: list[tuple] = [] if args else [("text", _OPEN[layout])]
        tail = [("score", ("param", "?")),
                ("snippet", ("python", "snippet",
                             self.window or (() if body_read else ("a.body",)), None)),
                ("issue_id", ("python", "issue_id", (), None))]
        for n, (name, token) in enumerate([*fields, *tail]):
            sep = "" if n == 0 and not args else _ITEM_SEP[layout]
            key = sep + encode_basestring(name) + ": "
            if token[0] == "raw":  # its quotes go with the text around it
                tokens += [("text", key + '"'), token, ("text", '"')]
            else:
                tokens += [("text", key), token]
        tokens.append(("text", _CLOSE[layout]))
        self.columns: list[str] = []  # SQL of the record's columns, in order
        # steps, each with the constant text that follows it last: ("issue", text): the issue's
        # fields; ("column", index): a column as it is; ("raw", index): a column's bytes,
        # escaped; ("convert", index, conversion, text); ("snippet", index, text): the snippet,
        # from the columns from index on; ("issue_id", text); ("text", text) alone
        self.steps: list[tuple] = [("issue", "")] if self.issue_select else []
        self.body: int | None = None  # the index of the body's bytes
        texts, args = [""], []
        for token in tokens:
            kind = token[0]
            if kind == "text":
                texts[-1] += token[1]
            elif kind in ("sql", "param"):
                texts.append("")
                args.append(f"json_quote({token[1]})" if kind == "sql" else token[1])
            else:
                self._close_run(texts, args)
                texts, args = [""], []
                if kind == "raw":
                    self.steps.append(("raw", len(self.columns)))
                    if token[1] == "a.body":
                        self.body = len(self.columns)
                    self.columns.append(f"CAST({token[1]} AS BLOB)")
                else:
                    _, made, columns, convert = token
                    step = (made, len(self.columns), convert) if made == "convert" else (
                        (made, len(self.columns)) if columns else (made,))
                    self.steps.append((*step, ""))
                    self.columns += columns
        self._close_run(texts, args)

    def params(self, score: float) -> list:
        """The values of the columns' placeholders for the hits of a tier: its score's text."""
        return [self.value_text(score)]

    def _close_run(self, texts: list[str], args: list[str]) -> None:
        """End a run: a printf column where it has values, else its text goes after the
        Python-made value before it."""
        if args:
            self.steps.append(("column", len(self.columns)))
            self.columns.append(_printf(texts, args))
        elif texts[0]:
            if self.steps and self.steps[-1][0] in ("issue", "convert", "snippet", "issue_id"):
                *step, after = self.steps[-1]
                self.steps[-1] = (*step, after + texts[0])
            else:  # after a column as it is, or first
                self.steps.append(("text", texts[0]))

    def encoder(self, convert: Callable, after: str) -> tuple[dict, Callable[[object], bytes]]:
        """(cache, make): column value → the bytes of its export value (``convert``'s) and
        ``after``: looked up in the cache, made (and kept there) where it is not; the same
        lists and scores come back again and again."""
        cache: dict = {}
        value_text, tail = self.value_text, after.encode()

        def make(value):
            if len(cache) >= _MAX_VALUES:  # values that do not come back (keyword lists)
                cache.clear()
            out = cache[value] = value_text(convert(value)).encode() + tail
            return out
        return cache, make

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


def _json_hits(conn, q: Query, filters: Filters, layout: str) -> Iterator[bytes]:
    snip = _Snippets(q)
    record = _Record(layout, snip)
    heads: dict[int, bytes] = {}  # issue id → the text of its fields
    assemble = _assembler(record, snip, heads)
    fetch = conn.cursor()
    fetch.row_factory = None
    for rows in _rows(conn, q, filters, f"i.id, {', '.join(record.columns)}", record.params):
        if record.issue_select:
            if len(heads) > _MAX_HEADS:
                heads.clear()
            missing = list({r[0] for r in rows}.difference(heads))
            if missing:
                heads.update(fetch.execute(
                    f"SELECT i.id, {record.issue_select} FROM issues i "
                    f"WHERE i.id IN ({','.join('?' * len(missing))})", missing))
        yield from assemble(rows)


_FIRST = 1  # a row of _json_hits: the issue id, then the record's columns


def _escaped(text: bytes) -> bytes:
    """The UTF-8 bytes of a text as Python's encoder escapes it between its quotes
    (``json.dumps(text, ensure_ascii=False)``). Most texts have nothing to escape but line
    breaks: finding that is one pass in C over a copy that keeps only the special bytes."""
    special = text.translate(None, _NOT_SPECIAL)
    if not special:
        return text
    if special.count(b"\n") == len(special):
        return text.replace(b"\n", b"\\n")
    return json.dumps(text.decode(), ensure_ascii=False)[1:-1].encode()


def _assembler(record: _Record, snip: _Snippets, heads: dict) -> Callable:
    """rows → each row's record, as one generated function whose body joins the record's
    steps as expressions (the way ``dataclasses`` makes ``__init__``): a Python call per step
    and hit cost more than SQLite's part of the work."""
    terms = snip.terms
    window = snip.json_finish() if record.window else None

    def snippet(body: str) -> bytes:
        return encode_basestring(marked_snippet(body, terms)).encode()

    def from_bytes(body: bytes) -> bytes:
        return snippet(body.decode())

    names: dict[str, object] = {"heads": heads, "snippet": snippet, "window": window,
                                "from_bytes": from_bytes, "escaped": _escaped}
    parts = []
    for n, (kind, *rest) in enumerate(record.steps):
        after = rest[-1] if kind in ("issue", "convert", "snippet", "issue_id") else ""
        if after:
            names[f"T{n}"] = after.encode()
        tail = f" + T{n}" if after else ""
        if kind == "issue":
            parts.append(f"heads[r[0]]{tail}")
        elif kind == "text":
            parts.append(f"T{n}")
            names[f"T{n}"] = rest[0].encode()
        elif kind == "column":
            parts.append(f"r[{_FIRST + rest[0]}]")
        elif kind == "raw":
            parts.append(f"escaped(r[{_FIRST + rest[0]}])")
        elif kind == "convert":  # the cache's bytes ("" never), or made
            parts.append(f"(C{n}.get(r[{_FIRST + rest[0]}]) or E{n}(r[{_FIRST + rest[0]}]))")
            names[f"C{n}"], names[f"E{n}"] = record.encoder(rest[1], rest[2])
        elif kind == "issue_id":
            parts.append(f"b'%d' % r[0]{tail}")
        elif record.body is None:  # the snippet, from the body's text
            parts.append(f"snippet(r[{_FIRST + rest[0]}]){tail}")
        elif record.window is None:  # from the body's bytes
            parts.append(f"from_bytes(r[{_FIRST + record.body}]){tail}")
        else:  # from SQLite's window, unless the body holds what it cannot cut
            body, at = f"r[{_FIRST + record.body}]", _FIRST + rest[0]
            parts.append(f"(window(r[{at}], r[{at + 1}]) if b'\\0' not in {body} "
                         f"else from_bytes({body})){tail}")
    source = ("def assemble(rows):\n"
              "    join = b''.join\n"
              "    for r in rows:\n"
              f"        yield join(({', '.join(parts)},))\n")
    exec(compile(source, "<hitstream record>", "exec"), names)  # our own text, as dataclasses
    return names["assemble"]


def _rows(conn, q: Query, filters: Filters, columns: str,
          params: Callable[[float], list] = lambda score: []) -> Iterator[list[tuple]]:
    """Chunks of the rows of every hit, best first: ``columns`` (over ``a``, the article, and
    ``i``, its issue), whose own placeholders take ``params(score)`` for each tier's hits.

    Where the query has an index expression, one statement a tier reads the index in rank
    order and each hit's row as it goes (``search.hit_selects``); otherwise the ranked ids
    come first (SQLite sorts them, checking each) and their rows a chunk at a time (a chunk
    is of one tier)."""
    fetch = conn.cursor()
    fetch.row_factory = None  # plain tuples: cheaper to make and to index than rows
    tiers = hit_selects(q, filters, columns)
    if tiers is not None:
        for score, sql, tier_params in tiers:
            cursor = fetch.execute(sql, [*params(score), *tier_params])
            while rows := cursor.fetchmany(_CHUNK):
                yield rows
        return
    select = (f"SELECT a.id, {columns} FROM articles a JOIN issues i ON i.id = a.issue_id "
              "WHERE a.id IN (")
    for chunk in ranked_ids(conn, q, filters, _CHUNK):
        ids = [aid for aid, _ in chunk]
        found = {r[0]: r[1:] for r in fetch.execute(
            f"{select}{','.join('?' * len(ids))})", [*params(chunk[0][1]), *ids])}
        yield [found[aid] for aid in ids if aid in found]  # (one removed meanwhile: gone)


class _Snippets:
    """A hit's marked snippet, as ``marked_snippet(body, q.terms)`` gives it, from what SQLite
    selects for it (over ``a``, the article): the whole body for most queries; a window of it
    for one term without ASCII letters or spaces (no folding, and found in the text with line
    breaks as it is found with them made spaces), in one of two ways.

    Where the body is not read (a TSV line), ``column`` is a window of the body's UTF-8 bytes
    around the term's first occurrence, and ``__call__`` makes the snippet from it. UTF-8 is
    self-synchronising, so the term's bytes are found exactly where the term is, and the
    window's first occurrence is the body's (the window is a slice of the body that starts
    before it). The context before a match is at most SNIPPET_BEFORE characters, so it lies in
    the ``_MAX_BEFORE`` bytes before it, and decoding a cut with errors ignored drops only the
    partial characters at its ends.

    Where the body's bytes are read anyway (a JSON record), ``window`` is SQLite's window of
    characters, cheaper to finish (``json_finish``), which is wrong only for a body that holds
    a NUL character: the body's bytes tell those."""

    def __init__(self, q: Query):
        self.terms = q.terms
        term = plain_term(self.terms)
        self.term = None if term is None or " " in term else term
        if self.term is None:
            self.column, self.window = "a.body", None
            return
        self.marked = "【" + self.term + "】"
        # SQLite's window of characters: where the term is (0: not in the body), and the
        # SNIPPET_LENGTH + 1 characters from SNIPPET_BEFORE before it (see ``json_finish``)
        found = f"instr(a.body, {_sql_text(self.term)})"
        self.window = (found, f"substr(a.body, max(1, {found} - {SNIPPET_BEFORE}), "
                              f"{SNIPPET_LENGTH + 1})")
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

    def json_finish(self) -> Callable[[int, str], bytes]:
        """(found, text) → the snippet from SQLite's ``window``, as a JSON string (UTF-8,
        quotes included): ``found``, the term's place in the body (from 1; 0 where it is
        not there), and ``text``, the window's characters and one more where the body goes
        on. SQLite counts characters as Python does (UTF-8 sequences), except that ``substr``
        stops at a NUL character (``instr`` does not): a body holding one must not be cut
        this way. The parser never makes one (``normalize`` drops control characters), but
        ``Library.store`` keeps whatever text it is given."""
        term, marked = self.term, self.marked

        def finish(found: int, text: str, quote=encode_basestring, length=SNIPPET_LENGTH,
                   cut=SNIPPET_BEFORE + 1, ellipsis=ELLIPSIS) -> bytes:
            return quote((ellipsis if found > cut else "")
                         + text[:length].replace("\n", " ").replace(term, marked)
                         + (ellipsis if len(text) > length else "")).encode()
        return finish


def _sql_text(text: str) -> str:
    """An SQL literal of ``text``, whatever characters it holds."""
    return f"CAST(X'{text.encode().hex()}' AS TEXT)"
