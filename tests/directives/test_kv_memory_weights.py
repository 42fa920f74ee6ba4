"""``kv_memory`` takes the weights from the model (never a default of 8B): derived from the
exabyte deck's own 4-layer config, from a safetensors index, or from params_b the deck gives."""

import json
import shutil
from pathlib import Path

from pptx import Presentation

REPO = Path(__file__).resolve().parents[2]
EXABYTE_MODEL = REPO / "decks" / "data" / "exabyte" / "model"
TRTLLM_ENGINE = REPO / "tests" / "fixtures" / "trtllm" / "engine_config_trtllm0.13_llama2_7b.json"
GB = 10**9


def build(cli, tmp_path, source: str, slide: str):
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: t\nsources:\n  s: {source}\nslides:\n  - {slide}\n")
    return cli("build", str(deck), "-o", str(tmp_path / "out.pptx"))


def budget(tmp_path):
    (slide,) = Presentation(str(tmp_path / "out.pptx")).slides
    tables = [s.table for s in slide.shapes if s.has_table]
    return [[c.text for c in row.cells] for row in tables[0].rows], slide.notes_slide.notes_text_frame.text


def test_exabyte_model_weights_are_derived_from_its_config(cli, tmp_path):
    source = f"{{kind: engine, path: {EXABYTE_MODEL}, kv_cache_config: {EXABYTE_MODEL / 'kv_cache_config.yaml'}}}"
    assert build(cli, tmp_path, source, "{kind: kv_memory, source: s}").code == 0
    rows, notes = budget(tmp_path)
    # 4 layers x (q 512x512 + k, v 512x256 + o 512x512 + 3 x 512x2048 + 2 norms) + 2 x 32000x512 + 512, x 2 bytes
    weights = 2 * (4 * (2 * 512 * 512 + 2 * 512 * 256 + 3 * 512 * 2048 + 2 * 512) + 2 * 32000 * 512 + 512)
    assert weights == 97_002_496
    per_session = 8192 // 16 * (4 * 2 * 4 * 16 * 64 * 2)  # 512 blocks of 16 tokens x 4 layers x K,V x 4 heads x 64 x bf16
    h100 = (80 * GB - weights - 2 * GB) // per_session
    assert rows[2] == ["H100", "80 GB", "97 MB", "33.6 MB", f"{h100:,}"] and rows[2][4] == "2,321"
    assert f"Weights {weights:,} B: derived from config.json: 48,501,248 parameters, bfloat16." in notes


def test_params_b_given_by_the_deck(cli, tmp_path):
    source = f"{{kind: engine, path: {EXABYTE_MODEL}}}"
    assert build(cli, tmp_path, source, "{kind: kv_memory, source: s, params_b: 7, bytes_per_param: 1}").code == 0
    rows, notes = budget(tmp_path)
    assert rows[1][2] == "7 GB" and "Weights 7,000,000,000 B: params_b 7 x 1 bytes, given by the deck." in notes


def test_index_total_size_is_used(cli, tmp_path):
    model = tmp_path / "m"
    shutil.copytree(EXABYTE_MODEL, model)
    (model / "model.safetensors.index.json").write_text(json.dumps({"metadata": {"total_size": 1_234_567_890}, "weight_map": {}}))
    assert build(cli, tmp_path, "{kind: engine, path: m}", "{kind: kv_memory, source: s}").code == 0
    rows, notes = budget(tmp_path)
    assert rows[1][2] == "1.23 GB" and "model.safetensors.index.json metadata.total_size" in notes


def test_a_pool_dump_has_no_model_so_params_b_is_asked_for(cli, tmp_path):
    pool = REPO / "decks" / "data" / "exabyte" / "block_pool.bin"
    result = build(cli, tmp_path, f"{{kind: kv, path: {pool}}}", "{kind: kv_memory, source: s}")
    assert result.code == 2 and "deck.yaml:5:" in result.err
    assert "slides[0].params_b: the weights' size is unknown: source 's' is a KV pool dump" in result.err
    assert not (tmp_path / "out.pptx").exists()


def test_a_model_that_does_not_say_is_exit_2_naming_why(cli, tmp_path):
    # a quantized TensorRT-LLM engine: its weights are not derived (and its rank*.engine sizes are not the weights')
    engine = json.loads(TRTLLM_ENGINE.read_text())
    engine["pretrained_config"]["quantization"]["quant_algo"] = "W8A16"
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "config.json").write_text(json.dumps(engine))
    result = build(cli, tmp_path, f"{{kind: engine, path: {tmp_path / 'engine'}}}", "{kind: kv_memory, source: s}")
    assert result.code == 2 and "quantization.quant_algo is 'W8A16'" in result.err
    assert "give params_b" in result.err
    assert build(cli, tmp_path, f"{{kind: engine, path: {tmp_path / 'engine'}}}", "{kind: kv_memory, source: s, params_b: 7}").code == 0


def test_bytes_per_param_alone_is_refused(cli, tmp_path):
    result = build(cli, tmp_path, f"{{kind: engine, path: {EXABYTE_MODEL}}}", "{kind: kv_memory, source: s, bytes_per_param: 1}")
    assert result.code == 2 and "slides[0].bytes_per_param: applies only with params_b" in result.err
