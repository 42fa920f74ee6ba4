"""Against a real OpenAI-compatible server: llama.cpp's llama-server serving a tiny random Llama.

``ignore_eos`` makes it generate exactly ``max_tokens``, so token counts are exact. Skipped without
the server on a workstation; a failure under CI (see conftest.py).
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tfeic.core.diagnostics import SourceError
from tfeic.domains.inference.client import ChatRequest, run_chat
from tfeic.domains.inference.probes import run_probes

MAX_TOKENS = 24


def request(url: str, **fields) -> ChatRequest:
    return ChatRequest(**{"base_url": url, "messages": (("user", "What is a KV cache?"),), "max_tokens": MAX_TOKENS,
                          "temperature": 0.0, "seed": 1, "extra_body": {"ignore_eos": True}, "timeout": 60.0, **fields})


def test_streaming(llama_server):
    run = run_chat(request(llama_server.url))
    assert run.model == "tfeic-tiny-llama"  # the first (only) model of /v1/models
    assert (run.completion_tokens, run.usage_source, run.finish_reason) == (MAX_TOKENS, "server", "length")
    assert run.prompt_tokens > 5 and run.cached_tokens is not None
    assert run.frames and run.text == "".join(f.text for f in run.frames)
    assert 0 < run.ttft_s <= run.frames[-1].t_s <= run.latency_s
    assert run.bytes_sent > 200 and run.bytes_received > len(run.text.encode()) + 500


def test_not_streamed(llama_server):
    run = run_chat(request(llama_server.url, stream=False))
    assert (run.completion_tokens, run.finish_reason, run.frames, run.ttft_s) == (MAX_TOKENS, "length", (), None)
    assert run.tokens_per_s == pytest.approx(MAX_TOKENS / run.latency_s)


def test_same_prompt_again_reuses_the_cache(llama_server):
    run_chat(request(llama_server.url))
    again = run_chat(request(llama_server.url))
    assert again.cached_tokens > 0 and 0 < again.cache_hit_rate <= 1


def test_prometheus_metrics_and_absent_probes(llama_server):
    run_chat(request(llama_server.url))
    probes, stats = run_probes(request(llama_server.url))
    status = {p.endpoint: p.status for p in probes}
    assert status["GET /health"] == status["GET /v1/models"] == status["GET /metrics"] == "ok"
    assert status["GET /perf_metrics"] == status["POST /kv_cache_events"] == "absent"
    assert stats.format == "prometheus" and stats.generation_tokens_total >= MAX_TOKENS
    assert stats.prompt_tokens_total > 0 and stats.num_active_requests == 0
    assert 0 <= stats.kv_cache_stats.cache_hit_rate <= 1


def test_400_shows_the_server_message(llama_server):
    with pytest.raises(SourceError) as e:
        run_chat(request(llama_server.url, extra_body={"ignore_eos": True, "response_format": {"type": "xml"}}))
    message = str(e.value)
    assert "400 Bad Request" in message and "response_format type must be one of" in message and "got: xml" in message


def test_server_killed_mid_stream(doomed_llama_server):
    """Kill the server once its slot has decoded tokens, while the client is reading the stream."""
    server = doomed_llama_server

    def kill_when_decoding() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                slots = httpx.get(server.url + "/slots", timeout=1).json()
            except httpx.HTTPError:
                slots = []
            if any(s.get("is_processing") and s.get("next_token", [{}])[0].get("n_decoded", 0) > 4 for s in slots):
                server.kill()
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_when_decoding)
    killer.start()
    try:
        with pytest.raises(SourceError) as e:
            run_chat(request(server.url, max_tokens=4000, timeout=60.0))
    finally:
        killer.join()
    assert "broke after" in str(e.value) or "stream cut after" in str(e.value)
