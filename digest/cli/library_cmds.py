"""Library commands: path, add, list, show, remove, check, search. Each is flags in, one core
call, output.

The bodies of list, show and search are in digest/cli/library_run.py, which imports no typer,
so that digest/cli/fastpath.py can run them without it; here they are declared (``runs``).
Rich tables when stdout is a terminal; tab-separated lines (no header) when piped, so that
``cut`` and ``sort`` work. Messages go to stderr.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from typing import Annotated

import typer

from digest.cli import app, library_run
from digest.cli.common import (
    boundary,
    err,
    print_json,
    progress,
    state,
    warn_all,
)
from digest.cli.fastpath import runs
from digest.cli.library_run import (  # noqa: F401 - importable from here, as before
    _count,
    _plain,
    filters,
    library_db,
    open_library,
)
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
    reader_name,
    with_example,
)
from digest.source import OcrMode

RowsFormat = format_option(Fmt.table, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.xlsx,
                           default_help="table on a terminal, else tsv; xlsx needs -o")
ShowFormat = format_option(Fmt.table, Fmt.tsv, Fmt.json)

# digest.library is imported inside the commands: `digest --help` need not load sqlite3.
# open_library, filters, library_db, _plain and _count are importable from here, as before.

PROGRESS_MIN_FILES = 4  # below this a bar flashes by without telling anything


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
@runs(library_run.run_list)
def list_cmd(library: LibraryOpt = None, format: RowsFormat = None,
             as_json: JsonOpt = False, output: XlsxOutputOpt = None) -> None:
    """List the issues in the library: id, bulletin, year, number, date, articles, source.

    Example: digest list --format csv
    """


@app.command("show")
@boundary
@runs(library_run.run_show)
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
@runs(library_run.run_search)
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


# --- output helpers -----------------------------------------------------------------------------


@contextmanager
def _progress_callback(description: str):
    """A progress callback for ``add_paths`` drawing a bar on stderr (when it is a terminal)."""
    with progress(0, description) as bar:
        task = bar.add_task(description, total=None, visible=False)

        def callback(outcome, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_FILES)

        yield callback


