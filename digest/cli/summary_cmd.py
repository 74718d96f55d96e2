"""`digest summary`: the per-region digest of one or more issues.

The body is in digest/cli/summary_run.py, which imports no typer, so that
digest/cli/fastpath.py can run it without it; here it is declared (``runs``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli import app, summary_run
from digest.cli.common import boundary
from digest.cli.fastpath import runs
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
)
from digest.source import OcrMode

SummaryFormat = format_option(Fmt.table, Fmt.text, Fmt.md, Fmt.json, Fmt.docx,
                              default_help="table on a terminal, else text; docx needs -o")
MaxCharsOpt = Annotated[int, typer.Option("--max-chars", metavar="N",
                                                help="Longest summary, in characters.")]


@app.command()
@boundary
@runs(summary_run.run_summary)
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
