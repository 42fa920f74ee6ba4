"""Source kind ``table``: a CSV, TSV, JSON or JSONL file as a typed ``Table``, plus derived columns.

Problems in the deck (an unknown column in ``columns:`` or ``derive:``, an expression that is not
plain arithmetic) are SpecErrors at their YAML position (exit 2); problems in the file (a ragged
row, a cell of the wrong type, a division by zero) are SourceErrors at file:line (exit 3).
"""

from __future__ import annotations

from tfeic.core.diagnostics import Diagnostic, SourceError, SpecError
from tfeic.core.registry import suggest
from tfeic.deck.model import SourceSpec
from .. import KINDS, ColumnSpec, Derived, ExprError, Table, TableError, build_table, parse_expression
from ..read import FORMATS, format_of, read_rows
from tfeic.sources import SOURCES, ResolveContext, Source, shown_path

_COLUMN_FIELDS = {
    "type": {"enum": list(KINDS), "description": "Column type; default: inferred from the cells."},
    "unit": {"type": "string", "description": "Unit shown in axis titles and table headers, e.g. ms."},
    "label": {"type": "string", "description": "Name shown on slides instead of the column name."},
}
_COLUMN = {"type": "object", "additionalProperties": False, "properties": _COLUMN_FIELDS}
_DERIVED = {
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "required": ["expr"],
         "properties": {"expr": {"type": "string"}, "unit": _COLUMN_FIELDS["unit"], "label": _COLUMN_FIELDS["label"]}},
    ],
    "description": "Arithmetic over column names: numbers, + - * / and parentheses, e.g. 'trtllm_tps / pytorch_tps'.",
}


def _spec_error(spec: SourceSpec, message: str, *path: str, names: list[str] | None = None, wrong: str = "") -> SpecError:
    match = suggest(wrong, names) if names and wrong else None
    where = ".".join(path)
    return SpecError(Diagnostic(f"sources.{spec.name}.{where}: {message}", spec.pos_of(*path),
                                f"did you mean '{match}'?" if match else None))


def _column_specs(spec: SourceSpec, header: tuple[str, ...]) -> dict[str, ColumnSpec]:
    specs = {}
    for name, fields in spec.options.get("columns", {}).items():
        if name not in header:
            raise _spec_error(spec, f"no column '{name}' in the file (columns: {', '.join(header)})",
                              "columns", name, names=list(header), wrong=name)
        specs[name] = ColumnSpec(fields.get("type"), fields.get("unit", ""), fields.get("label", ""))
    return specs


def _derived(spec: SourceSpec, header: tuple[str, ...]) -> list[Derived]:
    known, out = list(header), []
    for name, value in spec.options.get("derive", {}).items():
        text = value if isinstance(value, str) else value["expr"]
        fields = {} if isinstance(value, str) else value
        try:
            expression = parse_expression(text)
        except ExprError as e:
            raise _spec_error(spec, f"{e}", "derive", name) from None
        for unknown in sorted(expression.names - set(known)):
            raise _spec_error(spec, f"'{unknown}' in '{text}' is not a column (columns: {', '.join(known)})",
                              "derive", name, names=known, wrong=unknown)
        if name in known:
            raise _spec_error(spec, f"'{name}' is already a column", "derive", name)
        out.append(Derived(name, expression, ColumnSpec("number", fields.get("unit", ""), fields.get("label", ""))))
        known.append(name)
    return out


@SOURCES.register
class TableSource(Source):
    name = "table"
    input_fields = ("path",)
    summary = "A CSV, TSV, JSON (records or columns) or JSONL table with column types, units and derived columns."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "The table file, relative to the deck."},
            "format": {"enum": list(FORMATS), "description": "Default: from the file extension."},
            "records": {"type": "string", "pattern": r"^[^.]+(\.[^.]+)*$",
                        "description": "JSON only: the dotted path of the records inside the document, e.g. results.requests."},
            "columns": {"type": "object", "additionalProperties": _COLUMN,
                        "description": "Per column: type, unit, label."},
            "derive": {"type": "object", "additionalProperties": _DERIVED,
                       "description": "New numeric columns computed per row, in order (a later one may use an earlier)."},
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> Table:
        path = shown_path(ctx.path(spec, "path"))
        try:
            raw = read_rows(path, format_of(path, spec.options.get("format")), ctx.limits, spec.options.get("records", ""))
            return build_table(raw, _column_specs(spec, raw.header), _derived(spec, raw.header), path)
        except TableError as e:
            raise SourceError(Diagnostic(e.message, e.pos, e.hint)) from None

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [ctx.path(spec, "path")]
