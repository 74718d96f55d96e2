"""The layout matrix (issue 7): every family × producer × layout rendered, parsed by digest's
current parser, and scored against the truth read back from each PDF.

    python benchmarks/bench_layouts.py                      # render into a temp folder, score
    python benchmarks/bench_layouts.py --out /tmp/layouts   # keep the cases (re-scored next run with --no-render)
    python benchmarks/bench_layouts.py --out /tmp/layouts --no-render --details
    python benchmarks/bench_layouts.py --out /tmp/layouts --no-render --reader pdfium  # score PDFium's reading

Prints one row a case (metrics of benchmarks/layout_score.py, "-" where a metric does not
apply), then the minimum of each metric over the matrix and issue 7's target. With --details,
the titles each case missed or invented. Rendering needs LibreOffice, Chromium, qpdf,
poppler-utils and reportlab (scripts/layouts/render.py); it takes minutes (LibreOffice is
slow), so on a shared machine run it with ``nice``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts" / "layouts"))

from layout_score import METRICS, TARGETS, load_truth, minimums, score  # noqa: E402

SHORT = {"title_recall": "t_rec", "title_precision": "t_prec", "section": "sect", "page": "page",
         "physical_page": "phys", "toc_page": "toc", "body_f1": "body", "end_matter": "end",
         "masthead": "mast"}


def render_all(out: Path, families, producers, layouts, per_section) -> None:
    from model import LAYOUTS, family_names
    from render import PRODUCERS, TruthError, render_case

    for fam in families or family_names():
        for producer in producers or PRODUCERS:
            for lay in layouts or list(LAYOUTS):
                try:
                    render_case(fam, producer, lay, out, per_section)
                except (TruthError, OSError, RuntimeError) as e:
                    print(f"{fam}-{producer}-{lay}: not rendered: {e}", file=sys.stderr)


def fmt(value) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="folder for the cases (default: a temporary one)")
    ap.add_argument("--no-render", action="store_true", help="score the cases already in --out")
    ap.add_argument("--family", action="append")
    ap.add_argument("--producer", action="append")
    ap.add_argument("--layout", action="append")
    ap.add_argument("--per-section", type=int)
    ap.add_argument("--details", action="store_true", help="print missed and invented titles")
    ap.add_argument("--reader", choices=("pypdf", "pdfium"), help="the PDF reader digest uses "
                    "(default: digest's own default); pdfium needs digest[fast]")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        if not args.no_render:
            started = time.perf_counter()
            render_all(out, args.family, args.producer, args.layout, args.per_section)
            print(f"rendered in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        report(out, args.details, args.reader)


def report(out: Path, details: bool, reader: str | None = None) -> None:
    from digest.issue import parse_issue

    rows, names = [], sorted(p.name.removesuffix(".truth.json") for p in out.glob("*.truth.json"))
    width = max((len(n) for n in names), default=10)
    print(f"{'case':<{width}} " + " ".join(f"{SHORT[m]:>5}" for m in METRICS))
    for name in names:
        got = score(parse_issue(out / f"{name}.pdf", reader=reader),
                    load_truth(out / f"{name}.truth.json"))
        rows.append(got)
        print(f"{name:<{width}} " + " ".join(fmt(got[m]) for m in METRICS))
        if details and (got["details"]["missed"] or got["details"]["invented"]):
            print(f"    missed {got['details']['missed']}\n    invented {got['details']['invented']}")
    low = minimums(rows)
    print(f"{'minimum':<{width}} " + " ".join(fmt(low[m]) for m in METRICS))
    print(f"{'target':<{width}} " + " ".join(fmt(TARGETS[m]) for m in METRICS))
    meeting = sum(all(r[m] is None or TARGETS[m] is None or r[m] >= TARGETS[m] for m in METRICS) for r in rows)
    print(f"{len(rows)} cases, {meeting} meet every target")


if __name__ == "__main__":
    main()
