-- The recipes whose ingredients still await parsing (store.parse_stored_ingredients). Every
-- start-up asks for them; without this index that question read all 100,000 rows (0.35 s of
-- each start). Almost always empty, so it costs nothing to keep.
CREATE INDEX recipes_unparsed ON recipes (id) WHERE ingredients_parsed IS NULL;
