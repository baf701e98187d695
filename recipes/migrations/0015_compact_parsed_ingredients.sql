-- Parsed ingredient lines move to a compact form (recipes.ingredients.stored): entries of
-- [food, note, [[quantity, quantity_max, unit], ...]] instead of objects with named fields,
-- which took 150 bytes a line and doubled each row. NULL makes the app parse them again at
-- start-up in batches (store.parse_stored_ingredients), as after 0011.
UPDATE recipes SET ingredients_parsed = NULL;
