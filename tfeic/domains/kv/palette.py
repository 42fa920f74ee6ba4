"""The colour legend shared by every KV view (slides and the terminal hexdump).

K is blue and V is red (the themes' ``k_plane``/``v_plane``). In the byte views (hex, zoom, linear
layout) heads cycle through four shades of their plane's colour so neighbouring heads differ and
tokens alternate two greys (the token stripe); in the tile maps a shade is a value instead
(``tile_shade``), with a scale beside it.
Colours are ``#RRGGBB`` so the terminal and the slides show the same thing.
"""

from __future__ import annotations

PLANE_NAMES = ("K", "V")
PLANE_WORDS = ("keys", "values")
_PLANE_RGB = ((0x2F, 0x80, 0xED), (0xEB, 0x57, 0x57))
_SHADES = (0.0, 0.25, 0.45, 0.6)  # mix with white
TOKEN_STRIPES = ("#5B6776", "#C9D1DB")


def _mix(rgb: tuple[int, int, int], white: float) -> str:
    return "#" + "".join(f"{round(c + (255 - c) * white):02X}" for c in rgb)


def head_color(kv: int, head: int) -> str:
    """Colour of a head inside a plane: the plane colour, lightened in a 4-step cycle."""
    return _mix(_PLANE_RGB[kv], _SHADES[head % len(_SHADES)])


def plane_color(kv: int) -> str:
    return _mix(_PLANE_RGB[kv], 0.0)


def token_color(token: int) -> str:
    return TOKEN_STRIPES[token % 2]


TILE_LIGHTEST = 0.1  # the lowest tile is this much plane colour: visible against the white slide


def tile_shade(kv: int, fraction: float) -> str:
    """A tile map's shade for a value ``fraction`` of the way from the plane's lowest cell (0, nearly
    white) to its highest (1, the full plane colour). Tiles, their colour scale and ``kv_legend``'s
    tile row all draw with it, so what the legend says a shade means is what the tiles show."""
    f = min(1.0, max(0.0, fraction))
    return _mix(_PLANE_RGB[kv], 1.0 - (TILE_LIGHTEST + (1.0 - TILE_LIGHTEST) * f))
