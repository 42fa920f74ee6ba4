"""GenAI-Perf's summary CSV, ``profile_export_genai_perf.csv``.

Written by ``genai_perf/export_data/csv_exporter.py`` (triton-inference-server/perf_analyzer,
``CsvExporter``): a ``Metric,avg,min,max,p99,p95,p90,p75,p50,p25`` table whose cells are
``f"{value:,.2f}"`` (thousands grouped with commas, so the csv module quotes them), a blank row,
then ``Metric,Value`` rows of the run's totals (``f"{value:.2f}"``). Each title is the metric's tag
title-cased with its unit in parentheses (``Time To First Token (ms)``), the totals' unit being
``per sec`` or ``count``. The tags are AIPerf's (AIPerf succeeds GenAI-Perf), and so are their
meanings: GenAI-Perf's ``inter_token_latency`` is (request latency - TTFT) / (output tokens - 1)
per request (``genai_perf/profile_data_parser/llm_profile_data_parser.py``), what vLLM calls TPOT.
Checked against the CSV NVIDIA's CloudAI publishes in ``doc/ai_dynamo.md`` (a GenAI-Perf run against
AI Dynamo). The CSV holds only the summary: GenAI-Perf's JSON summary and its per-request
``profile_export.json`` are not read.
"""

from __future__ import annotations

from dataclasses import replace

from . import aiperf
from .model import BenchRun

TOOL = "GenAI-Perf"
#: ``CsvExporter.REQUEST_METRICS_HEADER``: AIPerf's CSV starts ``Metric,avg,`` too, with other columns
HEADER = "Metric,avg,min,max,p99,p95,p90,p75,p50,p25"
#: GenAI-Perf's units -> the units AIPerf writes for the same quantities (one unit per quantity on a chart)
UNITS = {"output_throughput": "tokens/sec", "request_throughput": "requests/sec", "request_count": "requests",
         "input_tokens": "tokens", "output_tokens": "tokens"}


def is_summary_csv(first_line: str) -> bool:
    return first_line.strip() == HEADER


def read_summary_csv(text: str, path: str) -> BenchRun:
    run = aiperf.read_summary_csv(text, path, TOOL, grouped=True)
    return replace(run, units={**run.units, **{m: u for m, u in UNITS.items() if m in run.summary}})
