"""The weights' size of a model: safetensors index, weight-file headers, or derived from the real
configs under tests/fixtures/models/compare (each expectation is the arithmetic written out here,
checked against the totals the model publishers state)."""

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv.safetensors_header import tensor_bytes
from tfeic.domains.kv.weights import ModelWeights, WeightsUnknown, read_model_files, read_weights

from .conftest import REPO

COMPARE = Path(REPO) / "tests" / "fixtures" / "models" / "compare"


def weights_of(name: str) -> ModelWeights:
    w = read_weights(read_model_files(str(COMPARE / name / "config.json")))
    assert isinstance(w, ModelWeights) and w.derived and "derived from config.json" in w.origin
    return w


def params_in(w: ModelWeights) -> int:
    return int(w.origin.split(": ")[1].split(" parameters")[0].replace(",", ""))


def dense_layer(hidden, heads, kv_heads, head_dim, inner):
    """Linear weights of one Llama-style layer (q, k, v, o; gate, up, down) and its two norms."""
    attention = hidden * heads * head_dim * 2 + hidden * kv_heads * head_dim * 2
    return attention + 3 * hidden * inner, 2 * hidden


def test_llama_3_1_8b_is_its_published_8_030_261_248_parameters_in_bf16():
    linear, norms = dense_layer(4096, 32, 8, 128, 14336)
    params = 32 * (linear + norms) + 2 * 128256 * 4096 + 4096  # layers, embed + untied lm_head, final norm
    assert params == 8_030_261_248  # meta-llama/Llama-3.1-8B model card: 8.03B
    w = weights_of("llama-3.1-8b")
    assert params_in(w) == params and w.bytes == 2 * params == 16_060_522_496  # its index's total_size


def test_llama_3_1_70b_fp8_quantizes_every_projection_but_lm_head():
    linear, norms = dense_layer(8192, 64, 8, 128, 28672)
    embed = 128256 * 8192
    assert 80 * (linear + norms) + 2 * embed + 8192 == 70_553_706_496  # Llama-3.1-70B: 70.6B
    w = weights_of("llama-3.1-70b-instruct-fp8")
    # hf_quant_config.json: quant_algo FP8 (1 byte), exclude_modules [lm_head]: embed, lm_head, norms stay bf16
    assert w.bytes == 80 * linear * 1 + (80 * norms + 2 * embed + 8192) * 2
    assert "quant_algo FP8" in w.origin


def test_deepseek_v3_is_671b_with_block_fp8_and_its_scales():
    h, heads, vocab = 7168, 128, 129280
    # MLA: q_a 7168->1536, q_a norm, q_b 1536->128x192, kv_a 7168->512+64, kv_a norm, kv_b 512->128x256, o 128x128->7168
    mla = [(1536, h), (heads * 192, 1536), (576, h), (heads * 256, 512), (h, heads * 128)]
    mla_norms = 1536 + 512
    dense = [(18432, h), (18432, h), (h, 18432)]
    expert = [(2048, h), (2048, h), (h, 2048)]
    router = 256 * h + 256  # weight + e_score_correction_bias
    per = lambda shapes: sum(r * c for r, c in shapes)
    dense_layer_params = per(mla) + mla_norms + per(dense) + 2 * h
    moe_layer_params = per(mla) + mla_norms + 257 * per(expert) + router + 2 * h  # 256 routed + 1 shared
    params = 3 * dense_layer_params + 58 * moe_layer_params + 2 * vocab * h + h
    assert params == 671_026_419_200  # DeepSeek-V3 technical report: 671B total (the MTP layer is extra)
    w = weights_of("deepseek-v3")
    assert params_in(w) == params
    scales = lambda shapes: sum(math.ceil(r / 128) * math.ceil(c / 128) for r, c in shapes)  # one fp32 per 128x128
    fp8 = 3 * (per(mla) + per(dense)) + 58 * (per(mla) + 257 * per(expert))
    fp8_scales = 4 * (3 * (scales(mla) + scales(dense)) + 58 * (scales(mla) + 257 * scales(expert)))
    assert w.bytes == fp8 + fp8_scales + 2 * (params - fp8)


def test_qwen3_235b_a22b_every_layer_sparse():
    h, d = 4096, 128
    attention = h * 64 * d * 2 + h * 4 * d * 2 + 2 * d  # q, o; k, v of 4 KV heads; q_norm, k_norm
    moe = 128 * 3 * h * 1536 + 128 * h  # 128 experts of 1536, router
    params = 94 * (attention + moe + 2 * h) + 2 * 151936 * h + h
    assert params == 235_093_634_560  # Qwen3-235B-A22B: 235B total
    assert weights_of("qwen3-235b-a22b").bytes == 2 * params


def test_gpt_oss_120b_experts_in_mxfp4_the_rest_bf16():
    h, e, i, heads = 2880, 128, 2880, 64
    attention = (h * heads * 64 + heads * 64) + 2 * (h * 8 * 64 + 8 * 64) + (heads * 64 * h + h) + heads  # biased, sinks
    expert_weights = e * (h * 2 * i + i * h)
    expert_rest = e * 2 * i + e * h + e * h + e  # two expert biases, router weight + bias
    params = 36 * (attention + expert_weights + expert_rest + 2 * h) + 2 * 201088 * h + h
    assert params == 116_829_156_672  # gpt-oss model card: 116.83B total
    w = weights_of("gpt-oss-120b")
    mxfp4 = 36 * e * (2 * i * (h // 2 + h // 32) + h * (i // 2 + i // 32))  # 16 B per 32 values + 1 scale byte
    assert w.bytes == mxfp4 + 2 * (params - 36 * expert_weights)
    assert "no torch_dtype" in w.origin  # the bf16 of the unquantized rest is said to be assumed


def test_exabyte_toy_model_is_97_mb_not_16_gb():
    linear, norms = dense_layer(512, 8, 4, 64, 2048)
    params = 4 * (linear + norms) + 2 * 32000 * 512 + 512
    w = read_weights(read_model_files(str(Path(REPO) / "decks" / "data" / "exabyte" / "model" / "config.json")))
    assert isinstance(w, ModelWeights) and w.bytes == 2 * params == 97_002_496


def model_dir(tmp_path: Path, config: dict) -> Path:
    (tmp_path / "config.json").write_text(json.dumps(config))
    return tmp_path


def test_safetensors_headers_give_the_tensor_bytes(tmp_path):
    d = model_dir(tmp_path, {"model_type": "unknown_arch"})
    save_file({"a": np.zeros((3, 5), np.float16), "b": np.zeros(7, np.int8)}, str(d / "model-00001-of-00002.safetensors"))
    save_file({"c": np.zeros((2, 2), np.float32)}, str(d / "model-00002-of-00002.safetensors"), metadata={"format": "np"})
    w = read_weights(read_model_files(str(d / "config.json")))
    assert isinstance(w, ModelWeights) and not w.derived
    assert w.bytes == 3 * 5 * 2 + 7 * 1 + 2 * 2 * 4 and "2 .safetensors files" in w.origin


def test_index_total_size_wins_over_the_files(tmp_path):
    d = model_dir(tmp_path, {"model_type": "llama"})
    save_file({"a": np.zeros(4, np.float32)}, str(d / "model-00001-of-00004.safetensors"))
    # the layout transformers' save_pretrained writes (the Hugging Face docs quote Llama-3.1-8B's)
    (d / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {"total_size": 16060522496}, "weight_map": {"lm_head.weight": "model-00004-of-00004.safetensors"}}))
    assert read_weights(read_model_files(str(d / "config.json"))) == ModelWeights(16_060_522_496, "model.safetensors.index.json metadata.total_size", how="index")


def test_unknown_architecture_without_weights_says_why(tmp_path):
    w = read_weights(read_model_files(str(model_dir(tmp_path, {"model_type": "falcon_h1"}) / "config.json")))
    assert isinstance(w, WeightsUnknown) and "model_type 'falcon_h1'" in w.reason


def test_missing_key_is_named(tmp_path):
    w = read_weights(read_model_files(str(model_dir(tmp_path, {"model_type": "llama", "hidden_size": 64}) / "config.json")))
    assert isinstance(w, WeightsUnknown) and "vocab_size must be an integer >= 1, found None" in w.reason


def valid_file(tmp_path: Path) -> bytes:
    save_file({"x": np.zeros((2, 3), np.float32), "y": np.zeros(4, np.float16)}, str(tmp_path / "v.safetensors"))
    return (tmp_path / "v.safetensors").read_bytes()


def with_header(header: object, data: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


HOSTILE = {
    "huge header length": lambda ok: struct.pack("<Q", 2**63) + ok[8:],
    "header past the end": lambda ok: struct.pack("<Q", len(ok)) + ok[8:],
    "short file": lambda ok: ok[:5],
    "not json": lambda ok: struct.pack("<Q", 4) + b"{{{{",
    "overlapping tensors": lambda ok: with_header({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                                   "y": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12)),
    "size disagrees with shape": lambda ok: with_header({"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, bytes(8)),
    "unknown dtype": lambda ok: with_header({"x": {"dtype": "Q7", "shape": [1], "data_offsets": [0, 1]}}, bytes(1)),
    "data missing": lambda ok: ok[:-4],
    "not an object": lambda ok: with_header([1, 2], b""),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_headers_are_one_source_error(tmp_path, case):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(HOSTILE[case](valid_file(tmp_path)))
    with pytest.raises(SourceError) as e:
        tensor_bytes(str(path))
    (diag,) = e.value.diagnostics
    assert diag.message.startswith("not a valid safetensors file") and diag.pos.path == str(path)


def test_valid_file_reads_its_data_section(tmp_path):
    valid_file(tmp_path)
    assert tensor_bytes(str(tmp_path / "v.safetensors")) == 2 * 3 * 4 + 4 * 2


def test_hostile_weight_file_in_a_deck_is_exit_3(cli, tmp_path):
    model = tmp_path / "m"
    model.mkdir()
    (model / "config.json").write_text((COMPARE / "llama-3.1-8b" / "config.json").read_text())
    (model / "model.safetensors").write_bytes(struct.pack("<Q", 2**40) + b"{}")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\nsources:\n  e: {kind: engine, path: m}\nslides:\n  - {kind: kv_memory, source: e}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"))
    assert result.code == 3 and "not a valid safetensors file: header length" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "out.pptx").exists()


def test_a_hostile_layer_count_stops_at_once(tmp_path):
    config = json.loads((COMPARE / "llama-3.1-8b" / "config.json").read_text())
    w = read_weights(read_model_files(str(model_dir(tmp_path, {**config, "num_hidden_layers": 10**15}) / "config.json")))
    assert isinstance(w, WeightsUnknown) and "num_hidden_layers 1,000,000,000,000,000 is beyond 10,000" in w.reason
