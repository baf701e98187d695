"""The data folder and the secret key that lives in it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def data_dir() -> Path:
    """`RECIPES_DATA_DIR`, else the platform's per-user data folder."""
    from recipes.settings import Settings, default_data_dir

    return Settings.from_env().data_dir or default_data_dir()


def ensure_data_dir(path: Path) -> Path:
    """The folder, created owner-only (0700, whatever the umask) if it does not exist."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.chmod(0o700)
    return path


def load_or_create_secret(folder: Path) -> str:
    """Read the secret key, creating it once (mode 0600) when no file exists.

    An existing but unreadable file is an error, never silently replaced: replacing it
    would log everyone out and invalidate every form in flight.
    """
    path = folder / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
        handle.flush()
        os.fsync(handle.fileno())
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise RuntimeError(f"cannot read the secret key file {path}: {exc.strerror}") from exc
    if len(value) < 32:
        raise RuntimeError(f"the secret key file {path} is empty or too short; fix or remove it")
    return value
