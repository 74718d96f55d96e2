"""What recognising copies of an issue costs `digest add`, beside storing the issue.

In one run, on a library of N issues (the sample's articles under N numbers and dates, stored
directly, no parsing) in a temporary folder, the median over R issues of:
  store        Library.store of a new issue: the baseline, what every add pays anyway
  place, new   identity.place of an issue whose key no stored issue has (the common case)
  place, copy  identity.place of another copy of a stored issue: its key matches, both
               contents are shingled and compared, the quality rules read the stored copy

    python benchmarks/bench_identity.py [--issues 1000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from library_helpers import truth_issue  # noqa: E402

from digest.library import Library, identity  # noqa: E402
from digest.library.schema import transaction  # noqa: E402


def variant(n: int):
    return truth_issue(n, date=dt.date(2000, 1, 7) + dt.timedelta(weeks=n), source=f"v{n}.txt")


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--issues", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib") as lib:
        for n in range(args.issues):
            lib.store(variant(n))
        store, new, copy = [], [], []
        for k in range(args.repeat):
            fresh = variant(args.issues + k)
            t = time.perf_counter()
            lib.store(fresh)
            store.append(time.perf_counter() - t)
            unseen = variant(args.issues + args.repeat + k)
            again = replace(variant(k * args.issues // args.repeat), sha256=f"copy{k}")
            for issue, out in ((unseen, new), (again, copy)):
                with transaction(lib._conn) as conn:
                    t = time.perf_counter()
                    placed = identity.place(conn, issue)
                    out.append(time.perf_counter() - t)
                assert (placed.twin is None) == (issue is unseen)
    base = median_ms(store)
    print(f"library of {args.issues} issues ({args.issues * 22} articles), median of {args.repeat}:")
    print(f"  store (baseline)   {base:8.2f} ms")
    for name, times in (("place, new", new), ("place, copy", copy)):
        print(f"  {name:<18} {median_ms(times):8.2f} ms   = {median_ms(times) / base:.3f} x store")


if __name__ == "__main__":
    main()
