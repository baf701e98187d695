"""The owner's meal plan and shopping list for one authorization-matrix request: fresh ids
for the URL, and valid bodies, so a status says who asked rather than what was sent."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import Any

from recipes.mealplan import settings as plan_settings
from recipes.mealplan import store as plan_store
from recipes.shopping import store as shopping_store

DAY = dt.date(2026, 3, 2)
VISITORS_WITH_A_KEY = ("anon", "share", "revoked")


class PlanCase:
    """Created in the owner's household; `share`/`revoked`/`anon` hold a live, a revoked or a
    guessed calendar and list link."""

    def __init__(
        self, db: sqlite3.Connection, household_id: int, recipe_id: int, role: str
    ) -> None:
        self.recipe_title = db.execute(
            "SELECT title FROM recipes WHERE id = ?", (recipe_id,)
        ).fetchone()[0]
        self.slot_id = plan_store.slots(db, household_id)[0].id
        self.entry_id = plan_store.add_entry(db, household_id, DAY, self.slot_id, recipe_id)
        self.list_id = shopping_store.create_list(db, household_id, "Matrix list")
        (source,) = (
            shopping_store.add_recipes(db, household_id, self.list_id, [(recipe_id, 2)]) or []
        )
        self.source_id = source.id
        item = shopping_store.add_item(db, household_id, self.list_id, "2 lemons")
        assert item is not None
        self.item_id = item
        self.recipe_id = recipe_id
        guessed = secrets.token_urlsafe(24)
        live, revoked = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        plan_settings.set_ical_token(db, household_id, revoked)
        plan_settings.set_ical_token(db, household_id, live)  # the old address is dead
        shopping_store.set_share_token(db, household_id, self.list_id, revoked)
        shopping_store.set_share_token(db, household_id, self.list_id, live)
        self.token = {"revoked": revoked, "anon": guessed}.get(role, live)

    def url_value(self, name: str, endpoint: str) -> Any:
        """A value for a URL argument of a plan or shopping route, or None if not ours."""
        values = {
            "entry_id": self.entry_id,
            "slot_id": self.slot_id,
            "list_id": self.list_id,
            "item_id": self.item_id,
            "source_id": self.source_id,
        }
        if name == "token" and endpoint in ("plan.feed", "shopping.shared"):
            return self.token
        return values.get(name)

    def body(self, endpoint: str, method: str) -> dict[str, Any] | None:
        forms: dict[str, dict[str, Any]] = {
            "plan.add": {"date": DAY.isoformat(), "slot": "Dinner", "what": self.recipe_title},
            "plan.move": {"date": DAY.isoformat(), "slot_id": self.slot_id},
            "plan.copy_week": {"from": DAY.isoformat(), "to": "2026-03-09"},
            "plan.add_slot": {"name": "Brunch"},
            "plan.rename_slot": {"name": "Supper"},
            "plan.first_day": {"first_day": "0"},
            "shopping.create": {"name": "New list"},
            "shopping.add_item": {"text": "milk"},
            "shopping.add_recipes": {"recipe": self.recipe_title, "servings": "4"},
            # From a recipe's page: the owner's recipe onto the owner's list.
            "shopping.add_recipe": {"recipe_id": self.recipe_id, "list_id": self.list_id},
            "shopping.check": {"checked": "1"},
            "shopping.move_aisle": {"aisle": "Fruit"},
            "shopping.household_settings": {"aisles": "Produce\nOther", "staples": "salt"},
        }
        if endpoint in forms and method == "POST":
            return {"data": forms[endpoint]}
        payloads: dict[str, dict[str, Any]] = {
            "mealplan_api.create_entry": {"date": DAY.isoformat(), "slot": "Lunch", "text": "x"},
            "mealplan_api.update_entry": {"servings": 3},
            "shopping_api.create_list": {"name": "API list"},
            "shopping_api.add_recipes": {"recipe_id": self.recipe_id, "servings": 2},
            "shopping_api.add_item": {"text": "3 limes"},
            "shopping_api.update_item": {"checked": True},
        }
        if endpoint in payloads:
            return {"json": payloads[endpoint]}
        return None
