"""Render bulletin families through several PDF producers and layouts, with ground truth read
back from each PDF: issue 7's layout matrix.

    python scripts/layouts/render.py --out /tmp/layouts                     # the whole matrix
    python scripts/layouts/render.py --out DIR --family jingjinji --producer glyphs --layout yaomu

A case is family × producer × layout; it is written as DIR/<family>-<producer>-<layout>.pdf with
<same>.truth.json beside it (format: benchmarks/layout_score.py).

Producers (modules beside this file): ``glyphs`` (reportlab, each character drawn on its own),
``office`` (Flat ODT converted by headless LibreOffice), ``chrome`` (HTML printed by headless
Chromium). Layouts: model.LAYOUTS.

Truth pages are never assumed: after a producer has made the PDF, poppler's pdftotext gives
each page's text; the TOC's entries are found in order from its heading, then each body title
in order after them, and the page holding it is the article's physical page. Its printed page
is the physical page less the unnumbered cover, checked against the footer the page shows. A
TOC with page numbers is filled with those numbers and the PDF made again until they settle
(the TOC's length does not depend on them, so one more pass suffices).
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model import LAYOUTS, TWINS, Layout, blocks, family_names, load_family, trimmed, truth_skeleton

PRODUCERS = ("glyphs", "office", "chrome")
MAX_PASSES = 4
TOC_WITH_PAGES = ("leaders", "spaces", "tight")
TWINS_PAIRS = {chr(k): v for k, v in TWINS.items()}


def key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [key(page) for page in out.split("\f")[:-1]]


class TruthError(RuntimeError):
    pass


def without_furniture(pages: list[str], layout: Layout, family: dict) -> list[str]:
    """Page texts less the footer (page number) and running header, so that a title or a TOC
    entry broken over two pages reads as one."""
    out = []
    for physical, text in enumerate(pages, 1):
        n = physical - 1 if layout.cover else physical
        foot = key(layout.footer.format(n=n))
        if layout.page_numbers and n >= 1 and foot in text:
            at = text.rfind(foot)
            text = text[:at] + text[at + len(foot):]
        head = key(family["masthead"]["bulletin"] + family["issue_line"])
        if layout.running_header and n >= 2 and head in text:
            text = text.replace(head, "", 1)
        out.append(text)
    return out


def locate(pages: list[str], truth: dict, layout: Layout) -> tuple[list[int], list[int]]:
    """Physical pages (1-based) of the TOC and of each article, read from the PDF text
    (furniture removed)."""
    flat = "".join(pages)
    if layout.twins:  # the text layer has the twins; look for the plain characters
        flat = flat.translate(str.maketrans({v: k for k, v in TWINS_PAIRS.items()}))
    starts, at = [], 0
    for text in pages:
        starts.append(at)
        at += len(text)

    def page_of(pos: int) -> int:
        return max(i for i, s in enumerate(starts) if s <= pos) + 1

    cursor, toc_pages = 0, []
    if truth["toc"]:
        for entry in truth["toc"]:
            found = flat.find(key(entry["title"]), cursor)
            if found < 0:
                raise TruthError(f"TOC entry not in the PDF text: {entry['title']}")
            cursor = found + len(key(entry["title"]))
            toc_pages.append(page_of(found))
    article_pages = []
    for article in truth["articles"]:
        found = flat.find(key(article["title"]), cursor)
        if found < 0:
            raise TruthError(f"title not in the PDF text: {article['title']}")
        cursor = found + len(key(article["title"]))
        article_pages.append(page_of(found))
    return sorted(set(toc_pages)), article_pages


def printed(physical: int, layout: Layout, pages: list[str]) -> int:
    """The number the page prints, checked against its footer."""
    n = physical - 1 if layout.cover else physical
    if layout.page_numbers:
        foot = key(layout.footer.format(n=n))
        if foot not in pages[physical - 1]:
            raise TruthError(f"page {physical} does not print {layout.footer.format(n=n)!r}")
    return n


def check_bodies(pages: list[str], truth: dict) -> None:
    """Every paragraph is in the PDF text (page furniture may split it at a page break, so
    look for its two halves)."""
    flat = "".join(pages).translate(str.maketrans({v: k for k, v in TWINS_PAIRS.items()}))
    for article in truth["articles"]:
        for para in article["body"]:
            k = key(para)
            if k in flat:
                continue
            if k[:12] not in flat or k[-12:] not in flat:
                raise TruthError(f"paragraph not in the PDF text: {para[:30]}…")


def case_name(family: str, producer: str, layout: str, per_section: int | None = None) -> str:
    return f"{family}-{producer}-{layout}" + (f"-s{per_section}" if per_section else "")


def render_case(family_name: str, producer: str, layout_name: str, out: Path,
                per_section: int | None = None) -> Path:
    """Render one case into ``out`` (PDF and truth); ``per_section`` trims the family."""
    family, layout = trimmed(load_family(family_name), per_section), LAYOUTS[layout_name]
    module = importlib.import_module(producer)
    name = case_name(family_name, producer, layout_name, per_section)
    truth = truth_skeleton(family, layout)
    items = blocks(family, layout)
    numbers: dict[int, int | None] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for _ in range(MAX_PASSES):
            pdf = module.build(items, layout, numbers, work / f"{name}.pdf", work)
            pages = page_texts(pdf)
            toc_pages, physical = locate(without_furniture(pages, layout, family), truth, layout)
            found = {seq: printed(p, layout, pages) for seq, p in enumerate(physical, 1)}
            if layout.toc in TOC_WITH_PAGES and found != numbers:
                numbers = found
                continue
            break
        else:
            raise TruthError(f"{name}: TOC page numbers did not settle")
        check_bodies(without_furniture(pages, layout, family), truth)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, out / f"{name}.pdf")
    fill(truth, name, layout, pages, toc_pages, physical, found)
    (out / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    return out / f"{name}.pdf"


def fill(truth: dict, name: str, layout: Layout, pages: list[str], toc_pages: list[int],
         physical: list[int], found: dict[int, int]) -> None:
    toc_has_pages = layout.toc in TOC_WITH_PAGES
    truth.update(source=f"{name}.pdf", producer=name.split("-")[1], physical_pages=len(pages),
                 numbered=layout.page_numbers, toc_pages=toc_pages)
    for entry, seq in zip(truth["toc"], range(1, len(truth["toc"]) + 1)):
        entry["page"] = found[seq] if toc_has_pages else None
    for article, p in zip(truth["articles"], physical):
        article["physical_page"] = p
        article["page"] = found[article["seq"]] if layout.page_numbers else p
        article["toc_page"] = found[article["seq"]] if toc_has_pages else None
    # keep the source order of keys readable: source first
    for k in ("source", "family", "producer", "layout"):
        truth[k] = truth.pop(k)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--family", action="append", choices=family_names())
    ap.add_argument("--producer", action="append", choices=PRODUCERS)
    ap.add_argument("--layout", action="append", choices=list(LAYOUTS))
    ap.add_argument("--per-section", type=int, help="at most this many articles a section (small cases)")
    args = ap.parse_args()
    for tool in ("pdftotext",):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install poppler-utils")
    failed = 0
    for fam in args.family or family_names():
        for producer in args.producer or PRODUCERS:
            for lay in args.layout or list(LAYOUTS):
                try:
                    pdf = render_case(fam, producer, lay, args.out, args.per_section)
                    print(f"{pdf.name}: {pdf.stat().st_size // 1024} KB")
                except (TruthError, subprocess.CalledProcessError) as e:
                    failed += 1
                    print(f"{case_name(fam, producer, lay, args.per_section)}: FAILED {e}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
