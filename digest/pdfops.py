"""A content stream's operations, as pypdf's ContentStream parses them, several times faster.

pypdf reads a content stream a byte at a time through a file object (read, seek back, peek);
this tokenizer matches whole tokens with one regular expression over the bytes. It gives what
``ContentStream(stream, pdf, "bytes").operations`` gives for what text extraction looks at:
(operands, operator) pairs, operators as bytes, numbers as int (no ".") or float, names as str,
strings as bytes (literal strings with pypdf's escapes and nesting, hex strings padded), arrays
as lists; dictionaries (marked-content properties) are read through and stand as {}.

What it does not handle exactly as pypdf does (pypdf's limits: a stream long enough to hold
more tokens than its parsing budget, an array or dictionary over its element count; inline
images, an indirect reference, a name with # escapes or non-ASCII bytes, an unknown escape in a
string, a malformed number or token, a NUL or vertical tab ending a token) raises Unsupported,
and ``operations`` hands the stream to pypdf's parser instead. tests/test_pdftext.py compares
the two on every committed PDF.
"""

from __future__ import annotations

import re

# The longest operator pypdf reads (ContentStream._OPERATOR_LENGTH_LIMIT), and the number it
# reads from a 20-byte peek.
MAX_OPERATOR = 128
MAX_NUMBER = 19

_WS = b"\x00\t\n\x0c\r "
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*+(?:"
    rb"(?P<num>[+,\-.0-9]+)"
    rb"|(?P<name>/[^\s()<>\[\]{}/%]*)"
    rb"|(?P<op>[A-Za-z'\"][^\s()<>\[\]{}/%]*)"
    rb"|\((?P<str>[^()\\]*)\)"
    rb"|(?P<other>.)"
    rb")", re.S)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_HEX = re.compile(rb"<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>")
_ESCAPES = {ord(k): v for k, v in {
    b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")",
    b"/": b"/", b"\\": b"\\", b" ": b" ", b"%": b"%", b"<": b"<", b">": b">", b"[": b"[",
    b"]": b"]", b"#": b"#", b"_": b"_", b"&": b"&", b"$": b"$"}.items()}
_ENDS_TOKEN_ODDLY = (0x00, 0x0B)  # whitespace to pypdf's reader but not to its delimiters, or back
_STRING_SPECIAL = re.compile(rb"[()\\]")


class Unsupported(Exception):
    """A token this tokenizer does not read exactly as pypdf does."""


def operations(content) -> list[tuple[list, bytes]]:
    """``content``'s (operands, operator) pairs (a pypdf ContentStream, not yet parsed)."""
    try:
        return parse(content.get_data())
    except Unsupported:
        return content.operations


def parse(data: bytes) -> list[tuple[list, bytes]]:
    """The (operands, operator) pairs of a content stream's bytes; Unsupported where unsure."""
    from pypdf import get_configuration

    if len(data) >= get_configuration().stream_parsing_work_maximum_count:
        # A token is at least a byte: a shorter stream cannot exhaust pypdf's parsing budget,
        # a longer one is pypdf's to refuse (LimitReachedError) or read.
        raise Unsupported("a stream that may be over pypdf's parsing budget")
    ops: list[tuple[list, bytes]] = []
    operands: list = []
    pos, end = 0, len(data)
    match = _TOKEN.match
    while True:
        m = match(data, pos)
        if m is None:  # only whitespace left
            break
        kind = m.lastgroup
        pos = m.end()
        if kind == "op":
            op = m.group("op")
            if len(op) > MAX_OPERATOR or (pos < end and data[pos] in _ENDS_TOKEN_ODDLY):
                raise Unsupported("a long operator, or one ended by NUL or VT")
            if op == b"BI" or op == b"R":
                raise Unsupported("an inline image or an indirect reference")
            ops.append((operands, op))
            operands = []
        elif kind == "num":
            operands.append(_number(m.group("num")))
        elif kind == "str":
            operands.append(m.group("str"))
        elif kind == "name":
            operands.append(_name(m.group("name"), data, pos))
        elif kind is None:
            break  # trailing whitespace
        else:
            value, pos = _other(data, m.start("other"))
            if value is not _COMMENT:
                operands.append(value)
    return ops


_COMMENT = object()


def _check_count(count: int, kind: str) -> None:
    """Unsupported past pypdf's element limit for an array or dictionary (it raises there)."""
    from pypdf import get_configuration

    config = get_configuration()
    limit = config.array_maximum_element_count if kind == "array" else config.dictionary_maximum_element_count
    if count > limit:
        raise Unsupported(f"an {kind} over pypdf's element limit")


def _number(num: bytes):
    if len(num) > MAX_NUMBER or not _NUMBER.match(num):
        raise Unsupported(f"number {num[:20]!r}")
    return float(num) if b"." in num else int(num)


def _name(name: bytes, data: bytes, pos: int) -> str:
    if b"#" in name or not name.isascii() or (pos < len(data) and data[pos] in _ENDS_TOKEN_ODDLY):
        raise Unsupported("a name with escapes or non-ASCII bytes")
    return name.decode("ascii")


def _other(data: bytes, pos: int):
    """The object starting at ``pos`` (a string with escapes, hex string, array, dictionary,
    comment) and where it ends."""
    c = data[pos:pos + 1]
    if c == b"(":
        return _string(data, pos)
    if c == b"<":
        if data[pos + 1:pos + 2] == b"<":
            return _dictionary(data, pos)
        m = _HEX.match(data, pos)
        if m is None:
            raise Unsupported("a malformed hex string")
        digits = bytes(b for b in m.group(1) if b not in _WS)
        if len(digits) % 2:
            digits += b"0"
        return bytes.fromhex(digits.decode("ascii")), m.end()
    if c == b"[":
        return _array(data, pos)
    if c == b"%":
        nl = min((i for i in (data.find(b"\n", pos), data.find(b"\r", pos)) if i >= 0), default=len(data))
        return _COMMENT, nl + 1
    raise Unsupported(f"byte {c!r} at {pos}")


def _string(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string with nesting and escapes, as pypdf's read_string_from_stream reads it."""
    out = bytearray()
    depth = 1
    i = pos + 1
    n = len(data)
    while True:
        m = _STRING_SPECIAL.search(data, i)
        if m is None:
            raise Unsupported("an unterminated string")
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x28:  # (
            depth += 1
            out.append(c)
            i = j + 1
        elif c == 0x29:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
            i = j + 1
        else:  # backslash
            if j + 1 >= n:
                raise Unsupported("a string ending in a backslash")
            e = data[j + 1]
            if e in _ESCAPES:
                out += _ESCAPES[e]
                i = j + 2
            elif 0x30 <= e <= 0x37:
                k = j + 2
                while k < j + 4 and k < n and 0x30 <= data[k] <= 0x37:
                    k += 1
                value = int(data[j + 1:k], 8)
                if value > 255:
                    raise Unsupported("an octal escape over 255")
                out.append(value)
                i = k
            elif e in (0x0A, 0x0D):
                i = j + 2
                if i < n and data[i] in (0x0A, 0x0D):
                    i += 1
            else:
                raise Unsupported("an unknown escape")


def _skip_ws(data: bytes, pos: int) -> int:
    n = len(data)
    while pos < n and data[pos] in _WS:
        pos += 1
    return pos


def _value(data: bytes, pos: int, in_array: bool = False):
    """An operand inside an array or dictionary, and where it ends (true, false and null only
    in a dictionary, whose values text extraction ignores: a Python bool would be a number)."""
    m = _TOKEN.match(data, pos)
    if m is None:
        raise Unsupported("an unterminated array or dictionary")
    kind = m.lastgroup
    if kind == "num":
        return _number(m.group("num")), m.end()
    if kind == "str":
        return m.group("str"), m.end()
    if kind == "name":
        return _name(m.group("name"), data, m.end()), m.end()
    if kind == "op":
        word = m.group("op")
        if word in (b"true", b"false", b"null") and not in_array:
            return None, m.end()
        raise Unsupported(f"{word[:20]!r} inside an array or dictionary")
    if kind is None:
        raise Unsupported("an unterminated array or dictionary")
    value, end = _other(data, m.start("other"))
    if value is _COMMENT:
        raise Unsupported("a comment inside an array or dictionary")
    return value, end


def _array(data: bytes, pos: int) -> tuple[list, int]:
    items: list = []
    pos += 1
    while True:
        pos = _skip_ws(data, pos)
        if pos >= len(data):
            raise Unsupported("an unterminated array")
        if data[pos] == 0x5D:  # ]
            _check_count(len(items), "array")
            return items, pos + 1
        value, pos = _value(data, pos, in_array=True)
        items.append(value)


def _dictionary(data: bytes, pos: int) -> tuple[dict, int]:
    pos += 2
    entries = 0
    while True:
        pos = _skip_ws(data, pos)
        if data[pos:pos + 2] == b">>":
            after = _skip_ws(data, pos + 2)
            if data[after:after + 6] == b"stream":
                raise Unsupported("a stream keyword after a dictionary")
            _check_count(entries, "dictionary")
            return {}, pos + 2
        if data[pos:pos + 1] != b"/":
            raise Unsupported("a dictionary key that is not a name")
        _key, pos = _value(data, pos)
        pos = _skip_ws(data, pos)
        if data[pos:pos + 1] == b">":
            raise Unsupported("a key without a value")
        _item, pos = _value(data, pos)
        entries += 1
