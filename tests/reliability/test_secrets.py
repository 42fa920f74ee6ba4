"""Secrets stay secret: the API key (read from the variable ``api_key_env`` names) and environment
data that profilers record appear in no artifact of a build, successful or not."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import yaml

from .artifacts import all_text
from .harness import build

REPO = Path(__file__).resolve().parents[2]
TRACES = REPO / "tests" / "fixtures" / "traces"
KEY = "sk-tfeic-planted-7f3a9c1e5b"
ENV_SECRET = "hf_planted_env_value_51c0ffee"


def server_deck(root: Path, url: str) -> Path:
    source = {"kind": "server", "url": url, "model": "tiny", "prompt": "hi", "max_tokens": 5, "timeout": 5,
              "retries": 0, "api_key_env": "TFEIC_RELIABILITY_KEY", "snapshot": "data/session.json"}
    slides = [{"kind": kind, "source": "s"} for kind in ("transcript", "inference_metrics", "request_flow")]
    (root / "deck.yaml").write_text(yaml.safe_dump(
        {"title": "secrets", "sources": {"s": source}, "slides": [*slides, {"kind": "reproducibility"}]}))
    return root / "deck.yaml"


def test_api_key_appears_in_no_artifact(cli, tmp_path, fault_server, monkeypatch):
    monkeypatch.setenv("TFEIC_RELIABILITY_KEY", KEY)
    deck = server_deck(tmp_path, fault_server("trtllm"))
    ok = build(cli, deck, tmp_path / "out.pptx", "--record", "--proof", str(tmp_path / "proof.json"))
    assert ok.code == 0 and (tmp_path / "data" / "session.json").exists()
    server_deck(tmp_path, fault_server("bad_request"))
    failed = build(cli, deck, tmp_path / "failed.pptx", "--live", "--proof", str(tmp_path / "failed.json"))
    assert failed.code == 3 and "400" in failed.err
    text = all_text(tmp_path, ok.out, ok.err, failed.out, failed.err)
    assert "TFEIC_RELIABILITY_KEY" in text  # the variable's name is fine to show; its value never
    assert KEY not in text


def test_profiler_environment_is_never_shown(cli, tmp_path):
    sqlite = tmp_path / "r.sqlite"
    shutil.copy(TRACES / "testcuda_report1.sqlite", sqlite)
    with sqlite3.connect(sqlite) as db:
        db.execute("INSERT INTO TARGET_INFO_SYSTEM_ENV VALUES (281474976710656, 'Local (CLI)', 'HF_TOKEN', 999, ?)",
                   (ENV_SECRET,))
    chrome = json.loads(gzip.decompress((TRACES / "hta_triton_example.json.gz").read_bytes()))
    chrome["environment"] = {"HF_TOKEN": ENV_SECRET}
    (tmp_path / "t.json").write_text(json.dumps(chrome))
    slides = [{"kind": kind, "source": s} for s in ("nsys", "chrome")
              for kind in ("timeline", "kernel_summary", "transfer_summary")]
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump({
        "title": "env", "sources": {"nsys": {"kind": "trace", "path": "r.sqlite"}, "chrome": {"kind": "trace", "path": "t.json"}},
        "slides": slides}))
    result = build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx", "--proof", str(tmp_path / "proof.json"))
    assert result.code == 0
    for path in ("r.sqlite", "t.json"):
        (tmp_path / path).unlink()  # the inputs hold the value; the artifacts must not
    assert ENV_SECRET not in all_text(tmp_path, result.out, result.err)
