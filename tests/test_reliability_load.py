"""Load: real gunicorn (2 workers), 8 client threads writing at once for 30 s.

Zero 5xx, zero "database is locked", every acknowledged write stored as sent, every
acknowledged delete gone, and the full-text index in step with the recipes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.reliability_load import fts_consistent, run_load, verify
from tests.support.reliability_report import record
from tests.support.reliability_server import add_token, add_user, integrity, rows, running

pytestmark = [pytest.mark.reliability, pytest.mark.slow]
SECONDS = float(os.environ.get("RELIABILITY_LOAD_SECONDS", "30"))
THREADS = 8


@pytest.mark.timeout(240)
def test_concurrent_writes_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    add_user(data, "bob")
    tokens = {name: add_token(data, name) for name in ("ann", "bob")}
    database = data / "recipes.sqlite3"
    user_ids = {row["username"]: row["id"] for row in rows(database, "SELECT * FROM users")}

    with running(data) as server:
        ledgers = run_load(server.url, tokens, THREADS, SECONDS, seed=8)
        log = server.log()

    requests_sent = sum(ledger.requests for ledger in ledgers)
    writes_acked = sum(ledger.writes_acked for ledger in ledgers)
    failures = [failure for ledger in ledgers for failure in ledger.failures]
    statuses: dict[int, int] = {}
    for ledger in ledgers:
        for status, count in ledger.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    verdict = verify(database, ledgers, user_ids)
    record(
        "load",
        seconds=SECONDS,
        threads=THREADS,
        requests_sent=requests_sent,
        statuses=statuses,
        writes_acknowledged=writes_acked,
        recipes_verified=verdict.verified,
        deletes_verified=verdict.deletes_verified,
        lost=len(verdict.lost),
        failures=len(failures),
    )

    assert failures == [], failures[:20]
    assert not [s for s in statuses if s >= 500]
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
    assert verdict.lost == [], verdict.lost[:20]
    assert integrity(database) == "ok"
    assert fts_consistent(database) == []
    # The run did real work: enough requests, writes and deletes to mean something.
    assert requests_sent > 200 and writes_acked > 100 and verdict.deletes_verified > 5
