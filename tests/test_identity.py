"""One issue once: copies of an issue made by different producers are one issue; --replace keeps
the better copy by the stated rules; a different issue sharing a key is kept; search gives each
article once; a library made before all this migrates, its copies merged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES
from library_helpers import BACKENDS, new_location, small_issue
from test_library_fields import make_v2_library
from typer.testing import CliRunner

from digest.cli import app
from digest.issue import parse_issue
from digest.library import MIGRATIONS, Library, parse_file
from digest.library.identity import (
    SAME_CONTENT,
    Quality,
    compare,
    containment,
    issue_texts,
    quality,
    shingles,
)

runner = CliRunner()
# The sample issue as four producers made it, the clean one first (the copy stored).
PDFS = [SAMPLES / n for n in ("issue-200.pdf", "issue-200-stale.pdf", "issue-200-notoc.pdf",
                              "issue-200-office.pdf")]
TEXTS = sorted(SAMPLES.glob("issue-200*.txt"))  # pdftotext's extractions of the same four
NAME = "长三角每周要讯:2020:200"


def digest(*args, library: Path):
    return runner.invoke(app, [*map(str, args), "--library", str(library)])


def misprinted(folder: Path) -> Path:
    """Another bulletin's issue printed with the sample's bulletin, year and number (date differs)."""
    other = (Path(__file__).parent / "data" / "other-bulletin.txt").read_text(encoding="utf-8")
    head = ["长三角每周要讯", "2020年第200期", "浙江省人民政府驻上海办事处编        2020年12月25日"]
    path = folder / "misprinted-200.txt"
    path.write_text("\n".join([*head, *other.splitlines()[3:]]), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def copies_lib(request, tmp_path_factory):
    """The four PDFs, the text extractions and a misprinted namesake, added in one command
    (on each back end)."""
    folder = tmp_path_factory.mktemp("copies")
    namesake = misprinted(folder)
    lib = new_location(request, request.param, folder / "lib")
    result = digest("add", *PDFS, *TEXTS, namesake, library=lib)
    return lib, result, namesake


def test_the_copies_of_the_sample_add_as_one_issue_the_others_skipped_and_named(copies_lib):
    lib, result, namesake = copies_lib
    n = sum(1 for a in parse_issue(PDFS[0]).articles if a.body)
    m = sum(1 for a in parse_issue(namesake).articles if a.body)
    skipped = len(PDFS) + len(TEXTS) - 1
    assert (result.exit_code, result.stdout) == (
        0, f"Added 2 issues ({n + m} articles); {skipped} skipped (already in the library); "
        "0 failed.\n")
    notes = [ln for ln in result.stderr.splitlines() if not ln.startswith("Warning: ")]
    assert notes[:skipped] == [f"{p}: same issue as {NAME} (id 1, from issue-200.pdf), skipped"
                               for p in [*PDFS[1:], *TEXTS]]
    listed = [r["source"] for r in json.loads(digest("list", "--json", library=lib).stdout)]
    assert listed == ["issue-200.pdf", "misprinted-200.txt"]


def test_a_different_issue_with_the_same_key_is_kept_and_the_cli_says_so(copies_lib):
    lib, result, namesake = copies_lib
    assert f"{namesake}: shares its bulletin and number or date with {NAME} (id 1, from " \
        "issue-200.pdf), but not its content: a different issue (a misprinted number?), both " \
        "kept; name them by id" in result.stderr.splitlines()
    shown = digest("show", NAME, library=lib)
    assert shown.exit_code == 4 and f"'{NAME}' names 2 issues (ids 1, 2): use the id" in shown.stderr


def test_search_over_the_copies_returns_each_article_once(copies_lib):
    lib, _, namesake = copies_lib
    issues = [parse_issue(PDFS[0]), parse_issue(namesake)]
    for term in ("上海", "发展", "医药", "产业"):
        hits = json.loads(digest("search", term, "--json", "--limit", "0", library=lib).stdout)
        expected = sum(1 for i in issues for a in i.articles
                       if a.body and (term in a.title or term in a.text))
        assert expected and len(hits) == expected, term
        assert len({(h["title"], h["body"]) for h in hits}) == len(hits)


def test_content_tells_copies_from_different_issues(tmp_path):
    sample = [shingles(issue_texts(parse_issue(p))) for p in [*PDFS, *TEXTS]]
    other = shingles(issue_texts(parse_issue(misprinted(tmp_path))))
    assert min(containment(sample[0], s) for s in sample) > SAME_CONTENT
    assert max(containment(s, other) for s in sample) < SAME_CONTENT / 2


# --- --replace: the better copy -----------------------------------------------------------------


def text(name: str) -> Path:
    return SAMPLES / name


def test_replace_keeps_the_copy_the_rules_say(library_at):
    lib = library_at
    notoc, stale = text("issue-200-notoc.pdftotext.txt"), text("issue-200-stale.pdftotext.txt")
    clean, office = text("issue-200.pdftotext-layout.txt"), text("issue-200-office.pdftotext-layout.txt")
    q = {p: quality(parse_issue(p)) for p in (notoc, stale, clean, office)}
    # What the rules see in these copies: no TOC matches none; the stale TOC warns.
    assert q[notoc].matched == 0 < q[stale].matched == q[clean].matched == q[office].matched
    assert q[stale].warnings > q[clean].warnings == q[office].warnings

    def add(path, *flags):
        result = digest("add", path, *flags, "--json", library=lib)
        (outcome,) = json.loads(result.stdout)
        return outcome["outcome"], outcome["message"], result.stderr

    assert add(notoc)[0] == "added"
    assert add(stale)[:2] == (
        "skipped", f"same issue as {NAME} (id 1, from {notoc.name}), skipped")
    outcome, message, stderr = add(stale, "--replace")
    assert (outcome, message) == ("replaced", (
        f"a better copy of {NAME} (id 1, from {notoc.name}), which it replaced (same id): more articles "
        f"matched ({q[stale].matched} matched against 0 matched)"))
    assert f"{stale}: {message}" in stderr.splitlines()
    assert add(notoc, "--replace")[:2] == ("skipped", (
        f"same issue as {NAME} (id 1, from {stale.name}), skipped: the stored copy is kept, "
        f"more articles matched (0 matched against {q[stale].matched} matched)"))
    assert add(clean, "--replace")[:2] == ("replaced", (
        f"a better copy of {NAME} (id 1, from {stale.name}), which it replaced (same id): fewer warnings "
        f"({q[clean].warnings} warnings against {q[stale].warnings} warnings)"))
    assert add(office, "--replace")[1].endswith(
        "the stored copy is kept, a tie on every rule (text layer over OCR, more articles "
        "matched, fewer warnings)")
    listed = json.loads(digest("list", "--json", library=lib).stdout)
    assert [(r["id"], r["source"]) for r in listed] == [(1, clean.name)]
    hits = json.loads(digest("search", "上海", "--json", "--limit", "0", library=lib).stdout)
    assert {h["issue_id"] for h in hits} == {1}


def test_a_text_layer_beats_ocr_before_anything_else():
    ocr = Quality(ocr_pages=3, matched=22, warnings=0)
    text_layer = Quality(ocr_pages=0, matched=10, warnings=5)
    assert compare(text_layer, ocr).new_is_better
    assert compare(text_layer, ocr).reason == (
        "text layer over OCR (text layer against 3 pages by OCR)")
    assert not compare(ocr, text_layer).new_is_better
    assert compare(Quality(1, 22, 0), Quality(2, 0, 0)).new_is_better  # fewer pages by OCR


# --- libraries made before ----------------------------------------------------------------------


def test_a_version_2_library_holding_copies_migrates_to_one_copy_each(tmp_path):
    copies = [parse_file(p) for p in TEXTS]  # stored as the version-2 code did, each its own
    namesake = parse_file(misprinted(tmp_path))
    unrelated = small_issue("u", [("另一份简报的标题", "完全不同的内容" * 10)])
    make_v2_library(tmp_path / "old", [*copies, namesake, unrelated])
    best = max(range(len(copies)), key=lambda i: (quality(copies[i]).matched,
                                                 -quality(copies[i]).warnings, -i))
    with Library(tmp_path / "old") as lib:
        assert lib._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert [i.source for i in lib.issues()] == [
            copies[best].source, namesake.source, unrelated.source]
        hits = lib.search("上海", limit=None)
        assert len(hits) == len({(h.title, h.body) for h in hits}) == sum(
            1 for i in (copies[best], namesake) for a in i.articles
            if a.body and ("上海" in a.title or "上海" in a.text))


def test_with_workers_the_first_copy_given_is_the_one_kept(library_at):
    # Workers finish in any order (the PDF, given first, takes longest to read); copies are
    # placed in the order the files were given.
    files = [text("issue-200-notoc.pdf"), text("issue-200.pdftotext-layout.txt"),
             text("issue-200-stale.pdftotext.txt")]
    with Library(library_at) as lib:
        result = lib.add_paths(files, jobs=2)
        assert [o.outcome.value for o in result.outcomes] == ["added", "skipped", "skipped"]
        assert [i.source for i in lib.issues()] == [files[0].name]


def test_a_copy_whose_bulletin_was_not_read_is_still_recognised(tmp_path):
    from dataclasses import replace as copy_with

    from library_helpers import truth_issue

    from digest.library.identity import place
    from digest.library.schema import transaction

    stored = truth_issue(200)
    unnamed = copy_with(stored, sha256="a", masthead=copy_with(stored.masthead, bulletin=None))
    renamed = copy_with(stored, sha256="b", masthead=copy_with(stored.masthead, bulletin="决策参考"))
    with Library(tmp_path / "lib") as lib:
        stored_id = lib.store(stored)
        with transaction(lib._conn) as conn:
            assert place(conn, unnamed).twin["id"] == stored_id
            assert place(conn, renamed).twin is None  # another bulletin's issue: not a copy
