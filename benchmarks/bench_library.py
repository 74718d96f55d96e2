"""The library at scale: 1,000 issues (~20,000 articles), adding and searching them.

In one run, on libraries in a temporary folder:

  generate   N text issues, variants of the sample issue: each takes 20 of its 22 articles,
             renames the places in them (上海 → one of several cities, …), and gets its own
             number, date and bulletin, so texts and hit counts differ from issue to issue
  add        `digest add FOLDER --jobs 1` and `--jobs 2` (whole commands, parse + enrich +
             store), as issues per second
  size       the database file, beside the size of the texts it holds
  search     30 fixed queries of 2-6 characters, median and 95th percentile of:
               in-process  Library.search (default limit, 20 hits)
               command     `digest search QUERY` as a subprocess, piped
             beside two baselines over the same texts in the same run:
               scan        a plain Python substring scan of every title and body in memory
               sql scan    SQLite instr() over the articles table (no index)
             and `python -c pass`, the floor under any command
  trigram    (--trigram) FTS5's own trigram index over the same texts: its size, and what
             it answers for the same queries (nothing for two-character ones)

Goals (2 cores): in-process median < 20 ms, command < 0.5 s, add >= 4 issues/s with --jobs 2.

PostgreSQL beside SQLite (``--library postgresql://…`` names an empty database to fill, or
``--library postgresql`` starts a throw-away server from tests/pg_server.py): the same N issues
stored in-process into each (``Library.store``: the database's share of ``add``, without
parsing), ``digest add --jobs 2`` of the first ``--add`` files into each, the size of each, and
``Library.search`` median and 95th percentile on each beside the Python scan, in one run; and
the SQL PostgreSQL's search ran before it took SQLite's order (``ts_rank`` over every match).

    python benchmarks/bench_library.py [--issues 1000] [--repeat 3] [--trigram] [--keep DIR]
    python benchmarks/bench_library.py --issues 1000 --add-only [--code DIR]   # add throughput only
    python benchmarks/bench_library.py --library postgresql [--issues 1000] [--add 100]
    python benchmarks/bench_library.py --curve LIB1 LIB2... [--repeat 3]   # search at each size
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from library_helpers import issue_text, truth_issue  # noqa: E402

from digest.library import Library  # noqa: E402

QUERIES = (
    "医药", "养老", "江苏", "上海", "基金", "临港", "联盟", "园区", "航运", "深圳",
    "长三角", "新片区", "科创贷", "研究生", "领航站", "产业园", "数字化", "营运商",
    "生物医药", "工业园区", "智慧养老", "国际人才", "信用修复", "体医融合", "环保脸谱",
    "数字化转型", "全球营运商", "一口受理", "生物医药产业", "长三角一体化",
)
PLACES = ("上海", "南京", "杭州", "合肥", "苏州", "宁波", "无锡", "嘉兴", "芜湖", "南通")
BULLETINS = ("长三角每周要讯", "江苏要情", "浙江信息快报")
ARTICLES_PER_ISSUE = 20
# PYTHONSAFEPATH: `python -m digest` and `python -c` would put the current folder first on the
# path, and run the digest found there instead of the one --code names (run from a checkout,
# both sides of a before/after comparison would be that checkout).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPATH": str(REPO), "PYTHONSAFEPATH": "1"}


def variant(n: int, rng: random.Random):
    """Issue n: 20 of the sample's articles, places renamed, its own number, date, bulletin."""
    base = truth_issue(n, date=dt.date(2001, 1, 5) + dt.timedelta(weeks=n))
    keep = sorted(rng.sample(range(len(base.articles)), ARTICLES_PER_ISSUE))
    to = rng.choice(PLACES)
    swap = (lambda s: s.replace("上海", to)) if to != "上海" else (lambda s: s)
    articles = tuple(replace(base.articles[i], seq=k + 1, title=swap(base.articles[i].title),
                             body=tuple(map(swap, base.articles[i].body)))
                     for k, i in enumerate(keep))
    masthead = replace(base.masthead, bulletin=BULLETINS[n % len(BULLETINS)],
                       year=base.masthead.date.year)
    return replace(base, masthead=masthead, articles=articles)


def generate(folder: Path, count: int) -> list[Path]:
    rng = random.Random(1000)
    folder.mkdir(parents=True)
    paths = []
    for n in range(1, count + 1):
        paths.append(folder / f"issue-{n:04d}.txt")
        paths[-1].write_text(issue_text(variant(n, rng)), encoding="utf-8")
    return paths


def run_digest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digest", *args], env=ENV, capture_output=True,
                          text=True, check=False)


def parse_only(texts: Path, count: int) -> float:
    """The floor under `add`: one process parsing every text (no enrichment, no store)."""
    code = ("import sys; from pathlib import Path; from digest.issue import parse_issue\n"
            "for p in sorted(Path(sys.argv[1]).glob('*.txt')): parse_issue(p)")
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-c", code, str(texts)], env=ENV, check=True)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    print(f"parse only (1 process): {count} issues in {elapsed:.1f} s = {count / elapsed:.1f} issues/s"
          f"   CPU {1000 * cpu / count:.0f} ms per issue")
    return count / elapsed


def _children_cpu() -> float:
    """CPU seconds of finished child processes (and theirs): what a command cost whatever the load."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def add(texts: Path, library: Path, jobs: int, count: int) -> float:
    start, cpu = time.perf_counter(), _children_cpu()
    result = run_digest("-q", "add", str(texts), "--jobs", str(jobs), "--library", str(library))
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    assert result.returncode == 0, result.stderr
    print(f"add --jobs {jobs}: {count} issues in {elapsed:.1f} s = {count / elapsed:.1f} issues/s"
          f"   CPU {1000 * cpu / count:.0f} ms per issue (all processes)   [{result.stdout.strip()}]")
    return count / elapsed


def stats(label: str, seconds: list[float], unit: float = 1000.0, base: float | None = None):
    """Print median and 95th percentile; with ``base``, the median as a ratio to it."""
    med = statistics.median(seconds)
    p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) >= 20 else max(seconds)
    ratio = f"   = {med / base:.3f} x the Python scan" if base else ""
    name = "ms" if unit == 1000.0 else "s"
    print(f"  {label:<34} median {med * unit:8.2f} {name}   p95 {p95 * unit:8.2f} {name}{ratio}")
    return med


def timed(fn, repeat: int) -> list[float]:
    """Times of fn(q) for every query, ``repeat`` rounds interleaved."""
    times = []
    for _ in range(repeat):
        for q in QUERIES:
            start = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - start)
    return times


def search_benchmark(library: Path, repeat: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} at the start (2 cores)")
    conn = sqlite3.connect(library / "library.db")
    texts = conn.execute("SELECT title, body FROM articles WHERE body != ''").fetchall()
    lib = Library(library, create=False)
    hits = {q: len(lib.search(q, limit=None)) for q in QUERIES}
    scan = {q: sum(1 for t, b in texts if q in t or q in b) for q in QUERIES}
    assert hits == scan, "recall differs from substring search"
    print(f"search: {len(QUERIES)} queries, hits per query (= substring scan): "
          f"min {min(hits.values())}, median {statistics.median(hits.values()):.0f}, "
          f"max {max(hits.values())} of {len(texts)} articles")
    base = stats("baseline: Python substring scan",
                 timed(lambda q: [1 for t, b in texts if q in t or q in b], repeat))
    stats("baseline: SQLite instr() scan", timed(lambda q: conn.execute(
        "SELECT id FROM articles WHERE instr(title, ?) OR instr(body, ?)", (q, q)).fetchall(),
        repeat), base=base)
    stats("in-process Library.search, 20 hits", timed(lambda q: lib.search(q), repeat), base=base)
    stats("in-process Library.search, all hits", timed(lambda q: lib.search(q, limit=None),
                                                       repeat), base=base)
    lib.close()
    floor = timed(lambda q: subprocess.run([sys.executable, "-c", "pass"], check=True), 1)
    stats("baseline: python -c pass", floor, unit=1.0)
    stats("command: digest search QUERY", timed(
        lambda q: run_digest("search", q, "--library", str(library)), 1), unit=1.0)
    print(f"  `digest search` loads heavy modules: {heavy_modules(library)}")
    all_hits(library, max(QUERIES, key=lambda q: scan[q]))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


# A command's peak memory and CPU time (user + system), as its parent sees them.
MAX_RSS = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
           "stdout=subprocess.DEVNULL); u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(u.ru_maxrss, u.ru_utime + u.ru_stime)")
SCAN = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); q = sys.argv[2]; "
        "texts = c.execute(\"SELECT id, title, body FROM articles WHERE body != ''\").fetchall(); "
        "print(sum(1 for i, t, b in texts if q in t or q in b))")


def all_hits(library: Path, query: str, repeat: int = 3) -> None:
    """`digest search QUERY --limit 0` (--json, and the default when piped: TSV) against loading
    every text and scanning it, as whole processes: wall time, CPU time and peak memory (medians
    of interleaved runs; CPU time and memory are what load moves least)."""
    import compileall

    # byte-compiled, as an installed package is (PYTHONDONTWRITEBYTECODE would make every run
    # compile digest's modules from source)
    compileall.compile_dir(Path(ENV["PYTHONPATH"]) / "digest", quiet=1)
    search = [sys.executable, "-m", "digest", "search", query, "--limit", "0",
              "--library", str(library)]
    argv = {"scan": [sys.executable, "-c", SCAN, str(library / "library.db"), query],
            "--json": [*search, "--json"], "piped (TSV)": search}
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in argv}
    for _ in range(repeat):
        for name, cmd in argv.items():
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", MAX_RSS, *cmd], env=ENV, check=True,
                                 capture_output=True, text=True)
            rss, cpu = out.stdout.split()[-2:]
            runs[name].append((time.perf_counter() - start, float(cpu), int(rss)))
    med = {n: [statistics.median(r[k] for r in rs) for k in range(3)] for n, rs in runs.items()}
    st, sc, sm = med.pop("scan")
    print(f"all hits of {query!r} (load {os.getloadavg()[0]:.1f}): a Python scan {st:.2f} s, "
          f"CPU {sc:.2f} s, {sm / 1024:.0f} MiB")
    for name, (qt, qc, qm) in med.items():
        print(f"  `digest search --limit 0` {name:<12} {qt:.2f} s, CPU {qc:.2f} s, "
              f"{qm / 1024:.0f} MiB: time {qt / st:.2f}x, CPU {qc / sc:.2f}x, memory {qm / sm:.2f}x")


def curve(libraries: list[Path], repeat: int) -> None:
    """For each library: the 20-hit search's median and 95th percentile beside the Python scan
    (scan rounds before and after the search rounds), then the --limit 0 commands."""
    print("load average {:.1f} {:.1f} {:.1f} at the start (2 cores)".format(*os.getloadavg()))
    for library in libraries:
        conn = sqlite3.connect(library / "library.db")
        texts = conn.execute("SELECT title, body FROM articles WHERE body != ''").fetchall()
        conn.close()

        def scan_all(q, texts=texts):
            return [1 for t, b in texts if q in t or q in b]

        with Library(library, create=False) as lib:
            lib.search(QUERIES[0])  # the schema read, the first pages cached
            scan = timed(scan_all, 1)
            search = timed(lib.search, repeat)
            scan += timed(scan_all, 1)
        print(f"{library}: {len(texts)} articles, load {os.getloadavg()[0]:.1f}")
        base = stats("baseline: Python substring scan", scan)
        stats("Library.search, 20 hits", search, base=base)
        p95 = statistics.quantiles(search, n=20)[-1] / statistics.quantiles(scan, n=20)[-1]
        print(f"  p95 against the scan's p95: {p95:.3f}x")
        common = max(QUERIES, key=lambda q, scan_all=scan_all: len(scan_all(q)))
        all_hits(library, common)


def heavy_modules(library: Path) -> list[str]:
    code = ("import sys; from typer.testing import CliRunner; from digest.cli import app; "
            f"CliRunner().invoke(app, ['search', '养老', '--library', {str(library)!r}]); "
            "print(sorted(m for m in ('pypdf', 'jieba', 'rapidfuzz') if m in sys.modules))")
    return subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True,
                          text=True, check=True).stdout.strip()


def sizes(library: Path) -> None:
    conn = sqlite3.connect(library / "library.db")
    text = conn.execute("SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) "
                        "FROM articles").fetchone()[0]
    index = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'"
                         ).fetchone()[0]
    db = (library / "library.db").stat().st_size
    print(f"size: library.db {db / 2**20:.1f} MiB: texts {text / 2**20:.1f} MiB (UTF-8), "
          f"bigram index {index / 2**20:.1f} MiB ({index / text:.2f}x the texts)")


def trigram(library: Path, folder: Path, repeat: int) -> None:
    """FTS5's trigram tokenizer over the same texts, for comparison (contentless too)."""
    db = folder / "trigram.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, content='', tokenize='trigram')")
    conn.execute(f"ATTACH '{library / 'library.db'}' AS lib")
    start = time.perf_counter()
    conn.execute("INSERT INTO t (rowid, title, body) SELECT id, title, body FROM lib.articles "
                 "WHERE body != ''")
    conn.commit()
    built = time.perf_counter() - start
    index = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 't_%'").fetchone()[0]
    short = [q for q in QUERIES if len(q) < 3]
    found = conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (f'"{short[0]}"',)).fetchone()
    print(f"trigram: index {index / 2**20:.1f} MiB, built in {built:.1f} s; a {len(short[0])}-"
          f"character query ({short[0]}) finds {found[0]} articles; {len(short)} of the "
          f"{len(QUERIES)} queries are that short")
    long = [q for q in QUERIES if len(q) >= 3]
    times = []
    for _ in range(repeat):
        for q in long:
            start = time.perf_counter()
            conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 5.0, 1.0) LIMIT 20",
                         (f'"{q}"',)).fetchall()
            times.append(time.perf_counter() - start)
    stats(f"trigram MATCH, {len(long)} queries of 3+ chars", times)


def store_rate(where, issues, label: str) -> None:
    """Issues per second stored in-process, one transaction each (no parsing)."""
    with Library(where) as lib:
        start = time.perf_counter()
        for issue in issues:
            lib.store(issue)
        elapsed = time.perf_counter() - start
    print(f"store {label:<10}: {len(issues)} issues in {elapsed:6.1f} s = "
          f"{len(issues) / elapsed:6.1f} issues/s")


def pg_sizes(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        total, index, text = conn.execute(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('article_fts'), "
            "(SELECT sum(octet_length(title) + octet_length(body)) FROM articles)").fetchone()
    print(f"size: PostgreSQL database {total / 2**20:.1f} MiB: texts {text / 2**20:.1f} MiB "
          f"(UTF-8), bigram index (article_fts with its GIN index) {index / 2**20:.1f} MiB "
          f"({index / text:.2f}x the texts)")


# PostgreSQL's candidate query before search took SQLite's order: every match ranked by
# ts_rank (title pairs 5x body pairs) before the LIMIT. Only the SQL, without fetching hits.
RANKED_BEFORE = ("SELECT f.article_id, ts_rank('{0, 0, 0.2, 1}'::real[], f.doc, %s::tsquery) AS s "
                 "FROM article_fts f WHERE (f.doc @@ %s::tsquery OR NOT f.exact) "
                 "ORDER BY s DESC, f.article_id LIMIT 36")


def ranked_before(url: str, repeat: int, base: float) -> None:
    """The candidate query PostgreSQL's search ran before (``RANKED_BEFORE``), same queries."""
    import psycopg

    from digest.library.pg_search import tsquery
    from digest.query import parse_query

    with psycopg.connect(url) as conn:
        def run(q):
            tsq = tsquery(parse_query(q).fts)
            conn.execute(RANKED_BEFORE, (tsq, tsq)).fetchall()

        stats("baseline: PG ts_rank SQL (before)", timed(run, repeat), base=base)


def compare_postgres(url: str, count: int, add_count: int, repeat: int) -> None:
    """SQLite and PostgreSQL side by side on the same issues (module docstring)."""
    folder = Path(tempfile.mkdtemp(prefix="digest-bench-pg-"))
    server = None
    try:
        if url == "postgresql":  # a throw-away server
            from pg_server import PgServer, find_bin

            server = PgServer(find_bin()).start()
            url = server.url("bench")
        rng = random.Random(1000)
        issues = [replace(variant(n, rng), sha256=f"{n:064x}", source=f"issue-{n:04d}.txt")
                  for n in range(1, count + 1)]
        print(f"load average {os.getloadavg()[0]:.1f}; {count} issues, "
              f"{count * ARTICLES_PER_ISSUE} articles")
        store_rate(folder / "lite", issues, "SQLite")
        store_rate(url, issues, "PostgreSQL")
        texts = folder / "texts"
        if add_count:  # whole commands: parsing and enriching too (a server of our own only)
            generate(texts, add_count)
            for where in (folder / "lite-add", server.url("bench_add") if server else None):
                if where is not None:
                    add(texts, where, 2, add_count)
        sizes(folder / "lite")
        pg_sizes(url)
        conn = sqlite3.connect(folder / "lite" / "library.db")
        articles = conn.execute("SELECT title, body FROM articles WHERE body != ''").fetchall()
        conn.close()
        base = stats("baseline: Python substring scan",
                     timed(lambda q: [1 for t, b in articles if q in t or q in b], repeat))
        for name, where in (("SQLite", folder / "lite"), ("PostgreSQL", url)):
            with Library(where, create=False) as lib:
                hits = {q: len(lib.search(q, limit=None)) for q in QUERIES}
                scan = {q: sum(1 for t, b in articles if q in t or q in b) for q in QUERIES}
                assert hits == scan, f"{name}: recall differs from substring search"
                stats(f"{name} Library.search, 20 hits", timed(lib.search, repeat), base=base)
                stats(f"{name} Library.search, all hits",
                      timed(lambda q, lib=lib: lib.search(q, limit=None), repeat), base=base)
        ranked_before(url, repeat, base)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of in-process queries")
    parser.add_argument("--trigram", action="store_true", help="compare FTS5's trigram index")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temp dir)")
    parser.add_argument("--library", help="measure search on this existing library "
                        "instead of generating and adding issues (e.g. one kept with --keep); "
                        "a postgresql:// URL of an empty database, or `postgresql` for a "
                        "throw-away server: compare PostgreSQL with SQLite")
    parser.add_argument("--curve", type=Path, nargs="+", metavar="LIBRARY", help="only the "
                        "20-hit search beside the scan and the --limit 0 commands, on each of "
                        "these existing libraries (e.g. ones kept with --keep)")
    parser.add_argument("--add", type=int, default=100,
                        help="with PostgreSQL: files for the `digest add` comparison")
    parser.add_argument("--add-only", action="store_true",
                        help="only add throughput: parse-only floor, then add --jobs 1 and 2")
    parser.add_argument("--code", type=Path, help="run the digest code of this checkout "
                        "(e.g. a `git archive` of another revision; default: this one)")
    args = parser.parse_args()
    if args.code:
        ENV["PYTHONPATH"] = str(args.code.resolve())
    if args.curve:
        curve(args.curve, args.repeat)
        return
    if args.library and args.library.startswith("postgres"):
        compare_postgres(args.library, args.issues, args.add, args.repeat)
        return
    if args.library:
        args.library = Path(args.library)
        sizes(args.library)
        search_benchmark(args.library, args.repeat)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-"))
    try:
        start = time.perf_counter()
        generate(folder / "texts", args.issues)
        print(f"generated {args.issues} text issues in {time.perf_counter() - start:.1f} s")
        if args.add_only:
            parse_only(folder / "texts", args.issues)
        add(folder / "texts", folder / "lib1", 1, args.issues)
        add(folder / "texts", folder / "lib2", 2, args.issues)
        if args.add_only:
            print("load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
            return
        sizes(folder / "lib2")
        search_benchmark(folder / "lib2", args.repeat)
        if args.trigram:
            trigram(folder / "lib2", folder, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
