"""The per-region digest as a Word document (python-docx, the ``office`` extra). No typer, no rich.

Layout, for a staff member pasting it into a weekly report: the masthead as the title line,
one Heading 1 per region and one Heading 2 per article (so the navigation pane of Word and WPS
lists them), then the article's summary, its keywords and its source (bulletin, 期, page,
section). Page numbers are a PAGE field centred in the footer.

Fonts: Word picks a run's font per script, and a Chinese character uses the ``w:eastAsia``
typeface of ``w:rFonts``, which python-docx's ``font.name`` does not set (it sets ``w:ascii``
and ``w:hAnsi``). Without it, Word and WPS fall back to the theme's East Asian font and the
document looks foreign on a Chinese machine. So every style used here, and the document
defaults, get ``w:eastAsia`` set through the style's XML: 宋体 for text, 黑体 for headings, the
names Word and WPS on Chinese Windows know. Headings are black, as in Chinese official
reports, not the template's blue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from digest.errors import MissingExtraError
from digest.models import Issue
from digest.report import KEYWORD_JOINER, RegionGroup, issue_line, masthead_label
from digest.sanitize import xml_text

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_STYLES = ("Normal", "Footer")
HEADING_STYLES = ("Title", "Heading 1", "Heading 2")
LANGUAGE = "zh-CN"


def load_docx():
    try:
        import docx
    except ImportError:
        raise MissingExtraError("docx needs python-docx: pip install 'digest[office]'") from None
    return docx


def write_docx(issues: Sequence[Issue], groups: Sequence[RegionGroup], out: BinaryIO) -> None:
    """Write the digest of ``issues`` (grouped by ``report.group_by_region``) to ``out``."""
    docx = load_docx()
    document = docx.Document()
    _fonts(document)
    title = "；".join(masthead_label(i.masthead, i.source) for i in issues)
    document.core_properties.title = _clean(title)
    document.core_properties.language = LANGUAGE
    document.add_paragraph(_clean(title), style="Title")
    several = len(issues) > 1
    for issue in issues:
        line = issue_line(issue)
        document.add_paragraph(_clean(f"{masthead_label(issue.masthead, issue.source)}：{line}"
                                      if several else line))
    for group in groups:
        document.add_heading(_clean(group.region), level=1)
        for entry in group.entries:
            _article(document, entry)
    _page_numbers(document)
    document.save(out)


def _article(document, entry) -> None:
    from docx.shared import Pt, RGBColor

    a = entry.article
    document.add_heading(_clean(a.title), level=2)
    document.add_paragraph(_clean(a.summary or ""))
    grey = RGBColor(0x59, 0x59, 0x59)
    notes = []
    if a.keywords:
        notes.append("关键词：" + KEYWORD_JOINER.join(a.keywords))
    notes.append("来源：" + source_line(entry))
    for note in notes:
        run = document.add_paragraph().add_run(_clean(note))
        run.font.size = Pt(9)
        run.font.color.rgb = grey


def source_line(entry) -> str:
    """长三角每周要讯 2020 年第 200 期 · 第 3 页 · 科创聚焦"""
    a = entry.article
    parts = [masthead_label(entry.issue.masthead, entry.issue.source)]
    if a.page is not None:
        parts.append(f"第 {a.page} 页")
    if a.section:
        parts.append(a.section)
    return " · ".join(parts)


def _fonts(document) -> None:
    from docx.shared import RGBColor

    styles = document.styles
    _east_asian(styles.element.find(_qn("w:docDefaults")), BODY_FONT, defaults=True)
    for name in BODY_STYLES:
        _east_asian(styles[name].element, BODY_FONT)
    for name in HEADING_STYLES:
        style = styles[name]
        _east_asian(style.element, HEADING_FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)


def _east_asian(element, typeface: str, *, defaults: bool = False) -> None:
    """Set ``w:eastAsia`` (and the Chinese language) on the run properties of a style or of
    the document defaults; a theme's East Asian font would otherwise win."""
    if defaults:
        rpr_default = element.find(_qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = element.makeelement(_qn("w:rPrDefault"), {})
            element.insert(0, rpr_default)
        rpr = rpr_default.find(_qn("w:rPr"))
        if rpr is None:
            rpr = rpr_default.makeelement(_qn("w:rPr"), {})
            rpr_default.append(rpr)
        fonts = rpr.find(_qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(_qn("w:rFonts"), {})
            rpr.insert(0, fonts)
    else:
        rpr = element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
    _language(rpr)
    fonts.set(_qn("w:eastAsia"), typeface)
    fonts.attrib.pop(_qn("w:eastAsiaTheme"), None)


def _language(rpr) -> None:
    """``w:lang w:eastAsia="zh-CN"``: Word then breaks lines and picks fonts as for Chinese."""
    from docx.oxml import OxmlElement

    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # w:lang is late in CT_RPr's sequence; nothing here goes after it
    lang.set(_qn("w:eastAsia"), LANGUAGE)


def _page_numbers(document) -> None:
    """A centred PAGE field in the footer of every section."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for section in document.sections:
        para = section.footer.paragraphs[0]
        para.style = document.styles["Footer"]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(para.add_run()._r, "PAGE")


def _field(r, instruction: str) -> None:
    """A complex field in run ``r``: begin, instruction, separate, a placeholder, end."""
    from docx.oxml import OxmlElement

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(_qn("w:fldCharType"), kind)
        return element

    instr = OxmlElement("w:instrText")
    instr.set(_qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    shown = OxmlElement("w:t")
    shown.text = "1"  # what a reader shows before it updates the field
    for element in (char("begin"), instr, char("separate"), shown, char("end")):
        r.append(element)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _clean(text: str) -> str:
    return xml_text(text)  # python-docx (lxml) refuses XML-illegal control characters
