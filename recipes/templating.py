"""Template filters and globals."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from markupsafe import Markup, escape

from recipes.search import HIGHLIGHT_END, HIGHLIGHT_START


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
    full = value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")
    text = relative_time(value, now or datetime.now(UTC)) or value.strftime("%-d %b %Y")
    return Markup('<time datetime="{}" title="{}" data-local>{}</time>').format(iso, full, text)


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


def init_app(app: Flask) -> None:
    app.add_template_filter(highlight)
    app.add_template_filter(safe_jsonld)
    app.add_template_filter(format_datetime, "datetime")
