"""Producer: a word-processor document (Flat ODT, one XML file) exported to PDF by headless
LibreOffice, as government offices make bulletins: named paragraph styles, Writer's own
Chinese line breaking and justification, tab stops with dotted leaders for the TOC, page
number fields in the footer, a header for the running head, a cover on its own page style
with the numbering restarted at 1 after it.

The TOC is written as plain paragraphs with a right tab (what Writer shows after "Update
index"); render.py fills in the numbers from the PDF and converts again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from model import Block, Layout

SERIF, SANS = "Droid Sans Fallback", "Droid Sans Fallback"
RED = "#c00000"
TEXT_WIDTH_MM = 210 - 28 - 26
NS = " ".join(f'xmlns:{k}="{v}"' for k, v in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}.items())


def font(name: str, size: float, bold: bool = False, color: str | None = None) -> str:
    weight = "bold" if bold else "normal"
    colour = f' fo:color="{color}"' if color else ""
    return (f'<style:text-properties style:font-name="{name}" fo:font-size="{size}pt" '
            f'fo:font-weight="{weight}" style:font-name-asian="{name}" style:font-size-asian="{size}pt" '
            f'style:font-weight-asian="{weight}" fo:language="zh" fo:country="CN" '
            f'style:language-asian="zh" style:country-asian="CN"{colour}/>')


def pstyle(name: str, para: str, text: str, inner: str = "", extra: str = "") -> str:
    return (f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard" {extra}>'
            f'<style:paragraph-properties {para}>{inner}</style:paragraph-properties>{text}</style:style>')


def right_tab(mm: float, leader: bool) -> str:
    dots = ' style:leader-style="dotted" style:leader-text="."' if leader else ""
    return f'<style:tab-stops><style:tab-stop style:position="{mm:.1f}mm" style:type="right"{dots}/></style:tab-stops>'


def styles(layout: Layout) -> str:
    big = layout.large
    body, lead = (18, 32) if big else (15, 27)
    tsize = 22 if big else 18
    tface = SERIF if layout.title_font == "serif" else SANS
    toc_size, toc_lead = (17, 46) if layout.toc_two_pages else (14, 25)
    align = "justify" if layout.justify else "start"
    title_align = "center" if layout.title_align == "center" else "start"
    return "".join([
        '<style:default-style style:family="paragraph"><style:paragraph-properties '
        'style:line-break="strict" style:punctuation-wrap="simple" style:writing-mode="lr-tb"/>'
        + font(SERIF, body) + "</style:default-style>",
        f'<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties '
        f'fo:line-height="{lead}pt"/>{font(SERIF, body)}</style:style>',
        pstyle("Body", f'fo:text-align="{align}" fo:text-indent="{2 * body}pt" fo:line-height="{lead}pt"',
               font(SERIF, body)),
        pstyle("Caption", 'fo:text-align="center" fo:line-height="22pt" fo:margin-bottom="4pt"',
               font(SANS, body - 3)),
        pstyle("Title", f'fo:text-align="{title_align}" fo:margin-top="14pt" fo:margin-bottom="8pt" '
               f'fo:line-height="{tsize * 1.5}pt" fo:keep-with-next="always"', font(tface, tsize, True)),
        pstyle("Section", f'fo:margin-top="10pt" fo:line-height="{lead + 6}pt" fo:keep-with-next="always"',
               font(SANS, body + 1, True)),
        pstyle("Masthead", 'fo:text-align="center" fo:margin-top="4mm" fo:line-height="46pt"',
               font(SANS, 30, True, RED)),
        pstyle("IssueLine", 'fo:text-align="center" fo:line-height="34pt" fo:margin-bottom="6mm"', font(SERIF, 15)),
        pstyle("Issuer", f'fo:padding-bottom="1mm" fo:border-bottom="1.5pt solid {RED}" fo:margin-bottom="6mm"',
               font(SERIF, 13), inner=right_tab(TEXT_WIDTH_MM, False)),
        pstyle("CoverName", 'fo:text-align="center" fo:margin-top="50mm" fo:line-height="60pt"',
               font(SANS, 36, True, RED)),
        pstyle("CoverLine", 'fo:text-align="center" fo:line-height="40pt"', font(SERIF, 16)),
        pstyle("CoverFoot", 'fo:text-align="center" fo:line-height="28pt"', font(SERIF, 15)),
        pstyle("CoverFootFirst", 'fo:text-align="center" fo:line-height="28pt" fo:margin-top="90mm"', font(SERIF, 15)),
        pstyle("TocHeading", f'fo:text-align="center" fo:line-height="{48 if layout.toc_two_pages else 36}pt"',
               font(SANS, 22 if layout.toc_two_pages else 18, True)),
        pstyle("TocSection", f'fo:line-height="{toc_lead}pt" fo:keep-with-next="always"', font(SANS, toc_size, True)),
        pstyle("TocEntry", f'fo:line-height="{toc_lead}pt" fo:margin-left="{2 * toc_size}pt"',
               font(SERIF, toc_size), inner=right_tab(TEXT_WIDTH_MM - 2 * toc_size * 25.4 / 72,
                                                      layout.toc == "leaders")),
        pstyle("TocEntryFlat", f'fo:line-height="{toc_lead}pt"', font(SERIF, toc_size),
               inner=right_tab(TEXT_WIDTH_MM, layout.toc == "leaders")),
        pstyle("TocNumbered", f'fo:line-height="{toc_lead}pt" fo:margin-left="{3 * toc_size}pt" '
               f'fo:text-indent="-{1.5 * toc_size}pt"', font(SERIF, toc_size)),
        pstyle("TocTight", f'fo:line-height="{toc_lead}pt" fo:margin-left="{2 * toc_size}pt"', font(SERIF, toc_size)),
        pstyle("TocEnd", f'fo:line-height="{toc_lead / 2}pt"', font(SERIF, 6)),
        pstyle("EndFirst", 'fo:border-top="0.8pt solid #000000" fo:padding-top="2mm" fo:margin-top="12mm" '
               'fo:line-height="24pt" fo:margin-left="13pt" fo:keep-with-next="always"', font(SERIF, 13)),
        pstyle("End", 'fo:line-height="24pt" fo:margin-left="13pt" fo:keep-with-next="always"', font(SERIF, 13)),
        pstyle("EndLast", 'fo:border-bottom="0.8pt solid #000000" fo:padding-bottom="2mm" fo:line-height="24pt" '
               'fo:margin-left="13pt"', font(SERIF, 13)),
        pstyle("Footer", 'fo:text-align="center"', font(SERIF, 12)),
        pstyle("Header", 'fo:text-align="center" fo:border-bottom="0.6pt solid #000000" fo:padding-bottom="1mm"',
               font(SERIF, 10.5)),
    ])


def page_layouts() -> str:
    props = ('fo:page-width="210mm" fo:page-height="297mm" style:print-orientation="portrait" '
             'fo:margin-left="28mm" fo:margin-right="26mm" fo:margin-top="{top}" fo:margin-bottom="20mm"')
    hf = ('<style:header-style><style:header-footer-properties fo:min-height="0mm" fo:margin-bottom="8mm"/>'
          '</style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0mm" '
          'fo:margin-top="8mm"/></style:footer-style>')
    return (f'<style:page-layout style:name="pmBody"><style:page-layout-properties {props.format(top="25mm")}/>{hf}'
            '</style:page-layout>'
            f'<style:page-layout style:name="pmCover"><style:page-layout-properties {props.format(top="37mm")}/>'
            '<style:header-style/><style:footer-style/></style:page-layout>')


def master_pages(layout: Layout, head: dict) -> str:
    pre, _, post = layout.footer.partition("{n}")
    footer = (f'<style:footer><text:p text:style-name="Footer">{escape(pre)}<text:page-number '
              f'text:select-page="current">1</text:page-number>{escape(post)}</text:p></style:footer>'
              if layout.page_numbers else "")
    header = (f'<style:header><text:p text:style-name="Header">{escape(head["bulletin"])}　'
              f'{escape(head["issue_line"])}</text:p></style:header>' if layout.running_header else "")
    return ('<office:master-styles>'
            f'<style:master-page style:name="Standard" style:page-layout-name="pmBody">{header}{footer}</style:master-page>'
            f'<style:master-page style:name="First" style:page-layout-name="pmBody" '
            f'style:next-style-name="Standard">{footer}</style:master-page>'
            '<style:master-page style:name="Cover" style:page-layout-name="pmCover" style:next-style-name="First"/>'
            '</office:master-styles>')


def automatic_styles(layout: Layout) -> str:
    """Variants of the named styles that start a page (or the numbering) and the first
    paragraph's master page."""
    autos = []
    for base in ("Title", "Section", "TocHeading", "Masthead", "CoverName"):
        autos.append(f'<style:style style:name="{base}Break" style:family="paragraph" style:parent-style-name="{base}">'
                     '<style:paragraph-properties fo:break-before="page"/></style:style>')
    autos.append('<style:style style:name="FirstPage" style:family="paragraph" style:parent-style-name="Masthead" '
                 'style:master-page-name="First"/>')
    autos.append('<style:style style:name="CoverPage" style:family="paragraph" style:parent-style-name="CoverName" '
                 'style:master-page-name="Cover"/>')
    autos.append('<style:style style:name="AfterCover" style:family="paragraph" style:parent-style-name="TocHeading" '
                 'style:master-page-name="First"><style:paragraph-properties style:page-number="1"/></style:style>')
    return "<office:automatic-styles>" + "".join(autos) + page_layouts() + "</office:automatic-styles>"


def p(style: str, inner: str) -> str:
    return f'<text:p text:style-name="{style}">{inner}</text:p>'


def toc(block: Block, layout: Layout, numbers: dict[int, int | None], after_cover: bool) -> str:
    out = [p("AfterCover" if after_cover else "TocHeading", escape(block.text))]
    section = None
    for seq, e in enumerate(block.extra["entries"], 1):
        if e["section"] is not None and e["section"] != section:
            section = e["section"]
            out.append(p("TocSection", escape(section)))
        if layout.toc == "numbered":
            out.append(p("TocNumbered", f"{seq}．{escape(e['title'])}"))
        elif layout.toc == "tight":  # the number set right after the title, wrapping with it
            out.append(p("TocTight", f"{escape(e['title'])}{numbers.get(seq) or 0}"))
        else:
            style = "TocEntry" if e["section"] is not None else "TocEntryFlat"
            out.append(p(style, f"{escape(e['title'])}<text:tab/>{numbers.get(seq) or 0}"))
    out.append(p("TocEnd", ""))
    return "".join(out)


def body(blocks: list[Block], layout: Layout, numbers: dict[int, int | None]) -> str:
    out = []
    for b in blocks:
        brk = "Break" if b.extra.get("break_before") else ""
        if b.kind == "masthead":
            h = b.extra
            out += [p("FirstPage", escape(h["bulletin"])), p("IssueLine", escape(h["issue_line"])),
                    p("Issuer", f"{escape(h['publisher'])}<text:tab/>{escape(h['date'])}")]
        elif b.kind == "cover":
            h = b.extra
            out += [p("CoverPage", escape(h["bulletin"])), p("CoverLine", escape(h["issue_line"])),
                    p("CoverFootFirst", escape(h["publisher"])), p("CoverFoot", escape(h["date"]))]
        elif b.kind == "toc":
            out.append(toc(b, layout, numbers, layout.cover))
        elif b.kind == "section":
            out.append(p("Section" + brk, escape(b.text)))
        elif b.kind == "title":
            out.append(p("Title" + brk, escape(b.text)))
        elif b.kind == "para":
            out.append(p("Caption" if b.text.startswith("图为") else "Body", escape(b.text)))
        elif b.kind == "endmatter":
            lines = b.extra["lines"]
            for k, text in enumerate(lines):
                style = "EndFirst" if k == 0 else "EndLast" if k == len(lines) - 1 else "End"
                out.append(p(style, escape(text)))
    if layout.cover and not any(b.kind == "toc" for b in blocks):
        raise ValueError("a cover layout needs a TOC to restart the numbering on")
    return "".join(out)


def fodt(blocks: list[Block], layout: Layout, numbers: dict[int, int | None]) -> str:
    head = blocks[0].extra
    faces = "".join(f'<style:font-face style:name="{f}" svg:font-family="&apos;{f}&apos;" '
                    f'style:font-family-generic="{g}" style:font-pitch="variable"/>'
                    for f, g in ((SERIF, "roman"), (SANS, "swiss")))
    meta = (f'<office:meta><dc:title>{escape(head["bulletin"])}</dc:title>'
            '<meta:generator>scripts/layouts office</meta:generator></office:meta>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            f'{meta}<office:font-face-decls>{faces}</office:font-face-decls>'
            f'<office:styles>{styles(layout)}</office:styles>{automatic_styles(layout)}{master_pages(layout, head)}'
            f'<office:body><office:text>{body(blocks, layout, numbers)}</office:text></office:body></office:document>\n')


def build(blocks: list[Block], layout: Layout, numbers: dict[int, int | None], pdf: Path, work: Path) -> Path:
    doc = pdf.with_suffix(".fodt")
    doc.write_text(fodt(blocks, layout, numbers), encoding="utf-8")
    profile = (work / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf.parent), str(doc)], check=True, capture_output=True, timeout=300)
    return pdf
