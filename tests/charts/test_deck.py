"""The trtllm-vs-pytorch deck: every number computed from its CSVs, proven, and byte-stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfeic.pipeline import BuildOptions, compile_deck
from tfeic.ir import TableBlock, TextBlock

DECK = Path(__file__).resolve().parents[2] / "decks" / "trtllm-vs-pytorch.yaml"


@pytest.fixture(scope="module")
def result():
    return compile_deck(str(DECK), BuildOptions())


def _texts(slide) -> list[str]:
    return [p.text for b in slide.blocks if isinstance(b, TextBlock) for p in b.paragraphs]


def test_the_deck_is_proven_and_byte_identical_across_builds(result):
    assert result.proof.ok
    assert compile_deck(str(DECK), BuildOptions()).pptx == result.pptx


def test_stat_cards_are_computed_from_the_csvs(result):
    by_title = {s.title: _texts(s) for s in result.slides}
    assert by_title["TensorRT-LLM on A100, relative to PyTorch"][:4] == [
        "1.4x", "tokens/s", "30%", "lower per-token latency"]
    means = by_title["Means over the 9 prompt lengths"]
    assert means[0] == "22.07 ms" and means[2] == "17.73 ms"  # as the seed's Average row says
    assert means[4] == "38.1 ms"  # the mean of the nine rows (the seed's Average row says otherwise)
    assert by_title["JIT+CUDA against Torch-TensorRT"][0] == "1.42x"  # 22.07 / 15.57


def test_source_table_highlights_the_best_value_per_column(result):
    table = next(b for s in result.slides for b in s.blocks if isinstance(b, TableBlock)
                 and s.title == "Every prompt length, best values highlighted")
    assert table.header[:3] == ("prompt length (tokens)", "TTFT (ms)", "P99 (ms)")
    assert {(table.rows[r][0], table.rows[r][c]) for r, c in table.highlight} == {
        ("200", "19.15"), ("150", "16.24"), ("300", "42.0")}
    assert table.col_align[0] == "right"
