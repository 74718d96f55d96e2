"""Scanned pages read by OCR into the positioned lines the PDF reader produces.

Only this module imports the OCR extra (rapidocr-onnxruntime, numpy, Pillow, pypdfium2), and it
is imported only when a page needs OCR, so ``digest --help`` and text PDFs never load it.

**Engine.** RapidOCR runs PaddleOCR's PP-OCRv4 Chinese detection (DB) and recognition (CRNN +
CTC) models on ONNX Runtime on the CPU; the models ship inside the wheel, nothing is fetched at
run time. The angle classifier is not used: a page is upright or within a degree of it.

**Page image.** A scanned page is one image that fills the page: pypdf hands it over as the
scanner stored it (``pdf.page_scans``), so it is decoded once and never resampled by a
renderer. Any other page (a text layer in fonts that come out as garbage, vector drawings, a
picture on part of the page, a rotated page) is rendered with PDFium through pypdfium2: it is
the renderer of Chrome, ships as a wheel (no subprocess, unlike poppler's pdftoppm; no AGPL,
unlike Ghostscript), honours /Rotate and the crop box, and renders exactly what a viewer shows.

**Resolution.** Detection and recognition need different pixels. On A4 pages at 200 dpi (2339
px high) the detector (DB) found the same lines with the long side at 960 or 1280 px as at full
size, but for a lone footer that the residual pass below reads anyway; its work grows with the
pixels, so at ``DET_LONG_SIDE`` = 1280 it does about 30% of the full-size work. So detection
runs on a downscaled copy and its boxes are scaled back. Recognition crops each line from
the page image and resizes the crop to 48 px high: a line of body text is 30–45 px high at 150–200 dpi, so pages above ``REC_MAX_DPI`` are scaled
down first, and nothing is ever scaled up.

**Dust.** Specks smaller than a dot of print with no ink near them are whitened first: read as
a quote or a dot, a speck in an indent hides the indent and makes the line look like a title.

**Geometry.** Box corners become points on the page (the image spans the page box). A page
scanned slightly crooked is deskewed in coordinates, not pixels: the median slope of its long
boxes is the skew, and every box is rotated back around the page centre, so that margins and
indents line up as in a text layer (at 1°, a margin drifts by 14 pt over an A4 page, more than
an em). Box left and right give the line's x0 and x1, the box middle its baseline.

**Size and weight.** The structure stage tells a title from body text by its style (size in 5%
steps, weight), so these must be as steady as a text layer's. A detector's box is padded by an
amount that depends on its length, so box height is a poor size (±15%); the height of the ink
of a line of ideographs is about 0.9 em whatever the face (``INK_PER_EM``, ±4%). Weight is the
stroke width (ink over its outline) over that height: it does not depend on how many strokes the
characters have, unlike the share of dark pixels. ``harmonise`` then sizes all OCR'd pages
together: lines near the body size get it, the others are grouped into levels, and a line is
bold where its strokes are clearly heavier than the body's. The lines go through
``pdf.page_from_runs``, which groups the runs of any reader into lines, so everything after
this module is the one structure stage.

**Confidence.** Every recognised character keeps its CTC probability. Characters below
``LOW_CONFIDENCE`` are kept (a dubious character is still better than a hole in a title) and
counted per page; the page's mean confidence goes on the Document and the Issue.
"""

from __future__ import annotations

import math
import os
import re
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from functools import lru_cache

from digest.errors import OcrUnavailableError
from digest.models import OcrPage
from digest.pdf import SAME_LINE, PageScan, RawPage, Run, page_from_runs
from digest.text import width

# Detection's input, long side in px: lines are found alike from 960 up; 1280 keeps the
# small print (page numbers, dates under the masthead) that 960 starts to lose.
DET_LONG_SIDE = 1280
# Recognition reads 48-px-high crops: more than 200 dpi only costs time.
REC_MAX_DPI = 200
# Pages without a usable embedded image are rendered at this resolution.
RENDER_DPI = 200
# OCR box height (points) × this = the font size the text layer would report; measured on
# the sample layouts (body 12–16 pt, titles 17–18 pt, masthead 40 pt). Only for boxes without
# ideographs (digits, Latin): the detector pads a box by a share of its area over its
# perimeter, so a short box is padded less than a long one of the same type (a title's
# wrapped tail "补充协议" came out 1.38 beside its first line's 1.29).
SIZE_PER_BOX_HEIGHT = 0.88
# The height of the ink of a line of ideographs over its font size: CJK faces draw their
# ideographs about 0.9 em tall. Measured on the scans of the samples and the layout families
# (Song, Hei, Kai and the fallback faces of three producers; body, titles, mastheads), each
# line within 0.86–0.95: a tenth of the box estimate's spread.
INK_PER_EM = 0.9
# A row of a line's crop is part of its glyphs when it holds at least this share of the ink
# of the fullest row (a neighbour's descender or a speck at the crop's edge holds less, and so
# do quotes: in a Ming face “” stand above the ideographs, and at 0.12 a paragraph opening
# “G60科创贷”… measured 1.09 of the body and became a title; 0.2 left one, 0.25 none, with the
# body lines of every family still within ±5%).
ROW_INK_SHARE = 0.25
# Sizes within this share of the document's body size are the body size, and sizes within
# SIZE_LEVEL of the commonest one size (see harmonise): a line's ink height varies by ±4%
# with what it holds, so the lines of one style spread over up to 8% (wanqu's titles:
# 1.11–1.20); a bulletin's title and section styles differ by 12% or more (1.20 and 1.07 of
# the body, 1.42 and 1.08), and a section heading set near the body size (1.07) is told by
# its place and shape (titles.py), not by its size. Lines of at least BODY_MIN_EM are body
# text, whose median size is the body size.
SIZE_JITTER = 0.06
SIZE_LEVEL = 0.05
BODY_MIN_EM = 8
# Ink outside detected boxes (see _residual): gaps under this many line heights join, and a
# group between these fractions of a line's height may be text (a digit is about 0.6).
RESIDUAL_JOIN_EM = 1.0
RESIDUAL_MIN_HEIGHT = 0.35
RESIDUAL_MAX_HEIGHT = 1.5
RESIDUAL_BOX_GROW = 0.25  # detected boxes are blanked this much (line heights) beyond their edge
RESIDUAL_PAD = 0.2  # a found group is read with this much margin (line heights)
# Boxes at least this many times longer than high give the page's skew.
SKEW_MIN_ASPECT = 4.0
# A character recognised with a probability below this is low-confidence.
LOW_CONFIDENCE = 0.8
# A mark of punctuation at either end of a box read with less than this is taken for dust
# (seen: 0.22 for a speck after "】"; a faint real "。" reads 0.6 and up).
DUST_MARK_CONFIDENCE = 0.5
# Stroke width over ink height above which a line is set in a heavy face (Hei, bold),
# relative to the document's body lines. The stroke width is the line's ink over its ink's
# outline (twice that for a stroke of any length), so it does not depend on how many strokes
# the characters have or how much blank the box holds, unlike the share of dark pixels.
# Measured: body lines of every family within ±8% of their median; Hei titles 1.29–1.6×.
BOLD_STROKE_RATIO = 1.22
# Dust: a blob of ink at most this wide and high (points) with no other ink this near.
SPECK_PT = 1.6
SPECK_CLEAR_PT = 6.0
DARK = 128  # grey level below which a pixel is ink
FAINT = 192  # ... or faint ink, when looking for small print the detector missed
# Recognition confuses these with the punctuation of Chinese text (丶 is a radical).
CONFUSABLES = str.maketrans({"丶": "、"})

# Two or more leader dots of any kind, perhaps spaced, before an optional number at the end.
# Or one dot left of them between the title's last character and the page number.
_LEADER_RUN_RE = re.compile(r"(?:[.·．…⋯・] ?){2,}(?=\s*\d{0,4}\s*$)"
                            r"|(?<=[\u4e00-\u9fff”」》）)]) ?[.·．] ?(?=\d{1,4}\s*$)")

_LONE_DASH_RE = re.compile(r"(?<=[\u4e00-\u9fff])[—―](?=[\u4e00-\u9fff])")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrResult:
    """A page's lines, their stroke weights (stroke width over ink height, ``None`` for a
    line without ideographs, aligned with ``page.lines``) and its confidence. Sizes and weights
    are as measured on the page; ``harmonise`` makes them the document's styles."""

    page: RawPage
    info: OcrPage
    weights: tuple[float | None, ...] = ()


def require_engine() -> None:
    """Raise OcrUnavailableError unless the OCR extra is installed."""
    try:
        import numpy  # noqa: F401
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as exc:
        raise OcrUnavailableError(f"OCR needs the optional extra ({exc.name} is missing): "
                                  "pip install 'digest[ocr]'") from None


def read_scans(data: bytes, password: str | None, scans: list[PageScan], *, jobs: int = 1,
               progress: Progress | None = None) -> dict[int, OcrResult]:
    """OCR the given pages, ``jobs`` processes at a time; page index → result."""
    require_engine()
    images = [(scan, _image(data, password, scan)) for scan in scans]
    results: dict[int, OcrResult] = {}
    done = 0
    if jobs <= 1 or len(images) <= 1:
        for scan, image in images:
            results[scan.index] = ocr_page(scan, image)
            done += 1
            if progress:
                progress(done, len(images))
        return harmonise(results)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_single_threaded) as pool:
        futures = [pool.submit(ocr_page, scan, image) for scan, image in images]
        for future in as_completed(futures):
            result = future.result()
            results[result.info.index] = result
            done += 1
            if progress:
                progress(done, len(images))
    return harmonise(results)


def _single_threaded() -> None:
    os.environ["DIGEST_OCR_THREADS"] = "1"  # processes share the cores; one thread each


def _image(data: bytes, password: str | None, scan: PageScan):
    """The page as a grayscale PIL image: its own image if it is one, else rendered."""
    import io

    from PIL import Image

    if scan.image is not None:
        img = Image.open(io.BytesIO(scan.image))
        img.load()
        return img.convert("L")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data, password=password)
    try:
        page = doc[scan.index]
        return page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()


@lru_cache(maxsize=1)
def _engine():
    import logging

    from rapidocr_onnxruntime import RapidOCR

    threads = int(os.environ.get("DIGEST_OCR_THREADS", "0")) or min(os.cpu_count() or 1, 4)
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    # limit_type "min" with a tiny limit: the detector takes the image at the size given
    # (rounded to 32 px); this module chooses that size.
    return RapidOCR(det_limit_type="min", det_limit_side_len=32, intra_op_num_threads=threads,
                    inter_op_num_threads=1, use_cls=False)


def ocr_page(scan: PageScan, image) -> OcrResult:
    """One page image → its lines as the PDF reader would give them, and its confidence."""
    gray, boxes, texts = recognise(scan, image)
    return layout(scan, gray, boxes, texts)


def recognise(scan: PageScan, image):
    """The engine's part (the slow one): the page's ink, its line boxes, their text and
    per-character confidences."""
    import numpy as np

    image = _fit(image, scan.width, REC_MAX_DPI)
    gray = _despeckle(np.asarray(image), image.width / scan.width)
    boxes = _detect(gray)
    boxes += _residual(gray, boxes)
    if not boxes:
        return gray, [], []
    eng = _engine()
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    crops = eng.get_crop_img_list(rgb, boxes)
    recognised, _ = eng.text_rec(crops, True)
    return gray, boxes, [_undust(r[0], list(r[2][4]) if r[0] else []) for r in recognised]


def layout(scan: PageScan, gray, boxes, texts) -> OcrResult:
    """Recognised boxes → the page's lines as the PDF reader would give them."""
    if not boxes:
        return OcrResult(RawPage(()), OcrPage(scan.index, 0.0, 0, 0))
    scale = scan.width / gray.shape[1]
    runs, weights = _runs(boxes, texts, gray, scale, scan.height)
    confs = [c for _, cs in texts for c in cs]
    info = OcrPage(scan.index, round(statistics.fmean(confs), 4) if confs else 0.0, len(confs),
                   sum(c < LOW_CONFIDENCE for c in confs))
    page = page_from_runs(runs)
    # Leaders once more on whole lines: a title's box and its page number's are read apart.
    page = RawPage(tuple(replace(line, text=_leaders(line.text)) for line in page.lines))
    return OcrResult(page, info, _line_weights(page, runs, weights))


def _undust(text: str, confs: list[float]) -> tuple[str, list[float]]:
    """The text without the marks that are dust (and tidied, see ``_tidy``).

    A speck beside print survives ``_despeckle`` (it is not alone) and is read as a dot
    ("·", ".") or a mark of punctuation at either end of a box ("【产业动向】，"). Chinese text
    has no dot that recognition is unsure of, none beside its own punctuation ("、·", "；."),
    and none ending a line ("公共服务·"); a decimal point stands between digits and stays.
    Closing punctuation never starts a line (the rule of Chinese typesetting that keeps "。"
    with its sentence), so a box does not start with it ("。【经济热点】"); nor does a box
    start or end with a mark recognition is unsure of. (Recognition may also read a faint
    "。" as "·": where it does, the mark is lost with the dust.)"""
    keep = [i for i in range(len(text)) if not _dust(text, confs, i)]
    if len(keep) == len(text):
        return _tidy(text), confs
    return _tidy("".join(text[i] for i in keep).strip()), [confs[i] for i in keep if i < len(confs)]


def _dust(text: str, confs: list[float], i: int) -> bool:
    ch, prev, nxt = text[i], text[i - 1:i].strip(), text[i + 1:i + 2].strip()
    unsure = i < len(confs) and confs[i] < LOW_CONFIDENCE
    if ch in _DOTS:
        beside_mark = any(c and c in _CJK_PUNCT for c in (prev, nxt))
        ends_line = not nxt and bool(_IDEOGRAPH_RE.match(prev))
        return not (prev.isdigit() and nxt.isdigit()) and (unsure or beside_mark or ends_line)
    at_end = not text[:i].strip() or not text[i + 1:].strip()
    doubtful = i < len(confs) and confs[i] < DUST_MARK_CONFIDENCE
    return ch in _CJK_PUNCT and at_end and (doubtful or (not text[:i].strip() and ch in _CLOSING))


_DOTS = "·.．•"
_CJK_PUNCT = "，。、；：！？（）《》“”"
_CLOSING = "，。、；：！？）》"


def _tidy(text: str) -> str:
    """What recognition gets wrong about Chinese punctuation, put right where it is certain."""
    return _leaders(_dashes(_quotes(text.translate(CONFUSABLES))))


def _dashes(text: str) -> str:
    """A dash between two ideographs is the Chinese dash "——", which recognition reads as one."""
    return _LONE_DASH_RE.sub("——", text)


def _leaders(text: str) -> str:
    """Dot leaders as recognition reads them (". .", "···．", "……") become "……" when they
    end the text or stand before its closing page number, so that the TOC sees leaders."""
    return _LEADER_RUN_RE.sub("……", text)


def _quotes(text: str) -> str:
    """Curly double quotes paired within a line: recognition often reads both as the opening
    one (or as a straight quote): “…“ and “…" become “…”."""
    out, open_ = [], False
    for ch in text:
        if ch in "“”\"":
            ch = "”" if open_ else ("“" if ch != "”" or "”" in text[len(out) + 1:] else "”")
            open_ = ch == "“"
        out.append(ch)
    return "".join(out)


def harmonise(results: dict[int, OcrResult]) -> dict[int, OcrResult]:
    """Sizes and weights as steady as a text layer's, over the whole document.

    A text layer sets every line of a style in one size; measured sizes scatter by a few
    per cent around it, and the structure stage tells styles apart by 5% steps. So the lines
    of all OCR'd pages are sized together: those within ``SIZE_JITTER`` of the body size
    (the median of long lines) get that size, and the others are grouped into levels around
    the commonest sizes (within ``SIZE_LEVEL``), each level its mean size. A line is bold
    where its stroke weight is ``BOLD_STROKE_RATIO`` times that of the body lines.
    """
    lines = [(line, w) for r in results.values() for line, w in zip(r.page.lines, r.weights)]
    long = [line.size for line, _ in lines if width(line.text) >= BODY_MIN_EM]
    if not long:
        return results
    body = statistics.median(long)
    levels = _levels([line.size for line, _ in lines], body)
    body_weights = [w for line, w in lines if w is not None and abs(line.size / body - 1) < SIZE_JITTER
                    and width(line.text) >= BODY_MIN_EM]
    heavy = BOLD_STROKE_RATIO * statistics.median(body_weights) if body_weights else math.inf
    return {index: replace(r, page=RawPage(tuple(
        replace(line, size=levels.get(line.size, line.size), bold=w is not None and w > heavy)
        for line, w in zip(r.page.lines, r.weights)))) for index, r in results.items()}


def _levels(sizes: list[float], body: float) -> dict[float, float]:
    """Each measured size → its level: the body size, or the mean of a group of sizes within
    ``SIZE_LEVEL`` of the commonest size left (mode seeking, so a spread never chains)."""
    out = {s: body for s in sizes if abs(s / body - 1) < SIZE_JITTER}
    left = sorted({s for s in sizes if s not in out})
    counts = {s: sizes.count(s) for s in left}
    while left:
        centre = max(left, key=lambda c: sum(counts[s] for s in left if abs(s / c - 1) < SIZE_LEVEL))
        group = [s for s in left if abs(s / centre - 1) < SIZE_LEVEL]
        mean = sum(s * counts[s] for s in group) / sum(counts[s] for s in group)
        out.update((s, mean) for s in group)
        left = [s for s in left if s not in group]
    return out


def _line_weights(page: RawPage, runs: list[Run], weights: list[float | None]) -> tuple[float | None, ...]:
    """Each line's stroke weight: the mean of its boxes' by characters (runs are grouped into
    lines by baseline, as ``page_from_runs`` does)."""
    out = []
    for line in page.lines:
        mine = [(len(r.text), w) for r, w in zip(runs, weights) if w is not None
                and abs(r.y - line.y) < SAME_LINE * max(r.size, line.size) and line.x0 - 1 <= r.x <= line.x1]
        chars = sum(n for n, _ in mine)
        out.append(sum(n * w for n, w in mine) / chars if chars else None)
    return tuple(out)


def _despeckle(gray, px_per_pt: float):
    """The page without dust: specks of ink smaller than ``SPECK_PT`` with no other ink within
    ``SPECK_CLEAR_PT`` are whitened. Recognition reads a speck in an indent or a margin as a
    quote or a dot, and a speck before a paragraph's first line hides its indent. A decimal
    point or a dot of punctuation sits beside its characters and stays."""
    import cv2
    import numpy as np

    ink = (gray < FAINT).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    limit = SPECK_PT * px_per_pt
    small = (stats[:, cv2.CC_STAT_WIDTH] <= limit) & (stats[:, cv2.CC_STAT_HEIGHT] <= limit)
    small[0] = False  # the background
    if not small.any():
        return gray
    reach = max(int(SPECK_CLEAR_PT * px_per_pt), 1)
    alone = np.zeros(count, bool)
    for k in np.flatnonzero(small):  # dust has no ink near it, not even other dots (leaders)
        x, y, w, h = stats[k, :4]
        y0, x0 = max(y - reach, 0), max(x - reach, 0)
        window = labels[y0:y + h + reach, x0:x + w + reach]
        alone[k] = not ((window != 0) & (window != k)).any()
    if not alone.any():
        return gray
    clean = gray.copy()
    clean[alone[labels]] = 255
    return clean


def _fit(image, width_pt: float, max_dpi: float):
    """Scale down (never up) to ``max_dpi``."""
    from PIL import Image

    limit = width_pt / 72 * max_dpi
    if image.width <= limit * 1.05:
        return image
    factor = limit / image.width
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.LANCZOS)


def _detect(gray) -> list:
    """Text line boxes (4 corners each, page image px), found on a downscaled copy."""
    import cv2
    import numpy as np

    eng = _engine()
    h, w = gray.shape
    factor = min(1.0, DET_LONG_SIDE / max(h, w))
    small = cv2.resize(gray, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA) \
        if factor < 1 else gray
    boxes, _ = eng.text_det(np.repeat(small[:, :, None], 3, axis=2))
    if boxes is None or len(boxes) == 0:
        return []
    return list(eng.sorted_boxes(np.asarray(boxes, dtype=np.float32) / factor))


def _residual(gray, boxes) -> list:
    """Boxes for the print the detector left out.

    PP-OCR's detector gives no probability at all to some print that matters here: a lone
    page number in a footer ("— 3 —"), and the page number after a TOC entry's dot leaders.
    So the ink outside the detected boxes is looked at the classic way: connected blobs of
    (faint) ink, of a character's height, joined along the line across gaps under an em, are
    read too. Dust, rules, dashes and leader dots are lower than any digit and drop out, so
    a TOC entry comes out "title 3" and a footer "3", forms both later stages know.
    """
    import cv2
    import numpy as np

    if not boxes:
        return []
    line = statistics.median(_height(b) for b in boxes)
    ink = (gray < FAINT).astype(np.uint8)
    for b in boxes:  # a little beyond each box: the edges of its last glyph are not new print
        centre = b.mean(axis=0)
        grown = centre + (b - centre) * (1 + RESIDUAL_BOX_GROW * line / max(_height(b), 1.0))
        cv2.fillPoly(ink, [np.round(grown).astype(np.int32)], 0)
    # Thin strokes of small print break up in a blurred scan: join them up and down.
    ink = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    chars = sorted((x, y, x + w, y + h) for x, y, w, h, _ in stats[1:count]
                   if RESIDUAL_MIN_HEIGHT * line <= h <= RESIDUAL_MAX_HEIGHT * line and w <= 2 * line)
    groups: list[list[float]] = []
    for x0, y0, x1, y1 in chars:
        for g in groups:
            overlap = min(g[3], y1) - max(g[1], y0)
            if overlap > 0.5 * min(g[3] - g[1], y1 - y0) and x0 - g[2] <= RESIDUAL_JOIN_EM * line:
                g[:] = [min(g[0], x0), min(g[1], y0), max(g[2], x1), max(g[3], y1)]
                break
        else:
            groups.append([x0, y0, x1, y1])
    pad = RESIDUAL_PAD * line
    return [np.array([[x0 - pad, y0 - pad], [x1 + pad, y0 - pad], [x1 + pad, y1 + pad], [x0 - pad, y1 + pad]],
                     dtype=np.float32) for x0, y0, x1, y1 in groups]


def _height(box) -> float:
    return math.hypot(box[3][0] - box[0][0], box[3][1] - box[0][1])


def _skew(boxes) -> float:
    """The page's skew in radians: the median slope of its long boxes' top edges."""
    slopes = []
    for b in boxes:
        dx, dy = b[1][0] - b[0][0], b[1][1] - b[0][1]
        height = math.hypot(b[3][0] - b[0][0], b[3][1] - b[0][1])
        if dx > SKEW_MIN_ASPECT * max(height, 1.0):
            slopes.append(math.atan2(dy, dx))
    return statistics.median(slopes) if slopes else 0.0


def _runs(boxes, texts, gray, scale: float, page_height: float) -> tuple[list[Run], list[float | None]]:
    """Runs in page points, deskewed, sized by their ink; and each run's stroke weight."""
    import numpy as np

    angle = _skew(boxes)
    cos, sin = math.cos(angle), math.sin(angle)
    cy, cx = gray.shape[0] / 2, gray.shape[1] / 2
    runs, weights = [], []
    for box, (text, _) in zip(boxes, texts):
        text = text.strip()
        if not text:
            continue
        pts = np.asarray(box, dtype=np.float64)
        xs = cx + (pts[:, 0] - cx) * cos + (pts[:, 1] - cy) * sin
        ys = cy - (pts[:, 0] - cx) * sin + (pts[:, 1] - cy) * cos
        ink_height, stroke = _ink(gray, box) if _IDEOGRAPH_RE.search(text) else (0.0, 0.0)
        size = ink_height * scale / INK_PER_EM if ink_height else (ys.max() - ys.min()) * scale * SIZE_PER_BOX_HEIGHT
        run = Run(float(xs.min() * scale), float(page_height - ys.mean() * scale), float(size),
                  "OCR", text, reported_x=float(xs.min() * scale))
        run.end = float(xs.max() * scale)  # the box's real right edge, not an estimate
        runs.append(run)
        weights.append(stroke / ink_height if ink_height else None)
    return runs, weights


_IDEOGRAPH_RE = re.compile(r"[\u4e00-\u9fff]")


def _ink(gray, box) -> tuple[float, float]:
    """The height of the ink of a box's glyphs (px) and its stroke width (ink over outline).

    The box is cut out straight (it lies along its line, crooked or not); the rows holding
    at least ``ROW_INK_SHARE`` of the fullest row's ink span the glyphs."""
    import cv2
    import numpy as np

    pts = np.asarray(box, dtype=np.float32)
    w = max(round(float(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[3] - pts[2])))), 1)
    h = max(round(float(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))), 1)
    target = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    crop = cv2.warpPerspective(gray, cv2.getPerspectiveTransform(pts, target), (w, h),
                               flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    ink = (crop < DARK).astype(np.uint8)
    rows = ink.sum(axis=1)
    if rows.max() == 0:
        return 0.0, 0.0
    outline = int(ink.sum()) - int(cv2.erode(ink, np.ones((3, 3), np.uint8)).sum())
    return _glyph_rows(rows), float(ink.sum()) / max(outline, 1)


def _glyph_rows(rows) -> float:
    """The height (px, to a fraction) of the band of rows that holds the glyphs: the rows with
    at least ``ROW_INK_SHARE`` of the fullest row's ink, in the run holding the most ink (a
    neighbour line's edge, caught in a padded box, is a run of its own beyond a blank gap),
    plus the fractions of the rows at either edge where the ink crosses that level."""
    level = max(2.0, ROW_INK_SHARE * float(rows.max()))
    best, best_ink, start = (0, 0), -1.0, None
    for i, count in enumerate([*rows, 0]):
        if count >= level and start is None:
            start = i
        elif count < level and start is not None:
            ink = float(rows[start:i].sum())
            if ink > best_ink:
                best, best_ink = (start, i), ink
            start = None
    top, stop = best
    upper = float(top)
    if top > 0:  # between the centres of the last row under the level and the first over it
        upper = top - 1 + (level - rows[top - 1]) / (float(rows[top]) - float(rows[top - 1]))
    lower = float(stop)
    if stop < len(rows):
        lower = stop - 1 + (float(rows[stop - 1]) - level) / (float(rows[stop - 1]) - float(rows[stop]))
    return lower - upper

