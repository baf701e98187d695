"""API tokens: only a hash is stored, checks do not leak timing, and a revoked token
fails at once on every gunicorn worker."""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from pathlib import Path

import pytest

from tests.support.reliability_report import record
from tests.support.reliability_server import (
    Browserless,
    add_token,
    add_user,
    api_session,
    rows,
    running,
)

pytestmark = pytest.mark.reliability


def test_only_a_hash_is_stored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    secret = add_token(data, "ann", "phone")
    [row] = rows(data / "recipes.sqlite3", "SELECT * FROM api_tokens")
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    # The secret (or its random part) is nowhere in the database files.
    for path in data.glob("recipes.sqlite3*"):
        raw = path.read_bytes()
        assert secret.encode() not in raw and secret[4:].encode() not in raw, path.name


def test_revoked_token_fails_at_once_on_every_worker(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "ann")
    secret = add_token(data, "ann", "doomed")
    keeper = add_token(data, "ann", "kept")
    with running(data) as server:
        api = api_session(secret)
        me = server.url + "/api/v1/me"
        assert all(api.get(me).status_code == 200 for _ in range(10))
        web = Browserless(server.url)
        assert web.login("ann").status_code == 302
        page = web.get("/settings").text
        # The revoke form of the "doomed" token (tokens are listed newest first).
        actions = re.findall(r'action="(/settings/tokens/(\d+)/revoke)"', page)
        [action] = [path for path, token_id in actions if token_id == "1"]
        assert web.submit("/settings", {}, action=action).status_code == 302

        # Fresh connections each time, so both workers answer over the 20 requests.
        statuses = [api_session(secret).get(me).status_code for _ in range(20)]
        assert statuses == [401] * 20
        assert api_session(keeper).get(me).status_code == 200
        pids = {line.split("pid: ")[1] for line in server.log().splitlines() if "Booting" in line}
        assert len(pids) == 2
    record("token-revocation", requests_after_revoke=20, accepted_after_revoke=0)


def test_token_check_time_does_not_depend_on_the_secret(tmp_path: Path) -> None:
    """Tokens are looked up by SHA-256 and compared with hmac.compare_digest: a guess
    sharing a long prefix with the real token is no faster or slower to reject."""
    data = tmp_path / "data"
    add_user(data, "ann")
    secret = add_token(data, "ann")
    near = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    far = "rcp_" + "z" * (len(secret) - 4)
    with running(data) as server:
        me = server.url + "/api/v1/me"

        def timed(token: str) -> float:
            session = api_session(token)
            started = time.perf_counter()
            assert session.get(me).status_code == 401
            return time.perf_counter() - started

        for token in (near, far):  # warm up both paths
            timed(token)
        # Interleaved, so a burst of load on the machine slows both sides alike.
        # The median of each pair's ratio: a pause that hits one request of a pair (the
        # other test process, a collection) moves one ratio, not the result.
        pairs = [(timed(near), timed(far)) for _ in range(31)]
    ratio = statistics.median(n / f for n, f in pairs)
    assert 0.5 < ratio < 2.0, pairs
