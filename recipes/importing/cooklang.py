"""Cooklang (`.cook`): the method as text with `@ingredient{qty%unit}`, `#cookware{}` and
`~timer{qty%unit}` marked inline. Steps are paragraphs; ingredients are gathered from
them in order (`@flour{200%g}` -> "200 g flour"); `== Section ==` lines head groups;
metadata comes from YAML front matter or `>> key: value` lines; the title from
`title:` or the file's name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.chowdown import load_yaml
from recipes.importing.entry import Entry
from recipes.importing.errors import ImportFailed
from recipes.importing.ingredient_text import compose
from recipes.importing.limits import read_capped

LABEL = "Cooklang"
MAX_FILE = 1024 * 1024
_INGREDIENT = re.compile(r"@(?:([^@#~{}\n]+?)\{([^}]*)\}|([\w\-]+))(?:\(([^)]*)\))?")
_COOKWARE = re.compile(r"#(?:([^@#~{}\n]+?)\{[^}]*\}|([\w\-]+))")
_TIMER = re.compile(r"~([^@#~{}\n]*?)\{([^}]*)\}")
_BLOCK_COMMENT = re.compile(r"\[-.*?-\]", re.S)
_LINE_COMMENT = re.compile(r"--.*$", re.M)
_METADATA = re.compile(r"^>>\s*([^:]+?)\s*:\s*(.*)$")
_SECTION = re.compile(r"^=+\s*(.*?)\s*=*\s*$")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?", re.S)


def detect(member: Member, head: str) -> str:
    """A `.cook` file, or text whose lines use Cooklang's `@name{...}` markers."""
    if member.suffix == ".cook":
        return LABEL
    if re.search(r"^>>\s*\w+\s*:", head, re.M) and _INGREDIENT.search(head):
        return LABEL
    return LABEL if len(re.findall(r"@[^@#~{}\n]+?\{[^}]*\}", head)) >= 2 else ""


def read(member: Member) -> Iterator[Entry]:
    with member.open() as stream:
        raw = read_capped(stream, MAX_FILE, member.name).decode("utf-8-sig", "replace")
    try:
        yield fields.entry(member.name, draft(raw, posixpath.splitext(member.base)[0]),
                           photo=_photo(member))  # fmt: skip
    except ImportFailed as error:
        yield Entry(member.name, error=str(error))


def _photo(member: Member) -> Any:
    stem = posixpath.splitext(member.base)[0]
    return fields.photo_near(member, *(f"{stem}.{ext}" for ext in ("jpg", "jpeg", "png", "webp")))


def _amount(raw: str) -> tuple[str, str]:
    quantity, _, unit = raw.partition("%")
    return quantity.strip(), unit.strip()


def _quantity(value: str) -> float | str:
    """ "2" -> 2.0 (written as kitchen fractions later); "1/2" -> 0.5; words stay words."""
    try:
        if "/" in value:
            top, bottom = value.split("/", 1)
            return int(top) / int(bottom)
        return float(value)
    except (ValueError, ZeroDivisionError):
        return value


def draft(raw: str, name: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    front = _FRONT.match(raw)
    if front:
        metadata.update(load_yaml(front.group(1)))
        raw = raw[front.end() :]
    raw = _BLOCK_COMMENT.sub("", raw)
    groups: list[dict[str, Any]] = []
    steps: list[str] = []
    notes: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            steps.append(_step_text(" ".join(paragraph), groups))
            paragraph.clear()

    for line in _LINE_COMMENT.sub("", raw).splitlines():
        stripped = line.strip()
        meta = _METADATA.match(stripped)
        if meta:
            metadata[meta.group(1).strip().lower()] = meta.group(2).strip()
        elif stripped.startswith("="):
            flush()
            title = _SECTION.match(stripped)
            fields.add_line(groups, "", title.group(1) if title else "")
        elif stripped.startswith(">"):
            notes.append(stripped.lstrip("> ").strip())
        elif stripped:
            paragraph.append(stripped)
        else:
            flush()
    flush()
    info = {str(k).lower(): v for k, v in metadata.items()}
    tags = info.get("tags")
    source = info.get("source") or info.get("source.url") or info.get("url")
    if isinstance(source, dict):
        source = source.get("url")
    return {
        "title": text.line(info.get("title")) or name,
        "description": text.paragraphs(info.get("description") or info.get("introduction")),
        "ingredient_groups": groups,
        "instructions": [s for s in steps if s],
        "servings": text.yield_text(
            info.get("servings") or info.get("serves") or info.get("yield")
        ),  # fmt: skip
        "prep_time": text.minutes(info.get("prep time") or info.get("time.prep")),
        "cook_time": text.minutes(info.get("cook time") or info.get("time.cook")),
        "total_time": text.minutes(
            info.get("time") or info.get("duration") or info.get("total time")
        ),  # fmt: skip
        "tags": text.tags(tags) if isinstance(tags, str) else [str(t) for t in tags or []],
        "category": text.line(info.get("course") or info.get("category")),
        "cuisine": text.line(info.get("cuisine")),
        "source_url": text.line(source),
        "notes": "\n".join(notes),
    }


def _step_text(step: str, groups: list[dict[str, Any]]) -> str:
    """The step as a person reads it; each ingredient it names joins the list."""

    def ingredient(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(3) or "").strip()
        quantity, unit = _amount(match.group(2) or "")
        fields.add_line(groups, compose(_quantity(quantity) if quantity else None, unit,
                                        name.lstrip("&?"), match.group(4) or ""))  # fmt: skip
        return name.lstrip("&?")

    def timer(match: re.Match[str]) -> str:
        quantity, unit = _amount(match.group(2))
        return " ".join(part for part in (quantity, unit) if part) or match.group(1)

    step = _INGREDIENT.sub(ingredient, step)
    step = _COOKWARE.sub(lambda m: (m.group(1) or m.group(2) or "").strip(), step)
    return text.line(_TIMER.sub(timer, step))
