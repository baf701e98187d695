"""Reading untrusted import files and pages within fixed memory and time: capped reads,
capped JSON, a streaming reader for JSON too large to hold (a Mealie backup's
`database.json`), and a page's nodes counted before any tree is built.

A compressed entry can expand a thousandfold and every JSON object costs Python ~60
bytes, so caps are checked before parsing: the text size, and the number of `{`/`[` in
it (an upper bound on the containers the parser would build).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from recipes.importing.errors import ImportFailed, PageTooLarge

MAX_JSON_TEXT = 5 * 1024 * 1024
MAX_CONTAINERS = 50_000
_CHUNK = 1024 * 1024


class TooLarge(ImportFailed):
    """One entry of a file is over a cap (the rest of the file is still read)."""

    kind = "too_large"


def read_capped(stream: IO[bytes], limit: int, what: str = "the entry") -> bytes:
    """At most `limit` bytes of the stream; more is an error, never a bigger read."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{what} is too large (over {limit // (1024 * 1024)} MB)")
    return data


def check_containers(text: str | bytes, limit: int = MAX_CONTAINERS) -> None:
    if isinstance(text, str):
        count = text.count("{") + text.count("[")
    else:
        count = text.count(b"{") + text.count(b"[")
    if count > limit:
        raise TooLarge(f"the entry holds too many JSON objects (over {limit:,})")


def load_json(raw: str | bytes, max_text: int = MAX_JSON_TEXT) -> Any:
    """Parse JSON within the caps; ValueError when it is not JSON, TooLarge over a cap."""
    if len(raw) > max_text:
        raise TooLarge(f"the entry is too large (over {max_text // (1024 * 1024)} MB of JSON)")
    check_containers(raw)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig")
    try:
        return json.loads(raw, strict=False)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


class JsonTables:
    """`{"name": [row, row, ...], ...}` read one row at a time from a stream.

    Each row is parsed on its own (C speed, via `raw_decode`) and must fit the JSON caps;
    memory holds one chunk of text plus one row, whatever the size of the file.
    """

    def __init__(self, stream: IO[bytes], max_row: int = MAX_JSON_TEXT) -> None:
        self._stream = stream
        self._max_row = max_row
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder(strict=False)
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()

    def rows(self) -> Iterator[tuple[str, Any]]:
        """(table name, row) pairs in file order; a value that is not a list is one row."""
        self._expect("{")
        if self._peek() == "}":
            return
        while True:
            name = self._value()
            if not isinstance(name, str):
                raise ValueError("a table name must be a string")
            self._expect(":")
            if self._peek() == "[":
                self._pos += 1
                yield from self._array(name)
            else:
                yield name, self._value()
            if self._next_of(",}") == "}":
                return

    def _array(self, name: str) -> Iterator[tuple[str, Any]]:
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield name, self._value()
            if self._next_of(",]") == "]":
                return

    def _fill(self) -> bool:
        """Read another chunk; False at the end of the stream."""
        if self._eof:
            return False
        chunk = self._stream.read(_CHUNK)
        self._eof = not chunk
        text = self._utf8.decode(chunk, final=self._eof)
        if not text:
            return False
        self._buffer = self._buffer[self._pos :] + text
        self._pos = 0
        check_containers(self._buffer, MAX_CONTAINERS * 2)
        return True

    def _skip_space(self) -> None:
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer) or not self._fill():
                return

    def _peek(self) -> str:
        self._skip_space()
        return self._buffer[self._pos : self._pos + 1]

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise ValueError(f"expected {char!r} in the JSON")
        self._pos += 1

    def _next_of(self, chars: str) -> str:
        found = self._peek()
        if not found or found not in chars:
            raise ValueError(f"expected one of {chars!r} in the JSON")
        self._pos += 1
        return found

    def _value(self) -> Any:
        self._skip_space()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError:
                if len(self._buffer) - self._pos > self._max_row:
                    raise TooLarge("a row of the JSON is too large") from None
                if not self._fill():
                    raise
                continue
            except RecursionError:
                raise ValueError("the JSON is nested too deeply") from None
            # A number at the very end of the buffer may continue in the next chunk.
            if end == len(self._buffer) and not self._eof and self._fill():
                continue
            self._pos = end
            return value


def blocks(chunks: Iterable[str], starts: re.Pattern[str], max_block: int = MAX_JSON_TEXT
           ) -> Iterator[str]:  # fmt: skip
    """The text from each match of `starts` to the next, from text read in chunks.

    Lets a many-recipe HTML or text file be read one recipe at a time, even when it is
    one long line; text before the first match is dropped, a block over `max_block` is
    cut there (the rest of it is skipped).
    """
    buffer, started, skipping = "", False, False
    for chunk in chunks:
        buffer += chunk
        while (found := starts.search(buffer, 1 if started else 0)) is not None:
            if started and not skipping:
                yield buffer[: found.start()]
            buffer, started, skipping = buffer[found.start() :], True, False
        if not started:
            buffer = buffer[-4096:]  # a start marker may be split between chunks
        elif len(buffer) > max_block and not skipping:
            yield buffer[:max_block]
            buffer, skipping = buffer[-4096:], True
        elif skipping:
            buffer = buffer[-4096:]
    if started and not skipping and buffer:
        yield buffer


def text_chunks(stream: IO[str], size: int = _CHUNK) -> Iterator[str]:
    while chunk := stream.read(size):
        yield chunk


def capped_lines(stream: IO[str], max_line: int = 64 * 1024) -> Iterator[str]:
    """The lines of a text stream, each at most `max_line` characters (the rest dropped)."""
    while line := stream.readline(max_line):
        if not line.endswith("\n") and len(line) == max_line:
            while (rest := stream.readline(max_line)) and not rest.endswith("\n"):
                pass
        yield line


# --- web pages -------------------------------------------------------------------------

# Elements, attributes and comments: five times those of the largest of 613 real recipe
# pages (21,094 as counted here); a 5 MB page of bare tags holds 500,000, which took 40 s
# and 1.3 GB to read.
MAX_PAGE_NODES = 100_000
# Attributes of one start tag (the corpus's widest has 58): libxml2 checks each new one
# against all before it, so 40,000 in one tag took 2.3 s a parse, 600,000 hours.
MAX_TAG_ATTRIBUTES = 1_000
# Comments, raw-text scripts and styles, other markup, start tags. Each alternative also
# matches when never closed (to the end of the page), so no search is begun again from
# every unclosed one: one pass. A quote opens a value only after "=", as parsers read it.
_MARKUP = re.compile(
    r"<!--(?:.*?-->|.*)"
    r"|<(?i:script)\b[^>]*>(?:.*?</(?i:script)|.*)"
    r"|<(?i:style)\b[^>]*>(?:.*?</(?i:style)|.*)"
    r"|<[!?/][^>]*>?"
    r"|<[a-zA-Z](?:[^=>]+|=\s*(?:\"[^\"]*\"?|'[^']*'?)?)*>?",
    re.S,
)
_VALUE = re.compile(r"=\s*(?:\"[^\"]*\"?|'[^']*'?)")


def check_page_nodes(html: str) -> None:
    """Raise PageTooLarge when the page holds more than MAX_PAGE_NODES elements,
    attributes and comments, or a start tag more than MAX_TAG_ATTRIBUTES attributes:
    reading it would take seconds to hours and hundreds of MB."""
    nodes = 0
    for match in _MARKUP.finditer(html):
        nodes += _nodes(match.group())
        if nodes > MAX_PAGE_NODES:
            raise PageTooLarge(
                f"the page is too large to read: it has over {MAX_PAGE_NODES:,} HTML "
                "elements and attributes (recipe pages have a few thousand)"
            )


def _nodes(markup: str) -> int:
    """The nodes one piece of markup adds: 1 + its attributes for a start tag (scripts
    and styles by their tag alone), 1 for a comment or the like, 0 for an end tag."""
    kind = markup[1]
    if kind == "/":
        return 0
    if kind in "!?":
        return 1
    tag = markup
    if markup[:7].lower() == "<script" or markup[:6].lower() == "<style":
        tag = markup[: markup.find(">") + 1 or len(markup)]  # its text is no markup
    if '"' in tag or "'" in tag:
        tag = _VALUE.sub("= ", tag)
    attributes = len(tag.replace("/", " ").split()) - 1
    if attributes > MAX_TAG_ATTRIBUTES:
        raise PageTooLarge(
            f"the page is too large to read: one of its tags has over "
            f"{MAX_TAG_ATTRIBUTES:,} attributes"
        )
    return 1 + attributes
