"""A bulletin family (scripts/layouts/families/*.json) under one layout, as a flat list of
blocks that every producer typesets the same way, and the truth skeleton that goes with it.

A family holds the text only (masthead facts, sections of articles, end matter); the layout
says how it is printed: TOC style, section style, title alignment, justification, type size,
cover, running header, page breaks. Pages are NOT decided here: each producer paginates, and
render.py reads the pages back from the PDF it made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

FAMILIES = Path(__file__).resolve().parent / "families"
# The committed sample's source text, as one more family (not written for the matrix: the
# parser's rules were fitted to it, so it is a check that they still hold, not a test).
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "source" / "issue-200.json"
SAMPLE_FAMILY = "sample200"
ORDINALS = "一二三四五六七八九十"
# What some producers' fonts put in the text layer instead of a simplified character: its
# traditional twin (戶 for 户, 內 for 内), which looks the same. The truth keeps the plain
# characters, which a reader should give back. (Radicals, the same fault, cannot be made
# here: the fonts share one glyph between 车 and ⻋, and the producers then lose one of them.)
TWINS = str.maketrans({"户": "戶", "内": "內", "没": "沒", "温": "溫", "吕": "呂"})
CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Layout:
    name: str
    # leaders | spaces (page column, no leaders) | tight (the page right after the title, no
    # column) | numbered (1．…, no pages) | none
    toc: str = "leaders"
    sections: str = "plain"  # none | plain | bracket (【…】) | ordinal (一、…)
    title_align: str = "center"  # center | left
    justify: bool = True
    large: bool = False  # large type (body 18 pt instead of 15)
    cover: bool = False  # an unnumbered cover sheet: printed numbers start at 1 on sheet 2
    running_header: bool = False
    toc_two_pages: bool = False  # TOC in airy, large type so that it runs over two pages
    break_articles: bool = True  # each article on a new page; False: several articles a page
    toc_with_first: bool = False  # the first article starts under the TOC, on its page
    page_numbers: bool = True
    footer: str = "— {n} —"
    chinese_date: bool = True  # 二〇二一年四月十六日 (else 2021年4月16日)
    end_matter: bool = True
    title_font: str = "sans"  # sans | serif
    twins: bool = False  # 户 drawn as its traditional twin 戶, 内 as 內 … (TWINS)


@dataclass(frozen=True)
class Block:
    kind: str  # masthead | cover | toc | section | title | para | endmatter
    text: str = ""
    seq: int | None = None  # article number (title, para)
    extra: dict = field(default_factory=dict)


LAYOUTS = {layout.name: layout for layout in (
    # the sample's own shape: masthead, dotted-leader TOC with sections, an article a page
    Layout("classic"),
    # 本期要目: numbered entries without pages, the first article under it, several a page,
    # 【】 sections, left titles, ragged right, running header
    Layout("yaomu", toc="numbered", sections="bracket", title_align="left", justify=False,
           running_header=True, break_articles=False, toc_with_first=True, footer="{n}"),
    # a cover sheet, a two-page TOC without leaders, 一、 sections, large type
    Layout("cover", toc="spaces", sections="ordinal", cover=True, toc_two_pages=True, large=True,
           footer="- {n} -", title_font="serif"),
    # no TOC, no sections, several articles a page, ragged, running header, Arabic date
    Layout("notoc", toc="none", sections="none", justify=False, break_articles=False,
           running_header=True, chinese_date=False, footer="第 {n} 页"),
    # a flat dotted-leader TOC (no sections), several articles a page, left titles, running
    # header, a font that puts 戶 for 户 and 內 for 内 in the text layer
    Layout("flat", sections="none", title_align="left", break_articles=False, running_header=True,
           footer="{n}", twins=True),
    # no TOC but 【】 section headings, large type, centred titles, several articles a page
    Layout("brackets", toc="none", sections="bracket", large=True, break_articles=False),
    # a dotted-leader TOC with the first article under it, several a page, ragged, no running head
    Layout("compact", toc_with_first=True, break_articles=False, justify=False, footer="- {n} -"),
    # TOC pages set tight after the titles (no space, no column), 一、 sections, left titles
    Layout("tight", toc="tight", sections="ordinal", title_align="left"),
)}


def load_family(name: str) -> dict:
    if name == SAMPLE_FAMILY:
        return sample_family()
    return json.loads((FAMILIES / f"{name}.json").read_text(encoding="utf-8"))


def sample_family() -> dict:
    src = json.loads(SAMPLE.read_text(encoding="utf-8"))
    m = src["masthead"]
    return {"family": SAMPLE_FAMILY, "masthead": m, "issue_line": f"{m['year']}年第{m['number']}期",
            "toc_heading": "本期要目", "sections": src["sections"], "end_matter": []}


def trimmed(family: dict, per_section: int | None) -> dict:
    """The family with at most ``per_section`` articles a section (the small committed cases)."""
    if not per_section:
        return family
    sections = [dict(s, articles=s["articles"][:per_section]) for s in family["sections"]]
    return dict(family, sections=sections)


def family_names() -> list[str]:
    return sorted(p.stem for p in FAMILIES.glob("*.json")) + ([SAMPLE_FAMILY] if SAMPLE.exists() else [])


def chinese_date(iso: str) -> str:
    """2021-04-16 → 二〇二一年四月十六日."""
    year, month, day = iso.split("-")
    return ("".join(CN_DIGITS[int(d)] for d in year) + "年" + cn_number(int(month)) + "月"
            + cn_number(int(day)) + "日")


def cn_number(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else ORDINALS[tens - 1]) + "十" + (ORDINALS[ones - 1] if ones else "")


def arabic_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"


def printed_section(name: str, k: int, style: str) -> str:
    if style == "bracket":
        return f"【{name}】"
    if style == "ordinal":
        return f"{cn_number(k + 1)}、{name}"
    return name


def articles_of(family: dict, layout: Layout) -> list[dict]:
    """The family's articles in order with their section (plain and printed) under the layout."""
    out = []
    for k, section in enumerate(family["sections"]):
        for article in section["articles"]:
            plain = None if layout.sections == "none" else section["name"]
            printed = None if plain is None else printed_section(plain, k, layout.sections)
            out.append(dict(article, section=plain, section_printed=printed))
    return out


def blocks(family: dict, layout: Layout) -> list[Block]:
    """Everything printed, in reading order. Page breaks are producer business, driven by
    ``extra["break_before"]``."""
    m = family["masthead"]
    date = chinese_date(m["date"]) if layout.chinese_date else arabic_date(m["date"])
    head = {"bulletin": m["bulletin"], "issue_line": family["issue_line"],
            "publisher": family.get("publisher_printed", m["publisher"]), "date": date}
    out = [Block("cover" if layout.cover else "masthead", extra=head)]
    arts = articles_of(family, layout)
    if layout.toc != "none":
        heading = family.get("toc_heading", "目录") if layout.toc == "numbered" else "目　录"
        entries = [{"section": a["section_printed"], "title": a.get("toc_title", a["title"])} for a in arts]
        out.append(Block("toc", heading, extra={"entries": entries}))
    section = None
    for seq, a in enumerate(arts, 1):
        first = seq == 1
        break_before = layout.break_articles or (first and not layout.toc_with_first and layout.toc != "none")
        if a["section_printed"] != section and a["section_printed"] is not None:
            out.append(Block("section", a["section_printed"], seq, {"break_before": break_before}))
            break_before = False
        section = a["section_printed"]
        out.append(Block("title", a["title"], seq, {"break_before": break_before}))
        out += [Block("para", p, seq) for p in a["paragraphs"]]
    if layout.end_matter and family.get("end_matter"):
        out.append(Block("endmatter", extra={"lines": family["end_matter"]}))
    return [twinned(b) for b in out] if layout.twins else out


def twinned(block: Block) -> Block:
    """The block as a font with twin glyphs puts it in the text layer (masthead left alone)."""
    if block.kind in ("masthead", "cover"):
        return block
    extra = dict(block.extra)
    if "entries" in extra:
        extra["entries"] = [dict(e, title=e["title"].translate(TWINS)) for e in extra["entries"]]
    if "lines" in extra:
        extra["lines"] = [line.translate(TWINS) for line in extra["lines"]]
    return replace(block, text=block.text.translate(TWINS), extra=extra)


def truth_skeleton(family: dict, layout: Layout) -> dict:
    """The truth without pages (render.py adds them from the PDF)."""
    m = dict(family["masthead"])
    arts = articles_of(family, layout)
    return {
        "truth_version": 2,
        "family": family["family"],
        "layout": layout.name,
        "options": {k: v for k, v in layout.__dict__.items() if k != "name"},
        "masthead": m,
        "toc": [] if layout.toc == "none" else [
            {"section": a["section"], "section_printed": a["section_printed"],
             "title": a.get("toc_title", a["title"]), "page": None} for a in arts],
        "articles": [{"seq": i, "section": a["section"], "section_printed": a["section_printed"],
                      "title": a["title"], "page": None, "physical_page": None, "toc_page": None,
                      "body": a["paragraphs"]} for i, a in enumerate(arts, 1)],
        "end_matter": list(family.get("end_matter", [])) if layout.end_matter else [],
    }


def with_layout(name: str, **changes) -> Layout:
    return replace(LAYOUTS[name], **changes)
