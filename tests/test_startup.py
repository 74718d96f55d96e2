"""Start-up: each command imports what it uses. `digest --help`, `search`, `list` and `show`
load no PDF reader, no segmenter, no fuzzy matcher and no pydantic (which typer would import to
convert values; see digest/cli/plain_values.py), and no module of another command (the group
imports a command's module when it runs: digest/cli/lazy.py). `digest --help` kept from an
earlier run loads no typer at all (digest/cli/fasthelp.py), and prints what click prints; nor
do search, list, show and toc once their spec is kept (digest/cli/fastpath.py, whose own tests are
tests/test_fastpath.py).
Checked in fresh interpreters, through the same entry point as the console script; what is
asserted is which modules are loaded, never how long anything takes."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from importlib import import_module

import pytest
import typer
from conftest import REPO

from digest import usercache
from digest.cli import COMMANDS, app, fasthelp
from digest.cli.plain_values import _UNHANDLED, plain_converter

HEAVY = ("pypdf", "pypdfium2", "jieba", "rapidfuzz", "pydantic", "rich")
RUN = ("import runpy, sys\n"
       "sys.argv = ['digest'] + sys.argv[1:]\n"
       "try:\n    runpy.run_module('digest', run_name='__main__')\n"
       "except SystemExit as exc:\n    code = exc.code\n"
       "print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules))\n")


# The modules of the commands that search, list and show do not run, and what they use.
OTHER_COMMANDS = ("digest.cli.issue_cmds", "digest.cli.summary_cmd", "digest.cli.trends_cmd",
                  "digest.cli.bookmarks_cmd", "digest.issue", "digest.enrich", "digest.export",
                  "digest.trends", "digest.bookmarks")
# What the library's add path, the data loader or the parsers would pull in (a query is
# normalised by digest.normalize alone, without digest.text's other clean-ups or the config).
# An up-to-date library is opened without the upgrade's reporting (digest.library.upgrade).
UNUSED_BY_SEARCH = ("multiprocessing", "concurrent.futures", "hashlib", "importlib.resources",
                    "zipfile", "tomllib", "digest.text", "digest.config", "digest.library.upgrade",
                    "digest.cli.upgrade_view")
TYPER = ("typer", "digest.cli.root", "digest.cli.common", "digest.library", "digest.models")


def loaded_by(*args: str, watch=HEAVY, env: dict | None = None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RUN.format(heavy=watch), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})))
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("LOADED")]
    assert line, done.stderr
    return eval(line[-1][len("LOADED "):])


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib")
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["add", str(REPO / "tests" / "data" / "other-bulletin.txt"),
                                      "--library", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_help_loads_nothing_heavy(tmp_path):
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    assert loaded_by("--help", env=cache) == []  # the first time: through typer
    assert loaded_by("--help", watch=HEAVY + TYPER, env=cache) == []  # then: from the cache
    assert loaded_by(watch=HEAVY + TYPER, env=cache) == []  # `digest` alone prints it too
    assert loaded_by("--version", watch=HEAVY + TYPER, env=cache) == []
    assert loaded_by("search", "--help") == []
    assert loaded_by("search", "--help", watch=OTHER_COMMANDS) == []


# What only a command line read by typer loads (digest/cli/fastpath.py reads the others).
TYPER_ONLY = ("typer", "click", "digest.cli.root", "digest.cli.options", "digest.cli.lazy",
              "digest.cli.library_cmds", "digest.cli.helpfmt")


@pytest.mark.parametrize("args", [["search", "南浔"], ["search", "古镇", "-n", "5", "-f", "json"],
                                  ["list"], ["show", "1"], ["list", "--format", "tsv"],
                                  ["search", "古镇", "-r", "浙江"]])
def test_library_commands_load_nothing_heavy(lib, args, tmp_path):
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    watch = HEAVY + OTHER_COMMANDS + UNUSED_BY_SEARCH
    assert loaded_by(*args, "--library", str(lib), watch=watch, env=cache) == []  # typer's
    assert loaded_by(*args, "--library", str(lib), watch=watch + TYPER_ONLY, env=cache) == []


# --- commands registered lazily ------------------------------------------------------------------

def test_commands_lists_every_command_and_only_them():
    import digest.cli

    for module in pkgutil.iter_modules(digest.cli.__path__):  # every module, listed or not
        import_module(f"digest.cli.{module.name}")
    registered = [c.name or typer.main.get_command_name(c.callback.__name__)
                  for c in app.registered_commands]
    registered += [g.name if isinstance(g.name, str) else g.typer_instance.info.name
                   for g in app.registered_groups]
    assert sorted(registered) == sorted(COMMANDS)
    group = typer.main.get_command(app)
    assert group.list_commands(None) == list(COMMANDS)
    assert all(group.get_command(None, name).name == name for name in COMMANDS)


def test_a_mistyped_command_is_still_suggested():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["serch", "x"])
    assert result.exit_code == 2 and "Did you mean 'search'?" in result.output


# --- the top-level help kept in the cache ---------------------------------------------------------

MAIN = "import runpy, sys\nsys.argv = ['digest'] + sys.argv[1:]\nrunpy.run_module('digest', run_name='__main__')"
CLICK = "import sys\nfrom digest.cli.root import app\nsys.argv[0] = 'digest'\napp(prog_name='digest')"


def run(code: str, args: list[str], env: dict) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, **env))
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("columns", ["80", "200", "60", "40"])
@pytest.mark.parametrize("args", [["--help"], []])
def test_kept_help_is_what_click_prints(tmp_path, columns, args):
    env = {"XDG_CACHE_HOME": str(tmp_path), "COLUMNS": columns}
    clicks = run(CLICK, args, env)  # typer and click, no cache involved
    assert clicks[0] == (0 if args else 2) and "Commands:" in (clicks[1] + clicks[2])
    first = run(MAIN, args, env)  # renders, keeps
    assert list((tmp_path / "digest").iterdir()) == [tmp_path / "digest" / f"help-{columns}.txt"]
    kept = run(MAIN, args, env)  # from the cache
    assert first == clicks and kept == clicks


def test_kept_help_is_used_only_while_its_key_holds(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "80"}
    run(MAIN, ["--help"], env)
    kept = tmp_path / "digest" / "help-80.txt"
    key, _, text = kept.read_text("utf-8").partition("\n")
    kept.write_text(f"{key}\nkept text", "utf-8")
    assert run(MAIN, ["--help"], env) == (0, "kept text\n", "")
    kept.write_text(f"{key[:-1]}X\nkept text", "utf-8")  # another version of a source file
    assert run(MAIN, ["--help"], env) == (0, text + "\n", "")
    assert kept.read_text("utf-8") == f"{key}\n{text}"  # rendered again and kept


def test_help_key_follows_the_source(monkeypatch):
    key = fasthelp._key(80)
    assert key != fasthelp._key(79)
    stat = os.stat
    root_py = os.path.join(os.path.dirname(fasthelp.__file__), "root.py")
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: (
        os.stat_result((0,) * 7 + (1, 2, 3)) if p == root_py else stat(p, *a, **k)))
    assert fasthelp._key(80) != key


def test_user_cache_folder_is_platformdirs_folder(monkeypatch, tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_CACHE_HOME steers platformdirs on Linux only")
    import platformdirs

    for value in (str(tmp_path), "", "  "):
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        assert usercache.folder() == platformdirs.user_cache_dir("digest")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert usercache.folder() == platformdirs.user_cache_dir("digest")


def plain_params():
    group = typer.main.get_command(app)
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        for param in command.params:
            if plain_converter(param) is not None:
                yield command, param


SAMPLES = [None, "", "上海", "0", "7", "20", "-3", "007", "1e3", "x", "5.0", "json", "JSON", "tsv",
           ("a", "b"), ["江苏"], (), True, False, 5]


def test_plain_conversion_is_typer_conversion():
    """For every value the light path converts, typer (through pydantic) gives the same."""
    checked = 0
    for command, param in plain_params():
        light = plain_converter(param)
        ctx = typer.Context(command)
        param._runtime_param = None
        full = param.get_runtime_param()
        for value in SAMPLES:
            got = light._convert(value)
            if got is _UNHANDLED:
                continue
            expected = full.coerce(value, param=param, ctx=ctx)
            assert (got, type(got)) == (expected, type(expected)), (command.name, param.name, value)
            checked += 1
        param._runtime_param = None
    assert checked > 100


def test_values_the_light_path_leaves_get_typer_errors(lib):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["search", "古镇", "-n", "x", "--library", str(lib)])
    assert result.exit_code == 2 and "-n" in result.output
    result = CliRunner().invoke(app, ["search", "古镇", "-n", "-1", "--library", str(lib)])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["list", "-f", "JSON", "--library", str(lib)])
    assert result.exit_code == 0 and result.output.startswith("[")  # case-insensitive: typer's


def test_toc_loads_one_reader_and_no_rich_when_piped():
    """Reading an issue loads the reader asked for and no other; with stderr not a terminal
    no progress bar is drawn, so rich is not imported for one either."""
    pdf = str(REPO / "samples" / "issue-200.pdf")
    assert loaded_by("toc", pdf, "--json", watch=("rich", "pypdfium2", "jieba")) == []
    # PDFium's library is loaded without pypdfium2's bindings (digest/pdfium.py)
    assert loaded_by("toc", pdf, "--reader", "pdfium",
                     watch=("rich", "pypdf", "jieba", "pypdfium2", "pypdfium2_raw")) == []


# What `digest toc` has no use for: another command's modules, the library, enrichment.
UNUSED_BY_TOC = ("digest.cli.library_run", "digest.cli.library_cmds", "digest.cli.summary_cmd",
                 "digest.cli.trends_cmd", "digest.cli.bookmarks_cmd", "digest.library",
                 "sqlite3", "digest.enrich", "digest.tokens", "jieba", "digest.export")


@pytest.mark.parametrize("args", [["toc", str(REPO / "samples" / "issue-200.pdf")],
                                  ["toc", str(REPO / "tests" / "data" / "other-bulletin.txt"),
                                   "-f", "json"]])
def test_toc_on_the_fast_path_loads_no_typer(args, tmp_path):
    """Once its spec is kept, `digest toc` runs without typer (digest/cli/fastpath.py), and
    neither path loads rich (piped), the library or enrichment."""
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    watch = ("rich", "pypdfium2", *UNUSED_BY_TOC)
    assert loaded_by(*args, watch=watch, env=cache) == []  # typer's, which keeps the spec
    assert loaded_by(*args, watch=watch + TYPER_ONLY, env=cache) == []


# What a PDF read by PDFium has no use for, once the first run has kept the parse of the TOML
# data files (digest/config.py): TOML, pypdf's logging, the median of text without page marks,
# pypdfium2's bindings (digest/pdfium.py loads PDFium itself).
UNUSED_BY_TOC_PDFIUM = ("tomllib", "typing", "logging", "statistics", "pypdfium2_raw", "pypdf")


def test_toc_with_pdfium_loads_no_toml_parser_once_kept(tmp_path):
    pytest.importorskip("pypdfium2")
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    args = ("toc", str(REPO / "samples" / "issue-200-notoc.pdf"), "--reader", "pdfium")
    assert "tomllib" in loaded_by(*args, watch=("tomllib",), env=cache)  # parsed, and kept
    assert loaded_by(*args, watch=UNUSED_BY_TOC_PDFIUM + TYPER_ONLY, env=cache) == []


def test_the_tests_keep_their_own_cache(tmp_path_factory):
    """conftest's ``private_cache``: digest run by any test (subprocesses inherit it) keeps its
    help, specs and tables under the session's temporary folder, not in ~/.cache/digest."""
    base = str(tmp_path_factory.getbasetemp())
    assert usercache.folder().startswith(base + os.sep)
    done = subprocess.run([sys.executable, "-c", "from digest import usercache\n"
                           "print(usercache.folder())"], capture_output=True, text=True)
    assert done.stdout.strip() == usercache.folder()
