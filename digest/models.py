"""Typed values that flow from one stage to the next (PDF → pages → issue → enrichment → export).

All are frozen: a stage returns new values (``dataclasses.replace``) instead of mutating.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Line:
    """One extracted line of text, already normalised.

    ``size`` (font size relative to the body text: 1.0 is body size), ``bold`` and ``centered``
    are known for PDFs and ``None`` for plain-text input. ``indent`` is the left offset from
    the text margin in em, ``short`` says the line stops well before the right margin.
    """

    text: str
    page: int  # physical page index, 0-based
    indent: float = 0.0
    short: bool = False
    size: float | None = None
    bold: bool | None = None
    centered: bool | None = None
    # Some extractors end every text block (paragraph, title) with a space: where a document
    # shows that habit, this says whether the line ends a block; None where unknown.
    ends_block: bool | None = None
    font: str | None = None  # font family (PDF input; "" where the reader cannot tell)


@dataclass(frozen=True)
class Page:
    """A physical page: its printed number (from a footer/header) and its body lines."""

    index: int  # 0-based physical index
    number: int | None  # printed page number, None when none was found
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class OcrPage:
    """A page read by OCR: its physical index (0-based), the mean confidence of its characters
    (0–1), how many characters it has and how many of them were read with low confidence."""

    index: int
    confidence: float
    chars: int
    low_confidence: int


@dataclass(frozen=True)
class Document:
    """What the reading stage hands on: cleaned pages of one source file."""

    source: str  # file name as given (base name for display)
    sha256: str  # hash of the raw bytes: the issue's identity in the library
    pages: tuple[Page, ...]
    has_layout: bool  # True when lines carry size/centre/indent information (PDF input)
    warnings: tuple[str, ...] = ()
    ocr_pages: tuple[OcrPage, ...] = ()  # the pages read by OCR, in page order


@dataclass(frozen=True)
class Masthead:
    bulletin: str | None = None
    year: int | None = None
    number: int | None = None  # 第 N 期
    total_number: int | None = None  # 总第 N 期
    publisher: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class TocEntry:
    """One entry of the printed 目录."""

    section: str | None  # plain name: "科创聚焦", not "【科创聚焦】" or "一、科创聚焦"
    title: str
    page: int | None
    section_printed: str | None = None  # the heading as printed, when it differs or not


class Status(str, Enum):
    """How an article of the rebuilt TOC compares with the printed TOC."""

    OK = "ok"
    WRONG_PAGE = "toc-page-wrong"  # the printed TOC gives another page
    NO_BODY = "no-body"  # a TOC entry whose title was not found in the body
    NOT_IN_TOC = "not-in-toc"  # a body article the printed TOC leaves out


@dataclass(frozen=True)
class Article:
    seq: int  # 1, 2, … in issue order
    section: str | None
    title: str  # as printed over the body (the TOC's wording when there is no body)
    page: int | None  # printed page the title stands on (the physical page where unnumbered)
    toc_page: int | None  # page the printed TOC claims, None when not in the TOC
    match: float | None  # 0–100 similarity of TOC title and body title, None when not in TOC
    status: Status
    body: tuple[str, ...] = ()  # paragraphs
    # Enrichment (regions, keywords, summary); empty until ``digest.enrich`` fills it.
    region: str | None = None
    regions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str | None = None
    physical_page: int | None = None  # 1-based sheet of the PDF/text the title stands on
    section_printed: str | None = None  # the section heading as printed ("【科创聚焦】")

    @property
    def text(self) -> str:
        return "\n".join(self.body)


@dataclass(frozen=True)
class Issue:
    source: str
    sha256: str
    masthead: Masthead
    toc: tuple[TocEntry, ...]
    articles: tuple[Article, ...]
    pages: int = 0
    warnings: tuple[str, ...] = field(default=())
    # The closing distribution block (报：… 送：… 责任编辑：…), which belongs to no article.
    end_matter: tuple[str, ...] = ()
    # The regional grouping (groupings.tsv) the issue is about, set by ``digest.enrich``.
    home: str | None = None
    ocr_pages: tuple[OcrPage, ...] = ()  # the pages read by OCR, in page order
