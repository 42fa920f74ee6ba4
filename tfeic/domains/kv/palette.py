"""The colour legend shared by every KV view (slides and the terminal hexdump).

K is blue and V is red (the themes' ``k_plane``/``v_plane``); heads cycle through four shades of
their plane's colour so neighbouring heads differ; tokens alternate two greys (the token stripe).
Colours are ``#RRGGBB`` so the terminal and the slides show the same thing.
"""

from __future__ import annotations

PLANE_NAMES = ("K", "V")
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


def value_color(kv: int, fraction: float) -> str:
    """A heat colour for a tile: white (0) to the full plane colour (1)."""
    return _mix(_PLANE_RGB[kv], 1.0 - min(1.0, max(0.0, fraction)))
