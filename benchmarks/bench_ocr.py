"""Scanned issues read by OCR, scored like their text-layer twins (issue 8).

Every rendered issue (the samples, samples/*.pdf, and the layout-matrix cases under
tests/data/layouts/) is scanned again by scripts/make_scans.py at each --dpi (rotation within
±1°, blur, noise, specks, grayscale JPEG, image-only PDF), parsed by ``digest.parse_issue``
with OCR, and scored with benchmarks/layout_score.py against the same truth file as the
text-layer PDF. Beside the scores: OCR pages per second on this machine, and the time of the
same issue's text-layer parse in the same run (the ratio says what a scan costs).

    python benchmarks/bench_ocr.py                        # 200 dpi, every case (slow: minutes)
    python benchmarks/bench_ocr.py --dpi 150 --dpi 300 --only issue-200 --jobs 2
    python benchmarks/bench_ocr.py --details              # also the titles OCR got wrong

Columns: t_rec (title recall), sect, page, toc (TOC pages), body (body character F1),
t_acc (character accuracy of the paired titles: 1 − edit distance / length), mast (masthead),
p/s (pages per second, OCR), ocr s, text ms (text-layer parse), ×text (OCR time / text time),
tx_rec and tx_body (title recall and body F1 of the text-layer twin: what the structure stage
makes of the same issue without OCR, the ceiling for its scan).
Targets at 200 dpi: t_rec ≥ 0.95, sect ≥ 0.9, page = 1.0, body ≥ 0.97, t_acc ≥ 0.98.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from layout_score import get, load_truth, norm, pair, score  # noqa: E402
from make_scans import scan_pdf  # noqa: E402

TARGETS = {"title_recall": 0.95, "section": 0.9, "page": 1.0, "body_f1": 0.97, "title_acc": 0.98}
COLUMNS = (("title_recall", "t_rec"), ("section", "sect"), ("page", "page"), ("toc_page", "toc"),
           ("body_f1", "body"), ("title_acc", "t_acc"), ("masthead", "mast"))


def cases(only: str | None) -> list[tuple[Path, Path]]:
    """(text-layer PDF, truth) of every rendered issue that has a truth file."""
    found = []
    for folder in (ROOT / "samples", ROOT / "tests" / "data" / "layouts"):
        for pdf in sorted(folder.glob("*.pdf")):
            truth = pdf.with_name(pdf.stem + ".truth.json")
            if truth.exists() and (only is None or only in pdf.stem):
                found.append((pdf, truth))
    return found


def title_accuracy(issue, truth: dict) -> float | None:
    """Mean character accuracy of the titles paired with the truth's."""
    from rapidfuzz.distance import Levenshtein

    want = [a["title"] for a in truth["articles"]]
    got = [get(a, "title") for a in get(issue, "articles")]
    scores = [max(0.0, 1 - Levenshtein.distance(norm(got[j]), norm(want[i])) / max(len(norm(want[i])), 1))
              for i, j in pair(want, got)]
    return sum(scores) / len(scores) if scores else None


def wrong_titles(issue, truth: dict) -> list[str]:
    want = [a["title"] for a in truth["articles"]]
    got = [get(a, "title") for a in get(issue, "articles")]
    pairs = dict(pair(want, got))
    out = [f"    missed: {w}" for i, w in enumerate(want) if i not in pairs]
    out += [f"    read:   {got[j]}  (truth {want[i]})" for i, j in pairs.items() if norm(got[j]) != norm(want[i])]
    return out


def run_case(pdf: Path, truth_path: Path, dpi: int, folder: Path, jobs: int) -> tuple[dict, list[str]]:
    from digest.issue import parse_issue

    truth = load_truth(truth_path)
    scan = folder / f"{pdf.stem}-{dpi}dpi.pdf"
    if not scan.exists():
        scan.write_bytes(scan_pdf(pdf.read_bytes(), dpi, seed=dpi))
    start = time.perf_counter()
    text_issue = parse_issue(pdf, ocr="never")
    text_time = time.perf_counter() - start
    start = time.perf_counter()
    issue = parse_issue(scan, jobs=jobs)
    ocr_time = time.perf_counter() - start
    row = score(issue, truth)
    twin = score(text_issue, truth)
    row.update(title_acc=title_accuracy(issue, truth), pages=len(issue.ocr_pages), ocr_time=ocr_time,
               text_time=text_time, text_rec=twin["title_recall"], text_body=twin["body_f1"])
    return row, wrong_titles(issue, truth)


def fmt(value) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dpi", type=int, action="append", help="repeatable; default 200")
    ap.add_argument("--only", help="only cases whose name contains this")
    ap.add_argument("--jobs", type=int, default=1, help="OCR processes per issue")
    ap.add_argument("--out", type=Path, help="keep the scans here (reused when present)")
    ap.add_argument("--details", action="store_true", help="print the titles OCR missed or misread")
    args = ap.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="digest-scans-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<36}{'dpi':>4}" + "".join(f"{short:>6}" for _, short in COLUMNS)
          + f"{'pages':>6}{'p/s':>6}{'ocr s':>7}{'text ms':>8}{'×text':>7}{'tx_rec':>7}{'tx_body':>8}")
    rows = []
    for dpi in args.dpi or [200]:
        for pdf, truth in cases(args.only):
            row, notes = run_case(pdf, truth, dpi, folder, args.jobs)
            rows.append((dpi, row))
            print(f"{pdf.stem:<36}{dpi:>4}" + "".join(f"{fmt(row[m]):>6}" for m, _ in COLUMNS)
                  + f"{row['pages']:>6}{row['pages'] / row['ocr_time']:>6.2f}{row['ocr_time']:>7.1f}"
                  + f"{row['text_time'] * 1000:>8.0f}{row['ocr_time'] / row['text_time']:>7.0f}"
                  + f"{fmt(row['text_rec']):>7}{fmt(row['text_body']):>8}", flush=True)
            if args.details:
                print("\n".join(notes)) if notes else None
    for dpi in sorted({d for d, _ in rows}):
        mine = [r for d, r in rows if d == dpi]
        worst = {m: min((r[m] for r in mine if r[m] is not None), default=None) for m, _ in COLUMNS}
        pages = sum(r["pages"] for r in mine)
        speed = pages / sum(r["ocr_time"] for r in mine)
        print(f"{'minimum':<36}{dpi:>4}" + "".join(f"{fmt(worst[m]):>6}" for m, _ in COLUMNS)
              + f"{pages:>6}{speed:>6.2f}")
        met = [f"{m} {'met' if worst[m] is not None and worst[m] >= t else 'NOT met'}" for m, t in TARGETS.items()]
        print(f"  targets at {dpi} dpi: " + ", ".join(met))
    if not args.out:
        print(f"(scans in {folder})")


if __name__ == "__main__":
    main()
