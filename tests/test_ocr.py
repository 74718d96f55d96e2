"""Scanned issues read by OCR into the same structure as text PDFs.

The OCR tests need the ``ocr`` extra (CI installs it) and are skipped without it. OCR is slow
on a shared machine, so each scanned document is read once per session (fixtures) and the
tests look at the result from several sides.
"""

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, truth
from typer.testing import CliRunner

from digest.cli import app
from digest.models import Status
from digest.pdf import RawLine, RawPage
from digest.source import OcrMode, _unreadable
from digest.text import compact

SCANS = REPO / "tests" / "data" / "scans"
SCAN = SCANS / "small-150dpi.pdf"


def needs_ocr():
    pytest.importorskip("rapidocr_onnxruntime")
    pytest.importorskip("pypdfium2")


def scan_truth() -> dict:
    return json.loads((SCANS / "small-150dpi.truth.json").read_text("utf-8"))


def similarity(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio

    return ratio(compact(a), compact(b)) / 100


@pytest.fixture(scope="session")
def scanned():
    needs_ocr()
    from digest.issue import parse_issue

    seen = []
    issue = parse_issue(SCAN, progress=lambda done, total: seen.append((done, total)))
    return issue, seen


@pytest.fixture(scope="session")
def mixed_pdf(tmp_path_factory) -> Path:
    """The sample issue with its first page (masthead and TOC) replaced by a scan of it."""
    needs_ocr()
    from pypdf import PdfReader, PdfWriter

    sys.path.insert(0, str(REPO / "scripts"))
    from make_scans import scan_pdf

    original = PdfReader(SAMPLES / "issue-200.pdf")
    first = PdfWriter()
    first.add_page(original.pages[0])
    buf = io.BytesIO()
    first.write(buf)
    scanned_first = PdfReader(io.BytesIO(scan_pdf(buf.getvalue(), 200, seed=1)))
    mixed = PdfWriter()
    mixed.add_page(scanned_first.pages[0])
    for page in original.pages[1:]:
        mixed.add_page(page)
    path = tmp_path_factory.mktemp("mixed") / "issue-200-mixed.pdf"
    with path.open("wb") as out:
        mixed.write(out)
    return path


@pytest.fixture(scope="session")
def mixed(mixed_pdf):
    from digest.issue import parse_issue

    return parse_issue(mixed_pdf)


def test_scanned_issue_end_to_end(scanned):
    issue, _ = scanned
    want = scan_truth()
    m = issue.masthead
    assert (m.bulletin, m.year, m.number, m.publisher, m.date.isoformat()) == (
        "长三角每周要讯", 2020, 200, "浙江省人民政府驻上海办事处", "2020-12-18")
    assert [(compact(a.title), a.page, a.toc_page, a.status) for a in issue.articles] == [
        (compact(a["title"]), a["page"], a["toc_page"], Status.OK) for a in want["articles"]]
    assert [(compact(e.title), e.page) for e in issue.toc] == [(compact(e["title"]), e["page"]) for e in want["toc"]]
    # Sections of the first section only: in a four-page issue the structure stage takes the
    # second section's heading, which ends the TOC page and opens a body page, for a running
    # header (pages.py, header_min_pages = 2), from a text layer as from a scan.
    assert [a.section for a in issue.articles[:2]] == [a["section"] for a in want["articles"][:2]]
    for got, expected in zip(issue.articles, want["articles"]):
        assert len(got.body) == len(expected["body"])
        assert similarity("".join(got.body), "".join(expected["body"])) >= 0.97


def test_scanned_issue_says_which_pages_were_ocrd(scanned):
    issue, seen = scanned
    assert [p.index for p in issue.ocr_pages] == [0, 1, 2, 3]
    assert all(0.9 < p.confidence <= 1 and p.chars > 100 for p in issue.ocr_pages)
    assert all(0 <= p.low_confidence < p.chars for p in issue.ocr_pages)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # progress, page by page


def test_toc_json_lists_ocr_pages(scanned, monkeypatch):
    from digest.cli import render

    data = render.toc_json(scanned[0])
    assert [p["page"] for p in data["ocr_pages"]] == [1, 2, 3, 4]
    assert render.ocr_line(scanned[0]).startswith("OCR: pages 1–4, mean confidence 0.9")


def test_mixed_issue_parses_as_one(mixed):
    want = truth("issue-200.pdf")
    assert [p.index for p in mixed.ocr_pages] == [0]  # only the scanned cover was OCR'd
    assert (mixed.masthead.bulletin, mixed.masthead.number) == ("长三角每周要讯", 200)
    assert [(a.section, compact(a.title), a.page, a.toc_page) for a in mixed.articles] == [
        (a["section"], compact(a["title"]), a["page"], a["toc_page"]) for a in want["articles"]]


def test_library_stores_a_scanned_issue_once(mixed_pdf, tmp_path):
    runner = CliRunner()
    first = runner.invoke(app, ["add", str(mixed_pdf), "--library", str(tmp_path), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)[0]["articles"] == 22
    again = runner.invoke(app, ["add", str(mixed_pdf), "--library", str(tmp_path), "--json"])
    assert json.loads(again.stdout)[0]["outcome"] == "skipped"


def test_ocr_never_on_a_scan_is_one_clear_error():
    result = CliRunner().invoke(app, ["toc", str(SCAN), "--ocr", "never"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: small-150dpi.pdf: the PDF has no text layer (a scanned document?); read it by OCR "
        "with --ocr auto (needs pip install 'digest[ocr]')"]


def test_missing_extra_is_one_line_naming_the_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if not installed
    result = CliRunner().invoke(app, ["toc", str(SCAN)])
    assert result.exit_code == 5
    assert result.stderr.splitlines() == [
        "Error: small-150dpi.pdf: 4 pages have no readable text layer (a scanned document?); "
        "to read it by OCR: pip install 'digest[ocr]'"]


def test_text_pdfs_never_load_ocr(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    from digest.issue import parse_issue

    assert parse_issue(SAMPLES / "issue-200.pdf").ocr_pages == ()


def line(text: str) -> RawLine:
    return RawLine(text, 0.0, 100.0, 0.0, 10.0, False)


@pytest.mark.parametrize(("texts", "unreadable"), [
    (["— 3 —"], True),  # a footer alone: no text layer
    (["上海启动生物医药和文化产业两大市级基金"], False),
    (["\ue010\ue011\ue012\ue013\ue014\ue015\ue016\ue017\ue018\ue019上海"], True),  # private use
    (["\ufffd" * 12 + "上海启动"], True),
    (["上海启动生物医药产业·······3"], False),  # leaders are Latin-1 but real
    (["Ä¿Â¼"], True),  # too short anyway
])
def test_unreadable_pages(texts, unreadable):
    assert _unreadable(RawPage(tuple(line(t) for t in texts))) is unreadable


def test_quotes_paired_within_a_line():
    from digest.ocr import _quotes

    assert _quotes("“长三角“在上海") == "“长三角”在上海"
    assert _quotes('“G60"产品') == "“G60”产品"
    assert _quotes("上海”。") == "上海”。"  # closes a quote opened on the line before


def test_ocr_mode_values():
    assert [m.value for m in OcrMode] == ["auto", "always", "never"]


def test_leaders_as_recognised_become_leaders():
    from digest.ocr import _leaders

    assert _leaders("发布聚焦智能航运五大领域···．12") == "发布聚焦智能航运五大领域……12"
    assert _leaders("集聚基金规模已突破千亿元. .10") == "集聚基金规模已突破千亿元……10"
    assert _leaders("版本1.2.3") == "版本1.2.3"


def test_recognition_slips_in_chinese_punctuation_put_right():
    from digest.ocr import _tidy

    assert _tidy("短板与对策—基于全省") == "短板与对策——基于全省"  # 一 dash read for ——
    assert _tidy("一、协同丶聚集") == "一、协同、聚集"  # the radical 丶 for 、
    assert _tidy("G60—A") == "G60—A"  # not between ideographs


def test_dust_alone_is_whitened_and_print_stays():
    import numpy as np

    from digest.ocr import _despeckle

    page = np.full((200, 200), 255, np.uint8)
    page[50:52, 50:52] = 0  # a speck, nothing near
    page[100:130, 100:130] = 0  # a character
    page[131:133, 133:135] = 0  # a dot beside it (a decimal point)
    clean = _despeckle(page, px_per_pt=2.78)
    assert clean[50:52, 50:52].min() == 255
    assert clean[100:130, 100:130].max() == 0 and clean[131:133, 133:135].max() == 0


@pytest.fixture(scope="session")
def scanned_two_jobs():
    needs_ocr()
    from digest.issue import parse_issue

    return parse_issue(SCAN, jobs=2)


def test_two_processes_read_the_same_issue_as_one(scanned, scanned_two_jobs):
    one, two = scanned[0], scanned_two_jobs
    assert [(a.section, a.title, a.page, a.toc_page, a.body) for a in two.articles] == [
        (a.section, a.title, a.page, a.toc_page, a.body) for a in one.articles]
    assert two.ocr_pages == one.ocr_pages  # page order and confidence alike
    assert len(one.articles) == len(scan_truth()["articles"])


def test_bookmarks_of_a_scan(scanned, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "bookmarked.pdf"
    never = CliRunner().invoke(app, ["bookmarks", str(SCAN), "-o", str(out), "--ocr", "never"])
    assert never.exit_code == 2 and "--ocr auto" in never.stderr and not out.exists()
    result = CliRunner().invoke(app, ["bookmarks", str(SCAN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    marks = [m for m in PdfReader(out).outline if not isinstance(m, list)]
    children = [m for m in PdfReader(out).outline if isinstance(m, list)]
    titles = [compact(m.title) for group in children for m in group]
    assert titles == [compact(a["title"]) for a in scan_truth()["articles"]]
    # The sections the issue has (its second section's heading is lost as a running header,
    # see test_scanned_issue_end_to_end), each over its articles.
    assert [m.title for m in marks] == list(dict.fromkeys(a.section for a in scanned[0].articles))


@pytest.mark.parametrize(("text", "confs", "read"), [
    ("公共服务·", [1, 1, 1, 1, 0.6], "公共服务"),  # a speck after a heading
    ("他山之石·", [1] * 5, "他山之石"),  # no Chinese line ends in a middle dot
    ("动比对数据、·即时出", [1] * 10, "动比对数据、即时出"),  # nor has one beside a mark
    ("竞技体育医疗.保障", [1, 1, 1, 1, 1, 1, 0.67, 1, 1], "竞技体育医疗保障"),  # unsure
    ("。【经济热点】", [0.89] + [1] * 6, "【经济热点】"),  # closing marks never start a line
    ("【产业动向】，", [1] * 6 + [0.22], "【产业动向】"),
    ("管理规模55.5亿元", [1] * 10, "管理规模55.5亿元"),  # a decimal point
    ("约翰·史密斯", [1] * 6, "约翰·史密斯"),  # a name's dot
    ("完成。", [1, 1, 0.6], "完成。"),  # a faint full stop is still one
    ("他说：“好”", [1] * 6, "他说：“好”"),
])
def test_dust_read_as_punctuation_is_dropped(text, confs, read):
    from digest.ocr import _undust

    got, kept = _undust(text, confs)
    assert got == read and len(kept) == len(confs) - (len(text) - len(read))


def test_glyph_height_is_the_inked_band_to_a_fraction_of_a_pixel():
    import numpy as np

    from digest.ocr import _glyph_rows

    # A blank margin, a neighbour line's edge, a gap, then 30 rows of glyphs whose edges fade.
    rows = np.array([0] * 3 + [40] * 2 + [0] * 4 + [10] + [200] * 30 + [10] + [0] * 3)
    assert 30 <= _glyph_rows(rows) < 31.5  # the glyphs' 30 rows, not the neighbour's edge
    fuller = rows.copy()
    fuller[9] = fuller[40] = 20  # edges with more ink (still under the level): a little taller
    assert _glyph_rows(rows) < _glyph_rows(fuller) < _glyph_rows(rows) + 0.2


def _ocr_lines(*lines: tuple[str, float, float | None]):
    from digest.models import OcrPage
    from digest.ocr import OcrResult

    raw = tuple(RawLine(text, 0.0, 10.0 * len(text), 800.0 - 20 * i, size, False) for i, (text, size, _) in enumerate(lines))
    return OcrResult(RawPage(raw), OcrPage(0, 1.0, 0, 0), tuple(w for _, _, w in lines))


def test_measured_sizes_become_the_documents_styles():
    from digest.ocr import harmonise

    body = "长三角一体化示范区的企业与园区"
    page1 = _ocr_lines(("科创聚焦", 14.2, 0.05), ("上海启动两大市级基金", 18.4, 0.071), (body, 11.8, 0.05),
                       (body, 12.3, 0.052), (body, 12.5, 0.049))
    page2 = _ocr_lines(("江苏出台意见促进体医融合", 18.9, 0.072), ("发展", 18.1, 0.07), (body, 12.0, 0.051),
                       (body, 12.6, 0.05), ("经验交流", 14.4, 0.05))
    out = harmonise({0: page1, 1: page2})
    lines = [line for r in out.values() for line in r.page.lines]
    sizes = {line.text: round(line.size, 2) for line in lines}
    assert {line.size for line in lines if line.text == body} == {sizes[body]}  # one body size
    # The titles' sizes are one level, the sections' another, the body a third.
    assert sizes["上海启动两大市级基金"] == sizes["江苏出台意见促进体医融合"] == sizes["发展"]
    assert sizes["科创聚焦"] == sizes["经验交流"] != sizes[body]
    assert sizes["科创聚焦"] < sizes["发展"]
    # Heavier strokes than the body's make the titles bold; the sections are not.
    assert {line.text for line in lines if line.bold} == {"上海启动两大市级基金", "江苏出台意见促进体医融合", "发展"}
