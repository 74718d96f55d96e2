"""The PDFium reader (``digest[fast]``): the only module that imports pypdfium2.

It yields the same positioned runs as the pypdf reader (pdf.py) and builds lines with the same
code, several times faster. A run is one text object of the page (one show-text operation): its
text through the page's character map, its origin and size from the object's matrix, its font's
base name (without a subset prefix: /UMingCN-0 where pypdf says /AAAAAA+UMingCN-0).

Where the two readers differ: a run that continues a line without moving the pen (after a font
switch, say). pypdf reports the line's start again and pdf.py places the run at the *estimated*
end of the previous one (one em an ideograph, half for ASCII), so the two touch; PDFium knows
the true position. A run on the previous run's baseline that starts at most ``GAP_SPACE``
after that estimated end is placed there too, as pdf.py does (one that starts before it keeps
its true place: where glyphs narrower than the estimate are drawn one by one, "-4,648,986.52",
moving each to the previous estimated end drifted them right until a glyph at its true place
sorted before them: "-4,648,9865.2"); but on justified lines (TJ offsets
spread the glyphs) the true position can be further, and the line gets a space pypdf's does
not: "人民币 6 亿元" for pypdf's "人民币6 亿元". On the committed samples the rebuilt TOC, the
masthead and every article's title, section and pages are the same with both readers; bodies
differ in such spaces, and two of the rendered layout cases in a title's space. LibreOffice's
fallback-font quotes go back into the same places with both (pypdf reads the blank left for a
quote as a space, PDFium as a hole between runs; pdf.py's inlay step takes either). GBK fonts
without a ToUnicode map come out right from PDFium where pypdf gives mojibake that
text.repair_mojibake then undoes.
"""

from __future__ import annotations

import ctypes
import math

from digest.errors import EncryptedError, InputError
from digest.pdf import GAP_SPACE, RawPage, Run, lines_of_runs

# PDFium's error code for a missing or wrong password (FPDF_ERR_PASSWORD).
_ERR_PASSWORD = 4


def available() -> bool:
    """Whether pypdfium2 is installed (``pip install 'digest[fast]'``)."""
    try:
        import pypdfium2  # noqa: F401 - the reader imports it next anyway
    except ImportError:
        return False
    return True


def read_pdf(data: bytes, source: str, password: str | None = None) -> list[RawPage]:
    """Every page's lines, as pdf.read_pdf gives them; the same errors."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _ERR_PASSWORD:
            hint = "the password is wrong" if password else "give its password with --password"
            raise EncryptedError(f"{source}: the PDF is encrypted; {hint}") from None
        raise InputError(f"{source}: the PDF is damaged and cannot be read ({exc}); "
                         "try re-saving it from a PDF viewer") from None
    try:
        return [_read_page(doc[i]) for i in range(len(doc))]
    finally:
        doc.close()


def _read_page(page) -> RawPage:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    runs: list[Run] = []
    fonts: dict[int, str] = {}  # a font's name is read once per page
    try:
        texts = _texts_by_object(raw, textpage.raw)
        for obj, (a, b, _c, _d, x, y) in _text_objects(raw, page.raw):
            text = texts.get(_address(obj), "").strip("\n\r\x00")
            if not text or text.isspace():
                continue
            size = _font_size(raw, obj) * (math.hypot(a, b) or 1.0)
            font = _font_name(raw, obj, fonts)
            start = x
            if runs:
                last = runs[-1]
                if abs(last.y - y) < 1e-3 and 0 <= x - last.end < GAP_SPACE * size:
                    start = last.end  # continues the previous run: see the module docstring
            runs.append(Run(start, y, size or 1.0, font, text, reported_x=x))
    finally:
        textpage.close()
        page.close()
    return RawPage(tuple(lines_of_runs(runs)))


def _address(handle) -> int:
    """What identifies a PDFium object (a non-null handle): its address."""
    return ctypes.addressof(handle.contents)  # 40x faster than ctypes.cast(...).value


def _texts_by_object(raw, textpage) -> dict[int, str]:
    """The text of every text object of the page, from one pass over the page's characters
    (asking each object for its text searches the page each time: quadratic)."""
    chars: dict[int, list[str]] = {}
    for i in range(raw.FPDFText_CountChars(textpage)):
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if obj:  # characters PDFium generates (line breaks, spaces) belong to no object
            chars.setdefault(_address(obj), []).append(chr(raw.FPDFText_GetUnicode(textpage, i)))
    return {k: "".join(v) for k, v in chars.items()}


def _text_objects(raw, page, parent=None, matrix=(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)):
    """(text object, its matrix in page space) in drawing order, inside form XObjects too."""
    m = raw.FS_MATRIX()
    count = raw.FPDFFormObj_CountObjects(parent) if parent else raw.FPDFPage_CountObjects(page)
    for i in range(count):
        obj = raw.FPDFFormObj_GetObject(parent, i) if parent else raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        local = _times((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            yield obj, local
        else:
            yield from _text_objects(raw, page, obj, local)


def _times(m, n):
    """The affine matrix m, then n (PDF order: a point is transformed by m first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _font_size(raw, obj) -> float:
    size = ctypes.c_float()
    return float(size.value) if raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)) else 0.0


def _font_name(raw, obj, fonts: dict[int, str]) -> str:
    font = raw.FPDFTextObj_GetFont(obj)
    key = _address(font) if font else 0
    name = fonts.get(key)
    if name is None:
        n = raw.FPDFFont_GetBaseFontName(font, None, 0)
        buf = ctypes.create_string_buffer(max(n, 1))
        if n:
            raw.FPDFFont_GetBaseFontName(font, buf, n)
        name = fonts[key] = "/" + buf.value.decode("latin-1")  # as pypdf writes /BaseFont
    return name
