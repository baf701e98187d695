-- Several photos per recipe, processed (upright, no metadata, at most 2048 px) with a
-- thumbnail, plus favourites. Photos stay in SQLite: one file to back up, deleted with
-- their recipe by the foreign key, and as fast to serve as files (docs/performance.md).
-- household_id copies the recipe's owner (recipes.user_id, which becomes the household id
-- when households arrive) so every photo query can filter on it directly.

ALTER TABLE recipe_photos RENAME TO recipe_photos_v6;

CREATE TABLE recipe_photos (
    id INTEGER PRIMARY KEY,
    recipe_id INTEGER NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL,
    position INTEGER NOT NULL,           -- 0 is the cover
    content_type TEXT NOT NULL,          -- of data; thumb is always image/webp
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    digest TEXT NOT NULL,                -- SHA-256 of data: the strong ETag
    thumb_digest TEXT NOT NULL,          -- SHA-256 of thumb
    created_at TEXT NOT NULL,
    thumb BLOB NOT NULL,                 -- before data: read without walking data's pages
    data BLOB NOT NULL
);

-- Photos kept from version 6 were stored as imported: served as they are, with the
-- original as its own thumbnail and a random (but fixed) ETag.
INSERT INTO recipe_photos (recipe_id, household_id, position, content_type, width, height,
    digest, thumb_digest, created_at, thumb, data)
SELECT p.recipe_id, r.user_id, 0, p.content_type, 0, 0, lower(hex(randomblob(32))),
    lower(hex(randomblob(32))), r.created_at, p.data, p.data
FROM recipe_photos_v6 p JOIN recipes r ON r.id = p.recipe_id;

DROP TABLE recipe_photos_v6;

-- Covering: a page of cards finds each cover's id and thumbnail digest from the index.
CREATE INDEX recipe_photos_by_recipe ON recipe_photos (recipe_id, position, id, thumb_digest);

CREATE INDEX recipe_photos_by_household ON recipe_photos (household_id, id);

CREATE TABLE favourites (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipe_id INTEGER NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, recipe_id)
) WITHOUT ROWID;

CREATE INDEX favourites_by_recipe ON favourites (recipe_id);
