"""`digest library copy SRC DST`: every issue with all that is stored about it, once, resumably.

The source libraries are real: the sample PDF and the other bulletins' text extractions parsed
and enriched by `add`, generated text issues, and one hand-built issue carrying every field a
parsed issue may leave empty (OCR pages, end matter, home grouping, printed sections)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_helpers import SAMPLES, issue_text, small_issue, truth_issue, with_sha
from typer.testing import CliRunner

from digest.cli import app
from digest.library import Library
from digest.library.copy import CopyOutcome, copy_library, same_library
from digest.models import OcrPage, TocEntry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
QUERIES = ("长三角", "医药", "一体化 -上海", '"科技创新" OR 养老', "北京", "古镇")
WAIT_S = 120  # generous: the machine may be busy; nothing here asserts on speed
runner = CliRunner()


def full_issue():
    """An issue with every stored field set, as OCR and enrichment leave them."""
    base = truth_issue(300, date=dt.date(2021, 3, 5), source="scanned-300.pdf")
    articles = tuple(dataclasses.replace(
        a, region="上海", regions=("上海", "江苏"), keywords=("科创", f"词{a.seq}"),
        summary=f"摘要 {a.seq}", physical_page=a.page + 1, section_printed=f"【{a.section}】")
        for a in base.articles)
    toc = tuple(TocEntry(t.section, t.title, t.page, f"【{t.section}】") for t in base.toc)
    return dataclasses.replace(
        base, articles=articles, toc=toc, warnings=("a warning", "另一个"),
        end_matter=("报：各成员单位", "责任编辑：某某"), home="长三角",
        ocr_pages=(OcrPage(0, 0.93, 500, 12), OcrPage(1, 0.9, 480, 20)))


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A library of eight issues: parsed, generated and hand-built."""
    folder = tmp_path_factory.mktemp("src")
    texts = tmp_path_factory.mktemp("texts")
    for n in (201, 202, 203, 204):
        issue = truth_issue(n, date=dt.date(2020, 1, 3) + dt.timedelta(weeks=n))
        (texts / f"issue-{n}.txt").write_text(issue_text(issue), encoding="utf-8")
    with Library(folder) as lib:
        result = lib.add_paths([SAMPLES / "issue-200.pdf", DATA / "other-bulletin.txt",
                                DATA / "jingjinji-bulletin.txt", texts])
        assert len(result.added) == 7, result.outcomes
        assert lib.store(full_issue()) == 8
    return folder


def everything(lib: Library) -> dict:
    """All the public API says about a library: its issues, each whole, search hits, export."""
    infos = lib.issues()
    return {
        "infos": infos,
        "issues": {i.sha256: lib.issue(str(i.id)) for i in infos},
        "hits": {q: [h.as_dict() for h in lib.search(q, limit=None)] for q in QUERIES},
        "rows": [(issue.sha256, a) for issue, a in lib.select()],
    }


def test_a_copy_is_the_library_again_by_every_public_view(source, tmp_path):
    result = copy_library(source, tmp_path / "dst")
    assert [(o.source_id, o.outcome) for o in result.outcomes] == [
        (n, CopyOutcome.COPIED) for n in range(1, 9)]
    assert [o.issue_id for o in result.copied] == list(range(1, 9))  # ids kept: all free
    with Library(source) as a, Library(tmp_path / "dst") as b:
        want, got = everything(a), everything(b)
    assert got == want
    assert len(want["infos"]) == 8 and all(want["hits"].values())  # the views are not empty
    full = next(i for i in got["infos"] if i.source == "scanned-300.pdf")
    assert (full.ocr_pages, full.warnings) == (2, ("a warning", "另一个"))
    issue = got["issues"][full.sha256]
    assert (issue.home, issue.end_matter) == ("长三角", ("报：各成员单位", "责任编辑：某某"))
    assert issue.articles[0].keywords == ("科创", "词1") and issue.toc[0].section_printed


def test_added_at_is_kept_not_the_time_of_copying(source, tmp_path):
    src = damaged_copy(source, tmp_path / "src",
                       "UPDATE issues SET added_at = '2019-05-01T08:00:00+00:00' WHERE id = 2")
    copy_library(src, tmp_path / "dst")
    with Library(tmp_path / "dst") as lib:
        assert lib.find("2").added_at == "2019-05-01T08:00:00+00:00"


def test_a_second_run_copies_nothing(source, tmp_path):
    copy_library(source, tmp_path / "dst")
    again = copy_library(source, tmp_path / "dst")
    assert (len(again.copied), len(again.skipped), len(again.failed)) == (0, 8, 0)
    assert all(o.same_file for o in again.skipped)
    with Library(tmp_path / "dst") as lib:
        assert len(lib.issues()) == 8


def test_a_copy_merges_into_a_library_holding_other_issues(source, tmp_path):
    dst = tmp_path / "dst"
    with Library(source) as lib:
        src_infos = {i.sha256: i for i in lib.issues()}
        twin_of = next(i for i in lib.issues() if i.number == 202)
    other = small_issue("other", [("自有文章", "只在目标库里的正文内容。")])
    twin = with_sha(truth_issue(202, date=twin_of.date, source="another-copy-202.pdf"), "f" * 64)
    with Library(dst) as lib:
        assert lib.store(other) == 1 and lib.store(twin) == 2  # ids 1 and 2 are taken
    result = copy_library(source, dst)
    assert len(result.copied) == 7 and len(result.failed) == 0
    [skipped] = result.skipped
    assert skipped.name == twin_of.name and skipped.issue_id == 2 and not skipped.same_file
    assert skipped.message.startswith(f"same issue as {twin_of.name} (id 2, ")
    assert "another-copy-202.pdf" in skipped.message
    with Library(dst) as lib, Library(source) as src:
        infos = lib.issues()
        assert len(infos) == 2 + 7
        assert {i.sha256 for i in infos} == {other.sha256, twin.sha256} | (
            set(src_infos) - {twin_of.sha256})
        for info in infos:
            if info.sha256 in src_infos and info.sha256 != twin_of.sha256:
                assert lib.issue(str(info.id)) == src.issue(str(src_infos[info.sha256].id))
        moved = {o.source_id: o.issue_id for o in result.copied}
        # Kept where free; else above every id of the source, leaving those free for the rest.
        assert moved == {1: 9, 2: 10} | {n: n for n in range(3, 9) if n != twin_of.id}
        assert [h.title for h in lib.search("自有文章")] == ["自有文章"]


def damaged_copy(source: Path, folder: Path, sql: str) -> Path:
    """A copy of the library ``source`` in ``folder``, changed by ``sql``."""
    shutil.copytree(source, folder)
    conn = sqlite3.connect(folder / "library.db")
    conn.execute(sql)
    conn.commit()
    conn.close()
    return folder


def test_an_issue_that_cannot_be_read_fails_alone(source, tmp_path):
    src = damaged_copy(source, tmp_path / "src",
                       "UPDATE articles SET status = 'garbled' WHERE issue_id = 3")
    result = copy_library(src, tmp_path / "dst")
    [failed] = result.failed
    assert failed.source_id == 3 and "'garbled' is not a valid Status" in failed.message
    assert len(result.copied) == 7


def test_same_library_by_two_names(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "library.db").write_bytes(b"")
    os.symlink(tmp_path / "lib", tmp_path / "link")
    assert same_library(tmp_path / "lib", tmp_path / "link")
    assert same_library(tmp_path / "lib", str(tmp_path / "lib") + "/")
    assert not same_library(tmp_path / "lib", tmp_path / "other")
    assert same_library("postgresql://h/db", "postgresql://h/db/")
    assert not same_library("postgresql://h/db", tmp_path / "lib")


# --- interrupted and resumed, with real processes ----------------------------------------------

MANY = 300  # issues: enough that a copy is still running when it is killed


def start_copy(src: Path, dst: Path | str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    # At the lowest priority, so that on a busy machine the test polling it still sees a few
    # issues in before the copy is through (it was seen finishing first under a load of 8).
    return subprocess.Popen([sys.executable, "-m", "digest", "library", "copy", str(src),
                             str(dst), *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_lowest_priority)


def _lowest_priority() -> None:
    os.nice(19)


def query(dst: Path | str, sql: str) -> list[tuple]:
    """Rows of ``sql`` in the library ``dst`` (folder or URL); [] before its tables exist."""
    if isinstance(dst, str):
        import psycopg

        with psycopg.connect(dst) as conn:
            try:
                return conn.execute(sql).fetchall()
            except psycopg.errors.UndefinedTable:
                return []
    try:
        conn = sqlite3.connect(f"file:{dst / 'library.db'}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:  # not created or not migrated yet
        if "no such table" in str(exc) or "unable to open" in str(exc):
            return []
        raise


def stored(dst: Path | str) -> int:
    rows = query(dst, "SELECT count(*) FROM issues")
    return rows[0][0] if rows else 0


def many_issues(folder: Path) -> None:
    body = "，".join(f"第{k}项工作稳步推进" for k in range(40))
    with Library(folder) as lib:
        for n in range(1, MANY + 1):
            lib.store(small_issue(f"many{n:04d}", [(f"标题{n}之{k}", f"{body}。编号{n}-{k}。")
                                                   for k in range(1, 9)],
                                  number=n, date=dt.date(2000, 1, 1) + dt.timedelta(days=n)))
        assert len(lib.issues()) == MANY


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    many_issues(folder)
    return folder


def interrupt_then_resume(src: Path, dst: Path | str, sig: signal.Signals) -> None:
    """Start a copy, stop it with ``sig`` once a few issues are in; check that only whole
    issues are there; run it again and check that it copies the rest, each issue once."""
    proc = start_copy(src, dst)
    deadline = time.monotonic() + WAIT_S
    while stored(dst) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(sig)
    _, errors = proc.communicate(timeout=WAIT_S)
    partial = stored(dst)
    assert 5 <= partial < MANY, "the copy ended before it could be stopped"
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # Ctrl-C: the issue being stored is rolled back, the exit code says why
        assert (proc.returncode, errors.splitlines()[-1:]) == (130, ["Interrupted."]), errors
    key = "f.article_id" if isinstance(dst, str) else "f.rowid"  # PostgreSQL's, SQLite's
    per_issue = query(dst, f"SELECT count(a.id), count({key}) FROM issues i LEFT JOIN articles a "
                      f"ON a.issue_id = i.id LEFT JOIN article_fts f ON {key} = a.id "
                      "GROUP BY i.id")
    assert per_issue == [(8, 8)] * partial  # whole issues only, each indexed

    done = start_copy(src, dst, "--json")
    out, errors = done.communicate(timeout=WAIT_S)
    assert done.returncode == 0, errors
    summary = json.loads(out)
    assert (summary["copied"], summary["skipped"], summary["failed"]) == (
        MANY - partial, partial, 0)
    with Library(src) as a, Library(dst) as b:
        assert b.issues() == a.issues()  # each once, same ids, same everything listed
        found = [[(h.issue_id, h.seq, h.title) for h in lib.search("编号7-3")] for lib in (a, b)]
        assert found[0] == found[1] == [(7, 3, "标题7之3")]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_copy_stopped_midway_resumes_to_each_issue_once(many, tmp_path, sig):
    interrupt_then_resume(many, tmp_path / "dst", sig)
    conn = sqlite3.connect(tmp_path / "dst" / "library.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_copy_into_postgresql_killed_midway_resumes(many, pg_url):
    interrupt_then_resume(many, pg_url, signal.SIGKILL)


# --- the command --------------------------------------------------------------------------------

def invoke(*args: str):
    return runner.invoke(app, ["library", "copy", *args])


def test_the_command_prints_one_summary_line_then_copies_nothing(source, tmp_path):
    dst = str(tmp_path / "dst")
    first = invoke(str(source), dst)
    assert (first.exit_code, first.stdout, first.stderr) == (
        0, f"Copied 8 issues ({sum_articles(source)} articles); 0 skipped (already in "
        f"{dst}); 0 failed.\n", "")
    second = invoke(str(source), dst, "--json")
    data = json.loads(second.stdout)
    assert (second.exit_code, data["copied"], data["skipped"], data["failed"]) == (0, 0, 8, 0)
    assert data["outcomes"][0] == {
        "source_id": 1, "name": "长三角每周要讯:2020:200", "outcome": "skipped",
        "message": "same issue as 长三角每周要讯:2020:200 (id 1, from issue-200.pdf), skipped: "
                   "the same file", "issue_id": 1, "articles": 0, "same_file": True}


def sum_articles(folder: Path) -> int:
    with Library(folder) as lib:
        return sum(i.articles for i in lib.issues())


def test_the_command_names_a_skipped_copy_of_an_issue(source, tmp_path):
    dst = tmp_path / "dst"
    with Library(source) as lib:
        info = next(i for i in lib.issues() if i.number == 203)
    with Library(dst) as lib:
        lib.store(with_sha(truth_issue(203, date=info.date, source="mirror-203.pdf"), "e" * 64))
    result = invoke(str(source), str(dst))
    assert result.exit_code == 0
    assert result.stderr == (f"{info.name}: same issue as {info.name} (id 1, from "
                             "mirror-203.pdf), skipped\n")
    assert result.stdout.startswith("Copied 7 issues (")


def test_the_command_refuses_a_missing_source_and_the_same_library(source, tmp_path):
    missing = invoke(str(tmp_path / "nowhere"), str(tmp_path / "dst"))
    assert (missing.exit_code, missing.stderr) == (3, f"Error: {tmp_path / 'nowhere'}: not a "
                                                   "library to copy from (no such folder); give a "
                                                   "library folder (`digest path` prints yours) or a "
                                                   "postgresql:// URL.\n")
    assert not (tmp_path / "dst").exists()
    empty = invoke(str(tmp_path), str(tmp_path / "dst"))
    assert empty.exit_code == 3 and "(no library.db in it)" in empty.stderr
    same = invoke(str(source), str(source) + "/")
    assert (same.exit_code, same.stderr) == (
        2, f"Error: {source}/: the same library as {source}, the source; give another "
           "destination.\n")


def test_the_command_fails_on_a_destination_it_cannot_create(source, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result = invoke(str(source), str(tmp_path / "a-file" / "lib"))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: Cannot create the library folder "
                                    f"{tmp_path / 'a-file' / 'lib'}:")
    assert result.stderr.count("\n") == 1


def test_the_command_exits_1_when_an_issue_fails(source, tmp_path):
    src = damaged_copy(source, tmp_path / "src",
                       "UPDATE articles SET keywords = '[broken' WHERE issue_id = 4")
    result = invoke(str(src), str(tmp_path / "dst"))
    assert result.exit_code == 1
    name = next(o for o in copy_library(src, tmp_path / "again").outcomes if o.source_id == 4).name
    assert result.stderr.startswith(f"Error: {name}: cannot be read from the source (")
    assert result.stdout.endswith("; 0 skipped (already in "
                                  f"{tmp_path / 'dst'}); 1 failed.\n")


# --- SQLite → PostgreSQL → SQLite (skipped without PostgreSQL's binaries or psycopg) ------------

def hit_keys(lib: Library) -> dict:
    """Each query's hits as (issue, seq, snippet): the same articles found on both back ends
    (their scores are each engine's own: BM25 in SQLite, ts_rank in PostgreSQL)."""
    return {q: sorted((h.issue_id, h.seq, h.snippet.marked()) for h in lib.search(q, limit=None))
            for q in QUERIES}


def test_sqlite_to_postgresql_and_back_is_the_library_again(source, pg_url, tmp_path):
    there = copy_library(source, pg_url)
    assert [o.issue_id for o in there.copied] == list(range(1, 9))
    back = copy_library(pg_url, tmp_path / "back")
    assert len(back.copied) == 8
    with Library(source) as a, Library(pg_url) as pg, Library(tmp_path / "back") as b:
        want = everything(a)
        assert everything(b) == want  # the round trip loses nothing, scores included
        assert pg.issues() == want["infos"]
        assert {i.sha256: pg.issue(str(i.id)) for i in pg.issues()} == want["issues"]
        assert hit_keys(pg) == hit_keys(a)
        assert [(i.sha256, a) for i, a in pg.select()] == want["rows"]


def test_a_copy_into_postgresql_runs_once_and_new_ids_follow_the_copied_ones(source, pg_url):
    copy_library(source, pg_url)
    again = copy_library(source, pg_url)
    assert (len(again.copied), len(again.skipped)) == (0, 8)
    with Library(pg_url) as lib:  # the id sequence was moved past the ids the copy gave
        assert lib.store(small_issue("later", [("后来的文章", "复制之后再加入的正文。")])) == 9


def test_the_command_copies_to_a_postgresql_url(source, pg_url):
    result = invoke(str(source), pg_url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Copied 8 issues (")
    same = invoke(pg_url, pg_url + "/")
    assert same.exit_code == 2
