"""``tfeic probe``: the JSON contract (checked against schemas/probe.schema.json), the text form, and
one-line failures with exit 3."""

from __future__ import annotations

import json

from tfeic.domains.inference.schemas import validator


def test_json_output_follows_the_schema(cli, fault_server):
    result = cli("probe", fault_server("trtllm"), "--prompt", "hi", "--max-tokens", "5", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert list(validator("probe.schema.json").iter_errors(doc)) == []
    assert (doc["model"], doc["completion_tokens"], doc["cached_tokens"], doc["text"]) == ("tiny", 5, 8, "Hello, KV world!")
    assert len(doc["inter_token_s"]) == 4 and doc["ttft_s"] > 0
    metrics = next(p for p in doc["probes"] if p["endpoint"] == "GET /metrics")
    assert metrics["data"]["kv_cache_stats"]["cache_hit_rate"] == 0.00128


def test_text_output(cli, fault_server):
    result = cli("probe", fault_server("tolerant"), "--timeout", "5", "--model", "tiny")
    assert result.code == 0, result.err
    assert "TTFT:" in result.out and "5 completion" in result.out and "GET /metrics" in result.out
    assert result.out.rstrip().endswith("Hello, KV world!")


def test_failure_is_one_line_and_exit_3(cli, refused_url):
    result = cli("probe", refused_url, "--json")
    assert result.code == 3 and result.out == ""
    assert result.err.strip().count("\n") == 0 and "connection refused" in result.err
