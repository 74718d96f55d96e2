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

Nothing heavy is imported here: the gazetteer loads only when a ``--region`` is given. What
these options convert to and their callbacks live in ``digest.cli.formats``, which command
bodies import without typer (digest/cli/fastpath.py runs them without it).
"""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.formats import (  # noqa: F401 - importable from here, as before
    Fmt,
    Reader,
    format_enum,
    home,
    max_size,
    output_format,
    reader_name,
    regions,
    with_example,
)
from digest.source import OcrMode


def format_option(*choices: Fmt, default_help: str = "table on a terminal, else tsv"):
    """The ``--format/-f`` option offering ``choices`` (an Enum typer lists in help and errors)."""
    return Annotated[format_enum(*choices) | None, typer.Option(
        "--format", "-f", case_sensitive=False, show_default=False,
        metavar="[" + "|".join(c.value for c in choices) + "]",
        help=f"Output format (default: {default_help}).")]


def _complete_home(incomplete: str) -> list[str]:
    from digest import gazetteer
    from digest.regions import NO_HOME

    return [g for g in [*gazetteer.load().groupings, NO_HOME] if g.startswith(incomplete)]


def _complete_region(incomplete: str) -> list[str]:
    from digest import gazetteer

    return [label for label in gazetteer.load().labels if label.startswith(incomplete)]


RegionOpt = Annotated[list[str] | None, typer.Option(
    "--region", "-r", metavar="REGION", callback=regions, autocompletion=_complete_region,
    show_default=False,
    help="Only articles whose main region is REGION (repeatable): a province by name or "
    "abbreviation (江苏, 江苏省, 苏) or a grouping (长三角, 京津冀 …).")]
HomeOpt = Annotated[str | None, typer.Option(
    "--home", metavar="GROUPING", show_default=False, callback=home,
    autocompletion=_complete_home,
    help="The issues' home grouping (长三角, 京津冀, 成渝 …): its provinces come first and "
    "subjects spanning them merge under its name. Default: inferred from each issue's "
    "publisher, name and articles; none: no home grouping.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
ExampleOpt = Annotated[bool, typer.Option(
    "--example", help="Also read the sample issue shipped with digest (《长三角每周要讯》2020年"
    "第200期, as text).")]


# A str, not a Path: Path("") is ".", and an empty -o must be refused (digest.output checks it).
OutputOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="Write to FILE instead of stdout (- is stdout). A symlink's target is written, a device "
    "or FIFO in place; a regular file is replaced atomically, keeping its permissions.")]
XlsxOutputOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="The workbook --format xlsx writes (needed with it; other formats go to stdout).")]


MaxSizeOpt = Annotated[str | None, typer.Option(
    "--max-size", metavar="SIZE", show_default=False, callback=max_size,
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


ReaderOpt = Annotated[Reader | None, typer.Option(
    "--reader", show_default=False,
    help="The PDF reader: pypdf (the default), pdfium (pip install 'digest[fast]'; several "
    "times faster, the same TOC; spacing inside lines may differ, see README) or auto (pdfium "
    "when installed, else pypdf).")]
