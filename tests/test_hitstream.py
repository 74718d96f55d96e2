"""Every hit written by SQLite (``digest.library.hitstream``): the bytes are those of the records.

The oracle is independent of the code under test: ``Library.iter_records`` (the record path,
held equal to the ``Hit`` values in test_search_order.py) encoded by ``json.dumps`` itself.
The library holds texts that every escaping rule touches (quotes, backslashes, every control
character, NUL, DEL, line separators, astral characters, printf's own ``%``), and terms placed
at each edge of a snippet's window.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from library_helpers import small_issue
from test_search_order import some_issues

from digest.library import DB_NAME, Filters, Library
from digest.library.hitstream import _escaped, _Snippets, sqlite_json_agrees
from digest.query import SNIPPET_BEFORE, SNIPPET_LENGTH, marked_snippet, parse_query

CONTROLS = "".join(map(chr, range(0x20)))
ASTRAL = "😀"  # four UTF-8 bytes: the most a cut can split
PAD = "中"  # three UTF-8 bytes


def edge_bodies() -> list[str]:
    """The term 江苏 at and around each edge of the snippet's window: with 0 to
    SNIPPET_BEFORE + 2 characters before it, and bodies ending at, before and after the
    window's end; characters of one, three and four bytes around it; line breaks inside."""
    bodies = []
    for before in (0, 1, SNIPPET_BEFORE - 1, SNIPPET_BEFORE, SNIPPET_BEFORE + 1,
                   SNIPPET_BEFORE + 2, 3 * SNIPPET_BEFORE):
        for pad in (PAD, ASTRAL, "a", "\n"):
            head = pad * before
            for tail in (SNIPPET_LENGTH - min(before, SNIPPET_BEFORE) - 3,
                         SNIPPET_LENGTH - min(before, SNIPPET_BEFORE) - 2,
                         SNIPPET_LENGTH - min(before, SNIPPET_BEFORE) - 1, SNIPPET_LENGTH):
                bodies.append(head + "江苏" + (ASTRAL + PAD) * (tail // 2) + PAD * (tail % 2))
        # four-byte characters only after the match: the window's last and next characters
        # lie at the very end of the bytes read after it
        for tail in range(SNIPPET_LENGTH - 4, SNIPPET_LENGTH + 1):
            bodies.append(PAD * before + "江苏" + ASTRAL * tail)
    return bodies


def tricky_issues() -> list:
    odd = ('他说"江苏"很好\\反斜杠' + CONTROLS + "\x7f删除\u2028行\u2029段" + ASTRAL
           + "江苏，%s %d 100% 'quote'")
    tricky = small_issue("tricky", [
        ('标题"江苏"\\%s' + CONTROLS, odd),
        ("江苏在标题，正文没有", "正文只说养老。"),
        ("没有", "江苏\n养老\n江苏 养老，g60 G60科创走廊" + "\t" * 3),
        ("江苏养老", "苏州" + PAD * 200 + "江苏" + ASTRAL * 90),
        # a phrase with a space is found where a line break stands for it (the snippet reads
        # the body with line breaks as spaces) before the place where the space is
        ("短语", "江苏\n养老" + PAD * 50 + "江苏 养老"),
    ], number=3, date=dt.date(2022, 3, 4), region="江苏")
    tricky = replace(tricky, articles=tuple(
        replace(a, match=m, regions=r, keywords=k, summary=s)
        for a, m, r, k, s in zip(tricky.articles, (87.65, None, 0.05, 100.0, 99.95),
                                 (("江苏", "上海"), (), ('引"号',), ("江苏",), ()),
                                 (("医药", "养老\n"), (), ("a\\b",), (), ()),
                                 ("摘要\"", None, "", "江苏", None))))
    edges = small_issue("edges", [(f"边界{n}", body) for n, body in enumerate(edge_bodies())],
                        number=4, date=dt.date(2022, 3, 5))
    nameless = small_issue("nameless", [("无名江苏", "江苏。")], bulletin="", number=7)
    return [*some_issues(), tricky, edges, nameless]


QUERIES = ["江苏", "养老", "江苏 养老", "g60", "江苏 -养老", "苏", "江苏，", '"江苏 养老"', "\"OR\"",
           "医药 OR 江苏", "100%", "不在任何文章里",
           # an OR whose index expression holds where one branch's phrase does, not its text
           "养老 OR 江苏，", "(江苏 -养老) OR 医药", "g60 OR 江苏，"]
FILTERS = [Filters(), Filters(regions=("江苏",)), Filters(since=dt.date(2022, 1, 1))]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hitstream")
    with Library(folder) as lib:
        for issue in tricky_issues():
            lib.store(issue)
    return folder


def streamed(lib: Library, query: str, filters: Filters, layout: str):
    stream = lib.hit_stream(query, filters, layout)
    assert stream is not None, "this SQLite writes JSON as Python does"
    return list(stream)


@pytest.mark.parametrize("query", QUERIES)
def test_json_is_json_dumps_of_the_records(library, query):
    with Library(library) as lib:
        for filters in FILTERS:
            records = list(lib.iter_records(query, filters))
            items = streamed(lib, query, filters, "json")
            assert len(items) == len(records)
            if records:
                got = b"[\n" + b",\n".join(items) + b"\n]"
                assert got.decode() == json.dumps(records, ensure_ascii=False, indent=2), query
            lines = [line.decode() for line in streamed(lib, query, filters, "jsonl")]
            assert lines == [json.dumps(r, ensure_ascii=False) for r in records], query


def test_kept_values_are_let_go(library, monkeypatch):
    """The texts of converted values (keyword lists, match scores) are kept for the next hit
    with the same value, up to a bound: past it they are dropped and made again, the records
    unchanged."""
    from digest.library import hitstream

    monkeypatch.setattr(hitstream, "_MAX_VALUES", 1)
    with Library(library) as lib:
        records = list(lib.iter_records("江苏"))
        got = b"[\n" + b",\n".join(streamed(lib, "江苏", Filters(), "json")) + b"\n]"
    assert got.decode() == json.dumps(records, ensure_ascii=False, indent=2)


_TERMS = ["江苏", "苏", "养老", "江苏，", "，", "g60", "G60", "医药", "中中", ASTRAL, "%", "100%",
          '"江苏 养老"', "不在", "\\", "苏 "]


def _query(depth: int = 0):
    """Queries of the terms above: spaces (AND), -exclusions, OR, parentheses, nested."""
    item = st.sampled_from(_TERMS) | st.sampled_from(_TERMS).map("-".__add__)
    if depth < 2:
        item = item | _query(depth + 1).map(lambda q: f"({q})")
    return st.lists(item, min_size=1, max_size=3).map(" ".join).flatmap(
        lambda q: st.sampled_from([q]) | _or(q, depth))


def _or(q: str, depth: int):
    return _query(depth + 1).map(lambda other: f"{q} OR {other}") if depth < 2 else st.just(q)


@settings(max_examples=400, deadline=None)
@given(query=_query(), filters=st.sampled_from(FILTERS))
def test_any_query_streams_the_records(library, query, filters):
    """Any mix of terms, exclusions, ORs and groups: the stream's hits are the records' (an OR
    with one inexact branch, decided by the index alone, once let through articles that
    only matched the other branch's phrase)."""
    from digest.errors import QueryError

    with Library(library) as lib:
        try:
            records = list(lib.iter_records(query, filters))
        except QueryError:
            return
        lines = [line.decode() for line in streamed(lib, query, filters, "jsonl")]
        assert lines == [json.dumps(r, ensure_ascii=False) for r in records], query
        assert [c[-1] for c in streamed(lib, query, filters, "tsv")] == \
            [r["snippet"] for r in records]


@pytest.mark.parametrize("query", QUERIES)
def test_tsv_cells_are_the_records_columns(library, query):
    with Library(library) as lib:
        for filters in FILTERS:
            expected = [(f"{r['bulletin']}:{r['year']}:{r['issue']}" if r["bulletin"]
                         else str(r["issue_id"]), r["seq"], r["date"], r["section"],
                         r["title"], r["page"], r["region"], r["snippet"])
                        for r in lib.iter_records(query, filters)]
            assert streamed(lib, query, filters, "tsv") == expected, query


def test_the_library_has_what_the_cases_need(library):
    """The cases are there: hits in both tiers, with and without ellipses, with every
    kind of snippet start, and an issue named by its id."""
    with Library(library) as lib:
        records = list(lib.iter_records("江苏"))
    snippets = [r["snippet"] for r in records]
    assert {r["score"] for r in records} == {1.0, 2.0}
    assert any(s.startswith("…") for s in snippets) and any(not s.startswith("…") for s in snippets)
    assert any(s.endswith("…") for s in snippets) and any(not s.endswith("…") for s in snippets)
    assert any(r["bulletin"] == "" for r in records)
    assert any("\x00" in r["body"] and '"' in r["title"] for r in records)


def test_a_sqlite_that_escapes_otherwise_gets_records(library):
    """Where json_quote does not escape as Python's encoder (here an application function of
    that name, as a build of SQLite could differ), no stream is offered: the caller falls back
    to records. A SQLite without the function at all is the same case."""
    with Library(library) as lib:
        conn = lib._conn
        assert sqlite_json_agrees(conn)
        conn.create_function("json_quote", 1, lambda v: json.dumps(v))  # escapes non-ASCII
        assert not sqlite_json_agrees(conn)
        assert lib.hit_stream("江苏", Filters(), "json") is None
        assert list(lib.hit_stream("江苏", Filters(), "tsv"))  # TSV needs no JSON from SQLite


def test_a_utf16_library_gets_records(tmp_path):
    """A library file in UTF-16 (SQLite's other encodings; digest never makes one) holds its
    texts in bytes other than UTF-8: no stream of the bytes SQLite holds."""
    folder = tmp_path / "lib"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("PRAGMA encoding = 'UTF-16le'")
    conn.execute("CREATE TABLE made (x)")  # the encoding is fixed when the first page is
    conn.execute("DROP TABLE made")
    conn.close()
    with Library(folder) as lib:
        lib.store(small_issue("u16", [("江苏养老", "正文说江苏。")]))
        assert lib._conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-16le"
        assert lib.hit_stream("江苏", Filters(), "json") is None
        assert lib.hit_stream("江苏", Filters(), "tsv") is None


def test_a_bad_query_fails_before_anything_is_written(library):
    from digest.errors import QueryError

    with Library(library) as lib:
        for layout in ("json", "jsonl", "tsv"):
            with pytest.raises(QueryError):
                lib.hit_stream("(江苏", Filters(), layout)


# --- the snippet from the body's bytes ----------------------------------------------------------

_TEXT = st.lists(st.sampled_from(["江", "苏", "江苏", "中", ASTRAL, "\n", " ", "a", "\x00", "，",
                                  "é"]), max_size=200).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=_TEXT, term=st.sampled_from(["江苏", "苏", "中中", ASTRAL + "江", "é江"]))
def test_window_snippet_is_marked_snippet(text, term):
    """The snippet made from SQLite's window of the body's bytes (``_Snippets``) is
    ``marked_snippet`` of the text, NUL characters and cut multi-byte characters included."""
    q = parse_query(term)
    snippets = _Snippets(q)
    assert snippets.term == term, "the window is used for a plain term"
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (body TEXT)")
    conn.execute("INSERT INTO articles VALUES (?)", (text,))
    window = conn.execute(f"SELECT {snippets.column} FROM articles a").fetchone()[0]
    assert snippets(window) == marked_snippet(text, q.terms)


@settings(max_examples=500, deadline=None)
@given(text=_TEXT.filter(lambda t: "\x00" not in t),
       term=st.sampled_from(["江苏", "苏", "中中", ASTRAL + "江", "é江"]))
def test_character_window_snippet_is_marked_snippet(text, term):
    """The snippet finished from SQLite's window of characters (``_Snippets.window``, for JSON
    records) is ``marked_snippet`` of the text, escaped as JSON, for a body without NUL (the
    records take Python's snippet for one with: test_json_is_json_dumps_of_the_records)."""
    q = parse_query(term)
    snippets = _Snippets(q)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (body TEXT)")
    conn.execute("INSERT INTO articles VALUES (?)", (text,))
    window = conn.execute(f"SELECT {', '.join(snippets.window)} FROM articles a").fetchone()
    assert snippets.json_finish()(*window) == \
        json.dumps(marked_snippet(text, q.terms), ensure_ascii=False).encode()


# --- the body's bytes, escaped by Python -------------------------------------------------------

@pytest.mark.parametrize("char", [chr(c) for c in range(0x80)] + ["\u2028", "中", ASTRAL])
def test_each_character_alone_is_escaped_as_json_dumps(char):
    """Every ASCII character on its own in a text (with and without line breaks beside it,
    which take the quick path when alone) and characters that must stay as they are."""
    for text in (char, "中" + char + "文", "行\n" + char + "\n行", char * 3 + "\n"):
        assert _escaped(text.encode()) == json.dumps(text, ensure_ascii=False)[1:-1].encode()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*CONTROLS, '"', "\\", "中", ASTRAL, "a", "\x7f",
                                         "\u2028"]), max_size=40))
def test_escaped_is_json_dumps(text):
    assert _escaped(text.encode()) == json.dumps(text, ensure_ascii=False)[1:-1].encode()


# --- the command --------------------------------------------------------------------------------


def run_digest(*args: str) -> subprocess.CompletedProcess:
    """digest as a user runs it: its own process, stdout a pipe (bytes as written)."""
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("query", ["江苏", "江苏 -养老", "g60"])
def test_search_limit_0_writes_the_records(library, query):
    """`digest search --limit 0` in each streamed format, read back as bytes: the JSON and JSON
    lines of json.dumps, the TSV lines of the table's columns (as test_search_order.py's
    test_streamed_tsv_and_json_are_what_the_hits_give holds them for the ``Hit`` values)."""
    from digest.cli.common import cell

    with Library(library) as lib:
        records = list(lib.iter_records(query))
    assert records
    base = ["search", query, "--limit", "0", "--library", str(library)]
    out = run_digest(*base, "--json")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    out = run_digest(*base, "--format", "jsonl")
    assert out.stdout.decode() == "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                          for r in records)
    out = run_digest(*base)  # piped: TSV
    lines = out.stdout.decode().splitlines()
    assert len(lines) == len(records)
    assert lines[0].split("\t")[-1] == cell(records[0]["snippet"])


@pytest.mark.parametrize("query", ["江苏", "苏", "江苏 -养老"])
def test_search_csv_is_written_hit_by_hit_as_write_rows_writes_it(library, query):
    """CSV is written as the hits come (the header from the first record: every search record
    has the same fields), and is what ``write_rows`` makes of all the records at once."""
    import csv
    import io

    from digest.export import write_rows

    with Library(library) as lib:
        records = list(lib.iter_records(query))
    whole = io.StringIO(newline="")
    write_rows(records, "csv", whole)
    out = run_digest("search", query, "--limit", "0", "--format", "csv", "--library",
                     str(library))
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == whole.getvalue()
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode(), newline="")))
    assert [(r["title"], r["snippet"]) for r in rows] == \
        [(r["title"], r["snippet"]) for r in records]


def test_search_limit_0_without_hits(library):
    for fmt in ("json", "jsonl", "tsv", "csv"):
        out = run_digest("search", "不在任何文章里", "--limit", "0", "--format", fmt,
                         "--library", str(library))
        assert out.returncode == 1 and out.stdout == b""
        assert out.stderr.decode().strip() == "No articles match '不在任何文章里'."


@pytest.mark.parametrize("order", [
    # the issue's fields, then a converted one at once (its key follows the issue's text)
    ["source", "bulletin", "year", "issue", "date", "publisher", "match", "keywords", "seq",
     "title", "body", "regions", "page"],
    # no issue field first; a converted field first; the body followed by a converted field
    ["match", "body", "keywords", "regions", "source", "title", "section", "toc_page"],
    # only SQL-escaped fields, the body last
    ["title", "seq", "date", "body"],
])
def test_records_of_any_field_order(library, monkeypatch, order):
    """The record's plan (which text SQLite lays out, which Python adds, and where the
    constant text between them goes) holds for any order of fields, not only FIELDS'."""
    from digest.library import hitstream

    sources = {name: (name, column, convert) for name, column, convert in
               hitstream.RECORD_SOURCES}
    monkeypatch.setattr(hitstream, "RECORD_SOURCES", tuple(sources[n] for n in order))
    keys = [*order, "score", "snippet", "issue_id"]
    with Library(library) as lib:
        records = [{k: r[k] for k in keys} for r in lib.iter_records("江苏")]
        for layout, dumps in (("json", lambda r: json.dumps([r], ensure_ascii=False, indent=2)),
                              ("jsonl", lambda r: json.dumps(r, ensure_ascii=False))):
            got = streamed(lib, "江苏", Filters(), layout)
            if layout == "json":
                got = [b"[\n" + item + b"\n]" for item in got]
            assert [g.decode() for g in got] == [dumps(r) for r in records], (layout, order)
