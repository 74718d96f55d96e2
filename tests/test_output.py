"""`-o` through real processes: links followed, devices written in place, modes and umask kept,
wrong destinations refused before any parsing, a full disk reported as such (not exit 70)."""

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SAMPLES

from digest.errors import OutputError
from digest.output import OutputKind, resolve_output

ISSUE = str(SAMPLES / "issue-200.pdftotext-layout.txt")
FIRST_LINE = "source,bulletin,year,issue,date,publisher,seq,section,title,page"


def digest(*args, umask=None, cwd=None, **kw):
    def set_umask():
        os.umask(umask)

    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "digest", *args], text=True, timeout=120, cwd=cwd, preexec_fn=set_umask if umask is not None else None,
                          **kw)


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to("real.csv")
    result = digest("export", ISSUE, "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_text(encoding="utf-8").startswith(FIRST_LINE)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # an existing file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]  # no temp left


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_honours_the_umask(tmp_path, umask, mode):
    out = tmp_path / "new.csv"
    result = digest("export", ISSUE, "-o", str(out), umask=umask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_a_device_is_written_in_place_not_replaced():
    before = os.stat("/dev/null")
    result = digest("export", ISSUE, "-o", "/dev/null")
    assert result.returncode == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_dev_stdout_writes_through_the_shells_descriptor(tmp_path):
    out = tmp_path / "redirected.csv"
    with out.open("w") as fh:
        result = digest("export", ISSUE, "-o", "/dev/stdout", stdout=fh, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith(FIRST_LINE)


def test_a_fifo_is_written_not_renamed_over(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got = []
    # daemon: if digest dies before opening the FIFO, the blocked reader must not hang pytest's exit
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = digest("export", ISSUE, "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].decode("utf-8").startswith(FIRST_LINE)


def test_dash_is_stdout():
    result = digest("export", ISSUE, "-o", "-")
    assert result.returncode == 0 and result.stdout.startswith(FIRST_LINE)


@pytest.mark.parametrize(("output", "message"), [
    ("", "-o: the file name is empty; name a file, or - for standard output"),
    ("{tmp}", "{tmp}: is a folder; name a file in it, e.g. {tmp}/out.csv"),
    ("{tmp}/missing/x.csv",
     "{tmp}/missing/x.csv: the folder {tmp}/missing does not exist; create it first"),
])
def test_a_wrong_destination_is_refused_before_parsing(tmp_path, output, message):
    # The input does not exist: had the command parsed first, that would be the error.
    result = digest("export", str(tmp_path / "nothing.pdf"), "-o", output.format(tmp=tmp_path))
    assert result.returncode == OutputError.exit_code
    assert result.stderr == f"Error: {message.format(tmp=tmp_path)}\n"


def test_the_input_itself_is_refused(tmp_path):
    copy = tmp_path / "issue.txt"
    copy.write_bytes(Path(ISSUE).read_bytes())
    (tmp_path / "alias.txt").symlink_to(copy)
    result = digest("export", str(copy), "-o", str(tmp_path / "alias.txt"))
    assert result.returncode == OutputError.exit_code
    assert "is the input" in result.stderr
    assert copy.read_bytes() == Path(ISSUE).read_bytes()


def test_a_full_disk_is_named_not_a_bug():
    result = digest("export", ISSUE, "-o", "/dev/full")
    assert (result.returncode, result.stderr) == (
        OutputError.exit_code, "Error: /dev/full: the disk is full; free some space and run the command again\n")
    with open("/dev/full", "w") as full:
        result = digest("export", ISSUE, stdout=full, stderr=subprocess.PIPE)
    assert (result.returncode, result.stderr) == (
        OutputError.exit_code, "Error: standard output: the disk is full; free some space and run the command again\n")


def test_resolve_output_kinds(tmp_path):
    assert resolve_output(None).kind is OutputKind.STDOUT
    assert resolve_output("-").kind is OutputKind.STDOUT
    assert resolve_output("/dev/null").kind is OutputKind.SPECIAL
    dangling = tmp_path / "link"
    dangling.symlink_to(tmp_path / "target.csv")
    target = resolve_output(dangling)
    assert (target.kind, target.path) == (OutputKind.REGULAR, tmp_path / "target.csv")
