"""pdftext.py, our interpreter of pypdf's objects, against pypdf's own extract_text (the oracle):
the same runs page by page on every committed and real PDF, and on hand-built edge cases."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from digest import pdf, pdfops, pdftext
from tests.conftest import FIXTURES, REPO


def _committed_pdfs() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.pdf"], cwd=REPO, capture_output=True, text=True)
    paths = [REPO / p for p in listed.stdout.split()] if listed.returncode == 0 else []
    return paths or sorted(REPO.glob("samples/*.pdf")) + sorted(REPO.glob("tests/data/**/*.pdf"))


def _runs_both_ways(reader: PdfReader, operations=None) -> list[tuple[list, list | None]]:
    """Per page: the oracle's runs and ours (None where the page is not read exactly)."""
    decoders = pdftext.DocumentFonts()
    names_a: dict[int, str] = {}
    names_b: dict[int, str] = {}
    pages = []
    for page in reader.pages:
        oracle: list[pdf.Run] = []
        page.extract_text(visitor_text=pdf._visitor(oracle, names_a))
        ours: list[pdf.Run] | None = []
        try:
            pdftext.read_page(page, decoders, pdf._visitor(ours, names_b), operations)
        except pdftext.NotExact:
            ours = None
        pages.append((oracle, ours))
    return pages


def _assert_same(path: Path) -> int:
    """Every page's runs equal the oracle's, or the page falls back; the pages that do."""
    fell = 0
    for n, (oracle, ours) in enumerate(_runs_both_ways(PdfReader(path, strict=False))):
        if ours is None:
            fell += 1
            continue
        assert ours == oracle, f"{path.name} page {n + 1}"
    return fell


@pytest.mark.parametrize("path", _committed_pdfs(), ids=lambda p: p.name)
def test_committed_pdfs_read_as_pypdf_reads_them(path):
    assert _assert_same(path) == 0  # and none needs pypdf: these are what digest reads


def test_real_fixture_pdfs_read_as_pypdf_reads_them():
    folder = FIXTURES / "pdf"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    for path in sorted(folder.glob("*.pdf")):
        _assert_same(path)


def test_our_tokenizer_gives_pypdf_s_operations_on_every_committed_and_fixture_pdf():
    from pypdf.generic import ContentStream

    fixtures = sorted((FIXTURES / "pdf").glob("*.pdf")) if (FIXTURES / "pdf").is_dir() else []
    for path in _committed_pdfs() + fixtures:
        for page in PdfReader(path, strict=False).pages:
            if "/Contents" not in page:
                continue
            content = ContentStream(page["/Contents"].get_object(), page.pdf, "bytes")
            data = content.get_data()
            theirs = ContentStream(page["/Contents"].get_object(), page.pdf, "bytes").operations
            assert _plain(pdfops.parse(data)) == _plain(theirs), path.name


def _pypdf_ops(data: bytes):
    from pypdf.generic import ContentStream

    return ContentStream(_stream(data), None, "bytes").operations


@pytest.mark.parametrize("data", [
    rb"(a(b)c) Tj (x\(y\)z) Tj (tab\there) Tj (\101\60\0071) Tj (line\
joined) Tj (\\) Tj",
    b"<48 65 6C6C 6F> Tj <4> Tj <> Tj",
    b"/P <</MCID 3 /Alt (x) /Sub <</A [1 2 (s)]>> /T true /N null>> BDC EMC",
    b"[(A) -120.5 (B) 3 /N (C)] TJ % a comment (not a string\n0.5 .5 -.25 5. +3 Tz",
    b"q 1 0 0 1 0 0 cm BT /F1 12 Tf 0 0 Td (x)' 1 2 (y)\" ET Q",
])
def test_tokenizer_cases_as_pypdf_reads_them(data):
    assert _plain(pdfops.parse(data)) == _plain(_pypdf_ops(data))


def test_tokenizer_values_checked_by_hand():
    got = pdfops.parse(rb"(a(b)c) Tj (\101\60\0071) Tj <48656C6C 6F> Tj <4> Tj [(A) -120.5 /N] TJ 3 0.5 Td")
    assert got == [([b"a(b)c"], b"Tj"), ([b"A0\x071"], b"Tj"), ([b"Hello"], b"Tj"), ([b"@"], b"Tj"),
                   ([[b"A", -120.5, "/N"]], b"TJ"), ([3, 0.5], b"Td")]
    assert type(got[-1][0][0]) is int and type(got[-1][0][1]) is float


def test_what_the_tokenizer_does_not_read_goes_to_pypdf_s_parser():
    data = b"BT /F1 12 Tf (x) Tj ET BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI BT (y) Tj ET"
    with pytest.raises(pdfops.Unsupported):
        pdfops.parse(data)
    from pypdf.generic import ContentStream

    content = ContentStream(_stream(data), None, "bytes")
    assert [op for _, op in pdfops.operations(content)] == [
        b"BT", b"Tf", b"Tj", b"ET", b"INLINE IMAGE", b"BT", b"Tj", b"ET"]
    # pypdf's limits: an array past its element count is pypdf's to refuse (LimitReachedError)
    from pypdf.errors import LimitReachedError

    big = b"[" + b"1 " * 100_001 + b"] TJ"
    with pytest.raises(pdfops.Unsupported):
        pdfops.parse(big)
    with pytest.raises(LimitReachedError):
        pdfops.operations(ContentStream(_stream(big), None, "bytes"))
    assert len(pdfops.parse(b"[" + b"1 " * 100_000 + b"] TJ")[0][0][0]) == 100_000
    for odd in (rb"(a\qb) Tj", b"/A#20B Tf", b"1.2.3 Tc", b"1 0 R Do"):
        with pytest.raises(pdfops.Unsupported):
            pdfops.parse(odd)


def _plain(ops):
    """Operations as plain values: pypdf's objects (NumberObject, FloatObject, names, strings)
    compared by type family and value."""
    def value(v):
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return "dict"
        if isinstance(v, bool):
            return ("bool", v)
        if isinstance(v, int):
            return ("int", int(v))
        if isinstance(v, float):
            return ("float", float(v))
        if isinstance(v, bytes):
            return ("bytes", bytes(v))
        return ("name", str(v))
    return [(value(list(o)) if op != b"INLINE IMAGE" else None, bytes(op)) for o, op in ops]


# Hand-built pages: one content stream and its fonts, through both readers.

_HELVETICA = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica",
              "/Encoding": "/WinAnsiEncoding"}


def _name_dict(d: dict) -> DictionaryObject:
    out = DictionaryObject()
    for k, v in d.items():
        if isinstance(v, str):
            v = NameObject(v)
        elif isinstance(v, int):
            v = NumberObject(v)
        out[NameObject(k)] = v
    return out


def _stream(data: bytes, extra: dict | None = None) -> DecodedStreamObject:
    s = DecodedStreamObject()
    s.set_data(data)
    for k, v in (extra or {}).items():
        s[NameObject(k)] = v
    return s


def _cid_font(writer: PdfWriter, cmap: bytes, widths: list[int] | None = None):
    """A Type0 font, Identity-H, with ``cmap`` as its ToUnicode map."""
    descendant = _name_dict({"/Type": "/Font", "/Subtype": "/CIDFontType2", "/BaseFont": "/TestCJK"})
    descendant[NameObject("/DW")] = NumberObject(1000)
    if widths:
        descendant[NameObject("/W")] = ArrayObject([NumberObject(1), ArrayObject(NumberObject(w) for w in widths)])
    font = _name_dict({"/Type": "/Font", "/Subtype": "/Type0", "/BaseFont": "/TestCJK",
                       "/Encoding": "/Identity-H"})
    font[NameObject("/DescendantFonts")] = ArrayObject([writer._add_object(descendant)])
    font[NameObject("/ToUnicode")] = writer._add_object(_stream(cmap))
    return writer._add_object(font)


def _pdf(content: bytes, cmap: bytes | None = None, forms: dict[str, bytes] | None = None) -> PdfReader:
    writer = PdfWriter()
    page = writer.add_blank_page(600, 800)
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(_name_dict(_HELVETICA))})
    if cmap is not None:
        fonts[NameObject("/F2")] = _cid_font(writer, cmap)
    resources = DictionaryObject({NameObject("/Font"): fonts})
    if forms:
        xobjects = DictionaryObject()
        for name, data in forms.items():
            form = _stream(data, {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
                                  "/BBox": ArrayObject(FloatObject(v) for v in (0, 0, 600, 800)),
                                  "/Resources": resources})
            xobjects[NameObject(name)] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = writer._add_object(_stream(content))
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _runs(reader: PdfReader) -> list[pdf.Run]:
    """Our runs of the one page, checked equal to the oracle's."""
    [(oracle, ours)] = _runs_both_ways(reader)
    assert ours is not None, "the page fell back to pypdf"
    assert ours == oracle
    return ours


def _texts(reader):
    return [(r.text, round(r.x, 2), round(r.y, 2), round(r.size, 2)) for r in _runs(reader)]


_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <4E0A> <0002> <6D77> endbfchar
2 beginbfrange
<0010> <0012> <5E02>
<0020> <0022> [<5E7F> <4E1C> <7701>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def test_cid_text_through_a_tounicode_map_with_bfchar_and_bfrange_arrays():
    content = b"BT /F2 20 Tf 1 0 0 1 100 700 Tm <0001000200100011> Tj ET BT /F2 20 Tf 100 650 Td <002000210022> Tj ET"
    # 上 海 (bfchar), 市 布 (a range: U+5E02, U+5E03), then 广 东 省 (a range with an array)
    assert [t for t, *_ in _texts(_pdf(content, _CMAP))] == ["上海市布", "广东省"]


_TWO_BYTE_CMAP = b"""begincmap
2 begincodespacerange <00> <7F> <8140> <FEFE> endcodespacerange
1 beginbfchar <41> <0041> endbfchar
1 beginbfrange <B0A1> <B0A2> <554A> endbfrange
endcmap"""


def test_a_map_with_one_and_two_byte_codes():
    # two-byte codes of a GBK-like codespace, through a bfrange: 啊 (U+554A), 啋 (U+554B)
    assert [t for t, *_ in _texts(_pdf(b"BT /F2 10 Tf 50 500 Td <B0A1B0A2> Tj ET", _TWO_BYTE_CMAP))] == ["啊啋"]
    # pypdf reads an Identity-H string two bytes at a time whatever the codespace says, so a
    # one-byte code shifts the rest; ours does the same (_runs checks it against pypdf)
    [(text, *_)] = _texts(_pdf(b"BT /F2 10 Tf 50 500 Td <41B0A1B0A2> Tj ET", _TWO_BYTE_CMAP))
    assert text != "A啊啋" and len(text) == 3


def test_tj_offsets_wide_enough_become_spaces_and_narrow_ones_do_not():
    content = b"BT /F1 12 Tf 72 700 Td [(Hello) -30 (World) -600 (again)] TJ ET"
    assert [t for t, *_ in _texts(_pdf(content))] == ["HelloWorld again"]


def test_lines_by_td_t_star_quote_and_double_quote():
    content = (b"BT /F1 10 Tf 14 TL 100 700 Td (one) Tj T* (two) Tj (three) ' "
               b"2 0.5 (four) \" 0 -30 TD (five) Tj ET")
    got = _texts(_pdf(content))
    assert [t for t, *_ in got] == ["one", "two", "three", "four", "five"]
    # each T* (and ' and ") moves down 14; TD moves 30 and sets the leading to 30
    assert [y for _t, _x, y, _s in got] == [700.0, 686.0, 672.0, 658.0, 628.0]


def test_nested_q_q_restores_the_matrix_and_the_font():
    content = (b"q 2 0 0 2 10 20 cm q 1 0 0 1 50 0 cm BT /F1 8 Tf 0 0 Td (inner) Tj ET Q "
               b"BT /F2 9 Tf 0 100 Td <0001> Tj ET Q BT /F1 10 Tf 30 40 Td (outer) Tj ET")
    got = _texts(_pdf(content, _CMAP))
    # inner: (0,0) through cm 1 0 0 1 50 0 then 2 0 0 2 10 20 → (110, 20), size 8 × 2
    # 上: (0,100) through 2 0 0 2 10 20 only → (10, 220), size 9 × 2; outer: untransformed
    assert got == [("inner", 110.0, 20.0, 16.0), ("上", 10.0, 220.0, 18.0), ("outer", 30.0, 40.0, 10.0)]


def test_text_in_form_xobjects_is_read_where_pypdf_reads_it():
    content = b"BT /F1 10 Tf 100 700 Td (page) Tj ET q 1 0 0 1 50 50 cm /Fm1 Do Q BT /F1 10 Tf 100 600 Td (after) Tj ET"
    form = b"BT /F1 12 Tf 20 30 Td (in the form) Tj ET /Fm2 Do"
    inner = b"BT /F1 14 Tf 5 6 Td (deeper) Tj ET"
    got = _texts(_pdf(content, forms={"/Fm1": form, "/Fm2": inner}))
    # pypdf reads a form's text in the form's own space (neither the cm nor /Matrix applied)
    assert got == [("page", 100.0, 700.0, 10.0), ("in the form", 20.0, 30.0, 12.0),
                   ("deeper", 5.0, 6.0, 14.0), ("after", 100.0, 600.0, 10.0)]


def test_a_cyclic_form_falls_back_to_pypdf():
    content = b"/Fm1 Do"
    reader = _pdf(content, forms={"/Fm1": b"BT /F1 10 Tf (x) Tj ET /Fm1 Do"})
    [(_oracle, ours)] = _runs_both_ways(reader)
    assert ours is None


def test_right_to_left_text_and_unknown_fonts_fall_back():
    hebrew = b"""begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfchar <0001> <05D0> endbfchar endcmap"""
    assert _runs_both_ways(_pdf(b"BT /F2 10 Tf <0001> Tj ET", hebrew))[0][1] is None
    assert _runs_both_ways(_pdf(b"BT /F9 10 Tf (x) Tj ET"))[0][1] is None


def test_a_font_is_built_once_per_document():
    reader = PdfReader(REPO / "samples" / "issue-200.pdf")
    decoders = pdftext.DocumentFonts()
    for page in reader.pages:
        pdftext.read_page(page, decoders, lambda *a: None)
    fonts = {id(f.get_object()) for page in reader.pages
             for f in page["/Resources"].get_object()["/Font"].values()}
    assert len(decoders._fonts) == len(fonts) < 5 * len(reader.pages)


def test_read_pdf_takes_the_oracle_s_path_for_a_page_that_falls_back(tmp_path):
    """A page of right-to-left text is read by pypdf inside read_pdf: its line is there."""
    hebrew = b"""begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfchar <0001> <05D0> endbfchar endcmap"""
    reader = _pdf(b"BT /F2 10 Tf 100 700 Td <0001> Tj ET BT /F1 10 Tf 100 600 Td (latin) Tj ET", hebrew)
    out = io.BytesIO()
    PdfWriter(clone_from=reader).write(out)
    [page] = pdf.read_pdf(out.getvalue(), "x.pdf", reader="pypdf")
    assert [line.text for line in page.lines] == ["\u05d0", "latin"]
