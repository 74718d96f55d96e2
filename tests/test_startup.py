"""Start-up: each command imports what it uses. `digest --help`, `search`, `list` and `show`
load no PDF reader, no segmenter, no fuzzy matcher and no pydantic (which typer would import to
convert values; see digest/cli/plain_values.py). Checked in fresh interpreters, through the
same entry point as the console script."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from conftest import REPO

from digest.cli import app
from digest.cli.plain_values import _UNHANDLED, plain_converter

HEAVY = ("pypdf", "pypdfium2", "jieba", "rapidfuzz", "pydantic", "rich")
RUN = ("import runpy, sys\n"
       "sys.argv = ['digest'] + sys.argv[1:]\n"
       "try:\n    runpy.run_module('digest', run_name='__main__')\n"
       "except SystemExit as exc:\n    code = exc.code\n"
       "print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules))\n")


def loaded_by(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RUN.format(heavy=HEAVY), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
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


def test_help_loads_nothing_heavy():
    assert loaded_by("--help") == []
    assert loaded_by("search", "--help") == []


@pytest.mark.parametrize("args", [["search", "南浔"], ["search", "古镇", "-n", "5", "-f", "json"],
                                  ["list"], ["show", "1"], ["list", "--format", "tsv"]])
def test_library_commands_load_nothing_heavy(lib, args):
    assert loaded_by(*args, "--library", str(lib)) == []


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
