"""The desktop form: a real pywebview (Qt) window under Xvfb, and the PyInstaller bundle.

webview.start runs once per process, so every case drives the app in a subprocess
(tests/support/desktop_driver.py, `python -m desktop`, or the built binary) on one Xvfb display.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from desktop.downloads import DIALOG_TITLE
from tests.support.desktop_x11 import ask_to_close, windows_named
from tests.support.system import need, need_executable

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
DRIVER = ROOT / "tests" / "support" / "desktop_driver.py"
BUNDLE = ROOT / "pyinstaller-dist" / "recipes-desktop"
READY_TIMEOUT = 90.0  # generous: CI machines are shared and WebEngine starts cold
EXIT_TIMEOUT = 30.0


def _need_qt_window() -> None:
    need_executable("Xvfb")
    need_executable("xdotool")
    need_executable("import")  # ImageMagick, for the screenshot
    for module in ("webview", "PyQt6.QtWebEngineWidgets"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        need(found, f"{module} is not installed (pip install 'recipes[desktop]')")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private Xvfb server; -displayfd lets it pick a free display number."""
    _need_qt_window()
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not report a display"
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(10)


def app_env(display: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECIPES_", "QT_QPA"))}
    env.update(DISPLAY=display, RECIPES_DATA_DIR=str(folder), PYTHONPATH=str(ROOT))
    return env


def wait_for_file(path: Path, proc: subprocess.Popen, timeout: float, log: Path) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text())
        assert proc.poll() is None, f"the app exited early with {proc.returncode}; {log_tail(log)}"
        time.sleep(0.1)
    raise AssertionError(f"{path.name} did not appear within {timeout} s")


def descendants(pid: int) -> set[int]:
    """Every live process below pid (QtWebEngine's helpers among them)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def port_is_free(record: dict) -> bool:
    # SO_REUSEADDR: a closed connection's TIME_WAIT must not count as "still bound".
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((record["host"], record["port"]))
        except OSError:
            return False
    return True


def get(record: dict, path: str = "/", token: str | None = None, host: str | None = None):
    """(status, body) of a GET to the running app, with an optional token and Host."""
    conn = http.client.HTTPConnection(record["host"], record["port"], timeout=10)
    headers = {"Host": host or f"{record['host']}:{record['port']}"}
    if token:
        headers["X-Recipes-Token"] = token
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@dataclass
class Running:
    proc: subprocess.Popen
    facts: dict
    record: dict
    folder: Path
    log: Path


def start_driver(
    display: str, folder: Path, workdir: Path, *driver_args: str, env: dict | None = None
) -> Running:
    facts_file = workdir / "facts.json"
    facts_file.unlink(missing_ok=True)
    log = workdir / "app.log"
    args = [sys.executable, str(DRIVER), str(facts_file), *driver_args]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            args,
            env={**app_env(display, folder), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    facts = wait_for_file(facts_file, proc, READY_TIMEOUT, log)
    record = json.loads((folder / "desktop.json").read_text())
    return Running(proc, facts, record, folder, log)


def close_window(display: str, proc: subprocess.Popen, title: str = "Recipes") -> int | None:
    """Ask every window so titled to close, as a user's click on its close button does,
    until the process ends; its exit status, or None if it outlives EXIT_TIMEOUT.

    The focus test's raise makes Qt replace its native window a moment later, so the
    window found first may be gone before the message reaches it: ask again, as a user
    whose click did nothing would click again.
    """
    deadline = time.monotonic() + EXIT_TIMEOUT
    while time.monotonic() < deadline:
        for window_id in windows_named(display, title):
            ask_to_close(display, window_id)
        with contextlib.suppress(subprocess.TimeoutExpired):
            return proc.wait(3)
    return proc.poll()


def log_tail(log: Path, lines: int = 30) -> str:
    """The app's last log lines, for a failure message."""
    return "app log:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("desktop") / "data"


EXTERNAL_URL = "https://example.org/pie"


@pytest.fixture(scope="module")
def browser_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser") / "opened.txt"


@pytest.fixture(scope="module")
def running(display: str, folder: Path, browser_log: Path, tmp_path_factory) -> Iterator[Running]:
    """The first launch, left open for the tests below: resized to 900x650, moved to
    (120, 80), and a link to another site clicked, $BROWSER standing in for the browser."""
    workdir = tmp_path_factory.mktemp("first")
    browser = workdir / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {browser_log}\n')
    browser.chmod(0o755)
    app = start_driver(
        display,
        folder,
        workdir,
        "--size=900x650",
        "--move=120,80",
        f"--click={EXTERNAL_URL}",
        env={"BROWSER": str(browser)},
    )
    yield app
    stop(app.proc)


def test_window_renders_the_index(running: Running, display: str) -> None:
    assert "Recipes" in running.facts["title"]
    assert running.facts["h1"].strip()
    address = f"{running.record['host']}:{running.record['port']}"
    assert running.facts["url"].startswith(f"http://{address}/")
    if sys.platform.startswith("linux"):  # a random loopback address of its own
        assert running.record["host"].startswith("127.")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "desktop-window.png"
    subprocess.run(
        ["import", "-window", "root", str(shot)],
        env={**os.environ, "DISPLAY": display},
        check=True,
        timeout=30,
    )
    colours = subprocess.run(
        ["identify", "-format", "%k", str(shot)], capture_output=True, text=True, timeout=30
    )
    assert int(colours.stdout) > 16, "the screenshot is blank: nothing was drawn"


def test_links_to_other_sites_open_in_the_system_browser(
    running: Running, browser_log: Path
) -> None:
    deadline = time.monotonic() + 10
    while not browser_log.exists():
        assert time.monotonic() < deadline, "the system browser was never asked"
        time.sleep(0.1)
    assert browser_log.read_text().split() == [EXTERNAL_URL]
    assert running.facts["url_after_click"] == running.facts["url"]  # the window stayed


def test_the_data_folder_holds_the_database_and_a_private_record(running: Running) -> None:
    assert (running.folder / "recipes.sqlite3").exists()
    assert running.record["pid"] == running.proc.pid
    assert (running.folder / "desktop.json").stat().st_mode & 0o077 == 0


def test_requests_without_the_launch_token_get_403(running: Running) -> None:
    record, token = running.record, running.record["token"]
    assert get(record, "/")[0] == 403
    assert get(record, "/healthz")[0] == 403
    assert get(record, "/", token="not-" + token)[0] == 403
    assert get(record, "/_desktop/launch?nonce=guess")[0] == 403
    status, body = get(record, "/", token=token)
    assert status == 200 and "<h1" in body


def test_a_foreign_host_gets_403_even_with_the_token(running: Running) -> None:
    record, token = running.record, running.record["token"]
    port = record["port"]
    hosts = ["evil.example", f"evil.example:{port}", f"localhost:{port}", record["host"]]
    if record["host"] != "127.0.0.1":
        hosts.append(f"127.0.0.1:{port}")
    for host in hosts:
        assert get(record, "/", token=token, host=host)[0] == 403, host
    assert get(record, "/healthz", token=token)[0] == 200


def test_a_second_launch_focuses_the_first_and_starts_no_server(
    running: Running, display: str
) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "desktop"],
        env=app_env(display, running.folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    assert f"already running on port {running.record['port']}" in second.stderr
    assert "serving" not in second.stderr  # it never started a server of its own
    deadline = time.monotonic() + 10
    while "a second launch asked for the window" not in running.log.read_text():
        assert time.monotonic() < deadline, "the first instance was never asked to focus"
        time.sleep(0.1)
    assert json.loads((running.folder / "desktop.json").read_text()) == running.record
    assert running.proc.poll() is None


def test_closing_the_window_ends_the_process_and_frees_the_port(
    running: Running, display: str
) -> None:
    helpers = descendants(running.proc.pid)
    assert helpers, "QtWebEngine should have started helper processes"
    assert windows_named(display, "Recipes"), "no X window titled Recipes"
    assert close_window(display, running.proc) == 0, log_tail(running.log)
    assert port_is_free(running.record)
    assert not (running.folder / "desktop.json").exists()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers):
        assert time.monotonic() < deadline, "helper processes outlived the app"
        time.sleep(0.2)
    saved = json.loads((running.folder / "desktop-window.json").read_text())
    assert saved == {"width": 900, "height": 650, "x": 120, "y": 80}


def test_the_next_launch_remembers_size_and_position_and_sigterm_stops_it(
    display: str, folder: Path, tmp_path: Path
) -> None:
    # Runs after the close test: the same data folder, lock and record released.
    app = start_driver(display, folder, tmp_path)
    try:
        assert (app.facts["width"], app.facts["height"]) == (900, 650)
        assert (app.facts["x"], app.facts["y"]) == (120, 80)
        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(EXIT_TIMEOUT) == 0
    finally:
        stop(app.proc)
    assert port_is_free(app.record)
    assert not (folder / "desktop.json").exists()
    assert "stopped" in app.log.read_text()


def test_a_download_goes_through_the_save_dialog(display: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    seed_recipe(folder, "Exported Eclairs")
    target = tmp_path / "saved" / "my-recipes.zip"
    target.parent.mkdir()
    app = start_driver(display, folder, tmp_path, "--click=/export/recipes.zip")
    try:
        deadline = time.monotonic() + 20
        while not (dialogs := windows_named(display, DIALOG_TITLE)):
            assert time.monotonic() < deadline, "no save dialog appeared"
            time.sleep(0.2)
        x = {**os.environ, "DISPLAY": display}
        for step in (
            ["windowfocus", "--sync", str(dialogs[0])],
            ["key", "ctrl+a"],
            ["type", "--delay", "10", str(target)],
            ["key", "Return"],
        ):
            subprocess.run(["xdotool", *step], env=x, check=True, timeout=30)
        deadline = time.monotonic() + 20
        while not (target.exists() and zipfile.is_zipfile(target)):
            assert time.monotonic() < deadline, "the download was not saved where chosen"
            time.sleep(0.2)
        with zipfile.ZipFile(target) as archive:
            assert any(
                "Exported Eclairs" in archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
            )
        assert app.facts["url_after_click"] == app.facts["url"]  # a download, not a page
        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(EXIT_TIMEOUT) == 0
    finally:
        stop(app.proc)


# --- the PyInstaller bundle ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(display: str) -> Path:
    """Build the one-folder bundle from recipes.spec (30 s to 2 min), once a display and the
    Qt backend are known to be there: without them the build could not be tried."""
    need(importlib.util.find_spec("PyInstaller") is not None, "PyInstaller is not installed")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        + ["--workpath", str(ROOT / "pyinstaller-work")]
        + ["--distpath", str(ROOT / "pyinstaller-dist"), "recipes.spec"],
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    binary = BUNDLE / "recipes-desktop"
    assert binary.exists()
    return binary


def seed_recipe(folder: Path, title: str) -> None:
    """Put a recipe for the desktop's local user into a fresh data folder."""
    from desktop.app import local_user
    from recipes import create_app
    from recipes.db import get_db
    from recipes.models import RecipeIn
    from recipes.store import create_recipe
    from recipes.users import ensure_local_user

    app = create_app({"DATA_DIR": str(folder)})
    with app.app_context():
        db = get_db()
        user = ensure_local_user(db, local_user())
        create_recipe(
            db, user.household_id, RecipeIn(title=title, ingredients=["2 beets"]), by=user.id
        )


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.timeout(900)  # the build in the fixture counts: up to ~2 min on busy cores
def test_the_bundle_shows_the_users_recipes_and_exits_cleanly(
    display: str, bundle: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    seed_recipe(folder, "Bundle Borscht")
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(bundle), "--check"],
        env=app_env(display, folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        to_content = time.monotonic() - started
        assert proc.wait(EXIT_TIMEOUT) == 0
    finally:
        stop(proc)
    facts = json.loads(line)
    assert "Recipes" in facts["title"]
    assert "Bundle Borscht" in facts["text"]
    assert Path(facts["data_dir"]) == folder
    address = urlsplit(facts["url"])
    assert port_is_free({"host": address.hostname, "port": address.port})
    assert not (folder / "desktop.json").exists()
    ARTIFACTS.mkdir(exist_ok=True)
    numbers = {
        "bundle_mb": round(folder_size(BUNDLE) / 1e6, 1),
        "launch_to_content_s": round(to_content, 2),
        "in_app_seconds_to_content": facts["seconds_to_content"],
    }
    (ARTIFACTS / "desktop-bundle.json").write_text(json.dumps(numbers, indent=2))
