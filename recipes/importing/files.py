"""Reading an import file of any supported kind, one recipe at a time.

Every file is recognised by its content, not its name (a name only breaks ties): a zip
is opened as a tree (`archive.Tree`, zips inside it in turn) and each member is sniffed
and handed to its format's reader. Readers yield one `Entry` per recipe, tagged with the
format; one bad recipe is a failed entry, never the end of the file. A file in which no
format is recognised raises `BadFile` before anything is read, naming the formats we read.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from recipes.importing import (
    chowdown,
    cooklang,
    export,
    html_exports,
    mealie,
    mealmaster,
    nextcloud,
    paprika,
    schema,
    spreadsheets,
    tandoor,
    text,
)
from recipes.importing.archive import FolderTree, Member, Tree, is_metadata
from recipes.importing.draft import to_recipe
from recipes.importing.entry import Entry, Imported
from recipes.importing.errors import BadFile, ImportFailed
from recipes.importing.limits import MAX_JSON_TEXT, TooLarge, load_json
from recipes.importing.page import clean_source_url, load_json_loosely, parse_unaddressed

MAX_TEXT_FILE = 50 * 1024 * 1024
MAX_PAGE = 5 * 1024 * 1024
_HEAD = 16 * 1024
_IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic", ".bmp", ".svg")

FORMATS = (
    "Mealie (a v1+ backup zip, or the older per-recipe export), Tandoor (export zip), "
    "Nextcloud Cookbook (recipe.json folders), Paprika (.paprikarecipes, .paprikarecipe), "
    "Copy Me That (HTML export zip), Plan to Eat (CSV), My Recipe Box (CSV), "
    "Recipe Keeper (HTML export zip), Chowdown (Markdown), MealMaster (.mmf), "
    "MasterCook (.mxp), Cooklang (.cook), schema.org JSON-LD, a saved web page, "
    "a list of web addresses, or a Recipes export"
)

FILE_HELP = (
    "An export from Mealie, Tandoor, Nextcloud Cookbook, Paprika, Copy Me That, Plan to Eat, "
    "My Recipe Box, Recipe Keeper, Chowdown, MealMaster, MasterCook or Cooklang (as the app "
    "made it, zipped or not), JSON-LD, a saved page, a list of addresses, or a Recipes export."
)


def not_an_export(what: str) -> BadFile:
    return BadFile(f"{what}. We read: {FORMATS}.")


def read_file(
    stream: IO[bytes], filename: str = "", *, allow_private: bool = False
) -> Iterator[Entry]:
    """Entries of the file; raises BadFile only when the file as a whole is unreadable.

    A text file of web addresses (one a line) is fetched one page at a time; each fetch
    is bounded (10 s), so one dead link costs at most that and is reported, nothing more.
    """
    tree = Tree(stream, filename)
    if tree.is_zip:
        with tree:
            yield from _checked(read_tree(tree), "the zip holds no recipes we can read")
        return
    member = tree.members()[0]
    head = member.head(_HEAD)
    if not head.startswith(b"\x1f\x8b") and not _binary(head):
        urls = url_list(decode(member.head(5 * 1024 * 1024)))
        if urls:
            yield from read_urls(urls, allow_private=allow_private)
            return
    yield from _checked(read_member(member, head, alone=True), "unknown file type")


def read_folder(root: Path) -> Iterator[Entry]:
    """An unpacked export: every file in the folder, as if it were zipped."""
    with FolderTree(root) as tree:
        yield from _checked(read_tree(tree), f"{root} holds no recipes we can read")


def _checked(entries: Iterator[Entry], what: str) -> Iterator[Entry]:
    """The entries, or BadFile naming our formats when there are none."""
    found = False
    for entry in entries:
        found = True
        yield entry
    if not found:
        raise not_an_export(what)


def read_tree(tree: Tree) -> Iterator[Entry]:
    """Every recipe in an archive; files that are no recipe at all are passed over."""
    if tree.zip is not None and _is_our_export(tree):
        yield from _tagged(export.read_export(tree.zip), "Recipes export")
        return
    for member in tree.members():
        if member.suffix in _IMAGES:
            continue
        try:
            head = member.head(_HEAD)
        except (OSError, ValueError, EOFError) as error:  # a damaged member
            yield Entry(member.name, error=f"unreadable ({error})")
            continue
        yield from read_member(member, head)


def count_in_zip(names: list[str]) -> int | None:
    """Recipes in a zip, from its names alone, for exports with a file per recipe (None
    when that cannot be told without reading: a Mealie backup, an HTML collection)."""
    names = [n for n in names if not is_metadata(n) and not n.endswith("/")]
    if "manifest.json" in names:
        return sum(1 for n in names if n.startswith("recipes/") and n.endswith(".json"))
    lowered = [n.lower() for n in names]
    if any(n.endswith(("database.json", ".paprikarecipes", ".html", ".csv", ".mmf", ".mxp"))
           for n in lowered):  # fmt: skip
        return None
    counted = sum(1 for n in lowered if n.endswith((".paprikarecipe", ".json", ".md", ".cook",
                                                    ".zip")))  # fmt: skip
    return counted or None


def _is_our_export(tree: Tree) -> bool:
    """Our own zip: its manifest names the format (other apps have `recipes/` folders too)."""
    manifest = tree.get("manifest.json")
    return manifest is not None and export.FORMAT.encode() in manifest.head(4096)


def read_member(member: Member, head: bytes, *, alone: bool = False) -> Iterator[Entry]:
    """The recipes of one file, by what its first bytes say it is."""
    if head.startswith(b"PK"):
        yield from _nested(member)
    elif head.startswith(b"\x1f\x8b") or member.suffix == ".paprikarecipe":
        yield from _tagged(paprika.read_member(member), "Paprika")
    elif _binary(head):
        return
    else:
        reader, label = _text_reader(member, decode(head))
        if reader is not None:
            yield from _tagged(_guarded(reader, member), label)
        elif alone:
            raise not_an_export(
                f"unknown file type: {member.base or 'the file'} is no recipe export"
            )


def _nested(member: Member) -> Iterator[Entry]:
    try:
        inner = member.tree.open_tree(member)
    except (BadFile, OSError) as error:
        yield Entry(member.name, error=str(error))
        return
    with inner:
        for entry in read_tree(inner):
            if entry.error and not entry.name.startswith(member.name):
                entry.name = f"{member.name}: {entry.name}"
            yield entry


def _text_reader(
    member: Member, head: str
) -> tuple[Callable[[Member], Iterator[Entry]] | None, str]:
    """Which format's reader this text file is for ("", None when it is none of ours)."""
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        if mealie.is_backup(member, stripped):
            return mealie.read_backup, "Mealie backup"
        return _read_json_member, "JSON"
    for module in (mealmaster, chowdown, html_exports, spreadsheets, cooklang):
        found = module.detect(member, head)
        if found:
            return module.read, found
    if _looks_like_page(stripped) and not _site_template(member, head):
        return _read_page, "web page"
    return None, ""


def _looks_like_page(head: str) -> bool:
    lowered = head[:4096].lower()
    return head[:1] == "<" and any(tag in lowered for tag in ("<html", "<head", "<body", "<div"))


def _site_template(member: Member, head: str) -> bool:
    """A static site's own pages in an archive (Chowdown is a Jekyll site): Liquid
    templates, or anything under `_layouts/`, `_includes/`, `_site/` ... (its recipes are
    the Markdown files)."""
    folders = member.folder.split("/")
    return member.tree.is_zip and (
        any(part.startswith("_") for part in folders if part) or "{%" in head or "{{ " in head
    )


def _guarded(reader: Callable[[Member], Iterator[Entry]], member: Member) -> Iterator[Entry]:
    """A reader whose file turns out unreadable part-way ends in one failed entry."""
    try:
        yield from reader(member)
    except BadFile:
        raise
    except (ImportFailed, ValueError, OSError, EOFError, UnicodeError, csv.Error) as error:
        yield Entry(member.name, error=str(error) or type(error).__name__)


def _tagged(entries: Iterator[Entry], label: str) -> Iterator[Entry]:
    for entry in entries:
        if not entry.format:
            entry.format = label
        yield entry


# --- JSON --------------------------------------------------------------------------------


def _read_json_member(member: Member) -> Iterator[Entry]:
    # A JSON file on its own may be a whole collection; in a zip, it is one recipe.
    limit = MAX_JSON_TEXT if member.tree.is_zip else MAX_TEXT_FILE
    raw = member.read(limit)
    try:
        data = load_json(raw, limit)
    except TooLarge:
        raise
    except (ValueError, UnicodeError):
        data = load_json_loosely(decode(raw)) if len(raw) <= MAX_JSON_TEXT else None
        if data is None:
            if member.tree.is_zip:
                return
            raise not_an_export(f"{member.base or 'the file'} is not valid JSON") from None
    del raw
    for module in (tandoor, mealie, paprika):
        if module.is_recipe_json(data):
            yield from _tagged(module.read_json(data, member), module.LABEL)
            return
    if nextcloud.is_recipe_json(data, member):
        name = text.line(data.get("name")) or member.name
        try:
            item = from_json_ld(data, extra=nextcloud.extras(data))
        except ImportFailed as error:
            yield Entry(name, error=str(error), format=nextcloud.LABEL)
            return
        item.photo = nextcloud.photo(member)
        yield Entry(name, item=item, format=nextcloud.LABEL)
        return
    entries = read_json(data)
    first = next(entries, None)
    if first is None:
        if member.tree.is_zip:
            return
        raise not_an_export(f"{member.base or 'the file'} holds no schema.org Recipe")
    yield first
    yield from entries


def read_json(data: Any) -> Iterator[Entry]:
    """Our single-recipe documents (alone or in a list) or schema.org JSON-LD."""
    documents = data if isinstance(data, list) else [data]
    if documents and all(
        isinstance(d, dict) and d.get("format") == export.FORMAT for d in documents
    ):
        for index, document in enumerate(documents, start=1):
            try:
                yield Entry(
                    f"recipe {index}", item=export.from_document(document), format="Recipes"
                )
            except ValueError as error:  # pydantic's ValidationError is a ValueError
                yield Entry(f"recipe {index}", error=str(error))
        return
    ids = schema.index_ids(data)
    for index, node in enumerate(schema.find_recipes(data), start=1):
        name = text.line(node.get("name")) or f"recipe {index}"
        try:
            yield Entry(name, item=from_json_ld(node, ids), format="schema.org JSON-LD")
        except ImportFailed as error:
            yield Entry(name, error=str(error))


def from_json_ld(
    node: dict[str, Any], ids: dict[str, Any] | None = None, extra: dict[str, Any] | None = None
) -> Imported:
    url = node.get("url") or node.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    source = clean_source_url(url) if isinstance(url, str) else ""
    draft = schema.recipe_fields(node, source, ids)
    draft["source_url"] = source
    draft.update(extra or {})
    created = node.get("dateCreated") or node.get("datePublished")
    return Imported(
        recipe=to_recipe(draft),
        created_at=export.timestamp(created),
        updated_at=export.timestamp(node.get("dateModified")),
    )


# --- pages, addresses, text ----------------------------------------------------------------


def _read_page(member: Member) -> Iterator[Entry]:
    raw = decode(member.read(MAX_PAGE))
    name = member.base or "page"
    try:
        yield Entry(name, item=Imported(parse_unaddressed(raw)[0]))
    except ImportFailed as error:
        yield Entry(name, error=str(error))


def _binary(head: bytes) -> bool:
    """Images, PDFs and other binary files: NUL bytes in text are next to impossible."""
    return b"\x00" in head[:4096]


def decode(raw: bytes) -> str:
    """UTF-8 (the norm), else the encoding a saved page declares (w3lib's sniffing)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(raw) - 3:  # a character cut by a partial read
            return raw[: error.start].decode("utf-8-sig")
        from w3lib.encoding import html_to_unicode  # deferred: not needed at app start

        return html_to_unicode(None, raw)[1]


def url_list(content: str) -> list[str]:
    """The addresses of a text file that holds only web addresses (and # comments)."""
    lines = [line.strip() for line in content.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and all(line.lower().startswith(("http://", "https://")) for line in lines):
        return list(dict.fromkeys(lines))
    return []


def read_urls(urls: list[str], *, allow_private: bool = False) -> Iterator[Entry]:
    from recipes.importing.saving import recipe_from_web

    for url in urls:
        try:
            yield Entry(url, item=Imported(recipe_from_web(url, allow_private=allow_private)))
        except ImportFailed as error:
            yield Entry(url, error=str(error))
