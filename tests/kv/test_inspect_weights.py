"""``tfeic engine inspect`` says the weights' size and how it was found (index, safetensors headers,
derived, unknown); TensorRT-LLM engines are derived from their pretrained_config (never the
rank*.engine sizes), TensorRT-LLM checkpoints read their rank*.safetensors headers; ``kv_memory``
on a model whose layers differ uses the per-layer-kind geometry. Expectations worked out here."""

import json
import os
import shutil
from pathlib import Path

import jsonschema
import numpy as np
from pptx import Presentation
from safetensors.numpy import save_file

from tfeic.cli import main

from .conftest import FIXTURES, REPO

MODELS = Path(REPO) / "tests" / "fixtures" / "models"
ENGINE_013 = Path(FIXTURES) / "engine_config_trtllm0.13_llama2_7b.json"
GB = 10**9


def inspect(capsys, path, *flags):
    code = main(["engine", "inspect", str(path), *flags])
    out = capsys.readouterr().out
    assert code == 0
    if "--json" not in flags:
        return out
    data = json.loads(out)
    with open(os.path.join(REPO, "schemas", "engine-inspect.schema.json")) as f:
        jsonschema.validate(data, json.load(f))
    return data


def test_engine_weights_are_derived_from_pretrained_config_not_engine_files(capsys, tmp_path):
    shutil.copy(ENGINE_013, tmp_path / "config.json")
    (tmp_path / "rank0.engine").write_bytes(b"\0" * 4096)  # a serialized engine: kernels as well as weights
    # Llama-2-7B: 32 layers x (q, k, v, o of 4096 x 4096 (32 KV heads) + gate, up, down 4096 x 11008 + 2 norms),
    # embed and an unshared lm_head of 32000 x 4096, the final norm; float16
    params = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096) + 2 * 32000 * 4096 + 4096
    assert params == 6_738_415_616  # meta-llama/Llama-2-7b-hf: 6.74B
    weights = inspect(capsys, tmp_path, "--json")["weights"]
    assert weights["bytes"] == 2 * params and weights["how"] == "derived"
    assert "config.json pretrained_config" in weights["origin"] and "rank*.engine files hold the built engine" in weights["origin"]
    text = inspect(capsys, tmp_path)
    assert f"{2 * params} (13.5 GB), derived: derived from config.json pretrained_config: 6,738,415,616 parameters" in text


def test_engine_fixture_keeps_its_old_numbers_and_adds_weights(capsys):
    data = inspect(capsys, ENGINE_013, "--json")
    assert (data["bytes_per_token"], data["tokens_per_block"]) == (2 * 32 * 32 * 128 * 2, 64)
    assert data["weights"]["bytes"] == 13_476_831_232


def test_trtllm_checkpoint_reads_its_rank_safetensors_headers(capsys, tmp_path):
    shutil.copy(MODELS / "trtllm_checkpoint" / "opt-125m-tp2" / "config.json", tmp_path / "config.json")
    # two ranks as TensorRT-LLM's save_checkpoint writes them (safetensors save_file), each its half of a projection
    # and a full copy of a norm
    for rank in (0, 1):
        save_file({"transformer.layers.0.attention.qkv.weight": np.zeros((3 * 384, 768), np.float16),
                   "transformer.layers.0.input_layernorm.weight": np.zeros(768, np.float16)},
                  str(tmp_path / f"rank{rank}.safetensors"))
    weights = inspect(capsys, tmp_path, "--json")["weights"]
    assert weights == {"bytes": 2 * (3 * 384 * 768 * 2 + 768 * 2), "how": "safetensors_headers",
                       "origin": "tensor sizes in the headers of 2 .safetensors files, summed over the ranks "
                                 "(a tensor every rank holds counts once per rank)"}


def test_trtllm_checkpoint_without_weights_and_not_derivable_is_unknown(capsys):
    falcon = inspect(capsys, MODELS / "trtllm_checkpoint" / "falcon-180b-tp8-fp8" / "config.json", "--json")["weights"]
    assert falcon["bytes"] is None and falcon["how"] == "unknown"
    assert "pretrained_config.architecture 'FalconForCausalLM' is not one tfeic derives weights for" in falcon["origin"]
    llama = inspect(capsys, MODELS / "trtllm_checkpoint" / "llama-2-70b-tp4-fp8" / "config.json")
    assert "weights" in llama and "quantization.quant_algo is 'FP8'" in llama


def test_hf_checkpoint_index_is_said(capsys, tmp_path):
    shutil.copy(MODELS / "compare" / "llama-3.1-8b" / "config.json", tmp_path / "config.json")
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"metadata": {"total_size": 16_060_522_496}}))
    assert inspect(capsys, tmp_path, "--json")["weights"] == {
        "bytes": 16_060_522_496, "how": "index", "origin": "model.safetensors.index.json metadata.total_size"}


def test_kv_memory_on_gpt_oss_keeps_sliding_layers_to_their_window(cli, tmp_path):
    model = MODELS / "compare" / "gpt-oss-120b"
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: t\nsources:\n  s: {{kind: engine, path: {model}}}\nslides:\n  - {{kind: kv_memory, source: s}}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"))
    assert result.code == 0, result.err
    (slide,) = Presentation(str(tmp_path / "out.pptx")).slides
    rows = [[c.text for c in r.cells] for r in [s.table for s in slide.shapes if s.has_table][0].rows]
    notes = slide.notes_slide.notes_text_frame.text
    # 8,192 tokens in blocks of 32: 18 full layers keep all 8,192, 18 sliding layers their 128-token window (4 blocks);
    # each layer 2 x 8 KV heads x 64 x bf16 = 2,048 B per token
    per_session = 18 * 2048 * 8192 + 18 * 2048 * 128
    assert per_session == 306_708_480
    weights = 65_248_815_744  # mxfp4 experts, the rest bf16 (tests/kv/test_weights.py)
    h100 = (80 * GB - weights - 2 * GB) // per_session
    assert rows[2] == ["H100", "80 GB", "65.2 GB", "307 MB", f"{h100:,}"]
    # the scale-out view: 1,000,000 sessions of 128,000 tokens, the sliding layers holding 128 of them
    assert 18 * 2048 * 128_000 + 18 * 2048 * 128 == 4_723_310_592
    assert "Scale-out: 1,000,000 sessions x 4,723,310,592 B per 128,000-token session (18 x sliding_window" in notes
