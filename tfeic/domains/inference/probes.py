"""The optional endpoints around an inference server, each tried once and skipped cleanly when absent.

Why: the request alone cannot say how full the KV cache is or whether blocks were reused; the
server's statistics can. TensorRT-LLM answers ``/metrics`` with iteration-stats JSON (each call
drains what accumulated since the last one, so probes run *after* the request); llama.cpp and vLLM
answer with Prometheus text, mapped here onto the same fields where an equivalent exists.
A probe never fails a build: a missing route is "absent", anything else that goes wrong is "error"
(also an answer not complete within its deadline: each probe is one bounded exchange).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict
from typing import Any, Callable

from ...core.diagnostics import SourceError
from ...core.jsonfile import MAX_INT_DIGITS
from .client import EXCERPT_CHARS, ChatRequest, client_for, endpoint, excerpt, headers
from ..trtllm.metrics import KvCacheStats
from .model import ProbeResult, ServerStats
from .wire import WireCounter

ABSENT = frozenset({404, 405, 501})
PROBE_TIMEOUT_S = 5.0

# ServerStats field -> Prometheus series that mean the same, first present wins
PROMETHEUS_FIELDS = {
    "num_active_requests": ("llamacpp:requests_processing", "vllm:num_requests_running"),
    "num_queued_requests": ("llamacpp:requests_deferred", "vllm:num_requests_waiting"),
    "prompt_tokens_total": ("llamacpp:prompt_tokens_total", "vllm:prompt_tokens_total"),
    "generation_tokens_total": ("llamacpp:tokens_predicted_total", "vllm:generation_tokens_total"),
}
PROMETHEUS_USAGE = ("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc")
# (hits, misses-or-None, queries-or-None): llama.cpp counts cached vs. processed prompt tokens,
# vLLM counts prefix-cache hits vs. queries.
PROMETHEUS_HITS = (
    ("llamacpp:prompt_tokens_cached_total", "llamacpp:prompt_tokens_total", None),
    ("vllm:prefix_cache_hits_total", None, "vllm:prefix_cache_queries_total"),
    ("vllm:gpu_prefix_cache_hits_total", None, "vllm:gpu_prefix_cache_queries_total"),
)


def run_probes(req: ChatRequest) -> tuple[tuple[ProbeResult, ...], ServerStats | None]:
    """Try every endpoint once; return what each said and the normalised ``/metrics`` statistics."""
    stats: list[ServerStats] = []

    def metrics(resp) -> dict:
        stats.append(parse_metrics(resp.text))
        return _stats_dict(stats[0])

    plan: tuple[tuple[str, str, Callable[[Any], dict]], ...] = (
        ("GET", "/v1/models", lambda r: {"models": [str(m.get("id")) for m in r.json().get("data", [])]}),
        ("GET", "/health", lambda r: {}),
        ("GET", "/version", lambda r: _scalars(r.json())),
        ("GET", "/metrics", metrics),
        ("GET", "/perf_metrics", lambda r: _perf_metrics(r.json())),
        ("POST", "/kv_cache_events", lambda r: _kv_events(r.json())),
    )
    results = []
    wire, limit = WireCounter(), min(req.timeout, PROBE_TIMEOUT_S)
    with client_for(req, wire, limit) as client:
        for method, path, summarise in plan:
            wire.limit(limit)
            results.append(_probe(client, method, path, summarise, req, wire))
    return tuple(results), (stats[0] if stats else None)


class _Body:
    """A probe's answer, read whole but never past ``ChatRequest.max_response_bytes``."""

    def __init__(self, content: bytes):
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The answer as JSON that a snapshot can hold and read back: NaN, Infinity, floats that
        overflow and integers longer than snapshots accept stay the text the server sent."""
        return json.loads(self.content, parse_constant=str, parse_float=_finite_or_text, parse_int=_int_or_text)


def _finite_or_text(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else text


def _int_or_text(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else text


def _probe(client, method: str, path: str, summarise, req: ChatRequest, wire: WireCounter) -> ProbeResult:
    import httpx

    name = f"{method} {path}"
    try:
        with client.stream(method, endpoint(req.base_url, path), headers=headers(req),
                           content=b"{}" if method == "POST" else None) as resp:
            if resp.status_code in ABSENT:
                return ProbeResult(name, "absent", resp.status_code)
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > req.max_response_bytes:
                    return ProbeResult(name, "error", resp.status_code,
                                       message=f"answer larger than {req.max_response_bytes} bytes: not read")
                chunks.append(chunk)
            status, reason = resp.status_code, resp.reason_phrase
    except httpx.TimeoutException:
        limit = min(req.timeout, PROBE_TIMEOUT_S)
        return ProbeResult(name, "error", message=f"no {'complete ' if wire.answered else ''}answer within {limit:g} s")
    except httpx.HTTPError as e:
        return ProbeResult(name, "error", message=excerpt(f"{type(e).__name__}: {e}", req.redactor, EXCERPT_CHARS))
    body = _Body(b"".join(chunks))
    if status >= 400:
        return ProbeResult(name, "error", status, message=excerpt(body.text.strip(), req.redactor, EXCERPT_CHARS) or reason)
    try:
        return ProbeResult(name, "ok", status, summarise(body))
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as e:
        return ProbeResult(name, "error", status, message=f"unexpected answer: {type(e).__name__}")
    except SourceError as e:
        return ProbeResult(name, "error", status, message=e.diagnostics[0].message)


def parse_metrics(text: str) -> ServerStats:
    """``/metrics`` body -> ServerStats: iteration-stats JSON (TensorRT-LLM) or Prometheus text."""
    stripped = text.strip()
    if stripped.startswith(("[", "{")):
        return parse_iteration_stats(stripped)
    return parse_prometheus(text)


def parse_iteration_stats(text: str) -> ServerStats:
    """TensorRT-LLM iteration stats, read by ``tfeic.domains.trtllm.metrics`` (the ``metrics_snapshot``
    source's parser). An empty array is a valid answer: no iteration ran since the last call."""
    from ..trtllm.metrics import parse_iteration_stats as parse_items

    if json.loads(text) == []:
        return ServerStats(format="trtllm-iteration-stats", iterations=0)
    snap = parse_items("GET /metrics", text)
    kv = snap.kv
    return ServerStats(
        format="trtllm-iteration-stats", iterations=len(snap.iterations),
        num_active_requests=snap.last.active_requests, num_queued_requests=snap.last.queued_requests,
        kv_cache_stats=kv)


def parse_prometheus(text: str) -> ServerStats:
    series = prometheus_series(text)

    def first(names) -> float | None:
        return next((series[n] for n in names if n in series), None)

    fields = {field: _int(first(names)) for field, names in PROMETHEUS_FIELDS.items()}
    hit_rate = None
    for hits, misses, queries in PROMETHEUS_HITS:
        if hits in series and (misses in series or queries in series):
            total = series[hits] + series[misses] if misses else series[queries or ""]  # (one of the two is named)
            hit_rate = series[hits] / total if total else None
            break
    usage = first(PROMETHEUS_USAGE)
    kv = KvCacheStats(cache_hit_rate=hit_rate, usage_ratio=usage) if (hit_rate, usage) != (None, None) else None
    return ServerStats(format="prometheus", kv_cache_stats=kv, **fields)


def prometheus_series(text: str) -> dict[str, float]:
    """Prometheus text exposition -> {metric name: value summed over its label sets}."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "{" in line:
            name, _, rest = line.partition("{")
            rest = rest.rpartition("}")[2]
        else:
            name, _, rest = line.partition(" ")
        parts = rest.split()
        if not parts:
            continue
        try:
            value = float(parts[0])
        except ValueError:
            continue
        if math.isfinite(value):
            out[name.strip()] = out.get(name.strip(), 0.0) + value
    return out


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _stats_dict(stats: ServerStats) -> dict:
    """The statistics a server actually reported (unknown fields left out, also inside kv_cache_stats)."""
    def known(d: dict) -> dict:
        return {k: known(v) if isinstance(v, dict) else v for k, v in d.items() if v is not None}

    return known(asdict(stats))


def _scalars(data: Any) -> dict:
    if not isinstance(data, dict):
        return {"value": str(data)}
    return {k: v for k, v in sorted(data.items()) if isinstance(v, (str, int, float, bool))}


def _perf_metrics(items: Any) -> dict:
    items = items if isinstance(items, list) else [items]
    out: dict[str, Any] = {"requests": len(items)}
    if items and isinstance(items[-1], dict):
        kv = (items[-1].get("perf_metrics") or {}).get("kv_cache_metrics")
        if kv:
            out["kv_cache_metrics"] = kv
    return out


def _kv_events(events: Any) -> dict:
    events = events if isinstance(events, list) else []
    kinds = Counter(str((e.get("data") or {}).get("type")) for e in events if isinstance(e, dict))
    return {"events": len(events), "types": dict(sorted(kinds.items()))}
