"""Regions: the gazetteer, mentions and their kinds, the decision rules, the labelled set and
the seed issue's 22 articles."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLES, SEED, need

from digest import gazetteer, regions, sentences, tokens

DATA = Path(__file__).parent / "data"
LABELLED = [json.loads(ln) for ln in (DATA / "regions_labelled.jsonl").read_text("utf-8").splitlines()]
SEED_REGIONS = [json.loads(ln) for ln in
                (DATA / "issue-200.regions.jsonl").read_text("utf-8").splitlines()]
REQUIRED_ACCURACY = 0.95


# The labelled cases are articles of 长三角 bulletins: that is their home grouping.
DELTA_LABEL = "长三角"
DELTA_HOME = gazetteer.load().groupings[DELTA_LABEL]
DELTA = DELTA_HOME.members


def locate(title: str, body, section=None) -> regions.Regions:
    sents = sentences.split(body)
    return regions.locate(tokens.cut(title), tokens.cut(sents[0] if sents else ""),
                          tokens.cut("\n".join(body)), section, home=DELTA_HOME)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(m.region, m.kind) for m in regions.mentions(tokens.cut(text), home=DELTA_HOME)]


# --- the gazetteer ---------------------------------------------------------------------------

def test_gazetteer_has_all_34_provinces_by_full_and_short_name():
    gaz = gazetteer.load()
    assert len(gaz.provinces) == 34
    for full, short in [("江苏省", "江苏"), ("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"),
                        ("香港特别行政区", "香港"), ("台湾省", "台湾"), ("重庆市", "重庆")]:
        assert gaz.lookup(full).region == short and gaz.lookup(short).region == short


def test_gazetteer_maps_cities_counties_and_curated_zones_to_provinces():
    gaz = gazetteer.load()
    expected = {"深圳": "广东", "苏州市": "江苏", "延边": "吉林", "嘉善": "浙江", "吴江区": "江苏",
                "浦东": "上海", "临港新片区": "上海", "雄安新区": "河北", "宁波舟山港": "浙江",
                "合肥": "安徽", "苏州工业园区": "江苏", "G60科创走廊": DELTA_LABEL, "三省一市": DELTA_LABEL}
    assert {name: gaz.lookup(name).region for name in expected} == expected


def test_gazetteer_leaves_out_ambiguous_and_ordinary_words():
    gaz = gazetteer.load()
    # 普陀 is a district of 上海 and of 舟山; 通州 of 北京 and 南通; 太湖 and 江山 are words.
    for name in ("普陀", "普陀区", "通州", "太湖", "江山", "天台"):
        assert gaz.lookup(name) is None, name
    assert gaz.lookup("河北").region == "河北"  # not 天津's 河北区


def test_gazetteer_file_is_what_the_script_generates():
    pytest.importorskip("cpca")
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "scripts" / "make_gazetteer.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_region_labels_from_user_input():
    gaz = gazetteer.load()
    assert [gaz.label(n) for n in ("江苏省", "江苏", "长三角", "上海市", "苏州", "火星")] == [
        "江苏", "江苏", "长三角", "上海", None, None]


# --- mentions ----------------------------------------------------------------------------------

def test_mention_kinds():
    assert kinds("江苏银行签约") == [("江苏", "org")]
    assert kinds("联盟在上海启动") == [("上海", "venue")]
    assert kinds("会议在浙江湖州召开") == [("浙江", "venue"), ("浙江", "venue")]
    assert kinds("长三角G60科创走廊") == [(DELTA_LABEL, "cross")]
    assert kinds("上海合作组织峰会") == []  # an organisation's name, curated as not-region
    assert kinds("天津港吞吐量") == [("天津", "place")]  # a place at the start of a longer word
    assert kinds("南京东路步行街") == []  # a street of 上海, not 南京


def test_abbreviations_alone_and_in_runs():
    assert kinds("来沪投资") == [("上海", "abbrev")]  # 沪 means 上海 on its own
    assert kinds("沪苏浙皖四地") == [(DELTA_LABEL, "cross")]
    assert [r for r, _ in kinds("浙皖两省")] == ["浙江", "安徽"]
    assert kinds("苏") == []  # 苏 alone is a surname as often as 江苏


# --- decisions ---------------------------------------------------------------------------------

def test_title_decides_before_the_body():
    got = locate("江苏出台新办法", ["上海市和浙江省此前已有类似规定。上海、浙江、上海。"])
    assert got.region == "江苏" and set(got.regions) == {"江苏", "上海", "浙江"}


def test_first_named_wins_a_tie_in_the_title():
    assert locate("江苏发布长三角一体化实施方案", ["方案已印发。"]).region == "江苏"
    assert locate("长三角文旅联盟在上海成立", ["联盟成立。"]).region == DELTA_LABEL


def test_two_delta_provinces_in_the_title_make_it_cross_delta():
    assert locate("上海与浙江签署合作协议", ["双方将加强合作。"]).region == DELTA_LABEL


def test_weak_title_evidence_defers_to_a_strong_lead():
    got = locate("产业联盟在南京成立", ["该联盟由上海、江苏、浙江、安徽四地企业共同发起。"])
    assert got.region == DELTA_LABEL
    assert locate("产业联盟在南京成立", ["联盟首批成员五十家。"]).region == "江苏"


def test_an_organisation_name_does_not_decide_against_cross_delta_words():
    got = locate("科创贷产品发布", ["G60科创走廊与江苏银行联合推出科创贷。江苏银行将提供额度。"])
    assert got.region == DELTA_LABEL and "江苏" not in got.regions


def test_outside_section_excludes_the_delta_from_the_primary_region():
    body = ["天津借鉴上海经验出台措施。"]
    assert locate("学习上海经验 天津出台措施", body, "域外动态").region == "天津"
    assert locate("学习上海经验 天津出台措施", body, "经验交流").region == "上海"
    assert locate("学习上海经验", ["各地借鉴上海做法。"], "域 外 动 态").region is None


def test_no_evidence_gives_no_region_unless_the_section_says_delta():
    assert locate("新办法出台", ["办法自明年起施行。"]) == regions.Regions(None, ())
    assert locate("新办法出台", ["办法自明年起施行。"], "长三角动态").region == DELTA_LABEL


# --- the labelled set and the seed issue --------------------------------------------------

def test_labelled_set_covers_the_delta_and_eight_other_provinces():
    counts = Counter(c["region"] for c in LABELLED)
    assert len(LABELLED) >= 60
    assert all(counts[r] >= 5 for r in DELTA + (DELTA_LABEL,)), counts
    assert len(set(counts) - set(DELTA) - {DELTA_LABEL}) >= 8


def test_region_accuracy_on_the_labelled_set():
    failures = []
    for case in LABELLED:
        got = locate(case["title"], case["body"], case["section"]).region
        if got != case["region"]:
            failures.append(f"#{case['id']} {case['title']}: got {got}, expected {case['region']}")
    accuracy = 1 - len(failures) / len(LABELLED)
    assert accuracy >= REQUIRED_ACCURACY, "\n".join([f"accuracy {accuracy:.1%}"] + failures)


def _seed_expected() -> dict[str, str]:
    return {"".join(r["title"].split()): r["region"] for r in SEED_REGIONS}


def _check_seed_articles(articles) -> None:
    expected = _seed_expected()
    got = {"".join(a.title.split()): locate(a.title, a.body, a.section).region for a in articles}
    assert got == expected


def test_the_22_articles_of_the_sample_issue():
    truth = json.loads((SAMPLES / "issue-200.truth.json").read_text("utf-8"))
    from digest.models import Article, Status

    articles = [Article(a["seq"], a["section"], a["title"], a["page"], a["toc_page"], 100.0,
                        Status.OK, tuple(a["body"])) for a in truth["articles"]]
    assert len(articles) == 22
    _check_seed_articles(articles)


def test_the_22_articles_of_the_seed_text_as_parsed():
    from digest.issue import parse_text

    issue = parse_text(need(SEED).read_text("utf-8"), SEED.name)
    _check_seed_articles([a for a in issue.articles if a.body])


def test_token_lookups_are_remembered_per_gazetteer():
    from dataclasses import replace

    gaz = gazetteer.load()
    toks = ["江苏", "出台", "意见", "沪", "苏"]
    assert [m.region for m in regions.mentions(toks, gaz)] == ["江苏", "上海", "江苏"]
    other = replace(gaz, places={k: v for k, v in gaz.places.items() if k not in ("江苏", "沪")})
    assert [m.region for m in regions.mentions(toks, other)] == []
    assert [m.region for m in regions.mentions(toks, gaz)] == ["江苏", "上海", "江苏"]


def test_names_of_regions_are_the_names_whose_places_name_them():
    gaz = gazetteer.load()
    kinds = ("province", gazetteer.CROSS, gazetteer.ABBREV_ALONE, gazetteer.ABBREV_RUN, gazetteer.ABBREV_HEAD)
    for wanted in [{"江苏"}, {"长三角", "上海"}, {"广东", "京津冀", "内蒙古"}, set()]:
        assert gaz.names_of(wanted) == {n for n, p in gaz.places.items() if p.kind in kinds and set(p.regions) & wanted}
    assert {"江苏", "苏"} <= gaz.names_of(["江苏"]) and "上海" not in gaz.names_of(["江苏"])
