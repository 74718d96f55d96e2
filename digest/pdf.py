"""The only module that imports pypdf: a PDF in, lines with their layout out.

pypdf's plain ``extract_text`` loses what structure needs (font size, centring, indent) and
keeps content-stream order, which puts a TOC's page number before its dot leaders and a
footer wherever the producer drew it. So text is collected through pypdf's ``visitor_text``
hook as positioned runs, de-duplicated (fake bold draws each run twice), grouped into lines by
baseline and ordered left to right. Glyph widths are estimated from the font size (ideographs
are one em, other characters half), which is all that gap and centring decisions need.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from digest.errors import EncryptedError, InputError, MissingExtraError, UsageError
from digest.text import width

# Runs whose baselines differ by less than this fraction of the font size share a line.
SAME_LINE = 0.45
# Runs drawn twice within this fraction of the font size (fake bold) count once.
DUPLICATE_OFFSET = 0.35
# A horizontal gap wider than this fraction of the font size becomes a space.
GAP_SPACE = 0.3
# How many runs back a fake-bold duplicate is looked for (it follows its original closely).
DUPLICATE_WINDOW = 8
# Digits drawn one by one ("１" "５") belong to one number unless a whole em apart.
DIGIT_GAP = 1.0
# A fallback glyph may start this much (em) after the blank estimated for it.
INLAY_SLACK = 0.75
# A fallback font draws punctuation (“”, ——), never letters, digits or ideographs: groups of
# at most this many glyphs.
INLAY_MAX_GLYPHS = 2
INLAY_MIN_CODE_POINT = 0x2010  # General Punctuation (‐ – — “ ” …) and beyond
_INLAY_MIN_CHAR = chr(INLAY_MIN_CODE_POINT)
# Font names that mean bold: explicit weights and the Hei (黑体) family used for titles.
BOLD_MARKERS = ("bold", "black", "heavy", "hei", "黑", "zhongsong", "中宋", "xiaobiaosong", "小标宋")


@dataclass
class Run:
    x: float  # where the run starts, as best known
    y: float
    size: float
    font: str
    text: str
    reported_x: float = 0.0  # the start pypdf reported
    end: float = 0.0  # where it ends, estimated from the font size

    def __post_init__(self):
        self.end = self.x + width(self.text) * self.size


@dataclass(frozen=True)
class RawLine:
    """A line as drawn, what every reader (pypdf here, PDFium, OCR) hands to the structure stage.

    ``text`` is uncleaned; ``x0``/``x1`` its left and right ends and ``y`` its baseline, in PDF
    units (y grows upwards); ``size`` the font size (mean over its characters, in the same
    units); ``bold`` whether most characters are in a bold or Hei face. ``font`` is the family
    most of its characters use, without a subset prefix ("SimHei", "NotoSerifCJKsc-Regular"),
    "" where a reader cannot tell (OCR): lines of one style share it, which is all structure
    needs of it.
    """

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    font: str = ""


@dataclass(frozen=True)
class RawPage:
    lines: tuple[RawLine, ...]


# What a damaged PDF makes pypdf raise, beyond its own errors: it parses untrusted bytes with
# plain Python (zlib, struct, int(), dict lookups, recursion over nested objects).
_DAMAGE = (ValueError, LookupError, TypeError, AttributeError, ArithmeticError, RecursionError,
           AssertionError, NotImplementedError, EOFError, zlib.error, struct.error)
MAX_REPAIRS_SHOWN = 3  # pypdf's own words for the first few repairs; the rest as a count


# The readers that turn a PDF into runs: pypdf (always there, the default) and PDFium
# (``digest[fast]``, several times faster; see pdfium.py for where their lines differ).
# "auto" is PDFium when it is installed, else pypdf.
READERS = ("pypdf", "pdfium")
AUTO = "auto"
DEFAULT_READER = "pypdf"


def reader_for(name: str | None) -> str:
    """The reader ``name`` stands for: one of READERS (None: DEFAULT_READER; "auto": PDFium
    when it is installed, else pypdf)."""
    if name is None:
        return DEFAULT_READER
    if name == AUTO:
        from digest import pdfium

        return "pdfium" if pdfium.available() else "pypdf"
    if name not in READERS:
        raise UsageError(f"--reader {name}: choose one of {', '.join((AUTO, *READERS))}")
    return name


def require_reader(name: str | None, source: str | None = None) -> str:
    """``reader_for(name)``, checked to be installed: MissingExtraError naming the install if
    PDFium is asked for and missing (``source``, if given, opens the message)."""
    name = reader_for(name)
    if name == "pdfium":
        from digest import pdfium

        if not pdfium.available():
            where = f"{source}: " if source else ""
            raise MissingExtraError(f"{where}the PDFium reader needs pypdfium2: "
                                    "pip install 'digest[fast]' (or use --reader pypdf)")
    return name


def read_pdf(data: bytes, source: str, password: str | None = None,
             repairs: list[str] | None = None, reader: str | None = None) -> list[RawPage]:
    """Read every page's lines with ``reader`` (see ``reader_for``); raise
    InputError/EncryptedError with advice on failure.

    ``repairs``, if given, receives what pypdf had to work around in a damaged file (a broken
    cross-reference table, a missing object): text may be missing, and the caller warns.
    """
    if require_reader(reader, source) == "pdfium":
        from digest import pdfium

        return pdfium.read_pdf(data, source, password)
    return _read_pypdf(data, source, password, repairs)


def lines_of_runs(runs: list[Run]) -> list[RawLine]:
    """A page's lines from its runs in drawing order: de-duplicated, grouped, ordered."""
    return _lines(_dedupe(runs))


def _read_pypdf(data: bytes, source: str, password: str | None,
                repairs: list[str] | None) -> list[RawPage]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    with _pypdf_warnings() as caught:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _unlock(reader, source, password)
            fonts: dict[int, str] = {}  # a font's name by its dictionary, for the whole document
            from digest.pdftext import DocumentFonts

            decoders = DocumentFonts()  # each font's decoding, built once for the document
            pages = [_read_page(page, fonts, decoders) for page in reader.pages]
        except (EncryptedError, InputError):
            raise
        except FileNotDecryptedError as exc:
            raise EncryptedError(f"{source}: the PDF is encrypted; give its password with "
                                 "--password") from exc
        except MemoryError:
            raise InputError(f"{source}: the PDF is damaged or too complex to read in the "
                             "memory available; try re-saving it from a PDF viewer") from None
        except (PyPdfError, *_DAMAGE) as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise InputError(f"{source}: the PDF is damaged and cannot be read ({reason}); "
                             "try re-saving it from a PDF viewer") from exc
    if repairs is not None and caught:
        repairs.append(_repair_warning(caught))
    return pages


@dataclass(frozen=True)
class PageScan:
    """What OCR needs of a page: its size in points and, when the page is one image that
    fills it (as a scanner writes a page), that image as stored (JPEG, or PNG from pypdf)."""

    index: int
    width: float
    height: float
    image: bytes | None  # None: render the page instead
    has_images: bool  # any image at all: a page without one and without text is blank


# A scanned page's image has the page's proportions; a picture on a text page does not.
IMAGE_FILLS_PAGE = 0.02


def page_scans(data: bytes, source: str, password: str | None, indices: list[int]) -> list[PageScan]:
    """The size and, where there is one, the page-filling image of the pages ``indices``."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    with _pypdf_warnings():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _unlock(reader, source, password)
            return [_page_scan(reader.pages[i], i) for i in indices]
        except (EncryptedError, InputError):
            raise
        except (PyPdfError, *_DAMAGE) as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise InputError(f"{source}: the images of its scanned pages cannot be read ({reason}); "
                             "try re-saving it from a PDF viewer") from exc


def _page_scan(page, index: int) -> PageScan:
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    resources = page.get("/Resources")
    xobjects = resources.get("/XObject", {}) if resources else {}
    has_images = any(xobjects[k].get_object().get("/Subtype") == "/Image" for k in xobjects)
    image = None
    if has_images and not page.get("/Rotate", 0) and len(xobjects) == 1:
        found = page.images
        if len(found) == 1:
            w, h = found[0].image.size
            if abs(w / h - width / height) <= IMAGE_FILLS_PAGE * width / height:
                image = found[0].data
    return PageScan(index, width, height, image, has_images)


def _repair_warning(caught: list[str]) -> str:
    shown = "; ".join(dict.fromkeys(caught[:MAX_REPAIRS_SHOWN]))
    more = f" and {len(caught) - MAX_REPAIRS_SHOWN} more" if len(caught) > MAX_REPAIRS_SHOWN else ""
    return (f"the PDF is damaged and was read around the damage (pypdf: {shown}{more}); "
            "articles or text may be missing — check against the original")


@contextmanager
def _pypdf_warnings():
    """pypdf's log warnings, collected instead of printed (they are ours to phrase)."""
    import logging  # here: pypdf imports it anyway, and PDFium's reader has no use for it

    logger = logging.getLogger("pypdf")
    caught: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage().splitlines()[0][:120])

    handler = Collect(logging.WARNING)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield caught
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _unlock(reader, source: str, password: str | None) -> None:
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt(password or "")
    except Exception as exc:
        raise EncryptedError(f"{source}: cannot decrypt the PDF ({exc})") from exc
    if not ok:
        hint = "the password is wrong" if password else "give its password with --password"
        raise EncryptedError(f"{source}: the PDF is encrypted; {hint}")


def _read_page(page, fonts: dict[int, str], decoders=None) -> RawPage:
    """The page's lines; ``fonts`` caches font names over the document (pypdf hands over the
    same resolved font dictionary on every page that uses the font).

    With ``decoders`` (a pdftext.DocumentFonts for the document), read by pdftext.py, which
    reports what pypdf's extract_text would, cheaper; a page it cannot read exactly (see
    there) is read by pypdf's extract_text.
    """
    runs: list[Run] = []
    visit = _visitor(runs, fonts)
    if decoders is not None:
        from pypdf.errors import PyPdfError

        from digest import pdftext

        try:
            pdftext.read_page(page, decoders, visit)
            return page_from_runs(_dedupe(runs))
        except (pdftext.NotExact, PyPdfError, *_DAMAGE):
            runs.clear()  # nothing is reported before the page is read through; to be sure
    page.extract_text(visitor_text=visit)
    return page_from_runs(_dedupe(runs))


def _visitor(runs: list[Run], fonts: dict[int, str]):
    """The visitor_text that appends pypdf's positioned texts to ``runs``."""

    def visit(text, cm, tm, font_dict, font_size):
        text = text.strip("\n")
        if not text or text.isspace():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        font = fonts.get(id(font_dict))
        if font is None:
            font = fonts[id(font_dict)] = font_dict.get("/BaseFont", "") if font_dict else ""
        size = (font_size or 1.0) * (scale or 1.0)
        start = x
        if runs:
            last = runs[-1]
            if abs(last.reported_x - x) < 1e-3 and abs(last.y - y) < 1e-3:
                # pypdf reports the line's start again for text that continues it (after a
                # font switch, say): the run really starts where the previous one ends.
                start = last.end
        runs.append(Run(start, y, size, font, text, reported_x=x))

    return visit


def page_from_runs(runs: list[Run]) -> RawPage:
    """Runs from any reader (this one, OCR) grouped into lines, top to bottom."""
    return RawPage(tuple(_lines(runs)))


def _dedupe(runs: list[Run]) -> list[Run]:
    """Drop a run drawn again a hair's breadth from an identical one (fake bold)."""
    kept: list[Run] = []
    for run in runs:
        tol = DUPLICATE_OFFSET * run.size
        for k in kept[-DUPLICATE_WINDOW:]:
            if k.text == run.text and 0 < abs(k.x - run.x) + abs(k.y - run.y) < tol:
                break
        else:
            kept.append(run)
    return kept


@lru_cache(maxsize=256)
def _is_bold(font: str) -> bool:
    name = str(font).lower()
    return any(marker in name for marker in BOLD_MARKERS)


def _lines(runs: list[Run]) -> list[RawLine]:
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.y):
        if rows and abs(rows[-1][0].y - run.y) < SAME_LINE * max(run.size, rows[-1][0].size):
            rows[-1].append(run)
        else:
            rows.append([run])
    return [_join(_inlay(sorted(row, key=lambda r: r.x))) for row in rows]


def _inlay(row: list[Run]) -> list[Run]:
    """Put glyphs drawn in a fallback font back into the blanks left for them.

    A producer that falls back to another font for some glyphs (LibreOffice draws “” in a
    Japanese face) writes the line with a blank where each such glyph goes, then the glyphs
    at their places: "浙江 最多跑一次 改革" and "“ ”" at the first blank. Sorted by x they
    would follow the whole line; filled into the blanks from where they start, in order (over
    several runs where a justified line is cut into many), they read right.

    Such glyphs are runs of them in another font family than the line's main one (that of most
    of its non-ASCII text; subsets of one font are one family); their hosts are the runs of the
    other fonts, punctuation of the main font included.
    """
    glyphs = [inlay_glyphs(r) for r in row]
    if not any(glyphs):
        return row
    fonts: dict[str, float] = {}
    for r, g in zip(row, glyphs):
        if not g:
            fonts[_family(r.font)] = fonts.get(_family(r.font), 0) + _style_weight(r.text)
    main = max(fonts, key=fonts.__getitem__) if fonts else None
    inlays = [r for r, g in zip(row, glyphs) if g and _family(r.font) != main]
    kept = [r for r, g in zip(row, glyphs) if not g or _family(r.font) == main]
    for r in inlays:
        kept += _place([h for h in row if h.font != r.font], r)
    return sorted(kept, key=lambda r: r.x)


def inlay_glyphs(run: Run) -> bool:
    """Punctuation a fallback font draws (“”, ——): short groups of general or CJK punctuation,
    no letters, digits or ideographs (nor Latin-1 bytes of GBK text not yet re-decoded)."""
    first = run.text.lstrip()[:1]
    if not first or first.isalnum() or first < _INLAY_MIN_CHAR:
        return False  # most runs: at their first character
    groups = run.text.split()
    return (bool(groups) and max(len(g) for g in groups) <= INLAY_MAX_GLYPHS
            and all(not ch.isalnum() and ord(ch) >= INLAY_MIN_CODE_POINT for ch in "".join(groups)))


# A hole between two runs of a line, wide enough for a fallback glyph: this much of an em.
HOLE_MIN = 0.5


@dataclass(frozen=True)
class _Slot:
    """Where a fallback glyph group can go: blank ``index`` of ``host``'s text, or (index
    None) the hole after ``host`` (before the line's first run when ``host`` is None)."""

    x: float
    host: Run | None
    index: int | None


def _place(hosts: list[Run], run: Run) -> list[Run]:
    """``run``'s glyph groups ("——" is one, "“ ”" two) set into the line's blanks and holes from
    its start on, one slot a group, in order; the runs to keep for it (none where every group
    went into a host's blank, ``run`` itself where the slots are too few)."""
    groups = run.text.split()
    slots = _slots(hosts, run)
    inside = any(h.x < run.x < h.end for h in hosts)
    if not slots or len(slots) < len(groups) - (1 if inside else 0):
        return [run]
    if len(groups) == 1 and (slots[0].index is None or (not inside
                             and abs(slots[0].x - run.x) > INLAY_SLACK * run.size)):
        return [run]  # a glyph standing in a hole, or apart: at its own place
    added: list[Run] = []
    # Right to left, so that filling a blank with two glyphs does not move the blanks before it.
    for slot, group in reversed(list(zip(slots, groups))):
        if slot.index is None:
            added.append(Run(slot.x, run.y, run.size, run.font, group, reported_x=slot.x))
        else:
            host = slot.host
            host.text = host.text[:slot.index] + group + host.text[slot.index + 1:]
            host.end = host.x + width(host.text) * host.size  # a glyph is wider than its blank
    if len(slots) < len(groups):
        # No slot left for the last glyphs (the run starts inside a host): they close the line.
        hosts[-1].text += groups[-1]
    return added


def _slots(hosts: list[Run], run: Run) -> list[_Slot]:
    """The blanks and holes of a line (hosts sorted by x) from ``run``'s start on, by x.

    A blank is a space inside the line, a host's trailing one included when another host
    follows (pypdf reads the gap left for a glyph as a space; PDFium reads none). A hole is a
    gap between hosts at least HOLE_MIN em wide after a host that does not end in a blank, or
    the space before the line's first host where the run starts there.
    """
    first = run.x - INLAY_SLACK * run.size
    slots: list[_Slot] = []
    if hosts and hosts[0].x - run.x >= HOLE_MIN * run.size:
        slots.append(_Slot(run.x, None, None))
    for n, host in enumerate(hosts):
        if host.end < first:
            continue  # its blanks and the hole after it all lie before the run
        last = n + 1 == len(hosts)
        end = len(host.text.rstrip()) if last else len(host.text)
        offset = 0.0
        for k, ch in enumerate(host.text):
            x = host.x + offset * host.size
            if ch == " " and len(host.text) - len(host.text.lstrip()) <= k < end and x >= first:
                slots.append(_Slot(x, host, k))
            offset += width(ch)
        # A blank left for a glyph is as wide as the glyph, not a space: the host really ends
        # later than estimated, and the gap after it is no hole.
        shortfall = host.text.count(" ") * (1 - width(" ")) * host.size
        if (not last and not host.text.endswith(" ") and host.end >= first
                and hosts[n + 1].x - host.end - shortfall >= HOLE_MIN * run.size):
            slots.append(_Slot(host.end, host, None))
    return sorted(slots, key=lambda s: s.x)

def _join(row: list[Run]) -> RawLine:
    parts: list[str] = []
    for prev, run in zip([None, *row], row):
        gap = run.x - prev.end if prev is not None else 0.0
        digits = prev is not None and prev.text[-1:].isdigit() and run.text[:1].isdigit()
        if gap > (DIGIT_GAP if digits else GAP_SPACE) * run.size:
            parts.append(" ")
        parts.append(run.text)
    chars = sum(len(r.text) for r in row)
    size = sum(r.size * len(r.text) for r in row) / max(chars, 1)
    # The line's font and weight are those of most of its non-ASCII characters: Latin and
    # digits set in a Western face ("HK$80", maybe a bold one) do not change a Chinese line's
    # style. (ASCII counts a hundredth, to decide a line of ASCII alone.)
    fonts: dict[str, float] = {}
    for r in row:
        fonts[r.font] = fonts.get(r.font, 0) + _style_weight(r.text)
    bold = sum(w for f, w in fonts.items() if _is_bold(f)) * 2 > sum(fonts.values())
    return RawLine("".join(parts), row[0].x, max(r.end for r in row), row[0].y, size,
                   bold, _family(max(fonts, key=fonts.__getitem__)))


def _style_weight(text: str) -> float:
    ascii_chars = len(text.encode("ascii", "ignore"))
    return len(text) - ascii_chars + 0.01 * ascii_chars


@lru_cache(maxsize=256)
def _family(font: str) -> str:
    """"/ABCDEF+SimHei" → "SimHei": the subset prefix differs between subsets of one font."""
    name = str(font).lstrip("/")
    return name.split("+", 1)[1] if "+" in name[:7] else name
