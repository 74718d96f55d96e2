"""What structure costs on top of extraction, on the committed sample PDFs.

For each sample, in the same run and process, the best of --repeat timings of (taken in
turn, so that a burst of load elsewhere hits all three alike):

  extract   pypdf's bare PdfReader(...).pages[i].extract_text() over every page (baseline)
  parse     digest.issue.parse_issue: reading with layout + masthead, TOC, articles
  export    the whole `digest export` work: parse, enrich (regions, keywords, summaries)
            and writing the CSV rows

Times are reported as ratios to the baseline, since machines here are shared and noisy.
The goal for issue 2: parse / extract ≤ 1.25 (structure costs at most 25% on top).

    python benchmarks/bench_parse.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def extract(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


def parse(path: Path):
    from digest.issue import parse_issue

    return parse_issue(path)


def export(path: Path) -> str:
    from digest.enrich import enrich_issue
    from digest.export import issue_rows, write_rows

    out = io.StringIO()
    write_rows(issue_rows(enrich_issue(parse(path))), "csv", out)
    return out.getvalue()


def best_times(fns, path: Path, repeat: int) -> list[float]:
    """The best time of each function, measured in turn. The minimum, not the median: on a
    shared machine the noise only ever adds time."""
    for fn in fns:
        fn(path)  # warm: imports, jieba's dictionary, caches
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn(path)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"{'sample':<24}{'extract ms':>11}{'parse ms':>10}{'parse/x':>9}{'export ms':>11}{'export/x':>10}")
    ratios = []
    for path in sorted(SAMPLES.glob("*.pdf")):
        base, p, e = best_times([extract, parse, export], path, args.repeat)
        ratios.append(p / base)
        print(f"{path.name:<24}{base * 1000:>11.1f}{p * 1000:>10.1f}{p / base:>9.2f}"
              f"{e * 1000:>11.1f}{e / base:>10.2f}")
    worst = max(ratios)
    print(f"\nstructure on top of extraction: worst {100 * (worst - 1):.0f}% "
          f"(goal ≤ 25%: {'met' if worst <= 1.25 else 'NOT met'})")


if __name__ == "__main__":
    main()
