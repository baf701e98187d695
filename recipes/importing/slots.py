"""How many imports may run at once in this server process.

A page fetch can hold a request thread for up to its 10 s deadline. Without a cap, a
handful of slow sites would take every thread and the server would stop answering, even
/healthz. So at most `PER_USER` imports that fetch run for one user and at most `TOTAL`
for everyone; one more is refused at once (the caller says "try again in a moment")
instead of waiting on a thread. Bulk file imports queue instead (see `jobs`).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from recipes.importing.errors import ImportFailed

PER_USER = 2
TOTAL = 4


class Busy(ImportFailed):
    """Too many imports are running; `per_user` says whose limit was reached."""

    kind = "busy"

    def __init__(self, per_user: bool) -> None:
        self.per_user = per_user
        if per_user:
            message = (
                f"you already have {PER_USER} imports running; "
                "try again when one of them has finished"
            )
        else:
            message = "the server is busy with other imports; try again in a few seconds"
        super().__init__(message)


class Slots:
    """A counter of running imports, per user and in all, under one lock."""

    def __init__(self, total: int = TOTAL, per_user: int = PER_USER) -> None:
        self.total = total
        self.per_user = per_user
        self._lock = threading.Lock()
        self._running: Counter[int] = Counter()

    def acquire(self, user_id: int) -> bool:
        """Take a slot for the user if both limits allow; False when they do not."""
        with self._lock:
            if not self.available(user_id):
                return False
            self._running[user_id] += 1
            return True

    def available(self, user_id: int) -> bool:
        return self._running[user_id] < self.per_user and sum(self._running.values()) < self.total

    def release(self, user_id: int) -> None:
        with self._lock:
            self._running[user_id] -= 1
            if self._running[user_id] <= 0:
                del self._running[user_id]

    def running(self, user_id: int | None = None) -> int:
        with self._lock:
            return sum(self._running.values()) if user_id is None else self._running[user_id]


fetches = Slots()


@contextmanager
def fetch_slot(user_id: int) -> Iterator[None]:
    """Hold one of the user's fetch slots for the block, or raise `Busy` at once."""
    if not fetches.acquire(user_id):
        raise Busy(per_user=fetches.running(user_id) >= fetches.per_user)
    try:
        yield
    finally:
        fetches.release(user_id)
