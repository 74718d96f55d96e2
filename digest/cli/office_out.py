"""Binary output files (PDF, xlsx, docx): written atomically, never onto an input, never to a
terminal. Replaced by the shared output writer once that lands."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from digest.errors import DigestError, InputError


def write_binary(data: bytes, output: Path, *, not_onto: Path | None = None) -> None:
    """Write ``data`` to ``output`` through a temporary file in the same folder and a rename,
    so that a failure never leaves half a file; refuse to overwrite ``not_onto`` (the input)."""
    target = output.expanduser()
    if str(target) == "-":
        raise InputError("this format is binary: give a file name with -o, not -")
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name with -o")
    if not_onto is not None and _same(target, not_onto):
        raise InputError(f"{target}: is the input file; write the copy to another file")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".digest-")
    except OSError as exc:
        raise DigestError(f"{target}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
