"""Build the sample issue PDFs in samples/ and their ground truth from samples/source/*.json.

    pip install -e '.[samples]'       # reportlab
    python scripts/make_samples.py    # needs fonts-arphic-uming, fonts-wqy-zenhei, fonts-wqy-microhei

Three layouts of the same issue, each a family the tool must read:

- issue-200.pdf: close to GB/T 9704 (the layout of Chinese government documents): red masthead,
  a 目录 with dot leaders whose page numbers are the true pages of this PDF (two-pass build),
  centred Hei titles, justified Ming paragraphs with a two-character indent, footer "— N —".
- issue-200-stale.pdf: other margins and sizes, so articles move; a running header, footer
  "- N -", a TOC with "……" leaders, full-width page numbers and wrapped entries, whose numbers
  are the ones printed in the source (the TOC of another layout): a stale TOC.
- issue-200-notoc.pdf: no TOC, left-aligned bold titles, 【section】 headings, Hei body,
  footer "第 N 页", a masthead in two columns.

Each PDF gets samples/<name>.truth.json, written from what was built (the page a title was drawn
on is recorded while drawing), never by reading the PDF back. Fonts must be TrueType: reportlab
cannot embed the CFF outlines of Noto CJK. Output is deterministic (reportlab's invariant mode).

What a reader of these PDFs meets (as in real ones): reportlab embeds a TrueType font as simple
fonts of 256 glyphs each (AAAAAA+UMingCN-0, AAAAAB+UMingCN-0, ...), so a line of Chinese is
several Tj runs with a font switch every few characters, and pypdf's visitor reports the line's
start position for all of them; justified lines are spread with character spacing (Tc); centred
titles and indented first lines start with a space in pypdf's plain text.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as paragraph_module
from reportlab.platypus.flowables import HRFlowable

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "source" / "issue-200.json"
OUT = ROOT / "samples"

FONTS = {  # name: (Debian path, index in the collection)
    "Ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN: a Song face
    "ZenHei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "MicroHei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
}
RED = colors.HexColor("#D40000")
MAX_PASSES = 5  # TOC numbers feed back into page breaks only through the TOC's own length


@dataclass(frozen=True)
class Layout:
    """Everything that differs between the three samples."""

    name: str
    margins: tuple[float, float, float, float]  # left, right, top, bottom (mm)
    body_font: str
    body_size: float
    body_leading: float
    title_font: str
    title_size: float
    title_align: int
    title_bold: bool  # stroke the glyphs (text render mode 2): how office suites fake bold
    section_format: str
    footer: str
    footer_align: str  # "center" or "right"
    footer_last: bool  # drawn after the page's text, so it comes last in the extracted text
    running_header: bool
    masthead: str  # "centred" or "columns"
    issue_line: str  # with or without Word's spaces between digits and CJK
    toc: str | None  # None, "dots" ("......") or "ellipsis" ("……", full-width numbers)
    toc_size: float = 15
    toc_pages_from_source: bool = False  # print the source's TOC numbers: a stale TOC


LAYOUTS = (
    Layout(name="issue-200", margins=(28, 26, 37, 35), body_font="Ming", body_size=15.5,
           body_leading=28, title_font="ZenHei", title_size=18, title_align=TA_CENTER,
           title_bold=False, section_format="{}", footer="— {} —", footer_align="center",
           footer_last=False, running_header=False, masthead="centred",
           issue_line="{year} 年第 {number} 期", toc="dots"),
    Layout(name="issue-200-stale", margins=(28, 28, 35, 30), body_font="Ming", body_size=16,
           body_leading=28, title_font="ZenHei", title_size=17, title_align=TA_CENTER,
           title_bold=False, section_format="{}", footer="- {} -", footer_align="center",
           footer_last=True, running_header=True, masthead="centred",
           issue_line="{year}年第{number}期", toc="ellipsis", toc_size=14.5,
           toc_pages_from_source=True),
    Layout(name="issue-200-notoc", margins=(25, 25, 28, 25), body_font="MicroHei", body_size=12,
           body_leading=21, title_font="ZenHei", title_size=17, title_align=TA_LEFT,
           title_bold=True, section_format="【{}】", footer="第 {} 页", footer_align="right",
           footer_last=False, running_header=False, masthead="columns",
           issue_line="{year}年第{number}期", toc=None),
)


def register_fonts() -> None:
    """Register the TrueType CJK fonts, or stop with the package to install."""
    for name, (path, index) in FONTS.items():
        if not Path(path).exists():
            sys.exit(f"missing font {path}: apt-get install fonts-arphic-uming fonts-wqy-zenhei "
                     "fonts-wqy-microhei")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))


def typeset_like_office() -> None:
    """Two typesetting rules of Chinese word processors that reportlab lacks.

    - Full-width punctuation never starts a line: reportlab's CJK line breaker knows only a few
      such characters (not "，" or "；"); with these added they hang in the right margin.
    - Justified CJK lines are stretched by spacing the characters (Tc). reportlab stretches
      only the spaces between words, and a CJK line is one "word", so it stayed ragged.
    """
    extra = "，。、；：？！”’）》」』】〕…％"
    textsplit.ALL_CANNOT_START += extra  # single-style paragraphs
    paragraph_module.ALL_CANNOT_START += extra  # paragraphs with markup
    plain = paragraph_module._justifyDrawParaLine

    def justify(tx, offset, extraspace, words, last=0):
        text = " ".join(words)
        if len(words) != 1 or last or extraspace <= 1e-8 or len(text) < 2:
            return plain(tx, offset, extraspace, words, last)
        paragraph_module.setXPos(tx, offset)
        tx.setCharSpace(extraspace / (len(text) - 1))
        tx._textOut(text, 1)
        tx.setCharSpace(0)
        paragraph_module.setXPos(tx, -offset)
        return offset

    paragraph_module._justifyDrawParaLine = justify


def fullwidth(text: str) -> str:
    """ASCII digits as full-width digits (１２), as some TOCs print them."""
    return text.translate({ord("0") + i: 0xFF10 + i for i in range(10)})


def cn_date(iso: str) -> str:
    """2020-12-18 as printed in a masthead: 2020年12月18日."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


class Title(Paragraph):
    """A paragraph that records the page it is drawn on (the truth's `page`)."""

    def __init__(self, text, style, *args, key=None, pages=None, bold=False, **kwargs):
        super().__init__(text, style, *args, **kwargs)
        self.key, self.pages, self.bold = key, pages, bold

    def draw(self):
        if self.key is not None:
            self.pages.setdefault(self.key, self.canv.getPageNumber())
        if not self.bold:
            return super().draw()
        # Text render mode 2 (fill, then stroke) persists across BT/ET until the restore.
        self.canv.saveState()
        self.canv.setLineWidth(self.style.fontSize * 0.03)
        self.canv.setStrokeColor(self.style.textColor)
        self.canv._code.append("2 Tr")
        super().draw()
        self.canv.restoreState()


class LeftRight(Flowable):
    """One line with a text at the left margin and another flush right."""

    def __init__(self, left: str, right: str, font: str, size: float):
        super().__init__()
        self.left, self.right, self.font, self.size = left, right, font, size

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.size * 1.6

    def draw(self):
        self.canv.setFont(self.font, self.size)
        self.canv.drawString(0, self.size * 0.4, self.left)
        self.canv.drawRightString(self.width, self.size * 0.4, self.right)


class TocLine(Flowable):
    """A printed TOC entry: title, leaders, right-aligned page number.

    A title too long for one line wraps like a word processor's TOC paragraph: the first line
    holds what fits left of the leaders and number, the rest goes on a second, indented line
    that carries the leaders and the number.
    """

    def __init__(self, title: str, number: str, font: str, size: float, leader: str):
        super().__init__()
        self.title, self.number, self.font, self.size, self.leader = (
            title, number, font, size, leader)
        self.leading = size * 1.75

    def _w(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, self.font, self.size)

    def _split(self, room: float) -> list[str]:
        if self._w(self.title) <= room:
            return [self.title]
        cut = max(i for i in range(1, len(self.title)) if self._w(self.title[:i]) <= room)
        return [self.title[:cut].rstrip(), self.title[cut:].lstrip()]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        room = avail_width - self._w(self.number) - 3 * self._w(self.leader) - self.size
        self.lines = self._split(room)
        return avail_width, self.leading * len(self.lines)

    def draw(self):
        # One text object for the whole entry, as word processors write it.
        gap, text = self.size * 0.3, self.canv.beginText()
        text.setFont(self.font, self.size)
        y = self.leading * (len(self.lines) - 1) + self.size * 0.45
        for i, line in enumerate(self.lines):
            x = self.size * 2 if i else 0  # hanging indent of a wrapped entry
            text.setTextOrigin(x, y - i * self.leading)
            text.textOut(line)
        y -= (len(self.lines) - 1) * self.leading
        end = self.width - self._w(self.number) - gap
        count = int((end - x - self._w(line) - gap) / self._w(self.leader))
        text.setTextOrigin(end - count * self._w(self.leader), y)
        text.textOut(self.leader * count)
        text.setTextOrigin(self.width - self._w(self.number), y)
        text.textOut(self.number)
        self.canv.drawText(text)


def make_styles(layout: Layout) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=layout.body_font, fontSize=layout.body_size,
        leading=layout.body_leading, alignment=TA_JUSTIFY, wordWrap="CJK",
        firstLineIndent=2 * layout.body_size)
    title = ParagraphStyle(
        "title", fontName=layout.title_font, fontSize=layout.title_size,
        leading=layout.title_size * 1.5, alignment=layout.title_align, wordWrap="CJK",
        spaceBefore=layout.body_leading * 0.6, spaceAfter=layout.body_leading * 0.4,
        keepWithNext=1)
    section = ParagraphStyle(
        "section", fontName="ZenHei", fontSize=layout.body_size + 1,
        leading=layout.body_leading, spaceBefore=layout.body_leading * 0.5,
        textColor=RED if layout.masthead == "columns" else colors.black, keepWithNext=1)
    return {"body": body, "title": title, "section": section}


def masthead_centred(layout: Layout, masthead: dict) -> list[Flowable]:
    """GB/T 9704 style: red name centred, issue line, publisher | date, red rule."""
    issue = layout.issue_line.format(**masthead)
    name = ParagraphStyle("mast", fontName="ZenHei", fontSize=40, leading=56,
                          alignment=TA_CENTER, textColor=RED)
    sub = ParagraphStyle("sub", fontName="Ming", fontSize=16, leading=30, alignment=TA_CENTER)
    return [Spacer(1, 18 * mm), Paragraph(escape(masthead["bulletin"]), name), Spacer(1, 4 * mm),
            Paragraph(issue, sub), Spacer(1, 10 * mm),
            LeftRight(masthead["publisher"], cn_date(masthead["date"]), "Ming", 14),
            HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=12 * mm)]


def masthead_columns(layout: Layout, masthead: dict) -> list[Flowable]:
    """A banner: name at the left, issue and date stacked at the right, a double rule."""
    name = ParagraphStyle("mast", fontName="ZenHei", fontSize=30, leading=38, textColor=RED)
    side = ParagraphStyle("side", fontName="MicroHei", fontSize=11, leading=16, alignment=2)
    right = [Paragraph(layout.issue_line.format(**masthead), side),
             Paragraph(cn_date(masthead["date"]), side)]
    table = Table([[Paragraph(escape(masthead["bulletin"]), name), right]],
                  colWidths=["65%", "35%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    pub = ParagraphStyle("pub", fontName="MicroHei", fontSize=11, leading=16)
    return [table, HRFlowable(width="100%", thickness=2.5, color=RED, spaceBefore=4),
            HRFlowable(width="100%", thickness=0.6, color=RED, spaceBefore=1.5, spaceAfter=4),
            Paragraph(escape(masthead["publisher"]), pub), Spacer(1, 6 * mm)]


def toc_flowables(layout: Layout, toc: list[dict], numbers: list[int]) -> list[Flowable]:
    """The printed 目录: heading, then section headings and entries."""
    head = ParagraphStyle("tochead", fontName="ZenHei", fontSize=22, leading=34,
                          alignment=TA_CENTER, spaceAfter=6)
    sect = ParagraphStyle("tocsect", fontName="ZenHei", fontSize=layout.toc_size,
                          leading=layout.toc_size * 1.9, spaceBefore=4, keepWithNext=1)
    leader = "." if layout.toc == "dots" else "…"
    story, section = [Paragraph("目&nbsp;&nbsp;录", head)], None
    for entry, number in zip(toc, numbers):
        if entry["section"] != section:
            section = entry["section"]
            story.append(Paragraph(escape(section), sect))
        shown = str(number) if layout.toc == "dots" else fullwidth(str(number))
        story.append(TocLine(entry["title"], shown, "Ming", layout.toc_size, leader))
    return story + [PageBreak()]


def balanced_title(title: str, style: ParagraphStyle, width: float) -> str:
    """Paragraph markup of a title; one too long for a line is broken by hand, as editors do:
    at the space between its two clauses, or else in the middle (never one orphan character)."""
    if pdfmetrics.stringWidth(title, style.fontName, style.fontSize) <= width:
        return escape(title)
    head, space, tail = title.partition(" ")
    if not space or len(head) < 4:
        head, tail = title[: (len(title) + 1) // 2], title[(len(title) + 1) // 2:]
    return f"{escape(head)}<br/>{escape(tail)}"


def body_flowables(layout: Layout, source: dict, pages: dict) -> list[Flowable]:
    """Section headings, titles (recording their page) and paragraphs, in issue order."""
    styles, story, seq = make_styles(layout), [], 0
    width = A4[0] - (layout.margins[0] + layout.margins[1]) * mm
    for section in source["sections"]:
        story.append(Paragraph(escape(layout.section_format.format(section["name"])),
                               styles["section"]))
        for article in section["articles"]:
            seq += 1
            markup = balanced_title(article["title"], styles["title"], width)
            story.append(Title(markup, styles["title"], key=seq, pages=pages,
                               bold=layout.title_bold))
            story += [Paragraph(escape(p), styles["body"]) for p in article["paragraphs"]]
    return story


def page_decorations(layout: Layout, masthead: dict):
    """The page callbacks: the footer, and the running header (drawn after page 1)."""
    left, right, top, bottom = (v * mm for v in layout.margins)
    width, height = A4
    issue = layout.issue_line.format(**masthead)

    def footer(canv, doc):
        canv.saveState()
        canv.setFont("Ming", 12)
        text, y = layout.footer.format(doc.page), bottom - 12 * mm
        if layout.footer_align == "center":
            canv.drawCentredString(width / 2, y, text)
        else:
            canv.drawRightString(width - right, y, text)
        canv.restoreState()

    def header(canv, doc):
        if doc.page == 1:
            return
        canv.saveState()
        canv.setFont("ZenHei", 10.5)
        y = height - top + 8 * mm
        canv.drawString(left, y, masthead["bulletin"])
        canv.drawRightString(width - right, y, issue)
        canv.setLineWidth(0.6)
        canv.line(left, y - 2.5 * mm, width - right, y - 2.5 * mm)
        canv.restoreState()

    return footer, header


def build(layout: Layout, source: dict, numbers: list[int]) -> tuple[bytes, dict]:
    """One pass: the PDF bytes and {article seq: physical page of its title}."""
    buf, pages = BytesIO(), {}
    left, right, top, bottom = (v * mm for v in layout.margins)
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom, invariant=1, creator="scripts/make_samples.py",
                          title=source["masthead"]["bulletin"], author="", subject="")
    frame = Frame(left, bottom, A4[0] - left - right, A4[1] - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    footer, header = page_decorations(layout, source["masthead"])
    header = header if layout.running_header else (lambda canv, doc: None)
    first, last = (header, footer) if layout.footer_last else (footer, header)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=first, onPageEnd=last)])
    masthead = (masthead_centred if layout.masthead == "centred" else masthead_columns)(
        layout, source["masthead"])
    toc = toc_flowables(layout, source["toc"], numbers) if layout.toc else []
    doc.build(masthead + toc + body_flowables(layout, source, pages))
    return buf.getvalue(), pages


def make(layout: Layout, source: dict) -> tuple[bytes, dict]:
    """Build until the printed TOC numbers agree with where the titles landed."""
    numbers = [entry["page"] for entry in source["toc"]]
    for _ in range(MAX_PASSES):
        pdf, pages = build(layout, source, numbers)
        true_numbers = [pages[seq] for seq in range(1, len(numbers) + 1)]
        if layout.toc_pages_from_source or true_numbers == numbers:
            return pdf, truth(layout, source, numbers, pages)
        numbers = true_numbers
    raise RuntimeError(f"{layout.name}: TOC page numbers did not settle")


def squash(text: str) -> str:
    return "".join(text.split())


def truth(layout: Layout, source: dict, numbers: list[int], pages: dict) -> dict:
    """The ground truth of one sample, from its construction.

    The source's TOC lists every article once, in order, so entry i is article i.
    """
    titles = [a["title"] for s in source["sections"] for a in s["articles"]]
    if [squash(t) for t in titles] != [squash(e["title"]) for e in source["toc"]]:
        raise ValueError(f"{SOURCE}: the TOC entries and the articles differ")
    toc = [dict(entry, page=n) for entry, n in zip(source["toc"], numbers)] if layout.toc else []
    articles = []
    for section in source["sections"]:
        for article in section["articles"]:
            seq = len(articles) + 1
            articles.append({"seq": seq, "section": section["name"], "title": article["title"],
                             "page": pages[seq],
                             "toc_page": numbers[seq - 1] if layout.toc else None,
                             "body": article["paragraphs"]})
    return {"source": f"{layout.name}.pdf", "masthead": source["masthead"], "toc": toc,
            "articles": articles}


def main() -> None:
    rl_config.invariant = 1
    register_fonts()
    typeset_like_office()
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    for layout in LAYOUTS:
        pdf, facts = make(layout, source)
        (OUT / f"{layout.name}.pdf").write_bytes(pdf)
        (OUT / f"{layout.name}.truth.json").write_text(
            json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{layout.name}.pdf: {len(pdf) // 1024} KB")


if __name__ == "__main__":
    main()
