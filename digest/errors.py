"""One error family. Every message names the file (or issue) and says what to do.

The CLI catches ``DigestError`` once, prints ``Error: <message>`` on stderr and exits with
``exit_code``; anything else is a bug and shows a traceback only with ``--debug``.
"""

from __future__ import annotations


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


class LibraryError(DigestError):
    """The library database could not be opened, read or written."""

    exit_code = 3


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
