"""`digest toc` with each PDF reader against pypdf's bare text extraction, as whole processes.

For each PDF, in turn and interleaved run by run (so load elsewhere hits all alike):

  extract   python -c "pypdf: extract_text() of every page" (the baseline)
  pypdf     python -m digest toc PDF --reader pypdf
  pdfium    python -m digest toc PDF --reader pdfium   (needs digest[fast])

and, with ``--before DIR`` (a checkout of an earlier digest, e.g. ``git worktree add`` or
``git archive REV | tar -x -C DIR``), the same two commands run from DIR as ``before-pypdf``
and ``before-pdfium``: before and after ratios from the same run.

Medians of --repeat runs and ratios to the baseline, in wall time and in CPU time (user +
system of the process: on a loaded machine wall time waits for the CPU, CPU time much less
so). Besides the committed samples, a
500-page issue is generated (the sample's pages appended 20 times) into a temporary folder.
Goals (issue 13): pypdf <= 1.1x extract, pdfium <= 0.5x extract.

Each digest tree is byte-compiled first (``compileall``), as pip does when it installs a
package: with PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise compile its
modules from source on every run, a cost no installed digest pays (pypdf, the baseline, is
installed compiled). Each tree has a temporary user cache folder of its own, and every command
runs once untimed first, so that `digest toc` is read from the command spec its first run kept
(digest/cli/fastpath.py), as from a user's second run on, without typer.

    python benchmarks/bench_readers.py [--repeat 5] [--big-repeat 3] [--no-big] [--before DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
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


def commands(pdf: Path, before: Path | None) -> dict[str, tuple[list[str], Path]]:
    toc = [sys.executable, "-m", "digest", "toc", str(pdf), "--reader"]
    runs = {"extract": ([sys.executable, "-c", EXTRACT, str(pdf)], REPO),
            "pypdf": ([*toc, "pypdf"], REPO), "pdfium": ([*toc, "pdfium"], REPO)}
    if before is not None:
        runs |= {"before-pypdf": ([*toc, "pypdf"], before), "before-pdfium": ([*toc, "pdfium"], before)}
    return runs


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CACHES: dict[Path, str] = {}  # each tree's own user cache folder (set in main)


def tree_env(tree: Path) -> dict[str, str]:
    """`-m digest` from ``tree``, with a user cache folder of its own: `digest toc` runs
    without typer from the command spec kept there by its first run (digest/cli/fastpath.py),
    and two trees sharing one folder would replace each other's spec on every run."""
    return dict(os.environ, PYTHONPATH=str(tree), **({"XDG_CACHE_HOME": CACHES[tree]}
                                                     if tree in CACHES else {}))


def measure(pdf: Path, repeat: int, before: Path | None) -> dict[str, tuple[float, float]]:
    """(median wall time, median CPU time) of each command, after an untimed run of each (the
    kept command specs, the page caches of the file system)."""
    runs: dict[str, list[tuple[float, float]]] = {}
    for argv, tree in commands(pdf, before).values():
        subprocess.run(argv, check=True, capture_output=True, cwd=tree, env=tree_env(tree))
    for _ in range(repeat):
        for name, (argv, tree) in commands(pdf, before).items():
            env = tree_env(tree)
            cpu, start = _children_cpu(), time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=tree, env=env)
            runs.setdefault(name, []).append((time.perf_counter() - start, _children_cpu() - cpu))
    return {name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
            for name, got in runs.items()}


def big_issue(folder: Path, copies: int = 20) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(copies):
        writer.append(SAMPLE)
    path = folder / f"issue-{copies * 25}-pages.pdf"
    writer.write(path)
    return path


def report(pdf: Path, med: dict[str, tuple[float, float]]) -> None:
    wall, cpu = med["extract"]
    print(pdf.name)
    for name, (w, c) in med.items():
        print(f"  {name:<14} wall {w * 1e3:>7.0f} ms {w / wall:>5.2f}x   "
              f"cpu {c * 1e3:>7.0f} ms {c / cpu:>5.2f}x", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big-repeat", type=int, default=3)
    ap.add_argument("--no-big", action="store_true")
    ap.add_argument("--before", type=Path, help="an earlier digest checkout, measured beside")
    args = ap.parse_args()
    for tree in (REPO, args.before):
        if tree is not None:
            compileall.compile_dir(tree / "digest", quiet=1)
    caches = tempfile.TemporaryDirectory()
    for i, tree in enumerate((REPO, args.before)):
        if tree is not None:
            CACHES[tree] = str(Path(caches.name) / f"cache{i}")
    print(f"medians of interleaved whole-process runs; ratios to pypdf's bare extraction; "
          f"load average {os.getloadavg()[0]:.1f}")
    for pdf in sorted((REPO / "samples").glob("*.pdf")):
        report(pdf, measure(pdf, args.repeat, args.before))
    if not args.no_big:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = big_issue(Path(tmp))
            report(pdf, measure(pdf, args.big_repeat, args.before))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
