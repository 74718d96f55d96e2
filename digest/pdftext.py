"""A page's positioned text from pypdf's objects, interpreted by us: pypdf's text, cheaper.

``page.extract_text(visitor_text=…)`` (pdf.py's reader, and the oracle here) rebuilds a Font
for every font of every page (its ToUnicode CMap parsed again each time: a third of the work on
a bulletin that uses a dozen fonts on every page) and parses every content stream with pypdf's
byte-at-a-time tokenizer (another third). This module calls the same visitor with the same
arguments, in the same order, for the text it reports, but

- builds each font's decoding once per document (pypdf's own ``Font.from_font_resource``,
  cached by the identity of the font dictionary, which pypdf's reader resolves to one object
  for every page that uses it), and each string's decoding and width once per font;
- reads the content stream with pdfops.py's tokenizer (pypdf's ``ContentStream`` where that
  tokenizer meets what it does not handle);
- interprets the text state (q/Q, cm, BT/ET, Tm/Td/TD/T*/TL, Tf, Tc/Tw/Tz, Tj/TJ/'/", Do of
  form XObjects) as pypdf 7's text extraction does, line-break and space decisions included
  (they put " " and line ends into the text the visitor gets).

What it does not reproduce exactly raises NotExact before anything is reported for the page,
and pdf.py reads that page with pypdf instead: right-to-left text (pypdf reorders it), a font
pypdf could not build or a Tf naming a font the page lacks, text shown before any Tf, a form
XObject pypdf would warn about (missing, cyclic, too many), an inline image or a token outside
what pdfops.py reads. tests/test_pdftext.py holds it to pypdf's runs page by page.

It follows pypdf 7.1's private text extraction (pyproject pins pypdf below 8): a new pypdf
that changes how it places text changes the oracle, and the tests say so.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# pypdf's default space width (extract_text's space_width), for a font whose space has no width.
DEFAULT_SPACE_WIDTH = 200.0
# The form XObjects pypdf enters per page at most (its xform_maximum_invocations_per_extraction is
# far higher; a page past this many is unusual enough to leave to pypdf).
MAX_FORMS = 1000
# Right-to-left scripts (Hebrew, Arabic, …: pypdf's RTL ranges and more), which pypdf reorders.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

Visitor = Callable[[str, list, list, object, float], None]


class NotExact(Exception):
    """The page holds something this reader does not reproduce exactly: read it with pypdf."""


@dataclass
class _Font:
    """What text extraction needs of one font, and its strings decoded so far."""

    resource: object  # the font dictionary, handed to the visitor
    encoding: str | dict
    character_map: dict
    space_char: str
    space_width: float
    widths: dict
    decoded: dict[bytes, tuple[str, float, int]] = field(default_factory=dict)

    def decode(self, raw: bytes) -> tuple[str, float, int]:
        """``raw``'s text as shown (ToUnicode applied), the sum of its glyph widths (font
        units) and the length of its text before ToUnicode, as pypdf computes them."""
        got = self.decoded.get(raw)
        if got is None:
            got = self.decoded[raw] = self._decode(raw)
        return got

    def _decode(self, raw: bytes) -> tuple[str, float, int]:
        encoding = self.encoding
        if isinstance(encoding, str):
            try:
                text = raw.decode(encoding, "surrogatepass")
            except UnicodeDecodeError:
                text = raw.decode(encoding, "replace")
            measured = text
        else:
            text = "".join([encoding.get(x, chr(x)) for x in raw])
            measured = "".join([chr(x) for x in raw])
        shown = "".join([self.character_map.get(c, c) for c in text])
        if _RTL.search(shown):
            raise NotExact("right-to-left text")
        return shown, self.measure(measured), len(text)

    def measure(self, text: str) -> float:
        widths, space_char, space_width = self.widths, self.space_char, self.space_width
        total = 0.0
        for char in text:
            if char == space_char:
                total += space_width
            else:
                total += widths.get(char, widths["default"]) + 0.0
        return total


class DocumentFonts:
    """Fonts built once per document, by the identity of their dictionary."""

    def __init__(self) -> None:
        # id → (the dictionary itself, kept so that its id is not reused; the font, or None
        # where pypdf could not build it)
        self._fonts: dict[int, tuple[object, _Font | None]] = {}

    def get(self, resource) -> _Font | None:
        got = self._fonts.get(id(resource))
        if got is None:
            got = self._fonts[id(resource)] = (resource, _build(resource))
        return got[1]


def _build(resource) -> _Font | None:
    from pypdf.generic._font import Font

    try:
        font = Font.from_font_resource(resource)
    except (AttributeError, TypeError):
        return None  # pypdf leaves such a font out of the page's fonts
    space_width = font.space_width
    if font.character_widths.get(font.space_char, 0) == 0:
        space_width = DEFAULT_SPACE_WIDTH
    return _Font(resource, font.encoding, font.character_map, font.space_char, space_width,
                 font.character_widths)


def read_page(page, fonts: DocumentFonts, visit: Visitor, operations=None) -> None:
    """Call ``visit(text, cm, tm, font dictionary, font size)`` for the page's text as
    ``page.extract_text(visitor_text=visit)`` does (texts that are empty or a bare line end,
    which carry nothing, may be left out). NotExact (raised before any call) where it cannot.

    ``operations(content)``, if given, turns a content stream into (operands, operator) pairs
    (pdfops.operations by default).
    """
    if operations is None:
        from digest.pdfops import operations
    calls: list[tuple] = []
    _Interpreter(page, fonts, calls.append, operations, [0], set()).run(page, "/Contents")
    for call in calls:
        visit(*call)


def _mult(m, n) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _number(operands, index: int, default: float) -> float:
    if index < len(operands) and isinstance(operands[index], (int, float)):
        return float(operands[index])
    return default


class _Interpreter:
    """pypdf 7.1's TextExtraction and PageObject._extract_text, for one content stream
    (a page or a form XObject, which starts afresh as in pypdf)."""

    def __init__(self, page, fonts: DocumentFonts, emit, operations, forms: list[int],
                 open_forms: set[int]) -> None:
        self.page, self.document_fonts, self.emit, self.operations = page, fonts, emit, operations
        self.forms, self.open_forms = forms, open_forms
        self.cm = list(_IDENTITY)
        self.tm = list(_IDENTITY)
        self.stack: list[tuple] = []
        self.cm_prev = list(_IDENTITY)
        self.tm_prev = list(_IDENTITY)
        self.memo_cm = list(_IDENTITY)
        self.memo_tm = list(_IDENTITY)
        self.char_scale = 1.0
        self.space_scale = 1.0
        self.char_spacing = 0.0
        self.half_space = 500.0  # pypdf's _space_width: half a space, set at the first Tf
        self.previous_font_space: float | None = None
        self.str_widths = 0.0
        self.str_height = 0.0
        self.leading = 0.0
        self.font_size = 12.0
        self.line_span: tuple[int, float, float] | None = None
        self.text = ""
        self.tail = ""  # the last character of the text reported so far (pypdf's output)
        self.font_resource = None
        self.font: _Font | None = None
        self.fonts: dict[str, _Font] = {}
        self.font_resources: dict[str, object] = {}

    # The stream

    def run(self, obj, content_key: str | None) -> str:
        """Interpret ``obj``'s content; the last character of the text it reported."""
        from pypdf._page import _get_font_resources, _get_page_resources
        from pypdf.generic import ContentStream

        self.resources = resources = _get_page_resources(obj)
        if not resources:
            return ""
        for name, ref in _get_font_resources(resources).items():
            resource = ref.get_object()
            self.font_resources[name] = resource
            font = self.document_fonts.get(resource)
            if font is not None:
                self.fonts[name] = font
        try:
            content = obj[content_key].get_object() if content_key else obj
            if not isinstance(content, ContentStream):
                content = ContentStream(content, self.page.pdf, "bytes")
        except (AttributeError, KeyError):
            return ""
        for operands, operator in self.operations(content):
            self.step(operator, operands)
        if self.text:
            self.tail = self.text[-1]
            self.emit((self.text, self.memo_cm, self.memo_tm, self.font_resource, self.font_size))
        return self.tail

    def step(self, operator: bytes, operands: list) -> None:
        if operator == b"Tj":
            if operands and isinstance(operands[0], str):
                raise NotExact("a name shown as text")
            self.show(operands)
        elif operator == b"TJ":
            confirm_space = self.half_space * 0.95
            if operands and isinstance(operands[0], list):
                for op in operands[0]:
                    if isinstance(op, bytes):
                        self.show([op])
                    elif isinstance(op, (int, float)):
                        self.tj_offset(float(op), confirm_space)
        elif operator == b"Td":
            self.td(operands)
        elif operator == b"Tf":
            self.tf(operands)
        elif operator == b"Tm":
            try:
                tm = [float(op) for op in operands[:6]]
            except (TypeError, ValueError):
                tm = []
            self.tm = tm if len(tm) == 6 else list(_IDENTITY)
            self.moved()
        elif operator == b"BT":
            self.tm = list(_IDENTITY)
            self.flush()
        elif operator == b"ET":
            self.flush()
        elif operator == b"q":
            self.stack.append((self.cm, self.font_resource, self.font, self.font_size,
                               self.char_scale, self.space_scale, self.char_spacing, self.leading))
        elif operator == b"Q":
            if self.stack:
                (self.cm, self.font_resource, self.font, self.font_size, self.char_scale,
                 self.space_scale, self.char_spacing, self.leading) = self.stack.pop()
            else:
                self.cm = list(_IDENTITY)
        elif operator == b"cm":
            self.report(self.text)
            self.text = ""
            try:
                self.cm = _mult([float(op) for op in operands[:6]], self.cm)
            except (TypeError, ValueError, IndexError):
                self.cm = list(_IDENTITY)
            self.memo_cm = self.cm.copy()
            self.memo_tm = self.tm.copy()
        elif operator == b"T*":
            self.t_star()
        elif operator == b"TD":
            if len(operands) >= 2:
                if isinstance(operands[1], (int, float)):
                    self.leading = _number([-operands[1]], 0, 0.0)
                self.td(operands)
        elif operator == b"TL":
            self.leading = _number(operands, 0, 0.0)
        elif operator == b"Tc":
            self.char_spacing = _number(operands, 0, 0.0)
        elif operator == b"Tw":
            self.space_scale = 1.0 + _number(operands, 0, 0.0)
        elif operator == b"Tz":
            self.char_scale = _number(operands, 0, 100.0) / 100
        elif operator == b"'":
            self.t_star()
            self.show(operands)
        elif operator == b'"':
            if len(operands) >= 3:
                self.space_scale = 1.0 + _number(operands, 0, 0.0)
                self.char_spacing = _number(operands, 1, 0.0)
                self.t_star()
                self.show(operands[2:])
        elif operator == b"Do":
            if operands:
                self.do(operands[0])
        elif operator == b"INLINE IMAGE":
            pass

    # Reporting text

    def report(self, text: str) -> None:
        """pypdf's ``output += text`` and visitor call with the text's start."""
        if text:
            self.tail = text[-1]
            self.emit((text, self.memo_cm, self.memo_tm, self.font_resource, self.font_size))

    def flush(self) -> None:
        self.report(self.text)
        self.text = ""
        self.memo_cm = self.cm.copy()
        self.memo_tm = self.tm.copy()

    # Fonts and strings

    def tf(self, operands: list) -> None:
        if self.text:
            self.previous_font_space = self.font_size * self.half_space
            self.report(self.text)
        self.text = ""
        self.memo_cm = self.cm.copy()
        self.memo_tm = self.tm.copy()
        try:
            self.font_resource = self.font_resources[operands[0]]
            self.font = self.fonts[operands[0]]
        except (KeyError, IndexError):
            raise NotExact("a font the page does not have, or one pypdf cannot build") from None
        self.half_space = self.font.space_width / 2
        if len(operands) > 1:
            with contextlib.suppress(TypeError, ValueError):  # pypdf keeps the size
                self.font_size = float(operands[1])

    def show(self, operands: list) -> None:
        """Tj: pypdf adds the text to the current one without moving the text matrix."""
        if operands and isinstance(operands[0], (bytes, str)):
            self.previous_font_space = None
            if self.font is None:
                raise NotExact("text shown before any Tf")
            if isinstance(operands[0], str):  # the space tj_offset adds
                shown = operands[0]
                widths, count = self.font.measure(shown), len(shown)
            else:
                shown, widths, count = self.font.decode(operands[0])
            self.text += shown
            self.str_widths += widths * self.font_size + 1000 * self.char_spacing * count
            self.str_height = self.font_size
        self.post(0.0)

    def tj_offset(self, offset: float, space_width: float) -> None:
        str_widths = self.str_widths - offset * self.font_size
        previous = self.text[-1:] or self.tail
        if -offset >= space_width and previous and previous not in " \n":
            self.show([" "])
        self.str_widths = str_widths

    # Positioning

    def td(self, operands: list) -> None:
        tx = _number(operands, 0, 0.0)
        ty = _number(operands, 1, 0.0)
        tm = self.tm
        tm[4] += tx * tm[0] + ty * tm[2]
        tm[5] += tx * tm[1] + ty * tm[3]
        self.moved()

    def t_star(self) -> None:
        tm = self.tm
        tm[4] -= self.leading * tm[2]
        tm[5] -= self.leading * tm[3]
        self.moved()

    def moved(self) -> None:
        str_widths = self.str_widths / 1000
        self.str_widths = 0.0
        self.post(str_widths)

    def post(self, str_widths: float) -> None:
        """pypdf's _post_process_text_operation and crlf_space_check: a line end or a space
        where the text moved far enough from where the previous text started."""
        text_was_empty = self.text == ""
        space_width = self.font_size * self.half_space
        if self.previous_font_space is not None:
            space_width = min(space_width, self.previous_font_space)
        space_width = space_width / 1000
        m_prev = _mult(self.tm_prev, self.cm_prev)
        m = _mult(self.tm, self.cm)
        if m[3] > 1e-6 or m[3] < -1e-6:
            axis_index = 5
            moved_height, moved_width = m[5] - m_prev[5], m[4] - m_prev[4]
        else:
            axis_index = 4
            moved_height, moved_width = m[4] - m_prev[4], m[5] - m_prev[5]
        scale_prev_x = math.sqrt(m_prev[0] ** 2 + m_prev[1] ** 2)
        scale_prev_y = math.sqrt(m_prev[2] ** 2 + m_prev[3] ** 2)
        scale_y = math.sqrt(m[2] ** 2 + m[3] ** 2)
        axis = m[axis_index]
        span = self.line_span
        if span is None or span[0] != axis_index:
            distance = abs(moved_height)
        else:
            lower, upper = span[1], span[2]
            distance = 0.0 if lower <= axis <= upper else min(abs(axis - lower), abs(axis - upper))
        last = self.text[-1:] or self.tail
        threshold = 0.8 * min(self.str_height * scale_prev_y, self.font_size * scale_y)
        if distance > threshold:
            if last not in ("", "\n"):
                self.tail = "\n"
                self.emit((self.text + "\n", self.memo_cm, self.memo_tm, self.font_resource,
                           self.font_size))
                self.text = ""
            self.line_span = (axis_index, axis, axis)
        else:
            if ((abs(moved_height) > threshold or moved_width >= (space_width + str_widths) * scale_prev_x)
                    and last not in ("", " ")):
                self.text += " "
            if last in ("", "\n") or span is None or span[0] != axis_index:
                self.line_span = (axis_index, axis, axis)
            else:
                self.line_span = (axis_index, min(span[1], axis), max(span[2], axis))
        self.tm_prev = self.tm.copy()
        self.cm_prev = self.cm.copy()
        if text_was_empty or self.text == "":
            self.memo_cm = self.cm.copy()
            self.memo_tm = self.tm.copy()

    # Form XObjects

    def do(self, name) -> None:
        self.report(self.text)
        if self.tail and self.tail != "\n":
            self.tail = "\n"
        try:
            xform = self.resources["/XObject"][name]
            image = xform["/Subtype"] == "/Image"
        except (LookupError, TypeError, AttributeError) as exc:  # pypdf warns: leave it to pypdf
            raise NotExact(f"form XObject {name}: {exc}") from None
        if not image:
            if id(xform) in self.open_forms or self.forms[0] >= MAX_FORMS:
                raise NotExact("a cyclic form XObject, or too many")
            self.forms[0] += 1
            self.open_forms.add(id(xform))
            try:
                inner = _Interpreter(self.page, self.document_fonts, self.emit, self.operations,
                                     self.forms, self.open_forms)
                tail = inner.run(xform, None)
            finally:
                self.open_forms.discard(id(xform))
            if tail:
                self.tail = tail
        self.text = ""
        self.memo_cm = self.cm.copy()
        self.memo_tm = self.tm.copy()
