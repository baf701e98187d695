"""Running the app under a production server: gunicorn on POSIX, waitress on Windows.

The gunicorn settings live here once. `recipes serve` uses them directly and the Docker
image's `build/gunicorn.conf.py` imports them, so both behave the same.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import TYPE_CHECKING, Any

from recipes.settings import Settings

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8288
SERVERS = ("gunicorn", "waitress")
# A tmpfs on Linux; gunicorn only touches its own unlinked heartbeat files there.
SHM_DIR = "/dev/shm"  # noqa: S108

# Error and access logs, and the app's own loggers, all go to stdout: a container
# runtime or a service manager collects one stream. propagate=False avoids each
# gunicorn line being printed a second time by the root handler.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stdout",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        # No level: gunicorn sets it from --log-level / loglevel.
        "gunicorn.error": {"handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


# glibc's mallopt(M_ARENA_MAX, n); see limit_malloc_arenas.
_M_ARENA_MAX = -8


def limit_malloc_arenas(count: int = 2) -> bool:
    """Cap glibc's malloc arenas for a threaded server; True when the cap was set.

    glibc gives each new thread that allocates an arena of its own (up to 8 per core) and
    keeps what each one grew: 6 MB of resident memory for waitress's 8 threads after a
    benchmark run, with no request faster for it (the GIL lets one thread run at a time).
    A MALLOC_ARENA_MAX the user set is left as it is, as is any other C library.
    """
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False


def server_settings() -> Settings:
    """The settings, with a bad value ending the command with its message, no traceback."""
    try:
        return Settings.from_env()
    except ValueError as exc:
        raise SystemExit(str(exc)) from None


def gunicorn_options(bind: str | None = None) -> dict[str, Any]:
    """The gunicorn settings for Recipes; RECIPES_BIND/WORKERS/THREADS/TIMEOUT override them."""
    settings = server_settings()
    return {
        "bind": bind or settings.bind,
        "workers": settings.workers,
        # 1 thread means the plain sync worker; more switches gunicorn to gthread.
        "threads": settings.threads or 1,
        "timeout": settings.timeout,
        # Below Docker's 10 s stop timeout, so workers drain before any SIGKILL.
        "graceful_timeout": 8,
        # Build the app once in the master: the secret key and the database
        # migrations are then created by one process, never raced by two workers.
        "preload_app": True,
        # Heartbeat files on tmpfs: a disk-backed /tmp can stall workers, and the
        # container's root file system is read-only.
        "worker_tmp_dir": SHM_DIR if os.path.isdir(SHM_DIR) else None,
        # gunicorn >= 25.1 would create a control socket in $HOME, which a
        # non-root container user cannot write.
        "control_socket_disable": True,
        "accesslog": "-",
        "errorlog": "-",
        # Share links are secrets: the access log shows them as /s/….
        "logger_class": "recipes.access_log.RedactingLogger",
        "logconfig_dict": LOGGING,
    }


def resolve_server(server: str | None) -> str:
    """Pick gunicorn on POSIX and waitress on Windows unless one is asked for."""
    if server is None:
        return "waitress" if os.name == "nt" else "gunicorn"
    if server not in SERVERS:
        raise SystemExit(f"unknown server {server!r}; choose one of {', '.join(SERVERS)}")
    if server == "gunicorn" and os.name == "nt":
        raise SystemExit("gunicorn does not run on Windows; use --server waitress")
    return server


def url_for_bind(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    server: str | None = None,
    app: Flask | None = None,
) -> None:
    """Serve the app until stopped (SIGTERM or Ctrl+C); prints the URL first."""
    chosen = resolve_server(server)
    print(f"Serving Recipes on {url_for_bind(host, port)} ({chosen})", flush=True)
    if chosen == "waitress":
        _run_waitress(host, port, app)
    else:
        _run_gunicorn(host, port, app)


def _run_waitress(host: str, port: int, app: Flask | None) -> None:
    from waitress import serve

    from recipes import create_app

    app = app or create_app()
    threads = server_settings().threads or 8
    limit_malloc_arenas()
    # waitress would otherwise spool up to 1 GiB to disk before the app could answer 413.
    limit = app.config["MAX_CONTENT_LENGTH"]
    serve(app, host=host, port=port, threads=threads, max_request_body_size=limit)


def _run_gunicorn(host: str, port: int, app: Flask | None) -> None:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    limit_malloc_arenas()  # workers inherit it; it matters with RECIPES_THREADS > 1
    _gunicorn_application(gunicorn_options(bind), app).run()


def _gunicorn_application(options: dict[str, Any], app: Flask | None = None) -> Any:
    # Imported here: gunicorn is not installed on Windows.
    from gunicorn.app.base import BaseApplication

    class RecipesApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                # Settings this gunicorn release does not know are skipped, as
                # gunicorn itself does for config files.
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from recipes import create_app

            return app or create_app()

    return RecipesApplication()
