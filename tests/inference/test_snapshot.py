"""Snapshots: exact round trip, schema-checked reading, positions in errors, deterministic bytes."""

from __future__ import annotations

import json

import pytest

from tfeic.core.diagnostics import SourceError
from tfeic.domains.inference import snapshot
from tfeic.domains.inference.client import ChatRequest, run_chat
from tfeic.domains.inference.probes import run_probes
from tfeic.domains.inference.synthetic import synthetic_run


@pytest.fixture
def measured(fault_server):
    from dataclasses import replace

    req = ChatRequest(base_url=fault_server("trtllm"), messages=(("system", "be brief"), ("user", "hi")), model="tiny")
    probes, stats = run_probes(req)
    return replace(run_chat(req), probes=probes, stats=stats)


def test_round_trip_is_exact(tmp_path, measured):
    path = tmp_path / "s.json"
    path.write_bytes(snapshot.encode(measured, str(path)))
    replayed = snapshot.read(str(path))
    assert replayed.origin == "replay"
    assert replayed == type(measured)(**{**measured.__dict__, "origin": "replay"})


def test_same_run_same_bytes(tmp_path):
    run = synthetic_run("http://h:8000", "m", (("user", "ünïcode ✓"),), 16)
    (tmp_path / "a.json").write_bytes(snapshot.encode(run, "a.json"))
    (tmp_path / "b.json").write_bytes(snapshot.encode(run, "b.json"))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert "ünïcode ✓" in (tmp_path / "a.json").read_text(encoding="utf-8")


def test_schema_violation_names_the_field(tmp_path, measured):
    path = tmp_path / "s.json"
    path.write_bytes(snapshot.encode(measured, str(path)))
    doc = json.loads(path.read_text())
    doc["response"]["frames"][1]["t_s"] = "soon"
    path.write_text(json.dumps(doc))
    with pytest.raises(SourceError) as e:
        snapshot.read(str(path))
    assert "snapshot response/frames/1/t_s" in str(e.value) and "schemas/snapshot.schema.json" in str(e.value)


def test_malformed_json_has_a_position(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{\n  "format": ,\n}')
    with pytest.raises(SourceError) as e:
        snapshot.read(str(path))
    [d] = e.value.diagnostics
    assert (d.pos.path, d.pos.line) == (str(path), 2) and "snapshot is not valid JSON" in d.message
