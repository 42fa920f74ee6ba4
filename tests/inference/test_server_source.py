"""The ``server`` source through a real deck file: replay, record, live, dry run, stale snapshots,
unreachable servers, and that the API key goes nowhere but the request."""

from __future__ import annotations

import json

import pytest
import yaml

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import SourceError
from tfeic.directives import DIRECTIVES
from tfeic.render.atomic import Output, write_outputs
from tfeic.sources import SOURCES, ResolveContext, resolve
from tfeic.deck import load_deck

SECRET = "sk-tfeic-test-secret-0123456789"


def deck(tmp_path, url: str, **fields):
    source = {"kind": "server", "url": url, "model": "tiny", "prompt": "hi", "max_tokens": 5, "snapshot": "data/session.json",
              "timeout": 5, **fields}
    source = {k: v for k, v in source.items() if v is not None}  # a field given as None is left out
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump({"title": "T", "sources": {"server": source}, "slides": [{"kind": "inference_metrics"}]}))
    return load_deck(str(path), directives=DIRECTIVES, sources=SOURCES)


def load(d, **flags):
    """Resolve the server source, then write what ``--record`` took, as a build that succeeded would."""
    ctx = ResolveContext(deck=d, **flags)
    value = resolve(d, ctx)["server"]
    write_outputs([Output(path, "--record", data) for path, data in ctx.recorded.items()])
    return value


def failure(d, **flags) -> str:
    with pytest.raises(SourceError) as e:
        load(d, **flags)
    assert exit_code(e.value) == ExitCode.DATA
    return str(e.value)


def test_record_then_replay_offline(tmp_path, fault_server, refused_url):
    recorded = load(deck(tmp_path, fault_server("trtllm")), record=True)
    assert recorded.origin == "live" and recorded.probes and recorded.stats.kv_cache_stats.reused_blocks == 4
    d = deck(tmp_path, refused_url)
    replayed = load(d)
    assert replayed.origin == "replay"
    ctx = ResolveContext(deck=d)
    assert SOURCES.get("server").inputs(d.sources["server"], ctx) == [str(tmp_path / "data" / "session.json")]
    assert (replayed.text, replayed.frames, replayed.completion_tokens, replayed.stats, replayed.probes) == (
        recorded.text, recorded.frames, recorded.completion_tokens, recorded.stats, recorded.probes)


def test_live_requests_even_with_a_snapshot(tmp_path, fault_server):
    load(deck(tmp_path, fault_server("trtllm")), record=True)
    before = (tmp_path / "data" / "session.json").read_bytes()
    assert load(deck(tmp_path, fault_server("no_usage")), live=True).usage_source == "frames"
    assert (tmp_path / "data" / "session.json").read_bytes() == before  # --live alone writes nothing


def test_unreachable_without_snapshot_says_so(tmp_path, refused_url):
    message = failure(deck(tmp_path, refused_url))
    assert "connection refused" in message and "no snapshot at data/session.json" in message
    assert "tfeic build --record" in message and not (tmp_path / "data").exists()


def test_failed_record_leaves_the_snapshot_unchanged(tmp_path, fault_server):
    load(deck(tmp_path, fault_server("trtllm")), record=True)
    before = (tmp_path / "data" / "session.json").read_bytes()
    assert "malformed stream frame" in failure(deck(tmp_path, fault_server("malformed")), record=True)
    assert (tmp_path / "data" / "session.json").read_bytes() == before
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["session.json"]  # no temp file left


def test_stale_snapshot_is_refused(tmp_path, fault_server, refused_url):
    load(deck(tmp_path, fault_server("trtllm")), record=True)
    message = failure(deck(tmp_path, refused_url, prompt="something else"))
    assert "deck.yaml:" in message and "recorded for a different prompt" in message


def test_record_needs_a_snapshot_field(tmp_path, fault_server):
    d = deck(tmp_path, fault_server("trtllm"))
    del d.sources["server"].options["snapshot"]
    assert "--record needs a `snapshot` file" in failure(d, record=True)


def test_api_key_is_sent_but_never_recorded(tmp_path, fault_server, monkeypatch):
    monkeypatch.setenv("TFEIC_TEST_KEY", SECRET)
    url = fault_server("trtllm").replace("http://", "http://user:pw@")
    load(deck(tmp_path, url, api_key_env="TFEIC_TEST_KEY"), record=True)
    text = (tmp_path / "data" / "session.json").read_text()
    assert SECRET not in text and "TFEIC_TEST_KEY" not in text and "user:pw" not in text
    assert json.loads(text)["request"]["url"].startswith("http://127.0.0.1:")


def test_missing_api_key_variable(tmp_path, fault_server, monkeypatch):
    monkeypatch.delenv("TFEIC_NO_SUCH_KEY", raising=False)
    message = failure(deck(tmp_path, fault_server("trtllm"), api_key_env="TFEIC_NO_SUCH_KEY"), live=True)
    assert "environment variable TFEIC_NO_SUCH_KEY (api_key_env) is not set" in message


def test_dry_run_is_synthetic_and_deterministic(tmp_path, refused_url):
    d = deck(tmp_path, refused_url, prompt_file="missing.txt", prompt=None)
    first, second = load(d, dry_run=True), load(d, dry_run=True)
    assert first == second and first.origin == "synthetic" and first.completion_tokens == 5
    assert "missing.txt" in first.prompt
