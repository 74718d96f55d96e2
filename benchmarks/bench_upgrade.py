"""Upgrading a large library (schema 9 → 10: every article renumbered, the search index built
again): what reporting it costs, and whether PostgreSQL wants VACUUM ANALYZE afterwards.

The library is a copy of a folder at schema 10 (``--from``, e.g. one that bench_library.py
made; the folder itself is never changed) set back to schema 9, which step 10 takes to 10 again
as it would a library made before it (ids in the order of adding).

  SQLite       the upgrade opened with and without an ``upgrading`` callback (what the CLI
               passes), alternately in ABBA order, each on a fresh copy: the callback's cost
               as a ratio.
  PostgreSQL   (where its binaries and psycopg are installed: a throw-away server from
               tests/pg_server.py) the library copied in, set back to 9 and upgraded; then
               searches timed before and after ``VACUUM ANALYZE``, with the dead rows the
               renumbering left and the tables' sizes: why opening a library runs it after an
               upgrade (``pg._vacuum``). Autovacuum is off for the library's tables while this
               runs, so "before" is what a user would get until it came round.

    python benchmarks/bench_upgrade.py --from /tmp/searchscale/work/n1000 [--repeat 3] [--no-pg]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from digest.library import DB_NAME, Library  # noqa: E402
from digest.library.copy import copy_library  # noqa: E402

QUERIES = ("江苏", "养老", "上海 医药", "长三角一体化", "会议")
TABLES = ("articles", "article_fts")


def set_back(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 9")
    conn.commit()
    conn.close()


def upgrade_once(src: Path, tmp: Path, callback) -> float:
    shutil.rmtree(tmp / "lib", ignore_errors=True)
    (tmp / "lib").mkdir()
    shutil.copy(src / DB_NAME, tmp / "lib" / DB_NAME)
    set_back(tmp / "lib" / DB_NAME)
    start = time.perf_counter()
    with Library(tmp / "lib", upgrading=callback):
        pass
    return time.perf_counter() - start


def sqlite_part(src: Path, tmp: Path, repeat: int) -> None:
    heard = []
    plain, told = [], []
    for n in range(repeat):  # ABBA: whichever runs second in a pair finds the cache warmer
        pair = [(plain, None), (told, heard.append)]
        for times, callback in pair if n % 2 == 0 else pair[::-1]:
            times.append(upgrade_once(src, tmp, callback))
    base = statistics.median(plain)
    print(f"SQLite upgrade 9 → 10, median of {repeat}:")
    print(f"  without a callback (baseline) {base:7.2f} s  1.00x")
    print(f"  with a callback               {statistics.median(told):7.2f} s  "
          f"{statistics.median(told) / base:.2f}x  ({len(heard) // repeat} reports a run)")


def searches(url: str, repeat: int = 5) -> dict[str, float]:
    with Library(url) as lib:
        times = {}
        for q in QUERIES:
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                lib.search(q, limit=20)
                runs.append(time.perf_counter() - start)
            times[q] = statistics.median(runs)
        return times


def pg_state(raw) -> str:
    rows = raw.execute(
        "SELECT relname, n_live_tup, n_dead_tup, pg_total_relation_size(relid) "
        "FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY relname",
        (list(TABLES),)).fetchall()
    return "; ".join(f"{name}: {live} live, {dead} dead rows, {size / 2**20:.0f} MiB"
                     for name, live, dead, size in rows)


def steps_only(url: str) -> None:
    """The upgrade's steps as ``pg._migrate`` runs them, stopping short of its ``_vacuum``:
    what a library is left as without it (private names: this measures why it is there)."""
    import psycopg

    from digest.library import pg
    from digest.library.upgrade import Reporter

    conn = pg.PgConn(psycopg.connect(url, autocommit=True, row_factory=pg._rows))
    try:
        pg._run_steps(conn, url, Reporter(None, url, len(pg.PG_STEPS)))
    finally:
        conn.close()


def pg_part(src: Path, tmp: Path) -> None:
    import psycopg
    from pg_server import PgServer, find_bin

    bindir = find_bin()
    if bindir is None:
        print("PostgreSQL: no server binaries, skipped")
        return
    server = PgServer(bindir).start()
    try:
        url = server.url()
        start = time.perf_counter()
        copy_library(src, url)
        print(f"PostgreSQL: copied in {time.perf_counter() - start:.0f} s")
        with psycopg.connect(url, autocommit=True) as raw:
            for table in TABLES:
                raw.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
            raw.execute("VACUUM ANALYZE")
            fresh = searches(url)
            raw.execute("UPDATE digest_schema SET version = 9")
            start = time.perf_counter()
            steps_only(url)
            print(f"  upgrade 9 → 10 (its steps, without the VACUUM ANALYZE that follows them "
                  f"when a library is opened): {time.perf_counter() - start:.1f} s")
            print(f"  after the upgrade: {pg_state(raw)}")
            before = searches(url)
            start = time.perf_counter()
            raw.execute("VACUUM ANALYZE")
            print(f"  VACUUM ANALYZE: {time.perf_counter() - start:.1f} s; {pg_state(raw)}")
            after = searches(url)
        print("  search (limit 20), median ms: before the upgrade (baseline) / after it / "
              "after VACUUM ANALYZE")
        for q in QUERIES:
            print(f"    {q:8} {fresh[q] * 1000:8.1f} {before[q] * 1000:8.1f} "
                  f"{after[q] * 1000:8.1f}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="src", type=Path, required=True,
                        help="a library folder at schema 10 (copied, never changed)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"  # a copy: opening the folder given would write its WAL files
        src.mkdir()
        shutil.copy(args.src / DB_NAME, src / DB_NAME)
        conn = sqlite3.connect(src / DB_NAME)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        print(f"{args.src}: {articles:,} articles; load average {os.getloadavg()[0]:.2f}")
        sqlite_part(src, Path(tmp), args.repeat)
        if not args.no_pg:
            pg_part(src, Path(tmp))
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
