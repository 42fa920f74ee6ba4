"""Tables (issue 15, item 5): records found at a path inside nested JSON, a column's decimals kept as
the file writes them, and a value that cannot be typed refused with its path and row. The input is
the deck's own measured CSV (decks/data/trtllm-vs-pytorch); the expected text is the file's text."""

import csv
import json
from pathlib import Path

import pytest
import yaml

from tfeic.directives.numbers import format_cell
from tfeic.domains.tables import ColumnSpec, TableError, build_table
from tfeic.domains.tables.read import read_rows

CSV = Path(__file__).resolve().parents[2] / "decks" / "data" / "trtllm-vs-pytorch" / "trtllm_by_prompt_length.csv"


def rows_of_csv() -> list[dict[str, str]]:
    with CSV.open(newline="") as f:
        return list(csv.DictReader(f))


def test_every_cell_prints_as_the_file_writes_it():
    table = build_table(read_rows(str(CSV), "csv"), {}, [], str(CSV))
    for name in table.names:
        col = table.column(name)
        printed = [format_cell(v, None, col.decimals) for v in col.values]
        assert printed == [row[name] for row in rows_of_csv()], name
    assert table.column("p99_ms").decimals == 2 and "17.30" in [r["p99_ms"] for r in rows_of_csv()]


def test_a_whole_number_written_with_a_decimal_point_stays_a_number():
    path = CSV.parent / "a100_headline.csv"  # tokens_per_s_rel: 1.0, 1.4
    table = build_table(read_rows(str(path), "csv"), {}, [], str(path))
    col = table.column("tokens_per_s_rel")
    assert (col.kind, col.decimals) == ("number", 1)
    assert [format_cell(v, None, col.decimals) for v in col.values] == ["1.0", "1.4"]


def nested(tmp_path: Path, rows: list[dict]) -> Path:
    """The CSV's rows as a JSON report whose records sit at results.requests (numbers as JSON numbers)."""
    records = [{k: int(v) if k == "prompt_tokens" else float(v) for k, v in r.items()} for r in rows]
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"meta": {"tool": "bench"}, "results": {"requests": records}}, indent=1))
    return path


def test_records_at_a_path_in_nested_json(tmp_path):
    rows = rows_of_csv()
    path = nested(tmp_path, rows)
    raw = read_rows(str(path), "json", records="results.requests")
    table = build_table(raw, {"ttft_ms": ColumnSpec(unit="ms")}, [], str(path))
    assert table.num_rows == len(rows) and table.column("prompt_tokens").kind == "integer"
    assert table.column("ttft_ms").values == tuple(float(r["ttft_ms"]) for r in rows)


@pytest.mark.parametrize("records, words", [
    ("results.reqs", "records: results.reqs: no 'reqs' at 'results' (keys: requests)"),
    ("meta.tool.x", "no 'x' at 'meta.tool' (a str)"),
])
def test_a_records_path_that_is_not_there_says_what_is(tmp_path, records, words):
    path = nested(tmp_path, rows_of_csv())
    with pytest.raises(TableError) as e:
        read_rows(str(path), "json", records=records)
    assert words in e.value.message and e.value.pos.path == str(path)


def test_first_untypable_value_is_refused_with_its_path_and_row(cli, tmp_path):
    rows = rows_of_csv()
    path = nested(tmp_path, rows)
    data = json.loads(path.read_text())
    data["results"]["requests"][3]["ttft_ms"] = "n/a"
    data["results"]["requests"][5]["ttft_ms"] = "later"
    path.write_text(json.dumps(data))
    deck = {"title": "t", "sources": {"bench": {"kind": "table", "path": "report.json", "records": "results.requests",
                                                "columns": {"ttft_ms": {"type": "number"}}}},
            "slides": [{"kind": "table", "source": "bench"}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    result = cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "out.pptx"), "--no-cache", "--quiet")
    assert result.code == 3
    (line,) = result.err.strip().splitlines()
    assert "report.json:1:1: error: column 'ttft_ms': 'n/a' is not of type number (results.requests[3].ttft_ms)" in line


def test_csv_row_number_is_named_too(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(CSV.read_text().replace("19.71", "fast", 1))
    with pytest.raises(TableError) as e:
        build_table(read_rows(str(path), "csv"), {"ttft_ms": ColumnSpec("number")}, [], str(path))
    # 19.71 is the second data row, on line 3 of the file
    assert "'fast' is not of type number (row 2)" in e.value.message and e.value.pos.line == 3


def test_records_is_for_json_only(tmp_path):
    with pytest.raises(TableError, match="records: a path inside a JSON document"):
        read_rows(str(CSV), "csv", records="a.b")
