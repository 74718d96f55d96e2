"""jieba: loaded only when needed, quiet, cached in the user cache folder, with the gazetteer's
words as single tokens. Process-level facts are checked in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

from digest import tokens


def run_python(code: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), **(env_extra or {}))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          cwd=REPO, env=env, timeout=120)


def test_gazetteer_names_are_single_tokens():
    for name in ("临港新片区", "苏州工业园区", "宁波舟山港", "长三角一体化示范区", "三省一市"):
        assert name in tokens.cut(f"近日{name}发布新举措"), name


def test_space_next_to_chinese_is_not_a_word_break():
    assert tokens.cut("推进 G60 科创走廊建设") == ["推进", "G60科创走廊", "建设"]
    assert tokens.cut("Model 3") == ["Model", "3"]


def test_importing_the_cli_and_running_toc_do_not_load_jieba():
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from digest.cli import app\n"
            "assert 'jieba' not in sys.modules, 'import'\n"
            "r = CliRunner().invoke(app, ['--help'])\n"
            "assert r.exit_code == 0 and 'jieba' not in sys.modules, 'help'\n"
            f"r = CliRunner().invoke(app, ['toc', {str(SAMPLES / 'issue-200.pdf')!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "assert 'jieba' not in sys.modules, 'toc'\n"
            "print('ok')\n")
    done = run_python(code)
    assert done.stdout.strip() == "ok", done.stderr


def test_jieba_is_quiet_and_caches_in_the_user_cache_folder(tmp_path: Path):
    if sys.platform != "linux":
        pytest.skip("XDG_CACHE_HOME steers platformdirs on Linux only")
    code = "from digest import tokens\nprint(' '.join(tokens.cut('上海临港新片区发布规划')))\n"
    done = run_python(code, {"XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.split() == ["上海", "临港新片区", "发布", "规划"]
    assert (tmp_path / "digest" / tokens.CACHE_FILE).is_file()
