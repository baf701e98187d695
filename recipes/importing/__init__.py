"""Import recipes from web pages and files; export them again (see docs/import.md).

Entry points:
- `page.parse_html(html, url)` -> `RecipeIn`; `saving.recipe_from_web(url, html=None,
  allow_private=...)` fetches first when no HTML is given;
- `files.read_file(stream, filename)` -> one `Entry` per recipe, from any export we read (other
  apps', ours, JSON-LD, HTML, a list of addresses; recognised by content, see
  docs/import.md); `saving.import_all` puts entries into a collection;
- `export.write_export(out, items)` / `paprika.write_paprika(out, items)` for exports.
Failures are `ImportFailed` subclasses whose message is the reason shown to the user.

Nothing is imported here: the readers (lxml, recipe-scrapers, the file formats) load when an
import first needs them, not with the app.
"""
