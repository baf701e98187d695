"""One desktop instance per data folder: a lock file plus a record of the running server.

The lock is held for the life of the process, so the operating system drops it when the
process dies, however it dies. A second launch finds the lock taken, reads the record
and asks the first instance to bring its window forward; it never serves the database.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from desktop.guard import FOCUS_PATH

LOCK_FILE = "desktop.lock"
RECORD_FILE = "desktop.json"


class InstanceLock:
    """An exclusive, non-blocking lock on a file in the data folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self._handle: IO[str] | None = None

    def acquire(self) -> bool:
        handle = open(self.path, "a+")  # noqa: SIM115 - held open until release()
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock on every platform
            self._handle = None


def _lock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def write_record(folder: Path, port: int, token: str, host: str = "127.0.0.1") -> Path:
    """Record where the running instance listens; 0600, since it holds the token."""
    path = folder / RECORD_FILE
    tmp = folder / f".{RECORD_FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"pid": os.getpid(), "host": host, "port": port, "token": token}, handle)
    os.replace(tmp, path)
    return path


def read_record(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / RECORD_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("port"), int):
        return None
    return record


def remove_record(folder: Path) -> None:
    record = read_record(folder)
    if record is not None and record.get("pid") == os.getpid():
        (folder / RECORD_FILE).unlink(missing_ok=True)


def focus_running(folder: Path, wait: float = 15.0) -> int | None:
    """Ask the running instance to show its window; its port, or None if it never answered.

    The first instance may still be starting, so the record may not exist yet: retry.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + wait
    while True:
        record = read_record(folder)
        if record is not None and _request_focus(opener, record):
            return record["port"]
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def _request_focus(opener: urllib.request.OpenerDirector, record: dict) -> bool:
    request = urllib.request.Request(
        f"http://{record.get('host', '127.0.0.1')}:{record['port']}{FOCUS_PATH}",
        method="POST",
        headers={"X-Recipes-Token": str(record.get("token", ""))},
    )
    try:
        with opener.open(request, timeout=5) as response:
            return response.status == 204
    except (urllib.error.URLError, OSError):
        return False
