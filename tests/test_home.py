"""Home regions as data: an issue's home grouping (groupings.tsv) is inferred or set, and decides
the summary's order and which cross-region subjects merge under the grouping's name.

tests/data/jingjinji-bulletin.txt is a 京津冀 bulletin written for this test: three joint
subjects, seven articles of 北京, 天津 and 河北, and two of other provinces (上海, 广东)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import REPO, SAMPLES
from typer.testing import CliRunner

from digest import gazetteer
from digest.cli import app
from digest.enrich import enrich_issue, home_of
from digest.issue import parse_issue
from digest.regions import HomeEvidence, infer_home

runner = CliRunner()
JJJ = REPO / "tests" / "data" / "jingjinji-bulletin.txt"
JOINT = ["京津冀三地签署交通一体化合作协议", "北京天津河北联合发布大气污染协同治理方案",
         "京津冀产业链图谱发布 六条重点产业链协同布局"]


def summary(*args: str) -> dict:
    result = runner.invoke(app, ["summary", str(JJJ), "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def order(data: dict) -> list[tuple[str, int]]:
    return [(g["region"], g["count"]) for g in data["regions"]]


def test_a_jingjinji_bulletin_puts_its_provinces_first_and_merges_joint_subjects():
    data = summary()
    assert data["issues"][0]["home"] == "京津冀"
    assert order(data) == [("北京", 2), ("天津", 2), ("河北", 3), ("京津冀", 3), ("上海", 1),
                           ("广东", 1)]
    [joint] = [g for g in data["regions"] if g["region"] == "京津冀"]
    assert [a["title"] for a in joint["articles"]] == JOINT


def test_home_option_overrides_the_inferred_grouping():
    data = summary("--home", "长三角")
    assert data["issues"][0]["home"] == "长三角"
    # No 京津冀 heading: its words count for each of its provinces, 北京 first. And 他山之石
    # ("from elsewhere") now means outside 长三角, so its 上海 article has no region left.
    assert order(data) == [("北京", 5), ("河北", 3), ("天津", 2), ("广东", 1), ("未定地区", 1)]
    assert order(summary("--home", "none")) == [("北京", 5), ("河北", 3), ("天津", 2),
                                                ("上海", 1), ("广东", 1)]


def test_home_must_be_a_grouping():
    result = runner.invoke(app, ["summary", str(JJJ), "--home", "江苏"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --home 江苏: a province, not a grouping; choose one "
                                    "of 长三角, 京津冀, ")


def test_the_home_is_inferred_from_the_articles_when_the_masthead_names_no_grouping():
    issue = parse_issue(JJJ)
    plain = replace(issue, masthead=replace(issue.masthead, bulletin="工作简报",
                                            publisher="某某办公室"))
    assert home_of(plain).name == "京津冀"
    assert enrich_issue(plain).articles[0].region == "京津冀"


def test_the_sample_delta_bulletin_is_home_to_the_delta():
    assert home_of(parse_issue(SAMPLES / "issue-200.pdf")).name == "长三角"


def evidence(masthead: str, *primaries: str | None, joint: tuple[str, ...] = ()) -> HomeEvidence:
    return HomeEvidence(masthead, primaries, joint)


@pytest.mark.parametrize(("given", "home"), [
    (evidence("长三角每周要讯 某某办公室", "北京", "北京"), "长三角"),  # the name decides
    (evidence("简报 成渝地区双城经济圈建设办公室", "四川"), "成渝"),
    (evidence("工作简报", "北京", "天津", "广东"), "京津冀"),  # two of three on 京津冀
    (evidence("工作简报", "湖北", "湖南", "江西", "北京"), "长江中游"),
    (evidence("工作简报", "江苏", "江苏", "江苏"), None),  # one province is not a grouping
    (evidence("工作简报", "江苏", "江苏", joint=("长三角",)), "长三角"),  # unless joint subjects
    (evidence("工作简报", "北京", "广东", "山东", "云南"), None),  # no grouping has half
    (evidence("工作简报", None, None), None),
    # As many articles on 长三角's provinces as on 海峡西岸's: the publisher's provinces decide.
    (evidence("浙江省人民政府驻上海办事处", "浙江", "浙江", "福建", "上海"), "长三角"),
    (evidence("福建省人民政府办公厅", "浙江", "浙江", "福建", "上海"), "海峡西岸"),
])
def test_infer_home(given, home):
    got = infer_home(given)
    assert (got.name if got else None) == home


def test_every_grouping_has_provinces_and_words_that_name_it():
    gaz = gazetteer.load()
    assert {"长三角", "京津冀", "成渝", "粤港澳大湾区", "长江中游", "东北"} <= set(gaz.groupings)
    for grouping in gaz.groupings.values():
        assert len(grouping.members) >= 2 and set(grouping.members) <= set(gaz.provinces)
    named = {p.region for p in gaz.places.values() if p.kind == gazetteer.CROSS}
    assert named == set(gaz.groupings)
