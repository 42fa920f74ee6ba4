"""``model_comparison`` on hybrid models (Nemotron-H's Mamba-2 layers, Qwen3-Next's Gated DeltaNet
layers): only the attention layers cost bytes per token; the recurrent state is a fixed amount per
session, shown in a column of its own and counted once per session. Real configs from
tests/fixtures/models; every number worked out here."""

import math
import shutil
import textwrap
from pathlib import Path

from pptx import Presentation

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "tests" / "fixtures" / "models"
GB = 10**9
CONTEXT = 131_072


def build(cli, tmp_path, slide, **fixtures):
    entries = ""
    for name, fixture in fixtures.items():
        (tmp_path / name).mkdir()
        shutil.copy(MODELS / fixture, tmp_path / name / "config.json")
        entries += f"      - {{name: {name}, path: {name}}}\n"
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\nsources:\n  m:\n    kind: models\n    models:\n" + entries + "slides:\n" + textwrap.indent(slide, "  "))
    assert cli("build", str(deck), "-o", str(tmp_path / "out.pptx")).code == 0
    (s,) = Presentation(str(tmp_path / "out.pptx")).slides
    (table,) = [sh.table for sh in s.shapes if sh.has_table]
    return [[c.text for c in row.cells] for row in table.rows], s.notes_slide.notes_text_frame.text


def test_nemotron_h_and_qwen3_next_state_is_per_session(cli, tmp_path):
    rows, notes = build(cli, tmp_path, "- {kind: model_comparison, source: m, gpus: 4, gpu: {name: H200, memory_gb: 141}}\n",
                        nemotron="hybrid_mamba/nemotron-h-56b_config.json",
                        qnext="linear_attention/qwen3-next-80b-a3b_config.json")
    assert rows[0] == ["model", "weights", "KV per token", "state per session", "KV per 131,072 tokens", "sessions per 4 x H200"]
    # Nemotron-H-56B: 10 '*' layers of 8 KV heads x 128, bf16; 54 'M' layers of Mamba-2 state, bf16 (no ssm cache dtype)
    nemo_token = 10 * 2 * 8 * 128 * 2
    conv = (256 * 64 + 2 * 8 * 256) * (4 - 1) * 2
    ssm = 256 * 64 * 256 * 2
    nemo_state = 54 * (conv + ssm)
    assert (nemo_token, nemo_state) == (40_960, 459_620_352)
    nemo_weights = 2 * 56_324_350_464
    # per rank of 4: KV heads 8 / 4, conv channels and SSM heads split four ways
    nemo_rank_session = 10 * 2 * 2 * 128 * 2 * CONTEXT + 54 * ((256 * 64 + 2 * 8 * 256) // 4 * 3 * 2 + 256 // 4 * 64 * 256 * 2)
    nemo_sessions = (141 * GB - math.ceil(nemo_weights / 4)) // nemo_rank_session
    assert rows[1] == ["nemotron", "113 GB*", "40,960 B", "460 MB", "5.83 GB", f"{nemo_sessions:,}"]
    assert nemo_token * CONTEXT + nemo_state == 5_828_329_472
    # Qwen3-Next-80B-A3B: 12 full layers of 2 KV heads x 256; 36 Gated DeltaNet layers (16 K heads, 32 V heads of 128)
    q_token = 12 * 2 * 2 * 256 * 2
    q_state = 36 * ((2 * 128 * 16 + 128 * 32) * 3 * 2 + 32 * 128 * 128 * 2)
    assert (q_token, q_state) == (24_576, 39_518_208)
    q_rank_session = 12 * 2 * 1 * 256 * 2 * CONTEXT + 36 * ((2 * 128 * 16 + 128 * 32) // 4 * 3 * 2 + 32 // 4 * 128 * 128 * 2)
    q_sessions = (141 * GB - math.ceil(2 * 79_674_391_296 / 4)) // q_rank_session
    assert rows[2] == ["qnext", "159 GB*", "24,576 B", "39.5 MB", "3.26 GB", f"{q_sessions:,}"]
    assert q_token * CONTEXT + q_state == 3_260_743_680
    assert "54 recurrent state layers x 8,511,488 B per session, whatever its length" in notes
    assert "10 full attention layers x 4,096 B/token" in notes and "54 cache-free layers" in notes
