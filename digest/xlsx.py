"""Export rows as an Excel workbook (openpyxl, the ``office`` extra). No typer, no rich.

Two sheets: ``articles`` (one row per article, the export fields as columns) and ``counts``
(articles per issue × primary region, with totals). Both have a frozen header row and an
autofilter. Cells are typed: dates are dates, numbers are numbers, lists are joined with 、,
bodies and summaries wrap. Column widths are measured in display width (an ideograph or a
full-width form counts 2, ASCII 1), because that is how a spreadsheet's column unit relates to
what a Chinese font draws.

Text is always text: openpyxl would store a string that starts with ``=`` as a formula, so every
string cell's type is set to string explicitly; a cell a spreadsheet could read as a formula
(the rule of ``digest.sanitize``) also gets Excel's quote prefix, the workbook equivalent of
CSV's leading apostrophe: it stays text when someone edits it, without showing an apostrophe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from digest.errors import MissingExtraError
from digest.export import CSV_LIST_JOINER, _fields
from digest.sanitize import is_formula_like, xml_text
from digest.text import width

ARTICLES, COUNTS = "articles", "counts"
WRAPPED = frozenset({"body", "summary"})  # long text: a fixed width and wrapping
WRAP_WIDTH = 60  # about 30 ideographs: a readable line, and still room for other columns
MAX_WIDTH = 50  # no single-line column wider than this, however long its longest value
MIN_WIDTH = 6
MAX_CELL = 32_767  # Excel's limit on characters in a cell
TRUNCATED = "…（截断）"
DATE_FORMAT = "yyyy-mm-dd"
TOTAL = "合计"


def load_openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError("xlsx needs openpyxl: pip install 'digest[office]'") from None
    return openpyxl


def write_xlsx(rows: Iterable[dict], out: BinaryIO) -> int:
    """Write ``rows`` (export rows) as a workbook to ``out``; return how many articles."""
    openpyxl = load_openpyxl()
    rows = list(rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = ARTICLES
    fields = _fields(rows)
    _table(sheet, fields, ([row.get(f) for f in fields] for row in rows), wrapped=WRAPPED)
    header, counts = count_table(rows)
    counts_sheet = book.create_sheet(COUNTS)
    _table(counts_sheet, header, counts)
    # The totals row stays below the filtered rows: sorting or filtering never moves it.
    counts_sheet.auto_filter.ref = f"A1:{counts_sheet.cell(len(counts), len(header)).coordinate}"
    book.save(out)
    return len(rows)


def write_records(records: Sequence[dict], out: BinaryIO, *, sheet: str) -> int:
    """One sheet of ``records`` (a rebuilt TOC, the library's issues), typed and laid out like
    the articles sheet; return how many rows."""
    openpyxl = load_openpyxl()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    header = list(dict.fromkeys(k for record in records for k in record))
    _table(ws, header, ([record.get(h) for h in header] for record in records), wrapped=WRAPPED)
    book.save(out)
    return len(records)


def count_table(rows: Sequence[dict]) -> tuple[list[str], list[list]]:
    """Articles per issue (rows) and primary region (columns), with totals."""
    from digest.report import UNPLACED, region_order

    issues: dict[tuple, dict[str, int]] = {}
    for row in rows:
        ident = (row.get("bulletin"), row.get("year"), row.get("issue"), row.get("date"), row.get("source"))
        region = row.get("region") or UNPLACED
        per = issues.setdefault(ident, {})
        per[region] = per.get(region, 0) + 1
    total: dict[str, int] = {}
    for per in issues.values():
        for region, n in per.items():
            total[region] = total.get(region, 0) + n
    regions = region_order({r: range(n) for r, n in total.items()})  # it orders by len()
    header = ["bulletin", "year", "issue", "date", "source", *regions, TOTAL]
    table = [[*ident, *(per.get(r, 0) for r in regions), sum(per.values())]
             for ident, per in issues.items()]
    totals = [sum(line[5 + i] for line in table) for i in range(len(regions) + 1)]
    table.append([TOTAL, None, None, None, None, *totals])
    return header, table


def _table(sheet, header: Sequence[str], lines: Iterable[Sequence], wrapped=frozenset()) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(MIN_WIDTH, _width(h)) for h in header]
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for r, line in enumerate(lines, 2):
        for c, value in enumerate(line, 1):
            cell = sheet.cell(row=r, column=c)
            _set(cell, value, date=header[c - 1] == "date")
            cell.alignment = wrap if header[c - 1] in wrapped else top
            widths[c - 1] = max(widths[c - 1], _width(cell.value))
    _layout(sheet, header, widths, wrapped)


def _set(cell, value, *, date: bool = False) -> None:
    """Store ``value`` typed: dates, numbers, and strings that are never formulas."""
    if isinstance(value, (list, tuple)):
        value = CSV_LIST_JOINER.join(map(str, value))
    if isinstance(value, str):
        date = _iso_date(value) if date else None
        if date is not None:
            cell.value = date
            cell.number_format = DATE_FORMAT
            return
        text = xml_text(value)  # openpyxl refuses XML-illegal control characters
        if len(text) > MAX_CELL:
            text = text[: MAX_CELL - len(TRUNCATED)] + TRUNCATED
        cell.value = text
        cell.data_type = "s"  # openpyxl guesses "f" for a leading "="; this is text
        if is_formula_like(text):
            cell.quotePrefix = True
        return
    if isinstance(value, (bool, int, float, dt.date)) or value is None:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        return
    _set(cell, str(value), date=date)  # an enum, a path …: its text


def _iso_date(text: str) -> dt.date | None:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _width(value) -> float:
    """Display width of a cell's longest line, in spreadsheet column units."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    text = str(value)
    return max(2 * width(line) for line in text.split("\n")) if text else 0


def _layout(sheet, header: Sequence[str], widths: Sequence[float], wrapped) -> None:
    from openpyxl.utils import get_column_letter

    for c, name in enumerate(header, 1):
        fit = WRAP_WIDTH if name in wrapped else min(MAX_WIDTH, widths[c - 1])
        sheet.column_dimensions[get_column_letter(c)].width = fit + 2  # padding beside the text
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

