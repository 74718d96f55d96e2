"""Fuzz the CLI with a seeded corpus of mutated sample files; count exits, hangs, tracebacks.

From every PDF and text file in samples/, --cases mutants are made with a fixed seed (the
same corpus on every run): bit flips (1 to 64), truncation, a zeroed block, a duplicated
block, random bytes inserted, a chunk deleted, two blocks swapped, and a text file given a
PDF header (and a PDF's bytes named .txt). Each mutant runs as its own process,

    digest toc FILE -f tsv            (reading, pages, TOC, titles, articles)

and every fifth one as `digest export FILE -f jsonl` (enrichment too), with --timeout
seconds. A run *hangs* past the timeout; a *traceback* is "Traceback (most recent call" on
stderr; exit 70 is digest's own bug code. Target (issue 12): 0 hangs, 0 tracebacks, 0 exit-70.

    python benchmarks/bench_fuzz.py [--cases 300] [--seed 12] [--jobs 2] [--timeout 60]
                                    [--keep DIR]   # keep the failing mutants
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXIT_INTERNAL = 70


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 16, 64])):
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(1, len(data))]


def zero_block(data: bytes, rng: random.Random) -> bytes:
    start, size = rng.randrange(len(data)), rng.choice([16, 512, 4096])
    return data[:start] + bytes(min(size, len(data) - start)) + data[start + size:]


def duplicate_block(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    block = data[start:start + rng.choice([64, 1024, 8192])]
    return data[:start] + block * rng.choice([2, 10]) + data[start:]


def insert_random(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.choice([1, 8, 256, 4096])) + data[at:]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.choice([1, 100, 2000]):]


def swap_blocks(data: bytes, rng: random.Random) -> bytes:
    size = rng.choice([64, 1024])
    a, b = sorted(rng.randrange(max(1, len(data) - size)) for _ in range(2))
    if b - a < size:
        return data
    return data[:a] + data[b:b + size] + data[a + size:b] + data[a:a + size] + data[b + size:]


def pdf_header(data: bytes, rng: random.Random) -> bytes:
    return b"%PDF-1.7\n" + data


MUTATIONS = (flip_bits, flip_bits, truncate, zero_block, duplicate_block, insert_random,
             delete_chunk, swap_blocks, pdf_header)


def corpus(folder: Path, cases: int, seed: int) -> list[tuple[Path, str, str]]:
    """(file, mutation, command) for ``cases`` mutants, the same for the same seed."""
    rng = random.Random(seed)
    sources = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".txt"))
    made = []
    for n in range(cases):
        source = sources[n % len(sources)]
        mutation = rng.choice(MUTATIONS)
        data = mutation(source.read_bytes(), rng)
        suffix = source.suffix if rng.random() > 0.1 else {".pdf": ".txt", ".txt": ".pdf"}[source.suffix]
        path = folder / f"{n:04}-{source.stem}-{mutation.__name__}{suffix}"
        path.write_bytes(data)
        made.append((path, mutation.__name__, "export" if n % 5 == 4 else "toc"))
    return made


def run(case: tuple[Path, str, str], timeout: float) -> tuple[Path, str, str, object, str]:
    path, mutation, command = case
    args = ["toc", str(path), "-f", "tsv"] if command == "toc" else ["export", str(path), "-f", "jsonl"]
    try:
        done = subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                              text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return path, mutation, command, "hang", ""
    return path, mutation, command, done.returncode, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--keep", type=Path, help="copy hanging/traceback/exit-70 mutants here")
    opts = parser.parse_args()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        cases = corpus(Path(tmp), opts.cases, opts.seed)
        with ThreadPoolExecutor(opts.jobs) as pool:
            results = list(pool.map(lambda c: run(c, opts.timeout), cases))
        bad = [r for r in results if r[3] in ("hang", EXIT_INTERNAL) or "Traceback (most recent call" in r[4]]
        if opts.keep and bad:
            opts.keep.mkdir(parents=True, exist_ok=True)
            for path, *_ in bad:
                shutil.copy(path, opts.keep / path.name)
    codes = collections.Counter(r[3] for r in results)
    by_mutation = collections.Counter((r[1], r[3]) for r in results)
    print(f"cases: {len(results)} (seed {opts.seed}, {time.monotonic() - start:.0f} s, "
          f"timeout {opts.timeout:.0f} s)")
    print("exit codes: " + ", ".join(f"{code}: {n}" for code, n in
                                       sorted(codes.items(), key=lambda kv: str(kv[0]))))
    print(f"hangs: {codes.get('hang', 0)}")
    print(f"tracebacks: {sum('Traceback (most recent call' in r[4] for r in results)}")
    print(f"exit-70: {codes.get(EXIT_INTERNAL, 0)}")
    print("by mutation: " + "; ".join(f"{m} → {c}: {n}" for (m, c), n in sorted(
        by_mutation.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))))
    for path, _mutation, command, code, err in bad:
        last = err.strip().splitlines()[-1] if err.strip() else ""
        print(f"  {code}  {command} {path.name}: {last[:200]}")


if __name__ == "__main__":
    main()
