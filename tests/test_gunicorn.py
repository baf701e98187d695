"""`recipes serve` for real: gunicorn with two workers (and waitress), no Docker.

Each test starts the command in a child process on a free port with its own data
folder, talks to it over 127.0.0.1, and stops it with SIGTERM.
"""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from recipes.serving import gunicorn_options
from tests.support.system import free_port

ROOT = Path(__file__).resolve().parent.parent
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="gunicorn runs on POSIX only")


class Server:
    """A `recipes serve` child process and the lines it has printed so far."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc = proc
        self.port = port
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode}:\n{self.output}")
            try:
                if get(self.port, "/healthz", timeout=1)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"server not healthy within {timeout} s:\n{self.output}")

    def wait_output(self, text: str, timeout: float = 10) -> None:
        """Output arrives through a pipe and a reader thread: give it a moment."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} not printed within {timeout} s:\n{self.output}")
            time.sleep(0.05)

    def wait_workers(self, count: int, timeout: float = 10) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.worker_pids()

    def worker_pids(self) -> list[int]:
        marker = "Booting worker with pid: "
        return [int(line.split(marker)[1]) for line in self.lines if marker in line]


def get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{port}{path}"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def stall(port: int) -> socket.socket:
    """Open a connection that sends half a request, keeping one sync worker busy."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sock


def serve_command(port: int, *extra: str) -> list[str]:
    # `recipes serve` without relying on the console script being installed.
    return [
        sys.executable,
        "-c",
        "from recipes.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]


@contextmanager
def running(tmp_path: Path, *extra: str, workers: int = 2, **settings: str) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        **settings,
        "PYTHONPATH": str(ROOT),
        "RECIPES_DATA_DIR": str(tmp_path / "data"),
        "RECIPES_WORKERS": str(workers),
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        serve_command(port, *extra),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(proc, port)
    try:
        yield server
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def terminate(server: Server, timeout: float = 10) -> float:
    """SIGTERM the server; return how long it took to exit."""
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=timeout)
    return time.monotonic() - started


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@POSIX_ONLY
def test_serve_prints_url_and_answers(tmp_path: Path) -> None:
    with running(tmp_path) as server:
        server.wait_healthy()
        server.wait_output(f"Serving Recipes on http://127.0.0.1:{server.port} (gunicorn)")
        status, body = get(server.port, "/healthz", timeout=3)
        assert status == 200
        assert b'"ok"' in body
        server.wait_output("Using worker: sync")
        assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


@POSIX_ONLY
def test_two_workers_serve_concurrently(tmp_path: Path) -> None:
    with running(tmp_path, workers=2) as server:
        server.wait_healthy()
        # One worker is held by a half-sent request; the other still answers.
        first = stall(server.port)
        try:
            started = time.monotonic()
            assert get(server.port, "/healthz", timeout=5)[0] == 200
            assert time.monotonic() - started < 2
            # With both workers held, nothing is left to answer: proof there are two,
            # not a threaded server that would answer anyway.
            second = stall(server.port)
            try:
                with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
                    get(server.port, "/healthz", timeout=1.5)
            finally:
                second.close()
        finally:
            first.close()
        # Released, the workers answer again.
        assert get(server.port, "/healthz", timeout=5)[0] == 200
        assert len(set(server.wait_workers(2))) == 2


@POSIX_ONLY
def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    with running(tmp_path) as server:
        server.wait_healthy()
        workers = server.wait_workers(2)
        assert len(workers) == 2, server.output
        took = terminate(server)
        assert server.proc.returncode == 0, server.output
        assert took < 5, f"took {took:.1f} s to stop"
        server.wait_output("Shutting down: Master", timeout=5)
        assert not [pid for pid in workers if pid_alive(pid)]
        # The port is free again.
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", server.port))


def test_waitress_serves_on_request(tmp_path: Path) -> None:
    with running(tmp_path, "--server", "waitress") as server:
        server.wait_healthy()
        server.wait_output(f"Serving Recipes on http://127.0.0.1:{server.port} (waitress)")
        assert get(server.port, "/healthz", timeout=3)[0] == 200
        assert "Booting worker" not in server.output


def test_container_config_uses_the_same_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RECIPES_BIND", "RECIPES_WORKERS", "RECIPES_THREADS", "RECIPES_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "build" / "gunicorn.conf.py"))
    settings = {key: value for key, value in conf.items() if not key.startswith("_")}
    settings.pop("gunicorn_options")
    assert settings == gunicorn_options("0.0.0.0:8288")
    assert settings["workers"] == 2
    assert settings["control_socket_disable"] is True
    assert settings["accesslog"] == "-"

    monkeypatch.setenv("RECIPES_WORKERS", "3")
    monkeypatch.setenv("RECIPES_BIND", "0.0.0.0:9000")
    conf = runpy.run_path(str(ROOT / "build" / "gunicorn.conf.py"))
    assert (conf["workers"], conf["bind"]) == (3, "0.0.0.0:9000")


def shared_recipe(data: Path) -> str:
    """A recipe with a share link in a fresh data folder; the link's token."""
    from recipes import create_app
    from recipes.db import get_db
    from recipes.models import RecipeIn
    from recipes.sharing import new_token
    from recipes.store import create_recipe, set_share_token
    from recipes.users import create_user

    token = new_token()
    with create_app({"DATA_DIR": str(data)}).app_context():
        user = create_user(get_db(), "ann", "correct horse 1")
        recipe_id = create_recipe(
            get_db(), user.household_id, RecipeIn(title="Soup", ingredients=["x"]), by=user.id
        )
        assert set_share_token(get_db(), user.id, recipe_id, token)
    return token


@POSIX_ONLY
def test_access_log_hides_share_tokens(tmp_path: Path) -> None:
    token = shared_recipe(tmp_path / "data")
    with running(tmp_path, workers=1) as server:
        server.wait_healthy()
        assert get(server.port, f"/s/{token}?from=mail", timeout=5)[0] == 200
        page = f"http://127.0.0.1:{server.port}/s/{token}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/static/style.css", headers={"Referer": page}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        server.wait_output('"GET /static/style.css')
        server.wait_output("/s/…", timeout=5)
        assert token not in server.output
        assert token[:8] not in server.output


def send_headers_only(port: int, length: int) -> bytes:
    """A POST announcing a big body that never comes; what the server answers in 10 s."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
        )
        try:
            return sock.recv(200)
        except TimeoutError:
            return b""


def test_waitress_refuses_a_big_body_before_reading_it(tmp_path: Path) -> None:
    with running(tmp_path, "--server", "waitress", RECIPES_MAX_CONTENT_LENGTH="4096") as server:
        server.wait_healthy()
        # No body is sent: only a server that refuses by the header alone can answer.
        assert send_headers_only(server.port, 500 * 1024 * 1024).startswith(b"HTTP/1.1 413")


ARENAS_SCRIPT = """
import ctypes, sys, tempfile, threading
from recipes.serving import limit_malloc_arenas
capped = limit_malloc_arenas() if sys.argv[1] == "cap" else False
barrier = threading.Barrier(8)
def work():
    barrier.wait()  # all eight allocate at once, as a server's threads do under load
    kept = [bytearray(4096) for _ in range(2000)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
out = tempfile.NamedTemporaryFile(suffix=".xml", delete=False).name
stream = libc.fopen(out.encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(stream))
libc.fclose(ctypes.c_void_p(stream))
print(capped, open(out).read().count("<heap nr="))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="malloc arenas are glibc's",
)
def test_threaded_servers_cap_mallocs_arenas():
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}

    def heaps(mode: str) -> tuple[str, int]:
        out = subprocess.run(
            [sys.executable, "-c", ARENAS_SCRIPT, mode],
            capture_output=True, text=True, check=True, env=env, cwd=ROOT,
        ).stdout.split()  # fmt: skip
        return out[0], int(out[1])

    assert heaps("cap") == ("True", 2)
    capped, uncapped = heaps("plain")
    assert capped == "False" and uncapped > 2  # without the cap each thread grows its own
    # A cap the user chose is theirs.
    env["MALLOC_ARENA_MAX"] = "4"
    assert heaps("cap")[0] == "False"
