"""The body of `digest summary`: arguments in, output out, no typer.

``digest.cli.summary_cmd`` declares the command to typer, a signature whose body is
``run_summary`` (``fastpath.runs``), and digest/cli/fastpath.py calls it directly when it can
read the command line itself. rich only draws a terminal's digest (and a progress bar).
"""

from __future__ import annotations

import json as json_module

from digest.cli.common import console, page_callback, progress, warn_all
from digest.cli.formats import Fmt, output_format, reader_name, with_example
from digest.cli.office_out import binary_target
from digest.errors import UsageError

MIN_CHARS = 20  # below this not even a short sentence fits; the summary would be all "…"


def run_summary(issues: list[str] | None, example: bool, region: list[str] | None, format,
                json: bool, home: str | None, max_chars: int, password: str | None,
                output: str | None, max_size: int | None, ocr, jobs: int, reader) -> None:
    """`digest summary`: the per-region digest of issue files."""
    from digest import report
    from digest.enrich import read_issue
    from digest.output import OutputKind, resolve_output, write_output

    fmt = output_format(format, json, piped=Fmt.text)
    issues = with_example(issues, example)
    if fmt == Fmt.docx:
        from digest.docx_report import load_docx

        load_docx()  # a missing extra stops the command before any parsing
        target = binary_target(output, "docx", issues)
    else:
        target = resolve_output(output, issues)
    if max_chars < MIN_CHARS:
        raise UsageError(f"--max-chars {max_chars}: give at least {MIN_CHARS}")
    parsed = []
    with progress(len(issues), "OCR") as bar:
        for path in issues:
            issue = read_issue(path, password=password, max_size=max_size, max_chars=max_chars,
                               home=home, ocr=ocr, jobs=jobs, progress=page_callback(bar),
                               reader=reader_name(reader))
            warn_all(issue.warnings, issue.source)
            parsed.append(issue)
    groups = report.group_by_region(parsed, region or ())
    if fmt == Fmt.docx:
        from digest.docx_report import write_docx

        write_output(target, lambda out: write_docx(parsed, groups, out), binary=True)
    elif fmt == Fmt.table and target.kind is OutputKind.STDOUT:
        console().print(_rich(parsed, groups))
    else:  # a table written to a file is the plain text
        write_output(target, lambda out: out.write(_document(report, fmt, parsed, groups)))


def _document(report, fmt: Fmt, issues, groups) -> str:
    """The digest as text for a file (-o): JSON, Markdown, else plain text."""
    if fmt == Fmt.json:
        return json_module.dumps(report.to_json(issues, groups), ensure_ascii=False, indent=2) + "\n"
    if fmt == Fmt.md:
        return report.to_markdown(issues, groups)
    return report.to_text(issues, groups)


def _rich(issues, groups):
    """The digest as rich renderables: bold region headings, dim page and keywords."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    from digest import report

    several = len(issues) > 1
    parts = [Text(f"{report.masthead_label(i.masthead, i.source)}  {report.issue_line(i)}",
                  style="bold") for i in issues]
    for group in groups:
        parts.append(Text(f"\n{group.region} ({len(group.entries)})", style="bold cyan"))
        for entry in group.entries:
            a = entry.article
            parts.append(Text.assemble(("  " + a.title, "bold"),
                                       (f"  [{report.where(entry, several)}]", "dim")))
            # Padding, not leading spaces, so that wrapped lines keep the indent.
            parts.append(Padding(Text(a.summary or ""), (0, 0, 0, 4)))
            if a.keywords:
                parts.append(Padding(Text("关键词：" + report.KEYWORD_JOINER.join(a.keywords),
                                          style="dim"), (0, 0, 0, 4)))
    return Group(*parts)
