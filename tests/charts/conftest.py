"""Tiny decks written into a temporary directory: one table file and the slides under test."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

BENCH_CSV = """\
engine,prompt_tokens,pytorch_tps,trtllm_tps,latency_ms
small,128,100,140,12.5
medium,512,80,120,20.25
large,2048,50,80,41.0
"""


@pytest.fixture
def write_deck(tmp_path: Path):
    """``write_deck(slides_yaml, sources_yaml=None, files=None)`` -> path of a deck in tmp_path."""

    def write(slides: str, sources: str | None = None, files: dict[str, str] | None = None) -> Path:
        for name, text in (files or {"bench.csv": BENCH_CSV}).items():
            (tmp_path / name).write_text(text)
        sources = sources or """\
            bench:
              kind: table
              path: bench.csv
              columns:
                latency_ms: {label: latency, unit: ms}
              derive:
                speedup: {expr: trtllm_tps / pytorch_tps, label: speed-up, unit: x}
            """
        deck = tmp_path / "deck.yaml"
        deck.write_text("title: t\ndate: '2024-05-01'\nsources:\n" + textwrap.indent(textwrap.dedent(sources), "  ")
                        + "slides:\n" + textwrap.indent(textwrap.dedent(slides), "  "))
        return deck

    return write
