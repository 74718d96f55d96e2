"""The library: issues, their articles and printed TOCs in one embedded SQLite file, searchable.

One module a concern:

* ``paths``  — where the library lives (``--library``, ``$DIGEST_HOME``), which files to add;
* ``schema`` — the tables, the migration steps (``PRAGMA user_version``), opening the file;
* ``rows``   — the one list of article fields: columns, ``Article`` values, export rows, hits;
* ``ingest`` — parsing and enriching files for the library, in worker processes;
* ``store``  — the ``Library`` class: adding, finding, removing issues;
* ``search`` — a query and filters in, SQL over the library, ranked hits out.

The names of ``ingest`` are imported on first use: listing, showing and searching, which a user
waits for at every start, do not parse files.
"""

from digest.library.paths import DB_NAME, ENV_VAR, ISSUE_SUFFIXES, expand_paths, library_path
from digest.library.rows import ARTICLE_FIELDS, FIELDS, Hit, IssueInfo, article_row
from digest.library.schema import BUSY_TIMEOUT_S, MIGRATIONS, connect
from digest.library.search import DEFAULT_LIMIT, Filters, date_bound
from digest.library.store import Library

__all__ = [
    "ARTICLE_FIELDS", "BUSY_TIMEOUT_S", "DB_NAME", "DEFAULT_LIMIT", "ENV_VAR", "FIELDS",
    "ISSUE_SUFFIXES", "MIGRATIONS", "AddResult", "FileOutcome", "Filters", "Hit",
    "IssueInfo", "Library", "Outcome", "article_row", "connect", "date_bound", "expand_paths",
    "file_sha256", "library_path", "parse_file",
]

_INGEST = ("AddResult", "FileOutcome", "Outcome", "file_sha256", "parse_file")


def __getattr__(name: str):
    if name in _INGEST:
        from digest.library import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module 'digest.library' has no attribute {name!r}")
