"""`digest summary` through typer's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SAMPLES
from typer.testing import CliRunner

from digest.cli import app

runner = CliRunner()
DATA = Path(__file__).parent / "data"
SAMPLE = str(SAMPLES / "issue-200.pdf")
STALE = str(SAMPLES / "issue-200-stale.pdf")


def run(*args: str):
    return runner.invoke(app, ["summary", *args])


def test_markdown_digest_of_the_sample_matches_the_checked_file():
    result = run(SAMPLE, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (DATA / "summary-issue-200.md").read_text("utf-8")


def test_plain_text_for_one_region():
    result = run(SAMPLE, "--region", "山东省")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "长三角每周要讯 2020 年第 200 期  浙江省人民政府驻上海办事处 · 2020-12-18 · 22 篇\n"
        "\n"
        "山东 (1)\n"
        "  山东六大行动优化民企创新发展生态  [第 22 页 · 域外动态]\n"
        "    近日山东省促进非公有制经济发展工作领导小组办公室印发《山东省民营经济高质量发展三年行动计划"
        "（2020－2022 年）》，明确从今年起到 2022 年，该省将实施六大专项行动，进一步优化民营经济创新发展"
        "生态。\n"
        "    关键词：专项、生态、创新、民企、上云、技改\n")


def test_json_groups_in_the_delta_order_then_by_count():
    result = run(SAMPLE, "--format", "json", "--max-chars", "60")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(g["region"], g["count"]) for g in data["regions"]] == [
        ("上海", 9), ("江苏", 5), ("长三角", 4), ("广东", 3), ("山东", 1)]
    summaries = [a["summary"] for g in data["regions"] for a in g["articles"]]
    assert len(summaries) == 22 and all(0 < len(s) <= 60 for s in summaries)
    assert data["issues"][0]["issue"] == 200


def test_several_issues_merge_under_one_heading_per_region():
    result = run(SAMPLE, STALE, "--region", "广东", "--region", "长三角", "--format", "md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# 长三角每周要讯 2020 年第 200 期；长三角每周要讯 2020 年第 200 期"
    assert [ln for ln in lines if ln.startswith("## ")] == ["## 长三角（8 篇）", "## 广东（6 篇）"]
    assert "*长三角每周要讯 2020 年第 200 期 · 第 23 页 · 域外动态*" in lines


def test_unknown_region_is_an_error():
    result = run(SAMPLE, "--region", "火星")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "Error: --region 火星: not a region. Give a province by its name or abbreviation (江苏, "
        "江苏省, 苏) or a grouping (长三角, 京津冀, 粤港澳大湾区, 成渝 …).\n")


def test_bad_format_and_too_small_limit_are_errors():
    result = run(SAMPLE, "--format", "xml")
    assert result.exit_code == 2 and result.stderr.splitlines()[-1].endswith(
        "'xml' is not one of 'table', 'text', 'md', 'json', 'docx'.")
    result = run(SAMPLE, "--max-chars", "5")
    assert (result.exit_code, result.stderr) == (2, "Error: --max-chars 5: give at least 20\n")


def test_missing_file_is_an_error():
    result = run("no-such-issue.pdf")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
