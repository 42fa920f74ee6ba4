"""Helpers shared by the directives that read a ``table`` source (chart, stat, table): finding a
column the deck names, with a did-you-mean at the option's YAML position (cells are written by
``tfeic.directives.numbers``)."""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.core.registry import suggest
from tfeic.deck.model import SlideSpec
from .. import Column, Table
from tfeic.directives import slide_diagnostic

TABLE_SOURCE = {"type": "string", "description": "Name of a `table` source."}


def column(spec: SlideSpec, table: Table, name: str, *key: str | int, numeric: bool = False) -> Column:
    """The column ``name`` of ``table``; an unknown or (when ``numeric``) non-numeric column is exit 2
    at the option ``key``."""
    where = ".".join(str(k) for k in key)
    try:
        found = table.column(name)
    except KeyError:
        match = suggest(name, list(table.names))
        raise SpecError(slide_diagnostic(spec, where, f"no column '{name}' in the table "
                                         f"(columns: {', '.join(table.names)})", spec.pos_of(*key),
                                         f"did you mean '{match}'?" if match else None)) from None
    if numeric and not found.numeric:
        raise SpecError(slide_diagnostic(spec, where, f"column '{name}' is {found.kind}, not numeric",
                                         spec.pos_of(*key)))
    return found


def check_rows(spec: SlideSpec, table: Table, max_rows: int) -> Table:
    """``table`` if a slide may draw all its rows (``limits.slide_rows``): drawing costs seconds per
    thousand rows (a chart's category index is quadratic), and no slide can show more; else exit 2."""
    if table.num_rows > max_rows:
        raise SpecError(slide_diagnostic(spec, "", f"{spec.kind} of {table.num_rows} rows, more than "
                                         f"{max_rows} (limits.slide_rows)", spec.pos,
                                         "aggregate the table first, or raise limits.slide_rows in the deck"))
    return table
