"""The safe fetcher against a real HTTP server on 127.0.0.1: SSRF guard (every hop),
timeouts, size cap, status and content-type errors."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from recipes.importing import fetch as fetch_module
from recipes.importing.errors import (
    BadUrl,
    BlockedAddress,
    FetchFailed,
    FetchRefused,
    FetchTimeout,
    NotHtml,
    TooLarge,
)
from recipes.importing.fetch import fetch, is_public
from tests.support.local_site import drip, local_site

PAGE = b"<html><head><title>T</title></head><body><h1>Caf\xc3\xa9</h1></body></html>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _raw(self, data: bytes) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client hangs up on purpose
            self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's naming
        port = self.server.server_address[1]
        path = self.path
        if path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/ua":
            self._send(200, self.headers.get("User-Agent", "").encode())
        elif path == "/to-loopback":
            self._send(302, Location=f"http://127.0.0.1:{port}/page")
        elif path == "/to-localhost":
            self._send(301, Location=f"http://localhost:{port}/page")
        elif path == "/to-metadata":
            self._send(307, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-file":
            self._send(302, Location="file:///etc/passwd")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            target = f"/hop/{left - 1}" if left > 0 else "/page"
            self._send(302, Location=target)
        elif path == "/cookie-1":
            self._send(302, Location="/cookie-2", Set_Cookie="consent=yes; Path=/")
        elif path == "/cookie-2":
            ok = "consent=yes" in (self.headers.get("Cookie") or "")
            self._send(200 if ok else 403, PAGE)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, PAGE)
        elif path == "/drip":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"
            drip(self, [head] + [b"x"] * 1000, 0.05)
        elif path == "/drip-headers":
            drip(self, [b"HTTP/1.1 200 OK\r\n"] + [b"X-A: b\r\n"] * 1000, 0.05)
        elif path == "/many-headers":
            self._raw(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 150 + b"\r\n" + PAGE)
        elif path == "/huge-header":
            self._raw(b"HTTP/1.1 200 OK\r\nX-A: " + b"b" * 70_000 + b"\r\n\r\n" + PAGE)
        elif path == "/drip-chunks":
            head = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            drip(self, [head] + [b"1\r\nx\r\n"] * 1000, 0.05)
        elif path == "/long-chunk-line":
            head = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            self._raw(head + b"1;" + b"e" * 5000 + b"\r\nx\r\n0\r\n\r\n")
        elif path == "/endless-trailers":
            head = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            drip(self, [head + b"1\r\nx\r\n0\r\n"] + [b"X-T: " + b"t" * 500 + b"\r\n"] * 5000, 0)
        elif path == "/cookie-to-other-host":
            other = f"http://other.test:{port}/cookie-echo"
            self._send(302, Location=other, Set_Cookie="session=secret; Path=/")
        elif path == "/cookie-echo":
            self._send(200, ("cookie=" + (self.headers.get("Cookie") or "none")).encode())
        elif path == "/big":
            self._send(200, b"x" * (6 * 1024 * 1024))
        elif path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(7 * 16):
                    self.wfile.write(b"y" * 65536)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/bomb":
            body = gzip.compress(b"z" * (50 * 1024 * 1024))
            self._send(200, body, Content_Encoding="gzip")
        elif path == "/gzip":
            body = gzip.compress(PAGE)
            self._send(200, body, "text/html; charset=utf-8", Content_Encoding="gzip")
        elif path == "/latin1":
            body = "<p>Crème brûlée</p>".encode("latin-1")
            self._send(200, body, "text/html; charset=iso-8859-1")
        elif path == "/403":
            self._send(403, b"go away")
        elif path == "/404":
            self._send(404, b"nope")
        elif path == "/503":
            self._send(503, b"down")
        elif path == "/image":
            self._send(200, b"\x89PNG....", "image/png")
        else:
            self._send(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_site(Handler) as base:
        yield base


@pytest.fixture
def public_alias(monkeypatch, server):
    """`public.test` stands for an attacker's public site: it resolves to our local
    server but passes the guard, as a real public address would. Every other name goes
    through the real resolver and the real guard."""
    real_resolve = fetch_module.resolve

    def resolve(host, port, *, allow_private, deadline=None):
        if host == "public.test":
            return "127.0.0.1"
        return real_resolve(host, port, allow_private=allow_private, deadline=deadline)

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    return server.replace("127.0.0.1", "public.test")


# --- the guard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0",  # noqa: S104
        "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2001:db8::1",
    ],
)  # fmt: skip
def test_guard_refuses_inward_addresses(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1111"])
def test_guard_allows_public_addresses(address):
    assert is_public(address)


def test_guard_refuses_loopback_url(server):
    with pytest.raises(BlockedAddress, match="private or local"):
        fetch(server + "/page")


def test_guard_refuses_localhost_name(server):
    with pytest.raises(BlockedAddress):
        fetch(server.replace("127.0.0.1", "localhost") + "/page")


def test_guard_checks_every_redirect_hop(public_alias):
    # The first hop is "public" and is fetched; its redirect to 127.0.0.1 is refused.
    assert "Café" in fetch(public_alias + "/page").html
    with pytest.raises(BlockedAddress):
        fetch(public_alias + "/to-loopback")
    with pytest.raises(BlockedAddress):
        fetch(public_alias + "/to-localhost")
    with pytest.raises(BlockedAddress):
        fetch(public_alias + "/to-metadata")


def test_redirect_to_other_scheme_is_refused(public_alias):
    with pytest.raises(BadUrl, match="http"):
        fetch(public_alias + "/to-file")


def test_allow_private_lifts_the_guard(server):
    page = fetch(server + "/to-loopback", allow_private=True)
    assert page.url.endswith("/page")
    assert "Café" in page.html


def test_connection_goes_to_the_checked_address(monkeypatch, server):
    """The name is resolved once and the connection is pinned to that address:
    `pinned.invalid` has no DNS entry at all, so a second lookup would fail."""
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port, **_: "127.0.0.1")
    page = fetch(server.replace("127.0.0.1", "pinned.invalid") + "/page")
    assert "Café" in page.html


# --- the rest of the fetch rules ------------------------------------------------------


def test_browser_like_user_agent(server):
    ua = fetch(server + "/ua", allow_private=True).html
    assert ua.startswith("Mozilla/5.0") and "Chrome/" in ua


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "javascript:1", "x"])
def test_only_http_and_https(url):
    with pytest.raises(BadUrl):
        fetch(url)


def test_at_most_five_redirects(server):
    assert fetch(server + "/hop/4", allow_private=True).url.endswith("/page")
    with pytest.raises(FetchFailed, match="too many redirects"):
        fetch(server + "/hop/5", allow_private=True)


def test_cookies_set_on_a_redirect_are_sent_on(server):
    assert "Café" in fetch(server + "/cookie-1", allow_private=True).html


def test_timeout(server):
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="too long"):
        fetch(server + "/slow", allow_private=True, timeout=1)
    assert time.monotonic() - started < 2.5


def test_deadline_covers_a_dripping_body(server):
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(server + "/drip", allow_private=True, timeout=1)
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-chunks"])
def test_one_deadline_for_the_whole_exchange(server, path):
    """A server that drips its headers or its chunks, each well within a socket timeout,
    is still cut off at the one deadline of the fetch."""
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="too long"):
        fetch(server + path, allow_private=True, timeout=1)
    assert time.monotonic() - started < 2


def test_deadline_covers_a_name_lookup_that_never_answers(monkeypatch):
    """getaddrinfo has no timeout: a resolver that does not answer (a hostile name's own
    DNS server, say) is cut off at the fetch's deadline too."""
    real_getaddrinfo = socket.getaddrinfo
    released = threading.Event()

    def silent_resolver(host, *args, **kwargs):
        if host == "silent-dns.test":
            released.wait(30)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", silent_resolver)
    started = time.monotonic()
    try:
        with pytest.raises(FetchTimeout, match="too long"):
            fetch("http://silent-dns.test/recipe", timeout=1)
        assert time.monotonic() - started < 2
    finally:
        released.set()


@pytest.mark.parametrize(
    "path", ["/many-headers", "/huge-header", "/long-chunk-line", "/endless-trailers"]
)
def test_headers_and_chunk_lines_are_capped(server, path):
    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch(server + path, allow_private=True)
    assert not isinstance(caught.value, FetchTimeout)
    assert time.monotonic() - started < 5


def test_cookies_never_go_to_another_host(monkeypatch, server):
    real_resolve = fetch_module.resolve

    def resolve(host, port, *, allow_private, deadline=None):
        return (
            "127.0.0.1"
            if host == "other.test"
            else real_resolve(host, port, allow_private=allow_private, deadline=deadline)
        )

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    page = fetch(server + "/cookie-to-other-host", allow_private=True)
    assert page.html == "cookie=none"


def test_errors_never_name_the_internal_address(server):
    """A name that resolves inward is refused by its name, never by what it resolved to."""
    port = server.rsplit(":", 1)[1]
    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://localhost:{port}/page")
    assert "localhost" in str(caught.value)
    assert "127.0.0.1" not in str(caught.value) and "::1" not in str(caught.value)
    with pytest.raises(FetchFailed) as caught:
        fetch("http://127.0.0.1:9/", allow_private=True)  # nothing listens on port 9
    assert "127.0.0.1" not in str(caught.value)


def test_default_limits_are_the_documented_ones():
    assert fetch_module.TIMEOUT == 10
    assert fetch_module.MAX_REDIRECTS == 5
    assert fetch_module.MAX_BYTES == 5 * 1024 * 1024


def test_too_large_by_content_length(server):
    with pytest.raises(TooLarge, match="5 MB"):
        fetch(server + "/big", allow_private=True)


def test_too_large_without_content_length(server):
    with pytest.raises(TooLarge):
        fetch(server + "/big-unannounced", allow_private=True)


def test_gzip_bomb_is_capped(server):
    with pytest.raises(TooLarge):
        fetch(server + "/bomb", allow_private=True)


def test_gzip_and_charsets_are_decoded(server):
    assert "Café" in fetch(server + "/gzip", allow_private=True).html
    assert "Crème brûlée" in fetch(server + "/latin1", allow_private=True).html


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/403", 403, "bookmarklet"), ("/404", 404, "not found"), ("/503", 503, "server error"),
])  # fmt: skip
def test_refusals_carry_the_status(server, path, status, words):
    with pytest.raises(FetchRefused) as caught:
        fetch(server + path, allow_private=True)
    assert caught.value.status == status
    assert f"HTTP {status}" in str(caught.value) and words in str(caught.value)


def test_not_html(server):
    with pytest.raises(NotHtml, match="image/png"):
        fetch(server + "/image", allow_private=True)


def test_unknown_host():
    with pytest.raises(FetchFailed, match="could not find"):
        fetch("http://no-such-host.invalid/")
