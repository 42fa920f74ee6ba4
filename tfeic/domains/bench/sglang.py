"""The JSON Lines file SGLang's ``python -m sglang.bench_serving --output-file F`` appends to: one
line per benchmark run; with ``--output-details`` the line also holds every request's
``input_lens``, ``output_lens``, ``ttfts`` (seconds), ``itls`` (a list of gaps per request, seconds)
and ``errors`` ("" for a success).

Read against ``sglang/bench_serving.py`` of SGLang 0.4.6.post5 (``benchmark``: ``result`` and
``result_details``; ``calculate_metrics``: the summary in ms from ``np.mean``/``np.median``/
``np.std``/``np.percentile`` over the successful requests, ITL over every gap of every request).
Recognised by its summary keys (``mean_e2e_latency_ms``: vLLM's file names that one ``mean_e2el_ms``
and is not read). A file that holds several runs (the tool appends) is refused: one run per file.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ...core.jsonfile import NumberOutOfRange, loads
from .model import BenchError, BenchRun

TOOL = "SGLang bench_serving"
#: the summary's key -> (metric, statistic, unit)
_LATENCY = re.compile(r"(?P<stat>mean|median|std|p\d+(?:\.\d+)?)_(?P<metric>ttft|tpot|itl|e2e_latency)_ms")
_METRICS = {"ttft": "ttft", "tpot": "tpot", "itl": "itl", "e2e_latency": "e2e"}
_TOTALS = {"duration": ("duration", "s"), "completed": ("request_count", "requests"),
           "request_throughput": ("request_throughput", "req/s"), "output_throughput": ("output_throughput", "tok/s"),
           "input_throughput": ("input_throughput", "tok/s"), "concurrency": ("concurrency", "requests")}
_SETTINGS = ("backend", "dataset_name", "request_rate", "max_concurrency", "random_input_len", "random_output_len")


def is_result(first_line: str) -> bool:
    try:
        item = loads(first_line)
    except (ValueError, NumberOutOfRange):
        return False
    return isinstance(item, dict) and "mean_e2e_latency_ms" in item and "completed" in item


def _finite(value: Any, path: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BenchError(f"{what} is {value!r}, not a finite number", path, 1)
    return float(value)


def _records(item: dict, path: str) -> dict[str, tuple[float, ...]]:
    """Per-request samples of the successful requests, in ms (the file holds seconds)."""
    errors = item.get("errors")
    if not isinstance(errors, list):
        return {}
    ok = [i for i, e in enumerate(errors) if not e]
    records: dict[str, tuple[float, ...]] = {}
    for key, metric, scale in (("ttfts", "ttft", 1000.0), ("input_lens", "input_tokens", 1.0),
                               ("output_lens", "output_tokens", 1.0)):
        values = item.get(key)
        if isinstance(values, list) and len(values) == len(errors):
            records[metric] = tuple(_finite(values[i], path, f"{key}[{i}]") * scale for i in ok)
    itls = item.get("itls")
    if isinstance(itls, list) and len(itls) == len(errors):
        records["itl"] = tuple(_finite(g, path, f"itls[{i}]") * 1000.0 for i in ok for g in itls[i])
    return records


def read_result(text: str, path: str) -> BenchRun:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise BenchError(f"holds {len(lines)} runs (one per line)", path, 2,
                         "bench_serving appends a line per run: give each run its own --output-file")
    try:
        item = loads(lines[0])
    except (ValueError, NumberOutOfRange) as e:
        raise BenchError(f"not a JSON object: {e}", path, 1) from None
    summary: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    for key, value in item.items():
        if (found := _LATENCY.fullmatch(key)) and value is not None:
            metric = _METRICS[found["metric"]]
            stat = {"mean": "avg", "median": "p50"}.get(found["stat"], found["stat"])
            summary.setdefault(metric, {})[stat] = _finite(value, path, key)
            units[metric] = "ms"
        elif key in _TOTALS and value is not None:
            metric, unit = _TOTALS[key]
            summary[metric] = {"avg": _finite(value, path, key)}
            units[metric] = unit
    records = _records(item, path)
    units.update({"input_tokens": "tokens", "output_tokens": "tokens"} if records else {})
    info = {key: str(item[key]) for key in _SETTINGS if key in item}
    return BenchRun(TOOL, (path,), records=records, summary=summary, units=units, info=info)
