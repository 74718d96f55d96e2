"""Hostile input to the reading, TOC, title and query stages: every input ends in a result or a
DigestError, never another exception. Hypothesis runs are small and bounded in time; the wide
run over mutated files is benchmarks/bench_fuzz.py. Then the specific cases issue 12 found."""

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from digest.cli import app
from digest.errors import DigestError, InputError, UsageError
from digest.issue import build_issue, parse_issue, parse_text
from digest.models import Line
from digest.pages import from_text
from digest.query import parse_query
from digest.titles import find_headings
from digest.toc import find_toc

SAMPLE_TEXT = (SAMPLES / "issue-200.pdftotext-layout.txt").read_text(encoding="utf-8")
FAST = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# What bulletins are made of, and what breaks parsers: leaders, page marks, full-width forms,
# quotes, brackets, controls, line and page breaks.
ALPHABET = st.sampled_from(list("长三角生物医药上海江苏第一二期年月日目录科创 　.…·—-0123456789０１２"
                                "“”（）()【】《》\"'#|=+@\t\n\n\n\f\r\x00\u200b\ufeff"))
texts = st.text(ALPHABET, max_size=400)


def ends_well(call, *args, **kw):
    try:
        return call(*args, **kw)
    except DigestError:
        return None


@FAST
@given(texts)
def test_text_reader_and_structure_on_any_text(text):
    ends_well(parse_text, text)


@FAST
@given(st.data())
def test_structure_on_mutated_sample(data):
    """The sample with a slice cut out, duplicated or replaced by noise."""
    n = len(SAMPLE_TEXT)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, min(n, a + 3000)))
    noise = data.draw(texts)
    how = data.draw(st.sampled_from(["cut", "dup", "noise"]))
    middle = {"cut": "", "dup": SAMPLE_TEXT[a:b] * 2, "noise": noise}[how]
    ends_well(parse_text, SAMPLE_TEXT[:a] + middle + SAMPLE_TEXT[b:])


lines = st.lists(st.builds(Line, text=st.text(ALPHABET.filter(lambda c: c not in "\n\f"),
                                              min_size=1, max_size=60),
                           page=st.integers(0, 3), indent=st.floats(0, 10),
                           size=st.none() | st.floats(0.5, 3), bold=st.none() | st.booleans(),
                           centered=st.none() | st.booleans()),
                 max_size=40).map(lambda ls: sorted(ls, key=lambda ln: ln.page))


@FAST
@given(lines)
def test_toc_and_titles_on_any_lines(ls):
    ends_well(find_toc, ls)
    ends_well(find_headings, ls, 0, len(ls), layout_known=True)
    ends_well(find_headings, ls, 0, len(ls), layout_known=False)


@FAST
@given(st.text(st.sampled_from(list('()"- ORAND养老G60Ｇ６０（）-\u3000\\*')), max_size=120))
def test_query_parser_on_any_text(text):
    query = ends_well(parse_query, text)
    if query is not None:
        assert query.fts is None or isinstance(query.fts, str)
        query.sql("title", "body")
        query.matches("养老 G60", "")


@FAST
@given(st.binary(max_size=2000), st.sampled_from([b"", b"%PDF-1.4\n", b"\xef\xbb\xbf"]))
def test_any_bytes_as_a_file(tmp_path_factory, data, prefix):
    path = tmp_path_factory.mktemp("fuzz") / "x.txt"
    path.write_bytes(prefix + data)
    ends_well(parse_issue, path)


# --- the cases issue 12 found -------------------------------------------------------------------

runner = CliRunner()


def test_a_binary_file_named_txt_is_called_binary(tmp_path):
    elf = tmp_path / "issue.txt"
    elf.write_bytes(Path("/bin/ls").read_bytes()[:5000] if Path("/bin/ls").exists()
                    else b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    result = runner.invoke(app, ["toc", str(elf)])
    assert (result.exit_code, result.stderr) == (InputError.exit_code, (
        "Error: issue.txt: neither a PDF nor text but a binary file (an ELF executable); give "
        "a bulletin PDF or its text extraction\n"))


def test_a_truncated_pdf_is_damaged_not_a_bug(tmp_path):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((SAMPLES / "issue-200.pdf").read_bytes()[:3000])
    result = runner.invoke(app, ["toc", str(cut)])
    assert result.exit_code == InputError.exit_code
    assert result.stderr.startswith("Error: cut.pdf: the PDF is damaged and cannot be read (")


def test_a_pdf_read_around_damage_warns(tmp_path):
    import re

    data = (SAMPLES / "issue-200.pdf").read_bytes()
    m = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:m.start(1)] + str(int(m.group(1)) + 7).encode() + data[m.end(1):])
    result = runner.invoke(app, ["toc", str(bad), "-f", "tsv"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].startswith(
        "Warning: bad.pdf: the PDF is damaged and was read around the damage (pypdf: ")


def test_a_title_never_holds_a_line_break():
    doc = from_text(SAMPLE_TEXT, "x.txt", "0" * 64)
    title = "上海自贸区启动“全球营运商计划”"
    pages = tuple(replace(p, lines=tuple(replace(ln, text=ln.text.replace("启动", "启\n动"))
                                         if ln.text == title else ln for ln in p.lines))
                  for p in doc.pages)
    issue = build_issue(replace(doc, pages=pages))
    assert "上海自贸区启 动“全球营运商计划”" in [a.title for a in issue.articles]
    assert not [a.title for a in issue.articles if "\n" in a.title]


def test_bom_with_json_is_refused():
    result = runner.invoke(app, ["export", str(SAMPLES / "issue-200.pdf"), "--bom", "-f", "json"])
    assert (result.exit_code, result.stderr) == (
        UsageError.exit_code,
        "Error: --bom is for CSV (for Excel); --format json is written without one: drop --bom\n")


@pytest.mark.parametrize("command", [["search", "养老"], ["export"]])
def test_an_unknown_region_is_refused(command, tmp_path):
    result = runner.invoke(app, [*command, "--region", "火星", "--library", str(tmp_path)])
    assert result.exit_code == UsageError.exit_code
    assert result.stderr.startswith("Error: --region 火星: ")
