"""WCAG 2.x contrast, written out for the tests (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio and
#dfn-relative-luminance): text passes AA at 4.5:1 (3:1 for large text)."""

from __future__ import annotations


def luminance(rgb: str) -> float:
    """Relative luminance of ``RRGGBB``."""
    channels = []
    for i in (0, 2, 4):
        c = int(rgb[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
