"""Short-lived server-side holding for import data between two requests: the page a
bookmarklet posted, or a parsed recipe waiting for "update the existing one?".

Files in <data dir>/import-stash, named by a random token, gone after an hour; the
number of files and their total size are capped so that anonymous bookmarklet posts
cannot fill the disk.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

MAX_AGE = 3600
MAX_FILES = 1000
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # anonymous bookmarklet posts cannot fill the disk
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,80}$")


def _folder(data_dir: str | Path) -> Path:
    folder = Path(data_dir) / "import-stash"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _clean(folder: Path) -> tuple[int, int]:
    """Drop expired files; (files, bytes) still held."""
    now = time.time()
    count = size = 0
    for path in folder.glob("*.json"):
        try:
            stat = path.stat()
            if now - stat.st_mtime > MAX_AGE:
                path.unlink(missing_ok=True)
            else:
                count, size = count + 1, size + stat.st_size
        except OSError:
            continue
    return count, size


def put(data_dir: str | Path, payload: dict[str, Any]) -> str | None:
    """Keep the payload; its token, or None when the stash is full."""
    folder = _folder(data_dir)
    count, size = _clean(folder)
    if count >= MAX_FILES or size >= MAX_TOTAL_BYTES:
        return None
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False)
    return token


def get(data_dir: str | Path, token: str) -> dict[str, Any] | None:
    if not _TOKEN.match(token or ""):
        return None
    path = _folder(data_dir) / f"{token}.json"
    try:
        if time.time() - path.stat().st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            return None
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def drop(data_dir: str | Path, token: str) -> None:
    if _TOKEN.match(token or ""):
        (_folder(data_dir) / f"{token}.json").unlink(missing_ok=True)
