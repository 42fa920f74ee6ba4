"""Charts that do not mislead (issue 17): one unit per value axis, numeric x on a numeric axis."""

from __future__ import annotations

import textwrap

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

CSV = "prompt_tokens,latency_ms,tps\n128,12.5,100\n512,20.25,80\n2048,41.0,50\n"


def _deck(tmp_path, slide: str):
    (tmp_path / "bench.csv").write_text(CSV)
    (tmp_path / "deck.yaml").write_text(textwrap.dedent("""\
        title: t
        date: '2024-05-01'
        sources:
          bench:
            kind: table
            path: bench.csv
            columns:
              latency_ms: {label: latency, unit: ms}
              tps: {label: throughput, unit: tok/s}
        slides:
        """) + textwrap.indent(slide, "  "))
    return str(tmp_path / "deck.yaml")


def test_two_units_on_one_value_axis_are_refused_at_y(cli, tmp_path):
    deck = _deck(tmp_path, "- {kind: chart, source: bench, chart: line, x: prompt_tokens,\n   y: [latency_ms, tps]}\n")
    result = cli("build", deck, "-o", str(tmp_path / "o.pptx"), "--no-cache")
    assert result.code == 2 and not (tmp_path / "o.pptx").exists(), result.err
    assert "deck.yaml:12:9: error: slides[0].y: " in result.err  # the position of y
    assert "columns of different units share one value axis: latency_ms (ms), tps (tok/s)" in result.err


def test_a_numeric_x_column_gets_a_numeric_axis_spaced_by_value(cli, tmp_path):
    deck = _deck(tmp_path, "- {kind: chart, source: bench, chart: line, x: prompt_tokens, y: latency_ms}\n")
    out = tmp_path / "o.pptx"
    assert cli("build", deck, "-o", str(out), "--no-cache").code == 0
    [chart] = [s.chart for slide in Presentation(str(out)).slides for s in slide.shapes if s.has_chart]
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER_LINES
    xs = [float(v) for v in chart.plots[0].series[0]._element.xpath("./c:xVal//c:v/text()")]
    assert xs == [128.0, 512.0, 2048.0]  # 512 sits 384 tokens right of 128, 2048 four times further on
    assert chart.value_axis.axis_title.text_frame.text == "latency (ms)"
