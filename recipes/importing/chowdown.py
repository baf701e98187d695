"""Chowdown: one Markdown file per recipe (`_recipes/*.md`) with YAML front matter
(title, image, tags, ingredients, directions, ...); the Markdown body is the recipe's
story, kept as its description. Photos live in `images/` and are named in `image:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.errors import ImportFailed
from recipes.importing.limits import read_capped

LABEL = "Chowdown"
MAX_FILE = 1024 * 1024
MAX_FRONT_MATTER = 256 * 1024  # PyYAML builds large structures slowly
_FRONT = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S
)
_KEYS = re.compile(r"^(title|ingredients|directions)\s*:", re.M)


def detect(member: Member, head: str) -> str:
    if not head.lstrip("\ufeff").startswith("---"):
        return ""
    front = head.split("\n---", 2)[0] if "\n---" in head else head
    return LABEL if len(set(_KEYS.findall(front))) >= 2 else ""


def read(member: Member) -> Iterator[Entry]:
    with member.open() as stream:
        raw = read_capped(stream, MAX_FILE, member.name).decode("utf-8-sig", "replace")
    match = _FRONT.match(raw)
    if not match:
        yield Entry(member.name, error="the YAML front matter is not closed with ---")
        return
    try:
        data = load_yaml(match.group(1))
    except ImportFailed as error:
        yield Entry(member.name, error=str(error))
        return
    yield fields.entry(member.name, draft(data, match.group(2)),
                       photo=fields.photo_named(member, data.get("image")))  # fmt: skip


def load_yaml(source: str) -> dict[str, Any]:
    """Front matter as a dict; aliases are refused (they can multiply a small file into a
    huge structure), as is anything but plain YAML data."""
    import yaml  # deferred: only Chowdown and Cooklang files need it

    if len(source) > MAX_FRONT_MATTER:
        raise ImportFailed("the front matter is too large (over 256 KB)")

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("YAML aliases are not accepted")
            return super().compose_node(parent, index)

    try:
        data = yaml.load(source, Loader=NoAliases)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, RecursionError) as error:
        raise ImportFailed(f"the front matter is not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ImportFailed("the front matter is not a set of fields")
    return data


def _lines(value: Any) -> list[Any]:
    if isinstance(value, str):
        return value.splitlines()
    return list(value) if isinstance(value, list) else []


def _ingredients(value: Any) -> list[dict[str, Any]]:
    """A list of lines; a `{heading: [lines]}` item is a titled group."""
    groups: list[dict[str, Any]] = []
    for item in _lines(value):
        if isinstance(item, dict):
            for heading, lines in item.items():
                fields.add_line(groups, "", text.line(heading).rstrip(":"))
                for line in _lines(lines):
                    fields.add_line(groups, text.line(line))
        elif text.line(item):
            line = text.line(item)
            if fields.is_heading(line):
                fields.add_line(groups, "", line[:-1].strip())
            else:
                fields.add_line(groups, line)
    return groups


def draft(data: dict[str, Any], body: str) -> dict[str, Any]:
    tags = data.get("tags")
    tag_list = text.tags(tags) if isinstance(tags, str) else [text.line(t) for t in tags or []]
    categories = data.get("categories") or data.get("category") or []
    category, tag_list = fields.category_and_tags(
        [categories] if isinstance(categories, str) else [str(c) for c in categories], tag_list
    )
    steps = [text.line(step) for step in _lines(data.get("directions"))]
    source = text.line(data.get("source") or data.get("url"))
    is_url = source.lower().startswith(("http://", "https://"))
    components = ", ".join(text.line(c) for c in _lines(data.get("components")) if text.line(c))
    return {
        "title": text.line(data.get("title")),
        "description": fields.notes(body.strip()),
        "ingredient_groups": _ingredients(data.get("ingredients")),
        "instructions": [step for step in steps if step],
        "servings": text.yield_text(data.get("yield") or data.get("servings")),
        "prep_time": text.minutes(data.get("prep") or data.get("prep_time")),
        "cook_time": text.minutes(data.get("cook") or data.get("cook_time")),
        "total_time": text.minutes(data.get("time") or data.get("total_time")),
        "tags": tag_list,
        "category": category,
        "source_url": source if is_url else "",
        "notes": fields.notes(
            ("Made with", components),
            ("Source", "" if is_url else source),
            ("Photo credit", text.line(data.get("imagecredit"))),
        ),
    }
