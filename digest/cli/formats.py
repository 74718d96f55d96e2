"""The values behind the shared options, without typer: output formats, the ``--region``,
``--home`` and ``--max-size`` callbacks, ``--example`` and ``--reader``.

``digest.cli.options`` declares the options (typer's ``Annotated`` types) over these; the
command bodies and the fast path of digest/cli/fastpath.py use them without importing typer.
A callback here takes ``(ctx, value)`` untyped, which typer passes by position, and reads only
``ctx.resilient_parsing``; an error is printed as ``Error: …`` and ends the run with its exit
code (``SystemExit``, which click lets through as it does its own ``Exit``).
"""

from __future__ import annotations

import sys
from enum import Enum

from digest.errors import DigestError, UsageError


class Fmt(str, Enum):
    """Every output format's name; a command offers the subset that makes sense for it."""

    table = "table"  # a rich table (a terminal's default)
    text = "text"  # plain indented text for documents: a TOC, a digest (piped default)
    tsv = "tsv"  # tab-separated rows, no header (piped default for rows: cut, sort)
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    xlsx = "xlsx"  # an Excel workbook (binary: needs -o)
    docx = "docx"  # a Word document (binary: needs -o)


_FORMAT_ENUMS: dict[str, type[Enum]] = {}
_FORMAT_PREFIX = "Format_"


def format_enum(*choices: Fmt) -> type[Enum]:
    """The ``Enum`` a ``--format`` offering ``choices`` converts to (typer lists its values in
    help and errors). One class for each set of choices, importable from this module as
    ``Format_<names>`` so that the fast path converts to the very class typer does."""
    qualname = _FORMAT_PREFIX + "_".join(c.name for c in choices)
    if qualname not in _FORMAT_ENUMS:
        _FORMAT_ENUMS[qualname] = Enum("Format", {c.name: c.value for c in choices}, type=str,
                                       module=__name__, qualname=qualname)
    return _FORMAT_ENUMS[qualname]


def __getattr__(name: str):
    if name.startswith(_FORMAT_PREFIX):
        try:
            return format_enum(*(Fmt[n] for n in name[len(_FORMAT_PREFIX):].split("_")))
        except KeyError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def output_format(chosen, as_json: bool = False, *, piped: Fmt = Fmt.tsv,
                  terminal: Fmt = Fmt.table) -> Fmt:
    """The format to write: ``--format`` if given, ``--json``, else by where stdout goes."""
    if as_json and chosen is not None and chosen.value != Fmt.json.value:
        raise UsageError(f"--json and --format {chosen.value}: give one of them")
    if as_json:
        return Fmt.json
    if chosen is not None:
        return Fmt(chosen.value)
    return terminal if sys.stdout.isatty() else piped


def _stop(exc: DigestError):
    print(f"Error: {exc}", file=sys.stderr)
    raise SystemExit(exc.exit_code) from None


def regions(ctx, values: list[str] | None) -> list[str] | None:
    """Resolve each ``--region`` to its label while the command line is read (one error form)."""
    if not values or ctx.resilient_parsing:  # resilient: shell completion is asking
        return values
    from digest import gazetteer

    gaz = gazetteer.load()
    try:
        return list(dict.fromkeys(gaz.resolve(v, "--region") for v in values))
    except DigestError as exc:
        _stop(exc)


def home(ctx, value: str | None) -> str | None:
    """Resolve ``--home`` to a grouping's name (or ``none``: no home grouping)."""
    from digest.regions import NO_HOME

    if not value or ctx.resilient_parsing or value == NO_HOME:
        return value
    from digest import gazetteer

    gaz = gazetteer.load()
    try:
        label = gaz.resolve(value, "--home")
        if label not in gaz.groupings:
            raise UsageError(f"--home {value}: a province, not a grouping; choose one of "
                             f"{', '.join(gaz.groupings)} or {NO_HOME}")
    except DigestError as exc:
        _stop(exc)
    return label


def max_size(ctx, value: str | None) -> int | None:
    """``--max-size`` in bytes (50M, 1G …)."""
    if value is None or ctx.resilient_parsing:
        return None
    from digest.source import parse_size

    try:
        return parse_size(value)
    except DigestError as exc:
        _stop(exc)


def with_example(paths: list[str] | None, example: bool, what: str = "ISSUE") -> list[str]:
    """``paths`` plus the shipped sample issue when ``--example`` is given; none is an error."""
    paths = list(paths or [])
    if example:
        from digest.data import EXAMPLE_ISSUE

        paths.append(str(EXAMPLE_ISSUE))
    if not paths:
        raise UsageError(f"give an {what} file, or --example for the sample issue shipped "
                         "with digest")
    return paths


class Reader(str, Enum):
    """The PDF readers (digest/pdf.py READERS, and AUTO)."""

    auto = "auto"
    pypdf = "pypdf"
    pdfium = "pdfium"


def reader_name(reader: Reader | None) -> str | None:
    """The reader to pass on; a missing extra stops the command here, before any parsing."""
    if reader is None:
        return None
    from digest.pdf import require_reader

    return require_reader(reader.value)
