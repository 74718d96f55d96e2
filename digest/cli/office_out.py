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


def xlsx_target(fmt, output: Path | None, inputs: Iterable[str | os.PathLike] = ()):
    """For commands whose -o is only for ``--format xlsx``: the checked target, or None."""
    if fmt.value != "xlsx":
        if output is not None:
            raise UsageError("-o here is for --format xlsx; other formats go to standard output "
                             "(redirect it with >)")
        return None
    from digest.xlsx import load_openpyxl

    load_openpyxl()  # a missing extra stops the command before any work
    return binary_target(output, "xlsx", inputs)


def write_xlsx_records(target, records: list[dict], *, sheet: str) -> None:
    from digest.output import write_output
    from digest.xlsx import write_records

    write_output(target, lambda out: write_records(records, out, sheet=sheet), binary=True)
