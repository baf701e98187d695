"""Starting the product's own servers (`python -m recipes serve`) and reading their memory."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, workers: int = 2) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPES_")}
    env.update(RECIPES_DATA_DIR=str(data_dir), RECIPES_WORKERS=str(workers))
    return env


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


@contextmanager
def serve(
    data_dir: Path, server: str, workers: int = 2
) -> Iterator[tuple[subprocess.Popen, int, float]]:
    """(process, port, seconds from launch to the first 200 on /healthz)."""
    port = free_port()
    command = [sys.executable, "-m", "recipes", "serve", "--server", server, "--port", str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=server_env(data_dir, workers),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not healthy(port):
            if process.poll() is not None:
                raise RuntimeError(f"{server} exited with {process.returncode}")
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"{server} did not answer /healthz within 60 s")
            time.sleep(0.005)
        yield process, port, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss_mb(pid: int) -> float:
    """Resident set size from /proc, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def pss_mb(pid: int) -> float:
    """Proportional set size (shared pages split between processes), in MB (Linux)."""
    path = Path(f"/proc/{pid}/smaps_rollup")
    if not path.exists():
        return 0.0
    for line in path.read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0
