"""What enrichment costs beside parsing, and what loading jieba costs, in one run.

Measured, best of --repeat (noise on a shared machine only ever adds time), in turn:

  parse       digest.issue.parse_issue on each committed sample PDF (the baseline)
  enrich      digest.enrich.enrich_issue on the parsed issue, jieba already loaded
  startup     in a fresh interpreter, the first enrich_issue of a parsed text issue minus a
              second one: importing jieba, loading its dictionary (with the gazetteer's
              words) and the IDF table from the user cache folder - what every `digest
              summary`, `digest export` and `add` worker pays once
  cold        the same with an empty cache folder: the dictionary cache is built and written

Reported as milliseconds and as ratios to parsing the same issue, so runs on different
machines compare. Also prints ROUGE-1/2 (characters, F1) of the summaries against the
hand-written references of tests/data/regions_labelled.jsonl, beside Lead-1.

With ``--baseline DIR`` (a checkout of another revision, e.g. ``git archive REV | tar -x -C
DIR``), start-up and the whole process ``digest export ISSUE.txt --format json`` are measured
for both trees and for ``python -c pass``, interleaved, and reported as medians and ratios.

    python benchmarks/bench_enrich.py [--repeat 5] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TEXT_ISSUE = REPO / "tests" / "data" / "other-bulletin.txt"
STARTUP = """
import sys, time
from digest.enrich import enrich_issue
from digest.issue import parse_issue
issue = parse_issue(sys.argv[1])
t1 = time.perf_counter()
enrich_issue(issue)
t2 = time.perf_counter()
enrich_issue(issue)
print(t2 - t1 - (time.perf_counter() - t2))
"""


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def tree_env(tree: Path) -> dict[str, str]:
    """``tree`` first on the path, with bytecode caches as a user has them (under
    PYTHONDONTWRITEBYTECODE every run would compile digest's modules from source)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def startup_once(tree: Path = REPO, cache_home: str | None = None) -> float:
    """Enrichment start-up in a fresh interpreter running the code of ``tree``."""
    env = tree_env(tree)
    if cache_home:
        env["XDG_CACHE_HOME"] = cache_home
    out = subprocess.run([sys.executable, "-c", STARTUP, str(TEXT_ISSUE)], capture_output=True,
                         text=True, env=env, check=True, cwd=tree)  # cwd: first on sys.path
    return float(out.stdout)


def startup(repeat: int, cache_home: str | None = None) -> float:
    """Median start-up; with ``cache_home``, every run starts from an empty cache."""
    times = []
    for _ in range(repeat):
        if cache_home:
            for f in Path(cache_home).glob("digest/*"):
                f.unlink()
        times.append(startup_once(cache_home=cache_home))
    return statistics.median(times)


def whole_export(tree: Path) -> float:
    env = tree_env(tree)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "digest", "export", str(TEXT_ISSUE), "--format", "json"],
                   env=env, check=True, capture_output=True, cwd=tree)
    return time.perf_counter() - start


def python_pass(_tree: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def compare(baseline: Path, repeat: int) -> None:
    """This tree against ``baseline``, interleaved run by run; medians and ratios."""
    for tree in (REPO, baseline):  # untimed: bytecode caches and the jieba tables written
        startup_once(tree)
        whole_export(tree)
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, fn, tree in (("python -c pass", python_pass, REPO),
                               ("startup baseline", startup_once, baseline),
                               ("startup", startup_once, REPO),
                               ("export baseline", whole_export, baseline),
                               ("export", whole_export, REPO)):
            runs.setdefault(name, []).append(fn(tree))
    med = {name: statistics.median(times) for name, times in runs.items()}
    print(f"medians of {repeat} interleaved runs (baseline: {baseline}); load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}:")
    for name, value in med.items():
        print(f"  {name:<18}{value * 1e3:>8.0f} ms")
    print(f"  startup / baseline startup   {med['startup'] / med['startup baseline']:.2f}")
    print(f"  export / baseline export     {med['export'] / med['export baseline']:.2f}")
    print(f"  export / python -c pass      {med['export'] / med['python -c pass']:.2f}")


def rouge_report() -> str:
    sys.path.insert(0, str(REPO / "tests"))
    from rouge import mean_f1

    from digest import enrich, sentences
    from digest.models import Article, Status

    cases = [json.loads(ln) for ln in
             (REPO / "tests" / "data" / "regions_labelled.jsonl").read_text("utf-8").splitlines()]
    ours, lead = [], []
    for c in cases:
        a = Article(1, c["section"], c["title"], 1, 1, 100.0, Status.OK, tuple(c["body"]))
        ours.append((enrich.enrich_article(a).summary, c["summary"]))
        lead.append((sentences.split(c["body"])[0], c["summary"]))
    return (f"ROUGE on {len(cases)} labelled openings (character F1):\n"
            f"  ours    R-1 {mean_f1(ours, 1):.3f}  R-2 {mean_f1(ours, 2):.3f}\n"
            f"  Lead-1  R-1 {mean_f1(lead, 1):.3f}  R-2 {mean_f1(lead, 2):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="a checkout of the revision to compare with")
    args = parser.parse_args()
    if args.baseline:
        compare(args.baseline, args.repeat)

    from digest import gazetteer, tokens
    from digest.enrich import enrich_issue
    from digest.issue import parse_issue

    tokens.tokenizer()  # enrichment is timed with jieba loaded; its start-up is separate
    warm = startup(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        cold = startup(max(1, args.repeat // 2), tmp)
    print(f"{'sample':<24}{'articles':>9}{'parse ms':>10}{'enrich ms':>11}"
          f"{'enrich/parse':>14}{'startup/parse':>15}{'cold/parse':>12}")
    for pdf in sorted(SAMPLES.glob("*.pdf")):
        issue = parse_issue(pdf)
        enrich_issue(issue)  # warm caches (gazetteer, IDF)
        t_parse = best_of(lambda p=pdf: parse_issue(p), args.repeat)
        t_enrich = best_of(lambda i=issue: enrich_issue(i), args.repeat)
        print(f"{pdf.name:<24}{len(issue.articles):>9}{t_parse * 1e3:>10.0f}{t_enrich * 1e3:>11.0f}"
              f"{t_enrich / t_parse:>14.2f}{warm / t_parse:>15.2f}{cold / t_parse:>12.2f}")
    words = len(gazetteer.load().words())
    print(f"enrichment start-up (jieba, dictionary + {words} gazetteer words, IDF): "
          f"warm cache {warm * 1e3:.0f} ms, cold cache {cold * 1e3:.0f} ms (medians)")
    print(rouge_report())


if __name__ == "__main__":
    main()
