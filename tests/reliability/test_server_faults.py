"""Server faults at the level of a deck build, against real local server processes (the fault
server and the refused port of tests/inference): each is exit 3 with one line, the previous
output untouched, the snapshot not written; a 5xx then success is retried into a good build.
The client-level behaviour of each fault is tested in tests/inference; here it is the whole build,
also through a real ``tfeic`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .harness import CASE_SECONDS, DIAGNOSTIC_LINE, build

REPO = Path(__file__).resolve().parents[2]


def server_deck(root: Path, url: str, **fields) -> Path:
    source = {"kind": "server", "url": url, "model": "tiny", "prompt": "hi", "max_tokens": 5, "timeout": 5,
              "probes": False, "snapshot": "session.json", **fields}
    (root / "deck.yaml").write_text(yaml.safe_dump({"title": "faults", "sources": {"s": source},
                                                    "slides": [{"kind": "transcript", "source": "s"}]}))
    return root / "deck.yaml"


def recorded_build(cli, root: Path):
    (root / "out.pptx").write_bytes(b"previous")
    return build(cli, root / "deck.yaml", root / "out.pptx", "--record")


@pytest.mark.parametrize("scenario,words", [
    ("cut", "broke"), ("malformed", "malformed"), ("bad_request", "400"), ("silent", "no answer"),
])
def test_fault_fails_the_build_cleanly(cli, tmp_path, fault_server, scenario, words):
    server_deck(tmp_path, fault_server(scenario), timeout=1, retries=0)
    result = recorded_build(cli, tmp_path)
    assert result.code == 3 and words in result.err, result.err
    assert not (tmp_path / "session.json").exists()


def test_refused_connection(cli, tmp_path, refused_url):
    server_deck(tmp_path, refused_url)
    result = recorded_build(cli, tmp_path)
    assert result.code == 3 and "refused" in result.err


def test_error_then_success_is_retried(cli, tmp_path, fault_server):
    server_deck(tmp_path, fault_server("flaky"), retries=2)
    assert recorded_build(cli, tmp_path).code == 0
    assert (tmp_path / "session.json").exists()


@pytest.mark.parametrize("make", ["refused", "damaged_trace"])
def test_through_a_real_process(tmp_path, refused_url, make):
    """The same contract from the shell: exit code, one line on stderr, no traceback, old output kept."""
    if make == "refused":
        server_deck(tmp_path, refused_url)
    else:
        (tmp_path / "t.json.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 40)
        (tmp_path / "deck.yaml").write_text(yaml.safe_dump({
            "title": "t", "sources": {"s": {"kind": "trace", "path": "t.json.gz"}},
            "slides": [{"kind": "timeline", "source": "s"}]}))
    (tmp_path / "out.pptx").write_bytes(b"previous")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "tfeic", "build", str(tmp_path / "deck.yaml"), "-o",
                           str(tmp_path / "out.pptx"), "--no-cache", "-q"], capture_output=True, text=True,
                          timeout=CASE_SECONDS, env=env, cwd=tmp_path)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert [DIAGNOSTIC_LINE.match(line) is not None for line in proc.stderr.splitlines()] == [True]
    assert (tmp_path / "out.pptx").read_bytes() == b"previous"
