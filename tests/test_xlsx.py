"""`--format xlsx`: the workbook read back with openpyxl (types, frozen header, filter, widths,
no formula cells, even for hostile text)."""

import datetime as dt
import io
from dataclasses import replace

import pytest
from conftest import SAMPLES, truth
from typer.testing import CliRunner

from digest.cli import app
from digest.export import FIELDS, issue_rows
from digest.text import compact

openpyxl = pytest.importorskip("openpyxl")
runner = CliRunner()
ISSUE = SAMPLES / "issue-200.pdf"
HOSTILE = ("=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+2", "-3-4", "@SUM(A1:A2)", "＝1+1")


@pytest.fixture(scope="module")
def parsed():
    from digest.enrich import enrich_issue
    from digest.issue import parse_issue

    return enrich_issue(parse_issue(ISSUE))


def row(**values) -> dict:
    """A whole export row: every field, None unless given."""
    return dict.fromkeys(FIELDS) | values


def workbook(rows):
    from digest.xlsx import write_xlsx

    buf = io.BytesIO()
    write_xlsx(rows, buf)
    buf.seek(0)
    return openpyxl.load_workbook(buf)


def test_articles_sheet_typed_frozen_filtered(tmp_path):
    out = tmp_path / "issue.xlsx"
    result = runner.invoke(app, ["export", str(ISSUE), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["articles", "counts"]
    ws = book["articles"]
    want = truth("issue-200.pdf")["articles"]
    assert [c.value for c in ws[1]] == list(FIELDS)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(FIELDS)).column_letter}{len(want) + 1}"
    col = {name: i for i, name in enumerate(FIELDS)}
    rows = list(ws.iter_rows(min_row=2))
    assert [compact(r[col["title"]].value) for r in rows] == [compact(a["title"]) for a in want]
    assert [r[col["page"]].value for r in rows] == [a["page"] for a in want]
    first = rows[0]
    assert first[col["date"]].value == dt.datetime(2020, 12, 18) and first[col["date"]].is_date
    assert first[col["year"]].data_type == "n" and first[col["year"]].value == 2020
    assert first[col["page"]].data_type == "n" and first[col["seq"]].value == 1
    assert first[col["title"]].data_type == "s"
    assert compact(first[col["body"]].value) == compact("".join(want[0]["body"]))
    assert first[col["body"]].alignment.wrap_text and not first[col["title"]].alignment.wrap_text
    assert "、" in first[col["regions"]].value


def test_column_widths_count_chinese_characters_double():
    rows = [row(title="一二三四五六七八九十", source="abcdefghij", body="很长" * 500)]
    ws = workbook(rows)["articles"]
    widths = {ws.cell(1, c).value: ws.column_dimensions[ws.cell(1, c).column_letter].width
              for c in range(1, ws.max_column + 1)}
    assert widths["title"] == 20 + 2  # ten ideographs: 20 columns, plus padding
    assert widths["source"] == 10 + 2
    assert widths["body"] == 62  # wrapped at a fixed width, not the width of 1000 characters
    assert widths["year"] == 6 + 2  # an empty column keeps room for its header


def test_counts_sheet_by_issue_and_region(parsed):
    other = replace(parsed, source="another.pdf")
    ws = workbook(issue_rows(parsed) + issue_rows(other))["counts"]
    header = [c.value for c in ws[1]]
    regions = header[5:-1]
    assert header[:5] == ["bulletin", "year", "issue", "date", "source"] and header[-1] == "合计"
    want = {}
    for a in parsed.articles:
        if a.body:
            want[a.region or "未定地区"] = want.get(a.region or "未定地区", 0) + 1
    assert set(regions) == set(want)
    assert regions[0] == "上海"  # the delta provinces first
    line = [c.value for c in ws[2]]
    assert line[4] == "issue-200.pdf" and line[3] == dt.datetime(2020, 12, 18)
    assert dict(zip(regions, line[5:-1])) == want and line[-1] == sum(want.values())
    total = [c.value for c in ws[4]]
    assert total[0] == "合计" and total[-1] == 2 * sum(want.values())
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(3, len(header)).coordinate}"


def test_hostile_text_is_never_a_formula(parsed):
    articles = list(parsed.articles)
    for i, text in enumerate(HOSTILE):
        articles[i] = replace(articles[i], title=text, body=(text, "正文"), summary=text)
    rows = issue_rows(replace(parsed, articles=tuple(articles)))
    ws = workbook(rows)["articles"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    titles = [ws.cell(r, FIELDS.index("title") + 1) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in titles] == list(HOSTILE)  # shown as written
    assert all(c.data_type == "s" and c.quotePrefix for c in titles)
    assert not ws.cell(2 + len(HOSTILE), FIELDS.index("title") + 1).quotePrefix


def test_control_characters_and_huge_cells_do_not_break_the_workbook():
    rows = [row(title="标题\x0b\x01带控制符", body="长" * 40_000)]
    ws = workbook(rows)["articles"]
    assert ws.cell(2, FIELDS.index("title") + 1).value == "标题带控制符"
    body = ws.cell(2, FIELDS.index("body") + 1).value
    assert len(body) == 32_767 and body.endswith("…（截断）")


def test_xlsx_needs_an_output_file():
    result = runner.invoke(app, ["export", str(ISSUE), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "-o" in result.stderr and result.stdout == ""


def test_toc_as_a_workbook(tmp_path):
    out = tmp_path / "toc.xlsx"
    stale = str(SAMPLES / "issue-200-stale.pdf")
    result = runner.invoke(app, ["toc", stale, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(out)["toc"]
    header = [c.value for c in ws[1]]
    want = truth("issue-200-stale.pdf")["articles"]
    lines = [dict(zip(header, (c.value for c in line))) for line in ws.iter_rows(min_row=2)]
    assert [compact(x["title"]) for x in lines] == [compact(a["title"]) for a in want]
    assert [(x["page"], x["toc_page"]) for x in lines] == [(a["page"], a["toc_page"]) for a in want]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    assert ws.cell(2, header.index("page") + 1).data_type == "n"
    wrong = runner.invoke(app, ["toc", stale, "--format", "json", "-o", str(out)])
    assert wrong.exit_code == 2 and "-o here is for --format xlsx" in wrong.stderr


def test_library_list_and_search_as_workbooks(tmp_path):
    lib = tmp_path / "lib"
    added = runner.invoke(app, ["add", "--library", str(lib), str(SAMPLES / "issue-200.pdftotext-layout.txt")])
    assert added.exit_code == 0, added.stderr
    issues, hits = tmp_path / "issues.xlsx", tmp_path / "hits.xlsx"
    result = runner.invoke(app, ["list", "--library", str(lib), "-f", "xlsx", "-o", str(issues)])
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(issues)["issues"]
    row = {h.value: c.value for h, c in zip(ws[1], ws[2])}
    assert (row["bulletin"], row["year"], row["number"]) == ("长三角每周要讯", 2020, 200)
    assert row["date"] == dt.datetime(2020, 12, 18)
    result = runner.invoke(app, ["search", "--library", str(lib), "生物医药", "-f", "xlsx", "-o", str(hits)])
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(hits)
    assert book.sheetnames == ["articles", "counts"]
    header = [c.value for c in book["articles"][1]]
    titles = [line[header.index("title")].value for line in book["articles"].iter_rows(min_row=2)]
    assert titles and all(isinstance(t, str) for t in titles)
    assert "score" in header and "snippet" in header
    assert book["counts"].cell(book["counts"].max_row, 1).value == "合计"
    assert book["counts"].cell(book["counts"].max_row, book["counts"].max_column).value == len(titles)
