"""Does a change to `digest add` store the very same library? Two checkouts, one folder, every row.

    python benchmarks/same_add.py FOLDER --code /tmp/before [--code2 DIR] [--jobs 2]

Runs `digest add FOLDER --jobs N` once with the code of ``--code`` (say a `git archive main`)
and once with ``--code2`` (default: this checkout), each into a new library, then compares
every row of every table (issues without their time of adding; articles: title, body,
regions, keywords, summaries, …; TOC entries; the per-region counts) and what the search
index holds: every (term, article, column, position) of FTS5's vocabulary, which is what the
index text of each article put there. (Not FTS5's own pages: how it packs the same entries
into segments depends on how the inserts were grouped in a transaction.) Prints the first
differences and exits 1 when there are any. A speed-up of `add` must leave this silent: same
articles, keywords, summaries, regions and index text.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Table → columns left out of the comparison: the time of adding differs from run to run.
SKIP = {"issues": {"added_at"}}


def add(code: Path, folder: Path, library: Path, jobs: int) -> str:
    # PYTHONSAFEPATH: `python -m` would put the current folder first on the path, and run the
    # digest found there (this checkout, when run from it) whatever PYTHONPATH says.
    env = {**os.environ, "PYTHONPATH": str(code.resolve()), "PYTHONSAFEPATH": "1"}
    out = subprocess.run([sys.executable, "-m", "digest", "add", str(folder), "--jobs", str(jobs),
                          "--library", str(library)], env=env, capture_output=True, text=True,
                         check=False)
    if out.returncode not in (0, 1):  # 1: some file failed, which is part of what is compared
        raise SystemExit(f"digest add failed with {code}:\n{out.stderr}")
    return out.stdout


def rows(library: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(library / "library.db")
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'article_fts%' ORDER BY name")]
    conn.execute("CREATE VIRTUAL TABLE temp.fts_instances "
                 "USING fts5vocab('main', 'article_fts', 'instance')")
    out = {"search index": conn.execute("SELECT term, doc, col, offset FROM temp.fts_instances "
                                        "ORDER BY 1, 2, 3, 4").fetchall()}
    for name in names:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")
                if r[1] not in SKIP.get(name, ())]
        out[name] = conn.execute(f"SELECT {', '.join(cols)} FROM {name} ORDER BY rowid"
                                 if name != "issue_regions" else
                                 f"SELECT {', '.join(cols)} FROM {name} ORDER BY 1, 2").fetchall()
    conn.close()
    return out


def compare(a: dict, b: dict, shown: int = 10) -> list[str]:
    problems = [f"table {t} only in one library" for t in sorted(set(a) ^ set(b))]
    for table in sorted(set(a) & set(b)):
        if len(a[table]) != len(b[table]):
            problems.append(f"{table}: {len(a[table])} rows against {len(b[table])}")
        problems += [f"{table} row {n}: {x!r:.300} against {y!r:.300}"
                     for n, (x, y) in enumerate(zip(a[table], b[table])) if x != y]
    return problems[:shown] + ([f"... {len(problems) - shown} more"] if len(problems) > shown else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--code", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--code2", type=Path, default=REPO, help="default: this checkout")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-same-") as tmp:
        libs = [Path(tmp) / "a", Path(tmp) / "b"]
        said = [add(code, args.folder, lib, args.jobs) for code, lib in zip((args.code, args.code2),
                                                                             libs)]
        a, b = rows(libs[0]), rows(libs[1])
    problems = compare(a, b)
    if said[0] != said[1]:
        problems.insert(0, "`digest add` said different things")
    counts = ", ".join(f"{t} {len(r)}" for t, r in sorted(a.items()))
    print(f"{args.code} against {args.code2}: {counts}")
    print("\n".join(problems) if problems else "the same rows in every table")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
