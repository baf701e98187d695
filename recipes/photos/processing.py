"""Turning uploaded bytes into the photos we keep: verified, upright, without metadata.

Every photo is decoded by Pillow (the content decides, never the file name), turned upright
by its EXIF orientation, converted to sRGB, stripped of all metadata (GPS included) and
stored at most 2048 px on its longest side, with a ~480 px thumbnail. A photo that is
already in that form (a clean JPEG or WebP, say one from our own export) is kept byte for
byte, so export -> import round trips and never loses quality to re-encoding.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads with the first photo, not at app start (~8 MB, 40 ms)
    from PIL import Image

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 64_000_000  # a 64-megapixel camera; 40,000 x 40,000 is refused
DISPLAY_SIZE = 2048
THUMB_SIZE = 480
DISPLAY_QUALITY = 82
THUMB_QUALITY = 72
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
_KEEP = {"JPEG": "image/jpeg", "WEBP": "image/webp"}
# JPEG markers that carry pixels or decoding tables; anything else (APP1..APP15 holding
# EXIF, XMP, ICC or maker notes, and comments) means the file has metadata to strip.
_JPEG_PLAIN = {0xE0, 0xDB, 0xC4, 0xDD, *range(0xC0, 0xC4), *range(0xC5, 0xC8)}
_JPEG_PLAIN |= {*range(0xC9, 0xCC), *range(0xCD, 0xD0)}
_WEBP_PLAIN = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


TOO_LARGE = "The photo is larger than 20 MB; choose a smaller one."


class PhotoRejected(ValueError):
    """The bytes are not a photo we can keep; the message says why, for the user."""


@dataclass(frozen=True)
class Processed:
    """A photo ready to store: the display image and its thumbnail (always WebP)."""

    data: bytes
    content_type: str
    width: int
    height: int
    thumb: bytes


def process(data: bytes) -> Processed:
    """Verify, orient, strip and resize; raises `PhotoRejected` with a clear message."""
    if not data:
        raise PhotoRejected("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRejected(TOO_LARGE)
    from PIL import Image

    image = _open(data)
    if _already_clean(image, data):
        display = image
        stored, content_type = data, _KEEP[image.format or ""]
    else:
        display = _upright_srgb(image)
        display.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS)
        stored, content_type = _webp(display, DISPLAY_QUALITY), "image/webp"
    thumb = display.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    thumb_data = _webp(thumb, THUMB_QUALITY)
    return Processed(stored, content_type, display.width, display.height, thumb_data)


def _open(data: bytes) -> Image.Image:
    """Decode fully, refusing non-images, damaged files and decompression bombs."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(
                    f"The image is {width:,} × {height:,} pixels; photos may have at most "
                    f"{MAX_PIXELS // 1_000_000} megapixels."
                )
            if image.format == "JPEG" and max(width, height) > 2 * DISPLAY_SIZE:
                # Decode at 1/2, 1/4 or 1/8 scale, still at least the display size: a
                # 12-megapixel photo decodes and resizes several times faster.
                image.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))
            image.load()
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(
            f"The image has too many pixels; photos may have at most "
            f"{MAX_PIXELS // 1_000_000} megapixels."
        ) from None
    except UnidentifiedImageError:
        raise PhotoRejected(
            "The file is not an image we can read (use a JPEG, PNG, GIF or WebP photo)."
        ) from None
    except (OSError, SyntaxError, ValueError, struct.error) as error:
        raise PhotoRejected(f"The image is damaged or incomplete ({error}).") from None
    return image


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The first frame, turned by its EXIF orientation, in sRGB, with no metadata."""
    from PIL import Image, ImageOps

    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    upright = ImageOps.exif_transpose(image) or image
    icc = image.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    if icc:
        upright = _to_srgb(upright, icc)
    clean = Image.new(upright.mode, upright.size)  # a fresh image carries no info at all
    clean.paste(upright)
    return clean


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Colours from a camera profile (e.g. Display P3) into sRGB, since the profile goes."""
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are
    return converted or image


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def _already_clean(image: Image.Image, data: bytes) -> bool:
    """True for a JPEG or WebP that is upright, small enough and holds no metadata."""
    if image.format not in _KEEP or getattr(image, "n_frames", 1) > 1:
        return False
    if max(image.size) > DISPLAY_SIZE or image.mode not in ("RGB", "RGBA", "L"):
        return False
    if image.format == "JPEG":
        return _plain_jpeg(data)
    return _plain_webp(data)


def _plain_jpeg(data: bytes) -> bool:
    """Only JFIF, tables and frame headers before the scan; nothing after the end."""
    if not data.endswith(b"\xff\xd9"):
        return False
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            return True
        if marker not in _JPEG_PLAIN:
            return False
        if marker == 0xE0 and data[position + 4 : position + 9] != b"JFIF\x00":
            return False
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return False


def _plain_webp(data: bytes) -> bool:
    """Only image chunks (no EXIF, XMP or ICCP chunk) and no bytes beyond the RIFF size."""
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return False
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        if kind not in _WEBP_PLAIN:
            return False
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + size + (size & 1)
    return position == len(data)
