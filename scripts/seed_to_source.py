"""Turn a plain-text extraction of a bulletin issue into the structured source of the samples.

    python scripts/seed_to_source.py SEED.txt [-o samples/source/issue-200.json]

The output (masthead, printed TOC, sections with articles and paragraphs) is the input of
scripts/make_samples.py and the ground truth for the sample PDFs, so it is committed and checked
by hand; this script only saves retyping it. Its rules are the generic ones of such extractions:

- page footers ("— 3 —") and blank lines are dropped;
- the masthead is everything before the "目录" line: the first line is the bulletin name, a
  "YYYY 年第 N 期" line gives year and number, the line holding a date gives publisher and date;
- the TOC is a run of entries ("title ..... page") and of section headings (a line directly
  followed by an entry); it ends at the first line that is neither;
- in the body, a line equal (ignoring whitespace) to a TOC section is a section heading, a line
  equal to a TOC title is an article title; other lines are wrapped paragraph text, and a
  paragraph ends at a line that the extraction left with trailing whitespace (the mark of a hard
  line break; a sentence-final mark alone is not enough, lines often end on "。" mid-paragraph).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FOOTER = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$")
TOC_HEADING = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^(?P<title>.+?)\s*(?:\.{2,}|…+|·{2,})\s*(?P<page>\d+)$")
ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d+)\s*期")
TOTAL = re.compile(r"总\s*第\s*(?P<total>\d+)\s*期")
DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
ASCII_WORD = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class SeedLine:
    text: str  # stripped
    hard_break: bool  # the extraction left trailing whitespace: the paragraph ends here


def squash(text: str) -> str:
    """The comparison key of a heading or title: all whitespace removed."""
    return re.sub(r"\s+", "", text)


def read_lines(path: Path) -> list[SeedLine]:
    """Non-blank, non-footer lines of the seed."""
    lines = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        if not raw.strip() or FOOTER.match(raw):
            continue
        lines.append(SeedLine(raw.strip(), raw != raw.rstrip()))
    return lines


def parse_masthead(lines: list[SeedLine]) -> dict:
    """Bulletin name, year, number, publisher and ISO date from the lines before the TOC."""
    issue_at = next(i for i, line in enumerate(lines) if ISSUE.search(line.text))
    issue = ISSUE.search(lines[issue_at].text)
    total = TOTAL.search(lines[issue_at].text)
    dated = next(line.text for line in lines if DATE.search(line.text))
    date = DATE.search(dated)
    return {
        "bulletin": lines[0].text,
        "year": int(issue["year"]),
        "number": int(issue["number"]),
        "total_number": int(total["total"]) if total else None,
        "publisher": dated[: date.start()].strip(),
        "date": f"{int(date['y']):04d}-{int(date['m']):02d}-{int(date['d']):02d}",
    }


def parse_toc(lines: list[SeedLine], start: int) -> tuple[list[dict], int]:
    """TOC entries from lines[start:]; returns them and the index of the first body line."""
    toc, section, i = [], None, start
    while i < len(lines):
        entry = TOC_ENTRY.match(lines[i].text)
        if entry:
            toc.append({"section": section, "title": entry["title"].strip(),
                        "page": int(entry["page"])})
        elif i + 1 < len(lines) and TOC_ENTRY.match(lines[i + 1].text):
            section = lines[i].text
        else:
            break
        i += 1
    return toc, i


def join_wrapped(parts: list[str]) -> str:
    """Rejoin wrapped lines: CJK needs no separator, two Latin words/numbers need a space."""
    text = parts[0]
    for part in parts[1:]:
        gap = " " if ASCII_WORD.match(text[-1]) and ASCII_WORD.match(part[0]) else ""
        text += gap + part
    return text


def parse_body(lines: list[SeedLine], toc: list[dict]) -> list[dict]:
    """Sections with their articles (title as printed over the body, paragraphs)."""
    section_keys = {squash(e["section"]) for e in toc}
    title_keys = {squash(e["title"]) for e in toc}
    sections: list[dict] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            sections[-1]["articles"][-1]["paragraphs"].append(join_wrapped(pending))
            pending.clear()

    for line in lines:
        key = squash(line.text)
        if key in section_keys:
            flush()
            sections.append({"name": line.text, "articles": []})
        elif key in title_keys:
            flush()
            sections[-1]["articles"].append({"title": line.text, "paragraphs": []})
        else:
            pending.append(line.text)
            if line.hard_break:
                flush()
    flush()
    return sections


def seed_to_source(path: Path) -> dict:
    """The structured source of one issue from its text extraction."""
    lines = read_lines(path)
    toc_at = next(i for i, line in enumerate(lines) if TOC_HEADING.match(line.text))
    toc, body_at = parse_toc(lines, toc_at + 1)
    return {
        "masthead": parse_masthead(lines[:toc_at]),
        "toc": toc,
        "sections": parse_body(lines[body_at:], toc),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="default: stdout")
    args = parser.parse_args(argv)
    text = json.dumps(seed_to_source(args.seed), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
