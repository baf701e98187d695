"""The desktop form of Recipes: a native window over a private local server.

`recipes/` knows nothing of this package; everything window-specific lives here.
"""
