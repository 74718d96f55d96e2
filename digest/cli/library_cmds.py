"""Library commands: path, add, list, show, remove, search. Each is flags in, one core call, output.

Rich tables when stdout is a terminal; tab-separated lines (no header) when piped, so that
``cut`` and ``sort`` work. Messages go to stderr.
"""

from __future__ import annotations

import dataclasses
import sys
from contextlib import contextmanager
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import (
    boundary,
    cell,
    console,
    err,
    print_json,
    progress,
    state,
    table,
    warn_all,
    write_records,
)
from digest.cli.office_out import write_xlsx_records, xlsx_target
from digest.cli.options import (
    BulletinOpt,
    ExampleOpt,
    Fmt,
    JsonOpt,
    LibraryOpt,
    LimitOpt,
    MaxSizeOpt,
    OcrOpt,
    PasswordOpt,
    ReaderOpt,
    RegionOpt,
    SectionOpt,
    SinceOpt,
    UntilOpt,
    XlsxOutputOpt,
    format_option,
    output_format,
    reader_name,
    with_example,
)
from digest.errors import QueryError
from digest.source import OcrMode

RowsFormat = format_option(Fmt.table, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.xlsx,
                           default_help="table on a terminal, else tsv; xlsx needs -o")
ShowFormat = format_option(Fmt.table, Fmt.tsv, Fmt.json)

# digest.library is imported inside the commands: `digest --help` need not load sqlite3.

PROGRESS_MIN_FILES = 4  # below this a bar flashes by without telling anything


def open_library(library: str | None, *, create: bool = False, write: bool = False):
    """The library to read (opened read-only if it cannot be written), or to change (``write``)."""
    from digest.library import Library, library_path

    return Library(library_path(library), create=create, write=write or create)


def filters(region=None, section=None, bulletin=None, since=None, until=None):
    """The core ``Filters`` from the shared filter options (export uses it too)."""
    from digest.library import Filters

    return Filters.parse(region=region, section=section, bulletin=bulletin, since=since,
                         until=until)


def library_rows(library: str | None, query: str | None, chosen) -> list[dict]:
    """Export rows of the library's articles that match ``query`` and the filters ``chosen``."""
    from digest.export import article_row

    with open_library(library) as lib:
        rows = [article_row(issue, article) for issue, article in lib.select(query, chosen)]
    if not rows:
        err("No articles in the library match: the export is empty.")
    return rows


@app.command("path")
@boundary
def path_cmd(library: LibraryOpt = None) -> None:
    """Print the library folder (or the PostgreSQL URL, without its password).

    Example: DIGEST_HOME=~/bulletins digest path
    """
    from digest.library import library_path
    from digest.library.paths import shown_location

    print(shown_location(library_path(library)))


ADD_WARNINGS_SHOWN = 2  # per file: adding many issues must not bury the summary line


@app.command("add")
@boundary
def add_cmd(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="PATH", show_default=False,
        help="Issue files, folders (searched for *.pdf and *.txt) or globs.")] = None,
    example: ExampleOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Parse in N processes.")] = 1,
    password: PasswordOpt = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Where a file is another copy of an issue already stored, keep the "
        "better copy: a text layer over OCR, then more articles matched to the TOC, then fewer "
        "warnings.")] = False,
    max_size: MaxSizeOpt = None,
    ocr: OcrOpt = OcrMode.AUTO,
    reader: ReaderOpt = None,
    library: LibraryOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add issues to the library; files already there, and other copies of issues already
    there, are skipped (--replace keeps the better copy).

    PATH may be a folder of a year's issues, read in parallel with --jobs N.

    Example: digest add --example
    """
    paths = with_example(paths, example, "issue PATH")
    pdf_reader = reader_name(reader)  # before the library is created
    with open_library(library, create=True) as lib, _progress_callback("Adding") as callback:
        result = lib.add_paths(paths, jobs=jobs, password=password, replace=replace,
                               max_size=max_size, ocr=ocr, reader=pdf_reader,
                               progress_callback=callback)
    report_outcomes(result, lambda o: o.path)
    for o in result.added + result.replaced:
        if len(o.warnings) > ADD_WARNINGS_SHOWN:  # a stale TOC warns once per article
            warn_all([f"{len(o.warnings)} warnings (`digest toc {o.path}` lists them), "
                      f"the first: {o.warnings[0]}"], o.path)
        else:
            warn_all(o.warnings, o.path)
    if as_json:
        print_json([_plain(dataclasses.asdict(o)) for o in result.outcomes])
    else:
        replaced = f"{len(result.replaced)} replaced; " if result.replaced else ""
        print(f"Added {_count(len(result.added), 'issue')} "
              f"({_count(sum(o.articles for o in result.added), 'article')}); {replaced}"
              f"{len(result.skipped)} skipped (already in the library); "
              f"{len(result.failed)} failed.")
    if result.failed:
        raise typer.Exit(1)


def report_outcomes(result, name) -> None:
    """Each failure as an error line; unless --quiet, a line for each noteworthy outcome (another
    copy skipped or replaced, a shared key), named by ``name(outcome)``."""
    for o in result.failed:
        err(f"Error: {o.message}")
    if not state.quiet:
        for o in result.outcomes:
            if o.noteworthy:
                err(f"{name(o)}: {o.message}")


@app.command("list")
@boundary
def list_cmd(library: LibraryOpt = None, format: RowsFormat = None,
             as_json: JsonOpt = False, output: XlsxOutputOpt = None) -> None:
    """List the issues in the library: id, bulletin, year, number, date, articles, source.

    Example: digest list --format csv
    """
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


@app.command("show")
@boundary
def show_cmd(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Id or BULLETIN:YEAR:NUMBER.")],
    seq: Annotated[int | None, typer.Argument(metavar="[SEQ]", help="Article number.")] = None,
    library: LibraryOpt = None,
    format: ShowFormat = None,
    as_json: JsonOpt = False,
) -> None:
    """Show an issue's rebuilt TOC, or article SEQ of it in full.

    Example: digest show 长三角每周要讯:2020:200 3
    """
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


@app.command("remove")
@boundary
def remove_cmd(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Id or BULLETIN:YEAR:NUMBER.")],
    library: LibraryOpt = None,
) -> None:
    """Remove an issue and its articles from the library.

    Example: digest remove 长三角每周要讯:2020:200
    """
    with open_library(library, write=True) as lib:
        info = lib.remove(issue)
    print(f"Removed issue {info.id}: {info.name} ({info.source}, "
          f"{_count(info.articles, 'article')}).")


@app.command("check")
@boundary
def check_cmd(
    repair: Annotated[bool, typer.Option("--repair", help="Rebuild the indexes and the search "
                                         "index from the stored articles, then check again.")] = False,
    library: LibraryOpt = None,
) -> None:
    """Check the library file with SQLite's integrity check; --repair rebuilds its indexes.
    (A PostgreSQL library: every article is in the search index; --repair indexes those missing.)

    Exit 0 when sound; 7 when damaged (then restore a backup, or add the issues again).

    Example: digest check --repair
    """
    from digest.errors import CorruptLibraryError

    with open_library(library, write=repair) as lib:
        result = lib.check(repair=repair)
    for line in result.repaired:
        err(f"Repair: {line}.")
    if not result.ok:
        for line in result.problems:
            err(f"Problem: {line}")
        advice = ("it is damaged beyond what --repair rebuilds" if repair else
                  "try `digest check --repair`, which rebuilds the indexes")
        raise CorruptLibraryError(f"The library {lib.db_path}: {len(result.problems)} "
                                  f"problem(s) above; {advice}. Otherwise restore a backup "
                                  "copy, or move the file away and add the issues again.")
    print(f"The library {lib.db_path} is sound ({lib.backend} integrity check: ok).")


@app.command("search", context_settings={"ignore_unknown_options": True})
@boundary
def search_cmd(
    query: Annotated[list[str], typer.Argument(metavar="QUERY", show_default=False, help=(
        'Terms that must all occur; "quoted phrase"; A OR B; -term excludes.'))],
    region: RegionOpt = None, section: SectionOpt = None, bulletin: BulletinOpt = None,
    since: SinceOpt = None, until: UntilOpt = None,
    limit: LimitOpt = 20,
    library: LibraryOpt = None,
    format: RowsFormat = None,
    as_json: JsonOpt = False,
    output: XlsxOutputOpt = None,
) -> None:
    """Search titles and bodies; any two or more characters are found wherever they occur.

    Example: digest search 生物医药 -联盟 --since 2020-06 -r 上海
    """
    fmt = output_format(format, as_json)
    _reject_unknown_options(query)
    target = xlsx_target(fmt, output, [library_db(library)])
    with open_library(library) as lib:
        found = filters(region, section, bulletin, since, until)
        if not limit and fmt != Fmt.xlsx:  # all hits, written as found: never all in memory
            if not _write_hits(lib.iter_search(" ".join(query), found), fmt):
                err(f"No articles match {' '.join(query)!r}.")
                raise typer.Exit(1)
            return
        hits = lib.search(" ".join(query), found, limit=limit + 1 if limit else None)
    if not hits:
        err(f"No articles match {' '.join(query)!r}.")
        raise typer.Exit(1)
    if limit and len(hits) > limit:
        hits = hits[:limit]
        err(f"Showing the first {limit} hits: --limit N shows more (0 for all).")
    if fmt == Fmt.xlsx:  # hits are export rows: the articles and counts workbook of export
        from digest.output import write_output
        from digest.xlsx import write_xlsx

        rows = [h.as_dict() for h in hits]
        return write_output(target, lambda out: write_xlsx(rows, out), binary=True)
    _write_hits(hits, fmt)


def _write_hits(hits, fmt: Fmt) -> int:
    """Write hits (a list, or an iterator read as it goes) in ``fmt``; how many were written.

    A terminal table and CSV (whose header needs every row's fields) hold all the hits; TSV,
    JSON lines and JSON are written hit by hit, the JSON exactly as ``print_json`` would."""
    import json

    if fmt in (Fmt.table, Fmt.csv):
        hits = list(hits)
        if hits:
            write_records([h.as_dict() for h in hits], fmt) if fmt == Fmt.csv else \
                _show_hits(hits, fmt)
        return len(hits)
    count = 0
    for hit in hits:
        if fmt == Fmt.tsv:
            _show_hits([hit], fmt)
        elif fmt == Fmt.jsonl:
            sys.stdout.write(json.dumps(hit.as_dict(), ensure_ascii=False, default=str) + "\n")
        else:
            sys.stdout.write(("[\n" if count == 0 else ",\n") + _indented_json(hit.as_dict()))
        count += 1
    if fmt == Fmt.json and count:
        sys.stdout.write("\n]\n")
    return count


# --- output helpers -----------------------------------------------------------------------------


def _indented_json(record: dict) -> str:
    """``record`` as an item of a list that ``json.dumps(..., indent=2)`` writes, without the
    pure-Python encoder that any ``indent`` switches to (10x slower): values are scalars or
    lists of scalars, each encoded directly; anything else goes to json.dumps."""
    import json

    def nested(v) -> str:
        text = json.dumps(v, ensure_ascii=False, indent=2, default=str)
        return "\n".join(("    " + ln) if i else ln for i, ln in enumerate(text.splitlines()))

    from json.encoder import encode_basestring

    lines = []
    for k, v in record.items():
        if type(v) is str:  # most values: encoded at once, in C
            value = encode_basestring(v)
        elif isinstance(v, (list, tuple)) and v:
            items = [_json_scalar(x) for x in v]
            value = nested(v) if None in items else \
                "[\n" + ",\n".join(f"      {x}" for x in items) + "\n    ]"
        else:
            value = _json_scalar(v)
            if value is None:
                value = nested(v)
        key = _JSON_KEYS.get(k) or _JSON_KEYS.setdefault(k, f"    {_json_scalar(str(k))}: ")
        lines.append(key + value)
    return "  {\n" + ",\n".join(lines) + "\n  }" if lines else "  {}"


_JSON_KEYS: dict = {}  # a record's key → its JSON and indent: the same few keys in every hit


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


@contextmanager
def _progress_callback(description: str):
    """A progress callback for ``add_paths`` drawing a bar on stderr (when it is a terminal)."""
    with progress(0, description) as bar:
        task = bar.add_task(description, total=None, visible=False)

        def callback(outcome, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_FILES)

        yield callback


def library_db(library: str | None) -> str:
    """The library's database file: an input that ``-o`` must not overwrite."""
    from digest.library import DB_NAME, library_path

    where = library_path(library)
    return where if isinstance(where, str) else str(where / DB_NAME)  # a URL is no file


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


def _show_hits(hits, fmt: Fmt) -> None:
    rows = [(h.issue_name, h.seq, h.date, h.section, h.title, h.page, h.region) for h in hits]
    if fmt != Fmt.table:
        for row, hit in zip(rows, hits):
            print("\t".join([*(cell(v) for v in row), cell(hit.snippet.marked())]))
        return
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
