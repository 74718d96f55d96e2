"""Every example in `digest --help` and in each command's help runs as written, with the
installed `digest` (the console script beside this Python), from an empty folder and an empty
library: the examples may only use what a plain `pip install .` ships (``--example`` reads the
sample issue inside the package)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from digest.cli import app

runner = CliRunner()
SCRIPT = Path(sys.executable).with_name("digest")
# The order a new user would follow: read a file, fill the library, use it, empty it.
FIRST = ("", "path", "toc", "summary", "export-files", "add")
LAST = ("remove",)
EXAMPLE = re.compile(r"^\s*(?:Examples?:)?\s*((?:[A-Z_]+=\S+ )?digest\b.*)$")


def commands() -> list[str]:
    """Every command, and every group and its commands as ``GROUP COMMAND``."""
    group = typer.main.get_command(app)
    names = []
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        names += [name, *(f"{name} {sub}" for sub in getattr(command, "commands", ()))]
    return sorted(names)


def examples(help_text: str) -> list[str]:
    """The command lines under ``Example:`` / ``Examples:`` in a help text."""
    found, inside = [], False
    for line in help_text.splitlines():
        head = line.strip()
        if head.startswith(("Example:", "Examples:")):
            inside = True
        elif not head or not head.startswith(("digest", "DIGEST_")):
            inside = False
        m = EXAMPLE.match(line)
        if inside and m:
            found.append(m[1])
    return found


def help_examples() -> dict[str, list[str]]:
    texts = {"": runner.invoke(app, ["--help"]).stdout}
    texts |= {c: runner.invoke(app, [*c.split(), "--help"]).stdout for c in commands()}
    return {c: examples(t) for c, t in texts.items()}


@pytest.mark.parametrize("command", ["", *commands()])
def test_every_help_has_an_example(command):
    assert help_examples()[command], f"`digest {command} --help` shows no example"


def ordered(found: dict[str, list[str]]) -> list[str]:
    def rank(item) -> int:
        name, line = item
        key = "export-files" if name == "export" and "--example" in line else name
        if key in FIRST:
            return FIRST.index(key)
        return len(FIRST) + (LAST.index(key) + 1 if key in LAST else 0)

    pairs = [(name, line) for name, lines in found.items() for line in lines]
    return [line for _, line in sorted(pairs, key=rank)]


def test_the_examples_run_as_written_after_install(tmp_path):
    if not SCRIPT.exists():
        pytest.skip(f"no installed console script at {SCRIPT} (pip install . first)")
    env = dict(os.environ, HOME=str(tmp_path), DIGEST_HOME=str(tmp_path / "library"),
               PATH=f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    work = tmp_path / "work"
    work.mkdir()
    for line in ordered(help_examples()):
        done = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{line!r} exited {done.returncode}: {done.stderr}"
        assert done.stdout or any(work.iterdir()), f"{line!r} printed and wrote nothing"
