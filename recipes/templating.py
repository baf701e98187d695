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


def format_datetime(value: datetime) -> str:
    return value.strftime("%-d %b %Y, %H:%M UTC")


def ago(value: datetime, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "2 days ago", or the date for anything over a month."""
    now = now or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    seconds = max(0, int((now - value).total_seconds()))
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        count = seconds // size
        if count and (unit != "day" or count <= 31):
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
        if count:
            return value.strftime("on %-d %b %Y")
    return "just now"


def init_app(app: Flask) -> None:
    app.add_template_filter(highlight)
    app.add_template_filter(safe_jsonld)
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(ago)
    app.jinja_env.globals["url_endpoints"] = app.view_functions
