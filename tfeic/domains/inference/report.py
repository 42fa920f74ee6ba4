"""How a run is told: the ``tfeic probe --json`` contract and the short number labels that the
probe's text output and the inference slides share (so a slide and a terminal say the same thing)."""

from __future__ import annotations

from dataclasses import asdict

from .model import InferenceRun

def probe_dict(run: InferenceRun) -> dict:
    """The stable JSON object of ``schemas/probe.schema.json``."""
    return {
        "url": run.url,
        "model": run.model,
        "ttft_s": run.ttft_s,
        "latency_s": run.latency_s,
        "tokens_per_s": run.tokens_per_s,
        "inter_token_s": list(run.inter_token_s),
        "prompt_tokens": run.prompt_tokens,
        "completion_tokens": run.completion_tokens,
        "cached_tokens": run.cached_tokens,
        "usage_source": run.usage_source,
        "bytes_sent": run.bytes_sent,
        "bytes_received": run.bytes_received,
        "finish_reason": run.finish_reason,
        "text": run.text,
        "probes": [asdict(p) for p in run.probes],
    }


def seconds(value: float | None) -> str:
    """0.1234 -> '123 ms', 2.5 -> '2.50 s', None -> 'n/a'."""
    if value is None:
        return "n/a"
    if value < 1:
        return f"{value * 1000:.3g} ms"
    return f"{value:.2f} s"


def size(n: int | None) -> str:
    """Bytes in binary units: 1536 -> '1.5 KiB'."""
    if n is None:
        return "n/a"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} tok/s"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"
