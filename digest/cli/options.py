"""The options every command shares, defined once: same names, same help, same resolution.

How to use them in a command::

    from digest.cli.options import (FormatOpt, JsonOpt, OutputOpt, RegionOpt, Fmt,
                                    format_option, output_format)

    ListFormat = format_option(Fmt.table, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.jsonl)

    @app.command()
    @boundary
    def mycmd(region: RegionOpt = None, format: ListFormat = None, json: JsonOpt = False,
              output: OutputOpt = None) -> None:
        fmt = output_format(format, json, piped=Fmt.tsv)   # a Fmt; table only on a terminal
        ...   # ``region`` is already a list of labels (江苏省, 苏 → 江苏), or None

- ``RegionOpt``: ``-r/--region``, repeatable; each value is resolved by the core
  (``Gazetteer.resolve``) while the command line is read, so every command gets region labels
  (江苏, 长三角 …) and an unknown one (火星) stops with ``Error: --region 火星: …`` and exit 2.
- ``format_option(*choices)``: ``--format/-f`` as a typer ``Enum`` with the names of ``Fmt``
  (the ones that make sense for the command), so help, completion and errors list them. Its
  default (None) means: ``table`` on a terminal, the command's plain form when piped (``tsv`` for
  rows; ``text`` for documents such as a TOC or a digest). ``--json`` is short for
  ``--format json``; ``output_format`` checks the two agree and picks the default.
- ``ExampleOpt`` (--example) and ``with_example``: the sample issue shipped in the package
  (digest/data/example/) read as if its path had been given, so help examples run anywhere.
- ``OutputOpt`` (-o), ``LibraryOpt``, ``PasswordOpt``, ``LimitOpt`` (--limit/-n), ``SinceOpt``,
  ``UntilOpt``, ``BulletinOpt``, ``SectionOpt``, ``HomeOpt``: plain options with clean metavars.

Nothing heavy is imported here: the gazetteer loads only when a ``--region`` is given.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from digest.errors import DigestError, UsageError
from digest.source import OcrMode


class Fmt(str, Enum):
    """Every output format's name; a command offers the subset that makes sense for it."""

    table = "table"  # a rich table (a terminal's default)
    text = "text"  # plain indented text for documents: a TOC, a digest (piped default)
    tsv = "tsv"  # tab-separated rows, no header (piped default for rows: cut, sort)
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    xlsx = "xlsx"  # an Excel workbook (binary: needs -o)
    docx = "docx"  # a Word document (binary: needs -o)


def format_option(*choices: Fmt, default_help: str = "table on a terminal, else tsv"):
    """The ``--format/-f`` option offering ``choices`` (an Enum typer lists in help and errors)."""
    enum = Enum("Format", {c.name: c.value for c in choices}, type=str)
    return Annotated[enum | None, typer.Option(
        "--format", "-f", case_sensitive=False, show_default=False,
        metavar="[" + "|".join(c.value for c in choices) + "]",
        help=f"Output format (default: {default_help}).")]


def output_format(chosen, as_json: bool = False, *, piped: Fmt = Fmt.tsv,
                  terminal: Fmt = Fmt.table) -> Fmt:
    """The format to write: ``--format`` if given, ``--json``, else by where stdout goes."""
    if as_json and chosen is not None and chosen.value != Fmt.json.value:
        raise UsageError(f"--json and --format {chosen.value}: give one of them")
    if as_json:
        return Fmt.json
    if chosen is not None:
        return Fmt(chosen.value)
    return terminal if sys.stdout.isatty() else piped


def _regions(ctx: typer.Context, values: list[str] | None) -> list[str] | None:
    """Resolve each ``--region`` to its label while the command line is read (one error form)."""
    if not values or ctx.resilient_parsing:  # resilient: shell completion is asking
        return values
    from digest import gazetteer

    gaz = gazetteer.load()
    try:
        return list(dict.fromkeys(gaz.resolve(v, "--region") for v in values))
    except DigestError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None


def _home(ctx: typer.Context, value: str | None) -> str | None:
    """Resolve ``--home`` to a grouping's name (or ``none``: no home grouping)."""
    from digest.regions import NO_HOME

    if not value or ctx.resilient_parsing or value == NO_HOME:
        return value
    from digest import gazetteer

    gaz = gazetteer.load()
    try:
        label = gaz.resolve(value, "--home")
        if label not in gaz.groupings:
            raise UsageError(f"--home {value}: a province, not a grouping; choose one of "
                             f"{', '.join(gaz.groupings)} or {NO_HOME}")
    except DigestError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    return label


def _complete_home(incomplete: str) -> list[str]:
    from digest import gazetteer
    from digest.regions import NO_HOME

    return [g for g in [*gazetteer.load().groupings, NO_HOME] if g.startswith(incomplete)]


def _complete_region(incomplete: str) -> list[str]:
    from digest import gazetteer

    return [label for label in gazetteer.load().labels if label.startswith(incomplete)]


RegionOpt = Annotated[list[str] | None, typer.Option(
    "--region", "-r", metavar="REGION", callback=_regions, autocompletion=_complete_region,
    show_default=False,
    help="Only articles whose main region is REGION (repeatable): a province by name or "
    "abbreviation (江苏, 江苏省, 苏) or a grouping (长三角, 京津冀 …).")]
HomeOpt = Annotated[str | None, typer.Option(
    "--home", metavar="GROUPING", show_default=False, callback=_home,
    autocompletion=_complete_home,
    help="The issues' home grouping (长三角, 京津冀, 成渝 …): its provinces come first and "
    "subjects spanning them merge under its name. Default: inferred from each issue's "
    "publisher, name and articles; none: no home grouping.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
ExampleOpt = Annotated[bool, typer.Option(
    "--example", help="Also read the sample issue shipped with digest (《长三角每周要讯》2020年"
    "第200期, as text).")]


def with_example(paths: list[str] | None, example: bool, what: str = "ISSUE") -> list[str]:
    """``paths`` plus the shipped sample issue when ``--example`` is given; none is an error."""
    paths = list(paths or [])
    if example:
        from digest.data import EXAMPLE_ISSUE

        paths.append(str(EXAMPLE_ISSUE))
    if not paths:
        raise UsageError(f"give an {what} file, or --example for the sample issue shipped "
                         "with digest")
    return paths

# A str, not a Path: Path("") is ".", and an empty -o must be refused (digest.output checks it).
OutputOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="Write to FILE instead of stdout (- is stdout). A symlink's target is written, a device "
    "or FIFO in place; a regular file is replaced atomically, keeping its permissions.")]
XlsxOutputOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="The workbook --format xlsx writes (needed with it; other formats go to stdout).")]


def _max_size(ctx: typer.Context, value: str | None) -> int | None:
    if value is None or ctx.resilient_parsing:
        return None
    from digest.source import parse_size

    try:
        return parse_size(value)
    except DigestError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None


MaxSizeOpt = Annotated[str | None, typer.Option(
    "--max-size", metavar="SIZE", show_default=False, callback=_max_size,
    help="Refuse input files larger than SIZE (e.g. 50M, 1G; default 256M).")]
LibraryOpt = Annotated[str | None, typer.Option(
    "--library", metavar="PATH|URL", show_default=False,
    help="The library: a folder (an SQLite file in it) or a postgresql://USER@HOST/DB URL "
    "(pip install 'digest[postgres]'). Default: $DIGEST_LIBRARY, else $DIGEST_HOME, else the "
    "user data folder; see `digest path`.")]
PasswordOpt = Annotated[str | None, typer.Option(
    "--password", metavar="PASSWORD", show_default=False, help="Password for an encrypted PDF.")]
LimitOpt = Annotated[int, typer.Option(
    "--limit", "-n", min=0, metavar="N", help="At most N results; 0 for all.")]
SectionOpt = Annotated[str | None, typer.Option(
    "--section", metavar="TEXT", show_default=False,
    help="Only articles whose section contains TEXT, e.g. 政策.")]
BulletinOpt = Annotated[str | None, typer.Option(
    "--bulletin", metavar="TEXT", show_default=False,
    help="Only issues whose bulletin name contains TEXT.")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", metavar="DATE", show_default=False,
    help="Only issues dated on or after DATE (YYYY[-MM[-DD]]).")]
UntilOpt = Annotated[str | None, typer.Option(
    "--until", metavar="DATE", show_default=False,
    help="Only issues dated on or before DATE (YYYY[-MM[-DD]]).")]
OcrOpt = Annotated[OcrMode, typer.Option(
    "--ocr", case_sensitive=False,
    help="Read scanned pages by OCR (needs pip install 'digest[ocr]'): auto, pages without a "
    "usable text layer; always, every page; never, none.")]
OcrJobsOpt = Annotated[int, typer.Option(
    "--jobs", "-j", min=1, metavar="N", help="OCR pages in N processes.")]


class Reader(str, Enum):
    """The PDF readers (digest/pdf.py READERS, and AUTO)."""

    auto = "auto"
    pypdf = "pypdf"
    pdfium = "pdfium"


ReaderOpt = Annotated[Reader | None, typer.Option(
    "--reader", show_default=False,
    help="The PDF reader: pypdf (the default), pdfium (pip install 'digest[fast]'; several "
    "times faster, the same TOC; spacing inside lines may differ, see README) or auto (pdfium "
    "when installed, else pypdf).")]


def reader_name(reader: Reader | None) -> str | None:
    """The reader to pass on; a missing extra stops the command here, before any parsing."""
    if reader is None:
        return None
    from digest.pdf import require_reader

    return require_reader(reader.value)
