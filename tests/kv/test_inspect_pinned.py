"""``tfeic engine inspect --json`` on the two committed fixtures gives the numbers it gave before the
per-layer-kind geometry (issue 14): every old key keeps its value and meaning."""

import json
import os

from tfeic.cli import main

from .conftest import FIXTURES

LLAMA2_7B_ENGINE = {  # TensorRT-LLM 0.13 engine: 32 layers x 32 KV heads x 128, fp16, tokens_per_block 64
    "architecture": "LlamaForCausalLM", "format": "trtllm-engine", "layers": 32, "heads": 32, "kv_heads": 32,
    "head_dim": 128, "dtype": "float16", "kv_dtype": "fp16", "tokens_per_block": 64,
    "bytes_per_token": 2 * 32 * 32 * 128 * 2, "bytes_per_block": 2 * 32 * 32 * 128 * 2 * 64, "tp": 1, "pp": 1, "cp": 1,
}
LLAMA31_8B_HF = {  # HF checkpoint: 32 layers x 8 KV heads x (4096 / 32), bf16, PyTorch backend's 32 tokens per block
    "architecture": "LlamaForCausalLM", "format": "hf-checkpoint", "layers": 32, "heads": 32, "kv_heads": 8,
    "head_dim": 128, "dtype": "bfloat16", "kv_dtype": "bf16", "tokens_per_block": 32,
    "bytes_per_token": 2 * 32 * 8 * 128 * 2, "bytes_per_block": 2 * 32 * 8 * 128 * 2 * 32, "tp": 1, "pp": 1, "cp": 1,
}


def inspect_json(capsys, name):
    assert main(["engine", "inspect", os.path.join(FIXTURES, name), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_trtllm_013_engine_keeps_its_numbers(capsys):
    data = inspect_json(capsys, "engine_config_trtllm0.13_llama2_7b.json")
    assert {k: data[k] for k in LLAMA2_7B_ENGINE} == LLAMA2_7B_ENGINE
    assert "per_rank" not in data


def test_llama31_8b_checkpoint_keeps_its_numbers(capsys):
    data = inspect_json(capsys, "llama-3.1-8b_config.json")
    assert {k: data[k] for k in LLAMA31_8B_HF} == LLAMA31_8B_HF
    assert "per_rank" not in data
