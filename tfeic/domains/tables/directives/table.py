"""``table``: a native table from inline rows, or from a ``table`` source with selected, formatted
columns and the best value of chosen columns highlighted. The layout engine continues a long table
on further slides with the header repeated."""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.ir import Block, Slide, TableBlock
from .. import Table
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.directives.numbers import FORMAT, check_format, format_cell
from ._columns import TABLE_SOURCE, check_rows, column
from tfeic.directives.blocks import ALIGN, TABLE_PROPERTIES, table_block, text_block

_COLUMN = {
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "required": ["column"],
         "properties": {"column": {"type": "string"},
                        "header": {"type": "string", "description": "Default: the column's label (unit)."},
                        "format": FORMAT, "align": ALIGN}},
    ],
}
SOURCE_PROPERTIES = {
    "source": TABLE_SOURCE,
    "columns": {"type": "array", "minItems": 1, "items": _COLUMN,
                "description": "Columns of the source to show, in order (default: all)."},
    "best": {"type": "object", "additionalProperties": {"enum": ["max", "min"]},
             "description": "Highlight the best value of these columns, e.g. {ttft_ms: min}."},
}


def _selection(spec, table: Table) -> list[dict]:
    chosen = spec.options.get("columns") or list(table.names)
    return [{"column": c} if isinstance(c, str) else c for c in chosen]


def _best_cells(spec, table: Table, names: list[str]) -> frozenset[tuple[int, int]]:
    """(row, column) of every cell holding its column's best value (ties all win)."""
    cells = set()
    for name, goal in spec.options.get("best", {}).items():
        col = column(spec, table, name, "best", name, numeric=True)
        if name not in names:
            raise SpecError(slide_diagnostic(spec, f"best.{name}", "the column is not among the shown columns",
                                             spec.pos_of("best", name)))
        present = [v for v in col.values if v is not None]
        if present:
            best = max(present) if goal == "max" else min(present)
            cells |= {(r, names.index(name)) for r, v in enumerate(col.values) if v == best}
    return frozenset(cells)


def source_table_block(spec, table: Table, area: str) -> TableBlock:
    selection = _selection(spec, table)
    columns = [column(spec, table, c["column"], "columns", i) for i, c in enumerate(selection)]
    formats = [check_format(spec, c.get("format"), "columns", i, "format") for i, c in enumerate(selection)]
    rows = tuple(tuple(format_cell(col.values[r], fmt, col.decimals) for col, fmt in zip(columns, formats))
                 for r in range(table.num_rows))
    return TableBlock(
        area=area,
        header=tuple(c.get("header", col.title) for c, col in zip(selection, columns)),
        rows=rows,
        col_align=tuple(c.get("align", "right" if col.numeric else "left") for c, col in zip(selection, columns)),
        col_weights=tuple(float(w) for w in spec.options["widths"]) if spec.options.get("widths") else None,
        highlight=_best_cells(spec, table, [col.name for col in columns]),
    )


@DIRECTIVES.register
class TableDirective(Directive):
    name = "table"
    summary = "Native table from inline rows or a table source (formats, units, best values); paginates."
    sources = {"source": ("table",)}
    schema = {
        "type": "object",
        "properties": {**TABLE_PROPERTIES, **SOURCE_PROPERTIES,
                       "caption": {"type": "string", "description": "A line under the table."}},
        "oneOf": [{"required": ["rows"], "not": {"anyOf": [{"required": [k]} for k in SOURCE_PROPERTIES]}},
                  {"required": ["source"], "not": {"anyOf": [{"required": ["rows"]}, {"required": ["header"]},
                                                             {"required": ["highlight"]}]}}],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        if "source" in opts:
            blocks: list[Block] = [source_table_block(spec, check_rows(spec, data["source"], ctx.limit("slide_rows")), "body")]
        else:
            blocks = [table_block(opts, "body")]
        layout = self.layout_of(spec)
        if opts.get("caption"):
            blocks.append(text_block(opts["caption"], "caption", role="caption"))
            layout = spec.options.get("layout", "body-caption")
        return [Slide(title=opts.get("title"), layout=layout, blocks=tuple(blocks))]
