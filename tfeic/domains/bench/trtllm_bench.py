"""The report ``trtllm-bench throughput`` / ``latency`` prints at the end of a run.

Written by TensorRT-LLM's ``tensorrt_llm/bench/dataclasses/reporting.py`` (``report_statistics``):
``= SECTION`` headings between lines of ``=``, then ``Key:<tabs>value`` lines (the docs show the tabs
as spaces; both are read), and for a streaming or latency run ``[Latency] P50 : 3936.3022`` lines
under "Request Latency Breakdown (ms)". Checked against the reports TensorRT-LLM publishes in
``docs/source/performance/perf-benchmarking.md`` (0.17.0: a TensorRT engine and the PyTorch backend
on Llama-3.1-8B FP8; a PyTorch multimodal latency report). trtllm-bench writes no per-request
records, so every figure is the tool's own; the JSON report (``--report_json``) is not read.
"""

from __future__ import annotations

import re

from .model import BenchError, BenchRun
from ...core.percentiles import stat_name

TOOL = "trtllm-bench"
_SECTION = re.compile(r"= (?P<name>\S.*?)\s*")
_PAIR = re.compile(r"(?P<key>[A-Za-z][^:]*?)\s*:\s+(?P<value>\S.*?)\s*")
_BREAKDOWN = re.compile(r"\[(?P<metric>[A-Za-z]+)\]\s+(?P<stat>[A-Z0-9]+)\s*:\s*(?P<value>\S+)\s*")
_DATASET = re.compile(r"(?P<stat>MIN|MAX|AVG|P\d+):\s+(?P<input>\S+)\s+(?P<output>\S+)\s+\S+\s*")
_LOG = re.compile(r"\[\d\d/\d\d/\d{4}-|\[TensorRT-LLM\]")
_UNIT = re.compile(r"(?P<name>.*?) \((?P<unit>[^()]*)\)")
#: report key (without its unit) -> (metric, statistic)
KEYS = {
    "Number of requests": ("request_count", "avg"),
    "Average Input Length": ("input_tokens", "avg"),
    "Average Output Length": ("output_tokens", "avg"),
    "Token Throughput": ("output_throughput", "avg"),
    "Total Output Throughput": ("output_throughput", "avg"),
    "Request Throughput": ("request_throughput", "avg"),
    "Total Token Throughput": ("total_token_throughput", "avg"),
    "Total Latency": ("duration", "avg"),
    "Average request latency": ("e2e", "avg"),
    "Average time-to-first-token": ("ttft", "avg"),
    "Average inter-token latency": ("itl", "avg"),
}
BREAKDOWN_METRICS = {"Latency": "e2e", "TTFT": "ttft", "TPOT": "tpot", "ITL": "itl"}
STATS = {"MINIMUM": "min", "MAXIMUM": "max", "AVERAGE": "avg"}


def is_report(text: str) -> bool:
    return any(line.strip() == "= PERFORMANCE OVERVIEW" for line in text.splitlines())


def _float(text: str, path: str, line: int) -> float:
    try:
        return float(text.rstrip("%"))
    except ValueError:
        raise BenchError(f"'{text}' is not a number", path, line) from None


def read_report(text: str, path: str) -> BenchRun:
    summary: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    info: dict[str, str] = {}
    section = ""

    def put(metric: str, stat: str, value: float, unit: str) -> None:
        summary.setdefault(metric, {})[stat] = value
        units.setdefault(metric, unit)

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if _LOG.match(line):
            section = ""
        elif heading := _SECTION.fullmatch(line):
            section = heading["name"]
        elif not section:
            continue
        elif found := _BREAKDOWN.fullmatch(line):
            stat = STATS.get(found["stat"]) or stat_name(found["stat"])
            metric = BREAKDOWN_METRICS.get(found["metric"], found["metric"].lower())
            if stat:
                put(metric, stat, _float(found["value"], path, number), "ms")
        elif section == "DATASET DETAILS" and (row := _DATASET.fullmatch(line)):
            stat = stat_name(row["stat"])
            assert stat is not None  # MIN, MAX, AVG and Pnn all have a name
            put("input_tokens", stat, _float(row["input"], path, number), "tokens")
            put("output_tokens", stat, _float(row["output"], path, number), "tokens")
        elif pair := _PAIR.fullmatch(line):
            key, value = pair["key"], pair["value"]
            info[key] = value
            named = _UNIT.fullmatch(key)
            name, unit = (named["name"], named["unit"]) if named else (key, "")
            if name in KEYS and section != "DATASET DETAILS":
                metric, stat = KEYS[name]
                put(metric, stat, _float(value, path, number), unit or ("requests" if metric == "request_count" else ""))
    if not summary:
        raise BenchError("a trtllm-bench report with no figures under PERFORMANCE OVERVIEW", path)
    return BenchRun(TOOL, (path,), summary=summary, units=units, info=info)
