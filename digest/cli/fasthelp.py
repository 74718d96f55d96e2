"""`digest --help`, `digest` alone and `digest --version` without importing typer.

Measured (python -X importtime, and whole processes beside `python -c pass`): importing typer
costs about 1.8× the interpreter's own start-up, so no help printed through typer can come
within 2.5× of `python -c pass`, however lazily the commands are loaded. The top-level help
depends only on digest's source (command names, their help, the options, the exit codes),
typer's version and the terminal's width; so the text click prints is kept in the user cache
folder (``help-COLUMNS.txt``) the first time it is asked for, and printed from there - byte for
byte what click printed, to the same stream with the same exit code - while nothing it depends
on changed.

The key on the file's first line holds digest's version, Python's, the terminal width and a
checksum over the size and modification time of every module of the ``digest`` package and of
typer's ``__init__``; any difference, a missing or unreadable file, or a shell-completion
request sends the command line to typer as before, which then renders the help again and keeps
it. The same key, without the width (``source_key``), guards the command specs that
digest/cli/fastpath.py keeps. tests/test_startup.py checks that the kept text is what click prints, at several widths.
"""

from __future__ import annotations

import os
import sys

from digest import usercache

HELP_ARGS = ([], ["--help"])  # `digest` alone prints the same help, to stderr, exit 2
NO_ARGS_EXIT = 2  # click's NoArgsIsHelpError is a usage error


def version_line() -> str:
    from digest import __version__

    return f"digest {__version__}"


def serve(args: list[str]) -> None:
    """Answer ``args`` from the cache and exit, or return (nothing printed) to let typer do it."""
    if args == ["--version"]:
        print(version_line())
        sys.exit(0)
    if args not in HELP_ARGS or completing():
        return
    path, key = _cache_file()
    if path is None:
        return
    try:
        text = usercache.read_keyed(path, key)
    except (OSError, ValueError):  # none kept, unreadable, or kept for other sources
        return
    stream = sys.stdout if args else sys.stderr
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:  # `digest --help | head -1`: as click, quietly, exit 1
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        sys.exit(1)
    sys.exit(0 if args else NO_ARGS_EXIT)


def remember(args: list[str]) -> None:
    """Keep click's rendering of the top-level help, if ``args`` ask for it (typer then prints it)."""
    if args not in HELP_ARGS or completing():
        return
    path, key = _cache_file()
    if path is None:
        return
    text = render()
    usercache.write_keyed(path, key, text)


def render() -> str:
    """The top-level help exactly as click renders it for `digest --help` (without the newline
    ``echo`` adds)."""
    import typer.main

    from digest.cli.root import app

    group = typer.main.get_command(app)
    with group.make_context("digest", [], resilient_parsing=True) as ctx:
        return ctx.get_help()


def _cache_file() -> tuple[str | None, str]:
    import shutil

    columns = shutil.get_terminal_size().columns  # what click's formatter reads
    try:
        return os.path.join(usercache.folder(), f"help-{columns}.txt"), _key(columns)
    except (OSError, ValueError, ImportError):
        return None, ""


def _key(columns: int) -> str:
    return f"{source_key()} columns {columns}"


def source_key() -> str:
    """What kept help and kept command specs (digest/cli/fastpath.py) depend on: digest's and
    Python's versions, and the size and mtime of each module of digest and of typer's
    ``__init__``."""
    import zlib
    from importlib.util import find_spec

    import digest

    stamps = []
    for folder, subfolders, files in os.walk(os.path.dirname(digest.__file__)):
        subfolders[:] = sorted(d for d in subfolders if d not in ("__pycache__", "data"))
        stamps += [_stamp(os.path.join(folder, name)) for name in sorted(files)
                   if name.endswith(".py")]
    typer_spec = find_spec("typer")
    stamps.append(_stamp(typer_spec.origin) if typer_spec and typer_spec.origin else "no typer")
    checksum = zlib.crc32("\n".join(stamps).encode("utf-8", "surrogateescape"))
    return f"digest {digest.__version__} python {sys.version.split()[0]} {checksum:08x}"


def _stamp(path: str) -> str:
    st = os.stat(path)
    return f"{path} {st.st_size} {st.st_mtime_ns}"


def completing() -> bool:
    """A shell-completion request (``_DIGEST_COMPLETE=…``) also comes with no arguments."""
    return any(name.endswith("_COMPLETE") or name.startswith("_TYPER_") for name in os.environ)
