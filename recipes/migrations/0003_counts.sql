-- Version 3: per-user tag and recipe counts, kept in step by triggers, so the index page
-- does not count 250,000 tag rows (and read a recipes row for each) on every view.

CREATE TABLE tag_counts (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    count INTEGER NOT NULL,
    PRIMARY KEY (user_id, tag)
) WITHOUT ROWID;

CREATE INDEX tag_counts_by_count ON tag_counts (user_id, count DESC);

CREATE TABLE recipe_counts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    count INTEGER NOT NULL
);

INSERT INTO tag_counts (user_id, tag, count)
SELECT r.user_id, t.tag, count(*) FROM recipe_tags t JOIN recipes r ON r.id = t.recipe_id
GROUP BY r.user_id, t.tag;

INSERT INTO recipe_counts (user_id, count)
SELECT user_id, count(*) FROM recipes GROUP BY user_id;

CREATE TRIGGER recipe_tags_count_insert AFTER INSERT ON recipe_tags BEGIN
    INSERT INTO tag_counts (user_id, tag, count)
    SELECT user_id, NEW.tag, 1 FROM recipes WHERE id = NEW.recipe_id
    ON CONFLICT (user_id, tag) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER recipe_tags_count_delete AFTER DELETE ON recipe_tags BEGIN
    UPDATE tag_counts SET count = count - 1
    WHERE user_id = (SELECT user_id FROM recipes WHERE id = OLD.recipe_id) AND tag = OLD.tag;
    DELETE FROM tag_counts
    WHERE user_id = (SELECT user_id FROM recipes WHERE id = OLD.recipe_id) AND tag = OLD.tag
        AND count <= 0;
END;

-- A cascade from recipes runs after the recipe row is gone, when its owner can no longer
-- be looked up: so tags are removed here first, while it still exists.
CREATE TRIGGER recipes_delete_tags BEFORE DELETE ON recipes BEGIN
    DELETE FROM recipe_tags WHERE recipe_id = OLD.id;
END;

CREATE TRIGGER recipes_count_insert AFTER INSERT ON recipes BEGIN
    INSERT INTO recipe_counts (user_id, count) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER recipes_count_delete AFTER DELETE ON recipes BEGIN
    UPDATE recipe_counts SET count = count - 1 WHERE user_id = OLD.user_id;
END;
