"""KV bytes per token and per context of the five real configs in tests/fixtures/models/compare,
per layer kind (GQA, FP8 KV, MLA, sliding window), and per tensor-parallel rank."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv.models import summarize

from .conftest import REPO

COMPARE = Path(REPO) / "tests" / "fixtures" / "models" / "compare"
CONTEXT = 131_072


def kv(name):
    return summarize(name, str(COMPARE / name)).kv


def rank_per_token(name, tp):
    return replace(kv(name), tp=tp).rank_bytes_per_token()


@pytest.mark.parametrize("name, per_token, dtype", [
    ("llama-3.1-8b", 2 * 32 * 8 * 128 * 2, "bf16"),  # K and V x layers x KV heads x head dim x bf16
    ("llama-3.1-70b-instruct-fp8", 2 * 80 * 8 * 128 * 1, "fp8_e4m3"),  # hf_quant_config.json kv_cache_quant_algo FP8
    ("deepseek-v3", 61 * (512 + 64) * 2, "bf16"),  # one MLA latent per layer: 70,272 B, not 2 x 128 heads
    ("qwen3-235b-a22b", 2 * 94 * 4 * 128 * 2, "bf16"),
    ("gpt-oss-120b", 2 * 36 * 8 * 64 * 2, "bf16"),  # every layer while the window is not full
])
def test_bytes_per_token(name, per_token, dtype):
    model = summarize(name, str(COMPARE / name))
    assert (model.kv.bytes_per_token, model.kv_dtype) == (per_token, dtype)


def test_deepseek_v3_mla_is_24_9_times_less_than_128_heads():
    assert kv("deepseek-v3").bytes_per_token == 70_272
    assert round(2 * 61 * 128 * 56 * 2 / 70_272, 1) == 24.9  # the "128 KV heads x 56" figure


def test_gpt_oss_sliding_layers_keep_only_their_window():
    full, sliding = 18 * 2 * 8 * 64 * 2, 18 * 2 * 8 * 64 * 2  # 18 layers of each kind (layer_types)
    assert kv("gpt-oss-120b").bytes_per_sequence(CONTEXT) == full * CONTEXT + sliding * 128 == 4_836_556_800
    assert kv("gpt-oss-120b").bytes_per_sequence(100) == (full + sliding) * 100  # shorter than the window


def test_per_rank_splits_heads_but_replicates_what_cannot_split():
    assert rank_per_token("llama-3.1-8b", 8) == 2 * 32 * 1 * 128 * 2  # 8 heads / 8 ranks
    assert rank_per_token("qwen3-235b-a22b", 8) == 2 * 94 * 1 * 128 * 2  # 4 heads: one each, replicated
    assert rank_per_token("deepseek-v3", 8) == 70_272  # the latent is whole on every rank


def test_layer_kinds_not_read_are_refused_with_the_key(tmp_path):
    config = json.loads((COMPARE / "gpt-oss-120b" / "config.json").read_text())
    config["layer_types"][3] = "chunked_attention"  # linear_attention is read since the geometry is the model's one
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(SourceError) as e:
        summarize("x", str(tmp_path))
    (diag,) = e.value.diagnostics
    assert "layer_types[3] is a layer kind tfeic does not know, found 'chunked_attention'" in diag.message
    assert diag.pos.path.endswith("config.json")
