"""Open what the user named: a PDF, a text extraction, or ``-`` for stdin → a ``Document``.

The kind of file is decided by its bytes, not its name: ``%PDF-`` in the first kilobyte is a
PDF; otherwise it must decode as text. Text encodings are detected the same way: a BOM, then
strict UTF-8, then UTF-16 without a BOM (every other byte NUL), then GB18030 (a superset of
GBK and GB2312, the encodings Chinese Windows software writes).

Input is bounded: only regular files and stdin are read. A FIFO, a device (``/dev/zero``) or a
socket is refused after a ``stat``, without opening it (opening a FIFO for reading blocks until
a writer comes). A file larger than ``max_size`` bytes is refused before it is read; stdin is
read up to ``max_size`` bytes and refused past that.

A PDF page whose text layer is missing (a scan) or garbage (mostly private-use characters,
U+FFFD or mojibake that ``text.repair_mojibake`` cannot mend) is read by OCR (``digest.ocr``,
the optional extra) under ``OcrMode.AUTO``; the other pages keep their text layer, so a
scanned cover over a text body is still one issue. OCR'd pages become the same positioned
lines as text-layer pages, before page furniture and geometry are worked out, so the rest
of reading and the structure stage never know which pages were scanned.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path

from digest.errors import InputError, NoTextError, OcrUnavailableError, TooLargeError
from digest.models import Document, OcrPage

PDF_MAGIC = b"%PDF-"
# A page with fewer extracted characters than this on average has no real text layer.
MIN_CHARS_PER_PAGE = 20
# A single page with fewer characters than this has no text layer (a footer alone is "— 3 —").
PAGE_MIN_CHARS = 10
# A page whose characters are mostly (more than this share) unreadable has a garbage layer.
GARBAGE_SHARE = 0.5
# Private use, U+FFFD, and Latin-1 letters left after the mojibake repair (· and × are real).
_UNREADABLE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd\x80-\xb6\xb8-\xd6\xd8-\xff]")
# A page read with a mean confidence below this is worth a warning.
WEAK_OCR = 0.85

Progress = Callable[[int, int], None]


class OcrMode(str, Enum):
    """Which PDF pages are read by OCR."""

    AUTO = "auto"  # pages with no text layer, or a garbage one
    ALWAYS = "always"  # every page, whatever its text layer says
    NEVER = "never"  # none: a scan is an error
# Bulletins are a few MB; a scanned issue with its images can reach a hundred. 256 MiB leaves
# room for those while stopping /dev/zero-like input before it exhausts memory.
DEFAULT_MAX_SIZE = 256 * 1024 * 1024
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
          "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def parse_size(text: str) -> int:
    """``"200M"``, ``"1.5G"``, ``"500k"`` or a byte count → bytes (binary units)."""
    t = text.strip().upper().replace(" ", "")
    number = t.rstrip("KMGIB")
    try:
        value = float(number) * _UNITS[t[len(number):]]
    except (ValueError, KeyError):
        raise InputError(f"--max-size {text}: give a size such as 200M, 1G or 500K") from None
    if value < 1:
        raise InputError(f"--max-size {text}: give a size of at least 1 byte")
    return int(value)


def human_size(n: int) -> str:
    for unit, size in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + unit
    return f"{n} bytes"


def check_file(path: str | Path, max_size: int = DEFAULT_MAX_SIZE) -> os.stat_result:
    """Refuse, without opening it, anything but a regular file of at most ``max_size`` bytes."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a folder; name a PDF or text file")
    for test, kind in _KINDS:
        if test(st.st_mode):
            raise InputError(f"{p}: is {kind}, not a file; save the issue to a file, or pipe "
                             "it in with - for stdin")
    if st.st_size > max_size:
        raise too_large(str(p), max_size, f"{human_size(st.st_size)}")
    return st


def too_large(source: str, max_size: int, size: str | None = None) -> TooLargeError:
    size = f" ({size})" if size else ""
    return TooLargeError(f"{source}: larger than --max-size {human_size(max_size)}{size}; a "
                         "bulletin is a few MB — check the file, or raise --max-size")


def read_bytes(path: str | Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[bytes, str]:
    """The raw bytes and the display name of the source (at most ``max_size`` bytes)."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(max_size + 1)
        if len(data) > max_size:
            raise too_large("stdin", max_size)
        return data, "-"
    p = Path(path)
    check_file(p, max_size)
    try:
        with p.open("rb") as fh:
            data = fh.read(max_size + 1)  # the file may have grown since the stat
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror})") from None
    if len(data) > max_size:
        raise too_large(str(p), max_size)
    return data, p.name


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]


def decode_text(data: bytes, source: str) -> str:
    """Decode text bytes, detecting UTF-8 (with or without BOM), UTF-16 and GB18030."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode(data, codec, source)
    if _looks_utf16(data):
        # ASCII in UTF-16LE has its zero byte second (odd offsets), in UTF-16BE first.
        little = data[1::2].count(0) > data[0::2].count(0)
        return _decode(data, "utf-16-le" if little else "utf-16-be", source)
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputError(f"{source}: neither a PDF nor text in UTF-8, UTF-16 or GB18030; "
                     "give a bulletin PDF or its text extraction")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    # UTF-16 puts a zero byte beside every ASCII character (newlines at least), always on the
    # same side; other encodings have no zero bytes at all.
    zeros = sorted((sample[0::2].count(0), sample[1::2].count(0)))
    return zeros[1] >= max(2, 0.01 * len(sample) / 2) and zeros[0] * 10 <= zeros[1]


def _decode(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: the text is not valid {codec} ({exc.reason} at byte "
                         f"{exc.start}); save it as UTF-8") from None


def read_document(path: str | Path, *, password: str | None = None,
                  max_size: int = DEFAULT_MAX_SIZE, ocr: OcrMode | str = OcrMode.AUTO,
                  jobs: int = 1, progress: Progress | None = None,
                  reader: str | None = None) -> Document:
    """Read a PDF or text file into cleaned pages (footers removed, page numbers learned).

    ``ocr`` says which PDF pages are read by OCR, ``jobs`` how many processes share them;
    ``progress(done, total)`` is called after each OCR'd page; ``reader`` is the PDF reader
    (pdf.READERS; default: pdf.DEFAULT_READER).
    """
    import hashlib  # here: its OpenSSL load is a tenth of `digest search`'s start-up

    from digest import pages

    data, source = read_bytes(path, max_size)
    if not data.strip():
        raise InputError(f"{source}: the file is empty")
    sha = hashlib.sha256(data).hexdigest()
    if is_pdf(data):
        from digest.pdf import read_pdf

        repairs: list[str] = []
        raw_pages = read_pdf(data, source, password, repairs, reader)
        if not raw_pages:
            raise InputError(f"{source}: the PDF has no pages")
        mode = OcrMode(ocr)
        raw_pages, ocr_pages, notes = _with_ocr(raw_pages, data, source, password, mode, jobs, progress)
        _require_text(raw_pages, source, mode, ocr_pages)
        doc = pages.from_pdf(raw_pages, source, sha)
        return replace(doc, ocr_pages=ocr_pages, warnings=(*repairs, *notes, *doc.warnings))
    if data[:1024].lstrip().startswith(b"%PDF"):
        raise InputError(f"{source}: looks like a damaged PDF; re-save it from a PDF viewer")
    if _is_binary(data):
        raise InputError(f"{source}: neither a PDF nor text but a binary file "
                         f"({_binary_kind(data)}); give a bulletin PDF or its text extraction")
    return pages.from_text(decode_text(data, source), source, sha)


_MAGIC = ((b"\x7fELF", "an ELF executable"), (b"PK\x03\x04", "a ZIP archive or Office document"),
          (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"\x1f\x8b", "gzip-compressed"), (b"MZ", "a Windows executable"),
          (b"SQLite format 3", "an SQLite database"), (b"\xd0\xcf\x11\xe0", "an old Office document"))
BINARY_CONTROL_SHARE = 0.1  # text has almost no control bytes besides tab, CR, LF, FF


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if any(sample.startswith(magic) for magic, _ in _MAGIC):
        return True
    if _looks_utf16(data) or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(b < 32 and b not in (9, 10, 12, 13, 27) for b in sample)
    return b"\x00" in sample or controls > BINARY_CONTROL_SHARE * len(sample)


def _binary_kind(data: bytes) -> str:
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), "unknown format")


def _require_text(raw_pages, source: str, mode: OcrMode, ocr_pages) -> None:
    chars = sum(len(line.text.strip()) for p in raw_pages for line in p.lines)
    if chars >= MIN_CHARS_PER_PAGE * len(raw_pages):
        return
    if mode is OcrMode.NEVER:
        raise NoTextError(f"{source}: the PDF has no text layer (a scanned document?); read it by "
                          "OCR with --ocr auto (needs pip install 'digest[ocr]')")
    if ocr_pages:
        raise NoTextError(f"{source}: the PDF has no text layer, and OCR found next to no text on "
                          "its pages either; is it a bulletin?")
    raise NoTextError(f"{source}: the PDF has no text layer and no scanned page images (blank "
                      "pages?): there is nothing to read")


def _unreadable(page) -> bool:
    """No text layer, or a garbage one."""
    from digest.text import clean_line

    text = "".join(clean_line(line.text) for line in page.lines).replace(" ", "")
    if len(text) < PAGE_MIN_CHARS:
        return True
    return len(_UNREADABLE_RE.findall(text)) > GARBAGE_SHARE * len(text)


def _with_ocr(raw_pages: list, data: bytes, source: str, password: str | None, mode: OcrMode,
              jobs: int, progress: Progress | None) -> tuple[list, tuple[OcrPage, ...], tuple[str, ...]]:
    """The pages with those that need it read by OCR; their OCR facts; warnings."""
    if mode is OcrMode.NEVER:
        return raw_pages, (), ()
    from digest.pdf import page_scans

    wanted = [i for i, p in enumerate(raw_pages) if mode is OcrMode.ALWAYS or _unreadable(p)]
    scans = page_scans(data, source, password, wanted) if wanted else []
    # Under auto, a page with neither text nor an image is blank: nothing to read.
    scans = [s for s in scans if mode is OcrMode.ALWAYS or s.has_images or raw_pages[s.index].lines]
    if not scans:
        return raw_pages, (), ()
    from digest import ocr

    try:
        ocr.require_engine()
    except OcrUnavailableError:
        if mode is OcrMode.ALWAYS or len(scans) == len(raw_pages):
            raise OcrUnavailableError(f"{source}: {_pages(scans)} no readable text layer (a scanned "
                                      "document?); to read it by OCR: pip install 'digest[ocr]'") from None
        return raw_pages, (), (f"{_pages(scans)} no readable text layer and were skipped; "
                               "to read them by OCR: pip install 'digest[ocr]'",)
    results = ocr.read_scans(data, password, scans, jobs=jobs, progress=progress)
    pages = list(raw_pages)
    for index, result in results.items():
        pages[index] = result.page
    infos = tuple(results[i].info for i in sorted(results))
    notes = tuple(f"page {p.index + 1} was read by OCR with a mean confidence of only {p.confidence:.2f}; "
                  "check its text" for p in infos if p.chars and p.confidence < WEAK_OCR)
    return pages, infos, notes


def _pages(scans) -> str:
    if len(scans) == 1:
        return f"page {scans[0].index + 1} has"
    return f"{len(scans)} pages have"
