"""Producer: reportlab, drawing glyph by glyph, as typesetting systems that position every
character do (each character its own text object; a reader sees no words, no spaces, only
positions). Line breaking is our own: Chinese rules that forbid a closing mark at the start of
a line and keep runs of digits or Latin letters together, which push a character to the next
line and leave ragged lines 1–2 em short; justified lines spread the slack between glyphs.

Fonts are TrueType (reportlab cannot embed CFF outlines): Droid Sans Fallback for the body,
WenQuanYi Zen Hei for headings; reportlab embeds subsets.
"""

from __future__ import annotations

from pathlib import Path

from model import Block, Layout
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# "serif" is the body face. Droid Sans Fallback's outlines are the smallest of the TrueType CJK
# faces here (a 13-article issue: 95 KB against 205 KB with AR PL UMing), which keeps the
# committed cases small.
# It has no Latin letters, digits or curly quotes: those fall back, glyph by glyph, to
# DejaVu Serif ("latin", which also has Ⅱ for 水质Ⅱ类), as a typesetter's font fallback does. Headings ("sans") are the
# same face made bold by stroking the outline (text render mode 2), the "fake bold" of many
# producers; a second CJK face would double the embedded glyphs.
FONTS = {"cjk": ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
         "latin": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0)}
CANNOT_START = "，。、；：？！”’）》」』】〕…％·,.;:?!)"
CANNOT_END = "“‘（《「『【〔("
RED = HexColor("#c00000")
MM = 72 / 25.4
MARGINS = (28 * MM, 26 * MM, 37 * MM, 35 * MM)  # left, right, top, bottom (GB/T 9704)


LATIN_KEEP = "".join(chr(c) for c in range(0x20, 0x7F)) + "“”‘’—–…·%ⅠⅡⅢⅣⅤⅥ"


def slim_latin(path: str) -> str:
    """The fallback face cut to ASCII and a few marks, hinting dropped (fontTools, when
    installed): reportlab embeds a TrueType subset with all of its hinting tables, 26 KB for
    a dozen digits."""
    try:
        from fontTools import subset
    except ImportError:
        return path
    import tempfile

    out = Path(tempfile.gettempdir()) / f"digest-layouts-{Path(path).stem}-slim.ttf"
    if not out.exists():
        options = subset.Options()
        options.hinting = False
        font = subset.load_font(path, options)
        sub = subset.Subsetter(options)
        sub.populate(text=LATIN_KEEP)
        sub.subset(font)
        subset.save_font(font, str(out), options)
    return str(out)


def register() -> None:
    for name, (path, index) in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            if name == "latin":
                path = slim_latin(path)
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))


def face(font: str, ch: str) -> str:
    """The font that has ``ch`` (``font`` is a style: serif or sans, one CJK face for both)."""
    if ord(ch) in pdfmetrics.getFont("cjk").face.charToGlyph:
        return "cjk"
    return "latin"


def glyph_width(ch: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(ch, face(font, ch), size)


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def break_lines(text: str, font: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """Greedy CJK line breaking with kinsoku and unbroken Latin/digit runs."""
    lines, start = [], 0
    while start < len(text):
        avail = width - (first_indent if not lines else 0.0)
        end, used = start, 0.0
        while end < len(text):
            w = glyph_width(text[end], font, size)
            if used + w > avail + 0.01:
                break
            used += w
            end += 1
        if end < len(text):
            cut = end
            while cut > start + 1 and (text[cut] in CANNOT_START or text[cut - 1] in CANNOT_END
                                       or (is_latin(text[cut]) and is_latin(text[cut - 1]))):
                cut -= 1
            end = cut
        lines.append(text[start:end])
        start = end
    return lines


class Typesetter:
    def __init__(self, path: Path, layout: Layout, head: dict):
        register()
        self.layout, self.head = layout, head
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(head["bulletin"])
        self.canvas.setCreator("scripts/layouts glyphs")
        self.left, right, self.top, self.bottom = MARGINS
        self.width = A4[0] - self.left - right
        self.page = 1
        self.y = A4[1] - self.top
        self.at_top = True
        big = layout.large
        self.body = ("serif", 18.0 if big else 15.0, 32.0 if big else 27.0)
        self.title = ("serif" if layout.title_font == "serif" else "sans", 22.0 if big else 18.0)

    # pages -------------------------------------------------------------------------------
    def new_page(self) -> None:
        self.finish_page()
        self.canvas.showPage()
        self.page += 1
        self.y = A4[1] - self.top
        self.at_top = True

    def finish_page(self) -> None:
        c, layout = self.canvas, self.layout
        printed = self.page - 1 if layout.cover else self.page
        if layout.page_numbers and printed >= 1:
            text = layout.footer.format(n=printed)
            self.glyphs(text, "serif", 12, (A4[0] - self.text_width(text, "serif", 12)) / 2, self.bottom - 30)
        if layout.running_header and printed >= 2:
            text = f"{self.head['bulletin']}　{self.head['issue_line']}"
            self.glyphs(text, "serif", 10.5, (A4[0] - self.text_width(text, "serif", 10.5)) / 2,
                        A4[1] - self.top + 30)
            c.setLineWidth(0.6)
            c.line(self.left, A4[1] - self.top + 24, A4[0] - MARGINS[1], A4[1] - self.top + 24)

    def need(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def skip(self, height: float) -> None:
        if not self.at_top:
            self.y -= height

    # drawing ----------------------------------------------------------------------------
    def text_width(self, text: str, font: str, size: float) -> float:
        return sum(glyph_width(ch, font, size) for ch in text)

    def glyphs(self, text: str, font: str, size: float, x: float, y: float, spacing: float = 0.0,
               color=black) -> float:
        """Each character its own drawString: its own BT … ET."""
        c = self.canvas
        c.setFillColor(color)
        c.setStrokeColor(color)
        c.setLineWidth(size * 0.035)
        for ch in text:
            t = c.beginText(x, y)
            if font == "sans":
                t.setTextRenderMode(2)
            t.setFont(face(font, ch), size)
            t.textOut(ch)
            c.drawText(t)
            x += glyph_width(ch, font, size) + spacing
        c.setFillColor(black)
        c.setStrokeColor(black)
        return x

    def line(self, text: str, font: str, size: float, leading: float, *, align: str = "left",
             indent: float = 0.0, stretch_to: float | None = None, color=black) -> None:
        self.need(leading)
        self.y -= leading
        w = self.text_width(text, font, size)
        x = self.left + indent
        spacing = 0.0
        if align == "center":
            x = self.left + (self.width - w) / 2
        elif align == "right":
            x = self.left + self.width - w
        elif stretch_to is not None and len(text) > 1:
            spacing = max(0.0, (stretch_to - w) / (len(text) - 1))
        self.glyphs(text, font, size, x, self.y + leading * 0.25, spacing, color)
        self.at_top = False

    def paragraph(self, text: str, font: str, size: float, leading: float, *, indent_em: float = 2,
                  align: str = "left", justify: bool = False, hang: float = 0.0) -> None:
        first = indent_em * size
        lines = break_lines(text, font, size, self.width - hang, first - hang if hang else first)
        for k, ln in enumerate(lines):
            ind = first if k == 0 else hang
            last = k == len(lines) - 1
            stretch = self.width - ind if justify and not last else None
            self.line(ln, font, size, leading, align=align, indent=ind, stretch_to=stretch)

    # blocks ------------------------------------------------------------------------------
    def masthead(self, head: dict) -> None:
        self.y -= 10
        self.line(head["bulletin"], "sans", 30, 46, align="center", color=RED)
        self.line(head["issue_line"], "serif", 15, 34, align="center")
        self.need(30)
        self.y -= 30
        self.glyphs(head["publisher"], "serif", 13, self.left, self.y + 6)
        self.glyphs(head["date"], "serif", 13, self.left + self.width - self.text_width(head["date"], "serif", 13),
                    self.y + 6)
        self.canvas.setStrokeColor(RED)
        self.canvas.setLineWidth(1.5)
        self.canvas.line(self.left, self.y, self.left + self.width, self.y)
        self.canvas.setStrokeColor(black)
        self.y -= 16
        self.at_top = False

    def cover(self, head: dict) -> None:
        self.y = A4[1] - 70 * MM
        self.line(head["bulletin"], "sans", 36, 60, align="center", color=RED)
        self.line(head["issue_line"], "serif", 16, 40, align="center")
        self.y = 90 * MM
        self.line(head["publisher"], "serif", 15, 28, align="center")
        self.line(head["date"], "serif", 15, 28, align="center")
        self.new_page()

    def toc(self, block: Block, numbers: dict[int, int | None]) -> None:
        two = self.layout.toc_two_pages
        size, leading = (17.0, 46.0) if two else (14.0, 25.0)
        self.line(block.text, "sans", 22 if two else 18, 48 if two else 36, align="center")
        section, numbered = None, self.layout.toc == "numbered"
        for seq, e in enumerate(block.extra["entries"], 1):
            if e["section"] is not None and e["section"] != section:
                section = e["section"]
                self.line(section, "sans", size, leading)
            indent = 2 * size if e["section"] is not None else 0.0
            label = f"{seq}．{e['title']}" if numbered else e["title"]
            number = None if numbered else str(numbers.get(seq) or 0)
            if self.layout.toc == "tight":  # the number set right after the title, wrapping with it
                label, number = label + number, None
            col = 0.0 if number is None else 3 * size
            hang = indent + (self.text_width(f"{seq}．", "serif", size) if numbered else 0.0)
            lines = break_lines(label, "serif", size, self.width - hang - col, indent - hang)
            for k, ln in enumerate(lines):
                self.line(ln, "serif", size, leading, indent=indent if k == 0 else hang)
                if k == len(lines) - 1 and number is not None:
                    end = self.left + (indent if k == 0 else hang) + self.text_width(ln, "serif", size)
                    right = self.left + self.width
                    nx = right - self.text_width(number, "serif", size)
                    if self.layout.toc == "leaders":
                        dots = int((nx - end - 6) // self.text_width("…", "serif", size))
                        self.glyphs("…" * max(dots, 1), "serif", size, nx - 3 - dots * self.text_width("…", "serif", size),
                                    self.y + leading * 0.25)
                    self.glyphs(number, "serif", size, nx, self.y + leading * 0.25)
        self.y -= leading / 2

    def end_matter(self, lines: list[str]) -> None:
        size, leading = 13.0, 24.0
        height = leading * (len(lines) + 1) + 20
        self.need(height)
        self.y = max(min(self.y - 30, self.bottom + height), self.bottom + height)
        c = self.canvas
        c.setLineWidth(0.8)
        c.line(self.left, self.y, self.left + self.width, self.y)
        for text in lines:
            self.line(text, "serif", size, leading, indent=size)
        self.y -= 8
        c.line(self.left, self.y, self.left + self.width, self.y)

    def run(self, blocks: list[Block], numbers: dict[int, int | None]) -> None:
        body_font, body_size, body_leading = self.body
        tfont, tsize = self.title
        for b in blocks:
            if b.extra.get("break_before") and not self.at_top:
                self.new_page()
            if b.kind == "masthead":
                self.masthead(b.extra)
            elif b.kind == "cover":
                self.cover(b.extra)
            elif b.kind == "toc":
                self.toc(b, numbers)
            elif b.kind == "section":
                self.need(tsize * 5)
                self.skip(10)
                self.line(b.text, "sans", body_size + 1, body_leading + 6)
            elif b.kind == "title":
                lines = break_lines(b.text, tfont, tsize, self.width - 2 * tsize)
                self.need(len(lines) * tsize * 1.5 + 2 * body_leading + 24)
                self.skip(14)
                for ln in lines:
                    self.line(ln, tfont, tsize, tsize * 1.5, align=self.layout.title_align)
                self.y -= 8
            elif b.kind == "para":
                if b.text.startswith("图为"):
                    self.paragraph(b.text, "sans", body_size - 3, body_leading - 4, indent_em=0,
                                   align="center")
                else:
                    self.paragraph(b.text, body_font, body_size, body_leading, justify=self.layout.justify)
            elif b.kind == "endmatter":
                self.end_matter(b.extra["lines"])
        self.finish_page()
        self.canvas.save()


def build(blocks: list[Block], layout: Layout, numbers: dict[int, int | None], pdf: Path, work: Path) -> Path:
    head = blocks[0].extra
    Typesetter(pdf, layout, head).run(blocks, numbers)
    return pdf
