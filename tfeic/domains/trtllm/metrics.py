"""``/metrics`` iteration statistics of trtllm-serve, and the same numbers as Prometheus text.

``parse_metrics`` reads either shape: JSON iteration stats here, Prometheus text in ``prometheus``.

Each ``/metrics`` call drains the iteration-stats items accumulated since the previous call; a
snapshot file holds one answer (a JSON array) or several concatenated (or JSON Lines).
``kvCacheStats`` block counters are cumulative (``cacheHitRate = reused / (reused + missed)``);
``kvCacheIterationStats`` (newest releases) holds per-iteration counters per attention window,
including onboard/offload traffic to host memory.

``to_prometheus`` writes the newest iteration as Prometheus text so a dashboard built for llama.cpp
reads it: where llama.cpp has a series for the same quantity its ``llamacpp:*`` name is used
(``requests_processing``, ``requests_deferred``, ``kv_cache_usage_ratio``, ``kv_cache_tokens``; the
last two were dropped by newer llama.cpp builds, dashboards still look for them), everything else
is ``trtllm:*``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.plain import template_method
from ._json import json_items
from .prometheus import PrometheusMetrics, parse_prometheus

#: kvCacheStats key -> KvCacheStats field
KV_FIELDS = {
    "maxNumBlocks": "max_blocks", "freeNumBlocks": "free_blocks", "usedNumBlocks": "used_blocks",
    "tokensPerBlock": "tokens_per_block", "allocTotalBlocks": "alloc_total_blocks",
    "allocNewBlocks": "alloc_new_blocks", "reusedBlocks": "reused_blocks", "missedBlocks": "missed_blocks",
    "cacheHitRate": "cache_hit_rate",
}
#: iteration item key -> IterationStats field
ITEM_FIELDS = {
    "iter": "iter", "timestamp": "timestamp", "iterLatencyMS": "iter_latency_ms",
    "numActiveRequests": "active_requests", "numQueuedRequests": "queued_requests",
    "numCompletedRequests": "completed_requests", "gpuMemUsage": "gpu_mem_bytes",
    "cpuMemUsage": "cpu_mem_bytes", "pinnedMemUsage": "pinned_mem_bytes",
}


@dataclass(frozen=True)
class KvCacheStats:
    """KV cache statistics in TensorRT-LLM's terms (``kvCacheStats``); None where a server lacks
    one. The one shape for every server: probes map Prometheus gauges onto it, snapshots store it.

    ``cache_hit_rate`` is reused / (reused + missed) blocks for TensorRT-LLM, cached / all prompt
    tokens for llama.cpp, prefix-cache hits / queries for vLLM. ``usage_ratio`` is used / max blocks
    (``with_usage``), or the server's own gauge.
    """

    max_blocks: int | None = None
    free_blocks: int | None = None
    used_blocks: int | None = None
    tokens_per_block: int | None = None
    alloc_total_blocks: int | None = None
    alloc_new_blocks: int | None = None
    reused_blocks: int | None = None
    missed_blocks: int | None = None
    cache_hit_rate: float | None = None
    usage_ratio: float | None = None

    def with_usage(self) -> "KvCacheStats":
        """This value with ``usage_ratio`` derived from the block counts when it is missing."""
        if self.usage_ratio is not None or self.used_blocks is None or not self.max_blocks:
            return self
        return replace(self, usage_ratio=self.used_blocks / self.max_blocks)


@dataclass(frozen=True)
class IterationStats:
    pos: Pos
    iter: int | None = None
    timestamp: str | None = None
    iter_latency_ms: float | None = None
    active_requests: int | None = None
    queued_requests: int | None = None
    completed_requests: int | None = None
    gpu_mem_bytes: int | None = None
    cpu_mem_bytes: int | None = None
    pinned_mem_bytes: int | None = None
    kv: KvCacheStats | None = None
    #: kvCacheIterationStats: window size -> {key: number} as TensorRT-LLM names them
    kv_iteration: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = ()

    def window_stat(self, key: str) -> float:
        """A per-iteration counter (e.g. ``iterOffloadBlocks``) summed over attention windows."""
        return sum(dict(values).get(key, 0) for _, values in self.kv_iteration)


@dataclass(frozen=True)
class MetricsSnapshot:
    path: str
    iterations: tuple[IterationStats, ...]

    @property
    def last(self) -> IterationStats:
        return self.iterations[-1]

    @property
    def kv(self) -> KvCacheStats | None:
        """The newest cumulative KV statistics (the last item that has them)."""
        return next((i.kv for i in reversed(self.iterations) if i.kv is not None), None)

    @template_method  # decks use it: {{ sources.metrics.total('iterOffloadBlocks') }}
    def total(self, key: str) -> float:
        """A ``kvCacheIterationStats`` counter summed over all iterations and windows."""
        return sum(i.window_stat(key) for i in self.iterations)


def _number(value, what: str, pos: Pos):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SourceError(Diagnostic(f"{what} must be a number, found {value!r}", pos))
    return value


#: the iteration stats line of 0.x batch managers (``gptManagerBenchmark --log_iteration_data``, Triton's
#: tensorrtllm_backend at log-verbose; docs/source/performance/perf-analysis.md) -> the executor's keys
LEGACY_KEYS = {
    "Iteration Counter": "iter", "Timestamp": "timestamp", "Active Request Count": "numActiveRequests",
    "Runtime GPU Memory Usage": "gpuMemUsage", "Runtime CPU Memory Usage": "cpuMemUsage",
    "Runtime Pinned Memory Usage": "pinnedMemUsage",
}
LEGACY_KV_KEYS = {
    "Max KV cache blocks": "maxNumBlocks", "Free KV cache blocks": "freeNumBlocks",
    "Used KV cache blocks": "usedNumBlocks", "Tokens per KV cache block": "tokensPerBlock",
}


def iteration_item(item: Any, pos: Pos) -> IterationStats:
    """One iteration-stats object, in the executor's keys (``/metrics``) or the 0.x batch manager's."""
    if isinstance(item, dict) and "Iteration Counter" in item:
        kv = {new: item[old] for old, new in LEGACY_KV_KEYS.items() if old in item}
        item = {**{new: item[old] for old, new in LEGACY_KEYS.items() if old in item}, "kvCacheStats": kv}
    return _item(item, pos)


def _item(item, pos: Pos) -> IterationStats:
    if not isinstance(item, dict):
        raise SourceError(Diagnostic("an iteration-stats item must be an object", pos,
                                     hint="expected the JSON array that GET /metrics returns"))
    fields = {}
    for key, name in ITEM_FIELDS.items():
        if item.get(key) is not None:
            fields[name] = item[key] if key == "timestamp" else _number(item[key], key, pos)
    kv = None
    if isinstance(item.get("kvCacheStats"), dict):
        raw = item["kvCacheStats"]
        kv = KvCacheStats(**{name: _number(raw[key], f"kvCacheStats.{key}", pos)
                             for key, name in KV_FIELDS.items() if raw.get(key) is not None}).with_usage()
    windows = []
    per_window = item.get("kvCacheIterationStats") or {}
    if not isinstance(per_window, dict):
        raise SourceError(Diagnostic("kvCacheIterationStats must be an object (window size -> counters)", pos))
    for window, stats in sorted(per_window.items(), key=lambda kv_: str(kv_[0])):
        if not str(window).isdigit() or not isinstance(stats, dict):
            raise SourceError(Diagnostic(f"kvCacheIterationStats: bad window entry {window!r}", pos))
        values = tuple(sorted((k, _number(v, f"kvCacheIterationStats.{window}.{k}", pos))
                              for k, v in stats.items() if v is not None and not isinstance(v, (dict, list, str))))
        windows.append((int(window), values))
    return IterationStats(pos=pos, kv=kv, kv_iteration=tuple(windows), **fields)


def parse_metrics(path: str, text: str) -> MetricsSnapshot | PrometheusMetrics:
    """Either shape of a saved ``/metrics`` answer: trtllm-serve's JSON iteration stats (the text starts
    with ``[`` or ``{``) or Prometheus text exposition (anything else)."""
    if text.lstrip()[:1] not in ("[", "{"):
        return parse_prometheus(path, text)
    return parse_iteration_stats(path, text)


def parse_iteration_stats(path: str, text: str) -> MetricsSnapshot:
    items = tuple(_item(item, pos) for item, pos in json_items(path, text))
    if not items:
        raise SourceError(Diagnostic("no iteration-stats items (an empty /metrics answer)", Pos(path, 1, 1),
                                     hint="/metrics drains on every call: capture it while or right after requests run"))
    return MetricsSnapshot(path, items)


def prometheus_samples(it: IterationStats) -> list[tuple[str, float]]:
    """(series name, value) for one iteration: llama.cpp names where they exist, else trtllm:*."""
    kv = it.kv or KvCacheStats()
    samples = [
        ("llamacpp:requests_processing", it.active_requests),
        ("llamacpp:requests_deferred", it.queued_requests),
        ("llamacpp:kv_cache_usage_ratio", kv.usage_ratio),
        ("llamacpp:kv_cache_tokens", kv.used_blocks * kv.tokens_per_block
         if kv.used_blocks is not None and kv.tokens_per_block else None),
        ("trtllm:iteration", it.iter),
        ("trtllm:iteration_latency_ms", it.iter_latency_ms),
        ("trtllm:gpu_memory_usage_bytes", it.gpu_mem_bytes),
        ("trtllm:kv_cache_max_blocks", kv.max_blocks),
        ("trtllm:kv_cache_used_blocks", kv.used_blocks),
        ("trtllm:kv_cache_reused_blocks_total", kv.reused_blocks),
        ("trtllm:kv_cache_missed_blocks_total", kv.missed_blocks),
        ("trtllm:kv_cache_hit_rate", kv.cache_hit_rate),
    ]
    return [(name, value) for name, value in samples if value is not None]


def to_prometheus(snapshot: MetricsSnapshot) -> str:
    """The newest iteration as Prometheus text exposition (one gauge per line, sorted)."""
    lines = []
    for name, value in sorted(prometheus_samples(snapshot.last)):
        lines.append(f"# TYPE {name} {'counter' if name.endswith('_total') else 'gauge'}")
        lines.append(f"{name} {value}")
    return "\n".join(lines) + "\n"
