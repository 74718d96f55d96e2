"""How results look: rich renderables for a terminal, plain lines for pipes.

Both forms are built from the same values, so piped output carries everything the table
shows. Nothing here prints; the commands do.
"""

from __future__ import annotations

from digest.models import Issue, Masthead, Status

STATUS_TEXT = {
    Status.OK: "ok",
    Status.WRONG_PAGE: "TOC page wrong",
    Status.NO_BODY: "TOC entry without a body",
    Status.NOT_IN_TOC: "not in the TOC",
}
STATUS_STYLE = {Status.OK: "green", Status.WRONG_PAGE: "bold yellow", Status.NO_BODY: "bold red",
                Status.NOT_IN_TOC: "cyan"}


def masthead_line(m: Masthead, source: str) -> str:
    parts = [m.bulletin or source]
    if m.year and m.number:
        parts.append(f"{m.year} 年第 {m.number} 期")
    elif m.number:
        parts.append(f"第 {m.number} 期")
    if m.total_number:
        parts.append(f"（总第 {m.total_number} 期）")
    if m.date:
        parts.append(m.date.isoformat())
    if m.publisher:
        parts.append(m.publisher)
    return "  ".join(parts)


def _page(n: int | None) -> str:
    return "" if n is None else str(n)


def ocr_line(issue: Issue) -> str | None:
    """Which pages were read by OCR and how surely: "OCR: pages 1–4, mean confidence 0.98"."""
    if not issue.ocr_pages:
        return None
    numbers = [p.index + 1 for p in issue.ocr_pages]
    chars = sum(p.chars for p in issue.ocr_pages)
    mean = sum(p.confidence * p.chars for p in issue.ocr_pages) / chars if chars else 0.0
    low = sum(p.low_confidence for p in issue.ocr_pages)
    return (f"OCR: {_ranges(numbers)}, mean confidence {mean:.2f}, "
            f"{low} of {chars} characters low-confidence")


def _ranges(numbers: list[int]) -> str:
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
    return ("page " if len(numbers) == 1 else "pages ") + text


def toc_plain(issue: Issue) -> str:
    """The rebuilt TOC as tab-separated lines under a masthead line and section headings."""
    out = [masthead_line(issue.masthead, issue.source)]
    if ocr := ocr_line(issue):
        out.append(ocr)
    section = object()
    for a in issue.articles:
        if a.section != section:
            section = a.section
            out.append(f"\n{section or '(no section)'}")
        out.append("\t".join([str(a.seq), a.title, _page(a.page), _page(a.toc_page), STATUS_TEXT[a.status]]))
    return "\n".join(out)


def toc_table(issue: Issue):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = masthead_line(issue.masthead, issue.source)
    if ocr := ocr_line(issue):
        title += "\n" + ocr
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right", style="dim")
    table.add_column("Title", overflow="fold")
    table.add_column("Page", justify="right")
    table.add_column("TOC page", justify="right")
    table.add_column("Status")
    section = object()
    for a in issue.articles:
        if a.section != section:
            section = a.section
            table.add_row("", Text(section or "(no section)", style="bold"), "", "", "", end_section=False)
        table.add_row(str(a.seq), a.title, _page(a.page), _page(a.toc_page),
                      Text(STATUS_TEXT[a.status], style=STATUS_STYLE[a.status]))
    return Group(table)


def toc_json(issue: Issue) -> dict:
    m = issue.masthead
    return {
        "source": issue.source,
        "sha256": issue.sha256,
        "pages": issue.pages,
        "masthead": {"bulletin": m.bulletin, "year": m.year, "issue": m.number,
                     "total_issue": m.total_number, "publisher": m.publisher,
                     "date": m.date.isoformat() if m.date else None},
        "printed_toc": [{"section": e.section, "section_printed": e.section_printed, "title": e.title,
                         "page": e.page} for e in issue.toc],
        "articles": [{"seq": a.seq, "section": a.section, "section_printed": a.section_printed,
                      "title": a.title, "page": a.page, "physical_page": a.physical_page,
                      "toc_page": a.toc_page,
                      "match": None if a.match is None else round(a.match, 1),
                      "status": a.status.value} for a in issue.articles],
        "end_matter": list(issue.end_matter),
        # Physical pages (1-based) read by OCR, with the mean confidence of their characters.
        "ocr_pages": [{"page": p.index + 1, "confidence": p.confidence, "chars": p.chars,
                       "low_confidence": p.low_confidence} for p in issue.ocr_pages],
        "warnings": list(issue.warnings),
    }
