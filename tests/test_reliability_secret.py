"""The secret key file, end to end through `recipes serve`.

Missing: created once (0600) and kept, so sessions survive a restart. Empty, too short,
unreadable or a dangling link: the server refuses to start and says why, and the file
is left exactly as it was (never silently replaced, which would log everyone out).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.reliability_report import record
from tests.support.reliability_server import REPO, Browserless, add_user, environment, running
from tests.support.system import free_port, need

pytestmark = pytest.mark.reliability


# Root reads any file whatever its mode; without these two capabilities it cannot.
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
NO_DAC += ["--inh-caps=-dac_override,-dac_read_search"]


def serve_refuses(data: Path, prefix: list[str]) -> str:
    """Start `recipes serve`; it must exit with an error within 20 s. Its output."""
    command = [*prefix, sys.executable, "-m", "recipes", "serve", "--port", str(free_port())]
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=environment(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the server started despite a bad secret key file")
    assert proc.returncode != 0, output
    return output


def test_missing_key_is_created_once_and_sessions_survive_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    key_file = data / "secret_key"
    key = key_file.read_text()
    assert len(key.strip()) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600

    with running(data) as server:
        web = Browserless(server.url)
        assert web.login("ann").status_code == 302
        assert web.get("/", allow_redirects=False).status_code == 200
    with running(data) as server:
        web.base = server.url  # the same cookie jar, against the restarted server
        assert web.get("/", allow_redirects=False).status_code == 200
    assert key_file.read_text() == key


@pytest.mark.parametrize(
    "state",
    ["empty", "too short", "dangling link", "a folder", "unreadable"],
)
def test_bad_key_file_stops_the_server_and_is_kept(tmp_path: Path, state: str) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    key_file = data / "secret_key"
    key_file.unlink()
    prefix: list[str] = []
    if state == "empty":
        key_file.write_text("")
    elif state == "too short":
        key_file.write_text("abc\n")
    elif state == "dangling link":
        key_file.symlink_to(data / "gone")
    elif state == "a folder":
        key_file.mkdir()
    else:
        need(shutil.which("setpriv") is not None, "setpriv (util-linux) is missing")
        key_file.write_text("x" * 64)
        key_file.chmod(0o000)
        prefix = NO_DAC if os.geteuid() == 0 else []
    before = os.lstat(key_file)
    content = None if state in ("dangling link", "a folder") else key_file.read_bytes()

    output = serve_refuses(data, prefix)

    assert "secret key file" in output, output
    after = os.lstat(key_file)
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_mtime_ns,
    )
    if content is not None:
        assert key_file.read_bytes() == content
    assert sorted(p.name for p in data.iterdir()) == ["recipes.sqlite3", "secret_key"]
    record(f"secret-{state.replace(' ', '-')}", refused=True, replaced=False)
    if state == "a folder":
        shutil.rmtree(key_file)
