"""Where ``-o`` writes: resolved before any work, then written without clobbering anything.

Every command with ``-o`` uses this module, in two steps:

1. :func:`resolve_output` runs first, before any file is parsed, so a wrong ``-o`` costs
   nothing: an empty name, a folder, a missing folder, a socket, or one of the command's own
   input files is refused with one line (:class:`~digest.errors.OutputError`). ``-`` (or no
   ``-o``) means standard output.
2. :func:`write_output` writes:

   * a **symlink** is followed: its target is written and the link stays a link;
   * a **special file** (``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is opened and
     written directly, never renamed over (renaming would replace a device node by a file);
     so is any path under ``/dev`` or ``/proc`` (``/dev/stdout`` when the shell redirected
     it to a file: the shell's descriptor is written, not the file replaced under it);
   * a **regular file** is written atomically: a temporary file beside the target, renamed
     over it when complete, so a failed export never leaves half a file. The new file keeps
     an existing file's permission bits; a new file gets ``0o666`` minus the umask, like
     ``>`` in a shell (not ``mkstemp``'s ``0o600``).

A full disk (``ENOSPC``) or another write error becomes an ``OutputError`` naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO

from digest.errors import DiskFullError, OutputError

STDOUT = "-"
NEW_FILE_MODE = 0o666  # what open(..., "w") asks for; the umask takes bits away


class OutputKind(Enum):
    STDOUT = "stdout"
    SPECIAL = "special"  # device, FIFO: written in place
    REGULAR = "regular"  # written atomically


@dataclass(frozen=True)
class OutputTarget:
    """A checked destination. ``path`` is the file really written (a symlink's target)."""

    kind: OutputKind
    path: Path | None = None
    shown: str = "standard output"  # the name the user typed, for messages
    mode: int | None = None  # permission bits to give a regular file


def resolve_output(output: str | os.PathLike | None, inputs: Iterable[str | os.PathLike] = ()
                   ) -> OutputTarget:
    """Check ``-o`` before any work; ``inputs`` are the files the command will read."""
    if output is None or str(output) == STDOUT:
        return OutputTarget(OutputKind.STDOUT)
    shown = str(output)
    if not shown.strip():
        raise OutputError("-o: the file name is empty; name a file, or - for standard output")
    given = Path(shown).expanduser()
    if shown.endswith(("/", os.sep)) or given.is_dir():
        raise OutputError(f"{shown}: is a folder; name a file in it, e.g. {given / 'out.csv'}")
    try:
        st = given.stat()  # follows symlinks, including /dev/stdout → /proc/self/fd/1
    except FileNotFoundError:
        return _new_file(Path(os.path.realpath(given)), shown)  # a dangling link: create its target
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write there ({exc.strerror})") from None
    _refuse_inputs(st, shown, inputs)
    if stat.S_ISSOCK(st.st_mode):
        raise OutputError(f"{shown}: is a socket; name a file")
    if not stat.S_ISREG(st.st_mode) or _is_device_alias(given):
        return OutputTarget(OutputKind.SPECIAL, given, shown)
    path = Path(os.path.realpath(given))  # the symlink's target is replaced, the link stays
    _require_writable_folder(path, shown)
    return OutputTarget(OutputKind.REGULAR, path, shown, stat.S_IMODE(st.st_mode))


def _is_device_alias(path: Path) -> bool:
    """``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``: an open descriptor, maybe on a file
    the shell opened; write through it rather than replace the file under the shell."""
    return Path(os.path.abspath(path)).parts[1:2] in (("dev",), ("proc",))


def _new_file(path: Path, shown: str) -> OutputTarget:
    if not path.parent.is_dir():
        raise OutputError(f"{shown}: the folder {path.parent} does not exist; create it first")
    _require_writable_folder(path, shown)
    return OutputTarget(OutputKind.REGULAR, path, shown, NEW_FILE_MODE & ~current_umask())


def _require_writable_folder(path: Path, shown: str) -> None:
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{shown}: cannot write in the folder {path.parent} (permission "
                          "denied); choose another place")


def _refuse_inputs(st: os.stat_result, shown: str, inputs: Iterable[str | os.PathLike]) -> None:
    if not stat.S_ISREG(st.st_mode):
        return  # /dev/stdout as both input and output is a pipeline's business
    for name in inputs:
        if str(name) == STDOUT:
            continue
        try:
            other = os.stat(name)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise OutputError(f"{shown}: is the input {name}; writing it would destroy it — "
                              "choose another output file")


def current_umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(target: OutputTarget, write: Callable[[IO], object], *, binary: bool = False
                 ) -> None:
    """Call ``write(stream)`` on the target's stream: text (UTF-8, newlines as written) or bytes."""
    try:
        if target.kind is OutputKind.STDOUT:
            _write_stdout(write, binary)
        elif target.kind is OutputKind.SPECIAL:
            with _open(target.path, binary) as out:
                write(out)
        else:
            _write_atomically(target, write, binary)
    except OSError as exc:
        raise output_error(exc, target.shown, target.kind is OutputKind.REGULAR) from None


def _write_stdout(write, binary: bool) -> None:
    stream = sys.stdout.buffer if binary else sys.stdout
    write(stream)
    stream.flush()


def _open(path, binary: bool, fd: int | None = None):
    what = path if fd is None else fd
    if binary:
        return open(what, "wb")
    return open(what, "w", encoding="utf-8", newline="")


def _write_atomically(target: OutputTarget, write, binary: bool) -> None:
    path = target.path
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with _open(None, binary, fd) as out:
            write(out)
            out.flush()
            os.fchmod(out.fileno(), target.mode if target.mode is not None else 0o644)
            os.fsync(out.fileno())  # the rename must never expose a file that is not on disk
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def output_error(exc: OSError, shown: str = "standard output", atomic: bool = False
                 ) -> OutputError:
    """The one line for a failed write: a full disk, or the OS's reason."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        kept = " (the existing file is unchanged)" if atomic else ""
        return DiskFullError(f"{shown}: the disk is full{kept}; free some space and run the "
                             "command again")
    return OutputError(f"{shown}: cannot write ({exc.strerror or exc})")
