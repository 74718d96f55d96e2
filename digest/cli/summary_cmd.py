"""`digest summary`: the per-region digest of one or more issues."""

from __future__ import annotations

import json as json_module
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import boundary, console, page_callback, progress, warn_all
from digest.cli.office_out import binary_target
from digest.cli.options import (
    ExampleOpt,
    Fmt,
    HomeOpt,
    JsonOpt,
    MaxSizeOpt,
    OcrJobsOpt,
    OcrOpt,
    OutputOpt,
    PasswordOpt,
    ReaderOpt,
    RegionOpt,
    format_option,
    output_format,
    reader_name,
    with_example,
)
from digest.errors import UsageError
from digest.source import OcrMode

MIN_CHARS = 20  # below this not even a short sentence fits; the summary would be all "…"

SummaryFormat = format_option(Fmt.table, Fmt.text, Fmt.md, Fmt.json, Fmt.docx,
                              default_help="table on a terminal, else text; docx needs -o")
MaxCharsOpt = Annotated[int, typer.Option("--max-chars", metavar="N",
                                                help="Longest summary, in characters.")]


@app.command()
@boundary
def summary(
    issues: Annotated[list[str] | None, typer.Argument(help="Issue files (PDF or text).",
                                                       metavar="ISSUE", show_default=False)] = None,
    example: ExampleOpt = False,
    region: RegionOpt = None,
    format: SummaryFormat = None,
    json: JsonOpt = False,
    home: HomeOpt = None,
    max_chars: MaxCharsOpt = 120,
    password: PasswordOpt = None,
    output: OutputOpt = None,
    max_size: MaxSizeOpt = None,
    ocr: OcrOpt = OcrMode.AUTO,
    jobs: OcrJobsOpt = 1,
    reader: ReaderOpt = None,
) -> None:
    """Digest issues by region: per article its title, page, summary and keywords.

    Regions come in the order of the home grouping (for a 长三角 bulletin: 上海, 江苏, 浙江,
    安徽, then 长三角 for subjects spanning them), then the others by number of articles;
    several issues are merged under one heading per region. The home grouping is inferred
    from the publisher, the bulletin's name and its articles, or set with --home. Summaries are
    whole sentences of the article, in order; --format md writes Markdown with the masthead
    on top; --format docx -o FILE a Word document (Heading 1 per region, Heading 2 per
    article, 宋体/黑体, page numbers) for a weekly report.

    \b
    Examples:
      digest summary --example
      digest summary --example --region 江苏 --format md > digest.md

    With the office extra (pip install 'digest[office]'), --format docx -o digest.docx
    writes a Word document.
    """
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
