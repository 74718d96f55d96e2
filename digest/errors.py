"""One error family. Every message names the file (or issue) and says what to do.

The CLI catches ``DigestError`` once, prints ``Error: <message>`` on stderr and exits with
``exit_code``; anything else is a bug and shows a traceback only with ``--debug``.

Exit codes (``EXIT_CODES`` lists them for ``--help`` and the README):

====  ==========================================================================================
0     success
1     some files failed while the others were processed (``add``), or no search hits
2     bad input: a file that cannot be read, is not a bulletin, is too large or is not a
      regular file; a query or option that cannot be understood
3     the library cannot be opened or written (read-only, locked, a folder missing)
4     an issue or article named on the command line is not in the library
5     an optional extra is needed (the message names ``pip install 'digest[EXTRA]'``)
6     the output cannot be written: a folder or the input named by ``-o``, a full disk
7     the library database is corrupted (restore a backup or run ``digest check --repair``)
8     out of memory
70    a bug in digest (``--debug`` shows the traceback; please report it)
130   interrupted (Ctrl-C); 143: terminated (SIGTERM). What was stored before stays.
====  ==========================================================================================
"""

from __future__ import annotations

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, not the user's input
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class DigestError(Exception):
    """Something the user can act on went wrong."""

    exit_code = 1


class InputError(DigestError):
    """A file could not be read: missing, not a PDF or text, damaged, or in an unknown encoding."""

    exit_code = 2


class EncryptedError(InputError):
    """The PDF is encrypted and no (or a wrong) ``--password`` was given."""


class NoTextError(InputError):
    """The PDF has no text layer (a scan): it needs OCR before digest can read it."""


class NotABulletinError(InputError):
    """The document has text, but neither a TOC nor article titles could be found in it."""


class TooLargeError(InputError):
    """The input is larger than ``--max-size`` allows."""


class LibraryError(DigestError):
    """The library database could not be opened, read or written."""

    exit_code = 3


class ReadOnlyLibraryError(LibraryError):
    """The library is read-only: it can be listed, shown, searched and exported, not changed."""


class CorruptLibraryError(LibraryError):
    """The library database file is damaged; a backup or ``digest check --repair`` may help."""

    exit_code = 7


class NotFoundError(DigestError):
    """An issue or article named on the command line is not in the library."""

    exit_code = 4


class UsageError(DigestError):
    """A value given on the command line is not valid (an unknown region, a bad date); the
    message names the option and says what it accepts."""

    exit_code = 2


class QueryError(DigestError):
    """A search query could not be understood; the message carries a hint."""

    exit_code = 2


class MissingExtraError(DigestError):
    """A feature needs an optional extra that is not installed; the message names the
    ``pip install 'digest[EXTRA]'`` line."""

    exit_code = 5


class OcrUnavailableError(MissingExtraError):
    """Pages of a PDF need OCR (no text layer, or a garbage one) but the OCR extra is not
    installed: ``pip install 'digest[ocr]'``."""


class OutputError(DigestError):
    """The output (``-o`` or standard output) cannot be written there."""

    exit_code = 6


class DiskFullError(OutputError):
    """The disk filled up while writing; an existing ``-o`` file is left unchanged."""


class OutOfMemoryError(DigestError):
    """The input needs more memory than the machine has."""

    exit_code = 8


EXIT_CODES = {
    0: "success",
    1: "some files failed (add), or nothing matched (search)",
    InputError.exit_code: "bad input: unreadable, not a bulletin, too large, or a bad query/option",
    LibraryError.exit_code: "the library cannot be opened or written (read-only, locked)",
    NotFoundError.exit_code: "no such issue or article in the library",
    MissingExtraError.exit_code: "an optional extra is needed: pip install 'digest[EXTRA]'",
    OutputError.exit_code: "the output cannot be written (a folder, the input itself, disk full)",
    CorruptLibraryError.exit_code: "the library is corrupted: restore a backup or run `digest check`",
    OutOfMemoryError.exit_code: "out of memory",
    EXIT_INTERNAL: "a bug in digest: run with --debug and report it",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    EXIT_TERMINATED: "terminated (SIGTERM)",
}
