"""Per-layer-kind KV geometry on real published configs of every family and format (issue 14).

Every expectation is written out as arithmetic from the numbers in the committed config files
(tests/fixtures/models, origins in SOURCES.txt); nothing here asks tfeic for the truth.
"""

import json
import os
import zipfile

import jsonschema
import pytest

from tfeic.cli import main
from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv.engine_config import read_engine

from .conftest import FIXTURES, REPO

MODELS = os.path.join(REPO, "tests", "fixtures", "models")
N = 131072  # the default --sequence-tokens
BF16, FP8, FP32 = 2, 1, 4


def inspect(capsys, path, *extra):
    assert main(["engine", "inspect", path, "--json", *extra]) == 0
    data = json.loads(capsys.readouterr().out)
    with open(os.path.join(REPO, "schemas", "engine-inspect.schema.json")) as f:
        jsonschema.validate(data, json.load(f))
    return data


def kinds(data):
    return {k["kind"]: k for k in data["layer_kinds"]}


@pytest.mark.parametrize("name", ["deepseek-v3_config.json", "kimi-k2-instruct_config.json"])
def test_mla_is_one_latent_per_layer(capsys, name):
    data = inspect(capsys, os.path.join(MODELS, "mla", name))
    per_token = 61 * (512 + 64) * 1 * BF16  # layers x (kv_lora_rank + qk_rope_head_dim) x kv_factor 1 x bf16
    assert per_token == 70272
    assert data["bytes_per_token"] == per_token and data["bytes_per_sequence"] == per_token * N
    assert data["kv_heads"] == 1 and data["head_dim"] == 576
    assert kinds(data)["mla_latent"]["kv_factor"] == 1


def test_llama4_and_qwen3vl_geometry_under_text_config(capsys):
    scout = inspect(capsys, os.path.join(MODELS, "text_config", "llama-4-scout_config.json"))
    assert scout["bytes_per_token"] == 2 * 48 * 8 * 128 * BF16
    assert "attention_chunk_size" in scout["sources"]["layer_kinds"]  # says what it did not model
    qwen = inspect(capsys, os.path.join(MODELS, "text_config", "qwen3-vl-8b_config.json"))
    assert qwen["bytes_per_token"] == 2 * 36 * 8 * 128 * BF16
    assert qwen["sources"]["kv_heads"] == "qwen3-vl-8b_config.json: text_config.num_key_value_heads"


def test_block_configs_count_only_attention_blocks(capsys):
    data = inspect(capsys, os.path.join(MODELS, "block_configs", "nemotron-super-49b_config.json"))
    # 49 blocks with n_heads_in_group 8 (64 / 8 = 8 KV heads), 31 no_op blocks; head 8192 / 64
    assert data["bytes_per_token"] == 2 * 49 * (64 // 8) * (8192 // 64) * BF16
    assert kinds(data)["no_attention"]["layers"] == 31 and data["attention_layers"] == 49


def test_nemotron_h_attention_layers_and_mamba2_state(capsys):
    data = inspect(capsys, os.path.join(MODELS, "hybrid_mamba", "nemotron-h-56b_config.json"))
    assert data["layers"] == 118 and data["attention_layers"] == 10 and data["state_layers"] == 54
    assert data["bytes_per_token"] == 2 * 10 * 8 * 128 * BF16  # not 118 layers' worth (11.8x less)
    conv = (256 * 64 + 2 * 8 * 256) * (4 - 1) * BF16  # (heads x head_dim + 2 n_groups d_state) x (kernel - 1)
    ssm = 256 * 64 * 256 * BF16  # heads x head_dim x d_state, model dtype (no mamba_ssm_cache_dtype)
    assert kinds(data)["recurrent_state"]["state_bytes_per_sequence"] == conv + ssm
    assert data["bytes_per_sequence"] == 2 * 10 * 8 * 128 * BF16 * N + 54 * (conv + ssm)


def test_nemotron3_nano_ssm_state_in_its_cache_dtype(capsys):
    data = inspect(capsys, os.path.join(MODELS, "hybrid_mamba", "nemotron-3-nano-30b_config.json"))
    conv = (64 * 64 + 2 * 8 * 128) * 3 * BF16
    ssm = 64 * 64 * 128 * FP32  # mamba_ssm_cache_dtype float32
    assert kinds(data)["recurrent_state"]["state_bytes_per_sequence"] == conv + ssm == 2134016
    assert data["bytes_per_token"] == 2 * 6 * 2 * 128 * BF16


def test_qwen3_next_and_qwen35_linear_attention(capsys):
    nxt = inspect(capsys, os.path.join(MODELS, "linear_attention", "qwen3-next-80b-a3b_config.json"))
    # full_attention_interval 4: layers 3, 7, ... attend (48 / 4 = 12), the other 36 are Gated DeltaNet
    assert nxt["attention_layers"] == 12 and nxt["state_layers"] == 36
    assert nxt["bytes_per_token"] == 2 * 12 * 2 * 256 * BF16
    gdn = (2 * 128 * 16 + 128 * 32) * 3 * BF16 + 32 * 128 * 128 * BF16
    assert kinds(nxt)["recurrent_state"]["state_bytes_per_sequence"] == gdn
    q35 = inspect(capsys, os.path.join(MODELS, "linear_attention", "qwen3.5-27b_config.json"))
    assert q35["attention_layers"] == 16 and q35["state_layers"] == 48
    assert q35["bytes_per_token"] == 2 * 16 * 4 * 256 * BF16
    gdn35 = (2 * 128 * 16 + 128 * 48) * 3 * BF16 + 48 * 128 * 128 * FP32  # mamba_ssm_dtype float32
    assert q35["state_bytes_per_sequence"] == 48 * gdn35


@pytest.mark.parametrize("name,layers", [("gpt-oss-120b_config.json", 36), ("gpt-oss-20b_config.json", 24)])
def test_gpt_oss_sliding_layers_hold_at_most_the_window(capsys, name, layers):
    data = inspect(capsys, os.path.join(MODELS, "sliding_window", name))
    per_layer = 2 * 8 * 64 * BF16
    assert data["bytes_per_token"] == layers * per_layer
    assert kinds(data)["sliding_window"]["window"] == 128
    assert data["bytes_per_sequence"] == (layers // 2) * per_layer * N + (layers // 2) * per_layer * 128
    assert "no torch_dtype" in data["sources"]["dtype"]  # gpt-oss names none: the assumption is said


def test_modelopt_hf_quant_config_makes_fp8_kv(capsys):
    data = inspect(capsys, os.path.join(MODELS, "modelopt_fp8", "llama-3.1-70b-fp8"))
    assert data["kv_dtype"] == "fp8_e4m3" and data["bytes_per_token"] == 2 * 80 * 8 * 128 * FP8
    assert data["sources"]["kv_dtype"] == "hf_quant_config.json: quantization.kv_cache_quant_algo"


def test_quantization_config_kv_cache_scheme_makes_fp8_kv(tmp_path, capsys):
    src = os.path.join(MODELS, "modelopt_fp8", "qwen3-32b-fp8", "config.json")
    (tmp_path / "config.json").write_bytes(open(src, "rb").read())  # without its hf_quant_config.json
    data = inspect(capsys, str(tmp_path))
    assert data["kv_dtype"] == "fp8_e4m3" and data["bytes_per_token"] == 2 * 64 * 8 * 128 * FP8
    assert data["sources"]["kv_dtype"] == "config.json: quantization_config.kv_cache_scheme"


def test_kv_cache_config_dtype_overrides_the_checkpoint(tmp_path, capsys):
    yaml = tmp_path / "opts.yaml"
    yaml.write_text("kv_cache_config:\n  dtype: bfloat16\n")
    data = inspect(capsys, os.path.join(MODELS, "modelopt_fp8", "llama-3.1-70b-fp8"), "--kv-cache-config", str(yaml))
    assert data["kv_dtype"] == "bf16" and data["bytes_per_token"] == 2 * 80 * 8 * 128 * BF16


def test_trtllm_checkpoint_reads_mapping(capsys):
    data = inspect(capsys, os.path.join(MODELS, "trtllm_checkpoint", "opt-125m-tp2"))
    assert data["format"] == "trtllm-checkpoint" and data["tp"] == 2
    assert data["bytes_per_token"] == 2 * 12 * 12 * (768 // 12) * 2  # fp16, 12 heads (no GQA)
    assert data["per_rank"]["kv_heads"] == 12 // 2
    assert data["per_rank"]["bytes_per_token"] == 2 * 12 * (12 // 2) * 64 * 2


def test_trtllm_checkpoints_from_the_perf_overview_are_fp8_and_split(capsys):
    falcon = inspect(capsys, os.path.join(MODELS, "trtllm_checkpoint", "falcon-180b-tp8-fp8"))
    head = 14848 // 232  # hidden_size / num_attention_heads
    assert falcon["kv_dtype"] == "fp8_e4m3" and falcon["tp"] == 8
    assert falcon["bytes_per_token"] == 2 * 80 * 8 * head * FP8
    assert falcon["per_rank"]["kv_heads"] == 8 // 8 and falcon["per_rank"]["bytes_per_token"] == 2 * 80 * 1 * head * FP8
    llama = inspect(capsys, os.path.join(MODELS, "trtllm_checkpoint", "llama-2-70b-tp4-fp8"))
    assert llama["bytes_per_token"] == 2 * 80 * 8 * 128 * FP8
    assert llama["per_rank"]["bytes_per_token"] == 2 * 80 * (8 // 4) * 128 * FP8
    assert llama["sources"]["kv_dtype"] == "config.json: quantization.kv_cache_quant_algo"


def engine_variant(tmp_path, edit):
    with open(os.path.join(FIXTURES, "engine_config_trtllm0.13_llama2_7b.json")) as f:
        doc = json.load(f)
    edit(doc)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_engine_without_tokens_per_block_says_the_versions_default(tmp_path, capsys):
    path = engine_variant(tmp_path, lambda d: d["build_config"]["plugin_config"].pop("tokens_per_block"))
    data = inspect(capsys, path)
    assert data["tokens_per_block"] == 64 and data["sources"]["tokens_per_block"] == "default for TensorRT-LLM 0.13.0"


def test_tp_beyond_kv_heads_replicates_and_pp_splits_layers(tmp_path, capsys):
    def edit(d):
        d["pretrained_config"]["num_key_value_heads"] = 8
        d["pretrained_config"]["mapping"].update(tp_size=16, pp_size=3, world_size=48)
    data = inspect(capsys, engine_variant(tmp_path, edit))
    assert data["per_rank"]["kv_heads"] == 1  # ceil(8 / 16): one head, replicated on two ranks
    assert data["per_rank"]["pp_stage_layers"] == [11, 11, 10]  # 32 = 11 + 11 + 10
    assert data["per_rank"]["bytes_per_token"] == 2 * 11 * 1 * 128 * 2


def test_legacy_builder_config_quant_mode_mqa_and_pp(tmp_path, capsys):
    # the builder_config keys TensorRT-LLM 0.7's runtime reads (quant_mode is QuantMode's bitmask)
    doc = {"builder_config": {"name": "gpt", "num_heads": 48, "hidden_size": 6144, "num_layers": 40,
                              "precision": "float16", "multi_query_mode": True, "quant_mode": 128,
                              "tensor_parallel": 2, "pipeline_parallel": 2},
           "plugin_config": {"paged_kv_cache": True}}
    (tmp_path / "config.json").write_text(json.dumps(doc))
    data = inspect(capsys, str(tmp_path))
    assert data["kv_dtype"] == "fp8_e4m3" and data["kv_heads"] == 1 and data["pp"] == 2
    assert data["bytes_per_token"] == 2 * 40 * 1 * (6144 // 48) * FP8
    assert data["tokens_per_block"] == 64 and "default" in data["sources"]["tokens_per_block"]
    assert data["per_rank"]["layers"] == 20


def test_a_non_uniform_model_gives_one_clear_error_for_a_pool(capsys):
    info = read_engine(os.path.join(MODELS, "sliding_window", "gpt-oss-20b_config.json"))
    with pytest.raises(SourceError) as e:
        info.rank_geometry
    message = str(e.value)
    assert "every layer alike" in message and "12 x sliding_window" in message and "\n" not in message.strip()


def test_an_unreadable_config_names_the_file_and_the_key(tmp_path, capsys):
    src = os.path.join(MODELS, "block_configs", "nemotron-super-49b_config.json")
    doc = json.load(open(src))
    doc["block_configs"][3]["attention"]["n_heads_in_group"] = None
    (tmp_path / "config.json").write_text(json.dumps(doc))
    assert main(["engine", "inspect", str(tmp_path)]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "config.json" in err
    assert "block_configs[3].attention.n_heads_in_group" in err and "null" in err


def test_gemma3_sliding_pattern_and_transformers_defaults(capsys):
    data = inspect(capsys, os.path.join(MODELS, "sliding_window", "gemma-3-4b-it_config.json"))
    # 34 layers, every 6th global (5 of them), 29 sliding of 1024; Gemma3TextConfig's 4 KV heads x 256
    per_layer = 2 * 4 * 256 * BF16
    assert kinds(data)["full_attention"]["layers"] == 5 and kinds(data)["sliding_window"]["layers"] == 29
    assert data["bytes_per_token"] == 34 * per_layer
    assert data["bytes_per_sequence"] == 5 * per_layer * N + 29 * per_layer * 1024
    assert "Gemma3TextConfig default 4" in data["sources"]["kv_heads"]  # a default is said to be one
    tiny = inspect(capsys, os.path.join(MODELS, "sliding_window", "tiny-random-gemma3_config.json"))
    assert tiny["bytes_per_token"] == 2 * (2 * 1 * 8 * FP32)  # 2 layers, both sliding (pattern 6)
    assert kinds(tiny)["sliding_window"]["window"] == 512


def test_jamba_attention_period_and_mamba1_state(capsys):
    data = inspect(capsys, os.path.join(MODELS, "hybrid_mamba", "jamba-1.5-mini_config.json"))
    assert data["attention_layers"] == 4 and data["state_layers"] == 28  # layers 4, 12, 20, 28 attend
    assert data["bytes_per_token"] == 2 * 4 * 8 * (4096 // 32) * BF16
    inner = 2 * 4096  # mamba_expand x hidden_size
    assert kinds(data)["recurrent_state"]["state_bytes_per_sequence"] == inner * (4 - 1) * BF16 + inner * 16 * BF16


def test_rank_engine_layout_reads_its_config(tmp_path, capsys):
    with open(os.path.join(FIXTURES, "engine_config_trtllm0.13_llama2_7b.json")) as f:
        doc = json.load(f)
    doc["pretrained_config"]["mapping"].update(tp_size=2, world_size=2)
    (tmp_path / "config.json").write_text(json.dumps(doc))
    for rank in (0, 1):
        (tmp_path / f"rank{rank}.engine").write_bytes(b"")
    data = inspect(capsys, str(tmp_path))
    assert data["tp"] == 2 and data["per_rank"]["bytes_per_token"] == 2 * 32 * (32 // 2) * 128 * 2


def test_engine_source_gives_templates_the_inspect_object(tmp_path, capsys):
    src = os.path.join(MODELS, "hybrid_mamba", "nemotron-h-56b_config.json")
    (tmp_path / "config.json").write_bytes(open(src, "rb").read())
    (tmp_path / "deck.yaml").write_text(
        "title: t\nsources:\n  m: {kind: engine, path: config.json}\nslides:\n  - kind: bullets\n    items:\n"
        "      - \"{{ sources.m.inspect.bytes_per_token }} B/token, {{ sources.m.inspect.state_layers }} state layers, "
        "{{ sources.m.inspect.sources.kv_heads }}\"\n")
    out = tmp_path / "out.pptx"
    assert main(["build", str(tmp_path / "deck.yaml"), "-o", str(out), "--no-cache", "-q"]) == 0
    with zipfile.ZipFile(out) as z:
        slide = z.read("ppt/slides/slide1.xml").decode()
    assert f"{2 * 10 * 8 * 128 * BF16} B/token, 54 state layers, config.json: num_key_value_heads" in slide


def modelopt_variant(tmp_path, kv_cache_quant_algo):
    """The Llama-3.1-70B FP8 checkpoint with another ``kv_cache_quant_algo`` in hf_quant_config.json."""
    src = os.path.join(MODELS, "modelopt_fp8", "llama-3.1-70b-fp8")
    (tmp_path / "config.json").write_bytes(open(os.path.join(src, "config.json"), "rb").read())
    quant = json.load(open(os.path.join(src, "hf_quant_config.json")))
    quant["quantization"]["kv_cache_quant_algo"] = kv_cache_quant_algo
    (tmp_path / "hf_quant_config.json").write_text(json.dumps(quant))
    return str(tmp_path)


@pytest.mark.parametrize("spelling", [None, "none", "NULL"])
def test_hf_quant_config_without_kv_quantization_keeps_the_model_dtype(tmp_path, capsys, spelling):
    data = inspect(capsys, modelopt_variant(tmp_path, spelling))
    assert data["kv_dtype"] == "bf16" and data["bytes_per_token"] == 2 * 80 * 8 * 128 * BF16


def test_an_nvfp4_kv_cache_is_refused_by_name(tmp_path, capsys):
    assert main(["engine", "inspect", modelopt_variant(tmp_path, "NVFP4")]) == 3
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "hf_quant_config.json" in line and "kv_cache_quant_algo" in line and "'NVFP4'" in line


def test_kimi_k25_mla_under_text_config_with_and_without_fp8_kv(capsys):
    plain = inspect(capsys, os.path.join(MODELS, "text_config", "kimi-k2.5_config.json"))
    assert plain["kv_dtype"] == "bf16" and plain["bytes_per_token"] == 61 * (512 + 64) * BF16  # kv_cache_scheme null
    fp8 = inspect(capsys, os.path.join(MODELS, "compressed_kv", "kimi-k2.5-nvfp4_config.json"))
    assert fp8["kv_dtype"] == "fp8_e4m3" and fp8["bytes_per_token"] == 61 * (512 + 64) * FP8
    assert fp8["sources"]["kv_dtype"] == "kimi-k2.5-nvfp4_config.json: quantization_config.kv_cache_scheme"


def test_a_kv_cache_scheme_tfeic_does_not_model_is_refused_by_name(tmp_path, capsys):
    doc = json.load(open(os.path.join(MODELS, "compressed_kv", "kimi-k2.5-nvfp4_config.json")))
    doc["quantization_config"]["kv_cache_scheme"] = {"num_bits": 4, "type": "int"}
    (tmp_path / "config.json").write_text(json.dumps(doc))
    assert main(["engine", "inspect", str(tmp_path)]) == 3
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "quantization_config.kv_cache_scheme" in line and "'num_bits': 4" in line


@pytest.mark.parametrize("edit, key", [
    (lambda d: d.update(num_hidden_layers=10**12), "num_hidden_layers"),
    (lambda d: d["mapping"].update(pp_size=10**12), "pp_size"),
])
def test_absurd_sizes_are_refused_at_once(tmp_path, capsys, edit, key):
    doc = json.load(open(os.path.join(MODELS, "trtllm_checkpoint", "llama-2-70b-tp4-fp8", "config.json")))
    edit(doc)
    (tmp_path / "config.json").write_text(json.dumps(doc))
    assert main(["engine", "inspect", str(tmp_path)]) == 3  # no list of 10**12 layers is built
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert key in line and str(10**12) in line
