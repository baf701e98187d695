"""Start the desktop app: one local server, one window, one instance per data folder.

`recipes desktop`, `recipes-desktop` (the GUI entry point), `python -m desktop` and the
PyInstaller bundle all come here.
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from flask import Flask

from desktop import webapp
from desktop.downloads import handle_qt_downloads
from desktop.guard import LAUNCH_PATH, LaunchGuard
from desktop.instance import InstanceLock, focus_running, remove_record, write_record
from desktop.server import LocalServer
from desktop.window import (
    EXTERNAL_LINKS_JS,
    MIN_SIZE,
    GeometryKeeper,
    bring_to_front,
    load_geometry,
)

TITLE = "Recipes"
ICON = Path(__file__).with_name("icon.png")
CONTENT_TIMEOUT = 60.0
STARTED = time.monotonic()

log = logging.getLogger("recipes.desktop")

# Read once the page has loaded and left the launch URL; "null" until then. Sent with
# run_js, not evaluate_js: the app's CSP (script-src 'self') forbids the eval() that
# evaluate_js wraps scripts in, while the engine's own script injection is exempt.
PAGE_FACTS_JS = f"""
JSON.stringify(
  (document.readyState === 'complete' && location.pathname !== '{LAUNCH_PATH}')
    ? {{title: document.title,
        h1: (document.querySelector('h1') || {{}}).textContent || '',
        url: location.href,
        text: document.body ? document.body.innerText.slice(0, 4000) : ''}}
    : null)
"""

ReadyHook = Callable[[Any, dict], None]


def main(argv: list[str] | None = None, on_ready: ReadyHook | None = None) -> int:
    """Run the app until its window closes, then end the process with its exit status.

    Returns only when another instance already owns the data folder. After a window has
    run, the process ends here: webview.start works once per process, and Qt's teardown
    at interpreter exit was seen to hang after everything of ours had stopped.
    on_ready(window, facts) runs in a worker thread once the first page has rendered.
    """
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="recipes-desktop: %(message)s")
    from recipes.datadir import data_dir, ensure_data_dir

    folder = ensure_data_dir(data_dir())
    lock = InstanceLock(folder)
    if not lock.acquire():
        return _hand_over(folder)
    try:
        status = _run(folder, args, on_ready)
    except Exception:
        log.exception("the desktop app failed")
        status = 1
    finally:
        lock.release()
    _end_process(status)
    return status  # unreachable; keeps the signature honest for type checkers


def _end_process(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None in a windowed build on Windows: no console at all
            stream.flush()
    logging.shutdown()
    os._exit(status)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    if argv is None:
        argv = sys.argv[1:]
        if argv[:1] == ["desktop"]:  # started as `recipes desktop ...`
            argv = argv[1:]
    parser = argparse.ArgumentParser(prog="recipes-desktop", description="Recipes in a window.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="open the window, print what the page shows as JSON, then close",
    )
    parser.add_argument("--gui", help="force a pywebview backend (qt, gtk, cocoa, edgechromium)")
    parser.add_argument("--debug", action="store_true", help="pywebview debug mode (inspector)")
    return parser.parse_args(argv)


def _hand_over(folder: Path) -> int:
    """Another instance owns this data folder: bring its window forward instead."""
    port = focus_running(folder)
    if port is None:
        log.error("another instance holds %s but does not answer", folder)
        return 1
    log.info("already running on port %s; brought its window forward", port)
    return 0


def local_user() -> str:
    """The account the desktop logs in as: the OS user's name, created on first run."""
    try:
        return getpass.getuser() or "me"
    except (KeyError, OSError):
        return "me"


def pick_gui(forced: str | None) -> str | None:
    """pywebview's default backend per OS; on Linux it tries GTK, then Qt.

    Without PyGObject GTK cannot load at all, so go straight to Qt rather than have
    pywebview log a traceback on every start.
    """
    if forced or not sys.platform.startswith("linux"):
        return forced
    return None if importlib.util.find_spec("gi") else "qt"


def prepare_backend() -> None:
    """Chromium's sandbox refuses to run as root, so Qt needs it off, but only then."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def build_app(folder: Path) -> Flask:
    """The web app as the desktop serves it: the local user always signed in."""
    from recipes import create_app

    app = create_app({"DATA_DIR": str(folder)})
    webapp.configure(app, local_user())
    return app


def _run(folder: Path, args: argparse.Namespace, on_ready: ReadyHook | None) -> int:
    app = build_app(folder)
    guard = LaunchGuard(app)
    server = LocalServer(guard, max_body=app.config["MAX_CONTENT_LENGTH"])
    guard.host, guard.port = server.host, server.port
    server.start()
    write_record(folder, server.port, guard.token, server.host)
    log.info("serving %s on %s:%s", folder, server.host, server.port)
    try:
        return _show_window(folder, guard, args, on_ready)
    finally:
        server.stop()
        remove_record(folder)
        log.info("stopped")


def _show_window(
    folder: Path, guard: LaunchGuard, args: argparse.Namespace, on_ready: ReadyHook | None
) -> int:
    prepare_backend()
    import webview

    gui = pick_gui(args.gui)
    webview.settings["ALLOW_DOWNLOADS"] = True  # exports and backups: a save dialog
    webview.settings["OPEN_EXTERNAL_LINKS_IN_BROWSER"] = True
    geometry = load_geometry(folder)
    window = webview.create_window(
        TITLE,
        guard.launch_url(),
        width=cast(int, geometry["width"]),
        height=cast(int, geometry["height"]),
        x=geometry["x"],
        y=geometry["y"],
        min_size=MIN_SIZE,
        text_select=True,
    )
    assert window is not None  # create_window returns None only inside pywebview's own tests
    guard.on_focus = lambda: _focus(window)
    GeometryKeeper(folder, geometry).attach(window)
    window.events.loaded += lambda: window.run_js(EXTERNAL_LINKS_JS)
    window.events.before_show += lambda: _handle_downloads(window)
    close = _closer(window)
    _stop_on_signals(close)

    outcome = {"status": 0}
    hook = on_ready or (_print_and_close if args.check else None)
    watcher = (lambda: _when_ready(window, hook, outcome, close)) if hook else None
    webview.start(
        watcher,
        gui=gui,  # type: ignore[arg-type]  # one of the names pywebview knows, or None
        debug=args.debug,
        private_mode=True,
        icon=str(ICON) if ICON.exists() else None,
    )
    return outcome["status"]


def _handle_downloads(window: Any) -> None:
    """Runs on the GUI thread once the backend is known; only Qt needs our own handler."""
    if window.gui.renderer == "qtwebengine":
        handle_qt_downloads(window)


def _focus(window: Any) -> None:
    log.info("a second launch asked for the window")
    bring_to_front(window)


def _closer(window: Any) -> Callable[[], None]:
    """window.destroy(), at most once and never on the calling (maybe signal) frame."""
    done = threading.Event()

    def close() -> None:
        if not done.is_set():
            done.set()
            threading.Thread(target=window.destroy, name="recipes-close", daemon=True).start()

    return close


def _stop_on_signals(close: Callable[[], None]) -> None:
    """SIGTERM (and Ctrl-C, hang-up) close the window, which then stops the server.

    The GUI toolkit's C loop owns the main thread, where Python runs signal handlers, so
    on POSIX a wakeup pipe read by a thread delivers them while the loop idles.
    """
    wanted = [signal.SIGTERM, signal.SIGINT]
    if hasattr(signal, "SIGHUP"):
        wanted.append(signal.SIGHUP)
    for signum in wanted:
        signal.signal(signum, lambda *_: close())
    if os.name != "posix":
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    numbers = {int(s) for s in wanted}

    def watch() -> None:
        while True:
            data = os.read(read_end, 64)
            if not data or numbers.intersection(data):
                close()
                return

    threading.Thread(target=watch, name="recipes-signals", daemon=True).start()


def wait_for_content(window: Any, timeout: float = CONTENT_TIMEOUT) -> dict | None:
    """The rendered page's title, h1, URL and text, once it has loaded; None on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            facts = json.loads(window.run_js(PAGE_FACTS_JS) or "null")
        except (TypeError, ValueError):  # mid-navigation the engine may answer oddly
            facts = None
        if isinstance(facts, dict):
            return facts
        time.sleep(0.1)
    return None


def _when_ready(window: Any, hook: ReadyHook, outcome: dict, close: Callable[[], None]) -> None:
    facts = wait_for_content(window)
    if facts is None:
        log.error("the page did not render within %.0f s", CONTENT_TIMEOUT)
        outcome["status"] = 1
        close()
        return
    facts["seconds_to_content"] = round(time.monotonic() - STARTED, 3)
    hook(window, facts)


def _print_and_close(window: Any, facts: dict) -> None:
    """--check: report what the window shows, then close it the normal way."""
    from recipes.datadir import data_dir

    facts.update(data_dir=str(data_dir()), user=local_user(), pid=os.getpid())
    if sys.stdout is not None:
        print(json.dumps(facts), flush=True)
    window.destroy()
