"""Shared paths. The seed and the real-PDF fixtures live in ../shared, beside the repository
(or where $DIGEST_SHARED names, for a checkout elsewhere such as a git worktree); tests that
need them skip when that folder is absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED = Path(os.environ.get("DIGEST_SHARED") or REPO.parent / "shared")
SEED = SHARED / "seeds" / "000_bf3dd7d26da6ecb5.txt"
FIXTURES = SHARED / "fixtures" / "real-pdfs"
SAMPLE_PDFS = ("issue-200.pdf", "issue-200-stale.pdf", "issue-200-notoc.pdf")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The user cache folder (kept help, command specs, jieba's tables) is a temporary one for
    the whole session, inherited by every digest the tests start: a test run never writes the
    user's real ~/.cache/digest, nor reads what an older checkout kept there. Tests of the
    cache itself set XDG_CACHE_HOME to a folder of their own, as before. (XDG_CACHE_HOME steers
    the folder on Linux and the BSDs: digest/usercache.py.)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    return path


@pytest.fixture
def seed_path() -> Path:
    return need(SEED)


def fixture_pdf(name: str) -> Path:
    return need(FIXTURES / "pdf" / name)


def truth(name: str) -> dict:
    return json.loads((SAMPLES / name.replace(".pdf", ".truth.json")).read_text("utf-8"))


def source_issue() -> dict:
    return json.loads((SAMPLES / "source" / "issue-200.json").read_text("utf-8"))


# --- a throw-away PostgreSQL server (tests/pg_server.py) --------------------------------------


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session; skips where its binaries or psycopg are missing."""
    import pg_server as server

    bindir = server.find_bin()
    if bindir is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    if (reason := server.cannot_run_as()) is not None:
        pytest.skip(reason)
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'digest[postgres]'")
    running = server.PgServer(bindir).start()
    yield running
    running.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg_server.url()


@pytest.fixture(params=["sqlite", "postgresql"])
def library_at(request, tmp_path):
    """Where a test's library is made, once per back end: a folder (SQLite), or a fresh
    PostgreSQL database's URL (skipped where no server can be started)."""
    if request.param == "sqlite":
        return tmp_path / "lib"
    return request.getfixturevalue("pg_url")
