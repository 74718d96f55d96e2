"""``digest trends``: how often terms come up per period and region, or which subjects rise."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import boundary, console, err, print_json, warn_all
from digest.cli.library_cmds import filters, open_library
from digest.cli.office_out import write_xlsx_records, xlsx_target
from digest.cli.options import (
    BulletinOpt,
    Fmt,
    JsonOpt,
    LibraryOpt,
    RegionOpt,
    SectionOpt,
    SinceOpt,
    UntilOpt,
    XlsxOutputOpt,
    format_option,
    output_format,
)

BAR_WIDTH = 12  # characters of the longest bar: two terms and a region fit in 80 columns
BAR = "▇"


class By(str, Enum):
    month = "month"
    quarter = "quarter"
    year = "year"
    region = "region"


TrendsFormat = format_option(Fmt.table, Fmt.tsv, Fmt.csv, Fmt.json, Fmt.xlsx,
                             default_help="table on a terminal, else tsv; xlsx needs -o")


@app.command("trends")
@boundary
def trends_cmd(
    terms: Annotated[list[str] | None, typer.Argument(
        metavar="TERM...", show_default=False,
        help='Terms to count, each in the search language ("phrase", A OR B, -term).')] = None,
    by: Annotated[list[By] | None, typer.Option(
        "--by", metavar="[month|quarter|year|region]", show_default=False, help="month, quarter or year (default: by the span of the data); add "
        "--by region to split by region.")] = None,
    share: Annotated[bool, typer.Option("--share", help="Share of the period's articles "
                                        "instead of counts.")] = False,
    rising: Annotated[bool, typer.Option("--rising", help="Rank stored keywords by how much "
                                         "their share grew in the latest period.")] = False,
    min_count: Annotated[int, typer.Option("--min-count", min=1, metavar="N", help=(
        "With --rising: articles a keyword needs in the latest period."))] = 3,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N",
                                       help="With --rising: at most N keywords.")] = 20,
    region: RegionOpt = None, section: SectionOpt = None, bulletin: BulletinOpt = None,
    since: SinceOpt = None, until: UntilOpt = None,
    format: TrendsFormat = None,
    as_json: JsonOpt = False,
    output: XlsxOutputOpt = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", metavar="FILE", help="Also draw a chart to FILE.png or FILE.svg "
        "(pip install 'digest[plot]').")] = None,
    library: LibraryOpt = None,
) -> None:
    """Count the articles matching each term per month, quarter or year, and per region.

    Periods without matches show 0; periods without any issue are gaps, not zeros. Each row
    says how many issues and articles the period holds.

    Example: digest trends 生物医药 数字化转型 --by quarter --by region
    """
    from digest.trends import Period

    fmt = output_format(format, as_json)
    target = xlsx_target(fmt, output)
    period = next((Period(b.value) for b in by or () if b is not By.region), None)
    chosen = filters(region=region, section=section, bulletin=bulletin, since=since, until=until)
    if rising:
        with open_library(library) as lib:
            latest, found = lib.rising(by=period, filters=chosen, min_support=min_count,
                                       limit=limit)
        return _show_rising(latest, found, fmt, target)
    if not terms:
        raise typer.BadParameter("give at least one term, or --rising", param_hint="TERM")
    with open_library(library) as lib:
        trends = lib.trends(terms, by=period, by_region=By.region in (by or ()), filters=chosen)
    if trends.undated:
        err(f"{trends.undated} issue(s) without a date are not counted.")
    if not trends.periods:
        err("No dated issues in the library match the filters: nothing to count.")
        raise typer.Exit(1)
    if plot is not None:
        from digest.plot import plot_trends

        warn_all(plot_trends(trends, plot, share=share))
    _show_trends(trends, fmt, share, target)


def _show_trends(trends, fmt: Fmt, share: bool, target=None) -> None:
    from digest.trends import ROW_FIELDS, rows

    data = rows(trends)
    if fmt is Fmt.xlsx:
        return write_xlsx_records(target, data, sheet="trends")
    if fmt is Fmt.json:
        return print_json(data)
    if fmt is not Fmt.table:
        return _delimited(ROW_FIELDS, [[r[f] for f in ROW_FIELDS] for r in data], fmt)
    _bar_table(trends, share)


def _delimited(header, rows, fmt: Fmt) -> None:
    import csv
    import sys

    writer = csv.writer(sys.stdout, delimiter="\t" if fmt is Fmt.tsv else ",",
                        lineterminator="\n")
    if fmt is Fmt.csv:  # TSV is for cut and sort: rows only, as every command prints it
        writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])


def _bar_table(trends, share: bool) -> None:
    """A row per period (and region), a bar per term, scaled to that term's largest value."""
    from rich.table import Table
    from rich.text import Text

    split = trends.by_region
    table = Table("period", *(["region"] if split else []), "issues", *trends.terms,
                  box=None, header_style="bold")
    top = {t: max((_value(c, share) or 0 for c in trends.counts if c.term == t), default=0)
           for t in trends.terms}
    for p in trends.periods:
        for region in trends.regions:
            cells = [_cell(trends.count(t, p.label, region), share, top[t]) for t in trends.terms]
            table.add_row(Text(p.label), *([Text(region or "—")] if split else []),
                          Text(str(p.issues)), *cells)
    console().print(table)


def _value(count, share: bool):
    return count.share if share else count.count


def _cell(count, share: bool, top: float):
    from rich.text import Text

    value = _value(count, share)
    if value is None:
        return Text("gap (no issue)", style="dim")
    width = round(BAR_WIDTH * value / top) if top else 0
    label = f"{100 * value:.1f}%" if share else str(value)
    return Text.assemble((BAR * width, "cyan"), " " if width else "", label)


def _show_rising(latest, found, fmt: Fmt, target=None) -> None:
    header = ("keyword", "growth_points", "latest", "latest_articles", "before",
              "before_articles", "example")
    rows = [(r.keyword, round(r.growth, 1), r.latest, r.latest_articles, r.before,
             r.before_articles, r.example) for r in found]
    if not found:
        err("No keyword rose in the latest period with enough articles (see --min-count).")
    if fmt is Fmt.xlsx:
        return write_xlsx_records(target, [dict(zip(header, r)) for r in rows], sheet="rising")
    if fmt is Fmt.json:
        return print_json({"latest": latest, "rising": [dict(zip(header, r)) for r in rows]})
    if fmt is not Fmt.table:
        return _delimited(header, rows, fmt)
    from rich.table import Table
    from rich.text import Text

    table = Table("keyword", "growth", f"in {latest}", "before", "example", box=None,
                  header_style="bold", title=f"Rising in {latest} against the periods before")
    for r in found:
        table.add_row(Text(r.keyword), Text(f"+{r.growth:.1f} pts"),
                      Text(f"{r.latest}/{r.latest_articles}"),
                      Text(f"{r.before}/{r.before_articles}"), Text(r.example))
    console().print(table)
