"""The household's plan as an iCalendar feed (RFC 5545): one all-day event per entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .models import Entry

PRODID = "-//Recipes//Meal plan//EN"
MAX_LINE = 75  # octets per content line before folding


def escape_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = MAX_LINE if not pieces else MAX_LINE - 1  # continuation lines start with " "
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar(
    entries: Iterable[Entry], host: str, stamp: dt.datetime, link: Callable[[Entry], str | None]
) -> str:
    """The feed text. `link` gives a recipe entry's address (None for free text)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Meal plan",
    ]
    stamp_text = stamp.strftime("%Y%m%dT%H%M%SZ")
    for entry in entries:
        day = entry.date
        lines += [
            "BEGIN:VEVENT",
            f"UID:mealplan-{entry.id}@{host}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(f'{entry.slot}: {entry.title}')}",
            "TRANSP:TRANSPARENT",
        ]
        url = link(entry)
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
