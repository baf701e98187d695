-- Each recipe's ingredient lines parsed (quantity, unit, food, note): a JSON list, one entry
-- per line (recipes.ingredients.stored). NULL until parsed: the app parses such rows at
-- start-up (store.parse_stored_ingredients), and on reading one that is still NULL.
ALTER TABLE recipes ADD COLUMN ingredients_parsed TEXT;
