"""Where the library lives, and which files a `digest add` argument names.

``library_path`` picks the library (``--library`` > ``$DIGEST_LIBRARY`` > ``$DIGEST_HOME`` > the user
data folder). A folder holds ``library.db``, an SQLite file: no server, no set-up. A
``postgresql://`` (or ``postgres://``) URL names a PostgreSQL database instead (``digest.library.pg``).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

DB_NAME = "library.db"
ENV_VAR = "DIGEST_HOME"
LIBRARY_VAR = "DIGEST_LIBRARY"  # a folder or a postgresql:// URL, before $DIGEST_HOME
URL_SCHEMES = ("postgresql://", "postgres://")
ISSUE_SUFFIXES = (".pdf", ".txt")  # what a folder given to `digest add` is searched for


def is_url(location: str | os.PathLike | None) -> bool:
    """Whether a library location is a PostgreSQL URL rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(URL_SCHEMES)


def shown_location(location: Path | str) -> Path | str:
    """A library as messages show it: a URL without its password."""
    if not is_url(location):
        return location
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(location)
    if parts.password is None:
        return location
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))


def library_path(explicit: str | os.PathLike | None = None) -> Path | str:
    """The library: ``explicit``, else ``$DIGEST_LIBRARY``, else ``$DIGEST_HOME``, else the user
    data folder. A folder as a ``Path``; a PostgreSQL URL as the string given."""
    for value in (explicit, os.environ.get(LIBRARY_VAR), os.environ.get(ENV_VAR)):
        if value:
            return value if is_url(value) else Path(value).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("digest", appauthor=False))


def expand_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[str]]:
    """Files named, found in folders (recursively) and matched by globs; and what matched nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for p in map(str, paths):
        path = Path(p)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*")
                            if f.is_file() and f.suffix.lower() in ISSUE_SUFFIXES)
        elif path.exists():
            files.append(path)
        elif glob.has_magic(p) and (matched := sorted(glob.glob(p, recursive=True))):
            files += expand_paths(matched)[0]
        else:
            missing.append(p)
    unique = {f.resolve(): f for f in reversed(files)}  # keep the first of duplicates
    return [f for f in files if unique[f.resolve()] is f], missing
