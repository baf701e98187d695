"""Builds each app's export from the small examples in tests/fixtures/formats/ (written
for this project from each format's documentation), packed the way the app packs it."""

from __future__ import annotations

import base64
import gzip
import io
import json
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "formats"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def folder_files(folder: Path, prefix: str = "") -> dict[str, bytes]:
    return {
        prefix + path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def paprika_entry(name: str, **fields: object) -> bytes:
    data = {
        "uid": f"UID-{name}",
        "name": name,
        "ingredients": "1 cup rice\n2 cups water",
        "directions": "Simmer for 18 minutes.",
        "categories": ["Sides"],
        "rating": 3,
        "created": "2020-01-02 03:04:05",
        "photo_data": base64.b64encode(PNG).decode(),
        **fields,
    }
    return gzip.compress(json.dumps(data).encode())


def paprika_mac_zip() -> bytes:
    """A .paprikarecipes export and two single recipes, zipped in folders on a Mac."""
    export = zipped({"Rice.paprikarecipe": paprika_entry("Rice")})
    return zipped(
        {
            "Paprika/": b"",
            "Paprika/My Recipes.paprikarecipes": export,
            "Paprika/Singles/Porridge.paprikarecipe": paprika_entry("Porridge"),
            "__MACOSX/Paprika/._My Recipes.paprikarecipes": b"\x00\x05\x16\x07 resource fork",
            "__MACOSX/Paprika/Singles/._Porridge.paprikarecipe": b"\x00\x05\x16\x07",
            "Paprika/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "Paprika/._Stray.paprikarecipe": b"\x00\x05\x16\x07",
        }
    )


def tandoor_zip() -> bytes:
    """Tandoor's export: one zip per recipe inside the zip."""
    inner = zipped(folder_files(FIXTURES / "tandoor" / "recipe-1"))
    return zipped({"1.zip": inner})


def build(kind: str) -> tuple[str, bytes]:
    """(a file name that does not give the format away, the file's bytes)."""
    if kind == "paprika":
        return "upload", paprika_mac_zip()
    if kind == "tandoor":
        return "upload", tandoor_zip()
    folder = FIXTURES / kind
    if folder.is_dir():
        return "upload", zipped(folder_files(folder))
    file = next(FIXTURES.glob(f"{kind}.*"))
    return "upload", file.read_bytes()


KINDS = {  # kind -> (format label, recipes in the file)
    "mealie-backup": ("Mealie backup", 2),
    "mealie-v0": ("Mealie", 1),
    "tandoor": ("Tandoor", 1),
    "nextcloud": ("Nextcloud Cookbook", 1),
    "paprika": ("Paprika", 2),
    "copymethat": ("Copy Me That", 2),
    "plantoeat": ("Plan to Eat", 1),
    "myrecipebox": ("My Recipe Box", 1),
    "recipekeeper": ("Recipe Keeper", 1),
    "chowdown": ("Chowdown", 1),
    "collection": ("MealMaster", 2),
    "roast": ("MasterCook", 1),
    "risotto": ("Cooklang", 1),
}
