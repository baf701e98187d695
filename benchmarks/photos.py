"""Photos benchmark: N recipes, each with a photo, served by a real server.

    .venv/bin/python -m benchmarks.photos --n 10000

Measures the home page HTML (a page of 50 cards with cover thumbnails) and thumbnail
requests over real HTTP, and the storage choice: reading a thumbnail from SQLite against
reading the same bytes from a file in the data folder. Prints JSON; nothing asserts speed
(docs/performance.md holds the targets: home p95 <= 20 ms, thumbnail p50 <= 2 ms).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from benchmarks.client import Client
from benchmarks.generate import recipe
from benchmarks.report import stats
from benchmarks.servers import serve

USERNAME, PASSWORD = "bench", "correct horse battery"
SAMPLES = 400


def photo_bytes(seed: int) -> bytes:
    """A 1600 x 1200 photo-like JPEG (smooth noise), different per seed."""
    rng = random.Random(seed)
    image = Image.effect_noise((400, 300), 40 + rng.random() * 40).convert("RGB")
    image = image.resize((1600, 1200)).filter(ImageFilter.GaussianBlur(4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def populate(data_dir: Path, count: int) -> float:
    """The user and `count` recipes with one processed photo each; seconds taken."""
    from recipes import create_app, store
    from recipes.db import connect, transaction
    from recipes.models import RecipeIn
    from recipes.photos.processing import process
    from recipes.photos.storage import insert_photo
    from recipes.users import create_user

    create_app({"DATA_DIR": str(data_dir)})  # creates the database
    db = connect(data_dir / "recipes.sqlite3")
    started = time.perf_counter()
    user = create_user(db, USERNAME, PASSWORD)
    photos = [process(photo_bytes(seed)) for seed in range(8)]  # 8 distinct, reused
    for start in range(0, count, 1000):
        batch = [RecipeIn(**recipe(i)) for i in range(start, min(count, start + 1000))]
        ids = store.bulk_create(db, user.household_id, batch, by=user.id)
        with transaction(db):
            for recipe_id in ids:
                insert_photo(db, recipe_id, photos[recipe_id % len(photos)])
    db.close()
    return time.perf_counter() - started


def storage_choice(data_dir: Path, reads: int = 2000) -> dict[str, Any]:
    """Thumbnail reads: SQLite blob (as served) against one file per photo."""
    db = sqlite3.connect(data_dir / "recipes.sqlite3")
    ids = [
        r[0] for r in db.execute("SELECT id FROM recipe_photos ORDER BY random() LIMIT ?", (reads,))
    ]
    folder = Path(tempfile.mkdtemp(dir=data_dir))
    for photo_id in ids:
        (thumb,) = db.execute(
            "SELECT thumb FROM recipe_photos WHERE id = ?", (photo_id,)
        ).fetchone()
        (folder / f"{photo_id}.webp").write_bytes(thumb)
    blob, files = [], []
    for photo_id in ids:
        started = time.perf_counter()
        db.execute(
            "SELECT thumb, thumb_digest FROM recipe_photos WHERE id = ?", (photo_id,)
        ).fetchone()
        blob.append(time.perf_counter() - started)
        started = time.perf_counter()
        (folder / f"{photo_id}.webp").read_bytes()
        files.append(time.perf_counter() - started)
    sizes = db.execute("SELECT avg(length(thumb)), avg(length(data)) FROM recipe_photos").fetchone()
    db.close()
    database = data_dir / "recipes.sqlite3"
    backup_started = time.perf_counter()
    source, copy = sqlite3.connect(database), sqlite3.connect(data_dir / "backup.sqlite3")
    source.backup(copy)
    copy.close()
    source.close()
    return {
        "sqlite_thumb_read": stats(blob),
        "file_thumb_read": stats(files),
        "avg_thumb_bytes": round(sizes[0]),
        "avg_display_bytes": round(sizes[1]),
        "database_mb": round(database.stat().st_size / 1e6, 1),
        "backup_seconds": round(time.perf_counter() - backup_started, 2),
    }


def measure(data_dir: Path, server: str) -> dict[str, Any]:
    with serve(data_dir, server) as (_, port, _):
        client = Client(port)
        client.login(USERNAME, PASSWORD)
        client.get("/?sort=newest")
        home = [client.get(f"/?page={1 + n % 20}")[2] for n in range(SAMPLES // 2)]
        _, page, _ = client.get("/")
        thumbs = re.findall(r'src="(/photos/\d+/thumb\?v=\w+)"', page.decode())
        status, body, _ = client.get(thumbs[0])
        assert status == 200 and body[:4] == b"RIFF", status
        thumb_times = [client.get(thumbs[n % len(thumbs)])[2] for n in range(SAMPLES)]
        cached = client.request("GET", thumbs[0], headers={"If-None-Match": "x"})[0]
        client.close()
    return {
        "home_html": stats(home),
        "thumbnail": stats(thumb_times),
        "cards": len(thumbs),
        "status": cached,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--server", default="waitress", choices=["waitress", "gunicorn"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        result: dict[str, Any] = {"recipes": args.n, "server": args.server}
        result["populate_seconds"] = round(populate(data_dir, args.n), 1)
        result.update(measure(data_dir, args.server))
        result["storage"] = storage_choice(data_dir)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
