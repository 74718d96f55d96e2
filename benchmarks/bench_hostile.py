"""Time and peak memory of `digest` on hostile sizes, each in its own process.

Cases (generated in a temporary folder from the committed sample text, nothing committed):

  sample     the sample issue's text extraction (~40 KB): the baseline
  line-1MB   the sample with a 1 MB single-line paragraph in its first article
  text-50MB  the sample's text repeated to 50 MB (one huge "issue")

Each is run as `digest toc FILE -f tsv` (reading, clean-up, pages, TOC, titles, paragraphs)
and, with --export, `digest export FILE -f jsonl` (plus enrichment: sentences, jieba,
regions, summaries). Wall time, CPU time (user + system: what load from other processes
does not inflate) and the child's peak RSS come from wait4(); times are also given as a ratio
to the baseline measured in the same run, since the machine is shared.
Goals (issue 12): the 1 MB line well under 10 s; both grow linearly with input size.

    python benchmarks/bench_hostile.py [--export] [--skip-50mb] [--timeout 900]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "issue-200.pdftotext-layout.txt"


def long_line_issue(folder: Path, size: int) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if "宣告在" in line)
    flat = "".join(line.strip() for line in lines[at:])
    line = (flat * (size // len(flat.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
    path = folder / f"line-{size // 1_000_000}MB.txt"
    path.write_text("\n".join([*lines[:at + 1], line, *lines[at + 1:]]), encoding="utf-8")
    return path


def big_text(folder: Path, size: int) -> Path:
    text = SAMPLE.read_bytes()
    path = folder / f"text-{size // 1_000_000}MB.txt"
    with path.open("wb") as fh:
        for _ in range(size // len(text) + 1):
            fh.write(text)
    return path


def run(args: list[str], timeout: float) -> tuple[float, float, int, int | None]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code or None on timeout)."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "digest", "-q", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return (time.monotonic() - start, usage.ru_utime + usage.ru_stime,
                    usage.ru_maxrss // 1024, proc.returncode)
        if time.monotonic() > deadline:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            return (time.monotonic() - start, usage.ru_utime + usage.ru_stime,
                    usage.ru_maxrss // 1024, None)
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", action="store_true", help="also time `digest export`")
    parser.add_argument("--skip-50mb", action="store_true", help="skip the 50 MB text")
    parser.add_argument("--timeout", type=float, default=900.0)
    opts = parser.parse_args()
    commands = [("toc", ["toc", "{}", "-f", "tsv"])]
    if opts.export:
        commands.append(("export", ["export", "{}", "-f", "jsonl"]))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [("sample", SAMPLE), ("line-1MB", long_line_issue(folder, 1_000_000))]
        if not opts.skip_50mb:
            cases.append(("text-50MB", big_text(folder, 50_000_000)))
        print(f"{'case':<10} {'command':<7} {'size':>9} {'wall s':>7} {'cpu s':>6} "
              f"{'cpu x sample':>12} {'peak MB':>8} {'exit':>5}")
        for name, argv in commands:
            base = None
            for case, path in cases:
                wall, cpu, peak, code = run([a.format(path) for a in argv], opts.timeout)
                base = base or cpu
                size = f"{path.stat().st_size / 1e6:.2f} MB"
                print(f"{case:<10} {name:<7} {size:>9} {wall:7.1f} {cpu:6.1f} {cpu / base:12.1f} "
                      f"{peak:8d} {'hang' if code is None else code:>5}", flush=True)


if __name__ == "__main__":
    main()
