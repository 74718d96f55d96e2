"""`digest add` as real processes: two at once both land everything; a killed one leaves no
half-stored issue."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from library_helpers import issue_text, truth_issue

from digest.issue import parse_issue

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 120  # generous: the machine may be busy; the tests never assert on speed


def write_variants(folder: Path, numbers) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        issue = truth_issue(n, date=dt.date(2020, 1, 3) + dt.timedelta(weeks=n))
        paths.append(folder / f"issue-{n}.txt")
        paths[-1].write_text(issue_text(issue), encoding="utf-8")
    return paths


def start_add(library: Path, *paths: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "-q", "add", "--library", str(library), *map(str, paths)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_consistent(library: Path, sources: dict[str, Path]) -> dict[str, int]:
    """Integrity, and every stored issue has all its articles and index entries."""
    conn = sqlite3.connect(library / "library.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = dict(conn.execute(
        "SELECT i.source, count(a.id) FROM issues i LEFT JOIN articles a ON a.issue_id = i.id "
        "GROUP BY i.id"))
    for source, n in counts.items():
        assert n == len(parse_issue(sources[source]).articles), source
    with_body = conn.execute("SELECT count(*) FROM articles WHERE body != ''").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM article_fts").fetchone()[0] == with_body
    conn.close()
    return counts


def test_two_concurrent_adds_both_land_all_their_issues(tmp_path):
    first = write_variants(tmp_path / "a", range(1, 7))
    second = write_variants(tmp_path / "b", range(7, 13))
    shared = first[0]  # given to both: one adds it, the other finds it there
    library = tmp_path / "lib"  # not created yet: both processes create and migrate it
    procs = [start_add(library, *first), start_add(library, shared, *second)]
    outs = [p.communicate(timeout=WAIT_S) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    counts = check_consistent(library, {p.name: p for p in first + second})
    assert sorted(counts) == sorted(p.name for p in first + second)


def test_a_killed_add_leaves_whole_issues_only_and_can_be_resumed(tmp_path):
    paths = write_variants(tmp_path / "in", range(1, 41))
    library = tmp_path / "lib"
    proc = start_add(library, *paths)
    stored = wait_for_issues(library / "library.db", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=WAIT_S)
    sources = {p.name: p for p in paths}
    counts = check_consistent(library, sources)
    assert stored <= len(counts) < len(paths)
    rerun = start_add(library, *paths)
    out, err = rerun.communicate(timeout=WAIT_S)
    assert rerun.returncode == 0, err
    assert out.startswith(f"Added {len(paths) - len(counts)} issue")
    assert len(check_consistent(library, sources)) == len(paths)


def wait_for_issues(db: Path, proc: subprocess.Popen) -> int:
    """Wait until the add has committed its first issue; how many are stored then."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            n = conn.execute("SELECT count(*) FROM issues").fetchone()[0]
            conn.close()
            if n:
                return n
        except sqlite3.Error:
            pass  # not created or not migrated yet
        time.sleep(0.01)
    raise AssertionError(f"no issue was stored: {proc.poll()=}")
