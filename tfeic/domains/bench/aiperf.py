"""AIPerf's exports: ``profile_export.jsonl`` (one record per request), ``profile_export_aiperf.json``
and ``profile_export_aiperf.csv`` (the run's summary).

Read against AIPerf 0.x (ai-dynamo/aiperf @7c31f579, ``examples/artifacts/run1``), whose writers are
``aiperf/post_processors/record_export_results_processor.py`` (a JSONL line per request:
``{"metadata": {..., "timestamp_ns"}, "metrics": {tag: {"value", "unit"}}, "error": ...}``; failed
requests carry ``error`` and only an error count), ``aiperf/exporters/json_exporter.py`` (``{"records":
{tag: {"unit", "avg", "min", "max", "p1".."p99", "std", "count"}}, "input_config": ...}``) and
``aiperf/exporters/csv_exporter.py`` (a ``Metric,avg,min,...`` table of per-request metrics, a blank
line, then ``Metric,Value`` for the run's totals).
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

from ...core.jsonfile import NumberOutOfRange, loads
from .model import BenchError, BenchRun
from ...core.percentiles import stat_name

TOOL = "AIPerf"
#: AIPerf metric tag -> the shared metric name (model.METRICS). AIPerf's ``inter_token_latency`` is
#: (request latency - TTFT) / (output tokens - 1) per request (``inter_token_latency_metric.py``):
#: what vLLM calls TPOT; its ``inter_chunk_latency`` lists the gaps between chunks: vLLM's ITL.
TAGS = {
    "ttft": "ttft", "request_latency": "e2e", "inter_token_latency": "tpot", "inter_chunk_latency": "itl",
    "input_sequence_length": "input_tokens", "output_sequence_length": "output_tokens",
    "request_throughput": "request_throughput", "output_token_throughput": "output_throughput",
    "total_token_throughput": "total_token_throughput", "benchmark_duration": "duration",
    "request_count": "request_count", "error_request_count": "error_count",
}
#: the CSV's headers ("Time to First Token (ms)"), compared in lower case -> the tags they display;
#: GenAI-Perf's CSV titles the same tags ("Time To First Token (ms)"), see ``genai_perf.py``
HEADERS = {
    "time to first token": "ttft", "request latency": "request_latency", "inter token latency": "inter_token_latency",
    "inter chunk latency": "inter_chunk_latency", "input sequence length": "input_sequence_length",
    "output sequence length": "output_sequence_length", "request throughput": "request_throughput",
    "output token throughput": "output_token_throughput", "total token throughput": "total_token_throughput",
    "benchmark duration": "benchmark_duration", "request count": "request_count",
    "error request count": "error_request_count", "time to second token": "ttst",
}
_HEADER = re.compile(r"(?P<name>.+?)(?: \((?P<unit>[^()]*)\))?")


def metric_of(tag: str) -> str:
    return TAGS.get(tag, tag)


def _number(value: Any, path: str, line: int, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BenchError(f"{what} is {value!r}, not a finite number", path, line)
    return float(value)


def _object(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def is_records(first_line: str) -> bool:
    try:
        item = loads(first_line)
    except (ValueError, NumberOutOfRange):
        return False
    return isinstance(item, dict) and isinstance(item.get("metadata"), dict) and isinstance(item.get("metrics"), dict)


def read_records(text: str, path: str) -> BenchRun:
    """The successful requests of a ``profile_export.jsonl``; list metrics (inter-chunk gaps) are
    flattened, so ``itl`` holds every gap of every request, as AIPerf's summary counts them."""
    samples: dict[str, list[float]] = {}
    units: dict[str, str] = {}
    failed = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = loads(line)
        except (ValueError, NumberOutOfRange) as e:
            raise BenchError(f"line is not a JSON record: {e}", path, number) from None
        if not isinstance(item, dict) or not isinstance(item.get("metrics"), dict):
            raise BenchError("line is not an AIPerf record (no 'metrics' object)", path, number)
        if item.get("error"):
            failed += 1
            continue
        metadata = item.get("metadata") or {}
        if "timestamp_ns" in metadata:
            samples.setdefault("start_ns", []).append(_number(metadata["timestamp_ns"], path, number, "timestamp_ns"))
            units["start_ns"] = "ns"
        for tag, entry in item["metrics"].items():
            if not isinstance(entry, dict) or "value" not in entry:
                raise BenchError(f"metric '{tag}' has no value", path, number)
            values = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
            metric = metric_of(tag)
            samples.setdefault(metric, []).extend(_number(v, path, number, f"metric '{tag}'") for v in values)
            units[metric] = str(entry.get("unit", ""))
    if not samples:
        raise BenchError("no successful request records", path)
    summary = {"error_count": {"avg": float(failed)}} if failed else {}
    return BenchRun(TOOL, (path,), records={k: tuple(v) for k, v in samples.items()}, summary=summary, units=units)


def is_summary_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("records"), dict) and all(
        isinstance(v, dict) and "unit" in v for v in data["records"].values())


def read_summary_json(data: dict, path: str) -> BenchRun:
    summary: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    for tag, entry in data["records"].items():
        metric = metric_of(tag)
        units[metric] = str(entry["unit"])
        summary[metric] = {name: _number(v, path, 0, f"records.{tag}.{key}") for key, v in entry.items()
                           if (name := stat_name(key)) is not None and v is not None}
    config = _object(data.get("input_config"))
    endpoint = _object(config.get("endpoint"))
    info = {"model": ", ".join(str(m) for m in endpoint.get("model_names", [])),
            "command": str(config.get("cli_command", "")), "start": str(data.get("start_time", ""))}
    return BenchRun(TOOL, (path,), summary=summary, units=units, info={k: v for k, v in info.items() if v})


def is_summary_csv(first_line: str) -> bool:
    return first_line.startswith("Metric,avg,")


def read_summary_csv(text: str, path: str, tool: str = TOOL, grouped: bool = False) -> BenchRun:
    """A ``Metric,avg,...`` table of per-request metrics, then ``Metric,Value`` totals; ``grouped``:
    the cells may group thousands with commas ("1,146.31"), as GenAI-Perf writes them."""
    summary: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    header: list[str] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row:
            continue
        if row[0] == "Metric":
            header = row
            continue
        if len(row) != len(header):
            raise BenchError(f"row has {len(row)} cells, the header {len(header)}", path, number)
        match = _HEADER.fullmatch(row[0])
        assert match is not None  # the pattern matches any non-empty text
        name = match["name"]
        metric = metric_of(HEADERS.get(name.lower(), name.lower().replace(" ", "_")))
        units[metric] = match["unit"] or ""
        figures = {}
        for key, cell in zip(header[1:], row[1:]):
            stat = "avg" if key == "Value" else stat_name(key)
            if stat is None:
                continue
            try:
                figures[stat] = float(cell.replace(",", "") if grouped else cell)
            except ValueError:
                raise BenchError(f"'{cell}' in column {key} is not a number", path, number) from None
        summary[metric] = figures
    return BenchRun(tool, (path,), summary=summary, units=units)
