"""Template filters and globals, and the content-hashed URLs of static files."""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from recipes.search import HIGHLIGHT_END, HIGHLIGHT_START

STATIC_MAX_AGE = 365 * 24 * 3600
# Arguments url_for() takes for itself: copied from a query string they would change the
# link (or, with `endpoint`, fail with a 500) instead of being passed along.
URL_FOR_OWN_ARGS = frozenset({"endpoint", "_method", "_external", "_scheme", "_anchor"})


def highlight(snippet: str) -> Markup:
    """Escape first, then turn the search markers into <mark>: no stored markup survives."""
    text = str(escape(snippet))
    return Markup(text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))  # noqa: S704


def safe_jsonld(data: str) -> Markup:
    """JSON for a <script type="application/ld+json"> block that no value can close."""
    return Markup(data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704


def format_datetime(value: datetime, now: datetime | None = None) -> Markup:
    """A <time> that app.js shows in the reader's own time zone; relative while recent."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    iso = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = relative_time(value, now or datetime.now(UTC)) or value.strftime("%-d %b %Y")
    return Markup('<time datetime="{}" title="{}" data-local>{}</time>').format(
        iso, datetime_text(value), text
    )


def datetime_text(value: datetime) -> str:
    """The moment as plain text ("7 Dec 2026, 04:30 UTC"), for an attribute: a title or a
    label, where the <time> of `format_datetime` would break the tag."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def relative_time(value: datetime, now: datetime) -> str | None:
    """'just now', '5 minutes ago', '3 hours ago', 'yesterday', '4 days ago'; None past a week."""
    seconds = (now - value).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        return None
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        count = int(seconds // size)
        if count == 1 and unit == "day":
            return "yesterday"
        if count >= 1:
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def query_args(**changes: Any) -> dict[str, Any]:
    """This request's query arguments with `changes`, safe to pass to url_for()."""
    args = {k: v for k, v in request.args.items() if k not in URL_FOR_OWN_ARGS}
    return {**args, **changes}


def is_local_host(host: str | None) -> bool:
    """A loopback, private or link-local address (or `localhost`): this machine or its LAN."""
    if not host:
        return False
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def outside_url(url: str | None) -> str:
    """`url`, or "" where the app must not load resources from this machine or its network
    (the desktop: its cookies would go along to any local port, see desktop/webapp.py)."""
    if not url or not current_app.config.get("LOCAL_RESOURCES_REFUSED"):
        return url or ""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return ""
    return "" if is_local_host(host) else url


@lru_cache(maxsize=64)
def static_hash(folder: str, filename: str) -> str | None:
    """A short hash of a static file's content (None if it does not exist)."""
    try:
        return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]
    except (OSError, ValueError):
        return None


def _version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    """Static URLs carry their content hash (?v=), so a changed file gets a new URL."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = static_hash(current_app.static_folder or "", values["filename"])
        if digest:
            values["v"] = digest


def _cache_versioned_static(response: Response) -> Response:
    """A static file asked for by its current hash never changes: cache it for a year."""
    if request.endpoint == "static" and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        digest = static_hash(current_app.static_folder or "", filename)
        if digest and request.args.get("v") == digest:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.add_template_filter(highlight)
    app.add_template_filter(safe_jsonld)
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(datetime_text)

    app.add_template_filter(outside_url)
    app.add_template_global(query_args)
    app.url_defaults(_version_static_urls)
    app.after_request(_cache_versioned_static)
