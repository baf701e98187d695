"""File formats: Paprika, schema.org JSON-LD, our own export (property-based round trip),
per-entry failures, and flat memory for 10,000 recipes."""

from __future__ import annotations

import base64
import gzip
import io
import json
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recipes.importing.entry import Photo
from recipes.importing.errors import BadFile
from recipes.importing.export import write_export
from recipes.importing.files import read_file
from recipes.importing.paprika import write_paprika
from recipes.models import Recipe, RecipeIn

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CREATED = datetime(2024, 3, 1, 12, 30, 5, 123456, tzinfo=UTC)


def stored(recipe: RecipeIn, recipe_id: int = 1, created: datetime = CREATED) -> Recipe:
    """The recipe as the store would return it."""
    return Recipe(
        **recipe.storage_dict(),
        ingredients=recipe.ingredients,
        id=recipe_id,
        created_at=created,
        updated_at=created,
    )


def paprika_recipe(**fields) -> dict:
    base = {
        "uid": "9C1D2A7E-0000-4000-8000-000000000001",
        "name": "Pad Thai",
        "ingredients": (
            "200 g rice noodles\n2 eggs\n\nFor the sauce:\n3 tbsp tamarind paste\n2 tbsp fish sauce"
        ),
        "directions": "Soak the noodles.\n\nFry the eggs, add the noodles.\nAdd the sauce & toss.",
        "description": "Street-food classic.",
        "notes": "Use <b>fresh</b> noodles if you can.",
        "nutritional_info": "Calories: 450\nProtein: 20 g\nHigh in sodium",
        "servings": "2 plates",
        "prep_time": "15 mins",
        "cook_time": "10 min",
        "total_time": "25 minutes",
        "difficulty": "Easy",
        "source": "Thai Kitchen",
        "source_url": "https://thai.example/pad-thai",
        "image_url": "https://thai.example/pad-thai.jpg",
        "categories": ["Noodles", "Thai"],
        "rating": 4,
        "created": "2021-05-04 18:22:01",
        "photo": "9C1D2A7E.png",
        "photo_data": base64.b64encode(PNG).decode(),
        "photo_hash": "X",
        "hash": "Y",
        "scale": None,
        "photos": [],
        "on_favorites": False,
        "in_trash": False,
        "is_pinned": False,
        "photo_large": None,
        "photo_url": None,
    }
    base.update(fields)
    return base


def paprika_file(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def gz(data: dict) -> bytes:
    return gzip.compress(json.dumps(data).encode())


# --- Paprika ----------------------------------------------------------------------------


def test_paprika_recipe_is_read_field_by_field():
    file = paprika_file({"Pad Thai.paprikarecipe": gz(paprika_recipe())})
    [entry] = list(read_file(file, "export.paprikarecipes"))
    assert entry.ok, entry.error
    recipe = entry.item.recipe
    assert recipe.title == "Pad Thai"
    assert [(g.title, g.ingredients) for g in recipe.ingredient_groups] == [
        (None, ["200 g rice noodles", "2 eggs"]),
        ("For the sauce", ["3 tbsp tamarind paste", "2 tbsp fish sauce"]),
    ]
    assert recipe.instructions == [
        "Soak the noodles.",
        "Fry the eggs, add the noodles.",
        "Add the sauce & toss.",
    ]
    assert recipe.description == "Street-food classic."
    assert (recipe.servings, recipe.prep_time, recipe.cook_time, recipe.total_time) == (
        "2 plates", 15, 10, 25,
    )  # fmt: skip
    assert recipe.tags == ["Noodles", "Thai"]
    assert recipe.rating == 4
    assert recipe.source_url == "https://thai.example/pad-thai"
    assert recipe.image_url == "https://thai.example/pad-thai.jpg"
    assert recipe.nutrition == {"Calories": "450", "Protein": "20 g"}
    # Paprika text is plain text: markup-looking text is kept, not stripped.
    assert "Use <b>fresh</b> noodles if you can." in recipe.notes
    assert "Nutrition: High in sodium" in recipe.notes
    assert "Difficulty: Easy" in recipe.notes
    assert entry.item.photo == Photo(PNG, "image/png")
    assert entry.item.created_at == "2021-05-04T18:22:01.000000Z"


def test_one_bad_paprika_entry_never_aborts_the_batch():
    file = paprika_file(
        {
            "a.paprikarecipe": gz(paprika_recipe(name="First")),
            "b.paprikarecipe": b"this is not gzip",
            "c.paprikarecipe": gzip.compress(b"[1, 2]"),
            "d.paprikarecipe": gz(paprika_recipe(name="")),
            "e.paprikarecipe": gzip.compress(b"{truncated"),
            "f.paprikarecipe": gz(paprika_recipe(name="Last", photo_data="!!notbase64")),
        }
    )
    entries = list(read_file(file))
    assert [e.ok for e in entries] == [True, False, False, False, False, True]
    assert entries[0].item.recipe.title == "First"
    assert entries[5].item.recipe.title == "Last" and entries[5].item.photo is None
    assert all(e.error for e in entries if not e.ok)
    assert "no name" in entries[3].error


def test_single_gzipped_paprikarecipe():
    [entry] = list(read_file(io.BytesIO(gz(paprika_recipe())), "x.paprikarecipe"))
    assert entry.item.recipe.title == "Pad Thai"


def test_paprika_export_and_reimport_keep_everything():
    original = RecipeIn(
        title="Soup",
        description="Warming.",
        ingredient_groups=[
            {"title": None, "ingredients": ["1 onion", "2 carrots"]},
            {"title": "Garnish", "ingredients": ["parsley"]},
        ],
        instructions=["Chop.", "Simmer for 20 minutes."],
        servings="4 bowls",
        prep_time=10,
        cook_time=95,
        total_time=105,
        tags=["winter", "easy"],
        category="Soups",
        source_url="https://soup.example/1",
        image_url="https://soup.example/1.jpg",
        notes="Freezes well.",
        rating=5,
        nutrition={"Calories": "120", "Fat": "3 g"},
    )
    buffer = io.BytesIO()
    assert write_paprika(buffer, [(stored(original), [Photo(PNG, "image/png")])]) == 1
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as archive:
        [name] = archive.namelist()
        assert name == "Soup.paprikarecipe"
        raw = json.loads(gzip.decompress(archive.read(name)))
        assert raw["prep_time"] == "10 mins" and raw["cook_time"] == "1 hr 35 mins"
    buffer.seek(0)
    [entry] = list(read_file(buffer))
    back = entry.item.recipe
    assert back.title == original.title
    assert back.ingredient_groups == original.ingredient_groups
    assert back.instructions == original.instructions
    assert (back.prep_time, back.cook_time, back.total_time) == (10, 95, 105)
    assert back.tags == ["winter", "easy", "Soups"]  # Paprika has categories only
    assert back.nutrition == original.nutrition
    assert (back.rating, back.servings, back.notes) == (5, "4 bowls", "Freezes well.")
    assert (back.source_url, back.image_url) == (original.source_url, original.image_url)
    assert entry.item.photo == Photo(PNG, "image/png")
    assert entry.item.created_at == "2024-03-01T12:30:05.000000Z"


# --- JSON-LD files ----------------------------------------------------------------------

LD_RECIPE = {
    "@context": "https://schema.org",
    "@type": "Recipe",
    "name": "Flatbread",
    "url": "https://bread.example/flatbread?utm_source=feed",
    "recipeIngredient": ["250 g flour", "150 ml water"],
    "recipeInstructions": [{"@type": "HowToStep", "text": "Knead."}, "Cook in a dry pan."],
    "recipeYield": "4",
    "totalTime": "PT30M",
    "keywords": ["bread", "quick"],
    "datePublished": "2020-01-02T03:04:05Z",
}


@pytest.mark.parametrize(
    "document",
    [
        LD_RECIPE,
        [LD_RECIPE, {**LD_RECIPE, "name": "Second"}],
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, LD_RECIPE]},
    ],
    ids=["one", "array", "graph"],
)
def test_json_ld_files(document):
    entries = list(read_file(io.BytesIO(json.dumps(document).encode()), "r.json"))
    assert entries and all(e.ok for e in entries)
    recipe = entries[0].item.recipe
    assert recipe.title == "Flatbread"
    assert recipe.ingredients == ["250 g flour", "150 ml water"]
    assert recipe.instructions == ["Knead.", "Cook in a dry pan."]
    assert (recipe.servings, recipe.total_time, recipe.tags) == (
        "4 servings",
        30,
        ["bread", "quick"],
    )
    assert recipe.source_url == "https://bread.example/flatbread"
    assert entries[0].item.created_at == "2020-01-02T03:04:05.000000Z"


def test_json_ld_with_a_bad_recipe_keeps_the_good_one():
    document = [LD_RECIPE, {"@type": "Recipe", "name": "No content"}]
    entries = list(read_file(io.BytesIO(json.dumps(document).encode())))
    assert [e.ok for e in entries] == [True, False]
    assert "no recipe" in entries[1].error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello world", "unknown file type"),
        (b'{"@type": "Person", "name": "x"}', "no schema.org Recipe"),
        (b"{not json", "not valid JSON"),
        (b"PK\x03\x04 broken zip", "zip"),
    ],
)
def test_unreadable_files_say_why(content, message):
    with pytest.raises(BadFile, match=message):
        list(read_file(io.BytesIO(content)))


def test_saved_page_in_a_legacy_encoding():
    page = (
        '<html><head><meta charset="windows-1252"><script type="application/ld+json">'
        + json.dumps({**LD_RECIPE, "name": "Crème brûlée"}, ensure_ascii=False)
        + "</script></head></html>"
    ).encode("cp1252")
    [entry] = list(read_file(io.BytesIO(page), "old.html"))
    assert entry.item.recipe.title == "Crème brûlée"


def test_saved_html_page_and_zip_of_pages():
    page = (
        '<html><head><link rel="canonical" href="https://x.example/cake">'
        '<script type="application/ld+json">'
        + json.dumps({**LD_RECIPE, "name": "Cake"})
        + "</script></head><body></body></html>"
    )
    [entry] = list(read_file(io.BytesIO(page.encode()), "cake.html"))
    assert entry.item.recipe.title == "Cake"
    assert entry.item.recipe.source_url == "https://x.example/cake"
    buffer = paprika_file({"pages/cake.html": page.encode(), "notes.txt": b"x"})
    [entry] = list(read_file(buffer))
    assert entry.item.recipe.title == "Cake"


def test_saved_page_with_a_tag_of_too_many_attributes_is_refused_at_once():
    """A saved page's own address was read by a parse of its own, before the node count:
    one tag of 100,000 distinct attributes held it 16 s (600,000: minutes)."""
    import time

    attributes = "".join(f" a{n}" for n in range(100_000))
    page = f'<html><head><link rel="canonical" href="https://x.example/t"></head><p{attributes}>'
    started = time.perf_counter()
    [entry] = list(read_file(io.BytesIO(page.encode()), "toast.html"))
    assert entry.item is None and "too large to read" in (entry.error or "")
    assert time.perf_counter() - started < 5


def test_an_html_export_block_with_a_tag_of_too_many_attributes_is_refused_alone():
    """Copy Me That blocks are parsed one at a time, up to 1 MB each: one tag of 100,000
    attributes in a block held it 16 s. The block is refused; the others import."""
    import time

    def block(name: str, extra: str = "") -> str:
        return (
            f'<div class="recipe"><div id="name"{extra}>{name}</div>'
            '<ul><li class="recipeIngredient">1 egg</li></ul>'
            '<ol><li class="instruction">Boil it.</li></ol></div>'
        )

    attributes = "".join(f" a{n}" for n in range(100_000))
    page = "<html><body>" + block("Egg") + block("Toast", attributes) + "</body></html>"
    started = time.perf_counter()
    good, bad = list(read_file(io.BytesIO(page.encode()), "recipes.html"))
    assert good.item is not None and good.item.recipe.title == "Egg"
    assert bad.item is None and "over 1,000 attributes" in (bad.error or "")
    assert time.perf_counter() - started < 5


# --- our own export: lossless -----------------------------------------------------------

line_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
block_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
)
minutes = st.none() | st.integers(min_value=0, max_value=100_000)
urls = st.sampled_from(["", "https://example.com/a?b=1", "http://x.example/ü/é.jpg"])
groups = st.lists(
    st.fixed_dictionaries(
        {"title": st.none() | line_text, "ingredients": st.lists(line_text, max_size=6)}
    ),
    max_size=4,
)
recipes = st.fixed_dictionaries(
    {
        "title": line_text,
        "description": block_text,
        "ingredient_groups": groups,
        "instructions": st.lists(line_text, max_size=6),
        "servings": line_text,
        "prep_time": minutes,
        "cook_time": minutes,
        "total_time": minutes,
        "tags": st.lists(line_text, max_size=5),
        "category": line_text,
        "cuisine": line_text,
        "source_url": urls,
        "image_url": urls,
        "notes": block_text,
        "rating": st.none() | st.integers(min_value=0, max_value=5),
        "nutrition": st.dictionaries(line_text, line_text, max_size=4),
    }
)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)
photos = st.lists(
    st.sampled_from([Photo(PNG, "image/png"), Photo(b"\xff\xd8\xff\xe0jpeg", "image/jpeg")]),
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(recipes, moments, photos), min_size=1, max_size=4))
def test_export_then_import_is_lossless(batch):
    originals = []
    for index, (fields, created, photo) in enumerate(batch, start=1):
        try:
            recipe = RecipeIn.model_validate(fields)
        except ValidationError:
            assume(False)
        originals.append((stored(recipe, index, created), photo))
    buffer = io.BytesIO()
    assert write_export(buffer, iter(originals)) == len(originals)
    buffer.seek(0)
    entries = list(read_file(buffer, "backup.zip"))
    assert [e.error for e in entries] == [None] * len(originals)
    for (original, photo), entry in zip(originals, entries, strict=True):
        assert (
            entry.item.recipe.model_dump()
            == RecipeIn.model_validate(original.as_input()).model_dump()
        )
        assert (
            entry.item.recipe.storage_dict()
            == RecipeIn.model_validate(original.as_input()).storage_dict()
        )
        assert entry.item.created_at == original.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert entry.item.photos == photo


def test_a_damaged_entry_in_our_export_is_reported_alone():
    good = stored(RecipeIn(title="Good", instructions=["Do it."]))
    buffer = io.BytesIO()
    write_export(buffer, [(good, []), (good, [])])
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "recipes/000002.json":
                data = data.replace(b'"Good"', b'""')
            target.writestr(info, data)
    damaged.seek(0)
    entries = list(read_file(damaged))
    assert [e.ok for e in entries] == [True, False]
    assert "title" in entries[1].error


@pytest.mark.slow
def test_ten_thousand_recipes_stream_in_flat_memory(tmp_path):
    template = stored(
        RecipeIn(
            title="Recipe",
            ingredients=[f"{n} g ingredient number {n}" for n in range(15)],
            instructions=[f"Step {n}: do the thing carefully and well." for n in range(8)],
            notes="Notes. " * 1000,
        )
    )
    path = tmp_path / "big.zip"

    def items():
        for n in range(10_000):
            yield template.model_copy(update={"id": n + 1, "title": f"Recipe {n}"}), []

    tracemalloc.start()
    with open(path, "wb") as out:
        assert write_export(out, items()) == 10_000
    _, write_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    count = 0
    with open(path, "rb") as file:
        for entry in read_file(file):
            assert entry.ok
            count += 1
    _, read_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 10_000
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        content = sum(info.file_size for info in archive.infolist())
    # About 80 MB of JSON goes through; only the zip directory (~0.5 KB a recipe) stays.
    assert content > 70_000_000
    assert write_peak < 12_000_000, write_peak
    assert read_peak < 12_000_000, read_peak
    print(
        f"10k recipes: {content / 1e6:.0f} MB JSON, file {size / 1e6:.1f} MB, "
        f"peak write {write_peak / 1e6:.1f} MB, "
        f"peak read {read_peak / 1e6:.1f} MB"
    )
