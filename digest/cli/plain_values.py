"""Command-line values of plain types converted without pydantic.

Typer (0.27 and later) converts every parameter value through a pydantic ``TypeAdapter``; the
first conversion imports pydantic, which costs more than the rest of a `digest search` together
(about 0.15 s on an idle core, 2-3x the interpreter's own start-up). Our commands only take
strings, lists of strings, integers, flags, choices (``--format``) and a few paths; a value of
the plain kinds has exactly one meaning, so ``PlainValues`` converts it directly. Anything else
- a path, a choice not spelled exactly, a value out of range, a malformed number - goes to
typer's own conversion, unchanged, so its checks and its error messages stay typer's.

How: the command group (``PlainValuesGroup`` in digest/cli/lazy.py) gives each command's
parameters a converter before typer would build its own (typer's parameters build their
converter lazily, on first use, and keep it in ``_runtime_param``). If a future typer no longer
has that attribute, nothing is changed and typer converts everything itself, only slower;
tests/test_startup.py would say so. Nothing here imports typer: the fast path of
digest/cli/fastpath.py converts values with the same ``PlainValues``.
"""

from __future__ import annotations

import re
from enum import EnumMeta

_INT = re.compile(r"-?[0-9]+")  # read the same by int() and by pydantic's lax int
_UNHANDLED = object()


class PlainValues:
    """A converter for one parameter whose type is str, int, bool, list[str] or an Enum."""

    def __init__(self, kind: type, multiple: bool, low=None, high=None):
        self.kind, self.multiple, self.low, self.high = kind, multiple, low, high
        self._choices = {m.value: m for m in kind} if isinstance(kind, EnumMeta) else {}

    def coerce(self, value: object, param, ctx) -> object:
        got = self._convert(value)
        if got is _UNHANDLED:  # typer's own conversion, for this value and every later one
            param._runtime_param = None
            return param.get_runtime_param().coerce(value, param=param, ctx=ctx)
        return got

    def _convert(self, value: object) -> object:
        if value is None:
            return () if self.multiple else None
        if self.multiple:
            if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                return list(value)
            return _UNHANDLED
        if self.kind in (str, bool):
            return value if type(value) is self.kind else _UNHANDLED
        if isinstance(self.kind, EnumMeta):
            if isinstance(value, self.kind):
                return value
            return self._choices.get(value, _UNHANDLED) if isinstance(value, str) else _UNHANDLED
        if isinstance(value, str) and _INT.fullmatch(value):
            value = int(value)
        if type(value) is not int:
            return _UNHANDLED
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            return _UNHANDLED  # typer clamps or says what the range is
        return value


def plain_converter(param) -> PlainValues | None:
    """A converter for ``param`` if its type is one ``PlainValues`` handles, else None."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None or desc.is_path or desc.is_file or desc.parameter_info.parser:
        return None
    annotation = desc.annotation
    if isinstance(annotation, EnumMeta) and all(isinstance(m.value, str) for m in annotation):
        return PlainValues(annotation, False)
    if desc.is_choice:
        return None
    if annotation in (str, bool) or annotation == list[str]:
        return PlainValues(str if annotation == list[str] else annotation, annotation == list[str])
    if annotation is int:
        return PlainValues(int, False, desc.parameter_info.min, desc.parameter_info.max)
    return None
