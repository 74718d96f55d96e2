"""`digest toc` and `digest export`: one issue file in, its structure out.

The bodies are in digest/cli/issue_run.py, which imports no typer, so that
digest/cli/fastpath.py can run them without it; here they are declared (``runs``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli import app, issue_run
from digest.cli.common import boundary
from digest.cli.fastpath import runs
from digest.cli.options import (
    BulletinOpt,
    ExampleOpt,
    Fmt,
    HomeOpt,
    JsonOpt,
    LibraryOpt,
    MaxSizeOpt,
    OcrJobsOpt,
    OcrOpt,
    OutputOpt,
    PasswordOpt,
    ReaderOpt,
    RegionOpt,
    SectionOpt,
    SinceOpt,
    UntilOpt,
    XlsxOutputOpt,
    format_option,
)
from digest.source import OcrMode

IssueArg = Annotated[str | None, typer.Argument(
    help="A bulletin issue: PDF, text extraction, or - for stdin.", metavar="ISSUE",
    show_default=False)]
TocFormat = format_option(Fmt.table, Fmt.text, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.xlsx,
                          default_help="table on a terminal, else text; xlsx needs -o")
ExportFormat = format_option(Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.md, Fmt.xlsx, default_help="csv; xlsx needs -o")


@app.command()
@boundary
@runs(issue_run.run_toc)
def toc(issue: IssueArg = None, example: ExampleOpt = False, format: TocFormat = None,
        json: JsonOpt = False, password: PasswordOpt = None, output: XlsxOutputOpt = None,
        max_size: MaxSizeOpt = None, ocr: OcrOpt = OcrMode.AUTO, jobs: OcrJobsOpt = 1,
        reader: ReaderOpt = None) -> None:
    """Rebuild an issue's table of contents from its body.

    Shows the masthead, then every article by section with the page it really starts on,
    the page the printed TOC claims, and whether the printed TOC is right.

    Example: digest toc --example
    """


BomOpt = Annotated[bool, typer.Option("--bom", help="Start CSV with a UTF-8 byte-order mark, so that "
                                      "Excel on a Chinese Windows machine opens it without garbled text.")]
RawOpt = Annotated[bool, typer.Option("--raw", help="Write text exactly as stored: no leading ' on "
                                      "CSV cells a spreadsheet would run as formulas (= + - @), no "
                                      "Markdown escaping. For pipelines, not for spreadsheets.")]


@app.command()
@boundary
@runs(issue_run.run_export)
def export(
    issues: Annotated[list[str] | None, typer.Argument(
        help="Issue files (PDF or text); none: the articles of the library.", metavar="[ISSUE]...",
        show_default=False)] = None,
    example: ExampleOpt = False,
    format: ExportFormat = None,
    json: JsonOpt = False,
    output: OutputOpt = None,
    bom: BomOpt = False,
    raw: RawOpt = False,
    password: PasswordOpt = None,
    max_size: MaxSizeOpt = None,
    ocr: OcrOpt = OcrMode.AUTO,
    jobs: OcrJobsOpt = 1,
    reader: ReaderOpt = None,
    query: Annotated[str | None, typer.Option("--query", metavar="QUERY", help=(
        "With no files: only library articles matching QUERY (as in `digest search`)."))] = None,
    region: RegionOpt = None, section: SectionOpt = None, bulletin: BulletinOpt = None,
    since: SinceOpt = None, until: UntilOpt = None,
    home: HomeOpt = None,
    library: LibraryOpt = None,
) -> None:
    """Export the articles of issues, one row per article, for reports and spreadsheets.

    With no files, exports the library, filtered like `digest search`.

    Fields: the issue's (source, bulletin, year, issue, date, publisher), then the article's
    (seq, section, title, page, toc_page, match, body, region, regions, keywords, summary …);
    the first row of a CSV names them all.

    \b
    Examples:
      digest export --example --format csv --bom -o issue-200.csv
      digest export --query 养老 -r 上海 --since 2020 --format md -o 养老.md

    With the office extra (pip install 'digest[office]'), --format xlsx -o issue-200.xlsx
    writes an Excel workbook.
    """
