"""The user cache folder of digest (jieba's tables, the kept `digest --help`).

The folder is platformdirs' ``user_cache_dir("digest")``. On Linux and the BSDs that is
``$XDG_CACHE_HOME/digest`` or ``~/.cache/digest``, which is computed here without importing
platformdirs: its import (tempfile, shutil, random) costs a fifth of the interpreter's start-up,
which `digest --help` and every `digest export` would pay for one path. tests/test_startup.py
checks the two agree.
"""

from __future__ import annotations

import os
import sys


def folder() -> str:
    """The user cache folder (not created)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "digest")
    import platformdirs

    return platformdirs.user_cache_dir("digest")


def read_keyed(path: str, key: str) -> str:
    """The text ``write_keyed(path, key, text)`` kept: OSError when there is none, ValueError
    when it was kept under another key."""
    with open(path, encoding="utf-8") as f:
        kept_key, _, text = f.read().partition("\n")
    if kept_key != key:
        raise ValueError("kept under another key")
    return text


def write_keyed(path: str, key: str, text: str) -> None:
    """Write ``key``, a newline and ``text`` to ``path`` whole or not at all (a temporary file
    renamed over it); a read-only or full cache folder only makes commands slower, so an
    OSError leaves the old file (or none) and is not raised."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "w", encoding="utf-8") as f:
            f.write(f"{key}\n{text}")
        os.replace(temp, path)
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temp)
