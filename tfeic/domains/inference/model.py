"""Plain values for one measured inference request and the server statistics found around it.

These are what the ``server`` source hands to directives and what snapshots store, so they hold
observations only: timings, text, token counts, statistics. Never headers, never keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..trtllm.metrics import KvCacheStats


@dataclass(frozen=True)
class Frame:
    """One streamed frame that carried generated text, ``t_s`` seconds after the request was sent."""

    t_s: float
    text: str


@dataclass(frozen=True)
class ServerStats:
    """What ``/metrics`` said, normalised: TensorRT-LLM iteration stats or Prometheus text alike."""

    format: str  # "trtllm-iteration-stats" | "prometheus"
    iterations: int | None = None  # iteration-stats items read (TensorRT-LLM drains them per call)
    num_active_requests: int | None = None
    num_queued_requests: int | None = None
    prompt_tokens_total: int | None = None
    generation_tokens_total: int | None = None
    kv_cache_stats: KvCacheStats | None = None


@dataclass(frozen=True)
class ProbeResult:
    """One optional endpoint tried: ``status`` is "ok", "absent" (404/405/501: the server lacks it)
    or "error" (it exists but failed); ``data`` is a JSON-ready summary of what it returned."""

    endpoint: str  # e.g. "GET /metrics"
    status: str
    http_status: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    message: str | None = None


@dataclass(frozen=True)
class InferenceRun:
    """One chat-completion request as observed by the client.

    ``frames`` are the content-bearing frames of a streamed response (empty when not streamed).
    Token counts come from the server's ``usage`` when it sent one (``usage_source == "server"``),
    else completion tokens are counted as content frames (``"frames"``) and prompt tokens are unknown.
    """

    url: str
    model: str
    messages: tuple[tuple[str, str], ...]  # (role, content)
    max_tokens: int | None
    stream: bool
    text: str
    frames: tuple[Frame, ...]
    latency_s: float
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None  # None: not streamed and the server sent no usage
    cached_tokens: int | None
    usage_source: str  # "server" | "frames"
    bytes_sent: int
    bytes_received: int
    probes: tuple[ProbeResult, ...] = ()
    stats: ServerStats | None = None
    origin: str = "live"  # "live" | "replay" | "synthetic"

    @property
    def prompt(self) -> str:
        """The conversation as one text (role headings only when there is more than one message)."""
        if len(self.messages) == 1:
            return self.messages[0][1]
        return "\n\n".join(f"[{role}]\n{content}" for role, content in self.messages)

    @property
    def ttft_s(self) -> float | None:
        """Time to the first frame with content; unknown for a non-streamed response."""
        return self.frames[0].t_s if self.frames else None

    @property
    def inter_token_s(self) -> tuple[float, ...]:
        """Every gap between consecutive content frames, in seconds."""
        return tuple(b.t_s - a.t_s for a, b in zip(self.frames, self.frames[1:]))

    @property
    def tokens_per_s(self) -> float | None:
        """Decode rate: tokens after the first over the time between first and last frame when
        streamed; completion tokens over the whole latency when not (it then includes the prefill)."""
        if self.completion_tokens is None:
            return None
        if self.stream:
            if len(self.frames) < 2:
                return None
            span = self.frames[-1].t_s - self.frames[0].t_s
            return (self.completion_tokens - 1) / span if span > 0 else None
        return self.completion_tokens / self.latency_s if self.latency_s > 0 else None

    @property
    def cache_hit_rate(self) -> float | None:
        """Reused prompt tokens over all prompt tokens when usage says; else the server's KV statistic."""
        if self.cached_tokens is not None and self.prompt_tokens:
            return self.cached_tokens / self.prompt_tokens
        if self.stats and self.stats.kv_cache_stats:
            return self.stats.kv_cache_stats.cache_hit_rate
        return None
