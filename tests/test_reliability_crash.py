"""Crash: SIGKILL the whole server (master and workers) mid write-load, 20 times.

After each restart: `PRAGMA integrity_check` is ok, the full-text index is in step, and
every write acknowledged before any of the kills is present as sent (changes that got
no answer may have landed or not, but nothing else).
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from tests.support.reliability_load import fts_consistent, join, new_ledgers, start_load, verify
from tests.support.reliability_report import record
from tests.support.reliability_server import add_token, add_user, integrity, rows, start_server

pytestmark = [pytest.mark.reliability, pytest.mark.slow]
KILLS = int(os.environ.get("RELIABILITY_KILLS", "20"))
THREADS = 4


@pytest.mark.timeout(300)
def test_sigkill_mid_write_loses_no_acknowledged_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    tokens = {"ann": add_token(data, "ann")}
    database = data / "recipes.sqlite3"
    user_ids = {row["username"]: row["id"] for row in rows(database, "SELECT * FROM users")}
    ledgers = new_ledgers(tokens, THREADS)
    rng = random.Random(20)  # noqa: S311
    survived, unanswered_before = 0, 0

    for kill in range(KILLS + 1):
        server = start_server(data)
        try:
            server.wait_healthy()
            assert integrity(database) == "ok", f"after kill {kill}"
            assert fts_consistent(database) == [], f"after kill {kill}"
            verdict = verify(database, ledgers, user_ids)
            assert verdict.lost == [], f"after kill {kill}: {verdict.lost[:10]}"
            if kill == KILLS:
                break
            seconds = rng.uniform(0.4, 1.0)
            workers = start_load(server.url, tokens, ledgers, seconds, kill)
            # Kill while the threads are still sending, with a third of their time left: a
            # kill 50 ms before the deadline came after it on a busy machine (nothing cut off).
            kill_at = min(w.deadline for w in workers) - seconds / 3
            time.sleep(max(0.0, kill_at - time.monotonic()))
            server.kill()
            join(workers)
            survived += 1
        finally:
            server.stop()
        unanswered = sum(ledger.unanswered for ledger in ledgers)
        # At least one request of each kill was cut off: the kill really was mid-load.
        assert unanswered > unanswered_before, f"kill {kill} interrupted nothing"
        unanswered_before = unanswered

    failures = [f for ledger in ledgers for f in ledger.failures if not f.startswith("no answer")]
    requests_sent = sum(ledger.requests for ledger in ledgers)
    acked = sum(ledger.writes_acked for ledger in ledgers)
    record(
        "crash",
        kills=KILLS,
        kills_survived=survived,
        requests_answered=requests_sent,
        requests_cut_off=unanswered_before,
        writes_acknowledged=acked,
        recipes_verified=verdict.verified,
        deletes_verified=verdict.deletes_verified,
        cut_off_changes_resolved=verdict.uncertain_resolved,
        lost=len(verdict.lost),
    )
    assert failures == [], failures[:20]
    assert survived == KILLS
    assert acked > KILLS * 5
