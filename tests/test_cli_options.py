"""One vocabulary across commands (digest/cli/options.py): regions, formats, help text."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from digest import gazetteer
from digest.cli import COMMANDS, app
from digest.errors import UsageError

runner = CliRunner()
SAMPLE = str(SAMPLES / "issue-200.pdf")
JIANGSU = ("江苏", "江苏省", "苏")
# The sample's articles whose main region is 江苏 (samples/issue-200.truth.json).
JIANGSU_TITLES = 5


def digest(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib")
    assert digest("add", SAMPLE, "--library", str(folder)).exit_code == 0
    return str(folder)


# --- region names -------------------------------------------------------------------------------

def test_a_region_resolves_by_name_full_name_and_abbreviation():
    gaz = gazetteer.load()
    assert [gaz.resolve(n) for n in ("江苏", "江苏省", "苏", "沪", "京", "长三角", "京津冀")] == [
        "江苏", "江苏", "江苏", "上海", "北京", "长三角", "京津冀"]


def test_an_unknown_region_names_the_option_and_suggests_close_names():
    gaz = gazetteer.load()
    with pytest.raises(UsageError, match=r"^--home 黑龙: not a region; did you mean 黑龙江\?"):
        gaz.resolve("黑龙", "--home")
    with pytest.raises(UsageError, match=r"^--region 苏州: a place in 江苏, not a region; did you "
                                         r"mean 江苏\?"):
        gaz.resolve("苏州", "--region")


def titles(rows) -> list[str]:
    return sorted(r["title"] for r in rows)


def test_search_export_and_summary_find_the_same_articles_for_every_name_of_a_region(lib):
    found = {}
    for name in JIANGSU:
        search = json.loads(digest("search", "的", "-r", name, "-n", "0", "--json",
                                   "--library", lib).stdout)
        export = json.loads(digest("export", "--region", name, "--json", "--library", lib).stdout)
        summary = json.loads(digest("summary", SAMPLE, "-r", name, "--json").stdout)
        [group] = summary["regions"]
        found[name] = (titles(search), titles(export), titles(group["articles"]))
    assert len(found["江苏"][0]) == JIANGSU_TITLES
    assert found["江苏"][0] == found["江苏"][1] == found["江苏"][2]
    assert found["江苏"] == found["江苏省"] == found["苏"]


def test_several_regions_are_a_union(lib):
    def count(*regions):
        args = [a for r in regions for a in ("-r", r)]
        return len(json.loads(digest("export", *args, "--json", "--library", lib).stdout))

    assert count("苏", "沪") == count("江苏") + count("上海") > count("江苏")


@pytest.mark.parametrize("command", [["search", "养老"], ["export"], ["summary", SAMPLE]])
def test_an_unknown_region_is_the_same_error_everywhere(command, lib):
    result = digest(*command, "-r", "江酥", "--library", lib) if command[0] != "summary" \
        else digest(*command, "-r", "江酥")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: --region 江酥: not a region; did you mean 江苏 or ")


# --- formats ------------------------------------------------------------------------------------

def test_search_and_list_write_csv_with_a_header(lib):
    hits = list(csv.DictReader(io.StringIO(digest("search", "养老", "--format", "csv",
                                                  "--library", lib).stdout)))
    assert hits and all("养老" in h["title"] + h["body"] for h in hits)
    assert {"title", "region", "score", "snippet"} <= set(hits[0])
    [issue] = list(csv.DictReader(io.StringIO(digest("list", "-f", "csv", "--library", lib).stdout)))
    assert (issue["bulletin"], issue["year"], issue["number"]) == ("长三角每周要讯", "2020", "200")
    assert "body" not in issue  # the issue fields only, not the article columns


def test_json_is_short_for_format_json_and_conflicts_with_another_format(lib):
    assert digest("list", "--json", "--library", lib).stdout == \
        digest("list", "--format", "json", "--library", lib).stdout
    result = digest("list", "--json", "--format", "csv", "--library", lib)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --json and --format csv: give one of them\n")


def test_piped_output_defaults_to_tsv_for_rows_and_text_for_documents(lib):
    listed = digest("list", "--library", lib).stdout.splitlines()
    assert len(listed) == 1 and listed[0].split("\t")[1:4] == ["长三角每周要讯", "2020", "200"]
    toc = digest("toc", SAMPLE).stdout.splitlines()
    assert toc[0].startswith("长三角每周要讯  2020 年第 200 期")
    rows = digest("toc", SAMPLE, "-f", "tsv").stdout.splitlines()
    assert len(rows) == 22 and rows[0].split("\t")[0] == "1"


# --- help ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_shows_plain_metavars(command):
    text = digest(command, "--help").stdout
    assert "<list[" not in text and "[[" not in text and "{" not in text.splitlines()[0]


# --- exit codes and completion ------------------------------------------------------------------

def error_classes(cls=None) -> list[type]:
    from digest.errors import DigestError

    cls = cls or DigestError
    return [cls] + [c for sub in cls.__subclasses__() for c in error_classes(sub)]


def test_every_error_class_has_a_listed_exit_code():
    from digest.errors import EXIT_CODES

    assert {c.exit_code for c in error_classes()} <= set(EXIT_CODES)


def test_help_lists_every_exit_code():
    from digest.errors import EXIT_CODES

    text = digest("--help").stdout
    listed = text[text.index("Exit codes:"):].splitlines()[1:]
    assert [ln.split(None, 1) for ln in listed if ln.strip()] == [
        [str(code), meaning] for code, meaning in EXIT_CODES.items()]


def test_the_readme_table_of_exit_codes_is_the_one_in_errors_py():
    from conftest import REPO

    from digest.errors import EXIT_CODES

    readme = (REPO / "README.md").read_text("utf-8")
    table = readme[readme.index("| code | meaning |"):].split("\n\n", 1)[0].splitlines()[2:]
    rows = [[cell.strip() for cell in row.strip("|").split("|")] for row in table]
    assert rows == [[str(code), meaning] for code, meaning in EXIT_CODES.items()]


def complete(words: str) -> list[str]:
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("digest")
    if not script.exists():
        pytest.skip("digest is not installed")
    env = dict(os.environ, _DIGEST_COMPLETE="complete_bash", COMP_WORDS=words,
               COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    return done.stdout.split()


def test_shell_completion_offers_commands_formats_and_regions():
    assert complete("digest sum") == ["summary"]
    assert complete("digest list --format ")[:5] == ["table", "tsv", "csv", "json", "jsonl"]
    assert complete("digest search 养老 -r 江") == ["江苏", "江西"]
    assert "--install-completion" in digest("--help").stdout
