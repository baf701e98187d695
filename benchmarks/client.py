"""A minimal keep-alive HTTP client that times each request (stdlib only, no pooling tricks)."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from http.cookies import SimpleCookie
from typing import Any

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One persistent connection to the server, with a cookie jar and optional bearer token."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        """(status, body, seconds): the time covers sending and reading the whole body."""
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self._conn.request(method, path, body=body, headers=sent)
            response = self._conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, ConnectionError):
            self._conn.close()  # the server closed a kept-alive connection: retry once
            started = time.perf_counter()
            self._conn.request(method, path, body=body, headers=sent)
            response = self._conn.getresponse()
            data = response.read()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data, elapsed

    def get(self, path: str) -> tuple[int, bytes, float]:
        return self.request("GET", path)

    def post_json(self, path: str, payload: Any) -> tuple[int, bytes, float]:
        body = json.dumps(payload).encode()
        return self.request("POST", path, body, {"Content-Type": "application/json"})

    def login(self, username: str, password: str) -> None:
        """Log in through the real form (CSRF token included), keeping the session cookie."""
        status, page, _ = self.get("/auth/login")
        match = _CSRF.search(page.decode())
        fields = {"username": username, "password": password}
        if match:
            fields["csrf_token"] = match.group(1)
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, _ = self.request("POST", "/auth/login", body, headers)
        if status != 302:
            raise RuntimeError(f"login failed with HTTP {status}")

    def close(self) -> None:
        self._conn.close()
