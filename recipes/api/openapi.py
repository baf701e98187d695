"""The OpenAPI 3.1 document. Component schemas come from the pydantic models themselves."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from flask import request
from pydantic import BaseModel
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
    models_json_schema,
)
from pydantic_core import core_schema

from recipes import __version__, models
from recipes.db import MAX_ROW_ID
from recipes.models import Recipe, RecipeIn

from . import plan_openapi
from .auth import URL_PREFIX
from .ingredients import EXAMPLE as EXAMPLE_PARSE
from .ingredients import PARSE_PATH, ParsedLines, ParseRequest, parse_operation
from .schemas import (
    Error,
    HouseholdOut,
    HouseholdRename,
    ImportedRecipe,
    ImportJob,
    ImportRequest,
    InvitationIn,
    InvitationList,
    InvitationOut,
    LeaveIn,
    ListQuery,
    Me,
    PhotoList,
    PhotoOrder,
    PhotoPatch,
    RecipePage,
    RoleChange,
    ScaleQuery,
    ShareLink,
    TagList,
)

REF = "#/components/schemas/{model}"
IMPORT_PATH = "/recipes/import"

EXAMPLE_RECIPE: dict[str, Any] = {
    "title": "Pancakes",
    "ingredient_groups": [
        {"title": None, "ingredients": ["200 g flour", "2 eggs", "300 ml milk"]},
        {"title": "To serve", "ingredients": ["maple syrup"]},
    ],
    "instructions": ["Whisk everything into a smooth batter.", "Fry thin pancakes."],
    "servings": "8 pancakes",
    "total_time": 30,
    "tags": ["breakfast", "quick"],
    "category": "Breakfast",
    "rating": 5,
}
EXAMPLE_PATCH: dict[str, Any] = {"rating": 4, "notes": "Rest the batter for 10 minutes."}
EXAMPLE_IMPORT: dict[str, Any] = {"url": "https://example.com/recipes/pancakes"}

ERRORS = {
    400: "Malformed JSON, or text that is not UTF-8",
    401: "No credentials, or a bad or revoked token",
    403: "A viewer (read only) or non-admin asked to change something, or a session "
    "request came without its CSRF header",
    404: "No such recipe (or member, invitation) in your household",
    409: "Refused: the household would be left without an admin, or you are its only member; "
    "or `recipe_id` names no recipe of your household (`error.reason`: `unknown_recipe`)",
    412: "`If-Match` names an older version: `error.current` is the recipe as it is now and "
    "`error.etag` its ETag",
    413: "The body is over the server's size limit",
    415: "The body is not JSON",
    422: "Invalid fields: `error.fields` says which and why",
}
READ_ERRORS = (401, 404)
CREATE_ERRORS = (400, 401, 403, 413, 415, 422)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 422)


# What the models' text validators accept, as JSON Schema patterns, from the models' own
# character classes: W whitespace, C deleted control characters, I invisible characters.
_W, _C, _I = models.WHITESPACE, models.CONTROL, models.INVISIBLE
NO_NUL = r"^[^\u0000]*$"
NOT_BLANK = rf"^[^\u0000]*[^\u0000{_W}{_C}{_I}][^\u0000]*$"
_SP = rf"[{_W}{_C}]*"  # deleted or stripped at either end
HTTP_URL = (
    rf"^{_SP}(?:[hH][{_C}]*[tT][{_C}]*[tT][{_C}]*[pP][{_C}]*(?:[sS][{_C}]*)?:[{_C}]*/[{_C}]*/"
    rf"[{_C}]*[^\u0000{_W}{_C}/$.?#](?:[^\u0000{_W}]|[{_C}])*)?{_SP}$"
)
_PATTERNS = {
    models.clean_line: NO_NUL,
    models.clean_text: NO_NUL,
    models._required_line: NOT_BLANK,
    models._http_url: HTTP_URL,
}


class _Schema(GenerateJsonSchema):
    """Pydantic's schema, plus patterns for the models' own text validators."""

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        result = super().function_after_schema(schema)
        function = schema["function"]["function"]  # type: ignore[typeddict-item]
        pattern = _PATTERNS.get(function)  # type: ignore[arg-type]
        if pattern and result.get("type") == "string":
            result["pattern"] = pattern
        elif function in (models._clean_lines, models._dedupe_tags):
            result.setdefault("items", {})["pattern"] = NO_NUL
        return result

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # Pydantic states a key pattern as patternProperties, which leaves keys that do
        # not match it unchecked; every key must match, so say it with propertyNames.
        result = super().dict_schema(schema)
        patterns = result.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            result["propertyNames"] = {**result.get("propertyNames", {}), "pattern": pattern}
            result["additionalProperties"] = values
        return result


@cache
def _schemas() -> dict[str, Any]:
    shapes: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (RecipeIn, "validation"),
        (Recipe, "serialization"),
        (RecipePage, "serialization"),
        (TagList, "serialization"),
        (Me, "serialization"),
        (ShareLink, "serialization"),
        (ImportRequest, "validation"),
        (ImportedRecipe, "serialization"),
        (ImportJob, "serialization"),
        (PhotoList, "serialization"),
        (PhotoOrder, "validation"),
        (PhotoPatch, "validation"),
        (ParseRequest, "validation"),
        (ParsedLines, "serialization"),
        (Error, "serialization"),
        *plan_openapi.SHAPES,  # type: ignore[list-item]
        (HouseholdOut, "serialization"),
        (HouseholdRename, "validation"),
        (RoleChange, "validation"),
        (InvitationIn, "validation"),
        (InvitationOut, "serialization"),
        (InvitationList, "serialization"),
        (LeaveIn, "validation"),
    ]
    _, top = models_json_schema(shapes, ref_template=REF, schema_generator=_Schema)
    schemas: dict[str, Any] = top["$defs"]
    # PATCH takes any subset of the RecipeIn fields: the same schema, nothing required.
    patch = copy.deepcopy(schemas["RecipeIn"])
    patch.pop("required", None)
    patch["title"] = "RecipePatch"
    patch["description"] = "Any of the recipe's fields; the others keep their values."
    schemas["RecipePatch"] = patch
    return schemas


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _json_content(name: str, example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": _ref(name)}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def _responses(ok: dict[str, Any], errors: tuple[int, ...]) -> dict[str, Any]:
    responses = dict(ok)
    for status in errors:
        responses[str(status)] = {"description": ERRORS[status], "content": _json_content("Error")}
    return responses


def _ok(name: str, description: str = "OK", status: int = 200) -> dict[str, Any]:
    return {str(status): {"description": description, "content": _json_content(name)}}


def _body(name: str, example: Any) -> dict[str, Any]:
    return {"required": True, "content": _json_content(name, example)}


def _list_parameters(model: type[BaseModel] = ListQuery) -> list[dict[str, Any]]:
    properties = model.model_json_schema()["properties"]
    parameters = []
    for name, schema in properties.items():
        schema = dict(schema)
        options = [o for o in schema.pop("anyOf", []) if o.get("type") != "null"]
        if options:  # optional in the query string: absent, never null
            schema.update(options[0])
            schema.pop("default", None)
        description = schema.pop("description", None)
        schema.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


RECIPE_ID = {
    "name": "recipe_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID},
}
NO_CONTENT = {"204": {"description": "Done; no body"}}
ETAG = {
    "ETag": {
        "description": 'The recipe\'s version, e.g. "v3": send it back as If-Match',
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag the change is based on. If the recipe was saved since, nothing "
    "is written and the answer is 412 with the current version. Without it the last save wins.",
    "schema": {"type": "string"},
}
CREATED = {
    "201": {
        "description": "Created",
        "headers": {
            "Location": {"description": "The new recipe's address", "schema": {"type": "string"}}
        },
        "content": _json_content("Recipe"),
    }
}


def _paths() -> dict[str, Any]:
    recipe = {"parameters": [RECIPE_ID]}
    paths: dict[str, Any] = {
        "/recipes": {
            "get": {
                "operationId": "listRecipes",
                "summary": "List or search your recipes",
                "description": "Newest first; with `q`, ranked full-text search (the same as "
                "the search page: word prefixes, any case or accents).",
                "parameters": _list_parameters(),
                "responses": _responses(_ok("RecipePage"), (401, 422)),
            },
            "post": {
                "operationId": "createRecipe",
                "summary": "Create a recipe",
                "description": "Send `ingredients` (flat lines) or `ingredient_groups` (lines "
                "under headings). Unknown fields are an error.",
                "requestBody": _body("RecipeIn", EXAMPLE_RECIPE),
                "responses": _responses(CREATED, CREATE_ERRORS),
            },
        },
        "/recipes/{recipe_id}": {
            **recipe,
            "get": {
                "operationId": "getRecipe",
                "summary": "Get one recipe",
                "description": "The `ETag` header carries its version, for `If-Match`. "
                "With `servings` and/or `units`, `ingredients`, "
                "`ingredient_groups`, `ingredients_parsed` and `servings` come back scaled "
                "and converted (kitchen units: `48 tsp` is `1 cup`, `1500 g` is `1.5 kg`).",
                "parameters": _list_parameters(ScaleQuery),
                "responses": _responses(_tagged_ok(), (*READ_ERRORS, 422)),
            },
            "put": {
                "operationId": "replaceRecipe",
                "summary": "Replace a recipe",
                "description": "Fields you leave out are reset to empty.",
                "parameters": [IF_MATCH],
                "requestBody": _body("RecipeIn", EXAMPLE_RECIPE),
                "responses": _responses(_tagged_ok(), (*WRITE_ERRORS, 412)),
            },
            "patch": {
                "operationId": "updateRecipe",
                "summary": "Change some fields of a recipe",
                "description": "412 also when another save lands between reading the recipe "
                "and writing the change (the change would undo it).",
                "parameters": [IF_MATCH],
                "requestBody": _body("RecipePatch", EXAMPLE_PATCH),
                "responses": _responses(_tagged_ok(), (*WRITE_ERRORS, 412)),
            },
            "delete": {
                "operationId": "deleteRecipe",
                "summary": "Delete a recipe",
                "description": "Meal plan entries that name it stay, as notes under its title.",
                "responses": _responses(NO_CONTENT, (401, 403, 404)),
            },
        },
        "/recipes/{recipe_id}/share": {
            **recipe,
            "post": {
                "operationId": "shareRecipe",
                "summary": "Create (or get) the recipe's public link",
                "description": "Anyone with the link can read this one recipe.",
                "responses": _responses(_ok("ShareLink"), (401, 403, 404)),
            },
            "delete": {
                "operationId": "unshareRecipe",
                "summary": "Revoke the public link",
                "responses": _responses(NO_CONTENT, (401, 403, 404)),
            },
        },
        "/tags": {
            "get": {
                "operationId": "listTags",
                "summary": "Your tags with how many recipes carry each",
                "responses": _responses(_ok("TagList"), (401,)),
            }
        },
        "/me": {
            "get": {
                "operationId": "getMe",
                "summary": "The account the credentials belong to",
                "responses": _responses(_ok("Me"), (401,)),
            }
        },
        PARSE_PATH: {
            "post": parse_operation(
                _body("ParseRequest", EXAMPLE_PARSE),
                _responses(_ok("ParsedLines"), CREATE_ERRORS),
            )
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenapi",
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    paths.update(_photo_paths())
    paths.update(_household_paths())
    paths.update(plan_openapi.paths(_body, _responses, _ok))
    paths[IMPORT_PATH] = {"post": _import_operation()}
    paths.update(_file_import_paths())
    return paths


def _tagged_ok() -> dict[str, Any]:
    return {"200": {"description": "OK", "headers": ETAG, "content": _json_content("Recipe")}}


def _household_paths() -> dict[str, Any]:
    """The caller's household (recipes.api.household); members and invitations are for
    admins to manage."""
    admin = "Admins only (403 otherwise)."
    username = {"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}
    invitation_id = {**RECIPE_ID, "name": "invitation_id"}
    body_errors = (400, 401, 403, 413, 415, 422)
    return {
        "/household": {
            "get": {
                "operationId": "getHousehold",
                "summary": "Your household: its name and members with their roles",
                "responses": _responses(_ok("HouseholdOut"), (401,)),
            },
            "patch": {
                "operationId": "renameHousehold",
                "summary": "Rename the household",
                "description": admin,
                "requestBody": _body("HouseholdRename", {"name": "The Smiths"}),
                "responses": _responses(_ok("HouseholdOut"), body_errors),
            },
        },
        "/household/members/{username}": {
            "parameters": [username],
            "patch": {
                "operationId": "setMemberRole",
                "summary": "Change a member's role",
                "description": f"{admin} At least one admin always remains (409).",
                "requestBody": _body("RoleChange", {"role": "viewer"}),
                "responses": _responses(_ok("HouseholdOut"), (*body_errors, 404, 409)),
            },
            "delete": {
                "operationId": "removeMember",
                "summary": "Remove a member",
                "description": f"{admin} They get a household of their own; the recipes they "
                "added stay here. Leave yourself with POST /household/leave.",
                "responses": _responses(_ok("HouseholdOut"), (401, 403, 404, 409)),
            },
        },
        "/household/leave": {
            "post": {
                "operationId": "leaveHousehold",
                "summary": "Leave for a new household of your own",
                "description": "`take`: `nothing`, or `copy` to take a copy of the recipes you "
                "added. Answers your new household.",
                "requestBody": _body("LeaveIn", {"take": "copy"}),
                "responses": _responses(_ok("HouseholdOut"), (*body_errors, 409)),
            }
        },
        "/household/invitations": {
            "get": {
                "operationId": "listInvitations",
                "summary": "The household's invitations",
                "description": admin,
                "responses": _responses(_ok("InvitationList"), (401, 403)),
            },
            "post": {
                "operationId": "createInvitation",
                "summary": "Create a one-time invitation link (valid 7 days)",
                "description": f"{admin} Whoever opens `url` registers or signs in and joins "
                "with `role`. The link is only in this answer.",
                "requestBody": _body("InvitationIn", {"role": "member"}),
                "responses": _responses(_ok("InvitationOut", "Created", 201), body_errors),
            },
        },
        "/household/invitations/{invitation_id}": {
            "parameters": [invitation_id],
            "delete": {
                "operationId": "revokeInvitation",
                "summary": "Revoke (or delete) an invitation",
                "description": admin,
                "responses": _responses(NO_CONTENT, (401, 403, 404)),
            },
        },
    }


PHOTO_ID = {**RECIPE_ID, "name": "photo_id"}
PHOTO_ERRORS = {
    413: "The photo is over 20 MB",
    422: "Not an image we can read, a damaged one, or over 64 megapixels: "
    "`error.message` says which",
}
IMAGE = {
    "200": {
        "description": "The image, with a strong ETag; cached for a year when asked for by "
        "the address in the photo object (it changes when the photo does)",
        "content": {"image/webp": {}, "image/jpeg": {}},
    },
    "304": {"description": "Not modified (If-None-Match matched the ETag)"},
}


# A multipart body with one file in the field `file` (photo uploads, file imports).
FILE_UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


def _photo_paths() -> dict[str, Any]:
    """recipes/api/photos.py: uploading and arranging a recipe's photos, and reading them."""
    created = {"201": {"description": "Stored", "content": _json_content("PhotoOut")}}
    upload_errors = _responses(created, (401, 403, 404))
    upload_errors.update(
        {
            str(s): {"description": d, "content": _json_content("Error")}
            for s, d in PHOTO_ERRORS.items()
        }
    )
    photo = {"parameters": [RECIPE_ID, PHOTO_ID]}
    return {
        "/recipes/{recipe_id}/photos": {
            "parameters": [RECIPE_ID],
            "get": {
                "operationId": "listPhotos",
                "summary": "The recipe's photos, cover first",
                "responses": _responses(_ok("PhotoList"), READ_ERRORS),
            },
            "post": {
                "operationId": "uploadPhoto",
                "summary": "Add a photo (JPEG, PNG, GIF or WebP, at most 20 MB)",
                "description": "Send it as the multipart field `file`. It is checked by its "
                "content, turned upright by its EXIF orientation, stripped of all metadata "
                "(GPS included) and stored at most 2048 px, with a ~480 px thumbnail. It goes "
                "after the recipe's other photos; the first photo is the cover.",
                "requestBody": FILE_UPLOAD,
                "responses": upload_errors,
            },
            "patch": {
                "operationId": "arrangePhotos",
                "summary": "Reorder the photos (the first is the cover)",
                "description": "Photos you leave out follow the named ones in their present "
                "order; ids that are not photos of this recipe are ignored.",
                "requestBody": _body("PhotoOrder", {"order": [12, 10]}),
                "responses": _responses(_ok("PhotoList"), WRITE_ERRORS),
            },
        },
        "/recipes/{recipe_id}/photos/{photo_id}": {
            **photo,
            "patch": {
                "operationId": "updatePhoto",
                "summary": "Make a photo the cover, or move it",
                "requestBody": _body("PhotoPatch", {"cover": True}),
                "responses": _responses(_ok("PhotoList"), WRITE_ERRORS),
            },
            "delete": {
                "operationId": "deletePhoto",
                "summary": "Delete a photo",
                "responses": _responses(NO_CONTENT, (401, 403, 404)),
            },
        },
        "/photos/{photo_id}": {
            "parameters": [PHOTO_ID],
            "get": {
                "operationId": "getPhoto",
                "summary": "A photo at display size (the url of a photo object)",
                "responses": _responses(IMAGE, READ_ERRORS),
            },
        },
        "/photos/{photo_id}/thumbnail": {
            "parameters": [PHOTO_ID],
            "get": {
                "operationId": "getPhotoThumbnail",
                "summary": "A photo's ~480 px WebP thumbnail (its thumbnail_url)",
                "responses": _responses(IMAGE, READ_ERRORS),
            },
        },
    }


def _file_import_paths() -> dict[str, Any]:
    """recipes.api.imports: files of any export we read, imported as background jobs."""
    started = {
        "202": {
            "description": "Started; poll the `Location` until `done` is true",
            "headers": {"Location": {"description": "The job", "schema": {"type": "string"}}},
            "content": _json_content("ImportJob"),
        }
    }
    return {
        "/imports": {
            "post": {
                "operationId": "importFile",
                "summary": "Import a file: an export from another app, or ours",
                "description": "Mealie, Tandoor, Nextcloud Cookbook, Paprika, Copy Me That, "
                "Plan to Eat, My Recipe Box, Recipe Keeper, Chowdown, MealMaster, MasterCook, "
                "Cooklang, schema.org JSON-LD, saved pages, lists of addresses, our export. "
                "The format is recognised from the content. Recipes already imported are "
                "skipped as duplicates; one bad recipe never stops the rest.",
                "requestBody": FILE_UPLOAD,
                "responses": _responses(started, (401, 403, 413, 422)),
            }
        },
        "/imports/{job_id}": {
            "parameters": [
                {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": "getImportJob",
                "summary": "An import's progress, then its report",
                "responses": _responses(_ok("ImportJob"), (401, 404)),
            },
        },
    }


def _import_operation() -> dict[str, Any]:
    """The importer's endpoint (recipes.importing.api), documented here with the rest."""
    ok = {
        "200": {
            "description": "Updated the existing recipe (`on_duplicate`: `update`)",
            "content": _json_content("ImportedRecipe"),
        },
        "201": {**CREATED["201"], "content": _json_content("ImportedRecipe")},
        "409": {
            "description": "Already imported; `error.recipe_id` and `error.location` point to it",
            "content": _json_content("Error"),
        },
        "502": {
            "description": "The page could not be fetched; `error.message` says why",
            "content": _json_content("Error"),
        },
        "429": {
            "description": "You already have 2 imports fetching pages; try again when one ends",
            "content": _json_content("Error"),
        },
        "503": {
            "description": "The server is busy with other imports; try again in a few seconds",
            "content": _json_content("Error"),
        },
    }
    return {
        "operationId": "importRecipe",
        "summary": "Import a recipe from a web page",
        "description": "With only `url` the server fetches the page; with `html` too it reads "
        "that HTML instead (for sites that block servers; at most 5 MB, else 413). With "
        "`html` alone the page's canonical link or og:url gives the source address. 422 "
        "when the page holds no recipe.",
        "requestBody": _body("ImportRequest", EXAMPLE_IMPORT),
        "responses": _responses(ok, CREATE_ERRORS),
    }


def openapi_document() -> dict[str, Any]:
    """The document for this app, with the server address as the client sees it."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Recipes API",
            "version": __version__,
            "description": "Your recipes as JSON. Authenticate with an API token from the "
            "Settings page: `Authorization: Bearer <token>`. Every error is "
            '`{"error": {"status", "message"}}`, with `fields` on 422.',
        },
        "servers": [{"url": request.script_root + URL_PREFIX}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (Settings → API tokens, or "
                    "`recipes token add USER`). A logged-in browser session also works; "
                    "requests that change data then need the X-CSRFToken header.",
                }
            },
        },
    }
