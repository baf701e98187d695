-- A deleted recipe stays on the meal plan as a note under its title, as shopping lists
-- keep their items (nothing planned is lost). It runs before the delete, so the cascade
-- on meal_plan_entries.recipe_id finds nothing left to remove.
CREATE TRIGGER plan_keeps_deleted_recipe BEFORE DELETE ON recipes BEGIN
    UPDATE meal_plan_entries
    SET text = coalesce(nullif(trim(OLD.title), ''), 'Deleted recipe'), recipe_id = NULL
    WHERE recipe_id = OLD.id;
END;
