"""Instruction steps for the cook: temperatures in both scales, durations as timers.

Steps that each start with their own number ("1 Mix", "2. Bake", "Step 3: Serve"), as
some sites write them, are shown without it: the page's list numbers them already.
A step becomes a list of pieces the templates render (autoescaped): plain text, a
temperature shown as `350°F (175°C)`, and durations (`bake for 25 minutes`, `1–2 hours`)
that cook mode turns into timer buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+(?:[.,]\d+)?(?:\s?[½¼¾⅓⅔])?|[½¼¾⅓⅔]"
_TEMPERATURE = re.compile(
    r"(?<![\w.])(?P<value>\d{2,3})\s*(?:°\s*|º\s*|degrees?\s+)?"
    r"(?P<scale>F|C|Fahrenheit|Celsius|centigrade)\b"
    r"(?P<other>\s*\(\s*\d{2,3}\s*(?:°\s*|º\s*|degrees?\s+)?(?:F|C)\b[^)]*\))?",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"(?<![\w.])(?P<low>{_NUM}|an?|one|half an?)"
    rf"(?:\s*(?:-|–|—|to|or)\s*(?P<high>{_NUM}))?"
    r"\s*(?P<unit>hours?|hrs?|h|minutes?|mins?|seconds?|secs?)\b"
    r"(?:\s*(?:and\s*)?(?P<extra>\d+)\s*(?:minutes?|mins?|m)\b)?",
    re.IGNORECASE,
)
# "1 ", "2.", "3)", "4 -", "Step 5:": a step's own number before its text.
_OWN_NUMBER = re.compile(
    r"^\s*(?:(?:step|étape|etape|schritt|stap|paso|passo)\s*)?(?P<n>\d{1,3})"
    r"(?:\s*[.):\-–]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_BOTH_SCALES = re.compile(r"\d{2,3}°[FC] \(\d{2,3}°[FC]\)")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_WORDS = {"a": 1.0, "an": 1.0, "one": 1.0, "half a": 0.5, "half an": 0.5}
_GLYPHS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
MAX_TIMER = 48 * 3600


@dataclass(frozen=True)
class Piece:
    """Part of a step: `kind` is "text", "temperature" or "timer" (then `seconds` is set)."""

    kind: str
    text: str
    seconds: int | None = None


def _value(text: str) -> float:
    text = text.strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    total = 0.0
    if text and text[-1] in _GLYPHS:
        total, text = _GLYPHS[text[-1]], text[:-1].strip()
    return total + (float(text.replace(",", ".")) if text else 0.0)


def fahrenheit_to_celsius(value: float) -> int:
    return int(5 * round((value - 32) * 5 / 9 / 5))


def celsius_to_fahrenheit(value: float) -> int:
    """Oven temperatures to the 25 °F steps ovens have; lower ones to 5 °F."""
    fahrenheit = value * 9 / 5 + 32
    step = 25 if fahrenheit >= 250 else 5
    return int(step * round(fahrenheit / step))


def _temperature(match: re.Match[str]) -> str:
    value = int(match.group("value"))
    if match.group("other"):
        return match.group(0)  # already in both scales
    if match.group("scale")[0].lower() == "f":
        return f"{value}°F ({fahrenheit_to_celsius(value)}°C)"
    return f"{value}°C ({celsius_to_fahrenheit(value)}°F)"


def _seconds(match: re.Match[str]) -> int | None:
    unit = match.group("unit")[0].lower()
    seconds = _value(match.group("low")) * _UNIT_SECONDS[unit]
    if match.group("extra") and unit == "h":
        seconds += int(match.group("extra")) * 60
    return int(seconds) if 0 < seconds <= MAX_TIMER else None


def step_pieces(step: str) -> list[Piece]:
    """The step split into text, temperatures (both scales) and timers."""
    pieces: list[Piece] = []
    text = _TEMPERATURE.sub(_temperature, step)
    position = 0
    for match in _DURATION.finditer(text):
        seconds = _seconds(match)
        if seconds is None:
            continue
        pieces.append(Piece("text", text[position : match.start()]))
        pieces.append(Piece("timer", match.group(0), seconds))
        position = match.end()
    pieces.append(Piece("text", text[position:]))
    return _split_temperatures([p for p in pieces if p.text])


def _split_temperatures(pieces: list[Piece]) -> list[Piece]:
    result: list[Piece] = []
    for piece in pieces:
        if piece.kind != "text":
            result.append(piece)
            continue
        position = 0
        for match in _BOTH_SCALES.finditer(piece.text):
            result.append(Piece("text", piece.text[position : match.start()]))
            result.append(Piece("temperature", match.group(0)))
            position = match.end()
        result.append(Piece("text", piece.text[position:]))
    return [p for p in result if p.text]


def step_text(step: str) -> str:
    """The step as plain text, temperatures in both scales."""
    return _TEMPERATURE.sub(_temperature, step)


def unnumbered(steps: list[str]) -> list[str]:
    """The steps without their own numbers, when every one starts with its place in the
    list ("1 Mix", "2 Bake"); else as written ("1 hour before, soften the butter")."""
    found = [_OWN_NUMBER.match(step) for step in steps]
    if len(steps) < 2 or not all(m and int(m["n"]) == i for i, m in enumerate(found, 1)):
        return steps
    return [step[m.end() :] for step, m in zip(steps, found, strict=True) if m]
