"""Short-lived server-side holding for import data between two requests: the page a
bookmarklet posted, or a parsed recipe waiting for "update the existing one?".

Files in <data dir>/import-stash, named by a random token and a hash of who put them
there, gone after an hour. The number of files and their total size are capped for
everyone, and again for each owner (a network address for the anonymous bookmarklet, a
user for everything else), so that one sender cannot fill the stash for all the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections import Counter
from pathlib import Path
from typing import Any

MAX_AGE = 3600
MAX_FILES = 1000
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # anonymous bookmarklet posts cannot fill the disk
MAX_OWNER_FILES = 20
MAX_OWNER_BYTES = 32 * 1024 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,80}$")


class StashFull(Exception):
    """No room: `str(error)` says why; `per_owner` when only the sender's share is full."""

    def __init__(self, message: str, per_owner: bool = False) -> None:
        super().__init__(message)
        self.per_owner = per_owner


def owner_key(owner: str) -> str:
    """Who put a file there, as it appears in its name (a hash: no address on disk)."""
    return hashlib.sha256(owner.encode()).hexdigest()[:16]


def _folder(data_dir: str | Path) -> Path:
    folder = Path(data_dir) / "import-stash"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _clean(folder: Path) -> tuple[Counter[str], Counter[str]]:
    """Drop expired files; (files, bytes) still held, per owner key and in all ("")."""
    now = time.time()
    count: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for path in folder.glob("*.json"):
        try:
            stat = path.stat()
        except OSError:
            continue
        if now - stat.st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            continue
        owner = path.stem.partition(".")[2]
        for key in ("", owner):
            count[key] += 1
            size[key] += stat.st_size
    return count, size


def put(data_dir: str | Path, payload: dict[str, Any], owner: str = "") -> str:
    """Keep the payload for `owner` (e.g. "address:1.2.3.4", "user:7"); its token.
    Raises StashFull when the stash, or the owner's share of it, is full."""
    folder = _folder(data_dir)
    count, size = _clean(folder)
    if count[""] >= MAX_FILES or size[""] >= MAX_TOTAL_BYTES:
        raise StashFull("too many pages are waiting to be imported; try again in a while")
    key = owner_key(owner) if owner else ""
    if key and (count[key] >= MAX_OWNER_FILES or size[key] >= MAX_OWNER_BYTES):
        raise StashFull(
            "you have too many pages waiting to be imported; "
            "confirm or drop those first, or wait an hour",
            per_owner=True,
        )
    token = secrets.token_urlsafe(24)
    path = folder / (f"{token}.{key}.json" if key else f"{token}.json")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False)
    return token


def _path(data_dir: str | Path, token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    folder = _folder(data_dir)
    plain = folder / f"{token}.json"
    if plain.exists():
        return plain
    return next(folder.glob(f"{token}.*.json"), None)  # the token is [A-Za-z0-9_-] only


def get(data_dir: str | Path, token: str) -> dict[str, Any] | None:
    path = _path(data_dir, token)
    if path is None:
        return None
    try:
        if time.time() - path.stat().st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            return None
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def drop(data_dir: str | Path, token: str) -> None:
    path = _path(data_dir, token)
    if path is not None:
        path.unlink(missing_ok=True)
