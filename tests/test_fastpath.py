"""The fast path (digest/cli/fastpath.py): command lines of search, list, show, toc, export and
summary read from a kept spec without typer give byte for byte what typer gives - stdout,
stderr, exit code - and every command line it cannot be sure of goes to typer, which prints click's own errors and help.

Each command line runs in a fresh interpreter twice: through the console script's ``main`` with
a filled cache, and through typer's app alone (no cache involved). A small wrapper records in a
side file whether typer was imported, so each row also says which path ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Annotated

import pytest
import typer
from conftest import REPO

from digest.cli import fastpath
from digest.cli.helpfmt import App
from digest.cli.lazy import PlainValuesGroup
from digest.cli.options import (
    ExampleOpt,
    Fmt,
    JsonOpt,
    MaxSizeOpt,
    OcrJobsOpt,
    OcrOpt,
    ReaderOpt,
    format_option,
)
from digest.source import OcrMode

MAIN = ("import runpy, sys\nreport = sys.argv.pop(1)\nsys.argv[0] = 'digest'\n"
        "try:\n    runpy.run_module('digest', run_name='__main__')\n"
        "finally:\n    open(report, 'w').write(str('typer' in sys.modules))\n")
TYPER = "import sys\nfrom digest.cli.root import app\nsys.argv[0] = 'digest'\napp(prog_name='digest')"
FAST, SLOW = "fast", "typer"
TXT = "tests/data/other-bulletin.txt"  # an issue as text: read in a moment, by no PDF reader


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A library of one issue (as $DIGEST_LIBRARY) and a cache filled by a run of each command."""
    folder = tmp_path_factory.mktemp("fast")
    environment = dict(os.environ, DIGEST_LIBRARY=str(folder / "lib"),
                       XDG_CACHE_HOME=str(folder / "cache"), COLUMNS="80")
    subprocess.run([sys.executable, "-m", "digest", "add",
                    str(REPO / "tests" / "data" / "other-bulletin.txt")],
                   cwd=REPO, env=environment, check=True, capture_output=True)
    for command in (["search", "古镇"], ["list"], ["show", "1"], ["toc", TXT], ["export", TXT],
                    ["summary", TXT]):
        subprocess.run([sys.executable, "-m", "digest", *command], cwd=REPO, env=environment,
                       check=True, capture_output=True)
    return environment


def through_main(args: list[str], env: dict, tmp_path) -> tuple[tuple, str]:
    report = tmp_path / "report"
    done = subprocess.run([sys.executable, "-c", MAIN, str(report), *args], cwd=REPO, env=env,
                          capture_output=True, timeout=120)
    return (done.returncode, done.stdout, done.stderr), SLOW if report.read_text() == "True" else FAST


def through_typer(args: list[str], env: dict) -> tuple:
    done = subprocess.run([sys.executable, "-c", TYPER, *args], cwd=REPO, env=env,
                          capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


LINES = [
    # search: options every way click takes them, and what it would refuse
    (["search", "古镇"], FAST),
    (["search", "古镇", "--limit=1"], FAST),
    (["search", "古镇", "-n", "1"], FAST),
    (["search", "古镇", "-n1"], FAST),
    (["search", "-n", "0", "古镇", "-f", "json"], FAST),
    (["search", "古镇", "--format=jsonl"], FAST),
    (["search", "古镇", "--json"], FAST),
    (["search", "古镇", "-f", "csv", "--limit", "5"], FAST),
    (["search", "产业", "-r", "浙", "--region", "浙江省"], FAST),  # repeated, both resolved
    (["search", "-r", "火星", "古镇"], FAST),  # the callback's own error, exit 2
    (["search", "产业", "-安吉"], FAST),  # -term: an argument, as click leaves it
    (["search", "产业", "-qn1"], FAST),  # -q unknown kept as a term, -n 1 taken
    (["search", "--", "-n", "古镇"], FAST),  # after --, words only
    (["search", "古镇", "--frobnicate"], FAST),  # kept as a word, refused by the command
    (["search", "古镇", "--since", "2021-03", "--until", "2021"], FAST),
    (["search", "古镇", "--since", "20x"], FAST),
    (["search", "没有这个词"], FAST),  # no hits: exit 1
    (["--debug", "search", "古镇"], FAST),
    (["-q", "search", "古镇"], FAST),
    (["search", "古镇", "--limit", "-1"], SLOW),  # out of range: typer says so
    (["search", "古镇", "-n", "x"], SLOW),
    (["search", "古镇", "-n"], SLOW),  # option needs a value
    (["search", "古镇", "-f", "JSON"], SLOW),  # case-insensitive choice: typer's conversion
    (["search", "古镇", "-f", "yaml"], SLOW),
    (["search", "古镇", "--json=yes"], SLOW),  # a flag takes no value
    (["search"], SLOW),  # missing argument
    (["search", "古镇", "--help"], SLOW),
    (["--version", "search", "古镇"], SLOW),
    (["--frob", "search", "古镇"], SLOW),
    # list
    (["list"], FAST),
    (["list", "--format", "csv"], FAST),
    (["list", "-f", "json"], FAST),
    (["list", "--json", "-f", "tsv"], FAST),  # the command's own usage error
    (["list", "extra"], SLOW),
    (["list", "--library"], SLOW),
    (["list", "-x"], SLOW),
    (["list", "--help"], SLOW),
    # show
    (["show", "1"], FAST),
    (["show", "1", "3"], FAST),
    (["show", "1", "3", "--json"], FAST),
    (["show", "--format=json", "决策参考:2021:5"], FAST),
    (["show", "9"], FAST),  # not in the library: exit 4
    (["show", "--", "1", "-3"], FAST),
    (["show", "1", "x"], SLOW),
    (["show", "1", "-3"], SLOW),  # no such option
    (["show"], SLOW),
    (["show", "1", "2", "3"], SLOW),
    # toc
    (["toc", TXT], FAST),
    (["toc", "samples/issue-200.pdf"], FAST),
    (["toc", TXT, "--json"], FAST),
    (["toc", "--format=csv", TXT], FAST),
    (["toc", TXT, "-f", "tsv"], FAST),
    (["toc", TXT, "-fjsonl"], FAST),
    (["toc", TXT, "-f", "table"], FAST),  # rich, to a pipe of 80 columns
    (["toc", "--example"], FAST),
    (["toc", TXT, "--example"], FAST),  # the command's own usage error
    (["toc"], FAST),  # no ISSUE: the command's own usage error
    (["toc", "missing.pdf"], FAST),  # exit 3
    (["toc", TXT, "-f", "xlsx"], FAST),  # needs -o
    (["toc", TXT, "--max-size", "1K"], FAST),  # converted by the callback, then refused
    (["toc", TXT, "--max-size", "5Q"], FAST),  # the callback's own error
    (["toc", TXT, "--ocr", "never", "-j2", "--reader", "pypdf", "--password", "x"], FAST),
    (["toc", "--ocr=always", TXT], FAST),
    (["--debug", "toc", TXT], FAST),
    (["-q", "toc", TXT], FAST),
    (["toc", TXT, "--ocr", "ALWAYS"], SLOW),  # case-insensitive choice: typer's conversion
    (["toc", TXT, "-j", "0"], SLOW),  # below its minimum
    (["toc", TXT, "--reader"], SLOW),
    (["toc", TXT, "--reader", "mupdf"], SLOW),
    (["toc", TXT, TXT], SLOW),  # one ISSUE only
    (["toc", TXT, "--bogus"], SLOW),
    (["toc", "--help"], SLOW),
    # export
    (["export", TXT], FAST),
    (["export", TXT, "-f", "json"], FAST),
    (["export", TXT, "--bom"], FAST),
    (["export", "--raw", TXT, "-f", "md"], FAST),
    (["export", TXT, TXT, "-r", "浙"], FAST),  # several issues, a region resolved
    (["export", TXT, "--home", "长三角"], FAST),
    (["export", TXT, "--home", "火星"], FAST),  # the callback's own error
    (["export"], FAST),  # the library's articles
    (["export", "--query", "古镇", "--since", "2021", "-f", "jsonl"], FAST),
    (["export", "--query", "没有这个词"], FAST),  # an empty export, said on stderr
    (["export", TXT, "--query", "古镇"], FAST),  # the command's own usage error
    (["export", "--home", "长三角"], FAST),
    (["export", TXT, "--bom", "-f", "json"], FAST),
    (["export", TXT, "-o", "-"], FAST),
    (["export", TXT, "-f", "xml"], SLOW),
    (["export", TXT, "-j", "x"], SLOW),
    (["export", TXT, "--query"], SLOW),
    (["export", "--help"], SLOW),
    # summary
    (["summary", TXT], FAST),
    (["summary", TXT, "-r", "浙江", "--format=md"], FAST),
    (["summary", "--json", TXT, "--max-chars", "40"], FAST),
    (["summary", TXT, "--home", "长三角", "-f", "text"], FAST),
    (["summary", TXT, "--max-chars", "5"], FAST),  # the command's own usage error
    (["summary", TXT, "-f", "docx"], FAST),  # needs -o
    (["summary", TXT, "-r", "火星"], FAST),  # the callback's own error
    (["summary"], FAST),  # no ISSUE: the command's own usage error
    (["summary", TXT, "--max-chars", "x"], SLOW),
    (["summary", TXT, "-f", "csv"], SLOW),  # not one of its formats
    (["summary", "--help"], SLOW),
]


@pytest.mark.parametrize(("args", "path"), LINES, ids=[" ".join(a) for a, _ in LINES])
def test_both_paths_print_the_same(env, tmp_path, args, path):
    got, taken = through_main(args, env, tmp_path)
    assert got == through_typer(args, env)
    assert taken == path


def test_outputs_are_what_a_reader_expects(env, tmp_path):
    """The table above compares the two paths; here, that they print the right thing."""
    (code, out, err), taken = through_main(["search", "产业", "-安吉", "-n1", "-f", "json"], env,
                                           tmp_path)
    hits = json.loads(out)
    assert taken == FAST and code == 0 and len(hits) == 1
    assert "产业" in hits[0]["title"] + hits[0]["body"]
    assert "安吉" not in hits[0]["title"] + hits[0]["body"]  # article 2 is about 安吉's 产业
    assert b"Showing the first 1 hits" in err
    (code, out, err), _ = through_main(["show", "1", "2"], env, tmp_path)
    assert out.decode().startswith("安吉推进竹产业链条延伸\n")
    (code, out, err), _ = through_main(["-q", "show", "9"], env, tmp_path)
    assert code == 4 and err.startswith(b"Error: ")


def spec_file(env: dict, name: str):
    from pathlib import Path

    return Path(env["XDG_CACHE_HOME"]) / "digest" / f"command-{name}.json"


@pytest.mark.parametrize("damage", [
    lambda key, text: f"{key[:-1]}X\n{text}",  # another key: a source file changed
    lambda key, text: f"{key}\n{text[:len(text) // 2]}",  # cut short
    lambda key, text: f"{key}\n" + text.replace('"options"', '"opts"'),  # not what code reads
    lambda key, text: f"{key}\n" + text.replace('"version": 1', '"version": 0'),
    lambda key, text: "",
])
def test_a_stale_or_damaged_spec_goes_to_typer_and_is_kept_again(env, tmp_path, damage):
    kept = spec_file(env, "list")
    key, _, text = kept.read_text("utf-8").partition("\n")
    kept.write_text(damage(key, text), "utf-8")
    got, taken = through_main(["list"], env, tmp_path)
    assert taken == SLOW and got == through_typer(["list"], env)
    assert kept.read_text("utf-8") == f"{key}\n{text}"  # kept again
    assert through_main(["list"], env, tmp_path)[1] == FAST


def test_a_spec_is_kept_by_typer_and_used_next(env, tmp_path):
    cache = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert through_main(["show", "1"], cache, tmp_path)[1] == SLOW
    assert sorted(p.name for p in (tmp_path / "cache" / "digest").iterdir()) == ["command-show.json"]
    assert through_main(["show", "1"], cache, tmp_path)[1] == FAST
    through_main(["path"], cache, tmp_path)  # no body of its own: kept as "typer runs it"
    assert json.loads(spec_file(cache, "path").read_text().partition("\n")[2])["command"] is None
    assert through_main(["path"], cache, tmp_path)[1] == SLOW


def test_shell_completion_goes_to_typer(env, tmp_path):
    completing = dict(env, _DIGEST_COMPLETE="complete_bash", COMP_WORDS="digest sea", COMP_CWORD="1")
    got, taken = through_main(["search", "古镇"], completing, tmp_path)
    assert taken == SLOW and got == through_typer(["search", "古镇"], completing)


# --- the values handed to a body: the same as typer's, in process ---------------------------------

def typer_values(name: str, args: list[str]) -> dict:
    """The keyword arguments typer's callback would pass to the body for ``args``."""
    from digest.cli.root import app

    group = typer.main.get_command(app)
    with group.make_context("digest", [name]) as root:
        command = group.get_command(root, name)
        ctx = command.make_context(name, list(args), parent=root)
    return {p.name: typer.main._normalize_collection_value(p, ctx.params[p.name])
            for p in command.params if p.expose_value}


VALUES = [
    ("search", ["古镇"]), ("search", ["a", "b", "-c", "-n7"]), ("search", ["x", "-r", "苏", "-r", "江苏"]),
    ("search", ["x", "--section", "政策", "--bulletin=决策", "--since", "2020"]),
    ("search", ["x", "-f", "tsv", "--json", "-o", "o.xlsx", "--library", "L"]),
    ("search", ["--", "--x", "-n"]), ("list", []), ("list", ["-f", "csv"]), ("show", ["a"]),
    ("show", ["a", "2", "--json"]), ("show", ["--", "a", "-2"]),
    ("toc", []), ("toc", ["a.pdf", "--ocr", "never", "-j", "3", "--max-size=2M", "-f", "csv"]),
    ("toc", ["--example", "--json", "--password", "p", "-o", "t.xlsx", "--reader", "pdfium"]),
    ("export", []), ("export", ["a", "b", "--bom", "--raw", "-r", "苏", "--home", "长三角"]),
    ("export", ["--query", "q", "--section", "s", "--bulletin=b", "--since", "2020", "--until",
                "2021", "--library", "L", "-f", "md", "-o", "x.md", "-j2"]),
]


@pytest.mark.parametrize(("name", "args"), VALUES)
def test_values_are_typer_values(name, args):
    spec = fastpath.describe(name)
    values, left = fastpath.read_command_line(spec["command"], args)
    expected = typer_values(name, args)
    assert left == []
    assert values == expected
    assert {k: type(v) for k, v in values.items()} == {k: type(v) for k, v in expected.items()}


def test_every_fast_command_has_a_spec():
    for name in ("search", "list", "show"):
        assert fastpath.describe(name)["command"]["body"].startswith("digest.cli.library_run:")
    for name in ("toc", "export"):
        assert fastpath.describe(name)["command"]["body"] == f"digest.cli.issue_run:run_{name}"
    assert fastpath.describe("summary")["command"]["body"] == "digest.cli.summary_run:run_summary"
    assert fastpath.describe("bookmarks")["command"] is None  # Path options: typer converts them
    assert fastpath.describe("add")["command"] is None  # no typer-free body (yet)


# --- any command declared with ``runs``: the options of `digest toc` and `add` ---------------------

def toc_like_body(issue, ocr, jobs, max_size, reader, format, json, example):
    """A body for the declaration below (the fast path imports it by name)."""


TocFormat = format_option(Fmt.table, Fmt.text, Fmt.json)


def toc_like_command():
    sub = App(cls=PlainValuesGroup)

    @sub.command("toc")
    @fastpath.runs(toc_like_body)
    def toc(issue: Annotated[str | None, typer.Argument()] = None, ocr: OcrOpt = OcrMode.AUTO,
            jobs: OcrJobsOpt = 1, max_size: MaxSizeOpt = None, reader: ReaderOpt = None,
            format: TocFormat = None, json: JsonOpt = False,
            example: ExampleOpt = False) -> None:
        """A command with the options of `digest toc`."""

    @sub.command("other")
    def other() -> None:
        """A second command, so that the group keeps its commands apart."""

    group = typer.main.get_command(sub)
    ctx = group.make_context("digest", ["toc"])
    return group.get_command(ctx, "toc"), ctx


@pytest.mark.parametrize("args", [[], ["a.pdf"], ["a.pdf", "--ocr", "never", "-j", "2"],
                                  ["--max-size", "5M", "a.pdf", "--reader", "pypdf"],
                                  ["-", "-f", "text", "--json", "--example"], ["--ocr=always"]])
def test_values_of_toc_like_options_are_typer_values(args):
    command, root = toc_like_command()
    spec = fastpath._describe(command, fastpath._context(command, "toc", root))
    values, left = fastpath.read_command_line(spec, args)
    ctx = command.make_context("toc", list(args), parent=root)
    expected = {p.name: typer.main._normalize_collection_value(p, ctx.params[p.name])
                for p in command.params}
    assert left == [] and values == expected
    assert {k: type(v) for k, v in values.items()} == {k: type(v) for k, v in expected.items()}


@pytest.mark.parametrize("args", [["--ocr", "ALWAYS"], ["-j", "0"], ["a", "b"], ["--reader"]])
def test_toc_like_lines_it_cannot_be_sure_of_go_to_typer(args):
    command, root = toc_like_command()
    spec = fastpath._describe(command, fastpath._context(command, "toc", root))
    with pytest.raises(fastpath.Unsure):
        fastpath.read_command_line(spec, args)
