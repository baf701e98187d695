"""Import recipes from web pages and files; export them again.

Public entry points:
- `parse_html(html, url)` and `import_url(url, allow_private=...)` -> `RecipeIn`;
- `read_file(path_or_stream)` -> per-entry results for JSON-LD, Paprika and our own export;
- `write_export(...)` / `write_paprika(...)` for exports.
Errors are `ImportFailed` subclasses whose message is the reason shown to the user.
"""

from recipes.importing.errors import ImportFailed, NoRecipeFound
from recipes.importing.page import parse_html

__all__ = ["ImportFailed", "NoRecipeFound", "parse_html"]
