"""Search ranks and cuts, in SQLite and in PostgreSQL: a limited search is the head of the full
ranking, hits come one at a time, and candidates that fail the exact substring check never cost
a hit."""

from __future__ import annotations

import json

import pytest
from library_helpers import BACKENDS, new_location, small_issue, truth_issue
from typer.testing import CliRunner

from digest.cli import app
from digest.library import Library
from digest.library import search as search_module

QUERIES = ("上海", "医药", "长三角", "生物医药", "养老", "G60", "市", "-上海 基金", "上海 OR 江苏")


@pytest.fixture(scope="module", params=BACKENDS)
def lib(request, tmp_path_factory):
    folder = new_location(request, request.param, tmp_path_factory.mktemp("ranked"))
    with Library(folder) as library:
        for n in range(1, 5):
            library.store(truth_issue(200 + n, source=f"issue-{n}.pdf"))
    return folder


@pytest.mark.parametrize("query", QUERIES)
def test_a_limit_cuts_the_full_ranking(lib, query):
    with Library(lib, create=False) as library:
        everything = [(h.issue_id, h.seq, h.score) for h in library.search(query, limit=None)]
        assert everything, query
        for limit in (1, 2, 5, 20, len(everything), len(everything) + 3):
            head = [(h.issue_id, h.seq, h.score) for h in library.search(query, limit=limit)]
            assert head == everything[:limit], (query, limit)
        streamed = [(h.issue_id, h.seq, h.score) for h in library.iter_search(query)]
        assert streamed == everything


def test_scores_are_best_first_and_ties_are_stable(lib):
    with Library(lib, create=False) as library:
        scores = [h.score for h in library.search("上海", limit=None)]
        assert scores == sorted(scores, reverse=True)
        assert [(h.issue_id, h.seq) for h in library.search("上海", limit=None)] == \
            [(h.issue_id, h.seq) for h in library.search("上海", limit=None)]


def test_iter_search_reads_as_it_goes(lib):
    with Library(lib, create=False) as library:
        hits = library.iter_search("上海")
        first = next(hits)
        assert (first.issue_id, first.seq) == (lambda h: (h.issue_id, h.seq))(library.search("上海", limit=1)[0])
        hits.close()


def test_phrase_matches_across_punctuation_do_not_take_the_place_of_real_hits(library_at, monkeypatch):
    """医药，药品 is indexed 医药 zzz 药品, as 医药-药品 is: the FTS phrase for the term 医药-药品
    matches it (the index does not keep which punctuation separates runs), the substring check
    does not. With many such short articles ranked above the one real hit (a long body ranks
    low), a search limited to one hit must still find it."""
    monkeypatch.setattr(search_module, "SLACK", 2)  # small pages: the next page is needed
    fakes = [(f"公告{n}", "医药，药品") for n in range(30)]
    real = [("真正的", "这是一篇很长的文章，" * 30 + "讲到医药-药品的价格。")]
    with Library(library_at) as library:
        library.store(small_issue("a", fakes + real))
        hits = library.search("医药-药品", limit=1)
        assert [h.title for h in hits] == ["真正的"]
        assert [h.title for h in library.search("医药-药品", limit=None)] == ["真正的"]
        assert library.search("医药品", limit=None) == []  # one run: the phrase alone decides


def test_limit_zero_streams_the_same_json(lib):
    runner = CliRunner()
    with Library(lib, create=False) as library:
        expected = [h.as_dict() for h in library.search("医药", limit=None)]
    for fmt, parse in (("json", json.loads),
                       ("jsonl", lambda s: [json.loads(ln) for ln in s.splitlines()])):
        out = runner.invoke(app, ["search", "医药", "-n", "0", "-f", fmt, "--library", str(lib)])
        assert out.exit_code == 0, out.output
        assert parse(out.stdout) == json.loads(json.dumps(expected, ensure_ascii=False, default=str))
    out = runner.invoke(app, ["search", "医药", "-n", "0", "-f", "json", "--library", str(lib)])
    assert out.stdout == json.dumps(expected, ensure_ascii=False, indent=2, default=str) + "\n"
    tsv = runner.invoke(app, ["search", "医药", "-n", "0", "-f", "tsv", "--library", str(lib)])
    assert len(tsv.stdout.splitlines()) == len(expected)
    none = runner.invoke(app, ["search", "没有这个词", "-n", "0", "--library", str(lib)])
    assert none.exit_code == 1 and none.stdout == ""
