"""Real parts for the reliability suite: a `recipes serve` (gunicorn) process group,
the `recipes` command (from tests/support/live_server.py), and HTTP clients for the API (bearer
token) and the web forms.

Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

# The CLI helpers, also imported from here by the reliability tests.
from tests.support.live_server import PASSWORD, REPO, environment
from tests.support.live_server import add_token as add_token
from tests.support.live_server import add_user as add_user
from tests.support.live_server import recipes_cli as recipes_cli
from tests.support.system import free_port

START_TIMEOUT = 30.0


@dataclass
class Server:
    """`recipes serve` (gunicorn, 2 workers) in its own process group."""

    data_dir: Path
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError(f"server not healthy within {timeout} s:\n{self.log()}")

    def reload_workers(self, timeout: float = 20) -> None:
        """SIGHUP: gunicorn forks fresh workers (which open the database anew)."""
        marker = "Booting worker with pid"
        before = self.log().count(marker)
        os.kill(self.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while self.log().count(marker) < before + 2:
            if time.monotonic() > deadline:
                raise AssertionError(f"workers not replaced:\n{self.log()}")
            time.sleep(0.05)
        time.sleep(0.3)  # the old workers finish and exit

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        _wait_group_gone(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        _wait_group_gone(self.proc.pid)


def _wait_group_gone(pgid: int, timeout: float = 10) -> None:
    """Workers of a killed master must be dead before the database is inspected.

    Dead means gone or a zombie: orphans wait for PID 1 to reap them, which can be slow.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running_in_group(pgid):
            return
        time.sleep(0.01)
    raise AssertionError(f"process group {pgid} still running")


def _running_in_group(pgid: int) -> list[int]:
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: any member, zombie or not
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def start_server(data_dir: Path, workers: int = 2, **env: str) -> Server:
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"server-{port}.log"
    command = [sys.executable, "-m", "recipes", "serve", "--server", "gunicorn"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            env=environment(data_dir, RECIPES_WORKERS=str(workers), **env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill reaches the workers
        )
    return Server(data_dir, port, proc, log_path)


@contextmanager
def running(data_dir: Path, workers: int = 2, **env: str) -> Iterator[Server]:
    server = start_server(data_dir, workers, **env)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def api_session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1)


@dataclass
class Browserless:
    """The web forms driven over HTTP, CSRF tokens and all (no browser needed)."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kwargs)

    def submit(self, form_path: str, data: dict[str, str], action: str | None = None):
        """GET the form page for its CSRF token, then POST the fields to it (or `action`)."""
        return self.post(action or form_path, data, csrf_of(self.get(form_path).text))

    def post(self, path: str, data: dict[str, str], token: str) -> requests.Response:
        """POST a form with a CSRF token fetched earlier (it stays valid for the session)."""
        return self.session.post(
            self.base + path, data={"csrf_token": token, **data}, allow_redirects=False, timeout=30
        )

    def register(self, username: str, password: str = PASSWORD) -> requests.Response:
        data = {"username": username, "password": password, "confirm": password}
        return self.submit("/auth/register", data)

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.submit("/auth/login", {"username": username, "password": password})


def integrity(database: Path) -> str:
    db = sqlite3.connect(database, timeout=15)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def rows(database: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    db = sqlite3.connect(database, timeout=15)
    db.row_factory = sqlite3.Row
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()
