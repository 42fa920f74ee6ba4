"""Typed tables: the domain value behind result slides (benchmarks, comparisons).

A ``Table`` is a list of typed columns read from CSV, TSV, JSON or JSONL, plus derived columns
(ratios, speed-ups) computed by a tiny arithmetic evaluator. Nothing here knows about slides.
"""

from .expr import ExprError, Expression, parse_expression
from .model import Column, Table, TableError
from .read import read_rows
from .typed import KINDS, ColumnSpec, Derived, build_table

__all__ = ["KINDS", "Column", "ColumnSpec", "Derived", "ExprError", "Expression", "Table", "TableError", "build_table",
           "parse_expression", "read_rows"]
