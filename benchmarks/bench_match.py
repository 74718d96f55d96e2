"""Title matching on a long issue: the near-linear matcher against the quadratic one it replaced.

The large case is the sample issue (its text extraction) repeated COPIES times (21 by default:
462 TOC entries over ~9,900 lines): each copy renames 上海 to another city and opens each of
its titles with a tag of its own (南京第2辑…), so no two entries share a title; copies after
the first also repeat the masthead and the printed TOC inside the body, as stale TOC pages
would. The answer is known: entry k of copy c is the title line of article k in copy c.

In one run, on the same input: the old matcher (tests/match_reference.py, main at 21b2066)
and ``digest.match.match_titles``, best of --repeat; the two results must be identical and
equal to the known answer. Also checked, untimed: identical results on every committed
sample, layout case and the seed.

    python benchmarks/bench_match.py [--copies 21] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import match_reference  # noqa: E402

import digest.issue  # noqa: E402
from digest.match import match_titles  # noqa: E402

SAMPLE = REPO / "samples" / "issue-200-stale.pdftotext.txt"
PLACES = ("上海", "南京", "杭州", "合肥", "苏州", "宁波", "无锡", "嘉兴", "芜湖", "南通", "常州",
          "扬州", "温州", "绍兴", "台州", "金华", "湖州", "镇江", "泰州", "盐城", "徐州", "淮安")
SEED = Path("/work/shared/seeds/000_bf3dd7d26da6ecb5.txt")


def captured(path: Path) -> list[tuple]:
    """The (entries, lines, start) that parsing ``path`` hands to the title matcher."""
    calls = []

    def spy(entries, lines, start):
        calls.append((entries, lines, start))
        return match_titles(entries, lines, start)

    digest.issue.match_titles = spy
    try:
        digest.issue.parse_issue(path)
    finally:
        digest.issue.match_titles = match_titles
    return calls


def large_case(copies: int):
    """(entries, lines, start, known title line of each entry) for ``copies`` tagged copies."""
    entries, lines, start = captured(SAMPLE)[0]
    title_of = {m.start: m.entry for m in match_reference.match_titles(entries, lines, start)}
    big_entries, big_lines, known = [], [], []
    for c in range(copies):
        place, tag = PLACES[c % len(PLACES)], f"{PLACES[c % len(PLACES)]}第{c + 1}辑"
        big_entries += [replace(e, title=tag + e.title.replace("上海", place)) for e in entries]
        for j, ln in enumerate(lines if c else lines[start:], 0 if c else start):
            text = ln.text.replace("上海", place)
            if j >= start and j in title_of:
                known.append(start + len(big_lines))
                text = tag + text
            big_lines.append(replace(ln, text=text))
    big_lines[:0] = lines[:start]
    return big_entries, big_lines, start, known


def best_of(repeat: int, fn, *args):
    """Best wall and best CPU time of ``repeat`` runs (CPU time suffers less from a loaded machine)."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu), out


def committed_cases() -> list[Path]:
    files = sorted((REPO / "samples").glob("*.pdf")) + sorted((REPO / "samples").glob("*.txt"))
    files += sorted((REPO / "tests" / "data" / "layouts").glob("*.pdf"))
    files += [REPO / "tests" / "data" / "other-bulletin.txt", REPO / "tests" / "data" / "jingjinji-bulletin.txt"]
    return files + ([SEED] if SEED.exists() else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=21)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for path in committed_cases():
        for entries, lines, start in captured(path):
            assert match_titles(entries, lines, start) == match_reference.match_titles(entries, lines, start), path
    print(f"identical matches on {len(committed_cases())} committed issues")
    entries, lines, start, known = large_case(args.copies)
    print(f"large case: {len(entries)} entries, {len(lines)} lines, body from line {start}")
    load = os.getloadavg()
    old_t, old_cpu, old = best_of(args.repeat, match_reference.match_titles, entries, lines, start)
    new_t, new_cpu, new = best_of(args.repeat, match_titles, entries, lines, start)
    load = [max(a, b) for a, b in zip(load, os.getloadavg())]
    assert new == old, "the matches differ"
    assert [m.start for m in new] == known and [m.entry for m in new] == list(range(len(entries)))
    print(f"old (quadratic)  {old_t:8.3f} s wall  {old_cpu:8.3f} s CPU")
    print(f"new              {new_t:8.3f} s wall  {new_cpu:8.3f} s CPU"
          f"   = {new_t / old_t:.3f}× old wall, {new_cpu / old_cpu:.3f}× old CPU")
    print(f"matches identical and as known ({len(new)}); load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
