"""``stat``: two to four big-number cards ("1.4x" over "tokens/s, TensorRT-LLM vs PyTorch").

Every number comes from a ``table`` source: one cell (``row`` picks it by a key column), or an
aggregate of a column (``agg``), optionally divided by another cell or aggregate (``divide_by``) for
ratios and speed-ups across rows. The theme's ``stats2``..``stats4`` layouts hold the cards.
"""

from __future__ import annotations

import math
from typing import Callable
from statistics import fmean

from tfeic.core.diagnostics import SourceError, SpecError
from tfeic.ir import Paragraph, Slide, Span, TextBlock
from tfeic.core.percentiles import percentile
from tfeic.domains.tables import Table
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.directives.numbers import FORMAT, check_format, format_cell
from ._columns import TABLE_SOURCE, column
from tfeic.directives.blocks import text_block

AGGREGATES: dict[str, Callable[[list[float]], float]] = {"mean": fmean, "min": min, "max": max, "sum": sum,
                                                         "median": lambda v: percentile(v, 50)}
#: ``agg: p90`` (any pNN, p99.9): the column's percentile, by ``tfeic.core.percentiles.METHOD``
PERCENTILE = r"^p(100|\d{1,2}(\.\d+)?)$"
_ROW = {"type": "object", "minProperties": 1, "maxProperties": 1,
        "additionalProperties": {"type": ["string", "number"]},
        "description": "The row whose key column has this value, e.g. {approach: TensorRT-LLM}."}
_PICK = {
    "column": {"type": "string", "description": "The column (default: the card's value column)."},
    "row": _ROW,
    "agg": {"anyOf": [{"enum": list(AGGREGATES)}, {"type": "string", "pattern": PERCENTILE}],
            "description": "Aggregate the whole column instead of one row: mean, median, min, max, sum, or a "
                           "percentile such as p90 or p99.9 (linear interpolation, numpy's default)."},
}
_CARD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "label"],
    "properties": {
        "value": {"type": "string", "description": "The column the number comes from."},
        "row": _PICK["row"],
        "agg": _PICK["agg"],
        "divide_by": {"type": "object", "additionalProperties": False, "properties": _PICK,
                      "description": "Divide by another cell or aggregate (a ratio or speed-up)."},
        "format": FORMAT,
        "prefix": {"type": "string"},
        "suffix": {"type": "string", "description": "Written right after the number, e.g. 'x' or ' ms'."},
        "label": {"type": "string", "description": "What the number measures."},
    },
}


def _pick(spec, table: Table, pick: dict, default_column: str, *key: str | int) -> float:
    """One number: the cell of ``pick['row']`` or the aggregate ``pick['agg']`` of a column."""
    col = column(spec, table, pick.get("column", default_column), *key, numeric=True)
    where = ".".join(str(k) for k in key[:-1])
    if "agg" in pick:
        values = [v for v in col.values if v is not None]
        if not values:
            raise SpecError(slide_diagnostic(spec, where, f"column '{col.name}' has no values",
                                             spec.pos_of(*key)))
        agg = pick["agg"]
        try:
            return AGGREGATES[agg](values) if agg in AGGREGATES else percentile(values, float(agg[1:]))
        except OverflowError:  # fmean's exact sum of values near the largest double
            return math.inf
    if "row" not in pick:
        raise SpecError(slide_diagnostic(spec, where, "say which row (row:) or how to aggregate (agg:)",
                                         spec.pos_of(*key[:-1])))
    (key_column, wanted), = pick["row"].items()
    index = table.row_where(column(spec, table, key_column, *key[:-1], "row").name, wanted)
    value: float | None = None if index is None else col.values[index]
    if value is None:
        why = "no row" if index is None else "an empty cell in the row"
        raise SpecError(slide_diagnostic(spec, f"{where}.row", f"{why} where {key_column} = {wanted!r}",
                                         spec.pos_of(*key[:-1], "row")))
    return value


def card_value(spec, table: Table, i: int, card: dict) -> float:
    value = _pick(spec, table, card, card["value"], "cards", i, "value")
    if "divide_by" in card:
        divisor = _pick(spec, table, card["divide_by"], card["value"], "cards", i, "divide_by", "column")
        if divisor == 0:
            raise SpecError(slide_diagnostic(spec, f"cards.{i}.divide_by", "the divisor is zero",
                                             spec.pos_of("cards", i, "divide_by")))
        value /= divisor
    if not math.isfinite(value):  # finite cells (the table refuses others) whose sum or ratio overflows
        raise SourceError(slide_diagnostic(spec, f"cards.{i}", "the value overflows: it is not a finite number",
                                           spec.pos_of("cards", i)))
    return value


@DIRECTIVES.register
class StatDirective(Directive):
    name = "stat"
    summary = "Two to four big-number cards, each computed from a table source (a cell, an aggregate, a ratio)."
    sources = {"source": ("table",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source", "cards"],
        "properties": {
            "source": TABLE_SOURCE,
            "cards": {"type": "array", "minItems": 2, "maxItems": 4, "items": _CARD},
            "caption": {"type": "string", "description": "A line under the cards."},
        },
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        blocks = []
        for i, card in enumerate(o["cards"]):
            fmt = check_format(spec, card.get("format"), "cards", i, "format")
            value = card_value(spec, data["source"], i, card)
            text = f"{card.get('prefix', '')}{format_cell(value, fmt)}{card.get('suffix', '')}"
            blocks.append(TextBlock(area=f"value{i + 1}", paragraphs=(Paragraph((Span(text),)),), role="stat",
                                    align="center", anchor="bottom", name=f"stat{i + 1}"))
            blocks.append(text_block(card["label"], f"label{i + 1}", role="stat_label", paginate=False,
                                     align="center", name=f"stat{i + 1} label"))
        if o.get("caption"):
            blocks.append(text_block(o["caption"], "caption", role="caption", paginate=False))
        layout = o.get("layout", f"stats{len(o['cards'])}")
        return [Slide(title=o.get("title"), layout=layout, blocks=tuple(blocks))]
