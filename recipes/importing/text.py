"""Turning the strings pages give us into clean text: entities decoded, tags dropped,
whitespace normalised; and reading durations and yields."""

from __future__ import annotations

import html
import math
import re
from typing import Any

_DROP_BLOCKS = re.compile(r"<(script|style|template|noscript|select)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>|<!--.*?-->", re.S)
_BREAKS = re.compile(r"<\s*(br|/p|/li|/div|/h[1-6]|/tr|p|li|div|h[1-6])\b[^>]*>", re.I)
_OPEN_TAG = re.compile(r"<[a-zA-Z!/][^<>]*>")
_SPACE = re.compile(r"[ \t\f\v\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\x00\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# UTF-8 read as Windows-1252 or Latin-1 ("1Â¼ cups", "crÃ¨me", "itâ€™s"): a lead byte's
# letter followed by a continuation byte's.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
    "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)


def unescape(value: str) -> str:
    """Decode HTML entities, including double-encoded ones (`&amp;amp;`)."""
    for _ in range(3):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


def _strip(value: str) -> str:
    value = _DROP_BLOCKS.sub("", value)
    return _TAG.sub("", value)


def line(value: Any) -> str:
    """One line of text: entities decoded, tags stripped, all whitespace folded to one space."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    value = str(value)
    # Decode first so that entity-encoded tags (`&lt;b&gt;`) are stripped too.
    value = _strip(unescape(_strip(value)))
    value = _INVISIBLE.sub("", unmojibaked(value))
    if "((" in value and "))" in value:  # "((see note))": a template wrapping its own brackets
        value = value.replace("((", "(").replace("))", ")")
    return " ".join(value.split())


def unmojibaked(value: str) -> str:
    """UTF-8 text a page (or its JSON-LD) decoded as Windows-1252 along the way, put
    back: "1Â¼ cups" is "1¼ cups". Text that is not such a mix is left as it is."""
    if not _MOJIBAKE.search(value):
        return value
    for codec in ("cp1252", "latin-1"):
        try:
            return value.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return value


def lines(value: Any) -> list[str]:
    """A text blob split into lines at line breaks and block tags, each cleaned."""
    if value is None or isinstance(value, dict | list | bool):
        return []
    value = _BREAKS.sub("\n", unescape(str(value)))
    # A line break inside a tag (an attribute's text) does not end a line.
    if "\n" in value:
        value = _OPEN_TAG.sub(lambda tag: " ".join(tag.group().split()), value)
    return [text for text in (line(part) for part in value.split("\n")) if text]


_BULLET = re.compile(r"^(?:[•·▪◦‣●○■□►▸*–—-]\s+|[,;]\s*)(?=\S)")
_LEADING_COMMA = re.compile(r"^[,;]\s*(?=\S)")


_SOURCE_NEWLINE = re.compile(r"[\r\n]+")


def html_lines(markup: str) -> list[str]:
    """An element's HTML split into the lines a browser shows: at line breaks and block
    tags only; a newline in the source is a space, as in any HTML."""
    return lines(_SOURCE_NEWLINE.sub(" ", markup))


AMOUNT = re.compile(r"^\s*[\d½¼¾⅓⅔⅛]")  # a line that starts with an amount
# An amount with at most its unit: "250", "250 g", "2 PL".
_AMOUNT_UNIT = re.compile(r"^[\d½¼¾⅓⅔⅛][\d½¼¾⅓⅔⅛.,/ -]*(\s*[^\W\d_]+\.?)?$")


def unbulleted(value: str, bullets: bool = True) -> str:
    """A line without a stray leading comma and, with `bullets`, without a bullet typed
    into its text ("• 1 lemon", "- 2 eggs"). Steps keep their dashes: a step that
    starts with one is often a tip ("– Play with different cheeses")."""
    return (_BULLET if bullets else _LEADING_COMMA).sub("", value)


def ingredient_lines(pieces: list[str]) -> bool:
    """Whether the pieces of one line cut at its line breaks are ingredient lines of their
    own ("3 tbsp oil", "2 cloves garlic"), not one ingredient wrapped ("2 cups flour,",
    "sifted") nor an amount cut from its food ("250 g", "flour"): each starts with an
    amount, but for one after the first ("Juice of a lime"), and none is only an amount."""
    if len(pieces) < 2 or any(_AMOUNT_UNIT.match(piece) for piece in pieces):
        return False
    without = [piece for piece in pieces if not AMOUNT.match(piece)]
    return not without or (len(without) == 1 and without[0] != pieces[0] and len(pieces) > 2)


def paragraphs(value: Any) -> str:
    """Free text (descriptions, notes): paragraphs kept, each line cleaned."""
    return "\n".join(lines(value))


def first(value: Any) -> Any:
    """The first item of a list, or the value itself."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return value


def joined(value: Any, sep: str = ", ") -> str:
    """A string or a list of strings as one line."""
    if isinstance(value, list):
        parts = [line(item.get("name") if isinstance(item, dict) else item) for item in value]
        return sep.join(dict.fromkeys(part for part in parts if part))
    if isinstance(value, dict):
        return line(value.get("name"))
    return line(value)


_TEXT_DURATION = re.compile(
    r"(?:(?P<days>\d+(?:[.,]\d+)?)\s*(?:days?|d)\b)?\s*,?\s*(?:and\s+)?"
    r"(?:(?P<hours>\d+(?:[.,]\d+)?|[½¼¾])\s*(?:hours?|hrs?|h|std|stunden?|heures?|horas?|ore|uur)\b\.?)?"
    r"\s*,?\s*(?:and\s+)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)\s*(?:minutes?|mins?|m|minuten|minutos|minuti|mn)\b\.?)?",
    re.I,
)
_MAX_STEPS = 100
_MAX_MINUTES = 100_000
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}


def minutes(value: Any) -> int | None:
    """Minutes from an ISO 8601 duration (PT1H30M), a number, or text ("1 hr 30 mins").

    Zero is treated as "not given": pages use PT0M as a placeholder far more often than
    they mean "takes no time"; so is a time of more than 100,000 minutes (69 days), no
    recipe's but a broken value (a negative "PT-476070H19M32S" read without its sign).
    """
    if isinstance(value, list):
        value = first(value)
    if isinstance(value, dict):
        value = value.get("maxValue") or value.get("value") or value.get("minValue")
    if value is None or isinstance(value, bool):
        return None
    total = float(value) if isinstance(value, int | float) else _text_minutes(line(value))
    if total is None or not math.isfinite(total) or not 0 < total <= _MAX_MINUTES:
        return None
    return math.ceil(total - 1e-9)


def _text_minutes(text: str) -> float | None:
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    iso = text.upper().replace(" ", "")
    if re.match(r"^P(\d|T\d)", iso):
        import isodate  # deferred: not needed at app start

        try:
            return isodate.parse_duration(iso).total_seconds() / 60
        except (isodate.ISO8601Error, ValueError, TypeError, OverflowError):
            iso_loose = re.fullmatch(r"PT?(?:(\d+)H)?(?:(\d+)M)?", iso)
            if iso_loose and any(iso_loose.groups()):
                hours, mins = (int(g or 0) for g in iso_loose.groups())
                return hours * 60 + mins
            return None
    # "10-15 minutes" / "10 to 15 minutes": take the upper bound.
    text = re.sub(r"\d+(?:[.,]\d+)?\s*(?:-|–|to)\s*(?=\d)", "", text, flags=re.I)
    clock = re.fullmatch(r"(\d+)\s*(?::|h|hr|hrs)\s*(\d{1,2})", text, re.I)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    for match in _TEXT_DURATION.finditer(text):
        parts = match.groupdict()
        if not any(parts.values()):
            continue
        days, hours_f, mins_f = (_number(parts[key]) for key in ("days", "hours", "minutes"))
        return days * 1440 + hours_f * 60 + mins_f
    return None


def _number(text: str | None) -> float:  # a duration part: "1.5" hours
    if not text:
        return 0.0
    if text in _FRACTIONS:
        return _FRACTIONS[text]
    return float(text.replace(",", "."))


_UNITLESS = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


def servings(value: Any) -> str:
    """The yield as text; from a list, the entry that says most (["4", "4 servings"])."""
    if isinstance(value, dict):
        value = value.get("value") or value.get("name")
    if isinstance(value, list):
        texts = [line(item) for item in value if not isinstance(item, dict | list)]
        texts = [text for text in texts if text]
        if not texts:
            return ""
        worded = [text for text in texts if not _UNITLESS.match(text)]
        return worded[0] if worded else texts[0]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return line(value)


def yield_text(value: Any) -> str:
    """Servings from a web page: a bare number reads as "4 servings", words are kept."""
    result = servings(value)
    if _UNITLESS.match(result):
        return f"{result} servings" if result.strip() != "1" else "1 serving"
    return result


def tags(value: Any) -> list[str]:
    """Keywords as a list: a comma (or semicolon) separated string, or a list."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        text = line(item)
        separator = ";" if ";" in text and "," not in text else ","
        result.extend(part.strip() for part in text.split(separator))
    seen: dict[str, str] = {}
    for tag in result:
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())


def numbered_steps(value: str) -> list[str]:
    """One text that numbers its own steps ("1. Mix. 2. Bake.", "1) Mix.2) Bake.") as
    those steps, without their numbers; a text whose numbers do not run 1, 2, 3... from
    its start is left whole."""
    cuts: list[tuple[int, int]] = []
    for number in range(1, _MAX_STEPS):
        found = re.compile(rf"(?<![\d,/]){number}[.)]\s*(?=[^\W\d_])").search(
            value, cuts[-1][1] if cuts else 0
        )
        if found is None or (number == 1 and found.start() != 0):
            break
        cuts.append(found.span())
    if len(cuts) < 2:
        return [value]
    ends = [start for start, _ in cuts[1:]] + [len(value)]
    steps = [value[end:stop].strip() for (_, end), stop in zip(cuts, ends, strict=True)]
    return [step for step in steps if step]
