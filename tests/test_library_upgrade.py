"""Opening an older library upgrades it visibly (digest.library.upgrade): the core tells a
callback which step runs and how far the long ones are; the CLI says so on stderr, in plain
lines when stderr is no terminal, and nothing at all for a library that needs no upgrade. An
upgrade stopped by Ctrl-C, SIGTERM or SIGKILL leaves the library as it was (each step is one
transaction), as real processes killed midway show."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from library_helpers import small_issue
from test_search_order import stored_v9

from digest.library import DB_NAME, MIGRATIONS, Library, connect
from digest.library.schema import TITLES
from digest.library.upgrade import TICK_EVERY, Stage

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 120
STEP_10 = "article ids by issue date, search index rebuilt"


def issues(n: int, per_issue: int = 4) -> list:
    """``n`` dated issues, added newest first (so step 10 has ids to change)."""
    body = "，".join(f"第{k}项工作稳步推进" for k in range(30))
    return [small_issue(f"up{i:05d}", [(f"标题{i}之{k}", f"{body}。编号{i}-{k}。")
                                       for k in range(1, per_issue + 1)],
                        number=i, date=dt.date(2000, 1, 1) + dt.timedelta(days=i))
            for i in range(n, 0, -1)]


def old_library(folder: Path, stored: list, version: int = 9) -> Path:
    """A library at schema ``version`` (9 or less), made by the steps up to it, holding
    ``stored`` as schema 9 stored issues (article ids in the order of adding)."""
    folder.mkdir(parents=True, exist_ok=True)
    conn = connect(folder / DB_NAME, steps=MIGRATIONS[:version])
    conn.execute("BEGIN")
    for issue in stored:
        stored_v9(conn, issue)
    conn.execute("COMMIT")
    conn.close()
    return folder / DB_NAME


def snapshot(db: Path) -> tuple:
    """Schema version, article rows (ids included) and the index's size, read without
    migrating."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA user_version").fetchone()[0],
                conn.execute("SELECT id, issue_id, seq, title, body FROM articles "
                             "ORDER BY id").fetchall(),
                conn.execute("SELECT count(*) FROM article_fts").fetchone()[0],
                conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# --- the core's reports ----------------------------------------------------------------------


def test_an_older_library_reports_each_step_and_the_articles_done(tmp_path):
    stored = issues(TICK_EVERY // 4 + 20)  # 1080 articles: a report at 1000, one at the end
    db = old_library(tmp_path / "lib", stored)
    events = []
    with Library(tmp_path / "lib", upgrading=events.append) as lib:
        assert [lib.issue(str(n)) for n in range(1, len(stored) + 1)] == stored  # intact
        assert [h.title for h in lib.search("编号3-2")] == ["标题3之2"]
    n = len(stored) * 4
    assert [(e.stage, e.where, e.old, e.new, e.articles) for e in events[:1]] == [
        (Stage.STARTED, str(db), 9, 10, n)]
    assert [(e.step, e.what) for e in events if e.stage is Stage.STEP] == [(10, STEP_10)]
    progress = [(e.what, e.done, e.total) for e in events if e.stage is Stage.PROGRESS]
    assert progress == [(what, done, n) for what in ("renumbering articles",
                                                     "building the search index")
                        for done in (0, 1000, n)]
    assert events[-1].stage is Stage.DONE and len(events) == 1 + 1 + 6 + 1
    assert snapshot(db)[0] == 10


def test_an_upgrade_over_several_steps_names_each(tmp_path):
    stored = issues(3)
    old_library(tmp_path / "lib", stored, version=6)
    events = []
    with Library(tmp_path / "lib", upgrading=events.append) as lib:
        assert [lib.issue(str(n)) for n in (1, 2, 3)] == stored
    assert [(e.step, e.what) for e in events if e.stage is Stage.STEP] == [
        (v, TITLES[v - 1]) for v in (7, 8, 9, 10)]
    assert (events[0].old, events[0].articles) == (6, 12)
    # step 7 rebuilds the index too: its pass over the articles is reported
    assert ("building the search index", 12, 12, 7) in [
        (e.what, e.done, e.total, e.step) for e in events if e.stage is Stage.PROGRESS]


def test_nothing_is_told_for_a_new_or_an_up_to_date_library(tmp_path):
    events = []
    with Library(tmp_path / "lib", upgrading=events.append) as lib:  # created: schema 0 → 10
        lib.store(issues(1)[0])
    with Library(tmp_path / "lib", upgrading=events.append):
        pass
    assert events == []


def test_a_failing_step_reports_what_the_library_kept(tmp_path):
    """Steps 7 to 9 are committed one by one; step 10 fails and is rolled back whole."""
    stored = issues(3)
    old_library(tmp_path / "lib", stored, version=6)
    before = snapshot(tmp_path / "lib" / DB_NAME)

    def broken(conn, progress=None):
        MIGRATIONS[9](conn, progress)
        raise RuntimeError("step 10 failed")

    events = []
    with pytest.raises(RuntimeError):
        connect(tmp_path / "lib" / DB_NAME, steps=(*MIGRATIONS[:9], broken),
                upgrading=events.append)
    assert (events[-1].stage, events[-1].kept, events[-1].old) == (Stage.UNDONE, 9, 6)
    version, articles, indexed, ok = snapshot(tmp_path / "lib" / DB_NAME)
    assert (version, articles, indexed, ok) == (9, before[1], before[2], "ok")


# --- the CLI ---------------------------------------------------------------------------------


def digest(*args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "digest", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def test_the_cli_says_it_upgrades_then_says_nothing_once_done(tmp_path):
    stored = issues(5)
    db = old_library(tmp_path / "lib", stored)
    out, errors = digest("search", "编号3-2", "--library", str(tmp_path / "lib")).communicate(
        timeout=WAIT_S)
    assert out.split("\t")[4] == "标题3之2"
    lines = errors.splitlines()
    assert lines[:4] == [
        f"Upgrading library {db} to schema 10 (20 articles; this happens once) …",
        f"  schema 10: {STEP_10}",
        "    renumbering articles (20 articles) …",
        "    building the search index (20 articles) …"]
    assert re.fullmatch(r"Library upgraded to schema 10 in \d+\.\d s\.", lines[4]), lines
    assert len(lines) == 5
    _, again = digest("search", "编号3-2", "--library", str(tmp_path / "lib")).communicate(
        timeout=WAIT_S)
    assert again == ""
    assert snapshot(db)[0] == 10


def test_the_cli_names_each_step_of_a_longer_upgrade_and_each_pass(tmp_path):
    db = old_library(tmp_path / "lib", issues(2), version=6)
    done = digest("list", "--library", str(tmp_path / "lib"))
    _, errors = done.communicate(timeout=WAIT_S)
    assert errors.splitlines()[:-1] == [
        f"Upgrading library {db} to schema 10 (8 articles; this happens once) …",
        "  schema 7: search index with run breaks",
        "    building the search index (8 articles) …",
        "  schema 8: article counts per issue and region",
        "  schema 9: title index (PostgreSQL)",
        f"  schema 10: {STEP_10}",
        "    renumbering articles (8 articles) …",
        "    building the search index (8 articles) …"]


def test_a_copy_says_it_upgrades_each_older_library_it_opens(tmp_path):
    """`digest library copy` opens two libraries: an older one of either is upgraded as any
    command upgrades it, and says so, before the copy's own lines."""
    src = old_library(tmp_path / "src", issues(3))
    dst = old_library(tmp_path / "dst", issues(5)[:1])  # holds up00005 of the same five
    done = digest("library", "copy", str(tmp_path / "src"), str(tmp_path / "dst"))
    out, errors = done.communicate(timeout=WAIT_S)
    assert done.returncode == 0, errors
    lines = errors.splitlines()
    for db, articles in ((src, 12), (dst, 4)):
        start = lines.index(f"Upgrading library {db} to schema 10 ({articles} articles; "
                            "this happens once) …")
        assert re.fullmatch(r"Library upgraded to schema 10 in \d+\.\d s\.", lines[start + 4])
    assert out.strip() == "Copied 3 issues (12 articles); 0 skipped (already in " \
        f"{tmp_path / 'dst'}); 0 failed."
    assert (snapshot(src)[0], snapshot(dst)[0]) == (10, 10)


def test_quiet_upgrades_silently(tmp_path):
    old_library(tmp_path / "lib", issues(2))
    done = digest("-q", "list", "--library", str(tmp_path / "lib"))
    out, errors = done.communicate(timeout=WAIT_S)
    assert (done.returncode, errors, len(out.splitlines())) == (0, "", 2)


KILLED = 800  # issues (3,200 articles): the index takes a good part of a second to build


@pytest.fixture(scope="module")
def big_v9(tmp_path_factory) -> Path:
    return old_library(tmp_path_factory.mktemp("big") / "lib", issues(KILLED))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_an_upgrade_stopped_midway_leaves_the_library_as_it_was(big_v9, tmp_path, sig):
    folder = tmp_path / "lib"
    folder.mkdir()
    db = folder / DB_NAME
    db.write_bytes(big_v9.read_bytes())
    before = snapshot(db)
    proc = digest("list", "--library", str(folder))
    heard = []
    while "building the search index" not in (line := proc.stderr.readline()):  # under way
        assert line, heard
        heard.append(line)
    proc.send_signal(sig)
    _, errors = proc.communicate(timeout=WAIT_S)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        word, code = ("Interrupted", 130) if sig == signal.SIGINT else ("Terminated", 143)
        assert (proc.returncode, errors.splitlines()) == (code, [
            f"{word}: the upgrade to schema 10 was undone: {db} is as it was (schema 9) and is "
            "upgraded the next time it is opened."])
    assert snapshot(db) == before  # same schema, same article ids, same index, sound
    done = digest("list", "--library", str(folder))
    out, errors = done.communicate(timeout=WAIT_S)
    assert done.returncode == 0 and errors.startswith("Upgrading library"), errors
    assert len(out.splitlines()) == KILLED
    version, articles, indexed, ok = snapshot(db)
    assert (version, indexed, ok) == (10, before[2], "ok")
    assert sorted(a[1:] for a in articles) == sorted(a[1:] for a in before[1])


# --- PostgreSQL ------------------------------------------------------------------------------


def test_a_postgresql_upgrade_reports_the_same(pg_url):
    import psycopg

    stored = issues(5)
    with Library(pg_url) as lib:
        for issue in stored:
            lib.store(issue)
    with psycopg.connect(pg_url, autocommit=True) as raw:  # step 10 to run again
        raw.execute("UPDATE digest_schema SET version = 9")
    events = []
    with Library(pg_url, upgrading=events.append) as lib:
        assert [lib.issue(str(n)) for n in range(1, 6)] == stored
        assert lib.check().ok
    assert [(e.stage, e.old, e.new, e.articles) for e in events[:1]] == [
        (Stage.STARTED, 9, 10, 20)]
    assert [(e.stage, e.step, e.what, e.done, e.total) for e in events[1:]] == [
        (Stage.STEP, 10, STEP_10, 0, 0),
        (Stage.PROGRESS, 10, "renumbering articles", 0, 20),
        (Stage.PROGRESS, 10, "renumbering articles", 20, 20),
        (Stage.STEP, 10, "dead rows reclaimed, statistics renewed (VACUUM ANALYZE)", 0, 0),
        (Stage.DONE, 0, "", 0, 0)]
    with psycopg.connect(pg_url) as raw:  # the rows step 10 rewrote are vacuumed, not left
        assert raw.execute("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
                           "AND last_analyze IS NOT NULL ORDER BY relname").fetchall() == [
            ("article_fts",), ("articles",)]


def pg_snapshot(url: str) -> tuple:
    import psycopg

    with psycopg.connect(url) as conn:
        return (conn.execute("SELECT version FROM digest_schema").fetchone()[0],
                conn.execute("SELECT id, issue_id, seq, title FROM articles ORDER BY id").fetchall(),
                conn.execute("SELECT article_id FROM article_fts ORDER BY article_id").fetchall())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_postgresql_upgrade_stopped_midway_leaves_the_library_as_it_was(pg_url, sig):
    import psycopg

    with Library(pg_url) as lib:
        for issue in issues(KILLED // 2):
            lib.store(issue)
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute("UPDATE digest_schema SET version = 9")
        # ids away from those step 10 gives (the index follows: ON UPDATE CASCADE), so that
        # it has every row to move, as in a library that schema 9 numbered in adding order
        raw.execute("UPDATE articles SET id = id + 1000000")
    before = pg_snapshot(pg_url)
    proc = digest("list", "--library", pg_url)
    while "renumbering articles" not in (line := proc.stderr.readline()):  # rows changed
        assert line
    proc.send_signal(sig)
    _, errors = proc.communicate(timeout=WAIT_S)
    if sig == signal.SIGINT:
        assert (proc.returncode, errors.splitlines()) == (130, [
            f"Interrupted: the upgrade to schema 10 was undone: {pg_url} is as it was (schema 9) "
            "and is upgraded the next time it is opened."])
    assert pg_snapshot(pg_url) == before
    done = digest("list", "--library", pg_url)
    out, errors = done.communicate(timeout=WAIT_S)
    assert done.returncode == 0 and errors.startswith("Upgrading library"), errors
    assert len(out.splitlines()) == KILLED // 2
    version, articles, indexed = pg_snapshot(pg_url)
    assert version == 10 and len(indexed) == len(before[2])
    assert sorted(a[1:] for a in articles) == sorted(a[1:] for a in before[1])
    assert [a[0] for a in articles] != [a[0] for a in before[1]]
