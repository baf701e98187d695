"""The files of an upload as one tree: a zip's members, or a single file.

Exports nest: a Tandoor export is a zip of zips, a Paprika export is often zipped again
inside a folder. A member that is itself a zip is opened as a `Tree` of its own when a
reader asks (`open_tree`), one at a time. macOS metadata (`__MACOSX/`, `._*`,
`.DS_Store`) is never listed: it is not part of the export.
"""

from __future__ import annotations

import io
import posixpath
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from recipes.importing.errors import BadFile
from recipes.importing.limits import read_capped

# Python holds ~0.5 KB per zip member (its directory entry and ours): 60,000 members
# (a 10,000-recipe backup with three photo sizes each fits) stay within ~30 MB.
MAX_MEMBERS = 60_000
MAX_DEPTH = 3
_IN_MEMORY = 16 * 1024 * 1024  # nested zips up to this size are held in memory


def member_count(stream: IO[bytes]) -> int | None:
    """The number of files a zip declares, read from its end record before Python builds
    its whole directory (which is what costs memory)."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - 65_557))
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if count != 0xFFFF:
        return count
    at64 = tail.rfind(b"PK\x06\x06", 0, at)  # Zip64: the count is in its own record
    if at64 < 0 or len(tail) < at64 + 40:
        return None
    return struct.unpack("<Q", tail[at64 + 32 : at64 + 40])[0]


def is_metadata(name: str) -> bool:
    """Finder and resource-fork files that macOS adds to every zip it makes."""
    parts = name.split("/")
    base = parts[-1]
    return (
        "__MACOSX" in parts[:-1]
        or base.startswith("._")
        or base in (".DS_Store", "Thumbs.db", "desktop.ini")
    )


@dataclass(slots=True)
class Member:
    """One file of the tree."""

    tree: Tree
    name: str  # path inside the tree, "/"-separated
    size: int
    stored: str = ""  # the name as the zip spells it

    @property
    def base(self) -> str:
        return posixpath.basename(self.name)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.name)

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.name)[1].lower()

    def open(self) -> IO[bytes]:
        return self.tree.open(self.name)

    def read(self, limit: int) -> bytes:
        with self.open() as stream:
            return read_capped(stream, limit, self.name)

    def head(self, size: int = 4096) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    def text(self) -> IO[str]:
        """The file as text: UTF-8 when its start reads as UTF-8, else Windows-1252 (what
        older recipe programs wrote); undecodable bytes become U+FFFD, never an error."""
        head = self.head(64 * 1024)
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError as error:
            encoding = "utf-8-sig" if error.start >= len(head) - 3 else "cp1252"
        return io.TextIOWrapper(self.open(), encoding=encoding, errors="replace", newline=None)


class Tree:
    """A zip archive (or one plain file) as a tree of members looked up by path."""

    def __init__(self, stream: IO[bytes], filename: str = "", depth: int = 0) -> None:
        self.depth = depth
        self.label = filename
        self._zip: zipfile.ZipFile | None = None
        self._stream = stream
        self._members: dict[str, Member] = {}
        self._bases: dict[str, list[Member]] | None = None
        if stream.read(4)[:2] == b"PK":
            stream.seek(0)
            self._open_zip(stream)
        else:
            stream.seek(0, io.SEEK_END)
            size = stream.tell()
            stream.seek(0)
            name = posixpath.basename(filename.replace("\\", "/")) or "file"
            self._members[name.lower()] = Member(self, name, size)

    def _open_zip(self, stream: IO[bytes]) -> None:
        declared = member_count(stream)
        if declared is not None and declared > MAX_MEMBERS:
            raise BadFile(f"the zip holds too many files (over {MAX_MEMBERS:,}); split it")
        try:
            self._zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise BadFile(f"not a readable zip file ({error})") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadFile(f"the zip holds too many files (over {MAX_MEMBERS:,})")
        for info in infos:
            name = info.filename.replace("\\", "/").lstrip("/")
            if info.is_dir() or is_metadata(name):
                continue
            self._members[name.lower()] = Member(self, name, info.file_size, info.filename)

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    @property
    def zip(self) -> zipfile.ZipFile | None:
        return self._zip

    def names(self) -> list[str]:
        return [member.name for member in self._members.values()]

    def by_base(self, base: str) -> list[Member]:
        """Members with this file name, in any folder (case-insensitive)."""
        if self._bases is None:
            self._bases = {}
            for member in self._members.values():
                self._bases.setdefault(member.base.lower(), []).append(member)
        return self._bases.get(base.lower(), [])

    def members(self) -> list[Member]:
        return list(self._members.values())

    def get(self, path: str) -> Member | None:
        key = posixpath.normpath(path).lower()
        return self._members.get("" if key == "." else key.lstrip("/"))

    def find(self, folder: str, *names: str) -> Member | None:
        """The first of `names` present in `folder` (case-insensitive)."""
        for name in names:
            member = self.get(posixpath.join(folder, name) if folder else name)
            if member is not None:
                return member
        return None

    def open(self, name: str) -> IO[bytes]:
        if self._zip is None:
            self._stream.seek(0)
            return io.BufferedReader(_Unclosed(self._stream))
        return self._zip.open(self._members[name.lower()].stored)

    def open_tree(self, member: Member) -> Tree:
        """A member that is a zip, as a tree (in memory when small, else spooled to disk)."""
        if self.depth + 1 > MAX_DEPTH:
            raise BadFile("zips nested too deeply")
        spool = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115 - Tree owns it
        with member.open() as source:
            while chunk := source.read(1024 * 1024):
                spool.write(chunk)
        spool.seek(0)
        return Tree(spool, member.name, self.depth + 1)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self.depth:
            self._stream.close()

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def folders(self) -> Iterator[str]:
        yield from dict.fromkeys(m.folder for m in self._members.values())


class FolderTree(Tree):
    """An unpacked export (a Nextcloud Cookbook folder, a Chowdown site) read in place."""

    def __init__(self, root: Path) -> None:
        self.depth = 0
        self.label = str(root)
        self._zip = None
        self._root = root
        self._members = {}
        self._bases = None
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not is_metadata(name):
                if len(self._members) >= MAX_MEMBERS:
                    raise BadFile(f"the folder holds too many files (over {MAX_MEMBERS:,})")
                self._members[name.lower()] = Member(self, name, path.stat().st_size, name)

    @property
    def is_zip(self) -> bool:  # read as an archive: many files, each one sniffed
        return True

    def open(self, name: str) -> IO[bytes]:
        return open(self._root / self._members[name.lower()].stored, "rb")  # noqa: SIM115

    def close(self) -> None:
        return None


class _Unclosed(io.RawIOBase):
    """The caller's stream, which `with member.open()` must not close."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
