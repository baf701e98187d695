"""MealMaster (`.mmf`) and MasterCook (`.mxp`) text exports: many recipes per file, each
between a header line and an end line, read one recipe at a time.

MealMaster ingredient lines are columns: amount (7), unit code (2), text; a line whose
text starts with "-" continues the one before; `MMMMM---Title---` lines head groups.
Unit codes are written out ("c" -> "cup"), so lines read as a person writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from recipes.importing import fields, text
from recipes.importing.archive import Member
from recipes.importing.entry import Entry
from recipes.importing.limits import capped_lines
from recipes.models import clean_line

MMF_LABEL = "MealMaster"
MAX_LINES = 2000  # per recipe, each cut at 4 KB: at most 8 MB, and real recipes are far less
MXP_LABEL = "MasterCook"
_MMF_START = re.compile(r"^(MMMMM|-----).{0,20}Meal-Master", re.I)
_MMF_END = re.compile(r"^(MMMMM|-----)\s*$")
_MMF_SECTION = re.compile(r"^(?:MMMMM|-----)-*\s*([^-].*?)\s*-+\s*$")
_MXP_START = re.compile(r"\*\s*Exported from\s+MasterCook", re.I)
_MXP_END = re.compile(r"^\s*(-\s){5,}-?\s*$")
_UNITS = {
    "": "", "x": "", "sm": "small", "md": "medium", "lg": "large", "cn": "can", "pk": "package",
    "pn": "pinch", "dr": "drop", "ds": "dash", "ct": "carton", "bn": "bunch", "sl": "slice",
    "ea": "each", "t": "tsp", "ts": "tsp", "T": "tbsp", "tb": "tbsp", "fl": "fl oz",
    "c": "cup", "pt": "pint", "qt": "quart", "ga": "gallon", "oz": "oz", "lb": "lb",
    "ml": "ml", "cb": "cubic cm", "cl": "cl", "dl": "dl", "l": "l", "mg": "mg", "cg": "cg",
    "dg": "dg", "g": "g", "kg": "kg",
}  # fmt: skip
_PLURALS = {"cup", "can", "package", "pinch", "drop", "dash", "carton", "bunch", "slice",
            "pint", "quart", "gallon"}  # fmt: skip
_AMOUNT = re.compile(r"^\s*(\d+(?:[ -]\d+/\d+)?|\d*\.\d+|\d+/\d+)?\s*$")
_HEADER = re.compile(r"^\s*(Title|Categories|Yield|Servings)\s*:\s*(.*)$", re.I)


def detect(member: Member, head: str) -> str:
    for line in head.splitlines()[:50]:
        if _MMF_START.search(line):
            return MMF_LABEL
        if _MXP_START.search(line):
            return MXP_LABEL
    return ""


def read(member: Member) -> Iterator[Entry]:
    label = detect(member, member.head(64 * 1024).decode("latin-1"))
    with member.text() as stream:
        recipe: list[str] | None = None
        start, end = (_MMF_START, _MMF_END) if label == MMF_LABEL else (_MXP_START, _MXP_END)
        for line in capped_lines(stream, 4096):
            line = line.rstrip("\r\n")
            if start.search(line):
                if recipe:
                    yield _entry(recipe, label, member)
                recipe = []
            elif recipe is not None and end.match(line):
                if label == MXP_LABEL:
                    recipe.append("\x00END")  # the notes follow the dashes
                    continue
                yield _entry(recipe, label, member)
                recipe = None
            elif recipe is not None and len(recipe) < MAX_LINES:
                recipe.append(line)
        if recipe:
            yield _entry(recipe, label, member)


def _entry(lines: list[str], label: str, member: Member) -> Entry:
    try:
        draft = _mmf(lines) if label == MMF_LABEL else _mxp(lines)
    except (ValueError, IndexError) as error:
        return Entry(member.name, error=f"unreadable {label} recipe ({error})")
    return fields.entry(member.name, draft)


# --- MealMaster -----------------------------------------------------------------------------


def ingredient(line: str) -> str:
    """One column-formatted line: "  1 1/2 c  Flour, sifted" -> "1 1/2 cups Flour, sifted"."""
    amount, code, rest = line[:7].strip(), line[8:10].strip(), line[11:].strip()
    if not _AMOUNT.match(line[:7]) or (code and code not in _UNITS):
        return clean_line(line)
    unit = _UNITS.get(code, code)
    if unit in _PLURALS and amount and _number(amount) > 1:
        unit += "s" if not unit.endswith("h") else "es"
    return clean_line(" ".join(part for part in (amount, unit, rest) if part))


def _number(amount: str) -> float:
    total = 0.0
    for part in amount.replace("-", " ").split():
        if "/" in part:
            top, bottom = part.split("/", 1)
            total += int(top) / int(bottom) if int(bottom) else 0
        else:
            total += float(part)
    return total


def _columns(line: str) -> list[str]:
    """A two-column ingredient line (MealMaster wraps short lists) as its two halves."""
    if len(line) > 41 and line[39:41] == "  " and _AMOUNT.match(line[41:48] or "x"):
        right = line[41:]
        if right.strip() and (_AMOUNT.match(right[:7]) and right[8:10].strip() in _UNITS):
            return [line[:41], right]
    return [line]


def _mmf(lines: list[str]) -> dict[str, object]:
    header: dict[str, str] = {}
    body = iter(lines)
    for line in body:
        match = _HEADER.match(line)
        if match:
            header[match.group(1).lower()] = match.group(2).strip()
            continue
        if header and not line.strip() and "title" in header:
            break
    groups: list[dict[str, object]] = []
    steps: list[str] = []
    paragraph: list[str] = []
    in_ingredients = True
    for line in body:
        if in_ingredients:
            section = _MMF_SECTION.match(line)
            if section:
                title = clean_line(section.group(1)).rstrip(":")
                fields.add_line(groups, "", title.capitalize() if title.isupper() else title)
                continue
            if not line.strip():
                continue
            if _is_ingredient(line):
                _add_ingredients(groups, line)
                continue
            in_ingredients = False
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            steps.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        steps.append(" ".join(paragraph))
    category, tags = fields.category_and_tags(
        [c.strip() for c in header.get("categories", "").split(",")], []
    )
    servings = header.get("yield") or header.get("servings", "")
    return {
        "title": text.line(header.get("title")),
        "ingredient_groups": groups,
        "instructions": [s for s in (clean_line(s) for s in steps) if s],
        "servings": f"{servings} servings" if servings.isdigit() else servings,
        "category": category,
        "tags": tags,
    }


def _add_ingredients(groups: list[dict[str, object]], line: str) -> None:
    for half in _columns(line):
        rest = half[11:].strip() if len(half) > 11 else ""
        items = groups[-1]["ingredients"] if groups else None
        if rest.startswith("-") and isinstance(items, list) and items:
            items[-1] = f"{items[-1]} {rest.lstrip('-').strip()}"  # a continued line
        elif half.strip():
            fields.add_line(groups, ingredient(half))


def _is_ingredient(line: str) -> bool:
    """Column layout: amount in 0-6, a blank at 7, a known unit code at 8-9."""
    if len(line) < 12 or not line.strip():
        return False
    return bool(_AMOUNT.match(line[:7])) and line[7] == " " and line[8:10].strip() in _UNITS \
        and line[10] == " "  # fmt: skip


# --- MasterCook -----------------------------------------------------------------------------

_MXP_FIELD = re.compile(r"([A-Z][A-Za-z ]+?)\s*:\s*(.*?)(?=\s{2,}[A-Z][A-Za-z ]+\s*:|$)")


def _mxp(lines: list[str]) -> dict[str, object]:
    title = ""
    info: dict[str, str] = {}
    divider = next((n for n, line in enumerate(lines) if line.strip().startswith("-------")),
                   len(lines))  # fmt: skip
    for line in lines[:divider]:
        if not title and line.strip() and ":" not in line:
            title = line.strip()
            continue
        for name, value in _MXP_FIELD.findall(line):
            info[name.strip().lower()] = value.strip()
    groups: list[dict[str, object]] = []
    rest = lines[divider + 1 :]
    end = next((n for n, line in enumerate(rest) if not line.strip()), len(rest))
    for line in rest[:end]:
        amount, unit, item = line[:8].strip(), line[10:22].strip(), line[24:].strip()
        item, _, method = item.partition(" -- ")
        fields.add_line(groups, " ".join(p for p in (amount, unit, item) if p) +
                        (f", {method}" if method else ""))  # fmt: skip
    steps: list[str] = []
    notes: list[str] = []
    paragraph: list[str] = []
    target = steps
    for line in rest[end:] + [""]:
        if line == "\x00END":
            target = notes
            continue
        if not line.strip():
            if paragraph:
                target.append(" ".join(paragraph))
                paragraph = []
            continue
        paragraph.append(line.strip())
    note_text = "\n".join(notes)
    note_text = re.sub(r"^NOTES\s*:\s*", "", note_text, flags=re.I)
    categories = re.split(r"\s{2,}", info.get("categories", ""))
    category, tags = fields.category_and_tags(categories, [])
    servings = info.get("serving size", "")
    return {
        "title": title,
        "ingredient_groups": groups,
        "instructions": steps,
        "servings": f"{servings} servings" if servings.isdigit() else servings,
        "prep_time": text.minutes(info.get("preparation time")),
        "category": category,
        "tags": tags,
        "notes": fields.notes(("Recipe by", info.get("recipe by", "")), note_text),
    }
