"""`digest toc` and `digest export`: one issue file in, its structure out."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import (
    boundary,
    console,
    page_callback,
    print_json,
    progress,
    table,
    warn_all,
    write_records,
)
from digest.cli.library_cmds import filters, library_db, library_rows
from digest.cli.office_out import binary_target, write_xlsx_records, xlsx_target
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
    output_format,
    reader_name,
    with_example,
)
from digest.errors import UsageError
from digest.source import OcrMode

IssueArg = Annotated[str | None, typer.Argument(
    help="A bulletin issue: PDF, text extraction, or - for stdin.", metavar="ISSUE",
    show_default=False)]
TocFormat = format_option(Fmt.table, Fmt.text, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.xlsx,
                          default_help="table on a terminal, else text; xlsx needs -o")
ExportFormat = format_option(Fmt.csv, Fmt.json, Fmt.jsonl, Fmt.md, Fmt.xlsx, default_help="csv; xlsx needs -o")


@app.command()
@boundary
def toc(issue: IssueArg = None, example: ExampleOpt = False, format: TocFormat = None,
        json: JsonOpt = False, password: PasswordOpt = None, output: XlsxOutputOpt = None,
        max_size: MaxSizeOpt = None, ocr: OcrOpt = OcrMode.AUTO, jobs: OcrJobsOpt = 1,
        reader: ReaderOpt = None) -> None:
    """Rebuild an issue's table of contents from its body.

    Shows the masthead, then every article by section with the page it really starts on,
    the page the printed TOC claims, and whether the printed TOC is right.

    Example: digest toc --example
    """
    from digest.cli import render
    from digest.issue import parse_issue

    fmt = output_format(format, json, piped=Fmt.text)
    paths = with_example([issue] if issue else [], example)
    if len(paths) > 1:
        raise UsageError("give one ISSUE file or --example, not both")
    target = xlsx_target(fmt, output, paths)
    with progress(1, "OCR") as bar:
        parsed = parse_issue(paths[0], password=password, max_size=max_size, ocr=ocr, jobs=jobs,
                             progress=page_callback(bar), reader=reader_name(reader))
    if fmt == Fmt.json:
        return print_json(render.toc_json(parsed))
    if fmt == Fmt.xlsx:
        write_xlsx_records(target, render.toc_json(parsed)["articles"], sheet="toc")
    elif fmt == Fmt.table:
        console().print(render.toc_table(parsed))
    elif fmt == Fmt.text:
        print(render.toc_plain(parsed))
    elif fmt == Fmt.tsv:
        table((), [tuple(a.values()) for a in render.toc_json(parsed)["articles"]], fmt)
    else:
        write_records(render.toc_json(parsed)["articles"], fmt)
    warn_all(parsed.warnings, parsed.source)


BomOpt = Annotated[bool, typer.Option("--bom", help="Start CSV with a UTF-8 byte-order mark, so that "
                                      "Excel on a Chinese Windows machine opens it without garbled text.")]
RawOpt = Annotated[bool, typer.Option("--raw", help="Write text exactly as stored: no leading ' on "
                                      "CSV cells a spreadsheet would run as formulas (= + - @), no "
                                      "Markdown escaping. For pipelines, not for spreadsheets.")]


@app.command()
@boundary
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
    from digest.export import issue_rows, write_rows
    from digest.output import resolve_output, write_output

    fmt = output_format(format, json, piped=Fmt.csv, terminal=Fmt.csv).value
    issues = with_example(issues, example) if example else issues
    if home and not issues:
        raise UsageError("--home applies to issue files read now; the library's articles keep "
                         "the regions they were added with")
    if bom and fmt != "csv":
        raise UsageError(f"--bom is for CSV (for Excel); --format {fmt} is written without one: "
                         "drop --bom")
    if fmt == Fmt.xlsx:
        from digest.xlsx import load_openpyxl

        load_openpyxl()  # a missing extra stops the command before any parsing
        target = binary_target(output, "xlsx", issues or [library_db(library)])
    else:
        target = resolve_output(output, issues or [library_db(library)])
    if not issues:
        rows = library_rows(library, query, filters(region, section, bulletin, since, until))
    elif query or section or bulletin or since or until:
        raise UsageError("--query and the filters other than --region select articles of the "
                         "library: give them without issue files, e.g. digest export --query 养老")
    else:
        from digest.enrich import read_issue

        rows = []
        with progress(len(issues), "Reading issues") as bar:
            task = bar.add_task("Reading issues", total=len(issues))
            for path in issues:
                parsed = read_issue(path, password=password, max_size=max_size, home=home, ocr=ocr,
                                    jobs=jobs, progress=page_callback(bar, f"OCR {os.path.basename(path)}"),
                                    reader=reader_name(reader))
                warn_all(parsed.warnings, parsed.source)
                rows += [r for r in issue_rows(parsed) if not region or r["region"] in region]
                bar.advance(task)
    if fmt == Fmt.xlsx:
        from digest.xlsx import write_xlsx

        write_output(target, lambda out: write_xlsx(rows, out), binary=True)
    else:
        write_output(target, lambda out: write_rows(rows, fmt, out, bom=bom, raw=raw))
