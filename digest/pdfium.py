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
import os
import sys
from itertools import repeat

from digest.errors import EncryptedError, InputError
from digest.pdf import GAP_SPACE, RawPage, Run, lines_of_runs

# PDFium's error codes when a document does not load (FPDF_ERR_*), in pypdfium2's words.
_ERR_PASSWORD = 4
_LOAD_ERRORS = {1: "Unknown error", 2: "File access error", 3: "Data format error",
                4: "Incorrect password error", 5: "Unsupported security scheme error",
                6: "Page not found or content error"}


def available() -> bool:
    """Whether pypdfium2 is installed (``pip install 'digest[fast]'``)."""
    try:
        _api()
    except ImportError:
        return False
    return True


# The C functions the reader calls, declared as in PDFium's headers (fpdfview.h, fpdf_text.h,
# fpdf_edit.h), every handle (a document, a page, a page object, a font) a plain address: an
# int, which is also what identifies an object. pypdfium2's bindings wrap each handle they
# return in a ctypes pointer object, and a page of a few thousand characters and objects spends
# more on those than on the calls.
_HANDLE = ctypes.c_void_p
_INT, _UINT, _ULONG, _SIZE = ctypes.c_int, ctypes.c_uint, ctypes.c_ulong, ctypes.c_size_t
_FUNCTIONS = {  # name: (result type, argument types)
    "FPDF_InitLibraryWithConfig": (None, (_HANDLE,)),  # FPDF_LIBRARY_CONFIG*
    "FPDF_LoadMemDocument64": (_HANDLE, (ctypes.c_void_p, _SIZE, ctypes.c_char_p)),
    "FPDF_GetPageCount": (_INT, (_HANDLE,)),
    "FPDF_GetLastError": (_ULONG, ()),
    "FPDF_CloseDocument": (None, (_HANDLE,)),
    "FPDF_LoadPage": (_HANDLE, (_HANDLE, _INT)),
    "FPDF_ClosePage": (None, (_HANDLE,)),
    "FPDFText_LoadPage": (_HANDLE, (_HANDLE,)),
    "FPDFText_ClosePage": (None, (_HANDLE,)),
    "FPDFText_CountChars": (_INT, (_HANDLE,)),
    "FPDFText_GetTextObject": (_HANDLE, (_HANDLE, _INT)),
    "FPDFText_GetUnicode": (_UINT, (_HANDLE, _INT)),
    "FPDFPage_CountObjects": (_INT, (_HANDLE,)),
    "FPDFPage_GetObject": (_HANDLE, (_HANDLE, _INT)),
    "FPDFFormObj_CountObjects": (_INT, (_HANDLE,)),
    "FPDFFormObj_GetObject": (_HANDLE, (_HANDLE, _ULONG)),
    "FPDFPageObj_GetType": (_INT, (_HANDLE,)),
    "FPDFPageObj_GetMatrix": (_INT, (_HANDLE, ctypes.c_void_p)),  # FS_MATRIX*
    "FPDFTextObj_GetFontSize": (_INT, (_HANDLE, ctypes.c_void_p)),  # float*
    "FPDFTextObj_GetFont": (_HANDLE, (_HANDLE,)),
    "FPDFFont_GetBaseFontName": (_SIZE, (_HANDLE, ctypes.c_char_p, _SIZE)),
}
# Called once for each character of a page with (FPDF_TEXTPAGE, int index), so also declared
# without argument types: called with the page as one c_void_p and the index as an int, which
# ctypes passes as a C int, each call costs a third less than with every argument converted.
_PER_CHARACTER = ("FPDFText_GetTextObject", "FPDFText_GetUnicode")
# FPDF_PAGEOBJ_TEXT and FPDF_PAGEOBJ_FORM of FPDFPageObj_GetType (fpdf_edit.h).
_TEXT_OBJECT, _FORM_OBJECT = 1, 5


class _Matrix(ctypes.Structure):  # FS_MATRIX (fpdfview.h)
    _fields_ = [(name, ctypes.c_float) for name in "abcdef"]


class _LibraryConfig(ctypes.Structure):  # FPDF_LIBRARY_CONFIG (fpdfview.h) as of its version 2
    _fields_ = [("version", ctypes.c_int), ("m_pUserFontPaths", ctypes.c_void_p),
                ("m_pIsolate", ctypes.c_void_p), ("m_v8EmbedderSlot", ctypes.c_uint)]


_API = None


def _api():
    """_FUNCTIONS as attributes, PDFium initialised (once per process; pypdfium2 asking again,
    as OCR's rendering does, is a no-op inside PDFium). ImportError without pypdfium2."""
    global _API
    library = _library()  # each time: tests make pypdfium2 uninstalled for a while
    if _API is None:
        from types import SimpleNamespace

        def function(name: str, result, args):
            address = ctypes.cast(getattr(library, name), ctypes.c_void_p).value
            declared = ctypes.CFUNCTYPE(result, *(args or ()))(address)
            if args is None:
                declared.argtypes = None
            return declared

        api = SimpleNamespace(**{name: function(name, *types) for name, types in _FUNCTIONS.items()})
        for name in _PER_CHARACTER:  # the same functions, unchecked: see _texts_by_object
            setattr(api, f"{name}_unchecked", function(name, _FUNCTIONS[name][0], None))
        config = _LibraryConfig(version=2)
        api.FPDF_InitLibraryWithConfig(ctypes.byref(config))
        _API = api
    return _API


_LIBRARIES: dict[str, ctypes.CDLL] = {}


def _library():
    """PDFium's functions by name: the library pypdfium2 ships, loaded from pypdfium2_raw's
    folder (where its bindings load it from, by the platform's name for it) without importing
    the bindings. They declare PDFium's whole API, thousands of ctypes objects, and took as
    long to import as reading a small issue's pages. Where the library is not there (a
    pypdfium2 built on the system's PDFium, an older one), the bindings themselves."""
    import importlib.util

    spec = importlib.util.find_spec("pypdfium2_raw")  # None where it cannot be imported
    if spec is None:
        import pypdfium2.raw as raw  # an older pypdfium2; ImportError where there is none

        return raw
    path = os.path.join(spec.submodule_search_locations[0], _library_file_name())
    if not os.path.exists(path):
        import pypdfium2_raw

        return pypdfium2_raw
    library = _LIBRARIES.get(path)
    if library is None:
        library = _LIBRARIES[path] = ctypes.CDLL(path)
    return library


def _library_file_name() -> str:
    """PDFium's file name as pypdfium2_raw's bindings spell it on this platform."""
    if sys.platform.startswith(("win32", "cygwin", "msys")):
        return "pdfium.dll"
    if sys.platform.startswith(("darwin", "ios")):
        return "libpdfium.dylib"
    return "libpdfium.so"


def read_pdf(data: bytes, source: str, password: str | None = None) -> list[RawPage]:
    """Every page's lines, as pdf.read_pdf gives them; the same errors."""
    api = _api()
    secret = (password + "\x00").encode("utf-8") if password is not None else None
    doc = api.FPDF_LoadMemDocument64(data, len(data), secret)
    try:
        count = api.FPDF_GetPageCount(doc) if doc else 0
        if count < 1:
            code = api.FPDF_GetLastError()
            if code == _ERR_PASSWORD:
                hint = "the password is wrong" if password else "give its password with --password"
                raise EncryptedError(f"{source}: the PDF is encrypted; {hint}")
            reason = f"Failed to load document (PDFium: {_LOAD_ERRORS.get(code, f'error {code}')})."
            raise InputError(f"{source}: the PDF is damaged and cannot be read ({reason}); "
                             "try re-saving it from a PDF viewer")
        return [_read_page(api, doc, i, source) for i in range(count)]
    finally:
        if doc:
            api.FPDF_CloseDocument(doc)


def _read_page(api, doc: int, index: int, source: str) -> RawPage:
    page = api.FPDF_LoadPage(doc, index)
    if not page:
        raise InputError(f"{source}: PDFium cannot load page {index + 1}; try --reader pypdf, "
                         "or re-saving the PDF from a PDF viewer")
    textpage = api.FPDFText_LoadPage(page)
    try:
        texts = _texts_by_object(api, textpage).get
        placed: list[tuple[int, float, float, float, float]] = []
        _text_objects(api, page, None, _IDENTITY, placed)
        objects = [obj for obj, *_ in placed]
        sizes, has_size = _floats(api.FPDFTextObj_GetFontSize, objects, 1)
        fonts: dict[int, str] = {}  # a font's name is read once per page
        runs: list[Run] = []
        for (obj, a, b, x, y), font_size, sized, font in zip(
                placed, sizes, has_size, map(api.FPDFTextObj_GetFont, objects)):
            text = texts(obj, "").strip("\n\r\x00")
            if not text or text.isspace():
                continue
            size = (font_size if sized else 0.0) * (math.hypot(a, b) or 1.0)
            font = font or 0  # a handle, None (0) for none
            name = fonts.get(font) or _font_name(api, font, fonts)
            start = x
            if runs:
                last = runs[-1]
                if abs(last.y - y) < 1e-3 and 0 <= x - last.end < GAP_SPACE * size:
                    start = last.end  # continues the previous run: see the module docstring
            runs.append(Run(start, y, size or 1.0, name, text, reported_x=x))
    finally:
        if textpage:
            api.FPDFText_ClosePage(textpage)
        api.FPDF_ClosePage(page)
    return RawPage(tuple(lines_of_runs(runs)))


# PDFium is asked one thing of many characters or objects at a time through map(), with
# output buffers given as addresses into one array: a Python loop of ctypes calls, each with
# its own buffer and attribute reads, cost more than the calls themselves.


def _texts_by_object(api, textpage) -> dict[int, str]:
    """The text of every text object of the page, from one pass over the page's characters
    (asking each object for its text searches the page each time: quadratic)."""
    n = api.FPDFText_CountChars(textpage)
    page = ctypes.c_void_p(textpage)
    objects = map(api.FPDFText_GetTextObject_unchecked, repeat(page, n), range(n))
    chars = map(chr, map(api.FPDFText_GetUnicode_unchecked, repeat(page, n), range(n)))
    texts: dict[int, list[str]] = {}
    for obj, char in zip(objects, chars):
        if obj:  # characters PDFium generates (line breaks, spaces) belong to no object
            got = texts.get(obj)
            if got is None:
                texts[obj] = [char]
            else:
                got.append(char)
    return {k: "".join(v) for k, v in texts.items()}


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _text_objects(api, page: int, parent: int | None, matrix: tuple, out: list) -> None:
    """Append (text object, a, b, e, f of its matrix in page space) to ``out`` in drawing
    order, inside form XObjects too."""
    if parent:
        count = api.FPDFFormObj_CountObjects(parent)
        objects = list(map(api.FPDFFormObj_GetObject, repeat(parent, count), range(count)))
    else:
        count = api.FPDFPage_CountObjects(page)
        objects = list(map(api.FPDFPage_GetObject, repeat(page, count), range(count)))
    wanted = [(obj, kind) for obj, kind in zip(objects, map(api.FPDFPageObj_GetType, objects))
              if kind in (_TEXT_OBJECT, _FORM_OBJECT)]
    values, _ = _floats(api.FPDFPageObj_GetMatrix, [obj for obj, _ in wanted], 6)
    A, B, C, D, E, F = matrix
    for i, (obj, kind) in enumerate(wanted):
        a, b, c, d, e, f = values[6 * i: 6 * i + 6]
        if kind == _TEXT_OBJECT:  # the first, a, b, e and f of _times((a, ..., f), matrix)
            out.append((obj, a * A + b * C, a * B + b * D, e * A + f * C + E, e * B + f * D + F))
        else:
            _text_objects(api, page, obj, _times((a, b, c, d, e, f), matrix), out)


def _floats(function, objects: list[int], per: int) -> tuple[list[float], list]:
    """``function(obj, float *out)`` called for each object: the ``per`` floats of each in one
    list, and what each call returned."""
    values = (ctypes.c_float * (per * len(objects)))()
    base, step = ctypes.addressof(values), per * ctypes.sizeof(ctypes.c_float)
    returned = list(map(function, objects, range(base, base + step * len(objects), step)))
    return values[:], returned


def _times(m, n):
    """The affine matrix m, then n (PDF order: a point is transformed by m first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _font_name(api, font: int, fonts: dict[int, str]) -> str:
    """The base name of ``font`` (a handle, 0 for none), kept in ``fonts``."""
    n = api.FPDFFont_GetBaseFontName(font, None, 0) if font else 0
    buf = ctypes.create_string_buffer(max(n, 1))
    if n:
        api.FPDFFont_GetBaseFontName(font, buf, n)
    name = fonts[font] = "/" + buf.value.decode("latin-1")  # as pypdf writes /BaseFont
    return name
