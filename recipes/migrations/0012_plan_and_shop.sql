-- Meal planner and shopping lists (issue 16). Every row belongs to a household: household_id
-- is the account's id until households (issue 13) exist, and the same id after.

-- One row per household (written with its default slots, aisles and staples on first use).
CREATE TABLE planning_settings (
    household_id INTEGER PRIMARY KEY,
    first_day INTEGER NOT NULL DEFAULT 0 CHECK (first_day BETWEEN 0 AND 6),  -- 0 = Monday
    ical_token TEXT UNIQUE
);

CREATE TABLE meal_slots (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE INDEX meal_slots_by_household ON meal_slots (household_id, position);

CREATE TABLE meal_plan_entries (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL,
    day TEXT NOT NULL,  -- YYYY-MM-DD
    slot_id INTEGER NOT NULL REFERENCES meal_slots (id) ON DELETE CASCADE,
    recipe_id INTEGER REFERENCES recipes (id) ON DELETE CASCADE,
    text TEXT NOT NULL DEFAULT '',
    servings REAL,
    position INTEGER NOT NULL DEFAULT 0,
    cooked_on TEXT,
    created_at TEXT NOT NULL,
    CHECK (recipe_id IS NOT NULL OR text != '')
);

CREATE INDEX meal_plan_by_day ON meal_plan_entries (household_id, day, slot_id, position);
CREATE INDEX meal_plan_by_recipe ON meal_plan_entries (recipe_id);

CREATE TABLE shopping_lists (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    share_token TEXT UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,  -- bumped by every change: the ETag devices poll
    created_at TEXT NOT NULL
);

CREATE INDEX shopping_lists_by_household ON shopping_lists (household_id, id);

-- A recipe added to a list at some servings; removing it removes its amounts.
CREATE TABLE shopping_sources (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES shopping_lists (id) ON DELETE CASCADE,
    recipe_id INTEGER REFERENCES recipes (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    servings REAL,
    created_at TEXT NOT NULL
);

CREATE INDEX shopping_sources_by_list ON shopping_sources (list_id);

-- One line of a list: a food in one family of units (mass, volume, or one count unit).
CREATE TABLE shopping_items (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES shopping_lists (id) ON DELETE CASCADE,
    food_key TEXT NOT NULL,
    food TEXT NOT NULL,
    unit_group TEXT NOT NULL,
    aisle TEXT NOT NULL,
    checked INTEGER NOT NULL DEFAULT 0,
    staple INTEGER NOT NULL DEFAULT 0,  -- a pantry staple, left off until someone adds it
    created_at TEXT NOT NULL
);

CREATE INDEX shopping_items_by_food ON shopping_items (list_id, food_key, unit_group);

-- What each source (NULL: typed by someone) adds to an item; the item's amount is their sum.
CREATE TABLE shopping_amounts (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES shopping_items (id) ON DELETE CASCADE,
    source_id INTEGER REFERENCES shopping_sources (id) ON DELETE CASCADE,
    quantity REAL,
    unit TEXT,
    text TEXT NOT NULL,
    client_id TEXT  -- set by a device for a typed item, so sending it again adds it once
);

CREATE INDEX shopping_amounts_by_item ON shopping_amounts (item_id);
CREATE INDEX shopping_amounts_by_source ON shopping_amounts (source_id);
CREATE INDEX shopping_amounts_by_client ON shopping_amounts (client_id) WHERE client_id IS NOT NULL;

CREATE TABLE aisles (
    household_id INTEGER NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    position INTEGER NOT NULL,
    PRIMARY KEY (household_id, name)
) WITHOUT ROWID;

-- Learnt when someone moves an item: where this household finds that food.
CREATE TABLE food_aisles (
    household_id INTEGER NOT NULL,
    food_key TEXT NOT NULL,
    aisle TEXT NOT NULL,
    PRIMARY KEY (household_id, food_key)
) WITHOUT ROWID;

CREATE TABLE pantry_staples (
    household_id INTEGER NOT NULL,
    food_key TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (household_id, food_key)
) WITHOUT ROWID;
