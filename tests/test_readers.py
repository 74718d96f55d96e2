"""The two PDF readers: pypdf (the default) and PDFium (``digest[fast]``, ``--reader pdfium``).

Both turn pages into runs that one line builder groups, so the structure stage is the same.
They must agree on every committed sample and rendered layout case: masthead, printed TOC,
rebuilt TOC (title, section, pages, status) and bodies up to white space. Where they differ
(a space inside a line after a font switch on justified text, see digest/pdfium.py) the test
says so by comparing text without white space."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_PDFS, SAMPLES, truth
from pypdf import PdfWriter
from typer.testing import CliRunner

from digest import pdf
from digest.cli import app
from digest.errors import EncryptedError, InputError, UsageError
from digest.issue import parse_issue
from digest.text import compact

pytest.importorskip("pypdfium2")  # the `fast` extra; CI installs it with `test`

LAYOUTS = sorted((REPO / "tests" / "data" / "layouts").glob("*.pdf"))
ALL_PDFS = [SAMPLES / n for n in (*SAMPLE_PDFS, "issue-200-office.pdf")] + LAYOUTS


def structure(issue):
    arts = [(a.seq, a.section, compact(a.title), a.page, a.toc_page, a.status,
             [compact(p) for p in a.body]) for a in issue.articles]
    toc = [(e.section, compact(e.title), e.page) for e in issue.toc]
    return issue.masthead, toc, arts


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_readers_agree(path: Path):
    with_pypdf = parse_issue(path, reader="pypdf")
    with_pdfium = parse_issue(path, reader="pdfium")
    assert structure(with_pdfium) == structure(with_pypdf)
    assert len(with_pdfium.articles) >= 5


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_pdfium_reads_the_samples_exactly(name):
    """The same truth test as test_issue.py, through PDFium."""
    issue = parse_issue(SAMPLES / name, reader="pdfium")
    expected = truth(name)["articles"]
    assert [(a.section, compact(a.title), a.page, a.toc_page) for a in issue.articles] == \
        [(e["section"], compact(e["title"]), e["page"], e["toc_page"]) for e in expected]
    assert [[compact(p) for p in a.body] for a in issue.articles] == \
        [[compact(p) for p in e["body"]] for e in expected]


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_same_lines_up_to_white_space(path: Path):
    data = path.read_bytes()
    a = pdf.read_pdf(data, "s", reader="pypdf")
    b = pdf.read_pdf(data, "s", reader="pdfium")
    assert [[compact(ln.text) for ln in p.lines] for p in a] == \
        [[compact(ln.text) for ln in p.lines] for p in b]
    assert [[round(ln.y) for ln in p.lines] for p in a] == [[round(ln.y) for ln in p.lines] for p in b]


# LibreOffice draws “” in a fallback font: the line has a blank (pypdf: a space, PDFium: a
# hole) where each goes, and one text object draws both quotes, the first at its blank. The
# lines as poppler's pdftotext reads them.
FALLBACK_QUOTES = {
    "cankao-office-notoc-s2.pdf": ["一是全面推行企业开办“一日办结”；二是在工程建设项目审",
                                   "浙江“最多跑一次”改革向机关内部延伸的主要做法",
                                   "事“网上办、掌上办”。"],
    "jingjinji-office-brackets-s2.pdf": ["深圳市已有200余个政务服务事项实现“秒批”，",
                                         "“一把尺子量到底”。", "广东深圳推行“秒批”政务服务"],
}


@pytest.mark.parametrize("reader", pdf.READERS)
@pytest.mark.parametrize("name", FALLBACK_QUOTES)
def test_fallback_font_quotes_go_back_into_their_blanks(name, reader):
    pages = pdf.read_pdf((REPO / "tests" / "data" / "layouts" / name).read_bytes(), name,
                         reader=reader)
    lines = {compact(ln.text) for p in pages for ln in p.lines}
    assert [t for t in FALLBACK_QUOTES[name] if t not in lines] == []


def test_pdfium_errors_are_the_pypdf_errors(tmp_path):
    data = (SAMPLES / "issue-200.pdf").read_bytes()
    with pytest.raises(InputError, match="the PDF is damaged and cannot be read"):
        pdf.read_pdf(data[:3000], "damaged.pdf", reader="pdfium")
    writer = PdfWriter(clone_from=SAMPLES / "issue-200.pdf")
    writer.encrypt("secret", algorithm="AES-256")
    writer.write(tmp_path / "locked.pdf")
    locked = (tmp_path / "locked.pdf").read_bytes()
    with pytest.raises(EncryptedError, match="give its password with --password"):
        pdf.read_pdf(locked, "locked.pdf", reader="pdfium")
    with pytest.raises(EncryptedError, match="the password is wrong"):
        pdf.read_pdf(locked, "locked.pdf", "guess", reader="pdfium")
    pages = pdf.read_pdf(locked, "locked.pdf", "secret", reader="pdfium")
    assert pages == pdf.read_pdf(data, "s", reader="pdfium")


def test_reader_option():
    runner = CliRunner()
    out = {r: runner.invoke(app, ["toc", str(SAMPLES / "issue-200-stale.pdf"), "--json",
                                  "--reader", r]) for r in ("pypdf", "pdfium")}
    assert out["pypdf"].exit_code == out["pdfium"].exit_code == 0
    assert json.loads(out["pypdf"].stdout) == json.loads(out["pdfium"].stdout)
    bad = runner.invoke(app, ["toc", str(SAMPLES / "issue-200.pdf"), "--reader", "mupdf"])
    assert bad.exit_code == 2


def test_default_is_pypdf():
    assert pdf.DEFAULT_READER == "pypdf"
    issue = parse_issue(SAMPLES / "issue-200.pdf")
    assert dataclasses.asdict(issue) == dataclasses.asdict(parse_issue(SAMPLES / "issue-200.pdf",
                                                                      reader="pypdf"))


def _uninstall_pdfium(monkeypatch):
    """As if digest[fast] were not installed: pypdfium2's packages cannot be imported."""
    for name in ("pypdfium2", "pypdfium2_raw"):
        monkeypatch.setitem(sys.modules, name, None)


READER_COMMANDS = {
    "toc": ["toc", "ISSUE"],
    "export": ["export", "ISSUE", "--format", "json"],
    "summary": ["summary", "ISSUE"],
    "add": ["add", "ISSUE", "--library", "LIB"],
    "bookmarks": ["bookmarks", "ISSUE", "-o", "OUT"],
}


def _argv(command: str, tmp_path: Path, *extra: str) -> list[str]:
    slots = {"ISSUE": str(SAMPLES / "issue-200-stale.pdf"), "LIB": str(tmp_path / "lib"),
             "OUT": str(tmp_path / "out.pdf")}
    return [slots.get(a, a) for a in READER_COMMANDS[command]] + list(extra)


@pytest.mark.parametrize("command", READER_COMMANDS)
def test_every_issue_reading_command_takes_the_reader(command, tmp_path, monkeypatch):
    """--reader reaches the PDF reader from every command that reads issue PDFs: without the
    fast extra, asking for PDFium is one error line naming the install (exit 5), and auto
    falls back to pypdf."""
    _uninstall_pdfium(monkeypatch)  # as if not installed
    runner = CliRunner()
    result = runner.invoke(app, _argv(command, tmp_path, "--reader", "pdfium"))
    assert result.exit_code == 5, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Error")]
    assert lines == ["Error: the PDFium reader needs pypdfium2: "
                     "pip install 'digest[fast]' (or use --reader pypdf)"]
    assert not (tmp_path / "lib").exists() and not (tmp_path / "out.pdf").exists()
    auto = runner.invoke(app, _argv(command, tmp_path, "--reader", "auto"))
    assert auto.exit_code == 0, auto.output


def test_auto_means_pdfium_when_installed(monkeypatch):
    assert pdf.reader_for(None) == "pypdf"
    assert pdf.reader_for("auto") == "pdfium"
    assert pdf.reader_for("pypdf") == "pypdf"
    _uninstall_pdfium(monkeypatch)
    assert pdf.reader_for("auto") == "pypdf"
    with pytest.raises(UsageError, match="choose one of auto, pypdf, pdfium"):
        pdf.reader_for("mupdf")


def test_library_add_with_pdfium_stores_what_pypdf_stores(tmp_path):
    from digest.library import Library

    titles = {}
    for reader in ("pypdf", "pdfium"):
        with Library(tmp_path / reader) as lib:
            result = lib.add_paths([SAMPLES / "issue-200-stale.pdf"], reader=reader)
            assert len(result.added) == 1
            titles[reader] = [(a.title, a.page) for a in lib.issue("1").articles]
    assert titles["pypdf"] == titles["pdfium"] and len(titles["pypdf"]) == 22


# Times-Roman advance widths (per 1000 em) of what the test draws: narrower than the half em
# the line builder estimates for ASCII.
TIMES_WIDTHS = {"-": 333, ",": 250, ".": 250, " ": 250, **{d: 500 for d in "0123456789"}}


def glyph_by_glyph_pdf(text: str, size: float = 9.0) -> bytes:
    """A page drawing ``text`` one glyph per text object, each at its true place (as some
    producers set table figures): a standard font, so both readers know the widths."""
    import io

    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Times-Roman")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    ops, x = [], 100.0
    for ch in text:
        if ch != " ":
            ops.append(f"BT /F1 {size} Tf {x:.3f} 700 Td ({ch}) Tj ET")
        x += TIMES_WIDTHS[ch] * size / 1000
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("reader", pdf.READERS)
def test_figures_drawn_glyph_by_glyph_keep_their_order(reader):
    """PDFium placed a glyph that overlaps the previous one's estimated end at that end (as
    pypdf's runs are placed); with glyphs narrower than the estimate the ends drifted right
    until a glyph at its true place sorted before them: -4,648,9865.2."""
    data = glyph_by_glyph_pdf("-4,648,986.52  -15,563,758.44")
    lines = [ln.text for p in pdf.read_pdf(data, "glyphs.pdf", reader=reader) for ln in p.lines]
    assert [ln.replace(" ", "") for ln in lines] == ["-4,648,986.52-15,563,758.44"]


def _plain_ctype(t):
    """A pypdfium2 binding's type as digest/pdfium.py declares it: a handle or other pointer
    (a struct, a float) as an address, a char buffer as bytes."""
    import ctypes

    if t is not None and t.__name__ == "LP_c_char":
        return ctypes.c_char_p
    if t is not None and t.__name__.startswith("LP_"):
        return ctypes.c_void_p
    return t


def test_pdfium_is_called_as_pypdfium2_declares_it():
    """The reader loads PDFium without pypdfium2's bindings and declares the functions it calls
    itself: the same result and argument types, structures and constants as the bindings."""
    import ctypes

    from digest import pdfium

    raw = pytest.importorskip("pypdfium2_raw")
    for name, (result, args) in pdfium._FUNCTIONS.items():
        fn = getattr(raw, name)
        assert (_plain_ctype(fn.restype), tuple(map(_plain_ctype, fn.argtypes))) == (result, args), name
    assert list(pdfium._Matrix._fields_) == list(raw.FS_MATRIX._fields_)
    config = [(n, _plain_ctype(t)) for n, t in raw.FPDF_LIBRARY_CONFIG._fields_]
    assert [(n, t) for n, t in pdfium._LibraryConfig._fields_] == config[:4]
    assert ctypes.sizeof(pdfium._LibraryConfig) <= ctypes.sizeof(raw.FPDF_LIBRARY_CONFIG)
    assert (pdfium._TEXT_OBJECT, pdfium._FORM_OBJECT) == (raw.FPDF_PAGEOBJ_TEXT,
                                                          raw.FPDF_PAGEOBJ_FORM)


def test_pdfium_and_pypdfium2_share_one_library():
    """OCR renders pages with pypdfium2 in the same process as the reader: either may load
    PDFium first, and both go on working."""
    import subprocess

    read = "pages = pdf.read_pdf(data, 's', reader='pdfium')\n"
    render = ("import pypdfium2\n"
              "size = pypdfium2.PdfDocument(data)[0].render(scale=0.25).to_pil().size\n")
    for first, then in ((read, render), (render, read)):
        code = ("import sys\nfrom digest import pdf\ndata = open(sys.argv[1], 'rb').read()\n"
                f"{first}{then}print(len(pages), *size, pages == pdf.read_pdf(data, 's', reader='pdfium'))")
        done = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "issue-200.pdf")],
                              capture_output=True, text=True, timeout=120)
        assert done.stdout.split() == ["25", "149", "211", "True"], done.stderr


def test_pdfium_from_the_bindings_where_its_library_is_elsewhere():
    """A pypdfium2 whose PDFium is not in pypdfium2_raw's folder (built on the system's): the
    reader takes the functions from its bindings, and reads the same."""
    import subprocess

    code = ("import sys\nfrom digest import pdf, pdfium\ndata = open(sys.argv[1], 'rb').read()\n"
            "direct = pdf.read_pdf(data, 's', reader='pdfium')\n"
            "pdfium._API = None\npdfium._library_file_name = lambda: 'no-such-library'\n"
            "print('pypdfium2_raw' in sys.modules, end=' ')\n"
            "print(pdf.read_pdf(data, 's', reader='pdfium') == direct, 'pypdfium2_raw' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "issue-200-notoc.pdf")],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "True", "True"], done.stderr
