"""Whole-process start-up of the commands users run most, beside `python -c pass`.

Each command runs as `python -m digest ...` in a fresh interpreter (what the console script
does), interleaved with `python -c pass` run by run, so load on the machine hits both alike;
medians and ratios to `python -c pass` are printed, of wall time and of the CPU time of the
process alone (what load on a shared machine changes least). A small library (one text issue) is built
in a temporary folder for `search`, `list` and `show`, by each tree for itself (library
schemas differ between revisions). With ``--baseline DIR`` (a checkout of another revision:
``git archive REV | tar -x -C DIR``) the same commands of that tree are run too, interleaved.
`digest --help` is answered from the help kept in the user cache folder after its first run
(digest/cli/fasthelp.py), and search, list, show and toc are read from the command specs kept
there after their first run through typer (digest/cli/fastpath.py); one untimed run of each
command of each tree fills them. `digest toc` reads samples/issue-200.pdf with the default
reader (pypdf): its whole process beside `python -c pass`, reader included (bench_readers.py
sets it beside pypdf's bare extraction).

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


CACHES: dict[Path, str] = {}  # each tree's own user cache folder: their keys differ


def tree_env(tree: Path) -> dict[str, str]:
    """``tree`` first on the path, its own user cache folder (two trees sharing one would
    replace each other's kept help and specs on every run), and bytecode caches written and
    used as for a user (with PYTHONDONTWRITEBYTECODE set every run would compile digest's
    modules from source)."""
    env = dict(os.environ, PYTHONPATH=str(tree), XDG_CACHE_HOME=CACHES[tree])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(args: list[str], tree: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the process alone) of one run."""
    env = tree_env(tree)
    start = time.perf_counter()
    with subprocess.Popen(args, cwd=tree, env=env, stdout=subprocess.DEVNULL,  # cwd: first on path
                          stderr=subprocess.DEVNULL) as child:
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} (in {tree}) exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


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
            CACHES[tree] = str(Path(folder) / f"cache{len(commands)}")
            commands[label] = {"--help": ["--help"], "search": ["search", "古镇", "--library", lib],
                               "list": ["list", "--library", lib],
                               "show": ["show", "1", "--library", lib],
                               "toc": ["toc", str(tree / "samples" / "issue-200.pdf")]}
            # Untimed: the library, the kept help and command specs, every module's bytecode.
            for argv in (["add", str(TEXT_ISSUE), "--library", lib], *commands[label].values()):
                subprocess.run([sys.executable, "-m", "digest", *argv], cwd=tree, check=True,
                               capture_output=True, env=tree_env(tree))
        runs: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            runs.setdefault("python -c pass", []).append(timed([sys.executable, "-c", "pass"],
                                                               REPO))
            for label, tree in trees.items():
                for name, argv in commands[label].items():
                    runs.setdefault(f"digest {name}{label}", []).append(
                        timed([sys.executable, "-m", "digest", *argv], tree))
    base = [statistics.median(t[i] for t in runs["python -c pass"]) for i in (0, 1)]
    print(f"medians of {args.repeat} interleaved runs, wall and CPU (user + system) time; ratios "
          f"to `python -c pass`; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, times in runs.items():
        wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
        print(f"  {name:<28}{wall * 1e3:>8.0f} ms {wall / base[0]:>6.2f}x  cpu {cpu * 1e3:>6.0f} ms "
              f"{cpu / base[1]:>6.2f}x")


if __name__ == "__main__":
    main()
