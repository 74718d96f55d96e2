"""Producer: an HTML page printed to PDF by headless Chromium, as bulletins exported from a
web CMS are: CSS paged media (@page margin boxes for the page number and running head),
the browser's own CJK line breaking and inter-character justification, TOC leaders drawn as
a dotted rule (graphics, not text), several articles flowing on a page.

A cover is printed on its own and put in front with qpdf (CSS cannot restart the page
counter), as an office that makes the cover separately does.
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape
from pathlib import Path

from model import Block, Layout

FONT_SERIF = "'Liberation Serif', 'Droid Sans Fallback', serif"
# Headings set larger, not bold (as in bulletins set in 小标宋): Chromium draws a synthesised bold
# as Type 3 outlines, hundreds of KB; a second CJK face would double the embedded glyphs.
FONT_SANS = "'Liberation Sans', 'Droid Sans Fallback', sans-serif"
CHROME = ("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
          "--run-all-compositor-stages-before-draw", "--virtual-time-budget=2000")


def css(layout: Layout, head: dict) -> str:
    big = layout.large
    body, lead = (18, 32) if big else (15, 27)
    tsize = 22 if big else 18
    toc_size, toc_lead = (17, 46) if layout.toc_two_pages else (14, 25)
    pre, _, post = layout.footer.partition("{n}")
    footer = f'"{pre}" counter(page) "{post}"' if layout.page_numbers else "none"
    header = f'"{head["bulletin"]}　{head["issue_line"]}"' if layout.running_header else "none"
    return f"""
@page {{ size: A4; margin: 25mm 26mm 20mm 28mm;
  @bottom-center {{ content: {footer}; font: 12pt {FONT_SERIF}; }}
  @top-center {{ content: {header}; font: 10.5pt {FONT_SERIF}; border-bottom: 0.6pt solid black; }} }}
@page :first {{ @top-center {{ content: none; border: none; }} }}
@page cover {{ @bottom-center {{ content: none; }} @top-center {{ content: none; border: none; }} }}
body {{ margin: 0; font: {body}pt/{lead}pt {FONT_SERIF}; line-break: strict; }}
p {{ margin: 0; }}
.body {{ text-indent: 2em; text-align: {'justify' if layout.justify else 'left'}; text-justify: inter-character; }}
.caption {{ text-align: center; font: {body - 3}pt/22pt {FONT_SANS}; margin: 2pt 0 4pt; }}
h2 {{ font: normal {tsize}pt/{tsize * 1.5}pt {FONT_SERIF if layout.title_font == 'serif' else FONT_SANS};
  text-align: {layout.title_align}; margin: 14pt 0 8pt; break-after: avoid; }}
h3 {{ font: normal {body + 1}pt/{lead + 6}pt {FONT_SANS}; margin: 10pt 0 0; break-after: avoid; }}
.brk {{ break-before: page; }}
.mast {{ text-align: center; color: #c00000; font: normal 30pt/46pt {FONT_SANS}; margin-top: 4mm; }}
.issue {{ text-align: center; font: 15pt/34pt {FONT_SERIF}; margin-bottom: 6mm; }}
.issuer {{ display: flex; justify-content: space-between; font: 13pt/20pt {FONT_SERIF};
  border-bottom: 1.5pt solid #c00000; padding-bottom: 1mm; margin-bottom: 6mm; }}
.cover {{ page: cover; text-align: center; }}
.cover .name {{ color: #c00000; font: normal 36pt/60pt {FONT_SANS}; margin-top: 50mm; }}
.cover .line {{ font: 16pt/40pt {FONT_SERIF}; }}
.cover .foot {{ font: 15pt/28pt {FONT_SERIF}; }}
.cover .foot.first {{ margin-top: 90mm; }}
.toch {{ text-align: center; font: normal {22 if layout.toc_two_pages else 18}pt/{48 if layout.toc_two_pages else 36}pt {FONT_SANS}; }}
.tocs {{ font: normal {toc_size}pt/{toc_lead}pt {FONT_SANS}; break-after: avoid; }}
.toce {{ display: flex; align-items: flex-end; font: {toc_size}pt/{toc_lead}pt {FONT_SERIF}; }}
.toce.insec {{ margin-left: 2em; }}
.toce .t {{ flex: 0 1 auto; }}
.toce .d {{ flex: 1 0 2em; margin: 0 4pt {toc_lead * 0.3}pt;
  border-bottom: {'1.5pt dotted black' if layout.toc == 'leaders' else 'none'}; }}
.toce .n {{ flex: 0 0 auto; }}
.tocn {{ font: {toc_size}pt/{toc_lead}pt {FONT_SERIF}; margin-left: 3em; text-indent: -1.5em; }}
.toct {{ font: {toc_size}pt/{toc_lead}pt {FONT_SERIF}; margin-left: 2em; }}
.tocend {{ height: {toc_lead / 2}pt; }}
.end {{ margin-top: 12mm; border-top: 0.8pt solid black; border-bottom: 0.8pt solid black;
  padding: 2mm 0 2mm 13pt; font: 13pt/24pt {FONT_SERIF}; break-inside: avoid; }}
"""


def toc(block: Block, layout: Layout, numbers: dict[int, int | None]) -> str:
    out = [f'<p class="toch">{escape(block.text)}</p>']
    section = None
    for seq, e in enumerate(block.extra["entries"], 1):
        if e["section"] is not None and e["section"] != section:
            section = e["section"]
            out.append(f'<p class="tocs">{escape(section)}</p>')
        if layout.toc == "numbered":
            out.append(f'<p class="tocn">{seq}．{escape(e["title"])}</p>')
        elif layout.toc == "tight":  # the number set right after the title, wrapping with it
            out.append(f'<p class="toct">{escape(e["title"])}{numbers.get(seq) or 0}</p>')
        else:
            cls = "toce insec" if e["section"] is not None else "toce"
            out.append(f'<div class="{cls}"><span class="t">{escape(e["title"])}</span><span class="d"></span>'
                       f'<span class="n">{numbers.get(seq) or 0}</span></div>')
    out.append('<div class="tocend"></div>')
    return "".join(out)


def html(blocks: list[Block], layout: Layout, numbers: dict[int, int | None], part: str) -> str:
    """``part``: "cover" (the cover alone) or "body" (everything else)."""
    head = blocks[0].extra
    out = []
    for b in blocks:
        brk = ' class="brk"' if b.extra.get("break_before") else ""
        if b.kind == "cover":
            if part == "cover":
                out.append(f'<div class="cover"><p class="name">{escape(head["bulletin"])}</p>'
                           f'<p class="line">{escape(head["issue_line"])}</p>'
                           f'<p class="foot first">{escape(head["publisher"])}</p>'
                           f'<p class="foot">{escape(head["date"])}</p></div>')
            continue
        if part == "cover":
            continue
        if b.kind == "masthead":
            out.append(f'<p class="mast">{escape(head["bulletin"])}</p><p class="issue">{escape(head["issue_line"])}</p>'
                       f'<div class="issuer"><span>{escape(head["publisher"])}</span><span>{escape(head["date"])}</span></div>')
        elif b.kind == "toc":
            out.append(toc(b, layout, numbers))
        elif b.kind == "section":
            out.append(f"<h3{brk}>{escape(b.text)}</h3>")
        elif b.kind == "title":
            out.append(f"<h2{brk}>{escape(b.text)}</h2>")
        elif b.kind == "para":
            cls = "caption" if b.text.startswith("图为") else "body"
            out.append(f'<p class="{cls}">{escape(b.text)}</p>')
        elif b.kind == "endmatter":
            out.append('<div class="end">' + "".join(f"<p>{escape(t)}</p>" for t in b.extra["lines"]) + "</div>")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(head["bulletin"])}</title>'
            f'<style>{css(layout, head)}</style></head><body>{"".join(out)}</body></html>')


def print_pdf(page: str, pdf: Path, work: Path) -> None:
    src = pdf.with_suffix(".html")
    src.write_text(page, encoding="utf-8")
    profile = work / "chrome-profile"
    subprocess.run([*CHROME, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", src.as_uri()],
                   check=True, capture_output=True, timeout=300)


def build(blocks: list[Block], layout: Layout, numbers: dict[int, int | None], pdf: Path, work: Path) -> Path:
    if not layout.cover:
        print_pdf(html(blocks, layout, numbers, "body"), pdf, work)
        return pdf
    cover, rest = work / "cover.pdf", work / "body.pdf"
    print_pdf(html(blocks, layout, numbers, "cover"), cover, work)
    print_pdf(html(blocks, layout, numbers, "body"), rest, work)
    if not shutil.which("qpdf"):
        raise RuntimeError("qpdf not found: apt-get install qpdf")
    subprocess.run(["qpdf", "--empty", "--pages", str(cover), str(rest), "--", str(pdf)], check=True)
    return pdf
