"""Text that is safe to put in a spreadsheet cell or a Markdown document.

Bulletins are third-party text: a title or a paragraph can be written to look like a
spreadsheet formula (``=HYPERLINK(…)``, ``=cmd|'/c calc'!A1``, ``@SUM(…)``) or like markup
(``<script>``, ``[x](javascript:…)``, a ``#`` heading, a ``|`` that splits a table). Exports
must show such text as text.

**Spreadsheet cells** (CSV, xlsx) follow OWASP's CSV-injection advice and ASVS 1.2.10: a cell
that a spreadsheet could evaluate gets a leading apostrophe (``'``), which Excel, LibreOffice
Calc and WPS read as "this cell is text" and do not display. The exact rule, applied to string
values only (numbers, dates and empty cells are left alone):

* the cell starts with a tab, carriage return, line feed or NUL; or
* its first character that is not whitespace (ASCII or Unicode, including the ideographic
  space U+3000) or an invisible format character (zero-width space, BOM, direction marks) is
  one of ``= + - @`` or their full-width forms ``＝ ＋ － ＠``.

Leading whitespace counts because Calc's import can trim it ("Trim spaces") and a full-width
form because Chinese input methods and some spreadsheets fold it to ASCII. Quoting of ``,``
``"`` and line breaks inside a cell is the CSV writer's job (RFC 4180), not this module's.

**Markdown** (``md`` output): text is escaped so that it renders exactly as written under
CommonMark, GitHub-flavoured Markdown and Python-Markdown: ``&``, ``<`` and ``>`` become HTML
entities (no raw HTML, no ``<javascript:…>`` autolink), the characters ``\\ ` * _ [ ] # | ~``
are backslash-escaped everywhere (no emphasis, code, links, images, headings or table cells
from the text), a line-start ``-``, ``+``, ``=`` or ``1.`` / ``1)`` is escaped (no list, no
setext heading), and the colon of ``javascript:``, ``vbscript:`` and ``data:`` becomes
``&#58;`` so that no renderer's linkifier sees a scheme. Line breaks inside a heading or a
table cell become spaces (:func:`md_inline`).
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_TRIGGERS = frozenset("=+-@＝＋－＠")
CONTROL_STARTS = frozenset("\t\r\n\0")  # a cell starting with these is neutralised whatever follows
CELL_PREFIX = "'"


def _is_blank(ch: str) -> bool:
    """Whitespace or an invisible format character (zero-width space, BOM, bidi marks)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs")


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula (the rule in the module docstring)."""
    if not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    for ch in text:
        if not _is_blank(ch):
            return ch in FORMULA_TRIGGERS
    return False


def spreadsheet_cell(value):
    """``value`` made safe for a spreadsheet cell: formula-like strings get a leading ``'``.

    Anything that is not a string (numbers, None, dates) is returned unchanged.
    """
    if isinstance(value, str) and is_formula_like(value):
        return CELL_PREFIX + value
    return value


_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_BACKSLASHED = set("\\`*_[]#|~")
_MD_CHAR = {ch: "\\" + ch for ch in _MD_BACKSLASHED} | _MD_ENTITIES
_MD_TRANSLATE = str.maketrans(_MD_CHAR)
_SCHEME = re.compile(r"\b(javascript|vbscript|data)\s*:", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+[.)])", re.MULTILINE)


# XML 1.0 cannot carry these control characters (xlsx and docx are XML); they never mean
# anything in a bulletin, so office formats drop them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    """``text`` without the control characters an XML 1.0 document cannot hold."""
    return _XML_ILLEGAL.sub("", text)


def md_text(text: str) -> str:
    """``text`` escaped for a Markdown paragraph: it renders as written, never as markup."""
    text = text.translate(_MD_TRANSLATE)
    text = _SCHEME.sub(lambda m: m.group(0)[:-1] + "&#58;", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(m: re.Match) -> str:
    indent, mark = m.group(1), m.group(2)
    if mark[-1] in ".)":  # an ordered-list marker: escape the dot or parenthesis
        return indent + mark[:-1] + "\\" + mark[-1]
    return indent + "\\" + mark


def md_inline(text: str) -> str:
    """``text`` escaped for one line (a heading, a table cell): line breaks become spaces."""
    return md_text(_LINE_BREAKS.sub(" ", text))
