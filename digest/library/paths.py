"""Where the library lives, and which files a `digest add` argument names.

``library_path`` picks the folder (``--library`` > ``$DIGEST_HOME`` > the user data folder); the
database is ``library.db`` inside it. No server, no set-up.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

DB_NAME = "library.db"
ENV_VAR = "DIGEST_HOME"
ISSUE_SUFFIXES = (".pdf", ".txt")  # what a folder given to `digest add` is searched for


def library_path(explicit: str | os.PathLike | None = None) -> Path:
    """The library folder: ``explicit``, else ``$DIGEST_HOME``, else the user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
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
