"""The ``stat`` directive's aggregates gain the median and any percentile of a table column."""

from __future__ import annotations

import textwrap

from pptx import Presentation

CSV = "request,ttft_ms\n1,120\n2,80\n3,200\n4,95\n5,410\n"  # sorted: 80, 95, 120, 200, 410


def _build(cli, tmp_path, cards: str):
    (tmp_path / "lat.csv").write_text(CSV)
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent("""\
        title: t
        date: '2026-11-26'
        sources:
          lat: {kind: table, path: lat.csv}
        slides:
          - kind: stat
            source: lat
            cards:
        """) + textwrap.indent(textwrap.dedent(cards), "      "))
    return cli("build", str(deck), "-o", str(tmp_path / "s.pptx"), "--no-cache")


def test_median_and_percentile_cards(cli, tmp_path):
    result = _build(cli, tmp_path, """\
        - {value: ttft_ms, agg: median, format: ".1f", label: median}
        - {value: ttft_ms, agg: p90, format: ".1f", label: p90}
        - {value: ttft_ms, agg: p99.9, format: ".3f", label: p99.9}
        """)
    assert result.code == 0, result.err
    texts = [s.text_frame.text for s in list(Presentation(str(tmp_path / "s.pptx")).slides)[-1].shapes
             if s.has_text_frame and s.name.startswith("stat") and not s.name.endswith("label")]
    # ranks over 5 sorted values: median 4 * 0.5 = 2 -> 120; p90 4 * 0.9 = 3.6 -> 200 + 0.6 * 210
    assert texts == ["120.0", f"{200 + 0.6 * (410 - 200):.1f}", f"{200 + 0.996 * (410 - 200):.3f}"]


def test_an_unknown_aggregate_is_exit_2(cli, tmp_path):
    result = _build(cli, tmp_path, """\
        - {value: ttft_ms, agg: p999, label: a}
        - {value: ttft_ms, agg: mean, label: b}
        """)
    assert result.code == 2
    assert "agg" in result.err
