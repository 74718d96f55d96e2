"""Whole-process start-up of the commands users run most, beside `python -c pass`.

Each command runs as `python -m digest ...` in a fresh interpreter (what the console script
does), interleaved with `python -c pass` run by run, so load on the machine hits both alike;
medians and ratios to `python -c pass` are printed. A small library (one text issue) is built
in a temporary folder for `search`, `list` and `show`, by each tree for itself (library
schemas differ between revisions). With ``--baseline DIR`` (a checkout of another revision:
``git archive REV | tar -x -C DIR``) the same commands of that tree are run too, interleaved.
`digest --help` is answered from the help kept in the user cache folder after its first run
(digest/cli/fasthelp.py); one untimed run of each tree fills it.

    python benchmarks/bench_startup.py [--repeat 15] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXT_ISSUE = REPO / "tests" / "data" / "other-bulletin.txt"


def timed(args: list[str], tree: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    start = time.perf_counter()
    subprocess.run(args, cwd=tree, env=env, check=True, capture_output=True)  # cwd: first on path
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args()
    trees = {"": REPO} | ({" (baseline)": args.baseline} if args.baseline else {})
    with tempfile.TemporaryDirectory() as folder:
        commands = {}
        for label, tree in trees.items():
            lib = str(Path(folder) / f"lib{len(commands)}")
            for argv in (["add", str(TEXT_ISSUE), "--library", lib], ["--help"]):
                subprocess.run([sys.executable, "-m", "digest", *argv], cwd=tree, check=True,
                               capture_output=True, env=dict(os.environ, PYTHONPATH=str(tree)))
            commands[label] = {"--help": ["--help"], "search": ["search", "古镇", "--library", lib],
                               "list": ["list", "--library", lib],
                               "show": ["show", "1", "--library", lib]}
        runs: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            runs.setdefault("python -c pass", []).append(timed([sys.executable, "-c", "pass"], REPO))
            for label, tree in trees.items():
                for name, argv in commands[label].items():
                    runs.setdefault(f"digest {name}{label}", []).append(
                        timed([sys.executable, "-m", "digest", *argv], tree))
    base = statistics.median(runs["python -c pass"])
    print(f"medians of {args.repeat} interleaved runs; ratio to `python -c pass`")
    for name, times in runs.items():
        med = statistics.median(times)
        print(f"  {name:<28}{med * 1e3:>8.0f} ms {med / base:>7.2f}x")


if __name__ == "__main__":
    main()
