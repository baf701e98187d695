-- Version 13: cooking. The cooking log ("I made this", and meals the planner marks cooked)
-- belongs to a household; each account remembers the units it reads recipes in.
CREATE TABLE cooking_log (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL,  -- the owning household (an account's own until issue 13)
    recipe_id INTEGER NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    cooked_on TEXT NOT NULL,  -- YYYY-MM-DD, the cook's own day
    note TEXT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    created_at TEXT NOT NULL
);

CREATE INDEX cooking_log_by_recipe ON cooking_log (household_id, recipe_id, cooked_on DESC);

CREATE INDEX cooking_log_by_day ON cooking_log (household_id, cooked_on DESC);

CREATE INDEX cooking_log_by_user ON cooking_log (user_id);

-- NULL: amounts as written; 'metric' or 'us': converted.
ALTER TABLE users ADD COLUMN units TEXT CHECK (units IN ('metric', 'us'));
