"""The ``table`` source: formats, column types, units, derived columns, and where errors point."""

from __future__ import annotations

import json

import pytest

from tfeic.domains.tables import ExprError, parse_expression
from tfeic.domains.tables.read import read_rows
from tfeic.domains.tables.typed import ColumnSpec, Derived, build_table

ROWS = [{"name": "a", "tps": 100, "ms": 12.5}, {"name": "b", "tps": 80, "ms": None}]


def _table(path, fmt, derive=()):
    specs = {"ms": ColumnSpec(unit="ms", label="latency")}
    derived = [Derived(n, parse_expression(e)) for n, e in derive]
    return build_table(read_rows(str(path), fmt), specs, derived, str(path))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "records", "columns", "jsonl"])
def test_every_format_gives_the_same_typed_table(tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        path.write_text(sep.join(["name", "tps", "ms"]) + "\n" + f"a{sep}100{sep}12.5\nb{sep}80{sep}\n")
    elif fmt == "records":
        path.write_text(json.dumps(ROWS))
    elif fmt == "columns":
        path.write_text(json.dumps({k: [r[k] for r in ROWS] for k in ROWS[0]}))
    else:
        path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    read_as = {"records": "json", "columns": "json"}.get(fmt, fmt)
    table = _table(path, read_as, derive=[("per_ms", "tps / (ms * 2)")])
    assert [(c.name, c.kind) for c in table.columns] == [
        ("name", "string"), ("tps", "integer"), ("ms", "number"), ("per_ms", "number")]
    assert table.column("tps").values == (100, 80)
    assert table.column("ms").title == "latency (ms)"
    assert table.column("per_ms").values == (4.0, None)  # a missing operand gives a missing result


@pytest.mark.parametrize("text", ["__import__('os').system('x')", "a ** 2", "a.b", "f(a)", "a if b else c",
                                  "'text'", "a < b", "[a]"])
def test_only_plain_arithmetic_is_accepted(text):
    with pytest.raises(ExprError):
        parse_expression(text)


def test_expression_precedence_and_names():
    e = parse_expression("(a + b) * 2 - -c / 4")
    assert e.names == {"a", "b", "c"}
    assert e.evaluate({"a": 1, "b": 2, "c": 8}) == 8.0


def test_ragged_csv_row_is_exit_3_at_its_line(cli, write_deck, tmp_path):
    deck = write_deck("- {kind: table, source: bench}\n",
                      files={"bench.csv": "a,b\n1,2\n3\n4,5\n"},
                      sources="bench: {kind: table, path: bench.csv}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    assert "bench.csv:3:1: error: row has 1 cells, the header has 2" in result.err


def test_wrong_cell_type_is_exit_3_at_its_line(cli, write_deck, tmp_path):
    deck = write_deck("- {kind: table, source: bench}\n", files={"bench.csv": "a,b\n1,2\n3,x\n"},
                      sources="bench: {kind: table, path: bench.csv, columns: {b: {type: number}}}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    assert "bench.csv:3:1: error: column 'b': 'x' is not of type number" in result.err


def test_unknown_column_in_derive_is_exit_2_at_the_yaml_position(cli, write_deck, tmp_path):
    deck = write_deck("- {kind: table, source: bench}\n", sources="""\
        bench:
          kind: table
          path: bench.csv
          derive:
            speedup: trtllm_tps / pytorch_tsp
        """)
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 2
    assert "deck.yaml:8:16: error: sources.bench.derive.speedup: 'pytorch_tsp' in" in result.err
    assert "did you mean 'pytorch_tps'?" in result.err


def test_division_by_zero_is_exit_3_at_the_row(cli, write_deck, tmp_path):
    deck = write_deck("- {kind: table, source: bench}\n", files={"bench.csv": "a,b\n1,2\n3,0\n"},
                      sources="bench: {kind: table, path: bench.csv, derive: {r: a / b}}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    assert "bench.csv:3:1: error: derived column 'r' = a / b: division by zero" in result.err
