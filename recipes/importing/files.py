"""Reading an import file of any supported kind, one recipe at a time.

Recognised by content, not by name: our export (zip), Paprika (`.paprikarecipes` zip,
or a single gzip'd `.paprikarecipe`), schema.org JSON-LD (one recipe, an array or an
`@graph`), our single-recipe JSON, a saved HTML page, or a zip of JSON/HTML files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO, Any

from recipes.importing import export, paprika, schema, text
from recipes.importing.draft import to_recipe
from recipes.importing.entry import Entry, Imported
from recipes.importing.errors import BadFile, ImportFailed
from recipes.importing.page import clean_source_url, load_json_loosely, parse_html

MAX_TEXT_FILE = 50 * 1024 * 1024


def read_file(
    stream: IO[bytes], filename: str = "", *, allow_private: bool = False
) -> Iterator[Entry]:
    """Entries of the file; raises BadFile only when the file as a whole is unreadable.

    A text file of web addresses (one a line) is fetched one page at a time; each fetch
    is bounded (10 s), so one dead link costs at most that and is reported, nothing more.
    """
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK"):
        yield from _read_zip(stream)
    elif head.startswith(b"\x1f\x8b"):
        try:
            data = paprika.load_entry(stream)
            yield Entry(filename or "recipe", item=paprika.from_paprika(data))
        except ImportFailed as error:
            yield Entry(filename or "recipe", error=str(error))
        except (OSError, EOFError, ValueError) as error:
            raise BadFile(f"not a readable Paprika recipe ({error})") from None
    else:
        raw = stream.read(MAX_TEXT_FILE + 1)
        if len(raw) > MAX_TEXT_FILE:
            raise BadFile("the file is too large (over 50 MB); split it or use a zip")
        text_content = decode(raw)
        urls = url_list(text_content)
        if urls:
            yield from read_urls(urls, allow_private=allow_private)
        else:
            yield from read_text(text_content, filename)


def _read_zip(stream: IO[bytes]) -> Iterator[Entry]:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise BadFile(f"not a readable zip file ({error})") from None
    with archive:
        names = archive.namelist()
        if export.is_export(names):
            yield from export.read_export(archive)
        elif paprika.is_paprika(names):
            yield from paprika.read_paprika(archive)
        else:
            yield from _read_zip_members(archive)


def _read_zip_members(archive: zipfile.ZipFile) -> Iterator[Entry]:
    found = False
    for info in archive.infolist():
        lower = info.filename.lower()
        if info.is_dir() or not lower.endswith((".json", ".jsonld", ".html", ".htm")):
            continue
        found = True
        if info.file_size > MAX_TEXT_FILE:
            yield Entry(info.filename, error="the file is too large")
            continue
        raw = decode(archive.read(info))
        for entry in read_text(raw, info.filename):
            entry.name = f"{info.filename}: {entry.name}" if entry.name else info.filename
            yield entry
    if not found:
        raise BadFile("the zip holds no recipes (no Paprika, JSON or HTML files)")


def read_text(raw: str, filename: str = "") -> Iterator[Entry]:
    stripped = raw.lstrip()
    if stripped.startswith(("{", "[")):
        data = load_json_loosely(stripped)
        if data is None:
            raise BadFile(f"{filename or 'the file'} is not valid JSON")
        yield from read_json(data)
    elif stripped[:1] == "<":
        try:
            yield Entry(filename or "page", item=Imported(parse_html(raw, _page_url(raw))))
        except ImportFailed as error:
            yield Entry(filename or "page", error=str(error))
    else:
        raise BadFile("unknown file type: expected a zip, Paprika, JSON-LD or HTML file")


def decode(raw: bytes) -> str:
    """UTF-8 (the norm), else the encoding a saved page declares (w3lib's sniffing)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
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


def _page_url(raw: str) -> str:
    """A saved page's own address, from its canonical link or og:url."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(raw)
    except Exception:  # unparseable: no address
        return ""
    for value in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        url = clean_source_url(str(value))
        if url:
            return url
    return ""


def read_json(data: Any) -> Iterator[Entry]:
    """Our single-recipe documents (alone or in a list) or schema.org JSON-LD."""
    documents = data if isinstance(data, list) else [data]
    if documents and all(
        isinstance(d, dict) and d.get("format") == export.FORMAT for d in documents
    ):
        for index, document in enumerate(documents, start=1):
            try:
                yield Entry(f"recipe {index}", item=export.from_document(document))
            except ValueError as error:  # pydantic's ValidationError is a ValueError
                yield Entry(f"recipe {index}", error=str(error))
        return
    recipes = list(schema.find_recipes(data))
    if not recipes:
        raise BadFile("no schema.org Recipe found in the JSON")
    ids = schema.index_ids(data)
    for index, node in enumerate(recipes, start=1):
        name = text.line(node.get("name")) or f"recipe {index}"
        try:
            yield Entry(name, item=from_json_ld(node, ids))
        except ImportFailed as error:
            yield Entry(name, error=str(error))


def from_json_ld(node: dict[str, Any], ids: dict[str, Any] | None = None) -> Imported:
    url = node.get("url") or node.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    source = clean_source_url(url) if isinstance(url, str) else ""
    draft = schema.recipe_fields(node, source, ids)
    draft["source_url"] = source
    created = node.get("dateCreated") or node.get("datePublished")
    return Imported(
        recipe=to_recipe(draft),
        created_at=export.timestamp(created) if isinstance(created, str) else None,
    )
