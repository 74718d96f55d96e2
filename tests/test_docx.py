"""`summary --format docx`: the document read back with python-docx (headings in order, East
Asian fonts, page field), and the LibreOffice round trip back through `digest toc`."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from digest.cli import app
from digest.text import compact

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402

runner = CliRunner()
ISSUE = str(SAMPLES / "issue-200.pdf")
STALE = str(SAMPLES / "issue-200-stale.pdf")


@pytest.fixture(scope="module")
def digest_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "digest.docx"
    result = runner.invoke(app, ["summary", ISSUE, "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return out


@pytest.fixture(scope="module")
def expected():
    """Regions and titles as `summary --format json` gives them."""
    data = json.loads(runner.invoke(app, ["summary", ISSUE, "--format", "json"]).stdout)
    return [(r["region"], [a["title"] for a in r["articles"]], r["articles"]) for r in data["regions"]]


def headings(path):
    out = []
    for p in docx.Document(path).paragraphs:
        if p.style.name == "Heading 1":
            out.append((p.text, []))
        elif p.style.name == "Heading 2":
            out[-1][1].append(p.text)
    return out


def test_headings_are_regions_then_articles_in_order(digest_docx, expected):
    assert headings(digest_docx) == [(region, titles) for region, titles, _ in expected]
    assert [r for r, _, _ in expected][:3] == ["上海", "江苏", "长三角"]


def test_masthead_summary_keywords_and_source(digest_docx, expected):
    paras = docx.Document(digest_docx).paragraphs
    assert (paras[0].style.name, paras[0].text) == ("Title", "长三角每周要讯 2020 年第 200 期")
    assert paras[1].text == "浙江省人民政府驻上海办事处 · 2020-12-18 · 22 篇"
    at = next(i for i, p in enumerate(paras) if p.style.name == "Heading 2")
    first = expected[0][2][0]
    assert paras[at].text == first["title"]
    assert paras[at + 1].text == first["summary"]
    assert paras[at + 2].text == "关键词：" + "、".join(first["keywords"])
    assert paras[at + 3].text == (f"来源：长三角每周要讯 2020 年第 200 期 · 第 {first['page']} 页 · "
                                  f"{first['section']}")


def test_east_asian_fonts_on_every_style_used(digest_docx):
    document = docx.Document(digest_docx)
    used = {p.style.name for p in document.paragraphs} | {"Footer"}
    assert used == {"Title", "Normal", "Heading 1", "Heading 2", "Footer"}
    want = {"Normal": "宋体", "Footer": "宋体", "Title": "黑体", "Heading 1": "黑体", "Heading 2": "黑体"}
    for name in used:
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == want[name], name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win otherwise
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    h1 = document.styles["Heading 1"].font
    assert str(h1.color.rgb) == "000000"


def test_page_numbers_in_the_footer(digest_docx):
    footer = docx.Document(digest_docx).sections[0].footer.paragraphs[0]._p
    kinds = [e.get(qn("w:fldCharType")) for e in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [t.text for t in footer.iter(qn("w:instrText"))] == [" PAGE "]


def test_docx_needs_an_output_file():
    result = runner.invoke(app, ["summary", ISSUE, "--format", "docx"])
    assert result.exit_code == 2 and "-o" in result.stderr and result.stdout == ""


def test_missing_extra_names_the_install_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    result = runner.invoke(app, ["summary", ISSUE, "--format", "docx", "-o", str(tmp_path / "d.docx")])
    assert result.exit_code == 5
    assert "pip install 'digest[office]'" in result.stderr
    assert not (tmp_path / "d.docx").exists()


def test_libreoffice_round_trip_reads_back_as_the_same_regions_and_titles(digest_docx, expected, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(digest_docx)],
                   capture_output=True, check=True, timeout=180)
    pdf = tmp_path / "digest.pdf"
    result = runner.invoke(app, ["toc", str(pdf), "--json"])
    assert result.exit_code == 0, result.stderr
    articles = json.loads(result.stdout)["articles"]
    sections = list(dict.fromkeys(a["section"] for a in articles))
    assert sections == [r for r, _, _ in expected]
    assert [compact(a["title"]) for a in articles] == [compact(t) for _, titles, _ in expected for t in titles]


def test_help_loads_no_office_library_nor_pypdf():
    code = ("import sys; from typer.testing import CliRunner; from digest.cli import app; "
            "r = CliRunner().invoke(app, ['bookmarks', '--help']); assert r.exit_code == 0; "
            "CliRunner().invoke(app, ['export', '--help']); CliRunner().invoke(app, ['summary', '--help']); "
            "print(sorted(m for m in ('pypdf', 'openpyxl', 'docx') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
