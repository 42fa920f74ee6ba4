"""Recognise a benchmark output from its content (never its name) and read it as a ``BenchRun``;
several files of one run (AIPerf's records and its summary) become one run."""

from __future__ import annotations

from dataclasses import replace

from ...core.datafile import InputLimits, read_data
from ...core.jsonfile import NumberOutOfRange, loads
from . import aiperf, genai_perf, nsys_stats, serving_json, trtllm_bench
from .model import BenchError, BenchRun

KNOWN = ("AIPerf profile_export.jsonl / profile_export_aiperf.json / profile_export_aiperf.csv, "
         "GenAI-Perf profile_export_genai_perf.csv, vLLM bench serve --save-result JSON, "
         "SGLang bench_serving --output-file JSONL, a trtllm-bench report, "
         "nsys stats CSV (cuda_gpu_kern_sum, cuda_api_sum, cuda_gpu_mem_time_sum)")


def parse_run(text: str, path: str) -> BenchRun:
    """The run ``text`` holds, by what it looks like; BenchError when it is none tfeic reads."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if genai_perf.is_summary_csv(first):
        return genai_perf.read_summary_csv(text, path)
    if aiperf.is_summary_csv(first):
        return aiperf.read_summary_csv(text, path)
    if nsys_stats.header_line(text) is not None:
        return nsys_stats.read_report(text, path)
    if trtllm_bench.is_report(text):
        return trtllm_bench.read_report(text, path)
    if first.lstrip().startswith("{"):
        if aiperf.is_records(first):
            return aiperf.read_records(text, path)
        if dialect := serving_json.dialect_of(first):
            return serving_json.read_result(text, path, dialect)
        try:
            data = loads(text)
        except (ValueError, NumberOutOfRange):
            data = None
        if aiperf.is_summary_json(data):
            assert isinstance(data, dict)
            return aiperf.read_summary_json(data, path)
    raise BenchError("not a benchmark output tfeic recognises", path, hint=f"it reads: {KNOWN}")


def merge(runs: list[BenchRun]) -> BenchRun:
    """One run from several files of the same tool: records from whichever has them, summary and
    info from all (a later file's figure of the same statistic wins)."""
    first = runs[0]
    for other in runs[1:]:
        if other.tool != first.tool:
            raise BenchError(f"{other.where} was written by {other.tool}, {first.where} by {first.tool}: "
                             f"one run's files come from one tool", other.files[0])
        summary = {m: {**first.summary.get(m, {}), **other.summary.get(m, {})}
                   for m in set(first.summary) | set(other.summary)}
        first = replace(first, files=first.files + other.files, records={**first.records, **other.records},
                        summary=summary, units={**other.units, **first.units}, info={**first.info, **other.info},
                        report=first.report or other.report, profile=first.profile + other.profile)
    return first


def read_run(paths: list[str], limits: InputLimits | None = None) -> BenchRun:
    """The run of ``paths`` (one or more files of one tool, each plain or gzip-compressed)."""
    return merge([parse_run(read_data(p, what="benchmark output", limits=limits, gunzip=True), p) for p in paths])
