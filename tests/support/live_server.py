"""A real `recipes serve` (waitress) process and the `recipes` command, for live tests.

    add_user(data_dir, "alice"); token = add_token(data_dir, "alice")
    with running_server(data_dir) as base_url: ...

The gunicorn process group of the reliability suite builds on the same CLI helpers
(tests/support/reliability_server.py). Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.system import free_port

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 1"
START_TIMEOUT = 20.0


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any RECIPES_ setting, on the given data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPES_")}
    env.update(RECIPES_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", **extra)
    return env


def recipes_cli(
    data_dir: Path, *args: str, stdin: str = "", check: bool = True, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the `recipes` command on a data folder."""
    result = subprocess.run(
        [sys.executable, "-m", "recipes", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(data_dir, **env),
        cwd=REPO,
        timeout=60,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"recipes {' '.join(args)} failed:\n{result.stderr}")
    return result


def add_user(data_dir: Path, name: str, password: str = PASSWORD) -> None:
    recipes_cli(data_dir, "user", "add", name, "--password-stdin", stdin=password + "\n")


def add_token(data_dir: Path, user: str, name: str = "reliability") -> str:
    token = recipes_cli(data_dir, "token", "add", user, "--name", name).stdout.strip()
    assert token.startswith("rcp_"), token
    return token


def serve_command(port: int) -> list[str]:
    """The installed console script when there is one, else the package's __main__."""
    script = shutil.which("recipes", path=str(Path(sys.executable).parent))
    base = [script] if script else [sys.executable, "-m", "recipes"]
    return [*base, "serve", "--server", "waitress", "--host", "127.0.0.1", "--port", str(port)]


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"recipes serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}/healthz did not answer within {timeout:.0f} s")


def server_log(data_dir: Path) -> Path:
    """Where `running_server` writes the server's output: beside the data folder."""
    return data_dir.parent / "server.log"


@contextmanager
def running_server(data_dir: Path, timeout: float = START_TIMEOUT, **env: str) -> Iterator[str]:
    """A real `recipes serve` process on a free port, with its own data folder."""
    port = free_port()
    log_path = server_log(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            serve_command(port),
            env=environment(data_dir, **env),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_healthy(url, process, timeout)
            except RuntimeError as exc:
                raise RuntimeError(f"{exc}\n{log_path.read_text(errors='replace')}") from exc
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
