"""The rebuilt TOC written into the PDF as its outline (bookmarks). No typer, no rich.

One bookmark per section, one per article under it, each opening the physical page where the
article's title really stands, so a stale printed TOC does not mislead the outline. The PDF is
cloned object by object (pypdf's ``PdfWriter(clone_from=…)``): page content streams, fonts,
annotations and metadata are copied, not re-encoded; only the catalog's /Outlines (and
/PageMode, so that viewers open with the bookmarks shown) change. An existing outline is kept,
with the rebuilt TOC after it, unless ``replace`` drops it. An encrypted input is written
encrypted again with the same algorithm, permissions and password.

Pages: an article's physical page index is ``Article.physical_page - 1`` (that field counts sheets
from 1) where the structure stage provides it; otherwise it is found from the printed page number through the pages' learned
numbers (the first page printed with that number at or after the previous article's page).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.errors import EncryptedError, InputError
from digest.models import Article, Document, Issue
from digest.text import key


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # physical page index, 0-based
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class Bookmarked:
    """A bookmarked copy of one PDF: its bytes, the outline added, and what to tell the user."""

    source: str
    data: bytes
    outline: tuple[Bookmark, ...]
    pages: int
    kept: int  # top-level bookmarks of an existing outline that were kept
    warnings: tuple[str, ...] = ()


def bookmark_pdf(path: str | Path, *, password: str | None = None, replace: bool = False,
                 reader: str | None = None, ocr: str = "auto", jobs: int = 1,
                 progress=None) -> Bookmarked:
    """Read an issue PDF, rebuild its TOC, and return a copy with the TOC as its outline.

    ``ocr``, ``jobs`` and ``progress`` as for ``source.read_document``: a scanned issue is
    bookmarked like any other (its pages are copied as they are, pictures and all)."""
    from digest.issue import build_issue
    from digest.source import is_pdf, read_bytes, read_document

    data, source = read_bytes(path)
    if not is_pdf(data):
        raise InputError(f"{source}: not a PDF (a text extraction?); bookmarks go into a PDF, so "
                         "give the issue's PDF file")
    doc = read_document(path, password=password, reader=reader, ocr=ocr, jobs=jobs, progress=progress)
    issue = build_issue(doc)
    outline, warnings = plan_outline(issue, doc)
    if not outline:
        raise InputError(f"{source}: no article was found on a page, so there is nothing to "
                         "bookmark; check it with `digest toc`")
    from pypdf.errors import PyPdfError

    try:
        out, kept, pages = write_outline(data, outline, source=source, password=password, replace=replace)
    except (EncryptedError, InputError):
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise InputError(f"{source}: the PDF could be read but not copied ({exc}); try re-saving "
                         "it from a PDF viewer") from exc
    return Bookmarked(source, out, outline, pages, kept, tuple(warnings))


def plan_outline(issue: Issue, doc: Document) -> tuple[tuple[Bookmark, ...], list[str]]:
    """Sections with their articles, in issue order; articles without a section stand alone."""
    pages = _PageFinder(doc)
    top: list[tuple[str | None, list[Bookmark]]] = []
    warnings = []
    for article in issue.articles:
        page = pages.find(article)
        if page is None:
            warnings.append(f"no bookmark for “{article.title}”: its page in the PDF is not known "
                            "(a TOC entry with no body?)")
            continue
        mark = Bookmark(article.title, page)
        if article.section and top and top[-1][0] == article.section:
            top[-1][1].append(mark)
        else:
            top.append((article.section, [mark]))
    outline = []
    for section, marks in top:
        if section:
            outline.append(Bookmark(section, marks[0].page, tuple(marks)))
        else:
            outline += marks
    return tuple(outline), warnings


class _PageFinder:
    """Physical page index of an article: its own when known, else via printed numbers."""

    def __init__(self, doc: Document):
        self.count = len(doc.pages)
        self.by_number: dict[int, list[int]] = {}
        for page in doc.pages:
            if page.number is not None:
                self.by_number.setdefault(page.number, []).append(page.index)
        self.last = 0

    def find(self, article: Article) -> int | None:
        sheet = getattr(article, "physical_page", None)  # 1-based, where the structure stage knows it
        index = sheet - 1 if sheet is not None else None
        if index is None and article.page is not None:
            candidates = self.by_number.get(article.page, [])
            index = next((i for i in candidates if i >= self.last), candidates[0] if candidates else None)
        if index is None or not 0 <= index < self.count:
            return None
        self.last = index
        return index


def write_outline(data: bytes, outline: Sequence[Bookmark], *, source: str, password: str | None = None,
                  replace: bool = False) -> tuple[bytes, int, int]:
    """The PDF's bytes with ``outline`` added; also how many old top-level bookmarks were kept
    and the page count."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    encryption = _unlock(reader, source, password)
    writer = PdfWriter(clone_from=reader)
    # Bookmarking a bookmarked copy again replaces its outline rather than doubling it.
    replace = replace or _flat(reader, reader.outline) == [(key(m.title), m.page) for m in _walk(outline)]
    if replace and "/Outlines" in writer.root_object:
        del writer.root_object[NameObject("/Outlines")]
    kept = len(_top_level(writer))
    for mark in outline:
        _add(writer, mark, None, Fit)
    writer.page_mode = "/UseOutlines"
    if encryption is not None:
        writer.encrypt(**encryption)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue(), kept, len(reader.pages)


def _add(writer, mark: Bookmark, parent, fit_cls) -> None:
    page = writer.pages[mark.page]
    # /XYZ at the top of the page, zoom unchanged: opens the page where reading starts.
    top = float(page.mediabox.top)
    item = writer.add_outline_item(title=mark.title, page_number=mark.page, parent=parent,
                                   fit=fit_cls.xyz(left=None, top=top, zoom=None), is_open=True)
    for child in mark.children:
        _add(writer, child, item, fit_cls)


def _walk(outline: Sequence[Bookmark]):
    for mark in outline:
        yield mark
        yield from _walk(mark.children)


def _flat(reader, items) -> list[tuple[str, int | None]]:
    """An existing outline as (title key, page index) pairs, depth first."""
    out = []
    for item in items:
        if isinstance(item, list):
            out += _flat(reader, item)
        else:
            out.append((key(item.title or ""), reader.get_destination_page_number(item)))
    return out


def _top_level(writer) -> list:
    root = writer.root_object.get("/Outlines")
    if root is None:
        return []
    root = root.get_object()
    items, node = [], root.get("/First")
    while node is not None and len(items) < 100_000:
        node = node.get_object()
        items.append(node)
        node = node.get("/Next")
    return items


# pypdf's names for the standard security handler's algorithms, by (V, stream filter).
_ALGORITHMS = {1: "RC4-40", 2: "RC4-128", 4: "AES-128", 5: "AES-256"}


def _unlock(reader, source: str, password: str | None) -> dict | None:
    """Decrypt ``reader``; return how to encrypt the copy the same way (None: not encrypted)."""
    if not reader.is_encrypted:
        return None
    from pypdf import PasswordType

    try:
        kind = reader.decrypt(password or "")
    except Exception as exc:
        raise EncryptedError(f"{source}: cannot decrypt the PDF ({exc})") from exc
    if kind == PasswordType.NOT_DECRYPTED:
        hint = "the password is wrong" if password else "give its password with --password"
        raise EncryptedError(f"{source}: the PDF is encrypted; {hint}")
    enc = reader.trailer["/Encrypt"].get_object()
    version = int(enc.get("/V", 1))
    algorithm = _ALGORITHMS.get(version, "AES-256")
    if version == 4 and enc.get("/CF", {}).get("/StdCF", {}).get("/CFM") == "/V2":
        algorithm = "RC4-128"
    user = password or ""
    if kind == PasswordType.OWNER_PASSWORD and _opens_without_password(reader):
        user = ""  # permissions-only encryption: the copy opens without a password too
    # The owner's password is unknown unless it was given: a random one keeps the original's
    # permissions binding on the copy instead of handing every reader the owner's rights.
    owner = password if kind == PasswordType.OWNER_PASSWORD and password else secrets.token_hex(16)
    return {"user_password": user, "owner_password": owner, "algorithm": algorithm,
            "permissions_flag": int(enc.get("/P", -1)) & 0xFFFFFFFF}


def _opens_without_password(reader) -> bool:
    from pypdf import PasswordType, PdfReader

    fresh = PdfReader(reader.stream, strict=False)
    return fresh.decrypt("") != PasswordType.NOT_DECRYPTED


def pdfs_in(folder: str | Path) -> list[Path]:
    """The PDF files directly in ``folder``, by name (hidden files left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; --all takes the folder holding the issues' PDFs")
    paths = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() == ".pdf" and p.is_file() and not p.name.startswith("."))
    if not paths:
        raise InputError(f"{folder}: holds no .pdf files")
    return paths
