"""Secrets never leave, whatever a hostile server echoes back; every HTTP exchange ends at its
deadline, however slowly the server drips; a server's control characters never crash or reach the
terminal raw. Real servers on 127.0.0.1 (tests/reliability/hostile_server.py), real builds (one of
them a real ``tfeic`` process, so the command line on the reproducibility slide is the typed one),
and every artifact searched: the .pptx parts, the proof, the snapshots, stdout and stderr."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .artifacts import all_text, pptx_text
from .harness import CASE_SECONDS, build, run_checked
from .hostile_server import HOSTILE_MODEL, DripServer, EchoServer

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-tfeic-planted-0c7e3d9a41"
USER, PASSWORD = "deckbot", "pw-planted-5be1f00d"
KEY_VAR = "TFEIC_LEAK_KEY"


@pytest.fixture
def echo():
    server = EchoServer()
    yield server
    server.close()


@pytest.fixture
def drip():
    servers = []

    def start(mode: str) -> DripServer:
        servers.append(DripServer(mode))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def forbidden() -> tuple[str, ...]:
    """Every form of the secrets that must appear nowhere (computed here, not by the code under test)."""
    pair = f"{USER}:{PASSWORD}"
    return KEY, PASSWORD, pair, base64.b64encode(pair.encode()).decode()


def assert_no_secret(text: str) -> None:
    leaked = [s for s in forbidden() if s in text]
    assert not leaked, f"leaked {leaked}"


def write_deck(root: Path, sources: dict, **options) -> Path:
    """A deck with every inference slide for each source, and the reproducibility slide."""
    defaults = {"kind": "server", "prompt": "hi", "max_tokens": 5, "timeout": 5, "retries": 0, **options}
    slides = [{"kind": kind, "source": name} for name in sources
              for kind in ("transcript", "inference_metrics", "request_flow")]
    (root / "deck.yaml").write_text(yaml.safe_dump({
        "title": "leaks", "sources": {name: {**defaults, **fields} for name, fields in sources.items()},
        "slides": [*slides, {"kind": "reproducibility"}]}))
    return root / "deck.yaml"


def test_echoed_credentials_reach_no_build_artifact(cli, tmp_path, echo, monkeypatch):
    monkeypatch.setenv(KEY_VAR, KEY + "\r\n")  # as `export KEY=$(cat file)` with a CRLF file leaves it
    deck = write_deck(tmp_path, {
        "server": {"url": echo.base_url("echo"), "stream": False, "snapshot": "data/basic.json"},
        "k": {"url": echo.base_url("echo"), "api_key_env": KEY_VAR, "snapshot": "data/key.json", "probes": False},
    })
    streams = []
    recorded = subprocess.run(  # a real process: sys.argv is what the reproducibility slide shows
        [sys.executable, "-m", "tfeic", "build", str(deck), "-o", str(tmp_path / "rec.pptx"), "--no-cache", "-q",
         "--record", "--proof", str(tmp_path / "rec.json"), "--server", echo.base_url("echo", f"{USER}:{PASSWORD}")],
        capture_output=True, text=True, timeout=CASE_SECONDS, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert recorded.returncode == 0, recorded.stderr
    streams += [recorded.stdout, recorded.stderr]
    snapshots = (tmp_path / "data" / "basic.json").read_text() + (tmp_path / "data" / "key.json").read_text()
    assert snapshots.count("[REDACTED]") >= 8  # the servers did echo: text, model id, probes, in both
    assert f"--server {echo.base_url('echo')}" in pptx_text(tmp_path / "rec.pptx")  # shown, without user:password
    replayed = build(cli, deck, tmp_path / "replay.pptx", "--proof", str(tmp_path / "replay.json"))
    denied = build(cli, deck, tmp_path / "denied.pptx", "--live", "--set", f"sources.k.url={echo.base_url('deny')}")
    assert (replayed.code, denied.code) == (0, 3)
    assert "401" in denied.err and "[REDACTED]" in denied.err
    for result in (replayed, denied):
        streams += [result.out, result.err]
    assert_no_secret(all_text(tmp_path, *streams))


def test_echoed_credentials_reach_no_probe_output(cli, echo, monkeypatch):
    monkeypatch.setenv(KEY_VAR, KEY + "\n")
    probes = [run_checked(cli, "probe", echo.base_url("echo"), "--api-key-env", KEY_VAR, *fmt) for fmt in ((), ("--json",))]
    probes += [run_checked(cli, "probe", echo.base_url(scenario, f"{USER}:{PASSWORD}"), "--max-tokens", "5")
               for scenario in ("echo", "deny")]
    probes.append(run_checked(cli, "probe", echo.base_url("deny"), "--api-key-env", KEY_VAR, "--model", "m"))
    assert [p.code for p in probes] == [0, 0, 0, 3, 3]
    assert probes[1].out.count("[REDACTED]") >= 3 and probes[2].out.count("[REDACTED]") >= 3
    assert_no_secret("\n".join(p.out + p.err for p in probes))


@pytest.mark.parametrize("value,position", [
    ("sk-abc\x1bdef", len("sk-abc") + 1),
    ("  sk-clé-42\n", len("sk-cl") + 1),  # surrounding whitespace is stripped first
    ("sk-a\rb", len("sk-a") + 1),
])
def test_key_unfit_for_a_header_is_refused_by_position(cli, tmp_path, echo, monkeypatch, value, position):
    monkeypatch.setenv(KEY_VAR, value)
    deck = write_deck(tmp_path, {"k": {"url": echo.base_url("echo"), "api_key_env": KEY_VAR, "snapshot": "k.json"}})
    results = [build(cli, deck, tmp_path / "out.pptx", "--record"),
               run_checked(cli, "probe", echo.base_url("echo"), "--api-key-env", KEY_VAR)]
    assert [r.code for r in results] == [3, 3]
    for r in results:
        assert f"the API key in ${KEY_VAR} holds a character not allowed in an HTTP header (position {position})" in r.err
        assert value.strip() not in r.err and r.out == ""
    assert not (tmp_path / "k.json").exists()


@pytest.mark.parametrize("mode,options", [
    ("all", {"model": "tiny"}),  # the chat answer drips from its status line on
    ("all", {}),  # no model: GET /v1/models drips
    ("error", {"model": "tiny"}),  # a 401 whose body drips
])
def test_dripping_server_is_stopped_by_the_deadline(cli, tmp_path, drip, mode, options):
    server = drip(mode)
    deck = write_deck(tmp_path, {"s": {"url": server.url, "stream": False, "timeout": 1, "snapshot": "s.json",
                                       **options}})
    result = build(cli, deck, tmp_path / "out.pptx", "--record")
    assert result.code == 3
    assert f"no complete answer from {server.url}/v1/" in result.err and "within 1 s" in result.err, result.err
    assert not (tmp_path / "s.json").exists()


def test_dripping_probe_command_is_stopped_by_the_deadline(cli, drip):
    server = drip("all")
    result = run_checked(cli, "probe", server.url, "--timeout", "1", "--no-stream")
    assert result.code == 3 and result.err.startswith(f"URL: error: no complete answer from {server.url}/v1/models")


def test_dripping_probes_are_reported_not_waited_for(cli, tmp_path, drip):
    server = drip("probes")
    deck = write_deck(tmp_path, {"s": {"url": server.url, "model": "tiny", "stream": False, "timeout": 0.5,
                                       "snapshot": "s.json"}})
    assert build(cli, deck, tmp_path / "out.pptx", "--record").code == 0
    probes = json.loads((tmp_path / "s.json").read_text())["probes"]
    assert len(probes) == 6
    assert {(p["status"], p["message"]) for p in probes} == {("error", "no complete answer within 0.5 s")}


def test_hostile_model_id_is_escaped_not_fatal(cli, tmp_path, echo):
    text = run_checked(cli, "probe", echo.base_url("hostile"), "--max-tokens", "5")
    as_json = run_checked(cli, "probe", echo.base_url("hostile"), "--json")
    assert (text.code, as_json.code) == (0, 0)
    assert "\x1b" not in text.out and "\x07" not in text.out and "\ufffe" not in text.out
    assert "model:       tiny\\x1b]0;pwned\\x07\\x1b[31m\\x01\\ufffe" in text.out
    assert json.loads(as_json.out)["model"] == HOSTILE_MODEL  # JSON keeps the value, escaped by JSON itself


def test_hostile_model_id_survives_a_snapshot(tmp_path, echo):
    """The inference layer keeps the id as the server sent it (a str; lone surrogates, which no file
    can hold, become U+FFFD) and the snapshot holds it and reads back equal."""
    from tfeic.domains.inference import snapshot
    from tfeic.domains.inference.client import ChatRequest, run_chat
    from tfeic.domains.inference.secrets import outgoing_run

    req = ChatRequest(base_url=echo.base_url("hostile"), messages=(("user", "hi\ud800"),), max_tokens=5)
    run = outgoing_run(run_chat(req), req.redactor)
    assert (run.model, run.messages) == (HOSTILE_MODEL, (("user", "hi\ufffd"),))
    (tmp_path / "s.json").write_bytes(snapshot.encode(run, str(tmp_path / "s.json")))
    assert snapshot.read(str(tmp_path / "s.json")) == dataclasses.replace(run, origin="replay")


def test_hostile_model_id_builds(cli, tmp_path, echo):
    deck = write_deck(tmp_path, {"s": {"url": echo.base_url("hostile"), "snapshot": "s.json"}})
    result = build(cli, deck, tmp_path / "out.pptx", "--record")
    assert result.code == 0 and "\x1b" not in result.err


@pytest.mark.parametrize("argv,where", [
    (("ftp://127.0.0.1/",), "URL"),
    (("http://127.0.0.1:9/", "--max-tokens", "0"), "--max-tokens"),
    (("http://127.0.0.1:9/", "--timeout", "nan"), "--timeout"),
    (("http://127.0.0.1:9/", "--timeout", "-1"), "--timeout"),
    (("http://127.0.0.1:9/", "--api-key-env", "TFEIC_NO_SUCH_VARIABLE"), "--api-key-env"),
])
def test_probe_errors_name_their_argument(cli, argv, where):
    result = run_checked(cli, "probe", *argv)
    assert result.code in (2, 3) and result.err.startswith(f"{where}: error: ")


def test_odd_values_record_a_snapshot_that_replays(cli, tmp_path, echo):
    """Token counts that are not counts and a finish reason that is not a label are recorded as
    unknown / as text, so the snapshot passes its schema on every replay."""
    deck = write_deck(tmp_path, {"s": {"url": echo.base_url("odd"), "model": "m", "snapshot": "s.json"}})
    assert build(cli, deck, tmp_path / "rec.pptx", "--record").code == 0
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["response"]["finish_reason"] == "7"
    assert doc["response"]["usage"] == {"prompt_tokens": None, "completion_tokens": None, "cached_tokens": None,
                                        "source": "none"}
    assert build(cli, deck, tmp_path / "replay.pptx").code == 0
