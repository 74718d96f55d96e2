"""`digest toc` with each PDF reader against pypdf's bare text extraction, as whole processes.

For each PDF, in turn and interleaved run by run (so load elsewhere hits all alike):

  extract   python -c "pypdf: extract_text() of every page" (the baseline)
  pypdf     python -m digest toc PDF --reader pypdf
  pdfium    python -m digest toc PDF --reader pdfium   (needs digest[fast])

Medians of --repeat runs and ratios to the baseline. Besides the committed samples, a
500-page issue is generated (the sample's pages appended 20 times) into a temporary folder.
Goals (issue 13): pypdf ≤ 1.1x extract, pdfium ≤ 0.5x extract.

    python benchmarks/bench_readers.py [--repeat 5] [--big-repeat 3] [--no-big]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "issue-200.pdf"
EXTRACT = ("import sys; from pypdf import PdfReader; "
           "''.join(p.extract_text() for p in PdfReader(sys.argv[1]).pages)")


def commands(pdf: Path) -> dict[str, list[str]]:
    return {"extract": [sys.executable, "-c", EXTRACT, str(pdf)],
            "pypdf": [sys.executable, "-m", "digest", "toc", str(pdf), "--reader", "pypdf"],
            "pdfium": [sys.executable, "-m", "digest", "toc", str(pdf), "--reader", "pdfium"]}


def measure(pdf: Path, repeat: int) -> dict[str, float]:
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, argv in commands(pdf).items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=REPO)
            runs.setdefault(name, []).append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in runs.items()}


def big_issue(folder: Path, copies: int = 20) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(copies):
        writer.append(SAMPLE)
    path = folder / f"issue-{copies * 25}-pages.pdf"
    writer.write(path)
    return path


def report(pdf: Path, med: dict[str, float]) -> None:
    base = med["extract"]
    print(f"{pdf.name:<28}" + "".join(f"{name} {t * 1e3:>7.0f} ms {t / base:>5.2f}x   "
                                      for name, t in med.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big-repeat", type=int, default=3)
    ap.add_argument("--no-big", action="store_true")
    args = ap.parse_args()
    print("medians of interleaved whole-process runs; ratios to pypdf's bare extraction")
    for pdf in sorted((REPO / "samples").glob("*.pdf")):
        report(pdf, measure(pdf, args.repeat))
    if not args.no_big:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = big_issue(Path(tmp))
            report(pdf, measure(pdf, args.big_repeat))


if __name__ == "__main__":
    main()
