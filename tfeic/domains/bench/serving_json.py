"""The result JSON of the two serving benchmarks that share one writer: vLLM's
``benchmarks/benchmark_serving.py --save-result`` (now ``vllm bench serve --save-result``) and
SGLang's ``python -m sglang.bench_serving --output-file F``, which began as a copy of it.

Both write one JSON object per run on one line: the run's settings, its totals, the summary of
each latency (``mean_``/``median_``/``std_``/``pNN_`` + metric + ``_ms``, in ms, from ``np.mean``/
``np.median``/``np.std``/``np.percentile`` over the successful requests, ITL over every gap of every
request) and, when the tool keeps them, every request's ``input_lens``, ``output_lens``, ``ttfts``
(seconds), ``itls`` (a list of gaps per request, seconds) and ``errors`` ("" for a success).

- SGLang, read against ``sglang/bench_serving.py`` of SGLang 0.4.6.post5 (``benchmark``: ``result``
  and ``result_details``): per-request lists only with ``--output-details``; its end-to-end latency
  is ``e2e_latency``; ``--output-file`` appends a line per run.
- vLLM, read against ``benchmarks/benchmark_serving.py`` (``benchmark``: ``result``, which until
  vLLM issue #20274 spelled one key ``"request_goodput:"``) and ``vllm/benchmarks/serve.py``
  @009e6d4a (``benchmark`` and ``calculate_metrics``; ``main_async`` drops the per-request lists
  unless ``--save-detailed``, and ``--append-result`` appends a line per run): its end-to-end
  latency is ``e2el``, summarised only when ``--percentile-metrics`` names it.

A file that holds several runs (appended) is refused: one run per file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

from ...core.jsonfile import NumberOutOfRange, loads
from .model import BenchError, BenchRun


@dataclass(frozen=True)
class Dialect:
    tool: str
    e2e: str  # the summary keys' name for end-to-end latency
    totals: Mapping[str, tuple[str, str]]  # key -> (metric, unit) of the run's single figures
    settings: tuple[str, ...]  # keys kept as the run's info, as written

    @cached_property
    def latency(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<stat>mean|median|std|p\d+(?:\.\d+)?)_(?P<metric>ttft|tpot|itl|{self.e2e})_ms")


#: the totals both write under the same key
_TOTALS = {"duration": ("duration", "s"), "completed": ("request_count", "requests"),
           "request_throughput": ("request_throughput", "req/s"), "output_throughput": ("output_throughput", "tok/s")}
SGLANG = Dialect("SGLang bench_serving", "e2e_latency", {
    **_TOTALS, "input_throughput": ("input_throughput", "tok/s"), "concurrency": ("concurrency", "requests")},
    ("backend", "dataset_name", "request_rate", "max_concurrency", "random_input_len", "random_output_len"))
VLLM = Dialect("vLLM bench serve", "e2el", {
    **_TOTALS, "failed": ("error_count", "requests"), "total_token_throughput": ("total_token_throughput", "tok/s"),
    "request_goodput": ("request_goodput", "req/s"), "request_goodput:": ("request_goodput", "req/s")},
    ("date", "backend", "label", "model_id", "tokenizer_id", "num_prompts", "request_rate", "burstiness",
     "max_concurrency"))


def dialect_of(first_line: str) -> Dialect | None:
    """Which tool wrote the run on this line: SGLang names end-to-end latency ``e2e_latency``, vLLM ``e2el``
    (and summarises it only on request, so a vLLM run is known by its totals and any latency summary)."""
    try:
        item = loads(first_line)
    except (ValueError, NumberOutOfRange):
        return None
    if not isinstance(item, dict) or "completed" not in item:
        return None
    if "mean_e2e_latency_ms" in item:
        return SGLANG
    if "duration" in item and any(VLLM.latency.fullmatch(key) for key in item):
        return VLLM
    return None


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
        records["itl"] = tuple(_finite(g, path, f"itls[{i}]") * 1000.0 for i in ok for g in _gaps(itls[i], path, i))
    return records


def _gaps(value: Any, path: str, i: int) -> list:
    if not isinstance(value, list):
        raise BenchError(f"itls[{i}] is {value!r}, not a list of gaps", path, 1)
    return value


def read_result(text: str, path: str, dialect: Dialect) -> BenchRun:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise BenchError(f"holds {len(lines)} runs (one per line)", path, 2,
                         f"{dialect.tool} appends a line per run to its result file: give each run its own file")
    try:
        item = loads(lines[0])
    except (ValueError, NumberOutOfRange) as e:
        raise BenchError(f"not a JSON object: {e}", path, 1) from None
    summary: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    latency = dialect.latency
    for key, value in item.items():
        if (found := latency.fullmatch(key)) and value is not None:
            metric = "e2e" if found["metric"] == dialect.e2e else found["metric"]
            stat = {"mean": "avg", "median": "p50"}.get(found["stat"], found["stat"])
            summary.setdefault(metric, {})[stat] = _finite(value, path, key)
            units[metric] = "ms"
        elif key in dialect.totals and value is not None:
            metric, unit = dialect.totals[key]
            summary[metric] = {"avg": _finite(value, path, key)}
            units[metric] = unit
    records = _records(item, path)
    units.update({"input_tokens": "tokens", "output_tokens": "tokens"} if records else {})
    info = {key: str(item[key]) for key in dialect.settings if item.get(key) is not None}
    return BenchRun(dialect.tool, (path,), records=records, summary=summary, units=units, info=info)
