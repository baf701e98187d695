-- Which version of a derived column the stored rows hold. `ingredients_parsed` is derived
-- from the ingredient lines by the parser (its stored form and its trained model): when
-- either changes, the app clears the column and parses every recipe again at start-up, in
-- batches (store.refresh_parsed_ingredients). The first start after this migration does so
-- too, moving stored lines to the compact form of recipes.ingredients.stored.
CREATE TABLE derived_versions (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
