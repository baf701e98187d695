"""Image files for the photo tests, made here with Pillow (no binary fixtures)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED, BLUE = (255, 0, 0), (0, 0, 255)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def sideways_jpeg(width: int = 400, height: int = 200) -> bytes:
    """A phone photo taken sideways: stored landscape (red left, blue right) with EXIF
    orientation 6 (turn 90° clockwise to view) and a GPS position."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 12.5), 3: "E", 4: (13.0, 24.0, 1.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()


def plain(kind: str = "PNG", size: tuple[int, int] = (64, 48), colour=(30, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def png_bomb(side: int = 40_000) -> bytes:
    """A real PNG of side x side black 1-bit pixels: ~200 KB on disk, 200 MB decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def exif_of(data: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(data)).getexif()
