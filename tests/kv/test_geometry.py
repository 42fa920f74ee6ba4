import os

import pytest

from tfeic.cli.exit_codes import exit_code
from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv.engine_config import read_engine

from .conftest import FIXTURES


def test_trtllm_013_llama2_engine():
    info = read_engine(os.path.join(FIXTURES, "engine_config_trtllm0.13_llama2_7b.json"))
    assert (info.layers, info.kv_heads, info.head_dim, info.kv_dtype, info.tokens_per_block) == (32, 32, 128, "fp16", 64)
    assert info.bytes_per_token == 524288
    assert info.format == "trtllm-engine"


def test_llama31_checkpoint_defaults_to_32_tokens_per_block():
    info = read_engine(os.path.join(FIXTURES, "llama-3.1-8b_config.json"))
    assert (info.layers, info.kv_heads, info.head_dim, info.kv_dtype, info.tokens_per_block) == (32, 8, 128, "bf16", 32)
    assert info.bytes_per_token == 131072
    assert info.bytes_per_block == 4 * 1024 * 1024


def test_checkpoint_with_kv_cache_config(tmp_path):
    cfg = tmp_path / "extra.yaml"
    cfg.write_text("kv_cache_config:\n  tokens_per_block: 64\n  dtype: fp8\n  host_cache_size: 8589934592\n")
    info = read_engine(os.path.join(FIXTURES, "llama-3.1-8b_config.json"), kv_cache_config=str(cfg))
    assert (info.tokens_per_block, info.kv_dtype, info.host_cache_size) == (64, "fp8_e4m3", 8589934592)
    assert info.bytes_per_token == 65536


def test_strict_trtllm_without_package_is_exit_3():
    with pytest.raises(SourceError) as e:
        read_engine(FIXTURES, strict_trtllm=True)
    assert exit_code(e.value) == 3 and "tensorrt_llm" in str(e.value)


def test_bad_json_points_at_line(tmp_path):
    (tmp_path / "config.json").write_text('{\n  "version": "0.13",\n  oops\n}')
    with pytest.raises(SourceError) as e:
        read_engine(str(tmp_path))
    assert e.value.diagnostics[0].pos.line == 3
