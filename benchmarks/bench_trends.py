"""Trends at scale: counting a term per month and region over ~100,000 articles.

Builds (or reuses, with --keep DIR) a library of N issues, the variants of the sample issue that
``bench_library.py`` generates (20 articles each, places renamed, one issue a week), stored
directly with ``Library.store`` so that 100,000 articles take a minute rather than an hour of
parsing: each article's region is the first place of ``PLACES`` its title or body names, and its
keywords the words of ``KEYWORDS`` it contains (what enrichment would store, cheaply). Then, in
one run, medians of --repeat rounds:

  scan        baseline: a plain Python substring scan over every title and body, already in
              memory with each article's month and region, counting matches per (month, region)
  load+scan   the same scan with the texts first read from the library, as a script would
  in-process  Library.trends(TERM, by=month, by_region=True)
  command     `digest trends TERM --by month --by region` as a subprocess, piped
  rising      Library.rising() (keywords' share in the latest period against the ones before)

and checks that the counts equal the scan's. Goal (issue 11): the trends query at most 1.0x the
scan.

    python benchmarks/bench_trends.py [--issues 5000] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bench_library import ENV, variant

from digest.library import Library
from digest.trends import Period

TERMS = ("生物医药", "养老", "数字化转型", "长三角一体化", "G60")
PLACES = {"上海": "上海", "南京": "江苏", "苏州": "江苏", "无锡": "江苏", "南通": "江苏",
          "杭州": "浙江", "宁波": "浙江", "嘉兴": "浙江", "合肥": "安徽", "芜湖": "安徽",
          "江苏": "江苏", "浙江": "浙江", "安徽": "安徽"}
KEYWORDS = ("生物医药", "养老", "数字化", "科创", "人才", "基金", "航运", "营商环境", "一体化")


def enriched(issue):
    def one(a):
        text = a.title + a.text
        region = next((r for place, r in PLACES.items() if place in text), None)
        return replace(a, region=region, keywords=tuple(k for k in KEYWORDS if k in text))

    return replace(issue, articles=tuple(one(a) for a in issue.articles))


def library(folder: Path, issues: int) -> Path:
    lib_dir = folder / "lib"
    if not (lib_dir / "library.db").exists():
        import random

        start, rng = time.perf_counter(), random.Random(1000)
        with Library(lib_dir) as lib:
            for n in range(1, issues + 1):
                issue = enriched(variant(n, rng))
                lib.store(replace(issue, sha256=f"{n:064d}", source=f"issue-{n}.txt"))
        print(f"stored {issues} issues in {time.perf_counter() - start:.1f} s")
    return lib_dir


def load_texts(lib: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(lib / "library.db")
    return conn.execute("SELECT substr(i.date, 1, 7), coalesce(a.region, ''), lower(a.title), "
                        "lower(a.body) FROM articles a JOIN issues i ON i.id = a.issue_id "
                        "WHERE a.body != '' AND i.date IS NOT NULL").fetchall()


def scan(texts, term: str) -> Counter:
    term = term.lower()
    return Counter((month, region) for month, region, title, body in texts
                   if term in title or term in body)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=5000, help="20 articles each (5,000: "
                        "100,000 articles)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build in DIR and keep it (reused if there)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="digest-trends-"))
    try:
        lib_dir = library(folder, args.issues)
        texts = load_texts(lib_dir)
        print(f"library: {len(texts)} dated articles")
        lib = Library(lib_dir, create=False)
        for term in TERMS:
            got = lib.trends([term], by=Period.MONTH, by_region=True)
            counted = Counter({(c.period, c.region): c.count for c in got.counts if c.count})
            assert counted == scan(texts, term), f"counts for {term} differ from the scan"
            base = median_ms(lambda t=term: scan(texts, t), args.repeat)
            loaded = median_ms(lambda t=term: scan(load_texts(lib_dir), t), 1)
            inproc = median_ms(lambda t=term: lib.trends([t], by=Period.MONTH, by_region=True),
                               args.repeat)
            command = median_ms(lambda t=term: subprocess.run(
                [sys.executable, "-m", "digest", "trends", t, "--by", "month", "--by", "region",
                 "--library", str(lib_dir)], env=ENV, capture_output=True, check=True), 3)
            print(f"  {term:<8} {sum(counted.values()):6d} hits   scan {base:7.1f} ms   "
                  f"load+scan {loaded:7.1f} ms   in-process {inproc:7.1f} ms = "
                  f"{inproc / base:.2f}x the scan   command {command:7.1f} ms = "
                  f"{command / base:.2f}x the scan, {command / loaded:.2f}x load+scan")
        ms = median_ms(lambda: lib.rising(), args.repeat)
        print(f"  rising keywords (latest period against the rest): {ms:.1f} ms")
        lib.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
