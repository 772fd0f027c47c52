"""The colours every course figure shares.

One palette keeps the diagrams consistent across modules and safe for readers with colour
vision deficiency: the Okabe-Ito colours, used saturated for edges and arrows and as light
tints for box fills, so that near-black text on them keeps a contrast far above 7:1.
"""

from __future__ import annotations

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#4D4D4D"
TEXT = "#1A1A1A"


def tint(hex_colour: str, amount: float = 0.8) -> tuple[float, float, float]:
    """Mix ``hex_colour`` with white (``amount`` = share of white) for a readable box fill."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)
