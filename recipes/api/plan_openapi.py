"""The OpenAPI description of the meal plan and shopping list endpoints (issue 16).

`recipes.api.openapi` adds these paths and shapes to the document; the helpers that build
bodies and responses are passed in so both files describe errors the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recipes.db import MAX_ROW_ID
from recipes.mealplan.models import Entry, EntryIn, EntryList, EntryPatch
from recipes.shopping.models import (
    ItemIn,
    ItemPatch,
    ListIn,
    ListIndex,
    RecipesAdded,
    RecipesIn,
    ShoppingList,
)

SHAPES: list[tuple[type, str]] = [
    (EntryIn, "validation"),
    (EntryPatch, "validation"),
    (Entry, "serialization"),
    (EntryList, "serialization"),
    (ListIn, "validation"),
    (ListIndex, "serialization"),
    (ShoppingList, "serialization"),
    (RecipesIn, "validation"),
    (RecipesAdded, "serialization"),
    (ItemIn, "validation"),
    (ItemPatch, "validation"),
]
READ = (401, 404)
WRITE = (400, 401, 403, 404, 413, 415, 422)
CREATE = (400, 401, 403, 413, 415, 422)
NO_CONTENT = {"204": {"description": "Done; no body"}}
NOT_MODIFIED = {"304": {"description": "Unchanged since the ETag sent in If-None-Match"}}
ETAG = {"ETag": {"description": "The list's version", "schema": {"type": "string"}}}
EXAMPLE_ENTRY = {"date": "2026-03-02", "slot": "Dinner", "recipe_id": 12, "servings": 4}
EXAMPLE_ITEM = {"text": "2 lemons", "client_id": "phone-1f3a"}


def _id(name: str) -> dict[str, Any]:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _date(name: str, description: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "date"}
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


Body = Callable[[str, Any], dict[str, Any]]
Responses = Callable[[dict[str, Any], tuple[int, ...]], dict[str, Any]]
Ok = Callable[..., dict[str, Any]]


def paths(body: Body, responses: Responses, ok: Ok) -> dict[str, Any]:
    return {**_mealplan(body, responses, ok), **_shopping(body, responses, ok)}


def _mealplan(body: Body, responses: Responses, ok: Ok) -> dict[str, Any]:
    return {
        "/mealplan": {
            "get": {
                "operationId": "listMealPlan",
                "summary": "The household's plan from start to end",
                "description": "Both days included; without them, this week (the household's "
                "first day of the week). At most 366 days at a time.",
                "parameters": [
                    _date("start", "First day (YYYY-MM-DD)"),
                    _date("end", "Last day, inclusive"),
                ],
                "responses": responses(ok("EntryList"), (401, 422)),
            },
            "post": {
                "operationId": "createMealPlanEntry",
                "summary": "Plan a recipe (with servings) or a free text on a day and slot",
                "description": "Send `recipe_id` or `text`, not both. `slot` is one of the "
                "household's slot names (Breakfast, Lunch, Dinner, Snack unless renamed).",
                "requestBody": body("EntryIn", EXAMPLE_ENTRY),
                "responses": responses(ok("Entry", "Created", 201), (*CREATE, 409)),
            },
        },
        "/mealplan/{entry_id}": {
            "parameters": [_id("entry_id")],
            "get": {
                "operationId": "getMealPlanEntry",
                "summary": "One plan entry",
                "responses": responses(ok("Entry"), READ),
            },
            "patch": {
                "operationId": "updateMealPlanEntry",
                "summary": "Move or change an entry, or mark it cooked (the cooking log)",
                "requestBody": body("EntryPatch", {"date": "2026-03-04", "slot": "Lunch"}),
                "responses": responses(ok("Entry"), (*WRITE, 409)),
            },
            "delete": {
                "operationId": "deleteMealPlanEntry",
                "summary": "Remove an entry from the plan",
                "responses": responses(NO_CONTENT, (401, 403, 404)),
            },
        },
    }


def _shopping(body: Body, responses: Responses, ok: Ok) -> dict[str, Any]:
    list_id = {"parameters": [_id("list_id")]}
    with_list = ok("ShoppingList")
    with_list["200"]["headers"] = ETAG
    return {
        "/shopping-lists": {
            "get": {
                "operationId": "listShoppingLists",
                "summary": "The household's shopping lists",
                "responses": responses(ok("ListIndex"), (401,)),
            },
            "post": {
                "operationId": "createShoppingList",
                "summary": "Create a shopping list",
                "requestBody": body("ListIn", {"name": "Saturday market"}),
                "responses": responses(ok("ShoppingList", "Created", 201), CREATE),
            },
        },
        "/shopping-lists/{list_id}": {
            **list_id,
            "get": {
                "operationId": "getShoppingList",
                "summary": "A list: items by aisle, each with the recipes it came from",
                "description": "Poll with `If-None-Match: <ETag>`: 304 until the list changes. "
                "Pantry staples wait in `left_out_staples` until someone adds them.",
                "responses": responses({**with_list, **NOT_MODIFIED}, READ),
            },
            "delete": {
                "operationId": "deleteShoppingList",
                "summary": "Delete a list",
                "responses": responses(NO_CONTENT, (401, 403, 404)),
            },
        },
        "/shopping-lists/{list_id}/recipes": {
            **list_id,
            "post": {
                "operationId": "addRecipesToShoppingList",
                "summary": "Add a recipe at some servings, or every recipe planned in a range",
                "description": "Amounts of the same food in compatible units are added up "
                "(200 g + 0.5 kg = 700 g); other units stay separate lines of that food.",
                "requestBody": body("RecipesIn", {"recipe_id": 12, "servings": 6}),
                "responses": responses(ok("RecipesAdded", "Added", 201), (*WRITE, 409)),
            },
        },
        "/shopping-lists/{list_id}/recipes/{source_id}": {
            "parameters": [_id("list_id"), _id("source_id")],
            "delete": {
                "operationId": "removeRecipeFromShoppingList",
                "summary": "Take a recipe's amounts back out of the list",
                "responses": responses(NO_CONTENT, (401, 403, 404)),
            },
        },
        "/shopping-lists/{list_id}/items": {
            **list_id,
            "post": {
                "operationId": "addShoppingItem",
                "summary": "Add a typed item (merged with the same food)",
                "requestBody": body("ItemIn", EXAMPLE_ITEM),
                "responses": responses(ok("ShoppingList", "Added", 201), WRITE),
            },
        },
        "/shopping-lists/{list_id}/items/{item_id}": {
            "parameters": [_id("list_id"), _id("item_id")],
            "patch": {
                "operationId": "updateShoppingItem",
                "summary": "Check off (or undo), or move to another aisle",
                "requestBody": body("ItemPatch", {"checked": True}),
                "responses": responses(ok("ShoppingList"), WRITE),
            },
            "delete": {
                "operationId": "deleteShoppingItem",
                "summary": "Remove an item",
                "responses": responses(NO_CONTENT, (401, 403, 404)),
            },
        },
    }
