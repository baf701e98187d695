"""Ingredient lines understood: quantity, unit, food and note (issue 15).

`parse_ingredient("1½ cups flour, sifted")` -> quantity 1.5, unit "cup", food "flour",
note "sifted". Everything it needs ships inside this package: nothing is fetched.
"""

from .models import Amount, ParsedIngredient
from .parser import parse_ingredient, parse_lines

__all__ = ["Amount", "ParsedIngredient", "parse_ingredient", "parse_lines"]
