"""The bodies of `digest toc` and `digest export`: arguments in, output out, no typer.

``digest.cli.issue_cmds`` declares these commands to typer, each a signature whose body is the
function here of the same name (``fastpath.runs``), and digest/cli/fastpath.py calls them
directly when it can read the command line itself. The reader, the renderers and rich (a
terminal's table or progress bar only) are imported when a run needs them.
"""

from __future__ import annotations

import os

from digest.cli.common import (
    console,
    page_callback,
    print_json,
    progress,
    table,
    warn_all,
    write_records,
)
from digest.cli.formats import Fmt, output_format, reader_name, with_example
from digest.cli.office_out import binary_target, write_xlsx_records, xlsx_target
from digest.errors import UsageError


def run_toc(issue: str | None, example: bool, format, json: bool, password: str | None,
            output: str | None, max_size: int | None, ocr, jobs: int, reader) -> None:
    """`digest toc`: one issue's masthead and rebuilt table of contents."""
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


def run_export(issues: list[str] | None, example: bool, format, json: bool, output: str | None,
               bom: bool, raw: bool, password: str | None, max_size: int | None, ocr,
               jobs: int, reader, query: str | None, region: list[str] | None,
               section: str | None, bulletin: str | None, since: str | None,
               until: str | None, home: str | None, library: str | None) -> None:
    """`digest export`: the articles of issue files, or of the library, one row each."""
    from digest.cli.library_run import filters, library_db, library_rows
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
