"""Build samples/issue-200-office.pdf the way a government office makes a bulletin: a word
processor document with paragraph styles and a table-of-contents field, exported to PDF by
LibreOffice. Ground truth goes to samples/issue-200-office.truth.json.

    apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk
    python scripts/make_office_sample.py

The document is Flat ODT (one XML file, no Python dependencies) written from
samples/source/issue-200.json:

- masthead on a first page without footer: the bulletin name big, red and centred,
  "2020 年第 200 期", then publisher and date on one line (a right tab) over a red rule;
- 目录: a real ``text:table-of-content`` field over Heading 1 (sections, no page number) and
  Heading 2 (titles, dot-leader right tab, page number);
- body: sections as Heading 1, titles as Heading 2 (centred, Noto Sans CJK SC Bold, long ones
  wrap as Writer wraps them), paragraphs in Noto Serif CJK SC, justified, first line indented
  two characters, fixed 28 pt line spacing (GB/T 9704);
- footer "— N —" from a page-number field, from page 2 on.

Headless ``soffice --convert-to pdf`` does not regenerate indexes (only the UI or a UNO call
does), so the TOC field's body is written as Writer saves it after "Update index": the same
paragraphs, styles and tab stops, with the page numbers filled in. Those numbers come from
converting, finding each title's page in the PDF text (pdftotext, page by page), and converting
again until they no longer change; the TOC's length is fixed by its entries, so this settles
at once. The truth's pages are found the same way, independently of digest's parser.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "source" / "issue-200.json"
NAME = "issue-200-office"
OUT = ROOT / "samples"
MAX_PASSES = 4  # the TOC's length does not depend on its numbers, so two passes suffice

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
RED = "#d40000"
TEXT_WIDTH_MM = 210 - 28 - 26  # A4 less the GB/T 9704 side margins
TOC_INDENT_PT = 30  # TOC titles sit two characters right of their section names

NS = " ".join(f'xmlns:{k}="{v}"' for k, v in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}.items())


def font(name: str, size: float, bold: bool = False) -> str:
    """Text properties setting Western and Asian font alike (Writer keeps them apart)."""
    weight = "bold" if bold else "normal"
    return (f'<style:text-properties style:font-name="{name}" fo:font-size="{size}pt" '
            f'fo:font-weight="{weight}" style:font-name-asian="{name}" '
            f'style:font-size-asian="{size}pt" style:font-weight-asian="{weight}" '
            'fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>')


def pstyle(name: str, para: str, text: str, *, parent: str = "Standard", extra: str = "",
           inner: str = "") -> str:
    display = name.replace("_20_", " ")
    return (f'<style:style style:name="{name}" style:display-name="{display}" style:family="paragraph" '
            f'style:parent-style-name="{parent}" {extra}>'
            f'<style:paragraph-properties {para}>{inner}</style:paragraph-properties>{text}</style:style>')


def right_tab(position_mm: float, leader: bool) -> str:
    dots = ' style:leader-style="dotted" style:leader-text="."' if leader else ""
    return (f'<style:tab-stops><style:tab-stop style:position="{position_mm:.1f}mm" '
            f'style:type="right"{dots}/></style:tab-stops>')


def styles() -> str:
    """The named paragraph styles an office template would have."""
    toc_tab = TEXT_WIDTH_MM - TOC_INDENT_PT * 25.4 / 72
    # Hanging punctuation is off: LibreOffice 7.4 then leaves a line-final "，" or "。" out of
    # the PDF altogether (not drawn, not in the text layer), which no reader could recover.
    return "".join([
        '<style:default-style style:family="paragraph"><style:paragraph-properties '
        'style:line-break="strict" style:punctuation-wrap="simple" style:writing-mode="lr-tb"/>'
        + font(SERIF, 16) + "</style:default-style>",
        pstyle("Standard", 'fo:line-height="28pt"', font(SERIF, 16), parent="", extra=""),
        pstyle("Text_20_body", 'fo:text-align="justify" fo:text-indent="32pt" fo:line-height="28pt"',
               font(SERIF, 16)),
        pstyle("Masthead", 'fo:text-align="center" fo:margin-top="30mm" fo:line-height="100%"',
               font(SANS, 42, bold=True).replace("/>", f' fo:color="{RED}"/>'),
               extra='style:master-page-name="First_20_Page"'),
        pstyle("Issue_20_Number", 'fo:text-align="center" fo:margin-top="6mm" fo:margin-bottom="12mm"',
               font(SERIF, 16)),
        pstyle("Issuer", 'fo:padding-bottom="1mm" fo:border-bottom="1.5pt solid ' + RED + '" '
               'fo:margin-bottom="10mm"', font(SERIF, 14), inner=right_tab(TEXT_WIDTH_MM, False)),
        pstyle("Heading", 'fo:keep-with-next="always"', font(SANS, 16, bold=True)),
        pstyle("Heading_20_1", 'fo:margin-top="8pt" fo:margin-bottom="4pt"', font(SANS, 16, bold=True),
               parent="Heading", extra='style:default-outline-level="1" style:next-style-name="Heading_20_2"'),
        pstyle("Heading_20_2", 'fo:text-align="center" fo:margin-top="14pt" fo:margin-bottom="10pt" '
               'fo:line-height="30pt"', font(SANS, 18, bold=True), parent="Heading",
               extra='style:default-outline-level="2" style:next-style-name="Text_20_body"'),
        pstyle("Contents_20_Heading", 'fo:text-align="center" fo:margin-bottom="8pt" fo:line-height="40pt"',
               font(SANS, 22, bold=True)),
        pstyle("Contents_20_1", 'fo:margin-top="6pt" fo:line-height="26pt" fo:keep-with-next="always"',
               font(SANS, 15, bold=True)),
        pstyle("Contents_20_2", f'fo:margin-left="{TOC_INDENT_PT}pt" fo:line-height="26pt"',
               font(SERIF, 15), inner=right_tab(toc_tab, True)),
        pstyle("Footer", 'fo:text-align="center"', font(SERIF, 14)),
    ])


def page_layout() -> str:
    """A4 with GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the
    footer sits inside the bottom margin."""
    props = ('fo:page-width="210mm" fo:page-height="297mm" style:print-orientation="portrait" '
             'fo:margin-left="28mm" fo:margin-right="26mm" fo:margin-top="37mm" '
             'fo:margin-bottom="{bottom}"')
    footer = ('<style:footer-style><style:header-footer-properties fo:min-height="0mm" '
              'fo:margin-top="8mm"/></style:footer-style>')
    return (f'<style:page-layout style:name="pm1"><style:page-layout-properties {props.format(bottom="20mm")}/>'
            f"<style:header-style/>{footer}</style:page-layout>"
            f'<style:page-layout style:name="pm2"><style:page-layout-properties {props.format(bottom="35mm")}/>'
            "<style:header-style/><style:footer-style/></style:page-layout>")


def master_pages() -> str:
    footer = ('<style:footer><text:p text:style-name="Footer">— <text:page-number '
              'text:select-page="current">1</text:page-number> —</text:p></style:footer>')
    return ('<office:master-styles>'
            f'<style:master-page style:name="Standard" style:page-layout-name="pm1">{footer}</style:master-page>'
            '<style:master-page style:name="First_20_Page" style:display-name="First Page" '
            'style:page-layout-name="pm2" style:next-style-name="Standard"/>'
            '</office:master-styles>')


def automatic_styles() -> str:
    return ('<office:automatic-styles>'
            '<style:style style:name="BodyStart" style:family="paragraph" style:parent-style-name="Heading_20_1">'
            '<style:paragraph-properties fo:break-before="page"/></style:style>'
            '<style:style style:name="Sect1" style:family="section"><style:section-properties '
            'style:editable="false"/></style:style>'
            + page_layout() + '</office:automatic-styles>')


def p(style: str, inner: str, tag: str = "p", level: int | None = None) -> str:
    outline = f' text:outline-level="{level}"' if level else ""
    return f'<text:{tag} text:style-name="{style}"{outline}>{inner}</text:{tag}>'


def cn_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def masthead(m: dict) -> str:
    return (p("Masthead", escape(m["bulletin"]))
            + p("Issue_20_Number", f'{m["year"]} 年第 {m["number"]} 期')
            + p("Issuer", f'{escape(m["publisher"])}<text:tab/>{cn_date(m["date"])}'))


def toc(entries: list[tuple[str, str]], numbers: list[int | None]) -> str:
    """The TOC field: its source (what Writer regenerates from) and its body (what it shows)."""
    source = (
        '<text:table-of-content-source text:outline-level="2" text:use-index-marks="false" '
        'text:use-outline-level="true">'
        '<text:index-title-template text:style-name="Contents_20_Heading">目  录</text:index-title-template>'
        '<text:table-of-content-entry-template text:outline-level="1" text:style-name="Contents_20_1">'
        '<text:index-entry-text/></text:table-of-content-entry-template>'
        '<text:table-of-content-entry-template text:outline-level="2" text:style-name="Contents_20_2">'
        '<text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/>'
        '<text:index-entry-page-number/></text:table-of-content-entry-template>'
        '</text:table-of-content-source>')
    body, section = [], None
    for (sect, title), n in zip(entries, numbers):
        if sect != section:
            section = sect
            body.append(p("Contents_20_1", escape(sect)))
        body.append(p("Contents_20_2", f"{escape(title)}<text:tab/>{n if n is not None else 0}"))
    title = ('<text:index-title text:style-name="Sect1" text:name="目录1_Head">'
             + p("Contents_20_Heading", "目  录") + "</text:index-title>")
    return ('<text:table-of-content text:style-name="Sect1" text:protected="true" text:name="目录1">'
            f'{source}<text:index-body>{title}{"".join(body)}</text:index-body></text:table-of-content>')


def articles(src: dict) -> str:
    out = []
    for k, section in enumerate(src["sections"]):
        out.append(p("BodyStart" if k == 0 else "Heading_20_1", escape(section["name"]), "h", 1))
        for article in section["articles"]:
            out.append(p("Heading_20_2", escape(article["title"]), "h", 2))
            out += [p("Text_20_body", escape(para)) for para in article["paragraphs"]]
    return "".join(out)


def fodt(src: dict, numbers: list[int | None]) -> str:
    entries = [(s["name"], a["title"]) for s in src["sections"] for a in s["articles"]]
    faces = "".join(f'<style:font-face style:name="{f}" svg:font-family="&apos;{f}&apos;" '
                    f'style:font-family-generic="{g}" style:font-pitch="variable"/>'
                    for f, g in ((SERIF, "roman"), (SANS, "swiss")))
    meta = (f'<office:meta><dc:title>{escape(src["masthead"]["bulletin"])}</dc:title>'
            '<meta:generator>scripts/make_office_sample.py</meta:generator></office:meta>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {NS} office:version="1.3" '
            'office:mimetype="application/vnd.oasis.opendocument.text">'
            f'{meta}<office:font-face-decls>{faces}</office:font-face-decls>'
            f'<office:styles>{styles()}</office:styles>{automatic_styles()}{master_pages()}'
            f'<office:body><office:text>{masthead(src["masthead"])}{toc(entries, numbers)}'
            f'{articles(src)}</office:text></office:body></office:document>\n')


def convert(xml: str, work: Path) -> Path:
    """Flat ODT → PDF with headless LibreOffice, in a throwaway profile."""
    doc = work / f"{NAME}.fodt"
    doc.write_text(xml, encoding="utf-8")
    profile = (work / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(doc)],
                   check=True, capture_output=True, timeout=300)
    return work / f"{NAME}.pdf"


def page_texts(pdf: Path) -> list[str]:
    """pdftotext of each page, whitespace removed (titles wrap over lines)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def printed_number(page: str) -> int | None:
    """The footer "— N —" of a page (pdftotext puts it last)."""
    m = re.search(r"—(\d+)—$", page)
    return int(m.group(1)) if m else None


def title_pages(pages: list[str], titles: list[str]) -> list[int]:
    """The printed page of each title: the first page after the TOC (and not before the
    previous title) whose text holds the whole title."""
    first_body = next(i for i, t in enumerate(pages) if i > 0 and "....." not in t)
    found, at = [], first_body
    for title in titles:
        key = "".join(title.split())
        at = next(i for i in range(at, len(pages)) if key in pages[i])
        number = printed_number(pages[at])
        if number != at + 1:
            raise RuntimeError(f"page {at + 1} prints {number}")
        found.append(number)
    return found


def check_toc(pages: list[str], titles: list[str], numbers: list[int]) -> None:
    """The printed TOC shows each title, leaders and its number (read back, not assumed)."""
    toc_text = "".join(t for t in pages if "....." in t)
    for title, n in zip(titles, numbers):
        if not re.search(re.escape("".join(title.split())) + r"\.{3,}" + str(n) + r"(?!\d)", toc_text):
            raise RuntimeError(f"the printed TOC does not show “{title}” … {n}")


def main() -> None:
    for tool in ("soffice", "pdftotext"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install libreoffice-writer-nogui poppler-utils")
    src = json.loads(SOURCE.read_text(encoding="utf-8"))
    titles = [a["title"] for s in src["sections"] for a in s["articles"]]
    numbers: list[int | None] = [None] * len(titles)
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(MAX_PASSES):
            pdf = convert(fodt(src, numbers), Path(tmp))
            pages = page_texts(pdf)
            found = title_pages(pages, titles)
            if found == numbers:
                break
            numbers = found
        else:
            raise RuntimeError("TOC page numbers did not settle")
        check_toc(pages, titles, numbers)
        shutil.copy(pdf, OUT / f"{NAME}.pdf")
    write_truth(src, numbers)
    print(f"{NAME}.pdf: {(OUT / f'{NAME}.pdf').stat().st_size // 1024} KB, {len(pages)} pages")


def write_truth(src: dict, numbers: list[int]) -> None:
    sections = [(s["name"], a) for s in src["sections"] for a in s["articles"]]
    toc = [{"section": sect, "title": a["title"], "page": n} for (sect, a), n in zip(sections, numbers)]
    arts = [{"seq": i, "section": sect, "title": a["title"], "page": n, "toc_page": n,
             "body": a["paragraphs"]} for i, ((sect, a), n) in enumerate(zip(sections, numbers), 1)]
    facts = {"source": f"{NAME}.pdf", "masthead": src["masthead"], "toc": toc, "articles": arts}
    (OUT / f"{NAME}.truth.json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")


if __name__ == "__main__":
    main()
