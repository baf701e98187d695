"""Import recipes from web pages and files; export them again (see docs/import.md).

Entry points:
- `parse_html(html, url)` -> `RecipeIn`; `recipe_from_web(url, html=None, allow_private=...)`
  fetches first when no HTML is given;
- `read_file(stream, filename)` -> one `Entry` per recipe, from any export we read (other
  apps', ours, JSON-LD, HTML, a list of addresses; recognised by content, see
  docs/import.md); `saving.import_all` puts entries into a collection;
- `write_export(out, items)` / `write_paprika(out, items)` for exports.
Failures are `ImportFailed` subclasses whose message is the reason shown to the user.
"""

from recipes.importing.errors import FetchFailed, ImportFailed, NoRecipeFound
from recipes.importing.export import write_export
from recipes.importing.files import read_file
from recipes.importing.page import parse_html
from recipes.importing.paprika import write_paprika
from recipes.importing.saving import recipe_from_web

__all__ = [
    "FetchFailed",
    "ImportFailed",
    "NoRecipeFound",
    "parse_html",
    "read_file",
    "recipe_from_web",
    "write_export",
    "write_paprika",
]
