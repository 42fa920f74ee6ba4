"""How directives write numbers: a deck's format option (``format: ".2f"``), checked at its YAML
position, and one cell formatter shared by every directive that puts numbers in tables or cards
(tables, stats, benchmark comparisons)."""

from __future__ import annotations

from typing import Any

from ..core.diagnostics import SpecError
from ..deck.model import SlideSpec
from . import slide_diagnostic

FORMAT = {"type": "string", "description": "Python format spec for numbers, e.g. '.2f' or ',.0f'."}

#: from this magnitude on a number is written in scientific notation whatever its format says: fixed
#: point would spell out up to 309 digits (1e308 with ',.0f') that no slide can hold or anyone read
SCIENTIFIC_FROM = 1e15


def check_format(spec: SlideSpec, fmt: str | None, *key: str | int) -> str | None:
    """``fmt`` if Python can format a number with it; else exit 2 at the option ``key``."""
    if fmt is not None:
        try:
            format(1.5, fmt)
        except ValueError as e:
            where = ".".join(str(k) for k in key)
            raise SpecError(slide_diagnostic(spec, where, f"'{fmt}' is not a number format: {e}",
                                             spec.pos_of(*key), "e.g. '.2f', ',.0f' or '.0%'")) from None
    return fmt


def format_cell(value: Any, fmt: str | None = None, decimals: int | None = None) -> str:
    """A cell as text: missing is empty; numbers use ``fmt`` (checked by ``check_format``), else
    integers as written and floats with the column's ``decimals`` (``Column.decimals``: as the file
    writes them) or to four significant digits (thousands separated above 10^4);
    from ``SCIENTIFIC_FROM`` on, four significant digits in scientific notation."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= SCIENTIFIC_FROM:
            return f"{value:.4g}"
        if fmt:
            return format(value, fmt)
        if isinstance(value, int):
            return str(value)
        if decimals is not None:
            return f"{value:,.{decimals}f}" if abs(value) >= 1e4 else f"{value:.{decimals}f}"
        return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"
    return str(value)
