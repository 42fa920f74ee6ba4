"""Direct labels: a line chart of 2-4 series whose last points lie a line apart names each series
at its last point (one ``c:dLbl`` there, series name shown, position right) and has no legend; one
whose last points crowd keeps its legend. Read from the chart XML of a built deck."""

from __future__ import annotations

import re
import zipfile

# bench.csv (tests/charts/conftest.py): pytorch_tps ends at 50, trtllm_tps at 80 (prompt_tokens 2048).
# Values 50..140 on a 1-2-2.5-5 step for about 6 ticks: 140/5 = 28 -> step 50, axis 0..150, so the ends
# are 30/150 of the plot's height apart: some 56 pt of a plot ~280 pt high, well over a 1.2-em line.
APART = "- {kind: chart, source: bench, chart: line, x: prompt_tokens, y: [pytorch_tps, trtllm_tps], y_title: tokens/s}\n"
# here the ends are 100.0 and 100.5; values 10..100.5: 100.5/5 = 20.1 -> step 25, axis 0..125,
# so the ends are 0.5/125 of the plot's height, under a point, so the labels would collide
CLOSE_CSV = "n,a,b\n1,10,90\n2,60,50\n3,100.0,100.5\n"
CLOSE = "- {kind: chart, source: t, chart: line, x: n, y: [a, b], y_title: tokens/s}\n"


def _chart_xml(cli, deck, tmp_path) -> str:
    out = tmp_path / "out.pptx"
    result = cli("build", str(deck), "-o", str(out), "--no-cache")
    assert result.code == 0, result.err
    with zipfile.ZipFile(out) as z:
        (name,) = [n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        return z.read(name).decode()


def test_series_named_at_their_last_points_replace_the_legend(cli, write_deck, tmp_path):
    xml = _chart_xml(cli, write_deck(APART), tmp_path)
    assert "<c:legend>" not in xml
    series = re.findall(r"<c:ser>.*?</c:ser>", xml, re.S)
    assert len(series) == 2
    for ser in series:
        labels = re.findall(r"<c:dLbl>.*?</c:dLbl>", ser, re.S)
        assert len(labels) == 1
        (label,) = labels
        assert '<c:idx val="2"/>' in label  # the last of the 3 points (indices 0, 1, 2)
        assert '<c:showSerName val="1"/>' in label and '<c:showVal val="0"/>' in label
        assert '<c:dLblPos val="r"/>' in label
    # the value axis is pinned where layout placed the labels: 0..150
    assert '<c:max val="150.0"/><c:min val="0.0"/>' in xml


def test_crowded_last_points_keep_the_legend(cli, write_deck, tmp_path):
    sources = "t: {kind: table, path: t.csv}\n"
    xml = _chart_xml(cli, write_deck(CLOSE, sources, {"t.csv": CLOSE_CSV}), tmp_path)
    assert "<c:legend>" in xml
    assert "<c:dLbl>" not in xml
