"""`digest library copy` at scale: issues per second, beside storing the same issues afresh.

In one run, on libraries in a temporary folder (and, where PostgreSQL's binaries and psycopg
are installed, a throw-away server from tests/pg_server.py):

  store      Library.store of N issues (variants of the sample issue, bench_library.variant)
             into an empty SQLite library: the baseline, writing without reading or checking
  copy       copy_library of that library into an empty one: SQLite → SQLite, and
             SQLite → PostgreSQL → SQLite
  again      the same copy run a second time: every issue skipped (what a resumed copy of a
             finished library costs)

Each copy is shown as issues per second and as its time over the store baseline's (a copy
reads each issue back, looks for another copy of it in the destination and writes it: about
one store's work plus the reading and the look-up).

    python benchmarks/bench_copy.py [--issues 1000] [--no-pg]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from bench_library import variant  # noqa: E402

from digest.library import Library  # noqa: E402
from digest.library.copy import copy_library  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def show(label: str, seconds: float, count: int, base: float) -> None:
    print(f"{label:<28} {seconds:7.2f} s  {count / seconds:7.1f} issues/s  "
          f"{seconds / base:5.2f} x store")


def store_all(folder: Path, issues) -> None:
    with Library(folder) as lib:
        for issue in issues:
            lib.store(issue)


def pg_server():
    import pg_server as server

    bindir = server.find_bin()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None
    return server.PgServer(bindir).start() if bindir else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    rng = random.Random(1000)
    issues = [variant(n, rng) for n in range(1, args.issues + 1)]
    print(f"{args.issues} issues, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = timed(lambda: store_all(tmp / "src", issues))
        show("store (baseline)", base, args.issues, base)
        show("copy SQLite → SQLite", timed(lambda: copy_library(tmp / "src", tmp / "dst")),
             args.issues, base)
        show("  again (all skipped)", timed(lambda: copy_library(tmp / "src", tmp / "dst")),
             args.issues, base)
        server = None if args.no_pg else pg_server()
        if server is None:
            print("(PostgreSQL: no server binaries or no psycopg here, or --no-pg)")
            return
        try:
            url = server.url("bench")
            show("copy SQLite → PostgreSQL", timed(lambda: copy_library(tmp / "src", url)),
                 args.issues, base)
            show("  again (all skipped)", timed(lambda: copy_library(tmp / "src", url)),
                 args.issues, base)
            show("copy PostgreSQL → SQLite", timed(lambda: copy_library(url, tmp / "back")),
                 args.issues, base)
        finally:
            server.stop()
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
