"""What a file import yields: one `Entry` per recipe in the file, good or bad."""

from __future__ import annotations

from dataclasses import dataclass, field

from recipes.models import RecipeIn

MAX_PHOTO_BYTES = 20 * 1024 * 1024

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}.get(
            self.content_type, "webp" if self.content_type == "image/webp" else "bin"
        )

    @classmethod
    def sniff(cls, data: bytes) -> Photo | None:
        """A photo if the bytes are a JPEG, PNG, GIF or WebP image (never trust a name)."""
        if not data or len(data) > MAX_PHOTO_BYTES:
            return None
        for magic, content_type, _ in _SIGNATURES:
            if data.startswith(magic):
                return cls(data, content_type)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return cls(data, "image/webp")
        return None


@dataclass
class Imported:
    """A recipe read from a file, with what `RecipeIn` does not hold."""

    recipe: RecipeIn
    photo: Photo | None = None  # the cover
    created_at: str | None = None
    updated_at: str | None = None
    gallery: list[Photo] = field(default_factory=list)  # further photos, in order

    @property
    def photos(self) -> list[Photo]:
        return ([self.photo] if self.photo else []) + self.gallery


@dataclass
class Entry:
    """One recipe of a file: `item` when it could be read, else `error` saying why."""

    name: str
    item: Imported | None = None
    error: str | None = None
    format: str = ""  # the export it came from ("Paprika", "Mealie backup", ...)

    @property
    def ok(self) -> bool:
        return self.item is not None
