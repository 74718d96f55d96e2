"""What the office outputs cost beside parsing the issue they come from (the baseline, measured
in the same run): bookmarking a PDF, an xlsx export, a docx digest.

    python benchmarks/bench_office.py [ISSUE.pdf] [--repeat N]

Prints the median seconds of each step and its ratio to parsing, and the bookmarked copy's
size beside the input's.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("issue", nargs="?", default=str(REPO / "samples" / "issue-200-stale.pdf"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from digest.bookmarks import bookmark_pdf
    from digest.docx_report import write_docx
    from digest.enrich import enrich_issue
    from digest.export import issue_rows
    from digest.issue import parse_issue
    from digest.report import group_by_region
    from digest.xlsx import write_xlsx

    enriched = enrich_issue(parse_issue(args.issue))  # warm caches (jieba, gazetteer) first
    rows, groups = issue_rows(enriched), group_by_region([enriched])
    parse = median_time(lambda: parse_issue(args.issue), args.repeat)
    steps = {
        "bookmarks (parse + copy)": lambda: bookmark_pdf(args.issue),
        "xlsx (rows → workbook)": lambda: write_xlsx(rows, io.BytesIO()),
        "docx (digest → document)": lambda: write_docx([enriched], groups, io.BytesIO()),
    }
    print(f"{'parse_issue (baseline)':28} {parse:7.3f} s   1.00×")
    for name, fn in steps.items():
        t = median_time(fn, args.repeat)
        print(f"{name:28} {t:7.3f} s  {t / parse:5.2f}×")
    size_in = Path(args.issue).stat().st_size
    size_out = len(bookmark_pdf(args.issue).data)
    print(f"bookmarked copy: {size_out} bytes, input {size_in} bytes ({size_out / size_in:.3f}×)")


if __name__ == "__main__":
    main()
