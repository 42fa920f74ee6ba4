"""Derived parameter counts of the families beyond Llama, on the real configs in tests/fixtures/models,
each expectation written out here from the modeling code's shapes and checked against the total the
model's publisher states."""

import json
import shutil
from pathlib import Path

import pytest

from tfeic.domains.kv.weights import ModelWeights, WeightsUnknown, read_model_files, read_weights

from .conftest import REPO

MODELS = Path(REPO) / "tests" / "fixtures" / "models"


def derived(tmp_path, fixture: str, edit=None):
    """The weights read_weights derives for a fixture config copied alone into a model dir."""
    config = json.loads((MODELS / fixture).read_text())
    if edit:
        config = edit(config)
    (tmp_path / "config.json").write_text(json.dumps(config))
    return read_weights(read_model_files(str(tmp_path / "config.json")))


def params(w) -> int:
    assert isinstance(w, ModelWeights) and w.derived, w
    return int(w.origin.split(": ")[1].split(" parameters")[0].replace(",", ""))


def attention(hidden, heads, kv_heads, head_dim, q_factor=1):
    return hidden * heads * head_dim * q_factor + 2 * hidden * kv_heads * head_dim + heads * head_dim * hidden


def test_qwen3_next_80b_a3b_is_80b(tmp_path):
    h, vocab = 2048, 151936
    key, value, hv = 16 * 128, 32 * 128, 32
    # Qwen3NextGatedDeltaNet: in_proj_qkvz, in_proj_ba, conv1d (no bias) x 4, dt_bias, A_log, norm(128), out_proj
    delta = h * (2 * key + 2 * value) + h * 2 * hv + (2 * key + value) * 4 + hv + hv + 128 + value * h
    # Qwen3NextAttention: q_proj doubled (query + gate), 16 heads x 256, 2 KV heads; q_norm, k_norm
    attn = attention(h, 16, 2, 256, q_factor=2) + 2 * 256
    # every layer sparse: router 512 x h, 512 experts of 3 x h x 512, shared expert 3 x h x 512, its gate h -> 1
    moe = 512 * h + 512 * 3 * h * 512 + 3 * h * 512 + h
    linear_layers = 36  # full_attention_interval 4: layers 3, 7, ..., 47 attend
    total = linear_layers * delta + 12 * attn + 48 * (moe + 2 * h) + 2 * vocab * h + h
    assert total == 79_674_391_296  # Qwen/Qwen3-Next-80B-A3B model card: "80B in total"
    w = derived(tmp_path, "linear_attention/qwen3-next-80b-a3b_config.json")
    assert params(w) == total and w.bytes == 2 * total  # bfloat16


def mamba2(h, heads, head_dim, groups, state, kernel):
    inner = heads * head_dim
    conv = inner + 2 * groups * state
    # in_proj, conv1d weight + bias, dt_bias, A_log, D, gated norm, out_proj
    return h * (inner + conv + heads) + conv * kernel + conv + 3 * heads + inner + inner * h


def test_nemotron_h_56b_is_56b(tmp_path):
    h, vocab = 8192, 131072
    pattern = json.loads((MODELS / "hybrid_mamba/nemotron-h-56b_config.json").read_text())["hybrid_override_pattern"]
    m, a, mlp = pattern.count("M"), pattern.count("*"), pattern.count("-")
    assert (m, a, mlp) == (54, 10, 54)
    per_block = {"M": mamba2(h, 256, 64, 8, 256, 4), "*": attention(h, 64, 8, 128), "-": 2 * h * 32768}  # up + down, no gate
    total = m * per_block["M"] + a * per_block["*"] + mlp * per_block["-"] + 118 * h + 2 * vocab * h + h
    assert total == 56_324_350_464  # nvidia/Nemotron-H-56B-Base-8K: 56B
    assert params(derived(tmp_path, "hybrid_mamba/nemotron-h-56b_config.json")) == total


def test_nemotron_3_nano_moe_blocks_are_31_6b(tmp_path):
    h, vocab = 2688, 131072
    pattern = json.loads((MODELS / "hybrid_mamba/nemotron-3-nano-30b_config.json").read_text())["hybrid_override_pattern"]
    m, a, e = pattern.count("M"), pattern.count("*"), pattern.count("E")
    assert (m, a, e) == (23, 6, 23)
    # NemotronHMoE: router weight + e_score_correction_bias, 128 experts of up + down (1856), shared up + down (3712)
    moe = 128 * h + 128 + 128 * 2 * h * 1856 + 2 * h * 3712
    total = m * mamba2(h, 64, 64, 8, 128, 4) + a * attention(h, 32, 2, 128) + e * moe + 52 * h + 2 * vocab * h + h
    assert total == 31_577_940_288  # nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B model card: 31.6B total parameters
    assert params(derived(tmp_path, "hybrid_mamba/nemotron-3-nano-30b_config.json")) == total


def test_jamba_1_5_mini_is_51_6b(tmp_path):
    h, inner, vocab, rank, state = 4096, 8192, 65536, 256, 16  # mamba_expand 2, dt_rank auto = 4096 / 16
    # JambaMambaMixer: in_proj, conv1d + bias (kernel 4), x_proj, dt_proj + bias, A_log, D, out_proj, 3 norms
    mamba = h * 2 * inner + inner * 4 + inner + inner * (rank + 2 * state) + rank * inner + inner \
        + inner * state + inner + inner * h + rank + 2 * state
    mlp = 3 * h * 14336
    moe = 16 * h + 16 * mlp  # router + 16 experts on odd layers (expert period 2, offset 1)
    attn_layers = 4  # attn period 8, offset 4: layers 4, 12, 20, 28
    total = attn_layers * attention(h, 32, 8, 128) + 28 * mamba + 16 * moe + 16 * mlp + 32 * 2 * h + 2 * vocab * h + h
    assert total == 51_570_323_328  # ai21labs/AI21-Jamba-1.5-Mini: 52B total (12B active)
    assert params(derived(tmp_path, "hybrid_mamba/jamba-1.5-mini_config.json")) == total


def ffn_inner(mult, h):
    inner = int(2 * mult * h / 3)
    return inner if inner % 256 == 0 else inner + 256 - inner % 256


def test_nemotron_super_49b_blocks_are_49_9b(tmp_path):
    h, vocab = 8192, 128256
    blocks = json.loads((MODELS / "block_configs/nemotron-super-49b_config.json").read_text())["block_configs"]
    attending = sum(1 for b in blocks if not b["attention"]["no_op"])
    assert attending == 49
    assert ffn_inner(5.25, h) == 28672 and ffn_inner(1.3125, h) == 7168  # 2 x 5.25 x 8192 / 3 = 28672 exactly
    total = attending * (attention(h, 64, 64 // 8, 128) + h) \
        + sum(3 * h * ffn_inner(b["ffn"]["ffn_mult"], h) + h for b in blocks) + 2 * vocab * h + h
    assert total == 49_867_145_216  # nvidia/Llama-3_3-Nemotron-Super-49B-v1: 49.9B
    assert params(derived(tmp_path, "block_configs/nemotron-super-49b_config.json")) == total


def test_a_linear_replacement_block_is_one_hidden_square(tmp_path):
    def replace_first(config):
        config["block_configs"][0]["attention"] = {"no_op": False, "replace_with_linear": True}
        config["block_configs"][0]["ffn"] = {"no_op": True}
        return config
    before = params(derived(tmp_path, "block_configs/nemotron-super-49b_config.json"))
    first = json.loads((MODELS / "block_configs/nemotron-super-49b_config.json").read_text())["block_configs"][0]
    assert first["attention"]["no_op"] is False and first["ffn"]["ffn_mult"] == 2.625
    h = 8192
    removed = attention(h, 64, 8, 128) + h + 3 * h * ffn_inner(2.625, h) + h  # 14336
    assert params(derived(tmp_path, "block_configs/nemotron-super-49b_config.json", replace_first)) == before - removed + h * h + h


def test_gemma_3_4b_it_counts_its_siglip_tower_and_ties_embeddings(tmp_path):
    h, vocab, heads, kv, d = 2560, 262208, 8, 4, 256  # Gemma3TextConfig defaults for what text_config leaves out
    layer = attention(h, heads, kv, d) + 2 * d + 3 * h * 10240 + 4 * h  # q/k norms, gated MLP, four norms
    text = 34 * layer + vocab * h + h  # lm_head tied to embed_tokens
    vh, vi = 1152, 4304  # SigLIP: 27 layers, 896 / 14 = 64 x 64 patches
    vision_layer = 4 * (vh * vh + vh) + (vh * vi + vi) + (vi * vh + vh) + 2 * 2 * vh
    vision = 3 * 14 * 14 * vh + vh + 64 * 64 * vh + 27 * vision_layer + 2 * vh
    projector = vh * h + vh
    assert text + vision + projector == 4_300_079_472  # google/gemma-3-4b-it: 4.3B parameters
    w = derived(tmp_path, "sliding_window/gemma-3-4b-it_config.json")
    assert params(w) == 4_300_079_472 and w.bytes == 2 * 4_300_079_472


def test_tiny_gemma3_text_is_float32_and_tied(tmp_path):
    h, vocab = 16, 262144
    layer = attention(h, 2, 1, 8) + 2 * 8 + 3 * h * 32 + 4 * h
    total = 2 * layer + vocab * h + h
    w = derived(tmp_path, "sliding_window/tiny-random-gemma3_config.json")
    assert params(w) == total and w.bytes == 4 * total


def test_llama_4_scout_language_model_and_why_the_wrapper_is_refused(tmp_path):
    h, vocab, experts = 5120, 202048, 16
    moe = experts * h + experts * 3 * h * 8192 + 3 * h * 8192  # router, experts (gate_up + down), shared expert
    total = 48 * (attention(h, 40, 8, 128) + moe + 2 * h) + 2 * vocab * h + h
    assert total == 107_769_861_120  # the language model; 109B in the model card with the vision tower
    text_only = derived(tmp_path, "text_config/llama-4-scout_config.json", lambda c: c["text_config"])
    assert params(text_only) == total
    # aiconfigurator trimmed the published file to text_config: the vision tower cannot be counted
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    refused = derived(tmp_path, "text_config/llama-4-scout_config.json")
    assert isinstance(refused, WeightsUnknown) and "no vision_config" in refused.reason


def test_an_infinite_ffn_mult_is_named(tmp_path):
    def infinite(config):
        config["block_configs"][0]["ffn"]["ffn_mult"] = float("inf")
        return config
    w = derived(tmp_path, "block_configs/nemotron-super-49b_config.json", infinite)
    assert isinstance(w, WeightsUnknown) and "block_configs[0].ffn.ffn_mult must be a positive number, found inf" in w.reason


@pytest.mark.parametrize("edit, said", [
    (lambda c: {**c, "moe_latent_size": 1024}, "moe_latent_size 1024"),
    (lambda c: {**c, "hybrid_override_pattern": c["hybrid_override_pattern"][:-1] + "X"}, "hybrid_override_pattern[51] is 'X'"),
])
def test_nemotron_h_keys_not_read_are_named(tmp_path, edit, said):
    w = derived(tmp_path, "hybrid_mamba/nemotron-3-nano-30b_config.json", edit)
    assert isinstance(w, WeightsUnknown) and said in w.reason


@pytest.mark.parametrize("fixture, h, layers, heads, inner, total", [
    ("moe/mixtral-8x7B_config.json", 4096, 32, 32, 14336, 46_702_792_704),  # Mixtral-8x7B model card: 46.7B total
    ("moe/mixtral-8x22B_config.json", 6144, 56, 48, 16384, 140_620_634_112),  # Mixtral-8x22B: 141B total
])
def test_mixtral_is_its_published_total(tmp_path, fixture, h, layers, heads, inner, total):
    vocab, kv, head_dim = 32000, 8, 128  # head_dim = hidden / heads in both
    assert h // heads == head_dim
    moe = 8 * h + 8 * 3 * h * inner  # router gate + 8 experts of w1, w3 (in) and w2 (out)
    assert layers * (attention(h, heads, kv, head_dim) + moe + 2 * h) + 2 * vocab * h + h == total
    assert params(derived(tmp_path, fixture)) == total


def test_gemma2_is_gemma3_without_the_q_and_k_norms(tmp_path):
    # no Gemma-2 config.json is committed: the tiny Gemma-3 one read as gemma2 (Gemma2Attention has no q_norm/k_norm)
    gemma3 = params(derived(tmp_path, "sliding_window/tiny-random-gemma3_config.json"))
    gemma2 = params(derived(tmp_path, "sliding_window/tiny-random-gemma3_config.json", lambda c: {**c, "model_type": "gemma2"}))
    assert gemma3 - gemma2 == 2 * (8 + 8)  # 2 layers x (q_norm + k_norm of head_dim 8)


def test_llama_4_scout_with_its_vision_tower_is_109b(tmp_path):
    vh, vi, layers = 1408, 5632, 34  # Llama4VisionModel: 336 / 14 = 24 x 24 patches + the class token
    layer = 4 * (vh * vh + vh) + (vh * vi + vi) + (vi * vh + vh) + 2 * 2 * vh  # biased q/k/v/o, fc1, fc2, 2 LayerNorms
    tower = 3 * 14 * 14 * vh + vh + (24 * 24 + 1) * vh + 2 * 2 * vh + layers * layer
    adapter = vi * 4096 + 4096 * 4096  # Llama4VisionMLP2 fc1 (intermediate -> projector_input_dim), fc2 (4096 square)
    projector = 4096 * 5120  # Llama4MultiModalProjector.linear_1: vision_output_dim -> text hidden
    total = 107_769_861_120 + tower + adapter + projector
    assert total == 108_641_793_536  # meta-llama/Llama-4-Scout-17B-16E: 109B total parameters
    assert params(derived(tmp_path, "text_config/llama-4-scout-with-vision_config.json")) == total
