"""`digest summary`: the per-region digest of one or more issues."""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import (
    PasswordOpt,
    boundary,
    console,
    print_json,
    stdout_is_terminal,
    warn_all,
)
from digest.errors import InputError

FORMATS = ("text", "md", "json")
MIN_CHARS = 20  # below this not even a short sentence fits; the summary would be all "…"

RegionOpt = Annotated[list[str] | None, typer.Option(
    "--region", "-r", metavar="REGION", help="Only this region (repeatable): a province's short or full name "
    "(江苏, 江苏省), or 长三角.", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                        help="text, md or json.", case_sensitive=False)]
MaxCharsOpt = Annotated[int, typer.Option("--max-chars", metavar="N",
                                                help="Longest summary, in characters.")]


@app.command()
@boundary
def summary(
    issues: Annotated[list[str], typer.Argument(help="Issue files (PDF or text).",
                                                metavar="ISSUE...")],
    region: RegionOpt = None,
    format: FormatOpt = "text",
    max_chars: MaxCharsOpt = 120,
    password: PasswordOpt = None,
) -> None:
    """Digest issues by region: per article its title, page, summary and keywords.

    Regions come in the order 上海, 江苏, 浙江, 安徽, 长三角, then the others by number of
    articles; several issues are merged under one heading per region. Summaries are whole
    sentences of the article, in order; --format md writes Markdown with the masthead on top.

    \b
    Examples:
      digest summary samples/issue-200.pdf
      digest summary samples/issue-200.pdf --region 江苏 --format md > digest.md
    """
    from digest import report
    from digest.enrich import enrich_issue
    from digest.issue import parse_issue

    fmt = _check(format, max_chars)
    only = _regions(region or [])
    parsed = []
    for path in issues:
        issue = enrich_issue(parse_issue(path, password=password), max_chars=max_chars)
        warn_all(issue.warnings, issue.source)
        parsed.append(issue)
    groups = report.group_by_region(parsed, only)
    if fmt == "json":
        print_json(report.to_json(parsed, groups))
    elif fmt == "md":
        typer.echo(report.to_markdown(parsed, groups), nl=False)
    elif stdout_is_terminal():
        console().print(_rich(parsed, groups))
    else:
        typer.echo(report.to_text(parsed, groups), nl=False)


def _check(fmt: str, max_chars: int) -> str:
    if fmt.lower() not in FORMATS:
        raise InputError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    if max_chars < MIN_CHARS:
        raise InputError(f"--max-chars {max_chars}: give at least {MIN_CHARS}")
    return fmt.lower()


def _regions(names: list[str]) -> list[str]:
    """Region labels for the names typed (江苏省 → 江苏); an unknown name is an error."""
    if not names:
        return []
    from digest import gazetteer

    gaz = gazetteer.load()
    labels = []
    for name in names:
        label = gaz.label(name)
        if label is None:
            raise InputError(f"--region {name}: not a region; use a province's short name "
                             "(上海, 广东, 内蒙古 …) or 长三角")
        labels.append(label)
    return labels


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
