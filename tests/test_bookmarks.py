"""`digest bookmarks`: the outline read back with pypdf, pages checked with pdftotext, the
file with qpdf; everything else in the PDF unchanged."""

import shutil
import subprocess

import pytest
from conftest import SAMPLES, truth
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from typer.testing import CliRunner

from digest.cli import app
from digest.text import compact

runner = CliRunner()
STALE = SAMPLES / "issue-200-stale.pdf"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def outline(path, password=None):
    """[(section, page, [(title, page), …]), …] as pypdf reads them."""
    reader = PdfReader(path)
    if password:
        reader.decrypt(password)
    out, items = [], reader.outline
    for item in items:
        if isinstance(item, list):
            out[-1][2].extend((c.title, reader.get_destination_page_number(c)) for c in item)
        else:
            out.append((item.title, reader.get_destination_page_number(item), []))
    return out


def page_text(path, index: int) -> str:
    """The text of one physical page, by pdftotext (another reader than digest's)."""
    if shutil.which("pdftotext") is None:
        return compact(PdfReader(path).pages[index].extract_text())
    done = subprocess.run(["pdftotext", "-f", str(index + 1), "-l", str(index + 1), str(path), "-"],
                          capture_output=True, text=True, check=True)
    return compact(done.stdout)


@pytest.fixture(scope="module")
def stale_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("bm") / "stale-bookmarked.pdf"
    result = run("bookmarks", STALE, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_outline_is_the_rebuilt_toc_with_real_pages(stale_out):
    want = truth("issue-200-stale.pdf")["articles"]
    got = outline(stale_out)
    sections = list(dict.fromkeys(a["section"] for a in want))
    assert [s for s, _, _ in got] == sections
    assert [t for _, _, children in got for t, _ in children] == [a["title"] for a in want]
    pages = [p for _, _, children in got for _, p in children]
    # The sample prints page N on physical page N-1 (0-based); the stale TOC is off for 8 of them.
    assert pages == [a["page"] - 1 for a in want]
    assert sum(a["page"] != a["toc_page"] for a in want) == 8
    for section, page, children in got:
        assert page == children[0][1], section


def test_every_bookmark_opens_the_page_its_title_is_on(stale_out):
    for _, _, children in outline(stale_out):
        for title, page in children:
            assert compact(title) in page_text(stale_out, page), title
            assert compact(title) not in page_text(stale_out, page - 1), title


def test_everything_else_is_unchanged(stale_out):
    before, after = PdfReader(STALE), PdfReader(stale_out)
    assert len(after.pages) == len(before.pages) == 24
    for a, b in zip(before.pages, after.pages):
        assert a.get_contents().get_data() == b.get_contents().get_data()
        assert a.mediabox == b.mediabox
        assert sorted(a["/Resources"]["/Font"]) == sorted(b["/Resources"]["/Font"])
    assert after.metadata == before.metadata
    assert after.root_object["/PageMode"] == "/UseOutlines"


def test_qpdf_finds_no_errors(stale_out):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    done = subprocess.run(["qpdf", "--check", str(stale_out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def test_annotations_survive_and_existing_outline_is_kept_unless_replace(tmp_path, stale_out):
    marked = tmp_path / "marked.pdf"
    writer = PdfWriter(clone_from=STALE)
    writer.add_outline_item(title="读者自己的书签", page_number=5)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.org/"))
    writer.write(marked)
    out = tmp_path / "out.pdf"
    result = run("bookmarks", marked, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "kept its 1 existing bookmarks" in result.stderr
    got = outline(out)
    assert got[0] == ("读者自己的书签", 5, [])
    assert [s for s, _, _ in got[1:]] == [s for s, _, _ in outline(stale_out)]
    annots = PdfReader(out).pages[0]["/Annots"]
    assert annots[0].get_object()["/A"]["/URI"] == "https://example.org/"
    replaced = tmp_path / "replaced.pdf"
    assert run("bookmarks", marked, "-o", replaced, "--replace").exit_code == 0
    assert outline(replaced) == outline(stale_out)


def test_bookmarking_a_bookmarked_copy_does_not_double_the_outline(tmp_path, stale_out):
    again = tmp_path / "again.pdf"
    result = run("bookmarks", stale_out, "-o", again)
    assert result.exit_code == 0 and "kept" not in result.stderr
    assert outline(again) == outline(stale_out)


def test_encrypted_pdf_needs_its_password_and_stays_encrypted(tmp_path, stale_out):
    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=STALE)
    writer.encrypt("秘密1", owner_password="owner-pw", algorithm="AES-128", permissions_flag=0b1100)
    writer.write(locked)
    out = tmp_path / "out.pdf"
    result = run("bookmarks", locked, "-o", out)
    assert result.exit_code == 2
    assert "encrypted" in result.stderr and "--password" in result.stderr and not out.exists()
    result = run("bookmarks", locked, "-o", out, "--password", "秘密1")
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(out)
    assert reader.is_encrypted and not reader.decrypt("wrong")
    assert reader.decrypt("秘密1")
    before = PdfReader(locked).trailer["/Encrypt"]
    assert reader.trailer["/Encrypt"]["/P"] == before["/P"]  # the same permissions
    assert reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"] == "/AESV2"  # the same algorithm
    assert outline(out, "秘密1") == outline(stale_out)


def test_text_extraction_is_refused(tmp_path):
    out = tmp_path / "out.pdf"
    result = run("bookmarks", SAMPLES / "issue-200.pdftotext-layout.txt", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: issue-200.pdftotext-layout.txt: not a PDF")
    assert not out.exists()


def test_never_onto_the_input_and_output_required(tmp_path):
    copy = tmp_path / "issue.pdf"
    shutil.copy(STALE, copy)
    result = run("bookmarks", copy, "-o", copy)
    assert result.exit_code == 6 and "is the input" in result.stderr
    assert copy.read_bytes() == STALE.read_bytes()
    result = run("bookmarks", copy)
    assert result.exit_code == 2 and "-o" in result.stderr


def test_all_writes_a_copy_of_every_pdf(tmp_path):
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(STALE, src / "a.pdf")
    shutil.copy(SAMPLES / "issue-200-notoc.pdf", src / "b.PDF")
    (src / "notes.txt").write_text("not an issue", encoding="utf-8")
    result = run("bookmarks", "--all", src, "-o", dst)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in dst.iterdir()) == ["a.pdf", "b.PDF"]
    assert outline(dst / "a.pdf")[0][0] == "科创聚焦"
    assert len(outline(dst / "b.PDF")) > 0
    same = run("bookmarks", "--all", src, "-o", src)
    assert same.exit_code == 2 and "input folder" in same.stderr


def test_bookmarks_follow_sheets_not_printed_numbers(tmp_path, stale_out):
    """A blank sheet put in front keeps every printed page number but moves every article one
    sheet on: the bookmarks must move with them."""
    covered = tmp_path / "covered.pdf"
    writer = PdfWriter(clone_from=STALE)
    first = writer.pages[0]
    writer.insert_blank_page(width=first.mediabox.width, height=first.mediabox.height, index=0)
    writer.write(covered)
    out = tmp_path / "out.pdf"
    assert run("bookmarks", covered, "-o", out).exit_code == 0
    moved = [(t, p + 1) for _, _, children in outline(stale_out) for t, p in children]
    assert [(t, p) for _, _, children in outline(out) for t, p in children] == moved
