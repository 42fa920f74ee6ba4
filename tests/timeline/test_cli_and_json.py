"""``tfeic trace summary``: text, --json against its schema, windows, and .qdrep without nsys."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import jsonschema
import pytest

from tfeic.cli import main

from .conftest import FIXTURES

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "trace-summary.schema.json").read_text())


@pytest.mark.parametrize("name", ["testcuda_report1.sqlite", "tracelens_vllm_eager_trace_b200.json.gz", "hta_inference_rank_1_legacy_kineto.json.gz"])
def test_json_output_matches_the_schema(capsys, name):
    assert main(["trace", "summary", str(FIXTURES / name), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, SCHEMA)
    assert out["window"]["start_ns"] == 0 and out["window"]["end_ns"] > 0


def test_text_summary_names_copies_and_kernels(capsys):
    assert main(["trace", "summary", str(FIXTURES / "testcuda_report1.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "add_parallel" in out and "HtoD" in out and "800 MB" in out


def test_range_and_window_restrict_the_summary(capsys):
    path = str(FIXTURES / "tracelens_sglang_Qwen3-8B_decode_mi300x.json.gz")
    assert main(["trace", "summary", path, "--json", "--window", "0:1us"]) == 0
    early = json.loads(capsys.readouterr().out)
    assert main(["trace", "summary", path, "--json", "--range", "step[DECODE bs=32]"]) == 0
    step = json.loads(capsys.readouterr().out)
    assert early["window"] == {"start_ns": 0, "end_ns": 1000}
    assert step["kernels"]["count"] > early["kernels"]["count"]


def test_unknown_range_is_a_usage_error(capsys):
    assert main(["trace", "summary", str(FIXTURES / "testcuda_report1.sqlite"), "--range", "Prefill"]) == 2
    assert "no range named 'Prefill'" in capsys.readouterr().err


def test_qdrep_without_nsys_is_exit_3_with_the_export_command(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no nsys
    report = str(FIXTURES / "dynamicvit_nsys_profile.qdrep")
    assert main(["trace", "summary", report]) == 3
    err = capsys.readouterr().err
    assert f"nsys export --type sqlite --force-overwrite=true -o {report[:-6]}.sqlite {report}" in err


def test_format_is_detected_from_content_not_extension(capsys, tmp_path):
    disguised = tmp_path / "trace.bin"
    disguised.write_bytes(gzip.compress(json.dumps([{"ph": "X", "cat": "kernel", "name": "k", "ts": 1.0, "dur": 2.5}]).encode()))
    assert main(["trace", "summary", str(disguised), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["format"], out["kernels"]["total_ns"]) == ("chrome", 2500)
