"""Property: adding a recipe to a list and removing it again gives back the same list,
whatever the list held, which lines were checked, and the servings asked for."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recipes import create_app
from recipes.db import get_db
from recipes.shopping import store
from recipes.users import get_user
from tests.support.plan_support import Cook

FOODS = ["flour", "milk", "garlic", "tomatoes", "tomato", "salt", "eggs", "butter", "rice"]
UNITS = ["g", "kg", "ml", "l", "cup", "cups", "tbsp", "tsp", "clove", "oz", "lb", "pinch", ""]
QUANTITIES = ["1", "2", "0.5", "1/2", "1 1/2", "3", "250", "2-3", "⅓"]


@st.composite
def ingredient_line(draw: st.DrawFn) -> str:
    quantity = draw(st.sampled_from([*QUANTITIES, ""]))
    unit = draw(st.sampled_from(UNITS)) if quantity else ""
    return " ".join(part for part in (quantity, unit, draw(st.sampled_from(FOODS))) if part)


def snapshot(shopping_list: Any) -> list[tuple[Any, ...]]:
    shown = [*shopping_list.items, *shopping_list.left_out_staples]
    return sorted(
        (i.id, i.text, i.food, i.quantity, i.unit, i.aisle, i.checked, i.pantry_staple,
         tuple((r.source_id, r.text) for r in i.recipes))
        for i in shown
    )  # fmt: skip


def test_adding_then_removing_a_recipe_restores_the_list(tmp_path_factory) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path_factory.mktemp("prop")),
            "WTF_CSRF_ENABLED": False,
        }
    )
    cook = Cook(app, "prop")
    with app.app_context():
        household = get_user(get_db(), cook.user.id).household_id
    base_recipe = cook.recipe("Base", ["200 g flour", "2 eggs", "1 cup milk"], servings="4")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        typed=st.lists(ingredient_line(), max_size=8),
        base_servings=st.none() | st.sampled_from([1.0, 2.0, 6.0]),
        recipe=st.lists(ingredient_line(), min_size=1, max_size=10),
        servings=st.none() | st.floats(min_value=0.5, max_value=24),
        checked=st.sets(st.integers(min_value=0, max_value=10)),
    )
    def check(typed, base_servings, recipe, servings, checked) -> None:
        recipe_id = cook.recipe("Added", recipe, servings="4")
        with app.app_context():
            db = get_db()
            list_id = store.create_list(db, household, "Property")
            for text in typed:
                store.add_item(db, household, list_id, text)
            store.add_recipes(db, household, list_id, [(base_recipe, base_servings)])
            items = store.get_list(db, household, list_id).items  # type: ignore[union-attr]
            for n, item in enumerate(items):
                if n in checked:
                    store.update_item(db, household, list_id, item.id, checked=True)
            before = store.get_list(db, household, list_id)
            (source,) = store.add_recipes(db, household, list_id, [(recipe_id, servings)]) or []
            during = store.get_list(db, household, list_id)
            assert during is not None and during.version > before.version  # type: ignore[union-attr]
            assert store.remove_source(db, household, list_id, source.id)
            after = store.get_list(db, household, list_id)
            assert after is not None and before is not None
            assert snapshot(after) == snapshot(before)
            assert [s.id for s in after.recipes] == [s.id for s in before.recipes]

    check()
