"""Writers over export rows: csv, json, jsonl, markdown. No typer, no rich.

A row is a plain dict with the fields ``FIELDS``, in that order: ``digest.library.rows`` defines
them, from the one list of article fields that also drives the library's columns and search hits.

Bulletin text is third-party text: CSV cells that a spreadsheet would evaluate as formulas are
neutralised and Markdown is escaped (rules in :mod:`digest.sanitize`) unless ``raw=True``,
which pipelines that read the values back ask for. JSON and JSONL are data, written as is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TextIO

from digest.library.rows import FIELDS, article_row
from digest.models import Issue
from digest.sanitize import md_inline, md_text, spreadsheet_cell

CSV_LIST_JOINER = "、"  # the Chinese enumeration comma: how a list reads in a spreadsheet cell
FORMATS = ("csv", "json", "jsonl", "md")


def issue_rows(issue: Issue) -> list[dict]:
    """One row per article that has a body, in issue order."""
    return [article_row(issue, a) for a in issue.articles if a.body]


def write_rows(rows: Iterable[dict], fmt: str, out: TextIO, *, bom: bool = False,
               raw: bool = False) -> int:
    """Write rows in ``fmt`` to ``out``; return how many were written.

    ``bom`` starts a CSV with a UTF-8 byte-order mark. ``raw`` writes CSV cells and Markdown
    text exactly as stored, without formula neutralising or Markdown escaping.
    """
    writer = {"csv": _write_csv, "json": _write_json, "jsonl": _write_jsonl, "md": _write_md}[fmt]
    rows = list(rows)
    if bom and fmt == "csv":
        out.write("\ufeff")
    writer(rows, out, raw=raw)
    return len(rows)


def _fields(rows: Sequence[dict]) -> list[str]:
    """The export fields in their order, then any others (search's score, list's id …); for
    rows that are not articles, only the fields they have."""
    present = {k for row in rows for k in row}
    fields = [f for f in FIELDS if f in present or not rows or present >= set(FIELDS)]
    for row in rows:
        fields += [k for k in row if k not in fields]
    return fields


def _write_csv(rows: Sequence[dict], out: TextIO, *, raw: bool = False) -> None:
    _csv_rows(_csv_writer(out, _fields(rows)), rows, raw)


def write_csv_stream(rows: Iterable[dict], out: TextIO, *, raw: bool = False) -> int:
    """The CSV ``write_rows`` writes for rows that all have the first one's fields (search
    hits), written as they come: the header from the first row, no row held. How many were
    written; nothing at all for none."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    return _csv_rows(_csv_writer(out, _fields([first])), chain([first], rows), raw)


def _csv_writer(out: TextIO, fields: list[str]) -> csv.DictWriter:
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    return writer


def _csv_rows(writer: csv.DictWriter, rows: Iterable[dict], raw: bool) -> int:
    count = 0
    for row in rows:
        writer.writerow({k: _csv_cell(v, raw) for k, v in row.items()})
        count += 1
    return count


def _csv_cell(value, raw: bool = False):
    if isinstance(value, (list, tuple)):
        value = CSV_LIST_JOINER.join(map(str, value))
    if value is None:
        return ""
    return value if raw else spreadsheet_cell(value)


def _write_json(rows: Sequence[dict], out: TextIO, *, raw: bool = False) -> None:
    json.dump(list(rows), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _write_jsonl(rows: Sequence[dict], out: TextIO, *, raw: bool = False) -> None:
    out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _write_md(rows: Sequence[dict], out: TextIO, *, raw: bool = False) -> None:
    inline, text = (str, str) if raw else (md_inline, md_text)
    buf = io.StringIO()
    current = None
    for row in rows:
        head = (row.get("bulletin"), row.get("year"), row.get("issue"), row.get("source"))
        if head != current:
            current = head
            buf.write(f"# {inline(_issue_heading(row))}\n\n")
        buf.write(f"## {inline(str(row['title']))}\n\n")
        meta = [row.get("section"), f"第 {row['page']} 页" if row.get("page") else None,
                row.get("region")]
        buf.write(inline(" · ".join(str(x) for x in meta if x)) + "\n\n")
        for para in (row.get("body") or "").split("\n"):
            buf.write(text(para) + "\n\n")
    out.write(buf.getvalue())


def _issue_heading(row: dict) -> str:
    name = row.get("bulletin") or row.get("source")
    parts = [name]
    if row.get("year") and row.get("issue"):
        parts.append(f"{row['year']} 年第 {row['issue']} 期")
    if row.get("date"):
        parts.append(row["date"])
    return " ".join(str(p) for p in parts)
