-- Version 1 of the schema. Later versions live in migrations/NNNN_*.sql.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE recipes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    ingredient_groups TEXT NOT NULL DEFAULT '[]',  -- JSON [{"title", "ingredients"}]
    instructions TEXT NOT NULL DEFAULT '[]',       -- JSON list of steps
    servings TEXT NOT NULL DEFAULT '',
    prep_time INTEGER,
    cook_time INTEGER,
    total_time INTEGER,
    tags TEXT NOT NULL DEFAULT '[]',               -- JSON copy of recipe_tags, for display
    category TEXT NOT NULL DEFAULT '',
    cuisine TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    rating INTEGER CHECK (rating BETWEEN 0 AND 5),
    nutrition TEXT NOT NULL DEFAULT '{}',          -- JSON {"name": "value"}
    share_token TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX recipes_by_user_newest ON recipes (user_id, created_at DESC, id DESC);
CREATE INDEX recipes_by_user_category ON recipes (user_id, category);
CREATE INDEX recipes_by_user_source ON recipes (user_id, source_url) WHERE source_url != '';

CREATE TABLE recipe_tags (
    recipe_id INTEGER NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (recipe_id, tag)
) WITHOUT ROWID;

CREATE INDEX recipe_tags_by_tag ON recipe_tags (tag, recipe_id);

-- rowid = recipes.id; kept in step by recipes.store in the same transaction.
CREATE VIRTUAL TABLE recipe_fts USING fts5 (
    title, ingredients, instructions, description, notes, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
