"""Title matching: the near-linear matcher returns exactly what the quadratic one returned.

The oracle is tests/match_reference.py (main at 21b2066). Every committed sample, layout case and
the seed are compared through the real parser; hand-built cases aim at what pruning could get
wrong; random documents over a small alphabet make ties and near-misses common.
"""

from __future__ import annotations

import random
import sys

import match_reference
import pytest
from conftest import REPO, SAMPLES, SEED
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import align as align_module
from digest.candidates import SpanFilter
from digest.match import MATCH_MIN, match_titles
from digest.models import Line, TocEntry

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_match  # the large case and the parser spy are the benchmark's

CASES = sorted(SAMPLES.glob("*.pdf")) + sorted(SAMPLES.glob("*.txt")) + sorted(
    (REPO / "tests" / "data" / "layouts").glob("*.pdf")) + [
    REPO / "tests" / "data" / "other-bulletin.txt", REPO / "tests" / "data" / "jingjinji-bulletin.txt", SEED]


def same(entries, lines, start=0):
    new = match_titles(entries, lines, start)
    assert new == match_reference.match_titles(entries, lines, start)
    return [(m.entry, m.start, m.stop) for m in new]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_identical_on_every_committed_issue(path):
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    seen = bench_match.captured(path)
    assert seen
    for entries, lines, start in seen:
        same(entries, lines, start)
        if entries:
            assert match_titles(entries, lines, start)  # a real TOC: something matched


def test_large_generated_issue_gives_the_known_titles():
    entries, lines, start, known = bench_match.large_case(4)
    assert len(entries) == 88
    got = same(entries, lines, start)
    assert [s for _, s, _ in got] == known
    assert [e for e, _, _ in got] == list(range(88))


def L(text: str) -> Line:
    return Line(text, 0)


BODY = "为加快推进区域协调发展，有关部门近日印发实施方案，明确了今后三年的重点任务和保障措施。"
TITLES = ["长三角生物医药产业联盟在沪成立", "临港新片区发布智能网联汽车规划", "江苏出台体医融合发展意见",
          "浙江数字政府网络安全指数发布"]


def doc(titles, body_lines=2):
    out = []
    for t in titles:
        out += [L(t)] + [L(BODY)] * body_lines
    return out


def test_a_title_quoted_in_the_body_before_its_article_does_not_pull_the_match():
    lines = doc(TITLES)
    lines.insert(1, L(TITLES[2]))  # article 1's body quotes article 3's title on a line of its own
    entries = [TocEntry(None, t, None) for t in TITLES]
    assert same(entries, lines) == [(0, 0, 1), (1, 4, 5), (2, 7, 8), (3, 10, 11)]


def test_a_toc_entry_without_a_body_matches_nothing_and_the_others_still_match():
    entries = [TocEntry(None, t, None) for t in [*TITLES[:2], "山东优化民营企业创新发展生态", *TITLES[2:]]]
    assert same(entries, doc(TITLES)) == [(0, 0, 1), (1, 3, 4), (3, 6, 7), (4, 9, 10)]


def test_entries_out_of_body_order_keep_the_best_ordered_subset():
    order = [TITLES[0], TITLES[2], TITLES[1], TITLES[3]]
    got = same([TocEntry(None, t, None) for t in order], doc(TITLES))
    assert len(got) == 3 and [s for _, s, _ in got] == sorted(s for _, s, _ in got)


def test_stale_toc_pages_inside_the_body():
    toc_page = [L(f"{t}……{n}") for n, t in enumerate(TITLES, 3)]
    lines = doc(TITLES[:2]) + toc_page + doc(TITLES[2:])
    entries = [TocEntry(None, t, None) for t in TITLES]
    assert same(entries, lines) == [(0, 0, 1), (1, 3, 4), (2, 10, 11), (3, 13, 14)]


def test_a_title_wrapped_over_lines_and_a_shortened_toc_title():
    lines = [L("长三角生物医药产业"), L("服务发展联盟正式启动"), L(BODY), L("临港新片区发布规划 从五方面促进"),
             L("智能网联汽车产业发展"), L(BODY)]
    entries = [TocEntry(None, "长三角生物医药产业服务发展联盟正式启动", 1), TocEntry(None, "临港新片区发布规划", 2)]
    assert same(entries, lines) == [(0, 0, 2), (1, 3, 4)]


def test_equal_titles_and_punctuation_only_lines_break_ties_the_same_way():
    lines = [L("——"), L(TITLES[0]), L(BODY), L(TITLES[0]), L(BODY), L("……"), L(TITLES[0]), L(BODY)]
    entries = [TocEntry(None, TITLES[0], 1), TocEntry(None, "……", 2), TocEntry(None, TITLES[0], 3)]
    # "——" has an empty key: lines 0-1 equal the title too, and the earlier first line wins.
    assert same(entries, lines) == [(0, 0, 2), (1, 5, 6), (2, 6, 7)]


def test_nothing_to_match():
    assert same([], doc(TITLES)) == []
    assert same([TocEntry(None, TITLES[0], 1)], doc(TITLES), start=12) == []


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_documents_over_a_small_alphabet(data):
    """Few distinct characters: scores tie and hover around the threshold all the time."""
    alphabet = "甲乙丙丁戊己庚辛，。 "
    words = st.text(alphabet, min_size=0, max_size=14)
    lines = [L(t) for t in data.draw(st.lists(words, min_size=1, max_size=30))]
    titles = data.draw(st.lists(st.one_of(words, st.sampled_from([ln.text for ln in lines])), max_size=8))
    start = data.draw(st.integers(0, len(lines)))
    same([TocEntry(None, t, None) for t in titles], lines, start)


def test_the_filter_keeps_every_span_that_reaches_the_threshold():
    from rapidfuzz import fuzz

    rng = random.Random(7)
    chars = "长三角一体化发展生物医药产业联盟上海江苏浙江安徽"
    keys = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 30))) for _ in range(300)]
    titles = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 25))) for _ in range(60)]
    spans = SpanFilter(keys, titles, 3, MATCH_MIN)
    all_spans = [(j, n) for j in range(len(keys)) for n in range(1, 4) if j + n <= len(keys)]
    kept_in_all = 0
    for t in titles:
        kept = {(j, n) for n, first, _ in spans.candidates(t) for j in first}
        for j, n in all_spans:
            if fuzz.ratio(t, "".join(keys[j:j + n])) >= MATCH_MIN:
                assert (j, n) in kept, (t, j, n)
        kept_in_all += len(kept)
    # Random text over 24 characters shares many of them with any title; still most spans go.
    assert kept_in_all < len(titles) * len(all_spans) / 4


def test_alignment_breaks_a_rounding_tie_like_the_plain_programme():
    # Two states whose totals differ by rounding (0.3 and 0.1 + 0.2) both give 100.3 with the
    # next score: the plain programme keeps the state created first (the 0.3 one).
    options = [[(0, 1, 0.1)], [(0, 3, 0.3), (1, 2, 0.2)], [(3, 4, 100.0)]]
    assert 0.1 + 0.2 != 0.3 and (0.1 + 0.2) + 100.0 == 0.3 + 100.0
    want = match_reference.align(options)
    assert [(m.entry, m.start) for m in want] == [(1, 0), (2, 3)]
    assert align_module.align(options, 10) == want


def test_alignment_of_equal_totals_prefers_the_state_created_first():
    # Entry 2 can extend state A (stops at 3, made by entry 0) or state B (stops at 2, made by
    # entry 1), both worth 90, into the same stop 5: the plain programme tries A first.
    options = [[(2, 3, 90.0)], [(0, 2, 90.0)], [(2, 5, 10.0), (3, 5, 10.0)]]
    want = match_reference.align(options)
    assert [(m.entry, m.start) for m in want] == [(0, 2), (2, 3)]
    assert align_module.align(options, 10) == want


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([[0.1, 0.2, 0.3, 72.72727272727273, 85.71428571428572, 90.0, 100.0, 1e-16],
                        [90.0, 10.0, 100.0]]).flatmap(lambda scores: st.lists(
    st.lists(st.tuples(st.integers(0, 8), st.integers(1, 3), st.sampled_from(scores)), max_size=5),
    max_size=12)))
def test_alignment_equals_the_plain_programme(raw):
    """Awkward floats (rounding ties) or a few round scores (exact ties everywhere)."""
    options = [[(a, a + n, s) for a, n, s in opts] for opts in raw]
    assert align_module.align(options, 12) == match_reference.align(options)
