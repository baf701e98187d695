"""Fetching a recipe page safely.

- Only http and https; a browser-like User-Agent (many recipe sites turn away anything
  else); at most 5 redirects; at most 5 MB (after decompression).
- One 10 s deadline for the whole exchange, name lookups included: a watchdog shuts the
  socket when it passes, however slowly a server drips its headers, chunks or body.
- Headers are capped (100 lines, 64 KB in all), and so are chunk-size and trailer lines
  (1 KB each, 64 KB in all), so a hostile server cannot make us buffer without end.
- Cookies a site sets on a redirect go back only to that same host.
- SSRF guard: every hop's host is resolved once, every resolved address must be public,
  and the connection goes to exactly that checked address (so a DNS answer cannot change
  between the check and the connection). `allow_private=True` lifts the guard.

The standard library's http.client is enough for this and lets us pin the address;
no extra dependency.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from recipes.importing.errors import (
    BadUrl,
    BlockedAddress,
    FetchFailed,
    FetchRefused,
    FetchTimeout,
    NotHtml,
    TooLarge,
)

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
TIMEOUT = 10.0
MAX_REDIRECTS = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
MAX_HEADERS = 100
MAX_HEADER_BYTES = 64 * 1024
MAX_CHUNK_LINE = 1024
MAX_FRAMING_BYTES = 64 * 1024  # every chunk-size and trailer line together
_TOO_LONG = "the site took too long to answer (more than 10 seconds)"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_IMAGE_TYPES = ("image/", "application/octet-stream", "binary/octet-stream")
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Page:
    url: str  # the final address, after redirects
    html: str
    status: int


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> Page:
    """GET a page and return its decoded HTML, or raise a `FetchFailed` saying why."""
    final, response, body = _get(url, allow_private, timeout, max_bytes, max_redirects, _HTML_TYPES)
    return Page(url=final, html=_decode(response, body), status=response.status)


def fetch_image(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_IMAGE_BYTES,
) -> bytes:
    """GET an image's bytes under the same guard, deadline and redirect rules as a page;
    a response that says it is not an image is refused (the caller checks the content)."""
    _, _, body = _get(url, allow_private, timeout, max_bytes, MAX_REDIRECTS, _IMAGE_TYPES)
    return body


def _get(
    url: str,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    types: tuple[str, ...],
) -> tuple[str, http.client.HTTPResponse, bytes]:
    """Follow redirects to the final answer: (its address, the response, the body)."""
    deadline = time.monotonic() + timeout
    cookies: dict[str, dict[str, str]] = {}  # per host: never sent to another one
    for _ in range(max_redirects + 1):
        target = _check_url(url)
        host = (target.hostname or "").lower()
        port = target.port or _default_port(target.scheme)
        address = resolve(host, port, allow_private=allow_private, deadline=deadline)
        conn = _connection(target, address, deadline)
        watchdog = _Watchdog(conn, deadline)
        try:
            response = _request(conn, target, cookies.get(host, {}), watchdog)
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", "").strip())
                _keep_cookies(response, cookies.setdefault(host, {}))
                continue
            if response.status >= 400:
                raise FetchRefused(response.status, url)
            return url, response, _read_body(response, conn.sock, watchdog, max_bytes, types)
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchFailed(f"too many redirects (more than {max_redirects})")


class _Watchdog:
    """Shuts the connection's socket when the deadline passes, so that no read, however
    the server paces its bytes, outlives the one deadline of the whole fetch."""

    def __init__(self, conn: http.client.HTTPConnection, deadline: float) -> None:
        self.conn = conn
        self.deadline = deadline
        self.expired = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.deadline:
            raise FetchTimeout(_TOO_LONG)

    def cancel(self) -> None:
        self._timer.cancel()


class _CappedReader:
    """The response's byte stream with caps on the lines http.client reads from it:
    header lines (count and total size), then chunk-size and trailer lines."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.in_headers = True
        self._lines = 0
        self._used = 0

    def readline(self, limit: int = -1) -> bytes:
        cap = MAX_HEADER_BYTES if self.in_headers else MAX_CHUNK_LINE
        line = self._raw.readline(cap + 1 if limit < 0 else min(limit, cap + 1))
        self._lines += 1
        self._used += len(line)
        if self.in_headers and (self._used > MAX_HEADER_BYTES or self._lines > MAX_HEADERS + 1):
            raise FetchFailed("the site sent too many or too large headers")
        if not self.in_headers and (len(line) > MAX_CHUNK_LINE or self._used > MAX_FRAMING_BYTES):
            raise FetchFailed("the site sent a malformed page (oversized chunk lines)")
        return line

    def body_starts(self) -> None:
        self.in_headers, self._lines, self._used = False, 0, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Response(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp = _CappedReader(self.fp)  # type: ignore[assignment]

    def begin(self) -> None:
        super().begin()
        if isinstance(self.fp, _CappedReader):
            self.fp.body_starts()


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _check_url(url: str):
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise BadUrl(f"not a valid address: {url!r}") from None
    if parts.scheme not in ("http", "https"):
        raise BadUrl("only http:// and https:// addresses can be imported")
    if not parts.hostname:
        raise BadUrl(f"the address has no host name: {url!r}")
    return parts


def is_public(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified
    addresses (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
    )


def resolve(host: str, port: int, *, allow_private: bool, deadline: float | None = None) -> str:
    """The address to connect to; with the guard on, every address the name resolves to
    must be public (a name that also points inward is refused outright)."""
    addresses = _lookup(host, port, time.monotonic() + TIMEOUT if deadline is None else deadline)
    if not addresses:
        raise FetchFailed(f"could not find the site {host!r}")
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise BlockedAddress(
                f"refused to fetch {host!r}: it resolves to a private or local address; "
                "set RECIPES_IMPORT_ALLOW_PRIVATE=1 to allow this"
            )
    return addresses[0]


def _lookup(host: str, port: int, deadline: float) -> list[str]:
    """The name's addresses, within the deadline. getaddrinfo has no timeout of its own and
    a slow resolver can hold it far longer, so it runs in a daemon thread left to finish
    alone when the deadline passes."""
    found: list[Any] = []

    def run() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            found.append(error)

    lookup = threading.Thread(target=run, name="recipes-dns", daemon=True)
    lookup.start()
    lookup.join(_remaining(deadline))
    if not found:
        raise FetchTimeout(_TOO_LONG)
    if isinstance(found[0], BaseException):
        raise FetchFailed(f"could not find the site {host!r}")
    return list(dict.fromkeys(str(info[4][0]) for info in found[0]))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout(_TOO_LONG)
    return left


def _connection(target, address: str, deadline: float) -> http.client.HTTPConnection:
    port = target.port or _default_port(target.scheme)
    timeout = _remaining(deadline)
    if target.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.hostname, port, timeout=timeout)

    # Connect to the address we checked, not to whatever the name resolves to now;
    # TLS still verifies the certificate against the host name.
    def pinned(addr, timeout=None, source_address=None):
        return socket.create_connection((address, addr[1]), timeout, source_address)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    conn.response_class = _Response
    return conn


def _request(
    conn: http.client.HTTPConnection, target, cookies: dict[str, str], watchdog: _Watchdog
) -> http.client.HTTPResponse:
    path = target.path or "/"
    if target.query:
        path += "?" + target.query
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en-US,en;q=0.9",
        "Accept-Encoding": "gzip, deflate",
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request("GET", path, headers=headers)
        return conn.getresponse()
    except TimeoutError:
        raise FetchTimeout(_TOO_LONG) from None
    except ssl.SSLError as error:
        watchdog.check()
        raise FetchFailed(f"secure connection failed ({error.reason or error})") from None
    except (OSError, http.client.HTTPException) as error:
        watchdog.check()
        raise FetchFailed(f"could not connect to the site ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    """An error's kind, never its text: that could name the address the host resolved to."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return type(error).__name__


def _keep_cookies(response: http.client.HTTPResponse, cookies: dict[str, str]) -> None:
    """Some sites set a cookie on a redirect and expect it back on the next hop."""
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        if name.strip():
            cookies[name.strip()] = value.strip()


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket | None,
    watchdog: _Watchdog,
    max_bytes: int,
    types: tuple[str, ...] = _HTML_TYPES,
) -> bytes:
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(types):
        wanted = "a web page" if types == _HTML_TYPES else "an image"
        raise NotHtml(f"the address is not {wanted} (it is {content_type})")
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise TooLarge(f"the page is too large (over {max_bytes // (1024 * 1024)} MB)")
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    decoder = _decoder(encoding)
    chunks: list[bytes] = []
    size = 0
    while True:
        if sock is not None:
            sock.settimeout(_remaining(watchdog.deadline))
        try:
            chunk = response.read1(_CHUNK)
        except TimeoutError:
            raise FetchTimeout(_TOO_LONG) from None
        except (OSError, http.client.HTTPException) as error:
            watchdog.check()
            raise FetchFailed(
                f"the connection broke while reading the page ({_reason(error)})"
            ) from None
        if not chunk:
            watchdog.check()  # a socket shut by the watchdog reads as the end
            break
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, max_bytes + 1 - size)
            except zlib.error:
                raise FetchFailed("the page's compressed data is corrupt") from None
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"the page is too large (over {max_bytes // (1024 * 1024)} MB)")
        chunks.append(chunk)
        watchdog.check()
    return b"".join(chunks)


def _decoder(encoding: str):
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


def _decode(response: http.client.HTTPResponse, body: bytes) -> str:
    from w3lib.encoding import html_to_unicode  # deferred: not needed at app start

    _, text = html_to_unicode(response.getheader("Content-Type"), body)
    return text
