"""WCAG 2.x contrast: the arithmetic behind the palette check (theme loading) and the readability
proof (layout), in one place so both judge a colour pair the same way.

Relative luminance and contrast ratio are WCAG 2.2's definitions (Understanding SC 1.4.3,
https://www.w3.org/TR/WCAG22/#dfn-relative-luminance): sRGB channels are linearised
(c / 12.92 when c <= 0.04045, else ((c + 0.055) / 1.055) ** 2.4), L = 0.2126 R + 0.7152 G + 0.0722 B,
and the ratio is (L_lighter + 0.05) / (L_darker + 0.05). Level AA asks 4.5:1 of text, or 3:1 of
large text: 18 pt and up, or bold at 14 pt and up.
"""

from __future__ import annotations

import functools

AA_TEXT = 4.5
AA_LARGE_TEXT = 3.0
LARGE_SIZE = 18.0  # pt: large text at any weight
LARGE_BOLD_SIZE = 14.0  # pt: large text when bold
BLACK, WHITE = "000000", "FFFFFF"


def luminance(rgb: str) -> float:
    """Relative luminance of ``RRGGBB`` (0 for black, 1 for white)."""
    linear = []
    for i in (0, 2, 4):
        c = int(rgb[i:i + 2], 16) / 255
        linear.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@functools.lru_cache(maxsize=4096)
def contrast(a: str, b: str) -> float:
    """The contrast ratio of two ``RRGGBB`` colours, 1.0 (same) to 21.0 (black on white)."""
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def required(size: float, bold: bool) -> float:
    """The ratio AA requires of text of ``size`` points, bold or not."""
    large = size >= LARGE_SIZE or (bold and size >= LARGE_BOLD_SIZE)
    return AA_LARGE_TEXT if large else AA_TEXT


def readable_on(fill: str, preferred: str, size: float, bold: bool) -> str:
    """``preferred`` when it meets AA on ``fill``, else black or white, whichever contrasts more
    (one of them always reaches 4.58:1 on any fill)."""
    if contrast(preferred, fill) >= required(size, bold):
        return preferred
    return BLACK if contrast(BLACK, fill) >= contrast(WHITE, fill) else WHITE


def legible(color: str, ground: str, size: float, bold: bool) -> str:
    """``color`` kept when it meets AA on ``ground``; else the same hue mixed toward black (on a
    light ground) or white (on a dark one) in 5% steps until it does. For colours tfeic derives from
    data (a head's shade of its plane's colour), so text keeps its colour cue and stays readable."""
    need = required(size, bold)
    target = BLACK if contrast(BLACK, ground) >= contrast(WHITE, ground) else WHITE
    rgb = [int(color[i:i + 2], 16) for i in (0, 2, 4)]
    goal = [int(target[i:i + 2], 16) for i in (0, 2, 4)]
    for step in range(21):
        mixed = "".join(f"{round(c + (g - c) * step / 20):02X}" for c, g in zip(rgb, goal))
        if contrast(mixed, ground) >= need:
            return mixed
    return target
