"""Fetching a recipe page safely.

- Only http and https; a browser-like User-Agent (many recipe sites turn away anything
  else); 10 s overall deadline; at most 5 redirects; at most 5 MB (after decompression).
- SSRF guard: every hop's host is resolved once, every resolved address must be public,
  and the connection goes to exactly that checked address (so a DNS answer cannot change
  between the check and the connection). `allow_private=True` lifts the guard.

The standard library's http.client is enough for this and lets us pin the address;
no extra dependency.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
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
    cookies: dict[str, str] = {}
    for _ in range(max_redirects + 1):
        target = _check_url(url)
        address = resolve(
            target.hostname or "",
            target.port or _default_port(target.scheme),
            allow_private=allow_private,
        )
        response, conn = _request(target, address, cookies, deadline)
        try:
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", "").strip())
                _keep_cookies(response, cookies)
                continue
            if response.status >= 400:
                raise FetchRefused(response.status, url)
            return url, response, _read_body(response, conn.sock, deadline, max_bytes, types)
        finally:
            conn.close()
    raise FetchFailed(f"too many redirects (more than {max_redirects})")


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


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to; with the guard on, every address the name resolves to
    must be public (a name that also points inward is refused outright)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(f"could not find the site {host!r} ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchFailed(f"could not find the site {host!r}")
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise BlockedAddress(
                f"refused to fetch {host!r}: it resolves to a private or local address "
                f"({blocked[0]}); set RECIPES_IMPORT_ALLOW_PRIVATE=1 to allow this"
            )
    return addresses[0]


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout("the site took too long to answer (more than 10 seconds)")
    return left


def _request(target, address: str, cookies: dict[str, str], deadline: float):
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
        return conn.getresponse(), conn
    except TimeoutError:
        conn.close()
        raise FetchTimeout("the site took too long to answer (more than 10 seconds)") from None
    except ssl.SSLError as error:
        conn.close()
        raise FetchFailed(f"secure connection failed ({error.reason or error})") from None
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        raise FetchFailed(f"could not connect to the site ({error})") from None


def _keep_cookies(response: http.client.HTTPResponse, cookies: dict[str, str]) -> None:
    """Some sites set a cookie on a redirect and expect it back on the next hop."""
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        if name.strip():
            cookies[name.strip()] = value.strip()


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket | None,
    deadline: float,
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
            sock.settimeout(_remaining(deadline))
        try:
            # read1 returns whatever has arrived, so a server dripping bytes cannot
            # stretch one read past the deadline.
            chunk = response.read1(_CHUNK)
        except TimeoutError:
            raise FetchTimeout("the site took too long to answer (more than 10 seconds)") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchFailed(f"the connection broke while reading the page ({error})") from None
        if not chunk:
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
        _remaining(deadline)
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
