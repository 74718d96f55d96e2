"""A throw-away PostgreSQL server for tests and benchmarks, from the installed binaries.

``PgServer.start()`` runs ``initdb`` into a temporary folder and ``pg_ctl start`` on a free port
of 127.0.0.1 (trust authentication: only local connections, only for the test run), as the
``postgres`` user when we are root (PostgreSQL refuses to run as root). ``url(name)`` creates a
fresh database; ``stop()`` stops the server and deletes the folder (a watcher does both if the
process that started it dies first). ``find_bin`` returns None where PostgreSQL's server
binaries are not installed: the caller skips with a reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

START_TIMEOUT_S = 60  # pg_ctl -w waits this long for the server to accept connections
SUPERUSER = "postgres"
WATCH_S = 5  # how often the watcher checks that the process that started the server is alive


def find_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def cannot_run_as() -> str | None:
    """Why the server cannot be started by this user, or None: as root, PostgreSQL must run as
    the ``postgres`` user (which its packages create) through ``runuser``."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        return f"running as root and there is no {SUPERUSER!r} user to run PostgreSQL as"
    if shutil.which("runuser") is None:
        return "running as root and runuser (util-linux) is not installed"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="digest-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL will not run as root: run it as postgres
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
            self._as_user = ["runuser", "-u", SUPERUSER, "--"]
        self._n = 0

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as_user, *args], capture_output=True, text=True,
                              cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> PgServer:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=100")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.folder / "log"), "-o", options, "-w", "-t", str(START_TIMEOUT_S),
                  "start")
        self._watch()
        return self

    def _watch(self) -> None:
        """A detached shell that stops the server and deletes its folder once this process has
        gone, however it went (a test run killed by a timeout never reaches ``stop``)."""
        stop = " ".join([*self._as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data),
                         "-m", "immediate", "stop"])
        script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep {WATCH_S}; done; "
                  f"if [ -d {self.data} ]; then {stop} >/dev/null 2>&1; rm -rf {self.folder}; fi")
        subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def base_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}"

    def url(self, name: str | None = None) -> str:
        """A new, empty database's URL."""
        import psycopg

        self._n += 1
        name = name or f"t{self._n}"
        with psycopg.connect(f"{self.base_url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
