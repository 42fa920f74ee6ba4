"""Reading table files into raw rows: header names, and cells with the line each row came from.

Formats: CSV and TSV (a header line, then rows; a row with a different number of cells is an error
at its line), JSON as records (``[{"a": 1}, ...]``) or columns (``{"a": [1, 2], ...}``), and JSONL
(one record per line). A JSON document whose records sit deeper (``{"results": {"requests": [...]}}``)
is read at a dotted ``records`` path (``results.requests``; a number selects a list item). Cells stay
as read (text from CSV, JSON values from JSON); ``typed`` converts.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, replace
from typing import IO, Any

from ...core.datafile import InputLimits, open_data
from ...core.diagnostics import Pos
from ...core.jsonfile import NumberOutOfRange, loads
from .model import TableError

FORMATS = ("csv", "tsv", "json", "jsonl")
_BY_EXTENSION = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class RawRows:
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    lines: tuple[int, ...]  # 1-based line of each row in the file (1 for a one-line JSON document)
    records: str = ""  # the dotted path the rows were read at, if any


def format_of(path: str, declared: str | None) -> str:
    if declared:
        return declared
    found = _BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    if found is None:
        raise TableError(f"cannot tell the format of {os.path.basename(path)} from its extension; "
                         f"set format: to one of {', '.join(FORMATS)}", Pos(path))
    return found


def read_rows(path: str, fmt: str, limits: InputLimits | None = None, records: str = "") -> RawRows:
    """The rows of a table file, read through ``tfeic.core.datafile`` (a regular file under the size and
    time limits); more than ``limits.table_rows`` rows is an error at the first row over. ``records``
    (JSON only) is the dotted path of the records inside the document."""
    if records and fmt != "json":
        raise TableError(f"records: a path inside a JSON document; this table is read as {fmt}", Pos(path))
    limits = limits or InputLimits.of()
    with open_data(path, what="table", limits=limits, encoding="utf-8-sig", newline="") as f:
        try:
            if fmt in ("csv", "tsv"):
                return _delimited(path, f, "," if fmt == "csv" else "\t", limits.table_rows)
            if fmt == "jsonl":
                return _jsonl(path, f, limits.table_rows)
            return _json(path, f.read(), limits.table_rows, records)
        except UnicodeDecodeError as e:
            raise TableError(f"the file is not UTF-8 text ({e.reason})", Pos(path)) from None


def _too_many(path: str, max_rows: int, line: int) -> TableError:
    return TableError(f"the table has more than {max_rows} rows (limits.table_rows)", Pos(path, line, 1),
                      hint="aggregate the file, or raise limits.table_rows in the deck")


def _delimited(path: str, f: IO[str], delimiter: str, max_rows: int) -> RawRows:
    """Rows end only at ``\\n`` or ``\\r\\n`` outside quotes (the csv module reads the file's own
    lines, so U+000B, U+000C or U+2028 inside a cell stay in the cell and line numbers are the file's)."""
    reader = csv.reader(f, delimiter=delimiter)
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines separate nothing
        if header is None:
            header = tuple(cell.strip() for cell in record)
            _check_header(path, header, line)
            continue
        if len(record) != len(header):
            raise TableError(f"row has {len(record)} cells, the header has {len(header)}", Pos(path, line, 1))
        if len(rows) == max_rows:
            raise _too_many(path, max_rows, line)
        rows.append(tuple(cell.strip() for cell in record))
        lines.append(line)
    if header is None:
        raise TableError("the file is empty: expected a header line", Pos(path, 1, 1))
    return RawRows(header, tuple(rows), tuple(lines))


def _check_header(path: str, header: tuple[str, ...], line: int) -> None:
    seen = set()
    for i, name in enumerate(header):
        if not name:
            raise TableError(f"column {i + 1} has no name", Pos(path, line, 1))
        if name in seen:
            raise TableError(f"column '{name}' appears twice in the header", Pos(path, line, 1))
        seen.add(name)


def _records(path: str, records: list, lines: list[int]) -> RawRows:
    header: dict[str, None] = {}
    for record, line in zip(records, lines):
        if not isinstance(record, dict):
            raise TableError(f"expected an object per record, got {type(record).__name__}", Pos(path, line, 1))
        header.update(dict.fromkeys(record))
    names = tuple(header)
    rows = tuple(tuple(record.get(name) for name in names) for record in records)
    return RawRows(names, rows, tuple(lines))


def _at(path: str, data: Any, records: str) -> Any:
    """The value at the dotted ``records`` path of a JSON document; a step that is not there is an
    error naming the path walked so far and what is there instead."""
    walked = ""
    for step in records.split("."):
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        else:
            where = f"'{walked}'" if walked else "the top level"
            has = (f"keys: {', '.join(list(map(str, data))[:8])}" if isinstance(data, dict) and data
                   else f"a list of {len(data)}" if isinstance(data, list) else f"a {type(data).__name__}")
            raise TableError(f"records: {records}: no '{step}' at {where} ({has})", Pos(path, 1, 1))
        walked = f"{walked}.{step}" if walked else step
    return data


def _json(path: str, text: str, max_rows: int, records: str = "") -> RawRows:
    try:
        data = loads(text)
    except json.JSONDecodeError as e:
        raise TableError(f"invalid JSON: {e.msg}", Pos(path, e.lineno, e.colno)) from None
    except NumberOutOfRange as e:
        raise TableError(f"invalid JSON: {e}", Pos(path)) from None
    if records:
        data = _at(path, data, records)
    if isinstance(data, list) and len(data) > max_rows:
        raise _too_many(path, max_rows, 1)
    if isinstance(data, list):
        return replace(_records(path, data, [1] * len(data)), records=records)
    if isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        lengths = {len(v) for v in data.values()}
        if len(lengths) > 1:
            sizes = ", ".join(f"{k}: {len(v)}" for k, v in data.items())
            raise TableError(f"columns have different lengths ({sizes})", Pos(path, 1, 1))
        n = lengths.pop() if lengths else 0
        if n > max_rows:
            raise _too_many(path, max_rows, 1)
        names = tuple(data)
        return RawRows(names, tuple(tuple(data[k][i] for k in names) for i in range(n)), (1,) * n, records)
    raise TableError("expected a list of records or an object of equal-length column lists", Pos(path, 1, 1))


def _jsonl(path: str, f: IO[str], max_rows: int) -> RawRows:
    records: list[Any] = []
    lines: list[int] = []
    for number, line in enumerate(f, start=1):
        if not line.strip():
            continue
        if len(records) == max_rows:
            raise _too_many(path, max_rows, number)
        try:
            records.append(loads(line))
        except json.JSONDecodeError as e:
            raise TableError(f"invalid JSON: {e.msg}", Pos(path, number, e.colno)) from None
        except NumberOutOfRange as e:
            raise TableError(f"invalid JSON: {e}", Pos(path, number, 1)) from None
        lines.append(number)
    return _records(path, records, lines)
