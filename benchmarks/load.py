"""Load N generated recipes through the product's bulk path, in its own process.

`python -m benchmarks.load DATA_DIR N` creates the benchmark user and loads the recipes with
`recipes.store.bulk_create` (one transaction per batch). Run as a child process so the
parent can read its peak memory (ru_maxrss) and wall time without its own noise.
"""

from __future__ import annotations

import argparse
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.generate import recipes

USERNAME = "bench"
PASSWORD = "bench password 1"  # noqa: S105 (a throwaway benchmark account)
BATCH = 1000


def load(data_dir: Path, count: int) -> dict[str, Any]:
    from recipes import create_app, store
    from recipes.db import connect
    from recipes.models import RecipeIn
    from recipes.users import create_user, get_user_by_name

    app = create_app({"DATA_DIR": str(data_dir)})
    db = connect(app.config["DATABASE"])
    user = get_user_by_name(db, USERNAME) or create_user(db, USERNAME, PASSWORD)
    started = time.perf_counter()
    batch: list[RecipeIn] = []
    for data in recipes(count):
        batch.append(RecipeIn.model_validate(data))
        if len(batch) == BATCH:
            store.bulk_create(db, user.household_id, batch, by=user.id)
            batch = []
    if batch:
        store.bulk_create(db, user.household_id, batch, by=user.id)
    seconds = time.perf_counter() - started
    # No ANALYZE: the product never runs it, and statistics taken of a still-empty
    # database made FTS5's own queries scan (a 10,000-recipe import took 27 s, not 2 s).
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"recipes": count, "seconds": seconds}


def export_documents(count: int, start: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """(member name, document) pairs in our export format (`recipes.importing.export`)."""
    for number, data in enumerate(recipes(count, start=start), start=1):
        document = {
            "format": "recipes-export",
            "version": 1,
            "recipe": data,
            "created_at": None,
            "updated_at": None,
            "photo": None,
        }
        yield f"recipes/{number:06d}.json", document


def write_export_file(path: Path, count: int) -> Path:
    """An export zip of `count` generated recipes, streamed one recipe at a time."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in export_documents(count, start=10_000_000):
            archive.writestr(name, json.dumps(document, ensure_ascii=False))
        manifest = {"format": "recipes-export", "version": 1, "count": count}
        archive.writestr("manifest.json", json.dumps(manifest))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    print(json.dumps(load(args.data_dir, args.count)))


if __name__ == "__main__":
    main()
