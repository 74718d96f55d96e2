"""Score a parsed issue against a layout truth file: the yardstick of issue 7's layout matrix.

    from layout_score import score, load_truth, METRICS
    row = score(digest.parse_issue(pdf), load_truth(truth_json))

Plain Python on purpose (no typer, no rich): tests import it through ``sys.path``, the
layout benchmark and the OCR benchmark call it alike. ``issue`` may be a ``digest.Issue`` or
the same shape as a dict (``digest toc --json``): fields are read by attribute or by key.

Truth file (JSON, version 2; version 1 files, samples/*.truth.json, lack the fields marked *):

    {"truth_version": 2*, "source": "x.pdf", "family"*, "producer"*, "layout"*,
     "physical_pages"*: 9, "numbered"*: true,         # pages print their number
     "masthead": {"bulletin", "year", "number", "total_number", "publisher", "date"},
     "toc": [{"section", "section_printed"*, "title", "page"}],   # page null: TOC without pages
     "toc_pages"*: [2, 3],                            # physical pages (1-based) the TOC fills
     "articles": [{"seq", "section", "section_printed"*, "title", "page", "physical_page"*,
                   "toc_page", "body": [paragraph, ...]}],
     "end_matter"*: ["报：…", "送：…", "责任编辑：…"]}

``section`` is the plain name ("科创聚焦"), ``section_printed`` the form on the page
("【科创聚焦】", "一、科创聚焦"); ``page`` is the printed page number where pages are numbered
and the physical page (1-based) where they are not; ``body`` holds every paragraph printed under
the title, a picture caption ("图为…") and a closing "（来源：…）" line included; ``end_matter``
is the closing distribution block (报/送/发, 责任编辑, 印数), which belongs to the issue and to
no article.

Metrics (each in [0, 1], ``None`` where the truth gives nothing to score):

- ``title_recall`` / ``title_precision``: truth and parsed articles are paired one to one, in
  order; a pair needs normalised titles (NFKC, white space removed) equal or a rapidfuzz
  ``ratio`` >= 90. Recall = pairs / truth articles, precision = pairs / parsed articles.
- ``section``, ``page``, ``physical_page``: share of PAIRED articles whose plain section name /
  printed page / physical page equals the truth (the missing ones already cost recall).
  ``physical_page`` is None while the parser does not give ``Article.physical_page``.
- ``toc_page``: the printed TOC: truth and parsed entries paired by title like articles; right
  = paired with the same page (None == None for a TOC without pages); score = right / max(truth
  entries, parsed entries), so missing and invented entries both cost; 1.0 when both are empty.
- ``body_f1``: per paired article, character F1 of the body (paragraphs joined, normalised)
  from the longest common subsequence (rapidfuzz ``LCSseq``): P = LCS / parsed chars,
  R = LCS / truth chars; the mean over pairs. Order matters, so a paragraph moved elsewhere or
  another article's text appended costs.
- ``end_matter``: the same LCS F1 for the issue's end matter (``Issue.end_matter``, absent →
  empty); None when the truth has none.
- ``masthead``: share of the six fields equal to the truth (a null truth field wants None).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

TITLE_MATCH = 90  # rapidfuzz ratio from which two titles are one (a character or two of OCR noise)
MASTHEAD_FIELDS = ("bulletin", "year", "number", "total_number", "publisher", "date")
METRICS = ("title_recall", "title_precision", "section", "page", "physical_page", "toc_page",
           "body_f1", "end_matter", "masthead")
# issue 7's "done means", per metric (None: no target set)
TARGETS = {"title_recall": 0.98, "title_precision": 0.98, "section": 0.95, "page": 1.0,
           "physical_page": 1.0, "toc_page": 1.0, "body_f1": 0.98, "end_matter": 0.9,
           "masthead": 0.8}


def load_truth(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    """Compare form: NFKC (full-width digits and punctuation folded), no white space."""
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split())


def get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def titles_match(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= TITLE_MATCH)


def pair(truth_titles: list[str], got_titles: list[str]) -> list[tuple[int, int]]:
    """One-to-one pairs (truth index, parsed index), in order: each truth title takes the best
    matching parsed title not yet taken, preferring the first after the previous pair."""
    pairs, taken, last = [], set(), -1
    for i, want in enumerate(truth_titles):
        best, best_key = None, None
        for j, got in enumerate(got_titles):
            if j in taken or not titles_match(want, got):
                continue
            key = (fuzz.ratio(norm(want), norm(got)), j > last, -abs(j - last - 1))
            if best_key is None or key > best_key:
                best, best_key = j, key
        if best is not None:
            pairs.append((i, best))
            taken.add(best)
            last = best
    return pairs


def char_f1(got: str, want: str) -> float:
    got, want = norm(got), norm(want)
    if not got and not want:
        return 1.0
    if not got or not want:
        return 0.0
    common = LCSseq.similarity(got, want)
    precision, recall = common / len(got), common / len(want)
    return 0.0 if common == 0 else 2 * precision * recall / (precision + recall)


def share(right: int, total: int) -> float | None:
    return right / total if total else None


def masthead_score(got: Any, want: dict) -> float:
    right = 0
    for name in MASTHEAD_FIELDS:
        value, expected = get(got, name) if got is not None else None, want.get(name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, str) and isinstance(expected, str):
            value, expected = norm(value), norm(expected)
        right += value == expected
    return right / len(MASTHEAD_FIELDS)


def toc_score(got_toc: list, want_toc: list[dict]) -> float:
    if not got_toc and not want_toc:
        return 1.0
    pairs = pair([e["title"] for e in want_toc], [get(e, "title") for e in got_toc])
    right = sum(get(got_toc[j], "page") == want_toc[i]["page"] for i, j in pairs)
    return right / max(len(got_toc), len(want_toc))


def body_text(body: Any) -> str:
    if body is None:
        return ""
    return body if isinstance(body, str) else "\n".join(body)


def score(issue: Any, truth: dict) -> dict:
    """The metrics above for one parsed issue, plus ``details`` (what was missed or invented,
    per-article rows) for printing a diagnosis."""
    got = list(get(issue, "articles", ()) or ())
    want = truth["articles"]
    pairs = pair([a["title"] for a in want], [get(a, "title") for a in got])
    section = sum(norm(get(got[j], "section")) == norm(want[i]["section"]) for i, j in pairs)
    page = sum(get(got[j], "page") == want[i]["page"] for i, j in pairs)
    has_physical = any(get(a, "physical_page") is not None for a in got) and all(
        "physical_page" in a for a in want)
    physical = sum(get(got[j], "physical_page") == want[i].get("physical_page") for i, j in pairs)
    f1 = [char_f1(body_text(get(got[j], "body")), body_text(want[i]["body"])) for i, j in pairs]
    end_want = truth.get("end_matter") or []
    paired_truth, paired_got = {i for i, _ in pairs}, {j for _, j in pairs}
    return {
        "title_recall": share(len(pairs), len(want)) if want else (1.0 if not got else 0.0),
        "title_precision": share(len(pairs), len(got)) if got else (1.0 if not want else 0.0),
        "section": share(section, len(pairs)) if pairs else (None if not want else 0.0),
        "page": share(page, len(pairs)) if pairs else (None if not want else 0.0),
        "physical_page": share(physical, len(pairs)) if has_physical and pairs else None,
        "toc_page": toc_score(list(get(issue, "toc", ()) or ()), truth.get("toc") or []),
        "body_f1": sum(f1) / len(f1) if f1 else (None if not want else 0.0),
        "end_matter": char_f1(body_text(get(issue, "end_matter")), body_text(end_want)) if end_want else None,
        "masthead": masthead_score(get(issue, "masthead"), truth["masthead"]),
        "details": {
            "missed": [want[i]["title"] for i in range(len(want)) if i not in paired_truth],
            "invented": [get(got[j], "title") for j in range(len(got)) if j not in paired_got],
            "pairs": [{"title": want[i]["title"], "got_title": get(got[j], "title"),
                       "section": (want[i]["section"], get(got[j], "section")),
                       "page": (want[i]["page"], get(got[j], "page")), "body_f1": round(f, 3)}
                      for (i, j), f in zip(pairs, f1)],
        },
    }


def minimums(rows: list[dict]) -> dict:
    """The worst value of each metric over scored cases (None when no case scores it)."""
    out = {}
    for name in METRICS:
        values = [r[name] for r in rows if r.get(name) is not None]
        out[name] = min(values) if values else None
    return out
