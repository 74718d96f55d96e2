"""What enrichment costs beside parsing, and what loading jieba costs, in one run.

Measured, best of --repeat (noise on a shared machine only ever adds time), in turn:

  parse       digest.issue.parse_issue on each committed sample PDF (the baseline)
  enrich      digest.enrich.enrich_issue on the parsed issue, jieba already loaded
  startup     in a fresh interpreter: import jieba and build digest's tokenizer (prefix
              dictionary from the user-cache file, plus the gazetteer's words) - what the
              first `digest summary` or `digest export` of a process pays once
  cold        the same with an empty cache folder: jieba rebuilds and writes its cache

Reported as milliseconds and as ratios to parsing the same issue, so runs on different
machines compare. Also prints ROUGE-1/2 (characters, F1) of the summaries against the
hand-written references of tests/data/regions_labelled.jsonl, beside Lead-1.

    python benchmarks/bench_enrich.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
STARTUP = ("import time; t = time.perf_counter(); from digest import tokens; "
           "tokens.tokenizer(); print(time.perf_counter() - t)")


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def startup(repeat: int, cache_home: str | None = None) -> float:
    """Best in-process time to import jieba and build the tokenizer, in fresh interpreters."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if cache_home:
        env["XDG_CACHE_HOME"] = cache_home
    times = []
    for _ in range(repeat):
        if cache_home:  # every cold run starts from an empty cache
            for f in Path(cache_home).glob("digest/*"):
                f.unlink()
        out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                             env=env, check=True)
        times.append(float(out.stdout))
    return min(times)


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
    args = parser.parse_args()

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
    print(f"jieba start-up (import + tokenizer + {words} gazetteer words): "
          f"warm cache {warm * 1e3:.0f} ms, cold cache {cold * 1e3:.0f} ms")
    print(rouge_report())


if __name__ == "__main__":
    main()
