"""The bodies of `digest list`, `show` and `search`: arguments in, output out, no typer.

``digest.cli.library_cmds`` declares these commands to typer, each a signature whose body is
the function here of the same name (``fastpath.runs``), and digest/cli/fastpath.py calls them
directly when it can read the command line itself. Rich tables when stdout is a terminal;
tab-separated lines (no header) when piped, so that ``cut`` and ``sort`` work, without importing
rich. Messages go to stderr.
"""

from __future__ import annotations

import dataclasses
import sys

from digest.cli.common import cell, console, err, print_json, table, warn_all, write_records
from digest.cli.formats import Fmt, output_format
from digest.cli.office_out import write_xlsx_records, xlsx_target
from digest.errors import QueryError

# digest.library is imported inside the functions: `digest --help` need not load sqlite3.

NO_HITS = 1  # exit code of a search without hits (the documented 1 of digest/errors.py)


def open_library(library: str | None, *, create: bool = False, write: bool = False):
    """The library to read (opened read-only if it cannot be written), or to change (``write``)."""
    from digest.cli.common import UpgradeNotice
    from digest.library import Library, library_path

    with UpgradeNotice() as upgrading:  # an older library is upgraded first, visibly
        return Library(library_path(library), create=create, write=write or create,
                       upgrading=upgrading)


def filters(region=None, section=None, bulletin=None, since=None, until=None):
    """The core ``Filters`` from the shared filter options (export uses it too)."""
    from digest.library import Filters

    return Filters.parse(region=region, section=section, bulletin=bulletin, since=since,
                         until=until)


def library_db(library: str | None) -> str:
    """The library's database file: an input that ``-o`` must not overwrite."""
    from digest.library import DB_NAME, library_path

    where = library_path(library)
    return where if isinstance(where, str) else str(where / DB_NAME)  # a URL is no file


def library_rows(library: str | None, query: str | None, chosen) -> list[dict]:
    """Export rows of the library's articles that match ``query`` and the filters ``chosen``."""
    from digest.export import article_row

    with open_library(library) as lib:
        rows = [article_row(issue, article) for issue, article in lib.select(query, chosen)]
    if not rows:
        err("No articles in the library match: the export is empty.")
    return rows


def run_list(library: str | None, format, as_json: bool, output: str | None) -> None:
    """`digest list`: the library's issues."""
    fmt = output_format(format, as_json)
    target = xlsx_target(fmt, output, [library_db(library)])
    with open_library(library) as lib:
        infos = lib.issues()
    if not infos:
        err(f"The library {lib.folder} has no issues: add some with `digest add FILE...`.")
    if fmt == Fmt.xlsx:
        return write_xlsx_records(target, [_plain(dataclasses.asdict(i) | {"name": i.name})
                                           for i in infos], sheet="issues")
    if fmt in (Fmt.json, Fmt.jsonl, Fmt.csv):
        return write_records([_plain(dataclasses.asdict(i) | {"name": i.name}) for i in infos],
                              fmt)
    rows = [(i.id, i.bulletin, i.year, i.number, i.date, i.articles, i.source) for i in infos]
    table(("id", "bulletin", "year", "number", "date", "articles", "source"), rows, fmt)


def run_show(issue: str, seq: int | None, library: str | None, format, as_json: bool) -> None:
    """`digest show`: an issue's rebuilt TOC, or one article in full."""
    fmt = output_format(format, as_json)
    with open_library(library) as lib:
        if seq is not None:
            return _show_article(*lib.article(issue, seq), fmt == Fmt.json)
        info, parsed = lib.find(issue), lib.issue(issue)
    warn_all(info.warnings, info.source)
    if fmt == Fmt.json:
        return print_json(_plain(dataclasses.asdict(info) | {"name": info.name,
                                                             "toc": parsed.toc,
                                                             "articles": _toc_rows(parsed)}))
    print(_heading(info))
    rows = [(a["seq"], a["section"], a["title"], a["page"], a["toc_page"], a["status"])
            for a in _toc_rows(parsed)]
    table(("seq", "section", "title", "page", "toc page", "status"), rows, fmt)


def run_search(query: list[str], region: list[str] | None, section: str | None,
               bulletin: str | None, since: str | None, until: str | None, limit: int,
               library: str | None, format, as_json: bool, output: str | None) -> None:
    """`digest search`: hits of ``query`` in the library, at most ``limit`` (0: all)."""
    fmt = output_format(format, as_json)
    _reject_unknown_options(query)
    target = xlsx_target(fmt, output, [library_db(library)])
    text = " ".join(query)
    with open_library(library) as lib:
        found = filters(region, section, bulletin, since, until)
        if not limit and fmt in _STREAMED:  # all hits, written as the library reads them
            stream = lib.hit_stream(text, found, fmt.value)
            if stream is not None:
                return _written_or_no_hits(_write_stream(stream, fmt), text)
        # A table styles each snippet's matches (``Hit``); the other formats write records.
        search = lib.iter_search if fmt == Fmt.table else lib.iter_records
        hits = search(text, found, limit + 1 if limit else None)
        if not limit and fmt != Fmt.xlsx:  # all hits, written as found: never all in memory
            return _written_or_no_hits(_write_hits(hits, fmt), text)
        hits = list(hits)
    _written_or_no_hits(len(hits), text)
    if limit and len(hits) > limit:
        hits = hits[:limit]
        err(f"Showing the first {limit} hits: --limit N shows more (0 for all).")
    if fmt == Fmt.xlsx:  # hits are export rows: the articles and counts workbook of export
        from digest.output import write_output
        from digest.xlsx import write_xlsx

        return write_output(target, lambda out: write_xlsx(hits, out), binary=True)
    _write_hits(hits, fmt)


def _written_or_no_hits(count: int, query: str) -> None:
    """Nothing to do where hits were written; else say none matched and exit like grep."""
    if not count:
        err(f"No articles match {query!r}.")
        raise SystemExit(NO_HITS)


_STREAMED = (Fmt.json, Fmt.jsonl, Fmt.tsv)  # formats ``Library.hit_stream`` writes
_BATCH = 16  # records joined into one write: fewer writes; more makes each join a fresh mapping
# of memory (glibc maps allocations over 128 KiB anew), which cost more system time than it saved


def _write_stream(stream, fmt: Fmt) -> int:
    """Write what ``Library.hit_stream`` gives (UTF-8 records, or TSV cells) exactly as
    ``_write_hits`` writes the same hits' records; how many were written."""
    count = 0
    if fmt == Fmt.tsv:
        write = sys.stdout.write
        for cells in stream:
            write(_tsv_join(cells))
            count += 1
        return count
    sys.stdout.flush()  # the bytes go under the text layer: what it holds goes first
    write = sys.stdout.buffer.write
    for batch in _batches(stream):
        if fmt == Fmt.json:  # the list json.dumps(records, indent=2) writes
            write((b",\n" if count else b"[\n") + b",\n".join(batch))
        else:
            write(b"\n".join(batch) + b"\n")
        count += len(batch)
    if fmt == Fmt.json and count:
        write(b"\n]\n")
    return count


def _batches(items):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_hits(hits, fmt: Fmt) -> int:
    """Write hits in ``fmt`` (a list, or an iterator read as it goes); how many were written.
    ``Hit`` values for a table, their records (``Hit.as_dict``) for the other formats.

    A terminal table (whose columns are sized to every row) holds all the hits; CSV (every
    record has the same fields: the header is the first's), TSV, JSON lines and JSON are written
    hit by hit, the JSON exactly as ``print_json`` would."""
    import json

    if fmt == Fmt.table:
        hits = list(hits)
        if hits:
            _show_hits(hits)
        return len(hits)
    if fmt == Fmt.csv:
        from digest.export import write_csv_stream

        return write_csv_stream(hits, sys.stdout)
    count, write = 0, sys.stdout.write
    for record in hits:
        if fmt == Fmt.tsv:
            write(_tsv_line(record))
        elif fmt == Fmt.jsonl:
            write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            write(("[\n" if count == 0 else ",\n") + _indented_json(record))
        count += 1
    if fmt == Fmt.json and count:
        write("\n]\n")
    return count


# --- output helpers -----------------------------------------------------------------------------


def _indented_json(record: dict) -> str:
    """``record`` as an item of a list that ``json.dumps(..., indent=2)`` writes, without the
    pure-Python encoder that any ``indent`` switches to (10x slower): the runs of scalar values
    go to the C encoder, whose item separator is the newline and indent of this level; a list,
    tuple or dict, whose items need a deeper indent, is written on its own (``_json_list``)."""
    if not record:
        return "  {}"
    encode = _ENCODER[0] if _ENCODER else _encoder()
    items = list(record.items())
    nested = [n for n, (_, v) in enumerate(items) if type(v) in _CONTAINERS and v]
    parts, start = [], 0
    for n in nested:
        if n > start:
            parts.append(encode(dict(items[start:n]))[1:-1])
        key, value = items[n]
        parts.append(f"{_json_scalar(str(key))}: {_json_list(value)}")
        start = n + 1
    if start < len(items):
        parts.append(encode(dict(items[start:]))[1:-1])
    return "  {\n    " + ",\n    ".join(parts) + "\n  }"


_ENCODER: list = []  # the C encoder of ``_indented_json``'s runs of scalars, made once
_CONTAINERS = frozenset((list, tuple, dict))


def _encoder():
    import json
    from json.encoder import c_make_encoder, encode_basestring

    if c_make_encoder is None:  # no C accelerator: json's own (the same text)
        _ENCODER.append(json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "),
                                         default=str).encode)
    else:  # what JSONEncoder.encode builds at every call: once
        c_encode = c_make_encoder(None, str, encode_basestring, None, ": ", ",\n    ", False,
                                  False, True)
        _ENCODER.append(lambda value: "".join(c_encode(value, 0)))
    return _ENCODER[0]


def _json_list(v) -> str:
    """A list or tuple of scalars (else anything: ``_nested``) as a value of the record."""
    items = [_json_scalar(x) for x in v] if type(v) is not dict else [None]
    if not items or None in items:
        return "[]" if not items else _nested(v)
    return "[\n" + ",\n".join(f"      {x}" for x in items) + "\n    ]"


def _nested(v) -> str:
    """``v`` as json.dumps(..., indent=2) writes it as a value of a list's record."""
    import json

    text = json.dumps(v, ensure_ascii=False, indent=2, default=str)
    # split at the line breaks json.dumps writes, not splitlines(): that also breaks at U+2028
    # and U+0085, which JSON leaves inside strings
    return "\n    ".join(text.split("\n"))


def _json_scalar(v) -> str | None:
    """JSON for a str, int, finite float, bool, None or empty list as json.dumps writes it
    (ensure_ascii=False); None for anything else."""
    from json.encoder import encode_basestring

    t = type(v)
    if t is str:
        return encode_basestring(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return int.__repr__(v)
    if t is float and v == v and v not in (float("inf"), float("-inf")):
        return float.__repr__(v)
    if t in (list, tuple) and not v:
        return "[]"
    return None


def _plain(value):
    """JSON-ready: dates as ISO strings, tuples as lists, enums as values, dataclasses as dicts."""
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _heading(info) -> str:
    number = f"{info.year} 年第 {info.number} 期" if info.year and info.number else None
    parts = [info.bulletin, number, info.date, info.publisher, info.source]
    return " · ".join(str(p) for p in parts if p)


def _toc_rows(issue) -> list[dict]:
    keep = ("seq", "section", "title", "page", "toc_page", "match", "status", "region")
    return [{k: _plain(getattr(a, k)) for k in keep} for a in issue.articles]


def _show_article(issue, article, as_json: bool) -> None:
    from digest.export import article_row

    if as_json:
        return print_json(article_row(issue, article) | {"status": article.status.value})
    meta = [article.section, f"第 {article.page} 页" if article.page else None, article.region,
            "、".join(article.keywords)]
    print(article.title)
    print(" · ".join(m for m in meta if m))
    print()
    print("\n".join(article.body))


def _tsv_line(r: dict) -> str:
    """A hit's record as a TSV line: the columns of the table (``_show_hits``)."""
    from digest.library.rows import issue_name  # loaded with the library that gave the hits

    name = issue_name(r["bulletin"], r["year"], r["issue"], r["issue_id"])
    return _tsv_join((name, r["seq"], r["date"], r["section"], r["title"], r["page"], r["region"],
                      r["snippet"]))


def _tsv_join(cells) -> str:
    return "\t".join([cell(v) for v in cells]) + "\n"


def _show_hits(hits) -> None:
    rows = [(h.issue_name, h.seq, h.date, h.section, h.title, h.page, h.region) for h in hits]
    from rich.table import Table
    from rich.text import Text

    table = Table("issue", "seq", "date", "section", "title", "page", "region", "snippet",
                  box=None, header_style="bold")
    for row, hit in zip(rows, hits):
        snippet = Text(hit.snippet.text)
        for start, end in hit.snippet.marks:
            snippet.stylize("bold red", start, end)
        table.add_row(*(Text(cell(v)) for v in row), snippet)
    console().print(table)


def _reject_unknown_options(words: list[str]) -> None:
    """``-term`` excludes a term, but ``--word`` is a mistyped option, not a query."""
    for word in words:
        if word.startswith("--") and word[2:3].isascii() and word[2:3].isalpha():
            raise QueryError(f"No such option: {word.split('=')[0]}. To exclude a term, write it "
                             "after a single '-', e.g. -养老.")
