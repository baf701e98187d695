-- Photos embedded in imported files (e.g. Paprika), served at /recipes/<id>/photo.
CREATE TABLE recipe_photos (
    recipe_id INTEGER PRIMARY KEY REFERENCES recipes (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);
