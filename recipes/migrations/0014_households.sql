-- Version 14: households. A household owns recipes (and through them tags, photos and share
-- links); every account belongs to exactly one, with a role in it. On upgrade each existing
-- account becomes the admin of a household of its own whose id is the account's id, so
-- every recipe, tag, photo, token and share link keeps working.

CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

INSERT INTO households (id, name, created_at)
SELECT id, username || '''s household', created_at FROM users;

-- ADD COLUMN cannot add a NOT NULL foreign key, so the triggers below check the household.
ALTER TABLE users ADD COLUMN household_id INTEGER NOT NULL DEFAULT 0;

ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('admin', 'member', 'viewer'));

UPDATE users SET household_id = id, role = 'admin';

CREATE INDEX users_by_household ON users (household_id);

-- recipes.user_id stays: it is who created the recipe. household_id is the owner.
ALTER TABLE recipes ADD COLUMN household_id INTEGER NOT NULL DEFAULT 0;

ALTER TABLE recipes ADD COLUMN updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- Raised by one on every save; a save that started from an older version is a conflict.
ALTER TABLE recipes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

UPDATE recipes SET household_id = user_id, updated_by = user_id;

CREATE TRIGGER users_household_insert BEFORE INSERT ON users
WHEN NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id) BEGIN
    SELECT RAISE(ABORT, 'users.household_id must name a household');
END;

CREATE TRIGGER users_household_update BEFORE UPDATE OF household_id ON users
WHEN NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id) BEGIN
    SELECT RAISE(ABORT, 'users.household_id must name a household');
END;

CREATE TRIGGER recipes_household_insert BEFORE INSERT ON recipes
WHEN NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id) BEGIN
    SELECT RAISE(ABORT, 'recipes.household_id must name a household');
END;

-- A recipe never moves: the counts below follow inserts and deletes only.
CREATE TRIGGER recipes_household_fixed BEFORE UPDATE OF household_id ON recipes
WHEN NEW.household_id != OLD.household_id BEGIN
    SELECT RAISE(ABORT, 'a recipe stays in its household');
END;

-- The owner's indexes now key on the household (same shapes as versions 1 and 5).
DROP INDEX recipes_by_user_newest;

DROP INDEX recipes_by_user_category;

DROP INDEX recipes_by_user_source;

DROP INDEX recipes_by_id_owner;

CREATE INDEX recipes_by_household_newest ON recipes (household_id, created_at DESC, id DESC);

CREATE INDEX recipes_by_household_category ON recipes (household_id, category);

CREATE INDEX recipes_by_household_source ON recipes (household_id, source_url)
WHERE source_url != '';

CREATE INDEX recipes_by_id_household ON recipes (id, household_id);

DROP INDEX recipes_by_user_title;

CREATE INDEX recipes_by_household_title ON recipes (household_id, title);

-- "What I created" (leaving with a copy) and the users foreign key.
CREATE INDEX recipes_by_creator ON recipes (user_id);

-- Counts per household instead of per user (version 3's tables and triggers, re-keyed).
DROP TRIGGER recipe_tags_count_insert;

DROP TRIGGER recipe_tags_count_delete;

DROP TRIGGER recipes_count_insert;

DROP TRIGGER recipes_count_delete;

DROP TABLE tag_counts;

DROP TABLE recipe_counts;

CREATE TABLE tag_counts (
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    count INTEGER NOT NULL,
    PRIMARY KEY (household_id, tag)
) WITHOUT ROWID;

CREATE INDEX tag_counts_by_count ON tag_counts (household_id, count DESC);

CREATE TABLE recipe_counts (
    household_id INTEGER PRIMARY KEY REFERENCES households (id) ON DELETE CASCADE,
    count INTEGER NOT NULL
);

INSERT INTO tag_counts (household_id, tag, count)
SELECT r.household_id, t.tag, count(*) FROM recipe_tags t JOIN recipes r ON r.id = t.recipe_id
GROUP BY r.household_id, t.tag;

INSERT INTO recipe_counts (household_id, count)
SELECT household_id, count(*) FROM recipes GROUP BY household_id;

CREATE TRIGGER recipe_tags_count_insert AFTER INSERT ON recipe_tags BEGIN
    INSERT INTO tag_counts (household_id, tag, count)
    SELECT household_id, NEW.tag, 1 FROM recipes WHERE id = NEW.recipe_id
    ON CONFLICT (household_id, tag) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER recipe_tags_count_delete AFTER DELETE ON recipe_tags BEGIN
    UPDATE tag_counts SET count = count - 1
    WHERE household_id = (SELECT household_id FROM recipes WHERE id = OLD.recipe_id)
        AND tag = OLD.tag;
    DELETE FROM tag_counts
    WHERE household_id = (SELECT household_id FROM recipes WHERE id = OLD.recipe_id)
        AND tag = OLD.tag AND count <= 0;
END;

CREATE TRIGGER recipes_count_insert AFTER INSERT ON recipes BEGIN
    INSERT INTO recipe_counts (household_id, count) VALUES (NEW.household_id, 1)
    ON CONFLICT (household_id) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER recipes_count_delete AFTER DELETE ON recipes BEGIN
    UPDATE recipe_counts SET count = count - 1 WHERE household_id = OLD.household_id;
END;

-- Invitation links: only a SHA-256 of each token is stored; one use, then used_at is set.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX invitations_by_household ON invitations (household_id, created_at);
