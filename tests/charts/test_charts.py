"""Charts open as charts: python-pptx reads back their type, series and values; their embedded
workbook is byte-stable; their text size is chosen by layout and recorded in the proof."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL

SLIDES = """\
- {kind: chart, source: bench, chart: bar, x: engine, y: speedup, number_format: '0.0"x"'}
- {kind: chart, source: bench, chart: grouped_bar, x: engine, y: [pytorch_tps, trtllm_tps]}
- {kind: chart, source: bench, chart: stacked_bar, x: engine, y: [pytorch_tps, trtllm_tps], horizontal: true}
- {kind: chart, source: bench, chart: line, x: prompt_tokens, y: latency_ms}
- {kind: chart, source: bench, chart: scatter, x: prompt_tokens, y: [latency_ms]}
- {kind: chart, source: bench, chart: cdf, y: latency_ms}
"""


@pytest.fixture
def built(cli, write_deck, tmp_path):
    deck = write_deck(SLIDES)
    out, proof = tmp_path / "charts.pptx", tmp_path / "proof.json"
    result = cli("build", str(deck), "-o", str(out), "--proof", str(proof), "--no-cache")
    assert result.code == 0, result.err
    return deck, out, json.loads(proof.read_text())


def _charts(path):
    return [shape.chart for slide in Presentation(str(path)).slides for shape in slide.shapes if shape.has_chart]


def test_every_kind_reads_back_with_its_type_series_and_values(built):
    charts = _charts(built[1])
    assert [c.chart_type for c in charts] == [
        XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_STACKED,
        XL_CHART_TYPE.XY_SCATTER_LINES, XL_CHART_TYPE.XY_SCATTER, XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS]
    bar, grouped, stacked, line, scatter, cdf = charts
    assert list(bar.plots[0].categories) == ["small", "medium", "large"]
    assert bar.plots[0].series[0].values == pytest.approx((1.4, 1.5, 1.6))  # derived trtllm / pytorch
    assert [s.name for s in grouped.plots[0].series] == ["pytorch_tps", "trtllm_tps"]
    assert grouped.plots[0].series[1].values == (140, 120, 80)
    # a line of numeric x (prompt tokens) is drawn on a numeric axis, spaced by value (issue 17)
    assert [float(v) for v in line.plots[0].series[0]._element.xpath("./c:xVal//c:v/text()")] == [128, 512, 2048]
    assert line.value_axis.axis_title.text_frame.text == "latency (ms)"
    assert line.category_axis.axis_title.text_frame.text == "prompt_tokens"
    assert scatter.plots[0].series[0].values == (12.5, 20.25, 41.0)
    assert cdf.plots[0].series[0].values == pytest.approx((1 / 3, 2 / 3, 1.0))
    assert not bar.has_legend and grouped.has_legend


def test_series_colours_come_from_the_theme_palette(built):
    from tfeic.theme.load import load_theme

    theme = load_theme("light", ".")
    grouped = _charts(built[1])[1]
    first, second = (s.format.fill for s in grouped.plots[0].series)
    # the first series solid in its colour; the second hatched over its colour (a second cue, issue 17)
    assert str(first.fore_color.rgb) == theme.series_color(0)
    assert second.type == MSO_FILL.PATTERNED and str(second.back_color.rgb) == theme.series_color(1)


def test_embedded_workbook_holds_the_data_and_is_byte_stable(built, cli, tmp_path):
    deck, first, _ = built
    second = tmp_path / "again.pptx"
    assert cli("build", str(deck), "-o", str(second), "--no-cache").code == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        workbook = z.read("ppt/embeddings/Microsoft_Excel_Sheet1.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook)) as x:
        core = x.read("docProps/core.xml").decode()
        assert "2024-05-01T00:00:00Z" in core  # the deck's date, not the build time
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in x.infolist())


def test_proof_records_each_chart_with_its_size_and_text_conditions(built):
    charts = [b for s in built[2]["slides"] for b in s["boxes"] if b["kind"] == "chart"]
    assert len(charts) == 6
    for box in charts:
        assert 12 <= box["font_size"] <= 18  # the light theme's chart role: min_size 12, max_size 18 (issue 17)
        assert box["needed"] <= box["available"]
        parts = {p["name"]: p for p in box["parts"]}
        assert {"left band", "bottom band", "plot height"} <= set(parts)
        assert all(p["needed"] <= p["available"] for p in parts.values())


def test_crowded_category_labels_are_thinned_in_the_data_every_kth_category(cli, write_deck, tmp_path):
    """LibreOffice ignores tickLblSkip and draws every label, so the skipped ones are empty strings."""
    rows = "\n".join(f"a category label far too long to fit number {i},{i}" for i in range(12))
    deck = write_deck("- {kind: chart, source: t, chart: bar, x: name, y: v}\n",
                      sources="t: {kind: table, path: t.csv}\n", files={"t.csv": "name,v\n" + rows + "\n"})
    out, proof = tmp_path / "x.pptx", tmp_path / "proof.json"
    result = cli("build", str(deck), "-o", str(out), "--proof", str(proof), "--no-cache")
    assert result.code == 0, result.err
    with zipfile.ZipFile(out) as z:
        chart_xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/charts/chart"))
    assert "tickLblSkip" not in chart_xml
    cat = re.search(r"<c:cat>.*?</c:cat>", chart_xml, re.S).group(0)
    labels = re.findall(r'<c:pt idx="(\d+)">\s*<c:v>([^<]*)</c:v>', cat)
    drawn = [int(i) for i, text in labels if text]
    steps = {b - a for a, b in zip(drawn, drawn[1:])}
    assert len(drawn) >= 2 and len(steps) == 1 and 1 < steps.pop() < 12
    assert all(text == f"a category label far too long to fit number {i}" for i, text in labels if text)
    parts = [p for s in json.loads(proof.read_text())["slides"] for b in s["boxes"] for p in b["parts"]
             if p["name"].startswith("category label")]
    assert len(parts) == 2 and all(p["needed"] <= p["available"] for p in parts)


def test_a_category_label_too_tall_when_wrapped_fails_the_layout(cli, write_deck, tmp_path):
    """LibreOffice wraps a label to its category's width, one character per line when no break
    fits: an unbreakable label far wider than that needs more lines than the chart has room for."""
    rows = "\n".join(f"{'enormouslylongcategorylabel' * 8}{i},{i}" for i in range(3))
    deck = write_deck("- {kind: chart, source: t, chart: bar, x: name, y: v}\n",
                      sources="t: {kind: table, path: t.csv}\n", files={"t.csv": "name,v\n" + rows + "\n"})
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 4, result.err
    assert "bottom band needs" in result.err and "at the 12 pt minimum" in result.err


def test_an_unknown_series_column_is_exit_2_at_its_position(cli, write_deck, tmp_path):
    deck = write_deck("- kind: chart\n  source: bench\n  x: engine\n  y: [pytorch_tps, trtlm_tps]\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 2
    assert "deck.yaml:15:22: error: slides[0].y.1: no column 'trtlm_tps'" in result.err
    assert "did you mean 'trtllm_tps'?" in result.err
