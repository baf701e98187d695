"""Gatekeeping for tests that need a real system part (chromium, Xvfb, docker).

Outside CI a missing part skips the test with a reason; in CI (CI=true) it fails,
because CI is expected to have installed it.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) the calling test when a system part is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def need_executable(name: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"{name} is not installed")
    return path or ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
