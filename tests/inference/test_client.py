"""The client against a scripted real HTTP server: what it measures, what it tolerates, and that
every fault is one clear SourceError line."""

from __future__ import annotations

import time

import pytest

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import Pos, SourceError
from tfeic.domains.inference.client import ChatRequest, run_chat
from tfeic.domains.inference.probes import run_probes

WORDS = ["Hello", ",", " KV", " world", "!"]
POS = Pos("deck.yaml", 3, 5)


def request(url: str, **fields) -> ChatRequest:
    return ChatRequest(**{"base_url": url, "messages": (("user", "hi"),), "model": "tiny", "max_tokens": 5,
                          "timeout": 5.0, **fields})


def fault(url: str, **fields) -> str:
    with pytest.raises(SourceError) as e:
        run_chat(request(url, **fields), POS)
    assert exit_code(e.value) == ExitCode.DATA
    [diagnostic] = e.value.diagnostics
    assert diagnostic.pos == POS and "\n" not in diagnostic.message
    return diagnostic.message


def test_trtllm_stream_is_measured(fault_server):
    run = run_chat(request(fault_server("trtllm")))
    assert run.text == "".join(WORDS) and [f.text for f in run.frames] == WORDS
    assert (run.prompt_tokens, run.completion_tokens, run.cached_tokens, run.usage_source) == (12, 5, 8, "server")
    assert run.finish_reason == "length"
    assert 0 < run.ttft_s < run.latency_s and len(run.inter_token_s) == 4
    assert all(g > 0 for g in run.inter_token_s)
    assert run.tokens_per_s == pytest.approx(4 / (run.frames[-1].t_s - run.frames[0].t_s))
    assert run.cache_hit_rate == pytest.approx(8 / 12)
    # the request body alone is > 100 bytes; the response carries 9 frames of ~200 bytes each
    assert 150 < run.bytes_sent < 1000 and run.bytes_received > 9 * 150


def test_wire_bytes_count_headers_and_framing(fault_server):
    streamed = run_chat(request(fault_server("trtllm")))
    assert streamed.bytes_received > sum(len(f.text) for f in streamed.frames) + 1000


def test_tolerant_framing_and_usage_on_the_finish_frame(fault_server):
    run = run_chat(request(fault_server("tolerant")))
    assert run.text == "".join(WORDS) and run.finish_reason == "stop" and run.completion_tokens == 5


def test_missing_usage_is_counted_from_frames(fault_server):
    run = run_chat(request(fault_server("no_usage")))
    assert (run.completion_tokens, run.prompt_tokens, run.usage_source) == (5, None, "frames")


def test_not_streamed(fault_server):
    run = run_chat(request(fault_server("trtllm"), stream=False))
    assert run.text == "".join(WORDS) and run.frames == () and run.ttft_s is None
    assert run.tokens_per_s == pytest.approx(5 / run.latency_s)


def test_server_ignoring_stream_is_read_as_one_object(fault_server):
    run = run_chat(request(fault_server("ignores_stream")))
    assert (run.text, run.stream, run.completion_tokens) == ("".join(WORDS), False, 5)


def test_model_defaults_to_the_first_listed(fault_server):
    assert run_chat(request(fault_server("trtllm"), model=None)).model == "tiny"


def test_retries_5xx_then_succeeds(fault_server):
    assert run_chat(request(fault_server("flaky"), retries=1)).text == "".join(WORDS)


def test_5xx_without_retries_left_shows_the_server_message(fault_server):
    message = fault(fault_server("flaky"), retries=0)
    assert "503" in message and "engine warming up" in message and "gave up after 1 attempts" in message


def test_4xx_shows_the_server_message(fault_server):
    message = fault(fault_server("bad_request"))
    assert "400 Bad Request" in message and "max_tokens must be positive" in message


def test_malformed_frame(fault_server):
    assert "malformed stream frame #2: not JSON" in fault(fault_server("malformed"))


def test_cut_stream(fault_server):
    message = fault(fault_server("cut"))
    assert "broke after 3 stream frames" in message and "incomplete chunked read" in message


def test_server_that_never_answers_times_out(fault_server):
    start = time.monotonic()
    message = fault(fault_server("silent"), timeout=0.5)
    assert "no answer from http://127.0.0.1" in message and "within 0.5 s" in message
    assert time.monotonic() - start < 3


def test_trickle_is_stopped_by_the_overall_deadline(fault_server):
    message = fault(fault_server("trickle"), timeout=0.7)
    assert "stream not finished within 0.7 s (0 frames so far)" in message


def test_connection_refused(refused_url):
    assert f"connection refused by {refused_url}/v1/chat/completions: is the server running?" == fault(refused_url)


def test_dns_failure():
    assert "cannot resolve host 'no-such-host.invalid'" in fault("http://no-such-host.invalid:8000")


def test_probes_of_a_trtllm_shaped_server(fault_server):
    probes, stats = run_probes(request(fault_server("trtllm")))
    by_name = {p.endpoint: p for p in probes}
    assert by_name["GET /v1/models"].data == {"models": ["tiny"]}
    assert by_name["GET /version"].data == {"version": "0.21.0"}
    assert by_name["GET /perf_metrics"].data == {"requests": 1, "kv_cache_metrics": {"num_reused_blocks": 1}}
    assert by_name["POST /kv_cache_events"].data == {"events": 2, "types": {"created": 1, "stored": 1}}
    assert stats.format == "trtllm-iteration-stats" and stats.kv_cache_stats.reused_blocks == 4
    assert by_name["GET /metrics"].data["kv_cache_stats"]["max_blocks"] == 101256


def test_absent_probes_are_skipped_cleanly(fault_server):
    probes, stats = run_probes(request(fault_server("tolerant")))
    assert {p.status for p in probes} == {"absent"} and stats is None


def test_probe_answers_are_read_only_up_to_the_size_limit(fault_server):
    from dataclasses import replace

    probes, stats = run_probes(replace(request(fault_server("trtllm")), max_response_bytes=64))
    by_name = {p.endpoint: p for p in probes}
    metrics = by_name["GET /metrics"]  # the docs' iteration stats are far larger than 64 bytes
    assert metrics.status == "error" and "larger than 64 bytes" in metrics.message and stats is None
    assert by_name["GET /health"].status == "ok"  # an answer within the limit is still read
