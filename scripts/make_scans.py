"""Scanned test material: rendered issues printed and scanned again, as image-only PDFs.

    pip install -e '.[ocr,samples]'                     # pypdfium2, Pillow, numpy; reportlab
    python scripts/make_scans.py samples/issue-200.pdf --dpi 200 -o /tmp/scans
    python scripts/make_scans.py --committed            # the small scans under tests/data/scans/

A scan differs from the rendering it came from in the ways an office scanner differs from a
printer: the sheet lies slightly crooked (a rotation within ±1°), the optics blur, the sensor
adds noise, dust leaves specks, and the result is stored as a grayscale JPEG. Each page is
rendered with PDFium at the scan's resolution, damaged that way with Pillow and numpy (seeded,
so a run is repeatable), and wrapped by Pillow's PDF writer into a PDF whose pages are one
JPEG each at the original page size: no text layer, as a scanner writes it.

``--committed`` builds the small issue the tests read: the first section and part of the
third of the sample issue, in the sample's layout (scripts/make_samples.py), four pages,
scanned at 150 dpi; its ground truth is written beside it.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "tests" / "data" / "scans"


@dataclass(frozen=True)
class Damage:
    """How badly a page is scanned."""

    max_angle: float = 1.0  # degrees either way
    blur: float = 0.5  # Gaussian radius at 200 dpi, scaled with the resolution
    noise: float = 6.0  # standard deviation of the sensor noise, in grey levels
    specks: int = 40  # dust specks per page
    quality: int = 70  # JPEG quality
    # Scanners lift the paper's grey to white (background removal); noise stays in the ink
    # and on the edges of strokes, where it hurts recognition.
    white: int = 225


def scan_pdf(pdf: bytes, dpi: int, seed: int = 0, damage: Damage = Damage()) -> bytes:
    """An image-only PDF of ``pdf`` as scanned at ``dpi``."""
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for page in doc:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        pages.append(_damage(bitmap.to_pil().convert("L"), dpi, rng, damage))
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi,
                  quality=damage.quality, optimize=True, progressive=True)
    return out.getvalue()


def _damage(img, dpi: int, rng: random.Random, d: Damage):
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    angle = rng.uniform(-d.max_angle, d.max_angle)
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(d.blur * dpi / 200))
    draw = ImageDraw.Draw(img)
    for _ in range(d.specks):
        x, y = rng.uniform(0, img.width), rng.uniform(0, img.height)
        r = rng.uniform(0.5, 2.0) * dpi / 200
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(0, 120))
    pixels = np.asarray(img, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, d.noise, pixels.shape)
    pixels = np.clip(pixels + noise, 0, 255)
    pixels[pixels >= d.white] = 255
    return Image.fromarray(pixels.astype(np.uint8), "L")


def small_issue() -> tuple[bytes, dict]:
    """The sample's first section and the first article of its third, in the sample layout."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_samples as ms
    from reportlab import rl_config

    rl_config.invariant = 1
    ms.register_fonts()
    ms.typeset_like_office()
    source = json.loads(ms.SOURCE.read_text(encoding="utf-8"))
    sections = [source["sections"][0], dict(source["sections"][2], articles=source["sections"][2]["articles"][:1])]
    keep = {ms.squash(a["title"]) for s in sections for a in s["articles"]}
    small = dict(source, sections=sections, toc=[e for e in source["toc"] if ms.squash(e["title"]) in keep])
    layout = next(layout for layout in ms.LAYOUTS if layout.name == "issue-200")
    return ms.make(layout, small)


def committed() -> None:
    COMMITTED.mkdir(parents=True, exist_ok=True)
    pdf, truth = small_issue()
    truth["source"] = "small-150dpi.pdf"
    (COMMITTED / "small-150dpi.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # Committed scans are kept small: 150 dpi and a low JPEG quality (a 200 dpi page of
    # Chinese text is about 200 KB as JPEG, however clean); the benchmark covers 200 and 300.
    scan = scan_pdf(pdf, 150, seed=150, damage=Damage(quality=30, blur=0.7))
    (COMMITTED / "small-150dpi.pdf").write_bytes(scan)
    for name in ("small-150dpi.pdf",):
        print(f"{name}: {(COMMITTED / name).stat().st_size // 1024} KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--dpi", type=int, action="append", help="repeatable; default 150, 200 and 300")
    ap.add_argument("-o", "--out", type=Path, default=Path("scans"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--committed", action="store_true", help="rebuild tests/data/scans/")
    args = ap.parse_args()
    if args.committed:
        committed()
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.pdfs:
        for dpi in args.dpi or (150, 200, 300):
            target = args.out / f"{path.stem}-{dpi}dpi.pdf"
            target.write_bytes(scan_pdf(path.read_bytes(), dpi, seed=args.seed))
            print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
