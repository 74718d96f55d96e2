"""Bounded input and processes that die together, through real processes.

A FIFO or a device is refused without being opened; `digest add --jobs 2` leaves no worker
behind when it is killed (SIGKILL included) and never holds the caller's pipe; SIGTERM ends a
run like Ctrl-C: exit 143, issues stored before stay whole.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from digest.cli import app
from digest.errors import EXIT_TERMINATED, InputError

TEXT = (SAMPLES / "issue-200.pdftotext-layout.txt").read_text(encoding="utf-8")
runner = CliRunner()


def test_a_fifo_is_refused_at_once_without_being_opened(tmp_path):
    fifo = tmp_path / "issue.pdf"
    os.mkfifo(fifo)  # opening it for reading would block forever: no writer comes
    start = time.monotonic()
    result = runner.invoke(app, ["toc", str(fifo)])
    assert time.monotonic() - start < 1.0
    assert result.exit_code == InputError.exit_code
    assert result.stderr == (f"Error: {fifo}: is a FIFO (named pipe), not a file; save the issue "
                             "to a file, or pipe it in with - for stdin\n")


def test_a_device_is_refused_and_a_size_cap_applies(tmp_path):
    result = runner.invoke(app, ["toc", "/dev/zero"])
    assert (result.exit_code, result.stderr) == (2, "Error: /dev/zero: is a character device, "
                                                    "not a file; save the issue to a file, or "
                                                    "pipe it in with - for stdin\n")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    result = runner.invoke(app, ["toc", str(big), "--max-size", "2K"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {big}: larger than --max-size 2K (2.9K);")
    result = runner.invoke(app, ["toc", "-", "--max-size", "2K"], input="x" * 3000)
    assert result.stderr.startswith("Error: stdin: larger than --max-size 2K;")


def issue_files(folder: Path, n: int) -> Path:
    """``n`` different copies of the sample text (different bytes: each is its own issue)."""
    folder.mkdir()
    for i in range(n):
        (folder / f"issue-{i:02}.txt").write_text(TEXT + f"\n第 {i} 份\n", encoding="utf-8")
    return folder


def session_processes(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # fields[3]: session id; Z: a zombie
            pids.append(int(entry.name))
    return pids


def start_add(tmp_path, n_files: int):
    folder = issue_files(tmp_path / "issues", n_files)
    proc = subprocess.Popen([sys.executable, "-m", "digest", "add", str(folder), "--jobs", "2",
                             "--library", str(tmp_path / "lib")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(session_processes(proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # the parent, the forkserver and at least one worker
    assert len(session_processes(proc.pid)) >= 3, "workers never started"
    return proc


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_no_worker_outlives_a_killed_add(tmp_path):
    proc = start_add(tmp_path, 8)
    time.sleep(1.0)  # workers busy parsing
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = session_processes(proc.pid)
    for pid in left:  # don't leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []
    proc.stdout.read()  # EOF: no worker holds the caller's pipe
    proc.stderr.read()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_sigterm_ends_add_like_ctrl_c_and_keeps_what_was_stored(tmp_path):
    proc = start_add(tmp_path, 8)
    db = tmp_path / "lib" / "library.db"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and _stored(db) < 1:
        time.sleep(0.2)  # at least one issue committed
    os.kill(proc.pid, signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_TERMINATED, err
    assert err.decode().splitlines()[-1] == "Terminated."
    deadline = time.monotonic() + 5
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []
    with sqlite3.connect(db) as conn:
        per_issue = conn.execute("SELECT count(*) FROM articles GROUP BY issue_id").fetchall()
    assert 1 <= len(per_issue) < 8
    assert {n for (n,) in per_issue} == {22}  # every stored issue whole


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM issues").fetchone()[0]
    except sqlite3.Error:
        return 0


def one_megabyte_line_issue(tmp_path: Path) -> Path:
    """The sample issue with a 1 MB single-line paragraph in its first article."""
    lines = TEXT.splitlines()
    at = next(n for n, line in enumerate(lines) if "宣告在" in line)
    flat = "".join(line.strip() for line in lines[at:])
    line = (flat * (1_000_000 // len(flat.encode()) + 1)).encode()[:1_000_000]
    path = tmp_path / "long-line.txt"
    path.write_text("\n".join([*lines[:at + 1], line.decode("utf-8", "ignore"), *lines[at + 1:]]),
                    encoding="utf-8")
    return path


def test_a_one_megabyte_line_is_parsed(tmp_path):
    """Completes (the time is measured by benchmarks/bench_hostile.py, not here)."""
    path = one_megabyte_line_issue(tmp_path)
    result = subprocess.run([sys.executable, "-m", "digest", "toc", str(path), "-f", "tsv"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 22


def test_clause_spacing_is_linear_and_still_right():
    from digest.text import tidy_spaces

    assert tidy_spaces("金融产业园开园 集聚基金规模已突破千亿元", keep_clause_space=True) == (
        "金融产业园开园 集聚基金规模已突破千亿元")
    assert tidy_spaces("第 一 章 总 则", keep_clause_space=True) == "第一章总则"
    start = time.monotonic()
    long = tidy_spaces("长三角 一体化 " * 50_000, keep_clause_space=True)
    assert time.monotonic() - start < 5  # quadratic took minutes
    assert long == "长三角一体化" * 50_000


def test_warnings_past_a_limit_become_a_count(capsys):
    from digest.cli.common import WARNINGS_SHOWN, warn_all

    warn_all([f"entry {n} has no body" for n in range(1000)], "big.txt")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == WARNINGS_SHOWN + 1
    assert lines[0] == "Warning: big.txt: entry 0 has no body"
    assert lines[-1] == f"Warning: big.txt: {1000 - WARNINGS_SHOWN} more warnings not shown (1000 in all)"


# A worker terminated while it writes its result leaves half a message in the result pipe; the
# executor's manager thread then waited for the rest for ever, and a SIGTERM'd `add` never ended
# (seen on a loaded machine). The window is while a result crosses the pipe: a 400 MB result
# takes a few tenths of a second, and the delays below sweep across it.
HALF_WRITTEN = """
import concurrent.futures as cf, multiprocessing, os, sys, time
from digest.library.ingest import _terminate_workers

def big(marker):
    data = b"x" * (400 << 20)
    open(marker, "w").close()
    return data

if __name__ == "__main__":
    marker, delay = sys.argv[1], float(sys.argv[2])
    pool = cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(big, marker)
    while not os.path.exists(marker):
        time.sleep(0.001)
    time.sleep(delay)
    _terminate_workers(pool)
    pool.shutdown(wait=True, cancel_futures=True)
    print("ended")
"""


def test_workers_terminated_mid_result_do_not_hang_the_run(tmp_path):
    script = tmp_path / "half_written.py"
    script.write_text(HALF_WRITTEN)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for delay in (0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0):
        marker = tmp_path / f"marker-{delay}"
        try:
            done = subprocess.run([sys.executable, str(script), str(marker), str(delay)], env=env,
                                  capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"terminating the workers {delay} s into a result hung the pool")
        assert done.stdout == "ended\n", done.stderr
