"""``model_comparison`` built in a tiny deck from the real configs in tests/fixtures/models/compare;
the .pptx table cells against sessions worked out here."""

import math
import textwrap
from pathlib import Path

from pptx import Presentation

REPO = Path(__file__).resolve().parents[2]
COMPARE = REPO / "tests" / "fixtures" / "models" / "compare"
GB = 10**9
CONTEXT = 131_072


def build(cli, tmp_path, slide: str, names=("llama-3.1-8b", "deepseek-v3", "gpt-oss-120b"), *flags, extra=""):
    entries = "".join(f"      - {{name: {n}, path: {COMPARE / n}{extra}}}\n" for n in names)
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\nsources:\n  m:\n    kind: models\n    models:\n" + entries + "slides:\n"
                    + textwrap.indent(slide, "  "))
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), *flags)
    return result


def table_cells(path):
    (slide,) = Presentation(str(path)).slides
    (table,) = [s.table for s in slide.shapes if s.has_table]
    return [[c.text for c in row.cells] for row in table.rows], slide.notes_slide.notes_text_frame.text


def sessions(memory, weights, tp, per_rank_session):
    return (memory - math.ceil(weights / tp)) // per_rank_session


def test_one_h100(cli, tmp_path):
    assert build(cli, tmp_path, "- {kind: model_comparison, source: m}\n").code == 0
    rows, notes = table_cells(tmp_path / "out.pptx")
    assert rows[0] == ["model", "weights", "KV per token", "KV per 131,072 tokens", "sessions per H100"]
    llama_w = 2 * 8_030_261_248
    llama_session = 131_072 * CONTEXT  # 17,179,869,184 B
    assert rows[1] == ["llama-3.1-8b", "16.1 GB*", "131,072 B", "17.2 GB",
                       str(sessions(80 * GB, llama_w, 1, llama_session))]
    assert rows[1][4] == "3"
    assert rows[2][:4] == ["deepseek-v3", "673 GB*", "70,272 B", "9.21 GB"] and rows[2][4] == "0"  # 61 x 576 x 2 x 131,072
    gpt_session = 18 * 2048 * CONTEXT + 18 * 2048 * 128
    assert rows[3][2:] == ["73,728 B", "4.84 GB", str(sessions(80 * GB, 65_248_815_744, 1, gpt_session))]
    assert "18 sliding window layers x 2,048 B/token, keeping at most 128 tokens" in notes
    assert "weights 16,060,522,496 B: derived from config.json: 8,030,261,248 parameters" in notes


def test_eight_gpus_split_heads_and_replicate_the_latent(cli, tmp_path):
    slide = "- {kind: model_comparison, source: m, gpus: 8, gpu: {name: H200, memory_gb: 141}, overhead_gb: 1}\n"
    assert build(cli, tmp_path, slide).code == 0
    rows, _ = table_cells(tmp_path / "out.pptx")
    free = 141 * GB - 1 * GB
    assert rows[0][4] == "sessions per 8 x H200"
    assert rows[1][4] == str((free - math.ceil(2 * 8_030_261_248 / 8)) // (2 * 32 * 1 * 128 * 2 * CONTEXT))
    deepseek = (free - math.ceil(673_150_582_112 / 8)) // (61 * 576 * 2 * CONTEXT)  # every rank holds the whole latent
    assert rows[2][4] == f"{deepseek:,}" == "6"


def test_dry_run_builds_anywhere(cli, tmp_path):
    result = build(cli, tmp_path, "- {kind: model_comparison, source: m, context_tokens: 1000}\n",
                   ("a", "b"), "--dry-run")
    assert result.code == 0
    rows, _ = table_cells(tmp_path / "out.pptx")
    assert [r[0] for r in rows[1:]] == ["a", "b"] and rows[1][2] == "131,072 B"


def test_missing_model_dir_is_exit_3_at_its_line(cli, tmp_path):
    result = build(cli, tmp_path, "- {kind: model_comparison, source: m}\n", ("no-such-model",))
    assert result.code == 3
    (line,) = [l for l in result.err.splitlines() if "error" in l]
    assert "deck.yaml:6:" in line and "sources.m.models[0].path" in line and "no such file or directory" in line


def test_params_b_of_an_entry_replaces_what_the_model_says(cli, tmp_path):
    assert build(cli, tmp_path, "- {kind: model_comparison, source: m}\n", ("llama-3.1-8b",), extra=", params_b: 8, bytes_per_param: 1").code == 0
    rows, notes = table_cells(tmp_path / "out.pptx")
    assert rows[1][1] == "8 GB" and "weights 8,000,000,000 B: params_b 8 x 1 bytes, given by the deck" in notes
    assert rows[1][4] == str((80 * GB - 8 * GB) // (131_072 * CONTEXT))


def test_a_model_whose_weights_nothing_says_asks_for_params_b(cli, tmp_path):
    model = tmp_path / "hybrid"
    model.mkdir()
    config = (COMPARE / "llama-3.1-8b" / "config.json").read_text().replace('"model_type": "llama"', '"model_type": "falcon_h1"')
    (model / "config.json").write_text(config)
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\nsources:\n  m:\n    kind: models\n    models:\n      - {name: h, path: hybrid}\n"
                    "slides:\n  - {kind: model_comparison, source: m}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"))
    assert result.code == 2 and "deck.yaml:6:" in result.err
    assert "sources.m.models[0]: the weights' size is unknown" in result.err and "model_type 'falcon_h1'" in result.err
    assert "give this model params_b" in result.err


def test_bytes_per_param_of_an_entry_needs_params_b(cli, tmp_path):
    result = build(cli, tmp_path, "- {kind: model_comparison, source: m}\n", ("llama-3.1-8b",), extra=", bytes_per_param: 1")
    assert result.code == 2 and "sources.m.models[0].bytes_per_param: applies only with params_b" in result.err
