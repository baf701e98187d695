"""Attempt limits for logins and registrations, per client address.

The check, the password test and the count happen under one lock per address, so a burst
of parallel requests cannot all pass the check before any of them is counted. Counters
live in memory (per process) unless RATELIMIT_STORAGE_URI names a shared store (redis://).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

# Failed logins per (username, address): the real user elsewhere is never locked out.
LOGIN_LIMIT_PER_USER_ADDRESS = "5 per minute"
# Failed logins per address, whatever the username: guessing across accounts.
LOGIN_LIMIT_PER_ADDRESS = "20 per minute"
# Accounts created per address.
REGISTER_LIMIT_PER_ADDRESS = "10 per hour"


class Throttle:
    """Moving-window counters (a fixed window would allow twice the limit across its edge)."""

    def __init__(self, storage_uri: str | None = None) -> None:
        self._window = MovingWindowRateLimiter(storage_from_string(storage_uri or "memory://"))
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @contextmanager
    def serialised(self, address: str) -> Iterator[None]:
        """One attempt at a time per address in this process."""
        with self._locks_guard:
            if len(self._locks) > 10_000:  # forget idle addresses; never grow without bound
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks.setdefault(address, threading.Lock())
        with lock:
            yield

    def wait(self, limits: list[tuple[str, str]]) -> int:
        """Seconds until every (limit, key) allows one more attempt; 0 if they all do now."""
        longest = 0.0
        for text, key in limits:
            item = parse(text)
            if not self._window.test(item, key):
                reset = self._window.get_window_stats(item, key).reset_time
                longest = max(longest, reset - time.time())
        return math.ceil(longest) if longest > 0 else 0

    def count(self, limits: list[tuple[str, str]]) -> None:
        for text, key in limits:
            self._window.hit(parse(text), key)
