"""Binary output files (PDF, xlsx, docx) through the shared -o writer (``digest.output``):
checked before any work, written atomically, never onto an input; and never to standard
output or a terminal, where a zip or PDF would be noise."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from digest.errors import OutputError, UsageError


def binary_target(output: Path | None, fmt: str, inputs: Iterable[str | os.PathLike] = ()):
    """The checked destination for a binary file, resolved before any parsing."""
    from digest.output import OutputKind, resolve_output

    if output is None or str(output) == "-":
        raise UsageError(f"--format {fmt} is a binary file: give its name with -o, e.g. -o out.{fmt}")
    target = resolve_output(output, inputs)
    if target.kind is OutputKind.SPECIAL and _is_terminal(target.path):
        raise OutputError(f"{output}: is a terminal; write the {fmt} file to a file with -o")
    return target


def write_bytes(target, data: bytes) -> None:
    from digest.output import write_output

    write_output(target, lambda out: out.write(data), binary=True)


def _is_terminal(path: Path) -> bool:
    try:
        with open(path, "rb", buffering=0) as stream:
            return stream.isatty()
    except OSError:
        return False
