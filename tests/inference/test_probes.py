"""``/metrics`` answers of the three server families mapped onto the same fields. llama.cpp's real
Prometheus text is covered against llama-server (test_llama_server.py); TensorRT-LLM's JSON comes
from the documented example in tests/fixtures; vLLM's series names are written out here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfeic.domains.inference.probes import parse_metrics

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

VLLM = """\
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="m",engine="0"} 2.0
vllm:num_requests_running{model_name="m",engine="1"} 1.0
vllm:num_requests_waiting{model_name="m"} 4.0
vllm:kv_cache_usage_perc{model_name="m"} 0.4
vllm:prefix_cache_queries_total{model_name="m"} 200.0
vllm:prefix_cache_hits_total{model_name="m"} 50.0
vllm:prompt_tokens_total{model_name="m"} 1234.0
vllm:generation_tokens_total{model_name="m"} 567.0
vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 3.0
"""


def test_trtllm_iteration_stats_from_the_docs():
    stats = parse_metrics((FIXTURES / "trtllm" / "metrics_example_from_docs.json").read_text())
    assert (stats.format, stats.iterations, stats.num_active_requests) == ("trtllm-iteration-stats", 1, 1)
    kv = stats.kv_cache_stats
    assert (kv.max_blocks, kv.used_blocks, kv.reused_blocks, kv.missed_blocks, kv.tokens_per_block) == (101256, 3, 4, 3121, 32)
    assert kv.cache_hit_rate == 0.00128 and kv.usage_ratio == pytest.approx(3 / 101256)


def test_trtllm_empty_answer_means_no_iterations_since_the_last_call():
    stats = parse_metrics("[]\n")
    assert (stats.iterations, stats.kv_cache_stats) == (0, None)


def test_vllm_prometheus_maps_to_the_same_fields():
    stats = parse_metrics(VLLM)
    assert (stats.format, stats.num_active_requests, stats.num_queued_requests) == ("prometheus", 3, 4)
    assert (stats.prompt_tokens_total, stats.generation_tokens_total) == (1234, 567)
    assert stats.kv_cache_stats.cache_hit_rate == 0.25 and stats.kv_cache_stats.usage_ratio == 0.4


def test_prometheus_without_kv_series_has_no_kv_stats():
    stats = parse_metrics("# just a comment\nprocess_cpu_seconds_total 12.5\n")
    assert stats.kv_cache_stats is None and stats.num_active_requests is None
