"""Mutated real model configs (tests/fixtures/models/compare) through the ``models`` source and the
``engine`` source's weights: whatever a value's type or size, the build ends as ``harness.build``
demands (exit 0/2/3/4, one-line diagnostics, no traceback, no hang)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import yaml
from hypothesis import given
from safetensors.numpy import save
from hypothesis import strategies as st

from .harness import build, fuzz
from .mutate import damaged, json_bytes, retyped_json

COMPARE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models" / "compare"
CONFIGS = [json.loads((COMPARE / name / "config.json").read_text())
           for name in ("llama-3.1-8b", "deepseek-v3", "qwen3-235b-a22b", "gpt-oss-120b")]
MODELOPT = json.loads((COMPARE / "llama-3.1-70b-instruct-fp8" / "hf_quant_config.json").read_text())
HUGE = st.sampled_from([10**15, 10**39, -1, 0, 2**63])
# a real safetensors file (written by the reference library) to damage
SHARD = save({"w": np.arange(12, dtype=np.float16).reshape(3, 4), "b": np.zeros(5, np.int8)}, metadata={"format": "np"})


def build_models(cli, files: dict[str, bytes]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        deck = {"title": "fuzz", "sources": {"m": {"kind": "models", "models": [{"name": "x", "path": "m"}]},
                                             "e": {"kind": "engine", "path": "m"}},
                "slides": [{"kind": "model_comparison", "source": "m"}, {"kind": "kv_memory", "source": "e"}]}
        (root / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
        return build(cli, root / "deck.yaml", root / "out.pptx").code


@fuzz(30)
@given(config=st.sampled_from(CONFIGS).flatmap(retyped_json))
def test_retyped_model_config(cli, config):
    build_models(cli, {"m/config.json": json_bytes(config)})


@fuzz(20)
@given(config=st.sampled_from(CONFIGS), key=st.sampled_from(["num_hidden_layers", "hidden_size", "vocab_size",
                                                             "num_key_value_heads", "intermediate_size"]), value=HUGE)
def test_huge_counts_end_cleanly(cli, config, key, value):
    build_models(cli, {"m/config.json": json_bytes({**config, key: value})})


@fuzz(15)
@given(quant=retyped_json(MODELOPT))
def test_retyped_modelopt_config(cli, quant):
    config = (COMPARE / "llama-3.1-70b-instruct-fp8" / "config.json").read_bytes()
    build_models(cli, {"m/config.json": config, "m/hf_quant_config.json": json_bytes(quant)})


@fuzz(25)
@given(shard=damaged(SHARD))
def test_damaged_safetensors_shard(cli, shard):
    config = (COMPARE / "llama-3.1-8b" / "config.json").read_bytes()
    build_models(cli, {"m/config.json": config, "m/model.safetensors": shard})
