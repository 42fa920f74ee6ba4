"""``chart``: a native, editable chart of columns of a ``table`` source.

``x`` names the category column (bar, grouped_bar, stacked_bar, line) or the x-value column
(scatter; a line whose ``x`` column holds numbers, drawn on a numeric axis spaced by value); ``y`` names one column per series. ``cdf`` plots, for each ``y`` column of samples
(e.g. per-request latencies), the share of samples at or below each value. Axis titles default to
the columns' labels with their units, e.g. "TTFT (ms)".
"""

from __future__ import annotations

from tfeic.core.diagnostics import SourceError, SpecError
from tfeic.ir import Block, ChartBlock, Series, Slide
from tfeic.domains.tables import Column, Table
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.directives.numbers import format_cell
from tfeic.domains.tables.directives._columns import TABLE_SOURCE, check_rows, column
from tfeic.directives.blocks import text_block

CHART_LIMIT = 1e300
KINDS = ("bar", "grouped_bar", "stacked_bar", "line", "scatter", "cdf")
_COLUMNS = {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}


def _y_columns(spec, table: Table) -> list[Column]:
    names = spec.options["y"]
    if isinstance(names, str):
        return [column(spec, table, names, "y", numeric=True)]
    return [column(spec, table, name, "y", i, numeric=True) for i, name in enumerate(names)]


def _one_unit(spec, columns: list[Column]) -> None:
    """One value axis holds one unit: y columns of different units (``ms`` and ``GB``) are refused
    (exit 2 at ``y``) rather than drawn against a scale that is true for only some of them."""
    units = sorted({c.unit for c in columns})
    if len(units) > 1:
        named = ", ".join(f"{c.name} ({c.unit or 'no unit'})" for c in columns)
        raise SpecError(slide_diagnostic(spec, "y", f"columns of different units share one value axis: {named}",
                                         spec.pos_of("y"), hint="chart each unit on a slide of its own"))


def _shared_title(columns: list[Column]) -> str:
    """One column: its title; several sharing a unit: that unit; else nothing (the legend names them)."""
    if len(columns) == 1:
        return columns[0].title
    units = {c.unit for c in columns}
    return f"({units.pop()})" if len(units) == 1 and "" not in units else ""


def _cdf(samples: Column) -> Series:
    values = sorted(v for v in samples.values if v is not None)
    n = len(values)
    return Series(samples.label or samples.name, tuple((i + 1) / n for i in range(n)), x=tuple(values))


def _check_values(spec, table: Table, columns: list[Column]) -> None:
    """A chart needs rows, and values whose axis can be computed: ticks and stacked sums of numbers
    near the largest double (1.8e308) overflow, so beyond ``CHART_LIMIT`` a value is refused (exit 3,
    naming the cell) rather than crashing the layout. Non-finite cells never get here (the table
    refuses them)."""
    if not table.num_rows:  # a header-only file: a chart with no categories is no chart
        raise SourceError(slide_diagnostic(spec, "", f"the table {table.path} has no rows to chart", spec.pos_of()))
    for c in columns:
        row = next((i for i, v in enumerate(c.values) if v is not None and abs(v) > CHART_LIMIT), None)
        if row is not None:
            raise SourceError(slide_diagnostic(spec, "", f"column '{c.name}', row {row + 1} of {table.path}: "
                                               f"{c.values[row]:.4g} is beyond what a chart axis can span (\u00b1{CHART_LIMIT:g})",
                                               spec.pos_of()))


def chart_block(spec, table: Table, area: str) -> ChartBlock:
    o = spec.options
    categories: tuple[str, ...]
    kind = o.get("chart", "bar")
    ys = _y_columns(spec, table)
    if kind != "cdf":  # a CDF's value axis is the share of samples, whatever the columns' units
        _one_unit(spec, ys)
    _check_values(spec, table, ys + ([column(spec, table, o["x"], "x", numeric=True)] if kind == "scatter" else []))
    if kind == "cdf":
        series = tuple(_cdf(c) for c in ys)
        categories, x_title, y_title, number_format = (), _shared_title(ys), "share of samples", "0%"
    elif kind == "scatter":
        x = column(spec, table, o["x"], "x", numeric=True)
        series = tuple(Series(c.label or c.name, c.values, x=x.values) for c in ys)
        categories, x_title, y_title, number_format = (), x.title, _shared_title(ys), "General"
    elif kind == "line" and column(spec, table, o["x"], "x").numeric:  # numeric x: a value axis
        x = column(spec, table, o["x"], "x", numeric=True)
        _check_values(spec, table, [x])
        series = tuple(Series(c.label or c.name, c.values, x=x.values) for c in ys)
        categories, x_title, y_title, number_format = (), x.title, _shared_title(ys), "General"
    else:
        x = column(spec, table, o["x"], "x")
        series = tuple(Series(c.label or c.name, c.values) for c in ys)
        categories, x_title, y_title = tuple(format_cell(v, decimals=x.decimals) for v in x.values), x.title, _shared_title(ys)
        number_format = "General"
    return ChartBlock(area=area, kind=kind, categories=categories, series=series,
                      x_title=o.get("x_title", x_title), y_title=o.get("y_title", y_title),
                      legend=o.get("legend", len(series) > 1), number_format=o.get("number_format", number_format),
                      horizontal=bool(o.get("horizontal", False)), name="chart")


@DIRECTIVES.register
class ChartDirective(Directive):
    name = "chart"
    summary = "Native editable chart (bar, grouped/stacked bar, line, scatter, latency CDF) of a table source."
    sources = {"source": ("table",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source", "y"],
        "properties": {
            "source": TABLE_SOURCE,
            "chart": {"enum": list(KINDS), "default": "bar", "description": "What kind of chart."},
            "x": {"type": "string", "description": "Category column (bars, line) or x-value column (scatter)."},
            "y": {**_COLUMNS, "description": "Column(s) plotted, one series each (cdf: columns of samples)."},
            "x_title": {"type": "string", "description": "Horizontal axis title; default: the x column's label (unit)."},
            "y_title": {"type": "string", "description": "Vertical axis title; default: from the y columns' labels and units."},
            "number_format": {"type": "string", "description": "Value-axis number format, e.g. '0.0' or '0.0\"x\"'."},
            "horizontal": {"type": "boolean", "default": False, "description": "Bars run left to right."},
            "legend": {"type": "boolean", "description": "Default: shown when there are several series."},
            "caption": {"type": "string", "description": "A line under the chart."},
        },
        "allOf": [{"if": {"properties": {"chart": {"not": {"const": "cdf"}}}}, "then": {"required": ["x"]}}],
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        blocks: list[Block] = [chart_block(spec, check_rows(spec, data["source"], ctx.limit("slide_rows")), "body")]
        layout = self.layout_of(spec)
        if o.get("caption"):
            blocks.append(text_block(o["caption"], "caption", role="caption"))
            layout = o.get("layout", "body-caption")
        return [Slide(title=o.get("title"), layout=layout, blocks=tuple(blocks))]
