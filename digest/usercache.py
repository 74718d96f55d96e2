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
