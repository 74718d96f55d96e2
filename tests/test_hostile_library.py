"""A library that is read-only, damaged or given abusive queries: named conditions, never
exit 70; full-width queries find what ASCII ones find."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from digest.cli import app
from digest.errors import CorruptLibraryError, QueryError, ReadOnlyLibraryError

runner = CliRunner()
ISSUE = str(SAMPLES / "issue-200.pdftotext-layout.txt")
PAGE = 4096


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib") / "library"
    result = runner.invoke(app, ["add", ISSUE, "--library", str(folder)])
    assert result.exit_code == 0, result.stderr
    return folder


def copy_of(library: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(library, target)
    return target


def digest(*args, prefix=()):
    return subprocess.run([*prefix, sys.executable, "-m", "digest", *args], capture_output=True,
                          text=True, timeout=120)


def test_full_width_query_finds_what_ascii_finds(library):
    ascii_hits = runner.invoke(app, ["search", "G60", "--library", str(library)])
    wide_hits = runner.invoke(app, ["search", "Ｇ６０", "--library", str(library)])
    assert ascii_hits.exit_code == wide_hits.exit_code == 0
    assert wide_hits.stdout == ascii_hits.stdout and "G60" in ascii_hits.stdout


@pytest.mark.parametrize(("depth", "message"), [
    (1000, "Error: The query '((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((…' "
           "has more than 200 terms and operators: search for fewer at a time\n"),
    (60, "Error: More than 50 nested '(' in query '((((((((((((((((((((((((((((((((((((((((("
         "(((((((((((((((((((…': simplify the query\n"),
])
def test_deeply_nested_parentheses_are_a_query_error(library, depth, message):
    result = runner.invoke(app, ["search", "(" * depth + "养老" + ")" * depth,
                                 "--library", str(library)])
    assert (result.exit_code, result.stderr) == (QueryError.exit_code, message)


# Without CAP_DAC_OVERRIDE even root obeys file modes: the library is really read-only.
NO_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")


@pytest.fixture
def read_only(library, tmp_path):
    folder = copy_of(library, tmp_path)
    (folder / "library.db").chmod(0o444)
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                    reason="as root, needs setpriv to drop the permission override")
def test_a_read_only_library_is_read_but_not_changed(read_only, library):
    prefix = NO_OVERRIDE if os.geteuid() == 0 else ()
    lib = ("--library", str(read_only))
    search = digest("search", "养老", *lib, prefix=prefix)
    assert search.returncode == 0, search.stderr
    assert search.stdout == digest("search", "养老", "--library", str(library)).stdout
    listed = digest("list", *lib, prefix=prefix)
    assert (listed.returncode, len(listed.stdout.splitlines())) == (0, 1)
    assert digest("show", "1", "3", *lib, prefix=prefix).returncode == 0
    exported = digest("export", *lib, "-f", "jsonl", prefix=prefix)
    assert (exported.returncode, len(exported.stdout.splitlines())) == (0, 22)
    for command in (("add", str(SAMPLES / "issue-200.pdf")), ("remove", "1")):
        result = digest(*command, *lib, prefix=prefix)
        assert result.returncode == ReadOnlyLibraryError.exit_code
        assert "is read-only" in result.stderr and "Traceback" not in result.stderr
    assert sorted(os.listdir(read_only)) == ["library.db"]


def zero_page(db: Path, page: int) -> None:
    with db.open("r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(bytes(PAGE))


def root_page(db: Path, name: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]


def test_a_zeroed_page_is_reported_as_a_corrupted_library(library, tmp_path):
    folder = copy_of(library, tmp_path)
    db = folder / "library.db"
    zero_page(db, root_page(db, "articles"))
    for command in (("search", "养老"), ("show", "1"), ("export",), ("check",), ("check", "--repair")):
        result = digest(*command, "--library", str(folder))
        assert result.returncode == CorruptLibraryError.exit_code, (command, result.stderr)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    result = digest("search", "养老", "--library", str(folder))
    assert result.stderr.startswith(f"Error: The library {db} is corrupted (SQLite: database "
                                    "disk image is malformed). Restore a backup copy")


def test_check_repairs_a_damaged_search_index(library, tmp_path):
    folder = copy_of(library, tmp_path)
    db = folder / "library.db"
    assert digest("check", "--library", str(folder)).returncode == 0
    zero_page(db, root_page(db, "article_fts_data"))
    assert digest("check", "--library", str(folder)).returncode == CorruptLibraryError.exit_code
    repaired = digest("check", "--repair", "--library", str(folder))
    assert repaired.returncode == 0, repaired.stderr
    assert "rebuilt the search index" in repaired.stderr
    assert (folder / "library.db.before-repair").exists()
    after = digest("search", "养老", "--library", str(folder))
    assert after.stdout == digest("search", "养老", "--library", str(library)).stdout != ""
    assert stat.S_ISREG(db.stat().st_mode)
